//! **Restore what you had**: what an example, a link, a preset or another page's hand-over
//! replaced, kept while it was the user's own text, so following a link never loses work.
//!
//! A page's text counts as the user's when it is not empty and differs from what the last
//! fill left there: an example replaced by another example keeps the user's text from before
//! both, and a signature check finishing after an example changes no text.

use std::rc::Rc;

use super::{AccessState, AppState, CaState, InspectState, KubeconfigState, TroubleshootState};
use super::{RbacForm, Touched};

/// One page's slice, as a fill found it or left it.
#[derive(Clone, Debug, PartialEq)]
enum Saved {
    Inspect(Rc<InspectState>),
    Ca(Rc<CaState>),
    Kubeconfig(Rc<KubeconfigState>),
    Rbac(Rc<RbacForm>, Rc<Touched>),
    Access(Rc<AccessState>),
    Troubleshoot(Rc<TroubleshootState>),
}

/// The slices fills replace, and what to give back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Undo {
    /// Each slice as it was before the first fill that replaced the user's own text in it.
    saved: Vec<Saved>,
    /// Each slice as the last fill left it.
    left: Vec<Saved>,
}

/// A page whose text a fill can replace: the route names it, the shell asks [`Undo::offers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `#/inspect`: **Token**, **Verification key** and **CA certificate**.
    Inspect,
    /// `#/ca`: **CA certificate**.
    Ca,
    /// `#/kubeconfig`: the form and **CA certificate**.
    Kubeconfig,
    /// `#/rbac`: the form.
    Rbac,
    /// `#/access`: **Cluster RBAC** and **Subject**.
    Access,
    /// `#/troubleshoot`: **Error message**.
    Troubleshoot,
}

impl Saved {
    fn all(state: &AppState) -> [Saved; 6] {
        [
            Saved::Inspect(state.inspect.clone()),
            Saved::Ca(state.ca.clone()),
            Saved::Kubeconfig(state.kubeconfig.clone()),
            Saved::Rbac(state.rbac.clone(), state.rbac_touched.clone()),
            Saved::Access(state.access.clone()),
            Saved::Troubleshoot(state.troubleshoot.clone()),
        ]
    }

    /// Whether both hold the same text (for the same page); slices read from it may differ.
    fn same(&self, other: &Saved) -> bool {
        match (self, other) {
            (Saved::Inspect(a), Saved::Inspect(b)) => {
                (&a.token_input, &a.key_input) == (&b.token_input, &b.key_input)
            }
            (Saved::Ca(a), Saved::Ca(b)) => a.input == b.input,
            (Saved::Kubeconfig(a), Saved::Kubeconfig(b)) => {
                (&a.form, &a.load_input) == (&b.form, &b.load_input)
            }
            (Saved::Rbac(a, _), Saved::Rbac(b, _)) => a == b,
            (Saved::Access(a), Saved::Access(b)) => {
                (&a.input, &a.subject_input) == (&b.input, &b.subject_input)
            }
            (Saved::Troubleshoot(a), Saved::Troubleshoot(b)) => a.input == b.input,
            _ => false,
        }
    }

    /// Whether both are the one slice, untouched.
    fn is(&self, other: &Saved) -> bool {
        match (self, other) {
            (Saved::Inspect(a), Saved::Inspect(b)) => Rc::ptr_eq(a, b),
            (Saved::Ca(a), Saved::Ca(b)) => Rc::ptr_eq(a, b),
            (Saved::Kubeconfig(a), Saved::Kubeconfig(b)) => Rc::ptr_eq(a, b),
            (Saved::Rbac(a, _), Saved::Rbac(b, _)) => Rc::ptr_eq(a, b),
            (Saved::Access(a), Saved::Access(b)) => Rc::ptr_eq(a, b),
            (Saved::Troubleshoot(a), Saved::Troubleshoot(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    fn part(&self) -> Part {
        match self {
            Saved::Inspect(_) => Part::Inspect,
            Saved::Ca(_) => Part::Ca,
            Saved::Kubeconfig(_) => Part::Kubeconfig,
            Saved::Rbac(..) => Part::Rbac,
            Saved::Access(_) => Part::Access,
            Saved::Troubleshoot(_) => Part::Troubleshoot,
        }
    }

    fn put(self, state: &mut AppState) {
        match self {
            Saved::Inspect(x) => state.inspect = x,
            Saved::Ca(x) => state.ca = x,
            Saved::Kubeconfig(x) => state.kubeconfig = x,
            Saved::Rbac(form, touched) => (state.rbac, state.rbac_touched) = (form, touched),
            Saved::Access(x) => state.access = x,
            Saved::Troubleshoot(x) => state.troubleshoot = x,
        }
    }
}

/// Replaces the entry for `entry`'s page in `list`.
fn replace(list: &mut Vec<Saved>, entry: Saved) {
    list.retain(|s| s.part() != entry.part());
    list.push(entry);
}

impl Undo {
    /// After a fill took `before` to `after`: keeps the user's own text of every slice the fill
    /// replaced, and what the fill left, in `after.undo`.
    pub(super) fn keep(before: &AppState, after: &mut AppState) {
        let mut undo = after.undo.as_deref().cloned().unwrap_or_default();
        let blank = Saved::all(&AppState::default());
        let was = Saved::all(before);
        let now = Saved::all(after);
        for ((was, now), blank) in was.into_iter().zip(now).zip(blank) {
            if was.is(&now) {
                continue;
            }
            let filled = undo.left.iter().any(|left| left.same(&was));
            if !filled && !was.same(&blank) {
                replace(&mut undo.saved, was);
            }
            replace(&mut undo.left, now);
        }
        after.undo = Some(Rc::new(undo));
    }

    /// Whether **Restore what you had** gives back something shown on `part`'s page.
    pub fn offers(&self, part: Part) -> bool {
        self.saved.iter().any(|s| {
            s.part() == part
                || (s.part() == Part::Ca && matches!(part, Part::Inspect | Part::Kubeconfig))
        })
    }

    /// Puts back every slice kept.
    pub(super) fn restore(self, state: &mut AppState) {
        for saved in self.saved {
            saved.put(state);
        }
    }
}
