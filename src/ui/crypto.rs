//! The browser's WebCrypto, for the checks the core prepares (`keys::WebCryptoVerify`).
//!
//! The browser already ships RSA and ECDSA; doing it here instead of with RustCrypto keeps
//! about 160 KB of gzip out of the bundle. The core chose the key, the algorithm and the
//! bytes; this module only imports the key and asks `verify`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use crate::keys::WebCryptoVerify;

/// True when the signature holds; `Err` with the browser's message when WebCrypto refuses
/// the key or the parameters.
pub async fn verify(check: &WebCryptoVerify) -> Result<bool, String> {
    let subtle = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(message)?
        .subtle();

    let import = Object::new();
    set(&import, "name", &check.import_algorithm)?;
    match &check.named_curve {
        Some(curve) => set(&import, "namedCurve", curve)?,
        None => set(&import, "hash", &check.hash)?,
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
    set(&params, "name", &check.import_algorithm)?;
    if check.named_curve.is_some() {
        set(&params, "hash", &check.hash)?;
    }
    if let Some(salt) = check.salt_length {
        Reflect::set(&params, &"saltLength".into(), &JsValue::from(salt)).map_err(message)?;
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
