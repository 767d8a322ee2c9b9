//! A folder of documents coded together. Today: retrieving passages by
//! code across every annotated document in a folder ([`passages`]), and
//! the numbers of its coding ([`stats`]); the project file with the
//! shared codebook, memo and document statuses ([`file`]).
//! Layering: model ← session ← project ← views and CLI.

pub mod file;
pub mod passages;
pub mod stats;

pub use passages::{Passage, Query};
pub use stats::Stats;

use crate::session::Session;
use std::path::{Path, PathBuf};

/// The documents under `folder` that have annotations, with their paths
/// relative to it (`/`-separated), in path order.
pub fn annotated_documents(folder: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    walk(folder, &mut found)?;
    found.sort();
    Ok(found
        .into_iter()
        .map(|doc| {
            let rel = doc
                .strip_prefix(folder)
                .unwrap_or(&doc)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, doc)
        })
        .collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, out)?;
            }
        } else if let Some(doc) = name.strip_suffix(crate::sidecar::SUFFIX) {
            out.push(path.with_file_name(doc));
        }
    }
    Ok(())
}

/// Every passage in the documents under `folder` that `query` selects, by
/// document then position, with the code hierarchy of the project file
/// (when there is one) over each document's own codebook. A document that cannot be opened is reported
/// through `skipped` (its path and why) and left out.
pub fn passages(
    folder: &Path,
    query: &Query,
    skipped: &mut dyn FnMut(&Path, String),
) -> std::io::Result<Vec<Passage>> {
    let mut out = Vec::new();
    // The project's codebook (its hierarchy) over each document's own.
    let shared = file::ProjectFile::load(folder).ok().flatten();
    for (rel, path) in annotated_documents(folder)? {
        match Session::open(&path) {
            Ok(s) => {
                let codebook = match &shared {
                    Some(project) => {
                        let mut p = project.clone();
                        p.adopt(&s.store.codebook);
                        p.codebook
                    }
                    None => s.store.codebook.clone(),
                };
                let annotations: Vec<&crate::model::Annotation> =
                    s.store.annotations.iter().collect();
                out.extend(passages::select(
                    &rel,
                    &s.doc,
                    &codebook,
                    &annotations,
                    query,
                ));
            }
            Err(e) => skipped(&path, e.to_string()),
        }
    }
    Ok(out)
}
