//! Positions in a document.
//!
//! Every position in Gloss is a **char offset**: a count of Unicode scalar
//! values (Rust `char`s) from the start of the decoded document text, exactly
//! as stored. A CRLF is two chars, a lone CR one; only a leading BOM is
//! dropped by the decoder. Ranges are half-open, `[start, end)`:
//!
//! ```text
//!  text:   a  é  😀  b
//!  gaps:  0  1  2   3  4      CharRange { start: 1, end: 3 } = "é😀"
//! ```
//!
//! Byte offsets (what Rust string slicing uses) are derived in one place only:
//! [`crate::model::Document::byte_offset`].

use serde::{Deserialize, Serialize};

/// A half-open range of char offsets, `[start, end)`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct CharRange {
    pub start: usize,
    pub end: usize,
}

impl CharRange {
    /// A range from two offsets in either order.
    pub fn new(a: usize, b: usize) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    pub fn len(&self) -> usize {
        // Saturating: ranges read from hand-edited files may be reversed.
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two ranges share at least one char.
    pub fn overlaps(&self, other: &CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn contains_range(&self, other: &CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersect(&self, other: &CharRange) -> Option<CharRange> {
        let r = CharRange {
            start: self.start.max(other.start),
            end: self.end.min(other.end),
        };
        (!r.is_empty()).then_some(r)
    }
}

impl std::fmt::Display for CharRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The reader's text selection: where the drag started and where it is now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub anchor: usize,
    pub head: usize,
}

impl Selection {
    pub fn range(&self) -> CharRange {
        CharRange::new(self.anchor, self.head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_half_open() {
        let a = CharRange::new(5, 2);
        assert_eq!(a, CharRange { start: 2, end: 5 });
        assert_eq!(a.len(), 3);
        assert!(a.contains(2) && a.contains(4) && !a.contains(5));
        assert!(
            !a.overlaps(&CharRange::new(5, 9)),
            "touching is not overlapping"
        );
        assert!(a.overlaps(&CharRange::new(4, 9)));
        assert_eq!(
            a.intersect(&CharRange::new(4, 9)),
            Some(CharRange::new(4, 5))
        );
        assert_eq!(a.intersect(&CharRange::new(5, 9)), None);
        assert!(CharRange::new(0, 10).contains_range(&a));
    }
}
