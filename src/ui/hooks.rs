//! Hooks that bring the outside world (clock, location, WebCrypto, the service worker, the
//! browser's frames) into components.

mod use_after_paint;
mod use_effect_key;
mod use_hash;
mod use_now;
mod use_offline;
mod use_rehearsal;
mod use_webcrypto;

pub use use_after_paint::use_after_paint;
pub use use_effect_key::{nothing, use_effect_key, Undo};
pub use use_hash::use_hash;
#[cfg(not(target_arch = "wasm32"))]
pub use use_now::fix_native_clock;
pub use use_now::{use_now, use_now_every};
pub use use_offline::{use_offline, use_update, Offline};
pub use use_rehearsal::use_rehearsal;
pub use use_webcrypto::use_webcrypto;
