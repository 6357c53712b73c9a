//! Helpers for the core's tests: reading the vectors in `tests/fixtures/`, minting unsigned
//! test tokens from JSON written in the test, and finding the command-line tools some tests
//! compare against.
// Each test module uses a different subset of these helpers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::process::Command;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

pub mod audit;
pub mod pages;
pub mod snapshot;

/// Where the test vectors live: `minted/` (made by `scripts/make-fixtures.mjs`), `real/` and
/// `wild/` (public material, with provenance), all in the repository.
pub const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

/// The text of a vector file, exactly as stored.
pub fn vector(path: &str) -> String {
    let full = format!("{VECTORS}{path}");
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

/// A token vector without the trailing newline some files end with.
pub fn token(path: &str) -> String {
    vector(path).trim_end().to_string()
}

/// `minted/facts.json`: what a correct inspector shows for the minted files.
pub fn facts() -> Value {
    serde_json::from_str(&vector("minted/facts.json")).expect("facts.json is JSON")
}

/// One string from `facts.json`.
pub fn fact(key: &str) -> String {
    facts()[key]
        .as_str()
        .unwrap_or_else(|| panic!("facts.json has no string {key}"))
        .to_string()
}

/// `real/manifest.json`: source and decoded claims of every real vector.
pub fn manifest() -> Value {
    serde_json::from_str(&vector("real/manifest.json")).expect("manifest.json is JSON")
}

/// base64url without padding, as JWS segments are written.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// base64 with padding, as Kubernetes writes Secret `data` values.
pub fn b64std(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A compact token from header and payload JSON written by the test, with a dummy signature.
pub fn mint(header: &str, payload: &str) -> String {
    format!(
        "{}.{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes()),
        b64url(b"not a real signature")
    )
}

/// A token with the usual RS256 header and the payload given.
pub fn mint_rs256(payload: &Value) -> String {
    mint(
        r#"{"alg":"RS256","kid":"test-kid"}"#,
        &serde_json::to_string(payload).unwrap(),
    )
}

/// The numeric claim `key` of a vector token's payload (for `now` relative to `iat`, ...).
pub fn claim_i64(token: &str, key: &str) -> i64 {
    let payload = token.split('.').nth(1).expect("a payload");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url payload");
    let value: Value = serde_json::from_slice(&bytes).expect("JSON payload");
    value[key]
        .as_i64()
        .unwrap_or_else(|| panic!("no numeric {key}"))
}

/// Whether the tests that spawn external tools (kubectl, python, openssl, curl, a shell) skip,
/// for a fast local loop: `TOKENSCOPE_SKIP_TOOLS=1`. Never in CI (`CI=true`), where every
/// test runs: both set is a mistake, and fails.
pub fn skip_tools() -> bool {
    let skip = std::env::var("TOKENSCOPE_SKIP_TOOLS").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    assert!(
        !(skip && ci),
        "TOKENSCOPE_SKIP_TOOLS=1 and CI=true: in CI no test skips; unset TOKENSCOPE_SKIP_TOOLS"
    );
    skip
}

/// Whether `command` (a tool and the arguments of a harmless call, e.g. `["openssl", "version"]`)
/// runs and succeeds. Outside CI a test may skip when it does not, with a note; in CI
/// (`CI=true`) a test that cannot run fails instead of passing unseen. Every tool counts as
/// missing under `TOKENSCOPE_SKIP_TOOLS=1` ([`skip_tools`]).
pub fn tool(command: &[&str]) -> bool {
    let (name, args) = command.split_first().expect("a tool name");
    if skip_tools() {
        eprintln!("TOKENSCOPE_SKIP_TOOLS=1: skipping this test, which runs {name}");
        return false;
    }
    let runs = Command::new(name)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!(
                "`{}` failed: {name} is missing, and in CI (CI=true) a test that cannot run \
                 fails; scripts/lib/setup.sh installs {name}",
                command.join(" ")
            );
        }
        eprintln!("{name} is missing: skipping this test (scripts/lib/setup.sh installs it)");
    }
    runs
}
