//! The section on identities that are not tokens: a pasted client certificate, or a
//! kubeconfig's users that sign in with a certificate, an exec plugin or an auth provider, on
//! Inspect (the **Token** field) and on Kubeconfig (**Load kubeconfig**). Reads the paste once
//! per change, runs the CA checks in WebCrypto, renders what the core says.

use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::ui::components::para;

use crate::ui::components::heading;

use crate::crypto::webcrypto::NotChecked;
use crate::inspect::client_cert::{
    read_paste, trust_status, ClientCert, Credential, KubeconfigUser, Pasted,
};
use crate::ui::components::{finding_item, shown};
use crate::ui::crypto;
use crate::ui::route::Route;
use crate::ui::state::{AccessAction, Action, CaState, InspectState, KubeconfigState, Slice};

/// The field whose text the section reads: a page's slice, compared by pointer, so the paste
/// is read again only when that page's state changed.
#[derive(Clone, PartialEq)]
pub enum CertPaste {
    /// Inspect's **Token** field.
    Inspect(Slice<InspectState>),
    /// The Kubeconfig page's **Load kubeconfig** field.
    Kubeconfig(Slice<KubeconfigState>),
}

impl CertPaste {
    fn text(&self) -> &str {
        match self {
            Self::Inspect(state) => &state.token_input,
            Self::Kubeconfig(state) => &state.load_input,
        }
    }
}

/// Reads the paste; kept out of line so the hook's closure stays a call, not a copy of the
/// kubeconfig and certificate readers.
#[inline(never)]
fn read_field(paste: &CertPaste, ca: &CaState) -> Option<Pasted> {
    read_paste(paste.text(), &ca.input)
}

/// Props of [`ClientCertSection`].
#[derive(Properties, PartialEq)]
pub struct ClientCertSectionProps {
    /// The field to read.
    pub paste: CertPaste,
    /// The **CA certificate** field, the CA a pasted certificate is checked against.
    pub ca: Slice<CaState>,
    /// The current time, for validity.
    pub now: i64,
    /// Where **Check its access** goes.
    pub onaction: Callback<Action>,
}

/// Each CA check's answer, for the reading it was started for (its address).
type Answers = (usize, Vec<Option<Result<bool, NotChecked>>>);

/// The trust checks of a reading, in the order they render.
fn checks(pasted: &Pasted) -> Vec<&crate::inspect::client_cert::TrustCheck> {
    let certs: Vec<&ClientCert> = match pasted {
        Pasted::Certificate(Ok(cert)) => vec![cert.as_ref()],
        Pasted::Certificate(Err(_)) => Vec::new(),
        Pasted::Kubeconfig(users) => users
            .users
            .iter()
            .flat_map(|u| &u.credentials)
            .filter_map(|c| match c {
                Credential::ClientCertificate(read) => read.as_ref().as_ref().ok(),
                _ => None,
            })
            .collect(),
    };
    certs.into_iter().flat_map(|c| &c.trust).collect()
}

/// Who a pasted certificate or kubeconfig user is, and whether its CA signed it.
#[component]
pub fn ClientCertSection(props: &ClientCertSectionProps) -> Html {
    let read = use_memo((props.paste.clone(), props.ca.clone()), |(paste, ca)| {
        read_field(paste, ca)
    });
    let answers = use_state(|| -> Answers { (0, Vec::new()) });
    {
        let answers = answers.clone();
        let read = read.clone();
        use_effect_with(Rc::as_ptr(&read) as usize, move |&tag| {
            let plans: Vec<_> = read
                .as_ref()
                .as_ref()
                .map(checks)
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.verify.clone().ok())
                .collect();
            if plans.iter().any(Option::is_some) {
                spawn_local(async move {
                    let mut out = Vec::with_capacity(plans.len());
                    for plan in &plans {
                        out.push(match plan {
                            Some(plan) => Some(crypto::verify(plan).await),
                            None => None,
                        });
                    }
                    answers.set((tag, out));
                });
            }
        });
    }
    let Some(pasted) = read.as_ref() else {
        return html! {};
    };
    let tag = Rc::as_ptr(&read) as usize;
    let results: &[Option<Result<bool, NotChecked>>] =
        if answers.0 == tag { &answers.1 } else { &[] };
    let mut next = 0usize;
    let mut answer = || {
        let at = next;
        next += 1;
        results.get(at).and_then(Option::as_ref)
    };
    let view = Ctx {
        now: props.now,
        onaction: &props.onaction,
    };
    html! {
        <section class="client-cert" aria-labelledby="client-cert-h">
            { heading("client-cert-h", "Who this is") }
            { match pasted {
                Pasted::Certificate(Ok(cert)) => view.certificate(cert, "the pasted certificate", &mut answer),
                Pasted::Certificate(Err(error)) => html! {
                    <div class="error" role="alert">{ error.to_string() }</div>
                },
                Pasted::Kubeconfig(users) => html! {
                    { for users.users.iter().enumerate().map(|(i, user)| view.user(i, user, &mut answer)) }
                },
            } }
        </section>
    }
}

struct Ctx<'a> {
    now: i64,
    onaction: &'a Callback<Action>,
}

impl Ctx<'_> {
    fn user<'r>(
        &self,
        index: usize,
        user: &KubeconfigUser,
        answer: &mut dyn FnMut() -> Option<&'r Result<bool, NotChecked>>,
    ) -> Html {
        let id = format!("user-{index}");
        let who = format!("user {}", user.name);
        let contexts = if user.contexts.is_empty() {
            "no context uses it".to_string()
        } else {
            format!("used by context {}", user.contexts.join(", "))
        };
        html! {
            <section aria-labelledby={format!("{id}-h")}>
                <h3 id={format!("{id}-h")}>{ format!("User {}", user.name) }</h3>
                <p class="hint">{ contexts }</p>
                { for user.credentials.iter().map(|c| self.credential(&who, c, answer)) }
                if !user.notes.is_empty() {
                    <ul class="notes">{ for user.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                }
            </section>
        }
    }

    fn credential<'r>(
        &self,
        who: &str,
        credential: &Credential,
        answer: &mut dyn FnMut() -> Option<&'r Result<bool, NotChecked>>,
    ) -> Html {
        match credential {
            Credential::ClientCertificate(read) => match read.as_ref() {
                Ok(cert) => self.certificate(cert, who, answer),
                Err(error) => html! {
                    <p class="error">{ format!("Client certificate (client-certificate-data): {error}") }</p>
                },
            },
            Credential::ClientCertificateFile(path) => html! {
                <p>{ format!("Client certificate from a file on the machine the kubeconfig came from ({path}); paste its content here to read it.") }</p>
            },
            Credential::Exec(exec) => html! {
                <div class="exec">
                    <p><strong>{ "Exec plugin. " }</strong>{ "kubectl runs this command to get a credential (this page never runs it):" }</p>
                    <pre class="mono">{ shown(exec.command_line.clone()) }</pre>
                    <p>{ &exec.yields }</p>
                    <p class="hint">
                        { format!("apiVersion {}", exec.api_version) }
                        if !exec.env.is_empty() {
                            { format!("; sets {}", exec.env.join(", ")) }
                        }
                    </p>
                </div>
            },
            Credential::AuthProvider { name, yields } => html! {
                <p><strong>{ format!("Auth provider {name}. ") }</strong>{ yields }</p>
            },
            Credential::Token => html! {
                { para("A token: the report above explains it.") }
            },
            Credential::TokenFile(path) => html! {
                <p>{ format!("A token from a file on the machine the kubeconfig came from ({path}); paste its content to inspect it.") }</p>
            },
            Credential::BasicAuth => html! {
                { para("A user name and password (basic authentication), which Kubernetes 1.19 and later no longer accept.") }
            },
        }
    }

    /// One certificate; `who` names it in the labels of its lists (`user admin`).
    fn certificate<'r>(
        &self,
        cert: &ClientCert,
        who: &str,
        answer: &mut dyn FnMut() -> Option<&'r Result<bool, NotChecked>>,
    ) -> Html {
        let findings = cert.findings(self.now);
        let onaccess = cert.identity.access_text().map(|text| {
            let onaction = self.onaction.clone();
            Callback::from(move |_: MouseEvent| {
                onaction.emit(AccessAction::Identity(text.clone()).into());
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_hash(Route::Access.href());
                }
            })
        });
        html! {
            <div class="report">
                if !findings.is_empty() {
                    <ul class="findings" aria-label={format!("Findings for {who}")}>
                        { for findings.iter().map(|f| finding_item(f, None)) }
                    </ul>
                }
                <ul class="chain" aria-label={format!("Who signed {who}")}>
                    if cert.trust.is_empty() {
                        <li>{ "No CA to check it against: paste the cluster's CA into Cluster CA." }</li>
                    }
                    { for cert.trust.iter().map(|check| html! {
                        <li>
                            <p>{ &check.summary }</p>
                            <p class="status">{ trust_status(check, answer()) }</p>
                        </li>
                    }) }
                </ul>
                <table class="rows" aria-label={format!("Values of {who}")}>
                    <tbody>
                        { for cert.rows(self.now).iter().map(|row| html! {
                            <tr><th scope="row">{ row.label }</th><td class="mono value">{ shown(row.value.clone()) }</td></tr>
                        }) }
                    </tbody>
                </table>
                { for cert.skipped.iter().map(|p| html! { <p class="note">{ format!("Skipped: {p}") }</p> }) }
                if let Some(onclick) = onaccess {
                    <div class="actions">
                        <button type="button" {onclick}>{ "Check its access" }</button>
                    </div>
                }
            </div>
        }
    }
}
