//! Client certificates and kubeconfig users from public kubeconfigs (kubeadm, k3s, EKS and
//! GKE; `tests/fixtures/client-certs/manifest.json` names each source): who they are, which
//! CA signed them (checked natively, as WebCrypto would), findings, and what exec and
//! auth-provider users would run. `tests/client_cert_openssl.rs` compares with openssl.

use crate::common;
use crate::native_verify;

use native_verify::native_verify;
use tokenscope::access::{can_i, parse_subject, Query};
use tokenscope::crypto::x509::CertError;
use tokenscope::inspect::client_cert::{
    self, trust_status, CaSource, ClientCert, ClientCertError, Credential, Identity,
    KubeconfigError, KubeconfigUser,
};
use tokenscope::support::finding::Level;
use tokenscope::support::time::days_from_civil;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}{path}", common::VECTORS)).unwrap()
}

fn only_user(path: &str) -> KubeconfigUser {
    let users = client_cert::read_kubeconfig(&fixture(path)).unwrap();
    assert_eq!(users.current, Some(0), "{path}");
    let [user] = &users.users[..] else {
        panic!("{path}: {users:?}")
    };
    user.clone()
}

fn certificate(user: &KubeconfigUser) -> ClientCert {
    match &user.credentials[..] {
        [Credential::ClientCertificate(read)] => read.as_ref().clone().unwrap(),
        other => panic!("{other:?}"),
    }
}

const JAN_2026: i64 = 1_767_225_600;

#[test]
fn kubeadm_admin_conf_is_an_expired_system_masters_certificate_of_its_cluster_ca() {
    let user = only_user("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    assert_eq!(user.name, "kubernetes-admin");
    assert_eq!(user.contexts, ["kubernetes-admin@kubernetes"]);
    assert_eq!(user.cluster.as_deref(), Some("kubernetes"));
    assert!(user.private_key_pasted);
    let cert = certificate(&user);
    assert_eq!(cert.identity.user, "kubernetes-admin");
    assert_eq!(cert.identity.groups, ["system:masters"]);
    assert!(cert.identity.is_master());
    assert_eq!(cert.certificate.serial, "5A:8F:A0:65:E5:1A:EF:0E");
    assert_eq!(cert.certificate.issuer, "CN=kubernetes");
    let nov_7_2024 = days_from_civil(2024, 11, 7) * 86_400 + 3600 + 25 * 60 + 47;
    assert_eq!(cert.certificate.not_after, nov_7_2024);
    let [check] = &cert.trust[..] else {
        panic!("{:?}", cert.trust)
    };
    assert_eq!(check.source, CaSource::ClusterCa);
    let plan = check.verify.as_ref().unwrap();
    assert_eq!(native_verify(plan), Ok(true));
    assert!(trust_status(check, Some(&Ok(true))).starts_with("Signed by the cluster's CA"));
    // Before it expired: only system:masters and the key. After: expired first among dangers.
    let before = cert.findings(nov_7_2024 - 60 * 86_400);
    let titles: Vec<&str> = before.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "In system:masters: bypasses RBAC",
            "A private key was pasted"
        ]
    );
    let soon: Vec<String> = cert
        .findings(nov_7_2024 - 86_400)
        .into_iter()
        .map(|f| f.title)
        .collect();
    assert!(
        soon.iter().any(|t| t.starts_with("Expires within 30 days")),
        "{soon:?}"
    );
    let after = cert.findings(JAN_2026);
    assert!(after[1].title.starts_with("Expired "), "{after:?}");
    assert_eq!(after[1].level, Level::Danger);
    assert!(after[0].why.contains("cannot be revoked"));
    let rows = cert.rows(JAN_2026);
    assert_eq!(rows[0].value, "kubernetes-admin");
    assert_eq!(rows[1].value, "system:masters");
    assert!(rows
        .iter()
        .any(|r| r.label == "Extended key usage" && r.value == "TLS Web Client Authentication"));
    assert!(rows
        .iter()
        .any(|r| r.label == "Private key" && r.value.contains("not shown")));
    // The subject Access evaluates.
    let subject = cert.identity.subject();
    assert_eq!(subject.user, "kubernetes-admin");
    assert_eq!(subject.groups, ["system:masters", "system:authenticated"]);
}

#[test]
fn k3s_sends_its_client_ca_along_and_the_cluster_ca_is_another() {
    let user = only_user("client-certs/real/k3s-telepresence.yaml");
    let cert = certificate(&user);
    assert_eq!(cert.identity.user, "system:admin");
    assert_eq!(cert.identity.groups, ["system:masters"]);
    assert_eq!(cert.certificate.issuer, "CN=k3s-client-ca@1774789662");
    assert_eq!(cert.bundled.len(), 1);
    assert_eq!(cert.bundled[0].subject, "CN=k3s-client-ca@1774789662");
    let [bundled, cluster] = &cert.trust[..] else {
        panic!("{:?}", cert.trust)
    };
    // The client CA sent along signed it (as `openssl verify` with it agrees) ...
    assert_eq!(bundled.source, CaSource::Bundled);
    assert_eq!(native_verify(bundled.verify.as_ref().unwrap()), Ok(true));
    // ... and the cluster CA, k3s' server CA, did not (openssl: unable to get local issuer).
    assert_eq!(cluster.source, CaSource::ClusterCa);
    let why = cluster.verify.as_ref().unwrap_err().to_string();
    assert!(why.contains("CN=k3s-server-ca@1774789662"), "{why}");
    assert!(trust_status(cluster, None).starts_with("Not signed by the cluster's CA"));
}

/// A kubeconfig in JSON with no clusters (costinm/ugate's test identity): its self-signed
/// certificate reads as openssl prints it, there is no CA to check it against, and its PKCS#8
/// key is only noted.
#[test]
fn a_json_kubeconfig_without_clusters_reads_and_has_nothing_to_check_against() {
    let path = "client-certs/real/ugate-carol-kubeconfig.json";
    let user = only_user(path);
    assert_eq!(user.name, "default");
    assert!(user.private_key_pasted);
    let cert = certificate(&user);
    assert_eq!(cert.identity.user, "costin16.h.webinf.info");
    assert_eq!(cert.identity.groups, ["h.webinf.info"]);
    assert_eq!(
        cert.certificate.subject,
        "CN=costin16.h.webinf.info,O=h.webinf.info"
    );
    assert_eq!(cert.certificate.issuer, cert.certificate.subject);
    assert!(cert.trust.is_empty(), "{:?}", cert.trust);
    // 2022-04-15T13:11:20Z, as `openssl x509 -enddate` prints it.
    assert_eq!(
        cert.certificate.not_after,
        days_from_civil(2022, 4, 15) * 86_400 + 13 * 3600 + 11 * 60 + 20
    );
    let titles: Vec<String> = cert
        .findings(JAN_2026)
        .into_iter()
        .map(|f| f.title)
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Expired")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t == "A private key was pasted"),
        "{titles:?}"
    );
}

#[test]
fn exec_and_auth_provider_users_are_named_with_what_they_run() {
    let user = only_user("client-certs/real/eks-aws-get-token.tpl.yaml");
    let [Credential::Exec(exec)] = &user.credentials[..] else {
        panic!("{user:?}")
    };
    assert_eq!(exec.command, "aws");
    assert_eq!(exec.api_version, "client.authentication.k8s.io/v1beta1");
    assert_eq!(
        exec.command_line,
        "aws --region us-east-1 eks get-token --cluster-name '${cluster_name}' --output json"
    );
    assert!(exec.yields.starts_with("An EKS token"), "{}", exec.yields);
    // The template's CA placeholder is no certificate: said beside the user, nothing else.
    assert!(
        user.notes.iter().any(|n| n.contains("could not be read")),
        "{:?}",
        user.notes
    );
    assert!(!user.private_key_pasted);

    let user = only_user("client-certs/real/eks-aws-iam-authenticator.tpl.yaml");
    let [Credential::Exec(exec)] = &user.credentials[..] else {
        panic!("{user:?}")
    };
    assert_eq!(
        exec.command_line,
        "aws-iam-authenticator token -i eks-cluster"
    );
    assert!(exec.yields.starts_with("An EKS token"));

    let user = only_user("client-certs/real/gke-auth-provider-ghost.tpl.yaml");
    let [Credential::AuthProvider { name, yields }] = &user.credentials[..] else {
        panic!("{user:?}")
    };
    assert_eq!(name, "gcp");
    assert!(yields.contains("Removed in kubectl 1.26"), "{yields}");
}

#[test]
fn placeholder_data_from_the_javascript_client_fixtures_fails_where_it_is() {
    let users = client_cert::read_kubeconfig(&fixture(
        "real/kubeconfig/k8s-client-js-fixture-placeholder-data.yaml",
    ))
    .unwrap();
    let with_cert: Vec<&KubeconfigUser> = users
        .users
        .iter()
        .filter(|u| {
            u.credentials
                .iter()
                .any(|c| matches!(c, Credential::ClientCertificate(_)))
        })
        .collect();
    assert!(!with_cert.is_empty());
    for user in with_cert {
        for credential in &user.credentials {
            if let Credential::ClientCertificate(read) = credential {
                let err = read.as_ref().as_ref().unwrap_err();
                assert!(
                    matches!(err, CertError::NotCertificateData { .. }),
                    "{}: {err}",
                    user.name
                );
            }
        }
    }
    // Basic authentication is named as such.
    assert!(users
        .users
        .iter()
        .any(|u| u.credentials.contains(&Credential::BasicAuth)));
}

#[test]
fn a_pasted_certificate_with_its_key_reads_and_the_key_is_only_noted() {
    let config = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let doc: serde_json::Value = tokenscope::formats::yaml::parse_documents(&config)
        .unwrap()
        .remove(0);
    let b64 = |v: &serde_json::Value| {
        let text = v.as_str().unwrap();
        String::from_utf8(tokenscope::crypto::pem::decode_lenient(text).unwrap()).unwrap()
    };
    let user = &doc["users"][0]["user"];
    let (crt, key) = (
        b64(&user["client-certificate-data"]),
        b64(&user["client-key-data"]),
    );
    let ca = b64(&doc["clusters"][0]["cluster"]["certificate-authority-data"]);
    // client.crt and client.key pasted together, in either order.
    for paste in [format!("{crt}{key}"), format!("{key}\n{crt}")] {
        let cert = client_cert::read(&paste, Some(&ca)).unwrap();
        assert!(cert.private_key_pasted);
        assert_eq!(cert.identity.user, "kubernetes-admin");
        assert_eq!(cert.trust[0].source, CaSource::Pasted);
        let shown = format!(
            "{cert:?}{:?}{:?}",
            cert.rows(JAN_2026),
            cert.findings(JAN_2026)
        );
        let key_line = key.lines().nth(1).unwrap();
        assert!(!shown.contains(key_line));
    }
    // Only a key: no certificate, said so.
    let err = client_cert::read(&key, None).unwrap_err();
    assert!(
        matches!(err, ClientCertError::Certificate(CertError::Empty)),
        "{err}"
    );
    // Without a CA: no check, and no pretence of one.
    let alone = client_cert::read(&crt, None).unwrap();
    assert!(alone.trust.is_empty());
}

#[test]
fn kubeconfig_errors_say_what_to_paste() {
    assert_eq!(
        client_cert::read_kubeconfig("  "),
        Err(KubeconfigError::Empty)
    );
    assert_eq!(
        client_cert::read_kubeconfig("kind: Secret\n"),
        Err(KubeconfigError::NoUsers)
    );
    let err = client_cert::read_kubeconfig("users: [").unwrap_err();
    assert!(matches!(err, KubeconfigError::Parse(_)), "{err}");
    let huge = "#".repeat(2 << 20);
    assert!(matches!(
        client_cert::read_kubeconfig(&huge),
        Err(KubeconfigError::TooLarge { .. })
    ));
}

#[test]
fn check_its_access_opens_access_with_the_certificate_subject() {
    let cert = certificate(&only_user(
        "real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml",
    ));
    let text = cert.identity.access_text().unwrap();
    assert_eq!(text, "user:kubernetes-admin, group:system:masters");
    // What Access reads from that text is the certificate's subject, and the API server's
    // answer for system:masters is Yes to anything, with the reason, under RBAC that grants nothing.
    let subject = parse_subject(&text).unwrap();
    assert_eq!(subject, cert.identity.subject());
    let policy = tokenscope::access::parse(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: none\nrules: []\n",
    )
    .unwrap();
    for (verb, resource, namespace) in [("delete", "nodes", ""), ("get", "secrets", "kube-system")]
    {
        let query = Query::parse(verb, resource, namespace, "").unwrap();
        let answer = can_i(&policy, &subject, &query);
        assert!(answer.allowed, "{verb} {resource}");
        assert!(answer.text.contains("system:masters"), "{}", answer.text);
    }
    // A name the field would read as something else gets no button.
    let odd = |user: &str, groups: &[&str]| Identity {
        user: user.to_string(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    };
    assert_eq!(odd("alice, bob", &[]).access_text(), None);
    assert_eq!(odd("alice", &["dev,ops"]).access_text(), None);
    assert_eq!(odd(" alice", &[]).access_text(), None);
    assert_eq!(odd("", &["dev"]).access_text(), None);
    assert_eq!(
        odd("José Müller 日本", &["équipe", "dev"])
            .access_text()
            .as_deref(),
        Some("user:José Müller 日本, group:équipe, group:dev")
    );
}

#[test]
fn inspect_shows_the_section_for_certificates_and_other_sign_ins_only() {
    use client_cert::{read_paste, Pasted};
    let kubeadm = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    assert!(matches!(
        read_paste(&kubeadm, ""),
        Some(Pasted::Kubeconfig(_))
    ));
    let eks = fixture("client-certs/real/eks-aws-get-token.tpl.yaml");
    assert!(matches!(read_paste(&eks, ""), Some(Pasted::Kubeconfig(_))));
    // A token user alone is the token report's; a token, a Secret or prose is nobody's here.
    let token_only = "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: abc\n";
    assert_eq!(read_paste(token_only, ""), None);
    assert_eq!(read_paste("eyJhbGciOiJSUzI1NiJ9.e30.sig", ""), None);
    // The kubeadm certificate as PEM, with the cluster CA in the CA field.
    let doc = &tokenscope::formats::yaml::parse_documents(&kubeadm).unwrap()[0];
    let pem = |v: &serde_json::Value| {
        String::from_utf8(tokenscope::crypto::pem::decode_lenient(v.as_str().unwrap()).unwrap())
            .unwrap()
    };
    let crt = pem(&doc["users"][0]["user"]["client-certificate-data"]);
    let ca = pem(&doc["clusters"][0]["cluster"]["certificate-authority-data"]);
    let Some(Pasted::Certificate(Ok(cert))) = read_paste(&crt, &ca) else {
        panic!("not read")
    };
    assert_eq!(cert.trust[0].source, CaSource::Pasted);
    // The same text in both fields is not a CA check.
    let Some(Pasted::Certificate(Ok(alone))) = read_paste(&crt, &crt) else {
        panic!("not read")
    };
    assert!(alone.trust.is_empty());
}

#[test]
fn many_users_and_contexts_read_in_one_pass() {
    // As many users and contexts as fit in the 1 MiB limit, each user with the cluster's CA:
    // contexts are found by user and the CA read once, not once per user.
    let kubeadm = fixture("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    let doc = &tokenscope::formats::yaml::parse_documents(&kubeadm).unwrap()[0];
    let ca = doc["clusters"][0]["cluster"]["certificate-authority-data"]
        .as_str()
        .unwrap();
    let mut text = format!(
        "kind: Config\nclusters:\n- name: c\n  cluster:\n    certificate-authority-data: {ca}\n"
    );
    let n = 9_000;
    text.push_str("contexts:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- name: x{i}\n  context: {{cluster: c, user: u{i}}}\n"
        ));
    }
    text.push_str("users:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- name: u{i}\n  user: {{exec: {{command: aws}}}}\n"
        ));
    }
    assert!(text.len() < 1 << 20, "{}", text.len());
    let users = client_cert::read_kubeconfig(&text).unwrap();
    assert_eq!(users.users.len(), n);
    assert_eq!(users.users[n - 1].contexts, [format!("x{}", n - 1)]);
    assert_eq!(users.users[n - 1].cluster.as_deref(), Some("c"));
}
