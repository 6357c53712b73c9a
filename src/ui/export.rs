//! **Export Markdown** and **Export JSON**: what a page found, as a file for a ticket or a
//! script, made by the core (`crate::share::report`) and redacted unless the user unticks it.

use std::rc::Rc;

use yew::prelude::*;

use crate::access::{Access, Answer};
use crate::audit::Audit;
use crate::share::report::{self, AccessReport, Export};
use crate::support::time::UnixSeconds;
use crate::token::jwt::RawJwt;
use crate::ui::download;
use crate::ui::state::{AccessState, TroubleshootState};

/// Props of [`ExportButtons`].
#[derive(Properties, PartialEq)]
pub struct ExportButtonsProps {
    /// The report, redacted or not, made when a button is pressed.
    pub make: Callback<bool, Export>,
    /// The file's name without its extension (`tokenscope-inspect`).
    pub name: &'static str,
}

/// The two export buttons and **Redact the export**, ticked by default.
#[component]
pub fn ExportButtons(props: &ExportButtonsProps) -> Html {
    let redact = use_state(|| true);
    let onredact = {
        let redact = redact.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            redact.set(input.checked());
        })
    };
    let save = |markdown: bool| {
        let (make, redact, name) = (props.make.clone(), *redact, props.name);
        Callback::from(move |_: MouseEvent| {
            let export = make.emit(redact);
            let (text, file, mime) = match markdown {
                true => (export.markdown, format!("{name}.md"), "text/markdown"),
                false => (export.json, format!("{name}.json"), "application/json"),
            };
            let _ = download::save(&file, mime, &text);
        })
    };
    html! {
        <div class="actions export" role="group" aria-label="Export">
            <label class="check"><input type="checkbox" checked={*redact} onchange={onredact} />{ " Redact the export" }</label>
            <button type="button" onclick={save(true)}>{ "Export Markdown" }</button>
            <button type="button" onclick={save(false)}>{ "Export JSON" }</button>
        </div>
    }
}

/// The export of the inspected token, as of `now`.
pub fn inspect(jwt: &RawJwt, now: UnixSeconds) -> Html {
    let jwt = jwt.clone();
    let make = Callback::from(move |redact| report::inspect(&jwt, now, redact));
    html! { <ExportButtons {make} name="tokenscope-inspect" /> }
}

/// The export of Troubleshoot's diagnosis.
pub fn troubleshoot(state: &Rc<TroubleshootState>) -> Html {
    let state = state.clone();
    let make = Callback::from(move |redact| report::troubleshoot(&state.input, redact));
    html! { <ExportButtons {make} name="tokenscope-troubleshoot" /> }
}

/// The export of the Audit page's token Secrets.
pub fn audit(audit: &Rc<Audit>) -> Html {
    let audit = audit.clone();
    let make = Callback::from(move |redact| report::audit(&audit, redact));
    html! { <ExportButtons {make} name="tokenscope-audit" /> }
}

/// The export of the Access page: the subject, the Can I answer when one was asked, the
/// effective rules and their risks; nothing until the subject's access is worked out.
pub fn access(
    state: &Rc<AccessState>,
    effective: &Rc<Option<Access>>,
    can_i: &Rc<Option<Result<Answer, String>>>,
) -> Html {
    if effective.is_none() {
        return html! {};
    }
    let (state, effective, can_i) = (state.clone(), effective.clone(), can_i.clone());
    let make = Callback::from(move |redact| {
        let q = &state.can_i;
        let mut question = format!("{} {}", q.verb.trim(), q.resource.trim());
        if !q.name.trim().is_empty() {
            question = format!("{question} {}", q.name.trim());
        }
        if !q.namespace.trim().is_empty() {
            question = format!("{question} -n {}", q.namespace.trim());
        }
        let answer = can_i.as_ref().as_ref().and_then(|a| a.as_ref().ok());
        match effective.as_ref() {
            Some(access) => report::access(
                &AccessReport {
                    subject: &state.subject_input,
                    question: answer.map(|a| (question.as_str(), a)),
                    access,
                },
                redact,
            ),
            None => Export {
                markdown: String::new(),
                json: String::new(),
            },
        }
    });
    html! { <ExportButtons {make} name="tokenscope-access" /> }
}
