//! Property tests: random documents (multi-byte chars, CRLF, combining
//! marks, emoji sequences, RTL, CJK) and random edits. After re-anchoring,
//! with or without the old text, every annotation that is not an orphan
//! lies on whole graphemes inside the text, its quote is the text there,
//! and it is either the same quote as before or marked for review.

use gloss::anchor;
use gloss::model::{Anchoring, Annotation, CharRange, Document};
use proptest::prelude::*;
use time::OffsetDateTime;

const PIECES: &[&str] = &[
    "a",
    "b",
    "the ",
    "cat ",
    " ",
    ".",
    "é",
    "e\u{301}",
    "😀",
    "👨‍👩‍👧",
    "\r\n",
    "\n",
    "中文",
    "שלום",
    "—",
    "“",
    "”",
    "x",
];

fn text_of(pieces: &[usize]) -> String {
    pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect()
}

fn doc_pieces() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..PIECES.len(), 5..120)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn reanchored_annotations_are_whole_and_right(
        old in doc_pieces(),
        spans in prop::collection::vec((0usize..1000, 1usize..40), 1..6),
        edit_at in 0usize..1000,
        edit_del in 0usize..8,
        edit_ins in prop::collection::vec(0..PIECES.len(), 0..8),
    ) {
        let old_text = text_of(&old);
        let old_doc = Document::new("t", old_text.clone());
        let n = old_doc.char_len();
        let now = OffsetDateTime::UNIX_EPOCH;
        let anns: Vec<Annotation> = spans
            .iter()
            .filter_map(|&(s, len)| {
                let s = s % n;
                let r = old_doc.snap_to_graphemes(CharRange::new(s, (s + len).min(n)));
                (!r.is_empty()).then(|| Annotation::new(&old_doc, r, vec![], "", now))
            })
            .collect();
        // The edit: delete some pieces and insert others.
        let at = edit_at % (old.len() + 1);
        let mut new = old.clone();
        let del = edit_del.min(new.len() - at);
        new.splice(at..at + del, edit_ins.iter().copied());
        let new_doc = Document::new("t", text_of(&new));
        for old_known in [None, Some(old_text.as_str())] {
            let mut placed = anns.clone();
            let report = anchor::anchor_all(&new_doc, &mut placed, old_known);
            prop_assert_eq!(report.total(), anns.len());
            for (before, a) in anns.iter().zip(&placed) {
                prop_assert_eq!(&a.id, &before.id);
                if a.anchoring == Anchoring::Orphaned {
                    prop_assert_eq!(&a.quote, &before.quote, "orphans keep their quote");
                    continue;
                }
                let r = a.range();
                prop_assert!(!r.is_empty() && r.end <= new_doc.char_len());
                prop_assert_eq!(new_doc.snap_to_graphemes(r), r, "whole graphemes");
                prop_assert_eq!(new_doc.slice(r), a.quote.as_str());
                if a.quote != before.quote {
                    prop_assert_eq!(a.anchoring, Anchoring::Fuzzy);
                    prop_assert_eq!(a.review.as_deref(), Some(before.quote.as_str()));
                }
            }
        }
    }
}
