//! The app's state and the actions that change it: one reducer at the root, one slice per page.
//!
//! Recognising, decoding, parsing keys and certificates, and planning signature checks all
//! happen here, once per change of input, so rendering (which also runs every second as the
//! clock ticks) never parses anything. WebCrypto answers come back as actions tagged with the
//! generation they were started for, so a slow answer cannot overwrite a newer paste.
//!
//! Each page's slice sits behind its own `Rc`: an action copies only the slices it changes, and
//! a page, handed its slices as [`Slice`]s, re-renders only when one of them changed.

mod access;
mod activity;
mod audit;
mod ca;
mod demo;
mod handover;
mod inspect;
mod kubeconfig;
mod rbac;
mod reading;
#[cfg(test)]
mod tests;
mod token_request;
mod touched;
mod troubleshoot;
mod undo;

use std::rc::Rc;

pub use access::{AccessAction, AccessState, CanIEdit, CanIForm};
pub use activity::{ActivityAction, ActivityState};
pub use audit::{AuditAction, AuditState, PeriodError, ROWS_STEP};
pub use ca::{CaAction, CaState, CheckedLink};
pub use demo::{DemoState, DemoWanted};
pub use handover::{Arrival, Link};
pub use inspect::{InspectAction, InspectState};
pub use kubeconfig::{field_key as kubeconfig_field_key, KubeconfigAction, KubeconfigState};
pub use rbac::{rbac_field_key, RbacEdit};
pub use reading::{Feed, FileEvent, FileRead, Reading};
pub use token_request::{token_field_key, TokenAction, TokenState};
pub use touched::Touched;
pub use troubleshoot::{TroubleshootAction, TroubleshootState};
pub use undo::{Undo, ACCESS, CA, INSPECT, KUBECONFIG, RBAC, TOKEN, TROUBLESHOOT};

use crate::inspect::explain::explain_verified;
use crate::inspect::input::Candidate;
use crate::kubeconfig as builder;
use crate::learn::demo::{self as examples, DemoFiles};
use crate::rbac::RbacForm;
use crate::share::{Question, Shared};
use crate::support::time::UnixSeconds;

/// Everything the pages hold, one slice per page; the CA is shared by three pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    /// `#/inspect`: the token, the keys and the signature check.
    pub inspect: Rc<InspectState>,
    /// The **CA certificate** field (Inspect, CA and kubeconfig pages).
    pub ca: Rc<CaState>,
    /// `#/kubeconfig`: the builder's form and the kubeconfig loaded into it.
    pub kubeconfig: Rc<KubeconfigState>,
    /// `#/rbac`: the RBAC builder's form.
    pub rbac: Rc<RbacForm>,
    /// The RBAC builder's fields the user edited (beside [`AppState::rbac`], which the
    /// builder's functions take as it is).
    pub rbac_touched: Rc<Touched>,
    /// `#/access`: the pasted RBAC, the subject and the Can I query.
    pub access: Rc<AccessState>,
    /// `#/token`: the Token request form.
    pub token: Rc<TokenState>,
    /// `#/activity`: the pasted audit events and what is shown of them.
    pub activity: Rc<ActivityState>,
    /// `#/audit`: the pasted dump of token Secrets and the rows read from it.
    pub audit: Rc<AuditState>,
    /// The built-in examples and what waits for them.
    pub demo: Rc<DemoState>,
    /// `#/troubleshoot`: the pasted error and the objects pasted beside it.
    pub troubleshoot: Rc<TroubleshootState>,
    /// The **Redact** switch: render secrets masked (see [`crate::redact`]).
    pub redact: bool,
    /// What fills replaced of the user's own text, for **Restore what you had**.
    pub undo: Option<Rc<Undo>>,
    /// The slices whose last change was the user's own edit, by their bits (see `undo`).
    pub own: u8,
    /// The last hand-over, for the shell to move the focus and say where.
    pub arrival: Arrival,
}

/// What the user (or WebCrypto) did: a change to one page, or one that reaches across pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A change on the Inspect page.
    Inspect(InspectAction),
    /// A change to the **CA certificate** field, or WebCrypto's answer for its chain.
    Ca(CaAction),
    /// A change to the kubeconfig builder.
    Kubeconfig(KubeconfigAction),
    /// A change to the RBAC builder's form.
    Rbac(RbacEdit),
    /// A change on the access page.
    Access(AccessAction),
    /// A change on the Troubleshoot page.
    Troubleshoot(TroubleshootAction),
    /// A change to the Token request form.
    Token(TokenAction),
    /// A change on the activity page.
    Activity(ActivityAction),
    /// A change on the audit page.
    Audit(AuditAction),
    /// Pressed **Load example: …** (or followed a link with `?example=`): fills **Token**,
    /// **Verification key** and **CA certificate**, once the demo files are there. Unknown ids
    /// are ignored.
    LoadExample(String),
    /// **Load the demo RBAC** (or `?rbac=demo`): fills **Cluster RBAC**, once the demo files
    /// are there.
    LoadDemoRbac,
    /// Fetch the demo files ahead, for the rehearsal of the paste path.
    FetchDemoAhead,
    /// The demo files arrived, or could not be had; what waited for them is done now.
    DemoLoaded(Result<Rc<DemoFiles>, DemoUnavailable>),
    /// Flipped the **Redact** switch.
    Redact(bool),
    /// Followed a link with parameters (`#/rbac?preset=…`, `#/inspect?example=…`).
    Follow(Link),
    /// Pressed **Restore what you had**.
    Restore,
}

/// Why the demo files could not be had (offline before the first visit finished, say), as
/// the page says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoUnavailable(pub String);

impl std::fmt::Display for DemoUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DemoUnavailable {}

impl From<InspectAction> for Action {
    fn from(action: InspectAction) -> Self {
        Action::Inspect(action)
    }
}

impl From<CaAction> for Action {
    fn from(action: CaAction) -> Self {
        Action::Ca(action)
    }
}

impl From<KubeconfigAction> for Action {
    fn from(action: KubeconfigAction) -> Self {
        Action::Kubeconfig(action)
    }
}

impl From<RbacEdit> for Action {
    fn from(edit: RbacEdit) -> Self {
        Action::Rbac(edit)
    }
}

impl From<TokenAction> for Action {
    fn from(action: TokenAction) -> Self {
        Action::Token(action)
    }
}

impl From<AccessAction> for Action {
    fn from(action: AccessAction) -> Self {
        Action::Access(action)
    }
}

impl From<TroubleshootAction> for Action {
    fn from(action: TroubleshootAction) -> Self {
        Action::Troubleshoot(action)
    }
}

impl From<ActivityAction> for Action {
    fn from(action: ActivityAction) -> Self {
        Action::Activity(action)
    }
}

impl From<AuditAction> for Action {
    fn from(action: AuditAction) -> Self {
        Action::Audit(action)
    }
}

impl AppState {
    /// Hands a file's chunk (or its settling) to the reader its page holds, and says whether
    /// `action` was one: neither changes a state the pages render, so the reducer keeps the
    /// state as it is.
    pub fn feed(&self, action: &Action) -> bool {
        match action {
            Action::Activity(ActivityAction::File(event)) => feed(&self.activity.reading, event),
            Action::Access(AccessAction::File(event)) => feed(&self.access.reading, event),
            Action::Audit(AuditAction::File { event, .. }) => feed(&self.audit.reading, event),
            _ => false,
        }
    }

    /// Applies `action`; the pure heart of the reducer. Only the slices it changes are copied
    /// (see [`change`]), the others stay shared with the state before.
    pub fn apply(self, action: Action) -> AppState {
        // Whether the action fills a page over what it held (see `undo`), and where it leads.
        let (fills, to) = match &action {
            Action::LoadExample(_) | Action::LoadDemoRbac | Action::Rbac(RbacEdit::Preset(_)) => {
                (true, None)
            }
            Action::DemoLoaded(_) => (self.demo.wanted.asked(), None),
            Action::Follow(link) => (true, link.to),
            Action::Rbac(RbacEdit::Fill(_)) => (true, Some(handover::FROM_ERROR)),
            Action::Activity(ActivityAction::OpenInBuilder(_)) => {
                (true, Some(handover::FROM_AUDIT))
            }
            Action::Access(AccessAction::Show { .. }) => (true, Some(handover::FROM_BUILDER)),
            Action::Access(AccessAction::Identity(_)) => (true, Some(handover::FROM_CERTIFICATE)),
            Action::Access(AccessAction::AskAs(_)) => (false, Some(handover::FROM_WHO_CAN)),
            Action::Restore => (false, Some(handover::RESTORED)),
            _ => (false, None),
        };
        let edits = undo::edits(&action);
        let before = self.clone();
        let mut after = self.change(action);
        if fills {
            undo::keep(&before, &mut after);
        }
        after.own |= edits;
        if let Some(to) = to {
            after.arrival = before.arrival.next(to);
        }
        after
    }

    fn change(mut self, action: Action) -> AppState {
        match action {
            Action::Inspect(action) => self.inspect(action),
            Action::Ca(action) => change(&mut self.ca, |x| x.apply(action)),
            Action::Kubeconfig(action) => {
                if let Some(ca) = change(&mut self.kubeconfig, |x| x.apply(action)) {
                    self.set_ca(ca);
                }
            }
            Action::Rbac(edit) => self.rbac(edit),
            Action::Access(action) => change(&mut self.access, |x| x.apply(action)),
            Action::Troubleshoot(action) => {
                self.troubleshoot = Rc::new(self.troubleshoot.next(action));
            }
            Action::Token(action) => change(&mut self.token, |x| x.apply(action)),
            Action::Activity(ActivityAction::OpenInBuilder(form)) => self.rbac = Rc::new(*form),
            Action::Activity(action) => change(&mut self.activity, |x| x.apply(action)),
            Action::Audit(action) => change(&mut self.audit, |x| x.apply(action)),
            Action::LoadExample(id) => self.load_example(&id),
            Action::LoadDemoRbac => self.demo_rbac(),
            Action::FetchDemoAhead => {
                let ahead = self.demo.files.is_none();
                change(&mut self.demo, |d| d.wanted.ahead = ahead);
            }
            Action::DemoLoaded(loaded) => {
                let wanted = self.demo.wanted;
                let mut demo = DemoState {
                    wanted: DemoWanted::default(),
                    ..DemoState::clone(&self.demo)
                };
                match loaded {
                    Ok(files) => {
                        demo.files = Some(files);
                        demo.error = None;
                        self.demo = Rc::new(demo);
                        if wanted.rbac {
                            self.demo_rbac();
                        }
                        if let Some(id) = wanted.example {
                            self.load_example(id);
                        }
                    }
                    Err(why) => {
                        if wanted.asked() {
                            demo.error = Some(why.0);
                        }
                        self.demo = Rc::new(demo);
                    }
                }
            }
            Action::Redact(on) => self.redact = on,
            Action::Follow(link) => self.follow_link(link),
            Action::Restore => undo::restore(&mut self),
        }
        self
    }

    /// What a link's parameters ask for, in the order the page shows them.
    fn follow_link(&mut self, link: Link) {
        let edits = [
            link.account.map(RbacEdit::ServiceAccount),
            link.namespace.map(RbacEdit::Namespace),
            link.preset.map(RbacEdit::Preset),
        ];
        for edit in edits.into_iter().flatten() {
            self.rbac(edit);
        }
        if link.demo_rbac {
            self.demo_rbac();
        }
        if let Some(id) = link.example {
            self.load_example(&id);
        }
        if let Some(shared) = link.shared {
            self.open_shared(*shared);
        }
    }

    /// Fills the page a share link names with its form. The kubeconfig builder keeps the
    /// token it holds (a link never carries one); its CA goes to the shared CA field.
    fn open_shared(&mut self, shared: Shared) {
        match shared {
            Shared::Rbac(form) => {
                self.rbac = Rc::new(form);
                self.rbac_touched = Rc::default();
            }
            Shared::Access(form) => change(&mut self.access, |x| {
                x.fill(form.policy);
                x.subject_input = form.subject;
                x.can_i = question(form.can_i);
                x.who_can = question(form.who_can);
            }),
            Shared::Token(form) => change(&mut self.token, |x| {
                x.bound_kind = form.bound.as_ref().map(|b| b.kind);
                x.bound_name = form
                    .bound
                    .as_ref()
                    .map(|b| b.name.clone())
                    .unwrap_or_default();
                x.bound_uid = String::new();
                x.form = form;
                x.touched = Touched::default();
            }),
            Shared::Kubeconfig(fields) => {
                let ca = fields.ca.clone();
                change(&mut self.kubeconfig, |x| {
                    let mut form = fields.into_form(x.form.token.clone());
                    form.ca = String::new();
                    x.form = form;
                    x.touched = Touched::default();
                });
                if !ca.trim().is_empty() {
                    self.set_ca(ca);
                }
            }
            Shared::Learn(_) => {}
        }
    }

    // Out of line: a link's edits and the builder's own share one copy.
    #[inline(never)]
    fn rbac(&mut self, edit: RbacEdit) {
        change(&mut self.rbac_touched, |t| rbac::touch(t, &edit));
        change(&mut self.rbac, |form| rbac::edit(form, edit));
    }

    /// Fills **Cluster RBAC** with the demo roles and bindings, or keeps the wish for when the
    /// demo files arrive.
    fn demo_rbac(&mut self) {
        match self.demo.files.clone() {
            Some(demo) => change(&mut self.access, |x| {
                x.fill(demo.file(examples::RBAC).to_string())
            }),
            None => change(&mut self.demo, |x| x.wanted.rbac = true),
        }
    }

    fn inspect(&mut self, action: InspectAction) {
        match action {
            InspectAction::SetToken(text) => {
                let shown = change(&mut self.inspect, |i| i.set_token(text));
                if self.demo.example.is_some() {
                    change(&mut self.demo, |d| d.example = None);
                }
                self.follow(shown);
            }
            InspectAction::Choose(index) => {
                let shown = change(&mut self.inspect, |i| i.select(index));
                self.follow(shown);
            }
            InspectAction::SetKey(text) => change(&mut self.inspect, |i| i.set_key(text)),
            InspectAction::Clear => self.clear_token(),
            InspectAction::Verified {
                generation,
                outcomes,
            } => change(&mut self.inspect, |i| i.verified(generation, &outcomes)),
        }
    }

    /// Hands the token now shown to the kubeconfig builder (with its server), and its CA, if
    /// any, to the CA field.
    fn follow(&mut self, shown: Option<Candidate>) {
        let Some(candidate) = shown else {
            return;
        };
        let decoded = self.inspect.decoded.as_ref();
        change(&mut self.kubeconfig, |x| x.follow(&candidate, decoded));
        if let Some(ca) = candidate.ca {
            self.set_ca(ca);
        }
    }

    /// Forgets the token and what came with it: the decoded token, its verification, the
    /// candidate shown, and the kubeconfig builder's token when it is still the one that
    /// followed the inspector. Everything else stays as the user left it (Redact above all:
    /// the next token pasted must not show unmasked), and so does the CA a Secret or
    /// kubeconfig brought, which is no secret and often wanted again.
    fn clear_token(&mut self) {
        let shown = change(&mut self.inspect, |x| x.clear());
        if shown.is_some_and(|token| token == self.kubeconfig.form.token) {
            change(&mut self.kubeconfig, KubeconfigState::clear_token);
        }
        change(&mut self.demo, |demo| {
            demo.example = None;
            // An example still waiting for the demo files would bring a token back.
            demo.wanted.example = None;
        });
    }

    /// Fills **Token**, **Verification key** and **CA certificate** with the example `id`, or
    /// keeps it for when the demo files arrive.
    fn load_example(&mut self, id: &str) {
        // The guided walk's errors are in the wasm already: no demo files to wait for.
        if let Some(text) = crate::learn::error_example(id) {
            let fill = TroubleshootAction::Fill(text.to_string());
            self.troubleshoot = Rc::new(self.troubleshoot.next(fill));
            return;
        }
        let Some(example) = examples::find(id) else {
            return;
        };
        let Some(demo) = self.demo.files.clone() else {
            change(&mut self.demo, |x| x.wanted.example = Some(example.id));
            return;
        };
        let filled = demo.fill(example);
        change(&mut self.inspect, |x| x.set_key(filled.key.to_string()));
        self.inspect(InspectAction::SetToken(filled.token.to_string()));
        if !filled.ca.is_empty() {
            self.set_ca(filled.ca.to_string());
        }
        // A kubeconfig example also fills the builder, cluster name and all.
        if builder::load(filled.token, None).is_ok() {
            let load = KubeconfigAction::Load(filled.token.to_string());
            if let Some(ca) = change(&mut self.kubeconfig, |x| x.apply(load)) {
                self.set_ca(ca);
            }
        }
        change(&mut self.demo, |x| x.example = Some(example.id));
    }

    fn set_ca(&mut self, text: String) {
        change(&mut self.ca, |x| x.set(text));
    }
}

/// A share link's question as the Can I fields hold it.
fn question(q: Question) -> CanIForm {
    CanIForm {
        verb: q.verb,
        resource: q.resource,
        namespace: q.namespace,
        name: q.name,
    }
}

/// Changes a copy of the slice `slot` points to, and points `slot` to the copy: the state
/// before keeps its own. (`Rc::make_mut` would also move a slice nobody else holds, but the
/// hook always holds the state before, and that path costs wasm for each kind of slice.)
fn change<T: Clone, R>(slot: &mut Rc<T>, change: impl FnOnce(&mut T) -> R) -> R {
    let mut copy = T::clone(slot);
    let out = change(&mut copy);
    *slot = Rc::new(copy);
    out
}

/// Runs what a first paste runs on the built-in example `id`, report included, and says
/// whether it made a report. The browser compiles each wasm function at its first call, so the
/// first paste after a load takes up to three times as long as the next (README, Benchmark);
/// the app rehearses every example once in idle moments after its first paint
/// (`hooks::use_rehearsal`), so the user's first paste finds the code compiled.
pub fn rehearse(id: &str, demo: &Rc<DemoFiles>, now: UnixSeconds) -> bool {
    let state = AppState::default()
        .apply(Action::DemoLoaded(Ok(demo.clone())))
        .apply(Action::LoadExample(id.to_string()));
    match &state.inspect.decoded {
        Some(Ok(jwt)) => {
            std::hint::black_box(explain_verified(
                jwt,
                now,
                state.inspect.verification.as_ref(),
            ));
            true
        }
        _ => false,
    }
}

/// A page's slice of the state as its props hold it. Yew compares props to decide whether to
/// re-render, and comparing a slice's contents would compare pasted texts, parsed
/// certificates, a whole cluster's RBAC (and cost wasm for the comparison code); every action
/// that changes a slice makes a new `Rc` of it, so comparing pointers says the same.
#[derive(Debug, Default)]
pub struct Slice<T>(pub Rc<T>);

impl<T> Slice<T> {
    /// The slice `rc` points to.
    pub fn new(rc: &Rc<T>) -> Self {
        Slice(Rc::clone(rc))
    }
}

impl<T> Clone for Slice<T> {
    fn clone(&self) -> Self {
        Slice(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Slice<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Slice<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Reads a chunk into the file being read, or settles it, if there is one.
fn feed<S: Feed>(reading: &Option<Rc<Reading<S>>>, event: &FileEvent) -> bool {
    let Some(reading) = reading else {
        return matches!(event, FileEvent::Chunk(_) | FileEvent::Settle);
    };
    match event {
        FileEvent::Chunk(chunk) => reading.push(chunk),
        FileEvent::Settle => reading.settle(),
        _ => return false,
    }
    true
}
