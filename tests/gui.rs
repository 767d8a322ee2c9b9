//! GUI tests: drive the real app through egui_kittest (no display needed)
//! and check the model and the saved sidecar.

#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use gloss::model::CharRange;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::GlossApp;
use std::path::{Path, PathBuf};

mod common;
use common::gui::{
    drag, drag_select, find, harness, harness_with, run_until, run_until_saved, settle,
};

const SENTENCE: &str = "Threats of drone strikes are part of an increasingly aggressive exercise of gunboat diplomacy to subordinate Mexico and the wider region to colonial status.";

#[test]
fn select_tag_note_save_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let sidecar = sidecar_path(&dir.path().join("sample").join("article.txt"));
    let shipped = h.state().session.store().annotations.len();
    assert!(shipped >= 8, "the sample opens with its annotations");

    let listed = &SENTENCE[..40];
    let in_list = || By::new().role(Role::ListItem).label_contains(listed);
    let listed_before = h.query_all(in_list()).count();
    let range = find(&h, SENTENCE);
    drag_select(&mut h, range);
    assert_eq!(
        h.state().reader.selected_range(&h.state().session),
        Some(range)
    );

    h.key_press(Key::Num1);
    h.run();
    let app = h.state();
    let id = app
        .selected
        .clone()
        .expect("the new annotation is selected");
    let a = app.session.annotation(&id).unwrap();
    assert_eq!(a.quote, SENTENCE);
    assert_eq!((a.start, a.end), (range.start, range.end));
    assert_eq!(a.tags, ["claim"]);
    assert_eq!(a.author, "Tester");
    // It is listed in the side panel.
    assert_eq!(
        h.query_all(in_list()).count(),
        listed_before + 1,
        "the list shows the new annotation"
    );

    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note")
        .type_text("check against the NBC report");
    h.run();
    assert_eq!(
        h.state().session.annotation(&id).unwrap().note,
        "check against the NBC report"
    );

    // Autosave runs about a second after the last change.
    run_until_saved(&mut h);
    assert!(!h.state().session.dirty(), "autosaved");
    let saved = Sidecar::load(&sidecar).unwrap().unwrap();
    let s = saved
        .annotations
        .iter()
        .find(|a| a.id == id)
        .expect("saved");
    assert_eq!(s.quote, SENTENCE);
    assert_eq!(s.note, "check against the NBC report");
    assert_eq!(s.tags, ["claim"]);
    assert_eq!(saved.annotations.len(), shipped + 1);

    // Undo (note typing is one step, then the annotation itself).
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.annotation(&id).unwrap().note, "");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state().session.annotation(&id).is_none(),
        "undo removed it"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert!(
        h.state().session.annotation(&id).is_some(),
        "redo restored it"
    );
}

#[test]
fn clicking_a_tag_button_and_a_highlight() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let range = find(&h, "gunboat diplomacy");
    drag_select(&mut h, range);
    h.get_by_label("2 source").click();
    h.run();
    let id = h.state().selected.clone().unwrap();
    assert_eq!(h.state().session.annotation(&id).unwrap().tags, ["source"]);

    // Click elsewhere, then on the highlight: it selects the annotation.
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().selected.is_none());
    let app = h.state();
    let p = app
        .reader
        .screen_pos(&app.session, range.start + 3)
        .unwrap();
    h.drag_at(p);
    h.step();
    h.drop_at(p);
    h.run();
    assert_eq!(h.state().selected.as_ref(), Some(&id));

    // Toggle a second tag in the side panel, then delete with the key.
    h.get_by_role_and_label(Role::Button, "evidence").click();
    h.run();
    assert_eq!(
        h.state().session.annotation(&id).unwrap().tags,
        ["source", "evidence"]
    );
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().session.annotation(&id).is_none());
}

#[test]
fn double_click_selects_a_word_and_h_highlights_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let range = find(&h, "gunboat");
    let app = h.state();
    let p = app
        .reader
        .screen_pos(&app.session, range.start + 2)
        .unwrap();
    for _ in 0..2 {
        h.drag_at(p);
        h.step();
        h.drop_at(p);
        h.step();
    }
    h.run();
    assert_eq!(
        h.state().reader.selected_range(&h.state().session),
        Some(range)
    );
    h.key_press(Key::H);
    h.run();
    let id = h.state().selected.clone().unwrap();
    let a = h.state().session.annotation(&id).unwrap();
    assert_eq!((a.quote.as_str(), a.tags.len()), ("gunboat", 0));
    // Shift+→ grows the end by one char, Alt+Shift+→ shrinks the start.
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    h.key_press_modifiers(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    assert_eq!(h.state().session.annotation(&id).unwrap().quote, "unboat ");
}

#[test]
fn corrupt_sidecar_is_shown_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("report.txt");
    std::fs::write(&doc, "A report.\r\nIt says things.").unwrap();
    let sc = sidecar_path(&doc);
    let garbage = b"(version: 1, document: (name: \"report.txt\", chars: 3, sha256: \"x\"), codebook: [ broken";
    std::fs::write(&sc, garbage).unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    assert_eq!(h.state().session.doc().name, "report.txt");
    assert!(
        h.query_by_label_contains("is not a valid Gloss annotation file")
            .is_some(),
        "the error is shown"
    );
    let range = find(&h, "says");
    drag_select(&mut h, range);
    h.key_press(Key::Num1);
    h.run_steps(10);
    assert!(
        h.state().session.store().annotations.is_empty(),
        "read-only: nothing created"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(4);
    assert_eq!(
        std::fs::read(&sc).unwrap(),
        garbage,
        "byte-for-byte unchanged"
    );
}

#[test]
fn crlf_documents_select_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("crlf.txt");
    std::fs::write(&doc, "First line.\r\nSecond line here.\r\n\r\nThird.").unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    // From inside line one to inside line two: the CRLF counts two chars.
    let range = CharRange::new(6, 19);
    drag_select(&mut h, range);
    h.key_press(Key::Num2);
    h.run();
    let id = h.state().selected.clone().unwrap();
    assert_eq!(
        h.state().session.annotation(&id).unwrap().quote,
        "line.\r\nSecond"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    // The save runs on another thread: wait for it, by the clock.
    common::gui::run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&doc)).unwrap().unwrap();
    assert_eq!(
        (saved.annotations[0].start, saved.annotations[0].end),
        (6, 19)
    );
}

#[test]
fn missing_file_shows_a_message_and_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let h = harness(dir.path(), Some(dir.path().join("nope.txt")));
    assert_eq!(
        h.state().session.doc().name,
        "article.txt",
        "falls back to the sample"
    );
    assert!(h.query_by_label_contains("nope.txt").is_some());
}

#[test]
fn opening_a_dropped_file_and_codebook_changes() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("notes.md");
    std::fs::write(&doc, "# Title\n\nSome *markdown* text.").unwrap();
    let mut h = harness(dir.path(), None);
    // Drop the file onto the window, as the OS would.
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(doc.clone())));
    h.run();
    // Opening runs on another thread; the window keeps painting meanwhile.
    run_until(&mut h, |app| app.session.doc().name == "notes.md");
    assert!(
        h.state().session.doc().text().contains("*markdown*"),
        "Markdown shows as text"
    );
    assert!(
        h.state()
            .prefs
            .recent
            .iter()
            .any(|p| p.ends_with("notes.md"))
    );
    // Tags menu → Add Tag opens the codebook with a fresh tag.
    h.get_by_label("+ Tag…").click();
    h.run();
    assert_eq!(h.state().session.codebook().tags.len(), 5);
    assert!(h.query_by_label("Codebook").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.codebook().tags.len(), 4);
}

/// A file dropped onto the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Asks the window to close, as the window manager would; returns whether
/// the app cancelled the close.
fn request_close(h: &mut Harness<'_, GlossApp>) -> bool {
    push_close(h);
    h.step();
    let cancelled = sent(h, egui::ViewportCommand::CancelClose);
    h.run();
    cancelled
}

/// The window manager's close request, delivered at the next frame.
fn push_close(h: &mut Harness<'_, GlossApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
}

/// Whether the last frame sent the window `command`.
fn sent(h: &Harness<'_, GlossApp>, command: egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&command))
}

#[test]
fn closing_saves_first_and_asks_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("a.txt");
    std::fs::write(&doc, "Alpha beta gamma.").unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    drag_select(&mut h, CharRange::new(6, 10));
    h.key_press(Key::Num3);
    h.run_steps(2);
    assert!(h.state().session.dirty());
    // The close waits for the save, which runs on another thread; the
    // window says so and closes once the annotations are written.
    push_close(&mut h);
    h.step();
    // Cancelled while the save runs (an autosave may already have written
    // it: then the window just closes).
    let mut closed =
        !sent(&h, egui::ViewportCommand::CancelClose) || sent(&h, egui::ViewportCommand::Close);
    for _ in 0..500 {
        if closed {
            break;
        }
        h.step();
        if sent(&h, egui::ViewportCommand::Close) {
            closed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(closed, "saving worked, so the window closes");
    assert!(!h.state().session.dirty());
    assert_eq!(
        Sidecar::load(&sidecar_path(&doc))
            .unwrap()
            .unwrap()
            .annotations
            .len(),
        1
    );

    // Now make saving impossible: the close is cancelled and the user asked.
    // (A folder where the annotation file was: not even root can write it.)
    std::fs::remove_file(sidecar_path(&doc)).unwrap();
    std::fs::create_dir(sidecar_path(&doc)).unwrap();
    drag_select(&mut h, CharRange::new(0, 5));
    h.key_press(Key::Num1);
    h.run_steps(2);
    assert!(request_close(&mut h), "unsaved changes: close cancelled");
    assert!(h.query_by_label("Quit without saving").is_some());
    assert!(
        h.query_by_label("Annotations not saved").is_some(),
        "the quit dialog is shown"
    );
}

#[test]
fn n_and_p_walk_through_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.key_press(Key::N);
    h.run();
    let first = h
        .state()
        .session
        .store()
        .annotations
        .at(0)
        .unwrap()
        .id
        .clone();
    assert_eq!(h.state().selected.as_ref(), Some(&first));
    h.key_press(Key::N);
    h.run();
    let second = h
        .state()
        .session
        .store()
        .annotations
        .at(1)
        .unwrap()
        .id
        .clone();
    assert_eq!(h.state().selected.as_ref(), Some(&second));
    h.key_press(Key::P);
    h.run();
    assert_eq!(h.state().selected.as_ref(), Some(&first));
}

#[test]
fn export_and_import_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export…").click();
    h.run();
    // The format chooser is shown; pick W3C (the save dialog itself is not driven).
    h.get_by_label("W3C Web Annotation (JSON-LD)").click();
    h.run();
    assert_eq!(h.state().prefs.export_format, gloss::formats::Format::W3c);

    let out = dir.path().join("anns.jsonld");
    h.state_mut()
        .export_to(gloss::formats::Format::W3c, &out, false);
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Exported 13 annotations as w3c")
            .is_some()
    );
    assert_eq!(h.state().prefs.exchange_dir.as_deref(), Some(dir.path()));

    // Import into another document that has the same text: all 13 arrive, as one undo step.
    let other = dir.path().join("copy.txt");
    std::fs::write(&other, gloss::sample::ARTICLE).unwrap();
    assert!(h.state_mut().open(&other));
    h.run();
    h.state_mut().import_from(gloss::formats::Format::W3c, &out);
    settle(&mut h);
    assert_eq!(h.state().session.store().annotations.len(), 13);
    assert!(h.query_by_label_contains("13 annotations added").is_some());
    h.state_mut().import_from(gloss::formats::Format::W3c, &out);
    settle(&mut h);
    assert_eq!(
        h.state().session.store().annotations.len(),
        13,
        "no duplicates"
    );
    run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&other)).unwrap().unwrap();
    assert_eq!(saved.annotations.len(), 13, "autosaved after import");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state().session.store().annotations.is_empty(),
        "one undo removes the import"
    );

    // A broken file is reported, nothing changes.
    let bad = dir.path().join("bad.jsonld");
    std::fs::write(&bad, "{ nope").unwrap();
    h.state_mut().import_from(gloss::formats::Format::W3c, &bad);
    settle(&mut h);
    assert!(h.query_by_label_contains("Could not import").is_some());
}

#[test]
fn deleting_a_tag_in_use_asks_and_keeps_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let before = h.state().session.store().annotations.len();
    let claims = h.state().session.store().annotations.count_tag("claim");
    assert!(claims > 0);
    h.get_by_label("Tags").click();
    h.run();
    h.get_by_label("Codebook…").click();
    h.run();
    h.get_by_label("Code menu claim").click();
    h.run();
    h.get_by_label("Delete…").click();
    h.run();
    assert!(
        h.query_by_label("Delete tag “claim”?").is_some(),
        "asks first"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        h.state().session.codebook().tags[0].name,
        "claim",
        "cancel keeps it"
    );
    h.get_by_label("Code menu claim").click();
    h.run();
    h.get_by_label("Delete…").click();
    h.run();
    h.get_by_label("Delete tag").click();
    h.run();
    let s = &h.state().session;
    assert!(s.codebook().get("claim").is_none());
    assert_eq!(s.store().annotations.len(), before, "no annotation dropped");
    assert_eq!(s.store().annotations.count_tag("claim"), 0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().session.store().annotations.count_tag("claim"),
        claims,
        "undo restores the tag on them"
    );
}

#[test]
fn preferences_and_shortcut_windows_open_and_are_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Preferences…").click();
    h.run();
    let name = h.get_by_label("Your name");
    name.focus();
    name.type_text(" Jr");
    h.run();
    assert_eq!(h.state().prefs.author, "Tester Jr");
    h.get_by_label("Dark").click();
    h.run();
    assert_eq!(h.state().prefs.theme, gloss::ui::prefs::ThemeChoice::Dark);
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    // Zoom changes the reading size only.
    let size = h.state().prefs.font_size;
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    assert_eq!(h.state().prefs.font_size, size + 1.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert_eq!(
        h.state().prefs.font_size,
        gloss::ui::prefs::DEFAULT_FONT_SIZE
    );
}

#[test]
fn edited_document_moves_annotations_and_saves_the_new_positions() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("article.txt");
    std::fs::write(
        &doc,
        gloss::sample::ARTICLE.replacen("Six former", "Seven former", 1),
    )
    .unwrap();
    let sidecar = sidecar_path(&doc);
    std::fs::write(&sidecar, gloss::sample::ANNOTATIONS).unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    assert!(
        h.query_by_label_contains("12 moved, 1 fuzzy (marked “review”), 0 orphaned")
            .is_some()
    );
    let fuzzy: Vec<_> = h
        .state()
        .session
        .store()
        .annotations
        .iter()
        .filter(|a| a.needs_review())
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(fuzzy.len(), 1);
    let fuzzy = fuzzy[0].clone();
    {
        let a = h.state().session.annotation(&fuzzy).unwrap();
        assert!(a.quote.starts_with("Seven former"), "{}", a.quote);
        assert!(a.review.as_deref().unwrap().starts_with("Six former"));
    }
    // The list has a section for it; the banner's Review button goes there.
    assert!(h.query_by_label_contains("review 1").is_some());
    h.get_by_label("Review").click();
    h.run();
    assert_eq!(h.state().selected.as_ref(), Some(&fuzzy));
    assert!(h.query_by_label_contains("It was: “Six former").is_some());
    run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar).unwrap().unwrap();
    assert_eq!(
        saved.annotations.len(),
        13,
        "every annotation is kept in the file"
    );
    let text = std::fs::read_to_string(&doc).unwrap();
    let d = gloss::model::Document::new("article.txt", text);
    let placed = saved
        .annotations
        .iter()
        .filter(|a| d.slice(a.range()) == a.quote)
        .count();
    assert_eq!(placed, 13, "moved and fuzzy positions were saved");
    assert!(
        saved.annotations.iter().any(|a| a.review.is_some()),
        "still to be reviewed, in the file too"
    );
    assert!(
        std::fs::read_to_string(gloss::storage::backup_path(&sidecar)).unwrap()
            == gloss::sample::ANNOTATIONS,
        "old positions in .bak"
    );
    // Confirming clears the mark, and that is saved too.
    h.get_by_label("✔ Confirm").click();
    run_until_saved(&mut h);
    assert!(!h.state().session.annotation(&fuzzy).unwrap().needs_review());
    let saved = Sidecar::load(&sidecar).unwrap().unwrap();
    assert!(saved.annotations.iter().all(|a| a.review.is_none()));
    assert!(
        std::fs::read_to_string(gloss::storage::backup_path(&sidecar)).unwrap()
            == gloss::sample::ANNOTATIONS,
        "the backup still holds the state at opening"
    );
}

#[test]
fn undo_in_a_note_is_the_sessions_and_never_brings_back_another_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let ids: Vec<_> = h
        .state()
        .session
        .store()
        .annotations
        .iter()
        .take(2)
        .map(|a| a.id.clone())
        .collect();
    let notes: Vec<String> = ids
        .iter()
        .map(|id| h.state().session.annotation(id).unwrap().note.clone())
        .collect();
    // Type into the first annotation's note.
    h.state_mut()
        .push(gloss::ui::command::Command::Reveal(ids[0].clone()));
    h.run_steps(3);
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text(" FIRST");
    h.run();
    let typed = h.state().session.annotation(&ids[0]).unwrap().note.clone();
    assert!(
        typed.contains(" FIRST") && typed.len() == notes[0].len() + 6,
        "{typed}"
    );
    // Then the second's.
    h.state_mut()
        .push(gloss::ui::command::Command::Reveal(ids[1].clone()));
    h.run_steps(3);
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text(" SECOND");
    h.run();
    // Ctrl+Z in the focused note: the session's undo, one typing burst at a time.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let s = &h.state().session;
    assert_eq!(
        s.annotation(&ids[1]).unwrap().note,
        notes[1],
        "second note undone"
    );
    assert_eq!(
        s.annotation(&ids[0]).unwrap().note,
        typed,
        "the first note is untouched"
    );
    // Still in the second note, Ctrl+Z stops at its own typing; Edit →
    // Undo (one history) takes back the first note.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.annotation(&ids[0]).unwrap().note, typed);
    h.state_mut().push(gloss::ui::command::Command::Undo);
    h.run();
    let s = &h.state().session;
    assert_eq!(s.annotation(&ids[0]).unwrap().note, notes[0]);
    assert_eq!(s.annotation(&ids[1]).unwrap().note, notes[1]);
    // Nothing else came back: every other note is as shipped.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().session.annotation(&ids[1]).unwrap().note,
        notes[1]
    );
}

#[test]
fn exporting_from_the_window_never_replaces_the_document_and_asks_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("report.txt");
    let crlf = "A report.\r\nIt says “things”.\r\n";
    std::fs::write(&doc, crlf).unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    let range = find(&h, "says");
    drag_select(&mut h, range);
    h.key_press(Key::Num1);
    run_until_saved(&mut h);
    // brat into the document's own folder (where the picker starts).
    h.state_mut()
        .export_to(gloss::formats::Format::Brat, dir.path(), false);
    settle(&mut h);
    assert_eq!(
        std::fs::read(&doc).unwrap(),
        crlf.as_bytes(),
        "the document is untouched"
    );
    assert!(dir.path().join("report.txt.brat/report.ann").exists());
    // Straight over the document: refused, and said so.
    h.state_mut()
        .export_to(gloss::formats::Format::Csv, &doc, true);
    settle(&mut h);
    assert_eq!(std::fs::read(&doc).unwrap(), crlf.as_bytes());
    assert!(h.query_by_label_contains("will not write").is_some());
    // An existing export file: the window asks, and replaces when told to.
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "precious").unwrap();
    h.state_mut()
        .export_to(gloss::formats::Format::Csv, &out, false);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    assert!(
        h.query_by_label_contains("Replace it with this export?")
            .is_some()
    );
    h.get_by_label("Replace").click();
    settle(&mut h);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("document,")
    );
}

/// Drags across the phrase at `range` as it is displayed: from the left
/// edge of its leftmost glyph to the right edge of its rightmost one.
fn drag_over_displayed(
    h: &mut Harness<'_, GlossApp>,
    range: CharRange,
) -> (egui::Pos2, egui::Pos2) {
    let (left, right, y) = common::gui::drawn_extent(h, range);
    let (a, b) = (egui::pos2(left + 1.0, y), egui::pos2(right - 1.0, y));
    drag(h, a, b);
    (a, b)
}

#[test]
fn right_to_left_phrases_select_exactly_what_is_displayed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("mixed.txt");
    let text = "Intro line.\nMixed: العربية لغة جميلة (Arabic is beautiful) and שלום עולם here.\nשלום עולם, this line starts in Hebrew.\n";
    std::fs::write(&doc, text).unwrap();
    let mut h = harness_with(dir.path(), Some(doc.clone()), true);
    for phrase in ["العربية لغة جميلة", "שלום עולם"] {
        let range = find(&h, phrase);
        // What is drawn at each char's box is that char: the boxes follow
        // egui's real right-to-left shaping, not its logical guess.
        {
            let app = h.state();
            let mut reversed = 0;
            for o in range.start..range.end {
                let c = app
                    .session
                    .doc()
                    .slice(CharRange::new(o, o + 1))
                    .chars()
                    .next()
                    .unwrap();
                if c == ' ' {
                    continue;
                }
                let r = app.reader.char_rect(&app.session, o).unwrap();
                assert_eq!(app.reader.drawn_char_at(r.center()), Some(c), "char {o}");
                let next = app.reader.char_rect(&app.session, o + 1).unwrap();
                if next.center().x < r.center().x {
                    reversed += 1;
                }
            }
            assert!(reversed > 0, "{phrase}: drawn right to left");
        }
        drag_over_displayed(&mut h, range);
        assert_eq!(
            h.state().reader.selected_range(&h.state().session),
            Some(range),
            "{phrase}: the drag selects exactly the displayed phrase"
        );
        h.key_press(Key::Num1);
        h.run();
        let id = h.state().selected.clone().expect("annotated");
        assert_eq!(h.state().session.annotation(&id).unwrap().quote, phrase);
        h.key_press(Key::Escape);
        h.run();
    }
    // Shift+Right extends the selection in logical order, RTL or not.
    let word = find(&h, "עולם");
    let start = word.start;
    let app = h.state_mut();
    app.reader.selection = Some(gloss::model::Selection {
        anchor: start,
        head: start + 2,
    });
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().reader.selected_range(&h.state().session),
        Some(CharRange::new(start, start + 3))
    );
    // Saved as selected.
    run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&doc)).unwrap().unwrap();
    let quotes: Vec<&str> = saved.annotations.iter().map(|a| a.quote.as_str()).collect();
    assert!(
        quotes.contains(&"العربية لغة جميلة") && quotes.contains(&"שלום עולם"),
        "{quotes:?}"
    );
}

#[test]
fn changes_made_by_other_programs_while_open_are_taken_in() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("notes.txt");
    std::fs::write(&doc, "First line.\nThe cat sat on the mat.\nLast “line”.\n").unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    let range = find(&h, "The cat sat on the mat.");
    drag_select(&mut h, range);
    h.key_press(Key::Num1);
    run_until_saved(&mut h);
    let id = h.state().selected.clone().unwrap();
    assert!(!h.state().session.dirty(), "saved");
    // Another editor changes the document: the window re-reads it and the
    // annotation follows its words through a diff of the old and new text.
    std::fs::write(
        &doc,
        "A new first line.\nThe black cat sat on the mat.\nLast “line”.\n",
    )
    .unwrap();
    run_until(&mut h, |app| app.session.doc().text().starts_with("A new"));
    h.run_steps(2);
    let a = h.state().session.annotation(&id).unwrap().clone();
    assert_eq!(a.quote, "The black cat sat on the mat.");
    assert!(a.needs_review(), "an edited quote is marked for review");
    assert!(
        h.query_by_label_contains("was changed by another program and was reloaded")
            .is_some()
    );
    common::gui::run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&doc)).unwrap().unwrap();
    assert_eq!(saved.annotations[0].quote, "The black cat sat on the mat.");
    // `gloss import` (another program) adds an annotation to the sidecar:
    // with nothing unsaved here, the window reloads it.
    let mut other = gloss::session::Session::open(&doc).unwrap();
    let r = other.doc().text().find("Last").unwrap();
    let r = other.doc().char_offset(r);
    let added = other
        .annotate(
            CharRange::new(r, r + 4),
            vec!["source".into()],
            "cli",
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    other.save().unwrap();
    run_until(&mut h, |app| app.session.annotation(&added).is_some());
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("and was reloaded: 1 added, 0 updated (by cli)")
            .is_some()
    );
    // And with unsaved changes here, the next save merges instead of overwriting.
    let mut other = gloss::session::Session::open(&doc).unwrap();
    let theirs = other
        .annotate(
            CharRange::new(0, 1),
            vec![],
            "cli",
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let mine_range = find(&h, "first");
    drag_select(&mut h, mine_range);
    h.key_press(Key::Num2);
    h.run();
    let mine = h.state().selected.clone().unwrap();
    other.save().unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::gui::run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&doc)).unwrap().unwrap();
    let ids: Vec<_> = saved.annotations.iter().map(|a| a.id.clone()).collect();
    for want in [&id, &added, &theirs, &mine] {
        assert!(ids.contains(want), "{want} kept: {ids:?}");
    }
}

#[test]
fn a_large_document_opens_in_the_background_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let text = gloss::sample::ARTICLE.repeat(200); // 1.6 MB
    std::fs::write(&big, &text).unwrap();
    let doc = gloss::model::Document::new("big.txt", text);
    let n = doc.char_len();
    let anns: Vec<_> = (0..30_000)
        .map(|i| {
            let s = i * (n / 30_000);
            gloss::model::Annotation::new(
                &doc,
                doc.snap_to_graphemes(CharRange::new(s, s + 20)),
                vec!["claim".into()],
                "t",
                time::OffsetDateTime::UNIX_EPOCH,
            )
        })
        .collect();
    gloss::sidecar::Sidecar::new(&doc, Default::default(), anns)
        .save(&sidecar_path(&big))
        .unwrap();
    let mut h = harness(dir.path(), None);
    h.state_mut()
        .push(gloss::ui::command::Command::Open(big.clone()));
    h.step();
    // The sample stays on screen and the window keeps painting while the
    // big document is read, parsed and placed on another thread.
    let mut frames_while_opening = 0;
    let mut saw_progress = false;
    for _ in 0..2000 {
        if h.state().session.doc().name == "big.txt" {
            break;
        }
        frames_while_opening += 1;
        saw_progress |= h.query_by_label_contains("Opening big.txt").is_some();
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(h.state().session.doc().name, "big.txt");
    assert_eq!(h.state().session.store().annotations.len(), 30_000);
    assert!(
        frames_while_opening > 3,
        "{frames_while_opening} frames while opening"
    );
    assert!(saw_progress, "the status bar said what is happening");
}

#[test]
fn hand_edited_offsets_show_as_orphans_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("a.txt");
    std::fs::write(&doc, "Alpha beta gamma.\n").unwrap();
    let ron = r#"(
  version: 1,
  document: (name: "a.txt", chars: 18, sha256: "x"),
  codebook: [],
  annotations: [
    (id: "huge", start: 18446744073709551614, end: 18446744073709551615, quote: "nowhere at all", prefix: "", suffix: "", tags: ["claim"], note: "", author: "", created: "2026-11-29T10:00:00Z", modified: "2026-11-29T10:00:00Z"),
    (id: "reversed", start: 12, end: 3, quote: "not here either", prefix: "", suffix: "", tags: [], note: "", author: "", created: "2026-11-29T10:00:00Z", modified: "2026-11-29T10:00:00Z"),
  ],
)"#;
    std::fs::write(sidecar_path(&doc), ron).unwrap();
    let mut h = harness(dir.path(), Some(doc));
    h.run_steps(5);
    let s = &h.state().session;
    assert_eq!(s.store().annotations.len(), 2);
    assert!(s.store().annotations.iter().all(|a| a.is_orphaned()));
    assert!(h.query_by_label_contains("⚠ orphans 2").is_some());
    // Stepping to them and clicking around the text draws no wrong place.
    h.key_press(Key::R);
    h.run();
    let range = find(&h, "beta");
    drag_select(&mut h, range);
    h.key_press(Key::N);
    h.run();
}

#[test]
fn find_bar_searches_steps_and_tags_all_matches() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let before = h.state().session.store().annotations.len();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(h.state().find.open);
    h.get_by_label("Find").type_text("drone strike");
    run_until(&mut h, |app| {
        !app.find.is_searching() && !app.find.matches.is_empty()
    });
    h.run();
    let text = h.state().session.doc().text().to_lowercase();
    let n = text.matches("drone strike").count();
    assert!(n >= 3);
    assert_eq!(
        h.state().find.matches.len(),
        n,
        "case-insensitive by default"
    );
    let doc = &h.state().session.doc();
    for m in &h.state().find.matches {
        assert_eq!(doc.slice(*m).to_lowercase(), "drone strike");
    }
    // The first match is selected, so a tag key would tag it; Enter and F3 step.
    let first = h.state().find.matches[0];
    assert_eq!(
        h.state().reader.selected_range(&h.state().session),
        Some(first)
    );
    assert!(h.query_by_label_contains(&format!("1 of {n}")).is_some());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().find.current, Some(1));
    h.key_press(Key::F3);
    h.run();
    assert_eq!(h.state().find.current, Some(2 % n));
    h.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    h.run();
    assert_eq!(h.state().find.current, Some(1));
    // Tag all matches with the chosen tag: one undo step.
    h.get_by_label(&format!("Tag all {n}")).click();
    h.run();
    let s = &h.state().session;
    assert_eq!(s.store().annotations.len(), before + n);
    let claim = s.codebook().tags[0].name.clone();
    for m in &h.state().find.matches {
        assert!(s.already_tagged(*m, &claim, "Tester"));
    }
    assert!(
        h.query_by_label_contains(&format!("Tagged {n} of {n} matches"))
            .is_some()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().session.store().annotations.len(),
        before,
        "one undo"
    );
    // A bad regular expression says so; Esc closes the bar.
    h.get_by_label(".*").click();
    h.run();
    h.get_by_label("Find").click();
    h.run();
    h.get_by_label("Find").type_text("(");
    run_until(&mut h, |app| !app.find.is_searching());
    h.run();
    assert!(
        h.query_by_label_contains("not a valid regular expression")
            .is_some()
    );
    h.get_by_label("Find").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().find.open);
}
