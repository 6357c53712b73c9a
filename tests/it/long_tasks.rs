//! The last long tasks of a big input, each cut into parts: the Escalation section's workloads
//! table drawn a hundred rows at a time, and the checks that the parts give the same answer as
//! the whole.

use tokenscope::access;
use tokenscope::ui::pages::{EscalationView, EscalationViewProps, Read};
use tokenscope::ui::state::{AccessAction, Action, AppState, Slice};
use yew::LocalServerRenderer;

/// `n` Deployments in `build`, each run by the account `deployer`, which may create pods.
fn workloads_paste(n: usize) -> String {
    let mut paste = String::from(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: build}\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pods, namespace: build}\n\
         rules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [create]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: deployer, namespace: build}\n\
         roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}\n\
         subjects:\n- {kind: ServiceAccount, name: deployer, namespace: build}\n",
    );
    for k in 0..n {
        paste.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{k:04}, namespace: build}}\n\
             spec: {{template: {{spec: {{serviceAccountName: deployer, containers: [{{name: c, image: x}}]}}}}}}\n"
        ));
    }
    paste
}

async fn escalation(paste: String) -> String {
    let state = [
        AccessAction::SetPolicy(paste).into(),
        AccessAction::SetSubject("system:serviceaccount:build:deployer".to_string()).into(),
    ]
    .into_iter()
    .fold(AppState::default(), |s, a: Action| s.apply(a));
    let subject = access::parse_subject(&state.access.subject_input).ok();
    LocalServerRenderer::<EscalationView>::with_props(EscalationViewProps {
        read: Read::now(&state.access).map(std::rc::Rc::new),
        state: Slice::new(&state.access),
        subject,
    })
    .render()
    .await
}

/// A cluster's thousand workloads are one long layout: the table draws its first hundred rows
/// and offers the rest, as the effective rules' tables do.
#[tokio::test]
async fn the_workloads_table_draws_a_hundred_rows_and_offers_more() {
    let html = escalation(workloads_paste(250)).await;
    let table = html
        .split("aria-label=\"Workloads\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("a workloads table");
    assert_eq!(table.matches("<tr>").count(), 101, "{table}");
    assert!(table.contains("app-0099") && !table.contains("app-0100"));
    assert!(
        html.contains("Showing 100 of 250 workloads.") && html.contains("Show 100 more"),
        "{html}"
    );
    // A table of fewer rows is drawn whole, with no button.
    let html = escalation(workloads_paste(3)).await;
    assert!(
        html.contains("app-0002") && !html.contains("Show "),
        "{html}"
    );
}
