//! Per-line text layout for the reading view, laid out only when visible.
//!
//! Each document line gets its own galley, made the first time the line is
//! on screen and dropped again when far away; lines never seen have an
//! estimated height. So a frame costs the visible lines, whatever the
//! document's length, and annotation changes never re-lay-out text (the
//! galleys are unstyled; highlights are painted from their geometry).

use super::bidi::{self, CharBox, GlyphAt};
use crate::model::Document;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Rect, Vec2, vec2};
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
    /// Lines measured (laid out at least once), one bit each.
    exact: Vec<u64>,
    /// `tops[i]` is where line `i` starts; `tops[n]` is the total height.
    /// A line's height is `tops[i + 1] - tops[i]`: 4 bytes a line in all.
    tops: Vec<f32>,
    /// Height corrections from lines measured this frame, applied to
    /// `tops` in one pass at the end of the frame.
    pending: Vec<(usize, f32)>,
    galleys: HashMap<usize, Arc<Shaped>>,
}

/// A laid-out line: egui's galley and, for a line with right-to-left text,
/// where each logical char is drawn (see [`bidi`]). All geometry here is in
/// line coordinates: x from the text's left edge, y from the line's top.
pub struct Shaped {
    pub galley: Arc<Galley>,
    /// Where the galley is painted: right-aligned rows have negative x.
    pub x_shift: f32,
    visual: Option<Visual>,
}

struct Visual {
    boxes: Vec<CharBox>,
    rtl: Vec<bool>,
}

impl Shaped {
    fn plain(galley: Arc<Galley>) -> Self {
        Self {
            galley,
            x_shift: 0.0,
            visual: None,
        }
    }

    pub fn size(&self) -> Vec2 {
        self.galley.size()
    }

    fn row_rect(&self, row: usize) -> Rect {
        self.galley
            .rows
            .get(row)
            .map_or(Rect::NOTHING, |r| r.rect())
    }

    /// Rectangles covering chars `[a, b)` of the line: one per row, or for
    /// right-to-left text one per stretch drawn side by side.
    pub fn rects(&self, a: usize, b: usize) -> Vec<Rect> {
        let Some(v) = &self.visual else {
            return range_rects(&self.galley, a, b);
        };
        let b = b.min(v.boxes.len());
        let mut spans: Vec<CharBox> = v.boxes.get(a..b).unwrap_or_default().to_vec();
        spans.sort_by(|p, q| {
            (p.row, p.x0)
                .partial_cmp(&(q.row, q.x0))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut out: Vec<(usize, f32, f32)> = Vec::new();
        for s in spans {
            match out.last_mut() {
                Some((row, _, x1)) if *row == s.row && s.x0 <= *x1 + 0.5 => *x1 = x1.max(s.x1),
                _ => out.push((s.row, s.x0, s.x1)),
            }
        }
        out.into_iter()
            .map(|(row, x0, x1)| {
                Rect::from_x_y_ranges(
                    x0 + self.x_shift..=x1 + self.x_shift,
                    self.row_rect(row).y_range(),
                )
            })
            .collect()
    }

    /// The char offset (within the line) nearest to a point.
    pub fn offset_at(&self, local: Vec2) -> usize {
        let Some(v) = &self.visual else {
            return self.galley.cursor_from_pos(local).index.0;
        };
        let rows = self.galley.rows.len().max(1);
        let row = (0..rows)
            .find(|&r| local.y < self.row_rect(r).max.y)
            .unwrap_or(rows - 1);
        let x = local.x - self.x_shift;
        let on_row = || v.boxes.iter().enumerate().filter(|(_, b)| b.row == row);
        let hit = on_row().find(|(_, b)| b.x0 <= x && x < b.x1).or_else(|| {
            on_row().min_by(|(_, p), (_, q)| {
                let d = |b: &CharBox| (b.x0 - x).abs().min((b.x1 - x).abs());
                d(p).total_cmp(&d(q))
            })
        });
        let Some((i, b)) = hit else {
            return 0;
        };
        let after = if v.rtl[i] {
            x < (b.x0 + b.x1) / 2.0
        } else {
            x >= (b.x0 + b.x1) / 2.0
        };
        // The last char of a cluster drawn as one glyph.
        let last = (i..v.boxes.len())
            .take_while(|&k| v.boxes[k] == *b)
            .last()
            .unwrap_or(i);
        if after { last + 1 } else { i }
    }

    /// A zero-width rectangle where the caret before char `offset` goes.
    pub fn caret(&self, offset: usize) -> Rect {
        let Some(v) = &self.visual else {
            return self
                .galley
                .pos_from_cursor(egui::text::CCursor::new(offset));
        };
        let n = v.boxes.len();
        let (b, x) = if offset < n {
            let b = v.boxes[offset];
            (b, if v.rtl[offset] { b.x1 } else { b.x0 })
        } else if n > 0 {
            let b = v.boxes[n - 1];
            (b, if v.rtl[n - 1] { b.x0 } else { b.x1 })
        } else {
            return Rect::from_min_size(egui::Pos2::ZERO, vec2(0.0, self.size().y));
        };
        let x = x + self.x_shift;
        Rect::from_x_y_ranges(x..=x, self.row_rect(b.row).y_range())
    }
}

fn glyphs_of(galley: &Galley) -> Vec<GlyphAt> {
    galley
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.glyphs.iter().map(move |g| GlyphAt {
                chr: g.chr,
                row: r,
                x0: row.pos.x + g.pos.x,
                x1: row.pos.x + g.pos.x + g.advance_width,
            })
        })
        .collect()
}

/// Lays out a line with right-to-left text in display order (see
/// [`bidi`]); `None` when egui's glyphs cannot be matched to the text.
fn shape_bidi(ctx: &egui::Context, text: &str, format: &TextFormat, width: f32) -> Option<Shaped> {
    let chars: Vec<char> = text.chars().collect();
    let mut job = LayoutJob::single_section(text.to_string(), format.clone());
    job.wrap.max_width = width;
    let logical = ctx.fonts_mut(|f| f.layout_job(job));
    let boxes = bidi::match_glyphs(&glyphs_of(&logical), &chars)?;
    // Where egui wraps the logical text.
    let mut rows: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, b) in boxes.iter().enumerate() {
        let row = b.as_ref()?.row;
        match rows.len().checked_sub(1) {
            Some(last) if last == row => rows[last].end = i + 1,
            Some(last) if row == last + 1 => rows.push(i..i + 1),
            None if row == 0 => rows.push(i..i + 1),
            _ => return None,
        }
    }
    let d = bidi::display(text, &rows);
    let mut job = LayoutJob::single_section(d.chars.iter().collect(), format.clone());
    job.wrap.max_width = f32::INFINITY;
    if d.base_rtl {
        job.halign = egui::Align::RIGHT;
    }
    let galley = ctx.fonts_mut(|f| f.layout_job(job));
    let shown = bidi::match_glyphs(&glyphs_of(&galley), &d.chars)?;
    let mut logical_boxes = vec![None; chars.len()];
    for (k, &l) in d.logical.iter().enumerate() {
        if l != usize::MAX {
            logical_boxes[l] = shown[k];
        }
    }
    let boxes = logical_boxes
        .into_iter()
        .collect::<Option<Vec<CharBox>>>()?;
    Some(Shaped {
        galley,
        x_shift: if d.base_rtl { width } else { 0.0 },
        visual: Some(Visual { boxes, rtl: d.rtl }),
    })
}

impl Layout {
    /// Resets estimates when anything the layout depends on changed.
    pub fn prepare(&mut self, doc: &Document, key: LayoutKey) {
        let n = doc.lines().len();
        if self.key == Some(key) && self.tops.len() == n + 1 {
            return;
        }
        self.key = Some(key);
        self.galleys.clear();
        self.pending.clear();
        let chars_per_row = (key.width / (key.font_size * 0.47)).max(1.0);
        self.exact = vec![0; n.div_ceil(64)];
        self.tops.clear();
        self.tops.reserve_exact(n + 1);
        let mut y = 0.0;
        self.tops.push(y);
        for (i, l) in doc.lines().iter().enumerate() {
            y += if l.is_blank() {
                // Blank lines are exact from the start.
                self.exact[i / 64] |= 1 << (i % 64);
                key.blank_height()
            } else {
                let rows = ((l.end - l.start) as f32 / chars_per_row).ceil().max(1.0);
                rows * key.line_height() + key.line_gap()
            };
            self.tops.push(y);
        }
    }

    /// Applies the height corrections of lines measured since the last call.
    fn refresh_tops(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.pending.sort_by_key(|p| p.0);
        let mut shift = 0.0;
        let mut next = self.pending.iter().peekable();
        for (i, top) in self.tops.iter_mut().enumerate() {
            while let Some((_, d)) = next.next_if(|(at, _)| *at == i) {
                shift += d;
            }
            *top += shift;
        }
        self.pending.clear();
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
        self.exact
            .get(line / 64)
            .is_none_or(|w| w & (1 << (line % 64)) != 0)
    }

    fn height(&self, line: usize) -> f32 {
        match (self.tops.get(line), self.tops.get(line + 1)) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        }
    }

    /// The line at height `y` (clamped to the document).
    pub fn line_at_y(&self, y: f32) -> usize {
        let n = self.tops.len().saturating_sub(1);
        self.tops[..n]
            .partition_point(|t| *t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    /// Lines that intersect `[y0, y1)`.
    pub fn lines_between(&self, y0: f32, y1: f32) -> Range<usize> {
        let n = self.tops.len().saturating_sub(1);
        let first = self.line_at_y(y0);
        let end = self.tops[..n]
            .partition_point(|t| *t < y1)
            .max(first + 1)
            .min(n);
        first..end
    }

    /// The layout of a non-blank line, made if needed. Measuring a line
    /// replaces its estimated height; returns `None` for blank lines.
    pub fn galley(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        line: usize,
    ) -> Option<Arc<Shaped>> {
        let key = self.key?;
        let l = doc.lines().get(line)?;
        if l.is_blank() {
            return None;
        }
        if let Some(g) = self.galleys.get(&line) {
            return Some(g.clone());
        }
        let text = doc.slice(l.range());
        let format = TextFormat {
            font_id: FontId::proportional(key.font_size),
            color: key.text_color,
            line_height: Some(key.line_height()),
            ..Default::default()
        };
        let bidi = bidi::has_rtl(text)
            .then(|| shape_bidi(ctx, text, &format, key.width))
            .flatten();
        let shaped = Arc::new(bidi.unwrap_or_else(|| {
            let mut job = LayoutJob::single_section(text.to_string(), format);
            job.wrap.max_width = key.width;
            Shaped::plain(ctx.fonts_mut(|f| f.layout_job(job)))
        }));
        let h = shaped.size().y + key.line_gap();
        let known = self.height(line)
            + self
                .pending
                .iter()
                .filter(|p| p.0 == line + 1)
                .map(|p| p.1)
                .sum::<f32>();
        if (known - h).abs() > 0.01 {
            // Everything below moves by the difference (applied at frame end).
            self.pending.push((line + 1, h - known));
        }
        if let Some(w) = self.exact.get_mut(line / 64) {
            *w |= 1 << (line % 64);
        }
        self.galleys.insert(line, shaped.clone());
        Some(shaped)
    }

    /// The already laid-out galley of a line, if any.
    pub fn cached(&self, line: usize) -> Option<&Arc<Shaped>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> egui::Context {
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        ctx
    }

    #[test]
    fn measured_heights_move_what_follows_and_lines_cost_four_bytes() {
        let ctx = context();
        let text = format!(
            "{}\n\nshort\n{}\n",
            "long words ".repeat(60),
            "more ".repeat(90)
        );
        let doc = Document::new("t", text);
        let key = LayoutKey {
            width: 300.0,
            font_size: 14.0,
            text_color: Color32::BLACK,
            generation: 0,
        };
        let mut layout = Layout::default();
        layout.prepare(&doc, key);
        let n = doc.lines().len();
        assert_eq!(layout.tops.len(), n + 1);
        assert!(layout.is_exact(1), "blank lines are exact");
        assert!(!layout.is_exact(0));
        // Measure lines in an odd order, as scrolling does.
        let mut measured = vec![None; n];
        for line in [3, 0, 2] {
            let g = layout.galley(&ctx, &doc, line).unwrap();
            measured[line] = Some(g.size().y + key.line_gap());
        }
        layout.end_frame(0..n);
        for (line, h) in measured.iter().enumerate() {
            if let Some(h) = h {
                assert!((layout.height(line) - h).abs() < 0.01, "line {line}");
                assert!(layout.is_exact(line));
            }
        }
        assert!((layout.height(1) - key.blank_height()).abs() < 0.01);
        let sum: f32 = (0..n).map(|l| layout.height(l)).sum();
        assert!((layout.total_height() - sum).abs() < 0.1);
        assert_eq!(layout.line_at_y(layout.top(2) + 1.0), 2);
        // Per line: one f32 of position and one bit of "measured".
        let bytes = layout.tops.capacity() * 4 + layout.exact.capacity() * 8;
        assert!(bytes <= (n + 1) * 4 + 8 * n.div_ceil(64), "{bytes}");
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
    }
}
