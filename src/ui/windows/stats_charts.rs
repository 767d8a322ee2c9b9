//! The Statistics window's charts as drawn: stacked bars (codes per
//! document, codes per author) with their legend above them and each
//! bar's total after it, coverage bars with their share on them, and the
//! co-occurrence heat map with its column names at 45° in the body size.
//! Numbers and colours are `project::charts`'s, so the SVG shows the same.

use super::Action;
use crate::model::Codebook;
use crate::project::Stats;
use crate::project::charts::{self, Chart};
use egui::{Color32, RichText};
use egui_plot::{Bar, BarChart, Plot, PlotPoint, Text};

/// Room after the longest bar for its number, as a share of the axis.
const LABEL_ROOM: f64 = 0.15;

/// The numbers of one bar segment: (row name, code, count).
pub(super) fn segment_at(
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

/// Where row `i` of `rows` sits on the y axis, and back (the same
/// turn): the first row at the top, as the SVG and a reader have it (the
/// plot's y axis grows upwards).
fn flip(y: f64, rows: usize) -> f64 {
    rows as f64 - 1.0 - y
}

/// Names on the y axis of a horizontal bar chart, one per row.
fn row_names(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let i = flip(mark.value, names.len()).round();
        if (flip(mark.value, names.len()) - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        names
            .get(i as usize)
            .map(|n| crate::formats::report::clip(n, 28))
            .unwrap_or_default()
    }
}

/// A plot of horizontal bars that neither pans nor zooms (the numbers are
/// what matter), rows named on the y axis.
fn bar_plot<'a>(id: impl egui::AsIdSalt, names: Vec<String>) -> Plot<'a> {
    Plot::new(id)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .y_axis_formatter(row_names(names))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
}

/// A number drawn on a chart, in the body size.
fn number(text: String, at: PlotPoint, anchor: egui::Align2, color: Option<Color32>) -> Text {
    let rich = RichText::new(text.clone()).text_style(egui::TextStyle::Body);
    let t = Text::new(text, at, rich).anchor(anchor).allow_hover(false);
    match color {
        Some(c) => t.color(c),
        None => t,
    }
}

/// The codes and their colours, in a row above the chart: egui_plot's own
/// legend sits inside the plot, over the bars.
fn legend_ui(ui: &mut egui::Ui, codebook: &Codebook, codes: &[String]) {
    ui.horizontal_wrapped(|ui| {
        for code in codes {
            let color = crate::ui::theme::tag_color(codebook.get(code));
            let size = egui::vec2(12.0, 12.0);
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, color);
            ui.label(code);
            ui.add_space(8.0);
        }
    });
}

pub(super) fn bars_ui(
    ui: &mut egui::Ui,
    chart: Chart,
    stats: &Stats,
    codebook: &Codebook,
    codes: &[String],
) -> (Option<Action>, egui::Rect) {
    legend_ui(ui, codebook, codes);
    let rows = charts::stacks(chart, stats, codes);
    let mut layers: Vec<BarChart> = Vec::new();
    for (k, code) in codes.iter().enumerate() {
        let color = crate::ui::theme::tag_color(codebook.get(code));
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, (name, counts))| {
                Bar::new(flip(i as f64, rows.len()), counts[k] as f64)
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
    let totals: Vec<usize> = rows.iter().map(|(_, c)| c.iter().sum()).collect();
    let most = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let names = rows.iter().map(|(n, _)| n.clone()).collect();
    let response = bar_plot(("stats bars", chart.stem()), names)
        .show_grid([true, false])
        .include_x(most * (1.0 + LABEL_ROOM))
        .x_axis_label("annotations")
        .show(ui, |plot| {
            for layer in layers {
                plot.bar_chart(layer);
            }
            for (i, total) in totals.iter().enumerate() {
                let y = flip(i as f64, totals.len());
                let at = PlotPoint::new(*total as f64 + most * 0.01, y);
                plot.text(number(
                    total.to_string(),
                    at,
                    egui::Align2::LEFT_CENTER,
                    None,
                ));
            }
            plot.pointer_coordinate()
        });
    let rect = response.response.rect;
    let clicked = response.inner.filter(|_| response.response.clicked());
    let action = clicked.and_then(|at| {
        let (name, code, _) = segment_at(&rows, codes, flip(at.y, rows.len()), at.x)?;
        let author = (chart == Chart::Authors).then(|| match name.as_str() {
            "(no author)" => String::new(),
            _ => name.clone(),
        });
        Some(Action::Passages {
            codes: vec![code],
            and: None,
            document: author.is_none().then_some(name),
            author,
        })
    });
    (action, rect)
}

pub(super) fn coverage_ui(ui: &mut egui::Ui, stats: &Stats) -> (Option<Action>, egui::Rect) {
    let [r, g, b] = charts::BLUE;
    let blue = Color32::from_rgb(r, g, b);
    let [r, g, b] = charts::text_on(charts::BLUE);
    let on_blue = Color32::from_rgb(r, g, b);
    let bars = stats
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Bar::new(flip(i as f64, stats.documents.len()), d.coverage * 100.0)
                .name(format!(
                    "{}: {} coded ({} of {} chars)",
                    d.document,
                    charts::percent(d.coverage),
                    d.coded_chars,
                    d.chars
                ))
                .width(0.7)
                .fill(blue)
        })
        .collect();
    let names: Vec<String> = stats.documents.iter().map(|d| d.document.clone()).collect();
    let response = bar_plot("stats coverage", names.clone())
        .include_x(100.0)
        .x_axis_label("% of the text coded")
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("coverage", bars).color(blue).horizontal());
            // The share on each bar: inside a long bar's end, else after it.
            for (i, d) in stats.documents.iter().enumerate() {
                let (x, y) = (d.coverage * 100.0, flip(i as f64, names.len()));
                let label = if charts::label_inside(d.coverage) {
                    let at = PlotPoint::new(x - 1.0, y);
                    number(
                        charts::percent(d.coverage),
                        at,
                        egui::Align2::RIGHT_CENTER,
                        Some(on_blue),
                    )
                } else {
                    let at = PlotPoint::new(x + 1.0, y);
                    number(
                        charts::percent(d.coverage),
                        at,
                        egui::Align2::LEFT_CENTER,
                        None,
                    )
                };
                plot.text(label);
            }
            plot.pointer_coordinate()
        });
    let rect = response.response.rect;
    let action = response
        .inner
        .filter(|_| response.response.clicked())
        .and_then(|at| {
            let row = flip(at.y, names.len());
            let i = row.round();
            let name = names
                .get(i as usize)
                .filter(|_| i >= 0.0 && (row - i).abs() <= 0.4)?;
            let codes = stats.documents.get(i as usize)?.codes.keys().cloned();
            Some(Action::Passages {
                codes: codes.collect(),
                and: None,
                author: None,
                document: Some(name.clone()),
            })
        });
    (action, rect)
}

/// The co-occurrence matrix as a grid of cells shaded by count, each with
/// its number; the column names rise at 45° above their columns, in the
/// body size as the row names.
pub(super) fn heat_ui(
    ui: &mut egui::Ui,
    stats: &Stats,
    codes: &[String],
) -> (Option<Action>, egui::Rect) {
    let max = codes
        .iter()
        .flat_map(|a| codes.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| charts::cooccurrence(stats, a, b))
        .max()
        .unwrap_or(0);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let ink = ui.visuals().text_color();
    let names: Vec<_> = codes
        .iter()
        .map(|c| ui.painter().layout_no_wrap(c.clone(), font.clone(), ink))
        .collect();
    let widest = names.iter().map(|g| g.size().x).fold(0.0, f32::max);
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let slant = std::f32::consts::FRAC_1_SQRT_2;
    let cell = egui::vec2(56.0, 32.0);
    let (left, top) = (widest + 12.0, (widest + line) * slant + 8.0);
    let n = codes.len() as f32;
    let size = egui::vec2(left + n * cell.x + widest * slant + 8.0, top + n * cell.y);
    let window = ui.visuals().window_fill;
    let background = [window.r(), window.g(), window.b()];
    let mut clicked = None;
    let scroll = egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        let origin = rect.min + egui::vec2(left, top);
        let painter = ui.painter().clone();
        for (j, name) in names.iter().enumerate() {
            // The name's bottom-left corner just above its column's middle,
            // turned 45° up to the right about that corner.
            let corner = origin + egui::vec2((j as f32 + 0.5) * cell.x - line * 0.3, -4.0);
            let shape = egui::epaint::TextShape::new(
                corner - egui::vec2(0.0, name.size().y),
                name.clone(),
                ink,
            )
            .with_angle_and_anchor(-std::f32::consts::FRAC_PI_4, egui::Align2::LEFT_BOTTOM);
            painter.add(shape);
        }
        for (i, (a, name)) in codes.iter().zip(&names).enumerate() {
            let y = origin.y + i as f32 * cell.y;
            let at = egui::pos2(
                origin.x - 8.0 - name.size().x,
                y + (cell.y - name.size().y) / 2.0,
            );
            painter.galley(at, name.clone(), ink);
            for (j, b) in codes.iter().enumerate() {
                let min = egui::pos2(origin.x + j as f32 * cell.x, y);
                let rect = egui::Rect::from_min_size(min, cell).shrink(1.0);
                if a == b {
                    painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
                    continue;
                }
                let count = charts::cooccurrence(stats, a, b);
                let [r, g, b_] = charts::heat_fill(count, max, background);
                let [tr, tg, tb] = charts::text_on([r, g, b_]);
                painter.rect_filled(rect, 2.0, Color32::from_rgb(r, g, b_));
                painter.text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    count.to_string(),
                    font.clone(),
                    Color32::from_rgb(tr, tg, tb),
                );
                let r = ui.interact(
                    rect,
                    ui.scope_id().with(("cell", i, j)),
                    egui::Sense::click(),
                );
                let label = format!("{a} and {b}: {count} overlapping");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if r.on_hover_text(format!("{label}. Click for the passages."))
                    .clicked()
                {
                    clicked = Some(Action::Passages {
                        codes: vec![a.clone()],
                        and: Some(b.clone()),
                        author: None,
                        document: None,
                    });
                }
            }
        }
    });
    (clicked, scroll.inner_rect)
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
}
