//! Pictures drawn from what the core computes: inline SVG with a text equivalent beside it.
//!
//! Coordinates are whole pixels (no floating-point formatting in the wasm), colours come from
//! class names the page's stylesheet themes (light, dark, print) with presentation attributes
//! as the default a downloaded file keeps, and the page renders shapes as elements, never as markup, so a name from a
//! paste stays text.

pub mod chain;
pub mod graph;
pub mod path;
mod svg;
pub mod timeline;
pub mod usage;

pub use svg::{Anchor, Picture, Shape};
