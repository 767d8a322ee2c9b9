//! Compare and curate: two or more annotators' annotations side by side
//! (each in its own underline lane, in its own colour), the places they
//! disagree stepped through with N and P, and each one resolved by
//! accepting one annotator's version into a curated set (a copy under the
//! curator's name; the originals stay as they were), editing it, or
//! rejecting them all. The list is worked out on another thread.

use crate::model::CharRange;
use crate::session::Session;
use crate::team::compare::{Disagreement, disagreements};
use crate::ui::command::Command;
use crate::ui::jobs::Job;
use egui::RichText;
use std::collections::BTreeMap;

/// (annotation revision, rejected count, annotators, curator) the list
/// was made for.
type Key = (u64, usize, Vec<String>, String);

pub struct ComparePanel {
    pub open: bool,
    /// The annotators compared, in the order chosen.
    pub chosen: Vec<String>,
    /// Whose name accepted annotations get.
    pub curator: String,
    pub list: Vec<Disagreement>,
    key: Option<Key>,
    running: Option<(Key, Job<Vec<Disagreement>>)>,
    /// The place shown (index in `list`).
    pub current: Option<usize>,
    /// The place the list last scrolled to.
    listed_at: Option<usize>,
}

impl Default for ComparePanel {
    fn default() -> Self {
        Self {
            open: false,
            chosen: Vec::new(),
            curator: "curated".into(),
            list: Vec::new(),
            key: None,
            running: None,
            current: None,
            listed_at: None,
        }
    }
}

/// A row of the disagreement list: ✔ curated, ✖ rejected or • open, where,
/// how, and the text.
pub fn row_label(d: &Disagreement, doc: &crate::model::Document) -> String {
    let mark = if d.resolved {
        "✔"
    } else if d.rejected {
        "✖"
    } else {
        "•"
    };
    let quote: String = doc.slice(d.range).chars().take(50).collect();
    format!(
        "{mark} {}–{}  {}  “{}”",
        d.range.start,
        d.range.end,
        d.summary(),
        quote.replace(['\r', '\n'], " ")
    )
}

/// What curating asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Curate {
    /// Copy one annotator's version of a place (these annotations) into
    /// the curated set, and select the copy to edit it when `edit`.
    Accept {
        ids: Vec<crate::model::AnnotationId>,
        edit: bool,
    },
    /// None of the versions (these annotations): the place is done, with
    /// nothing curated.
    Reject(Vec<crate::model::AnnotationId>),
}

impl ComparePanel {
    /// Opens it on the document's authors (the curator's set aside).
    pub fn start(&mut self, authors: &BTreeMap<String, usize>) {
        self.open = true;
        if self.chosen.is_empty() {
            self.chosen = authors
                .keys()
                .filter(|a| **a != self.curator)
                .cloned()
                .collect();
        }
    }

    pub fn left(&self) -> usize {
        self.list.iter().filter(|d| !d.is_done()).count()
    }

    /// A new document: nothing carries over but the choice of annotators.
    pub fn reset(&mut self) {
        self.list.clear();
        self.key = None;
        self.running = None;
        self.current = None;
    }

    /// Brings the list up to date with the annotations, on another thread
    /// (the UI thread only takes a snapshot: a pointer per 512).
    pub fn refresh(&mut self, session: &Session, ctx: &egui::Context) {
        if !self.open {
            return;
        }
        if let Some((key, job)) = &self.running
            && let Some(done) = job.poll()
        {
            let shown = self.current.and_then(|i| self.list.get(i)).map(|d| d.range);
            self.key = Some(key.clone());
            self.list = done.unwrap_or_default();
            // Stay on the place shown (its range may have grown).
            self.current = shown.and_then(|r| self.list.iter().position(|d| d.range.overlaps(&r)));
            self.running = None;
        }
        let key = (
            session.store().annotations.revision(),
            session.store().rejected.len(),
            self.chosen.clone(),
            self.curator.clone(),
        );
        let stale = self.key.as_ref() != Some(&key);
        let asked = self.running.as_ref().map(|(k, _)| k) == Some(&key);
        if stale && !asked {
            let snapshot = session.store().annotations.snapshot();
            let (who, curator) = (self.chosen.clone(), self.curator.clone());
            let rejected = session.store().rejected.clone();
            let job = Job::start("Comparing annotators", ctx, move || {
                disagreements(snapshot.iter().map(|a| &**a), &who, &curator, &rejected)
            });
            self.running = Some((key, job));
        }
    }

    /// The next (or previous) place left to curate after the one shown,
    /// wrapping around; any place when all are done.
    pub fn step(&mut self, forward: bool) -> Option<CharRange> {
        let n = self.list.len();
        if n == 0 {
            return None;
        }
        let from = self.current.unwrap_or(if forward { n - 1 } else { 0 });
        let order = (1..=n).map(|k| {
            if forward {
                (from + k) % n
            } else {
                (from + n - k % n) % n
            }
        });
        let pick = order
            .clone()
            .find(|&i| !self.list[i].is_done())
            .or_else(|| order.clone().next())?;
        self.current = Some(pick);
        Some(self.list[pick].range)
    }

    /// Every disagreement, one row each (only the rows in view are drawn);
    /// a click goes to it.
    fn list_ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        if self.list.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(format!("All {} disagreements", self.list.len()))
            .id_salt("compare list")
            .show(ui, |ui| {
                // A selectable label is at least an interactive widget tall.
                let row = ui
                    .spacing()
                    .interact_size
                    .y
                    .max(ui.text_style_height(&egui::TextStyle::Body) + 2.0);
                let pitch = row + ui.spacing().item_spacing.y;
                let mut area = egui::ScrollArea::vertical()
                    .max_height(pitch * 6.0)
                    .auto_shrink([false, true]);
                // Keep the place N/P stepped to in view (rows out of view
                // are not drawn, so they cannot scroll themselves there).
                if self.current != self.listed_at {
                    self.listed_at = self.current;
                    if let Some(i) = self.current {
                        area = area.vertical_scroll_offset(pitch * i.saturating_sub(2) as f32);
                    }
                }
                area.show_rows(ui, row, self.list.len(), |ui, rows| {
                    for i in rows {
                        let d = &self.list[i];
                        let text = row_label(d, session.doc());
                        let on = self.current == Some(i);
                        if ui.selectable_label(on, text).clicked() {
                            self.current = Some(i);
                            commands.push(Command::ShowRange(d.range));
                        }
                    }
                });
            });
    }

    /// The bar above the text.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session) -> (Vec<Command>, Option<Curate>) {
        let mut commands = Vec::new();
        let mut curate = None;
        let authors = &session.store().annotations.counts().authors;
        ui.horizontal_wrapped(|ui| {
            ui.strong("Compare");
            for name in authors.keys().filter(|a| **a != self.curator) {
                let on = self.chosen.contains(name);
                let shown = if name.is_empty() { "(no author)" } else { name };
                let color = crate::ui::authors::AuthorView {
                    lanes: self.chosen.clone(),
                    ..Default::default()
                }
                .color(name, authors);
                let text = RichText::new(format!("■ {shown}")).color(if on {
                    crate::ui::theme::readable(color, ui.visuals().panel_fill)
                } else {
                    ui.visuals().weak_text_color()
                });
                let mut ticked = on;
                if ui
                    .checkbox(&mut ticked, text)
                    .on_hover_text(format!("Compare {shown}'s annotations"))
                    .clicked()
                {
                    if on {
                        self.chosen.retain(|a| a != name);
                    } else {
                        self.chosen.push(name.clone());
                    }
                }
            }
            ui.separator();
            let label = ui.label("curate as");
            ui.add(egui::TextEdit::singleline(&mut self.curator).desired_width(90.0))
                .labelled_by(label.id)
                .on_hover_text("Accepted annotations are copied under this name; the originals stay as they are");
            ui.separator();
            if self.chosen.len() < 2 {
                ui.weak("choose two annotators or more");
            } else if self.key.is_none() {
                ui.spinner();
            } else {
                ui.label(format!(
                    "{} of {} disagreements left",
                    self.left(),
                    self.list.len()
                ));
            }
            if ui.button("◀ P").on_hover_text("Previous disagreement (P)").clicked() {
                commands.push(Command::Previous);
            }
            if ui.button("N ▶").on_hover_text("Next disagreement (N)").clicked() {
                commands.push(Command::Next);
            }
            if ui.button("✕").on_hover_text("Close Compare").clicked() {
                self.open = false;
            }
        });
        self.list_ui(ui, session, &mut commands);
        let Some(d) = self.current.and_then(|i| self.list.get(i)).cloned() else {
            return (commands, curate);
        };
        ui.horizontal_wrapped(|ui| {
            let done = if d.resolved {
                " · ✔ curated"
            } else if d.rejected {
                " · ✖ rejected"
            } else {
                ""
            };
            ui.label(format!(
                "{}–{}: {}{done}",
                d.range.start,
                d.range.end,
                d.summary()
            ));
        });
        for (who, ids) in &d.versions {
            ui.horizontal_wrapped(|ui| {
                let color = crate::ui::authors::AuthorView {
                    lanes: self.chosen.clone(),
                    ..Default::default()
                }
                .color(who, authors);
                let color = crate::ui::theme::readable(color, ui.visuals().panel_fill);
                ui.label(RichText::new(format!("■ {who}")).color(color).strong());
                if ids.is_empty() {
                    ui.weak("did not mark it");
                    return;
                }
                let anns: Vec<_> = ids.iter().filter_map(|id| session.annotation(id)).collect();
                let what: Vec<String> = anns
                    .iter()
                    .map(|a| {
                        let quote: String = a.quote.chars().take(60).collect();
                        format!("{} “{quote}”", a.tags.join("+"))
                    })
                    .collect();
                ui.label(what.join(" · "));
                for (verb, edit, hint) in [
                    ("Accept", false, "Copy it into the curated set"),
                    (
                        "Edit",
                        true,
                        "Accept it and select the copy to change its extent, codes or note",
                    ),
                ] {
                    let b = ui.button(format!("{verb} {who}'s")).on_hover_text(hint);
                    if b.clicked() {
                        curate = Some(Curate::Accept {
                            ids: ids.clone(),
                            edit,
                        });
                    }
                }
            });
        }
        if ui
            .button("Reject all")
            .on_hover_text("None of these versions goes into the curated set")
            .clicked()
        {
            curate = Some(Curate::Reject(d.ids()));
        }
        (commands, curate)
    }
}
