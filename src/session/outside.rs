//! Saving, and living with other programs: a sidecar changed by another
//! window, `gloss import`, `git pull` or a sync client is merged, never
//! overwritten; a document edited elsewhere is re-read and its annotations
//! re-anchored through a diff of the old and new text.

use super::{OpenError, Session, read_document_with};
use crate::anchor::AnchorReport;
use crate::model::Document;
use crate::sidecar::{Sidecar, SidecarError};
use crate::storage::Fingerprint;
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

/// Re-reading a sidecar another program changed, detached from the
/// session so it runs on another thread: read, mended, placed on the text,
/// counted against what is here, and the store built.
pub struct SidecarReloadJob {
    path: PathBuf,
    doc: std::sync::Arc<Document>,
    base: super::Base,
    revision: u64,
}

/// A finished [`SidecarReloadJob`], for [`Session::finish_sidecar_reload`].
pub struct SidecarReloaded {
    result: Result<Option<ReadBack>, SidecarError>,
    revision: u64,
}

struct ReadBack {
    store: crate::model::Store,
    seen: Fingerprint,
    anchored: AnchorReport,
    report: SyncReport,
}

impl SidecarReloadJob {
    pub fn run(self) -> SidecarReloaded {
        let result = (|| {
            let Some((mut sc, seen)) = Sidecar::load_with_fingerprint(&self.path)? else {
                return Ok(None);
            };
            let mended = crate::merge::normalise(&mut sc);
            // Placed first, as this side's are, so a quote placed on the
            // text as it is here is not counted as a change.
            let anchored = crate::anchor::anchor_all(&self.doc, &mut sc.annotations, None);
            // Counted as the engine counts: against what is here (which,
            // with nothing unsaved, is the base).
            let here = self.base.side();
            let mut report =
                crate::merge::merge(Some(&here), &here, &crate::merge::Side::of(&sc)).report;
            report.mended = mended;
            let store = crate::model::Store {
                memo: sc.memo,
                rejected: sc.rejected,
                codebook: sc.codebook,
                annotations: crate::model::AnnotationSet::from_vec(sc.annotations),
            };
            Ok(Some(ReadBack {
                store,
                seen,
                anchored,
                report,
            }))
        })();
        SidecarReloaded {
            result,
            revision: self.revision,
        }
    }
}

/// What changed on disk since the session last looked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outside {
    pub document: bool,
    pub sidecar: bool,
}

/// A look at the document and the sidecar on disk, owned, for another
/// thread ([`Session::outside_check`]).
pub struct OutsideCheck {
    document: Option<(PathBuf, Fingerprint)>,
    sidecar: Option<(PathBuf, Option<Fingerprint>)>,
}

/// What an [`OutsideCheck`] found: for each file, what was sent, the
/// fingerprint now (refreshed when only its time moved), and whether it
/// changed.
pub struct OutsideChecked {
    document: Option<(PathBuf, Fingerprint, Fingerprint, bool)>,
    sidecar: Option<(PathBuf, Option<Fingerprint>, Option<Fingerprint>, bool)>,
}

impl OutsideCheck {
    pub fn run(self) -> OutsideChecked {
        // A file that cannot be looked at right now counts as unchanged.
        let look = |path: &Path, seen: Option<Fingerprint>| {
            let mut now = seen.clone();
            let changed = !Fingerprint::still_at(now.as_mut(), path).unwrap_or(true);
            (seen, now, changed)
        };
        OutsideChecked {
            document: self.document.map(|(path, seen)| {
                let (_, now, changed) = look(&path, Some(seen.clone()));
                let now = now.unwrap_or_else(|| seen.clone());
                (path, seen, now, changed)
            }),
            sidecar: self.sidecar.map(|(path, seen)| {
                let (seen, now, changed) = look(&path, seen);
                (path, seen, now, changed)
            }),
        }
    }
}

/// What taking in another program's sidecar did: the merge engine's own
/// report (a reload counts the same way, against what is here).
pub type SyncReport = crate::merge::MergeReport;

impl Session {
    /// Writes the sidecar if there are unsaved changes, holding the
    /// file's write lock for the whole read-check-write, so two writers
    /// take turns. If another program changed the file since it was read,
    /// its changes are merged in first (see [`Session::merge_sidecar`]); a
    /// file that can no longer be read is left alone and the save fails.
    /// The first save of a session keeps the file as it was opened in
    /// `.bak`. A read-only session never writes. This runs the same
    /// [`super::SaveJob`] the window runs on another thread.
    pub fn save(&mut self) -> Result<Option<SyncReport>, SidecarError> {
        if !self.dirty || self.read_only.is_some() {
            return Ok(None);
        }
        let Some(path) = self.sidecar_path.clone() else {
            return Ok(None);
        };
        let _lock = crate::storage::lock_for_write(&path)?;
        // A program that takes no lock may write between the read and the
        // rename: the write is refused then, and merged again.
        for _ in 0..5 {
            let Some(job) = self.save_job() else {
                return Ok(None);
            };
            match self.finish_save(job.run_locked())? {
                super::SaveOutcome::Saved(r) => return Ok(r),
                super::SaveOutcome::Again => {}
            }
        }
        Err(SidecarError::ChangedDuringSave { path })
    }

    /// Saves to a new sidecar location and keeps using it: the same
    /// [`super::SaveAsJob`] the window runs on another thread, run here.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SidecarError> {
        let saved = self.save_as_job(path).run();
        self.finish_save_as(saved)
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

    /// The same look as [`Session::outside_changes`], to run on another
    /// thread: a file whose time moved is read and hashed there, never on
    /// the window's.
    pub fn outside_check(&self) -> OutsideCheck {
        OutsideCheck {
            document: self
                .document_seen
                .clone()
                .and_then(|seen| Some((self.path.clone()?, seen))),
            sidecar: (self.read_only.is_none())
                .then(|| Some((self.sidecar_path.clone()?, self.sidecar_seen.clone())))
                .flatten(),
        }
    }

    /// Takes in an [`OutsideCheck`]. A fingerprint it refreshed (the time
    /// moved, the bytes did not) replaces this one only if nothing was
    /// read or written here meanwhile.
    pub fn finish_outside_check(&mut self, checked: OutsideChecked) -> Outside {
        let mut outside = Outside::default();
        if let Some((path, sent, now, changed)) = checked.document
            && self.path.as_ref() == Some(&path)
            && self.document_seen.as_ref() == Some(&sent)
        {
            outside.document = changed;
            self.document_seen = Some(now);
        }
        if let Some((path, sent, now, changed)) = checked.sidecar
            && self.sidecar_path.as_ref() == Some(&path)
            && self.sidecar_seen == sent
            && self.read_only.is_none()
        {
            outside.sidecar = changed;
            self.sidecar_seen = now;
        }
        outside
    }

    /// Takes in a sidecar another program wrote (a `git pull`, a
    /// colleague's sync): reloaded when there are no unsaved changes here,
    /// merged (and saved) otherwise. Returns what came in; `None` when
    /// nothing was merged into unsaved changes and nothing was read (the
    /// file is gone, or unsaved changes were saved without a merge). The
    /// window runs the same steps on other threads ([`SidecarReloadJob`],
    /// [`super::SaveJob`]).
    pub fn sync_sidecar(&mut self) -> Result<Option<SyncReport>, SidecarError> {
        if self.dirty {
            return self.save();
        }
        match self.sidecar_reload_job() {
            Some(job) => self.finish_sidecar_reload(job.run()),
            None => Ok(None),
        }
    }

    /// Re-reading the sidecar another program changed, to run anywhere.
    pub fn sidecar_reload_job(&self) -> Option<SidecarReloadJob> {
        Some(SidecarReloadJob {
            path: self.sidecar_path.clone()?,
            doc: self.doc.clone(),
            base: self.base.clone(),
            revision: self.store.annotations.revision(),
        })
    }

    /// Takes in a re-read sidecar. When edits were made here meanwhile it
    /// changes nothing and returns `None`: the next save merges them with
    /// the file instead.
    pub fn finish_sidecar_reload(
        &mut self,
        done: SidecarReloaded,
    ) -> Result<Option<SyncReport>, SidecarError> {
        if self.dirty || done.revision != self.store.annotations.revision() {
            return Ok(None);
        }
        match done.result? {
            Some(r) => {
                self.store = r.store;
                // Undo steps hold what the other version replaced.
                self.history
                    .barrier("the annotation file was reloaded after another program changed it");
                self.base = super::Base::of(&self.store);
                self.anchor_report = r.anchored;
                self.sidecar_seen = Some(r.seen);
                self.dirty = r.anchored.moved + r.anchored.fuzzy > 0;
                Ok(Some(r.report))
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
        self.history
            .barrier("the document was re-read after another program changed it");
        self.anchor_report = r.report;
        if r.report.moved + r.report.fuzzy > 0 {
            self.dirty = true;
        }
        true
    }

    /// Merges another program's version of the sidecar into this session
    /// with the merge engine, against the version last read or written
    /// here (the common ancestor), as one undo step, in memory (a save
    /// writes it). What it mends in the other version (a code with no
    /// name, an id listed twice) is said in the report. If the result
    /// cannot be applied, nothing changes and the error says why.
    pub fn merge_sidecar(&mut self, mut theirs: Sidecar) -> Result<SyncReport, SidecarError> {
        let mended = crate::merge::normalise(&mut theirs);
        crate::anchor::anchor_all(&self.doc, &mut theirs.annotations, None);
        let merged = {
            let ours = crate::merge::Side {
                annotations: self.store.annotations.iter().collect(),
                codebook: &self.store.codebook,
                memo: &self.store.memo,
                rejected: &self.store.rejected,
            };
            crate::merge::merge(
                Some(&self.base.side()),
                &ours,
                &crate::merge::Side::of(&theirs),
            )
        };
        let mut report = merged.report.clone();
        report.mended = mended;
        let ops = {
            let here = crate::merge::Side {
                annotations: self.store.annotations.iter().collect(),
                codebook: &self.store.codebook,
                memo: &self.store.memo,
                rejected: &self.store.rejected,
            };
            super::save::ops_between(&here, &merged)
        };
        if ops.is_empty() {
            return Ok(report);
        }
        match self.store.apply(ops) {
            Ok(inverse) => {
                self.history.record_merge(inverse);
                self.dirty = true;
                Ok(report)
            }
            Err(e) => Err(SidecarError::MergeFailed {
                path: self.sidecar_path.clone().unwrap_or_default(),
                why: e.to_string(),
            }),
        }
    }
}
