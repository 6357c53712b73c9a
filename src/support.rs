//! What every part of the core stands on: errors that say where, findings, a form's checks,
//! times from a `now` the caller passes, stable sorting, distinct strings counted, files read in chunks, long work in parts, and base64 as
//! pasted.

pub mod base64_text; // base64 as pasted: the one lenient reader, and the rules base64url shares
pub mod checks; // the errors and warnings of a form, field by field
pub mod chunk; // a file read in chunks: byte ranges, progress words, UTF-8 and lines across cuts
pub mod distinct; // counting distinct strings in one pass, by a 64-bit hash of each
pub mod error; // error kinds that say where input went wrong
pub mod finding; // Finding { level, title, why }: how the core reports anything worth saying
pub mod parts; // long work in parts: an async fn that pauses after each part, or none
pub mod sort; // stable sorting with one copy of the sort in the wasm
pub mod time; // ISO-8601 and relative times from a `now` the caller passes
