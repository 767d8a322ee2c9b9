//! Three-way merge of sidecars and project files: what git's merge driver
//! (`gloss merge-sidecar BASE OURS THEIRS`) runs, so two people coding the
//! same documents never meet a conflict inside a sidecar.
//!
//! By annotation id (and by code name for codebooks): added on one side →
//! added; deleted on one side and unchanged on the other → deleted; deleted
//! on one side and changed on the other → kept as changed (work is never
//! dropped); changed on one side → that change; changed on both → field by
//! field: tags take both sides' additions and removals, the range follows
//! the newer change, a note edited on both sides keeps both texts under a
//! separator line.

use crate::model::{Annotation, AnnotationId, Codebook, Tag};
use crate::project::file::{ProjectError, ProjectFile};
use crate::sidecar::{FORMAT_VERSION, Sidecar, SidecarError};
use crate::storage::WriteError;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Put between two versions of a note (or memo, or description) that were
/// both edited: the reader sees at once that a merge joined them.
pub const SEPARATOR: &str = "──── merged: the other version ────";

/// What a merge did, counted from OURS' point of view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Annotations (or codes) only THEIRS added.
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
}

impl std::fmt::Display for MergeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} merged field by field, {} deleted, {} kept (deleted on one side, changed on the other)",
            self.added, self.updated, self.joined, self.deleted, self.kept
        )?;
        if !self.codes_added.is_empty() {
            write!(f, "; new codes: {}", self.codes_added.join(", "))?;
        }
        Ok(())
    }
}

#[derive(Debug, Error)]
pub enum MergeError {
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Sidecar(#[from] SidecarError),
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error("{} is empty; there is nothing to merge it with", path.display())]
    Empty { path: PathBuf },
    #[error("{} and {} are not the same kind of Gloss file", ours.display(), theirs.display())]
    Mixed { ours: PathBuf, theirs: PathBuf },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One value merged three ways; `None` when both sides changed it
/// differently.
fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
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

/// One annotation both sides changed, field by field.
fn merge_annotation(
    base: Option<&Annotation>,
    ours: &Annotation,
    theirs: &Annotation,
) -> Annotation {
    let newer = if theirs.modified > ours.modified {
        theirs
    } else {
        ours
    };
    let mut m = ours.clone();
    let range = |a: &Annotation| {
        (
            a.start,
            a.end,
            a.quote.clone(),
            a.prefix.clone(),
            a.suffix.clone(),
        )
    };
    let r = pick(base.map(range).as_ref(), &range(ours), &range(theirs))
        .unwrap_or_else(|| range(newer));
    (m.start, m.end, m.quote, m.prefix, m.suffix) = r;
    m.tags = merge_tags(base.map(|b| &b.tags), &ours.tags, &theirs.tags);
    m.note = merge_text(base.map(|b| b.note.as_str()), &ours.note, &theirs.note);
    m.author = pick(base.map(|b| &b.author), &ours.author, &theirs.author)
        .unwrap_or_else(|| newer.author.clone());
    m.review = pick(base.map(|b| &b.review), &ours.review, &theirs.review)
        .unwrap_or_else(|| newer.review.clone());
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

/// The rules shared by annotations and codes; `join` merges an item both
/// sides changed.
fn three_way<T: PartialEq + Clone>(
    base: Option<&T>,
    ours: Option<&T>,
    theirs: Option<&T>,
    report: &mut MergeReport,
    join: impl Fn(Option<&T>, &T, &T) -> T,
) -> Outcome<T> {
    match (base, ours, theirs) {
        (_, Some(o), Some(t)) if o == t => Outcome::Keep(o.clone()),
        (b, Some(o), Some(t)) if b == Some(o) => {
            report.updated += 1;
            Outcome::Keep(t.clone())
        }
        (b, Some(o), Some(t)) if b == Some(t) => Outcome::Keep(o.clone()),
        (b, Some(o), Some(t)) => {
            report.joined += 1;
            Outcome::Keep(join(b, o, t))
        }
        (Some(b), Some(x), None) | (Some(b), None, Some(x)) => {
            if x == b {
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

/// The annotations merged by id, sorted as a save sorts them.
fn merge_annotations(
    base: &[Annotation],
    ours: &[Annotation],
    theirs: &[Annotation],
    report: &mut MergeReport,
) -> Vec<Annotation> {
    let index = |v: &[Annotation]| -> HashMap<AnnotationId, usize> {
        v.iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect()
    };
    let (bi, oi, ti) = (index(base), index(ours), index(theirs));
    let mut ids: Vec<&AnnotationId> = Vec::new();
    let mut seen = HashSet::new();
    for a in ours.iter().chain(theirs).chain(base) {
        if seen.insert(&a.id) {
            ids.push(&a.id);
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let b = bi.get(id).map(|&i| &base[i]);
        let o = oi.get(id).map(|&i| &ours[i]);
        let t = ti.get(id).map(|&i| &theirs[i]);
        if let Outcome::Keep(a) = three_way(b, o, t, report, merge_annotation) {
            out.push(a);
        }
    }
    out.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    out
}

fn merge_tag(base: Option<&Tag>, ours: &Tag, theirs: &Tag) -> Tag {
    let mut m = ours.clone();
    m.color = pick(base.map(|b| &b.color), &ours.color, &theirs.color)
        .unwrap_or_else(|| ours.color.clone());
    m.parent = pick(base.map(|b| &b.parent), &ours.parent, &theirs.parent)
        .unwrap_or_else(|| ours.parent.clone());
    m.key = pick(base.map(|b| &b.key), &ours.key, &theirs.key).unwrap_or(ours.key);
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
        match three_way(b.as_ref(), o.as_ref(), t.as_ref(), &mut codes, merge_tag) {
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
    Codebook { tags }
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

/// Three versions of a sidecar merged into one.
pub fn merge_sidecars(
    base: Option<&Sidecar>,
    ours: &Sidecar,
    theirs: &Sidecar,
) -> (Sidecar, MergeReport) {
    let mut report = MergeReport::default();
    let none = Vec::new();
    let annotations = merge_annotations(
        base.map(|b| &b.annotations).unwrap_or(&none),
        &ours.annotations,
        &theirs.annotations,
        &mut report,
    );
    let used: HashSet<&str> = annotations
        .iter()
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .collect();
    let codebook = merge_codebooks(
        base.map(|b| &b.codebook),
        &ours.codebook,
        &theirs.codebook,
        &used,
        &mut report,
    );
    let rejected = merge_rejected(
        base.map(|b| b.rejected.as_slice()),
        &ours.rejected,
        &theirs.rejected,
        &annotations,
    );
    let merged = Sidecar {
        version: FORMAT_VERSION,
        rejected,
        document: pick(base.map(|b| &b.document), &ours.document, &theirs.document)
            .unwrap_or_else(|| ours.document.clone()),
        memo: merge_text(base.map(|b| b.memo.as_str()), &ours.memo, &theirs.memo),
        codebook,
        annotations,
    };
    (merged, report)
}

/// Three versions of `gloss-project.ron` merged: the codebook by code name,
/// the memo as text, statuses per document (both changed: the further
/// along), retired codes joined.
pub fn merge_projects(
    base: Option<&ProjectFile>,
    ours: &ProjectFile,
    theirs: &ProjectFile,
) -> (ProjectFile, MergeReport) {
    let mut report = MergeReport::default();
    // A code retired on either side is not kept for use's sake.
    let codebook = merge_codebooks(
        base.map(|b| &b.codebook),
        &ours.codebook,
        &theirs.codebook,
        &HashSet::new(),
        &mut report,
    );
    let mut statuses = BTreeMap::new();
    let keys: HashSet<&String> = ours.statuses.keys().chain(theirs.statuses.keys()).collect();
    for k in keys {
        let (b, o, t) = (
            base.and_then(|b| b.statuses.get(k)),
            ours.statuses.get(k),
            theirs.statuses.get(k),
        );
        let s = match (o, t) {
            (Some(o), Some(t)) => pick(b, o, t).unwrap_or(*o.max(t)),
            (Some(x), None) | (None, Some(x)) => *x,
            (None, None) => continue,
        };
        statuses.insert(k.clone(), s);
    }
    let mut retired = ours.retired.clone();
    for (k, v) in &theirs.retired {
        retired.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let merged = ProjectFile {
        version: ours.version.max(theirs.version),
        codebook,
        memo: merge_text(base.map(|b| b.memo.as_str()), &ours.memo, &theirs.memo),
        statuses,
        retired,
    };
    (merged, report)
}

/// Which file the driver was handed, read and parsed.
enum Parsed {
    Sidecar(Box<Sidecar>),
    Project(Box<ProjectFile>),
}

fn parse(path: &Path) -> Result<Option<Parsed>, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    // A project file has no `annotations`; anything else is read as a
    // sidecar, whose errors say what is wrong with it.
    let looks_like_project = !text.contains("annotations:") && text.contains("statuses:");
    if looks_like_project {
        Ok(Some(Parsed::Project(Box::new(ProjectFile::from_ron(
            &text, path,
        )?))))
    } else {
        Ok(Some(Parsed::Sidecar(Box::new(Sidecar::from_ron(
            &text, path,
        )?))))
    }
}

/// git's merge driver: merges BASE, OURS and THEIRS (git's `%O %A %B`) and
/// writes the result over OURS, atomically. On any error OURS is left as
/// it was, and git reports a conflict.
pub fn merge_files(base: &Path, ours: &Path, theirs: &Path) -> Result<MergeReport, MergeError> {
    let empty = |p: &Path| MergeError::Empty {
        path: p.to_path_buf(),
    };
    let b = parse(base)?;
    let o = parse(ours)?.ok_or_else(|| empty(ours))?;
    let t = parse(theirs)?.ok_or_else(|| empty(theirs))?;
    let mixed = || MergeError::Mixed {
        ours: ours.to_path_buf(),
        theirs: theirs.to_path_buf(),
    };
    match (o, t) {
        (Parsed::Sidecar(o), Parsed::Sidecar(t)) => {
            let b = match b {
                Some(Parsed::Sidecar(b)) => Some(b),
                Some(Parsed::Project(_)) => return Err(mixed()),
                None => None,
            };
            let (merged, report) = merge_sidecars(b.as_deref(), &o, &t);
            merged.save(ours)?;
            Ok(report)
        }
        (Parsed::Project(o), Parsed::Project(t)) => {
            let b = match b {
                Some(Parsed::Project(b)) => Some(b),
                Some(Parsed::Sidecar(_)) => return Err(mixed()),
                None => None,
            };
            let (merged, report) = merge_projects(b.as_deref(), &o, &t);
            merged.save_to(ours)?;
            Ok(report)
        }
        _ => Err(mixed()),
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
