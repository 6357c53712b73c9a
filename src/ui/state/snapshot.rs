//! The user's inputs as a list of texts, and the state they make again: how the first-visit
//! app hands its state to the full app when that takes over (`ui::upgrade`, which carries the
//! list as a JSON array of strings).
//!
//! Only what the user typed, pasted, picked or switched is written; everything derived from it
//! (decoded tokens, parsed certificates and RBAC, plans, generations) is rebuilt by replaying
//! the actions a user would cause, so the full app's reducer computes it as it always does.
//! The texts come in a fixed order, unnamed, and [`AppState::replay`] reads them in the same
//! order: both apps are one build of this code (`scripts/postbuild.mjs` names the full app
//! after its contents, and the service worker caches the two together). Unnamed, and handed to
//! a sink rather than written as a `serde_json::Value`, because this runs in the first-visit
//! app, whose every byte counts: there the browser writes the JSON (`JSON.stringify`).

use super::{AccessAction, Action, AppState, CaAction, CanIEdit, InspectAction, KubeconfigAction};
use crate::kubeconfig::Field;
use crate::rbac::{self, Scope};
use crate::ui::state::RbacEdit;
use crate::ui::state::Touched;

/// The text fields of the kubeconfig builder's form, in snapshot order (its CA is the shared
/// CA field).
const KUBECONFIG_FIELDS: [Field; 7] = [
    Field::ClusterName,
    Field::Server,
    Field::TlsServerName,
    Field::UserName,
    Field::Token,
    Field::Namespace,
    Field::ContextName,
];

fn flag(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

impl AppState {
    /// Hands every input of the pages to `put`, in the order [`AppState::replay`] reads them:
    /// flags as `"true"` or `"false"`, numbers in decimal.
    pub fn snapshot(&self, put: &mut dyn FnMut(&str)) {
        put(&self.inspect.token_input);
        // Numbers as u64, whose `to_string` the first-visit app has already: each integer
        // type's is another few hundred bytes of wasm.
        put(&(self.inspect.chosen as u64).to_string());
        put(&self.inspect.key_input);
        put(&self.ca.input);
        let form = &self.kubeconfig.form;
        for field in KUBECONFIG_FIELDS {
            put(kubeconfig_field(form, field));
        }
        put(flag(form.skip_tls_verify));
        put(&self.kubeconfig.load_input);
        put(match &self.kubeconfig.loaded {
            Some(Ok(loaded)) => &loaded.context,
            _ => "",
        });
        let rbac = &self.rbac;
        put(&rbac.service_account);
        put(&rbac.namespace);
        put(&rbac.cluster_role);
        let scope = Scope::ALL.iter().position(|&s| s == rbac.scope);
        put(&(scope.unwrap_or_default() as u64).to_string());
        put(flag(rbac.token_secret));
        put(&(rbac.rules.len() as u64).to_string());
        for rule in &rbac.rules {
            put(&rule.api_groups);
            put(&rule.resources);
            put(&rule.verbs);
            put(&rule.resource_names);
            put(&rule.non_resource_urls);
        }
        put(&self.kubeconfig.touched.to_text());
        put(&self.rbac_touched.to_text());
        put(&self.access.input);
        put(&self.access.subject_input);
        let can_i = &self.access.can_i;
        for text in [&can_i.verb, &can_i.resource, &can_i.namespace, &can_i.name] {
            put(text);
        }
        put(flag(self.redact));
    }

    /// The state the texts of [`AppState::snapshot`] make, reached through the actions a user
    /// would cause. Texts missing at the end read as empty.
    pub fn replay(saved: &[&str]) -> AppState {
        let mut texts = saved.iter().copied();
        let mut next = || texts.next().unwrap_or_default().to_string();
        let mut state = AppState::default();
        let run = |state: &mut AppState, action: Action| {
            *state = std::mem::take(state).apply(action);
        };

        let token = next();
        let chosen = next().parse::<usize>().ok();
        if !token.is_empty() {
            run(&mut state, InspectAction::SetToken(token).into());
            if let Some(chosen) = chosen {
                run(&mut state, InspectAction::Choose(chosen).into());
            }
        }
        let key = next();
        if !key.is_empty() {
            run(&mut state, InspectAction::SetKey(key).into());
        }
        let ca = next();

        let fields = KUBECONFIG_FIELDS.map(|field| (field, next()));
        let skip = next() == "true";
        let load = next();
        let context = next();
        if !load.is_empty() {
            run(&mut state, KubeconfigAction::Load(load).into());
            if !context.is_empty() {
                run(&mut state, KubeconfigAction::ChooseContext(context).into());
            }
        }
        for (field, value) in fields {
            run(&mut state, KubeconfigAction::Edit(field, value).into());
        }
        run(&mut state, KubeconfigAction::SkipTlsVerify(skip).into());
        // After the kubeconfig: a token or kubeconfig above may have brought a CA since changed.
        if ca != state.ca.input {
            run(&mut state, CaAction::Set(ca).into());
        }

        run(&mut state, RbacEdit::ServiceAccount(next()).into());
        run(&mut state, RbacEdit::Namespace(next()).into());
        run(&mut state, RbacEdit::ClusterRole(next()).into());
        if let Some(&scope) = next().parse::<usize>().ok().and_then(|i| Scope::ALL.get(i)) {
            run(&mut state, RbacEdit::Scope(scope).into());
        }
        run(&mut state, RbacEdit::TokenSecret(next() == "true").into());
        let rows = next().parse::<usize>().unwrap_or_default();
        while state.rbac.rules.len() > rows {
            let last = state.rbac.rules.len() - 1;
            run(&mut state, RbacEdit::RemoveRule(last).into());
        }
        while state.rbac.rules.len() < rows {
            run(&mut state, RbacEdit::AddRule.into());
        }
        for row in 0..rows {
            for field in [
                rbac::Field::ApiGroups(row),
                rbac::Field::Resources(row),
                rbac::Field::Verbs(row),
                rbac::Field::ResourceNames(row),
                rbac::Field::NonResourceUrls(row),
            ] {
                run(&mut state, RbacEdit::Rule(field, next()).into());
            }
        }
        // Replaying marked every field edited: what the user touched is handed over instead.
        let kubeconfig_touched = Touched::from_text(&next());
        std::rc::Rc::make_mut(&mut state.kubeconfig).touched = kubeconfig_touched;
        state.rbac_touched = std::rc::Rc::new(Touched::from_text(&next()));

        let policy = next();
        if !policy.is_empty() {
            run(&mut state, AccessAction::SetPolicy(policy).into());
        }
        run(&mut state, AccessAction::SetSubject(next()).into());
        let edits: [fn(String) -> CanIEdit; 4] = [
            CanIEdit::Verb,
            CanIEdit::Resource,
            CanIEdit::Namespace,
            CanIEdit::Name,
        ];
        for edit in edits {
            run(&mut state, AccessAction::CanI(edit(next())).into());
        }

        if next() == "true" {
            run(&mut state, Action::Redact(true));
        }
        state
    }
}

fn kubeconfig_field(form: &crate::kubeconfig::KubeconfigForm, field: Field) -> &str {
    match field {
        Field::ClusterName => &form.cluster_name,
        Field::Server => &form.server,
        Field::TlsServerName => &form.tls_server_name,
        Field::UserName => &form.user_name,
        Field::Token => &form.token,
        Field::Namespace => &form.namespace,
        Field::ContextName => &form.context_name,
        Field::Ca | Field::SkipTlsVerify => "",
    }
}
