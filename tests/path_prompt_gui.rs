//! Choosing files with no file dialog (a path typed instead, with the same
//! checks), the corrupt-annotation-file flow, and the recent files menu,
//! driven through egui_kittest.
#![cfg(feature = "gui")]

mod common;

use common::gui::{drag_select, find, harness, run_until_saved, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gloss::session::Session;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::GlossApp;
use std::path::{Path, PathBuf};

const TEXT: &str = "The minister said the plan was ready.\nCritics said it was not.\n";

fn doc(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, TEXT).expect("write");
    p
}

/// The app on `path`, with file dialogs off as `GLOSS_NO_FILE_DIALOG=1`
/// turns them off (set here, not in the environment the tests share).
fn app(dir: &Path, path: &Path) -> Harness<'static, GlossApp> {
    let mut h = harness(&dir.join(".data"), Some(path.to_path_buf()));
    h.state_mut().path_prompt.forced = true;
    h
}

fn click(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_all_by_label(label)
        .last()
        .unwrap_or_else(|| panic!("no {label}"))
        .click();
    h.run();
}

/// Types `path` into the path field (over what it was prefilled with) and
/// presses the prompt's `verb` button.
fn type_path(h: &mut Harness<'_, GlossApp>, path: &Path, verb: &str) {
    h.get_by_label("Path:").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Path:")
        .type_text(&path.display().to_string());
    h.run();
    click(h, verb);
    settle(h);
}

fn notices(h: &Harness<'_, GlossApp>) -> String {
    let items = &h.state().notices.items;
    items
        .iter()
        .map(|n| n.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

fn tag_words(h: &mut Harness<'_, GlossApp>, words: &str) {
    let range = find(h, words);
    drag_select(h, range);
    h.key_press(egui::Key::Num1);
    h.run();
}

#[test]
fn export_writes_to_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let mut h = app(dir.path(), &p);
    tag_words(&mut h, "the plan");
    click(&mut h, "File");
    click(&mut h, "Export…");
    h.state_mut().prefs.export_format = gloss::formats::Format::Csv;
    click(&mut h, "Export…");
    // Prefilled beside the document.
    let field = h.get_by_label("Path:");
    let prefilled = field.accesskit_node().value().unwrap_or_default();
    assert_eq!(
        prefilled,
        dir.path().join("a.txt.csv").display().to_string()
    );
    let out = dir.path().join("out").join("coded.csv");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    type_path(&mut h, &out, "Export");
    let csv = std::fs::read_to_string(&out).expect("the export was written");
    assert!(csv.contains("the plan"), "{csv}");
    // Again: the file exists, so the same question as with a dialog.
    click(&mut h, "File");
    click(&mut h, "Export…");
    click(&mut h, "Export…");
    type_path(&mut h, &out, "Export");
    assert!(
        notices(&h).contains("already exists. Replace it"),
        "{}",
        notices(&h)
    );
}

#[test]
fn save_as_to_a_typed_path_keeps_saving_there() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let mut h = app(dir.path(), &p);
    tag_words(&mut h, "the plan");
    run_until_saved(&mut h);
    let first = sidecar_path(&p);
    let before = std::fs::read(&first).unwrap();
    click(&mut h, "File");
    click(&mut h, "Save Annotations As…");
    let elsewhere = dir.path().join("mine.annotations.ron");
    type_path(&mut h, &elsewhere, "Save");
    assert_eq!(h.state().session.sidecar_path().as_ref(), Some(&elsewhere));
    tag_words(&mut h, "Critics");
    run_until_saved(&mut h);
    let saved = Sidecar::load(&elsewhere).unwrap().expect("saved there");
    assert_eq!(saved.annotations.len(), 2);
    // The status bar says where, as the document will not find it there.
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("all changes saved — in mine.annotations.ron")
            .is_some()
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        before,
        "the old file is left"
    );
}

#[test]
fn save_as_refuses_another_documents_annotation_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let other = dir.path().join("b.txt");
    std::fs::write(&other, "Another text altogether.").unwrap();
    let mut s = Session::open(&other).unwrap();
    let r = gloss::model::CharRange::new(0, 7);
    s.annotate(r, vec![], "Ana", time::OffsetDateTime::UNIX_EPOCH)
        .unwrap();
    s.save().unwrap();
    let theirs = sidecar_path(&other);
    let bytes = std::fs::read(&theirs).unwrap();
    let mut h = app(dir.path(), &p);
    tag_words(&mut h, "the plan");
    click(&mut h, "File");
    click(&mut h, "Save Annotations As…");
    type_path(&mut h, &theirs, "Save");
    let said = notices(&h);
    assert!(
        said.contains("holds the annotations of another document"),
        "{said}"
    );
    assert_eq!(std::fs::read(&theirs).unwrap(), bytes, "untouched");
    assert_eq!(
        h.state().session.sidecar_path().as_ref(),
        Some(&sidecar_path(&p))
    );
}

/// Every label on screen that contains `text`.
fn shown(h: &Harness<'_, GlossApp>, text: &str) -> Vec<String> {
    h.query_all_by_label_contains(text)
        // A label's words are also its text run's: count the label.
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::TextRun)
        .map(|n| {
            let node = n.accesskit_node();
            (node.value().or(node.label())).unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_corrupt_annotation_file_is_explained_once_and_new_work_goes_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let corrupt = sidecar_path(&p);
    std::fs::write(&corrupt, "(oops").unwrap();
    let mut h = app(dir.path(), &p);
    // Trying to tag is refused, and says nothing new.
    tag_words(&mut h, "the plan");
    h.run();
    let said = shown(&h, "not a valid Gloss annotation file");
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(!said[0].contains(".bak"), "no backup exists: {}", said[0]);
    assert!(shown(&h, ".bak").is_empty(), "{:?}", shown(&h, ".bak"));
    assert!(h.state().session.store().annotations.is_empty());
    // Reading still works: the text is there to select.
    assert!(h.state().reader.selection.is_some());

    click(&mut h, "Annotate in a new file…");
    let field = h.get_by_label("Path:");
    let prefilled = field.accesskit_node().value().unwrap_or_default();
    assert!(
        prefilled.ends_with("a.txt.recovered.annotations.ron"),
        "{prefilled}"
    );
    let fresh = dir.path().join("fresh.annotations.ron");
    type_path(&mut h, &fresh, "Save");
    assert!(h.state().session.read_only().is_none(), "{}", notices(&h));
    tag_words(&mut h, "the plan");
    run_until_saved(&mut h);
    let saved = Sidecar::load(&fresh).unwrap().expect("saved there");
    assert_eq!(saved.annotations.len(), 1);
    assert_eq!(std::fs::read(&corrupt).unwrap(), b"(oops");
    assert!(!gloss::storage::backup_path(&corrupt).exists());
}

#[test]
fn a_corrupt_annotation_files_backup_is_named_when_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let corrupt = sidecar_path(&p);
    std::fs::write(&corrupt, "(oops").unwrap();
    let bak = gloss::storage::backup_path(&corrupt);
    std::fs::write(&bak, "last good").unwrap();
    let h = app(dir.path(), &p);
    let said = shown(&h, "not a valid Gloss annotation file");
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains(&bak.display().to_string()), "{}", said[0]);
    // Annotating elsewhere may not pick the unreadable file or its backup.
    let mut h = h;
    click(&mut h, "Annotate in a new file…");
    type_path(&mut h, &bak, "Save");
    assert!(h.state().session.read_only().is_some());
    assert_eq!(std::fs::read(&bak).unwrap(), b"last good");
}

#[test]
fn the_recent_menu_asks_the_disk_once_per_list() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let folder = dir.path().join("project");
    std::fs::create_dir(&folder).unwrap();
    let mut h = app(dir.path(), &p);
    h.state_mut().prefs.add_recent(folder.clone());
    click(&mut h, "File");
    click(&mut h, "Open Recent");
    let project = format!("{} — project", folder.display());
    assert!(h.query_by_label(&project).is_some());
    // The folder becomes a file while the menu is open: frames go by
    // without asking the disk again.
    std::fs::remove_dir(&folder).unwrap();
    std::fs::write(&folder, "now a file").unwrap();
    h.run_steps(5);
    assert!(h.query_by_label(&project).is_some());
    // A new list is looked at afresh.
    h.state_mut().prefs.add_recent(dir.path().join("b.txt"));
    h.run_steps(3);
    assert!(h.query_by_label(&project).is_none());
    assert!(h.query_by_label(&folder.display().to_string()).is_some());
}

#[test]
fn a_chart_saves_to_a_typed_path_under_the_export_guard() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(dir.path(), "a.txt");
    let mut h = app(dir.path(), &p);
    tag_words(&mut h, "the plan");
    run_until_saved(&mut h);
    h.state_mut().stats.open = true;
    common::gui::run_until(&mut h, |app| app.stats.stats.is_some());
    h.run();
    let save_csv = |h: &mut Harness<'_, GlossApp>| {
        click(h, "Save ▾");
        click(h, "Numbers as CSV…");
    };
    save_csv(&mut h);
    let field = h.get_by_label("Path:");
    let prefilled = field.accesskit_node().value().unwrap_or_default();
    let beside = dir.path().join("codes-per-document.csv");
    assert_eq!(prefilled, beside.display().to_string());
    type_path(&mut h, &beside, "Save");
    common::gui::run_until(&mut h, |_| beside.exists());
    // The document itself is never written over, typed or picked.
    h.run_steps(3);
    save_csv(&mut h);
    type_path(&mut h, &p, "Save");
    h.run_steps(5);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), TEXT);
    assert!(
        h.query_by_label_contains("The chart was not saved")
            .is_some(),
        "told why"
    );
}
