//! One piece of generated code on screen: its title, the code, why it is written so, and
//! **Copy** and **Download** buttons.

use yew::prelude::*;

use crate::kubeconfig::snippets::Snippet;
use crate::ui::components::{copy_button, shown};
use crate::ui::download;

/// A snippet as a figure whose code region is named by its title, e.g. "Python: inside a Pod".
pub fn snippet_figure(snippet: &Snippet) -> Html {
    let ondownload = download::on_save(
        snippet.file_name.to_string(),
        "text/plain",
        Some(snippet.code.clone()),
    );
    html! {
        <figure class="snippet">
            <figcaption>
                { snippet.title }{ " " }
                { copy_button(snippet.code.clone().into(), (format!("Copy {}", snippet.title)).into()) }
                { " " }
                <button type="button" aria-label={format!("Download {}", snippet.title)} onclick={ondownload}>
                    { "Download" }
                </button>
                { " " }<span class="hint mono">{ snippet.file_name }</span>
            </figcaption>
            <pre class="mono" role="region" tabindex="0" aria-label={snippet.title}>{ shown(snippet.code.clone()) }</pre>
            <p class="hint">{ snippet.why }</p>
        </figure>
    }
}

/// A command the page wrote, as a figure titled `title` whose code region is named `name`:
/// **Copy** gives `text`, the screen shows `shown` (the same, or its masked copy).
pub fn command_figure(title: &str, name: &str, text: &str, shown: &str) -> Html {
    html! {
        <figure>
            <figcaption>{ title.to_string() }{ " " }{ copy_button(text.to_string().into(), (format!("Copy {name}")).into()) }</figcaption>
            <pre class="mono" role="region" tabindex="0" aria-label={name.to_string()}>{ crate::ui::components::shown(shown.to_string()) }</pre>
        </figure>
    }
}
