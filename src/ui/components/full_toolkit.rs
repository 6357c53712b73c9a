//! In the first-visit build, a section that comes with the full toolkit: what it shows, and a
//! button that loads it (`ui::upgrade`); the full app then renders the section in its place.

use yew::prelude::*;

use crate::ui::hooks::use_upgrade_failed;
use crate::ui::upgrade;

/// Props of [`FullToolkit`].
#[derive(Properties, PartialEq)]
pub struct FullToolkitProps {
    /// The section's heading, as the full app names it: "Who can".
    pub title: &'static str,
    /// The heading's id, for the section's accessible name.
    pub id: &'static str,
    /// What the section shows, in a sentence.
    pub what: &'static str,
}

/// The section's heading and what it shows, with **Load the full toolkit**.
#[component]
pub fn FullToolkit(props: &FullToolkitProps) -> Html {
    let failed = use_upgrade_failed();
    let onload = Callback::from(|_: MouseEvent| upgrade::request());
    html! {
        <section aria-labelledby={props.id}>
            <h2 id={props.id}>{ props.title }</h2>
            <p>{ props.what }{ " It comes with the full toolkit, downloaded once and then kept for offline use; what you pasted stays." }</p>
            if failed {
                <p role="status">{ "The full toolkit could not be loaded: this needs the network once. Connect and try again." }</p>
            }
            <button type="button" onclick={onload}>{ "Load the full toolkit" }</button>
        </section>
    }
}
