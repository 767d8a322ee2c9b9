//! One annotation: a range of the document with tags, a note and provenance.

use super::{CharRange, Document};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How much context is kept either side of the quote (W3C TextQuoteSelector
/// style), so an annotation can be found again after the text changes.
pub const CONTEXT_CHARS: usize = 32;

/// A stable, unique annotation id (a UUID in its hyphenated text form).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub String);

impl AnnotationId {
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }
}

impl std::fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How an annotation was placed on the current text (see [`crate::anchor`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Anchoring {
    /// The quote is at its stored range.
    #[default]
    Kept,
    /// The exact quote was found at a new range.
    Moved,
    /// An edited quote was matched approximately: placed, to be reviewed.
    Fuzzy,
    /// The quote was not found with certainty: the annotation is kept as it
    /// was and shown as needing attention.
    Orphaned,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    /// First char, inclusive (see [`crate::model::span`]).
    pub start: usize,
    /// Last char, exclusive.
    pub end: usize,
    /// The document text at `start..end` when the annotation was anchored.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] chars before the quote.
    #[serde(default)]
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] chars after the quote.
    #[serde(default)]
    pub suffix: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub author: String,
    /// Who last changed it, when that was someone other than its author (a
    /// colleague edited the note or codes); empty when the author did.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub changed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modified: OffsetDateTime,
    /// The quote this annotation had before it was placed approximately on
    /// edited text; set until the user confirms the new place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    /// Derived when the sidecar is loaded; never stored.
    #[serde(skip)]
    pub anchoring: Anchoring,
}

impl Annotation {
    /// A new annotation on `range` of `doc`, with quote and context taken from it.
    pub fn new(
        doc: &Document,
        range: CharRange,
        tags: Vec<String>,
        author: &str,
        now: OffsetDateTime,
    ) -> Self {
        let mut a = Self {
            id: AnnotationId::random(),
            start: range.start,
            end: range.end,
            quote: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            tags,
            note: String::new(),
            author: author.to_string(),
            created: now,
            modified: now,
            review: None,
            changed_by: String::new(),
            anchoring: Anchoring::Kept,
        };
        a.set_range(doc, range);
        a
    }

    pub fn range(&self) -> CharRange {
        CharRange {
            start: self.start,
            end: self.end,
        }
    }

    /// Moves the annotation to `range`, refreshing quote and context.
    pub fn set_range(&mut self, doc: &Document, range: CharRange) {
        self.start = range.start;
        self.end = range.end;
        self.quote = doc.slice(range).to_string();
        self.prefix = doc
            .slice(CharRange::new(
                range.start.saturating_sub(CONTEXT_CHARS),
                range.start,
            ))
            .to_string();
        self.suffix = doc
            .slice(CharRange::new(range.end, range.end + CONTEXT_CHARS))
            .to_string();
        self.anchoring = Anchoring::Kept;
    }

    pub fn is_orphaned(&self) -> bool {
        self.anchoring == Anchoring::Orphaned
    }

    /// Placed approximately and not yet confirmed by the user.
    pub fn needs_review(&self) -> bool {
        self.review.is_some() && !self.is_orphaned()
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// Sort key: document order, then longer spans first (so an enclosing
    /// span comes before what it encloses), then id for a total order.
    pub fn order_key(&self) -> (usize, std::cmp::Reverse<usize>, &str) {
        (self.start, std::cmp::Reverse(self.end), &self.id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_annotation_keeps_quote_and_context() {
        let d = Document::new("t", "He said “no”—twice 😀.".into());
        let now = OffsetDateTime::UNIX_EPOCH;
        let a = Annotation::new(&d, CharRange::new(8, 12), vec!["claim".into()], "ann", now);
        assert_eq!(a.quote, "“no”");
        assert_eq!(a.prefix, "He said ");
        assert_eq!(a.suffix, "—twice 😀.");
        assert_eq!(a.anchoring, Anchoring::Kept);
        assert!(a.has_tag("claim") && !a.has_tag("source"));
    }

    #[test]
    fn context_is_capped_at_32_chars() {
        let text = format!("{}X{}", "é".repeat(50), "😀".repeat(50));
        let d = Document::new("t", text);
        let a = Annotation::new(
            &d,
            CharRange::new(50, 51),
            vec![],
            "",
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!(a.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(a.suffix.chars().count(), CONTEXT_CHARS);
        assert_eq!(a.quote, "X");
    }
}
