//! Workload-identity tokens: each cloud recognised by issuer and audience, look-alikes refused,
//! and the trust written for the token.
//!
//! The issuers are the forms each cloud documents (the AKS one is the example in Microsoft's
//! and Azure's own walkthroughs), and real issuers and claim sets from public sources in
//! `fixtures/cloud/` (EKS in GovCloud and China, Pod Identity, AKS's current and legacy
//! issuers, GKE, self-managed issuers with a cloud's audience). Real tokens from GKE, kubeadm
//! and k3d clusters, which are not for a cloud, must not be recognised.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use serde_json::{json, Map, Value};
use tokenscope::inspect::cloud::{self, Cloud, WorkloadIdentity};
use tokenscope::support::finding::Level;
use tokenscope::token::jwt;

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

/// A look-alike issuer is never read as the cloud's own: the token is recognised by its
/// audience alone, with nothing taken from the issuer.
fn not_the_clouds_own(found: Option<WorkloadIdentity>, iss: &str) {
    let found = found.unwrap_or_else(|| panic!("{iss}: the audience is a cloud's"));
    assert!(!found.managed, "{iss}");
    assert_eq!(found.region, None, "{iss}");
    assert_eq!(found.cluster, None, "{iss}");
    assert_eq!(found.account, None, "{iss}");
    assert_eq!(found.partition, None, "{iss}");
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
        not_the_clouds_own(check(iss, sts.clone()), iss);
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
        not_the_clouds_own(check(iss, pool.clone()), iss);
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
        not_the_clouds_own(check(iss, entra.clone()), iss);
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
    use tokenscope::inspect::cloud::has_cloud_audience;
    let payload = |aud: serde_json::Value| {
        json!({ "aud": aud, "sub": SUB })
            .as_object()
            .unwrap()
            .clone()
    };
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
    // A CI system's token for a cloud is no service-account token.
    let github = common::vector("cloud/claims/not-kubernetes-github-actions-sts.json");
    let github: serde_json::Value = serde_json::from_str(&github).unwrap();
    assert!(!has_cloud_audience(github.as_object().unwrap()));
}

/// `tests/fixtures/cloud/manifest.json`: real issuers and claims, with their sources.
fn cloud_manifest() -> serde_json::Map<String, Value> {
    let text = common::vector("cloud/manifest.json");
    let value: Value = serde_json::from_str(&text).unwrap();
    value.as_object().unwrap().clone()
}

/// The condition keys of a trust policy we wrote.
fn condition_keys(policy: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    for statement in policy["Statement"].as_array().unwrap() {
        for (_, tests) in statement["Condition"].as_object().into_iter().flatten() {
            keys.extend(tests.as_object().unwrap().keys().cloned());
        }
    }
    keys
}

#[test]
fn real_claims_are_recognised_as_their_sources_say() {
    let mut seen = 0;
    for (path, entry) in cloud_manifest() {
        let Some(file) = path.strip_prefix("claims/") else {
            continue;
        };
        let claims: Value =
            serde_json::from_str(&common::vector(&format!("cloud/{path}"))).unwrap();
        let want = &entry["expect"];
        if want["cloud"].is_null() {
            assert_eq!(
                cloud::recognise(claims.as_object().unwrap()),
                None,
                "{file}"
            );
            seen += 1;
            continue;
        }
        let found = cloud::recognise(claims.as_object().unwrap())
            .unwrap_or_else(|| panic!("{file}: not recognised"));
        assert_eq!(format!("{:?}", found.cloud), want["cloud"], "{file}");
        assert_eq!(found.managed, want["managed"], "{file}");
        let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        assert_eq!(
            found.partition.map_or(Value::Null, |p| p.name().into()),
            want["partition"],
            "{file}"
        );
        assert_eq!(text(&found.region), want["region"], "{file}");
        assert_eq!(text(&found.cluster), want["cluster"], "{file}");
        assert_eq!(text(&found.account), want["account"], "{file}");
        let (ns, name) = found.service_account.clone().unwrap();
        assert_eq!(json!([ns, name]), want["service_account"], "{file}");
        if let Some(federated) = want["federated"].as_str() {
            let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
            assert_eq!(
                policy["Statement"][0]["Principal"]["Federated"], federated,
                "{file}"
            );
        }
        // The summary and findings say whose issuer it is.
        let self_managed = titles(&found)
            .iter()
            .any(|t| t.starts_with("The issuer is not"));
        assert_eq!(self_managed, !found.managed, "{file}: {:?}", titles(&found));
        let named = if found.managed {
            found.cloud.name()
        } else {
            found.cloud.service()
        };
        assert!(found.summary.contains(named), "{file}: {}", found.summary);
        seen += 1;
    }
    assert_eq!(seen, 11, "claim sets in cloud/manifest.json");
}

#[test]
fn govcloud_and_china_take_their_partitions_and_mismatches_are_refused() {
    let sts = json!("sts.amazonaws.com");
    for (iss, partition, arn) in [
        (
            "https://oidc.eks.us-gov-east-1.amazonaws.com/id/ABC123",
            "aws-us-gov",
            "arn:aws-us-gov:iam::ACCOUNT_ID:oidc-provider/oidc.eks.us-gov-east-1.amazonaws.com/id/ABC123",
        ),
        (
            "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/CHINA1",
            "aws-cn",
            "arn:aws-cn:iam::ACCOUNT_ID:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/CHINA1",
        ),
        (
            "https://oidc.eks.eu-west-1.amazonaws.com/id/EU1",
            "aws",
            "arn:aws:iam::ACCOUNT_ID:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EU1",
        ),
    ] {
        let found = check(iss, sts.clone()).unwrap();
        assert!(found.managed, "{iss}");
        assert_eq!(found.partition.unwrap().name(), partition, "{iss}");
        let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
        assert_eq!(policy["Statement"][0]["Principal"]["Federated"], arn, "{iss}");
        // Pod Identity's cluster ARN is in the same partition.
        let pods = check(iss, json!("pods.eks.amazonaws.com")).unwrap();
        assert!(pods
            .trust
            .text
            .contains(&format!("\"arn:{partition}:eks:")));
    }
    // A China region outside the China domain, or the reverse, is no EKS issuer.
    for iss in [
        "https://oidc.eks.cn-north-1.amazonaws.com/id/X1",
        "https://oidc.eks.us-east-1.amazonaws.com.cn/id/X1",
    ] {
        let found = check(iss, sts.clone()).unwrap();
        assert!(!found.managed, "{iss}");
        assert_eq!(found.partition, None, "{iss}");
    }
}

#[test]
fn the_legacy_aks_issuer_is_recognised() {
    let legacy = "https://oidc.prod-aks.azure.com/291168e9-1ded-42d8-8608-c9ff8fe7c21b/";
    let found = check(legacy, json!(["api://AzureADTokenExchange"])).unwrap();
    assert_eq!(found.cloud, Cloud::Aks);
    assert!(found.managed);
    assert_eq!(found.region, None);
    assert_eq!(found.account, None);
    assert_eq!(
        found.cluster.as_deref(),
        Some("291168e9-1ded-42d8-8608-c9ff8fe7c21b")
    );
    assert!(found.trust.text.contains(&format!("--issuer={legacy} ")));
    // Not a UUID (as issue threads mask it), or another host: audience only.
    for iss in [
        "https://oidc.prod-aks.azure.com/XXXXXX/",
        "https://oidc.prod-aks.azure.com.evil.com/291168e9-1ded-42d8-8608-c9ff8fe7c21b/",
        "https://oidc.prod-aks.azure.com/291168e9-1ded-42d8-8608-c9ff8fe7c21b/extra/",
    ] {
        let found = check(iss, json!("api://AzureADTokenExchange")).unwrap();
        assert!(!found.managed, "{iss}");
        assert_eq!(found.cluster, None, "{iss}");
    }
}

#[test]
fn a_cloud_audience_from_a_self_managed_issuer_says_what_must_be_configured() {
    let iss = "https://s3.eu-west-1.amazonaws.com/my-cluster-oidc";
    for (aud, cloud, words) in [
        (
            json!("sts.amazonaws.com"),
            Cloud::EksIrsa,
            "registered in the account as an IAM OIDC identity provider",
        ),
        (
            json!("api://AzureADTokenExchange"),
            Cloud::Aks,
            "a federated credential must name this exact issuer",
        ),
        (
            json!("shop-prod.svc.id.goog"),
            Cloud::Gke,
            "registered in the fleet of the pool's project",
        ),
        (
            json!("pods.eks.amazonaws.com"),
            Cloud::EksPodIdentity,
            "exchanges tokens of EKS clusters only",
        ),
    ] {
        let found = check(iss, aud.clone()).unwrap();
        assert_eq!(found.cloud, cloud, "{aud}");
        assert!(!found.managed, "{aud}");
        assert!(
            found.summary.contains("managed one"),
            "{aud}: {}",
            found.summary
        );
        assert!(found.summary.contains(cloud.service()), "{aud}");
        assert!(found.summary.contains(iss), "{aud}");
        let finding = found.findings.get(1).unwrap();
        assert!(finding.why.contains(words), "{aud}: {}", finding.why);
        if cloud != Cloud::EksPodIdentity {
            assert!(
                finding
                    .why
                    .contains("https://s3.eu-west-1.amazonaws.com/my-cluster-oidc/.well-known/openid-configuration"),
                "{aud}"
            );
        }
    }
    // The IRSA policy names the self-managed issuer as the provider, and says the
    // partition is not known from it.
    let found = check(iss, json!("sts.amazonaws.com")).unwrap();
    let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
    assert_eq!(
        policy["Statement"][0]["Principal"]["Federated"],
        "arn:aws:iam::ACCOUNT_ID:oidc-provider/s3.eu-west-1.amazonaws.com/my-cluster-oidc"
    );
    assert!(found.trust.note.contains("arn:aws-us-gov"));
    // An issuer that is no HTTPS URL cannot be an IAM provider: a placeholder stands in.
    let found = check("kubernetes/serviceaccount", json!("sts.amazonaws.com")).unwrap();
    assert!(found
        .trust
        .text
        .contains("oidc-provider/ISSUER_HOST_AND_PATH\""));
}

#[test]
fn each_trust_note_names_exactly_the_conditions_its_policy_has() {
    const KNOWN: [&str; 5] = [
        ":sub`",
        ":aud`",
        "aws:RequestTag/eks-cluster-arn",
        "aws:RequestTag/kubernetes-namespace",
        "aws:RequestTag/kubernetes-service-account",
    ];
    for (iss, aud) in [
        (EKS, json!("sts.amazonaws.com")),
        (EKS, json!("pods.eks.amazonaws.com")),
        (
            "https://kubernetes.default.svc",
            json!("pods.eks.amazonaws.com"),
        ),
        ("https://issuer.example.com", json!("sts.amazonaws.com")),
    ] {
        let found = check(iss, aud.clone()).unwrap();
        let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
        let keys = condition_keys(&policy);
        let note = &found.trust.note;
        for key in &keys {
            assert!(
                note.contains(&format!("`{key}`")),
                "{iss} {aud}: {key} not in {note}"
            );
        }
        for known in KNOWN {
            if note.contains(known) {
                assert!(
                    keys.iter().any(|k| format!("`{k}`").contains(known)),
                    "{iss} {aud}: the note claims {known} the policy lacks: {note}"
                );
            }
        }
    }
}

#[test]
fn pod_identity_policies_bind_the_role_to_a_cluster() {
    let found = check(EKS, json!("pods.eks.amazonaws.com")).unwrap();
    let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
    let tags = &policy["Statement"][0]["Condition"]["StringEquals"];
    assert_eq!(
        tags["aws:RequestTag/eks-cluster-arn"],
        json!(["arn:aws:eks:us-east-1:ACCOUNT_ID:cluster/CLUSTER_NAME"])
    );
    assert!(!found.trust.note.contains("No condition binds"));
    // From a non-EKS issuer the region is unknown, and the note says plainly AWS will not
    // take the token whatever the policy says.
    let found = check(
        "https://kubernetes.default.svc",
        json!("pods.eks.amazonaws.com"),
    )
    .unwrap();
    let policy: Value = serde_json::from_str(&found.trust.text).unwrap();
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["aws:RequestTag/eks-cluster-arn"],
        json!(["arn:aws:eks:REGION:ACCOUNT_ID:cluster/CLUSTER_NAME"])
    );
    assert!(found
        .trust
        .note
        .contains("no policy makes AWS accept this token"));
    assert!(!found.trust.note.contains("keep other associations"));
}
