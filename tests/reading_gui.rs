//! Reading with the keyboard alone and through a screen reader: scrolling
//! keys, Go to, headings, caret browsing, and the AccessKit tree, driven
//! through the real window (egui_kittest).

#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gloss::model::CharRange;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::GlossApp;

mod common;
use common::gui::{find, harness, run_until, run_until_saved, settle};

/// The char at the top of the view.
fn top(h: &Harness<'_, GlossApp>) -> usize {
    let app = h.state();
    app.reader.top_offset(app.session.doc())
}

/// Whether char `offset` is drawn inside the reading view.
fn in_view(h: &Harness<'_, GlossApp>, offset: usize) -> bool {
    let app = h.state();
    app.reader
        .screen_pos(&app.session, offset)
        .is_some_and(|p| app.reader.view_rect().contains(p))
}

fn press(h: &mut Harness<'_, GlossApp>, m: Modifiers, key: Key) {
    h.key_press_modifiers(m, key);
    // Scrolling is animated: let it finish.
    h.run_steps(20);
}

fn open(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Harness<'static, GlossApp> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut h = harness(dir, Some(path));
    settle(&mut h);
    run_until(&mut h, |app| app.session.doc().name == name);
    h.run_steps(5);
    h
}

#[test]
fn page_keys_space_arrows_and_the_ends_move_through_a_long_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), "report.pdf", &gloss::sample::pdf::report(17));
    assert_eq!(h.state().session.doc().structure().pages(), Some(17));
    assert_eq!(top(&h), 0);
    press(&mut h, Modifiers::NONE, Key::PageDown);
    let one_page = top(&h);
    assert!(one_page > 0, "Page Down scrolled");
    press(&mut h, Modifiers::NONE, Key::Space);
    let two = top(&h);
    assert!(
        two > one_page,
        "Space scrolled a page further: {two} > {one_page}"
    );
    press(&mut h, Modifiers::SHIFT, Key::Space);
    assert_eq!(top(&h), one_page, "Shift+Space came back");
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    let line = top(&h);
    assert!(line >= one_page && line < two, "a line is less than a page");
    press(&mut h, Modifiers::NONE, Key::PageUp);
    press(&mut h, Modifiers::NONE, Key::PageUp);
    assert_eq!(top(&h), 0);
    let end = h.state().session.doc().char_len();
    press(&mut h, Modifiers::COMMAND, Key::End);
    assert!(
        in_view(&h, end.saturating_sub(1)),
        "Ctrl+End shows the last char"
    );
    assert!(top(&h) > two, "the view is far down");
    press(&mut h, Modifiers::COMMAND, Key::Home);
    assert_eq!(top(&h), 0);
    press(&mut h, Modifiers::NONE, Key::End);
    assert!(in_view(&h, end.saturating_sub(1)), "End too");
    press(&mut h, Modifiers::NONE, Key::Home);
    assert_eq!(top(&h), 0);
}

#[test]
fn ctrl_end_lands_at_the_end_of_a_five_megabyte_text_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = gloss::sample::prose(5_000_000, false);
    let mut h = open(dir.path(), "book.txt", text.as_bytes());
    let end = h.state().session.doc().char_len();
    h.key_press_modifiers(Modifiers::COMMAND, Key::End);
    // A jump, not a scroll: two frames place it.
    h.run_steps(2);
    assert!(in_view(&h, end - 1), "the last char is in view");
}

#[test]
fn go_to_page_twelve_and_step_through_headings() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), "report.pdf", &gloss::sample::pdf::report(17));
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text("12".into()));
    h.key_press(Key::Enter);
    h.run_steps(10);
    let app = h.state();
    assert_eq!(app.session.doc().structure().page_of(top(&h)), Some(12));
    assert_eq!(app.reader.announcement(), Some("Page 12 of 17"));
    // A screen reader hears it: a live status node says where.
    let status: Vec<_> = h.query_all_by_role(Role::Status).collect();
    assert!(
        status
            .iter()
            .any(|n| n.accesskit_node().label().as_deref() == Some("Page 12 of 17")),
        "the landing is announced"
    );

    // A web page's headings, stepped with Ctrl+↓ / Ctrl+↑ (Alt too).
    let body = "<p>Some words here.</p>".repeat(200);
    let html = format!(
        "<html><body><h1>Intro</h1>{body}<h2>Methods</h2>{body}<h2>Results</h2>{body}</body></html>"
    );
    let mut h = open(dir.path(), "page.html", html.as_bytes());
    let headings: Vec<usize> = {
        let s = h.state().session.doc().structure().clone();
        s.headings().map(|(at, _)| at).collect()
    };
    assert_eq!(headings.len(), 3);
    press(&mut h, Modifiers::COMMAND, Key::ArrowDown);
    assert_eq!(top(&h), headings[1]);
    assert_eq!(h.state().reader.announcement(), Some("Heading: Methods"));
    press(&mut h, Modifiers::ALT, Key::ArrowDown);
    assert_eq!(top(&h), headings[2]);
    press(&mut h, Modifiers::COMMAND, Key::ArrowUp);
    assert_eq!(top(&h), headings[1]);
    // Go to by a heading's words.
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text("results".into()));
    h.key_press(Key::Enter);
    h.run_steps(10);
    assert_eq!(top(&h), headings[2]);
}

#[test]
fn caret_browsing_selects_and_tags_a_sentence_without_the_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    let target = find(&h, "Threats of drone strikes");
    let before = h.state().session.store().annotations.len();
    h.key_press(Key::F7);
    h.run();
    assert!(h.state().reader.caret().is_some(), "F7 turns the caret on");
    // To the sentence by Go to (a char offset), then select three words.
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text(format!("char {}", target.start)));
    h.key_press(Key::Enter);
    h.run_steps(5);
    assert_eq!(h.state().reader.caret(), Some(target.start));
    let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    for _ in 0..3 {
        h.key_press_modifiers(ctrl_shift, Key::ArrowRight);
        h.run();
    }
    // and one more word, then one char back, by character.
    h.key_press_modifiers(ctrl_shift, Key::ArrowRight);
    h.run();
    for _ in 0.." strikes".len() {
        h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
        h.run();
    }
    let selected = {
        let app = h.state();
        app.reader.selected_range(&app.session)
    };
    assert_eq!(
        selected,
        Some(CharRange::new(target.start, target.end - " strikes".len()))
    );
    // Shift+Left in caret mode selected: it did not move an annotation.
    h.key_press(Key::Num1);
    h.run();
    let app = h.state();
    assert_eq!(app.session.store().annotations.len(), before + 1);
    let made = app
        .session
        .store()
        .annotations
        .iter()
        .find(|a| a.quote == "Threats of drone")
        .expect("the selection was tagged");
    assert_eq!(made.tags, ["claim"]);
    let id = made.id.clone();
    run_until_saved(&mut h);
    let path = sidecar_path(h.state().session.path().as_ref().unwrap());
    let saved = Sidecar::load(&path).unwrap().unwrap();
    assert!(
        saved
            .annotations
            .iter()
            .any(|a| a.id == id && a.quote == "Threats of drone")
    );
    // Down moves the caret a row; F7 again turns it off and arrows scroll.
    let caret = h.state().reader.caret().unwrap();
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(h.state().reader.caret().unwrap() > caret);
    h.key_press(Key::F7);
    h.run();
    assert_eq!(h.state().reader.caret(), None);
}

#[test]
fn a_screen_reader_reads_the_paragraphs_in_view_and_hears_the_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.run();
    let first_line = {
        let doc = h.state().session.doc();
        let first = doc.pieces().iter().find(|p| !p.is_blank()).unwrap();
        doc.slice(first.range()).to_string()
    };
    let paragraphs: Vec<String> = h
        .query_all_by_role(Role::Paragraph)
        .chain(h.query_all_by_role(Role::Heading))
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        paragraphs.contains(&first_line),
        "the first paragraph is read: {first_line:?} in {paragraphs:?}"
    );
    // Each annotation in view is a named region: codes, quote, note.
    let marks: Vec<String> = h
        .query_all_by_role(Role::Mark)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    let app = h.state();
    let first = app.session.store().annotations.at(0).unwrap();
    let quote: String = first.quote.chars().take(20).collect();
    assert!(
        marks
            .iter()
            .any(|m| m.starts_with(&first.tags.join(", ")) && m.contains(&quote)),
        "the first annotation is a region: {marks:?}"
    );
    // N moves to it and says so.
    h.key_press(Key::N);
    h.run();
    let said = h
        .state()
        .reader
        .announcement()
        .unwrap_or_default()
        .to_string();
    assert!(said.starts_with("Annotation 1 of "), "{said}");
    // The document's description names the selection.
    h.key_press(Key::F7);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    let doc = h.get_by_role(Role::Document);
    let description = doc.accesskit_node().description().unwrap_or_default();
    assert!(description.contains("Selected: “"), "{description}");
}

#[test]
fn f1_lists_every_key_and_closes_with_escape() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.key_press(Key::F1);
    h.run();
    for keys in [
        "Ctrl+F",
        "F3 / Shift+F3",
        "Delete, Backspace",
        "F7",
        "Ctrl+G",
    ] {
        assert!(h.query_by_label(keys).is_some(), "F1 lists {keys}");
    }
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Ctrl+G").is_none(), "Esc closed it");
    // Go to too, from its field; opened again, it starts empty.
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text("12".into()));
    h.run();
    assert!(h.query_by_label("Go to").is_some(), "Go to is open");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Go to").is_none(), "Esc closed Go to");
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text("char 5".into()));
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(
        h.query_by_label("Go to").is_none(),
        "“char 5” went, not “12char 5”"
    );
}

#[test]
fn the_caret_walks_down_and_up_through_paragraphs_and_to_row_ends() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), None);
    h.key_press(Key::F7);
    h.run();
    let start = find(&h, "Six former and active").start;
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.event(egui::Event::Text(format!("char {start}")));
    h.key_press(Key::Enter);
    h.run_steps(5);
    // Down through the paragraph, the blank line after it, and on into
    // the next ones: every step moves on, none sticks or jumps to the end.
    let mut seen = vec![start];
    for _ in 0..12 {
        h.key_press(Key::ArrowDown);
        h.run_steps(3);
        let at = h.state().reader.caret().unwrap();
        assert!(
            at > *seen.last().unwrap(),
            "Down moved on: {seen:?} then {at}"
        );
        assert!(at < h.state().session.doc().char_len(), "not to the end");
        seen.push(at);
    }
    let later = find(&h, "unilateral covert action").start;
    assert!(
        *seen.last().unwrap() > later,
        "reached later paragraphs: {seen:?}"
    );
    // And back up, through the same rows.
    for _ in 0..12 {
        h.key_press(Key::ArrowUp);
        h.run_steps(3);
    }
    let back = h.state().reader.caret().unwrap();
    assert!(
        back.abs_diff(start) <= 2,
        "back where it started: {back} vs {start}"
    );
    // End and Home: the row's ends; Shift+End selects to it.
    h.key_press_modifiers(Modifiers::SHIFT, Key::End);
    h.run();
    let (doc_row_end, selected) = {
        let app = h.state();
        (
            app.reader.caret().unwrap(),
            app.reader.selected_range(&app.session),
        )
    };
    assert!(doc_row_end > back + 20, "End went to the row's end");
    assert_eq!(selected, Some(CharRange::new(back, doc_row_end)));
    h.key_press(Key::Home);
    h.run();
    assert_eq!(h.state().reader.caret(), Some(back));
    // Alt+Shift+→ still moves a selected annotation's start in caret mode.
    h.key_press(Key::N);
    h.run();
    let id = h.state().selected.clone().unwrap();
    let before = h.state().session.annotation(&id).unwrap().range();
    h.key_press_modifiers(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    let after = h.state().session.annotation(&id).unwrap().range();
    assert!(
        after.start > before.start && after.end == before.end,
        "{before:?} → {after:?}"
    );
}
