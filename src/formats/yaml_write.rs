//! Writing the YAML we generate (kubeconfigs, RBAC manifests) with quoting that is right
//! whatever the values contain.
//!
//! The values come from people: a cluster named `no`, a namespace `0123`, a token pasted with a
//! line break in it. Written plainly, YAML 1.1 readers (kubectl's go-yaml, PyYAML) would turn
//! `no` into `false` and `0123` into 83 (and go-yaml, dropping every `_` from a number, `+_1`
//! into 1), and a `: ` or ` #` would cut the value short. So a
//! string is written plain only when it is certainly read back as that same string by a YAML
//! 1.1 *and* a YAML 1.2 reader; anything else is double-quoted with escapes. Double quotes
//! (rather than single) because they can spell every character, including line breaks and
//! invisible ones, on one line: a 10 KB token stays one line, and a stray U+202E shows up as
//! `\u202E` instead of silently reordering the text.
//!
//! The layout is kubectl's: block style, two-space indent, sequences at the same indent as
//! their key, and a sequence of mappings with its first key on the `- ` line. The writer walks
//! the value with an explicit stack, so no nesting depth can overflow the call stack.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Number, Value};

/// Implicit (unmarked) mapping keys may be at most 1024 characters long in YAML; longer keys
/// are written in the explicit `? key` form (with a margin, as readers count differently).
const MAX_IMPLICIT_KEY: usize = 1000;

/// One YAML document for `value`, ending with a line break.
pub fn document(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// Several documents separated by `---` lines, as `kubectl apply -f` reads them.
pub fn documents(values: &[Value]) -> String {
    let mut out = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        write_value(&mut out, value);
    }
    out
}

/// `text` as a YAML scalar: as it is when that is safe, otherwise double-quoted.
pub fn string(text: &str) -> Cow<'_, str> {
    if plain_is_safe(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(double_quoted(text))
    }
}

/// One piece of pending output. Children are pushed in reverse so they pop in order.
enum Task<'a> {
    /// `key: value` in a mapping whose keys sit at `indent`.
    Entry {
        key: &'a str,
        value: &'a Value,
        indent: usize,
        /// The line already holds the `- ` of a sequence item: no indentation to write.
        inline: bool,
    },
    /// `- value` in a sequence whose dashes sit at `indent`.
    Item {
        value: &'a Value,
        indent: usize,
        inline: bool,
    },
}

fn write_value(out: &mut String, value: &Value) {
    let mut stack = Vec::new();
    match value {
        Value::Object(map) if !map.is_empty() => push_entries(&mut stack, value, 0, false),
        Value::Array(items) if !items.is_empty() => push_items(&mut stack, value, 0, false),
        scalar => {
            // A document that is only a scalar: `...` or `---` first would be read as a marker,
            // which `string` already quotes.
            write_scalar(out, scalar);
            out.push('\n');
        }
    }
    while let Some(task) = stack.pop() {
        match task {
            Task::Entry {
                key,
                value,
                indent,
                inline,
            } => {
                if !inline {
                    pad(out, indent);
                }
                let key_text = string(key);
                let explicit = key_text.chars().count() > MAX_IMPLICIT_KEY;
                if explicit {
                    // `? key` on its own line, then `:` at the same indent for the value.
                    out.push_str("? ");
                    out.push_str(&key_text);
                    out.push('\n');
                    pad(out, indent);
                    out.push(':');
                } else {
                    out.push_str(&key_text);
                    out.push(':');
                }
                match value {
                    Value::Object(map) if !map.is_empty() => {
                        out.push('\n');
                        push_entries(&mut stack, value, indent + 2, false);
                    }
                    Value::Array(items) if !items.is_empty() => {
                        out.push('\n');
                        // kubectl's style puts the dashes under the key; after an explicit
                        // `:` that is not allowed, so they move in by two.
                        let at = if explicit { indent + 2 } else { indent };
                        push_items(&mut stack, value, at, false);
                    }
                    scalar => {
                        out.push(' ');
                        write_scalar(out, scalar);
                        out.push('\n');
                    }
                }
            }
            Task::Item {
                value,
                indent,
                inline,
            } => {
                if !inline {
                    pad(out, indent);
                }
                out.push_str("- ");
                match value {
                    Value::Object(map) if !map.is_empty() => {
                        push_entries(&mut stack, value, indent + 2, true)
                    }
                    Value::Array(items) if !items.is_empty() => {
                        push_items(&mut stack, value, indent + 2, true)
                    }
                    scalar => {
                        write_scalar(out, scalar);
                        out.push('\n');
                    }
                }
            }
        }
    }
}

/// Queues the entries of a mapping; the first goes on the current line when `inline`.
fn push_entries<'a>(stack: &mut Vec<Task<'a>>, value: &'a Value, indent: usize, inline: bool) {
    if let Value::Object(map) = value {
        for (i, (key, value)) in map.iter().enumerate().rev() {
            stack.push(Task::Entry {
                key,
                value,
                indent,
                inline: inline && i == 0,
            });
        }
    }
}

/// Queues the items of a sequence; the first goes on the current line when `inline`.
fn push_items<'a>(stack: &mut Vec<Task<'a>>, value: &'a Value, indent: usize, inline: bool) {
    if let Value::Array(items) = value {
        for (i, value) in items.iter().enumerate().rev() {
            stack.push(Task::Item {
                value,
                indent,
                inline: inline && i == 0,
            });
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar, or the empty collection `{}` / `[]` (non-empty ones never reach here).
fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => out.push_str(&string(s)),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Integers as they are; floats always with a dot and a signed exponent, because YAML 1.1
/// reads `1e300` as a string and only `1.0e+300` as a float.
fn number(n: &Number) -> String {
    let text = n.to_string();
    if n.is_i64() || n.is_u64() {
        return text;
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (text.as_str(), None),
    };
    let mut out = mantissa.to_string();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(e) = exponent {
        out.push('e');
        if !e.starts_with(['+', '-']) {
            out.push('+');
        }
        out.push_str(e);
    }
    out
}

/// Words that YAML 1.1 or 1.2 reads as a boolean, null or special float when unquoted,
/// compared without regard to case (go-yaml and PyYAML differ on which cases count).
const RESERVED_WORDS: [&str; 22] = [
    "y",
    "n",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
    "~",
    "inf",
    "nan",
    "infinity",
    ".inf",
    ".nan",
    "+.inf",
    "-.inf",
    "+inf",
    "-inf",
    "+infinity",
    "-infinity",
    "<<",
];

/// Whether `text` can be written plain and still read back as this exact string, by YAML 1.1
/// and 1.2 readers alike. Errs on the side of quoting: a needless quote costs two characters,
/// a missing one changes the value.
fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false; // the empty string reads as null
    };
    if RESERVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text)) || text == "=" {
        return false;
    }
    if could_be_a_number(text) {
        return false;
    }
    // Indicators that mean something when they start a scalar, and document markers.
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || text.starts_with("...") {
        return false;
    }
    if text.starts_with(' ') || text.ends_with(' ') || text.ends_with(':') {
        return false;
    }
    // `: ` starts a value and ` #` a comment; flow indicators are quoted anywhere so the same
    // text is safe in flow context too.
    if text.contains(": ") || text.contains(" #") || text.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    text.chars()
        .all(|c| c == ' ' || c.is_ascii_graphic() || shown_as_is(c))
}

/// Whether any reader might take `text` for a number, date or time: after an optional sign
/// and any `_`, a digit, or a `.` followed by a digit, `_`, `.` or nothing (`-1`, `.5`, `0x1F`,
/// `012`, `1:20`, `2001-12-14`, `+.5`, `._5`, `.`). The `_` matters to kubectl: go-yaml v2
/// (through sigs.k8s.io/yaml) removes every `_` from text that starts with a sign or a digit
/// before it parses a number, so `+_1` is the integer 1 and `+_.5` a float. YAML 1.1's own
/// patterns allow `_` after a dot (`._5`) and read `.` alone as a float.
fn could_be_a_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let signed = unsigned.len() < text.len();
    let mut rest = unsigned.trim_start_matches('_').chars();
    match rest.next() {
        None => signed,
        Some('.') => rest
            .next()
            .is_none_or(|c| c.is_ascii_digit() || c == '_' || c == '.'),
        Some(c) => c.is_ascii_digit(),
    }
}

/// Non-ASCII characters that may appear literally: printable in YAML, not a line break in
/// YAML 1.1 (U+0085, U+2028, U+2029), and visible. Invisible and format characters (byte
/// order mark, zero-width and direction controls, unusual spaces) are escaped so that what a
/// person reads in the file is what it holds.
fn shown_as_is(c: char) -> bool {
    let code = u32::from(c);
    code >= 0xA0
        && !(0xD800..=0xDFFF).contains(&code)
        && code != 0xFFFE
        && code != 0xFFFF
        && !invisible(c)
}

/// Spaces other than U+0020 and the format characters (Unicode category Cf) that matter:
/// soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and bidirectional
/// controls, word joiners, the byte order mark, interlinear annotations and tag characters.
/// The kubeconfig builder refuses them in a token, where nobody could see them.
pub(crate) fn invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0xA0 | 0xAD
            | 0x34F
            | 0x61C
            | 0x115F
            | 0x1160
            | 0x1680
            | 0x17B4
            | 0x17B5
            | 0x180B..=0x180F
            | 0x2000..=0x200F
            | 0x2028..=0x202F
            | 0x205F..=0x206F
            | 0x3000
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// A double-quoted scalar on one line. Only the escapes every YAML reader knows are used
/// (`\"`, `\\`, `\t`, `\n`, `\r` and `\u`/`\U` with hex digits).
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' ' => out.push(' '),
            c if c.is_ascii_graphic() || shown_as_is(c) => out.push(c),
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_only_what_needs_it() {
        let plain = [
            "prod",
            "https://a:6443",
            "system:serviceaccount:a:b",
            "a#b",
            "é",
            "\u{1F600}",
        ];
        for text in plain {
            assert_eq!(string(text), text);
        }
        for (text, quoted) in [
            ("", "\"\""),
            ("no", "\"no\""),
            ("a: b", "\"a: b\""),
            ("tab\there", "\"tab\\there\""),
            ("\u{2028}", "\"\\u2028\""),
            ("\u{1F3F4}\u{E0067}", "\"\u{1F3F4}\\U000E0067\""),
        ] {
            assert_eq!(string(text), quoted);
        }
    }

    #[test]
    fn lays_out_like_kubectl() {
        let value = json!({"a": [{"name": "x", "b": {"c": 1}}, "s", []], "d": {}});
        assert_eq!(
            document(&value),
            "a:\n- name: x\n  b:\n    c: 1\n- s\n- []\nd: {}\n"
        );
    }

    #[test]
    fn floats_keep_a_dot() {
        assert_eq!(document(&json!(1.0e300)), "1.0e+300\n");
        assert_eq!(document(&json!(0.5)), "0.5\n");
    }
}
