//! The **Load example** buttons and the status of the examples file they read.

use yew::prelude::*;

use crate::ui::components::{heading, hint};

use super::demo_status;
use crate::learn::demo::EXAMPLES;
use crate::ui::state::{Action, DemoState, Slice};

/// Props of [`example_buttons`].
#[derive(PartialEq)]
pub struct ExampleButtonsProps {
    /// The demo files, and the example loaded last.
    pub demo: Slice<DemoState>,
    /// Where a press goes.
    pub onaction: Callback<Action>,
}

/// **Load example: …** buttons: each fills Token, Verification key and CA certificate with
/// demo material, so a workshop needs no cluster and the signature verifies at once.
pub fn example_buttons(props: &ExampleButtonsProps) -> Html {
    html! {
        <section class="examples" aria-labelledby="examples-h">
            { heading("examples-h", "Examples") }
            { hint("Demo material made with throw-away keys, from no real cluster. Each fills the token, its verification key (JWKS) and a CA bundle.") }
            <ul class="example-list">
                { for EXAMPLES.iter().map(|example| {
                    let onclick = props.onaction.reform(move |_: MouseEvent| {
                        Action::LoadExample(example.id.to_string())
                    });
                    let pressed = props.demo.example == Some(example.id);
                    html! {
                        <li>
                            <button type="button" {onclick} title={example.about}
                                aria-pressed={pressed.to_string()}>
                                { format!("Load example: {}", example.label) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
            { demo_status(&props.demo) }
        </section>
    }
}
