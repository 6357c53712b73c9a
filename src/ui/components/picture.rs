//! A picture from the core, drawn as SVG elements (its texts are text nodes, never markup),
//! with **Download SVG**; the caption points at the table that says the same in words.

use yew::prelude::*;

use crate::picture::{Picture, Shape};
use crate::ui::download;

/// Props of [`PictureView`].
#[derive(Properties, PartialEq)]
pub struct PictureProps {
    /// What to draw.
    pub picture: Picture,
    /// The downloaded file's name.
    pub file_name: AttrValue,
    /// Where its text equivalent is ("The Times table below says the same in words.").
    pub caption: AttrValue,
}

/// One picture in a figure, named by its title for screen readers.
#[component]
pub fn PictureView(props: &PictureProps) -> Html {
    let picture = &props.picture;
    let ondownload = {
        let (svg, name) = (picture.to_svg(), props.file_name.clone());
        Callback::from(move |_: MouseEvent| {
            let _ = download::save(&name, "image/svg+xml", &svg);
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
                { &props.caption }{ " " }
                <button type="button" onclick={ondownload}>{ "Download SVG" }</button>
            </figcaption>
        </figure>
    }
}

fn shape(shape: &Shape) -> Html {
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
                text-anchor={anchor.name()}>{ text.clone() }</text>
        },
    }
}
