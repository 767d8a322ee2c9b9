//! Unit tests of placing and relocating annotations.

mod place_tests {
    use super::super::*;

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

mod reanchor_tests {
    use super::super::*;
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
        let report = anchor_all(&new, &mut anns, None);
        assert_eq!(
            report,
            AnchorReport {
                kept: 2,
                moved: 2,
                fuzzy: 0,
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
        let report = anchor_all(&edited, &mut changed, None);
        assert_eq!(
            report,
            AnchorReport {
                kept: 0,
                moved: 0,
                fuzzy: 0,
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
        let report = anchor_all(&short, &mut anns, None);
        assert_eq!(
            report,
            AnchorReport {
                kept: 1,
                moved: 0,
                fuzzy: 0,
                orphaned: 3
            }
        );
    }

    fn relocate(doc: &Document, a: &Annotation) -> Option<CharRange> {
        match Anchorer::new(doc, None).place(a) {
            Outcome::Moved { range, .. } => Some(range),
            _ => None,
        }
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

#[test]
fn the_parallel_check_of_kept_annotations_decides_as_placing_in_order_does() {
    use super::*;
    let text = crate::sample::prose(300_000, false);
    let old = Document::new("t", text.clone());
    let anns = crate::sample::annotations(&old, 6_000);
    let at = text.ceil_char_boundary(text.len() / 2);
    let new = Document::new(
        "t",
        format!("{} Inserted words. {}", &text[..at], &text[at..]),
    );
    let parallel = plan(&new, &anns, None);
    let mut one_by_one = Anchorer::new(&new, None);
    let mut sequential: Vec<Outcome> = anns.iter().map(|a| one_by_one.place(a)).collect();
    one_by_one.backfill(&anns, &mut sequential);
    assert!(parallel == sequential);
    let kept = parallel.iter().filter(|o| **o == Outcome::Kept).count();
    assert!(kept > 1_000 && kept < 5_000, "{kept} kept: both paths ran");
}

#[test]
fn after_a_long_deleted_stretch_the_rest_are_found_even_with_the_search_budget_spent() {
    use super::*;
    let text = crate::sample::prose(400_000, false);
    let old = Document::new("t", text.clone());
    let mut anns = crate::sample::annotations(&old, 3_000);
    anns.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let cut = text.ceil_char_boundary(text.len() / 3);
    let end = text.ceil_char_boundary(cut + text.len() / 3);
    let (c0, c1) = (old.char_offset(cut), old.char_offset(end));
    let new = Document::new("t", format!("{}{}", &text[..cut], &text[end..]));
    for old_text in [None, Some(text.as_str())] {
        // Budget for ten whole-text searches: the annotations of the
        // deleted third spend it at once.
        let mut anchorer = Anchorer::new(&new, old_text);
        anchorer.scan_budget.set(10 * text.len() as u64);
        anchorer.probe_budget.set(200 * text.len() as u64);
        anchorer.budget.set(0);
        let mut plan: Vec<Outcome> = anns.iter().map(|a| anchorer.place(a)).collect();
        anchorer.backfill(&anns, &mut plan);
        for (a, o) in anns.iter().zip(&plan) {
            let gone = a.end > c0 && a.start < c1;
            if !gone {
                assert!(
                    !matches!(o, Outcome::Orphan),
                    "{:?} outside the deleted {c0}..{c1} was orphaned (old text known: {})",
                    a.range(),
                    old_text.is_some()
                );
            }
        }
    }
}

#[test]
fn a_long_quote_with_a_large_insertion_inside_covers_the_whole_edited_passage() {
    use super::*;
    let text = crate::sample::prose(8_000, false);
    let old = Document::new("t", text.clone());
    // A long quote, then a large insertion in its first third.
    let (s, e) = (700, 2_200);
    let a = {
        let mut a = Annotation::new(
            &old,
            CharRange::new(s, e),
            vec!["claim".into()],
            "a",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        a.note = "long".into();
        a
    };
    let at = old.byte_offset(s + 300);
    let inserted =
        "An inserted paragraph that was not there before — with “quotes”, 😀 and more. ".repeat(20);
    let new_text = format!("{}{inserted}{}", &text[..at], &text[at..]);
    let new = Document::new("t", new_text);
    let grown = inserted.chars().count();
    {
        let old_text = Some(text.as_str());
        let plan = plan(&new, std::slice::from_ref(&a), old_text);
        match plan[0] {
            Outcome::Fuzzy { range } => {
                assert_eq!(
                    (range.start, range.end),
                    (s, e + grown),
                    "the whole passage"
                )
            }
            ref other => panic!("a partial or silent placement: {other:?}"),
        }
    }
}
