//! The window never edits by accident (issue 16): a drag that starts on a
//! fresh annotation selects text, Ctrl+Z in a note stays in that note, and
//! an idle window notices what other programs write without moving the text.

#![cfg(feature = "gui")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gloss::model::{AnnotationId, CharRange};
use gloss::sidecar::sidecar_path;
use gloss::ui::GlossApp;
use gloss::ui::command::Command;
use std::time::Duration;

mod common;
use common::gui::{drag, drag_select, find, harness};

const PASSAGE: &str = "gunboat diplomacy to subordinate Mexico";

fn screen_pos(h: &Harness<'_, GlossApp>, offset: usize) -> egui::Pos2 {
    let app = h.state();
    app.reader
        .screen_pos(&app.session, offset)
        .expect("offset is on screen")
}

/// Tags `PASSAGE` with "source" (key 2); it stays selected, as after any tagging.
fn tag_passage(h: &mut Harness<'_, GlossApp>) -> (AnnotationId, CharRange) {
    let range = find(h, PASSAGE);
    drag_select(h, range);
    h.key_press(Key::Num2);
    h.run();
    let id = h.state().selected.clone().expect("the new one is selected");
    assert_eq!(h.state().session.annotation(&id).unwrap().range(), range);
    (id, range)
}

#[test]
fn a_drag_from_a_fresh_annotations_first_letter_selects_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let (id, range) = tag_passage(&mut h);
    common::gui::run_until_saved(&mut h);
    // Start on the first letter, as a reader selecting the passage again would.
    let to = range.start + 7;
    let from_pos = screen_pos(&h, range.start) + egui::vec2(1.0, 0.0);
    let to_pos = screen_pos(&h, to) + egui::vec2(1.0, 0.0);
    drag(&mut h, from_pos, to_pos);
    let app = h.state();
    assert_eq!(
        app.session.annotation(&id).unwrap().range(),
        range,
        "the annotation keeps its range"
    );
    assert_eq!(
        app.reader.selected_range(&app.session),
        Some(CharRange::new(range.start, to)),
        "the drag selected the text it went over"
    );
    assert!(!app.session.dirty(), "nothing changed, nothing to save");
}

#[test]
fn the_grip_outside_the_text_moves_a_boundary_and_never_empties_a_passage() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let (id, range) = tag_passage(&mut h);
    let grip = |h: &Harness<'_, GlossApp>, start: bool| {
        let app = h.state();
        app.reader
            .grip_pos(&app.session, &id, start)
            .expect("the selected annotation shows its grips")
    };
    let first = {
        let app = h.state();
        app.reader.char_rect(&app.session, range.start).unwrap()
    };
    let last = {
        let app = h.state();
        app.reader.char_rect(&app.session, range.end - 1).unwrap()
    };
    assert!(
        grip(&h, true).y < first.top(),
        "the start's grip is above its line"
    );
    assert!(
        grip(&h, false).y > last.bottom(),
        "the end's grip is below its line"
    );
    let range_now = |h: &Harness<'_, GlossApp>| h.state().session.annotation(&id).unwrap().range();
    let at = |h: &Harness<'_, GlossApp>, o: usize| screen_pos(h, o) + egui::vec2(1.0, 0.0);
    // From a boundary to its knob: the pointer moves the knob, and the
    // boundary follows the text that far from it (not the text under the
    // pointer, which sits a line off).
    let lift = |h: &Harness<'_, GlossApp>, start: bool| {
        let app = h.state();
        let r = app.session.annotation(&id).unwrap().range();
        let caret = if start {
            app.reader
                .char_rect(&app.session, r.start)
                .unwrap()
                .left_center()
        } else {
            app.reader
                .char_rect(&app.session, r.end - 1)
                .unwrap()
                .right_center()
        };
        grip(h, start) - caret
    };

    // The start's grip, dragged into the passage, moves its start.
    let (from, to) = (grip(&h, true), at(&h, range.start + 8) + lift(&h, true));
    drag(&mut h, from, to);
    let moved = CharRange::new(range.start + 8, range.end);
    assert_eq!(range_now(&h), moved);
    assert_eq!(h.state().selected.as_ref(), Some(&id), "still selected");
    // Onto or past the other boundary it would leave nothing: refused.
    for target in [moved.end, moved.end + 4] {
        let (from, to) = (grip(&h, true), at(&h, target) + lift(&h, true));
        drag(&mut h, from, to);
        assert_eq!(range_now(&h), moved, "start dragged to {target}");
    }
    for target in [moved.start, moved.start.saturating_sub(5)] {
        let (from, to) = (grip(&h, false), at(&h, target) + lift(&h, false));
        drag(&mut h, from, to);
        assert_eq!(range_now(&h), moved, "end dragged to {target}");
    }
    // The end's grip moves the end.
    let (from, to) = (grip(&h, false), at(&h, moved.end - 6) + lift(&h, false));
    drag(&mut h, from, to);
    let shorter = CharRange::new(moved.start, moved.end - 6);
    assert_eq!(range_now(&h), shorter);
    // Dragged straight along its line, the end stays on that line (the
    // knob hangs below it; the line below is not what it moves over).
    let line_y = |h: &Harness<'_, GlossApp>, o: usize| {
        let app = h.state();
        app.reader.char_rect(&app.session, o).unwrap().center().y
    };
    let before = line_y(&h, shorter.end - 1);
    let from = grip(&h, false);
    drag(&mut h, from, from + egui::vec2(20.0, 0.0));
    let now = range_now(&h);
    assert!(now.end > shorter.end, "{now:?}");
    assert!(
        (line_y(&h, now.end - 1) - before).abs() < 1.0,
        "same line: {now:?}"
    );
}

#[test]
fn ctrl_z_in_a_note_undoes_only_that_notes_typing() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let before = h.state().session.store().annotations.len();
    let ids: Vec<_> = (h.state().session.store().annotations.iter())
        .take(2)
        .map(|a| a.id.clone())
        .collect();
    let note = |h: &Harness<'_, GlossApp>, i: usize| {
        (h.state().session.annotation(&ids[i]))
            .map(|a| a.note.clone())
            .expect("still there")
    };
    let shipped = [note(&h, 0), note(&h, 1)];
    for (i, typed) in [(0, " FIRST"), (1, " SECOND")] {
        h.state_mut().push(Command::Reveal(ids[i].clone()));
        h.run_steps(3);
        h.get_by_label("Note").click();
        h.run();
        h.get_by_label("Note").type_text(typed);
        h.run();
        let now = note(&h, i);
        assert!(now.contains(typed) && now.len() == shipped[i].len() + typed.len());
    }
    let a_typed = note(&h, 0);
    // The cursor is in B's note: Ctrl+Z, again and again.
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    assert_eq!(note(&h, 1), shipped[1], "B's note is back as it was");
    assert_eq!(note(&h, 0), a_typed, "A's note is untouched");
    assert_eq!(h.state().session.store().annotations.len(), before);
    // Edit → Undo reaches the rest, and says what it undoes.
    h.get_by_label("Edit").click();
    h.run();
    let first_words: String = {
        let app = h.state();
        let quote = &app.session.annotation(&ids[0]).unwrap().quote;
        quote.chars().take(6).collect()
    };
    let item = h.get_by_label_contains("Undo: note on");
    let label = item.accesskit_node().label().unwrap_or_default();
    assert!(label.contains(&first_words), "{label}");
    item.click();
    h.run();
    assert_eq!(note(&h, 0), shipped[0], "Edit → Undo took back A's note");
    assert_eq!(h.state().session.store().annotations.len(), before);
}

/// Runs the window as an event loop does while nobody touches it: a frame
/// only when the app asked for one (at the time it asked for), until
/// `done` or `limit` seconds. Returns the seconds it took, if done.
fn idle_until(
    h: &mut Harness<'_, GlossApp>,
    limit: f64,
    done: impl Fn(&GlossApp) -> bool,
) -> Option<f64> {
    let start = h.ctx.input(|i| i.time);
    let mut now = start;
    loop {
        let delay = h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        if delay == Duration::MAX {
            // The window sleeps until the next input event: none comes.
            return None;
        }
        let wait = delay.as_secs_f64().max(1.0 / 60.0);
        if now + wait - start > limit {
            return None;
        }
        // Real time passes too: background work runs meanwhile.
        std::thread::sleep(Duration::from_secs_f64(wait.min(0.2)));
        now += wait;
        h.input_mut().time = Some(now);
        h.step();
        if done(h.state()) {
            return Some(now - start);
        }
    }
}

#[test]
fn an_idle_window_takes_in_an_outside_change_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("notes.txt");
    std::fs::write(&doc, "First line.\nThe cat sat on the mat.\nLast line.\n").unwrap();
    let mut h = harness(dir.path(), Some(doc.clone()));
    // Let it go quiet: whatever it scheduled for itself runs out.
    idle_until(&mut h, 3.0, |_| false);
    let top = screen_pos(&h, 0);
    // `gloss import`, a sync client or a second window writes the sidecar.
    let mut other = gloss::session::Session::open(&doc).unwrap();
    let added = other
        .annotate(
            CharRange::new(12, 15),
            vec!["source".into()],
            "cli",
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    other.save().unwrap();
    assert!(sidecar_path(&doc).exists());
    let took = idle_until(&mut h, 2.0, |app| app.session.annotation(&added).is_some());
    assert!(took.is_some(), "an idle window never noticed the change");
    h.run();
    assert!(
        h.query_by_label_contains("was reloaded").is_some(),
        "the reload is told"
    );
    assert_eq!(screen_pos(&h, 0), top, "the notice did not move the text");
}

#[test]
fn a_notice_never_moves_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let top = h.state().reader.top_offset(h.state().session.doc());
    let here = find(&h, PASSAGE).start;
    let before = screen_pos(&h, here);
    h.state_mut().notices.push(
        gloss::ui::Level::Warning,
        "Something happened that takes two lines to say. ".repeat(4),
    );
    h.run();
    assert!(h.query_by_label_contains("Something happened").is_some());
    assert_eq!(h.state().reader.top_offset(h.state().session.doc()), top);
    assert_eq!(screen_pos(&h, here), before);
}

#[test]
fn a_code_key_after_selecting_text_tags_it_instead_of_typing_into_the_last_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let (id, _) = tag_passage(&mut h);
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text("NBC report.");
    h.run();
    let before = h.state().session.store().annotations.len();
    let other = find(&h, "Six former and active US officials");
    drag_select(&mut h, other);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(
        h.state().session.annotation(&id).unwrap().note,
        "NBC report.",
        "no digit typed into the note"
    );
    assert_eq!(
        h.state().session.store().annotations.len(),
        before + 1,
        "tagged"
    );
}
