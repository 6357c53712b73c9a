//! The Activity page's state fed a file: chunks through the root reducer (which keeps the
//! same state while reading), then done, give the events a paste gives; Cancel keeps the
//! events before the file; Clear empties the page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::rc::Rc;

use tokenscope::ui::state::{Action, ActivityAction, AppState};
use yew::Reducible;

fn demo_log() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/audit2rbac/demo.log"
    ))
    .unwrap()
}

fn reduce(state: Rc<AppState>, action: impl Into<Action>) -> Rc<AppState> {
    state.reduce(action.into())
}

fn read_as_file(mut state: Rc<AppState>, text: &str, chunk: usize) -> Rc<AppState> {
    state = reduce(
        state,
        ActivityAction::FileStarted("audit.log".into(), text.len() as u64),
    );
    for piece in text.as_bytes().chunks(chunk) {
        let next = reduce(state.clone(), ActivityAction::FileChunk(piece.to_vec()));
        // A chunk changes no state: nothing re-renders while a file is read.
        assert!(Rc::ptr_eq(&next, &state));
        state = next;
    }
    reduce(state, ActivityAction::FileDone)
}

#[test]
fn a_file_read_in_chunks_gives_the_events_a_paste_gives() {
    let text = demo_log();
    let pasted = reduce(
        Rc::new(AppState::default()),
        ActivityAction::SetEvents(text.clone()),
    );
    for chunk in [1, 7, 4096, 1 << 20] {
        let opened = read_as_file(Rc::new(AppState::default()), &text, chunk);
        assert_eq!(
            opened.activity.events, pasted.activity.events,
            "chunks of {chunk}"
        );
        assert_eq!(
            opened.activity.file,
            Some(("audit.log".to_string(), text.len() as u64))
        );
        assert!(opened.activity.input.is_empty());
        assert!(opened.activity.reading.is_none());
    }
}

#[test]
fn cancel_keeps_the_events_before_the_file_and_clear_empties_the_page() {
    let text = demo_log();
    let before = reduce(
        Rc::new(AppState::default()),
        ActivityAction::SetEvents(text.clone()),
    );
    let generation = before.activity.generation;
    let mut state = reduce(
        before.clone(),
        ActivityAction::FileStarted("big.log".into(), 1 << 30),
    );
    state = reduce(
        state,
        ActivityAction::FileChunk(b"{\"kind\":\"Event\"".to_vec()),
    );
    state = reduce(state, ActivityAction::FileCancelled);
    assert_eq!(state.activity.events, before.activity.events);
    assert_eq!(state.activity.generation, generation);
    assert!(state.activity.reading.is_none());
    // A Done after a Cancel (a chunk in flight) changes nothing.
    let after = reduce(state.clone(), ActivityAction::FileDone);
    assert_eq!(after.activity.events, before.activity.events);
    let cleared = reduce(after, ActivityAction::FileCleared);
    assert!(cleared.activity.events.is_none());
    assert!(cleared.activity.file.is_none());
}
