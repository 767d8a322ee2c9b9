//! The application: owns the session and the views, lays out the panels,
//! and applies commands. Only this module knows `GlossApp`; the panels,
//! windows and the reader take what they draw and return commands.

pub(crate) mod actions;
pub(crate) mod curate;
pub(crate) mod document;
pub(crate) mod exchange;
pub(crate) mod handover;
pub(crate) mod keys;
pub(crate) mod menu;
pub mod path_prompt;
pub(crate) mod project;
pub(crate) mod project_search;
pub(crate) mod saving;

use super::codebook::CodebookWindow;
use super::command::Command;
use super::notices::Notices;
use super::prefs::{Prefs, PrefsWindow, STORAGE_KEY};
use super::reader::{ReaderInput, ReaderView};
use super::shortcuts::ShortcutsWindow;
use super::side_panel::SidePanel;
use super::tag_bar::tag_bar_ui;
use crate::model::{AnnotationId, Document};
use crate::session::Session;
use std::path::PathBuf;

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// A document to open; `None` opens the sample article.
    pub open: Option<PathBuf>,
    /// More documents named with it: put at the top of Open Recent, in
    /// order, and said so.
    pub waiting: Vec<PathBuf>,
    /// Where the sample and other app data live (`None`: the OS default).
    pub data_dir: Option<PathBuf>,
}

/// Counts of work done (see [`GlossApp::work`]); subtract two to get the
/// work between them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Pieces of text laid out, and their chars.
    pub pieces: usize,
    pub chars: usize,
    /// Annotations given an underline lane.
    pub coloured: usize,
    /// Annotations checked against the list's filters.
    pub checked: usize,
}

impl std::ops::Sub for Work {
    type Output = Work;
    fn sub(self, o: Work) -> Work {
        Work {
            pieces: self.pieces - o.pieces,
            chars: self.chars - o.chars,
            coloured: self.coloured - o.coloured,
            checked: self.checked - o.checked,
        }
    }
}

pub struct GlossApp {
    pub session: Session,
    pub prefs: Prefs,
    pub reader: ReaderView,
    pub selected: Option<AnnotationId>,
    pub notices: Notices,
    pub side: SidePanel,
    pub(super) codebook_window: CodebookWindow,
    pub(super) prefs_window: PrefsWindow,
    pub(super) shortcuts_window: ShortcutsWindow,
    /// Go to (Ctrl+G).
    pub(super) go_to: super::goto::GoToWindow,
    pub(super) about_open: bool,
    pub(super) queue: Vec<Command>,
    /// Saving, Save As, what waits for a save, other programs' changes:
    /// the shown document's life with the disk.
    pub(super) disk: super::document::DocumentController,
    pub(super) confirm_quit: bool,
    pub(super) exchange: super::exchange::ExchangeWindow,
    pub(super) allow_close: bool,
    /// A document being opened off the UI thread.
    pub(super) opening: Option<super::jobs::Opening>,
    /// The project's Documents panel, when a folder is open.
    pub(super) documents: Option<super::documents::DocumentsPanel>,
    /// A protected PDF waiting for its password.
    pub(super) password: Option<super::password::PasswordPrompt>,
    /// The document being opened was named at startup: if it cannot be
    /// opened, show the sample (with the reason) instead of nothing.
    pub(super) sample_if_open_fails: bool,
    /// An import being read or an export being written.
    pub(super) exchanging: Option<super::jobs::Job<super::exchange::Done>>,
    /// The Statistics window (charts of the project's coding).
    pub stats: super::stats::StatsWindow,
    /// The Passages window (code retrieval across the project).
    pub passages: super::passages::PassagesWindow,
    /// What opening a project said, shown over its first document.
    pub(super) project_news: Vec<(super::Level, String)>,
    /// The find bar across the whole project.
    pub corpus: super::corpus::CorpusSearch,
    /// What a tagging across the project made in the shown document.
    pub(super) corpus_current: Vec<crate::project::search::Tagged>,
    /// Codebook changes being written to the project file (joined before
    /// the window closes).
    pub(super) project_writes: Vec<std::thread::JoinHandle<()>>,
    /// An annotation to show once its document is open: (document, id).
    pub(super) reveal_on_open: Option<(PathBuf, Command)>,
    /// The find bar (Ctrl+F).
    pub find: super::find::FindBar,
    /// `git config user.name`, being asked on another thread (first run).
    author_lookup: Option<std::sync::mpsc::Receiver<Option<String>>>,
    /// The Agreement window (Team menu).
    pub agreement: super::agreement::AgreementWindow,
    /// Compare and curate (Team menu).
    pub compare: super::compare::ComparePanel,
    /// "Your name", asked the first time Gloss runs.
    pub name_prompt: super::authors::NamePrompt,
    /// `prefs.ron`, written as soon as the preferences change.
    prefs_file: super::prefs::PrefsFile,
    /// An edit of another coder's annotation waiting for the user's yes.
    pub(super) handover: super::handover::HandOver,
    /// A path typed where no file dialog can be shown.
    pub path_prompt: super::path_prompt::PathPrompt,
    /// Which recent entries are folders, looked up once per list.
    pub(super) recent_kinds: super::menu::RecentKinds,
    title: String,
    pub(super) data_dir: Option<PathBuf>,
    /// For background jobs to wake the window when they finish.
    pub(super) ctx: egui::Context,
}

impl GlossApp {
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        // Gloss's own file first: eframe's copy may be up to 30 s old.
        let dir = options.data_dir.clone().or_else(crate::sample::data_dir);
        let stored = dir.as_deref().and_then(super::prefs::load).or_else(|| {
            cc.storage
                .and_then(|s| eframe::get_value::<Prefs>(s, STORAGE_KEY))
        });
        let first_run = stored.is_none();
        let mut app = Self::with_prefs(&cc.egui_ctx, options, stored.unwrap_or_default());
        if first_run {
            // The default author is `git config user.name`: ask git on
            // another thread, not before the first frame.
            let (tx, rx) = std::sync::mpsc::channel();
            let ctx = cc.egui_ctx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(super::prefs::git_user_name());
                ctx.request_repaint();
            });
            app.author_lookup = Some(rx);
            app.ask_name();
        }
        app
    }

    /// Asks the user's name (as the first run does), prefilled with the
    /// author preference.
    pub fn ask_name(&mut self) {
        self.name_prompt.ask(&self.prefs.author);
    }

    /// Takes the git user name as the author once it is known, unless the
    /// user already chose one.
    fn poll_author(&mut self) {
        let Some(rx) = &self.author_lookup else {
            return;
        };
        match rx.try_recv() {
            Ok(name) => {
                if let Some(name) = name
                    && self.prefs.author == super::prefs::login_name().unwrap_or_default()
                {
                    self.name_prompt.suggest(&self.prefs.author, &name);
                    self.prefs.author = name;
                }
                self.author_lookup = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.author_lookup = None,
        }
    }

    pub fn with_prefs(ctx: &egui::Context, options: AppOptions, prefs: Prefs) -> Self {
        let prefs = prefs.validated();
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        super::theme::apply(ctx);
        ctx.set_theme(prefs.theme.preference());
        let data_dir = options.data_dir.clone().or_else(crate::sample::data_dir);
        let placeholder = Session::new(Document::new("", String::new()), None);
        let prefs_file = super::prefs::PrefsFile::new(data_dir.as_deref(), Some(prefs.clone()));
        let mut app = Self {
            session: placeholder,
            prefs,
            reader: ReaderView::default(),
            selected: None,
            notices: Notices::default(),
            side: SidePanel::default(),
            codebook_window: CodebookWindow::default(),
            prefs_window: PrefsWindow::default(),
            shortcuts_window: ShortcutsWindow::default(),
            go_to: Default::default(),
            about_open: false,
            queue: Vec::new(),
            disk: Default::default(),
            confirm_quit: false,
            exchange: Default::default(),
            allow_close: false,
            opening: None,
            password: None,
            documents: None,
            sample_if_open_fails: false,
            exchanging: None,
            find: Default::default(),
            passages: Default::default(),
            stats: Default::default(),
            reveal_on_open: None,
            project_writes: Vec::new(),
            corpus: Default::default(),
            project_news: Vec::new(),
            corpus_current: Vec::new(),
            author_lookup: None,
            name_prompt: Default::default(),
            prefs_file,
            handover: Default::default(),
            path_prompt: super::path_prompt::PathPrompt::from_env(),
            recent_kinds: Default::default(),
            compare: Default::default(),
            agreement: Default::default(),
            title: String::new(),
            data_dir,
            ctx: ctx.clone(),
        };
        app.wait_in_recent(&options.waiting);
        match options.open {
            // The window shows at once; the document follows when read.
            // A folder opens as a project: its first document once listed.
            Some(path) if path.is_dir() => {
                app.documents = Some(super::documents::DocumentsPanel::open(
                    &path,
                    app.cache_dir(),
                    ctx,
                ));
                app.prefs.add_recent(crate::storage::absolute(&path));
                app.sample_if_open_fails = true;
            }
            Some(path) => {
                app.open_in_background(ctx, &path);
                app.sample_if_open_fails = true;
            }
            None => app.open_sample(),
        }
        app
    }

    /// Documents named at startup after the first wait in Open Recent;
    /// said once the first document shows (showing one clears notices).
    fn wait_in_recent(&mut self, waiting: &[PathBuf]) {
        if let Some(news) = self.prefs.wait_in_recent(waiting) {
            self.project_news.push((super::Level::Info, news));
        }
    }

    /// After the document named at startup could not be opened: keep the
    /// reason visible over the sample we fall back to, and tell the
    /// terminal that started us too.
    pub(super) fn fall_back_to_sample(&mut self) {
        let why = std::mem::take(&mut self.notices.items);
        for n in &why {
            eprintln!("gloss: {}", n.text);
        }
        self.open_sample();
        self.notices.items.splice(0..0, why);
    }

    /// Queues a command as if a view had issued it (used by tests too).
    /// Work done so far, counted: what per-frame and per-edit costs are
    /// measured by in the tests that keep them independent of document
    /// length and annotation count.
    pub fn work(&self) -> Work {
        let (pieces, chars, coloured) = self.reader.work();
        Work {
            pieces,
            chars,
            coloured,
            checked: self.side.checked(),
        }
    }

    /// Whether a background job (opening, re-reading, saving) is running.
    pub fn is_busy(&self) -> bool {
        self.opening.is_some()
            || self.documents.as_ref().is_some_and(|d| d.is_listing())
            || self.disk.is_busy()
            || self.exchanging.is_some()
            || self.passages.is_running()
            || self.stats.is_running()
            || self.corpus.is_running()
    }

    pub fn push(&mut self, command: Command) {
        self.queue.push(command);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.session.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            let s = &self.session;
            let where_ = s
                .path()
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| s.doc().name.clone());
            ui.label(where_);
            ui.separator();
            ui.label(format!("{} chars · {}", s.doc().char_len(), s.encoding()));
            ui.separator();
            let top = self.reader.top_offset(s.doc());
            let structure = s.doc().structure();
            if let (Some(pages), Some(page)) = (structure.pages(), structure.page_of(top)) {
                ui.label(format!("page {page} of {pages}"));
                ui.separator();
            } else if let Some((chapter, of)) = structure.chapter_of(top) {
                ui.label(format!("chapter {chapter} of {of}"));
                ui.separator();
            }
            if self.reader.caret().is_some() {
                ui.label("caret browsing (F7)");
                ui.separator();
            }
            if let Some(r) = self.reader.selected_range(s) {
                ui.label(format!(
                    "selection {}–{} ({} chars)",
                    r.start,
                    r.end,
                    r.len()
                ));
                ui.separator();
            }
            let status = (self.disk.status())
                .or_else(|| self.opening.as_ref().and_then(|o| o.status()))
                .or_else(|| self.exchanging.as_ref().and_then(|s| s.status()));
            if let Some(status) = status {
                ui.add(egui::Spinner::new());
                ui.label(status);
                ui.separator();
            }
            let author = format!("✎ {}", self.prefs.author);
            if ui
                .add(egui::Label::new(author).sense(egui::Sense::click()))
                .on_hover_text(
                    "New annotations are recorded as yours under this name. Click to change it.",
                )
                .clicked()
            {
                self.prefs_window.open = true;
            }
            ui.separator();
            let state = if s.read_only().is_some() {
                "read-only"
            } else if self.disk.save_failed() {
                "⚠ not saved"
            } else if s.dirty() {
                "unsaved changes"
            } else if s.sidecar_path().is_some() {
                "all changes saved"
            } else {
                "annotations are not saved"
            };
            // Saved somewhere else than beside the document (Save As):
            // said where, always, as the document will not find it there.
            let elsewhere = match (s.path(), s.sidecar_path()) {
                (Some(d), Some(sc)) if crate::sidecar::sidecar_path(d) != *sc => {
                    sc.file_name().map(|n| n.to_string_lossy().into_owned())
                }
                _ => None,
            };
            let state = match elsewhere {
                Some(name) => format!("{state} — in {name}"),
                None => state.to_string(),
            };
            ui.label(state).on_hover_text(
                s.sidecar_path()
                    .as_ref()
                    .map(|p| format!("Annotations: {}", p.display()))
                    .unwrap_or_default(),
            );
        });
    }

    fn windows(&mut self, ctx: &egui::Context) {
        let cmds = self.codebook_window.show(ctx, &self.session);
        self.queue.extend(cmds);
        let before = self.prefs.theme;
        self.prefs_window.show(ctx, &mut self.prefs);
        if self.prefs.theme != before {
            ctx.set_theme(self.prefs.theme.preference());
        }
        self.shortcuts_window.show(ctx);
        if let Some(target) = self.go_to.ui(ctx, self.session.doc()) {
            let align = crate::ui::reader::Align::Top;
            self.reader.go_to(&self.session, target.offset, align);
            self.reader.announce(target.said);
        }
        if let Some(name) = self.name_prompt.ui(ctx) {
            self.prefs.author = name;
            self.prefs_file.confirmed();
        }
        self.exchange_window(ctx);
        self.passages_window(ctx);
        self.stats_window(ctx);
        if self.agreement.open {
            // Only a real project: not the folder a lone document is in.
            let folder = (self.documents.as_ref().map(|d| d.folder.clone()))
                .or_else(|| self.session.project().clone());
            self.agreement.show(ctx, &self.session, folder);
        }
        self.corpus_confirm(ctx);
        self.handover_ui(ctx);
        self.path_prompt_ui(ctx);
        egui::Window::new("About Gloss").open(&mut self.about_open).collapsible(false).resizable(false).show(ctx, |ui| {
            ui.heading(format!("Gloss {}", env!("CARGO_PKG_VERSION")));
            ui.label("Read closely, tag passages, write notes. Annotations live in a RON file beside each document.");
        });
        if let Some(prompt) = &mut self.password
            && let Some(answer) = prompt.ui(ctx)
        {
            let path = prompt.path.clone();
            self.password = None;
            if let Some(password) = answer {
                self.opening = Some(super::jobs::Opening::start(&path, ctx, Some(password)));
            }
        }
        if self.confirm_quit {
            let modal = egui::Modal::new(egui::Id::unique("confirm quit")).show(ctx, |ui| {
                ui.heading("Annotations not saved");
                ui.label(format!(
                    "Your latest changes to {} could not be saved. Save them somewhere else, or quit and lose them?",
                    self.session.doc().name
                ));
                ui.horizontal(|ui| {
                    if ui.button("Save As…").clicked() {
                        self.queue.push(Command::SaveAs);
                        self.confirm_quit = false;
                    }
                    if ui.button("Quit without saving").clicked() {
                        self.allow_close = true;
                        self.confirm_quit = false;
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_quit = false;
                    }
                });
            });
            if modal.should_close() {
                self.confirm_quit = false;
            }
        }
    }
}

impl eframe::App for GlossApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_dropped_files(&ctx);
        self.handle_keys(&ctx);
        self.handle_close_request(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("tags").show(ui, |ui| {
            ui.add_space(2.0);
            let has_sel = self.reader.selected_range(&self.session).is_some();
            let cmds = tag_bar_ui(ui, &self.session, has_sel, self.selected.is_some());
            self.queue.extend(cmds);
            let cmds = super::tag_bar::read_only_ui(ui, &self.session);
            self.queue.extend(cmds);
            ui.add_space(2.0);
        });
        if self.find.open {
            let in_project = self.project_folder().is_some();
            egui::Panel::top("find").show(ui, |ui| {
                let cmds = self
                    .find
                    .ui(ui, &self.session, &self.prefs.author, in_project);
                self.queue.extend(cmds);
            });
        }
        self.corpus_panel(ui);
        self.compare_bar(ui);
        let from = self.reader.selection.map_or(0, |s| s.head);
        if let Some(r) = self.find.update(&ctx, self.session.doc(), from) {
            self.show_match(&ctx, r);
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let width = ctx.content_rect().width();
        if let Some(panel) = &mut self.documents {
            let current = self.session.path().as_deref();
            panel.update_count(&self.session, &ctx);
            let clicked = egui::Panel::left("documents")
                .resizable(true)
                .default_size((width * 0.22).clamp(160.0, 240.0))
                .max_size(width * 0.25)
                .show(ui, |ui| panel.ui(ui, current))
                .inner;
            if let Some(path) = clicked {
                self.queue.push(Command::Open(path));
            }
        }
        // Side panels give way in a small window: the text keeps at least
        // a third of it, down to 800 × 600.
        egui::Panel::right("side")
            .resizable(true)
            .default_size((width * 0.3).clamp(220.0, 330.0))
            .min_size(200.0)
            .max_size(width * 0.4)
            .show(ui, |ui| {
                let has_sel = self.reader.selected_range(&self.session).is_some();
                let cmds = self
                    .side
                    .ui(ui, &self.session, self.selected.as_ref(), has_sel);
                self.queue.extend(cmds);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let input = ReaderInput {
                session: &self.session,
                selected: self.selected.as_ref(),
                font_size: self.prefs.font_size,
                found: if self.find.open {
                    &self.find.matches
                } else {
                    &[]
                },
                found_current: self.find.current_range(),
                authors: &self.side.authors,
            };
            let cmds = self.reader.ui(ui, &input);
            self.queue.extend(cmds);
            if let Some(said) = self.reader.missing_fonts() {
                self.notices.push(super::Level::Info, said);
            }
            // Over the text, never above it: a notice arriving must not
            // move the text under the pointer.
            self.notices.forget_undone(self.session.undo_depth());
            let cmds = self.notices.overlay(ui.ctx(), ui.max_rect());
            self.queue.extend(cmds);
        });
        self.windows(&ctx);

        self.run_queue(&ctx);
        self.poll_jobs(&ctx);
        self.poll_documents(&ctx);
        self.poll_opening(&ctx);
        self.reveal_pending();
        self.poll_corpus_tagging();
        self.poll_author();
        // Not while the name is being asked: a first run killed before
        // the answer must ask again.
        if !self.name_prompt.open {
            self.prefs_file.sync(&self.prefs);
        }
        self.watch_outside(&ctx);
        self.autosave(&ctx);
        self.update_title(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.prefs);
    }
}
