//! What the CA page shows of each certificate: its values as rows, and findings at `now`.

use super::{chain, Certificate, ChainLink, Constraints};
use crate::crypto::spki::KeyAlgorithm;
use crate::support::finding::{Finding, Level};
use crate::support::time::{iso8601, relative, UnixSeconds};

/// A label and a value, rendered as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// E.g. `Subject`.
    pub label: &'static str,
    /// E.g. `CN=kubernetes`.
    pub value: String,
}

/// What a finding is about, for code that needs to match on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// notAfter is in the past.
    Expired,
    /// notBefore is in the future.
    NotYetValid,
    /// notAfter is less than 30 days away.
    ExpiresSoon,
    /// Not a CA certificate, yet pasted as the cluster CA.
    NotCa,
    /// RSA key under 2048 bits.
    WeakRsaKey,
    /// Signed with SHA-1 or MD5.
    WeakSignature,
    /// A critical extension that clients refuse.
    RefusedCritical,
}

/// Something about a certificate worth a person's attention: what it is about, for code that
/// matches on it, and the [`Finding`] the UI renders. The title starts with the words a reader
/// scans for (`Expired`, `Not yet valid`, `Expires within 30 days`, `Not a CA`, `RSA key under
/// 2048 bits`, `SHA-1 signature`, `MD5 signature`); [`Level::Danger`] when clients refuse the
/// certificate or it is the wrong thing in this box, [`Level::Warning`] when it works today but
/// should be fixed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertFinding {
    /// What kind.
    pub kind: FindingKind,
    /// What the reader sees.
    pub finding: Finding,
}

/// One certificate's rows and findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertReport {
    /// `Certificate 1 of 2: CN=…`.
    pub title: String,
    /// The values, in reading order.
    pub rows: Vec<Row>,
    /// What deserves attention, worst first.
    pub findings: Vec<CertFinding>,
}

/// Everything the CA page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleReport {
    /// One report per certificate, in paste order.
    pub certs: Vec<CertReport>,
    /// How the certificates chain, one link per certificate.
    pub links: Vec<ChainLink>,
}

const THIRTY_DAYS: i64 = 30 * 86_400;

/// Summarises certificates pasted as a cluster CA, at time `now`.
pub fn summarise(certs: &[Certificate], now: UnixSeconds) -> BundleReport {
    let total = certs.len();
    let reports = certs
        .iter()
        .enumerate()
        .map(|(i, cert)| CertReport {
            title: format!("Certificate {} of {total}: {}", i + 1, cert.subject),
            rows: rows(cert, now),
            findings: findings(cert, now),
        })
        .collect();
    BundleReport {
        certs: reports,
        links: chain(certs),
    }
}

fn rows(cert: &Certificate, now: UnixSeconds) -> Vec<Row> {
    let when = |t| format!("{} ({})", iso8601(t), relative(t, now));
    let or = |value: Option<String>, absent: &str| value.unwrap_or_else(|| absent.to_string());
    let list = |items: &[String]| or((!items.is_empty()).then(|| items.join(", ")), "none");
    let problems = (!cert.problems.is_empty()).then(|| cert.problems.join("; "));
    let rows = [
        ("Subject", cert.subject.clone()),
        ("Issuer", cert.issuer.clone()),
        ("Serial number", cert.serial.clone()),
        ("Valid from", when(cert.not_before)),
        ("Valid until", when(cert.not_after)),
        ("Public key", cert.public_key.clone()),
        ("Signature algorithm", cert.signature_algorithm.clone()),
        ("Subject alternative names", list(&cert.sans)),
        ("Key usage", list(&cert.key_usage)),
        ("Extended key usage", list(&cert.extended_key_usage)),
        (
            "Basic constraints",
            or(cert.basic_constraints.map(|c| c.to_string()), "absent"),
        ),
        (
            "Name constraints",
            or(cert.name_constraints.clone(), "absent"),
        ),
        (
            "Subject key identifier",
            or(cert.subject_key_id.clone(), "absent"),
        ),
        (
            "Authority key identifier",
            or(cert.authority_key_id.clone(), "absent"),
        ),
        ("Critical extensions", list(&cert.critical)),
        ("Other extensions", list(&cert.other_extensions)),
        ("SHA-256 fingerprint", cert.sha256_fingerprint.clone()),
        ("SHA-1 fingerprint", cert.sha1_fingerprint.clone()),
        (
            "Self-signed",
            if cert.self_signed { "yes" } else { "no" }.to_string(),
        ),
    ];
    let extra = problems.map(|value| Row {
        label: "Unreadable extensions",
        value,
    });
    rows.into_iter()
        .map(|(label, value)| Row { label, value })
        .chain(extra)
        .collect()
}

fn findings(cert: &Certificate, now: UnixSeconds) -> Vec<CertFinding> {
    let mut out = Vec::new();
    let mut add = |kind, level, title: String, why: &str| {
        let finding = Finding::new(level, title, why);
        out.push(CertFinding { kind, finding });
    };
    if cert.not_after < now {
        add(
            FindingKind::Expired,
            Level::Danger,
            format!(
                "Expired {} ({})",
                relative(cert.not_after, now),
                iso8601(cert.not_after)
            ),
            "Clients refuse every certificate that chains to an expired CA (`x509: certificate \
             has expired or is not yet valid`); renew the CA and hand the new one out.",
        );
    } else if cert.not_after.saturating_sub(now) < THIRTY_DAYS {
        add(
            FindingKind::ExpiresSoon,
            Level::Warning,
            format!(
                "Expires within 30 days: {} ({})",
                relative(cert.not_after, now),
                iso8601(cert.not_after)
            ),
            "When it expires, kubectl, kubelets and in-cluster clients stop trusting the API \
             server; rotate it and update every kubeconfig and ca.crt that embeds it first.",
        );
    }
    if cert.not_before > now {
        add(
            FindingKind::NotYetValid,
            Level::Danger,
            format!(
                "Not yet valid: starts {} ({})",
                relative(cert.not_before, now),
                iso8601(cert.not_before)
            ),
            "Clients reject it until then; a clock that is behind, or a certificate issued \
             with a future start date, is the usual cause.",
        );
    }
    match cert.basic_constraints {
        Some(Constraints { ca: true, .. }) => {}
        found => add(
            FindingKind::NotCa,
            Level::Danger,
            match found {
                Some(_) => "Not a CA: basicConstraints says CA:FALSE".to_string(),
                None => "Not a CA: no basicConstraints extension".to_string(),
            },
            "A cluster CA bundle must hold CA certificates; this looks like a server or client \
             certificate. Paste the CA instead (ca.crt, or certificate-authority-data).",
        ),
    }
    if let Some(KeyAlgorithm::Rsa { bits }) = cert.key_algorithm {
        if bits < 2048 {
            add(
                FindingKind::WeakRsaKey,
                Level::Warning,
                format!("RSA key under 2048 bits ({bits}-bit)"),
                "Keys this small can be factored with enough computing power, and current \
                 TLS libraries and policies refuse them.",
            );
        }
    }
    let weak = match cert.signature_oid.as_str() {
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => Some("SHA-1"),
        "1.2.840.113549.1.1.4" => Some("MD5"),
        _ => None,
    };
    if let Some(hash) = weak {
        add(
            FindingKind::WeakSignature,
            Level::Warning,
            format!("{hash} signature ({})", cert.signature_algorithm),
            "Collisions have been produced for this hash, so a signature over it proves \
             little; Go (and so Kubernetes) rejects such signatures on certificates it verifies.",
        );
    }
    if !cert.refused_critical.is_empty() {
        add(
            FindingKind::RefusedCritical,
            Level::Danger,
            format!(
                "Critical extension that clients refuse: {}",
                cert.refused_critical.join(", ")
            ),
            "A client must refuse a certificate with a critical extension it does not \
             recognise, and subjectKeyIdentifier and authorityInfoAccess must never be \
             critical (RFC 5280, section 4.2). Go clients such as kubectl and client-go refuse \
             it (`x509: unhandled critical extension`), and so a critical nameConstraints with \
             a name form other than DNS, email, IP or URI, or a critical subjectAltName with \
             none of those, which Go reads only in part. Reissue it without the extension, or \
             with it not marked critical.",
        );
    }
    crate::support::sort::stable_by(&mut out, |a, b| {
        let danger = |f: &CertFinding| f.finding.level != Level::Danger;
        danger(a).cmp(&danger(b))
    });
    out
}
