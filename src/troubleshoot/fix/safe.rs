//! What a 403 must never put into a fix: a `*` the authorizer would read as "every", and
//! names Kubernetes would never have issued, which in a printed command could land anywhere.
//!
//! A request can name `*` (`/api/v1/namespaces/prod/*` is refused as `list` of resource `*`),
//! but a rule cannot name it back: in RBAC, `*` in verbs, apiGroups and resources, and a
//! trailing `*` in nonResourceURLs, mean every one. Granting such a request would grant
//! everything, so there is no least-privilege fix for it.

use super::NoFix;
use crate::troubleshoot::{Forbidden, Requester};

/// Why granting `f` would grant every verb, group, resource or path, or `None`.
pub(super) fn wildcard(f: &Forbidden) -> Option<NoFix> {
    let what = if let Some(path) = f.path.as_deref().filter(|p| p.ends_with('*')) {
        format!(
            "the path {path}: in nonResourceURLs a trailing * matches every path that starts \
             with {}",
            path.trim_end_matches('*')
        )
    } else if f.verb == "*" {
        "the verb *: in a rule it means every verb, including escalate, bind and impersonate"
            .to_string()
    } else if f.path.is_some() {
        return None;
    } else if f.group == "*" {
        "the API group *: in a rule it means every API group, including ones installed later"
            .to_string()
    } else if f.resource == "*" {
        "the resource *: in a rule it means every resource in the group, Secrets included"
            .to_string()
    } else if f.subresource.as_deref() == Some("*") {
        format!(
            "the subresource {}/*: no real subresource has that name, and a rule naming it \
             reads as every subresource of {}",
            f.resource, f.resource
        )
    } else {
        return None;
    };
    Some(NoFix {
        why: format!(
            "The request named {what}. A rule can only write * as a wildcard, so granting this \
             request would grant everything it stands for: no rule grants just this. The * \
             usually comes from a URL built with an empty or unexpanded variable, or from a \
             client asking for everything at once; fix the request, then read the error it \
             gets."
        ),
    })
}

/// Why the namespace or the service account of `f` is not one Kubernetes allows, or `None`.
/// An empty namespace would put the Role in whatever namespace the admin's context uses.
pub(super) fn names(f: &Forbidden) -> Option<NoFix> {
    let bad = |why: String| Some(NoFix { why });
    if f.path.is_none() {
        if let Some(ns) = &f.namespace {
            if ns.is_empty() {
                return bad(
                    "The error names an empty namespace. A Role with namespace \"\" lands in \
                     whatever namespace the kubectl context of whoever applies it uses, so none \
                     is written: read the namespace from the request, and paste an error that \
                     names it."
                        .to_string(),
                );
            }
            if let Some(fault) = label_fault(ns) {
                return bad(format!(
                    "The namespace {ns:?} is not a name Kubernetes allows ({fault}): namespaces \
                     are DNS-1123 labels, lower-case letters, digits and '-', at most 63 \
                     characters. Paste the error as the API server wrote it."
                ));
            }
        }
    }
    if let Requester::ServiceAccount { namespace, name } = &f.requester {
        let fault = label_fault(namespace)
            .map(|fault| format!("its namespace {namespace:?}: {fault}"))
            .or_else(|| subdomain_fault(name).map(|fault| format!("its name {name:?}: {fault}")));
        if let Some(fault) = fault {
            return bad(format!(
                "The user {} is not a service account Kubernetes could have issued ({fault}), \
                 so no binding can name it. Paste the error as the API server wrote it.",
                f.user
            ));
        }
    }
    None
}

/// Kubernetes' rules for namespaces (DNS-1123 labels) and service-account and Secret names
/// (DNS-1123 subdomains), from the one checker every page uses.
pub(in crate::troubleshoot) use crate::k8s::names::{label_fault, subdomain_fault};
