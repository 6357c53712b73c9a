//! The Troubleshoot page rendered natively for the diagnoses read from real pastes (the
//! `#/troubleshoot` part of `ui_ssr.rs` for these kinds, kept in its own file): each shows its
//! title, its parts and its own advice, and a node's 403 offers no Role.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::ui::pages::{Troubleshoot, TroubleshootProps};
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
    assert!(
        html.contains("<strong>Escalation prevented</strong>"),
        "{html}"
    );
    assert!(html.contains("<dt>Rule not held</dt>"), "{html}");
    assert!(html.contains("Check the creator"), "{html}");
    assert!(
        html.contains("kubectl auth can-i --list --as=testuser"),
        "{html}"
    );
    assert!(!html.contains("The least-privilege fix"), "{html}");
}

#[tokio::test]
async fn a_node_gets_no_role() {
    let html = pasted("node-no-relationship-kubelet-journal.txt").await;
    assert!(
        html.contains("<strong>Forbidden to a node</strong>"),
        "{html}"
    );
    assert!(html.contains("No role to add"), "{html}");
    assert!(!html.contains("Download YAML"), "{html}");
}

#[tokio::test]
async fn refused_credentials_the_kubelet_and_pyjwt_show_their_commands() {
    for (file, title, heading) in [
        (
            "authn-karmada-structured.txt",
            "Client credential refused",
            "Check the credential",
        ),
        (
            "kubelet-401-logs-kubeasz.txt",
            "Kubelet refused the API server",
            "Check the credential",
        ),
        (
            "pyjwt-algorithms-required.txt",
            "PyJWT error",
            "The PyJWT 2 lines that work",
        ),
    ] {
        let html = pasted(file).await;
        assert!(
            html.contains(&format!("<strong>{title}</strong>")),
            "{file}: {html}"
        );
        assert!(html.contains(heading), "{file}: {html}");
    }
}
