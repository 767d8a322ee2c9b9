//! Preferences reach the disk when they change, not on eframe's 30-second
//! timer: a name typed on the first run survives the app being killed.
#![cfg(feature = "gui")]

mod common;

use common::gui::harness;
use egui_kittest::kittest::Queryable;

#[test]
fn the_name_confirmed_is_written_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join(".data");
    let mut h = harness(&data, None);
    assert!(
        gloss::ui::prefs::load(&data).is_none(),
        "nothing changed yet"
    );
    h.state_mut().ask_name();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Your name:").type_text("Dana");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().prefs.author, "Dana");
    // Written on another thread: waited for (a bounded time) while the
    // window is still open, as a kill would find it.
    let mut on_disk = None;
    for _ in 0..500 {
        on_disk = gloss::ui::prefs::load(&data);
        if on_disk.as_ref().is_some_and(|p| p.author == "Dana") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(on_disk.map(|p| p.author).as_deref(), Some("Dana"));
}

/// The pre-filled name is selected when the prompt opens: typing a name
/// replaces it (it once gave "anonymousNora").
#[test]
fn typing_into_the_name_prompt_gives_exactly_the_typed_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(&dir.path().join(".data"), None);
    assert_eq!(h.state().prefs.author, "Tester");
    h.state_mut().ask_name();
    h.run();
    assert_eq!(h.state().name_prompt.name(), "Tester", "pre-filled");
    answer_nora(&mut h);
}

/// Types "Nora" into the name prompt and presses Enter: the author is
/// exactly what was typed.
fn answer_nora(h: &mut egui_kittest::Harness<'_, gloss::ui::GlossApp>) {
    h.get_by_label("Your name:").type_text("Nora");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().prefs.author, "Nora");
}

/// No name known: the field is empty, showing its hint, never a made-up
/// name to type after.
#[test]
fn with_no_name_known_the_prompt_is_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(&dir.path().join(".data"), None);
    h.state_mut().prefs.author.clear();
    h.state_mut().ask_name();
    h.run();
    assert_eq!(h.state().name_prompt.name(), "");
    answer_nora(&mut h);
}

/// `gloss a.txt b.txt c.txt` (a file manager opening a selection): the
/// first opens, the others wait at the top of Open Recent in order, below
/// the one open, and a notice names them.
#[test]
fn several_documents_named_at_startup_open_the_first_and_wait_in_open_recent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths: Vec<std::path::PathBuf> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|n| {
            let p = dir.path().join(n);
            std::fs::write(&p, format!("The text of {n}.\n")).expect("write");
            p
        })
        .collect();
    let options = gloss::ui::AppOptions {
        open: Some(paths[0].clone()),
        waiting: paths[1..].to_vec(),
        data_dir: Some(dir.path().join(".data")),
    };
    let mut h = common::gui::harness_for(options, false);
    common::gui::run_until(&mut h, |app| app.session.doc().name == "a.txt");
    h.run();
    assert_eq!(h.state().prefs.recent[..3], paths[..]);
    assert!(
        h.query_by_label_contains("2 more documents are in File → Open Recent: b.txt, c.txt")
            .is_some()
    );
}
