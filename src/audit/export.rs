//! What the audit gives away: the table as CSV (**Download CSV**) and a migration plan for the
//! selected tokens, as commands to copy.
//!
//! Neither holds a token: a row keeps only the key ID and issuer. The CSV's names pass through
//! the mask the page hands in (Redact's when it is on), so a redacted page downloads a redacted
//! file; the plan is shown masked but copied real, since a script of masked names does nothing.

use serde_json::json;

use crate::formats::shell::quote;
use crate::formats::yaml_write;
use crate::k8s::names;
use crate::support::time::{iso8601, UnixSeconds};
use crate::token_request::manifests;

use super::cleanup::Date;
use super::{Row, INVALID_SINCE_LABEL, LAST_USED_LABEL};

/// The CSV's header row, one column per table column.
pub const CSV_COLUMNS: [&str; 13] = [
    "namespace",
    "service account",
    "secret",
    "created",
    "made by",
    "last used",
    "invalid since",
    "marked invalid from",
    "deleted from",
    "clean-up note",
    "kid",
    "issuer",
    "flags",
];

/// The table as CSV (RFC 4180: CRLF line ends, a field with a comma, quote or line break in
/// double quotes, a quote doubled), names passed through `mask`.
///
/// A field that a spreadsheet would run as a formula (one starting with `=`, `+`, `@`, a tab or
/// a carriage return, or a `-` followed by anything but base64url characters) gets a leading
/// `'`: names and dates never start that way, but a pasted dump can hold anything, and a key ID
/// such as `-Xb3…` stays as it is.
pub fn csv(rows: &[Row], mask: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    line(&mut out, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for row in rows {
        let row = row.masked(mask);
        let time = |t: Option<UnixSeconds>| t.map(iso8601).unwrap_or_default();
        let flags = row.flag_titles();
        line(
            &mut out,
            [
                row.namespace.clone(),
                row.service_account.clone(),
                row.name.clone(),
                time(row.created),
                row.origin.words().to_string(),
                row.last_used.text(),
                row.invalid_since.text(),
                time(row.cleanup.marks),
                time(row.cleanup.deletes),
                row.cleanup.note().to_string(),
                row.kid().unwrap_or_default().to_string(),
                row.issuer().unwrap_or_default().to_string(),
                flags.join("; "),
            ]
            .into_iter(),
        );
    }
    out
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, &field);
    }
    out.push_str("\r\n");
}

fn field_into(out: &mut String, field: &str) {
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let formula = field.starts_with(['=', '+', '@', '\t', '\r'])
        || (field.starts_with('-') && !field.chars().all(base64url));
    let guarded;
    let field = if formula {
        guarded = format!("'{field}");
        guarded.as_str()
    } else {
        field
    };
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The steps that retire one token Secret, each a command to copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// `secret NAME in NAMESPACE (service account SA)`, names shell-quoted: the heading.
    pub title: String,
    /// A short-lived token for a client outside the cluster (`kubectl create token`); a note
    /// instead when the Secret names no service account.
    pub create_token: String,
    /// For a pod: the projected volume that replaces mounting the Secret, as YAML.
    pub projected_volume: String,
    /// Step 1, reversible: label the Secret invalid, so the API server refuses the token while
    /// the Secret and its token stay; then watch its last-used label for clients that fail (the
    /// API server still writes it for a refused token). A Secret the cleaner covers is deleted
    /// by it a period after this date, if step 2 does not come first.
    pub invalidate: String,
    /// Undoes step 1: removes the label, and the token works again.
    pub undo: String,
    /// Step 2, once nothing has failed: deletes the Secret, and the token with it (this cannot
    /// be undone; a new Secret gets a new token).
    pub delete: String,
}

/// The migration for each of `rows`, dated `now`, with the real names: what **Copy** gives.
pub fn plan(rows: &[&Row], now: UnixSeconds) -> Vec<Migration> {
    plan_shown(rows, now, &|text| text.to_string())
}

/// The migration for each of `rows` as the page shows it: names passed through `mask` (Redact's
/// when it is on). Which rows are refused is decided on the real names, so the screen and the
/// copied script refuse the same ones.
pub fn plan_shown(
    rows: &[&Row],
    now: UnixSeconds,
    mask: &dyn Fn(&str) -> String,
) -> Vec<Migration> {
    let today = Date::of(now);
    rows.iter().map(|row| migration(row, today, mask)).collect()
}

/// Why the row's names cannot be those of a real token Secret, or `None`. A dump can hold
/// anything, and each name lands as a word of a kubectl command: a Secret "named" `--all` would
/// make `kubectl delete secret --all`. Kubernetes' own rules refuse every such name (a name
/// never starts with `-`), so a row that breaks them is no Secret of a real cluster.
fn refusal(row: &Row) -> Option<String> {
    let faults = [
        ("namespace", names::label_fault(&row.namespace)),
        ("Secret name", names::subdomain_fault(&row.name)),
        (
            "service account",
            (!row.service_account.is_empty())
                .then(|| names::subdomain_fault(&row.service_account))
                .flatten(),
        ),
    ];
    let (field, fault) = faults
        .into_iter()
        .find_map(|(field, fault)| fault.map(|f| (field, f)))?;
    Some(format!(
        "# Not written: the {field} is not a valid Kubernetes name ({fault}), so no real \
         Secret has it, and in a command it could be read as something else (a name such as \
         --all as an option). Check the dump."
    ))
}

fn migration(row: &Row, today: Date, mask: &dyn Fn(&str) -> String) -> Migration {
    let refused = refusal(row);
    let shown = row.masked(mask);
    let ns = quote(&shown.namespace);
    let secret = quote(&shown.name);
    let sa = shown.service_account.as_str();
    let title = if sa.is_empty() {
        format!("secret {secret} in {ns}")
    } else {
        format!("secret {secret} in {ns} (service account {})", quote(sa))
    };
    if let Some(refused) = refused {
        return Migration {
            title,
            create_token: refused.clone(),
            projected_volume: refused.clone(),
            invalidate: refused.clone(),
            undo: refused.clone(),
            delete: refused,
        };
    }
    let target = format!("secret {secret} --namespace {ns}");
    let create_token = if sa.is_empty() {
        "# The Secret names no service account (no kubernetes.io/service-account.name annotation): find the client that uses it first.".to_string()
    } else {
        format!(
            "kubectl create token {} --namespace {ns} --duration 1h",
            quote(sa)
        )
    };
    let volume = "token";
    // A Secret volume held ca.crt and namespace beside the token: the projected one does too.
    let mut token = serde_json::Map::new();
    token.insert("path".into(), "token".into());
    token.insert("expirationSeconds".into(), 3600.into());
    let pod = json!({
        "spec": {
            "serviceAccountName": if sa.is_empty() { "SERVICE_ACCOUNT" } else { sa },
            "containers": [{
                "name": "app",
                "volumeMounts": [{
                    "name": volume,
                    "mountPath": "/var/run/secrets/tokens",
                    "readOnly": true,
                }],
            }],
            "volumes": [{
                "name": volume,
                "projected": { "sources": manifests::default_layout(token) },
            }],
        },
    });
    Migration {
        // Quoted, so a name with a line break cannot end a comment in the script.
        title,
        create_token,
        projected_volume: yaml_write::document(&pod),
        invalidate: format!(
            "kubectl label {target} {INVALID_SINCE_LABEL}={today}\nkubectl get {target} --label-columns {LAST_USED_LABEL}"
        ),
        undo: format!("kubectl label {target} {INVALID_SINCE_LABEL}-"),
        delete: format!("kubectl delete {target}"),
    }
}

/// The whole plan as one shell script: replacements, then every label, then every delete,
/// each step commented, so it reads top to bottom in the order it is safe to run.
pub fn script(plan: &[Migration]) -> String {
    let mut out = String::from(
        "# Retire legacy service-account tokens: replace, mark invalid (reversible), then delete.\n",
    );
    out.push_str("\n# 1. Give each client a short-lived token instead.\n");
    for step in plan {
        out.push_str(&format!("# {}\n{}\n", step.title, step.create_token));
    }
    out.push_str(&format!(
        "\n# 2. Mark each token invalid: the API server refuses it, and a client still using it\n#    fails and updates {LAST_USED_LABEL}. To undo, remove the label (see each line's undo).\n"
    ));
    for step in plan {
        out.push_str(&format!(
            "# {}\n{}\n# undo: {}\n",
            step.title, step.invalidate, step.undo
        ));
    }
    out.push_str(
        "\n# 3. Once nothing has failed for a while, delete the Secrets (cannot be undone).\n",
    );
    for step in plan {
        out.push_str(&format!("{}\n", step.delete));
    }
    out
}
