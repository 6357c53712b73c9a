//! The chunk logic of the file field: byte ranges, progress words, and text and lines rebuilt
//! from chunks cut anywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tokenscope::support::chunk::{self, Lines, Text, TooLarge, Utf8Carry};

#[test]
fn the_plan_covers_the_file_once_in_order() {
    let ranges: Vec<_> = chunk::plan(10, 4).collect();
    assert_eq!(ranges, vec![(0, 4), (4, 8), (8, 10)]);
    assert_eq!(chunk::plan(0, 4).count(), 0);
    assert_eq!(chunk::plan(8, 4).count(), 2);
    // The file field's plan: small chunks first, while the page's code is still cold.
    let gib: Vec<_> = chunk::plan(1 << 30, 0).collect();
    let kib = |n: u64| n << 10;
    assert_eq!(
        gib[..4],
        [
            (0, kib(16)),
            (kib(16), kib(48)),
            (kib(48), kib(112)),
            (kib(112), kib(240))
        ]
    );
    assert!(gib.windows(2).all(|w| w[0].1 == w[1].0));
    assert!(gib[3..].iter().all(|(a, b)| b - a <= chunk::CHUNK_BYTES));
    assert_eq!(gib.len() as u64, (1 << 30) / chunk::CHUNK_BYTES + 3);
    assert_eq!(gib.last(), Some(&((1 << 30) - kib(16), 1 << 30)));
}

#[test]
fn sizes_and_progress_read_as_people_write_them() {
    assert_eq!(chunk::bytes(0), "0 bytes");
    assert_eq!(chunk::bytes(1), "1 byte");
    assert_eq!(chunk::bytes(1023), "1023 bytes");
    assert_eq!(chunk::bytes(1024), "1.0 KiB");
    assert_eq!(chunk::bytes(64 << 20), "64.0 MiB");
    assert_eq!(chunk::bytes((64 << 20) - 100_000), "63.9 MiB");
    assert_eq!(chunk::bytes(5 << 40), "5,120.0 GiB");
    assert_eq!(chunk::thousands(48_112), "48,112");
    assert_eq!(chunk::thousands(999), "999");
    assert_eq!(chunk::thousands(1_000_000), "1,000,000");
    assert_eq!(
        chunk::progress(12 << 20, 64 << 20),
        "12.0 MiB of 64.0 MiB read (18%)"
    );
    assert_eq!(chunk::percent(999, 1000), 99);
    assert_eq!(chunk::percent(1000, 1000), 100);
    assert_eq!(chunk::percent(0, 0), 100);
}

/// Every way of cutting `text` in two and in three pieces.
fn cuts(bytes: &[u8]) -> Vec<Vec<&[u8]>> {
    let mut out = vec![vec![bytes]];
    for i in 0..=bytes.len() {
        out.push(vec![&bytes[..i], &bytes[i..]]);
        for j in i..=bytes.len() {
            out.push(vec![&bytes[..i], &bytes[i..j], &bytes[j..]]);
        }
    }
    out
}

#[test]
fn text_from_chunks_is_the_text_at_any_cut() {
    let text = "a é\r\n€ 𝄞\nkubectl — ok\n";
    for pieces in cuts(text.as_bytes()) {
        let mut carry = Utf8Carry::default();
        let mut got: String = pieces.iter().map(|p| carry.push(p)).collect();
        got.push_str(&carry.finish());
        assert_eq!(got, text, "{pieces:?}");
        let mut acc = Text::new(1024);
        for p in &pieces {
            acc.push(p).unwrap();
        }
        assert_eq!(acc.finish().unwrap(), text);
    }
}

#[test]
fn bytes_that_are_not_utf8_become_replacement_characters() {
    let mut carry = Utf8Carry::default();
    let mut got = carry.push(b"a\xff b\xe2\x82");
    got.push_str(&carry.finish());
    assert_eq!(got, "a\u{fffd} b\u{fffd}");
}

#[test]
fn text_past_its_bound_is_refused_at_the_chunk_that_passes_it() {
    let mut acc = Text::new(10);
    acc.push(b"0123456789").unwrap();
    assert_eq!(acc.push(b"a"), Err(TooLarge { limit: 10 }));
    assert!(TooLarge { limit: 4 << 20 }.to_string().contains("4.0 MiB"));
}

#[test]
fn lines_from_chunks_are_the_lines_of_the_whole_text() {
    let text = "{\"a\":1}\r\n\n{\"b\":\"é\"}\nlast";
    let whole: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect();
    for pieces in cuts(text.as_bytes()) {
        let mut lines = Lines::default();
        let mut got = Vec::new();
        for p in &pieces {
            lines.push(p, |n, l| {
                got.push((n, String::from_utf8(l.to_vec()).unwrap()))
            });
        }
        lines.finish(|n, l| got.push((n, String::from_utf8(l.to_vec()).unwrap())));
        assert_eq!(got, whole, "{pieces:?}");
    }
}
