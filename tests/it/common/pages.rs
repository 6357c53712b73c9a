//! Pages the app renders as plain functions, mounted as components for the render tests, as
//! the app mounts them inside its own.

use tokenscope::ui::pages::{troubleshoot, TroubleshootProps};

/// The Troubleshoot page.
#[yew::component]
pub fn Troubleshoot(props: &TroubleshootProps) -> yew::Html {
    troubleshoot(props)
}
