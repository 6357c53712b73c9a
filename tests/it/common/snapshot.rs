//! Whole-page snapshots: a rendering compared, entire, with its file in `tests/it/snapshots/`,
//! so a change anywhere on a page shows in the diff, not only where a test looked.
//! `UPDATE_EXPECT=1 cargo test --test it` rewrites the files from what renders now.

use expect_test::expect_file;

/// The instant every snapshot is rendered at (2026-11-23T06:55:06Z), whatever today is.
pub const NOW: i64 = 1_795_416_906;

/// Fixes the clock the pages read to [`NOW`] for this thread (a `#[tokio::test]` renders on
/// the thread that runs it).
pub fn fix_clock() {
    tokenscope::ui::hooks::fix_native_clock(Some(NOW));
}

/// Compares `html`, laid out one tag per line, with `tests/it/snapshots/{name}.html`.
pub fn assert_snapshot(name: &str, html: &str) {
    let path = format!(
        "{}/tests/it/snapshots/{name}.html",
        env!("CARGO_MANIFEST_DIR")
    );
    expect_file![path].assert_eq(&pretty(html));
}

/// `html` with one tag or text a line, indented by depth, and without comments (Yew marks
/// components with comments for hydration). Text is kept as it is, line breaks and all, with
/// each of its lines indented, so the layout never hides a change of text; only the spaces
/// that end a line go, which snapshot files would otherwise carry.
pub fn pretty(html: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let end = tag_end(rest);
            let tag = &rest[..end];
            rest = &rest[end..];
            if tag.starts_with("</") {
                depth = depth.saturating_sub(1);
                line(&mut out, depth, tag);
            } else {
                line(&mut out, depth, tag);
                if !tag.ends_with("/>") && !is_void(tag) {
                    depth += 1;
                }
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        rest = &rest[end..];
        if !text.trim().is_empty() || text.contains('\n') {
            for text_line in text.split('\n') {
                line(&mut out, depth, text_line);
            }
        }
    }
    out
}

/// The length of the tag `s` starts with: up to its `>`, past any quoted attribute value.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn is_void(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    matches!(
        name.to_ascii_lowercase().as_str(),
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn line(out: &mut String, depth: usize, text: &str) {
    let text = text.trim_end();
    if !text.is_empty() {
        out.push_str(&"  ".repeat(depth));
        out.push_str(text);
    }
    out.push('\n');
}

#[test]
fn pretty_puts_one_tag_a_line_and_keeps_text() {
    let html = r#"<!--<[C]>--><div class="a>b"><p>Hi <b>x</b></p><input id="i"><pre>a
b</pre></div><!--</[C]>-->"#;
    assert_eq!(
        pretty(html),
        "<div class=\"a>b\">\n  <p>\n    Hi\n    <b>\n      x\n    </b>\n  </p>\n  <input id=\"i\">\n  <pre>\n    a\n    b\n  </pre>\n</div>\n"
    );
}
