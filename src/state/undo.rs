//! **Restore what you had**: what an example, a link, a preset or another page's hand-over
//! replaced, kept when it held the user's own text, so following a link never loses work.
//!
//! The pages' slices are numbered by bits ([`INSPECT`] … [`TROUBLESHOOT`]). `AppState::own`
//! has a slice's bit while the user's own edit is the last thing that changed it: a fill
//! clears it, so an example replaced by another example still gives back what the user had
//! before both, and a signature check finishing after an example makes nothing the user's.

use std::rc::Rc;

use super::{
    AccessAction, Action, AppState, InspectAction, RbacEdit, TokenAction, TroubleshootAction,
};

/// **Token** and **Verification key**.
pub const INSPECT: u8 = 1;
/// **CA certificate**, on the Inspect, CA and kubeconfig pages.
pub const CA: u8 = 2;
/// The kubeconfig builder.
pub const KUBECONFIG: u8 = 4;
/// The RBAC builder.
pub const RBAC: u8 = 8;
/// **Cluster RBAC** and **Subject** on the Access page.
pub const ACCESS: u8 = 16;
/// **Error message** on Troubleshoot.
pub const TROUBLESHOOT: u8 = 32;
/// The Token request form.
pub const TOKEN: u8 = 64;

/// The slices a fill replaced, as they were.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Undo {
    /// The slices of `parts` as they were before the fills (the others are unused).
    before: AppState,
    /// The slices given back, by their bits.
    parts: u8,
}

impl Undo {
    /// Whether **Restore what you had** gives back a slice of `parts` (a page's bits).
    pub fn offers(&self, parts: u8) -> bool {
        self.parts & parts != 0
    }
}

/// The bits of the slices `action` changes as the user's own edit.
pub(super) fn edits(action: &Action) -> u8 {
    match action {
        Action::Inspect(InspectAction::Verified { .. }) => 0,
        Action::Inspect(_) => INSPECT,
        Action::Ca(super::CaAction::Set(_)) => CA,
        Action::Kubeconfig(_) => KUBECONFIG,
        Action::Rbac(RbacEdit::Preset(_) | RbacEdit::Fill(_)) => 0,
        Action::Rbac(_) => RBAC,
        Action::Access(AccessAction::SetPolicy(_) | AccessAction::SetSubject(_)) => ACCESS,
        Action::Troubleshoot(TroubleshootAction::SetError(_)) => TROUBLESHOOT,
        Action::Token(TokenAction::Ask) => 0,
        Action::Token(_) => TOKEN,
        _ => 0,
    }
}

/// Each slice's address, in the order of the bits.
fn slices(state: &AppState) -> [*const (); 7] {
    [
        Rc::as_ptr(&state.inspect).cast(),
        Rc::as_ptr(&state.ca).cast(),
        Rc::as_ptr(&state.kubeconfig).cast(),
        Rc::as_ptr(&state.rbac).cast(),
        Rc::as_ptr(&state.access).cast(),
        Rc::as_ptr(&state.troubleshoot).cast(),
        Rc::as_ptr(&state.token).cast(),
    ]
}

/// Copies the slices of `parts` from `from` into `to`.
fn put(from: &AppState, to: &mut AppState, parts: u8) {
    if parts & INSPECT != 0 {
        to.inspect = from.inspect.clone();
    }
    if parts & CA != 0 {
        to.ca = from.ca.clone();
    }
    if parts & KUBECONFIG != 0 {
        to.kubeconfig = from.kubeconfig.clone();
    }
    if parts & RBAC != 0 {
        (to.rbac, to.rbac_touched) = (from.rbac.clone(), from.rbac_touched.clone());
    }
    if parts & ACCESS != 0 {
        to.access = from.access.clone();
    }
    if parts & TROUBLESHOOT != 0 {
        to.troubleshoot = from.troubleshoot.clone();
    }
    if parts & TOKEN != 0 {
        to.token = from.token.clone();
    }
}

/// After a fill took `before` to `after`: keeps the slices it changed as they were, when one
/// of them held the user's own text, or when an earlier fill's undo is kept already (which
/// keeps what it holds of slices the user had not touched since).
pub(super) fn keep(before: &AppState, after: &mut AppState) {
    let changed = slices(before)
        .iter()
        .zip(slices(after))
        .rev()
        .fold(0u8, |bits, (was, now)| bits << 1 | u8::from(*was != now));
    let mut undo = before.undo.as_deref().cloned().unwrap_or_default();
    if changed & before.own != 0 || undo.parts != 0 {
        put(
            before,
            &mut undo.before,
            changed & (before.own | !undo.parts),
        );
        undo.parts |= changed;
        after.undo = Some(Rc::new(undo));
    }
    after.own &= !changed;
}

/// **Restore what you had**: the slices kept go back, the user's own again.
pub(super) fn restore(state: &mut AppState) {
    if let Some(undo) = state.undo.take() {
        put(&undo.before, state, undo.parts);
        state.own |= undo.parts;
    }
}
