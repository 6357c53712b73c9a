//! **Access grid**: resources × verbs for the subject in one namespace, each cell Can I's own
//! answer ([`crate::access::grid`]); a click asks Can I about that cell, so its reasons show above.

use yew::prelude::*;

use crate::ui::components::{col, heading, hint, label, more_rows};

use crate::access::{Cell, Grid, GRID_VERBS};
use web_sys::HtmlSelectElement;

use crate::ui::components::shown;
use crate::ui::state::{AccessAction, Action, CanIForm};

/// The grid's section: a table of buttons, each asking Can I about its cell.
/// `choices` are the namespaces its list offers.
/// Its first `rows` rows are drawn, each a row of buttons; `onmore` draws more.
pub fn section(
    grid: &Grid,
    choices: &[String],
    onaction: &Callback<Action>,
    (rows, onmore): (usize, &Callback<usize>),
) -> Html {
    let onnamespace = {
        let onaction = onaction.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            onaction.emit(AccessAction::GridNamespace(select.value()).into());
        })
    };
    let ask = |verb: &'static str, resource: &str, name: &str| {
        let (resource, namespace, name) = (
            resource.to_string(),
            grid.namespace.clone(),
            name.to_string(),
        );
        onaction.reform(move |_: MouseEvent| {
            // Each field of Can I, then the answer shows there.
            Action::Access(AccessAction::Ask(CanIForm {
                verb: verb.to_string(),
                resource: resource.clone(),
                namespace: namespace.clone(),
                name: name.clone(),
            }))
        })
    };
    html! {
        <section class="access-grid wide" aria-labelledby="grid-h">
            { heading("grid-h", "Access grid") }
            { hint("What the subject can do in one namespace, resource by verb, as Can I answers each: ✓ yes, names: only the objects listed, blank: no. Select a cell to ask Can I about it. Namespaces without a RoleBinding for the subject look like default.") }
            <div class="field">
                { label("grid-ns", "Grid namespace") }
                <select id="grid-ns" onchange={onnamespace}>
                    { for choices.iter().map(|n| html! {
                        <option value={n.clone()} selected={*n == grid.namespace}>{ n.clone() }</option>
                    }) }
                </select>
            </div>
            <div class="scroll">
                <table class="grid" aria-label="Access grid">
                    <thead><tr>
                        { col("Resource") }
                        { for GRID_VERBS.iter().map(|v| html! { <th scope="col">{ *v }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for grid.rows.iter().take(rows).map(|row| html! {
                            <tr>
                                <th scope="row" class="mono">{ shown(row.label.clone()) }</th>
                                { for GRID_VERBS.iter().zip(&row.cells).map(|(verb, cell)| {
                                    let (mark, words, name) = match cell {
                                        Cell::Yes => ("✓", "yes".to_string(), ""),
                                        Cell::No => ("", "no".to_string(), ""),
                                        Cell::SomeNames(names) => ("names", format!("only {}", names.join(", ")), names.first().map_or("", String::as_str)),
                                    };
                                    let label = format!("{verb} {}: {words}", row.label);
                                    html! {
                                        <td class={classes!("cell", matches!(cell, Cell::Yes).then_some("yes"))}>
                                            <button type="button" class="cell" aria-label={label.clone()} title={label}
                                                onclick={ask(verb, &row.label, name)}>{ mark }</button>
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            { more_rows(rows, grid.rows.len(), "resources", onmore) }
            if grid.left_out > 0 {
                <p class="hint">{ format!("{} more resources are left out; ask Can I about them.", grid.left_out) }</p>
            }
        </section>
    }
}
