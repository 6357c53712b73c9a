//! The kubeconfig builder: field rules, values that read back whatever they contain, the file
//! name, the commands beside it, and loading a kubeconfig back into the form.
//!
//! When `kubectl` is on PATH, its own `kubectl config set-*` output is compared with ours, and
//! the script we print is run for real (in CI, without kubectl that test fails); `bash -n`
//! checks the script's syntax everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{fact, mint, token, vector};
use serde_json::Value;
use tokenscope::formats::yaml;
use tokenscope::kubeconfig::{build, defaults, file_name, load, Field, KubeconfigForm, LoadError};

/// A moment when the minted CA and bound token are valid: 2026-11-23T07:00:00Z.
const NOW: i64 = 1_795_417_200;

fn form() -> KubeconfigForm {
    KubeconfigForm {
        cluster_name: "prod".into(),
        server: "https://203.0.113.10:6443".into(),
        ca: vector("minted/ca.crt"),
        token: token("minted/token-bound-pod-rs256.jwt"),
        ..KubeconfigForm::default()
    }
}

/// The built kubeconfig, read back with our YAML reader.
fn parsed(form: &KubeconfigForm) -> Value {
    let out = build(form, NOW);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let text = out.yaml.expect("a kubeconfig");
    let docs = yaml::parse_documents(&text).unwrap();
    assert_eq!(docs.len(), 1);
    docs.into_iter().next().unwrap()
}

/// The fields of `form` that have a problem of the given list, as labels.
fn fields(problems: &[tokenscope::kubeconfig::Problem]) -> Vec<Field> {
    problems.iter().map(|p| p.field).collect()
}

#[test]
fn defaults_come_from_the_token() {
    let d = defaults(&form());
    assert_eq!(d.user_name, fact("serviceaccount"));
    assert_eq!(d.namespace, fact("namespace"));
    assert_eq!(d.context_name, format!("{}@prod", fact("serviceaccount")));
}

#[test]
fn writes_what_kubectl_config_writes() {
    let doc = parsed(&form());
    assert_eq!(doc["apiVersion"], "v1");
    assert_eq!(doc["kind"], "Config");
    let user = fact("serviceaccount");
    let context = format!("{user}@prod");
    assert_eq!(doc["current-context"], context.as_str());
    assert_eq!(doc["clusters"][0]["name"], "prod");
    assert_eq!(
        doc["clusters"][0]["cluster"]["server"],
        "https://203.0.113.10:6443"
    );
    // `--embed-certs` stores the base64 of the PEM file's bytes.
    let ca = doc["clusters"][0]["cluster"]["certificate-authority-data"]
        .as_str()
        .unwrap();
    let pem = String::from_utf8(STANDARD.decode(ca).unwrap()).unwrap();
    assert_eq!(pem.trim(), vector("minted/ca.crt").trim());
    assert_eq!(doc["users"][0]["name"], user.as_str());
    assert_eq!(
        doc["users"][0]["user"]["token"],
        token("minted/token-bound-pod-rs256.jwt").as_str()
    );
    assert_eq!(doc["contexts"][0]["name"], context.as_str());
    assert_eq!(doc["contexts"][0]["context"]["cluster"], "prod");
    assert_eq!(doc["contexts"][0]["context"]["user"], user.as_str());
    assert_eq!(
        doc["contexts"][0]["context"]["namespace"],
        fact("namespace").as_str()
    );
}

#[test]
fn ca_in_any_pasted_form_is_embedded_as_pem() {
    let pem = vector("minted/ca.crt");
    let base64_of_pem = STANDARD.encode(pem.as_bytes());
    let base64_of_der = vector("minted/ca.der.b64");
    for ca in [pem.clone(), base64_of_pem, base64_of_der] {
        let out = build(&KubeconfigForm { ca, ..form() }, NOW);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.written.ca.trim(), pem.trim());
    }
}

/// Values that YAML would misread if written plainly come back exactly.
#[test]
fn awkward_values_read_back() {
    let long_token = format!(
        "{}.{}.{}",
        "a".repeat(6000),
        "b".repeat(6000),
        "c".repeat(512)
    );
    for (cluster, user, namespace, context, token) in [
        ("no", "yes", "0123", "null", "true"),
        ("a: b", "c #d", "x", "'quoted'", "\"double\""),
        ("клъстер", "usér", "ns", "日本@クラスタ", "tok"),
        ("- dash", "? q", "n", "{x}", "[y]"),
        ("~", "@at", "a-b", "%p", "`b`"),
        ("prod", "sa", "default", "ctx", long_token.as_str()),
    ] {
        let mut form = KubeconfigForm {
            cluster_name: cluster.into(),
            user_name: user.into(),
            namespace: namespace.into(),
            context_name: context.into(),
            token: token.into(),
            ..form()
        };
        // "- dash" is refused as a name (kubectl would read it as a flag); keep the rest.
        if cluster.starts_with('-') {
            let out = build(&form, NOW);
            assert_eq!(fields(&out.errors), vec![Field::ClusterName]);
            form.cluster_name = "dash".into();
        }
        let doc = parsed(&form);
        assert_eq!(doc["clusters"][0]["name"], form.cluster_name.as_str());
        assert_eq!(doc["users"][0]["name"], user);
        assert_eq!(doc["users"][0]["user"]["token"], token);
        assert_eq!(doc["contexts"][0]["name"], context);
        assert_eq!(doc["contexts"][0]["context"]["namespace"], namespace);
        assert_eq!(doc["current-context"], context);
    }
}

#[test]
fn long_token_stays_on_one_line() {
    let long = format!(
        "{}.{}.{}",
        "a".repeat(6000),
        "b".repeat(6000),
        "c".repeat(512)
    );
    let out = build(
        &KubeconfigForm {
            token: long.clone(),
            user_name: "sa".into(),
            ..form()
        },
        NOW,
    );
    let yaml = out.yaml.unwrap();
    assert!(yaml.lines().any(|l| l.trim() == format!("token: {long}")));
}

#[test]
fn skip_tls_drops_the_ca_loudly() {
    let out = build(
        &KubeconfigForm {
            skip_tls_verify: true,
            ..form()
        },
        NOW,
    );
    assert!(out.errors.is_empty());
    let warning = out
        .warnings
        .iter()
        .find(|w| w.field == Field::SkipTlsVerify)
        .unwrap();
    assert!(warning.message.contains("TLS VERIFICATION IS OFF"));
    assert!(warning.message.contains("LEFT OUT"));
    let doc = parsed(&KubeconfigForm {
        skip_tls_verify: true,
        ..form()
    });
    let cluster = &doc["clusters"][0]["cluster"];
    assert_eq!(cluster["insecure-skip-tls-verify"], true);
    assert!(cluster.get("certificate-authority-data").is_none());
    assert!(out
        .kubectl_script
        .contains("--insecure-skip-tls-verify=true"));
    assert!(!out.kubectl_script.contains("--embed-certs"));
    assert!(out.curl_command.contains("--insecure"));
}

/// Each server URL: `Ok(true)` accepted quietly, `Ok(false)` accepted with a warning,
/// `Err(fragment)` refused with a message containing the fragment.
#[test]
fn server_url_rules() {
    let cases: &[(&str, Result<bool, &str>)] = &[
        ("https://203.0.113.10:6443", Ok(true)),
        ("https://k8s.example.com", Ok(true)),
        ("https://[2001:db8::1]:6443", Ok(true)),
        ("https://rancher.example.com/k8s/clusters/c-1", Ok(true)),
        ("  https://padded:6443  ", Ok(true)),
        ("http://127.0.0.1:8001", Ok(false)),
        ("", Err("empty")),
        ("203.0.113.10:6443", Err("no scheme")),
        ("ftp://x", Err("ftp://")),
        ("https://", Err("no host")),
        ("https://:6443", Err("no host")),
        ("https://host:99999", Err("port")),
        ("https://host:0", Err("port")),
        ("https://host:64a3", Err("port")),
        ("https://user:pw@host", Err("password")),
        ("https://host/?q=1", Err("query")),
        ("https://ho st", Err("white space")),
        ("https://[::1", Err("without ']'")),
        ("https://[zz]:1", Err("IPv6")),
        ("https://exämple.com", Err("punycode")),
        ("https://a<b", Err("contains")),
        // curl reads [] and {} in a URL as lists of hosts, and would send the token to each.
        ("https://api[1-3].corp:6443", Err("curl")),
        ("https://api{a,b}.corp", Err("curl")),
        ("https://a]b:6443", Err("curl")),
        ("https://[::1]:6443", Ok(true)),
        ("https://[::1]x", Err("after the IPv6 address")),
    ];
    for (server, expected) in cases {
        let out = build(
            &KubeconfigForm {
                server: (*server).into(),
                ..form()
            },
            NOW,
        );
        let server_errors: Vec<_> = out
            .errors
            .iter()
            .filter(|p| p.field == Field::Server)
            .collect();
        let server_warnings = out.warnings.iter().any(|p| p.field == Field::Server);
        match expected {
            Ok(quiet) => {
                assert!(server_errors.is_empty(), "{server:?}: {server_errors:?}");
                assert_eq!(!server_warnings, *quiet, "{server:?}: {:?}", out.warnings);
            }
            Err(fragment) => {
                assert_eq!(server_errors.len(), 1, "{server:?}");
                assert!(
                    server_errors[0].message.contains(fragment),
                    "{server:?}: {}",
                    server_errors[0].message
                );
                assert!(out.yaml.is_none());
            }
        }
    }
}

#[test]
fn names_must_be_usable() {
    let empty = build(
        &KubeconfigForm {
            cluster_name: " ".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&empty.errors), vec![Field::ClusterName]);
    assert!(empty.errors[0].message.contains("empty"));

    let control = build(
        &KubeconfigForm {
            context_name: "a\nb".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&control.errors), vec![Field::ContextName]);
    assert!(control.errors[0].message.contains("U+000A at character 2"));

    let padded = build(
        &KubeconfigForm {
            user_name: "sa ".into(),
            ..form()
        },
        NOW,
    );
    assert!(padded.errors.is_empty());
    assert_eq!(fields(&padded.warnings), vec![Field::UserName]);

    // No user name and a token that names no service account.
    let anonymous = build(
        &KubeconfigForm {
            token: "static-token-1234".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&anonymous.errors), vec![Field::UserName]);
}

#[test]
fn token_rules() {
    let warned = |token: &str| -> Vec<String> {
        let out = build(
            &KubeconfigForm {
                token: token.into(),
                user_name: "sa".into(),
                ..form()
            },
            NOW,
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        out.warnings
            .iter()
            .filter(|p| p.field == Field::Token)
            .map(|p| p.message.clone())
            .collect()
    };
    assert!(warned(&token("minted/token-bound-pod-rs256.jwt")).is_empty());
    let expired = warned(&token("minted/token-expired-rs256.jwt"));
    assert!(expired[0].starts_with("Token expired"), "{expired:?}");
    assert!(warned("not-a-jwt")[0].starts_with("Token is not a JWT"));
    assert!(warned("Bearer abc.def.ghi")[0].contains("Bearer"));
    assert!(warned("abc.de f.ghi")[0].contains("white space"));
    assert!(warned("abcé.def.ghi")[0].contains("HTTP header"));
    let future = mint(r#"{"alg":"RS256"}"#, r#"{"sub":"x","nbf":4000000000}"#);
    assert!(warned(&future)[0].contains("not valid yet"));

    let empty = build(
        &KubeconfigForm {
            token: String::new(),
            user_name: "sa".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&empty.errors), vec![Field::Token]);
}

/// The token travels inside the printed commands, and a terminal acts on control characters as
/// they are pasted, quotes or not: ^U kills the line typed so far (what follows it then runs on
/// its own), ESC[201~ ends bracketed paste. Such a token is refused, as such names are, and
/// nothing is written.
#[test]
fn tokens_with_control_or_invisible_characters_are_refused() {
    for (token, fragment) in [
        ("abc\u{15}; rm -rf ~.def.ghi", "U+0015 at character 4"),
        ("abc.def\u{1b}[201~.ghi", "U+001B at character 8"),
        ("abc.de\nf.ghi", "line break"),
        ("abc.de\r\nf.ghi", "line break"),
        ("abc\t.def.ghi", "U+0009"),
        ("abc\u{7f}.def.ghi", "U+007F"),
        ("abc\u{9b}.def.ghi", "U+009B"),
        ("\u{200b}abc.def.ghi", "U+200B at character 1"),
        ("abc.def.ghi\u{feff}x", "U+FEFF"),
        ("abc.def\u{202e}.ghi", "U+202E"),
    ] {
        let out = build(
            &KubeconfigForm {
                token: token.into(),
                user_name: "sa".into(),
                ..form()
            },
            NOW,
        );
        assert_eq!(fields(&out.errors), vec![Field::Token], "{token:?}");
        assert!(
            out.errors[0].message.contains(fragment),
            "{token:?}: {}",
            out.errors[0].message
        );
        assert!(out.yaml.is_none());
        assert!(out.kubectl_script.is_empty());
        assert!(out.curl_command.is_empty());
    }
}

#[test]
fn ca_rules() {
    let garbage = build(
        &KubeconfigForm {
            ca: "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&garbage.errors), vec![Field::Ca]);
    assert!(garbage.errors[0].message.starts_with("CA certificate: "));
    assert!(garbage.yaml.is_none());

    let expired = build(
        &KubeconfigForm {
            ca: vector("minted/expired-ca.crt"),
            ..form()
        },
        NOW,
    );
    assert!(expired.errors.is_empty());
    assert!(expired.warnings.iter().any(|w| w.field == Field::Ca));

    let none = build(
        &KubeconfigForm {
            ca: String::new(),
            ..form()
        },
        NOW,
    );
    assert!(none.errors.is_empty());
    assert_eq!(fields(&none.warnings), vec![Field::Ca]);
}

#[test]
fn namespace_rules() {
    let bad = build(
        &KubeconfigForm {
            namespace: "Prod_NS".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&bad.errors), vec![Field::Namespace]);
    let other = build(
        &KubeconfigForm {
            namespace: "other".into(),
            ..form()
        },
        NOW,
    );
    assert!(other.errors.is_empty());
    assert_eq!(fields(&other.warnings), vec![Field::Namespace]);
}

/// A namespace is a DNS label: a look-alike of `kube-system` is refused with the letter named,
/// and an empty one writes no `namespace` key at all (never `namespace: ""`).
#[test]
fn namespace_look_alikes_are_refused_and_empty_is_left_out() {
    let bad = build(
        &KubeconfigForm {
            namespace: "\u{43a}ube-system".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&bad.errors), vec![Field::Namespace]);
    assert!(bad.errors[0]
        .message
        .contains("U+043A, the Cyrillic letter drawn like Latin 'k'"));
    let none = KubeconfigForm {
        namespace: String::new(),
        token: "abc.def".into(),
        user_name: "ci".into(),
        ..form()
    };
    let out = build(&none, NOW);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(!out.yaml.unwrap().contains("namespace:"));
    assert!(!out.kubectl_script.contains("--namespace"));
}

/// Cluster, user and context names are free text to kubectl, so a look-alike letter is not an
/// error, but one that mixes scripts is named beside its field.
#[test]
fn names_that_mix_scripts_are_warned_about() {
    let out = build(
        &KubeconfigForm {
            cluster_name: "pr\u{43e}d".into(),
            user_name: "\u{3b1}dmin".into(),
            context_name: "\u{418}\u{432}\u{430}\u{43d}".into(),
            ..form()
        },
        NOW,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let mixed: Vec<&str> = out
        .warnings
        .iter()
        .filter(|w| w.message.contains("mixes Latin letters with"))
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(mixed.len(), 2, "{mixed:?}");
    assert!(
        mixed[0].starts_with("Cluster name \"pr\u{43e}d\""),
        "{}",
        mixed[0]
    );
    assert!(mixed[0].contains("U+043E") && mixed[0].contains("\"prod\""));
    assert!(mixed[1].contains("U+03B1, the Greek letter drawn like Latin 'a'"));
}

#[test]
fn tls_server_name_is_written_and_used_by_curl() {
    let out = build(
        &KubeconfigForm {
            tls_server_name: "kubernetes.default.svc".into(),
            ..form()
        },
        NOW,
    );
    let doc = parsed(&KubeconfigForm {
        tls_server_name: "kubernetes.default.svc".into(),
        ..form()
    });
    assert_eq!(
        doc["clusters"][0]["cluster"]["tls-server-name"],
        "kubernetes.default.svc"
    );
    assert!(out
        .curl_command
        .contains("--connect-to kubernetes.default.svc:6443:203.0.113.10:6443 "));
    assert!(out
        .kubectl_script
        .contains("--tls-server-name=kubernetes.default.svc"));
    let bad = build(
        &KubeconfigForm {
            tls_server_name: "https://x".into(),
            ..form()
        },
        NOW,
    );
    assert_eq!(fields(&bad.errors), vec![Field::TlsServerName]);
}

#[test]
fn file_names_are_safe() {
    for (cluster, expected) in [
        ("prod", "prod-kubeconfig.yaml"),
        ("My Cluster!", "My-Cluster-kubeconfig.yaml"),
        ("../../etc/passwd", "etc-passwd-kubeconfig.yaml"),
        ("-rf", "rf-kubeconfig.yaml"),
        (".hidden", "hidden-kubeconfig.yaml"),
        ("", "kubeconfig.yaml"),
        ("日本", "kubeconfig.yaml"),
        ("a/b\\c:d", "a-b-c-d-kubeconfig.yaml"),
    ] {
        assert_eq!(file_name(cluster), expected, "{cluster:?}");
    }
    let long = file_name(&"x".repeat(500));
    assert!(long.len() < 100);
}

#[test]
fn commands_quote_what_they_contain() {
    let out = build(
        &KubeconfigForm {
            cluster_name: "it's prod".into(),
            user_name: "sa $(rm -rf ~)".into(),
            ..form()
        },
        NOW,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out
        .kubectl_script
        .contains("kubectl config set-cluster 'it'\\''s prod'"));
    assert!(out.kubectl_script.contains("'sa $(rm -rf ~)'"));
    // --globoff: curl must not read [] or {} in the URL as lists of URLs.
    assert!(out
        .curl_command
        .starts_with("curl --globoff --cacert it-s-prod-ca.crt -H "));
    assert!(out.curl_command.ends_with(" https://203.0.113.10:6443/api"));
    assert_eq!(
        out.can_i_command,
        "kubectl --kubeconfig it-s-prod-kubeconfig.yaml auth can-i --list"
    );
    let status = Command::new("bash")
        .args(["-n", "-c", &out.kubectl_script])
        .status()
        .unwrap();
    assert!(status.success(), "bash -n rejects:\n{}", out.kubectl_script);
}

#[test]
fn errors_withhold_every_output() {
    let out = build(&KubeconfigForm::default(), NOW);
    assert!(out.yaml.is_none());
    assert!(out.kubectl_script.is_empty());
    assert!(out.curl_command.is_empty());
    let got = fields(&out.errors);
    for field in [
        Field::ClusterName,
        Field::Server,
        Field::UserName,
        Field::Token,
    ] {
        assert!(got.contains(&field), "{field:?} in {got:?}");
    }
}

#[test]
fn build_then_load_gives_the_form_back() {
    let mut original = form();
    original.tls_server_name = "kubernetes.default.svc".into();
    let out = build(&original, NOW);
    let loaded = load(out.yaml.as_deref().unwrap(), None).unwrap();
    assert_eq!(loaded.form, out.written);
    assert_eq!(loaded.contexts, vec![out.written.context_name.clone()]);
}

#[test]
fn loads_the_minted_kubeconfig_vector() {
    let text = vector("minted/kubeconfig.yaml");
    let loaded = load(&text, None).unwrap();
    assert!(!loaded.contexts.is_empty());
    assert!(loaded.contexts.contains(&loaded.context));
    assert!(!loaded.form.server.is_empty());
    assert!(!loaded.form.token.is_empty());
    // Every context can be chosen, and an unknown one is an error naming the choices.
    for name in &loaded.contexts {
        assert_eq!(&load(&text, Some(name)).unwrap().context, name);
    }
    match load(&text, Some("nope")) {
        Err(LoadError::UnknownContext { available, .. }) => {
            assert_eq!(available, loaded.contexts)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn load_errors_say_what_was_pasted() {
    assert_eq!(load("  \n", None), Err(LoadError::Empty));
    assert!(matches!(load("a: [", None), Err(LoadError::Parse(_))));
    // The YAML error asks for a kubeconfig, not for a Secret.
    let said = load("a: [", None).unwrap_err().to_string();
    assert!(
        said.starts_with("This looks like YAML but does not parse: "),
        "{said}"
    );
    assert!(
        said.ends_with("Paste the whole kubeconfig (`kubectl config view --raw --minify`)."),
        "{said}"
    );
    assert!(!said.contains("Secret"), "{said}");
    assert_eq!(
        load(&vector("minted/secret.yaml"), None),
        Err(LoadError::NotKubeconfig {
            kind: Some("Secret".into())
        })
    );
    assert_eq!(
        load("apiVersion: v1\nkind: Config\nclusters: []\n", None),
        Err(LoadError::NoContexts)
    );
    let big = "a".repeat(2 * 1024 * 1024);
    assert!(matches!(load(&big, None), Err(LoadError::TooLarge { .. })));
    for e in [LoadError::Empty, LoadError::NoContexts] {
        assert!(e.to_string().ends_with('.'));
    }
}

/// kubectl's own `config set-*` writes the same document for the same values.
#[test]
fn same_as_kubectl_config() {
    if !common::tool(&["kubectl", "version", "--client"]) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("tokenscope-kc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = build(
        &KubeconfigForm {
            cluster_name: "no".into(),
            namespace: "0123".into(),
            ..form()
        },
        NOW,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let status = Command::new("bash")
        .arg("-c")
        .arg(&out.kubectl_script)
        .current_dir(&dir)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let theirs = std::fs::read_to_string(dir.join(&out.file_name)).unwrap();
    let ours = out.yaml.unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        yaml::parse_documents(&theirs).unwrap(),
        yaml::parse_documents(&ours).unwrap(),
        "kubectl wrote:\n{theirs}\nwe wrote:\n{ours}"
    );
    assert_eq!(theirs, ours, "same values, different layout");
}
