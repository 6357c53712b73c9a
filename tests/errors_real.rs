//! Troubleshoot against errors people really pasted: every sample in
//! `tests/fixtures/errors/` (copied from public issue threads, CI logs and docs, each with its
//! source in `manifest.json`) is read, and its diagnosis kind and the parts read are checked
//! against what the manifest says the paste means.
//!
//! One table-driven test, so the report names every sample read wrong at once, with the share
//! read right.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tokenscope::apierror::{self, guide, read, Diagnosis};

/// What one sample must read as, or why it did not.
fn check(text: &str, expect: &Value) -> Result<(), String> {
    let d = read(text);
    let mut problems = Vec::new();
    let kind = expect["kind"].as_str().unwrap();
    if d.title() != kind {
        problems.push(format!("kind {:?}, expected {kind:?}", d.title()));
    }
    let mut parts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (label, value) in d.parts() {
        parts.entry(label).or_default().push(value);
    }
    if let Some(want) = expect.get("parts").and_then(Value::as_object) {
        for (label, value) in want {
            let got = parts.get(label.as_str()).map(|v| v.join(" | "));
            if got.as_deref() != value.as_str() {
                problems.push(format!("{label} = {got:?}, expected {value}"));
            }
        }
    }
    if let Some(rules) = expect.get("rules").and_then(Value::as_u64) {
        let got = parts.get("Rule not held").map_or(0, Vec::len) as u64;
        if got != rules {
            problems.push(format!("{got} rules read, expected {rules}"));
        }
    }
    let cause = guide(&d).cause.to_ascii_lowercase();
    for key in ["hint", "expects"] {
        if let Some(word) = expect.get(key).and_then(Value::as_str) {
            if !cause.contains(&word.to_ascii_lowercase()) {
                problems.push(format!("the cause does not say {word:?}: {cause}"));
            }
        }
    }
    if expect.get("no_fix").and_then(Value::as_bool) == Some(true) {
        if let Diagnosis::Forbidden(f) = &d {
            if apierror::fix(f).is_ok() {
                problems.push("an RBAC fix is offered".to_string());
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn every_real_sample_is_read_right() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let samples = manifest["samples"].as_array().unwrap();
    let mut wrong = Vec::new();
    for sample in samples {
        let file = sample["file"].as_str().unwrap();
        let source = &sample["source"];
        assert!(
            source.get("url").is_some()
                || source.get("repo").is_some()
                || source.get("index").is_some(),
            "{file} has no source"
        );
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        if let Err(why) = check(&text, &sample["expect"]) {
            wrong.push(format!("{file}: {why}"));
        }
    }
    let right = samples.len() - wrong.len();
    println!(
        "read right: {right} of {} ({}%)",
        samples.len(),
        right * 100 / samples.len()
    );
    assert!(wrong.is_empty(), "read wrong:\n{}", wrong.join("\n"));
    // Every file in the folder is in the manifest, so no sample goes unchecked.
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files,
        samples.len() + 1,
        "a file is missing from manifest.json"
    );
}
