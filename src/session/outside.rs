//! Saving, and living with other programs: a sidecar changed by another
//! window, `gloss import`, `git pull` or a sync client is merged, never
//! overwritten; a document edited elsewhere is re-read and its annotations
//! re-anchored through a diff of the old and new text.

use super::{OpenError, Session, read_document_with};
use crate::anchor::AnchorReport;
use crate::model::Document;
use crate::model::{Annotation, Op, Tag};
use crate::sidecar::{Sidecar, SidecarError};
use crate::storage::{Fingerprint, backup, backup_path};
use std::path::Path;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

/// Re-reading a changed document and re-anchoring on it, detached from the
/// session so it can run on another thread.
pub struct ReloadJob {
    path: PathBuf,
    old: std::sync::Arc<Document>,
    annotations: Vec<crate::model::Annotation>,
    revision: u64,
    password: Option<String>,
}

/// A finished [`ReloadJob`], for [`Session::finish_reload`].
pub struct Reloaded {
    doc: Document,
    encoding: &'static str,
    seen: Fingerprint,
    annotations: Vec<crate::model::Annotation>,
    pub report: AnchorReport,
    revision: u64,
}

impl ReloadJob {
    /// How many annotations will be placed (for progress).
    pub fn len(&self) -> usize {
        self.annotations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty()
    }

    /// Reads, decodes and re-anchors; `done` counts placed annotations.
    pub fn run(self, done: &AtomicUsize) -> Result<Reloaded, OpenError> {
        let (doc, decoded, seen) =
            read_document_with(&self.path, &|_| (), self.password.as_deref())?;
        let mut annotations = self.annotations;
        let plan =
            crate::anchor::plan_with_progress(&doc, &annotations, Some(self.old.text()), done);
        let report = crate::anchor::apply(&doc, &mut annotations, &plan);
        Ok(Reloaded {
            doc,
            encoding: decoded.encoding,
            seen,
            annotations,
            report,
            revision: self.revision,
        })
    }
}

/// What changed on disk since the session last looked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outside {
    pub document: bool,
    pub sidecar: bool,
}

/// What merging another program's sidecar did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncReport {
    /// Annotations only the other side had.
    pub added: usize,
    /// Annotations both sides changed: the newer kept, the other's note appended.
    pub joined: usize,
    /// Annotations the other side changed (and this one did not).
    pub updated: usize,
    pub new_tags: Vec<String>,
    /// The document memo changed on the other side (both kept if both did).
    pub memo: bool,
    /// Annotations the other side no longer has (a reload only: a merge
    /// never drops any).
    pub removed: usize,
    /// Who made the annotations that came in or changed, by name.
    pub authors: Vec<String>,
}

impl SyncReport {
    pub fn is_empty(&self) -> bool {
        self.added + self.joined + self.updated + self.removed == 0
            && self.new_tags.is_empty()
            && !self.memo
    }
}

impl std::fmt::Display for SyncReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} added, {} updated", self.added, self.updated)?;
        if self.removed > 0 {
            write!(f, ", {} removed", self.removed)?;
        }
        if self.joined > 0 {
            write!(
                f,
                ", {} changed on both sides (newer kept, the other note appended)",
                self.joined
            )?;
        }
        if !self.authors.is_empty() {
            write!(f, " (by {})", self.authors.join(", "))?;
        }
        if !self.new_tags.is_empty() {
            write!(f, ", new tags: {}", self.new_tags.join(", "))?;
        }
        if self.memo {
            write!(f, ", the memo")?;
        }
        Ok(())
    }
}

impl Session {
    /// Writes the sidecar if there are unsaved changes. If another program
    /// changed the file since it was read, its changes are merged in first
    /// (see [`Session::merge_sidecar`]); a file that can no longer be read
    /// is left alone and the save fails. The first save of a session keeps
    /// the file as it was opened in `.bak`. A read-only session never writes.
    pub fn save(&mut self) -> Result<Option<SyncReport>, SidecarError> {
        if !self.dirty || self.read_only.is_some() {
            return Ok(None);
        }
        let Some(path) = self.sidecar_path.clone() else {
            return Ok(None);
        };
        let merged = self.merge_if_changed(&path)?;
        if !self.backed_up {
            backup(&path)?;
            self.backed_up = true;
        }
        self.sidecar_seen = Some(self.to_sidecar().save(&path)?);
        self.base = self.store.annotations.snapshot();
        self.dirty = false;
        Ok(merged)
    }

    /// Saves to a new sidecar location and keeps using it. Refuses the
    /// document itself, backups, and a sidecar that could not be read.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SidecarError> {
        let refuse = |why: String| {
            Err(SidecarError::Refused {
                path: path.to_path_buf(),
                why,
            })
        };
        let same =
            |a: &Path, b: &Path| crate::storage::comparable(a) == crate::storage::comparable(b);
        if let Some(bad) = &self.unreadable
            && (same(path, bad) || same(path, &backup_path(bad)))
        {
            return refuse(format!(
                "it is the annotation file Gloss could not read (or its backup). Repair {} in a text \
                 editor, or save these annotations under another name",
                bad.display()
            ));
        }
        if self.path.as_deref().is_some_and(|d| same(path, d)) {
            return refuse("it is the document itself".into());
        }
        if path.extension().is_some_and(|e| e == "bak") {
            return refuse("backups are Gloss's own; choose another name".into());
        }
        // An annotation file Gloss can read may be replaced (the dialog
        // asked); any other existing file may not.
        if path.exists() && Sidecar::load(path).is_err() {
            return refuse("it exists and is not an annotation file Gloss can read".into());
        }
        self.sidecar_seen = Some(self.to_sidecar().save(path)?);
        self.base = self.store.annotations.snapshot();
        self.sidecar_path = Some(path.to_path_buf());
        self.backed_up = true;
        self.read_only = None;
        self.dirty = false;
        Ok(())
    }

    /// Whether the document or the sidecar changed on disk since they were
    /// read or written. Cheap: a `stat` each unless the size or time moved.
    pub fn outside_changes(&mut self) -> Outside {
        // A file that cannot be looked at right now counts as unchanged.
        let changed = |path: Option<&Path>, seen: Option<&mut Fingerprint>| {
            path.is_some_and(|p| !Fingerprint::still_at(seen, p).unwrap_or(true))
        };
        let document = self.document_seen.is_some()
            && changed(self.path.as_deref(), self.document_seen.as_mut());
        let sidecar = self.read_only.is_none()
            && changed(self.sidecar_path.as_deref(), self.sidecar_seen.as_mut());
        Outside { document, sidecar }
    }

    /// Takes in a sidecar another program wrote (a `git pull`, a
    /// colleague's sync): reloaded when there are no unsaved changes here,
    /// merged (and saved) otherwise. Returns what came in; `None` when
    /// nothing was merged into unsaved changes and nothing was read (the
    /// file is gone, or unsaved changes were saved without a merge).
    pub fn sync_sidecar(&mut self) -> Result<Option<SyncReport>, SidecarError> {
        let Some(path) = self.sidecar_path.clone() else {
            return Ok(None);
        };
        if self.dirty {
            return self.save();
        }
        match Sidecar::load_with_fingerprint(&path)? {
            Some((theirs, seen)) => {
                let came_in = self.compare_with(&theirs);
                let report = self.adopt(theirs, None);
                self.anchor_report = report;
                self.sidecar_seen = Some(seen);
                self.dirty = report.moved + report.fuzzy > 0;
                Ok(Some(came_in))
            }
            // Deleted elsewhere: what is here is written again at the next save.
            None => {
                self.sidecar_seen = None;
                self.dirty = !self.store.annotations.is_empty();
                Ok(None)
            }
        }
    }

    /// Re-reads the document after another program changed it and places
    /// the annotations on the new text, mapping positions through a diff of
    /// the old text and the new. (The window runs the same steps as a
    /// [`ReloadJob`] on another thread.)
    pub fn reload_document(&mut self) -> Result<AnchorReport, OpenError> {
        let Some(job) = self.reload_job() else {
            return Ok(self.anchor_report);
        };
        let done = job.run(&AtomicUsize::new(0))?;
        let report = done.report;
        self.finish_reload(done);
        Ok(report)
    }

    /// What re-reading the document needs, owned, so it can run anywhere.
    pub fn reload_job(&self) -> Option<ReloadJob> {
        Some(ReloadJob {
            password: self.password.clone(),
            path: self.path.clone()?,
            old: self.doc.clone(),
            annotations: self.store.annotations.iter().cloned().collect(),
            revision: self.store.annotations.revision(),
        })
    }

    /// Takes in a finished reload. Returns `false` (and changes nothing)
    /// when the annotations changed meanwhile: the caller runs it again.
    pub fn finish_reload(&mut self, r: Reloaded) -> bool {
        if r.revision != self.store.annotations.revision() {
            return false;
        }
        self.doc = r.doc.into();
        self.encoding = r.encoding;
        self.document_seen = Some(r.seen);
        self.store.annotations = crate::model::AnnotationSet::from_vec(r.annotations);
        // Undo steps hold positions in the old text.
        self.history = crate::model::History::default();
        self.anchor_report = r.report;
        if r.report.moved + r.report.fuzzy > 0 {
            self.dirty = true;
        }
        true
    }

    fn merge_if_changed(&mut self, path: &Path) -> Result<Option<SyncReport>, SidecarError> {
        let unchanged =
            Fingerprint::still_at(self.sidecar_seen.as_mut(), path).map_err(|source| {
                SidecarError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        if unchanged {
            return Ok(None);
        }
        match Sidecar::load_with_fingerprint(path) {
            Ok(Some((theirs, seen))) => {
                let report = self.merge_sidecar(theirs);
                self.sidecar_seen = Some(seen);
                Ok(Some(report))
            }
            Ok(None) => {
                self.sidecar_seen = None;
                Ok(None)
            }
            Err(e) => Err(SidecarError::ChangedUnreadable {
                path: path.to_path_buf(),
                why: e.to_string(),
            }),
        }
    }

    /// What reloading `theirs` would bring in, against what is here.
    fn compare_with(&self, theirs: &Sidecar) -> SyncReport {
        let mut r = SyncReport::default();
        let mut authors = std::collections::BTreeSet::new();
        let mut ids = std::collections::HashSet::new();
        for a in &theirs.annotations {
            ids.insert(&a.id);
            match self.store.annotations.get(&a.id) {
                None => r.added += 1,
                Some(ours) if same_content(ours, a) => continue,
                Some(_) => r.updated += 1,
            }
            authors.insert(a.author.clone());
        }
        r.removed = self
            .store
            .annotations
            .iter()
            .filter(|a| !ids.contains(&a.id))
            .count();
        r.new_tags = (theirs.codebook.tags.iter())
            .filter(|t| self.codebook().get(&t.name).is_none())
            .map(|t| t.name.clone())
            .collect();
        r.memo = theirs.memo != self.store.memo;
        r.authors = authors.into_iter().filter(|a| !a.is_empty()).collect();
        r
    }

    /// Merges another program's version of the sidecar into this session,
    /// as one undo step: the union by annotation id; where both sides
    /// changed the same annotation, the newer is kept and the other's note
    /// is appended to its note, so neither note is lost. Tags the other side
    /// added join the codebook.
    pub fn merge_sidecar(&mut self, theirs: Sidecar) -> SyncReport {
        let mut report = SyncReport::default();
        let mut ops = Vec::new();
        let mut theirs_anns = theirs.annotations;
        // Deleted there, untouched here since the file was last read or
        // written: deleted here too (anything changed here is kept).
        let theirs_ids: std::collections::HashSet<&crate::model::AnnotationId> =
            theirs_anns.iter().map(|a| &a.id).collect();
        for base in self.base.iter() {
            if !theirs_ids.contains(&base.id)
                && let Some(ours) = self.store.annotations.get(&base.id)
                && same_content(ours, base)
            {
                report.removed += 1;
                ops.push(Op::Remove(base.id.clone()));
            }
        }
        drop(theirs_ids);
        crate::anchor::anchor_all(&self.doc, &mut theirs_anns, None);
        let mut names: Vec<String> = self
            .codebook()
            .tags
            .iter()
            .map(|t| t.name.clone())
            .collect();
        for tag in theirs.codebook.tags {
            if !names.contains(&tag.name) {
                names.push(tag.name.clone());
                report.new_tags.push(tag.name.clone());
                ops.push(Op::InsertTag(names.len() - 1, tag));
            }
        }
        for theirs_a in theirs_anns {
            for t in &theirs_a.tags {
                if !names.contains(t) {
                    names.push(t.clone());
                    report.new_tags.push(t.clone());
                    ops.push(Op::InsertTag(names.len() - 1, Tag::new(t, "", "")));
                }
            }
            let by = &theirs_a.author;
            if !by.is_empty()
                && !report.authors.contains(by)
                && self
                    .store
                    .annotations
                    .get(&theirs_a.id)
                    .is_none_or(|ours| !same_content(ours, &theirs_a))
            {
                report.authors.push(by.clone());
            }
            match self.store.annotations.get(&theirs_a.id) {
                None => {
                    report.added += 1;
                    ops.push(Op::Insert(theirs_a));
                }
                Some(ours) if same_content(ours, &theirs_a) => {}
                Some(ours) => {
                    let joined = join(ours, &theirs_a);
                    if joined.note != ours.note && joined.note != theirs_a.note {
                        report.joined += 1;
                    } else {
                        report.updated += 1;
                    }
                    if !same_content(ours, &joined) {
                        ops.push(Op::Replace(joined));
                    }
                }
            }
        }
        // Both memos are kept when both changed.
        let memo = theirs.memo.trim();
        if !memo.is_empty() && !self.store.memo.contains(memo) {
            // Theirs grew ours (or ours is empty): take it whole.
            let joined = if theirs.memo.contains(self.store.memo.trim()) {
                theirs.memo.clone()
            } else {
                format!("{}\n\n{}", self.store.memo.trim_end(), theirs.memo)
            };
            ops.push(Op::SetMemo(joined));
            report.memo = true;
        }
        // Places the other side rejected stay rejected.
        let mut rejected = self.store.rejected.clone();
        rejected.extend(theirs.rejected.iter().cloned());
        rejected.sort();
        rejected.dedup();
        if rejected != self.store.rejected {
            ops.push(Op::SetRejected(rejected));
        }
        // Colours for tags that came without one.
        let mut palette = self.codebook().clone();
        for op in &mut ops {
            if let Op::InsertTag(_, tag) = op
                && crate::model::parse_hex_color(&tag.color).is_none()
            {
                tag.color = palette.next_color().to_string();
                palette.tags.push(tag.clone());
            }
        }
        if !ops.is_empty()
            && let Ok(inverse) = self.store.apply(ops)
        {
            self.history.record(inverse, None);
            self.dirty = true;
        }
        report
    }
}

fn same_content(a: &Annotation, b: &Annotation) -> bool {
    (
        a.start, a.end, &a.quote, &a.tags, &a.note, &a.author, a.modified, &a.review,
    ) == (
        b.start, b.end, &b.quote, &b.tags, &b.note, &b.author, b.modified, &b.review,
    )
}

/// The newer of two versions of one annotation, with the other's note
/// appended when it says something the newer one does not.
fn join(ours: &Annotation, theirs: &Annotation) -> Annotation {
    let (newer, older) = if theirs.modified > ours.modified {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    let mut joined = newer.clone();
    let other = older.note.trim();
    if !other.is_empty() && !newer.note.contains(other) {
        joined.note = if newer.note.trim().is_empty() {
            older.note.clone()
        } else {
            format!("{}\n\n{}", newer.note.trim_end(), older.note)
        };
    }
    joined
}
