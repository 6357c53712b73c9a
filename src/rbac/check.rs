//! Checks of the RBAC form's names: the service account, its namespace, the ClusterRole to
//! bind and the token Secret, and fields too long to be anything but a paste into the wrong box.

use super::{shown, Field, Names, RbacForm};
use crate::checks::Checks;
use crate::error::field_too_long;
use crate::finding::{Finding, Level};
use crate::kube::MAX_FIELD_BYTES;
use crate::names::{self, MAX_LABEL, MAX_SUBDOMAIN};

/// An error for every field longer than [`MAX_FIELD_BYTES`], which does not quote it.
pub(super) fn too_long_fields(form: &RbacForm, checks: &mut Checks<Field>) {
    let mut fields = vec![
        (Field::ServiceAccount, form.service_account.as_str()),
        (Field::Namespace, form.namespace.as_str()),
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
    let fault = names::subdomain_fault(name);
    if let Some(fault) = fault {
        checks.error(
            field,
            format!(
                "{label} {} is not a valid name: {fault}. Kubernetes requires a DNS-1123 \
                 subdomain: lower-case letters, digits, '-' and '.', starting and ending with \
                 a letter or digit, at most {MAX_SUBDOMAIN} characters.",
                shown(name)
            ),
        );
    }
}

/// Namespace names: a DNS-1123 label, shorter and without dots.
pub(super) fn check_label(field: Field, name: &str, checks: &mut Checks<Field>) {
    let label = field.label();
    if name.is_empty() {
        checks.error(
            field,
            format!("{label} is empty: a service account lives in a namespace (e.g. `default`)."),
        );
        return;
    }
    let fault = names::label_fault(name);
    if let Some(fault) = fault {
        checks.error(
            field,
            format!(
                "{label} {} is not a valid namespace name: {fault}. Kubernetes requires a \
                 DNS-1123 label: lower-case letters, digits and '-', starting and ending with a \
                 letter or digit, at most {MAX_LABEL} characters.",
                shown(name)
            ),
        );
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
