//! The built-in examples do what their buttons promise: each is recognised, decodes, and
//! verifies with the demo JWKS (checked with RustCrypto standing in for WebCrypto), and the CA
//! bundle is a real chain. `demo/examples.json`, which the app fetches, holds exactly the
//! files of `demo/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::native_verify;

use native_verify::native_verify;
use tokenscope::crypto::keys::{self, conclude, parse_keys, Plan, VerifyStatus};
use tokenscope::inspect::explain::explain_verified;
use tokenscope::learn::demo::{find, DemoError, DemoFiles, CA_BUNDLE, EXAMPLES, JWKS, RBAC};
use tokenscope::{crypto::x509, inspect::input, token::jwt};

/// A workshop day well inside every demo certificate's and token's validity.
const NOW: i64 = 1_800_000_000; // 2027-01-15

const BUNDLE: &str = include_str!("../../demo/examples.json");

/// The demo files as the app reads them.
fn demo() -> DemoFiles {
    DemoFiles::from_json(BUNDLE).unwrap()
}

/// Recognises the example's token input and verifies its (preferred) token natively.
fn verify(id: &str) -> (jwt::RawJwt, VerifyStatus) {
    let demo = demo();
    let filled = demo.fill(find(id).unwrap());
    let recognised = input::recognise(filled.token).unwrap();
    let candidate = &recognised.candidates[recognised.preferred];
    let jwt = jwt::decode(&candidate.token).unwrap();
    let keys = parse_keys(filled.key).unwrap().keys;
    let status = match keys::plan(&keys, &jwt) {
        Plan::Done(status) => status,
        Plan::Check { attempts, .. } => {
            let outcomes: Vec<_> = attempts
                .into_iter()
                .map(|(i, prepared)| (i, prepared.map(|v| native_verify(&v).unwrap())))
                .collect();
            conclude(&keys, &outcomes)
        }
    };
    (jwt, status)
}

#[test]
fn every_example_verifies_with_the_demo_jwks() {
    for example in EXAMPLES {
        let (_, status) = verify(example.id);
        assert!(
            matches!(status, VerifyStatus::Verified { .. }),
            "{}: {status:?}",
            example.id
        );
    }
}

#[test]
fn each_example_is_what_its_label_says() {
    let kind = |id: &str| {
        let (jwt, status) = verify(id);
        explain_verified(&jwt, NOW, Some(&status)).kind.text
    };
    assert!(kind("legacy").starts_with("Legacy"));
    assert!(kind("secret").starts_with("Legacy"));
    assert!(kind("bound").starts_with("Bound"));
    assert!(kind("es256").starts_with("Bound"));
    assert!(kind("kubeconfig").starts_with("Bound"));
    let (jwt, _) = verify("es256");
    assert_eq!(jwt.alg(), Some("ES256"));
    let (expired, _) = verify("expired");
    let report = explain_verified(&expired, NOW, None);
    assert!(
        report.status.text.starts_with("Expired"),
        "{:?}",
        report.status
    );
    let (bound, _) = verify("bound");
    let report = explain_verified(&bound, NOW, None);
    assert!(
        report.status.text.starts_with("Valid"),
        "{:?}",
        report.status
    );
}

#[test]
fn wrappers_carry_the_ca_and_namespace() {
    for id in ["secret", "kubeconfig"] {
        let recognised = input::recognise(demo().fill(find(id).unwrap()).token).unwrap();
        let candidate = &recognised.candidates[recognised.preferred];
        assert_eq!(candidate.namespace.as_deref(), Some("workshop"), "{id}");
        let ca = candidate.ca.as_deref().unwrap();
        assert!(
            demo().file(CA_BUNDLE).contains(ca.trim()),
            "{id}: CA is the demo root"
        );
    }
}

#[test]
fn ca_bundle_is_a_two_link_chain() {
    let bundle = x509::parse_bundle(demo().file(CA_BUNDLE)).unwrap();
    assert_eq!(bundle.certs.len(), 2);
    assert!(bundle.problems.is_empty());
    let links = x509::chain(&bundle.certs);
    let to_root = links.iter().find(|l| l.child == 0).unwrap();
    assert_eq!(to_root.issuer, Some(1));
    assert_eq!(native_verify(to_root.verify.as_ref().unwrap()), Ok(true));
    let report = x509::summarise(&bundle.certs, NOW);
    for cert in &report.certs {
        assert!(
            !cert
                .findings
                .iter()
                .any(|f| f.finding.level == tokenscope::support::finding::Level::Danger),
            "{}: {:?}",
            cert.title,
            cert.findings
        );
    }
}

#[test]
fn examples_are_marked_as_demo_material() {
    let demo = demo();
    assert!(demo.file(JWKS).contains("\"keys\""));
    for id in ["secret", "kubeconfig"] {
        assert!(demo
            .fill(find(id).unwrap())
            .token
            .starts_with("# DEMO MATERIAL"));
    }
    assert!(demo.file(RBAC).starts_with("# DEMO MATERIAL"));
    let ids: Vec<_> = EXAMPLES.iter().map(|e| e.id).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "ids are unique: {ids:?}");
    assert!(find("nope").is_none());
}

#[test]
fn the_bundle_holds_exactly_the_demo_files() {
    let bundle: serde_json::Map<String, serde_json::Value> = serde_json::from_str(BUNDLE).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/");
    for (name, text) in &bundle {
        let file = std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        assert_eq!(
            text.as_str(),
            Some(file.as_str()),
            "demo/examples.json is stale for {name}: run node scripts/lib/demo-bundle.mjs"
        );
    }
    let demo = demo();
    for example in EXAMPLES {
        assert!(!demo.file(example.token).is_empty(), "{}", example.id);
    }
}

#[test]
fn a_bundle_from_elsewhere_is_refused_with_a_reason() {
    assert!(matches!(
        DemoFiles::from_json("<html>404</html>"),
        Err(DemoError::NotJson(_))
    ));
    assert!(matches!(
        DemoFiles::from_json(r#"{"jwks.json": 1}"#),
        Err(DemoError::NotJson(_))
    ));
    assert_eq!(
        DemoFiles::from_json(r#"{"jwks.json": "{}"}"#),
        Err(DemoError::Missing("legacy.jwt"))
    );
    let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(300 * 1024));
    assert!(matches!(
        DemoFiles::from_json(&huge),
        Err(DemoError::TooLarge(_))
    ));
    let message = DemoFiles::from_json("[]").unwrap_err().to_string();
    assert!(message.contains("reload the page"), "{message}");
}
