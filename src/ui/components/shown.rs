//! The one way a page renders text that came from a paste: through [`Screen`], which with
//! **Redact** on masks every secret the text holds by its shape (`redact::masked`: a JWT's
//! payload and signature, a bearer token, a private key's body, a Secret's data).
//!
//! The pages mask what they decoded by meaning before they write anything from it; this is
//! the net under the rest: an error line quoted in a diagnosis, a log's reason, a table cell.
//! The app gives every page whether Redact is on as a context, so no page can forget to ask,
//! and a masked text is one string, one text node, however long its line. Copy buttons and
//! downloads are given the real text, never a [`Screen`]'s.

use std::borrow::Cow;

use yew::prelude::*;
use yew::virtual_dom::VText;

use crate::redact;

/// Whether Redact is on, as every page's text is rendered: the app provides it around the
/// pages; outside it (a page rendered on its own, natively) nothing is masked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Screen {
    /// Whether **Redact** is on.
    pub redact: bool,
}

impl Screen {
    /// `text` as the screen may show it.
    pub fn string<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.redact {
            redact::masked(text)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// `text` as the screen may show it, as one text node.
    pub fn text(&self, text: impl AsRef<str>) -> Html {
        VText::new(self.string(text.as_ref()).into_owned()).into()
    }
}

/// The [`Screen`] the app provides to the page rendering now.
#[hook]
pub fn use_screen() -> Screen {
    use_context::<Screen>().unwrap_or_default()
}

/// Props of [`Shown`].
#[derive(Properties, PartialEq)]
pub struct ShownProps {
    /// The text, as it came.
    pub text: AttrValue,
}

/// Text from a paste, for a renderer that is a plain function with no [`Screen`] at hand (a
/// finding's reason): reads the app's [`Screen`] itself.
#[component]
pub fn Shown(props: &ShownProps) -> Html {
    use_screen().text(&props.text)
}

/// [`Shown`] of `text`.
pub fn shown(text: impl Into<AttrValue>) -> Html {
    html! { <Shown text={text.into()} /> }
}
