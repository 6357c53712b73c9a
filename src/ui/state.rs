//! The app's state as Yew's reducer: the pure state and actions are [`crate::state`]; this
//! file only plugs them into `use_reducer`.

use std::rc::Rc;

use yew::Reducible;

pub use crate::state::*;

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A file's chunk goes into the reader the state holds, with no new state: reading a
        // file re-renders nothing but the file field's progress.
        if self.feed(&action) {
            return self;
        }
        // A copy of the state is a copy of its slices' pointers.
        Rc::new(Rc::unwrap_or_clone(self).apply(action))
    }
}
