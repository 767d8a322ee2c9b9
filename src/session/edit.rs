//! Every user command on one document's annotations, each one undo step
//! through [`Session::apply`], the one way the store changes.

use super::{CommandError, Session};
use crate::anchor::AnchorReport;
use crate::model::{Annotation, AnnotationId, CharRange, Document, EditError, Op};
use time::OffsetDateTime;

impl Session {
    /// Applies a change as one undo step.
    pub(crate) fn apply(
        &mut self,
        ops: Vec<Op>,
        coalesce: Option<String>,
    ) -> Result<(), CommandError> {
        if let Some(why) = &self.read_only {
            return Err(CommandError::ReadOnly(why.clone()));
        }
        let inverse = self.store.apply(ops)?;
        self.history.record(inverse, coalesce);
        self.dirty = true;
        Ok(())
    }

    /// Creates an annotation on `range` (snapped to whole graphemes).
    pub fn annotate(
        &mut self,
        range: CharRange,
        tags: Vec<String>,
        author: &str,
        now: OffsetDateTime,
    ) -> Result<AnnotationId, CommandError> {
        let range = self.doc.snap_to_graphemes(range);
        if range.is_empty() {
            return Err(CommandError::EmptySelection);
        }
        let a = Annotation::new(&self.doc, range, tags, author, now);
        let id = a.id.clone();
        self.apply(vec![Op::Insert(a)], None)?;
        Ok(id)
    }

    /// Changes one annotation through `f`, stamping its modified time.
    fn update(
        &mut self,
        id: &AnnotationId,
        now: OffsetDateTime,
        coalesce: Option<String>,
        f: impl FnOnce(&mut Annotation, &Document),
    ) -> Result<(), CommandError> {
        let mut a = self
            .annotation(id)
            .cloned()
            .ok_or_else(|| EditError::NoSuchAnnotation(id.clone()))?;
        f(&mut a, &self.doc);
        a.modified = now;
        // Who changed it, beside who made it: a colleague's edit is never
        // passed off as the author's.
        if !self.editor.is_empty() {
            a.changed_by = if self.editor == a.author {
                String::new()
            } else {
                self.editor.clone()
            };
        }
        self.apply(vec![Op::Replace(a)], coalesce)
    }

    pub fn toggle_tag(
        &mut self,
        id: &AnnotationId,
        tag: &str,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        self.update(id, now, None, |a, _| {
            if let Some(i) = a.tags.iter().position(|t| t == tag) {
                a.tags.remove(i);
            } else {
                a.tags.push(tag.to_string());
            }
        })
    }

    /// Adds annotations made elsewhere (curated copies) as one undo step.
    pub fn add_all(&mut self, annotations: Vec<Annotation>) -> Result<(), CommandError> {
        if annotations.is_empty() {
            return Ok(());
        }
        self.apply(annotations.into_iter().map(Op::Insert).collect(), None)
    }

    /// Deletes those of `ids` that are still here, as one undo step;
    /// returns how many.
    pub fn delete_all(&mut self, ids: &[AnnotationId]) -> Result<usize, CommandError> {
        let ops: Vec<Op> = ids
            .iter()
            .filter(|id| self.annotation(id).is_some())
            .map(|id| Op::Remove(id.clone()))
            .collect();
        let n = ops.len();
        if n > 0 {
            self.apply(ops, None)?;
        }
        Ok(n)
    }

    /// Takes re-anchored annotations (`gloss reanchor --write`): those whose
    /// place changed are replaced, as one undo step.
    pub fn take_placed(
        &mut self,
        placed: Vec<Annotation>,
        report: AnchorReport,
    ) -> Result<(), CommandError> {
        let ops: Vec<Op> = placed
            .into_iter()
            .filter(|a| {
                self.annotation(&a.id)
                    .is_some_and(|b| !crate::merge::same_annotation(a, b))
            })
            .map(Op::Replace)
            .collect();
        if !ops.is_empty() {
            self.apply(ops, None)?;
        }
        self.anchor_report = report;
        Ok(())
    }

    /// Sets the note; consecutive typing in one note undoes as one step.
    pub fn set_note(
        &mut self,
        id: &AnnotationId,
        note: &str,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let key = format!("note:{id}");
        self.update(id, now, Some(key), |a, _| a.note = note.to_string())
    }

    /// Moves an annotation (also re-attaches an orphan) to `range`.
    pub fn set_range(
        &mut self,
        id: &AnnotationId,
        range: CharRange,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let range = self.doc.snap_to_graphemes(range);
        if range.is_empty() {
            return Err(CommandError::EmptySelection);
        }
        self.update(id, now, None, |a, doc| {
            a.set_range(doc, range);
            a.review = None;
        })
    }

    /// Confirms an approximately placed annotation where it is.
    pub fn confirm_review(
        &mut self,
        id: &AnnotationId,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        self.update(id, now, None, |a, _| a.review = None)
    }

    pub fn delete(&mut self, id: &AnnotationId) -> Result<(), CommandError> {
        self.apply(vec![Op::Remove(id.clone())], None)
    }

    /// How many steps Edit → Undo can take back (see [`History::depth`]).
    pub fn undo_depth(&self) -> usize {
        self.history.depth()
    }

    pub fn undo(&mut self) -> Result<bool, CommandError> {
        if let Some(why) = &self.read_only {
            return Err(CommandError::ReadOnly(why.clone()));
        }
        let done = self.history.undo(&mut self.store)?;
        self.dirty |= done;
        Ok(done)
    }

    pub fn redo(&mut self) -> Result<bool, CommandError> {
        if let Some(why) = &self.read_only {
            return Err(CommandError::ReadOnly(why.clone()));
        }
        let done = self.history.redo(&mut self.store)?;
        self.dirty |= done;
        Ok(done)
    }

    /// Undo (or redo) in one text field, as a text editor does: only the
    /// steps whose coalesce key is `key` (a note's typing). Returns whether
    /// there was one.
    pub fn undo_in(&mut self, key: &str, redo: bool) -> Result<bool, CommandError> {
        if let Some(why) = &self.read_only {
            return Err(CommandError::ReadOnly(why.clone()));
        }
        self.history.seal();
        let done = if redo {
            self.history.redo_in(&mut self.store, key)?
        } else {
            self.history.undo_in(&mut self.store, key)?
        };
        self.dirty |= done;
        Ok(done)
    }

    /// Marks a place's annotations as rejected by the curator (Compare),
    /// as one undo step.
    pub fn reject(&mut self, ids: &[AnnotationId]) -> Result<(), CommandError> {
        let mut all = self.store.rejected.clone();
        all.extend(ids.iter().cloned());
        all.sort();
        all.dedup();
        if all == self.store.rejected {
            return Ok(());
        }
        self.apply(vec![Op::SetRejected(all)], None)
    }

    /// Sets the document's memo; typing in it undoes as one step.
    pub fn set_memo(&mut self, text: &str) -> Result<(), CommandError> {
        if self.store.memo == text {
            return Ok(());
        }
        self.apply(vec![Op::SetMemo(text.to_string())], Some("memo".into()))
    }
}
