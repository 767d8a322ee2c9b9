//! The Passages window (code retrieval): every passage with the chosen
//! codes across the project, combined as QDA tools do (AND, NOT, NEAR,
//! author, text, documents), each with its sentence, document, note and
//! author. A click opens the document at the passage; the list sorts by
//! document or code and exports as CSV, Markdown or HTML. Queries run on
//! another thread.

use crate::formats::{ExportGuard, FormatError};
use crate::model::{AnnotationId, Codebook};
use crate::project::Current;
use crate::project::loaded::Loaded;
use crate::project::passages::{Output, Passage, Query};
use crate::session::Session;
use crate::ui::jobs::Job;
use std::path::{Path, PathBuf};

const ROW_HEIGHT: f32 = 82.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Document,
    Code,
}

/// What the window asks the app to do.
pub enum Action {
    /// Open a document (absolute path) at an annotation.
    Open(PathBuf, AnnotationId),
    /// Ask where to export the list, in this form.
    Export(Output),
    /// The user confirmed replacing the existing file at this path.
    Replace(Output, PathBuf),
}

/// A query's passages and the documents it left out, or why it failed;
/// with the documents as read, for the next query.
type Found = (Result<(Vec<Passage>, Vec<String>), String>, Loaded);

#[derive(Default)]
pub struct PassagesWindow {
    pub open: bool,
    /// Passages with any of these codes (or codes under them).
    pub codes: Vec<String>,
    /// "": no such condition.
    pub and: String,
    pub not: String,
    pub near: String,
    pub near_chars: usize,
    pub author: String,
    pub containing: String,
    /// Documents or folders to look in, comma-separated ("": all).
    pub documents: String,
    pub sort: Sort,
    /// The folder and query last run (the list follows the form).
    folder: Option<PathBuf>,
    last_run: String,
    pub results: Vec<Passage>,
    /// Documents the last query could not open, with why.
    skipped: Vec<String>,
    running: Option<Job<Found>>,
    /// The project's documents as the last query read them: the next one
    /// re-reads only those that changed.
    loaded: Option<Loaded>,
    message: Option<String>,
    exporting: Option<Job<(Output, Result<PathBuf, FormatError>)>>,
    /// An export refused because the file exists: (form, path), until the
    /// user replaces it or not.
    pub replace: Option<(Output, PathBuf)>,
}

impl PassagesWindow {
    /// Opens the window on the passages with any of `codes` (overlapping
    /// one coded `and`, by `author`, in `document`); the query runs.
    pub fn show_codes(
        &mut self,
        codes: Vec<String>,
        and: Option<String>,
        author: Option<String>,
        document: Option<String>,
    ) {
        *self = Self {
            open: true,
            codes,
            and: and.unwrap_or_default(),
            author: author.unwrap_or_default(),
            documents: document.unwrap_or_default(),
            sort: self.sort,
            ..Self::default()
        };
    }

    /// Opens the window so that its first view shows passages: those
    /// with the codes of the annotation `selected` (if it has any), else
    /// the codes chosen before, else every code.
    pub fn open_on(&mut self, selected: Option<Vec<String>>, codebook: &Codebook) {
        if self.open {
            return;
        }
        self.open = true;
        match selected {
            Some(codes) if !codes.is_empty() => self.codes = codes,
            _ if self.codes.is_empty() => {
                self.codes = codebook.tags.iter().map(|t| t.name.clone()).collect();
            }
            _ => {}
        }
    }

    pub fn query(&self) -> Query {
        let one = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Query {
            codes: self.codes.clone(),
            and: one(&self.and).into_iter().collect(),
            not: one(&self.not).into_iter().collect(),
            near: one(&self.near)
                .map(|c| (c, self.near_chars))
                .into_iter()
                .collect(),
            author: one(&self.author),
            containing: one(&self.containing),
            documents: self.documents.split(',').filter_map(one).collect(),
        }
    }

    /// Runs the query over `folder` on another thread, with the open
    /// document as it is now.
    pub fn run(&mut self, folder: &Path, session: &Session, ctx: &egui::Context) {
        let (query, folder_owned) = (self.query(), folder.to_path_buf());
        self.last_run = format!("{folder:?}{query:?}");
        let current = Current::of(session);
        self.folder = Some(folder.to_path_buf());
        self.message = None;
        let mut loaded = match self.loaded.take() {
            Some(l) if crate::storage::same_file(&l.folder, folder) => l,
            _ => Loaded::new(folder),
        };
        self.running = Some(Job::start("Finding passages", ctx, move || {
            let result = loaded
                .refresh()
                .map(|()| {
                    let skipped = loaded
                        .skipped
                        .iter()
                        .map(|(p, why)| format!("{}: {why}", p.display()))
                        .collect();
                    (loaded.passages(&query, current.as_ref()), skipped)
                })
                .map_err(|e| format!("could not look through {}: {e}", folder_owned.display()));
            (result, loaded)
        }));
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some() || self.exporting.is_some()
    }

    /// Takes in a finished query or export.
    fn poll(&mut self) {
        if let Some(done) = self.running.as_ref().and_then(Job::poll) {
            self.running = None;
            match done {
                Some((result, loaded)) => {
                    self.loaded = Some(loaded);
                    match result {
                        Ok((found, skipped)) => {
                            self.results = found;
                            self.skipped = skipped;
                            self.sort_results();
                        }
                        Err(e) => self.message = Some(e),
                    }
                }
                None => self.message = Some("the query stopped unexpectedly".into()),
            }
        }
        if let Some(done) = self.exporting.as_ref().and_then(Job::poll) {
            self.exporting = None;
            self.message = Some(match done {
                Some((_, Ok(p))) => format!(
                    "Exported {} to {}.",
                    crate::words::plural(self.results.len(), "passage"),
                    p.display()
                ),
                Some((output, Err(FormatError::Exists(p)))) => {
                    let m = format!("{} already exists. Replace it with this list?", p.display());
                    self.replace = Some((output, p));
                    m
                }
                Some((_, Err(e))) => format!("The passages were not exported: {e}."),
                None => "the export stopped unexpectedly".into(),
            });
        }
    }

    fn sort_results(&mut self) {
        match self.sort {
            Sort::Document => self
                .results
                .sort_by(|a, b| (&a.document, a.start, a.end).cmp(&(&b.document, b.start, b.end))),
            Sort::Code => self.results.sort_by(|a, b| {
                (&a.codes, &a.document, a.start).cmp(&(&b.codes, &b.document, b.start))
            }),
        }
    }

    /// Writes the list to `path` on another thread, under the export
    /// guard's rules (never over a document, an annotation or project file
    /// or a backup; an existing file only when `guard` was made with the
    /// user's consent).
    pub fn export(
        &mut self,
        path: PathBuf,
        output: Output,
        guard: ExportGuard,
        ctx: &egui::Context,
    ) {
        let text = crate::project::passages::render(&self.results, output);
        self.replace = None;
        let mut guard = guard;
        self.exporting = Some(Job::start("Exporting passages", ctx, move || {
            (
                output,
                guard.write_one(&path, text.as_bytes()).map(|()| path),
            )
        }));
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        folder: Option<&Path>,
        session: &Session,
    ) -> Vec<Action> {
        self.poll();
        let mut actions = Vec::new();
        let mut open = self.open;
        egui::Window::new("Passages")
            .open(&mut open)
            .default_size([720.0, 520.0])
            .show(ctx, |ui| self.ui(ui, folder, session, &mut actions));
        self.open = open;
        if self.is_running() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        actions
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        folder: Option<&Path>,
        session: &Session,
        actions: &mut Vec<Action>,
    ) {
        let Some(folder) = folder else {
            ui.label("Open a document or a folder first.");
            return;
        };
        self.query_ui(ui, session);
        // The list follows the form: a changed query runs once the last
        // one is done.
        let changed = format!("{folder:?}{:?}", self.query()) != self.last_run;
        if changed && !self.codes.is_empty() && self.running.is_none() {
            self.run(folder, session, ui.ctx());
        }
        if self.codes.is_empty() {
            // No code, no passages: not those of the codes just unchosen.
            self.results.clear();
        }
        ui.horizontal(|ui| {
            let can = !self.codes.is_empty() && self.running.is_none();
            if ui
                .add_enabled(can, egui::Button::new("Find passages"))
                .on_hover_text("Look again (documents saved since are read anew)")
                .on_disabled_hover_text("Choose at least one code")
                .clicked()
            {
                self.run(folder, session, ui.ctx());
            }
            if self.running.is_some() {
                ui.spinner();
            }
            ui.separator();
            ui.label("Sort by");
            for (sort, name) in [(Sort::Document, "document"), (Sort::Code, "code")] {
                if ui.radio(self.sort == sort, name).clicked() {
                    self.sort = sort;
                    self.sort_results();
                }
            }
            ui.separator();
            ui.add_enabled_ui(!self.results.is_empty(), |ui| {
                ui.menu_button("Export ▾", |ui| {
                    for (output, name) in [
                        (Output::Csv, "CSV…"),
                        (Output::Md, "Markdown…"),
                        (Output::Html, "HTML…"),
                    ] {
                        if ui.button(name).clicked() {
                            actions.push(Action::Export(output));
                            ui.close();
                        }
                    }
                });
            });
        });
        if let Some(m) = &self.message {
            ui.label(m);
        }
        if self.replace.is_some() {
            ui.horizontal(|ui| {
                if ui.button("Replace").clicked() {
                    actions.extend(self.replace.take().map(|(o, p)| Action::Replace(o, p)));
                } else if ui.button("Keep it").clicked() {
                    self.replace = None;
                    self.message = None;
                }
            });
        }
        for s in &self.skipped {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Left out {s}"));
        }
        ui.separator();
        self.results_ui(ui, folder, actions);
    }

    fn query_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let codebook = session.codebook();
        let names: Vec<String> = codebook
            .tree()
            .into_iter()
            .map(|(i, _)| codebook.tags[i].name.clone())
            .collect();
        egui::Grid::new("passages query")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Coded");
                ui.horizontal_wrapped(|ui| {
                    for (i, depth) in codebook.tree() {
                        let tag = &codebook.tags[i];
                        let on = self.codes.contains(&tag.name);
                        let label = format!("{}{}", "› ".repeat(depth), tag.name);
                        if crate::ui::widgets::tag_toggle(ui, tag, label, on)
                            .on_hover_text(
                                "Passages with any chosen code, or a code under it (A OR B)",
                            )
                            .clicked()
                        {
                            if on {
                                self.codes.retain(|c| *c != tag.name);
                            } else {
                                self.codes.push(tag.name.clone());
                            }
                        }
                    }
                });
                ui.end_row();
                for (label, value, hint) in [
                    (
                        "and overlapping",
                        &mut self.and,
                        "Keep passages that share text with a passage coded this (A AND B)",
                    ),
                    (
                        "but not overlapping",
                        &mut self.not,
                        "Drop passages that share text with a passage coded this (A NOT B)",
                    ),
                ] {
                    ui.label(label).on_hover_text(hint);
                    code_choice(ui, label, value, &names);
                    ui.end_row();
                }
                ui.label("near").on_hover_text(
                    "Keep passages with a passage coded this at most N characters away (A NEAR B)",
                );
                ui.horizontal(|ui| {
                    code_choice(ui, "near", &mut self.near, &names);
                    ui.label("within");
                    ui.add(
                        egui::DragValue::new(&mut self.near_chars)
                            .range(0..=100_000)
                            .suffix(" chars"),
                    );
                });
                ui.end_row();
                for (label, value, hint) in [
                    ("by author", &mut self.author, "Only this author's passages"),
                    (
                        "containing",
                        &mut self.containing,
                        "Only passages whose text contains this",
                    ),
                    (
                        "in documents",
                        &mut self.documents,
                        "Paths or folders, comma-separated; empty: the whole project",
                    ),
                ] {
                    ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(320.0),
                    );
                    ui.end_row();
                }
            });
    }

    fn results_ui(&mut self, ui: &mut egui::Ui, folder: &Path, actions: &mut Vec<Action>) {
        let documents = {
            let mut d: Vec<&str> = self.results.iter().map(|p| p.document.as_str()).collect();
            d.dedup();
            d.sort_unstable();
            d.dedup();
            d.len()
        };
        if self.codes.is_empty() {
            ui.label("Choose a code above to see its passages.");
        } else {
            ui.label(format!(
                "{} in {}",
                crate::words::plural(self.results.len(), "passage"),
                crate::words::plural(documents, "document"),
            ));
        }
        // Only the rows in view are drawn, however many passages match.
        egui::ScrollArea::vertical().auto_shrink(false).show_rows(
            ui,
            ROW_HEIGHT,
            self.results.len(),
            |ui, rows| {
                for p in &self.results[rows] {
                    let r = ui
                        .push_id(("passage", &p.document, p.start, &p.id), |ui| {
                            passage_row(ui, p)
                        })
                        .inner;
                    if r.on_hover_text("Open the document at this passage")
                        .clicked()
                    {
                        actions.push(Action::Open(folder.join(&p.document), p.id.clone()));
                    }
                }
            },
        );
    }
}

/// One passage: document and codes, the sentence with the passage in
/// bold, note and author. Clickable.
fn passage_row(ui: &mut egui::Ui, p: &Passage) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ROW_HEIGHT - 4.0),
        egui::Sense::click(),
    );
    let label = format!("{} · {} · {}", p.document, p.codes.join(", "), p.quote);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.hovered() {
        ui.painter()
            .rect_filled(rect, 4.0, ui.visuals().widgets.hovered.weak_bg_fill);
    }
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect.shrink(4.0)));
    child.horizontal(|ui| {
        ui.strong(&p.document);
        ui.weak(format!("{}–{}", p.start, p.end));
        ui.label(p.codes.join(", "));
        if !p.author.is_empty() {
            ui.weak(format!("by {}", p.author));
        }
    });
    let job = in_sentence(&child, &p.context, &p.quote, rect.width() - 8.0, 2);
    child.label(job);
    if !p.note.is_empty() {
        child.add(
            egui::Label::new(egui::RichText::new(format!("✎ {}", p.note)).italics()).truncate(),
        );
    }
    response
}

/// A passage in its sentence (`context`), the passage strong on a
/// highlight, so that passages of one sentence read apart (the Passages
/// window's rows, the codebook's Split dialog). At most 70 chars of the
/// sentence before it show: the passage, not the sentence's start, is
/// what must be seen in `max_rows` rows of `max_width`.
pub(crate) fn in_sentence(
    ui: &egui::Ui,
    context: &str,
    quote: &str,
    max_width: f32,
    max_rows: usize,
) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let visuals = ui.visuals();
    let (before, quote, after) = split_context(context, quote);
    let before = match before.char_indices().rev().nth(70) {
        Some((b, _)) => format!("…{}", &before[b..]),
        None => before.to_string(),
    };
    for (text, strong) in [(before.as_str(), false), (quote, true), (after, false)] {
        let format = egui::TextFormat {
            font_id: font.clone(),
            color: if strong {
                visuals.strong_text_color()
            } else {
                visuals.text_color()
            },
            background: if strong {
                visuals.selection.bg_fill.gamma_multiply(0.4)
            } else {
                egui::Color32::TRANSPARENT
            },
            ..Default::default()
        };
        job.append(text, 0.0, format);
    }
    job.wrap.max_rows = max_rows;
    job.wrap.max_width = max_width;
    job
}

/// The context around the quote: (before, quote, after); the whole
/// context before when the quote (whitespace folded) is not found in it.
fn split_context<'a>(context: &'a str, quote: &str) -> (&'a str, &'a str, &'a str) {
    let folded = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    match context.find(&folded) {
        Some(at) if !folded.is_empty() => (
            &context[..at],
            &context[at..at + folded.len()],
            &context[at + folded.len()..],
        ),
        _ => (context, "", ""),
    }
}

/// A code picked from the codebook, or none.
fn code_choice(ui: &mut egui::Ui, id: &str, value: &mut String, names: &[String]) {
    let combo = egui::ComboBox::from_id_salt(("passages code", id))
        .selected_text(if value.is_empty() {
            "—"
        } else {
            value.as_str()
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(value, String::new(), "—");
            for n in names {
                ui.selectable_value(value, n.clone(), n);
            }
        });
    let label = format!("Code {id}");
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_is_found_in_its_context() {
        assert_eq!(
            split_context("He said “no” — 😀 twice.", "“no”"),
            ("He said ", "“no”", " — 😀 twice.")
        );
        assert_eq!(split_context("x y\r\n z", "y z").1, "", "not found");
        assert_eq!(split_context("x y z", "y\r\n z"), ("x ", "y z", ""));
    }

    #[test]
    fn the_form_becomes_the_query() {
        let w = PassagesWindow {
            codes: vec!["claim".into()],
            and: "source".into(),
            near: " evidence ".into(),
            near_chars: 200,
            documents: "a.txt, interviews/ ,".into(),
            ..Default::default()
        };
        let q = w.query();
        assert_eq!(q.and, ["source"]);
        assert!(q.not.is_empty());
        assert_eq!(q.near, [("evidence".to_string(), 200)]);
        assert_eq!(q.documents, ["a.txt", "interviews/"]);
        assert!(q.takes_document("interviews/b.txt"));
        assert!(!q.takes_document("interviews2/b.txt"));
    }
}

#[cfg(test)]
#[path = "passages_guard_tests.rs"]
mod guard_tests;
