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
//! - EKS Pod Identity: audience `pods.eks.amazonaws.com`; the role trusts the service principal
//!   `pods.eks.amazonaws.com` and conditions on the session tags it adds
//!   (<https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html>).
//! - GKE Workload Identity Federation: issuer
//!   `https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<cluster>`,
//!   audience the pool `<project>.svc.id.goog`, principal
//!   `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/subject/ns/<namespace>/sa/<name>`
//!   (<https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity>).
//! - AKS workload identity: issuer `https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/`,
//!   audience `api://AzureADTokenExchange`, a federated credential with that issuer, subject
//!   `system:serviceaccount:<namespace>:<name>` and audience
//!   (<https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster>).
//!
//! Hosts are matched whole, never by prefix or substring, so `https://oidc.eks.evil.com/…` and
//! `https://oidc.eks.us-east-1.amazonaws.com.evil.com/…` are not EKS.

use serde_json::{json, Map, Value};

use crate::finding::{Finding, Level};
use crate::shell::quote;

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
}

/// What the cloud must be told to trust this token: a policy or command, written for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trust {
    /// What the text is ("IAM role trust policy", "gcloud command", …).
    pub title: &'static str,
    /// The policy or command, with this token's values filled in; `UPPER_CASE` placeholders
    /// for what the token cannot tell (account ID, project number, names in the cloud).
    pub text: String,
    /// What the conditions check, in a sentence or two.
    pub note: String,
}

/// A token recognised as made for a cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadIdentity {
    /// The cloud.
    pub cloud: Cloud,
    /// The audience that names the cloud.
    pub audience: String,
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
    china: bool,
}

/// `https://oidc.eks.<region>.amazonaws.com[.cn]/id/<id>`, nothing else.
fn eks_issuer(issuer: &str) -> Option<Eks<'_>> {
    let rest = issuer.strip_prefix("https://oidc.eks.")?;
    let (host, id) = rest.split_once("/id/")?;
    let (region, china) = match host.strip_suffix(".amazonaws.com") {
        Some(region) => (region, false),
        None => (host.strip_suffix(".amazonaws.com.cn")?, true),
    };
    (is_label(region) && !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(Eks { region, id, china })
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

/// `https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/`: (region, tenant, id).
fn aks_issuer(issuer: &str) -> Option<(&str, &str, &str)> {
    let rest = issuer.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let region = host.strip_suffix(".oic.prod-aks.azure.com")?;
    let path = path.strip_suffix('/').unwrap_or(path);
    let (tenant, id) = path.split_once('/')?;
    (is_label(region) && is_uuid(tenant) && is_uuid(id)).then_some((region, tenant, id))
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

/// Whether one of the token's audiences is a cloud's: a quick test that needs none of
/// [`recognise`]'s tables, for the first-visit page to offer the full reading.
pub fn has_cloud_audience(payload: &Map<String, Value>) -> bool {
    audiences(payload).iter().any(|a| {
        [
            EKS_IRSA_AUDIENCE,
            EKS_IRSA_AUDIENCE_CN,
            EKS_POD_IDENTITY_AUDIENCE,
            AKS_AUDIENCE,
        ]
        .contains(a)
            || (a.len() > GKE_POOL_SUFFIX.len() && a.ends_with(GKE_POOL_SUFFIX))
    })
}

/// Recognises a workload-identity token from its payload, or `None` for any other token.
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
    let (ns, name) = match &service_account {
        Some((ns, name)) => (ns.as_str(), name.as_str()),
        None => ("NAMESPACE", "SERVICE_ACCOUNT"),
    };
    let mut recognised = if let Some(eks) =
        eks_issuer(issuer).filter(|_| has(EKS_IRSA_AUDIENCE) || has(EKS_IRSA_AUDIENCE_CN))
    {
        let audience = if has(EKS_IRSA_AUDIENCE) {
            EKS_IRSA_AUDIENCE
        } else {
            EKS_IRSA_AUDIENCE_CN
        };
        irsa(&eks, issuer, audience, subject)
    } else if has(EKS_POD_IDENTITY_AUDIENCE) {
        pod_identity(eks_issuer(issuer), ns, name)
    } else if let Some((project, location, cluster)) = gke_issuer(issuer) {
        let pool = audiences.iter().copied().find(|a| {
            a.strip_suffix(GKE_POOL_SUFFIX)
                .is_some_and(|p| !p.is_empty() && !p.contains('/'))
        })?;
        gke(project, location, cluster, pool, ns, name)
    } else if let Some((region, tenant, id)) = aks_issuer(issuer).filter(|_| has(AKS_AUDIENCE)) {
        aks(region, tenant, id, issuer, subject)
    } else {
        return None;
    };
    recognised.service_account = service_account;
    recognised.findings = findings(&recognised, &audiences, subject, issuer);
    Some(recognised)
}

fn identity(cloud: Cloud, audience: &str, trust: Trust) -> WorkloadIdentity {
    WorkloadIdentity {
        cloud,
        audience: audience.to_string(),
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

fn irsa(eks: &Eks, issuer: &str, audience: &str, subject: &str) -> WorkloadIdentity {
    let provider = issuer.trim_start_matches("https://");
    let partition = if eks.china { "aws-cn" } else { "aws" };
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {
                "Federated": format!("arn:{partition}:iam::ACCOUNT_ID:oidc-provider/{provider}"),
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    format!("{provider}:sub"): subject,
                    format!("{provider}:aud"): audience,
                },
            },
        }],
    });
    let mut found = identity(
        Cloud::EksIrsa,
        audience,
        Trust {
            title: "IAM role trust policy",
            text: pretty(&policy),
            note: "AWS STS exchanges the token for the role's credentials only when the cluster's OIDC provider is registered in the account and the token's `sub` and `aud` equal these values; without the `:sub` condition every service account in the cluster can assume the role.".to_string(),
        },
    );
    found.region = Some(eks.region.to_string());
    found.cluster = Some(eks.id.to_string());
    found
}

fn pod_identity(eks: Option<Eks>, ns: &str, name: &str) -> WorkloadIdentity {
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": EKS_POD_IDENTITY_AUDIENCE },
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:RequestTag/kubernetes-namespace": [ns],
                    "aws:RequestTag/kubernetes-service-account": [name],
                },
            },
        }],
    });
    let mut found = identity(
        Cloud::EksPodIdentity,
        EKS_POD_IDENTITY_AUDIENCE,
        Trust {
            title: "IAM role trust policy",
            text: pretty(&policy),
            note: "The Pod Identity agent sends the token to the EKS Auth API, which checks it and the pod identity association (cluster, namespace, service account), then assumes the role with session tags; the conditions on those tags keep other associations from using the role.".to_string(),
        },
    );
    if let Some(eks) = eks {
        found.region = Some(eks.region.to_string());
        found.cluster = Some(eks.id.to_string());
    }
    found
}

fn gke(
    project: &str,
    location: &str,
    cluster: &str,
    pool: &str,
    ns: &str,
    name: &str,
) -> WorkloadIdentity {
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
    let mut found = identity(
        Cloud::Gke,
        pool,
        Trust {
            title: "gcloud command (IAM allow policy)",
            text,
            note: format!("Google's STS maps the token's `sub` (system:serviceaccount:{ns}:{name}) to this principal in the pool {pool}, and IAM grants roles to the principal; PROJECT_NUMBER is the number of the project {pool_project}. The older form impersonates a Google service account granted roles/iam.workloadIdentityUser for serviceAccount:{pool}[{ns}/{name}]."),
        },
    );
    found.region = Some(location.to_string());
    found.cluster = Some(cluster.to_string());
    found.account = Some(project.to_string());
    found
}

fn aks(region: &str, tenant: &str, id: &str, issuer: &str, subject: &str) -> WorkloadIdentity {
    let text = format!(
        "az identity federated-credential create \\\n  --name FEDERATED_CREDENTIAL \\\n  --identity-name MANAGED_IDENTITY \\\n  --resource-group RESOURCE_GROUP \\\n  --issuer={} \\\n  --subject={} \\\n  --audience={}",
        quote(issuer),
        quote(subject),
        quote(AKS_AUDIENCE)
    );
    let mut found = identity(
        Cloud::Aks,
        AKS_AUDIENCE,
        Trust {
            title: "Azure CLI command (federated identity credential)",
            text,
            note: "Microsoft Entra ID issues a token for the managed identity only when a federated credential matches the token's issuer, subject and audience exactly (the issuer with its trailing slash).".to_string(),
        },
    );
    found.region = Some(region.to_string());
    found.cluster = Some(id.to_string());
    found.account = Some(tenant.to_string());
    found
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
        format!("The API server accepts a token only when one of its audiences is the server's own (--api-audiences, by default its issuer). This token's audience is {}, so the API server refuses it: it is not a cluster credential. It is worth what {} lets it become: the cloud exchanges it for credentials under the trust below.", found.audience, found.cloud.name()),
    )];
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
    if found.cloud == Cloud::EksPodIdentity && found.cluster.is_none() {
        findings.push(Finding::new(
            Level::Warning,
            "The issuer is not an EKS cluster's",
            format!("The audience is EKS Pod Identity's, but the issuer {issuer:?} is not https://oidc.eks.<region>.amazonaws.com/id/<id>; the EKS Auth API accepts tokens of its own clusters only."),
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
