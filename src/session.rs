//! One open document with its annotations: the logic between the model and
//! the views. Opening, every user command, undo, and saving go through here;
//! the GUI and the CLI call these functions and never touch files themselves.

use crate::anchor::AnchorReport;
use crate::decode::DecodeError;
use crate::model::{Annotation, AnnotationId, Codebook, Document, EditError, History, Store};
use crate::sidecar::{Sidecar, sidecar_path};
use crate::storage::{Fingerprint, backup_path};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum OpenError {
    #[error("could not open {}: {source}{}", path.display(), read_advice(source))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "could not open {}: it is {} MB; Gloss opens documents up to {} MB",
        path.display(), len / (1024 * 1024), crate::decode::MAX_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf, len: u64 },
    #[error("could not open {}: {source}", path.display())]
    Decode {
        path: PathBuf,
        #[source]
        source: DecodeError,
    },
    #[error("could not open {}: {source}", path.display())]
    Extract {
        path: PathBuf,
        #[source]
        source: crate::extract::ExtractError,
    },
}

/// What to do when a document could not be read, said after the system's
/// own words (which say what went wrong, once).
fn read_advice(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            ". Check the name and the folder (a relative path starts where the command runs)"
        }
        std::io::ErrorKind::PermissionDenied => {
            ". Ask for permission to read it, or copy it somewhere you may"
        }
        std::io::ErrorKind::IsADirectory => {
            ". Name a document in it (the window opens a folder as a project)"
        }
        _ => "",
    }
}

/// How far opening got: annotations placed of how many (for a progress
/// line while a document opens on another thread).
#[derive(Debug, Default)]
pub struct Progress {
    pub placed: AtomicUsize,
    pub total: AtomicUsize,
    /// Thousandths of the text extracted (PDF pages read), while a
    /// converted document is read.
    pub extracted: AtomicUsize,
}

#[derive(Debug, Error, PartialEq)]
pub enum CommandError {
    #[error("{0}")]
    ReadOnly(String),
    #[error("select some text first")]
    EmptySelection,
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// What the sidecar held when this session last read or wrote it. The
/// annotations are shared with the store (a pointer per 512), so keeping
/// it costs next to nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Base {
    pub annotations: crate::model::Chunked<std::sync::Arc<Annotation>>,
    pub codebook: Codebook,
    pub memo: String,
    pub rejected: Vec<AnnotationId>,
}

impl Base {
    pub fn of(store: &Store) -> Self {
        Self {
            annotations: store.annotations.snapshot(),
            codebook: store.codebook.clone(),
            memo: store.memo.clone(),
            rejected: store.rejected.clone(),
        }
    }

    /// As the merge engine reads a version.
    pub fn side(&self) -> crate::merge::Side<'_> {
        crate::merge::Side {
            annotations: self.annotations.iter().map(|a| &**a).collect(),
            codebook: &self.codebook,
            memo: &self.memo,
            rejected: &self.rejected,
        }
    }
}

/// One open document and its annotations. Its fields are its own: the
/// window, the CLI and the project read them through the accessors below
/// and change them only through commands (each an undo step, or a history
/// barrier that says why undo stops there).
pub struct Session {
    doc: std::sync::Arc<Document>,
    /// The document file; `None` for text that lives only in memory.
    path: Option<PathBuf>,
    /// Where annotations are saved; `None` when they cannot be saved.
    sidecar_path: Option<PathBuf>,
    store: Store,
    history: History,
    /// Why edits are refused (e.g. a sidecar that could not be parsed).
    read_only: Option<String>,
    /// Things the user should know about this document (encoding, orphans).
    notices: Vec<String>,
    /// Things worth knowing that need no action (annotations that moved).
    infos: Vec<String>,
    encoding: &'static str,
    /// What the decoder had to say (a guessed encoding, replaced bytes).
    decoding: Option<String>,
    /// Changes not yet written to the sidecar.
    dirty: bool,
    /// How the annotations were placed when last anchored.
    anchor_report: AnchorReport,
    /// The sidecar as this session last read or wrote it (`None`: there was
    /// none). A save first checks the file still is this.
    sidecar_seen: Option<Fingerprint>,
    /// The sidecar as this session last read or wrote it: the common
    /// ancestor when another program's version is merged, so what it
    /// deleted and this side left alone goes, and what this side deleted
    /// does not come back.
    base: Base,
    /// The document file as it was read, to notice outside edits.
    document_seen: Option<Fingerprint>,
    /// Whether `.bak` was written this session (it keeps the state the
    /// sidecar had when the document was opened).
    backed_up: bool,
    /// A sidecar that could not be read: never written, nor its `.bak`.
    unreadable: Option<PathBuf>,
    /// The password the document was opened with (a protected PDF).
    password: Option<String>,
    /// The project folder whose codebook this document codes with.
    project: Option<PathBuf>,
    /// Codes renamed, merged away or deleted here and not yet told to the
    /// project (old name, new name or `None`), oldest first.
    retired: Vec<(String, Option<String>)>,
    /// The project's codebook as this document last took it (when it
    /// conformed, or gave its codebook back): the common ancestor when its
    /// codebook is merged into the project file, so what other windows
    /// changed there meanwhile is kept.
    project_codebook: Option<Codebook>,
    /// What had to be mended in the sidecar as it was read (a code with no
    /// name, an id listed twice), said to the user; `gloss check` reports it.
    mended: Vec<String>,
    /// Whose changes these are (the window's user, `--author` in the CLI):
    /// an edit of someone else's annotation records it as `changed_by`.
    editor: String,
}

impl Session {
    /// Opens a document file and its sidecar, if it has one.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        Self::open_with_progress(path, &Progress::default())
    }

    /// [`Session::open`], telling `progress` how far placing the
    /// annotations got (the window opens documents on another thread).
    pub fn open_with_progress(path: &Path, progress: &Progress) -> Result<Self, OpenError> {
        Self::open_with(path, progress, None)
    }

    /// [`Session::open_with_progress`], with the password of a protected
    /// PDF (kept in memory for re-reading it, never written anywhere).
    pub fn open_with(
        path: &Path,
        progress: &Progress,
        password: Option<&str>,
    ) -> Result<Self, OpenError> {
        let on_progress = |f: f32| {
            let per_mille = (f.clamp(0.0, 1.0) * 1000.0) as usize;
            progress.extracted.store(per_mille, Ordering::Relaxed);
        };
        let (doc, decoded, seen) = read_document_with(path, &on_progress, password)?;
        let notice = decoded.notice();
        let mut s = Self::new(doc, Some(path.to_path_buf()));
        s.password = password.map(str::to_string);
        s.encoding = decoded.encoding;
        s.document_seen = Some(seen);
        s.notices.extend(notice.clone());
        s.decoding = notice;
        s.load_sidecar_counting(&sidecar_path(path), progress);
        Ok(s)
    }

    /// A session over text with no sidecar loaded.
    pub fn new(doc: Document, path: Option<PathBuf>) -> Self {
        Self {
            doc: doc.into(),
            path,
            sidecar_path: None,
            store: Store::default(),
            history: History::default(),
            read_only: None,
            notices: Vec::new(),
            infos: Vec::new(),
            encoding: "UTF-8",
            decoding: None,
            dirty: false,
            anchor_report: AnchorReport::default(),
            sidecar_seen: None,
            base: Default::default(),
            document_seen: None,
            backed_up: false,
            unreadable: None,
            password: None,
            project: None,
            retired: Vec::new(),
            project_codebook: None,
            mended: Vec::new(),
            editor: String::new(),
        }
    }

    /// A session over text with the annotations of `sc`, placed on it and
    /// saved nowhere (the embedded sample when no folder can hold it).
    pub fn with_annotations(doc: Document, sc: Sidecar) -> Self {
        let mut s = Self::new(doc, None);
        s.anchor_report = s.adopt_counting(sc, None, &AtomicUsize::new(0));
        s
    }

    /// Loads annotations from `path`. A sidecar that cannot be read makes
    /// the session read-only, so it is never overwritten.
    pub fn load_sidecar(&mut self, path: &Path) {
        self.load_sidecar_counting(path, &Progress::default());
    }

    fn load_sidecar_counting(&mut self, path: &Path, progress: &Progress) {
        match Sidecar::load_with_fingerprint(path) {
            Ok(Some((mut sc, seen))) => {
                let mended = crate::merge::normalise(&mut sc);
                self.mended.clone_from(&mended);
                if !mended.is_empty() {
                    self.notices.push(format!(
                        "{} needed mending before it could be used (it is saved mended at the next \
                         change; the file as it was stays in its .bak): {}.",
                        path.display(),
                        mended.join("; ")
                    ));
                }
                let why = if sc.document.sha256 == self.doc.sha256() {
                    String::new()
                } else {
                    match (sc.document.extractor.as_deref(), self.doc.extractor()) {
                        // The file is the same; Gloss reads it differently now.
                        (Some(was), Some(now)) if was != now => format!(
                            "Gloss now reads this kind of file differently ({was} → {now}), so \
                             its text changed: "
                        ),
                        _ => "The document changed since the annotations were saved: ".into(),
                    }
                };
                progress
                    .total
                    .store(sc.annotations.len(), Ordering::Relaxed);
                let report = self.adopt_counting(sc, None, &progress.placed);
                self.report_anchoring(report, &why);
                self.sidecar_path = Some(path.to_path_buf());
                self.sidecar_seen = Some(seen);
            }
            Ok(None) => self.sidecar_path = Some(path.to_path_buf()),
            Err(e) => {
                let bak = backup_path(path);
                let last_good = if bak.exists() {
                    format!(" The last good copy may be {}.", bak.display())
                } else {
                    String::new()
                };
                let backup = if bak.exists() { " or its backup" } else { "" };
                self.read_only = Some(format!(
                    "Read-only: {e}.{last_good} Gloss will not write to it{backup}. Reading and \
                     searching work as usual; to annotate, choose “Annotate in a new file…”, \
                     which keeps new annotations in a file of your choosing."
                ));
                self.unreadable = Some(path.to_path_buf());
                self.sidecar_path = None;
            }
        }
    }

    /// Tells the user how the annotations were placed on changed text.
    /// `why` says what changed the text, when it changed.
    pub(crate) fn report_anchoring(&mut self, report: AnchorReport, why: &str) {
        self.anchor_report = report;
        if !report.changed() {
            return;
        }
        self.infos.push(format!(
            "{why}{} kept, {} moved, {} fuzzy (marked “review”), {} orphaned (kept, in Orphans).",
            report.kept, report.moved, report.fuzzy, report.orphaned
        ));
        if report.moved + report.fuzzy > 0 {
            // The new positions are worth saving; the old ones stay in the .bak.
            self.dirty = true;
        }
        if report.orphaned > 0 {
            let (of, match_, are) = match (report.total(), report.orphaned) {
                (1, _) => ("1 annotation", "matches", "is"),
                (n, 1) => (&*format!("{n} annotations"), "matches", "is"),
                (n, _) => (&*format!("{n} annotations"), "match", "are"),
            };
            self.notices.push(format!(
                "{} of {of} no longer {match_} the text and {are} listed under Orphans. \
                 {} kept: select new text and use “Attach to selection”, or delete {}.",
                report.orphaned,
                if report.orphaned == 1 {
                    "It is"
                } else {
                    "They are"
                },
                if report.orphaned == 1 { "it" } else { "them" },
            ));
        }
    }

    fn adopt_counting(
        &mut self,
        sc: Sidecar,
        old_text: Option<&str>,
        placed: &AtomicUsize,
    ) -> AnchorReport {
        let mut annotations = sc.annotations;
        let plan = crate::anchor::plan_with_progress(&self.doc, &annotations, old_text, placed);
        let report = crate::anchor::apply(&self.doc, &mut annotations, &plan);
        self.store = Store {
            memo: sc.memo,
            rejected: sc.rejected,
            codebook: sc.codebook,
            annotations: crate::model::AnnotationSet::from_vec(annotations),
        };
        self.history = History::default();
        self.dirty = false;
        self.base = Base::of(&self.store);
        report
    }

    pub fn codebook(&self) -> &Codebook {
        &self.store.codebook
    }

    pub fn annotation(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.store.annotations.get(id)
    }

    /// The window's title: the file's name, and the document's own title
    /// when it has one (a web page's `<title>`, a book's or a Word file's).
    pub fn title(&self) -> String {
        let own = match self.doc.title() {
            Some(t) if t != self.doc.name => format!(" · {t}"),
            _ => String::new(),
        };
        format!(
            "{}{own}{} — Gloss",
            self.doc.name,
            if self.dirty { " •" } else { "" }
        )
    }

    pub fn to_sidecar(&self) -> Sidecar {
        Sidecar {
            memo: self.store.memo.clone(),
            rejected: self.store.rejected.clone(),
            ..Sidecar::new(
                &self.doc,
                self.store.codebook.clone(),
                self.store.annotations.iter().cloned().collect(),
            )
        }
    }

    /// What an exporter reads: this document, its annotations and memo.
    pub fn source(&self) -> crate::formats::Source<'_> {
        crate::formats::Source {
            doc: &self.doc,
            codebook: &self.store.codebook,
            annotations: self.store.annotations.iter().collect(),
            uri: crate::formats::document_uri(self.path.as_deref(), &self.doc),
            memo: &self.store.memo,
        }
    }

    /// [`Session::source`], owned, for an export on another thread.
    pub fn export_snapshot(&self) -> crate::formats::Snapshot {
        crate::formats::Snapshot {
            doc: self.doc.clone(),
            codebook: self.store.codebook.clone(),
            annotations: self.store.annotations.snapshot(),
            uri: crate::formats::document_uri(self.path.as_deref(), &self.doc),
            memo: self.store.memo.clone(),
        }
    }
}

/// Reads and decodes a document file, refusing one too large before
/// reading it.
pub(crate) fn read_document(
    path: &Path,
) -> Result<(Document, crate::decode::Decoded, Fingerprint), OpenError> {
    read_document_with(path, &|_| (), None)
}

/// [`read_document`], telling `progress` how far extraction got (0 to 1).
pub(crate) fn read_document_with(
    path: &Path,
    progress: &dyn Fn(f32),
    password: Option<&str>,
) -> Result<(Document, crate::decode::Decoded, Fingerprint), OpenError> {
    let read_err = |source| OpenError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        )));
    }
    if meta.len() > crate::decode::MAX_BYTES as u64 {
        return Err(OpenError::TooLarge {
            path: path.to_path_buf(),
            len: meta.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let seen = Fingerprint::new(&bytes, &meta);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let kind = crate::extract::Kind::of(path);
    if kind != crate::extract::Kind::Text {
        let extracted =
            crate::extract::extract_with(kind, &bytes, password, progress).map_err(|source| {
                OpenError::Extract {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        let decoded = crate::decode::Decoded {
            text: String::new(),
            encoding: kind.label(),
            detected: false,
            had_errors: false,
        };
        let structure =
            crate::model::Structure::new(extracted.blocks, kind == crate::extract::Kind::Pdf)
                .with_elements(extracted.elements);
        let doc = Document::new(name, extracted.text)
            .with_extractor(extracted.extractor)
            .with_structure(structure)
            .with_title(extracted.title);
        return Ok((doc, decoded, seen));
    }
    let len = bytes.len();
    let mut decoded = crate::decode::decode_owned(bytes).map_err(|source| OpenError::Decode {
        path: path.to_path_buf(),
        source,
    })?;
    // UTF-8 read as is: the text is the file, so the file's hash is the text's.
    let same_bytes = decoded.encoding == "UTF-8"
        && !decoded.detected
        && !decoded.had_errors
        && decoded.text.len() == len;
    let doc = Document::new(name, std::mem::take(&mut decoded.text));
    if same_bytes {
        doc.know_sha256(&seen.sha256);
    }
    Ok((doc, decoded, seen))
}

mod access;
pub use access::CodebookHandover;
mod bulk;
mod edit;
pub use bulk::ImportReport;

mod codes;
pub use codes::retag;

mod outside;
pub use outside::{
    Outside, OutsideCheck, OutsideChecked, ReloadJob, Reloaded, SidecarReloadJob, SidecarReloaded,
    SyncReport,
};

mod save;
pub use save::{SaveAsJob, SaveJob, SaveOutcome, Saved, SavedAs};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod merge_tests;
