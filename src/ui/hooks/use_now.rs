//! The clock: the only code that reads the time, ticking once a second.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::use_effect_key;
use crate::support::time::UnixSeconds;

/// The current time in whole seconds, re-rendering the component every second so that
/// "expires in …" and the Expired status stay true while the page is open.
#[hook]
pub fn use_now() -> UnixSeconds {
    use_now_every(1)
}

/// The current time, refreshed every `seconds`: for pages whose only time-dependent output is
/// a warning, which need not cost a rebuild every second.
#[hook]
pub fn use_now_every(seconds: u32) -> UnixSeconds {
    let now = use_state(current);
    {
        let now = now.clone();
        use_effect_key(
            u64::from(seconds),
            Box::new(move |seconds| {
                let every = u32::try_from(seconds.saturating_mul(1_000)).unwrap_or(u32::MAX);
                let interval = Interval::new(every, move || now.set(current()));
                Box::new(move || drop(interval))
            }),
        );
    }
    *now
}

#[cfg(target_arch = "wasm32")]
pub(super) fn current() -> UnixSeconds {
    (js_sys::Date::now() / 1000.0).floor() as UnixSeconds
}

/// The system clock, for pages rendered natively (`tests/it/ui_ssr.rs`), where no browser has a
/// `Date` to ask; or the instant a test fixed for its thread, so a page's snapshot shows the
/// same times every day.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn current() -> UnixSeconds {
    FIXED.with(std::cell::Cell::get).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| {
                UnixSeconds::try_from(d.as_secs()).unwrap_or(UnixSeconds::MAX)
            })
    })
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static FIXED: std::cell::Cell<Option<UnixSeconds>> = const { std::cell::Cell::new(None) };
}

/// Natively only: the clock of this thread reads `now` from here on (`None`: the system clock
/// again). Rendering tests fix it, since a page's times ("expires in 3 days") follow the clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn fix_native_clock(now: Option<UnixSeconds>) {
    FIXED.with(|fixed| fixed.set(now));
}
