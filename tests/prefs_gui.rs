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
