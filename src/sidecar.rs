//! The RON sidecar file that holds a document's annotations.
//!
//! `report.txt` → `report.txt.annotations.ron`, beside it. The file is
//! pretty-printed with annotations in document order so that one changed
//! annotation is a small diff.

use crate::model::{Annotation, Codebook, Document};
use crate::storage::{Fingerprint, WriteError, WriteMode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

mod parallel;

pub const FORMAT_VERSION: u32 = 1;
pub const SUFFIX: &str = ".annotations.ron";
/// The project file at a project folder's root (see `project::file`):
/// named here so that no layer below the project writes over it.
pub const PROJECT_FILE_NAME: &str = "gloss-project.ron";
/// Larger files are refused before they are read (a million annotations
/// with long notes fit well inside).
pub const MAX_SIDECAR_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The document's file name, without folder.
    pub name: String,
    /// Length in chars (Unicode scalar values) of the decoded text.
    pub chars: usize,
    /// SHA-256 of the decoded text as UTF-8.
    pub sha256: String,
    /// Which extractor (and version) made the text, for a Word or
    /// OpenDocument file; absent for text read as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
}

impl DocumentInfo {
    pub fn of(doc: &Document) -> Self {
        Self {
            name: doc.name.clone(),
            chars: doc.char_len(),
            sha256: doc.sha256(),
            extractor: doc.extractor().map(str::to_string),
        }
    }
}

/// How every sidecar is written: pretty, two-space indents, one field per
/// line, so one changed annotation is a small diff. `annotations` sizes the
/// buffer up front: growing a 50 MB string by doubling remaps memory the
/// window's thread is also using, and stalls its frames.
fn to_ron(value: &impl Serialize, annotations: usize) -> Result<String, SidecarError> {
    let mut s = String::with_capacity(4096 + annotations * 640);
    write_ron(value, &mut s)?;
    Ok(s)
}

pub(crate) fn write_ron(
    value: &impl Serialize,
    s: &mut impl std::fmt::Write,
) -> Result<(), SidecarError> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("  ")
        .struct_names(false)
        .compact_arrays(false);
    ron::ser::to_writer_pretty(&mut *s, value, config)
        .map_err(|e| SidecarError::Encode(e.to_string()))?;
    s.write_char('\n')
        .map_err(|e| SidecarError::Encode(e.to_string()))
}

/// Writes `value` as a sidecar to `path` atomically, streamed to the file
/// (never the whole text in memory: a 50 MB buffer, even on another
/// thread, stalls the window's frames while it is mapped and freed), and
/// returns the fingerprint of what was written, hashed on the way.
/// With `expect`, the file must still be what was read (`Some(None)`: that
/// there was none) right before the rename, or nothing is written and the
/// save fails with [`SidecarError::ChangedDuringSave`].
fn save_streamed(
    value: &impl Serialize,
    path: &Path,
    expect: Option<Option<&Fingerprint>>,
) -> Result<Fingerprint, SidecarError> {
    let mut encode_error = None;
    let mut written = None;
    let changed = std::cell::Cell::new(false);
    let check = || -> std::io::Result<()> {
        let Some(seen) = expect else {
            return Ok(());
        };
        let mut seen = seen.cloned();
        if Fingerprint::still_at(seen.as_mut(), path)? {
            Ok(())
        } else {
            changed.set(true);
            Err(std::io::Error::other(
                "changed by another program during the save",
            ))
        }
    };
    crate::storage::atomic_write_checked(path, WriteMode::Replace, &check, |file| {
        let mut out = HashingWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
        let encoded = write_ron(value, &mut out);
        out.flush()?;
        if let Err(e) = encoded {
            encode_error = Some(e);
            return Err(std::io::Error::other("could not encode the annotations"));
        }
        written = Some(out.finish());
        Ok(())
    })
    .map_err(|e| {
        if changed.get() {
            return SidecarError::ChangedDuringSave {
                path: path.to_path_buf(),
            };
        }
        encode_error.take().unwrap_or(SidecarError::Write(e))
    })?;
    let (len, sha) = written.unwrap_or_default();
    let meta = std::fs::metadata(path).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Fingerprint::of_hashed(len, sha, &meta))
}

/// Text written as UTF-8 to an `io::Write`, counted and hashed on the way
/// (the save's fingerprint), for `ron`'s `fmt::Write` serialiser.
struct HashingWriter<W: std::io::Write> {
    inner: W,
    len: u64,
    hash: sha2::Sha256,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> HashingWriter<W> {
    fn new(inner: W) -> Self {
        use sha2::Digest;
        Self {
            inner,
            len: 0,
            hash: sha2::Sha256::new(),
            error: None,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.inner.flush()
    }

    fn finish(self) -> (u64, [u8; 32]) {
        use sha2::Digest;
        (self.len, self.hash.finalize().into())
    }
}

impl<W: std::io::Write> std::fmt::Write for HashingWriter<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        use sha2::Digest;
        self.hash.update(s.as_bytes());
        self.len += s.len() as u64;
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// A sidecar's content as a session holds it, taken for a save on another
/// thread: the annotations are shared with the session, not copied (a
/// pointer each), so taking it costs the UI thread next to nothing. It is
/// written byte for byte as the equal [`Sidecar`] is.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub document: DocumentInfo,
    pub codebook: Codebook,
    pub memo: String,
    pub rejected: Vec<crate::model::AnnotationId>,
    /// In document order, as the set keeps them.
    pub annotations: crate::model::Chunked<std::sync::Arc<Annotation>>,
}

impl Serialize for Snapshot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct All<'a>(&'a crate::model::Chunked<std::sync::Arc<Annotation>>);
        impl Serialize for All<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|a| &**a))
            }
        }
        // The same struct, fields and order as the derived `Sidecar`.
        let mut st = s.serialize_struct("Sidecar", 6)?;
        st.serialize_field("version", &FORMAT_VERSION)?;
        st.serialize_field("document", &self.document)?;
        if self.memo.is_empty() {
            st.skip_field("memo")?;
        } else {
            st.serialize_field("memo", &self.memo)?;
        }
        st.serialize_field("codebook", &self.codebook)?;
        if self.rejected.is_empty() {
            st.skip_field("rejected")?;
        } else {
            st.serialize_field("rejected", &self.rejected)?;
        }
        st.serialize_field("annotations", &All(&self.annotations))?;
        st.end()
    }
}

impl Snapshot {
    pub fn to_ron(&self) -> Result<String, SidecarError> {
        to_ron(self, self.annotations.len())
    }

    /// Writes the sidecar to `path` atomically, streaming it (never the
    /// whole text in memory), and returns the fingerprint of what was
    /// written.
    pub fn save(&self, path: &Path) -> Result<Fingerprint, SidecarError> {
        save_streamed(self, path, None)
    }

    /// [`Snapshot::save`], only if the file is still what `seen` says
    /// (`None`: that there was none) right before it is replaced.
    pub fn save_if_unchanged(
        &self,
        path: &Path,
        seen: Option<&Fingerprint>,
    ) -> Result<Fingerprint, SidecarError> {
        save_streamed(self, path, Some(seen))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    pub version: u32,
    pub document: DocumentInfo,
    /// The researcher's memo on the document (absent when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    pub codebook: Codebook,
    /// Annotations whose versions a curator rejected (absent when none;
    /// before `annotations`, which large files parse in parallel).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<crate::model::AnnotationId>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug, Error)]
pub enum SidecarError {
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is not a valid Gloss annotation file (line {line}, column {column}: {message}). \
         It was left untouched; fix it in a text editor, then reopen the document",
        path.display()
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{} was written by a newer Gloss (format version {found}; this one reads up to {supported}). \
         It was left untouched; update Gloss to edit these annotations",
        path.display()
    )]
    FutureVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{} is {} MB; Gloss reads annotation files up to {} MB. It was left untouched",
        path.display(), len / (1024 * 1024), MAX_SIDECAR_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf, len: u64 },
    #[error(
        "{} was changed by another program and can no longer be read ({why}). \
         Nothing was written; your annotations are still here: Save As… to keep them elsewhere",
        path.display()
    )]
    ChangedUnreadable { path: PathBuf, why: String },
    #[error(
        "{} was changed by another program while Gloss was saving it. Nothing was written; \
         Gloss merges the two and saves again",
        path.display()
    )]
    ChangedDuringSave { path: PathBuf },
    #[error(
        "the annotations were merged with the version of {} another program wrote, but the result \
         could not be shown here ({why}). Nothing was lost: reopen the document to see it",
        path.display()
    )]
    MergeFailed { path: PathBuf, why: String },
    #[error("will not save to {}: {why}", path.display())]
    Refused { path: PathBuf, why: String },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("could not encode the annotations: {0}")]
    Encode(String),
}

/// Where the annotations of `doc_path` live.
pub fn sidecar_path(doc_path: &Path) -> PathBuf {
    let mut s = doc_path.as_os_str().to_owned();
    s.push(SUFFIX);
    PathBuf::from(s)
}

impl Sidecar {
    pub fn new(doc: &Document, codebook: Codebook, mut annotations: Vec<Annotation>) -> Self {
        annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        Self {
            version: FORMAT_VERSION,
            document: DocumentInfo::of(doc),
            memo: String::new(),
            codebook,
            rejected: Vec::new(),
            annotations,
        }
    }

    pub fn to_ron(&self) -> Result<String, SidecarError> {
        to_ron(self, self.annotations.len())
    }

    /// Parses sidecar text; `path` only names the file in errors.
    pub fn from_ron(text: &str, path: &Path) -> Result<Self, SidecarError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let parse_err = |e: ron::error::SpannedError| SidecarError::Parse {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        };
        let parsed: Result<Self, _> = match parallel::parse(text) {
            Some(sc) => Ok(sc),
            None => ron::from_str(text),
        };
        // A newer file may not parse as this format, or parse and mean
        // something else: either way, say it is newer (the version is only
        // looked at on its own when needed: a second parse doubles the
        // time of opening 100,000 annotations).
        let newer = |v: Option<u32>| match v {
            Some(found) if found > FORMAT_VERSION => Some(SidecarError::FutureVersion {
                path: path.to_path_buf(),
                found,
                supported: FORMAT_VERSION,
            }),
            _ => None,
        };
        match parsed {
            Ok(sc) => match newer(Some(sc.version)) {
                Some(e) => Err(e),
                None => Ok(sc),
            },
            Err(e) => {
                let version = ron::Options::default()
                    .from_str::<VersionOnly>(text)
                    .ok()
                    .map(|v| v.version);
                Err(newer(version).unwrap_or_else(|| parse_err(e)))
            }
        }
    }

    /// Reads the sidecar at `path`; `Ok(None)` when there is none yet.
    pub fn load(path: &Path) -> Result<Option<Self>, SidecarError> {
        Ok(Self::load_with_fingerprint(path)?.map(|(sc, _)| sc))
    }

    /// Reads the sidecar at `path` with the fingerprint of the bytes read,
    /// so a later save can tell whether another program changed the file.
    pub fn load_with_fingerprint(path: &Path) -> Result<Option<(Self, Fingerprint)>, SidecarError> {
        let read_err = |source| SidecarError::Read {
            path: path.to_path_buf(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(read_err(e)),
        };
        if meta.len() > MAX_SIDECAR_BYTES {
            return Err(SidecarError::TooLarge {
                path: path.to_path_buf(),
                len: meta.len(),
            });
        }
        let bytes = std::fs::read(path).map_err(read_err)?;
        let fingerprint = Fingerprint::new(&bytes, &meta);
        let text = String::from_utf8(bytes).map_err(|e| SidecarError::Parse {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("not UTF-8 text ({e})"),
        })?;
        Ok(Some((Self::from_ron(&text, path)?, fingerprint)))
    }

    /// Writes atomically and returns the fingerprint of what was written.
    /// Backups and the check for outside changes are the session's. The
    /// file is written by [`Snapshot`]'s serialiser, the one every save
    /// uses, so there is one way a sidecar's bytes come out.
    pub fn save(&self, path: &Path) -> Result<Fingerprint, SidecarError> {
        self.snapshot().save(path)
    }

    /// The same content as a [`Snapshot`] (each annotation copied once).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            document: self.document.clone(),
            codebook: self.codebook.clone(),
            memo: self.memo.clone(),
            rejected: self.rejected.clone(),
            annotations: crate::model::Chunked::from_vec(
                self.annotations
                    .iter()
                    .map(|a| std::sync::Arc::new(a.clone()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;
    use time::macros::datetime;

    fn sample() -> (Document, Sidecar) {
        let doc = Document::new("a.txt", "Family 👨‍👩‍👧 said “no”\r\nשלום 中文 e\u{301}.".into());
        let t = datetime!(2026-11-29 12:00 UTC);
        let mut a = Annotation::new(&doc, CharRange::new(7, 12), vec!["source".into()], "Ana", t);
        a.note = "line one\nline “two”".into();
        let b = Annotation::new(
            &doc,
            CharRange::new(18, 22),
            vec!["claim".into(), "question".into()],
            "Ana",
            t,
        );
        let c = Annotation::new(&doc, CharRange::new(24, 28), vec![], "Bo", t);
        let sc = Sidecar::new(&doc, Codebook::default(), vec![c, b, a]);
        (doc, sc)
    }

    #[test]
    fn round_trips_exactly() {
        let (doc, sc) = sample();
        let text = sc.to_ron().unwrap();
        let back = Sidecar::from_ron(&text, Path::new("x")).unwrap();
        assert_eq!(back, sc);
        assert_eq!(back.annotations[0].quote, "👨‍👩‍👧");
        assert_eq!(back.annotations[1].quote, doc.slice(CharRange::new(18, 22)));
        assert_eq!(back.document.chars, doc.char_len());
        // Serialising again gives identical bytes: stable for git.
        assert_eq!(back.to_ron().unwrap(), text);
    }

    #[test]
    fn format_is_readable_and_ordered() {
        let (_, sc) = sample();
        let text = sc.to_ron().unwrap();
        assert!(text.contains("version: 1"), "{text}");
        assert!(
            text.contains("quote: \"“no”\""),
            "printable text stays readable: {text}"
        );
        assert!(
            text.contains("note: \"line one\\nline “two”\""),
            "one line per field: {text}"
        );
        assert!(text.contains("created: \"2026-11-29T12:00:00Z\""), "{text}");
        let starts: Vec<usize> = sc.annotations.iter().map(|a| a.start).collect();
        assert_eq!(starts, [7, 18, 24]);
    }

    #[test]
    fn corrupt_truncated_and_future_files_are_refused_with_reasons() {
        let (_, sc) = sample();
        let text = sc.to_ron().unwrap();
        let p = Path::new("doc.txt.annotations.ron");
        let truncated = &text[..text.len() / 2];
        let e = Sidecar::from_ron(truncated, p).unwrap_err();
        assert!(matches!(e, SidecarError::Parse { .. }), "{e}");
        assert!(e.to_string().contains("doc.txt.annotations.ron"));
        let e = Sidecar::from_ron("(version: 1, document: 7)", p).unwrap_err();
        assert!(matches!(e, SidecarError::Parse { line: 1, .. }), "{e}");
        let future = text.replace("version: 1", "version: 99");
        let e = Sidecar::from_ron(&future, p).unwrap_err();
        assert!(
            matches!(e, SidecarError::FutureVersion { found: 99, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("newer Gloss"));
    }

    #[test]
    fn deeply_nested_input_is_a_parse_error_not_a_crash() {
        let deep = format!(
            "(version: 1, document: {}{})",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = Sidecar::from_ron(&deep, Path::new("deep.ron")).unwrap_err();
        assert!(matches!(e, SidecarError::Parse { .. }), "{e}");
    }

    #[test]
    fn load_missing_is_none_and_save_is_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let p = sidecar_path(&dir.path().join("a.txt"));
        assert!(p.ends_with("a.txt.annotations.ron"));
        assert!(Sidecar::load(&p).unwrap().is_none());
        let (_, sc) = sample();
        sc.save(&p).unwrap();
        let mut fp = sc.save(&p).unwrap();
        assert_eq!(Sidecar::load(&p).unwrap().unwrap(), sc);
        assert!(crate::storage::Fingerprint::still_at(Some(&mut fp), &p).unwrap());
        std::fs::write(&p, [0xff, 0xfe, 0x00]).unwrap();
        assert!(matches!(Sidecar::load(&p), Err(SidecarError::Parse { .. })));
    }
}
