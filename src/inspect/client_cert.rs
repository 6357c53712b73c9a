//! Who a client certificate says its holder is, and whether the API server would take it: the
//! user and groups the x509 authenticator reads from its subject, the certificate's values as
//! the CA page shows them, the signature check against the cluster's CA, and findings at `now`.
//!
//! The API server's x509 authenticator takes the user name from the subject's common name and
//! the groups from its organization values, in order (`CommonNameUserConversion`, over Go's
//! `pkix.Name`), once the chain verifies against its `--client-ca-file` with the client-auth
//! extended key usage. So a certificate is read here the way Go reads it: the last CN wins,
//! every O counts, attribute values that are not strings are skipped.
//!
//! The certificate itself is read by [`crate::crypto::x509`], so its values are the ones `openssl x509`
//! prints (`tests/it/client_cert_openssl.rs` compares them), and the signature check is the same
//! WebCrypto plan the CA page runs ([`x509::prepare_signature_check`]). A kubeconfig's users are
//! read in `kubeconfig`; a private key that comes with them is noted, never kept.

mod kubeconfig;

use std::fmt;

pub use kubeconfig::{
    read_kubeconfig, Credential, ExecPlugin, KubeconfigError, KubeconfigUser, KubeconfigUsers,
};

use crate::access::{parse_subject, Subject};
use crate::crypto::cert;
use crate::crypto::der;
use crate::crypto::pem;
use crate::crypto::spki::KeyAlgorithm;
use crate::crypto::webcrypto::{NotChecked, WebCryptoVerify};
use crate::crypto::x509::{self, CertError, Certificate, FindingKind, Row};
use crate::support::finding::{Finding, Level};
use crate::support::time::{iso8601, relative, UnixSeconds};

/// The group whose members the API server lets do anything before RBAC is asked.
pub const MASTERS_GROUP: &str = "system:masters";

/// The group the API server adds to every authenticated request.
const AUTHENTICATED_GROUP: &str = "system:authenticated";

/// The DER tag of a NumericString, one of the string types Go reads in names.
const NUMERIC_STRING: u8 = 0x12;

/// How far ahead an expiry is worth a warning.
const THIRTY_DAYS: i64 = 30 * 86_400;

/// Who the API server takes a certificate's holder to be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// The user name: the subject's common name (the last one, as Go reads it); empty when the
    /// subject has none.
    pub user: String,
    /// The groups: every organization value of the subject, in the order the DER holds them.
    pub groups: Vec<String>,
}

impl Identity {
    /// The subject Access evaluates: the user, its groups, and `system:authenticated`, which
    /// the API server adds to every authenticated request.
    pub fn subject(&self) -> Subject {
        let mut groups = self.groups.clone();
        if !groups.iter().any(|g| g == AUTHENTICATED_GROUP) {
            groups.push(AUTHENTICATED_GROUP.to_string());
        }
        Subject {
            user: self.user.clone(),
            groups,
        }
    }

    /// The subject as typed into Access's **Subject** field (`alice, group:dev`), when that
    /// text reads back as exactly this identity; `None` for a name that the field's syntax
    /// would read otherwise (one with a comma, say), so no button opens Access with someone
    /// else.
    pub fn access_text(&self) -> Option<String> {
        if self.user.is_empty() {
            return None;
        }
        let text = std::iter::once(format!("user:{}", self.user))
            .chain(self.groups.iter().map(|g| format!("group:{g}")))
            .collect::<Vec<_>>()
            .join(", ");
        let read = parse_subject(&text).ok()?;
        let wanted = self.subject();
        let same_groups = read.groups.len() == wanted.groups.len()
            && read.groups.iter().all(|g| wanted.groups.contains(g));
        (read.user == wanted.user && same_groups).then_some(text)
    }

    /// Whether the groups include `system:masters`.
    pub fn is_master(&self) -> bool {
        self.groups.iter().any(|g| g == MASTERS_GROUP)
    }
}

/// Where the CA certificate a check runs against came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaSource {
    /// The kubeconfig cluster's `certificate-authority-data`.
    ClusterCa,
    /// A certificate after the first in `client-certificate-data` (k3s puts its client CA
    /// there).
    Bundled,
    /// A CA pasted beside the certificate.
    Pasted,
}

impl CaSource {
    /// The words the check's summary uses for it.
    pub fn words(self) -> &'static str {
        match self {
            Self::ClusterCa => "the cluster's CA (certificate-authority-data)",
            Self::Bundled => "a CA sent along in client-certificate-data",
            Self::Pasted => "the pasted CA",
        }
    }
}

/// One signature check of the client certificate against an offered CA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustCheck {
    /// Where the CA came from.
    pub source: CaSource,
    /// The CA's subject, when a CA of the certificate's issuer name was offered.
    pub ca_subject: Option<String>,
    /// What this check is, in a sentence.
    pub summary: String,
    /// The WebCrypto plan to run, or why none can be: no CA of that name, or a key that cannot
    /// have made this signature.
    pub verify: Result<WebCryptoVerify, NotChecked>,
}

/// What the browser's check came to, as the page says it: `None` while it runs.
pub fn trust_status(check: &TrustCheck, result: Option<&Result<bool, NotChecked>>) -> String {
    match (&check.verify, result) {
        // A CA of the issuer's name, but no check the browser can run: not a verdict.
        (Err(why), _) if check.ca_subject.is_some() => format!("Signature not checked: {why}."),
        (Err(why), _) => format!("Not signed by {}: {why}.", check.source.words()),
        (Ok(_), None) => "Checking the signature…".to_string(),
        (Ok(_), Some(Ok(true))) => format!(
            "Signed by {}: the signature verifies with its key.",
            check.source.words()
        ),
        (Ok(_), Some(Ok(false))) => format!(
            "NOT signed by {}: it has the issuer's name but the signature does not verify with \
             its key (another CA of the same name, or a changed certificate).",
            check.source.words()
        ),
        (Ok(_), Some(Err(why))) => format!("Signature not checked: {why}."),
    }
}

/// What a paste on Inspect holds for this section, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pasted {
    /// A kubeconfig with at least one user that signs in with something other than a token
    /// (which the token report explains).
    Kubeconfig(KubeconfigUsers),
    /// A PEM certificate (with its key, perhaps), read with the CA field's text as its CA.
    Certificate(Result<Box<ClientCert>, ClientCertError>),
}

/// Whether a paste is a PEM certificate (perhaps with its key) rather than a kubeconfig that
/// embeds one: what [`read_paste`] reads as [`Pasted::Certificate`], and the token reader
/// finds nothing in.
pub fn is_certificate(text: &str) -> bool {
    text.contains("-----BEGIN CERTIFICATE-----") && !text.contains("users:")
}

/// Reads what was pasted into Inspect's **Token** field for identities that are not tokens:
/// a kubeconfig whose users sign in otherwise, or a PEM certificate. `None` for anything else,
/// which the token reader explains.
pub fn read_paste(text: &str, ca_text: &str) -> Option<Pasted> {
    if is_certificate(text) {
        let ca = (ca_text.trim() != text.trim()).then_some(ca_text);
        return Some(Pasted::Certificate(read(text, ca).map(Box::new)));
    }
    let signs_in_otherwise = ["client-certificate", "exec:", "auth-provider:", "username:"];
    if !signs_in_otherwise.iter().any(|k| text.contains(k)) {
        return None;
    }
    let users = read_kubeconfig(text).ok()?;
    let other = |c: &Credential| !matches!(c, Credential::Token | Credential::TokenFile(_));
    users
        .users
        .iter()
        .any(|u| u.credentials.iter().any(other))
        .then_some(Pasted::Kubeconfig(users))
}

/// Why a paste gave no client certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientCertError {
    /// The certificate could not be read; the CA page's reader says where.
    Certificate(CertError),
    /// The pasted CA could not be read.
    Ca(CertError),
}

impl fmt::Display for ClientCertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Certificate(e) => write!(f, "Client certificate: {e}"),
            Self::Ca(e) => write!(f, "CA: {e}"),
        }
    }
}

impl std::error::Error for ClientCertError {}

/// A client certificate read for the Inspect page: independent of the time, so it is read once
/// per paste and its findings are asked for at each `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCert {
    /// The certificate, as the CA page reads it.
    pub certificate: Certificate,
    /// The certificates that came after it in the same paste (a CA sent along).
    pub bundled: Vec<Certificate>,
    /// Who the API server takes its holder to be.
    pub identity: Identity,
    /// The signature checks to run, one per CA offered.
    pub trust: Vec<TrustCheck>,
    /// Whether a private key was pasted with it: only the fact, never the key.
    pub private_key_pasted: bool,
    /// Blocks of the paste that were skipped, each saying why.
    pub skipped: Vec<String>,
}

/// Reads a pasted client certificate (PEM, base64 of PEM as in `client-certificate-data`, or
/// base64 of DER) and, when given, the CA to check it against. The first certificate is the
/// client's; any after it are CAs sent along. A private key in the paste is noted and dropped.
pub fn read(cert_text: &str, ca_text: Option<&str>) -> Result<ClientCert, ClientCertError> {
    let mut key_seen = false;
    let bundle = read_bundle(cert_text, &mut key_seen).map_err(ClientCertError::Certificate)?;
    let cas = match ca_text.filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(read_bundle(text, &mut key_seen).map_err(ClientCertError::Ca)?),
        None => None,
    };
    let offered = cas.as_ref().map(|b| (CaSource::Pasted, b.certs.as_slice()));
    let mut out = from_bundle(bundle, offered).map_err(ClientCertError::Certificate)?;
    out.private_key_pasted = key_seen;
    Ok(out)
}

/// Reads certificates from a paste that may also hold private keys: each key is noted in
/// `key_seen` and left out, so a `client.crt` and `client.key` pasted together still read.
fn read_bundle(text: &str, key_seen: &mut bool) -> Result<x509::Bundle, CertError> {
    let decoded;
    let mut text = text.trim();
    // base64 of PEM (kubeconfig `*-data`) may hold a key too, so look inside it.
    if !text.contains("-----BEGIN ") {
        if let Ok(bytes) = pem::decode_lenient(text) {
            if let Ok(inner) = String::from_utf8(bytes) {
                if inner.contains("-----BEGIN ") {
                    decoded = inner;
                    text = decoded.as_str();
                }
            }
        }
    }
    if pem::find_private_key(text).is_none() {
        return x509::parse_bundle(text);
    }
    *key_seen = true;
    let mut kept = String::new();
    let mut blocks = 0;
    for block in pem::pem_blocks(text).into_iter().flatten() {
        blocks += 1;
        if block.label.contains("PRIVATE KEY") {
            continue;
        }
        // Each block written back as PEM, so the CA page's reader reads it as pasted.
        kept.push_str(&format!("-----BEGIN {}-----\n", block.label));
        kept.push_str(&pem_body(&block.der));
        kept.push_str(&format!("-----END {}-----\n", block.label));
    }
    if blocks == 0 || kept.is_empty() {
        return Err(CertError::Empty);
    }
    x509::parse_bundle(&kept)
}

/// Base64 in 64-character lines, as PEM writes it.
fn pem_body(der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::with_capacity(text.len() + text.len() / 64 + 1);
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out
}

/// The client certificate (the bundle's first), its identity and its trust checks: against
/// every CA sent along in the bundle, then the offered CA.
pub(crate) fn from_bundle(
    bundle: x509::Bundle,
    offered: Option<(CaSource, &[Certificate])>,
) -> Result<ClientCert, CertError> {
    let skipped = bundle.problems.iter().map(ToString::to_string).collect();
    let mut certs = bundle.certs.into_iter();
    let certificate = certs.next().ok_or(CertError::Empty)?;
    let bundled: Vec<Certificate> = certs.collect();
    let identity = identity(&certificate)?;
    let mut trust = Vec::new();
    if !bundled.is_empty() {
        trust.push(check(&certificate, CaSource::Bundled, &bundled));
    }
    if let Some((source, cas)) = offered {
        trust.push(check(&certificate, source, cas));
    }
    Ok(ClientCert {
        certificate,
        bundled,
        identity,
        trust,
        private_key_pasted: false,
        skipped,
    })
}

/// The user and groups Go's `pkix.Name` gives the x509 authenticator: `CommonName` is the last
/// CN, `Organization` every O, both in DER order (an RDN's members as the DER lists them, which
/// [`cert::read_name`] hands out reversed).
fn identity(certificate: &Certificate) -> Result<Identity, CertError> {
    let as_error = |e: der::Error| x509::der_error(&certificate.source, e);
    let fields = cert::read_fields(&certificate.der).map_err(as_error)?;
    let mut rdns: Vec<Vec<(String, Option<String>)>> = Vec::new();
    cert::read_name(&fields.subject, &mut |attribute| match attribute {
        None => rdns.push(Vec::new()),
        Some((oid, value)) => {
            if let Some(rdn) = rdns.last_mut() {
                rdn.push((oid.to_string(), go_string(&value)));
            }
        }
    })
    .map_err(as_error)?;
    let mut out = Identity::default();
    for rdn in &rdns {
        for (oid, value) in rdn.iter().rev() {
            match (oid.as_str(), value) {
                ("2.5.4.3", Some(cn)) => out.user.clone_from(cn),
                ("2.5.4.10", Some(o)) => out.groups.push(o.clone()),
                _ => {}
            }
        }
    }
    Ok(out)
}

/// An attribute value as Go's `encoding/asn1` hands it to `pkix.Name`: the string types it
/// reads as strings, anything else `None` (which Go skips).
fn go_string(value: &der::Tlv<'_>) -> Option<String> {
    let bytes = value.value;
    match value.tag {
        der::UTF8_STRING
        | der::PRINTABLE_STRING
        | der::IA5_STRING
        | NUMERIC_STRING
        | der::TELETEX_STRING => Some(String::from_utf8_lossy(bytes).into_owned()),
        der::BMP_STRING => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u16, |n, &b| n << 8 | u16::from(b)))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// The check against the CA of `source` whose subject is the certificate's issuer (the one
/// whose key identifier matches, among several of that name).
fn check(certificate: &Certificate, source: CaSource, cas: &[Certificate]) -> TrustCheck {
    let named: Vec<&Certificate> = cas
        .iter()
        .filter(|ca| ca.subject == certificate.issuer)
        .collect();
    let issuer = named
        .iter()
        .find(|ca| ca.subject_key_id.is_some() && ca.subject_key_id == certificate.authority_key_id)
        .or_else(|| named.first())
        .copied();
    match issuer {
        Some(ca) => TrustCheck {
            source,
            ca_subject: Some(ca.subject.clone()),
            summary: format!(
                "Issuer {} is {}; its key must verify the signature",
                certificate.issuer,
                source.words()
            ),
            verify: x509::prepare_signature_check(certificate, ca),
        },
        None => {
            // A few names say enough; a bundle of hundreds would repeat under every user.
            let mut subjects: Vec<String> =
                cas.iter().take(3).map(|ca| ca.subject.clone()).collect();
            if cas.len() > 3 {
                subjects.push(format!("{} more", cas.len() - 3));
            }
            TrustCheck {
                source,
                ca_subject: None,
                summary: format!(
                    "Issuer {} is not {}, which is {}",
                    certificate.issuer,
                    source.words(),
                    subjects.join(" and ")
                ),
                verify: Err(NotChecked::OtherIssuer {
                    issuer: certificate.issuer.to_string(),
                    source: source.words().to_string(),
                    subjects: subjects.join(" and "),
                }),
            }
        }
    }
}

impl ClientCert {
    /// The rows the page shows: who first, then the certificate's values as the CA page shows
    /// them, at `now`.
    pub fn rows(&self, now: UnixSeconds) -> Vec<Row> {
        let groups = if self.identity.groups.is_empty() {
            "none (the certificate has no O values)".to_string()
        } else {
            self.identity.groups.join(", ")
        };
        let user = if self.identity.user.is_empty() {
            "none (the certificate has no CN)".to_string()
        } else {
            self.identity.user.clone()
        };
        let mut rows = vec![
            Row {
                label: "User (CN)",
                value: user,
            },
            Row {
                label: "Groups (O)",
                value: groups,
            },
        ];
        let shown = x509::summarise(std::slice::from_ref(&self.certificate), now);
        rows.extend(shown.certs.into_iter().flat_map(|c| c.rows));
        if self.private_key_pasted {
            rows.push(Row {
                label: "Private key",
                value: "pasted (not shown, not kept)".to_string(),
            });
        }
        rows
    }

    /// What deserves attention at `now`, worst first.
    pub fn findings(&self, now: UnixSeconds) -> Vec<Finding> {
        let cert = &self.certificate;
        let mut out = Vec::new();
        if self.identity.is_master() {
            out.push(Finding::new(
                Level::Danger,
                "In system:masters: bypasses RBAC",
                "The API server lets members of system:masters do anything before RBAC is \
                 asked, so no Role or binding can limit this certificate, and a certificate \
                 cannot be revoked: until it expires, only rotating the client CA stops it. Use \
                 it for break-glass only; give people a certificate in a group bound to the \
                 roles they need.",
            ));
        }
        if cert.not_after < now {
            out.push(Finding::new(
                Level::Danger,
                format!(
                    "Expired {} ({})",
                    relative(cert.not_after, now),
                    iso8601(cert.not_after)
                ),
                "The API server refuses it (`x509: certificate has expired or is not yet \
                 valid`), and kubectl answers 401 Unauthorized. Get a new one: `kubeadm certs \
                 renew admin.conf` on kubeadm, or a CertificateSigningRequest.",
            ));
        } else if cert.not_after.saturating_sub(now) < THIRTY_DAYS {
            out.push(Finding::new(
                Level::Warning,
                format!(
                    "Expires within 30 days: {} ({})",
                    relative(cert.not_after, now),
                    iso8601(cert.not_after)
                ),
                "After that the API server refuses it and kubectl answers 401 Unauthorized; \
                 renew it and hand out the new kubeconfig first.",
            ));
        }
        if cert.not_before > now {
            out.push(Finding::new(
                Level::Danger,
                format!(
                    "Not yet valid: starts {} ({})",
                    relative(cert.not_before, now),
                    iso8601(cert.not_before)
                ),
                "The API server refuses it until then; a clock that is behind, or a \
                 certificate issued with a future start date, is the usual cause.",
            ));
        }
        if self.identity.user.is_empty() {
            out.push(Finding::new(
                Level::Danger,
                "No common name (CN): no user",
                "The x509 authenticator takes the user name from the CN; without one it does \
                 not authenticate the request, which then counts as anonymous or is refused.",
            ));
        }
        out.extend(self.usage_findings());
        if let Some(KeyAlgorithm::Rsa { bits }) = cert.key_algorithm {
            if bits < 2048 {
                out.push(Finding::new(
                    Level::Warning,
                    format!("RSA key under 2048 bits ({bits}-bit)"),
                    "Keys this small can be factored with enough computing power; issue a new \
                     certificate with a 2048-bit RSA or a P-256 key.",
                ));
            }
        }
        // The CA page's findings that hold for any certificate: a weak signature hash, a
        // critical extension clients refuse.
        let shown = x509::summarise(std::slice::from_ref(cert), now);
        out.extend(
            shown
                .certs
                .into_iter()
                .flat_map(|c| c.findings)
                .filter(|f| {
                    matches!(
                        f.kind,
                        FindingKind::WeakSignature | FindingKind::RefusedCritical
                    )
                })
                .map(|f| f.finding),
        );
        if self.private_key_pasted {
            out.push(Finding::new(
                Level::Warning,
                "A private key was pasted",
                "This page only notes that it is there: it is not shown, kept or sent. If the \
                 key was shared anywhere else (a chat, a ticket, a repository), treat it as \
                 leaked: anyone with it and the certificate is this user until the \
                 certificate expires.",
            ));
        }
        crate::support::sort::stable_by(&mut out, |a, b| b.level.cmp(&a.level));
        out
    }

    /// Whether the extended key usage allows client authentication (Go's verifier asks for
    /// `clientAuth`; no extension at all means any use).
    fn usage_findings(&self) -> Option<Finding> {
        let eku = &self.certificate.extended_key_usage;
        let client = ["TLS Web Client Authentication", "Any Extended Key Usage"];
        if eku.is_empty() || eku.iter().any(|u| client.contains(&u.as_str())) {
            return None;
        }
        Some(Finding::new(
            Level::Danger,
            "No client authentication in its extended key usage",
            format!(
                "It is for {} only. The API server verifies client certificates for client \
                 authentication, so it refuses this one (`x509: certificate specifies an \
                 incompatible key usage`). Issue one with extendedKeyUsage clientAuth.",
                eku.join(", ")
            ),
        ))
    }
}
