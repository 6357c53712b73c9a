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

pub mod access; // what a subject can do under pasted RBAC, as the API server decides
pub mod activity; // audit events -> one token's requests, the RBAC they need, what is unused
pub mod apierror; // API server error messages -> what was denied, why, and the fix
pub mod audit; // the legacy token audit: token Secrets -> rows, clean-up dates, CSV, plan
pub mod b64; // strict base64url of JWS segments, with positions in errors
pub mod cert; // the X.509 Certificate structure read from DER, below keys and x509
pub mod checks; // the errors and warnings of a form, field by field
pub mod chunk; // a file read in chunks: byte ranges, progress words, UTF-8 and lines across cuts
pub mod claims; // the Kubernetes claim model: legacy vs bound, absent vs malformed
pub mod client_cert; // a client certificate or kubeconfig user: who it is, its CA, its findings
pub mod cloud; // workload-identity tokens: a cloud's audience, its cluster, its trust policy
pub mod der;
pub mod dump_stream; // Kubernetes object dumps split item by item from byte chunks, with bounded memory // a small strict DER reader for certificates and keys
pub mod error; // error kinds that say where input went wrong
pub mod escalation; // how far a subject gets: steps to others' rights, shortest paths, minimum cut, workloads
pub mod examples; // the built-in demo tokens, JWKS and CA bundle (demo/)
pub mod explain; // (decoded token, now) -> rows, identity and findings to render
pub mod finding; // Finding { level, title, why }: how the core reports anything worth saying
pub mod input; // recognise what was pasted: JWT, Bearer, base64, Secret, describe, kubeconfig
pub mod json; // reading serde_json values: kinds for messages, scalars as text, named entries
pub mod jwt; // split and decode compact JWS
pub mod k8s_write; // the one writer of RBAC objects: roles, bindings, rules, metadata
pub mod keys; // verification keys (JWKS, JWK, PEM), Kubernetes key IDs, the checks to run
pub mod kube; // facts of a cluster: the RBAC group, built-in resources, field limits
pub mod kubeconfig; // build a kubeconfig for a token (checked field by field), or read one back
pub mod names; // Kubernetes name rules (DNS-1123 labels, subdomains, path segments) and look-alikes
pub mod pem; // PEM framing and the lenient base64 reader, with lines and columns in errors
pub mod picture; // pictures (inline SVG) drawn from what the core computes, each with a text equivalent
pub mod rbac; // the RBAC builder: ServiceAccount, Role or ClusterRole, binding, kubectl, in words
pub mod redact; // masking signatures, uids and tokens for screenshots (the Redact switch)
pub mod report; // Inspect, Troubleshoot, Access and Audit as Markdown and JSON, redacted
pub mod risk; // why an RBAC rule or binding is dangerous, shared by the builder and evaluator
pub mod share; // share links: a page's form in the URL fragment, never a secret
pub mod shell; // POSIX single-quote quoting for the commands the page prints
pub mod snippets; // client code (Python, Go, curl) that uses a kubeconfig or the in-cluster token
pub mod sort; // stable sorting with one copy of the sort in the wasm
pub mod spki; // curves, key algorithms and their OIDs; SubjectPublicKeyInfo read and written
pub mod time; // ISO-8601 and relative times from a `now` the caller passes
pub mod token_request; // kubectl create token, TokenRequest, projected volume, claims preview
pub mod ui; // the only module that knows about yew and web-sys
pub mod unauthorized; // why the API server answers 401 to a token: each cause checked
pub mod walk; // the guided walk on #/learn, as data
pub mod webcrypto; // the typed plan of one signature check the browser runs
pub mod x509; // certificates and chains, summarised for display
pub mod yaml; // pasted YAML read into serde_json values
pub mod yaml_write; // YAML written with quoting that survives every value
