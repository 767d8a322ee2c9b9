//! The annotations and codebook of one document, changed only through
//! [`Op`]s so that every change has an exact inverse for undo.

use super::{Annotation, AnnotationId, CharRange, Codebook, Tag};
use thiserror::Error;

/// Spans longer than this are few (whole sections, chapters); they are
/// indexed apart so that range queries over the many short ones stay local.
const LONG: usize = 4096;

/// Annotations kept in document order (see [`Annotation::order_key`]).
/// Lookups by id and range queries cost a hash lookup or a binary search,
/// not a scan, so 100,000 annotations stay instant.
#[derive(Clone, Debug)]
pub struct AnnotationSet {
    items: Vec<Annotation>,
    /// Each id's range, to find its position by binary search.
    keys: std::collections::HashMap<AnnotationId, (usize, usize)>,
    /// Longest span of at most `LONG` chars: how far back a query looks.
    max_len: usize,
    /// Ids of the spans longer than `LONG`.
    long: std::collections::BTreeSet<AnnotationId>,
    /// Changes on every change, and is unique across sets, so views can
    /// cache what they derive by it (even across documents).
    revision: u64,
    /// Changes only when which annotations there are, or where, changes:
    /// what depends on ranges alone (underline lanes) keeps its cache
    /// through note and tag edits.
    shape_revision: u64,
    /// Changes only when tags or placement marks (orphan, review) change,
    /// or the set's shape: tag counts keep their cache through note typing.
    tags_revision: u64,
}

fn next_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Default for AnnotationSet {
    fn default() -> Self {
        Self::from_vec(Vec::new())
    }
}

impl AnnotationSet {
    pub fn from_vec(mut items: Vec<Annotation>) -> Self {
        // Ids are unique: later duplicates (a hand-edited sidecar) get fresh ones.
        let mut keys = std::collections::HashMap::with_capacity(items.len());
        for a in &mut items {
            while keys.contains_key(&a.id) {
                a.id = AnnotationId::random();
            }
            keys.insert(a.id.clone(), (a.start, a.end));
        }
        items.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let mut set = Self {
            items: Vec::new(),
            keys,
            max_len: 0,
            long: Default::default(),
            revision: next_revision(),
            shape_revision: next_revision(),
            tags_revision: next_revision(),
        };
        for a in &items {
            set.note_len(a);
        }
        set.items = items;
        set
    }

    fn note_len(&mut self, a: &Annotation) {
        let len = a.end.saturating_sub(a.start);
        if len > LONG {
            self.long.insert(a.id.clone());
        } else {
            self.max_len = self.max_len.max(len);
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn shape_revision(&self) -> u64 {
        self.shape_revision
    }

    pub fn tags_revision(&self) -> u64 {
        self.tags_revision
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.items.iter()
    }

    pub fn as_slice(&self) -> &[Annotation] {
        &self.items
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.position(id).map(|i| &self.items[i])
    }

    pub fn position(&self, id: &AnnotationId) -> Option<usize> {
        let &(start, end) = self.keys.get(id)?;
        let key = (start, std::cmp::Reverse(end), id.0.as_str());
        let i = self.items.partition_point(|x| x.order_key() < key);
        (self.items.get(i).map(|a| &a.id) == Some(id)).then_some(i)
    }

    fn changed(&mut self) {
        self.revision = next_revision();
        self.shape_revision = next_revision();
        self.tags_revision = next_revision();
    }

    fn insert(&mut self, a: Annotation) {
        self.note_len(&a);
        self.keys.insert(a.id.clone(), (a.start, a.end));
        let key = a.order_key();
        let i = self.items.partition_point(|x| x.order_key() < key);
        self.items.insert(i, a);
        self.changed();
    }

    /// Replaces the annotation with `a`'s id. When its place in document
    /// order is unchanged (a note or tag edit) it is swapped in place: no
    /// shifting of the other 100,000 (a note keystroke stays O(log n)).
    fn replace(&mut self, a: Annotation) -> Option<Annotation> {
        let i = self.position(&a.id)?;
        if self.items[i].order_key() == a.order_key() {
            let marks = |x: &Annotation| (x.tags.clone(), x.anchoring, x.review.is_some());
            let tags_changed = marks(&self.items[i]) != marks(&a);
            let old = std::mem::replace(&mut self.items[i], a);
            self.revision = next_revision();
            if tags_changed {
                self.tags_revision = next_revision();
            }
            return Some(old);
        }
        let old = self.remove(&a.id)?;
        self.insert(a);
        Some(old)
    }

    fn remove(&mut self, id: &AnnotationId) -> Option<Annotation> {
        let i = self.position(id)?;
        let a = self.items.remove(i);
        self.keys.remove(id);
        self.long.remove(id);
        self.changed();
        Some(a)
    }

    /// Anchored annotations that share at least one char with `range`, in
    /// document order, with their positions. Costs a binary search, the
    /// annotations near `range`, and the few very long ones.
    pub fn overlapping_indexed(
        &self,
        range: CharRange,
    ) -> impl Iterator<Item = (usize, &Annotation)> {
        let from = self
            .items
            .partition_point(|a| a.start.saturating_add(self.max_len) < range.start);
        let to = self
            .items
            .partition_point(|a| a.start < range.end)
            .max(from);
        let hit = move |a: &Annotation| !a.is_orphaned() && a.range().overlaps(&range);
        let mut long: Vec<usize> = self
            .long
            .iter()
            .filter_map(|id| self.position(id))
            .filter(|i| !(from..to).contains(i) && hit(&self.items[*i]))
            .collect();
        long.sort_unstable();
        let near = (from..to).filter(move |i| hit(&self.items[*i]));
        // Merge the two sorted index lists to keep document order.
        let mut merged: Vec<usize> = Vec::new();
        let mut long = long.into_iter().peekable();
        for i in near {
            while let Some(&l) = long.peek().filter(|l| **l < i) {
                merged.push(l);
                long.next();
            }
            merged.push(i);
        }
        merged.extend(long);
        merged.into_iter().map(move |i| (i, &self.items[i]))
    }

    /// Anchored annotations that share at least one char with `range`, in document order.
    pub fn overlapping(&self, range: CharRange) -> impl Iterator<Item = &Annotation> {
        self.overlapping_indexed(range).map(|(_, a)| a)
    }

    /// The innermost anchored annotation covering `offset`.
    pub fn innermost_at(&self, offset: usize) -> Option<&Annotation> {
        self.overlapping(CharRange::new(offset, offset + 1))
            .min_by_key(|a| a.end.saturating_sub(a.start))
    }

    /// The first anchored annotation starting after `offset` (or at it, when
    /// `inclusive`), for N / P navigation.
    pub fn next_after(&self, offset: usize) -> Option<&Annotation> {
        let i = self.items.partition_point(|a| a.start <= offset);
        self.items[i..].iter().find(|a| !a.is_orphaned())
    }

    pub fn prev_before(&self, offset: usize) -> Option<&Annotation> {
        let i = self.items.partition_point(|a| a.start < offset);
        self.items[..i].iter().rev().find(|a| !a.is_orphaned())
    }

    /// How many annotations carry `tag`.
    pub fn count_tag(&self, tag: &str) -> usize {
        self.items.iter().filter(|a| a.has_tag(tag)).count()
    }
}

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
}

/// Everything about a document that the user edits.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub codebook: Codebook,
    pub annotations: AnnotationSet,
}

impl Store {
    /// Applies `ops` in order and returns the ops that undo them (already
    /// reversed). On error nothing is changed.
    pub fn apply(&mut self, ops: Vec<Op>) -> Result<Vec<Op>, EditError> {
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
    use crate::model::{Anchoring, Document};
    use time::OffsetDateTime;

    fn ann(doc: &Document, s: usize, e: usize, tag: &str) -> Annotation {
        Annotation::new(
            doc,
            CharRange::new(s, e),
            vec![tag.into()],
            "t",
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    fn doc() -> Document {
        Document::new("t", "0123456789abcdefghij".into())
    }

    #[test]
    fn views_can_tell_what_kind_of_change_happened() {
        let d = doc();
        let a = ann(&d, 2, 5, "claim");
        let mut set = AnnotationSet::from_vec(vec![a.clone()]);
        let revs = |s: &AnnotationSet| (s.revision(), s.shape_revision(), s.tags_revision());
        let (r0, s0, t0) = revs(&set);
        let mut noted = a.clone();
        noted.note = "typing".into();
        set.replace(noted.clone());
        let (r1, s1, t1) = revs(&set);
        assert!(
            r1 != r0 && s1 == s0 && t1 == t0,
            "a note keystroke: content only"
        );
        let mut retagged = noted.clone();
        retagged.tags.push("source".into());
        set.replace(retagged.clone());
        let (r2, s2, t2) = revs(&set);
        assert!(
            r2 != r1 && s2 == s1 && t2 != t1,
            "a tag: counts change, lanes do not"
        );
        let mut moved = retagged;
        moved.end = 6;
        set.replace(moved);
        let (_, s3, t3) = revs(&set);
        assert!(s3 != s2 && t3 != t2, "a move changes the shape");
    }

    #[test]
    fn replacing_in_place_or_moving_keeps_order_and_lookups() {
        let d = doc();
        let a = ann(&d, 2, 5, "claim");
        let b = ann(&d, 8, 12, "source");
        let c = ann(&d, 14, 18, "claim");
        let mut set = AnnotationSet::from_vec(vec![a.clone(), b.clone(), c.clone()]);
        let r0 = set.revision();
        // A note edit: same place, swapped in.
        let mut b2 = b.clone();
        b2.note = "edited".into();
        assert_eq!(set.replace(b2).unwrap().note, "");
        assert_eq!(set.get(&b.id).unwrap().note, "edited");
        assert_ne!(set.revision(), r0, "views see the change");
        // A move: re-sorted, still found by id and by range.
        let mut a2 = a.clone();
        a2.start = 16;
        a2.end = 19;
        set.replace(a2);
        let order: Vec<_> = set.iter().map(|x| x.id.clone()).collect();
        assert_eq!(order, [b.id.clone(), c.id.clone(), a.id.clone()]);
        assert_eq!(set.position(&a.id), Some(2));
        assert_eq!(set.overlapping(CharRange::new(17, 18)).count(), 2);
        assert!(set.replace(ann(&d, 0, 1, "x")).is_none(), "unknown id");
    }

    #[test]
    fn offsets_from_hand_edited_files_never_overflow() {
        let d = doc();
        let mut huge = ann(&d, 0, 1, "claim");
        huge.start = usize::MAX - 3;
        huge.end = usize::MAX;
        huge.anchoring = crate::model::Anchoring::Orphaned;
        let set = AnnotationSet::from_vec(vec![ann(&d, 0, 10, "claim"), huge]);
        assert_eq!(set.overlapping(CharRange::new(0, 5)).count(), 1);
        assert_eq!(set.overlapping(CharRange::new(15, 20)).count(), 0);
        assert!(set.innermost_at(3).is_some());
    }

    #[test]
    fn overlapping_and_nested_spans_are_all_found() {
        let d = doc();
        let outer = ann(&d, 0, 15, "claim");
        let inner = ann(&d, 3, 6, "source");
        let cross = ann(&d, 5, 12, "evidence");
        let far = ann(&d, 16, 18, "claim");
        let set = AnnotationSet::from_vec(vec![
            far.clone(),
            cross.clone(),
            inner.clone(),
            outer.clone(),
        ]);
        let ids: Vec<_> = set.iter().map(|a| a.id.clone()).collect();
        assert_eq!(
            ids,
            [&outer, &inner, &cross, &far].map(|a| a.id.clone()),
            "document order, outer first"
        );
        let hit: Vec<_> = set
            .overlapping(CharRange::new(5, 6))
            .map(|a| a.id.clone())
            .collect();
        assert_eq!(hit, [&outer, &inner, &cross].map(|a| a.id.clone()));
        assert_eq!(set.overlapping(CharRange::new(15, 16)).count(), 0);
        assert_eq!(set.innermost_at(4).map(|a| &a.id), Some(&inner.id));
        assert_eq!(set.innermost_at(13).map(|a| &a.id), Some(&outer.id));
        assert_eq!(set.next_after(3).map(|a| &a.id), Some(&cross.id));
        assert_eq!(set.prev_before(5).map(|a| &a.id), Some(&inner.id));
        assert_eq!(set.count_tag("claim"), 2);
    }

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
    fn long_spans_do_not_slow_or_break_range_queries() {
        let text = "x".repeat(20_000);
        let d = Document::new("t", text);
        let whole = ann(&d, 0, 20_000, "claim");
        let late_long = ann(&d, 9_000, 15_000, "source");
        let short: Vec<Annotation> = (0..100)
            .map(|i| ann(&d, i * 100, i * 100 + 5, "evidence"))
            .collect();
        let mut all = short.clone();
        all.push(whole.clone());
        all.push(late_long.clone());
        let set = AnnotationSet::from_vec(all);
        let got: Vec<_> = set
            .overlapping(CharRange::new(9_500, 9_510))
            .map(|a| a.id.clone())
            .collect();
        assert_eq!(
            got,
            vec![whole.id.clone(), late_long.id.clone(), short[95].id.clone()]
        );
        let starts: Vec<usize> = set
            .overlapping(CharRange::new(0, 20_000))
            .map(|a| a.start)
            .collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "document order");
        assert_eq!(starts.len(), 102);
        for a in set.iter() {
            assert_eq!(set.get(&a.id).map(|b| &b.id), Some(&a.id));
        }
    }

    #[test]
    fn duplicate_ids_in_a_file_are_made_unique() {
        let d = doc();
        let a = ann(&d, 1, 2, "claim");
        let mut b = ann(&d, 3, 4, "claim");
        b.id = a.id.clone();
        let set = AnnotationSet::from_vec(vec![a, b]);
        assert_eq!(set.len(), 2);
        assert_ne!(set.as_slice()[0].id, set.as_slice()[1].id);
    }

    #[test]
    fn orphans_are_kept_but_not_placed() {
        let d = doc();
        let mut o = ann(&d, 2, 4, "claim");
        o.anchoring = Anchoring::Orphaned;
        let set = AnnotationSet::from_vec(vec![o]);
        assert_eq!(set.len(), 1);
        assert_eq!(set.overlapping(CharRange::new(0, 20)).count(), 0);
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
}
