//! Another program writes the annotation file between a change in the
//! window and its save (issue 16): the window merges through the one
//! engine, keeps what the user did, keeps what the other program wrote,
//! says exactly what came in, and never blocks on the file.

#![cfg(feature = "gui")]

use egui::Key;
use egui_kittest::kittest::Queryable;
use gloss::model::{Annotation, AnnotationId, CharRange, Tag};
use gloss::session::Session;
use gloss::sidecar::{Sidecar, sidecar_path};
use std::path::Path;

mod common;
use common::gui::{harness, run_until, run_until_saved};

const TEXT: &str = "“Six former officials” — said 😀 here.\r\nThe cat sat on the mat.\r\nLast “line” of 中文 text.\r\n";

/// A document with two annotations, saved.
fn document(dir: &Path) -> (std::path::PathBuf, Vec<AnnotationId>) {
    let doc = dir.join("a.txt");
    std::fs::write(&doc, TEXT).unwrap();
    let mut s = Session::open(&doc).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let ids = vec![
        s.annotate(CharRange::new(1, 20), vec!["claim".into()], "Tester", now)
            .unwrap(),
        s.annotate(
            CharRange::new(40, 47),
            vec!["evidence".into()],
            "Tester",
            now,
        )
        .unwrap(),
    ];
    s.save().unwrap();
    (doc, ids)
}

/// What another program adds to the sidecar on disk.
fn outside(doc: &Path, f: impl FnOnce(&mut Sidecar)) {
    let mut sc = Sidecar::load(&sidecar_path(doc)).unwrap().unwrap();
    f(&mut sc);
    std::fs::write(sidecar_path(doc), sc.to_ron().unwrap()).unwrap();
}

fn theirs(tags: &[&str]) -> Annotation {
    let d = gloss::model::Document::new("a.txt", TEXT.into());
    let tags = tags.iter().map(|t| t.to_string()).collect();
    Annotation::new(
        &d,
        CharRange::new(66, 70),
        tags,
        "Ben",
        time::OffsetDateTime::now_utc(),
    )
}

fn on_disk(doc: &Path) -> Sidecar {
    Sidecar::load(&sidecar_path(doc)).unwrap().unwrap()
}

#[test]
fn a_deleted_annotation_stays_deleted_when_another_program_adds_one() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, ids) = document(dir.path());
    let mut h = harness(dir.path(), Some(doc.clone()));
    h.key_press(Key::N);
    h.run_steps(1);
    let a = h.state().selected.clone().expect("N selects an annotation");
    h.key_press(Key::Delete);
    h.run_steps(1);
    assert!(h.state().session.annotation(&a).is_none());
    // Within the autosave second, another program adds C.
    let c = theirs(&["question"]);
    outside(&doc, |sc| sc.annotations.push(c.clone()));
    run_until(&mut h, |app| app.session.annotation(&c.id).is_some());
    run_until_saved(&mut h);
    assert!(h.state().session.annotation(&a).is_none(), "A is not back");
    assert!(
        h.query_by_label_contains("merged with yours: 1 added, 0 updated (by Ben)")
            .is_some(),
        "the notice counts what came in, and only that"
    );
    let disk: Vec<AnnotationId> = on_disk(&doc)
        .annotations
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert!(!disk.contains(&a) && disk.contains(&c.id));
    assert_eq!(disk.len(), 2, "{disk:?}");
    let other = ids.iter().find(|i| **i != a).unwrap();
    assert!(disk.contains(other));
}

#[test]
fn an_outside_annotation_with_an_empty_code_is_kept_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, _) = document(dir.path());
    let mut h = harness(dir.path(), Some(doc.clone()));
    h.key_press(Key::N);
    h.run_steps(1);
    let b = h.state().selected.clone().unwrap();
    h.key_press(Key::Num2);
    h.run_steps(1);
    assert!(h.state().session.annotation(&b).unwrap().has_tag("source"));
    let c = theirs(&[""]);
    outside(&doc, |sc| {
        sc.codebook.tags.push(Tag::new("", "#123456", ""));
        sc.annotations.push(c.clone());
    });
    run_until(&mut h, |app| app.session.annotation(&c.id).is_some());
    run_until_saved(&mut h);
    let got = h.state().session.annotation(&c.id).unwrap().clone();
    assert_eq!(got.tags, ["unnamed code"]);
    assert!(
        h.query_by_label_contains("a code with no name is now called “unnamed code”")
            .is_some(),
        "what was mended is said"
    );
    let disk = on_disk(&doc);
    assert!(
        disk.annotations.iter().any(|x| x.id == c.id),
        "and it is on disk"
    );
    let mine = disk.annotations.iter().find(|x| x.id == b).unwrap();
    assert!(mine.has_tag("source"), "and so is this window's change");
}

#[test]
fn ctrl_s_with_an_outside_change_merges_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, _) = document(dir.path());
    let mut h = harness(dir.path(), Some(doc.clone()));
    h.key_press(Key::N);
    h.run_steps(1);
    h.key_press(Key::Num4);
    h.run_steps(1);
    let c = theirs(&["claim"]);
    outside(&doc, |sc| sc.annotations.push(c.clone()));
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    // The frame that asked to save returns with the save still running
    // on another thread (or already done), never waiting on the file.
    h.step();
    run_until_saved(&mut h);
    assert!(h.state().session.annotation(&c.id).is_some());
    assert!(on_disk(&doc).annotations.iter().any(|x| x.id == c.id));
    assert!(
        on_disk(&doc)
            .annotations
            .iter()
            .any(|x| x.has_tag("question"))
    );
}
