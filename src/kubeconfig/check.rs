//! Checks of the kubeconfig form, field by field: names, the CA, the token and the namespace
//! (the server URL has its own module, `server`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::{given, reads_as_is, warn, Defaults, Field};
use crate::crypto::x509::{self, Bundle, CertError};
use crate::formats::yaml_write;
use crate::k8s::names::{self, brief, DnsRule};
use crate::support::checks::Checks;
use crate::support::error::TokenError;
use crate::support::finding::Level;
use crate::support::time::{iso8601, relative, UnixSeconds};
use crate::token::claims::{self, Claim};
use crate::token::jwt::{self, RawJwt, MAX_INPUT_BYTES};

/// Rules for cluster, user and context names: kubectl stores any string, but some could
/// never be typed back on a command line.
pub(super) fn check_name(field: Field, name: &str, checks: &mut Checks<Field>) {
    let label = field.label();
    if given(name).is_none() {
        checks.error(
            field,
            format!("{label} is empty: kubectl refers to entries by name, so it needs one (e.g. `prod`)."),
        );
        return;
    }
    if let Some((at, c)) = name.chars().enumerate().find(|(_, c)| c.is_control()) {
        checks.error(
            field,
            format!(
                "{label} has a line break or another control character (U+{:04X} at character \
                 {}): kubectl would store it, but nobody could type the name to select it.",
                u32::from(c),
                at + 1
            ),
        );
    } else if name.starts_with('-') {
        checks.error(
            field,
            format!(
                "{label} starts with '-': kubectl would read the name as an option, so commands \
                 such as `kubectl config use-context` could never name it."
            ),
        );
    }
    if let Some(why) = names::look_alikes(name) {
        warn(checks, field, format!("{label} {:?} {why}", brief(name)));
    }
    if name.trim() != name {
        warn(
            checks,
            field,
            format!(
                "{label} starts or ends with white space: kubectl keeps it as part of the name, so \
                 it must be typed with it (probably a copy-and-paste accident)."
            ),
        );
    }
}

/// The CA as canonical PEM text, or `None` when it is left out. `ca` is the **CA
/// certificate** field as read; `None` when it is empty.
pub(super) fn check_ca(
    skip_tls_verify: bool,
    ca: Option<&Result<Bundle, CertError>>,
    now: UnixSeconds,
    plain_http: bool,
    checks: &mut Checks<Field>,
) -> Option<String> {
    let has_ca = ca.is_some();
    if skip_tls_verify {
        let mut message = String::from(
            "TLS VERIFICATION IS OFF. kubectl will accept any certificate, so anyone between you \
             and the API server can pose as it and take this token.",
        );
        if has_ca {
            message.push_str(
                " The CA certificate you gave is LEFT OUT: kubectl refuses a cluster that has \
                 both (\"specifying a root certificates file with the insecure flag is not \
                 allowed\"). Untick this box to keep the CA and verify the server instead.",
            );
        } else {
            message.push_str(
                " Paste the cluster's CA instead (ca.crt from the token's Secret, or \
                 certificate-authority-data from an admin's kubeconfig) and untick this box.",
            );
        }
        warn(checks, Field::SkipTlsVerify, message);
        return None;
    }
    let Some(ca) = ca else {
        if !plain_http {
            warn(
                checks,
                Field::Ca,
                "No CA certificate: kubectl will check the server against the system's trusted \
                 CAs only. That works for clusters with publicly trusted certificates, but most \
                 clusters have their own CA: paste ca.crt (from the token's Secret) or \
                 certificate-authority-data."
                    .to_string(),
            );
        }
        return None;
    };
    let bundle = match ca {
        Ok(bundle) => bundle,
        Err(e) => {
            checks.error(Field::Ca, format!("CA certificate: {e}."));
            return None;
        }
    };
    for skipped in &bundle.problems {
        warn(
            checks,
            Field::Ca,
            format!("CA certificate: {skipped}; only the certificates are written."),
        );
    }
    for report in x509::summarise(&bundle.certs, now).certs {
        for finding in report.findings.into_iter().map(|f| f.finding) {
            if finding.level == Level::Danger {
                warn(
                    checks,
                    Field::Ca,
                    format!("{}: {}. {}", report.title, finding.title, finding.why),
                );
            }
        }
    }
    Some(bundle.certs.iter().map(|c| pem(&c.der)).collect())
}

/// One certificate as PEM with 64-character lines, as OpenSSL and kubeadm write `ca.crt`.
fn pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    let mut line = String::with_capacity(65);
    for c in body.chars() {
        line.push(c);
        if line.len() == 64 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// Checks the token as it is written (`token`, trimmed); `decoded` is the form's token as
/// read for the identity, which is this very text unless it came with quotes or a prefix.
pub(super) fn check_token(
    token: &str,
    decoded: Option<&Result<RawJwt, TokenError>>,
    now: UnixSeconds,
    checks: &mut Checks<Field>,
) {
    if token.is_empty() {
        checks.error(
            Field::Token,
            "Token is empty: paste the service account's token (`kubectl create token NAME`, or \
             the decoded data.token of its Secret).",
        );
        return;
    }
    // Written three times over (kubeconfig, script, curl), a huge paste would stall the page.
    if token.len() > MAX_INPUT_BYTES {
        checks.error(
            Field::Token,
            format!(
                "Token is {} KiB; tokens are accepted up to {} KiB (a service-account token is \
                 about 1 KiB). Paste just the token.",
                token.len() / 1024,
                MAX_INPUT_BYTES / 1024
            ),
        );
        return;
    }
    // The token is printed inside the kubectl and curl commands, and a terminal acts on
    // control characters as they are pasted, quotes or not: ^U erases the line typed so far
    // (and what follows it runs on its own), ESC[201~ ends bracketed paste. Invisible ones
    // would hide in plain sight. No token has either, so refuse them as names are refused.
    let hidden = token
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || yaml_write::invisible(*c));
    if let Some((at, c)) = hidden {
        let message = if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            format!(
                "Token has a line break inside (U+{:04X} at character {}): it was probably \
                 wrapped when copied, and the API server would refuse it. Remove the line \
                 breaks.",
                u32::from(c),
                at + 1
            )
        } else {
            format!(
                "Token has a control or invisible character (U+{:04X} at character {}): no \
                 token has one, and in the printed commands it would act on the terminal \
                 (U+0015 erases the line typed so far). Copy the token again.",
                u32::from(c),
                at + 1
            )
        };
        checks.error(Field::Token, message);
        return;
    }
    let odd = token
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic());
    if let Some((at, c)) = odd {
        let starts_bearer = token
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "));
        let message = if starts_bearer {
            "Token starts with \"Bearer \": kubectl adds that itself, so the server would see it \
             twice and refuse the token. Remove it."
                .to_string()
        } else if c.is_whitespace() {
            format!(
                "Token has white space inside ({c:?} at character {}): a token never does, so it \
                 was probably wrapped when copied, and the API server will refuse it. Remove the \
                 line breaks and spaces.",
                at + 1
            )
        } else {
            format!(
                "Token contains {c:?} at character {}, which cannot travel in an HTTP header: the \
                 API server will never see this token as typed.",
                at + 1
            )
        };
        warn(checks, Field::Token, message);
        return;
    }
    // A token that came with quotes or an `Authorization:` prefix is written as typed, and
    // that text is what the API server would be sent: it alone is decoded again.
    let typed;
    let decoded = match decoded {
        Some(decoded) if reads_as_is(token) => decoded,
        _ => {
            typed = jwt::decode(token);
            &typed
        }
    };
    match decoded {
        Err(e) => warn(
            checks,
            Field::Token,
            format!(
                "Token is not a JWT: {e} That is fine for a static or bootstrap token, but a \
                 service-account token is always a JWT: check that it was copied whole."
            ),
        ),
        Ok(jwt) => {
            if let Claim::Present(exp) = claims::time_claim(&jwt.payload, "exp") {
                if exp <= now {
                    warn(
                        checks,
                        Field::Token,
                        format!(
                            "Token expired {} ({}): the API server will refuse it. Make a new \
                             one with `kubectl create token NAME --duration=…`.",
                            relative(exp, now),
                            iso8601(exp)
                        ),
                    );
                }
            }
            if let Claim::Present(nbf) = claims::time_claim(&jwt.payload, "nbf") {
                if nbf > now {
                    warn(
                        checks,
                        Field::Token,
                        format!(
                            "Token is not valid yet: it starts {} ({}). The API server refuses \
                             it until then (or this computer's clock is behind).",
                            relative(nbf, now),
                            iso8601(nbf)
                        ),
                    );
                }
            }
        }
    }
}

/// A namespace must be a DNS label (RFC 1123), or the API server rejects every request in it.
pub(super) fn check_namespace(namespace: &str, defaults: &Defaults, checks: &mut Checks<Field>) {
    if namespace.is_empty() {
        return;
    }
    if let Err(invalid) = names::check(DnsRule::Label, namespace) {
        checks.error(
            Field::Namespace,
            format!(
                "Namespace {:?} {invalid} The API server rejects requests to any other.",
                brief(namespace)
            ),
        );
    } else if !defaults.namespace.is_empty() && defaults.namespace != namespace {
        warn(
            checks,
            Field::Namespace,
            format!(
                "The token's service account lives in namespace {:?}; in {:?} it can do \
                 only what RoleBindings there grant it.",
                brief(&defaults.namespace),
                brief(namespace)
            ),
        );
    }
}
