//! Reading with the keyboard: scrolling (arrows, Page Up/Down, Space,
//! Home/End), jumps (Go to, headings), and caret browsing (F7, as in
//! Firefox): a visible caret moved by the arrows, Shift to select, so a
//! passage can be selected and tagged without a mouse.
//!
//! Keys only change what the view will do next frame (`scroll_by`, a jump
//! or the caret); the frame applies them, so a key costs what a frame
//! costs at any document size.

use super::{Jump, ReaderView};
use crate::model::{CharRange, Selection};
use crate::session::Session;
use egui::{Pos2, Rect, pos2, vec2};

/// What a key asks of the reading view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderKey {
    /// Arrow up/down outside caret mode: a line.
    LineUp,
    LineDown,
    /// Page Up/Down, Shift+Space/Space: a screenful, less a line (with
    /// `select`, caret mode selects as it goes).
    PageUp {
        select: bool,
    },
    PageDown {
        select: bool,
    },
    /// Ctrl+Home/End (and Home/End outside caret mode).
    Top {
        select: bool,
    },
    Bottom {
        select: bool,
    },
    /// Caret mode only (`select`: Shift held, `word`: Ctrl held).
    Left {
        select: bool,
        word: bool,
    },
    Right {
        select: bool,
        word: bool,
    },
    Up {
        select: bool,
    },
    Down {
        select: bool,
    },
    RowStart {
        select: bool,
    },
    RowEnd {
        select: bool,
    },
}

/// Where a jump should leave its target in the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Align {
    /// A third of the way down: reading on from a found place.
    Reading,
    /// At the top: a heading or a page.
    Top,
    /// At the bottom: the document's end.
    Bottom,
}

impl ReaderView {
    /// Caret browsing on or off. The caret starts where the reader is:
    /// the selection's moving end, else the top of the view.
    pub fn toggle_caret(&mut self, session: &Session) {
        self.caret = match self.caret {
            Some(_) => None,
            None => Some(
                self.selection
                    .map(|s| s.head)
                    .unwrap_or_else(|| self.top_offset(session.doc())),
            ),
        };
        self.caret_x = None;
        self.caret_at_row_end = false;
        self.announce(match self.caret {
            Some(_) => "Caret browsing on: arrows move the caret, Shift+arrows select",
            None => "Caret browsing off",
        });
    }

    /// The caret's offset when caret browsing is on.
    pub fn caret(&self) -> Option<usize> {
        self.caret
    }

    /// Acts on a reading key. Returns whether it did anything (a caret
    /// key outside caret mode does not).
    pub fn key(&mut self, ctx: &egui::Context, session: &Session, key: ReaderKey) -> bool {
        let page = (self.placement.clip.height() - 2.0 * self.line_height).max(self.line_height);
        let Some(caret) = self.caret else {
            match key {
                ReaderKey::LineUp => self.scroll_by -= self.line_height,
                ReaderKey::LineDown => self.scroll_by += self.line_height,
                ReaderKey::PageUp { .. } => self.scroll_by -= page,
                ReaderKey::PageDown { .. } => self.scroll_by += page,
                ReaderKey::Top { .. } => self.jump(0, Align::Top),
                ReaderKey::Bottom { .. } => self.jump(session.doc().char_len(), Align::Bottom),
                _ => return false,
            }
            return true;
        };
        let doc = session.doc();
        let (to, select) = match key {
            ReaderKey::Left { select, word } => (
                if word {
                    doc.previous_word_start(caret)
                } else {
                    doc.prev_boundary(caret)
                },
                select,
            ),
            ReaderKey::Right { select, word } => (
                if word {
                    doc.next_word_end(caret)
                } else {
                    doc.next_boundary(caret)
                },
                select,
            ),
            ReaderKey::Up { .. } | ReaderKey::LineUp => {
                (self.caret_row(ctx, session, caret, -1.0), select_of(key))
            }
            ReaderKey::Down { .. } | ReaderKey::LineDown => {
                (self.caret_row(ctx, session, caret, 1.0), select_of(key))
            }
            ReaderKey::PageUp { select } | ReaderKey::PageDown { select } => {
                let dir = if matches!(key, ReaderKey::PageUp { .. }) {
                    -1.0
                } else {
                    1.0
                };
                self.scroll_by += dir * page;
                (self.caret_by(ctx, session, caret, dir * page), select)
            }
            ReaderKey::Top { select } => (0, select),
            ReaderKey::Bottom { select } => (doc.char_len(), select),
            ReaderKey::RowStart { select } => (self.row_edge(ctx, session, caret, false), select),
            ReaderKey::RowEnd { select } => (self.row_edge(ctx, session, caret, true), select),
        };
        // Where a row wraps, End leaves the caret at the row's end; any
        // other move, at the next row's start.
        self.caret_at_row_end = matches!(key, ReaderKey::RowEnd { .. });
        if !matches!(key, ReaderKey::Up { .. } | ReaderKey::Down { .. })
            && !matches!(key, ReaderKey::LineUp | ReaderKey::LineDown)
        {
            self.caret_x = None;
        }
        self.move_caret(session, to, select);
        true
    }

    /// Puts the caret at `to`, selecting from where the selection (or the
    /// caret) was when `select`, and keeps it in view.
    pub(super) fn move_caret(&mut self, session: &Session, to: usize, select: bool) {
        let to = to.min(session.doc().char_len());
        let from = self.caret.unwrap_or(to);
        self.caret = Some(to);
        self.selection = if select {
            let anchor = self.selection.map_or(from, |s| s.anchor);
            Some(Selection { anchor, head: to })
        } else {
            None
        };
        self.keep_in_view(session, to);
    }

    /// Scrolls just enough to show the char at `offset` when its line was
    /// drawn; jumps to it otherwise.
    fn keep_in_view(&mut self, session: &Session, offset: usize) {
        match self.caret_rect(session, offset) {
            Some(r) => {
                let clip = self
                    .placement
                    .clip
                    .shrink2(vec2(0.0, self.line_height * 0.5));
                let y = r.translate(vec2(0.0, -self.scroll_by));
                if y.top() < clip.top() {
                    self.scroll_by -= clip.top() - y.top();
                } else if y.bottom() > clip.bottom() {
                    self.scroll_by += y.bottom() - clip.bottom();
                }
            }
            None => self.jump(offset, Align::Reading),
        }
    }

    /// The caret's rectangle on screen, if its line was drawn last frame
    /// (a blank line, which has no layout, at its start).
    pub(super) fn caret_rect(&self, session: &Session, offset: usize) -> Option<Rect> {
        let doc = session.doc();
        let line = doc.piece_of(offset);
        let l = doc.piece(line);
        let left = self.placement.origin.x + self.placement.text_left;
        let top = self.placement.origin.y + self.layout.top(line);
        if l.is_blank() {
            let visible = self.layout.lines_between(
                self.placement.clip.top() - self.placement.origin.y,
                self.placement.clip.bottom() - self.placement.origin.y,
            );
            let height = self
                .line_height
                .min(self.layout.top(line + 1) - self.layout.top(line));
            return visible
                .contains(&line)
                .then(|| Rect::from_min_size(pos2(left, top), vec2(0.0, height.max(1.0))));
        }
        let g = self.layout.cached(line)?;
        let r = g.caret_at(
            offset.clamp(l.start, l.end) - l.start,
            !self.caret_at_row_end,
        );
        Some(r.translate(vec2(left, top)))
    }

    /// The offset a row above (`dir` -1) or below (1) the caret, at the
    /// column the caret started moving from.
    fn caret_row(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        caret: usize,
        dir: f32,
    ) -> usize {
        let Some(r) = self.caret_rect(session, caret) else {
            return caret;
        };
        let x = *self.caret_x.get_or_insert(r.center().x);
        let doc = session.doc();
        // Just past the caret's row; the space after a paragraph belongs
        // to no row, so from there on to the next piece's first row (or
        // back to this piece's last).
        let mut y = if dir > 0.0 {
            r.bottom() + 1.0
        } else {
            r.top() - 1.0
        } - self.placement.origin.y;
        let line = self.layout.line_at_y(y);
        if let Some(g) = self.layout.galley(ctx, doc, line) {
            let drawn = self.layout.top(line) + g.size().y;
            if y >= drawn {
                y = if dir > 0.0 {
                    self.layout.top(line + 1) + 1.0
                } else {
                    drawn - 1.0
                };
            }
        }
        let at = self.offset_at(ctx, session, pos2(x, self.placement.origin.y + y));
        let piece = doc.piece_of(caret);
        match at == caret {
            // The first or last row of the document: to its edge.
            true if dir < 0.0 && piece == 0 => 0,
            true if dir > 0.0 && piece + 1 >= doc.pieces().len() => doc.char_len(),
            _ => at,
        }
    }

    /// The offset `dy` points below the caret (a page away).
    fn caret_by(&mut self, ctx: &egui::Context, session: &Session, caret: usize, dy: f32) -> usize {
        match self.caret_rect(session, caret) {
            Some(r) => self.offset_at(ctx, session, r.center() + vec2(0.0, dy)),
            None => caret,
        }
    }

    /// The start (or end) of the caret's row as drawn.
    fn row_edge(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        caret: usize,
        end: bool,
    ) -> usize {
        let Some(r) = self.caret_rect(session, caret) else {
            return caret;
        };
        let clip = self.placement.clip;
        // The row's visual edges; in a right-to-left paragraph the start
        // is at the right.
        let rtl = self.line_is_rtl(session, caret);
        let x = if end != rtl {
            clip.right() + 1000.0
        } else {
            clip.left() - 1000.0
        };
        let at = self.offset_at(ctx, session, Pos2::new(x, r.center().y));
        let piece = session.doc().piece(session.doc().piece_of(caret));
        // Never across the piece's edges onto another line.
        at.clamp(piece.start, piece.end)
    }

    fn line_is_rtl(&self, session: &Session, offset: usize) -> bool {
        let line = session.doc().piece_of(offset);
        self.layout.cached(line).is_some_and(|g| g.base_rtl())
    }

    /// Scrolls so `offset` lands as `align` says.
    pub fn jump(&mut self, offset: usize, align: Align) {
        self.scroll_to = Some(Jump { offset, align });
        self.scroll_by = 0.0;
    }

    /// Go to `offset` (a page, heading, or place the user named): the view
    /// and, in caret mode, the caret.
    pub fn go_to(&mut self, session: &Session, offset: usize, align: Align) {
        self.jump(offset, align);
        if self.caret.is_some() {
            self.caret = Some(offset.min(session.doc().char_len()));
            self.caret_x = None;
            self.caret_at_row_end = false;
            self.selection = None;
        }
    }

    /// The caret painted where it is, if its line is drawn.
    pub(super) fn paint_caret(&self, ui: &egui::Ui, session: &Session) {
        let Some(caret) = self.caret else {
            return;
        };
        if let Some(r) = self.caret_rect(session, caret) {
            let color = ui.visuals().strong_text_color();
            let r = Rect::from_min_max(
                pos2(r.left() - 1.0, r.top()),
                pos2(r.left() + 1.0, r.bottom()),
            );
            ui.painter().rect_filled(r, 0.0, color);
        }
    }

    /// A range for tests: the current selection exactly as stored.
    pub fn selection_range(&self) -> Option<CharRange> {
        self.selection.map(|s| s.range())
    }
}

fn select_of(key: ReaderKey) -> bool {
    matches!(
        key,
        ReaderKey::Up { select: true } | ReaderKey::Down { select: true }
    )
}
