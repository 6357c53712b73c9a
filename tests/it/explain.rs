//! Explaining tokens: kind, every claim's row, times relative to an injected `now`, status,
//! identity and findings, for the minted, real and wild vectors and for tokens built here.
//!
//! Data-driven through [`check`]: a token, `now`, and everything the report must say.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::{claim_i64, fact, mint, mint_rs256, token, vector};
use serde_json::json;
use tokenscope::inspect::explain::{explain, Level, Report, Row};
use tokenscope::inspect::input;
use tokenscope::token::claims::Identity;
use tokenscope::token::jwt;

/// What the report for one token must say.
struct Want {
    /// The start of the kind badge.
    kind: &'static str,
    /// The exact status text and level.
    status: (String, Level),
    lifetime: Option<&'static str>,
    /// `(claim, ISO-8601, relative)` for each time row, in order.
    times: Vec<(&'static str, String, &'static str)>,
    identity: Option<Identity>,
    /// Finding titles, most serious first.
    findings: Vec<&'static str>,
    /// Names of header and claim rows shown as unknown; every other row must be known.
    unknown: Vec<&'static str>,
}

/// Explains `token` at `now`, compares the report with `want` and returns it for more checks.
fn check(token: &str, now: i64, want: Want) -> Report {
    let jwt = jwt::decode(token).unwrap();
    let report = explain(&jwt, now);
    assert!(
        report.kind.text.starts_with(want.kind),
        "kind {:?}, want {:?}",
        report.kind.text,
        want.kind
    );
    assert!(!report.kind.detail.is_empty());
    assert_eq!(
        (report.status.text.clone(), report.status.level),
        want.status,
        "status"
    );
    assert_eq!(report.lifetime.as_deref(), want.lifetime, "lifetime");
    let times: Vec<(&str, &str, &str)> = report
        .times
        .iter()
        .map(|t| (t.claim, t.iso.as_str(), t.relative.as_str()))
        .collect();
    let want_times: Vec<(&str, &str, &str)> = want
        .times
        .iter()
        .map(|(c, i, r)| (*c, i.as_str(), *r))
        .collect();
    assert_eq!(times, want_times, "times");
    assert_eq!(report.identity, want.identity, "identity");
    let titles: Vec<&str> = report.findings.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(titles, want.findings, "findings");
    assert!(report.findings.windows(2).all(|w| w[0].level >= w[1].level));
    let unknown: Vec<&str> = report
        .header
        .iter()
        .chain(&report.claims)
        .filter(|r| !r.known)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(unknown, want.unknown, "unknown rows");
    for row in report.header.iter().chain(&report.claims) {
        assert!(!row.meaning.is_empty(), "{row:?}");
    }
    report
}

/// The identity kube-apiserver derives for `<ns>:<name>`.
fn identity(ns: &str, name: &str, uid: &str, extra: &[(&str, &str)]) -> Option<Identity> {
    Some(Identity {
        username: format!("system:serviceaccount:{ns}:{name}"),
        uid: Some(uid.to_string()),
        groups: vec![
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{ns}"),
            "system:authenticated".to_string(),
        ],
        extra: extra
            .iter()
            .map(|(k, v)| (format!("authentication.kubernetes.io/{k}"), v.to_string()))
            .collect(),
    })
}

/// The identity of the minted tokens' service account, from facts.json.
fn podgetter(extra: &[(&str, &str)]) -> Option<Identity> {
    identity(
        &fact("namespace"),
        &fact("serviceaccount"),
        &fact("sa_uid"),
        extra,
    )
}

fn row<'a>(report: &'a Report, name: &str) -> &'a Row {
    report
        .claims
        .iter()
        .chain(&report.header)
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

const LEGACY: &str = "Legacy service-account token";
const NO_EXPIRY: &str = "No expiry: legacy tokens are valid until their Secret is deleted";
const NEVER: &str = "Legacy token that never expires";
const UNCHECKED: &str = "Signature not checked yet";
const DEFAULT_SA: &str = "Default service account";
const KUBE_SYSTEM: &str = "kube-system namespace";

fn legacy_want(identity: Option<Identity>, findings: Vec<&'static str>) -> Want {
    Want {
        kind: LEGACY,
        status: (NO_EXPIRY.to_string(), Level::Warning),
        lifetime: None,
        times: vec![],
        identity,
        findings,
        unknown: vec![],
    }
}

/// The compact token inside a vector file, whatever it is wrapped in.
fn inside(path: &str) -> String {
    let found = input::recognise(&vector(path)).unwrap();
    found.candidates[0].token.clone()
}

#[test]
fn legacy_tokens() {
    // Legacy tokens have no time claims: any `now` gives the same report.
    let now = 1_795_416_906;
    let cases = [
        (
            "minted/token-legacy-rs256.jwt",
            podgetter(&[]),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/tokens/legacy/argocd-manager-minikube-kid-empty.jwt",
            identity(
                "kube-system",
                "argocd-manager",
                "91dd37cf-8d92-11e9-a091-d65f2ae7fa8d",
                &[],
            ),
            vec![NEVER, KUBE_SYSTEM, UNCHECKED],
        ),
        (
            "real/tokens/legacy/istio-gke-legacy-kid-empty.jwt",
            identity(
                "foo",
                "httpbin",
                "99f65f50-760a-11ea-89e7-42010a8001c1",
                &[],
            ),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/tokens/legacy/vault-legacy-rs256-unknown-key.jwt",
            identity(
                "default",
                "vault-auth",
                "044fd4f1-974d-11e7-9a15-0800276d99bf",
                &[],
            ),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/malformed/teleport-legacy-token-trailing-newline.jwt",
            identity(
                "default",
                "testsa",
                "0af4a78f-8f10-4685-ac29-cae08659bcae",
                &[],
            ),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/malformed/wso2-bearer-prefix-with-trailing-newline.txt",
            identity(
                "default",
                "build-robot",
                "d10f779e-f824-11e7-afa5-080027317f70",
                &[],
            ),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/malformed/vault-workshop-jp-data-token-base64.txt",
            identity(
                "default",
                "postgres-vault",
                "7309c23d-bccf-11e9-9fcc-0800275363d6",
                &[],
            ),
            vec![NEVER, UNCHECKED],
        ),
        (
            "real/secrets/argocd-manager-sa-token.secret.yaml",
            identity(
                "kube-system",
                "argocd-manager",
                "91dd37cf-8d92-11e9-a091-d65f2ae7fa8d",
                &[],
            ),
            vec![NEVER, KUBE_SYSTEM, UNCHECKED],
        ),
        // kube-system:default: both the default-account and the kube-system findings.
        (
            "wild/legacy-kube-system-default.jwt",
            identity(
                "kube-system",
                "default",
                "ba8add2d-12ab-11e8-9719-080027dd95a3",
                &[],
            ),
            vec![NEVER, DEFAULT_SA, KUBE_SYSTEM, UNCHECKED],
        ),
    ];
    for (path, who, findings) in cases {
        let report = check(&inside(path), now, legacy_want(who, findings));
        let later = explain(
            &jwt::decode(&inside(path)).unwrap(),
            now + 10 * 365 * 86_400,
        );
        assert_eq!(
            later, report,
            "{path}: a legacy report does not change with time"
        );
    }
}

#[test]
fn legacy_rows_explain_every_claim() {
    let report = check(
        &token("minted/token-legacy-rs256.jwt"),
        0,
        legacy_want(podgetter(&[]), vec![NEVER, UNCHECKED]),
    );
    let rows: Vec<(&str, &str)> = report
        .claims
        .iter()
        .map(|r| (r.name.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("iss", "kubernetes/serviceaccount"),
            ("kubernetes.io/serviceaccount/namespace", "demo"),
            (
                "kubernetes.io/serviceaccount/secret.name",
                "podgetter-token-x7k2p"
            ),
            (
                "kubernetes.io/serviceaccount/service-account.name",
                "podgetter"
            ),
            (
                "kubernetes.io/serviceaccount/service-account.uid",
                fact("sa_uid").as_str()
            ),
            ("sub", "system:serviceaccount:demo:podgetter"),
        ]
    );
    assert!(row(&report, "iss")
        .meaning
        .contains("fixed issuer of legacy tokens"));
    assert!(row(&report, "kubernetes.io/serviceaccount/secret.name")
        .meaning
        .contains("Deleting it revokes the token"));
    let header: Vec<(&str, &str)> = report
        .header
        .iter()
        .map(|r| (r.name.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(
        header,
        [
            ("alg", "RS256"),
            ("kid", fact("rsa_kid").as_str()),
            ("typ", "JWT")
        ]
    );
    assert!(row(&report, "alg")
        .meaning
        .contains("RSASSA-PKCS1-v1_5 with SHA-256"));
    assert_eq!(
        report.kind.text,
        "Legacy service-account token (Secret-based, never expires)"
    );
    // An empty kid says why it is empty.
    let argocd = explain(
        &jwt::decode(&token(
            "real/tokens/legacy/argocd-manager-minikube-kid-empty.jwt",
        ))
        .unwrap(),
        0,
    );
    assert!(row(&argocd, "kid").meaning.starts_with("Key ID, empty"));
}

#[test]
fn minted_pod_token() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let iat = claim_i64(&t, "iat");
    let issued = "2026-11-23T06:54:06Z".to_string();
    let report = check(
        &t,
        iat + 60,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Valid: expires in 364 days".to_string(), Level::Info),
            lifetime: Some("1 year"),
            times: vec![
                ("iat", issued.clone(), "1 minute ago"),
                ("nbf", issued, "1 minute ago"),
                ("exp", fact("bound-pod-rs256.exp"), "in 364 days"),
                // warnafter = iat + 3607.
                (
                    "kubernetes.io.warnafter",
                    "2026-11-23T07:54:13Z".to_string(),
                    "in 59 minutes",
                ),
            ],
            identity: podgetter(&[
                ("pod-name", &fact("bound_pod")),
                ("pod-uid", "4c08b7ca-91c2-5798-ac0e-5068431a7c82"),
                ("node-name", "worker-3"),
                ("node-uid", "302fc40f-74ef-5bd1-871f-1bf4a245ce2a"),
                ("credential-id", "JTI=f0964b46-91b2-5c3c-972e-5f525e324b95"),
            ]),
            findings: vec!["Very long lifetime (1 year)", UNCHECKED],
            unknown: vec![],
        },
    );
    let names: Vec<&str> = report.claims.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aud",
            "exp",
            "iat",
            "iss",
            "jti",
            "kubernetes.io.namespace",
            "kubernetes.io.serviceaccount.name",
            "kubernetes.io.serviceaccount.uid",
            "kubernetes.io.pod.name",
            "kubernetes.io.pod.uid",
            "kubernetes.io.warnafter",
            "kubernetes.io.node.name",
            "kubernetes.io.node.uid",
            "nbf",
            "sub",
        ]
    );
    assert_eq!(
        row(&report, "exp").value,
        format!("1826952846 ({}, in 364 days)", fact("bound-pod-rs256.exp"))
    );
    assert_eq!(
        row(&report, "kubernetes.io.warnafter").value,
        "1795420453 (2026-11-23T07:54:13Z, in 59 minutes)"
    );
    assert_eq!(
        row(&report, "kubernetes.io.pod.name").value,
        fact("bound_pod")
    );
    assert!(row(&report, "kubernetes.io.pod.name")
        .meaning
        .contains("invalid when the pod is deleted"));
    assert!(row(&report, "kubernetes.io.warnafter")
        .meaning
        .starts_with("Warn after"));
    // The pod token's year is the extended expiry, and the finding says so.
    let long = &report.findings[0];
    assert_eq!(long.level, Level::Warning);
    assert!(long.why.contains("extended expiry"), "{}", long.why);
}

#[test]
fn minted_es256_token_over_time() {
    let t = token("minted/token-bound-es256.jwt");
    let (iat, exp) = (claim_i64(&t, "iat"), claim_i64(&t, "exp"));
    let issued = "2026-11-23T06:54:06Z".to_string();
    let want = |status: &str, level, iat_rel, exp_rel| Want {
        kind: "Bound service-account token (unbound)",
        status: (status.to_string(), level),
        lifetime: Some("1 hour"),
        times: vec![
            ("iat", issued.clone(), iat_rel),
            ("nbf", issued.clone(), iat_rel),
            ("exp", fact("bound-es256.exp"), exp_rel),
        ],
        identity: podgetter(&[("credential-id", "JTI=a77b6e5e-892b-5e68-8ea6-ca9c169617ff")]),
        findings: vec![UNCHECKED],
        unknown: vec![],
    };
    let cases = [
        (
            iat + 60,
            "Valid: expires in 59 minutes",
            Level::Info,
            "1 minute ago",
            "in 59 minutes",
        ),
        (
            iat,
            "Valid: expires in 1 hour",
            Level::Info,
            "now",
            "in 1 hour",
        ),
        (
            exp - 1,
            "Valid: expires in 1 second",
            Level::Info,
            "59 minutes ago",
            "in 1 second",
        ),
        (exp, "Expired now", Level::Danger, "1 hour ago", "now"),
        (
            exp + 7200,
            "Expired 2 hours ago",
            Level::Danger,
            "3 hours ago",
            "2 hours ago",
        ),
        (
            exp + 3 * 86_400,
            "Expired 3 days ago",
            Level::Danger,
            "3 days ago",
            "3 days ago",
        ),
        (
            iat - 90,
            "Not yet valid: valid from 2026-11-23T06:54:06Z (in 1 minute)",
            Level::Warning,
            "in 1 minute",
            "in 1 hour",
        ),
    ];
    for (now, status, level, iat_rel, exp_rel) in cases {
        check(&t, now, want(status, level, iat_rel, exp_rel));
    }
    let report = explain(&jwt::decode(&t).unwrap(), iat + 60);
    assert!(row(&report, "alg").meaning.contains("ECDSA on P-256"));
    assert_eq!(
        row(&report, "aud").value,
        "https://kubernetes.default.svc.cluster.local"
    );
    assert_eq!(
        row(&report, "jti").value,
        "a77b6e5e-892b-5e68-8ea6-ca9c169617ff"
    );
}

#[test]
fn minted_expired_and_unsigned_tokens() {
    let expired = token("minted/token-expired-rs256.jwt");
    let exp = claim_i64(&expired, "exp");
    check(
        &expired,
        exp + 7200,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Expired 2 hours ago".to_string(), Level::Danger),
            lifetime: Some("10 minutes"),
            times: vec![
                ("iat", "2026-11-23T04:54:06Z".to_string(), "2 hours ago"),
                ("nbf", "2026-11-23T04:54:06Z".to_string(), "2 hours ago"),
                ("exp", fact("expired-rs256.exp"), "2 hours ago"),
                (
                    "kubernetes.io.warnafter",
                    "2026-11-23T05:54:13Z".to_string(),
                    "1 hour ago",
                ),
            ],
            identity: podgetter(&[
                ("pod-name", &fact("bound_pod")),
                ("pod-uid", "4c08b7ca-91c2-5798-ac0e-5068431a7c82"),
                ("node-name", "worker-3"),
                ("node-uid", "302fc40f-74ef-5bd1-871f-1bf4a245ce2a"),
                ("credential-id", "JTI=5f49b179-c61b-50b9-9ab0-27044b38a2db"),
            ]),
            findings: vec![UNCHECKED],
            unknown: vec![],
        },
    );
    let none = token("minted/token-alg-none.jwt");
    let report = check(
        &none,
        claim_i64(&none, "iat") + 60,
        Want {
            kind: "Bound service-account token (unbound)",
            status: ("Valid: expires in 59 minutes".to_string(), Level::Info),
            lifetime: Some("1 hour"),
            times: vec![
                ("iat", "2026-11-23T06:54:06Z".to_string(), "1 minute ago"),
                ("nbf", "2026-11-23T06:54:06Z".to_string(), "1 minute ago"),
                ("exp", fact("bound-es256.exp"), "in 59 minutes"),
            ],
            identity: podgetter(&[("credential-id", "JTI=a77b6e5e-892b-5e68-8ea6-ca9c169617ff")]),
            findings: vec!["Unsigned token (alg: none)"],
            unknown: vec![],
        },
    );
    assert_eq!(report.findings[0].level, Level::Danger);
    assert!(row(&report, "alg").meaning.contains("No signature at all"));
}

#[test]
fn real_bound_tokens() {
    // kubeadm 1.28 pod token: warnafter, one-year extended expiry, no jti.
    let kubeadm = token("real/tokens/bound/kubeadm-v1.28-pod-warnafter-bradshaw.jwt");
    check(
        &kubeadm,
        claim_i64(&kubeadm, "iat") + 60,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Valid: expires in 364 days".to_string(), Level::Info),
            lifetime: Some("1 year"),
            times: vec![
                ("iat", "2023-11-15T06:16:06Z".to_string(), "1 minute ago"),
                ("nbf", "2023-11-15T06:16:06Z".to_string(), "1 minute ago"),
                ("exp", "2024-11-14T06:16:06Z".to_string(), "in 364 days"),
                (
                    "kubernetes.io.warnafter",
                    "2023-11-15T07:16:13Z".to_string(),
                    "in 59 minutes",
                ),
            ],
            identity: identity(
                "default",
                "default",
                "dfa13ceb-5160-4a1a-9803-049e4873a609",
                &[
                    ("pod-name", "nginx-app-5777b5f95-97489"),
                    ("pod-uid", "52a7105a-fcff-49c2-9759-1815bd078fd7"),
                ],
            ),
            findings: vec![DEFAULT_SA, "Very long lifetime (1 year)", UNCHECKED],
            unknown: vec![],
        },
    );

    // k3d: two audiences, node binding beside the pod, jti.
    let k3d = token("real/tokens/bound/teleport-k3d-default-aud-node-jti-warnafter.jwt");
    let report = check(
        &k3d,
        claim_i64(&k3d, "exp") + 2 * 3600,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Expired 2 hours ago".to_string(), Level::Danger),
            lifetime: Some("1 year"),
            times: vec![
                ("iat", "2024-12-05T15:09:37Z".to_string(), "1 year ago"),
                ("nbf", "2024-12-05T15:09:37Z".to_string(), "1 year ago"),
                ("exp", "2025-12-05T15:09:37Z".to_string(), "2 hours ago"),
                (
                    "kubernetes.io.warnafter",
                    "2024-12-05T16:09:44Z".to_string(),
                    "1 year ago",
                ),
            ],
            identity: identity(
                "default",
                "default",
                "413815ab-ccf7-428a-b608-9e4e2be5976f",
                &[
                    ("pod-name", "hugo-test-pod"),
                    ("pod-uid", "b169be7d-cda2-4ca7-885f-c172b36a6537"),
                    ("node-name", "k3d-k3s-default-server-0"),
                    ("node-uid", "ec0153de-18b8-4997-88dd-61bc5fe93a8b"),
                    ("credential-id", "JTI=218cb4dd-3425-4c74-8b89-54b7234db018"),
                ],
            ),
            findings: vec![DEFAULT_SA, "Very long lifetime (1 year)", UNCHECKED],
            unknown: vec![],
        },
    );
    assert_eq!(
        row(&report, "aud").value,
        "https://kubernetes.default.svc.cluster.local, k3s"
    );
    assert_eq!(
        row(&report, "kubernetes.io.node.name").value,
        "k3d-k3s-default-server-0"
    );
    assert!(row(&report, "kubernetes.io.node.name")
        .meaning
        .contains("extra fields"));

    // Vault's minikube tokens: bound, but with the legacy issuer.
    let vault = token("real/tokens/bound/vault-projected-minikube-rs256-exp2030.jwt");
    let report = check(
        &vault,
        claim_i64(&vault, "iat") + 60,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Valid: expires in 10 years".to_string(), Level::Info),
            lifetime: Some("10 years"),
            times: vec![
                ("iat", "2020-10-30T18:33:17Z".to_string(), "1 minute ago"),
                ("nbf", "2020-10-30T18:33:17Z".to_string(), "1 minute ago"),
                ("exp", "2030-11-05T04:19:57Z".to_string(), "in 10 years"),
            ],
            identity: identity(
                "default",
                "default",
                "77c81ad7-1bea-4d94-9ca5-f5d7f3632331",
                &[
                    ("pod-name", "vault"),
                    ("pod-uid", "086c2f61-dea2-47bb-b5ca-63e63c5c9885"),
                ],
            ),
            findings: vec![
                DEFAULT_SA,
                "Very long lifetime (10 years)",
                UNCHECKED,
                "Bound token with the legacy issuer",
            ],
            unknown: vec![],
        },
    );
    assert!(row(&report, "iss")
        .meaning
        .contains("bound tokens on clusters without --service-account-issuer"));
    // Without warnafter, the long lifetime is not excused as the extended expiry.
    assert!(report.findings[1]
        .why
        .contains("a leaked copy works for that long"));

    let v112 = token("real/tokens/bound/vault-projected-minikube-v1.12-kid-empty.jwt");
    let report = check(
        &v112,
        claim_i64(&v112, "exp") - 86_400 * 3,
        Want {
            kind: "Bound service-account token (pod-bound)",
            status: ("Valid: expires in 3 days".to_string(), Level::Info),
            lifetime: Some("2 years"),
            times: vec![
                ("iat", "2018-10-19T20:39:23Z".to_string(), "1 year ago"),
                ("nbf", "2018-10-19T20:39:23Z".to_string(), "1 year ago"),
                ("exp", "2020-10-18T20:39:23Z".to_string(), "in 3 days"),
            ],
            identity: identity(
                "default",
                "default",
                "b389b3b2-d302-11e8-b14c-080027e55ea8",
                &[
                    ("pod-name", "vault"),
                    ("pod-uid", "1006a06c-d3df-11e8-8fe2-080027e55ea8"),
                ],
            ),
            findings: vec![
                DEFAULT_SA,
                "Very long lifetime (2 years)",
                UNCHECKED,
                "Bound token with the legacy issuer",
            ],
            unknown: vec![],
        },
    );
    assert_eq!(row(&report, "kid").value, "");
}

#[test]
fn tokens_that_are_not_kubernetes_tokens() {
    // RFC 7519 §6.1: unsigned, one custom claim, expired long ago.
    let rfc = token("real/malformed/rfc7519-6.1-unsecured-alg-none.jwt");
    let report = check(
        &rfc,
        1_300_819_380 - 3600,
        Want {
            kind: "Not a Kubernetes service-account token",
            status: ("Valid: expires in 1 hour".to_string(), Level::Info),
            lifetime: None,
            times: vec![("exp", "2011-03-22T18:43:00Z".to_string(), "in 1 hour")],
            identity: None,
            findings: vec![
                "Unsigned token (alg: none)",
                "Not a Kubernetes service-account token",
            ],
            unknown: vec!["http://example.com/is_root"],
        },
    );
    assert_eq!(row(&report, "http://example.com/is_root").value, "true");
    assert_eq!(
        row(&report, "http://example.com/is_root").meaning,
        "Unknown claim: not one Kubernetes sets."
    );
    assert!(report.kind.detail.contains("issued by joe"));

    // istio's test token behind a real (unsigned) header: aud is a plain string.
    let istio = token("real/malformed/istio-header-placeholder-one-aud-string.txt");
    let payload = istio.split('.').nth(1).unwrap();
    let t = format!("eyJhbGciOiJub25lIn0.{payload}.");
    let report = check(
        &t,
        claim_i64(&t, "iat") + 60,
        Want {
            kind: "Not a Kubernetes service-account token",
            status: ("Valid: expires in 99 years".to_string(), Level::Info),
            lifetime: Some("100 years"),
            times: vec![
                ("iat", "2020-01-19T00:46:41Z".to_string(), "1 minute ago"),
                ("exp", "2119-12-26T00:46:41Z".to_string(), "in 99 years"),
            ],
            identity: None,
            findings: vec![
                "Unsigned token (alg: none)",
                "Very long lifetime (100 years)",
                "Not a Kubernetes service-account token",
            ],
            unknown: vec![],
        },
    );
    assert_eq!(row(&report, "aud").value, "abc");
    assert_eq!(row(&report, "sub").value, "sub-1");

    // The first of the two glued jwt-go tokens: HMAC, and iat written as a date string.
    let glued = token("real/malformed/jwtgo-issue53-five-segments-not-jwe.txt");
    let first: Vec<&str> = glued.split('.').take(3).collect();
    let report = check(
        &first.join("."),
        1_421_951_976,
        Want {
            kind: "Not a Kubernetes service-account token",
            status: (
                "Unusable: iat is \"2015-01-22T13:39:36.752724047-05:00\", not a number of seconds, so verifiers reject the token".to_string(),
                Level::Danger,
            ),
            lifetime: None,
            times: vec![],
            identity: None,
            findings: vec![
                "Shared-secret signature (HMAC)",
                "Malformed iat",
                "Not a Kubernetes service-account token",
            ],
            unknown: vec!["id", "it"],
        },
    );
    assert_eq!(
        row(&report, "iat").value,
        "2015-01-22T13:39:36.752724047-05:00 (not a number of seconds)"
    );
    assert!(row(&report, "alg").meaning.contains("HMAC"));
}

/// The claims of a bound, unbound token of demo:podgetter issued at `iat`, for editing.
fn bound_payload(iat: i64) -> serde_json::Value {
    json!({
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "exp": iat + 3600,
        "iat": iat,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {
            "namespace": "demo",
            "serviceaccount": {"name": "podgetter", "uid": fact("sa_uid")},
        },
        "nbf": iat,
        "sub": "system:serviceaccount:demo:podgetter",
    })
}

const NOW: i64 = 1_800_000_000; // 2027-01-15T08:00:00Z

#[test]
fn not_yet_valid() {
    let mut payload = bound_payload(NOW + 3600);
    payload["exp"] = json!(NOW + 7200);
    check(
        &mint_rs256(&payload),
        NOW,
        Want {
            kind: "Bound service-account token (unbound)",
            status: (
                "Not yet valid: valid from 2027-01-15T09:00:00Z (in 1 hour)".to_string(),
                Level::Warning,
            ),
            lifetime: Some("1 hour"),
            times: vec![
                ("iat", "2027-01-15T09:00:00Z".to_string(), "in 1 hour"),
                ("nbf", "2027-01-15T09:00:00Z".to_string(), "in 1 hour"),
                ("exp", "2027-01-15T10:00:00Z".to_string(), "in 2 hours"),
            ],
            identity: podgetter(&[]),
            findings: vec![UNCHECKED],
            unknown: vec![],
        },
    );
}

#[test]
fn bindings_and_unknown_claims() {
    let base = |binding: Option<(&str, serde_json::Value)>| {
        let mut p = bound_payload(NOW);
        if let Some((key, value)) = binding {
            p["kubernetes.io"][key] = value;
        }
        p
    };
    let want = |kind, extra: &[(&str, &str)]| Want {
        kind,
        status: ("Valid: expires in 1 hour".to_string(), Level::Info),
        lifetime: Some("1 hour"),
        times: vec![
            ("iat", "2027-01-15T08:00:00Z".to_string(), "now"),
            ("nbf", "2027-01-15T08:00:00Z".to_string(), "now"),
            ("exp", "2027-01-15T09:00:00Z".to_string(), "in 1 hour"),
        ],
        identity: podgetter(extra),
        findings: vec![UNCHECKED],
        unknown: vec![],
    };
    let secret = base(Some(("secret", json!({"name": "s", "uid": "u-1"}))));
    let report = check(
        &mint_rs256(&secret),
        NOW,
        want("Bound service-account token (secret-bound)", &[]),
    );
    assert!(row(&report, "kubernetes.io.secret.name")
        .meaning
        .contains("deleting the Secret"));
    let node = base(Some(("node", json!({"name": "n1", "uid": "u-2"}))));
    check(
        &mint_rs256(&node),
        NOW,
        want(
            "Bound service-account token (node-bound)",
            &[("node-name", "n1"), ("node-uid", "u-2")],
        ),
    );

    // Claims this tool does not know, at the top level, inside kubernetes.io, in the header.
    let mut odd = base(Some(("future", json!("x"))));
    odd["kubernetes.io"]["pod"] = json!({"name": "p", "uid": "u-3", "color": "blue"});
    odd["x-custom"] = json!({"nested": [1, 2]});
    let t = mint(r#"{"alg":"RS256","kid":"k","cty":"JWT"}"#, &odd.to_string());
    let report = check(
        &t,
        NOW,
        Want {
            kind: "Bound service-account token (pod-bound)",
            unknown: vec![
                "cty",
                "kubernetes.io.future",
                "kubernetes.io.pod.color",
                "x-custom",
            ],
            ..want("", &[("pod-name", "p"), ("pod-uid", "u-3")])
        },
    );
    assert_eq!(row(&report, "x-custom").value, r#"{"nested":[1,2]}"#);
    assert_eq!(
        row(&report, "x-custom").meaning,
        "Unknown claim: not one Kubernetes sets on service-account tokens."
    );
    assert_eq!(
        row(&report, "kubernetes.io.future").meaning,
        "Unknown field in the kubernetes.io claim."
    );
    assert_eq!(row(&report, "cty").meaning, "Unknown header field.");

    // A legacy token with one extra claim: only that one is unknown.
    let legacy = jwt::decode(&token("minted/token-legacy-rs256.jwt")).unwrap();
    let mut payload = serde_json::Value::Object(legacy.payload);
    payload["x-team"] = json!("payments");
    check(
        &mint_rs256(&payload),
        NOW,
        Want {
            unknown: vec!["x-team"],
            ..legacy_want(podgetter(&[]), vec![NEVER, UNCHECKED])
        },
    );
}

#[test]
fn html_in_claims_is_kept_as_text() {
    let img = "<img src=x onerror=alert(1)>";
    let mut payload = bound_payload(NOW);
    payload["sub"] = json!(img);
    payload["kubernetes.io"]["serviceaccount"]["name"] = json!("<script>alert(1)</script>");
    payload["kubernetes.io"]["pod"] = json!({"name": "<b>pod</b>", "uid": "\"'&"});
    payload["note"] = json!(img);
    let t = mint(
        &format!(r#"{{"alg":"RS256","kid":"{}"}}"#, "&lt;kid&gt;"),
        &payload.to_string(),
    );
    let report = explain(&jwt::decode(&t).unwrap(), NOW);
    assert_eq!(row(&report, "sub").value, img);
    assert_eq!(row(&report, "note").value, img);
    assert_eq!(
        row(&report, "kubernetes.io.serviceaccount.name").value,
        "<script>alert(1)</script>"
    );
    assert_eq!(row(&report, "kubernetes.io.pod.name").value, "<b>pod</b>");
    assert_eq!(row(&report, "kubernetes.io.pod.uid").value, "\"'&");
    assert_eq!(row(&report, "kid").value, "&lt;kid&gt;");
    let who = report.identity.unwrap();
    assert_eq!(
        who.username,
        "system:serviceaccount:demo:<script>alert(1)</script>"
    );
    assert_eq!(who.extra[0].1, "<b>pod</b>");
}

#[test]
fn malformed_times_are_findings_not_panics() {
    let want = |status: &str, findings: Vec<&'static str>, times| Want {
        kind: "Bound service-account token (unbound)",
        status: (status.to_string(), Level::Danger),
        lifetime: None,
        times,
        identity: podgetter(&[]),
        findings,
        unknown: vec![],
    };
    let issued = || {
        vec![
            ("iat", "2027-01-15T08:00:00Z".to_string(), "now"),
            ("nbf", "2027-01-15T08:00:00Z".to_string(), "now"),
        ]
    };
    let mut payload = bound_payload(NOW);
    payload["exp"] = json!("tomorrow");
    let report = check(
        &mint_rs256(&payload),
        NOW,
        want(
            "Unusable: exp is \"tomorrow\", not a number of seconds, so verifiers reject the token",
            vec!["Malformed exp", UNCHECKED],
            issued(),
        ),
    );
    assert_eq!(
        row(&report, "exp").value,
        "tomorrow (not a number of seconds)"
    );
    assert!(report.findings[0].why.contains("but is tomorrow"));

    for (exp, shown) in [
        (json!({"at": 1}), r#"{"at":1}"#),
        (json!(null), "null"),
        (json!(1e300), "1e+300"),
        (json!(u64::MAX), "18446744073709551615"),
    ] {
        let mut payload = bound_payload(NOW);
        payload["exp"] = exp;
        check(
            &mint_rs256(&payload),
            NOW,
            want(
                &format!("Unusable: exp is {shown}, not a number of seconds, so verifiers reject the token"),
                vec!["Malformed exp", UNCHECKED],
                issued(),
            ),
        );
    }
    // A malformed warnafter is reported too.
    let mut payload = bound_payload(NOW);
    payload["kubernetes.io"]["warnafter"] = json!("soon");
    let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
    assert!(report
        .status
        .text
        .starts_with("Unusable: kubernetes.io.warnafter is \"soon\""));
    assert!(report
        .findings
        .iter()
        .any(|f| f.title == "Malformed kubernetes.io.warnafter"));

    // Extreme but numeric times do not overflow anything.
    for (iat, exp) in [
        (i64::MIN, i64::MAX),
        (0, -1),
        (-62_135_596_800, 253_402_300_799),
    ] {
        let mut payload = bound_payload(NOW);
        payload["iat"] = json!(iat);
        payload["exp"] = json!(exp);
        let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
        assert!(!report.status.text.is_empty());
    }
    // Fractional seconds are allowed and truncated.
    let mut payload = bound_payload(NOW);
    payload["exp"] = json!(NOW as f64 + 3600.9);
    let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
    assert_eq!(report.status.text, "Valid: expires in 1 hour");
    assert_eq!(report.lifetime.as_deref(), Some("1 hour"));
}

#[test]
fn odd_lifetimes_and_missing_expiry() {
    // exp before iat: no negative lifetime, a finding instead.
    let mut payload = bound_payload(NOW);
    payload["exp"] = json!(NOW - 3600);
    let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
    assert_eq!(report.lifetime, None);
    assert_eq!(report.status.text, "Expired 1 hour ago");
    assert!(report
        .findings
        .iter()
        .any(|f| f.title == "Expires before it was issued"));

    // A bound token without exp.
    let mut payload = bound_payload(NOW);
    payload.as_object_mut().unwrap().remove("exp");
    let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
    assert_eq!(report.status.text, "No expiry: the token has no exp claim");
    assert_eq!(report.status.level, Level::Warning);
    let titles: Vec<&str> = report.findings.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(titles, ["Bound token without exp", UNCHECKED]);

    // kubernetes.io of the wrong type: shown as what it should be, not as an unknown claim.
    let mut payload = bound_payload(NOW);
    payload["kubernetes.io"] = json!("demo");
    let report = explain(&jwt::decode(&mint_rs256(&payload)).unwrap(), NOW);
    let bad = row(&report, "kubernetes.io");
    assert!(bad.known);
    assert!(bad.meaning.contains("must be an object"), "{}", bad.meaning);
    assert!(report.kind.text.starts_with("Not a Kubernetes"));
}
