//! The Troubleshoot page's fix rendered natively (Yew's `ssr`): a request naming `*` shows why
//! there is no fix and offers no YAML, commands or builder; "exactly this request" appears only
//! for a fix the evaluator confirmed; and with Cluster RBAC pasted, a broad nearest miss is a
//! warning, never "enough", and a role of the fix's name already there is pointed out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::pages::Troubleshoot;
use crate::common::snapshot::{assert_snapshot, fix_clock};
use tokenscope::ui::pages::TroubleshootProps;
use tokenscope::ui::state::{AccessAction, Action, AppState, Slice, TroubleshootAction};
use yew::{Callback, LocalServerRenderer};

async fn page(rbac: Option<&str>, error: &str) -> String {
    let mut actions: Vec<Action> = Vec::new();
    if let Some(rbac) = rbac {
        actions.push(AccessAction::SetPolicy(rbac.to_string()).into());
    }
    actions.push(TroubleshootAction::SetError(error.to_string()).into());
    let state = actions
        .into_iter()
        .fold(AppState::default(), AppState::apply);
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

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/apierror/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const LIST_CONFIGMAPS: &str = "Error from server (Forbidden): configmaps is forbidden: User \
    \"system:serviceaccount:prod:app\" cannot list resource \"configmaps\" in API group \"\" in \
    the namespace \"prod\"";

#[tokio::test]
async fn a_star_request_gets_no_yaml_no_commands_and_no_builder() {
    for (error, snapshot) in [
        (
            "forbidden: User \"system:serviceaccount:prod:app\" cannot list resource \"*\" in API \
             group \"\" in the namespace \"prod\"",
            "troubleshoot_star_resource",
        ),
        (
            "forbidden: User \"system:serviceaccount:prod:app\" cannot get path \"/*\"",
            "troubleshoot_star_path",
        ),
    ] {
        let html = page(None, error).await;
        assert_snapshot(snapshot, &html);
        assert!(!html.contains(r#"aria-label="Fix YAML""#), "{html}");
        assert!(!html.contains(r#"aria-label="kubectl commands""#), "{html}");
        assert!(!html.contains("Fix in RBAC builder"), "{html}");
        assert!(!html.contains("exactly"), "{html}");
    }
}

#[tokio::test]
async fn exactly_only_when_the_evaluator_confirms_it() {
    let html = page(None, LIST_CONFIGMAPS).await;
    assert_snapshot("troubleshoot_exact_fix", &html);
    assert!(html.contains("granting exactly this request"), "{html}");
    // A list of one named object: resourceNames cannot limit list.
    let html = page(None, &fixture("kuscia-klog-list-configmap-named.txt")).await;
    assert_snapshot("troubleshoot_list_named", &html);
    assert!(!html.contains("exactly"), "{html}");
}

const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n";

#[tokio::test]
async fn a_broad_nearest_miss_is_a_warning_and_a_same_named_role_is_pointed_out() {
    let admin = format!(
        "{ROLE}metadata: {{name: cluster-admin}}\nrules:\n- {{apiGroups: ['*'], resources: ['*'], \
         verbs: ['*']}}\n"
    );
    let html = page(Some(&admin), LIST_CONFIGMAPS).await;
    assert_snapshot("troubleshoot_nearest_miss_broad", &html);
    assert!(
        html.contains(r#"<p class="level-warning">Nearest miss: ClusterRole cluster-admin"#),
        "{html}"
    );
    assert!(!html.contains("enough"), "{html}");

    let narrow = format!(
        "{admin}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: \
         app-list-configmaps, namespace: prod}}\nrules:\n- {{apiGroups: [''], resources: \
         [configmaps], verbs: [list, get]}}\n"
    );
    let html = page(Some(&narrow), LIST_CONFIGMAPS).await;
    assert_snapshot("troubleshoot_nearest_miss_narrow", &html);
}
