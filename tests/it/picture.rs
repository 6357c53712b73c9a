//! Pictures: each draws exactly the rows of the table beside it. The token timeline is checked
//! on real tokens (a kubeadm pod token with `warnafter`, a k3d one, legacy tokens without
//! `exp`, see `tests/fixtures/real/manifest.json`): one mark per instant of the Times table,
//! the extended-expiry window between `warnafter` and `exp`, now on the axis, a downloaded SVG that is
//! well-formed, its texts escaped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use tokenscope::inspect::explain::explain;
use tokenscope::picture::timeline::{timeline, Timeline, WIDTH};
use tokenscope::picture::{Anchor, Picture};
use tokenscope::token::jwt;

fn drawn(path: &str, now: i64) -> (Timeline, Vec<tokenscope::inspect::explain::TimeRow>) {
    let jwt = jwt::decode(&common::token(path)).unwrap();
    let report = explain(&jwt, now);
    (timeline(&report.times, now), report.times)
}

/// Tags open and close in order, and `<`/`&` appear only as markup or escapes.
fn well_formed(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "a stray > in {text:?}");
        for (at, _) in text.match_indices('&') {
            let entity = &text[at..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "an unescaped & in {text:?}"
            );
        }
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "</{name}> closes the wrong element");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

#[test]
fn a_pod_token_shows_each_instant_its_extended_expiry_and_now() {
    let path = "real/tokens/bound/kubeadm-v1.28-pod-warnafter-bradshaw.jwt";
    let jwt = jwt::decode(&common::token(path)).unwrap();
    let iat = jwt.payload["iat"].as_i64().unwrap();
    let now = iat + 1800;
    let (picture, times) = drawn(path, now);
    // Every row of the table is a mark, and every mark is rows of the table.
    let mut labels: Vec<&str> = picture
        .marks
        .iter()
        .flat_map(|m| m.labels.clone())
        .collect();
    let mut rows: Vec<&str> = times.iter().map(|t| t.label).collect();
    labels.sort_unstable();
    rows.sort_unstable();
    assert_eq!(labels, rows);
    for mark in &picture.marks {
        for label in &mark.labels {
            let row = times.iter().find(|t| t.label == *label).unwrap();
            assert_eq!(row.at, mark.at);
            assert_eq!(row.relative, mark.relative);
        }
    }
    assert!(picture
        .marks
        .windows(2)
        .all(|w| w[0].at < w[1].at && w[0].x <= w[1].x));
    let (warn, exp) = picture.extended.expect("warnafter comes before exp");
    assert!(warn < exp && exp <= WIDTH);
    assert!(picture.now_inside);
    assert!(!picture.never_expires);
    let svg = picture.picture().to_svg();
    well_formed(&svg);
    assert!(svg.contains("extended expiry"));
    assert!(svg.contains(">now</text>"));
    for label in rows {
        assert!(svg.contains(label), "{label} is drawn");
    }
    assert!(picture.words().starts_with("Token timeline: Issued"));
}

#[test]
fn legacy_tokens_never_expire() {
    for path in [
        "real/tokens/legacy/argocd-manager-minikube-kid-empty.jwt",
        "real/tokens/legacy/istio-gke-legacy-kid-empty.jwt",
        "minted/token-legacy-rs256.jwt",
    ] {
        let jwt = jwt::decode(&common::token(path)).unwrap();
        let report = explain(&jwt, 1_800_000_000);
        // A legacy token may carry no time at all: it still never expires.
        let picture = timeline(&report.times, 1_800_000_000);
        assert_eq!(picture.marks.len(), report.times.len(), "{path}");
        assert!(picture.never_expires, "{path}");
        assert!(picture.extended.is_none(), "{path}");
        assert!(
            picture.picture().to_svg().contains("never expires"),
            "{path}"
        );
        assert!(picture.words().ends_with("never expires"), "{path}");
    }
}

#[test]
fn an_expired_token_puts_now_after_exp_and_extreme_times_stay_on_the_axis() {
    let (picture, _) = drawn("minted/token-expired-rs256.jwt", 4_000_000_000);
    assert!(!picture.now_inside);
    assert!(picture.marks.iter().all(|m| m.x <= picture.now_x));
    // A hostile token: times at the ends of i64 still land inside the picture.
    let token = common::mint(
        r#"{"alg":"RS256"}"#,
        &format!(
            r#"{{"iat":{},"exp":{},"kubernetes.io":{{"warnafter":0}}}}"#,
            i64::MIN,
            i64::MAX
        ),
    );
    let jwt = jwt::decode(&token).unwrap();
    let report = explain(&jwt, 0);
    let picture = timeline(&report.times, 0);
    assert!(picture.marks.iter().all(|m| (0..=WIDTH).contains(&m.x)));
    assert!((0..=WIDTH).contains(&picture.now_x));
    well_formed(&picture.picture().to_svg());
}

#[test]
fn text_in_a_picture_is_escaped() {
    let mut svg = Picture::new(10, 10, "a <b> & \"c\"".to_string());
    svg.text(
        "x",
        (0, 0),
        Anchor::Start,
        "</svg><script>alert(1)</script>".to_string(),
    );
    let out = svg.to_svg();
    well_formed(&out);
    assert!(!out.contains("<script>"));
}

/// The escalation path's picture draws exactly the path's list: one box per identity the path
/// passes through, one arrow and label per step, each step the list's item.
#[test]
fn the_escalation_path_picture_draws_the_rows_of_its_list() {
    use tokenscope::access::escalation::{analyse, edge_words, node_words, read_objects, Target};
    use tokenscope::access::{parse, parse_subject};
    use tokenscope::picture::path::path_picture;
    use tokenscope::picture::Shape;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/escalation/");
    let text = ["admin.yaml", "pods-to-admin.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(format!("{dir}{f}")).unwrap())
        .collect::<Vec<_>>()
        .join("\n---\n");
    let (policy, objects) = (parse(&text).unwrap(), read_objects(&text).unwrap());
    let subject = parse_subject("alice").unwrap();
    let a = analyse(&policy, &objects, &subject, &Target::ClusterAdmin);
    let path = a.path.clone().unwrap();
    assert!(!path.is_empty());
    let drawn = path_picture(&a.graph, &policy, &path, "cluster-admin");
    let g = &a.graph;
    // The list beside it: the page's words for each step.
    let rows: Vec<String> = path
        .iter()
        .map(|&e| edge_words(g, &policy, &g.edges[e]))
        .collect();
    assert_eq!(drawn.rows, rows);
    // The identities: the start, then where each step leads, each as the list names it.
    let mut nodes = vec![node_words(g, &policy, &g.nodes[g.edges[path[0]].from])];
    nodes.extend(
        path.iter()
            .map(|&e| node_words(g, &policy, &g.nodes[g.edges[e].to])),
    );
    assert_eq!(drawn.nodes, nodes);
    assert_eq!(drawn.steps.len(), rows.len());
    for (step, row) in drawn.steps.iter().zip(&rows) {
        // The arrow's label is the item without where it leads.
        let kind = step.split(" (").next().unwrap();
        assert!(row.starts_with(kind), "{step} / {row}");
    }
    // Boxes, arrows and texts: exactly one box per identity, three lines per arrow, and the
    // texts are the identities and the steps, in order.
    let shapes = &drawn.picture.shapes;
    let boxes = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { .. }))
        .count();
    let lines = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Line { .. }))
        .count();
    assert_eq!((boxes, lines), (nodes.len(), 3 * rows.len()));
    let texts: Vec<&str> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let mut expected: Vec<&str> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        expected.push(n);
        if let Some(s) = drawn.steps.get(i) {
            expected.push(s);
        }
    }
    assert_eq!(texts, expected);
    assert!(
        drawn.picture.title.contains("cluster-admin in 2 steps"),
        "{}",
        drawn.picture.title
    );
    assert!(nodes[0].contains("alice"));
    assert!(nodes.last().unwrap().contains("deployer"));
    well_formed(&drawn.picture.to_svg());
}
