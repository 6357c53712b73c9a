use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::time::UnixSeconds;

/// The current time in whole seconds, re-rendering the component every second so that
/// "expires in …" and the Expired status stay true while the page is open.
#[hook]
pub fn use_now() -> UnixSeconds {
    let now = use_state(current);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(1_000, move || now.set(current()));
            move || drop(interval)
        });
    }
    *now
}

fn current() -> UnixSeconds {
    (js_sys::Date::now() / 1000.0).floor() as UnixSeconds
}
