//! A folder of documents coded together. Today: retrieving passages by
//! code across every annotated document in a folder ([`passages`]), and
//! the numbers of its coding ([`stats`]); the project file with the
//! shared codebook, memo and document statuses ([`file`]).
//! Layering: model ← session ← project ← views and CLI.

pub mod charts;
mod codes;
pub mod file;
pub mod index;
pub mod loaded;
pub mod passages;
pub mod refi;
pub mod search;
pub mod stats;

pub use codes::{apply_codebook, conform, give_codebook};
pub use passages::{Passage, Query};
pub use stats::Stats;

use crate::session::Session;
use std::path::{Path, PathBuf};

/// The documents under `folder` that have annotations, with their paths
/// relative to it (`/`-separated), in path order.
pub fn annotated_documents(folder: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    annotated_documents_noting(folder, &mut Vec::new())
}

/// [`annotated_documents`], with the links to folders left out because
/// they lead back into the project ([`LINK_SKIPPED`]) added to `links`.
pub fn annotated_documents_noting(
    folder: &Path,
    links: &mut Vec<PathBuf>,
) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    walk(folder, folder, &annotated, &mut found, links)?;
    found.sort();
    links.sort();
    Ok(found
        .into_iter()
        .map(|doc| (relative(folder, &doc), doc))
        .collect())
}

/// Why a link to a folder is not followed, as the listing and `gloss
/// stats` say it.
pub const LINK_SKIPPED: &str = "a link to a folder in (or above) the project, not followed: its documents are listed where they are";

/// Files under `dir` (subfolders included, hidden ones and `target` left
/// out) that `keep` maps to a path. A link to a folder is followed only
/// when it leads out of the project `root`: one leading back in (to the
/// project itself, a folder above it, or one of its own folders) would list
/// the same documents twice, or forever; those go to `links`.
fn walk(
    root: &Path,
    dir: &Path,
    keep: &dyn Fn(&Path, &str) -> Option<PathBuf>,
    out: &mut Vec<PathBuf>,
    links: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_symlink()) && loops(&path, dir, root) {
                links.push(path);
                continue;
            }
            walk(root, &path, keep, out, links)?;
        } else if let Some(p) = keep(&path, &name) {
            out.push(p);
        }
    }
    Ok(())
}

/// Whether the folder `link` (in `dir`) resolves to would be walked twice:
/// it is `root`, inside it, or above it (then `root` is inside what it
/// shows), or it is above `dir` (a loop outside the project, reached
/// through a link that leads out). Compared by file identity, so a
/// relative or linked `root` is recognised too; a link that cannot be
/// resolved counts, since following it cannot be shown to be safe.
fn loops(link: &Path, dir: &Path, root: &Path) -> bool {
    use crate::storage::same_file;
    let Ok(target) = std::fs::canonicalize(link) else {
        return true;
    };
    let inside = target.ancestors().any(|a| same_file(a, root));
    let above = |p: &Path| {
        std::fs::canonicalize(p).is_ok_and(|p| p.ancestors().any(|a| same_file(a, &target)))
    };
    inside || above(root) || above(dir)
}

/// The document a sidecar belongs to.
fn annotated(path: &Path, name: &str) -> Option<PathBuf> {
    name.strip_suffix(crate::sidecar::SUFFIX)
        .map(|doc| path.with_file_name(doc))
}

/// A file in a format Gloss opens (not a hidden one).
fn openable(path: &Path, name: &str) -> Option<PathBuf> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    (!name.starts_with('.') && crate::extract::EXTENSIONS.contains(&ext.as_str()))
        .then(|| path.to_path_buf())
}

/// A document open in the window: its annotations as they are now
/// (saved or not) stand in for its annotation file.
pub struct Current {
    pub path: PathBuf,
    pub doc: std::sync::Arc<crate::model::Document>,
    pub codebook: crate::model::Codebook,
    pub annotations: crate::model::Chunked<std::sync::Arc<crate::model::Annotation>>,
    pub memo: String,
}

impl Current {
    pub fn of(session: &Session) -> Option<Self> {
        Some(Self {
            path: session.path().clone()?,
            doc: session.doc().clone(),
            codebook: session.store().codebook.clone(),
            annotations: session.store().annotations.snapshot(),
            memo: session.store().memo.clone(),
        })
    }
}

/// Every passage in the documents under `folder` that `query` selects, by
/// document then position, with the code hierarchy of the project file
/// (when there is one) over each document's own codebook. A document that
/// cannot be opened is reported through `skipped` (its path and why) and
/// left out.
pub fn passages(
    folder: &Path,
    query: &Query,
    skipped: &mut dyn FnMut(&Path, String),
) -> std::io::Result<Vec<Passage>> {
    passages_with(folder, query, None, skipped)
}

/// [`passages`], with the window's open document as it is now.
pub fn passages_with(
    folder: &Path,
    query: &Query,
    current: Option<&Current>,
    skipped: &mut dyn FnMut(&Path, String),
) -> std::io::Result<Vec<Passage>> {
    let mut out = Vec::new();
    let takes = |rel: &str| query.takes_document(rel);
    each_document(folder, current, &takes, skipped, &mut |seen| {
        out.extend(passages::select(
            seen.rel,
            seen.doc,
            seen.codebook,
            seen.annotations,
            query,
        ));
    })?;
    Ok(out)
}

/// The numbers of the folder's coding ([`Stats`]), with the window's open
/// document as it is now.
pub fn stats_with(
    folder: &Path,
    current: Option<&Current>,
    skipped: &mut dyn FnMut(&Path, String),
) -> std::io::Result<Stats> {
    let mut stats = Stats::default();
    each_document(folder, current, &|_| true, skipped, &mut |seen| {
        stats.add(seen.rel, seen.doc.char_len(), seen.annotations);
    })?;
    Ok(stats)
}

/// One annotated document, as [`each_document`] shows it.
pub struct Seen<'a> {
    /// Relative to the folder, `/`-separated.
    pub rel: &'a str,
    pub doc: &'a crate::model::Document,
    /// Its codebook with the project's hierarchy over it.
    pub codebook: &'a crate::model::Codebook,
    pub annotations: &'a [&'a crate::model::Annotation],
}

/// Calls `each` with every annotated document under `folder` that `takes`
/// (by relative path), in path order: opened, brought in line with the
/// project's codebook (renames and merges made since it was last opened),
/// or for the window's open document, as it is now. One that cannot be
/// opened goes to `skipped`.
pub fn each_document(
    folder: &Path,
    current: Option<&Current>,
    takes: &dyn Fn(&str) -> bool,
    skipped: &mut dyn FnMut(&Path, String),
    each: &mut dyn FnMut(Seen<'_>),
) -> std::io::Result<()> {
    let mut loaded = loaded::Loaded::new(folder);
    loaded.refresh()?;
    for (path, why) in &loaded.skipped {
        skipped(path, why.clone());
    }
    loaded.each(current, takes, each);
    Ok(())
}

/// One document of a project, as the Documents panel lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Relative to the folder, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// `None` when it has no annotation file yet (or one Gloss cannot read).
    pub annotations: Option<usize>,
    /// The share of its text coded, 0–1 (`None` like `annotations`).
    pub coverage: Option<f64>,
    pub status: file::Status,
}

/// A folder opened as a project: its documents and its project file.
#[derive(Debug)]
pub struct Listing {
    pub entries: Vec<Entry>,
    /// The project file, made now if the folder had none, with the codes
    /// its documents had that it lacked joined (and named here).
    pub project: Result<file::Opened, crate::storage::WriteError>,
    /// Links to folders not followed ([`LINK_SKIPPED`]), to be said.
    pub skipped_links: Vec<PathBuf>,
}

/// Every document under `folder` in a format Gloss opens (subfolders
/// included, hidden ones and `target` left out), with its annotation count
/// and the status the project file gives it, in path order; and the
/// project file, brought up to date with the documents' codebooks.
pub fn listing(folder: &Path) -> std::io::Result<Listing> {
    listing_cached(folder, None)
}

/// [`listing`], reading only the sidecars that changed since the index
/// kept in `cache_dir` was written (and keeping it up to date).
pub fn listing_cached(folder: &Path, cache_dir: Option<&Path>) -> std::io::Result<Listing> {
    let mut skipped_links = Vec::new();
    let found = listing_paths_noting(folder, &mut skipped_links)?;
    let old = cache_dir
        .map(|c| index::load(c, folder))
        .unwrap_or_default();
    let mut new = index::Index::new();
    let mut codebooks = Vec::new();
    let mut entries: Vec<Entry> = found
        .into_iter()
        .map(|path| {
            let rel = relative(folder, &path);
            let sidecar_path = crate::sidecar::sidecar_path(&path);
            let stamps = (index::Stamp::of(&path), index::Stamp::of(&sidecar_path));
            let cached = match old.get(&rel) {
                Some(c) if (c.document, c.sidecar) == stamps => c.clone(),
                _ => {
                    // Changed since (or never seen): read its sidecar, and
                    // let its codes join the project.
                    let sidecar = crate::sidecar::Sidecar::load(&sidecar_path).ok().flatten();
                    let c = index::Cached {
                        document: stamps.0,
                        sidecar: stamps.1,
                        annotations: sidecar.as_ref().map(|sc| sc.annotations.len()),
                        coverage: sidecar.as_ref().map(index::coverage),
                    };
                    codebooks.extend(sidecar.map(|sc| sc.codebook));
                    c
                }
            };
            let entry = Entry {
                bytes: stamps.0.len,
                status: file::Status::default(),
                annotations: cached.annotations,
                coverage: cached.coverage,
                rel: rel.clone(),
                path,
            };
            new.insert(rel, cached);
            entry
        })
        .collect();
    if let Some(c) = cache_dir
        && new != old
    {
        index::save(c, folder, &new);
    }
    let project = file::open(folder, &codebooks.iter().collect::<Vec<_>>());
    if let Ok(opened) = &project {
        for e in &mut entries {
            e.status = opened
                .file
                .statuses
                .get(&e.rel)
                .copied()
                .unwrap_or_default();
        }
    }
    Ok(Listing {
        entries,
        project,
        skipped_links,
    })
}

/// Every document under `folder` in a format Gloss opens, in path order.
pub fn listing_paths(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    listing_paths_noting(folder, &mut Vec::new())
}

/// [`listing_paths`], with the links it did not follow added to `links`.
pub fn listing_paths_noting(
    folder: &Path,
    links: &mut Vec<PathBuf>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    walk(folder, folder, &openable, &mut found, links)?;
    found.sort();
    links.sort();
    Ok(found)
}

fn relative(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The project a document lies in: the nearest folder above it with a
/// project file.
pub fn project_of(doc: &Path) -> Option<PathBuf> {
    let doc = std::fs::canonicalize(doc).ok()?;
    doc.ancestors()
        .skip(1)
        .find(|dir| file::path_in(dir).is_file())
        .map(Path::to_path_buf)
}
