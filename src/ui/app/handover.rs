//! Editing a colleague's annotation. In a document several people coded,
//! the first edit of someone else's annotation asks once whether to go on
//! under the user's own name (recorded as who changed it), so work never
//! changes hands without anyone noticing. Every edit passes through
//! `GlossApp::execute`, so checking there covers the side panel, the keys,
//! the reading view's grips and the menus alike.

use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Default)]
pub struct HandOver {
    /// Documents in which the user agreed to change others' annotations
    /// (by path; a document with no file by its name). Kept for the
    /// window's run: a document parked and shown again is not asked twice.
    agreed: HashSet<PathBuf>,
    /// The edit waiting for the answer, and whose annotation it touches.
    pending: Option<(Command, String)>,
}

impl GlossApp {
    /// The annotation `command` would change, if it changes one that
    /// exists (a tag key with text selected makes a new one instead).
    fn edit_target(&self, command: &Command) -> Option<&crate::model::Annotation> {
        let id = match command {
            Command::SetNote(id, _)
            | Command::ToggleTag(id, _)
            | Command::SetRange(id, _)
            | Command::AttachToSelection(id)
            | Command::ConfirmReview(id)
            | Command::Delete(id) => id,
            Command::UseTag(_) if self.reader.selected_range(&self.session).is_none() => {
                self.selected.as_ref()?
            }
            Command::Nudge { .. } => self.selected.as_ref()?,
            _ => return None,
        };
        self.session.annotation(id)
    }

    fn document_key(&self) -> PathBuf {
        (self.session.path().clone()).unwrap_or_else(|| PathBuf::from(&self.session.doc().name))
    }

    /// Holds back an edit of another coder's annotation until the user
    /// says to go on (once per document); `true` when it was held back.
    pub(super) fn hold_for_consent(&mut self, command: &Command) -> bool {
        // A read-only document refuses the edit anyway, and says why.
        if self.session.read_only().is_some() {
            return false;
        }
        let Some(owner) = self.edit_target(command).map(|a| a.author.clone()) else {
            return false;
        };
        // The curated set is the curator's work in progress, not a coder's
        // judgement: editing it is what curating is, and it is no coder.
        let curator = &self.compare.curator;
        let authors = &self.session.store().annotations.counts().authors;
        let several = authors
            .keys()
            .filter(|a| *a != curator && !a.is_empty())
            .count()
            >= 2;
        // An annotation with no author (imported from a tool that keeps
        // none) is nobody's to hand over.
        if owner.is_empty()
            || owner == self.prefs.author
            || owner == *curator
            || !several
            || self.handover.agreed.contains(&self.document_key())
        {
            return false;
        }
        // One question at a time: edits made while it is open are dropped
        // (the question blocks the window, so these are stray keystrokes).
        if self.handover.pending.is_none() {
            self.handover.pending = Some((command.clone(), owner));
        }
        true
    }

    /// Whether an edit waits for the user's answer.
    pub(super) fn handover_pending(&self) -> bool {
        self.handover.pending.is_some()
    }

    /// The question, while an edit waits for it; "Change it" applies the
    /// edit and remembers the answer for this document.
    pub(super) fn handover_ui(&mut self, ctx: &egui::Context) {
        let Some((_, owner)) = &self.handover.pending else {
            return;
        };
        let text = format!(
            "This is {owner}'s annotation. Change it as {}? Your name is recorded as who changed it.",
            self.prefs.author
        );
        let mut answer = None;
        let modal =
            egui::Modal::new(egui::Id::unique("change another's annotation")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading("Another coder's annotation");
                ui.label(text);
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Change it").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(false);
                    }
                });
            });
        if modal.should_close() && answer.is_none() {
            answer = Some(false);
        }
        let Some(go) = answer else { return };
        if let Some((command, _)) = self.handover.pending.take()
            && go
        {
            self.handover.agreed.insert(self.document_key());
            self.execute(ctx, command);
        }
    }
}
