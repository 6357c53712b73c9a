//! The last long tasks of a big input, each cut into parts: the Escalation section's workloads
//! table drawn a hundred rows at a time, and a subject's effective rules worked out in parts
//! that pause, with the same answer as in one call.

use std::future::Future;
use std::pin::Pin;

use tokenscope::access::{self, Access, Policy, Subject};
use tokenscope::ui::pages::{EscalationView, EscalationViewProps, Read};
use tokenscope::ui::state::{AccessAction, Action, AppState, Slice};
use yew::LocalServerRenderer;

/// `n` Deployments in `build`, each run by the account `deployer`, which may create pods.
fn workloads_paste(n: usize) -> String {
    let mut paste = String::from(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: build}\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pods, namespace: build}\n\
         rules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [create]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: deployer, namespace: build}\n\
         roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}\n\
         subjects:\n- {kind: ServiceAccount, name: deployer, namespace: build}\n",
    );
    for k in 0..n {
        paste.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{k:04}, namespace: build}}\n\
             spec: {{template: {{spec: {{serviceAccountName: deployer, containers: [{{name: c, image: x}}]}}}}}}\n"
        ));
    }
    paste
}

async fn escalation(paste: String) -> String {
    escalation_of(vec![AccessAction::SetPolicy(paste).into()]).await
}

/// The Escalation section after `actions`, as `deployer`.
async fn escalation_of(mut actions: Vec<Action>) -> String {
    actions
        .push(AccessAction::SetSubject("system:serviceaccount:build:deployer".to_string()).into());
    let state = actions
        .into_iter()
        .fold(AppState::default(), |s, a: Action| s.apply(a));
    let subject = access::parse_subject(&state.access.subject_input).ok();
    LocalServerRenderer::<EscalationView>::with_props(EscalationViewProps {
        read: Read::now(&state.access).map(std::rc::Rc::new),
        state: Slice::new(&state.access),
        subject,
    })
    .render()
    .await
}

/// A cluster's thousand workloads are one long layout: the table draws its first hundred rows
/// and offers the rest, as the effective rules' tables do.
#[tokio::test]
async fn the_workloads_table_draws_a_hundred_rows_and_offers_more() {
    let html = escalation(workloads_paste(250)).await;
    let table = html
        .split("aria-label=\"Workloads\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("a workloads table");
    assert_eq!(table.matches("<tr>").count(), 101, "{table}");
    assert!(table.contains("app-0099") && !table.contains("app-0100"));
    assert!(
        html.contains("Showing 100 of 250 workloads.") && html.contains("Show 100 more"),
        "{html}"
    );
    // A table of fewer rows is drawn whole, with no button.
    let html = escalation(workloads_paste(3)).await;
    assert!(
        html.contains("app-0002") && !html.contains("Show "),
        "{html}"
    );
}

/// A cluster's dump opened as a file (or pasted past 1 MiB) is read once, for its RBAC and its
/// workloads alike: the Escalation section draws the same table as for the text.
#[tokio::test]
async fn a_dump_opened_as_a_file_gives_the_workloads_its_text_gives() {
    use tokenscope::ui::state::FileEvent;
    let paste = workloads_paste(40);
    let mut events = vec![FileEvent::Started(
        "cluster.yaml".into(),
        paste.len() as u64,
    )];
    events.extend(
        paste
            .as_bytes()
            .chunks(4096)
            .map(|c| FileEvent::Chunk(c.to_vec())),
    );
    events.extend([FileEvent::Settle, FileEvent::Done]);
    let from_file = escalation_of(
        events
            .into_iter()
            .map(|e| AccessAction::File(e).into())
            .collect(),
    )
    .await;
    let from_text = escalation(paste).await;
    assert!(
        from_file.contains("app-0039") && from_file.contains("Workloads"),
        "{from_file}"
    );
    assert_eq!(from_file, from_text);
}

/// Native timing of the big role's effective rules, for `docs/benchmarks.md` and a profiler:
/// `cargo test --release --test it -- --ignored --nocapture effective_of_the_big_role_timed`.
#[test]
#[ignore = "a timing, not a test: run by hand"]
fn effective_of_the_big_role_timed() {
    use std::time::Instant;
    let policy = access::parse(&crate::bounds::big_cluster_role(46_629)).unwrap();
    let subject = access::Subject::from_service_account("team", "app");
    let mut times = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let effective = access::effective(&policy, &subject);
        times.push(start.elapsed());
        assert_eq!(effective.table[0].rows.len(), 46_629);
    }
    times.sort();
    println!(
        "effective, 46,629 rules: median {:?}, min {:?}",
        times[7], times[0]
    );
    // What else the page works out for this subject in one task each: the grid, and the
    // Escalation section's path (no objects: the file's text is not the field's).
    let effective = access::effective(&policy, &subject);
    let start = Instant::now();
    access::grid(&policy, &subject, "team", &effective);
    println!("grid: {:?}", start.elapsed());
    let objects = access::escalation::Objects::default();
    let target = access::escalation::Target::ClusterAdmin;
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        access::escalation::analyse(&policy, &objects, &subject, &target);
        times.push(start.elapsed());
    }
    times.sort();
    println!("escalation path: median {:?}, min {:?}", times[2], times[0]);
    // The file's reader: the chunk that ends the role, and settling the policy after it.
    let text = crate::bounds::big_cluster_role(46_629);
    let (mut last, mut settled) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let mut stream = access::PolicyStream::new();
        let chunks: Vec<&[u8]> = text.as_bytes().chunks(256 * 1024).collect();
        let (end, rest) = chunks.split_last().unwrap();
        rest.iter().for_each(|c| stream.feed(c).unwrap());
        let start = Instant::now();
        stream.feed(end).unwrap();
        last.push(start.elapsed());
        let start = Instant::now();
        stream.settle();
        settled.push(start.elapsed());
    }
    last.sort();
    settled.sort();
    println!(
        "last chunk: median {:?}; settle: median {:?}",
        last[2], settled[2]
    );
}

/// The effective rules in parts, each pause a real one (the task yields to the runtime), and
/// how many pauses there were.
async fn in_parts(policy: &Policy, subject: &Subject) -> (Access, usize) {
    let mut pauses = 0;
    let mut pause = || -> Pin<Box<dyn Future<Output = ()>>> {
        pauses += 1;
        Box::pin(tokio::task::yield_now())
    };
    let access = access::effective_in_parts(policy, subject, &mut pause).await;
    (access, pauses)
}

/// Kubernetes' own default ClusterRoles (`view`, `edit`, `admin`, `cluster-admin` and their
/// aggregated parts) and bootstrap ClusterRoleBindings (see the fixtures' READMEs), with
/// `admin` bound to one account in `namespaces` namespaces: many bindings of one real role.
fn real_roles_bound(namespaces: usize) -> String {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let mut paste =
        std::fs::read_to_string(format!("{fixtures}access/default-clusterroles.yaml")).unwrap();
    for file in [
        "dumps/k8s-bootstrap-cluster-role-bindings.yaml",
        "escalation/bootstrap/old-system-roles.yaml",
    ] {
        paste.push_str("\n---\n");
        paste.push_str(&std::fs::read_to_string(format!("{fixtures}{file}")).unwrap());
    }
    for k in 0..namespaces {
        paste.push_str(&format!(
            "\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n\
             metadata: {{name: ops, namespace: team-{k:03}}}\n\
             roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}}\n\
             subjects:\n- {{kind: ServiceAccount, name: ops, namespace: tools}}\n\
             - {{kind: Group, name: team-{k:03}}}\n"
        ));
    }
    paste
}

/// In parts or in one call, every subject gets the same answer: the real roles and bindings,
/// asked for users, groups and accounts that hold nothing, the bootstrap grants, one binding or
/// hundreds.
#[tokio::test]
async fn effective_rules_in_parts_equal_the_answer_at_once() {
    let policy = access::parse(&real_roles_bound(300)).unwrap();
    let mut paused = 0;
    for subject in [
        "system:serviceaccount:tools:ops",
        "system:serviceaccount:kube-system:default",
        "alice",
        "bob, system:masters",
        "carol, system:authenticated",
        "dave, group:team-007, system:nodes",
        "group:team-042",
        "system:kube-scheduler",
    ] {
        let subject = access::parse_subject(subject).unwrap();
        let (parts, pauses) = in_parts(&policy, &subject).await;
        assert_eq!(parts, access::effective(&policy, &subject), "{subject:?}");
        paused += pauses;
    }
    // The account bound in 300 namespaces holds enough for its answer to pause.
    assert!(paused > 0);
}

/// The work between two pauses is counted: each rule of a role is walked once to sum it up
/// (its risks and rows) and once more for its grant, and each row added once, so a ClusterRole
/// of `n` one-resource rules bound once pauses after each [`access::ENTRIES_PER_PART`] of those
/// `3 × n` entries, whatever `n`; and its answer is the one given at once.
#[tokio::test]
async fn a_big_roles_effective_rules_pause_after_each_part() {
    for rules in [3_000, 20_000] {
        let policy = access::parse(&crate::bounds::big_cluster_role(rules)).unwrap();
        let subject = Subject::from_service_account("team", "app");
        let (parts, pauses) = in_parts(&policy, &subject).await;
        // Three walks of the rules pause after each part; the steps that cannot pause (merging
        // the role's rows, building the table, freeing the walk) each start a part of their
        // own when the part they would join is too full for them.
        let walks = 3 * rules / access::ENTRIES_PER_PART;
        assert!(
            (walks + 1..=walks + 3).contains(&pauses),
            "{rules} rules: {pauses} pauses"
        );
        assert_eq!(parts, access::effective(&policy, &subject));
        assert_eq!(parts.table.first().map(|t| t.rows.len()), Some(rules));
    }
}

/// A step that cannot pause joins the current part when it fits, starts a part of its own when
/// it does not, and a step bigger than a part is followed by a pause at the next entry.
#[test]
fn a_step_that_cannot_pause_starts_a_part_when_the_current_one_is_too_full() {
    use tokenscope::support::parts::Paced;
    let mut pause = || -> Pin<Box<dyn Future<Output = ()>>> { Box::pin(std::future::ready(())) };
    let mut paced = Paced::new(Some(&mut pause), 4);
    let ticks = |paced: &mut Paced, n: usize| (0..n).filter(|_| paced.tick().is_some()).count();
    assert_eq!(ticks(&mut paced, 5), 1, "a part is 4 entries");
    assert!(paced.room(3).is_none(), "1 + 3 fits");
    assert!(paced.room(1).is_some(), "4 + 1 does not");
    assert!(paced.room(10).is_some(), "a step of its own");
    assert_eq!(ticks(&mut paced, 1), 1, "then a pause at once");
    let mut never = Paced::new(None, 4);
    assert!(never.room(10).is_none() && ticks(&mut never, 10) == 0);
}
