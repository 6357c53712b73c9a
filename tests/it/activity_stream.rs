//! Audit events read from a file in chunks give what a whole read gives, on real logs cut at
//! every awkward place: inside a UTF-8 character, inside a line, between `\r` and `\n`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::activity::{
    read, select, select_tally, ReadError, Stream, Tally, Whose, MAX_DISTINCT,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

/// The real logs: audit2rbac's demo log, the KodeKloud lab's lines, and a webhook backend's
/// EventLists (sources in each folder's README).
fn real() -> Vec<(&'static str, String)> {
    [
        "audit2rbac/demo.log",
        "activity/kodekloud-cks4-audit.jsonl",
        "activity/webhook-eventlists.jsonl",
    ]
    .into_iter()
    .map(|name| {
        (
            name,
            std::fs::read_to_string(format!("{DIR}{name}")).unwrap(),
        )
    })
    .collect()
}

fn streamed(bytes: &[u8], cuts: &[usize]) -> Result<Tally, ReadError> {
    let mut stream = Stream::new();
    let mut at = 0;
    for &cut in cuts {
        stream.push(&bytes[at..cut]);
        at = cut;
    }
    stream.push(&bytes[at..]);
    assert_eq!(stream.bytes(), bytes.len() as u64);
    stream.finish()
}

/// The awkward cuts of `bytes`: next to every line break and inside or beside every byte
/// that is not ASCII, and every 61st byte besides (every cut of a whole log takes minutes).
fn awkward(bytes: &[u8]) -> Vec<usize> {
    (0..=bytes.len())
        .filter(|&i| {
            let near = |j: usize| {
                bytes
                    .get(j)
                    .is_some_and(|b| matches!(b, b'\n' | b'\r') || !b.is_ascii())
            };
            i % 61 == 0 || near(i) || (i > 0 && near(i - 1))
        })
        .collect()
}

fn whole(text: &str) -> Result<Tally, ReadError> {
    read(text).map(Tally::from_events)
}

/// The users of a log, each asked for as a subject and as a token.
fn everyone(tally: &Tally) -> Vec<Whose> {
    let mut users: Vec<String> = tally.events.iter().map(|t| t.event.user.clone()).collect();
    users.sort();
    users.dedup();
    users
        .into_iter()
        .map(|username| Whose::Token {
            username,
            jti: None,
        })
        .collect()
}

#[test]
fn a_chunked_read_equals_a_whole_read_at_every_cut() {
    for (name, text) in real() {
        let expected = whole(&text).unwrap();
        assert!(expected.total > 0, "{name}");
        let bytes = text.as_bytes();
        for cut in awkward(bytes) {
            assert_eq!(
                streamed(bytes, &[cut]).unwrap(),
                expected,
                "{name} cut at {cut}"
            );
        }
        // One byte at a time: every character and every line cut.
        let all: Vec<usize> = (1..bytes.len()).collect();
        assert_eq!(streamed(bytes, &all).unwrap(), expected, "{name} bytewise");
    }
}

#[test]
fn crlf_and_multibyte_text_cut_anywhere_read_the_same() {
    for (name, text) in real() {
        // Windows line ends, and a non-ASCII name in every event's reason.
        let text = text
            .replace("\"stage\"", "\"annotations\":{\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding \\\"lecture-€-𝄞\\\"\"},\"stage\"")
            .replace('\n', "\r\n");
        let expected = whole(&text).unwrap();
        let bytes = text.as_bytes();
        for cut in awkward(bytes) {
            let pair = [cut.saturating_sub(1), cut];
            assert_eq!(
                streamed(bytes, &pair).unwrap(),
                expected,
                "{name} cut at {cut}"
            );
        }
    }
}

#[test]
fn rows_from_a_tally_equal_rows_from_every_event() {
    for (name, text) in real() {
        let events = read(&text).unwrap();
        let tally = Tally::from_events(events.clone());
        for whose in everyone(&tally) {
            assert_eq!(
                select_tally(&tally, &whose),
                select(&events, &whose),
                "{name} {whose:?}"
            );
        }
    }
}

#[test]
fn a_log_repeated_a_thousand_times_keeps_each_distinct_event_once() {
    let text = &real()[0].1;
    let once = whole(text).unwrap();
    let mut stream = Stream::new();
    for _ in 0..1000 {
        stream.push(text.as_bytes());
    }
    let tally = stream.finish().unwrap();
    assert_eq!(tally.events.len(), once.events.len());
    assert_eq!(tally.total, once.total * 1000);
    assert_eq!(tally.dropped, 0);
    let counts: Vec<usize> = tally.events.iter().map(|t| t.count).collect();
    let expected: Vec<usize> = once.events.iter().map(|t| t.count * 1000).collect();
    assert_eq!(counts, expected);
}

#[test]
fn an_eventlist_spread_over_lines_is_read_whole_from_chunks() {
    let text = &real()[0].1;
    let items: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let list = format!(
        "{{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [\n{}\n  ]\n}}\n",
        items.join(",\n")
    );
    let expected = whole(&list).unwrap();
    assert_eq!(expected.total, 37);
    for cut in (0..list.len()).step_by(97) {
        assert_eq!(streamed(list.as_bytes(), &[cut]).unwrap(), expected);
    }
}

#[test]
fn distinct_events_past_the_bound_are_counted_as_dropped() {
    let line = |i: usize| {
        format!(
            "{{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{{\"username\":\"u\"}},\"objectRef\":{{\"resource\":\"pods\",\"namespace\":\"ns\",\"name\":\"p{i}\"}}}}\n"
        )
    };
    let mut stream = Stream::new();
    let extra = 25;
    for i in 0..MAX_DISTINCT + extra {
        stream.push(line(i).as_bytes());
    }
    // A repeat of a kept event still counts.
    stream.push(line(0).as_bytes());
    let tally = stream.finish().unwrap();
    assert_eq!(tally.events.len(), MAX_DISTINCT);
    assert_eq!(tally.dropped, extra);
    assert_eq!(tally.total, MAX_DISTINCT + extra + 1);
    assert_eq!(tally.events[0].count, 2);
}

#[test]
fn a_line_that_never_ends_is_refused_with_its_number() {
    let mut stream = Stream::new();
    stream.push(b"{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{\"username\":\"u\"},\"requestURI\":\"/healthz\"}\n");
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..33 {
        stream.push(&chunk);
    }
    let err = stream.finish().unwrap_err();
    assert_eq!(err, ReadError::LineTooLong { line: 2 });
    assert!(err.to_string().contains("jq -c '.items[]'"));
}

#[test]
fn broken_lines_keep_their_numbers_when_read_from_chunks() {
    let text = "{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"user\":{\"username\":\"u\"},\"requestURI\":\"/healthz\"}\r\nnot json\r\n\r\n{\"kind\":\"Event\"}\r\n";
    let expected = whole(text).unwrap();
    assert_eq!(expected.problem_count, 2);
    assert_eq!(expected.problems[1].line, 4);
    for cut in 0..=text.len() {
        assert_eq!(streamed(text.as_bytes(), &[cut]).unwrap(), expected);
    }
}
