use super::*;
use crate::model::{CharRange, Document};
use std::path::Path;
use time::OffsetDateTime;

pub(crate) fn doc() -> Document {
    Document::new(
        "t.txt",
        "“Quote” — an emoji 👩‍👩‍👧 here.\r\nSecond line, 中文 and עברית.".into(),
    )
}

pub(crate) fn at(minute: i64) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute)
}

pub(crate) fn ann(id: &str, start: usize, end: usize, tags: &[&str], note: &str) -> Annotation {
    let mut a = Annotation::new(
        &doc(),
        CharRange::new(start, end),
        tags.iter().map(|t| t.to_string()).collect(),
        "ana",
        at(0),
    );
    a.id = AnnotationId(id.into());
    a.note = note.into();
    a
}

pub(crate) fn sidecar(anns: Vec<Annotation>) -> Sidecar {
    Sidecar::new(&doc(), Codebook::default(), anns)
}

/// The merged annotation with `id`.
fn get<'a>(s: &'a Sidecar, id: &str) -> Option<&'a Annotation> {
    s.annotations.iter().find(|a| a.id.0 == id)
}

#[test]
fn additions_on_both_sides_are_both_kept_in_document_order() {
    let base = sidecar(vec![ann("a", 0, 7, &["claim"], "")]);
    let ours = sidecar(vec![
        ann("a", 0, 7, &["claim"], ""),
        ann("o", 30, 36, &["source"], ""),
    ]);
    let theirs = sidecar(vec![
        ann("t", 10, 15, &["evidence"], ""),
        ann("a", 0, 7, &["claim"], ""),
    ]);
    let (m, r) = merge_sidecars(Some(&base), &ours, &theirs);
    let ids: Vec<&str> = m.annotations.iter().map(|a| a.id.0.as_str()).collect();
    assert_eq!(ids, ["a", "t", "o"]);
    assert_eq!((r.added, r.deleted, r.joined), (1, 0, 0));
}

#[test]
fn a_deletion_wins_over_no_change_but_not_over_a_change() {
    let base = sidecar(vec![
        ann("x", 0, 7, &["claim"], ""),
        ann("y", 10, 15, &["claim"], ""),
    ]);
    // Ours deletes x and edits y's note; theirs deletes y and leaves x.
    let ours = sidecar(vec![ann("y", 10, 15, &["claim"], "edited")]);
    let theirs = sidecar(vec![ann("x", 0, 7, &["claim"], "")]);
    let (m, r) = merge_sidecars(Some(&base), &ours, &theirs);
    assert!(
        get(&m, "x").is_none(),
        "deleted here, unchanged there: gone"
    );
    assert_eq!(get(&m, "y").map(|a| a.note.as_str()), Some("edited"));
    assert_eq!(r.kept, 1);
    // And the other way round.
    let (m, _) = merge_sidecars(Some(&base), &theirs, &ours);
    assert!(get(&m, "x").is_none());
    assert_eq!(get(&m, "y").map(|a| a.note.as_str()), Some("edited"));
}

#[test]
fn both_sides_changed_merge_field_by_field() {
    let base = sidecar(vec![ann("a", 0, 7, &["claim", "source"], "base note")]);
    let mut o = ann("a", 0, 7, &["claim", "evidence"], "our note");
    o.modified = at(5);
    let mut t = ann("a", 10, 15, &["claim", "source", "question"], "their note");
    t.modified = at(9);
    let (m, r) = merge_sidecars(Some(&base), &sidecar(vec![o]), &sidecar(vec![t]));
    let a = get(&m, "a").expect("kept");
    // Tags: ours removed source and added evidence; theirs added question.
    assert_eq!(a.tags, ["claim", "evidence", "question"]);
    // Range: theirs changed it later.
    assert_eq!((a.start, a.end, a.quote.as_str()), (10, 15, "an em"));
    assert_eq!(a.note, format!("our note\n\n{SEPARATOR}\ntheir note"));
    assert_eq!(a.modified, at(9));
    assert_eq!(r.joined, 1);
}

#[test]
fn a_change_on_one_side_is_taken() {
    let base = sidecar(vec![ann("a", 0, 7, &["claim"], "n")]);
    let mut t = ann("a", 0, 7, &["source"], "n");
    t.modified = at(3);
    let (m, r) = merge_sidecars(Some(&base), &base.clone(), &sidecar(vec![t.clone()]));
    assert_eq!(get(&m, "a"), Some(&t));
    assert_eq!(r.updated, 1);
    // Ours changed, theirs did not: ours stays, nothing counted.
    let (m, r) = merge_sidecars(Some(&base), &sidecar(vec![t.clone()]), &base);
    assert_eq!(get(&m, "a"), Some(&t));
    assert_eq!(r, MergeReport::default());
}

#[test]
fn a_note_one_side_extended_is_not_doubled() {
    assert_eq!(merge_text(Some("a"), "a b", "a b c"), "a b c");
    assert_eq!(merge_text(None, "", "x"), "x");
    assert_eq!(merge_text(Some("x"), "", "y"), "y");
    assert_eq!(merge_text(Some("x"), "x", "y"), "y");
}

#[test]
fn codebooks_merge_by_name_and_keep_codes_still_in_use() {
    let mut base = sidecar(vec![ann("a", 0, 7, &["claim"], "")]);
    base.codebook.tags.push(Tag::new("old", "#112233", ""));
    let mut ours = base.clone();
    ours.codebook.tags.retain(|t| t.name != "source");
    ours.codebook.tags.push(Tag::new("mine", "#000000", ""));
    ours.codebook.tags.retain(|t| t.name != "old");
    let mut theirs = base.clone();
    theirs.codebook.tags.push(Tag::new("yours", "#ffffff", ""));
    // Theirs uses "source" in a new annotation: it stays.
    theirs.annotations.push(ann("t", 10, 12, &["source"], ""));
    if let Some(c) = theirs.codebook.tags.iter_mut().find(|t| t.name == "claim") {
        c.description = "their definition".into();
    }
    let (m, r) = merge_sidecars(Some(&base), &ours, &theirs);
    let names: Vec<&str> = m.codebook.tags.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"mine") && names.contains(&"yours"));
    assert!(names.contains(&"source"), "{names:?}");
    assert!(!names.contains(&"old"), "{names:?}");
    assert_eq!(r.codes_added, ["yours"]);
    let claim = m.codebook.tags.iter().find(|t| t.name == "claim");
    assert_eq!(
        claim.map(|t| t.description.as_str()),
        Some("their definition")
    );
}

#[test]
fn memos_edited_on_both_sides_keep_both() {
    let mut base = sidecar(vec![]);
    base.memo = "start".into();
    let (mut o, mut t) = (base.clone(), base.clone());
    o.memo = "ours".into();
    t.memo = "theirs".into();
    let (m, _) = merge_sidecars(Some(&base), &o, &t);
    assert_eq!(m.memo, format!("ours\n\n{SEPARATOR}\ntheirs"));
}

#[test]
fn without_a_base_both_versions_are_joined() {
    let o = sidecar(vec![ann("a", 0, 7, &["claim"], "one")]);
    let t = sidecar(vec![ann("a", 0, 7, &["source"], "two")]);
    let (m, _) = merge_sidecars(None, &o, &t);
    let a = get(&m, "a").expect("kept");
    assert_eq!(a.tags, ["claim", "source"]);
    assert!(a.note.contains("one") && a.note.contains("two"));
}

#[test]
fn rejected_places_join_and_follow_their_annotations() {
    let base = sidecar(vec![
        ann("a", 0, 7, &["claim"], ""),
        ann("b", 10, 15, &["claim"], ""),
    ]);
    let mut o = base.clone();
    o.rejected = vec![AnnotationId("a".into())];
    let mut t = base.clone();
    t.rejected = vec![AnnotationId("b".into())];
    let (m, _) = merge_sidecars(Some(&base), &o, &t);
    assert_eq!(
        m.rejected,
        [AnnotationId("a".into()), AnnotationId("b".into())]
    );
    // Theirs deleted "a" (unchanged here): its rejection goes with it.
    t.annotations.retain(|x| x.id.0 != "a");
    let (m, _) = merge_sidecars(Some(&base), &o, &t);
    assert_eq!(m.rejected, [AnnotationId("b".into())]);
    // Saved before the annotations, and read back.
    let text = m.to_ron().expect("ron");
    assert!(text.find("rejected:") < text.find("annotations:"));
    let back = Sidecar::from_ron(&text, Path::new("x")).expect("parses");
    assert_eq!(back.rejected, m.rejected);
}

#[test]
fn a_number_key_bound_on_both_sides_to_different_codes_stays_with_one() {
    let mut base = sidecar(vec![]);
    base.codebook.tags.push(Tag::new("mine", "#000000", ""));
    base.codebook.tags.push(Tag::new("yours", "#ffffff", ""));
    let (mut o, mut t) = (base.clone(), base.clone());
    o.codebook.tags[4].key = Some(7);
    t.codebook.tags[5].key = Some(7);
    let (m, _) = merge_sidecars(Some(&base), &o, &t);
    let on_7: Vec<&str> = m
        .codebook
        .tags
        .iter()
        .filter(|t| t.key == Some(7))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(on_7.len(), 1, "{on_7:?}");
}
