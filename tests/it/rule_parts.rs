//! A role's `rules:` read in parts gives exactly what reading each object whole gives: every
//! YAML and JSON fixture under `tests/fixtures/` (real dumps among them, sources in their
//! READMEs) and generated roles in every shape the splitter must see through (flow-style
//! rules, comments, anchors and aliases, `---` documents, `List`s, indented and compact
//! dashes, CRLF, rules before the other keys, a second `rules:`, broken entries), at parts of
//! 1, 2 and 3 entries and chunks of 1, 7 and 4096 bytes: the same policy, or the same error in
//! the same place.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use tokenscope::access::{self, PolicyStream};
use tokenscope::formats::dump_stream::{parse_piece, DumpError, Gather, Split, Splitter};

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

/// The policy read with `parts` entries a part (0: objects whole), fed in chunks of `size`.
fn read(text: &[u8], parts: usize, size: usize) -> Result<access::Policy, String> {
    let mut stream = PolicyStream::with_rule_parts(parts);
    for chunk in text.chunks(size.max(1)) {
        stream.feed(chunk).map_err(|e| e.to_string())?;
    }
    stream.finish().map_err(|e| e.to_string())
}

/// Every object's value (or error) as the splitter with parts and [`Gather`] give it, with
/// how many parts were handed out and objects put back together from them; or the values of
/// the objects parsed whole.
fn values(text: &[u8], parts: usize, size: usize) -> (Vec<Result<Value, String>>, usize, usize) {
    let mut splitter = Splitter::with_rule_parts(parts);
    let mut gather = Gather::new();
    let mut out = Vec::new();
    let mut handed = 0;
    let mut sink = |piece: tokenscope::formats::dump_stream::Piece<'_>| -> Result<(), DumpError> {
        if let Split::Rules(_) = piece.split {
            handed += 1;
            gather.part(&piece);
        } else if parts == 0 {
            out.push(parse_piece(&piece).map_err(|e| format!("{e:?}")));
        } else {
            out.push(gather.value(&piece).map_err(|e| format!("{e:?}")));
        }
        Ok(())
    };
    let mut failed = None;
    for chunk in text.chunks(size.max(1)) {
        if let Err(e) = splitter.feed(chunk, &mut sink) {
            failed = Some(e);
            break;
        }
    }
    if failed.is_none() {
        failed = splitter.finish(&mut sink).err();
    }
    if let Some(e) = failed {
        out.push(Err(e.to_string()));
    }
    (out, handed, gather.rebuilt)
}

/// Checks `text` read in parts against objects read whole, at every part and chunk size;
/// returns the parts handed out at one entry a part, and the objects put back from them.
fn check(name: &str, text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (whole, none, _) = values(bytes, 0, bytes.len());
    assert_eq!(none, 0, "{name}: no parts when not asked");
    let policy = read(bytes, 0, bytes.len());
    let (mut handed, mut rebuilt) = (0, 0);
    for parts in [1, 2, 3] {
        for size in [1, 7, 4096, bytes.len()] {
            let (got, n, r) = values(bytes, parts, size);
            assert_eq!(got, whole, "{name}: {parts} a part, chunks of {size}");
            if parts == 1 {
                handed = handed.max(n);
                rebuilt = rebuilt.max(r);
            }
            let read = read(bytes, parts, size);
            assert_eq!(
                read, policy,
                "{name}: policy, {parts} a part, chunks of {size}"
            );
        }
    }
    (handed, rebuilt)
}

#[test]
fn every_fixture_read_with_rules_in_parts_equals_objects_read_whole() {
    let mut split = Vec::new();
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        if check(&name, &text).1 > 0 {
            split.push(name);
        }
    }
    // The real `kubectl get clusterroles -o yaml` List and the bootstrap roles are split and
    // put back together.
    for real in [
        "access/default-clusterroles.yaml",
        "dumps/k8s-bootstrap-namespace-roles.yaml",
    ] {
        assert!(
            split.iter().any(|s| s.ends_with(real)),
            "{real} was not split: {split:?}"
        );
    }
}

/// One rule written in one of the ways people write them.
fn rule(k: usize, style: u8) -> String {
    match style % 6 {
        0 => format!("- apiGroups:\n  - \"\"\n  resources:\n  - r{k}\n  verbs:\n  - get\n"),
        1 => format!("- apiGroups: [\"\"]\n  resources: [\"r{k}\"]\n  verbs: [\"get\", \"list\"]\n"),
        2 => format!("- {{apiGroups: [apps], resources: [d{k}], verbs: ['*']}}\n"),
        3 => format!("# rule {k}\n- apiGroups:\n    - \"\"\n  # the resource\n  resources:\n    - r{k}\n\n  verbs: [get]\n"),
        4 => format!("- nonResourceURLs:\n  - /u{k}\n  verbs:\n  - get\n"),
        _ => format!("- apiGroups: ['']\n  resources: [r{k}]\n  resourceNames:\n  - |\n    n{k}\n    more\n  verbs: [get]\n"),
    }
}

/// Indents every line of `text` by `by` spaces.
fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}

/// A ClusterRole document with `rules` rules, its dashes `dashes` spaces in from its keys.
fn role_doc(name: &str, rules: &[u8], dashes: usize, rules_first: bool) -> String {
    let entries: String = rules.iter().enumerate().map(|(k, &s)| rule(k, s)).collect();
    let rules = format!("rules:\n{}", indent(&entries, dashes));
    let head = format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {name}\n"
    );
    if rules_first {
        format!("{rules}{head}")
    } else {
        format!("{head}{rules}")
    }
}

const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r0\nsubjects:\n- kind: User\n  name: u\n";

/// Turns documents into a `List` whose items are indented by `by`.
fn as_list(docs: &[String], by: usize) -> String {
    let mut out = String::from("apiVersion: v1\nitems:\n");
    for doc in docs {
        let body = indent(doc, by + 2);
        let mut body = body.into_bytes();
        // `- ` in place of the first line's indentation.
        body[by] = b'-';
        out.push_str(&String::from_utf8(body).unwrap());
    }
    out.push_str("kind: List\n");
    out
}

fn dump(
    roles: &[Vec<u8>],
    dashes: usize,
    rules_first: bool,
    list: Option<usize>,
    crlf: bool,
) -> String {
    let mut docs: Vec<String> = roles
        .iter()
        .enumerate()
        .map(|(i, rules)| role_doc(&format!("r{i}"), rules, dashes, rules_first))
        .collect();
    docs.push(BINDING.to_string());
    let text = match list {
        Some(by) => as_list(&docs, by),
        None => docs.join("---\n"),
    };
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_roles_read_in_parts_equal_objects_read_whole(
        roles in prop::collection::vec(prop::collection::vec(0u8..6, 0..12), 1..4),
        dashes in 0usize..3,
        rules_first in any::<bool>(),
        list in prop::option::of(0usize..3),
        crlf in any::<bool>(),
    ) {
        let text = dump(&roles, dashes, rules_first, list, crlf);
        let (_, rebuilt) = check("generated", &text);
        // At one entry a part, a role of two rules or more fills a part before its rules end.
        let with_rules = roles.iter().filter(|r| r.len() > 1).count();
        prop_assert_eq!(rebuilt, with_rules, "every role of several rules is put back from parts");
    }
}

#[test]
fn hand_written_shapes_read_in_parts_equal_objects_read_whole() {
    let shapes: &[(&str, &str, bool)] = &[
        // (name, text, whether parts are handed out; the tests below say which are put back)
        ("flow-style rules", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: f}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]},\n  {apiGroups: [''], resources: [secrets], verbs: [get]}]\n", false),
        ("an anchor in one rule, its alias in another", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: &v [get, list]\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: *v\n", true),
        ("an anchor in the metadata, its alias in a rule", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: &n a\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  resourceNames: [*n]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n", true),
        ("an anchor in a rule, its alias after the rules", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: &r [pods]\n  verbs: [list]\nmetadata:\n  name: a\n  labels: {x: *r}\n", true),
        ("anchored rules", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules: &all\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n", false),
        ("a second rules key", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get]\n", true),
        ("a broken entry", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n  resources: [pods\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n", true),
        ("a broken key after the rules", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\nmetadata:\n  name: 'a\n", true),
        ("a tab in an entry", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n\tresources: [pods]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n", false),
        ("a line left of the dashes", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [get]\n  - apiGroups: ['']\n    resources: [pods]\n verbs: [list]\n", true),
        ("rules with nothing after", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n# none\n", false),
        ("rules then a key at the dash column", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\naggregationRule:\n  clusterRoleSelectors: []\n", true),
        ("a Role in a List after its rules' list", "apiVersion: v1\nkind: List\nitems:\n- rules:\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [get]\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [list]\n  kind: Role\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: a, namespace: n}\n- kind: Role\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: b, namespace: n}\n", true),
        ("a lone dash item", "items:\n-\n  kind: ClusterRole\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: a}\n  rules:\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [get]\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [list]\n", true),
        ("a top-level sequence", "- kind: ClusterRole\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: a}\n  rules:\n    - apiGroups: ['']\n      resources: [pods]\n      verbs: [get]\n    - apiGroups: ['']\n      resources: [pods]\n      verbs: [list]\n", true),
        ("a List document with rules of its own", "kind: List\nrules:\n- a\n- b\nitems:\n- kind: ClusterRole\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: a}\n  rules: []\n", true),
        ("documents ended by ...", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a}\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n...\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b}\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n", true),
        ("a quoted key", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a}\n\"rules\":\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n", false),
        ("a comment after the key", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a}\nrules: # the rules\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [list]\n", true),
        ("rules the API server would refuse, in a Role", "kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a, namespace: n}\nrules:\n- nonResourceURLs: [/x]\n  verbs: []\n- apiGroups: [1, '']\n  resources: pods\n  verbs: [get, {a: b}]\n- just text\n- nonResourceURLs: [/y]\n  resources: [pods]\n  verbs: [get]\n- {}\n", true),
        ("the same in a ClusterRole", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a}\nrules:\n- nonResourceURLs: [/x]\n  verbs: []\n- apiGroups: [1, '']\n  resources: pods\n  verbs: [get, {a: b}]\n- just text\n- nonResourceURLs: [/y]\n  resources: [pods]\n  verbs: [get]\n- {}\n", true),
        ("a tag on the rules", "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: a}\nrules: !!seq\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get]\n", false),
    ];
    // Each refusal is noted, and of a Role also its non-resource URLs.
    assert_eq!(access::parse(shapes[19].1).unwrap().notes.len(), 12);
    assert_eq!(access::parse(shapes[20].1).unwrap().notes.len(), 10);
    let mut rebuilt = Vec::new();
    for (name, text, parts) in shapes {
        let (handed, put_back) = check(name, text);
        assert_eq!(handed > 0, *parts, "{name}: parts handed out: {handed}");
        if put_back > 0 {
            rebuilt.push(*name);
        }
    }
    // Only where nothing could differ: no anchor, no error, one `rules`.
    assert_eq!(
        rebuilt,
        [
            "rules then a key at the dash column",
            "a Role in a List after its rules' list",
            "a lone dash item",
            "a top-level sequence",
            "documents ended by ...",
            "a comment after the key",
            "rules the API server would refuse, in a Role",
            "the same in a ClusterRole",
        ]
    );
}

/// Errors in parts keep saying where: the line of the whole file.
#[test]
fn an_error_in_a_part_names_its_line_in_the_file() {
    let mut text = String::from("kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: a\nrules:\n");
    for k in 0..600 {
        text.push_str(&format!(
            "- apiGroups: ['']\n  resources: [r{k}]\n  verbs: [get]\n"
        ));
    }
    text.push_str("- apiGroups: ['']\n  resources: [pods\n  verbs: [get]\n");
    let error = read(text.as_bytes(), 256, 4096).unwrap_err();
    assert_eq!(error, read(text.as_bytes(), 0, text.len()).unwrap_err());
    assert!(error.contains("(line 1808, column 8)"), "{error}");
}
