//! Long work in parts: a computation written once as an `async fn` that counts its entries and
//! awaits a pause after each part. On a page the pause is the next task, so the browser paints
//! and handles input between parts; natively, and wherever the answer is wanted at once, there
//! is no pause and the same code gives the same answer in one call.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// What work in parts awaits between its parts: on a page, the next task.
pub type Pause<'p> = &'p mut dyn FnMut() -> Pin<Box<dyn Future<Output = ()>>>;

/// Counts the entries of some work and hands out its pause (if any) after each part.
pub struct Paced<'p> {
    pause: Option<Pause<'p>>,
    per_part: usize,
    done: usize,
}

impl<'p> Paced<'p> {
    /// Pauses after each `per_part` entries, awaiting `pause`; with `None`, never.
    pub fn new(pause: Option<Pause<'p>>, per_part: usize) -> Paced<'p> {
        Paced {
            pause,
            per_part,
            done: 0,
        }
    }

    /// One more entry done; past a part's worth, the pause to await.
    pub fn tick(&mut self) -> Option<Pin<Box<dyn Future<Output = ()>>>> {
        let pause = self.pause.as_mut()?;
        self.done += 1;
        if self.done < self.per_part {
            return None;
        }
        self.done = 0;
        Some(pause())
    }
}

impl Paced<'_> {
    /// Makes room for `entries` done in one step that cannot pause (a sort, a merge): when
    /// they would overfill the current part, the pause to await first, so the step starts a
    /// part of its own. A step of more than a part's entries is a part on its own, and the next
    /// tick pauses.
    pub fn room(&mut self, entries: usize) -> Option<Pin<Box<dyn Future<Output = ()>>>> {
        let pause = self.pause.as_mut()?;
        if self.done.saturating_add(entries) <= self.per_part {
            self.done += entries;
            return None;
        }
        self.done = entries;
        Some(pause())
    }
}

/// The value of work whose [`Paced`] has no pause: ready at its first poll, since nothing it
/// awaits is ever pending. A pending poll (a pause given by mistake) gives the empty value,
/// not a spin.
pub fn at_once<T: Default>(work: impl Future<Output = T>) -> T {
    let mut work = pin!(work);
    match work.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => T::default(),
    }
}
