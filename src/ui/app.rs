//! The app: the header, the navigation, the one reducer, and the page the hash names.

use yew::prelude::*;

use crate::ui::components::para;

use crate::ui::events::{on_check, on_click};
use crate::ui::hooks::{
    nothing, use_after_paint, use_effect_key, use_hash, use_offline, use_rehearsal, use_update,
    use_webcrypto, Offline,
};
use crate::ui::pages::{
    ca, inspect, kubeconfig_builder, learn, not_found, rbac_builder, token_request, troubleshoot,
    AccessPage, Activity, Audit, CaProps, InspectProps, KubeconfigBuilderProps, LearnProps,
    RbacBuilderProps, TokenRequestProps, TroubleshootProps,
};
use crate::ui::route::Route;
use crate::ui::state::{self, Action, AppState, DemoUnavailable, InspectAction, Slice};
use crate::ui::{demo, element_by_id, handover, share, Focus};

/// The pages in the navigation bar, in order.
pub(crate) const NAV: &[(Route, &str)] = &[
    (Route::Inspect, "Inspect"),
    (Route::Troubleshoot, "Troubleshoot"),
    (Route::Ca, "CA"),
    (Route::Kubeconfig, "Kubeconfig"),
    (Route::Token, "Token request"),
    (Route::Rbac, "RBAC"),
    (Route::Access, "Access"),
    (Route::Audit, "Audit"),
    (Route::Activity, "Activity"),
    (Route::Learn, "Learn"),
];

/// Props of [`App`]: what the static shell's Token field held when the app started.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Text typed or pasted into the shell before the wasm ran; inspected on mount. Shared, not
    /// copied, by each render of the App.
    #[prop_or_default]
    pub early_token: AttrValue,
    /// Where the focus was in the shell; the same control in the app takes it.
    #[prop_or_default]
    pub early_focus: Option<Focus>,
    /// Whether the shell's Redact switch was turned on.
    #[prop_or_default]
    pub early_redact: bool,
}

/// The root: owns the state (so a paste survives moving between pages) and picks the page.
#[component]
pub fn App(props: &AppProps) -> Html {
    // Redact is part of the first state, not an action after mount: the first render already
    // has the switch on and every token masked, so no frame shows them otherwise.
    let redact_on = props.early_redact;
    let state = use_reducer(move || AppState {
        redact: redact_on,
        ..AppState::default()
    });
    {
        let state = state.clone();
        let (text, focus) = (props.early_token.clone(), props.early_focus.clone());
        use_effect_key(
            0,
            Box::new(move |_| {
                if !text.is_empty() {
                    state.dispatch(Action::Inspect(InspectAction::SetToken(text.to_string())));
                }
                if let Some(focus) = focus {
                    handover::restore(&focus);
                }
                nothing()
            }),
        );
    }
    let hash = use_hash();
    let route = Route::from_hash(&hash);
    let offline = use_offline();
    let update = use_update();
    // The footer waits for the page's first paint, like the panels under the Token field; the
    // rehearsal of the paste path starts then too.
    let painted = use_after_paint(true);
    use_webcrypto(&state);
    let ahead = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::FetchDemoAhead))
    };
    use_rehearsal(painted, state.demo.files.clone(), ahead);
    {
        // Fetch the demo files, once, when they are first wanted (an example, or the rehearsal).
        let state = state.clone();
        let wanted = state.demo.fetch();
        use_effect_key(
            u64::from(wanted),
            Box::new(move |wanted| {
                if wanted == 1 {
                    wasm_bindgen_futures::spawn_local(async move {
                        state.dispatch(Action::DemoLoaded(
                            demo::load().await.map_err(DemoUnavailable),
                        ));
                    });
                }
                nothing()
            }),
        );
    }
    // One callback for every page, the same on every render (it holds the reducer's own
    // dispatcher), so a page whose slices did not change is not rendered again.
    let onaction = state.dispatcher().to_callback();
    let arriving = use_mut_ref(handover::Arriving::default);
    let opened = use_state(|| None::<share::Opened>);
    // `?embed` (before the hash, or in it) stays on for the visit: the hash loses its
    // parameters once read, and pages link to each other.
    let embed = use_mut_ref(|| false);
    let embed = {
        let mut embed = embed.borrow_mut();
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        *embed |= crate::ui::route::embedded(&hash, &search);
        *embed
    };
    // Counts the renders, so the effect below, keyed by it, runs after every one.
    let renders = use_mut_ref(|| 0u64);
    let render = {
        let mut renders = renders.borrow_mut();
        *renders = renders.wrapping_add(1);
        *renders
    };
    {
        // A link's parameters (`#/inspect?example=bound`, `#/access?rbac=demo`,
        // `#/rbac?preset=read-pods&sa=demo-app&ns=workshop`) fill its page once, and where the
        // last hand-over leads takes the focus once it is on screen.
        let (state, hash) = (state.clone(), hash.clone());
        let (onopen, opened) = (onaction.clone(), opened.setter());
        use_effect_key(
            render,
            Box::new(move |_| {
                let mut arriving = arriving.borrow_mut();
                // A share link's form is inflated by the browser first; it fills the page then.
                let payload = crate::share::payload_of(&hash).map(str::to_string);
                if let Some(link) = arriving.follow(&hash, route) {
                    match payload {
                        Some(payload) => share::open(payload, route, link, onopen, opened),
                        None => state.dispatch(Action::Follow(link)),
                    }
                }
                arriving.settle(route, state.arrival);
                nothing()
            }),
        );
    }
    let redact = state.redact;
    let onredact = on_check(&onaction, Action::Redact);
    html! {
        <div class={classes!("app", state.redact.then_some("redacted"), embed.then_some("embed"))}>
            <a class="skip" href="#main" onclick={skip_to_main()}>{ "Skip to content" }</a>
            <header class="top">
                <h1><a href={Route::Inspect.href()}>{ "Tokenscope" }</a></h1>
                if embed {
                    <a class="open-full" href={format!("{}{}", share::base(), route.href())} target="_blank" rel="noopener">{ "Open in the full app" }</a>
                } else {
                <p class="tagline">{ "Kubernetes service-account tokens, explained. Runs offline; nothing you paste leaves this page." }</p>
                <nav aria-label="Pages">
                    { for NAV.iter().map(|(page, label)| html! {
                        <a href={page.href()} aria-current={(route == *page).then_some("page")}>{ *label }</a>
                    }) }
                </nav>
                }
                <label class="switch">
                    <input id="redact" type="checkbox" role="switch" checked={state.redact} onchange={onredact}
                        aria-describedby="redact-hint" />
                    { "Redact" }
                </label>
                <span id="redact-hint" class="visually-hidden">{ "Masks tokens, uids and key material on screen, for screenshots and projectors; copying still gives the real values." }</span>
            </header>
            if update {
                { notice("New version", "A newer version of Tokenscope is installed. This page still runs the version it opened with; reloading uses the new one and clears what you pasted.",
                    "Reload", Callback::from(|_: MouseEvent| reload())) }
            }
            <main id="main" tabindex="-1">
                { share::opened_notice(opened.as_ref(), route) }
                { undo(&state, route, &onaction) }
                <ContextProvider<crate::ui::components::Screen> context={crate::ui::components::Screen { redact }}>
                // Keyed by the route, so another page replaces this one's elements rather than
                // being patched into them, whether a page is a component or a plain function.
                <key={route as u8}>
                { match route {
                    Route::Inspect => inspect(&InspectProps { state: Slice::new(&state.inspect), ca: Slice::new(&state.ca),
                        demo: Slice::new(&state.demo), redact, onaction: onaction.clone() }),
                    Route::Ca => ca(&CaProps { state: Slice::new(&state.ca), onaction: onaction.clone() }),
                    Route::Kubeconfig => kubeconfig_builder(&KubeconfigBuilderProps { state: Slice::new(&state.kubeconfig), ca: Slice::new(&state.ca),
                        redact, onaction: onaction.clone() }),
                    Route::Rbac => rbac_builder(&RbacBuilderProps { form: Slice::new(&state.rbac), touched: Slice::new(&state.rbac_touched), onaction: onaction.clone() }),
                    Route::Access => html! {
                        <AccessPage state={Slice::new(&state.access)} inspect={Slice::new(&state.inspect)}
                            demo={Slice::new(&state.demo)} onaction={onaction.clone()} />
                    },
                    Route::Troubleshoot => troubleshoot(&TroubleshootProps { state: Slice::new(&state.troubleshoot), inspect: Slice::new(&state.inspect),
                        access: Slice::new(&state.access), redact, onaction: onaction.clone() }),
                    Route::Token => token_request(&TokenRequestProps { state: Slice::new(&state.token), redact, onaction: onaction.clone() }),
                    Route::Audit => html! {
                        <Audit state={Slice::new(&state.audit)} access={Slice::new(&state.access)}
                            {redact} onaction={onaction.clone()} />
                    },
                    Route::Activity => html! {
                        <Activity state={Slice::new(&state.activity)} inspect={Slice::new(&state.inspect)}
                            access={Slice::new(&state.access)} {redact} onaction={onaction.clone()} />
                    },
                    Route::Learn => learn(&LearnProps { step: crate::ui::route::subpath(&hash).map(str::to_string) }),
                    Route::NotFound => not_found(),
                } }
                </>
                </ContextProvider<crate::ui::components::Screen>>
            </main>
            if painted {
                // Filled in by `handover::Arriving`, outside the render.
                <p class="visually-hidden" role="status" id="arrived"></p>
                <footer class="bottom">
                    <p>{ offline_text(offline) }</p>
                    { para("Demo material in the examples is marked as such and comes from no real cluster.") }
                </footer>
            }
        </div>
    }
}

/// **Restore what you had**, on a page whose text an example, a link or a preset replaced.
fn undo(state: &AppState, route: Route, onaction: &Callback<Action>) -> Html {
    let part = match route {
        Route::Inspect => state::INSPECT | state::CA,
        Route::Ca => state::CA,
        Route::Kubeconfig => state::KUBECONFIG | state::CA,
        Route::Rbac => state::RBAC,
        Route::Access => state::ACCESS,
        Route::Troubleshoot => state::TROUBLESHOOT,
        Route::Token => state::TOKEN,
        _ => return html! {},
    };
    if !state.undo.as_ref().is_some_and(|u| u.offers(part)) {
        return html! {};
    }
    notice(
        "Undo",
        "Filled in over your text.",
        "Restore what you had",
        on_click(onaction, || Action::Restore),
    )
}

/// A notice with its one action: a newer version to reload, text to restore.
fn notice(
    label: &'static str,
    text: &'static str,
    button: &'static str,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! {
        <div class="update" role="status" aria-label={label}>
            { para(text) }
            <button type="button" {onclick}>{ button }</button>
        </div>
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The skip link moves focus without touching the hash, which holds the route.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        e.prevent_default();
        if let Some(main) = element_by_id::<web_sys::HtmlElement>("main") {
            let _ = main.focus();
        }
    })
}

fn offline_text(state: Offline) -> String {
    let text = match state {
        Offline::Ready => "Works offline: every page is cached in your browser, so it loads with the network off.",
        Offline::Incomplete(missing) => {
            return format!("Not yet usable offline: the browser's copy lacks {missing}; loading the page once more while online completes it.");
        }
        Offline::Uncontrolled => "Not usable offline from this load (a hard reload bypasses the offline copy); a normal reload while online fixes it.",
        Offline::Pending => "Preparing offline use…",
        Offline::Unavailable => "Offline use needs the page served over http(s); opened from a file it already needs no network.",
        Offline::Error => "Could not prepare offline use; the page still works while it stays open.",
    };
    text.to_string()
}
