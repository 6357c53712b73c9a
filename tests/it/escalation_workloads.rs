//! The workloads reader on real manifests (`tests/fixtures/escalation/real/`, sources in its
//! README), and the bootstrap RBAC of Kubernetes giving no path from `system:authenticated`.

use tokenscope::access::escalation::{
    analyse, read_objects, workload_rows, Cut, Objects, ObjectsStream, Target,
};
use tokenscope::access::{parse, parse_subject};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn file(path: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{path}")).unwrap()
}

fn badpods() -> String {
    [
        "everything-allowed-exec-pod.yaml",
        "everything-allowed-exec-deployment.yaml",
        "everything-allowed-exec-deamonset.yaml",
        "everything-allowed-exec-cronjob.yaml",
        "everything-allowed-exec-job.yaml",
        "everything-allowed-exec-statefulset.yaml",
        "hostpath-exec-pod.yaml",
        "nothing-allowed-exec-deployment.yaml",
    ]
    .iter()
    .map(|f| file(&format!("escalation/real/badpods/{f}")))
    .collect::<Vec<_>>()
    .join("\n---\n")
}

#[test]
fn every_kind_of_real_workload_is_one_row_with_its_reach_into_the_node() {
    let objects = read_objects(&badpods()).unwrap();
    let table = workload_rows(&objects, None);
    let rows: Vec<(String, String, String, Vec<String>, bool)> = table
        .rows
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                r.name.clone(),
                r.account.clone(),
                r.node_access.clone(),
                r.token.mounted,
            )
        })
        .collect();
    let all = |_: &str| -> Vec<String> {
        [
            "privileged",
            "hostPath /",
            "hostPID",
            "hostNetwork",
            "hostIPC",
        ]
        .map(String::from)
        .to_vec()
    };
    let row = |kind: &str, name: &str, access: Vec<String>| {
        (
            kind.to_string(),
            name.to_string(),
            "default".to_string(),
            access,
            true,
        )
    };
    assert_eq!(
        rows,
        vec![
            row("Pod", "everything-allowed-exec-pod", all("")),
            row("Deployment", "everything-allowed-exec-deployment", all("")),
            row("DaemonSet", "everything-allowed-exec-daemonset", all("")),
            row("CronJob", "everything-allowed-exec-cronjob", all("")),
            row("Job", "everything-allowed-exec-job", all("")),
            row(
                "StatefulSet",
                "everything-allowed-exec-statefulset",
                all("")
            ),
            row("Pod", "hostpath-exec-pod", vec!["hostPath /".to_string()]),
            row("Deployment", "nothing-allowed-exec-deployment", vec![]),
        ]
    );
}

#[test]
fn a_real_pod_list_with_the_projected_token_volume() {
    let objects = read_objects(&file("escalation/real/steamcloud-get-pods.yaml")).unwrap();
    let table = workload_rows(&objects, None);
    assert_eq!(table.rows.len(), 1);
    let row = &table.rows[0];
    assert_eq!(
        (
            row.namespace.as_str(),
            row.kind.as_str(),
            row.name.as_str(),
            row.account.as_str()
        ),
        ("default", "Pod", "nginx", "default")
    );
    assert!(row.token.mounted);
    assert_eq!(
        row.token.why,
        "a projected volume asks for a serviceAccountToken"
    );
    assert_eq!(row.node_access, vec!["hostPath /opt/flag"]);
}

#[test]
fn automount_false_on_the_pod_or_the_account_and_the_advice_for_an_account_with_no_grants() {
    let text = "\
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: web}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: web}
spec: {serviceAccountName: quiet, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: web}
spec: {automountServiceAccountToken: false, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: web}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: nothing, namespace: other}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: nobody}]
";
    let objects = read_objects(text).unwrap();
    let policy = parse(text).unwrap();
    let table = workload_rows(&objects, Some(&policy));
    let mounted: Vec<(bool, &str)> = table
        .rows
        .iter()
        .map(|r| (r.token.mounted, r.token.why.as_str()))
        .collect();
    assert_eq!(
        mounted,
        vec![
            (
                false,
                "automountServiceAccountToken: false on the ServiceAccount"
            ),
            (false, "automountServiceAccountToken: false on the pod spec"),
            (
                true,
                "mounted by default: neither the pod spec nor the ServiceAccount says otherwise"
            ),
        ]
    );
    assert!(table.rows[0].advice.is_none() && table.rows[1].advice.is_none());
    let advice = table.rows[2].advice.as_deref().unwrap();
    assert!(advice
        .starts_with("Its account holds no RBAC rule: set automountServiceAccountToken: false"));
    assert!(advice.contains("audit log"));
}

#[test]
fn pods_of_a_pasted_controller_fold_into_its_row_and_the_row_says_where_it_escalates() {
    let text = format!(
        "{}\n---\n{}",
        file("escalation/admin.yaml"),
        "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {serviceAccountName: builder, containers: [{name: c, image: x}]}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f7c9b4-abcde
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b4, controller: true, uid: x}]
spec: {serviceAccountName: builder, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pods, namespace: shop}
rules: [{apiGroups: [''], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-pods, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
subjects: [{kind: ServiceAccount, name: builder}]
"
    );
    let objects = read_objects(&text).unwrap();
    let policy = parse(&text).unwrap();
    let table = workload_rows(&objects, Some(&policy));
    assert_eq!((table.rows.len(), table.folded), (1, 1));
    let row = &table.rows[0];
    assert_eq!(
        row.worst.as_ref().map(|f| f.level),
        Some(tokenscope::support::finding::Level::Danger)
    );
    assert_eq!(
        row.escalates.as_deref().map(<[String]>::len),
        Some(2),
        "{:?}",
        row.escalates
    );
}

fn bootstrap() -> (tokenscope::access::Policy, Objects) {
    let text = [
        file("access/default-clusterroles.yaml"),
        file("escalation/bootstrap/old-system-roles.yaml"),
        file("escalation/bootstrap/cluster-role-bindings.yaml"),
    ]
    .join("\n---\n");
    (parse(&text).unwrap(), read_objects(&text).unwrap())
}

#[test]
fn the_bootstrap_roles_alone_give_no_path_from_system_authenticated_to_cluster_admin() {
    let (policy, objects) = bootstrap();
    for subject in [
        "system:authenticated",
        "alice",
        "system:serviceaccount:default:default",
    ] {
        let subject = parse_subject(subject).unwrap();
        let a = analyse(&policy, &objects, &subject, &Target::ClusterAdmin);
        assert_eq!((a.path, a.cut), (None, Cut::NoPath), "{subject:?}");
    }
    let masters = parse_subject("system:masters").unwrap();
    let a = analyse(&policy, &objects, &masters, &Target::ClusterAdmin);
    assert_eq!(a.cut, Cut::AlreadyThere);
}

/// The real and hand-made dumps: badPods, a real `kubectl get pods`, Kubernetes' own
/// multi-resource JSON, and every escalation fixture.
fn dumps() -> Vec<String> {
    let dir = format!("{DIR}escalation/");
    let mut texts = vec![
        badpods(),
        file("escalation/real/steamcloud-get-pods.yaml"),
        file("dumps/k8s-hack-multi-resource-json.json"),
        file("dumps/k8s-hack-multi-resource-list.json"),
    ];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    texts
}

/// Every dump read a slice at a time, cut anywhere (mid-line, mid-UTF-8, mid-string), gives
/// exactly the objects the whole text gives: the page reads a cluster's dump across tasks.
#[test]
fn a_dump_read_in_slices_gives_the_objects_the_whole_text_gives() {
    let texts = dumps();
    for text in &texts {
        let whole = read_objects(text).unwrap();
        for size in [1, 7, 4096, text.len().max(1)] {
            let mut stream = ObjectsStream::default();
            for chunk in text.as_bytes().chunks(size) {
                stream.feed(chunk).unwrap();
            }
            assert_eq!(stream.finish().unwrap(), whole, "slices of {size}");
        }
    }
    // Some objects were read at all.
    assert!(texts
        .iter()
        .any(|t| !read_objects(t).unwrap().workloads.is_empty()));
}

/// A dump opened as a file is read once, for its RBAC and its other objects alike: the
/// objects the policy's reader keeps are those the whole text gives, in any slices, and its
/// policy is the paste's.
#[test]
fn a_file_read_for_its_rbac_gives_the_objects_the_whole_text_gives() {
    use tokenscope::access::PolicyStream;
    let texts = dumps();
    let mut read = 0;
    for text in &texts {
        let whole = read_objects(text).unwrap();
        for size in [1, 7, 4096, text.len().max(1)] {
            for settled in [false, true] {
                let mut stream = PolicyStream::new();
                for chunk in text.as_bytes().chunks(size) {
                    stream.feed(chunk).unwrap();
                }
                if settled {
                    stream.settle();
                }
                let (policy, objects) = stream.finish_with_objects();
                assert_eq!(objects, whole, "slices of {size}, settled: {settled}");
                assert_eq!(policy.ok(), tokenscope::access::parse(text).ok());
            }
        }
        read += whole.accounts.len() + whole.workloads.len() + whole.token_secrets.len();
    }
    assert!(read > 0);
}

/// The table worked out a few accounts a step (one graph per batch) gives each account the
/// path length its own graph gives, and no step resolves more than its share of accounts.
#[test]
fn the_table_worked_out_in_steps_gives_each_account_its_own_shortest_path() {
    use tokenscope::access::escalation::{WorkloadWork, ACCOUNTS_PER_STEP};
    let dir = format!("{DIR}escalation/");
    let mut text = ["admin.yaml", "pods-to-admin.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(format!("{dir}{f}")).unwrap())
        .collect::<Vec<_>>()
        .join("\n---\n");
    // 150 namespaces, each with a workload; every third account may create pods in build,
    // where deployer is cluster-admin.
    for i in 0..150 {
        text.push_str(&format!(
            "\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app, namespace: ns-{i}}}\nspec: {{template: {{spec: {{serviceAccountName: sa, containers: [{{name: c, image: x}}]}}}}}}\n"
        ));
        if i % 3 == 0 {
            text.push_str(&format!(
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: sa-{i}, namespace: build}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}}\nsubjects:\n- {{kind: ServiceAccount, name: sa, namespace: ns-{i}}}\n"
            ));
        }
    }
    let (policy, objects) = (parse(&text).unwrap(), read_objects(&text).unwrap());
    let mut work = WorkloadWork::new(&objects, Some(&policy));
    let mut steps = 0;
    while work.step() {
        steps += 1;
    }
    let table = work.finish();
    // 150 accounts: three steps of grants, three of graphs.
    assert_eq!(steps, 2 * 150usize.div_ceil(ACCOUNTS_PER_STEP));
    assert_eq!(table, workload_rows(&objects, Some(&policy)));
    assert_eq!(table.rows.len(), 150);
    for row in &table.rows {
        let subject = parse_subject(&format!(
            "system:serviceaccount:{}:{}",
            row.namespace, row.account
        ))
        .unwrap();
        let alone = analyse(&policy, &objects, &subject, &Target::ClusterAdmin);
        assert_eq!(
            row.escalates.as_ref().map(Vec::len),
            alone.path.as_ref().map(Vec::len),
            "{}",
            row.namespace
        );
    }
    assert_eq!(
        table.rows.iter().filter(|r| r.escalates.is_some()).count(),
        50
    );
}
