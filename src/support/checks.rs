//! `Checks<F>`: what a form's checks find, field by field: errors that block its output, and
//! warnings about what is written anyway.
//!
//! The RBAC, kubeconfig and token-request builders check many fields in many small functions. Each of them
//! takes one `&mut Checks<F>` instead of a pair of lists, so a check cannot put an error among
//! the warnings, and every warning is a [`Finding`] beside the field `F` it is about.

use crate::support::error::Problem;
use crate::support::finding::Finding;

/// Something written anyway that deserves attention, beside its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning<F> {
    /// The field it is about.
    pub field: F,
    /// How serious, what, and why.
    pub finding: Finding,
}

/// The errors and warnings of one form, in the order the checks found them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checks<F> {
    errors: Vec<Problem<F>>,
    warnings: Vec<Warning<F>>,
}

impl<F> Default for Checks<F> {
    fn default() -> Self {
        Checks {
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl<F> Checks<F> {
    /// Nothing found yet.
    pub fn new() -> Self {
        Checks::default()
    }

    /// Something that stops the output from being written: what is wrong with `field` and
    /// what to write instead.
    pub fn error(&mut self, field: F, message: impl Into<String>) {
        self.errors.push(Problem::new(field, message));
    }

    /// Something written anyway that deserves attention, beside `field`.
    pub fn warn(&mut self, field: F, finding: Finding) {
        self.warnings.push(Warning { field, finding });
    }

    /// Whether any check found an error, so the output must not be written.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The errors and the warnings, each in the order found.
    pub fn into_parts(self) -> (Vec<Problem<F>>, Vec<Warning<F>>) {
        (self.errors, self.warnings)
    }
}

impl<F: PartialEq + Copy> Checks<F> {
    /// Warns about each of `findings` beside `field`, skipping any title already shown there:
    /// two rules can carry the same risk, and the reader needs it once.
    pub fn warn_once(&mut self, field: F, findings: Vec<Finding>) {
        for finding in findings {
            let seen = self
                .warnings
                .iter()
                .any(|w| w.field == field && w.finding.title == finding.title);
            if !seen {
                self.warn(field, finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::finding::Level;

    fn finding(title: &str) -> Finding {
        Finding::new(Level::Warning, title, "why")
    }

    #[test]
    fn errors_and_warnings_stay_apart_in_the_order_found() {
        let mut checks = Checks::new();
        assert!(!checks.has_errors());
        checks.warn("Verbs", finding("Unusual verb"));
        checks.error("Name", "Name is empty.");
        checks.error("Verbs", "Rule 1 has no verbs.");
        assert!(checks.has_errors());
        let (errors, warnings) = checks.into_parts();
        assert_eq!(
            errors,
            vec![
                Problem::new("Name", "Name is empty."),
                Problem::new("Verbs", "Rule 1 has no verbs."),
            ]
        );
        assert_eq!(
            warnings,
            vec![Warning {
                field: "Verbs",
                finding: finding("Unusual verb"),
            }]
        );
    }

    #[test]
    fn warn_once_skips_a_title_already_beside_the_same_field() {
        let mut checks = Checks::new();
        checks.warn_once("Verbs", vec![finding("Wildcard"), finding("Wildcard")]);
        checks.warn_once("Verbs", vec![finding("Wildcard"), finding("Escalate")]);
        checks.warn_once("Scope", vec![finding("Wildcard")]);
        let (errors, warnings) = checks.into_parts();
        assert!(errors.is_empty());
        let seen: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.field, w.finding.title.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("Verbs", "Wildcard"),
                ("Verbs", "Escalate"),
                ("Scope", "Wildcard"),
            ]
        );
    }
}
