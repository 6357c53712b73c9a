//! The Redact switch: masked values no longer reveal the secret, and nothing else changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::token;
use tokenscope::explain::explain;
use tokenscope::kubeconfig::{self, KubeconfigForm};
use tokenscope::{jwt, redact, shell, yaml_write};

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
    use tokenscope::unauthorized;
    let real = jwt::decode(&common::mint(
        r#"{"alg":"RS256","kid":"k"}"#,
        r#"{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:ns:sa","aud":["https://kubernetes.default.svc"],"iat":1795417000,"nbf":1795417000,"exp":1795420600,"kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"sa","uid":"u-0123456789"},"pod":{"name":"web","uid":"p-0123456789"}}}"#,
    ))
    .unwrap();
    let docs = tokenscope::yaml::parse_documents(
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
