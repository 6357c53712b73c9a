//! The browser's WebCrypto, for the checks the core plans (`webcrypto::WebCryptoVerify`).
//!
//! The browser already ships RSA and ECDSA; verifying here instead of with RustCrypto keeps
//! the bundle small. The core chose the key, the algorithm and the bytes; this module only
//! turns the typed [`Algorithm`] into the objects `importKey` and `verify` take, and asks.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use crate::crypto::webcrypto::{Algorithm, NotChecked, WebCryptoVerify};

/// True when the signature holds; `Err` with the browser's message when WebCrypto refuses
/// the key or the parameters.
pub async fn verify(check: &WebCryptoVerify) -> Result<bool, NotChecked> {
    ask(check).await.map_err(NotChecked::Browser)
}

/// [`verify`], with the browser's message as it came.
async fn ask(check: &WebCryptoVerify) -> Result<bool, String> {
    let subtle = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(message)?
        .subtle();

    let algorithm = check.algorithm;
    let name = algorithm.name();
    let hash = algorithm.hash().name();
    let import = Object::new();
    set(&import, "name", name)?;
    match algorithm {
        Algorithm::Ecdsa { curve, .. } => set(&import, "namedCurve", curve.name())?,
        Algorithm::RsaPkcs1v15 { .. } | Algorithm::RsaPss { .. } => set(&import, "hash", hash)?,
    }
    let spki: Object = Uint8Array::from(check.spki_der.as_slice()).into();
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key = subtle
        .import_key_with_object("spki", &spki, &import, false, &usages)
        .map_err(message)?;
    let key: CryptoKey = JsFuture::from(key)
        .await
        .map_err(message)?
        .dyn_into()
        .map_err(message)?;

    let params = Object::new();
    set(&params, "name", name)?;
    match algorithm {
        Algorithm::Ecdsa { .. } => set(&params, "hash", hash)?,
        Algorithm::RsaPss { salt_length, .. } => {
            Reflect::set(&params, &"saltLength".into(), &JsValue::from(salt_length))
                .map_err(message)?;
        }
        Algorithm::RsaPkcs1v15 { .. } => {}
    }
    let outcome = subtle
        .verify_with_object_and_u8_array_and_u8_array(
            &params,
            &key,
            &check.signature,
            &check.signing_input,
        )
        .map_err(message)?;
    Ok(JsFuture::from(outcome)
        .await
        .map_err(message)?
        .as_bool()
        .unwrap_or(false))
}

fn set(target: &Object, key: &str, value: &str) -> Result<(), String> {
    Reflect::set(target, &key.into(), &value.into())
        .map(|_| ())
        .map_err(message)
}

/// The browser's message for a rejected promise or a thrown error.
pub(super) fn message(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}
