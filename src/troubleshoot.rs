//! API server error messages -> what was denied and why: the core of the Troubleshoot page.
//!
//! People arrive with an error, not a question. [`read`] finds the error inside whatever was
//! pasted (a terminal's scroll-back, a Python `ApiException` with its HTTP body, curl's JSON)
//! and reads it into a [`Diagnosis`]: a 403 with the request the authorizer refused, a 401, a
//! certificate the client did not trust, or the empty name the pre-1.24 token recipe produces.
//! [`fix`] turns a 403 into the least-privilege Role and binding ([`builder_form`]: the same
//! grant as the RBAC builder's form), and [`guide`] says in plain
//! words what each diagnosis means and what to do.
//!
//! The grammar is the API server's own (`apierror/grammar.rs` quotes the formats it reads),
//! not a guess from examples. No regular expressions: every finder is a scan for fixed anchors, so
//! the work stays linear in the paste.

use std::fmt;

use crate::access::{Query, RoleKind, Subject};
use crate::token::claims::Identity;

mod authn;
mod builder;
mod escalation;
mod fix;
mod grammar;
mod guide;
pub mod node;
mod pyjwt;
mod status;
pub mod unauthorized; // why the API server answers 401 to a token: each cause checked

pub use authn::{Credential, CredentialRefused, KubeletRefusal, Reporter};
pub use builder::builder_form;
pub use escalation::{Escalation, EscalationRule};
pub use fix::{fix, Fix, FixSubject, NoFix};
pub use guide::{guide, miss_advice, Guide};
pub use pyjwt::{PyJwtError, PyJwtKind};
pub use status::StatusWork;

/// Largest paste read, as for the other inputs: a whole scroll-back fits, a disk image does
/// not.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// What the pasted error says went wrong.
// One per paste, so the size of the 403's variant costs nothing; a box would only make every
// match on it noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Diagnosis {
    /// 403: the user was authenticated, and no authorizer allowed the request.
    Forbidden(Forbidden),
    /// 403 from RBAC's escalation check: the creator of a role or binding does not hold what
    /// it grants.
    Escalation(Escalation),
    /// 401: the credentials were not accepted, so the request has no user at all.
    Unauthorized(Unauthorized),
    /// A client's credential that a server refused, as the server (its log, a TLS alert) or
    /// a TokenReview reports it.
    CredentialRefused(CredentialRefused),
    /// 401 from the kubelet to the API server, behind `kubectl logs`, `exec` and the like.
    KubeletUnauthorized(KubeletRefusal),
    /// TLS: the client did not trust the API server's certificate.
    CertificateNotTrusted(CertificateProblem),
    /// `resource name may not be empty`: a command was given an empty object name.
    EmptyResourceName(EmptyName),
    /// A PyJWT exception from decoding a token in Python.
    PyJwt(PyJwtError),
    /// Nothing this page knows how to read.
    NotRecognised(NotRecognised),
}

/// Which way the error was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A JSON `Status` object (curl, client libraries' exception bodies).
    Status,
    /// kubectl's `Error from server (Forbidden): …`.
    Kubectl,
    /// The message alone, as a Go client or a log line prints it.
    Message,
}

/// Who made a refused request, read from the user name the API server reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requester {
    /// `system:serviceaccount:<namespace>:<name>`.
    ServiceAccount {
        /// The account's namespace.
        namespace: String,
        /// The account's name.
        name: String,
    },
    /// `system:anonymous`: the request carried no credentials the server accepted.
    Anonymous,
    /// `system:node:<name>`: a kubelet, which the Node authorizer governs.
    Node {
        /// The node's name; empty when the credential names none (`system:node:`).
        name: String,
    },
    /// Any other user: a person (OIDC, a client certificate's CN) or a component.
    Person,
    /// The message names no user.
    Unknown,
}

impl Requester {
    /// Reads a user name as the authenticators write them.
    pub fn of(user: &str) -> Requester {
        if user.is_empty() {
            return Requester::Unknown;
        }
        if user == "system:anonymous" {
            return Requester::Anonymous;
        }
        if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
            if let Some((namespace, name)) = rest.split_once(':') {
                if !namespace.is_empty() && !name.is_empty() && !name.contains(':') {
                    return Requester::ServiceAccount {
                        namespace: namespace.to_string(),
                        name: name.to_string(),
                    };
                }
            }
        }
        // A kubelet's certificate whose CN lacks the node's name still names a node; the Node
        // authorizer refuses it for that, and the page says so.
        if user == "system:node" {
            return Requester::Node {
                name: String::new(),
            };
        }
        if let Some(name) = user.strip_prefix("system:node:") {
            return Requester::Node {
                name: name.to_string(),
            };
        }
        Requester::Person
    }
}

/// A role the RBAC authorizer reported missing: a binding names it, and it does not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRole {
    /// Role or ClusterRole.
    pub kind: RoleKind,
    /// Its name.
    pub name: String,
}

/// A request the authorizer refused, as the 403 describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forbidden {
    /// The user name, exactly as the API server wrote it.
    pub user: String,
    /// The user read as a service account, anonymous, a node or a person.
    pub requester: Requester,
    /// The verb: `get`, `list`, `create`, … (for paths, the lower-case HTTP method).
    pub verb: String,
    /// The resource without its subresource (`pods`); empty for a path.
    pub resource: String,
    /// The subresource: `exec` of `pods/exec`.
    pub subresource: Option<String>,
    /// The API group; `""` is the core group.
    pub group: String,
    /// The namespace; `None` at the cluster scope and for paths.
    pub namespace: Option<String>,
    /// The object's name, when the request named one.
    pub name: Option<String>,
    /// The non-resource URL (`/`, `/healthz`), for requests that are not for a resource.
    pub path: Option<String>,
    /// What the authorizer appended after the request, such as
    /// `RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`.
    pub reason: Option<String>,
    /// The roles the reason names as missing.
    pub missing_roles: Vec<MissingRole>,
    /// How the error was written.
    pub form: Form,
}

impl Forbidden {
    /// `pods`, `pods/exec`: the resource as RBAC rules name it.
    pub fn resource_with_subresource(&self) -> String {
        match &self.subresource {
            Some(sub) => format!("{}/{sub}", self.resource),
            None => self.resource.clone(),
        }
    }

    /// `pods`, `deployments.apps/scale`, `/healthz`: the target as `kubectl auth can-i`
    /// takes it.
    pub fn target(&self) -> String {
        if let Some(path) = &self.path {
            return path.clone();
        }
        let mut out = self.resource.clone();
        if !self.group.is_empty() {
            out.push('.');
            out.push_str(&self.group);
        }
        if let Some(sub) = &self.subresource {
            out.push('/');
            out.push_str(sub);
        }
        out
    }

    /// The refused request as the access evaluator asks it, to answer Can I against pasted
    /// RBAC; `None` only for values longer than any real one.
    pub fn query(&self) -> Option<Query> {
        let namespace = self.namespace.as_deref().unwrap_or("");
        let name = self.name.as_deref().unwrap_or("");
        Query::parse(&self.verb, &self.target(), namespace, name).ok()
    }

    /// Whether the refused user is the inspected token's identity: when it is not, the
    /// request was made with other credentials, and fixing the token's access fixes nothing.
    pub fn is_identity(&self, identity: &Identity) -> bool {
        self.user == identity.username
    }

    /// Who made the request, with the groups its authenticator adds: a service account's
    /// three, `system:unauthenticated` for anonymous, `system:authenticated` for anyone
    /// else. Other groups the user had are not in the message.
    pub fn subject(&self) -> Subject {
        match &self.requester {
            Requester::ServiceAccount { namespace, name } => {
                Subject::from_service_account(namespace, name)
            }
            Requester::Anonymous => Subject {
                user: self.user.clone(),
                groups: vec!["system:unauthenticated".to_string()],
            },
            _ => Subject {
                user: self.user.clone(),
                groups: vec!["system:authenticated".to_string()],
            },
        }
    }
}

/// A 401.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unauthorized {
    /// The server's message: `Unauthorized`, or the client's wording of it, such as `the
    /// server has asked for the client to provide credentials`.
    pub message: String,
    /// How the error was written.
    pub form: Form,
}

/// Why the client did not trust the API server's certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Signed by a CA the client does not trust (`x509: certificate signed by unknown
    /// authority`, `unable to get local issuer certificate`, a self-signed certificate in
    /// the chain).
    UnknownAuthority {
        /// The line the error was read from.
        detail: String,
    },
    /// The certificate does not name the address the client used (`x509: certificate is
    /// valid for …, not …`).
    NameMismatch {
        /// The line the error was read from.
        detail: String,
    },
    /// Outside its validity period (`x509: certificate has expired or is not yet valid`).
    Expired {
        /// The line the error was read from.
        detail: String,
    },
}

impl CertificateProblem {
    /// The line the error was read from.
    pub fn detail(&self) -> &str {
        match self {
            CertificateProblem::UnknownAuthority { detail }
            | CertificateProblem::NameMismatch { detail }
            | CertificateProblem::Expired { detail } => detail,
        }
    }
}

/// `resource name may not be empty`, with the service account of the command that produced
/// it when the paste shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmptyName {
    /// The account in `kubectl get sa NAME …`, when the paste holds that command.
    pub account: Option<String>,
    /// Its `-n`/`--namespace`, when given.
    pub namespace: Option<String>,
}

/// Why nothing was read, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRecognised {
    /// Nothing pasted.
    Empty,
    /// Over [`MAX_INPUT_BYTES`].
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// A 403 that is not an authorization decision: admission (Pod Security, a webhook, a
    /// quota) refused the object, which no Role can change.
    NotAuthorization {
        /// The message, as read.
        message: String,
    },
    /// The start of a form this page reads, cut short or altered: nothing is guessed from it.
    CutShort {
        /// What it looks like.
        form: &'static str,
        /// What the whole form is.
        expected: &'static str,
    },
    /// No error this page knows.
    Unknown,
}

impl fmt::Display for NotRecognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotRecognised::Empty => write!(f, "Paste the error message you got."),
            NotRecognised::TooLong { bytes } => write!(
                f,
                "The paste is {} KiB; paste the error and a few lines around it (at most {} KiB).",
                bytes.div_ceil(1024),
                MAX_INPUT_BYTES / 1024
            ),
            NotRecognised::NotAuthorization { message } => write!(
                f,
                "This 403 did not come from authorization: admission refused the request \
                 ({message}). No Role or binding changes that; change the object or the policy \
                 that refused it."
            ),
            NotRecognised::CutShort { form, expected } => write!(
                f,
                "This looks like {form}, but it is cut short or altered, so nothing is read \
                 from it rather than guessed. Expected {expected}. Paste the whole message."
            ),
            NotRecognised::Unknown => write!(
                f,
                "Expected a Kubernetes API error: kubectl's \"Error from server (Forbidden): … \
                 User \"…\" cannot …\", a JSON Status object ({{\"kind\":\"Status\", …}}), \
                 \"… is attempting to grant RBAC permissions not currently held\", a 401 \
                 (\"You must be logged in to the server\", a client library's Unauthorized), \
                 the API server's \"Unable to authenticate the request\", an x509 or TLS \
                 error, \"resource name may not be empty\", or a PyJWT exception. Nothing of \
                 these was found, so nothing is guessed."
            ),
        }
    }
}

impl Diagnosis {
    /// The words the diagnosis starts with: `Forbidden`, `Forbidden to a node`, `Escalation
    /// prevented`, `Unauthorized`, `Client credential refused`, `Kubelet refused the API
    /// server`, `Certificate not trusted`, `Empty resource name`, `PyJWT error` or `Not
    /// recognised`.
    pub fn title(&self) -> &'static str {
        match self {
            Diagnosis::Forbidden(f) if matches!(f.requester, Requester::Node { .. }) => {
                "Forbidden to a node"
            }
            Diagnosis::Forbidden(_) => "Forbidden",
            Diagnosis::Escalation(_) => "Escalation prevented",
            Diagnosis::CredentialRefused(_) => "Client credential refused",
            Diagnosis::KubeletUnauthorized(_) => "Kubelet refused the API server",
            Diagnosis::PyJwt(_) => "PyJWT error",
            Diagnosis::Unauthorized(_) => "Unauthorized",
            Diagnosis::CertificateNotTrusted(_) => "Certificate not trusted",
            Diagnosis::EmptyResourceName(_) => "Empty resource name",
            Diagnosis::NotRecognised(_) => "Not recognised",
        }
    }

    /// The parts read from the error, each with its label, in the order the page shows them.
    pub fn parts(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        match self {
            Diagnosis::Forbidden(f) => {
                out.push(("User", f.user.clone()));
                if let Requester::Node { name } = &f.requester {
                    let name = if name.is_empty() {
                        "(none: the name is empty)".to_string()
                    } else {
                        name.clone()
                    };
                    out.push(("Node", name));
                }
                out.push(("Verb", f.verb.clone()));
                if let Some(path) = &f.path {
                    out.push(("Path", path.clone()));
                } else {
                    out.push(("Resource", f.resource_with_subresource()));
                    let group = if f.group.is_empty() {
                        "\"\" (core)".to_string()
                    } else {
                        f.group.clone()
                    };
                    out.push(("API group", group));
                    let namespace = f
                        .namespace
                        .clone()
                        .unwrap_or_else(|| "cluster scope".to_string());
                    out.push(("Namespace", namespace));
                }
                if let Some(name) = &f.name {
                    out.push(("Name", name.clone()));
                }
            }
            Diagnosis::Escalation(e) => {
                if !e.user.is_empty() {
                    out.push(("User", e.user.clone()));
                }
                if !e.groups.is_empty() {
                    out.push(("Groups", e.groups.join(", ")));
                }
                if !e.object.is_empty() {
                    out.push(("Object", e.object.clone()));
                }
                for rule in &e.rules {
                    out.push(("Rule not held", rule.describe()));
                }
            }
            Diagnosis::CredentialRefused(c) => {
                out.push(("Credential", c.credential.words().to_string()));
                out.push(("Reported by", c.reporter.words().to_string()));
                out.push(("Error", c.detail.clone()));
            }
            Diagnosis::KubeletUnauthorized(k) => {
                out.push(("Subresource", k.subresource.clone()));
                if let Some(name) = &k.name {
                    out.push(("Name", name.clone()));
                }
                out.push(("Message", k.message.clone()));
            }
            Diagnosis::PyJwt(p) => {
                out.push(("Exception", p.kind.exception().to_string()));
                out.push(("Error", p.detail.clone()));
            }
            Diagnosis::Unauthorized(u) => out.push(("Message", u.message.clone())),
            Diagnosis::CertificateNotTrusted(c) => out.push(("Error", c.detail().to_string())),
            Diagnosis::EmptyResourceName(e) => {
                if let Some(account) = &e.account {
                    out.push(("Service account", account.clone()));
                }
                if let Some(namespace) = &e.namespace {
                    out.push(("Namespace", namespace.clone()));
                }
            }
            Diagnosis::NotRecognised(_) => {}
        }
        out
    }
}

/// Finds the Kubernetes error in `text` and reads it. When the paste holds several (a
/// scroll-back), the last one wins: it is the one the user just got. A message the terminal
/// broke across lines is read again with its lines joined, when nothing was read whole.
pub fn read(text: &str) -> Diagnosis {
    read_counted(text).0
}

/// [`read`], with what finding Status objects in the paste cost, for tests to bound.
pub fn read_counted(text: &str) -> (Diagnosis, StatusWork) {
    let mut work = StatusWork::default();
    (read_with(text, &mut work), work)
}

fn read_with(text: &str, work: &mut StatusWork) -> Diagnosis {
    if text.trim().is_empty() {
        return Diagnosis::NotRecognised(NotRecognised::Empty);
    }
    if text.len() > MAX_INPUT_BYTES {
        return Diagnosis::NotRecognised(NotRecognised::TooLong { bytes: text.len() });
    }
    let first = read_once(text, work);
    if !matches!(first, Diagnosis::NotRecognised(_)) {
        return first;
    }
    // A terminal wraps at a column, inside a word or a quoted value; a person breaks at a
    // space. Joined without a space first, then with one.
    if text.contains('\n') {
        for joint in ["", " "] {
            let joined = text.replace("\r\n", "\n").replace('\n', joint);
            let again = read_once(&joined, work);
            if !matches!(again, Diagnosis::NotRecognised(_)) {
                return again;
            }
        }
    }
    match first {
        Diagnosis::NotRecognised(NotRecognised::Unknown) => cut_short(text).unwrap_or(first),
        _ => first,
    }
}

/// The start of an authorization 403 that did not read whole.
fn cut_short(text: &str) -> Option<Diagnosis> {
    text.contains("forbidden: User ")
        .then_some(Diagnosis::NotRecognised(NotRecognised::CutShort {
            form: "an authorization 403 (… is forbidden: User \"…\")",
            expected:
                "User \"USER\" cannot VERB resource \"RESOURCE\" in API group \"GROUP\" in the \
                   namespace \"NAMESPACE\" (or at the cluster scope), or User \"USER\" cannot \
                   VERB path \"PATH\", each value in double quotes",
        }))
}

fn read_once(text: &str, work: &mut StatusWork) -> Diagnosis {
    let status = status::find(text, work);
    let escaped = match status {
        None => grammar::find_escaped(text),
        Some(_) => None,
    };
    let found = [
        status,
        escaped,
        grammar::find_forbidden(text),
        grammar::find_kubelet_forbidden(text),
        escalation::find(text),
        grammar::find_unauthorized(text),
        authn::find(text),
        grammar::find_certificate(text),
        grammar::find_empty_name(text),
        pyjwt::find(text),
    ];
    let last = found
        .into_iter()
        .flatten()
        .fold(None::<(usize, Diagnosis)>, |best, (at, d)| match best {
            Some((b, _)) if b >= at => best,
            _ => Some((at, d)),
        });
    match last {
        Some((_, d)) => d,
        // Only when nothing else explains the paste: a JSON Status holds "is forbidden" too.
        None => grammar::find_other_forbidden(text).map_or(
            Diagnosis::NotRecognised(NotRecognised::Unknown),
            |message| Diagnosis::NotRecognised(NotRecognised::NotAuthorization { message }),
        ),
    }
}
