//! The Escalation section of the Access page, rendered natively: the path, the rule to cut
//! with its commands, and the workloads table, from one paste.

use crate::common::snapshot::{assert_snapshot, fix_clock};
use tokenscope::access;
use tokenscope::ui::pages::{EscalationView, EscalationViewProps, Read};
use tokenscope::ui::state::{AccessAction, Action, AppState, Slice};
use yew::LocalServerRenderer;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/escalation/");

async fn access(actions: Vec<Action>) -> String {
    let state = actions
        .into_iter()
        .fold(AppState::default(), AppState::apply);
    let subject = access::parse_subject(&state.access.subject_input).ok();
    fix_clock();
    // The section reads the paste in later tasks, which a server renderer never runs: the
    // view is rendered from the paste read at once.
    LocalServerRenderer::<EscalationView>::with_props(EscalationViewProps {
        read: Read::now(&state.access).map(std::rc::Rc::new),
        state: Slice::new(&state.access),
        subject,
    })
    .render()
    .await
}

#[tokio::test]
async fn the_path_the_cut_and_the_workloads_render_as_text() {
    let paste = format!(
        "{}\n---\n{}\n---\n{}",
        std::fs::read_to_string(format!("{DIR}admin.yaml")).unwrap(),
        std::fs::read_to_string(format!("{DIR}pods-to-admin.yaml")).unwrap(),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: '<b>x</b>', namespace: build}\nspec: {serviceAccountName: deployer, containers: [{name: c, image: x}]}\n"
    );
    let html = access(vec![
        AccessAction::SetPolicy(paste).into(),
        AccessAction::SetSubject("alice".to_string()).into(),
    ])
    .await;
    assert_snapshot("escalation_path_cut_workloads", &html);
    // A workload's name is text, never markup.
    assert!(
        html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<b>x</b>"),
        "{html}"
    );
}
