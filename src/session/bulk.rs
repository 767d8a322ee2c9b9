//! Changes to many annotations at once, each one undo step: an import
//! merged in, and every match of a search tagged.

use super::{CommandError, Session};
use crate::formats::Imported;
use crate::merge::Side;
use crate::model::{Annotation, AnnotationId, CharRange, Codebook, Op, Tag};
use crate::sidecar::Sidecar;
use time::OffsetDateTime;

/// What an import did (or, in a dry run, would do). What was added and
/// which codes came or changed come from the merge engine's own report;
/// `duplicates` are the file's annotations already here (by id, or the
/// same range, codes and note), left out before the merge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub added: usize,
    pub duplicates: usize,
    pub new_tags: Vec<String>,
    /// Codes the file also defines whose colour, description or parent it
    /// changed.
    pub updated_tags: Vec<String>,
    pub skipped: Vec<String>,
    /// What had to be mended in the file before it could be merged (a code
    /// with no name, an id listed twice).
    pub mended: Vec<String>,
    /// The file's memo for the document came in (joined with this one's
    /// when both say something different).
    pub memo: bool,
    /// What the importer had to do that the user should know.
    pub said: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added",
            crate::words::plural(self.added, "annotation")
        )?;
        if self.duplicates > 0 {
            write!(f, ", {} already present", self.duplicates)?;
        }
        if !self.new_tags.is_empty() {
            write!(f, ", new tags: {}", self.new_tags.join(", "))?;
        }
        if !self.updated_tags.is_empty() {
            write!(f, ", tags updated: {}", self.updated_tags.join(", "))?;
        }
        if !self.skipped.is_empty() {
            write!(f, ", {} skipped", self.skipped.len())?;
        }
        if self.memo {
            write!(f, "; the memo")?;
        }
        if !self.mended.is_empty() {
            write!(f, "; mended in the file: {}", self.mended.join("; "))?;
        }
        for said in &self.said {
            write!(f, "; {said}")?;
        }
        Ok(())
    }
}

impl Session {
    /// Tags every range (e.g. all matches of a search) with `tag`, as one
    /// undo step: a new annotation per range, unless one on exactly that
    /// range already has the tag. An unknown tag joins the codebook.
    /// Returns how many annotations were (or, with `dry_run`, would be) made.
    pub fn tag_all(
        &mut self,
        ranges: &[CharRange],
        tag: &str,
        author: &str,
        now: OffsetDateTime,
        dry_run: bool,
    ) -> Result<usize, CommandError> {
        if dry_run {
            let tag = tag.trim();
            return Ok(ranges
                .iter()
                .map(|r| self.doc.snap_to_graphemes(*r))
                .filter(|r| !r.is_empty() && !self.already_tagged(*r, tag, author))
                .count());
        }
        self.tag_all_ids(ranges, tag, author, now)
            .map(|ids| ids.len())
    }

    /// [`Session::tag_all`], returning the annotations it made.
    pub fn tag_all_ids(
        &mut self,
        ranges: &[CharRange],
        tag: &str,
        author: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<AnnotationId>, CommandError> {
        let tag = tag.trim();
        let mut ops = Vec::new();
        if self.codebook().get(tag).is_none() && !tag.is_empty() {
            let cb = self.codebook();
            ops.push(Op::InsertTag(
                cb.tags.len(),
                Tag::new(tag, cb.next_color(), ""),
            ));
        }
        let tags: Vec<String> = if tag.is_empty() {
            Vec::new()
        } else {
            vec![tag.to_string()]
        };
        let mut made = Vec::new();
        for &r in ranges {
            let r = self.doc.snap_to_graphemes(r);
            if r.is_empty() || self.already_tagged(r, tag, author) {
                continue;
            }
            let a = Annotation::new(&self.doc, r, tags.clone(), author, now);
            made.push(a.id.clone());
            ops.push(Op::Insert(a));
        }
        if !made.is_empty() {
            self.apply(ops, None)?;
        }
        Ok(made)
    }

    /// Whether `author` has an annotation on exactly `r` with `tag` (an
    /// empty tag: a plain highlight). Another annotator's does not count:
    /// when two code the same text, each codes it.
    pub fn already_tagged(&self, r: CharRange, tag: &str, author: &str) -> bool {
        let tag = tag.trim();
        self.store.annotations.overlapping(r).any(|a| {
            a.range() == r
                && a.author == author
                && if tag.is_empty() {
                    a.tags.is_empty()
                } else {
                    a.has_tag(tag)
                }
        })
    }

    /// Adds imported annotations (and codes the codebook lacks) as one
    /// undo step, through the merge engine with no common ancestor for the
    /// annotations (an import is new material) and this codebook as the
    /// ancestor of the codebook (so what the file defines updates a code).
    /// An annotation whose id is already here, or that repeats an existing
    /// one (same range, codes and note), is not added twice. With `dry_run`
    /// nothing changes; the report says what would.
    pub fn import(
        &mut self,
        imported: Imported,
        dry_run: bool,
    ) -> Result<ImportReport, CommandError> {
        let (theirs, mended) = self.imported_side(imported.tags, imported.annotations);
        let mut report = ImportReport {
            skipped: imported.skipped,
            mended,
            said: imported.said,
            ..ImportReport::default()
        };
        let fresh: Vec<&Annotation> = theirs
            .annotations
            .iter()
            .filter(|a| {
                let set = &self.store.annotations;
                let repeat = set.get(&a.id).is_some()
                    || set
                        .overlapping(a.range())
                        .any(|b| b.range() == a.range() && b.tags == a.tags && b.note == a.note);
                report.duplicates += usize::from(repeat);
                !repeat
            })
            .collect();
        let ours = Side {
            annotations: self.store.annotations.iter().collect(),
            codebook: &self.store.codebook,
            memo: &self.store.memo,
            rejected: &self.store.rejected,
        };
        // A memo in the file is new material, as its annotations are: with
        // no ancestor, it joins this one unless one already says the other.
        let memo = imported.memo.trim();
        let base = Side {
            annotations: Vec::new(),
            memo: if memo.is_empty() { ours.memo } else { "" },
            ..ours.clone()
        };
        let theirs = Side {
            annotations: fresh,
            codebook: &theirs.codebook,
            memo: if memo.is_empty() { ours.memo } else { memo },
            ..ours.clone()
        };
        let merged = crate::merge::merge(Some(&base), &ours, &theirs);
        // Rejected places of annotations deleted since stay as they are:
        // an import does not tidy them (undoing the delete brings both back).
        let ops: Vec<Op> = super::save::ops_between(&ours, &merged)
            .into_iter()
            .filter(|op| !matches!(op, Op::SetRejected(_)))
            .collect();
        report.added = merged.report.added;
        report.memo = merged.report.memo;
        report.new_tags = merged.report.codes_added.clone();
        report.updated_tags = ops
            .iter()
            .filter_map(|op| match op {
                Op::ReplaceTag(name, _) => Some(name.clone()),
                _ => None,
            })
            .collect();
        if !dry_run && !ops.is_empty() {
            self.apply(ops, None)?;
        }
        Ok(report)
    }

    /// The import as the other side of a merge: this codebook with what the
    /// file defines laid over it (a colour, description or parent where it
    /// gives one) and its new codes after, and its annotations, mended as
    /// any foreign input is ([`crate::merge::normalise`]).
    fn imported_side(
        &self,
        tags: Vec<Tag>,
        annotations: Vec<Annotation>,
    ) -> (Sidecar, Vec<String>) {
        // The file mended on its own first: a code with no name becomes
        // "unnamed code" every time (the same code at the next import, not
        // "unnamed code 2"). Codes it uses but does not define are this
        // codebook's, or new; most formats carry no codebook, so that is
        // not something to mend.
        let ours = &self.store.codebook;
        let mut file = Codebook { tags };
        for name in annotations.iter().flat_map(|a| &a.tags) {
            if !name.trim().is_empty() && file.get(name).is_none() {
                let tag = ours
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| Tag::new(name, "", ""));
                file.tags.push(tag);
            }
        }
        let mut sc = Sidecar::new(&self.doc, file, annotations);
        let mended = crate::merge::normalise(&mut sc);
        // Then laid over this codebook: what the file gives of a code's
        // colour, description or parent; its new codes after.
        let mut book = ours.clone();
        for mut tag in std::mem::take(&mut sc.codebook.tags) {
            if let Some(i) = book.tags.iter().position(|t| t.name == tag.name) {
                let can_reparent =
                    tag.parent.is_some() && book.can_reparent(&tag.name, tag.parent.as_deref());
                let old = &mut book.tags[i];
                if crate::model::parse_hex_color(&tag.color).is_some() {
                    old.color = tag.color;
                }
                if !tag.description.is_empty() {
                    old.description = tag.description;
                }
                if can_reparent {
                    old.parent = tag.parent;
                }
            } else {
                if crate::model::parse_hex_color(&tag.color).is_none() {
                    tag.color = book.next_color().to_string();
                }
                book.tags.push(tag);
            }
        }
        sc.codebook = book;
        (sc, mended)
    }
}
