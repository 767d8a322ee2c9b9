//! The documents and annotation files the suite measures, generated once
//! per run into a temporary folder.

use gloss::model::{Annotation, Codebook, Document, PALETTE, Tag};
use gloss::sidecar::{Sidecar, sidecar_path};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

pub struct Doc {
    pub name: String,
    pub text: String,
}

pub struct Corpus {
    pub dir: tempfile::TempDir,
    pub docs: Vec<Doc>,
    pub counts: Vec<usize>,
    written: RefCell<HashMap<(usize, usize), PathBuf>>,
}

/// The codebook of the generated annotations' six tags, plus "focus".
pub fn codebook() -> Codebook {
    let mut cb = Codebook::default();
    for (i, name) in ["method", "quote", "focus"].into_iter().enumerate() {
        if cb.get(name).is_none() {
            cb.tags
                .push(Tag::new(name, PALETTE[(4 + i) % PALETTE.len()], ""));
        }
    }
    cb
}

impl Corpus {
    pub fn build(quick: bool) -> Self {
        let big = if quick { 1 } else { 50 };
        let mb = 1024 * 1024;
        let mut docs = vec![Doc {
            name: "8 KB sample".into(),
            text: gloss::sample::ARTICLE.into(),
        }];
        for size in [1, 5, big] {
            if docs.iter().any(|d| d.text.len() == size * mb) {
                continue;
            }
            docs.push(Doc {
                name: format!("{size} MB"),
                text: gloss::sample::prose(size * mb, false),
            });
        }
        docs.push(Doc {
            name: "2 MB, one line".into(),
            text: gloss::sample::prose(2 * mb, true),
        });
        let counts = if quick {
            vec![0, 1_000, 10_000]
        } else {
            vec![0, 1_000, 10_000, 100_000]
        };
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            docs,
            counts,
            written: Default::default(),
        }
    }

    /// The largest annotation count measured.
    pub fn most(&self) -> usize {
        *self.counts.last().unwrap_or(&0)
    }

    /// Index of the largest prose document (the single line comes last).
    pub fn biggest(&self) -> usize {
        self.docs.len() - 2
    }

    pub fn medium(&self) -> usize {
        2
    }

    /// `n` generated annotations on document `d` (every fourth also
    /// tagged "focus": a tag used by exactly a quarter of them).
    pub fn annotations(&self, d: usize, n: usize) -> Vec<Annotation> {
        let doc = Document::new("doc.txt", self.docs[d].text.clone());
        let mut anns = gloss::sample::annotations(&doc, n);
        for a in anns.iter_mut().step_by(4) {
            a.tags.push("focus".into());
        }
        anns
    }

    /// A file holding document `d` with a sidecar of `n` generated
    /// annotations (`None`: the sample's own), written on first use.
    pub fn file(&self, d: usize, n: Option<usize>) -> PathBuf {
        let key = (d, n.unwrap_or(usize::MAX));
        if let Some(p) = self.written.borrow().get(&key) {
            return p.clone();
        }
        let folder = self.dir.path().join(format!("d{d}-n{}", key.1));
        std::fs::create_dir_all(&folder).expect("a folder for the document");
        let path = folder.join(if n.is_none() {
            "article.txt"
        } else {
            "doc.txt"
        });
        std::fs::write(&path, &self.docs[d].text).expect("the document written");
        match n {
            None => std::fs::write(sidecar_path(&path), gloss::sample::ANNOTATIONS)
                .expect("the sample's sidecar written"),
            Some(0) => {}
            Some(n) => {
                let doc = Document::new("doc.txt", self.docs[d].text.clone());
                Sidecar::new(&doc, codebook(), self.annotations(d, n))
                    .save(&sidecar_path(&path))
                    .map(|_| ())
                    .expect("the sidecar written");
            }
        }
        self.written.borrow_mut().insert(key, path.clone());
        path
    }
}
