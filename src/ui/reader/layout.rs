//! Per-line text layout for the reading view, laid out only when visible.
//!
//! Each document line gets its own galley, made the first time the line is
//! on screen and dropped again when far away; lines never seen have an
//! estimated height. So a frame costs the visible lines, whatever the
//! document's length, and annotation changes never re-lay-out text (the
//! galleys are unstyled; highlights are painted from their geometry).

use crate::model::Document;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Galleys kept beyond this are evicted when away from the viewport.
const MAX_GALLEYS: usize = 600;

/// Everything the layout depends on; a change re-lays-out from scratch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutKey {
    pub width: f32,
    pub font_size: f32,
    pub text_color: Color32,
    pub generation: u64,
}

impl LayoutKey {
    pub fn line_height(&self) -> f32 {
        (self.font_size * 1.6).round()
    }

    /// Space after a line of text.
    pub fn line_gap(&self) -> f32 {
        (self.font_size * 0.3).round()
    }

    /// Height of a blank line (paragraph spacing in most plain texts).
    pub fn blank_height(&self) -> f32 {
        (self.font_size * 0.8).round()
    }
}

#[derive(Default)]
pub struct Layout {
    key: Option<LayoutKey>,
    heights: Vec<f32>,
    exact: Vec<bool>,
    /// `tops[i]` is where line `i` starts; `tops[n]` is the total height.
    tops: Vec<f32>,
    tops_stale: bool,
    galleys: HashMap<usize, Arc<Galley>>,
}

impl Layout {
    /// Resets estimates when anything the layout depends on changed.
    pub fn prepare(&mut self, doc: &Document, key: LayoutKey) {
        if self.key == Some(key) && self.heights.len() == doc.lines().len() {
            return;
        }
        self.key = Some(key);
        self.galleys.clear();
        let chars_per_row = (key.width / (key.font_size * 0.47)).max(1.0);
        self.heights = doc
            .lines()
            .iter()
            .map(|l| {
                if l.is_blank() {
                    key.blank_height()
                } else {
                    let rows = ((l.end - l.start) as f32 / chars_per_row).ceil().max(1.0);
                    rows * key.line_height() + key.line_gap()
                }
            })
            .collect();
        self.exact = doc.lines().iter().map(|l| l.is_blank()).collect();
        self.tops_stale = true;
        self.refresh_tops();
    }

    fn refresh_tops(&mut self) {
        if !self.tops_stale {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        self.tops.push(0.0);
        for h in &self.heights {
            y += h;
            self.tops.push(y);
        }
        self.tops_stale = false;
    }

    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    pub fn top(&self, line: usize) -> f32 {
        self.tops
            .get(line)
            .copied()
            .unwrap_or_else(|| self.total_height())
    }

    pub fn is_exact(&self, line: usize) -> bool {
        self.exact.get(line).copied().unwrap_or(true)
    }

    /// The line at height `y` (clamped to the document).
    pub fn line_at_y(&self, y: f32) -> usize {
        let n = self.heights.len();
        self.tops[..n]
            .partition_point(|t| *t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    /// Lines that intersect `[y0, y1)`.
    pub fn lines_between(&self, y0: f32, y1: f32) -> Range<usize> {
        let n = self.heights.len();
        let first = self.line_at_y(y0);
        let end = self.tops[..n]
            .partition_point(|t| *t < y1)
            .max(first + 1)
            .min(n);
        first..end
    }

    /// The galley of a non-blank line, laying it out if needed. Measuring a
    /// line replaces its estimated height; returns `None` for blank lines.
    pub fn galley(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        line: usize,
    ) -> Option<Arc<Galley>> {
        let key = self.key?;
        let l = doc.lines().get(line)?;
        if l.is_blank() {
            return None;
        }
        if let Some(g) = self.galleys.get(&line) {
            return Some(g.clone());
        }
        let mut job = LayoutJob::single_section(
            doc.slice(l.range()).to_string(),
            TextFormat {
                font_id: FontId::proportional(key.font_size),
                color: key.text_color,
                line_height: Some(key.line_height()),
                ..Default::default()
            },
        );
        job.wrap.max_width = key.width;
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let h = galley.size().y + key.line_gap();
        if (self.heights[line] - h).abs() > 0.01 {
            self.heights[line] = h;
            self.tops_stale = true;
        }
        self.exact[line] = true;
        self.galleys.insert(line, galley.clone());
        Some(galley)
    }

    /// The already laid-out galley of a line, if any.
    pub fn cached(&self, line: usize) -> Option<&Arc<Galley>> {
        self.galleys.get(&line)
    }

    /// Applies height corrections and drops galleys far from `keep`.
    pub fn end_frame(&mut self, keep: Range<usize>) {
        self.refresh_tops();
        if self.galleys.len() > MAX_GALLEYS {
            let lo = keep.start.saturating_sub(100);
            let hi = keep.end + 100;
            self.galleys.retain(|i, _| (lo..hi).contains(i));
        }
    }

    pub fn galley_count(&self) -> usize {
        self.galleys.len()
    }
}

/// Rectangles (galley coordinates) covering chars `[a, b)` of a galley.
pub fn range_rects(galley: &Galley, a: usize, b: usize) -> Vec<egui::Rect> {
    let mut out = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let n = row.char_count_excluding_newline().0;
        let row_end = row_start + n;
        let s = a.max(row_start);
        let e = b.min(row_end);
        if s < e {
            let rect = row.rect();
            let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(s - row_start));
            let x1 = row.pos.x + row.x_offset(egui::text::CharIndex(e - row_start));
            out.push(egui::Rect::from_x_y_ranges(x0..=x1, rect.y_range()));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
        if row_start >= b {
            break;
        }
    }
    out
}
