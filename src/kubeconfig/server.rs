//! The kubeconfig's server URL: read into the parts the commands need, or said why not.

use crate::names::brief;

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

/// Checks the server URL: http or https, a host, an optional port and path; nothing else.
pub(super) fn parse_server(server: &str) -> Result<ServerUrl, String> {
    const EXAMPLE: &str = "e.g. https://203.0.113.10:6443 (`kubectl cluster-info` prints it)";
    if server.is_empty() {
        return Err(format!(
            "Server URL is empty: give the API server's address, {EXAMPLE}."
        ));
    }
    if let Some(c) = server.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "Server URL contains white space or a control character ({c:?}): a URL has none. \
             Copy it again, {EXAMPLE}."
        ));
    }
    let Some((scheme, rest)) = server.split_once("://") else {
        return Err(format!(
            "Server URL has no scheme: kubectl needs https:// (or http://) in front, e.g. \
             https://{}.",
            brief(server)
        ));
    };
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => {
            return Err(format!(
                "Server URL starts with {}://, but the Kubernetes API speaks only https:// \
                 (or http://), {EXAMPLE}.",
                brief(scheme)
            ))
        }
    };
    if rest.contains(['?', '#']) {
        return Err(
            "Server URL has a query or fragment (?… or #…): an API server URL is a scheme, a \
             host, an optional port and an optional path, and client-go appends API paths to it."
                .to_string(),
        );
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(
            "Server URL has a user name or password in it (before '@'): credentials belong in \
             the user entry (the token), not in the URL, where they end up in logs."
                .to_string(),
        );
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((address, after)) = v6.split_once(']') else {
            return Err("Server URL has '[' without ']': write an IPv6 address as https://[2001:db8::1]:6443.".to_string());
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!(
                "Server URL: [{}] is not an IPv6 address.",
                brief(address)
            ));
        }
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(format!(
                    "Server URL: unexpected {:?} after the IPv6 address.",
                    brief(after)
                ))
            }
        };
        (format!("[{address}]"), port)
    } else {
        // curl reads `[1-3]` and `{a,b}` in a URL as lists, and would send the token to every
        // host they spell; outside an IPv6 literal no host has them.
        if let Some(c) = authority.chars().find(|c| "[]{}".contains(*c)) {
            return Err(format!(
                "Server URL: the host {:?} contains {c:?}: curl would read [1-3] or {{a,b}} \
                 there as a list of hosts and send the token to each. Only an IPv6 address \
                 goes in brackets: https://[2001:db8::1]:6443.",
                brief(authority)
            ));
        }
        match authority.split_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(format!("Server URL has no host, {EXAMPLE}."));
    }
    // Brackets and colons only come from an IPv6 literal, checked above.
    let v6 = host.starts_with('[');
    if let Some(c) = host.chars().find(|c| {
        !(c.is_ascii_alphanumeric()
            || matches!(c, '.' | '-' | '_')
            || (v6 && matches!(c, '[' | ']' | ':')))
    }) {
        let hint = if c.is_ascii() {
            String::new()
        } else {
            " Write an international name in its xn-- (punycode) form.".to_string()
        };
        return Err(format!(
            "Server URL: the host {:?} contains {c:?}, which no host name has.{hint}",
            brief(&host)
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => {
                return Err(format!(
                    "Server URL: the port {p:?} is not a number from 1 to 65535 (the API server \
                     usually listens on 6443 or 443)."
                ))
            }
        },
    };
    Ok(ServerUrl {
        https,
        host,
        port,
        path: path.trim_end_matches('/').to_string(),
    })
}
