//! Each page's state fed a file (Activity's audit events, Access's Cluster RBAC, Audit's
//! Secrets): chunks through the root reducer (which keeps the same state while reading), then
//! done, give what a paste of the same text gives; Cancel keeps the answer before the file;
//! Clear empties the page. The texts are real samples from `tests/fixtures/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::rc::Rc;

use tokenscope::support::time::UnixSeconds;
use tokenscope::ui::state::{
    AccessAction, Action, ActivityAction, AppState, AuditAction, FileEvent,
};
use yew::Reducible;

const NOW: UnixSeconds = 1_780_000_000;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap()
}

fn reduce(state: Rc<AppState>, action: impl Into<Action>) -> Rc<AppState> {
    state.reduce(action.into())
}

/// The three big fields, as the action a file event is to each.
#[derive(Clone, Copy, Debug)]
enum Field {
    Activity,
    Access,
    Audit,
}

impl Field {
    fn file(self, event: FileEvent) -> Action {
        match self {
            Field::Activity => ActivityAction::File(event).into(),
            Field::Access => AccessAction::File(event).into(),
            Field::Audit => AuditAction::File { event, now: NOW }.into(),
        }
    }

    fn paste(self, text: String) -> Action {
        match self {
            Field::Activity => ActivityAction::SetEvents(text).into(),
            Field::Access => AccessAction::SetPolicy(text).into(),
            Field::Audit => AuditAction::SetInput { text, now: NOW }.into(),
        }
    }

    /// What the page shows, as one comparable text, and its generation.
    fn answer(self, state: &AppState) -> (String, u64) {
        match self {
            Field::Activity => (
                format!("{:?}", state.activity.events),
                state.activity.generation,
            ),
            Field::Access => (
                format!("{:?}", state.access.policy),
                state.access.generation,
            ),
            Field::Audit => (format!("{:?}", state.audit.audit), state.audit.generation),
        }
    }

    fn reading(self, state: &AppState) -> bool {
        match self {
            Field::Activity => state.activity.reading.is_some(),
            Field::Access => state.access.reading.is_some(),
            Field::Audit => state.audit.reading.is_some(),
        }
    }

    fn sample(self) -> String {
        match self {
            Field::Activity => fixture("audit2rbac/demo.log"),
            Field::Access => fixture("dumps/k8s-bootstrap-namespace-roles.yaml"),
            Field::Audit => fixture("dumps/island-orchestration-secretlist.json"),
        }
    }
}

const FIELDS: [Field; 3] = [Field::Activity, Field::Access, Field::Audit];

fn read_as_file(field: Field, mut state: Rc<AppState>, text: &str, chunk: usize) -> Rc<AppState> {
    state = reduce(
        state,
        field.file(FileEvent::Started("dump".into(), text.len() as u64)),
    );
    for piece in text.as_bytes().chunks(chunk) {
        let next = reduce(state.clone(), field.file(FileEvent::Chunk(piece.to_vec())));
        // A chunk changes no state: nothing re-renders while a file is read.
        assert!(Rc::ptr_eq(&next, &state), "{field:?}");
        state = next;
    }
    // Settling ends the dump in a task of its own, and changes no state either.
    let settled = reduce(state.clone(), field.file(FileEvent::Settle));
    assert!(Rc::ptr_eq(&settled, &state), "{field:?}");
    reduce(settled, field.file(FileEvent::Done))
}

#[test]
fn a_file_read_in_chunks_gives_what_a_paste_gives() {
    for field in FIELDS {
        let text = field.sample();
        let pasted = reduce(Rc::new(AppState::default()), field.paste(text.clone()));
        assert!(!field.answer(&pasted).0.contains("Err"), "{field:?}");
        for chunk in [1, 7, 4096, 1 << 20] {
            let opened = read_as_file(field, Rc::new(AppState::default()), &text, chunk);
            assert_eq!(
                field.answer(&opened).0,
                field.answer(&pasted).0,
                "{field:?}, chunks of {chunk}"
            );
            assert!(!field.reading(&opened));
        }
        // A Done with no Settle before it ends the dump itself.
        let mut state = reduce(
            Rc::new(AppState::default()),
            field.file(FileEvent::Started("dump".into(), text.len() as u64)),
        );
        state = reduce(
            state,
            field.file(FileEvent::Chunk(text.clone().into_bytes())),
        );
        let unsettled = reduce(state, field.file(FileEvent::Done));
        assert_eq!(
            field.answer(&unsettled).0,
            field.answer(&pasted).0,
            "{field:?}"
        );
    }
}

#[test]
fn the_file_is_named_with_what_was_read_and_the_field_is_emptied() {
    let text = Field::Access.sample();
    let opened = read_as_file(Field::Access, Rc::new(AppState::default()), &text, 4096);
    let file = opened.access.file.clone().unwrap();
    assert_eq!((file.name.as_str(), file.size), ("dump", text.len() as u64));
    assert_eq!(file.summary, "7 roles and bindings");
    assert!(opened.access.input.is_empty());
    // Typing into the field again forgets the file.
    let typed = reduce(opened, AccessAction::SetPolicy(text.clone()));
    assert!(typed.access.file.is_none());

    let text = Field::Audit.sample();
    let opened = read_as_file(Field::Audit, Rc::new(AppState::default()), &text, 4096);
    let file = opened.audit.file.clone().unwrap();
    assert!(file.summary.ends_with("objects"), "{}", file.summary);
    assert!(opened.audit.input.is_empty());
    assert_eq!(opened.audit.selected.len(), opened.audit.rows());
}

#[test]
fn activity_names_its_file_with_the_events_and_subjects_read() {
    let text = Field::Activity.sample();
    for chunk in [1, 7, 4096] {
        let opened = read_as_file(Field::Activity, Rc::new(AppState::default()), &text, chunk);
        let file = opened.activity.file.clone().unwrap();
        assert_eq!((file.name.as_str(), file.size), ("dump", text.len() as u64));
        assert_eq!(file.summary, "37 events, 3 subjects", "chunks of {chunk}");
        assert!(opened.activity.input.is_empty());
        // Typing into the field again forgets the file.
        let typed = reduce(opened, ActivityAction::SetEvents(text.clone()));
        assert!(typed.activity.file.is_none());
    }
    // One EventList spread over lines is read only when its last chunk is in: the summary
    // still counts its events (the real webhook batch, pretty-printed as `jq .` prints it).
    let batch = fixture("activity/webhook-eventlists.jsonl");
    let list: serde_json::Value = serde_json::from_str(batch.lines().last().unwrap()).unwrap();
    let spread = serde_json::to_string_pretty(&list).unwrap();
    let opened = read_as_file(Field::Activity, Rc::new(AppState::default()), &spread, 64);
    assert_eq!(
        opened.activity.file.clone().unwrap().summary,
        "1 event, 1 subject"
    );
}

#[test]
fn a_broken_file_says_where_and_keeps_nothing_half_read() {
    let broken = "apiVersion: v1\nkind: List\nitems:\n- kind: Role\n  metadata: {name: [\n";
    let opened = read_as_file(Field::Access, Rc::new(AppState::default()), broken, 8);
    let error = match &opened.access.policy {
        Some(Err(e)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert!(error.contains("line"), "{error}");
    let opened = read_as_file(
        Field::Audit,
        Rc::new(AppState::default()),
        "{\"items\": [1,",
        3,
    );
    assert!(matches!(opened.audit.audit, Some(Err(_))));
}

#[test]
fn cancel_keeps_the_answer_before_the_file_and_clear_empties_the_page() {
    for field in FIELDS {
        let before = reduce(Rc::new(AppState::default()), field.paste(field.sample()));
        let (answer, generation) = field.answer(&before);
        let mut state = reduce(
            before.clone(),
            field.file(FileEvent::Started("big".into(), 1 << 30)),
        );
        state = reduce(state, field.file(FileEvent::Chunk(b"{\"kind\":".to_vec())));
        state = reduce(state, field.file(FileEvent::Cancelled));
        assert_eq!(
            field.answer(&state),
            (answer.clone(), generation),
            "{field:?}"
        );
        assert!(!field.reading(&state));
        // A Done after a Cancel (a chunk in flight) changes nothing.
        let after = reduce(state.clone(), field.file(FileEvent::Done));
        assert_eq!(field.answer(&after).0, answer, "{field:?}");
        let cleared = reduce(after, field.file(FileEvent::Cleared));
        assert_eq!(field.answer(&cleared).0, "None", "{field:?}");
    }
}
