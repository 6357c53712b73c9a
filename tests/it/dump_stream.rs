//! The chunked readers against the whole-text ones: every dump under `tests/fixtures/` (real
//! samples in `fixtures/dumps/`, with their sources in its README, and every other fixture a
//! reader takes) read in chunks of 1, 2, 3, 7 and 4096 bytes gives what one read of the whole
//! text gives, the same policy or audit or the same error; and the splitter's pieces for each shape of dump kubectl and the API write.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use tokenscope::access::{self, PolicyStream};
use tokenscope::audit::{self, Options, SecretsStream};
use tokenscope::formats::dump_stream::{
    grouped, parse_piece, DumpError, PieceKind, Splitter, StreamError, MAX_ITEM_BYTES,
};
use tokenscope::support::time::UnixSeconds;

const NOW: UnixSeconds = 1_780_000_000;
const CHUNKS: [usize; 5] = [1, 2, 3, 7, 4096];

/// Every fixture a dump reader could be given: YAML and JSON files under `tests/fixtures/`,
/// up to 512 KiB.
fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) && std::fs::metadata(&path).unwrap().len() <= 512 * 1024
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn policy_in_chunks(text: &[u8], size: usize) -> Result<access::Policy, String> {
    let mut stream = PolicyStream::new();
    for chunk in text.chunks(size) {
        stream.feed(chunk).map_err(|e| e.to_string())?;
    }
    stream.finish().map_err(|e| e.to_string())
}

fn audit_in_chunks(text: &[u8], size: usize) -> Result<audit::Audit, String> {
    let mut stream = SecretsStream::new();
    for chunk in text.chunks(size) {
        stream.feed(chunk).map_err(|e| e.to_string())?;
    }
    stream
        .finish(NOW, &Options::default())
        .map_err(|e| e.to_string())
}

#[test]
fn every_fixture_read_in_chunks_equals_the_whole_read() {
    let (mut policies, mut audits) = (0, 0);
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display();
        let whole = access::parse(&text);
        for size in CHUNKS {
            let streamed = policy_in_chunks(text.as_bytes(), size);
            match &whole {
                Ok(policy) => assert_eq!(streamed.as_ref(), Ok(policy), "{name}, chunks of {size}"),
                Err(e) => assert_eq!(streamed, Err(e.to_string()), "{name}, chunks of {size}"),
            }
        }
        policies += usize::from(whole.is_ok());
        let whole = audit::read(&text, NOW);
        for size in CHUNKS {
            let streamed = audit_in_chunks(text.as_bytes(), size);
            match &whole {
                Ok(audit) => assert_eq!(streamed.as_ref(), Ok(audit), "{name}, chunks of {size}"),
                // The whole-text audit takes one JSON value; the stream also takes JSON
                // objects one after another, as documents.
                Err(e) if e.to_string().contains("trailing characters") => {
                    assert!(streamed.is_err() || text.trim_start().starts_with('{'))
                }
                Err(e) => assert_eq!(streamed, Err(e.to_string()), "{name}, chunks of {size}"),
            }
        }
        audits += usize::from(whole.is_ok());
    }
    assert!(policies >= 10, "only {policies} fixtures read as RBAC");
    assert!(audits >= 3, "only {audits} fixtures read as Secrets");
}

/// The real dumps of `fixtures/dumps/` read as what they are.
#[test]
fn the_real_dumps_read_as_their_sources_show() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dumps");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();

    let secrets = audit_in_chunks(&read("island-orchestration-secretlist.json"), 7).unwrap();
    // A SecretList from the API: items carry no kind; two token Secrets and one Opaque.
    assert_eq!(secrets.rows.len(), 2);
    assert_eq!(secrets.other_secrets, 1);
    assert_eq!(secrets.rows[1].name, "islands-token-dtrnt");
    assert_eq!(secrets.rows[1].service_account, "islands");

    let bindings = policy_in_chunks(&read("k8s-bootstrap-cluster-role-bindings.yaml"), 3).unwrap();
    assert_eq!(bindings.bindings.len(), 6);
    let roles = policy_in_chunks(&read("k8s-bootstrap-namespace-roles.yaml"), 1).unwrap();
    assert_eq!(roles.roles.len(), 7);
}

/// The kinds and texts of every piece of `text` read in chunks of `size`.
fn pieces(text: &[u8], size: usize) -> Result<Vec<(PieceKind, usize, String)>, DumpError> {
    let mut out = Vec::new();
    let mut splitter = Splitter::new();
    let mut sink = |p: tokenscope::formats::dump_stream::Piece<'_>| -> Result<(), DumpError> {
        out.push((p.kind, p.document, p.text.to_string()));
        Ok(())
    };
    for chunk in text.chunks(size) {
        splitter.feed(chunk, &mut sink)?;
    }
    splitter.finish(&mut sink)?;
    Ok(out)
}

/// `text` gives `expected` (kind, document, text) in chunks of every size.
fn check(text: &str, expected: &[(PieceKind, usize, &str)]) {
    for size in CHUNKS {
        let got = pieces(text.as_bytes(), size).unwrap();
        let got: Vec<(PieceKind, usize, &str)> =
            got.iter().map(|(k, d, t)| (*k, *d, t.as_str())).collect();
        assert_eq!(got, expected, "chunks of {size}: {text:?}");
    }
}

#[test]
fn a_json_list_gives_its_items_whether_items_come_first_or_last() {
    check(
        r#"{"kind":"List","items":[{"a":"]}"},{"b":[1,{"c":"\"}"}]}],"metadata":{}}"#,
        &[
            (PieceKind::ListHead, 1, r#"{"kind":"List","items":[]}"#),
            (PieceKind::Item(1), 1, r#"{"a":"]}"}"#),
            (PieceKind::Item(2), 1, r#"{"b":[1,{"c":"\"}"}]}"#),
            (
                PieceKind::ListEnd,
                1,
                r#"{"kind":"List","items":[],"metadata":{}}"#,
            ),
        ],
    );
    check(
        "{\r\n  \"metadata\": {\"items\": [1]},\r\n  \"items\": [\r\n    {\"é\": \"ü\"}\r\n  ]\r\n}\r\n",
        &[
            (PieceKind::ListHead, 1, "{\r\n  \"metadata\": {\"items\": [1]},\r\n  \"items\": []}"),
            (PieceKind::Item(1), 1, "{\"é\": \"ü\"}"),
            (
                PieceKind::ListEnd,
                1,
                // The blanks between items go with them.
                "{\r\n  \"metadata\": {\"items\": [1]},\r\n  \"items\": []\r\n}",
            ),
        ],
    );
}

#[test]
fn json_lines_arrays_and_single_objects_are_documents() {
    check(
        "{\"kind\":\"Role\"}\n{\"kind\":\"Secret\",\"items\":null}\n[{\"x\":1}, 2 ,\"s\"]",
        &[
            (PieceKind::Whole, 1, "{\"kind\":\"Role\"}"),
            (PieceKind::Whole, 2, "{\"kind\":\"Secret\",\"items\":null}"),
            (PieceKind::ListHead, 3, "[]"),
            (PieceKind::Item(1), 3, "{\"x\":1}"),
            (PieceKind::Item(2), 3, "2"),
            (PieceKind::Item(3), 3, "\"s\""),
            (PieceKind::ListEnd, 3, "[]"),
        ],
    );
}

#[test]
fn a_yaml_list_gives_its_entries_and_keeps_its_own_keys() {
    let text = "apiVersion: v1\nitems:\n- kind: Role\n  rules:\n  - verbs: [get]\n\n  # note\n- kind: Secret\n  data:\n    k: |\n      - not an item\n      items:\nkind: List\nmetadata: {}\n";
    check(
        text,
        &[
            (PieceKind::ListHead, 1, "apiVersion: v1\nitems: []\n"),
            (
                PieceKind::Item(1),
                1,
                "- kind: Role\n  rules:\n  - verbs: [get]\n\n  # note\n",
            ),
            (
                PieceKind::Item(2),
                1,
                "- kind: Secret\n  data:\n    k: |\n      - not an item\n      items:\n",
            ),
            (
                PieceKind::ListEnd,
                1,
                "apiVersion: v1\nitems: []\nkind: List\nmetadata: {}\n",
            ),
        ],
    );
    let mut splitter_piece = None;
    let mut splitter = Splitter::new();
    splitter
        .feed::<DumpError>(text.as_bytes(), &mut |p| {
            if p.kind == PieceKind::Item(2) {
                splitter_piece = Some(parse_piece(&p).unwrap());
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        splitter_piece.unwrap()["data"]["k"],
        "- not an item\nitems:\n"
    );
}

#[test]
fn yaml_documents_indented_items_and_sequences() {
    check(
        "# dump\n---\nkind: Role\n---\n# nothing\n---\nitems:\n  - a: 1\n  -  b: 2\nkind: List\n...\n- x\n- y: |\n    z\n",
        &[
            (PieceKind::Whole, 1, "---\nkind: Role\n"),
            (PieceKind::ListHead, 2, "---\nitems: []\n"),
            (PieceKind::Item(1), 2, "  - a: 1\n"),
            (PieceKind::Item(2), 2, "  -  b: 2\n"),
            (PieceKind::ListEnd, 2, "---\nitems: []\nkind: List\n"),
            (PieceKind::ListHead, 3, "[]"),
            (PieceKind::Item(1), 3, "- x\n"),
            (PieceKind::Item(2), 3, "- y: |\n    z\n"),
            (PieceKind::ListEnd, 3, "[]"),
        ],
    );
    // `items:` followed by something else than entries is the document's own text.
    check(
        "items:\nkind: List\n",
        &[(PieceKind::Whole, 1, "items:\nkind: List\n")],
    );
}

#[test]
fn broken_dumps_say_where() {
    let err = |text: &str| pieces(text.as_bytes(), 3).unwrap_err();
    assert!(matches!(
        err("{\"items\": [{\"a\": 1}"),
        DumpError::Truncated { line: 1 }
    ));
    assert!(matches!(
        err("{\"a\": \"unterminated"),
        DumpError::Truncated { .. }
    ));
    assert!(matches!(
        err("{\"a\": 1}}"),
        DumpError::Json {
            line: 1,
            column: 9,
            ..
        }
    ));
    assert!(matches!(
        err("[1]\n]"),
        DumpError::Json {
            line: 2,
            column: 1,
            ..
        }
    ));
    assert!(matches!(err("{\"a\": [1}"), DumpError::Json { .. }));
    assert!(matches!(err("{} x"), DumpError::Json { .. }));
    assert!(matches!(
        err(&"[".repeat(1000)),
        DumpError::TooDeep { limit: 256 }
    ));
    assert!(matches!(
        err("- a\nb: 1\n"),
        DumpError::Yaml { line: 2, .. }
    ));
    let big = format!(
        "{{\"items\": [{{\"a\": \"{}\"}}]}}",
        "x".repeat(MAX_ITEM_BYTES)
    );
    let e = pieces(big.as_bytes(), 1 << 20).unwrap_err();
    assert_eq!(
        e,
        DumpError::ItemTooLarge {
            document: 1,
            item: Some(1),
            limit: MAX_ITEM_BYTES
        }
    );
    assert!(e
        .to_string()
        .starts_with("Item 1 of document 1 is over 8 MiB"));
    let not_utf8 = pieces(b"{\"items\": [{\"a\": \"\xff\"}]}", 2).unwrap_err();
    assert_eq!(not_utf8, DumpError::NotUtf8 { line: 1 });
}

#[test]
fn an_objects_error_is_placed_in_the_whole_dump() {
    let text = "{\"items\": [\n  {\"kind\": \"Role\"},\n  {\"kind\": Role}\n]}";
    let mut stream = PolicyStream::new();
    let e = stream.feed(text.as_bytes()).unwrap_err();
    match e {
        StreamError::Read(access::ParseError::Json { line, column, .. }) => {
            assert_eq!((line, column), (3, 12));
        }
        other => panic!("{other:?}"),
    }
    // The reader refuses more once it failed.
    assert!(stream.feed(b"]").is_err());
}

#[test]
fn summaries_count_as_the_page_shows_them() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(2_712), "2,712");
    assert_eq!(grouped(1_234_567), "1,234,567");
    let mut stream = SecretsStream::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dumps");
    stream
        .feed(&std::fs::read(dir.join("island-orchestration-secretlist.json")).unwrap())
        .unwrap();
    assert_eq!(stream.summary(), "2 token Secrets of 3 objects");
    let mut stream = PolicyStream::new();
    stream
        .feed(&std::fs::read(dir.join("k8s-bootstrap-namespace-roles.yaml")).unwrap())
        .unwrap();
    assert_eq!(stream.summary(), "7 roles and bindings");
}

/// base64 (standard, padded) of `bytes`, for the generated dumps.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A `kubectl get secrets,configmaps -A -o json` dump of about `bytes`: every eleventh object a
/// legacy token Secret (a real-shaped JWT, the CA, the namespace), the rest Opaque Secrets and
/// ConfigMaps of a few KiB, as a cluster's dump runs.
fn secrets_dump(bytes: usize) -> (String, usize) {
    let url = |s: &str| {
        base64(s.as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    let ca = base64(&[b'C'; 1100]);
    let mut out = String::with_capacity(bytes + 8192);
    out.push_str("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
    let mut i = 0;
    while out.len() < bytes {
        if i > 0 {
            out.push_str(",\n");
        }
        let ns = format!("team-{}", i % 400);
        if i % 11 == 0 {
            let sa = format!("app-{i}");
            let payload = format!(
                "{{\"iss\":\"kubernetes/serviceaccount\",\"kubernetes.io/serviceaccount/namespace\":\"{ns}\",\"kubernetes.io/serviceaccount/secret.name\":\"{sa}-token-b2c4d\",\"kubernetes.io/serviceaccount/service-account.name\":\"{sa}\",\"kubernetes.io/serviceaccount/service-account.uid\":\"5761c0a4-8b32-4f4c-ba21-{i:012}\",\"sub\":\"system:serviceaccount:{ns}:{sa}\"}}"
            );
            let jwt = format!(
                "{}.{}.{}",
                url("{\"alg\":\"RS256\",\"kid\":\"o6AMV5_j4B0bUwbpFoSWCnTyKfW3YevPf8OeKTomcr4\"}"),
                url(&payload),
                url(&"s".repeat(256))
            );
            let used = if i % 3 == 0 {
                String::new()
            } else {
                format!(",\n                \"labels\": {{\"kubernetes.io/legacy-token-last-used\": \"2026-0{}-1{}\"}}", 1 + i % 9, i % 10)
            };
            out.push_str(&format!(
                "        {{\n            \"apiVersion\": \"v1\",\n            \"data\": {{\n                \"ca.crt\": \"{ca}\",\n                \"namespace\": \"{}\",\n                \"token\": \"{}\"\n            }},\n            \"kind\": \"Secret\",\n            \"metadata\": {{\n                \"annotations\": {{\n                    \"kubernetes.io/service-account.name\": \"{sa}\",\n                    \"kubernetes.io/service-account.uid\": \"5761c0a4-8b32-4f4c-ba21-{i:012}\"\n                }},\n                \"creationTimestamp\": \"2022-01-06T23:39:33Z\"{used},\n                \"name\": \"{sa}-token-b2c4d\",\n                \"namespace\": \"{ns}\",\n                \"resourceVersion\": \"{i}\",\n                \"uid\": \"62c2aa8a-3e0d-4e43-a846-{i:012}\"\n            }},\n            \"type\": \"kubernetes.io/service-account-token\"\n        }}",
                base64(ns.as_bytes()),
                base64(jwt.as_bytes())
            ));
        } else if i % 2 == 0 {
            out.push_str(&format!(
                "        {{\n            \"apiVersion\": \"v1\",\n            \"data\": {{\n                \"config.yaml\": \"{}\"\n            }},\n            \"kind\": \"ConfigMap\",\n            \"metadata\": {{\n                \"name\": \"settings-{i}\",\n                \"namespace\": \"{ns}\"\n            }}\n        }}",
                "key: value\\n".repeat(200)
            ));
        } else {
            out.push_str(&format!(
                "        {{\n            \"apiVersion\": \"v1\",\n            \"data\": {{\n                \"password\": \"{}\"\n            }},\n            \"kind\": \"Secret\",\n            \"metadata\": {{\n                \"name\": \"db-{i}\",\n                \"namespace\": \"{ns}\"\n            }},\n            \"type\": \"Opaque\"\n        }}",
                base64(&[b'p'; 1500])
            ));
        }
        i += 1;
    }
    out.push_str("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
    (out, i)
}

/// A generated Secrets dump agrees with the whole-text audit, in chunks that split every kind
/// of token (escapes, UTF-8, CRLF are the fixtures' and the shapes' above).
#[test]
fn a_generated_secrets_dump_agrees_with_the_whole_read() {
    let (text, objects) = secrets_dump(2 * 1024 * 1024);
    let whole = audit::read(&text, NOW).unwrap();
    let mut stream = SecretsStream::new();
    for chunk in text.as_bytes().chunks(4093) {
        stream.feed(chunk).unwrap();
    }
    assert_eq!(
        stream.summary(),
        format!(
            "{} token Secrets of {} objects",
            grouped(whole.rows.len()),
            grouped(objects)
        )
    );
    assert_eq!(stream.finish(NOW, &Options::default()).unwrap(), whole);
}

/// This thread's CPU seconds (user and system) from `/proc/thread-self/stat`, so timings on a
/// shared, loaded machine count only this thread's work. Ticks are 1/100 s.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

/// Native throughput of the chunked Audit reader on a 256 MiB dump, in 4 MiB chunks, in CPU
/// time: `cargo test --release --test dump_stream -- --ignored --nocapture throughput`.
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn throughput_of_a_256_mib_secrets_dump() {
    let (text, objects) = secrets_dump(256 * 1024 * 1024 - 64 * 1024);
    let mb = text.len() as f64 / 1e6;
    let chunks = text.len().div_ceil(4 * 1024 * 1024);
    let mut stream = SecretsStream::new();
    let (mut longest, mut carried) = (0f64, 0);
    let start = cpu_seconds();
    for chunk in text.as_bytes().chunks(4 * 1024 * 1024) {
        let t = cpu_seconds();
        stream.feed(chunk).unwrap();
        longest = longest.max(cpu_seconds() - t);
        carried = carried.max(stream.splitter().carried());
    }
    let work = stream.splitter().work();
    let summary = stream.summary();
    let t = cpu_seconds();
    let audit = stream.finish(NOW, &Options::default()).unwrap();
    let finish = cpu_seconds() - t;
    let total = cpu_seconds() - start;
    println!(
        "secrets dump: {mb:.1} MB, {objects} objects, {summary}: {:.0} MB/s of CPU time; a 4 MiB chunk {:.1} ms on average, {:.0} ms at most (10 ms ticks); finish {:.0} ms; peak carried {carried} bytes; work {:.2} per byte; {} rows",
        mb / total,
        total / chunks as f64 * 1e3,
        longest * 1e3,
        finish * 1e3,
        work as f64 / text.len() as f64,
        audit.rows.len()
    );
    let t = cpu_seconds();
    let mut splitter = Splitter::new();
    let mut sink =
        |_: tokenscope::formats::dump_stream::Piece<'_>| -> Result<(), DumpError> { Ok(()) };
    for chunk in text.as_bytes().chunks(4 * 1024 * 1024) {
        splitter.feed(chunk, &mut sink).unwrap();
    }
    println!("splitter alone: {:.0} MB/s", mb / (cpu_seconds() - t));
    let t = cpu_seconds();
    let mut splitter = Splitter::new();
    let mut sink = |p: tokenscope::formats::dump_stream::Piece<'_>| -> Result<(), DumpError> {
        let v: serde_json::Value = serde_json::from_str(p.text).unwrap();
        drop(v);
        Ok(())
    };
    for chunk in text.as_bytes().chunks(4 * 1024 * 1024) {
        splitter.feed(chunk, &mut sink).unwrap();
    }
    println!(
        "splitter and a serde_json Value of each item: {:.0} MB/s",
        mb / (cpu_seconds() - t)
    );
    let whole = &text[..32 * 1024 * 1024 - 4096];
    let cut = whole.rfind("\n        {").unwrap();
    let small = format!(
        "{}\n    ]\n}}\n",
        whole[..cut].trim_end_matches(",\n").trim_end_matches(',')
    );
    let t = cpu_seconds();
    let audit = audit::read(&small, NOW).unwrap();
    println!(
        "whole-text audit::read of the first {:.1} MB: {:.0} MB/s ({} rows)",
        small.len() as f64 / 1e6,
        small.len() as f64 / 1e6 / (cpu_seconds() - t),
        audit.rows.len()
    );
    // The same objects as `-o yaml` writes them.
    let yaml = tokenscope::formats::yaml_write::document(&serde_json::from_str(&small).unwrap());
    let t = cpu_seconds();
    let mut stream = SecretsStream::new();
    for chunk in yaml.as_bytes().chunks(4 * 1024 * 1024) {
        stream.feed(chunk).unwrap();
    }
    let streamed = stream.finish(NOW, &Options::default()).unwrap();
    let secs = cpu_seconds() - t;
    let t = cpu_seconds();
    let whole = audit::read(&yaml, NOW).unwrap();
    let whole_secs = cpu_seconds() - t;
    assert_eq!(streamed, whole);
    println!(
        "the same as YAML, {:.1} MB: chunked {:.0} MB/s ({:.0} ms a 4 MiB chunk on average), whole-text {:.0} MB/s",
        yaml.len() as f64 / 1e6,
        yaml.len() as f64 / 1e6 / secs,
        secs / (yaml.len() as f64 / 4194304.0) * 1e3,
        yaml.len() as f64 / 1e6 / whole_secs
    );
}

/// Native throughput of the chunked RBAC reader on a 64 MiB `kubectl get
/// roles,rolebindings,clusterroles,clusterrolebindings -A -o json` dump, in CPU time:
/// `cargo test --release --test dump_stream -- --ignored --nocapture rbac_throughput`.
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn rbac_throughput_of_a_64_mib_dump() {
    let mut text = String::from("{\"apiVersion\":\"v1\",\"items\":[");
    let mut i = 0;
    while text.len() < 64 * 1024 * 1024 - 4096 {
        if i > 0 {
            text.push(',');
        }
        let ns = format!("team-{}", i % 2000);
        if i % 2 == 0 {
            text.push_str(&format!(
                "{{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{{\"name\":\"app-{i}\",\"namespace\":\"{ns}\",\"annotations\":{{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"}}}},\"rules\":[{{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"configmaps\"],\"verbs\":[\"get\",\"list\",\"watch\"]}},{{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\"],\"resourceNames\":[\"app-{i}\"],\"verbs\":[\"get\",\"patch\"]}}]}}",
                "{\\\"x\\\":1}".repeat(20)
            ));
        } else {
            text.push_str(&format!(
                "{{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{{\"name\":\"app-{i}\",\"namespace\":\"{ns}\"}},\"roleRef\":{{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"app-{}\"}},\"subjects\":[{{\"kind\":\"ServiceAccount\",\"name\":\"app-{i}\",\"namespace\":\"{ns}\"}}]}}",
                i - 1
            ));
        }
        i += 1;
    }
    text.push_str("],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}");
    let mb = text.len() as f64 / 1e6;
    let chunks = text.len().div_ceil(4 * 1024 * 1024);
    let mut stream = PolicyStream::new();
    let mut longest = 0f64;
    let start = cpu_seconds();
    for chunk in text.as_bytes().chunks(4 * 1024 * 1024) {
        let t = cpu_seconds();
        stream.feed(chunk).unwrap();
        longest = longest.max(cpu_seconds() - t);
    }
    let read = cpu_seconds() - start;
    let summary = stream.summary();
    let carried = stream.splitter().carried();
    let t = cpu_seconds();
    let policy = stream.finish().unwrap();
    let finish = cpu_seconds() - t;
    println!(
        "rbac dump: {mb:.1} MB, {summary}: feeding {:.0} MB/s of CPU time, a 4 MiB chunk {:.1} ms on average, {:.0} ms at most (10 ms ticks); finish (repeats, aggregation, index) {:.0} ms; carried at the end {carried} bytes; {} roles, {} bindings",
        mb / read,
        read / chunks as f64 * 1e3,
        longest * 1e3,
        finish * 1e3,
        policy.roles.len(),
        policy.bindings.len()
    );
}
