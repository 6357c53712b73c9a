//! The legacy token audit: dumps of Secrets read into rows, every label state, the cleaner's
//! dates at their boundaries, the CSV and the migration plan.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::common;

use serde_json::{json, Value};
use tokenscope::audit::cleanup::{DAY, DEFAULT_PERIOD_DAYS};
use tokenscope::audit::{
    self, csv, plan, script, Audit, AuditError, Date, Label, Options, Origin, Row, Skip, Token,
    MAX_BYTES,
};
use tokenscope::formats::dump_stream::DumpError;
use tokenscope::formats::yaml::YamlError;
use tokenscope::support::finding::Level;
use tokenscope::support::time::days_from_civil;

/// Midnight UTC of a calendar day.
fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY
}

fn legacy_token(ns: &str, sa: &str, secret: &str) -> String {
    common::mint_rs256(&json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": ns,
        "kubernetes.io/serviceaccount/secret.name": secret,
        "kubernetes.io/serviceaccount/service-account.name": sa,
        "kubernetes.io/serviceaccount/service-account.uid": "6f2a0c1e-0000-4000-8000-000000000001",
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    }))
}

/// A token Secret as `kubectl get secrets -o json` writes it, with `labels` on it.
fn secret(ns: &str, name: &str, sa: &str, created: &str, labels: &[(&str, &str)]) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "annotations": {
                "kubernetes.io/service-account.name": sa,
                "kubernetes.io/service-account.uid": "6f2a0c1e-0000-4000-8000-000000000001",
            },
            "creationTimestamp": created,
            "labels": labels,
            "name": name,
            "namespace": ns,
        },
        "data": {
            "ca.crt": common::b64std(b"-----BEGIN CERTIFICATE-----\n"),
            "namespace": common::b64std(ns.as_bytes()),
            "token": common::b64std(legacy_token(ns, sa, name).as_bytes()),
        },
        "type": "kubernetes.io/service-account-token",
    })
}

fn list(items: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({"apiVersion": "v1", "kind": "List", "items": items}))
        .unwrap()
}

fn one(item: Value, now: i64) -> Row {
    let audit = audit::read(&list(vec![item]), now).unwrap();
    assert_eq!(audit.rows.len(), 1);
    audit.rows.into_iter().next().unwrap()
}

fn titles(row: &Row) -> Vec<&'static str> {
    row.flag_titles()
}

const NOW: i64 = 1_795_416_846; // 2026-11-23T06:54:06Z

#[test]
fn a_filtered_json_list_becomes_one_row_per_token_secret() {
    let dump = list(vec![
        secret(
            "default",
            "default-token-x7k2p",
            "default",
            "2021-03-01T10:00:00Z",
            &[("kubernetes.io/legacy-token-last-used", "2026-11-20")],
        ),
        secret("ci", "deployer", "deployer", "2023-05-05T05:05:05Z", &[]),
    ]);
    let audit = audit::read(&dump, NOW).unwrap();
    let [first, second] = &audit.rows[..] else {
        panic!("two rows")
    };
    assert_eq!(
        (
            first.namespace.as_str(),
            first.service_account.as_str(),
            first.name.as_str()
        ),
        ("default", "default", "default-token-x7k2p")
    );
    assert_eq!(first.created, Some(day(2021, 3, 1) + 10 * 3600));
    assert_eq!(first.origin, Origin::ControllerName);
    assert_eq!(
        first.last_used,
        Label::Date(Date(days_from_civil(2026, 11, 20)))
    );
    assert_eq!(first.kid(), Some("test-kid"));
    assert_eq!(first.issuer(), Some("kubernetes/serviceaccount"));
    assert_eq!(
        titles(first),
        ["The default service account", "Used in the last 30 days"]
    );
    assert_eq!(second.origin, Origin::OtherName);
    assert_eq!(second.cleanup.skip, Some(Skip::NotListed));
    assert_eq!(titles(second), ["Never used"]);
    assert_eq!(audit.summary.tokens, 2);
    assert_eq!(audit.summary.never_used, 1);
    assert_eq!(audit.summary.recently_used, 1);
    assert_eq!(audit.other_secrets, 0);
}

#[test]
fn an_unfiltered_dump_counts_only_token_secrets() {
    let mut items = vec![secret(
        "a",
        "a-token-bcdfg",
        "a",
        "2020-01-01T00:00:00Z",
        &[],
    )];
    for i in 0..3 {
        items.push(json!({"kind": "Secret", "type": "Opaque", "metadata": {"name": format!("s{i}"), "namespace": "a"}, "data": {"token": "bm90IGEgand0"}}));
    }
    items.push(json!({"kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "metadata": {"name": "pull"}}));
    let audit = audit::read(&list(items), NOW).unwrap();
    assert_eq!(audit.rows.len(), 1);
    assert_eq!(audit.other_secrets, 4);
}

#[test]
fn the_apis_own_secret_list_leaves_out_each_items_kind() {
    let mut item = secret("a", "a-token-bcdfg", "a", "2020-01-01T00:00:00Z", &[]);
    item.as_object_mut().unwrap().remove("kind");
    let dump = json!({"kind": "SecretList", "apiVersion": "v1", "items": [item]}).to_string();
    assert_eq!(audit::read(&dump, NOW).unwrap().rows.len(), 1);
}

/// A real Secret made by the token controller and its ServiceAccount (argo-cd's test data).
fn argocd(service_account: &str) -> String {
    format!(
        "{}\n---\n{}",
        service_account.trim_end(),
        common::vector("real/secrets/argocd-manager-sa-token.secret.yaml")
    )
}

#[test]
fn a_real_secret_and_its_service_account_as_yaml() {
    let sa = common::vector("real/secrets/argocd-manager-sa.serviceaccount.yaml");
    let audit = audit::read(&argocd(&sa), NOW).unwrap();
    assert_eq!(audit.service_accounts, 1);
    let row = &audit.rows[0];
    assert_eq!(
        (
            row.namespace.as_str(),
            row.service_account.as_str(),
            row.name.as_str()
        ),
        (
            "kube-system",
            "argocd-manager",
            "argocd-manager-token-tj79r"
        )
    );
    assert_eq!(row.origin, Origin::Listed);
    assert_eq!(
        row.created,
        Some(day(2019, 6, 13) + 4 * 3600 + 30 * 60 + 24)
    );
    assert_eq!(row.kid(), Some(""));
    assert_eq!(row.issuer(), Some("kubernetes/serviceaccount"));
    assert_eq!(titles(row), ["In kube-system", "Never used"]);
    // Created in 2019, never used: due a year after creation, long past, so something stops
    // the cleaner (a pod mounting it, or a cluster older than 1.29).
    assert_eq!(
        row.cleanup.marks,
        Some(day(2019, 6, 13) + 16_224 + 365 * DAY + 1)
    );
    assert!(row.cleanup.overdue);
    assert_eq!(
        row.cleanup.deletes,
        Some(Date::of(NOW).start() + DAY + 365 * DAY)
    );

    // The same account without the Secret in `secrets`: someone made it, the cleaner skips it.
    let unlisted = sa.replace("- name: argocd-manager-token-tj79r", "- name: another");
    let row = &audit::read(&argocd(&unlisted), NOW).unwrap().rows[0];
    assert_eq!(row.origin, Origin::Unlisted);
    assert_eq!(row.cleanup.skip, Some(Skip::NotListed));
    // An account of the same name with another uid was recreated: the Secret is not its.
    let recreated = sa.replace("uid: 91dd37cf", "uid: 00000000");
    assert_eq!(
        audit::read(&argocd(&recreated), NOW).unwrap().rows[0].origin,
        Origin::Unlisted
    );

    // The Secret alone: the controller's naming decides.
    let alone = common::vector("real/secrets/argocd-manager-sa-token.secret.yaml");
    assert_eq!(
        audit::read(&alone, NOW).unwrap().rows[0].origin,
        Origin::ControllerName
    );
}

#[test]
fn a_real_gke_legacy_token_gives_its_kid_and_issuer() {
    let token = common::token("real/tokens/legacy/istio-gke-legacy-kid-empty.jwt");
    let mut item = secret(
        "foo",
        "httpbin-token-xqdgp",
        "httpbin",
        "2020-04-04T00:00:00Z",
        &[],
    );
    item["data"]["token"] = Value::from(common::b64std(token.as_bytes()));
    let row = one(item, NOW);
    assert_eq!(row.origin, Origin::ControllerName);
    assert_eq!(
        row.token,
        Token::Decoded {
            kid: Some(String::new()),
            issuer: Some("kubernetes/serviceaccount".into())
        }
    );
}

#[test]
fn every_last_used_state() {
    let created = "2020-01-01T00:00:00Z";
    let with = |value: Option<&str>| {
        let labels: Vec<(&str, &str)> = value
            .map(|v| ("kubernetes.io/legacy-token-last-used", v))
            .into_iter()
            .collect();
        one(secret("a", "a-token-bcdfg", "a", created, &labels), NOW)
    };
    let absent = with(None);
    assert_eq!(absent.last_used, Label::Absent);
    assert!(titles(&absent).contains(&"Never used"));
    assert_eq!(absent.cleanup.skip, None);

    let recent = with(Some("2026-11-01"));
    assert_eq!(
        recent.last_used.date(),
        Some(Date(days_from_civil(2026, 11, 1)))
    );
    assert!(titles(&recent).contains(&"Used in the last 30 days"));
    assert_eq!(recent.cleanup.marks, Some(day(2027, 11, 2)));

    let old = with(Some("2025-01-31"));
    assert!(!titles(&old)
        .iter()
        .any(|t| t.starts_with("Used") || t.starts_with("Never")));

    for malformed in [
        "",
        "yesterday",
        "2025-02-30",
        "2025-2-3",
        "2025-02-03T00:00:00Z",
    ] {
        let row = with(Some(malformed));
        assert_eq!(row.last_used, Label::Malformed(malformed.to_string()));
        assert!(
            titles(&row).contains(&"Last-used label is not a date"),
            "{malformed}"
        );
        assert_eq!(row.cleanup.skip, Some(Skip::UnreadableLastUsed));
        assert_eq!(row.cleanup.marks, None);
    }
}

#[test]
fn every_invalid_since_state() {
    let with = |value: Option<&str>| {
        let mut labels = vec![("kubernetes.io/legacy-token-last-used", "2025-05-01")];
        labels.extend(value.map(|v| ("kubernetes.io/legacy-token-invalid-since", v)));
        one(
            secret("a", "a-token-bcdfg", "a", "2020-01-01T00:00:00Z", &labels),
            day(2025, 7, 1),
        )
    };
    let absent = with(None);
    assert!(!absent.refused());
    assert_eq!(absent.cleanup.marks, Some(day(2026, 5, 2)));
    assert_eq!(absent.cleanup.deletes, Some(day(2027, 5, 3)));

    // Marked: no mark to come; deleted a period after the later of the two dates.
    let marked = with(Some("2025-06-01"));
    assert!(marked.refused());
    assert!(titles(&marked).contains(&"Marked invalid"));
    assert_eq!(marked.cleanup.marks, None);
    assert_eq!(marked.cleanup.deletes, Some(day(2026, 6, 2)));
    let marked_before_use = with(Some("2025-04-01"));
    assert_eq!(marked_before_use.cleanup.deletes, Some(day(2026, 5, 2)));

    // Not a date: the API server still refuses the token (any non-empty value), and the
    // cleaner labels it again as if unmarked.
    let garbage = with(Some("soon"));
    assert_eq!(garbage.invalid_since, Label::Malformed("soon".into()));
    assert!(garbage.refused());
    assert_eq!(garbage.cleanup.marks, absent.cleanup.marks);
    let empty = with(Some(""));
    assert!(!empty.refused());
    assert!(!titles(&empty).contains(&"Marked invalid"));
}

#[test]
fn clean_up_dates_at_their_boundaries() {
    let never_used = |created: &str, options: &Options, now: i64| {
        let mut audit = audit::read(
            &list(vec![secret("a", "a-token-bcdfg", "a", created, &[])]),
            now,
        )
        .unwrap();
        audit.reproject(options, now);
        audit.rows[0].cleanup
    };
    let default = Options::default();
    assert_eq!(default.period, i64::from(DEFAULT_PERIOD_DAYS) * DAY);
    // Created at midnight on 2024-01-01 (a leap year): "created before now - period" first
    // holds one second after 365 days, on 2024-12-31; the label is that day's, so deletion is
    // a period after the day that follows it.
    let cleanup = never_used("2024-01-01T00:00:00Z", &default, day(2024, 6, 1));
    assert_eq!(cleanup.marks, Some(day(2024, 12, 31) + 1));
    assert_eq!(cleanup.deletes, Some(day(2026, 1, 1)));
    assert!(!cleanup.overdue);
    // Two seconds before midnight: due one second before midnight, so marked with the day
    // before's date, and deleted a day earlier.
    let cleanup = never_used("2023-12-31T23:59:58Z", &default, day(2024, 6, 1));
    assert_eq!(cleanup.marks, Some(day(2024, 12, 31) - 1));
    assert_eq!(cleanup.deletes, Some(day(2025, 12, 31)));
    // The period is editable.
    let cleanup = never_used("2024-01-01T00:00:00Z", &Options::days(30), day(2024, 1, 2));
    assert_eq!(cleanup.marks, Some(day(2024, 1, 31) + 1));
    assert_eq!(cleanup.deletes, Some(day(2024, 3, 2)));
    // Tracking that began later holds everything back: the day after `since`, plus the period.
    let tracked = Options {
        tracked_since: Some(Date::parse("2024-09-01").unwrap()),
        ..default
    };
    let cleanup = never_used("2024-01-01T00:00:00Z", &tracked, day(2024, 6, 1));
    assert_eq!(cleanup.marks, Some(day(2025, 9, 2)));
    // Overdue: due more than a day ago and still unmarked; the next run marks it at the earliest.
    let late = day(2025, 3, 1) + 3600;
    let cleanup = never_used("2024-01-01T00:00:00Z", &default, late);
    assert!(cleanup.overdue);
    assert_eq!(cleanup.deletes, Some(day(2025, 3, 2) + 365 * DAY));
    // Exactly one day after it was due is overdue; a second less is not.
    let due = day(2024, 12, 31) + 1;
    assert!(never_used("2024-01-01T00:00:00Z", &default, due + DAY).overdue);
    assert!(!never_used("2024-01-01T00:00:00Z", &default, due + DAY - 1).overdue);
}

#[test]
fn the_last_used_date_counts_from_the_next_midnight() {
    // The controller keeps a token while last-used >= (now - period) as a date: used on
    // 2025-03-10, it is kept until the period has run from 2025-03-11T00:00:00Z.
    let row = one(
        secret(
            "a",
            "a-token-bcdfg",
            "a",
            "2020-01-01T00:00:00Z",
            &[("kubernetes.io/legacy-token-last-used", "2025-03-10")],
        ),
        day(2025, 4, 1),
    );
    assert_eq!(row.cleanup.marks, Some(day(2026, 3, 11)));
}

#[test]
fn the_tracking_config_map_in_the_paste_counts() {
    let config_map = json!({"kind": "ConfigMap", "metadata": {"name": "kube-apiserver-legacy-service-account-token-tracking", "namespace": "kube-system"}, "data": {"since": "2024-09-01"}});
    let audit = audit::read(
        &list(vec![
            config_map,
            secret("a", "a-token-bcdfg", "a", "2020-01-01T00:00:00Z", &[]),
        ]),
        day(2024, 10, 1),
    )
    .unwrap();
    assert_eq!(audit.tracked_since, Date::parse("2024-09-01"));
    assert_eq!(audit.rows[0].cleanup.marks, Some(day(2025, 9, 2)));
}

#[test]
fn recent_use_is_thirty_days_or_fewer() {
    let used = |date: &str| {
        let labels = [("kubernetes.io/legacy-token-last-used", date)];
        titles(&one(
            secret("a", "a", "a", "2020-01-01T00:00:00Z", &labels),
            day(2026, 3, 31) + 7200,
        ))
        .contains(&"Used in the last 30 days")
    };
    assert!(used("2026-03-01")); // 30 days before
    assert!(!used("2026-02-28")); // 31 days before
    assert!(used("2026-04-01")); // the API server may write tomorrow's date near midnight
}

#[test]
fn labels_read_dates_as_go_does() {
    assert_eq!(
        Date::parse("2024-02-29"),
        Some(Date(days_from_civil(2024, 2, 29)))
    );
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
        "24-01-01",
        "2024-01-01 ",
        "２０２４-01-01",
    ] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    assert_eq!(Date::parse("2026-11-23").unwrap().to_string(), "2026-11-23");
}

#[test]
fn broken_and_missing_tokens_are_flagged_without_their_text() {
    let mut not_base64 = secret("a", "a", "a", "2020-01-01T00:00:00Z", &[]);
    not_base64["data"]["token"] = Value::from("abc$def");
    let mut not_jwt = secret("a", "b", "a", "2020-01-01T00:00:00Z", &[]);
    not_jwt["data"]["token"] = Value::from(common::b64std(b"hello there"));
    let mut missing = secret("a", "c", "a", "2020-01-01T00:00:00Z", &[]);
    missing["data"].as_object_mut().unwrap().remove("token");
    let audit = audit::read(&list(vec![not_base64, not_jwt, missing]), NOW).unwrap();
    let [a, b, c] = &audit.rows[..] else { panic!() };
    assert!(matches!(&a.token, Token::Broken(why) if why.contains("not valid base64")));
    assert!(matches!(&b.token, Token::Broken(why) if why.contains("not to a JWT")));
    assert_eq!(c.token, Token::Missing);
    let broken = a
        .flags()
        .into_iter()
        .find(|f| f.title == "data.token does not decode")
        .unwrap();
    assert_eq!(broken.level, Level::Warning);
    assert!(titles(c).contains(&"No token in it"));
    assert_eq!(audit.summary.broken, 2);
}

/// A row flagged for every point it can be at once lists the warnings first, each once, in
/// the order a reviewer reads them, then the notes; and it keeps them in a byte, not as text.
#[test]
fn flags_are_listed_most_serious_first_and_kept_as_bits() {
    let mut item = secret(
        "kube-system",
        "default-token-abcde",
        "default",
        "2020-01-01T00:00:00Z",
        &[
            (audit::LAST_USED_LABEL, "yesterday"),
            (audit::INVALID_SINCE_LABEL, "2026-01-01"),
        ],
    );
    item["data"]["token"] = json!("bm90IGEgand0");
    let row = one(item, NOW);
    assert_eq!(
        titles(&row),
        [
            "The default service account",
            "In kube-system",
            "Last-used label is not a date",
            "data.token does not decode",
            "Marked invalid",
        ]
    );
    let written: Vec<String> = row.flags().into_iter().map(|f| f.title).collect();
    assert_eq!(written, titles(&row));
    assert!(row.flags().iter().all(|f| !f.why.is_empty()));
    let levels: Vec<Level> = row.flags().iter().map(|f| f.level).collect();
    assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
    assert_eq!(std::mem::size_of::<tokenscope::audit::Flags>(), 1);
}

#[test]
fn what_is_not_a_dump_of_secrets_says_so() {
    assert_eq!(audit::read("  \n", NOW), Err(AuditError::Empty));
    let huge = " ".repeat(MAX_BYTES + 1);
    assert!(matches!(
        audit::read(&huge, NOW),
        Err(AuditError::TooLarge { .. })
    ));
    let pods =
        json!({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}}]}).to_string();
    assert_eq!(
        audit::read(&pods, NOW),
        Err(AuditError::NoSecrets {
            kind: Some("Pod".into())
        })
    );
    let kubeconfig = common::vector("real/kubeconfig/kubeadm-admin-conf-bradshaw.yaml");
    assert_eq!(
        audit::read(&kubeconfig, NOW),
        Err(AuditError::NoSecrets {
            kind: Some("Config".into())
        })
    );
    // A paste is read as a file is: cut short, it says where.
    assert_eq!(
        audit::read("{\"items\": [", NOW),
        Err(AuditError::Dump(DumpError::Truncated { line: 1 }))
    );
    assert!(matches!(
        audit::read("a: [b", NOW),
        Err(AuditError::Yaml(YamlError::Parse { .. }))
    ));
    // A YAML error on Audit asks for the Secrets, not for a token's Secret or a kubeconfig.
    let said = audit::read("a: [b", NOW).unwrap_err().to_string();
    assert!(said.contains("kubectl get secrets -A"), "{said}");
    assert!(!said.contains("kubeconfig"), "{said}");
    // An empty list is a cluster without token Secrets, not a mistake.
    let empty: Audit = audit::read(&list(Vec::new()), NOW).unwrap();
    assert!(empty.rows.is_empty());
    for error in [AuditError::Empty, AuditError::NoSecrets { kind: None }] {
        assert!(error.to_string().contains("kubectl get secrets"), "{error}");
    }
    let too_large = AuditError::TooLarge {
        bytes: MAX_BYTES + 1,
        limit: MAX_BYTES,
    };
    assert!(too_large
        .to_string()
        .contains("33 MiB; the audit reads up to 32 MiB"));
}

/// Reads a CSV back as RFC 4180 says: fields in double quotes may hold commas, CRLF and
/// doubled quotes; records end with CRLF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CR without LF"),
            (false, c) if c != '\n' => field.push(c),
            (false, _) => panic!("LF without CR"),
        }
        if !quoted && c == '\r' {
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
        }
    }
    assert!(
        record.is_empty() && field.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

#[test]
fn the_csv_quotes_names_and_holds_no_token() {
    let item = secret(
        "team,a",
        "say \"hi\"\nthere",
        "=cmd|' /C calc'!A0",
        "2020-01-01T00:00:00Z",
        &[("kubernetes.io/legacy-token-last-used", "2026-11-20")],
    );
    let token = legacy_token("team,a", "=cmd|' /C calc'!A0", "say \"hi\"\nthere");
    let mut audit = audit::read(
        &list(vec![
            item,
            secret("b", "b-token-bcdfg", "b", "2020-01-01T00:00:00Z", &[]),
        ]),
        NOW,
    )
    .unwrap();
    audit.rows[1].token = Token::Decoded {
        kid: Some("-Xb3_kid".into()),
        issuer: Some("kubernetes/serviceaccount".into()),
    };
    let text = csv(&audit.rows, &|s: &str| s.to_string());
    let records = parse_csv(&text);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0][..3], ["namespace", "service account", "secret"]);
    assert!(records.iter().all(|r| r.len() == 13));
    assert_eq!(records[1][0], "team,a");
    assert_eq!(records[1][1], "'=cmd|' /C calc'!A0");
    assert_eq!(records[1][2], "say \"hi\"\nthere");
    assert_eq!(records[1][5], "2026-11-20");
    assert_eq!(records[1][10], "test-kid");
    assert_eq!(records[1][11], "kubernetes/serviceaccount");
    assert_eq!(records[1][12], "Used in the last 30 days");
    assert_eq!(records[2][10], "-Xb3_kid");
    assert_eq!(records[2][3], "2020-01-01T00:00:00Z");
    // No token, in any form it had in the dump.
    for form in [
        token.clone(),
        common::b64std(token.as_bytes()),
        token.split('.').nth(1).unwrap().to_string(),
    ] {
        assert!(!text.contains(&form[..40]));
    }
    // Redacted names stay redacted, and no name escapes through another column.
    let masked = csv(&audit.rows, &tokenscope::redact::mask);
    let records = parse_csv(&masked);
    assert_eq!(records[1][0], tokenscope::redact::mask("team,a"));
    assert_eq!(
        records[2][..3],
        [
            tokenscope::redact::mask("b"),
            tokenscope::redact::mask("b"),
            tokenscope::redact::mask("b-token-bcdfg")
        ]
    );
    for name in ["team,a", "there", "calc", "b-token-bcdfg"] {
        assert!(!masked.contains(name), "{name}");
    }
}

#[test]
fn a_row_keeps_no_token() {
    let item = secret("a", "a-token-bcdfg", "a", "2020-01-01T00:00:00Z", &[]);
    let token = legacy_token("a", "a", "a-token-bcdfg");
    let audit = audit::read(&list(vec![item]), NOW).unwrap();
    let debug = format!("{audit:?}");
    assert!(!debug.contains(token.split('.').nth(1).unwrap()));
    assert!(!debug.contains(&common::b64std(token.as_bytes())[..40]));
}

#[test]
fn the_plan_replaces_then_labels_then_deletes() {
    let audit = audit::read(
        &list(vec![
            secret("prod", "ci-token-bcdfg", "ci", "2020-01-01T00:00:00Z", &[]),
            secret("b", "x\nrm -rf ~", "b", "2020-01-01T00:00:00Z", &[]),
        ]),
        NOW,
    )
    .unwrap();
    let rows: Vec<&Row> = audit.rows.iter().collect();
    let steps = plan(&rows, NOW);
    assert_eq!(
        steps[0].create_token,
        "kubectl create token ci --namespace prod --duration 1h"
    );
    assert_eq!(steps[0].invalidate.lines().next().unwrap(), "kubectl label secret ci-token-bcdfg --namespace prod kubernetes.io/legacy-token-invalid-since=2026-11-23");
    assert_eq!(steps[0].undo, "kubectl label secret ci-token-bcdfg --namespace prod kubernetes.io/legacy-token-invalid-since-");
    assert_eq!(
        steps[0].delete,
        "kubectl delete secret ci-token-bcdfg --namespace prod"
    );
    assert!(steps[0].projected_volume.contains("serviceAccountName: ci"));
    assert!(steps[0]
        .projected_volume
        .contains("expirationSeconds: 3600"));
    // Beside the token, the CA and the namespace the Secret's volume also held.
    assert!(steps[0].projected_volume.contains("name: kube-root-ca.crt"));
    assert!(steps[0]
        .projected_volume
        .contains("fieldPath: metadata.namespace"));
    // A name with a line break is no Secret's name: its steps are refused, saying why, and
    // the title quotes it as one word, so it cannot end the comment it stands in.
    assert!(steps[1]
        .delete
        .starts_with("# Not written: the Secret name is not a valid"));
    assert!(
        steps[1].delete.contains("'\\n' (U+000A) at character 2"),
        "{}",
        steps[1].delete
    );
    assert!(steps[1].title.contains("$'x\\012rm -rf ~'"));
    let whole = script(&steps);
    assert!(
        whole
            .lines()
            .all(|l| l.starts_with('#') || l.starts_with("kubectl") || l.is_empty()),
        "{whole}"
    );
    let (label, delete) = (
        whole.find("invalid-since=").unwrap(),
        whole.find("kubectl delete").unwrap(),
    );
    assert!(whole.find("create token").unwrap() < label && label < delete);
}

/// With Redact on, the page shows the plan with masked names but copies the real one: a script
/// of masked names would act on no Secret. Both refuse the same rows.
#[test]
fn the_plan_is_shown_masked_and_copied_real() {
    let audit = audit::read(
        &list(vec![
            secret("prod", "ci-token-bcdfg", "ci", "2020-01-01T00:00:00Z", &[]),
            secret("prod", "--all", "ci", "2020-01-01T00:00:00Z", &[]),
        ]),
        NOW,
    )
    .unwrap();
    let rows: Vec<&Row> = audit.rows.iter().collect();
    let real = script(&plan(&rows, NOW));
    let shown = script(&audit::plan_shown(&rows, NOW, &tokenscope::redact::mask));
    assert!(real.contains("kubectl delete secret ci-token-bcdfg --namespace prod"));
    assert!(!shown.contains("ci-token-bcdfg"), "{shown}");
    assert!(shown.contains("kubectl delete secret 'ci-t••••••••' --namespace 'prod••••••••'"));
    for text in [&real, &shown] {
        assert!(!text.contains("delete secret --all"), "{text}");
        assert_eq!(text.matches("# Not written").count(), 4, "{text}");
    }
}

/// A dump of `count` token Secrets as kubectl writes it, each the size of a real one (a CA
/// certificate and a token), built by hand: serde_json is what is measured, not what builds.
fn big_dump(count: usize) -> String {
    let ca = common::b64std(&[b'x'; 1100]);
    let token = common::b64std(legacy_token("team", "builder", "builder-token-bcdfg").as_bytes());
    let mut out = String::from("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n");
    for i in 0..count {
        if i > 0 {
            out.push_str(",\n");
        }
        let label = if i % 3 == 0 {
            String::new()
        } else {
            format!(
                ",\"labels\":{{\"kubernetes.io/legacy-token-last-used\":\"2026-{:02}-15\"}}",
                i % 12 + 1
            )
        };
        out.push_str(&format!(
            "{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"annotations\":{{\"kubernetes.io/service-account.name\":\"builder\",\"kubernetes.io/service-account.uid\":\"6f2a0c1e-0000-4000-8000-{i:012}\"}},\"creationTimestamp\":\"2021-01-01T00:00:00Z\",\"name\":\"builder-token-{i}\",\"namespace\":\"team-{}\",\"resourceVersion\":\"{i}\",\"uid\":\"0000-{i}\"{label}}},\"data\":{{\"ca.crt\":\"{ca}\",\"namespace\":\"dGVhbQ==\",\"token\":\"{token}\"}},\"type\":\"kubernetes.io/service-account-token\"}}",
            i % 50
        ));
    }
    out.push_str("\n]}\n");
    out
}

#[test]
fn a_twenty_mib_dump_is_read_in_one_pass() {
    let per_secret = big_dump(1).len();
    let count = 20 * 1024 * 1024 / per_secret + 1;
    let dump = big_dump(count);
    assert!(dump.len() >= 20 * 1024 * 1024 && dump.len() <= MAX_BYTES);
    let audit = audit::read(&dump, NOW).unwrap();
    assert_eq!(audit.rows.len(), count);
    assert_eq!(audit.summary.never_used, count.div_ceil(3));
    assert!(audit.rows.iter().all(|r| r.kid() == Some("test-kid")));
}

#[test]
fn a_yaml_dump_of_a_thousand_secrets_is_read() {
    let items: Vec<Value> = (0..1000)
        .map(|i| {
            secret(
                "team",
                &format!("builder-token-{i}"),
                "builder",
                "2021-01-01T00:00:00Z",
                &[],
            )
        })
        .collect();
    let yaml = tokenscope::formats::yaml_write::document(
        &json!({"apiVersion": "v1", "kind": "List", "items": items}),
    );
    assert_eq!(audit::read(&yaml, NOW).unwrap().rows.len(), 1000);
}

#[test]
fn a_32_mib_yaml_dump_of_real_sized_secrets_fits_the_yaml_bounds() {
    // kubectl's YAML of token Secrets the size of real ones (a 1.1 KB CA, a token): the values
    // built per byte, times 32 MiB, stay under the YAML reader's cap on values, so a filtered
    // `-o yaml` dump is never refused for its size alone.
    let items: Vec<Value> = (0..200)
        .map(|i| {
            let mut item = secret(
                "team",
                &format!("builder-token-{i}"),
                "builder",
                "2021-01-01T00:00:00Z",
                &[("kubernetes.io/legacy-token-last-used", "2026-01-01")],
            );
            item["data"]["ca.crt"] = Value::from(common::b64std(&[b'x'; 1100]));
            item["metadata"]["uid"] = Value::from(format!("0d4a6f0e-1c2b-4e55-9a7b-{i:012}"));
            item["metadata"]["resourceVersion"] = Value::from(i.to_string());
            item
        })
        .collect();
    let yaml = tokenscope::formats::yaml_write::document(
        &json!({"apiVersion": "v1", "kind": "List", "items": items}),
    );
    let (docs, work) = tokenscope::formats::yaml::parse_documents_counted(&yaml);
    assert!(docs.is_ok());
    let nodes_at_limit = work.nodes as f64 / yaml.len() as f64 * MAX_BYTES as f64;
    assert!(
        nodes_at_limit < tokenscope::formats::yaml::MAX_NODES as f64,
        "{nodes_at_limit}"
    );
    assert!(work.bytes <= yaml.len() * tokenscope::formats::yaml::EXPANSION);
}

#[test]
fn each_token_gets_its_accounts_worst_grant_and_the_riskiest_sort_first() {
    let dump = list(vec![
        secret("dev", "app-token-bcdfg", "app", "2020-01-01T00:00:00Z", &[]),
        secret(
            "ci",
            "deployer-token-bcdfg",
            "deployer",
            "2020-01-01T00:00:00Z",
            &[],
        ),
        secret("dev", "app-token-xyz42", "app", "2020-01-01T00:00:00Z", &[]),
    ]);
    let audit = audit::read(&dump, NOW).unwrap();
    let rbac = json!({ "kind": "List", "items": [
        { "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
          "metadata": { "name": "secrets" },
          "rules": [{ "apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"] }] },
        { "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
          "metadata": { "name": "deployer", "namespace": "ci" },
          "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "secrets" },
          "subjects": [{ "kind": "ServiceAccount", "name": "deployer" }] },
    ]});
    let policy = tokenscope::access::parse(&rbac.to_string()).unwrap();
    let grants = audit::worst_grants(&audit.rows, &policy);
    assert_eq!(grants.skipped, 0);
    assert!(grants.worst[0].is_none() && grants.worst[2].is_none());
    let worst = grants.worst[1].as_ref().unwrap();
    assert_eq!(worst.level, Level::Danger, "{worst:?}");
    assert_eq!(audit::by_risk(&grants), [1, 0, 2]);
}
