//! The window's side of searching and tagging a whole project: the hits
//! panel under the find bar, the preview before "Tag all in project", the
//! tagging's result (with a way to take it back) and taking it back.

use crate::project::search::{Place, Tagged, untag_in};
use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use crate::ui::notices::Level;

impl GlossApp {
    /// With "All documents" on, the hits in the whole project, under the
    /// find bar.
    pub(super) fn corpus_panel(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let folder = self
            .project_folder()
            .filter(|_| self.find.open && self.find.all_documents);
        let Some(folder) = folder else { return };
        self.corpus
            .update(&ctx, &folder, &self.find.query, &self.session);
        let clicked = egui::Panel::bottom("project hits")
            .resizable(true)
            .default_size(180.0)
            .show(ui, |ui| self.corpus.ui(ui))
            .inner;
        if let Some(hit) = clicked {
            match hit.place {
                Place::Text(r) => self.then_in(hit.path, Command::ShowRange(r)),
                // The memo is in the side panel, once its document shows.
                Place::Memo if !self.is_current(&hit.path) => {
                    self.queue.push(Command::Open(hit.path))
                }
                Place::Memo => {}
                Place::ProjectMemo => {}
            }
        }
    }

    /// The preview of "Tag all in project"; once confirmed, the shown
    /// document is tagged at once (one undo step in it) and the others in
    /// the background.
    pub(super) fn corpus_confirm(&mut self, ctx: &egui::Context) {
        let Some(tag) = self.corpus.confirm_ui(ctx) else {
            return;
        };
        let now = time::OffsetDateTime::now_utc();
        let here = self.session.path().clone();
        let mine: Vec<crate::model::CharRange> = self
            .corpus
            .ranges_by_document()
            .into_iter()
            .filter(|(p, _)| here.is_some() && self.is_current(p))
            .flat_map(|(_, r)| r)
            .collect();
        let mut first = Vec::new();
        if let Some(path) = &here
            && !mine.is_empty()
        {
            match self
                .session
                .tag_all_ids(&mine, &tag, &self.prefs.author, now)
            {
                Ok(ids) => {
                    self.mark_changed();
                    first.push(Tagged {
                        path: path.clone(),
                        ids,
                    });
                }
                Err(e) => self.notices.push(Level::Error, format!("{e}.")),
            }
        }
        self.corpus_current = first;
        self.corpus
            .start_tagging(ctx, &tag, &self.prefs.author, here.as_deref());
    }

    /// Takes in a finished tagging across the project.
    pub(super) fn poll_corpus_tagging(&mut self) {
        let Some((tag, job)) = &self.corpus.tagging else {
            return;
        };
        let Some(done) = job.poll() else { return };
        let tag = tag.clone();
        self.corpus.tagging = None;
        let mut made = std::mem::take(&mut self.corpus_current);
        let mut failed = Vec::new();
        for (path, result) in done.unwrap_or_default() {
            match result {
                Ok(t) => {
                    self.forget_parked(&t.path, t.ids.len());
                    made.push(t);
                }
                Err(e) => failed.push(format!("{}: {e}", path.display())),
            }
        }
        let n: usize = made.iter().map(|t| t.ids.len()).sum();
        let docs = made.iter().filter(|t| !t.ids.is_empty()).count();
        self.corpus.done.push(made);
        let undo = Command::UndoProjectTag(self.corpus.done.len() - 1);
        self.notices.push_with(
            Level::Info,
            format!("Tagged {n} matches in {docs} documents with “{tag}”."),
            Some(("Undo".into(), undo)),
        );
        for f in failed {
            self.notices.push(Level::Error, format!("Not tagged: {f}."));
        }
    }

    /// A document changed on disk by a project-wide tagging: a copy kept
    /// for switching back would be stale.
    fn forget_parked(&mut self, path: &std::path::Path, added: usize) {
        if let Some(d) = &mut self.documents {
            d.unpark(path);
            d.add_to_count(path, added);
        }
    }

    /// Takes back tagging `n` across the project: the shown document's
    /// part as an edit, the others' on another thread.
    pub(super) fn undo_project_tag(&mut self, n: usize) {
        let Some(made) = self.corpus.done.get_mut(n).map(std::mem::take) else {
            return;
        };
        let mut others = Vec::new();
        for t in made {
            if self.is_current(&t.path) {
                if self.session.delete_all(&t.ids).is_ok_and(|n| n > 0) {
                    self.mark_changed();
                }
            } else if !t.ids.is_empty() {
                self.forget_parked(&t.path, 0);
                others.push(t);
            }
        }
        let ctx = self.ctx.clone();
        self.project_writes.push(std::thread::spawn(move || {
            for t in others {
                if let Err(e) = untag_in(&t) {
                    eprintln!("gloss: {}: not taken back: {e}", t.path.display());
                }
            }
            ctx.request_repaint();
        }));
        self.notices
            .push(Level::Info, "Took back the tagging across the project.");
    }
}
