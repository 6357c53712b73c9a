//! Reusable pieces of the pages. Each renders plain data from the core as text.

mod ca_field;
mod ca_report;
mod copy_button;
mod example_buttons;
mod finding;
mod signature_panel;
mod token_report;

pub use ca_field::{CaField, CaFieldProps};
pub use ca_report::{CaReport, CaReportProps};
pub use copy_button::{CopyButton, CopyButtonProps};
pub use example_buttons::{ExampleButtons, ExampleButtonsProps};
pub use finding::{finding_item, level_class};
pub use signature_panel::{SignaturePanel, SignaturePanelProps};
pub use token_report::{TokenReport, TokenReportProps};
