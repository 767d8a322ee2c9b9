//! The shown document's life with the disk, as one state machine: when to
//! autosave, the save and Save As jobs (every write runs on another
//! thread), what waits for a save to land (showing another document,
//! switching, closing), noticing other programs' changes and taking in the
//! re-reads. The window hands it the session and the clock and acts on the
//! [`Event`]s it returns; it never draws, and `GlossApp` keeps no part of
//! this state.

use crate::session::{OutsideChecked, SaveOutcome, Saved, SavedAs, Session, SidecarReloaded};
use crate::ui::command::Command;
use crate::ui::jobs::{Job, Poll, Reload};
use crate::ui::notices::Level;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Seconds of quiet after a change before it is saved.
const AUTOSAVE_SECS: f64 = 1.0;

/// How often files are checked for changes made by other programs.
const WATCH_SECS: f64 = 1.0;

/// What waits for the running save to finish: the window never blocks on
/// a file, so opening another document, switching to a parked one and
/// closing the window happen once the annotations are safely written.
pub(crate) enum AfterSave {
    Show(PathBuf, Box<Session>),
    Switch(PathBuf),
    SaveAs(PathBuf),
    Close,
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

/// What a background write brings back: a save where the window saves,
/// or a Save As to a new place.
pub(crate) enum Written {
    Save(Box<Saved>),
    SaveAs(Box<SavedAs>),
}

/// What the window is to do after the controller did its part.
pub(crate) enum Event {
    Notice(Level, String, Option<(String, Command)>),
    /// The annotations are on disk: the project file may take the codebook.
    Saved,
    /// A merge or reload may have taken the selected annotation away.
    SelectionMayBeGone,
    /// The document was re-read: the view lays it out again.
    Reloaded,
    /// What waited for the save: show this opened document…
    Show(PathBuf, Box<Session>),
    /// …switch to this parked one…
    Switch(PathBuf),
    /// …or close the window.
    Close,
    /// Closing waited for a save that failed: ask what to do.
    AskQuit,
}

#[derive(Default)]
pub(crate) struct DocumentController {
    /// When the last unsaved change happened (egui time, seconds).
    last_change: Option<f64>,
    /// A change happened outside a command (an import): the autosave clock
    /// starts at the next frame.
    pending_change: bool,
    /// Autosave stops retrying after a failure until the next change.
    save_failed: bool,
    saving: Option<Job<Written>>,
    /// Another save was asked for while one ran.
    save_again: bool,
    after_save: Option<AfterSave>,
    /// The annotation file, changed by another program, being re-read.
    sidecar_reload: Option<Job<SidecarReloaded>>,
    /// The document, changed by another program, being re-read.
    reload: Option<Reload>,
    /// When files were last checked for outside changes (egui time).
    last_watch: f64,
    /// The look at the files running on another thread (a file whose
    /// time moved is read and hashed there, never on the window's).
    looking: Option<Job<OutsideChecked>>,
    events: Vec<Event>,
}

impl DocumentController {
    /// What happened since last asked, in order.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    fn notice(&mut self, level: Level, text: impl Into<String>) {
        self.events.push(Event::Notice(level, text.into(), None));
    }

    fn notice_with_save_as(&mut self, level: Level, text: impl Into<String>) {
        let action = Some(("Save As…".into(), Command::SaveAs));
        self.events.push(Event::Notice(level, text.into(), action));
    }

    pub fn is_busy(&self) -> bool {
        self.reload.is_some() || self.saving.is_some() || self.sidecar_reload.is_some()
    }

    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    pub fn save_failed(&self) -> bool {
        self.save_failed
    }

    /// What the status bar says about work in progress, if anything.
    pub fn status(&self) -> Option<String> {
        let waiting = self.after_save.as_ref().map(|a| a.status().to_string());
        waiting
            .or_else(|| self.reload.as_ref().and_then(|r| r.status()))
            .or_else(|| self.saving.as_ref().and_then(|s| s.status()))
    }

    /// Another document is shown (its saves were settled first): a re-read
    /// of the last one no longer applies, and its failure is not this one's.
    pub fn shown(&mut self) {
        self.reload = None;
        self.looking = None;
        self.save_failed = false;
    }

    /// A command changed the session at `now`.
    pub fn changed_at(&mut self, now: f64) {
        self.last_change = Some(now);
        self.save_failed = false;
    }

    /// A change made outside a command: the autosave clock starts at the
    /// next frame.
    pub fn mark_changed(&mut self) {
        self.pending_change = true;
    }

    /// Saves a second after the last change.
    pub fn autosave(&mut self, session: &mut Session, now: f64, ctx: &egui::Context) {
        if std::mem::take(&mut self.pending_change) {
            self.changed_at(now);
        }
        if !session.dirty() || self.save_failed || session.read_only().is_some() {
            return;
        }
        let since = now - self.last_change.unwrap_or(now);
        if since >= AUTOSAVE_SECS {
            self.save_now(session, ctx);
        } else {
            ctx.request_repaint_after(Duration::from_secs_f64(AUTOSAVE_SECS - since + 0.01));
        }
    }

    /// `then` happens once the annotations are saved (now, if nothing is
    /// unsaved and no save runs).
    pub fn after_save(&mut self, then: AfterSave, session: &mut Session, ctx: &egui::Context) {
        self.after_save = Some(then);
        self.save_now(session, ctx);
    }

    /// Starts a save on another thread (Ctrl+S, autosave, before switching
    /// or closing), so the window keeps painting however many annotations
    /// there are and whatever another program wrote; one already running
    /// is followed by another when it is done. A failure is shown with a
    /// way out.
    pub fn save_now(&mut self, session: &mut Session, ctx: &egui::Context) {
        if self.saving.is_some() {
            self.save_again = true;
            return;
        }
        if session.sidecar_path().is_none() && session.dirty() && session.read_only().is_none() {
            self.save_failed = true;
            self.notice_with_save_as(
                Level::Warning,
                "These annotations have no file to be saved in yet.",
            );
            self.after_save_failed(session, ctx);
            return;
        }
        match session.save_job() {
            Some(job) => {
                let what = format!("Saving {} annotations", job.len());
                self.saving = Some(Job::start(what, ctx, move || {
                    Written::Save(Box::new(job.run()))
                }));
            }
            None => self.after_save_done(session, ctx),
        }
    }

    /// Saves the annotations to `path` and keeps saving there, on another
    /// thread (the session's job refuses documents, other documents'
    /// annotation files, backups, the project file and an unreadable
    /// sidecar).
    pub fn save_as(&mut self, path: &Path, session: &mut Session, ctx: &egui::Context) {
        if self.saving.is_some() {
            // After the save to the old place lands, so the two never cross.
            self.after_save = Some(AfterSave::SaveAs(path.to_path_buf()));
            self.save_again = false;
            return;
        }
        let job = session.save_as_job(path);
        let what = format!("Saving annotations to {}", path.display());
        self.saving = Some(Job::start(what, ctx, move || {
            Written::SaveAs(Box::new(job.run()))
        }));
    }

    /// Waits for a background save (only where the window has not been
    /// shown yet, as when a document is opened at start-up).
    pub fn settle(&mut self, session: &mut Session, ctx: &egui::Context) {
        // Finishing one write may start the next (a save asked for
        // meanwhile, a Save As that waited): all of them land here.
        while let Some(job) = self.saving.take() {
            if let Some(written) = job.wait() {
                self.finish(written, session, ctx);
            }
        }
    }

    fn finish(&mut self, written: Written, session: &mut Session, ctx: &egui::Context) {
        match written {
            Written::Save(saved) => self.finish_save(*saved, session, ctx),
            Written::SaveAs(saved) => self.finish_save_as(*saved, session, ctx),
        }
    }

    fn finish_save(&mut self, saved: Saved, session: &mut Session, ctx: &egui::Context) {
        match session.finish_save(saved) {
            Ok(SaveOutcome::Saved(merged)) => {
                self.save_failed = false;
                self.events.push(Event::Saved);
                if let Some(report) = merged.filter(|r| !r.is_empty()) {
                    self.notice(
                        Level::Info,
                        format!(
                            "Another program changed the annotation file; its changes were merged with yours: {report}."
                        ),
                    );
                    self.events.push(Event::SelectionMayBeGone);
                }
                if std::mem::take(&mut self.save_again) && session.dirty() {
                    return self.save_now(session, ctx);
                }
                self.after_save_done(session, ctx);
            }
            // Another program wrote during the save, or edits made
            // meanwhile are to be merged with what was written.
            Ok(SaveOutcome::Again) => {
                self.save_again = false;
                self.save_now(session, ctx);
            }
            Err(e) => self.save_error(e, session, ctx),
        }
    }

    fn finish_save_as(&mut self, saved: SavedAs, session: &mut Session, ctx: &egui::Context) {
        let path = saved.path().to_path_buf();
        match session.finish_save_as(saved) {
            Ok(()) => {
                self.save_failed = false;
                self.notice(
                    Level::Info,
                    format!("Annotations saved to {}.", path.display()),
                );
                if std::mem::take(&mut self.save_again) && session.dirty() {
                    return self.save_now(session, ctx);
                }
                self.after_save_done(session, ctx);
            }
            Err(e) => {
                self.notice(Level::Error, format!("Annotations not saved: {e}."));
                self.after_save_failed(session, ctx);
            }
        }
    }

    fn save_error(
        &mut self,
        e: crate::sidecar::SidecarError,
        session: &mut Session,
        ctx: &egui::Context,
    ) {
        self.save_failed = true;
        self.save_again = false;
        self.notice_with_save_as(Level::Error, format!("Annotations not saved: {e}."));
        self.after_save_failed(session, ctx);
    }

    /// The save is done: what waited for it goes ahead.
    fn after_save_done(&mut self, session: &mut Session, ctx: &egui::Context) {
        if let Some(AfterSave::SaveAs(path)) = &self.after_save {
            let path = path.clone();
            self.after_save = None;
            return self.save_as(&path, session, ctx);
        }
        if session.dirty() && session.read_only().is_none() {
            // Changed again meanwhile: that goes out first.
            if self.after_save.is_some() {
                self.save_now(session, ctx);
            }
            return;
        }
        match self.after_save.take() {
            Some(AfterSave::Show(path, opened)) => self.events.push(Event::Show(path, opened)),
            Some(AfterSave::Switch(path)) => self.events.push(Event::Switch(path)),
            // Asked again: with nothing left to save, the close goes ahead.
            Some(AfterSave::Close) => self.events.push(Event::Close),
            Some(AfterSave::SaveAs(path)) => self.save_as(&path, session, ctx),
            None => {}
        }
    }

    /// The save failed: what waited for it does not happen.
    fn after_save_failed(&mut self, session: &mut Session, ctx: &egui::Context) {
        match self.after_save.take() {
            Some(AfterSave::Show(path, _)) | Some(AfterSave::Switch(path)) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.notice(
                    Level::Error,
                    format!(
                        "{} stays open until its annotations are saved; {name} was not opened.",
                        session.doc().name
                    ),
                );
            }
            Some(AfterSave::Close) => self.events.push(Event::AskQuit),
            // Save As needs no earlier save to land: it writes everything.
            Some(AfterSave::SaveAs(path)) => self.save_as(&path, session, ctx),
            None => {}
        }
    }

    /// Looks once a second for changes other programs made to the document
    /// or the sidecar (another window, `gloss import`, `git pull`, a sync
    /// client). Polling, not file events: it also works on network and
    /// synced folders, and costs two `stat`s a second.
    pub fn watch(&mut self, session: &mut Session, now: f64, ctx: &egui::Context) {
        // Our own save in progress changes the file: look after it is done.
        if now >= self.last_watch + WATCH_SECS && self.saving.is_none() && self.looking.is_none() {
            self.last_watch = now;
            let check = session.outside_check();
            self.looking = Some(Job::start(
                "Looking for changes made elsewhere",
                ctx,
                move || check.run(),
            ));
        }
        // egui forgets a requested delay after each pass: every pass asks
        // again, or an idle window (no input) would never look.
        let due = self.last_watch + WATCH_SECS - now;
        ctx.request_repaint_after(Duration::from_secs_f64(due.clamp(0.05, WATCH_SECS)));
    }

    fn look_outside(
        &mut self,
        checked: OutsideChecked,
        session: &mut Session,
        ctx: &egui::Context,
    ) {
        if self.saving.is_some() {
            // A save started meanwhile: its own check decides.
            return;
        }
        let outside = session.finish_outside_check(checked);
        if outside.document
            && self.reload.is_none()
            && let Some(job) = session.reload_job()
        {
            self.reload = Some(Reload::start(job, ctx));
        }
        // After a failed save or read, the user acts first (Save As, a fix
        // of the file): looking again each second would only fail again.
        if outside.sidecar && self.sidecar_reload.is_none() && !self.save_failed {
            if session.dirty() {
                // The save merges the other program's version with these
                // unsaved changes, on another thread, and says what came in.
                self.save_now(session, ctx);
            } else if let Some(job) = session.sidecar_reload_job() {
                self.sidecar_reload = Some(Job::start(
                    "Reading the changed annotation file",
                    ctx,
                    move || job.run(),
                ));
            }
        }
    }

    /// Takes in what background work finished.
    pub fn poll(&mut self, session: &mut Session, ctx: &egui::Context) {
        if let Some(job) = &self.looking
            && let Some(done) = job.poll()
        {
            self.looking = None;
            if let Some(checked) = done {
                self.look_outside(checked, session, ctx);
            }
        }
        if let Some(saving) = &self.saving {
            match saving.poll() {
                Some(written) => {
                    self.saving = None;
                    match written {
                        Some(written) => self.finish(written, session, ctx),
                        None => {
                            let e = crate::sidecar::SidecarError::Encode(
                                "the saving thread stopped".into(),
                            );
                            self.save_error(e, session, ctx);
                        }
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
                        self.finish_sidecar_reload(done, session, ctx);
                    }
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        self.poll_reload(session, ctx);
    }

    /// Takes in the annotation file another program changed, re-read on
    /// another thread.
    fn finish_sidecar_reload(
        &mut self,
        done: SidecarReloaded,
        session: &mut Session,
        ctx: &egui::Context,
    ) {
        match session.finish_sidecar_reload(done) {
            Ok(Some(r)) => {
                let text = if r.is_empty() {
                    "Another program changed the annotation file; the annotations were reloaded."
                        .into()
                } else {
                    format!(
                        "The annotation file changed on disk (a git pull, or another program) and was reloaded: {r}."
                    )
                };
                self.notice(Level::Info, text);
                self.events.push(Event::SelectionMayBeGone);
            }
            // Edited here meanwhile: the save merges the two.
            Ok(None) if session.dirty() => self.save_now(session, ctx),
            Ok(None) => {}
            Err(e) => {
                self.save_failed = true;
                self.notice_with_save_as(Level::Error, format!("{e}."));
            }
        }
    }

    fn poll_reload(&mut self, session: &mut Session, ctx: &egui::Context) {
        let Some(reload) = &self.reload else {
            return;
        };
        let finished = match reload.poll() {
            Poll::Running => {
                ctx.request_repaint_after(Duration::from_millis(100));
                return;
            }
            Poll::Finished(result) => result,
        };
        self.reload = None;
        match *finished {
            Ok(done) => {
                let report = done.report;
                if !session.finish_reload(done) {
                    // Annotations changed meanwhile: place the new ones.
                    if let Some(job) = session.reload_job() {
                        self.reload = Some(Reload::start(job, ctx));
                    }
                    return;
                }
                self.events.push(Event::Reloaded);
                let msg = format!(
                    "{} was changed by another program and was reloaded: {report}.",
                    session.doc().name
                );
                let flagged = report.orphaned + report.fuzzy > 0;
                let level = if flagged { Level::Warning } else { Level::Info };
                let action = flagged.then(|| ("Review".to_string(), Command::NextFlagged));
                self.events.push(Event::Notice(level, msg, action));
                if session.dirty() {
                    self.mark_changed();
                }
            }
            Err(e) => self.notice(
                Level::Warning,
                format!(
                    "The document changed on disk but could not be read again: {e}. The version shown is the one read before."
                ),
            ),
        }
    }
}
