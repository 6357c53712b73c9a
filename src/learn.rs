//! The guided walk on `#/learn`: from a new service account to a working, tested kubeconfig,
//! and what the errors look like when something is missing.
//!
//! It is data, not markup, so a test can check every link goes to a page and an example that
//! exist, and documentation can link to any step as `#/learn/<id>`.

pub mod demo; // the built-in demo tokens, JWKS and CA bundle (demo/)

/// One step of the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The deep-link id: `#/learn/<id>`.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// What to do and why, one paragraph each.
    pub text: &'static [&'static str],
    /// Commands to run against a real cluster (shown with a copy button).
    pub commands: &'static str,
    /// What a terminal prints back, when that is the point of the step.
    pub output: &'static str,
    /// Links to the page that does the step, prefilled with demo data: (text, href).
    pub links: &'static [(&'static str, &'static str)],
}

/// The 403 the API server returns when no RBAC rule allows the request, as `kubectl` shows it.
pub const FORBIDDEN: &str = "Error from server (Forbidden): pods is forbidden: User \
\"system:serviceaccount:workshop:demo-app\" cannot list resource \"pods\" in API group \"\" \
in the namespace \"workshop\"";

/// Every step, in order.
pub const STEPS: &[Step] = &[
    Step {
        id: "service-account",
        title: "1. Create a service account",
        text: &[
            "A service account is the identity a workload (a pod, a CI job) uses to talk to the API server. It lives in a namespace and starts with no permissions at all.",
        ],
        commands: "kubectl create namespace workshop\nkubectl create serviceaccount demo-app -n workshop",
        output: "",
        links: &[("Build the service account and its RBAC", "#/rbac?preset=read-pods&sa=demo-app&ns=workshop")],
    },
    Step {
        id: "role",
        title: "2. Give it a Role and a RoleBinding",
        text: &[
            "A Role lists what may be done (verbs on resources) in one namespace; a RoleBinding grants it to the service account. Grant only what the workload needs: here, reading pods.",
            "Why not cluster-admin? A token for cluster-admin is the whole cluster: every Secret, every node, RBAC itself. Tokens leak (logs, CI variables, laptops); a narrow Role limits what a leak costs.",
        ],
        commands: "kubectl create role pod-reader -n workshop --verb=get --verb=list --resource=pods\nkubectl create rolebinding demo-app-pod-reader -n workshop --role=pod-reader --serviceaccount=workshop:demo-app",
        output: "",
        links: &[("Open the RBAC builder with the Read pods preset", "#/rbac?preset=read-pods&sa=demo-app&ns=workshop")],
    },
    Step {
        id: "token",
        title: "3. Get a token",
        text: &[
            "kubectl create token asks the TokenRequest API for a short-lived token bound to the service account (one hour here). This is the way since Kubernetes 1.24.",
            "The legacy way is a Secret of type kubernetes.io/service-account-token, which the control plane fills with a token that never expires. Since 1.24 such Secrets are no longer created automatically; create one only when something cannot renew tokens, and delete it when done.",
        ],
        commands: "kubectl create token demo-app -n workshop --duration=1h",
        output: "",
        links: &[
            ("Inspect a bound token", "#/inspect?example=bound"),
            ("Inspect a legacy token's Secret", "#/inspect?example=secret"),
        ],
    },
    Step {
        id: "inspect",
        title: "4. Look inside it",
        text: &[
            "A token is a signed JSON Web Token: a header, claims, a signature. The claims name the service account, its namespace and, for bound tokens, the pod and node it belongs to and when it expires.",
            "Decoding proves nothing by itself: verify the signature against the cluster's public keys (kubectl get --raw /openid/v1/jwks). The examples come with the demo cluster's JWKS, so they show Verified.",
        ],
        commands: "kubectl get --raw /openid/v1/jwks > jwks.json\nkubectl get configmap kube-root-ca.crt -n workshop -o jsonpath='{.data.ca\\.crt}' > ca.crt",
        output: "",
        links: &[
            ("Inspect and verify the bound token", "#/inspect?example=bound"),
            ("See the cluster CA explained", "#/ca?example=bound"),
        ],
    },
    Step {
        id: "kubeconfig",
        title: "5. Build a kubeconfig",
        text: &[
            "A kubeconfig ties three things together: the cluster (server URL and the CA that signs its certificate), the user (the token) and a context that names the pair and a default namespace.",
        ],
        commands: "",
        output: "",
        links: &[("Build the kubeconfig from the example", "#/kubeconfig?example=kubeconfig")],
    },
    Step {
        id: "test",
        title: "6. Test it",
        text: &[
            "curl with the CA and the token shows the raw answer of the API server; kubectl auth can-i --list shows what the token may do.",
        ],
        commands: "kubectl --kubeconfig demo-kubeconfig.yaml get pods\nkubectl --kubeconfig demo-kubeconfig.yaml auth can-i --list\nkubectl --kubeconfig demo-kubeconfig.yaml auth can-i delete pods",
        output: "",
        links: &[
            ("See the curl and can-i commands", "#/kubeconfig?example=kubeconfig"),
            ("See what the token can do, offline", "#/access?example=bound&rbac=demo"),
        ],
    },
    Step {
        id: "expired",
        title: "7. When the token expires",
        text: &[
            "An expired (or deleted-pod, or wrongly signed) token is not an identity at all: the API server answers 401 Unauthorized before RBAC is even consulted. Make a new token; no Role change helps.",
        ],
        commands: "kubectl --kubeconfig demo-kubeconfig.yaml get pods",
        output: "error: You must be logged in to the server (Unauthorized)",
        links: &[("Inspect an expired token", "#/inspect?example=expired")],
    },
    Step {
        id: "forbidden",
        title: "8. When the role is missing",
        text: &[
            "A valid token without a matching rule gets 403 Forbidden. The message says exactly what was missing: who asked (the User), the verb (list), the resource (pods), the API group (\"\" is the core group) and the namespace.",
            "Read it as the rule to add: a Role in namespace workshop with verb list on pods in group \"\", bound to that user. If the user is not the one you expected, the token belongs to another service account. The Troubleshoot page reads any such error and writes that Role for you.",
        ],
        commands: "kubectl --kubeconfig demo-kubeconfig.yaml get pods",
        output: FORBIDDEN,
        links: &[
            ("See this 403 explained, with its fix", "#/troubleshoot?example=forbidden"),
            ("Add the missing rule in the RBAC builder", "#/rbac?preset=read-pods&sa=demo-app&ns=workshop"),
            ("Find the binding to a missing Role", "#/access?example=bound&rbac=demo"),
        ],
    },
];

/// The example error `id` of a deep link such as `#/troubleshoot?example=forbidden`: the walk's
/// own errors, so a link shows one explained without any user text in the URL.
pub fn error_example(id: &str) -> Option<&'static str> {
    match id {
        "forbidden" => Some(FORBIDDEN),
        _ => None,
    }
}

/// The step with this id.
pub fn find(id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.id == id)
}
