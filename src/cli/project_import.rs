//! `gloss import FOLDER --from qdpx PROJECT.qdpx`: a REFI-QDA project comes
//! back as a project. Each source goes to the document of the same name in
//! the folder (or the same text); a source with no document becomes one,
//! its text written beside the others and never over a file; the codebook
//! (with its hierarchy) and the project's memo go to the project file, each
//! document's codings, notes and memo to its annotation file.

use super::*;

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
fn new_document_path(folder: &Path, name: &str) -> PathBuf {
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
        let ext = Path::new(&base)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        path = folder.join(format!("{stem} ({n}).{ext}"));
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

pub(super) fn import_project(
    folder: &Path,
    file: &Path,
    dry_run: bool,
    author: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let bytes = formats::read_import_file(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let contents = formats::qdpx::project_contents(&bytes)
        .with_context(|| format!("could not import {}", file.display()))?;
    for why in &contents.skipped {
        writeln!(out, "skipped: {why}")?;
    }
    // The project file first: the documents then code with its codebook.
    {
        let _one = crate::storage::lock_for_write(&crate::project::file::path_in(folder))?;
        let mut project = crate::project::file::ProjectFile::load(folder)?.unwrap_or_default();
        let (added, updated) = project.import_codes(&contents.codes);
        let memo = crate::merge::merge_text(Some(""), &project.memo, contents.memo.trim());
        let memo_changed = memo != project.memo;
        project.memo = memo;
        writeln!(
            out,
            "project: {} code(s) added, {} updated{}",
            added.len(),
            updated.len(),
            if memo_changed {
                "; the project memo"
            } else {
                ""
            }
        )?;
        if !dry_run && (!added.is_empty() || !updated.is_empty() || memo_changed) {
            project.save(folder)?;
        }
    }
    let documents = crate::project::listing_paths(folder)?;
    let mut problems = 0;
    for source in &contents.sources {
        let doc = match target(folder, &documents, source) {
            Target::Existing(d) => d,
            Target::New(d) => {
                writeln!(out, "{}: a new document for “{}”", d.display(), source.name)?;
                if dry_run {
                    continue;
                }
                crate::storage::atomic_write(
                    &d,
                    source.text.as_bytes(),
                    crate::storage::WriteMode::CreateNew,
                )?;
                d
            }
        };
        let result = (|| -> anyhow::Result<String> {
            let mut session = open(&doc)?;
            let mut imported = formats::import(Format::Qdpx, session.doc(), &bytes)?;
            if let Some(name) = author {
                for a in &mut imported.annotations {
                    a.author = name.to_string();
                }
            }
            let report = session.import(imported, dry_run)?;
            for why in &report.skipped {
                writeln!(out, "{}: skipped: {why}", doc.display())?;
            }
            if !dry_run
                && session.dirty()
                && let Some(m) = super::save(&mut session)?
            {
                writeln!(
                    out,
                    "{}: another program changed the annotation file meanwhile; merged with it: {m}",
                    doc.display()
                )?;
            }
            Ok(report.to_string())
        })();
        match result {
            Ok(report) => writeln!(out, "{}: {report}", doc.display())?,
            Err(e) => {
                problems += 1;
                writeln!(out, "{}: not imported: {e:#}", doc.display())?;
            }
        }
    }
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    if problems > 0 {
        bail!("{problems} document(s) could not be imported (see above)");
    }
    Ok(())
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
