//! Regression guard for "instant at any size": the work of a frame and of
//! an edit, counted (never timed), must not grow with the document's length
//! or the number of annotations. Counts come from `GlossApp::work`: pieces
//! and chars laid out, annotations given an underline lane, annotations
//! checked against the list's filters.

#![cfg(feature = "gui")]

mod common;

use common::gui::{harness, settle};
use egui_kittest::Harness;
use gloss::model::{CharRange, Document, MAX_PIECE};
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::{GlossApp, Work};
use time::OffsetDateTime;

/// A window on `text` with `n` generated annotations, its data in `dir`.
fn window(dir: &std::path::Path, text: &str, n: usize) -> Harness<'static, GlossApp> {
    let path = dir.join("doc.txt");
    std::fs::write(&path, text).unwrap();
    if n > 0 {
        let doc = Document::new("doc.txt", text.to_string());
        let anns = gloss::sample::annotations(&doc, n);
        Sidecar::new(&doc, Default::default(), anns)
            .save(&sidecar_path(&path))
            .unwrap();
    }
    harness(dir, Some(path))
}

fn wheel(h: &mut Harness<'_, GlossApp>, dy: f32) {
    h.hover_at(egui::pos2(450.0, 400.0));
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
}

/// Text laid out from opening, through a jump to the middle, to scrolling
/// 20 wheel steps from there; and what ten frames at rest then cost.
fn reading_work(text: &str) -> (Work, Work) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = window(dir.path(), text, 0);
    let len = h.state().session.doc().char_len();
    h.state_mut().reader.reveal(len / 2, None, 0.0);
    settle(&mut h);
    for _ in 0..20 {
        wheel(&mut h, -120.0);
    }
    settle(&mut h);
    let moving = h.state().work();
    for _ in 0..10 {
        h.step();
    }
    (moving, h.state().work() - moving)
}

#[test]
fn reading_costs_the_same_in_an_article_a_book_and_one_long_line() {
    let (article, rest) = reading_work(gloss::sample::ARTICLE);
    assert_eq!(rest.pieces, 0, "frames at rest lay nothing out");
    assert!(article.chars > 1000, "{article:?}");
    for (name, text) in [
        ("a 5 MB book", gloss::sample::prose(5 << 20, false)),
        ("a 2 MB single line", gloss::sample::prose(2 << 20, true)),
    ] {
        let (work, rest) = reading_work(&text);
        assert_eq!(rest.pieces, 0, "{name}: frames at rest lay nothing out");
        // What was shown, and a little around it: a few screens' worth,
        // never the length of the text or of its longest line.
        assert!(
            work.chars <= 4 * article.chars + 4 * MAX_PIECE,
            "{name}: {} chars laid out, against {} in the article",
            work.chars,
            article.chars
        );
        assert!(
            work.pieces <= 12 * article.pieces,
            "{name}: {work:?} against {article:?}"
        );
    }
}

/// The work of `edit` on the open window, and of the frame that shows it.
fn edit_work(h: &mut Harness<'_, GlossApp>, edit: impl FnOnce(&mut GlossApp)) -> Work {
    let before = h.state().work();
    edit(h.state_mut());
    h.step();
    h.step();
    h.state().work() - before
}

/// Per-edit work with `n` annotations on a 5 MB book, the list filtered by
/// tag and by text.
fn edits_work(n: usize) -> Vec<(&'static str, Work)> {
    let dir = tempfile::tempdir().unwrap();
    let text = gloss::sample::prose(5 << 20, false);
    let mut h = window(dir.path(), &text, n);
    let len = h.state().session.doc().char_len();
    h.state_mut().reader.reveal(len / 2, None, 0.0);
    h.state_mut().side.filter_tag = Some("claim".into());
    h.state_mut().side.filter_text = "the".into();
    settle(&mut h);
    let now = OffsetDateTime::UNIX_EPOCH;
    let at = len / 2 + 10;
    let mut id = None;
    let mut out = vec![(
        "add",
        edit_work(&mut h, |app| {
            id = app
                .session
                .annotate(CharRange::new(at, at + 20), vec!["claim".into()], "t", now)
                .ok();
        }),
    )];
    let id = id.expect("annotated");
    let mut note = String::new();
    for _ in 0..3 {
        note.push('x');
        out.push((
            "note keystroke",
            edit_work(&mut h, |app| app.session.set_note(&id, &note, now).unwrap()),
        ));
    }
    out.push((
        "retag",
        edit_work(&mut h, |app| {
            app.session.toggle_tag(&id, "source", now).unwrap()
        }),
    ));
    out.push((
        "delete",
        edit_work(&mut h, |app| app.session.delete(&id).unwrap()),
    ));
    out.push((
        "undo",
        edit_work(&mut h, |app| assert!(app.session.undo().unwrap())),
    ));
    out
}

#[test]
fn an_edit_costs_the_same_among_a_hundred_or_twenty_thousand_annotations() {
    let few = edits_work(100);
    let many = edits_work(20_000);
    for ((name, a), (_, b)) in few.iter().zip(&many) {
        // The list re-checks what changed, not every annotation.
        assert!(
            b.checked <= 4,
            "{name}: {} annotations re-filtered among 20,000",
            b.checked
        );
        // Lanes are coloured around the view only.
        assert!(
            b.coloured <= a.coloured + 100,
            "{name}: {} annotations coloured among 20,000, {} among 100",
            b.coloured,
            a.coloured
        );
        assert_eq!(b.pieces, 0, "{name}: an edit never re-lays-out text");
    }
}

#[test]
fn a_jump_lands_at_once_and_the_view_stays_put_while_text_above_is_measured() {
    let dir = tempfile::tempdir().unwrap();
    // Paragraphs of narrow and of wide letters: heights estimated from the
    // number of chars are off for most of them until they are shown.
    let text: String = (0..30_000)
        .map(|i| match i % 3 {
            0 => "ill lit fill ".repeat(10 + i % 40),
            1 => "WM MW WWM ".repeat(10 + i % 30),
            _ => "Plain words of a sentence. ".repeat(1 + i % 9),
        } + "\n\n")
        .collect();
    let mut h = window(dir.path(), &text, 0);
    let doc = h.state().session.doc().clone();
    let target = doc.word_at(doc.char_len() / 2).start;
    let y_of = |h: &Harness<'_, GlossApp>| {
        let app = h.state();
        app.reader
            .screen_pos(&app.session, target)
            .expect("the target is drawn")
            .y
    };
    h.state_mut().reader.reveal(target, None, 0.0);
    h.step();
    let landed = y_of(&h);
    for _ in 0..10 {
        h.step();
        assert!(
            (y_of(&h) - landed).abs() < 1.0,
            "the view moved after the jump"
        );
    }
    // Where the jump puts it: its row's top at 30% of the view.
    let view = h.state().reader.view_rect();
    let aimed = view.top() + 0.3 * view.height();
    assert!(
        (aimed..aimed + 30.0).contains(&landed),
        "landed at {landed}, aimed at {aimed}"
    );
    // Scrolling up into text never shown: the pieces above are measured
    // as they appear, and what the reader was looking at moves by exactly
    // the distance scrolled.
    for _ in 0..4 {
        wheel(&mut h, 100.0);
    }
    for _ in 0..30 {
        h.step();
    }
    let moved = y_of(&h) - landed;
    assert!(
        (moved - 400.0).abs() < 2.0,
        "scrolled 400 pt, the text moved {moved}"
    );
}
