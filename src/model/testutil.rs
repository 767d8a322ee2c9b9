//! Small fixtures shared by the model's unit tests.

use super::{Annotation, CharRange, Document};
use time::OffsetDateTime;

/// An annotation on `s..e` of `doc` with one tag.
pub fn ann(doc: &Document, s: usize, e: usize, tag: &str) -> Annotation {
    Annotation::new(
        doc,
        CharRange::new(s, e),
        vec![tag.into()],
        "t",
        OffsetDateTime::UNIX_EPOCH,
    )
}

/// Twenty ASCII chars, one per offset.
pub fn doc() -> Document {
    Document::new("t", "0123456789abcdefghij".into())
}
