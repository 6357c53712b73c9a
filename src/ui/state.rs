//! The app's state and the actions that change it: one reducer at the root.
//!
//! Recognising, decoding, parsing keys and certificates, and planning signature checks all
//! happen here, once per change of input, so rendering (which also runs every second as the
//! clock ticks) never parses anything. WebCrypto answers come back as actions tagged with the
//! generation they were started for, so a slow answer cannot overwrite a newer paste.

use std::rc::Rc;

use yew::{Reducible, UseReducerHandle};

use crate::access::{self, Policy};
use crate::error::{InspectError, TokenError};
use crate::examples::{self, DemoFiles};
use crate::explain::explain_verified;
use crate::input::{self, Recognised};
use crate::jwt::{self, RawJwt};
use crate::keys::{self, KeyError, KeySet, Plan, VerifyStatus};
use crate::kubeconfig::{self, Field, KubeconfigForm, LoadError, LoadedKubeconfig};
use crate::rbac::{self, Preset, RbacForm, Scope};
use crate::time::UnixSeconds;
use crate::x509::{self, Bundle, CertError, ChainLink};

/// Everything the pages share.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    /// The text in the **Token** field, exactly as typed or pasted.
    pub token_input: String,
    /// What the token input was recognised as; `None` while it is empty.
    pub recognised: Option<Result<Recognised, InspectError>>,
    /// Which candidate is shown (index into `recognised.candidates`).
    pub chosen: usize,
    /// The chosen candidate, decoded.
    pub decoded: Option<Result<RawJwt, TokenError>>,

    /// The text in the **Verification key** field.
    pub key_input: String,
    /// The keys read from it; `None` while it is empty.
    pub keys: Option<Result<KeySet, KeyError>>,
    /// What verifying the decoded token takes; `None` when there is nothing to verify.
    pub plan: Option<Plan>,
    /// The outcome, once known.
    pub verification: Option<VerifyStatus>,
    /// Bumped whenever token or keys change; tags WebCrypto work in flight.
    pub verify_generation: u64,

    /// The text in the **CA certificate** field.
    pub ca_input: String,
    /// The certificates read from it; `None` while it is empty.
    pub ca: Option<Result<Bundle, CertError>>,
    /// How the certificates chain, with the signature check of each link.
    pub ca_links: Vec<ChainLink>,
    /// WebCrypto's answer for each link (same order), once known.
    pub link_results: Vec<Option<Result<bool, String>>>,
    /// Bumped whenever the CA changes; tags WebCrypto work in flight.
    pub ca_generation: u64,

    /// The kubeconfig builder's fields as typed (the CA is `ca_input`, shared with the
    /// inspector; the token follows the inspector's until typed over).
    pub kubeconfig: KubeconfigForm,
    /// The text in the **Load kubeconfig** field.
    pub load_input: String,
    /// What was read from it; `None` while it is empty.
    pub loaded: Option<Result<LoadedKubeconfig, LoadError>>,

    /// The RBAC builder's form (`#/rbac`).
    pub rbac: RbacForm,

    /// The text in **Cluster RBAC** (`#/access`).
    pub access_input: String,
    /// Bumped when **Cluster RBAC** is filled by the app rather than typed (an example, the
    /// RBAC builder's **Show what this grants**): the field is uncontrolled, since reading back
    /// a megabytes-long value on every render cost a keystroke elsewhere on the page ~12 ms,
    /// and it is made anew with the new text when this changes.
    pub access_filled: u64,
    /// The RBAC objects read from it; `None` while it is empty.
    pub policy: Option<Result<Policy, access::ParseError>>,
    /// Bumped whenever `policy` is read again, so the access page can memoise on it.
    pub policy_generation: u64,
    /// The text in **Subject**; empty means "the inspected token's identity".
    pub subject_input: String,
    /// The **Can I** query as typed: verb, resource, namespace, name.
    pub can_i: [String; 4],

    /// The **Redact** switch: render secrets masked (see [`crate::redact`]).
    pub redact: bool,
    /// The id of the example loaded last, until a field is edited by hand.
    pub example: Option<&'static str>,
    /// The demo files (`examples.json`), once the UI has fetched them.
    pub demo: Option<Rc<DemoFiles>>,
    /// What waits for the demo files to arrive: the UI fetches them while this is not empty.
    pub demo_wanted: DemoWanted,
    /// Why the demo files could not be had, if they could not.
    pub demo_error: Option<String>,
    /// Bumped by every action, so a [`Shared`] handle compares states by it.
    pub revision: u64,
}

/// What was asked of the demo files before they arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoWanted {
    /// The example to load (the last one pressed).
    pub example: Option<&'static str>,
    /// The demo roles and bindings, for **Cluster RBAC**.
    pub rbac: bool,
    /// Nothing yet: the files are fetched ahead, in an idle moment, for the rehearsal.
    pub ahead: bool,
}

impl DemoWanted {
    /// Whether anything waits.
    pub fn any(&self) -> bool {
        self.asked() || self.ahead
    }

    /// Whether the user asked for something (a fetch ahead failing is no news to them).
    pub fn asked(&self) -> bool {
        self.example.is_some() || self.rbac
    }
}

/// One change to the RBAC builder's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RbacEdit {
    /// **Service account**.
    ServiceAccount(String),
    /// **Namespace**.
    Namespace(String),
    /// **Scope**.
    Scope(Scope),
    /// **ClusterRole** to bind.
    ClusterRole(String),
    /// A rule row's **API groups**, **Resources**, **Verbs** or **Resource names**.
    Rule(rbac::Field, String),
    /// Pressed a verb suggestion of a row: add it if missing, else remove it.
    ToggleVerb(usize, &'static str),
    /// **Add rule**.
    AddRule,
    /// **Remove rule N**.
    RemoveRule(usize),
    /// **Token Secret**.
    TokenSecret(bool),
    /// A preset button (or `?preset=`), keeping the account and namespace typed.
    Preset(Preset),
}

/// What the user (or WebCrypto) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Typed or pasted into **Token**.
    SetToken(String),
    /// Picked another token from a kubeconfig or List.
    Choose(usize),
    /// Typed or pasted into **Verification key**.
    SetKey(String),
    /// Typed or pasted into **CA certificate**.
    SetCa(String),
    /// Pressed **Clear**: the token and what came with it go, nothing else does.
    Clear,
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
    DemoLoaded(Result<Rc<DemoFiles>, String>),
    /// Flipped the **Redact** switch.
    Redact(bool),
    /// Changed the RBAC builder's form.
    EditRbac(RbacEdit),
    /// Typed or pasted into **Cluster RBAC**.
    SetPolicy(String),
    /// Typed into **Subject**.
    SetSubject(String),
    /// Typed into one of the **Can I** fields (0 verb, 1 resource, 2 namespace, 3 name).
    SetCanI(usize, String),
    /// **Show what this grants** on `#/rbac`: the generated YAML and its service account go
    /// to `#/access`.
    SendToAccess {
        /// The generated manifests.
        rbac: String,
        /// `system:serviceaccount:NS:NAME`.
        subject: String,
    },
    /// Typed into a text field of the kubeconfig builder.
    EditKubeconfig(Field, String),
    /// Ticked or cleared **Skip TLS verification**.
    SkipTlsVerify(bool),
    /// Pasted into **Load kubeconfig**.
    LoadKubeconfig(String),
    /// Picked a context of the loaded kubeconfig.
    ChooseContext(String),
    /// WebCrypto finished the token's signature check started for `generation`.
    Verified {
        /// The generation the check was started for.
        generation: u64,
        /// Each attempted key and its outcome, for [`keys::conclude`].
        outcomes: Vec<(usize, Result<bool, VerifyStatus>)>,
    },
    /// WebCrypto finished the chain's link checks started for `generation`.
    LinksChecked {
        /// The generation the checks were started for.
        generation: u64,
        /// One answer per link, in `ca_links` order.
        results: Vec<Result<bool, String>>,
    },
}

impl AppState {
    /// Applies `action`; the pure heart of the reducer.
    pub fn apply(mut self, action: Action) -> AppState {
        match action {
            Action::SetToken(text) => {
                self.example = None;
                self.recognised = match input::recognise(&text) {
                    Err(InspectError::Token(TokenError::Empty)) => None,
                    other => Some(other),
                };
                self.token_input = text;
                let preferred = self.candidates().map_or(0, |(_, p)| p);
                self.select(preferred);
            }
            Action::Choose(index) => self.select(index),
            Action::SetKey(text) => {
                self.keys = (!text.trim().is_empty()).then(|| keys::parse_keys(&text));
                self.key_input = text;
                self.replan();
            }
            Action::SetCa(text) => self.set_ca(text),
            Action::LoadExample(id) => {
                let Some(example) = examples::find(&id) else {
                    return self;
                };
                let Some(demo) = self.demo.clone() else {
                    self.demo_wanted.example = Some(example.id);
                    return self;
                };
                let filled = demo.fill(example);
                let mut state = self
                    .apply(Action::SetKey(filled.key.to_string()))
                    .apply(Action::SetToken(filled.token.to_string()));
                if !filled.ca.is_empty() {
                    state.set_ca(filled.ca.to_string());
                }
                // A kubeconfig example also fills the builder, cluster name and all.
                if kubeconfig::load(filled.token, None).is_ok() {
                    state = state.apply(Action::LoadKubeconfig(filled.token.to_string()));
                }
                state.example = Some(example.id);
                return state;
            }
            Action::LoadDemoRbac => match self.demo.clone() {
                Some(demo) => {
                    self.set_policy(demo.file(examples::RBAC).to_string());
                    self.access_filled = self.access_filled.wrapping_add(1);
                }
                None => self.demo_wanted.rbac = true,
            },
            Action::FetchDemoAhead => self.demo_wanted.ahead = self.demo.is_none(),
            Action::DemoLoaded(loaded) => {
                let wanted = std::mem::take(&mut self.demo_wanted);
                match loaded {
                    Ok(demo) => {
                        self.demo = Some(demo);
                        self.demo_error = None;
                        if wanted.rbac {
                            self = self.apply(Action::LoadDemoRbac);
                        }
                        if let Some(id) = wanted.example {
                            self = self.apply(Action::LoadExample(id.to_string()));
                        }
                    }
                    Err(why) if wanted.asked() => self.demo_error = Some(why),
                    Err(_) => {}
                }
            }
            Action::Redact(on) => self.redact = on,
            Action::EditRbac(edit) => self.rbac = edit_rbac(self.rbac, edit),
            Action::SetPolicy(text) => self.set_policy(text),
            Action::SetSubject(text) => self.subject_input = text,
            Action::SetCanI(index, value) => {
                if let Some(slot) = self.can_i.get_mut(index) {
                    *slot = value;
                }
            }
            Action::SendToAccess { rbac, subject } => {
                self.set_policy(rbac);
                self.access_filled = self.access_filled.wrapping_add(1);
                self.subject_input = subject;
            }
            Action::Clear => self.clear_token(),
            Action::EditKubeconfig(field, value) => {
                let form = &mut self.kubeconfig;
                match field {
                    Field::ClusterName => form.cluster_name = value,
                    Field::Server => form.server = value,
                    Field::Ca => return self.apply(Action::SetCa(value)),
                    Field::TlsServerName => form.tls_server_name = value,
                    Field::UserName => form.user_name = value,
                    Field::Token => form.token = value,
                    Field::Namespace => form.namespace = value,
                    Field::ContextName => form.context_name = value,
                    Field::SkipTlsVerify => {}
                }
            }
            Action::SkipTlsVerify(skip) => self.kubeconfig.skip_tls_verify = skip,
            Action::LoadKubeconfig(text) => {
                self.loaded = (!text.trim().is_empty()).then(|| kubeconfig::load(&text, None));
                self.load_input = text;
                self.take_loaded();
            }
            Action::ChooseContext(name) => {
                self.loaded = Some(kubeconfig::load(&self.load_input, Some(&name)));
                self.take_loaded();
            }
            Action::Verified {
                generation,
                outcomes,
            } => {
                if generation == self.verify_generation {
                    if let Some(Ok(set)) = &self.keys {
                        self.verification = Some(keys::conclude(&set.keys, &outcomes));
                    }
                }
            }
            Action::LinksChecked {
                generation,
                results,
            } => {
                if generation == self.ca_generation {
                    self.link_results = results.into_iter().map(Some).collect();
                }
            }
        }
        self
    }

    fn candidates(&self) -> Option<(&[input::Candidate], usize)> {
        match &self.recognised {
            Some(Ok(r)) => Some((&r.candidates, r.preferred)),
            _ => None,
        }
    }

    /// Shows candidate `index`, and hands its CA (if any) to the CA field and its token
    /// (and server) to the kubeconfig builder.
    fn select(&mut self, index: usize) {
        let candidate = self.candidates().and_then(|(c, _)| c.get(index)).cloned();
        self.chosen = index;
        self.decoded = candidate.as_ref().map(|c| jwt::decode(&c.token));
        if let Some(candidate) = candidate {
            self.kubeconfig.token = candidate.token;
            if let Some(server) = candidate.server {
                self.kubeconfig.server = server;
            }
            if let Some(ca) = candidate.ca {
                self.set_ca(ca);
            }
        }
        self.replan();
    }

    /// Forgets the token and what came with it: the decoded token, its verification, the
    /// candidate shown, and the kubeconfig builder's token when it is still the one that
    /// followed the inspector. Everything else stays as the user left it (Redact above all:
    /// the next token pasted must not show unmasked), and so does the CA a Secret or
    /// kubeconfig brought, which is no secret and often wanted again.
    fn clear_token(&mut self) {
        let followed = self
            .candidates()
            .and_then(|(c, _)| c.get(self.chosen))
            .is_some_and(|c| c.token == self.kubeconfig.token);
        if followed {
            self.kubeconfig.token.clear();
        }
        self.token_input.clear();
        self.recognised = None;
        self.chosen = 0;
        self.decoded = None;
        self.example = None;
        // An example still waiting for the demo files would bring a token back.
        self.demo_wanted.example = None;
        self.replan();
    }

    /// Fills the builder from a successfully loaded kubeconfig.
    fn take_loaded(&mut self) {
        if let Some(Ok(loaded)) = &self.loaded {
            let mut form = loaded.form.clone();
            let ca = std::mem::take(&mut form.ca);
            self.kubeconfig = form;
            self.set_ca(ca);
        }
    }

    /// Works out what verifying the current token against the current keys takes.
    fn replan(&mut self) {
        self.verify_generation += 1;
        self.plan = match (&self.decoded, &self.keys) {
            (Some(Ok(jwt)), Some(Ok(set))) => Some(keys::plan(&set.keys, jwt)),
            // Without keys, only what needs no key is known: unsigned or unsupported.
            (Some(Ok(jwt)), None) => match keys::plan(&[], jwt) {
                done @ Plan::Done(
                    VerifyStatus::Unsigned | VerifyStatus::UnsupportedAlgorithm { .. },
                ) => Some(done),
                _ => None,
            },
            _ => None,
        };
        self.verification = match &self.plan {
            Some(Plan::Done(status)) => Some(status.clone()),
            _ => None,
        };
    }

    fn set_policy(&mut self, text: String) {
        self.policy = (!text.trim().is_empty()).then(|| access::parse(&text));
        self.policy_generation = self.policy_generation.wrapping_add(1);
        self.access_input = text;
    }

    fn set_ca(&mut self, text: String) {
        self.ca = (!text.trim().is_empty()).then(|| x509::parse_bundle(&text));
        self.ca_links = match &self.ca {
            Some(Ok(bundle)) => x509::chain(&bundle.certs),
            _ => Vec::new(),
        };
        self.link_results = vec![None; self.ca_links.len()];
        self.ca_generation += 1;
        self.ca_input = text;
    }
}

/// Applies one edit to the RBAC form.
fn edit_rbac(mut form: RbacForm, edit: RbacEdit) -> RbacForm {
    match edit {
        RbacEdit::ServiceAccount(v) => form.service_account = v,
        RbacEdit::Namespace(v) => form.namespace = v,
        RbacEdit::Scope(v) => form.scope = v,
        RbacEdit::ClusterRole(v) => form.cluster_role = v,
        RbacEdit::Rule(field, value) => {
            if let Some(row) = field.row().and_then(|i| form.rules.get_mut(i)) {
                match field {
                    rbac::Field::ApiGroups(_) => row.api_groups = value,
                    rbac::Field::Resources(_) => row.resources = value,
                    rbac::Field::Verbs(_) => row.verbs = value,
                    rbac::Field::ResourceNames(_) => row.resource_names = value,
                    _ => {}
                }
            }
        }
        RbacEdit::ToggleVerb(index, verb) => {
            if let Some(row) = form.rules.get_mut(index) {
                let mut verbs = rbac::split_list(&row.verbs);
                if let Some(at) = verbs.iter().position(|v| v == verb) {
                    verbs.remove(at);
                } else {
                    verbs.push(verb.to_string());
                }
                row.verbs = verbs.join(", ");
            }
        }
        RbacEdit::AddRule => form.add_row(),
        RbacEdit::RemoveRule(index) => form.remove_row(index),
        RbacEdit::TokenSecret(on) => form.token_secret = on,
        RbacEdit::Preset(preset) => {
            form = preset.fill(&form.service_account, &form.namespace);
        }
    }
    form
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone().apply(action);
        next.revision = self.revision.wrapping_add(1);
        Rc::new(next)
    }
}

/// Runs what a first paste runs on the built-in example `id`, report included, and says
/// whether it made a report. The browser compiles each wasm function at its first call, so the
/// first paste after a load took up to three times as long as the next (README, Benchmark);
/// the app rehearses every example once in idle moments after its first paint
/// (`hooks::use_rehearsal`), so the user's first paste finds the code compiled.
pub fn rehearse(id: &str, demo: &Rc<DemoFiles>, now: UnixSeconds) -> bool {
    let state = AppState {
        demo: Some(demo.clone()),
        ..AppState::default()
    }
    .apply(Action::LoadExample(id.to_string()));
    match &state.decoded {
        Some(Ok(jwt)) => {
            std::hint::black_box(explain_verified(jwt, now, state.verification.as_ref()));
            true
        }
        _ => false,
    }
}

/// The state handle as passed to pages and components. Yew compares props to decide whether
/// to re-render, and `UseReducerHandle`'s `==` compares every field of `AppState` (pasted
/// texts, parsed certificates, the whole RBAC policy); this compares the revision instead,
/// which every action bumps. It derefs to the handle, so `state.dispatch(…)` and
/// `state.token_input` read as before.
#[derive(Clone)]
pub struct Shared {
    handle: UseReducerHandle<AppState>,
    revision: u64,
}

impl Shared {
    /// The handle, tagged with the revision of the state it shows now.
    pub fn new(handle: &UseReducerHandle<AppState>) -> Self {
        Shared {
            revision: handle.revision,
            handle: handle.clone(),
        }
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

impl std::ops::Deref for Shared {
    type Target = UseReducerHandle<AppState>;

    fn deref(&self) -> &Self::Target {
        &self.handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\ndata:\n  token: ZXlKaGJHY2lPaUp1YjI1bEluMC5leUp6ZFdJaU9pSjRJbjAu\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n";
    const UNSIGNED: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";

    #[test]
    fn a_secret_fills_the_ca_field_and_decodes() {
        let state = AppState::default().apply(Action::SetToken(SECRET.to_string()));
        assert_eq!(state.ca_input, "-----BEGIN CERTIFICATE-----\n");
        assert!(matches!(state.ca, Some(Err(_))));
        assert!(matches!(state.decoded, Some(Ok(_))));
    }

    #[test]
    fn empty_input_is_not_an_error() {
        let state = AppState::default().apply(Action::SetToken("  \n".to_string()));
        assert_eq!(state.recognised, None);
        assert_eq!(state.decoded, None);
    }

    #[test]
    fn a_bad_paste_then_a_good_one_recovers() {
        let state = AppState::default()
            .apply(Action::SetToken("eyJ!.x.y".to_string()))
            .apply(Action::SetToken(UNSIGNED.to_string()));
        assert!(matches!(state.decoded, Some(Ok(_))));
    }

    #[test]
    fn clear_keeps_key_and_ca_but_forgets_the_token() {
        let state = AppState::default()
            .apply(Action::SetToken(SECRET.to_string()))
            .apply(Action::SetKey("not a key".to_string()))
            .apply(Action::Clear);
        assert_eq!(state.token_input, "");
        assert_eq!(state.decoded, None);
        assert!(!state.ca_input.is_empty());
        assert_eq!(state.key_input, "not a key");
    }

    #[test]
    fn clear_forgets_the_token_and_what_came_with_it_and_nothing_else() {
        let before = with_demo()
            .apply(Action::Redact(true))
            .apply(Action::EditRbac(RbacEdit::ServiceAccount(
                "kept".to_string(),
            )))
            .apply(Action::EditRbac(RbacEdit::TokenSecret(true)))
            .apply(Action::LoadDemoRbac)
            .apply(Action::SetSubject(
                "system:serviceaccount:demo:kept".to_string(),
            ))
            .apply(Action::SetCanI(0, "get".to_string()))
            .apply(Action::EditKubeconfig(
                Field::ClusterName,
                "prod".to_string(),
            ))
            .apply(Action::EditKubeconfig(
                Field::Server,
                "https://k:6443".to_string(),
            ))
            .apply(Action::LoadExample("bound".to_string()))
            .apply(Action::SetToken(SECRET.to_string()));
        assert!(matches!(before.decoded, Some(Ok(_))));
        assert!(matches!(before.policy, Some(Ok(_))));
        assert_eq!(before.kubeconfig.token, UNSIGNED);
        let after = before.clone().apply(Action::Clear);
        assert!(after.verify_generation > before.verify_generation);
        let expected = AppState {
            token_input: String::new(),
            recognised: None,
            chosen: 0,
            decoded: None,
            plan: None,
            verification: None,
            verify_generation: after.verify_generation,
            kubeconfig: KubeconfigForm {
                token: String::new(),
                ..before.kubeconfig.clone()
            },
            example: None,
            ..before
        };
        assert_eq!(after, expected);
    }

    #[test]
    fn clear_keeps_a_kubeconfig_token_typed_by_hand_and_cancels_a_waiting_example() {
        let state = AppState::default()
            .apply(Action::SetToken(UNSIGNED.to_string()))
            .apply(Action::EditKubeconfig(Field::Token, "typed".to_string()))
            .apply(Action::LoadExample("bound".to_string()))
            .apply(Action::LoadDemoRbac)
            .apply(Action::Clear);
        assert_eq!(state.kubeconfig.token, "typed");
        assert_eq!(state.demo_wanted.example, None);
        assert!(
            state.demo_wanted.rbac,
            "the demo RBAC still waits for the demo files"
        );
        let state = state.apply(Action::DemoLoaded(Ok(demo())));
        assert!(state.token_input.is_empty());
        assert!(!state.access_input.is_empty());
    }

    #[test]
    fn an_unsigned_token_is_unsigned_without_any_key() {
        let state = AppState::default().apply(Action::SetToken(UNSIGNED.to_string()));
        assert_eq!(state.verification, Some(VerifyStatus::Unsigned));
    }

    #[test]
    fn the_inspected_token_goes_to_the_kubeconfig_builder_until_typed_over() {
        let state = AppState::default().apply(Action::SetToken(SECRET.to_string()));
        assert_eq!(state.kubeconfig.token, UNSIGNED);
        let state = state.apply(Action::EditKubeconfig(Field::Token, "typed".to_string()));
        assert_eq!(state.kubeconfig.token, "typed");
    }

    #[test]
    fn a_loaded_kubeconfig_fills_the_form_and_the_shared_ca() {
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k:6443\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\nusers:\n- name: u\n  user:\n    token: abc\ncontexts:\n- name: u@c\n  context:\n    cluster: c\n    user: u\ncurrent-context: u@c\n";
        let state = AppState::default().apply(Action::LoadKubeconfig(text.to_string()));
        assert!(matches!(state.loaded, Some(Ok(_))), "{:?}", state.loaded);
        assert_eq!(state.kubeconfig.server, "https://k:6443");
        assert_eq!(state.kubeconfig.token, "abc");
        assert_eq!(state.ca_input, "-----BEGIN CERTIFICATE-----\n");
    }

    /// The demo files of this checkout, as the UI would fetch them.
    fn demo() -> Rc<DemoFiles> {
        match DemoFiles::from_json(include_str!("../../demo/examples.json")) {
            Ok(files) => Rc::new(files),
            Err(e) => panic!("demo/examples.json: {e}"),
        }
    }

    /// A state that already has the demo files.
    fn with_demo() -> AppState {
        AppState::default().apply(Action::DemoLoaded(Ok(demo())))
    }

    #[test]
    fn an_example_fills_all_three_fields() {
        let state = with_demo().apply(Action::LoadExample("bound".to_string()));
        assert_eq!(state.example, Some("bound"));
        assert!(matches!(state.decoded, Some(Ok(_))));
        assert!(matches!(state.keys, Some(Ok(_))));
        assert!(matches!(&state.ca, Some(Ok(b)) if b.certs.len() == 2));
        assert!(matches!(state.plan, Some(Plan::Check { .. })));
        let state = state.apply(Action::LoadExample("no-such".to_string()));
        assert_eq!(state.example, Some("bound"));
    }

    #[test]
    fn an_example_pressed_before_the_demo_files_arrive_loads_when_they_do() {
        let state = AppState::default()
            .apply(Action::LoadExample("no-such".to_string()))
            .apply(Action::LoadExample("legacy".to_string()))
            .apply(Action::LoadExample("es256".to_string()))
            .apply(Action::LoadDemoRbac);
        assert_eq!(
            state.demo_wanted,
            DemoWanted {
                example: Some("es256"),
                rbac: true,
                ahead: false
            }
        );
        assert!(state.token_input.is_empty() && state.access_input.is_empty());
        let state = state.apply(Action::DemoLoaded(Ok(demo())));
        assert!(!state.demo_wanted.any());
        assert_eq!(state.example, Some("es256"));
        assert_eq!(state.token_input, demo().file("es256.jwt"));
        assert_eq!(state.access_input, demo().file(examples::RBAC));
        assert!(matches!(state.policy, Some(Ok(_))));
    }

    #[test]
    fn demo_files_that_cannot_be_had_say_why_and_wait_no_more() {
        let state = AppState::default()
            .apply(Action::LoadExample("bound".to_string()))
            .apply(Action::DemoLoaded(Err("offline".to_string())));
        assert!(!state.demo_wanted.any());
        assert_eq!(state.demo_error.as_deref(), Some("offline"));
        assert!(state.token_input.is_empty());
        // Pressed again, it asks again.
        let state = state.apply(Action::LoadExample("bound".to_string()));
        assert!(state.demo_wanted.any());
        // A fetch ahead that fails is no news: nobody asked.
        let state = AppState::default()
            .apply(Action::FetchDemoAhead)
            .apply(Action::DemoLoaded(Err("offline".to_string())));
        assert!(!state.demo_wanted.any() && state.demo_error.is_none());
        assert!(!with_demo().apply(Action::FetchDemoAhead).demo_wanted.any());
    }

    #[test]
    fn clear_keeps_the_demo_files() {
        let state = with_demo()
            .apply(Action::LoadExample("bound".to_string()))
            .apply(Action::Clear);
        assert!(state.token_input.is_empty());
        assert_eq!(state.demo, Some(demo()));
    }

    #[test]
    fn every_example_rehearses_the_paste_path_to_a_report() {
        for example in examples::EXAMPLES {
            assert!(
                rehearse(example.id, &demo(), 1_700_000_000),
                "{}",
                example.id
            );
        }
        assert!(!rehearse("no-such", &demo(), 1_700_000_000));
    }

    #[test]
    fn a_stale_webcrypto_answer_is_ignored() {
        let state = AppState::default().apply(Action::SetToken(UNSIGNED.to_string()));
        let stale = state.verify_generation;
        let state = state
            .apply(Action::SetToken(
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln".to_string(),
            ))
            .apply(Action::Verified {
                generation: stale,
                outcomes: vec![(0, Ok(true))],
            });
        assert_eq!(state.verification, None);
    }
}
