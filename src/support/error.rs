//! Errors that say where the input went wrong and what the user can do about it.
//!
//! Every variant carries a position (segment, offset, line) because "invalid token" is useless
//! to someone staring at 900 characters of base64. `Display` is what the page shows.

use std::fmt;

/// The three parts of a compact JWS, named as users see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The first part: algorithm and key ID.
    Header,
    /// The second part: the claims.
    Payload,
    /// The third part: the signature bytes.
    Signature,
}

impl Segment {
    /// The segment at `index` in a dotted token (0-based).
    pub fn at(index: usize) -> Option<Segment> {
        match index {
            0 => Some(Segment::Header),
            1 => Some(Segment::Payload),
            2 => Some(Segment::Signature),
            _ => None,
        }
    }

    /// Lower-case name for use in sentences.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        }
    }

    /// 1-based position, as people count.
    pub fn ordinal(self) -> &'static str {
        match self {
            Segment::Header => "first",
            Segment::Payload => "second",
            Segment::Signature => "third",
        }
    }
}

/// Why a string could not be decoded as a JWT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The input was empty or only white space.
    Empty,
    /// The input is larger than the inspector is willing to process.
    TooLarge {
        /// Size of the input in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// There is no dot at all: not a JWT, nor anything else recognised.
    NoDots,
    /// Header and payload only: the signature part is missing.
    MissingSignature,
    /// Five parts whose header has `enc`: an encrypted JWE, not a signed token.
    Encrypted,
    /// A number of parts other than three (and not a JWE).
    SegmentCount {
        /// How many dot-separated parts were found.
        found: usize,
    },
    /// The header or payload part is empty.
    EmptySegment {
        /// Which part.
        segment: Segment,
    },
    /// A character outside the base64url alphabet.
    InvalidCharacter {
        /// Which part.
        segment: Segment,
        /// Offset of the character within the part (0-based, in characters).
        offset: usize,
        /// Offset within the whole token (0-based), counting the dots.
        token_offset: usize,
        /// The character itself.
        character: char,
    },
    /// A length that no base64url encoding can have (one character too many or too few).
    InvalidLength {
        /// Which part.
        segment: Segment,
        /// Its length in characters.
        length: usize,
    },
    /// The part decodes to bytes that are not UTF-8 text.
    NotUtf8 {
        /// Which part.
        segment: Segment,
        /// Offset of the first bad byte in the decoded bytes.
        byte: usize,
        /// Roughly where that byte sits in the base64url text (4 characters per 3 bytes).
        near_character: usize,
    },
    /// The part is text but not JSON.
    NotJson {
        /// Which part.
        segment: Segment,
        /// 1-based line in the decoded JSON.
        line: usize,
        /// 1-based column in the decoded JSON.
        column: usize,
        /// The JSON parser's message.
        message: String,
    },
    /// The part is JSON but not an object (e.g. a string or an array).
    NotObject {
        /// Which part.
        segment: Segment,
        /// What it is instead ("an array", "a string", ...).
        found: &'static str,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Empty => write!(f, "Nothing to inspect yet: paste a token, a Secret, `kubectl describe secret` output or a kubeconfig."),
            TokenError::TooLarge { bytes, limit } => write!(
                f,
                "The input is {} KiB; the inspector stops at {} KiB. A token is a few KiB at most: paste just the token, Secret or kubeconfig.",
                bytes / 1024,
                limit / 1024
            ),
            TokenError::NoDots => write!(
                f,
                "This is not a JWT: a token has three parts separated by dots (header.payload.signature), and there are no dots here. If you copied `data.token` from a Secret, paste the whole Secret or the base64 text alone."
            ),
            TokenError::MissingSignature => write!(
                f,
                "Only two parts (header.payload): the third part, the signature, is missing. Copy the whole token, including everything after the second dot."
            ),
            TokenError::Encrypted => write!(
                f,
                "This is an encrypted JWE (five parts, with `enc` in the header). Service-account tokens are signed JWS with three parts; a JWE cannot be read without the recipient's private key."
            ),
            TokenError::SegmentCount { found } => write!(
                f,
                "{found} dot-separated parts; a signed token has exactly three. If two tokens were pasted together, paste one at a time."
            ),
            TokenError::EmptySegment { segment } => write!(
                f,
                "The {} part ({}) is empty: the token is incomplete.",
                segment.name(),
                segment.ordinal()
            ),
            TokenError::InvalidCharacter { segment, offset, token_offset, character } => write!(
                f,
                "The {} part is not base64url: character {:?} at offset {offset} of the {} part (offset {token_offset} in the token). Only A-Z, a-z, 0-9, '-' and '_' may appear; check for a copy-and-paste accident there.",
                segment.name(),
                character,
                segment.name()
            ),
            TokenError::InvalidLength { segment, length } => write!(
                f,
                "The {} part has {length} characters, a length no base64url text can have: a character was lost or added. Copy the token again.",
                segment.name()
            ),
            // Not text from the first byte on: a placeholder or another format, not damage.
            TokenError::NotUtf8 { segment, byte: 0, .. } => write!(
                f,
                "The {} part is not base64url of JSON: it decodes to bytes that are not text from the very first one (byte 0, character 0 of the part). A real {} part starts with \"eyJ\"; this one may be a placeholder, or not from a JWT at all.",
                segment.name(),
                segment.name()
            ),
            TokenError::NotUtf8 { segment, byte, near_character } => write!(
                f,
                "The {} part decodes to bytes that are not UTF-8 text (byte {byte}, near character {near_character} of the part): a character there was probably lost or changed. Copy the token again.",
                segment.name()
            ),
            TokenError::NotJson { segment, line, column, message } => write!(
                f,
                "The {} part decodes, but not to JSON: {message} (line {line}, column {column} of the decoded {}).",
                segment.name(),
                segment.name()
            ),
            TokenError::NotObject { segment, found } => write!(
                f,
                "The {} part is JSON but {found}, not an object of named fields.",
                segment.name()
            ),
        }
    }
}

impl std::error::Error for TokenError {}

/// Why a pasted Secret, `describe` output or kubeconfig did not yield a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The text looks like YAML but does not parse.
    Yaml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The text starts like JSON but does not parse.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Parsed YAML or JSON that is neither a Secret nor a kubeconfig.
    UnknownDocument {
        /// The `kind` field, when there is one.
        kind: Option<String>,
    },
    /// A Secret without a token in `data.token` (or `stringData.token`).
    SecretWithoutToken {
        /// The Secret's `type`, when given.
        secret_type: Option<String>,
    },
    /// A field that should hold base64 does not.
    Base64 {
        /// Where, e.g. `data.token`.
        field: String,
        /// 0-based offset of the offending character, when there is one.
        offset: Option<usize>,
        /// What went wrong.
        problem: String,
    },
    /// `kubectl describe secret` output without a `token:` line.
    DescribeWithoutToken,
    /// A kubeconfig none of whose users carry a token.
    KubeconfigWithoutToken {
        /// How each user authenticates instead, e.g. `alice: client certificate`.
        users: Vec<String>,
    },
    /// The document nests deeper than any real Kubernetes object does.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The table `kubectl get secrets` prints: names and types, never the contents.
    SecretsTable {
        /// The Secrets it lists, `(name, type)`, in order.
        rows: Vec<(String, String)>,
        /// The first service-account token Secret, `(name, namespace)`, when its name (and
        /// namespace, when the table has the column) are valid Kubernetes names, so a
        /// command can name it.
        token_secret: Option<(String, Option<String>)>,
    },
    /// `kubectl describe serviceaccount` output: it names token Secrets, never a token.
    ServiceAccountDescribe {
        /// The service account and its namespace, when both are valid Kubernetes names.
        account: Option<(String, String)>,
        /// The first token Secret it lists, when that is a valid name.
        secret: Option<String>,
    },
    /// A placeholder or a masked value where the token belongs.
    Placeholder {
        /// Where it stands: `the paste`, `data.token`, `user "admin"`.
        field: String,
        /// The placeholder as written, shortened to 40 characters.
        text: String,
        /// What kind of stand-in it is.
        kind: Placeholder,
    },
    /// YAML whose nesting was lost or shifted in a copy (from a web page, a chat, a PDF).
    LostIndentation {
        /// 1-based line of the first line out of place.
        line: usize,
        /// How it is out of place.
        how: Indentation,
    },
}

/// What stands where a token belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// Documentation's stand-in: `<token>`, `(BEARER TOKEN BASE64 ENCODED)`, `YOUR_TOKEN`,
    /// `xxxxx`.
    Documentation,
    /// A token shortened for display: `eyJhbGc.......N7FqibA`, `....snip....`.
    Elided,
    /// A masked value: `REDACTED` (what `kubectl config view` writes), `***`.
    Redacted,
    /// A shell variable, not its value: `$TOKEN`, `${TOKEN}`, `$(cat token)`.
    Variable,
}

/// How a YAML paste lost its shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Indentation {
    /// A key that belongs under another stands in the same column as it.
    Flattened {
        /// The key out of place (`token`).
        key: String,
        /// The key it belongs under (`data`).
        parent: String,
        /// 1-based line of the parent.
        parent_line: usize,
    },
    /// Every line after the first is indented by the same extra spaces.
    Shifted {
        /// How many.
        spaces: usize,
    },
}

/// A shell variable name, the only text from a paste a printed `echo` may carry.
fn is_shell_variable(text: &str) -> bool {
    let name = text.strip_prefix('$').map(|n| {
        n.strip_prefix('{')
            .and_then(|n| n.strip_suffix('}'))
            .unwrap_or(n)
    });
    name.is_some_and(|n| {
        n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

impl From<crate::formats::yaml::YamlError> for InputError {
    /// The inspector's words for a YAML error: it expected a Secret or a kubeconfig.
    fn from(e: crate::formats::yaml::YamlError) -> Self {
        match e {
            crate::formats::yaml::YamlError::Parse {
                line,
                column,
                message,
            } => InputError::Yaml {
                line,
                column,
                message,
            },
            crate::formats::yaml::YamlError::TooDeep { limit } => InputError::TooDeep { limit },
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Yaml { line, column, message } => write!(
                f,
                "This looks like YAML but does not parse: {message} (line {line}, column {column}). Paste the whole `kubectl get secret -o yaml` output or kubeconfig."
            ),
            InputError::Json { line, column, message } => write!(
                f,
                "This looks like JSON but does not parse: {message} (line {line}, column {column})."
            ),
            InputError::UnknownDocument { kind: Some(kind) } => write!(
                f,
                "This is a {kind}, not a Secret or a kubeconfig: there is no token in it to inspect."
            ),
            InputError::UnknownDocument { kind: None } => write!(
                f,
                "This document is neither a Secret nor a kubeconfig (it has no `kind: Secret` or `kind: Config`): there is no token in it to inspect."
            ),
            InputError::SecretWithoutToken { secret_type } => {
                write!(f, "This Secret has no `data.token`")?;
                match secret_type.as_deref() {
                    Some("kubernetes.io/service-account-token") => write!(
                        f,
                        ": the token controller has not filled it in yet (or the service account named in its annotation does not exist)."
                    ),
                    Some(other) => write!(
                        f,
                        ". Its type is `{other}`; service-account tokens live in Secrets of type `kubernetes.io/service-account-token`."
                    ),
                    None => write!(f, "."),
                }
            }
            InputError::Base64 { field, offset: Some(offset), problem } => write!(
                f,
                "`{field}` is not valid base64: {problem} at offset {offset}."
            ),
            InputError::Base64 { field, offset: None, problem } => {
                write!(f, "`{field}` is not valid base64: {problem}.")
            }
            InputError::DescribeWithoutToken => write!(
                f,
                "This looks like `kubectl describe secret` output, but it has no `token:` line under Data."
            ),
            InputError::KubeconfigWithoutToken { users } if users.is_empty() => {
                write!(f, "This kubeconfig has no users, so there is no token in it.")
            }
            InputError::KubeconfigWithoutToken { users } => write!(
                f,
                "No user in this kubeconfig has a token: {}.",
                users.join("; ")
            ),
            InputError::TooDeep { limit } => write!(
                f,
                "The document nests more than {limit} levels deep; no Kubernetes object does. It was not processed."
            ),
            InputError::SecretsTable { rows, token_secret } => {
                let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).take(5).collect();
                let more = if rows.len() > names.len() { ", …" } else { "" };
                write!(
                    f,
                    "This is the table `kubectl get secrets` prints ({} Secret{}: {}{more}): it lists names and types, not what the Secrets hold, so there is no token in it. ",
                    rows.len(),
                    if rows.len() == 1 { "" } else { "s" },
                    names.join(", ")
                )?;
                match token_secret {
                    Some((name, namespace)) => {
                        let ns = namespace
                            .as_deref()
                            .map(|ns| format!(" -n {ns}"))
                            .unwrap_or_default();
                        write!(f, "Run `kubectl get secret {name}{ns} -o yaml` (its type is kubernetes.io/service-account-token) and paste what it prints.")
                    }
                    None if rows.iter().any(|(_, t)| t == "kubernetes.io/service-account-token") => write!(
                        f,
                        "Run `kubectl get secret NAME -o yaml` for the Secret of type kubernetes.io/service-account-token and paste what it prints."
                    ),
                    None => write!(
                        f,
                        "None of them is a service-account token Secret (type kubernetes.io/service-account-token); since Kubernetes 1.24 none is made by default. `kubectl create token SERVICE_ACCOUNT -n NAMESPACE` prints a short-lived token to paste here."
                    ),
                }
            }
            InputError::ServiceAccountDescribe { account, secret } => {
                write!(f, "This is `kubectl describe serviceaccount` output: it names the service account's token Secrets, not what they hold, so there is no token in it. ")?;
                let ns = account
                    .as_ref()
                    .map(|(_, ns)| format!(" -n {ns}"))
                    .unwrap_or_default();
                match (secret, account) {
                    (Some(secret), _) => write!(f, "Run `kubectl get secret {secret}{ns} -o yaml` and paste what it prints."),
                    (None, Some((name, _))) => write!(f, "It lists no token Secret (since Kubernetes 1.24 none is made by default): `kubectl create token {name}{ns}` prints a short-lived token to paste here."),
                    (None, None) => write!(f, "`kubectl create token SERVICE_ACCOUNT -n NAMESPACE` prints a short-lived token to paste here."),
                }
            }
            InputError::Placeholder { field, text, kind } => match kind {
                Placeholder::Documentation => write!(
                    f,
                    "{field} holds `{text}`, a placeholder from documentation, not a token. Paste a real one: `kubectl create token SERVICE_ACCOUNT -n NAMESPACE` prints a new token, and `kubectl get secret NAME -o yaml` shows a Secret-based one."
                ),
                Placeholder::Elided => write!(
                    f,
                    "{field} holds `{text}`: a token shortened for display, with part of it cut out, so it cannot be read. Copy the whole token; a service-account token is several hundred characters long."
                ),
                Placeholder::Redacted => write!(
                    f,
                    "{field} holds `{text}`: the value was masked before it was shared (`kubectl config view` writes REDACTED in place of every token). Paste the original: `kubectl config view --raw` shows the tokens."
                ),
                Placeholder::Variable if is_shell_variable(text) => write!(
                    f,
                    "{field} holds `{text}`, a shell variable, not its value. Run `echo \"{text}\"` in the shell where it is set and paste what it prints."
                ),
                Placeholder::Variable => write!(
                    f,
                    "{field} holds `{text}`, a shell expansion, not its value. Run it in the shell where it works and paste what it prints."
                ),
            },
            InputError::LostIndentation { line, how: Indentation::Flattened { key, parent, parent_line } } => write!(
                f,
                "Line {line}: `{key}:` starts in the same column as `{parent}:` on line {parent_line}, so `{parent}` is empty and `{key}` is not inside it: the YAML lost its indentation, as a copy from a web page often does. Indent the lines under `{parent}:` by two spaces, or copy it again from `kubectl get secret NAME -o yaml`."
            ),
            InputError::LostIndentation { line, how: Indentation::Shifted { spaces } } => write!(
                f,
                "Line {line}: every line after the first is indented by {spaces} more spaces than the first, so the YAML does not parse: the copy added indentation (some documentation pages' copy buttons do). Remove {spaces} spaces from the start of each line after the first."
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Anything that stops the inspector from showing a token: the wrapper or the token itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectError {
    /// The Secret, `describe` output or kubeconfig around the token.
    Input(InputError),
    /// The token.
    Token(TokenError),
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectError::Input(e) => e.fmt(f),
            InspectError::Token(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for InspectError {}

impl From<InputError> for InspectError {
    fn from(e: InputError) -> Self {
        InspectError::Input(e)
    }
}

impl From<TokenError> for InspectError {
    fn from(e: TokenError) -> Self {
        InspectError::Token(e)
    }
}

/// What a form says when a field holds far more than any value of its kind: a paste into the
/// wrong field. The message never quotes the text, which could be megabytes.
pub fn field_too_long(field: &dyn fmt::Display, bytes: usize, limit: usize) -> String {
    format!(
        "{field} is {} KiB long; this page takes up to {} KiB here. Paste just the value.",
        bytes.div_ceil(1024),
        limit / 1024
    )
}

/// Shows a form's field as its label (`Field::label`), which is how every message names it.
#[macro_export]
macro_rules! field_shown_as_label {
    ($field:ty) => {
        impl std::fmt::Display for $field {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

/// Something that stops a form (the kubeconfig or RBAC builder) from writing its output,
/// shown beside the field `F` it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem<F> {
    /// The field it is about.
    pub field: F,
    /// What is wrong and what to write instead: one or two sentences a person can act on.
    pub message: String,
}

impl<F> Problem<F> {
    /// A problem with `field`.
    pub fn new(field: F, message: impl Into<String>) -> Self {
        Problem {
            field,
            message: message.into(),
        }
    }
}

/// The line shown where a form's output would be: the first problem, and how many more the
/// form shows `elsewhere` ("below", "beside the fields").
pub fn first_problem<F: fmt::Display>(problems: &[Problem<F>], elsewhere: &str) -> String {
    match problems {
        [] => "fill in the form.".to_string(),
        [one] => format!("{}: {}", one.field, one.message),
        [one, rest @ ..] => format!(
            "{}: {} (and {} more {elsewhere})",
            one.field,
            one.message,
            rest.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_problem_names_the_field_and_counts_the_rest() {
        assert_eq!(first_problem::<&str>(&[], "below"), "fill in the form.");
        let one = Problem::new("Server URL", "it needs https://.");
        assert_eq!(
            first_problem(std::slice::from_ref(&one), "below"),
            "Server URL: it needs https://."
        );
        let two = [one, Problem::new("Token", "it is empty.")];
        assert_eq!(
            first_problem(&two, "beside the fields"),
            "Server URL: it needs https://. (and 1 more beside the fields)"
        );
    }
}
