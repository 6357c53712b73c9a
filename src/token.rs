//! The token itself: a compact JWS split and decoded, and the Kubernetes claims read from it.
//!
//! Everything here reads only the token's own bytes: what the claims mean for a page, and how
//! they are shown, is [`crate::inspect`].

pub mod b64; // strict base64url of JWS segments, with positions in errors
pub mod claims; // the Kubernetes claim model: legacy vs bound, absent vs malformed
pub mod jwt; // split and decode compact JWS
