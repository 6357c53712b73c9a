//! The token-request builder: durations as kubectl and the API server read them, every field's
//! rules, the TokenRequest, curl and Pod read back, and the claims preview for each kind of
//! binding. What kubectl itself makes of the outputs is `token_request_kubectl.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

use serde_json::{json, Value};
use tokenscope::formats::yaml;
use tokenscope::inspect::explain;
use tokenscope::token::claims::{self, Binding, Kind};
use tokenscope::token_request::duration::{self, DurationError};
use tokenscope::token_request::{
    self, manifests, preview, BoundKind, BoundObject, Field, TokenForm, TokenOutput,
};

const NOW: i64 = 1_700_000_000;
const SECOND: i64 = 1_000_000_000;
const UID: &str = "0d4691ed-659b-4935-a832-355f77ee47cc";

fn form() -> TokenForm {
    TokenForm {
        service_account: "app".into(),
        namespace: "demo".into(),
        ..TokenForm::default()
    }
}

fn bound(kind: BoundKind, name: &str, uid: Option<&str>) -> Option<BoundObject> {
    Some(BoundObject {
        kind,
        name: name.into(),
        uid: uid.map(str::to_string),
    })
}

fn build_ok(form: &TokenForm) -> TokenOutput {
    let out = token_request::build(form, NOW);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out
}

fn messages(problems: &[token_request::Problem], field: Field) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| p.message.clone())
        .collect()
}

#[test]
fn durations_read_as_go_reads_them() {
    let ok: &[(&str, i64)] = &[
        ("0", 0),
        ("-0", 0),
        ("+0", 0),
        ("10m", 600 * SECOND),
        ("1h", 3600 * SECOND),
        ("8760h", 8760 * 3600 * SECOND),
        ("1h30m", 5400 * SECOND),
        ("90s", 90 * SECOND),
        ("1.5h", 5400 * SECOND),
        (".5h", 1800 * SECOND),
        ("1.h", 3600 * SECOND),
        ("+1h", 3600 * SECOND),
        ("-1h", -3600 * SECOND),
        ("1h1h", 7200 * SECOND),
        ("100ms", 100_000_000),
        ("1us", 1_000),
        ("1\u{b5}s", 1_000),
        ("1\u{3bc}s", 1_000),
        ("1ns", 1),
        ("0.000000001s", 1),
        ("0.0000000009s", 0),
        ("1.00000000000000000001s", SECOND),
        ("0.5000000000000000000000000000001h", 1800 * SECOND),
        ("9223372036854775807ns", i64::MAX),
        ("-9223372036854775808ns", i64::MIN),
        ("2562047h47m16.854775807s", i64::MAX),
    ];
    for (text, nanos) in ok {
        assert_eq!(duration::parse_go(text), Ok(*nanos), "{text:?}");
    }
    let bad: &[(&str, DurationError)] = &[
        ("", DurationError::Invalid { at: 1 }),
        ("-", DurationError::Invalid { at: 2 }),
        ("h", DurationError::Invalid { at: 1 }),
        (".h", DurationError::Invalid { at: 2 }),
        ("1", DurationError::MissingUnit { at: 1 }),
        ("10", DurationError::MissingUnit { at: 2 }),
        ("1h30", DurationError::MissingUnit { at: 4 }),
        (
            "1h-",
            DurationError::UnknownUnit {
                unit: "h-".into(),
                at: 2,
            },
        ),
        (" 1h", DurationError::Invalid { at: 1 }),
        (
            "1d",
            DurationError::UnknownUnit {
                unit: "d".into(),
                at: 2,
            },
        ),
        (
            "2w",
            DurationError::UnknownUnit {
                unit: "w".into(),
                at: 2,
            },
        ),
        (
            "1 h",
            DurationError::UnknownUnit {
                unit: " h".into(),
                at: 2,
            },
        ),
        ("9223372036854775808ns", DurationError::Overflow),
        ("2562048h", DurationError::Overflow),
        ("99999999999999999999h", DurationError::Overflow),
        ("2562047h47m16.854775808s", DurationError::Overflow),
    ];
    for (text, error) in bad {
        assert_eq!(duration::parse_go(text).as_ref(), Err(error), "{text:?}");
    }
    assert_eq!(
        duration::parse_go(&"1".repeat(101)),
        Err(DurationError::TooLong { bytes: 101 })
    );
}

#[test]
fn token_durations_have_kubectls_and_the_api_servers_bounds() {
    let cases: &[(&str, Result<Option<u64>, DurationError>)] = &[
        ("", Ok(None)),
        ("   ", Ok(None)),
        ("0", Ok(None)),
        ("0s", Ok(None)),
        ("10m", Ok(Some(600))),
        (" 1h ", Ok(Some(3600))),
        ("8760h", Ok(Some(31_536_000))),
        ("1h30m", Ok(Some(5400))),
        ("600s", Ok(Some(600))),
        ("1193046h28m16s", Ok(Some(1 << 32))),
        ("599s", Err(DurationError::TooShort { seconds: 599 })),
        ("9m59s", Err(DurationError::TooShort { seconds: 599 })),
        ("90s", Err(DurationError::TooShort { seconds: 90 })),
        (
            "1193046h28m17s",
            Err(DurationError::TooLarge {
                seconds: (1 << 32) + 1,
            }),
        ),
        ("-1h", Err(DurationError::Negative)),
        ("10m0.5s", Err(DurationError::SubSecond)),
        ("1h1ns", Err(DurationError::SubSecond)),
        ("2562048h", Err(DurationError::Overflow)),
    ];
    for (text, expected) in cases {
        assert_eq!(&duration::token_seconds(text), expected, "{text:?}");
    }
    assert_eq!(duration::go_form(600), "10m0s");
    assert_eq!(duration::go_form(3600), "1h0m0s");
    assert_eq!(duration::go_form(5401), "1h30m1s");
    assert_eq!(duration::go_form(59), "59s");
}

#[test]
fn hostile_durations_never_panic() {
    let pieces = [
        "",
        "-",
        "+",
        ".",
        "0",
        "9",
        "h",
        "m",
        "s",
        "ms",
        "\u{b5}",
        "\u{3bc}",
        "é",
        "\u{202e}",
        "\n",
        "99999999999999999999",
        ".99999999999999999999999",
    ];
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let text = format!("{a}{b}{c}");
                let _ = duration::parse_go(&text);
                let _ = duration::token_seconds(&text);
            }
        }
    }
    let long = format!("{}s", "9".repeat(1_000_000));
    assert!(matches!(
        duration::token_seconds(&long),
        Err(DurationError::TooLong { .. })
    ));
}

#[test]
fn duration_messages_say_what_to_do() {
    let check = |text: &str, needles: &[&str]| {
        let out = token_request::build(
            &TokenForm {
                duration: text.into(),
                ..form()
            },
            NOW,
        );
        let found = messages(&out.errors, Field::Duration);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        for needle in needles {
            assert!(found[0].contains(needle), "{text:?}: {:?}", found[0]);
        }
    };
    check("5m", &["10 minutes", "10m or more"]);
    check("1d", &["\"d\"", "24h"]);
    check("90", &["without a unit"]);
    check("-1h", &["greater than or equal to 0"]);
    check("10m0.5s", &["less than seconds"]);
    check("200000000h", &["2^32"]);
}

#[test]
fn lifetime_notes_name_the_api_servers_cap_and_extension() {
    let out = build_ok(&form());
    let notes = messages(&out.notes, Field::Duration).join(" ");
    assert!(notes.contains("the default, 1 hour"), "{notes}");
    assert!(notes.contains("--service-account-max-token-expiration"));
    assert!(notes.contains("--service-account-extend-token-expiration"));
    assert!(notes.contains("3607"));
    let long = build_ok(&TokenForm {
        duration: "8760h".into(),
        ..form()
    });
    assert!(messages(&long.warnings, Field::Duration)[0].contains("1 year"));
    let extended = build_ok(&TokenForm {
        duration: "3607s".into(),
        bound: bound(BoundKind::Pod, "web", None),
        ..form()
    });
    let notes = messages(&extended.notes, Field::Duration).join(" ");
    assert!(notes.contains("valid for a year"), "{notes}");
}

#[test]
fn token_request_reads_back() {
    let out = build_ok(&TokenForm {
        duration: "1h30m".into(),
        audiences: "vault\n https://kubernetes.default.svc \n\nvault".into(),
        bound: bound(BoundKind::Secret, "app-token", Some(UID)),
        ..form()
    });
    let request: Value = serde_json::from_str(&out.request_json).unwrap();
    assert_eq!(
        request,
        json!({
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenRequest",
            "spec": {
                "audiences": ["vault", "https://kubernetes.default.svc"],
                "expirationSeconds": 5400,
                "boundObjectRef": {"kind": "Secret", "apiVersion": "v1", "name": "app-token", "uid": UID},
            },
        })
    );
    assert!(out.request_json.ends_with("}\n"));
    assert_eq!(out.request_file_name, "app-tokenrequest.json");
    let plain = build_ok(&form());
    let request: Value = serde_json::from_str(&plain.request_json).unwrap();
    assert_eq!(request["spec"], json!({"audiences": []}));
}

#[test]
fn curl_posts_the_saved_request() {
    let out = build_ok(&TokenForm {
        server: "https://203.0.113.10:6443/".into(),
        ..form()
    });
    assert_eq!(
        out.request_curl,
        "curl --globoff --cacert ca.crt -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: \
         application/json' --data-binary @app-tokenrequest.json \
         https://203.0.113.10:6443/api/v1/namespaces/demo/serviceaccounts/app/token"
    );
    let no_server = build_ok(&TokenForm {
        ca_file: "my ca.crt".into(),
        ..form()
    });
    assert!(no_server.request_curl.contains("--cacert 'my ca.crt' "));
    assert!(no_server
        .request_curl
        .ends_with(" \"$APISERVER/api/v1/namespaces/demo/serviceaccounts/app/token\""));
    for command in [
        &out.request_curl,
        &no_server.request_curl,
        &out.kubectl_command,
    ] {
        let check = Command::new("bash").args(["-n", "-c", command]).output();
        if let Ok(check) = check {
            assert!(check.status.success(), "{command}");
        }
    }
}

#[test]
fn pod_manifest_reads_back() {
    let out = build_ok(&TokenForm {
        duration: "10m".into(),
        audiences: "vault".into(),
        mount_path: "/var/run/secrets/vault/".into(),
        token_path: "vault-token".into(),
        ..form()
    });
    let docs = yaml::parse_documents(&out.pod_yaml).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0], manifests::pod_value(&out.written));
    let pod = &docs[0];
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["metadata"], json!({"name": "app", "namespace": "demo"}));
    assert_eq!(pod["spec"]["serviceAccountName"], "app");
    assert_eq!(pod["spec"]["automountServiceAccountToken"], false);
    assert_eq!(
        pod["spec"]["containers"][0]["volumeMounts"][0],
        json!({"name": "token", "mountPath": "/var/run/secrets/vault", "readOnly": true})
    );
    assert_eq!(
        pod["spec"]["volumes"][0],
        json!({"name": "token", "projected": {"sources": [
            {"serviceAccountToken": {
                "audience": "vault", "expirationSeconds": 600, "path": "vault-token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace",
                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
        ]}})
    );
    assert_eq!(out.pod_file_name, "app-pod.yaml");
    assert_eq!(
        manifests::token_file(&out.written),
        "/var/run/secrets/vault/vault-token"
    );
    // Defaults: the API server's audience and 1 hour, so neither is written.
    let plain = build_ok(&TokenForm {
        automount: true,
        ..form()
    });
    let pod = &yaml::parse_documents(&plain.pod_yaml).unwrap()[0];
    assert_eq!(pod["spec"]["automountServiceAccountToken"], true);
    assert_eq!(
        pod["spec"]["volumes"][0]["projected"]["sources"][0]["serviceAccountToken"],
        json!({"path": "token"})
    );
}

#[test]
fn preview_claims_for_each_binding() {
    let cases = [
        (None, Binding::Unbound),
        (bound(BoundKind::Pod, "web", Some(UID)), Binding::Pod),
        (bound(BoundKind::Secret, "app-token", None), Binding::Secret),
        (bound(BoundKind::Node, "node-1", Some(UID)), Binding::Node),
    ];
    for (object, binding) in cases {
        let out = build_ok(&TokenForm {
            duration: "10m".into(),
            issuer: "https://kubernetes.default.svc.cluster.local".into(),
            bound: object.clone(),
            ..form()
        });
        let preview = out.preview.unwrap();
        assert_eq!(preview.notice, preview::NOTICE);
        assert!(preview.jwt.signature.is_empty() && preview.jwt.signature_b64.is_empty());
        assert_eq!(preview.jwt.kid(), Some(preview::PREVIEW_KID));
        let p = Value::Object(preview.jwt.payload.clone());
        let keys: Vec<&String> = preview.jwt.payload.keys().collect();
        assert_eq!(
            keys,
            [
                "aud",
                "exp",
                "iat",
                "iss",
                "jti",
                "kubernetes.io",
                "nbf",
                "sub"
            ]
        );
        assert_eq!(p["iss"], "https://kubernetes.default.svc.cluster.local");
        assert_eq!(
            p["aud"],
            json!(["https://kubernetes.default.svc.cluster.local"])
        );
        assert_eq!(p["sub"], "system:serviceaccount:demo:app");
        assert_eq!(p["iat"], NOW);
        assert_eq!(p["nbf"], NOW);
        assert_eq!(p["exp"], NOW + 600);
        let k8s = &p["kubernetes.io"];
        assert_eq!(k8s["namespace"], "demo");
        assert_eq!(k8s["serviceaccount"]["name"], "app");
        assert!(k8s.get("warnafter").is_none());
        if let Some(b) = &object {
            assert_eq!(k8s[b.kind.claim()]["name"], b.name.as_str());
            let uid = k8s[b.kind.claim()]["uid"].as_str().unwrap();
            match &b.uid {
                Some(given) => assert_eq!(uid, given),
                None => assert!(uid.starts_with('<'), "{uid}"),
            }
        }
        let inner: Vec<&String> = k8s.as_object().unwrap().keys().collect();
        let mut sorted = inner.clone();
        sorted.sort();
        assert_eq!(inner, sorted, "keys in the API server's order");
        // The inspector reads it as the token it previews.
        let sa = claims::read(&preview.jwt.payload);
        assert_eq!(sa.kind, Kind::Bound(binding));
        let report = explain::explain(&preview.jwt, NOW);
        assert!(report.kind.text.starts_with("Bound"), "{:?}", report.kind);
        assert_eq!(
            report.identity.unwrap().username,
            "system:serviceaccount:demo:app"
        );
        assert_eq!(report.lifetime.as_deref(), Some("10 minutes"));
        // As the page shows it: marked as a preview, with no talk of checking a signature.
        let shown = preview.report(NOW);
        assert_eq!(shown.findings[0].title, preview::PREVIEW_TITLE);
        assert_eq!(shown.findings[0].why, preview::NOTICE);
        assert!(shown
            .findings
            .iter()
            .all(|f| !f.title.contains("Signature not checked")));
        assert_eq!(shown.claims, report.claims);
    }
}

#[test]
fn preview_of_a_pod_token_names_its_node_and_extends_3607_seconds() {
    let out = build_ok(&TokenForm {
        duration: "3607s".into(),
        bound: bound(BoundKind::Pod, "web", None),
        ..form()
    });
    let p = Value::Object(out.preview.unwrap().jwt.payload);
    let k8s = &p["kubernetes.io"];
    assert!(k8s["node"]["name"].as_str().unwrap().starts_with('<'));
    assert_eq!(k8s["pod"]["name"], "web");
    assert_eq!(k8s["warnafter"], NOW + 3607);
    assert_eq!(p["exp"], NOW + 365 * 24 * 3600);
    assert!(p["iss"].as_str().unwrap().starts_with('<'));
    assert!(p["aud"][0].as_str().unwrap().starts_with('<'));
    // Another audience, or another lifetime, is not extended.
    for form in [
        TokenForm {
            duration: "3607s".into(),
            audiences: "vault".into(),
            bound: bound(BoundKind::Pod, "web", None),
            ..form()
        },
        TokenForm {
            duration: "3608s".into(),
            bound: bound(BoundKind::Pod, "web", None),
            ..form()
        },
        TokenForm {
            duration: "3607s".into(),
            bound: bound(BoundKind::Secret, "s", None),
            ..form()
        },
    ] {
        let out = build_ok(&form);
        let p = Value::Object(out.preview.unwrap().jwt.payload);
        assert!(p["kubernetes.io"].get("warnafter").is_none(), "{form:?}");
        assert_ne!(p["exp"], NOW + 365 * 24 * 3600);
    }
    // Without a duration the API server's default, 1 hour.
    let p = build_ok(&form()).preview.unwrap().jwt.payload;
    assert_eq!(p["exp"], NOW + 3600);
}

#[test]
fn audiences_warn_when_the_api_server_is_not_among_them() {
    let issuer = "https://kubernetes.default.svc.cluster.local";
    let warn = |audiences: &str, issuer: &str| {
        let out = build_ok(&TokenForm {
            audiences: audiences.into(),
            issuer: issuer.into(),
            ..form()
        });
        messages(&out.warnings, Field::Audiences)
    };
    assert!(warn("", "").is_empty());
    assert!(warn("", issuer).is_empty());
    assert!(warn(issuer, issuer).is_empty());
    assert!(warn("vault", issuer)[0].contains("will not work against the cluster"));
    assert!(warn("vault", "")[0].contains("Unless one of these audiences"));
    let two = warn(&format!("{issuer}\nvault"), issuer);
    assert_eq!(two.len(), 1);
    assert!(two[0].contains("projected volume takes one audience"));
}

/// kubectl's `--audience` is a string array: each value is taken whole, commas and all
/// (`kubectl create token --help` says "--audience stringArray … May be repeated"). So the form
/// takes one audience per line, never splits one at a comma, and repeats `--audience` per line.
#[test]
fn audiences_are_taken_whole_one_per_line() {
    let issuer = "https://kubernetes.default.svc.cluster.local";
    let out = build_ok(&TokenForm {
        audiences: format!("vault,https://vault.example.com\n{issuer}\n"),
        issuer: issuer.into(),
        ..form()
    });
    assert_eq!(
        out.written.audiences,
        ["vault,https://vault.example.com", issuer]
    );
    assert_eq!(
        out.kubectl_command,
        format!(
            "kubectl create token app --namespace=demo \
             --audience=vault,https://vault.example.com --audience={issuer}"
        )
    );
    let request: Value = serde_json::from_str(&out.request_json).unwrap();
    assert_eq!(
        request["spec"]["audiences"],
        json!(["vault,https://vault.example.com", issuer])
    );
    let warned = messages(&out.warnings, Field::Audiences).join(" ");
    assert!(warned.contains("has a comma or a space in it"), "{warned}");
    assert!(warned.contains("put each on its own line"), "{warned}");
    // A space inside a line is part of the audience too, and said so.
    let spaced = build_ok(&TokenForm {
        audiences: "vault api".into(),
        ..form()
    });
    assert_eq!(spaced.written.audiences, ["vault api"]);
    assert!(spaced.kubectl_command.ends_with(" --audience='vault api'"));
    assert_eq!(
        token_request::split_audiences("a, b\r\n\n c \na, b"),
        ["a, b", "c"]
    );
}

/// An empty namespace is an error, never `namespace: ""` or `--namespace=''`, which would land
/// in whatever namespace the admin's context uses; a look-alike is refused with its letter.
#[test]
fn namespaces_are_never_empty_or_look_alikes() {
    for empty in ["", "  "] {
        let out = token_request::build(
            &TokenForm {
                namespace: empty.into(),
                ..form()
            },
            NOW,
        );
        assert!(messages(&out.errors, Field::Namespace)[0].starts_with("Namespace is empty"));
        assert!(out.kubectl_command.is_empty() && out.pod_yaml.is_empty());
    }
    let out = token_request::build(
        &TokenForm {
            namespace: "\u{43a}ube-system".into(),
            ..form()
        },
        NOW,
    );
    let message = &messages(&out.errors, Field::Namespace)[0];
    assert!(
        message.contains("U+043A, the Cyrillic letter drawn like Latin 'k'"),
        "{message}"
    );
}

/// An audience that mixes Latin letters with Cyrillic or Greek look-alikes reads as another
/// one: `vаult` with a Cyrillic `а` is not `vault`.
#[test]
fn audiences_with_look_alike_letters_are_named() {
    let out = build_ok(&TokenForm {
        audiences: "v\u{430}ult".into(),
        ..form()
    });
    let warned = messages(&out.warnings, Field::Audiences).join(" ");
    assert!(warned.contains("U+0430"), "{warned}");
    assert!(warned.contains("Cyrillic"), "{warned}");
    assert!(warned.contains("\"vault\""), "{warned}");
    let out = build_ok(&TokenForm {
        issuer: "https://kubernetes.default.sv\u{441}".into(),
        ..form()
    });
    let warned = messages(&out.warnings, Field::Issuer).join(" ");
    assert!(warned.contains("U+0441"), "{warned}");
}

/// The documented way to call the API from a Pod (kubernetes.io, "Accessing the Kubernetes API
/// from a Pod") reads `namespace`, `token` and `ca.crt` from the service-account directory and
/// passes `--cacert`. The Pod written here gives the same three files at its mount path, as the
/// default token volume does, and its image has the tools that the curl shown with it runs.
#[test]
fn the_pod_runs_the_documented_curl() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real/docs-examples/k8s-docs-access-api-from-pod.sh"
    ))
    .unwrap();
    let files: Vec<&str> = doc
        .split("${SERVICEACCOUNT}/")
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(files, ["namespace", "token", "ca.crt"]);
    assert!(doc.contains("curl --cacert ${CACERT}"));
    let out = build_ok(&form());
    let pod = &yaml::parse_documents(&out.pod_yaml).unwrap()[0];
    let sources = pod["spec"]["volumes"][0]["projected"]["sources"]
        .as_array()
        .unwrap();
    let mut provided: Vec<&str> = Vec::new();
    for source in sources {
        if let Some(token) = source.get("serviceAccountToken") {
            provided.push(token["path"].as_str().unwrap());
        }
        if let Some(map) = source.get("configMap") {
            assert_eq!(map["name"], "kube-root-ca.crt");
            provided.extend(
                map["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["path"].as_str().unwrap()),
            );
        }
        if let Some(api) = source.get("downwardAPI") {
            for item in api["items"].as_array().unwrap() {
                assert_eq!(item["fieldRef"]["fieldPath"], "metadata.namespace");
                provided.push(item["path"].as_str().unwrap());
            }
        }
    }
    for file in files {
        assert!(provided.contains(&file), "{file} is not in {provided:?}");
    }
    // The image has curl and a shell, and stays up for `kubectl exec`.
    let container = &pod["spec"]["containers"][0];
    assert!(container["image"]
        .as_str()
        .unwrap()
        .starts_with("curlimages/curl:"));
    assert_eq!(container["command"], json!(["sleep", "3600"]));
    assert_eq!(
        out.pod_curl,
        "kubectl exec app --namespace=demo -- sh -c 'curl --cacert \
         /var/run/secrets/tokens/ca.crt -H \"Authorization: Bearer $(cat \
         /var/run/secrets/tokens/token)\" https://kubernetes.default.svc/api'"
    );
    // An image of the user's own runs as it is.
    let own = build_ok(&TokenForm {
        image: "registry.example.com/app:1.0".into(),
        ..form()
    });
    let pod = &yaml::parse_documents(&own.pod_yaml).unwrap()[0];
    assert!(pod["spec"]["containers"][0].get("command").is_none());
    // A token file cannot take the CA's or the namespace's place.
    for path in ["ca.crt", "namespace"] {
        let out = token_request::build(
            &TokenForm {
                token_path: path.into(),
                ..form()
            },
            NOW,
        );
        assert!(messages(&out.errors, Field::TokenPath)[0]
            .contains("cannot be `ca.crt` or `namespace`"));
    }
}

/// The pod's curl runs in bash as one `sh -c` script whose words are exactly the paths, even
/// when the mount path has spaces and quotes.
#[test]
fn the_pod_curl_quotes_its_paths() {
    let out = build_ok(&TokenForm {
        mount_path: "/var/run/it's here".into(),
        ..form()
    });
    let Ok(run) = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "kubectl() {{ shift 4; printf '%s\\0' \"$@\"; }}; {}",
                out.pod_curl
            ),
        ])
        .output()
    else {
        return;
    };
    let args: Vec<&[u8]> = run.stdout.split(|b| *b == 0).collect();
    assert_eq!(args[0], b"sh");
    assert_eq!(args[1], b"-c");
    let inner = String::from_utf8(args[2].to_vec()).unwrap();
    assert!(
        inner.starts_with("curl --cacert '/var/run/it'\\''s here/ca.crt' "),
        "{inner}"
    );
    assert!(
        inner.contains("$(cat '/var/run/it'\\''s here/token')"),
        "{inner}"
    );
}

#[test]
fn fields_are_checked_where_they_are() {
    let errors = |form: TokenForm| token_request::build(&form, NOW).errors;
    let first = |form: TokenForm, field: Field| {
        let errors = errors(form);
        let found = messages(&errors, field);
        assert!(!found.is_empty(), "no error at {field}: {errors:?}");
        found[0].clone()
    };
    let empty = errors(TokenForm::default());
    assert_eq!(
        empty.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::ServiceAccount, Field::Namespace]
    );
    let out = token_request::build(&TokenForm::default(), NOW);
    assert!(out.kubectl_command.is_empty() && out.pod_yaml.is_empty());
    assert!(out.preview.is_none() && out.request_file_name.is_empty());
    assert!(first(
        TokenForm {
            service_account: "App".into(),
            ..form()
        },
        Field::ServiceAccount
    )
    .contains("lower-case"));
    assert!(first(
        TokenForm {
            namespace: "a.b".into(),
            ..form()
        },
        Field::Namespace
    )
    .contains("namespace name"));
    assert!(first(
        TokenForm {
            bound: bound(BoundKind::Pod, " ", None),
            ..form()
        },
        Field::BoundName
    )
    .contains("--bound-object-name"));
    assert!(first(
        TokenForm {
            bound: bound(BoundKind::Secret, "s", Some("a b")),
            ..form()
        },
        Field::BoundUid
    )
    .contains("white space"));
    let odd_uid = build_ok(&TokenForm {
        bound: bound(BoundKind::Secret, "s", Some("not-a-uid")),
        ..form()
    });
    assert!(messages(&odd_uid.warnings, Field::BoundUid)[0].contains("8-4-4-4-12"));
    assert!(first(
        TokenForm {
            mount_path: "tokens".into(),
            ..form()
        },
        Field::MountPath
    )
    .contains("relative"));
    assert!(first(
        TokenForm {
            automount: true,
            mount_path: token_request::DEFAULT_TOKEN_DIR.into(),
            ..form()
        },
        Field::MountPath
    )
    .contains("two volumes"));
    assert!(first(
        TokenForm {
            token_path: "../token".into(),
            ..form()
        },
        Field::TokenPath
    )
    .contains(".."));
    assert!(first(
        TokenForm {
            audiences: "vault\u{202e}".into(),
            ..form()
        },
        Field::Audiences
    )
    .contains("U+202E"));
    assert!(first(
        TokenForm {
            server: "ftp://x".into(),
            ..form()
        },
        Field::Server
    )
    .contains("https://"));
    assert!(first(
        TokenForm {
            image: "a b".into(),
            ..form()
        },
        Field::Image
    )
    .contains("one word"));
    let huge = "x".repeat(1 << 20);
    let out = token_request::build(
        &TokenForm {
            audiences: huge.clone(),
            bound: bound(BoundKind::Pod, &huge, None),
            ..form()
        },
        NOW,
    );
    assert_eq!(
        out.errors.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::Audiences, Field::BoundName]
    );
    assert!(out.errors[0].message.len() < 200);
    // The default pod name is the account's; a Node note names kubectl's switch.
    let node = build_ok(&TokenForm {
        bound: bound(BoundKind::Node, "node-1", None),
        ..form()
    });
    assert_eq!(node.written.pod_name, "app");
    assert!(messages(&node.notes, Field::BoundName)[0].contains("KUBECTL_NODE_BOUND_TOKENS"));
}
