//! Facts of a Kubernetes cluster that the builders and the evaluator share: the RBAC API
//! group, the built-in resources (group, scope, kubectl's short names, the subresources people
//! grant), and how long a field may be.
//!
//! There is no discovery offline, so this table stands in for it: `deployments` means
//! `deployments.apps`, `nodes` is cluster-scoped, `po` is `pods`.

/// The API group of Roles, ClusterRoles and their bindings.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The longest value a form field or typed query takes: names are at most 253 characters and a
/// rule's lists a few hundred, so anything past this is a paste into the wrong field (and quoting
/// it back would freeze the page).
pub const MAX_FIELD_BYTES: usize = 4096;

/// A built-in resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The plural RBAC and the API use: `pods`.
    pub name: &'static str,
    /// Its API group; `""` is the core group.
    pub group: &'static str,
    /// Whether it lives in a namespace (a Role can grant it) or in the cluster (only a
    /// ClusterRole with a ClusterRoleBinding can).
    pub namespaced: bool,
    /// kubectl's short and singular names: `po`, `pod`.
    pub short: &'static [&'static str],
    /// The subresources people grant, suggested beside the resource: `log`, `exec`.
    pub subresources: &'static [&'static str],
    /// Whether the RBAC form suggests it.
    pub suggested: bool,
}

const fn res(
    name: &'static str,
    group: &'static str,
    namespaced: bool,
    short: &'static [&'static str],
    subresources: &'static [&'static str],
    suggested: bool,
) -> Resource {
    Resource {
        name,
        group,
        namespaced,
        short,
        subresources,
        suggested,
    }
}

const NS: bool = true;
const CLUSTER: bool = false;

/// The built-in resources, core group first, in the order the form suggests them.
pub const RESOURCES: &[Resource] = &[
    res(
        "pods",
        "",
        NS,
        &["po", "pod"],
        &["log", "exec", "attach", "portforward"],
        true,
    ),
    res("services", "", NS, &["svc", "service"], &[], true),
    res("endpoints", "", NS, &["ep"], &[], true),
    res("configmaps", "", NS, &["cm"], &[], true),
    res("secrets", "", NS, &["secret"], &[], true),
    res("serviceaccounts", "", NS, &["sa"], &["token"], true),
    res("persistentvolumeclaims", "", NS, &["pvc"], &[], true),
    res("events", "", NS, &["ev"], &[], true),
    res("namespaces", "", CLUSTER, &["ns", "namespace"], &[], true),
    res("nodes", "", CLUSTER, &["no", "node"], &["proxy"], true),
    res("persistentvolumes", "", CLUSTER, &["pv"], &[], true),
    res("replicationcontrollers", "", NS, &["rc"], &[], false),
    res("resourcequotas", "", NS, &["quota"], &[], false),
    res("limitranges", "", NS, &["limits"], &[], false),
    res("componentstatuses", "", CLUSTER, &["cs"], &[], false),
    res(
        "deployments",
        "apps",
        NS,
        &["deploy", "deployment"],
        &["scale"],
        true,
    ),
    res("statefulsets", "apps", NS, &["sts"], &[], true),
    res("daemonsets", "apps", NS, &["ds"], &[], true),
    res("replicasets", "apps", NS, &["rs"], &[], true),
    res("controllerrevisions", "apps", NS, &[], &[], false),
    res("jobs", "batch", NS, &[], &[], true),
    res("cronjobs", "batch", NS, &["cj"], &[], true),
    res(
        "horizontalpodautoscalers",
        "autoscaling",
        NS,
        &["hpa"],
        &[],
        true,
    ),
    res("ingresses", "networking.k8s.io", NS, &["ing"], &[], true),
    res(
        "networkpolicies",
        "networking.k8s.io",
        NS,
        &["netpol"],
        &[],
        true,
    ),
    res(
        "ingressclasses",
        "networking.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res("leases", "coordination.k8s.io", NS, &[], &[], true),
    res("roles", RBAC_GROUP, NS, &["role"], &[], true),
    res("rolebindings", RBAC_GROUP, NS, &["rolebinding"], &[], true),
    res(
        "clusterroles",
        RBAC_GROUP,
        CLUSTER,
        &["clusterrole"],
        &[],
        true,
    ),
    res(
        "clusterrolebindings",
        RBAC_GROUP,
        CLUSTER,
        &["clusterrolebinding"],
        &[],
        false,
    ),
    res(
        "customresourcedefinitions",
        "apiextensions.k8s.io",
        CLUSTER,
        &["crd", "crds"],
        &[],
        true,
    ),
    res("poddisruptionbudgets", "policy", NS, &["pdb"], &[], false),
    res("endpointslices", "discovery.k8s.io", NS, &[], &[], false),
    res(
        "storageclasses",
        "storage.k8s.io",
        CLUSTER,
        &["sc"],
        &[],
        false,
    ),
    res("csidrivers", "storage.k8s.io", CLUSTER, &[], &[], false),
    res("csinodes", "storage.k8s.io", CLUSTER, &[], &[], false),
    res(
        "csistoragecapacities",
        "storage.k8s.io",
        NS,
        &[],
        &[],
        false,
    ),
    res(
        "volumeattachments",
        "storage.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "certificatesigningrequests",
        "certificates.k8s.io",
        CLUSTER,
        &["csr"],
        &[],
        false,
    ),
    res(
        "priorityclasses",
        "scheduling.k8s.io",
        CLUSTER,
        &["pc"],
        &[],
        false,
    ),
    res("runtimeclasses", "node.k8s.io", CLUSTER, &[], &[], false),
    res(
        "validatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "mutatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "tokenreviews",
        "authentication.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "subjectaccessreviews",
        "authorization.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "selfsubjectaccessreviews",
        "authorization.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "localsubjectaccessreviews",
        "authorization.k8s.io",
        NS,
        &[],
        &[],
        false,
    ),
    res(
        "selfsubjectrulesreviews",
        "authorization.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "apiservices",
        "apiregistration.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "flowschemas",
        "flowcontrol.apiserver.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
    res(
        "prioritylevelconfigurations",
        "flowcontrol.apiserver.k8s.io",
        CLUSTER,
        &[],
        &[],
        false,
    ),
];

/// The built-in resource named `name`: its plural (`pods`), or one of kubectl's short or
/// singular names (`po`, `pod`). Lower-case input only, as kubectl lower-cases first.
pub fn find(name: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.name == name)
        .or_else(|| RESOURCES.iter().find(|r| r.short.contains(&name)))
}

/// Whether `resource` (a plural, without subresource) of `group` is a built-in cluster-scoped
/// resource: a request for it has no namespace, so RoleBindings never grant it.
pub fn is_cluster_scoped(group: &str, resource: &str) -> bool {
    RESOURCES
        .iter()
        .any(|r| !r.namespaced && r.group == group && r.name == resource)
}

/// What the RBAC form suggests: each suggested resource, then its subresources
/// (`pods`, `pods/log`, …), with its group.
pub fn suggestions() -> impl Iterator<Item = (String, &'static Resource)> {
    RESOURCES.iter().filter(|r| r.suggested).flat_map(|r| {
        std::iter::once(r.name.to_string())
            .chain(
                r.subresources
                    .iter()
                    .map(move |s| format!("{}/{s}", r.name)),
            )
            .map(move |name| (name, r))
    })
}

/// Verbs `kubectl create role` and `clusterrole` accept for resources; a rule with any other
/// verb has to be applied as YAML.
pub const KUBECTL_VERBS: [&str; 14] = [
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// Verbs `kubectl create clusterrole --non-resource-url` accepts: HTTP methods, lower case.
pub const KUBECTL_URL_VERBS: [&str; 8] = [
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

/// Whether `kubectl create role` lets `verb` apply to `resource` of `group`: it refuses
/// `bind`, `escalate`, `impersonate` and `use` outside the resources they are meant for.
pub fn kubectl_allows(verb: &str, group: &str, resource: &str) -> bool {
    match verb {
        "bind" | "escalate" => group == RBAC_GROUP && matches!(resource, "roles" | "clusterroles"),
        "impersonate" => {
            (group.is_empty() && matches!(resource, "users" | "serviceaccounts" | "groups"))
                || (group == "authentication.k8s.io" && matches!(resource, "userextras" | "uids"))
        }
        "use" => group == "policy" && resource == "podsecuritypolicies",
        _ => true,
    }
}
