//! The annotation model: plain data and pure functions, no I/O, no clock, no
//! GUI. Everything else (storage, formats, the CLI, the window) builds on it.

mod annotation;
mod codebook;
mod document;
pub mod span;
mod store;

pub use annotation::{Anchoring, Annotation, AnnotationId, CONTEXT_CHARS};
pub use codebook::{Codebook, PALETTE, Tag, parse_hex_color, to_hex_color};
pub use document::{Document, Line, Lines, hex};
pub use span::{CharRange, Selection};
pub use store::{AnnotationSet, EditError, History, Op, Store};
