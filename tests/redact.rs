//! The Redact switch: masked values no longer reveal the secret, and nothing else changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::token;
use tokenscope::explain::explain;
use tokenscope::{jwt, redact};

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
fn token_signature_is_masked() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let masked = redact::token(&t);
    let (signed, _) = t.rsplit_once('.').unwrap();
    assert!(masked.starts_with(signed));
    assert!(masked.ends_with("••••••••"));
    assert!(!masked.contains(t.rsplit_once('.').unwrap().1));
    let text = format!("token: {t}\ncurl -H 'Authorization: Bearer {t}'");
    let out = redact::secrets_in(&text, &[&t]);
    assert!(!out.contains(&t));
    assert_eq!(out.matches("••••••••").count(), 2);
}

#[test]
fn report_and_payload_hide_uids_but_keep_names() {
    let jwt = jwt::decode(&token("minted/token-bound-pod-rs256.jwt")).unwrap();
    let plain = explain(&jwt, NOW);
    let masked = redact::report(plain.clone());
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
    let json = redact::json(&jwt.payload);
    let uid = common::fact("sa_uid");
    assert!(!json.contains(&uid));
    assert!(json.contains(&common::fact("bound_pod")));
}
