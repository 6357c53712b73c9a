//! Reusable pieces of the pages. Each renders plain data from the core as text.

mod copy_button;
mod token_report;

pub use copy_button::{CopyButton, CopyButtonProps};
pub use token_report::{TokenReport, TokenReportProps};
