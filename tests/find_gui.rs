//! The find bar as a reader types into it, and what it says after undo.

#![cfg(feature = "gui")]

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

mod common;
use common::gui::{harness, run_until};

#[test]
fn typing_a_word_stays_on_the_match_that_still_matches() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    for c in "Mexico".chars() {
        h.get_by_label("Find").type_text(&c.to_string());
        run_until(&mut h, |app| {
            !app.find.is_searching() && app.find.current.is_some()
        });
        h.run();
    }
    let app = h.state();
    let text = app.session.doc().text().to_lowercase();
    let n = text.matches("mexico").count();
    assert!(n > 5);
    assert_eq!(app.find.matches.len(), n);
    // From the top, the first "Mexico", as a browser finds it.
    assert_eq!(app.find.current, Some(0), "stayed on the first match");
    assert!(h.query_by_label_contains(&format!("1 of {n}")).is_some());
}

#[test]
fn the_tag_all_notice_goes_when_the_tagging_is_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("drone strike");
    run_until(&mut h, |app| {
        !app.find.is_searching() && !app.find.matches.is_empty()
    });
    h.run();
    let n = h.state().find.matches.len();
    h.get_by_label(&format!("Tag all {n}")).click();
    h.run();
    let said = format!("Tagged {n} of {n} matches");
    assert!(h.query_by_label_contains(&said).is_some());
    // Another change after it, undone: the tagging stands, and its notice.
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::N);
    h.run();
    h.key_press(Key::Num4);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.query_by_label_contains(&said).is_some(), "still tagged");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.query_by_label_contains(&said).is_none(),
        "undone, and said no more"
    );
}

#[test]
fn at_800_by_600_every_control_of_the_find_bar_shows_and_the_text_keeps_its_room() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.set_size(egui::vec2(800.0, 600.0));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("drone");
    run_until(&mut h, |app| !app.find.is_searching());
    h.run_steps(5);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    for label in ["Find", "Previous", "Next", "Close"] {
        let r = h.get_by_label(label).rect();
        assert!(screen.contains_rect(r), "{label} is on screen: {r:?}");
    }
    let tag_all = h.get_by_label_contains("Tag all").rect();
    assert!(screen.contains_rect(tag_all), "Tag all is on screen");
    // The side panel gave way: the text has at least a third of the width,
    // and shows at 300 % text size too.
    let view = h.state().reader.view_rect();
    assert!(
        view.width() >= 800.0 / 3.0,
        "the text keeps its room: {view:?}"
    );
    for _ in 0..32 {
        h.state_mut().push(gloss::ui::command::Command::Zoom(1));
    }
    h.run_steps(5);
    assert_eq!(h.state().prefs.font_size, 48.0);
    let app = h.state();
    let first = app
        .session
        .doc()
        .pieces()
        .iter()
        .find(|p| !p.is_blank())
        .unwrap()
        .start;
    let shown = app
        .reader
        .char_rect(&app.session, first)
        .expect("the text is drawn");
    assert!(
        app.reader.view_rect().contains_rect(shown),
        "at 300 % it is in view"
    );
    assert!(screen.contains_rect(h.get_by_label("Close").rect()));
}
