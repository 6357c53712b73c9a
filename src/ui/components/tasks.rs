//! Work spread over the browser's tasks: the next task, the pause long work in parts awaits
//! ([`crate::support::parts`]), and work dropped when what it was for has changed.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use wasm_bindgen_futures::JsFuture;

/// Resolves in a later task (a zero timeout), so what follows does not lengthen this one.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The pause of work in parts on a page: the next task, so the browser paints and handles
/// input between parts.
pub fn task_pause() -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(next_task())
}

/// `work`'s value, or `None` once `alive` is false: a new paste or question stops the work at
/// its next pause, and its answer is not wanted.
pub async fn unless_stopped<T>(alive: &Cell<bool>, work: impl Future<Output = T>) -> Option<T> {
    let mut work = std::pin::pin!(work);
    std::future::poll_fn(|cx| match alive.get() {
        true => work.as_mut().poll(cx).map(Some),
        false => Poll::Ready(None),
    })
    .await
}
