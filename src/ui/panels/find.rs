//! The find bar (Ctrl+F): incremental search in the document, on a
//! background thread whose matches stream in, so typing never waits for a
//! 50 MB text; next/previous; and "Tag all matches" as one undo step.

use crate::model::{CharRange, Document};
use crate::search::{Query, SearchError, find_all};
use crate::session::Session;
use crate::ui::command::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

enum Message {
    Batch(Vec<CharRange>),
    Done(Result<(), SearchError>),
}

struct Running {
    rx: Receiver<Message>,
    _stop: crate::ui::jobs::StopOnDrop,
}

#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: Query,
    /// Matches so far, in document order.
    pub matches: Vec<CharRange>,
    /// The match shown (an index into `matches`).
    pub current: Option<usize>,
    pub error: Option<String>,
    /// The tag "Tag all" gives.
    pub tag: String,
    /// Search every document of the project too (hits listed below).
    pub all_documents: bool,
    focus: bool,
    /// The search field, so Esc in it can close the bar.
    pub field: Option<egui::Id>,
    running: Option<Running>,
    /// What the matches are of: the query and the document (by address).
    searched: Option<(Query, usize)>,
    /// How many new annotations "Tag all" would make, by (matches, tag, revision).
    preview: Option<((usize, String, u64), usize)>,
    /// Where the match shown before the query changed began: typing on
    /// stays on it while it still matches, as browsers do.
    stay_at: Option<usize>,
}

impl FindBar {
    /// Opens the bar and puts the cursor in it.
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }

    pub fn close(&mut self) {
        self.open = false;
        self.running = None;
        self.matches.clear();
        self.current = None;
        self.searched = None;
    }

    pub fn is_searching(&self) -> bool {
        self.running.is_some()
    }

    pub fn current_range(&self) -> Option<CharRange> {
        self.current.and_then(|i| self.matches.get(i).copied())
    }

    /// Steps to the next (or previous) match, wrapping around; returns it.
    pub fn step(&mut self, forward: bool) -> Option<CharRange> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        self.current = Some(match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.current_range()
    }

    /// Starts a new search when the query or the document changed, and
    /// takes in what the running one found. Returns a match to show when
    /// the first ones arrive (the first at or after `from`).
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        doc: &Arc<Document>,
        from: usize,
    ) -> Option<CharRange> {
        if !self.open {
            return None;
        }
        let doc_key = Arc::as_ptr(doc) as usize;
        let same = self
            .searched
            .as_ref()
            .is_some_and(|(q, d)| *q == self.query && *d == doc_key);
        if !same {
            // Only within one document: another one starts from the top.
            let same_doc = self.searched.as_ref().is_some_and(|(_, d)| *d == doc_key);
            // A query that matched nothing keeps the place it had.
            self.stay_at = match self.current_range() {
                Some(r) if same_doc => Some(r.start),
                _ if same_doc => self.stay_at,
                _ => None,
            };
            self.searched = Some((self.query.clone(), doc_key));
            self.matches.clear();
            self.current = None;
            self.error = None;
            self.running = None;
            if !self.query.text.is_empty() {
                self.running = Some(start(ctx, doc.clone(), self.query.clone()));
            }
        }
        let mut first = None;
        // The match shown is the first at or after where the reader is (or
        // the match shown before, while it still matches): chosen once a
        // batch reaches it, or when the search ends, as matches stream in.
        let from = self.stay_at.unwrap_or(from);
        while let Some(running) = &self.running {
            match running.rx.try_recv() {
                Ok(Message::Batch(b)) => {
                    self.matches.extend(b);
                    if self.current.is_none() {
                        let i = self.matches.partition_point(|r| r.start < from);
                        if i < self.matches.len() {
                            self.current = Some(i);
                            self.stay_at = None;
                            first = self.current_range();
                        }
                    }
                }
                Ok(Message::Done(result)) => {
                    self.error = result.err().map(|e| e.to_string());
                    self.running = None;
                    if self.current.is_none() && !self.matches.is_empty() {
                        // Nothing after it: wrap round to the first.
                        self.current = Some(0);
                        self.stay_at = None;
                        first = self.current_range();
                    }
                }
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(30));
                    break;
                }
                Err(TryRecvError::Disconnected) => self.running = None,
            }
        }
        first
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        author: &str,
        in_project: bool,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        // Wrapped, so a narrow window shows every control on a second row
        // instead of cutting off Tag all and Close.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Find");
            let edit = egui::TextEdit::singleline(&mut self.query.text)
                .id_salt("find text")
                .hint_text("Find in document")
                .desired_width((ui.available_width() * 0.3).clamp(120.0, 240.0));
            let response = ui
                .add(edit)
                .labelled_by(label.id)
                .on_hover_text("Enter: next match, Shift+Enter: previous, Esc: close");
            if std::mem::take(&mut self.focus) {
                response.request_focus();
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                commands.push(if back {
                    Command::FindPrevious
                } else {
                    Command::FindNext
                });
                response.request_focus();
            }
            self.field = Some(response.id);
            ui.toggle_value(&mut self.query.case_sensitive, "Aa")
                .on_hover_text("Match case");
            ui.toggle_value(&mut self.query.whole_word, "Word")
                .on_hover_text("Whole words only");
            ui.toggle_value(&mut self.query.regex, ".*")
                .on_hover_text("Regular expression");
            if in_project {
                ui.toggle_value(&mut self.all_documents, "All documents")
                    .on_hover_text("Search every document of the project, and the memos");
            }
            self.all_documents &= in_project;
            let status = match (&self.error, self.matches.len(), self.current) {
                (Some(e), _, _) => e.clone(),
                (None, 0, _) if self.running.is_some() => "searching…".into(),
                (None, 0, _) if self.query.text.is_empty() => String::new(),
                (None, 0, _) => "no matches".into(),
                (None, n, Some(i)) => format!(
                    "{} of {n}{}",
                    i + 1,
                    if self.running.is_some() { "+" } else { "" }
                ),
                (None, n, None) => format!("{n} matches"),
            };
            ui.label(status);
            if ui.button("Previous").on_hover_text("Shift+F3").clicked() {
                commands.push(Command::FindPrevious);
            }
            if ui.button("Next").on_hover_text("F3").clicked() {
                commands.push(Command::FindNext);
            }
            ui.separator();
            self.tag_all_ui(ui, session, author, &mut commands);
            if ui.button("Close").on_hover_text("Esc").clicked() {
                commands.push(Command::CloseFind);
            }
        });
        commands
    }

    fn tag_all_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        author: &str,
        commands: &mut Vec<Command>,
    ) {
        let tags = &session.codebook().tags;
        if self.tag.is_empty()
            && let Some(t) = tags.first()
        {
            self.tag = t.name.clone();
        }
        let label = ui.label("Tag with");
        egui::ComboBox::from_id_salt("tag all with")
            .selected_text(self.tag.clone())
            .show_ui(ui, |ui| {
                for t in tags {
                    ui.selectable_value(&mut self.tag, t.name.clone(), t.name.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        let done = self.running.is_none() && !self.matches.is_empty();
        let key = (
            self.matches.len(),
            self.tag.clone(),
            session.store().annotations.revision(),
        );
        if done && self.preview.as_ref().map(|p| &p.0) != Some(&key) {
            // How many annotations it would make (once per result set).
            let n = self
                .matches
                .iter()
                .filter(|r| !session.already_tagged(**r, &self.tag, author))
                .count();
            self.preview = Some((key, n));
        }
        let creates = self.preview.as_ref().filter(|_| done).map_or(0, |p| p.1);
        if self.all_documents {
            let b = egui::Button::new("Tag all in project…");
            if ui
                .add_enabled(!self.tag.is_empty() && !self.query.text.is_empty(), b)
                .on_hover_text("Shows how many matches in which documents first")
                .clicked()
            {
                commands.push(Command::TagAllInProject(self.tag.clone()));
            }
            return;
        }
        let button = egui::Button::new(format!("Tag all {}", self.matches.len()));
        if ui
            .add_enabled(done && creates > 0 && !self.tag.is_empty(), button)
            .on_hover_text(format!(
                "Creates {creates} “{}” annotation{} (one undo step); matches already tagged are skipped",
                self.tag,
                if creates == 1 { "" } else { "s" }
            ))
            .clicked()
        {
            commands.push(Command::TagAllMatches(self.tag.clone()));
        }
    }
}

fn start(ctx: &egui::Context, doc: Arc<Document>, query: Query) -> Running {
    let (tx, rx) = channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let (stop, ctx) = (cancel.clone(), ctx.clone());
    std::thread::spawn(move || {
        let result = find_all(&doc, &query, &stop, |batch| {
            let _ = tx.send(Message::Batch(batch));
            ctx.request_repaint();
        });
        let _ = tx.send(Message::Done(result));
        ctx.request_repaint();
    });
    Running {
        rx,
        _stop: crate::ui::jobs::StopOnDrop(cancel),
    }
}
