//! Pastes that hold no token but look as if they might: the table `kubectl get secrets`
//! prints, documentation's placeholders and masked values, and YAML whose indentation a copy
//! lost. Each is named, with what to paste instead, rather than read as a broken token.

use crate::support::error::{Indentation, InputError, Placeholder};

/// The Secret types a row of `kubectl get secrets` shows in its TYPE column.
fn is_secret_type(word: &str) -> bool {
    word == "Opaque" || word.contains('/')
}

/// A name Kubernetes accepts for a Secret (a DNS-1123 subdomain), so it may stand in a
/// printed command.
fn is_object_name(name: &str) -> bool {
    name.len() <= 253
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// A namespace name (a DNS-1123 label).
fn is_namespace(name: &str) -> bool {
    name.len() <= 63 && !name.contains('.') && is_object_name(name)
}

/// The table `kubectl get secrets` prints (`NAME TYPE DATA AGE`, with `NAMESPACE` first
/// under `-A`), with or without its header (a `grep` keeps only rows), and the shell
/// prompt lines around it.
pub(super) fn secrets_table(text: &str) -> Option<InputError> {
    let mut namespaced = None;
    let mut rows = Vec::new();
    let mut namespaces = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["NAME", "TYPE", "DATA", "AGE"] => namespaced = Some(false),
            ["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"] => namespaced = Some(true),
            // A prompt line, such as `$ kubectl get secrets` or `user@host:~# kubectl …`.
            _ if words.contains(&"kubectl") || (words.contains(&"k") && words.contains(&"get")) => {
            }
            [ns, name, kind, data, _age]
                if namespaced == Some(true)
                    && is_secret_type(kind)
                    && data.bytes().all(|b| b.is_ascii_digit()) =>
            {
                rows.push((name.to_string(), kind.to_string()));
                namespaces.push(Some(ns.to_string()));
            }
            [name, kind, data, _age]
                if namespaced != Some(true)
                    && is_secret_type(kind)
                    && data.bytes().all(|b| b.is_ascii_digit()) =>
            {
                rows.push((name.to_string(), kind.to_string()));
                namespaces.push(None);
            }
            _ => return None,
        }
    }
    if rows.is_empty() {
        return None;
    }
    let token_secret = rows
        .iter()
        .zip(&namespaces)
        .find(|((_, kind), _)| kind == "kubernetes.io/service-account-token")
        .filter(|((name, _), ns)| is_object_name(name) && ns.as_deref().is_none_or(is_namespace))
        .map(|((name, _), ns)| (name.clone(), ns.clone()));
    Some(InputError::SecretsTable { rows, token_secret })
}

/// `kubectl describe serviceaccount` output: `Name:`, `Namespace:`, `Mountable secrets:`
/// and `Tokens:` lines, the last naming the token Secrets (`<none>` since 1.24).
pub(super) fn serviceaccount_describe(text: &str) -> Option<InputError> {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim_start().strip_prefix(name))
            .map(str::trim)
    };
    field("Mountable secrets:")?;
    let tokens = field("Tokens:")?;
    let name = field("Name:").filter(|n| is_object_name(n));
    let namespace = field("Namespace:").filter(|n| is_namespace(n));
    let secret = tokens
        .split_whitespace()
        .next()
        .filter(|s| is_object_name(s))
        .map(str::to_string);
    Some(InputError::ServiceAccountDescribe {
        account: name
            .zip(namespace)
            .map(|(n, ns)| (n.to_string(), ns.to_string())),
        secret,
    })
}

/// Stand-ins documentation writes where a token goes, once letters are all that is left.
const DOC_WORDS: [&str; 9] = [
    "token",
    "yourtoken",
    "mytoken",
    "tokenhere",
    "yourtokenhere",
    "bearertoken",
    "accesstoken",
    "jwt",
    "serviceaccounttoken",
];

/// Words of a masked value.
const MASK_WORDS: [&str; 6] = [
    "redacted",
    "removed",
    "hidden",
    "omitted",
    "dataomitted",
    "masked",
];

/// What kind of stand-in `text` (one word, as pasted) is, if it is one.
pub(super) fn placeholder(text: &str) -> Option<Placeholder> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if text.is_empty() {
        return None;
    }
    let letters: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let wrapped = |open: char, close: char| text.starts_with(open) && text.ends_with(close);
    if MASK_WORDS.contains(&letters.as_str()) || (text.len() >= 3 && text.chars().all(|c| c == '*'))
    {
        Some(Placeholder::Redacted)
    } else if text.starts_with('$') {
        Some(Placeholder::Variable)
    } else if wrapped('<', '>')
        || wrapped('(', ')')
        || ((wrapped('{', '}') || wrapped('[', ']')) && !letters.is_empty())
    {
        // `<redacted>` and `[REDACTED]` were caught above.
        Some(Placeholder::Documentation)
    } else if text.contains("...") || text.contains('…') || letters.contains("snip") {
        Some(Placeholder::Elided)
    } else if DOC_WORDS.contains(&letters.as_str())
        || (text.len() >= 4 && text.chars().all(|c| c == 'x' || c == 'X'))
    {
        Some(Placeholder::Documentation)
    } else {
        None
    }
}

/// The error for a placeholder found in `field`.
pub(super) fn placeholder_error(field: &str, text: &str, kind: Placeholder) -> InputError {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let mut shown: String = text.chars().take(40).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    InputError::Placeholder {
        field: field.to_string(),
        text: shown,
        kind,
    }
}

/// The word after `Bearer` or `--token`, in a command or header that has no token in it.
pub(super) fn credential_words(text: &str) -> impl Iterator<Item = &str> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c| c == '"' || c == '\'');
        if let Some(value) = bare.strip_prefix("--token=") {
            found.push(value);
        } else if bare.eq_ignore_ascii_case("bearer") || bare == "--token" {
            if let Some(next) = words.get(i + 1) {
                found.push(*next);
            }
        }
    }
    found.into_iter()
}

/// Keys whose value is a mapping in a Secret or kubeconfig: what a flattened copy empties.
const PARENTS: [&str; 8] = [
    "data",
    "stringData",
    "metadata",
    "user",
    "cluster",
    "context",
    "labels",
    "annotations",
];

/// The top-level keys of a Secret, a kubeconfig or a List: what may follow an empty mapping
/// in column 1 without anything being lost.
const TOP_LEVEL: [&str; 14] = [
    "apiVersion",
    "kind",
    "metadata",
    "data",
    "stringData",
    "type",
    "immutable",
    "clusters",
    "users",
    "contexts",
    "current-context",
    "preferences",
    "extensions",
    "items",
];

/// One YAML line that holds content: its number, indentation, and the text after it.
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// `key:` with nothing (or a comment) after it: the key.
fn empty_mapping_key(text: &str) -> Option<&str> {
    let (key, rest) = text.split_once(':')?;
    let rest = rest.trim();
    (rest.is_empty() || rest.starts_with('#')).then_some(key.trim())
}

/// Where a YAML paste lost (or gained) the indentation it needs, if it did.
pub(super) fn misindented(text: &str) -> Option<InputError> {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let content = raw.trim_start();
            (!content.is_empty() && !content.starts_with('#') && content != "---").then_some(Line {
                number: i + 1,
                indent: raw.len() - content.len(),
                text: content.trim_end(),
            })
        })
        .collect();
    for pair in lines.windows(2) {
        let [parent, child] = pair else { continue };
        let key_text = parent
            .text
            .strip_prefix("- ")
            .map_or(parent.text, str::trim_start);
        let Some(key) = empty_mapping_key(key_text).filter(|k| PARENTS.contains(k)) else {
            continue;
        };
        // A list item's keys stand after its `- `.
        let column = parent.indent + parent.text.len() - key_text.len();
        let Some((child_key, _)) = child.text.split_once(':') else {
            continue;
        };
        let siblings: &[&str] = if column == 0 { &TOP_LEVEL } else { &["name"] };
        if child.indent == column
            && !child.text.starts_with("- ")
            && !siblings.contains(&child_key.trim())
        {
            return Some(InputError::LostIndentation {
                line: child.number,
                how: Indentation::Flattened {
                    key: child_key.trim().to_string(),
                    parent: key.to_string(),
                    parent_line: parent.number,
                },
            });
        }
    }
    // Shifted: the first line in column 1 with its value (`apiVersion: v1`), every other line
    // indented by at least `spaces`. After `metadata:` alone, indented lines are its own.
    let (first, rest) = lines.split_first()?;
    let spaces = rest.iter().map(|l| l.indent).min()?;
    let keyed = first.text.contains(':') && empty_mapping_key(first.text).is_none();
    (first.indent == 0 && spaces > 0 && keyed).then(|| InputError::LostIndentation {
        line: rest.first().map_or(first.number, |l| l.number),
        how: Indentation::Shifted { spaces },
    })
}
