use yew::prelude::*;

use crate::ui::hooks::{use_route, use_webcrypto};
use crate::ui::pages::{Ca, Inspect, KubeconfigBuilder, NotFound};
use crate::ui::route::Route;
use crate::ui::state::AppState;

/// The root: owns the state (so a paste survives moving between pages) and picks the page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let route = use_route();
    use_webcrypto(&state);
    html! {
        <>
            <header class="top">
                <h1><a href={Route::Inspect.href()}>{ "Tokenscope" }</a></h1>
                <p class="tagline">{ "Kubernetes service-account tokens, explained. Runs offline; nothing you paste leaves this page." }</p>
                <nav aria-label="Pages">
                    <a href={Route::Inspect.href()} aria-current={(route == Route::Inspect).then_some("page")}>{ "Inspect" }</a>
                    <a href={Route::Ca.href()} aria-current={(route == Route::Ca).then_some("page")}>{ "CA" }</a>
                    <a href={Route::Kubeconfig.href()} aria-current={(route == Route::Kubeconfig).then_some("page")}>{ "Kubeconfig" }</a>
                </nav>
            </header>
            <main>
                { match route {
                    Route::Inspect => html! { <Inspect state={state.clone()} /> },
                    Route::Ca => html! { <Ca state={state.clone()} /> },
                    Route::Kubeconfig => html! { <KubeconfigBuilder state={state.clone()} /> },
                    Route::NotFound => html! { <NotFound /> },
                } }
            </main>
        </>
    }
}
