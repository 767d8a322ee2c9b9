//! The annotation model: plain data and pure functions, no I/O, no clock, no
//! GUI. Everything else (storage, formats, the CLI, the window) builds on it.

mod annotation;
mod chunked;
mod codebook;
mod document;
mod set;
pub mod span;
mod store;
mod structure;
#[cfg(test)]
pub(crate) mod testutil;

pub use annotation::{Anchoring, Annotation, AnnotationId, CONTEXT_CHARS};
pub use chunked::Chunked;
pub use codebook::{Codebook, PALETTE, Tag, contrast, parse_hex_color, text_on, to_hex_color};
pub use document::{Document, Line, Lines, MAX_PIECE, hex};
pub use set::{AnnotationSet, Change, Counts};
pub use span::{CharRange, Selection};
pub use store::{EditError, History, Op, Store};
pub use structure::{Block, Structure};
