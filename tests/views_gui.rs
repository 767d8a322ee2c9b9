//! The project views as a new user first sees them (issue 19): the
//! Documents panel's rows, the Passages window's first view, the
//! Statistics window, and the codebook's Split dialog.
#![cfg(feature = "gui")]

mod common;

use common::gui::{drag_select, find, harness, run_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gloss::session::Session;
use gloss::ui::GlossApp;
use std::path::Path;

fn code_selection(h: &mut Harness<'_, GlossApp>, words: &str, key: egui::Key) {
    let range = find(h, words);
    drag_select(h, range);
    h.key_press(key);
    h.run();
}

fn click_button(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_all_by_role_and_label(egui::accesskit::Role::Button, label)
        .last()
        .unwrap_or_else(|| panic!("no {label} button"))
        .click();
    h.run();
}

/// Steps frames until a label saying exactly `text` shows (work on other
/// threads: a bounded wait).
fn until_label(h: &mut Harness<'_, GlossApp>, text: &str) {
    let start = std::time::Instant::now();
    while h.query_by_label(text).is_none() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "no label {text:?}"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// `text` coded in the document at `path` with `codes`, saved.
fn coded(path: &Path, text: &str, codes: &[(&str, &str)]) {
    std::fs::write(path, text).unwrap();
    let mut s = Session::open(path).unwrap();
    let now = time::OffsetDateTime::UNIX_EPOCH;
    for (words, code) in codes {
        let at = text.find(words).unwrap();
        let start = text[..at].chars().count();
        let range = gloss::model::CharRange::new(start, start + words.chars().count());
        s.annotate(range, vec![code.to_string()], "Ana", now)
            .unwrap();
    }
    s.save().unwrap();
}

/// Every row says its size to the nearest unit and its count in one
/// wording, with the share coded: the open document's too, as it is
/// coded.
#[test]
fn document_rows_say_size_count_and_share_alike() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 40 chars; "were ready" is a quarter of them.
    std::fs::write(d.join("a.txt"), "Drones were ready. The ministry said no.").unwrap();
    coded(
        &d.join("b.txt"),
        &"The ministry denied it. ".repeat(346),
        &[("ministry", "claim"), ("denied", "source")],
    );
    std::fs::write(d.join("c.txt"), "Nothing coded here.").unwrap();
    let mut h = harness(&d.join(".data"), Some(d.to_path_buf()));
    assert_eq!(h.state().session.doc().name, "a.txt");
    // 8,304 bytes is 8 KB, not 9; under a kilobyte, bytes.
    until_label(&mut h, "8 KB · 2 annotations · 0.2% coded");
    until_label(&mut h, "19 bytes · no annotations");
    until_label(&mut h, "40 bytes · no annotations");
    code_selection(&mut h, "were ready", egui::Key::Num1);
    until_label(&mut h, "40 bytes · 1 annotation · 25% coded");
    // An overlapping annotation: the share counts the text once.
    code_selection(&mut h, "Drones were ready.", egui::Key::Num2);
    until_label(&mut h, "40 bytes · 2 annotations · 45% coded");
}

/// The Passages window opens on every code, so its first view shows the
/// project's passages; with an annotation selected, on that one's codes.
#[test]
fn passages_open_on_every_code_or_the_selected_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    coded(
        &d.join("a.txt"),
        "Drones were ready. The ministry said no.",
        &[("Drones", "claim"), ("ministry", "source")],
    );
    coded(
        &d.join("b.txt"),
        "The ministry denied it.",
        &[("denied", "evidence")],
    );
    let mut h = harness(&d.join(".data"), Some(d.to_path_buf()));
    click_button(&mut h, "Project");
    // Its label also names the shortcut.
    h.get_by_label_contains("Passages…").click();
    h.run();
    run_until(&mut h, |app| {
        app.passages.open && !app.passages.is_running() && app.passages.results.len() == 3
    });
    h.run();
    assert!(h.query_by_label("3 passages in 2 documents").is_some());

    // Closed, an annotation selected, opened again: that annotation's codes.
    h.state_mut().passages.open = false;
    h.state_mut().passages.codes.clear();
    h.run();
    let id = (h.state().session.store().annotations.iter())
        .find(|a| a.quote == "ministry")
        .map(|a| a.id.clone())
        .unwrap();
    h.state_mut().selected = Some(id);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::P,
    );
    h.run();
    run_until(&mut h, |app| {
        app.passages.open && !app.passages.is_running() && app.passages.results.len() == 1
    });
    h.run();
    assert_eq!(h.state().passages.codes, ["source"]);
    assert!(h.query_by_label("1 passage in 1 document").is_some());
}

/// A small project coded by two authors in two documents, with the
/// Statistics window open and counted.
fn statistics(d: &Path) -> Harness<'static, GlossApp> {
    coded(
        &d.join("a.txt"),
        "Drones were ready. The ministry said no. Officials confirmed it later.",
        &[
            ("Drones", "claim"),
            ("were ready", "source"),
            ("ministry", "source"),
            ("Officials", "evidence"),
        ],
    );
    coded(
        &d.join("b.txt"),
        "The ministry denied it, and the officials did not answer.",
        &[("denied", "evidence"), ("officials", "claim")],
    );
    let mut h = harness(&d.join(".data"), Some(d.to_path_buf()));
    click_button(&mut h, "Project");
    click_button(&mut h, "Statistics…");
    run_until(&mut h, |app| {
        app.stats.stats.is_some() && !app.stats.is_running()
    });
    h.run();
    h
}

fn window_rect(h: &Harness<'_, GlossApp>, title: &str) -> egui::Rect {
    h.ctx
        .memory(|m| m.area_rect(egui::Id::unique(Some(std::borrow::Cow::Borrowed(title)))))
        .expect("the window is shown")
}

/// Switching charts keeps the window's size (the heat map of three codes
/// once shrank it, and the bars grew it back).
#[test]
fn the_statistics_window_keeps_its_size_across_charts() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = statistics(dir.path());
    let first = window_rect(&h, "Statistics");
    for _ in 0..2 {
        for chart in gloss::project::charts::Chart::ALL {
            h.get_by_label(chart.title()).click();
            h.run();
            assert_eq!(window_rect(&h, "Statistics"), first, "{chart:?}");
        }
    }
}

/// The legend of the stacked bars is beside the plot, never over it.
#[test]
fn the_legend_does_not_cover_the_bars() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = statistics(dir.path());
    for chart in ["Codes per author", "Codes per document"] {
        h.get_by_label(chart).click();
        h.run();
        let window = window_rect(&h, "Statistics");
        let plot = h.state().stats.plot_rect().expect("drawn");
        assert!(window.contains_rect(plot), "{chart}");
        for code in ["claim", "source", "evidence"] {
            let shown: Vec<egui::Rect> = h
                .get_all_by_label(code)
                .map(|n| n.rect())
                .filter(|r| window.contains_rect(*r))
                .collect();
            assert_eq!(shown.len(), 1, "{chart}: one legend entry for {code}");
            assert!(!shown[0].intersects(plot), "{chart}: {code} over the plot");
        }
    }
}

/// The texts painted last frame whose passage `highlighted` has a
/// background of its own: (the whole text, the highlighted part).
fn highlighted_texts(h: &Harness<'_, GlossApp>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        let mut stack = vec![&clipped.shape];
        while let Some(shape) = stack.pop() {
            match shape {
                egui::Shape::Vec(shapes) => stack.extend(shapes),
                egui::Shape::Text(t) => {
                    let job = &t.galley.job;
                    for section in &job.sections {
                        if section.format.background != egui::Color32::TRANSPARENT {
                            let part =
                                &job.text[section.byte_range.start.0..section.byte_range.end.0];
                            out.push((job.text.clone(), part.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The Split dialog shows each passage highlighted in its sentence, so
/// two passages of one sentence read apart.
#[test]
fn the_split_dialog_highlights_each_passage_in_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    let sentence = "Drones were ready, one official said, and the ministry denied it.";
    coded(
        &path,
        sentence,
        &[
            ("Drones were ready", "claim"),
            ("the ministry denied it", "claim"),
        ],
    );
    let mut h = harness(&dir.path().join(".data"), Some(path));
    click_button(&mut h, "Tags");
    click_button(&mut h, "Codebook…");
    click_button(&mut h, "Code menu claim");
    click_button(&mut h, "Split…");
    h.run();
    let shown = highlighted_texts(&h);
    for quote in ["Drones were ready", "the ministry denied it"] {
        assert!(
            shown.contains(&(sentence.to_string(), quote.to_string())),
            "{quote} highlighted in its sentence: {shown:?}"
        );
    }
}
