//! PyJWT's errors, as readers of the service-account token tutorials meet them: most
//! tutorials were written for PyJWT 1, whose `jwt.decode(token, verify=False)` PyJWT 2 no
//! longer honours, and Kubernetes tokens carry `aud` and `exp`, which PyJWT checks.
//!
//! The messages are PyJWT's own (`jwt/api_jws.py`, `jwt/api_jwt.py`); each is explained with
//! the PyJWT 2 line that works for a Kubernetes token.

use super::grammar::{clip, line_around};
use super::{Diagnosis, Guide};

/// Which PyJWT error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyJwtKind {
    /// `DecodeError: It is required that you pass in a value for the "algorithms" argument
    /// when calling decode()`.
    AlgorithmsRequired,
    /// `ExpiredSignatureError: Signature has expired`.
    Expired,
    /// `InvalidAudienceError: Invalid audience` (or `Audience doesn't match`).
    InvalidAudience,
    /// `InvalidSignatureError: Signature verification failed`.
    InvalidSignature,
}

impl PyJwtKind {
    /// The exception's class name.
    pub fn exception(self) -> &'static str {
        match self {
            PyJwtKind::AlgorithmsRequired => "DecodeError",
            PyJwtKind::Expired => "ExpiredSignatureError",
            PyJwtKind::InvalidAudience => "InvalidAudienceError",
            PyJwtKind::InvalidSignature => "InvalidSignatureError",
        }
    }
}

/// A PyJWT exception read from a paste.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyJwtError {
    /// Which error.
    pub kind: PyJwtKind,
    /// The line it was read from.
    pub detail: String,
}

const PATTERNS: [(&str, PyJwtKind); 5] = [
    (
        "pass in a value for the \"algorithms\" argument",
        PyJwtKind::AlgorithmsRequired,
    ),
    (
        "pass in a value for the 'algorithms' argument",
        PyJwtKind::AlgorithmsRequired,
    ),
    ("ExpiredSignatureError", PyJwtKind::Expired),
    ("InvalidAudienceError", PyJwtKind::InvalidAudience),
    ("InvalidSignatureError", PyJwtKind::InvalidSignature),
];

/// The last PyJWT error in `text`. python-jose's exceptions share some names
/// (`jose.exceptions.ExpiredSignatureError`); those are another library and are left alone.
pub(super) fn find(text: &str) -> Option<(usize, Diagnosis)> {
    let (at, kind) = PATTERNS
        .iter()
        .filter_map(|(p, k)| text.rfind(p).map(|i| (i, *k)))
        .max_by_key(|(i, _)| *i)?;
    let line = line_around(text, at).1.trim();
    if line.contains("jose.exceptions") || line.contains("jose.") && !line.contains("jwt.") {
        return None;
    }
    let detail = clip(line).to_string();
    Some((at, Diagnosis::PyJwt(PyJwtError { kind, detail })))
}

/// The key of the cluster's JWKS that signed the token, then the decode: PyJWT 2 needs the
/// algorithms named, and a Kubernetes token's audience passed.
const VERIFY: &str = "import os\n\
import jwt  # PyJWT 2: pip install 'pyjwt[crypto]'\n\
token = os.environ[\"TOKEN\"]\n\
# kubectl get --raw /openid/v1/jwks > jwks.json\n\
kid = jwt.get_unverified_header(token)[\"kid\"]\n\
key = next(k.key for k in jwt.PyJWKSet.from_json(open(\"jwks.json\").read()).keys if k.key_id == kid)\n\
claims = jwt.decode(token, key, algorithms=[\"RS256\", \"ES256\"], audience=\"https://kubernetes.default.svc.cluster.local\")";

/// What the error means, with the PyJWT 2 lines that work.
pub(super) fn guide(e: &PyJwtError) -> Guide {
    let (cause, steps): (&str, Vec<&str>) = match e.kind {
        PyJwtKind::AlgorithmsRequired => (
            "PyJWT 2 requires the algorithms argument: jwt.decode no longer reads the \
             algorithm from the token's header (an attacker could choose it), and it ignores \
             verify=False. Name the algorithms the cluster signs with (RS256, or ES256), or, \
             only to look at the claims, turn signature checking off explicitly.",
            vec![
                "To verify: pass the cluster's public key and algorithms=[\"RS256\"] (the \
                 lines below read the key from the cluster's JWKS).",
                "Only to read the claims, without trusting them: jwt.decode(token, \
                 options={\"verify_signature\": False}).",
            ],
        ),
        PyJwtKind::Expired => (
            "The token's exp is in the past: PyJWT refuses an expired token, as the API \
             server does. Service-account tokens from kubectl create token last an hour by \
             default, and a projected token file is renewed by the kubelet, so read the file \
             again instead of keeping the token.",
            vec![
                "Get a new token (kubectl create token ACCOUNT), or re-read the mounted token \
                 file at each use.",
                "Only for a clock that is a little off: leeway=30 in jwt.decode. Only to look \
                 at an old token: options={\"verify_exp\": False}.",
            ],
        ),
        PyJwtKind::InvalidAudience => (
            "The token has an aud claim, and PyJWT 2 refuses it unless audience= names one \
             of its values. A service-account token's audience is the API server's (often \
             https://kubernetes.default.svc.cluster.local, or the issuer), or what \
             --audience asked for.",
            vec![
                "Look at the token's aud on Inspect, and pass that value as audience=.",
                "A token made for another audience (sts.amazonaws.com, vault) is not meant \
                 for you: request one with your audience (kubectl create token ACCOUNT \
                 --audience=AUDIENCE).",
            ],
        ),
        PyJwtKind::InvalidSignature => (
            "The signature does not verify with the key given. A Kubernetes token is signed \
             with the cluster's private key (RS256 or ES256): verify it with the public key \
             from the cluster's JWKS that has the token's kid, not with a shared secret, and \
             not with another cluster's key.",
            vec![
                "Fetch the keys: kubectl get --raw /openid/v1/jwks > jwks.json, and take the \
                 one whose kid is in the token's header (below).",
                "Inspect checks the signature in the browser against a pasted JWKS.",
            ],
        ),
    };
    Guide {
        cause: cause.to_string(),
        steps: steps.into_iter().map(str::to_string).collect(),
        commands: VERIFY.lines().map(str::to_string).collect(),
        yaml: None,
    }
}
