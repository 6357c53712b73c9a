//! The work a paste can cause grows with its size and nothing else: property tests that
//! generate the shapes an attacker would paste (alias-heavy YAML, "billion laughs", deep and
//! wide nesting, thousands of PEM blocks, long lines) and check what the readers did against
//! a linear bound of the input's size. They count work (values built, bytes built, bytes
//! scanned) rather than time it, so they hold on any machine; timings are the benchmark's
//! (`scripts/bench`). The fixed tests at the end read the reported pastes at their real
//! sizes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{Map, Value};
use tokenscope::crypto::keys::{self, PemProblem};
use tokenscope::formats::yaml::{self, Work, YamlError, BYTES_FLOOR, EXPANSION, MAX_NODES};
use tokenscope::support::error::{InputError, InspectError};
use tokenscope::{access, crypto::x509, inspect::input};

/// 64 cases unless `PROPTEST_CASES` says otherwise (each case builds up to megabytes).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The most bytes the YAML reader may build from `text`.
fn byte_bound(text: &str) -> usize {
    (EXPANSION * text.len()).max(BYTES_FLOOR)
}

/// Values in `docs` (each mapping key counted as a value, as the reader counts it) and the
/// bytes of their text, counted without recursion: the trees can be large.
fn measure(docs: &[Value]) -> (usize, usize) {
    let (mut nodes, mut text) = (0, 0);
    let mut pending: Vec<&Value> = docs.iter().collect();
    while let Some(value) = pending.pop() {
        nodes += 1;
        match value {
            Value::String(s) => text += s.len(),
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => {
                nodes += map.len();
                text += map.keys().map(String::len).sum::<usize>();
                pending.extend(map.values());
            }
            _ => {}
        }
    }
    (nodes, text)
}

/// Checks one paste of YAML: refused only by a limit that names itself, and the work (what
/// was built, up to the refusal) within the limits; what was built is not undercounted.
fn check_bounded(text: &str) -> Result<Result<Vec<Value>, YamlError>, TestCaseError> {
    let (result, work) = yaml::parse_documents_counted(text);
    prop_assert!(
        work.bytes <= byte_bound(text),
        "{work:?} for {} bytes",
        text.len()
    );
    prop_assert!(work.nodes <= MAX_NODES, "{work:?}");
    match &result {
        Ok(docs) => {
            let (nodes, text_bytes) = measure(docs);
            prop_assert!(
                nodes <= work.nodes,
                "{nodes} values built, {work:?} counted"
            );
            prop_assert!(
                text_bytes <= work.bytes,
                "{text_bytes} bytes, {work:?} counted"
            );
        }
        Err(YamlError::Parse { message, .. }) => {
            prop_assert!(
                message.contains(" KiB (") || message.contains(&format!("{MAX_NODES} values")),
                "{message}"
            );
        }
        Err(other) => prop_assert!(false, "unexpected {other:?}"),
    }
    Ok(result)
}

/// Anchors of random sizes, each a string or a list of aliases to earlier anchors, then a
/// list of many aliases: from harmless to "billion laughs".
fn alias_heavy() -> impl Strategy<Value = String> {
    let anchor = prop_oneof![
        (0usize..40_000).prop_map(|n| (n, Vec::new())),
        (
            0usize..16,
            prop::collection::vec(any::<prop::sample::Index>(), 0..24)
        ),
    ];
    (
        prop::collection::vec(anchor, 1..24),
        prop::collection::vec(any::<prop::sample::Index>(), 0..4_000),
        any::<bool>(),
    )
        .prop_map(|(anchors, uses, flow)| {
            let mut text = String::from("kind: Secret\n");
            for (i, (len, refs)) in anchors.iter().enumerate() {
                if refs.is_empty() || i == 0 {
                    text.push_str(&format!("a{i}: &a{i} \"{}\"\n", "A".repeat(*len)));
                } else {
                    let items: Vec<String> =
                        refs.iter().map(|r| format!("*a{}", r.index(i))).collect();
                    text.push_str(&format!("a{i}: &a{i} [x{len}, {}]\n", items.join(", ")));
                }
            }
            let uses = uses.iter().map(|u| format!("*a{}", u.index(anchors.len())));
            if flow {
                text.push_str(&format!("b: [{}]\n", uses.collect::<Vec<_>>().join(",")));
            } else {
                text.push_str("b:\n");
                uses.for_each(|u| text.push_str(&format!("- {u}\n")));
            }
            text
        })
}

/// `levels` anchors, each a list of `width` aliases to the one before.
fn laughs(levels: usize, width: usize) -> String {
    let mut text = String::from("l0: &l0 \"lol\"\n");
    for i in 1..levels {
        let items = vec![format!("*l{}", i - 1); width].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{items}]\n"));
    }
    text
}

/// JSON-shaped values of every kind, nested up to `depth` and `width` wide.
fn tree(depth: u32, width: usize) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| Value::from(i64::from(n))),
        "[a-z0-9 ./:-]{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(depth, 4_096, width as u32, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..width).prop_map(Value::Array),
            prop::collection::vec(("[a-z][a-z0-9.-]{0,12}", inner), 0..width)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// `value` in YAML's block style, as kubectl writes it: two-space indentation, `- ` items,
/// strings double-quoted (JSON's escapes are YAML's).
fn block(value: &Value) -> String {
    fn scalar(value: &Value) -> String {
        match value {
            Value::Array(_) => "[]".into(),
            Value::Object(_) => "{}".into(),
            other => other.to_string(),
        }
    }
    fn empty(value: &Value) -> bool {
        match value {
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => true,
        }
    }
    // (indentation, prefix, value) still to write; without recursion, like the reader.
    let mut out = String::new();
    let mut pending = vec![(0usize, String::new(), value)];
    while let Some((indent, prefix, value)) = pending.pop() {
        let pad = " ".repeat(indent);
        if empty(value) {
            out.push_str(&format!("{pad}{prefix}{}\n", scalar(value)));
            continue;
        }
        if !prefix.is_empty() {
            out.push_str(&format!("{pad}{}\n", prefix.trim_end()));
        }
        let inner = if prefix.is_empty() {
            indent
        } else {
            indent + 2
        };
        match value {
            Value::Array(items) => pending.extend(
                items
                    .iter()
                    .rev()
                    .map(|item| (inner, "- ".to_string(), item)),
            ),
            Value::Object(map) => pending.extend(
                map.iter()
                    .rev()
                    .map(|(k, v)| (inner, format!("{}: ", Value::from(k.as_str())), v)),
            ),
            _ => {}
        }
    }
    out
}

/// Many PEM blocks, with text, long lines and broken blocks between and inside them, and
/// perhaps a block that stops the reading at the end.
fn many_blocks() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        // A one-line block, as in the report.
        8 => (0usize..40).prop_map(|n| format!("-----BEGIN A-----{}-----END A-----\n", "QUJD".repeat(n))),
        // A wrapped block, its base64 broken or not.
        4 => (1usize..30, any::<bool>()).prop_map(|(lines, bad)| {
            let body = vec!["QUJDREVGR0g="; lines].join("\n");
            let body = if bad { format!("{body}*") } else { body };
            format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
        }),
        // Blocks on one long line.
        2 => (0usize..200).prop_map(|n| "-----BEGIN A-----QUJD-----END A----- ".repeat(n)),
        // A long line of text, with or without dashes in it.
        1 => (0usize..20_000, any::<bool>()).prop_map(|(n, dashes)| {
            let fill = if dashes { "-- -----" } else { "x" };
            format!("{}\n", fill.repeat(n / fill.len()))
        }),
        // An END alone, and an END that names another block.
        1 => Just("-----END A-----".to_string()),
        1 => Just("-----BEGIN B----- QUJD -----END C-----".to_string()),
    ];
    let last = prop_oneof![
        Just(String::new()),
        Just("-----BEGIN ".to_string()),
        Just("-----BEGIN A-----\nQUJD\n".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY".to_string()),
    ];
    (prop::collection::vec(piece, 1..1_000), last)
        .prop_map(|(pieces, last)| pieces.concat() + &last)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn alias_expansion_is_bounded_by_bytes_built(text in alias_heavy()) {
        let _ = check_bounded(&text)?;
    }

    #[test]
    fn billion_laughs_are_refused_before_they_are_built(levels in 1usize..14, width in 1usize..12) {
        let text = laughs(levels, width);
        let result = check_bounded(&text)?;
        // Level i holds `width` copies of level i - 1: each level multiplies the values by
        // `width`. Each value costs 2 to 5 bytes (twice over, with its anchor's copy): what
        // surely fits is read, what surely does not is refused.
        let mut level = 0.0f64;
        let built: f64 = (0..levels)
            .map(|_| {
                level = 1.0 + width as f64 * level;
                level
            })
            .sum();
        let bound = byte_bound(&text) as f64;
        if 2.0 * built > bound {
            prop_assert!(result.is_err(), "{built} values accepted");
        }
        if 10.0 * built + 8.0 * levels as f64 <= bound {
            prop_assert!(result.is_ok(), "{built} values refused: {result:?}");
        }
    }

    #[test]
    fn nesting_without_aliases_is_read_and_counted_once(value in tree(12, 12), json in any::<bool>()) {
        let text = if json { value.to_string() } else { block(&value) };
        let (result, work) = yaml::parse_documents_counted(&text);
        let docs = result.map_err(|e| TestCaseError::fail(format!("{e} reading\n{text}")))?;
        let expected: Vec<Value> = if value.is_null() { vec![] } else { vec![value] };
        prop_assert_eq!(&docs, &expected, "read back from\n{}", text);
        // Counted once each: a value nested k levels deep is not counted k times.
        let nodes = if docs.is_empty() { 1 } else { measure(&docs).0 };
        prop_assert_eq!(work.nodes, nodes);
        prop_assert!(work.bytes <= 3 * text.len() + 8, "{work:?} for {} bytes", text.len());
    }

    #[test]
    fn pem_positions_come_from_one_scan(text in many_blocks()) {
        let work = keys::pem_work(&text);
        prop_assert!(work <= 8 * text.len() + 64, "{work} bytes looked at for {} bytes", text.len());
    }
}

/// A ClusterRole list as `kubectl get clusterroles -o yaml` prints it.
fn cluster_role_list(roles: usize, rules: usize) -> String {
    let mut out = String::from("apiVersion: v1\nitems:\n");
    for r in 0..roles {
        out.push_str(&format!(
            "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata:\n    \
             annotations:\n      rbac.authorization.kubernetes.io/autoupdate: \"true\"\n    \
             creationTimestamp: \"2024-05-01T10:00:00Z\"\n    labels:\n      \
             kubernetes.io/bootstrapping: rbac-defaults\n    name: system:controller:role-{r:05}\n    \
             resourceVersion: \"{}\"\n    uid: 6f1c{r:04x}-1b2c-4d3e-8f90-a1b2c3d4e5f6\n  rules:\n",
            1000 + r
        ));
        for k in 0..rules {
            out.push_str(&format!(
                "  - apiGroups:\n    - \"\"\n    - apps\n    resources:\n    - pods\n    - pods/log\n    \
                 - resource-{k}\n    verbs:\n    - get\n    - list\n    - watch\n"
            ));
        }
    }
    out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    out
}

/// A whole cluster's RBAC as `kubectl get roles,rolebindings,clusterroles,clusterrolebindings
/// -A -o yaml` prints it, just under `bytes`: namespaced Roles and RoleBindings, ClusterRoles
/// (every tenth aggregated from labelled ones) and ClusterRoleBindings.
fn rbac_dump(bytes: usize) -> String {
    let meta = |name: &str, namespace: Option<&str>, i: usize| {
        let ns = namespace.map_or(String::new(), |ns| format!("    namespace: {ns}\n"));
        format!(
            "  metadata:\n    creationTimestamp: \"2024-05-01T10:00:00Z\"\n    labels:\n      \
             app.kubernetes.io/part-of: tenant-{}\n      rbac.example.com/aggregate-to-view: \"true\"\n    \
             name: {name}\n{ns}    resourceVersion: \"{}\"\n    uid: 0c1d{i:04x}-aaaa-4bbb-8ccc-0123456789ab\n",
            i % 300,
            100_000 + i
        )
    };
    let rules = "  rules:\n  - apiGroups:\n    - \"\"\n    resources:\n    - pods\n    - services\n    \
                 - configmaps\n    verbs:\n    - get\n    - list\n    - watch\n  - apiGroups:\n    \
                 - apps\n    resources:\n    - deployments\n    - statefulsets\n    verbs:\n    - '*'\n";
    let mut out = String::from("apiVersion: v1\nitems:\n");
    let tail = "kind: List\nmetadata:\n  resourceVersion: \"\"\n";
    for i in 0.. {
        let ns = format!("team-{:03}", i % 300);
        let item = match i % 10 {
            0 => format!(
                "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n{}  aggregationRule:\n    \
                 clusterRoleSelectors:\n    - matchLabels:\n        rbac.example.com/aggregate-to-view: \"true\"\n  \
                 rules: []\n",
                meta(&format!("aggregate-{i}"), None, i)
            ),
            1 | 2 => format!(
                "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n{}{rules}",
                meta(&format!("cluster-reader-{i}"), None, i)
            ),
            3 => format!(
                "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n{}  roleRef:\n    \
                 apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: cluster-reader-{}\n  \
                 subjects:\n  - kind: ServiceAccount\n    name: sa-{i}\n    namespace: {ns}\n",
                meta(&format!("crb-{i}"), None, i),
                i - 1
            ),
            4..=6 => format!(
                "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n{}{rules}",
                meta(&format!("role-{i}"), Some(&ns), i)
            ),
            _ => format!(
                "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n{}  roleRef:\n    \
                 apiGroup: rbac.authorization.k8s.io\n    kind: Role\n    name: role-{}\n  subjects:\n  \
                 - kind: ServiceAccount\n    name: sa-{i}\n    namespace: {ns}\n  - apiGroup: \
                 rbac.authorization.k8s.io\n    kind: Group\n    name: tenant-{i}\n",
                meta(&format!("rb-{i}"), Some(&ns), i),
                i - i % 10 + 4
            ),
        };
        if out.len() + item.len() + tail.len() > bytes {
            break;
        }
        out.push_str(&item);
    }
    out.push_str(tail);
    out
}

#[test]
fn a_kubectl_list_of_2000_cluster_roles_is_read() {
    let text = cluster_role_list(2_000, 9);
    assert!(text.len() > 2_900_000, "{}", text.len());
    let (result, work) = yaml::parse_documents_counted(&text);
    let docs = result.unwrap();
    assert_eq!(docs[0]["items"].as_array().map(Vec::len), Some(2_000));
    assert_eq!(work.nodes, measure(&docs).0);
}

#[test]
fn a_4_mib_rbac_dump_is_read() {
    let text = rbac_dump(access::MAX_POLICY_BYTES);
    assert!(
        text.len() > access::MAX_POLICY_BYTES - 1024,
        "{}",
        text.len()
    );
    let (result, work) = yaml::parse_documents_counted(&text);
    let docs = result.unwrap();
    assert_eq!(work.nodes, measure(&docs).0);
    // Room to spare below the cap for denser dumps than this one.
    assert!(work.nodes < MAX_NODES * 3 / 4, "{work:?}");
}

/// The Token paste that froze the page for 14 s and ran it out of memory: one 400 KiB anchored
/// string and 150 000 aliases to it.
#[test]
fn an_alias_paste_into_token_is_refused_before_it_is_built() {
    let text = format!(
        "kind: Secret\ndata:\n  token: &t \"{}\"\nmore: [{}]\n",
        "A".repeat(400 * 1024),
        vec!["*t"; 150_000].join(",")
    );
    assert!(
        text.len() > 850_000 && text.len() < crate_limit(),
        "{}",
        text.len()
    );
    match input::recognise(&text) {
        Err(InspectError::Input(InputError::Yaml {
            line,
            column,
            message,
        })) => {
            // The seventh alias: the anchored string, its anchor's copy and six copies fit.
            assert_eq!((line, column), (4, 8 + 6 * "*t,".len()), "{message}");
            let limit = 4 * text.trim().len() / 1024;
            assert_eq!(
                message,
                format!(
                    "the alias *t would expand the YAML past {limit} KiB (4 times the size of \
                     the paste); nothing larger is read"
                )
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let (_, work) = yaml::parse_documents_counted(&text);
    assert!(work.bytes <= 4 * text.len(), "{work:?}");
}

fn crate_limit() -> usize {
    tokenscope::token::jwt::MAX_INPUT_BYTES
}

/// The paste that froze the Verification key and CA certificate fields for 7.7 s: 25 000
/// one-line PEM blocks. Each is read, with its own line, in one pass.
#[test]
fn twenty_five_thousand_pem_blocks_are_read_in_one_pass() {
    let text: String = (0..25_000)
        .map(|i| format!("-----BEGIN A-----{:04}-----END A-----\n", i % 10_000))
        .collect();
    assert!(text.len() > 900_000 && text.len() < crate_limit());
    let blocks = keys::pem_blocks(&text);
    assert_eq!(blocks.len(), 25_000);
    let last = blocks.last().unwrap().as_ref().unwrap();
    assert_eq!((last.index, last.begin_line), (25_000, 25_000));
    assert!(keys::pem_work(&text) <= 8 * text.len());
    let e = keys::parse_keys(&text).unwrap_err().to_string();
    assert!(e.contains("PEM block 1 is A"), "{e}");
    let e = x509::parse_bundle(&text).unwrap_err().to_string();
    assert!(e.contains("PEM block 1 is A"), "{e}");

    // The same blocks on one line, the last one broken: its column is counted from the start.
    let mut line: String = (0..25_000)
        .map(|_| "-----BEGIN A-----QUJD-----END A----- ")
        .collect();
    line.push_str("-----BEGIN A-----QU*D-----END A-----");
    let blocks = keys::pem_blocks(&line);
    let Some(Err(e)) = blocks.last() else {
        panic!("expected the last block to fail")
    };
    assert_eq!((e.block, e.line), (25_001, 1));
    assert_eq!(
        e.problem,
        PemProblem::BadBase64 {
            column: line.len() - "*D-----END A-----".len() + 1,
            found: '*'
        }
    );
    assert!(keys::pem_work(&line) <= 8 * line.len());
}

#[test]
fn the_work_of_a_paste_does_not_depend_on_where_it_is_counted() {
    // A value nested 40 levels deep is one value, not forty.
    let text = format!("{}x{}", "[".repeat(40), "]".repeat(40));
    let (result, work) = yaml::parse_documents_counted(&text);
    assert!(result.is_ok());
    assert_eq!(work.nodes, 41);
    assert_eq!(
        yaml::parse_documents_counted("").1,
        Work::default(),
        "nothing pasted, nothing built"
    );
}

/// Text shaped to make a secret finder go back over what it read: JWT-like segments, keys
/// with no value, BEGIN lines with no END, `data:` blocks and mappings left open, long runs.
fn hostile_for_redact() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        (0usize..200).prop_map(|n| "eyJhbGciOi.".repeat(n)),
        (0usize..200).prop_map(|n| "eyJhbGciOiJ".repeat(n) + ".x"),
        (0usize..200).prop_map(|n| "Bearer ".repeat(n)),
        (0usize..200).prop_map(|n| "bearer      tokentoken".repeat(n)),
        (0usize..200).prop_map(|n| "--token ".repeat(n)),
        (0usize..200).prop_map(|n| "\"token\":\"\\\"".repeat(n)),
        (0usize..200).prop_map(|n| "-----BEGIN PRIVATE KEY-----".repeat(n)),
        (0usize..200).prop_map(|n| "-----BEGIN ".repeat(n)),
        (0usize..200).prop_map(|n| "data:\n  ".repeat(n)),
        (0usize..200).prop_map(|n| "data: {a: b, c: ".repeat(n)),
        (0usize..200).prop_map(|n| "\"data\":{\"k\":\"v\",".repeat(n)),
        (0usize..200).prop_map(|n| format!("data:\n{}", "  k: v\n".repeat(n))),
        (0usize..5_000).prop_map(|n| "ZXlK".repeat(n / 4)),
        (0usize..5_000).prop_map(|n| " ".repeat(n)),
        (0usize..5_000).prop_map(|n| "A".repeat(n)),
    ];
    prop::collection::vec(piece, 1..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn redact_finds_secrets_in_one_forward_scan(text in hostile_for_redact()) {
        let (spans, work) = tokenscope::redact::secret_spans_counted(&text);
        prop_assert!(work <= 12 * text.len() + 64, "{work} steps for {} bytes", text.len());
        prop_assert!(spans.len() <= text.len());
        let shown = tokenscope::redact::masked(&text);
        prop_assert!(shown.len() <= 8 * text.len() + 64, "{} bytes shown for {}", shown.len(), text.len());
    }
}

#[test]
fn redact_of_a_one_mib_line_of_each_hostile_shape_is_linear() {
    for unit in [
        "eyJhbGciOi.",
        "Bearer ",
        "--token ",
        "-----BEGIN PRIVATE KEY-----",
        "data:\n  ",
        "data: {a: b, ",
        "ZXlK",
        "token: ",
    ] {
        let text = unit.repeat((1 << 20) / unit.len());
        let (_, work) = tokenscope::redact::secret_spans_counted(&text);
        assert!(
            work <= 12 * text.len(),
            "{unit:?}: {work} steps for {} bytes",
            text.len()
        );
    }
}

use tokenscope::activity;

/// Rows of `verbs` distinct verbs on one resource, as a log of many distinct verbs gives them;
/// with `names`, each verb is also used on that many named objects.
fn distinct_verbs(verbs: usize, names: usize) -> Vec<activity::Row> {
    let row = |verb: String, name: Option<String>| activity::Row {
        request: activity::Request {
            verb,
            api_group: String::new(),
            resource: "configmaps".to_string(),
            namespace: Some("shop".to_string()),
            name,
            path: String::new(),
        },
        decision: activity::Decision::Allowed,
        failed: None,
        reason: String::new(),
        count: 1,
        first: "2026-12-01T00:00:00Z".to_string(),
        last: "2026-12-01T00:00:00Z".to_string(),
    };
    let mut rows = Vec::new();
    for v in 0..verbs {
        if names == 0 {
            rows.push(row(format!("verb-{v}"), None));
        }
        for n in 0..names {
            rows.push(row(format!("verb-{v}"), Some(format!("cm-{n}"))));
        }
    }
    rows
}

/// The steps rule generation may take for `rows`: a few per row, whatever their mix.
fn generation_bound(rows: usize) -> usize {
    8 * rows + 64
}

fn sa_grantee() -> activity::Grantee {
    activity::Grantee::ServiceAccount {
        namespace: "shop".to_string(),
        name: "web".to_string(),
    }
}

#[test]
fn many_distinct_verbs_on_one_resource_are_grouped_in_linear_work() {
    for (verbs, names) in [(20_000, 0), (5_000, 3)] {
        let rows = distinct_verbs(verbs, names);
        let (generated, work) =
            activity::generate_counted(&rows, &sa_grantee(), activity::Options::default());
        assert!(
            work <= generation_bound(rows.len()),
            "{work} steps for {} rows",
            rows.len()
        );
        // One rule: every verb on the resource (or on the same names).
        let [role] = generated.roles.as_slice() else {
            panic!("{:?}", generated.roles.len())
        };
        assert_eq!(role.rules.len(), 1);
        assert_eq!(role.rules[0].verbs.len(), verbs);
        assert_eq!(role.rules[0].resource_names.len(), names);
        assert_eq!(generated.granted, rows.len());
    }
}

proptest! {
    #![proptest_config(config())]
    #[test]
    fn rule_generation_is_linear_in_distinct_requests(
        uses in prop::collection::vec((0usize..4, 0usize..400, 0usize..6, any::<bool>()), 1..3_000),
        names in any::<bool>(),
    ) {
        let rows: Vec<activity::Row> = uses
            .iter()
            .map(|&(resource, verb, name, cluster)| {
                let mut row = distinct_verbs(1, 0).remove(0);
                row.request.resource = format!("r{resource}");
                row.request.verb = format!("v{verb}");
                row.request.name = (name > 0).then(|| format!("n{name}"));
                if cluster {
                    row.request.namespace = None;
                }
                row
            })
            .collect();
        let options = activity::Options { include_denied: false, resource_names: names };
        let (_, work) = activity::generate_counted(&rows, &sa_grantee(), options);
        prop_assert!(work <= generation_bound(rows.len()), "{} steps for {} rows", work, rows.len());
    }
}

/// Cluster RBAC of one ClusterRole of `rules` rules (one of them risky), bound cluster-wide to
/// every service account of `namespaces` × `accounts`, and in each namespace again by a
/// RoleBinding; and the dump of two token Secrets per account.
fn one_huge_role(rules: usize, namespaces: usize, accounts: usize) -> (String, String) {
    let mut role_rules: Vec<serde_json::Value> = (0..rules)
        .map(|k| serde_json::json!({"apiGroups": ["example.com"], "resources": [format!("things-{k}")], "verbs": ["get", "list"]}))
        .collect();
    role_rules
        .push(serde_json::json!({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}));
    let mut subjects = Vec::new();
    let mut items = vec![serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "huge"}, "rules": role_rules,
    })];
    let mut secrets = Vec::new();
    for n in 0..namespaces {
        let ns = format!("team-{n}");
        let mut here = Vec::new();
        for a in 0..accounts {
            let sa = format!("sa-{a}");
            here.push(serde_json::json!({"kind": "ServiceAccount", "name": sa, "namespace": ns}));
            for t in ["bcdfg", "hjklm"] {
                secrets.push(serde_json::json!({
                    "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                    "metadata": {"name": format!("{sa}-token-{t}"), "namespace": ns,
                        "creationTimestamp": "2020-01-01T00:00:00Z",
                        "annotations": {"kubernetes.io/service-account.name": sa}},
                }));
            }
        }
        items.push(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "huge", "namespace": ns},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "huge"},
            "subjects": here,
        }));
        subjects.extend(here);
    }
    items.push(serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "huge"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "huge"},
        "subjects": subjects,
    }));
    let list = |items: Vec<serde_json::Value>| {
        serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
    };
    (list(items), list(secrets))
}

#[test]
fn one_huge_role_bound_to_every_account_is_walked_once() {
    let rules = 4_000;
    let (rbac, dump) = one_huge_role(rules, 4, 150);
    let policy = access::parse(&rbac).unwrap();
    let audit = tokenscope::audit::read(&dump, 1_780_000_000).unwrap();
    assert_eq!(audit.rows.len(), 1_200);
    let grants = tokenscope::audit::worst_grants(&audit.rows, &policy);
    assert_eq!(grants.skipped, 0);
    // The role once cluster-wide and once in a namespace, not once per account.
    assert!(
        grants.rules_walked <= 2 * (rules + 1),
        "{} rules walked",
        grants.rules_walked
    );
    // Each account's answer is the evaluator's own.
    for i in [0, 1, 599, 1_199] {
        let row = &audit.rows[i];
        let subject = access::Subject::from_service_account(&row.namespace, &row.service_account);
        let expected = access::effective(&policy, &subject)
            .warnings
            .into_iter()
            .next();
        assert_eq!(grants.worst[i], expected, "row {i}");
        assert!(expected.is_some());
    }
}

/// Native timings of the issue's two shapes, for `docs/benchmarks.md`:
/// `cargo test --release --test it -- --ignored --nocapture issue_shapes`.
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn issue_shapes_timed() {
    use std::time::Instant;
    for verbs in [12_500, 25_000, 50_000] {
        let rows = distinct_verbs(verbs, 0);
        let start = Instant::now();
        let generated = activity::generate(&rows, &sa_grantee(), activity::Options::default());
        println!(
            "activity: {verbs} distinct verbs on one resource: generate {:.1} ms ({} bytes of YAML)",
            start.elapsed().as_secs_f64() * 1e3,
            generated.yaml.len()
        );
    }
    // 46k rules, 2,100 token Secrets of 1,050 accounts.
    let (rbac, dump) = one_huge_role(46_000, 7, 150);
    let policy = access::parse(&rbac).unwrap();
    let audit = tokenscope::audit::read(&dump, 1_780_000_000).unwrap();
    let start = Instant::now();
    let grants = tokenscope::audit::worst_grants(&audit.rows, &policy);
    println!(
        "audit: one role of 46k rules bound to every account, {} token Secrets: worst grants {:.1} ms ({} rules walked)",
        audit.rows.len(),
        start.elapsed().as_secs_f64() * 1e3,
        grants.rules_walked
    );
}

/// A cluster's dump for escalation, just under `bytes`: per namespace a ServiceAccount, a
/// legacy token Secret, a Deployment and its Pod (every tenth privileged), a Role allowing pod
/// creation and Secret reads bound to the account; every 50th account bound to cluster-admin;
/// and one user `ops` who may create pods in every namespace.
fn escalation_dump(bytes: usize) -> String {
    let mut out = String::from(
        "apiVersion: v1\nitems:\n\
         - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: cluster-admin}, \
         rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]}\n\
         - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: pod-maker}, \
         rules: [{apiGroups: [''], resources: [pods], verbs: [create]}]}\n\
         - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: ops}, \
         roleRef: {kind: ClusterRole, name: pod-maker}, subjects: [{kind: User, name: ops}]}\n",
    );
    let tail = "kind: List\nmetadata: {resourceVersion: \"\"}\n";
    for i in 0.. {
        let ns = format!("team-{i:04}");
        let mut item = format!(
            "- {{apiVersion: v1, kind: ServiceAccount, metadata: {{name: app, namespace: {ns}}}}}\n\
             - {{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: {{name: app-token, \
             namespace: {ns}, annotations: {{kubernetes.io/service-account.name: app}}}}}}\n\
             - {{apiVersion: apps/v1, kind: Deployment, metadata: {{name: web, namespace: {ns}}}, spec: {{template: \
             {{spec: {{serviceAccountName: app, containers: [{{name: c, image: nginx, securityContext: \
             {{privileged: {}}}}}]}}}}}}}}\n\
             - {{apiVersion: v1, kind: Pod, metadata: {{name: web-7d9c-x1, namespace: {ns}, ownerReferences: \
             [{{kind: ReplicaSet, name: web-7d9c, controller: true}}]}}, spec: {{serviceAccountName: app, \
             containers: [{{name: c, image: nginx}}]}}}}\n\
             - {{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {{name: worker, namespace: {ns}}}, \
             rules: [{{apiGroups: [''], resources: [pods], verbs: [create, get, list]}}, {{apiGroups: [''], \
             resources: [secrets], verbs: [get]}}]}}\n\
             - {{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {{name: worker, namespace: {ns}}}, \
             roleRef: {{kind: Role, name: worker}}, subjects: [{{kind: ServiceAccount, name: app}}]}}\n",
            i % 10 == 0
        );
        if i % 50 == 0 {
            item.push_str(&format!(
                "- {{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {{name: admin-{i}}}, \
                 roleRef: {{kind: ClusterRole, name: cluster-admin}}, subjects: [{{kind: ServiceAccount, \
                 name: app, namespace: {ns}}}]}}\n"
            ));
        }
        if out.len() + item.len() + tail.len() > bytes {
            break;
        }
        out.push_str(&item);
    }
    out.push_str(tail);
    out
}

/// Timing note (native, `--release` with opt-level 3 and no LTO, on the shared 2-core build
/// machine): 4 193 263 bytes, 3 648 namespaces; reading it with `access::parse` and
/// `escalation::read_objects` 677 ms, the escalation from `ops` 292 ms (7 298 nodes, 14 884
/// edges, path and cut), the workloads table over 2 000 accounts 261 ms more. In debug the same
/// run takes about 40 s, so the bounds are checked by counting, not by timing.
#[test]
fn a_4_mib_dump_with_workloads_gives_a_bounded_escalation_graph() {
    use tokenscope::access::escalation::{
        analyse, read_objects, workload_rows, Cut, Target, MAX_EDGES, MAX_EXPANDED, MAX_NODES,
    };
    let text = escalation_dump(access::MAX_POLICY_BYTES);
    assert!(
        text.len() > access::MAX_POLICY_BYTES - 4096,
        "{}",
        text.len()
    );
    let started = std::time::Instant::now();
    let policy = access::parse(&text).unwrap();
    let objects = read_objects(&text).unwrap();
    let read = started.elapsed();
    let namespaces = objects.accounts.len();
    assert!(namespaces > 3_000, "{namespaces}");
    let ops = access::parse_subject("ops").unwrap();
    let a = analyse(&policy, &objects, &ops, &Target::ClusterAdmin);
    let analysed = started.elapsed() - read;
    // ops → a pod in team-0000 → its cluster-admin account: two steps; one rule to cut.
    assert_eq!(a.path.as_ref().map(Vec::len), Some(2));
    assert!(
        matches!(&a.cut, Cut::Rules(r) if r.len() == 1),
        "{:?}",
        a.cut
    );
    // Counted work: linear in the namespaces, under the stated bounds.
    let g = &a.graph;
    assert!(
        !g.partial,
        "{} nodes, {} edges, {} expanded",
        g.nodes.len(),
        g.edges.len(),
        g.expanded
    );
    assert!(g.nodes.len() <= 3 * namespaces + 10, "{}", g.nodes.len());
    assert!(g.edges.len() <= 6 * namespaces + 10, "{}", g.edges.len());
    assert!(g.expanded <= namespaces + 10, "{}", g.expanded);
    assert!(g.nodes.len() <= MAX_NODES && g.edges.len() <= MAX_EDGES && g.expanded <= MAX_EXPANDED);
    let table = workload_rows(&objects, Some(&policy));
    let all = started.elapsed();
    assert_eq!(table.rows.len(), namespaces);
    assert_eq!(table.folded, namespaces);
    eprintln!(
        "{} bytes, {namespaces} namespaces: read {read:?}, escalation from ops {analysed:?} \
         ({} nodes, {} edges), with the workloads table {all:?}",
        text.len(),
        g.nodes.len(),
        g.edges.len()
    );
}

/// A log read from a file: the stream's work (bytes pushed, bytes carried across cuts, events
/// compared while folding) stays linear in the bytes, whatever the chunk size, for a log of
/// repeats, a log of distinct requests past the kept bound, and one long line cut in tiny
/// chunks.
#[test]
fn an_audit_log_read_in_chunks_is_linear_whatever_the_cuts() {
    let line = |i: usize, distinct: bool| {
        let name = if distinct { i } else { i % 7 };
        format!(
            "{{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{{\"username\":\"system:serviceaccount:shop:u{}\"}},\"objectRef\":{{\"resource\":\"pods\",\"namespace\":\"shop\",\"name\":\"p{name}\"}},\"requestReceivedTimestamp\":\"2026-12-01T10:00:00.{i:06}Z\"}}\n",
            i % 5
        )
    };
    let repeats: String = (0..20_000).map(|i| line(i, false)).collect();
    let distinct: String = (0..activity::MAX_DISTINCT + 5_000)
        .map(|i| line(i, true))
        .collect();
    let long = format!(
        "{{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{{\"username\":\"{}\"}},\"requestURI\":\"/healthz\"}}\n",
        "x".repeat(1 << 20)
    );
    for (name, text, chunk) in [
        ("repeats", &repeats, 4096),
        ("repeats, 7-byte chunks", &repeats, 7),
        ("distinct past the bound", &distinct, 1 << 20),
        ("one 1 MiB line, 3-byte chunks", &long, 3),
    ] {
        let mut stream = activity::Stream::new();
        for piece in text.as_bytes().chunks(chunk) {
            stream.push(piece);
        }
        let work = stream.work();
        let tally = stream.finish().unwrap();
        let events = tally.total;
        assert!(events > 0, "{name}");
        let bound = 2 * text.len() + 2 * events;
        assert!(work <= bound, "{name}: work {work} over {bound}");
    }
}
/// One ClusterRole of `rules` rules as `kubectl get clusterrole -o yaml` prints it, each rule
/// on its own resource (about 86 bytes a rule: 46 629 rules are 4 MB, the issue's shape), the
/// last one risky, bound cluster-wide to one service account.
pub(crate) fn big_cluster_role(rules: usize) -> String {
    let mut out = String::from(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: huge\nrules:\n",
    );
    for k in 0..rules.saturating_sub(1) {
        out.push_str(&format!(
            "- apiGroups:\n  - example.com\n  resources:\n  - things-{k:06}\n  verbs:\n  - get\n  - list\n"
        ));
    }
    out.push_str("- apiGroups:\n  - \"\"\n  resources:\n  - secrets\n  verbs:\n  - get\n");
    out.push_str(
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: huge\n\
         roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: huge\nsubjects:\n\
         - kind: ServiceAccount\n  name: app\n  namespace: team\n",
    );
    out
}

/// Native timings of the big role, for `docs/benchmarks.md`:
/// `cargo test --release --test bounds -- --ignored --nocapture big_role_timed`.
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn big_role_timed() {
    use std::time::Instant;
    let text = big_cluster_role(46_629);
    let start = Instant::now();
    let policy = access::parse(&text).unwrap();
    let parsed = start.elapsed();
    let subject = access::Subject::from_service_account("team", "app");
    let start = Instant::now();
    let effective = access::effective(&policy, &subject);
    let evaluated = start.elapsed();
    let query = access::Query::parse("get", "secrets", "team", "").unwrap();
    let start = Instant::now();
    let answer = access::can_i(&policy, &subject, &query);
    let asked = start.elapsed();
    let start = Instant::now();
    let who = access::who_can(&policy, &query);
    let who_time = start.elapsed();
    let start = Instant::now();
    let misses = access::nearest_misses(
        &policy,
        &subject,
        &access::Query::parse("delete", "secrets", "team", "").unwrap(),
    );
    let missed = start.elapsed();
    println!(
        "big role: {} bytes, {} rules: parse {parsed:?}, effective {evaluated:?} ({} rows), can_i {asked:?} ({}), who_can {who_time:?} ({} rows), nearest_misses {missed:?} ({})",
        text.len(),
        policy.roles[0].effective.len(),
        effective.table[0].rows.len(),
        answer.allowed,
        who.rows.len(),
        misses.len()
    );
}

#[test]
#[ignore = "a timing, not a test: run by hand"]
fn big_role_can_i_loop() {
    let policy = access::parse(&big_cluster_role(46_629)).unwrap();
    let subject = access::Subject::from_service_account("team", "app");
    let query = access::Query::parse("get", "secrets", "team", "").unwrap();
    let start = std::time::Instant::now();
    for _ in 0..100 {
        assert!(access::can_i(&policy, &subject, &query).allowed);
    }
    println!("can_i x100: {:?}", start.elapsed());
}

/// Pastes of about 1 MiB shaped to make Troubleshoot read Status JSON again and again: Status
/// objects nested and never closed, one left open on a long value, and each wrapped at 80
/// columns as a terminal would.
fn nested_statuses() -> Vec<(&'static str, String)> {
    let size = 1_000_000;
    let repeat = |unit: &str| unit.repeat(size / unit.len());
    let nested = repeat("{\"kind\":\"Status\",\"code\":403,\"details\":");
    let in_list = repeat("{\"kind\":\"Status\",\"items\":[");
    let open_value = format!(
        "{{\"kind\":\"Status\",\"code\":403,\"message\":\"{}",
        "a".repeat(size)
    );
    let long_list = format!(
        "{}{{\"kind\":\"Status\",\"code\":403,\"details\":[{}",
        "{\"kind\":\"Status\",\"a\":".repeat(8),
        "1,".repeat(size / 2)
    );
    let wrapped = |text: &str| {
        let mut out = String::with_capacity(text.len() + text.len() / 80);
        for (i, c) in text.chars().enumerate() {
            if i > 0 && i % 80 == 0 {
                out.push('\n');
            }
            out.push(c);
        }
        out
    };
    let mut shapes = vec![
        ("nested", nested),
        ("in lists", in_list),
        ("open value", open_value),
        ("long list", long_list),
    ];
    let wrapped: Vec<_> = shapes
        .iter()
        .map(|(name, text)| (*name, wrapped(text)))
        .collect();
    shapes.extend(wrapped);
    shapes
}

#[test]
#[ignore = "a timing, not a test: run by hand"]
fn nested_statuses_timed() {
    for (name, text) in nested_statuses() {
        let start = std::time::Instant::now();
        let d = tokenscope::troubleshoot::read(&text);
        println!(
            "troubleshoot: {name}, {} bytes, {} lines: {:?} ({})",
            text.len(),
            text.lines().count(),
            start.elapsed(),
            d.title()
        );
    }
}

/// Each candidate Status object is scanned for its end once (nested ones once in all) and
/// parsed only when it closes: the Troubleshoot paste of nested, never-closed Status objects
/// that took a second a keystroke, in each of its shapes, costs a few passes over the paste.
#[test]
fn nested_unterminated_statuses_are_read_in_linear_work() {
    for (name, text) in nested_statuses() {
        let (diagnosis, work) = tokenscope::troubleshoot::read_counted(&text);
        assert_eq!(diagnosis.title(), "Not recognised", "{name}");
        // The paste, and for a wrapped one its two joinings, each scanned about once.
        assert!(
            work.scanned <= 4 * text.len() + 4096,
            "{name}: {work:?} for {} bytes",
            text.len()
        );
        assert!(work.parsed <= text.len(), "{name}: {work:?}");
    }
}

/// One big role is walked once for effective rules, however many subjects ask: the Access
/// page's shape of 46 629 rules (here 10 000, for a debug build), asked for by the bound
/// account and by a second one it is not bound to.
#[test]
fn one_big_role_is_walked_once_for_effective_rules() {
    let rules = 10_000;
    let policy = access::parse(&big_cluster_role(rules)).unwrap();
    let subject = access::Subject::from_service_account("team", "app");
    let other = access::Subject::from_service_account("team", "other");
    let mut summaries = access::Summaries::default();
    let warnings = access::warnings_with(&policy, &subject, &mut summaries);
    assert_eq!(warnings, access::effective(&policy, &subject).warnings);
    assert!(!warnings.is_empty(), "the Secrets rule is risky");
    access::warnings_with(&policy, &subject, &mut summaries);
    assert!(access::warnings_with(&policy, &other, &mut summaries).is_empty());
    assert_eq!(summaries.rules_walked, rules);
    let table = access::effective(&policy, &subject).table;
    assert_eq!(table[0].rows.len(), rules);
}

/// Feeds `text` to a splitter in chunks of `size` and returns (pieces, work, peak carried,
/// the error if any).
fn split_counted(
    text: &[u8],
    size: usize,
) -> (
    usize,
    u64,
    usize,
    Option<tokenscope::formats::dump_stream::DumpError>,
) {
    use tokenscope::formats::dump_stream::{DumpError, Splitter};
    let mut splitter = Splitter::new();
    let mut pieces = 0;
    let mut carried = 0;
    let mut sink = |_: tokenscope::formats::dump_stream::Piece<'_>| -> Result<(), DumpError> {
        pieces += 1;
        Ok(())
    };
    let mut error = None;
    for chunk in text.chunks(size) {
        if let Err(e) = splitter.feed(chunk, &mut sink) {
            error = Some(e);
            break;
        }
        carried = carried.max(splitter.carried());
    }
    if error.is_none() {
        error = splitter.finish(&mut sink).err();
    }
    (pieces, splitter.work(), carried, error)
}

/// The dump splitter looks at each byte a bounded number of times (scanned, copied, and for
/// YAML a line's indentation), whatever the shape and the chunk size: at most six looks a byte.
#[test]
fn the_dump_splitter_works_linearly_on_hostile_shapes() {
    use tokenscope::formats::dump_stream::{DumpError, MAX_DEPTH};
    let mib = 1024 * 1024;
    let tiny_json = format!("{{\"items\":[{}{{}}]}}", "{},".repeat(100_000));
    let tiny_yaml = format!("items:\n{}kind: List\n", "- {}\n".repeat(100_000));
    let long_line = format!("items:\n- a: {}", "x".repeat(mib));
    let spaces = format!("items:\n- a\n{}b\n", " ".repeat(mib));
    let brackets = "[".repeat(mib);
    let unterminated = format!("{{\"items\": [{{\"a\": \"{}", "\\\"".repeat(mib / 2));
    let shapes: [(&str, &[u8]); 6] = [
        ("100k tiny JSON items", tiny_json.as_bytes()),
        ("100k tiny YAML items", tiny_yaml.as_bytes()),
        ("a 1 MiB YAML line", long_line.as_bytes()),
        ("1 MiB of indentation", spaces.as_bytes()),
        ("1 MiB of [[[[", brackets.as_bytes()),
        ("an unterminated string of escapes", unterminated.as_bytes()),
    ];
    for (name, text) in shapes {
        for size in [1, 7, 4096, 4 * mib] {
            let (pieces, work, carried, error) = split_counted(text, size);
            let bytes = text.len() as u64;
            assert!(
                work <= 6 * bytes,
                "{name}, chunks of {size}: work {work} for {bytes} bytes"
            );
            assert!(carried <= text.len() + 16, "{name}: carried {carried}");
            match name {
                "100k tiny JSON items" | "100k tiny YAML items" => {
                    assert_eq!(error, None, "{name}");
                    assert_eq!(
                        pieces,
                        if name.contains("JSON") {
                            100_001 + 2
                        } else {
                            100_000 + 2
                        },
                        "{name}: the items, the head and the end"
                    );
                    assert!(carried < 64, "{name}, chunks of {size}: carried {carried}");
                }
                "1 MiB of [[[[" => {
                    assert_eq!(error, Some(DumpError::TooDeep { limit: MAX_DEPTH }));
                    assert!(work <= 4 * MAX_DEPTH as u64, "{name}: stops at the limit");
                }
                "an unterminated string of escapes" => {
                    assert_eq!(error, Some(DumpError::Truncated { line: 1 }), "{name}");
                }
                _ => assert_eq!(error, None, "{name}"),
            }
        }
    }
}

/// Per chunk, the chunked readers' work is the chunk's bytes plus the one object it completes
/// from earlier chunks: never the whole dump so far.
#[test]
fn the_chunked_readers_work_per_chunk_is_bounded_by_the_chunk_and_one_object() {
    use tokenscope::access::PolicyStream;
    let item = "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata: {name: r, namespace: ns}\n  rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n";
    let mut text = String::from("apiVersion: v1\nitems:\n");
    while text.len() < 4 * 1024 * 1024 {
        text.push_str(item);
    }
    text.push_str("kind: List\n");
    let mut stream = PolicyStream::new();
    let mut before = 0;
    for chunk in text.as_bytes().chunks(64 * 1024) {
        stream.feed(chunk).unwrap();
        let work = stream.splitter().work() - before;
        before = stream.splitter().work();
        assert!(work <= 6 * (chunk.len() + item.len()) as u64, "{work}");
        assert!(stream.splitter().carried() <= 64 * 1024 + item.len());
    }
    let policy = stream.finish().unwrap();
    // One role, pasted again and again: repeats are dropped as the API server would hold it.
    assert_eq!(policy.roles.len(), 1);
}

/// One ClusterRole of many rules, read in chunks, is parsed a part at a time: the text a
/// chunk has parsed is its own bytes plus at most one part of rules and the role's other
/// keys, whatever the role's size (before, the chunk that ended the role parsed all of it:
/// 3.8 MiB for 46,629 rules). The policy equals the one read with objects whole.
#[test]
fn one_big_role_read_in_chunks_is_parsed_a_part_per_chunk() {
    use access::{PolicyStream, RULES_PER_PART};
    // kubectl's YAML of the generator's rules is about 90 bytes a rule.
    let part = RULES_PER_PART * 120;
    for rules in [3_000, 12_000] {
        let text = big_cluster_role(rules);
        for chunk in [4 * 1024, 64 * 1024] {
            let mut stream = PolicyStream::new();
            let mut before = 0;
            let mut most = 0;
            for piece in text.as_bytes().chunks(chunk) {
                stream.feed(piece).unwrap();
                let parsed = stream.parsed() - before;
                before = stream.parsed();
                most = most.max(parsed);
                assert!(
                    parsed <= (chunk + part + 1024) as u64,
                    "{rules} rules, chunks of {chunk}: {parsed} bytes parsed in one feed"
                );
            }
            // Each byte of the role is parsed once (its rules in parts, its other keys as the
            // rest); the binding is parsed when the dump ends.
            assert!(stream.parsed() <= text.len() as u64, "{}", stream.parsed());
            let policy = stream.finish().unwrap();
            let mut whole = PolicyStream::with_rule_parts(0);
            whole.feed(text.as_bytes()).unwrap();
            assert_eq!(policy, whole.finish().unwrap(), "{rules} rules");
            assert!(most > 0);
        }
    }
}

/// The Access grid over one big role looks at the rules naming each cell's resource, not at
/// every rule the subject holds for each of its 1,600 cells: the same work for a role of 2,000
/// rules as for one of 8,000 (before the grid's index of named rules, a refused cell listed
/// names by scanning every rule: 46,629 rules 1,600 times).
#[test]
fn the_access_grid_looks_at_the_rules_of_each_cells_resource() {
    let subject = access::Subject::from_service_account("team", "app");
    let mut works = Vec::new();
    for rules in [2_000, 8_000] {
        let mut text = big_cluster_role(rules);
        // Rules naming objects too, which refused cells list.
        text = text.replacen(
            "rules:\n",
            "rules:\n- apiGroups: ['']\n  resources: [configmaps]\n  resourceNames: [a, b]\n  verbs: [get]\n",
            1,
        );
        let policy = access::parse(&text).unwrap();
        let effective = access::effective(&policy, &subject);
        let grid = access::grid(&policy, &subject, "team", &effective);
        let cells = grid.rows.len() * access::GRID_VERBS.len();
        assert_eq!(grid.rows.len(), access::MAX_GRID_ROWS, "{rules} rules");
        assert!(
            grid.work <= 2 * cells,
            "{rules} rules: {} rules looked at for {cells} cells",
            grid.work
        );
        works.push(grid.work);
    }
    assert_eq!(works[0], works[1], "the work does not grow with the role");
}

/// The grid keeps the rows it draws and only counts the others, each distinct resource once:
/// a role naming tens of thousands of resources is not copied into rows never drawn.
#[test]
fn the_access_grid_counts_each_resource_it_leaves_out_once() {
    let subject = access::Subject::from_service_account("team", "app");
    let grid_of = |text: &str| {
        let policy = access::parse(text).unwrap();
        let effective = access::effective(&policy, &subject);
        access::grid(&policy, &subject, "team", &effective)
    };
    // Only `secrets`, a built-in resource: the built-in rows alone.
    let built_in = grid_of(&big_cluster_role(1));
    assert_eq!(built_in.left_out, 0);
    let resources: Vec<String> = (0..300).map(|k| format!("r{k:03}")).collect();
    let rule = format!(
        "- apiGroups: ['']\n  resources: [{}]\n  verbs: [get]\n",
        resources.join(", ")
    );
    // Each resource named twice, by two rules.
    let text = big_cluster_role(1).replacen("rules:\n", &format!("rules:\n{rule}{rule}"), 1);
    let grid = grid_of(&text);
    assert_eq!(grid.rows.len(), access::MAX_GRID_ROWS);
    assert_eq!(
        grid.rows.len() + grid.left_out,
        resources.len() + built_in.rows.len()
    );
}

/// The big role's 46,628 resources of its own, each left out of the grid but counted: the
/// hash of each label is one of its own.
#[test]
fn the_access_grid_counts_a_big_roles_resources_exactly() {
    let subject = access::Subject::from_service_account("team", "app");
    let policy = access::parse(&big_cluster_role(46_629)).unwrap();
    let effective = access::effective(&policy, &subject);
    let grid = access::grid(&policy, &subject, "team", &effective);
    let built_in = access::grid(&policy, &subject, "elsewhere", &access::Access::default());
    assert_eq!(
        grid.rows.len() + grid.left_out,
        46_628 + built_in.rows.len(),
        "{} rows, {} left out",
        grid.rows.len(),
        grid.left_out
    );
    // Labels as the API names resources, and the same again: each counts once.
    let mut seen = tokenscope::support::distinct::Distinct::default();
    let labels: Vec<String> = (0..200_000)
        .map(|k| format!("res{k}.group-{}.example.com/status", k % 97))
        .collect();
    assert!(labels.iter().all(|l| seen.insert(l)));
    assert!(!labels.iter().any(|l| seen.insert(l)));
    assert_eq!(seen.len(), labels.len());
}

#[test]
#[ignore = "a timing, not a test: run by hand"]
fn big_role_stream_timed() {
    use std::time::Instant;
    let text = big_cluster_role(46_629);
    let mut stream = access::PolicyStream::new();
    let start = Instant::now();
    let mut worst = std::time::Duration::ZERO;
    for chunk in text.as_bytes().chunks(128 * 1024) {
        let t = Instant::now();
        stream.feed(chunk).unwrap();
        worst = worst.max(t.elapsed());
    }
    let fed = start.elapsed();
    let start = Instant::now();
    let policy = stream.finish().unwrap();
    let finished = start.elapsed();
    let subject = access::Subject::from_service_account("team", "app");
    let start = Instant::now();
    let effective = access::effective(&policy, &subject);
    let evaluated = start.elapsed();
    println!("stream: feed {fed:?} (worst chunk {worst:?}), finish {finished:?}, effective {evaluated:?} {}", effective.table[0].rows.len());
}

/// Native timings of an 8 MiB kubectl-shaped dump read as a file, then what the Access page
/// works out (`/tmp/rbac8.yaml`, written by tests/e2e/dumps.mjs; run by hand).
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn dump_file_timed() {
    use std::time::Instant;
    let Ok(text) = std::fs::read("/tmp/rbac8.yaml") else {
        return;
    };
    let mut stream = access::PolicyStream::new();
    let start = Instant::now();
    let mut worst = std::time::Duration::ZERO;
    for chunk in text.chunks(128 * 1024) {
        let t = Instant::now();
        stream.feed(chunk).unwrap();
        worst = worst.max(t.elapsed());
    }
    let fed = start.elapsed();
    let start = Instant::now();
    let policy = stream.finish().unwrap();
    let finished = start.elapsed();
    let subject = access::parse_subject("system:serviceaccount:team-042:app").unwrap();
    let start = Instant::now();
    let effective = access::effective(&policy, &subject);
    let evaluated = start.elapsed();
    let start = Instant::now();
    let grid = access::grid(&policy, &subject, "team-042", &effective);
    let gridded = start.elapsed();
    let query = access::Query::parse("get", "pods", "team-042", "").unwrap();
    let start = Instant::now();
    let who = access::who_can(&policy, &query);
    let who_time = start.elapsed();
    println!(
        "dump: feed {fed:?} (worst chunk {worst:?}), finish {finished:?}, effective {evaluated:?}, grid {gridded:?} ({} rows), who_can {who_time:?} ({} rows)",
        grid.rows.len(),
        who.rows.len()
    );
    let Ok(secrets) = std::fs::read("/tmp/secrets8.json") else {
        return;
    };
    let mut stream = tokenscope::audit::SecretsStream::new();
    let start = Instant::now();
    for chunk in secrets.chunks(128 * 1024) {
        stream.feed(chunk).unwrap();
    }
    let fed = start.elapsed();
    let start = Instant::now();
    let audit = stream
        .finish(1_780_000_000, &tokenscope::audit::Options::days(365))
        .unwrap();
    let finished = start.elapsed();
    let start = Instant::now();
    let grants = tokenscope::audit::worst_grants(&audit.rows, &policy);
    let granted = start.elapsed();
    println!(
        "secrets: feed {fed:?}, finish {finished:?} ({} rows), worst_grants {granted:?}",
        audit.rows.len(),
    );
    drop(grants);
}

/// A cluster of `accounts` service accounts, each bound by a RoleBinding of its own, with one
/// RoleBinding to every account of its namespace's group, and a ClusterRoleBinding to all
/// authenticated users.
fn many_accounts(accounts: usize) -> access::Policy {
    let mut text = String::from(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n- apiGroups: [\"\"]\n  resources: [pods, secrets]\n  verbs: [get, list]\n\
         ---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: everyone\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}\n\
         subjects:\n- {kind: Group, name: \"system:authenticated\", apiGroup: rbac.authorization.k8s.io}\n",
    );
    for i in 0..accounts {
        let ns = format!("team-{}", i % 50);
        text.push_str(&format!(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: app-{i}\n  namespace: {ns}\n\
             roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}}\nsubjects:\n- {{kind: ServiceAccount, name: app-{i}}}\n"
        ));
        if i < 50 {
            text.push_str(&format!(
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: all\n  namespace: {ns}\n\
                 roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}}\nsubjects:\n- {{kind: Group, name: \"system:serviceaccounts:{ns}\"}}\n"
            ));
        }
    }
    access::parse(&text).unwrap()
}

/// Many accounts' access (Audit's worst grants, the Access grid) is worked out over each
/// account's own bindings, found through one index: the bindings an account is evaluated over
/// are those that name it, not all of a cluster's, and the answers are the full policy's.
#[test]
fn each_account_is_evaluated_over_its_own_bindings() {
    let policy = many_accounts(2_000);
    assert_eq!(policy.bindings.len(), 2_051);
    let by_account = access::ByAccount::new(&policy);
    let query = access::Query::parse("get", "secrets", "team-3", "").unwrap();
    for i in (0..2_000).step_by(97) {
        let ns = format!("team-{}", i % 50);
        let name = format!("app-{i}");
        let subject = access::Subject::from_service_account(&ns, &name);
        let own = by_account.for_account(&subject, &ns, &name);
        // Its RoleBinding, its namespace's group, and everyone's.
        assert_eq!(own.bindings.len(), 3, "{ns}/{name}");
        assert_eq!(own.bindings, policy.for_subject(&subject).bindings);
        assert_eq!(
            access::effective(&own, &subject),
            access::effective(&policy, &subject)
        );
        assert_eq!(
            access::can_i(&own, &subject, &query),
            access::can_i(&policy, &subject, &query)
        );
    }
}

/// A dump of more token Secrets than the page keeps: the first `MAX_ROWS` are rows, the rest
/// are counted, whether each names its kind or its list names it after its items.
#[test]
fn token_secrets_past_the_row_cap_are_counted_not_kept() {
    use tokenscope::audit::{Options, SecretsStream, MAX_ROWS};
    let secret = |i: usize, kind: bool| {
        format!(
            r#"{{{}"type":"kubernetes.io/service-account-token","metadata":{{"name":"t-{i}","namespace":"n"}}}}"#,
            if kind { r#""kind":"Secret","# } else { "" }
        )
    };
    let lines: String = (0..MAX_ROWS + 5).map(|i| secret(i, true) + "\n").collect();
    let items: Vec<String> = (0..MAX_ROWS + 7).map(|i| secret(i, false)).collect();
    let list = format!(r#"{{"items":[{}],"kind":"SecretList"}}"#, items.join(","));
    for (text, left) in [(lines, 5), (list, 7)] {
        let mut stream = SecretsStream::new();
        for chunk in text.as_bytes().chunks(1 << 20) {
            stream.feed(chunk).unwrap();
        }
        let audit = stream.finish(1_780_000_000, &Options::days(365)).unwrap();
        assert_eq!((audit.rows.len(), audit.not_kept), (MAX_ROWS, left));
    }
    // A list whose kind comes last, with items without a kind (held until it comes) before
    // items that say `kind: Secret` (kept at once): the cap holds over both, in paste order.
    let held: Vec<String> = (0..MAX_ROWS - 3).map(|i| secret(i, false)).collect();
    let kinded: Vec<String> = (MAX_ROWS..MAX_ROWS + 10).map(|i| secret(i, true)).collect();
    let list = format!(
        r#"{{"items":[{},{}],"kind":"SecretList"}}"#,
        held.join(","),
        kinded.join(",")
    );
    let mut stream = SecretsStream::new();
    for chunk in list.as_bytes().chunks(1 << 20) {
        stream.feed(chunk).unwrap();
    }
    let audit = stream.finish(1_780_000_000, &Options::days(365)).unwrap();
    assert_eq!((audit.rows.len(), audit.not_kept), (MAX_ROWS, 7));
    let kept = |name: String| audit.rows.iter().any(|r| r.name == name);
    assert!(kept(format!("t-{}", MAX_ROWS + 2)) && !kept(format!("t-{}", MAX_ROWS + 3)));
}

/// Escalation over a cluster of many roles and namespaces: a granted rule that can neither bind
/// nor reach an account outside its namespace is not checked against every role or every
/// namespace, so the work grows with the identities, not with identities × roles.
#[test]
fn escalation_walks_each_rule_over_what_it_can_reach() {
    use tokenscope::access::escalation::{build_counted, read_objects, Target};
    let (namespaces, roles) = (200, 2_000);
    let mut text = String::new();
    for r in 0..roles {
        text.push_str(&format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: unbound-{r}}}\n\
             rules: [{{apiGroups: [apps], resources: [deployments], verbs: [get]}}]\n---\n"
        ));
    }
    for n in 0..namespaces {
        text.push_str(&format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: reader, namespace: ns-{n}}}\n\
             rules: [{{apiGroups: [\"\"], resources: [pods, configmaps], verbs: [get, list]}}]\n---\n\
             apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: reader, namespace: ns-{n}}}\n\
             roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}}\n\
             subjects: [{{kind: ServiceAccount, name: app, namespace: ns-{n}}}]\n---\n"
        ));
    }
    let policy = access::parse(&text).unwrap();
    let objects = read_objects(&text).unwrap();
    let starts: Vec<access::Subject> = (0..namespaces)
        .map(|n| access::Subject::from_service_account(&format!("ns-{n}"), "app"))
        .collect();
    let (graph, walked) = build_counted(&policy, &objects, &starts, &Target::ClusterAdmin, &[]);
    assert_eq!(graph.expanded, namespaces);
    // Each reader rule looks at its own namespace and its one account: never at the 2,000
    // roles (400,000 checks before) or the other namespaces.
    assert!(
        walked <= 4 * namespaces,
        "{walked} roles and accounts walked"
    );
}

/// One huge ClusterRole beside Kubernetes' aggregated default roles: aggregation sorts the
/// rules of the roles it reads or writes, to find equal ones, and none of the huge role's,
/// which only that role grants. Sorting every rule was most of settling such a dump. Once a
/// selector picks the huge role, its rules are sorted too, and gathered.
#[test]
fn aggregation_sorts_only_the_rules_of_the_roles_it_touches() {
    let defaults = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/access/default-clusterroles.yaml"
    ))
    .unwrap();
    let alone = access::parse(&defaults).unwrap().work;
    assert!(
        alone.rules_sorted > 0 && alone.rules_sorted < 1_000,
        "{alone:?}"
    );
    let huge = big_cluster_role(20_000);
    let p = access::parse(&format!("{huge}\n---\n{defaults}")).unwrap();
    assert_eq!(p.work.rules_sorted, alone.rules_sorted, "{:?}", p.work);
    assert_eq!(p.work.rules_stored, alone.rules_stored + 20_000);

    let picked = huge.replacen(
        "  name: huge\n",
        "  name: huge\n  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: \"true\"\n",
        1,
    );
    let p = access::parse(&format!("{picked}\n---\n{defaults}")).unwrap();
    assert_eq!(
        p.work.rules_sorted,
        alone.rules_sorted + 20_000,
        "{:?}",
        p.work
    );
    let view = p.roles.iter().find(|r| r.name == "view").unwrap();
    assert!(view
        .effective
        .iter()
        .any(|(rule, origin)| { rule.resources == ["things-000000"] && origin == Some("huge") }));
}

/// A subject holding one ClusterRole of 20,000 rules in a cluster of 300 namespaces of 20
/// service accounts each: a rule that can neither create, impersonate nor read Secrets walks no
/// namespace, and the role's one rule reading Secrets walks each namespace once and no
/// account. Walking each rule over every account was 20,000 × 6,300 checks.
#[test]
fn a_big_roles_escalation_walks_only_the_rules_that_reach_something() {
    use tokenscope::access::escalation::{build_counted, read_objects, Target};
    let (namespaces, accounts) = (300, 20);
    let mut text = big_cluster_role(20_000);
    for n in 0..namespaces {
        for a in 0..accounts {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: sa-{a}, namespace: ns-{n}}}\n"
            ));
        }
    }
    let policy = access::parse(&text).unwrap();
    let objects = read_objects(&text).unwrap();
    assert_eq!(objects.accounts.len(), namespaces * accounts);
    let starts = [access::Subject::from_service_account("team", "app")];
    let (graph, walked) = build_counted(&policy, &objects, &starts, &Target::ClusterAdmin, &[]);
    assert_eq!(graph.expanded, 1);
    // Every namespace named anywhere, `team` included, once.
    assert_eq!(walked, namespaces + 1);
}

/// The access graph of a subject bound 10,000 times, to roles of many rules: it looks at each
/// binding once and at a bounded number of each drawn role's rules, and draws a bounded number
/// of nodes, whatever the dump holds.
#[test]
fn the_access_graph_of_ten_thousand_bindings_is_bounded() {
    use tokenscope::access::graph::{can_i_graph, MAX_BINDINGS};
    let (bindings, rules) = (10_000, 2_000);
    let mut text = String::from(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: many}\nrules:\n",
    );
    for r in 0..rules {
        text.push_str(&format!(
            "- {{apiGroups: [\"\"], resources: [r{r}], verbs: [get]}}\n"
        ));
    }
    for b in 0..bindings {
        text.push_str(&format!(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: b, namespace: ns-{b}}}\n\
             roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: many}}\n\
             subjects: [{{kind: User, name: alice}}]\n"
        ));
    }
    let policy = access::parse(&text).unwrap();
    let alice = access::parse_subject("alice").unwrap();
    for (verb, resource) in [("get", "r1999"), ("delete", "r5")] {
        let query = access::Query::parse(verb, resource, "ns-9999", "").unwrap();
        let answer = access::can_i(&policy, &alice, &query);
        let graph = can_i_graph(&policy, &alice, &query, &answer);
        // Each binding once, and at most 64 rules of each role drawn, a role drawn once.
        assert!(graph.work <= bindings + 64 * 2, "{} looked at", graph.work);
        assert!(
            graph.nodes.len() <= 1 + 3 * (MAX_BINDINGS + 1),
            "{}",
            graph.nodes.len()
        );
        assert_eq!(
            graph.nodes.iter().filter(|n| n.column == 1).count() + graph.more,
            bindings
        );
    }
}
