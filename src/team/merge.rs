//! git's merge driver (`gloss merge-sidecar BASE OURS THEIRS`), so two
//! people coding the same documents never meet a conflict inside a sidecar
//! or the project file. Sidecars merge through the one engine
//! ([`crate::merge`]); `gloss-project.ron` merges its codebook by code name
//! with the same rules, its memo as text, statuses per document.

use crate::merge::{MergeReport, merge_codebooks, merge_sidecars, merge_text, normalise, pick};
use crate::project::file::{ProjectError, ProjectFile};
use crate::sidecar::{Sidecar, SidecarError};
use crate::storage::WriteError;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use thiserror::Error;

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
    // Decided by structure, never by a word in the text (a memo may say
    // "annotations:"): a sidecar has a `document` and `annotations`, a
    // project file has neither, so whichever parses is what it is.
    let sidecar = match Sidecar::from_ron(&text, path) {
        Ok(mut sc) => {
            normalise(&mut sc);
            return Ok(Some(Parsed::Sidecar(Box::new(sc))));
        }
        Err(e) => e,
    };
    match ProjectFile::from_ron(&text, path) {
        Ok(p) => Ok(Some(Parsed::Project(Box::new(p)))),
        // Neither: say what is wrong with it as the kind it is closer to.
        Err(project) if ron_has_field(&text, "document") => {
            let _ = project;
            Err(sidecar.into())
        }
        Err(project) => Err(project.into()),
    }
}

/// Whether the top level of a RON struct has a field `name` (the parse
/// tells, not a search of the text).
fn ron_has_field(text: &str, name: &str) -> bool {
    match ron::from_str::<ron::Value>(text) {
        Ok(ron::Value::Map(m)) => m
            .iter()
            .any(|(k, _)| matches!(k, ron::Value::String(s) if s == name)),
        _ => false,
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
