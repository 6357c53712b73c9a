//! One component per page, selected by [`crate::ui::route::Route`].

mod inspect;
mod not_found;

pub use inspect::Inspect;
pub use not_found::NotFound;
