//! The reading view: the document as wrapped text, highlights, selection.

mod access;
mod bidi;
mod fonts;
mod heights;
mod keyboard;
mod layout;
mod marks;
mod paint;
mod pointer;

pub use access::region_name;
pub use keyboard::{Align, ReaderKey};
pub use layout::{Layout, LayoutKey, range_rects};

use super::command::Command;
use crate::model::{AnnotationId, CharRange, Selection};
use crate::session::Session;
use egui::{Pos2, Rect, Sense, pos2, vec2};

/// What a drag in the text is doing.
#[derive(Clone, Debug, PartialEq)]
enum Drag {
    None,
    /// Selecting text: from `anchor`, pressed at `press` (content
    /// coordinates), `extend`ing an earlier selection (Shift held).
    Selecting {
        anchor: usize,
        press: egui::Vec2,
        extend: bool,
    },
    /// Moving one boundary of an annotation by its grip: `range` is where
    /// it would go, `original` where it was.
    Handle {
        id: AnnotationId,
        start: bool,
        original: CharRange,
        range: CharRange,
        /// From the pointer to the boundary's caret when the grip was
        /// taken: the text under the caret follows the pointer, not the
        /// text under the pointer (the knob sits off the line).
        grab: egui::Vec2,
    },
}

/// Radius of the grip drawn outside the text at a selected annotation's
/// start (above its line) and end (below it).
const GRIP_R: f32 = 4.5;

/// A char offset to bring into view on the next frame, and where.
#[derive(Clone, Copy, Debug)]
struct Jump {
    offset: usize,
    align: Align,
}

/// Where the text was drawn last frame, for hit-testing and tests.
#[derive(Clone, Copy, Debug)]
struct Placement {
    /// Screen position of the content's top-left (scroll applied).
    origin: Pos2,
    text_left: f32,
    clip: Rect,
}

pub struct ReaderView {
    layout: Layout,
    pub selection: Option<Selection>,
    drag: Drag,
    /// A char offset to bring into view on the next frame.
    scroll_to: Option<Jump>,
    /// Points to scroll down (up when negative) next frame: reading keys.
    scroll_by: f32,
    /// One line of text at the current size, for the arrow keys.
    line_height: f32,
    /// Caret browsing (F7): where the caret is, when it is on.
    caret: Option<usize>,
    /// The column Up/Down keep to while the caret moves between rows.
    caret_x: Option<f32>,
    /// The caret was put at a wrapped row's end (End), not the next row's
    /// start: the same offset, drawn on the row above.
    caret_at_row_end: bool,
    /// What the last jump or key said, for screen readers (a live region).
    announced: Option<(String, u64)>,
    /// The text's widget, which may hold the keyboard.
    document_id: Option<egui::Id>,
    /// The scroll offset the last frame was drawn at, when it differs from
    /// the scroll area's (see [`Self::measure_visible`]).
    scroll_fix: Option<f32>,
    /// The first piece in view last frame: it stays put as pieces above it
    /// are measured.
    first_visible: usize,
    /// An annotation to flash, and when the flash started.
    flash: Option<(AnnotationId, f64)>,
    lanes: paint::Lanes,
    placement: Placement,
    /// Bumped when a new document is shown.
    generation: u64,
}

impl Default for ReaderView {
    fn default() -> Self {
        Self {
            layout: Layout::default(),
            selection: None,
            drag: Drag::None,
            scroll_to: None,
            scroll_by: 0.0,
            line_height: 20.0,
            caret: None,
            caret_x: None,
            caret_at_row_end: false,
            announced: None,
            document_id: None,
            scroll_fix: None,
            first_visible: 0,
            flash: None,
            lanes: paint::Lanes::default(),
            placement: Placement {
                origin: Pos2::ZERO,
                text_left: 0.0,
                clip: Rect::NOTHING,
            },
            generation: 1,
        }
    }
}

/// Inputs the view reads each frame.
pub struct ReaderInput<'a> {
    pub session: &'a Session,
    pub selected: Option<&'a AnnotationId>,
    pub font_size: f32,
    /// Matches of the find bar, in document order, and the one shown.
    pub found: &'a [CharRange],
    pub found_current: Option<CharRange>,
    /// Whose annotations to show, and coloured how.
    pub authors: &'a crate::ui::authors::AuthorView,
}

impl ReaderInput<'_> {
    /// The shortest shown annotation at `offset` (what a click selects).
    fn innermost_at(&self, offset: usize) -> Option<&crate::model::Annotation> {
        self.session
            .store()
            .annotations
            .overlapping(CharRange::new(offset, offset + 1))
            .filter(|a| self.authors.shows(&a.author))
            .min_by_key(|a| a.end.saturating_sub(a.start))
    }
}

impl ReaderView {
    /// Forget everything about the previous document.
    pub fn reset(&mut self) {
        // Caret browsing is the reader's way of reading: it stays on.
        let caret = self.caret.map(|_| 0);
        *self = Self {
            generation: self.generation + 1,
            caret,
            ..Self::default()
        };
    }

    /// The current text selection, snapped to whole graphemes.
    pub fn selected_range(&self, session: &Session) -> Option<CharRange> {
        let r = session.doc().snap_to_graphemes(self.selection?.range());
        (!r.is_empty()).then_some(r)
    }

    pub fn clear_selection(&mut self) {
        self.selection = None;
    }

    /// Scroll so that `offset` is in view, and flash `id` if given.
    pub fn reveal(&mut self, offset: usize, flash: Option<AnnotationId>, now: f64) {
        self.jump(offset, Align::Reading);
        self.flash = flash.map(|id| (id, now));
    }

    /// The text's widget id (it takes the keyboard when clicked).
    pub fn document_id(&self) -> Option<egui::Id> {
        self.document_id
    }

    /// Scripts newly found without a font, as a sentence for the user
    /// (once each per document).
    pub fn missing_fonts(&mut self) -> Option<String> {
        self.layout.coverage.take_news()
    }

    /// Where the text was shown last frame, on screen.
    pub fn view_rect(&self) -> Rect {
        self.placement.clip
    }

    /// The char at the top of the view last frame.
    pub fn top_offset(&self, doc: &crate::model::Document) -> usize {
        doc.piece(self.first_visible).start
    }

    pub fn galley_count(&self) -> usize {
        self.layout.galley_count()
    }

    /// Work done so far: pieces and chars laid out, annotations given an
    /// underline lane.
    pub fn work(&self) -> (usize, usize, usize) {
        let (pieces, chars) = self.layout.laid_out;
        (pieces, chars, self.lanes.coloured_total)
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, input: &ReaderInput<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let doc = &input.session.doc();
        let avail = ui.available_width();
        let width = (avail - 48.0).clamp(120.0, input.font_size * 40.0);
        let key = LayoutKey {
            width,
            font_size: input.font_size,
            text_color: ui.visuals().text_color(),
            faint_color: crate::ui::theme::faint(ui.visuals()),
            generation: self.generation,
        };
        self.layout.prepare(doc, key);

        let mut area = egui::ScrollArea::vertical()
            .id_salt("reader")
            .auto_shrink([false, false]);
        self.line_height = key.line_height();
        let mut anchor = None;
        if let Some(Jump { offset, align }) = self.scroll_to.take() {
            // Lay the target out now: its top is then final, and whatever
            // is measured above it this frame is made up for below.
            let line = doc.piece_of(offset);
            let (top, bottom) = self.row_y(ui.ctx(), input.session, offset);
            let height = ui.available_height();
            let y = self.layout.top(line)
                + match align {
                    Align::Reading => top - height * 0.3,
                    Align::Top => top,
                    Align::Bottom => bottom + 40.0 - height,
                };
            area = area.vertical_scroll_offset(y.max(0.0));
            anchor = Some(line);
        } else if let Some(y) = self.scroll_fix.take() {
            area = area.vertical_scroll_offset(y);
        }
        let mut shift = 0.0;
        let out = area.show_viewport(ui, |ui, viewport| {
            let text_left = ((avail - width) / 2.0).max(16.0);
            let total = vec2(avail, self.layout.total_height() + 40.0);
            let (_, response) = ui.allocate_exact_size(total, Sense::click_and_drag());
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text")
            });
            self.document_id = Some(response.id);
            let (viewport, s) = self.measure_visible(ui.ctx(), doc, viewport, anchor);
            shift = s;
            self.placement = Placement {
                origin: ui.max_rect().min - vec2(0.0, s),
                text_left,
                clip: ui.clip_rect(),
            };
            let visible = self.layout.lines_between(viewport.min.y, viewport.max.y);
            self.first_visible = visible.start;
            if self.scroll_by != 0.0 {
                ui.scroll_with_delta(vec2(0.0, -std::mem::take(&mut self.scroll_by)));
            }
            self.handle_pointer(ui, &response, input, &mut commands);
            self.paint(ui, input, visible.clone());
            self.paint_caret(ui, input.session);
            self.expose(ui, &response, input, visible.clone());
            self.layout.end_frame(visible);
            response
        });
        if shift != 0.0 {
            // Next frame the scroll area takes the offset this one was
            // drawn at, plus any scrolling done meanwhile (its state holds
            // this frame's wheel already).
            self.scroll_fix = Some(out.state.unclamped_offset().y + shift);
            ui.ctx().request_repaint();
        }
        let response = out.inner;
        self.hover_tooltip(ui, response, input);
        commands
    }

    /// Lays out the pieces in `viewport` before anything is drawn, keeping
    /// the anchor piece (the target of a jump, or the piece at the top of
    /// the view last frame) where it was: pieces above it measured for the
    /// first time change its top, and the view moves with it. Returns the
    /// viewport to draw and how far it moved.
    fn measure_visible(
        &mut self,
        ctx: &egui::Context,
        doc: &crate::model::Document,
        mut viewport: Rect,
        anchor: Option<usize>,
    ) -> (Rect, f32) {
        let visible = self.layout.lines_between(viewport.min.y, viewport.max.y);
        let anchor = anchor
            .unwrap_or(self.first_visible)
            .clamp(visible.start, visible.end - 1);
        let mut shift = 0.0;
        // Each pass can bring new pieces into view; two settle it in practice.
        for _ in 0..3 {
            self.layout.set_anchor(anchor);
            for line in self.layout.lines_between(viewport.min.y, viewport.max.y) {
                self.layout.galley(ctx, doc, line);
            }
            let moved = self.layout.take_anchor_shift();
            if moved == 0.0 {
                break;
            }
            shift += moved;
            viewport = viewport.translate(vec2(0.0, moved));
        }
        (viewport, shift)
    }

    /// Top and bottom of `offset`'s row within its line's galley (laid
    /// out now if it was not).
    fn row_y(&mut self, ctx: &egui::Context, session: &Session, offset: usize) -> (f32, f32) {
        let doc = &session.doc();
        let line = doc.piece_of(offset);
        let l = doc.piece(line);
        match self.layout.galley(ctx, doc, line) {
            Some(g) => {
                let r = g.caret(offset.clamp(l.start, l.end) - l.start);
                (r.min.y, r.max.y)
            }
            None => (0.0, 0.0),
        }
    }

    /// The char offset under a screen position.
    fn offset_at(&mut self, ctx: &egui::Context, session: &Session, pos: Pos2) -> usize {
        let doc = &session.doc();
        let p = pos - self.placement.origin;
        let line = self.layout.line_at_y(p.y);
        let l = doc.piece(line);
        let local = vec2(p.x - self.placement.text_left, p.y - self.layout.top(line));
        match self.layout.galley(ctx, doc, line) {
            Some(g) if local.y > g.size().y => l.end,
            Some(g) => (l.start + g.offset_at(local)).min(l.end),
            None => l.start,
        }
    }

    /// Screen position of the left edge (vertical middle) of char `offset`,
    /// if its line was drawn last frame. Used by tests to aim the mouse.
    pub fn screen_pos(&self, session: &Session, offset: usize) -> Option<Pos2> {
        let doc = &session.doc();
        let line = doc.piece_of(offset);
        let l = doc.piece(line);
        let g = self.layout.cached(line)?;
        let r = g.caret(offset.min(l.end) - l.start);
        let top = self.placement.origin.y + self.layout.top(line);
        Some(pos2(
            self.placement.origin.x + self.placement.text_left + r.min.x,
            top + r.center().y,
        ))
    }

    /// Screen rectangle where char `offset` is drawn (whole graphemes share
    /// one), if its line was drawn last frame. Used by tests.
    pub fn char_rect(&self, session: &Session, offset: usize) -> Option<egui::Rect> {
        let doc = &session.doc();
        let l = doc.piece(doc.piece_of(offset));
        let g = self.layout.cached(doc.piece_of(offset))?;
        let r = g
            .rects(offset - l.start, offset + 1 - l.start)
            .into_iter()
            .next()?;
        let top = self.placement.origin.y + self.layout.top(doc.piece_of(offset));
        Some(r.translate(vec2(
            self.placement.origin.x + self.placement.text_left,
            top,
        )))
    }

    /// The screen rectangles a highlight or the selection of `range` is
    /// painted as, on the pieces drawn last frame. Used by tests.
    pub fn drawn_rects(&self, session: &Session, range: CharRange) -> Vec<egui::Rect> {
        let doc = &session.doc();
        let mut out = Vec::new();
        let (first, last) = (doc.piece_of(range.start), doc.piece_of(range.end));
        for line in first..=last {
            let l = doc.piece(line);
            let Some(g) = self.layout.cached(line) else {
                continue;
            };
            let (a, b) = (
                range.start.max(l.start) - l.start,
                range.end.min(l.end).saturating_sub(l.start),
            );
            let top = self.placement.origin.y + self.layout.top(line);
            let shift = vec2(self.placement.origin.x + self.placement.text_left, top);
            out.extend(g.rects(a, b).into_iter().map(|r| r.translate(shift)));
        }
        out
    }

    /// The char egui drew at a screen position (what the user sees there),
    /// if a drawn line is there. Used by tests to check hit-testing against
    /// the real rendering.
    pub fn drawn_char_at(&self, pos: Pos2) -> Option<char> {
        let p = pos - self.placement.origin;
        let line = self.layout.line_at_y(p.y);
        let g = self.layout.cached(line)?;
        let x = p.x - self.placement.text_left - g.x_shift;
        let y = p.y - self.layout.top(line);
        g.galley
            .rows
            .iter()
            .find(|r| r.rect().y_range().contains(y))
            .and_then(|row| {
                row.glyphs
                    .iter()
                    .find(|gl| {
                        let x0 = row.pos.x + gl.pos.x;
                        gl.advance_width > 0.0 && x0 <= x && x < x0 + gl.advance_width
                    })
                    .map(|gl| gl.chr)
            })
    }
}
