//! Drawing many overlapping highlights at a cost bounded by the screen.
//!
//! A line covered by thousands of annotations (a dense corpus, an import of
//! every token) would otherwise mean thousands of translucent fills and
//! underlines per row, and a frame that grows with the annotation count.
//! Past a few dozen marks on a line, fills are drawn per stretch of text
//! between mark boundaries, at most [`MAX_STACK`] deep (the innermost
//! ones), and underlines in a lane never overlap: a row then holds at most
//! a few shapes per char, whatever the number of annotations.

use egui::{Color32, Rect};
use std::collections::{BTreeMap, BTreeSet};

/// Fills drawn on top of each other at most, per stretch of text.
const MAX_STACK: usize = 3;
/// Up to this many marks on a line are drawn one by one, as they are.
const FEW: usize = 48;

/// A rectangle's row: its vertical extent, as exact bits.
fn row_key(r: &Rect) -> (u32, u32) {
    (r.min.y.to_bits(), r.max.y.to_bits())
}

/// Translucent fills, in document order (later ones are drawn on top).
pub fn fills(painter: &egui::Painter, fills: &[(Rect, Color32)]) {
    if fills.len() <= FEW {
        for (r, c) in fills {
            painter.rect_filled(*r, 2.0, *c);
        }
        return;
    }
    let mut rows: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    for (i, (r, _)) in fills.iter().enumerate() {
        rows.entry(row_key(r)).or_default().push(i);
    }
    for members in rows.values() {
        // Boundaries: (x, starts?, mark).
        let mut events: Vec<(f32, bool, usize)> = Vec::with_capacity(members.len() * 2);
        for &i in members {
            events.push((fills[i].0.min.x, true, i));
            events.push((fills[i].0.max.x, false, i));
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (y0, y1) = (fills[members[0]].0.min.y, fills[members[0]].0.max.y);
        let mut active: BTreeSet<usize> = BTreeSet::new();
        // The stretch being drawn: start, its top marks.
        let mut open: Option<(f32, Vec<usize>)> = None;
        for (x, starts, i) in events {
            let top: Vec<usize> = active.iter().rev().take(MAX_STACK).copied().collect();
            match &open {
                Some((_, t)) if *t == top => {}
                _ => {
                    if let Some((x0, t)) = open.take() {
                        stack(painter, fills, Rect::from_x_y_ranges(x0..=x, y0..=y1), &t);
                    }
                    open = Some((x, top));
                }
            }
            if starts {
                active.insert(i);
            } else {
                active.remove(&i);
            }
        }
    }
}

fn stack(painter: &egui::Painter, fills: &[(Rect, Color32)], r: Rect, top: &[usize]) {
    if r.width() <= 0.0 {
        return;
    }
    for &i in top.iter().rev() {
        painter.rect_filled(r, 0.0, fills[i].1);
    }
}

/// An underline: its lane, where (x range and baseline row), colours, width.
pub struct Underline {
    pub lane: usize,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub colors: Vec<Color32>,
    pub width: f32,
}

/// Underlines, in document order. Past a few dozen, those sharing a row
/// and lane are clipped so that they never overlap.
pub fn underlines(painter: &egui::Painter, lines: Vec<Underline>) {
    let lines = clipped(lines);
    // One mesh for all of them: a dash is a coloured quad, so a line full
    // of multi-tag underlines is one shape, not a thousand line segments.
    let mut mesh = egui::Mesh::default();
    for u in &lines {
        striped_quads(&mut mesh, u.x0, u.x1, u.y, &u.colors, u.width);
    }
    if !mesh.is_empty() {
        painter.add(egui::Shape::mesh(mesh));
    }
}

/// Past a few dozen, underlines sharing a row and lane are clipped so
/// that they never overlap.
fn clipped(mut lines: Vec<Underline>) -> Vec<Underline> {
    if lines.len() > FEW {
        lines.sort_by(|a, b| {
            (a.y.to_bits(), a.lane)
                .cmp(&(b.y.to_bits(), b.lane))
                .then(a.x0.total_cmp(&b.x0))
        });
        let mut reach: Option<(u32, usize, f32)> = None;
        for u in &mut lines {
            if let Some((y, lane, x1)) = reach
                && y == u.y.to_bits()
                && lane == u.lane
            {
                u.x0 = u.x0.max(x1);
            }
            let prev = reach.map_or(f32::MIN, |r| {
                if r.0 == u.y.to_bits() && r.1 == u.lane {
                    r.2
                } else {
                    f32::MIN
                }
            });
            reach = Some((u.y.to_bits(), u.lane, u.x1.max(prev)));
        }
        lines.retain(|u| u.x1 > u.x0);
    }
    lines
}

/// Dashes cycling through `colors` from `x0` to `x1`, centred on `y`.
fn striped_quads(mesh: &mut egui::Mesh, x0: f32, x1: f32, y: f32, colors: &[Color32], width: f32) {
    const DASH: f32 = 7.0;
    let band = |a: f32, b: f32| Rect::from_x_y_ranges(a..=b, y - width / 2.0..=y + width / 2.0);
    if colors.len() <= 1 {
        let c = colors.first().copied().unwrap_or(Color32::GRAY);
        mesh.add_colored_rect(band(x0, x1), c);
        return;
    }
    let mut x = x0;
    let mut i = 0;
    while x < x1 {
        let end = (x + DASH).min(x1);
        mesh.add_colored_rect(band(x, end), colors[i % colors.len()]);
        x = end;
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes `paint` adds to a frame.
    fn shapes(paint: impl FnOnce(&egui::Painter)) -> usize {
        let ctx = egui::Context::default();
        let mut first = ctx.run_ui(Default::default(), |_| {});
        first.textures_delta.clear();
        let base = first.shapes.len();
        let mut paint = Some(paint);
        let mut out = ctx.run_ui(Default::default(), |ui| {
            if let Some(p) = paint.take() {
                p(ui.painter());
            }
        });
        out.textures_delta.clear();
        out.shapes.len() - base
    }

    #[test]
    fn thousands_of_overlapping_marks_draw_a_bounded_number_of_shapes() {
        let colors = [Color32::RED, Color32::BLUE, Color32::GREEN];
        let many = |n: usize| -> Vec<(Rect, Color32)> {
            (0..n)
                .map(|i| {
                    let x = (i % 80) as f32 * 7.0;
                    (
                        Rect::from_x_y_ranges(x..=x + 70.0, 0.0..=20.0),
                        colors[i % 3],
                    )
                })
                .collect()
        };
        let few = shapes(|p| fills(p, &many(40)));
        assert_eq!(few, 40, "a few marks are drawn as they are");
        let a = shapes(|p| fills(p, &many(1_000)));
        let b = shapes(|p| fills(p, &many(10_000)));
        // 90 distinct edges on the row: at most 90 stretches, 3 deep.
        assert!(a <= 90 * MAX_STACK && b <= 90 * MAX_STACK, "{a} {b}");
        let lines = |n: usize| -> Vec<Underline> {
            (0..n)
                .map(|i| Underline {
                    lane: 3,
                    x0: (i % 80) as f32 * 7.0,
                    x1: (i % 80) as f32 * 7.0 + 70.0,
                    y: 18.0,
                    colors: vec![colors[i % 3]],
                    width: 2.0,
                })
                .collect()
        };
        assert_eq!(shapes(|p| underlines(p, lines(10_000))), 1, "one mesh");
        for n in [1_000, 10_000] {
            // No two underlines of one lane on top of each other: what is
            // drawn covers the row's 630 px once.
            let drawn = clipped(lines(n));
            let width: f32 = drawn.iter().map(|u| u.x1 - u.x0).sum();
            assert!(
                drawn.len() <= 80 && (width - 623.0).abs() < 1.0,
                "{} {width}",
                drawn.len()
            );
        }
    }
}
