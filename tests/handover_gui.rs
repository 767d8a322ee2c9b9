//! Editing another coder's annotation, driven through egui_kittest: in a
//! document several people coded, the first such edit asks; the answer is
//! kept for the document; who changed it is shown and saved.
#![cfg(feature = "gui")]

mod common;

use common::gui::{harness, run_until_saved};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gloss::model::{AnnotationId, CharRange};
use gloss::session::Session;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::GlossApp;
use gloss::ui::command::Command;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

const TEXT: &str = "The minister said the plan was ready.\nCritics said it was not.\n";
const QUESTION: &str =
    "This is Ana's annotation. Change it as Ben? Your name is recorded as who changed it.";

/// A document with Ana's annotation (noted) and, when `both`, Cy's too.
fn coded(dir: &Path, both: bool) -> (PathBuf, AnnotationId) {
    let p = dir.join("a.txt");
    std::fs::write(&p, TEXT).expect("write");
    let mut s = Session::open(&p).expect("opens");
    let t = OffsetDateTime::UNIX_EPOCH;
    let ana = s
        .annotate(CharRange::new(4, 12), vec!["claim".into()], "Ana", t)
        .expect("annotate");
    s.set_note(&ana, "Ana's note", t).expect("note");
    if both {
        s.annotate(CharRange::new(38, 45), vec![], "Cy", t)
            .expect("annotate");
    }
    s.save().expect("save");
    (p, ana)
}

/// The window, as Ben, showing Ana's annotation.
fn as_ben(dir: &Path, p: &Path, ana: &AnnotationId) -> Harness<'static, GlossApp> {
    let mut h = harness(&dir.join(".data"), Some(p.to_path_buf()));
    h.state_mut().prefs.author = "Ben".into();
    h.state_mut().push(Command::Reveal(ana.clone()));
    h.run_steps(3);
    h
}

fn type_in_note(h: &mut Harness<'_, GlossApp>, text: &str) {
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text(text);
    h.run();
}

fn note(h: &Harness<'_, GlossApp>, id: &AnnotationId) -> (String, String) {
    let a = h.state().session.annotation(id).expect("still there");
    (a.note.clone(), a.changed_by.clone())
}

fn click(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_all_by_label(label)
        .last()
        .unwrap_or_else(|| panic!("no {label}"))
        .click();
    h.run();
}

#[test]
fn changing_a_colleagues_note_asks_once_and_records_who_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let (p, ana) = coded(dir.path(), true);
    let mut h = as_ben(dir.path(), &p, &ana);
    type_in_note(&mut h, " Ben agrees.");
    assert!(h.query_by_label(QUESTION).is_some(), "asked");
    assert_eq!(note(&h, &ana), ("Ana's note".into(), String::new()));
    click(&mut h, "Change it");
    assert!(h.query_by_label(QUESTION).is_none());
    assert_eq!(
        note(&h, &ana),
        ("Ana's note Ben agrees.".into(), "Ben".into())
    );
    // Shown beside the author, in the editor and in the list.
    assert!(
        h.query_all_by_label_contains("Ana · changed by Ben")
            .count()
            >= 2
    );
    // Asked once for the document: the next edit goes through.
    h.key_press(egui::Key::Escape);
    h.run();
    h.state_mut()
        .push(Command::ToggleTag(ana.clone(), "claim".into()));
    h.run_steps(3);
    assert!(h.query_by_label(QUESTION).is_none());
    let a = h.state().session.annotation(&ana).unwrap();
    assert!(a.tags.is_empty(), "{:?}", a.tags);
    run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&p)).unwrap().unwrap();
    let a = saved.annotations.iter().find(|a| a.id == ana).unwrap();
    assert_eq!(
        (a.author.as_str(), a.note.as_str(), a.changed_by.as_str()),
        ("Ana", "Ana's note Ben agrees.", "Ben")
    );
}

#[test]
fn cancel_changes_nothing_whichever_way_the_edit_came() {
    let dir = tempfile::tempdir().unwrap();
    let (p, ana) = coded(dir.path(), true);
    let file = std::fs::read(sidecar_path(&p)).unwrap();
    let mut h = as_ben(dir.path(), &p, &ana);
    type_in_note(&mut h, " Ben disagrees.");
    assert!(h.query_by_label(QUESTION).is_some());
    click(&mut h, "Cancel");
    assert!(h.query_by_label(QUESTION).is_none());
    assert_eq!(note(&h, &ana), ("Ana's note".into(), String::new()));
    // The Delete key, a code's button: asked, and cancelled, each time.
    for command in [
        Command::Delete(ana.clone()),
        Command::ToggleTag(ana.clone(), "claim".into()),
        Command::ConfirmReview(ana.clone()),
    ] {
        h.state_mut().push(command.clone());
        h.run_steps(3);
        assert!(h.query_by_label(QUESTION).is_some(), "{command:?}");
        click(&mut h, "Cancel");
    }
    let a = h.state().session.annotation(&ana).expect("not deleted");
    assert_eq!(a.tags, vec!["claim".to_string()]);
    assert!(!h.state().session.dirty());
    h.run_steps(30);
    assert_eq!(std::fs::read(sidecar_path(&p)).unwrap(), file);
}

#[test]
fn a_document_one_coder_coded_never_asks() {
    let dir = tempfile::tempdir().unwrap();
    let (p, ana) = coded(dir.path(), false);
    let mut h = as_ben(dir.path(), &p, &ana);
    type_in_note(&mut h, " Ben too.");
    assert!(h.query_by_label(QUESTION).is_none());
    assert!(h.query_by_label_contains("Change it as").is_none());
    assert_eq!(note(&h, &ana), ("Ana's note Ben too.".into(), "Ben".into()));
}

#[test]
fn keys_pressed_while_asked_never_act_behind_the_question() {
    let dir = tempfile::tempdir().unwrap();
    let (p, ana) = coded(dir.path(), true);
    let mut h = as_ben(dir.path(), &p, &ana);
    type_in_note(&mut h, " x");
    assert!(h.query_by_label(QUESTION).is_some(), "asked");
    // Delete and a code key would change Ana's annotation; R would step.
    for key in [egui::Key::Delete, egui::Key::Num3, egui::Key::R] {
        h.key_press(key);
        h.run();
    }
    let a = h.state().session.annotation(&ana).expect("not deleted");
    assert_eq!(a.tags, ["claim"], "no code toggled behind the question");
    assert!(h.query_by_label(QUESTION).is_some(), "still asked");
    click(&mut h, "Cancel");
    assert_eq!(note(&h, &ana), ("Ana's note".into(), String::new()));
}
