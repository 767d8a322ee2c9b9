//! Export to and import from the formats other tools read.
//!
//! Unless a format says otherwise, offsets are Unicode code points (chars)
//! of the document text, end exclusive — the unit of the Gloss model.
//! Exporters take a [`Source`] and return files; importers return
//! annotations that [`crate::session::Session::merge`] adds to a document.

pub mod brat;
pub mod csv;
pub mod jsonl;
pub mod qdpx;
pub mod report;
pub mod sniff;
pub mod w3c;
pub mod xlsx;

use crate::model::{Annotation, CharRange, Codebook, Document, Tag};
use crate::storage::{WriteError, WriteMode, atomic_write};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Csv,
    Xlsx,
    W3c,
    Brat,
    Jsonl,
    Markdown,
    Html,
    Qdpx,
    Qdc,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Csv,
        Format::Xlsx,
        Format::W3c,
        Format::Brat,
        Format::Jsonl,
        Format::Markdown,
        Format::Html,
        Format::Qdpx,
        Format::Qdc,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::W3c => "w3c",
            Format::Brat => "brat",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV (spreadsheets, R, pandas)",
            Format::Xlsx => "Excel workbook (.xlsx: annotations and codebook)",
            Format::W3c => "W3C Web Annotation (JSON-LD)",
            Format::Brat => "brat standoff (.ann + .txt)",
            Format::Jsonl => "JSONL (doccano / spaCy)",
            Format::Markdown => "Report (Markdown)",
            Format::Html => "Report (HTML)",
            Format::Qdpx => "REFI-QDA project (.qdpx: NVivo, ATLAS.ti, MAXQDA, QualCoder)",
            Format::Qdc => "REFI-QDA codebook (.qdc)",
        }
    }

    /// The file name suffix appended to the document's name.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::W3c => "jsonld",
            Format::Brat => "ann",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }

    /// Formats that can be read back.
    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::W3c | Format::Brat | Format::Jsonl | Format::Qdpx | Format::Qdc
        )
    }

    /// Formats that are one text file and can go to standard output.
    pub fn is_text_stream(self) -> bool {
        !matches!(self, Format::Brat | Format::Qdpx | Format::Xlsx)
    }
}

/// A [`Source`] owned, for an export on another thread: shares the
/// document and the annotations with the session (a pointer each).
#[derive(Clone)]
pub struct Snapshot {
    pub doc: std::sync::Arc<Document>,
    pub codebook: Codebook,
    pub annotations: crate::model::Chunked<std::sync::Arc<Annotation>>,
    pub uri: String,
    pub memo: String,
}

impl Snapshot {
    pub fn source(&self) -> Source<'_> {
        Source {
            doc: &self.doc,
            codebook: &self.codebook,
            annotations: self.annotations.iter().map(|a| &**a).collect(),
            uri: self.uri.clone(),
            memo: &self.memo,
        }
    }
}

/// What an exporter reads: one document and its annotations.
pub struct Source<'a> {
    pub doc: &'a Document,
    pub codebook: &'a Codebook,
    pub annotations: Vec<&'a Annotation>,
    /// An absolute IRI naming the document (a `file:` URI when it has a path).
    pub uri: String,
    /// The researcher's memo on the document.
    pub memo: &'a str,
}

impl<'a> Source<'a> {
    /// Annotations that have a valid position in the document.
    pub fn anchored(&self) -> impl Iterator<Item = &'a Annotation> {
        self.annotations
            .iter()
            .copied()
            .filter(|a| !a.is_orphaned())
    }

    pub fn orphan_warning(&self, format: Format) -> Vec<String> {
        let n = self.annotations.iter().filter(|a| a.is_orphaned()).count();
        if n == 0 {
            return Vec::new();
        }
        let (match_, was) = if n == 1 {
            ("matches", "was")
        } else {
            ("match", "were")
        };
        vec![format!(
            "{} that no longer {match_} the text {was} left out of the {} export: it needs positions. \
             Re-attach them, or export CSV or W3C, which keep them by quote.",
            crate::words::plural(n, "annotation"),
            format.name()
        )]
    }
}

/// The export: files (relative names) and anything the user should know.
#[derive(Debug, Default)]
pub struct Exported {
    pub files: Vec<(String, Vec<u8>)>,
    pub warnings: Vec<String>,
}

impl Exported {
    /// Writes the files into the folder `target` (created if needed) when
    /// `into_folder`, else the one file to `target`, under the rules of
    /// `guard`. Returns what was written.
    pub fn write(
        &self,
        target: &Path,
        into_folder: bool,
        guard: &mut ExportGuard,
    ) -> Result<Vec<PathBuf>, FormatError> {
        let planned: Vec<(PathBuf, &[u8])> = if into_folder {
            self.files
                .iter()
                .map(|(name, bytes)| (target.join(name), bytes.as_slice()))
                .collect()
        } else {
            let [(_, bytes)] = self.files.as_slice() else {
                return Err(FormatError::Invalid(
                    "this format writes several files: choose a folder".into(),
                ));
            };
            vec![(target.to_path_buf(), bytes.as_slice())]
        };
        // Every file is checked before any is written.
        for (path, _) in &planned {
            guard.check(path)?;
        }
        let mut written = Vec::new();
        for (path, bytes) in planned {
            guard.put(&path, bytes)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// What an export may never write over: documents (the one exported and
/// any other Gloss knows: every file with a sidecar beside it), sidecars,
/// backups, files written earlier in the same export, and — unless
/// `force` — any existing file.
#[derive(Debug, Default)]
pub struct ExportGuard {
    /// Replace existing export files (`--force`, or the user confirmed).
    pub force: bool,
    /// By file identity, so another name for one (a link, a hard link,
    /// `./`) is refused too.
    documents: std::collections::HashSet<crate::storage::FileKey>,
    written: std::collections::HashSet<crate::storage::FileKey>,
}

impl ExportGuard {
    pub fn new(force: bool, documents: impl IntoIterator<Item = PathBuf>) -> Self {
        Self {
            force,
            documents: documents
                .into_iter()
                .map(|d| crate::storage::identity_key(&d))
                .collect(),
            written: Default::default(),
        }
    }

    /// Why `path` must not be written, if it must not.
    pub fn check(&self, path: &Path) -> Result<(), FormatError> {
        let refuse = |why: String| Err(FormatError::Refused(path.to_path_buf(), why));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(crate::sidecar::SUFFIX) || name.ends_with(".bak") {
            return refuse("it is an annotation file or a backup".into());
        }
        if name == crate::sidecar::PROJECT_FILE_NAME {
            return refuse("it is a project file".into());
        }
        let p = crate::storage::identity_key(path);
        if self.documents.contains(&p) {
            return refuse("it is a document being annotated".into());
        }
        if crate::sidecar::sidecar_path(path).exists() {
            return refuse("it is a document with annotations beside it".into());
        }
        if self.written.contains(&p) {
            return refuse(
                "another document in this export was just written there (two documents with the same name?)"
                    .into(),
            );
        }
        if path.is_dir() {
            return refuse("it is a folder".into());
        }
        if !self.force && (path.exists() || path.is_symlink()) {
            return Err(FormatError::Exists(path.to_path_buf()));
        }
        Ok(())
    }

    /// Writes one file the user named (a chart, a list of passages) under
    /// the same rules as an export: refused over a document, an annotation
    /// or project file or a backup; an existing file only with `force`.
    pub fn write_one(&mut self, path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
        self.check(path)?;
        self.put(path, bytes)
    }

    /// Writes a checked file (its folder made if needed); create-only
    /// unless `force`, so a file that appeared since the check is kept.
    fn put(&mut self, path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mode = if self.force {
            WriteMode::Replace
        } else {
            WriteMode::CreateNew
        };
        atomic_write(path, bytes, mode).map_err(|e| {
            if e.is_exists() {
                FormatError::Exists(path.to_path_buf())
            } else {
                e.into()
            }
        })?;
        self.written.insert(crate::storage::identity_key(path));
        Ok(())
    }
}

/// What an importer found.
#[derive(Debug, Default)]
pub struct Imported {
    pub annotations: Vec<Annotation>,
    /// Tags the file defines (codebook), possibly new.
    pub tags: Vec<Tag>,
    /// Items that could not be used, each with the reason.
    pub skipped: Vec<String>,
    /// The document's memo, where the format carries one (REFI-QDA).
    pub memo: String,
    /// What the importer had to do that the user should know (codings
    /// placed by their text because the file's copy of the document
    /// differs), said with the report.
    pub said: Vec<String>,
}

/// An imported annotation as the file gives it, to be placed by
/// [`place_imported`]: the file's own quote, prefix and suffix, and its
/// position only as a hint (`None`: the quote alone places it).
pub(crate) fn unplaced(
    doc: &Document,
    hint: Option<CharRange>,
    quote: &str,
    prefix: &str,
    suffix: &str,
    author: &str,
    created: time::OffsetDateTime,
) -> Annotation {
    let mut a = Annotation::new(doc, CharRange::new(0, 0), Vec::new(), author, created);
    // No position: one that cannot hold the quote, so the search decides.
    let hint = hint.unwrap_or(CharRange::new(usize::MAX - 1, usize::MAX));
    (a.start, a.end) = (hint.start, hint.end);
    a.quote = quote.to_string();
    a.prefix = prefix.to_string();
    a.suffix = suffix.to_string();
    a
}

/// Places imported annotations as re-anchoring places a sidecar's, through
/// the same tiers: where the quote stands at the hint, kept; found exactly
/// elsewhere, moved; found approximately, placed and marked for review;
/// not found, kept as an orphan with its quote — never skipped. Returns
/// what is worth saying about it.
pub(crate) fn place_imported(doc: &Document, annotations: &mut [Annotation]) -> Vec<String> {
    let report = crate::anchor::anchor_all(doc, annotations, None);
    for a in annotations.iter_mut().filter(|a| a.is_orphaned()) {
        if a.start > doc.char_len() || a.end > doc.char_len() || a.start > a.end {
            // A position that was never in this text means nothing here.
            (a.start, a.end) = (0, 0);
        }
    }
    let mut said = Vec::new();
    if report.moved > 0 {
        said.push(format!(
            "{} found by their quote elsewhere than the file's position",
            report.moved
        ));
    }
    if report.fuzzy > 0 {
        said.push(format!(
            "{} placed where the text nearly matches their quote, marked for review (R)",
            report.fuzzy
        ));
    }
    if report.orphaned > 0 {
        said.push(format!(
            "{} whose quote is not in this document kept as orphans with their quote (shown in the list; nothing was dropped)",
            report.orphaned
        ));
    }
    said
}

#[derive(Debug, Error)]
pub enum FormatError {
    #[error("{0}")]
    Invalid(String),
    #[error("{format} cannot be imported; import reads w3c, brat, jsonl, qdpx or qdc")]
    NotImportable { format: &'static str },
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Csv(#[from] ::csv::Error),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error("could not write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{} already exists and was left untouched; choose another name, or replace it (--force)", .0.display())]
    Exists(PathBuf),
    #[error("will not write {}: {}. Choose another file or folder", .0.display(), .1)]
    Refused(PathBuf, String),
}

/// Exports `source` in `format`. `stem` names the files (usually the
/// document's file name).
pub fn export(format: Format, source: &Source<'_>, stem: &str) -> Result<Exported, FormatError> {
    let one = |bytes: Vec<u8>, warnings| Exported {
        files: vec![(format!("{stem}.{}", format.extension()), bytes)],
        warnings,
    };
    Ok(match format {
        Format::Csv => one(csv::export(source)?, Vec::new()),
        Format::Xlsx => one(xlsx::export(source)?, Vec::new()),
        Format::W3c => one(w3c::export(source)?, Vec::new()),
        Format::Jsonl => one(jsonl::export(source)?, source.orphan_warning(format)),
        // Reports list orphans in a section of their own.
        Format::Markdown => one(report::markdown(source).into_bytes(), Vec::new()),
        Format::Html => one(report::html(source).into_bytes(), Vec::new()),
        Format::Qdpx => one(qdpx::export(source)?, source.orphan_warning(format)),
        Format::Qdc => one(qdpx::codebook(source.codebook).into_bytes(), Vec::new()),
        // brat's files go in a folder of their own, so its `.txt` copy and
        // `annotation.conf` never meet a document or another export.
        Format::Brat => Exported {
            files: brat::export(source, stem)
                .into_iter()
                .map(|(name, bytes)| (format!("{stem}.brat/{name}"), bytes))
                .collect(),
            warnings: source.orphan_warning(format),
        },
    })
}

/// Checks offsets read from a file against `doc`: inside it, not empty, and
/// on whole characters (graphemes). The error says which and why.
pub fn check_range(doc: &Document, r: CharRange) -> Result<(), String> {
    if r.is_empty() || !doc.contains(r) {
        return Err(format!(
            "offsets {r} are outside the document ({} chars)",
            doc.char_len()
        ));
    }
    let whole = doc.snap_to_graphemes(r);
    if whole != r {
        return Err(format!(
            "offsets {r} split the character “{}”",
            doc.slice(whole)
        ));
    }
    Ok(())
}

/// Import files larger than this are refused rather than read into memory.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// Reads a file to import, refusing ones too large to be annotation files.
pub fn read_import_file(path: &Path) -> Result<Vec<u8>, FormatError> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_IMPORT_BYTES {
        return Err(FormatError::Invalid(format!(
            "{} is {} MB; Gloss imports files up to {} MB",
            path.display(),
            len / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    Ok(std::fs::read(path)?)
}

/// Reads annotations for `doc` from `bytes` in `format`.
pub fn import(format: Format, doc: &Document, bytes: &[u8]) -> Result<Imported, FormatError> {
    match format {
        Format::W3c => w3c::import(doc, bytes),
        Format::Brat => brat::import(doc, bytes),
        Format::Jsonl => jsonl::import(doc, bytes),
        Format::Qdpx => qdpx::import(doc, bytes),
        // A codebook: codes (hierarchy, colours, descriptions), no passages.
        Format::Qdc => Ok(Imported {
            tags: qdpx::import_codebook(bytes)?,
            ..Imported::default()
        }),
        f => Err(FormatError::NotImportable { format: f.name() }),
    }
}

/// A `file:` URI for a path (absolute where possible), else a URN naming
/// the document by its hash.
pub fn document_uri(path: Option<&Path>, doc: &Document) -> String {
    let Some(path) = path else {
        return format!("urn:sha256:{}", doc.sha256());
    };
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from(if s.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stable GUID for `kind` + `key` (UUID v5), so repeated exports of the
/// same annotations name everything the same way.
pub fn stable_guid(kind: &str, key: &str) -> String {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6c0f_2d8a_57e1_4c3e_9a55_0b1e_9a7d_4e21);
    uuid::Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// RFC 3339 in UTC, as every format here writes times.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_uris_are_absolute() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        let d = Document::new("a b.txt", "x".into());
        assert_eq!(
            document_uri(Some(Path::new("/r/a b.txt")), &d),
            "file:///r/a%20b.txt"
        );
        assert!(document_uri(None, &d).starts_with("urn:sha256:"));
        assert_eq!(stable_guid("code", "claim"), stable_guid("code", "claim"));
        assert_ne!(stable_guid("code", "claim"), stable_guid("code", "source"));
    }
}
