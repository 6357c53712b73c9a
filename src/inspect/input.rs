//! Recognising what was pasted and finding the token (and CA) in it.
//!
//! Users paste whatever they have at hand: a raw JWT, an `Authorization: Bearer …` header,
//! the base64 from a Secret's `data.token`, a whole Secret as YAML or JSON, `kubectl describe
//! secret` output, or a kubeconfig. This module says which one it saw and hands out each
//! token it found as a [`Candidate`], with the CA and namespace that came with it. What holds
//! no token (a `kubectl get secrets` table, a placeholder, YAML that lost its indentation) is
//! named by `paste`, with what to paste instead.

use serde_json::{Map, Value};

use crate::formats::json::{self, named};
use crate::formats::yaml;
use crate::support::error::{InputError, InspectError, TokenError};
use crate::support::finding::{Finding, Level};
use crate::token::b64;
use crate::token::jwt::MAX_INPUT_BYTES;

mod paste;

use paste::{placeholder, placeholder_error};

/// The form the input was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A compact JWT, possibly wrapped over several lines.
    RawJwt,
    /// A JWT after `Bearer ` (or a whole `Authorization:` header).
    Bearer,
    /// The base64 of a JWT, as in a Secret's `data.token`.
    Base64Token,
    /// `kubectl get secret -o yaml`.
    SecretYaml,
    /// `kubectl get secret -o json`.
    SecretJson,
    /// `kubectl describe secret`.
    Describe,
    /// A kubeconfig (YAML or JSON).
    Kubeconfig,
    /// Tokens inside other text: a `curl -H "Authorization: Bearer …"` command, a log line.
    InText,
}

impl Form {
    /// How the page names the form: "Recognised: …".
    pub fn label(self) -> &'static str {
        match self {
            Form::RawJwt => "a raw JWT",
            Form::Bearer => "a Bearer authorization header",
            Form::Base64Token => "the base64 of a token (as in a Secret's data.token)",
            Form::SecretYaml => "a Secret (kubectl get secret -o yaml)",
            Form::SecretJson => "a Secret (kubectl get secret -o json)",
            Form::Describe => "kubectl describe secret output",
            Form::Kubeconfig => "a kubeconfig",
            Form::InText => "a token inside other text (a curl command, say)",
        }
    }
}

/// One token found in the input, with what came with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    /// How to name it in a chooser, e.g. `user "ci" (context "ci@prod")`.
    pub label: String,
    /// The compact token: white space and `Bearer` removed.
    pub token: String,
    /// The CA that came with it (a Secret's `ca.crt`, a cluster's
    /// `certificate-authority-data`), as PEM text when it decodes to text.
    pub ca: Option<String>,
    /// The namespace that came with it (Secret `data.namespace`, context namespace).
    pub namespace: Option<String>,
    /// The API server URL (kubeconfig clusters only).
    pub server: Option<String>,
}

/// What [`recognise`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recognised {
    /// Which form the input was in.
    pub form: Form,
    /// Every token found; never empty.
    pub candidates: Vec<Candidate>,
    /// Index of the candidate to show first (a kubeconfig's current context).
    pub preferred: usize,
    /// Things worth telling the user about the wrapper (e.g. users without tokens).
    pub notes: Vec<Finding>,
}

/// Recognises the form of `input` and extracts its tokens.
///
/// Only the wrapper is checked here; each candidate's token is decoded by
/// [`crate::token::jwt::decode`], which reports where a broken token is broken.
pub fn recognise(input: &str) -> Result<Recognised, InspectError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(TokenError::Empty.into());
    }
    if input.len() > MAX_INPUT_BYTES {
        return Err(TokenError::TooLarge {
            bytes: input.len(),
            limit: MAX_INPUT_BYTES,
        }
        .into());
    }
    // `[user@host dir]$ kubectl …` is a shell prompt, not a JSON array.
    let prompt = text
        .lines()
        .next()
        .is_some_and(|l| l.starts_with('[') && (l.contains("]$") || l.contains("]#")));
    if (text.starts_with('{') || text.starts_with('[')) && !prompt {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            // `[REDACTED]` and `{token}` are stand-ins, not broken JSON.
            match placeholder(text).filter(|_| !text.contains(char::is_whitespace)) {
                Some(kind) => placeholder_error("The paste", text, kind),
                None => InputError::Json {
                    line: e.line(),
                    column: e.column().max(1),
                    message: json::message(&e),
                },
            }
        })?;
        return from_document(&value, Form::SecretJson);
    }
    if looks_like_yaml_document(text) {
        let read = yaml::parse_documents(text)
            .map_err(|e| InspectError::from(InputError::from(e)))
            .and_then(|docs| from_documents(&docs, Form::SecretYaml));
        // Lost indentation explains a failure better than the parser's own words can.
        return read.map_err(|e| paste::misindented(text).map_or(e, InspectError::from));
    }
    if let Some(account) = paste::serviceaccount_describe(text) {
        return Err(account.into());
    }
    if looks_like_describe(text) {
        return from_describe(text);
    }
    if let Some(table) = paste::secrets_table(text) {
        return Err(table.into());
    }
    from_token_text(text)
}

fn single(form: Form, candidate: Candidate) -> Recognised {
    Recognised {
        form,
        candidates: vec![candidate],
        preferred: 0,
        notes: Vec::new(),
    }
}

/// Removes `Authorization:`, `Bearer`, quotes and all white space from a token-ish string.
/// Returns the compact text and whether a `Bearer` prefix was there.
pub fn clean_token(text: &str) -> (String, bool) {
    let (mut rest, bearer) = strip_authorization(text);
    for quote in ['"', '\''] {
        if rest.len() >= 2 && rest.starts_with(quote) && rest.ends_with(quote) {
            rest = rest.get(1..rest.len() - 1).unwrap_or(rest);
        }
    }
    let compact = rest.chars().filter(|c| !c.is_whitespace()).collect();
    (compact, bearer)
}

/// The text after an `Authorization:` and a `Bearer` prefix, trimmed, and whether `Bearer`
/// was there.
fn strip_authorization(text: &str) -> (&str, bool) {
    let mut rest = text.trim();
    if let Some(after) = strip_prefix_ignore_case(rest, "authorization:") {
        rest = after.trim_start();
    }
    let mut bearer = false;
    if let Some(after) = strip_prefix_ignore_case(rest, "bearer") {
        if after.starts_with(|c: char| c.is_whitespace()) {
            rest = after.trim_start();
            bearer = true;
        }
    }
    (rest, bearer)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

fn from_token_text(text: &str) -> Result<Recognised, InspectError> {
    let (token, bearer) = clean_token(text);
    let form = if bearer { Form::Bearer } else { Form::RawJwt };
    if !is_jwt_shaped(&token) {
        let found = jwts_in(text);
        if !found.is_empty() {
            let many = found.len() > 1;
            let candidates = found
                .iter()
                .enumerate()
                .map(|(i, token)| Candidate {
                    label: if many {
                        format!("token {} of {} in the text", i + 1, found.len())
                    } else {
                        "the token in the text".to_string()
                    },
                    token: (*token).to_string(),
                    ..Candidate::default()
                })
                .collect();
            return Ok(Recognised {
                form: Form::InText,
                candidates,
                preferred: 0,
                notes: Vec::new(),
            });
        }
        if let Some(error) = placeholder_in_text(text, &token, bearer) {
            return Err(error.into());
        }
    }
    if !token.contains('.') && b64::looks_like_base64(&token) {
        if let Some(inner) = token_inside_base64(&token) {
            return Ok(single(
                Form::Base64Token,
                Candidate {
                    label: "decoded base64".to_string(),
                    token: inner,
                    ..Candidate::default()
                },
            ));
        }
    }
    Ok(single(
        form,
        Candidate {
            label: form.label().to_string(),
            token,
            ..Candidate::default()
        },
    ))
}

/// A placeholder where the token belongs, in a paste with no token: the whole paste when it
/// is one word (after `Bearer`), else the word after `Bearer` or `--token` in a command.
fn placeholder_in_text(text: &str, token: &str, bearer: bool) -> Option<InputError> {
    let field = if bearer {
        "The Authorization header"
    } else {
        "The paste"
    };
    let one_word = !strip_authorization(text).0.contains(char::is_whitespace);
    if one_word {
        if let Some(kind) = placeholder(token) {
            return Some(placeholder_error(field, token, kind));
        }
    }
    paste::credential_words(text).find_map(|word| {
        placeholder(word).map(|kind| placeholder_error("The command's token", word, kind))
    })
}

fn is_jwt_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// Whether `token` has a compact JWS's shape: `eyJ…` and three base64url parts.
fn is_jwt_shaped(token: &str) -> bool {
    token.starts_with("eyJ")
        && token.split('.').count() == 3
        && token.bytes().all(|c| c == b'.' || is_jwt_char(c))
}

/// Most tokens read out of one text; a log with more is not a paste of one credential.
const MAX_TOKENS_IN_TEXT: usize = 20;

/// The distinct JWTs standing in `text` as words of their own (`eyJ….….…`, the signature may
/// be empty), in order of first appearance: what a `curl -H "Authorization: Bearer …"` command
/// or a log line holds. One pass over the text.
fn jwts_in(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(at) = text.get(i..).and_then(|rest| rest.find("eyJ")) {
        let start = i + at;
        let glued = start > 0 && bytes.get(start - 1).copied().is_some_and(is_jwt_char);
        // Three runs of base64url characters, joined by single dots.
        let mut end = start;
        let mut dots = 0;
        while let Some(&c) = bytes.get(end) {
            if is_jwt_char(c) {
                end += 1;
            } else if c == b'.' && dots < 2 {
                dots += 1;
                end += 1;
            } else {
                break;
            }
        }
        let glued_after = bytes.get(end).is_some_and(|&c| c == b'.');
        if !glued && !glued_after && dots == 2 {
            if let Some(token) = text.get(start..end) {
                if !found.contains(&token) && found.len() < MAX_TOKENS_IN_TEXT {
                    found.push(token);
                }
            }
        }
        i = end.max(start + 3);
    }
    found
}

/// Decodes `text` as base64 and returns the JWT inside, if that is what it holds.
fn token_inside_base64(text: &str) -> Option<String> {
    let bytes = b64::decode_lenient(text).ok()?;
    let inner = String::from_utf8(bytes).ok()?;
    let (token, _) = clean_token(&inner);
    (token.starts_with("eyJ") && token.contains('.')).then_some(token)
}

/// A paste is treated as a YAML document when a top-level line names a Kubernetes field.
fn looks_like_yaml_document(text: &str) -> bool {
    const KEYS: [&str; 8] = [
        "apiVersion:",
        "kind:",
        "data:",
        "metadata:",
        "clusters:",
        "users:",
        "contexts:",
        "current-context:",
    ];
    text.lines()
        .any(|line| KEYS.iter().any(|k| line.starts_with(k)))
        || text.starts_with("---")
}

fn looks_like_describe(text: &str) -> bool {
    let has = |prefix: &str| text.lines().any(|l| l.starts_with(prefix));
    has("token:") || (has("Name:") && has("Type:")) || text.contains("\nData\n====")
}

fn from_describe(text: &str) -> Result<Recognised, InspectError> {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let token = field("token:").ok_or(InputError::DescribeWithoutToken)?;
    if let Some(kind) = placeholder(&token) {
        return Err(placeholder_error("The `token:` line", &token, kind).into());
    }
    let name = field("Name:");
    let namespace = field("Namespace:");
    let label = match (&namespace, &name) {
        (Some(ns), Some(n)) => format!("Secret {ns}/{n}"),
        _ => "token: line".to_string(),
    };
    let mut found = single(
        Form::Describe,
        Candidate {
            label,
            token: clean_token(&token).0,
            namespace,
            ..Candidate::default()
        },
    );
    found.notes.push(Finding {
        level: Level::Info,
        title: "No CA in describe output".to_string(),
        why: "kubectl describe shows only the size of ca.crt; paste the Secret as YAML to get the CA too."
            .to_string(),
    });
    Ok(found)
}

fn from_documents(docs: &[Value], form: Form) -> Result<Recognised, InspectError> {
    let mut first_error = None;
    for doc in docs {
        match from_document(doc, form) {
            Ok(found) => return Ok(found),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(InputError::UnknownDocument { kind: None }.into()))
}

fn from_document(doc: &Value, form: Form) -> Result<Recognised, InspectError> {
    let kind = doc.get("kind").and_then(Value::as_str);
    match kind {
        Some("Secret") => from_secret(doc, form),
        Some("Config") => from_kubeconfig(doc),
        Some("List") | Some("SecretList") => {
            // Only Secrets count (a ConfigMap may well have a `token` key). When none yields a
            // token, the first Secret's reason is more use than "no token here".
            let items = doc.get("items").and_then(Value::as_array);
            let (found, failed): (Vec<_>, Vec<_>) = items
                .into_iter()
                .flatten()
                .filter(|item| item.get("kind").and_then(Value::as_str) == Some("Secret"))
                .map(|item| from_secret(item, form))
                .partition(Result::is_ok);
            merge(found.into_iter().filter_map(Result::ok).collect()).ok_or_else(|| {
                failed.into_iter().find_map(Result::err).unwrap_or_else(|| {
                    InputError::UnknownDocument {
                        kind: Some("List with no service-account token Secret".to_string()),
                    }
                    .into()
                })
            })
        }
        _ if doc.get("users").is_some() || doc.get("clusters").is_some() => from_kubeconfig(doc),
        // Only the `data:` block of a Secret was copied: its token is still what the user wants.
        None if doc.get("data").and_then(|d| d.get("token")).is_some() => from_secret(doc, form),
        _ => Err(InputError::UnknownDocument {
            kind: kind.map(str::to_string),
        }
        .into()),
    }
}

fn merge(found: Vec<Recognised>) -> Option<Recognised> {
    let mut all = found.into_iter();
    let mut first = all.next()?;
    for more in all {
        first.candidates.extend(more.candidates);
        first.notes.extend(more.notes);
    }
    Some(first)
}

fn str_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .and_then(Value::as_str)
}

/// Decodes a base64 field to text, naming the field when it is not base64 or not text.
fn decode_field(value: &str, field: &str) -> Result<String, InputError> {
    let bytes = b64::decode_lenient(value).map_err(|e| InputError::Base64 {
        field: field.to_string(),
        offset: match e {
            b64::B64Error::InvalidCharacter { offset, .. } => Some(offset),
            b64::B64Error::InvalidLength { .. } => None,
        },
        problem: match e {
            // A JWT pasted where its base64 belongs: say so, since the dot alone puzzles.
            b64::B64Error::InvalidCharacter { character: '.', .. }
                if value.trim_start().starts_with("eyJ") =>
            {
                "character '.' (this is the token itself, not its base64: values under `data` must be base64; put plain text under `stringData`)".to_string()
            }
            b64::B64Error::InvalidCharacter { character, .. } => {
                format!("character {character:?}")
            }
            other => other.to_string(),
        },
    })?;
    String::from_utf8(bytes).map_err(|e| InputError::Base64 {
        field: field.to_string(),
        offset: None,
        problem: format!(
            "it decodes to bytes that are not text (byte {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn from_secret(doc: &Value, form: Form) -> Result<Recognised, InspectError> {
    let secret_type = str_at(doc, &["type"]).map(str::to_string);
    let name = str_at(doc, &["metadata", "name"]);
    let meta_ns = str_at(doc, &["metadata", "namespace"]);
    let stated = [("data.token", "data"), ("stringData.token", "stringData")]
        .into_iter()
        .find_map(|(field, map)| Some((field, str_at(doc, &[map, "token"])?)));
    if let Some((field, value)) = stated {
        if let Some(kind) = placeholder(value) {
            return Err(placeholder_error(&format!("`{field}`"), value, kind).into());
        }
    }
    let token = match (
        str_at(doc, &["data", "token"]),
        str_at(doc, &["stringData", "token"]),
    ) {
        (Some(b64), _) => decode_field(b64, "data.token")?,
        (None, Some(plain)) => plain.to_string(),
        (None, None) => return Err(InputError::SecretWithoutToken { secret_type }.into()),
    };
    // A broken namespace or CA must not hide the token the user came for: note it instead.
    let mut notes = Vec::new();
    let mut optional = |field: &str, name: &str| {
        let b64 = doc.get("data")?.get(field)?.as_str()?;
        decode_field(b64, name)
            .map_err(|e| {
                notes.push(Finding {
                    level: Level::Warning,
                    title: format!("{name} left out"),
                    why: format!("{e} It is left out."),
                })
            })
            .ok()
    };
    let namespace = optional("namespace", "data.namespace").or(meta_ns.map(str::to_string));
    let ca = optional("ca.crt", "data[\"ca.crt\"]");
    let label = match (meta_ns.or(namespace.as_deref()), name) {
        (Some(ns), Some(n)) => format!("Secret {ns}/{n}"),
        (None, Some(n)) => format!("Secret {n}"),
        _ => "Secret".to_string(),
    };
    let mut found = single(
        form,
        Candidate {
            label,
            token: clean_token(&token).0,
            ca,
            namespace,
            server: None,
        },
    );
    found.notes = notes;
    if let Some(t) = secret_type.filter(|t| t != "kubernetes.io/service-account-token") {
        found.notes.push(Finding {
            level: Level::Warning,
            title: "Not a service-account token Secret".to_string(),
            why: format!(
                "The Secret's type is `{t}`, not `kubernetes.io/service-account-token`: the API server did not issue this token."
            ),
        });
    }
    Ok(found)
}

fn from_kubeconfig(doc: &Value) -> Result<Recognised, InspectError> {
    let current = str_at(doc, &["current-context"]);
    let empty = Map::new();
    let contexts: Vec<(String, &Map<String, Value>)> = named(doc, "contexts")
        .map(|(name, entry)| {
            let ctx = entry
                .get("context")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            (name, ctx)
        })
        .collect();
    let mut candidates = Vec::new();
    let mut without = Vec::new();
    let mut stand_ins = Vec::new();
    let mut preferred = 0;
    for (user, entry) in named(doc, "users") {
        let auth = entry.get("user").unwrap_or(&Value::Null);
        let token = auth.get("token").and_then(Value::as_str);
        let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
            without.push(format!("{user}: {}", auth_method(auth)));
            continue;
        };
        if let Some(kind) = placeholder(token) {
            stand_ins.push(placeholder_error(
                &format!("User {user:?}'s token"),
                token,
                kind,
            ));
            continue;
        }
        // Prefer the current context when it uses this user, else the first that does.
        // (Not `max_by_key`: among equals it returns the last one.)
        let uses = |(_, c): &&(String, &Map<String, Value>)| {
            c.get("user").and_then(Value::as_str) == Some(user.as_str())
        };
        let context = contexts
            .iter()
            .filter(uses)
            .find(|(name, _)| Some(name.as_str()) == current)
            .or_else(|| contexts.iter().find(uses));
        let cluster_name = context.and_then(|(_, c)| c.get("cluster").and_then(Value::as_str));
        let cluster = named(doc, "clusters")
            .find(|(name, _)| Some(name.as_str()) == cluster_name)
            .and_then(|(_, e)| e.get("cluster"));
        // Keep what does not decode to text as it was: the CA inspector reads base64 DER.
        let ca = cluster
            .and_then(|c| c.get("certificate-authority-data"))
            .and_then(Value::as_str)
            .map(|data| {
                decode_field(data, "certificate-authority-data").unwrap_or(data.to_string())
            });
        if context.is_some_and(|(name, _)| Some(name.as_str()) == current) {
            preferred = candidates.len();
        }
        let label = match context {
            Some((ctx, _)) => format!("user \"{user}\" (context \"{ctx}\")"),
            None => format!("user \"{user}\" (no context uses it)"),
        };
        candidates.push(Candidate {
            label,
            token: clean_token(token).0,
            ca,
            namespace: context
                .and_then(|(_, c)| c.get("namespace").and_then(Value::as_str))
                .map(str::to_string),
            server: cluster
                .and_then(|c| c.get("server"))
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    if candidates.is_empty() {
        return Err(match stand_ins.into_iter().next() {
            Some(stand_in) => stand_in,
            None => InputError::KubeconfigWithoutToken { users: without },
        }
        .into());
    }
    let mut notes: Vec<Finding> = without
        .iter()
        .map(|u| Finding {
            level: Level::Info,
            title: "A user without a token".to_string(),
            why: format!("No token for user {u}."),
        })
        .collect();
    notes.extend(stand_ins.iter().map(|e| Finding {
        level: Level::Warning,
        title: "A user's token is a placeholder".to_string(),
        why: e.to_string(),
    }));
    Ok(Recognised {
        form: Form::Kubeconfig,
        candidates,
        preferred,
        notes,
    })
}

/// How a kubeconfig user without a token authenticates, in words.
fn auth_method(user: &Value) -> String {
    let has = |k: &str| user.get(k).is_some();
    if has("token") {
        "an empty token".to_string()
    } else if has("client-certificate-data") || has("client-certificate") {
        "client certificate".to_string()
    } else if let Some(cmd) = user
        .get("exec")
        .and_then(|e| e.get("command"))
        .and_then(Value::as_str)
    {
        format!("exec plugin `{cmd}` (it fetches a token when kubectl runs)")
    } else if let Some(name) = str_at(user, &["auth-provider", "name"]) {
        format!("auth provider `{name}`")
    } else if let Some(path) = user.get("tokenFile").and_then(Value::as_str) {
        format!("token read from file {path} (paste the file's content)")
    } else if has("username") {
        "user name and password".to_string()
    } else {
        "no credentials".to_string()
    }
}
