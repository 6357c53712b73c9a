//! Reading `serde_json::Value`s the way pasted Kubernetes objects need: what a value is, for
//! messages, scalars as the text they were written as, and the named entries of a list.

use serde_json::Value;

/// serde_json appends " at line L column C" to its messages; callers report those separately.
pub fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// "an array", "a string", ...: what a JSON value is, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A scalar as the text it was written as (`name: 2024` is a name, not a number); empty for
/// null, lists and maps.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The entries of a list of named maps (a kubeconfig's `clusters`, `users`, `contexts`), each
/// with its name as text; entries without a scalar name are skipped.
pub fn named<'a>(doc: &'a Value, list: &str) -> impl Iterator<Item = (String, &'a Value)> {
    doc.get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.get("name")?;
            (!name.is_array() && !name.is_object() && !name.is_null())
                .then(|| (text_of(name), entry))
        })
}
