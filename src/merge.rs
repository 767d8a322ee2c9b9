//! The one merge engine: three versions of a document's annotations (the
//! common ancestor, ours, theirs) merged by annotation id and code name.
//! Pure, below `session`: the window's save and reload, `gloss import`,
//! project files and git's merge driver (`gloss merge-sidecar`) all call it,
//! so every merge follows the same rules and every count comes from here.
//!
//! Rules: added on one side → added; deleted on one side and unchanged on
//! the other → deleted; deleted on one side and changed on the other → kept
//! as changed (work is never dropped); changed on one side → that change;
//! changed on both → field by field: tags take both sides' additions and
//! removals, the range follows the newer change, a note edited on both
//! sides keeps both texts under a separator line.
//!
//! Foreign input (a hand edit, a conflict resolved by keeping both hunks)
//! is first made well-formed by [`normalise`], which says what it changed,
//! so that applying a merge never fails half-way.

use crate::model::{Annotation, AnnotationId, Codebook, Tag};
use crate::sidecar::{FORMAT_VERSION, Sidecar};
use std::collections::{HashMap, HashSet};

/// Put between two versions of a note (or memo, or description) that were
/// both edited: the reader sees at once that a merge joined them.
pub const SEPARATOR: &str = "──── merged: the other version ────";

/// What a merge did, counted from OURS' point of view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Annotations only THEIRS added.
    pub added: usize,
    /// Deleted on one side, unchanged on the other: gone.
    pub deleted: usize,
    /// Changed on THEIRS only: taken.
    pub updated: usize,
    /// Changed on both sides: merged field by field.
    pub joined: usize,
    /// Deleted on one side but changed on the other: kept as changed.
    pub kept: usize,
    /// Codes that joined the codebook from THEIRS.
    pub codes_added: Vec<String>,
    /// The memo changed on THEIRS (and was taken or joined).
    pub memo: bool,
    /// Who made the annotations that came in or changed from THEIRS.
    pub authors: Vec<String>,
    /// What had to be mended in THEIRS before it could be merged
    /// ([`normalise`]).
    pub mended: Vec<String>,
}

impl MergeReport {
    /// Two merges one after the other, counted together.
    pub fn then(mut self, next: MergeReport) -> MergeReport {
        self.added += next.added;
        self.deleted += next.deleted;
        self.updated += next.updated;
        self.joined += next.joined;
        self.kept += next.kept;
        self.memo |= next.memo;
        for (all, more) in [
            (&mut self.codes_added, next.codes_added),
            (&mut self.authors, next.authors),
            (&mut self.mended, next.mended),
        ] {
            for x in more {
                if !all.contains(&x) {
                    all.push(x);
                }
            }
        }
        self
    }

    /// Whether the merge brought nothing from THEIRS.
    pub fn is_empty(&self) -> bool {
        self.added + self.deleted + self.updated + self.joined + self.kept == 0
            && self.codes_added.is_empty()
            && !self.memo
            && self.mended.is_empty()
    }
}

impl std::fmt::Display for MergeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} added, {} updated", self.added, self.updated)?;
        if self.deleted > 0 {
            write!(f, ", {} deleted", self.deleted)?;
        }
        if self.joined > 0 {
            write!(
                f,
                ", {} changed on both sides (merged field by field)",
                self.joined
            )?;
        }
        if self.kept > 0 {
            write!(
                f,
                ", {} kept (deleted on one side, changed on the other)",
                self.kept
            )?;
        }
        if !self.authors.is_empty() {
            write!(f, " (by {})", self.authors.join(", "))?;
        }
        if !self.codes_added.is_empty() {
            write!(f, "; new codes: {}", self.codes_added.join(", "))?;
        }
        if self.memo {
            write!(f, "; the memo")?;
        }
        if !self.mended.is_empty() {
            write!(
                f,
                "; mended in the other version: {}",
                self.mended.join("; ")
            )?;
        }
        Ok(())
    }
}

/// One value merged three ways; `None` when both sides changed it
/// differently.
pub(crate) fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else {
        None
    }
}

/// A text both sides may have edited: both edits kept, separated, unless
/// one contains the other (then the longer says everything).
pub fn merge_text(base: Option<&str>, ours: &str, theirs: &str) -> String {
    if let Some(t) = pick(
        base.map(str::to_string).as_ref(),
        &ours.into(),
        &theirs.into(),
    ) {
        return t;
    }
    let (o, t) = (ours.trim(), theirs.trim());
    if t.contains(o) {
        theirs.to_string()
    } else if o.contains(t) {
        ours.to_string()
    } else {
        format!(
            "{}\n\n{SEPARATOR}\n{}",
            ours.trim_end(),
            theirs.trim_start()
        )
    }
}

/// Both sides' additions and removals against the base, in OURS' order
/// then THEIRS'.
fn merge_tags(base: Option<&Vec<String>>, ours: &[String], theirs: &[String]) -> Vec<String> {
    if let Some(t) = pick(base, &ours.to_vec(), &theirs.to_vec()) {
        return t;
    }
    let none = Vec::new();
    let base = base.unwrap_or(&none);
    let removed = |t: &String| base.contains(t) && (!ours.contains(t) || !theirs.contains(t));
    let mut out: Vec<String> = Vec::new();
    for t in ours.iter().chain(theirs) {
        if !removed(t) && !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// Whether two versions of an annotation say the same (how it was placed
/// on the current text is derived, not content).
pub fn same_annotation(a: &Annotation, b: &Annotation) -> bool {
    (
        &a.id, a.start, a.end, &a.quote, &a.prefix, &a.suffix, &a.tags, &a.note,
    ) == (
        &b.id, b.start, b.end, &b.quote, &b.prefix, &b.suffix, &b.tags, &b.note,
    ) && (&a.author, &a.changed_by, a.created, a.modified, &a.review)
        == (&b.author, &b.changed_by, b.created, b.modified, &b.review)
}

/// Of two versions changed on both sides, the one whose change is newer;
/// on a tie, a fixed choice by content, so the merge does not depend on
/// which side is "ours".
fn newer<'a>(ours: &'a Annotation, theirs: &'a Annotation) -> &'a Annotation {
    let key = |a: &'a Annotation| (a.modified, a.start, a.end, &a.quote, &a.author);
    if key(theirs) > key(ours) {
        theirs
    } else {
        ours
    }
}

/// One annotation both sides changed, field by field.
fn merge_annotation(
    base: Option<&Annotation>,
    ours: &Annotation,
    theirs: &Annotation,
) -> Annotation {
    let newer = newer(ours, theirs);
    let mut m = ours.clone();
    let range = |a: &Annotation| {
        (
            a.start,
            a.end,
            a.quote.clone(),
            a.prefix.clone(),
            a.suffix.clone(),
            a.anchoring,
        )
    };
    let r = pick(base.map(range).as_ref(), &range(ours), &range(theirs))
        .unwrap_or_else(|| range(newer));
    (m.start, m.end, m.quote, m.prefix, m.suffix, m.anchoring) = r;
    m.tags = merge_tags(base.map(|b| &b.tags), &ours.tags, &theirs.tags);
    m.note = merge_text(base.map(|b| b.note.as_str()), &ours.note, &theirs.note);
    m.author = pick(base.map(|b| &b.author), &ours.author, &theirs.author)
        .unwrap_or_else(|| newer.author.clone());
    m.review = pick(base.map(|b| &b.review), &ours.review, &theirs.review)
        .unwrap_or_else(|| newer.review.clone());
    m.changed_by = pick(
        base.map(|b| &b.changed_by),
        &ours.changed_by,
        &theirs.changed_by,
    )
    .unwrap_or_else(|| newer.changed_by.clone());
    m.created = ours.created.min(theirs.created);
    m.modified = ours.modified.max(theirs.modified);
    m
}

/// What happens to one item (annotation or code) present in some of the
/// three versions.
enum Outcome<T> {
    Keep(T),
    Gone,
}

/// The rules shared by annotations and codes: `same` says whether two
/// versions are equal, `join` merges an item both sides changed.
fn three_way<T: Clone>(
    (base, ours, theirs): (Option<&T>, Option<&T>, Option<&T>),
    report: &mut MergeReport,
    same: impl Fn(&T, &T) -> bool,
    join: impl Fn(Option<&T>, &T, &T) -> T,
) -> Outcome<T> {
    let is_base = |x: &T| base.is_some_and(|b| same(b, x));
    match (base, ours, theirs) {
        (_, Some(o), Some(t)) if same(o, t) => Outcome::Keep(o.clone()),
        (_, Some(o), Some(t)) if is_base(o) => {
            report.updated += 1;
            Outcome::Keep(t.clone())
        }
        (_, Some(o), Some(t)) if is_base(t) => Outcome::Keep(o.clone()),
        (b, Some(o), Some(t)) => {
            report.joined += 1;
            Outcome::Keep(join(b, o, t))
        }
        (Some(_), Some(x), None) | (Some(_), None, Some(x)) => {
            if is_base(x) {
                report.deleted += usize::from(ours.is_some());
                Outcome::Gone
            } else {
                report.kept += 1;
                Outcome::Keep(x.clone())
            }
        }
        (None, Some(o), None) => Outcome::Keep(o.clone()),
        (None, None, Some(t)) => {
            report.added += 1;
            Outcome::Keep(t.clone())
        }
        (_, None, None) => Outcome::Gone,
    }
}

/// The annotations merged by id, sorted as a save sorts them. Works on
/// anything that lends annotations (owned, or shared with a session).
pub fn merge_annotations<'a>(
    base: impl IntoIterator<Item = &'a Annotation>,
    ours: impl IntoIterator<Item = &'a Annotation>,
    theirs: impl IntoIterator<Item = &'a Annotation>,
    report: &mut MergeReport,
) -> Vec<Annotation> {
    let index = |v: Vec<&'a Annotation>| -> HashMap<&'a AnnotationId, &'a Annotation> {
        v.into_iter().map(|a| (&a.id, a)).collect()
    };
    let ours: Vec<&Annotation> = ours.into_iter().collect();
    let theirs: Vec<&Annotation> = theirs.into_iter().collect();
    let base: Vec<&Annotation> = base.into_iter().collect();
    let mut ids: Vec<&AnnotationId> = Vec::new();
    let mut seen = HashSet::new();
    for a in ours.iter().chain(&theirs).chain(&base) {
        if seen.insert(&a.id) {
            ids.push(&a.id);
        }
    }
    let (bi, oi, ti) = (index(base), index(ours), index(theirs));
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let (b, o, t) = (
            bi.get(id).copied(),
            oi.get(id).copied(),
            ti.get(id).copied(),
        );
        let came_in = t.filter(|t| o.is_none_or(|o| !same_annotation(o, t)));
        let outcome = three_way((b, o, t), report, same_annotation, merge_annotation);
        if let (Outcome::Keep(_), Some(t)) = (&outcome, came_in)
            && !t.author.is_empty()
            && !report.authors.contains(&t.author)
            && b.is_none_or(|b| !same_annotation(b, t))
        {
            report.authors.push(t.author.clone());
        }
        if let Outcome::Keep(a) = outcome {
            out.push(a);
        }
    }
    out.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    report.authors.sort();
    out
}

fn merge_tag(base: Option<&Tag>, ours: &Tag, theirs: &Tag) -> Tag {
    // Where both sides set a field differently, a fixed choice (the larger
    // value), so the result does not depend on which side is "ours".
    let mut m = ours.clone();
    m.color = pick(base.map(|b| &b.color), &ours.color, &theirs.color)
        .unwrap_or_else(|| ours.color.clone().max(theirs.color.clone()));
    m.parent = pick(base.map(|b| &b.parent), &ours.parent, &theirs.parent)
        .unwrap_or_else(|| ours.parent.clone().max(theirs.parent.clone()));
    m.key = pick(base.map(|b| &b.key), &ours.key, &theirs.key).unwrap_or(ours.key.max(theirs.key));
    m.description = merge_text(
        base.map(|b| b.description.as_str()),
        &ours.description,
        &theirs.description,
    );
    m
}

/// Codebooks merged by code name, in OURS' order with THEIRS' new codes
/// after; a code deleted on one side stays while a merged annotation still
/// uses it.
pub fn merge_codebooks(
    base: Option<&Codebook>,
    ours: &Codebook,
    theirs: &Codebook,
    used: &HashSet<&str>,
    report: &mut MergeReport,
) -> Codebook {
    let find = |c: Option<&Codebook>, name: &str| -> Option<Tag> {
        c.and_then(|c| c.tags.iter().find(|t| t.name == name).cloned())
    };
    let mut names: Vec<&str> = Vec::new();
    let base_tags = base.map(|c| c.tags.as_slice()).unwrap_or(&[]);
    for t in ours.tags.iter().chain(&theirs.tags).chain(base_tags) {
        if !names.contains(&t.name.as_str()) {
            names.push(&t.name);
        }
    }
    // Codes are few: counted apart from annotations, so the report's
    // numbers stay about annotations.
    let mut codes = MergeReport::default();
    let mut tags = Vec::new();
    for name in names {
        let (b, o, t) = (
            find(base, name),
            find(Some(ours), name),
            find(Some(theirs), name),
        );
        let sides = (b.as_ref(), o.as_ref(), t.as_ref());
        match three_way(sides, &mut codes, |x, y| x == y, merge_tag) {
            Outcome::Keep(tag) => {
                if o.is_none() {
                    report.codes_added.push(tag.name.clone());
                }
                tags.push(tag);
            }
            Outcome::Gone if used.contains(name) => {
                if let Some(tag) = o.or(t).or(b) {
                    tags.push(tag);
                }
            }
            Outcome::Gone => {}
        }
    }
    // Codes used by a merged annotation and defined nowhere (a hand edit):
    // defined now, with a colour of their own.
    let mut missing: Vec<&str> = used
        .iter()
        .copied()
        .filter(|n| !tags.iter().any(|t| t.name == *n))
        .collect();
    missing.sort_unstable();
    let mut book = Codebook { tags };
    for name in missing {
        let color = book.next_color().to_string();
        book.tags.push(Tag::new(name, &color, ""));
        report.codes_added.push(name.to_string());
    }
    // Two sides may each have bound one number key to a different code:
    // the first keeps it, the other falls back to a free key, so a key
    // never tags with two codes.
    let mut bound = HashSet::new();
    for t in &mut book.tags {
        if let Some(k) = t.key
            && !bound.insert(k)
        {
            t.key = None;
        }
    }
    book
}

/// Rejected places: those both keep, plus those either side added, of the
/// annotations still there; sorted.
fn merge_rejected(
    base: Option<&[AnnotationId]>,
    ours: &[AnnotationId],
    theirs: &[AnnotationId],
    kept: &[Annotation],
) -> Vec<AnnotationId> {
    let base = base.unwrap_or(&[]);
    let alive: HashSet<&AnnotationId> = kept.iter().map(|a| &a.id).collect();
    let mut out: Vec<AnnotationId> = ours
        .iter()
        .chain(theirs)
        .filter(|id| {
            let both = ours.contains(id) && theirs.contains(id);
            (both || !base.contains(id)) && alive.contains(id)
        })
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// One version of what a merge works on: a document's annotations (lent,
/// so a session's shared ones need no copy), codebook, memo and rejected
/// places. Relations, when they come, join here.
#[derive(Clone)]
pub struct Side<'a> {
    pub annotations: Vec<&'a Annotation>,
    pub codebook: &'a Codebook,
    pub memo: &'a str,
    pub rejected: &'a [AnnotationId],
}

impl<'a> Side<'a> {
    pub fn of(sc: &'a Sidecar) -> Self {
        Self {
            annotations: sc.annotations.iter().collect(),
            codebook: &sc.codebook,
            memo: &sc.memo,
            rejected: &sc.rejected,
        }
    }
}

/// What a merge made, and its report.
#[derive(Clone, Debug)]
pub struct Merged {
    /// In document order.
    pub annotations: Vec<Annotation>,
    pub codebook: Codebook,
    pub memo: String,
    pub rejected: Vec<AnnotationId>,
    pub report: MergeReport,
}

/// Three versions merged: the engine every merge in Gloss runs. Each side
/// should have been [`normalise`]d.
pub fn merge(base: Option<&Side<'_>>, ours: &Side<'_>, theirs: &Side<'_>) -> Merged {
    let mut report = MergeReport::default();
    let annotations = merge_annotations(
        base.map(|b| b.annotations.clone()).unwrap_or_default(),
        ours.annotations.iter().copied(),
        theirs.annotations.iter().copied(),
        &mut report,
    );
    let used: HashSet<&str> = annotations
        .iter()
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .collect();
    let codebook = merge_codebooks(
        base.map(|b| b.codebook),
        ours.codebook,
        theirs.codebook,
        &used,
        &mut report,
    );
    let rejected = merge_rejected(
        base.map(|b| b.rejected),
        ours.rejected,
        theirs.rejected,
        &annotations,
    );
    let memo = merge_text(base.map(|b| b.memo), ours.memo, theirs.memo);
    report.memo = memo != ours.memo;
    Merged {
        annotations,
        codebook,
        memo,
        rejected,
        report,
    }
}

/// Three versions of a sidecar merged into one.
pub fn merge_sidecars(
    base: Option<&Sidecar>,
    ours: &Sidecar,
    theirs: &Sidecar,
) -> (Sidecar, MergeReport) {
    let m = merge(
        base.map(Side::of).as_ref(),
        &Side::of(ours),
        &Side::of(theirs),
    );
    let merged = Sidecar {
        version: FORMAT_VERSION,
        rejected: m.rejected,
        document: pick(base.map(|b| &b.document), &ours.document, &theirs.document)
            .unwrap_or_else(|| ours.document.clone()),
        memo: m.memo,
        codebook: m.codebook,
        annotations: m.annotations,
    };
    (merged, m.report)
}

mod normalise;
pub use normalise::normalise;

#[cfg(test)]
#[path = "merge/tests.rs"]
pub(crate) mod tests;
