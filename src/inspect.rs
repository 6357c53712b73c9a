//! The Inspect page's core: what was pasted, the token and client certificate found in it,
//! explained at `now`, and the cloud a workload-identity token is meant for.

pub mod client_cert; // a client certificate or kubeconfig user: who it is, its CA, its findings
pub mod cloud; // workload-identity tokens: a cloud's audience, its cluster, its trust policy
pub mod explain; // (decoded token, now) -> rows, identity and findings to render
pub mod input; // recognise what was pasted: JWT, Bearer, base64, Secret, describe, kubeconfig
