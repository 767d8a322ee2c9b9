//! The project file at a folder's root (`gloss-project.ron`): the shared
//! codebook, the project memo and each document's status. RON like the
//! sidecars, written the same way (atomically, permissions kept), and
//! never written over when it could not be read: a corrupt or newer file
//! opens the project read-only.

use crate::model::Codebook;
use crate::storage::{WriteError, WriteMode, atomic_write};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const FILE_NAME: &str = crate::sidecar::PROJECT_FILE_NAME;
pub const FORMAT_VERSION: u32 = 1;

/// Where a researcher is with a document.
/// In the order work goes (a merge keeps the further along).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    #[default]
    ToDo,
    InProgress,
    Done,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectFile {
    pub version: u32,
    pub codebook: Codebook,
    #[serde(default)]
    pub memo: String,
    /// By document path relative to the folder, `/`-separated.
    #[serde(default)]
    pub statuses: BTreeMap<String, Status>,
    /// Codes renamed or merged away (old name → the code it became) or
    /// deleted (→ `None`), so each document follows when next opened.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub retired: BTreeMap<String, Option<String>>,
}

impl Default for ProjectFile {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            codebook: Codebook { tags: Vec::new() },
            memo: String::new(),
            statuses: BTreeMap::new(),
            retired: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Error)]
pub enum ProjectError {
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} is not a Gloss project file Gloss can read ({why}); the project opens read-only and the file is left as it is: fix it or move it away",
        path.display()
    )]
    Parse { path: PathBuf, why: String },
    #[error(
        "{} was written by a newer Gloss (format {found}, this one reads up to {supported}); the project opens read-only: update Gloss to change it",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

pub fn path_in(folder: &Path) -> PathBuf {
    folder.join(FILE_NAME)
}

impl ProjectFile {
    /// The folder's project file; `Ok(None)` when it has none.
    pub fn load(folder: &Path) -> Result<Option<Self>, ProjectError> {
        let path = path_in(folder);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ProjectError::Read { path, source }),
        };
        Self::from_ron(&text, &path).map(Some)
    }

    /// Parses project file text; `path` only names the file in errors.
    pub fn from_ron(text: &str, path: &Path) -> Result<Self, ProjectError> {
        let path = path.to_path_buf();
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let version = ron::Options::default()
            .from_str::<VersionOnly>(text)
            .ok()
            .map(|v| v.version);
        if let Some(found) = version.filter(|v| *v > FORMAT_VERSION) {
            return Err(ProjectError::Newer {
                path,
                found,
                supported: FORMAT_VERSION,
            });
        }
        ron::from_str(text).map_err(|e| ProjectError::Parse {
            path,
            why: format!("line {}: {}", e.span.start.line, e.code),
        })
    }

    /// Writes the project file (atomically, keeping its permissions).
    pub fn save(&self, folder: &Path) -> Result<(), WriteError> {
        self.save_to(&path_in(folder))
    }

    /// Writes the project file to `path` (the merge driver writes git's
    /// temporary files, not named `gloss-project.ron`).
    pub fn save_to(&self, path: &Path) -> Result<(), WriteError> {
        let mut text = String::new();
        crate::sidecar::write_ron(self, &mut text).map_err(|e| WriteError {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        atomic_write(path, text.as_bytes(), WriteMode::Replace)
    }

    /// Adds the codes of `codebook` the project lacks; returns their names
    /// (the user is told which joined).
    pub fn adopt(&mut self, codebook: &Codebook) -> Vec<String> {
        let mut joined = Vec::new();
        for t in &codebook.tags {
            // A retired code in a document not yet opened since is not new.
            if self.codebook.get(&t.name).is_none() && !self.retired.contains_key(&t.name) {
                self.codebook.tags.push(t.clone());
                joined.push(t.name.clone());
            }
        }
        joined
    }
}

impl ProjectFile {
    /// Takes in a codebook's codes (a REFI-QDA `.qdc`): new ones join,
    /// ones the project has take the file's colour, description and
    /// parent. Returns (added, updated) names.
    pub fn import_codes(&mut self, tags: &[crate::model::Tag]) -> (Vec<String>, Vec<String>) {
        let (mut added, mut updated) = (Vec::new(), Vec::new());
        for t in tags {
            match self.codebook.tags.iter_mut().find(|x| x.name == t.name) {
                Some(x) if x != t => {
                    *x = t.clone();
                    updated.push(t.name.clone());
                }
                Some(_) => {}
                None => {
                    self.codebook.tags.push(t.clone());
                    added.push(t.name.clone());
                }
            }
        }
        (added, updated)
    }
}

impl ProjectFile {
    /// What a retired code became, following renames (`None`: deleted, or
    /// not retired — see [`ProjectFile::is_retired`]).
    pub fn successor(&self, name: &str) -> Option<&str> {
        let mut at = name;
        for _ in 0..self.retired.len() {
            match self.retired.get(at) {
                Some(Some(next)) if self.codebook.get(next).is_some() => return Some(next),
                Some(Some(next)) => at = next,
                _ => return None,
            }
        }
        None
    }

    pub fn is_retired(&self, name: &str) -> bool {
        self.retired.contains_key(name) && self.codebook.get(name).is_none()
    }

    /// Takes in the codebook a document was coded with, merged three ways
    /// with the project's (the one engine's codebook rules) against `base`,
    /// the project's codebook as that document last took it: a code edited
    /// only in the document is taken, one edited only in the project (by
    /// another window or machine) stays, both: field by field. Codes the
    /// document added join; codes it retired (`retired`, oldest first)
    /// leave. Returns whether anything changed.
    pub fn take_codebook(
        &mut self,
        doc: &Codebook,
        base: Option<&Codebook>,
        retired: &[(String, Option<String>)],
    ) -> bool {
        let before = (self.codebook.clone(), self.retired.clone());
        for (old, new) in retired {
            self.retired.insert(old.clone(), new.clone());
        }
        for t in &doc.tags {
            self.retired.remove(&t.name);
        }
        let mut report = crate::merge::MergeReport::default();
        let mut merged = crate::merge::merge_codebooks(
            base,
            &self.codebook,
            doc,
            &std::collections::HashSet::new(),
            &mut report,
        );
        merged
            .tags
            .retain(|t| doc.get(&t.name).is_some() || !self.retired.contains_key(&t.name));
        self.codebook = merged;
        before != (self.codebook.clone(), self.retired.clone())
    }
}

/// Changes `folder`'s project file with `change` (which says whether it
/// changed anything) and writes it back. One writer at a time, in this
/// process and others (the folder's write lock), so a status and a
/// codebook saved together, or by two windows, both land. A file
/// that cannot be read is never written.
pub fn update(folder: &Path, change: impl FnOnce(&mut ProjectFile) -> bool) -> Result<(), String> {
    // Other windows and `gloss` commands write it too: one at a time, each
    // reading what the last one wrote.
    let _one = crate::storage::lock_for_write(&path_in(folder)).map_err(|e| e.to_string())?;
    match ProjectFile::load(folder) {
        Ok(Some(mut file)) => {
            if change(&mut file) {
                file.save(folder).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// What opening a folder as a project found.
#[derive(Debug)]
pub struct Opened {
    pub file: ProjectFile,
    /// Codes the documents had that joined the project's codebook.
    pub joined: Vec<String>,
    /// Why the project file must not be written, if it must not.
    pub read_only: Option<String>,
    /// The file was made now (the folder was not a project before).
    pub created: bool,
}

/// Opens `folder` as a project: its project file, with the codes of
/// `codebooks` (its documents') it lacks joined, written back, or made from
/// them when there is none. A file that cannot be read is left alone and
/// the project is read-only.
pub fn open(folder: &Path, codebooks: &[&Codebook]) -> Result<Opened, WriteError> {
    // A read-change-write like any other: one writer at a time.
    let _one = crate::storage::lock_for_write(&path_in(folder))?;
    let (mut file, created, read_only) = match ProjectFile::load(folder) {
        Ok(Some(f)) => (f, false, None),
        Ok(None) => (ProjectFile::default(), true, None),
        Err(e) => (ProjectFile::default(), false, Some(e.to_string())),
    };
    let mut joined = Vec::new();
    for cb in codebooks {
        joined.extend(file.adopt(cb));
    }
    if read_only.is_none() && (created || !joined.is_empty()) {
        file.save(folder)?;
    }
    Ok(Opened {
        file,
        joined: if created { Vec::new() } else { joined },
        read_only,
        created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tag;

    fn cb(names: &[&str]) -> Codebook {
        Codebook {
            tags: names.iter().map(|n| Tag::new(n, "#000000", "")).collect(),
        }
    }

    #[test]
    fn a_folder_becomes_a_project_and_documents_codes_join_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(
            dir.path(),
            &[&cb(&["claim", "source"]), &cb(&["claim", "memo"])],
        )
        .unwrap();
        assert!(first.created && first.read_only.is_none());
        let names: Vec<&str> = first
            .file
            .codebook
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["claim", "source", "memo"]);
        // Saved; the next open adds only what is new, and says so.
        let mut file = ProjectFile::load(dir.path()).unwrap().unwrap();
        assert_eq!(file, first.file);
        file.memo = "Sixty interviews, coded twice.".into();
        file.statuses
            .insert("interviews/7.docx".into(), Status::InProgress);
        file.save(dir.path()).unwrap();
        let again = open(dir.path(), &[&cb(&["claim", "anonymous"])]).unwrap();
        assert!(!again.created);
        assert_eq!(again.joined, ["anonymous"]);
        assert_eq!(again.file.memo, "Sixty interviews, coded twice.");
        assert_eq!(again.file.statuses["interviews/7.docx"], Status::InProgress);
        let text = std::fs::read_to_string(path_in(dir.path())).unwrap();
        assert!(
            text.contains("anonymous") && text.contains("InProgress"),
            "{text}"
        );
    }

    #[test]
    fn a_corrupt_or_newer_project_file_opens_read_only_and_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        for (bytes, says) in [
            ("(version: 1, codebook: [", "not a Gloss project file"),
            ("(version: 9, codebook: [], future: true)", "newer Gloss"),
        ] {
            std::fs::write(path_in(dir.path()), bytes).unwrap();
            let opened = open(dir.path(), &[&cb(&["claim"])]).unwrap();
            let why = opened.read_only.expect("read-only");
            assert!(why.contains(says), "{why}");
            assert!(why.contains(FILE_NAME), "{why}");
            assert_eq!(std::fs::read_to_string(path_in(dir.path())).unwrap(), bytes);
        }
    }
}
