//! The 401 checklist: each cause of an unauthenticated token, marked met, failed or unknown
//! against the minted tokens and keys and the objects pasted beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::{b64std, claim_i64, fact, mint_rs256, token, vector};
use serde_json::{json, Value};
use tokenscope::crypto::keys;
use tokenscope::token::jwt;
use tokenscope::troubleshoot::unauthorized::{checklist, related, Mark, Related};

/// The marks of the checklist, by requirement, for `token` at `now`.
fn marks(
    token: &str,
    keys: Option<&keys::KeySet>,
    related: &Related,
    now: i64,
) -> Vec<(&'static str, Mark)> {
    let jwt = jwt::decode(token).unwrap();
    checklist(&jwt, keys, related, now)
        .into_iter()
        .map(|c| (c.requirement, c.mark))
        .collect()
}

fn why(token: &str, keys: Option<&keys::KeySet>, related: &Related, now: i64, req: &str) -> String {
    let jwt = jwt::decode(token).unwrap();
    checklist(&jwt, keys, related, now)
        .into_iter()
        .find(|c| c.requirement == req)
        .unwrap_or_else(|| panic!("no check {req}"))
        .why
}

fn docs(yaml: &str) -> Related {
    related(&tokenscope::formats::yaml::parse_documents(yaml).unwrap())
}

fn discovery() -> Value {
    json!({
        "issuer": fact("issuer"),
        "jwks_uri": "https://10.0.0.1:6443/openid/v1/jwks",
        "response_types_supported": ["id_token"],
    })
}

#[test]
fn bound_token_with_nothing_pasted_beside_it() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let now = claim_i64(&t, "iat") + 60;
    assert_eq!(
        marks(&t, None, &Related::default(), now),
        [
            ("Within its validity period", Mark::Met),
            ("Signed by a key the API server holds", Mark::Unknown),
            ("Issued by this cluster", Mark::Unknown),
            ("Meant for the API server (audience)", Mark::Unknown),
            ("The pod it is bound to still exists", Mark::Unknown),
            ("The node it is bound to still exists", Mark::Unknown),
            ("Its service account still exists", Mark::Unknown),
        ]
    );
    let pod = why(
        &t,
        None,
        &Related::default(),
        now,
        "The pod it is bound to still exists",
    );
    assert!(
        pod.contains("kubectl get pod podgetter-7d9f8b6c5d-q4wz2 --namespace demo -o yaml"),
        "{pod}"
    );
}

#[test]
fn bound_token_with_everything_pasted_and_all_met() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let now = claim_i64(&t, "iat") + 60;
    let jwks = keys::parse_keys(&vector("minted/jwks.json")).unwrap();
    let objects = related(&[
        discovery(),
        json!({"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"namespace": "demo", "name": fact("bound_pod"),
                "uid": "4c08b7ca-91c2-5798-ac0e-5068431a7c82"}},
            {"kind": "Node", "metadata": {"name": "worker-3",
                "uid": "302fc40f-74ef-5bd1-871f-1bf4a245ce2a"}},
        ]}),
        json!({"kind": "ServiceAccount", "metadata": {"namespace": "demo", "name": "podgetter",
            "uid": fact("sa_uid")}}),
        json!({"kind": "ConfigMap", "metadata": {"name": "ignored"}}),
    ]);
    assert_eq!(objects.objects.len(), 3);
    let all = marks(&t, Some(&jwks), &objects, now);
    assert!(all.iter().all(|(_, m)| *m == Mark::Met), "{all:?}");
}

#[test]
fn each_cause_fails_on_its_own() {
    let t = token("minted/token-bound-pod-rs256.jwt");
    let iat = claim_i64(&t, "iat");
    let exp = claim_i64(&t, "exp");
    let none = Related::default();

    // Expired, and not yet valid (a clock behind).
    assert_eq!(marks(&t, None, &none, exp + 1)[0].1, Mark::Failed);
    assert!(why(&t, None, &none, exp + 1, "Within its validity period").contains("expired at"));
    assert_eq!(marks(&t, None, &none, iat - 3600)[0].1, Mark::Failed);

    // A rotated key: the pasted JWKS holds another key only.
    let other = keys::parse_keys(&vector("minted/other-rsa.pub.pem")).unwrap();
    let key = why(
        &t,
        Some(&other),
        &none,
        iat,
        "Signed by a key the API server holds",
    );
    assert!(
        key.contains(&fact("rsa_kid")) && key.contains("rotated"),
        "{key}"
    );

    // Another cluster's issuer.
    let mut elsewhere = discovery();
    elsewhere["issuer"] = json!("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC");
    let elsewhere = related(&[elsewhere]);
    assert_eq!(
        marks(&t, None, &elsewhere, iat)[2],
        ("Issued by this cluster", Mark::Failed)
    );
    assert_eq!(
        marks(&t, None, &elsewhere, iat)[3],
        ("Meant for the API server (audience)", Mark::Failed)
    );

    // A pod re-created under the same name.
    let pod = docs(&format!(
        "kind: Pod\nmetadata:\n  namespace: demo\n  name: {}\n  uid: 11111111-0000-0000-0000-000000000000\n",
        fact("bound_pod")
    ));
    let pod_why = why(&t, None, &pod, iat, "The pod it is bound to still exists");
    assert!(
        pod_why.contains("made again under the same name"),
        "{pod_why}"
    );

    // A service account re-created.
    let sa =
        docs("kind: ServiceAccount\nmetadata:\n  namespace: demo\n  name: podgetter\n  uid: new\n");
    assert_eq!(
        marks(&t, None, &sa, iat).last().unwrap(),
        &("Its service account still exists", Mark::Failed)
    );
}

#[test]
fn tokens_for_clouds_are_for_another_audience() {
    let t = mint_rs256(&json!({
        "iss": fact("issuer"),
        "aud": ["sts.amazonaws.com"],
        "sub": "system:serviceaccount:demo:podgetter",
        "exp": 2_000_000_000,
        "kubernetes.io": {"namespace": "demo", "serviceaccount": {"name": "podgetter", "uid": "u"}},
    }));
    let aud = marks(&t, None, &Related::default(), 1_800_000_000)[3];
    assert_eq!(aud, ("Meant for the API server (audience)", Mark::Failed));
}

#[test]
fn legacy_token_and_its_secret() {
    let t = token("minted/token-legacy-rs256.jwt");
    let none = Related::default();
    let all = marks(&t, None, &none, 1_800_000_000);
    assert_eq!(
        all,
        [
            ("Within its validity period", Mark::Met),
            ("Signed by a key the API server holds", Mark::Unknown),
            ("Issued by this cluster", Mark::Met),
            ("Meant for the API server (audience)", Mark::Met),
            ("Its Secret exists and is not marked invalid", Mark::Unknown),
            ("Its service account still exists", Mark::Unknown),
        ]
    );
    let secret = |labels: &str, token: &str| {
        docs(&format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: podgetter-token-x7k2p\n  namespace: demo\n{labels}data:\n  token: {}\n",
            b64std(token.as_bytes())
        ))
    };
    let req = "Its Secret exists and is not marked invalid";
    let ok = secret("", &t);
    assert_eq!(marks(&t, None, &ok, 0)[4], (req, Mark::Met));
    let invalid = secret(
        "  labels:\n    kubernetes.io/legacy-token-invalid-since: \"2026-01-02\"\n",
        &t,
    );
    assert_eq!(marks(&t, None, &invalid, 0)[4], (req, Mark::Failed));
    assert!(why(&t, None, &invalid, 0, req).contains("=2026-01-02"));
    let replaced = secret("", "another.token.value");
    assert!(why(&t, None, &replaced, 0, req).contains("holds another token"));
}
