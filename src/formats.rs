//! The text formats the page reads and writes: YAML and JSON values, object dumps read item by
//! item from chunks, and shell quoting.
//!
//! Every reader is bounded (nesting, expansion, size) and every writer quotes so that what is
//! read back is exactly what was meant.

pub mod dump_stream; // Kubernetes object dumps split item by item from byte chunks, with bounded memory
pub mod json; // reading serde_json values: kinds for messages, scalars as text, named entries
pub mod shell; // POSIX single-quote quoting for the commands the page prints
pub mod yaml; // pasted YAML read into serde_json values
pub mod yaml_write; // YAML written with quoting that survives every value
