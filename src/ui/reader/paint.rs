//! Drawing highlights, the selection and the text of the visible lines.
//!
//! Overlapping and nested annotations stay distinguishable: each gets a
//! translucent fill (so overlaps read darker) and an underline in its own
//! lane below the text, striped in its tags' colours.

use super::{Drag, ReaderInput, ReaderView};
use crate::model::{Annotation, AnnotationSet, CharRange};
use crate::ui::theme;
use egui::{Color32, Rect, Stroke, pos2, vec2};
use std::ops::Range;

const MAX_LANES: usize = 4;
const FLASH_SECS: f64 = 1.2;

/// Underline lane of each annotation (by position in the set), recomputed
/// when annotations change.
#[derive(Default)]
pub struct Lanes {
    revision: Option<u64>,
    lane: Vec<u8>,
}

impl Lanes {
    pub fn refresh(&mut self, set: &AnnotationSet) {
        // Lanes depend on ranges only: note and tag edits keep them.
        if self.revision == Some(set.shape_revision()) {
            return;
        }
        self.revision = Some(set.shape_revision());
        self.lane.clear();
        self.lane.resize(set.len(), 0);
        // Interval-graph colouring in document order: the lowest lane free
        // at an annotation's start.
        let mut ends: Vec<usize> = Vec::new();
        for (i, a) in set.iter().enumerate().filter(|(_, a)| !a.is_orphaned()) {
            let lane = match ends.iter().position(|e| *e <= a.start) {
                Some(l) => l,
                None => {
                    ends.push(0);
                    ends.len() - 1
                }
            };
            ends[lane] = a.end;
            self.lane[i] = lane.min(MAX_LANES - 1) as u8;
        }
    }

    fn of(&self, index: usize) -> usize {
        self.lane.get(index).copied().unwrap_or(0) as usize
    }
}

impl ReaderView {
    pub(super) fn paint(&mut self, ui: &egui::Ui, input: &ReaderInput<'_>, visible: Range<usize>) {
        let ctx = ui.ctx().clone();
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        let session = input.session;
        let doc = &session.doc;
        let codebook = session.codebook();
        let now = ui.input(|i| i.time);
        let selection = self.selected_range(session);
        let sel_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.6);
        let text_color = ui.visuals().text_color();
        let flash = match &self.flash {
            Some((id, t0)) if now - t0 < FLASH_SECS => {
                ui.ctx().request_repaint();
                Some((id.clone(), 1.0 - ((now - t0) / FLASH_SECS) as f32))
            }
            _ => None,
        };
        let dragged = match &self.drag {
            Drag::Handle { id, range, .. } => Some((id.clone(), *range)),
            _ => None,
        };

        for line in visible {
            let l = doc.line(line);
            let Some(galley) = self.layout.galley(&ctx, doc, line) else {
                continue;
            };
            let origin =
                self.placement.origin + vec2(self.placement.text_left, self.layout.top(line));
            let to_screen = |r: Rect| r.translate(origin.to_vec2());
            let local = |r: CharRange| {
                r.intersect(&l.range())
                    .map(|r| galley.rects(r.start - l.start, r.end - l.start))
                    .unwrap_or_default()
            };

            // (position in the set, annotation, range to draw)
            let set = &session.store.annotations;
            let mut here: Vec<(usize, &Annotation, CharRange)> = set
                .overlapping_indexed(l.range())
                .map(|(i, a)| match &dragged {
                    Some((id, r)) if id == &a.id => (i, a, *r),
                    _ => (i, a, a.range()),
                })
                .collect();
            if let Some((id, r)) = &dragged
                && !here.iter().any(|(_, a, _)| &a.id == id)
                && r.overlaps(&l.range())
                && let Some(i) = set.position(id)
            {
                here.push((i, &set.as_slice()[i], *r));
            }

            // Fills, under the text.
            for (_, a, r) in &here {
                let color = theme::tag_color(a.tags.first().and_then(|t| codebook.get(t)));
                for rect in local(*r) {
                    painter.rect_filled(to_screen(rect), 2.0, theme::fill(color, dark));
                }
            }
            // Find matches on this line (the list is sorted: a binary search).
            let found = input.found;
            let first = found.partition_point(|m| m.end <= l.start);
            for m in found[first..]
                .iter()
                .take_while(|m| m.start < l.end.max(l.start + 1))
            {
                let current = input.found_current == Some(*m);
                for rect in local(*m) {
                    let rect = to_screen(rect);
                    painter.rect_filled(rect, 2.0, theme::found_fill(current, dark));
                    if current {
                        painter.rect_stroke(
                            rect.expand(1.0),
                            2.0,
                            Stroke::new(1.5, theme::found_fill(true, !dark)),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
            if let Some(sel) = selection {
                for rect in local(sel) {
                    painter.rect_filled(to_screen(rect), 0.0, sel_fill);
                }
            }

            painter.galley(
                origin + vec2(galley.x_shift, 0.0),
                galley.galley.clone(),
                text_color,
            );

            // Underlines and outlines, over the text.
            for (i, a, r) in &here {
                let lane = self.lanes.of(*i);
                let colors: Vec<Color32> = if a.tags.is_empty() {
                    vec![theme::tag_color(None)]
                } else {
                    a.tags
                        .iter()
                        .map(|t| theme::tag_color(codebook.get(t)))
                        .collect()
                };
                let is_selected = input.selected == Some(&a.id);
                for rect in local(*r) {
                    let rect = to_screen(rect);
                    let y = rect.bottom() - 1.5 - lane as f32 * 3.5;
                    striped_line(
                        painter,
                        rect.left(),
                        rect.right(),
                        y,
                        &colors,
                        if is_selected { 3.0 } else { 2.0 },
                    );
                    if is_selected {
                        painter.rect_stroke(
                            rect.expand(1.0),
                            2.0,
                            Stroke::new(1.5, colors[0]),
                            egui::StrokeKind::Outside,
                        );
                    }
                    if let Some((fid, strength)) = &flash
                        && fid == &a.id
                    {
                        let c = colors[0].gamma_multiply(*strength);
                        painter.rect_filled(rect.expand(2.0), 3.0, c.gamma_multiply(0.35));
                        painter.rect_stroke(
                            rect.expand(2.0),
                            3.0,
                            Stroke::new(2.5, c),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
                if is_selected {
                    for (offset, at_start) in [(r.start, true), (r.end, false)] {
                        // An end handle may sit just past the line's last char.
                        let on_line = l.range().contains(offset) || (!at_start && offset == l.end);
                        if !on_line {
                            continue;
                        }
                        let c = galley.caret(offset - l.start);
                        let c = to_screen(c);
                        let x = c.left();
                        painter.line_segment(
                            [pos2(x, c.top()), pos2(x, c.bottom())],
                            Stroke::new(2.0, colors[0]),
                        );
                        let knob = if at_start {
                            pos2(x, c.top())
                        } else {
                            pos2(x, c.bottom())
                        };
                        painter.circle_filled(knob, 4.0, colors[0]);
                    }
                }
            }
        }
    }
}

/// A horizontal line made of short dashes cycling through `colors`.
fn striped_line(painter: &egui::Painter, x0: f32, x1: f32, y: f32, colors: &[Color32], width: f32) {
    if colors.len() <= 1 {
        let c = colors.first().copied().unwrap_or(Color32::GRAY);
        painter.line_segment([pos2(x0, y), pos2(x1, y)], Stroke::new(width, c));
        return;
    }
    const DASH: f32 = 7.0;
    let mut x = x0;
    let mut i = 0;
    while x < x1 {
        let end = (x + DASH).min(x1);
        painter.line_segment(
            [pos2(x, y), pos2(end, y)],
            Stroke::new(width, colors[i % colors.len()]),
        );
        x = end;
        i += 1;
    }
}
