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
            _ => Route::NotFound,
        }
    }

    /// The hash that leads to this page.
    pub fn href(self) -> &'static str {
        match self {
            Route::Inspect | Route::NotFound => "#/inspect",
            Route::Ca => "#/ca",
            Route::Kubeconfig => "#/kubeconfig",
        }
    }
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
    }
}
