//! The token-request form's field rules: Kubernetes' names and paths, and what the API
//! server does with the lifetime and audiences asked for, each said beside its field.

use super::{
    manifests, BoundKind, BoundObject, Field, Written, DEFAULT_MOUNT_PATH, DEFAULT_TOKEN_DIR,
};
use crate::k8s::names::{self, brief, DnsRule};
use crate::support::checks::Checks;
use crate::support::finding::{Finding, Level};

/// A character no name or path should hold: a control character or an invisible one, which
/// would hide in every printed command.
pub(super) fn hidden(c: char) -> bool {
    c.is_control() || crate::formats::yaml_write::invisible(c)
}

/// A warning beside `field`: one sentence, titled with the field's label, where the page
/// shows it.
pub(super) fn warn(checks: &mut Checks<Field>, field: Field, why: impl Into<String>) {
    checks.warn(field, Finding::new(Level::Warning, field.label(), why));
}

/// A fact worth knowing beside `field` (who may shorten the lifetime, what a binding does):
/// kept with the warnings at the level of information, and shown apart from them.
pub(super) fn note(checks: &mut Checks<Field>, field: Field, why: impl Into<String>) {
    checks.warn(field, Finding::new(Level::Info, field.label(), why));
}

/// `{field} {name:?} is not a valid …`, or nothing when `name` follows `rule`.
pub(super) fn name_error(field: &str, rule: DnsRule, name: &str) -> Option<String> {
    names::check(rule, name)
        .err()
        .map(|invalid| format!("{field} {:?} {invalid}", brief(name)))
}

pub(super) fn check_bound(bound: &BoundObject, checks: &mut Checks<Field>) {
    let kind = bound.kind.kind();
    if bound.name.is_empty() {
        checks.error(
            Field::BoundName,
            format!(
                "Bound object name is empty: kubectl requires --bound-object-name with \
                 --bound-object-kind. Name the {kind}, or bind to nothing."
            ),
        );
    } else if let Some(message) = name_error("Bound object name", DnsRule::Subdomain, &bound.name) {
        checks.error(Field::BoundName, message);
    }
    if let Some(uid) = &bound.uid {
        if let Some(c) = uid.chars().find(|c| hidden(*c) || c.is_whitespace()) {
            checks.error(
                Field::BoundUid,
                format!(
                    "Bound object uid has white space or a control character (U+{:04X}); copy \
                     it from `kubectl get {} NAME -o jsonpath='{{.metadata.uid}}'`.",
                    u32::from(c),
                    kind.to_ascii_lowercase()
                ),
            );
        } else if !is_uuid(uid) {
            warn(
                checks,
                Field::BoundUid,
                format!(
                    "Bound object uid {:?} does not look like a uid (8-4-4-4-12 hex digits); \
                     the API server refuses the request unless it is the {kind}'s uid exactly.",
                    brief(uid)
                ),
            );
        }
    }
    match bound.kind {
        BoundKind::Pod => note(
            checks,
            Field::BoundName,
            "The API server binds the token only if the Pod runs as this service account, and \
             also records the Pod's node in the token. Deleting the Pod revokes the token.",
        ),
        BoundKind::Secret => note(
            checks,
            Field::BoundName,
            "Deleting the Secret revokes the token: a way to hand out a token that can be \
             withdrawn before it expires.",
        ),
        BoundKind::Node => note(
            checks,
            Field::BoundName,
            "Binding to a Node needs the API server's ServiceAccountTokenNodeBinding feature. \
             A kubectl that answers \"supported --bound-object-kind values are Pod, Secret\" \
             lists Node only with KUBECTL_NODE_BOUND_TOKENS=true in its environment.",
        ),
    }
}

/// `8-4-4-4-12` hexadecimal digits, as Kubernetes writes uids.
pub(super) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

pub(super) fn check_mount_path(path: &str, automount: bool, checks: &mut Checks<Field>) {
    let message = if !path.starts_with('/') {
        Some(format!(
            "Mount path {:?} is relative; a container mounts volumes at absolute paths, e.g. \
             {DEFAULT_MOUNT_PATH}.",
            brief(path)
        ))
    } else if let Some(c) = path.chars().find(|c| hidden(*c)) {
        Some(format!(
            "Mount path has a control or invisible character (U+{:04X}).",
            u32::from(c)
        ))
    } else if path.split('/').any(|part| part == "..") {
        Some("Mount path contains '..'; write the directory's absolute path.".to_string())
    } else if automount && path == DEFAULT_TOKEN_DIR {
        Some(format!(
            "Mount path {DEFAULT_TOKEN_DIR} is where the default token is mounted; the API \
             server refuses two volumes at one path. Use another path, or stop mounting the \
             default token."
        ))
    } else {
        None
    };
    if let Some(message) = message {
        checks.error(Field::MountPath, message);
    }
}

/// The projection's `path`: relative, without `..`, as the API server validates it.
pub(super) fn check_token_path(path: &str, checks: &mut Checks<Field>) {
    let message = if path.starts_with('/') {
        Some("Token file must be relative to the mount path (e.g. `token`), not absolute.")
    } else if path.split('/').any(|part| part == "..") || path.starts_with("..") {
        Some("Token file may not contain '..' or start with it; the API server refuses that.")
    } else if path.chars().any(hidden) {
        Some("Token file has a control or invisible character.")
    } else if path == manifests::CA_FILE || path == manifests::NAMESPACE_FILE {
        Some(
            "Token file cannot be `ca.crt` or `namespace`: the volume holds the cluster's CA and \
             the namespace under those names, as the default token volume does, and the API \
             server refuses two files at one path.",
        )
    } else {
        None
    };
    if let Some(message) = message {
        checks.error(Field::TokenPath, message);
    }
}

/// The `curl` command's server: optional, one word, `https://` (`http://` sends the caller's
/// token in clear).
pub(super) fn check_server(server: &str, checks: &mut Checks<Field>) {
    if server.is_empty() {
        return;
    }
    if let Some(c) = server.chars().find(|c| hidden(*c) || c.is_whitespace()) {
        checks.error(
            Field::Server,
            format!(
                "Server URL has white space or a control character (U+{:04X}); copy it again \
                 (`kubectl cluster-info` prints it).",
                u32::from(c)
            ),
        );
    } else if server.starts_with("http://") {
        warn(
            checks,
            Field::Server,
            "http:// sends your token and the new one unencrypted. Use https:// unless this is \
             `kubectl proxy` on 127.0.0.1.",
        );
    } else if !server.starts_with("https://") {
        checks.error(
            Field::Server,
            "Server URL needs https:// in front, e.g. https://203.0.113.10:6443.",
        );
    } else if server.contains(['?', '#']) {
        checks.error(
            Field::Server,
            "Server URL has a query or fragment (?… or #…); API paths are appended to it.",
        );
    }
}

/// What the API server does with the requested lifetime: its cap, and the one-year extension
/// of the default projected token.
pub(super) fn lifetime_notes(written: &Written, checks: &mut Checks<Field>) {
    let lifetime = written.lifetime();
    let asked = match written.expiration_seconds {
        Some(_) => format!(
            "{} ({lifetime} s)",
            crate::support::time::duration_words(lifetime)
        ),
        None => "the default, 1 hour".to_string(),
    };
    note(
        checks,
        Field::Duration,
        format!(
            "You ask for {asked}. The API server may issue a shorter token: \
             --service-account-max-token-expiration caps every request, and kubectl then \
             prints \"requested expiration of N seconds shortened to M seconds\". Check the \
             preview's exp against the real token's."
        ),
    );
    if lifetime > crate::inspect::explain::LONG_LIFETIME_SECS.unsigned_abs() {
        warn(
            checks,
            Field::Duration,
            format!(
                "A token that lives {} is a long-lived credential again: whoever copies it can \
                 use it for that long. Prefer a short token and a client that asks for a new one \
                 (a projected volume does that for you).",
                crate::support::time::duration_words(lifetime)
            ),
        );
    }
    let extended = manifests::extended(written);
    note(
        checks,
        Field::Duration,
        if extended {
            "This is the lifetime kubelet asks for in the default token volume (3607 s), for a \
             pod-bound token with the API server's audience: with \
             --service-account-extend-token-expiration (on by default) the API server makes it \
             valid for a year and records warnafter at 3607 s, so clients that read the token \
             once keep working while audit logs name them (authentication.k8s.io/stale-token)."
        } else {
            "In a projected volume, kubelet renews the token once 80% of its lifetime (or 24 \
             hours) has passed. The default token volume asks for 3607 s, which the API server \
             extends to a year while --service-account-extend-token-expiration is on (the \
             default), ignoring the cap above; any other lifetime is not extended."
        }
        .to_string(),
    );
}

pub(super) fn audience_warnings(written: &Written, checks: &mut Checks<Field>) {
    match written.for_api_server() {
        Some(true) => {}
        Some(false) => warn(
            checks,
            Field::Audiences,
            format!(
                "The audiences do not include the API server's ({:?}): the token will not work \
                 against the cluster, only against the services named. Add it if the token must \
                 also call the API server.",
                brief(&written.issuer)
            ),
        ),
        None => warn(
            checks,
            Field::Audiences,
            "Unless one of these audiences is the API server's own (its issuer, or what \
             --api-audiences lists), the token will not work against the cluster: right for a \
             token meant for Vault or a cloud's identity federation, wrong for kubectl. Leave \
             the field empty for the API server's audience, or fill in the issuer to check.",
        ),
    }
    if written.audiences.len() > 1 {
        warn(
            checks,
            Field::Audiences,
            format!(
                "A projected volume takes one audience: the Pod manifest uses the first, {:?}. \
                 kubectl and the TokenRequest take them all.",
                brief(written.audiences.first().map_or("", String::as_str))
            ),
        );
    }
}

/// Audiences that may not be what was meant: one with a comma or a space in it (taken whole,
/// so `vault,api` is one audience, not two), one that mixes Latin letters with look-alikes.
pub(super) fn audience_shape_warnings(audiences: &[String], checks: &mut Checks<Field>) {
    for audience in audiences {
        if audience.contains(',') || audience.contains(char::is_whitespace) {
            warn(
                checks,
                Field::Audiences,
                format!(
                    "Audience {:?} has a comma or a space in it, and is taken whole, as kubectl's \
                     --audience takes it: the token's aud must match the receiver's name \
                     exactly. If you meant several audiences, put each on its own line.",
                    brief(audience)
                ),
            );
        }
        if let Some(why) = names::look_alikes(audience) {
            warn(
                checks,
                Field::Audiences,
                format!("Audience {:?} {why}", brief(audience)),
            );
        }
    }
}
