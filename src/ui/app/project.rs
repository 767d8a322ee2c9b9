//! The window's project side: the Documents panel's listing, switching
//! between a project's documents, keeping the project file's codebook in
//! step, and the Passages window.

use crate::session::Session;
use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use crate::ui::notices::Level;
use std::path::{Path, PathBuf};

impl GlossApp {
    /// A document saved in a project gives the project file its codebook
    /// (codes added, described, re-parented, renamed, merged, deleted), on
    /// another thread; the file is only written when that changes it.
    pub(super) fn sync_project(&mut self) {
        // Merged against what this document last took from the project, so
        // another window's edits to other codes are kept.
        let Some(crate::session::CodebookHandover {
            folder,
            codebook,
            base,
            retired,
        }) = self.session.hand_codebook_to_project()
        else {
            return;
        };
        if let Some(project) = self.documents.as_mut().and_then(|d| d.project.as_mut()) {
            project.take_codebook(&codebook, base.as_ref(), &retired);
        }
        self.project_writes.retain(|w| !w.is_finished());
        self.project_writes.push(std::thread::spawn(move || {
            let done = crate::project::file::update(&folder, |file| {
                file.take_codebook(&codebook, base.as_ref(), &retired)
            });
            if let Err(e) = done {
                eprintln!("gloss: the project's codebook was not updated: {e}");
            }
        }));
    }

    /// Takes in a project's listing: its first document opens.
    pub(super) fn poll_documents(&mut self, ctx: &egui::Context) {
        let Some(panel) = &mut self.documents else {
            return;
        };
        let polled = panel.poll();
        // What opening the project said stays up over its first document.
        for news in std::mem::take(&mut panel.news) {
            let level = if panel.read_only() == Some(news.as_str()) {
                Level::Warning
            } else {
                Level::Info
            };
            self.project_news.push((level, news));
        }
        // No document to open: say it now.
        if matches!(polled, Some(None)) {
            for (level, news) in std::mem::take(&mut self.project_news) {
                self.notices.push(level, news);
            }
        }
        match polled {
            Some(Some(first)) => {
                self.sample_if_open_fails = false;
                self.open_in_background(ctx, &first);
            }
            Some(None) if std::mem::take(&mut self.sample_if_open_fails) => {
                self.fall_back_to_sample();
            }
            None if panel.is_listing() => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Some(None) | None => {}
        }
    }

    /// In a project, shows a document opened earlier exactly as it was left
    /// (undo history, scroll, selection), at once; `false` if it is not
    /// parked or the current one cannot be saved first.
    pub(super) fn switch_to_parked(&mut self, path: &Path) -> bool {
        let Some(parked) = self.documents.as_mut().and_then(|d| d.unpark(path)) else {
            return false;
        };
        self.session.seal_history();
        if (self.session.dirty() && self.session.read_only().is_none()) || self.disk.is_saving() {
            // Switched to once this document's annotations are written.
            if let Some(d) = &mut self.documents {
                d.park(parked);
            }
            self.after_save(crate::ui::document::AfterSave::Switch(path.to_path_buf()));
            return true;
        }
        let mut parked = parked;
        self.conform_to_project(&mut parked.session);
        let session = std::mem::replace(&mut self.session, parked.session);
        let reader = std::mem::replace(&mut self.reader, parked.reader);
        self.park(session, reader);
        self.disk.shown();
        self.selected = None;
        self.notices.clear();
        true
    }

    /// Puts a project's document aside to switch back to.
    pub(super) fn park(&mut self, session: Session, reader: crate::ui::reader::ReaderView) {
        if let Some(d) = &mut self.documents
            && session.path().is_some()
            && !session.dirty()
        {
            d.park(crate::ui::documents::Parked { session, reader });
        }
    }

    /// A document shown in an open project takes the project's codebook
    /// as this window knows it (changes made in other documents included).
    pub(super) fn conform_to_project(&self, session: &mut Session) {
        if let Some(project) = self.documents.as_ref().and_then(|d| d.project.as_ref())
            && session.project().is_some()
        {
            crate::project::conform(session, project);
        }
    }

    /// The folder project-wide views look in: the open project, the
    /// project the document lies in, or the document's own folder.
    pub(super) fn project_folder(&self) -> Option<PathBuf> {
        self.documents
            .as_ref()
            .map(|d| d.folder.clone())
            .or_else(|| self.session.project().clone())
            .or_else(|| Some(self.session.path().as_deref()?.parent()?.to_path_buf()))
    }

    pub(super) fn passages_window(&mut self, ctx: &egui::Context) {
        let folder = self.project_folder();
        if self.passages.open
            && folder.is_some()
            && self.documents.is_none()
            && self.session.project().is_none()
        {
            // Outside a project, the document's folder may hold others:
            // look only at this one.
            if let Some(name) = self.session.path().as_ref().and_then(|p| p.file_name()) {
                self.passages.documents = name.to_string_lossy().into_owned();
            }
        }
        for action in self.passages.show(ctx, folder.as_deref(), &self.session) {
            match action {
                crate::ui::passages::Action::Open(path, id) => self.open_at(path, id),
                crate::ui::passages::Action::Export(output) => {
                    use crate::project::passages::Output;
                    let (name, ext) = match output {
                        Output::Csv => ("CSV", "csv"),
                        Output::Md => ("Markdown", "md"),
                        _ => ("HTML", "html"),
                    };
                    let file = format!("passages.{ext}");
                    let dir = folder.clone().unwrap_or_else(|| self.beside_document());
                    let dialog = (rfd::FileDialog::new().set_directory(&dir))
                        .set_file_name(&file)
                        .add_filter(name, &[ext]);
                    let purpose = crate::ui::path_prompt::Purpose::Passages(output);
                    self.pick(purpose, dir.join(file), || dialog.save_file());
                }
                crate::ui::passages::Action::Replace(output, path) => {
                    self.passages
                        .export(path, output, self.export_guard(true), ctx);
                }
            }
        }
    }

    /// Shows an annotation in its document, opening the document first
    /// when another is shown.
    pub(super) fn open_at(&mut self, path: PathBuf, id: crate::model::AnnotationId) {
        self.then_in(path, Command::Reveal(id));
    }

    /// Runs `command` in the document at `path`, opening it first when
    /// another is shown.
    pub(super) fn then_in(&mut self, path: PathBuf, command: Command) {
        if self.is_current(&path) {
            self.queue.push(command);
        } else {
            self.reveal_on_open = Some((path.clone(), command));
            self.queue.push(Command::Open(path));
        }
    }

    pub(super) fn is_current(&self, path: &Path) -> bool {
        self.session
            .path()
            .as_deref()
            .is_some_and(|p| crate::storage::same_file(p, path))
    }

    /// Once the document a passage was clicked in is shown, reveals it.
    pub(super) fn reveal_pending(&mut self) {
        let Some((path, _)) = &self.reveal_on_open else {
            return;
        };
        if self.opening.is_none()
            && self.is_current(path)
            && let Some((_, command)) = self.reveal_on_open.take()
        {
            self.queue.push(command);
        } else if self.opening.is_none() && self.password.is_none() && self.queue.is_empty() {
            // The document could not be opened (the user was told why).
            self.reveal_on_open = None;
        }
    }

    pub(super) fn stats_window(&mut self, ctx: &egui::Context) {
        use crate::ui::stats::Action;
        let folder = self.project_folder();
        for action in self.stats.show(ctx, folder.as_deref(), &self.session) {
            match action {
                Action::Passages {
                    codes,
                    and,
                    author,
                    document,
                } => {
                    self.passages.show_codes(codes, and, author, document);
                }
                Action::Save(chart, kind) => {
                    let ext = kind.extension();
                    let file = format!("{}.{ext}", chart.stem());
                    let dir = folder.clone().unwrap_or_else(|| self.beside_document());
                    let dialog = (rfd::FileDialog::new().set_directory(&dir))
                        .set_file_name(&file)
                        .add_filter(ext.to_uppercase(), &[ext]);
                    let purpose = crate::ui::path_prompt::Purpose::Chart(kind);
                    self.pick(purpose, dir.join(file), || dialog.save_file());
                }
                Action::Replace(kind, path) => {
                    let guard = self.export_guard(true);
                    self.stats
                        .save(kind, path, guard, self.session.codebook(), ctx);
                }
            }
        }
    }

    /// What a chart or list the user saves may not write over: the
    /// documents this window knows (others are known by their sidecars),
    /// and an existing file unless `replace` (the user confirmed).
    pub(super) fn export_guard(&self, replace: bool) -> crate::formats::ExportGuard {
        let mut known = self.prefs.recent.clone();
        known.extend(self.session.path().clone());
        crate::formats::ExportGuard::new(replace, known)
    }

    /// Where the index of a project's counts is kept between runs.
    pub(super) fn cache_dir(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join("cache"))
    }
}
