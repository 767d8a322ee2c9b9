//! Anchoring: deciding where stored annotations sit in the current text.
//!
//! An annotation stays where its quote still stands at its stored range.
//! Otherwise it moves only when its exact quote is found elsewhere with
//! certainty — with its prefix or suffix context intact, or as the only
//! occurrence in the text (an edit earlier in the document shifted it).
//! Anything else is kept, unchanged, as an orphan that the user is shown.
//! Fuzzy (Hypothesis-style) matching of edited quotes will slot in here.

use crate::model::{Anchoring, Annotation, CharRange, Document};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorReport {
    /// Still at their stored range.
    pub anchored: usize,
    /// Found, exactly, at a new range (their offsets were updated).
    pub moved: usize,
    /// Not found with certainty: kept unchanged and marked.
    pub orphaned: usize,
}

/// Checks each annotation's quote against `doc`, moves those found with
/// certainty, and marks the rest as orphans. Never drops an annotation.
pub fn anchor_all(doc: &Document, annotations: &mut [Annotation]) -> AnchorReport {
    let mut report = AnchorReport::default();
    for a in annotations {
        if stands_at(doc, a.range(), &a.quote) {
            a.anchoring = Anchoring::Anchored;
            report.anchored += 1;
        } else if let Some(r) = relocate(doc, a) {
            a.set_range(doc, r);
            report.moved += 1;
        } else {
            a.anchoring = Anchoring::Orphaned;
            report.orphaned += 1;
        }
    }
    report
}

/// Where an annotation's exact quote now is, if that is certain: the
/// occurrence whose nearest context still matches (the last 8 chars of the
/// prefix or the first 8 of the suffix; the nearest such occurrence), or the
/// only occurrence of a quote of at least 8 chars.
pub fn relocate(doc: &Document, a: &Annotation) -> Option<CharRange> {
    let prefix = tail(&a.prefix, CONTEXT_CHECK);
    let suffix = head(&a.suffix, CONTEXT_CHECK);
    let mut count = 0;
    let mut only = None;
    let mut with_context: Option<(usize, CharRange)> = None;
    for o in occurrences(doc, &a.quote, prefix, suffix) {
        count += 1;
        only = Some(o.range);
        let distance = o.range.start.abs_diff(a.start);
        if o.context > 0 && with_context.is_none_or(|(d, _)| distance < d) {
            with_context = Some((distance, o.range));
        }
    }
    with_context
        .map(|(_, r)| r)
        .or(only.filter(|r| count == 1 && r.len() >= 8))
}

/// An exact occurrence of a quote, and on how many sides (0–2) the given
/// context still stands next to it.
struct Occurrence {
    range: CharRange,
    context: u8,
}

fn occurrences<'a>(
    doc: &'a Document,
    quote: &'a str,
    prefix: &'a str,
    suffix: &'a str,
) -> impl Iterator<Item = Occurrence> + 'a {
    let text = doc.text();
    let len = quote.chars().count();
    let matches = if quote.is_empty() {
        None
    } else {
        Some(text.match_indices(quote))
    };
    matches
        .into_iter()
        .flatten()
        .take(100_000)
        .map(move |(byte, _)| {
            let start = doc.char_offset(byte);
            let before = !prefix.is_empty() && text[..byte].ends_with(prefix);
            let after = !suffix.is_empty() && text[byte + quote.len()..].starts_with(suffix);
            Occurrence {
                range: CharRange::new(start, start + len),
                context: u8::from(before) + u8::from(after),
            }
        })
}

/// Whether `quote` stands exactly at `range`.
fn stands_at(doc: &Document, range: CharRange, quote: &str) -> bool {
    range.start < range.end && doc.contains(range) && doc.slice(range) == quote
}

/// How much of the context right next to a quote must still match.
const CONTEXT_CHECK: usize = 8;

fn tail(s: &str, n: usize) -> &str {
    let skip = s.chars().count().saturating_sub(n);
    s.char_indices().nth(skip).map_or("", |(b, _)| &s[b..])
}

fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(b, _)| &s[..b])
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
    if stands_at(doc, hint, quote) {
        return Some(hint);
    }
    occurrences(doc, quote, prefix, suffix)
        .min_by_key(|o| {
            (
                std::cmp::Reverse(o.context),
                o.range.start.abs_diff(hint.start),
            )
        })
        .map(|o| o.range)
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn ann(doc: &Document, s: usize, e: usize) -> Annotation {
        Annotation::new(
            doc,
            CharRange::new(s, e),
            vec![],
            "",
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn edited_documents_keep_every_annotation() {
        let old = Document::new("t", "Alpha “beta” gamma 😀 delta".into());
        let mut anns = vec![
            ann(&old, 0, 5),
            ann(&old, 6, 12),
            ann(&old, 19, 20),
            ann(&old, 21, 26),
        ];
        assert_eq!(anns[2].quote, "😀");
        // An insertion in the middle shifts what follows it.
        let new = Document::new("t", "Alpha “beta” NEW gamma 😀 delta".into());
        let report = anchor_all(&new, &mut anns);
        assert_eq!(
            report,
            AnchorReport {
                anchored: 2,
                moved: 2,
                orphaned: 0
            }
        );
        assert_eq!(anns.len(), 4);
        assert_eq!(
            (anns[2].start, anns[2].end),
            (23, 24),
            "moved with the text"
        );
        assert_eq!(new.slice(anns[3].range()), "delta");
        // A changed quote is an orphan, kept as it was.
        let edited = Document::new("t", "Alpha “beta” gamma 😀 DELTA".into());
        let mut changed = vec![ann(&old, 21, 26)];
        let report = anchor_all(&edited, &mut changed);
        assert_eq!(
            report,
            AnchorReport {
                anchored: 0,
                moved: 0,
                orphaned: 1
            }
        );
        assert_eq!(
            (changed[0].start, changed[0].quote.as_str()),
            (21, "delta"),
            "orphans keep range and quote"
        );
        // A range beyond the end of a shorter document is an orphan, not a panic.
        let short = Document::new("t", "Alpha".into());
        let report = anchor_all(&short, &mut anns);
        assert_eq!(
            report,
            AnchorReport {
                anchored: 1,
                moved: 0,
                orphaned: 3
            }
        );
    }

    #[test]
    fn relocation_needs_certainty() {
        let old = Document::new("t", "the cat sat. the dog ran. the cat ran.".into());
        let cat = ann(&old, 30, 33);
        assert_eq!(cat.quote, "cat");
        // Text inserted before: "cat" occurs twice, the context picks the right one.
        let new = Document::new("t", "NEW the cat sat. the dog ran. the cat ran.".into());
        assert_eq!(relocate(&new, &cat), Some(CharRange::new(34, 37)));
        // Context gone and the short quote is ambiguous: no guess.
        let changed = Document::new("t", "a cat. a cat.".into());
        assert_eq!(relocate(&changed, &cat), None);
        // A short quote found once, but without context, is not certain either.
        let once = Document::new("t", "only one cat here".into());
        assert_eq!(relocate(&once, &cat), None);
        // A long quote found once is.
        let long = ann(&old, 0, 11);
        let moved = Document::new("t", "Intro. the cat sat!".into());
        assert_eq!(relocate(&moved, &long), Some(CharRange::new(7, 18)));
    }
}
