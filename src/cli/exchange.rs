//! Export and import commands.

use super::*;

/// File names for each document's export: its own name, or — when two
/// documents share a name — its folder's name before it.
fn stems(docs: &[PathBuf]) -> Vec<String> {
    let name = |d: &Path| {
        d.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into())
    };
    let names: Vec<String> = docs.iter().map(|d| name(d)).collect();
    docs.iter()
        .zip(&names)
        .map(|(d, n)| {
            if names.iter().filter(|m| *m == n).count() < 2 {
                return n.clone();
            }
            let folder = std::path::absolute(d)
                .ok()
                .and_then(|a| {
                    a.parent()
                        .and_then(|p| p.file_name())
                        .map(|f| f.to_string_lossy().into_owned())
                })
                .unwrap_or_default();
            format!("{folder}-{n}")
        })
        .collect()
}

/// How `gloss export` writes: replacing files that exist (`--force`), CSV
/// cells as they are (`--raw`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ExportHow {
    pub force: bool,
    pub raw: bool,
}

pub(super) fn export(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    how: ExportHow,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let force = how.force;
    if how.raw && format != Format::Csv {
        bail!(
            "--raw is for CSV (spreadsheets run formula cells); {} is written as it is",
            format.name()
        );
    }
    let docs = documents(paths)?;
    if docs.is_empty() {
        bail!(
            "no documents with annotations found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let several = docs.len() > 1;
    // CSV and JSONL of several documents are one table: to the terminal,
    // or to one file when -o names a .csv or .jsonl file.
    let one_file = output.is_some_and(|o| {
        !o.is_dir()
            && o.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(format.extension()))
    });
    let combine =
        several && (output.is_none() || one_file) && matches!(format, Format::Csv | Format::Jsonl);
    if output.is_none() && (!format.is_text_stream() || (several && !combine)) {
        bail!(
            "{} export of {} needs -o {}",
            format.name(),
            if several {
                "several documents"
            } else {
                "a document"
            },
            if several || format == Format::Brat {
                "FOLDER"
            } else {
                "FILE"
            }
        );
    }
    let stems = stems(&docs);
    let mut guard = formats::ExportGuard::new(force, docs.iter().cloned());
    // Several documents into one .qdpx: one project, one codebook.
    if let Some(o) = output
        && several
        && format == Format::Qdpx
        && !o.is_dir()
        && o.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
    {
        let sessions = docs
            .iter()
            .map(|d| open(d))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let sources: Vec<Source<'_>> = sessions.iter().map(Session::source).collect();
        for (doc, source) in docs.iter().zip(&sources) {
            for w in source.orphan_warning(format) {
                eprintln!("gloss: {}: {w}", doc.display());
            }
        }
        let name = o
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Gloss project".into());
        // A project's memo goes with it.
        let memo = match paths {
            [folder] if folder.is_dir() => crate::project::file::ProjectFile::load(folder)
                .ok()
                .flatten()
                .map(|p| p.memo)
                .unwrap_or_default(),
            _ => String::new(),
        };
        let exported = formats::Exported {
            files: vec![(
                name.clone(),
                formats::qdpx::export_many(&name, &sources, &memo)?,
            )],
            warnings: Vec::new(),
        };
        for path in exported.write(o, false, &mut guard)? {
            writeln!(out, "wrote {}", path.display())?;
        }
        return Ok(());
    }
    let mut combined = Vec::new();
    let mut index = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let session = open(doc)?;
        let exported = if how.raw && format == Format::Csv {
            formats::Exported {
                files: vec![(
                    format!("{}.csv", stems[i]),
                    formats::csv::export_raw(&session.source())?,
                )],
                warnings: Vec::new(),
            }
        } else {
            formats::export(format, &session.source(), &stems[i])?
        };
        for w in &exported.warnings {
            eprintln!("gloss: {}: {w}", doc.display());
        }
        match output {
            Some(o) if !combine => {
                let into_folder = several || format == Format::Brat || o.is_dir();
                for path in exported.write(o, into_folder, &mut guard)? {
                    writeln!(out, "wrote {}", path.display())?;
                    if format == Format::Html {
                        index.push(index_entry(&path, &session));
                    }
                }
            }
            _ => {
                for (_, bytes) in &exported.files {
                    // Combined CSV keeps only the first header.
                    let bytes = if combine && format == Format::Csv && i > 0 {
                        bytes.splitn(2, |b| *b == b'\n').nth(1).unwrap_or_default()
                    } else {
                        bytes.as_slice()
                    };
                    match output {
                        None => out.write_all(bytes)?,
                        Some(_) => combined.extend_from_slice(bytes),
                    }
                }
            }
        }
    }
    if let (Some(o), true) = (output, combine) {
        let name = o
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let exported = formats::Exported {
            files: vec![(name, combined)],
            warnings: Vec::new(),
        };
        for path in exported.write(o, false, &mut guard)? {
            writeln!(out, "wrote {}", path.display())?;
        }
    }
    // Reports of several documents get a page that leads to each.
    if let (Some(o), true) = (output, several && format == Format::Html) {
        let (title, memo) = match paths {
            [folder] if folder.is_dir() => (
                std::path::absolute(folder)
                    .ok()
                    .and_then(|a| a.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "Gloss project".into()),
                crate::project::file::ProjectFile::load(folder)
                    .ok()
                    .flatten()
                    .map(|p| p.memo)
                    .unwrap_or_default(),
            ),
            _ => ("Gloss reports".into(), String::new()),
        };
        let exported = formats::Exported {
            files: vec![(
                "index.html".into(),
                formats::report::index_html(&title, &memo, &index).into_bytes(),
            )],
            warnings: Vec::new(),
        };
        for path in exported.write(o, true, &mut guard)? {
            writeln!(out, "wrote {}", path.display())?;
        }
    }
    Ok(())
}

/// A document's line on the reports' index page.
fn index_entry(report: &Path, session: &Session) -> formats::report::IndexEntry {
    let annotations: Vec<&crate::model::Annotation> = session.store().annotations.iter().collect();
    let mut stats = crate::project::Stats::default();
    stats.add(&session.doc().name, session.doc().char_len(), &annotations);
    let d = stats.documents.pop().unwrap_or_default();
    formats::report::IndexEntry {
        href: report
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        name: session.doc().name.clone(),
        annotations: d.annotations,
        coverage: d.coverage,
        codes: session
            .store()
            .codebook
            .tags
            .iter()
            .filter_map(|t| d.codes.get(&t.name).map(|n| (t.name.clone(), *n)))
            .collect(),
        memo: !session.store().memo.trim().is_empty(),
    }
}

/// `gloss import FOLDER --from qdc CODEBOOK.qdc`: the codes (hierarchy,
/// colours, descriptions) into the project file.
pub(super) fn import_codebook(
    folder: &Path,
    file: &Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !folder.is_dir() {
        bail!(
            "a codebook is imported into a project: give the project's folder, not {}",
            folder.display()
        );
    }
    let bytes = formats::read_import_file(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let tags = formats::qdpx::import_codebook(&bytes)
        .with_context(|| format!("could not import {}", file.display()))?;
    let documents = crate::project::annotated_documents(folder)?;
    let sessions: Vec<Session> = documents
        .iter()
        .filter_map(|(_, d)| Session::open(d).ok())
        .collect();
    let codebooks: Vec<&crate::model::Codebook> =
        sessions.iter().map(|s| &s.store().codebook).collect();
    // Held from the read to the write, as every writer of the file does.
    let _one = crate::storage::lock_for_write(&crate::project::file::path_in(folder))?;
    let mut project = match crate::project::file::ProjectFile::load(folder)? {
        Some(p) => p,
        None => {
            let mut p = crate::project::file::ProjectFile::default();
            for cb in &codebooks {
                p.adopt(cb);
            }
            p
        }
    };
    let (added, updated) = project.import_codes(&tags);
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    writeln!(
        out,
        "codes added: {}; codes updated: {}",
        list(&added),
        list(&updated)
    )?;
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
        return Ok(());
    }
    project.save(folder)?;
    writeln!(
        out,
        "saved to {}",
        crate::project::file::path_in(folder).display()
    )?;
    Ok(())
}

pub(super) fn import(
    doc: &Path,
    from: ImportFormat,
    file: &Path,
    dry_run: bool,
    author: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let ImportFormat::Qdc = from {
        return import_codebook(doc, file, dry_run, out);
    }
    if let ImportFormat::Qdpx = from
        && doc.is_dir()
    {
        return super::project_import::import_project(doc, file, dry_run, author, out);
    }
    let mut session = open(doc)?;
    let format = match from {
        ImportFormat::W3c => Format::W3c,
        ImportFormat::Brat => Format::Brat,
        ImportFormat::Jsonl => Format::Jsonl,
        ImportFormat::Qdpx | ImportFormat::Qdc => Format::Qdpx,
    };
    let bytes = formats::read_import_file(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let mut imported = formats::import(format, session.doc(), &bytes)
        .with_context(|| format!("could not import {}", file.display()))?;
    if let Some(name) = author {
        for a in &mut imported.annotations {
            a.author = name.to_string();
        }
    }
    let report = session.import(imported, dry_run)?;
    for why in &report.skipped {
        writeln!(out, "skipped: {why}")?;
    }
    if dry_run {
        writeln!(out, "dry run: {report}; nothing was written")?;
        return Ok(());
    }
    if !session.dirty() {
        writeln!(out, "{report}; nothing to save")?;
        return Ok(());
    }
    let merged = super::save(&mut session)?;
    writeln!(out, "{report}; saved to {}", sidecar_path(doc).display())?;
    if let Some(m) = merged {
        writeln!(
            out,
            "another program changed the annotation file meanwhile; merged with it: {m}"
        )?;
    }
    Ok(())
}
