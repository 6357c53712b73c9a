//! Share links: every form opens again as it was made, old links keep opening, decoding is
//! bounded, and no token, signature, key, Secret data, jti or uid ever goes into a link.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use tokenscope::kubeconfig::KubeconfigForm;
use tokenscope::rbac::{RbacForm, RuleRow, Scope};
use tokenscope::share::{
    AccessForm, KubeconfigFields, LinkError, Question, Secret, ShareError, Shared,
};
use tokenscope::token_request::{BoundKind, BoundObject, TokenForm};

/// Links made and opened natively as the page makes and opens them: the core's checks and
/// encoding around a raw deflate stream, which in the browser `CompressionStream('deflate-raw')`
/// writes and `DecompressionStream('deflate-raw')` reads (the same RFC 1951 bytes). Named like
/// the core's module, so the tests read as calls to it.
#[allow(clippy::module_inception)]
mod share {
    pub use tokenscope::share::*;

    /// The payload of a link to `shared`.
    pub fn encode(shared: &Shared) -> Result<String, ShareError> {
        let json = form_json(shared)?;
        payload(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
    }

    /// The whole fragment of a link to `shared`.
    pub fn link(shared: &Shared) -> Result<String, ShareError> {
        Ok(fragment(shared, &encode(shared)?))
    }

    /// The form a payload or fragment carries; the inflating bounded as the page bounds it.
    pub fn decode(text: &str) -> Result<Shared, LinkError> {
        let bytes = deflated(text)?;
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INFLATED_BYTES)
                .map_err(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                    _ => LinkError::Inflate,
                })?;
        read_form(&inflated)
    }
}

fn rbac() -> RbacForm {
    RbacForm {
        service_account: "demo-app".to_string(),
        namespace: "workshop".to_string(),
        scope: Scope::Namespace,
        cluster_role: "view".to_string(),
        rules: vec![
            RuleRow {
                api_groups: "\"\"".to_string(),
                resources: "pods, pods/log".to_string(),
                verbs: "get list watch".to_string(),
                ..RuleRow::default()
            },
            RuleRow {
                api_groups: "apps".to_string(),
                resources: "deployments".to_string(),
                verbs: "get".to_string(),
                resource_names: "web".to_string(),
                ..RuleRow::default()
            },
        ],
        token_secret: false,
        role_name: String::new(),
        ..RbacForm::default()
    }
}

fn access() -> AccessForm {
    AccessForm {
        policy: common::vector("share/k8s-docs-simple-role.yaml")
            + &common::vector("share/k8s-docs-simple-rolebinding-with-role.yaml"),
        subject: "user:jane".to_string(),
        can_i: Question {
            verb: "list".to_string(),
            resource: "pods".to_string(),
            namespace: "default".to_string(),
            name: String::new(),
        },
        who_can: Question {
            verb: "get".to_string(),
            resource: "pods".to_string(),
            namespace: "default".to_string(),
            name: "web-0".to_string(),
        },
    }
}

fn token_form() -> TokenForm {
    TokenForm {
        service_account: "demo-app".to_string(),
        namespace: "workshop".to_string(),
        duration: "10m".to_string(),
        audiences: "vault, https://kubernetes.default.svc".to_string(),
        bound: Some(BoundObject {
            kind: BoundKind::Pod,
            name: "web-0".to_string(),
            uid: None,
        }),
        automount: true,
        ..TokenForm::default()
    }
}

fn kubeconfig() -> KubeconfigFields {
    KubeconfigFields::from_form(&KubeconfigForm {
        cluster_name: "kubernetes".to_string(),
        server: "https://10.0.0.5:6443".to_string(),
        ca: common::vector("real/certs/kubeadm-ca-rsa-bradshaw.crt"),
        user_name: "demo-app".to_string(),
        namespace: "workshop".to_string(),
        ..KubeconfigForm::default()
    })
}

/// One of each form a link carries, with real public material where a form holds a paste.
fn every_form() -> Vec<Shared> {
    vec![
        Shared::Rbac(rbac()),
        Shared::Rbac(RbacForm::default()),
        Shared::Access(access()),
        Shared::Access(AccessForm {
            policy: common::vector("share/k8s-docs-csr-clusterrole-sign.yaml"),
            ..AccessForm::default()
        }),
        Shared::Token(token_form()),
        Shared::Token(TokenForm::default()),
        Shared::Kubeconfig(kubeconfig()),
        Shared::Learn("service-account".to_string()),
    ]
}

#[test]
fn every_form_opens_again_as_it_was_made() {
    for shared in every_form() {
        let link = share::link(&shared).unwrap_or_else(|e| panic!("{shared:?}: {e}"));
        assert!(link.starts_with(shared.route()), "{link}");
        assert!(link.contains("?share=v1."), "{link}");
        // Only URL-safe characters: nothing to escape in a fragment.
        assert!(link
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "#/?=.-_".contains(c)));
        assert_eq!(share::decode(&link).unwrap(), shared);
        let payload = share::payload_of(&link).unwrap();
        assert_eq!(share::decode(payload).unwrap(), shared);
    }
}

#[test]
fn a_learn_link_names_its_step_and_an_unknown_step_is_refused() {
    let link = share::link(&Shared::Learn("service-account".to_string())).unwrap();
    assert!(link.starts_with("#/learn/service-account?share=v1."));
    for step in tokenscope::learn::STEPS {
        let shared = Shared::Learn(step.id.to_string());
        let link = share::link(&shared).unwrap();
        assert!(link.starts_with(&format!("#/learn/{}?share=v1.", step.id)));
        assert_eq!(share::decode(&link).unwrap(), shared);
    }
    assert_eq!(
        share::encode(&Shared::Learn("nope".to_string())),
        Err(ShareError::UnknownStep("nope".to_string()))
    );
}

#[test]
fn the_kubeconfig_link_leaves_the_token_out() {
    let jwt = common::token("minted/token-bound-pod-rs256.jwt");
    let form = KubeconfigForm {
        token: jwt.clone(),
        ..kubeconfig().into_form(String::new())
    };
    let shared = Shared::Kubeconfig(KubeconfigFields::from_form(&form));
    let Shared::Kubeconfig(back) = share::decode(&share::link(&shared).unwrap()).unwrap() else {
        panic!("not a kubeconfig link");
    };
    // Opening the link keeps the token the user already has.
    assert_eq!(back.into_form("mine".to_string()).token, "mine");
}

#[test]
fn a_pasted_policy_of_eight_kilobytes_fits_and_more_is_refused() {
    let role = common::vector("share/k8s-docs-simple-role.yaml");
    let mut policy = String::new();
    while policy.len() + role.len() <= share::MAX_POLICY_BYTES {
        policy.push_str(&role);
    }
    let shared = Shared::Access(AccessForm {
        policy: policy.clone(),
        ..access()
    });
    let link = share::link(&shared).unwrap();
    assert!(
        link.len() < 2_000,
        "deflate makes repeats small: {}",
        link.len()
    );
    assert_eq!(share::decode(&link).unwrap(), shared);
    policy.push_str(&role);
    assert!(matches!(
        share::encode(&Shared::Access(AccessForm { policy, ..access() })),
        Err(ShareError::PolicyTooLarge { .. })
    ));
}

/// The links of `tests/fixtures/share/v1-links.txt`, made by the first version of the format,
/// and the forms they must open as.
#[test]
fn v1_links_still_open() {
    let text = common::vector("share/v1-links.txt");
    let links: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    let forms = every_form();
    assert_eq!(links.len(), forms.len());
    for (link, form) in links.iter().zip(&forms) {
        assert_eq!(&share::decode(link).unwrap(), form, "{link}");
    }
}

/// Every token of the fixtures: minted ones and real ones from public sources.
fn tokens() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["minted", "real/tokens/bound", "real/tokens/legacy", "wild"] {
        let path = format!("{}{dir}", common::VECTORS);
        for entry in std::fs::read_dir(&path).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "jwt") {
                let token = std::fs::read_to_string(&path).unwrap().trim().to_string();
                if token.split('.').count() == 3 && token.split('.').nth(1).unwrap().len() > 10 {
                    out.push(token);
                }
            }
        }
    }
    assert!(out.len() >= 15, "{}", out.len());
    out
}

/// Each way a token can be typed into a field: as it is, after Bearer, wrapped over lines,
/// base64-encoded as in a Secret, inside a Secret or a curl command, and its signature alone.
fn disguises(token: &str) -> Vec<String> {
    let signature = token.rsplit('.').next().unwrap().to_string();
    let b64 = STANDARD.encode(token);
    let wrapped: String = token
        .as_bytes()
        .chunks(60)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = vec![
        token.to_string(),
        format!("Bearer {token}"),
        wrapped,
        b64.clone(),
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\ndata:\n  token: {b64}\n"),
        format!("curl -H \"Authorization: Bearer {token}\" https://10.0.0.5:6443/api"),
    ];
    // An unsigned token has no signature to carry.
    if !signature.is_empty() {
        out.push(signature);
    }
    out
}

/// The forms with `text` typed into each of their text fields in turn.
fn with_text_everywhere(text: &str) -> Vec<Shared> {
    let t = || text.to_string();
    let mut out = Vec::new();
    for i in 0..4 {
        let mut f = rbac();
        match i {
            0 => f.service_account = t(),
            1 => f.namespace = t(),
            2 => f.rules[0].resources = t(),
            _ => f.rules[1].resource_names = t(),
        }
        out.push(Shared::Rbac(f));
    }
    for i in 0..4 {
        let mut f = access();
        match i {
            0 => f.policy = format!("{}\n---\n{text}", f.policy),
            1 => f.subject = t(),
            2 => f.can_i.name = t(),
            _ => f.who_can.resource = t(),
        }
        out.push(Shared::Access(f));
    }
    for i in 0..3 {
        let mut f = token_form();
        match i {
            0 => f.audiences = t(),
            1 => f.issuer = t(),
            _ => f.server = t(),
        }
        out.push(Shared::Token(f));
    }
    for i in 0..3 {
        let mut f = kubeconfig();
        match i {
            0 => f.ca = t(),
            1 => f.cluster_name = t(),
            _ => f.server = t(),
        }
        out.push(Shared::Kubeconfig(f));
    }
    out
}

#[test]
fn no_token_of_the_corpus_ever_goes_into_a_link() {
    for token in tokens() {
        for text in disguises(&token) {
            for shared in with_text_everywhere(&text) {
                match share::link(&shared) {
                    Err(ShareError::Refused(refusal)) => {
                        assert!(
                            matches!(
                                refusal.secret,
                                Secret::Token | Secret::Signature | Secret::SecretData
                            ),
                            "{refusal:?}"
                        );
                        assert!(refusal.to_string().contains(&refusal.field));
                    }
                    other => panic!("made {other:?} for {text:.40}"),
                }
            }
        }
    }
}

#[test]
fn keys_secret_data_jti_and_uids_are_refused_and_say_where() {
    let key = common::vector("real/keys/k8s-upstream-test-rsa.key.pem");
    let secret = common::vector("real/secrets/argocd-manager-sa-token.secret.yaml");
    let with_uid = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: developer\n  namespace: blue\n  uid: cd331a6d-7ec7-45ac-91f6-b1f04e42b48e\nrules: []\n";
    let cases = [
        (key.as_str(), Secret::PrivateKey),
        (
            r#"{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}"#,
            Secret::PrivateKey,
        ),
        (secret.as_str(), Secret::Token),
        (
            "kind: Secret\ntype: Opaque\nstringData:\n  password: hunter2\n",
            Secret::SecretData,
        ),
        ("jti: 1c1d2e1c-kept", Secret::Jti),
        (
            "authentication.kubernetes.io/credential-id: JTI=abc",
            Secret::Jti,
        ),
        (with_uid, Secret::Uid),
        ("owned by 36c8f0dd-02b2-4d40-b272-35ade876ae2e", Secret::Uid),
    ];
    for (text, kind) in cases {
        let shared = Shared::Access(AccessForm {
            policy: text.to_string(),
            ..access()
        });
        match share::encode(&shared) {
            Err(ShareError::Refused(r)) => {
                assert_eq!(r.secret, kind, "{text:.60}");
                assert_eq!(r.field, "The policy");
            }
            other => panic!("{text:.60}: {other:?}"),
        }
    }
    let bound_uid = TokenForm {
        bound: Some(BoundObject {
            kind: BoundKind::Pod,
            name: "web-0".to_string(),
            uid: Some("36c8f0dd-02b2-4d40-b272-35ade876ae2e".to_string()),
        }),
        ..token_form()
    };
    assert!(matches!(
        share::encode(&Shared::Token(bound_uid)),
        Err(ShareError::Refused(r)) if r.secret == Secret::Uid
    ));
}

#[test]
fn public_material_is_not_taken_for_a_secret() {
    // Real CA certificates in the kubeconfig's CA field, as PEM and as base64 of PEM.
    for cert in [
        "real/certs/kubeadm-ca-rsa-bradshaw.crt",
        "real/certs/k3s-server-ca-ec-p256-serial0.crt",
        "real/certs/minikubeCA-argocd-2018.crt",
    ] {
        let pem = common::vector(cert);
        for ca in [pem.clone(), STANDARD.encode(&pem)] {
            let shared = Shared::Kubeconfig(KubeconfigFields { ca, ..kubeconfig() });
            share::encode(&shared).unwrap_or_else(|e| panic!("{cert}: {e}"));
        }
    }
    // Long, dashed Kubernetes names and labels.
    let mut f = rbac();
    f.rules[0].resources =
        "customresourcedefinitions, mutatingwebhookconfigurations, validatingadmissionpolicybindings"
            .to_string();
    f.role_name =
        "system:controller:persistent-volume-binder-with-a-very-long-name-0123".to_string();
    share::encode(&Shared::Rbac(f)).unwrap();
}

/// A crafted link holding `json` (deflated and encoded as the app does).
fn crafted(json: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    format!("#/rbac?share=v1.{}", URL_SAFE_NO_PAD.encode(deflated))
}

#[test]
fn a_crafted_link_cannot_put_a_secret_on_the_page() {
    let token = common::token("minted/token-legacy-rs256.jwt");
    let json = format!(r#"{{"page":"rbac","serviceAccount":"{token}"}}"#);
    assert!(matches!(
        share::decode(&crafted(&json)),
        Err(LinkError::Refused(ShareError::Refused(_)))
    ));
    let json = r#"{"page":"token","bound":{"kind":"Pod","name":"p","uid":"36c8f0dd-02b2-4d40-b272-35ade876ae2e"}}"#;
    // A bound uid in a link is not read at all.
    let Shared::Token(form) = share::decode(&crafted(json)).unwrap() else {
        panic!()
    };
    assert_eq!(form.bound.unwrap().uid, None);
}

#[test]
fn decoding_is_bounded_and_every_error_says_what_to_do() {
    assert_eq!(share::decode(""), Err(LinkError::Empty));
    assert_eq!(share::decode("#/rbac?share="), Err(LinkError::Empty));
    assert_eq!(
        share::decode("v9.abc"),
        Err(LinkError::UnknownVersion("v9".to_string()))
    );
    assert_eq!(
        share::decode("v1.ab$c"),
        Err(LinkError::Base64 { offset: 5 })
    );
    let good = share::encode(&Shared::Rbac(rbac())).unwrap();
    // Cut short on a base64 quantum, so what fails is the deflate stream.
    let cut = 3 + (((good.len() - 3) / 2) & !3);
    assert_eq!(share::decode(&good[..cut]), Err(LinkError::Inflate));
    let long = format!("v1.{}", "A".repeat(share::MAX_PAYLOAD_CHARS));
    assert!(matches!(
        share::decode(&long),
        Err(LinkError::TooLong { .. })
    ));
    // A zip bomb: a small payload that inflates past the limit.
    let bomb = format!(r#"{{"page":"rbac","roleName":"{}"}}"#, "a".repeat(1 << 20));
    let link = crafted(&bomb);
    assert!(link.len() < 4_000);
    assert_eq!(share::decode(&link), Err(LinkError::TooLarge));
    for (json, what) in [
        ("[1]", "not a JSON object"),
        (r#"{"page":"inspect"}"#, "page"),
        (r#"{"page":"rbac","scope":"everything"}"#, "scope"),
        (r#"{"page":"rbac","namespace":3}"#, "namespace is not text"),
        (r#"{"page":"rbac","rules":{}}"#, "rules is not a list"),
    ] {
        match share::decode(&crafted(json)) {
            Err(LinkError::Form(message)) => assert!(message.contains(what), "{message}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    for error in [
        LinkError::Empty,
        LinkError::Inflate,
        LinkError::TooLarge,
        LinkError::Base64 { offset: 5 },
    ] {
        assert!(error.to_string().ends_with('.'), "{error}");
    }
}

#[test]
fn fields_a_link_lacks_take_the_form_defaults() {
    let Shared::Rbac(form) = share::decode(&crafted(r#"{"page":"rbac"}"#)).unwrap() else {
        panic!()
    };
    assert_eq!(form, RbacForm::default());
}

#[test]
#[ignore = "prints the v1 fixture; run by hand only when making tests/fixtures/share/v1-links.txt"]
fn print_v1_links() {
    for shared in every_form() {
        println!("{}", share::link(&shared).unwrap());
    }
}
