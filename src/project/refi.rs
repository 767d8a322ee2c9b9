//! A REFI-QDA project (`.qdpx`, from QualCoder, NVivo, ATLAS.ti, MAXQDA or
//! Gloss) imported into a folder as a project: each source goes to the
//! document of the same name (or the same text), a source with no document
//! becomes a new one, its text written beside the others and never over a
//! file; the codebook (with its hierarchy) and the project's memo go to the
//! project file, each document's codings, notes and memo to its annotation
//! file through the document's own save. `gloss import FOLDER --from qdpx`
//! and the window's Import (with a project open) both run this.

use crate::formats::{self, Format};
use crate::session::Session;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum RefiImportError {
    #[error(transparent)]
    Format(#[from] formats::FormatError),
    #[error(transparent)]
    Project(#[from] super::file::ProjectError),
    #[error(transparent)]
    Write(#[from] crate::storage::WriteError),
    #[error(transparent)]
    Listing(#[from] std::io::Error),
}

/// What importing a project did, line by line, and how many documents
/// could not take their codings.
#[derive(Debug, Default)]
pub struct RefiImport {
    pub lines: Vec<String>,
    pub problems: usize,
    /// Documents made from sources no document in the folder held.
    pub created: Vec<PathBuf>,
}

/// Where a source's codings go.
enum Target {
    Existing(PathBuf),
    /// A new document to write (the source's text) at this path.
    New(PathBuf),
}

/// A name for a document made from a source: the file name alone (no
/// folders, nothing that climbs out), with `.txt` after it unless it is
/// one, and a number when a file (or an annotation file) of that name
/// exists.
pub(crate) fn new_document_path(folder: &Path, name: &str) -> PathBuf {
    let base = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "source".to_string());
    // The source's text is plain text: a name that says otherwise
    // ("interview.docx") gets `.txt` after it.
    let plain = Path::new(&base)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    let base = if plain { base } else { format!("{base}.txt") };
    let mut path = folder.join(&base);
    let mut n = 2;
    while path.exists() || crate::sidecar::sidecar_path(&path).exists() {
        let stem = Path::new(&base)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        path = folder.join(format!("{stem} ({n}).txt"));
        n += 1;
    }
    path
}

/// The document a source belongs to: the same file name, else a plain
/// text file with the same text, else a new one.
fn target(folder: &Path, documents: &[PathBuf], source: &formats::qdpx::ProjectSource) -> Target {
    let named = documents.iter().find(|d| {
        d.file_name()
            .is_some_and(|n| n.to_string_lossy() == source.name)
    });
    if let Some(d) = named {
        return Target::Existing(d.clone());
    }
    let same_text = documents.iter().find(|d| {
        std::fs::metadata(d).is_ok_and(|m| m.len() < 64 * 1024 * 1024)
            && std::fs::read(d)
                .ok()
                .and_then(|b| crate::decode::decode(&b).ok())
                .is_some_and(|t| t.text == source.text)
    });
    match same_text {
        Some(d) => Target::Existing(d.clone()),
        None => Target::New(new_document_path(folder, &source.name)),
    }
}

/// Imports the project in `bytes` into `folder` (see the module doc).
/// With `dry_run` nothing is written; the lines say what would happen.
/// `author` replaces every imported annotation's author.
pub fn import_project(
    folder: &Path,
    bytes: &[u8],
    dry_run: bool,
    author: Option<&str>,
) -> Result<RefiImport, RefiImportError> {
    let contents = formats::qdpx::project_contents(bytes)?;
    let mut report = RefiImport::default();
    for why in &contents.skipped {
        report.lines.push(format!("skipped: {why}"));
    }
    // The project file first: the documents then code with its codebook.
    {
        let _one = crate::storage::lock_for_write(&super::file::path_in(folder))?;
        let mut project = super::file::ProjectFile::load(folder)?.unwrap_or_default();
        let (added, updated) = project.import_codes(&contents.codes);
        let memo = crate::merge::merge_text(Some(""), &project.memo, contents.memo.trim());
        let memo_changed = memo != project.memo;
        project.memo = memo;
        report.lines.push(format!(
            "project: {} added, {} updated{}",
            crate::words::plural(added.len(), "code"),
            updated.len(),
            if memo_changed {
                "; the project memo"
            } else {
                ""
            }
        ));
        if !dry_run && (!added.is_empty() || !updated.is_empty() || memo_changed) {
            project.save(folder)?;
        }
    }
    let documents = super::listing_paths(folder)?;
    for source in &contents.sources {
        let doc = match target(folder, &documents, source) {
            Target::Existing(d) => d,
            Target::New(d) => {
                report.lines.push(format!(
                    "{}: a new document for “{}”",
                    d.display(),
                    source.name
                ));
                if dry_run {
                    continue;
                }
                crate::storage::atomic_write(
                    &d,
                    source.text.as_bytes(),
                    crate::storage::WriteMode::CreateNew,
                )?;
                report.created.push(d.clone());
                d
            }
        };
        match import_one(&doc, bytes, dry_run, author, &mut report.lines) {
            Ok(said) => report.lines.push(format!("{}: {said}", doc.display())),
            Err(why) => {
                report.problems += 1;
                report
                    .lines
                    .push(format!("{}: not imported: {why}", doc.display()));
            }
        }
    }
    if dry_run {
        report.lines.push("dry run: nothing was written".into());
    }
    Ok(report)
}

/// One document's codings, notes and memo, saved as any edit of it is
/// (under its lock, merged with another program's writes).
fn import_one(
    doc: &Path,
    bytes: &[u8],
    dry_run: bool,
    author: Option<&str>,
    lines: &mut Vec<String>,
) -> Result<String, String> {
    let mut session = Session::open(doc).map_err(|e| e.to_string())?;
    super::apply_codebook(&mut session);
    if let Some(why) = session.read_only() {
        return Err(why.clone());
    }
    let mut imported =
        formats::import(Format::Qdpx, session.doc(), bytes).map_err(|e| e.to_string())?;
    if let Some(name) = author {
        for a in &mut imported.annotations {
            a.author = name.to_string();
        }
    }
    let report = session
        .import(imported, dry_run)
        .map_err(|e| e.to_string())?;
    for why in &report.skipped {
        lines.push(format!("{}: skipped: {why}", doc.display()));
    }
    if !dry_run && session.dirty() {
        if let Some(m) = session.save().map_err(|e| e.to_string())? {
            lines.push(format!(
                "{}: another program changed the annotation file meanwhile; merged with it: {m}",
                doc.display()
            ));
        }
        if let Err(e) = super::give_codebook(&mut session) {
            lines.push(format!(
                "{}: the project's codebook was not updated: {e}",
                doc.display()
            ));
        }
    }
    Ok(report.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_document_stays_in_the_folder_is_plain_text_and_replaces_nothing() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path();
        assert_eq!(
            new_document_path(f, "../../etc/passwd"),
            f.join("passwd.txt")
        );
        assert_eq!(
            new_document_path(f, "interview.docx"),
            f.join("interview.docx.txt")
        );
        assert_eq!(new_document_path(f, ".."), f.join("source.txt"));
        std::fs::write(f.join("notes.txt"), "taken").unwrap();
        assert_eq!(new_document_path(f, "notes.txt"), f.join("notes (2).txt"));
        std::fs::write(f.join("old.txt.annotations.ron"), "()").unwrap();
        assert_eq!(new_document_path(f, "old.txt"), f.join("old (2).txt"));
    }
}
