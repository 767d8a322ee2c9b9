//! Anchoring: deciding where stored annotations sit in the current text.
//!
//! Today an annotation is placed only where its quote still stands at its
//! stored range; anything else is kept, unchanged, as an orphan that the user
//! is shown. Quote and context search (Hypothesis-style) will slot in here.

use crate::model::{Anchoring, Annotation, CharRange, Document};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorReport {
    pub anchored: usize,
    pub orphaned: usize,
}

/// Checks each annotation's quote against `doc` and marks it accordingly.
/// Never drops or moves an annotation.
pub fn anchor_all(doc: &Document, annotations: &mut [Annotation]) -> AnchorReport {
    let mut report = AnchorReport::default();
    for a in annotations {
        let range = a.range();
        let fits = range.start < range.end && doc.contains(range) && doc.slice(range) == a.quote;
        a.anchoring = if fits {
            report.anchored += 1;
            Anchoring::Anchored
        } else {
            report.orphaned += 1;
            Anchoring::Orphaned
        };
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    #[test]
    fn edited_documents_keep_every_annotation() {
        let old = Document::new("t", "Alpha “beta” gamma 😀 delta".into());
        let a = |s, e| {
            Annotation::new(
                &old,
                CharRange::new(s, e),
                vec![],
                "",
                OffsetDateTime::UNIX_EPOCH,
            )
        };
        let mut anns = vec![a(0, 5), a(6, 12), a(19, 20), a(21, 26)];
        assert_eq!(anns[2].quote, "😀");
        // An insertion in the middle shifts what follows it.
        let new = Document::new("t", "Alpha “beta” NEW gamma 😀 delta".into());
        let report = anchor_all(&new, &mut anns);
        assert_eq!(
            report,
            AnchorReport {
                anchored: 2,
                orphaned: 2
            }
        );
        assert_eq!(anns.len(), 4);
        assert!(!anns[0].is_orphaned() && !anns[1].is_orphaned());
        assert!(anns[2].is_orphaned() && anns[3].is_orphaned());
        assert_eq!(anns[3].quote, "delta", "orphans keep their quote");
        // A range beyond the end of a shorter document is an orphan, not a panic.
        let short = Document::new("t", "Alpha".into());
        let report = anchor_all(&short, &mut anns);
        assert_eq!(
            report,
            AnchorReport {
                anchored: 1,
                orphaned: 3
            }
        );
    }
}

/// Where a quote belongs in `doc`: at `hint` if the quote is there, else the
/// occurrence whose context matches best (prefix and suffix), nearest to
/// `hint` on ties. `None` when the quote does not occur at all.
pub fn place(
    doc: &Document,
    hint: CharRange,
    quote: &str,
    prefix: &str,
    suffix: &str,
) -> Option<CharRange> {
    if quote.is_empty() {
        return None;
    }
    if hint.end > hint.start && doc.contains(hint) && doc.slice(hint) == quote {
        return Some(hint);
    }
    let text = doc.text();
    let len = quote.chars().count();
    let mut best: Option<(i64, usize, CharRange)> = None;
    for (byte, _) in text.match_indices(quote).take(100_000) {
        let start = doc.char_offset(byte);
        let range = CharRange::new(start, start + len);
        let before = &text[..byte];
        let after = &text[byte + quote.len()..];
        let score = i64::from(!prefix.is_empty() && before.ends_with(prefix)) * 2
            + i64::from(!suffix.is_empty() && after.starts_with(suffix)) * 2;
        let distance = start.abs_diff(hint.start);
        let better = match &best {
            None => true,
            Some((s, d, _)) => score > *s || (score == *s && distance < *d),
        };
        if better {
            best = Some((score, distance, range));
        }
    }
    best.map(|(_, _, r)| r)
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn places_by_position_then_by_quote_and_context() {
        let d = Document::new("t", "an 😀 cat, a cat, the cat".into());
        // Right position.
        assert_eq!(
            place(&d, CharRange::new(5, 8), "cat", "", ""),
            Some(CharRange::new(5, 8))
        );
        // Wrong position: nearest occurrence.
        assert_eq!(
            place(&d, CharRange::new(14, 17), "cat", "", ""),
            Some(CharRange::new(12, 15))
        );
        // Context beats distance.
        assert_eq!(
            place(&d, CharRange::new(0, 3), "cat", "the ", ""),
            Some(CharRange::new(21, 24))
        );
        assert_eq!(place(&d, CharRange::new(0, 3), "dog", "", ""), None);
        assert_eq!(place(&d, CharRange::new(0, 3), "", "", ""), None);
    }
}
