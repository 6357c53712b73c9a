//! Workload-identity tokens: service-account tokens whose audience is a cloud, recognised by
//! their issuer and audience, with the cluster the issuer names and the trust the cloud needs.
//!
//! EKS, GKE and AKS let a pod trade a projected service-account token for cloud credentials.
//! Such a token is signed by the cluster like any other, but made for the cloud: the API
//! server accepts a token only when one of its audiences is the server's own, so a token for
//! `sts.amazonaws.com` is no cluster credential. What it is worth is what the cloud's trust
//! policy lets it become, and that policy matches its `iss`, `sub` and `aud`.
//!
//! The formats, from each cloud's documentation:
//! - EKS IAM roles for service accounts: issuer `https://oidc.eks.<region>.amazonaws.com/id/<id>`
//!   (`.amazonaws.com.cn` in China), audience `sts.amazonaws.com`, trust-policy conditions on
//!   `<issuer host and path>:sub` and `:aud`
//!   (<https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html>).
//!   The issuer's host names the ARN partition: `aws-cn` for `.amazonaws.com.cn`, `aws-us-gov`
//!   for the GovCloud regions `us-gov-*`, `aws` elsewhere.
//! - EKS Pod Identity: audience `pods.eks.amazonaws.com`; the role trusts the service principal
//!   `pods.eks.amazonaws.com` and conditions on the session tags it adds: `eks-cluster-arn`,
//!   `eks-cluster-name`, `kubernetes-namespace`, `kubernetes-service-account`,
//!   `kubernetes-pod-name`, `kubernetes-pod-uid`
//!   (<https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html>,
//!   <https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html>).
//! - GKE Workload Identity Federation: issuer
//!   `https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<cluster>`,
//!   audience the pool `<project>.svc.id.goog`, principal
//!   `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/subject/ns/<namespace>/sa/<name>`
//!   (<https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity>).
//! - AKS workload identity: issuer `https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/`,
//!   audience `api://AzureADTokenExchange`, a federated credential with that issuer, subject
//!   `system:serviceaccount:<namespace>:<name>` and audience
//!   (<https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster>). Clusters whose
//!   issuer was enabled before the regional hosts have `https://oidc.prod-aks.azure.com/<id>/`.
//!
//! A service-account token whose audience is a cloud's but whose issuer is none of these comes
//! from a self-managed cluster (or another cloud's) that uses the same exchange; it is
//! recognised by its audience alone and says so, with what the cloud must be told about that
//! issuer: for AWS, an IAM OIDC provider for it and its discovery document and keys public
//! (<https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/SELF_HOSTED_SETUP.md>).
//!
//! Hosts are matched whole, never by prefix or substring, so `https://oidc.eks.evil.com/…` and
//! `https://oidc.eks.us-east-1.amazonaws.com.evil.com/…` are not EKS.

use serde_json::{json, Map, Value};

use crate::formats::shell::quote;
use crate::support::finding::{Finding, Level};

mod trust;

/// The audience of EKS IAM roles for service accounts.
pub const EKS_IRSA_AUDIENCE: &str = "sts.amazonaws.com";
/// The audience IRSA may use in the AWS China regions.
pub const EKS_IRSA_AUDIENCE_CN: &str = "sts.amazonaws.com.cn";
/// The audience of EKS Pod Identity.
pub const EKS_POD_IDENTITY_AUDIENCE: &str = "pods.eks.amazonaws.com";
/// The suffix of a GKE workload identity pool, the audience of its tokens.
pub const GKE_POOL_SUFFIX: &str = ".svc.id.goog";
/// The audience of Microsoft Entra workload identity (AKS).
pub const AKS_AUDIENCE: &str = "api://AzureADTokenExchange";

/// Which cloud a token is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cloud {
    /// Amazon EKS, IAM roles for service accounts.
    EksIrsa,
    /// Amazon EKS Pod Identity.
    EksPodIdentity,
    /// Google Kubernetes Engine, Workload Identity Federation.
    Gke,
    /// Azure Kubernetes Service, Microsoft Entra workload identity.
    Aks,
}

impl Cloud {
    /// The cloud's feature, as its documentation names it.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::EksIrsa => "Amazon EKS: IAM roles for service accounts (IRSA)",
            Cloud::EksPodIdentity => "Amazon EKS Pod Identity",
            Cloud::Gke => "GKE Workload Identity Federation",
            Cloud::Aks => "AKS workload identity (Microsoft Entra)",
        }
    }

    /// The exchange the audience is for, without the managed cluster: what a self-managed
    /// cluster's token with this audience is made for.
    pub fn service(self) -> &'static str {
        match self {
            Cloud::EksIrsa => "AWS STS web identity federation",
            Cloud::EksPodIdentity => "the EKS Auth API (EKS Pod Identity)",
            Cloud::Gke => "Google Cloud workload identity federation (a workload identity pool)",
            Cloud::Aks => "Microsoft Entra workload identity federation",
        }
    }

    /// What a token with this cloud's audience is exchanged for, in a sentence's words.
    fn purpose(self) -> &'static str {
        match self {
            Cloud::EksIrsa => "AWS STS exchanges it for the credentials of an IAM role whose trust policy names the issuer (AssumeRoleWithWebIdentity, the exchange EKS's IRSA uses)",
            Cloud::EksPodIdentity => "the EKS Pod Identity agent on an EKS node exchanges it, through the EKS Auth API, for the role of a pod identity association",
            Cloud::Gke => "Google's STS exchanges it for a federated access token of the pool's principal",
            Cloud::Aks => "Microsoft Entra ID exchanges it for a token of the app or managed identity whose federated credential names the issuer",
        }
    }

    /// Whose managed issuer this cloud's own clusters have.
    fn owner(self) -> &'static str {
        match self {
            Cloud::EksIrsa => "EKS's",
            Cloud::EksPodIdentity => "an EKS cluster's",
            Cloud::Gke => "GKE's",
            Cloud::Aks => "AKS's",
        }
    }
}

/// The AWS partition an ARN is written in, read from the issuer's host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// The commercial regions: `arn:aws:…`.
    Aws,
    /// The China regions (`*.amazonaws.com.cn`): `arn:aws-cn:…`.
    AwsCn,
    /// AWS GovCloud (US), regions `us-gov-*`: `arn:aws-us-gov:…`.
    AwsUsGov,
}

impl Partition {
    /// The partition as ARNs write it.
    pub fn name(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
        }
    }
}

/// What the cloud must be told to trust this token: a policy or command, written for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trust {
    /// What the text is ("IAM role trust policy", "gcloud command", …).
    pub title: &'static str,
    /// The policy or command, with this token's values filled in; `UPPER_CASE` placeholders
    /// for what the token cannot tell (account ID, project number, names in the cloud).
    pub text: String,
    /// What the conditions check, read from the policy itself, and what is left unchecked.
    pub note: String,
}

/// A token recognised as made for a cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadIdentity {
    /// The cloud.
    pub cloud: Cloud,
    /// The audience that names the cloud.
    pub audience: String,
    /// Whether the issuer is the cloud's own managed issuer; `false` when only the audience
    /// names the cloud (a self-managed cluster using the same exchange).
    pub managed: bool,
    /// What the token is, in a sentence: the cloud, and whose issuer signed it.
    pub summary: String,
    /// The AWS partition the issuer's host names (EKS only).
    pub partition: Option<Partition>,
    /// The region (EKS, AKS) or location (GKE) the issuer names.
    pub region: Option<String>,
    /// The cluster the issuer names: EKS's OIDC provider ID, GKE's cluster name, AKS's
    /// issuer ID.
    pub cluster: Option<String>,
    /// GKE: the project in the issuer. AKS: the tenant ID.
    pub account: Option<String>,
    /// The service account the token names, `(namespace, name)`, from `sub`.
    pub service_account: Option<(String, String)>,
    /// What to know: not a cluster credential, other audiences, a subject or issuer that
    /// does not fit.
    pub findings: Vec<Finding>,
    /// The trust the cloud needs, written for this token.
    pub trust: Trust,
}

/// An EKS issuer's parts.
struct Eks<'a> {
    region: &'a str,
    id: &'a str,
    partition: Partition,
}

/// `https://oidc.eks.<region>.amazonaws.com[.cn]/id/<id>`, nothing else. China regions
/// (`cn-*`) live under `.amazonaws.com.cn` only, and the others under `.amazonaws.com` only.
fn eks_issuer(issuer: &str) -> Option<Eks<'_>> {
    let rest = issuer.strip_prefix("https://oidc.eks.")?;
    let (host, id) = rest.split_once("/id/")?;
    let (region, partition) = match host.strip_suffix(".amazonaws.com.cn") {
        Some(region) => (region, Partition::AwsCn),
        None => {
            let region = host.strip_suffix(".amazonaws.com")?;
            let gov = region.starts_with("us-gov-");
            (
                region,
                if gov {
                    Partition::AwsUsGov
                } else {
                    Partition::Aws
                },
            )
        }
    };
    let china_region = region.starts_with("cn-");
    (is_label(region)
        && china_region == (partition == Partition::AwsCn)
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then_some(Eks {
        region,
        id,
        partition,
    })
}

/// `https://container.googleapis.com/v1/projects/<p>/locations/<l>/clusters/<c>`: (p, l, c).
fn gke_issuer(issuer: &str) -> Option<(&str, &str, &str)> {
    let rest = issuer.strip_prefix("https://container.googleapis.com/v1/projects/")?;
    let mut parts = rest.split('/');
    let project = parts.next()?;
    let location = parts
        .next()
        .filter(|&p| p == "locations")
        .and(parts.next())?;
    let cluster = parts
        .next()
        .filter(|&p| p == "clusters")
        .and(parts.next())?;
    // Domain-scoped projects are written `example.com:project`.
    let project_ok = !project.is_empty()
        && project
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:".contains(&b));
    (parts.next().is_none() && project_ok && is_label(location) && is_label(cluster))
        .then_some((project, location, cluster))
}

/// An AKS issuer's parts: the region and tenant are absent from the legacy issuer.
struct AksIssuer<'a> {
    region: Option<&'a str>,
    tenant: Option<&'a str>,
    id: &'a str,
}

/// `https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/`, or the legacy
/// `https://oidc.prod-aks.azure.com/<id>/`; the trailing slash may be missing.
fn aks_issuer(issuer: &str) -> Option<AksIssuer<'_>> {
    let rest = issuer.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let path = path.strip_suffix('/').unwrap_or(path);
    if host == "oidc.prod-aks.azure.com" {
        return is_uuid(path).then_some(AksIssuer {
            region: None,
            tenant: None,
            id: path,
        });
    }
    let region = host.strip_suffix(".oic.prod-aks.azure.com")?;
    let (tenant, id) = path.split_once('/')?;
    (is_label(region) && is_uuid(tenant) && is_uuid(id)).then_some(AksIssuer {
        region: Some(region),
        tenant: Some(tenant),
        id,
    })
}

/// One DNS label of lower-case letters, digits and hyphens: a region, location or cluster.
fn is_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A Google Cloud project ID: 6 to 30 lower-case letters, digits and hyphens, starting with a
/// letter and not ending with a hyphen, optionally after a domain and `:` (domain-scoped
/// projects, `example.com:project`).
fn gcp_project_id(text: &str) -> bool {
    let id = text.rsplit_once(':').map_or(text, |(domain, id)| {
        if domain.starts_with(|c: char| c.is_ascii_lowercase()) {
            id
        } else {
            ""
        }
    });
    (6..=30).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex.
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The token's audiences: `aud` as one string or a list of them.
fn audiences(payload: &Map<String, Value>) -> Vec<&str> {
    match payload.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A GKE workload identity pool, `<project>.svc.id.goog`.
fn is_pool(audience: &str) -> bool {
    audience
        .strip_suffix(GKE_POOL_SUFFIX)
        .is_some_and(|p| !p.is_empty() && !p.contains('/'))
}

/// Whether a service-account token's audiences include a cloud's: a quick test that needs
/// none of [`recognise`]'s tables, for the first-visit page to offer the full reading.
pub fn has_cloud_audience(payload: &Map<String, Value>) -> bool {
    let subject = payload.get("sub").and_then(Value::as_str).unwrap_or("");
    kubernetes_token(payload, subject)
        && audiences(payload).iter().any(|&a| {
            [
                EKS_IRSA_AUDIENCE,
                EKS_IRSA_AUDIENCE_CN,
                EKS_POD_IDENTITY_AUDIENCE,
                AKS_AUDIENCE,
            ]
            .contains(&a)
                || is_pool(a)
        })
}

/// What [`recognise`] reads once from the payload and hands to each cloud's writer.
struct Claims<'a> {
    issuer: &'a str,
    subject: &'a str,
    namespace: &'a str,
    name: &'a str,
}

/// Recognises a workload-identity token from its payload, or `None` for any other token.
///
/// The cloud's own issuer and audience together are recognised first; then the audience
/// alone, for a self-managed cluster's token made for a cloud.
pub fn recognise(payload: &Map<String, Value>) -> Option<WorkloadIdentity> {
    let issuer = payload.get("iss").and_then(Value::as_str).unwrap_or("");
    let audiences = audiences(payload);
    let has = |wanted: &str| audiences.contains(&wanted);
    let subject = payload.get("sub").and_then(Value::as_str).unwrap_or("");
    let service_account = subject
        .strip_prefix("system:serviceaccount:")
        .and_then(|rest| rest.split_once(':'))
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty() && !name.contains(':'))
        .map(|(ns, name)| (ns.to_string(), name.to_string()));
    let (namespace, name) = match &service_account {
        Some((ns, name)) => (ns.as_str(), name.as_str()),
        None => ("NAMESPACE", "SERVICE_ACCOUNT"),
    };
    let claims = Claims {
        issuer,
        subject,
        namespace,
        name,
    };
    let sts = [EKS_IRSA_AUDIENCE, EKS_IRSA_AUDIENCE_CN]
        .into_iter()
        .find(|a| has(a));
    let pool = audiences.iter().copied().find(|a| is_pool(a));
    let mut recognised = if let (Some(eks), Some(audience)) = (eks_issuer(issuer), sts) {
        irsa(Some(&eks), audience, &claims)
    } else if has(EKS_POD_IDENTITY_AUDIENCE) {
        pod_identity(eks_issuer(issuer), &claims)
    } else if let (Some(gke_parts), Some(pool)) = (gke_issuer(issuer), pool) {
        gke(Some(gke_parts), pool, &claims)
    } else if let Some(parts) = aks_issuer(issuer).filter(|_| has(AKS_AUDIENCE)) {
        aks(Some(&parts), &claims)
    } else if !kubernetes_token(payload, subject) {
        // A cloud's audience from another kind of issuer (GitHub Actions, a CI system) is
        // no service-account token: nothing here describes it.
        return None;
    } else if let Some(audience) = sts {
        irsa(None, audience, &claims)
    } else if let Some(pool) = pool {
        gke(None, pool, &claims)
    } else if has(AKS_AUDIENCE) {
        aks(None, &claims)
    } else {
        return None;
    };
    recognised.service_account = service_account;
    recognised.summary = summary(&recognised, issuer);
    recognised.findings = findings(&recognised, &audiences, subject, issuer);
    Some(recognised)
}

/// Whether the payload is a Kubernetes service-account token's: the `kubernetes.io` claim
/// of a projected token, or a service account's subject.
fn kubernetes_token(payload: &Map<String, Value>, subject: &str) -> bool {
    payload.contains_key("kubernetes.io") || subject.starts_with("system:serviceaccount:")
}

fn identity(cloud: Cloud, audience: &str, managed: bool, trust: Trust) -> WorkloadIdentity {
    WorkloadIdentity {
        cloud,
        audience: audience.to_string(),
        managed,
        summary: String::new(),
        partition: None,
        region: None,
        cluster: None,
        account: None,
        service_account: None,
        findings: Vec::new(),
        trust,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The issuer as IAM names an OIDC provider: without `https://`; a placeholder when the
/// issuer is no HTTPS URL, since IAM registers HTTPS issuers only.
fn provider_name(issuer: &str) -> &str {
    issuer
        .strip_prefix("https://")
        .filter(|rest| !rest.is_empty())
        .unwrap_or("ISSUER_HOST_AND_PATH")
}

fn irsa(eks: Option<&Eks>, audience: &str, claims: &Claims) -> WorkloadIdentity {
    let provider = provider_name(claims.issuer);
    // Without an EKS host the partition is unknown; the China audience tells it.
    let partition = match eks {
        Some(eks) => eks.partition,
        None if audience == EKS_IRSA_AUDIENCE_CN => Partition::AwsCn,
        None => Partition::Aws,
    };
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {
                "Federated": format!("arn:{}:iam::ACCOUNT_ID:oidc-provider/{provider}", partition.name()),
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    format!("{provider}:sub"): claims.subject,
                    format!("{provider}:aud"): audience,
                },
            },
        }],
    });
    let mut intro = String::from("AWS STS exchanges the token for the role's credentials (AssumeRoleWithWebIdentity) only when the issuer is registered in the account as an IAM OIDC identity provider.");
    if eks.is_none() {
        intro.push_str(" The partition of this issuer is not known from it: in China the ARN begins arn:aws-cn, in GovCloud arn:aws-us-gov.");
    }
    aws_role(Cloud::EksIrsa, audience, eks, &policy, &intro)
}

/// An AWS token's reading: the role trust policy, its note read from its conditions, and
/// what the EKS issuer names.
fn aws_role(
    cloud: Cloud,
    audience: &str,
    eks: Option<&Eks>,
    policy: &Value,
    intro: &str,
) -> WorkloadIdentity {
    let mut found = identity(
        cloud,
        audience,
        eks.is_some(),
        Trust {
            title: "IAM role trust policy",
            note: trust::explain(policy, intro),
            text: pretty(policy),
        },
    );
    if let Some(eks) = eks {
        found.partition = Some(eks.partition);
        found.region = Some(eks.region.to_string());
        found.cluster = Some(eks.id.to_string());
    }
    found
}

fn pod_identity(eks: Option<Eks>, claims: &Claims) -> WorkloadIdentity {
    // The cluster's name is not in the token (the issuer holds the OIDC ID), nor the account.
    let (partition, region) = match &eks {
        Some(eks) => (eks.partition, eks.region),
        None => (Partition::Aws, "REGION"),
    };
    let cluster_arn = format!(
        "arn:{}:eks:{region}:ACCOUNT_ID:cluster/CLUSTER_NAME",
        partition.name()
    );
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": EKS_POD_IDENTITY_AUDIENCE },
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:RequestTag/eks-cluster-arn": [cluster_arn],
                    "aws:RequestTag/kubernetes-namespace": [claims.namespace],
                    "aws:RequestTag/kubernetes-service-account": [claims.name],
                },
            },
        }],
    });
    let mut intro = String::from("The Pod Identity agent sends the token to the EKS Auth API, which checks it and the pod identity association (cluster, namespace, service account), then assumes the role with session tags naming them.");
    if eks.is_none() {
        intro.push_str(" This issuer is not an EKS cluster's, and the EKS Auth API takes tokens of its own clusters only: no policy makes AWS accept this token.");
    }
    aws_role(
        Cloud::EksPodIdentity,
        EKS_POD_IDENTITY_AUDIENCE,
        eks.as_ref(),
        &policy,
        &intro,
    )
}

fn gke(parts: Option<(&str, &str, &str)>, pool: &str, claims: &Claims) -> WorkloadIdentity {
    let (ns, name) = (claims.namespace, claims.name);
    let principal = format!(
        "principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/{pool}/subject/ns/{ns}/sa/{name}"
    );
    let pool_project = pool.strip_suffix(GKE_POOL_SUFFIX).unwrap_or(pool);
    // The project is the command's one positional word: written only when it is a project ID
    // (a letter first, so never an option), else left for the reader to fill in.
    let project_word = if gcp_project_id(pool_project) {
        pool_project
    } else {
        "PROJECT_ID"
    };
    let text = format!(
        "gcloud projects add-iam-policy-binding {} \\\n  --role=ROLE \\\n  --member={}",
        quote(project_word),
        quote(&principal)
    );
    let mut note = format!("Google's STS maps the token's `sub` (system:serviceaccount:{ns}:{name}) to this principal in the pool {pool}, and IAM grants roles to the principal: this one service account in every cluster of the pool, nothing narrower. PROJECT_NUMBER is the number of the project {pool_project}. The older form impersonates a Google service account granted roles/iam.workloadIdentityUser for serviceAccount:{pool}[{ns}/{name}].");
    if parts.is_none() {
        note.push_str(" The pool accepts the issuer only once the cluster is registered in the fleet of that project with workload identity enabled, giving the issuer (or, for a private issuer, its keys).");
    }
    let mut found = identity(
        Cloud::Gke,
        pool,
        parts.is_some(),
        Trust {
            title: "gcloud command (IAM allow policy)",
            text,
            note,
        },
    );
    if let Some((project, location, cluster)) = parts {
        found.region = Some(location.to_string());
        found.cluster = Some(cluster.to_string());
        found.account = Some(project.to_string());
    }
    found
}

fn aks(parts: Option<&AksIssuer>, claims: &Claims) -> WorkloadIdentity {
    let (issuer, subject) = (claims.issuer, claims.subject);
    let text = format!(
        "az identity federated-credential create \\\n  --name FEDERATED_CREDENTIAL \\\n  --identity-name MANAGED_IDENTITY \\\n  --resource-group RESOURCE_GROUP \\\n  --issuer={} \\\n  --subject={} \\\n  --audience={}",
        quote(issuer),
        quote(subject),
        quote(AKS_AUDIENCE)
    );
    let mut note = String::from("Microsoft Entra ID issues a token for the managed identity only when a federated credential matches the token's issuer, subject and audience exactly (the issuer with its trailing slash, if it has one): this one service account of this one cluster.");
    if parts.is_none() {
        note.push_str(" Entra ID fetches the issuer's discovery document and keys itself, so they must be published at this issuer URL over HTTPS.");
    }
    let mut found = identity(
        Cloud::Aks,
        AKS_AUDIENCE,
        parts.is_some(),
        Trust {
            title: "Azure CLI command (federated identity credential)",
            text,
            note,
        },
    );
    if let Some(parts) = parts {
        found.region = parts.region.map(str::to_string);
        found.cluster = Some(parts.id.to_string());
        found.account = parts.tenant.map(str::to_string);
    }
    found
}

/// The managed issuer each cloud's own clusters have, as the findings name it.
fn managed_issuer(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::EksIrsa | Cloud::EksPodIdentity => "https://oidc.eks.<region>.amazonaws.com/id/<id>",
        Cloud::Gke => "https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<cluster>",
        Cloud::Aks => "https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/",
    }
}

fn summary(found: &WorkloadIdentity, issuer: &str) -> String {
    let cloud = found.cloud;
    if found.managed {
        format!(
            "This is a workload-identity token for {}, signed by the cloud's managed issuer for this cluster: {}.",
            cloud.name(),
            cloud.purpose()
        )
    } else {
        format!("The audience {} is for {}: {}. But the issuer {issuer:?} is not {} managed one ({}): the token comes from a self-managed cluster, or another cloud's, using the same exchange.", found.audience, cloud.service(), cloud.purpose(), cloud.owner(), managed_issuer(cloud))
    }
}

/// What the cloud must be set up with before it accepts a self-managed issuer's tokens.
fn self_managed_setup(cloud: Cloud, issuer: &str) -> String {
    let discovery = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    match cloud {
        Cloud::EksIrsa => format!("For AWS to accept it, the issuer must be registered in the account as an IAM OIDC identity provider (with sts.amazonaws.com as a client ID), and its discovery document ({discovery}) and the keys it names must be reachable by AWS over HTTPS."),
        Cloud::EksPodIdentity => "The EKS Auth API exchanges tokens of EKS clusters only; a self-managed cluster uses IAM roles for service accounts (audience sts.amazonaws.com) instead.".to_string(),
        Cloud::Gke => format!("For Google to accept it, the cluster must be registered in the fleet of the pool's project with workload identity enabled, with its issuer's discovery document ({discovery}) public or its keys uploaded."),
        Cloud::Aks => format!("For Entra ID to accept it, a federated credential must name this exact issuer, and the issuer's discovery document ({discovery}) and keys must be public over HTTPS."),
    }
}

fn findings(
    found: &WorkloadIdentity,
    audiences: &[&str],
    subject: &str,
    issuer: &str,
) -> Vec<Finding> {
    let mut findings = vec![Finding::new(
        Level::Info,
        "Made for the cloud, not for the cluster",
        format!("The API server accepts a token only when one of its audiences is the server's own (--api-audiences, by default its issuer). This token's audience is {}, so the API server refuses it: it is not a cluster credential. It is worth what {} lets it become: the cloud exchanges it for credentials under the trust below.", found.audience, if found.managed { found.cloud.name() } else { found.cloud.service() }),
    )];
    if !found.managed {
        // EKS Auth takes no other issuer at all; the others take any issuer set up for them.
        let level = match found.cloud {
            Cloud::EksPodIdentity => Level::Warning,
            _ => Level::Info,
        };
        findings.push(Finding::new(
            level,
            format!("The issuer is not {}", found.cloud.owner()),
            format!(
                "The audience is for {}, but the issuer {issuer:?} is not {}. {}",
                found.cloud.service(),
                managed_issuer(found.cloud),
                self_managed_setup(found.cloud, issuer)
            ),
        ));
    }
    let others: Vec<&str> = audiences
        .iter()
        .copied()
        .filter(|&a| a != found.audience)
        .collect();
    if !others.is_empty() {
        findings.push(Finding::new(
            Level::Warning,
            "Also made for other audiences",
            format!("It also names {}. If one of them is the API server's, this token works against the cluster as well; request one audience per token.", others.join(", ")),
        ));
    }
    if found.service_account.is_none() {
        findings.push(Finding::new(
            Level::Warning,
            "The subject is not a service account",
            format!("`sub` is {subject:?}, not system:serviceaccount:<namespace>:<name>; a trust written for a service account does not match it."),
        ));
    }
    if let (Cloud::Gke, Some(project)) = (found.cloud, &found.account) {
        if found.audience != format!("{project}{GKE_POOL_SUFFIX}") {
            findings.push(Finding::new(
                Level::Info,
                "A pool of another project",
                format!("The cluster is in project {project} and the token is for the pool {}: a fleet's workload identity, whose pool belongs to the fleet host project.", found.audience),
            ));
        }
    }
    findings
}
