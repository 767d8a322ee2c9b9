//! Driving the real app headless through egui_kittest.

use egui_kittest::Harness;
use gloss::model::CharRange;
use gloss::ui::prefs::Prefs;
use gloss::ui::{AppOptions, GlossApp};
use std::path::{Path, PathBuf};

pub fn harness(data_dir: &Path, open: Option<PathBuf>) -> Harness<'static, GlossApp> {
    harness_with(data_dir, open, false)
}

/// `system_fonts`: fall back to the system's fonts, as the app does, so
/// Arabic and Hebrew are shaped right to left (DejaVu Sans has both; CI
/// installs fonts-dejavu-core).
pub fn harness_with(
    data_dir: &Path,
    open: Option<PathBuf>,
    system_fonts: bool,
) -> Harness<'static, GlossApp> {
    let options = AppOptions {
        open,
        data_dir: Some(data_dir.to_path_buf()),
        waiting: Vec::new(),
    };
    harness_for(options, system_fonts)
}

/// The app started with these options, as `main` starts it.
pub fn harness_for(options: AppOptions, system_fonts: bool) -> Harness<'static, GlossApp> {
    let mut h = Harness::builder()
        .with_size([1280.0, 860.0])
        // Background jobs (opening, saving, re-reading) finish by the
        // clock, not by frames: on a loaded two-core machine a job spans
        // more than a few dozen frames, and `run` must wait for it.
        .with_max_steps(1000)
        .with_step_dt(0.05)
        // As the app does: a char no font has (CJK without CJK fonts) is a box.
        .allow_missing_glyphs()
        .build_eframe(move |cc| {
            if system_fonts {
                cc.egui_ctx.add_font_provider(std::sync::Arc::new(
                    egui_system_font_provider::SystemFontProvider::new(),
                ));
            }
            let prefs = Prefs {
                author: "Tester".into(),
                ..Prefs::default()
            };
            GlossApp::with_prefs(&cc.egui_ctx, options, prefs)
        });
    // A document named at startup is opened in the background.
    settle(&mut h);
    h
}

/// Char range of the first occurrence of `needle` in the open document.
pub fn find(h: &Harness<'_, GlossApp>, needle: &str) -> CharRange {
    let text = h.state().session.doc().text();
    let byte = text.find(needle).expect("text is in the document");
    let start = text[..byte].chars().count();
    CharRange::new(start, start + needle.chars().count())
}

/// Drags the mouse from char `range.start` to char `range.end`.
pub fn drag_select(h: &mut Harness<'_, GlossApp>, range: CharRange) {
    let on_screen = |h: &Harness<'_, GlossApp>, o: usize| {
        let app = h.state();
        app.reader.screen_pos(&app.session, o)
    };
    // A document just shown is laid out at its next frame (later still on
    // a busy machine): wait for it, by the clock.
    run_until(h, |app| {
        app.reader.screen_pos(&app.session, range.start).is_some()
            && app.reader.screen_pos(&app.session, range.end).is_some()
    });
    let pos = |h: &Harness<'_, GlossApp>, o: usize| {
        on_screen(h, o).expect("offset is on screen") + egui::vec2(1.0, 0.0)
    };
    let (a, b) = (pos(h, range.start), pos(h, range.end));
    drag(h, a, b);
}

/// A mouse drag from `a` to `b`, through the middle.
pub fn drag(h: &mut Harness<'_, GlossApp>, a: egui::Pos2, b: egui::Pos2) {
    h.drag_at(a);
    h.step();
    h.hover_at(a + (b - a) * 0.5);
    h.step();
    h.hover_at(b);
    h.step();
    h.drop_at(b);
    h.run();
}

pub fn run_until(h: &mut Harness<'_, GlossApp>, done: impl Fn(&GlossApp) -> bool) {
    // Wall-clock bound: a debug build on a busy two-core machine opens a
    // 5 MB book with 20,000 annotations in seconds, not frames.
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(120) {
        if done(h.state()) {
            return;
        }
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(done(h.state()), "timed out after two minutes");
}

/// Runs frames until the autosave is written: about a second after the
/// last change, on a background thread.
pub fn run_until_saved(h: &mut Harness<'_, GlossApp>) {
    h.run_steps(30);
    run_until(h, |app| !app.is_busy() && !app.session.dirty());
}

/// Runs frames until background jobs (open, re-read, save, import,
/// export) are done and their results taken in.
pub fn settle(h: &mut Harness<'_, GlossApp>) {
    // A job on a busy machine (a 5 MB book opening in a debug build) can
    // outlast kittest's step budget: the wall-clock wait below decides.
    let _ = h.run_ok();
    run_until(h, |app| !app.is_busy());
    let _ = h.run_ok();
}

/// Where `range` is drawn: the leftmost and rightmost x of its chars, and
/// the middle of its first char's row.
pub fn drawn_extent(h: &Harness<'_, GlossApp>, range: CharRange) -> (f32, f32, f32) {
    let app = h.state();
    let rects: Vec<egui::Rect> = (range.start..range.end)
        .map(|o| app.reader.char_rect(&app.session, o).expect("drawn"))
        .collect();
    let left = rects.iter().map(|r| r.left()).fold(f32::INFINITY, f32::min);
    let right = rects
        .iter()
        .map(|r| r.right())
        .fold(f32::NEG_INFINITY, f32::max);
    (left, right, rects[0].center().y)
}
