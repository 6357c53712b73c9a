//! Whether a fix grants exactly its request, as our own evaluator decides it: the fix's
//! objects alone answer Yes for the refused request and No for each of its neighbours, so the
//! page says "exactly this request" only when that is checked, not assumed.

use crate::access::{self, can_i, Query};
use crate::troubleshoot::Forbidden;

/// The refused request as the evaluator asks it, taken field by field (no short names, no
/// group filled in), so it is the request the API server refused.
pub(super) fn request(f: &Forbidden) -> Query {
    match &f.path {
        Some(path) => Query {
            verb: f.verb.clone(),
            resource: path.clone(),
            api_group: String::new(),
            namespace: None,
            name: None,
        },
        None => Query {
            verb: f.verb.clone(),
            resource: f.resource_with_subresource(),
            api_group: f.group.clone(),
            namespace: f.namespace.clone(),
            name: f.name.clone(),
        },
    }
}

/// Requests one step away from `f`'s: another verb, resource, subresource, group, namespace
/// or object name, the cluster scope for a namespaced request, a longer path.
pub(super) fn neighbours(f: &Forbidden) -> Vec<Query> {
    let asked = request(f);
    let other = |word: &str, a: &str, b: &str| if word == a { b } else { a }.to_string();
    let mut out = vec![Query {
        verb: other(&f.verb, "delete", "get"),
        ..asked.clone()
    }];
    if let Some(path) = &f.path {
        let longer = if path.ends_with('/') {
            format!("{path}x")
        } else {
            format!("{path}/x")
        };
        out.push(Query {
            resource: longer,
            ..asked.clone()
        });
        out.push(Query {
            resource: format!("{path}x"),
            ..asked
        });
        return out;
    }
    let resource = match &f.subresource {
        Some(sub) => format!("{}/{sub}", other(&f.resource, "secrets", "configmaps")),
        None => other(&f.resource, "secrets", "configmaps"),
    };
    out.push(Query {
        resource,
        ..asked.clone()
    });
    match &f.subresource {
        Some(sub) => {
            out.push(Query {
                resource: f.resource.clone(),
                ..asked.clone()
            });
            out.push(Query {
                resource: format!("{}/{}", f.resource, other(sub, "exec", "log")),
                ..asked.clone()
            });
        }
        None => out.push(Query {
            resource: format!("{}/exec", f.resource),
            ..asked.clone()
        }),
    }
    out.push(Query {
        api_group: other(&f.group, "", "example.com"),
        ..asked.clone()
    });
    // A request for one namespace is made in it: its name is its namespace.
    let own_namespace = f.group.is_empty() && f.resource == "namespaces" && f.name.is_some();
    if let Some(ns) = f.namespace.as_ref().filter(|_| !own_namespace) {
        out.push(Query {
            namespace: Some(other(ns, "kube-system", "default")),
            ..asked.clone()
        });
        out.push(Query {
            namespace: None,
            ..asked.clone()
        });
    }
    if let Some(name) = &f.name {
        out.push(Query {
            name: Some(format!("{name}-other")),
            ..asked.clone()
        });
    }
    out
}

/// Whether `yaml` (the fix's objects) allows `f`'s request and none of its neighbours. A rule
/// that cannot be limited to the named object allows other names too, so it is not exact.
pub(super) fn confirmed(f: &Forbidden, yaml: &str) -> bool {
    let Ok(policy) = access::parse(yaml) else {
        return false;
    };
    let subject = f.subject();
    if !can_i(&policy, &subject, &request(f)).allowed {
        return false;
    }
    neighbours(f)
        .iter()
        .all(|q| !can_i(&policy, &subject, q).allowed)
}
