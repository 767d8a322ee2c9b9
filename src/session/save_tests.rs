use crate::model::CharRange;
use crate::session::Session;
use crate::sidecar::sidecar_path;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-12-02 12:00 UTC);

fn session(dir: &std::path::Path) -> Session {
    let p = dir.join("a.txt");
    std::fs::write(&p, "He said “no” — twice.\r\nThen 😀 left. ".repeat(50)).unwrap();
    let mut s = Session::open(&p).unwrap();
    for i in 0..40 {
        s.annotate(
            CharRange::new(i * 9, i * 9 + 4),
            vec!["claim".into()],
            "Ana",
            NOW,
        )
        .unwrap();
    }
    s
}

#[test]
fn a_background_save_writes_what_a_save_writes_and_keeps_later_edits() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut sync, mut bg) = (session(d1.path()), session(d2.path()));
    // Same ids on both sides, so the files can be compared byte for byte;
    // a rejected place and a memo, so every field is written.
    let ids = [sync.store.annotations.at(1).unwrap().id.clone()];
    sync.reject(&ids).unwrap();
    sync.set_memo("memo").unwrap();
    bg.store = sync.store.clone();
    sync.save().unwrap();
    let job = bg.save_job().expect("dirty");
    assert_eq!(job.len(), 40);
    // An edit made while the job runs.
    let id = bg.store.annotations.at(3).unwrap().id.clone();
    let saved = std::thread::spawn(move || job.run()).join().unwrap();
    bg.set_note(&id, "typed during the save", NOW).unwrap();
    assert!(matches!(
        bg.finish_save(saved).unwrap(),
        super::SaveOutcome::Saved(None)
    ));
    let read =
        |d: &tempfile::TempDir| std::fs::read(sidecar_path(&d.path().join("a.txt"))).unwrap();
    assert_eq!(read(&d1), read(&d2), "byte-identical to a synchronous save");
    assert!(
        String::from_utf8(read(&d1))
            .unwrap()
            .contains("rejected: [")
    );
    assert!(bg.dirty, "the edit made meanwhile is still to be saved");
    let job = bg.save_job().unwrap();
    assert!(matches!(
        bg.finish_save(job.run()).unwrap(),
        super::SaveOutcome::Saved(None)
    ));
    assert!(!bg.dirty);
    assert!(
        String::from_utf8(read(&d2))
            .unwrap()
            .contains("typed during the save")
    );
    assert!(bg.save_job().is_none(), "nothing left to save");
}

#[test]
fn a_background_save_never_writes_over_another_programs_changes() {
    let d = tempfile::tempdir().unwrap();
    let mut s = session(d.path());
    s.save().unwrap();
    let id = s.store.annotations.at(0).unwrap().id.clone();
    s.set_note(&id, "mine", NOW).unwrap();
    let job = s.save_job().unwrap();
    let path = sidecar_path(&d.path().join("a.txt"));
    let theirs =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("note: \"\"", "note: \"theirs\"", 1);
    std::fs::write(&path, &theirs).unwrap();
    // The job finds the other program's change and merges it, off the
    // window's thread: both notes are in the file, and here.
    match s.finish_save(job.run()).unwrap() {
        super::SaveOutcome::Saved(Some(report)) => assert_eq!(report.joined, 1, "{report}"),
        other => panic!("{other:?}"),
    }
    let merged = std::fs::read_to_string(&path).unwrap();
    assert!(
        merged.contains("mine") && merged.contains("theirs"),
        "{merged}"
    );
    assert!(!s.dirty);
    assert!(s.annotation(&id).unwrap().note.contains("theirs"));
    // One undo step takes the merge back.
    assert!(s.undo().unwrap());
    assert_eq!(s.annotation(&id).unwrap().note, "mine");
}

#[test]
fn edits_made_while_a_merging_save_runs_are_merged_with_what_it_wrote() {
    let d = tempfile::tempdir().unwrap();
    let mut s = session(d.path());
    s.save().unwrap();
    let (a, b) = (
        s.store.annotations.at(0).unwrap().id.clone(),
        s.store.annotations.at(1).unwrap().id.clone(),
    );
    s.set_note(&a, "sent", NOW).unwrap();
    let job = s.save_job().unwrap();
    let path = sidecar_path(&d.path().join("a.txt"));
    let theirs =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("note: \"\"", "note: \"from them\"", 2);
    std::fs::write(&path, &theirs).unwrap();
    let saved = job.run();
    s.set_note(&b, "typed meanwhile", NOW).unwrap();
    assert!(matches!(
        s.finish_save(saved).unwrap(),
        super::SaveOutcome::Again
    ));
    assert!(s.dirty);
    s.save().unwrap();
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(
        file.contains("sent") && file.contains("typed meanwhile"),
        "{file}"
    );
    assert!(file.contains("from them"), "{file}");
    assert!(!s.dirty);
}

#[test]
fn save_as_runs_on_another_thread_and_edits_made_meanwhile_follow_it() {
    let d = tempfile::tempdir().unwrap();
    let mut s = session(d.path());
    s.save().unwrap();
    let elsewhere = d.path().join("copy.ron");
    let job = s.save_as_job(&elsewhere);
    let id = s.store.annotations.at(2).unwrap().id.clone();
    let saved = std::thread::spawn(move || job.run()).join().unwrap();
    s.set_note(&id, "typed during Save As", NOW).unwrap();
    s.finish_save_as(saved).unwrap();
    assert_eq!(s.sidecar_path.as_deref(), Some(elsewhere.as_path()));
    let written = std::fs::read_to_string(&elsewhere).unwrap();
    assert!(!written.contains("typed during Save As"));
    assert!(s.dirty, "the edit made meanwhile is still to be saved");
    s.save().unwrap();
    assert!(
        std::fs::read_to_string(&elsewhere)
            .unwrap()
            .contains("typed during Save As"),
        "the next save goes to the new place"
    );
    let first = std::fs::read_to_string(sidecar_path(&d.path().join("a.txt"))).unwrap();
    assert!(!first.contains("typed during Save As"));
}

#[test]
fn save_as_refuses_in_the_job_and_the_session_stays_where_it_was() {
    let d = tempfile::tempdir().unwrap();
    let mut s = session(d.path());
    let before = s.sidecar_path.clone();
    std::fs::write(d.path().join("b.txt"), "another document").unwrap();
    for bad in [
        "a.txt",
        "b.txt.annotations.ron",
        "x.bak",
        "gloss-project.ron",
        "b.txt",
        "new-notes.txt",
    ] {
        let saved = s.save_as_job(&d.path().join(bad)).run();
        let e = s.finish_save_as(saved).unwrap_err();
        assert!(
            matches!(e, crate::sidecar::SidecarError::Refused { .. }),
            "{bad}: {e}"
        );
        assert_eq!(s.sidecar_path, before);
        assert!(s.dirty);
    }
    assert!(!d.path().join("b.txt.annotations.ron").exists());
    assert!(!d.path().join("new-notes.txt").exists());
    assert_eq!(
        std::fs::read_to_string(d.path().join("b.txt")).unwrap(),
        "another document"
    );
}

#[test]
fn a_save_as_for_the_document_shown_before_never_moves_this_one() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let before = session(d1.path());
    std::fs::write(d2.path().join("a.txt"), "Another text altogether.").unwrap();
    let mut now = Session::open(&d2.path().join("a.txt")).unwrap();
    let mine = now.sidecar_path.clone();
    let elsewhere = d1.path().join("copy.ron");
    let saved = before.save_as_job(&elsewhere).run();
    now.finish_save_as(saved).unwrap();
    assert_eq!(now.sidecar_path, mine, "still saving where it did");
    assert!(
        elsewhere.exists(),
        "the other document's annotations were written"
    );
}

#[test]
fn the_look_for_outside_changes_runs_off_thread_and_a_stale_one_is_ignored() {
    let d = tempfile::tempdir().unwrap();
    let mut s = session(d.path());
    s.save().unwrap();
    let sc = sidecar_path(&d.path().join("a.txt"));
    // Rewritten with the same bytes: its time moved, its content did not.
    let same = std::fs::read(&sc).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&sc, &same).unwrap();
    let check = s.outside_check();
    let checked = std::thread::spawn(move || check.run()).join().unwrap();
    assert_eq!(
        s.finish_outside_check(checked),
        crate::session::Outside::default()
    );
    // Now really changed by another program.
    std::fs::write(&sc, String::from_utf8(same).unwrap().replace("Ana", "Ann")).unwrap();
    let checked = s.outside_check().run();
    assert!(s.finish_outside_check(checked).sidecar);
    // A look that began before this session wrote the file says nothing.
    let stale = s.outside_check();
    s.set_note(&s.store.annotations.at(0).unwrap().id.clone(), "x", NOW)
        .unwrap();
    s.save().unwrap();
    let checked = stale.run();
    assert_eq!(
        s.finish_outside_check(checked),
        crate::session::Outside::default()
    );
}
