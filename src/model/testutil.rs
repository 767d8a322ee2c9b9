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

/// An annotation on `s..e` of `doc` with these tags.
pub fn ann_tagged(doc: &Document, s: usize, e: usize, tags: &[&str]) -> Annotation {
    let mut a = ann(doc, s, e, tags[0]);
    a.tags = tags.iter().map(|t| t.to_string()).collect();
    a
}

/// Twenty ASCII chars, one per offset.
pub fn doc() -> Document {
    Document::new("t", "0123456789abcdefghij".into())
}
