//! How the certificates of a bundle chain: each one's issuer in the paste, what the key
//! identifiers say, and the WebCrypto check of each link's signature.

use super::Certificate;
use crate::crypto::webcrypto::{ecdsa_der_to_raw, Algorithm, NotChecked, Scheme, WebCryptoVerify};

/// Whether a certificate's authority key identifier matches its issuer's subject key identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIdCheck {
    /// Both are stated and equal.
    Match,
    /// Both are stated and differ: a different key of the same name signed it.
    Mismatch,
    /// One or both are absent, so only the names link them.
    NotStated,
}

impl KeyIdCheck {
    /// What it means, in a sentence the chain shows under each link.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::Match => "Key identifiers match (authority key ID = issuer's subject key ID).",
            Self::Mismatch => {
                "Key identifiers do NOT match: the issuer's key is not the one that signed."
            }
            Self::NotStated => "No key identifiers to compare; matched by name.",
        }
    }
}

/// What the browser's check of a link's signature came to, in a sentence: `None` while it
/// runs, then WebCrypto's answer or why the signature could not be checked.
pub fn signature_status(result: Option<&Result<bool, NotChecked>>) -> String {
    match result {
        None => "Checking the signature…".to_string(),
        Some(Ok(true)) => "Signature verified.".to_string(),
        Some(Ok(false)) => "Signature does NOT verify.".to_string(),
        Some(Err(why)) => format!("Signature not checked: {why}"),
    }
}

/// One step of the chain: `child` was issued by `issuer` (the same index for a self-signed
/// certificate), with what WebCrypto needs to check the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// Index of the certificate issued.
    pub child: usize,
    /// Index of its issuer in the paste, if the issuer is there.
    pub issuer: Option<usize>,
    /// What the key identifiers say.
    pub key_ids: KeyIdCheck,
    /// One line for people: `Certificate 1 (CN=…) is issued by certificate 2 (CN=…)`.
    pub summary: String,
    /// The signature check to run, or why none can be.
    pub verify: Result<WebCryptoVerify, NotChecked>,
}

/// How each certificate links to its issuer in the bundle, with the signature check each
/// link needs. Independent of the time, so the shell computes (and verifies) it once per paste.
pub fn chain(certs: &[Certificate]) -> Vec<ChainLink> {
    (0..certs.len()).filter_map(|i| link(certs, i)).collect()
}

fn key_id_check(child: &Certificate, issuer: &Certificate) -> KeyIdCheck {
    match (&child.authority_key_id, &issuer.subject_key_id) {
        (Some(aki), Some(ski)) if aki == ski => KeyIdCheck::Match,
        (Some(_), Some(_)) => KeyIdCheck::Mismatch,
        _ => KeyIdCheck::NotStated,
    }
}

fn link(certs: &[Certificate], child_index: usize) -> Option<ChainLink> {
    let child = certs.get(child_index)?;
    let name = |i: usize| {
        certs.get(i).map_or_else(String::new, |c| {
            format!("certificate {} ({})", i + 1, c.subject)
        })
    };
    let this = format!("Certificate {} ({})", child_index + 1, child.subject);
    let issuer_index = if child.self_signed {
        Some(child_index)
    } else {
        // By name first; among same-named issuers, the one whose key identifier matches.
        let candidates: Vec<usize> = (0..certs.len())
            .filter(|&j| {
                j != child_index && certs.get(j).is_some_and(|c| c.subject == child.issuer)
            })
            .collect();
        candidates
            .iter()
            .copied()
            .find(|&j| {
                certs
                    .get(j)
                    .is_some_and(|c| key_id_check(child, c) == KeyIdCheck::Match)
            })
            .or_else(|| candidates.first().copied())
    };
    let Some((issuer_index, issuer)) =
        issuer_index.and_then(|j| certs.get(j).map(|issuer| (j, issuer)))
    else {
        return Some(ChainLink {
            child: child_index,
            issuer: None,
            key_ids: KeyIdCheck::NotStated,
            summary: format!(
                "{this} is issued by {}, which is not in this paste",
                child.issuer
            ),
            verify: Err(NotChecked::IssuerMissing {
                issuer: child.issuer.to_string(),
            }),
        });
    };
    let key_ids = key_id_check(child, issuer);
    let mut summary = if issuer_index == child_index {
        format!("{this} is self-signed")
    } else {
        format!("{this} is issued by {}", name(issuer_index))
    };
    if key_ids == KeyIdCheck::Mismatch {
        summary.push_str(", but its authority key identifier names a different key of that issuer");
    }
    Some(ChainLink {
        child: child_index,
        issuer: Some(issuer_index),
        key_ids,
        summary,
        verify: prepare_signature_check(child, issuer),
    })
}

/// What WebCrypto needs to check that `issuer`'s key signed `child`. ECDSA signatures in
/// certificates are DER `Ecdsa-Sig-Value`s, while WebCrypto wants raw `r‖s` padded to the
/// curve size, so they are converted here.
pub fn prepare_signature_check(
    child: &Certificate,
    issuer: &Certificate,
) -> Result<WebCryptoVerify, NotChecked> {
    let Some(scheme) = Scheme::for_certificate(&child.signature_oid) else {
        return Err(NotChecked::Algorithm {
            algorithm: child.signature_algorithm.to_string(),
        });
    };
    let Some(algorithm) = issuer.key_algorithm.and_then(|key| scheme.algorithm(key)) else {
        return Err(NotChecked::KeyMismatch {
            key: issuer.public_key.to_string(),
            signature: child.signature_algorithm.to_string(),
        });
    };
    let signature = match algorithm {
        Algorithm::Ecdsa { curve, .. } => ecdsa_der_to_raw(&child.signature, curve)?,
        _ => child.signature.clone(),
    };
    Ok(WebCryptoVerify {
        algorithm,
        spki_der: issuer.spki_der.clone(),
        signature,
        signing_input: child.tbs_der.clone(),
    })
}
