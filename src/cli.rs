//! The headless commands: `gloss export`, `import`, `list`, `stats`,
//! `check`, `reanchor`, `tag`.
//! They use the same session and formats as the window, and work in builds
//! without the `gui` feature.

use crate::formats::{self, Format, Source};
use crate::session::Session;
use crate::sidecar::{Sidecar, sidecar_path};
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
    /// (or a folder), CSV and JSONL combine them, and -o PROJECT.qdpx makes
    /// one REFI-QDA project of them all; other formats need -o FOLDER.
    /// brat writes into a folder of its own per document (OUT/NAME.brat/).
    ///
    /// Never writes over a document, an annotation file or a backup; an
    /// existing export file is replaced only with --force.
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
        /// Replace export files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Import annotations from another tool into a document's sidecar.
    ///
    /// Annotations already present (same id, or same range, tags and note)
    /// are not added twice. New tags join the codebook.
    ///
    /// `--from qdc` imports a REFI-QDA codebook (its hierarchy, colours and
    /// descriptions) into a project: give the project's folder.
    Import {
        /// The document the annotations belong to (for qdc: the folder).
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
    /// Print exactly the text Gloss annotates (UTF-8): a `.txt` as it is
    /// decoded, a `.docx` or `.odt` as it is extracted. Offsets in every
    /// export count the chars of this text. A file Gloss refuses prints
    /// nothing, says why on stderr and exits with 2.
    Text { document: PathBuf },
    /// The numbers of the coding: annotations per code and per document,
    /// coverage (share of each document's text inside an annotation),
    /// co-occurrence (pairs of overlapping passages, one with each code, and
    /// passages with both) and codes per author.
    Stats {
        /// Documents or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
    },
    /// Validate sidecars: parse errors, orphaned annotations, fuzzy
    /// placements awaiting review, unknown tags; reports the encoding of
    /// non-UTF-8 documents.
    ///
    /// Exits with 1 when problems are found.
    Check {
        /// Documents or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Tag every match of a text (or a regular expression) in a document,
    /// as MAXQDA's autocode does: one new annotation per match, unless one
    /// on exactly that passage already has the tag.
    ///
    /// Matching is case-insensitive unless --case-sensitive; a match never
    /// splits a character. The tag joins the codebook if it is new.
    Tag {
        document: PathBuf,
        /// The text to find (a regular expression with --regex).
        #[arg(long = "match", value_name = "TEXT")]
        pattern: String,
        /// The tag to give every match.
        #[arg(long)]
        tag: String,
        #[arg(long)]
        regex: bool,
        /// Only whole words.
        #[arg(long)]
        whole_word: bool,
        #[arg(long)]
        case_sensitive: bool,
        /// Say what would be tagged; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Recorded as the author of the new annotations.
        #[arg(long, default_value = "gloss tag")]
        author: String,
    },
    /// Retrieve passages by code across every annotated document in a
    /// folder, as QDA tools do.
    ///
    /// The result is the annotations carrying any --code; --and X keeps
    /// those that overlap (share at least one code point with) an
    /// annotation coded X, the same annotation included; --not X keeps
    /// those that overlap none; --near X:N keeps those with an X annotation
    /// at most N code points away (overlapping is 0 away). Several --and,
    /// --not and --near must all hold. One row per annotation, by document
    /// then position; start and end are code points of the document text,
    /// as in CSV and W3C exports.
    Passages {
        /// The folder (searched with its subfolders).
        folder: PathBuf,
        #[command(flatten)]
        query: QueryArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: PassagesFormat,
    },
    /// Re-anchor annotations after the document changed: shows, per
    /// annotation, the old range, the new range and how it was placed
    /// (kept, moved, fuzzy, orphan).
    ///
    /// Nothing is written without --write. With --from OLD (the document
    /// as it was when annotated), positions are mapped through a diff of
    /// OLD and DOCUMENT, which places edited quotes exactly.
    Reanchor {
        document: PathBuf,
        /// The old version of the document, when you have it.
        #[arg(long, value_name = "OLD")]
        from: Option<PathBuf>,
        /// Save the new positions (the previous sidecar is kept as .bak).
        #[arg(long)]
        write: bool,
    },
}

/// What `gloss passages` retrieves.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// A code to retrieve (repeat for any of several).
    #[arg(long = "code", required = true, value_name = "CODE")]
    codes: Vec<String>,
    /// Keep passages overlapping one coded CODE.
    #[arg(long = "and", value_name = "CODE")]
    and: Vec<String>,
    /// Keep passages overlapping none coded CODE.
    #[arg(long = "not", value_name = "CODE")]
    not: Vec<String>,
    /// Keep passages at most N code points from one coded CODE.
    #[arg(long = "near", value_name = "CODE:N", value_parser = parse_near)]
    near: Vec<(String, usize)>,
    /// Only this author's passages.
    #[arg(long)]
    author: Option<String>,
    /// Only passages whose text contains this (case-insensitive).
    #[arg(long)]
    containing: Option<String>,
}

impl From<QueryArgs> for crate::project::Query {
    fn from(a: QueryArgs) -> Self {
        Self {
            codes: a.codes,
            and: a.and,
            not: a.not,
            near: a.near,
            author: a.author,
            containing: a.containing,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PassagesFormat {
    Table,
    Csv,
    Md,
    Html,
    Jsonl,
}

/// "evidence:200" → ("evidence", 200).
fn parse_near(s: &str) -> Result<(String, usize), String> {
    let (code, n) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("expected CODE:N (for example evidence:200), got {s:?}"))?;
    let n = n
        .parse()
        .map_err(|_| format!("{n:?} is not a number of code points"))?;
    Ok((code.to_string(), n))
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
    /// A REFI-QDA codebook, into a project folder's codebook.
    Qdc,
}

/// Runs a command; `Ok(true)` means problems were found (exit 1).
pub fn run(command: Command, out: &mut dyn Write) -> anyhow::Result<bool> {
    match command {
        Command::Export {
            documents,
            format,
            output,
            force,
        } => export(&documents, format.format(), output.as_deref(), force, out).map(|_| false),
        Command::Import {
            document,
            from,
            file,
            dry_run,
        } => import(&document, from, &file, dry_run, out).map(|_| false),
        Command::List { document } => list(&document, out).map(|_| false),
        Command::Text { document } => {
            let (doc, _, _) = crate::session::read_document(&document)?;
            out.write_all(doc.text().as_bytes())?;
            Ok(false)
        }
        Command::Stats { paths, format } => stats(&paths, format, out).map(|_| false),
        Command::Passages {
            folder,
            query,
            format,
        } => {
            use crate::project::passages::{Output, render};
            let query = crate::project::Query::from(query);
            let found = crate::project::passages(&folder, &query, &mut |doc, why| {
                eprintln!("gloss: {} left out: {why}", doc.display())
            })
            .with_context(|| format!("could not read the folder {}", folder.display()))?;
            let output = match format {
                PassagesFormat::Table => Output::Table,
                PassagesFormat::Csv => Output::Csv,
                PassagesFormat::Md => Output::Md,
                PassagesFormat::Html => Output::Html,
                PassagesFormat::Jsonl => Output::Jsonl,
            };
            out.write_all(render(&found, output).as_bytes())?;
            Ok(false)
        }
        Command::Check { paths } => check(&paths, out),
        Command::Reanchor {
            document,
            from,
            write,
        } => reanchor(&document, from.as_deref(), write, out),
        Command::Tag {
            document,
            pattern,
            tag,
            regex,
            whole_word,
            case_sensitive,
            dry_run,
            author,
        } => {
            let query = crate::search::Query {
                text: pattern,
                case_sensitive,
                whole_word,
                regex,
            };
            tag_matches(&document, &query, &tag, &author, dry_run, out).map(|_| false)
        }
    }
}

/// Documents named directly, plus those with a sidecar inside folders.
pub fn documents(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut docs = Vec::new();
    for p in paths {
        if p.is_dir() {
            let found = crate::project::annotated_documents(p)
                .with_context(|| format!("could not read the folder {}", p.display()))?;
            docs.extend(found.into_iter().map(|(_, path)| path));
        } else {
            docs.push(p.clone());
        }
    }
    Ok(docs)
}

/// Opens a document for a command that must not guess: an unreadable
/// sidecar is an error. What the decoder noticed goes to stderr, as the
/// window shows it.
fn open(doc: &Path) -> anyhow::Result<Session> {
    let s = Session::open(doc)?;
    if let Some(why) = &s.read_only {
        bail!("{why}");
    }
    warn_decoding(doc, &s);
    Ok(s)
}

fn warn_decoding(doc: &Path, s: &Session) {
    if let Some(n) = &s.decoding {
        eprintln!("gloss: {}: {n}", doc.display());
    }
}

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

fn export(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    force: bool,
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
        let sources: Vec<Source<'_>> = sessions.iter().map(Source::of).collect();
        for (doc, source) in docs.iter().zip(&sources) {
            for w in source.orphan_warning(format) {
                eprintln!("gloss: {}: {w}", doc.display());
            }
        }
        let name = o
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Gloss project".into());
        let exported = formats::Exported {
            files: vec![(name.clone(), formats::qdpx::export_many(&name, &sources)?)],
            warnings: Vec::new(),
        };
        for path in exported.write(o, false, &mut guard)? {
            writeln!(out, "wrote {}", path.display())?;
        }
        return Ok(());
    }
    for (i, doc) in docs.iter().enumerate() {
        let session = open(doc)?;
        let exported = formats::export(format, &Source::of(&session), &stems[i])?;
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
                for path in exported.write(o, into_folder, &mut guard)? {
                    writeln!(out, "wrote {}", path.display())?;
                }
            }
        }
    }
    Ok(())
}

/// `gloss import FOLDER --from qdc CODEBOOK.qdc`: the codes (hierarchy,
/// colours, descriptions) into the project file.
fn import_codebook(
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
        sessions.iter().map(|s| &s.store.codebook).collect();
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

fn import(
    doc: &Path,
    from: ImportFormat,
    file: &Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let ImportFormat::Qdc = from {
        return import_codebook(doc, file, dry_run, out);
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
    let session = open(doc)?;
    writeln!(
        out,
        "{:>13}  {:<24}  {:<50}  NOTE",
        "POSITION", "TAGS", "QUOTE"
    )?;
    for a in session.store.annotations.iter() {
        let mark = if a.is_orphaned() {
            "!"
        } else if a.needs_review() {
            "?"
        } else {
            ""
        };
        let pos = format!("{mark}{}..{}", a.start, a.end);
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
    let review = session
        .store
        .annotations
        .iter()
        .filter(|a| a.needs_review())
        .count();
    let mut summary = format!("{} annotations", session.store.annotations.len());
    if orphans > 0 {
        summary.push_str(&format!(", {orphans} no longer match the text (marked !)"));
    }
    if review > 0 {
        summary.push_str(&format!(
            ", {review} placed on edited text await review (marked ?)"
        ));
    }
    writeln!(out, "{summary}")?;
    Ok(())
}

fn stats(paths: &[PathBuf], format: StatsFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    use crate::project::stats::{Output, render};
    let mut stats = crate::project::Stats::default();
    for p in paths {
        // Folders list their documents relative to themselves.
        let docs = if p.is_dir() {
            crate::project::annotated_documents(p)
                .with_context(|| format!("could not read the folder {}", p.display()))?
        } else {
            vec![(p.display().to_string(), p.clone())]
        };
        for (name, doc) in docs {
            let s = open(&doc)?;
            let anns: Vec<&crate::model::Annotation> = s.store.annotations.iter().collect();
            stats.add(&name, s.doc.char_len(), &anns);
        }
    }
    let output = match format {
        StatsFormat::Table => Output::Table,
        StatsFormat::Csv => Output::Csv,
        StatsFormat::Json => Output::Json,
    };
    out.write_all(render(&stats, output).as_bytes())?;
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
                if let Some(n) = &s.decoding {
                    writeln!(out, "{}: encoding: {n}", doc.display())?;
                }
                if let Some(why) = &s.read_only {
                    report.push(why.clone());
                } else if Sidecar::load(&sc).ok().flatten().is_none() {
                    writeln!(out, "{}: no annotations yet", doc.display())?;
                    continue;
                }
                for n in &s.infos {
                    writeln!(
                        out,
                        "{}: note: {n} `gloss reanchor --write` or opening it in Gloss saves the new positions.",
                        doc.display()
                    )?;
                }
                for a in s.store.annotations.iter() {
                    if a.is_orphaned() {
                        report.push(format!(
                            "annotation {} at {}..{} is orphaned: its quote “{}” was not found in the text",
                            a.id,
                            a.start,
                            a.end,
                            formats::report::clip(&a.quote, 50)
                        ));
                    } else if a.needs_review() {
                        report.push(format!(
                            "annotation {} was placed approximately at {}..{} (“{}”, was “{}”): review it",
                            a.id,
                            a.start,
                            a.end,
                            formats::report::clip(&a.quote, 40),
                            formats::report::clip(a.review.as_deref().unwrap_or(""), 40)
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

fn reanchor(
    doc: &Path,
    from: Option<&Path>,
    write: bool,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let mut session = open(doc)?;
    let Some(sidecar) = Sidecar::load(&sidecar_path(doc))? else {
        writeln!(out, "{}: no annotations yet", doc.display())?;
        return Ok(false);
    };
    let old = match from {
        Some(p) => Some(
            Session::open(p)
                .with_context(|| format!("could not read the old version {}", p.display()))?
                .doc,
        ),
        None => None,
    };
    // Plan from what is stored, not from what opening already placed.
    let stored = sidecar.annotations;
    let plan = crate::anchor::plan(&session.doc, &stored, old.as_ref().map(|d| d.text()));
    writeln!(
        out,
        "{:<36}  {:>15}  {:>15}  HOW",
        "ANNOTATION", "OLD", "NEW"
    )?;
    for (a, outcome) in stored.iter().zip(&plan) {
        let new = match outcome {
            crate::anchor::Outcome::Kept => format!("{}..{}", a.start, a.end),
            crate::anchor::Outcome::Moved { range, .. }
            | crate::anchor::Outcome::Fuzzy { range } => {
                format!("{}..{}", range.start, range.end)
            }
            crate::anchor::Outcome::Orphan => "-".into(),
        };
        writeln!(
            out,
            "{:<36}  {:>15}  {:>15}  {}",
            a.id.0,
            format!("{}..{}", a.start, a.end),
            new,
            outcome.tier()
        )?;
    }
    let mut placed = stored;
    let report = crate::anchor::apply(&session.doc, &mut placed, &plan);
    writeln!(out, "{report}")?;
    if !write {
        if report.changed() {
            writeln!(
                out,
                "nothing written: add --write to save the new positions"
            )?;
        }
        return Ok(false);
    }
    if report.moved + report.fuzzy == 0 {
        writeln!(out, "nothing to save")?;
        return Ok(false);
    }
    session.store.annotations = crate::model::AnnotationSet::from_vec(placed);
    session.anchor_report = report;
    session.dirty = true;
    session.save()?;
    writeln!(out, "saved to {}", sidecar_path(doc).display())?;
    Ok(false)
}

fn tag_matches(
    doc: &Path,
    query: &crate::search::Query,
    tag: &str,
    author: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut session = open(doc)?;
    let found = crate::search::find(&session.doc, query)?;
    let now = time::OffsetDateTime::now_utc();
    let made = session.tag_all(&found, tag, author, now, dry_run)?;
    let already = found.len() - made;
    let summary = format!(
        "{} match{}, {made} new “{tag}” annotation{}{}",
        found.len(),
        if found.len() == 1 { "" } else { "es" },
        if made == 1 { "" } else { "s" },
        if already > 0 {
            format!(" ({already} already tagged)")
        } else {
            String::new()
        }
    );
    if dry_run {
        for r in &found {
            writeln!(
                out,
                "{:>13}  {}",
                format!("{}..{}", r.start, r.end),
                formats::report::clip(session.doc.slice(*r), 70)
            )?;
        }
        writeln!(out, "dry run: {summary}; nothing was written")?;
        return Ok(());
    }
    if made > 0 {
        session.save()?;
        writeln!(out, "{summary}; saved to {}", sidecar_path(doc).display())?;
    } else {
        writeln!(out, "{summary}; nothing to save")?;
    }
    Ok(())
}
