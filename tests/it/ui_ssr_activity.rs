//! The Activity page rendered natively (the `#/activity` part of `ui_ssr.rs`, kept in its own
//! file): events for the inspected token matched by credential ID, the table, the generated
//! RBAC, and Redact masking names and the token's identity.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::snapshot::{assert_snapshot, fix_clock};
use serde_json::json;
use tokenscope::ui::pages::{Activity, ActivityProps};
use tokenscope::ui::state::{Action, ActivityAction, AppState, InspectAction, Slice};
use yew::{Callback, LocalServerRenderer};

const JTI: &str = "f0964b46-91b2-5c3c-972e-5f525e324b95";
const USER: &str = "system:serviceaccount:demo:podgetter";

fn events() -> String {
    let event = |jti: &str, verb: &str, name: Option<&str>, decision: &str| {
        let mut object = json!({"resource": "configmaps", "namespace": "demo", "apiVersion": "v1"});
        if let Some(name) = name {
            object["name"] = json!(name);
        }
        json!({
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete",
            "verb": verb, "requestURI": "/api/v1/namespaces/demo/configmaps",
            "user": {"username": USER, "extra": {"authentication.kubernetes.io/credential-id": [format!("JTI={jti}")]}},
            "objectRef": object,
            "requestReceivedTimestamp": "2026-12-01T10:00:00.000000Z",
            "annotations": {"authorization.k8s.io/decision": decision, "authorization.k8s.io/reason": "RBAC: allowed by RoleBinding \"podgetter/demo\""},
        })
        .to_string()
    };
    [
        event(JTI, "get", Some("app-settings"), "allow"),
        event(JTI, "list", None, "allow"),
        event("another", "delete", Some("app-settings"), "allow"),
        "not json".to_string(),
    ]
    .join("\n")
}

async fn render(actions: Vec<Action>) -> String {
    let state = actions
        .into_iter()
        .fold(AppState::default(), AppState::apply);
    fix_clock();
    LocalServerRenderer::<Activity>::with_props(ActivityProps {
        state: Slice::new(&state.activity),
        inspect: Slice::new(&state.inspect),
        access: Slice::new(&state.access),
        redact: state.redact,
        onaction: Callback::noop(),
    })
    .render()
    .await
}

fn token() -> Action {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/minted/token-bound-pod-rs256.jwt"
    ))
    .unwrap();
    InspectAction::SetToken(text.trim().to_string()).into()
}

#[tokio::test]
async fn empty_page_says_what_to_paste_and_whose_activity() {
    let html = render(vec![]).await;
    assert_snapshot("activity_empty", &html);
}

#[tokio::test]
async fn events_of_the_inspected_token_make_rows_and_rbac() {
    let html = render(vec![token(), ActivityAction::SetEvents(events()).into()]).await;
    assert_snapshot("activity_token_events", &html);
}

#[tokio::test]
async fn redact_masks_names_and_the_tokens_identity() {
    let html = render(vec![
        token(),
        ActivityAction::SetEvents(events()).into(),
        Action::Redact(true),
    ])
    .await;
    // The text area itself is masked by the stylesheet (`.redacted textarea`), as on every page.
    let end = html.find("</textarea>").unwrap();
    let html = &html[end..];
    assert_snapshot("activity_redacted", html);
    assert!(!html.contains("app-settings"), "{html}");
    assert!(!html.contains("podgetter"), "{html}");
    assert!(!html.contains(JTI), "{html}");
}

#[test]
fn open_in_builder_fills_the_rbac_form_and_reading_keeps_the_text_shared() {
    let events = tokenscope::activity::read(&events()).unwrap();
    let rows = tokenscope::activity::select(
        &events,
        &tokenscope::activity::Whose::Token {
            username: USER.to_string(),
            jti: Some(JTI.to_string()),
        },
    )
    .rows;
    let grantee = tokenscope::activity::Grantee::ServiceAccount {
        namespace: "demo".to_string(),
        name: "podgetter".to_string(),
    };
    let generated =
        tokenscope::activity::generate(&rows, &grantee, tokenscope::activity::Options::default());
    let form = tokenscope::activity::builder_form(&generated, &grantee).unwrap();
    // By default the get of one ConfigMap is limited to its name.
    assert_eq!(form.rules.len(), 2);
    assert_eq!(form.rules[0].api_groups, "\"\"");
    assert_eq!(form.rules[0].verbs, "list");
    assert_eq!(form.rules[1].verbs, "get");
    assert_eq!(form.rules[1].resource_names, "app-settings");
    let state = AppState::default()
        .apply(ActivityAction::SetEvents(String::from("x")).into())
        .apply(ActivityAction::OpenInBuilder(Box::new(form.clone())).into());
    assert_eq!(*state.rbac, form);
    let before = state.activity.input.clone();
    let state = state.apply(ActivityAction::Namespace("demo".into()).into());
    assert!(std::rc::Rc::ptr_eq(&before, &state.activity.input));
    // A second namespace does not fit the builder's one role.
    let other = tokenscope::activity::Grantee::ServiceAccount {
        namespace: "elsewhere".to_string(),
        name: "podgetter".to_string(),
    };
    let generated =
        tokenscope::activity::generate(&rows, &other, tokenscope::activity::Options::default());
    assert!(tokenscope::activity::builder_form(&generated, &other)
        .unwrap_err()
        .to_string()
        .contains("own namespace"));
}

/// Events of the podgetter account: one impersonating `alice`, a 404, and requests naming `*`.
fn risky_events() -> String {
    let event = |verb: &str, object: serde_json::Value, code: u16, uri: &str| {
        let mut ev = json!({
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete",
            "verb": verb, "requestURI": uri,
            "user": {"username": USER},
            "responseStatus": {"code": code},
            "requestReceivedTimestamp": "2026-12-01T10:00:00.000000Z",
            "annotations": {"authorization.k8s.io/decision": "allow"},
        });
        if !object.is_null() {
            ev["objectRef"] = object;
        }
        ev
    };
    let mut impersonating = event(
        "get",
        json!({"resource": "pods", "namespace": "prod", "name": "api-0"}),
        200,
        "/api/v1/namespaces/prod/pods/api-0",
    );
    impersonating["impersonatedUser"] =
        json!({"username": "alice", "groups": ["system:authenticated"]});
    [
        impersonating,
        event(
            "get",
            json!({"resource": "configmaps", "namespace": "demo", "name": "gone"}),
            404,
            "/api/v1/namespaces/demo/configmaps/gone",
        ),
        event(
            "list",
            json!({"resource": "*", "namespace": "demo"}),
            200,
            "/api/v1/namespaces/demo/*",
        ),
        event("get", serde_json::Value::Null, 200, "/*"),
        event(
            "list",
            json!({"resource": "configmaps", "namespace": "demo"}),
            200,
            "/api/v1/namespaces/demo/configmaps",
        ),
    ]
    .iter()
    .map(|e| e.to_string())
    .collect::<Vec<_>>()
    .join("\n")
}

#[tokio::test]
async fn stars_failures_and_impersonation_are_said_and_never_granted() {
    let html = render(vec![
        ActivityAction::SetSubject(USER.to_string()).into(),
        ActivityAction::SetEvents(risky_events()).into(),
    ])
    .await;
    assert_snapshot("activity_stars_failures_impersonation", &html);
    // The generated RBAC names no `*`, no object of a failed request, and grants impersonation.
    let yaml_start = html.find("Generated RBAC YAML").unwrap();
    let yaml = &html[yaml_start..];
    let yaml = &yaml[..yaml.find("</pre>").unwrap()];
    assert!(!yaml.contains('*'), "{yaml}");
    assert!(yaml.contains("impersonate"), "{yaml}");
    assert!(yaml.contains("alice"), "{yaml}");
    assert!(!yaml.contains("api-0"), "{yaml}");
    assert!(!yaml.contains("gone"), "{yaml}");
}
