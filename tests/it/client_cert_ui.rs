//! The Inspect page's **Who this is** section, rendered natively (Yew's `ssr`) from states the
//! reducer made: a kubeadm kubeconfig (a system:masters certificate with its key), an EKS
//! kubeconfig (an exec plugin), and a PEM certificate with the cluster CA in **Cluster CA**.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common::snapshot::{assert_snapshot, fix_clock};
use tokenscope::ui::components::{CertPaste, ClientCertSection, ClientCertSectionProps};
use tokenscope::ui::state::{Action, AppState, CaAction, InspectAction, Slice};
use yew::{Callback, LocalServerRenderer};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
/// The instant the section is rendered at: the day these tests were written.
const NOW: i64 = 1796601600;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{VECTORS}{name}")).unwrap()
}

async fn inspect(actions: Vec<Action>) -> String {
    let state = actions
        .into_iter()
        .fold(AppState::default(), AppState::apply);
    fix_clock();
    LocalServerRenderer::<ClientCertSection>::with_props(ClientCertSectionProps {
        paste: CertPaste::Inspect(Slice::new(&state.inspect)),
        ca: Slice::new(&state.ca),
        now: NOW,
        onaction: Callback::noop(),
    })
    .render()
    .await
}

/// The kubeconfig's `field` of its first user, base64-decoded.
fn decoded(config: &str, path: &[&str]) -> String {
    let doc = &tokenscope::formats::yaml::parse_documents(config).unwrap()[0];
    let value = path.iter().fold(doc, |v, k| match k.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[*k],
    });
    String::from_utf8(tokenscope::crypto::pem::decode_lenient(value.as_str().unwrap()).unwrap())
        .unwrap()
}

#[tokio::test]
async fn a_kubeadm_kubeconfig_shows_who_it_is_and_never_its_key() {
    let config = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let html = inspect(vec![InspectAction::SetToken(config.clone()).into()]).await;
    assert_snapshot("client_cert_kubeadm", &html);
    let key = decoded(&config, &["users", "0", "user", "client-key-data"]);
    for line in key.lines().skip(1).take(3) {
        assert!(!html.contains(line), "the private key reached the page");
    }
}

#[tokio::test]
async fn an_eks_kubeconfig_shows_the_command_it_would_run() {
    let config = fixture("client-certs/real/eks-aws-get-token.tpl.yaml");
    let html = inspect(vec![InspectAction::SetToken(config).into()]).await;
    assert_snapshot("client_cert_eks_exec", &html);
    assert!(!html.contains(">Check its access</button>"), "{html}");
}

#[tokio::test]
async fn a_pem_certificate_is_checked_against_the_cluster_ca_field() {
    let config = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let crt = decoded(&config, &["users", "0", "user", "client-certificate-data"]);
    let ca = decoded(
        &config,
        &["clusters", "0", "cluster", "certificate-authority-data"],
    );
    let html = inspect(vec![
        CaAction::Set(ca).into(),
        InspectAction::SetToken(crt).into(),
    ])
    .await;
    assert_snapshot("client_cert_pem_with_ca", &html);
    assert!(!html.contains("A private key was pasted"), "{html}");
    // Nothing of the kind for a token.
    let token = fixture("minted/token-legacy-rs256.jwt");
    let html = inspect(vec![InspectAction::SetToken(token).into()]).await;
    assert!(!html.contains(">Who this is</h2>"), "{html}");
}

/// The pages the section is mounted on, rendered whole: Inspect with a PEM certificate says
/// what it recognised instead of "Nothing to decode", and the Kubeconfig page shows the section
/// for the kubeconfig in **Load kubeconfig**, never its key.
#[tokio::test]
async fn inspect_and_kubeconfig_mount_the_section() {
    use crate::common::pages::{Inspect, KubeconfigBuilder};
    use tokenscope::ui::pages::{InspectProps, KubeconfigBuilderProps};
    use tokenscope::ui::state::KubeconfigAction;

    let config = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let crt = decoded(&config, &["users", "0", "user", "client-certificate-data"]);
    let state = [InspectAction::SetToken(crt).into()]
        .into_iter()
        .fold(AppState::default(), AppState::apply);
    fix_clock();
    let html = LocalServerRenderer::<Inspect>::with_props(InspectProps {
        state: Slice::new(&state.inspect),
        ca: Slice::new(&state.ca),
        demo: Slice::new(&state.demo),
        redact: false,
        onaction: Callback::noop(),
    })
    .render()
    .await;
    assert!(
        html.contains("Recognised: a certificate, not a token."),
        "{html}"
    );
    assert!(!html.contains("Nothing to decode"), "{html}");
    assert!(html.contains(">Who this is</h2>"), "{html}");
    assert!(html.contains("kubernetes-admin"), "{html}");

    let state = [KubeconfigAction::Load(config.clone()).into()]
        .into_iter()
        .fold(AppState::default(), AppState::apply);
    fix_clock();
    let html = LocalServerRenderer::<KubeconfigBuilder>::with_props(KubeconfigBuilderProps {
        state: Slice::new(&state.kubeconfig),
        ca: Slice::new(&state.ca),
        redact: false,
        onaction: Callback::noop(),
    })
    .render()
    .await;
    assert!(html.contains(">Who this is</h2>"), "{html}");
    assert!(html.contains(">User kubernetes-admin</h3>"), "{html}");
    assert!(html.contains("In system:masters: bypasses RBAC"), "{html}");
    let key = decoded(&config, &["users", "0", "user", "client-key-data"]);
    for line in key.lines().skip(1).take(3) {
        assert!(!html.contains(line), "the private key reached the page");
    }
}
