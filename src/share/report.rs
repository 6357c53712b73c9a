//! Reports: what Inspect, Troubleshoot, Access and Audit found, as Markdown (for a ticket)
//! and JSON (for a script), redacted by default.
//!
//! A report travels further than a screenshot: into tickets, chats and archives. So with
//! `redact` on, each export is made from masked inputs, as the pages' **Redact** makes them
//! ([`crate::redact`]): the token's payload and signature, uids and `jti` by what they are.
//! Then every text of the report is scrubbed once more ([`scrub`]) of anything shaped like a
//! token, the base64 of one, a uid or a credential id, since pasted error messages and
//! policies can hold them anywhere. With `redact` off, the report gives the real values.

mod doc;
mod pages;

use serde_json::Value;

use crate::inspect::explain;
use crate::redact;
use crate::support::time::UnixSeconds;
use crate::token::jwt::RawJwt;
use crate::troubleshoot::{self, Diagnosis};

pub use doc::{inline, Doc, Section};
pub use pages::{access, audit, AccessReport};

/// One report in both formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// Markdown, for a ticket or a pull request.
    pub markdown: String,
    /// The same findings as pretty-printed JSON, for a script.
    pub json: String,
}

/// Both formats of `doc` and `json`, scrubbed when `redact` is on.
fn finish(mut doc: Doc, mut json: Value, redact: bool) -> Export {
    if redact {
        for text in doc.texts_mut() {
            *text = scrub(text);
        }
        let mut stack = vec![&mut json];
        while let Some(value) = stack.pop() {
            match value {
                Value::String(s) => *s = scrub(s),
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(object) => stack.extend(object.values_mut()),
                _ => {}
            }
        }
    }
    Export {
        markdown: doc.markdown(),
        json: serde_json::to_string_pretty(&json).unwrap_or_default(),
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    Some((row(header), rows))
}

/// The inspected token: kind, status, identity, header and claims with their meanings,
/// times and findings, as of `now`.
pub fn inspect(jwt: &RawJwt, now: UnixSeconds, redact: bool) -> Export {
    let shown = if redact {
        redact::jwt(jwt)
    } else {
        jwt.clone()
    };
    let report = explain::explain(&shown, now);
    let compact = format!(
        "{}.{}.{}",
        jwt.header_b64, jwt.payload_b64, jwt.signature_b64
    );
    let token = if redact {
        redact::token(&compact)
    } else {
        compact
    };
    let rows = |rows: &[explain::Row]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| vec![r.name.clone(), r.value.clone(), r.meaning.clone()])
            .collect()
    };
    let rows_json = |rows: &[explain::Row]| -> Vec<Value> {
        rows.iter()
            .map(|r| serde_json::json!({"name": r.name, "value": r.value, "meaning": r.meaning}))
            .collect()
    };
    let mut summary = vec![
        format!("Kind: {}. {}", report.kind.text, report.kind.detail),
        format!("Status: {}", report.status.text),
    ];
    summary.extend(report.lifetime.iter().map(|l| format!("Lifetime: {l}")));
    let mut identity_lines = Vec::new();
    if let Some(id) = &report.identity {
        identity_lines.push(format!("User: {}", id.username));
        identity_lines.extend(id.uid.iter().map(|u| format!("UID: {u}")));
        identity_lines.push(format!("Groups: {}", id.groups.join(", ")));
        identity_lines.extend(id.extra.iter().map(|(k, v)| format!("Extra {k}: {v}")));
    }
    let doc = Doc {
        title: "Tokenscope: token report".to_string(),
        sections: vec![
            Section {
                heading: "Summary".to_string(),
                lines: summary,
                bullets: true,
                ..Section::default()
            },
            Section {
                heading: "Who the API server takes the bearer to be".to_string(),
                lines: identity_lines,
                bullets: true,
                ..Section::default()
            },
            findings_section(&report.findings),
            Section {
                heading: "Times".to_string(),
                table: table(
                    &["", "claim", "UTC", "from the report's time"],
                    report
                        .times
                        .iter()
                        .map(|t| row(&[t.label, t.claim, &t.iso, &t.relative]))
                        .collect(),
                ),
                ..Section::default()
            },
            Section {
                heading: "Header".to_string(),
                table: table(&["field", "value", "meaning"], rows(&report.header)),
                ..Section::default()
            },
            Section {
                heading: "Claims".to_string(),
                table: table(&["claim", "value", "meaning"], rows(&report.claims)),
                ..Section::default()
            },
            Section {
                heading: "Token".to_string(),
                code: Some(token.clone()),
                ..Section::default()
            },
        ],
    };
    let json = serde_json::json!({
        "report": "inspect",
        "redacted": redact,
        "now": now,
        "kind": {"text": report.kind.text, "detail": report.kind.detail},
        "status": {"text": report.status.text, "level": report.status.level.word()},
        "lifetime": report.lifetime,
        "identity": report.identity.as_ref().map(|id| serde_json::json!({
            "username": id.username,
            "uid": id.uid,
            "groups": id.groups,
            "extra": id.extra.iter().map(|(k, v)| serde_json::json!({"key": k, "value": v})).collect::<Vec<_>>(),
        })),
        "findings": findings_json(&report.findings),
        "times": report.times.iter().map(|t| serde_json::json!({
            "label": t.label, "claim": t.claim, "iso": t.iso, "relative": t.relative,
        })).collect::<Vec<_>>(),
        "header": rows_json(&report.header),
        "claims": rows_json(&report.claims),
        "token": token,
    });
    finish(doc, json, redact)
}

fn findings_section(findings: &[explain::Finding]) -> Section {
    Section {
        heading: "Findings".to_string(),
        lines: findings
            .iter()
            .map(|f| format!("{}: {}. {}", f.level.word(), f.title, f.why))
            .collect(),
        bullets: true,
        ..Section::default()
    }
}

fn findings_json(findings: &[explain::Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| serde_json::json!({"level": f.level.word(), "title": f.title, "why": f.why}))
        .collect()
}

/// The diagnosis of a pasted API server error: what was refused, why, and the steps and
/// commands that fix it, with the paste itself.
pub fn troubleshoot(pasted: &str, redact: bool) -> Export {
    let diagnosis = troubleshoot::read(pasted);
    let guide = troubleshoot::guide(&diagnosis);
    let (kind, facts): (&str, Vec<(&str, String)>) = match &diagnosis {
        Diagnosis::Forbidden(f) => {
            let mut facts = vec![
                ("user", f.user.clone()),
                ("verb", f.verb.clone()),
                ("resource", f.resource.clone()),
                ("API group", f.group.clone()),
            ];
            facts.extend(f.subresource.clone().map(|s| ("subresource", s)));
            facts.extend(f.namespace.clone().map(|s| ("namespace", s)));
            facts.extend(f.name.clone().map(|s| ("name", s)));
            facts.extend(f.path.clone().map(|s| ("path", s)));
            facts.extend(f.reason.clone().map(|s| ("reason", s)));
            ("forbidden (403)", facts)
        }
        Diagnosis::Unauthorized(u) => ("unauthorized (401)", vec![("message", u.message.clone())]),
        Diagnosis::CertificateNotTrusted(c) => (
            "certificate not trusted",
            vec![("detail", c.detail().to_string())],
        ),
        Diagnosis::EmptyResourceName(e) => {
            let mut facts = Vec::new();
            facts.extend(e.account.clone().map(|s| ("service account", s)));
            facts.extend(e.namespace.clone().map(|s| ("namespace", s)));
            ("empty resource name", facts)
        }
        Diagnosis::NotRecognised(_) => ("not recognised", Vec::new()),
        // The other kinds are reported as the page shows them: the title and the parts read.
        Diagnosis::Escalation(_)
        | Diagnosis::CredentialRefused(_)
        | Diagnosis::KubeletUnauthorized(_)
        | Diagnosis::PyJwt(_) => (diagnosis.title(), diagnosis.parts()),
    };
    let mut sections = vec![
        Section {
            heading: "What was refused".to_string(),
            lines: std::iter::once(format!("Error: {kind}"))
                .chain(facts.iter().map(|(k, v)| format!("{k}: {v}")))
                .collect(),
            bullets: true,
            ..Section::default()
        },
        Section {
            heading: "Why".to_string(),
            lines: vec![guide.cause.clone()],
            ..Section::default()
        },
        Section {
            heading: "Steps".to_string(),
            lines: guide.steps.clone(),
            bullets: true,
            ..Section::default()
        },
    ];
    if !guide.commands.is_empty() {
        sections.push(Section {
            heading: "Commands".to_string(),
            code: Some(guide.commands.join("\n")),
            ..Section::default()
        });
    }
    if let Some(yaml) = &guide.yaml {
        sections.push(Section {
            heading: "Manifest".to_string(),
            code: Some(yaml.clone()),
            ..Section::default()
        });
    }
    sections.push(Section {
        heading: "The error as pasted".to_string(),
        code: Some(pasted.to_string()),
        ..Section::default()
    });
    let json = serde_json::json!({
        "report": "troubleshoot",
        "redacted": redact,
        "error": kind,
        "facts": facts.iter().map(|(k, v)| serde_json::json!({"name": k, "value": v})).collect::<Vec<_>>(),
        "cause": guide.cause,
        "steps": guide.steps,
        "commands": guide.commands,
        "yaml": guide.yaml,
        "pasted": pasted,
    });
    let doc = Doc {
        title: "Tokenscope: API server error".to_string(),
        sections,
    };
    finish(doc, json, redact)
}

/// `text` with every token (raw or base64), uid and credential id in it masked: what a
/// redacted report shows of text that was pasted or quotes a paste.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.is_empty() {
            return;
        }
        let jwt_like = run.contains("eyJ") && run.split('.').count() >= 3 && run.len() >= 30;
        let base64_jwt = run.contains("ZXlK") && run.len() >= 40;
        if jwt_like {
            out.push_str(&redact::token(run));
        } else if base64_jwt {
            out.push_str(&redact::mask(run));
        } else if let Some(value) = run.strip_prefix("JTI=").filter(|v| v.len() >= 8) {
            out.push_str("JTI=");
            out.push_str(&redact::mask(value));
        } else {
            out.push_str(&masked_uuids(run));
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '=') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `run` with each 8-4-4-4-12 hex uid in it masked.
fn masked_uuids(run: &str) -> String {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = run.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let mut copied = 0;
    while i + 36 <= bytes.len() {
        let candidate = run.get(i..i + 36).unwrap_or_default();
        let parts: Vec<usize> = candidate.split('-').map(str::len).collect();
        let hex = candidate.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        let starts = i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_hexdigit);
        let ends = !bytes.get(i + 36).is_some_and(u8::is_ascii_hexdigit);
        if hex && parts == SHAPE && starts && ends {
            out.push_str(run.get(copied..i).unwrap_or_default());
            out.push_str(&redact::mask(candidate));
            i += 36;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(run.get(copied..).unwrap_or_default());
    out
}
