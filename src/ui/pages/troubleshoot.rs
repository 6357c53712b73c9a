//! The Troubleshoot page: an API server error pasted, read into a diagnosis, and for a 403 the
//! least-privilege fix; for a 401 the checklist against the inspected token.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::{label, para};

use crate::ui::components::heading;

use crate::access;
use crate::redact;
use crate::support::time::UnixSeconds;
use crate::troubleshoot::unauthorized::{self, Mark};
use crate::troubleshoot::{self, Diagnosis, Fix, Forbidden, Guide};
use crate::ui::components::{addr, live};
use crate::ui::components::{copy_button, finding_item, level_class, paste_class, Screen};
use crate::ui::download;
use crate::ui::events::on_text;
use crate::ui::route::Route;
use crate::ui::state::{
    AccessState, Action, InspectState, RbacEdit, Slice, TroubleshootAction, TroubleshootState,
};

/// Props of [`troubleshoot`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct TroubleshootProps {
    /// The page's slice of the state.
    pub state: Slice<TroubleshootState>,
    /// The Inspect page's slice: the token the 401 checklist and the identity check read.
    pub inspect: Slice<InspectState>,
    /// The Access page's slice: the pasted cluster RBAC, for Can I and the nearest miss.
    pub access: Slice<AccessState>,
    /// Whether **Redact** is on.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/troubleshoot`: paste the error, see why, get the fix. A plain function, not a component:
/// it holds no state of its own and its Redact comes with its props, and each component's
/// machinery costs the wasm about 400 B of gzip; the 401 checklist, which follows the clock,
/// renders through [`live`].
pub fn troubleshoot(props: &TroubleshootProps) -> Html {
    let state = &props.state;
    let screen = Screen {
        redact: props.redact,
    };
    let onerror = on_text(&props.onaction, |v| TroubleshootAction::SetError(v).into());
    html! {
        <>
            <section class="paste wide" aria-labelledby="ts-in-h">
                { heading("ts-in-h", "Troubleshoot an error") }
                { label("ts-error", "Error message") }
                <p class="hint" id="ts-error-hint">
                    { "Paste the error kubectl, curl, a client library or a log gave you: a 403 Forbidden (kubectl's text or the JSON Status), an RBAC escalation refusal, a 401 Unauthorized, the API server's \"Unable to authenticate the request\", an x509 or TLS error, \"resource name may not be empty\", or a PyJWT exception. Surrounding lines are fine. It is read here and never sent anywhere." }
                </p>
                // Uncontrolled, as Cluster RBAC on the access page: text the app fills in (the
                // guided walk's example) makes the field anew.
                <textarea key={state.filled.to_string()} id="ts-error" class={classes!(paste_class(&state.input))}
                    aria-describedby="ts-error-hint" rows="6" spellcheck="false" autocomplete="off"
                    defaultvalue={state.input.clone()} oninput={onerror} />
            </section>
            { match &state.diagnosis {
                None => html! {
                    // Its own id: a hand-over waits for the diagnosis's heading, which replaces
                    // this one once an example has loaded.
                    <section class="empty" aria-labelledby="ts-empty-h">
                        { heading("ts-empty-h", "Diagnosis") }
                        { para("Nothing pasted yet. The diagnosis, the parts read from the error and the fix appear here.") }
                    </section>
                },
                Some(d) => diagnosis(props, d, screen),
            } }
        </>
    }
}

fn diagnosis(props: &TroubleshootProps, d: &Diagnosis, screen: Screen) -> Html {
    let guide = troubleshoot::guide(d);
    let level = match d {
        Diagnosis::NotRecognised(_) => "level-warning",
        _ => "level-danger",
    };
    html! {
        <>
            <section class="diagnosis" aria-labelledby="ts-out-h">
                { heading("ts-out-h", "Diagnosis") }
                { crate::ui::export::troubleshoot(&props.state.0) }
                <div class={classes!("status", level)} role="status" aria-label="Diagnosis">
                    <p><strong>{ d.title() }</strong>{ screen.text(format!(": {}", guide.cause)) }</p>
                </div>
                { parts(d, screen) }
                if !guide.steps.is_empty() && !matches!(d, Diagnosis::Unauthorized(_)) {
                    <ol>{ for guide.steps.iter().map(|s| html! { <li>{ screen.text(s) }</li> }) }</ol>
                }
            </section>
            { match d {
                Diagnosis::Forbidden(f) => forbidden(props, f, screen),
                Diagnosis::Unauthorized(_) => checklist(props),
                Diagnosis::CertificateNotTrusted(_) => html! {
                    <section aria-labelledby="ts-ca-h">
                        { heading("ts-ca-h", "Get the right CA") }
                        <p><a href={Route::Ca.href()}>{ "Check a ca.crt on the CA page" }</a>{ ": paste it there to see whom it names and whether it is a CA." }</p>
                        { commands(&guide, "Commands", screen) }
                    </section>
                },
                Diagnosis::EmptyResourceName(_) => empty_name(&guide, screen),
                Diagnosis::Escalation(_) => checks(&guide, "ts-esc-h", "Check the creator", "Commands", screen),
                Diagnosis::CredentialRefused(_) | Diagnosis::KubeletUnauthorized(_) => {
                    checks(&guide, "ts-cred-h", "Check the credential", "Commands", screen)
                }
                Diagnosis::PyJwt(_) => checks(&guide, "ts-pyjwt-h", "The PyJWT 2 lines that work", "Python", screen),
                Diagnosis::NotRecognised(_) => html! {},
            } }
        </>
    }
}

/// A section with the guide's commands under `heading`; nothing when there are none.
fn checks(
    guide: &Guide,
    id: &'static str,
    heading: &'static str,
    label: &'static str,
    screen: Screen,
) -> Html {
    if guide.commands.is_empty() {
        return html! {};
    }
    html! {
        <section aria-labelledby={id}>
            <h2 id={id}>{ heading }</h2>
            { commands(guide, label, screen) }
        </section>
    }
}

/// The labelled parts read from the error.
fn parts(d: &Diagnosis, screen: Screen) -> Html {
    let parts = d.parts();
    if parts.is_empty() {
        return html! {};
    }
    html! {
        <dl class="parts" aria-label="Parts of the error">
            { for parts.into_iter().map(|(label, value)| html! {
                <><dt>{ label }</dt><dd class="mono">{ screen.text(value) }</dd></>
            }) }
        </dl>
    }
}

/// Commands, one a line, with a Copy button (which copies them as they are).
fn commands(guide: &Guide, label: &'static str, screen: Screen) -> Html {
    if guide.commands.is_empty() {
        return html! {};
    }
    let text = guide.commands.join("\n");
    html! {
        <figure>
            <figcaption>{ format!("{label} ") }{ copy_button(text.clone().into(), (format!("Copy {}", label.to_ascii_lowercase())).into()) }</figcaption>
            <pre class="mono" role="region" tabindex="0" aria-label={label}>{ screen.text(&text) }</pre>
        </figure>
    }
}

/// A download button for `text` saved as `name`.
fn download_button(name: String, text: String) -> Html {
    let onclick = download::on_save(name, "application/yaml", Some(text));
    html! { <button type="button" {onclick}>{ "Download YAML" }</button> }
}

fn forbidden(props: &TroubleshootProps, f: &Forbidden, screen: Screen) -> Html {
    let fix = match troubleshoot::fix(f) {
        Ok(fix) => fix,
        Err(no) => {
            return html! {
                <section aria-labelledby="ts-fix-h">
                    { heading("ts-fix-h", "No role to add") }
                    <p>{ screen.text(no.why) }</p>
                    { context(props, f, None, screen) }
                </section>
            }
        }
    };
    let builder = match troubleshoot::builder_form(f) {
        Ok(form) => {
            let onaction = props.onaction.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                onaction.emit(RbacEdit::Fill(form.clone()).into());
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_hash(Route::Rbac.href());
                }
            });
            html! { <button type="button" {onclick}>{ "Fix in RBAC builder" }</button> }
        }
        Err(no) => html! { <p class="hint">{ screen.text(no.why) }</p> },
    };
    let script = format!(
        "{}\n# Check (as an admin who may impersonate):\n{}",
        fix.commands.join("\n"),
        fix.check
    );
    html! {
        <section aria-labelledby="ts-fix-h">
            { heading("ts-fix-h", "The least-privilege fix") }
            <p>{ screen.text(format!("{} {} granting {}, bound to {}.",
                if fix.cluster_wide { "A ClusterRole and ClusterRoleBinding" } else { "A Role and RoleBinding" },
                fix.namespace.as_deref().map(|ns| format!("in namespace {ns}")).unwrap_or_else(|| "(cluster-wide)".to_string()),
                // Only what the evaluator confirmed: Yes for this request, No for its neighbours.
                if fix.exact { "exactly this request" } else { "this request with the narrowest rule RBAC can write for it (see the notes for what else it allows)" },
                f.user)) }</p>
            <ul class="notes">{ for fix.notes.iter().map(|n| html! { <li>{ screen.text(n) }</li> }) }</ul>
            if !fix.risks.is_empty() {
                <ul class="findings" aria-label="What the fix grants that needs care">
                    { for fix.risks.iter().map(|r| finding_item(r, None)) }
                </ul>
            }
            <div class="actions">
                { download_button(format!("{}.yaml", fix.name), fix.yaml.clone()) }
                { copy_button(fix.yaml.clone().into(), "Copy YAML".into()) }
                { builder }
            </div>
            <pre class="mono" role="region" tabindex="0" aria-label="Fix YAML">{ screen.text(&fix.yaml) }</pre>
            <figure>
                <figcaption>{ "The same with kubectl " }{ copy_button(script.clone().into(), "Copy kubectl commands".into()) }</figcaption>
                <pre class="mono" role="region" tabindex="0" aria-label="kubectl commands">{ screen.text(&script) }</pre>
            </figure>
            { context(props, f, Some(&fix), screen) }
        </section>
    }
}

/// What the other pages know about the 403: the inspected token's identity, and the pasted
/// cluster RBAC's answer with its nearest miss, and a role there that the fix would replace.
fn context(props: &TroubleshootProps, f: &Forbidden, fix: Option<&Fix>, screen: Screen) -> Html {
    let identity = props.inspect.identity().map(|id| {
        if f.is_identity(&id) {
            format!("The inspected token is {}: this error is for that token.", id.username)
        } else {
            format!(
                "The inspected token is {}, not {}: the request was made with other credentials, so changing this token's access would not fix it.",
                id.username, f.user
            )
        }
    });
    let rbac = match (&props.access.policy, f.query()) {
        (Some(Ok(policy)), Some(query)) => {
            let subject = f.subject();
            let answer = access::can_i(policy, &subject, &query);
            // Ranked by what else each grants: a broad role only ever comes as a warning.
            let miss = (!answer.allowed)
                .then(|| {
                    access::nearest_misses(policy, &subject, &query)
                        .into_iter()
                        .next()
                })
                .flatten()
                .map(|m| troubleshoot::miss_advice(f, &m));
            let clash = fix.and_then(|fix| {
                policy
                    .roles
                    .iter()
                    .find(|r| r.name == fix.name && r.namespace == fix.namespace)
                    .map(|r| format!(
                        "The pasted RBAC already has {}: applying the fix replaces its rules with the one above. Rename the fix's role, or add the rule to that role instead.",
                        r.label()
                    ))
            });
            Some(html! {
                <div role="region" aria-label="Can I in Cluster RBAC">
                    <h3>{ "In the pasted Cluster RBAC" }</h3>
                    <p class="status">{ screen.text(&answer.text) }</p>
                    <ul>{ for answer.hints.iter().map(|h| html! { <li>{ screen.text(h) }</li> }) }</ul>
                    if let Some((level, miss)) = miss { <p class={level_class(level)}>{ screen.text(miss) }</p> }
                    if let Some(clash) = clash { <p class="level-warning">{ screen.text(clash) }</p> }
                </div>
            })
        }
        _ => None,
    };
    html! {
        <>
            if let Some(identity) = identity { <p aria-label="Inspected token">{ screen.text(identity) }</p> }
            { rbac.unwrap_or_else(|| html! {
                <p class="hint">{ "Paste the cluster's roles and bindings into Cluster RBAC on the " }<a href={Route::Access.href()}>{ "Access page" }</a>{ " to see which binding comes closest to allowing this." }</p>
            }) }
        </>
    }
}

/// The 401 checklist, live ([`live`]): it reads the clock every second, and the rest of the
/// page (a whole cluster's RBAC asked Can I) need not render with it.
fn checklist(props: &TroubleshootProps) -> Html {
    let deps = [
        addr(&props.state),
        addr(&props.inspect),
        usize::from(props.redact),
        0,
    ];
    let props = props.clone();
    live(
        1,
        false,
        false,
        deps,
        Rc::new(move |m| checklist_view(&props, m.now)),
    )
}

fn checklist_view(props: &TroubleshootProps, now: UnixSeconds) -> Html {
    let screen = Screen {
        redact: props.redact,
    };
    let state = &props.state;
    let guide = troubleshoot::guide(&Diagnosis::Unauthorized(troubleshoot::Unauthorized {
        message: String::new(),
        form: troubleshoot::Form::Message,
    }));
    let onrelated = on_text(&props.onaction, |v| {
        TroubleshootAction::SetRelated(v).into()
    });
    let (intro, checks) = match &props.inspect.decoded {
        Some(Ok(jwt)) => {
            let keys = props.inspect.keys.as_ref().and_then(|k| k.as_ref().ok());
            let checks = unauthorized::checklist(jwt, keys, &state.related, now);
            let checks = if props.redact {
                redact::checks(&checks, jwt, &state.related)
            } else {
                checks
            };
            ("Each requirement checked against the token inspected on the Inspect page.", checks)
        }
        _ => (
            "No token is inspected: paste it into Token on the Inspect page to check each requirement against it.",
            unauthorized::requirements(),
        ),
    };
    html! {
        <section aria-labelledby="ts-401-h">
            { heading("ts-401-h", "Why the token was refused") }
            <p>{ intro }</p>
            <ul class="checklist" aria-label="Checklist">
                { for checks.iter().map(|c| html! {
                    <li class={mark_class(c.mark)}><strong>{ format!("{}: ", c.mark.word()) }</strong>{ screen.text(format!("{}. {}", c.requirement, c.why)) }</li>
                }) }
            </ul>
            { label("ts-related", "Related objects") }
            <p class="hint" id="ts-related-hint">{ "Optional: the discovery document (kubectl get --raw /.well-known/openid-configuration), and the token's Secret, Pod, Node or ServiceAccount (kubectl get … -o yaml), to check the issuer and whether the objects the token is bound to still exist." }</p>
            <textarea id="ts-related" class={classes!(paste_class(&state.related_input))} aria-describedby="ts-related-hint" rows="5" spellcheck="false" autocomplete="off"
                value={state.related_input.clone()} oninput={onrelated} />
            <crate::ui::components::FileField label="Related objects" textarea="ts-related"
                ontext={crate::ui::components::text_to(&props.onaction, |v| TroubleshootAction::SetRelated(v).into())} />
            if let Some(why) = &state.related_error { <p class="error" role="alert">{ screen.text(why) }</p> }
            { commands(&guide, "Commands", screen) }
        </section>
    }
}

fn mark_class(mark: Mark) -> &'static str {
    match mark {
        Mark::Met => "level-ok",
        Mark::Failed => "level-danger",
        Mark::Unknown => "level-info",
    }
}

fn empty_name(guide: &Guide, screen: Screen) -> Html {
    html! {
        <section aria-labelledby="ts-empty-h">
            { heading("ts-empty-h", "Get a token on Kubernetes 1.24 and later") }
            { commands(guide, "Commands", screen) }
            if let Some(yaml) = &guide.yaml {
                <div class="actions">
                    { download_button("token-secret.yaml".to_string(), yaml.clone()) }
                    { copy_button(yaml.clone().into(), "Copy token Secret".into()) }
                </div>
                <pre class="mono" role="region" tabindex="0" aria-label="Token Secret">{ screen.text(yaml) }</pre>
            }
        </section>
    }
}
