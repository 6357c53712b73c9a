//! Hand-overs: a link, or another page's button, that fills a page and takes the user there.
//! The state says where the user arrives and what to say; the shell moves the focus there and
//! says it to screen readers (`ui/handover.rs`), so nobody Tabs through a form to find what
//! was written for them.

use crate::rbac::Preset;

/// Where a hand-over leads, and what a screen reader says on arrival.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrival {
    /// Counts hand-overs, so the shell acts once on each, and on the same one twice.
    pub n: u32,
    /// The page's hash (`#/rbac`), or empty for the page the user is on.
    pub page: &'static str,
    /// The id of what takes the focus there: the part to review first, whose next control is
    /// its main action (the RBAC builder's manifests, then **Download YAML**).
    pub id: &'static str,
    /// What is said: "RBAC builder filled from the error: review the YAML below."
    pub text: &'static str,
}

impl Arrival {
    /// The next hand-over after this one, to `to` (page, id and words).
    pub fn next(self, to: (&'static str, &'static str, &'static str)) -> Arrival {
        let (page, id, text) = to;
        Arrival {
            n: self.n.wrapping_add(1),
            page,
            id,
            text,
        }
    }
}

/// Troubleshoot's **Fix in RBAC builder**.
pub const FROM_ERROR: (&str, &str, &str) = (
    "#/rbac",
    "rbac-out-h",
    "RBAC builder filled from the error: review the YAML below.",
);
/// Activity's **Open in RBAC builder**.
pub const FROM_AUDIT: (&str, &str, &str) = (
    "#/rbac",
    "rbac-out-h",
    "RBAC builder filled from the audit events: review the YAML below.",
);
/// The RBAC builder's **Show what this grants**.
pub const FROM_BUILDER: (&str, &str, &str) = (
    "#/access",
    "effective-h",
    "Access filled from the RBAC builder: review the effective rules below.",
);
/// A client certificate's **Check its access**, on Inspect or Kubeconfig.
pub const FROM_CERTIFICATE: (&str, &str, &str) = (
    "#/access",
    "subject-in-use",
    "Access filled from the certificate: its user and groups are the subject below.",
);
/// Who can's **Ask Can I as …**, on the same page.
pub const FROM_WHO_CAN: (&str, &str, &str) = (
    "",
    "can-i-h",
    "Can I filled from Who can: review the answer below.",
);
/// **Restore what you had**, on the same page.
pub const RESTORED: (&str, &str, &str) = ("", "main", "Restored what you had.");

/// What a link's parameters ask for (`#/rbac?preset=read-pods&sa=demo-app&ns=workshop`,
/// `#/inspect?example=bound`, `#/access?rbac=demo`), followed as one action, so it keeps one
/// undo and makes one arrival.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// Where it leads: the page, the id and the words of an [`Arrival`].
    pub to: Option<(&'static str, &'static str, &'static str)>,
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
    /// `share=`: a page's form from a share link, already read and checked.
    pub shared: Option<Box<crate::share::Shared>>,
}
