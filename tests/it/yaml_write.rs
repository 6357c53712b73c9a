//! The YAML writer: whatever a string holds, the document reads back to the same value.
//!
//! Read back by our own reader (`yaml::parse_documents`, yaml-rust2, YAML 1.2), by PyYAML
//! (YAML 1.1, like kubectl's go-yaml for booleans) when it is installed, and by generated
//! values in a property test. Layout is checked against kubectl's own output in
//! `tests/kubeconfig.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tokenscope::formats::yaml;
use tokenscope::formats::yaml_write::{document, documents, string};

/// Writes `value` as one document and checks the exact text, then that it reads back.
fn check(value: Value, expected: &str) {
    let text = document(&value);
    assert_eq!(text, expected, "layout of {value}");
    round_trip(&value);
}

/// The document for `value` reads back to `value` (null documents are dropped by the reader,
/// so they are checked inside a mapping).
fn round_trip(value: &Value) {
    let wrapped = json!({ "v": value });
    for v in [value, &wrapped] {
        if v.is_null() {
            continue;
        }
        let text = document(v);
        assert_eq!(
            yaml::parse_documents(&text),
            Ok(vec![v.clone()]),
            "read back from:\n{text}"
        );
    }
}

/// Strings that break naive YAML writers.
fn awkward() -> Vec<String> {
    let mut all: Vec<String> = [
        "",
        " ",
        "  ",
        " lead",
        "trail ",
        "\t",
        "tab\tinside",
        "a: b",
        "a:b",
        "a:",
        ":a",
        "a #b",
        "a#b",
        "#a",
        "- a",
        "-",
        "--",
        "---",
        "--- a",
        "...",
        "... a",
        "? a",
        "?",
        "!a",
        "&a",
        "*a",
        "|",
        ">",
        "'",
        "\"",
        "'a'",
        "\"a\"",
        "%a",
        "@a",
        "`a`",
        "[a]",
        "{a}",
        "a,b",
        "a]",
        "a}",
        "{}",
        "[]",
        "=",
        "<<",
        "\\",
        "a\\nb",
        "C:\\Users",
        "it's",
        "say \"hi\"",
        "line\nbreak",
        "\n",
        "\n\n",
        "trailing\n",
        "\r\n",
        "a\rb",
        "multi\nline\ntext\n",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "y",
        "Y",
        "n",
        "N",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "null",
        "Null",
        "NULL",
        "~",
        ".inf",
        ".Inf",
        ".INF",
        "-.inf",
        "+.inf",
        ".nan",
        ".NaN",
        ".NAN",
        "inf",
        "nan",
        "infinity",
        "-Infinity",
        "0",
        "1",
        "-1",
        "+1",
        "012",
        "0123",
        "08",
        "0o17",
        "0x1F",
        "0xff",
        "0b101",
        "1e3",
        "1E3",
        "1.5",
        "-1.5",
        ".5",
        "1.",
        "1_000",
        "1:20",
        "190:20:30",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "12345678901234567890",
        "-0",
        "+.5",
        "1.2.3.4",
        "v1",
        "emoji \u{1F600}",
        "\u{1F600}",
        "שלום עולם",
        "مرحبا",
        "中文",
        "日本語",
        "한국어",
        "e\u{301}",
        "\u{301}",
        "\u{200B}",
        "a\u{200D}b",
        "\u{202E}evil",
        "\u{FEFF}bom",
        "bom\u{FEFF}",
        "\u{A0}",
        "nbsp\u{A0}x",
        "\u{85}",
        "a\u{85}b",
        "\u{2028}",
        "\u{2029}",
        "\u{7F}",
        "\u{80}",
        "\u{9F}",
        "\u{FFFD}",
        "\u{FFFE}",
        "\u{FFFF}",
        "\u{E000}",
        "\u{10FFFF}",
        "\u{E0041}",
        "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        "https://203.0.113.10:6443",
        "system:serviceaccount:ns:name",
        "a b c",
        "key: value # c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    all.extend((0u32..0x20).map(|c| char::from_u32(c).unwrap().to_string()));
    all.extend((0u32..0x20).map(|c| format!("x{}y", char::from_u32(c).unwrap())));
    all.push("A".repeat(10 * 1024));
    all.push(format!(
        "eyJ{}.{}.{}",
        "a".repeat(4000),
        "B-_".repeat(2000),
        "c".repeat(3000)
    ));
    all.push("Q0FEQVRB+/=".repeat(1000));
    all.push("k".repeat(1500)); // longer than an implicit key may be
    all
}

#[test]
fn layout_matches_kubectl() {
    check(
        json!({
            "apiVersion": "v1",
            "clusters": [{"cluster": {"server": "https://h:6443"}, "name": "prod"}],
            "preferences": {},
            "users": [{"name": "u", "user": {"token": "abc"}}],
        }),
        "apiVersion: v1\nclusters:\n- cluster:\n    server: https://h:6443\n  name: prod\n\
         preferences: {}\nusers:\n- name: u\n  user:\n    token: abc\n",
    );
}

#[test]
fn layout_of_every_shape() {
    check(json!("plain"), "plain\n");
    check(json!("no"), "\"no\"\n");
    check(json!(true), "true\n");
    check(json!(-7), "-7\n");
    check(json!(2.5), "2.5\n");
    check(json!(1e300), "1.0e+300\n");
    check(json!(1e-7), "1.0e-7\n");
    check(json!([]), "[]\n");
    check(json!({}), "{}\n");
    check(
        json!(["a", ["b", "c"], [], {}]),
        "- a\n- - b\n  - c\n- []\n- {}\n",
    );
    check(
        json!([{"a": 1, "b": [{"c": null}]}]),
        "- a: 1\n  b:\n  - c: null\n",
    );
    check(
        json!({"a": {"b": {"c": ["d"]}}}),
        "a:\n  b:\n    c:\n    - d\n",
    );
    check(
        json!({"no": "yes", "": ""}),
        "\"no\": \"yes\"\n\"\": \"\"\n",
    );
}

#[test]
fn quoting_choices() {
    // Plain where it is certainly safe, double quotes with escapes otherwise.
    for (text, want) in [
        ("prod", "prod"),
        ("a b", "a b"),
        ("https://a:6443/x", "https://a:6443/x"),
        ("中文", "中文"),
        ("it's", "it's"),
        ("0123", "\"0123\""),
        ("yes", "\"yes\""),
        ("a: b", "\"a: b\""),
        ("a #b", "\"a #b\""),
        ("x\u{0}y", "\"x\\u0000y\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("q\"b\\", "q\"b\\"),
        ("\"q\\", "\"\\\"q\\\\\""),
        ("\u{85}", "\"\\u0085\""),
        ("\u{202E}evil", "\"\\u202Eevil\""),
        ("\u{FEFF}", "\"\\uFEFF\""),
        (" lead", "\" lead\""),
        ("---", "\"---\""),
    ] {
        assert_eq!(string(text), want, "{text:?}");
    }
}

#[test]
fn awkward_strings_round_trip() {
    for s in awkward() {
        round_trip(&json!(s));
        round_trip(&json!({ &s: s, "list": [s, { "n": s }] }));
    }
}

#[test]
fn long_strings_stay_on_one_line() {
    let token = format!("eyJ{}", "x".repeat(10 * 1024));
    let text = document(&json!({ "token": token }));
    assert_eq!(text.lines().count(), 1);
    let text = document(&json!({ "token": format!("{token}\n{token}") }));
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn long_keys_use_the_explicit_form() {
    let key = "k".repeat(1500);
    let value = json!({ &key: ["a"], "b": { &key: { &key: 1 } } });
    let text = document(&value);
    assert!(text.starts_with(&format!("? {key}\n:\n  - a\n")), "{text}");
    round_trip(&value);
}

#[test]
fn multiple_documents() {
    let docs = vec![
        json!({"kind": "Role"}),
        json!({"kind": "RoleBinding"}),
        json!("---"),
    ];
    let text = documents(&docs);
    assert_eq!(text, "kind: Role\n---\nkind: RoleBinding\n---\n\"---\"\n");
    assert_eq!(yaml::parse_documents(&text), Ok(docs));
    assert_eq!(documents(&[]), "");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // Far deeper than the reader accepts (and than a recursive writer survives on a test
    // thread's stack); the output grows with the square of the depth, hence not more.
    let mut value = json!("bottom");
    for i in 0..20_000 {
        // Not `json!`: it would serialize `value` again, recursively, at every step.
        value = if i % 2 == 0 {
            Value::Array(vec![value])
        } else {
            Value::Object(Map::from_iter([("k".to_string(), value)]))
        };
    }
    let text = document(&value);
    assert!(text.ends_with("bottom\n"));
    // serde_json's own Drop recurses; leak the tower rather than overflow on the way out.
    std::mem::forget(value);
}

/// The python that scripts/lib/setup.sh gives PyYAML: tools/venv's when there is one, else python3.
fn python() -> String {
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/venv/bin/python3");
    if std::path::Path::new(venv).exists() {
        venv.to_string()
    } else {
        "python3".to_string()
    }
}

/// PyYAML, when installed: `None` when it is not, so the test can skip (outside CI).
fn pyyaml_load_all(text: &str) -> Option<Value> {
    if !common::tool(&[&python(), "-c", "import yaml"]) {
        return None;
    }
    let script = "import sys, json, yaml\n\
                  docs = list(yaml.safe_load_all(sys.stdin.buffer.read().decode('utf-8')))\n\
                  sys.stdout.write(json.dumps(docs))";
    let mut child = Command::new(python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()?
        .write_all(text.as_bytes())
        .expect("write to python3");
    let out = child.wait_with_output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "PyYAML failed on:\n{text}\n{stderr}");
    Some(serde_json::from_slice(&out.stdout).expect("json from python"))
}

#[test]
fn pyyaml_reads_back_the_same_values() {
    let mut docs: Vec<Value> = awkward()
        .into_iter()
        .map(|s| json!({ &s: s, "list": [s, { "n": s }] }))
        .collect();
    docs.push(json!({"n": [0, -1, 9_007_199_254_740_993_i64, 2.5, 1e300, -1e-7, true, null]}));
    let text = documents(&docs);
    match pyyaml_load_all(&text) {
        None => eprintln!("skipped: python3 with PyYAML is not installed"),
        Some(read) => {
            let read = read.as_array().expect("a list of documents").clone();
            assert_eq!(read.len(), docs.len());
            for (got, want) in read.iter().zip(&docs) {
                assert_eq!(got, want);
            }
        }
    }
}

/// Scalars that go-yaml v2 resolves to something other than a string when they are written
/// plain, with the tag it gives them. kubectl reads YAML through sigs.k8s.io/yaml, whose
/// `goyaml.v2` is go-yaml v2.4: `resolve()` in its resolve.go looks the text up in a map of
/// YAML 1.1 booleans, nulls and special floats, and for text starting with a sign or a digit
/// removes every `_`, then tries a timestamp, Go's `ParseInt`/`ParseUint` with base 0 (`0x`,
/// `0o`, `0b`, a leading `0` for octal), its float pattern, and `0b`/`0o` with a sign after
/// the prefix; text starting with `.` goes to Go's `ParseFloat`.
const GO_YAML_V2: &[(&str, &str)] = &[
    ("", "!!null"),
    ("~", "!!null"),
    ("null", "!!null"),
    ("Null", "!!null"),
    ("NULL", "!!null"),
    ("y", "!!bool"),
    ("Y", "!!bool"),
    ("yes", "!!bool"),
    ("Yes", "!!bool"),
    ("YES", "!!bool"),
    ("n", "!!bool"),
    ("N", "!!bool"),
    ("no", "!!bool"),
    ("No", "!!bool"),
    ("NO", "!!bool"),
    ("true", "!!bool"),
    ("True", "!!bool"),
    ("TRUE", "!!bool"),
    ("false", "!!bool"),
    ("False", "!!bool"),
    ("FALSE", "!!bool"),
    ("on", "!!bool"),
    ("On", "!!bool"),
    ("ON", "!!bool"),
    ("off", "!!bool"),
    ("Off", "!!bool"),
    ("OFF", "!!bool"),
    (".nan", "!!float"),
    (".NaN", "!!float"),
    (".NAN", "!!float"),
    (".inf", "!!float"),
    (".Inf", "!!float"),
    (".INF", "!!float"),
    ("+.inf", "!!float"),
    ("+.Inf", "!!float"),
    ("+.INF", "!!float"),
    ("-.inf", "!!float"),
    ("-.Inf", "!!float"),
    ("-.INF", "!!float"),
    ("<<", "!!merge"),
    ("2001-12-14", "!!timestamp"),
    ("2001-1-2", "!!timestamp"),
    ("2001-12-14t21:59:43.10-05:00", "!!timestamp"),
    ("2001-12-14 21:59:43.10", "!!timestamp"),
    ("0", "!!int"),
    ("1", "!!int"),
    ("+1", "!!int"),
    ("-1", "!!int"),
    ("1_000", "!!int"),
    ("1__0", "!!int"),
    ("+1_", "!!int"),
    // Underscores go first, wherever they are: these are 1, -1, 31 and 10.
    ("+_1", "!!int"),
    ("-_1", "!!int"),
    ("+_0x1f", "!!int"),
    ("+_0_1_2", "!!int"),
    ("0x1F", "!!int"),
    ("0X1f", "!!int"),
    ("-0x1F", "!!int"),
    ("0o17", "!!int"),
    ("+0o17", "!!int"),
    ("017", "!!int"),
    ("0b101", "!!int"),
    ("0B101", "!!int"),
    ("0b1_0", "!!int"),
    ("+0b1", "!!int"),
    ("-0b1", "!!int"),
    // The `0b` and `0o` branches parse what follows the prefix, sign and all.
    ("0b+1", "!!int"),
    ("0o-7", "!!int"),
    ("18446744073709551615", "!!int"),
    // Too big for an integer, and decimal: the float pattern takes it.
    ("99999999999999999999", "!!float"),
    // Not octal, so not an integer; a float by the pattern.
    ("08", "!!float"),
    ("+0_8", "!!float"),
    ("09.5", "!!float"),
    ("1e3", "!!float"),
    ("1E+3", "!!float"),
    ("+1e-3", "!!float"),
    ("1.", "!!float"),
    ("1.5", "!!float"),
    ("1_0.5", "!!float"),
    (".5", "!!float"),
    (".5e3", "!!float"),
    (".5_5", "!!float"),
    ("+.5", "!!float"),
    ("-.5", "!!float"),
    ("+_.5", "!!float"),
];

/// go-yaml v2's `resolve()` for a plain scalar, transcribed: `Some(tag)` when it is not read
/// as a string. Where Go's parsing would take more transcribing (where `_` may sit in a float
/// after a `.`, which timestamps `time.Parse` accepts), it answers "not a string", so the
/// tests that use it only get stricter.
fn go_yaml_v2_tag(text: &str) -> Option<&'static str> {
    const MAP: &[(&str, &str)] = &[
        ("y", "!!bool"),
        ("Y", "!!bool"),
        ("yes", "!!bool"),
        ("Yes", "!!bool"),
        ("YES", "!!bool"),
        ("n", "!!bool"),
        ("N", "!!bool"),
        ("no", "!!bool"),
        ("No", "!!bool"),
        ("NO", "!!bool"),
        ("true", "!!bool"),
        ("True", "!!bool"),
        ("TRUE", "!!bool"),
        ("on", "!!bool"),
        ("On", "!!bool"),
        ("ON", "!!bool"),
        ("false", "!!bool"),
        ("False", "!!bool"),
        ("FALSE", "!!bool"),
        ("off", "!!bool"),
        ("Off", "!!bool"),
        ("OFF", "!!bool"),
        ("", "!!null"),
        ("~", "!!null"),
        ("null", "!!null"),
        ("Null", "!!null"),
        ("NULL", "!!null"),
        (".nan", "!!float"),
        (".NaN", "!!float"),
        (".NAN", "!!float"),
        (".inf", "!!float"),
        (".Inf", "!!float"),
        (".INF", "!!float"),
        ("+.inf", "!!float"),
        ("+.Inf", "!!float"),
        ("+.INF", "!!float"),
        ("-.inf", "!!float"),
        ("-.Inf", "!!float"),
        ("-.INF", "!!float"),
        ("<<", "!!merge"),
    ];
    if let Some((_, tag)) = MAP.iter().find(|(word, _)| *word == text) {
        return Some(tag);
    }
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    match text.as_bytes().first() {
        // Go's ParseFloat: `.` and a digit is as far as it needs to look to be a float.
        Some(b'.') => text
            .as_bytes()
            .get(1)
            .is_some_and(u8::is_ascii_digit)
            .then_some("!!float"),
        Some(b'+' | b'-' | b'0'..=b'9') => {
            // parseTimestamp: every format starts with four digits and a `-`.
            if text.len() > 4 && digits(&text[..4], 10) && text.as_bytes()[4] == b'-' {
                return Some("!!timestamp");
            }
            let plain: String = text.chars().filter(|c| *c != '_').collect();
            let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
            let sign = &plain[..plain.len() - unsigned.len()];
            // ParseInt (int64, sign allowed) or ParseUint (uint64, no sign) with base 0.
            let (radix, body) = match unsigned.get(..2) {
                Some("0x" | "0X") => (16, &unsigned[2..]),
                Some("0o" | "0O") => (8, &unsigned[2..]),
                Some("0b" | "0B") => (2, &unsigned[2..]),
                _ if unsigned.len() > 1 && unsigned.starts_with('0') => (8, &unsigned[1..]),
                _ => (10, unsigned),
            };
            let int = digits(body, radix)
                && (i64::from_str_radix(&format!("{sign}{body}"), radix).is_ok()
                    || (sign.is_empty() && u64::from_str_radix(body, radix).is_ok()));
            // The `0b` and `0o` branches: ParseInt of what follows the prefix, sign allowed.
            let prefixed = |prefix: &str, radix: u32| {
                plain.strip_prefix(prefix).is_some_and(|rest| {
                    let rest = if prefix.starts_with('-') {
                        rest
                    } else {
                        rest.strip_prefix(['+', '-']).unwrap_or(rest)
                    };
                    digits(rest, radix)
                })
            };
            if int
                || prefixed("0b", 2)
                || prefixed("-0b", 2)
                || prefixed("0o", 8)
                || prefixed("-0o", 8)
            {
                return Some("!!int");
            }
            // yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
            let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
                Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
                None => (unsigned, None),
            };
            let mantissa_ok = match mantissa.split_once('.') {
                Some(("", frac)) => digits(frac, 10),
                Some((whole, frac)) => {
                    digits(whole, 10) && frac.chars().all(|c| c.is_ascii_digit())
                }
                None => digits(mantissa, 10),
            };
            let exponent_ok =
                exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e), 10));
            (mantissa_ok && exponent_ok).then_some("!!float")
        }
        _ => None,
    }
}

/// The writer quotes everything go-yaml v2 would read as something other than a string.
#[test]
fn go_yaml_number_rules_are_quoted() {
    for (text, tag) in GO_YAML_V2 {
        // The table and the transcription agree, so the property test below means something.
        assert_eq!(go_yaml_v2_tag(text), Some(*tag), "{text:?}");
        assert_ne!(
            string(text),
            *text,
            "{text:?} is {tag} to go-yaml, so it must be quoted"
        );
        round_trip(&json!(text));
    }
    for text in [
        "prod", "+", "+_", "._5", ".e5", "_1", "oN", "+Inf", "0x1p3", "1:20", "a1",
    ] {
        assert_eq!(go_yaml_v2_tag(text), None, "{text:?}");
    }
}

/// kubectl itself reads the names back: each string is a cluster's name in a kubeconfig we
/// write, and `kubectl config view` must list exactly those names. It refuses the whole file
/// when one of them reads as a number or a boolean.
#[test]
fn kubectl_reads_back_the_same_names() {
    if !common::tool(&["kubectl", "version", "--client"]) {
        return;
    }
    let mut names: Vec<String> = GO_YAML_V2.iter().map(|(s, _)| s.to_string()).collect();
    names.extend(awkward());
    names.sort();
    names.dedup();
    let clusters: Vec<Value> = names
        .iter()
        .map(|n| json!({"cluster": {"server": "https://a:6443"}, "name": n}))
        .collect();
    let config = json!({"apiVersion": "v1", "clusters": clusters, "kind": "Config"});
    let path = std::env::temp_dir().join(format!("tokenscope-yw-{}.yaml", std::process::id()));
    std::fs::write(&path, document(&config)).unwrap();
    let out = Command::new("kubectl")
        .args(["config", "view", "-o", "json", "--kubeconfig"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "kubectl refused our YAML: {stderr}");
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = read["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, names);
}

/// Text made of what numbers, dates and YAML 1.1 words are made of: a sign, underscores, a
/// number-ish core and bits after it, or any mix of their characters.
fn number_like() -> impl Strategy<Value = String> {
    let pick = |items: &[&'static str]| prop::sample::select(items.to_vec());
    let pieces = (
        pick(&["", "+", "-"]),
        pick(&["", "_", "__"]),
        pick(&[
            "0",
            "1",
            "08",
            "0x1f",
            "0b1",
            "0o7",
            "0b+1",
            ".5",
            "1.",
            "1e3",
            ".",
            "_",
            "inf",
            ".inf",
            "y",
            "on",
            "x",
            "1:20",
            "2001-12-14",
            "<<",
            "~",
        ]),
        pick(&["", "_", "1", ".", "e", "e+3", "x", ":"]),
        pick(&["", "_", "0", "a", ".5"]),
    )
        .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}"));
    let alphabet = prop::sample::select(vec![
        '+', '-', '_', '.', ':', '0', '1', '7', '8', '9', 'a', 'b', 'B', 'e', 'E', 'f', 'o', 'O',
        'x', 'X', 'n', 'N', 'y', 'Y', 'i', 'I', 't', 'T', ' ', '~', '<',
    ]);
    let mixed = prop::collection::vec(alphabet, 0..9).prop_map(|chars| chars.into_iter().collect());
    prop_oneof![pieces, mixed]
}

/// Strings of any characters, with YAML's special ones more likely than chance would make them.
fn any_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ':', ' ', '#', '-', '?', '\n', '\t', '"', '\'', '\\', '0', '1', '.', 'y', 'n', 'e', 'x',
        '{', '[', ',', '&', '*', '!', '|', '>', '%', '@', '`', '~', '\u{85}', '\u{2028}',
        '\u{FEFF}', '\u{0}',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (prop::num::f64::POSITIVE
            | prop::num::f64::NEGATIVE
            | prop::num::f64::NORMAL
            | prop::num::f64::SUBNORMAL
            | prop::num::f64::ZERO)
            .prop_map(Value::from),
        any_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any_string(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_string_round_trips(s in any_string()) {
        let value = json!({ &s: s, "l": [s] });
        prop_assert_eq!(yaml::parse_documents(&document(&value)), Ok(vec![value]));
    }

    /// Whatever the writer leaves plain, go-yaml v2 (kubectl) reads as a string.
    #[test]
    fn plain_is_a_string_to_go_yaml(s in prop_oneof![number_like(), any_string()]) {
        if string(&s) == s {
            prop_assert_eq!(go_yaml_v2_tag(&s), None, "{:?} is written plain", s);
        }
    }

    #[test]
    fn any_value_round_trips(value in any_value()) {
        let value = json!({ "v": value });
        prop_assert_eq!(yaml::parse_documents(&document(&value)), Ok(vec![value]));
    }
}
