//! The Learn page: the guided walk, one step at a time.

use yew::prelude::*;

use crate::learn::{Step, STEPS};
use crate::ui::components::{copy_button, shown};

/// Props of [`learn`] (`Properties` too, so tests can mount it).
#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The step named in the hash (`#/learn/<id>`), marked as the current one (the app moves
    /// the focus to it: `ui/handover.rs`).
    pub step: Option<String>,
}

/// `#/learn`: the guided walk, one section per step, each linking to the page that does it.
pub fn learn(props: &LearnProps) -> Html {
    html! {
        <>
            <section class="intro" aria-labelledby="learn-h">
                <h2 id="learn-h" tabindex="-1">{ "Guided walk: a service account from start to finish" }</h2>
                <p>{ "Each step says what to run on a real cluster and links to the page that does it here, filled in with demo data (no cluster needed). Link to a step with " }<code>{ "#/learn/<step>" }</code>{ "." }</p>
                <nav aria-label="Steps">
                    <ol class="steps">
                        { for STEPS.iter().map(|s| html! {
                            <li><a href={format!("#/learn/{}", s.id)}>{ s.title }</a></li>
                        }) }
                    </ol>
                </nav>
            </section>
            { for STEPS.iter().map(|s| step(s, props.step.as_deref() == Some(s.id))) }
        </>
    }
}

fn step(s: &Step, current: bool) -> Html {
    let heading = format!("step-{}-h", s.id);
    html! {
        <section id={format!("step-{}", s.id)} class={classes!("step", current.then_some("current"))}
            aria-labelledby={heading.clone()} tabindex="-1">
            <h2 id={heading}>{ s.title }</h2>
            { for s.text.iter().map(|p| html! { <p>{ *p }</p> }) }
            if !s.commands.is_empty() {
                <figure>
                    <figcaption>{ "Run " }{ copy_button(s.commands.to_string().into(), (format!("Copy commands of step {}", s.title)).into()) }</figcaption>
                    <pre class="mono" role="region" tabindex="0" aria-label={format!("Commands: {}", s.title)}>{ shown(s.commands) }</pre>
                </figure>
            }
            if !s.output.is_empty() {
                <figure>
                    <figcaption>{ "The answer" }</figcaption>
                    <pre class="mono output" role="region" tabindex="0" aria-label={format!("Output: {}", s.title)}>{ shown(s.output) }</pre>
                </figure>
            }
            <ul class="links">
                { for s.links.iter().map(|(text, href)| html! { <li><a href={*href}>{ *text }</a></li> }) }
                <li><a href={format!("#/learn/{}", s.id)} class="permalink">{ format!("Link to this step ({})", s.id) }</a></li>
                <li>{ crate::ui::share::learn_link(s.id, s.title) }</li>
            </ul>
        </section>
    }
}
