//! Tokenscope: understand Kubernetes service-account tokens, CA certificates and kubeconfigs,
//! entirely in the browser.
//!
//! Everything outside [`ui`] is a pure core: no I/O, no clock, no `web-sys`. It is tested
//! natively with `cargo test`; the UI only holds state and renders what the core returns.
//! See `ARCHITECTURE.md` for the map and the invariants.
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

// The core, by concept: each folder's module file lists its parts.
pub mod access; // what a subject can do under pasted RBAC, as the API server decides; how far it gets
pub mod activity; // audit events -> one token's requests, the RBAC they need, what is unused
pub mod audit; // the legacy token audit: token Secrets -> rows, clean-up dates, CSV, plan
pub mod crypto; // DER, PEM, SPKI, certificates and chains, verification keys, signature-check plans
pub mod formats; // YAML and JSON read and written, shell quoting for printed commands
pub mod inspect; // what was pasted, the token and client certificate in it, explained at `now`
pub mod k8s; // Kubernetes facts: built-in resources, name rules, dangerous grants
pub mod kubeconfig; // build a kubeconfig for a token (checked field by field), read one back, client code
pub mod learn; // the guided walk on #/learn, as data, and the built-in demo material
pub mod picture; // pictures (inline SVG) drawn from what the core computes, each with a text equivalent
pub mod rbac; // the RBAC builder: ServiceAccount, Role or ClusterRole, binding, kubectl, in words
pub mod redact; // masking signatures, uids and tokens for screenshots (the Redact switch)
pub mod share; // share links and reports: a page's form in the URL fragment, never a secret
pub mod state; // the pages' state and the actions that change it, one slice per page
pub mod support; // errors, findings, a form's checks, times from `now`, stable sorting
pub mod token; // the token itself: compact JWS decoded, the Kubernetes claims read
pub mod token_request; // kubectl create token, TokenRequest, projected volume, claims preview
pub mod troubleshoot; // API server errors -> what was denied, why, and the fix; the 401 checklist
pub mod ui; // the only module that knows about yew and web-sys
