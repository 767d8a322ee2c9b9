//! Saving on another thread. The window takes a [`SaveJob`] (a snapshot of
//! the annotations that shares them with the session: a pointer each),
//! runs it off the UI thread, and hands the result back with
//! [`Session::finish_save`]. Edits made meanwhile stay unsaved and go out
//! with the next save. The file written is byte for byte what
//! [`Session::save`] writes.

use super::Session;
use crate::sidecar::{DocumentInfo, SidecarError, Snapshot};
use crate::storage::{Fingerprint, backup};
use std::path::PathBuf;

/// Everything a save needs, owned.
pub struct SaveJob {
    path: PathBuf,
    snapshot: Snapshot,
    seen: Option<Fingerprint>,
    backup: bool,
    revision: u64,
}

/// What a [`SaveJob`] did.
pub struct Saved {
    result: Result<Fingerprint, SaveFailure>,
    backed_up: bool,
    revision: u64,
    codebook: crate::model::Codebook,
    memo: String,
    rejected: Vec<crate::model::AnnotationId>,
    annotations: crate::model::Chunked<std::sync::Arc<crate::model::Annotation>>,
}

enum SaveFailure {
    /// Another program changed the file: the merging save must run.
    ChangedOutside,
    Error(SidecarError),
}

impl SaveJob {
    /// Takes the file's write lock, checks the file is still as last seen,
    /// keeps the `.bak`, writes (checking again just before the rename).
    pub fn run(self) -> Saved {
        match crate::storage::lock_for_write(&self.path) {
            Ok(_lock) => self.run_locked(),
            Err(e) => self.failed(SaveFailure::Error(e.into())),
        }
    }

    fn failed(self, why: SaveFailure) -> Saved {
        Saved {
            result: Err(why),
            backed_up: false,
            revision: self.revision,
            codebook: self.snapshot.codebook,
            memo: self.snapshot.memo,
            rejected: self.snapshot.rejected,
            annotations: self.snapshot.annotations,
        }
    }

    /// [`SaveJob::run`] by a caller that holds the write lock.
    pub(super) fn run_locked(mut self) -> Saved {
        let mut backed_up = false;
        let result = (|| {
            let unchanged =
                Fingerprint::still_at(self.seen.as_mut(), &self.path).map_err(|source| {
                    SaveFailure::Error(SidecarError::Read {
                        path: self.path.clone(),
                        source,
                    })
                })?;
            if !unchanged {
                return Err(SaveFailure::ChangedOutside);
            }
            if self.backup {
                backup(&self.path).map_err(|e| SaveFailure::Error(e.into()))?;
                backed_up = true;
            }
            match self
                .snapshot
                .save_if_unchanged(&self.path, self.seen.as_ref())
            {
                Err(SidecarError::ChangedDuringSave { .. }) => Err(SaveFailure::ChangedOutside),
                other => other.map_err(SaveFailure::Error),
            }
        })();
        Saved {
            result,
            backed_up,
            revision: self.revision,
            codebook: self.snapshot.codebook,
            memo: self.snapshot.memo,
            rejected: self.snapshot.rejected,
            annotations: self.snapshot.annotations,
        }
    }

    /// Annotations in the snapshot.
    pub fn len(&self) -> usize {
        self.snapshot.annotations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot.annotations.is_empty()
    }
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
            snapshot: Snapshot {
                document: DocumentInfo::of(&self.doc),
                codebook: self.store.codebook.clone(),
                memo: self.store.memo.clone(),
                rejected: self.store.rejected.clone(),
                annotations: self.store.annotations.snapshot(),
            },
            seen: self.sidecar_seen.clone(),
            backup: !self.backed_up,
            revision: self.store.annotations.revision(),
        })
    }

    /// Takes in a finished [`SaveJob`]. `Ok(false)`: another program changed
    /// the file, so nothing was written; run [`Session::save`], which
    /// merges. Edits made while the job ran keep the session dirty.
    pub fn finish_save(&mut self, saved: Saved) -> Result<bool, SidecarError> {
        self.backed_up |= saved.backed_up;
        match saved.result {
            Err(SaveFailure::ChangedOutside) => Ok(false),
            Err(SaveFailure::Error(e)) => Err(e),
            Ok(seen) => {
                self.sidecar_seen = Some(seen);
                if saved.revision == self.store.annotations.revision()
                    && saved.codebook == self.store.codebook
                    && saved.memo == self.store.memo
                    && saved.rejected == self.store.rejected
                {
                    self.dirty = false;
                }
                self.base = super::Base {
                    annotations: saved.annotations,
                    codebook: saved.codebook,
                    memo: saved.memo,
                    rejected: saved.rejected,
                };
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::CharRange;
    use crate::session::Session;
    use crate::sidecar::sidecar_path;
    use time::macros::datetime;

    const NOW: time::OffsetDateTime = datetime!(2026-12-02 12:00 UTC);

    fn session(dir: &std::path::Path) -> Session {
        let p = dir.join("a.txt");
        std::fs::write(&p, "He said “no” — twice.\r\nThen 😀 left. ".repeat(50)).unwrap();
        let mut s = Session::open(&p).unwrap();
        for i in 0..40 {
            s.annotate(
                CharRange::new(i * 9, i * 9 + 4),
                vec!["claim".into()],
                "Ana",
                NOW,
            )
            .unwrap();
        }
        s
    }

    #[test]
    fn a_background_save_writes_what_a_save_writes_and_keeps_later_edits() {
        let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut sync, mut bg) = (session(d1.path()), session(d2.path()));
        // Same ids on both sides, so the files can be compared byte for byte;
        // a rejected place and a memo, so every field is written.
        let ids = [sync.store.annotations.at(1).unwrap().id.clone()];
        sync.reject(&ids).unwrap();
        sync.set_memo("memo").unwrap();
        bg.store = sync.store.clone();
        sync.save().unwrap();
        let job = bg.save_job().expect("dirty");
        assert_eq!(job.len(), 40);
        // An edit made while the job runs.
        let id = bg.store.annotations.at(3).unwrap().id.clone();
        let saved = std::thread::spawn(move || job.run()).join().unwrap();
        bg.set_note(&id, "typed during the save", NOW).unwrap();
        assert!(bg.finish_save(saved).unwrap());
        let read =
            |d: &tempfile::TempDir| std::fs::read(sidecar_path(&d.path().join("a.txt"))).unwrap();
        assert_eq!(read(&d1), read(&d2), "byte-identical to a synchronous save");
        assert!(
            String::from_utf8(read(&d1))
                .unwrap()
                .contains("rejected: [")
        );
        assert!(bg.dirty, "the edit made meanwhile is still to be saved");
        let job = bg.save_job().unwrap();
        assert!(bg.finish_save(job.run()).unwrap());
        assert!(!bg.dirty);
        assert!(
            String::from_utf8(read(&d2))
                .unwrap()
                .contains("typed during the save")
        );
        assert!(bg.save_job().is_none(), "nothing left to save");
    }

    #[test]
    fn a_background_save_never_writes_over_another_programs_changes() {
        let d = tempfile::tempdir().unwrap();
        let mut s = session(d.path());
        s.save().unwrap();
        let id = s.store.annotations.at(0).unwrap().id.clone();
        s.set_note(&id, "mine", NOW).unwrap();
        let job = s.save_job().unwrap();
        let path = sidecar_path(&d.path().join("a.txt"));
        let theirs =
            std::fs::read_to_string(&path)
                .unwrap()
                .replacen("note: \"\"", "note: \"theirs\"", 1);
        std::fs::write(&path, &theirs).unwrap();
        assert!(
            !s.finish_save(job.run()).unwrap(),
            "the merging save must run"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "untouched");
        assert!(s.dirty);
        s.save().unwrap();
        let merged = std::fs::read_to_string(&path).unwrap();
        assert!(
            merged.contains("mine") && merged.contains("theirs"),
            "{merged}"
        );
    }
}
