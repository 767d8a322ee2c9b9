//! The window's merge with another program's writes, through the one
//! merge engine: what the user deleted stays deleted, what the other side
//! wrote is never dropped, and two writers take turns.

use super::*;
use crate::model::{Annotation, CharRange, Tag};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-12-07 12:00 UTC);
const TEXT: &str =
    "“Six former officials” — said 😀 👩‍👩‍👧 e\u{301}té 中文 עברית.\r\nSecond line here.";

fn open(dir: &Path) -> (PathBuf, Session) {
    let p = dir.join("a.txt");
    std::fs::write(&p, TEXT).unwrap();
    (p.clone(), Session::open(&p).unwrap())
}

/// What another program does to the sidecar on disk.
fn outside(doc: &Path, f: impl FnOnce(&mut Sidecar)) {
    let mut sc = Sidecar::load(&sidecar_path(doc)).unwrap().unwrap();
    f(&mut sc);
    std::fs::write(sidecar_path(doc), sc.to_ron().unwrap()).unwrap();
}

fn on_disk(doc: &Path) -> Sidecar {
    Sidecar::load(&sidecar_path(doc)).unwrap().unwrap()
}

fn theirs(start: usize, end: usize, tags: &[&str]) -> Annotation {
    let d = Document::new("a.txt", TEXT.into());
    let tags = tags.iter().map(|t| t.to_string()).collect();
    Annotation::new(&d, CharRange::new(start, end), tags, "Ben", NOW)
}

#[test]
fn a_deletion_here_stays_deleted_when_another_program_adds_an_annotation() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    let a = s
        .annotate(CharRange::new(0, 5), vec!["claim".into()], "Ana", NOW)
        .unwrap();
    let b = s
        .annotate(CharRange::new(6, 12), vec!["source".into()], "Ana", NOW)
        .unwrap();
    s.save().unwrap();
    s.delete(&a).unwrap();
    let c = theirs(30, 34, &["evidence"]);
    outside(&p, |sc| sc.annotations.push(c.clone()));
    let report = s.save().unwrap().expect("merged");
    assert_eq!(
        (report.added, report.deleted, report.updated),
        (1, 0, 0),
        "{report}"
    );
    assert!(s.annotation(&a).is_none(), "the user's deletion is kept");
    assert!(s.annotation(&b).is_some() && s.annotation(&c.id).is_some());
    let ids: Vec<_> = on_disk(&p).annotations.into_iter().map(|x| x.id).collect();
    assert!(!ids.contains(&a) && ids.contains(&b) && ids.contains(&c.id));
    assert_eq!(ids.len(), 2);
    // Edit → Undo says plainly what it would take back: the merge, not
    // "new annotation" (someone else's).
    assert_eq!(
        s.history.undo_label(&s.store).as_deref(),
        Some("changes merged from another program")
    );
    s.undo().unwrap();
    assert!(s.annotation(&c.id).is_none());
    assert_eq!(
        s.history
            .undo_label(&s.store)
            .as_deref()
            .map(|l| l.starts_with("deletion of")),
        Some(true),
        "the user's own step is next"
    );
}

#[test]
fn an_outside_annotation_with_an_empty_code_is_mended_and_kept_not_dropped() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    let b = s
        .annotate(CharRange::new(6, 12), vec![], "Ana", NOW)
        .unwrap();
    s.save().unwrap();
    s.toggle_tag(&b, "source", NOW).unwrap();
    let c = theirs(30, 34, &[""]);
    outside(&p, |sc| {
        sc.codebook.tags.push(Tag::new("", "#123456", ""));
        sc.annotations.push(c.clone());
    });
    let report = s.save().unwrap().expect("merged");
    assert_eq!(report.added, 1, "{report}");
    assert!(
        !report.mended.is_empty(),
        "what was mended is said: {report}"
    );
    assert!(report.to_string().contains("unnamed code"), "{report}");
    let got = s
        .annotation(&c.id)
        .expect("the other program's annotation is here");
    assert_eq!(got.tags, ["unnamed code"]);
    assert!(s.codebook().get("unnamed code").is_some());
    let disk = on_disk(&p);
    assert!(disk.annotations.iter().any(|x| x.id == c.id), "and on disk");
    let mine = disk.annotations.iter().find(|x| x.id == b).unwrap();
    assert_eq!(mine.tags, ["source"], "this side's change is there too");
}

#[test]
fn duplicate_ids_from_a_resolved_conflict_keep_both_versions() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    let b = s
        .annotate(CharRange::new(6, 12), vec![], "Ana", NOW)
        .unwrap();
    s.save().unwrap();
    s.annotate(CharRange::new(0, 3), vec![], "Ana", NOW)
        .unwrap();
    outside(&p, |sc| {
        let mut twin = sc.annotations[0].clone();
        twin.note = "the other hunk".into();
        sc.annotations.push(twin);
    });
    let report = s.save().unwrap().expect("merged");
    assert!(
        report.mended.iter().any(|m| m.contains("new id")),
        "{report}"
    );
    let disk = on_disk(&p);
    assert_eq!(
        disk.annotations.len(),
        3,
        "both hunks' versions and the new one"
    );
    assert!(disk.annotations.iter().any(|x| x.note == "the other hunk"));
    assert!(disk.annotations.iter().any(|x| x.id == b));
}

#[test]
fn undo_after_a_merge_takes_back_the_merge_as_one_step() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    s.annotate(CharRange::new(0, 5), vec![], "Ana", NOW)
        .unwrap();
    s.save().unwrap();
    s.annotate(CharRange::new(6, 12), vec![], "Ana", NOW)
        .unwrap();
    outside(&p, |sc| sc.annotations.push(theirs(30, 34, &["question"])));
    s.save().unwrap();
    assert_eq!(s.store.annotations.len(), 3);
    assert!(s.undo().unwrap());
    assert_eq!(s.store.annotations.len(), 2, "the merge undone alone");
}

#[test]
fn writers_at_once_take_turns_and_none_is_lost() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    s.annotate(CharRange::new(0, 5), vec![], "Ana", NOW)
        .unwrap();
    s.save().unwrap();
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let p = p.clone();
            std::thread::spawn(move || {
                let mut s = Session::open(&p).unwrap();
                s.annotate(
                    CharRange::new(i * 3, i * 3 + 2),
                    vec![],
                    &format!("w{i}"),
                    NOW,
                )
                .unwrap();
                s.save().unwrap()
            })
        })
        .collect();
    for w in writers {
        w.join().expect("no writer failed");
    }
    let disk = on_disk(&p);
    for i in 0..8 {
        assert!(
            disk.annotations.iter().any(|a| a.author == format!("w{i}")),
            "writer {i}'s annotation is in the file"
        );
    }
    assert_eq!(disk.annotations.len(), 9);
}

#[test]
fn save_as_never_replaces_another_documents_sidecar_or_the_project_file() {
    let d = tempfile::tempdir().unwrap();
    let (_, mut s) = open(d.path());
    s.annotate(CharRange::new(0, 5), vec![], "Ana", NOW)
        .unwrap();
    let other = d.path().join("b.txt");
    std::fs::write(&other, "Another document entirely.").unwrap();
    let mut o = Session::open(&other).unwrap();
    o.annotate(CharRange::new(0, 7), vec![], "Ben", NOW)
        .unwrap();
    o.save().unwrap();
    let theirs = sidecar_path(&other);
    let before = std::fs::read(&theirs).unwrap();
    let e = s.save_as(&theirs).unwrap_err();
    assert!(e.to_string().contains("b.txt"), "{e}");
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    let project = d.path().join(crate::sidecar::PROJECT_FILE_NAME);
    std::fs::write(&project, "(version: 1, codebook: (tags: []))").unwrap();
    assert!(s.save_as(&project).is_err());
    // Nor the name another document's annotations would take.
    let third = d.path().join("c.txt");
    std::fs::write(&third, "A third document.").unwrap();
    let e = s.save_as(&sidecar_path(&third)).unwrap_err();
    assert!(e.to_string().contains("c.txt"), "{e}");
    assert!(!sidecar_path(&third).exists());
    // Its own sidecar elsewhere is fine.
    s.save_as(&d.path().join("copy.annotations.ron")).unwrap();
}

#[test]
fn a_colleagues_edit_is_recorded_beside_the_author_and_merged() {
    let d = tempfile::tempdir().unwrap();
    let (p, mut s) = open(d.path());
    let a = s
        .annotate(CharRange::new(0, 5), vec![], "Ana", NOW)
        .unwrap();
    s.editor = "Ben".into();
    s.set_note(&a, "Ben thinks otherwise", NOW).unwrap();
    let got = s.annotation(&a).unwrap();
    assert_eq!(
        (got.author.as_str(), got.changed_by.as_str()),
        ("Ana", "Ben")
    );
    s.save().unwrap();
    assert!(
        std::fs::read_to_string(sidecar_path(&p))
            .unwrap()
            .contains("changed_by: \"Ben\"")
    );
    // The author's own edit clears it.
    s.editor = "Ana".into();
    s.toggle_tag(&a, "claim", NOW).unwrap();
    assert_eq!(s.annotation(&a).unwrap().changed_by, "");
}

/// `gloss import` and the window's Import run the same engine: what the
/// file brings is added, mended where it must be, and said.
mod import {
    use super::*;
    use crate::formats::Imported;

    fn session() -> Session {
        Session::new(Document::new("a.txt", TEXT.into()), None)
    }

    #[test]
    fn an_annotation_with_an_unnamed_code_is_kept_and_the_mending_said() {
        let mut s = session();
        let r = s
            .import(
                Imported {
                    annotations: vec![theirs(0, 5, &[""]), theirs(6, 9, &["claim"])],
                    ..Default::default()
                },
                false,
            )
            .unwrap();
        assert_eq!(r.added, 2);
        assert_eq!(s.store.annotations.len(), 2);
        assert!(
            s.store
                .annotations
                .iter()
                .any(|a| a.has_tag("unnamed code"))
        );
        assert!(s.codebook().get("unnamed code").is_some());
        assert_eq!(r.new_tags, ["unnamed code"]);
        assert!(
            r.to_string()
                .contains("mended in the file: a code with no name"),
            "{r}"
        );
        // The same file again: the same code, nothing new.
        let again = s
            .import(
                Imported {
                    annotations: vec![theirs(0, 5, &[""])],
                    ..Default::default()
                },
                false,
            )
            .unwrap();
        assert_eq!((again.added, again.duplicates), (0, 1));
        assert!(again.new_tags.is_empty(), "{:?}", again.new_tags);
    }

    #[test]
    fn an_import_leaves_rejected_places_and_the_history_alone() {
        let mut s = session();
        let a = theirs(0, 5, &["claim"]);
        s.import(
            Imported {
                annotations: vec![a.clone()],
                ..Default::default()
            },
            false,
        )
        .unwrap();
        s.reject(std::slice::from_ref(&a.id)).unwrap();
        s.delete(&a.id).unwrap();
        s.history.seal();
        let step = s.history.undo_label(&s.store);
        let r = s.import(Imported::default(), false).unwrap();
        assert_eq!(r.added, 0);
        assert_eq!(s.history.undo_label(&s.store), step, "no new undo step");
        assert_eq!(s.store.rejected, vec![a.id.clone()]);
        s.undo().unwrap();
        assert!(
            s.annotation(&a.id).is_some(),
            "undoing the delete still works"
        );
    }

    #[test]
    fn two_different_annotations_under_one_id_both_arrive() {
        let mut s = session();
        let a = theirs(0, 5, &["claim"]);
        let mut b = theirs(6, 9, &["source"]);
        b.id = a.id.clone();
        let r = s
            .import(
                Imported {
                    annotations: vec![a.clone(), b],
                    ..Default::default()
                },
                false,
            )
            .unwrap();
        assert_eq!((r.added, r.duplicates), (2, 0));
        assert_eq!(r.mended.len(), 1, "{:?}", r.mended);
        assert_eq!(s.store.annotations.len(), 2);
    }

    #[test]
    fn one_already_here_keeps_our_version_author_and_times() {
        let mut s = session();
        let mut ours = theirs(0, 5, &["claim"]);
        ours.author = "Ann".into();
        ours.note = "ours".into();
        s.import(
            Imported {
                annotations: vec![ours.clone()],
                ..Default::default()
            },
            false,
        )
        .unwrap();
        let mut again = ours.clone();
        again.author = "brat".into();
        again.modified = NOW + time::Duration::hours(1);
        again.note = "from the file".into();
        let r = s
            .import(
                Imported {
                    annotations: vec![again],
                    ..Default::default()
                },
                false,
            )
            .unwrap();
        assert_eq!((r.added, r.duplicates), (0, 1));
        let here = s.store.annotations.get(&ours.id).unwrap();
        assert_eq!((here.author.as_str(), here.note.as_str()), ("Ann", "ours"));
        assert_eq!(here.modified, ours.modified);
    }

    #[test]
    fn a_dry_run_reports_what_the_import_does_and_changes_nothing() {
        let mut s = session();
        let file = || Imported {
            annotations: vec![theirs(0, 5, &["claim", "novel"]), theirs(6, 9, &[])],
            tags: vec![Tag::new("claim", "#123456", "Said so.")],
            ..Default::default()
        };
        let before = (s.store.codebook.clone(), s.store.annotations.len());
        let dry = s.import(file(), true).unwrap();
        assert_eq!(
            (s.store.codebook.clone(), s.store.annotations.len()),
            before
        );
        let done = s.import(file(), false).unwrap();
        assert_eq!(dry, done);
        assert_eq!(done.updated_tags, ["claim"]);
        assert_eq!(done.new_tags, ["novel"]);
        assert_eq!(s.codebook().get("claim").unwrap().color, "#123456");
    }
}
