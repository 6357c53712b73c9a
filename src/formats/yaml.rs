//! Pasted YAML (Secrets, kubeconfigs, RBAC lists) read into `serde_json::Value`s.
//!
//! One value type for YAML and JSON input means every reader downstream is written once.
//! The documents are built from `yaml-rust2`'s event stream, pulled one event at a time
//! (its `Parser::load` would recurse per level), without recursion, so nesting is
//! bounded by [`MAX_DEPTH`] instead of the stack. What is built is bounded too, and checked
//! before it is built: at most [`MAX_NODES`] values, and at most [`EXPANSION`] times the
//! paste's size in bytes (never less than [`BYTES_FLOOR`]), so an alias cannot turn a short
//! paste into gigabytes ("billion laughs") or a long one into seconds of copying.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper than any Kubernetes object nests, shallow enough for every recursive consumer.
pub const MAX_DEPTH: usize = 64;
/// Values built in all, each counted once, aliases expanded: a 4 MiB kubectl dump of RBAC
/// objects holds about a third as many, and each value costs tens of bytes of memory.
pub const MAX_NODES: usize = 1_000_000;
/// Bytes built may be this many times the paste's size. Plain YAML builds at most three times
/// its size (see [`NODE_BYTES`]), so only aliases reach it (and, in theory, anchors nested in
/// anchors or collections used as keys, which keep or write copies; no Kubernetes object has
/// either).
pub const EXPANSION: usize = 4;
/// Bytes built may always reach this, so a short document with a few aliases still reads.
pub const BYTES_FLOOR: usize = 64 * 1024;
/// Bytes charged for each value besides its text. YAML packs at most three values into two
/// bytes (`[:,:,…]`, each a mapping of null to null) and a scalar's text is never longer than
/// one and a half times what it was written with (`"\L"`), so at two bytes a value plain YAML
/// is charged at most three times its size.
const NODE_BYTES: usize = 2;

/// Why pasted YAML could not be read: where and what, in words that fit any page. Each page
/// says what it expected beside it ([`YamlError::advice`]); the inspector turns it into its
/// own `YamlError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlError {
    /// The text does not parse, or building it would pass a limit (the message says which).
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The documents nest deeper than [`MAX_DEPTH`].
    TooDeep {
        /// The limit.
        limit: usize,
    },
}

impl YamlError {
    /// The error, then what the page wants pasted: `paste` completes "Paste …" (for a parse
    /// error) and `what` names the objects the page reads (for nesting too deep).
    pub fn advice(&self, paste: &str, what: &str) -> String {
        match self {
            YamlError::Parse { .. } => format!("{self} Paste {paste}."),
            YamlError::TooDeep { limit } => format!(
                "The paste nests more than {limit} levels deep; no {what} does. It was not read."
            ),
        }
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            YamlError::Parse {
                line,
                column,
                message,
            } => write!(
                f,
                "This looks like YAML but does not parse: {message} (line {line}, column {column})."
            ),
            YamlError::TooDeep { limit } => write!(
                f,
                "The paste nests more than {limit} levels deep; no Kubernetes object does. It \
                 was not read."
            ),
        }
    }
}

impl std::error::Error for YamlError {}

/// What building the documents produced, aliases expanded: the work the reader did, and a
/// measure of the memory it holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Values built: each scalar (mapping keys included), alias copy and collection, once.
    pub nodes: usize,
    /// Bytes of text built (scalars and keys) plus a small charge per value.
    pub bytes: usize,
}

impl Work {
    fn plus(self, other: Work) -> Work {
        Work {
            nodes: self.nodes.saturating_add(other.nodes),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }

    /// One value whose text is `text_bytes` long.
    fn value(text_bytes: usize) -> Work {
        Work {
            nodes: 1,
            bytes: text_bytes.saturating_add(NODE_BYTES),
        }
    }
}

/// Parses every document in `text` (separated by `---`). Empty documents are dropped.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, YamlError> {
    parse_documents_counted(text).0
}

/// [`parse_documents`], and the work done up to the answer (what was built before a refusal).
pub fn parse_documents_counted(text: &str) -> (Result<Vec<Value>, YamlError>, Work) {
    let mut builder = Builder::new(text);
    let result = builder.run();
    (result, builder.work)
}

/// The most bytes the reader builds from a text of `len` bytes.
pub fn byte_limit(len: usize) -> usize {
    len.saturating_mul(EXPANSION).max(BYTES_FLOOR)
}

/// What [`parse_part`] read: the documents, the work, and whether any anchor or alias was
/// met (a part that holds one may not read alone as it reads within its whole).
pub struct PartRead {
    /// The documents, or why not.
    pub documents: Result<Vec<Value>, YamlError>,
    /// What was built.
    pub work: Work,
    /// An anchor or an alias was met.
    pub anchored: bool,
}

/// Reads `text`, a part of a larger text whose values stand `depth` collections deep there,
/// so nesting is refused at the depth the whole would refuse it.
pub fn parse_part(text: &str, depth: usize) -> PartRead {
    let mut builder = Builder::new(text);
    builder.depth = depth;
    let documents = builder.run();
    PartRead {
        documents,
        work: builder.work,
        anchored: builder.anchored,
    }
}

enum Frame {
    Seq(Vec<Value>, usize, Work),
    Map(Map<String, Value>, Option<String>, usize, Work),
}

impl Frame {
    /// What the collection's children built so far.
    fn work(&mut self) -> &mut Work {
        match self {
            Frame::Seq(_, _, work) | Frame::Map(_, _, _, work) => work,
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    documents: Vec<Value>,
    /// Each anchored value with what it built, so an alias is weighed before it is copied.
    anchors: HashMap<usize, (Value, Work)>,
    work: Work,
    /// The most bytes that may be built from this paste.
    max_bytes: usize,
    error: Option<YamlError>,
    /// Byte offset, line and 0-based column of the event being handled, for errors found
    /// while building.
    at: (usize, usize, usize),
    /// Collections around the text in the whole it was cut from ([`parse_part`]).
    depth: usize,
    /// An anchor or an alias was met.
    anchored: bool,
}

/// The parser's words, with what they most often mean in a pasted Kubernetes object: the
/// two messages a copy that mangled indentation brings.
fn plain_words(info: &str) -> String {
    let hint = if info.contains("tabs disallowed") {
        "YAML indents with spaces only, and this line is indented with a tab (copies from some editors and chats bring tabs): replace it with spaces"
    } else if info.starts_with("mapping values are not allowed") {
        "a `key: value` stands where only a plain value may; most often this line is indented more than the keys beside it, or a value above holds an unquoted `: `"
    } else {
        return info.to_string();
    };
    format!("{info}; {hint}")
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            stack: Vec::new(),
            documents: Vec::new(),
            anchors: HashMap::new(),
            work: Work::default(),
            max_bytes: byte_limit(text.len()),
            error: None,
            at: (0, 1, 0),
            depth: 0,
            anchored: false,
        }
    }

    fn run(&mut self) -> Result<Vec<Value>, YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        // Events are pulled one at a time: `Parser::load` recurses once per nesting level of
        // block collections (`- - - …`, which the scanner does not bound as it does flow
        // `[[[…`), and 100 000 levels overflowed the stack. Stop at the first problem found.
        while self.error.is_none() {
            let (event, mark) = parser.next_token().map_err(|e| YamlError::Parse {
                line: e.marker().line().max(1),
                column: e.marker().col() + 1,
                message: plain_words(e.info()),
            })?;
            if event == Event::StreamEnd {
                break;
            }
            self.on_event(event, mark);
        }
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        Ok(std::mem::take(&mut self.documents)
            .into_iter()
            .filter(|d| !d.is_null())
            .collect())
    }

    /// Adds `work` to what was built, or refuses (and builds nothing more) if that passes a
    /// limit. `alias` says an alias is about to be copied: the refusal names it.
    fn charge(&mut self, work: Work, alias: bool) -> bool {
        let total = self.work.plus(work);
        if total.nodes > MAX_NODES || total.bytes > self.max_bytes {
            self.refuse(total, alias);
            return false;
        }
        self.work = total;
        true
    }

    /// Records why `total` is refused. Kept out of line: it runs once, if ever, and its
    /// messages would otherwise be copied into every place that charges.
    #[inline(never)]
    fn refuse(&mut self, total: Work, alias: bool) {
        const _: () = assert!(EXPANSION == 4, "the message below says 4 times");
        let (amount, limit) = if total.nodes > MAX_NODES {
            (MAX_NODES, " values")
        } else if self.max_bytes > BYTES_FLOOR {
            let kib = self.max_bytes / 1024;
            (kib, " KiB (4 times the size of the paste)")
        } else {
            (BYTES_FLOOR / 1024, " KiB (the least any paste may build)")
        };
        let message = match self.alias_name().filter(|_| alias) {
            Some(name) => format!(
                "the alias *{name} would expand the YAML past {amount}{limit}; nothing larger \
                 is read"
            ),
            None => format!(
                "with its aliases expanded, the YAML would grow past {amount}{limit}; nothing \
                 larger is read"
            ),
        };
        self.error = Some(YamlError::Parse {
            line: self.at.1.max(1),
            column: self.at.2 + 1,
            message,
        });
    }

    /// The name of the alias at the current mark (`*name`), its first 40 characters.
    fn alias_name(&self) -> Option<&'a str> {
        let rest = self.text.get(self.at.0..)?.strip_prefix('*')?;
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .unwrap_or(rest.len());
        let name = rest.get(..end)?;
        let cut = name.char_indices().nth(40).map_or(name.len(), |(at, _)| at);
        name.get(..cut).filter(|n| !n.is_empty())
    }

    /// Places a finished value, whose subtree built `work` (already charged), in its parent.
    fn finish(&mut self, value: Value, work: Work, anchor: usize) {
        if anchor > 0 {
            // The anchor keeps a copy of its own: charged, since it is built too.
            if !self.charge(work, false) {
                return;
            }
            self.anchors.insert(anchor, (value.clone(), work));
        }
        let mut work = work;
        let mut key_bytes = 0;
        match self.stack.last_mut() {
            Some(Frame::Map(_, key @ None, _, _)) => {
                // A scalar key's text was charged as a scalar; a collection's is new text,
                // charged once it is written (at most a few times what its values cost).
                let collection = value.is_array() || value.is_object();
                let text = key_text(value);
                if collection {
                    key_bytes = text.len();
                }
                *key = Some(text);
            }
            None => self.documents.push(value),
            Some(Frame::Seq(items, _, _)) => items.push(value),
            Some(Frame::Map(map, key @ Some(_), _, _)) => {
                if let Some(k) = key.take() {
                    map.insert(k, value);
                }
            }
        }
        if key_bytes > 0 {
            let text = Work {
                nodes: 0,
                bytes: key_bytes,
            };
            if !self.charge(text, false) {
                return;
            }
            work = work.plus(text);
        }
        if let Some(frame) = self.stack.last_mut() {
            let sum = frame.work();
            *sum = sum.plus(work);
        }
    }

    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        self.at = (mark.index(), mark.line(), mark.col());
        match &event {
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _) => self.anchored |= *anchor > 0,
            Event::Alias(_) => self.anchored = true,
            _ => {}
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let work = Work::value(text.len());
                if self.charge(work, false) {
                    self.finish(scalar(text, style, tag.as_ref()), work, anchor);
                }
            }
            Event::Alias(id) => {
                let work = self.anchors.get(&id).map_or(Work::value(0), |(_, w)| *w);
                // Weighed before it is copied: the copy is made only if it fits.
                if self.charge(work, true) {
                    let value = self
                        .anchors
                        .get(&id)
                        .map_or(Value::Null, |(v, _)| v.clone());
                    self.finish(value, work, 0);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() + self.depth >= MAX_DEPTH =>
            {
                self.error = Some(YamlError::TooDeep { limit: MAX_DEPTH });
            }
            Event::SequenceStart(anchor, _) => {
                self.stack
                    .push(Frame::Seq(Vec::new(), anchor, Work::default()));
            }
            Event::MappingStart(anchor, _) => {
                self.stack
                    .push(Frame::Map(Map::new(), None, anchor, Work::default()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let own = Work::value(0);
                if !self.charge(own, false) {
                    return;
                }
                match self.stack.pop() {
                    Some(Frame::Seq(items, anchor, work)) => {
                        self.finish(Value::Array(items), work.plus(own), anchor)
                    }
                    Some(Frame::Map(map, _, anchor, work)) => {
                        self.finish(Value::Object(map), work.plus(own), anchor)
                    }
                    None => {}
                }
            }
            // Anchors are per document: the next one cannot refer to these.
            Event::DocumentEnd => self.anchors.clear(),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
        }
    }
}

/// Resolves a scalar the way yaml-rust2's `Yaml::from_str` does (YAML 1.2's core schema, as
/// that crate reads it), except that quoted scalars and `!!str` stay strings: `"123"` in a
/// kubeconfig is a string, not a number. Floats go through serde_json's number parser rather
/// than `f64::from_str`, whose tables would cost the page more than the rare float is worth
/// (`docs/benchmarks.md` has the measurement).
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let explicit_string = tag.is_some_and(|t| t.suffix == "str");
    if style != TScalarStyle::Plain || explicit_string {
        return Value::String(text);
    }
    match plain(&text) {
        Some(value) => value,
        None => Value::String(text),
    }
}

/// The non-string value a plain scalar stands for, if any.
fn plain(text: &str) -> Option<Value> {
    let radix = |digits: &str, radix| i64::from_str_radix(digits, radix).ok();
    let integer = if let Some(hex) = text.strip_prefix("0x") {
        radix(hex, 16)
    } else if let Some(octal) = text.strip_prefix("0o") {
        radix(octal, 8)
    } else {
        // `i64::from_str` takes a leading `+`, as YAML does.
        text.parse::<i64>().ok()
    };
    if let Some(i) = integer {
        return Some(Value::Number(i.into()));
    }
    match text {
        "" | "~" | "null" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        // Infinities and NaN have no JSON number: they stay text, as before.
        _ => float(text).map(Value::Number),
    }
}

/// A decimal float (`1.5`, `-.5`, `+2.`, `6e23`) as a JSON number. The text is rewritten into
/// JSON's grammar (no `+`, a digit on both sides of the point) and read by serde_json, whose
/// reader (without its costly `float_roundtrip` feature) multiplies by a power of ten
/// and can land a few steps beside the nearest float (each multiplication rounds once). A
/// text that is the shortest form of some float, which is what writers print (ours among
/// them), is then matched exactly by trying the neighbours on either side.
fn float(text: &str) -> Option<Number> {
    /// Floats tried on each side of serde_json's answer; the tests below read back 50 000
    /// shortest texts from every exponent range exactly with this margin.
    const NEIGHBOURS: u64 = 6;
    let (negative, whole, fraction, exponent) = float_parts(text)?;
    let json = format!(
        "{}{}.{}{}",
        if negative { "-" } else { "" },
        match whole.trim_start_matches('0') {
            "" => "0",
            whole => whole,
        },
        // Always a point, so `2.` stays a float and is not read as the integer 2.
        if fraction.is_empty() { "0" } else { fraction },
        exponent
    );
    let read: f64 = serde_json::from_str(&json).ok()?;
    let wanted = decimal(text);
    let bits = read.to_bits();
    let exact = (0..=NEIGHBOURS)
        .flat_map(|step| [bits.checked_add(step), bits.checked_sub(step)])
        .flatten()
        .map(f64::from_bits)
        .filter_map(Number::from_f64)
        .find(|n| decimal(&n.to_string()) == wanted);
    exact.or_else(|| Number::from_f64(read))
}

/// Sign, digits before and after the point, and the exponent part (`e-7` or empty) of a plain
/// scalar in YAML's float grammar, or `None` if it is not one.
fn float_parts(text: &str) -> Option<(bool, &str, &str, &str)> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => unsigned.split_at(at),
        None => (unsigned, ""),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_digits = exponent
        .get(1..)
        .map(|e| e.strip_prefix(['+', '-']).unwrap_or(e));
    let valid = digits(whole)
        && digits(fraction)
        && !(whole.is_empty() && fraction.is_empty())
        && exponent_digits.is_none_or(|e| !e.is_empty() && digits(e));
    valid.then_some((negative, whole, fraction, exponent))
}

/// The decimal number a float text stands for, as (negative, significant digits, exponent of
/// the last digit), so `1.50e1`, `15` and `15.0` compare equal.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, whole, fraction, exponent) = float_parts(text)?;
    let mut exp: i64 = match exponent.get(1..) {
        Some(e) => e.strip_prefix('+').unwrap_or(e).parse().ok()?,
        None => 0,
    };
    let mut digits: String = format!("{whole}{fraction}")
        .trim_start_matches('0')
        .to_string();
    exp = exp.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    while digits.ends_with('0') {
        digits.pop();
        exp = exp.checked_add(1)?;
    }
    if digits.is_empty() {
        return Some((false, digits, 0));
    }
    Some((negative, digits, exp))
}

/// Mapping keys become strings: scalars as written, anything else as compact JSON.
fn key_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yaml_rust2::Yaml;

    #[test]
    fn plain_scalars_resolve_as_yaml_rust2_resolves_them() {
        let texts = [
            "1.5", "-.5", "+2.", ".5e3", "6E23", "01.50", "-0.0", "1e-7", "1e400", "2.5e+2",
            "0x1F", "0o17", "+12", "-7", "007", "1.2.3", "1e", "e5", ".", "+", "-.e1", "inf",
            ".inf", ".nan", "1_000", " 1", "1 ", "null", "~", "", "Null", "TRUE", "yes", "0x",
            "12abc", "١٢",
        ];
        for text in texts {
            let before = match Yaml::from_str(text) {
                Yaml::Integer(i) => Value::Number(i.into()),
                Yaml::Real(r) => r
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map_or(Value::String(text.to_string()), Value::Number),
                Yaml::Boolean(b) => Value::Bool(b),
                Yaml::Null => Value::Null,
                _ => Value::String(text.to_string()),
            };
            let now = scalar(text.to_string(), TScalarStyle::Plain, None);
            assert_eq!(now, before, "{text:?}");
        }
    }

    #[test]
    fn shortest_float_texts_read_back_exactly() {
        // Bit patterns spread over every exponent, subnormals included.
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..50_000 {
            bits = bits
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let Some(number) = Number::from_f64(f64::from_bits(bits)) else {
                continue;
            };
            let text = number.to_string();
            let text = if text.contains(['.', 'e']) {
                text
            } else {
                format!("{text}.0")
            };
            assert_eq!(float(&text), Some(number), "{text}");
        }
    }

    #[test]
    fn reads_mappings_sequences_and_scalars() {
        let docs = parse_documents("a: 1\nb: [x, \"2\", true, ~, 1.5]\n---\nc: {d: e}\n");
        assert_eq!(
            docs,
            Ok(vec![
                json!({"a": 1, "b": ["x", "2", true, null, 1.5]}),
                json!({"c": {"d": "e"}})
            ])
        );
    }

    #[test]
    fn keeps_quoted_and_tagged_strings() {
        let docs = parse_documents("a: '0123'\nb: !!str 12\nc: 0x10\n");
        assert_eq!(docs, Ok(vec![json!({"a": "0123", "b": "12", "c": 16})]));
    }

    #[test]
    fn expands_aliases() {
        let docs = parse_documents("a: &x {k: v}\nb: *x\n");
        assert_eq!(docs, Ok(vec![json!({"a": {"k": "v"}, "b": {"k": "v"}})]));
    }

    #[test]
    fn reports_where_it_fails() {
        match parse_documents("a: [1, 2\nb: c\n") {
            Err(YamlError::Parse { line, .. }) => assert!(line >= 1),
            other => panic!("expected a YAML error, got {other:?}"),
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        // Flow style trips yaml-rust2's own recursion limit first; either refusal will do.
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_documents(&deep),
            Err(YamlError::TooDeep { .. } | YamlError::Parse { .. })
        ));
        let block = (0..200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        assert_eq!(
            parse_documents(&block),
            Err(YamlError::TooDeep { limit: MAX_DEPTH })
        );
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        // Refused where the expansion crosses the limit, not at "line 1": line 4 holds a3,
        // whose ten copies of a2 (and the copy its anchor keeps) take the document past the
        // 64 KiB a short paste may build.
        match parse_documents_counted(&bomb) {
            (Err(YamlError::Parse { line, message, .. }), work) => {
                assert_eq!(line, 4);
                assert!(
                    message.starts_with(
                        "with its aliases expanded, the YAML would grow past 64 KiB (the least \
                         any paste may build)"
                    ),
                    "{message}"
                );
                assert!(work.bytes <= BYTES_FLOOR, "{work:?}");
            }
            other => panic!("expected a YAML error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_alias_that_would_pass_the_limit() {
        let name = "n".repeat(50);
        let aliases = vec![format!("*{name}"); 6].join(", ");
        let text = format!("a: &{name} \"{}\"\nb: [{aliases}]\n", "x".repeat(10_000));
        match parse_documents(&text) {
            Err(YamlError::Parse {
                line: 2,
                column,
                message,
            }) => {
                // The fifth alias: the string, its anchor's copy and four copies fit.
                assert_eq!(column, "b: [".len() + 4 * ", *".len() + 4 * name.len() + 1);
                assert_eq!(
                    message,
                    format!(
                        "the alias *{} would expand the YAML past 64 KiB (the least any paste \
                         may build); nothing larger is read",
                        "n".repeat(40)
                    )
                );
            }
            other => panic!("expected a refusal, got {:?}", other.map(|d| d.len())),
        }
    }
}
