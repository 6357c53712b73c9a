//! Workload-identity tokens: each cloud recognised by issuer and audience, look-alikes refused,
//! and the trust written for the token.
//!
//! The issuers are the forms each cloud documents (the AKS one is the example in Microsoft's
//! and Azure's own walkthroughs); no real workload-identity token is published with them, so
//! the tokens are minted here with those claims. Real tokens from GKE, kubeadm and k3d
//! clusters, which are not for a cloud, must not be recognised.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use serde_json::{json, Map, Value};
use tokenscope::cloud::{self, Cloud, WorkloadIdentity};
use tokenscope::finding::Level;
use tokenscope::jwt;

const EKS: &str = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const GKE: &str = "https://container.googleapis.com/v1/projects/shop-prod/locations/us-central1/clusters/checkout";
const AKS: &str = "https://westus3.oic.prod-aks.azure.com/7fa18207-b300-4404-8081-662ebc77b08d/53aa724a-f0a4-4205-919e-9b467fa667e4/";
const SUB: &str = "system:serviceaccount:payments:api";

/// The payload of a projected token with these claims, through the real decoder.
fn payload(iss: &str, aud: Value, sub: &str) -> Map<String, Value> {
    let token = common::mint_rs256(&json!({
        "aud": aud,
        "exp": 1_795_420_446,
        "iat": 1_795_416_846,
        "iss": iss,
        "kubernetes.io": {"namespace": "payments", "serviceaccount": {"name": "api", "uid": "0d4a6f0e-1c2b-4e55-9a7b-6c1d2e3f4a5b"}},
        "sub": sub,
    }));
    jwt::decode(&token).unwrap().payload
}

fn check(iss: &str, aud: Value) -> Option<WorkloadIdentity> {
    cloud::recognise(&payload(iss, aud, SUB))
}

fn titles(found: &WorkloadIdentity) -> Vec<&str> {
    found.findings.iter().map(|f| f.title.as_str()).collect()
}

#[test]
fn eks_irsa_gives_region_cluster_and_the_trust_policy_conditions() {
    let found = check(EKS, json!(["sts.amazonaws.com"])).unwrap();
    assert_eq!(found.cloud, Cloud::EksIrsa);
    assert_eq!(found.region.as_deref(), Some("us-east-1"));
    assert_eq!(
        found.cluster.as_deref(),
        Some("EXAMPLED539D4633E53DE1B71EXAMPLE")
    );
    assert_eq!(
        found.service_account,
        Some(("payments".into(), "api".into()))
    );
    assert_eq!(titles(&found), ["Made for the cloud, not for the cluster"]);
    assert!(found.findings[0].why.contains("not a cluster credential"));
    let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    assert_eq!(
        statement["Principal"]["Federated"],
        "arn:aws:iam::ACCOUNT_ID:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    );
    let conditions = &statement["Condition"]["StringEquals"];
    let provider = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    assert_eq!(conditions[format!("{provider}:sub")], SUB);
    assert_eq!(conditions[format!("{provider}:aud")], "sts.amazonaws.com");
}

#[test]
fn eks_in_china_uses_its_partition() {
    let iss = "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/F3FBBFA3747271100017387E04494B5C";
    let found = check(iss, json!("sts.amazonaws.com")).unwrap();
    assert_eq!(found.region.as_deref(), Some("cn-north-1"));
    assert!(found.trust.text.contains("\"arn:aws-cn:iam::ACCOUNT_ID:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/F3FBBFA3747271100017387E04494B5C\""));
}

#[test]
fn eks_pod_identity_is_recognised_by_its_audience() {
    let found = check(EKS, json!(["pods.eks.amazonaws.com"])).unwrap();
    assert_eq!(found.cloud, Cloud::EksPodIdentity);
    assert_eq!(found.region.as_deref(), Some("us-east-1"));
    let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Principal"]["Service"], "pods.eks.amazonaws.com");
    assert_eq!(
        statement["Action"],
        json!(["sts:AssumeRole", "sts:TagSession"])
    );
    let tags = &statement["Condition"]["StringEquals"];
    assert_eq!(
        tags["aws:RequestTag/kubernetes-namespace"],
        json!(["payments"])
    );
    assert_eq!(
        tags["aws:RequestTag/kubernetes-service-account"],
        json!(["api"])
    );
    // From a cluster that is not EKS: still for Pod Identity, but EKS will not take it.
    let found = check(
        "https://kubernetes.default.svc.cluster.local",
        json!("pods.eks.amazonaws.com"),
    )
    .unwrap();
    assert_eq!(found.region, None);
    assert!(titles(&found).contains(&"The issuer is not an EKS cluster's"));
}

#[test]
fn gke_gives_project_location_cluster_and_the_principal() {
    let found = check(GKE, json!("shop-prod.svc.id.goog")).unwrap();
    assert_eq!(found.cloud, Cloud::Gke);
    assert_eq!(found.account.as_deref(), Some("shop-prod"));
    assert_eq!(found.region.as_deref(), Some("us-central1"));
    assert_eq!(found.cluster.as_deref(), Some("checkout"));
    assert_eq!(found.audience, "shop-prod.svc.id.goog");
    assert!(found.trust.text.contains("--member=principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/shop-prod.svc.id.goog/subject/ns/payments/sa/api"));
    assert!(found
        .trust
        .text
        .starts_with("gcloud projects add-iam-policy-binding shop-prod "));
    assert!(found
        .trust
        .note
        .contains("serviceAccount:shop-prod.svc.id.goog[payments/api]"));
    assert_eq!(titles(&found), ["Made for the cloud, not for the cluster"]);
    // A fleet's pool belongs to its host project.
    let fleet = check(GKE, json!("fleet-host.svc.id.goog")).unwrap();
    assert!(titles(&fleet).contains(&"A pool of another project"));
    // A zonal cluster, and a domain-scoped project.
    let zonal = "https://container.googleapis.com/v1/projects/example.com:shop/locations/europe-west1-b/clusters/c1";
    let found = check(zonal, json!("example.com:shop.svc.id.goog")).unwrap();
    assert_eq!(found.region.as_deref(), Some("europe-west1-b"));
}

#[test]
fn aks_gives_region_tenant_and_the_federated_credential() {
    let found = check(AKS, json!(["api://AzureADTokenExchange"])).unwrap();
    assert_eq!(found.cloud, Cloud::Aks);
    assert_eq!(found.region.as_deref(), Some("westus3"));
    assert_eq!(
        found.account.as_deref(),
        Some("7fa18207-b300-4404-8081-662ebc77b08d")
    );
    assert_eq!(
        found.cluster.as_deref(),
        Some("53aa724a-f0a4-4205-919e-9b467fa667e4")
    );
    assert!(found.trust.text.contains(&format!("--issuer={AKS} ")));
    assert!(found.trust.text.contains(&format!("--subject={SUB} ")));
    assert!(found
        .trust
        .text
        .ends_with("--audience=api://AzureADTokenExchange"));
    // The issuer without its trailing slash is the same form.
    assert!(check(
        AKS.trim_end_matches('/'),
        json!("api://AzureADTokenExchange")
    )
    .is_some());
}

#[test]
fn look_alikes_do_not_match() {
    let sts = json!("sts.amazonaws.com");
    for iss in [
        "https://oidc.eks.evil.com/id/EXAMPLE",
        "https://oidc.eks.us-east-1.amazonaws.com.evil.com/id/x",
        "https://oidc.eks.us-east-1.amazonaws.com@evil.com/id/x",
        "https://oidc.eks.evil.com/.amazonaws.com/id/x",
        "https://evil.com/https://oidc.eks.us-east-1.amazonaws.com/id/x",
        "http://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
        "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE/extra",
        "https://oidc.eks.us-east-1.amazonaws.com/id/",
        "https://oidc.eks..amazonaws.com/id/EXAMPLE",
        "https://OIDC.EKS.us-east-1.amazonaws.com/id/EXAMPLE",
    ] {
        assert_eq!(check(iss, sts.clone()), None, "{iss}");
    }
    assert_eq!(check(EKS, json!("sts.amazonaws.com.evil")), None);
    assert_eq!(check(EKS, json!("https://kubernetes.default.svc")), None);
    let pool = json!("shop-prod.svc.id.goog");
    for iss in [
        "https://container.googleapis.com.evil/v1/projects/shop-prod/locations/us-central1/clusters/checkout",
        "https://container.googleapis.com.evil.com/v1/projects/shop-prod/locations/us-central1/clusters/checkout",
        "https://container.googleapis.com/v1/projects/shop-prod/locations/us-central1/clusters/checkout/extra",
        "https://container.googleapis.com/v1/projects/shop-prod/zones/us-central1-a/clusters/checkout",
        "https://container.googleapis.com/v1/projects//locations/us-central1/clusters/checkout",
    ] {
        assert_eq!(check(iss, pool.clone()), None, "{iss}");
    }
    assert_eq!(check(GKE, json!("shop-prod.svc.id.goog.evil")), None);
    assert_eq!(check(GKE, json!(".svc.id.goog")), None);
    let entra = json!("api://AzureADTokenExchange");
    for iss in [
        "https://westus3.oic.prod-aks.azure.com.evil.com/7fa18207-b300-4404-8081-662ebc77b08d/53aa724a-f0a4-4205-919e-9b467fa667e4/",
        "https://evil.com/westus3.oic.prod-aks.azure.com/7fa18207-b300-4404-8081-662ebc77b08d/53aa724a-f0a4-4205-919e-9b467fa667e4/",
        "https://westus3.oic.prod-aks.azure.com/not-a-tenant/53aa724a-f0a4-4205-919e-9b467fa667e4/",
        "https://west.us3.oic.prod-aks.azure.com/7fa18207-b300-4404-8081-662ebc77b08d/53aa724a-f0a4-4205-919e-9b467fa667e4/",
    ] {
        assert_eq!(check(iss, entra.clone()), None, "{iss}");
    }
    assert_eq!(check(AKS, json!("api://AzureADTokenExchange.evil")), None);
}

#[test]
fn real_cluster_tokens_are_not_for_a_cloud() {
    for path in [
        "real/tokens/legacy/istio-gke-legacy-kid-empty.jwt",
        "real/tokens/bound/kubeadm-v1.28-pod-warnafter-bradshaw.jwt",
        "real/tokens/bound/teleport-k3d-default-aud-node-jti-warnafter.jwt",
        "minted/token-bound-pod-rs256.jwt",
    ] {
        let token = jwt::decode(&common::token(path)).unwrap();
        assert_eq!(cloud::recognise(&token.payload), None, "{path}");
    }
}

#[test]
fn a_second_audience_may_make_it_a_cluster_credential_too() {
    let found = check(
        EKS,
        json!(["sts.amazonaws.com", "https://kubernetes.default.svc"]),
    )
    .unwrap();
    let also = found
        .findings
        .iter()
        .find(|f| f.title == "Also made for other audiences")
        .unwrap();
    assert_eq!(also.level, Level::Warning);
    assert!(also.why.contains("https://kubernetes.default.svc"));
}

#[test]
fn a_subject_that_is_not_a_service_account_leaves_placeholders() {
    let found = cloud::recognise(&payload(GKE, json!("shop-prod.svc.id.goog"), "alice")).unwrap();
    assert_eq!(found.service_account, None);
    assert!(titles(&found).contains(&"The subject is not a service account"));
    assert!(found
        .trust
        .text
        .contains("/subject/ns/NAMESPACE/sa/SERVICE_ACCOUNT"));
    // A hostile subject stays one quoted shell word.
    let found = cloud::recognise(&payload(
        AKS,
        json!("api://AzureADTokenExchange"),
        "x'; rm -rf ~ #",
    ))
    .unwrap();
    assert!(found.trust.text.contains("--subject='x'\\''; rm -rf ~ #'"));
}

#[test]
fn a_cloud_audience_is_told_without_the_full_reading() {
    use serde_json::json;
    use tokenscope::cloud::has_cloud_audience;
    let payload = |aud: serde_json::Value| json!({ "aud": aud }).as_object().unwrap().clone();
    for aud in [
        json!("sts.amazonaws.com"),
        json!(["https://kubernetes.default.svc", "pods.eks.amazonaws.com"]),
        json!("my-project.svc.id.goog"),
        json!(["api://AzureADTokenExchange"]),
    ] {
        assert!(has_cloud_audience(&payload(aud.clone())), "{aud}");
    }
    for aud in [
        json!("https://kubernetes.default.svc.cluster.local"),
        json!(".svc.id.goog"),
        json!("sts.amazonaws.com.evil"),
        json!([]),
    ] {
        assert!(!has_cloud_audience(&payload(aud.clone())), "{aud}");
    }
}
