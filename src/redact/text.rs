//! Secrets found in any text, by their shape: what Redact masks where a page renders text that
//! came from a paste (a diagnosis quoting an error line, a log's reason, a table cell).
//!
//! The pages mask what they decoded by meaning (`redact::jwt`); this is the net under
//! everything else they show. A token embedded in an x509 line, a 401 message or an
//! authorizer's reason has no meaning the page decoded, only a shape: a JWT's segments, the
//! token after `Bearer `, the value of a `token` or `--token`, a PEM private key's body (or
//! base64 of the whole block, as a kubeconfig's `client-key-data` holds it), the values under a
//! Secret's `data` or `stringData`. Every pass moves forward only, so the work
//! is linear in the text, and a span never splits a character.

use std::borrow::Cow;
use std::ops::Range;

/// What a masked span of text held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// The payload and signature of a compact JWS or JWE (`eyJ….….…`), also of one cut short
    /// or detached (`eyJ…..sig`): the header stays, it names the algorithm and the key.
    Jwt,
    /// Base64 of a JWT (`ZXlK…`), as a Secret's `data.token` or a `kubectl get -o json` holds it.
    EncodedJwt,
    /// A credential after `Bearer `, or the value of a `token`, `--token`, `password` or
    /// `client-key-data` key or flag.
    Credential,
    /// The body of a PEM `… PRIVATE KEY` block; its BEGIN and END lines stay. Also base64 of
    /// such a block (a `client-key-data` value pasted alone, `base64 client.key`), all of it.
    PrivateKey,
    /// A value under a Secret's `data` or `stringData` (YAML or JSON, also escaped in a string).
    SecretData,
}

/// One secret in a text: its byte range (on character boundaries) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Where it is in the text.
    pub range: Range<usize>,
    /// What it is.
    pub kind: Secret,
}

/// The secrets in `text`, in order, not overlapping.
pub fn secret_spans(text: &str) -> Vec<Span> {
    secret_spans_counted(text).0
}

/// [`secret_spans`] and the bytes its passes stepped over, for the bounds tests: every pass
/// moves forward only, so this stays within a small multiple of the text's length.
pub fn secret_spans_counted(text: &str) -> (Vec<Span>, usize) {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        spans: Vec::new(),
        work: 0,
    };
    scan.words();
    scan.credentials();
    scan.private_keys();
    scan.secret_data();
    let Scan {
        mut spans, work, ..
    } = scan;
    crate::support::sort::stable_by(&mut spans, |a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.range.start < last.range.end => {
                last.range.end = last.range.end.max(span.range.end);
            }
            _ => merged.push(span),
        }
    }
    let work = work + merged.len();
    (merged, work)
}

/// `text` with every secret span replaced by [`hide`] of it; borrowed when there is none, so
/// text without secrets costs one scan and no copy.
pub fn masked(text: &str) -> Cow<'_, str> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in &spans {
        out.push_str(text.get(at..span.range.start).unwrap_or_default());
        out.push_str(&hide(text.get(span.range.clone()).unwrap_or_default()));
        at = span.range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// What a secret span shows: four leading characters of a long one (so two tokens can be told
/// apart; four characters of a token are not a token), none of a short one (four characters of
/// an eight-character password are half of it), then a fixed run of dots.
pub fn hide(secret: &str) -> String {
    let keep: String = if secret.chars().count() >= 16 {
        secret.chars().take(4).collect()
    } else {
        String::new()
    };
    format!("{keep}••••••••")
}

/// Bytes of a token: base64url, base64, and the `~` of RFC 6750's token68.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
}

/// Bytes of a base64url segment, and its `.`.
fn is_jws_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// Base64 of `-----BEGIN`, as the base64 of a whole PEM block starts.
const PEM_BEGIN_B64: &[u8] = b"LS0tLS1CRUdJTi";

/// The credential keys and flags whose value is masked (the key's name, compared without case).
const CREDENTIAL_KEYS: [&[u8]; 4] = [b"token", b"password", b"client-key-data", b"bearer"];

struct Scan<'a> {
    bytes: &'a [u8],
    spans: Vec<Span>,
    work: usize,
}

impl Scan<'_> {
    /// Records a span, unless it is a mask already: the kept prefix of one (`eyJp••••••••`), or
    /// a token the pages masked by meaning (`eyJhbGciOi….eyJp-REDACTED.c2ln-REDACTED`), which
    /// stays as the page wrote it.
    fn push(&mut self, range: Range<usize>, kind: Secret) {
        let text = self.bytes.get(range.clone()).unwrap_or_default();
        let prefix_of_mask = self
            .bytes
            .get(range.end..)
            .is_some_and(|rest| rest.starts_with("•".as_bytes()));
        if range.start < range.end && !prefix_of_mask && !masked_token(text) {
            self.spans.push(Span { range, kind });
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    /// The end of the run of bytes from `i` that `keep` accepts.
    fn run(&mut self, mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
        while i < self.bytes.len() && keep(self.at(i)) {
            i += 1;
            self.work += 1;
        }
        i
    }

    /// JWTs, base64 of JWTs and base64 of PEM private keys: one pass over the maximal runs of
    /// token bytes.
    fn words(&mut self) {
        let mut i = 0;
        while i < self.bytes.len() {
            if !is_jws_byte(self.at(i)) {
                i += 1;
                self.work += 1;
                continue;
            }
            let end = self.run(i, is_jws_byte);
            self.jws(i, end);
            // Base64 of a JWT uses `+` and `/` too: its run is read on its own terms.
            if self.bytes.get(i..i + 4) == Some(b"ZXlK") {
                let end64 = self.run(i, |b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
                });
                if end64 - i >= 24 {
                    self.push(i + 4..end64, Secret::EncodedJwt);
                }
                i = end.max(end64);
            } else if self.bytes.get(i..i + PEM_BEGIN_B64.len()) == Some(PEM_BEGIN_B64) {
                i = end.max(self.encoded_key(i));
            } else {
                i = end;
            }
        }
    }

    /// Base64 of PEM text from `start` (`LS0tLS1CRUdJTi`, "-----BEGIN"): masked whole when its
    /// first line names a private key, also wrapped over lines as `base64` writes it. Where it
    /// ended.
    fn encoded_key(&mut self, start: usize) -> usize {
        let is_b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
        let mut end = self.run(start, is_b64);
        let head = self.bytes.get(start..end).unwrap_or_default();
        let head = head.get(..head.len().min(64) / 4 * 4).unwrap_or_default();
        let label = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, head)
            .unwrap_or_default();
        let first_line = label.split(|&b| b == b'\n').next().unwrap_or_default();
        if !first_line.windows(11).any(|w| w == b"PRIVATE KEY") {
            return end;
        }
        // A wrapped line (60 characters or more) goes on after its line break.
        let mut line_start = start;
        while end - line_start >= 60 {
            let next = self.run(end, |b| b == b'\r' || b == b'\n');
            if next == end || next - end > 2 || !is_b64(self.at(next)) {
                break;
            }
            line_start = next;
            end = self.run(next, is_b64);
        }
        self.push(start..end, Secret::PrivateKey);
        end
    }

    /// In the run `start..end` of base64url and dots, the first `eyJ` segment followed by
    /// another (a JWS or JWE, also cut short, detached or unsigned): everything after its first
    /// dot to the end of the run is masked.
    fn jws(&mut self, start: usize, end: usize) {
        let mut seg = start;
        while seg < end {
            let dot = (seg..end).find(|&j| self.at(j) == b'.').unwrap_or(end);
            self.work += dot - seg;
            let header = self.bytes.get(seg..dot).unwrap_or_default();
            if header.starts_with(b"eyJ") && header.len() >= 8 && dot < end {
                // A sentence's full stop after the token is not part of it.
                let mut last = end;
                while last > dot + 1 && self.at(last - 1) == b'.' {
                    last -= 1;
                }
                if last > dot + 1 {
                    self.push(dot + 1..last, Secret::Jwt);
                    return;
                }
            }
            seg = dot + 1;
        }
    }

    /// The value after `Bearer ` and after a `token`, `--token`, `password` or
    /// `client-key-data` key or flag (`token: …`, `"token":"…"`, `--token=…`, `--token …`).
    fn credentials(&mut self) {
        let mut i = 0;
        while i < self.bytes.len() {
            self.work += 1;
            let key = CREDENTIAL_KEYS.iter().find(|k| {
                self.bytes
                    .get(i..i + k.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(k))
            });
            let Some(key) = key else {
                i += 1;
                continue;
            };
            let before = i.checked_sub(1).map(|p| self.at(p));
            let flag = i >= 2 && self.bytes.get(i - 2..i) == Some(b"--");
            i += key.len();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                continue;
            }
            let mut j = i;
            let bearer = *key == b"bearer";
            if bearer {
                let after = self.run(j, |b| b == b' ' || b == b'\t');
                if after == j {
                    continue;
                }
                j = after;
            } else {
                j = self.run(j, |b| matches!(b, b'"' | b'\'' | b'\\'));
                j = self.run(j, |b| b == b' ' || b == b'\t');
                match self.at(j) {
                    b':' | b'=' => j += 1,
                    _ if flag && j > i => {}
                    _ => continue,
                }
                j = self.run(j, |b| matches!(b, b' ' | b'\t' | b'"' | b'\'' | b'\\'));
            }
            let value_end = self.run(j, is_token_byte);
            let value = self.bytes.get(j..value_end).unwrap_or_default();
            if looks_like_credential(value, bearer) {
                self.push(j..value_end, Secret::Credential);
            }
            i = value_end.max(i);
        }
    }

    /// The bodies of PEM private key blocks, from the BEGIN line to the END line or, when it
    /// is missing, to the end of the text.
    fn private_keys(&mut self) {
        const BEGIN: &[u8] = b"-----BEGIN ";
        const DASHES: &[u8] = b"-----";
        let mut i = 0;
        while let Some(found) = self.find(i, BEGIN) {
            let label_start = found + BEGIN.len();
            let Some(label_end) = self.find(label_start, DASHES) else {
                return;
            };
            let label = self.bytes.get(label_start..label_end).unwrap_or_default();
            let body_start = label_end + DASHES.len();
            if !label.ends_with(b"PRIVATE KEY") {
                i = body_start;
                continue;
            }
            let body_end = self.find(body_start, DASHES).unwrap_or(self.bytes.len());
            let start = self.run(body_start, |b| b.is_ascii_whitespace() || b == b'\\');
            self.push(start.min(body_end)..body_end, Secret::PrivateKey);
            i = body_end.max(body_start);
        }
    }

    /// Where `needle` next is from `from`; the bytes stepped over are counted.
    fn find(&mut self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = self.bytes.get(from..)?;
        let at = hay.windows(needle.len()).position(|w| w == needle);
        self.work += at.map_or(hay.len(), |p| p + needle.len());
        at.map(|p| p + from)
    }

    /// Values under a `data:` or `stringData:` key: a YAML block below it, or a flow or JSON
    /// mapping after it (also JSON escaped inside a string).
    fn secret_data(&mut self) {
        let mut i = 0;
        while i < self.bytes.len() {
            self.work += 1;
            let word = [&b"stringData"[..], b"data"]
                .into_iter()
                .find(|w| self.bytes.get(i..i + w.len()) == Some(w));
            let Some(word) = word else {
                i += 1;
                continue;
            };
            let before = i.checked_sub(1).map(|p| self.at(p));
            i += word.len();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                continue;
            }
            let mut j = self.run(i, |b| matches!(b, b'"' | b'\'' | b'\\'));
            j = self.run(j, |b| b == b' ' || b == b'\t');
            if self.at(j) != b':' {
                continue;
            }
            j = self.run(j + 1, |b| b == b' ' || b == b'\t');
            if self.at(j) == b'{' {
                i = self.flow_values(j + 1);
            } else if matches!(self.at(j), b'\n' | b'\r' | b'#' | 0) {
                // Back to the line's start: one key a line ends its line, so lines are
                // walked back once each.
                let line_start = self
                    .bytes
                    .get(..i)
                    .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
                    .map_or(0, |p| p + 1);
                self.work += i - line_start;
                let key_start = i - word.len() - usize::from(before == Some(b'"'));
                let indent = self.bytes.get(line_start..key_start).map_or(0, <[u8]>::len);
                i = self.block_values(j, indent);
            }
        }
    }

    /// Each value of the flow mapping that starts at `i`, to its `}`; where it ended.
    fn flow_values(&mut self, mut i: usize) -> usize {
        let quote = |b: u8| matches!(b, b'"' | b'\'' | b'\\');
        while i < self.bytes.len() && self.at(i) != b'}' {
            // The key, to its colon.
            i = self.run(i, |b| !matches!(b, b':' | b'}' | b'\n'));
            if self.at(i) != b':' {
                break;
            }
            i = self.run(i + 1, |b| b == b' ' || b == b'\t' || quote(b));
            let end = self.run(i, |b| {
                !matches!(b, b',' | b'}' | b'\n') && !quote(b) && b != b' '
            });
            self.push(i..end, Secret::SecretData);
            i = self.run(end, |b| b != b',' && b != b'}' && b != b'\n');
            if self.at(i) == b',' {
                i += 1;
            }
        }
        i
    }

    /// The values of the YAML block below a key indented by `indent`, from the end of its line
    /// at `i`: every line indented deeper, the part after `key: ` or the whole of a block
    /// scalar's line. Where the block ended.
    fn block_values(&mut self, i: usize, indent: usize) -> usize {
        let mut line = self.run(i, |b| b != b'\n');
        while line < self.bytes.len() {
            let start = line + 1;
            let text_start = self.run(start, |b| b == b' ' || b == b'\t');
            let end = self.run(text_start, |b| b != b'\n');
            let content_end = self.trim_end(text_start, end);
            if content_end == text_start {
                line = end;
                continue;
            }
            if text_start - start <= indent {
                return start;
            }
            let colon = (text_start..content_end).find(|&c| {
                self.at(c) == b':' && matches!(self.at(c + 1), b' ' | b'\t' | b'\n' | b'\r' | 0)
            });
            let value = match colon {
                Some(c) => self.run(c + 1, |b| b == b' ' || b == b'\t'),
                None => text_start,
            };
            let value_text = self.bytes.get(value..content_end).unwrap_or_default();
            if !matches!(
                value_text,
                b"|" | b">" | b"|-" | b">-" | b"" | b"\"\"" | b"''"
            ) {
                self.push(value..content_end, Secret::SecretData);
            }
            line = end;
        }
        line
    }

    /// The end of `start..end` without trailing white space.
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.at(end - 1).is_ascii_whitespace() {
            end -= 1;
        }
        end
    }
}

/// Whether `text` is a token as `redact::token` writes it: each dot-separated piece a mask
/// (up to four characters, then `-REDACTED`), but for a JWT's header first.
fn masked_token(text: &[u8]) -> bool {
    let mut any = false;
    for (i, piece) in text.split(|&b| b == b'.').enumerate() {
        if piece.ends_with(b"-REDACTED") && piece.len() <= 4 + b"-REDACTED".len() {
            any = true;
        } else if !(i == 0 && piece.starts_with(b"eyJ")) {
            return false;
        }
    }
    any
}

/// Whether `value`, after a credential's key, is one: at least eight bytes, and not a word (a
/// sentence saying "Bearer authentication" or "token expired" keeps its words), so it has a
/// digit or a token's punctuation. After `Bearer `, any eight bytes of a token are one.
fn looks_like_credential(value: &[u8], bearer: bool) -> bool {
    value.len() >= 8
        && (value.iter().any(|b| {
            b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
        }) || (bearer && value.len() >= 20))
}
