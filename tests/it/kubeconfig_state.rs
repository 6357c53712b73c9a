//! The kubeconfig builder as the page runs it: from the token and CA its state decoded once,
//! never from their texts again. Whatever the user does (paste into Inspect, type a token,
//! load a kubeconfig, clear), the state's decoded token is the decoding of the form's token,
//! and the output is byte for byte what the builder writes from the texts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::vector;
use tokenscope::kubeconfig::{self, Field, KubeconfigForm};
use tokenscope::ui::state::{Action, AppState, CaAction, InspectAction, KubeconfigAction};

const NOW: i64 = 1_795_417_200;

/// The state after each of `actions`, in turn.
fn states(actions: Vec<Action>) -> Vec<AppState> {
    let mut state = AppState::default();
    let mut seen = Vec::new();
    for action in actions {
        state = state.apply(action);
        seen.push(state.clone());
    }
    seen
}

fn edit(field: Field, value: &str) -> Action {
    KubeconfigAction::Edit(field, value.to_string()).into()
}

/// What the page builds from the state agrees with what the builder writes from the texts.
fn assert_read_once(state: &AppState, step: usize) {
    let k = &state.kubeconfig;
    assert_eq!(
        k.token,
        kubeconfig::read_token(&k.form.token),
        "step {step}: the decoded token is not the form's"
    );
    let texts = KubeconfigForm {
        ca: state.ca.input.clone(),
        ..k.form.clone()
    };
    let read = k.read(&state.ca);
    assert_eq!(
        kubeconfig::build_from(&k.form, read, NOW),
        kubeconfig::build(&texts, NOW),
        "step {step}"
    );
    assert_eq!(
        kubeconfig::defaults_from(&k.form, read),
        kubeconfig::defaults(&texts),
        "step {step}"
    );
}

#[test]
fn every_step_builds_from_the_decoded_token_and_ca_what_the_texts_build() {
    let real_token = vector("real/tokens/bound/kubeadm-v1.28-pod-warnafter-bradshaw.jwt");
    let actions = vec![
        // The inspector's token, and a Secret bringing its own CA and namespace.
        InspectAction::SetToken(vector("minted/token-legacy-rs256.jwt")).into(),
        edit(Field::ClusterName, "prod"),
        edit(Field::Server, "https://203.0.113.10:6443"),
        InspectAction::SetToken(vector("real/secrets/argocd-manager-sa-token.secret.yaml")).into(),
        CaAction::Set(vector("real/certs/kubeadm-ca-rsa-bradshaw.crt")).into(),
        // A real bound token typed into the builder, with the line break a file ends with,
        // then quoted, then with `Bearer `: the written token is the typed one, the identity
        // the cleaned one.
        edit(Field::Token, &real_token),
        edit(Field::Token, &format!("\"{}\"", real_token.trim())),
        edit(Field::Token, &format!("Bearer {}", real_token.trim())),
        edit(Field::Token, "authorization:not-a-token"),
        edit(Field::Token, "not a token"),
        // A real kubeconfig loaded, then the inspector's token again, then cleared.
        KubeconfigAction::Load(vector("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml")).into(),
        InspectAction::SetToken(vector("minted/token-expired-rs256.jwt")).into(),
        CaAction::Set(vector("real/certs/k3s-server-ca-ec-p256-serial0.crt")).into(),
        InspectAction::Clear.into(),
        InspectAction::SetToken(format!("Authorization: Bearer {}", real_token.trim())).into(),
        CaAction::Set("not a certificate".to_string()).into(),
        KubeconfigAction::SkipTlsVerify(true).into(),
    ];
    let seen = states(actions);
    for (step, state) in seen.iter().enumerate() {
        assert_read_once(state, step);
    }
    // The steps did reach the cases they name: a decoded token, and the cleared field.
    assert!(matches!(seen[5].kubeconfig.token, Some(Ok(_))));
    assert_eq!(seen[13].kubeconfig.token, None);
}

#[test]
fn following_the_inspector_takes_its_decoding() {
    let state = AppState::default().apply(
        InspectAction::SetToken(vector("real/tokens/legacy/istio-gke-legacy-kid-empty.jwt")).into(),
    );
    let decoded = state.inspect.decoded.as_ref().unwrap().as_ref().unwrap();
    let kept = state.kubeconfig.token.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(decoded, kept);
    assert_eq!(
        kubeconfig::defaults_from(&state.kubeconfig.form, state.kubeconfig.read(&state.ca))
            .namespace,
        "foo"
    );
}
