//! The reducer, applied natively: what each action changes, and what it leaves alone.

use super::*;
use crate::crypto::keys::{Plan, VerifyStatus};
use crate::kubeconfig::{Field, KubeconfigForm};

const SECRET: &str = "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\ndata:\n  token: ZXlKaGJHY2lPaUp1YjI1bEluMC5leUp6ZFdJaU9pSjRJbjAu\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n";
const UNSIGNED: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";

#[test]
fn a_secret_fills_the_ca_field_and_decodes() {
    let state =
        AppState::default().apply(Action::Inspect(InspectAction::SetToken(SECRET.to_string())));
    assert_eq!(state.ca.input, "-----BEGIN CERTIFICATE-----\n");
    assert!(matches!(state.ca.bundle, Some(Err(_))));
    assert!(matches!(state.inspect.decoded, Some(Ok(_))));
}

#[test]
fn empty_input_is_not_an_error() {
    let state =
        AppState::default().apply(Action::Inspect(InspectAction::SetToken("  \n".to_string())));
    assert_eq!(state.inspect.recognised, None);
    assert_eq!(state.inspect.decoded, None);
}

#[test]
fn a_bad_paste_then_a_good_one_recovers() {
    let state = AppState::default()
        .apply(Action::Inspect(InspectAction::SetToken(
            "eyJ!.x.y".to_string(),
        )))
        .apply(Action::Inspect(InspectAction::SetToken(
            UNSIGNED.to_string(),
        )));
    assert!(matches!(state.inspect.decoded, Some(Ok(_))));
}

#[test]
fn clear_keeps_key_and_ca_but_forgets_the_token() {
    let state = AppState::default()
        .apply(Action::Inspect(InspectAction::SetToken(SECRET.to_string())))
        .apply(Action::Inspect(InspectAction::SetKey(
            "not a key".to_string(),
        )))
        .apply(Action::Inspect(InspectAction::Clear));
    assert_eq!(state.inspect.token_input, "");
    assert_eq!(state.inspect.decoded, None);
    assert!(!state.ca.input.is_empty());
    assert_eq!(state.inspect.key_input, "not a key");
}

#[test]
fn clear_forgets_the_token_and_what_came_with_it_and_nothing_else() {
    let before = with_demo()
        .apply(Action::Redact(true))
        .apply(Action::Rbac(RbacEdit::ServiceAccount("kept".to_string())))
        .apply(Action::Rbac(RbacEdit::TokenSecret(true)))
        .apply(Action::LoadDemoRbac)
        .apply(Action::Access(AccessAction::SetSubject(
            "system:serviceaccount:demo:kept".to_string(),
        )))
        .apply(Action::Access(AccessAction::CanI(CanIEdit::Verb(
            "get".to_string(),
        ))))
        .apply(Action::Kubeconfig(KubeconfigAction::Edit(
            Field::ClusterName,
            "prod".to_string(),
        )))
        .apply(Action::Kubeconfig(KubeconfigAction::Edit(
            Field::Server,
            "https://k:6443".to_string(),
        )))
        .apply(Action::LoadExample("bound".to_string()))
        .apply(Action::Inspect(InspectAction::SetToken(SECRET.to_string())));
    assert!(matches!(before.inspect.decoded, Some(Ok(_))));
    assert!(matches!(before.access.policy, Some(Ok(_))));
    assert_eq!(before.access.can_i.verb, "get");
    assert_eq!(before.kubeconfig.form.token, UNSIGNED);
    let after = before.clone().apply(Action::Inspect(InspectAction::Clear));
    assert!(after.inspect.verify_generation > before.inspect.verify_generation);
    let expected = AppState {
        inspect: Rc::new(InspectState {
            token_input: String::new(),
            recognised: None,
            chosen: 0,
            decoded: None,
            plan: None,
            verification: None,
            verify_generation: after.inspect.verify_generation,
            ..(*before.inspect).clone()
        }),
        kubeconfig: Rc::new(KubeconfigState {
            form: KubeconfigForm {
                token: String::new(),
                ..before.kubeconfig.form.clone()
            },
            token: None,
            ..(*before.kubeconfig).clone()
        }),
        demo: Rc::new(DemoState {
            example: None,
            ..(*before.demo).clone()
        }),
        ..before.clone()
    };
    // Only the slices the action changes are copied; the others are the very same.
    assert!(Rc::ptr_eq(&after.ca, &before.ca));
    assert!(Rc::ptr_eq(&after.access, &before.access));
    assert!(Rc::ptr_eq(&after.rbac, &before.rbac));
    assert_eq!(after, expected);
}

#[test]
fn clear_keeps_a_kubeconfig_token_typed_by_hand_and_cancels_a_waiting_example() {
    let state = AppState::default()
        .apply(Action::Inspect(InspectAction::SetToken(
            UNSIGNED.to_string(),
        )))
        .apply(Action::Kubeconfig(KubeconfigAction::Edit(
            Field::Token,
            "typed".to_string(),
        )))
        .apply(Action::LoadExample("bound".to_string()))
        .apply(Action::LoadDemoRbac)
        .apply(Action::Inspect(InspectAction::Clear));
    assert_eq!(state.kubeconfig.form.token, "typed");
    assert_eq!(state.demo.wanted.example, None);
    assert!(
        state.demo.wanted.rbac,
        "the demo RBAC still waits for the demo files"
    );
    let state = state.apply(Action::DemoLoaded(Ok(demo())));
    assert!(state.inspect.token_input.is_empty());
    assert!(!state.access.input.is_empty());
}

#[test]
fn an_unsigned_token_is_unsigned_without_any_key() {
    let state = AppState::default().apply(Action::Inspect(InspectAction::SetToken(
        UNSIGNED.to_string(),
    )));
    assert_eq!(state.inspect.verification, Some(VerifyStatus::Unsigned));
}

#[test]
fn the_inspected_token_goes_to_the_kubeconfig_builder_until_typed_over() {
    let state =
        AppState::default().apply(Action::Inspect(InspectAction::SetToken(SECRET.to_string())));
    assert_eq!(state.kubeconfig.form.token, UNSIGNED);
    let state = state.apply(Action::Kubeconfig(KubeconfigAction::Edit(
        Field::Token,
        "typed".to_string(),
    )));
    assert_eq!(state.kubeconfig.form.token, "typed");
}

#[test]
fn a_loaded_kubeconfig_fills_the_form_and_the_shared_ca() {
    let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k:6443\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\nusers:\n- name: u\n  user:\n    token: abc\ncontexts:\n- name: u@c\n  context:\n    cluster: c\n    user: u\ncurrent-context: u@c\n";
    let state =
        AppState::default().apply(Action::Kubeconfig(KubeconfigAction::Load(text.to_string())));
    assert!(
        matches!(state.kubeconfig.loaded, Some(Ok(_))),
        "{:?}",
        state.kubeconfig.loaded
    );
    assert_eq!(state.kubeconfig.form.server, "https://k:6443");
    assert_eq!(state.kubeconfig.form.token, "abc");
    assert_eq!(state.ca.input, "-----BEGIN CERTIFICATE-----\n");
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
    assert_eq!(state.demo.example, Some("bound"));
    assert!(matches!(state.inspect.decoded, Some(Ok(_))));
    assert!(matches!(state.inspect.keys, Some(Ok(_))));
    assert!(matches!(&state.ca.bundle, Some(Ok(b)) if b.certs.len() == 2));
    assert!(matches!(state.inspect.plan, Some(Plan::Check { .. })));
    let state = state.apply(Action::LoadExample("no-such".to_string()));
    assert_eq!(state.demo.example, Some("bound"));
}

#[test]
fn an_example_pressed_before_the_demo_files_arrive_loads_when_they_do() {
    let state = AppState::default()
        .apply(Action::LoadExample("no-such".to_string()))
        .apply(Action::LoadExample("legacy".to_string()))
        .apply(Action::LoadExample("es256".to_string()))
        .apply(Action::LoadDemoRbac);
    assert_eq!(
        state.demo.wanted,
        DemoWanted {
            example: Some("es256"),
            rbac: true,
            ahead: false
        }
    );
    assert!(state.inspect.token_input.is_empty() && state.access.input.is_empty());
    let state = state.apply(Action::DemoLoaded(Ok(demo())));
    assert!(!state.demo.wanted.any());
    assert_eq!(state.demo.example, Some("es256"));
    assert_eq!(state.inspect.token_input, demo().file("es256.jwt"));
    assert_eq!(state.access.input, demo().file(examples::RBAC));
    assert!(matches!(state.access.policy, Some(Ok(_))));
}

#[test]
fn demo_files_that_cannot_be_had_say_why_and_wait_no_more() {
    let state = AppState::default()
        .apply(Action::LoadExample("bound".to_string()))
        .apply(Action::DemoLoaded(Err(DemoUnavailable(
            "offline".to_string(),
        ))));
    assert!(!state.demo.wanted.any());
    assert_eq!(state.demo.error.as_deref(), Some("offline"));
    assert!(state.inspect.token_input.is_empty());
    // Pressed again, it asks again.
    let state = state.apply(Action::LoadExample("bound".to_string()));
    assert!(state.demo.wanted.any());
    // A fetch ahead that fails is no news: nobody asked.
    let state = AppState::default()
        .apply(Action::FetchDemoAhead)
        .apply(Action::DemoLoaded(Err(DemoUnavailable(
            "offline".to_string(),
        ))));
    assert!(!state.demo.wanted.any() && state.demo.error.is_none());
    assert!(!with_demo().apply(Action::FetchDemoAhead).demo.wanted.any());
}

#[test]
fn clear_keeps_the_demo_files() {
    let state = with_demo()
        .apply(Action::LoadExample("bound".to_string()))
        .apply(Action::Inspect(InspectAction::Clear));
    assert!(state.inspect.token_input.is_empty());
    assert_eq!(state.demo.files, Some(demo()));
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
    let state = AppState::default().apply(Action::Inspect(InspectAction::SetToken(
        UNSIGNED.to_string(),
    )));
    let stale = state.inspect.verify_generation;
    let state = state
        .apply(Action::Inspect(InspectAction::SetToken(
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln".to_string(),
        )))
        .apply(Action::Inspect(InspectAction::Verified {
            generation: stale,
            outcomes: vec![(0, Ok(true))],
        }));
    assert_eq!(state.inspect.verification, None);
}

#[test]
fn each_link_of_the_chain_carries_its_answer_and_a_stale_answer_is_ignored() {
    let state = with_demo().apply(Action::LoadExample("bound".to_string()));
    let links = state.ca.links.len();
    assert!(links > 0, "the demo bundle chains");
    assert!(state.ca.links.iter().all(|l| l.result.is_none()));
    let stale = state.ca.generation;
    let answers = |generation| {
        Action::Ca(CaAction::LinksChecked {
            generation,
            results: vec![Ok(true); links],
        })
    };
    let again = Action::Ca(CaAction::Set(state.ca.input.clone()));
    let state = state.apply(again).apply(answers(stale));
    assert!(state.ca.links.iter().all(|l| l.result.is_none()));
    let generation = state.ca.generation;
    let state = state.apply(answers(generation));
    assert!(state.ca.links.iter().all(|l| l.result == Some(Ok(true))));
}

#[test]
fn can_i_fields_are_kept_by_name() {
    let state = [
        CanIEdit::Verb("get".to_string()),
        CanIEdit::Resource("pods".to_string()),
        CanIEdit::Namespace("demo".to_string()),
        CanIEdit::Name("web".to_string()),
    ]
    .into_iter()
    .fold(AppState::default(), |state, edit| {
        state.apply(Action::Access(AccessAction::CanI(edit)))
    });
    assert_eq!(
        state.access.can_i,
        CanIForm {
            verb: "get".to_string(),
            resource: "pods".to_string(),
            namespace: "demo".to_string(),
            name: "web".to_string(),
        }
    );
}

#[test]
fn an_action_copies_only_the_slices_it_changes() {
    let before = with_demo().apply(Action::LoadExample("bound".to_string()));
    let after = before
        .clone()
        .apply(Action::Rbac(RbacEdit::Namespace("ns".to_string())));
    assert_eq!(after.rbac.namespace, "ns");
    assert!(!Rc::ptr_eq(&after.rbac, &before.rbac));
    assert!(Rc::ptr_eq(&after.inspect, &before.inspect));
    assert!(Rc::ptr_eq(&after.ca, &before.ca));
    assert!(Rc::ptr_eq(&after.kubeconfig, &before.kubeconfig));
    assert!(Rc::ptr_eq(&after.access, &before.access));
    assert!(Rc::ptr_eq(&after.demo, &before.demo));
}

#[test]
fn show_what_this_grants_fills_cluster_rbac_anew_and_the_subject() {
    let state = AppState::default().apply(Action::Access(AccessAction::Show {
        rbac: "kind: Role\nmetadata:\n  name: r\n  namespace: n\n".to_string(),
        subject: "system:serviceaccount:n:sa".to_string(),
    }));
    assert_eq!(state.access.filled, 1);
    assert_eq!(state.access.subject_input, "system:serviceaccount:n:sa");
    assert!(matches!(state.access.policy, Some(Ok(_))));
}

#[test]
fn troubleshoot_reads_the_error_once_and_the_walks_example_fills_it() {
    let state = AppState::default().apply(Action::LoadExample("forbidden".to_string()));
    assert_eq!(state.troubleshoot.input, crate::learn::FORBIDDEN);
    assert_eq!(state.troubleshoot.filled, 1);
    assert!(matches!(
        state.troubleshoot.diagnosis,
        Some(crate::troubleshoot::Diagnosis::Forbidden(_))
    ));
    // Nothing else is filled, and no demo file is waited for.
    assert_eq!(state.demo.wanted, DemoWanted::default());
    let state = state.apply(TroubleshootAction::SetError(" ".to_string()).into());
    assert_eq!(state.troubleshoot.diagnosis, None);
    let state = state.apply(TroubleshootAction::SetRelated("kind: [".to_string()).into());
    assert!(state.troubleshoot.related_error.is_some());
    let state = state.apply(
        TroubleshootAction::SetRelated("issuer: https://x\njwks_uri: https://x/j\n".to_string())
            .into(),
    );
    assert_eq!(state.troubleshoot.related_error, None);
    assert_eq!(
        state.troubleshoot.related.issuer.as_deref(),
        Some("https://x")
    );
}

#[test]
fn token_form_follows_the_bound_fields_and_keeps_them_across_kinds() {
    use crate::token_request::{BoundKind, Field as T};
    let state = AppState::default()
        .apply(TokenAction::Edit(T::BoundName, "app-0".to_string()).into())
        .apply(TokenAction::Edit(T::BoundUid, "u-1".to_string()).into());
    assert_eq!(state.token.form.bound, None);
    let state = state.apply(TokenAction::Bound(Some(BoundKind::Secret)).into());
    let bound = state.token.form.bound.as_ref();
    assert_eq!(
        bound.map(|b| (b.kind, b.name.as_str(), b.uid.as_deref())),
        Some((BoundKind::Secret, "app-0", Some("u-1")))
    );
    let state = state
        .apply(TokenAction::Bound(None).into())
        .apply(TokenAction::Bound(Some(BoundKind::Node)).into());
    assert_eq!(
        state.token.form.bound.as_ref().map(|b| b.name.as_str()),
        Some("app-0")
    );
}

#[test]
fn touched_fields_are_remembered_per_page() {
    use crate::rbac::Field as R;
    use crate::token_request::Field as T;
    let state = AppState::default();
    assert!(!state.token.touched.has(token_field_key(T::Namespace)));
    let state = state
        .apply(TokenAction::Edit(T::Namespace, String::new()).into())
        .apply(RbacEdit::Rule(R::Verbs(2), "get".to_string()).into())
        .apply(KubeconfigAction::Edit(Field::Server, String::new()).into());
    assert!(state.token.touched.has(token_field_key(T::Namespace)));
    assert!(!state.token.touched.has(token_field_key(T::ServiceAccount)));
    assert!(state.rbac_touched.has(rbac_field_key(R::Resources(2))));
    assert!(!state.rbac_touched.has(rbac_field_key(R::Verbs(1))));
    assert!(!state.rbac_touched.has(rbac_field_key(R::ServiceAccount)));
    assert!(state
        .kubeconfig
        .touched
        .has(kubeconfig_field_key(Field::Server)));
    assert!(!state
        .kubeconfig
        .touched
        .has(kubeconfig_field_key(Field::ClusterName)));
    // Asking for the output makes every field's problem an error; rows far down share a bit.
    let state = state
        .apply(TokenAction::Ask.into())
        .apply(RbacEdit::Ask.into())
        .apply(KubeconfigAction::Ask.into());
    assert!(state.token.touched.has(token_field_key(T::ServiceAccount)));
    assert!(state.rbac_touched.has(rbac_field_key(R::ServiceAccount)));
    assert!(state
        .kubeconfig
        .touched
        .has(kubeconfig_field_key(Field::ClusterName)));
    let mut far = Touched::default();
    far.touch(rbac_field_key(R::Verbs(usize::MAX)));
    assert!(far.has(rbac_field_key(R::Verbs(1000))));
    assert_eq!(far.class(0), "field-hint");
    assert_eq!(far.class(63), "field-error");
}

/// Two token Secrets made in 2020 and never used, as `kubectl get secrets -o yaml` lists them.
const DUMP: &str = "kind: List\nitems:\n- kind: Secret\n  type: kubernetes.io/service-account-token\n  metadata: {name: a-token-bcdfg, namespace: dev, creationTimestamp: '2020-01-01T00:00:00Z', annotations: {kubernetes.io/service-account.name: a}}\n- kind: Secret\n  type: kubernetes.io/service-account-token\n  metadata: {name: b-token-bcdfg, namespace: dev, creationTimestamp: '2020-01-01T00:00:00Z', annotations: {kubernetes.io/service-account.name: b}}\n";
/// 2026-11-23T06:54:06Z.
const NOW: UnixSeconds = 1_795_416_846;

fn audited(actions: Vec<AuditAction>) -> AppState {
    actions
        .into_iter()
        .fold(AppState::default(), |s, a| s.apply(Action::Audit(a)))
}

fn paste_dump() -> AuditAction {
    AuditAction::SetInput {
        text: DUMP.to_string(),
        now: NOW,
    }
}

#[test]
fn a_dump_is_read_once_and_a_new_one_clears_the_selection() {
    let state = audited(vec![paste_dump(), AuditAction::Select(1, true)]);
    let Some(Ok(audit)) = &state.audit.audit else {
        panic!("{:?}", state.audit.audit);
    };
    assert_eq!(audit.rows.len(), 2);
    assert_eq!(state.audit.selected, [false, true]);
    assert_eq!(&*state.audit.input, DUMP);
    let again = state.apply(Action::Audit(paste_dump()));
    assert_eq!(again.audit.selected, [false, false]);
    assert_eq!(again.audit.generation, 2);
    let all = again.apply(Action::Audit(AuditAction::SelectAll(true)));
    assert_eq!(all.audit.selected, [true, true]);
    let cleared = all.apply(Action::Audit(AuditAction::SetInput {
        text: " \n".to_string(),
        now: NOW,
    }));
    assert_eq!(cleared.audit.audit, None);
    assert!(cleared.audit.selected.is_empty());
}

#[test]
fn the_period_moves_the_dates_and_a_bad_one_keeps_the_last() {
    let deletes = |state: &AppState| match &state.audit.audit {
        Some(Ok(audit)) => audit.rows.first().and_then(|r| r.cleanup.deletes),
        _ => None,
    };
    let default = audited(vec![paste_dump()]);
    let short = default.clone().apply(Action::Audit(AuditAction::SetPeriod {
        text: "30".to_string(),
        now: NOW,
    }));
    assert!(deletes(&short) < deletes(&default));
    let bad = short.clone().apply(Action::Audit(AuditAction::SetPeriod {
        text: "0".to_string(),
        now: NOW,
    }));
    assert!(bad.audit.options().is_err());
    assert_eq!(deletes(&bad), deletes(&short));
    // A dump pasted under the 30 days is read under them.
    let read = short.apply(Action::Audit(paste_dump()));
    assert_eq!(deletes(&read), deletes(&bad));
}

#[test]
fn ask_can_i_as_puts_the_who_can_query_and_the_subject_into_can_i() {
    let state = AppState::default()
        .apply(Action::Access(AccessAction::WhoCan(CanIEdit::Verb(
            "get".to_string(),
        ))))
        .apply(Action::Access(AccessAction::WhoCan(CanIEdit::Resource(
            "pods".to_string(),
        ))))
        .apply(Action::Access(AccessAction::AskAs(
            "user:alice".to_string(),
        )));
    assert_eq!(state.access.subject_input, "user:alice");
    assert_eq!(state.access.can_i.verb, "get");
    assert_eq!(state.access.can_i.resource, "pods");
}

#[test]
fn the_inspected_tokens_subject_is_its_service_account_or_none() {
    let state = with_demo().apply(Action::LoadExample("bound".to_string()));
    let identity = state.inspect.identity();
    let subject = state.inspect.subject();
    assert!(subject
        .as_ref()
        .is_some_and(|s| s.user.starts_with("system:serviceaccount:")));
    assert_eq!(
        subject.as_ref().map(|s| &s.user),
        identity.as_ref().map(|i| &i.username)
    );
    assert_eq!(subject.map(|s| s.groups), identity.map(|i| i.groups));
    // A token that names no service account has claims but no subject; no token has neither.
    let other = AppState::default().apply(Action::Inspect(InspectAction::SetToken(
        UNSIGNED.to_string(),
    )));
    assert!(other.inspect.claims().is_some());
    assert_eq!(other.inspect.subject(), None);
    assert_eq!(AppState::default().inspect.claims(), None);
}
