//! Audit events written in a test's own shorthand, so each test states only what its events
//! differ in (who, decision, timestamps) and the request in one line.

use serde_json::{json, Value};

/// Adds the request in `what` to the event `ev`: `VERB RESOURCE[.GROUP][/SUB] [-n NS] [NAME]`,
/// or `VERB /path` for a non-resource request. A path becomes the `requestURI` with `query`
/// after it; a resource gets an `objectRef` and `resource_uri`, which the reader does not use
/// for resources.
pub fn with_request(mut ev: Value, what: &str, query: &str, resource_uri: &str) -> Value {
    let words: Vec<&str> = what.split_whitespace().collect();
    ev["verb"] = json!(words[0]);
    if words[1].starts_with('/') {
        ev["requestURI"] = json!(format!("{}{query}", words[1]));
        return ev;
    }
    let (base, sub) = match words[1].split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (words[1], None),
    };
    let (resource, group) = base.split_once('.').unwrap_or((base, ""));
    let mut object = json!({"resource": resource, "apiGroup": group, "apiVersion": "v1"});
    if let Some(sub) = sub {
        object["subresource"] = json!(sub);
    }
    let mut rest = words[2..].iter();
    while let Some(w) = rest.next() {
        if *w == "-n" {
            object["namespace"] = json!(rest.next().unwrap());
        } else {
            object["name"] = json!(w);
        }
    }
    ev["objectRef"] = object;
    ev["requestURI"] = json!(resource_uri);
    ev
}

/// Events as JSON lines, the way the log backend writes them.
pub fn lines(events: &[Value]) -> String {
    events.iter().map(|e| format!("{e}\n")).collect()
}
