//! The access page's slice of the state: the pasted RBAC, the subject, and the Can I query.

use std::rc::Rc;

use super::reading::{step, FileEvent, FileRead, Reading, Step};
use crate::access::escalation::Objects;
use crate::access::{self, Policy, PolicyStream};

/// What the access page (`#/access`) holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessState {
    /// The text in **Cluster RBAC**.
    pub input: String,
    /// Bumped when **Cluster RBAC** is filled by the app rather than typed (an example, the
    /// RBAC builder's **Show what this grants**): the field is uncontrolled, since reading back
    /// a megabytes-long value on every render cost a keystroke elsewhere on the page ~12 ms,
    /// and it is made anew with the new text when this changes.
    pub filled: u64,
    /// The RBAC objects read from it; `None` while it is empty.
    pub policy: Option<Result<Policy, access::ParseError>>,
    /// Bumped whenever `policy` is read again, so the page can memoise on it.
    pub generation: u64,
    /// The file the policy was read from, when it was (the field then holds no text).
    pub file: Option<FileRead>,
    /// A file being read, when one is.
    pub reading: Option<Rc<Reading<PolicyStream>>>,
    /// The ServiceAccounts, token Secrets and workloads read with the policy, from the text or
    /// the file alike, for Escalation.
    pub objects: Rc<Objects>,
    /// The text in **Subject**; empty means "the inspected token's identity".
    pub subject_input: String,
    /// The **Can I** query as typed.
    pub can_i: CanIForm,
    /// The **Who can** query as typed (its name stays empty).
    pub who_can: CanIForm,
    /// The namespace the **Access grid** draws, chosen from its list; empty means the first
    /// namespace the subject has a RoleBinding in.
    pub grid_namespace: String,
}

/// The **Can I** fields as typed, as kubectl's `auth can-i VERB RESOURCE -n NAMESPACE NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanIForm {
    /// **Verb**.
    pub verb: String,
    /// **Resource**, as kubectl writes it (`pods`, `pods/log`, `deployments.apps`, `/healthz`).
    pub resource: String,
    /// **Namespace**; empty means all namespaces.
    pub namespace: String,
    /// **Name**; empty means any.
    pub name: String,
}

/// One field of the **Can I** query, typed into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CanIEdit {
    /// **Verb**.
    Verb(String),
    /// **Resource**.
    Resource(String),
    /// **Namespace**.
    Namespace(String),
    /// **Name**.
    Name(String),
}

impl CanIEdit {
    /// Puts the typed value in its field of `form`.
    fn apply(self, form: &mut CanIForm) {
        match self {
            CanIEdit::Verb(v) => form.verb = v,
            CanIEdit::Resource(v) => form.resource = v,
            CanIEdit::Namespace(v) => form.namespace = v,
            CanIEdit::Name(v) => form.name = v,
        }
    }
}

/// One change to the access page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessAction {
    /// Typed or pasted into **Cluster RBAC**.
    SetPolicy(String),
    /// A file (or a paste over 1 MiB) in **Cluster RBAC**: the policy before it stays until
    /// its last chunk is in.
    File(FileEvent),
    /// Typed into **Subject**.
    SetSubject(String),
    /// Typed into one of the **Can I** fields.
    CanI(CanIEdit),
    /// Typed into one of the **Who can** fields.
    WhoCan(CanIEdit),
    /// A cell of the **Access grid**: its request fills Can I.
    Ask(CanIForm),
    /// Chose a namespace for the **Access grid**.
    GridNamespace(String),
    /// **Ask Can I as …** on a Who can row: that subject, and the Who can query, in Can I.
    AskAs(String),
    /// **Check its access** on a client certificate: its user and groups become the subject.
    Identity(String),
    /// **Show what this grants** on `#/rbac`: the generated YAML and its service account
    /// fill the page.
    Show {
        /// The generated manifests.
        rbac: String,
        /// `system:serviceaccount:NS:NAME`.
        subject: String,
    },
}

impl AccessState {
    /// Applies one change.
    pub fn apply(&mut self, action: AccessAction) {
        match action {
            AccessAction::SetPolicy(text) => self.set_policy(text),
            AccessAction::File(event) => self.file_event(event),
            AccessAction::SetSubject(text) | AccessAction::Identity(text) => {
                self.subject_input = text;
            }
            AccessAction::CanI(edit) => edit.apply(&mut self.can_i),
            AccessAction::WhoCan(edit) => edit.apply(&mut self.who_can),
            AccessAction::Ask(form) => self.can_i = form,
            AccessAction::GridNamespace(namespace) => self.grid_namespace = namespace,
            AccessAction::AskAs(subject) => {
                self.subject_input = subject;
                self.can_i = self.who_can.clone();
            }
            AccessAction::Show { rbac, subject } => {
                self.fill(rbac);
                self.subject_input = subject;
            }
        }
    }

    /// Fills **Cluster RBAC** from the app rather than the keyboard, so the field is made anew.
    pub fn fill(&mut self, text: String) {
        self.set_policy(text);
        self.filled = self.filled.wrapping_add(1);
    }

    fn set_policy(&mut self, text: String) {
        let (policy, objects) = access::parse_with_objects(&text);
        self.policy = (!text.trim().is_empty()).then_some(policy);
        self.objects = Rc::new(objects);
        self.generation = self.generation.wrapping_add(1);
        self.input = text;
        self.file = None;
    }

    /// The policy a file gave (or none, on **Clear**). The file field empties the text area
    /// itself, which stays the same element: its file listeners stay on it.
    fn set_read(
        &mut self,
        policy: Option<Result<Policy, access::ParseError>>,
        file: Option<FileRead>,
    ) {
        self.policy = policy;
        self.generation = self.generation.wrapping_add(1);
        self.input = String::new();
        self.file = file;
    }

    fn file_event(&mut self, event: FileEvent) {
        match step(&mut self.reading, event) {
            Step::Done(stream, file) => {
                let (policy, objects) = match stream.map(PolicyStream::finish_with_objects) {
                    Ok((policy, objects)) => (policy.map_err(access::ParseError::from), objects),
                    Err(e) => (Err(e), Objects::default()),
                };
                self.set_read(Some(policy), Some(file));
                self.objects = Rc::new(objects);
            }
            Step::Cleared => {
                self.set_read(None, None);
                self.objects = Rc::default();
            }
            Step::Nothing => {}
        }
    }
}
