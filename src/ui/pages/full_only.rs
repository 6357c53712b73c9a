//! What the first-visit app shows on a page of the full app while it loads that app.

use yew::prelude::*;

use crate::ui::app::NAV;
use crate::ui::hooks::{use_hash, use_upgrade_failed};
use crate::ui::route::Route;
use crate::ui::upgrade;

/// A page that comes with the full app: its name, and how loading that app goes. Opening it
/// starts the upgrade (`ui::upgrade`); the full app then renders the page in its place.
/// Without props, and reading the route itself, since every byte of it is in the first visit.
#[component]
pub fn FullOnly() -> Html {
    let route = Route::from_hash(&use_hash());
    let title = NAV
        .iter()
        .find(|(page, _)| *page == route)
        .map_or("", |(_, label)| *label);
    let failed = use_upgrade_failed();
    use_effect_with((), |_| upgrade::request());
    let onretry = Callback::from(|_: MouseEvent| upgrade::request());
    html! {
        <section aria-labelledby="full-only-h">
            <h2 id="full-only-h">{ title }</h2>
            // One live region whose text changes, so a screen reader announces the outcome.
            <p role="status">{ if failed {
                "Could not load the full toolkit: the first time, it needs the network (then it works offline). Connect and try again; what you pasted stays."
            } else {
                "Loading the full toolkit…"
            } }</p>
            if failed {
                <button type="button" onclick={onretry}>{ "Try again" }</button>
            }
        </section>
    }
}
