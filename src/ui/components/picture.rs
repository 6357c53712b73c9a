//! A picture from the core, drawn as SVG elements (its texts are text nodes, never markup),
//! with **Download SVG**; the caption points at the table that says the same in words.

use yew::prelude::*;
use yew::virtual_dom::VTag;

use crate::picture::{Picture, Shape};
use crate::ui::download;

/// One picture in a figure, named by its title for screen readers; `caption` says where its
/// text equivalent is, and **Download SVG** saves it as `file_name`.
pub fn picture_view(picture: &Picture, file_name: &'static str, caption: &'static str) -> Html {
    let ondownload = {
        // Written on the click, not on every render.
        let picture = picture.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = download::save(file_name, "image/svg+xml", &picture.to_svg());
        })
    };
    let (w, h) = (picture.width.to_string(), picture.height.to_string());
    html! {
        <figure class="picture">
            <svg viewBox={format!("0 0 {w} {h}")} width={w} height={h} role="img"
                aria-label={picture.title.clone()} font-family="sans-serif" font-size="12">
                { for picture.shapes.iter().map(shape) }
            </svg>
            <figcaption>
                { caption }{ " " }
                <button type="button" onclick={ondownload}>{ "Download SVG" }</button>
            </figcaption>
        </figure>
    }
}

/// One shape as its SVG element, built from [`Shape::element`] by one loop rather than one
/// `html!` per kind of shape; its text is a text node.
fn shape(shape: &Shape) -> Html {
    let (name, attributes, text) = shape.element();
    let mut tag = VTag::new(name);
    for (key, value) in attributes {
        tag.add_attribute(key, value);
    }
    if let Some(text) = text {
        tag.add_child(Html::from(text.to_string()));
    }
    tag.into()
}
