//! Hash routes (`#/inspect`): they work offline and from `file://`, where paths do not.

/// A page of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/inspect`, the default: decode, explain and verify a token.
    Inspect,
    /// `#/ca`: the cluster CA certificate (or bundle) explained.
    Ca,
    /// `#/kubeconfig`: build a kubeconfig for the token.
    Kubeconfig,
    /// `#/rbac`: least-privilege RBAC for a service account.
    Rbac,
    /// `#/access`: what a token (or subject) can do, from pasted RBAC objects.
    Access,
    /// `#/troubleshoot`: an API server error read, explained, and fixed.
    Troubleshoot,
    /// `#/token`: a TokenRequest, a projected volume and the token's claims, previewed.
    Token,
    /// `#/audit`: every long-lived token Secret of a cluster, and when it is cleaned up.
    Audit,
    /// `#/activity`: what a token did, from audit events, and exactly the RBAC it needs.
    Activity,
    /// `#/learn` and `#/learn/<step>`: the guided walk.
    Learn,
    /// Anything else.
    NotFound,
}

impl Route {
    /// Reads a `location.hash` value (`""`, `"#/inspect"`, `"#/inspect?x"`).
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let page = path.split(['?', '/']).next().unwrap_or_default();
        match page {
            "" | "inspect" => Route::Inspect,
            "ca" => Route::Ca,
            "kubeconfig" => Route::Kubeconfig,
            "rbac" => Route::Rbac,
            "access" => Route::Access,
            "troubleshoot" => Route::Troubleshoot,
            "token" => Route::Token,
            "audit" => Route::Audit,
            "activity" => Route::Activity,
            "learn" => Route::Learn,
            _ => Route::NotFound,
        }
    }

    /// The hash that leads to this page.
    pub fn href(self) -> &'static str {
        match self {
            Route::Inspect | Route::NotFound => "#/inspect",
            Route::Ca => "#/ca",
            Route::Kubeconfig => "#/kubeconfig",
            Route::Rbac => "#/rbac",
            Route::Access => "#/access",
            Route::Troubleshoot => "#/troubleshoot",
            Route::Token => "#/token",
            Route::Audit => "#/audit",
            Route::Activity => "#/activity",
            Route::Learn => "#/learn",
        }
    }
}

/// The value of `key` in the hash's query (`#/inspect?example=bound` → `bound`). Values are
/// ids and names, never tokens: nothing secret is ever put in the URL.
pub fn param(hash: &str, key: &str) -> Option<String> {
    let (_, query) = hash.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| v.to_string())
    })
}

/// Whether the page is embedded (`?embed` before the hash, or in the hash's query): one page,
/// without the navigation, for an iframe beside documentation.
pub fn embedded(hash: &str, search: &str) -> bool {
    let flag = |query: &str| {
        query
            .split('&')
            .any(|pair| pair == "embed" || pair.starts_with("embed="))
    };
    flag(search.trim_start_matches('?')) || hash.split_once('?').is_some_and(|(_, q)| flag(q))
}

/// The part after the page name: `#/learn/token` → `token`.
pub fn subpath(hash: &str) -> Option<&str> {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let path = path.split('?').next().unwrap_or_default();
    path.split_once('/')
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hashes() {
        assert_eq!(Route::from_hash(""), Route::Inspect);
        assert_eq!(Route::from_hash("#/"), Route::Inspect);
        assert_eq!(Route::from_hash("#/inspect"), Route::Inspect);
        assert_eq!(Route::from_hash("#/inspect?step=2"), Route::Inspect);
        assert_eq!(Route::from_hash("#/ca"), Route::Ca);
        assert_eq!(Route::from_hash("#/kubeconfig"), Route::Kubeconfig);
        assert_eq!(Route::from_hash("#/nope"), Route::NotFound);
        for route in [
            Route::Troubleshoot,
            Route::Token,
            Route::Audit,
            Route::Activity,
        ] {
            assert_eq!(Route::from_hash(route.href()), route);
        }
        assert_eq!(Route::from_hash("#/learn/token"), Route::Learn);
    }

    #[test]
    fn reads_params_and_steps() {
        assert_eq!(
            param("#/inspect?example=bound", "example").as_deref(),
            Some("bound")
        );
        assert_eq!(
            param("#/inspect?a=1&example=x", "example").as_deref(),
            Some("x")
        );
        assert_eq!(param("#/inspect?examples=x", "example"), None);
        assert_eq!(param("#/inspect", "example"), None);
        assert_eq!(subpath("#/learn/token?example=bound"), Some("token"));
        assert_eq!(subpath("#/learn/"), None);
        assert_eq!(subpath("#/learn"), None);
        assert!(embedded("#/rbac?embed", ""));
        assert!(embedded("#/rbac", "?embed"));
        assert!(embedded("#/access?share=v1.x&embed=1", ""));
        assert!(!embedded("#/rbac?embedded", "?x=embed"));
    }
}
