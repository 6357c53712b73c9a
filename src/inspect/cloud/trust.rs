//! What an IAM trust policy we wrote enforces, read back from the policy itself, so the words
//! beside it can never claim a condition it lacks.

use serde_json::Value;

/// The note for `policy`: `intro`, then each condition the policy has, in plain words, then
/// what it leaves open that a reader might assume it checks.
pub(crate) fn explain(policy: &Value, intro: &str) -> String {
    let statements = policy
        .get("Statement")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut said = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for statement in statements {
        let Some(operators) = statement.get("Condition").and_then(Value::as_object) else {
            continue;
        };
        for (operator, tests) in operators {
            for (key, values) in tests.as_object().into_iter().flatten() {
                keys.push(key);
                said.push(condition(operator, key, &words(values)));
            }
        }
    }
    let principal = |kind: &str| {
        statements
            .iter()
            .any(|s| s.get("Principal").and_then(|p| p.get(kind)).is_some())
    };
    let has = |suffix: &str| keys.iter().any(|k| k.ends_with(suffix));
    let mut gaps = Vec::new();
    if principal("Federated") {
        if !has(":sub") {
            gaps.push("There is no `:sub` condition: every service account of the cluster can assume the role.");
        }
        if !has(":aud") {
            gaps.push("There is no `:aud` condition: a token made for any audience the provider accepts will do.");
        }
    }
    if principal("Service") {
        if !has("/eks-cluster-arn") && !has("/eks-cluster-name") {
            gaps.push("No condition binds the role to a cluster: any Pod Identity association in the account can use it.");
        }
        if !has("/kubernetes-service-account") {
            gaps.push("No condition names the service account: every service account an association names can use it.");
        }
    }
    let mut note = intro.to_string();
    if said.is_empty() {
        note.push_str(" The policy has no conditions.");
    } else {
        note.push_str(" Its conditions, all of which must hold: ");
        note.push_str(&said.join("; "));
        note.push('.');
    }
    for gap in gaps {
        note.push(' ');
        note.push_str(gap);
    }
    note
}

/// One condition in words: what it compares and what it keeps out.
fn condition(operator: &str, key: &str, values: &str) -> String {
    let what = if key.ends_with(":sub") {
        "only tokens of this service account from this issuer"
    } else if key.ends_with(":aud") {
        "only tokens made for this audience"
    } else {
        match key.strip_prefix("aws:RequestTag/") {
            Some("eks-cluster-arn") => {
                "only pod identity associations of this cluster (fill in its name and the account)"
            }
            Some("eks-cluster-name") => "only pod identity associations of a cluster of this name",
            Some("kubernetes-namespace") => "only service accounts in this namespace",
            Some("kubernetes-service-account") => "only service accounts of this name",
            _ => "",
        }
    };
    let test = match operator {
        "StringEquals" | "ArnEquals" => "equals",
        "StringLike" | "ArnLike" => "matches",
        other => other,
    };
    if what.is_empty() {
        format!("`{key}` {test} {values}")
    } else {
        format!("`{key}` {test} {values} ({what})")
    }
}

/// A condition's value or values, as the policy writes them.
fn words(values: &Value) -> String {
    match values {
        Value::String(one) => one.clone(),
        Value::Array(many) => many
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(" or "),
        other => other.to_string(),
    }
}
