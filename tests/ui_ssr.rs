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
