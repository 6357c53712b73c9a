//! A 403 to a kubelet's credential (`system:node:<name>`): the Node authorizer and the
//! NodeRestriction admission plugin decide what a node may do, on purpose narrowly, so the
//! fix is never an RBAC grant to the node.
//!
//! The reasons are the Node authorizer's own (`plugin/pkg/auth/authorizer/node/
//! node_authorizer.go`): `unknown node for user "…"` for a user with no node name, `no
//! relationship found between node '…' and this object` for an object no pod of the node
//! uses, and `can only access …`, `cannot read …, only its own Node object` for another
//! node's objects.

use super::{Forbidden, Guide, Requester};

/// Why the Node authorizer refused, read from its reason and the user name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeReason {
    /// The user has no node name after `system:node:`.
    NoName,
    /// The object is not related to any pod of the node.
    NoRelationship,
    /// The object belongs to another node (its Node object, its Lease).
    OtherNode,
    /// A request kubelets make all the time (list pods, get its Node, read a Secret) refused
    /// with no reason from the Node authorizer: it is not among the API server's authorizers.
    KubeletRequest,
    /// The node asked for something no kubelet asks for (RBAC objects): a person using a
    /// kubelet's kubeconfig.
    NotANodeRequest,
}

/// Resources a kubelet reads or writes in its normal work, which the Node authorizer decides.
const KUBELET_RESOURCES: [&str; 16] = [
    "pods",
    "nodes",
    "services",
    "endpoints",
    "endpointslices",
    "configmaps",
    "secrets",
    "persistentvolumeclaims",
    "persistentvolumes",
    "csinodes",
    "csidrivers",
    "leases",
    "events",
    "runtimeclasses",
    "certificatesigningrequests",
    "volumeattachments",
];

/// The node's name from the 403, empty when the credential carries none.
pub fn node_name(f: &Forbidden) -> &str {
    match &f.requester {
        Requester::Node { name } => name,
        _ => "",
    }
}

/// Why the Node authorizer refused `f`.
pub fn reason(f: &Forbidden) -> NodeReason {
    let reason = f.reason.as_deref().unwrap_or_default();
    if node_name(f).is_empty() || reason.contains("unknown node for user") {
        NodeReason::NoName
    } else if reason.contains("no relationship found") {
        NodeReason::NoRelationship
    } else if reason.contains("can only ")
        || reason.contains("only its own")
        || reason.contains("cannot read")
        || reason.contains("cannot modify")
    {
        NodeReason::OtherNode
    } else if KUBELET_RESOURCES.contains(&f.resource.as_str()) {
        NodeReason::KubeletRequest
    } else {
        NodeReason::NotANodeRequest
    }
}

/// The cause and steps of a node's 403.
pub(super) fn guide(f: &Forbidden) -> Guide {
    let name = node_name(f);
    let mut cause = format!(
        "The request was made with a kubelet's credential, {}. Requests of nodes (user \
         system:node:NAME in group system:nodes) are decided by the Node authorizer, not by \
         RBAC: a node may read the Secrets, ConfigMaps, volumes and service-account tokens of \
         the pods bound to it, and write its own Node, Lease and pods' status; the \
         NodeRestriction admission plugin holds it to its own objects. No Role or binding \
         should change that.",
        f.user
    );
    let mut steps = Vec::new();
    let mut commands = Vec::new();
    match reason(f) {
        NodeReason::NoName => {
            cause.push_str(
                " Here the user name carries no node name, so the Node authorizer cannot \
                 tell which node this is and refuses everything.",
            );
            steps.push(
                "Give the kubelet a client certificate with CN=system:node:NODE_NAME and \
                 O=system:nodes, NODE_NAME being exactly the name it registers (its \
                 hostname, or --hostname-override)."
                    .to_string(),
            );
            commands.push(
                "openssl x509 -in /var/lib/kubelet/pki/kubelet-client-current.pem -noout \
                 -subject"
                    .to_string(),
            );
        }
        NodeReason::NoRelationship => {
            cause.push_str(&format!(
                " Here no pod scheduled to node {name} uses this object, so the Node \
                 authorizer finds no path from the node to it: the pod was deleted or not \
                 yet bound, the object is referenced by a pod on another node, or the API \
                 server's graph of pods was still filling after a restart."
            ));
            steps.push(
                "If it persists, check that the pod that needs the object is scheduled to \
                 this node, and that the object exists under the name the pod uses."
                    .to_string(),
            );
        }
        NodeReason::OtherNode => {
            cause.push_str(&format!(
                " Here node {name} asked for another node's object: the name in its \
                 credential is not the node it acts for."
            ));
            steps.push(format!(
                "Make the kubelet's node name match its certificate: register as {name}, \
                 or issue it a certificate for the name it registers with \
                 (CN=system:node:NODE_NAME)."
            ));
        }
        NodeReason::KubeletRequest => {
            cause.push_str(
                " Kubelets make this request in their normal work, and the Node authorizer \
                 gave no reason of its own: most likely it is not among the API server's \
                 authorizers. Since Kubernetes 1.8, RBAC no longer grants the system:nodes \
                 group this access, so without the Node mode every kubelet is refused.",
            );
            steps.push(
                "Add Node to the API server's --authorization-mode, before RBAC \
                 (--authorization-mode=Node,RBAC), and NodeRestriction to \
                 --enable-admission-plugins."
                    .to_string(),
            );
        }
        NodeReason::NotANodeRequest => {
            cause.push_str(
                " This request is not one a node makes on its own behalf: if you ran kubectl \
                 with a kubelet's kubeconfig (such as /etc/kubernetes/kubelet.conf), use an \
                 admin's kubeconfig instead.",
            );
            steps.push(
                "If it is the kubelet itself that is refused, check that the API server's \
                 --authorization-mode lists Node before RBAC, and that --enable-admission-plugins \
                 has NodeRestriction."
                    .to_string(),
            );
            commands
                .push("kubectl config view --minify -o jsonpath='{.users[0].name}'".to_string());
        }
    }
    Guide {
        cause,
        steps,
        commands,
        yaml: None,
    }
}
