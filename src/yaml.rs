//! Pasted YAML (Secrets, kubeconfigs, RBAC lists) read into `serde_json::Value`s.
//!
//! One value type for YAML and JSON input means every reader downstream is written once.
//! The documents are built from `yaml-rust2`'s event stream, pulled one event at a time
//! (its `Parser::load` would recurse per level), without recursion, so nesting is
//! bounded by [`MAX_DEPTH`] instead of the stack, and alias expansion by [`MAX_NODES`]
//! (a "billion laughs" paste is refused, not expanded).

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::InputError;

/// Deeper than any Kubernetes object nests, shallow enough for every recursive consumer.
pub const MAX_DEPTH: usize = 64;
/// Values built in all, aliases expanded: far above a 1 MiB kubeconfig, far below trouble.
pub const MAX_NODES: usize = 1_000_000;

/// Parses every document in `text` (separated by `---`). Empty documents are dropped.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, InputError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Events are pulled one at a time: `Parser::load` recurses once per nesting level of block
    // collections (`- - - …`, which the scanner does not bound as it does flow `[[[…`), and
    // 100 000 levels overflowed the stack. Stop at the first problem the builder finds.
    while builder.error.is_none() {
        let (event, mark) = parser.next_token().map_err(|e| InputError::Yaml {
            line: e.marker().line().max(1),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        if event == Event::StreamEnd {
            break;
        }
        builder.on_event(event, mark);
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder
        .documents
        .into_iter()
        .filter(|d| !d.is_null())
        .collect())
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    documents: Vec<Value>,
    anchors: std::collections::HashMap<usize, Value>,
    nodes: usize,
    error: Option<InputError>,
    /// Line and 0-based column of the event being handled, for errors found while building.
    at: (usize, usize),
}

impl Builder {
    fn finish(&mut self, value: Value, anchor: usize) {
        self.nodes = self.nodes.saturating_add(count(&value));
        if self.nodes > MAX_NODES {
            self.error = Some(InputError::Yaml {
                line: self.at.0.max(1),
                column: self.at.1 + 1,
                message: format!(
                    "more than {MAX_NODES} values once aliases are expanded; refusing to build it"
                ),
            });
            return;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.documents.push(value),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(_, key @ None, _)) => *key = Some(key_text(value)),
            Some(Frame::Map(map, key @ Some(_), _)) => {
                if let Some(k) = key.take() {
                    map.insert(k, value);
                }
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        self.at = (mark.line(), mark.col());
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.finish(scalar(text, style, tag.as_ref()), anchor)
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                self.finish(value, 0)
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.error = Some(InputError::TooDeep { limit: MAX_DEPTH });
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(Map::new(), None, anchor)),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Seq(items, anchor)) => self.finish(Value::Array(items), anchor),
                Some(Frame::Map(map, _, anchor)) => self.finish(Value::Object(map), anchor),
                None => {}
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar the way yaml-rust2's `Yaml::from_str` does (YAML 1.2's core schema, as
/// that crate reads it), except that quoted scalars and `!!str` stay strings: `"123"` in a
/// kubeconfig is a string, not a number. Floats go through serde_json's number parser rather
/// than `f64::from_str`, whose tables cost ~14 KB of gzip in the page for the rare float.
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
/// reader (without its `float_roundtrip` feature, 9 KB of gzip) multiplies by a power of ten
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

/// Counts the values in a tree without recursion (aliases can make big trees cheaply).
fn count(value: &Value) -> usize {
    let mut total = 0usize;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        total = total.saturating_add(1);
        if total > MAX_NODES {
            break;
        }
        match v {
            Value::Array(items) => pending.extend(items.iter()),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    total
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
            Err(InputError::Yaml { line, .. }) => assert!(line >= 1),
            other => panic!("expected a YAML error, got {other:?}"),
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        // Flow style trips yaml-rust2's own recursion limit first; either refusal will do.
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_documents(&deep),
            Err(InputError::TooDeep { .. } | InputError::Yaml { .. })
        ));
        let block = (0..200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        assert_eq!(
            parse_documents(&block),
            Err(InputError::TooDeep { limit: MAX_DEPTH })
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
        // Refused where the expansion crosses the limit, not at "line 1": line 6 holds a5,
        // whose million-odd values tip the count over.
        match parse_documents(&bomb) {
            Err(InputError::Yaml { line, message, .. }) => {
                assert_eq!(line, 6);
                assert!(message.starts_with("more than 1000000 values"), "{message}");
            }
            other => panic!("expected a YAML error, got {other:?}"),
        }
    }
}
