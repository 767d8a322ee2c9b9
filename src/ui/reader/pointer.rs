//! The pointer in the reading view: selecting by drag, double-click and
//! Shift+click, clicking a highlight, moving an annotation's boundary by
//! its grip, autoscroll at the edges, and the tooltip over highlights.

use super::{Drag, GRIP_R, ReaderInput, ReaderView};
use crate::model::{AnnotationId, CharRange, Selection};
use crate::session::Session;
use crate::ui::command::Command;
use egui::{Pos2, Rect, Vec2, pos2, vec2};

impl ReaderView {
    pub(super) fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        input: &ReaderInput<'_>,
        commands: &mut Vec<Command>,
    ) {
        let session = input.session;
        let ctx = ui.ctx().clone();
        let shift = ui.input(|i| i.modifiers.shift);
        let press = ui.input(|i| i.pointer.press_origin());
        if response.hovered() {
            let hover = ui.input(|i| i.pointer.hover_pos());
            let over = hover
                .map(|p| self.offset_at(&ctx, session, p))
                .and_then(|o| input.innermost_at(o));
            ctx.set_cursor_icon(
                if hover.is_some_and(|p| self.handle_under(input, p).is_some()) {
                    egui::CursorIcon::ResizeHorizontal
                } else if over.is_some() {
                    egui::CursorIcon::PointingHand
                } else {
                    egui::CursorIcon::Text
                },
            );
        }
        if response.drag_started()
            && let Some(press) = press
        {
            // Work on the text leaves a note being typed: a code key
            // pressed next tags the new selection, never types a digit
            // into the note that still had the keyboard.
            if let Some(field) = ctx.memory(|m| m.focused()) {
                ctx.memory_mut(|m| m.surrender_focus(field));
            }
            // Only the grip moves a boundary: a drag that starts on the
            // text selects text, even on a selected annotation's edge.
            if let Some((id, start, range)) = self.handle_under(input, press) {
                let grab = self
                    .grip(session, range, start)
                    .map_or(egui::Vec2::ZERO, |(_, caret)| caret.center() - press);
                // What was selected before is not what is being moved.
                self.selection = None;
                self.drag = Drag::Handle {
                    id,
                    start,
                    original: range,
                    range,
                    grab,
                };
            } else {
                let at = self.offset_at(&ctx, session, press);
                let anchor = match (shift, self.selection) {
                    (true, Some(s)) => s.anchor,
                    _ => at,
                };
                self.selection = Some(Selection { anchor, head: at });
                // Where it started, in the text's own coordinates: the
                // view may scroll under the drag.
                self.drag = Drag::Selecting {
                    anchor,
                    press: press - self.placement.origin,
                    extend: shift,
                };
            }
        }
        if response.dragged()
            && let Some(pos) = ui.input(|i| i.pointer.interact_pos())
        {
            let aim = match &self.drag {
                Drag::Handle { grab, .. } => pos + *grab,
                _ => pos,
            };
            let at = self.offset_at(&ctx, session, aim);
            let visual = match self.drag {
                Drag::Selecting {
                    press,
                    extend: false,
                    ..
                } => self.visual_span(&ctx, session, self.placement.origin + press, pos),
                _ => None,
            };
            match &mut self.drag {
                Drag::Selecting { anchor, .. } => {
                    if let Some(s) = &mut self.selection {
                        *s = Selection {
                            anchor: *anchor,
                            head: at,
                        };
                        // On one row of right-to-left text: what is drawn
                        // between the drag's ends, with the head at the
                        // end the pointer is nearer.
                        if let Some(r) = visual {
                            let (anchor, head) = if at.abs_diff(r.start) < at.abs_diff(r.end) {
                                (r.end, r.start)
                            } else {
                                (r.start, r.end)
                            };
                            *s = Selection { anchor, head };
                        }
                    }
                }
                Drag::Handle {
                    start,
                    original,
                    range,
                    ..
                } => {
                    // A boundary dragged onto or past the other one would
                    // leave nothing: refused, the passage stays as it was.
                    let moved = match *start {
                        true if at < original.end => Some(CharRange::new(at, original.end)),
                        false if at > original.start => Some(CharRange::new(original.start, at)),
                        _ => None,
                    };
                    *range = moved
                        .map(|r| session.doc().snap_to_graphemes(r))
                        .filter(|r| !r.is_empty())
                        .unwrap_or(*original);
                }
                Drag::None => {}
            }
            self.autoscroll(ui, pos);
        }
        if response.drag_stopped() {
            if let Drag::Handle {
                id,
                original,
                range,
                ..
            } = std::mem::replace(&mut self.drag, Drag::None)
                && range != original
            {
                commands.push(Command::SetRange(id, range));
            }
            self.drag = Drag::None;
        }
        if response.double_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let at = self.offset_at(&ctx, session, pos);
            let w = session.doc().word_at(at);
            self.selection = Some(Selection {
                anchor: w.start,
                head: w.end,
            });
            commands.push(Command::Select(None));
        } else if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
            && press.is_none_or(|p| self.handle_under(input, p).is_none())
        {
            let at = self.offset_at(&ctx, session, pos);
            if shift && let Some(s) = &mut self.selection {
                s.head = at;
            } else {
                self.selection = None;
                let hit = input.innermost_at(at).map(|a| a.id.clone());
                commands.push(Command::Select(hit));
            }
        }
        // In caret mode the caret goes where the pointer put the
        // selection's moving end, or where it clicked.
        if self.caret.is_some()
            && (response.dragged() || response.double_clicked())
            && let Some(s) = self.selection
        {
            self.caret = Some(s.head);
            self.caret_at_row_end = false;
        } else if self.caret.is_some()
            && response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.caret = Some(self.offset_at(&ctx, session, pos));
            self.caret_at_row_end = false;
        }
    }

    /// The selected annotation's grip under `pos`, if any: (id, whether
    /// it is the start's, the annotation's range).
    fn handle_under(
        &self,
        input: &ReaderInput<'_>,
        pos: Pos2,
    ) -> Option<(AnnotationId, bool, CharRange)> {
        let a = input.session.annotation(input.selected?)?;
        if a.is_orphaned() {
            return None;
        }
        [true, false].into_iter().find_map(|at_start| {
            let (knob, caret) = self.grip(input.session, a.range(), at_start)?;
            // Never over the boundary's own line of text.
            let outside = if at_start {
                pos.y < caret.top()
            } else {
                pos.y > caret.bottom()
            };
            (outside && knob.distance(pos) <= GRIP_R + 3.0)
                .then(|| (a.id.clone(), at_start, a.range()))
        })
    }

    /// Where the grip of `range`'s start (or end) is drawn: the knob's
    /// centre, above the first char's line (below the last's), and the
    /// caret it hangs from; if that line was laid out.
    pub(super) fn grip(
        &self,
        session: &Session,
        range: CharRange,
        at_start: bool,
    ) -> Option<(Pos2, Rect)> {
        let doc = &session.doc();
        let (offset, line) = if at_start {
            (range.start, doc.piece_of(range.start))
        } else {
            // The line of the last char: an end at a line's end is drawn
            // there, not at the start of the next.
            (
                range.end,
                doc.piece_of(range.end.saturating_sub(1).max(range.start)),
            )
        };
        let l = doc.piece(line);
        let g = self.layout.cached(line)?;
        let at = offset.clamp(l.start, l.end) - l.start;
        // A start hangs before its first char (at a wrapped row's edge, on
        // the next row), an end after its last char: in right-to-left text
        // that is the last char's left edge, wherever the char after it is.
        let caret = if at_start {
            g.caret_at(at, true)
        } else {
            g.caret_after(at)
        }
        .translate(vec2(
            self.placement.origin.x + self.placement.text_left,
            self.placement.origin.y + self.layout.top(line),
        ));
        let knob = if at_start {
            pos2(caret.left(), caret.top() - GRIP_R - 1.0)
        } else {
            pos2(caret.left(), caret.bottom() + GRIP_R + 1.0)
        };
        Some((knob, caret))
    }

    /// Screen position of the selected annotation `id`'s start (or end)
    /// grip, if drawn last frame. Used by tests to aim the mouse.
    pub fn grip_pos(&self, session: &Session, id: &AnnotationId, at_start: bool) -> Option<Pos2> {
        let a = session.annotation(id)?;
        self.grip(session, a.range(), at_start)
            .map(|(knob, _)| knob)
    }

    fn autoscroll(&self, ui: &egui::Ui, pos: Pos2) {
        let clip = self.placement.clip;
        let dy = if pos.y < clip.top() + 8.0 {
            (clip.top() + 8.0 - pos.y).min(40.0)
        } else if pos.y > clip.bottom() - 8.0 {
            -(pos.y - clip.bottom() + 8.0).min(40.0)
        } else {
            return;
        };
        ui.scroll_with_delta(Vec2::new(0.0, dy));
        ui.ctx().request_repaint();
    }

    pub(super) fn hover_tooltip(
        &mut self,
        ui: &egui::Ui,
        response: egui::Response,
        input: &ReaderInput<'_>,
    ) {
        if self.drag != Drag::None {
            return;
        }
        let Some(pos) = response.hover_pos() else {
            return;
        };
        let ctx = ui.ctx().clone();
        let at = self.offset_at(&ctx, input.session, pos);
        let anns = &input.session.store().annotations;
        let here: Vec<_> = anns
            .overlapping(CharRange::new(at, at + 1))
            .filter(|a| input.authors.shows(&a.author))
            .collect();
        if here.is_empty() {
            return;
        }
        response.on_hover_ui_at_pointer(|ui| {
            ui.set_max_width(320.0);
            for a in here {
                crate::ui::widgets::annotation_summary(ui, a, input.session.codebook());
            }
        });
    }

    /// The chars drawn between two screen points on one row of a line
    /// with right-to-left text (see [`layout::Shaped::span_between`]).
    fn visual_span(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        a: Pos2,
        b: Pos2,
    ) -> Option<CharRange> {
        let doc = &session.doc();
        let (pa, pb) = (a - self.placement.origin, b - self.placement.origin);
        let line = self.layout.line_at_y(pa.y);
        if line != self.layout.line_at_y(pb.y) {
            return None;
        }
        let top = self.layout.top(line);
        let local = |p: Vec2| vec2(p.x - self.placement.text_left, p.y - top);
        let (la, lb) = (local(pa), local(pb));
        let start = doc.piece(line).start;
        let (lo, hi) = self.layout.galley(ctx, doc, line)?.span_between(la, lb)?;
        Some(CharRange::new(start + lo, start + hi))
    }
}
