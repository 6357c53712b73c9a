//! What each diagnosis means in plain words, and what to do: the cause of a 403, the
//! checklist of why a token gets a 401, how to get the right CA for an x509 error, and the
//! Kubernetes 1.24 change behind `resource name may not be empty`.

use super::fix::safe;
use super::{fix, CertificateProblem, Diagnosis, EmptyName, Forbidden, Requester};
use crate::access::{Miss, RankedMiss, RoleKind};
use crate::formats::shell::quote;
use crate::formats::yaml_write;
use crate::support::finding::Level;

/// The plain-words explanation of a diagnosis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guide {
    /// Why it happened.
    pub cause: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// Commands to run, one a line.
    pub commands: Vec<String>,
    /// A manifest to apply, when one helps.
    pub yaml: Option<String>,
}

/// The explanation of `diagnosis`.
pub fn guide(diagnosis: &Diagnosis) -> Guide {
    match diagnosis {
        Diagnosis::Forbidden(f) => forbidden(f),
        Diagnosis::Unauthorized(_) => Guide {
            cause: "The API server did not accept the credentials, so it does not know who \
                    made the request and never asked RBAC. A 401 says nothing about what the \
                    token may do: something about the token itself is wrong."
                .to_string(),
            steps: crate::troubleshoot::unauthorized::requirements()
                .iter()
                .map(|c| format!("{}: {}", c.requirement, c.why))
                .collect(),
            commands: vec![
                "kubectl get --raw /.well-known/openid-configuration".to_string(),
                "kubectl get --raw /openid/v1/jwks".to_string(),
            ],
            yaml: None,
        },
        Diagnosis::Escalation(e) => super::escalation::guide(e),
        Diagnosis::CredentialRefused(c) => super::authn::guide(c),
        Diagnosis::KubeletUnauthorized(k) => super::authn::kubelet_guide(k),
        Diagnosis::PyJwt(p) => super::pyjwt::guide(p),
        Diagnosis::CertificateNotTrusted(p) => certificate(p),
        Diagnosis::EmptyResourceName(e) => empty_name(e),
        Diagnosis::NotRecognised(n) => Guide {
            cause: n.to_string(),
            ..Guide::default()
        },
    }
}

fn forbidden(f: &Forbidden) -> Guide {
    if let Requester::Node { .. } = f.requester {
        return super::node::guide(f);
    }
    let what = match &f.path {
        Some(path) => format!("{} the path {path}", f.verb),
        None => {
            let mut what = format!("{} {}", f.verb, f.target());
            if let Some(name) = &f.name {
                what.push_str(&format!(" named {name}"));
            }
            match &f.namespace {
                Some(ns) => what.push_str(&format!(" in namespace {ns}")),
                None => what.push_str(" at the cluster scope"),
            }
            what
        }
    };
    let mut cause = if f.requester == Requester::Anonymous {
        format!(
            "The request carried no credentials the API server accepted, so it was treated \
             as system:anonymous, and nothing allows anonymous requests to {what}. This is a \
             missing or unused token, not a missing role."
        )
    } else {
        format!(
            "The API server knows who you are: it authenticated the request as {}. It was \
             refused because no RBAC rule bound to that user (or its groups) allows {what}.",
            f.user
        )
    };
    if !f.missing_roles.is_empty() {
        let names: Vec<String> = f
            .missing_roles
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    RoleKind::Role => "Role",
                    RoleKind::ClusterRole => "ClusterRole",
                };
                format!("{kind} {}", r.name)
            })
            .collect();
        cause.push_str(&format!(
            " A binding for this user names {}, which does not exist, so that binding grants \
             nothing: if it was meant to allow this, create the role (or fix the binding's \
             roleRef) instead of adding another.",
            names.join(" and ")
        ));
    } else if let Some(reason) = &f.reason {
        cause.push_str(&format!(" The authorizer added: {reason}."));
    } else {
        cause.push_str(" No missing role was named, so no binding gives this user this access.");
    }
    let mut steps = Vec::new();
    let fixed = fix(f);
    match &f.requester {
        Requester::ServiceAccount { namespace, name } => {
            if name == "default" {
                steps.push(format!(
                    "Give this workload its own service account rather than granting more to \
                     the default one of {namespace}, which every pod there without a \
                     serviceAccountName shares."
                ));
            }
            steps.push(match &fixed {
                Ok(fixed) if fixed.exact => format!(
                    "Grant exactly this request to service account {namespace}/{name} with the \
                     Role and binding below, or open the RBAC builder to widen it on purpose."
                ),
                Ok(_) => format!(
                    "Grant this request to service account {namespace}/{name} with the Role and \
                     binding below: the narrowest rule RBAC can write for it, which its notes \
                     say allows a little more."
                ),
                Err(_) => "No rule grants just this request: the reason is below.".to_string(),
            });
        }
        Requester::Anonymous => steps.push(
            "system:anonymous means no credentials were accepted: send the token, then read \
             the error again."
                .to_string(),
        ),
        Requester::Node { .. } => steps.push(
            "A node's requests are the Node authorizer's to decide, not RBAC's: the reason \
             below says what to check instead of adding a role."
                .to_string(),
        ),
        Requester::Person => steps.push(format!(
            "{} is not a service account; the binding below names the user itself.",
            f.user
        )),
        Requester::Unknown => {}
    }
    Guide {
        cause,
        steps,
        commands: Vec::new(),
        yaml: None,
    }
}

/// What to say of a nearest miss in the pasted RBAC, and how loudly. A change that grants
/// anything risky beyond the request (a built-in broad role, a `*`, Secrets, exec) is never
/// called enough: it is a warning that names what else it grants, beside the least-privilege
/// fix.
pub fn miss_advice(f: &Forbidden, ranked: &RankedMiss) -> (Level, String) {
    let (change, it) = match &ranked.miss {
        Miss::LacksVerb {
            binding,
            role,
            verbs,
        } => (
            format!(
                "Nearest miss: {binding} gives this user {role}, which allows {} on it but not \
                 {}.",
                verbs.join(", "),
                f.verb
            ),
            "Adding the verb to that role",
        ),
        Miss::NotBound { role } => (
            format!(
                "Nearest miss: {role} would allow this request, but no binding gives it to \
                 this user here."
            ),
            "Binding it",
        ),
    };
    if ranked.broader.is_empty() {
        let verdict = match (&ranked.miss, ranked.other_rules) {
            (Miss::LacksVerb { .. }, _) => "is the smaller change".to_string(),
            (Miss::NotBound { .. }, 0) => {
                "is enough, and grants nothing the risk rules flag".to_string()
            }
            (Miss::NotBound { .. }, n) => format!(
                "is enough, and grants nothing the risk rules flag, but it also grants {n} \
                 other rule{}: the least-privilege Role grants only this request",
                if n == 1 { "" } else { "s" }
            ),
        };
        (Level::Info, format!("{change} {it} {verdict}."))
    } else {
        (
            Level::Warning,
            format!(
                "{change} {it} would also grant {}: far more than this request. Prefer a \
                 least-privilege Role, which grants only what was asked.",
                ranked.broader.join(", ")
            ),
        )
    }
}

fn certificate(p: &CertificateProblem) -> Guide {
    let ca_steps = vec![
        "From a kubeconfig that works: kubectl config view --raw --minify -o \
         jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > ca.crt"
            .to_string(),
        "From the cluster (every namespace has it): kubectl get configmap kube-root-ca.crt \
         -o jsonpath='{.data.ca\\.crt}' > ca.crt"
            .to_string(),
        "Inside a pod: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt; on a kubeadm \
         control-plane node: /etc/kubernetes/pki/ca.crt."
            .to_string(),
        "On a managed cluster, let its CLI write the kubeconfig (aws eks update-kubeconfig, \
         gcloud container clusters get-credentials, az aks get-credentials)."
            .to_string(),
        "Do not use --insecure-skip-tls-verify: it sends the token to whoever answers.".to_string(),
    ];
    let server = "openssl s_client -connect HOST:6443 -showcerts </dev/null | openssl x509 \
                  -noout -issuer -subject -ext subjectAltName -dates"
        .to_string();
    match p {
        CertificateProblem::UnknownAuthority { .. } => Guide {
            cause: "The client did not trust the API server's certificate: the CA in your \
                    kubeconfig (certificate-authority-data) did not sign it. Usually the \
                    kubeconfig's CA is from another cluster or an older install; sometimes a \
                    proxy that inspects TLS signs the traffic with its own CA. Put the \
                    cluster's ca.crt in the kubeconfig; check it on the CA page."
                .to_string(),
            steps: ca_steps,
            commands: vec![
                server,
                "openssl x509 -in ca.crt -noout -subject".to_string(),
                "kubectl config set-cluster CLUSTER --certificate-authority=ca.crt \
                 --embed-certs=true"
                    .to_string(),
            ],
            yaml: None,
        },
        CertificateProblem::NameMismatch { .. } => Guide {
            cause: "The certificate is trusted but does not name the address you connected to: \
                    the kubeconfig's server is not among the certificate's subject alternative \
                    names. Connect by a name or IP it lists, or add the address to the API \
                    server's certificate (kubeadm: --apiserver-cert-extra-sans)."
                .to_string(),
            steps: Vec::new(),
            commands: vec![server],
            yaml: None,
        },
        CertificateProblem::Expired { .. } => Guide {
            cause: "The API server's certificate (or its CA) is outside its validity period, \
                    or this machine's clock is wrong. Check the dates, and renew the \
                    certificates (kubeadm certs check-expiration, kubeadm certs renew all)."
                .to_string(),
            steps: Vec::new(),
            commands: vec![server, "date -u".to_string()],
            yaml: None,
        },
    }
}

/// `value` when `fault` finds nothing wrong with it; else `None`, with why in `refused`.
fn checked<'a>(
    value: Option<&'a str>,
    fault: fn(&str) -> Option<String>,
    what: &str,
    refused: &mut Vec<String>,
) -> Option<&'a str> {
    let value = value?;
    match fault(value) {
        Some(why) => {
            refused.push(format!(
                "The paste's {what} {value:?} is not one Kubernetes allows ({why}), so the \
                 commands below say {} instead: put in the real one.",
                what.to_ascii_uppercase().replace(' ', "_")
            ));
            None
        }
        None => Some(value),
    }
}

fn empty_name(e: &EmptyName) -> Guide {
    // Names read from the paste go into commands and a manifest only when Kubernetes allows
    // them, so none can become a flag or an empty namespace; else the placeholder, and why.
    let mut refused = Vec::new();
    let account = checked(
        e.account.as_deref(),
        safe::subdomain_fault,
        "service account",
        &mut refused,
    )
    .unwrap_or("SERVICE_ACCOUNT");
    let namespace = checked(
        e.namespace.as_deref(),
        safe::label_fault,
        "namespace",
        &mut refused,
    )
    .unwrap_or("NAMESPACE");
    let secret = format!("{account}-token");
    let manifest = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "annotations": {"kubernetes.io/service-account.name": account},
            "name": secret,
            "namespace": namespace,
        },
        "type": "kubernetes.io/service-account-token",
    });
    let (q_account, q_ns) = (quote(account), quote(namespace));
    Guide {
        cause: "Since Kubernetes 1.24 a new ServiceAccount gets no token Secret, so its \
                .secrets list is empty. The recipe kubectl get secret $(kubectl get sa NAME -o \
                jsonpath='{.secrets[0].name}') then asks for a Secret with an empty name."
            .to_string(),
        steps: refused
            .into_iter()
            .chain([
            "Ask for a short-lived token instead: kubectl create token (it expires; request a \
             new one when it does)."
                .to_string(),
            "If something needs a long-lived token, create the token Secret below: the token \
             controller fills in its token, which lives until the Secret is deleted."
                .to_string(),
        ])
            .collect(),
        commands: vec![
            format!("kubectl create token {q_account} --namespace={q_ns} --duration=1h"),
            format!(
                "kubectl get secret {} --namespace={q_ns} -o jsonpath='{{.data.token}}' | base64 -d",
                quote(&secret)
            ),
        ],
        yaml: Some(yaml_write::document(&manifest)),
    }
}
