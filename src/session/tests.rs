use super::*;
use crate::formats::Imported;
use crate::model::{Annotation, CharRange};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-29 12:00 UTC);

fn write_doc(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn annotate_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(
        dir.path(),
        "a.txt",
        "He said “no” — twice.\r\nThen 😀 left.",
    );
    let mut s = Session::open(&p).unwrap();
    assert!(s.read_only.is_none());
    let id = s
        .annotate(CharRange::new(8, 12), vec!["claim".into()], "Ana", NOW)
        .unwrap();
    s.set_note(&id, "check", NOW).unwrap();
    assert!(s.dirty);
    assert!(s.title().contains('•'));
    s.save().unwrap();
    assert!(!s.dirty);
    let sc = std::fs::read_to_string(sidecar_path(&p)).unwrap();
    assert!(sc.contains("quote: \"“no”\""), "{sc}");

    let again = Session::open(&p).unwrap();
    let a = again.annotation(&id).unwrap();
    assert_eq!((a.start, a.end, a.note.as_str()), (8, 12, "check"));
    assert_eq!(a.tags, ["claim"]);
    assert!(again.notices.is_empty(), "{:?}", again.notices);
}

#[test]
fn corrupt_sidecar_opens_read_only_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Some text.");
    let scp = sidecar_path(&p);
    let garbage = b"(version: 1, annotations: [ oops";
    std::fs::write(&scp, garbage).unwrap();
    let mut s = Session::open(&p).unwrap();
    let why = s.read_only.clone().unwrap();
    assert!(
        why.contains("a.txt.annotations.ron") && why.contains("untouched"),
        "{why}"
    );
    let err = s
        .annotate(CharRange::new(0, 4), vec![], "x", NOW)
        .unwrap_err();
    assert!(matches!(err, CommandError::ReadOnly(_)));
    s.dirty = true; // even if something claimed changes, save must not write
    s.save().unwrap();
    assert_eq!(std::fs::read(&scp).unwrap(), garbage);
}

#[test]
fn changed_document_keeps_all_annotations_and_marks_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma delta.");
    let mut s = Session::open(&p).unwrap();
    s.annotate(CharRange::new(0, 5), vec!["claim".into()], "a", NOW)
        .unwrap();
    s.annotate(CharRange::new(17, 22), vec!["source".into()], "a", NOW)
        .unwrap();
    s.save().unwrap();
    // "Alpha" stays, "delta" is rewritten.
    std::fs::write(&p, "Alpha beta NEW gamma DELTA.").unwrap();
    let mut s = Session::open(&p).unwrap();
    assert_eq!(s.store.annotations.len(), 2);
    let orphans: Vec<_> = s
        .store
        .annotations
        .iter()
        .filter(|a| a.is_orphaned())
        .collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].quote, "delta");
    assert!(
        s.notices.iter().any(|n| n.contains("1 of 2")),
        "{:?}",
        s.notices
    );
    // Re-attaching the orphan to the new position anchors it again.
    let id = orphans[0].id.clone();
    s.set_range(&id, CharRange::new(21, 26), NOW).unwrap();
    assert!(!s.annotation(&id).unwrap().is_orphaned());
    assert_eq!(s.annotation(&id).unwrap().quote, "DELTA");
}

#[test]
fn annotations_move_with_text_inserted_before_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma delta.");
    let mut s = Session::open(&p).unwrap();
    let id = s
        .annotate(CharRange::new(17, 22), vec!["source".into()], "a", NOW)
        .unwrap();
    s.save().unwrap();
    std::fs::write(&p, "Intro. Alpha beta gamma delta.").unwrap();
    let s = Session::open(&p).unwrap();
    let a = s.annotation(&id).unwrap();
    assert!(!a.is_orphaned());
    assert_eq!((a.start, a.end, a.quote.as_str()), (24, 29, "delta"));
    assert!(s.dirty, "the new position is saved");
    assert!(
        s.infos.iter().any(|n| n.contains("0 kept, 1 moved")),
        "{:?}",
        s.infos
    );
}

#[test]
fn open_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    let e = Session::open(&missing).err().unwrap();
    assert!(e.to_string().contains("nope.txt"), "{e}");
    let bin = dir.path().join("x.bin");
    std::fs::write(&bin, b"\0\x01\x02binary").unwrap();
    let e = Session::open(&bin).err().unwrap();
    assert!(e.to_string().contains("binary"), "{e}");
    let e = Session::open(dir.path()).err().unwrap();
    assert!(e.to_string().contains("could not open"), "{e}");
}

#[test]
fn renaming_and_deleting_tags_never_drops_annotations() {
    let doc = Document::new("a", "one two three".into());
    let mut s = Session::new(doc, None);
    let a = s
        .annotate(CharRange::new(0, 3), vec!["claim".into()], "x", NOW)
        .unwrap();
    let b = s
        .annotate(
            CharRange::new(4, 7),
            vec!["claim".into(), "source".into()],
            "x",
            NOW,
        )
        .unwrap();
    s.rename_tag("claim", "assertion", NOW).unwrap();
    assert_eq!(s.annotation(&a).unwrap().tags, ["assertion"]);
    assert_eq!(s.codebook().tags[0].name, "assertion");
    assert!(matches!(
        s.rename_tag("assertion", "source", NOW),
        Err(CommandError::Edit(EditError::DuplicateTag(_)))
    ));
    s.delete_tag("assertion", NOW).unwrap();
    assert_eq!(s.store.annotations.len(), 2);
    assert!(s.annotation(&a).unwrap().tags.is_empty());
    assert_eq!(s.annotation(&b).unwrap().tags, ["source"]);
    // One undo restores both the tag and its uses.
    assert!(s.undo().unwrap());
    assert_eq!(s.annotation(&a).unwrap().tags, ["assertion"]);
    assert_eq!(s.codebook().tags[0].name, "assertion");
    assert!(s.undo().unwrap());
    assert_eq!(s.annotation(&b).unwrap().tags, ["claim", "source"]);
}

#[test]
fn commands_snap_and_validate() {
    let doc = Document::new("a", "x👍🏽y".into());
    let mut s = Session::new(doc, None);
    assert_eq!(
        s.annotate(CharRange::new(1, 1), vec![], "x", NOW),
        Err(CommandError::EmptySelection)
    );
    let id = s.annotate(CharRange::new(1, 2), vec![], "x", NOW).unwrap();
    assert_eq!(s.annotation(&id).unwrap().quote, "👍🏽");
    s.toggle_tag(&id, "claim", NOW).unwrap();
    s.toggle_tag(&id, "source", NOW).unwrap();
    s.toggle_tag(&id, "claim", NOW).unwrap();
    assert_eq!(s.annotation(&id).unwrap().tags, ["source"]);
    s.delete(&id).unwrap();
    assert!(s.store.annotations.is_empty());
    assert!(s.undo().unwrap());
    assert!(s.redo().unwrap());
    assert!(s.store.annotations.is_empty());
}

#[test]
fn legacy_encoding_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252
        .encode("Le café était très “chaud” — déjà vu à l’hôtel, Noël coûte cher.");
    let p = dir.path().join("l.txt");
    std::fs::write(&p, &bytes).unwrap();
    let s = Session::open(&p).unwrap();
    assert_eq!(s.encoding, "windows-1252");
    assert!(s.notices.iter().any(|n| n.contains("windows-1252")));
}

#[test]
fn merge_adds_once_adds_tags_and_dry_runs() {
    let doc = Document::new("a", "one two three".into());
    let mut s = Session::new(doc.clone(), None);
    let a = Annotation::new(
        &doc,
        CharRange::new(0, 3),
        vec!["claim".into(), "novel".into()],
        "x",
        NOW,
    );
    let b = Annotation::new(&doc, CharRange::new(4, 7), vec![], "x", NOW);
    let imported = || Imported {
        annotations: vec![a.clone(), b.clone()],
        tags: vec![],
        skipped: vec!["bad line".into()],
        ..Default::default()
    };
    let dry = s.import(imported(), true).unwrap();
    assert_eq!(
        (dry.added, dry.duplicates, dry.new_tags.clone()),
        (2, 0, vec!["novel".to_string()])
    );
    assert!(
        s.store.annotations.is_empty() && !s.dirty,
        "dry run changes nothing"
    );
    let r = s.import(imported(), false).unwrap();
    assert_eq!(
        r.to_string(),
        "2 annotations added, new tags: novel, 1 skipped"
    );
    assert_eq!(s.store.annotations.len(), 2);
    assert_eq!(s.codebook().tags.last().unwrap().name, "novel");
    // Again: nothing new, by id; and a copy with a fresh id is still a duplicate.
    let mut copy = a.clone();
    copy.id = crate::model::AnnotationId::random();
    let r = s
        .import(
            Imported {
                annotations: vec![a.clone(), copy],
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!((r.added, r.duplicates), (0, 2));
    // One undo removes the whole import.
    s.history.seal();
    assert!(s.undo().unwrap());
    assert!(s.store.annotations.is_empty());
    assert_eq!(s.codebook().tags.len(), 4);
}

fn sidecar_with(doc: &Path, f: impl FnOnce(&mut Sidecar)) {
    let mut sc = Sidecar::load(&sidecar_path(doc)).unwrap().unwrap();
    f(&mut sc);
    std::fs::write(sidecar_path(doc), sc.to_ron().unwrap()).unwrap();
}

#[test]
fn the_backup_keeps_the_state_at_opening_through_many_saves() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "one two three four");
    let mut s = Session::open(&p).unwrap();
    s.annotate(CharRange::new(0, 3), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    let at_open = std::fs::read(sidecar_path(&p)).unwrap();
    // A new session: its first save backs up what it opened, once.
    let mut s = Session::open(&p).unwrap();
    for r in [(4, 7), (8, 13), (14, 18)] {
        s.annotate(CharRange::new(r.0, r.1), vec![], "a", NOW)
            .unwrap();
        s.save().unwrap();
    }
    let bak = crate::storage::backup_path(&sidecar_path(&p));
    assert_eq!(std::fs::read(&bak).unwrap(), at_open);
    assert_eq!(Session::open(&p).unwrap().store.annotations.len(), 4);
}

#[test]
fn a_pull_that_deleted_what_was_untouched_here_deletes_it_when_merged() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma delta epsilon.");
    let mut s = Session::open(&p).unwrap();
    let gone = s.annotate(CharRange::new(0, 5), vec![], "a", NOW).unwrap();
    let edited = s.annotate(CharRange::new(6, 10), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    // The pull deletes both; here one of them is edited, unsaved.
    sidecar_with(&p, |sc| sc.annotations.clear());
    s.set_note(&edited, "still mine", NOW).unwrap();
    let report = s.save().unwrap().expect("merged");
    assert_eq!((report.deleted, report.kept), (1, 1));
    assert!(
        s.annotation(&gone).is_none(),
        "deleted there, untouched here"
    );
    assert_eq!(
        s.annotation(&edited).map(|a| a.note.as_str()),
        Some("still mine")
    );
    let saved = Sidecar::load(&sidecar_path(&p)).unwrap().unwrap();
    assert_eq!(saved.annotations.len(), 1);
    // One undo brings the deleted one back.
    s.undo().unwrap();
    assert!(s.annotation(&gone).is_some());
}

#[test]
fn a_sidecar_changed_by_another_program_is_merged_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma delta epsilon.");
    let mut s = Session::open(&p).unwrap();
    let shared = s
        .annotate(CharRange::new(0, 5), vec!["claim".into()], "a", NOW)
        .unwrap();
    s.set_note(&shared, "mine", NOW).unwrap();
    s.save().unwrap();
    // Another window adds an annotation and a tag, and edits the shared
    // annotation's note later than we do.
    let later = NOW + time::Duration::minutes(5);
    let theirs_id = {
        let mut other = Session::open(&p).unwrap();
        other.set_note(&shared, "theirs", later).unwrap();
        let id = other
            .annotate(CharRange::new(6, 10), vec!["memo".into()], "b", later)
            .unwrap();
        other.save().unwrap();
        id
    };
    // Meanwhile this window changes the same note, earlier, and adds one.
    s.set_note(&shared, "mine, edited", NOW + time::Duration::minutes(1))
        .unwrap();
    let mine_id = s
        .annotate(CharRange::new(11, 16), vec![], "a", NOW)
        .unwrap();
    let report = s.save().unwrap().expect("a merge happened");
    assert_eq!((report.added, report.joined), (1, 1), "{report}");
    assert_eq!(report.codes_added, ["memo"]);
    let saved = Sidecar::load(&sidecar_path(&p)).unwrap().unwrap();
    let ids: Vec<_> = saved.annotations.iter().map(|a| a.id.clone()).collect();
    assert!(ids.contains(&theirs_id) && ids.contains(&mine_id) && ids.contains(&shared));
    let note = &saved
        .annotations
        .iter()
        .find(|a| a.id == shared)
        .unwrap()
        .note;
    assert!(
        note.contains("theirs")
            && note.contains("mine, edited")
            && note.contains(crate::merge::SEPARATOR),
        "{note}"
    );
    assert!(saved.codebook.get("memo").is_some());
    // And the merge saved what it found: no further change is pending.
    assert!(!s.dirty);
    assert!(!s.outside_changes().sidecar);
}

#[test]
fn an_unreadable_outside_change_stops_the_save_and_keeps_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma.");
    let mut s = Session::open(&p).unwrap();
    s.annotate(CharRange::new(0, 5), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    s.annotate(CharRange::new(6, 10), vec![], "a", NOW).unwrap();
    std::fs::write(sidecar_path(&p), "(version: 1, <<<<<<< conflict").unwrap();
    let e = s.save().unwrap_err();
    assert!(e.to_string().contains("another program"), "{e}");
    assert_eq!(
        std::fs::read_to_string(sidecar_path(&p)).unwrap(),
        "(version: 1, <<<<<<< conflict"
    );
    assert_eq!(s.store.annotations.len(), 2);
    assert!(s.dirty);
}

#[test]
fn without_unsaved_changes_an_outside_change_is_simply_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta gamma.");
    let mut s = Session::open(&p).unwrap();
    s.annotate(CharRange::new(0, 5), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    sidecar_with(&p, |sc| sc.annotations.clear());
    assert!(s.outside_changes().sidecar);
    let report = s.sync_sidecar().unwrap().expect("says what came in");
    assert!(
        s.store.annotations.is_empty(),
        "the other program's deletion is taken"
    );
    assert_eq!((report.added, report.deleted), (0, 1));
    assert!(!s.outside_changes().sidecar);

    // A pull that brings a colleague's annotation and a changed one.
    s.annotate(CharRange::new(0, 5), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    sidecar_with(&p, |sc| {
        sc.annotations[0].note = "changed".into();
        let doc = crate::model::Document::new("a.txt", "Alpha beta gamma.".into());
        let theirs = Annotation::new(&doc, CharRange::new(6, 10), vec![], "Ben", NOW);
        sc.annotations.push(theirs);
    });
    let report = s.sync_sidecar().unwrap().expect("says what came in");
    assert_eq!((report.added, report.updated, report.deleted), (1, 1, 0));
    assert_eq!(report.authors, ["Ben", "a"]);
    assert!(
        report
            .to_string()
            .contains("1 added, 1 updated (by Ben, a)"),
        "{report}"
    );
}

#[test]
fn save_as_refuses_the_unreadable_sidecar_its_backup_and_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Some text.");
    let scp = sidecar_path(&p);
    let future = "(version: 99, whatever: true)";
    std::fs::write(&scp, future).unwrap();
    std::fs::write(crate::storage::backup_path(&scp), "last good").unwrap();
    let mut s = Session::open(&p).unwrap();
    let why = s.read_only.clone().unwrap();
    assert!(
        why.contains("a.txt.annotations.ron.bak"),
        "names the last good copy: {why}"
    );
    for target in [scp.clone(), crate::storage::backup_path(&scp), p.clone()] {
        let e = s.save_as(&target).unwrap_err();
        assert!(
            matches!(e, crate::sidecar::SidecarError::Refused { .. }),
            "{target:?}: {e}"
        );
    }
    assert_eq!(std::fs::read_to_string(&scp).unwrap(), future);
    assert_eq!(
        std::fs::read_to_string(crate::storage::backup_path(&scp)).unwrap(),
        "last good"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "Some text.");
    // Elsewhere is fine, and the session becomes editable there.
    let elsewhere = dir.path().join("rescued.annotations.ron");
    s.save_as(&elsewhere).unwrap();
    assert!(s.read_only.is_none());
    assert!(Sidecar::load(&elsewhere).unwrap().is_some());
}

#[test]
fn a_document_edited_elsewhere_is_reloaded_and_reanchored_through_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let text = "First line.\r\nThe cat sat on the mat.\r\nLast line, “quoted”.\r\n";
    let p = write_doc(dir.path(), "a.txt", text);
    let mut s = Session::open(&p).unwrap();
    let cat = s
        .annotate(CharRange::new(13, 36), vec![], "a", NOW)
        .unwrap();
    let quoted = s
        .annotate(CharRange::new(49, 57), vec![], "a", NOW)
        .unwrap();
    s.save().unwrap();
    assert_eq!(s.annotation(&cat).unwrap().quote, "The cat sat on the mat.");
    std::fs::write(
        &p,
        "New first line!\r\nThe black cat sat on the mat.\r\nLast line, “quoted”.\r\n",
    )
    .unwrap();
    assert!(s.outside_changes().document);
    let report = s.reload_document().unwrap();
    assert_eq!(
        (report.moved, report.fuzzy, report.orphaned),
        (1, 1, 0),
        "{report}"
    );
    let a = s.annotation(&cat).unwrap();
    assert_eq!(a.quote, "The black cat sat on the mat.");
    assert!(a.needs_review());
    assert_eq!(s.annotation(&quoted).unwrap().quote, "“quoted”");
    assert!(s.dirty);
    assert!(!s.outside_changes().document);
}

#[test]
fn hand_edited_offsets_that_are_reversed_or_huge_load_as_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "a.txt", "Alpha beta.");
    let mut s = Session::open(&p).unwrap();
    s.annotate(CharRange::new(0, 5), vec![], "a", NOW).unwrap();
    s.annotate(CharRange::new(6, 10), vec![], "a", NOW).unwrap();
    s.save().unwrap();
    let ron = std::fs::read_to_string(sidecar_path(&p)).unwrap();
    let ron = ron
        .replacen("start: 0,", "start: 18446744073709551615,", 1)
        .replacen("start: 6,", "start: 11,", 1)
        .replacen("end: 10,", "end: 3,", 1)
        .replacen("quote: \"beta\"", "quote: \"nowhere to be found\"", 1);
    std::fs::write(sidecar_path(&p), ron).unwrap();
    let s = Session::open(&p).unwrap();
    assert!(s.read_only.is_none(), "{:?}", s.read_only);
    let kinds: Vec<_> = s.store.annotations.iter().map(|a| a.anchoring).collect();
    assert_eq!(s.store.annotations.len(), 2);
    // "Alpha" is found again by its quote; the other quote is nowhere: an orphan.
    assert!(
        kinds.contains(&crate::model::Anchoring::Orphaned),
        "{kinds:?}"
    );
}

#[test]
fn oversized_documents_and_sidecars_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse files: their size is checked, their bytes never read.
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 * 1024 * 1024 * 1024)
        .unwrap();
    let e = Session::open(&huge).err().unwrap();
    assert!(matches!(e, OpenError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("3072 MB"), "{e}");
    let p = write_doc(dir.path(), "a.txt", "Small text.");
    std::fs::File::create(sidecar_path(&p))
        .unwrap()
        .set_len(crate::sidecar::MAX_SIDECAR_BYTES + 1)
        .unwrap();
    let s = Session::open(&p).unwrap();
    let why = s.read_only.unwrap();
    assert!(why.contains("Gloss reads annotation files up to"), "{why}");
}

#[test]
fn tagging_all_matches_is_one_undo_step_and_never_doubles() {
    let doc = Document::new("a", "Drone strikes, drone strikes; DRONE e\u{301}.".into());
    let mut s = Session::new(doc, None);
    let found = crate::search::find(&s.doc, &crate::search::Query::plain("drone")).unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(s.tag_all(&found, "autocoded", "me", NOW, true).unwrap(), 3);
    assert!(s.store.annotations.is_empty(), "a dry run changes nothing");
    assert_eq!(s.tag_all(&found, "autocoded", "me", NOW, false).unwrap(), 3);
    assert_eq!(s.store.annotations.len(), 3);
    assert!(
        s.codebook().get("autocoded").is_some(),
        "a new tag joins the codebook"
    );
    assert_eq!(
        s.tag_all(&found, "autocoded", "me", NOW, false).unwrap(),
        0,
        "not twice"
    );
    assert!(s.undo().unwrap());
    assert!(s.store.annotations.is_empty(), "one undo removes them all");
    assert!(s.codebook().get("autocoded").is_none());
}

#[test]
fn a_documents_hash_is_of_its_text_however_it_was_encoded() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let text = "Café “quoted” — 😀\r\nline two";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let latin1: Vec<u8> = b"Caf\xe9 na\xefve \xab quoted \xbb, r\xe9sum\xe9 \xe0 la carte".to_vec();
    for (name, bytes) in [
        ("plain.txt", text.as_bytes().to_vec()),
        ("bom.txt", bom),
        ("latin1.txt", latin1),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let s = Session::open(&p).unwrap();
        let want = crate::model::hex(&Sha256::digest(s.doc.text().as_bytes()));
        assert_eq!(s.doc.sha256(), want, "{name}");
    }
}

#[test]
fn the_memo_is_saved_undone_and_merged_with_an_outside_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_doc(dir.path(), "m.txt", "Text — 😀.\r\n");
    let mut s = Session::open(&p).unwrap();
    s.set_memo("First").unwrap();
    s.set_memo("First thoughts").unwrap();
    s.save().unwrap();
    let sc = std::fs::read_to_string(sidecar_path(&p)).unwrap();
    assert!(sc.contains("memo: \"First thoughts\""), "{sc}");
    assert_eq!(Session::open(&p).unwrap().store.memo, "First thoughts");
    // Typing undoes as one step.
    s.undo().unwrap();
    assert_eq!(s.store.memo, "");
    s.redo().unwrap();
    // Another program's memo: one that grew ours replaces it; a
    // different one is kept beside ours.
    let mut theirs = s.to_sidecar();
    theirs.memo = "First thoughts, and more".into();
    let report = s.merge_sidecar(theirs.clone()).unwrap();
    assert!(report.memo);
    assert_eq!(s.store.memo, "First thoughts, and more");
    theirs.memo = "Other view".into();
    s.merge_sidecar(theirs).unwrap();
    // The base is what was last read or written ("First thoughts"): both
    // sides changed it, so both are kept under the merge's separator.
    assert_eq!(
        s.store.memo,
        format!(
            "First thoughts, and more\n\n{}\nOther view",
            crate::merge::SEPARATOR
        )
    );
    // An empty memo is not written at all, so older files stay as they were.
    s.set_memo("").unwrap();
    s.save().unwrap();
    let sc = std::fs::read_to_string(sidecar_path(&p)).unwrap();
    assert!(!sc.contains("memo"), "{sc}");
}
