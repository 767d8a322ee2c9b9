//! The headless commands: `gloss export`, `import`, `list`, `stats`, `check`.
//! They use the same session and formats as the window, and work in builds
//! without the `gui` feature.

use crate::formats::{self, Format, Source};
use crate::session::Session;
use crate::sidecar::{SUFFIX, Sidecar, sidecar_path};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Gloss — read closely, tag passages, write notes.
///
/// Without a command, opens DOCUMENT (a .txt, .md or any text file) in the
/// annotation window, or the sample article when none is given.
/// Annotations live beside each document in `NAME.annotations.ron`.
///
/// Offsets everywhere are Unicode code points of the document text, end
/// exclusive (a CRLF is two), unless a format defines otherwise (brat counts
/// CRLF as one).
///
/// Exit codes: 0 ok, 1 problems found (check), 2 usage or I/O error.
#[derive(Parser, Debug)]
#[command(
    name = "gloss",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The document to open in the window.
    pub document: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Export annotations: CSV, W3C Web Annotation, brat, JSONL, reports, REFI-QDA.
    ///
    /// Text formats go to standard output unless -o is given; brat and qdpx
    /// need -o (a folder for brat, a file for qdpx). With several documents
    /// (or a folder), CSV and JSONL combine them; other formats need -o FOLDER.
    Export {
        /// Documents, or folders searched for documents with annotations.
        #[arg(required = true)]
        documents: Vec<PathBuf>,
        /// Output format.
        #[arg(short, long, value_enum)]
        format: FormatArg,
        /// Output file (one document) or folder (several, or brat).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import annotations from another tool into a document's sidecar.
    ///
    /// Annotations already present (same id, or same range, tags and note)
    /// are not added twice. New tags join the codebook.
    Import {
        /// The document the annotations belong to.
        document: PathBuf,
        /// The format of FILE.
        #[arg(long, value_enum)]
        from: ImportFormat,
        /// The file to read (brat: the .ann file; qdpx: the project).
        file: PathBuf,
        /// Show what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// List a document's annotations: position, tags, quote, note.
    List { document: PathBuf },
    /// Count annotations per tag, per document.
    Stats {
        /// Documents or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Validate sidecars: parse errors, quotes that no longer match, unknown tags.
    ///
    /// Exits with 1 when problems are found.
    Check {
        /// Documents or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Csv,
    W3c,
    Brat,
    Jsonl,
    Md,
    Html,
    Qdpx,
    Qdc,
}

impl FormatArg {
    fn format(self) -> Format {
        match self {
            FormatArg::Csv => Format::Csv,
            FormatArg::W3c => Format::W3c,
            FormatArg::Brat => Format::Brat,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Qdpx => Format::Qdpx,
            FormatArg::Qdc => Format::Qdc,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ImportFormat {
    W3c,
    Brat,
    Jsonl,
    Qdpx,
}

/// Runs a command; `Ok(true)` means problems were found (exit 1).
pub fn run(command: Command, out: &mut dyn Write) -> anyhow::Result<bool> {
    match command {
        Command::Export {
            documents,
            format,
            output,
        } => export(&documents, format.format(), output.as_deref(), out).map(|_| false),
        Command::Import {
            document,
            from,
            file,
            dry_run,
        } => import(&document, from, &file, dry_run, out).map(|_| false),
        Command::List { document } => list(&document, out).map(|_| false),
        Command::Stats { paths } => stats(&paths, out).map(|_| false),
        Command::Check { paths } => check(&paths, out),
    }
}

/// Documents named directly, plus those with a sidecar inside folders.
pub fn documents(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut docs = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            find_sidecars(p, &mut found)
                .with_context(|| format!("could not read the folder {}", p.display()))?;
            found.sort();
            docs.extend(found);
        } else {
            docs.push(p.clone());
        }
    }
    Ok(docs)
}

fn find_sidecars(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                find_sidecars(&path, out)?;
            }
        } else if let Some(doc) = name.strip_suffix(SUFFIX) {
            out.push(path.with_file_name(doc));
        }
    }
    Ok(())
}

/// Opens a document for a command that must not guess: an unreadable sidecar is an error.
fn open(doc: &Path) -> anyhow::Result<Session> {
    let s = Session::open(doc)?;
    if let Some(why) = &s.read_only {
        bail!("{why}");
    }
    Ok(s)
}

fn stem(doc: &Path) -> String {
    doc.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into())
}

fn export(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
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
    let combine = several && output.is_none() && matches!(format, Format::Csv | Format::Jsonl);
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
    for (i, doc) in docs.iter().enumerate() {
        let session = open(doc)?;
        let exported = formats::export(format, &Source::of(&session), &stem(doc))?;
        for w in &exported.warnings {
            eprintln!("gloss: {}: {w}", doc.display());
        }
        match output {
            None => {
                for (_, bytes) in &exported.files {
                    // Combined CSV keeps only the first header.
                    let bytes = if combine && format == Format::Csv && i > 0 {
                        bytes.splitn(2, |b| *b == b'\n').nth(1).unwrap_or_default()
                    } else {
                        bytes.as_slice()
                    };
                    out.write_all(bytes)?;
                }
            }
            Some(o) => {
                let into_folder = several || format == Format::Brat || o.is_dir();
                for path in exported.write(o, into_folder)? {
                    writeln!(out, "wrote {}", path.display())?;
                }
            }
        }
    }
    Ok(())
}

fn import(
    doc: &Path,
    from: ImportFormat,
    file: &Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut session = open(doc)?;
    let format = match from {
        ImportFormat::W3c => Format::W3c,
        ImportFormat::Brat => Format::Brat,
        ImportFormat::Jsonl => Format::Jsonl,
        ImportFormat::Qdpx => Format::Qdpx,
    };
    let bytes = formats::read_import_file(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let imported = formats::import(format, &session.doc, &bytes)
        .with_context(|| format!("could not import {}", file.display()))?;
    let report = session.merge(imported, dry_run)?;
    for why in &report.skipped {
        writeln!(out, "skipped: {why}")?;
    }
    if dry_run {
        writeln!(out, "dry run: {report}; nothing was written")?;
        return Ok(());
    }
    if report.added == 0 && report.new_tags.is_empty() {
        writeln!(out, "{report}; nothing to save")?;
        return Ok(());
    }
    session.save()?;
    writeln!(out, "{report}; saved to {}", sidecar_path(doc).display())?;
    Ok(())
}

fn list(doc: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let session = Session::open(doc)?;
    if let Some(why) = &session.read_only {
        bail!("{why}");
    }
    writeln!(
        out,
        "{:>13}  {:<24}  {:<50}  NOTE",
        "POSITION", "TAGS", "QUOTE"
    )?;
    for a in session.store.annotations.iter() {
        let pos = format!(
            "{}{}..{}",
            if a.is_orphaned() { "!" } else { "" },
            a.start,
            a.end
        );
        let tags = if a.tags.is_empty() {
            "-".to_string()
        } else {
            a.tags.join(",")
        };
        writeln!(
            out,
            "{pos:>13}  {:<24}  {:<50}  {}",
            formats::report::clip(&tags, 24),
            formats::report::clip(&a.quote, 50),
            formats::report::clip(&a.note, 60)
        )?;
    }
    let orphans = session
        .store
        .annotations
        .iter()
        .filter(|a| a.is_orphaned())
        .count();
    writeln!(
        out,
        "{} annotations{}",
        session.store.annotations.len(),
        if orphans > 0 {
            format!(", {orphans} no longer match the text (marked !)")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

fn stats(paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut totals: Vec<(String, usize)> = Vec::new();
    let mut all = 0;
    let docs = documents(paths)?;
    for doc in &docs {
        let s = open(doc)?;
        let anns = &s.store.annotations;
        all += anns.len();
        writeln!(out, "{}: {} annotations", doc.display(), anns.len())?;
        let mut names: Vec<String> = s.codebook().tags.iter().map(|t| t.name.clone()).collect();
        for a in anns.iter() {
            for t in &a.tags {
                if !names.contains(t) {
                    names.push(t.clone());
                }
            }
        }
        for name in names {
            let n = anns.count_tag(&name);
            writeln!(out, "  {name:<24} {n:>6}")?;
            match totals.iter_mut().find(|(t, _)| *t == name) {
                Some((_, c)) => *c += n,
                None => totals.push((name, n)),
            }
        }
        let untagged = anns.iter().filter(|a| a.tags.is_empty()).count();
        if untagged > 0 {
            writeln!(out, "  {:<24} {untagged:>6}", "(highlights)")?;
        }
    }
    if docs.len() > 1 {
        writeln!(out, "all {} documents: {all} annotations", docs.len())?;
        for (name, n) in totals {
            writeln!(out, "  {name:<24} {n:>6}")?;
        }
    }
    Ok(())
}

fn check(paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<bool> {
    let mut problems = 0;
    let docs = documents(paths)?;
    for doc in &docs {
        let sc = sidecar_path(doc);
        let mut report = Vec::new();
        match Session::open(doc) {
            Err(e) => report.push(format!("{e}")),
            Ok(s) => {
                if let Some(why) = &s.read_only {
                    report.push(why.clone());
                } else if Sidecar::load(&sc).ok().flatten().is_none() {
                    writeln!(out, "{}: no annotations yet", doc.display())?;
                    continue;
                }
                for n in &s.infos {
                    writeln!(
                        out,
                        "{}: note: {n} Opening it in Gloss saves the new positions.",
                        doc.display()
                    )?;
                }
                for a in s.store.annotations.iter() {
                    if a.is_orphaned() {
                        report.push(format!(
                            "annotation {} at {}..{}: its quote “{}” is no longer at that position",
                            a.id,
                            a.start,
                            a.end,
                            formats::report::clip(&a.quote, 50)
                        ));
                    }
                    for t in a.tags.iter().filter(|t| s.codebook().get(t).is_none()) {
                        report.push(format!(
                            "annotation {} uses the tag “{t}”, which is not in the codebook",
                            a.id
                        ));
                    }
                }
            }
        }
        if report.is_empty() {
            writeln!(out, "{}: ok", doc.display())?;
        } else {
            problems += report.len();
            writeln!(
                out,
                "{}: {} problem{}",
                doc.display(),
                report.len(),
                if report.len() == 1 { "" } else { "s" }
            )?;
            for r in report {
                writeln!(out, "  - {r}")?;
            }
        }
    }
    writeln!(
        out,
        "{} document{} checked, {problems} problem{}",
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
        if problems == 1 { "" } else { "s" }
    )?;
    Ok(problems > 0)
}
