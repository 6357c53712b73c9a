//! Hand-overs. From the static shell in `index.html` to the app: what the user typed,
//! switched on or focused in the shell before the wasm ran (on a slow network, for seconds).
//! The shell is the app's first render, element for element (`tests/e2e/shell.test.mjs`), so
//! a focused control is found again by its place in the tree under `#app`.
//!
//! And from page to page: where a link or another page's button leaves the user
//! ([`crate::state::Arrival`]) takes the focus, and the app says so in its live region.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use crate::ui::route::{param, Route};
use crate::ui::state::{Arrival, Link};
use crate::ui::{element_by_id, AppProps};

/// Where the focus was in the shell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus {
    /// From `#app` down, the index of each element among its parent's element children.
    path: Vec<u32>,
    /// Tag, id and link target of the focused element: the app's element at `path` gets the
    /// focus only if it is the same control (a click on the shell's navigation can change the
    /// page the app renders first).
    what: Identity,
}

/// Tag name, id and `href` of an element.
type Identity = (String, String, Option<String>);

/// What the shell under `root` holds: the Token field's text, the Redact switch, the focus.
pub(crate) fn read(document: &Document, root: &Element) -> AppProps {
    let Some(field) = element_by_id::<HtmlTextAreaElement>("token") else {
        return AppProps::default();
    };
    AppProps {
        early_token: field.value().into(),
        early_focus: focused(document, root),
        early_redact: element_by_id::<HtmlInputElement>("redact").is_some_and(|r| r.checked()),
    }
}

/// The focused element's place under `root`, if the focus is in there at all.
pub(crate) fn focused(document: &Document, root: &Element) -> Option<Focus> {
    let active = document.active_element()?;
    let mut path = Vec::new();
    let mut element = active.clone();
    while !element.is_same_node(Some(root)) {
        let mut index = 0;
        let mut sibling = element.previous_element_sibling();
        while let Some(previous) = sibling {
            index += 1;
            sibling = previous.previous_element_sibling();
        }
        path.push(index);
        // Past <html> without meeting `root`: the focus is elsewhere (on <body>, say).
        element = element.parent_element()?;
    }
    path.reverse();
    Some(Focus {
        path,
        what: identity(&active),
    })
}

fn identity(element: &Element) -> Identity {
    (
        element.tag_name(),
        element.id(),
        element.get_attribute("href"),
    )
}

/// Gives the focus to the app's control that stands where the shell's focused one stood; a
/// text field gets its caret at the end, where typing left off. Says whether there was one.
pub(crate) fn restore(focus: &Focus) -> bool {
    let Some(mut element) = element_by_id::<Element>("app") else {
        return false;
    };
    for &index in &focus.path {
        let Some(mut child) = element.first_element_child() else {
            return false;
        };
        for _ in 0..index {
            let Some(next) = child.next_element_sibling() else {
                return false;
            };
            child = next;
        }
        element = child;
    }
    if identity(&element) != focus.what {
        return false;
    }
    let Some(control) = element.dyn_ref::<HtmlElement>() else {
        return false;
    };
    let _ = control.focus();
    if let Some(field) = element.dyn_ref::<HtmlTextAreaElement>() {
        let end = field.value().encode_utf16().count() as u32;
        let _ = field.set_selection_range(end, end);
    }
    true
}

/// What a link's parameters ask for, when it has any.
fn link(hash: &str, route: Route) -> Option<Link> {
    let to = |(id, text)| (route.href(), id, text);
    hash.contains('?').then(|| Link {
        to: match route {
            Route::Rbac => Some((
                "rbac-out-h",
                "RBAC builder filled from the link: review the YAML below.",
            )),
            Route::Access => Some((
                "effective-h",
                "Access filled from the link: review the effective rules below.",
            )),
            Route::Troubleshoot => Some((
                "ts-out-h",
                "Troubleshoot filled from the link: review the diagnosis below.",
            )),
            Route::Inspect => Some((
                "summary-h",
                "Inspect filled from the link: review the summary below.",
            )),
            Route::Kubeconfig => Some((
                "kc-out-h",
                "Kubeconfig filled from the link: review the kubeconfig below.",
            )),
            Route::Ca => Some((
                "cert-0-h",
                "CA filled from the link: review the certificates below.",
            )),
            _ => None,
        }
        .map(to),
        example: param(hash, "example"),
        demo_rbac: param(hash, "rbac").as_deref() == Some("demo"),
        preset: param(hash, "preset").and_then(|p| crate::rbac::Preset::from_id(&p)),
        account: param(hash, "sa"),
        namespace: param(hash, "ns"),
        shared: None,
    })
}

/// What the app remembers of hand-overs between renders.
#[derive(Default)]
pub(crate) struct Arriving {
    /// The hash last seen.
    hash: String,
    /// The hand-over last seen.
    n: u32,
    /// The hand-over whose place is not on screen yet.
    pending: Option<Arrival>,
    /// Whether its page was on screen: leaving it drops the hand-over.
    there: bool,
}

impl Arriving {
    /// What a new hash's parameters ask for, once. The history entry then loses them, so Back
    /// and Forward return to the page as the user left it rather than filling it again.
    pub(crate) fn follow(&mut self, hash: &str, route: Route) -> Option<Link> {
        if self.hash == hash {
            return None;
        }
        self.hash = hash.to_string();
        // A step of the guided walk (`#/learn/<step>`) takes the focus, scrolled to.
        if let (Route::Learn, Some(step)) = (route, crate::ui::route::subpath(hash)) {
            arrive(&format!("step-{step}"), "");
        }
        let link = link(hash, route)?;
        if let (Some(window), Some((bare, _))) = (web_sys::window(), hash.split_once('?')) {
            let _ = window.location().replace(bare);
        }
        Some(link)
    }

    /// After a render on `route`: moves the focus to where the latest hand-over leads once
    /// that is on screen (once its page is, for a button that also changes the page; once an
    /// example waiting for the demo files is there), and says so in the live region.
    pub(crate) fn settle(&mut self, route: Route, arrival: Arrival) -> Option<()> {
        if arrival.n != self.n {
            self.n = arrival.n;
            (self.pending, self.there) = (Some(arrival), false);
        }
        let Arrival { page, id, text, .. } = self.pending?;
        if !page.is_empty() && page != route.href() {
            if self.there {
                self.pending = None;
            }
            return None;
        }
        self.there = true;
        element_by_id::<HtmlElement>(id)?;
        self.pending = None;
        // After the pages this render changed have rendered too: the element may be made anew.
        crate::ui::after(
            0,
            Box::new(move || {
                arrive(id, text);
            }),
        );
        Some(())
    }
}

/// Gives the focus to the element `id` (a heading or region, made focusable) and says `text`
/// in the live region.
fn arrive(id: &str, text: &str) -> Option<()> {
    let target = element_by_id::<HtmlElement>(id)?;
    let _ = target.set_attribute("tabindex", "-1");
    let _ = target.focus();
    element_by_id::<Element>("arrived")?.set_text_content(Some(text));
    Some(())
}
