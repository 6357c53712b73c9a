//! Hand-overs: a link, or another page's button, that fills a page and takes the user there.
//! The state says where the user arrives and what filled it; the shell moves the focus there
//! and says so to screen readers (`ui/handover.rs`), so nobody Tabs through a form to find
//! what was written for them.

use crate::rbac::Preset;

/// The part of a page to review first after a hand-over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The RBAC builder's manifests, whose first control is **Download YAML**.
    Manifests,
    /// The Access page's effective rules.
    Effective,
    /// The Access page's Can I answer.
    CanI,
    /// Troubleshoot's diagnosis.
    Diagnosis,
    /// Inspect's summary of the token.
    Summary,
    /// The kubeconfig builder's kubeconfig.
    Kubeconfig,
    /// The CA page's certificates.
    Ca,
    /// The page as a whole (after **Restore what you had**).
    Page,
}

/// The last hand-over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrival {
    /// Counts hand-overs, so the shell acts once on each, and on the same one twice.
    pub n: u32,
    /// Where the user arrives; `None` before the first.
    pub to: Option<Place>,
    /// What filled it, in words: "the error", "the link".
    pub from: &'static str,
    /// Whether the focus moves while the page stays the same (a link, a button of the page
    /// itself), rather than only once the page changes to it.
    pub at_once: bool,
}

impl Arrival {
    /// The next hand-over after this one.
    pub fn next(self, place: Place, from: &'static str, at_once: bool) -> Arrival {
        Arrival {
            n: self.n.wrapping_add(1),
            to: Some(place),
            from,
            at_once,
        }
    }

    /// What a screen reader says on arrival: "RBAC builder filled from the error: review the
    /// YAML below."
    pub fn text(&self) -> String {
        let (page, what) = match self.to {
            None => return String::new(),
            Some(Place::Manifests) => ("RBAC builder", "the YAML"),
            Some(Place::Effective) => ("Access", "the effective rules"),
            Some(Place::CanI) => ("Can I", "the answer"),
            Some(Place::Diagnosis) => ("Troubleshoot", "the diagnosis"),
            Some(Place::Summary) => ("Inspect", "the summary"),
            Some(Place::Kubeconfig) => ("Kubeconfig", "the kubeconfig"),
            Some(Place::Ca) => ("CA", "the certificates"),
            Some(Place::Page) => return "Restored what you had.".to_string(),
        };
        format!("{page} filled from {}: review {what} below.", self.from)
    }
}

/// What a link's parameters ask for (`#/rbac?preset=read-pods&sa=demo-app&ns=workshop`,
/// `#/inspect?example=bound`, `#/access?rbac=demo`), followed as one action, so it keeps one
/// undo and makes one arrival.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The part of the linked page to review.
    pub to: Option<Place>,
    /// `example=`: a built-in example's id.
    pub example: Option<String>,
    /// `rbac=demo`: the demo roles and bindings into **Cluster RBAC**.
    pub demo_rbac: bool,
    /// `preset=`: an RBAC builder preset.
    pub preset: Option<Preset>,
    /// `sa=`: the RBAC builder's service account.
    pub account: Option<String>,
    /// `ns=`: the RBAC builder's namespace.
    pub namespace: Option<String>,
}
