//! The app in a bare `egui::Context`, as eframe runs it but without a
//! window: each frame is the app's full UI pass and the tessellation of
//! what it drew. (egui_kittest would add AccessKit's work to every frame,
//! which the real window only does while a screen reader is on.)

use gloss::ui::prefs::Prefs;
use gloss::ui::{AppOptions, GlossApp};
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Window {
    ctx: egui::Context,
    app: GlossApp,
    frame: eframe::Frame,
    events: Vec<egui::Event>,
    started: Instant,
}

impl Window {
    /// A window on `path`, and how long until its first frame showing the
    /// document was drawn.
    pub fn open(path: &Path) -> (Self, Duration, tempfile::TempDir) {
        let data = tempfile::tempdir().expect("a data folder");
        let options = AppOptions {
            open: Some(path.to_path_buf()),
            data_dir: Some(data.path().to_path_buf()),
            waiting: Vec::new(),
        };
        let start = Instant::now();
        let ctx = egui::Context::default();
        let app = GlossApp::with_prefs(&ctx, options, Prefs::default());
        let mut w = Self {
            ctx,
            app,
            frame: eframe::Frame::_new_kittest(),
            events: Vec::new(),
            started: Instant::now(),
        };
        w.frame();
        // Polled as the window polls a job (a frame a few ms apart, not a
        // busy loop that takes a core from the job).
        while w.app.is_busy() {
            std::thread::sleep(Duration::from_millis(2));
            w.frame();
        }
        w.frame();
        (w, start.elapsed(), data)
    }

    pub fn state(&self) -> &GlossApp {
        &self.app
    }

    pub fn state_mut(&mut self) -> &mut GlossApp {
        &mut self.app
    }

    pub fn event(&mut self, e: egui::Event) {
        self.events.push(e);
    }

    pub fn hover_at(&mut self, pos: egui::Pos2) {
        self.events.push(egui::Event::PointerMoved(pos));
    }

    pub fn step(&mut self) {
        self.frame();
    }

    /// One full frame: the UI pass and tessellation.
    pub fn frame(&mut self) -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            time: Some(self.started.elapsed().as_secs_f64()),
            predicted_dt: 1.0 / 60.0,
            events: std::mem::take(&mut self.events),
            ..Default::default()
        };
        let t = Instant::now();
        let (app, frame) = (&mut self.app, &mut self.frame);
        let mut out = self.ctx.run_ui(input, |ui| eframe::App::ui(app, ui, frame));
        let shapes = std::mem::take(&mut out.shapes);
        std::hint::black_box(self.ctx.tessellate(shapes, out.pixels_per_point));
        let took = t.elapsed();
        out.textures_delta.clear();
        took
    }
}
