//! The Audit page: every long-lived token Secret of a cluster, who can use it, whether it is
//! still used, and when the control plane cleans it up; with a migration plan and a CSV.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::components::{col, heading, hint, label, para};

use crate::audit::{self, Audit as Inventory, Grants, Row, RECENT_DAYS, TOKEN_TYPE};
use crate::formats::dump_stream::grouped;
use crate::redact;
use crate::support::time::{iso8601, UnixSeconds};
use crate::ui::components::{copy_button, finding_item, level_class, paste_class, shown, Screen};
use crate::ui::components::{more_rows, FileEvent, FileField};
use crate::ui::download;
use crate::ui::hooks::use_now_every;
use crate::ui::state::{AccessState, Action, AuditAction, AuditState, Slice};

/// The table's columns between the selection and the worst grant, as [`table_row`] fills them.
const COLUMNS: [&str; 11] = [
    "Namespace",
    "Service account",
    "Secret",
    "Created",
    "Made by",
    "Last used",
    "Invalid since",
    "Marked invalid from",
    "Deleted from",
    "Key ID",
    "Issuer",
];
/// Most selected rows whose projected volume is written out one by one.
const VOLUMES: usize = 20;
/// Most selected rows the page writes the migration script for. Past it, the page shows the
/// script of the first ones and builds the whole script only when it is downloaded, so a
/// checkbox among thousands of selected rows does not rebuild (and lay out) megabytes.
const PLANNED: usize = 200;

/// Props of [`Audit`].
#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The page's slice of the state.
    pub state: Slice<AuditState>,
    /// The access page's slice, whose **Cluster RBAC** gives each token its worst grant.
    pub access: Slice<AccessState>,
    /// The **Redact** switch: masks service account, namespace and Secret names.
    pub redact: bool,
    /// Where the page's actions go.
    pub onaction: Callback<Action>,
}

/// `#/audit`: a dump of token Secrets, as a table of long-lived tokens.
#[component]
pub fn Audit(props: &AuditProps) -> Html {
    let state = &props.state;
    // Dates here are days: a minute's clock is plenty, and a 20 MiB table is not redrawn
    // every second.
    let now = use_now_every(60);
    let oninput = {
        let onaction = props.onaction.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            onaction.emit(AuditAction::SetInput { text, now }.into());
        })
    };
    let onfile = props
        .onaction
        .reform(move |event: FileEvent| AuditAction::File { event, now }.into());
    let onperiod = {
        let onaction = props.onaction.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            onaction.emit(AuditAction::SetPeriod { text, now }.into());
        })
    };
    // Evaluated when the dump or the RBAC changes, not on a selection or a period edit.
    let grants = {
        let (audit, access) = (state.audit.clone(), props.access.clone());
        use_memo((state.generation, access.generation), move |_| {
            match (&audit, &access.policy) {
                (Some(Ok(audit)), Some(Ok(policy))) => {
                    Some(audit::worst_grants(&audit.rows, policy))
                }
                _ => None,
            }
        })
    };
    let period_error = state.options().err();
    // Built when the page's slice (dump, period, selection), the RBAC or Redact changes, or
    // the day: the plan is dated by the day, and nothing else here reads the clock, so the
    // minute's tick redraws nothing.
    let results = {
        let (props_state, grants) = (props.state.clone(), grants.clone());
        let (onaction, redact) = (props.onaction.clone(), props.redact);
        let day = audit::Date::of(now);
        let key = (props.state.clone(), props.access.generation, redact, day);
        use_memo(key, move |_| match &props_state.audit {
            Some(Ok(inventory)) => {
                let page = Page {
                    state: &props_state,
                    redact,
                    onaction: &onaction,
                };
                results(&page, inventory, grants.as_ref().as_ref(), now)
            }
            _ => Html::default(),
        })
    };

    html! {
        <>
            <section class="paste wide" aria-labelledby="audit-in-h">
                { heading("audit-in-h", "Token Secrets") }
                { label("audit-secrets", "Secrets") }
                <p class="hint" id="audit-secrets-hint">
                    { "Paste the output of " }<code>{ format!("kubectl get secrets -A --field-selector type={TOKEN_TYPE} -o json") }</code>
                    { " (or -o yaml, or all Secrets: only token Secrets count; add serviceaccounts to the get for who made each). A paste up to 32 MiB, a file up to 256 MiB, read here and never sent anywhere; the tokens are read for their key ID and issuer only, and not kept." }
                </p>
                // Uncontrolled, as Cluster RBAC is: a dump is megabytes.
                <textarea id="audit-secrets" class={classes!(paste_class(&state.input))} aria-describedby="audit-secrets-hint" rows="8" spellcheck="false"
                    autocomplete="off" defaultvalue={AttrValue::Rc(Rc::clone(&state.input))} {oninput} />
                <FileField label="Secrets" textarea="audit-secrets" summary={state.file.as_ref().map(|f| AttrValue::from(f.summary.clone()))} {onfile} />
                <div class="field">
                    { label("audit-period", "Clean-up period (days)") }
                    <p class="hint" id="audit-period-hint">{ "kube-controller-manager's --legacy-service-account-token-clean-up-period; one year by default." }</p>
                    <input id="audit-period" type="text" inputmode="numeric" autocomplete="off" aria-describedby="audit-period-hint"
                        value={state.period.clone()} placeholder={audit::cleanup::DEFAULT_PERIOD_DAYS.to_string()} oninput={onperiod} />
                    if let Some(e) = period_error {
                        <p class="field-note field-warning" role="alert">{ shown(e.to_string()) }</p>
                    }
                </div>
            </section>
            { match &state.audit {
                None => empty_state(),
                Some(Err(e)) => html! { <p class="error" role="alert">{ shown(e.to_string()) }</p> },
                Some(Ok(_)) => (*results).clone(),
            } }
        </>
    }
}

fn empty_state() -> Html {
    html! {
        <section class="empty" aria-labelledby="audit-empty-h">
            { heading("audit-empty-h", "What you will see") }
            { para("One row per token Secret: its service account, when it was made and by whom, when it was last used, when the control plane will mark it invalid and delete it, its key ID and issuer, and what to watch. With Cluster RBAC pasted on the Access page, each token's worst grant too, riskiest first.") }
        </section>
    }
}

/// What [`results`] draws from: the page's slice, Redact, and where actions go.
struct Page<'a> {
    state: &'a AuditState,
    redact: bool,
    onaction: &'a Callback<Action>,
}

/// The summary, the table and the migration plan for a dump that read.
fn results(
    props: &Page<'_>,
    inventory: &Rc<Inventory>,
    grants: Option<&Grants>,
    now: UnixSeconds,
) -> Html {
    let state = &props.state;
    let s = &inventory.summary;
    let order: Vec<usize> = match grants {
        Some(grants) => audit::by_risk(grants),
        None => (0..inventory.rows.len()).collect(),
    };
    let mask = |text: &str| -> String {
        if props.redact {
            redact::mask(text)
        } else {
            text.to_string()
        }
    };
    let ondownload = {
        let (inventory, order, redact) = (Rc::clone(inventory), order.clone(), props.redact);
        Callback::from(move |_: MouseEvent| {
            let rows: Vec<Row> = order
                .iter()
                .filter_map(|&i| inventory.rows.get(i).cloned())
                .collect();
            let text = if redact {
                audit::csv(&rows, &redact::mask)
            } else {
                audit::csv(&rows, &|t: &str| t.to_string())
            };
            let _ = download::save("token-audit.csv", "text/csv", &text);
        })
    };
    let all = state.selected.iter().all(|&s| s) && !state.selected.is_empty();
    let onall = props
        .onaction
        .reform(move |_: Event| AuditAction::SelectAll(!all).into());
    let mut counts = format!(
        "{} token Secret{}: {} never used, {} used in the last {RECENT_DAYS} days",
        s.tokens,
        if s.tokens == 1 { "" } else { "s" },
        s.never_used,
        s.recently_used
    );
    if s.refused > 0 {
        counts.push_str(&format!(", {} marked invalid", s.refused));
    }
    if s.broken > 0 {
        counts.push_str(&format!(", {} whose token does not decode", s.broken));
    }
    counts.push('.');
    html! {
        <>
            <section class="audit-summary" aria-labelledby="audit-sum-h">
                { heading("audit-sum-h", "Summary") }
                { crate::ui::export::audit(inventory) }
                <p class="status level-info" role="status" aria-label="Audit summary">{ counts }</p>
                <ul class="hints">
                    if inventory.other_secrets > 0 {
                        <li>{ format!("{} Secrets of other types were left out.", inventory.other_secrets) }</li>
                    }
                    if inventory.not_kept > 0 {
                        <li class="field-warning">{ format!("{} more token Secrets were read but not kept: the table holds the first {}. Audit a namespace at a time (kubectl get secrets -n NAMESPACE -o json).", grouped(inventory.not_kept), grouped(audit::MAX_ROWS)) }</li>
                    }
                    <li>{ if inventory.service_accounts > 0 {
                        format!("{} ServiceAccounts in the paste tell which Secrets the control plane made.", inventory.service_accounts)
                    } else {
                        "No ServiceAccounts in the paste: who made each Secret is judged by its name. Paste kubectl get serviceaccounts,secrets -A -o json to know.".to_string()
                    } }</li>
                    if let Some(since) = inventory.tracked_since {
                        <li>{ format!("The API server has tracked use since {since}.") }</li>
                    }
                    if let Some(grants) = grants {
                        <li>{ "Sorted by each token's worst grant under the Cluster RBAC pasted on the Access page." }</li>
                        if grants.skipped > 0 {
                            <li>{ format!("{} service accounts past the first {} were not evaluated.", grants.skipped, audit::grants::MAX_SUBJECTS) }</li>
                        }
                    } else {
                        <li>{ "Paste Cluster RBAC on the Access page to see each token's worst grant here." }</li>
                    }
                </ul>
            </section>

            <section class="audit-table" aria-labelledby="audit-table-h">
                { heading("audit-table-h", "Tokens") }
                <div class="actions">
                    <button type="button" onclick={ondownload}>{ "Download CSV" }</button>
                    <span class="hint">{ "Saved as token-audit.csv, without any token; with Redact on, names stay masked." }</span>
                </div>
                <div class="scroll">
                <table class="rows audit" aria-label="Token Secrets">
                    <thead><tr>
                        <th scope="col"><input type="checkbox" aria-label="Select all" checked={all} onchange={onall} /></th>
                        { for COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }
                        if grants.is_some() {
                            { col("Worst grant") }
                        }
                        { col("Flags") }
                    </tr></thead>
                    <tbody>
                        { for order.iter().take(state.shown_rows()).filter_map(|&i| Some((i, inventory.rows.get(i)?))).map(|(i, row)| {
                            let selected = state.selected.get(i).copied().unwrap_or(false);
                            let onselect = props.onaction.reform(move |e: Event| {
                                let input: HtmlInputElement = e.target_unchecked_into();
                                AuditAction::Select(i, input.checked()).into()
                            });
                            let worst = grants.map(|g| g.worst.get(i).cloned().flatten());
                            table_row(row, &mask, Screen { redact: props.redact }, selected, onselect, worst)
                        }) }
                    </tbody>
                </table>
                </div>
                { more_rows(state.shown_rows(), order.len(), "rows; the CSV and Select all cover every row", &props.onaction.reform(|n| AuditAction::ShowRows(n).into())) }
            </section>

            { plan(inventory, &state.selected, &order, props.redact, now) }
        </>
    }
}

fn table_row(
    row: &Row,
    mask: &dyn Fn(&str) -> String,
    screen: Screen,
    selected: bool,
    onselect: Callback<Event>,
    worst: Option<Option<crate::support::finding::Finding>>,
) -> Html {
    let time = |t: Option<UnixSeconds>| t.map(iso8601).unwrap_or_default();
    let name = mask(&row.name);
    let cleanup = &row.cleanup;
    let note = cleanup.note();
    // One cell per column of COLUMNS, rendered by one loop: a cell of its own each costs wasm.
    let cells: [String; 11] = [
        mask(&row.namespace),
        mask(&row.service_account),
        name.clone(),
        time(row.created),
        row.origin.words().to_string(),
        if matches!(row.last_used, audit::Label::Absent) {
            "never".to_string()
        } else {
            row.last_used.text()
        },
        row.invalid_since.text(),
        time(cleanup.marks),
        if note.is_empty() {
            time(cleanup.deletes)
        } else {
            format!("{} ({note})", time(cleanup.deletes))
        },
        row.kid().unwrap_or_default().to_string(),
        row.issuer().unwrap_or_default().to_string(),
    ];
    html! {
        <tr>
            <td><input type="checkbox" aria-label={format!("Select {name}")} checked={selected} onchange={onselect} /></td>
            { for cells.into_iter().map(|c| html! { <td>{ screen.text(c) }</td> }) }
            if let Some(worst) = worst {
                <td class={worst.as_ref().map(|f| level_class(f.level))}>
                    { worst.map(|f| format!("{}: {}", f.level.word(), f.title)).unwrap_or_else(|| "nothing risky".to_string()) }
                </td>
            }
            <td><ul class="findings">{ for row.flags().iter().map(|f| finding_item(f, None)) }</ul></td>
        </tr>
    }
}

/// The rows at `chosen`, in that order.
fn rows_at<'a>(inventory: &'a Inventory, chosen: &[usize]) -> Vec<&'a Row> {
    chosen
        .iter()
        .filter_map(|&i| inventory.rows.get(i))
        .collect()
}

/// The migration plan for the selected rows, in the table's order: written out for the first
/// [`PLANNED`], and for all of them when downloaded.
fn plan(
    inventory: &Rc<Inventory>,
    selected: &[bool],
    order: &[usize],
    redact: bool,
    now: UnixSeconds,
) -> Html {
    let chosen: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| selected.get(i).copied().unwrap_or(false))
        .collect();
    let planned = chosen.get(..PLANNED).unwrap_or(&chosen);
    let whole = planned.len() == chosen.len();
    let refs = rows_at(inventory, planned);
    // Copy gives the real script: one of masked names would act on no Secret at all.
    let real_steps = audit::plan(&refs, now);
    let real = audit::script(&real_steps);
    let steps = if redact {
        audit::plan_shown(&refs, now, &redact::mask)
    } else {
        real_steps.clone()
    };
    let script = audit::script(&steps);
    // The download, too, is the real script, built only when asked for.
    let ondownload = {
        let (inventory, chosen) = (Rc::clone(inventory), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            let script = audit::script(&audit::plan(&rows_at(&inventory, &chosen), now));
            let _ = download::save("migrate-tokens.sh", "text/x-shellscript", &script);
        })
    };
    html! {
        <section class="audit-plan" aria-labelledby="audit-plan-h">
            { heading("audit-plan-h", "Migration plan") }
            if steps.is_empty() {
                { hint("Select rows in the table to plan their migration: a short-lived token or a projected volume for each client, then the label that makes the API server refuse the token (reversible), then the delete.") }
            } else {
                <p class="hint">{ format!("For {} selected token{}. Run the steps in order: replace each client's token, mark the Secret invalid and watch for failures (undo by removing the label), and only then delete it.", chosen.len(), if chosen.len() == 1 { "" } else { "s" }) }</p>
                <div class="actions">
                    if whole {
                        { copy_button(real.into(), "Copy migration script".into()) }
                    } else {
                        <button type="button" onclick={ondownload}>{ "Download migration script" }</button>
                        <span class="hint">{ format!("Saved as migrate-tokens.sh, for all {} selected tokens; shown below for the first {PLANNED}.", chosen.len()) }</span>
                    }
                    if redact {
                        <span class="hint">{ format!(" {} the real script, with the names unmasked: a script of masked names would act on no Secret.", if whole { "Copies" } else { "Saves" }) }</span>
                    }
                </div>
                <pre class="mono" role="region" tabindex="0" aria-label="Migration script">{ shown(script) }</pre>
                <h3>{ "Projected volume for a pod" }</h3>
                { hint("A pod that mounts the Secret gets a short-lived token that the kubelet renews instead: add this to its spec.") }
                { for steps.iter().zip(&real_steps).take(VOLUMES).map(|(step, real_step)| {
                    let label = format!("Copy projected volume for {}", step.title);
                    html! {
                        <details>
                            <summary>{ &step.title }</summary>
                            <div class="actions">{ copy_button(real_step.projected_volume.clone().into(), label.into()) }</div>
                            <pre class="mono">{ shown(step.projected_volume.clone()) }</pre>
                        </details>
                    }
                }) }
            }
        </section>
    }
}
