//! A picture from the core, drawn as SVG elements (its texts are text nodes, never markup),
//! with **Download SVG**; the caption points at the table that says the same in words.

use yew::prelude::*;

use crate::picture::{Picture, Shape};
use crate::ui::download;

use super::shown::{use_screen, Screen};

/// One picture in a figure, named by its title for screen readers; `caption` says where its
/// text equivalent is, and **Download SVG** saves it as `file_name`. Its title and texts come
/// from a paste (a role's or binding's name), so with **Redact** on they are masked as any
/// pasted text is; the download is the real picture, as Copy gives real values.
pub fn picture_view(picture: &Picture, file_name: &'static str, caption: &'static str) -> Html {
    html! { <PictureView picture={picture.clone()} {file_name} {caption} /> }
}

/// Props of [`PictureView`]: [`picture_view`]'s arguments.
#[derive(Properties, PartialEq)]
struct PictureProps {
    picture: Picture,
    file_name: &'static str,
    caption: &'static str,
}

#[component]
fn PictureView(props: &PictureProps) -> Html {
    let screen = use_screen();
    let PictureProps {
        picture,
        file_name,
        caption,
    } = props;
    let ondownload = {
        // Written on the click, not on every render.
        let (picture, file_name) = (picture.clone(), *file_name);
        Callback::from(move |_: MouseEvent| {
            let _ = download::save(file_name, "image/svg+xml", &picture.to_svg());
        })
    };
    let (w, h) = (picture.width.to_string(), picture.height.to_string());
    html! {
        <figure class="picture">
            <svg viewBox={format!("0 0 {w} {h}")} width={w} height={h} role="img"
                aria-label={screen.string(&picture.title).into_owned()} font-family="sans-serif" font-size="12">
                { for picture.shapes.iter().map(|s| shape(s, screen)) }
            </svg>
            <figcaption>
                { caption }{ " " }
                <button type="button" onclick={ondownload}>{ "Download SVG" }</button>
            </figcaption>
        </figure>
    }
}

fn shape(shape: &Shape, screen: Screen) -> Html {
    match shape {
        Shape::Line {
            class,
            from,
            to,
            stroke,
        } => html! {
            <line class={*class} x1={from.0.to_string()} y1={from.1.to_string()}
                x2={to.0.to_string()} y2={to.1.to_string()} stroke={*stroke} stroke-width="2" />
        },
        Shape::Rect {
            class,
            at,
            size,
            fill,
        } => html! {
            <rect class={*class} x={at.0.to_string()} y={at.1.to_string()}
                width={size.0.to_string()} height={size.1.to_string()} rx="3" fill={*fill} />
        },
        Shape::Text {
            class,
            at,
            anchor,
            text,
        } => html! {
            <text class={*class} x={at.0.to_string()} y={at.1.to_string()}
                text-anchor={anchor.name()}>{ screen.text(text) }</text>
        },
    }
}
