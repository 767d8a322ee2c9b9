//! A project's annotated documents held in memory between queries, so the
//! Passages window answers from memory: the first query reads every
//! document; later ones re-read only those whose file or sidecar changed
//! (by size and time), and take the window's open document as it is now.

use super::index::Stamp;
use super::{Current, Passage, Query, Stats, file::ProjectFile};
use crate::model::{Annotation, Codebook, Document};
use crate::session::Session;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One annotated document as read.
pub struct LoadedDoc {
    pub rel: String,
    pub path: PathBuf,
    stamps: (Stamp, Stamp),
    pub doc: Arc<Document>,
    /// Its codebook, with the project's hierarchy over it.
    pub codebook: Codebook,
    pub annotations: Vec<Annotation>,
}

#[derive(Default)]
pub struct Loaded {
    pub folder: PathBuf,
    pub docs: Vec<LoadedDoc>,
    /// Documents that could not be read last time, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

impl Loaded {
    pub fn new(folder: &Path) -> Self {
        Self {
            folder: folder.to_path_buf(),
            ..Self::default()
        }
    }

    /// Brings the documents up to date with the folder: new and changed
    /// ones are read (in parallel), unchanged ones kept, gone ones dropped.
    pub fn refresh(&mut self) -> std::io::Result<()> {
        let project = ProjectFile::load(&self.folder).ok().flatten();
        let mut links = Vec::new();
        let listed = super::annotated_documents_noting(&self.folder, &mut links)?;
        let mut old: std::collections::HashMap<PathBuf, LoadedDoc> = std::mem::take(&mut self.docs)
            .into_iter()
            .map(|d| (d.path.clone(), d))
            .collect();
        let mut keep: Vec<Option<LoadedDoc>> = Vec::with_capacity(listed.len());
        let mut read: Vec<(usize, String, PathBuf, (Stamp, Stamp))> = Vec::new();
        for (i, (rel, path)) in listed.into_iter().enumerate() {
            let stamps = (
                Stamp::of(&path),
                Stamp::of(&crate::sidecar::sidecar_path(&path)),
            );
            match old.remove(&path) {
                Some(d) if d.stamps == stamps => keep.push(Some(d)),
                _ => {
                    keep.push(None);
                    read.push((i, rel, path, stamps));
                }
            }
        }
        // Reading is most of the work: share it among the cores.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = read.len().div_ceil(threads).max(1);
        let project = project.as_ref();
        let results: Vec<(usize, Read)> = std::thread::scope(|s| {
            let handles: Vec<_> = read
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(i, rel, path, stamps)| {
                                (*i, load_one(rel, path, *stamps, project))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        self.skipped.clear();
        // Said beside the documents that could not be read, so `gloss
        // stats`, Statistics and Passages all name them.
        self.skipped.extend(
            links
                .into_iter()
                .map(|l| (l, super::LINK_SKIPPED.to_string())),
        );
        for (i, r) in results {
            match r {
                Ok(d) => keep[i] = Some(d),
                Err(e) => self.skipped.push(e),
            }
        }
        self.docs = keep.into_iter().flatten().collect();
        Ok(())
    }

    /// Calls `each` with every document `takes` (by relative path): the
    /// open one (`current`) as it is now, the others as read.
    pub fn each(
        &self,
        current: Option<&Current>,
        takes: &dyn Fn(&str) -> bool,
        each: &mut dyn FnMut(super::Seen<'_>),
    ) {
        // Where the open document lies under the folder, both named alike.
        let canonical = crate::storage::comparable;
        let root = canonical(&self.folder);
        let open = current.map(|c| (canonical(&c.path), c));
        let open = open.filter(|(at, _)| at.starts_with(&root));
        let open_rel = open.as_ref().map(|(at, _)| super::relative(&root, at));
        let mut current_done = false;
        let show_current = |each: &mut dyn FnMut(super::Seen<'_>)| {
            if let (Some((_, c)), Some(rel)) = (&open, &open_rel)
                && takes(rel)
            {
                let annotations: Vec<&Annotation> =
                    c.annotations.iter().map(|a| a.as_ref()).collect();
                let codebook = self.hierarchy(&c.codebook);
                each(super::Seen {
                    rel,
                    doc: &c.doc,
                    codebook: &codebook,
                    annotations: &annotations,
                });
            }
        };
        for d in &self.docs {
            if open_rel.as_deref() == Some(d.rel.as_str()) {
                continue;
            }
            if !current_done && open_rel.as_deref().is_some_and(|r| r < d.rel.as_str()) {
                show_current(each);
                current_done = true;
            }
            if !takes(&d.rel) {
                continue;
            }
            let annotations: Vec<&Annotation> = d.annotations.iter().collect();
            each(super::Seen {
                rel: &d.rel,
                doc: &d.doc,
                codebook: &d.codebook,
                annotations: &annotations,
            });
        }
        if !current_done {
            show_current(each);
        }
    }

    /// The open document's codebook with the hierarchy the others have.
    fn hierarchy(&self, own: &Codebook) -> Codebook {
        match ProjectFile::load(&self.folder).ok().flatten() {
            Some(mut p) => {
                p.adopt(own);
                p.codebook
            }
            None => own.clone(),
        }
    }

    pub fn passages(&self, query: &Query, current: Option<&Current>) -> Vec<Passage> {
        let mut out = Vec::new();
        self.each(current, &|rel| query.takes_document(rel), &mut |seen| {
            out.extend(super::passages::select(
                seen.rel,
                seen.doc,
                seen.codebook,
                seen.annotations,
                query,
            ))
        });
        out
    }

    pub fn stats(&self, current: Option<&Current>) -> Stats {
        let mut stats = Stats::default();
        self.each(current, &|_| true, &mut |seen| {
            stats.add(seen.rel, seen.doc.char_len(), seen.annotations)
        });
        stats
    }
}

/// A document read, or the path and why it could not be.
type Read = Result<LoadedDoc, (PathBuf, String)>;

fn load_one(rel: &str, path: &Path, stamps: (Stamp, Stamp), project: Option<&ProjectFile>) -> Read {
    let mut s = Session::open(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    let codebook = match project {
        Some(p) => {
            super::conform(&mut s, p);
            let mut p = p.clone();
            p.adopt(&s.store().codebook);
            p.codebook
        }
        None => s.store().codebook.clone(),
    };
    Ok(LoadedDoc {
        rel: rel.to_string(),
        path: path.to_path_buf(),
        stamps,
        annotations: s.store().annotations.iter().cloned().collect(),
        doc: s.doc().clone(),
        codebook,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;

    #[test]
    fn a_refresh_rereads_only_what_changed_and_drops_what_went() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let now = time::OffsetDateTime::UNIX_EPOCH;
        for (name, text) in [("a.txt", "Claim — 😀 one.\r\n"), ("b.txt", "Claim two.")] {
            std::fs::write(d.join(name), text).unwrap();
            let mut s = Session::open(&d.join(name)).unwrap();
            s.annotate(CharRange::new(0, 5), vec!["claim".into()], "A", now)
                .unwrap();
            s.save().unwrap();
        }
        let mut loaded = Loaded::new(d);
        loaded.refresh().unwrap();
        let query = Query {
            codes: vec!["claim".into()],
            ..Query::default()
        };
        assert_eq!(loaded.passages(&query, None).len(), 2);
        let kept = Arc::as_ptr(&loaded.docs[1].doc);
        let mut s = Session::open(&d.join("a.txt")).unwrap();
        s.annotate(CharRange::new(10, 13), vec!["claim".into()], "B", now)
            .unwrap();
        s.save().unwrap();
        loaded.refresh().unwrap();
        assert_eq!(loaded.passages(&query, None).len(), 3);
        assert_eq!(
            Arc::as_ptr(&loaded.docs[1].doc),
            kept,
            "b.txt was not read again"
        );
        std::fs::remove_file(crate::sidecar::sidecar_path(&d.join("b.txt"))).unwrap();
        loaded.refresh().unwrap();
        let docs: Vec<&str> = loaded.docs.iter().map(|d| d.rel.as_str()).collect();
        assert_eq!(docs, ["a.txt"]);
        // The open document counts as it is now, in path order.
        let mut open = Session::open(&d.join("b.txt")).unwrap();
        open.annotate(CharRange::new(0, 5), vec!["claim".into()], "C", now)
            .unwrap();
        let current = Current::of(&open).unwrap();
        let got: Vec<(String, String)> = loaded
            .passages(&query, Some(&current))
            .into_iter()
            .map(|p| (p.document, p.author))
            .collect();
        let want = [("a.txt", "A"), ("a.txt", "B"), ("b.txt", "C")];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }
}
