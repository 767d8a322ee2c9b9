//! The Statistics window: code frequencies per document (stacked bars),
//! co-occurrence (a heat map with counts), coverage per document and codes
//! per author, drawn in `stats_charts`. The numbers are on the charts;
//! hovering says more; clicking a bar or a cell opens its passages; each
//! chart saves as PNG (what is on screen) or SVG, and its numbers as CSV.
//! The numbers are counted on another thread. The window keeps its size
//! whichever chart it shows.

use crate::formats::{ExportGuard, FormatError};
use crate::model::Codebook;
use crate::project::charts::{self, Chart};
use crate::project::{Current, Stats};
use crate::session::Session;
use crate::ui::jobs::Job;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

/// What the window asks the app to do.
pub enum Action {
    /// Show these passages in the Passages window.
    Passages {
        codes: Vec<String>,
        and: Option<String>,
        author: Option<String>,
        document: Option<String>,
    },
    /// Ask where to save the chart, in this form.
    Save(Chart, Kind),
    /// The user confirmed replacing the existing file at this path.
    Replace(Kind, PathBuf),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Png,
    Svg,
    Csv,
}

impl Kind {
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Svg => "svg",
            Kind::Csv => "csv",
        }
    }
}

/// Counted numbers and the documents left out, or why counting failed.
type Counted = Result<(Stats, Vec<String>), String>;

#[derive(Default)]
pub struct StatsWindow {
    pub open: bool,
    pub chart: Chart,
    pub stats: Option<Stats>,
    counting: Option<Job<Counted>>,
    /// The folder last counted.
    counted: Option<PathBuf>,
    skipped: Vec<String>,
    message: Option<String>,
    /// Where the chart was drawn last frame, legend included (a PNG is
    /// that part of the window).
    chart_rect: Option<egui::Rect>,
    /// Where its bars or cells were drawn (nothing else may cover them).
    plot_rect: Option<egui::Rect>,
    saving: Option<Receiver<Saved>>,
    /// A save refused because the file exists: (form, path), until the
    /// user replaces it or not.
    pub replace: Option<(Kind, PathBuf)>,
}

/// A finished save: the form, and where it went or why not.
type Saved = (Kind, Result<PathBuf, FormatError>);

impl StatsWindow {
    /// Counts the numbers of `folder` again, on another thread.
    pub fn count(&mut self, folder: &Path, session: &Session, ctx: &egui::Context) {
        let (owned, current) = (folder.to_path_buf(), Current::of(session));
        self.counted = Some(folder.to_path_buf());
        self.counting = Some(Job::start("Counting", ctx, move || {
            let mut skipped = Vec::new();
            crate::project::stats_with(&owned, current.as_ref(), &mut |p, why| {
                skipped.push(format!("{}: {why}", p.display()))
            })
            .map(|s| (s, skipped))
            .map_err(|e| format!("could not count {}: {e}", owned.display()))
        }));
    }

    pub fn is_running(&self) -> bool {
        self.counting.is_some() || self.saving.is_some()
    }

    /// Where the chart's bars or cells were drawn last frame.
    pub fn plot_rect(&self) -> Option<egui::Rect> {
        self.plot_rect
    }

    fn poll(&mut self) {
        if let Some(done) = self.counting.as_ref().and_then(Job::poll) {
            self.counting = None;
            match done {
                Some(Ok((stats, skipped))) => {
                    self.stats = Some(stats);
                    self.skipped = skipped;
                }
                Some(Err(e)) => self.message = Some(e),
                None => self.message = Some("counting stopped unexpectedly".into()),
            }
        }
        if let Some(rx) = &self.saving
            && let Ok((kind, done)) = rx.try_recv()
        {
            self.saving = None;
            self.message = Some(match done {
                Ok(p) => format!("Saved {}.", p.display()),
                Err(FormatError::Exists(p)) => {
                    let m = format!(
                        "{} already exists. Replace it with this chart?",
                        p.display()
                    );
                    self.replace = Some((kind, p));
                    m
                }
                Err(e) => format!("The chart was not saved: {e}."),
            });
        }
    }

    /// Writes the chart as SVG or CSV (on another thread), or as PNG from
    /// the next frame's pixels, under the export guard's rules (never over
    /// a document, an annotation or project file or a backup; an existing
    /// file only when `guard` was made with the user's consent).
    pub fn save(
        &mut self,
        kind: Kind,
        path: PathBuf,
        guard: ExportGuard,
        codebook: &Codebook,
        ctx: &egui::Context,
    ) {
        let Some(stats) = &self.stats else { return };
        self.replace = None;
        let (tx, rx) = channel();
        self.saving = Some(rx);
        let named = path.clone();
        let done = move |r: Result<(), FormatError>| {
            let _ = tx.send((kind, r.map(|()| named)));
        };
        let mut guard = guard;
        let mut write = move |path: &Path, bytes: &[u8]| guard.write_one(path, bytes);
        match kind {
            Kind::Png => {
                let Some(rect) = self.chart_rect else {
                    return done(Err(FormatError::Invalid(
                        "the chart is not on screen".into(),
                    )));
                };
                let ppp = ctx.pixels_per_point();
                let target = path.clone();
                let ctx2 = ctx.clone();
                ctx.request_screenshot(move |image| {
                    std::thread::spawn(move || {
                        let png = encode_png(&image.region(&rect, Some(ppp)));
                        done(
                            png.map_err(FormatError::Invalid)
                                .and_then(|bytes| write(&target, &bytes)),
                        );
                        ctx2.request_repaint();
                    });
                });
            }
            Kind::Svg | Kind::Csv => {
                let codes = charts::codes(stats, codebook);
                let text = match kind {
                    Kind::Svg => charts::svg(self.chart, stats, codebook),
                    _ => charts::csv(self.chart, stats, &codes),
                };
                let target = path.clone();
                let ctx = ctx.clone();
                std::thread::spawn(move || {
                    done(write(&target, text.as_bytes()));
                    ctx.request_repaint();
                });
            }
        }
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        folder: Option<&Path>,
        session: &Session,
    ) -> Vec<Action> {
        self.poll();
        let mut actions = Vec::new();
        if self.open
            && let Some(folder) = folder
            && self.counting.is_none()
            && self.counted.as_deref() != Some(folder)
        {
            self.count(folder, session, ctx);
        }
        let mut open = self.open;
        egui::Window::new("Statistics")
            .open(&mut open)
            .default_size([760.0, 520.0])
            .show(ctx, |ui| {
                // The charts fill the window, whatever their size: a
                // smaller one (the heat map of three codes) must not
                // shrink it, nor a switch of chart move its edges.
                ui.set_min_size(ui.available_size());
                self.ui(ui, folder, session, &mut actions)
            });
        self.open = open;
        if self.is_running() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        actions
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        folder: Option<&Path>,
        session: &Session,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            for chart in Chart::ALL {
                ui.selectable_value(&mut self.chart, chart, chart.title());
            }
        });
        ui.horizontal(|ui| {
            if let Some(folder) = folder
                && ui
                    .add_enabled(self.counting.is_none(), egui::Button::new("Count again"))
                    .on_hover_text("Count with what was saved and coded since")
                    .clicked()
            {
                self.count(folder, session, ui.ctx());
            }
            if self.counting.is_some() {
                ui.spinner();
            }
            ui.add_enabled_ui(self.stats.is_some(), |ui| {
                ui.menu_button("Save ▾", |ui| {
                    for (kind, name) in [
                        (Kind::Png, "Chart as PNG…"),
                        (Kind::Svg, "Chart as SVG…"),
                        (Kind::Csv, "Numbers as CSV…"),
                    ] {
                        if ui.button(name).clicked() {
                            actions.push(Action::Save(self.chart, kind));
                            ui.close();
                        }
                    }
                });
            });
            if let Some(m) = &self.message {
                ui.label(m);
            }
            if self.replace.is_some() {
                if ui.button("Replace").clicked() {
                    actions.extend(self.replace.take().map(|(k, p)| Action::Replace(k, p)));
                } else if ui.button("Keep it").clicked() {
                    self.replace = None;
                    self.message = None;
                }
            }
        });
        for s in &self.skipped {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Left out {s}"));
        }
        let Some(stats) = &self.stats else {
            ui.label("Counting…");
            return;
        };
        if stats.documents.is_empty() {
            ui.label("No annotated documents yet.");
            return;
        }
        let codebook = session.codebook();
        let codes = charts::codes(stats, codebook);
        let start = ui.cursor().min;
        let (clicked, plot) = match self.chart {
            Chart::Frequencies | Chart::Authors => {
                draw::bars_ui(ui, self.chart, stats, codebook, &codes)
            }
            Chart::Coverage => draw::coverage_ui(ui, stats),
            Chart::Cooccurrence => draw::heat_ui(ui, stats, &codes),
        };
        self.plot_rect = Some(plot);
        self.chart_rect = Some(egui::Rect::from_min_max(start, ui.min_rect().max));
        actions.extend(clicked);
    }
}

/// An image as PNG bytes.
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trips() {
        let mut image = egui::ColorImage::filled([3, 2], egui::Color32::from_rgb(10, 20, 30));
        image[(2, 1)] = egui::Color32::from_rgb(200, 100, 0);
        let bytes = encode_png(&image).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buf[..4], &[10, 20, 30, 255]);
        assert_eq!(&buf[20..24], &[200, 100, 0, 255]);
    }
}

#[path = "stats_charts.rs"]
mod draw;

#[cfg(test)]
#[path = "stats_guard_tests.rs"]
mod guard_tests;
