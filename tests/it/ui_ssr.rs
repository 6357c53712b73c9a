//! Components rendered natively to HTML strings (Yew's `ssr`), without a browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::snapshot::{assert_snapshot, fix_clock};
use tokenscope::inspect::explain::explain;
use tokenscope::token::jwt;
use tokenscope::ui::components::{token_report, token_summary, TokenReportProps};
use yew::prelude::*;
use yew::LocalServerRenderer;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

/// The summary and the details, as the Inspect page shows them.
#[component]
fn SummaryAndDetails(props: &TokenReportProps) -> Html {
    html! {
        <>
            { token_summary(&props.report) }
            { token_report(props) }
        </>
    }
}

async fn render(token: &str, now: i64) -> String {
    fix_clock();
    let jwt = jwt::decode(token.trim()).unwrap();
    let report = explain(&jwt, now);
    LocalServerRenderer::<SummaryAndDetails>::with_props(TokenReportProps {
        jwt,
        report,
        redact: false,
        now,
    })
    .render()
    .await
}

#[tokio::test]
async fn renders_every_section_of_a_legacy_token() {
    let token = std::fs::read_to_string(format!("{VECTORS}minted/token-legacy-rs256.jwt")).unwrap();
    let html = render(&token, 1_795_416_906).await;
    assert_snapshot("inspect_report_legacy_token", &html);
}

/// The Times section starts with the token's timeline, drawn as SVG elements and named by
/// what it shows (each row of the Times table; a legacy token never expires).
#[tokio::test]
async fn the_timeline_is_svg_elements_named_by_what_it_shows() {
    let token = std::fs::read_to_string(format!("{VECTORS}minted/token-legacy-rs256.jwt")).unwrap();
    let html = render(&token, 1_795_416_906).await;
    let start = html.find("<figure class=\"picture\">").unwrap();
    let end = html[start..].find("</figure>").unwrap() + start + "</figure>".len();
    assert_snapshot("token_timeline_legacy", &html[start..end]);
}

#[tokio::test]
async fn claim_values_are_escaped() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256"}"#),
        b64(r#"{"sub":"<img src=x onerror=alert(1)>"}"#),
        b64("sig")
    );
    let html = render(&token, 0).await;
    assert!(
        !html.contains("<img"),
        "raw HTML from a claim reached the page"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

/// A bound token whose payload also holds a uid under a claim the app does not know.
fn token_with_secrets() -> (String, [&'static str; 3]) {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let uids = [
        "0b7e7c52-5d1e-4d4e-9a51-4c1f0f1a2b3c",
        "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        "c0ffee00-1234-4abc-8def-0123456789ab",
    ];
    let payload = format!(
        r#"{{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:ns:sa","jti":"{}","kubernetes.io":{{"namespace":"ns","serviceaccount":{{"name":"sa","uid":"{}"}}}},"example.com/owner":{{"kind":"Deployment","uid":"{}"}}}}"#,
        uids[0], uids[1], uids[2]
    );
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","kid":"k"}"#),
        b64(&payload),
        b64("a signature that is long enough to be a secret")
    );
    (token, uids)
}

#[tokio::test]
async fn with_redact_on_the_report_shows_no_segment_or_uid_of_the_token() {
    let (token, uids) = token_with_secrets();
    let jwt = jwt::decode(&token).unwrap();
    // As the Inspect page does: the report explains the masked copy of the token.
    let report = explain(&tokenscope::redact::jwt(&jwt), 0);
    let html = LocalServerRenderer::<SummaryAndDetails>::with_props(TokenReportProps {
        jwt: jwt.clone(),
        report,
        redact: true,
        now: 0,
    })
    .render()
    .await;
    for (what, secret) in [
        ("payload", jwt.payload_b64.as_str()),
        ("signature", jwt.signature_b64.as_str()),
        ("jti", uids[0]),
        ("service account uid", uids[1]),
        ("uid under an unknown claim", uids[2]),
    ] {
        assert!(!html.contains(secret), "the {what} is on screen");
    }
    assert!(html.contains(&jwt.header_b64), "the header is no secret");
    assert!(html.contains("system:serviceaccount:ns:sa"));
}

#[test]
fn pastes_with_line_breaks_keep_their_lines_and_one_line_tokens_wrap() {
    use tokenscope::ui::components::paste_class;
    assert_eq!(paste_class(""), None);
    assert_eq!(paste_class("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), None);
    // A token copied with blank lines around it is still one line.
    assert_eq!(paste_class("\n  eyJhbGciOiJSUzI1NiJ9.e30.c2ln\r\n"), None);
    assert_eq!(paste_class("apiVersion: v1\nkind: Config\n"), Some("lines"));
    assert_eq!(
        paste_class("-----BEGIN PUBLIC KEY-----\r\nMFkw\r\n-----END PUBLIC KEY-----"),
        Some("lines")
    );
}

// Every page, rendered natively from a state the reducer made: what a filled form shows, and
// what a bad field says. A page takes its slices and one callback, so it renders without the
// app around it; what waits for the first paint (the panels under the Token field, the token's
// details) does not render here.

mod pages {
    use std::rc::Rc;

    use tokenscope::kubeconfig::Field;
    use tokenscope::learn::demo::DemoFiles;
    use tokenscope::rbac::Preset;
    use tokenscope::ui::pages::{
        learn, rbac_builder, AccessPage, AccessPageProps, Activity, ActivityProps, Audit,
        AuditProps, CaProps, InspectProps, KubeconfigBuilderProps, LearnProps, RbacBuilderProps,
        TokenRequestProps, TroubleshootProps,
    };
    use tokenscope::ui::state::{
        AccessAction, Action, AppState, AuditAction, CaAction, CanIEdit, InspectAction,
        KubeconfigAction, RbacEdit, Slice, TokenAction, TroubleshootAction,
    };
    use yew::{BaseComponent, Callback, LocalServerRenderer};

    use super::VECTORS;
    use crate::common::pages::{Ca, Inspect, KubeconfigBuilder, TokenRequest, Troubleshoot};
    use crate::common::snapshot::{assert_snapshot, fix_clock};

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{VECTORS}{name}")).unwrap()
    }

    /// The state after `actions`, each applied as the app's reducer would.
    fn state(actions: impl IntoIterator<Item = Action>) -> AppState {
        actions
            .into_iter()
            .fold(AppState::default(), AppState::apply)
    }

    /// The demo files of this checkout, as the app fetches them.
    fn demo() -> Action {
        let json =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo/examples.json"))
                .unwrap();
        Action::DemoLoaded(Ok(Rc::new(DemoFiles::from_json(&json).unwrap())))
    }

    /// The Learn page mounted as the app mounts it.
    #[yew::component]
    fn LearnPage(props: &LearnProps) -> yew::Html {
        learn(props)
    }

    /// The RBAC builder mounted as the app mounts it.
    #[yew::component]
    fn RbacPage(props: &RbacBuilderProps) -> yew::Html {
        rbac_builder(props)
    }

    async fn render<C: BaseComponent>(props: C::Properties) -> String {
        fix_clock();
        LocalServerRenderer::<C>::with_props(props).render().await
    }

    async fn inspect(state: &AppState) -> String {
        render::<Inspect>(InspectProps {
            state: Slice::new(&state.inspect),
            ca: Slice::new(&state.ca),
            demo: Slice::new(&state.demo),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await
    }

    async fn ca(state: &AppState) -> String {
        render::<Ca>(CaProps {
            state: Slice::new(&state.ca),
            onaction: Callback::noop(),
        })
        .await
    }

    async fn kubeconfig(state: &AppState) -> String {
        render::<KubeconfigBuilder>(KubeconfigBuilderProps {
            state: Slice::new(&state.kubeconfig),
            ca: Slice::new(&state.ca),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await
    }

    async fn rbac(state: &AppState) -> String {
        render::<RbacPage>(RbacBuilderProps {
            form: Slice::new(&state.rbac),
            touched: Slice::new(&state.rbac_touched),
            onaction: Callback::noop(),
        })
        .await
    }

    async fn token_request(state: &AppState) -> String {
        render::<TokenRequest>(TokenRequestProps {
            state: Slice::new(&state.token),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await
    }

    async fn access(state: &AppState) -> String {
        render::<AccessPage>(AccessPageProps {
            state: Slice::new(&state.access),
            inspect: Slice::new(&state.inspect),
            demo: Slice::new(&state.demo),
            onaction: Callback::noop(),
        })
        .await
    }

    async fn troubleshoot(state: &AppState) -> String {
        render::<Troubleshoot>(TroubleshootProps {
            state: Slice::new(&state.troubleshoot),
            inspect: Slice::new(&state.inspect),
            access: Slice::new(&state.access),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await
    }

    async fn audit(state: &AppState) -> String {
        render::<Audit>(AuditProps {
            state: Slice::new(&state.audit),
            access: Slice::new(&state.access),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await
    }

    fn token(text: String) -> Action {
        InspectAction::SetToken(text).into()
    }

    /// Every page of the navigation renders from a fresh state, as one build has them all: a
    /// heading of its own, and no stand-in for a page or section that comes later.
    #[tokio::test]
    async fn every_page_of_the_navigation_renders_from_a_fresh_state() {
        let state = AppState::default();
        let activity = render::<Activity>(ActivityProps {
            state: Slice::new(&state.activity),
            inspect: Slice::new(&state.inspect),
            access: Slice::new(&state.access),
            redact: state.redact,
            onaction: Callback::noop(),
        })
        .await;
        let learn = render::<LearnPage>(LearnProps { step: None }).await;
        let pages = [
            ("Inspect", inspect(&state).await, "Paste"),
            ("Troubleshoot", troubleshoot(&state).await, "Error message"),
            ("CA", ca(&state).await, "Cluster CA"),
            ("Kubeconfig", kubeconfig(&state).await, "Kubeconfig"),
            (
                "Token request",
                token_request(&state).await,
                "Token request",
            ),
            ("RBAC", rbac(&state).await, "Start from a preset"),
            ("Access", access(&state).await, "Cluster RBAC"),
            ("Audit", audit(&state).await, "Secrets"),
            ("Activity", activity, "Audit events"),
            ("Learn", learn, "Guided walk"),
        ];
        for (page, html, heading) in pages {
            assert!(html.contains("<h2"), "{page}: no heading: {html}");
            assert!(html.contains(heading), "{page}: no {heading}: {html}");
            for stand_in in ["toolkit", "Could not load"] {
                assert!(!html.contains(stand_in), "{page}: {stand_in}: {html}");
            }
            let name = page.to_ascii_lowercase().replace(' ', "_");
            assert_snapshot(&format!("fresh_{name}"), &html);
        }
    }

    #[tokio::test]
    async fn inspect_shows_a_pasted_secret_recognised_and_summarised() {
        let html = inspect(&state([token(fixture("minted/secret.yaml"))])).await;
        assert_snapshot("inspect_secret", &html);
        assert!(!html.contains("What you will see"));
    }

    #[tokio::test]
    async fn inspect_says_why_a_paste_does_not_decode() {
        let html = inspect(&state([token("eyJ!.x.y".to_string())])).await;
        assert_snapshot("inspect_undecodable", &html);
        assert!(!html.contains(">Summary</h2>"));
    }

    #[tokio::test]
    async fn ca_explains_each_certificate_of_a_bundle() {
        let html = ca(&state([CaAction::Set(fixture("minted/chain.pem")).into()])).await;
        assert_snapshot("ca_chain", &html);
        assert!(!html.contains("What you will see"));
    }

    #[tokio::test]
    async fn ca_says_why_a_paste_is_not_a_certificate() {
        let html = ca(&state([
            CaAction::Set("not a certificate".to_string()).into()
        ]))
        .await;
        assert_snapshot("ca_not_a_certificate", &html);
        assert!(!html.contains(">Chain</h2>"));
    }

    fn edit(field: Field, value: &str) -> Action {
        KubeconfigAction::Edit(field, value.to_string()).into()
    }

    /// The file, its commands, and client code that verifies TLS with the CA.
    #[tokio::test]
    async fn kubeconfig_writes_the_file_its_commands_and_client_code_from_a_filled_form() {
        let html = kubeconfig(&state([
            token(fixture("minted/token-legacy-rs256.jwt")),
            CaAction::Set(fixture("minted/ca.crt")).into(),
            edit(Field::ClusterName, "prod"),
            edit(Field::Server, "https://203.0.113.10:6443"),
        ]))
        .await;
        assert_snapshot("kubeconfig_filled", &html);
    }

    #[tokio::test]
    async fn kubeconfig_says_what_is_wrong_beside_a_bad_server() {
        let html = kubeconfig(&state([
            token(fixture("minted/token-legacy-rs256.jwt")),
            edit(Field::ClusterName, "prod"),
            edit(Field::Server, "ftp://example"),
        ]))
        .await;
        assert_snapshot("kubeconfig_bad_server", &html);
        assert!(!html.contains(r#"aria-label="Kubeconfig YAML""#));
    }

    #[tokio::test]
    async fn rbac_writes_manifests_from_a_preset() {
        let html = rbac(&state([
            RbacEdit::ServiceAccount("ci-bot".to_string()).into(),
            RbacEdit::Namespace("build".to_string()).into(),
            RbacEdit::Preset(Preset::ALL[0]).into(),
        ]))
        .await;
        assert_snapshot("rbac_preset", &html);
    }

    #[tokio::test]
    async fn rbac_says_what_is_wrong_beside_a_bad_namespace() {
        let html = rbac(&state([
            RbacEdit::ServiceAccount("ci-bot".to_string()).into(),
            RbacEdit::Namespace("Not_A_Namespace".to_string()).into(),
        ]))
        .await;
        assert_snapshot("rbac_bad_namespace", &html);
        assert!(!html.contains(r#"aria-label="RBAC YAML""#));
    }

    #[tokio::test]
    async fn rbac_grants_a_group_in_two_namespaces_with_one_cluster_role() {
        let html = rbac(&state([
            RbacEdit::Subject(tokenscope::rbac::SubjectKind::Group).into(),
            RbacEdit::ServiceAccount("oidc:deployers".to_string()).into(),
            RbacEdit::Namespace("app1, app2".to_string()).into(),
            RbacEdit::Preset(Preset::ALL[0]).into(),
            RbacEdit::SharedRole(true).into(),
        ]))
        .await;
        // Which objects, and why: one place to edit.
        assert_snapshot("rbac_group_two_namespaces", &html);
        assert!(!html.contains("kind: ServiceAccount"), "{html}");
        // No token Secret for a group.
        assert!(!html.contains(r#"id="rbac-secret""#), "{html}");
    }

    fn can_i(edit: CanIEdit) -> Action {
        AccessAction::CanI(edit).into()
    }

    #[tokio::test]
    async fn access_answers_can_i_from_the_demo_rbac() {
        let html = access(&state([
            demo(),
            Action::LoadDemoRbac,
            AccessAction::SetSubject("system:serviceaccount:workshop:demo-app".to_string()).into(),
            can_i(CanIEdit::Verb("get".to_string())),
            can_i(CanIEdit::Resource("pods".to_string())),
            can_i(CanIEdit::Namespace("workshop".to_string())),
            AccessAction::GridNamespace("workshop".to_string()).into(),
        ]))
        .await;
        assert_snapshot("access_can_i_demo", &html);
        assert!(
            html.contains(r#"aria-label="Can I answer" class="status level-ok">Yes"#),
            "{html}"
        );
        // The grid of the same namespace agrees: get pods is a Yes, delete pods is not.
        assert!(html.contains(r#"aria-label="get pods: yes""#), "{html}");
        assert!(html.contains(r#"aria-label="delete pods: no""#), "{html}");
    }

    #[tokio::test]
    async fn access_says_why_a_subject_does_not_read() {
        let html = access(&state([
            demo(),
            Action::LoadDemoRbac,
            AccessAction::SetSubject("system:serviceaccount:only-a-namespace".to_string()).into(),
        ]))
        .await;
        assert_snapshot("access_not_a_service_account", &html);
        assert!(!html.contains(">Effective rules</h2>"), "{html}");
    }

    #[tokio::test]
    async fn learn_lists_every_step_and_marks_the_one_linked() {
        let step = tokenscope::learn::STEPS[1].id;
        let html = render::<LearnPage>(LearnProps {
            step: Some(step.to_string()),
        })
        .await;
        assert_snapshot("learn_second_step", &html);
        let current = html
            .split("<section")
            .filter(|s| s.contains(r#"class="step current""#));
        let current: Vec<&str> = current.collect();
        assert_eq!(current.len(), 1, "{html}");
        assert!(current[0].starts_with(&format!(r#" id="step-{step}""#)));
    }

    #[tokio::test]
    async fn troubleshoot_explains_the_walks_403_with_its_fix_and_the_pasted_rbac() {
        let html = troubleshoot(&state([
            demo(),
            Action::LoadDemoRbac,
            Action::LoadExample("forbidden".to_string()),
        ]))
        .await;
        assert_snapshot("troubleshoot_demo_403", &html);
    }

    /// A dump of two token Secrets: one of `default` in `kube-system`, one of `app` in `dev`
    /// whose token decodes (key ID `key-1`).
    fn dump() -> Action {
        let secret = |ns: &str, sa: &str, name: &str, token: &str| {
            format!(
                r#"{{"kind":"Secret","type":"kubernetes.io/service-account-token","metadata":{{"name":"{name}","namespace":"{ns}","creationTimestamp":"2020-01-01T00:00:00Z","annotations":{{"kubernetes.io/service-account.name":"{sa}"}},"labels":{{"kubernetes.io/legacy-token-last-used":"2026-11-20"}}}},"data":{{"token":"{token}"}}}}"#
            )
        };
        let text = format!(
            r#"{{"kind":"List","items":[{},{}]}}"#,
            secret(
                "kube-system",
                "default",
                "default-token-bcdfg",
                "bm90IGEgand0"
            ),
            secret("dev", "app", "app-token-xyz42", AUDIT_TOKEN),
        );
        AuditAction::SetInput {
            text,
            now: 1_795_416_846,
        }
        .into()
    }

    const AUDIT_TOKEN: &str = "ZXlKaGJHY2lPaUFpVWxNeU5UWWlMQ0FpYTJsa0lqb2dJbXRsZVMweEluMC5leUpwYzNNaU9pQWlhM1ZpWlhKdVpYUmxjeTl6WlhKMmFXTmxZV05qYjNWdWRDSXNJQ0p6ZFdJaU9pQWljM2x6ZEdWdE9uTmxjblpwWTJWaFkyTnZkVzUwT21SbGRqcGhjSEFpZlEuYzJsbmJtRjBkWEps";

    #[tokio::test]
    async fn audit_shows_the_summary_the_table_and_a_plan_for_the_selection() {
        let html = audit(&state([dump(), AuditAction::Select(1, true).into()])).await;
        // What the page shows past the field, which holds the dump as pasted.
        let html = html.split("</textarea>").nth(1).unwrap();
        assert_snapshot("audit_dump_selected", html);
        assert!(
            !html.contains(AUDIT_TOKEN) && !html.contains("eyJhbGci"),
            "{html}"
        );
        assert!(!html.contains("Worst grant"), "{html}");
        assert!(!html.contains("Copies the real script"), "{html}");
    }

    #[tokio::test]
    async fn audit_writes_the_script_of_the_first_selected_and_downloads_all_of_them() {
        let items: Vec<String> = (0..250)
            .map(|i| format!(r#"{{"kind":"Secret","type":"kubernetes.io/service-account-token","metadata":{{"name":"sa-{i}-token-bcdfg","namespace":"dev","annotations":{{"kubernetes.io/service-account.name":"sa-{i}"}}}}}}"#))
            .collect();
        let text = format!(r#"{{"kind":"List","items":[{}]}}"#, items.join(","));
        let input = AuditAction::SetInput {
            text,
            now: 1_795_416_846,
        };
        let html = audit(&state([input.into(), AuditAction::SelectAll(true).into()])).await;
        let html = html.split("</textarea>").nth(1).unwrap();
        assert!(html.contains("For 250 selected tokens."), "{html}");
        assert!(html.contains("Download migration script"), "{html}");
        assert!(!html.contains("Copy migration script"), "{html}");
        assert_eq!(html.matches("kubectl create token").count(), 200, "{html}");
    }

    #[tokio::test]
    async fn audit_masks_names_with_redact_on_and_ranks_by_worst_grant_with_rbac() {
        let html = audit(&state([
            dump(),
            Action::Redact(true),
            AuditAction::SelectAll(true).into(),
        ]))
        .await;
        let html = html.split("</textarea>").nth(1).unwrap();
        // Copy gives the real script, and the page says so beside the button.
        assert_snapshot("audit_redacted", html);
        assert!(!html.contains("default-token-bcdfg"), "{html}");
        let rbac = r#"{"kind":"List","items":[
            {"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"all"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]},
            {"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"app","namespace":"dev"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"all"},"subjects":[{"kind":"ServiceAccount","name":"app"}]}]}"#;
        let html = audit(&state([
            dump(),
            AccessAction::SetPolicy(rbac.to_string()).into(),
        ]))
        .await;
        let html = html.split("</textarea>").nth(1).unwrap();
        assert_snapshot("audit_worst_grant", html);
        let (app, default) = (
            html.find("app-token-xyz42").unwrap(),
            html.find("default-token-bcdfg").unwrap(),
        );
        assert!(app < default, "the riskier token first: {html}");
    }

    #[tokio::test]
    async fn access_lists_who_can_with_a_button_to_ask_can_i() {
        let who = |edit: CanIEdit| Action::from(AccessAction::WhoCan(edit));
        let state = state([
            demo(),
            Action::LoadDemoRbac,
            who(CanIEdit::Verb("get".to_string())),
            who(CanIEdit::Resource("pods".to_string())),
            who(CanIEdit::Namespace("workshop".to_string())),
        ]);
        let html = access(&state).await;
        assert_snapshot("access_who_can", &html);
        let asked = state.apply(
            AccessAction::AskAs("system:serviceaccount:workshop:demo-app".to_string()).into(),
        );
        let html = access(&asked).await;
        assert_snapshot("access_who_can_asked", &html);
    }

    #[tokio::test]
    async fn troubleshoot_checks_a_401_and_says_what_it_did_not_recognise() {
        let html = troubleshoot(&state([TroubleshootAction::SetError(
            "error: You must be logged in to the server (Unauthorized)".to_string(),
        )
        .into()]))
        .await;
        assert_snapshot("troubleshoot_401", &html);
        let html = troubleshoot(&state([TroubleshootAction::SetError(
            "something else entirely".to_string(),
        )
        .into()]))
        .await;
        assert_snapshot("troubleshoot_not_recognised", &html);
    }

    /// A fresh form hints at what is required and scolds for nothing; an edited field that is
    /// still wrong, or a press of **Show what is missing**, makes its problem an error.
    fn assert_hints_only(html: &str) {
        assert!(html.contains("field-hint"), "{html}");
        assert!(!html.contains("field-error"), "{html}");
        assert!(!html.contains(r#"role="alert""#), "{html}");
        assert!(html.contains("Not written yet: fill in "), "{html}");
        assert!(html.contains(">Show what is missing</button>"), "{html}");
    }

    #[tokio::test]
    async fn kubeconfig_opens_with_hints_and_shows_errors_once_edited() {
        assert_hints_only(&kubeconfig(&AppState::default()).await);
        let html = kubeconfig(&state([edit(Field::ClusterName, "")])).await;
        assert_snapshot("kubeconfig_empty_cluster_name", &html);
        assert!(html.contains(r#"role="alert""#), "{html}");
        let asked = kubeconfig(&state([KubeconfigAction::Ask.into()])).await;
        assert!(asked.contains("field-error"), "{asked}");
    }

    #[tokio::test]
    async fn rbac_opens_with_hints_and_shows_errors_once_edited() {
        assert_hints_only(&rbac(&AppState::default()).await);
        let html = rbac(&state([RbacEdit::ServiceAccount(String::new()).into()])).await;
        assert!(html.contains(r#"field-error">"#), "{html}");
        assert!(html.contains(r#"role="alert""#), "{html}");
        let asked = rbac(&state([RbacEdit::Ask.into()])).await;
        assert!(asked.contains("field-error"), "{asked}");
    }

    fn token_edit(field: tokenscope::token_request::Field, value: &str) -> Action {
        TokenAction::Edit(field, value.to_string()).into()
    }

    #[tokio::test]
    async fn token_request_opens_with_hints_and_shows_errors_once_edited() {
        use tokenscope::token_request::Field;
        assert_hints_only(&token_request(&AppState::default()).await);
        let html = token_request(&state([token_edit(Field::ServiceAccount, "")])).await;
        assert_snapshot("token_request_empty_service_account", &html);
        assert!(html.contains(r#"role="alert""#), "{html}");
        // A bad duration typed is an error at once.
        let html = token_request(&state([token_edit(Field::Duration, "5m")])).await;
        assert_snapshot("token_request_bad_duration", &html);
    }

    #[tokio::test]
    async fn token_request_writes_every_output_and_a_marked_preview() {
        use tokenscope::token_request::{BoundKind, Field};
        let uid = "0b7e7c52-5d1e-4d4e-9a51-4c1f0f1a2b3c";
        let filled = [
            token_edit(Field::ServiceAccount, "app"),
            token_edit(Field::Namespace, "demo"),
            token_edit(Field::Duration, "2h"),
            TokenAction::Bound(Some(BoundKind::Pod)).into(),
            token_edit(Field::BoundName, "app-0"),
            token_edit(Field::BoundUid, uid),
        ];
        let html = token_request(&state(filled.clone())).await;
        assert_snapshot("token_request_filled", &html);
        // A preview is not a token: nothing says its signature is still to be checked.
        assert!(!html.contains("Signature not checked yet"), "{html}");
        assert!(!html.contains(">Segments</h2>"), "{html}");
        // Redact masks the bound uid in every output and in the preview.
        let mut redacted = state(filled);
        redacted.redact = true;
        let html = token_request(&redacted).await;
        // The field keeps what was typed; every output after it is masked.
        let outputs = html.split(r#"id="tr-out-h""#).nth(1).unwrap();
        assert!(!outputs.contains(uid), "{outputs}");
        assert!(!outputs.contains("0b7e7c52-"), "{outputs}");
        assert_snapshot("token_request_redacted", &html);
    }

    /// An EKS IRSA token (unsigned, made for this test): issuer and audience of the cloud.
    const IRSA_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRlbW8ifQ.eyJhdWQiOlsic3RzLmFtYXpvbmF3cy5jb20iXSwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3NjcyMjU2MDAsImlzcyI6Imh0dHBzOi8vb2lkYy5la3MuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vaWQvRVhBTVBMRUQ1MzlENDYzM0U1M0RFMUI3MUVYQU1QTEUiLCJrdWJlcm5ldGVzLmlvIjp7Im5hbWVzcGFjZSI6InNob3AiLCJwb2QiOnsibmFtZSI6ImNhcnQtN2Q5ZiIsInVpZCI6IjBiMWMyZDNlLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSJ9LCJzZXJ2aWNlYWNjb3VudCI6eyJuYW1lIjoiY2FydCIsInVpZCI6IjBiMWMyZDNlLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMiJ9fSwibmJmIjoxNzY3MjI1NjAwLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6c2hvcDpjYXJ0In0.bm90LWEtcmVhbC1zaWduYXR1cmU";

    #[tokio::test]
    async fn inspect_explains_a_token_made_for_a_cloud() {
        let html = inspect(&state([token(IRSA_TOKEN.to_string())])).await;
        assert_snapshot("inspect_cloud_token", &html);
        let plain = inspect(&state([token(fixture("minted/token-legacy-rs256.jwt"))])).await;
        assert!(!plain.contains("Made for a cloud"), "{plain}");
    }

    /// Native render times of Access and Audit with an 8 MiB dump read as a file
    /// (`/tmp/rbac8.yaml` and `/tmp/secrets8.json`, written by tests/e2e/dumps.mjs; by hand).
    #[tokio::test]
    #[ignore = "a timing, not a test: run by hand"]
    async fn big_dump_render_timed() {
        use tokenscope::ui::state::FileEvent;
        let (Ok(rbac), Ok(secrets)) = (
            std::fs::read("/tmp/rbac8.yaml"),
            std::fs::read("/tmp/secrets8.json"),
        ) else {
            return;
        };
        let mut actions: Vec<Action> =
            vec![AccessAction::File(FileEvent::Started("r".into(), 1)).into()];
        actions.extend(
            rbac.chunks(1 << 17)
                .map(|c| AccessAction::File(FileEvent::Chunk(c.to_vec())).into()),
        );
        actions.push(AccessAction::File(FileEvent::Done).into());
        actions.push(AccessAction::SetSubject("system:serviceaccount:team-042:app".into()).into());
        let now = 1_780_000_000;
        actions.push(
            AuditAction::File {
                event: FileEvent::Started("s".into(), 1),
                now,
            }
            .into(),
        );
        actions.extend(secrets.chunks(1 << 17).map(|c| {
            AuditAction::File {
                event: FileEvent::Chunk(c.to_vec()),
                now,
            }
            .into()
        }));
        actions.push(
            AuditAction::File {
                event: FileEvent::Done,
                now,
            }
            .into(),
        );
        let start = std::time::Instant::now();
        let state = state(actions);
        let read = start.elapsed();
        let start = std::time::Instant::now();
        let html = access(&state).await;
        let rendered = start.elapsed();
        let start = std::time::Instant::now();
        let audit_html = audit(&state).await;
        let audit_rendered = start.elapsed();
        std::fs::write("/tmp/access8.html", &html).unwrap();
        std::fs::write("/tmp/audit8.html", &audit_html).unwrap();
        println!(
            "read {read:?}; access render {rendered:?} ({} bytes); audit render {audit_rendered:?} ({} bytes)",
            html.len(),
            audit_html.len()
        );
    }
}
