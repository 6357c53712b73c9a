//! Recognising pasted input: every form a token arrives in, read from the test vectors.
//!
//! Data-driven through [`check`]: an input and the exact [`Recognised`] (or error) expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::{b64std, token, vector};
use tokenscope::inspect::input::{self, Candidate, Form};
use tokenscope::support::error::{InputError, InspectError, TokenError};
use tokenscope::token::jwt::{self, MAX_INPUT_BYTES};

/// What a successful recognition must give.
struct Found {
    form: Form,
    candidates: Vec<Candidate>,
    preferred: usize,
    /// One fragment per note, in order: each note must contain its fragment.
    notes: Vec<&'static str>,
}

/// Recognises `input` and compares everything with `expected`.
fn check(input: &str, expected: Result<Found, InspectError>) {
    match (input::recognise(input), expected) {
        (Ok(got), Ok(want)) => {
            assert_eq!(got.form, want.form, "form");
            assert_eq!(got.candidates, want.candidates, "candidates");
            assert_eq!(got.preferred, want.preferred, "preferred");
            assert_eq!(got.notes.len(), want.notes.len(), "notes: {:?}", got.notes);
            for (note, fragment) in got.notes.iter().zip(&want.notes) {
                assert!(note.why.contains(fragment), "{note:?} lacks {fragment:?}");
            }
            assert!(got.preferred < got.candidates.len());
            for c in &got.candidates {
                assert!(!c.token.chars().any(char::is_whitespace), "{:?}", c.token);
            }
        }
        (Err(got), Err(want)) => assert_eq!(got, want),
        (got, want) => panic!(
            "expected {:?}, got {got:?}",
            want.map(|w| (w.form, w.candidates))
        ),
    }
}

/// A candidate with only a label and a token.
fn plain(label: &str, token: &str) -> Candidate {
    Candidate {
        label: label.to_string(),
        token: token.to_string(),
        ..Candidate::default()
    }
}

fn one(form: Form, candidate: Candidate) -> Found {
    Found {
        form,
        candidates: vec![candidate],
        preferred: 0,
        notes: vec![],
    }
}

fn input_err(e: InputError) -> Result<Found, InspectError> {
    Err(InspectError::Input(e))
}

fn legacy() -> String {
    token("minted/token-legacy-rs256.jwt")
}

fn es256() -> String {
    token("minted/token-bound-es256.jwt")
}

fn ca() -> String {
    vector("minted/ca.crt")
}

/// `text` cut into lines of `width` characters, as `base64` and terminals wrap it.
fn wrap(text: &str, width: usize) -> String {
    text.as_bytes()
        .chunks(width)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn raw_jwt_with_white_space_and_line_breaks() {
    let t = legacy();
    let raw = |s: &str| Ok(one(Form::RawJwt, plain("a raw JWT", s)));
    check(&t, raw(&t));
    check(&format!("  \n\t{t} \r\n\n"), raw(&t));
    check(&wrap(&t, 64), raw(&t));
    check(&format!("\"{t}\""), raw(&t));
    check(&format!("'{}'\n", wrap(&t, 100)), raw(&t));
    // A real fixture that ends with exactly one newline.
    let teleport = vector("real/malformed/teleport-legacy-token-trailing-newline.jwt");
    assert_eq!(teleport.matches('\n').count(), 1);
    assert!(teleport.ends_with('\n'));
    check(&teleport, raw(teleport.trim_end()));
}

#[test]
fn bearer_and_authorization_header() {
    let t = legacy();
    let bearer = |s: &str| Ok(one(Form::Bearer, plain("a Bearer authorization header", s)));
    check(&format!("Bearer {t}"), bearer(&t));
    check(&format!("bearer\t{t}\n"), bearer(&t));
    check(&format!("Authorization: Bearer {t}"), bearer(&t));
    check(
        &format!("authorization:Bearer {}", wrap(&t, 80)),
        bearer(&t),
    );

    // "Bearer " + a real legacy token + "\n", from a bug report.
    let wso2 = vector("real/malformed/wso2-bearer-prefix-with-trailing-newline.txt");
    let inner = wso2.strip_prefix("Bearer ").unwrap().trim_end();
    check(&wso2, bearer(inner));
    let decoded = jwt::decode(inner).unwrap();
    assert_eq!(
        decoded.payload["kubernetes.io/serviceaccount/secret.name"],
        "build-robot-token-vptdg"
    );

    // Two spaces: still a Bearer header; the opaque "asdf" is then no JWT at all.
    let pr = vector("real/malformed/k8s-pr109558-space-prefixed-bearer-header.txt");
    assert_eq!(pr, "Bearer  asdf");
    check(&pr, bearer("asdf"));
    assert_eq!(jwt::decode("asdf"), Err(TokenError::NoDots));

    // "Bearer" glued to the token is not a prefix: keep the text as it is.
    check(
        &format!("Bearer{t}"),
        Ok(one(Form::RawJwt, plain("a raw JWT", &format!("Bearer{t}")))),
    );
}

#[test]
fn base64_of_a_token() {
    // The file is `data.token` as a Secret stores it: standard base64 of a legacy JWT
    // (kid "", default:postgres-vault), not a token itself.
    let text = vector("real/malformed/vault-workshop-jp-data-token-base64.txt");
    assert!(text.starts_with("ZXlKaGJHY2lP"));
    let found = input::recognise(&text).unwrap();
    assert_eq!(found.form, Form::Base64Token);
    assert_eq!(found.candidates.len(), 1);
    let inner = &found.candidates[0].token;
    assert_eq!(inner.len(), 870);
    assert!(inner.starts_with("eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9."));
    let decoded = jwt::decode(inner).unwrap();
    assert_eq!(decoded.kid(), Some(""));
    assert_eq!(
        decoded.payload["sub"],
        "system:serviceaccount:default:postgres-vault"
    );
    assert_eq!(decoded.signature.len(), 256);

    // The same with our own token, wrapped at 76 columns as `base64` prints it.
    let t = es256();
    let expected = || Ok(one(Form::Base64Token, plain("decoded base64", &t)));
    check(&wrap(&b64std(t.as_bytes()), 76), expected());
    check(
        &format!("{}\n", b64std(format!("{t}\n").as_bytes())),
        expected(),
    );

    // base64 of something else is left alone (and then fails to decode as a JWT).
    check(
        "aGVsbG8gd29ybGQ=",
        Ok(one(Form::RawJwt, plain("a raw JWT", "aGVsbG8gd29ybGQ="))),
    );
    assert_eq!(jwt::decode("aGVsbG8gd29ybGQ="), Err(TokenError::NoDots));
}

fn minted_secret(form: Form) -> Found {
    one(
        form,
        Candidate {
            label: "Secret demo/podgetter-token-x7k2p".to_string(),
            token: legacy(),
            ca: Some(ca()),
            namespace: Some("demo".to_string()),
            server: None,
        },
    )
}

#[test]
fn secret_yaml_and_json() {
    check(
        &vector("minted/secret.yaml"),
        Ok(minted_secret(Form::SecretYaml)),
    );
    check(
        &vector("minted/secret.json"),
        Ok(minted_secret(Form::SecretJson)),
    );
    // With a leading document marker and a comment, as people paste from files.
    check(
        &format!("# from kubectl\n---\n{}", vector("minted/secret.yaml")),
        Ok(minted_secret(Form::SecretYaml)),
    );
    // A real Secret: ca.crt is the minikube CA, the token the Argo CD legacy token.
    check(
        &vector("real/secrets/argocd-manager-sa-token.secret.yaml"),
        Ok(one(
            Form::SecretYaml,
            Candidate {
                label: "Secret kube-system/argocd-manager-token-tj79r".to_string(),
                token: token("real/tokens/legacy/argocd-manager-minikube-kid-empty.jwt"),
                ca: Some(vector("real/certs/minikubeCA-argocd-2018.crt")),
                namespace: Some("kube-system".to_string()),
                server: None,
            },
        )),
    );
}

#[test]
fn secret_variants() {
    let b64 = b64std(legacy().as_bytes());
    // stringData instead of data; namespace from metadata.
    check(
        &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: manual\n  namespace: ns1\nstringData:\n  token: {}\n",
            legacy()
        ),
        Ok(one(
            Form::SecretYaml,
            Candidate {
                label: "Secret ns1/manual".to_string(),
                token: legacy(),
                namespace: Some("ns1".to_string()),
                ..Candidate::default()
            },
        )),
    );
    // A Secret of another type: the token is shown, with a note.
    check(
        &format!("apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: copied\ndata:\n  token: {b64}\n"),
        Ok(Found {
            notes: vec!["type is `Opaque`"],
            ..one(Form::SecretYaml, plain("Secret copied", &legacy()))
        }),
    );
    // Only the data block was copied: still clearly a Secret's data.
    check(
        &format!("data:\n  namespace: ZGVtbw==\n  token: {b64}\n"),
        Ok(one(
            Form::SecretYaml,
            Candidate {
                label: "Secret".to_string(),
                token: legacy(),
                namespace: Some("demo".to_string()),
                ..Candidate::default()
            },
        )),
    );
    // Several documents: the Secret is found after its ServiceAccount.
    check(
        &format!(
            "{}\n---\n{}",
            vector("real/secrets/argocd-manager-sa.serviceaccount.yaml"),
            vector("minted/secret.yaml")
        ),
        Ok(minted_secret(Form::SecretYaml)),
    );
}

#[test]
fn list_of_secrets() {
    let secret = |name: &str, ns: &str, token: &str| {
        format!(
            "- apiVersion: v1\n  kind: Secret\n  type: kubernetes.io/service-account-token\n  metadata:\n    name: {name}\n    namespace: {ns}\n  data:\n    token: {}\n",
            b64std(token.as_bytes())
        )
    };
    let yaml = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm\n  data:\n    x: y\n{}",
        secret("a-token", "demo", &legacy()),
        secret("b-token", "other", &es256())
    );
    let both = |form| Found {
        form,
        candidates: vec![
            Candidate {
                label: "Secret demo/a-token".to_string(),
                token: legacy(),
                namespace: Some("demo".to_string()),
                ..Candidate::default()
            },
            Candidate {
                label: "Secret other/b-token".to_string(),
                token: es256(),
                namespace: Some("other".to_string()),
                ..Candidate::default()
            },
        ],
        preferred: 0,
        notes: vec![],
    };
    check(&yaml, Ok(both(Form::SecretYaml)));
    let json = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
            {{"kind":"Secret","metadata":{{"name":"a-token","namespace":"demo"}},"data":{{"token":"{}"}}}},
            {{"kind":"Secret","metadata":{{"name":"b-token","namespace":"other"}},"data":{{"token":"{}"}}}}]}}"#,
        b64std(legacy().as_bytes()),
        b64std(es256().as_bytes())
    );
    check(&json, Ok(both(Form::SecretJson)));
    // A ConfigMap with a `token` key in a List is not a Secret.
    check(
        &format!(
            "kind: List\nitems:\n- kind: ConfigMap\n  metadata:\n    name: cm\n  data:\n    token: {}\n",
            b64std(legacy().as_bytes())
        ),
        input_err(InputError::UnknownDocument {
            kind: Some("List with no service-account token Secret".to_string()),
        }),
    );
    // When no Secret in the List has a token, the first one's reason is given.
    check(
        "kind: List\nitems:\n- kind: Secret\n  type: kubernetes.io/service-account-token\n  data: {}\n",
        input_err(InputError::SecretWithoutToken {
            secret_type: Some("kubernetes.io/service-account-token".to_string()),
        }),
    );
    check(
        "apiVersion: v1\nkind: List\nitems: []\n",
        input_err(InputError::UnknownDocument {
            kind: Some("List with no service-account token Secret".to_string()),
        }),
    );
}

#[test]
fn secret_errors() {
    let sa_type = Some("kubernetes.io/service-account-token".to_string());
    check(
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: pending\ndata:\n  namespace: ZGVtbw==\n",
        input_err(InputError::SecretWithoutToken { secret_type: sa_type }),
    );
    check(
        r#"{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls", "data": {"tls.crt": ""}}"#,
        input_err(InputError::SecretWithoutToken {
            secret_type: Some("kubernetes.io/tls".to_string()),
        }),
    );
    // A character that is not base64: named, with its offset in the field.
    check(
        "kind: Secret\ndata:\n  token: ZXlK!aGJH\n",
        input_err(InputError::Base64 {
            field: "data.token".to_string(),
            offset: Some(4),
            problem: "character '!'".to_string(),
        }),
    );
    // A raw token where base64 belongs: the first dot is the offending character.
    let raw = legacy();
    let dot = raw.find('.').unwrap();
    match input::recognise(&format!("kind: Secret\ndata:\n  token: {raw}\n")) {
        Err(InspectError::Input(InputError::Base64 {
            field,
            offset,
            problem,
        })) => {
            assert_eq!(field, "data.token");
            assert_eq!(offset, Some(dot));
            assert!(problem.starts_with("character '.'"), "{problem}");
            assert!(problem.contains("stringData"), "{problem}");
        }
        other => panic!("expected a base64 error, got {other:?}"),
    }
    // A length no base64 can have.
    check(
        "kind: Secret\ndata:\n  token: ZXlKa\n",
        input_err(InputError::Base64 {
            field: "data.token".to_string(),
            offset: None,
            problem: "5 characters is not a possible base64 length (one is missing or extra)"
                .to_string(),
        }),
    );
    // A broken CA or namespace does not hide the token: it is left out, with a note that
    // names the field as it is written.
    check(
        &format!(
            "kind: Secret\nmetadata:\n  name: s\n  namespace: meta\ndata:\n  token: {}\n  ca.crt: LS0t*\n  namespace: ???\n",
            b64std(legacy().as_bytes())
        ),
        Ok(Found {
            notes: vec![
                "`data.namespace` is not valid base64: character '?' at offset 0. It is left out.",
                "`data[\"ca.crt\"]` is not valid base64: character '*' at offset 4. It is left out.",
            ],
            ..one(
                Form::SecretYaml,
                Candidate {
                    label: "Secret meta/s".to_string(),
                    token: legacy(),
                    namespace: Some("meta".to_string()),
                    ..Candidate::default()
                },
            )
        }),
    );
}

#[test]
fn describe_secret() {
    check(
        &vector("minted/describe-secret.txt"),
        Ok(Found {
            notes: vec!["paste the Secret as YAML to get the CA"],
            ..one(
                Form::Describe,
                Candidate {
                    label: "Secret demo/podgetter-token-x7k2p".to_string(),
                    token: legacy(),
                    namespace: Some("demo".to_string()),
                    ..Candidate::default()
                },
            )
        }),
    );
    check(
        "Name:         x\nNamespace:    y\nType:  Opaque\n\nData\n====\nfoo:  3 bytes\n",
        input_err(InputError::DescribeWithoutToken),
    );
}

#[test]
fn minted_kubeconfig() {
    check(
        &vector("minted/kubeconfig.yaml"),
        Ok(one(
            Form::Kubeconfig,
            Candidate {
                label: "user \"podgetter\" (context \"podgetter@prod\")".to_string(),
                token: es256(),
                ca: Some(ca()),
                namespace: Some("demo".to_string()),
                server: Some("https://127.0.0.1:6443".to_string()),
            },
        )),
    );
}

/// A kubeconfig with three token users, two without, and `current-context` as given.
fn multi_user_kubeconfig(current: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster:
    server: https://dev.example:6443
    certificate-authority-data: {ca}
- name: prod
  cluster:
    server: https://prod.example:6443
users:
- name: admin
  user:
    client-certificate-data: VVNFUl9DQURBVEE=
    client-key-data: VVNFUl9DS0RBVEE=
- name: ci
  user:
    token: {ci}
- name: deployer
  user:
    token: {deployer}
- name: ops
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      args: [eks, get-token]
- name: orphan
  user:
    token: "{orphan}"
contexts:
- name: ci@dev
  context: {{cluster: dev, user: ci, namespace: ci}}
- name: deployer@dev
  context: {{cluster: dev, user: deployer, namespace: apps}}
- name: deployer@prod
  context: {{cluster: prod, user: deployer, namespace: prod-apps}}
- name: ci@prod
  context: {{cluster: prod, user: ci}}
current-context: {current}
"#,
        ca = b64std(ca().as_bytes()),
        ci = es256(),
        deployer = token("minted/token-bound-pod-rs256.jwt"),
        orphan = legacy(),
    )
}

#[test]
fn kubeconfig_chooser_prefers_the_current_context() {
    let ci = |ctx: &str, dev: bool| Candidate {
        label: format!("user \"ci\" (context \"{ctx}\")"),
        token: es256(),
        ca: dev.then(ca),
        namespace: dev.then(|| "ci".to_string()),
        server: Some(
            if dev {
                "https://dev.example:6443"
            } else {
                "https://prod.example:6443"
            }
            .to_string(),
        ),
    };
    let deployer = |ctx: &str, dev: bool| Candidate {
        label: format!("user \"deployer\" (context \"{ctx}\")"),
        token: token("minted/token-bound-pod-rs256.jwt"),
        ca: dev.then(ca),
        namespace: Some(if dev { "apps" } else { "prod-apps" }.to_string()),
        server: Some(
            if dev {
                "https://dev.example:6443"
            } else {
                "https://prod.example:6443"
            }
            .to_string(),
        ),
    };
    let orphan = plain("user \"orphan\" (no context uses it)", &legacy());
    let notes = vec![
        "No token for user admin: client certificate.",
        "No token for user ops: exec plugin `aws`",
    ];
    // When the current context is not a user's, its first context is used.
    check(
        &multi_user_kubeconfig("deployer@prod"),
        Ok(Found {
            form: Form::Kubeconfig,
            candidates: vec![
                ci("ci@dev", true),
                deployer("deployer@prod", false),
                orphan.clone(),
            ],
            preferred: 1,
            notes: notes.clone(),
        }),
    );
    check(
        &multi_user_kubeconfig("ci@prod"),
        Ok(Found {
            form: Form::Kubeconfig,
            candidates: vec![
                ci("ci@prod", false),
                deployer("deployer@dev", true),
                orphan.clone(),
            ],
            preferred: 0,
            notes: notes.clone(),
        }),
    );
    // A current context whose user has no token: the first token is offered.
    check(
        &multi_user_kubeconfig("nowhere"),
        Ok(Found {
            form: Form::Kubeconfig,
            candidates: vec![ci("ci@dev", true), deployer("deployer@dev", true), orphan],
            preferred: 0,
            notes,
        }),
    );
}

#[test]
fn kubeconfig_as_json() {
    let json = format!(
        r#"{{
  "apiVersion": "v1",
  "kind": "Config",
  "clusters": [{{"name": "prod", "cluster": {{"server": "https://10.0.0.1", "certificate-authority-data": "{}"}}}}],
  "users": [{{"name": "sa", "user": {{"token": "{}"}}}}],
  "contexts": [{{"name": "sa@prod", "context": {{"cluster": "prod", "user": "sa", "namespace": "demo"}}}}],
  "current-context": "sa@prod"
}}"#,
        b64std(ca().as_bytes()),
        es256()
    );
    check(
        &json,
        Ok(one(
            Form::Kubeconfig,
            Candidate {
                label: "user \"sa\" (context \"sa@prod\")".to_string(),
                token: es256(),
                ca: Some(ca()),
                namespace: Some("demo".to_string()),
                server: Some("https://10.0.0.1".to_string()),
            },
        )),
    );
}

#[test]
fn kubeconfigs_without_tokens_say_how_users_authenticate() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml",
            &["kubernetes-admin: client certificate"],
        ),
        (
            "real/kubeconfig/k8s-client-js-fixture-placeholder-data.yaml",
            &[
                "user1: client certificate",
                "user2: client certificate",
                "user3: user name and password",
            ],
        ),
        (
            "real/kubeconfig/k8s-client-js-fixture-tls-server-name.yaml",
            &["user: client certificate"],
        ),
        (
            "real/kubeconfig/k8s-client-js-fixture-empty-users.yaml",
            &["user1: no credentials", "user2: no credentials"],
        ),
    ];
    for (path, users) in cases {
        let users: Vec<String> = users.iter().map(|u| u.to_string()).collect();
        let error = InputError::KubeconfigWithoutToken {
            users: users.clone(),
        };
        check(&vector(path), input_err(error.clone()));
        let text = error.to_string();
        for user in &users {
            assert!(text.contains(user.as_str()), "{text}");
        }
    }
    check(
        "apiVersion: v1\nkind: Config\nusers: []\n",
        input_err(InputError::KubeconfigWithoutToken { users: vec![] }),
    );
    check(
        "kind: Config\nusers:\n- name: a\n  user:\n    auth-provider:\n      name: oidc\n- name: b\n  user:\n    tokenFile: /var/run/token\n",
        input_err(InputError::KubeconfigWithoutToken {
            users: vec![
                "a: auth provider `oidc`".to_string(),
                "b: token read from file /var/run/token (paste the file's content)".to_string(),
            ],
        }),
    );
    // An empty token is no token: say so rather than offer "" to the decoder.
    check(
        "kind: Config\nusers:\n- name: blank\n  user:\n    token: \"\"\n",
        input_err(InputError::KubeconfigWithoutToken {
            users: vec!["blank: an empty token".to_string()],
        }),
    );
}

#[test]
fn documents_that_do_not_parse_say_where() {
    check(
        "apiVersion: v1\nkind: Secret\n data:\n  token: x\n",
        input_err(InputError::Yaml {
            line: 3,
            column: 6,
            message: "mapping values are not allowed in this context; a `key: value` stands where only a plain value may; most often this line is indented more than the keys beside it, or a value above holds an unquoted `: `".to_string(),
        }),
    );
    check(
        "kind: Config\ncurrent-context: \"unterminated\n",
        input_err(InputError::Yaml {
            line: 2,
            column: 18,
            message: "while scanning a quoted scalar, found unexpected end of stream".to_string(),
        }),
    );
    check(
        "{\"kind\": \"Secret\",\n  \"data\": {\"token\": }\n}",
        input_err(InputError::Json {
            line: 2,
            column: 21,
            message: "expected value".to_string(),
        }),
    );
    // secret.json with its closing brace lost.
    let json = vector("minted/secret.json");
    let cut = json.trim_end().strip_suffix('}').unwrap();
    let lines = cut.lines().count();
    match input::recognise(cut) {
        Err(InspectError::Input(InputError::Json { line, message, .. })) => {
            assert_eq!(line, lines);
            assert_eq!(message, "EOF while parsing an object");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    // Display names the line and column.
    let text = InputError::Yaml {
        line: 3,
        column: 6,
        message: "m".to_string(),
    }
    .to_string();
    assert!(text.contains("line 3, column 6"), "{text}");
    let text = InputError::Json {
        line: 2,
        column: 21,
        message: "m".to_string(),
    }
    .to_string();
    assert!(text.contains("line 2, column 21"), "{text}");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    match input::recognise(&"[".repeat(100_000)) {
        Err(InspectError::Input(InputError::Json {
            line: 1, message, ..
        })) => {
            assert_eq!(message, "recursion limit exceeded");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let block: String = std::iter::once("kind: Secret\ndata:\n".to_string())
        .chain((1..200).map(|i| format!("{}k:\n", " ".repeat(i))))
        .collect();
    check(
        &block,
        input_err(InputError::TooDeep {
            limit: tokenscope::formats::yaml::MAX_DEPTH,
        }),
    );
}

#[test]
fn alias_bombs_and_deep_flow_yaml_are_refused() {
    let mut bomb = String::from("kind: Secret\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let list = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{list}]\n"));
    }
    match input::recognise(&bomb) {
        Err(InspectError::Input(InputError::Yaml {
            line: 5, message, ..
        })) => {
            assert!(message.contains("past 64 KiB"), "{message}");
        }
        other => panic!("expected a YAML error on line 5, got {other:?}"),
    }
    let flow = format!("kind: Secret\ndata: {}", "[".repeat(100_000));
    match input::recognise(&flow) {
        Err(InspectError::Input(InputError::TooDeep { .. } | InputError::Yaml { line: 2, .. })) => {
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn windows_line_endings() {
    let crlf = |path: &str| vector(path).replace('\n', "\r\n");
    check(
        &crlf("minted/secret.yaml"),
        Ok(minted_secret(Form::SecretYaml)),
    );
    check(
        &crlf("minted/secret.json"),
        Ok(minted_secret(Form::SecretJson)),
    );
    let describe = input::recognise(&crlf("minted/describe-secret.txt")).unwrap();
    assert_eq!(describe.form, Form::Describe);
    assert_eq!(describe.candidates[0].token, legacy());
    assert_eq!(describe.candidates[0].namespace.as_deref(), Some("demo"));
    let kubeconfig = input::recognise(&crlf("minted/kubeconfig.yaml")).unwrap();
    assert_eq!(kubeconfig.candidates[0].token, es256());
    assert_eq!(kubeconfig.candidates[0].ca.as_deref(), Some(ca().as_str()));
}

#[test]
fn unrelated_documents() {
    check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  token: abc\n",
        input_err(InputError::UnknownDocument {
            kind: Some("ConfigMap".to_string()),
        }),
    );
    check(
        r#"{"apiVersion": "apps/v1", "kind": "Deployment"}"#,
        input_err(InputError::UnknownDocument {
            kind: Some("Deployment".to_string()),
        }),
    );
    check(
        "[1, 2, 3]",
        input_err(InputError::UnknownDocument { kind: None }),
    );
    let text = InputError::UnknownDocument {
        kind: Some("ConfigMap".to_string()),
    }
    .to_string();
    assert!(
        text.starts_with("This is a ConfigMap, not a Secret or a kubeconfig"),
        "{text}"
    );
}

#[test]
fn empty_and_oversized_input() {
    check("", Err(InspectError::Token(TokenError::Empty)));
    check(" \n\t \r\n", Err(InspectError::Token(TokenError::Empty)));
    let big = "A".repeat(MAX_INPUT_BYTES + 1);
    check(
        &big,
        Err(InspectError::Token(TokenError::TooLarge {
            bytes: MAX_INPUT_BYTES + 1,
            limit: MAX_INPUT_BYTES,
        })),
    );
    // Exactly at the limit is still read (and is then simply not a token).
    let at_limit = "A".repeat(MAX_INPUT_BYTES);
    assert_eq!(input::recognise(&at_limit).unwrap().form, Form::RawJwt);
}

#[test]
fn form_labels() {
    let labels: Vec<&str> = [
        Form::RawJwt,
        Form::Bearer,
        Form::Base64Token,
        Form::SecretYaml,
        Form::SecretJson,
        Form::Describe,
        Form::Kubeconfig,
        Form::InText,
    ]
    .into_iter()
    .map(Form::label)
    .collect();
    assert_eq!(
        labels,
        [
            "a raw JWT",
            "a Bearer authorization header",
            "the base64 of a token (as in a Secret's data.token)",
            "a Secret (kubectl get secret -o yaml)",
            "a Secret (kubectl get secret -o json)",
            "kubectl describe secret output",
            "a kubeconfig",
            "a token inside other text (a curl command, say)",
        ]
    );
}

#[test]
fn tokens_inside_other_text() {
    let t = legacy();
    let e = es256();
    let in_text = |s: &str| Ok(one(Form::InText, plain("the token in the text", s)));
    // Tutorials print curl commands with the token in a header.
    check(
        &format!(
            "curl --cacert ca.crt -H \"Authorization: Bearer {t}\" https://10.0.0.1:6443/api\n"
        ),
        in_text(&t),
    );
    check(
        &format!("$ TOKEN={t}\n$ curl -k -H \"Authorization: Bearer $TOKEN\" https://x/api"),
        in_text(&t),
    );
    // A log line; the same token twice is one token.
    check(
        &format!("2024-05-01T10:00:00Z token={t} sent\nretrying with {t}"),
        in_text(&t),
    );
    // Two tokens: both offered, in order.
    let both = input::recognise(&format!("old: {t}\nnew: {e}\n")).unwrap();
    assert_eq!(both.form, Form::InText);
    assert_eq!(
        both.candidates,
        [
            plain("token 1 of 2 in the text", &t),
            plain("token 2 of 2 in the text", &e)
        ]
    );
    // Glued to other word characters, or with a fourth part, it is not a token on its own.
    for glued in [
        format!("xx{t}"),
        format!("{t}.abc and more"),
        format!("a {t}.b c"),
    ] {
        assert_ne!(
            input::recognise(&glued).unwrap().form,
            Form::InText,
            "{glued}"
        );
    }
    // A wrapped token on its own is still read whole, not as a piece of text.
    check(&wrap(&t, 60), Ok(one(Form::RawJwt, plain("a raw JWT", &t))));
    // A megabyte of `eyJ.` is one linear scan, and holds no token.
    let hostile = "eyJ.".repeat(MAX_INPUT_BYTES / 4 - 1) + " x";
    assert_eq!(input::recognise(&hostile).unwrap().form, Form::RawJwt);
}

/// `tests/fixtures/cloud/manifest.json`: real pastes that hold no token, with their sources.
fn paste_manifest() -> Vec<(String, serde_json::Value)> {
    let manifest: serde_json::Value = serde_json::from_str(&vector("cloud/manifest.json")).unwrap();
    manifest
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("pastes/"))
        .map(|(path, entry)| (path.clone(), entry["expect"].clone()))
        .collect()
}

#[test]
fn real_pastes_without_a_token_are_named_as_what_they_are() {
    use tokenscope::support::error::{Indentation, Placeholder};
    let pastes = paste_manifest();
    assert_eq!(pastes.len(), 15, "pastes in cloud/manifest.json");
    for (path, want) in pastes {
        let text = vector(&format!("cloud/{path}"));
        let Err(InspectError::Input(error)) = input::recognise(&text) else {
            panic!("{path}: not refused: {:?}", input::recognise(&text));
        };
        let message = error.to_string();
        match (&error, want["error"].as_str().unwrap()) {
            (InputError::SecretsTable { rows, .. }, "SecretsTable") => {
                assert_eq!(rows.len() as u64, want["rows"].as_u64().unwrap(), "{path}");
                let command = want["command"].as_str().unwrap();
                assert!(
                    message.contains(&format!("`{command}`")),
                    "{path}: {message}"
                );
                assert!(message.contains("not what the Secrets hold"), "{path}");
            }
            (InputError::ServiceAccountDescribe { .. }, "ServiceAccountDescribe") => {
                let command = want["command"].as_str().unwrap();
                assert!(
                    message.contains(&format!("`{command}`")),
                    "{path}: {message}"
                );
            }
            (InputError::Placeholder { kind, text, .. }, "Placeholder") => {
                let kind = match kind {
                    Placeholder::Documentation => "Documentation",
                    Placeholder::Elided => "Elided",
                    Placeholder::Redacted => "Redacted",
                    Placeholder::Variable => "Variable",
                };
                assert_eq!(kind, want["kind"], "{path}: {message}");
                if let Some(shown) = want["text"].as_str() {
                    assert_eq!(text, shown, "{path}");
                }
            }
            (InputError::LostIndentation { line, how }, "LostIndentation") => {
                assert_eq!(*line as u64, want["line"].as_u64().unwrap(), "{path}");
                match how {
                    Indentation::Flattened { key, parent, .. } => {
                        assert_eq!(key, want["key"].as_str().unwrap(), "{path}");
                        assert_eq!(parent, want["parent"].as_str().unwrap(), "{path}");
                    }
                    Indentation::Shifted { spaces } => {
                        assert_eq!(*spaces as u64, want["spaces"].as_u64().unwrap(), "{path}");
                    }
                }
                assert!(message.starts_with(&format!("Line {line}: ")), "{path}");
            }
            (other, wanted) => panic!("{path}: expected {wanted}, got {other:?}"),
        }
    }
}

#[test]
fn secrets_tables_name_only_valid_secrets_in_commands() {
    // A name that is no Kubernetes name never reaches the printed command.
    let table = "NAME                 TYPE                                  DATA   AGE\n--server=http://x    kubernetes.io/service-account-token   3      1d\n";
    let Err(InspectError::Input(error)) = input::recognise(table) else {
        panic!("not refused");
    };
    let message = error.to_string();
    assert!(
        message.contains("`kubectl get secret NAME -o yaml`"),
        "{message}"
    );
    assert!(!message.contains("get secret --server"), "{message}");
    // `-A` adds the namespace column, and the command names it.
    let all = "NAMESPACE     NAME                  TYPE                                  DATA   AGE\nkube-system   default-token-abcde   kubernetes.io/service-account-token   3      1d\n";
    let Err(InspectError::Input(error)) = input::recognise(all) else {
        panic!("not refused");
    };
    assert!(error
        .to_string()
        .contains("`kubectl get secret default-token-abcde -n kube-system -o yaml`"));
    // No token Secret: since 1.24 none is made, and `kubectl create token` is the way.
    let opaque = "NAME      TYPE     DATA   AGE\ndb-pass   Opaque   1      3d\n";
    let Err(InspectError::Input(error)) = input::recognise(opaque) else {
        panic!("not refused");
    };
    assert!(error.to_string().contains("kubectl create token"));
}

#[test]
fn placeholders_are_told_apart_from_tokens() {
    let refused = |text: &str| {
        matches!(
            input::recognise(text),
            Err(InspectError::Input(InputError::Placeholder { .. }))
        )
    };
    for text in [
        "<token>",
        "Bearer <your-token>",
        "<...>",
        "....snip....",
        "eyJhbGciOiJSUzI1NiIsImtpZCI6...",
        "REDACTED",
        "[REDACTED]",
        "$TOKEN",
        "${TOKEN}",
        "xxxxx",
        "YOUR_TOKEN",
        "kubectl --token=<token> get pods",
        "curl -H \"Authorization: Bearer ${SA_TOKEN}\" https://10.0.0.1:6443/api",
    ] {
        assert!(refused(text), "{text}: {:?}", input::recognise(text));
    }
    // Real tokens and other broken text are not placeholders.
    for text in [
        legacy(),
        es256(),
        format!("Bearer {}", es256()),
        "not a token at all, sorry...".to_string(),
    ] {
        assert!(!refused(&text), "{text}");
    }
    // A printed `echo` names only a plain variable.
    let Err(InspectError::Input(error)) = input::recognise("Bearer $(cat /tmp/t; rm -rf ~)") else {
        panic!("not refused");
    };
    assert!(!error.to_string().contains("echo"), "{error}");
    let Err(InspectError::Input(error)) = input::recognise("$TOKEN") else {
        panic!("not refused");
    };
    assert!(error.to_string().contains("`echo \"$TOKEN\"`"), "{error}");
}

#[test]
fn a_kubeconfig_with_one_masked_token_still_shows_the_real_one() {
    let config = format!(
        "apiVersion: v1\nkind: Config\nusers:\n- name: masked\n  user:\n    token: REDACTED\n- name: real\n  user:\n    token: {}\n",
        es256()
    );
    let found = input::recognise(&config).unwrap();
    assert_eq!(found.candidates.len(), 1);
    assert_eq!(found.candidates[0].token, es256());
    assert!(found
        .notes
        .iter()
        .any(|n| n.title == "A user's token is a placeholder"
            && n.why.contains("kubectl config view --raw")));
}

#[test]
fn yaml_errors_a_copy_brings_say_what_they_mean() {
    let tabbed = "apiVersion: v1\nkind: Secret\ndata:\n\ttoken: abc\n";
    let Err(InspectError::Input(InputError::Yaml { line, message, .. })) = input::recognise(tabbed)
    else {
        panic!("{:?}", input::recognise(tabbed));
    };
    assert_eq!(line, 4);
    assert!(message.contains("indented with a tab"), "{message}");
}

#[test]
fn well_indented_yaml_is_never_called_misindented() {
    // Empty mappings followed by top-level keys, and list items in the same column as their
    // key, are valid YAML that lost nothing.
    let secret = format!(
        "apiVersion: v1\nmetadata:\nkind: Secret\ndata:\n  token: {}\n",
        b64std(legacy().as_bytes())
    );
    assert!(input::recognise(&secret).is_ok());
    let no_token = "apiVersion: v1\nkind: Secret\ndata:\ntype: Opaque\n";
    assert!(matches!(
        input::recognise(no_token),
        Err(InspectError::Input(InputError::SecretWithoutToken { .. }))
    ));
    // A document that is one mapping under its first key is not shifted.
    assert!(matches!(
        input::recognise("metadata:\n  name: x\n"),
        Err(InspectError::Input(InputError::UnknownDocument { .. }))
    ));
    // A kubeconfig user whose `user:` lost its nesting is named, with the line.
    let config = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n  token: abc\n";
    let Err(InspectError::Input(InputError::LostIndentation { line, .. })) =
        input::recognise(config)
    else {
        panic!("{:?}", input::recognise(config));
    };
    assert_eq!(line, 6);
}

#[test]
fn a_shell_prompt_in_brackets_is_not_json() {
    let describe = format!(
        "[ec2-user@ip-172-31-1-111 ~]$ kubectl describe secret demo\n{}",
        vector("minted/describe-secret.txt")
    );
    assert_eq!(input::recognise(&describe).unwrap().form, Form::Describe);
    // A JSON array is still JSON.
    assert!(matches!(
        input::recognise("[1, 2"),
        Err(InspectError::Input(InputError::Json { .. }))
    ));
}
