//! The window's side of saving and living with other programs: it hands
//! the session to the [`DocumentController`] (which owns the state
//! machine: autosave, save and Save As jobs, what waits for them, outside
//! changes) and acts on what comes back; the Save As dialog; closing.

use crate::ui::app::GlossApp;
use crate::ui::document::{AfterSave, DocumentController, Event};
use std::time::Duration;

impl GlossApp {
    /// Runs `f` on the controller with the session, then does what it
    /// asked of the window.
    fn on_disk<R>(
        &mut self,
        f: impl FnOnce(&mut DocumentController, &mut crate::session::Session, &egui::Context) -> R,
    ) -> R {
        let ctx = self.ctx.clone();
        let r = f(&mut self.disk, &mut self.session, &ctx);
        for event in self.disk.take_events() {
            self.on_disk_event(event);
        }
        r
    }

    fn on_disk_event(&mut self, event: Event) {
        match event {
            Event::Notice(level, text, action) => self.notices.push_with(level, text, action),
            Event::Saved => self.sync_project(),
            Event::SelectionMayBeGone => self.forget_gone_selection(),
            Event::Reloaded => self.reader.reset(),
            Event::Show(path, session) => self.show_opened(&path, *session),
            Event::Switch(path) => {
                self.switch_to_parked(&path);
            }
            Event::Close => self.ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Event::AskQuit => self.confirm_quit = true,
        }
    }

    /// Saves before closing: the window says "saving…" and closes once the
    /// save is done, never dropping it; asks if it fails.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        self.session.seal_history();
        let unsaved = self.session.dirty() && self.session.read_only().is_none();
        if unsaved || self.disk.is_saving() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            // Nowhere to save, and no Save As on its way there: ask.
            if self.session.sidecar_path().is_none() && !self.disk.is_saving() {
                self.confirm_quit = true;
                return;
            }
            self.after_save(AfterSave::Close);
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

    /// `then` happens once the annotations are saved.
    pub(super) fn after_save(&mut self, then: AfterSave) {
        self.on_disk(|disk, session, ctx| disk.after_save(then, session, ctx));
    }

    /// Saves a second after the last change.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.on_disk(|disk, session, ctx| disk.autosave(session, now, ctx));
    }

    /// Starts a save on another thread (Ctrl+S, and what autosave does).
    pub fn save_now(&mut self) {
        self.on_disk(|disk, session, ctx| disk.save_now(session, ctx));
    }

    /// Saves the annotations to `path` and keeps saving there.
    pub(super) fn save_as_to(&mut self, path: &std::path::Path) {
        self.on_disk(|disk, session, ctx| disk.save_as(path, session, ctx));
    }

    /// Waits for a background save (only where the window has not been
    /// shown yet, as when a document is opened at start-up).
    pub(super) fn settle_save(&mut self) {
        self.on_disk(|disk, session, ctx| disk.settle(session, ctx));
    }

    /// Looks for changes other programs made to the document or its
    /// annotation file.
    pub(super) fn watch_outside(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.on_disk(|disk, session, ctx| disk.watch(session, now, ctx));
    }

    /// Takes in what background jobs finished.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        self.on_disk(|disk, session, ctx| disk.poll(session, ctx));
        if let Some(job) = &self.exchanging {
            match job.poll() {
                Some(done) => {
                    self.exchanging = None;
                    self.exchange_done(done);
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
    }

    /// The selected annotation may have gone with a merge or reload.
    fn forget_gone_selection(&mut self) {
        if self
            .selected
            .as_ref()
            .is_some_and(|id| self.session.annotation(id).is_none())
        {
            self.selected = None;
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
        let purpose = crate::ui::path_prompt::Purpose::SaveAs;
        self.pick(purpose, dir.join(&name), || dialog.save_file());
    }
}
