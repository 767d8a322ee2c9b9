//! Changes to many annotations at once, each one undo step: an import
//! merged in, and every match of a search tagged.

use super::{CommandError, Session};
use crate::formats::Imported;
use crate::model::{Annotation, AnnotationId, CharRange, Op, Tag};
use time::OffsetDateTime;

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeReport {
    pub added: usize,
    pub duplicates: usize,
    pub new_tags: Vec<String>,
    /// Codes the file also defines whose colour, description or parent it
    /// changed.
    pub updated_tags: Vec<String>,
    pub skipped: Vec<String>,
}

impl std::fmt::Display for MergeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} annotation{} added",
            self.added,
            if self.added == 1 { "" } else { "s" }
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

    /// Adds imported annotations (and tags the codebook lacks) as one undo
    /// step. An annotation whose id is already here, or that repeats an
    /// existing one (same range, tags and note), is not added twice. With
    /// `dry_run` nothing changes; the report says what would.
    pub fn merge(
        &mut self,
        imported: Imported,
        dry_run: bool,
    ) -> Result<MergeReport, CommandError> {
        let mut report = MergeReport {
            skipped: imported.skipped,
            ..MergeReport::default()
        };
        let mut ops = Vec::new();
        let mut known: Vec<String> = self
            .codebook()
            .tags
            .iter()
            .map(|t| t.name.clone())
            .collect();
        let mut wanted: Vec<Tag> = imported.tags;
        for a in &imported.annotations {
            for t in &a.tags {
                if !wanted.iter().any(|w| &w.name == t) {
                    wanted.push(Tag::new(t, "", ""));
                }
            }
        }
        let mut palette = self.codebook().clone();
        for mut tag in wanted {
            if let Some(i) = known.iter().position(|k| *k == tag.name) {
                // A code the file defines too: its colour, description and
                // parent, where it gives them (a REFI-QDA codebook does).
                if let Some(old) = self.codebook().tags.get(i) {
                    let mut new = old.clone();
                    if crate::model::parse_hex_color(&tag.color).is_some() {
                        new.color = tag.color.clone();
                    }
                    if !tag.description.is_empty() {
                        new.description = tag.description.clone();
                    }
                    if tag.parent.is_some()
                        && palette.can_reparent(&tag.name, tag.parent.as_deref())
                    {
                        new.parent = tag.parent.clone();
                    }
                    if new != *old {
                        report.updated_tags.push(tag.name.clone());
                        ops.push(Op::ReplaceTag(tag.name.clone(), new));
                    }
                }
                continue;
            }
            if tag.name.trim().is_empty() {
                continue;
            }
            if crate::model::parse_hex_color(&tag.color).is_none() {
                tag.color = palette.next_color().to_string();
            }
            known.push(tag.name.clone());
            palette.tags.push(tag.clone());
            report.new_tags.push(tag.name.clone());
            ops.push(Op::InsertTag(known.len() - 1, tag));
        }
        let mut seen_ids = std::collections::HashSet::new();
        for a in imported.annotations {
            let set = &self.store.annotations;
            let duplicate = set.get(&a.id).is_some()
                || !seen_ids.insert(a.id.clone())
                || set
                    .overlapping(a.range())
                    .any(|b| b.range() == a.range() && b.tags == a.tags && b.note == a.note);
            if duplicate {
                report.duplicates += 1;
            } else {
                report.added += 1;
                ops.push(Op::Insert(a));
            }
        }
        if !dry_run && !ops.is_empty() {
            self.apply(ops, None)?;
        }
        Ok(report)
    }
}
