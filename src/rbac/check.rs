//! Checks of the RBAC form's names: the service account, its namespace, the ClusterRole to
//! bind and the token Secret, and fields too long to be anything but a paste into the wrong box.

use super::{shown, Field, Names, RbacForm};
use crate::checks::Checks;
use crate::error::field_too_long;
use crate::kube::MAX_FIELD_BYTES;

/// The longest DNS-1123 subdomain (object names) and label (namespace names).
pub(super) const MAX_SUBDOMAIN: usize = 253;
pub(super) const MAX_LABEL: usize = 63;

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

/// The first character a DNS-1123 name cannot have (lower-case letters, digits, `-`, and `.`
/// when `dots`), said with its place: labels and subdomains differ only in the dot.
fn bad_char(name: &str, dots: bool) -> Option<String> {
    let allowed =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (dots && c == '.');
    let (at, c) = name.chars().enumerate().find(|(_, c)| !allowed(*c))?;
    Some(if c.is_ascii_uppercase() {
        format!("'{c}' at character {} is upper case", at + 1)
    } else {
        format!("{c:?} at character {} is not allowed", at + 1)
    })
}

/// Why `name` is not a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`), or `None` if it is.
pub(super) fn label_fault(name: &str) -> Option<String> {
    if let Some(fault) = bad_char(name, false) {
        return Some(fault);
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("it starts or ends with '-'".to_string());
    }
    None
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
    let fault = if let Some(fault) = bad_char(name, true) {
        Some(fault)
    } else if name.chars().count() > MAX_SUBDOMAIN {
        Some(format!(
            "it is {} characters long, more than {MAX_SUBDOMAIN}",
            name.chars().count()
        ))
    } else if name.split('.').any(str::is_empty) {
        Some("it starts or ends with '.', or has two dots in a row".to_string())
    } else if name
        .split('.')
        .any(|part| part.starts_with('-') || part.ends_with('-'))
    {
        Some("it starts or ends with '-' (or has '-' next to a '.')".to_string())
    } else {
        None
    };
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
    let fault = if name.chars().count() > MAX_LABEL {
        Some(format!(
            "it is {} characters long, more than {MAX_LABEL}",
            name.chars().count()
        ))
    } else if let Some(at) = name.find('.') {
        Some(format!(
            "'.' at character {} is not allowed in a namespace",
            name.get(..at).map_or(0, |s| s.chars().count()) + 1
        ))
    } else {
        label_fault(name)
    };
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
/// since roles such as `system:aggregate-to-view` have colons.
pub(super) fn check_cluster_role(name: &str, checks: &mut Checks<Field>) {
    let fault = if name.is_empty() {
        Some(
            "ClusterRole is empty: name the ClusterRole to bind, such as `view`, `edit`, `admin` \
             or `cluster-admin`."
                .to_string(),
        )
    } else if name == "." || name == ".." || name.contains(['/', '%']) {
        Some(format!(
            "ClusterRole {} cannot be a role's name: RBAC names are path segments, so they \
             cannot be '.' or '..' or contain '/' or '%'.",
            shown(name)
        ))
    } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some(format!(
            "ClusterRole {} has white space or a control character in it: no role is named \
             that way (`kubectl get clusterroles` lists the names).",
            shown(name)
        ))
    } else {
        None
    };
    if let Some(message) = fault {
        checks.error(Field::ClusterRole, message);
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
