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

mod exchange;
mod inspect;
pub mod manual;
mod project;
mod project_import;
mod team;

use exchange::{export, import};
use inspect::{check, list, reanchor, tag_matches};

/// Gloss — read closely, tag passages, write notes.
///
/// Without a command, opens DOCUMENT (text, Markdown, Word, OpenDocument, a
/// web page, a PDF or an EPUB) in the annotation window, or a FOLDER as a
/// project (a Documents panel lists its documents), or the sample article
/// when none is given. Given several (as a file manager does when you open
/// a selection with Gloss), the first opens and the others wait, in order,
/// at the top of File → Open Recent.
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
    version = VERSION,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The documents (or a folder) to open in the window.
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The document the window is to open, made absolute here, once: the
    /// window takes its folder for project-wide views, and a bare
    /// `article.txt` has an empty folder, which no listing can read.
    pub fn window_documents(&self) -> Vec<PathBuf> {
        self.documents.iter().map(|d| absolute(d)).collect()
    }
}

/// The version and the commit this binary was built from ("0.1.0
/// (commit 53702f4)"), set by `build.rs`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("GLOSS_COMMIT"),
    ")"
);

/// Paths made absolute at the edge (one helper, in `storage`).
pub use crate::storage::{absolute, absolute_in};

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Export annotations: CSV, Excel, W3C Web Annotation, brat, JSONL, reports, REFI-QDA.
    ///
    /// Text formats go to standard output unless -o is given; brat, qdpx
    /// and xlsx need -o (a folder for brat, a file for qdpx and xlsx).
    /// With several documents (or a folder), CSV and JSONL combine them (to
    /// standard output, or to
    /// -o ALL.csv / ALL.jsonl), and -o PROJECT.qdpx makes one REFI-QDA
    /// project of them all with its memos; other formats need -o FOLDER,
    /// where HTML reports get an index.html that leads to each.
    /// brat writes into a folder of its own per document (OUT/NAME.brat/).
    ///
    /// CSV is safe to open in a spreadsheet: a quote, note, code or name
    /// that begins with =, +, - or @ (which Excel and LibreOffice would run
    /// as a formula) is written with a leading ' (CSV injection, as OWASP
    /// describes it); --raw writes every cell exactly, for scripts. The
    /// Excel workbook writes every text cell as text: safe by construction.
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
        /// CSV: every cell exactly as the text has it, formula characters
        /// and all (for scripts, not spreadsheets).
        #[arg(long)]
        raw: bool,
    },
    /// Import annotations from another tool into a document's sidecar.
    ///
    /// Annotations already present (same id, or same range, tags and note)
    /// are not added twice. New tags join the codebook.
    ///
    /// `--from qdc` imports a REFI-QDA codebook (its hierarchy, colours and
    /// descriptions) into a project: give the project's folder.
    ///
    /// `--from qdpx` into a folder imports a whole REFI-QDA project (from
    /// QualCoder, NVivo, ATLAS.ti, MAXQDA or Gloss): each source goes to the
    /// document of the same name (or the same text) and a source with no
    /// document becomes a new one, its text written beside the others (never
    /// over a file); the codebook with its hierarchy and the project memo
    /// go to the project file, each document's codings, notes and memo to
    /// its annotation file.
    Import {
        /// The document the annotations belong to (for qdc, and for a
        /// whole qdpx project: the folder).
        document: PathBuf,
        /// The format of FILE.
        #[arg(long, value_enum)]
        from: ImportFormat,
        /// The file to read (brat: the .ann file; qdpx: the project).
        file: PathBuf,
        /// Show what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Record NAME as the author of every imported annotation (formats
        /// without authors, such as brat, otherwise import them with none;
        /// W3C keeps its `creator` unless this is given).
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
    },
    /// List a document's annotations: position, tags, quote, note.
    List { document: PathBuf },
    /// Print exactly the text Gloss annotates (UTF-8): a `.txt` as it is
    /// decoded; a `.docx`, `.odt`, `.html`, `.pdf` or `.epub` as it is
    /// extracted (PDF pages and EPUB chapters separated by a form feed).
    /// Offsets in every export count the chars of this text. A file Gloss
    /// refuses prints nothing, says why on stderr and exits with 2.
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
    /// Inter-annotator agreement on documents or folders, overall, per code
    /// and per document.
    ///
    /// Units: `char` is every code point that is not whitespace; `token`
    /// every match of \w+|[^\w\s] (a run of CJK letters is one token). An
    /// annotator's label for a unit is the sorted, +-joined set of the codes
    /// of their annotations covering it (a token: overlapping it), or O.
    /// Figures: Krippendorff's α (nominal) over all annotators and per pair,
    /// Cohen's κ and observed agreement per pair, the Davies–Fleiss multi-κ;
    /// span precision, recall and F1 per pair X-Y (X the reference), exact
    /// (same start, end and code) and overlap (sharing a code point, same
    /// code; touching is not overlap), micro over codes. Undefined figures
    /// (one annotator, one label only) are said to be, and are null in JSON.
    Agreement {
        /// Documents or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The annotators to compare, in this order (pairs are named
        /// A-B in it); default: every author but the curator, sorted by
        /// name.
        #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
        authors: Vec<String>,
        /// The curator's name (Compare and Curate's copies are made under
        /// it): left out unless named in --authors.
        #[arg(long, value_name = "NAME", default_value = crate::team::agreement::DEFAULT_CURATOR)]
        curator: String,
        /// Count only these codes (default: all).
        #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
        codes: Vec<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: AgreementFormat,
    },
    /// git's merge driver for annotation files: merges BASE, OURS and
    /// THEIRS (git passes `%O %A %B`) by annotation id and writes the result
    /// to OURS.
    ///
    /// Added on one side: added. Deleted on one side and unchanged on the
    /// other: deleted. Deleted on one side and changed on the other: kept,
    /// as changed. Changed on one side: that change. Changed on both, field
    /// by field: tags take both sides' additions and removals, the range
    /// follows the newer change, and a note edited on both sides keeps both
    /// texts under a "──── merged: the other version ────" line. Codebooks
    /// (and `gloss-project.ron`) merge by code name the same way.
    ///
    /// Exits 0 when everything merged; 1 when it cannot (a side that does
    /// not parse, or is empty): OURS is then left untouched and git reports
    /// a conflict. `gloss git-setup` registers it.
    MergeSidecar {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
    },
    /// Registers `gloss merge-sidecar` as the git merge driver of the
    /// repository holding FOLDER (default: the current folder).
    ///
    /// Adds `*.annotations.ron merge=gloss` and `gloss-project.ron
    /// merge=gloss` to the repository's top-level `.gitattributes` (commit
    /// it, so every clone routes these files to the driver) and sets
    /// `merge.gloss.driver` in the repository's own config (each clone runs
    /// this once). Running it again changes nothing.
    GitSetup { folder: Option<PathBuf> },
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
    /// as MAXQDA's autocode does: one new annotation per match, unless the
    /// same author's annotation on exactly that passage already has the tag
    /// (another annotator's does not count: each codes independently).
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
    /// Only in this document or folder (relative to FOLDER); repeatable.
    #[arg(long = "document", value_name = "PATH")]
    documents: Vec<String>,
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
            documents: a.documents,
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
pub enum AgreementFormat {
    Table,
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
    Xlsx,
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
            FormatArg::Xlsx => Format::Xlsx,
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
            raw,
        } => {
            let how = exchange::ExportHow { force, raw };
            export(&documents, format.format(), output.as_deref(), how, out).map(|_| false)
        }
        Command::Import {
            document,
            from,
            file,
            dry_run,
            author,
        } => import(&document, from, &file, dry_run, author.as_deref(), out).map(|_| false),
        Command::List { document } => list(&document, out).map(|_| false),
        Command::Text { document } => {
            let (doc, _, _) = crate::session::read_document(&document)?;
            out.write_all(doc.text().as_bytes())?;
            Ok(false)
        }
        Command::Stats { paths, format } => project::stats(&paths, format, out).map(|_| false),
        Command::Passages {
            folder,
            query,
            format,
        } => project::passages(&folder, query, format, out).map(|_| false),
        Command::Check { paths } => check(&paths, out),
        Command::Agreement {
            paths,
            authors,
            curator,
            codes,
            format,
        } => team::agreement(&paths, &authors, &curator, &codes, format, out).map(|_| false),
        Command::MergeSidecar { base, ours, theirs } => {
            match crate::team::merge_files(&base, &ours, &theirs) {
                Ok(report) => {
                    eprintln!("gloss: merged {}: {report}", ours.display());
                    Ok(false)
                }
                Err(e) => {
                    eprintln!(
                        "gloss: could not merge: {e}; {} is unchanged",
                        ours.display()
                    );
                    Ok(true)
                }
            }
        }
        Command::GitSetup { folder } => team::git_setup(folder.as_deref(), out).map(|_| false),
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
    let mut s = Session::open(doc)?;
    // A document in a project codes with the project's codebook.
    crate::project::apply_codebook(&mut s);
    if let Some(why) = &s.read_only() {
        bail!("{why}");
    }
    warn_decoding(doc, &s);
    Ok(s)
}

/// Saves a document the CLI changed, and gives a project its codebook as
/// the window does (a code `gloss tag` or `gloss import` added joins the
/// project's).
fn save(s: &mut Session) -> anyhow::Result<Option<crate::session::SyncReport>> {
    let merged = s.save()?;
    if let Err(e) = crate::project::give_codebook(s) {
        eprintln!("gloss: the project's codebook was not updated: {e}");
    }
    Ok(merged)
}

fn warn_decoding(doc: &Path, s: &Session) {
    if let Some(n) = &s.decoding() {
        eprintln!("gloss: {}: {n}", doc.display());
    }
}
