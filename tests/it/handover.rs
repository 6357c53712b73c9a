//! Hand-overs and their undo, applied as the reducer applies them: where each one leads and
//! what it says, and that a link, an example or a preset over the user's own text keeps it
//! for **Restore what you had**, while one over a fill's text or an empty page keeps nothing.

use std::rc::Rc;

use tokenscope::learn::demo::DemoFiles;
use tokenscope::learn::FORBIDDEN;
use tokenscope::rbac::{Preset, RbacForm};
use tokenscope::ui::state::{
    AccessAction, Action, ActivityAction, AppState, CaAction, InspectAction, Link, RbacEdit,
    TroubleshootAction, ACCESS, CA, INSPECT, KUBECONFIG, RBAC, TROUBLESHOOT,
};

/// A real 403 (tests/fixtures/apierror/manifest.json: helm/helm#5100).
fn helm_403() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/apierror/helm-tiller-default-list-configmaps.txt"
    ))
    .unwrap()
}

fn apply(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
    actions.into_iter().fold(state, AppState::apply)
}

fn demo() -> Action {
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo/examples.json"))
        .unwrap();
    Action::DemoLoaded(Ok(Rc::new(DemoFiles::from_json(&json).unwrap())))
}

fn offers(state: &AppState, parts: u8) -> bool {
    state.undo.as_ref().is_some_and(|u| u.offers(parts))
}

/// A link to the part `id` of the page it names, saying "filled from the link" on arrival.
fn link(id: &'static str) -> Link {
    Link {
        to: Some(("#/page", id, "filled from the link")),
        ..Link::default()
    }
}

fn forbidden_link() -> Action {
    Action::Follow(Link {
        example: Some("forbidden".to_string()),
        ..link("ts-out-h")
    })
}

#[test]
fn each_hand_over_says_where_it_leads_and_what_filled_it() {
    let fill = RbacForm::default();
    let subject = || "system:serviceaccount:demo:app".to_string();
    let cases = [
        (
            Action::Rbac(RbacEdit::Fill(fill.clone())),
            ("#/rbac", "rbac-out-h"),
            "RBAC builder filled from the error: review the YAML below.",
        ),
        (
            Action::Activity(ActivityAction::OpenInBuilder(Box::new(fill))),
            ("#/rbac", "rbac-out-h"),
            "RBAC builder filled from the audit events: review the YAML below.",
        ),
        (
            Action::Access(AccessAction::Show {
                rbac: String::new(),
                subject: subject(),
            }),
            ("#/access", "effective-h"),
            "Access filled from the RBAC builder: review the effective rules below.",
        ),
        (
            Action::Access(AccessAction::Identity("user:jane, group:dev".to_string())),
            ("#/access", "subject-in-use"),
            "Access filled from the certificate: its user and groups are the subject below.",
        ),
        (
            Action::Access(AccessAction::AskAs(subject())),
            ("", "can-i-h"),
            "Can I filled from Who can: review the answer below.",
        ),
        (
            forbidden_link(),
            ("#/page", "ts-out-h"),
            "filled from the link",
        ),
        (Action::Restore, ("", "main"), "Restored what you had."),
    ];
    let mut state = AppState::default();
    for (n, (action, (page, id), text)) in cases.into_iter().enumerate() {
        state = state.apply(action);
        let arrival = state.arrival;
        assert_eq!(arrival.n as usize, n + 1, "{text}");
        assert_eq!((arrival.page, arrival.id, arrival.text), (page, id, text));
    }
}

#[test]
fn a_certificate_over_your_subject_keeps_it_and_restore_gives_it_back() {
    let state = apply(
        AppState::default(),
        [
            Action::Access(AccessAction::SetSubject("jane".to_string())),
            Action::Access(AccessAction::Identity(
                "user:kubernetes-admin, group:system:masters".to_string(),
            )),
        ],
    );
    assert_eq!(
        state.access.subject_input,
        "user:kubernetes-admin, group:system:masters"
    );
    assert!(offers(&state, ACCESS));
    let restored = state.apply(Action::Restore);
    assert_eq!(restored.access.subject_input, "jane");
}

#[test]
fn typing_is_no_hand_over() {
    let state = apply(
        AppState::default(),
        [
            Action::Troubleshoot(TroubleshootAction::SetError(helm_403())),
            Action::Access(AccessAction::SetSubject("jane".to_string())),
            Action::Rbac(RbacEdit::ServiceAccount("ci".to_string())),
        ],
    );
    assert_eq!(state.arrival.n, 0);
    assert_eq!(state.arrival.text, "");
}

#[test]
fn a_link_over_your_error_keeps_it_and_restore_gives_it_back() {
    let mine = helm_403();
    let state = apply(
        AppState::default(),
        [
            Action::Troubleshoot(TroubleshootAction::SetError(mine.clone())),
            forbidden_link(),
        ],
    );
    assert_eq!(state.troubleshoot.input, FORBIDDEN);
    assert!(offers(&state, TROUBLESHOOT));
    assert!(!offers(&state, RBAC | INSPECT | CA | KUBECONFIG | ACCESS));

    let restored = state.apply(Action::Restore);
    assert_eq!(restored.troubleshoot.input, mine);
    assert!(restored.troubleshoot.diagnosis.is_some());
    assert_eq!(restored.undo, None);
}

#[test]
fn a_link_over_an_empty_page_or_over_a_fill_keeps_nothing_new() {
    let state = apply(AppState::default(), [forbidden_link()]);
    assert!(!offers(&state, TROUBLESHOOT));

    // Your text, an example over it, the example again: Restore still gives back yours.
    let mine = helm_403();
    let state = apply(
        AppState::default(),
        [
            Action::Troubleshoot(TroubleshootAction::SetError(mine.clone())),
            forbidden_link(),
            forbidden_link(),
        ],
    );
    assert_eq!(state.apply(Action::Restore).troubleshoot.input, mine);
}

#[test]
fn text_typed_after_the_example_is_what_the_next_fill_keeps() {
    let state = apply(
        AppState::default(),
        [
            Action::Troubleshoot(TroubleshootAction::SetError(helm_403())),
            forbidden_link(),
            Action::Troubleshoot(TroubleshootAction::SetError("edited".to_string())),
            forbidden_link(),
        ],
    );
    assert_eq!(state.apply(Action::Restore).troubleshoot.input, "edited");
}

#[test]
fn a_preset_over_your_rules_keeps_them_with_the_fields_you_touched() {
    let state = apply(
        AppState::default(),
        [
            Action::Rbac(RbacEdit::ServiceAccount("ci-bot".to_string())),
            Action::Rbac(RbacEdit::Rule(
                tokenscope::rbac::Field::Resources(0),
                "secrets".to_string(),
            )),
        ],
    );
    let mine = state.rbac.clone();
    let touched = state.rbac_touched.clone();
    let state = state.apply(Action::Rbac(RbacEdit::Preset(Preset::ReadPods)));
    assert_ne!(state.rbac, mine);
    assert!(offers(&state, RBAC));
    let restored = state.apply(Action::Restore);
    assert_eq!(restored.rbac, mine);
    assert_eq!(restored.rbac_touched, touched);
}

#[test]
fn the_walks_rbac_link_fills_account_namespace_and_preset_in_one_undo() {
    let state = apply(
        AppState::default(),
        [
            Action::Rbac(RbacEdit::ServiceAccount("mine".to_string())),
            Action::Follow(Link {
                preset: Some(Preset::ReadPods),
                account: Some("demo-app".to_string()),
                namespace: Some("workshop".to_string()),
                ..link("rbac-out-h")
            }),
        ],
    );
    assert_eq!(state.rbac.service_account, "demo-app");
    assert_eq!(state.rbac.namespace, "workshop");
    assert_eq!(state.arrival.id, "rbac-out-h");
    assert_eq!(
        state.apply(Action::Restore).rbac.service_account,
        "mine",
        "one Restore undoes the whole link"
    );
}

#[test]
fn an_example_waiting_for_the_demo_files_keeps_your_token_and_ca_when_it_lands() {
    let state = apply(
        AppState::default(),
        [
            Action::Inspect(InspectAction::SetToken(
                "eyJhbGciOiJub25lIn0.e30.".to_string(),
            )),
            Action::Ca(CaAction::Set("my CA".to_string())),
            Action::Follow(Link {
                example: Some("bound".to_string()),
                ..link("summary-h")
            }),
        ],
    );
    assert!(!offers(&state, INSPECT | CA), "nothing replaced yet");
    let state = state.apply(demo());
    assert_ne!(state.inspect.token_input, "eyJhbGciOiJub25lIn0.e30.");
    assert!(offers(&state, INSPECT) && offers(&state, CA) && offers(&state, KUBECONFIG));
    let restored = state.apply(Action::Restore);
    assert_eq!(restored.inspect.token_input, "eyJhbGciOiJub25lIn0.e30.");
    assert_eq!(restored.ca.input, "my CA");
}

#[test]
fn load_demo_rbac_over_your_paste_keeps_it() {
    let state = apply(
        AppState::default(),
        [
            demo(),
            Action::Access(AccessAction::SetPolicy("kind: Role".to_string())),
            Action::LoadDemoRbac,
        ],
    );
    assert!(offers(&state, ACCESS));
    let restored = state.clone().apply(Action::Restore);
    assert_eq!(restored.access.input, "kind: Role");
    assert!(
        restored.access.filled != state.access.filled,
        "the field is made anew"
    );
}
