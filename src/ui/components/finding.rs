//! One finding rendered: its level, title and why; the one renderer every page uses.

use yew::prelude::*;

use crate::support::finding::{Finding, Level};
use crate::ui::components::shown;

/// The CSS class that colours a level.
pub fn level_class(level: Level) -> &'static str {
    match level {
        Level::Info => "level-info",
        Level::Warning => "level-warning",
        Level::Danger => "level-danger",
    }
}

/// One finding as a list item, "Danger: title (where)" over its reason; every page that
/// lists findings (token, RBAC builder, access) renders them alike. Title, place and reason
/// can quote a paste, so they are [`shown`].
pub fn finding_item(f: &Finding, place: Option<String>) -> Html {
    html! {
        <li class={level_class(f.level)}>
            <strong>
                <span class="level">{ f.level.word() }{ ": " }</span>{ shown(f.title.clone()) }
                if let Some(place) = place {
                    { " " }<span class="where">{ shown(format!("({place})")) }</span>
                }
            </strong>
            if !f.why.is_empty() {
                <p>{ shown(f.why.clone()) }</p>
            }
        </li>
    }
}
