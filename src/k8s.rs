//! Kubernetes facts every feature shares: the built-in resources, the rules for names, what
//! makes an RBAC grant dangerous, and the one writer of RBAC objects.

pub mod kube; // facts of a cluster: the RBAC group, built-in resources, field limits
pub mod names; // Kubernetes name rules (DNS-1123 labels, subdomains, path segments) and look-alikes
pub mod risk; // why an RBAC rule or binding is dangerous, shared by the builder and evaluator
pub mod write; // the one writer of RBAC objects: roles, bindings, rules, metadata
