//! Architecture invariants, checked on every `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files
}

fn is_ui(path: &Path) -> bool {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    rel.starts_with("ui") || rel == Path::new("ui.rs") || rel == Path::new("main.rs")
}

/// The core knows nothing of the browser: only `src/ui*` may use web crates.
#[test]
fn web_crates_only_in_ui() {
    for path in src().into_iter().filter(|p| !is_ui(p)) {
        let text = fs::read_to_string(&path).unwrap();
        for web in ["yew::", "web_sys", "gloo", "js_sys", "wasm_bindgen"] {
            assert!(
                !text.contains(web),
                "{} uses {web}; keep the core free of web crates",
                path.display()
            );
        }
    }
}

/// Untrusted text stays text, and nothing a user pastes is stored.
#[test]
fn no_raw_html_and_no_storage() {
    for path in src() {
        let text = fs::read_to_string(&path).unwrap();
        for banned in [
            "inner_html",
            "set_inner_html",
            "from_html_unchecked",
            "local_storage",
            "session_storage",
            "LocalStorage",
            "SessionStorage",
        ] {
            assert!(!text.contains(banned), "{} uses {banned}", path.display());
        }
    }
}

/// Nothing is loaded from the network: no remote URLs in what the page loads.
#[test]
fn nothing_remote_in_the_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("index.html")];
    for entry in fs::read_dir(root.join("static")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for path in files {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for remote in ["http://", "https://", "//fonts.", "@import url("] {
            // The SVG namespace is an identifier, not a request.
            let text = text.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !text.contains(remote),
                "{} mentions {remote}",
                path.display()
            );
        }
    }
}

/// The only request the app makes itself is for its own `examples.json`, by a URL relative to
/// the page: never another origin, never the site's root (the app may live at a sub-path).
#[test]
fn fetches_only_its_own_examples() {
    for path in src() {
        let text = fs::read_to_string(&path).unwrap();
        let fetches = text.contains("fetch_with") || text.contains("XmlHttpRequest");
        let rel = path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
        let demo = rel.is_ok_and(|r| r == Path::new("ui/demo.rs"));
        assert!(
            !fetches || demo,
            "{} fetches; only ui/demo.rs may",
            path.display()
        );
        if demo {
            assert!(text.contains("const URL: &str = \"examples.json\";"));
            assert_eq!(text.matches("fetch_with_str(URL)").count(), 1);
            assert_eq!(text.matches("fetch_with").count(), 1);
        }
    }
}

/// Nothing reads the clock but `ui/hooks/use_now.rs`: every time-dependent function takes `now`,
/// so tests pass exact instants.
#[test]
fn only_use_now_reads_the_clock() {
    let clock = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/hooks/use_now.rs");
    for path in src().into_iter().filter(|p| *p != clock) {
        let text = fs::read_to_string(&path).unwrap();
        for reads in [
            "Date::now",
            "Date::new_0",
            "SystemTime",
            "Instant::now",
            "performance().now",
            ".now()",
        ] {
            assert!(
                !text.contains(reads),
                "{} reads the clock ({reads}); take `now` as a parameter",
                path.display()
            );
        }
    }
}

/// `f64::from_str` brings core's table of powers of five (about 11 KB of wasm) into the page:
/// floats are read through serde_json's number reader instead. Tests may use it as a reference.
/// (clippy.toml enforces the other size rules; it cannot name this one trait method.)
#[test]
fn no_float_parsing_outside_tests() {
    for path in src() {
        let text = fs::read_to_string(&path).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        for banned in [
            "parse::<f64>",
            "parse::<f32>",
            "f64::from_str",
            "f32::from_str",
        ] {
            assert!(
                !code.contains(banned),
                "{} uses {banned}; read floats with serde_json",
                path.display()
            );
        }
    }
}
