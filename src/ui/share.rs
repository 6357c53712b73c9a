//! Share links in the page: **Copy link** makes one from a page's form, and opening one fills
//! its page. The core (`crate::share`) checks the form and writes the payload; the deflating
//! is the browser's own `CompressionStream('deflate-raw')`, so no deflate code is in the wasm
//! (a link made natively with miniz_oxide is the same raw deflate stream, and opens here).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableWritablePair, Response};
use yew::prelude::*;

use crate::access::ParseError;
use crate::rbac::RbacForm;
use crate::share::{self, AccessForm, KubeconfigFields, LinkError, Question, ShareError, Shared};
use crate::ui::route::Route;
use crate::ui::state::{AccessState, Action, CanIForm, KubeconfigState, Link, TokenState};

#[wasm_bindgen]
extern "C" {
    /// The browser's deflate (`deflate-raw`: RFC 1951, no header), as a transform stream.
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compression;
    #[wasm_bindgen(constructor, catch, js_class = "CompressionStream")]
    fn new(format: &str) -> Result<Compression, JsValue>;

    /// The browser's inflate, as a transform stream.
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompression;
    #[wasm_bindgen(constructor, catch, js_class = "DecompressionStream")]
    fn new(format: &str) -> Result<Decompression, JsValue>;
}

/// `bytes` through a transform stream, gathered into one buffer of at most `limit` bytes.
async fn pipe(bytes: &[u8], transform: &JsValue, limit: usize) -> Result<Vec<u8>, LinkError> {
    let array = js_sys::Uint8Array::from(bytes);
    let blob = Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array))
        .map_err(|_| LinkError::Inflate)?;
    let stream = blob
        .stream()
        .pipe_through(transform.unchecked_ref::<ReadableWritablePair>());
    let response =
        Response::new_with_opt_readable_stream(Some(&stream)).map_err(|_| LinkError::Inflate)?;
    let promise = response.array_buffer().map_err(|_| LinkError::Inflate)?;
    // What a payload of MAX_PAYLOAD_CHARS inflates to is bounded by deflate's own ratio
    // (1032:1, some 25 MB) and stays in JavaScript's memory; the wasm takes it only under `limit`.
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|_| LinkError::Inflate)?;
    let out = js_sys::Uint8Array::new(&buffer);
    if out.length() as usize > limit {
        return Err(LinkError::TooLarge);
    }
    Ok(out.to_vec())
}

/// The form a link's payload holds, inflated by the browser and checked by the core.
async fn read(payload: &str) -> Result<Shared, LinkError> {
    let deflated = share::deflated(payload)?;
    let transform = Decompression::new("deflate-raw").map_err(|_| LinkError::Inflate)?;
    let inflated = pipe(&deflated, &transform, share::MAX_INFLATED_BYTES).await?;
    share::read_form(&inflated)
}

/// The whole address of a link to `shared`, or why none is made.
async fn make(shared: &Shared) -> Result<String, String> {
    let json = share::form_json(shared).map_err(|e| e.to_string())?;
    let unsupported = "This browser cannot compress a link (it lacks CompressionStream); a current Chromium, Firefox or Safari can.";
    let transform = Compression::new("deflate-raw").map_err(|_| unsupported.to_string())?;
    let deflated = pipe(json.as_bytes(), &transform, usize::MAX)
        .await
        .map_err(|_| unsupported.to_string())?;
    let payload = share::payload(&deflated).map_err(|e| e.to_string())?;
    Ok(format!("{}{}", base(), share::fragment(shared, &payload)))
}

/// The page's address without its fragment (and without `?embed`): where links lead.
pub(crate) fn base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default();
    match page.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.is_empty() && *p != "embed" && !p.starts_with("embed="))
                .collect();
            match kept.is_empty() {
                true => path.to_string(),
                false => format!("{path}?{}", kept.join("&")),
            }
        }
        None => page.to_string(),
    }
}

/// What the last link opened said, shown on its page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Opened {
    /// The page it was opened on.
    pub route: Route,
    /// Loaded, or why not.
    pub result: Result<(), String>,
}

/// Opens the link whose `share=` payload is `payload` on `route`: reads it in the browser, then
/// fills the page through `link` (its undo keeps what the user had), and says so.
pub(crate) fn open(
    payload: String,
    route: Route,
    link: Link,
    onaction: Callback<Action>,
    opened: UseStateSetter<Option<Opened>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let result = match read(&payload).await {
            Ok(shared) if shared.route() == route.href() => {
                let to = link.to.or_else(|| {
                    (route == Route::Token).then_some((
                        "#/token",
                        "tr-out-h",
                        "Token request filled from the link: review the outputs below.",
                    ))
                });
                onaction.emit(Action::Follow(Link {
                    to,
                    shared: Some(Box::new(shared)),
                    ..Link::default()
                }));
                Ok(())
            }
            Ok(_) => Err("The link's form belongs to another page than the one it names.".into()),
            Err(e) => Err(e.to_string()),
        };
        opened.set(Some(Opened { route, result }));
    });
}

/// "Loaded from a link", or why a link did not open, on the page it named.
pub(crate) fn opened_notice(opened: Option<&Opened>, route: Route) -> Html {
    match opened {
        Some(Opened {
            route: on,
            result: Ok(()),
        }) if *on == route => html! {
            <p class="update" role="status" aria-label="Link">{ "Loaded from a link: the fields below come from the link you opened. Check them before you use what they make." }</p>
        },
        Some(Opened {
            route: on,
            result: Err(why),
        }) if *on == route => html! {
            <p class="update error" role="alert" aria-label="Link">{ "The link did not open. " }{ why.clone() }</p>
        },
        _ => html! {},
    }
}

/// Props of [`CopyLink`].
#[derive(Properties, PartialEq)]
pub struct CopyLinkProps {
    /// The form a link carries, made when the button is pressed (a pasted policy can be
    /// megabytes: it is not copied on every render).
    pub make: Callback<(), Result<Shared, ShareError>>,
    /// The button's accessible name, when the page has more than one.
    #[prop_or(AttrValue::Static("Copy link"))]
    pub label: AttrValue,
}

/// **Copy link**: a link to this page's form on the clipboard and on screen, or why none is
/// made (a token, a key, a uid in a field).
#[component]
pub fn CopyLink(props: &CopyLinkProps) -> Html {
    let made = use_state(|| None::<Result<Rc<str>, Rc<str>>>);
    let onclick = {
        let (form, made) = (props.make.clone(), made.clone());
        Callback::from(move |_: MouseEvent| {
            let made = made.clone();
            let shared = match form.emit(()) {
                Ok(shared) => shared,
                Err(e) => return made.set(Some(Err(e.to_string().into()))),
            };
            wasm_bindgen_futures::spawn_local(async move {
                let result = make(&shared).await;
                if let (Ok(url), Some(window)) = (&result, web_sys::window()) {
                    let _promise = window.navigator().clipboard().write_text(url);
                }
                made.set(Some(result.map(Rc::from).map_err(Rc::from)));
            });
        })
    };
    html! {
        <div class="share-link">
            <button type="button" aria-label={props.label.clone()} {onclick}>{ "Copy link" }</button>
            { match &*made {
                Some(Ok(url)) => html! {
                    <>
                        <span role="status" class="hint">{ "Link copied. It holds this form and nothing secret; the part after # never reaches a server." }</span>
                        <input type="text" readonly=true class="mono" aria-label="Share link" value={url.to_string()} />
                    </>
                },
                Some(Err(why)) => html! { <p role="alert" class="error">{ why.to_string() }</p> },
                None => html! { <span role="status" class="hint"></span> },
            } }
        </div>
    }
}

/// **Copy link** of the RBAC builder.
pub fn rbac_link(form: &Rc<RbacForm>) -> Html {
    let form = form.clone();
    let make = Callback::from(move |()| Ok(Shared::Rbac(RbacForm::clone(&form))));
    html! { <CopyLink {make} /> }
}

/// **Copy link** of the Access page: the pasted policy (up to 8 KB), Subject, Can I, Who can.
pub fn access_link(state: &Rc<AccessState>) -> Html {
    let state = state.clone();
    let make = Callback::from(move |()| {
        if state.file.is_some() {
            let bytes = match &state.policy {
                Some(Err(ParseError::TooLarge { bytes, .. })) => *bytes,
                _ => share::MAX_POLICY_BYTES + 1,
            };
            return Err(ShareError::PolicyTooLarge { bytes });
        }
        if state.input.len() > share::MAX_POLICY_BYTES {
            return Err(ShareError::PolicyTooLarge {
                bytes: state.input.len(),
            });
        }
        Ok(Shared::Access(AccessForm {
            policy: state.input.clone(),
            subject: state.subject_input.clone(),
            can_i: question(&state.can_i),
            who_can: question(&state.who_can),
        }))
    });
    html! { <CopyLink {make} /> }
}

fn question(q: &CanIForm) -> Question {
    Question {
        verb: q.verb.clone(),
        resource: q.resource.clone(),
        namespace: q.namespace.clone(),
        name: q.name.clone(),
    }
}

/// **Copy link** of the Token request form (a bound object's uid is never carried).
pub fn token_link(state: &Rc<TokenState>) -> Html {
    let state = state.clone();
    let make = Callback::from(move |()| Ok(Shared::Token(state.form.clone())));
    html! { <CopyLink {make} /> }
}

/// **Copy link** of the kubeconfig builder: its fields and the CA, never the token.
pub fn kubeconfig_link(state: &Rc<KubeconfigState>, ca: &str) -> Html {
    let (state, ca) = (state.clone(), ca.to_string());
    let make = Callback::from(move |()| {
        let mut fields = KubeconfigFields::from_form(&state.form);
        fields.ca = ca.clone();
        Ok(Shared::Kubeconfig(fields))
    });
    html! { <CopyLink {make} /> }
}

/// **Copy link** of a Learn step.
pub fn learn_link(id: &'static str, title: &'static str) -> Html {
    let make = Callback::from(move |()| Ok(Shared::Learn(id.to_string())));
    html! { <CopyLink {make} label={format!("Copy link to step {title}")} /> }
}
