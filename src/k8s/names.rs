//! Kubernetes' rules for names, in one place for every form: DNS-1123 labels (namespaces),
//! DNS-1123 subdomains (most object names), path-segment names (RBAC roles and bindings), label
//! values, and the look-alike letters that make one name pass for another.
//!
//! The rules are `k8s.io/apimachinery/pkg/util/validation`'s (`IsDNS1123Label`,
//! `IsDNS1123Subdomain`, `IsValidLabelValue`) and `path.ValidatePathSegmentName`. Each check
//! returns why a name fails, naming the first character that breaks the rule and where, so a
//! form can say it beside its field. A name that passes them can never start with `-`, which is
//! what keeps it from being read as an option in the commands the page prints.
//!
//! Look-alikes: a Cyrillic `к` or a Greek `ο` looks like its Latin letter in common fonts, so
//! `кube-system` reads as `kube-system` and is another name. DNS names refuse such letters
//! anyway (and the refusal names the letter it imitates); free-text names (kubeconfig entries,
//! audiences, ClusterRoles, which are path segments) accept them, so [`look_alikes`] warns when
//! a text mixes Latin letters with Cyrillic or Greek ones.

/// The longest DNS-1123 subdomain (object names).
pub const MAX_SUBDOMAIN: usize = 253;

/// The longest DNS-1123 label (namespace names) and label value.
pub const MAX_LABEL: usize = 63;

/// Each Cyrillic or Greek letter that Unicode's confusables data (UTS #39 `confusables.txt`)
/// lists as drawn like a Latin letter, with that letter: the data's own mapping, checked against
/// it by `tests/fixtures/real/names/`. Unicode maps Cyrillic `к` and Greek `κ`, `ϰ` to `ĸ`
/// (kra), itself drawn as a small `k`, so they are given as `k`; `l` stands for `I`, `l` and
/// `1`, as in Unicode's skeletons.
pub const LOOK_ALIKES: [(char, char); 77] = [
    ('\u{37a}', 'i'),
    ('\u{37f}', 'J'),
    ('\u{391}', 'A'),
    ('\u{392}', 'B'),
    ('\u{395}', 'E'),
    ('\u{396}', 'Z'),
    ('\u{397}', 'H'),
    ('\u{399}', 'l'),
    ('\u{39a}', 'K'),
    ('\u{39c}', 'M'),
    ('\u{39d}', 'N'),
    ('\u{39f}', 'O'),
    ('\u{3a1}', 'P'),
    ('\u{3a4}', 'T'),
    ('\u{3a5}', 'Y'),
    ('\u{3a7}', 'X'),
    ('\u{3b1}', 'a'),
    ('\u{3b3}', 'y'),
    ('\u{3b9}', 'i'),
    ('\u{3ba}', 'k'),
    ('\u{3bd}', 'v'),
    ('\u{3bf}', 'o'),
    ('\u{3c1}', 'p'),
    ('\u{3c3}', 'o'),
    ('\u{3c5}', 'u'),
    ('\u{3d2}', 'Y'),
    ('\u{3dc}', 'F'),
    ('\u{3f0}', 'k'),
    ('\u{3f1}', 'p'),
    ('\u{3f2}', 'c'),
    ('\u{3f3}', 'j'),
    ('\u{3f9}', 'C'),
    ('\u{3fa}', 'M'),
    ('\u{405}', 'S'),
    ('\u{406}', 'l'),
    ('\u{408}', 'J'),
    ('\u{410}', 'A'),
    ('\u{412}', 'B'),
    ('\u{415}', 'E'),
    ('\u{41a}', 'K'),
    ('\u{41c}', 'M'),
    ('\u{41d}', 'H'),
    ('\u{41e}', 'O'),
    ('\u{420}', 'P'),
    ('\u{421}', 'C'),
    ('\u{422}', 'T'),
    ('\u{423}', 'Y'),
    ('\u{425}', 'X'),
    ('\u{42c}', 'b'),
    ('\u{430}', 'a'),
    ('\u{433}', 'r'),
    ('\u{435}', 'e'),
    ('\u{43a}', 'k'),
    ('\u{43e}', 'o'),
    ('\u{440}', 'p'),
    ('\u{441}', 'c'),
    ('\u{443}', 'y'),
    ('\u{445}', 'x'),
    ('\u{455}', 's'),
    ('\u{456}', 'i'),
    ('\u{458}', 'j'),
    ('\u{461}', 'w'),
    ('\u{474}', 'V'),
    ('\u{475}', 'v'),
    ('\u{4ae}', 'Y'),
    ('\u{4af}', 'y'),
    ('\u{4bb}', 'h'),
    ('\u{4bd}', 'e'),
    ('\u{4c0}', 'l'),
    ('\u{4cf}', 'i'),
    ('\u{501}', 'd'),
    ('\u{50c}', 'G'),
    ('\u{51b}', 'q'),
    ('\u{51c}', 'W'),
    ('\u{51d}', 'w'),
    ('\u{1fbe}', 'i'),
    ('\u{a647}', 'i'),
];

/// The Latin letter a Cyrillic or Greek letter is drawn like, with the script's name.
fn look_alike(c: char) -> Option<(&'static str, char)> {
    let latin = LOOK_ALIKES.iter().find(|(k, _)| *k == c).map(|(_, l)| *l)?;
    Some((script(c)?, latin))
}

/// The script of a Cyrillic or Greek letter, the two whose letters pass for Latin ones.
fn script(c: char) -> Option<&'static str> {
    match u32::from(c) {
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Some("Cyrillic"),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Some("Greek"),
        _ => None,
    }
}

/// `'к' (U+043A, the Cyrillic letter drawn like Latin 'k')`, or `'é' (U+00E9)`.
fn described(c: char) -> String {
    match (look_alike(c), script(c)) {
        (Some((script, latin)), _) => format!(
            "{c:?} (U+{:04X}, the {script} letter drawn like Latin '{latin}')",
            u32::from(c)
        ),
        (None, Some(script)) => format!("{c:?} (U+{:04X}, a {script} letter)", u32::from(c)),
        (None, None) if c.is_ascii_graphic() => format!("{c:?}"),
        (None, None) => format!("{c:?} (U+{:04X})", u32::from(c)),
    }
}

/// The first character outside `allowed`, said with its place: upper-case Latin letters and
/// look-alikes of Latin letters are named as such.
fn bad_char(name: &str, allowed: impl Fn(char) -> bool) -> Option<String> {
    let (at, c) = name.chars().enumerate().find(|(_, c)| !allowed(*c))?;
    Some(if c.is_ascii_uppercase() {
        format!("'{c}' at character {} is upper case", at + 1)
    } else {
        format!("{} at character {} is not allowed", described(c), at + 1)
    })
}

fn dns_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn too_long(name: &str, max: usize) -> Option<String> {
    let count = name.chars().count();
    (count > max).then(|| format!("it is {count} characters long, more than {max}"))
}

/// Why `name` is not a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63: namespace
/// names), or `None` if it is one.
pub fn label_fault(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if let Some(at) = name.find('.') {
        return Some(format!(
            "'.' at character {} is not allowed (a DNS label has no dots)",
            name.get(..at).map_or(0, |s| s.chars().count()) + 1
        ));
    }
    bad_char(name, dns_char)
        .or_else(|| too_long(name, MAX_LABEL))
        .or_else(|| {
            (name.starts_with('-') || name.ends_with('-'))
                .then(|| "it starts or ends with '-'".to_string())
        })
}

/// Why `name` is not a DNS-1123 subdomain (labels joined by `.`, at most 253: the names of
/// ServiceAccounts, Secrets, Pods, Nodes), or `None` if it is one.
pub fn subdomain_fault(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    bad_char(name, |c| dns_char(c) || c == '.')
        .or_else(|| too_long(name, MAX_SUBDOMAIN))
        .or_else(|| {
            name.split('.')
                .any(str::is_empty)
                .then(|| "it starts or ends with '.', or has two dots in a row".to_string())
        })
        .or_else(|| {
            name.split('.')
                .any(|part| part.starts_with('-') || part.ends_with('-'))
                .then(|| "it starts or ends with '-' (or has '-' next to a '.')".to_string())
        })
}

/// Why `name` cannot be the name of an object reached by a URL path segment (Roles,
/// ClusterRoles and their bindings: `.` and `..` and names with `/` or `%` are refused), or
/// `None` if it can. Control and invisible characters are refused too: the API server accepts
/// them, but no one could type such a name, and they would act on a terminal.
pub fn path_segment_fault(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name == "." || name == ".." {
        return Some(format!("it is {name:?}, which a URL path cannot name"));
    }
    bad_char(name, |c| {
        !matches!(c, '/' | '%') && !c.is_control() && !crate::formats::yaml_write::invisible(c)
    })
}

/// Which of Kubernetes' DNS rules a name must follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsRule {
    /// A DNS-1123 label: namespaces.
    Label,
    /// A DNS-1123 subdomain: ServiceAccounts, Secrets, Pods and most other objects.
    Subdomain,
}

/// A name that breaks a [`DnsRule`]: which rule, and the first thing that breaks it. Its
/// `Display` is the rest of a sentence that starts with the field and the name: `is not a
/// valid namespace name: … . Kubernetes requires a DNS-1123 label: …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidName {
    /// The rule broken.
    pub rule: DnsRule,
    /// What breaks it, from [`label_fault`] or [`subdomain_fault`].
    pub fault: String,
}

impl std::fmt::Display for InvalidName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (noun, rule, chars, max) = match self.rule {
            DnsRule::Label => (
                "namespace name",
                "label",
                "lower-case letters, digits and '-'",
                MAX_LABEL,
            ),
            DnsRule::Subdomain => (
                "name",
                "subdomain",
                "lower-case letters, digits, '-' and '.'",
                MAX_SUBDOMAIN,
            ),
        };
        write!(
            f,
            "is not a valid {noun}: {}. Kubernetes requires a DNS-1123 {rule}: {chars}, \
             starting and ending with a letter or digit, at most {max} characters.",
            self.fault
        )
    }
}

impl std::error::Error for InvalidName {}

/// Checks `name` against `rule`: the one check every form's namespace and object names go
/// through, so each says the same thing about the same name.
pub fn check(rule: DnsRule, name: &str) -> Result<(), InvalidName> {
    let fault = match rule {
        DnsRule::Label => label_fault(name),
        DnsRule::Subdomain => subdomain_fault(name),
    };
    match fault {
        None => Ok(()),
        Some(fault) => Err(InvalidName { rule, fault }),
    }
}

/// At most 60 characters of `text` for a message, with `…` when cut: a message that echoes a
/// megabyte-long paste stalls the browser, which lays it out as one unbreakable word.
pub fn brief(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()).into(),
        None => text.into(),
    }
}

/// Why `value` is not a label value (empty, or at most 63 of `[A-Za-z0-9_.-]` starting and
/// ending with a letter or digit), or `None` if it is one.
pub fn label_value_fault(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    bad_char(value, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
    })
    .map(|fault| fault.replace(" is upper case", " is not allowed"))
    .or_else(|| too_long(value, MAX_LABEL))
    .or_else(|| {
        let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        (!edge(value.chars().next()) || !edge(value.chars().last()))
            .then(|| "it does not start and end with a letter or digit".to_string())
    })
}

/// A warning when `text` mixes Latin letters with Cyrillic or Greek ones, naming each of them
/// (at most five) and what the text looks like: `кube-system` is not `kube-system`.
pub fn look_alikes(text: &str) -> Option<String> {
    if !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let foreign: Vec<(usize, char)> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| script(*c).is_some())
        .collect();
    if foreign.is_empty() {
        return None;
    }
    let named: Vec<String> = foreign
        .iter()
        .take(5)
        .map(|(at, c)| format!("{} at character {}", described(*c), at + 1))
        .collect();
    let more = match foreign.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    let seen: String = text
        .chars()
        .take(80)
        .map(|c| look_alike(c).map_or(c, |(_, latin)| latin))
        .collect();
    Some(format!(
        "mixes Latin letters with {}{more}: it may read as {seen:?} but is another name \
         (retype it if it was copied from somewhere you do not trust).",
        named.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_subdomains() {
        assert_eq!(label_fault("kube-system"), None);
        assert_eq!(subdomain_fault("ci.deployer-1"), None);
        for bad in ["", "-all", "a-", "A", "a_b", "a.b", "кube-system"] {
            assert!(label_fault(bad).is_some(), "{bad}");
        }
        for bad in ["", "--all", "a..b", ".a", "a.-b", "a b"] {
            assert!(subdomain_fault(bad).is_some(), "{bad}");
        }
        assert!(label_fault(&"a".repeat(64)).is_some());
        assert!(subdomain_fault(&"a".repeat(254)).is_some());
        let fault = label_fault("кube-system").unwrap_or_default();
        assert!(fault.contains("U+043A"), "{fault}");
        assert!(fault.contains("Latin 'k'"), "{fault}");
    }

    #[test]
    fn path_segments_and_label_values() {
        assert_eq!(path_segment_fault("system:aggregate-to-view"), None);
        for bad in ["", ".", "..", "a/b", "a%2F", "a\u{15}"] {
            assert!(path_segment_fault(bad).is_some(), "{bad:?}");
        }
        assert_eq!(label_value_fault(""), None);
        assert_eq!(label_value_fault("My_Value.1"), None);
        for bad in ["-x", "x-", "a b", &"a".repeat(64)] {
            assert!(label_value_fault(bad).is_some(), "{bad}");
        }
    }

    /// Kubernetes' own test values for these rules, good and bad, give the same answers here.
    #[test]
    fn agrees_with_kubernetes_own_cases() {
        let cases: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/real/names/k8s-apimachinery-validation-cases.json"
        ))
        .unwrap_or_default();
        type Rule = fn(&str) -> Option<String>;
        let rules: [(&str, Rule); 3] = [
            ("dns1123_label", label_fault),
            ("dns1123_subdomain", subdomain_fault),
            ("label_value", label_value_fault),
        ];
        let mut seen = 0;
        for (rule, fault) in rules {
            for (kind, valid) in [("good", true), ("bad", false)] {
                let values = cases
                    .get(rule)
                    .and_then(|r| r.get(kind))
                    .and_then(serde_json::Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                assert!(!values.is_empty(), "{rule} {kind}");
                for value in values.iter().filter_map(serde_json::Value::as_str) {
                    assert_eq!(fault(value).is_none(), valid, "{rule} {value:?}");
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 163);
    }

    /// The table is Unicode's confusables data for these scripts, pair by pair (kra as `k`).
    #[test]
    fn look_alikes_are_unicodes() {
        let data: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/real/names/confusables-cyrillic-greek-to-latin.json"
        ))
        .unwrap_or_default();
        let data = data.as_object().cloned().unwrap_or_default();
        assert_eq!(data.len(), LOOK_ALIKES.len());
        for (c, latin) in LOOK_ALIKES {
            let listed = data
                .get(&c.to_string())
                .and_then(|v| v.get(0))
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            let listed = if listed == "ĸ" { "k" } else { listed };
            assert_eq!(listed, latin.to_string(), "U+{:04X}", u32::from(c));
            assert!(script(c).is_some(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn mixed_scripts_are_named() {
        let warning = look_alikes("кube-system").unwrap_or_default();
        assert!(warning.contains("U+043A"), "{warning}");
        assert!(warning.contains("\"kube-system\""), "{warning}");
        assert_eq!(look_alikes("kube-system"), None);
        // A name wholly in one script mixes nothing.
        assert_eq!(look_alikes("Иван"), None);
        assert!(look_alikes("аdmin").is_some());
        assert!(look_alikes("αdmin").is_some());
    }

    #[test]
    fn one_check_words_every_forms_name_error_the_same_way() {
        assert_eq!(check(DnsRule::Label, "kube-system"), Ok(()));
        assert_eq!(check(DnsRule::Subdomain, "a.b"), Ok(()));
        let label = check(DnsRule::Label, "a.b").err().map(|e| e.to_string());
        assert_eq!(
            label.as_deref(),
            Some(
                "is not a valid namespace name: '.' at character 2 is not allowed (a DNS label \
                 has no dots). Kubernetes requires a DNS-1123 label: lower-case letters, digits \
                 and '-', starting and ending with a letter or digit, at most 63 characters."
            )
        );
        let sub = check(DnsRule::Subdomain, "-a").err();
        assert_eq!(sub.map(|e| e.rule), Some(DnsRule::Subdomain));
        assert_eq!(brief(&"x".repeat(61)).chars().count(), 61);
        assert!(brief(&"x".repeat(61)).ends_with('…'));
    }
}
