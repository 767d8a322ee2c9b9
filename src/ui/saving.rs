//! Saving from the window: autosave a second after the last change on
//! another thread, Ctrl+S, Save As, what a failed save shows, and saving
//! before the window closes.

use super::app::GlossApp;
use super::command::Command;
use super::notices::Level;
use std::time::Duration;

/// Seconds of quiet after a change before it is saved.
const AUTOSAVE_SECS: f64 = 1.0;

/// What waits for the running save to finish: the window never blocks on
/// a file, so opening another document, switching to a parked one and
/// closing the window happen once the annotations are safely written.
pub(super) enum AfterSave {
    Show(std::path::PathBuf, Box<crate::session::Session>),
    Switch(std::path::PathBuf),
    SaveAs(std::path::PathBuf),
    Close,
}

/// What a background write brings back: a save where the window saves,
/// or a Save As to a new place.
pub(super) enum Written {
    Save(Box<crate::session::Saved>),
    SaveAs(Box<crate::session::SavedAs>),
}

impl AfterSave {
    /// What the status bar says while it waits.
    pub fn status(&self) -> &'static str {
        match self {
            AfterSave::Close => "Saving… Gloss closes when your annotations are saved",
            AfterSave::Show(..) | AfterSave::Switch(_) => {
                "Saving… the other document opens when your annotations are saved"
            }
            AfterSave::SaveAs(_) => "Saving… then saving to the new place",
        }
    }
}

impl GlossApp {
    /// Saves before closing: the window says "saving…" and closes once the
    /// save is done, never dropping it; asks if it fails.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        self.session.seal_history();
        let unsaved = self.session.dirty() && self.session.read_only().is_none();
        if unsaved || self.saving.is_some() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.session.sidecar_path().is_none() {
                self.confirm_quit = true;
                return;
            }
            self.after_save = Some(AfterSave::Close);
            self.save_now();
            return;
        }
        self.before_closing();
    }

    /// What goes to the project file is written before the window goes.
    fn before_closing(&mut self) {
        if let Some(d) = &mut self.documents {
            d.save_memo(true);
            d.finish_writes();
        }
        for write in self.project_writes.drain(..) {
            let _ = write.join();
        }
    }

    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.pending_change) {
            self.last_change = Some(ctx.input(|i| i.time));
            self.save_failed = false;
        }
        if !self.session.dirty() || self.save_failed || self.session.read_only().is_some() {
            return;
        }
        let now = ctx.input(|i| i.time);
        let since = now - self.last_change.unwrap_or(now);
        if since >= AUTOSAVE_SECS {
            self.save_now();
        } else {
            ctx.request_repaint_after(Duration::from_secs_f64(AUTOSAVE_SECS - since + 0.01));
        }
    }

    /// Starts a save on another thread (Ctrl+S, autosave, before switching
    /// or closing), so the window keeps painting however many annotations
    /// there are and whatever another program wrote; one already running
    /// is followed by another when it is done. A failure is shown with a
    /// way out.
    pub fn save_now(&mut self) {
        if self.saving.is_some() {
            self.save_again = true;
            return;
        }
        if self.session.sidecar_path().is_none()
            && self.session.dirty()
            && self.session.read_only().is_none()
        {
            self.save_failed = true;
            self.notices.push_with(
                Level::Warning,
                "These annotations have no file to be saved in yet.",
                Some(("Save As…".into(), Command::SaveAs)),
            );
            self.after_save_failed();
            return;
        }
        match self.session.save_job() {
            Some(job) => {
                let what = format!("Saving {} annotations", job.len());
                self.saving = Some(super::jobs::Job::start(what, &self.ctx, move || {
                    Written::Save(Box::new(job.run()))
                }));
            }
            None => self.after_save_done(),
        }
    }

    /// Takes in a finished background save.
    pub(super) fn finish_save(&mut self, saved: crate::session::Saved) {
        use crate::session::SaveOutcome;
        match self.session.finish_save(saved) {
            Ok(SaveOutcome::Saved(merged)) => {
                self.save_failed = false;
                self.sync_project();
                if let Some(report) = merged.filter(|r| !r.is_empty()) {
                    self.notices.push(
                        Level::Info,
                        format!(
                            "Another program changed the annotation file; its changes were merged with yours: {report}."
                        ),
                    );
                    self.forget_gone_selection();
                }
                if std::mem::take(&mut self.save_again) && self.session.dirty() {
                    return self.save_now();
                }
                self.after_save_done();
            }
            // Another program wrote during the save, or edits made
            // meanwhile are to be merged with what was written.
            Ok(SaveOutcome::Again) => {
                self.save_again = false;
                self.save_now();
            }
            Err(e) => self.save_error(e),
        }
    }

    /// A save thread that died: the session stays dirty, and the next
    /// autosave tries again.
    pub(super) fn save_thread_died(&mut self) {
        self.save_error(crate::sidecar::SidecarError::Encode(
            "the saving thread stopped".into(),
        ));
    }

    /// The selected annotation may have gone with a merge or reload.
    pub(super) fn forget_gone_selection(&mut self) {
        if self
            .selected
            .as_ref()
            .is_some_and(|id| self.session.annotation(id).is_none())
        {
            self.selected = None;
        }
    }

    fn save_error(&mut self, e: crate::sidecar::SidecarError) {
        self.save_failed = true;
        self.save_again = false;
        self.notices.push_with(
            Level::Error,
            format!("Annotations not saved: {e}."),
            Some(("Save As…".into(), Command::SaveAs)),
        );
        self.after_save_failed();
    }

    /// The save is done: what waited for it goes ahead.
    fn after_save_done(&mut self) {
        if matches!(self.after_save, Some(AfterSave::SaveAs(_))) {
            if let Some(AfterSave::SaveAs(path)) = self.after_save.take() {
                self.save_as_to(&path);
            }
            return;
        }
        if self.session.dirty() && self.session.read_only().is_none() {
            // Changed again meanwhile: that goes out first.
            if self.after_save.is_some() {
                self.save_now();
            }
            return;
        }
        match self.after_save.take() {
            Some(AfterSave::Show(path, session)) => self.show_opened(&path, *session),
            Some(AfterSave::Switch(path)) => {
                self.switch_to_parked(&path);
            }
            // Asked again: with nothing left to save, the close goes ahead.
            Some(AfterSave::Close) => self.ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Some(AfterSave::SaveAs(path)) => self.save_as_to(&path),
            None => {}
        }
    }

    /// The save failed: what waited for it does not happen.
    fn after_save_failed(&mut self) {
        match self.after_save.take() {
            Some(AfterSave::Show(path, _)) | Some(AfterSave::Switch(path)) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.notices.push(
                    Level::Error,
                    format!(
                        "{} stays open until its annotations are saved; {name} was not opened.",
                        self.session.doc().name
                    ),
                );
            }
            Some(AfterSave::Close) => self.confirm_quit = true,
            // Save As needs no earlier save to land: it writes everything.
            Some(AfterSave::SaveAs(path)) => self.save_as_to(&path),
            None => {}
        }
    }

    /// Waits for a background save (only where the window has not been
    /// shown yet, as when a document is opened at start-up).
    pub(super) fn settle_save(&mut self) {
        match self.saving.take().and_then(super::jobs::Job::wait) {
            Some(Written::Save(saved)) => self.finish_save(*saved),
            Some(Written::SaveAs(saved)) => self.finish_save_as(*saved),
            None => {}
        }
    }

    pub(super) fn save_as_dialog(&mut self) {
        // Never offer the file that could not be read: it is the one to repair.
        let name = if self.session.unreadable().is_some() {
            format!(
                "{}.recovered{}",
                self.session.doc().name,
                crate::sidecar::SUFFIX
            )
        } else {
            format!("{}{}", self.session.doc().name, crate::sidecar::SUFFIX)
        };
        let dir = self.beside_document();
        let dialog = rfd::FileDialog::new()
            .set_file_name(&name)
            .add_filter("Gloss annotations", &["ron"])
            .set_directory(&dir);
        // Where no dialog can be shown, the path is typed instead.
        let purpose = super::path_prompt::Purpose::SaveAs;
        self.pick(purpose, dir.join(&name), || dialog.save_file());
    }

    /// Saves the annotations to `path` and keeps saving there (the
    /// session refuses documents, other documents' annotation files,
    /// backups, the project file and an unreadable sidecar).
    pub(super) fn save_as_to(&mut self, path: &std::path::Path) {
        if self.saving.is_some() {
            // After the save to the old place lands, so the two never cross.
            self.after_save = Some(AfterSave::SaveAs(path.to_path_buf()));
            self.save_again = false;
            return;
        }
        // Written on another thread like every save; the window goes on
        // painting and says "Saving…" meanwhile.
        let job = self.session.save_as_job(path);
        let what = format!("Saving annotations to {}", path.display());
        self.saving = Some(super::jobs::Job::start(what, &self.ctx, move || {
            Written::SaveAs(Box::new(job.run()))
        }));
    }

    /// Takes in a finished Save As.
    pub(super) fn finish_save_as(&mut self, saved: crate::session::SavedAs) {
        let path = saved.path().to_path_buf();
        match self.session.finish_save_as(saved) {
            Ok(()) => {
                self.save_failed = false;
                let msg = format!("Annotations saved to {}.", path.display());
                self.notices.push(Level::Info, msg);
                if std::mem::take(&mut self.save_again) && self.session.dirty() {
                    return self.save_now();
                }
                self.after_save_done();
            }
            Err(e) => {
                let msg = format!("Annotations not saved: {e}.");
                self.notices.push(Level::Error, msg);
                self.after_save_failed();
            }
        }
    }
}
