//! The Agreement window: the figures of `gloss agreement` for the open
//! document or the whole project, overall, per code and per document,
//! counted on another thread.

use crate::project::Current;
use crate::session::Session;
use crate::team::agreement::{Figures, Report, report};
use crate::team::agreement_io::{Owned, number, prf, unit_rows};
use crate::ui::jobs::Job;
use std::path::PathBuf;
use std::sync::Arc;

type Counted = Result<(Report, usize), String>;

#[derive(Default)]
pub struct AgreementWindow {
    pub open: bool,
    /// Over the project's documents rather than the open one.
    pub whole_project: bool,
    /// Annotators, comma-separated, in pair order ("": everyone).
    pub annotators: String,
    /// Left out of the figures unless named among the annotators: Compare
    /// and Curate's name for its copies (empty: its default name).
    pub curator: String,
    running: Option<Job<Counted>>,
    /// The figures and how many documents they cover.
    pub result: Option<Counted>,
    /// What the figures were counted for (scope, annotators, revision).
    counted: Option<(bool, String, u64)>,
}

impl AgreementWindow {
    fn start(&mut self, ctx: &egui::Context, session: &Session, folder: Option<PathBuf>) {
        let names: Vec<String> = self
            .annotators
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let project = self.whole_project && folder.is_some();
        self.counted = Some((
            project,
            self.annotators.clone(),
            session.store().annotations.revision(),
        ));
        let current = Current::of(session);
        let (doc, snapshot) = (
            session.doc().clone(),
            session.store().annotations.snapshot(),
        );
        let name = session.doc().name.clone();
        let curator = match self.curator.trim() {
            "" => crate::team::agreement::DEFAULT_CURATOR.to_string(),
            c => c.to_string(),
        };
        self.running = Some(Job::start("Counting agreement", ctx, move || {
            let owned = match (project, folder) {
                (true, Some(folder)) => Owned::folder(&folder, current.as_ref(), &mut |_, _| {})
                    .map_err(|e| format!("could not read {}: {e}", folder.display()))?,
                _ => vec![Owned {
                    name,
                    doc: Arc::clone(&doc),
                    annotations: snapshot.iter().map(|a| (**a).clone()).collect(),
                }],
            };
            let docs: Vec<_> = owned.iter().map(Owned::coded).collect();
            let names = if names.is_empty() {
                crate::team::agreement::coders(&docs, &curator)
            } else {
                names
            };
            Ok((report(&docs, &names, None), docs.len()))
        }));
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, folder: Option<PathBuf>) {
        if !self.open {
            return;
        }
        if let Some(job) = &self.running
            && let Some(done) = job.poll()
        {
            self.result = Some(done.unwrap_or_else(|| Err("the count stopped".into())));
            self.running = None;
        }
        let mut open = self.open;
        let mut again = false;
        egui::Window::new("Agreement")
            .open(&mut open)
            .default_size([560.0, 480.0])
            .default_pos([140.0, 90.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Annotators:");
                    again |= ui
                        .add(
                            egui::TextEdit::singleline(&mut self.annotators)
                                .hint_text("everyone (or A, B, …)")
                                .desired_width(200.0),
                        )
                        .labelled_by(label.id)
                        .lost_focus();
                    if folder.is_some() {
                        again |= ui
                            .checkbox(&mut self.whole_project, "whole project")
                            .changed();
                    }
                    again |= ui.button("Count again").clicked();
                    if self.running.is_some() {
                        ui.spinner();
                    }
                });
                ui.separator();
                match &self.result {
                    None => {
                        ui.weak("Counting…");
                    }
                    Some(Err(why)) => {
                        ui.colored_label(ui.visuals().warn_fg_color, why);
                    }
                    Some(Ok((r, n))) => {
                        egui::ScrollArea::vertical().show(ui, |ui| report_ui(ui, r, *n));
                    }
                }
            });
        self.open = open;
        let stale = self.counted.as_ref().is_none_or(|(p, a, _)| {
            *p != (self.whole_project && folder.is_some()) || *a != self.annotators
        });
        if self.open && self.running.is_none() && (again || stale) {
            self.start(ctx, session, folder);
        }
    }
}

fn figures_ui(ui: &mut egui::Ui, id: &str, f: &Figures) {
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        ui.label("");
        ui.strong("char units");
        ui.strong("token units");
        ui.end_row();
        for (what, c, t) in unit_rows(f) {
            ui.label(what);
            ui.label(c);
            ui.label(t);
            ui.end_row();
        }
    });
    if !f.span_f1.is_empty() {
        egui::Grid::new(format!("{id} spans"))
            .striped(true)
            .show(ui, |ui| {
                ui.strong("spans (first = reference)");
                ui.strong("exact P / R / F1");
                ui.strong("overlap P / R / F1");
                ui.end_row();
                for (pair, s) in &f.span_f1 {
                    ui.label(pair);
                    ui.label(prf(&s.exact));
                    ui.label(prf(&s.overlap));
                    ui.end_row();
                }
            });
    }
    for n in &f.notes {
        ui.weak(n);
    }
}

fn report_ui(ui: &mut egui::Ui, r: &Report, documents: usize) {
    ui.label(format!(
        "{} on {documents} document{}",
        r.overall.annotators.join(", "),
        if documents == 1 { "" } else { "s" }
    ));
    figures_ui(ui, "overall", &r.overall);
    if r.overall.annotators.len() < 2 {
        return;
    }
    for (title, list) in [("Per code", &r.per_code), ("Per document", &r.documents)] {
        if list.is_empty() {
            continue;
        }
        ui.add_space(6.0);
        ui.strong(title);
        egui::Grid::new(title).striped(true).show(ui, |ui| {
            for h in ["", "α char", "α token", "κ char", "F1 exact", "F1 overlap"] {
                ui.strong(h);
            }
            ui.end_row();
            for (name, f) in list {
                let (e, o) = f.span_f1_mean.unwrap_or((0.0, 0.0));
                let kappa = f.char.pairwise.first().and_then(|p| p.1.cohen_kappa);
                ui.label(name);
                ui.label(number(f.char.krippendorff_alpha));
                ui.label(number(f.token.krippendorff_alpha));
                ui.label(number(kappa));
                ui.label(format!("{e:.3}"));
                ui.label(format!("{o:.3}"));
                ui.end_row();
            }
        });
    }
}
