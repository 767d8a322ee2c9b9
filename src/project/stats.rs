//! The numbers behind a folder's coding: codes per document, coverage,
//! co-occurrence and codes per author (`gloss stats`).
//!
//! Coverage is the share of a document's chars inside at least one placed
//! annotation. Two codes co-occur once for every pair of overlapping placed
//! annotations (sharing at least one code point) where one carries each
//! code, and once for every annotation carrying both. Orphans count as
//! annotations of their codes but cover nothing and overlap nothing.

use crate::model::{Annotation, CharRange};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentStats {
    /// Relative to the folder, `/`-separated.
    pub document: String,
    pub chars: usize,
    pub annotations: usize,
    /// Annotations per code (an annotation with two codes counts for both).
    pub codes: BTreeMap<String, usize>,
    pub coded_chars: usize,
    /// `coded_chars / chars` (0 for an empty document).
    pub coverage: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub documents: Vec<DocumentStats>,
    /// Annotations per code over all documents.
    pub codes: BTreeMap<String, usize>,
    /// (code, other code) → how often they co-occur; each pair once, in
    /// name order.
    pub cooccurrence: BTreeMap<String, BTreeMap<String, usize>>,
    /// author → code → annotations.
    pub authors: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Stats {
    /// Adds one document's annotations.
    pub fn add(&mut self, document: &str, chars: usize, annotations: &[&Annotation]) {
        let mut d = DocumentStats {
            document: document.to_string(),
            chars,
            annotations: annotations.len(),
            ..DocumentStats::default()
        };
        for a in annotations {
            for t in &a.tags {
                *d.codes.entry(t.clone()).or_default() += 1;
                *self.codes.entry(t.clone()).or_default() += 1;
                *self
                    .authors
                    .entry(a.author.clone())
                    .or_default()
                    .entry(t.clone())
                    .or_default() += 1;
            }
        }
        let mut placed: Vec<&Annotation> = annotations
            .iter()
            .copied()
            .filter(|a| !a.is_orphaned() && a.end > a.start)
            .collect();
        placed.sort_by_key(|a| (a.start, a.end));
        d.coded_chars = covered(placed.iter().map(|a| a.range()));
        d.coverage = if chars == 0 {
            0.0
        } else {
            d.coded_chars as f64 / chars as f64
        };
        // Every annotation with both codes, then every overlapping pair
        // (a sweep: each annotation against those that start before it ends).
        for a in &placed {
            self.pairs(&a.tags, &a.tags);
        }
        for (i, a) in placed.iter().enumerate() {
            for b in placed[i + 1..].iter().take_while(|b| b.start < a.end) {
                self.pairs(&a.tags, &b.tags);
            }
        }
        self.documents.push(d);
    }

    /// Counts each pair of distinct codes, one from `x` and one from `y`,
    /// once (whichever order the codes come in).
    fn pairs(&mut self, x: &[String], y: &[String]) {
        let mut seen: Vec<(&String, &String)> = Vec::new();
        for p in x {
            for q in y {
                if p == q {
                    continue;
                }
                let (lo, hi) = if p < q { (p, q) } else { (q, p) };
                if seen.contains(&(lo, hi)) {
                    continue;
                }
                seen.push((lo, hi));
                *self
                    .cooccurrence
                    .entry(lo.clone())
                    .or_default()
                    .entry(hi.clone())
                    .or_default() += 1;
            }
        }
    }
}

/// How `gloss stats` writes the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Table,
    /// Long form: `table,document,code,other,author,value`.
    Csv,
    Json,
}

pub fn render(s: &Stats, output: Output) -> String {
    match output {
        Output::Json => serde_json::to_string_pretty(s).unwrap_or_default() + "\n",
        Output::Csv => {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            // Safe to open in a spreadsheet (see `formats::csv`).
            let mut row = |cells: [&str; 6]| {
                let _ =
                    w.write_record(cells.map(|c| crate::formats::csv::safe_cell(c).into_owned()));
            };
            row(["table", "document", "code", "other", "author", "value"]);
            for d in &s.documents {
                row(["chars", &d.document, "", "", "", &d.chars.to_string()]);
                row([
                    "annotations",
                    &d.document,
                    "",
                    "",
                    "",
                    &d.annotations.to_string(),
                ]);
                row([
                    "coverage",
                    &d.document,
                    "",
                    "",
                    "",
                    &format!("{:.6}", d.coverage),
                ]);
                for (code, n) in &d.codes {
                    row(["code", &d.document, code, "", "", &n.to_string()]);
                }
            }
            for (a, others) in &s.cooccurrence {
                for (b, n) in others {
                    row(["cooccurrence", "", a, b, "", &n.to_string()]);
                }
            }
            for (author, codes) in &s.authors {
                for (code, n) in codes {
                    row(["author", "", code, "", author, &n.to_string()]);
                }
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Output::Table => {
            let mut out = String::new();
            let mut line = |l: String| {
                out.push_str(&l);
                out.push('\n');
            };
            for d in &s.documents {
                line(format!(
                    "{}: {}, {:.1}% of the text coded",
                    d.document,
                    crate::words::plural(d.annotations, "annotation"),
                    d.coverage * 100.0
                ));
                for (code, n) in &d.codes {
                    line(format!("  {code:<24} {n:>6}"));
                }
            }
            if s.documents.len() > 1 {
                let all: usize = s.documents.iter().map(|d| d.annotations).sum();
                line(format!(
                    "all {} documents: {}",
                    s.documents.len(),
                    crate::words::plural(all, "annotation")
                ));
                for (code, n) in &s.codes {
                    line(format!("  {code:<24} {n:>6}"));
                }
            }
            if !s.cooccurrence.is_empty() {
                line("co-occurrence (overlapping passages)".into());
                for (a, others) in &s.cooccurrence {
                    for (b, n) in others {
                        line(format!("  {:<40} {n:>6}", format!("{a} + {b}")));
                    }
                }
            }
            if s.authors.len() > 1 {
                line("by author".into());
                for (author, codes) in &s.authors {
                    let list: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
                    line(format!("  {author}: {}", list.join(", ")));
                }
            }
            out
        }
    }
}

/// The share (0–1) of a document of `chars` chars that its placed
/// annotations cover; `annotations` in document order (by start), as an
/// `AnnotationSet` holds them. One sweep: counted off the UI thread.
pub fn share_coded<'a>(annotations: impl Iterator<Item = &'a Annotation>, chars: usize) -> f64 {
    if chars == 0 {
        return 0.0;
    }
    let placed = annotations.filter(|a| !a.is_orphaned() && a.end > a.start);
    covered(placed.map(|a| a.range())) as f64 / chars as f64
}

/// Chars inside at least one of `ranges` (sorted by start).
pub(crate) fn covered(ranges: impl Iterator<Item = CharRange>) -> usize {
    let mut total = 0;
    let mut reach = 0;
    for r in ranges {
        let start = r.start.max(reach);
        if r.end > start {
            total += r.end - start;
        }
        reach = reach.max(r.end);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;
    use crate::model::testutil::ann_tagged;

    #[test]
    fn counts_coverage_and_cooccurrence() {
        let d = Document::new("d", "0123456789abcdefghij".into());
        let mut anns = [
            ann_tagged(&d, 0, 5, &["claim", "source"]),
            ann_tagged(&d, 3, 8, &["evidence"]),
            ann_tagged(&d, 8, 10, &["claim"]),
            ann_tagged(&d, 15, 20, &["source"]),
            ann_tagged(&d, 2, 4, &["source"]),
        ];
        anns[3].author = "Ben".into();
        let refs: Vec<&Annotation> = anns.iter().collect();
        let mut s = Stats::default();
        s.add("d", 20, &refs);
        let doc = &s.documents[0];
        assert_eq!(doc.annotations, 5);
        assert_eq!(doc.codes["claim"], 2);
        assert_eq!(doc.codes["source"], 3);
        // 0..10 and 15..20.
        assert_eq!(doc.coded_chars, 15);
        assert!((doc.coverage - 0.75).abs() < 1e-12);
        // claim+source on one annotation (1); 0..5 overlaps 3..8
        // (claim-evidence, evidence-source) and 2..4 (claim-source; source
        // with itself is no pair); 3..8 overlaps 2..4 (evidence-source);
        // 8..10 touches 3..8 only.
        assert_eq!(s.cooccurrence["claim"]["source"], 2);
        assert_eq!(s.cooccurrence["claim"]["evidence"], 1);
        assert_eq!(s.cooccurrence["evidence"]["source"], 2);
        assert_eq!(s.cooccurrence.get("source"), None);
        assert_eq!(s.authors["Ben"]["source"], 1);
        assert_eq!(s.authors["t"]["source"], 2);
    }
}
