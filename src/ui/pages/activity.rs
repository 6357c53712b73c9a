//! The Activity page: what a token did, from the API server's audit events, and exactly the
//! RBAC it needs.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::components::{heading, hint, label, picture_view};

use crate::access::{self, Subject, SUBJECT_SYNTAX};
use crate::activity::{
    self, builder_form, redact_rows, Comparison, Form, Generated, Grantee, Matched, Options, Row,
    Tally, Whose,
};
use crate::k8s::risk::Rule;
use crate::picture::usage::usage;
use crate::redact;
use crate::support::chunk::thousands;
use crate::token::claims;
use crate::ui::components::{copy_button, finding_item, paste_class, FileEvent, FileField};
use crate::ui::components::{Screen, Shown};
use crate::ui::download;
use crate::ui::events::{on_check, on_text, on_value};
use crate::ui::route::Route;
use crate::ui::state::{AccessState, Action, ActivityAction, ActivityState, InspectState, Slice};

/// Rows the table shows at most; the counts above it cover every row.
const SHOWN_ROWS: usize = 1000;

/// Props of [`Activity`].
#[derive(Properties, PartialEq)]
pub struct ActivityProps {
    /// The page's slice of the state.
    pub state: Slice<ActivityState>,
    /// The Inspect page's slice, whose token is matched when no subject is typed.
    pub inspect: Slice<InspectState>,
    /// The access page's slice, whose **Cluster RBAC** is compared with what was used.
    pub access: Slice<AccessState>,
    /// The **Redact** switch.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// Whose events to match, and the subject that stands for them, from the typed text or the
/// inspected token.
fn whose(state: &ActivityState, inspect: &InspectState) -> Result<(Whose, Subject), String> {
    if !state.subject_input.trim().is_empty() {
        let subject = access::parse_subject(&state.subject_input).map_err(|e| e.to_string())?;
        return Ok((Whose::Subject(subject.clone()), subject));
    }
    let none = || {
        "No subject: inspect a service-account token on the Inspect page, or type one here."
            .to_string()
    };
    let claims = inspect.claims().ok_or_else(none)?;
    let identity = claims::identity(&claims).ok_or_else(none)?;
    let whose = Whose::Token {
        username: identity.username.clone(),
        jti: claims.jti.clone(),
    };
    Ok((whose, Subject::from_identity(&identity)))
}

/// `#/activity`: what did this token do? Audit events, matched and turned into RBAC.
#[component]
pub fn Activity(props: &ActivityProps) -> Html {
    let state = &props.state;
    let onaction = &props.onaction;
    let onevents = on_text(onaction, |v| ActivityAction::SetEvents(v).into());
    let onfile = onaction.reform(|e: FileEvent| ActivityAction::File(e).into());
    let summary = state
        .file
        .as_ref()
        .map(|f| AttrValue::from(f.summary.clone()));
    let onsubject = on_value(onaction, |v| ActivityAction::SetSubject(v).into());
    let who = whose(state, &props.inspect);
    let key = who.as_ref().ok().map(|(w, _)| w.clone());

    // Matched when the events or the subject change, not on a filter's keystroke.
    let matched = {
        let state = state.clone();
        use_memo((state.generation, key.clone()), move |(_, whose)| {
            match (&state.events, whose) {
                (Some(Ok(events)), Some(whose)) => Some(activity::select_tally(events, whose)),
                _ => None,
            }
        })
    };
    let options = Options {
        include_denied: state.include_denied,
        resource_names: !state.every_object,
    };
    let grantee = who.as_ref().ok().map(|(_, s)| Grantee::from_subject(s));
    // The real RBAC (for Copy, Download and the builder) and, with Redact on, the one shown.
    let generated = {
        let matched = matched.clone();
        use_memo(
            (
                state.generation,
                key.clone(),
                options,
                props.redact,
                grantee.clone(),
            ),
            move |(_, _, options, redacting, grantee)| {
                let (Some(m), Some(grantee)) = (matched.as_ref(), grantee) else {
                    return None;
                };
                let real = activity::generate(&m.rows, grantee, *options);
                let shown = redacting.then(|| {
                    activity::generate(&redact_rows(&m.rows), &grantee.redacted(), *options)
                });
                Some((real, shown))
            },
        )
    };
    let comparison = {
        let (matched, access) = (matched.clone(), props.access.clone());
        let subject = who.as_ref().ok().map(|(_, s)| s.clone());
        use_memo(
            (state.generation, key.clone(), props.access.generation),
            move |_| match (&access.policy, matched.as_ref(), subject) {
                (Some(Ok(policy)), Some(m), Some(subject)) => {
                    Some(activity::compare(policy, &subject, &m.rows))
                }
                _ => None,
            },
        )
    };

    html! {
        <>
            <section class="paste wide" aria-labelledby="activity-h">
                { heading("activity-h", "Activity") }
                { label("activity-events", "Audit events") }
                <p class="hint" id="activity-events-hint">
                    { "Paste the API server's audit log, or open the file: JSON lines of audit.k8s.io/v1 Events as the log backend writes them (a file of up to a GiB or more is read a chunk at a time), or an EventList (up to 32 MiB). Only ResponseComplete and Panic events count (the other stages repeat the same requests). It is read here and never sent anywhere." }
                </p>
                <FileField label="Audit events" textarea="activity-events" onfile={onfile} {summary} />
                <textarea id="activity-events" class={classes!(paste_class(&state.input))} aria-describedby="activity-events-hint"
                    rows="8" spellcheck="false" autocomplete="off" defaultvalue={AttrValue::from(state.input.clone())} oninput={onevents} />
                { read_status(state.events.as_ref()) }

                <div class="field">
                    { label("activity-subject", "Whose activity") }
                    <p class="hint" id="activity-subject-hint">
                        { "Empty: the token inspected on the Inspect page, matched by its jti credential ID where events record it, else by its user name. Or type a subject as on the Access page. " }
                        { SUBJECT_SYNTAX }
                    </p>
                    <input id="activity-subject" type="text" spellcheck="false" autocomplete="off"
                        aria-describedby="activity-subject-hint" value={state.subject_input.clone()} oninput={onsubject} />
                    { match &who {
                        Ok((whose, _)) => html! {
                            <p class="field-note" role="status" aria-label="Whose activity in use">{ describe_whose(whose, props.redact) }</p>
                        },
                        Err(e) => html! { <p class="field-note field-warning">{ e }</p> },
                    } }
                </div>
                if let Some(m) = matched.as_ref() {
                    <p class="recognised" role="status" aria-label="Matched events">{ matched_text(m) }</p>
                }
            </section>

            if let Some(m) = matched.as_ref() {
                { requests(state, m, onaction, props.redact) }
            }
            if let Some((real, shown)) = generated.as_ref() {
                { generated_section(state, real, shown.as_ref().unwrap_or(real), grantee.as_ref(), onaction) }
            }
            if matched.is_some() {
                { used_section(comparison.as_ref().as_ref(), props.redact) }
            }
        </>
    }
}

fn read_status(events: Option<&Result<std::rc::Rc<Tally>, activity::ReadError>>) -> Html {
    match events {
        None => html! {
            { hint("Get the log from the API server's --audit-log-path, or a managed cluster's audit log export. Keep the lines of one service account with grep to stay under 32 MiB.") }
        },
        Some(Err(e)) => html! { <p class="error" role="alert"><Shown text={e.to_string()} /></p> },
        Some(Ok(events)) => {
            let form = match events.form {
                Form::Lines => "JSON lines",
                Form::Document => "one EventList",
            };
            let more = events.problem_count.saturating_sub(events.problems.len());
            html! {
                <>
                    <p class="recognised" role="status" aria-label="Read events">
                        { format!("Read {} events from {form} (ResponseComplete and Panic stages); {} events of other stages not counted.",
                            events.total, events.other_stages) }
                    </p>
                    if events.dropped > 0 {
                        <p class="status level-warning" role="alert">
                            { format!("{} events were not kept: the log holds more than {} distinct requests, the most this page keeps. The requests and generated RBAC below may miss some; keep the lines of one subject (grep or jq) and open that.",
                                thousands(events.dropped as u64), thousands(activity::MAX_DISTINCT as u64)) }
                        </p>
                    }
                    if events.problem_count > 0 {
                        <ul class="notes" aria-label="Lines not read">
                            { for events.problems.iter().map(|p| html! { <li class="note"><Shown text={p.to_string()} /></li> }) }
                            if more > 0 {
                                <li class="note">{ format!("… and {more} more.") }</li>
                            }
                        </ul>
                    }
                </>
            }
        }
    }
}

fn describe_whose(whose: &Whose, redacting: bool) -> String {
    let shown = |s: &str| {
        if redacting {
            redact::mask(s)
        } else {
            s.to_string()
        }
    };
    match whose {
        Whose::Token { username, jti } => match jti {
            Some(jti) => format!(
                "The inspected token: {}, credential ID JTI={}.",
                shown(username),
                shown(jti)
            ),
            None => format!(
                "The inspected token: {} (it has no jti, so events are matched by user name).",
                shown(username)
            ),
        },
        Whose::Subject(s) => format!("The subject {}.", shown(&s.describe())),
    }
}

fn matched_text(m: &Matched) -> String {
    let mut parts = Vec::new();
    if m.by_credential > 0 {
        parts.push(format!("{} by the token's credential ID", m.by_credential));
    }
    if m.by_user > 0 {
        parts.push(format!("{} by user name", m.by_user));
    }
    if m.by_group > 0 {
        parts.push(format!("{} by group", m.by_group));
    }
    if m.impersonated > 0 {
        parts.push(format!(
            "{} sent by someone impersonating this subject, decided as this subject",
            m.impersonated
        ));
    }
    if m.impersonating > 0 {
        parts.push(format!(
            "{} sent impersonating someone else, of which only the impersonate checks are this subject's",
            m.impersonating
        ));
    }
    let mut text = match m.total() {
        0 => "No events matched.".to_string(),
        n => format!(
            "{n} events matched ({}), {} distinct requests.",
            parts.join(", "),
            m.rows.len()
        ),
    };
    if m.other_credentials > 0 {
        text.push_str(&format!(
            " {} events of the same account with another credential ID (another token) were left out.",
            m.other_credentials
        ));
    }
    text
}

fn shows(row: &Row, namespace: &str, decision: &str) -> bool {
    let ns = namespace.trim();
    let ns_ok = ns.is_empty()
        || match &row.request.namespace {
            Some(n) => n == ns,
            None => ns == "-" || ns.eq_ignore_ascii_case("cluster"),
        };
    ns_ok && (decision.is_empty() || decision == "all" || decision == row.decision.label())
}

/// The table's columns, also the header of **Copy requests**.
const COLUMNS: [&str; 11] = [
    "Verb",
    "API group",
    "Resource or path",
    "Namespace",
    "Name",
    "Count",
    "First seen",
    "Last seen",
    "Decision",
    "Response",
    "Reason",
];

/// A row's cells, as the table shows them and **Copy requests** copies them.
fn cells(r: &Row) -> [String; 11] {
    let q = &r.request;
    let (group, resource) = match (q.is_non_resource(), q.api_group.as_str()) {
        (true, _) => ("", &q.path),
        (false, "") => ("\"\"", &q.resource),
        (false, group) => (group, &q.resource),
    };
    [
        q.verb.clone(),
        group.to_string(),
        resource.clone(),
        q.namespace
            .clone()
            .unwrap_or_else(|| "(cluster)".to_string()),
        q.name.clone().unwrap_or_default(),
        r.count.to_string(),
        r.first.clone(),
        r.last.clone(),
        r.decision.label().to_string(),
        r.failed
            .map(|c| format!("{c}: failed, not granted"))
            .unwrap_or_default(),
        r.reason.clone(),
    ]
}

fn tsv(rows: &[&Row]) -> String {
    let mut out = COLUMNS.join("\t");
    for r in rows {
        out.push('\n');
        out.push_str(&cells(r).join("\t"));
    }
    out.push('\n');
    out
}

fn requests(
    state: &ActivityState,
    m: &Matched,
    onaction: &Callback<Action>,
    redacting: bool,
) -> Html {
    let screen = Screen { redact: redacting };
    let onnamespace = on_value(onaction, |v| ActivityAction::Namespace(v).into());
    let ondecision = {
        let onaction = onaction.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            onaction.emit(ActivityAction::Decision(select.value()).into());
        })
    };
    let masked = redacting.then(|| redact_rows(&m.rows));
    let rows = masked.as_deref().unwrap_or(&m.rows);
    let keep = |r: &&Row| shows(r, &state.namespace, &state.decision);
    let shown: Vec<&Row> = rows.iter().filter(keep).collect();
    let real: Vec<&Row> = m.rows.iter().filter(keep).collect();
    let decision = if state.decision.is_empty() {
        "all"
    } else {
        state.decision.as_str()
    };
    html! {
        <section class="activity-requests wide" aria-labelledby="activity-requests-h">
            { heading("activity-requests-h", "Requests") }
            { hint("One row per distinct request. Only ResponseComplete and Panic events are counted. A 403 response without the authorizer's decision annotation counts as denied. A request sent impersonating someone (kubectl --as) is the impersonated user's; its sender's own request is impersonate on that user, group or service account.") }
            <div class="can-i-fields">
                <div class="field">
                    { label("activity-ns", "Filter by namespace") }
                    <input id="activity-ns" type="text" spellcheck="false" autocomplete="off" placeholder="all; - for cluster scope"
                        value={state.namespace.clone()} oninput={onnamespace} />
                </div>
                <div class="field">
                    { label("activity-decision", "Filter by decision") }
                    <select id="activity-decision" onchange={ondecision}>
                        { for ["all", "allowed", "denied", "unknown"].iter().map(|d| html! {
                            <option value={*d} selected={*d == decision}>{ *d }</option>
                        }) }
                    </select>
                </div>
            </div>
            <p role="status" aria-label="Requests shown">
                { format!("{} of {} requests shown{}.", shown.len().min(SHOWN_ROWS), rows.len(),
                    if shown.len() > SHOWN_ROWS { format!(" (the first {SHOWN_ROWS} of {} that match the filters)", shown.len()) } else { String::new() }) }
                { " " }{ copy_button((AttrValue::from(tsv(&real))).into(), "Copy requests".into()) }
            </p>
            <div class="table-scroll">
            <table class="rows" aria-label="Requests" tabindex="0">
                <thead><tr>{ for COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                <tbody>
                    if shown.is_empty() {
                        <tr><td colspan="11">{ "No requests." }</td></tr>
                    }
                    { for shown.iter().take(SHOWN_ROWS).map(|r| html! {
                        <tr class={r.decision.label()}>{ for cells(r).into_iter().map(|c| html! { <td>{ screen.text(c) }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}

fn generated_section(
    state: &ActivityState,
    real: &Generated,
    shown: &Generated,
    grantee: Option<&Grantee>,
    onaction: &Callback<Action>,
) -> Html {
    let ondenied = on_check(onaction, |on| ActivityAction::IncludeDenied(on).into());
    let onnames = on_check(onaction, |on| ActivityAction::EveryObject(on).into());
    let ondownload = {
        let yaml = real.yaml.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = download::save("activity-rbac.yaml", "application/yaml", &yaml);
        })
    };
    let form = grantee
        .ok_or_else(String::new)
        .and_then(|g| builder_form(real, g).map_err(|e| e.to_string()));
    let onbuilder = {
        let (onaction, form) = (onaction.clone(), form.clone().ok());
        Callback::from(move |_: MouseEvent| {
            if let Some(form) = &form {
                onaction.emit(ActivityAction::OpenInBuilder(Box::new(form.clone())).into());
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_hash(Route::Rbac.href());
                }
            }
        })
    };
    let empty = real.yaml.is_empty();
    html! {
        <section class="activity-rbac" aria-labelledby="activity-rbac-h">
            { heading("activity-rbac-h", "Generated RBAC") }
            { hint("The least-privilege Roles, ClusterRoles and bindings that grant the requests in the table that were allowed and completed (whatever the filters show), and nothing that names *: per API group, resources used with the same verbs share a rule.") }
            { check("activity-denied", "Include denied requests", state.include_denied, ondenied,
                "Also grant what the authorizer denied: what the workload is missing.") }
            { check("activity-names", "Grant on every object", state.every_object, onnames,
                "Off (the default): a verb used only on named objects is granted on those objects only (resourceNames), as audit2rbac does for one name; create and deletecollection name no object for the authorizer and are granted on all; a list or watch is limited only when it selected one object by name. Where several names were used, audit2rbac grants the verb on every object, and this page keeps the names, so that it is never broader. On: shorter rules, for workloads whose object names change. impersonate always keeps its names.") }
            { left_out(real, shown) }
            if empty {
                <p class="status level-info">{ "Nothing to grant: no allowed and completed requests matched (tick Include denied requests to grant the denied ones)." }</p>
            } else {
                <p class="hint">{ format!("{} requests granted by {} roles.", real.granted, real.roles.len()) }</p>
                <pre class="mono" role="region" tabindex="0" aria-label="Generated RBAC YAML"><Shown text={shown.yaml.clone()} /></pre>
                <div class="actions">
                    { copy_button((AttrValue::from(real.yaml.clone())).into(), "Copy YAML".into()) }
                    <button type="button" onclick={ondownload}>{ "Download YAML" }</button>
                    <button type="button" onclick={onbuilder} disabled={form.is_err()}
                        aria-describedby="activity-builder-note">{ "Open in RBAC builder" }</button>
                </div>
                <p class="hint" id="activity-builder-note">
                    { match &form { Ok(_) => "Fills the RBAC builder with this service account and role.".to_string(), Err(why) => why.clone() } }
                </p>
            }
        </section>
    }
}

/// What the generated RBAC leaves out, and why: failed requests, and requests naming `*`.
fn left_out(real: &Generated, shown: &Generated) -> Html {
    html! {
        <>
            if real.failed > 0 {
                <p class="status level-info" role="status" aria-label="Failed requests left out">
                    { format!("{} requests that failed (a 4xx or 5xx response other than the authorizer's 403: not found, conflict, server error, admission's refusal) are shown in the table but not granted: only what was allowed and completed makes a rule.", real.failed) }
                </p>
            }
            if !shown.wildcards.is_empty() {
                <div class="status level-warning" role="alert" aria-label="Requests naming *">
                    <p>{ format!("{} requests name * and are not granted. In a request * is a literal (a request to /api/v1/namespaces/prod/* asks for a resource named *); written into a rule it is a wildcard that grants every resource, group, name or path. Grant what the workload really needs by hand.", shown.wildcards.len()) }</p>
                    <ul>{ for shown.wildcards.iter().map(|r| html! { <li class="mono">{ r.describe() }</li> }) }</ul>
                </div>
            }
        </>
    }
}

/// A checkbox with its label and hint.
fn check(
    id: &'static str,
    label: &'static str,
    checked: bool,
    onchange: Callback<Event>,
    hint: &'static str,
) -> Html {
    let hint_id = format!("{id}-hint");
    html! {
        <div class="field check">
            <input {id} type="checkbox" {checked} {onchange} aria-describedby={hint_id.clone()} />
            <label for={id}>{ label }</label>
            <p class="field-note" id={hint_id}>{ hint }</p>
        </div>
    }
}

fn rule_text(rule: &Rule, redacting: bool) -> String {
    if !rule.non_resource_urls.is_empty() {
        return format!(
            "{} on {}",
            rule.verbs.join(", "),
            rule.non_resource_urls.join(", ")
        );
    }
    let groups: Vec<&str> = rule
        .api_groups
        .iter()
        .map(|g| if g.is_empty() { "\"\"" } else { g.as_str() })
        .collect();
    let mut text = format!(
        "{} on {} (API groups {})",
        rule.verbs.join(", "),
        rule.resources.join(", "),
        groups.join(", ")
    );
    if !rule.resource_names.is_empty() {
        let names: Vec<String> = rule
            .resource_names
            .iter()
            .map(|n| {
                if redacting {
                    redact::mask(n)
                } else {
                    n.clone()
                }
            })
            .collect();
        text.push_str(&format!(", only {}", names.join(", ")));
    }
    text
}

fn used_section(comparison: Option<&Comparison>, redacting: bool) -> Html {
    let screen = Screen { redact: redacting };
    let Some(c) = comparison else {
        return html! {
            <section aria-labelledby="activity-used-h">
                { heading("activity-used-h", "Used against granted") }
                { hint("Paste the cluster's roles and bindings into Cluster RBAC on the Access page to see the rules this subject holds that no request used, and what it was denied.") }
            </section>
        };
    };
    let mut drawn = usage(c);
    for bar in &mut drawn.bars {
        bar.label = screen.string(&bar.label).into_owned();
    }
    html! {
        <section aria-labelledby="activity-used-h">
            { heading("activity-used-h", "Used against granted") }
            { picture_view(&drawn.picture(), "used-against-granted.svg", "Each binding's rules: used by a request (green), never used (amber: candidates to remove), not compared (grey: the API server's default bindings). The lists below say the same in words.") }
            <h3 id="activity-unused-h">{ "Unused rules" }</h3>
            <p role="status" aria-label="Unused rules count">
                { format!("{} of the {} rules held were used by no request: candidates to remove.", c.unused.len(), c.held) }
                if c.defaults > 0 { { format!(" {} rules come from the API server's default bindings (system:discovery, system:basic-user, system:public-info-viewer and the other system: bindings): it recreates them at every start and discovery needs them, so they are never candidates.", c.defaults) } }
                if c.stopped { { format!(" The comparison stopped after {} checks; later rules are not listed.", activity::MAX_CHECKS) } }
            </p>
            <ul class="findings" aria-labelledby="activity-unused-h">
                { for c.unused.iter().map(|u| html! {
                    <li>
                        <p class="mono">{ rule_text(&u.grant.rule, redacting) }</p>
                        <p>{ screen.text(format!("{}, through {} → {}", u.grant.scope.as_deref().map_or("Cluster-wide".to_string(), |ns| format!("In {ns}")), u.grant.binding, u.grant.role)) }</p>
                        if !u.risks.is_empty() {
                            <ul class="findings">{ for u.risks.iter().map(|f| finding_item(f, None)) }</ul>
                        }
                    </li>
                }) }
            </ul>
            <h3 id="activity-denied-h">{ "Denied requests" }</h3>
            if c.denied.is_empty() {
                <p class="status level-ok">{ "Nothing was denied." }</p>
            }
            <ul class="findings" aria-labelledby="activity-denied-h">
                { for c.denied.iter().map(|d| {
                    let mut request = d.request.clone();
                    if redacting {
                        request.name = request.name.as_deref().map(redact::mask);
                    }
                    html! {
                        <li>
                            <p class="mono">{ screen.text(format!("{} ({} times)", request.describe(), d.count)) }</p>
                            if !d.reason.is_empty() { <p>{ if redacting { redact::mask(&d.reason) } else { d.reason.clone() } }</p> }
                            if !d.risks.is_empty() {
                                <ul class="findings">{ for d.risks.iter().map(|f| finding_item(f, None)) }</ul>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
