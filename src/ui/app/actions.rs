//! Applying commands: the one place where the UI changes the session.

use crate::extract::ExtractError;
use crate::model::Document;
use crate::session::{CommandError, Session};
use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use crate::ui::notices::Level;
use crate::ui::path_prompt::Purpose;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

impl GlossApp {
    pub(super) fn run_queue(&mut self, ctx: &egui::Context) {
        let queue = std::mem::take(&mut self.queue);
        for command in queue {
            self.execute(ctx, command);
        }
    }

    /// Applies one command. Errors become notices; nothing panics.
    pub fn execute(&mut self, ctx: &egui::Context, command: Command) {
        // Every session edits under the user's name, whichever way it
        // became the shown one (opened, parked, reloaded, renamed user).
        if self.session.editor() != self.prefs.author {
            self.session.set_editor(&self.prefs.author);
        }
        if self.hold_for_consent(&command) {
            return;
        }
        let now = OffsetDateTime::now_utc();
        let author = self.prefs.author.clone();
        let result: Result<(), CommandError> = match command {
            Command::Annotate(tags) => self.annotate(ctx, tags),
            Command::UseTag(tag) => match (
                self.reader.selected_range(&self.session),
                self.selected.clone(),
            ) {
                (Some(_), _) => self.annotate(ctx, vec![tag]),
                (None, Some(id)) => self.session.toggle_tag(&id, &tag, now),
                (None, None) => Err(CommandError::EmptySelection),
            },
            Command::ToggleTag(id, tag) => self.session.toggle_tag(&id, &tag, now),
            Command::SetNote(id, note) => self.session.set_note(&id, &note, now),
            Command::SetMemo(text) => self.session.set_memo(&text),
            Command::SealUndo => {
                self.session.seal_history();
                Ok(())
            }
            Command::SetRange(id, range) => self.session.set_range(&id, range, now),
            Command::AttachToSelection(id) => match self.reader.selected_range(&self.session) {
                Some(r) => {
                    let done = self.session.set_range(&id, r, now);
                    self.reader.clear_selection();
                    done
                }
                None => Err(CommandError::EmptySelection),
            },
            Command::ConfirmReview(id) => self.session.confirm_review(&id, now),
            Command::NextFlagged => {
                let here = self
                    .selected
                    .as_ref()
                    .and_then(|id| self.session.annotation(id))
                    .map(|a| (a.start, a.id.clone()));
                let flagged = |a: &&crate::model::Annotation| a.is_orphaned() || a.needs_review();
                let set = &self.session.store().annotations;
                let next = set
                    .iter()
                    .filter(flagged)
                    .find(|a| {
                        here.as_ref()
                            .is_none_or(|(s, id)| (a.start, &a.id) > (*s, id))
                    })
                    .or_else(|| set.iter().find(flagged))
                    .map(|a| a.id.clone());
                match next {
                    Some(id) => self.reveal(ctx, id),
                    None => self
                        .notices
                        .push(Level::Info, "No annotation is orphaned or awaits review."),
                }
                Ok(())
            }
            Command::Export {
                format,
                path,
                force,
            } => {
                self.export_to(format, &path, force);
                Ok(())
            }
            Command::Delete(id) => {
                let done = self.session.delete(&id);
                if done.is_ok() && self.selected.as_ref() == Some(&id) {
                    self.selected = None;
                }
                done
            }
            Command::Select(id) => {
                self.session.seal_history();
                self.selected = id;
                Ok(())
            }
            Command::Reveal(id) => {
                self.reveal(ctx, id);
                Ok(())
            }
            Command::ShowRange(r) => {
                self.show_match(ctx, r);
                Ok(())
            }
            Command::TagAllInProject(tag) => {
                self.corpus.preview(tag);
                Ok(())
            }
            Command::UndoProjectTag(n) => {
                self.undo_project_tag(n);
                Ok(())
            }
            Command::Curate(c) => self.curate(ctx, c, now),
            Command::Next | Command::Previous
                if self.compare.open && self.compare.chosen.len() >= 2 =>
            {
                self.compare_step(ctx, command == Command::Next);
                Ok(())
            }
            Command::Next | Command::Previous => {
                let forward = command == Command::Next;
                let here = self
                    .selected
                    .as_ref()
                    .and_then(|id| self.session.annotation(id))
                    .map(|a| a.start)
                    .or_else(|| self.reader.selection.map(|s| s.head));
                let set = &self.session.store().annotations;
                let target = match (forward, here) {
                    (true, Some(o)) => set.next_after(o),
                    (true, None) => set.iter().find(|a| !a.is_orphaned()),
                    (false, Some(o)) => set.prev_before(o),
                    (false, None) => set.iter().rev().find(|a| !a.is_orphaned()),
                };
                if let Some(id) = target.map(|a| a.id.clone()) {
                    self.reveal(ctx, id);
                }
                Ok(())
            }
            Command::Nudge { start, forward } => self.nudge(start, forward, now),
            Command::ClearSelection => {
                self.reader.clear_selection();
                self.selected = None;
                Ok(())
            }
            Command::Copy => {
                if let Some(r) = self.reader.selected_range(&self.session) {
                    ctx.copy_text(self.session.doc().slice(r).to_string());
                }
                Ok(())
            }
            Command::Undo => {
                self.session.seal_history();
                self.session.undo().map(|_| ())
            }
            Command::Redo => self.session.redo().map(|_| ()),
            Command::UndoIn(key) => self.undo_in(&key, false),
            Command::RedoIn(key) => self.undo_in(&key, true),
            Command::Save => {
                self.save_now();
                Ok(())
            }
            Command::SaveAs => {
                self.save_as_dialog();
                Ok(())
            }
            Command::OpenDialog => {
                self.open_dialog();
                Ok(())
            }
            Command::Open(path) if path.is_dir() => {
                self.documents = Some(crate::ui::documents::DocumentsPanel::open(
                    &path,
                    self.cache_dir(),
                    ctx,
                ));
                self.prefs.add_recent(crate::storage::absolute(&path));
                Ok(())
            }
            Command::Open(path) => {
                if !self.switch_to_parked(&path) {
                    self.open_in_background(ctx, &path);
                }
                Ok(())
            }
            Command::OpenFolderDialog => {
                let here = self.beside_document();
                let dialog = rfd::FileDialog::new().set_directory(&here);
                self.pick(Purpose::OpenFolder, here, || dialog.pick_folder());
                Ok(())
            }
            Command::AddTag => self
                .session
                .add_tag()
                .map(|_| self.codebook_window.open = true),
            Command::RenameTag(code, name) => self.session.rename_tag(&code, &name, now),
            Command::EditTag(code, tag) => self.session.edit_tag(&code, tag),
            Command::DeleteTag(code) => self.session.delete_tag(&code, now),
            Command::ReparentTag(code, parent) => {
                self.session.reparent_tag(&code, parent.as_deref())
            }
            Command::MergeTags { from, into } => self.session.merge_tags(&from, &into, now),
            Command::SplitTag { code, name, moving } => {
                self.session.split_tag(&code, &name, &moving, now)
            }
            Command::BindKey(code, key) => self.session.bind_key(&code, key),
            Command::ShowPassages => {
                let selected = (self.selected.as_ref())
                    .and_then(|id| self.session.store().annotations.get(id))
                    .map(|a| a.tags.clone());
                self.passages.open_on(selected, self.session.codebook());
                Ok(())
            }
            Command::Find => {
                self.find.show();
                Ok(())
            }
            Command::FindNext | Command::FindPrevious => {
                if !self.find.open {
                    self.find.show();
                }
                if let Some(r) = self.find.step(command == Command::FindNext) {
                    self.show_match(ctx, r);
                }
                Ok(())
            }
            Command::CloseFind => {
                self.find.close();
                Ok(())
            }
            Command::TagAllMatches(tag) => {
                let ranges = self.find.matches.clone();
                self.session
                    .tag_all(&ranges, &tag, &author, now, false)
                    .map(|n| {
                        self.notices.push_undoable(
                            Level::Info,
                            format!(
                                "Tagged {n} of {} matches with “{tag}” (one undo step).",
                                ranges.len()
                            ),
                            self.session.undo_depth(),
                        )
                    })
            }
            Command::Merge {
                format,
                path,
                imported,
            } => match imported.take() {
                Some(imported) => self.merge_import(format, &path, imported),
                None => Ok(()),
            },
            Command::Zoom(step) => {
                self.prefs.zoom(step);
                Ok(())
            }
            Command::Quit => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                Ok(())
            }
        };
        match result {
            Ok(()) => {
                if self.session.dirty() {
                    self.disk.changed_at(ctx.input(|i| i.time));
                }
                // Drop a selection that points at a deleted annotation (e.g. after undo).
                if let Some(id) = &self.selected
                    && self.session.annotation(id).is_none()
                {
                    self.selected = None;
                }
            }
            Err(CommandError::EmptySelection) => {
                self.notices.push(
                    Level::Info,
                    "Select some text first: drag over it, or double-click a word.",
                );
            }
            // Why the document is read-only is shown above the text, with
            // what can be done: said once, not again with each refused key.
            Err(CommandError::ReadOnly(why)) if self.session.read_only().as_ref() == Some(&why) => {
                self.notices.push(
                    Level::Info,
                    "Nothing was changed: this document is read-only (why, and what you can \
                     do, is shown above the text).",
                );
            }
            Err(e) => self.notices.push(Level::Warning, e.to_string()),
        }
    }

    /// Starts the autosave clock after a change made outside `execute`.
    pub(super) fn mark_changed(&mut self) {
        self.disk.mark_changed();
    }

    fn annotate(&mut self, ctx: &egui::Context, tags: Vec<String>) -> Result<(), CommandError> {
        let range = self
            .reader
            .selected_range(&self.session)
            .ok_or(CommandError::EmptySelection)?;
        let id =
            self.session
                .annotate(range, tags, &self.prefs.author, OffsetDateTime::now_utc())?;
        self.reader.clear_selection();
        self.selected = Some(id);
        ctx.request_repaint();
        Ok(())
    }

    fn nudge(
        &mut self,
        start: bool,
        forward: bool,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let doc = &self.session.doc();
        let step = |o: usize| {
            if forward {
                doc.next_boundary(o)
            } else {
                doc.prev_boundary(o)
            }
        };
        if let Some(a) = self
            .selected
            .as_ref()
            .and_then(|id| self.session.annotation(id))
        {
            let r = a.range();
            let (s, e) = if start {
                (step(r.start).min(r.end), r.end)
            } else {
                (r.start, step(r.end).max(r.start))
            };
            if s >= e {
                return Ok(());
            }
            let id = a.id.clone();
            return self
                .session
                .set_range(&id, crate::model::CharRange::new(s, e), now);
        }
        if let Some(sel) = &mut self.reader.selection {
            sel.head = step(sel.head);
        }
        Ok(())
    }

    /// Selects a find match and scrolls to it, so a tag key tags it.
    pub(super) fn show_match(&mut self, ctx: &egui::Context, r: crate::model::CharRange) {
        self.selected = None;
        self.reader.selection = Some(crate::model::Selection {
            anchor: r.start,
            head: r.end,
        });
        self.reader.reveal(r.start, None, ctx.input(|i| i.time));
    }

    fn reveal(&mut self, ctx: &egui::Context, id: crate::model::AnnotationId) {
        self.session.seal_history();
        if let Some(a) = self.session.annotation(&id) {
            if !a.is_orphaned() {
                self.reader
                    .reveal(a.start, Some(id.clone()), ctx.input(|i| i.time));
            }
            // Said to a screen reader: which, of how many, and what.
            let set = &self.session.store().annotations;
            let n = set.position(&id).map_or(0, |i| i + 1);
            let page = (self.session.doc().structure().page_of(a.start))
                .map(|p| format!(", page {p}"))
                .unwrap_or_default();
            let said = format!(
                "Annotation {n} of {}{page}: {}",
                set.len(),
                crate::ui::reader::region_name(a)
            );
            self.reader.announce(said);
            self.selected = Some(id);
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(f) = dropped.first() {
            self.queue.push(Command::Open(f.path().to_path_buf()));
        }
    }

    fn open_dialog(&mut self) {
        let mut dialog = rfd::FileDialog::new()
            .add_filter("Documents", crate::extract::EXTENSIONS)
            .add_filter("Text and Markdown", &["txt", "text", "md", "markdown"])
            .add_filter("Word and OpenDocument", &["docx", "odt"])
            .add_filter(
                "PDF, EPUB and web pages",
                &["pdf", "epub", "html", "htm", "xhtml"],
            )
            .add_filter("All files", &["*"]);
        if let Some(dir) = self.session.path().as_ref().and_then(|p| p.parent()) {
            dialog = dialog.set_directory(dir);
        }
        let here = self.beside_document();
        self.pick(Purpose::Open, here, || dialog.pick_file());
    }

    /// Opens a document now (at start-up), saving the current one first.
    /// On failure the current document stays open and the user is told why.
    pub fn open(&mut self, path: &Path) -> bool {
        self.open_result(path, Session::open(path))
    }

    /// Opens a document on another thread (menu, recent files, drops): the
    /// window keeps painting, with progress in the status bar, and the
    /// current document stays usable until the new one is ready.
    pub(super) fn open_in_background(&mut self, ctx: &egui::Context, path: &Path) {
        self.opening = Some(crate::ui::jobs::Opening::start(path, ctx, None));
    }

    pub(super) fn poll_opening(&mut self, ctx: &egui::Context) {
        let Some(opening) = &self.opening else {
            return;
        };
        let Some(result) = opening.poll() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        };
        let path = opening.path.clone();
        self.opening = None;
        let opened = self.open_result(&path, result);
        if std::mem::take(&mut self.sample_if_open_fails) && !opened {
            self.fall_back_to_sample();
        }
    }

    /// Takes in an opened document; a protected PDF asks for its password.
    fn open_result(
        &mut self,
        path: &Path,
        opened: Result<Session, crate::session::OpenError>,
    ) -> bool {
        self.session.seal_history();
        match opened {
            Ok(session) => {
                let unsaved = self.session.dirty() && self.session.read_only().is_none();
                if unsaved || self.disk.is_saving() {
                    // Shown once this document's annotations are written
                    // (on another thread: the window keeps painting).
                    self.after_save(crate::ui::document::AfterSave::Show(
                        path.to_path_buf(),
                        Box::new(session),
                    ));
                    return true;
                }
                self.show_opened(path, session);
                true
            }
            Err(crate::session::OpenError::Extract { path, source })
                if matches!(source, ExtractError::Password | ExtractError::WrongPassword) =>
            {
                let wrong = matches!(source, ExtractError::WrongPassword);
                self.password = Some(crate::ui::password::PasswordPrompt::new(path, wrong));
                false
            }
            Err(e) => {
                self.notices.push(Level::Error, format!("{e}."));
                false
            }
        }
    }

    /// Shows a document that was opened, and remembers it.
    pub(super) fn show_opened(&mut self, path: &Path, session: Session) {
        self.show_session(session);
        self.prefs.add_recent(crate::storage::absolute(path));
    }

    fn show_session(&mut self, session: Session) {
        self.settle_save();
        let mut session = session;
        self.conform_to_project(&mut session);
        let previous = std::mem::replace(&mut self.session, session);
        if self.documents.is_some() {
            let reader = std::mem::take(&mut self.reader);
            self.park(previous, reader);
        }
        // A reload of the previous document no longer applies.
        self.disk.shown();
        self.reader.reset();
        self.compare.reset();
        self.selected = None;
        self.notices.clear();
        for (level, news) in std::mem::take(&mut self.project_news) {
            self.notices.push(level, news);
        }
        let flagged =
            self.session.anchor_report().orphaned + self.session.anchor_report().fuzzy > 0;
        for n in self.session.infos().to_vec() {
            let action = flagged.then(|| ("Review".to_string(), Command::NextFlagged));
            self.notices.push_with(Level::Info, n, action);
        }
        for n in self.session.notices().to_vec() {
            self.notices.push(Level::Warning, n);
        }
        if self.session.dirty() {
            // Opening changed something worth saving (annotations moved).
            self.mark_changed();
        }
    }

    /// Opens the embedded sample from the data folder, or read-only from
    /// memory when that folder cannot be written.
    pub fn open_sample(&mut self) {
        let installed = match &self.data_dir {
            Some(dir) => crate::sample::install(dir).map_err(|e| e.to_string()),
            None => Err("no folder for app data was found (HOME is not set)".into()),
        };
        match installed.map(|p| (Session::open(&p), p)) {
            Ok((Ok(session), _)) => self.show_session(session),
            Ok((Err(e), _)) => self.sample_in_memory(e.to_string()),
            Err(e) => self.sample_in_memory(e),
        }
    }

    fn sample_in_memory(&mut self, why: String) {
        let doc = Document::new(crate::sample::FILE_NAME, crate::sample::ARTICLE.to_string());
        let mut session = match crate::sidecar::Sidecar::from_ron(
            crate::sample::ANNOTATIONS,
            &PathBuf::from("sample"),
        ) {
            Ok(sc) => Session::with_annotations(doc, sc),
            Err(_) => Session::new(doc, None),
        };
        session.make_read_only(format!(
            "Read-only sample: {why}. Set GLOSS_DATA_DIR to a writable folder to annotate the sample."
        ));
        self.show_session(session);
    }
}
