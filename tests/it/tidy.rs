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

fn rel(path: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    path.strip_prefix(&src).unwrap().to_path_buf()
}

/// One concept per file: a file that outgrows 800 lines holds more than one, and becomes a folder.
#[test]
fn no_file_over_800_lines() {
    for path in src() {
        let lines = fs::read_to_string(&path).unwrap().lines().count();
        assert!(
            lines <= 800,
            "{} has {lines} lines; split it by concept (at most 800, aim for 500)",
            path.display()
        );
    }
}

/// Every file says in its first line what it is.
#[test]
fn every_file_starts_with_what_it_is() {
    for path in src() {
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not start with a `//!` line saying what it is",
            path.display()
        );
    }
}

/// The folders that only group modules by concept: a file in one belongs to the module below
/// it (`crypto/x509/chain.rs` to `x509`), so the import check sees the same modules as before
/// they were grouped. Every other folder is one module (`access/read.rs` is `access`).
const GROUPS: [&str; 6] = ["crypto", "formats", "inspect", "k8s", "support", "token"];

/// Transitional, while `src/lib.rs` re-exports the paths modules had before they were grouped:
/// the module an old path names (`crate::troubleshoot` is `troubleshoot`).
fn renamed(module: String) -> String {
    let now = match module.as_str() {
        "apierror" | "unauthorized" => "troubleshoot",
        "walk" | "examples" => "learn",
        "report" => "share",
        "escalation" => "access",
        "snippets" => "kubeconfig",
        "k8s_write" => "write",
        _ => return module,
    };
    now.to_string()
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules a use-tree names, `tree` starting at its first segment: `jwt` for
/// `token::jwt::RawJwt`, `der` and `pem` for `crypto::{der, pem}`, `a` and `b` for `{a, b::C}`.
/// `grouped` says a group folder was already passed, so the next names are modules.
fn modules_in(tree: &str, grouped: bool, out: &mut Vec<String>) {
    if let Some(group) = tree.strip_prefix('{') {
        // The group's first-level items, up to its closing brace.
        let mut depth = 0;
        let mut start = Some(0);
        for (i, c) in group.char_indices() {
            match c {
                '{' if start.is_some() && depth == 0 => {
                    modules_in(&group[i..], grouped, out);
                    start = None;
                    depth += 1;
                }
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => start = Some(i + 1),
                c if c.is_whitespace() => {}
                _ if depth == 0 && start.is_some() => {
                    modules_in(&group[i..], grouped, out);
                    start = None;
                }
                _ => {}
            }
        }
        return;
    }
    let first = ident(tree);
    match tree[first.len()..].strip_prefix("::") {
        Some(rest) if !grouped && GROUPS.contains(&first.as_str()) => modules_in(rest, true, out),
        _ => out.push(renamed(first)),
    }
}

/// The core module a file belongs to: `access` for `src/access/read.rs`, `x509` for
/// `src/crypto/x509/chain.rs`.
fn core_module(path: &Path) -> Option<String> {
    if is_ui(path) || rel(path) == Path::new("lib.rs") {
        return None;
    }
    let rel = rel(path);
    let mut parts = rel.iter().map(|c| c.to_str().unwrap_or_default());
    let first = parts.next()?.trim_end_matches(".rs");
    match parts.next() {
        Some(second) if GROUPS.contains(&first) => Some(second.trim_end_matches(".rs").to_string()),
        _ => Some(first.to_string()),
    }
}

/// The core modules `text` names through `crate::`: `crate::crypto::x509::Bundle`,
/// `use crate::{crypto::der, crypto::pem}`, `crate::crypto::{der, pem}`, `use crate::{token::jwt, support::time}`.
fn crate_references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        modules_in(&text[at + "crate::".len()..], false, &mut out);
    }
    out
}

/// Lower modules never import higher ones: the core's modules form no cycle, so each can be
/// read, tested and changed standing only on what is below it.
#[test]
fn no_import_cycle_between_core_modules() {
    use std::collections::{BTreeMap, BTreeSet};
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut modules = BTreeSet::new();
    for path in src() {
        let Some(module) = core_module(&path) else {
            continue;
        };
        modules.insert(module.clone());
        let text = fs::read_to_string(&path).unwrap();
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for target in crate_references(&code) {
            if target != module && !target.is_empty() {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    // Depth-first search; a module met again while still on the stack closes a cycle.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(i) = stack.iter().position(|s| s == m) {
            panic!(
                "import cycle between core modules: {} -> {m}",
                stack[i..].join(" -> ")
            );
        }
        if !done.insert(m.to_string()) {
            return;
        }
        stack.push(m.to_string());
        for next in edges.get(m).into_iter().flatten() {
            visit(next, edges, stack, done);
        }
        stack.pop();
    }
    let mut done = BTreeSet::new();
    for m in &modules {
        visit(m, &edges, &mut Vec::new(), &mut done);
    }
    // The check itself must see the graph: the token path stands on these.
    assert!(edges["explain"].contains("claims"), "{edges:?}");
    assert!(edges["pem"].contains("base64_text"), "{edges:?}");
    // The token is read from its own bytes: no module of `token/` names `crypto/`, which
    // stands on it (a JWS to verify), so the two folders are one-way.
    let crypto = ["cert", "der", "keys", "pem", "spki", "webcrypto", "x509"];
    for token in ["jwt", "b64", "claims"] {
        for target in edges.get(token).into_iter().flatten() {
            assert!(!crypto.contains(&target.as_str()), "{token} -> {target}");
        }
    }
    assert!(edges["keys"].contains("jwt"), "{edges:?}");
    let mut named = Vec::new();
    modules_in(
        "{token::jwt, crypto::{der, pem}, x509::Bundle, apierror}",
        false,
        &mut named,
    );
    assert_eq!(named, ["jwt", "der", "pem", "x509", "troubleshoot"]);
}

/// No run of more than 10 lines is written twice in `src/`: one piece of code serves where the
/// logic is the same. Lines are compared trimmed, blank lines skipped.
#[test]
fn no_long_duplicated_runs() {
    use std::collections::HashMap;
    const RUN: usize = 10;
    let mut seen: HashMap<Vec<String>, (PathBuf, usize)> = HashMap::new();
    for path in src() {
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim().to_string()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        for window in lines.windows(RUN) {
            let key: Vec<String> = window.iter().map(|(_, l)| l.clone()).collect();
            let line = window[0].0;
            match seen.get(&key) {
                Some((other, at)) if !(other == &path && line < at + RUN) => {
                    panic!(
                        "{}:{line} repeats {}:{at} for {RUN} lines or more; share one piece of code",
                        path.display(),
                        other.display()
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (path.clone(), line));
                }
            }
        }
    }
}

/// Every folder of `src/` has its section in ARCHITECTURE.md's code map, so the map a newcomer
/// reads is the tree they find.
#[test]
fn every_folder_is_in_the_code_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let map = text
        .split("\n## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("ARCHITECTURE.md has a `## Code map` section");
    for entry in fs::read_dir(root.join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let named = if path.is_dir() {
            format!("`{name}/`")
        } else if path.with_extension("").is_dir() {
            continue;
        } else {
            format!("`{name}`")
        };
        assert!(
            map.contains(&named),
            "ARCHITECTURE.md's code map does not name {named}; give it a section"
        );
    }
}

/// Every file in `src/` is a module its parent declares (`x509/chain.rs` is `mod chain;` in
/// `x509.rs`): the compiler ignores a file nothing declares, and so would every check.
#[test]
fn every_file_is_declared_by_its_parent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for path in src() {
        let rel = rel(&path);
        let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) else {
            continue;
        };
        let parent = root.join(dir).with_extension("rs");
        let text = fs::read_to_string(&parent).unwrap_or_default();
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert!(
            text.contains(&format!("mod {name};")),
            "{} is not declared by {} (`mod {name};`)",
            path.display(),
            parent.display()
        );
    }
}

/// `text` without what the compiler does not read as the core's code: comment lines, and the
/// unit tests after `#[cfg(test)]` (which may do what the core may not).
fn code_of(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The type arguments of each `Result<…>` in `code`, split at their top-level commas, white
/// space removed: `["T", "String"]` for `Result<T,\n String>`.
fn result_arguments(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("Result<") {
        if code[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let mut depth = 1;
        let mut args = vec![String::new()];
        let mut previous = ' ';
        for c in code[at + "Result<".len()..].chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                // The `>` of `->` in a function type closes nothing.
                '>' if previous == '-' => {}
                '>' | ')' | ']' => depth -= 1,
                ',' if depth == 1 => {
                    args.push(String::new());
                    continue;
                }
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if !c.is_whitespace() {
                args.last_mut().unwrap().push(c);
                previous = c;
            }
        }
        out.push(args);
    }
    out
}

/// Every error the core returns is a type that says where and what: never a bare `String`,
/// which no caller can tell apart or word for its page.
#[test]
fn no_string_errors_in_the_core() {
    let sample = "fn f() -> Result<Vec<u8>,\n    String> {}\nfn g() -> MyResult<u8, String> {}\n\
                  fn h() -> io::Result<(u8, Box<dyn Fn(u8) -> u8>)> {}";
    assert_eq!(
        result_arguments(sample),
        vec![
            vec!["Vec<u8>".to_string(), "String".to_string()],
            vec!["(u8,Box<dynFn(u8)->u8>)".to_string()],
        ]
    );
    for path in src().into_iter().filter(|p| !is_ui(p)) {
        let code = code_of(&fs::read_to_string(&path).unwrap());
        for args in result_arguments(&code) {
            assert!(
                args.get(1).is_none_or(|e| e != "String"),
                "{} has Result<{}>; give the error a type that implements std::error::Error",
                path.display(),
                args.join(", ")
            );
        }
    }
}

/// One writer of RBAC objects: only `src/k8s/write.rs` names the RBAC API's version, so the
/// builder, the fixes and Activity's generator cannot write a Role three ways.
#[test]
fn one_rbac_object_writer() {
    let writers: Vec<PathBuf> = src()
        .into_iter()
        .filter(|p| {
            code_of(&fs::read_to_string(p).unwrap()).contains("rbac.authorization.k8s.io/v1")
        })
        .map(|p| rel(&p))
        .collect();
    assert_eq!(
        writers,
        vec![PathBuf::from("k8s/write.rs")],
        "write RBAC objects through src/k8s/write.rs"
    );
}
