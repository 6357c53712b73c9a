//! Components rendered natively to HTML strings (Yew's `ssr`), without a browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::explain::explain;
use tokenscope::jwt;
use tokenscope::ui::components::{token_summary, TokenReport, TokenReportProps};
use yew::prelude::*;
use yew::LocalServerRenderer;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

/// The summary and the details, as the Inspect page shows them.
#[component]
fn SummaryAndDetails(props: &TokenReportProps) -> Html {
    html! {
        <>
            { token_summary(&props.report) }
            <TokenReport jwt={props.jwt.clone()} report={props.report.clone()} redact={props.redact} />
        </>
    }
}

async fn render(token: &str, now: i64) -> String {
    let jwt = jwt::decode(token.trim()).unwrap();
    let report = explain(&jwt, now);
    LocalServerRenderer::<SummaryAndDetails>::with_props(TokenReportProps {
        jwt,
        report,
        redact: false,
    })
    .render()
    .await
}

#[tokio::test]
async fn renders_every_section_of_a_legacy_token() {
    let token = std::fs::read_to_string(format!("{VECTORS}minted/token-legacy-rs256.jwt")).unwrap();
    let html = render(&token, 1_795_416_906).await;
    for heading in [
        "Summary", "Segments", "Findings", "Identity", "Times", "Header", "Claims", "Raw JSON",
    ] {
        assert!(
            html.contains(&format!(">{heading}</h2>")),
            "missing section {heading}"
        );
    }
    assert!(html.contains("Legacy service-account token"));
    assert!(html.contains("system:serviceaccount:demo:podgetter"));
    assert!(html.contains(r#"aria-label="Copy payload JSON""#));
}

#[tokio::test]
async fn claim_values_are_escaped() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256"}"#),
        b64(r#"{"sub":"<img src=x onerror=alert(1)>"}"#),
        b64("sig")
    );
    let html = render(&token, 0).await;
    assert!(
        !html.contains("<img"),
        "raw HTML from a claim reached the page"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

/// A bound token whose payload also holds a uid under a claim the app does not know.
fn token_with_secrets() -> (String, [&'static str; 3]) {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let uids = [
        "0b7e7c52-5d1e-4d4e-9a51-4c1f0f1a2b3c",
        "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        "c0ffee00-1234-4abc-8def-0123456789ab",
    ];
    let payload = format!(
        r#"{{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:ns:sa","jti":"{}","kubernetes.io":{{"namespace":"ns","serviceaccount":{{"name":"sa","uid":"{}"}}}},"example.com/owner":{{"kind":"Deployment","uid":"{}"}}}}"#,
        uids[0], uids[1], uids[2]
    );
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","kid":"k"}"#),
        b64(&payload),
        b64("a signature that is long enough to be a secret")
    );
    (token, uids)
}

#[tokio::test]
async fn with_redact_on_the_report_shows_no_segment_or_uid_of_the_token() {
    let (token, uids) = token_with_secrets();
    let jwt = jwt::decode(&token).unwrap();
    // As the Inspect page does: the report explains the masked copy of the token.
    let report = explain(&tokenscope::redact::jwt(&jwt), 0);
    let html = LocalServerRenderer::<SummaryAndDetails>::with_props(TokenReportProps {
        jwt: jwt.clone(),
        report,
        redact: true,
    })
    .render()
    .await;
    for (what, secret) in [
        ("payload", jwt.payload_b64.as_str()),
        ("signature", jwt.signature_b64.as_str()),
        ("jti", uids[0]),
        ("service account uid", uids[1]),
        ("uid under an unknown claim", uids[2]),
    ] {
        assert!(!html.contains(secret), "the {what} is on screen");
    }
    assert!(html.contains(&jwt.header_b64), "the header is no secret");
    assert!(html.contains("system:serviceaccount:ns:sa"));
}

#[test]
fn pastes_with_line_breaks_keep_their_lines_and_one_line_tokens_wrap() {
    use tokenscope::ui::components::paste_class;
    assert_eq!(paste_class(""), None);
    assert_eq!(paste_class("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), None);
    // A token copied with blank lines around it is still one line.
    assert_eq!(paste_class("\n  eyJhbGciOiJSUzI1NiJ9.e30.c2ln\r\n"), None);
    assert_eq!(paste_class("apiVersion: v1\nkind: Config\n"), Some("lines"));
    assert_eq!(
        paste_class("-----BEGIN PUBLIC KEY-----\r\nMFkw\r\n-----END PUBLIC KEY-----"),
        Some("lines")
    );
}
