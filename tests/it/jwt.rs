//! Splitting and decoding compact JWS: real tokens decode to their documented claims, and every
//! broken token is reported with its part and position.
//!
//! Data-driven through [`check`]: a token and the decoded parts (or the exact error) expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use common::{b64url, fact, manifest, token, vector};
use serde_json::{json, Value};
use tokenscope::inspect::input;
use tokenscope::support::error::{Segment, TokenError};
use tokenscope::token::jwt::{self, MAX_INPUT_BYTES};

/// What a token must decode to.
struct Decoded {
    header: Value,
    payload: Value,
    signature_len: usize,
}

/// Decodes `token` and compares the result with `expected`; for errors, also checks that the
/// message names the part and the position.
fn check(token: &str, expected: Result<Decoded, TokenError>) {
    match (jwt::decode(token), expected) {
        (Ok(got), Ok(want)) => {
            assert_eq!(Value::Object(got.header.clone()), want.header, "header");
            assert_eq!(Value::Object(got.payload.clone()), want.payload, "payload");
            assert_eq!(got.signature.len(), want.signature_len, "signature length");
            // The parts are kept as they were, so the signature can be checked later.
            assert_eq!(
                format!("{}.{}", got.signing_input(), got.signature_b64),
                token
            );
        }
        (Err(got), Err(want)) => {
            assert_eq!(got, want);
            check_message(&got);
        }
        (got, want) => panic!(
            "expected {:?}, got {:?}",
            want.map(|w| w.payload),
            got.map(|g| g.payload)
        ),
    }
}

/// Every error that has a part and a position names both in its message.
fn check_message(error: &TokenError) {
    let text = error.to_string();
    let has = |fragment: &str| assert!(text.contains(fragment), "{text:?} lacks {fragment:?}");
    match error {
        TokenError::EmptySegment { segment } => has(&format!(
            "The {} part ({})",
            segment.name(),
            segment.ordinal()
        )),
        TokenError::InvalidCharacter {
            segment,
            offset,
            token_offset,
            character,
        } => {
            has(&format!(
                "character {character:?} at offset {offset} of the {} part (offset {token_offset} in the token)",
                segment.name()
            ));
        }
        TokenError::InvalidLength { segment, length } => has(&format!(
            "The {} part has {length} characters",
            segment.name()
        )),
        TokenError::NotUtf8 {
            segment,
            byte,
            near_character,
        } => {
            has(&format!("The {} part", segment.name()));
            has(&format!("byte {byte}"));
            has(&format!("character {near_character} of the part"));
        }
        TokenError::NotJson {
            segment,
            line,
            column,
            message,
        } => {
            has(&format!(
                "{message} (line {line}, column {column} of the decoded {})",
                segment.name()
            ));
        }
        TokenError::NotObject { segment, found } => {
            has(&format!("The {} part is JSON but {found}", segment.name()))
        }
        TokenError::MissingSignature => has("the signature, is missing"),
        TokenError::SegmentCount { found } => has(&format!("{found} dot-separated parts")),
        TokenError::TooLarge { bytes, limit } => {
            has(&format!("{} KiB", bytes / 1024));
            has(&format!("{} KiB", limit / 1024));
        }
        TokenError::Empty | TokenError::NoDots | TokenError::Encrypted => assert!(!text.is_empty()),
    }
}

/// `token` with its segment `index` replaced by `part`.
fn with_part(token: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

fn legacy() -> String {
    token("minted/token-legacy-rs256.jwt")
}

const NONE_HEADER: &str = "eyJhbGciOiJub25lIn0"; // {"alg":"none"}

/// An unsigned token whose payload is exactly `payload` (any bytes).
fn with_payload(payload: &[u8]) -> String {
    format!("{NONE_HEADER}.{}.", b64url(payload))
}

#[test]
fn minted_tokens() {
    let rsa = json!({"alg": "RS256", "kid": fact("rsa_kid"), "typ": "JWT"});
    let (ns, sa, uid) = (fact("namespace"), fact("serviceaccount"), fact("sa_uid"));
    let sub = format!("system:serviceaccount:{ns}:{sa}");
    check(
        &legacy(),
        Ok(Decoded {
            header: rsa.clone(),
            payload: json!({
                "iss": "kubernetes/serviceaccount",
                "kubernetes.io/serviceaccount/namespace": ns,
                "kubernetes.io/serviceaccount/secret.name": "podgetter-token-x7k2p",
                "kubernetes.io/serviceaccount/service-account.name": sa,
                "kubernetes.io/serviceaccount/service-account.uid": uid,
                "sub": sub,
            }),
            signature_len: 256,
        }),
    );
    let bound = json!({
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "exp": 1_795_420_446,
        "iat": 1_795_416_846,
        "iss": fact("issuer"),
        "jti": "a77b6e5e-892b-5e68-8ea6-ca9c169617ff",
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa, "uid": uid}},
        "nbf": 1_795_416_846,
        "sub": sub,
    });
    check(
        &token("minted/token-bound-es256.jwt"),
        Ok(Decoded {
            header: json!({"alg": "ES256", "kid": fact("ec_kid"), "typ": "JWT"}),
            payload: bound.clone(),
            // ES256 signatures are r || s, 32 bytes each.
            signature_len: 64,
        }),
    );
    check(
        &token("minted/token-alg-none.jwt"),
        Ok(Decoded {
            header: json!({"alg": "none", "typ": "JWT"}),
            payload: bound,
            signature_len: 0,
        }),
    );
    check(
        &token("minted/token-bound-pod-rs256.jwt"),
        Ok(Decoded {
            header: rsa,
            payload: json!({
                "aud": ["https://kubernetes.default.svc.cluster.local"],
                "exp": 1_826_952_846,
                "iat": 1_795_416_846,
                "iss": fact("issuer"),
                "jti": "f0964b46-91b2-5c3c-972e-5f525e324b95",
                "kubernetes.io": {
                    "namespace": ns,
                    "serviceaccount": {"name": sa, "uid": uid},
                    "pod": {"name": fact("bound_pod"), "uid": "4c08b7ca-91c2-5798-ac0e-5068431a7c82"},
                    "warnafter": 1_795_420_453,
                    "node": {"name": "worker-3", "uid": "302fc40f-74ef-5bd1-871f-1bf4a245ce2a"},
                },
                "nbf": 1_795_416_846,
                "sub": sub,
            }),
            signature_len: 256,
        }),
    );
}

#[test]
fn real_tokens_decode_to_their_documented_claims() {
    let manifest = manifest();
    let mut seen = 0;
    for (path, entry) in manifest.as_object().unwrap() {
        let (header, payload) = match (&entry["header"], &entry["payload"]) {
            (Value::Object(_), Value::Object(_)) => (&entry["header"], &entry["payload"]),
            _ => match (
                &entry["decoded_token_header"],
                &entry["decoded_token_payload"],
            ) {
                (Value::Object(_), Value::Object(_)) => (
                    &entry["decoded_token_header"],
                    &entry["decoded_token_payload"],
                ),
                _ => continue,
            },
        };
        // Files hold the token as found: after `Bearer `, with a newline, inside a Secret.
        let found = input::recognise(&vector(&format!("real/{path}"))).unwrap();
        let compact = &found.candidates[0].token;
        // 1024-bit RSA for the one token signed by an unpublished key, 2048-bit elsewhere.
        let signature_len = if path.contains("vault-legacy-rs256-unknown-key") {
            128
        } else {
            256
        };
        check(
            compact,
            Ok(Decoded {
                header: header.clone(),
                payload: payload.clone(),
                signature_len,
            }),
        );
        seen += 1;
    }
    assert_eq!(seen, 10, "tokens documented in manifest.json");
}

#[test]
fn accessors_keep_order_and_parts() {
    let t = legacy();
    let jwt = jwt::decode(&t).unwrap();
    assert_eq!(jwt.alg(), Some("RS256"));
    assert_eq!(jwt.kid(), Some(fact("rsa_kid").as_str()));
    assert_eq!(jwt.signing_input(), t.rsplit_once('.').unwrap().0);
    assert_eq!(
        jwt.header_pretty(),
        format!(
            "{{\n  \"alg\": \"RS256\",\n  \"kid\": \"{}\",\n  \"typ\": \"JWT\"\n}}",
            fact("rsa_kid")
        )
    );
    let keys: Vec<&str> = jwt.payload.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "iss",
            "kubernetes.io/serviceaccount/namespace",
            "kubernetes.io/serviceaccount/secret.name",
            "kubernetes.io/serviceaccount/service-account.name",
            "kubernetes.io/serviceaccount/service-account.uid",
            "sub"
        ]
    );
    assert!(jwt
        .payload_pretty()
        .starts_with("{\n  \"iss\": \"kubernetes/serviceaccount\",\n  \"kubernetes.io/serviceaccount/namespace\": \"demo\","));
    // No kid at all vs an empty kid.
    let wild = jwt::decode(&token("wild/legacy-kube-system-default.jwt")).unwrap();
    assert_eq!(wild.kid(), None);
    let empty = jwt::decode(&token("real/tokens/legacy/istio-gke-legacy-kid-empty.jwt")).unwrap();
    assert_eq!(empty.kid(), Some(""));
}

#[test]
fn unusual_but_valid_encodings() {
    // RFC 7519 §6.1: alg none, empty signature, CRLF inside the payload JSON.
    check(
        &token("real/malformed/rfc7519-6.1-unsecured-alg-none.jwt"),
        Ok(Decoded {
            header: json!({"alg": "none"}),
            payload: json!({"iss": "joe", "exp": 1_300_819_380, "http://example.com/is_root": true}),
            signature_len: 0,
        }),
    );
    // istio's payload: base64url '_' and no padding, non-ASCII UTF-8; behind a real header.
    let istio = token("real/malformed/istio-payload-base64url-underscore-utf8.txt");
    let payload = istio.split('.').nth(1).unwrap();
    check(
        &format!("{NONE_HEADER}.{payload}."),
        Ok(Decoded {
            header: json!({"alg": "none"}),
            payload: json!({"iss": "https://example.com", "aud": "Joe Ardoñez"}),
            signature_len: 0,
        }),
    );
    // Padding is tolerated at the end of a part.
    let jwt = jwt::decode(&legacy()).unwrap();
    let padded = format!(
        "{}==.{}.{}",
        jwt.header_b64, jwt.payload_b64, jwt.signature_b64
    );
    assert_eq!(jwt.header_b64.len() % 4, 2);
    assert_eq!(jwt::decode(&padded).unwrap().header, jwt.header);
}

#[test]
fn shape_errors() {
    let cases: Vec<(String, TokenError)> = vec![
        (String::new(), TokenError::Empty),
        (
            token("real/malformed/istio-not-a-jwt.txt"),
            TokenError::NoDots,
        ),
        (
            format!("{NONE_HEADER}.eyJhIjoxfQ"),
            TokenError::MissingSignature,
        ),
        (
            token("real/malformed/rfc7516-A.3-jwe-compact-5-parts.txt"),
            TokenError::Encrypted,
        ),
        // Five parts, but the first is a JWS header: two tokens glued together.
        (
            token("real/malformed/jwtgo-issue53-five-segments-not-jwe.txt"),
            TokenError::SegmentCount { found: 5 },
        ),
        (
            format!("{}.x", legacy()),
            TokenError::SegmentCount { found: 4 },
        ),
        (
            format!("{0}\n{0}", legacy()).replace('\n', "."),
            TokenError::SegmentCount { found: 6 },
        ),
        (
            "..".to_string(),
            TokenError::EmptySegment {
                segment: Segment::Header,
            },
        ),
        (
            format!("{NONE_HEADER}..sig"),
            TokenError::EmptySegment {
                segment: Segment::Payload,
            },
        ),
        (
            "A".repeat(MAX_INPUT_BYTES + 1),
            TokenError::TooLarge {
                bytes: MAX_INPUT_BYTES + 1,
                limit: MAX_INPUT_BYTES,
            },
        ),
    ];
    for (token, error) in cases {
        check(&token, Err(error));
    }
}

#[test]
fn placeholder_segments_name_the_part() {
    // "header" and "invalid-section1" are valid base64url, but of bytes that are not text.
    for path in [
        "real/malformed/istio-header-placeholder-one-aud-string.txt",
        "real/malformed/istio-header-placeholder-two-aud-list.txt",
        "real/malformed/istio-invalid-sections.txt",
    ] {
        let error = TokenError::NotUtf8 {
            segment: Segment::Header,
            byte: 0,
            near_character: 0,
        };
        check(&token(path), Err(error.clone()));
        let text = error.to_string();
        assert!(
            text.contains("The header part is not base64url of JSON"),
            "{text}"
        );
        assert!(text.contains("starts with \"eyJ\""), "{text}");
    }
    // The placeholder payload is fine: with a real header the next problem is "signature",
    // nine characters, a length base64 cannot have.
    let one_aud = token("real/malformed/istio-header-placeholder-one-aud-string.txt");
    check(
        &with_part(&one_aud, 0, NONE_HEADER),
        Err(TokenError::InvalidLength {
            segment: Segment::Signature,
            length: 9,
        }),
    );
    let jwt = jwt::decode(&with_part(&with_part(&one_aud, 0, NONE_HEADER), 2, "")).unwrap();
    assert_eq!(jwt.payload["aud"], "abc");
}

#[test]
fn invalid_characters_are_located_in_part_and_token() {
    let t = legacy();
    let jwt = jwt::decode(&t).unwrap();
    let (h, p) = (jwt.header_b64.len(), jwt.payload_b64.len());
    assert_eq!((h, p), (106, 466));
    let replace_at = |at: usize, with: &str| {
        let mut s = t.clone();
        s.replace_range(at..=at, with);
        s
    };
    let cases = [
        // A space in the header (a paste split by a space).
        (replace_at(3, " "), Segment::Header, 3, 3, ' '),
        // A '+' from the standard alphabet in the payload.
        (
            replace_at(h + 1 + 10, "+"),
            Segment::Payload,
            10,
            h + 1 + 10,
            '+',
        ),
        // A '/' in the signature.
        (
            replace_at(h + p + 2 + 5, "/"),
            Segment::Signature,
            5,
            h + p + 2 + 5,
            '/',
        ),
        // A non-ASCII character: offsets count characters, not bytes.
        (
            replace_at(h + 1 + 20, "é"),
            Segment::Payload,
            20,
            h + 1 + 20,
            'é',
        ),
        // A line break left in by hand.
        (
            replace_at(h + p + 2, "\n"),
            Segment::Signature,
            0,
            h + p + 2,
            '\n',
        ),
    ];
    for (token, segment, offset, token_offset, character) in cases {
        check(
            &token,
            Err(TokenError::InvalidCharacter {
                segment,
                offset,
                token_offset,
                character,
            }),
        );
    }
    // `token=` copied along with the token: the '=' is blamed, not the 'e' after it.
    check(
        &format!("token={t}"),
        Err(TokenError::InvalidCharacter {
            segment: Segment::Header,
            offset: 5,
            token_offset: 5,
            character: '=',
        }),
    );
}

#[test]
fn impossible_lengths() {
    let jwt = jwt::decode(&legacy()).unwrap();
    let (h, p, s) = (&jwt.header_b64, &jwt.payload_b64, &jwt.signature_b64);
    let chop = |part: &str| part[..part.len() - 1].to_string();
    check(
        &format!("{}.{p}.{s}", chop(h)),
        Err(TokenError::InvalidLength {
            segment: Segment::Header,
            length: 105,
        }),
    );
    check(
        &format!("{h}.{}.{s}", chop(p)),
        Err(TokenError::InvalidLength {
            segment: Segment::Payload,
            length: 465,
        }),
    );
    check(
        &format!("{h}.{p}.{}", chop(s)),
        Err(TokenError::InvalidLength {
            segment: Segment::Signature,
            length: 341,
        }),
    );
}

/// Index of the first character where two texts differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[test]
fn corrupted_payloads_point_near_the_damage() {
    let good = token("wild/legacy-kube-system-default.jwt");
    let bad = token("wild/legacy-corrupted-payload.jwt");
    // One character was lost from the payload, which leaves a valid length (475 = 4k + 3).
    let (good_p, bad_p) = (
        good.split('.').nth(1).unwrap(),
        bad.split('.').nth(1).unwrap(),
    );
    assert_eq!((good_p.len(), bad_p.len()), (476, 475));
    let damage = first_difference(good_p, bad_p);
    assert_eq!(damage, 108);
    check(
        &bad,
        Err(TokenError::NotUtf8 {
            segment: Segment::Payload,
            byte: 82,
            near_character: 109,
        }),
    );
    // Byte 82 is encoded by characters 109-110 (4 characters per 3 bytes): close to the loss.
    assert!(109usize.abs_diff(damage) <= 2);

    check(
        &token("wild/legacy-gdbc-corrupted.jwt"),
        Err(TokenError::NotUtf8 {
            segment: Segment::Payload,
            byte: 82,
            near_character: 109,
        }),
    );
    let text = TokenError::NotUtf8 {
        segment: Segment::Payload,
        byte: 82,
        near_character: 109,
    }
    .to_string();
    assert!(
        text.contains("byte 82, near character 109 of the part"),
        "{text}"
    );
}

#[test]
fn payloads_that_are_not_objects() {
    let cases: [(&[u8], &str); 5] = [
        (b"[1, 2]", "an array"),
        (b"\"eyJ\"", "a string"),
        (b"42", "a number"),
        (b"null", "null"),
        (b"true", "a boolean"),
    ];
    for (payload, found) in cases {
        check(
            &with_payload(payload),
            Err(TokenError::NotObject {
                segment: Segment::Payload,
                found,
            }),
        );
    }
    check(
        &format!("{}.eyJhIjoxfQ.", b64url(b"[]")),
        Err(TokenError::NotObject {
            segment: Segment::Header,
            found: "an array",
        }),
    );
}

#[test]
fn json_errors_have_line_and_column() {
    let not_json = |segment, line, column, message: &str| TokenError::NotJson {
        segment,
        line,
        column,
        message: message.to_string(),
    };
    check(
        &with_payload(b"{\"a\": 1,\n \"b\":}"),
        Err(not_json(Segment::Payload, 2, 6, "expected value")),
    );
    check(
        &with_payload(b"{\"iss\": \"x\"} trailing"),
        Err(not_json(Segment::Payload, 1, 14, "trailing characters")),
    );
    check(
        &format!("{}.eyJhIjoxfQ.", b64url(b"{\"alg\":\"RS256\",}")),
        Err(not_json(Segment::Header, 1, 16, "trailing comma")),
    );
    // End of input right after a newline: column 1, not 0.
    check(
        &with_payload(b"[\n\n"),
        Err(not_json(Segment::Payload, 3, 1, "EOF while parsing a list")),
    );
    // Padding only: decodes to no bytes at all.
    check(
        &format!("{NONE_HEADER}.==."),
        Err(not_json(
            Segment::Payload,
            1,
            1,
            "EOF while parsing a value",
        )),
    );
    // Latin-1 text where UTF-8 belongs.
    check(
        &with_payload(b"{\"aud\": \"Joe Ard\xf1ez\"}"),
        Err(TokenError::NotUtf8 {
            segment: Segment::Payload,
            byte: 16,
            near_character: 21,
        }),
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for payload in [
        "[".repeat(100_000),
        "{\"a\":".repeat(50_000),
        format!("{}1{}", "[".repeat(200), "]".repeat(200)),
    ] {
        match jwt::decode(&with_payload(payload.as_bytes())) {
            Err(TokenError::NotJson {
                segment: Segment::Payload,
                line: 1,
                message,
                ..
            }) => {
                assert_eq!(message, "recursion limit exceeded");
            }
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }
    // As deep as JSON goes before the limit is fine (and the value is an array, not an object).
    let deep_ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    check(
        &with_payload(deep_ok.as_bytes()),
        Err(TokenError::NotObject {
            segment: Segment::Payload,
            found: "an array",
        }),
    );
}
