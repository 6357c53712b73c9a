//! A picture as a list of shapes: the page renders them as elements (never as markup text),
//! and [`Picture::to_svg`] writes the same shapes as a file to download, with text escaped.

use std::fmt::Write;

/// A drawing: its size in pixels, its name for screen readers, and its shapes in paint order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// Width in pixels.
    pub width: i32,
    /// Height in pixels.
    pub height: i32,
    /// What it shows, in words (the SVG's `<title>`, the figure's accessible name).
    pub title: String,
    /// The shapes, the first painted first.
    pub shapes: Vec<Shape>,
}

/// One shape. `class` is what the stylesheet themes; the colour beside it is the default a
/// downloaded file shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A line from one point to another.
    Line {
        /// The stylesheet's name for it.
        class: &'static str,
        /// Start (x, y).
        from: (i32, i32),
        /// End (x, y).
        to: (i32, i32),
        /// Its colour in a downloaded file.
        stroke: &'static str,
    },
    /// A rectangle with rounded corners.
    Rect {
        /// The stylesheet's name for it.
        class: &'static str,
        /// Top-left corner (x, y).
        at: (i32, i32),
        /// Width and height.
        size: (i32, i32),
        /// Its colour in a downloaded file.
        fill: &'static str,
    },
    /// A text, its baseline at `at`'s y.
    Text {
        /// The stylesheet's name for it.
        class: &'static str,
        /// Where (x, y).
        at: (i32, i32),
        /// Where the text sits relative to x.
        anchor: Anchor,
        /// The words, drawn as text whatever they hold.
        text: String,
    },
}

/// Where a text sits relative to its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// x is where the text starts.
    Start,
    /// x is its middle.
    Middle,
    /// x is where it ends.
    End,
}

impl Anchor {
    /// The value of SVG's `text-anchor`.
    pub fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

impl Picture {
    /// An empty picture `width` × `height` pixels showing `title`.
    pub fn new(width: i32, height: i32, title: String) -> Picture {
        Picture {
            width,
            height,
            title,
            shapes: Vec::new(),
        }
    }

    /// Adds a line.
    pub fn line(
        &mut self,
        class: &'static str,
        from: (i32, i32),
        to: (i32, i32),
        stroke: &'static str,
    ) {
        self.shapes.push(Shape::Line {
            class,
            from,
            to,
            stroke,
        });
    }

    /// Adds a rectangle.
    pub fn rect(
        &mut self,
        class: &'static str,
        at: (i32, i32),
        size: (i32, i32),
        fill: &'static str,
    ) {
        self.shapes.push(Shape::Rect {
            class,
            at,
            size,
            fill,
        });
    }

    /// Adds a text.
    pub fn text(&mut self, class: &'static str, at: (i32, i32), anchor: Anchor, text: String) {
        self.shapes.push(Shape::Text {
            class,
            at,
            anchor,
            text,
        });
    }

    /// The picture as a standalone SVG file.
    pub fn to_svg(&self) -> String {
        let (width, height) = (self.width, self.height);
        let mut out = String::with_capacity(256 + self.shapes.len() * 96);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12"><title>"#
        );
        escape_into(&mut out, &self.title);
        out.push_str("</title>");
        for shape in &self.shapes {
            let _ = match shape {
                Shape::Line {
                    class,
                    from,
                    to,
                    stroke,
                } => write!(
                    out,
                    r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="2"/>"#,
                    from.0, from.1, to.0, to.1
                ),
                Shape::Rect {
                    class,
                    at,
                    size,
                    fill,
                } => write!(
                    out,
                    r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}"/>"#,
                    at.0, at.1, size.0, size.1
                ),
                Shape::Text {
                    class,
                    at,
                    anchor,
                    text,
                } => {
                    let _ = write!(
                        out,
                        r##"<text class="{class}" x="{}" y="{}" text-anchor="{}" fill="#1b1f24">"##,
                        at.0,
                        at.1,
                        anchor.name()
                    );
                    escape_into(&mut out, text);
                    out.push_str("</text>");
                    Ok(())
                }
            };
        }
        out.push_str("</svg>");
        out
    }
}

/// `text` with XML's five special characters escaped, so any text stays text.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
