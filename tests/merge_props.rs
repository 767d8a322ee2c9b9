//! Property tests of the one merge engine (`gloss::merge`) on random
//! versions: adds, deletes, edits of ranges, codes and notes on both
//! sides, ids listed twice and codes with no name (mended first, as every
//! caller does). Nothing changed on either side is lost; a deletion of
//! something the other side left alone stays deleted; merging a version
//! with itself or with an unchanged side gives that version; and the result
//! does not depend on which side is "ours" (up to the order of joined
//! notes and of tags).

use gloss::merge::{merge_sidecars, normalise, same_annotation};
use gloss::model::{Annotation, AnnotationId, CharRange, Codebook, Document};
use gloss::sidecar::Sidecar;
use proptest::prelude::*;
use std::collections::BTreeSet;
use time::OffsetDateTime;

const TEXT: &str = "“Six former officials” — said 😀 👩‍👩‍👧 e\u{301}té 中文 עברית.\r\nSecond line, and a third clause here, with more words after it.";
const CODES: &[&str] = &["claim", "source", "evidence", "question", "", "new"];
const NOTES: &[&str] = &["", "check", "see p. 4", "Ana: unsure", "a longer thought"];

fn doc() -> Document {
    Document::new("a.txt", TEXT.into())
}

fn at(minute: i64) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute)
}

/// A random annotation's content: range, codes, note.
fn content() -> impl Strategy<Value = (usize, usize, Vec<usize>, usize)> {
    (
        0..60usize,
        1..20usize,
        prop::collection::vec(0..CODES.len(), 0..3),
        0..NOTES.len(),
    )
}

fn make(
    id: &str,
    (start, len, codes, note): &(usize, usize, Vec<usize>, usize),
    minute: i64,
) -> Annotation {
    let d = doc();
    let end = (start + len).min(d.char_len());
    let mut tags: Vec<String> = codes.iter().map(|&c| CODES[c].to_string()).collect();
    tags.dedup();
    let mut a = Annotation::new(&d, CharRange::new(*start, end), tags, "ana", at(minute));
    a.id = AnnotationId(id.into());
    a.note = NOTES[*note].into();
    a
}

/// What one side does to a base annotation.
#[derive(Clone, Debug)]
enum Fate {
    Keep,
    Delete,
    Edit((usize, usize, Vec<usize>, usize)),
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        3 => Just(Fate::Keep),
        1 => Just(Fate::Delete),
        2 => content().prop_map(Fate::Edit),
    ]
}

fn sidecar(annotations: Vec<Annotation>) -> Sidecar {
    let mut sc = Sidecar::new(&doc(), Codebook::default(), annotations);
    normalise(&mut sc);
    sc
}

/// A side made from the base by `fates`, plus `added` of its own (with a
/// prefix for unique ids), and perhaps one annotation listed twice (the
/// same, and changed).
fn side(
    base: &[Annotation],
    fates: &[Fate],
    added: &[(usize, usize, Vec<usize>, usize)],
    prefix: &str,
    minute: i64,
    twice: bool,
) -> Sidecar {
    let mut out = Vec::new();
    for (a, f) in base.iter().zip(fates) {
        match f {
            Fate::Keep => out.push(a.clone()),
            Fate::Delete => {}
            Fate::Edit(c) => out.push(make(&a.id.0, c, minute)),
        }
    }
    for (i, c) in added.iter().enumerate() {
        out.push(make(&format!("{prefix}{i}"), c, minute));
    }
    // An id listed twice, as a conflict resolved by keeping both hunks
    // leaves it: once the same, once with another note.
    if twice && let Some(first) = out.first().cloned() {
        let mut other = first.clone();
        other.note = format!("{} (the other hunk)", first.note);
        out.push(first);
        out.push(other);
    }
    sidecar(out)
}

fn ids(sc: &Sidecar) -> BTreeSet<String> {
    sc.annotations.iter().map(|a| a.id.0.clone()).collect()
}

fn find<'a>(sc: &'a Sidecar, id: &str) -> Option<&'a Annotation> {
    sc.annotations.iter().find(|a| a.id.0 == id)
}

/// Equal but for the order of tags and of two joined notes.
fn alike(a: &Annotation, b: &Annotation) -> bool {
    let tags = |x: &Annotation| x.tags.iter().cloned().collect::<BTreeSet<_>>();
    let note = |x: &Annotation| {
        let mut parts: Vec<String> = x
            .note
            .split(gloss::merge::SEPARATOR)
            .map(|p| p.trim().to_string())
            .collect();
        parts.sort();
        parts
    };
    (a.start, a.end, &a.quote, &a.author, a.created, a.modified)
        == (b.start, b.end, &b.quote, &b.author, b.created, b.modified)
        && tags(a) == tags(b)
        && note(a) == note(b)
}

fn versions() -> impl Strategy<Value = (Sidecar, Sidecar, Sidecar)> {
    (
        prop::collection::vec(content(), 0..8),
        prop::collection::vec(fate(), 8),
        prop::collection::vec(fate(), 8),
        prop::collection::vec(content(), 0..4),
        prop::collection::vec(content(), 0..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(base, of, tf, oa, ta, otwice, ttwice)| {
            let base: Vec<Annotation> = base
                .iter()
                .enumerate()
                .map(|(i, c)| make(&format!("b{i}"), c, 0))
                .collect();
            let o = side(&base, &of, &oa, "o", 5, otwice);
            let t = side(&base, &tf, &ta, "t", 9, ttwice);
            (sidecar(base), o, t)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn nothing_changed_on_either_side_is_lost((base, ours, theirs) in versions()) {
        let (m, report) = merge_sidecars(Some(&base), &ours, &theirs);
        for (this, other) in [(&ours, &theirs), (&theirs, &ours)] {
            for a in &this.annotations {
                let b = find(&base, &a.id.0);
                let changed = b.is_none_or(|b| !same_annotation(a, b));
                if changed {
                    prop_assert!(find(&m, &a.id.0).is_some(), "{} lost: {report}", a.id);
                }
                // Changed here only: exactly this version.
                let untouched_there = match (b, find(other, &a.id.0)) {
                    (Some(b), Some(o)) => same_annotation(b, o),
                    (None, None) => true,
                    _ => false,
                };
                if changed && untouched_there {
                    prop_assert!(same_annotation(find(&m, &a.id.0).unwrap(), a));
                }
            }
        }
        // Deleted on one side, left alone on the other: gone.
        for b in &base.annotations {
            let (o, t) = (find(&ours, &b.id.0), find(&theirs, &b.id.0));
            let alone = |x: Option<&Annotation>| x.is_some_and(|x| same_annotation(x, b));
            if (o.is_none() && (t.is_none() || alone(t))) || (t.is_none() && alone(o)) {
                prop_assert!(find(&m, &b.id.0).is_none(), "{} came back", b.id);
            }
        }
        // Every code an annotation uses is in the codebook.
        for a in &m.annotations {
            for t in &a.tags {
                prop_assert!(m.codebook.get(t).is_some(), "{t} undefined");
            }
        }
    }

    #[test]
    fn a_version_merged_with_itself_or_an_unchanged_side_is_that_version(
        (base, _ours, theirs) in versions()
    ) {
        let (m, _) = merge_sidecars(Some(&base), &theirs, &theirs);
        prop_assert_eq!(&m.annotations, &theirs.annotations);
        let (m, _) = merge_sidecars(Some(&base), &base, &theirs);
        prop_assert_eq!(&m.annotations, &theirs.annotations);
        let (m, r) = merge_sidecars(Some(&base), &theirs, &base);
        prop_assert_eq!(&m.annotations, &theirs.annotations);
        prop_assert_eq!((r.added, r.updated, r.joined), (0, 0, 0));
    }

    #[test]
    fn the_result_does_not_depend_on_which_side_is_ours((base, ours, theirs) in versions()) {
        let (a, _) = merge_sidecars(Some(&base), &ours, &theirs);
        let (b, _) = merge_sidecars(Some(&base), &theirs, &ours);
        prop_assert_eq!(ids(&a), ids(&b));
        for x in &a.annotations {
            let y = find(&b, &x.id.0).unwrap();
            prop_assert!(alike(x, y), "{:?}\n{:?}", x, y);
        }
        let names = |s: &Sidecar| s.codebook.tags.iter().map(|t| t.name.clone()).collect::<BTreeSet<_>>();
        prop_assert_eq!(names(&a), names(&b));
    }
}
