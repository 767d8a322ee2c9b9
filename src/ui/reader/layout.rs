//! Per-piece text layout for the reading view, laid out only when visible.
//!
//! Each piece of the document (a line, or a few KB of a long line: see
//! [`Document::pieces`]) gets its own galley, made the first time it is on
//! screen and dropped again when far away; pieces never seen have an
//! estimated height. So a frame costs the visible pieces, whatever the
//! document's length or its longest line, and annotation changes never
//! re-lay-out text (the galleys are unstyled; highlights are painted from
//! their geometry).

use super::bidi::{self, CharBox, GlyphAt, Visual};
use super::heights::Heights;
use crate::model::{Block, Document, Line};
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
    /// Running heads and feet.
    pub faint_color: Color32,
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
    /// Pieces measured (laid out at least once), one bit each.
    exact: Vec<u64>,
    /// Each piece's height (estimated until measured): 4 bytes a piece.
    heights: Heights,
    /// The piece whose place on screen must not move this frame, and how
    /// far pieces measured above it pushed it down.
    anchor: usize,
    anchor_shift: i64,
    galleys: HashMap<usize, Arc<Shaped>>,
    /// Pieces and chars laid out so far (for benchmarks and the tests
    /// that keep a frame's cost independent of the document's length).
    pub laid_out: (usize, usize),
    /// Chars of the pieces laid out that no font has.
    pub coverage: super::fonts::Coverage,
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

    /// The line reads right to left (its rows align right).
    pub fn base_rtl(&self) -> bool {
        self.visual.as_ref().is_some_and(|v| v.base_rtl)
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
            let shift = vec2(self.x_shift, 0.0);
            return range_rects(&self.galley, a, b)
                .into_iter()
                .map(|r| r.translate(shift))
                .collect();
        };
        let out = v.stretches(a, b);
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
            let local = local - vec2(self.x_shift, 0.0);
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

    /// For a drag between two points on one row of a line with
    /// right-to-left text: the logical range of every char drawn between
    /// them (a char counts when its middle is), so what is shown between
    /// the drag's ends is what is selected, whichever logical edge a run's
    /// visual edge has. `None` for other lines and for points on two rows.
    pub fn span_between(&self, a: Vec2, b: Vec2) -> Option<(usize, usize)> {
        let v = self.visual.as_ref()?;
        let rows = self.galley.rows.len().max(1);
        let row_of = |y: f32| {
            (0..rows)
                .find(|&r| y < self.row_rect(r).max.y)
                .unwrap_or(rows - 1)
        };
        let row = row_of(a.y);
        if row != row_of(b.y) {
            return None;
        }
        let (x0, x1) = (a.x.min(b.x) - self.x_shift, a.x.max(b.x) - self.x_shift);
        v.span_between(row, x0, x1)
    }

    /// A zero-width rectangle where the caret before char `offset` goes
    /// (at a wrapped row's end, rather than the next row's start).
    pub fn caret(&self, offset: usize) -> Rect {
        self.caret_at(offset, false)
    }

    /// Where a range ending at `offset` ends: the trailing edge of char
    /// `offset - 1` (its left edge in right-to-left text), on its row.
    pub fn caret_after(&self, offset: usize) -> Rect {
        let Some(v) = &self.visual else {
            return self.caret_at(offset, false);
        };
        let Some(i) = offset.checked_sub(1).filter(|i| *i < v.boxes.len()) else {
            return self.caret_at(offset, false);
        };
        let b = v.boxes[i];
        let x = if v.rtl[i] { b.x0 } else { b.x1 } + self.x_shift;
        Rect::from_x_y_ranges(x..=x, self.row_rect(b.row).y_range())
    }

    /// The caret before char `offset`; where a row wraps, that offset is
    /// both the end of one row and the start of the next: `next_row` says
    /// which (the start, unless the caret was put at a row's end).
    pub fn caret_at(&self, offset: usize, next_row: bool) -> Rect {
        let Some(v) = &self.visual else {
            let cursor = egui::text::CCursor {
                prefer_next_row: next_row,
                ..egui::text::CCursor::new(offset)
            };
            return self
                .galley
                .pos_from_cursor(cursor)
                .translate(vec2(self.x_shift, 0.0));
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
        visual: Some(Visual::new(boxes, d.rtl, d.base_rtl)),
    })
}

/// How a line the extractor knows something about is drawn: the text and
/// its offsets stay the same, only size, colour and indent change.
struct BlockStyle {
    scale: f32,
    faint: bool,
    indent: f32,
}

impl BlockStyle {
    fn of(block: Option<Block>, key: &LayoutKey) -> Self {
        let (scale, faint, indent) = match block {
            Some(Block::Heading(level)) => (
                [1.6, 1.4, 1.25, 1.15, 1.08, 1.0][usize::from(level.clamp(1, 6)) - 1],
                false,
                0.0,
            ),
            Some(Block::Chapter) => (1.6, false, 0.0),
            Some(Block::Quote) => (1.0, false, key.font_size * 2.0),
            Some(Block::Running) => (0.85, true, 0.0),
            Some(Block::PageBreak | Block::ChapterBreak) => (1.4, true, 0.0),
            None => (1.0, false, 0.0),
        };
        Self {
            scale,
            faint,
            indent,
        }
    }
}

/// Space after a piece: pieces cut from one long line join without a gap.
fn gap_after(doc: &Document, l: Line, key: &LayoutKey) -> f32 {
    if l.end < l.next || l.next >= doc.char_len() {
        key.line_gap()
    } else {
        0.0
    }
}

fn px(h: f32) -> u32 {
    h.round().max(1.0) as u32
}

impl Layout {
    /// Resets estimates when anything the layout depends on changed.
    pub fn prepare(&mut self, doc: &Document, key: LayoutKey) {
        let pieces = doc.pieces();
        let n = pieces.len();
        if self.key == Some(key) && self.heights.len() == n {
            return;
        }
        self.key = Some(key);
        self.galleys.clear();
        self.anchor_shift = 0;
        let chars_per_row = (key.width / (key.font_size * 0.47)).max(1.0);
        self.exact = vec![0; n.div_ceil(64)];
        let exact = &mut self.exact;
        self.heights = Heights::new(pieces.iter().enumerate().map(|(i, l)| {
            px(if l.is_blank() {
                // Blank lines are exact from the start.
                exact[i / 64] |= 1 << (i % 64);
                key.blank_height()
            } else {
                let rows = ((l.end - l.start) as f32 / chars_per_row).ceil().max(1.0);
                rows * key.line_height() + gap_after(doc, l, &key)
            })
        }));
    }

    /// Keeps piece `line` where it is on screen: heights measured above it
    /// from now on are summed in [`Self::take_anchor_shift`].
    pub fn set_anchor(&mut self, line: usize) {
        self.anchor = line;
        self.anchor_shift = 0;
    }

    /// How far the anchor piece moved down since [`Self::set_anchor`].
    pub fn take_anchor_shift(&mut self) -> f32 {
        std::mem::take(&mut self.anchor_shift) as f32
    }

    pub fn total_height(&self) -> f32 {
        self.heights.total() as f32
    }

    pub fn top(&self, line: usize) -> f32 {
        self.heights.prefix(line) as f32
    }

    pub fn is_exact(&self, line: usize) -> bool {
        self.exact
            .get(line / 64)
            .is_none_or(|w| w & (1 << (line % 64)) != 0)
    }

    #[cfg(test)]
    fn height(&self, line: usize) -> f32 {
        self.heights.get(line) as f32
    }

    /// The piece at height `y` (clamped to the document).
    pub fn line_at_y(&self, y: f32) -> usize {
        self.heights.index_at(y.max(0.0) as u32)
    }

    /// Pieces that intersect `[y0, y1)`.
    pub fn lines_between(&self, y0: f32, y1: f32) -> Range<usize> {
        let n = self.heights.len();
        let first = self.line_at_y(y0);
        let last = self.line_at_y((y1 - 0.5).max(y0));
        first..(last + 1).min(n).max(first + 1)
    }

    /// The layout of a non-blank piece, made if needed. Measuring a piece
    /// replaces its estimated height; returns `None` for blank lines.
    pub fn galley(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        line: usize,
    ) -> Option<Arc<Shaped>> {
        let key = self.key?;
        let l = doc.pieces().get(line)?;
        if l.is_blank() {
            return None;
        }
        if let Some(g) = self.galleys.get(&line) {
            return Some(g.clone());
        }
        let raw = doc.slice(l.range());
        // A form feed (a PDF's page break) is drawn as a page rule, not a
        // glyph: a space keeps every char where it is.
        let text: std::borrow::Cow<'_, str> = if raw.contains('\u{c}') {
            raw.replace('\u{c}', " ").into()
        } else {
            raw.into()
        };
        let style = BlockStyle::of(doc.structure().block_at(l.start), &key);
        let format = TextFormat {
            font_id: FontId::proportional(key.font_size * style.scale),
            color: if style.faint {
                key.faint_color
            } else {
                key.text_color
            },
            line_height: Some((key.line_height() * style.scale).round()),
            ..Default::default()
        };
        self.coverage.check(ctx, &format.font_id, &text);
        let width = (key.width - style.indent).max(key.font_size * 4.0);
        let bidi = bidi::has_rtl(&text)
            .then(|| shape_bidi(ctx, &text, &format, width))
            .flatten();
        let mut shaped = bidi.unwrap_or_else(|| {
            let mut job = LayoutJob::single_section(text.to_string(), format);
            job.wrap.max_width = width;
            Shaped::plain(ctx.fonts_mut(|f| f.layout_job(job)))
        });
        shaped.x_shift += style.indent;
        let shaped = Arc::new(shaped);
        self.laid_out.0 += 1;
        self.laid_out.1 += l.end - l.start;
        let moved = self
            .heights
            .set(line, px(shaped.size().y + gap_after(doc, l, &key)));
        if line < self.anchor {
            self.anchor_shift += moved;
        }
        if let Some(w) = self.exact.get_mut(line / 64) {
            *w |= 1 << (line % 64);
        }
        self.galleys.insert(line, shaped.clone());
        Some(shaped)
    }

    /// The already laid-out galley of a piece, if any.
    pub fn cached(&self, line: usize) -> Option<&Arc<Shaped>> {
        self.galleys.get(&line)
    }

    /// Drops galleys far from `keep`.
    pub fn end_frame(&mut self, keep: Range<usize>) {
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

    /// A layout of `doc` at `width`, estimated, nothing measured yet.
    fn prepared(doc: &Document, width: f32) -> (Layout, LayoutKey) {
        let key = LayoutKey {
            width,
            font_size: 14.0,
            text_color: Color32::BLACK,
            faint_color: Color32::GRAY,
            generation: 0,
        };
        let mut layout = Layout::default();
        layout.prepare(doc, key);
        (layout, key)
    }

    #[test]
    fn measured_heights_move_what_follows_and_lines_cost_four_bytes() {
        let ctx = context();
        let text = format!("{}\n\nshort\n{}\n", "ill ".repeat(160), "more ".repeat(90));
        let doc = Document::new("t", text);
        let (mut layout, key) = prepared(&doc, 300.0);
        let n = doc.pieces().len();
        assert_eq!(layout.heights.len(), n);
        assert!(layout.is_exact(1), "blank lines are exact");
        assert!(!layout.is_exact(0));
        // Measure lines in an odd order, as scrolling does; the piece
        // anchored on screen learns how far those above it pushed it.
        let mut measured = vec![None; n];
        layout.set_anchor(2);
        let top_2 = layout.top(2);
        for line in [3, 0, 2] {
            let g = layout.galley(&ctx, &doc, line).unwrap();
            measured[line] = Some(g.size().y + key.line_gap());
        }
        let shift = layout.take_anchor_shift();
        assert!(shift.abs() > 0.5, "the estimate of line 0 was off");
        assert!((layout.top(2) - (top_2 + shift)).abs() < 0.01);
        assert_eq!(layout.take_anchor_shift(), 0.0);
        layout.end_frame(0..n);
        for (line, h) in measured.iter().enumerate() {
            if let Some(h) = h {
                assert!(
                    (layout.height(line) - h.round()).abs() < 0.01,
                    "line {line}"
                );
                assert!(layout.is_exact(line));
            }
        }
        assert!((layout.height(1) - key.blank_height()).abs() < 0.01);
        let sum: f32 = (0..n).map(|l| layout.height(l)).sum();
        assert!((layout.total_height() - sum).abs() < 0.1);
        assert_eq!(layout.line_at_y(layout.top(2) + 1.0), 2);
        // Per line: four bytes of height and one bit of "measured".
        let bytes = layout.heights.len() * 4 + layout.exact.capacity() * 8;
        assert!(bytes <= n * 4 + 8 * n.div_ceil(64), "{bytes}");
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
    }

    #[test]
    fn a_two_megabyte_line_is_laid_out_a_piece_at_a_time() {
        let ctx = context();
        let text = "A sentence of prose, with “quotes” — and more words. ".repeat(40_000);
        let doc = Document::new("t", text);
        assert_eq!(doc.lines().len(), 1);
        let (mut layout, _) = prepared(&doc, 600.0);
        let visible = layout.lines_between(0.0, 800.0);
        assert!(visible.len() <= 2, "{visible:?}");
        let middle = layout.line_at_y(layout.total_height() / 2.0);
        let shown: std::collections::BTreeSet<usize> = visible.chain([middle]).collect();
        for &line in &shown {
            let g = layout.galley(&ctx, &doc, line).unwrap();
            let chars = g.galley.text().chars().count();
            assert!(chars <= crate::model::MAX_PIECE, "{chars} chars laid out");
        }
        assert!(shown.len() >= 2);
        assert_eq!(layout.galley_count(), shown.len());
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
    }
}
