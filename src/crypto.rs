//! Keys and certificates: DER, PEM and SubjectPublicKeyInfo read strictly, X.509 certificates
//! and chains, verification keys, and the plan of each signature check the browser runs.
//!
//! Nothing here verifies a signature: the browser's WebCrypto does, from the plans this folder
//! writes.

pub mod cert; // the X.509 Certificate structure read from DER, below keys and x509
pub mod der; // a small strict DER reader for certificates and keys
pub mod keys; // verification keys (JWKS, JWK, PEM), Kubernetes key IDs, the checks to run
pub mod pem; // PEM framing and the lenient base64 reader, with lines and columns in errors
pub mod spki; // curves, key algorithms and their OIDs; SubjectPublicKeyInfo read and written
pub mod webcrypto; // the typed plan of one signature check the browser runs
pub mod x509; // certificates and chains, summarised for display
