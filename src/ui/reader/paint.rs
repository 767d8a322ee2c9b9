//! Drawing highlights, the selection and the text of the visible lines.
//!
//! Overlapping and nested annotations stay distinguishable: each gets a
//! translucent fill (so overlaps read darker) and an underline in its own
//! lane below the text, striped in its tags' colours.

use super::{Drag, GRIP_R, ReaderInput, ReaderView, marks};
use crate::model::{Annotation, AnnotationSet, Block, CharRange};
use crate::ui::theme;
use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};
use std::ops::Range;

const MAX_LANES: usize = 4;
const FLASH_SECS: f64 = 1.2;

/// Underline lanes of the annotations around the visible text, by
/// position in the set, recomputed when the view moves to other
/// annotations or annotations move. The lanes are a greedy interval
/// colouring in document order, started where no earlier annotation is
/// still open (so scrolling never changes an annotation's lane), found by
/// walking back from the view: the cost is the annotations near the view,
/// never the whole set.
#[derive(Default)]
pub struct Lanes {
    key: Option<(u64, usize, usize)>,
    lane: Vec<(usize, u8)>,
    /// Annotations coloured by the last refresh, and by all so far (for
    /// the tests that keep a frame's cost independent of their number).
    pub coloured: usize,
    pub coloured_total: usize,
}

/// How far back the walk to a clean start may go; beyond (one chain of
/// overlapping spans through a whole book) lanes start at the limit.
const MAX_WALK: usize = 5_000;

impl Lanes {
    pub fn refresh(&mut self, set: &AnnotationSet, window: CharRange) {
        let (max_len, long) = set.reach();
        let at = |i: usize| set.at(i).filter(|a| !a.is_orphaned());
        let first = set.first_from(window.start.saturating_sub(max_len));
        let to = set.first_from(window.end).max(first);
        let key = (set.shape_revision(), first, to);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        // Walk back to a position no earlier (short) span reaches past.
        let mut b = first;
        let mut k = first;
        let floor = to.saturating_sub(MAX_WALK);
        while k > floor {
            k -= 1;
            let Some(a) = set.at(k) else { break };
            let b_start = set.at(b).map_or(window.start, |x| x.start);
            if a.start.saturating_add(max_len) <= b_start {
                break;
            }
            if at(k).is_some_and(|a| a.end > b_start && a.end - a.start <= max_len) {
                b = k;
            }
        }
        let mut order: Vec<usize> = long
            .filter(|&i| i < b && at(i).is_some_and(|a| a.end > window.start))
            .collect();
        order.sort_unstable();
        order.extend(b..to);
        self.lane.clear();
        let mut ends: Vec<usize> = Vec::new();
        for i in order {
            let Some(a) = at(i) else { continue };
            let lane = match ends.iter().position(|e| *e <= a.start) {
                Some(l) => l,
                None => {
                    ends.push(0);
                    ends.len() - 1
                }
            };
            ends[lane] = a.end;
            self.lane.push((i, lane.min(MAX_LANES - 1) as u8));
        }
        self.lane.sort_unstable();
        self.coloured = self.lane.len();
        self.coloured_total += self.coloured;
    }

    fn of(&self, index: usize) -> usize {
        self.lane
            .binary_search_by_key(&index, |p| p.0)
            .map_or(0, |k| self.lane[k].1 as usize)
    }
}

impl ReaderView {
    pub(super) fn paint(&mut self, ui: &egui::Ui, input: &ReaderInput<'_>, visible: Range<usize>) {
        let ctx = ui.ctx().clone();
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        let session = input.session;
        let doc = &session.doc();
        let codebook = session.codebook();
        let by_author = input.authors.colours_by_author();
        let authors = &session.store().annotations.counts().authors;
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
        let window = CharRange::new(
            doc.piece(visible.start).start,
            doc.piece(visible.end.saturating_sub(1)).next,
        );
        self.lanes.refresh(&session.store().annotations, window);

        let mut grips = None;
        for line in visible {
            let l = doc.piece(line);
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
            let set = &session.store().annotations;
            let mut here: Vec<(usize, &Annotation, CharRange)> = set
                .overlapping_indexed(l.range())
                .filter(|(_, a)| input.authors.shows(&a.author))
                .map(|(i, a)| match &dragged {
                    Some((id, r)) if id == &a.id => (i, a, *r),
                    _ => (i, a, a.range()),
                })
                .collect();
            if let Some((id, r)) = &dragged
                && !here.iter().any(|(_, a, _)| &a.id == id)
                && r.overlaps(&l.range())
                && let Some(i) = set.position(id)
                && let Some(a) = set.at(i)
            {
                here.push((i, a, *r));
            }

            // Fills, under the text.
            let mut fills = Vec::with_capacity(here.len());
            for (_, a, r) in &here {
                let color = if by_author {
                    input.authors.color(&a.author, authors)
                } else {
                    theme::tag_color(a.tags.first().and_then(|t| codebook.get(t)))
                };
                for rect in local(*r) {
                    fills.push((to_screen(rect), theme::fill(color, dark)));
                }
            }
            marks::fills(painter, &fills);
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
            if let Some(block @ (Block::PageBreak | Block::ChapterBreak)) =
                doc.structure().block_at(l.start)
            {
                let right = origin.x
                    + (self.placement.clip.right() - origin.x - 24.0).min(input.font_size * 40.0);
                let page = doc.structure().page_of(l.next);
                page_rule(ui, origin, right, galley.size().y, block, page);
            }

            // Underlines and outlines, over the text.
            let mut unders = Vec::with_capacity(here.len());
            for (i, a, r) in &here {
                let lane = input
                    .authors
                    .lane_of(&a.author)
                    .unwrap_or_else(|| self.lanes.of(*i));
                let colors: Vec<Color32> = if by_author {
                    vec![input.authors.color(&a.author, authors)]
                } else if a.tags.is_empty() {
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
                    unders.push(marks::Underline {
                        lane,
                        x0: rect.left(),
                        x1: rect.right(),
                        y: rect.bottom() - 1.5 - lane as f32 * 3.5,
                        colors: colors.clone(),
                        width: if is_selected { 3.0 } else { 2.0 },
                    });
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
                    grips = Some((*r, colors[0]));
                }
            }
            marks::underlines(painter, unders);
        }
        // Drawn where hit-testing finds them (`ReaderView::grip`), on
        // whichever line each boundary is.
        if let Some((r, color)) = grips {
            for at_start in [true, false] {
                let Some((knob, caret)) = self.grip(session, r, at_start) else {
                    continue;
                };
                let x = caret.left();
                painter.line_segment(
                    [pos2(x, caret.top()), pos2(x, caret.bottom())],
                    Stroke::new(2.0, color),
                );
                painter.line_segment(
                    [
                        pos2(x, knob.y),
                        pos2(
                            x,
                            if at_start {
                                caret.top()
                            } else {
                                caret.bottom()
                            },
                        ),
                    ],
                    Stroke::new(1.5, color),
                );
                painter.circle_filled(knob, GRIP_R, color);
                painter.circle_stroke(
                    knob,
                    GRIP_R,
                    Stroke::new(1.0, ui.visuals().extreme_bg_color),
                );
            }
        }
    }
}

/// The rule drawn for a page (or chapter) break, labelled with the page
/// that follows.
fn page_rule(
    ui: &egui::Ui,
    origin: Pos2,
    right: f32,
    height: f32,
    block: Block,
    page: Option<usize>,
) {
    let painter = ui.painter();
    let weak = ui.visuals().weak_text_color();
    let y = origin.y + height / 2.0;
    let label = match (block, page) {
        (Block::PageBreak, Some(n)) => format!("page {n}"),
        (Block::ChapterBreak, _) => "chapter".to_string(),
        _ => String::new(),
    };
    let font = egui::FontId::proportional(11.0);
    let text = painter.layout_no_wrap(label, font, weak);
    let label_left = right - text.size().x - 16.0;
    painter.hline(origin.x..=label_left - 8.0, y, Stroke::new(1.0, weak));
    painter.galley(pos2(label_left, y - text.size().y / 2.0), text, weak);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    /// The lanes a greedy colouring of the whole set gives.
    fn global(set: &AnnotationSet) -> Vec<usize> {
        let mut ends: Vec<usize> = Vec::new();
        set.iter()
            .map(|a| {
                let lane = ends.iter().position(|e| *e <= a.start).unwrap_or_else(|| {
                    ends.push(0);
                    ends.len() - 1
                });
                ends[lane] = a.end;
                lane.min(MAX_LANES - 1)
            })
            .collect()
    }

    #[test]
    fn lanes_seen_through_any_window_are_the_whole_sets() {
        let doc = Document::new("t", "word ".repeat(4000));
        let anns = (0..3000)
            .map(|i| {
                let s = (i * 7919) % 19_900;
                let len = 1 + (i * 31) % 60;
                crate::model::Annotation::new(
                    &doc,
                    CharRange::new(s, s + len),
                    vec![],
                    "t",
                    time::OffsetDateTime::UNIX_EPOCH,
                )
            })
            .collect();
        let set = AnnotationSet::from_vec(anns);
        let want = global(&set);
        let mut lanes = Lanes::default();
        for w in (0..20_000).step_by(1500) {
            let window = CharRange::new(w, w + 2000);
            lanes.refresh(&set, window);
            for (i, a) in set.overlapping_indexed(window) {
                assert_eq!(lanes.of(i), want[i], "{:?} in {window:?}", a.range());
            }
        }
        // Apart from chains of overlaps, only the annotations in view are
        // coloured, however many the set holds.
        let doc = Document::new("t", "word ".repeat(800_000));
        let sparse = (0..100_000)
            .map(|i| {
                let s = i * 40;
                crate::model::Annotation::new(
                    &doc,
                    CharRange::new(s, s + 1 + i % 39),
                    vec![],
                    "t",
                    time::OffsetDateTime::UNIX_EPOCH,
                )
            })
            .collect();
        let set = AnnotationSet::from_vec(sparse);
        let window = CharRange::new(2_000_000, 2_003_000);
        lanes.refresh(&set, window);
        let shown = set.overlapping(window).count();
        assert!(shown > 50);
        assert!(
            lanes.coloured <= shown + 1,
            "{} coloured for {shown}",
            lanes.coloured
        );
    }
}
