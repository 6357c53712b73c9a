//! No parser panics, whatever is pasted: property tests over every entry point the page calls
//! (`input::recognise`, `jwt::decode`, `explain::explain`, `keys::parse_keys` and `keys::plan`,
//! `x509::parse_bundle`, `summarise` and `chain`, `kubeconfig::load` and `build`) and the
//! parsers under them (`b64`, `yaml::parse_documents`, `access::parse`).
//!
//! Inputs are random bytes and strings, PEM blocks around junk or around mutated real DER, and
//! mutations of the test vectors in `tests/fixtures/` (truncations, flipped and inserted
//! characters, cut-out ranges). Each property runs 128 cases under `cargo test` (the file takes a
//! few seconds); `PROPTEST_CASES=20000 cargo test --release --test it props::` is the long run. The
//! fixed tests at the end check the limits: inputs over 1 MiB are refused with a message, and
//! 100 000 nested `[` or `{` are an error, not a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{token, vector};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tokenscope::kubeconfig::{self, KubeconfigForm};
use tokenscope::{
    access, crypto::keys, crypto::x509, formats::yaml, inspect::explain, inspect::input, rbac,
    token::b64, token::jwt,
};

/// 128 cases unless `PROPTEST_CASES` says otherwise; no regression files written.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(128);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every text the page is meant to read, as a starting point for mutations.
const CORPUS: &[&str] = &[
    "minted/token-legacy-rs256.jwt",
    "minted/token-bound-pod-rs256.jwt",
    "minted/token-bound-es256.jwt",
    "minted/token-alg-none.jwt",
    "minted/secret.yaml",
    "minted/secret.json",
    "minted/describe-secret.txt",
    "minted/kubeconfig.yaml",
    "minted/jwks.json",
    "minted/sa-rsa.pub.pem",
    "minted/sa-rsa.pkcs1.pub.pem",
    "minted/sa-ec.pub.pem",
    "minted/ca.crt",
    "minted/chain.pem",
    "minted/ca.der.b64",
    "minted/server.crt",
    "real/jwks/k8s-upstream-openid-v1-jwks.json",
];

fn corpus() -> Vec<String> {
    // `vector` fails on a missing file: every vector of the corpus is in the repository.
    let mut all: Vec<String> = CORPUS.iter().map(|p| vector(p)).collect();
    let demo =
        tokenscope::learn::demo::DemoFiles::from_json(include_str!("../../demo/examples.json"))
            .unwrap();
    all.push(demo.file(tokenscope::learn::demo::JWKS).to_string());
    all.push(demo.file(tokenscope::learn::demo::CA_BUNDLE).to_string());
    all.push(include_str!("../fixtures/access/default-clusterroles.yaml").to_string());
    assert!(
        all.iter().all(|text| text.trim().len() > 100),
        "the corpus is all there"
    );
    all
}

/// One edit at a relative position (0..=1 of the length, in characters).
#[derive(Clone, Debug)]
enum Edit {
    Truncate(f64),
    Flip(f64, char),
    Insert(f64, String),
    Cut(f64, usize),
    Repeat(f64, usize),
}

fn at(chars: &[char], where_: f64) -> usize {
    ((chars.len() as f64) * where_) as usize
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        match edit {
            Edit::Truncate(p) => chars.truncate(at(&chars, *p)),
            Edit::Flip(p, c) => {
                let i = at(&chars, *p);
                if let Some(slot) = chars.get_mut(i) {
                    *slot = *c;
                }
            }
            Edit::Insert(p, s) => {
                let i = at(&chars, *p);
                chars.splice(i..i, s.chars());
            }
            Edit::Cut(p, n) => {
                let i = at(&chars, *p);
                let end = (i + n).min(chars.len());
                chars.drain(i..end);
            }
            Edit::Repeat(p, n) => {
                let i = at(&chars, *p);
                let end = (i + n).min(chars.len());
                let copy: Vec<char> = chars[i..end].to_vec();
                chars.splice(end..end, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// Characters that mean something to one of the parsers.
fn special() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        '.', '-', '_', '=', '+', '/', ':', ' ', '\n', '\t', '"', '\'', '\\', '{', '}', '[', ']',
        ',', '#', '&', '*', '!', '|', '>', '?', '%', '@', '`', '0', 'A', 'e', '\u{0}', '\u{85}',
        '\u{FEFF}', 'é', '€', '😀',
    ])
}

fn snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "-----BEGIN CERTIFICATE-----\n",
            "-----END CERTIFICATE-----\n",
            "-----BEGIN PUBLIC KEY-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\n",
            "Bearer ",
            "eyJ",
            "\n---\n",
            "&a [*a, *a]",
            "{\"keys\":[",
            "kind: Config\n",
            "token: ",
            "<script>",
            "\"\\u0000\"",
            "9999999999999999999999",
            "-1e400",
        ])
        .prop_map(str::to_string),
        prop::collection::vec(prop_oneof![any::<char>(), special()], 0..8)
            .prop_map(|c| c.into_iter().collect()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let p = 0.0..=1.0f64;
    prop_oneof![
        p.clone().prop_map(Edit::Truncate),
        (p.clone(), prop_oneof![any::<char>(), special()]).prop_map(|(p, c)| Edit::Flip(p, c)),
        (p.clone(), snippet()).prop_map(|(p, s)| Edit::Insert(p, s)),
        (p.clone(), 1..200usize).prop_map(|(p, n)| Edit::Cut(p, n)),
        (p, 1..400usize).prop_map(|(p, n)| Edit::Repeat(p, n)),
    ]
}

/// A real vector with one to four edits.
fn mutated() -> impl Strategy<Value = String> {
    let all = corpus();
    (
        prop::sample::select(all),
        prop::collection::vec(edit(), 1..5),
    )
        .prop_map(|(text, edits)| apply(&text, &edits))
}

/// Random bytes, read as a paste would be (lossy UTF-8).
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<String>(),
        prop::collection::vec(prop_oneof![special(), any::<char>()], 0..300)
            .prop_map(|c| c.into_iter().collect()),
    ]
}

/// A PEM block with a known or odd label around random bytes or a mutated real DER.
fn pem_junk() -> impl Strategy<Value = String> {
    let ders: Vec<Vec<u8>> = [
        "minted/ca.crt",
        "minted/server.crt",
        "minted/sa-rsa.pub.pem",
    ]
    .iter()
    .map(|p| pem_der(&vector(p)))
    .chain([pem_der(&vector("minted/sa-ec.pub.pem"))])
    .collect();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        (
            prop::sample::select(ders),
            prop::collection::vec((0.0..1.0f64, any::<u8>()), 1..6),
            0.0..=1.0f64,
        )
            .prop_map(|(mut der, flips, keep)| {
                for (p, b) in flips {
                    let i = (der.len() as f64 * p) as usize;
                    if let Some(slot) = der.get_mut(i) {
                        *slot = b;
                    }
                }
                if keep < 0.3 {
                    der.truncate((der.len() as f64 * keep / 0.3) as usize);
                }
                der
            }),
    ];
    let label = prop::sample::select(vec![
        "CERTIFICATE",
        "PUBLIC KEY",
        "RSA PUBLIC KEY",
        "X509 CERTIFICATE",
        "CERTIFICATE REQUEST",
        "",
        "😀",
    ]);
    (label, body, 1..3usize).prop_map(|(label, der, copies)| {
        let b64 = STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let block = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        );
        block.repeat(copies)
    })
}

/// The DER inside the first PEM block of `text`.
fn pem_der(text: &str) -> Vec<u8> {
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    STANDARD.decode(body).unwrap()
}

/// Anything a user might paste into any field.
fn anything() -> impl Strategy<Value = String> {
    prop_oneof![3 => mutated(), 2 => junk(), 1 => pem_junk()]
}

/// A JSON value with odd leaves, for claims and headers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        snippet().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(claim_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn claim_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "iss",
            "sub",
            "aud",
            "exp",
            "nbf",
            "iat",
            "jti",
            "kid",
            "alg",
            "typ",
            "kubernetes.io",
            "namespace",
            "serviceaccount",
            "pod",
            "secret",
            "node",
            "name",
            "uid",
            "warnafter",
            "kubernetes.io/serviceaccount/namespace",
            "kubernetes.io/serviceaccount/service-account.name",
            "kubernetes.io/serviceaccount/service-account.uid",
            "kubernetes.io/serviceaccount/secret.name",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

fn b64url(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A token whose header and payload are random JSON objects over the claim names that matter,
/// or a real token's claims with some of them replaced.
fn odd_token() -> impl Strategy<Value = String> {
    let object =
        || prop::collection::btree_map(claim_name(), json_value(), 0..8).prop_map(Map::from_iter);
    let real = jwt::decode(&token("minted/token-bound-pod-rs256.jwt")).unwrap();
    let (real_header, real_payload) = (real.header.clone(), real.payload.clone());
    prop_oneof![
        (object(), object()).prop_map(|(h, p)| {
            format!(
                "{}.{}.c2ln",
                b64url(&Value::Object(h)),
                b64url(&Value::Object(p))
            )
        }),
        object().prop_map(move |extra| {
            let mut payload = real_payload.clone();
            payload.extend(extra);
            format!(
                "{}.{}.c2ln",
                b64url(&Value::Object(real_header.clone())),
                b64url(&Value::Object(payload))
            )
        }),
    ]
}

/// Any instant, the extremes included: times are subtracted and compared with it.
fn now() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        any::<i64>(),
        1_600_000_000i64..2_000_000_000
    ]
}

/// Decodes and explains whatever `recognise` hands out, as the page does.
fn inspect(text: &str, now: i64) {
    if let Ok(found) = input::recognise(text) {
        assert!(!found.candidates.is_empty());
        assert!(found.preferred < found.candidates.len());
        for candidate in &found.candidates {
            if let Ok(jwt) = jwt::decode(&candidate.token) {
                let _ = explain::explain(&jwt, now);
                let _ = (
                    jwt.header_pretty(),
                    jwt.payload_pretty(),
                    jwt.signing_input(),
                );
            }
            if let Some(ca) = &candidate.ca {
                certificates(ca, now);
            }
        }
    }
    if let Ok(jwt) = jwt::decode(text) {
        let _ = explain::explain(&jwt, now);
        let _ = explain::explain(&tokenscope::redact::jwt(&jwt), now);
    }
}

fn certificates(text: &str, now: i64) {
    if let Ok(bundle) = x509::parse_bundle(text) {
        let _ = x509::summarise(&bundle.certs, now);
        let _ = x509::chain(&bundle.certs);
    }
    if let Err(e) = x509::parse_bundle(text) {
        assert!(!e.to_string().is_empty());
    }
}

fn verification_keys(text: &str) {
    let pod = jwt::decode(&token("minted/token-bound-pod-rs256.jwt")).unwrap();
    let es = jwt::decode(&token("minted/token-bound-es256.jwt")).unwrap();
    match keys::parse_keys(text) {
        Ok(set) => {
            for key in &set.keys {
                let _ = key.describe();
            }
            let _ = keys::plan(&set.keys, &pod);
            let _ = keys::plan(&set.keys, &es);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

fn rbac_form() -> impl Strategy<Value = rbac::RbacForm> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "ci-bot", "no", "0123", "a.b", "Bad_Name", "-x", "", "😀"
        ])
        .prop_map(str::to_string),
        prop::collection::vec(prop_oneof![special(), any::<char>()], 1..12)
            .prop_map(|c| c.into_iter().collect()),
    ];
    let list = prop_oneof![
        prop::sample::select(vec![
            "\"\"",
            "apps",
            "*",
            "pods, pods/log",
            "get list",
            "'x'",
            ""
        ])
        .prop_map(str::to_string),
        name.clone(),
    ];
    let row =
        (list.clone(), list.clone(), list.clone(), list).prop_map(|(g, r, v, n)| rbac::RuleRow {
            api_groups: g,
            resources: r,
            verbs: v,
            resource_names: n,
            non_resource_urls: String::new(),
        });
    let preset = prop::sample::select(rbac::Preset::ALL.to_vec());
    let subject = (
        prop::sample::select(rbac::SubjectKind::ALL.to_vec()),
        name.clone(),
        any::<bool>(),
    );
    (
        name.clone(),
        name.clone(),
        prop::sample::select(rbac::Scope::ALL.to_vec()),
        name,
        prop::collection::vec(row, 0..4),
        any::<bool>(),
        prop::option::of(preset),
        subject,
    )
        .prop_map(
            |(
                account,
                namespace,
                scope,
                cluster_role,
                rules,
                token_secret,
                preset,
                (subject, account_namespace, shared_role),
            )| match preset {
                Some(p) => rbac::RbacForm {
                    token_secret,
                    subject,
                    ..p.fill(&account, &namespace)
                },
                None => rbac::RbacForm {
                    subject,
                    service_account: account,
                    namespace,
                    account_namespace,
                    shared_role,
                    scope,
                    cluster_role,
                    rules,
                    token_secret,
                    role_name: String::new(),
                },
            },
        )
}

fn kubeconfig_form() -> impl Strategy<Value = KubeconfigForm> {
    let name = prop_oneof![
        prop::sample::select(vec!["prod", "ci@prod", "a b", "yes", "-x", "😀", ""])
            .prop_map(str::to_string),
        prop::collection::vec(prop_oneof![special(), any::<char>()], 1..16)
            .prop_map(|c| c.into_iter().collect()),
    ];
    let server = prop_oneof![
        prop::sample::select(vec![
            "https://203.0.113.10:6443",
            "https://[2001:db8::1]:443/path",
            "http://127.0.0.1",
            "https://",
            "ftp://x",
            "",
        ])
        .prop_map(str::to_string),
        name.clone().prop_map(|h| format!("https://{h}")),
    ];
    let token = prop_oneof![
        Just(token("minted/token-bound-pod-rs256.jwt")),
        Just(token("minted/token-legacy-rs256.jwt")),
        anything(),
    ];
    let ca = prop_oneof![
        Just(String::new()),
        Just(vector("minted/ca.crt")),
        Just(vector("minted/ca.der.b64")),
        anything(),
    ];
    (
        (name.clone(), server, ca, any::<bool>(), name.clone()),
        (name.clone(), token, name.clone(), name),
    )
        .prop_map(
            |((cluster_name, server, ca, skip_tls_verify, tls_server_name), rest)| {
                let (user_name, token, namespace, context_name) = rest;
                KubeconfigForm {
                    cluster_name,
                    server,
                    ca,
                    skip_tls_verify,
                    tls_server_name,
                    user_name,
                    token,
                    namespace,
                    context_name,
                }
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn recognise_and_explain_never_panic(text in anything(), now in now()) {
        inspect(&text, now);
    }

    #[test]
    fn odd_claims_are_explained(token in odd_token(), now in now()) {
        let jwt = jwt::decode(&token).expect("a well-formed token decodes");
        let _ = explain::explain(&jwt, now);
        inspect(&token, now);
    }

    #[test]
    fn mutated_tokens_are_explained_or_refused(
        edits in prop::collection::vec(edit(), 1..4),
        which in prop::sample::select(vec![
            "minted/token-legacy-rs256.jwt",
            "minted/token-bound-pod-rs256.jwt",
            "minted/token-bound-es256.jwt",
            "minted/token-alg-none.jwt",
            "wild/legacy-gdbc-corrupted.jwt",
        ]),
        now in now(),
    ) {
        let text = apply(&token(which), &edits);
        match jwt::decode(&text) {
            Ok(jwt) => { let _ = explain::explain(&jwt, now); }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        inspect(&text, now);
    }

    #[test]
    fn base64_decoders_never_panic(text in anything()) {
        let _ = b64::looks_like_base64(&text);
        for e in [b64::decode_url(&text).err(), b64::decode_lenient(&text).err()].into_iter().flatten() {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn base64_decoders_read_what_was_encoded(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        prop_assert_eq!(b64::decode_url(&url), Ok(bytes.clone()));
        let wrapped: Vec<String> = STANDARD.encode(&bytes).as_bytes().chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        prop_assert_eq!(b64::decode_lenient(&wrapped.join("\n")), Ok(bytes));
    }

    #[test]
    fn yaml_never_panics(text in anything()) {
        if let Err(e) = yaml::parse_documents(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn keys_never_panic(text in anything()) {
        verification_keys(&text);
    }

    #[test]
    fn certificates_never_panic(text in anything(), now in now()) {
        certificates(&text, now);
    }

    #[test]
    fn kubeconfig_load_never_panics(text in anything(), context in prop::option::of(any::<String>())) {
        match kubeconfig::load(&text, context.as_deref()) {
            Ok(loaded) => {
                prop_assert!(loaded.contexts.contains(&loaded.context));
                let _ = kubeconfig::build(&loaded.form, 1_700_000_000);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Whatever the form holds, a kubeconfig that is written reads back to the values written.
    #[test]
    fn kubeconfig_build_reads_back(form in kubeconfig_form(), now in now()) {
        let out = kubeconfig::build(&form, now);
        let _ = kubeconfig::defaults(&form);
        match &out.yaml {
            Some(text) => {
                prop_assert!(out.errors.is_empty());
                let loaded = kubeconfig::load(text, None);
                prop_assert!(loaded.is_ok(), "{:?} reading\n{}", loaded, text);
                let loaded = loaded.unwrap();
                prop_assert_eq!(&loaded.form, &out.written, "read back from\n{}", text);
                prop_assert_eq!(loaded.contexts, vec![out.written.context_name.clone()]);
                let docs = yaml::parse_documents(text).unwrap();
                prop_assert_eq!(docs.len(), 1);
            }
            None => prop_assert!(!out.errors.is_empty()),
        }
    }

    /// Whatever the RBAC form holds, written manifests read back (with our reader and the
    /// access evaluator's) to the documents generated, and grant the service account something.
    #[test]
    fn rbac_build_reads_back(form in rbac_form()) {
        let out = rbac::build(&form);
        let _ = rbac::rules(&form);
        match &out.yaml {
            Some(text) => {
                prop_assert!(out.errors.is_empty());
                let docs = yaml::parse_documents(text).unwrap();
                prop_assert_eq!(&docs, &out.documents, "read back from\n{}", text);
                let policy = access::parse(text);
                prop_assert!(policy.is_ok(), "{:?} reading\n{}", policy, text);
            }
            None => prop_assert!(!out.errors.is_empty()),
        }
    }

    #[test]
    fn rbac_never_panics(text in anything()) {
        match access::parse(&text) {
            Ok(policy) => {
                let subject = access::Subject::from_service_account("default", "default");
                let _ = access::effective(&policy, &subject);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

// ---- Limits: big and deep inputs are refused with a message, never a crash. ----

const MIB: usize = 1024 * 1024;

/// Text just over `limit` bytes that would otherwise be read as `kind`.
fn oversized(start: &str, limit: usize) -> String {
    let mut text = start.to_string();
    while text.len() <= limit {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    text
}

#[test]
fn pastes_over_one_mib_are_refused_with_a_message() {
    let token = token("minted/token-bound-pod-rs256.jwt");
    let big = format!("{token}{}", "A".repeat(MIB));
    let e = input::recognise(&big).unwrap_err().to_string();
    assert!(e.contains("KiB") || e.contains("MiB"), "{e}");
    let e = jwt::decode(&big).unwrap_err().to_string();
    assert!(e.contains("KiB") || e.contains("MiB"), "{e}");

    let kubeconfig = oversized(&vector("minted/kubeconfig.yaml"), MIB);
    let e = kubeconfig::load(&kubeconfig, None).unwrap_err().to_string();
    assert!(e.contains("KiB"), "{e}");

    let jwks = format!("{}{}", vector("minted/jwks.json"), " ".repeat(MIB));
    let e = keys::parse_keys(&format!("{jwks}x")).unwrap_err();
    assert!(e.to_string().contains("KiB"), "{e}");
    let pem = oversized(&vector("minted/sa-rsa.pub.pem"), MIB);
    assert!(keys::parse_keys(&pem)
        .unwrap_err()
        .to_string()
        .contains("KiB"));

    let bundle = oversized(&vector("minted/chain.pem"), MIB);
    let e = x509::parse_bundle(&bundle).unwrap_err().to_string();
    assert!(e.contains("KiB"), "{e}");

    // RBAC dumps of a whole cluster are larger: their limit is 4 MiB.
    let rbac = oversized(
        include_str!("../fixtures/access/default-clusterroles.yaml"),
        access::MAX_POLICY_BYTES,
    );
    let e = access::parse(&rbac).unwrap_err().to_string();
    assert!(e.contains("KiB") || e.contains("MiB"), "{e}");

    // The builder reports the oversized field instead of writing it.
    let form = KubeconfigForm {
        cluster_name: "prod".into(),
        server: "https://203.0.113.10:6443".into(),
        ca: bundle,
        token: big,
        ..KubeconfigForm::default()
    };
    let out = kubeconfig::build(&form, 1_700_000_000);
    assert!(out.yaml.is_none());
    for field in [kubeconfig::Field::Token, kubeconfig::Field::Ca] {
        let problem = out.errors.iter().find(|p| p.field == field);
        assert!(
            problem.is_some_and(|p| p.message.contains("KiB")),
            "{field:?} in {:?}",
            out.errors
        );
    }
}

/// The inspector shows an error: the paste is not recognised, or no token in it decodes
/// (`recognise` checks only the wrapper: `- - -` is base64 to it).
fn inspector_refuses(text: &str) -> bool {
    match input::recognise(text) {
        Err(e) => !e.to_string().is_empty(),
        Ok(found) => found
            .candidates
            .iter()
            .all(|c| jwt::decode(&c.token).is_err()),
    }
}

/// 100 000 opening brackets in every place a parser might recurse.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    const DEPTH: usize = 100_000;
    for open in ["[", "{", "{\"a\":", "[{\"a\":", "- ", "{a: ", "[a, "] {
        let deep = open.repeat(DEPTH);
        assert!(deep.len() <= MIB * 2);
        let deep = if deep.len() > MIB {
            open.repeat(MIB / open.len() - 1)
        } else {
            deep
        };
        assert!(inspector_refuses(&deep), "{open}");
        assert!(yaml::parse_documents(&deep).is_err(), "{open}");
        assert!(kubeconfig::load(&deep, None).is_err(), "{open}");
        assert!(keys::parse_keys(&deep).is_err(), "{open}");
        assert!(x509::parse_bundle(&deep).is_err(), "{open}");
        assert!(access::parse(&deep).is_err(), "{open}");
        // Inside a token: the header and the payload are JSON.
        let segment = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&deep);
        let e = jwt::decode(&format!("eyJhbGciOiJub25lIn0.{segment}.")).unwrap_err();
        assert!(!e.to_string().is_empty());
        assert!(jwt::decode(&format!("{segment}.e30.")).is_err());
        // Inside a kubeconfig or a Secret, where the nesting is YAML.
        let secret = format!("kind: Secret\ndata:\n  token: {deep}\n");
        assert!(inspector_refuses(&secret), "{open}");
        let kubeconfig = format!("kind: Config\nusers: {deep}\n");
        assert!(kubeconfig::load(&kubeconfig, None).is_err(), "{open}");
    }
    // Closed again, a deep document is still refused, by depth.
    let closed = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    assert!(yaml::parse_documents(&closed).is_err());
    assert!(inspector_refuses(&closed));
    let nested_json = format!("{}1{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    assert!(keys::parse_keys(&nested_json).is_err());
}

/// Messages quote at most a little of what was pasted: a message holding a megabyte-long
/// server URL stalled Chromium laying it out as one word (found by tests/e2e/fuzz.test.mjs).
#[test]
fn messages_quote_only_a_little_of_a_huge_paste() {
    let huge = "A".repeat(MIB);
    for form in [
        KubeconfigForm {
            server: huge.clone(),
            ..KubeconfigForm::default()
        },
        KubeconfigForm {
            server: format!("{huge}://x"),
            namespace: format!("{huge}!"),
            cluster_name: huge.clone(),
            context_name: huge.clone(),
            user_name: huge.clone(),
            tls_server_name: huge.clone(),
            ..KubeconfigForm::default()
        },
        KubeconfigForm {
            server: format!("https://{huge}!"),
            ..KubeconfigForm::default()
        },
        KubeconfigForm {
            server: format!("https://[{huge}]"),
            ..KubeconfigForm::default()
        },
    ] {
        let out = kubeconfig::build(&form, 1_700_000_000);
        assert!(out.yaml.is_none());
        for problem in out.errors.iter().chain(&out.warnings) {
            assert!(problem.message.len() < 1000, "{:?}", problem.field);
        }
    }
    let kubeconfig = format!(
        "kind: Config\ncurrent-context: {huge}\ncontexts:\n- name: {huge}x\n  context: {{cluster: c, user: u}}\n"
    );
    let loaded = kubeconfig::load(&kubeconfig[..MIB - 100], None);
    if let Ok(loaded) = loaded {
        assert!(loaded.notes.iter().all(|n| n.message.len() < 1000));
    }
    let short = format!(
        "kind: Config\ncontexts:\n- name: {}\n  context: {{cluster: c, user: u}}\n",
        "B".repeat(100_000)
    );
    let e = kubeconfig::load(&short, Some(&"C".repeat(100_000))).unwrap_err();
    assert!(e.to_string().len() < 1000, "{}", e.to_string().len());
}

/// A megabyte pasted into any RBAC-builder or Can I field is refused with a message short
/// enough to show (quoting it back froze the page in the end-to-end fuzz test).
#[test]
fn rbac_and_access_fields_refuse_megabytes_briefly() {
    let big = "A".repeat(1024 * 1024 + 1);
    for i in 0..7 {
        let mut form = rbac::Preset::ReadPods.fill("x", "demo");
        match i {
            0 => form.service_account = big.clone(),
            1 => form.namespace = big.clone(),
            2 => form.cluster_role = big.clone(),
            3 => form.rules[0].api_groups = big.clone(),
            4 => form.rules[0].resources = big.clone(),
            5 => form.rules[0].verbs = big.clone(),
            _ => form.rules[0].resource_names = big.clone(),
        }
        let out = rbac::build(&form);
        assert!(out.yaml.is_none(), "field {i}");
        assert_eq!(out.errors.len(), 1, "field {i}");
        assert!(out.errors[0].message.len() < 200, "field {i}");
    }
    let subject = access::parse_subject(&big).unwrap_err().to_string();
    assert!(subject.len() < 500);
    for (verb, resource, namespace, name) in [
        (big.as_str(), "pods", "", ""),
        ("get", big.as_str(), "", ""),
        ("get", "pods", big.as_str(), ""),
        ("get", "pods", "", big.as_str()),
    ] {
        let e = access::Query::parse(verb, resource, namespace, name).unwrap_err();
        assert!(e.to_string().len() < 200);
    }
}
