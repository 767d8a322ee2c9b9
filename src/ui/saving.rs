//! Saving from the window: autosave a second after the last change on
//! another thread, Ctrl+S, Save As, what a failed save shows, and saving
//! before the window closes.

use super::app::GlossApp;
use super::command::Command;
use super::notices::Level;
use std::time::Duration;

/// Seconds of quiet after a change before it is saved.
const AUTOSAVE_SECS: f64 = 1.0;

impl GlossApp {
    /// Saves before closing; asks if that fails.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        self.session.history.seal();
        if self.session.dirty && self.session.read_only.is_none() {
            self.save_now();
            if self.session.dirty {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.confirm_quit = true;
            }
        }
        // What goes to the project file is written before the window goes.
        if let Some(d) = &mut self.documents {
            d.save_memo(true);
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
        if !self.session.dirty || self.save_failed || self.session.read_only.is_some() {
            return;
        }
        let now = ctx.input(|i| i.time);
        let since = now - self.last_change.unwrap_or(now);
        if since >= AUTOSAVE_SECS {
            self.save_in_background(ctx);
        } else {
            ctx.request_repaint_after(Duration::from_secs_f64(AUTOSAVE_SECS - since + 0.01));
        }
    }

    /// Autosaves on another thread, so the window keeps painting however
    /// many annotations there are; a save still running is left to finish.
    fn save_in_background(&mut self, ctx: &egui::Context) {
        if self.saving.is_some() {
            return;
        }
        if self.session.sidecar_path.is_none() {
            return self.save_now();
        }
        if let Some(job) = self.session.save_job() {
            let what = format!("Saving {} annotations", job.len());
            self.saving = Some(super::jobs::Job::start(what, ctx, move || job.run()));
        }
    }

    /// Takes in a finished background save.
    pub(super) fn finish_save(&mut self, saved: crate::session::Saved) {
        match self.session.finish_save(saved) {
            Ok(true) => {
                self.save_failed = false;
                self.sync_project();
            }
            // Another program changed the file meanwhile: save again, merging.
            Ok(false) => self.save_now(),
            Err(e) => self.save_error(e),
        }
    }

    fn save_error(&mut self, e: crate::sidecar::SidecarError) {
        self.save_failed = true;
        self.notices.push_with(
            Level::Error,
            format!("Annotations not saved: {e}."),
            Some(("Save As…".into(), Command::SaveAs)),
        );
    }

    /// Waits for a background save, so nothing else writes the file at
    /// the same time and the session knows what is on disk.
    pub(super) fn settle_save(&mut self) {
        if let Some(saved) = self.saving.take().and_then(super::jobs::Job::wait) {
            match self.session.finish_save(saved) {
                Ok(_) => self.sync_project(),
                Err(e) => self.save_error(e),
            }
        }
    }

    /// Saves now; a failure is shown with a way out.
    pub fn save_now(&mut self) {
        self.settle_save();
        if self.session.sidecar_path.is_none()
            && self.session.dirty
            && self.session.read_only.is_none()
        {
            self.save_failed = true;
            self.notices.push_with(
                Level::Warning,
                "These annotations have no file to be saved in yet.",
                Some(("Save As…".into(), Command::SaveAs)),
            );
            return;
        }
        match self.session.save() {
            Ok(merged) => {
                self.save_failed = false;
                self.sync_project();
                if let Some(report) = merged.filter(|r| !r.is_empty()) {
                    self.notices.push(
                        Level::Info,
                        format!(
                            "The annotation file was changed by another program; its changes were merged with yours: {report}."
                        ),
                    );
                }
            }
            Err(e) => self.save_error(e),
        }
    }

    pub(super) fn save_as_dialog(&mut self) {
        // Never offer the file that could not be read: it is the one to repair.
        let name = if self.session.unreadable.is_some() {
            format!(
                "{}.recovered{}",
                self.session.doc.name,
                crate::sidecar::SUFFIX
            )
        } else {
            format!("{}{}", self.session.doc.name, crate::sidecar::SUFFIX)
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
        match self.session.save_as(path) {
            Ok(()) => {
                self.save_failed = false;
                let msg = format!("Annotations saved to {}.", path.display());
                self.notices.push(Level::Info, msg);
            }
            Err(e) => {
                let msg = format!("Annotations not saved: {e}.");
                self.notices.push(Level::Error, msg);
            }
        }
    }
}
