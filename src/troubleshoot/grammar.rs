//! The API server's error messages as a grammar: the 403 it writes, and the 401, TLS and
//! empty-name errors clients print, found in arbitrary text by fixed anchors.
//!
//! The 403 is `forbiddenMessage` in `k8s.io/apiserver`,
//! `pkg/endpoints/handlers/responsewriters/errors.go`, wrapped by `apierrors.NewForbidden`
//! (`k8s.io/apimachinery/pkg/api/errors`):
//!
//! ```text
//! [RESOURCE[.GROUP] ["NAME"] is ]forbidden: User "USER" cannot VERB resource "RES[/SUB]" in API group "GROUP" in the namespace "NS"[: REASON]
//! …                                         User "USER" cannot VERB resource "RES[/SUB]" in API group "GROUP" at the cluster scope[: REASON]
//! forbidden: User "USER" cannot VERB path "PATH"[: REASON]
//! ```
//!
//! Every quoted value is Go's `%q` (so `\"`, `\\`, `\u00e9` escapes), and the message before
//! the reason passes through a sanitizer that writes `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`.
//! Older servers wrote `User "U" cannot VERB RES[.GROUP][/SUB] in the namespace "NS".` (the
//! oldest with `groups [...]` after the user) and quoted the reason with `%q`; those are read
//! too, as clusters that old still send them. kubectl prints the message after
//! `Error from server (Forbidden): `.

use super::{
    CertificateProblem, Diagnosis, EmptyName, Forbidden, Form, MissingRole, Requester, Unauthorized,
};
use crate::access::RoleKind;

/// Longest line kept as an error's detail: enough for any real message, and a pasted
/// megabyte on one line does not become a megabyte of heading.
const MAX_DETAIL: usize = 1000;

/// The last 403 in `text` that reads as an authorization decision, with where it starts.
pub(super) fn find_forbidden(text: &str) -> Option<(usize, Diagnosis)> {
    text.rmatch_indices("User \"").find_map(|(at, _)| {
        // Parse first: a failed candidate reads only up to the next quote or space, so
        // trying every `User "` of a long line stays linear.
        let mut f = parse_line(text, at)?;
        if line_around(text, at)
            .1
            .contains("Error from server (Forbidden)")
        {
            f.form = Form::Kubectl;
        }
        Some((at, Diagnosis::Forbidden(f)))
    })
}

/// A 403 message inside a JSON string that is not a Status (a structured log line's
/// `"msg"`): its quotes are escaped, so the last line holding `User \"` is unescaped once
/// and read again. Only for when no Status was found, whose message reads the same way.
pub(super) fn find_escaped(text: &str) -> Option<(usize, Diagnosis)> {
    let at = text.rfind("User \\\"")?;
    let (start, line) = line_around(text, at);
    let mut unescaped = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            unescaped.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('"' | '\\')) => unescaped.push(e),
            Some(e) => {
                unescaped.push('\\');
                unescaped.push(e);
            }
            None => unescaped.push('\\'),
        }
    }
    let f = unescaped
        .rmatch_indices("User \"")
        .find_map(|(i, _)| parse_line(&unescaped, i))?;
    Some((start, Diagnosis::Forbidden(f)))
}

/// Reads the 403 whose `User "` starts at `anchor` in `line` (the pasted text, or a Status
/// message); the reason ends at the line's end. The caller sets the form; this says
/// [`Form::Message`].
pub(super) fn parse_line(line: &str, anchor: usize) -> Option<Forbidden> {
    let mut c = Cursor {
        s: line,
        at: anchor,
    };
    if !c.eat("User \"") {
        return None;
    }
    let user = c.quoted()?;
    if c.eat(" groups [") {
        // The oldest servers listed the groups; the user is what the fix binds.
        let close = bounded(c.rest(), 4096).find("] ")?;
        c.at += close + 1;
    }
    if !c.eat(" cannot ") {
        return None;
    }
    let verb = c.word()?.to_string();
    if !c.eat(" ") {
        return None;
    }
    let mut f = Forbidden {
        requester: Requester::of(&user),
        user,
        verb,
        resource: String::new(),
        subresource: None,
        group: String::new(),
        namespace: None,
        name: None,
        path: None,
        reason: None,
        missing_roles: Vec::new(),
        form: Form::Message,
    };
    if c.eat("path \"") {
        f.path = Some(c.quoted()?);
    } else {
        let resource = if c.eat("resource \"") {
            let resource = c.quoted()?;
            if !c.eat(" in API group \"") {
                return None;
            }
            f.group = c.quoted()?;
            resource
        } else {
            // The old form: `pods`, `deployments.apps/scale`.
            let word = c.word()?;
            let (base, sub) = split_sub(word);
            match base.split_once('.') {
                Some((r, g)) => {
                    f.group = g.to_string();
                    format!("{r}{}", sub.map(|s| format!("/{s}")).unwrap_or_default())
                }
                None => word.to_string(),
            }
        };
        let (base, sub) = split_sub(&resource);
        f.resource = base.to_string();
        f.subresource = sub.map(str::to_string);
        if c.eat(" in the namespace \"") {
            f.namespace = Some(c.quoted()?);
        } else if !c.eat(" at the cluster scope") {
            return None;
        }
    }
    c.eat(".");
    let mut suffix = c.rest();
    if c.eat(": ") {
        let rest = c.rest();
        let rest = rest
            .get(..rest.find('\n').unwrap_or(rest.len()))
            .unwrap_or_default();
        let rest = rest.trim_end();
        suffix = "";
        let reason = if rest.starts_with('"') {
            let mut q = Cursor { s: rest, at: 1 };
            match q.quoted() {
                Some(r) if q.rest().trim().is_empty() => r,
                // Old kubectl wrote the quoted reason, then `(VERB RESOURCE [NAME])`.
                Some(r) if q.rest().trim_start().starts_with('(') => {
                    suffix = q.rest();
                    r
                }
                _ => rest.to_string(),
            }
        } else {
            rest.to_string()
        };
        if !reason.is_empty() {
            f.missing_roles = missing_roles(&reason);
            f.reason = Some(reason);
        }
    }
    f.name = name_before(line.get(..anchor).unwrap_or_default())
        .or_else(|| suffix_name(suffix, &f.resource));
    Some(f)
}

/// The name in the suffix older kubectl added to a 403, `(get nodes mynode)`: the request's
/// verb, resource and, when it named one, the object. Only read when the resource is the
/// 403's own.
fn suffix_name(suffix: &str, resource: &str) -> Option<String> {
    let inner = suffix.trim_start().strip_prefix('(')?;
    let inner = inner.get(..inner.find(')')?)?;
    let mut words = inner.split_whitespace();
    let _verb = words.next()?;
    let target = words.next()?;
    let base = target.split(['.', '/']).next().unwrap_or_default();
    if resource.is_empty() || base != resource {
        return None;
    }
    words.next().and_then(object_name)
}

/// The 403 a kubelet's own authorizer writes (`Forbidden (user=U, verb=V, resource=R,
/// subresource=S)`, in `pkg/kubelet/server/auth.go`): the kubelet asked the API server
/// (SubjectAccessReview) whether U may V the node's R/S, so it reads as RBAC's 403 for
/// that, at the cluster scope.
pub(super) fn find_kubelet_forbidden(text: &str) -> Option<(usize, Diagnosis)> {
    // Newer kubelets (and AKS's) write `Authorization error (user=…)`.
    let at = ["Forbidden (user=", "Authorization error (user="]
        .into_iter()
        .filter_map(|a| text.rfind(a).map(|i| i + a.len() - 5))
        .max()?;
    let (_, line) = line_around(text, at);
    let rest = text.get(at..)?;
    let inner = rest.get(..rest.find(')')?)?;
    let mut user = None;
    let mut verb = None;
    let mut resource = None;
    let mut subresource = None;
    for field in inner.split(", ") {
        match field.trim().split_once('=') {
            Some(("user", v)) => user = Some(v.to_string()),
            Some(("verb", v)) => verb = Some(v.to_string()),
            Some(("resource", v)) => resource = Some(v.to_string()),
            Some(("subresource", v)) if !v.trim().is_empty() => {
                subresource = Some(v.trim().to_string())
            }
            _ => {}
        }
    }
    let (user, verb, resource) = (user?, verb?, resource?);
    if user.is_empty() || verb.is_empty() || resource.is_empty() {
        return None;
    }
    if user == "system:anonymous" {
        // The kubelet did not authenticate the API server's own credential and let it in as
        // anonymous: the same fault as the kubelet's 401, and no Role is the fix.
        let resource = match &subresource {
            Some(sub) => format!("{resource}/{sub}"),
            None => resource,
        };
        return Some((
            at,
            Diagnosis::KubeletUnauthorized(super::KubeletRefusal {
                subresource: resource,
                name: None,
                message: clip(line.trim()).to_string(),
            }),
        ));
    }
    let form = if line.contains("Error from server (Forbidden)") {
        Form::Kubectl
    } else {
        Form::Message
    };
    Some((
        at,
        Diagnosis::Forbidden(Forbidden {
            requester: Requester::of(&user),
            user,
            verb,
            resource,
            subresource,
            group: String::new(),
            namespace: None,
            name: None,
            path: None,
            reason: None,
            missing_roles: Vec::new(),
            form,
        }),
    ))
}

/// `pods/exec` -> (`pods`, `exec`).
fn split_sub(resource: &str) -> (&str, Option<&str>) {
    match resource.split_once('/') {
        Some((r, s)) if !s.is_empty() => (r, Some(s)),
        _ => (resource, None),
    }
}

/// The object's name in `pods "db" is forbidden: ` just before the user: `NewForbidden`
/// writes it with `%q`, and object names hold no quotes or backslashes.
fn name_before(before: &str) -> Option<String> {
    let quoted = before
        .strip_suffix("forbidden: ")?
        .strip_suffix(" is ")?
        .strip_suffix('"')?;
    // Names are at most 253 bytes; looking further back would rescan the line per try.
    let from = quoted.len().saturating_sub(300);
    let from = (from..quoted.len())
        .find(|i| quoted.is_char_boundary(*i))
        .unwrap_or(quoted.len());
    let open = from + quoted.get(from..)?.rfind('"')?;
    let name = quoted.get(open + 1..)?;
    let word_before = quoted.get(..open)?;
    (!name.is_empty() && word_before.ends_with(' ')).then(|| unsanitize(name))
}

/// The roles an RBAC reason names as missing: `RBAC: clusterrole.rbac.authorization.k8s.io
/// "x" not found`, or several in `RBAC: [… not found, … not found]`.
fn missing_roles(reason: &str) -> Vec<MissingRole> {
    const GROUP: &str = ".rbac.authorization.k8s.io \"";
    let mut out = Vec::new();
    for (at, _) in reason.match_indices(GROUP) {
        let before = reason.get(..at).unwrap_or_default();
        let kind = if before.ends_with("clusterrole") {
            RoleKind::ClusterRole
        } else if before.ends_with("role") {
            RoleKind::Role
        } else {
            continue;
        };
        let after = reason.get(at + GROUP.len()..).unwrap_or_default();
        let Some(close) = after.find('"') else {
            continue;
        };
        let name = after.get(..close).unwrap_or_default();
        let tail = after.get(close + 1..).unwrap_or_default();
        if !name.is_empty() && tail.starts_with(" not found") {
            out.push(MissingRole {
                kind,
                name: name.to_string(),
            });
        }
    }
    out
}

/// The last 401 in `text`.
pub(super) fn find_unauthorized(text: &str) -> Option<(usize, Diagnosis)> {
    const KUBECTL: &str = "You must be logged in to the server";
    let kubectl = text.rfind(KUBECTL).map(|at| {
        let (start, line) = line_around(text, at);
        let rest = line.get(at - start + KUBECTL.len()..).unwrap_or_default();
        let message = rest
            .trim()
            .strip_prefix('(')
            .and_then(|r| r.rfind(')').and_then(|close| r.get(..close)))
            .unwrap_or("Unauthorized");
        (at, Form::Kubectl, message.to_string())
    });
    let others = ["Reason: Unauthorized", " 401 Unauthorized"]
        .into_iter()
        .filter_map(|p| {
            text.rfind(p)
                .map(|at| (at, Form::Message, "Unauthorized".to_string()))
        });
    // Client libraries' own words for a 401: the Java client's `ApiException: Unauthorized`,
    // fabric8's `Unauthorized! Token may have expired!` and `Message: Unauthorized.`, Python
    // requests' `401 Client Error: Unauthorized for url`, and a plain `401: Unauthorized`.
    let clients = [
        "ApiException: Unauthorized",
        "Unauthorized! ",
        "Message: Unauthorized",
        "401 Client Error: Unauthorized",
        "401: Unauthorized",
    ]
    .into_iter()
    .filter_map(|p| {
        text.rfind(p).map(|at| {
            let (_, line) = line_around(text, at);
            (at, Form::Message, clip(line.trim()).to_string())
        })
    });
    let (at, form, message) = kubectl
        .into_iter()
        .chain(others)
        .chain(clients)
        .max_by_key(|(at, _, _)| *at)
        .unwrap_or((0, Form::Message, String::new()));
    // `kubectl exec`, `attach` and `port-forward` print the kubelet's 401 this way.
    const UPGRADE: &str = "unable to upgrade connection: Unauthorized";
    if let Some(up) = text.rfind(UPGRADE).filter(|up| *up > at) {
        let (_, line) = line_around(text, up);
        return Some((up, super::authn::kubelet_upgrade(text, line)));
    }
    if form == Form::Kubectl {
        if let Some(k) = super::authn::kubelet(&message) {
            return Some((at, Diagnosis::KubeletUnauthorized(k)));
        }
    }
    if message.is_empty() {
        return None;
    }
    Some((at, Diagnosis::Unauthorized(Unauthorized { message, form })))
}

/// The last TLS verification error in `text`: Go's `x509:` errors, and OpenSSL's and
/// Python's wording of the same failures.
pub(super) fn find_certificate(text: &str) -> Option<(usize, Diagnosis)> {
    #[derive(Clone, Copy)]
    enum Kind {
        Authority,
        Name,
        Expired,
    }
    const PATTERNS: [(&str, Kind); 10] = [
        ("certificate signed by unknown authority", Kind::Authority),
        ("x509: certificate is not trusted", Kind::Authority),
        ("unable to get local issuer certificate", Kind::Authority),
        (
            "self signed certificate in certificate chain",
            Kind::Authority,
        ),
        (
            "self-signed certificate in certificate chain",
            Kind::Authority,
        ),
        ("x509: certificate is valid for ", Kind::Name),
        ("doesn't contain any IP SANs", Kind::Name),
        ("Hostname mismatch", Kind::Name),
        ("IP address mismatch", Kind::Name),
        ("certificate has expired", Kind::Expired),
    ];
    // Lines the API server logged about a client's credential, and TLS alerts, are read by
    // `authn`: there the certificate is the client's, not the server's.
    let (at, kind) = PATTERNS
        .iter()
        .filter_map(|(p, kind)| {
            // Each line is looked at once, however many matches it holds.
            let mut passed = usize::MAX;
            text.rmatch_indices(p)
                .find(|(at, _)| {
                    if *at >= passed {
                        return false;
                    }
                    let (start, line) = line_around(text, *at);
                    passed = start;
                    !super::authn::is_reported_elsewhere(line)
                })
                .map(|(at, _)| (at, *kind))
        })
        .max_by_key(|(at, _)| *at)?;
    let (_, line) = line_around(text, at);
    let detail = clip(line.trim()).to_string();
    let problem = match kind {
        Kind::Authority => CertificateProblem::UnknownAuthority { detail },
        Kind::Name => CertificateProblem::NameMismatch { detail },
        Kind::Expired => CertificateProblem::Expired { detail },
    };
    Some((at, Diagnosis::CertificateNotTrusted(problem)))
}

/// The last `resource name may not be empty`, with the account of the `kubectl get sa NAME`
/// recipe that produced it, when the paste shows that command.
pub(super) fn find_empty_name(text: &str) -> Option<(usize, Diagnosis)> {
    let at = text.rfind("resource name may not be empty")?;
    let mut found = EmptyName::default();
    // `get sa NAME` and `get sa/NAME`, with `-n NS` anywhere on the line.
    let command = [
        "get sa ",
        "get serviceaccount ",
        "get serviceaccounts ",
        "get sa/",
        "get serviceaccount/",
        "get serviceaccounts/",
    ]
    .into_iter()
    .filter_map(|p| text.rfind(p).map(|i| (i, p.len())))
    .max_by_key(|(i, _)| *i);
    if let Some((i, len)) = command {
        let (start, line) = line_around(text, i);
        let rest = line.get(i - start + len..).unwrap_or_default();
        found.account = rest.split_whitespace().next().and_then(object_name);
        found.namespace = namespace_flag(line);
    }
    Some((at, Diagnosis::EmptyResourceName(found)))
}

/// `-n NS`, `-n=NS`, `--namespace NS` or `--namespace=NS` in a command line.
fn namespace_flag(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        let value = match w {
            "-n" | "--namespace" => words.next(),
            _ => w
                .strip_prefix("--namespace=")
                .or_else(|| w.strip_prefix("-n=")),
        };
        if let Some(name) = value.and_then(object_name) {
            return Some(name);
        }
    }
    None
}

/// A word as an object name, without shell quotes; `None` unless it is a plausible DNS
/// name (a `$VAR` or `{.secrets}` is not one).
fn object_name(word: &str) -> Option<String> {
    let w = word.trim_matches(|c| c == '\'' || c == '"' || c == ')');
    let ok = !w.is_empty()
        && w.len() <= 253
        && w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    ok.then(|| w.to_string())
}

/// The last 403 that names no user: admission's refusals (`pods "x" is forbidden: violates
/// PodSecurity …`, `exceeded quota`), with kubectl's prefix removed.
pub(super) fn find_other_forbidden(text: &str) -> Option<String> {
    const KUBECTL: &str = "Error from server (Forbidden): ";
    let at = ["is forbidden: ", KUBECTL]
        .into_iter()
        .filter_map(|p| text.rfind(p))
        .max()?;
    let (_, line) = line_around(text, at);
    let line = line.trim();
    if line.contains("forbidden: User ") {
        // An authorization message cut short: not admission, and not readable either.
        return None;
    }
    let message = match line.find(KUBECTL) {
        Some(i) => line.get(i + KUBECTL.len()..).unwrap_or(line),
        None => line,
    };
    Some(clip(message).to_string())
}

/// The line holding byte `at`, with where it starts.
pub(super) fn line_around(text: &str, at: usize) -> (usize, &str) {
    let start = text
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|a| a.find('\n'))
        .map_or(text.len(), |i| at + i);
    (start, text.get(start..end).unwrap_or_default())
}

/// At most [`MAX_DETAIL`] bytes of `text`, cut at a character boundary.
pub(super) fn clip(text: &str) -> &str {
    bounded(text, MAX_DETAIL)
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn bounded(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Undoes the API server's HTML sanitizer (`&` `<` `>` written as entities), which runs
/// on the message before the reason is appended.
fn unsanitize(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A position in the text being read.
pub(super) struct Cursor<'a> {
    pub(super) s: &'a str,
    pub(super) at: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn rest(&self) -> &'a str {
        self.s.get(self.at..).unwrap_or_default()
    }

    /// Steps over `lit` when the rest starts with it.
    pub(super) fn eat(&mut self, lit: &str) -> bool {
        let ok = self.rest().starts_with(lit);
        if ok {
            self.at += lit.len();
        }
        ok
    }

    /// Skips spaces and line breaks; always true, so it chains.
    pub(super) fn eat_ws(&mut self) -> bool {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
        true
    }

    /// A non-empty run up to a space (or the end).
    fn word(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let end = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
        let word = rest.get(..end)?;
        self.at += end;
        (!word.is_empty()).then_some(word)
    }

    /// The rest of a Go `%q` string whose opening quote was eaten, unescaped and
    /// unsanitized; `None` when it does not close on this line.
    pub(super) fn quoted(&mut self) -> Option<String> {
        let rest = self.rest();
        let mut bytes = Vec::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    let text = String::from_utf8_lossy(&bytes);
                    return Some(unsanitize(&text));
                }
                '\n' => return None,
                '\\' => {
                    let (_, e) = chars.next()?;
                    let simple = match e {
                        'a' => Some('\u{7}'),
                        'b' => Some('\u{8}'),
                        'f' => Some('\u{c}'),
                        'n' => Some('\n'),
                        'r' => Some('\r'),
                        't' => Some('\t'),
                        'v' => Some('\u{b}'),
                        '\\' | '"' | '\'' => Some(e),
                        _ => None,
                    };
                    if let Some(s) = simple {
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(s.encode_utf8(&mut buf).as_bytes());
                        continue;
                    }
                    let digits = match e {
                        'x' => 2,
                        'u' => 4,
                        'U' => 8,
                        '0'..='7' => 2,
                        _ => return None,
                    };
                    let mut hex = String::new();
                    for _ in 0..digits {
                        hex.push(chars.next()?.1);
                    }
                    if e == 'x' {
                        bytes.push(u8::from_str_radix(&hex, 16).ok()?);
                    } else if ('0'..='7').contains(&e) {
                        hex.insert(0, e);
                        bytes.push(u8::from_str_radix(&hex, 8).ok()?);
                    } else {
                        let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                }
                _ => {
                    let mut buf = [0; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        None
    }
}
