//! The annotations and codebook of one document, changed only through
//! [`Op`]s so that every change has an exact inverse for undo.

use super::{Annotation, AnnotationId, AnnotationSet, Codebook, Tag};
use std::collections::HashSet;
use thiserror::Error;

/// Batches with more inserts (or removals) than this are applied at once.
const BULK: usize = 64;

/// One reversible change.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Insert(Annotation),
    Remove(AnnotationId),
    /// Replace the annotation with the same id.
    Replace(Annotation),
    InsertTag(usize, Tag),
    RemoveTag(usize),
    ReplaceTag(usize, Tag),
    /// The document's memo becomes this text.
    SetMemo(String),
    /// The annotations whose place a curator rejected become these.
    SetRejected(Vec<AnnotationId>),
}

#[derive(Debug, Error, PartialEq)]
pub enum EditError {
    #[error("no annotation with id {0}")]
    NoSuchAnnotation(AnnotationId),
    #[error("an annotation with id {0} already exists")]
    DuplicateId(AnnotationId),
    #[error("no tag at position {0} in the codebook")]
    NoSuchTag(usize),
    #[error("the codebook already has a tag named “{0}”")]
    DuplicateTag(String),
    #[error("a tag needs a name")]
    EmptyTagName,
    #[error("“{code}” cannot go under “{parent}”: that is itself or a code under it")]
    ParentLoop { code: String, parent: String },
}

/// Everything about a document that the user edits.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub codebook: Codebook,
    pub annotations: AnnotationSet,
    /// The researcher's memo on the whole document.
    pub memo: String,
    /// Annotations whose versions a curator rejected (Compare), sorted:
    /// a place all of whose annotations are here is curated with nothing.
    pub rejected: Vec<AnnotationId>,
}

impl Store {
    /// Applies `ops` in order and returns the ops that undo them (already
    /// reversed). On error nothing is changed.
    pub fn apply(&mut self, ops: Vec<Op>) -> Result<Vec<Op>, EditError> {
        let inserts = ops.iter().filter(|o| matches!(o, Op::Insert(_))).count();
        let removes = ops.iter().filter(|o| matches!(o, Op::Remove(_))).count();
        let replaces = ops.iter().filter(|o| matches!(o, Op::Replace(_))).count();
        if (inserts > BULK && removes + replaces == 0)
            || (removes > BULK && inserts + replaces == 0)
        {
            return self.apply_bulk(ops);
        }
        let mut inverse = Vec::with_capacity(ops.len());
        for op in ops {
            match self.apply_one(op) {
                Ok(inv) => inverse.push(inv),
                Err(e) => {
                    // Roll back what was applied so the batch is all or nothing.
                    for inv in inverse.into_iter().rev() {
                        let _ = self.apply_one(inv);
                    }
                    return Err(e);
                }
            }
        }
        inverse.reverse();
        Ok(inverse)
    }

    /// Many inserts (or many removals) at once, with one sort or one pass
    /// over the set instead of a shift per annotation. Codebook ops in the
    /// batch commute with them and are applied one by one.
    fn apply_bulk(&mut self, ops: Vec<Op>) -> Result<Vec<Op>, EditError> {
        let (mut added, mut removed) = (Vec::new(), HashSet::new());
        let mut codebook = Vec::new();
        for op in ops {
            match op {
                Op::Insert(a) => added.push(a),
                Op::Remove(id) => {
                    if !removed.insert(id.clone()) {
                        return Err(EditError::NoSuchAnnotation(id));
                    }
                }
                other => codebook.push(other),
            }
        }
        let mut ids = HashSet::with_capacity(added.len());
        for a in &added {
            if self.annotations.get(&a.id).is_some() || !ids.insert(&a.id) {
                return Err(EditError::DuplicateId(a.id.clone()));
            }
        }
        if let Some(id) = removed.iter().find(|id| self.annotations.get(id).is_none()) {
            return Err(EditError::NoSuchAnnotation(id.clone()));
        }
        let mut inverse = self.apply(codebook)?;
        let undo: Vec<Op> = if added.is_empty() {
            let gone = self.annotations.remove_many(&removed);
            gone.into_iter().map(Op::Insert).collect()
        } else {
            let ids: Vec<Op> = added.iter().map(|a| Op::Remove(a.id.clone())).collect();
            self.annotations.extend(added);
            ids
        };
        inverse.splice(0..0, undo);
        Ok(inverse)
    }

    fn apply_one(&mut self, op: Op) -> Result<Op, EditError> {
        let tags = &mut self.codebook.tags;
        Ok(match op {
            Op::Insert(a) => {
                if self.annotations.get(&a.id).is_some() {
                    return Err(EditError::DuplicateId(a.id));
                }
                let id = a.id.clone();
                self.annotations.insert(a);
                Op::Remove(id)
            }
            Op::Remove(id) => match self.annotations.remove(&id) {
                Some(a) => Op::Insert(a),
                None => return Err(EditError::NoSuchAnnotation(id)),
            },
            Op::Replace(a) => {
                let id = a.id.clone();
                match self.annotations.replace(a) {
                    Some(old) => Op::Replace(old),
                    None => return Err(EditError::NoSuchAnnotation(id)),
                }
            }
            Op::InsertTag(i, tag) => {
                check_name(tags, &tag.name, None)?;
                let i = i.min(tags.len());
                tags.insert(i, tag);
                Op::RemoveTag(i)
            }
            Op::RemoveTag(i) => {
                if i >= tags.len() {
                    return Err(EditError::NoSuchTag(i));
                }
                Op::InsertTag(i, tags.remove(i))
            }
            Op::SetMemo(text) => Op::SetMemo(std::mem::replace(&mut self.memo, text)),
            Op::SetRejected(ids) => Op::SetRejected(std::mem::replace(&mut self.rejected, ids)),
            Op::ReplaceTag(i, tag) => {
                if i >= tags.len() {
                    return Err(EditError::NoSuchTag(i));
                }
                check_name(tags, &tag.name, Some(i))?;
                Op::ReplaceTag(i, std::mem::replace(&mut tags[i], tag))
            }
        })
    }
}

fn check_name(tags: &[Tag], name: &str, except: Option<usize>) -> Result<(), EditError> {
    if name.trim().is_empty() {
        return Err(EditError::EmptyTagName);
    }
    match tags.iter().position(|t| t.name == name) {
        Some(j) if Some(j) != except => Err(EditError::DuplicateTag(name.to_string())),
        _ => Ok(()),
    }
}

/// Undo and redo stacks of inverse op batches.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<(Vec<Op>, Option<String>)>,
    redo: Vec<Vec<Op>>,
}

impl History {
    /// Records the inverse of a change. Consecutive changes with the same
    /// `coalesce` key (e.g. typing in one note) undo as one step: the first
    /// inverse already restores the state before all of them.
    pub fn record(&mut self, inverse: Vec<Op>, coalesce: Option<String>) {
        self.redo.clear();
        if let (Some(key), Some((_, Some(last)))) = (&coalesce, self.undo.last())
            && key == last
        {
            return;
        }
        self.undo.push((inverse, coalesce));
    }

    /// Ends coalescing, so the next change starts a new undo step.
    pub fn seal(&mut self) {
        if let Some((_, key)) = self.undo.last_mut() {
            *key = None;
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self, store: &mut Store) -> Result<bool, EditError> {
        let Some((ops, _)) = self.undo.pop() else {
            return Ok(false);
        };
        let inverse = store.apply(ops)?;
        self.redo.push(inverse);
        Ok(true)
    }

    pub fn redo(&mut self, store: &mut Store) -> Result<bool, EditError> {
        let Some(ops) = self.redo.pop() else {
            return Ok(false);
        };
        let inverse = store.apply(ops)?;
        self.undo.push((inverse, None));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::{ann, doc};
    use crate::model::{Document, Tag};

    #[test]
    fn revisions_are_unique_across_sets() {
        let d = doc();
        let mut store = Store::default();
        let other = AnnotationSet::default();
        assert_ne!(store.annotations.revision(), other.revision());
        let before = store.annotations.revision();
        store
            .apply(vec![Op::Insert(ann(&d, 1, 2, "claim"))])
            .unwrap();
        assert_ne!(store.annotations.revision(), before);
    }

    #[test]
    fn every_op_undoes_and_redoes() {
        let d = doc();
        let mut store = Store::default();
        let mut history = History::default();
        let a = ann(&d, 1, 4, "claim");
        let inv = store.apply(vec![Op::Insert(a.clone())]).unwrap();
        history.record(inv, None);
        let mut b = a.clone();
        b.note = "check this".into();
        history.record(store.apply(vec![Op::Replace(b.clone())]).unwrap(), None);
        history.record(
            store
                .apply(vec![Op::InsertTag(4, Tag::new("quote", "#000000", ""))])
                .unwrap(),
            None,
        );
        assert_eq!(store.codebook.tags.len(), 5);
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "check this");

        assert!(history.undo(&mut store).unwrap());
        assert_eq!(store.codebook.tags.len(), 4);
        assert!(history.undo(&mut store).unwrap());
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "");
        assert!(history.undo(&mut store).unwrap());
        assert!(store.annotations.is_empty());
        assert!(!history.undo(&mut store).unwrap());

        assert!(history.redo(&mut store).unwrap());
        assert!(history.redo(&mut store).unwrap());
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "check this");
        assert!(history.can_redo());
    }

    #[test]
    fn coalesced_edits_undo_in_one_step() {
        let d = doc();
        let mut store = Store::default();
        let mut h = History::default();
        let a = ann(&d, 1, 4, "claim");
        h.record(store.apply(vec![Op::Insert(a.clone())]).unwrap(), None);
        for note in ["c", "ch", "che"] {
            let mut b = a.clone();
            b.note = note.into();
            h.record(
                store.apply(vec![Op::Replace(b)]).unwrap(),
                Some("note".into()),
            );
        }
        assert!(h.undo(&mut store).unwrap());
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "");
        assert!(h.undo(&mut store).unwrap());
        assert!(store.annotations.is_empty());
    }

    #[test]
    fn a_failing_batch_changes_nothing() {
        let d = doc();
        let mut store = Store::default();
        let a = ann(&d, 1, 4, "claim");
        let err = store
            .apply(vec![
                Op::Insert(a.clone()),
                Op::Remove(AnnotationId("nope".into())),
            ])
            .unwrap_err();
        assert_eq!(
            err,
            EditError::NoSuchAnnotation(AnnotationId("nope".into()))
        );
        assert!(store.annotations.is_empty());
        assert_eq!(
            store.apply(vec![Op::InsertTag(0, Tag::new("claim", "#000000", ""))]),
            Err(EditError::DuplicateTag("claim".into()))
        );
        assert_eq!(
            store.apply(vec![Op::ReplaceTag(0, Tag::new(" ", "#000000", ""))]),
            Err(EditError::EmptyTagName)
        );
    }

    #[test]
    fn a_large_batch_applies_at_once_and_undoes_exactly() {
        let d = Document::new("t", "x".repeat(10_000));
        let mut store = Store::default();
        store
            .apply(vec![Op::Insert(ann(&d, 5, 9, "claim"))])
            .unwrap();
        let before: Vec<_> = store.annotations.iter().cloned().collect();
        let tags_before = store.codebook.clone();
        let mut ops = vec![Op::InsertTag(0, Tag::new("new", "#112233", ""))];
        ops.extend((0..500).map(|i| Op::Insert(ann(&d, i * 7, i * 7 + 3, "new"))));
        let inverse = store.apply(ops).unwrap();
        assert_eq!(store.annotations.len(), 501);
        assert_eq!(store.annotations.count_tag("new"), 500);
        assert_eq!(store.codebook.tags.len(), tags_before.tags.len() + 1);
        let keys: Vec<_> = store.annotations.iter().map(|a| a.order_key()).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
        let redo = store.apply(inverse).unwrap();
        let after: Vec<_> = store.annotations.iter().cloned().collect();
        assert_eq!(after, before);
        assert_eq!(store.codebook, tags_before);
        store.apply(redo).unwrap();
        assert_eq!(store.annotations.len(), 501);
        // A batch with a duplicate id changes nothing.
        let dup = store.annotations.at(3).unwrap().clone();
        let mut bad: Vec<Op> = (0..100)
            .map(|i| Op::Insert(ann(&d, i, i + 1, "y")))
            .collect();
        bad.push(Op::Insert(dup));
        assert!(store.apply(bad).is_err());
        assert_eq!(store.annotations.len(), 501);
    }
}
