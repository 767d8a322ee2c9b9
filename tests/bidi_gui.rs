//! Right-to-left text selected by dragging at the exact visual edges of
//! what is displayed, as browsers resolve them: a run's visual edge is its
//! logical edge.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use gloss::model::CharRange;
use gloss::ui::GlossApp;

mod common;
use common::gui::{drag, drawn_extent as extent, find, harness_with};

fn selected(h: &Harness<'_, GlossApp>) -> Option<CharRange> {
    let app = h.state();
    app.reader.selected_range(&app.session)
}

#[test]
fn drags_from_just_inside_the_visual_edges_select_exactly_the_phrase() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("mixed.txt");
    let text = "Intro line.\n\
        Mixed: العربية لغة جميلة (Arabic is beautiful) and שלום עולם here.\n\
        שלום עולם, this line starts in Hebrew.\n\
        كتب في عام 2025 مقالة طويلة.\n\
        עברית בלבד כאן ושם\n";
    std::fs::write(&doc, text).unwrap();
    let mut h = harness_with(dir.path(), Some(doc), true);
    // Hebrew and Arabic inside a left-to-right line, across its LTR/RTL
    // boundaries, digits inside a right-to-left paragraph, a whole
    // right-to-left line and words inside it.
    let phrases = [
        "שלום עולם",
        "שלום עולם here",
        "and שלום עולם",
        "العربية لغة جميلة",
        "2025 مقالة",
        "في عام 2025",
        "בלבד כאן",
        "עברית בלבד כאן ושם",
        "this line starts",
    ];
    let mut failures = Vec::new();
    for phrase in phrases {
        let range = find(&h, phrase);
        for inset in [1.0, 2.0] {
            for backwards in [false, true] {
                let (left, right, y) = extent(&h, range);
                let (a, b) = (egui::pos2(left + inset, y), egui::pos2(right - inset, y));
                let (a, b) = if backwards { (b, a) } else { (a, b) };
                drag(&mut h, a, b);
                let got = selected(&h);
                if got != Some(range) {
                    let shown = got.map(|r| h.state().session.doc().slice(r).to_string());
                    failures.push(format!(
                        "{phrase:?} inset {inset} backwards {backwards}: {shown:?}"
                    ));
                }
                if got == Some(range) && inset == 1.0 && !backwards {
                    // What is shown selected is what is stored.
                    h.key_press(egui::Key::Num1);
                    h.run();
                    let app = h.state();
                    let id = app.selected.clone().expect("tagged");
                    let quote = app.session.annotation(&id).map(|a| a.quote.clone());
                    assert_eq!(quote.as_deref(), Some(phrase));
                    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
                    h.run();
                }
                h.key_press(egui::Key::Escape);
                h.run();
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_selection_in_right_to_left_text_is_one_shape_per_stretch_shown() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("ar.txt");
    std::fs::write(
        &doc,
        "كتب في عام 2025 مقالة طويلة عن العربية.\nMixed: العربية لغة جميلة and more.\n",
    )
    .unwrap();
    let h = harness_with(dir.path(), Some(doc), true);
    let app = h.state();
    // Words, a number inside the run, and a whole run: each is drawn side
    // by side, so each is one rectangle (no seams between letters).
    for phrase in [
        "العربية",
        "مقالة طويلة عن",
        "عام 2025 مقالة",
        "العربية لغة جميلة",
    ] {
        let range = find(&h, phrase);
        let rects = app.reader.drawn_rects(&app.session, range);
        assert_eq!(rects.len(), 1, "{phrase}: {rects:?}");
        // and it covers exactly the chars of the range.
        let (left, right, _) = extent(&h, range);
        assert!((rects[0].left() - left).abs() < 0.5 && (rects[0].right() - right).abs() < 0.5);
    }
    // A range whose chars are shown apart is two shapes, never one over
    // the text between.
    let range = find(&h, "Mixed: العربية");
    let rects = app.reader.drawn_rects(&app.session, range);
    assert_eq!(rects.len(), 2, "{rects:?}");
}

#[test]
fn characters_without_a_font_are_said_once_by_script() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("scripts.txt");
    // Without the system's fonts (egui's own only): no Devanagari, no
    // Thai, and egui's emoji font predates 🙂.
    std::fs::write(
        &doc,
        "Hindi हिन्दी, Thai ภาษาไทย, a smile 🙂, a flag 🇲🇽.\nMore हिन्दी.\n",
    )
    .unwrap();
    let mut h = common::gui::harness_with(dir.path(), Some(doc), false);
    h.run_steps(3);
    let said: Vec<String> = h
        .state()
        .notices
        .items
        .iter()
        .map(|n| n.text.clone())
        .filter(|t| t.contains("no font"))
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    for script in ["Devanagari", "Thai", "emoji", "flags"] {
        assert!(said[0].contains(script), "{script}: {}", said[0]);
    }
    assert!(!said[0].contains("Latin"));
}

/// Devanagari conjuncts and Thai clusters, where glyphs and chars do not
/// pair one to one, with fonts from Debian (fonts-lohit-deva,
/// fonts-tlwg-garuda-ttf, which CI installs).
#[test]
fn shaped_scripts_select_and_highlight_whole_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("shaped.txt");
    let words = ["क्षत्रिय", "हिन्दी", "ภาษาไทย", "น้ำ"];
    std::fs::write(
        &doc,
        format!(
            "Hindi {} {} and Thai {} {} end.\n",
            words[0], words[1], words[2], words[3]
        ),
    )
    .unwrap();
    let mut h = harness_with(dir.path(), Some(doc), true);
    h.run_steps(3);
    if h.state()
        .notices
        .items
        .iter()
        .any(|n| n.text.contains("no font"))
    {
        common::skip(
            "no Devanagari or Thai font here (apt install fonts-lohit-deva fonts-tlwg-garuda-ttf)",
        );
        return;
    }
    for word in words {
        let range = find(&h, word);
        let (left, right, y) = extent(&h, range);
        assert!(right - left > 10.0, "{word} is drawn: {left}..{right}");
        // Its highlight is one shape over exactly what is drawn.
        {
            let app = h.state();
            let rects = app.reader.drawn_rects(&app.session, range);
            assert_eq!(rects.len(), 1, "{word}: {rects:?}");
            assert!(
                (rects[0].left() - left).abs() < 1.0 && (rects[0].right() - right).abs() < 1.0,
                "{word}: {rects:?} vs {left}..{right}"
            );
        }
        for backwards in [false, true] {
            let (a, b) = (egui::pos2(left + 1.0, y), egui::pos2(right - 1.0, y));
            let (a, b) = if backwards { (b, a) } else { (a, b) };
            drag(&mut h, a, b);
            assert_eq!(selected(&h), Some(range), "{word} backwards {backwards}");
            h.key_press(egui::Key::Escape);
            h.run();
        }
    }
}

#[test]
fn the_caret_in_right_to_left_text_stands_at_its_logical_place() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("mixed.txt");
    std::fs::write(&doc, "Read שלום עולם now.\n").unwrap();
    let mut h = harness_with(dir.path(), Some(doc), true);
    h.key_press(egui::Key::F7);
    h.run();
    let word = find(&h, "שלום");
    let app = h.state_mut();
    // At the word's logical start the caret stands at its right edge
    // (Hebrew reads right to left); Shift+→ selects its first letter.
    app.reader.jump(word.start, gloss::ui::reader::Align::Top);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    h.run();
    h.event(egui::Event::Text(format!("char {}", word.start)));
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let (left, right, _) = extent(&h, word);
    let caret = {
        let app = h.state();
        app.reader.screen_pos(&app.session, word.start).unwrap()
    };
    assert!(
        (caret.x - right).abs() < 2.0,
        "caret at the right edge: {} vs {left}..{right}",
        caret.x
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        selected(&h),
        Some(CharRange::new(word.start, word.start + 1))
    );
}

#[test]
fn a_selected_annotations_grips_hang_at_its_logical_ends_in_right_to_left_text() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("grips.txt");
    std::fs::write(&doc, "Read: العربية لغة جميلة (Arabic) here.\n").unwrap();
    let mut h = harness_with(dir.path(), Some(doc), true);
    let phrase = find(&h, "لغة جميلة");
    let (left, right, y) = extent(&h, phrase);
    drag(
        &mut h,
        egui::pos2(right - 1.0, y),
        egui::pos2(left + 1.0, y),
    );
    assert_eq!(selected(&h), Some(phrase));
    h.key_press(egui::Key::Num1);
    h.run();
    let app = h.state();
    let id = app.selected.clone().expect("tagged");
    // The start grip over the first word's right edge, the end grip
    // under the last word's left edge: both over the phrase itself.
    let start = app.reader.grip_pos(&app.session, &id, true).unwrap();
    let end = app.reader.grip_pos(&app.session, &id, false).unwrap();
    assert!(
        (start.x - right).abs() < 2.0,
        "start grip at {}, phrase {left}..{right}",
        start.x
    );
    assert!(
        (end.x - left).abs() < 2.0,
        "end grip at {}, phrase {left}..{right}",
        end.x
    );
}
