//! Checks of the RBAC form's names: the subject, the namespaces, the ClusterRole to bind and
//! the token Secret, and fields too long to be anything but a paste into the wrong box.

use super::{shown, Field, Names, RbacForm, Scope, SubjectKind, MAX_NAMESPACES};
use crate::k8s::kube::MAX_FIELD_BYTES;
use crate::k8s::names::{self, DnsRule, MAX_SUBDOMAIN};
use crate::support::checks::Checks;
use crate::support::error::field_too_long;
use crate::support::finding::{Finding, Level};

/// An error for every field longer than [`MAX_FIELD_BYTES`], which does not quote it.
pub(super) fn too_long_fields(form: &RbacForm, checks: &mut Checks<Field>) {
    let mut fields = vec![
        (Field::ServiceAccount, form.service_account.as_str()),
        (Field::Namespace, form.namespace.as_str()),
        (Field::AccountNamespace, form.account_namespace.as_str()),
        (Field::ClusterRole, form.cluster_role.as_str()),
    ];
    for (i, row) in form.rules.iter().enumerate() {
        fields.push((Field::ApiGroups(i), row.api_groups.as_str()));
        fields.push((Field::Resources(i), row.resources.as_str()));
        fields.push((Field::Verbs(i), row.verbs.as_str()));
        fields.push((Field::ResourceNames(i), row.resource_names.as_str()));
        fields.push((Field::NonResourceUrls(i), row.non_resource_urls.as_str()));
    }
    for (field, value) in fields {
        if value.len() > MAX_FIELD_BYTES {
            checks.error(field, field_too_long(&field, value.len(), MAX_FIELD_BYTES));
        }
    }
}

/// Object names (ServiceAccount, Secret): a DNS-1123 subdomain, as Kubernetes requires
/// (`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253).
pub(super) fn check_subdomain(field: Field, name: &str, checks: &mut Checks<Field>) {
    let label = field.label();
    if name.is_empty() {
        checks.error(
            field,
            format!("{label} is empty: every Kubernetes object needs a name (e.g. `ci-deployer`)."),
        );
        return;
    }
    if let Err(invalid) = names::check(DnsRule::Subdomain, name) {
        checks.error(field, format!("{label} {} {invalid}", shown(name)));
    }
}

/// Namespace names: a DNS-1123 label, shorter and without dots.
pub(super) fn check_label(field: Field, name: &str, checks: &mut Checks<Field>) {
    let label = field.label();
    if name.is_empty() {
        checks.error(
            field,
            format!(
                "{label} is empty: a service account lives in a namespace, and a Role and \
                 RoleBinding are written in one (e.g. `default`)."
            ),
        );
        return;
    }
    if let Err(invalid) = names::check(DnsRule::Label, name) {
        checks.error(field, format!("{label} {} {invalid}", shown(name)));
    }
}

/// The ClusterRole to bind: any RBAC name (a path segment: no `/` or `%`, not `.` or `..`),
/// since roles such as `system:aggregate-to-view` have colons. Such names may hold any letter,
/// so one that mixes Latin with Cyrillic or Greek look-alikes gets a warning.
pub(super) fn check_cluster_role(name: &str, checks: &mut Checks<Field>) {
    let fault = if name.is_empty() {
        Some(
            "ClusterRole is empty: name the ClusterRole to bind, such as `view`, `edit`, `admin` \
             or `cluster-admin`."
                .to_string(),
        )
    } else if name.chars().any(char::is_whitespace) {
        Some(format!(
            "ClusterRole {} has white space in it: no role is named that way (`kubectl get \
             clusterroles` lists the names).",
            shown(name)
        ))
    } else {
        names::path_segment_fault(name).map(|fault| {
            format!(
                "ClusterRole {} cannot be a role's name: {fault}. RBAC names are path \
                 segments, so they cannot be '.' or '..' or contain '/', '%' or a control \
                 character.",
                shown(name)
            )
        })
    };
    if let Some(message) = fault {
        checks.error(Field::ClusterRole, message);
    } else if let Some(why) = names::look_alikes(name) {
        checks.warn(
            Field::ClusterRole,
            Finding {
                level: Level::Warning,
                title: "ClusterRole name mixes scripts".to_string(),
                why: format!("ClusterRole {} {why}", shown(name)),
            },
        );
    }
}

/// The token Secret's name, `<account>-token`, must itself be a valid object name.
pub(super) fn check_secret_name(names: &Names, checks: &mut Checks<Field>) {
    let len = names.secret.chars().count();
    if !names.account.is_empty() && len > MAX_SUBDOMAIN {
        checks.error(
            Field::TokenSecret,
            format!(
                "The token Secret would be named {}-token, {len} characters: more than the \
                 {MAX_SUBDOMAIN} a DNS-1123 subdomain allows. Shorten the service account's \
                 name to at most {} characters.",
                names.account.chars().take(20).collect::<String>() + "…",
                MAX_SUBDOMAIN - "-token".len()
            ),
        );
    }
}

/// The subject's name: a service account's is an object name; a user's or group's is free
/// text as the authenticator reports it (a certificate's CN or O, an OIDC claim), so it is
/// only refused empty or with characters no one types, and warned of when it mixes scripts or
/// names a subject that bypasses or widens RBAC.
pub(super) fn check_subject(form: &RbacForm, names: &Names, checks: &mut Checks<Field>) {
    let name = names.account.as_str();
    let kind = match form.subject {
        SubjectKind::ServiceAccount => {
            check_subdomain(Field::ServiceAccount, name, checks);
            if !form.account_namespace.trim().is_empty() {
                check_label(Field::AccountNamespace, &names.home, checks);
            }
            return;
        }
        SubjectKind::User => "User",
        SubjectKind::Group => "Group",
    };
    if form.token_secret {
        checks.error(
            Field::TokenSecret,
            format!(
                "A token Secret belongs to a service account, and the subject is a {}: \
                 choose Service account, or clear Token Secret.",
                kind.to_ascii_lowercase()
            ),
        );
    }
    if name.is_empty() {
        checks.error(
            Field::SubjectName,
            format!(
                "{kind} is empty: a binding names its subject exactly as the authenticator \
                 reports it (e.g. `jane@example.com`, or a client certificate's CN or O)."
            ),
        );
        return;
    }
    let odd = name
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || crate::formats::yaml_write::invisible(*c));
    if let Some((at, c)) = odd {
        checks.error(
            Field::SubjectName,
            format!(
                "{kind} {} has U+{:04X}, a control or invisible character, at character {}: \
                 no authenticator reports such a name. Copy it from `kubectl auth whoami` or \
                 the error message.",
                shown(name),
                u32::from(c),
                at.saturating_add(1)
            ),
        );
        return;
    }
    if let Some(why) = names::look_alikes(name) {
        checks.warn(
            Field::SubjectName,
            Finding {
                level: Level::Warning,
                title: format!("{kind} name mixes scripts"),
                why: format!("{kind} {} {why}", shown(name)),
            },
        );
    }
    let finding = |level, title: &str, why: String| Finding {
        level,
        title: title.to_string(),
        why,
    };
    let warning = match (form.subject, name) {
        (SubjectKind::Group, "system:authenticated" | "system:unauthenticated") => Some(finding(
            Level::Danger,
            "Granted to everyone",
            format!(
                "Group {name} holds {}: whatever is granted here, they all get.",
                if name == "system:authenticated" {
                    "every user and service account that logs in"
                } else {
                    "every request without credentials"
                }
            ),
        )),
        (SubjectKind::User, "system:anonymous") => Some(finding(
            Level::Danger,
            "Granted to everyone",
            "User system:anonymous is every request without credentials.".to_string(),
        )),
        (SubjectKind::Group, "system:serviceaccounts") => Some(finding(
            Level::Danger,
            "Granted to every service account",
            "Group system:serviceaccounts holds every service account of every namespace: a \
             token leaked from any pod carries this grant."
                .to_string(),
        )),
        (SubjectKind::Group, "system:masters") => Some(finding(
            Level::Info,
            "Already allowed everything",
            "Members of system:masters are allowed every request before RBAC is asked: this \
             grant changes nothing for them."
                .to_string(),
        )),
        (SubjectKind::User, user) if user.starts_with("system:serviceaccount:") => Some(finding(
            Level::Info,
            "A service account's user name",
            format!(
                "{user} is a service account: binding it as a User works, but choose Service \
                 account to have the builder check its name and write the account."
            ),
        )),
        _ => None,
    };
    checks.warn_once(Field::SubjectName, warning.into_iter().collect());
}

/// Where the grants go: at least one namespace for namespaced bindings (and for the service
/// account's own), each a valid name, at most [`MAX_NAMESPACES`].
pub(super) fn check_namespaces(form: &RbacForm, names: &Names, checks: &mut Checks<Field>) {
    let account_from_list =
        form.subject == SubjectKind::ServiceAccount && form.account_namespace.trim().is_empty();
    let namespaced = !form.scope.cluster_wide();
    if names.namespaces.is_empty() {
        if namespaced || account_from_list {
            check_label(Field::Namespace, "", checks);
        }
        return;
    }
    if names.namespaces.len() > MAX_NAMESPACES {
        checks.error(
            Field::Namespace,
            format!(
                "{} namespaces: the builder writes at most {MAX_NAMESPACES} at once. A grant \
                 in that many namespaces is a cluster-wide one; choose the cluster scope.",
                names.namespaces.len()
            ),
        );
        return;
    }
    for ns in &names.namespaces {
        check_label(Field::Namespace, ns, checks);
    }
    if !namespaced {
        let used = usize::from(account_from_list);
        if names.namespaces.len() > used {
            checks.warn(
                Field::Namespace,
                Finding {
                    level: Level::Info,
                    title: "Namespaces not used".to_string(),
                    why: format!(
                        "A ClusterRoleBinding grants in every namespace, so the namespaces \
                         listed {}do not limit it. Choose a namespaced scope to grant only \
                         in them.",
                        if used == 1 {
                            "after the service account's "
                        } else {
                            ""
                        }
                    ),
                },
            );
        }
    }
    if form.shared_role && form.scope != Scope::Namespace {
        checks.warn(
            Field::Scope,
            Finding {
                level: Level::Info,
                title: "One ClusterRole: not used".to_string(),
                why: "One ClusterRole bound in each namespace applies to the namespace scope \
                      only; this scope writes its own objects."
                    .to_string(),
            },
        );
    }
}
