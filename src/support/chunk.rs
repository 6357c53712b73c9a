//! Reading a file in chunks, without the browser: the plan of byte ranges, the words and
//! numbers of the progress bar, and text rebuilt from chunks that may cut a UTF-8 character
//! or a line in two. The file field (`ui/components/file_field.rs`) only slices the `File`
//! and hands each chunk here, so all of this is tested natively.

use std::fmt;

/// Bytes read per chunk: small enough that reading one chunk of audit events stays well
/// under the 50 ms a main-thread task may take on a busy machine (on the shared 2-core
/// machine, 1 MiB took 52 to 167 ms in Chromium's wasm and 256 KiB still up to 166 ms under
/// a load of 11, `docs/benchmarks.md`), large enough that the browser's cost per read (a slice
/// and a promise) stays small.
pub const CHUNK_BYTES: u64 = 128 * 1024;

/// A paste longer than this is read as a file is (in chunks, never laid out as text).
pub const PASTE_AS_FILE: usize = 1024 * 1024;

/// Bytes of a file's first chunk. The first chunk runs code the page has not run yet, which
/// the browser compiles as it goes and then runs unoptimized, several times slower: 128 KiB
/// of YAML took one task of 66 to 88 ms in Chromium where later chunks take under 30. So the
/// chunks start at 16 KiB and double up to [`CHUNK_BYTES`].
pub const FIRST_CHUNK_BYTES: u64 = 16 * 1024;

/// The byte ranges `[start, end)` of a file of `size` bytes, `chunk` bytes each (the last
/// shorter); none for an empty file. A `chunk` of 0 is the file field's plan: from
/// [`FIRST_CHUNK_BYTES`], each chunk twice the last, up to [`CHUNK_BYTES`].
pub fn plan(size: u64, chunk: u64) -> impl Iterator<Item = (u64, u64)> {
    let (mut next, most) = match chunk {
        0 => (FIRST_CHUNK_BYTES, CHUNK_BYTES),
        chunk => (chunk, chunk),
    };
    let mut start = 0u64;
    std::iter::from_fn(move || {
        if start >= size {
            return None;
        }
        let end = start.saturating_add(next).min(size);
        let range = (start, end);
        start = end;
        next = next.saturating_mul(2).min(most);
        Some(range)
    })
}

/// `n` with thousands separated by commas: `48,112`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size as people read it: `812 bytes`, `4.0 KiB`, `63.9 MiB`, `1.0 GiB`; one decimal,
/// computed in integers (no float formatting in the wasm).
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            // In u64 (no 128-bit division in the wasm): exact below 1.8 EB.
            let tenths = n.saturating_mul(10).saturating_add(size / 2) / size;
            return format!("{}.{} {unit}", thousands(tenths / 10), tenths % 10);
        }
    }
    match n {
        1 => "1 byte".to_string(),
        n => format!("{n} bytes"),
    }
}

/// The share done, in whole percent, never 100 before the end.
pub fn percent(done: u64, total: u64) -> u64 {
    if total == 0 || done >= total {
        return 100;
    }
    (done.saturating_mul(100) / total).min(99)
}

/// What the progress bar says: `12.0 MiB of 64.0 MiB read (18%)`.
pub fn progress(done: u64, total: u64) -> String {
    format!(
        "{} of {} read ({}%)",
        bytes(done),
        bytes(total),
        percent(done, total)
    )
}

/// UTF-8 text from chunks that may end inside a character: the incomplete end of one chunk
/// (at most three bytes) is carried to the next. Bytes that are not UTF-8 become U+FFFD, as
/// the browser's `TextDecoder` makes them.
#[derive(Clone, Debug, Default)]
pub struct Utf8Carry {
    carry: Vec<u8>,
}

impl Utf8Carry {
    /// The text of `chunk` (with what was carried before it) that is complete.
    pub fn push(&mut self, chunk: &[u8]) -> String {
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(chunk);
        let keep = incomplete_tail(&bytes);
        let cut = bytes.len() - keep;
        self.carry = bytes.split_off(cut);
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    /// What is left at the end of the file: an incomplete character, as U+FFFD.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.carry);
        String::from_utf8_lossy(&rest).into_owned()
    }
}

/// How many bytes at the end of `bytes` begin a character that is not complete yet.
fn incomplete_tail(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let Some(&b) = bytes.get(bytes.len() - back) else {
            return 0;
        };
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead
        }
        let needed = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if needed > back { back } else { 0 };
    }
    0
}

/// Refused: the text would pass its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The bound, in bytes.
    pub limit: usize,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The file is larger than the {} this field reads; keep the part you need (for example with grep or jq) and open that.",
            bytes(self.limit as u64)
        )
    }
}

impl std::error::Error for TooLarge {}

/// A file's whole text, gathered chunk by chunk, for a field whose reader needs all of it at
/// once: UTF-8 safe across chunk boundaries and bounded to `limit` bytes, so an oversized
/// file is refused at the chunk that passes the bound, not after reading all of it.
#[derive(Clone, Debug)]
pub struct Text {
    text: String,
    carry: Utf8Carry,
    limit: usize,
}

impl Text {
    /// An empty text that may grow to `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Text {
            text: String::new(),
            carry: Utf8Carry::default(),
            limit,
        }
    }

    /// Adds one chunk.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        if self.text.len().saturating_add(chunk.len()) > self.limit.saturating_add(3) {
            return Err(TooLarge { limit: self.limit });
        }
        let more = self.carry.push(chunk);
        self.text.push_str(&more);
        if self.text.len() > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        Ok(())
    }

    /// The text, once the last chunk is in.
    pub fn finish(mut self) -> Result<String, TooLarge> {
        let rest = self.carry.finish();
        self.text.push_str(&rest);
        if self.text.len() > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        Ok(self.text)
    }
}

/// Whole lines from chunks: the part of a line a chunk ends in is carried to the next. A
/// line is the bytes before a `\n` (a `\r` before it is dropped, as `str::lines` does), so
/// lines read from chunks are the lines of the whole text, at any cut.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    carry: Vec<u8>,
    /// Lines handed out so far: the next line's number is one more.
    pub count: usize,
    /// Bytes copied into the carry, counted for `tests/it/bounds.rs`: each byte at most once.
    pub copied: usize,
}

impl Lines {
    /// Calls `each(number, line)` for every line `chunk` completes, numbered from 1.
    pub fn push(&mut self, chunk: &[u8], mut each: impl FnMut(usize, &[u8])) {
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(at);
            rest = after.get(1..).unwrap_or_default();
            self.count += 1;
            if self.carry.is_empty() {
                each(self.count, strip_cr(line));
            } else {
                self.carry.extend_from_slice(line);
                self.copied += line.len();
                let whole = std::mem::take(&mut self.carry);
                each(self.count, strip_cr(&whole));
            }
        }
        self.carry.extend_from_slice(rest);
        self.copied += rest.len();
    }

    /// The bytes carried: the start of a line with no `\n` yet.
    pub fn pending(&self) -> usize {
        self.carry.len()
    }

    /// The last line, when the text does not end with `\n`.
    pub fn finish(&mut self, mut each: impl FnMut(usize, &[u8])) {
        if !self.carry.is_empty() {
            let whole = std::mem::take(&mut self.carry);
            self.count += 1;
            each(self.count, strip_cr(&whole));
        }
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}
