//! The Access and Audit exports: what a subject may do, and the legacy token Secrets.

use serde_json::{json, Value};

use crate::access::{Access, Answer};
use crate::audit::Audit;
use crate::redact;
use crate::support::time::iso8601;

use super::{findings_json, findings_section, finish, row, table, Doc, Export, Section};

/// What the Access page shows, for its export.
#[derive(Clone, Copy, Debug)]
pub struct AccessReport<'a> {
    /// Who asks, as typed.
    pub subject: &'a str,
    /// The Can I question as typed (`list pods -n dev`) and its answer, when one was asked.
    pub question: Option<(&'a str, &'a Answer)>,
    /// What the subject can do.
    pub access: &'a Access,
}

/// The answer to the question, the effective rules scope by scope, and the risks.
pub fn access(report: &AccessReport<'_>, redact: bool) -> Export {
    let access = report.access;
    let mut sections = vec![Section {
        heading: "Subject".to_string(),
        lines: vec![report.subject.to_string()],
        ..Section::default()
    }];
    if let Some((question, answer)) = report.question {
        sections.push(Section {
            heading: format!("Can I {question}?"),
            lines: std::iter::once(answer.text.clone())
                .chain(answer.via.iter().map(|v| format!("Via {v}")))
                .chain(answer.hints.iter().cloned())
                .collect(),
            bullets: true,
            ..Section::default()
        });
    }
    for scope in &access.table {
        let heading = match &scope.namespace {
            None => "Effective rules everywhere (ClusterRoleBindings)".to_string(),
            Some(ns) => format!("Effective rules in namespace {ns}"),
        };
        sections.push(Section {
            heading,
            table: table(
                &[
                    "resource",
                    "non-resource URL",
                    "names",
                    "verbs",
                    "granted by",
                ],
                scope
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.resource.clone(),
                            r.non_resource_url.clone(),
                            r.resource_names.join(", "),
                            r.verbs.join(", "),
                            r.sources.join("; "),
                        ]
                    })
                    .collect(),
            ),
            ..Section::default()
        });
    }
    let mut risks = findings_section(&access.warnings);
    risks.heading = "Risks".to_string();
    sections.push(risks);
    let mut missing = findings_section(&access.missing_roles);
    missing.heading = "Bindings to missing roles".to_string();
    sections.push(missing);
    let json = json!({
        "report": "access",
        "redacted": redact,
        "subject": report.subject,
        "question": report.question.map(|(q, a)| json!({
            "question": q,
            "allowed": a.allowed,
            "answer": a.text,
            "via": a.via,
            "hints": a.hints,
        })),
        "effective": access.table.iter().map(|scope| json!({
            "namespace": scope.namespace,
            "rows": scope.rows.iter().map(|r| json!({
                "resource": r.resource,
                "nonResourceURL": r.non_resource_url,
                "resourceNames": r.resource_names,
                "verbs": r.verbs,
                "sources": r.sources,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "risks": findings_json(&access.warnings),
        "missingRoles": findings_json(&access.missing_roles),
    });
    let doc = Doc {
        title: "Tokenscope: access report".to_string(),
        sections,
    };
    finish(doc, json, redact)
}

/// The audit's summary and one row per token Secret; no token is in an audit, and with
/// `redact` on, names are masked as the page's Redact masks them.
pub fn audit(audit: &Audit, redact: bool) -> Export {
    let keep = |t: &str| t.to_string();
    let mask: &dyn Fn(&str) -> String = if redact { &redact::mask } else { &keep };
    let rows: Vec<_> = audit.rows.iter().map(|r| r.masked(mask)).collect();
    let time = |t: Option<i64>| t.map(iso8601).unwrap_or_default();
    let s = audit.summary;
    let summary = vec![
        format!("Token Secrets: {}", s.tokens),
        format!("Never used: {}", s.never_used),
        format!("Used recently: {}", s.recently_used),
        format!("Refused by the API server: {}", s.refused),
        format!("Broken: {}", s.broken),
    ];
    let doc = Doc {
        title: "Tokenscope: legacy token audit".to_string(),
        sections: vec![
            Section {
                heading: "Summary".to_string(),
                lines: summary,
                bullets: true,
                ..Section::default()
            },
            Section {
                heading: "Token Secrets".to_string(),
                table: table(
                    &[
                        "namespace",
                        "service account",
                        "secret",
                        "created",
                        "made by",
                        "last used",
                        "invalid since",
                        "kid",
                        "issuer",
                        "flags",
                    ],
                    rows.iter()
                        .map(|r| {
                            let flags = r.flag_titles();
                            let mut cells = row(&[&r.namespace, &r.service_account, &r.name]);
                            cells.extend([
                                time(r.created),
                                r.origin.words().to_string(),
                                r.last_used.text(),
                                r.invalid_since.text(),
                                r.kid().unwrap_or_default().to_string(),
                                r.issuer().unwrap_or_default().to_string(),
                                flags.join("; "),
                            ]);
                            cells
                        })
                        .collect(),
                ),
                ..Section::default()
            },
        ],
    };
    let json = json!({
        "report": "audit",
        "redacted": redact,
        "summary": {
            "tokens": s.tokens,
            "neverUsed": s.never_used,
            "recentlyUsed": s.recently_used,
            "refused": s.refused,
            "broken": s.broken,
        },
        "rows": rows.iter().map(|r| json!({
            "namespace": r.namespace,
            "serviceAccount": r.service_account,
            "secret": r.name,
            "created": r.created.map(iso8601),
            "madeBy": r.origin.words(),
            "lastUsed": r.last_used.text(),
            "invalidSince": r.invalid_since.text(),
            "kid": r.kid(),
            "issuer": r.issuer(),
            "flags": findings_json(&r.flags()),
        })).collect::<Vec<Value>>(),
    });
    finish(doc, json, redact)
}
