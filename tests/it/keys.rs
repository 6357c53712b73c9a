//! Verification keys: parsing every key in the test vectors, Kubernetes key IDs, key choice
//! for every minted token, every error path, and the prepared WebCrypto inputs checked natively
//! with RustCrypto standing in for the browser.

use crate::native_verify;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use native_verify::native_verify;
use serde_json::Value;
use tokenscope::crypto::keys::{
    choose_key, conclude, kid_verdict, parse_keys, prepare_verify, Curve, KeyAlgorithm, KeyChoice,
    KeyError, KeySource, PemError, PemProblem, PublicKey, VerifyStatus,
};
use tokenscope::crypto::webcrypto::{Algorithm, Hash};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{VECTORS}{path}"))
        .unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn facts() -> Value {
    serde_json::from_str(&read("minted/facts.json")).expect("facts.json")
}

fn fact(name: &str) -> String {
    facts()[name].as_str().expect(name).to_string()
}

fn keys_of(input: &str) -> Vec<PublicKey> {
    match parse_keys(input) {
        Ok(set) => {
            assert!(
                set.problems.is_empty(),
                "unexpected problems: {:?}",
                set.problems
            );
            set.keys
        }
        Err(e) => panic!("parse_keys failed: {e}"),
    }
}

const RSA2048: KeyAlgorithm = KeyAlgorithm::Rsa { bits: 2048 };
const P256: KeyAlgorithm = KeyAlgorithm::Ec { curve: Curve::P256 };

/// One key file: what it is and its Kubernetes kid, as computed independently
/// (`openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary`, base64url) or stated by
/// the source.
fn check_key_file(path: &str, algorithm: KeyAlgorithm, kid: &str) {
    let keys = keys_of(&read(path));
    assert_eq!(keys.len(), 1, "{path}");
    let key = &keys[0];
    assert_eq!(key.algorithm, algorithm, "{path}");
    assert_eq!(key.kubernetes_kid, kid, "{path}");
}

#[test]
fn every_public_key_file_parses_with_the_right_kid() {
    let rsa_kid = fact("rsa_kid");
    let ec_kid = fact("ec_kid");
    let other_kid = fact("other_rsa_kid");
    let cases: &[(&str, KeyAlgorithm, &str)] = &[
        ("minted/sa-rsa.pub.pem", RSA2048, &rsa_kid),
        ("minted/sa-rsa.pkcs1.pub.pem", RSA2048, &rsa_kid),
        ("minted/sa-ec.pub.pem", P256, &ec_kid),
        ("minted/other-rsa.pub.pem", RSA2048, &other_kid),
        (
            "real/keys/k8s-upstream-test-rsa.pub.pem",
            RSA2048,
            "JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU",
        ),
        (
            "real/keys/k8s-upstream-test-ecdsa-p256.pub.pem",
            P256,
            "SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc",
        ),
        (
            "real/keys/k8s-upstream-test-other-rsa.pub.pem",
            RSA2048,
            "yEooMTEt7THsoVd-yf2m_0tmtgtZWGhAPFm296R5q18",
        ),
        (
            "real/keys/vault-k8s-minikube-v1.12.1-sa.pub.pem",
            RSA2048,
            "gtdvNUN-_FAKhCAwBD8_7xNwx0p63jvLYXY5WS3uO_8",
        ),
        (
            "real/keys/vault-k8s-minikube-v1.18.10-sa.pub.pem",
            RSA2048,
            // The token this key signed carries this kid, which proves the derivation on a
            // key from a real cluster.
            "pJcxkJ4q0O1tOt0Z37VB6-x6Mw8xFZSxM9roPtMQq0A",
        ),
    ];
    for (path, algorithm, kid) in cases {
        check_key_file(path, *algorithm, kid);
    }
}

/// Every file with PEM in it under `dirs`, as (path relative to the vectors, text).
fn pem_files(dirs: &[&str]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(format!("{VECTORS}{dir}")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let text = read(&format!("{dir}/{name}"));
            if text.contains("-----BEGIN ") {
                files.push((format!("{dir}/{name}"), text));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_pem_in_the_vectors_gives_one_key_per_block_or_is_refused() {
    let files = pem_files(&["minted", "real/keys", "real/certs"]);
    assert_eq!(files.len(), 18);
    for (path, text) in files {
        let blocks = text.matches("-----BEGIN ").count();
        match parse_keys(&text) {
            Ok(set) => {
                assert!(set.problems.is_empty(), "{path}: {:?}", set.problems);
                assert_eq!(set.keys.len(), blocks, "{path}");
            }
            Err(e @ KeyError::PrivateKey { .. }) => {
                assert!(path.ends_with(".key.pem"), "{path}: {e}")
            }
            Err(e) => panic!("{path}: {e}"),
        }
    }
}

#[test]
fn kids_stated_in_the_manifest_notes_are_reproduced() {
    let manifest: Value = serde_json::from_str(&read("real/manifest.json")).unwrap();
    let mut checked = 0;
    for (path, entry) in manifest.as_object().unwrap() {
        let note = entry["note"].as_str().unwrap_or("");
        if !path.starts_with("keys/") || !path.contains(".pub") || !note.contains("kid") {
            continue;
        }
        // A kid is 43 base64url characters: 32 bytes of SHA-256 without padding.
        let stated: Vec<&str> = note
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| w.len() == 43)
            .collect();
        assert!(!stated.is_empty(), "{path}: {note}");
        let key = &keys_of(&read(&format!("real/{path}")))[0];
        for kid in stated {
            assert_eq!(key.kubernetes_kid, kid, "{path}");
        }
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn pkcs1_and_spki_of_one_key_give_the_same_key() {
    let spki = keys_of(&read("minted/sa-rsa.pub.pem"));
    let pkcs1 = keys_of(&read("minted/sa-rsa.pkcs1.pub.pem"));
    assert_eq!(spki[0].spki_der, pkcs1[0].spki_der);
    assert_eq!(spki[0].kubernetes_kid, pkcs1[0].kubernetes_kid);
    // And the re-encoding is byte-identical to what openssl wrote, i.e. canonical.
    let pem = read("minted/sa-rsa.pub.pem");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    assert_eq!(spki[0].spki_der, der);
}

#[test]
fn jwks_kids_equal_computed_kubernetes_kids() {
    for path in [
        "minted/jwks.json",
        "real/jwks/k8s-upstream-openid-v1-jwks.json",
        "real/jwks/capi-openstack-bearsan.openid-v1-jwks.json",
    ] {
        let keys = keys_of(&read(path));
        assert!(!keys.is_empty(), "{path}");
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(key.source, KeySource::Jwks { index: i + 1 });
            assert_eq!(
                key.jwk_kid.as_deref(),
                Some(key.kubernetes_kid.as_str()),
                "{path} #{i}"
            );
        }
    }
    let minted = keys_of(&read("minted/jwks.json"));
    assert_eq!(minted[0].kubernetes_kid, fact("rsa_kid"));
    assert_eq!(minted[0].algorithm, RSA2048);
    assert_eq!(minted[0].jwk_alg.as_deref(), Some("RS256"));
    assert_eq!(minted[1].kubernetes_kid, fact("ec_kid"));
    assert_eq!(minted[1].algorithm, P256);
    // The JWKS and the PEM files describe the same keys, byte for byte.
    assert_eq!(
        minted[0].spki_der,
        keys_of(&read("minted/sa-rsa.pub.pem"))[0].spki_der
    );
    assert_eq!(
        minted[1].spki_der,
        keys_of(&read("minted/sa-ec.pub.pem"))[0].spki_der
    );
    let upstream = keys_of(&read("real/jwks/k8s-upstream-openid-v1-jwks.json"));
    let pem = keys_of(&read("real/keys/k8s-upstream-test-rsa.pub.pem"));
    assert_eq!(upstream[0].spki_der, pem[0].spki_der);
}

#[test]
fn a_single_jwk_and_several_pem_blocks() {
    let jwks: Value = serde_json::from_str(&read("minted/jwks.json")).unwrap();
    let single = keys_of(&jwks["keys"][1].to_string());
    assert_eq!(single[0].source, KeySource::Jwk);
    assert_eq!(single[0].kubernetes_kid, fact("ec_kid"));

    let both = format!(
        "{}\n{}",
        read("minted/sa-rsa.pub.pem"),
        read("minted/sa-ec.pub.pem")
    );
    let keys = keys_of(&both);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1].source.to_string(), "PEM block 2 (PUBLIC KEY)");
    assert_eq!(keys[1].algorithm, P256);

    // A certificate gives its SubjectPublicKeyInfo; chain.pem gives one key per certificate.
    let ca = keys_of(&read("minted/ca.crt"));
    assert_eq!(ca[0].algorithm, RSA2048);
    let chain = keys_of(&read("minted/chain.pem"));
    assert_eq!(
        chain.iter().map(|k| k.algorithm).collect::<Vec<_>>(),
        [P256, RSA2048]
    );
    assert_eq!(chain[1].spki_der, ca[0].spki_der);

    // Base64 of a PEM file, as a Secret's `data` holds it, and indented PEM as in YAML.
    let b64 = base64::engine::general_purpose::STANDARD.encode(read("minted/sa-ec.pub.pem"));
    assert_eq!(keys_of(&b64)[0].kubernetes_kid, fact("ec_kid"));
    let indented: String = read("minted/sa-rsa.pub.pem")
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    assert_eq!(keys_of(&indented)[0].kubernetes_kid, fact("rsa_kid"));
    // PEM copied out of a JSON string keeps its `\n` escapes.
    let escaped = read("minted/sa-rsa.pub.pem").replace('\n', "\\n");
    assert_eq!(keys_of(&escaped)[0].kubernetes_kid, fact("rsa_kid"));
}

/// One input that must fail: the error and words its message must contain.
fn check_error(input: &str, expected: KeyError, words: &[&str]) {
    match parse_keys(input) {
        Ok(set) => panic!("expected {expected:?}, got {set:?}"),
        Err(e) => {
            assert_eq!(e, expected);
            let text = e.to_string();
            for w in words {
                assert!(text.contains(w), "{text:?} lacks {w:?}");
            }
        }
    }
}

#[test]
fn private_keys_are_refused() {
    let never = [
        "PRIVATE key",
        "Only the public key is needed",
        "never be pasted anywhere",
        "exposed",
    ];
    let private = read("real/keys/k8s-upstream-test-rsa.key.pem");
    let location = "The PEM block on line 1 (RSA PRIVATE KEY)".to_string();
    check_error(&private, KeyError::PrivateKey { location }, &never);
    // Refused even behind a valid public key, and whatever kind of private key it is.
    for label in [
        "PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
    ] {
        let input = format!(
            "{}-----BEGIN {label}-----\nMIIB\n-----END {label}-----\n",
            read("minted/sa-rsa.pub.pem")
        );
        let location = format!("The PEM block on line 10 ({label})");
        check_error(&input, KeyError::PrivateKey { location }, &never);
    }
    // A JWK with the private exponent is a private key too.
    let jwk = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}]}"#;
    let location = "JWKS key 1 (it has the private member \"d\")".to_string();
    check_error(jwk, KeyError::PrivateKey { location }, &never);
}

#[test]
fn error_paths_say_where() {
    check_error("  \n", KeyError::Empty, &["No key pasted"]);
    check_error(
        "hello, world",
        KeyError::Base64 { line: 1, column: 6 },
        &["line 1, column 6"],
    );
    check_error("aGVsbG8=", KeyError::Unrecognised, &["/openid/v1/jwks"]);
    check_error(
        "{\"keys\": [\n  {\"kty\": \"RSA\",,}\n]}",
        KeyError::Json {
            line: 2,
            column: 17,
            message: "key must be a string".to_string(),
        },
        &["not valid JSON: line 2, column 17"],
    );
    check_error("{\"keys\": []}", KeyError::EmptyKeySet, &["no keys"]);
    check_error("{\"keys\": {}}", KeyError::EmptyKeySet, &["no keys"]);
    check_error("[1, 2]", KeyError::NotJwks, &["neither a JWKS"]);
    check_error(
        &read("real/jwks/k8s-upstream-openid-configuration.json"),
        KeyError::DiscoveryDocument {
            jwks_uri: Some("https://issuer.example.com/openid/v1/jwks".to_string()),
        },
        &["discovery document", "jwks_uri"],
    );

    let pem = read("minted/sa-rsa.pub.pem");
    let pem_error = |line, problem| {
        KeyError::Pem(PemError {
            block: 1,
            label: "PUBLIC KEY".to_string(),
            line,
            problem,
        })
    };
    let truncated: String = pem.lines().take(5).map(|l| format!("{l}\n")).collect();
    check_error(
        &truncated,
        pem_error(1, PemProblem::MissingEnd),
        &["no `-----END PUBLIC KEY-----` line", "cut off"],
    );
    let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
    lines[3].replace_range(10..11, "!");
    check_error(
        &lines.join("\n"),
        pem_error(
            4,
            PemProblem::BadBase64 {
                column: 11,
                found: '!',
            },
        ),
        &["'!' on line 4, column 11 is not base64"],
    );
    check_error(
        &pem.replacen("MIIB", "M", 1),
        pem_error(8, PemProblem::Truncated),
        &["part-way through a byte on line 8"],
    );
    check_error(
        &pem.replace("END PUBLIC KEY", "END CERTIFICATE"),
        pem_error(9, PemProblem::MismatchedEnd("CERTIFICATE".to_string())),
        &["ends it as CERTIFICATE"],
    );
    check_error(
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
        pem_error(1, PemProblem::Empty),
        &["is empty"],
    );
    check_error(
        "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----",
        KeyError::UnsupportedPemLabel {
            block: 1,
            label: "CERTIFICATE REQUEST".to_string(),
        },
        &["holds no public key"],
    );
    // DER that is not a key says at which byte it broke.
    let der = keys_of(&pem)[0].spki_der.clone();
    let cut = base64::engine::general_purpose::STANDARD.encode(&der[..100]);
    let status = parse_keys(&format!(
        "-----BEGIN PUBLIC KEY-----\n{cut}\n-----END PUBLIC KEY-----"
    ));
    let Err(
        e @ KeyError::Der {
            expected: "SubjectPublicKeyInfo",
            offset: Some(_),
            ..
        },
    ) = status
    else {
        panic!("expected a DER error with an offset, got {status:?}")
    };
    assert!(e.to_string().contains("at DER byte"), "{e}");
    // Ed25519 SubjectPublicKeyInfo (RFC 8410 example).
    let source = KeySource::Pem {
        block: 1,
        label: "PUBLIC KEY".to_string(),
    };
    check_error(
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----",
        KeyError::Unsupported { source, what: "key algorithm 1.3.101.112".to_string() },
        &["only with RSA keys or EC keys"],
    );
}

#[test]
fn jwk_error_paths() {
    let jwks = |jwk: &str| format!("{{\"keys\":[{jwk}]}}");
    let first = || KeySource::Jwks { index: 1 };
    let unsupported = |what: &str| KeyError::Unsupported {
        source: first(),
        what: what.into(),
    };
    let bad = |source, reason: &str| KeyError::BadKey {
        source,
        reason: reason.into(),
    };
    let cases: &[(&str, KeyError, &str)] = &[
        (
            &jwks(r#"{"kty":"oct","k":"AA"}"#),
            unsupported("kty \"oct\""),
            "JWKS key 1 has kty \"oct\"",
        ),
        (
            &jwks(r#"{"kty":"OKP","crv":"Ed25519","x":"AA"}"#),
            unsupported("kty \"OKP\""),
            "only with RSA keys",
        ),
        (
            &jwks(r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#),
            unsupported("curve \"secp256k1\""),
            "has curve \"secp256k1\"",
        ),
        (
            &jwks(r#"{"kty":"RSA","e":"AQAB"}"#),
            bad(first(), "member \"n\" is missing or not a string"),
            "JWKS key 1: member \"n\" is missing",
        ),
        (
            r#"{"kty":"RSA","n":"AQAB","e":1}"#,
            bad(KeySource::Jwk, "member \"e\" is missing or not a string"),
            "the JWK: member \"e\"",
        ),
        (
            &jwks(r#"{"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB"}"#),
            bad(
                first(),
                "member \"x\" is 3 bytes; a P-256 coordinate is 32 bytes",
            ),
            "member \"x\" is 3 bytes",
        ),
        (
            &jwks(r#"{"kty":"RSA","n":"A*B","e":"AQAB"}"#),
            bad(first(), "member \"n\" is not base64url: '*' at character 2"),
            "not base64url",
        ),
        (
            &jwks(r#"{"kty":"RSA","n":"AAAA","e":"AQAB"}"#),
            bad(first(), "the RSA modulus or exponent is zero"),
            "is zero",
        ),
    ];
    for (input, expected, words) in cases {
        check_error(input, expected.clone(), &[words]);
    }
    // A compressed EC point in a SubjectPublicKeyInfo is named as such.
    let ec = keys_of(&read("minted/sa-ec.pub.pem"))[0].spki_der.clone();
    let mut compressed = ec[..ec.len() - 32].to_vec();
    compressed[1] -= 32; // outer SEQUENCE length
    let n = compressed.len();
    compressed[n - 35] -= 32; // BIT STRING length
    compressed[n - 33] = 0x02; // point form: compressed, even y
    let b64 = base64::engine::general_purpose::STANDARD.encode(&compressed);
    let status = parse_keys(&format!(
        "-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----"
    ));
    assert!(status
        .unwrap_err()
        .to_string()
        .contains("the EC point is compressed"));

    // One unusable key does not hide the usable ones; it is reported beside them.
    let mixed = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AA"},
        {"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]}"#;
    let set = parse_keys(mixed).unwrap();
    assert_eq!(set.keys.len(), 1);
    assert_eq!(set.keys[0].source, KeySource::Jwks { index: 2 });
    assert_eq!(set.keys[0].algorithm, KeyAlgorithm::Rsa { bits: 17 });
    assert_eq!(set.problems, [unsupported("kty \"OKP\"")]);
}

/// A compact JWS split the way the shell will: header JSON, signing input, signature bytes.
struct Jws {
    header: Value,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

fn jws(path: &str) -> Jws {
    let token = read(path);
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{path}");
    let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    Jws {
        header,
        signing_input: format!("{}.{}", parts[0], parts[1]).into_bytes(),
        signature: URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
    }
}

impl Jws {
    fn alg(&self) -> &str {
        self.header["alg"].as_str().unwrap()
    }
    fn kid(&self) -> Option<&str> {
        self.header["kid"].as_str()
    }
}

/// Runs what the shell will run: choose, prepare, verify natively, conclude.
fn verify(token: &Jws, keys: &[PublicKey]) -> VerifyStatus {
    match choose_key(keys, token.kid(), token.alg()) {
        KeyChoice::Done(status) => status,
        KeyChoice::Try { keys: chosen, .. } => {
            let outcomes: Vec<_> = chosen
                .iter()
                .map(|&i| {
                    let result = prepare_verify(
                        &keys[i],
                        token.alg(),
                        &token.signing_input,
                        &token.signature,
                    )
                    .map(|v| native_verify(&v).expect("WebCrypto would accept the inputs"));
                    (i, result)
                })
                .collect();
            conclude(keys, &outcomes)
        }
    }
}

fn starts(status: &VerifyStatus, prefix: &str) {
    assert!(
        status.to_string().starts_with(prefix),
        "{status} does not start with {prefix:?}"
    );
}

#[test]
fn key_choice_and_verdict_for_every_minted_token() {
    let jwks = keys_of(&read("minted/jwks.json"));
    let rsa = fact("rsa_kid");
    let ec = fact("ec_kid");
    let cases: &[(&str, Option<usize>, &str)] = &[
        ("token-legacy-rs256.jwt", Some(0), "Verified"),
        ("token-bound-pod-rs256.jwt", Some(0), "Verified"),
        ("token-expired-rs256.jwt", Some(0), "Verified"),
        ("token-bound-es256.jwt", Some(1), "Verified"),
        ("token-signed-by-other.jwt", Some(0), "Invalid signature"),
        ("token-tampered.jwt", Some(1), "Invalid signature"),
        ("token-alg-none.jwt", None, "Unsigned"),
    ];
    for (file, chosen, verdict) in cases {
        let token = jws(&format!("minted/{file}"));
        let choice = choose_key(&jwks, token.kid(), token.alg());
        match (chosen, &choice) {
            (Some(i), KeyChoice::Try { keys, reason }) => {
                assert_eq!(keys, &vec![*i], "{file}");
                assert!(reason.contains("kid matches JWKS key"), "{reason}");
            }
            (None, KeyChoice::Done(VerifyStatus::Unsigned)) => {}
            _ => panic!("{file}: {choice:?}"),
        }
        let status = verify(&token, &jwks);
        starts(&status, verdict);
        if *verdict == "Verified" {
            let kid = if chosen == &Some(0) { &rsa } else { &ec };
            assert_eq!(
                status.to_string(),
                format!("Verified with JWKS key {} (kid {kid})", chosen.unwrap() + 1)
            );
        }
    }
    // The same tokens against PEM keys: matched through the derived kid.
    let pem = keys_of(&read("minted/sa-rsa.pub.pem"));
    let status = verify(&jws("minted/token-legacy-rs256.jwt"), &pem);
    assert_eq!(
        status.to_string(),
        format!("Verified with PEM block 1 (PUBLIC KEY) (kid {rsa})")
    );
    let other = keys_of(&read("minted/other-rsa.pub.pem"));
    starts(
        &verify(&jws("minted/token-signed-by-other.jwt"), &pem),
        "Invalid signature",
    );
    // The kid does not name other-rsa, but a PEM key is still tried, and it signed this one.
    starts(
        &verify(&jws("minted/token-signed-by-other.jwt"), &other),
        "Verified",
    );
}

#[test]
fn key_choice_rules() {
    let jwks = keys_of(&read("minted/jwks.json"));
    let upstream = keys_of(&read("real/jwks/k8s-upstream-openid-v1-jwks.json"));
    let ec_pem = keys_of(&read("minted/sa-ec.pub.pem"));
    let rsa_kid = fact("rsa_kid");
    let done = |keys: &[PublicKey], kid: Option<&str>, alg: &str| match choose_key(keys, kid, alg) {
        KeyChoice::Done(status) => status,
        other => panic!("expected a verdict, got {other:?}"),
    };

    let status = done(&upstream, Some(&rsa_kid), "RS256");
    assert_eq!(
        status,
        VerifyStatus::NoMatchingKey {
            token_kid: rsa_kid.clone(),
            kids_present: upstream
                .iter()
                .map(|k| k.jwk_kid.clone().unwrap())
                .collect(),
        }
    );
    starts(&status, "No matching key");
    assert!(status
        .to_string()
        .contains("JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU"));

    let status = done(&ec_pem, Some(&rsa_kid), "RS256");
    starts(&status, "Key does not fit");
    assert!(status.to_string().contains("EC P-256 key"), "{status}");
    assert!(status.to_string().contains("RS256 token"), "{status}");
    // The kid names the EC key, but the header says RS256.
    starts(
        &done(&jwks, Some(&fact("ec_kid")), "RS256"),
        "Key does not fit",
    );
    // ES384 needs P-384.
    starts(&done(&jwks, None, "ES384"), "Key does not fit");

    for alg in ["HS256", "EdDSA", "RS1", "", "ES256K"] {
        let status = done(&jwks, None, alg);
        assert_eq!(
            status,
            VerifyStatus::UnsupportedAlgorithm {
                alg: alg.to_string()
            }
        );
        starts(&status, "Unsupported algorithm");
    }
    assert!(done(&jwks, None, "HS256")
        .to_string()
        .contains("shared secret"));
    starts(&done(&jwks, Some("x"), "none"), "Unsigned");
    starts(&done(&[], Some("x"), "RS256"), "No matching key");

    // Empty or absent kid: every key that fits the algorithm, in order.
    for kid in [None, Some("")] {
        let KeyChoice::Try { keys, reason } = choose_key(&jwks, kid, "RS256") else {
            panic!("expected keys to try")
        };
        assert_eq!(keys, [0]);
        assert!(reason.contains("no kid"), "{reason}");
        let KeyChoice::Try { keys, .. } = choose_key(&jwks, kid, "PS384") else {
            panic!()
        };
        assert_eq!(keys, [0]);
        let KeyChoice::Try { keys, .. } = choose_key(&jwks, kid, "ES256") else {
            panic!()
        };
        assert_eq!(keys, [1]);
    }
}

#[test]
fn real_tokens_verify_with_their_published_keys() {
    let v18 = keys_of(&read("real/keys/vault-k8s-minikube-v1.18.10-sa.pub.pem"));
    let v12 = keys_of(&read("real/keys/vault-k8s-minikube-v1.12.1-sa.pub.pem"));
    let projected = jws("real/tokens/bound/vault-projected-minikube-rs256-exp2030.jwt");
    starts(&verify(&projected, &v18), "Verified with PEM block 1");
    starts(&verify(&projected, &v12), "Invalid signature");
    let kid_empty = jws("real/tokens/bound/vault-projected-minikube-v1.12-kid-empty.jwt");
    assert_eq!(kid_empty.kid(), Some(""));
    starts(&verify(&kid_empty, &v12), "Verified with PEM block 1");
    starts(&verify(&kid_empty, &v18), "Invalid signature");
    // Both keys pasted together: the kid-less token is tried against each, and one verifies.
    let both = keys_of(&format!(
        "{}{}",
        read("real/keys/vault-k8s-minikube-v1.18.10-sa.pub.pem"),
        read("real/keys/vault-k8s-minikube-v1.12.1-sa.pub.pem")
    ));
    starts(&verify(&kid_empty, &both), "Verified with PEM block 2");
}

#[test]
fn the_unknown_key_token_fails_against_every_key() {
    let token = jws("real/tokens/legacy/vault-legacy-rs256-unknown-key.jwt");
    assert_eq!(token.signature.len(), 128);
    let mut pastes: Vec<String> = std::fs::read_dir(format!("{VECTORS}real/keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".pub.pem"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(pastes.len(), 5);
    for path in [
        "minted/jwks.json",
        "real/jwks/k8s-upstream-openid-v1-jwks.json",
    ] {
        pastes.push(read(path));
    }
    for paste in &pastes {
        let keys = keys_of(paste);
        let status = verify(&token, &keys);
        // The EC key alone cannot even have made an RS256 signature.
        assert!(
            matches!(
                status,
                VerifyStatus::InvalidSignature { .. } | VerifyStatus::KeyDoesNotFit { .. }
            ),
            "{status}"
        );
        // Every key tried is the wrong size for a 1024-bit signature: the message says so.
        if keys.len() == 1 && matches!(keys[0].algorithm, KeyAlgorithm::Rsa { .. }) {
            assert!(status.to_string().contains("about 1024 bits"), "{status}");
        }
        // And natively, with the length check out of the way, it still does not verify.
        for key in keys
            .iter()
            .filter(|k| matches!(k.algorithm, KeyAlgorithm::Rsa { .. }))
        {
            let mut padded = vec![0u8; 256 - token.signature.len()];
            padded.extend_from_slice(&token.signature);
            let prepared = prepare_verify(key, "RS256", &token.signing_input, &padded).unwrap();
            assert_eq!(native_verify(&prepared), Ok(false));
        }
    }
}

#[test]
fn prepared_webcrypto_inputs() {
    let jwks = keys_of(&read("minted/jwks.json"));
    let token = jws("minted/token-bound-es256.jwt");
    let prepared =
        prepare_verify(&jwks[1], "ES256", &token.signing_input, &token.signature).unwrap();
    assert_eq!(
        prepared.algorithm,
        Algorithm::Ecdsa {
            hash: Hash::Sha256,
            curve: Curve::P256
        }
    );
    assert_eq!(prepared.signature.len(), 64);
    assert_eq!(prepared.spki_der, jwks[1].spki_der);

    let rsa = prepare_verify(&jwks[0], "PS512", b"x", &[0; 256]).unwrap();
    assert_eq!(
        rsa.algorithm,
        Algorithm::RsaPss {
            hash: Hash::Sha512,
            salt_length: 64
        }
    );
    let rsa = prepare_verify(&jwks[0], "RS384", b"x", &[0; 256]).unwrap();
    assert_eq!(rsa.algorithm, Algorithm::RsaPkcs1v15 { hash: Hash::Sha384 });

    // A DER-encoded ECDSA signature is not a JWS signature: said before any crypto.
    let der_sig = [&[0x30u8, 0x45][..], &[0; 69]].concat();
    let status = prepare_verify(&jwks[1], "ES256", b"x", &der_sig).unwrap_err();
    starts(&status, "Invalid signature");
    assert!(status.to_string().contains("looks DER-encoded"), "{status}");
    let status = prepare_verify(&jwks[1], "ES256", b"x", &[1; 63]).unwrap_err();
    assert!(
        status
            .to_string()
            .contains("64 bytes of raw r‖s; this one is 63"),
        "{status}"
    );
    starts(
        &prepare_verify(&jwks[1], "RS256", b"x", &[0; 64]).unwrap_err(),
        "Key does not fit",
    );
    starts(
        &prepare_verify(&jwks[0], "none", b"x", &[]).unwrap_err(),
        "Unsigned",
    );
}

#[test]
fn conclude_reports_what_was_tried() {
    let keys = keys_of(&format!(
        "{}{}",
        read("minted/sa-rsa.pub.pem"),
        read("minted/other-rsa.pub.pem")
    ));
    let status = conclude(&keys, &[(0, Ok(false)), (1, Ok(true))]);
    assert_eq!(
        status,
        VerifyStatus::Verified {
            key: "PEM block 2 (PUBLIC KEY)".to_string(),
            kid: keys[1].kubernetes_kid.clone(),
        }
    );
    let status = conclude(&keys, &[(0, Ok(false)), (1, Ok(false))]);
    starts(
        &status,
        "Invalid signature: the signature matches none of the keys tried",
    );
    assert!(status.to_string().contains("PEM block 2"), "{status}");
    let status = conclude(&keys, &[(0, Ok(false))]);
    starts(
        &status,
        "Invalid signature: the signature does not match PEM block 1",
    );
    let refused = VerifyStatus::InvalidSignature {
        detail: "short".to_string(),
    };
    assert_eq!(conclude(&keys, &[(0, Err(refused.clone()))]), refused);
    starts(&conclude(&keys, &[]), "Invalid signature: no key was tried");
}

#[test]
fn the_key_table_says_which_key_the_token_names() {
    let jwks = keys_of(&read("minted/jwks.json"));
    let key = &jwks[0];
    assert_eq!(kid_verdict(key, None), "token has no kid");
    assert_eq!(kid_verdict(key, Some("")), "token has no kid");
    let yes = "Yes: this key signed it, if it verifies";
    assert_eq!(kid_verdict(key, Some(&key.kubernetes_kid)), yes);
    let stated = key.jwk_kid.as_deref().unwrap();
    assert_eq!(kid_verdict(key, Some(stated)), yes);
    assert_eq!(kid_verdict(key, Some("another-key")), "No");
}
