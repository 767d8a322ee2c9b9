//! The Statistics window: code frequencies per document (stacked bars),
//! co-occurrence (a heat map with counts), coverage per document and codes
//! per author. Hovering shows the numbers; clicking a bar or a cell opens
//! its passages; each chart saves as PNG (what is on screen) or SVG, and
//! its numbers as CSV. The numbers are counted on another thread.

use crate::formats::{ExportGuard, FormatError};
use crate::model::Codebook;
use crate::project::charts::{self, Chart};
use crate::project::{Current, Stats};
use crate::session::Session;
use crate::ui::jobs::Job;
use egui_plot::{Bar, BarChart, Plot};
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
    /// Where the chart was drawn last frame (a PNG is that part of the
    /// window).
    chart_rect: Option<egui::Rect>,
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
            .show(ctx, |ui| self.ui(ui, folder, session, &mut actions));
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
        let clicked = match self.chart {
            Chart::Frequencies | Chart::Authors => bars_ui(ui, self.chart, stats, codebook, &codes),
            Chart::Coverage => coverage_ui(ui, stats),
            Chart::Cooccurrence => heat_ui(ui, stats, &codes),
        };
        self.chart_rect = Some(ui.min_rect());
        actions.extend(clicked);
    }
}

/// The numbers of one bar segment: (row name, code, count).
fn segment_at(
    rows: &[(String, Vec<usize>)],
    codes: &[String],
    row: f64,
    value: f64,
) -> Option<(String, String, usize)> {
    let i = row.round();
    if i < 0.0 || (row - i).abs() > 0.4 {
        return None;
    }
    let (name, counts) = rows.get(i as usize)?;
    let mut at = 0.0;
    for (code, n) in codes.iter().zip(counts) {
        let next = at + *n as f64;
        if *n > 0 && value >= at && value < next {
            return Some((name.clone(), code.clone(), *n));
        }
        at = next;
    }
    None
}

/// Names on the y axis of a horizontal bar chart, one per row.
fn row_names(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let i = mark.value.round();
        if (mark.value - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        names
            .get(i as usize)
            .map(|n| crate::formats::report::clip(n, 28))
            .unwrap_or_default()
    }
}

fn bars_ui(
    ui: &mut egui::Ui,
    chart: Chart,
    stats: &Stats,
    codebook: &Codebook,
    codes: &[String],
) -> Option<Action> {
    let rows = charts::stacks(chart, stats, codes);
    let mut layers: Vec<BarChart> = Vec::new();
    for (k, code) in codes.iter().enumerate() {
        let color = crate::ui::theme::tag_color(codebook.get(code));
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, (name, counts))| {
                Bar::new(i as f64, counts[k] as f64)
                    .name(format!("{name}: {code} {}", counts[k]))
                    .fill(color)
                    .width(0.7)
            })
            .collect();
        let mut layer = BarChart::new(code.clone(), bars).color(color).horizontal();
        let below: Vec<&BarChart> = layers.iter().collect();
        layer = layer.stack_on(&below);
        layers.push(layer);
    }
    let names = rows.iter().map(|(n, _)| n.clone()).collect();
    let response = Plot::new(("stats bars", chart.stem()))
        .legend(egui_plot::Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([true, false])
        .y_axis_formatter(row_names(names))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
        .x_axis_label("annotations")
        .show(ui, |plot| {
            for layer in layers {
                plot.bar_chart(layer);
            }
            plot.pointer_coordinate()
        });
    let at = response.inner.filter(|_| response.response.clicked())?;
    let (name, code, _) = segment_at(&rows, codes, at.y, at.x)?;
    Some(match chart {
        Chart::Authors => Action::Passages {
            codes: vec![code],
            and: None,
            author: Some(if name == "(no author)" {
                String::new()
            } else {
                name
            }),
            document: None,
        },
        _ => Action::Passages {
            codes: vec![code],
            and: None,
            author: None,
            document: Some(name),
        },
    })
}

fn coverage_ui(ui: &mut egui::Ui, stats: &Stats) -> Option<Action> {
    let bars = stats
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Bar::new(i as f64, d.coverage * 100.0)
                .name(format!(
                    "{}: {:.1}% coded ({} of {} chars)",
                    d.document,
                    d.coverage * 100.0,
                    d.coded_chars,
                    d.chars
                ))
                .width(0.7)
        })
        .collect();
    let names: Vec<String> = stats.documents.iter().map(|d| d.document.clone()).collect();
    let response = Plot::new("stats coverage")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_x(100.0)
        .y_axis_formatter(row_names(names.clone()))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
        .x_axis_label("% of the text coded")
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("coverage", bars)
                    .color(egui::Color32::from_rgb(0, 114, 178))
                    .horizontal(),
            );
            plot.pointer_coordinate()
        });
    let at = response.inner.filter(|_| response.response.clicked())?;
    let i = at.y.round();
    let name = names
        .get(i as usize)
        .filter(|_| i >= 0.0 && (at.y - i).abs() <= 0.4)?;
    let codes = stats
        .documents
        .get(i as usize)?
        .codes
        .keys()
        .cloned()
        .collect();
    Some(Action::Passages {
        codes,
        and: None,
        author: None,
        document: Some(name.clone()),
    })
}

/// The co-occurrence matrix as a grid of cells shaded by count.
fn heat_ui(ui: &mut egui::Ui, stats: &Stats, codes: &[String]) -> Option<Action> {
    let max = codes
        .iter()
        .flat_map(|a| codes.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| charts::cooccurrence(stats, a, b))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut clicked = None;
    let cell = egui::vec2(48.0, 28.0);
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("co-occurrence")
            .spacing([2.0, 2.0])
            .show(ui, |ui| {
                ui.label("");
                for code in codes {
                    ui.add_sized(
                        cell,
                        egui::Label::new(
                            egui::RichText::new(crate::formats::report::clip(code, 8)).small(),
                        )
                        .truncate(),
                    )
                    .on_hover_text(code);
                }
                ui.end_row();
                for a in codes {
                    ui.label(a);
                    for b in codes {
                        let n = charts::cooccurrence(stats, a, b);
                        let (rect, r) = ui.allocate_exact_size(cell, egui::Sense::click());
                        if a == b {
                            ui.painter()
                                .rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
                            continue;
                        }
                        let t = n as f32 / max as f32;
                        let fill =
                            egui::Color32::from_rgb(0, 114, 178).gamma_multiply(0.12 + 0.88 * t);
                        ui.painter().rect_filled(rect, 2.0, fill);
                        ui.painter().text(
                            rect.center(),
                            egui::Align2::CENTER_CENTER,
                            n.to_string(),
                            egui::FontId::proportional(13.0),
                            if t > 0.5 {
                                egui::Color32::WHITE
                            } else {
                                ui.visuals().text_color()
                            },
                        );
                        let label = format!("{a} and {b}: {n} overlapping");
                        r.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        let r = r.on_hover_text(format!("{label}. Click for the passages."));
                        if r.clicked() {
                            clicked = Some(Action::Passages {
                                codes: vec![a.clone()],
                                and: Some(b.clone()),
                                author: None,
                                document: None,
                            });
                        }
                    }
                    ui.end_row();
                }
            });
    });
    clicked
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
    fn a_click_finds_the_segment_under_it() {
        let codes = vec!["claim".to_string(), "source".to_string()];
        let rows = vec![
            ("a.txt".to_string(), vec![2, 3]),
            ("b.txt".to_string(), vec![0, 1]),
        ];
        assert_eq!(
            segment_at(&rows, &codes, 0.1, 1.5),
            Some(("a.txt".into(), "claim".into(), 2))
        );
        assert_eq!(
            segment_at(&rows, &codes, -0.2, 2.0),
            Some(("a.txt".into(), "source".into(), 3))
        );
        assert_eq!(
            segment_at(&rows, &codes, 1.0, 0.5),
            Some(("b.txt".into(), "source".into(), 1))
        );
        assert_eq!(segment_at(&rows, &codes, 0.5, 1.0), None, "between bars");
        assert_eq!(segment_at(&rows, &codes, 0.0, 5.5), None, "past the bar");
        assert_eq!(segment_at(&rows, &codes, 7.0, 0.5), None);
    }

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

#[cfg(test)]
#[path = "stats_guard_tests.rs"]
mod guard_tests;
