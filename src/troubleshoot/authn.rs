//! Authentication failures that someone other than the client reports: the API server's log
//! (`Unable to authenticate the request …`), a TokenReview's `status.error` relayed by the
//! service that asked (Vault's `lookup failed: [invalid bearer token, …]`), a TLS alert the
//! server sent back (`remote error: tls: expired certificate`), and the kubelet's 401 to the
//! API server behind `kubectl logs`, `exec`, `attach`, `port-forward` and `proxy`.
//!
//! Each is about a *client's* credential. Read as an x509 error of the client, they would send
//! the user to fix the API server's certificate, which is the opposite of the fix.

use super::grammar::{clip, line_around};
use super::{CertificateProblem, Diagnosis, Guide};

/// What kind of credential was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A client certificate (mTLS): its CA, validity or key usage.
    ClientCertificate,
    /// A bearer token: a service-account token, an OIDC ID token, a webhook's token.
    BearerToken,
}

impl Credential {
    /// `client certificate`, `bearer token`.
    pub fn words(self) -> &'static str {
        match self {
            Credential::ClientCertificate => "client certificate",
            Credential::BearerToken => "bearer token",
        }
    }
}

/// Who said the credential was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reporter {
    /// The API server's (or an aggregated API server's) own log.
    ServerLog,
    /// The server, as a TLS alert the client printed (`remote error: tls: …`).
    TlsHandshake,
    /// A TokenReview's `status.error`, as the service that asked relays it.
    TokenReview,
}

impl Reporter {
    /// How the page names the reporter.
    pub fn words(self) -> &'static str {
        match self {
            Reporter::ServerLog => "the server's log",
            Reporter::TlsHandshake => "the server, in the TLS handshake",
            Reporter::TokenReview => "a TokenReview",
        }
    }
}

/// A client's credential that a server refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialRefused {
    /// The kind of credential.
    pub credential: Credential,
    /// Who reported it.
    pub reporter: Reporter,
    /// The line it was read from.
    pub detail: String,
}

/// The kubelet's 401 to the API server, behind a `pods/log`, `exec`, `attach`,
/// `portforward` or `proxy` request whose own credentials were accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletRefusal {
    /// `pods/log`, `pods/exec`, …
    pub subresource: String,
    /// The pod, when the message names one that reads as an object name.
    pub name: Option<String>,
    /// kubectl's message.
    pub message: String,
}

/// Subresources the API server serves by calling the kubelet.
const KUBELET_SUBRESOURCES: [&str; 5] = [
    "pods/log",
    "pods/exec",
    "pods/attach",
    "pods/portforward",
    "pods/proxy",
];

const UNABLE: &str = "Unable to authenticate the request";
const INVALID_TOKEN: &str = "invalid bearer token";
const TLS_ALERT: &str = "remote error: tls: ";

/// Whether a line holding a TLS or x509 error is one this module reads (so the certificate
/// finder leaves it alone).
pub(super) fn is_reported_elsewhere(line: &str) -> bool {
    line.contains(UNABLE) || line.contains(INVALID_TOKEN) || line.contains(TLS_ALERT)
}

/// The last refused credential in `text`, with where its anchor starts.
pub(super) fn find(text: &str) -> Option<(usize, Diagnosis)> {
    let (at, anchor) = [UNABLE, INVALID_TOKEN, TLS_ALERT]
        .into_iter()
        .filter_map(|a| text.rfind(a).map(|i| (i, a)))
        .max_by_key(|(i, _)| *i)?;
    let line = line_around(text, at).1.trim();
    let detail = clip(line).to_string();
    let refused = |credential, reporter| {
        Diagnosis::CredentialRefused(CredentialRefused {
            credential,
            reporter,
            detail: detail.clone(),
        })
    };
    let d = if line.contains(UNABLE) {
        let certificate = !line.contains(INVALID_TOKEN)
            && (line.contains("x509:") || line.contains("verifying certificate"));
        let credential = if certificate {
            Credential::ClientCertificate
        } else {
            Credential::BearerToken
        };
        refused(credential, Reporter::ServerLog)
    } else if anchor == INVALID_TOKEN {
        refused(Credential::BearerToken, Reporter::TokenReview)
    } else if line.contains("handshake error from") {
        // A server logging the alert its client sent: the client refused the server's
        // certificate.
        Diagnosis::CertificateNotTrusted(CertificateProblem::UnknownAuthority { detail })
    } else {
        refused(Credential::ClientCertificate, Reporter::TlsHandshake)
    };
    Some((at, d))
}

/// The kubelet's refusal in kubectl's 401 message (`… credentials ( pods/log NAME)`).
pub(super) fn kubelet(message: &str) -> Option<KubeletRefusal> {
    let (at, sub) = KUBELET_SUBRESOURCES
        .iter()
        .find_map(|s| message.find(s).map(|i| (i, *s)))?;
    let name = message
        .get(at + sub.len()..)
        .and_then(|r| r.split_whitespace().next())
        .map(|w| w.trim_end_matches(')'))
        .filter(|w| crate::k8s::names::subdomain_fault(w).is_none())
        .map(str::to_string);
    Some(KubeletRefusal {
        subresource: sub.to_string(),
        name,
        message: clip(message.trim()).to_string(),
    })
}

/// The kubelet's 401 as `kubectl exec`, `attach` and `port-forward` print it (`unable to
/// upgrade connection: Unauthorized`): which of them, from kubectl's wording and the command
/// in the paste.
pub(super) fn kubelet_upgrade(text: &str, line: &str) -> Diagnosis {
    let subresource =
        if line.contains("error upgrading connection") || text.contains("port-forward") {
            "pods/portforward"
        } else if text.contains(" attach ") {
            "pods/attach"
        } else {
            "pods/exec"
        };
    Diagnosis::KubeletUnauthorized(KubeletRefusal {
        subresource: subresource.to_string(),
        name: None,
        message: clip(line.trim()).to_string(),
    })
}

/// What the refusal means, and what to check, in the order most likely first.
pub(super) fn guide(c: &CredentialRefused) -> Guide {
    let d = c.detail.to_ascii_lowercase();
    let outcome = match c.reporter {
        Reporter::TlsHandshake => "the server ended the TLS handshake before any request",
        _ => {
            "the server could not authenticate the client, so the request was treated as \
              anonymous or answered 401"
        }
    };
    let mut cause = format!(
        "This is reported by {}, and it is about the {} a client sent, not about the API \
         server's own certificate: {outcome}.",
        c.reporter.words(),
        c.credential.words()
    );
    let mut steps = Vec::new();
    let mut commands = Vec::new();
    match c.credential {
        Credential::ClientCertificate => {
            if d.contains("expired") {
                cause.push_str(
                    " The client certificate has expired (or is not yet valid: a clock is \
                     wrong). Renew it: kubeadm certs renew, or let the kubelet rotate its \
                     certificate; a kubeconfig's client-certificate-data must then be written \
                     again.",
                );
            } else if d.contains("incompatible key usage") {
                cause.push_str(
                    " The certificate was not made for client authentication: its extended \
                     key usage lacks clientAuth. Issue it again with extendedKeyUsage = \
                     clientAuth.",
                );
            } else if d.contains("requestheader") {
                cause.push_str(
                    " The server checked it against the front-proxy CA \
                     (--requestheader-client-ca-file, the extension-apiserver-authentication \
                     ConfigMap): an aggregated API server such as metrics-server was called \
                     by a client whose certificate that CA did not sign. Give the aggregated \
                     server the cluster's requestheader CA, or restart it after a CA change.",
                );
            } else {
                cause.push_str(
                    " The certificate was not signed by a CA the server trusts for clients \
                     (--client-ca-file on the API server, authentication.x509.clientCAFile on \
                     a kubelet): it comes from another cluster, or the CA was replaced.",
                );
            }
            steps.push(
                "Look at the client's certificate: who issued it, until when, and for what."
                    .to_string(),
            );
            steps.push(
                "Compare its issuer with the CA the server trusts for clients; on a kubeadm \
                 control plane that is /etc/kubernetes/pki/ca.crt."
                    .to_string(),
            );
            commands.push(
                "kubectl config view --raw --minify -o \
                 jsonpath='{.users[0].user.client-certificate-data}' | base64 -d | openssl \
                 x509 -noout -subject -issuer -dates -ext extendedKeyUsage"
                    .to_string(),
            );
            commands
                .push("openssl x509 -in /etc/kubernetes/pki/ca.crt -noout -subject".to_string());
        }
        Credential::BearerToken => {
            if d.contains("fetch provider config") || d.contains("oidc") {
                cause.push_str(
                    " The API server could not fetch its OIDC issuer's discovery document, so \
                     it cannot verify any OIDC token: the x509 error in it is the API server \
                     not trusting the issuer's certificate. Give the API server that CA \
                     (--oidc-ca-file, or the issuer's certificateAuthority in the \
                     AuthenticationConfiguration).",
                );
            } else if d.contains("invalidated") {
                cause.push_str(
                    " The token has been invalidated: its Secret was deleted or marked \
                     invalid, its pod is gone, or its service account was made again. Get a \
                     new token.",
                );
            } else if d.contains("audience") {
                cause.push_str(
                    " The token's audience is not one the API server accepts \
                     (--api-audiences, by default its issuer). For a TokenReview, request the \
                     token without --audience, or pass the audience in the TokenReview's \
                     spec.audiences.",
                );
            } else if d.contains("expired") {
                cause.push_str(" The token has expired: get a new one.");
            } else if d.contains("go-jose")
                || d.contains("verification error")
                || d.contains("cryptographic")
            {
                cause.push_str(
                    " The token's signature does not verify with the server's keys: it was \
                     signed by another cluster, or by a key rotated out \
                     (--service-account-key-file).",
                );
            } else {
                cause.push_str(
                    " The token is expired, from another cluster, for another audience, or \
                     its Secret, pod or service account is gone.",
                );
            }
            steps.push(
                "Paste the token on Inspect, and the 401 checklist there tells which of the \
                 token's requirements fails."
                    .to_string(),
            );
            if c.reporter == Reporter::TokenReview {
                steps.push(
                    "The service that asked (Vault, an aggregated API, a webhook) only relays \
                     the API server's answer: fix the token it was given, not the service's \
                     own access."
                        .to_string(),
                );
            }
            commands.push("kubectl get --raw /.well-known/openid-configuration".to_string());
        }
    }
    Guide {
        cause,
        steps,
        commands,
        yaml: None,
    }
}

/// What the kubelet's 401 means.
pub(super) fn kubelet_guide(k: &KubeletRefusal) -> Guide {
    Guide {
        cause: format!(
            "Your own credentials were accepted: the API server found the pod and passed the \
             {} request on to the kubelet of the pod's node, and it is that kubelet that \
             answered 401 (or 403 to system:anonymous, when its anonymous access is on). It \
             did not accept the API server's kubelet client credential \
             (--kubelet-client-certificate and --kubelet-client-key), so no change to your \
             token or your RBAC helps.",
            k.subresource
        ),
        steps: vec![
            "On the node, check that the kubelet trusts the CA that signed the API server's \
             kubelet client certificate (authentication.x509.clientCAFile, or \
             --client-ca-file), and that webhook authentication is on."
                .to_string(),
            "Check that the API server's kubelet client certificate has not expired (kubeadm \
             certs check-expiration lists it as apiserver-kubelet-client)."
                .to_string(),
            "If the kubelet then answers 403 instead, the API server's kubelet user needs \
             RBAC on nodes/proxy (kubeadm binds it to system:kubelet-api-admin)."
                .to_string(),
        ],
        commands: vec![
            "openssl x509 -in /etc/kubernetes/pki/apiserver-kubelet-client.crt -noout \
             -subject -issuer -dates"
                .to_string(),
            "kubeadm certs check-expiration".to_string(),
        ],
        yaml: None,
    }
}
