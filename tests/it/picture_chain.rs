//! The CA page's chain picture draws exactly its chain list: one row per certificate of the
//! paste, one line per link to an issuer in the paste, coloured by the signature check (here
//! RustCrypto standing in for WebCrypto). Checked on a minted intermediate and root, real CAs
//! (k3s, kubeadm, minikube: `tests/fixtures/real/manifest.json`), a certificate whose issuer is
//! not in the paste, a tampered one, and an expired CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::native_verify::native_verify;

use tokenscope::crypto::webcrypto::NotChecked;
use tokenscope::crypto::x509::{chain as links_of, parse_bundle, Certificate, ChainLink};
use tokenscope::picture::chain::{chain, Check, Edge, MAX_ROWS, WIDTH};
use tokenscope::picture::Shape;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}{path}")).unwrap()
}

fn certs(paths: &[&str]) -> Vec<Certificate> {
    let text: String = paths.iter().map(|p| read(p)).collect();
    parse_bundle(&text).unwrap().certs
}

/// Each link with what the native check says, as the page holds it once WebCrypto answers.
fn checked(certs: &[Certificate]) -> Vec<(ChainLink, Option<Result<bool, NotChecked>>)> {
    links_of(certs)
        .into_iter()
        .map(|link| {
            let result = link
                .verify
                .as_ref()
                .ok()
                .map(|v| Ok(native_verify(v).unwrap()));
            (link, result)
        })
        .collect()
}

fn drawn(certs: &[Certificate], now: i64) -> tokenscope::picture::chain::Chain {
    let links = checked(certs);
    let refs: Vec<_> = links.iter().map(|(l, r)| (l, r.as_ref())).collect();
    chain(certs, &refs, now)
}

/// The picture's lines that end at a dot, as (from y, to y): the links drawn to an issuer.
fn lines_to_issuers(picture: &tokenscope::picture::Picture) -> usize {
    picture
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { size: (6, 6), .. }))
        .count()
}

#[test]
fn an_intermediate_and_its_root_are_two_rows_and_two_verified_links() {
    let pair = certs(&["minted/chain.pem"]);
    let now = 1_795_416_906;
    let picture = drawn(&pair, now);
    assert_eq!(picture.rows.len(), 2);
    assert_eq!(
        picture.edges,
        [
            Edge {
                child: 0,
                issuer: Some(1),
                check: Check::Verified
            },
            Edge {
                child: 1,
                issuer: Some(1),
                check: Check::Verified
            },
        ]
    );
    // The links of the list beside it, in its order.
    let list: Vec<_> = links_of(&pair)
        .iter()
        .map(|l| (l.child, l.issuer))
        .collect();
    let edges: Vec<_> = picture.edges.iter().map(|e| (e.child, e.issuer)).collect();
    assert_eq!(edges, list);
    let svg = picture.picture();
    // One line to an issuer: the self-signed root's link is said in words, not drawn.
    assert_eq!(lines_to_issuers(&svg), 1);
    assert!(
        svg.title.contains(
            "1. CN=demo-cluster-ca-intermediate, signed by 2 (signature verified), valid now"
        ),
        "{}",
        svg.title
    );
    assert!(
        svg.title
            .contains("2. CN=demo-cluster-ca, self-signed (signature verified)"),
        "{}",
        svg.title
    );
    for row in &picture.rows {
        assert!(row.valid.0 <= row.valid.1 && row.valid.1 <= WIDTH);
    }
}

#[test]
fn a_tampered_certificate_draws_a_failing_link() {
    let mut pair = certs(&["minted/chain.pem"]);
    let last = pair[0].tbs_der.len() - 1;
    pair[0].tbs_der[last] ^= 1;
    let picture = drawn(&pair, 1_795_416_906);
    assert_eq!(picture.edges[0].check, Check::Fails);
    let svg = picture.picture();
    assert!(svg.shapes.iter().any(|s| matches!(
        s,
        Shape::Line {
            class: "ch-fail",
            ..
        }
    )));
    assert!(svg.title.contains("signature does NOT verify"));
}

#[test]
fn a_server_certificate_without_its_ca_says_the_issuer_is_missing() {
    let alone = certs(&["minted/server.crt"]);
    let picture = drawn(&alone, 0);
    assert_eq!(
        picture.edges,
        [Edge {
            child: 0,
            issuer: None,
            check: Check::Unknown
        }]
    );
    assert_eq!(lines_to_issuers(&picture.picture()), 0);
    assert!(picture.words().contains("its issuer not in this paste"));
}

#[test]
fn real_cas_of_other_clusters_are_rows_of_their_own() {
    // A bundle of CAs that did not sign each other: each is self-signed, no line between them.
    let real = certs(&[
        "real/certs/k3s-server-ca-ec-p256-serial0.crt",
        "real/certs/kubeadm-ca-rsa-bradshaw.crt",
        "real/certs/minikubeCA-argocd-2018.crt",
        "real/certs/k8s-client-js-test-cert-year4763.pem",
    ]);
    let now = 1_795_416_906;
    let picture = drawn(&real, now);
    assert_eq!(picture.rows.len(), 4);
    assert!(picture
        .edges
        .iter()
        .enumerate()
        .all(|(i, e)| e.issuer == Some(i) && e.check == Check::Verified));
    assert_eq!(lines_to_issuers(&picture.picture()), 0);
    // The year-4763 CA stretches the axis; every bar stays inside the picture, now included.
    assert!(picture.span.1 > 86_000_000_000);
    assert!((0..=WIDTH).contains(&picture.now_x));
    // minikube's 2018 CA (ten years) is valid now; the picture says which rows are not.
    let current: Vec<bool> = picture.rows.iter().map(|r| r.current).collect();
    let expected: Vec<bool> = real
        .iter()
        .map(|c| c.not_before <= now && now < c.not_after)
        .collect();
    assert_eq!(current, expected);
}

#[test]
fn an_expired_ca_is_marked_not_valid_now() {
    let expired = certs(&["minted/expired-ca.crt"]);
    let now = expired[0].not_after + 86_400;
    let picture = drawn(&expired, now);
    assert!(!picture.rows[0].current);
    let svg = picture.picture();
    assert!(svg.shapes.iter().any(|s| matches!(
        s,
        Shape::Rect {
            class: "ch-expired",
            ..
        }
    )));
    assert!(svg.title.contains("NOT valid now"));
}

#[test]
fn a_long_bundle_draws_at_most_its_cap_and_says_how_many_more() {
    let one = read("minted/ca.crt");
    let many = parse_bundle(&one.repeat(MAX_ROWS + 5)).unwrap().certs;
    let picture = drawn(&many, 0);
    assert_eq!(picture.rows.len(), MAX_ROWS);
    assert_eq!(picture.left_out, 5);
    assert!(picture.edges.iter().all(|e| e.child < MAX_ROWS));
    assert!(picture.words().ends_with("5 more not drawn"));
}

#[test]
fn a_subject_with_markup_stays_text_in_the_downloaded_file() {
    let mut pair = certs(&["minted/chain.pem"]);
    pair[0].subject = "CN=<script>&\"x\"".to_string();
    let svg = drawn(&pair, 0).picture().to_svg();
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("CN=&lt;script&gt;&amp;&quot;x&quot;"));
}
