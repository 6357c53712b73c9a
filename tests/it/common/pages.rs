//! Pages the app renders as plain functions, mounted as components for the render tests, as
//! the app mounts them inside its own.

use tokenscope::ui::pages::{
    ca, inspect, kubeconfig_builder, token_request, troubleshoot, CaProps, InspectProps,
    KubeconfigBuilderProps, TokenRequestProps, TroubleshootProps,
};

/// The Inspect page.
#[yew::component]
pub fn Inspect(props: &InspectProps) -> yew::Html {
    inspect(props)
}

/// The CA page.
#[yew::component]
pub fn Ca(props: &CaProps) -> yew::Html {
    ca(props)
}

/// The Kubeconfig page.
#[yew::component]
pub fn KubeconfigBuilder(props: &KubeconfigBuilderProps) -> yew::Html {
    kubeconfig_builder(props)
}

/// The Token request page.
#[yew::component]
pub fn TokenRequest(props: &TokenRequestProps) -> yew::Html {
    token_request(props)
}

/// The Troubleshoot page.
#[yew::component]
pub fn Troubleshoot(props: &TroubleshootProps) -> yew::Html {
    troubleshoot(props)
}
