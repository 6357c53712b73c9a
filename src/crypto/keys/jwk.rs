//! JWKS and JWK (RFC 7517; members from RFC 7518, section 6), read into public keys.

use serde_json::Value;

use super::{bad_key, rsa_key, unsupported, KeyError, KeySet, KeySource, PublicKey};
use crate::crypto::pem::{self, B64Error};
use crate::crypto::spki::{self, Curve, KeyAlgorithm};

pub(super) fn parse_json(text: &str) -> Result<KeySet, KeyError> {
    let value: Value = serde_json::from_str(text).map_err(|e| KeyError::Json {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })?;
    let Some(object) = value.as_object() else {
        return Err(KeyError::NotJwks);
    };
    if let Some(keys) = object.get("keys") {
        let entries = keys
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or(KeyError::EmptyKeySet)?;
        let mut set = KeySet {
            keys: Vec::new(),
            problems: Vec::new(),
        };
        for (i, jwk) in entries.iter().enumerate() {
            match parse_jwk(KeySource::Jwks { index: i + 1 }, jwk) {
                Ok(key) => set.keys.push(key),
                Err(e @ KeyError::PrivateKey { .. }) => return Err(e),
                Err(e) => set.problems.push(e),
            }
        }
        Ok(set)
    } else if object.contains_key("kty") {
        Ok(KeySet::of(parse_jwk(KeySource::Jwk, &value)?))
    } else if object.contains_key("jwks_uri") || object.contains_key("issuer") {
        let jwks_uri = object
            .get("jwks_uri")
            .and_then(Value::as_str)
            .map(str::to_string);
        Err(KeyError::DiscoveryDocument { jwks_uri })
    } else {
        Err(KeyError::NotJwks)
    }
}

/// One JWK (RFC 7517; members from RFC 7518 section 6): RSA `n`/`e` or EC `crv`/`x`/`y`.
fn parse_jwk(source: KeySource, jwk: &Value) -> Result<PublicKey, KeyError> {
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    let member = |name: &str| -> Result<Vec<u8>, KeyError> {
        let Some(value) = text(name) else {
            return Err(bad_key(
                &source,
                format!("member {name:?} is missing or not a string"),
            ));
        };
        pem::decode_lenient(value).map_err(|e| {
            let reason = match e {
                B64Error::InvalidCharacter { offset, character } => {
                    format!("{character:?} at character {}", offset + 1)
                }
                B64Error::InvalidLength { .. } => "it is cut short".to_string(),
            };
            bad_key(
                &source,
                format!("member {name:?} is not base64url: {reason}"),
            )
        })
    };
    if jwk.get("d").is_some() {
        let location = format!("{source} (it has the private member \"d\")");
        return Err(KeyError::PrivateKey { location });
    }
    let mut key = match text("kty").unwrap_or("") {
        "RSA" => rsa_key(source.clone(), &member("n")?, &member("e")?)?,
        "EC" => {
            let crv = text("crv").unwrap_or("(none)");
            let curve = Curve::from_name(crv)
                .ok_or_else(|| unsupported(&source, format!("curve {crv:?}")))?;
            let (x, y) = (member("x")?, member("y")?);
            for (name, coordinate) in [("x", &x), ("y", &y)] {
                if coordinate.len() != curve.coordinate_len() {
                    let (len, want) = (coordinate.len(), curve.coordinate_len());
                    let reason = format!(
                        "member {name:?} is {len} bytes; a {} coordinate is {want} bytes",
                        curve.name()
                    );
                    return Err(bad_key(&source, reason));
                }
            }
            let spki_der = spki::ec(curve, &[&[4u8][..], &x, &y].concat());
            PublicKey::new(source, KeyAlgorithm::Ec { curve }, spki_der)
        }
        other => return Err(unsupported(&source, format!("kty {other:?}"))),
    };
    key.jwk_kid = text("kid").map(str::to_string);
    key.jwk_alg = text("alg").map(str::to_string);
    Ok(key)
}
