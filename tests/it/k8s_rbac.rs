//! Kubernetes' own RBAC test suites, translated into cases the evaluator must answer alike.
//!
//! The cases live in `tests/fixtures/k8s-rbac/*.cases`, one file per upstream test file, each
//! case naming the upstream test it comes from (the folder's README names the repository,
//! commit and paths, and explains every case where we answer differently). [`check`] reads a
//! file: objects build a pasted policy, read by [`parse`] as any paste is; check lines ask it.
//!
//! Objects (a `case` line starts a new policy; `paste FILE` adds the items of a `List` fixture
//! under `tests/fixtures/`):
//! - `clusterrole NAME [labels k=v,…] [select k=v,…;k=v,…]`, `role NS/NAME`, each followed by
//!   `rule VERBS | GROUPS | RESOURCES | URLS [| NAMES]` lines (fields split on commas as Go's
//!   `strings.Split` does, so an empty field is one empty string; `~` leaves the list out);
//! - `rolebinding NS/NAME Role|ClusterRole ROLE | SUBJECTS`,
//!   `clusterrolebinding NAME ROLE | SUBJECTS`, subjects as `User:a Group:b ServiceAccount:ns/n`.
//!
//! Checks (fields `-` for empty; `differs` before a check marks an upstream answer we do not
//! give, explained in the README, and it must still differ, so a change is noticed):
//! - `can yes|no USER GROUPS VERB GROUP RESOURCE[/SUB] NAMESPACE NAME` and
//!   `url yes|no USER GROUPS VERB PATH`: [`can_i`];
//! - `who VERB GROUP RESOURCE NAMESPACE NAME => SUBJECTS`: [`who_can`], the subjects as a set;
//! - `effective USER GROUPS NAMESPACE =>` then `rule` lines: the rules [`effective`] grants
//!   there, as a set;
//! - `rules CLUSTERROLE =>` then `rule` lines: an aggregated role's rules, in order;
//! - `covers yes|no OWNER SERVANT =>` then `rule` lines: the servant role's rules the owner's do
//!   not cover, checked request by request through [`can_i`] (`Covers` in Kubernetes);
//! - `applies yes|no USER GROUPS | SUBJECTS`: [`tokenscope::access::Binding::applies_to`];
//! - `request yes|no USER GROUPS | CHECK && CHECK || CHECK`: one HTTP request of the
//!   integration test and the authorizer checks the API server makes for it, each written as
//!   `VERB GROUP RESOURCE NAMESPACE NAME` or `covers ROLE NAMESPACE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use tokenscope::access::{
    can_i, effective, parse, who_can, Policy, Query, Subject, SubjectKind, PRIVILEGED_GROUP,
};
use tokenscope::k8s::risk::Rule;

/// What one file's checks came to.
#[derive(Default, Debug)]
struct Tally {
    /// Checks that agree with upstream.
    agree: usize,
    /// Checks that disagree without being marked.
    disagree: usize,
    /// Checks marked `differs` that do differ: `case: line`.
    differ: Vec<String>,
    /// Checks that disagree without being marked, or marked but agreeing: failures.
    wrong: Vec<String>,
}

/// The objects of one case, as JSON items of a `List`.
#[derive(Default)]
struct Objects {
    items: Vec<Value>,
}

impl Objects {
    fn policy(&self) -> Policy {
        let text = json!({"apiVersion": "v1", "kind": "List", "items": self.items}).to_string();
        parse(&text).unwrap()
    }

    /// The item a `rule` line adds to: the last role.
    fn last_rules(&mut self) -> &mut Vec<Value> {
        let last = self
            .items
            .last_mut()
            .expect("a rule line needs a role before it");
        last["rules"]
            .as_array_mut()
            .expect("a rule line follows a role")
    }
}

/// A Go-style comma list: `~` is no list at all.
fn list(field: &str) -> Option<Vec<String>> {
    let field = field.trim();
    (field != "~").then(|| field.split(',').map(str::to_string).collect())
}

/// `VERBS | GROUPS | RESOURCES | URLS [| NAMES]` as a PolicyRule's JSON.
fn rule_json(text: &str) -> Value {
    let fields: Vec<&str> = text.split('|').collect();
    let mut rule = Map::new();
    for (key, field) in [
        "verbs",
        "apiGroups",
        "resources",
        "nonResourceURLs",
        "resourceNames",
    ]
    .iter()
    .zip(fields)
    {
        if let Some(values) = list(field) {
            rule.insert(key.to_string(), json!(values));
        }
    }
    Value::Object(rule)
}

/// The same as our [`Rule`], for comparing sets and lists of rules.
fn rule_of(text: &str) -> Rule {
    let v = rule_json(text);
    let get = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    Rule {
        api_groups: get("apiGroups"),
        resources: get("resources"),
        verbs: get("verbs"),
        resource_names: get("resourceNames"),
        non_resource_urls: get("nonResourceURLs"),
    }
}

fn labels(text: &str) -> Value {
    let mut map = Map::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap();
        map.insert(k.to_string(), json!(v));
    }
    Value::Object(map)
}

fn subjects(text: &str) -> Value {
    let list: Vec<Value> = text
        .split_whitespace()
        .map(|s| {
            let (kind, name) = s.split_once(':').unwrap();
            match kind {
                "ServiceAccount" => {
                    let (ns, name) = name.split_once('/').unwrap();
                    json!({"kind": kind, "name": name, "namespace": ns})
                }
                _ => json!({"kind": kind, "name": name, "apiGroup": "rbac.authorization.k8s.io"}),
            }
        })
        .collect();
    json!(list)
}

fn dash(s: &str) -> &str {
    if s == "-" {
        ""
    } else {
        s
    }
}

fn subject(user: &str, groups: &str) -> Subject {
    Subject {
        user: dash(user).to_string(),
        groups: dash(groups)
            .split(',')
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// `VERB GROUP RESOURCE[/SUB] NAMESPACE NAME` as the authorizer's attributes.
fn query(words: &[&str]) -> Query {
    let opt = |s: &str| (!dash(s).is_empty()).then(|| s.to_string());
    Query {
        verb: words[0].to_string(),
        api_group: dash(words[1]).to_string(),
        resource: words[2].to_string(),
        namespace: opt(words[3]),
        name: opt(words[4]),
    }
}

fn yes(word: &str) -> bool {
    match word {
        "yes" => true,
        "no" => false,
        other => panic!("expected yes or no, not {other:?}"),
    }
}

/// The atomic requests of a rule: one per verb, group, resource and name, or verb and URL.
fn requests(rule: &Rule) -> Vec<Query> {
    let mut out = Vec::new();
    let names: Vec<Option<String>> = if rule.resource_names.is_empty() {
        vec![None]
    } else {
        rule.resource_names.iter().cloned().map(Some).collect()
    };
    for verb in &rule.verbs {
        for group in &rule.api_groups {
            for resource in &rule.resources {
                for name in &names {
                    out.push(Query {
                        verb: verb.clone(),
                        api_group: group.clone(),
                        resource: resource.clone(),
                        namespace: None,
                        name: name.clone(),
                    });
                }
            }
        }
        for url in &rule.non_resource_urls {
            out.push(Query {
                verb: verb.clone(),
                api_group: String::new(),
                resource: url.clone(),
                namespace: None,
                name: None,
            });
        }
    }
    out
}

/// The requests of `role`'s rules that `owner` may not make in `namespace` (`Covers`).
fn uncovered(policy: &Policy, owner: &Subject, role: &str, namespace: Option<&str>) -> Vec<Query> {
    let role = policy
        .roles
        .iter()
        .find(|r| r.name == role)
        .unwrap_or_else(|| panic!("no role {role}"));
    role.rules
        .iter()
        .flat_map(|rule| requests(rule))
        .map(|mut q| {
            if !q.is_non_resource() {
                q.namespace = namespace.map(str::to_string);
            }
            q
        })
        .filter(|q| !can_i(policy, owner, q).allowed)
        .collect()
}

/// One `request` check: `A && B || C` of authorizer checks, `&&` binding tighter.
fn request(policy: &Policy, who: &Subject, checks: &str) -> bool {
    checks.split("||").any(|all| {
        all.split("&&").all(|one| {
            let words: Vec<&str> = one.split_whitespace().collect();
            if words[0] == "covers" {
                uncovered(policy, who, words[1], Some(dash(words[2]))).is_empty()
            } else {
                can_i(policy, who, &query(&words)).allowed
            }
        })
    })
}

/// The rule lines after a `=>` check, up to the next line that is not a `rule`.
fn following_rules<'a>(lines: &[&'a str], from: usize) -> Vec<&'a str> {
    lines[from..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("rule "))
        .map(|l| &l["rule ".len()..])
        .collect()
}

fn rule_set(texts: &[&str]) -> BTreeSet<String> {
    texts.iter().map(|t| format!("{:?}", rule_of(t))).collect()
}

/// Runs one cases file and returns its tally.
fn check(file: &str) -> Tally {
    let path = format!(
        "{}/tests/fixtures/k8s-rbac/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut tally = Tally::default();
    let mut case = String::new();
    let mut objects = Objects::default();
    let mut policy: Option<Policy> = None;
    let mut in_check = false;
    let empty = Policy::default();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.split(" #").next().unwrap().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (marked, line) = match line.strip_prefix("differs ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        if word == "rule" {
            if !in_check {
                objects.last_rules().push(rule_json(rest));
            }
            continue;
        }
        in_check = false;
        match word {
            "paste" => {
                // The items of a List fixture of this repository, as pasted.
                let path = format!("{}/tests/fixtures/{rest}", env!("CARGO_MANIFEST_DIR"));
                let text = std::fs::read_to_string(&path).unwrap();
                let docs = tokenscope::formats::yaml::parse_documents(&text).unwrap();
                objects
                    .items
                    .extend(docs[0]["items"].as_array().unwrap().iter().cloned());
                continue;
            }
            "case" => {
                case = rest.to_string();
                objects = Objects::default();
                policy = None;
                continue;
            }
            "clusterrole" | "role" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                let mut meta = Map::new();
                let kind = if word == "role" {
                    let (ns, name) = words[0].split_once('/').unwrap();
                    meta.insert("namespace".into(), json!(ns));
                    meta.insert("name".into(), json!(name));
                    "Role"
                } else {
                    meta.insert("name".into(), json!(words[0]));
                    "ClusterRole"
                };
                let mut item = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "rules": []});
                let mut it = words[1..].iter();
                while let Some(&w) = it.next() {
                    let value = it.next().unwrap();
                    match w {
                        "labels" => {
                            meta.insert("labels".into(), labels(value));
                        }
                        "select" => {
                            let selectors: Vec<Value> = value
                                .split(';')
                                .map(|s| json!({"matchLabels": labels(s)}))
                                .collect();
                            item["aggregationRule"] = json!({"clusterRoleSelectors": selectors});
                        }
                        other => panic!("{path}:{}: unknown {other:?}", i + 1),
                    }
                }
                item["metadata"] = Value::Object(meta);
                objects.items.push(item);
                continue;
            }
            "rolebinding" | "clusterrolebinding" => {
                let (head, subs) = rest.split_once('|').unwrap();
                let words: Vec<&str> = head.split_whitespace().collect();
                let (kind, meta, role_kind, role) = if word == "rolebinding" {
                    let (ns, name) = words[0].split_once('/').unwrap();
                    (
                        "RoleBinding",
                        json!({"namespace": ns, "name": name}),
                        words[1],
                        words[2],
                    )
                } else {
                    (
                        "ClusterRoleBinding",
                        json!({"name": words[0]}),
                        "ClusterRole",
                        words[1],
                    )
                };
                objects.items.push(json!({
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
                    "subjects": subjects(subs),
                }));
                continue;
            }
            _ => {}
        }
        // `applies` checks a binding of its own; the others ask the case's policy.
        if word != "applies" && policy.is_none() {
            policy = Some(objects.policy());
        }
        let p = policy.as_ref().unwrap_or(&empty);
        let words: Vec<&str> = line.split_whitespace().collect();
        let (agrees, what) = match word {
            "can" => {
                let answer = can_i(p, &subject(words[2], words[3]), &query(&words[4..]));
                (answer.allowed == yes(words[1]), format!("{answer:?}"))
            }
            "url" => {
                let q = Query {
                    verb: words[4].to_string(),
                    api_group: String::new(),
                    resource: dash(words[5]).to_string(),
                    namespace: None,
                    name: None,
                };
                let answer = can_i(p, &subject(words[2], words[3]), &q);
                (answer.allowed == yes(words[1]), format!("{answer:?}"))
            }
            "who" => {
                let (ask, want) = line["who ".len()..].split_once("=>").unwrap();
                let ask: Vec<&str> = ask.split_whitespace().collect();
                let found = who_can(p, &query(&ask));
                let got: BTreeSet<String> = found
                    .rows
                    .iter()
                    .map(|r| match r.kind {
                        SubjectKind::User => format!("User:{}", r.name),
                        SubjectKind::Group => format!("Group:{}", r.name),
                        SubjectKind::ServiceAccount => format!(
                            "ServiceAccount:{}/{}",
                            r.namespace.as_deref().unwrap_or(""),
                            r.name
                        ),
                    })
                    .collect();
                // system:masters is allowed before RBAC is asked; Who can says so in a hint.
                let masters = format!("Group:{PRIVILEGED_GROUP}");
                let said = found.hints.iter().any(|h| h.contains(PRIVILEGED_GROUP));
                let want: BTreeSet<String> = want
                    .split_whitespace()
                    .filter(|s| !(said && *s == masters))
                    .map(str::to_string)
                    .collect();
                (got == want, format!("{got:?} want {want:?}"))
            }
            "effective" => {
                in_check = true;
                let want = rule_set(&following_rules(&lines, i + 1));
                let namespace = dash(words[3]);
                let access = effective(p, &subject(words[1], words[2]));
                let got: BTreeSet<String> = access
                    .grants
                    .iter()
                    .filter(|g| g.scope.as_deref().is_none_or(|s| s == namespace))
                    .map(|g| format!("{:?}", *g.rule))
                    .collect();
                (got == want, format!("{got:#?} want {want:#?}"))
            }
            "rules" => {
                in_check = true;
                let want: Vec<String> = following_rules(&lines, i + 1)
                    .iter()
                    .map(|t| format!("{:?}", rule_of(t)))
                    .collect();
                let role = p.roles.iter().find(|r| r.name == words[1]).unwrap();
                let got: Vec<String> = role
                    .effective
                    .iter()
                    .map(|(r, _)| format!("{r:?}"))
                    .collect();
                (
                    got == want,
                    format!("{got:#?} want {want:#?} notes {:#?}", p.notes),
                )
            }
            "covers" => {
                in_check = true;
                let owner = Subject {
                    user: "owner".to_string(),
                    groups: Vec::new(),
                };
                let gaps = uncovered(p, &owner, words[3], None);
                let want: Vec<Query> = following_rules(&lines, i + 1)
                    .iter()
                    .flat_map(|t| requests(&rule_of(t)))
                    .collect();
                let agrees = gaps.is_empty() == yes(words[1])
                    && gaps.len() == want.len()
                    && want.iter().all(|w| gaps.contains(w));
                (agrees, format!("uncovered {gaps:#?} want {want:#?}"))
            }
            "applies" => {
                let (head, subs) = line.split_once('|').unwrap();
                let head: Vec<&str> = head.split_whitespace().collect();
                let item = json!({
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                    "metadata": {"name": "b"}, "subjects": subjects(subs),
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
                });
                let one = Objects { items: vec![item] }.policy();
                let applies = one.bindings[0].applies_to(&subject(head[2], head[3]));
                (applies == yes(head[1]), format!("applies {applies}"))
            }
            "request" => {
                let (head, checks) = line.split_once('|').unwrap();
                let head: Vec<&str> = head.split_whitespace().collect();
                let allowed = request(p, &subject(head[2], head[3]), checks);
                (allowed == yes(head[1]), format!("allowed {allowed}"))
            }
            other => panic!("{path}:{}: unknown line {other:?}", i + 1),
        };
        let at = format!("{file}:{} ({case}): {line}", i + 1);
        match (agrees, marked) {
            (true, false) => tally.agree += 1,
            (false, true) => tally.differ.push(at),
            (true, true) => {
                tally.agree += 1;
                tally
                    .wrong
                    .push(format!("{at}: now agrees; drop `differs`"));
            }
            (false, false) => {
                tally.disagree += 1;
                tally.wrong.push(format!("{at}: {what}"));
            }
        }
    }
    tally
}

/// Runs a file, prints its count, and fails on any unmarked disagreement. Returns (agreed,
/// differing).
fn run(file: &str) -> (usize, usize) {
    let tally = check(file);
    eprintln!(
        "{file}: {} agree, {} differ (explained in the README)",
        tally.agree,
        tally.differ.len()
    );
    for d in &tally.differ {
        eprintln!("  differs: {d}");
    }
    assert!(
        tally.wrong.is_empty(),
        "{file}:\n{}",
        tally.wrong.join("\n")
    );
    (tally.agree, tally.differ.len())
}

#[test]
fn authorizer_rbac_test_go() {
    run("authorizer.cases");
}

#[test]
fn subject_locator_test_go() {
    run("subject_locator.cases");
}

#[test]
fn rule_resolver_rule_test_go() {
    run("rule_resolver.cases");
}

#[test]
fn policy_comparator_test_go() {
    run("policy_comparator.cases");
}

#[test]
fn aggregation_controller_test_go() {
    run("aggregation.cases");
}

#[test]
fn integration_rbac_test_go() {
    run("integration.cases");
}

#[test]
fn bootstrap_policy_test_go() {
    run("bootstrap.cases");
    // A control, not an upstream case: the role those cases ask about does grant reading pods,
    // so "not covered" there is the role's answer, not a binding that failed to read.
    let mut objects = Objects::default();
    let path = format!(
        "{}/tests/fixtures/access/default-clusterroles.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let docs = tokenscope::formats::yaml::parse_documents(&std::fs::read_to_string(path).unwrap())
        .unwrap();
    objects.items = docs[0]["items"].as_array().unwrap().clone();
    objects.items.push(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "owner"}, "subjects": subjects("User:owner"),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:aggregate-to-view"},
    }));
    let p = objects.policy();
    let read = query(&["get", "-", "pods", "ns1", "-"]);
    assert!(can_i(&p, &subject("owner", "-"), &read).allowed);
}

#[test]
fn all_upstream_cases_counted() {
    let files = [
        "authorizer.cases",
        "subject_locator.cases",
        "rule_resolver.cases",
        "policy_comparator.cases",
        "aggregation.cases",
        "integration.cases",
        "bootstrap.cases",
    ];
    let (agree, differ) = files
        .iter()
        .map(|f| {
            let t = check(f);
            (t.agree, t.differ.len() + t.disagree)
        })
        .fold((0, 0), |(a, d), (x, y)| (a + x, d + y));
    eprintln!("upstream RBAC cases: {agree} of {} agree", agree + differ);
}
