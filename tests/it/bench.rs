//! The bench's native rows: what the Access, Audit and escalation cores cost on the bench's
//! generated dumps, phase by phase, for `docs/benchmarks.md`. `scripts/bench` writes the
//! inputs (tests/e2e/bench-native.mjs) and runs this with `TOKENSCOPE_BENCH_DIR` set; a
//! timing, not a test, so it is ignored otherwise.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokenscope::access::escalation::{analyse, read_objects, workload_rows, Target};
use tokenscope::access::{self, Policy, PolicyStream};
use tokenscope::audit::{self, Options, SecretsStream};

/// The file field's chunk.
const CHUNK: usize = 128 * 1024;
const RUNS: usize = 3;

/// The median of `RUNS` runs of `f`, with its last result.
fn median<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[RUNS / 2], last.unwrap())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Reads `text` as the file field does, `RUNS` times: the median whole read, longest chunk
/// and settling, and the policy; a role's rules `parts` entries at a time (0: each object
/// parsed whole when it ends, as before the parts).
fn stream(text: &[u8], parts: usize) -> (Duration, Duration, Duration, Policy) {
    let (mut fed, mut worst, mut settled) = (Vec::new(), Vec::new(), Vec::new());
    let mut policy = None;
    for _ in 0..RUNS {
        let mut longest = Duration::ZERO;
        let start = Instant::now();
        let mut stream = PolicyStream::with_rule_parts(parts);
        for chunk in text.chunks(CHUNK) {
            let t = Instant::now();
            stream.feed(chunk).unwrap();
            longest = longest.max(t.elapsed());
        }
        fed.push(start.elapsed());
        worst.push(longest);
        let start = Instant::now();
        stream.settle();
        settled.push(start.elapsed());
        policy = Some(stream.finish().unwrap());
    }
    (mid(fed), mid(worst), mid(settled), policy.unwrap())
}

fn mid(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn row(what: &str, input: &str, time: Duration, note: &str) {
    println!("| {what} | {input} | {} | {note} |", ms(time));
}

fn access_rows(path: &Path) -> Policy {
    let text = std::fs::read(path).unwrap();
    let input = format!("{} kubectl-shaped dump", mib(text.len()));
    let (fed, worst, settled, policy) = stream(&text, access::RULES_PER_PART);
    let n = policy.roles.len() + policy.bindings.len();
    row(
        "Access: read in 128 KiB chunks",
        &input,
        fed,
        &format!("{n} roles and bindings; longest chunk {}", ms(worst)),
    );
    row(
        "Access: settle (repeats, aggregation, index)",
        &input,
        settled,
        "one task after the last chunk",
    );
    let subject = access::parse_subject("system:serviceaccount:team-042:app").unwrap();
    let (t, effective) = median(|| access::effective(&policy, &subject));
    row("Access: effective rules of one account", &input, t, "");
    let (t, grid) = median(|| access::grid(&policy, &subject, "team-042", &effective));
    row(
        "Access: grid (one Can I per cell)",
        &input,
        t,
        &format!("{} rows × 8 verbs", grid.rows.len()),
    );
    let query = access::Query::parse("get", "pods", "team-042", "").unwrap();
    let (t, _) = median(|| access::can_i(&policy, &subject, &query));
    row("Access: one Can I (a keystroke)", &input, t, "");
    let (t, who) = median(|| access::who_can(&policy, &query));
    row(
        "Access: one Who can (a keystroke)",
        &input,
        t,
        &format!("{} rows", who.rows.len()),
    );
    policy
}

fn big_role_rows() {
    let text = crate::bounds::big_cluster_role(46_629);
    let input = format!("one ClusterRole of 46,629 rules ({})", mib(text.len()));
    let (fed, worst, _, _) = stream(text.as_bytes(), 0);
    row(
        "Access: read in 128 KiB chunks, each object parsed whole",
        &input,
        fed,
        &format!("longest chunk {} (the role is one object)", ms(worst)),
    );
    let (fed, worst, settled, policy) = stream(text.as_bytes(), access::RULES_PER_PART);
    row(
        "Access: read in 128 KiB chunks, rules in parts",
        &input,
        fed,
        &format!(
            "longest chunk {} ({} rules a part)",
            ms(worst),
            access::RULES_PER_PART
        ),
    );
    row("Access: settle", &input, settled, "");
    let subject = access::Subject::from_service_account("team", "app");
    let (t, effective) = median(|| access::effective(&policy, &subject));
    row(
        "Access: effective rules",
        &input,
        t,
        "46,629 rows, 100 drawn",
    );
    let (t, grid) = median(|| access::grid(&policy, &subject, "team", &effective));
    row(
        "Access: grid",
        &input,
        t,
        &format!("{} rows × 8 verbs", grid.rows.len()),
    );
}

fn escalation_rows(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let input = format!("{} cluster with workloads", mib(text.len()));
    let policy = access::parse(&text).unwrap();
    let (t, objects) = median(|| read_objects(&text).unwrap());
    row(
        "Escalation: read the workloads and accounts",
        &input,
        t,
        &format!("{} workloads", objects.workloads.len()),
    );
    for (subject, what) in [
        ("lead-0@example.com", "a path (edit → pods → cluster-admin)"),
        ("system:serviceaccount:team-042:deployer", "no path"),
    ] {
        let s = access::parse_subject(subject).unwrap();
        let (t, a) = median(|| analyse(&policy, &objects, &s, &Target::ClusterAdmin));
        row(
            &format!("Escalation: graph, shortest path and cut for {subject}"),
            &input,
            t,
            &format!(
                "{what}: {} nodes, {} edges",
                a.graph.nodes.len(),
                a.graph.edges.len()
            ),
        );
    }
    let (t, table) = median(|| workload_rows(&objects, Some(&policy)));
    row(
        "Escalation: the workloads table",
        &input,
        t,
        &format!("{} rows", table.rows.len()),
    );
}

fn audit_rows(path: &Path, policy: &Policy) {
    let text = std::fs::read(path).unwrap();
    let input = format!("{} of token Secrets", mib(text.len()));
    let (fed, _) = median(|| {
        let mut stream = SecretsStream::new();
        for chunk in text.chunks(CHUNK) {
            stream.feed(chunk).unwrap();
        }
        stream
    });
    row("Audit: read in 128 KiB chunks", &input, fed, "");
    let mut finishes = Vec::new();
    let mut result = None;
    for _ in 0..RUNS {
        let mut stream = SecretsStream::new();
        stream.feed(&text).unwrap();
        let start = Instant::now();
        result = Some(stream.finish(1_780_000_000, &Options::days(365)).unwrap());
        finishes.push(start.elapsed());
    }
    let (finish, result) = (mid(finishes), result.unwrap());
    row(
        "Audit: finish (rows, clean-up plan)",
        &input,
        finish,
        &format!("{} Secrets", result.rows.len()),
    );
    let (t, _) = median(|| audit::worst_grants(&result.rows, policy));
    row(
        "Audit: each account's worst grant",
        &input,
        t,
        "over the 8 MiB RBAC dump",
    );
}

#[test]
#[ignore = "a timing, not a test: scripts/bench runs it"]
fn native_rows() {
    let Some(dir) = std::env::var_os("TOKENSCOPE_BENCH_DIR").map(PathBuf::from) else {
        panic!("TOKENSCOPE_BENCH_DIR is not set: run scripts/bench");
    };
    println!("| Work | Input | Median of {RUNS} | Note |\n| --- | --- | --- | --- |");
    let policy = access_rows(&dir.join("rbac8.yaml"));
    big_role_rows();
    escalation_rows(&dir.join("cluster4.yaml"));
    audit_rows(&dir.join("secrets8.json"), &policy);
}
