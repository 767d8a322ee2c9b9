//! The find bar across a project ("All documents"): hits in every
//! document's text and memo and in the project memo, listed by document
//! with their sentence, found on another thread; and "Tag all in project",
//! previewed first, each document tagged and saved in the background, and
//! taken back as one step.

use crate::project::search::{Hit, Place, Tagged, search_folder};
use crate::project::{Current, search::tag_in};
use crate::search::Query;
use crate::session::Session;
use crate::ui::jobs::Job;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, channel};

const ROW_HEIGHT: f32 = 22.0;

enum Message {
    Hits(Vec<Hit>),
    Skipped(String),
    Done(Result<(), String>),
}

struct Running {
    rx: Receiver<Message>,
    _stop: crate::ui::jobs::StopOnDrop,
}

/// What tagging across a project did, document by document.
pub type Outcome = Vec<(PathBuf, Result<Tagged, String>)>;

#[derive(Default)]
pub struct CorpusSearch {
    pub hits: Vec<Hit>,
    searched: Option<(Query, PathBuf)>,
    running: Option<Running>,
    skipped: Vec<String>,
    error: Option<String>,
    /// "Tag all in project" waiting for the user: the tag.
    confirm: Option<String>,
    /// The other documents being tagged (the shown one is tagged at once).
    pub tagging: Option<(String, Job<Outcome>)>,
    /// Taggings across the project, to take back: what each made.
    pub done: Vec<Vec<Tagged>>,
}

impl CorpusSearch {
    pub fn is_running(&self) -> bool {
        self.running.is_some() || self.tagging.is_some()
    }

    /// Searches `folder` for `query` unless that is what the hits are of.
    pub fn update(&mut self, ctx: &egui::Context, folder: &Path, query: &Query, session: &Session) {
        let key = (query.clone(), folder.to_path_buf());
        if self.searched.as_ref() == Some(&key) {
            self.poll();
            return;
        }
        self.searched = Some(key);
        self.hits.clear();
        self.skipped.clear();
        self.error = None;
        self.running = None;
        if query.text.is_empty() {
            return;
        }
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let (stop, ctx2) = (cancel.clone(), ctx.clone());
        let (folder, query, current) = (folder.to_path_buf(), query.clone(), Current::of(session));
        std::thread::spawn(move || {
            let send = |m| {
                let _ = tx.send(m);
                ctx2.request_repaint();
            };
            let result = search_folder(
                &folder,
                &query,
                current.as_ref(),
                &stop,
                &mut |p, why| send(Message::Skipped(format!("{}: {why}", p.display()))),
                &mut |hits| send(Message::Hits(hits)),
            );
            send(Message::Done(result.map_err(|e| e.to_string())));
        });
        self.running = Some(Running {
            rx,
            _stop: crate::ui::jobs::StopOnDrop(cancel),
        });
    }

    fn poll(&mut self) {
        let Some(running) = &self.running else { return };
        while let Ok(m) = running.rx.try_recv() {
            match m {
                Message::Hits(h) => self.hits.extend(h),
                Message::Skipped(s) => self.skipped.push(s),
                Message::Done(r) => {
                    self.error = r.err();
                    self.running = None;
                    return;
                }
            }
        }
    }

    /// The hits in the document's text, by document, in order.
    pub fn ranges_by_document(&self) -> Vec<(PathBuf, Vec<crate::model::CharRange>)> {
        let mut out: Vec<(PathBuf, Vec<crate::model::CharRange>)> = Vec::new();
        for h in &self.hits {
            if let Place::Text(r) = h.place {
                match out.last_mut() {
                    Some((p, rs)) if *p == h.path => rs.push(r),
                    _ => out.push((h.path.clone(), vec![r])),
                }
            }
        }
        out
    }

    pub fn preview(&mut self, tag: String) {
        self.confirm = Some(tag);
    }

    /// Tags every other document's hits on another thread (the shown
    /// document's are tagged by the caller, in its undo history).
    pub fn start_tagging(
        &mut self,
        ctx: &egui::Context,
        tag: &str,
        author: &str,
        except: Option<&Path>,
    ) {
        let work: Vec<(PathBuf, Vec<crate::model::CharRange>)> = self
            .ranges_by_document()
            .into_iter()
            .filter(|(p, _)| !except.is_some_and(|e| crate::storage::same_file(p, e)))
            .collect();
        let (tag_owned, author) = (tag.to_string(), author.to_string());
        let now = time::OffsetDateTime::now_utc();
        let what = format!("Tagging {} documents", work.len());
        let job = Job::start(what, ctx, move || {
            work.into_iter()
                .map(|(path, ranges)| {
                    let r = tag_in(&path, &ranges, &tag_owned, &author, now);
                    (path, r)
                })
                .collect()
        });
        self.tagging = Some((tag.to_string(), job));
    }

    /// The preview of "Tag all in project": `Some(tag)` once confirmed.
    pub fn confirm_ui(&mut self, ctx: &egui::Context) -> Option<String> {
        let tag = self.confirm.clone()?;
        let by_doc = self.ranges_by_document();
        let total: usize = by_doc.iter().map(|(_, r)| r.len()).sum();
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("tag all in project")).show(ctx, |ui| {
            ui.heading(format!("Tag {total} matches in {} documents with “{tag}”?", by_doc.len()));
            ui.label("Matches already tagged so are skipped. Each document is saved; you can take it all back in one step.");
            egui::ScrollArea::vertical().max_height(240.0).show(ui, |ui| {
                for (path, ranges) in &by_doc {
                    let name = self
                        .hits
                        .iter()
                        .find(|h| h.path == *path)
                        .map_or(String::new(), |h| h.document.clone());
                    ui.label(format!("{name}: {} matches", ranges.len()));
                }
            });
            ui.horizontal(|ui| {
                if ui.button(format!("Tag all {total}")).clicked() {
                    answer = Some(tag.clone());
                }
                if ui.button("Cancel").clicked() {
                    self.confirm = None;
                }
            });
        });
        if answer.is_some() || modal.should_close() {
            self.confirm = None;
        }
        answer
    }

    /// The hits, by document; returns the one clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Hit> {
        let documents = {
            let mut d: Vec<&str> = self.hits.iter().map(|h| h.document.as_str()).collect();
            d.dedup();
            d.len()
        };
        ui.horizontal(|ui| {
            ui.strong("In all documents");
            ui.label(format!(
                "{} hits in {documents} places{}",
                self.hits.len(),
                if self.running.is_some() { "…" } else { "" }
            ));
            if self.running.is_some() {
                ui.spinner();
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        for s in &self.skipped {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Left out {s}"));
        }
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, true])
            .show_rows(ui, ROW_HEIGHT, self.hits.len(), |ui, rows| {
                for h in &self.hits[rows] {
                    let place = match &h.place {
                        Place::Text(r) => format!("{} · {}", h.document, r.start),
                        Place::Memo => format!("{} · memo", h.document),
                        Place::ProjectMemo => "project memo".into(),
                    };
                    let text = format!("{place} — {}", h.context);
                    let r = ui.add(egui::Button::new(text).frame(false).truncate());
                    if r.on_hover_text("Open it there").clicked() {
                        clicked = Some(h.clone());
                    }
                }
            });
        clicked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;

    #[test]
    fn hits_group_by_document_for_tagging() {
        let hit = |p: &str, place| Hit {
            document: p.into(),
            path: PathBuf::from(p),
            place,
            context: String::new(),
        };
        let search = CorpusSearch {
            hits: vec![
                hit("", Place::ProjectMemo),
                hit("a", Place::Text(CharRange::new(1, 2))),
                hit("a", Place::Memo),
                hit("a", Place::Text(CharRange::new(5, 6))),
                hit("b", Place::Text(CharRange::new(0, 1))),
            ],
            ..Default::default()
        };
        assert_eq!(
            search.ranges_by_document(),
            [
                (
                    PathBuf::from("a"),
                    vec![CharRange::new(1, 2), CharRange::new(5, 6)]
                ),
                (PathBuf::from("b"), vec![CharRange::new(0, 1)]),
            ]
        );
    }
}
