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
    /// A new code at this place in the codebook (the place orders it only;
    /// later ops name it).
    InsertTag(usize, Tag),
    /// The code of this name leaves the codebook.
    RemoveTag(String),
    /// The code of this name becomes this one (a rename gives another
    /// name). Codes are addressed by name, never by place, so an undo step
    /// can never reach another code after codes moved.
    ReplaceTag(String, Tag),
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
    #[error("no code named “{0}” in the codebook")]
    NoSuchCode(String),
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
                let name = tag.name.clone();
                tags.insert(i, tag);
                Op::RemoveTag(name)
            }
            Op::RemoveTag(name) => match tags.iter().position(|t| t.name == name) {
                Some(i) => Op::InsertTag(i, tags.remove(i)),
                None => return Err(EditError::NoSuchCode(name)),
            },
            Op::SetMemo(text) => Op::SetMemo(std::mem::replace(&mut self.memo, text)),
            Op::SetRejected(ids) => Op::SetRejected(std::mem::replace(&mut self.rejected, ids)),
            Op::ReplaceTag(name, tag) => {
                let Some(i) = tags.iter().position(|t| t.name == name) else {
                    return Err(EditError::NoSuchCode(name));
                };
                check_name(tags, &tag.name, Some(i))?;
                let new_name = tag.name.clone();
                Op::ReplaceTag(new_name, std::mem::replace(&mut tags[i], tag))
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

/// One undo (or redo) step: the ops that take it back (or do it again),
/// and the coalesce key of the change it came from.
#[derive(Clone, Debug)]
struct Step {
    ops: Vec<Op>,
    /// What the change was, when its maker said (e.g. `note:<id>`): kept
    /// after sealing too, so an undo scoped to one note finds its steps.
    key: Option<String>,
    /// Whether the next change with the same key joins this step.
    open: bool,
}

/// Undo and redo stacks of inverse op batches.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Why undo cannot reach further back, when a change that is not the
    /// user's (catching up with the project, a reload) ended the history.
    barrier: Option<String>,
}

impl History {
    /// Ends the history here, saying why: the steps before cannot be taken
    /// back (they address what another program or the project replaced).
    pub fn barrier(&mut self, why: impl Into<String>) {
        self.undo.clear();
        self.redo.clear();
        self.barrier = Some(why.into());
    }

    /// Why undo stops where it does, if a barrier stopped it.
    pub fn barrier_reason(&self) -> Option<&str> {
        self.barrier.as_deref()
    }

    /// Records the inverse of a change. Consecutive changes with the same
    /// `coalesce` key (e.g. typing in one note) undo as one step: the first
    /// inverse already restores the state before all of them.
    pub fn record(&mut self, inverse: Vec<Op>, coalesce: Option<String>) {
        self.redo.clear();
        if let (Some(key), Some(last)) = (&coalesce, self.undo.last())
            && last.open
            && last.key.as_ref() == Some(key)
        {
            return;
        }
        self.undo.push(Step {
            ops: inverse,
            open: coalesce.is_some(),
            key: coalesce,
        });
    }

    /// Ends coalescing, so the next change starts a new undo step.
    /// Records another program's changes merged in: one step of its own,
    /// which Edit → Undo names as such (undoing it takes them back).
    pub fn record_merge(&mut self, inverse: Vec<Op>) {
        self.seal();
        self.record(inverse, Some(MERGED.into()));
        self.seal();
    }

    pub fn seal(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.open = false;
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// How many steps undo can take back: a step made at depth `d` has
    /// been undone once the depth is below `d`.
    pub fn depth(&self) -> usize {
        self.undo.len()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Takes back the last step. If it cannot be applied (it should
    /// always apply), nothing changes and the step stays, so it is never
    /// lost.
    pub fn undo(&mut self, store: &mut Store) -> Result<bool, EditError> {
        let Some(top) = self.undo.last() else {
            return Ok(false);
        };
        let inverse = store.apply(top.ops.clone())?;
        let Some(step) = self.undo.pop() else {
            return Ok(false);
        };
        self.redo.push(Step {
            ops: inverse,
            key: step.key,
            open: false,
        });
        Ok(true)
    }

    pub fn redo(&mut self, store: &mut Store) -> Result<bool, EditError> {
        let Some(top) = self.redo.last() else {
            return Ok(false);
        };
        let inverse = store.apply(top.ops.clone())?;
        let Some(step) = self.redo.pop() else {
            return Ok(false);
        };
        self.undo.push(Step {
            ops: inverse,
            key: step.key,
            open: false,
        });
        Ok(true)
    }

    /// Undoes the last step only if it is one of `key`'s (a text field's
    /// own typing), as a text editor's undo stays in its editor: another
    /// annotation's change is never reached from inside a note.
    pub fn undo_in(&mut self, store: &mut Store, key: &str) -> Result<bool, EditError> {
        match self.undo.last() {
            Some(step) if step.key.as_deref() == Some(key) => self.undo(store),
            _ => Ok(false),
        }
    }

    /// Redoes the next step only if it is one of `key`'s.
    pub fn redo_in(&mut self, store: &mut Store, key: &str) -> Result<bool, EditError> {
        match self.redo.last() {
            Some(step) if step.key.as_deref() == Some(key) => self.redo(store),
            _ => Ok(false),
        }
    }

    /// What Undo would take back, in a few words (“note on “Six former…””),
    /// read against the store as it is now.
    pub fn undo_label(&self, store: &Store) -> Option<String> {
        self.undo.last().map(|s| describe(s, store, true))
    }

    /// What Redo would do again, in a few words.
    pub fn redo_label(&self, store: &Store) -> Option<String> {
        self.redo.last().map(|s| describe(s, store, false))
    }
}

/// The key of a step that merged another program's changes.
const MERGED: &str = "merged";

/// The start of a quote, for a menu item.
fn short(quote: &str) -> String {
    const MAX: usize = 24;
    let flat = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        format!("“{flat}”")
    } else {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("“{}…”", cut.trim_end())
    }
}

/// Names the change a step takes back (`undoing`: its ops are the
/// inverse of the change) or makes again (its ops are the change).
fn describe(step: &Step, store: &Store, undoing: bool) -> String {
    let set = &store.annotations;
    let key = step.key.as_deref().unwrap_or("");
    let quote_of = |id: &AnnotationId| set.get(id).map(|a| short(&a.quote));
    match step.ops.as_slice() {
        _ if key == MERGED => "changes merged from another program".into(),
        [Op::Replace(a)] if key.starts_with("note:") => format!("note on {}", short(&a.quote)),
        [Op::SetMemo(_)] => "memo".into(),
        [Op::SetRejected(_)] => "curation".into(),
        // Undoing an insertion removes it; redoing a deletion does too.
        [Op::Remove(id)] => {
            let what = if undoing {
                "new annotation"
            } else {
                "deletion of"
            };
            match quote_of(id) {
                Some(q) => format!("{what} {q}"),
                None => what.trim_end_matches(" of").into(),
            }
        }
        [Op::Insert(a)] => {
            let what = if undoing {
                "deletion of"
            } else {
                "new annotation"
            };
            format!("{what} {}", short(&a.quote))
        }
        [Op::Replace(a)] => {
            let now = set.get(&a.id);
            let what = match now {
                Some(b) if b.range() != a.range() => "boundaries of",
                Some(b) if b.tags != a.tags => "codes on",
                Some(b) if b.note != a.note => "note on",
                _ => "change to",
            };
            format!("{what} {}", short(&a.quote))
        }
        ops if ops
            .iter()
            .all(|o| matches!(o, Op::InsertTag(..) | Op::RemoveTag(_) | Op::ReplaceTag(..))) =>
        {
            "codebook change".into()
        }
        ops => {
            let n = ops
                .iter()
                .filter(|o| matches!(o, Op::Insert(_) | Op::Remove(_) | Op::Replace(_)))
                .count();
            match n {
                0 => "codebook change".into(),
                1 => "change to 1 annotation".into(),
                n => format!("change to {n} annotations"),
            }
        }
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
    fn undo_in_a_note_stops_at_that_notes_steps_and_labels_name_them() {
        let d = doc();
        let mut store = Store::default();
        let mut h = History::default();
        let a = ann(&d, 1, 4, "claim");
        let b = ann(&d, 6, 9, "claim");
        for x in [&a, &b] {
            h.record(store.apply(vec![Op::Insert(x.clone())]).unwrap(), None);
        }
        let quote_a = short(&a.quote);
        assert_eq!(
            h.undo_label(&store),
            Some(format!("new annotation {}", short(&b.quote)))
        );
        let type_in = |h: &mut History, store: &mut Store, x: &Annotation, note: &str| {
            let mut y = store.annotations.get(&x.id).unwrap().clone();
            y.note = note.into();
            let key = Some(format!("note:{}", x.id));
            h.record(store.apply(vec![Op::Replace(y)]).unwrap(), key);
        };
        type_in(&mut h, &mut store, &a, "first");
        h.seal();
        type_in(&mut h, &mut store, &b, "sec");
        // Sealed (focus left and came back): a second step of the same note.
        h.seal();
        type_in(&mut h, &mut store, &b, "second");
        assert_eq!(
            h.undo_label(&store),
            Some(format!("note on {}", short(&b.quote)))
        );
        let key_b = format!("note:{}", b.id);
        assert!(h.undo_in(&mut store, &key_b).unwrap());
        assert_eq!(store.annotations.get(&b.id).unwrap().note, "sec");
        assert!(h.undo_in(&mut store, &key_b).unwrap());
        assert_eq!(store.annotations.get(&b.id).unwrap().note, "");
        // Nothing more in B's note: A's note and B itself are out of reach.
        assert!(!h.undo_in(&mut store, &key_b).unwrap());
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "first");
        assert!(store.annotations.get(&b.id).is_some());
        assert_eq!(
            h.redo_label(&store),
            Some(format!("note on {}", short(&b.quote)))
        );
        assert!(h.redo_in(&mut store, &key_b).unwrap());
        assert_eq!(store.annotations.get(&b.id).unwrap().note, "sec");
        // From outside the note, Undo goes on in order, and says what.
        assert!(h.undo(&mut store).unwrap());
        assert_eq!(h.undo_label(&store), Some(format!("note on {quote_a}")));
        assert!(h.undo(&mut store).unwrap());
        assert_eq!(store.annotations.get(&a.id).unwrap().note, "");
        assert!(h.undo(&mut store).unwrap());
        assert_eq!(
            h.redo_label(&store),
            Some(format!("new annotation {}", short(&b.quote)))
        );
        assert_eq!(
            h.undo_label(&store),
            Some(format!("new annotation {quote_a}"))
        );
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
            store.apply(vec![Op::ReplaceTag(
                "claim".into(),
                Tag::new(" ", "#000000", "")
            )]),
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

    #[test]
    fn an_undo_that_cannot_apply_keeps_its_step() {
        let d = doc();
        let mut store = Store::default();
        let mut h = History::default();
        let a = ann(&d, 1, 4, "claim");
        h.record(store.apply(vec![Op::Insert(a.clone())]).unwrap(), None);
        // Something outside history removed it (a bug, or a reload).
        store.apply(vec![Op::Remove(a.id.clone())]).unwrap();
        assert!(h.undo(&mut store).is_err());
        assert!(h.can_undo(), "the step is still there");
        store.apply(vec![Op::Insert(a)]).unwrap();
        assert!(h.undo(&mut store).unwrap());
        assert!(store.annotations.is_empty());
    }

    #[test]
    fn undo_finds_codes_by_name_after_codes_moved() {
        let mut store = Store::default();
        let mut h = History::default();
        let source = store.codebook.get("source").unwrap().clone();
        let renamed = Tag {
            name: "attribution".into(),
            ..source.clone()
        };
        h.record(
            store
                .apply(vec![Op::ReplaceTag("source".into(), renamed)])
                .unwrap(),
            None,
        );
        // Elsewhere (a merge, the project): a code comes in first, one leaves.
        store
            .apply(vec![
                Op::InsertTag(0, Tag::new("new", "#123456", "")),
                Op::RemoveTag("claim".into()),
            ])
            .unwrap();
        assert!(h.undo(&mut store).unwrap());
        let names: Vec<&str> = store
            .codebook
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["new", "source", "evidence", "question"]);
        assert_eq!(store.codebook.get("source"), Some(&source));
    }
}
