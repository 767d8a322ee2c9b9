//! Curating from the window: the Compare bar kept in step with the reading
//! view, stepping through disagreements, and accepting or rejecting
//! versions (each one undo step).

use super::GlossApp;
use crate::ui::command::Command;
use crate::ui::compare::Curate;

impl GlossApp {
    /// The Compare bar, when open; keeps the reading view's lanes in step.
    pub(crate) fn compare_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.compare.refresh(&self.session, &ctx);
        let lanes = if self.compare.open {
            let mut l = self.compare.chosen.clone();
            l.push(self.compare.curator.clone());
            l
        } else {
            Vec::new()
        };
        if self.side.authors.lanes != lanes {
            self.side.authors.lanes = lanes;
        }
        if !self.compare.open {
            return;
        }
        egui::Panel::top("compare").show(ui, |ui| {
            let (cmds, curate) = self.compare.ui(ui, &self.session);
            self.queue.extend(cmds);
            if let Some(c) = curate {
                self.queue.push(Command::Curate(c));
            }
        });
    }

    /// Steps to the next (or previous) disagreement and selects it.
    pub(crate) fn compare_step(&mut self, ctx: &egui::Context, forward: bool) {
        if let Some(r) = self.compare.step(forward) {
            self.show_match(ctx, r);
        }
    }

    /// Accepts a version into the curated set (one undo step), or rejects
    /// them all; then moves on to the next place left.
    pub(crate) fn curate(
        &mut self,
        ctx: &egui::Context,
        curate: Curate,
        now: time::OffsetDateTime,
    ) -> Result<(), crate::session::CommandError> {
        match curate {
            Curate::Reject(ids) => {
                self.session.reject(&ids)?;
                self.compare_step(ctx, true);
                Ok(())
            }
            Curate::Accept { ids, edit } => {
                let version: Vec<_> = ids
                    .iter()
                    .filter_map(|id| self.session.annotation(id))
                    .collect();
                let copies = crate::team::compare::accept(
                    self.session.doc(),
                    &version,
                    &self.compare.curator,
                    now,
                );
                let first = copies.first().map(|a| a.id.clone());
                self.session.add_all(copies)?;
                if edit {
                    self.reader.clear_selection();
                    self.selected = first;
                } else {
                    self.compare_step(ctx, true);
                }
                Ok(())
            }
        }
    }
}
