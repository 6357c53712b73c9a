//! The kubeconfig's server URL: read into the parts the commands need, or said why not.

use crate::k8s::names::brief;

/// The parts of the server URL the commands need.
#[derive(Debug)]
pub(super) struct ServerUrl {
    pub(super) https: bool,
    /// As written, brackets included for IPv6.
    pub(super) host: String,
    pub(super) port: Option<u16>,
    /// Everything after the port: a path prefix such as `/k8s/clusters/c-1`, or nothing.
    pub(super) path: String,
}

/// Why the server URL cannot be used: what is wrong, with the part of the URL at fault. Its
/// `Display` is the message beside the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerError {
    /// Nothing was given.
    Empty,
    /// White space or a control character.
    Space(char),
    /// No `scheme://`: the URL as given.
    NoScheme(String),
    /// A scheme other than http or https.
    Scheme(String),
    /// A `?…` or `#…`.
    QueryOrFragment,
    /// A user name or password before `@`.
    Credentials,
    /// `[` without `]`.
    UnclosedBracket,
    /// Brackets around what is not an IPv6 address.
    NotIpv6(String),
    /// Something other than `:port` after an IPv6 address.
    AfterIpv6(String),
    /// `[`, `]`, `{` or `}` in a host name, which curl reads as a list of hosts.
    HostList {
        /// The host as written.
        host: String,
        /// The character.
        c: char,
    },
    /// No host.
    NoHost,
    /// A character no host name has.
    HostChar {
        /// The host as written.
        host: String,
        /// The character.
        c: char,
    },
    /// A port that is not a number from 1 to 65535.
    Port(String),
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const EXAMPLE: &str = "e.g. https://203.0.113.10:6443 (`kubectl cluster-info` prints it)";
        match self {
            ServerError::Empty => write!(
                f,
                "Server URL is empty: give the API server's address, {EXAMPLE}."
            ),
            ServerError::Space(c) => write!(
                f,
                "Server URL contains white space or a control character ({c:?}): a URL has none. \
                 Copy it again, {EXAMPLE}."
            ),
            ServerError::NoScheme(server) => write!(
                f,
                "Server URL has no scheme: kubectl needs https:// (or http://) in front, e.g. \
                 https://{}.",
                brief(server)
            ),
            ServerError::Scheme(scheme) => write!(
                f,
                "Server URL starts with {}://, but the Kubernetes API speaks only https:// \
                 (or http://), {EXAMPLE}.",
                brief(scheme)
            ),
            ServerError::QueryOrFragment => f.write_str(
                "Server URL has a query or fragment (?… or #…): an API server URL is a scheme, a \
                 host, an optional port and an optional path, and client-go appends API paths to it.",
            ),
            ServerError::Credentials => f.write_str(
                "Server URL has a user name or password in it (before '@'): credentials belong in \
                 the user entry (the token), not in the URL, where they end up in logs.",
            ),
            ServerError::UnclosedBracket => f.write_str(
                "Server URL has '[' without ']': write an IPv6 address as https://[2001:db8::1]:6443.",
            ),
            ServerError::NotIpv6(address) => write!(
                f,
                "Server URL: [{}] is not an IPv6 address.",
                brief(address)
            ),
            ServerError::AfterIpv6(after) => write!(
                f,
                "Server URL: unexpected {:?} after the IPv6 address.",
                brief(after)
            ),
            ServerError::HostList { host, c } => write!(
                f,
                "Server URL: the host {:?} contains {c:?}: curl would read [1-3] or {{a,b}} \
                 there as a list of hosts and send the token to each. Only an IPv6 address \
                 goes in brackets: https://[2001:db8::1]:6443.",
                brief(host)
            ),
            ServerError::NoHost => write!(f, "Server URL has no host, {EXAMPLE}."),
            ServerError::HostChar { host, c } => {
                let hint = if c.is_ascii() {
                    ""
                } else {
                    " Write an international name in its xn-- (punycode) form."
                };
                write!(
                    f,
                    "Server URL: the host {:?} contains {c:?}, which no host name has.{hint}",
                    brief(host)
                )
            }
            ServerError::Port(p) => write!(
                f,
                "Server URL: the port {p:?} is not a number from 1 to 65535 (the API server \
                 usually listens on 6443 or 443)."
            ),
        }
    }
}

impl std::error::Error for ServerError {}

/// Checks the server URL: http or https, a host, an optional port and path; nothing else.
pub(super) fn parse_server(server: &str) -> Result<ServerUrl, ServerError> {
    if server.is_empty() {
        return Err(ServerError::Empty);
    }
    if let Some(c) = server.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(ServerError::Space(c));
    }
    let Some((scheme, rest)) = server.split_once("://") else {
        return Err(ServerError::NoScheme(server.to_string()));
    };
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(ServerError::Scheme(scheme.to_string())),
    };
    if rest.contains(['?', '#']) {
        return Err(ServerError::QueryOrFragment);
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(ServerError::Credentials);
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((address, after)) = v6.split_once(']') else {
            return Err(ServerError::UnclosedBracket);
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(ServerError::NotIpv6(address.to_string()));
        }
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => return Err(ServerError::AfterIpv6(after.to_string())),
        };
        (format!("[{address}]"), port)
    } else {
        // curl reads `[1-3]` and `{a,b}` in a URL as lists, and would send the token to every
        // host they spell; outside an IPv6 literal no host has them.
        if let Some(c) = authority.chars().find(|c| "[]{}".contains(*c)) {
            return Err(ServerError::HostList {
                host: authority.to_string(),
                c,
            });
        }
        match authority.split_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(ServerError::NoHost);
    }
    // Brackets and colons only come from an IPv6 literal, checked above.
    let v6 = host.starts_with('[');
    if let Some(c) = host.chars().find(|c| {
        !(c.is_ascii_alphanumeric()
            || matches!(c, '.' | '-' | '_')
            || (v6 && matches!(c, '[' | ']' | ':')))
    }) {
        return Err(ServerError::HostChar { host, c });
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err(ServerError::Port(p.to_string())),
        },
    };
    Ok(ServerUrl {
        https,
        host,
        port,
        path: path.trim_end_matches('/').to_string(),
    })
}
