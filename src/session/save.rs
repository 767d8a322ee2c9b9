//! Saving, on any thread. Every save is a [`SaveJob`]: a snapshot of the
//! annotations that shares them with the session (a pointer each), run off
//! the UI thread by the window and inline by [`Session::save`], and handed
//! back with [`Session::finish_save`]. It holds the file's write lock for
//! its whole read-check-write. When another program changed the file since
//! it was read, the job reads that version and merges it with the one
//! engine ([`crate::merge`]) against the version last read or written here,
//! writes the result, and brings back the ops that turn the snapshot into
//! it, applied here as one undo step. Edits made meanwhile stay unsaved and
//! go out with the next save, merged again with what is on disk.

use super::{Base, Session, SyncReport};
use crate::merge::{Merged, Side};
use crate::model::{Annotation, AnnotationId, Chunked, Document, Op};
use crate::sidecar::{DocumentInfo, Sidecar, SidecarError, Snapshot};
use crate::storage::{Fingerprint, backup};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Everything a save needs, owned.
pub struct SaveJob {
    path: PathBuf,
    snapshot: Snapshot,
    seen: Option<Fingerprint>,
    backup: bool,
    revision: u64,
    /// The common ancestor, should another program have written meanwhile.
    base: Base,
    /// The text the other version's annotations are placed on.
    doc: Arc<Document>,
}

/// What a [`SaveJob`] did.
pub struct Saved {
    /// Where it was written: a result for another place (Save As moved
    /// the session meanwhile) says nothing about the file in use now.
    path: PathBuf,
    result: Result<Written, SaveFailure>,
    backed_up: bool,
    revision: u64,
    /// What was sent to be saved.
    snapshot: Snapshot,
}

struct Written {
    seen: Fingerprint,
    /// Another program's version merged in: the ops from the snapshot to
    /// what was written, what was written, and the engine's report.
    merged: Option<(Vec<Op>, Base, SyncReport)>,
}

enum SaveFailure {
    /// Another program wrote between the read and the rename (it took no
    /// lock): nothing was written; save again.
    ChangedDuringSave,
    Error(SidecarError),
}

/// What finishing a save did.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Written; with what another program's version brought in, if one was
    /// merged.
    Saved(Option<SyncReport>),
    /// Not finished: another program wrote during the save, or edits made
    /// meanwhile are to be merged with what was written. Save again.
    Again,
}

impl SaveJob {
    /// Takes the file's write lock and runs the save.
    pub fn run(self) -> Saved {
        match crate::storage::lock_for_write(&self.path) {
            Ok(_lock) => self.run_locked(),
            Err(e) => self.finish(Err(SaveFailure::Error(e.into())), false),
        }
    }

    fn finish(self, result: Result<Written, SaveFailure>, backed_up: bool) -> Saved {
        Saved {
            path: self.path,
            result,
            backed_up,
            revision: self.revision,
            snapshot: self.snapshot,
        }
    }

    /// [`SaveJob::run`] by a caller that holds the write lock: checks the
    /// file is still as last seen (else merges what is there), keeps the
    /// `.bak`, writes (checking again just before the rename).
    pub(super) fn run_locked(mut self) -> Saved {
        let mut backed_up = false;
        let result = self.write(&mut backed_up);
        self.finish(result, backed_up)
    }

    fn write(&mut self, backed_up: &mut bool) -> Result<Written, SaveFailure> {
        let path = self.path.clone();
        let error = |e: SidecarError| match e {
            SidecarError::ChangedDuringSave { .. } => SaveFailure::ChangedDuringSave,
            e => SaveFailure::Error(e),
        };
        let unchanged = Fingerprint::still_at(self.seen.as_mut(), &path).map_err(|source| {
            SaveFailure::Error(SidecarError::Read {
                path: path.clone(),
                source,
            })
        })?;
        let theirs = if unchanged {
            None
        } else {
            match Sidecar::load_with_fingerprint(&path) {
                Ok(found) => found,
                Err(e) => {
                    return Err(SaveFailure::Error(SidecarError::ChangedUnreadable {
                        path,
                        why: e.to_string(),
                    }));
                }
            }
        };
        if self.backup {
            backup(&path).map_err(|e| SaveFailure::Error(e.into()))?;
            *backed_up = true;
        }
        let Some((theirs, their_seen)) = theirs else {
            // Unchanged, or deleted elsewhere: what is here is written.
            let expect = if unchanged { self.seen.as_ref() } else { None };
            let seen = self
                .snapshot
                .save_if_unchanged(&path, expect)
                .map_err(error)?;
            return Ok(Written { seen, merged: None });
        };
        let (ops, merged, report) = merge_into(&self.snapshot, &self.base, &self.doc, theirs);
        let written = Snapshot {
            document: self.snapshot.document.clone(),
            codebook: merged.codebook.clone(),
            memo: merged.memo.clone(),
            rejected: merged.rejected.clone(),
            annotations: merged.annotations.clone(),
        };
        let seen = written
            .save_if_unchanged(&path, Some(&their_seen))
            .map_err(error)?;
        Ok(Written {
            seen,
            merged: Some((ops, merged, report)),
        })
    }

    /// Annotations in the snapshot.
    pub fn len(&self) -> usize {
        self.snapshot.annotations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot.annotations.is_empty()
    }
}

/// Another program's version merged with the snapshot against the base:
/// the ops from the snapshot to the result, the result, the report.
fn merge_into(
    ours: &Snapshot,
    base: &Base,
    doc: &Document,
    mut theirs: Sidecar,
) -> (Vec<Op>, Base, SyncReport) {
    let mended = crate::merge::normalise(&mut theirs);
    crate::anchor::anchor_all(doc, &mut theirs.annotations, None);
    let ours = Side {
        annotations: ours.annotations.iter().map(|a| &**a).collect(),
        codebook: &ours.codebook,
        memo: &ours.memo,
        rejected: &ours.rejected,
    };
    let m = crate::merge::merge(Some(&base.side()), &ours, &Side::of(&theirs));
    let mut report = m.report.clone();
    report.mended = mended;
    let ops = ops_between(&ours, &m);
    let merged = Base {
        annotations: Chunked::from_vec(m.annotations.into_iter().map(Arc::new).collect()),
        codebook: m.codebook,
        memo: m.memo,
        rejected: m.rejected,
    };
    (ops, merged, report)
}

/// The ops that turn `from` into what a merge made: annotations by id,
/// codes by name (removed, changed where they stand, new ones after), memo
/// and rejected places.
pub(super) fn ops_between(from: &Side<'_>, m: &Merged) -> Vec<Op> {
    let mut ops = Vec::new();
    let keep: HashSet<&AnnotationId> = m.annotations.iter().map(|a| &a.id).collect();
    let here: HashMap<&AnnotationId, &Annotation> =
        from.annotations.iter().map(|a| (&a.id, *a)).collect();
    for a in &from.annotations {
        if !keep.contains(&a.id) {
            ops.push(Op::Remove(a.id.clone()));
        }
    }
    for a in &m.annotations {
        match here.get(&a.id) {
            None => ops.push(Op::Insert(a.clone())),
            Some(ours) if crate::merge::same_annotation(ours, a) => {}
            Some(_) => ops.push(Op::Replace(a.clone())),
        }
    }
    let mut count = from.codebook.tags.len();
    for t in &from.codebook.tags {
        if m.codebook.get(&t.name).is_none() {
            ops.push(Op::RemoveTag(t.name.clone()));
            count -= 1;
        }
    }
    for tag in &m.codebook.tags {
        match from.codebook.get(&tag.name) {
            Some(here) if here != tag => ops.push(Op::ReplaceTag(tag.name.clone(), tag.clone())),
            Some(_) => {}
            None => {
                ops.push(Op::InsertTag(count, tag.clone()));
                count += 1;
            }
        }
    }
    if m.memo != from.memo {
        ops.push(Op::SetMemo(m.memo.clone()));
    }
    if m.rejected != from.rejected {
        ops.push(Op::SetRejected(m.rejected.clone()));
    }
    ops
}

impl Session {
    /// A save to run on another thread, when there is something to save
    /// and somewhere to save it.
    pub fn save_job(&self) -> Option<SaveJob> {
        if !self.dirty || self.read_only.is_some() {
            return None;
        }
        Some(SaveJob {
            path: self.sidecar_path.clone()?,
            snapshot: self.snapshot(),
            seen: self.sidecar_seen.clone(),
            backup: !self.backed_up,
            revision: self.store.annotations.revision(),
            base: self.base.clone(),
            doc: self.doc.clone(),
        })
    }

    /// Takes in a finished [`SaveJob`]. A merged version is applied as one
    /// undo step when nothing changed here meanwhile; otherwise (or when
    /// another program wrote during the save) the outcome is
    /// [`SaveOutcome::Again`] and the session stays dirty: the next save
    /// merges these edits with what is on disk.
    pub fn finish_save(&mut self, saved: Saved) -> Result<SaveOutcome, SidecarError> {
        if self.sidecar_path.as_deref() != Some(saved.path.as_path()) {
            // Written for another file than this session's (another
            // document shown meanwhile, or a Save As by a caller that did
            // not wait): it says nothing about this one.
            return Ok(SaveOutcome::Saved(None));
        }
        self.backed_up |= saved.backed_up;
        let written = match saved.result {
            Err(SaveFailure::ChangedDuringSave) => return Ok(SaveOutcome::Again),
            Err(SaveFailure::Error(e)) => return Err(e),
            Ok(w) => w,
        };
        let sent = saved.snapshot;
        let unchanged_here = saved.revision == self.store.annotations.revision()
            && sent.codebook == self.store.codebook
            && sent.memo == self.store.memo
            && sent.rejected == self.store.rejected;
        let sent_base = Base {
            annotations: sent.annotations,
            codebook: sent.codebook,
            memo: sent.memo,
            rejected: sent.rejected,
        };
        let Some((ops, merged, report)) = written.merged else {
            self.sidecar_seen = Some(written.seen);
            self.dirty &= !unchanged_here;
            self.base = sent_base;
            return Ok(SaveOutcome::Saved(None));
        };
        if !unchanged_here {
            // The file holds what was sent merged with the other version;
            // with what was sent as the base, the next save merges the
            // edits made since with it. The old fingerprint stays, so
            // that save sees the file changed.
            self.base = sent_base;
            self.dirty = true;
            return Ok(SaveOutcome::Again);
        }
        if !ops.is_empty() {
            match self.store.apply(ops) {
                Ok(inverse) => self.history.record_merge(inverse),
                Err(e) => {
                    // Nothing is lost (the file holds both versions), but
                    // this window can no longer show what is on disk.
                    self.read_only = Some(format!(
                        "Read-only: the annotations were merged with another program's and saved to {}, \
                         but could not be shown here ({e}). Reopen the document",
                        self.sidecar_path
                            .as_deref()
                            .unwrap_or(std::path::Path::new(""))
                            .display()
                    ));
                    return Err(SidecarError::MergeFailed {
                        path: self.sidecar_path.clone().unwrap_or_default(),
                        why: e.to_string(),
                    });
                }
            }
        }
        self.sidecar_seen = Some(written.seen);
        self.base = merged;
        self.dirty = false;
        Ok(SaveOutcome::Saved(Some(report)))
    }
}

#[cfg(test)]
#[path = "save_tests.rs"]
mod tests;

/// A Save As, to run on any thread: everything it needs, owned. It refuses
/// the document itself, backups, the project file, another document's
/// annotation file (even one not written yet) and a sidecar that could not
/// be read; checking those touches the disk, so the job does it.
pub struct SaveAsJob {
    path: PathBuf,
    snapshot: Snapshot,
    revision: u64,
    document: Option<PathBuf>,
    unreadable: Option<PathBuf>,
    sha256: String,
}

/// What a [`SaveAsJob`] did.
pub struct SavedAs {
    path: PathBuf,
    result: Result<Fingerprint, SidecarError>,
    revision: u64,
    snapshot: Snapshot,
    /// Whose annotations were written (the document file and its text).
    document: Option<PathBuf>,
    sha256: String,
}

impl SavedAs {
    /// Where it was asked to write.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl SaveAsJob {
    pub fn run(self) -> SavedAs {
        let result = self.write();
        SavedAs {
            path: self.path,
            result,
            revision: self.revision,
            snapshot: self.snapshot,
            document: self.document,
            sha256: self.sha256,
        }
    }

    fn write(&self) -> Result<Fingerprint, SidecarError> {
        let path = self.path.as_path();
        self.refuse_other_files()?;
        let _lock = crate::storage::lock_for_write(path)?;
        // Only an annotation file of this same document may be replaced
        // (the dialog asked): never another document's, nor any other file.
        if path.exists() {
            match Sidecar::load(path) {
                Err(_) => {
                    return self
                        .refuse("it exists and is not an annotation file Gloss can read".into());
                }
                Ok(Some(other)) if other.document.sha256 != self.sha256 => {
                    return self.refuse(format!(
                        "it holds the annotations of another document ({}); choose another name",
                        other.document.name
                    ));
                }
                Ok(_) => {}
            }
        }
        self.snapshot.save(path)
    }

    fn refuse<T>(&self, why: String) -> Result<T, SidecarError> {
        Err(SidecarError::Refused {
            path: self.path.clone(),
            why,
        })
    }

    fn refuse_other_files(&self) -> Result<(), SidecarError> {
        let path = self.path.as_path();
        let same = crate::storage::same_file;
        if let Some(bad) = &self.unreadable
            && (same(path, bad) || same(path, &crate::storage::backup_path(bad)))
        {
            return self.refuse(format!(
                "it is the annotation file Gloss could not read (or its backup). Repair {} in a text \
                 editor, or save these annotations under another name",
                bad.display()
            ));
        }
        if self.document.as_deref().is_some_and(|d| same(path, d)) {
            return self.refuse("it is the document itself".into());
        }
        if path.extension().is_some_and(|e| e == "bak") {
            return self.refuse("backups are Gloss's own; choose another name".into());
        }
        // A name Gloss would open as a document (notes.txt, a.docx): never
        // annotations, whether or not the file exists yet.
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if crate::extract::EXTENSIONS.contains(&ext.as_str()) {
            return self.refuse(format!(
                "a .{ext} file is a document, not an annotation file; choose a name ending in .ron"
            ));
        }
        if path
            .file_name()
            .is_some_and(|n| n == crate::sidecar::PROJECT_FILE_NAME)
        {
            return self.refuse("it is the project's own file (codebook, memo, statuses)".into());
        }
        // The annotation file another document beside it would use, even
        // before it exists: writing it would give that document these.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(doc_name) = name.strip_suffix(crate::sidecar::SUFFIX) {
            let owner = path.with_file_name(doc_name);
            let ours = self.document.as_deref().is_some_and(|d| same(d, &owner));
            if owner.is_file() && !ours {
                return self.refuse(format!(
                    "it holds the annotations of another document ({}); choose another name",
                    owner.display()
                ));
            }
        }
        Ok(())
    }
}

impl Session {
    /// A Save As to `path`, to run on another thread.
    pub fn save_as_job(&self, path: &std::path::Path) -> SaveAsJob {
        SaveAsJob {
            path: path.to_path_buf(),
            snapshot: self.snapshot(),
            revision: self.store.annotations.revision(),
            document: self.path.clone(),
            unreadable: self.unreadable.clone(),
            sha256: self.doc.sha256(),
        }
    }

    /// Takes in a finished [`SaveAsJob`]: from now on the session saves
    /// there. Edits made while it ran stay unsaved and go out with the
    /// next save, to the new place.
    pub fn finish_save_as(&mut self, saved: SavedAs) -> Result<(), SidecarError> {
        let seen = saved.result?;
        if saved.sha256 != self.doc.sha256() || saved.document != self.path {
            // Written for the document shown before: that file holds its
            // annotations; this session stays where it saves.
            return Ok(());
        }
        let sent = saved.snapshot;
        let unchanged_here = saved.revision == self.store.annotations.revision()
            && sent.codebook == self.store.codebook
            && sent.memo == self.store.memo
            && sent.rejected == self.store.rejected;
        self.sidecar_seen = Some(seen);
        self.base = Base {
            annotations: sent.annotations,
            codebook: sent.codebook,
            memo: sent.memo,
            rejected: sent.rejected,
        };
        self.sidecar_path = Some(saved.path);
        self.backed_up = true;
        self.read_only = None;
        self.dirty = !unchanged_here;
        Ok(())
    }

    /// What is here now, sharing the annotations (a pointer each).
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            document: DocumentInfo::of(&self.doc),
            codebook: self.store.codebook.clone(),
            memo: self.store.memo.clone(),
            rejected: self.store.rejected.clone(),
            annotations: self.store.annotations.snapshot(),
        }
    }
}
