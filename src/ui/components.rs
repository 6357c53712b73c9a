//! Reusable pieces of the pages. Each renders plain data from the core as text.

mod ca_field;
mod ca_report;
mod client_cert;
mod cloud_token;
mod copy_button;
mod example_buttons;
mod file_field;
mod finding;
mod form_status;
mod live;
mod picture;
mod shown;
mod signature_panel;
mod snippet;
mod tasks;
mod text;
mod token_report;

pub use ca_field::{ca_field, CaFieldProps};
pub use ca_report::{ca_report, CaReportProps};
pub use client_cert::{CertPaste, ClientCertSection, ClientCertSectionProps};
pub use cloud_token::cloud_section;
pub use copy_button::copy_button;
pub use example_buttons::{example_buttons, ExampleButtonsProps};
pub use file_field::{text_to, FileEvent, FileField, FileFieldProps};
pub use finding::{finding_item, level_class};
pub use form_status::{field_list, field_notes, not_written, not_written_for};
pub use live::{addr, live, memo, Live, LiveProps, Moment, Slot};
pub use picture::picture_view;
pub use shown::{shown, use_screen, Screen, Shown, ShownProps};
pub use signature_panel::{signature_panel, SignaturePanelProps};
pub use snippet::{command_figure, snippet_figure};
pub use tasks::{next_task, task_pause, unless_stopped};
pub use text::{col, heading, hint, label, more_rows, para, ROWS_STEP};
pub use token_report::{token_report, token_summary, TokenReportProps};

/// While an example waits for the demo files, says so; when they could not be had, says why.
/// A live region, so a screen reader hears it after pressing **Load example**.
pub fn demo_status(demo: &crate::ui::state::DemoState) -> yew::Html {
    yew::html! {
        <p role="status" aria-label="Examples status" class="hint">{ demo.status().unwrap_or_default() }</p>
    }
}

/// The class of a paste field for `text`: text with line breaks (YAML, JSON, PEM, `kubectl
/// describe`) keeps its lines unwrapped, as in an editor, and scrolls sideways; a one-line
/// token wraps so all of it shows. Unwrapped, Chromium also lays out a large kubeconfig faster
/// (`docs/benchmarks.md`).
///
/// A line longer than [`LONG_LINE`] adds `long`: with **Redact** on, such a field is masked
/// by a pattern behind transparent text rather than by discs, which Chromium lays out glyph by
/// glyph (seconds for a one-line EventList).
pub fn paste_class(text: &str) -> Option<&'static str> {
    let long = text.split('\n').any(|line| line.len() > LONG_LINE);
    match (text.trim().contains('\n'), long) {
        (true, true) => Some("lines long"),
        (true, false) => Some("lines"),
        (false, true) => Some("long"),
        (false, false) => None,
    }
}

/// Longest line masked by discs: a token, or a kubeconfig's base64 CA, is shorter.
pub const LONG_LINE: usize = 8192;
