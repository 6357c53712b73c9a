//! The Redact switch: masked values no longer reveal the secret, and nothing else changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::token;
use tokenscope::inspect::explain::explain;
use tokenscope::kubeconfig::{self, KubeconfigForm};
use tokenscope::{formats::shell, formats::yaml_write, redact, token::jwt};

const NOW: i64 = 1_795_417_200;

#[test]
fn masks_keep_a_prefix_and_hide_the_length() {
    assert_eq!(redact::mask("a6ad7997-a1a0"), "a6ad••••••••");
    assert_eq!(redact::mask("ab"), "ab••••••••");
    assert_eq!(redact::mask("é日本語x"), "é日本語••••••••");
}

#[test]
fn sensitive_names() {
    for name in [
        "jti",
        "kubernetes.io.pod.uid",
        "kubernetes.io/serviceaccount/service-account.uid",
        "authentication.kubernetes.io/credential-id",
        "authentication.kubernetes.io/pod-uid",
    ] {
        assert!(redact::is_sensitive(name), "{name}");
    }
    for name in ["sub", "kubernetes.io.pod.name", "iss", "guid-ish", "kid"] {
        assert!(!redact::is_sensitive(name), "{name}");
    }
}

#[test]
fn a_masked_token_keeps_its_header_and_hides_payload_and_signature() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let parts: Vec<&str> = t.split('.').collect();
    let masked = redact::token(&t);
    assert_eq!(
        masked,
        format!(
            "{}.{}-REDACTED.{}-REDACTED",
            parts[0],
            &parts[1][..4],
            &parts[2][..4]
        )
    );
    // Wrapped over lines, or with Bearer before it, it is the same token.
    let wrapped = format!("Bearer {}\n{}", &t[..100], &t[100..]);
    assert_eq!(redact::token(&wrapped), masked);
    // Anything else is cut short, keeping no quote or control character.
    assert_eq!(redact::token("ab\"cdef0123456789"), "ab-REDACTED");
    assert_eq!(redact::token("\u{15}abcdef"), "-REDACTED");
    assert_eq!(redact::token("s3cr3t-static-token"), "s3cr-REDACTED");
    // An unsigned token has no signature to mask.
    let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    assert_eq!(
        redact::token(unsigned),
        "eyJhbGciOiJub25lIn0.eyJz-REDACTED."
    );
}

#[test]
fn a_masked_jwt_explains_the_same_with_uids_masked_wherever_they_sit() {
    let real = jwt::decode(&common::mint(
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"sub":"system:serviceaccount:ns:sa","jti":"j-0123456789","kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"sa","uid":"u-0123456789"}},"example.com/owner":{"kind":"Deployment","uid":"o-0123456789"},"list":[{"uid":"l-0123456789"}]}"#,
    ))
    .unwrap();
    let masked = redact::jwt(&real);
    assert_eq!(masked.header_b64, real.header_b64);
    assert_eq!(masked.header, real.header);
    assert_eq!(masked.payload_b64, redact::mask(&real.payload_b64));
    assert_eq!(masked.signature_b64, redact::mask(&real.signature_b64));
    assert_eq!(masked.signature.len(), real.signature.len());
    assert!(masked.signature.iter().all(|b| *b == 0));
    let json = masked.payload_pretty();
    for uid in [
        "j-0123456789",
        "u-0123456789",
        "o-0123456789",
        "l-0123456789",
    ] {
        assert!(!json.contains(uid), "{uid} in {json}");
        assert!(json.contains(&redact::mask(uid)), "{uid} masked in {json}");
    }
    let plain = explain(&real, NOW);
    let shown = explain(&masked, NOW);
    assert_eq!(shown.kind, plain.kind);
    assert_eq!(shown.status, plain.status);
    assert_eq!(shown.findings, plain.findings);
    assert_eq!(shown.claims.len(), plain.claims.len());
    let identity = shown.identity.unwrap();
    assert_eq!(identity.username, "system:serviceaccount:ns:sa");
    assert_eq!(identity.uid.unwrap(), redact::mask("u-0123456789"));
    let text = format!("{:?} {:?}", shown.claims, identity.extra);
    assert!(!text.contains("0123456789"), "{text}");

    // A header holding an identifier is masked too, segment and all.
    let odd = jwt::decode(&common::mint(
        r#"{"alg":"RS256","jti":"h-0123456789"}"#,
        "{}",
    ))
    .unwrap();
    let masked = redact::jwt(&odd);
    assert_ne!(masked.header_b64, odd.header_b64);
    assert!(!masked.header_pretty().contains("h-0123456789"));
    let compact = format!(
        "{}.{}.{}",
        odd.header_b64, odd.payload_b64, odd.signature_b64
    );
    assert_eq!(redact::token(&compact), "eyJh-REDACTED");
}

#[test]
fn an_unsigned_token_stays_without_a_signature() {
    let real = jwt::decode("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").unwrap();
    let masked = redact::jwt(&real);
    assert_eq!(masked.signature_b64, "");
    assert!(masked.signature.is_empty());
}

#[test]
fn report_and_payload_hide_uids_but_keep_names() {
    let jwt = jwt::decode(&token("minted/token-bound-pod-rs256.jwt")).unwrap();
    let plain = explain(&jwt, NOW);
    // The page explains the masked copy of the token.
    let masked = explain(&redact::jwt(&jwt), NOW);
    assert_eq!(masked.kind, plain.kind);
    assert_eq!(masked.status, plain.status);
    for (a, b) in plain.claims.iter().zip(&masked.claims) {
        if redact::is_sensitive(&a.name) {
            assert_ne!(a.value, b.value, "{}", a.name);
        } else {
            assert_eq!(a, b);
        }
    }
    let identity = masked.identity.unwrap();
    assert!(identity.uid.unwrap().ends_with("••••••••"));
    let json = redact::jwt(&jwt).payload_pretty();
    let uid = common::fact("sa_uid");
    assert!(!json.contains(&uid));
    assert!(json.contains(&common::fact("bound_pod")));
}

/// Every form a secret can take in a generated file or command: as it is, JSON- or
/// YAML-escaped, shell-quoted, and with its line breaks taken out again.
fn shows(text: &str, secret: &str) -> bool {
    let escaped = serde_json::to_string(secret).unwrap();
    let escaped = &escaped[1..escaped.len() - 1];
    let quoted = secret.replace('\'', r"'\''");
    let joined: String = text
        .replace("\\\n", "")
        .replace("\\n", "")
        .replace("\\r", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let compact: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    text.contains(secret)
        || text.contains(escaped)
        || text.contains(&quoted)
        || joined.contains(&compact)
}

#[test]
fn the_kubeconfig_builder_masks_the_token_however_it_is_written() {
    // Written out, a token is escaped (YAML), quoted (shell) or kept wrapped: the mask must
    // hold in every one of those forms.
    let jwt = token("minted/token-bound-pod-rs256.jwt");
    let segments: Vec<&str> = jwt.split('.').collect();
    let wrapped = format!("{}\n{}\r\n{}", &jwt[..200], &jwt[200..500], &jwt[500..]);
    let static_token = r#"st4tic"t0ken\with#quotes'and:colons 0123456789abcdef"#;
    for (typed, secrets) in [
        (jwt.as_str(), vec![jwt.as_str(), segments[1], segments[2]]),
        (
            wrapped.as_str(),
            vec![wrapped.as_str(), segments[1], segments[2]],
        ),
        (static_token, vec![static_token]),
    ] {
        let form = KubeconfigForm {
            cluster_name: "prod".to_string(),
            server: "https://203.0.113.10:6443".to_string(),
            ca: common::vector("minted/ca.crt"),
            user_name: "sa".to_string(),
            namespace: "demo".to_string(),
            token: typed.to_string(),
            ..KubeconfigForm::default()
        };
        let output = kubeconfig::build(&form, NOW);
        let Some(shown) = redact::kubeconfig(&output, NOW) else {
            // A token with line breaks is refused: no file is written, and with Redact on the
            // page shows "Hidden while Redact is on." in place of the outputs.
            assert!(typed.contains('\n') && output.yaml.is_none(), "{typed:?}");
            continue;
        };
        let yaml = shown.yaml.as_deref().unwrap();
        for text in [yaml, &shown.kubectl_script, &shown.curl_command] {
            for secret in &secrets {
                assert!(!shows(text, secret), "{secret:?} in\n{text}");
            }
            assert!(text.contains("-REDACTED"), "{text}");
        }
        // The same files otherwise: only the token differs.
        let token = output.written.token.as_str();
        let mask = redact::token(token);
        assert_eq!(shown.written.token, mask);
        assert_eq!(
            KubeconfigForm {
                token: String::new(),
                ..shown.written.clone()
            },
            KubeconfigForm {
                token: String::new(),
                ..output.written.clone()
            }
        );
        let real = output.yaml.as_deref().unwrap();
        assert_eq!(
            yaml.replace(&mask, "TOKEN"),
            real.replace(&*yaml_write::string(token), "TOKEN")
        );
        assert_eq!(
            shown.curl_command.replace(&mask, "TOKEN"),
            output.curl_command.replace(
                &*shell::quote(&format!("Authorization: Bearer {token}")),
                &shell::quote("Authorization: Bearer TOKEN")
            )
        );
    }
}

#[test]
fn the_401_checklist_masks_uids_of_the_token_and_the_pasted_objects_and_keeps_its_marks() {
    use tokenscope::troubleshoot::unauthorized;
    let real = jwt::decode(&common::mint(
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:ns:sa","aud":["https://kubernetes.default.svc"],"iat":1795417000,"nbf":1795417000,"exp":1795420600,"kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"sa","uid":"u-0123456789"},"pod":{"name":"web","uid":"p-0123456789"}}}"#,
    ))
    .unwrap();
    let docs = tokenscope::formats::yaml::parse_documents(
        "kind: Pod\nmetadata: {name: web, namespace: ns, uid: p-9999999999}\n---\nkind: ServiceAccount\nmetadata: {name: sa, namespace: ns, uid: u-0123456789}\n",
    )
    .unwrap();
    let related = unauthorized::related(&docs);
    let checks = unauthorized::checklist(&real, None, &related, NOW);
    let masked = redact::checks(&checks, &real, &related);
    let all: String = checks.iter().map(|c| c.why.as_str()).collect();
    assert!(
        all.contains("p-9999999999") && all.contains("p-0123456789"),
        "{all}"
    );
    let shown: String = masked.iter().map(|c| c.why.as_str()).collect();
    for uid in ["p-9999999999", "p-0123456789", "u-0123456789"] {
        assert!(!shown.contains(uid), "{uid} in {shown}");
    }
    let marks = |list: &[unauthorized::Check]| list.iter().map(|c| c.mark).collect::<Vec<_>>();
    assert_eq!(marks(&masked), marks(&checks));
}

// Secrets in any text, by their shape: what every page masks where it renders pasted text.

use redact::Secret;

/// The text of each secret span of `text`, with its kind.
fn secrets_in(text: &str) -> Vec<(Secret, &str)> {
    redact::secret_spans(text)
        .into_iter()
        .map(|s| (s.kind, &text[s.range]))
        .collect()
}

fn real(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real/");
    std::fs::read_to_string(format!("{root}{path}")).unwrap()
}

/// Asserts that the masked `text` holds none of `secrets` and still holds each of `kept`.
fn masks(text: &str, secrets: &[&str], kept: &[&str]) -> String {
    let shown = redact::masked(text).into_owned();
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} is shown in {shown:?}");
    }
    for word in kept {
        assert!(shown.contains(word), "{word:?} is gone from {shown:?}");
    }
    shown
}

const HEADER: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9";
const PAYLOAD: &str = "eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cHJvZDphcHAifQ";
const SIGNATURE: &str = "c2lnbmF0dXJlLWJ5dGVzLXRoYXQtYXJlLW5vdC1yZWFsbHktcnNh_-x";

fn jws() -> String {
    format!("{HEADER}.{PAYLOAD}.{SIGNATURE}")
}

#[test]
fn a_jwt_in_an_error_line_keeps_its_header_and_loses_payload_and_signature() {
    let line = format!(
        "Unable to connect to the server: x509: certificate signed by unknown authority (token {}.)",
        jws()
    );
    assert_eq!(
        secrets_in(&line),
        vec![(
            Secret::Jwt,
            &line[line.find(PAYLOAD).unwrap()..line.len() - 2]
        )]
    );
    let shown = masks(
        &line,
        &[PAYLOAD, SIGNATURE],
        &[HEADER, "x509: certificate signed", ".)"],
    );
    assert!(shown.contains(&format!("{HEADER}.eyJz••••••••")), "{shown}");
}

#[test]
fn a_jwt_cut_short_detached_or_unsigned_is_masked_too() {
    for token in [
        format!("{HEADER}.{PAYLOAD}"),
        format!("{HEADER}..{SIGNATURE}"),
        format!("{HEADER}.{PAYLOAD}."),
        format!("{HEADER}.{PAYLOAD}.{SIGNATURE}.aXY.dGFn"),
    ] {
        let text = format!("reason: \"{token}\"");
        masks(
            &text,
            &[PAYLOAD, SIGNATURE, "aXY.dGFn"],
            &[HEADER, "reason: \""],
        );
    }
    // A header alone, or an `eyJ` word, is nothing to mask.
    assert!(secrets_in(&format!("header {HEADER}. Next")).is_empty());
    assert!(secrets_in("the word eyJump.").is_empty());
}

#[test]
fn base64_of_a_jwt_is_masked() {
    let encoded = "ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklrRkNReUo5LmV5SnpkV0lpT2lKNEluMC5zaWc=";
    let text = format!("value = {encoded}\n");
    let spans = secrets_in(&text);
    assert!(
        spans.iter().any(|(k, _)| *k == Secret::EncodedJwt),
        "{spans:?}"
    );
    masks(&text, &[&encoded[4..24]], &["value = ZXlK"]);
}

#[test]
fn bearer_tokens_and_token_flags_and_keys_are_masked() {
    let opaque = "app-cqgS9b6x9687HLJ5COyJ23Fz";
    for text in [
        format!("-H \"Authorization: Bearer {opaque}\""),
        format!("authorization: bearer {opaque}"),
        format!("kubectl --token={opaque} get pods"),
        format!("kubectl --token {opaque} get pods"),
        format!("users:\n- name: x\n  user:\n    token: {opaque}\n"),
        format!("{{\"token\":\"{opaque}\"}}"),
        format!("\"message\":\"{{\\\"token\\\":\\\"{opaque}\\\"}}\""),
        format!("password: {opaque}"),
        format!("client-key-data: {opaque}"),
    ] {
        assert_eq!(
            secrets_in(&text),
            vec![(Secret::Credential, opaque)],
            "{text}"
        );
        masks(&text, &[opaque], &[]);
    }
}

#[test]
fn words_after_bearer_or_token_stay() {
    for text in [
        real("redact/kubernetes-65785-apiserver.txt"),
        "WWW-Authenticate: Bearer realm=\"kubernetes\"".to_string(),
        "Bearer authentication failed: token expired".to_string(),
        "serviceaccounttoken: mounted".to_string(),
        "secret default-token-9kg87 and token-x7k2p".to_string(),
        "token:      1099 bytes".to_string(),
        "--token is empty".to_string(),
    ] {
        assert_eq!(secrets_in(&text), vec![], "{text}");
        assert_eq!(redact::masked(&text), text);
    }
}

const KEY_BODY: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";

#[test]
fn a_private_key_block_loses_its_body_and_keeps_its_lines() {
    for label in [
        "PRIVATE KEY",
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
    ] {
        let pem =
            format!("-----BEGIN {label}-----\n{KEY_BODY}\n{KEY_BODY}\n-----END {label}-----\n");
        let text = format!("error: tls: failed to find any PEM data in key input:\n{pem}done");
        assert_eq!(secrets_in(&text).len(), 1);
        masks(
            &text,
            &[KEY_BODY],
            &[
                &format!("-----BEGIN {label}-----"),
                &format!("-----END {label}-----"),
                "done",
            ],
        );
    }
    // In a JSON string, and cut short before its END line.
    let escaped = format!(
        "{{\"key\":\"-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}\\n-----END PRIVATE KEY-----\\n\"}}"
    );
    masks(&escaped, &[KEY_BODY], &["-----END PRIVATE KEY-----"]);
    let cut = format!("-----BEGIN PRIVATE KEY-----\n{KEY_BODY}\n{KEY_BODY}");
    masks(&cut, &[KEY_BODY], &["-----BEGIN PRIVATE KEY-----"]);
    // A certificate is public: it stays.
    let cert = format!("-----BEGIN CERTIFICATE-----\n{KEY_BODY}\n-----END CERTIFICATE-----\n");
    assert_eq!(secrets_in(&cert), vec![]);
}

#[test]
fn every_value_under_a_secrets_data_is_masked() {
    let value = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk";
    let yaml = format!(
        "apiVersion: v1\nkind: Secret\ndata:\n  username: YWRtaW4=\n  password: {value}\n  multi: |\n    {value}\n    {value}\nmetadata:\n  name: db\n"
    );
    let shown = masks(
        &yaml,
        &[value, "YWRtaW4="],
        &["kind: Secret", "username: ", "password: ", "name: db"],
    );
    assert!(shown.contains("metadata:\n  name: db"), "{shown}");
    let string_data = "stringData:\n  password: hunter2\nkind: Secret\n";
    masks(string_data, &["hunter2"], &["kind: Secret"]);
    let flow = format!("data: {{username: YWRtaW4=, password: {value}}}\nkind: Secret");
    masks(&flow, &[value, "YWRtaW4="], &["username: ", "kind: Secret"]);
    let json = format!("{{\"kind\":\"Secret\",\"data\":{{\"username\":\"YWRtaW4=\",\"password\":\"{value}\"}},\"type\":\"Opaque\"}}");
    masks(
        &json,
        &[value, "YWRtaW4="],
        &["\"username\":\"", "\"type\":\"Opaque\""],
    );
    let escaped = json.replace('"', "\\\"");
    masks(&escaped, &[value, "YWRtaW4="], &["Opaque"]);
    // `data` inside a word, or with a value on its line, is not a Secret's data.
    assert_eq!(secrets_in("metadata:\n  name: x\n"), vec![]);
    assert_eq!(secrets_in("data: null\nname: x\n"), vec![]);
}

#[test]
fn text_that_embeds_several_secrets_loses_each_of_them() {
    let opaque = "s3cr3t-static-token-value";
    let text = format!(
        "I1207 10:00:00 round_trippers.go:466] curl -v -XGET -H \"Authorization: Bearer {opaque}\" 'https://10.0.0.1:6443/api'\n\
         error: You must be logged in to the server (Unauthorized): {}\n\
         audit: {{\"requestObject\":{{\"kind\":\"Secret\",\"data\":{{\"ca.crt\":\"ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklrRkNReUo5\"}}}}}}\n\
         -----BEGIN EC PRIVATE KEY-----\n{KEY_BODY}\n-----END EC PRIVATE KEY-----\n",
        jws()
    );
    let kinds: Vec<Secret> = secrets_in(&text).into_iter().map(|(k, _)| k).collect();
    for kind in [
        Secret::Credential,
        Secret::Jwt,
        Secret::SecretData,
        Secret::PrivateKey,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
    }
    masks(
        &text,
        &[
            opaque,
            PAYLOAD,
            SIGNATURE,
            "ZXlKaGJHY2lPaUpTVXpJMU5p",
            KEY_BODY,
        ],
        &[
            "round_trippers.go:466",
            "(Unauthorized)",
            "https://10.0.0.1:6443/api",
            "-----END EC PRIVATE KEY-----",
        ],
    );
    // Spans are in order and do not overlap.
    let spans = redact::secret_spans(&text);
    assert!(
        spans.windows(2).all(|w| w[0].range.end <= w[1].range.start),
        "{spans:?}"
    );
}

#[test]
fn masks_never_split_a_character_and_text_without_secrets_is_not_copied() {
    let text = format!("ünïcødé Bearer tök€n-with-ünïcødé-1234567 {}日本", jws());
    let shown = redact::masked(&text);
    assert!(
        shown.contains("ünïcødé") && shown.ends_with("日本"),
        "{shown}"
    );
    assert!(matches!(
        redact::masked("plain words only"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn real_pastes_lose_their_tokens_and_keep_their_words() {
    let kyma = real("redact/kyma-802-export.txt");
    masks(
        &kyma,
        &[
            "eyJpc3MiOiJodHRwczovL2RleC5reW1h",
            "AzK11SDE27NcX17RxiRCLYtREZ",
        ],
        &[
            "bash: export: `eyJhbGciOiJSUzI1NiIsImtpZCI6",
            "': not a valid identifier",
            "echo $AUTH\nBearer",
        ],
    );
    let nest = real("redact/nestjs-6-curl.txt");
    masks(
        &nest,
        &["eyJpZCI6MSwiaWF0", "Irmkw2p2I_MiLcAxEqTpIR0"],
        &["Authorization: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."],
    );
    let dify = real("redact/dify-1036-curl.txt");
    masks(
        &dify,
        &["cqgS9b6x9687HLJ5COyJ23Fz"],
        &["start with 'Bearer'", "\"user\": \"abc-123\""],
    );
    let describe = real("redact/kubernetes-28288-describe.txt");
    masks(
        &describe,
        &["eyJpc3MiOiJrdWJlcm5ldGVz"],
        &["Name:\t\trobot-token-66z81", "token:\t\t"],
    );
    let secrets = real("redact/kubernetes-36582-secrets.yaml");
    masks(
        &secrets,
        &["LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J"],
        &["items:\n- apiVersion: v1\n  data:\n    ca.crt: "],
    );
}

/// Every `<pre>`, `<td>` and `<dd>` of the pages renders its text through the one rule
/// (`Screen::text`, `shown`, `<Shown>`), or is a literal, or holds elements of its own (which
/// are checked in turn): text quoted from a paste cannot reach the screen past Redact by a new
/// cell that forgot it.
#[test]
fn pages_render_cells_and_blocks_through_the_redact_rule() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui/");
    let mut bypasses = Vec::new();
    // Every `.rs` file under the two folders, sub-folders (a page's own sections) included.
    let mut files = Vec::new();
    let mut dirs: Vec<std::path::PathBuf> = ["pages", "components"]
        .iter()
        .map(|d| format!("{root}{d}").into())
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    {
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                for tag in ["pre", "td", "dd"] {
                    let open = format!("<{tag}");
                    let close = format!("</{tag}>");
                    let mut rest = line;
                    while let Some(at) = rest.find(&open) {
                        let after = &rest[at + open.len()..];
                        if !after.starts_with([' ', '>']) {
                            rest = after;
                            continue;
                        }
                        // The element's content: after the opening tag's `>` (outside braces).
                        let mut depth = 0i32;
                        let mut start = None;
                        for (i, c) in after.char_indices() {
                            match c {
                                '{' => depth += 1,
                                '}' => depth -= 1,
                                '>' if depth == 0 => {
                                    start = Some(i + 1);
                                    break;
                                }
                                _ => {}
                            }
                        }
                        let Some(start) = start else { break };
                        let content = &after[start..];
                        let content = content.find(&close).map_or(content, |end| &content[..end]);
                        let body = content.trim();
                        let literal = body.starts_with("{ \"") && body.ends_with("\" }");
                        // `shown(|…|` is a page's own closure, not the rule.
                        let through = ["screen.text(", "shown(", "<Shown", "<"]
                            .iter()
                            .any(|way| body.contains(way))
                            && !body.starts_with("{ shown(|");
                        if !(body.is_empty() || literal || through) {
                            bypasses.push(format!("{}:{}: <{tag}>{body}", path.display(), n + 1));
                        }
                        rest = &after[start..];
                    }
                }
            }
        }
    }
    assert!(
        bypasses.is_empty(),
        "text rendered past Redact:\n{}",
        bypasses.join("\n")
    );
}

/// What Troubleshoot renders of a diagnosis: its cause, parts, steps and commands.
fn troubleshoot_texts(error: &str) -> Vec<String> {
    let d = tokenscope::troubleshoot::read(error);
    let guide = tokenscope::troubleshoot::guide(&d);
    let mut texts = vec![d.title().to_string(), guide.cause.clone()];
    texts.extend(d.parts().into_iter().map(|(_, v)| v));
    texts.extend(guide.steps.iter().map(ToString::to_string));
    texts.extend(guide.commands.iter().map(ToString::to_string));
    texts
}

#[test]
fn troubleshoot_quotes_a_token_embedded_in_an_error_only_masked() {
    let opaque = "s3cr3t-0123456789abcdef0123456789";
    let log = format!(
        "I1207 10:00:00.000000   12345 round_trippers.go:466] curl -v -XGET -H \"Authorization: Bearer {}\" 'https://203.0.113.10:6443/api/v1/namespaces/prod/pods'\n",
        jws()
    );
    let mut quoted = 0;
    for error in [
        format!("{log}error: You must be logged in to the server (Unauthorized): token {} rejected, --token={opaque}", jws()),
        format!("{log}Error from server (Forbidden): secrets \"db\" is forbidden: User \"system:serviceaccount:prod:app\" cannot get resource \"secrets\" in API group \"\" in the namespace \"prod\": webhook: \"Authorization: Bearer {opaque}\" denied for {}", jws()),
        format!("Unable to connect to the server: x509: certificate signed by unknown authority, bearer {}\n-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}\n-----END RSA PRIVATE KEY-----\n", jws()),
    ] {
        let texts = troubleshoot_texts(&error);
        quoted += texts
            .iter()
            .filter(|t| [PAYLOAD, SIGNATURE, opaque, KEY_BODY].iter().any(|s| t.contains(s)))
            .count();
        for text in &texts {
            masks(text, &[PAYLOAD, SIGNATURE, opaque, KEY_BODY], &[]);
        }
    }
    // The diagnoses do quote the secrets, so the masks above were tested.
    assert!(quoted > 0);
}

#[test]
fn masks_the_pages_wrote_stay_as_they_are() {
    for text in [
        format!(
            "users:\n- name: x\n  user:\n    token: {}\n",
            redact::token(&jws())
        ),
        format!("token: {}", redact::token("static-secret-token-1234")),
        format!(
            "{HEADER}.{}.{}",
            redact::mask(PAYLOAD),
            redact::mask(SIGNATURE)
        ),
        format!("Bearer {}", redact::mask(SIGNATURE)),
    ] {
        assert_eq!(redact::masked(&text), text);
    }
    // A real token with a mask's suffix is no mask.
    let forged = format!("{HEADER}.{PAYLOAD}.{SIGNATURE}-REDACTED");
    masks(&forged, &[PAYLOAD], &[]);
}

/// A kubeconfig's `client-key-data` is masked in every form a paste gives it: the real
/// kubeconfigs as written (YAML, or JSON for ugate's), as `kubectl config view -o json` does, the value
/// alone (also wrapped as `base64` writes it, or with CRLF), and the key it decodes to (PEM,
/// or JSON-escaped as an ExecCredential's `clientKeyData`). The certificate stays readable.
#[test]
fn a_client_key_is_masked_in_every_form_a_kubeconfig_gives_it() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    for (path, label) in [
        (
            "real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml",
            "RSA PRIVATE KEY",
        ),
        ("client-certs/real/k3s-telepresence.yaml", "EC PRIVATE KEY"),
        (
            "client-certs/real/ugate-carol-kubeconfig.json",
            "PRIVATE KEY",
        ),
    ] {
        let config = std::fs::read_to_string(format!(
            "{}/tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let doc = &tokenscope::formats::yaml::parse_documents(&config).unwrap()[0];
        let user = &doc["users"][0]["user"];
        let key_b64 = user["client-key-data"].as_str().unwrap().to_string();
        let cert_b64 = user["client-certificate-data"].as_str().unwrap();
        let pem = String::from_utf8(b64.decode(&key_b64).unwrap()).unwrap();
        let body: Vec<&str> = pem
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with("-----"))
            .collect();
        // Pieces of the key in each form: its base64 past the masks' kept prefix, and its
        // body's lines.
        let encoded = [&key_b64[8..48], &key_b64[key_b64.len() - 40..]];
        let cert_kept = &cert_b64[..60];
        let wrapped: String = key_b64
            .as_bytes()
            .chunks(76)
            .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
            .collect();
        let crlf = wrapped.replace('\n', "\r\n");
        let json = serde_json::to_string_pretty(doc).unwrap();
        let exec = format!(
            "{{\"kind\":\"ExecCredential\",\"status\":{{\"clientKeyData\":{}}}}}",
            serde_json::to_string(&pem).unwrap()
        );
        for (form, text, kept) in [
            ("yaml", config.as_str(), cert_kept),
            ("json", json.as_str(), cert_kept),
            ("value alone", key_b64.as_str(), ""),
            ("wrapped at 76", wrapped.as_str(), ""),
            ("wrapped with CRLF", crlf.as_str(), ""),
        ] {
            let shown = masks(text, &encoded, &[kept]);
            assert!(!shown.contains(&key_b64[8..]), "{path} {form}");
            // Every line of a wrapped value goes.
            for line in wrapped.lines().skip(1).filter(|l| l.len() >= 12) {
                assert!(!shown.contains(line), "{path} {form}: {line}");
            }
        }
        let begin = format!("-----BEGIN {label}-----");
        for (form, text) in [("pem", pem.clone()), ("exec credential", exec)] {
            let shown = masks(&text, &body, &[&begin]);
            assert!(!shown.contains(body[0]), "{path} {form}");
        }
        // A certificate's base64 alone is no secret.
        assert_eq!(secrets_in(cert_b64), vec![], "{path}");
    }
    // Base64 of PEM that is not a key stays; text that only starts like one stays too.
    let cert = b64.encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    assert_eq!(secrets_in(&cert), vec![]);
    assert_eq!(secrets_in("LS0tLS1CRUdJTi"), vec![]);
}
