//! Living with other programs: noticing changes they made to the open
//! document or its annotation file, and taking in background re-reads.

use super::app::GlossApp;
use super::command::Command;
use super::notices::Level;
use std::time::Duration;

/// How often files are checked for changes made by other programs.
const WATCH_SECS: f64 = 1.0;

impl GlossApp {
    /// Looks once a second for changes other programs made to the document
    /// or the sidecar (another window, `gloss import`, `git pull`, a sync
    /// client). Polling, not file events: it also works on network and
    /// synced folders, and costs two `stat`s a second.
    pub(super) fn watch_outside(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        // Our own save in progress changes the file: look after it is done.
        if now >= self.last_watch + WATCH_SECS && self.saving.is_none() {
            self.last_watch = now;
            self.look_outside(ctx);
        }
        // egui forgets a requested delay after each pass: every pass asks
        // again, or an idle window (no input) would never look.
        let due = self.last_watch + WATCH_SECS - now;
        ctx.request_repaint_after(Duration::from_secs_f64(due.clamp(0.05, WATCH_SECS)));
    }

    fn look_outside(&mut self, ctx: &egui::Context) {
        let outside = self.session.outside_changes();
        if outside.document
            && self.reload.is_none()
            && let Some(job) = self.session.reload_job()
        {
            self.reload = Some(super::jobs::Reload::start(job, ctx));
        }
        // After a failed save or read, the user acts first (Save As, a fix
        // of the file): looking again each second would only fail again.
        if outside.sidecar && self.sidecar_reload.is_none() && !self.save_failed {
            if self.session.dirty() {
                // The save merges the other program's version with these
                // unsaved changes, on another thread, and says what came in.
                self.save_now();
            } else if let Some(job) = self.session.sidecar_reload_job() {
                self.sidecar_reload = Some(super::jobs::Job::start(
                    "Reading the changed annotation file",
                    ctx,
                    move || job.run(),
                ));
            }
        }
    }

    /// Takes in the annotation file another program changed, re-read on
    /// another thread.
    fn finish_sidecar_reload(&mut self, done: crate::session::SidecarReloaded) {
        match self.session.finish_sidecar_reload(done) {
            Ok(Some(r)) => {
                let text = if r.is_empty() {
                    "Another program changed the annotation file; the annotations were reloaded."
                        .into()
                } else {
                    format!(
                        "The annotation file changed on disk (a git pull, or another program) and was reloaded: {r}."
                    )
                };
                self.notices.push(Level::Info, text);
                self.forget_gone_selection();
            }
            // Edited here meanwhile: the save merges the two.
            Ok(None) if self.session.dirty() => self.save_now(),
            Ok(None) => {}
            Err(e) => {
                self.save_failed = true;
                self.notices.push_with(
                    Level::Error,
                    format!("{e}."),
                    Some(("Save As…".into(), Command::SaveAs)),
                );
            }
        }
    }

    /// Takes in what background jobs finished.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(saving) = &self.saving {
            match saving.poll() {
                Some(saved) => {
                    self.saving = None;
                    match saved {
                        Some(super::saving::Written::Save(saved)) => self.finish_save(*saved),
                        Some(super::saving::Written::SaveAs(saved)) => self.finish_save_as(*saved),
                        None => self.save_thread_died(),
                    }
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        if let Some(job) = &self.sidecar_reload {
            match job.poll() {
                Some(done) => {
                    self.sidecar_reload = None;
                    if let Some(done) = done {
                        self.finish_sidecar_reload(done);
                    }
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        if let Some(job) = &self.exchanging {
            match job.poll() {
                Some(done) => {
                    self.exchanging = None;
                    self.exchange_done(done);
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        let Some(reload) = &self.reload else {
            return;
        };
        let finished = match reload.poll() {
            super::jobs::Poll::Running => {
                ctx.request_repaint_after(Duration::from_millis(100));
                return;
            }
            super::jobs::Poll::Finished(result) => result,
        };
        self.reload = None;
        match *finished {
            Ok(done) => {
                let report = done.report;
                if !self.session.finish_reload(done) {
                    // Annotations changed meanwhile: place the new ones.
                    if let Some(job) = self.session.reload_job() {
                        self.reload = Some(super::jobs::Reload::start(job, ctx));
                    }
                    return;
                }
                self.reader.reset();
                let msg = format!(
                    "{} was changed by another program and was reloaded: {report}.",
                    self.session.doc().name
                );
                let flagged = report.orphaned + report.fuzzy > 0;
                let level = if flagged { Level::Warning } else { Level::Info };
                let action = flagged.then(|| ("Review".to_string(), Command::NextFlagged));
                self.notices.push_with(level, msg, action);
                if self.session.dirty() {
                    self.mark_changed();
                }
            }
            Err(e) => self.notices.push(
                Level::Warning,
                format!(
                    "The document changed on disk but could not be read again: {e}. The version shown is the one read before."
                ),
            ),
        }
    }
}
