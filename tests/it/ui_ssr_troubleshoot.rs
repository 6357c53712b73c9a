//! The Troubleshoot page rendered natively for the diagnoses read from real pastes (the
//! `#/troubleshoot` part of `ui_ssr.rs` for these kinds, kept in its own file): each shows its
//! title, its parts and its own advice, and a node's 403 offers no Role.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::pages::Troubleshoot;
use crate::common::snapshot::{assert_snapshot, fix_clock};
use tokenscope::ui::pages::TroubleshootProps;
use tokenscope::ui::state::{AppState, Slice, TroubleshootAction};
use yew::{Callback, LocalServerRenderer};

/// The page with the sample `file` of `tests/fixtures/errors` pasted.
async fn pasted(file: &str) -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/errors")
            .join(file),
    )
    .unwrap();
    let state = AppState::default().apply(TroubleshootAction::SetError(text).into());
    fix_clock();
    LocalServerRenderer::<Troubleshoot>::with_props(TroubleshootProps {
        state: Slice::new(&state.troubleshoot),
        inspect: Slice::new(&state.inspect),
        access: Slice::new(&state.access),
        redact: state.redact,
        onaction: Callback::noop(),
    })
    .render()
    .await
}

#[tokio::test]
async fn an_escalation_refusal_names_the_creator_and_its_rules() {
    let html = pasted("escalation-redis-operator-role.txt").await;
    assert_snapshot("troubleshoot_escalation_refusal", &html);
    assert!(!html.contains("The least-privilege fix"), "{html}");
}

#[tokio::test]
async fn a_node_gets_no_role() {
    let html = pasted("node-no-relationship-kubelet-journal.txt").await;
    assert_snapshot("troubleshoot_node_403", &html);
    assert!(!html.contains("Download YAML"), "{html}");
}

#[tokio::test]
async fn refused_credentials_the_kubelet_and_pyjwt_show_their_commands() {
    for (file, snapshot) in [
        (
            "authn-karmada-structured.txt",
            "troubleshoot_credential_refused",
        ),
        ("kubelet-401-logs-kubeasz.txt", "troubleshoot_kubelet_401"),
        ("pyjwt-algorithms-required.txt", "troubleshoot_pyjwt"),
    ] {
        assert_snapshot(snapshot, &pasted(file).await);
    }
}
