//! The reading view for assistive technology (AccessKit: AT-SPI on Linux,
//! UI Automation on Windows, NSAccessibility on macOS). The text is
//! custom-painted, so egui knows nothing of it: each paragraph in view
//! becomes a node with its text (a heading a heading, with its level),
//! each annotation in view a named region ("claim, source: “…”, note:
//! …"), the selection the document's description, and what a jump or a
//! key did a polite live region a screen reader speaks.
//!
//! Only what is in view is exposed, as a screen reader follows the view:
//! the cost is that of the frame, never of the document.

use super::{ReaderInput, ReaderView};
use crate::formats::report::clip;
use crate::model::{Annotation, Block, CharRange};
use egui::accesskit::{Live, Role};
use egui::{Rect, Sense, UiBuilder, vec2};
use std::ops::Range;

/// At most this many annotations in view are exposed a frame (a page
/// of 10,000 overlapping highlights must not cost 10,000 nodes).
const MAX_REGIONS: usize = 200;

/// How much of a quote or note a region's name says.
const QUOTE_CHARS: usize = 80;
const NOTE_CHARS: usize = 160;

impl ReaderView {
    /// Says `text` to a screen reader (and keeps it until the next).
    pub fn announce(&mut self, text: impl Into<String>) {
        let n = self.announced.as_ref().map_or(0, |(_, n)| n + 1);
        self.announced = Some((text.into(), n));
    }

    /// What was last announced.
    pub fn announcement(&self) -> Option<&str> {
        self.announced.as_ref().map(|(t, _)| t.as_str())
    }

    // Kept out of the frame's hot code: inlined into `ui`, even the early
    // return below made a frame of the sample article half as slow again
    // (measured with `cargo bench --bench scale -- only frames`).
    #[cold]
    #[inline(never)]
    pub(super) fn expose(
        &self,
        ui: &mut egui::Ui,
        document: &egui::Response,
        input: &ReaderInput<'_>,
        visible: Range<usize>,
    ) {
        let ctx = ui.ctx().clone();
        // Off unless a screen reader (or a test) asked for the tree: then
        // nothing is built, not even the description.
        if ctx.accesskit_node_builder(document.id, |_| ()).is_none() {
            return;
        }
        let session = input.session;
        let doc = session.doc();
        let description = match self.selected_range(session) {
            Some(r) => format!(
                "{}. Selected: “{}” ({} chars)",
                doc.name,
                clip(doc.slice(r), QUOTE_CHARS),
                r.len()
            ),
            None => doc.name.clone(),
        };
        ctx.accesskit_node_builder(document.id, |node| node.set_description(description));
        let origin = self.placement.origin + vec2(self.placement.text_left, 0.0);
        let node =
            |ui: &mut egui::Ui, salt: (&str, &str), role: Role, label: String, rect: Rect| {
                let child = ui.new_child(
                    UiBuilder::new()
                        .id_salt(salt)
                        .max_rect(rect)
                        .sense(Sense::hover())
                        .accessibility_parent(document.id)
                        .accessibility_role(role)
                        .accessibility_label(label),
                );
                child.unique_id()
            };
        for line in visible.clone() {
            let piece = doc.piece(line);
            if piece.is_blank() {
                continue;
            }
            let Some(g) = self.layout.cached(line) else {
                continue;
            };
            let top = origin.y + self.layout.top(line);
            let rect = Rect::from_min_size(egui::pos2(origin.x, top), g.size());
            let block = doc.structure().block_at(piece.start);
            let role = match block {
                Some(Block::Heading(_) | Block::Chapter) => Role::Heading,
                _ => Role::Paragraph,
            };
            let id = node(
                ui,
                ("gloss-paragraph", &piece.start.to_string()),
                role,
                doc.slice(piece.range()).to_owned(),
                rect,
            );
            let level = match block {
                Some(Block::Heading(level)) => Some(usize::from(level)),
                Some(Block::Chapter) => Some(1),
                _ => None,
            };
            if let Some(level) = level {
                ctx.accesskit_node_builder(id, |n| n.set_level(level));
            }
        }
        let (Some(first), Some(last)) = (visible.clone().next(), visible.clone().last()) else {
            return;
        };
        let shown = CharRange::new(doc.piece(first).start, doc.piece(last).end);
        for a in session
            .store()
            .annotations
            .overlapping(shown)
            .filter(|a| input.authors.shows(&a.author))
            .take(MAX_REGIONS)
        {
            // Where it is drawn, within the view (one node per annotation,
            // the same from frame to frame).
            let range = CharRange::new(a.start.max(shown.start), a.end.min(shown.end));
            let rect = self
                .drawn_rects(session, range)
                .into_iter()
                .reduce(|a, b| a.union(b))
                .unwrap_or(Rect::NOTHING)
                .intersect(self.placement.clip);
            node(
                ui,
                ("gloss-annotation", a.id.0.as_str()),
                Role::Mark,
                region_name(a),
                rect,
            );
        }
        // One live region whose words change: screen readers speak a
        // change to it.
        if let Some((text, _)) = &self.announced {
            let id = node(
                ui,
                ("gloss-announce", ""),
                Role::Status,
                text.clone(),
                Rect::from_min_size(self.placement.clip.min, vec2(1.0, 1.0)),
            );
            ctx.accesskit_node_builder(id, |n| n.set_live(Live::Polite));
        }
    }
}

/// What a screen reader says for an annotation: its codes (or
/// "highlight"), its quote, its note.
pub fn region_name(a: &Annotation) -> String {
    let codes = if a.tags.is_empty() {
        "highlight".to_string()
    } else {
        a.tags.join(", ")
    };
    let mut name = format!("{codes}: “{}”", clip(&a.quote, QUOTE_CHARS));
    if !a.note.is_empty() {
        name.push_str(&format!(", note: {}", clip(&a.note, NOTE_CHARS)));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_says_codes_quote_and_note_and_is_cut_on_chars() {
        let doc = crate::model::Document::new(
            "t.txt",
            "Six former and active US officials said 😀 ".repeat(3),
        );
        let mut a = Annotation::new(
            &doc,
            CharRange::new(0, doc.char_len()),
            vec!["claim".into(), "source".into()],
            "Nora",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        a.note = "check the date".into();
        let name = region_name(&a);
        assert!(name.starts_with("claim, source: “Six former"), "{name}");
        assert!(name.ends_with("…”, note: check the date"), "{name}");
        a.tags.clear();
        a.note.clear();
        assert!(region_name(&a).starts_with("highlight: "));
        assert_eq!(clip("“ab😀”", 3), "“a…");
    }
}
