//! The annotations of a document in document order, with what views need
//! to stay instant at 100,000: lookups by id and range in O(log n), tag
//! counts kept up to date by each change, and a short log of changes so a
//! view can update what it derived instead of deriving it again.

use super::{Annotation, AnnotationId, CharRange, Chunked};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

/// Spans longer than this are few (whole sections, chapters); they are
/// indexed apart so that range queries over the many short ones stay local.
const LONG: usize = 4096;

/// Changes remembered for views that fell behind; a view further behind
/// (a batch of thousands) derives again from scratch, once.
const LOG: usize = 256;

/// One change to the set, by position (positions after it shift).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Inserted(usize),
    Removed(usize),
    /// Same place, new content (a note, tags, marks).
    Replaced(usize),
}

/// How many annotations carry each tag, and need the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tags: HashMap<String, usize>,
    pub untagged: usize,
    pub orphans: usize,
    pub review: usize,
    /// Annotations per author, by name (authors with none left out).
    pub authors: std::collections::BTreeMap<String, usize>,
}

impl Counts {
    fn add(&mut self, a: &Annotation, sign: isize) {
        let bump = |n: &mut usize| *n = n.saturating_add_signed(sign);
        if a.is_orphaned() {
            bump(&mut self.orphans);
        } else if a.needs_review() {
            bump(&mut self.review);
        }
        if a.tags.is_empty() {
            bump(&mut self.untagged);
        }
        match self.authors.get_mut(&a.author) {
            Some(n) => {
                bump(n);
                if *n == 0 {
                    self.authors.remove(&a.author);
                }
            }
            None if sign > 0 => {
                self.authors.insert(a.author.clone(), 1);
            }
            None => {}
        }
        for t in &a.tags {
            match self.tags.get_mut(t) {
                Some(n) => bump(n),
                None if sign > 0 => {
                    self.tags.insert(t.clone(), 1);
                }
                None => {}
            }
        }
    }

    /// Annotations with `tag` (`""`: untagged).
    pub fn of(&self, tag: &str) -> usize {
        if tag.is_empty() {
            self.untagged
        } else {
            self.tags.get(tag).copied().unwrap_or(0)
        }
    }
}

/// Annotations kept in document order (see [`Annotation::order_key`]).
/// Each is behind an `Arc`, in shared chunks ([`Chunked`]): inserting
/// among 100,000 moves a chunk's pointers, a snapshot for a background
/// save copies a pointer per chunk, and an edit during that save copies
/// one chunk.
#[derive(Clone, Debug)]
pub struct AnnotationSet {
    items: Chunked<Arc<Annotation>>,
    /// Each id's range, to find its position by binary search.
    keys: HashMap<AnnotationId, (usize, usize)>,
    /// Longest span of at most `LONG` chars: how far back a query looks.
    max_len: usize,
    /// Ids of the spans longer than `LONG`.
    long: BTreeSet<AnnotationId>,
    counts: Counts,
    /// Changes on every change, and is unique across sets, so views can
    /// cache what they derive by it (even across documents).
    revision: u64,
    /// Changes only when which annotations there are, or where, changes:
    /// what depends on ranges alone (underline lanes) keeps its cache
    /// through note and tag edits.
    shape_revision: u64,
    /// Changes only when tags or placement marks (orphan, review) change,
    /// or the set's shape.
    tags_revision: u64,
    /// The latest changes: the revision before each, and the change.
    log: VecDeque<(u64, Change)>,
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
    pub fn from_vec(items: Vec<Annotation>) -> Self {
        let mut set = Self {
            items: Chunked::default(),
            keys: HashMap::new(),
            max_len: 0,
            long: Default::default(),
            counts: Counts::default(),
            revision: next_revision(),
            shape_revision: next_revision(),
            tags_revision: next_revision(),
            log: VecDeque::new(),
        };
        set.extend(items);
        set
    }

    /// Adds many annotations with one sort (a "tag all" of 10,000, an
    /// import): O((n + k) log(n + k)), not k shifts of n. Later duplicate
    /// ids (a hand-edited sidecar) get fresh ones.
    pub(super) fn extend(&mut self, items: Vec<Annotation>) {
        self.keys.reserve(items.len());
        let mut all: Vec<Arc<Annotation>> = self.items.iter().cloned().collect();
        for mut a in items {
            while self.keys.contains_key(&a.id) {
                a.id = AnnotationId::random();
            }
            self.keys.insert(a.id.clone(), (a.start, a.end));
            self.note_len(&a);
            self.counts.add(&a, 1);
            all.push(Arc::new(a));
        }
        all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        self.items = Chunked::from_vec(all);
        self.log.clear();
        self.changed();
    }

    /// Removes many annotations in one pass; returns them.
    pub(super) fn remove_many(
        &mut self,
        ids: &std::collections::HashSet<AnnotationId>,
    ) -> Vec<Annotation> {
        let mut gone = Vec::new();
        self.items.retain(|a| {
            let hit = ids.contains(&a.id);
            if hit {
                gone.push(a.clone());
            }
            !hit
        });
        for a in &gone {
            self.keys.remove(&a.id);
            self.long.remove(&a.id);
            self.counts.add(a, -1);
        }
        self.log.clear();
        self.changed();
        gone.into_iter().map(Arc::unwrap_or_clone).collect()
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

    /// The changes since `revision`, oldest first, when they are still
    /// remembered; `None` means "derive again".
    pub fn changes_since(&self, revision: u64) -> Option<Vec<Change>> {
        if revision == self.revision {
            return Some(Vec::new());
        }
        let from = self
            .log
            .iter()
            .position(|(before, _)| *before == revision)?;
        Some(self.log.iter().skip(from).map(|(_, c)| *c).collect())
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Annotation> + Clone {
        self.items.iter().map(|a| &**a)
    }

    /// The annotation at position `i` in document order.
    pub fn at(&self, i: usize) -> Option<&Annotation> {
        self.items.get(i).map(|a| &**a)
    }

    /// All annotations in document order, for a background save or export:
    /// copies pointers, not annotations.
    pub fn snapshot(&self) -> Chunked<Arc<Annotation>> {
        self.items.clone()
    }

    /// Tag, orphan and review counts, kept up to date by every change.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.position(id).and_then(|i| self.at(i))
    }

    pub fn position(&self, id: &AnnotationId) -> Option<usize> {
        let &(start, end) = self.keys.get(id)?;
        let key = (start, std::cmp::Reverse(end), id.0.as_str());
        let i = self.items.partition_point(|x| x.order_key() < key);
        (self.items.get(i).map(|a| &a.id) == Some(id)).then_some(i)
    }

    fn log(&mut self, change: Change) {
        if self.log.len() == LOG {
            self.log.pop_front();
        }
        self.log.push_back((self.revision, change));
        self.revision = next_revision();
    }

    fn changed(&mut self) {
        self.revision = next_revision();
        self.shape_revision = next_revision();
        self.tags_revision = next_revision();
    }

    pub(super) fn insert(&mut self, a: Annotation) {
        self.note_len(&a);
        self.counts.add(&a, 1);
        self.keys.insert(a.id.clone(), (a.start, a.end));
        let key = a.order_key();
        let i = self.items.partition_point(|x| x.order_key() < key);
        self.items.insert(i, Arc::new(a));
        self.log(Change::Inserted(i));
        self.shape_revision = next_revision();
        self.tags_revision = next_revision();
    }

    /// Replaces the annotation with `a`'s id. When its place in document
    /// order is unchanged (a note or tag edit) it is swapped in place: no
    /// shifting of the other 100,000 (a note keystroke stays O(log n)).
    pub(super) fn replace(&mut self, a: Annotation) -> Option<Annotation> {
        let i = self.position(&a.id)?;
        let current = self.items.get(i)?.clone();
        if current.order_key() == a.order_key() {
            let marks = |x: &Annotation| (x.tags.clone(), x.anchoring, x.review.is_some());
            let tags_changed = marks(&current) != marks(&a);
            self.counts.add(&current, -1);
            self.counts.add(&a, 1);
            drop(current);
            let old = self.items.set(i, Arc::new(a))?;
            self.log(Change::Replaced(i));
            if tags_changed {
                self.tags_revision = next_revision();
            }
            return Some(Arc::unwrap_or_clone(old));
        }
        let old = self.remove(&a.id)?;
        self.insert(a);
        Some(old)
    }

    pub(super) fn remove(&mut self, id: &AnnotationId) -> Option<Annotation> {
        let i = self.position(id)?;
        let a = self.items.remove(i)?;
        self.keys.remove(id);
        self.long.remove(id);
        self.counts.add(&a, -1);
        self.log(Change::Removed(i));
        self.shape_revision = next_revision();
        self.tags_revision = next_revision();
        Some(Arc::unwrap_or_clone(a))
    }

    /// Position of the first annotation starting at or after `offset`.
    pub fn first_from(&self, offset: usize) -> usize {
        self.items.partition_point(|a| a.start < offset)
    }

    /// Longest span not indexed apart, and the spans that are.
    pub fn reach(&self) -> (usize, impl Iterator<Item = usize> + '_) {
        (
            self.max_len,
            self.long.iter().filter_map(|id| self.position(id)),
        )
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
            .filter(|i| !(from..to).contains(i) && self.at(*i).is_some_and(hit))
            .collect();
        long.sort_unstable();
        let near = (from..to).filter(move |i| self.at(*i).is_some_and(hit));
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
        merged
            .into_iter()
            .filter_map(move |i| Some((i, self.at(i)?)))
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

    /// The first anchored annotation starting after `offset`, for N / P navigation.
    pub fn next_after(&self, offset: usize) -> Option<&Annotation> {
        let i = self.items.partition_point(|a| a.start <= offset);
        self.items
            .iter_from(i)
            .map(|a| &**a)
            .find(|a| !a.is_orphaned())
    }

    pub fn prev_before(&self, offset: usize) -> Option<&Annotation> {
        let i = self.items.partition_point(|a| a.start < offset);
        self.items
            .iter_before(i)
            .map(|a| &**a)
            .find(|a| !a.is_orphaned())
    }

    /// How many annotations carry `tag`.
    pub fn count_tag(&self, tag: &str) -> usize {
        self.counts.tags.get(tag).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::{ann, doc};
    use crate::model::{Anchoring, Document};

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
        assert_ne!(set.at(0).unwrap().id, set.at(1).unwrap().id);
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
    fn counts_and_the_change_log_follow_every_change() {
        let d = doc();
        let a = ann(&d, 2, 5, "claim");
        let b = ann(&d, 8, 12, "source");
        let mut set = AnnotationSet::from_vec(vec![a.clone(), b.clone()]);
        let counted = |s: &AnnotationSet| {
            let mut c = Counts::default();
            for a in s.iter() {
                c.add(a, 1);
            }
            c.tags.retain(|_, n| *n > 0);
            let mut mine = s.counts().clone();
            mine.tags.retain(|_, n| *n > 0);
            assert_eq!(mine, c);
        };
        let r0 = set.revision();
        let c = ann(&d, 0, 1, "claim");
        set.insert(c.clone());
        counted(&set);
        let mut b2 = b.clone();
        b2.tags = vec!["claim".into(), "evidence".into()];
        set.replace(b2);
        counted(&set);
        assert_eq!(set.count_tag("claim"), 3);
        assert_eq!(set.counts().of("source"), 0);
        set.remove(&a.id);
        counted(&set);
        assert_eq!(
            set.changes_since(r0),
            Some(vec![
                Change::Inserted(0),
                Change::Replaced(2),
                Change::Removed(1)
            ])
        );
        assert_eq!(set.changes_since(set.revision()), Some(vec![]));
        // A batch is one change views cannot follow: they derive again.
        let r1 = set.revision();
        set.extend((0..5).map(|i| ann(&d, i, i + 2, "x")).collect());
        counted(&set);
        assert_eq!(set.changes_since(r1), None);
        assert_eq!(set.changes_since(12345), None);
        let order: Vec<_> = set.iter().map(|a| a.order_key()).collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]));
        for a in set.iter() {
            assert_eq!(set.get(&a.id).map(|x| &x.id), Some(&a.id));
        }
        // The log forgets: a view far behind derives again.
        let r2 = set.revision();
        for i in 0..LOG + 1 {
            let mut x = c.clone();
            x.note = i.to_string();
            set.replace(x);
        }
        assert_eq!(set.changes_since(r2), None);
    }
}
