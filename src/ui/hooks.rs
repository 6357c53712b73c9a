//! Hooks that bring the outside world (clock, location, WebCrypto) into components.

mod use_now;
mod use_route;
mod use_webcrypto;

pub use use_now::use_now;
pub use use_route::use_route;
pub use use_webcrypto::use_webcrypto;
