//! Code retrieval, as QDA tools do it: the passages coded with some codes,
//! kept or dropped by how they sit against passages with other codes.
//!
//! Exactly: the result is the annotations carrying any of `codes` (or a
//! code under one in the codebook's hierarchy; the same holds for X below); `and X`
//! keeps those that overlap (share at least one code point with) an
//! annotation coded X (the same annotation counts); `not X` keeps those
//! that overlap none; `near X:N` keeps those with an X annotation at most
//! N code points away (overlapping is 0 away); `author` keeps one author's;
//! `containing` keeps those whose quote holds a text (case-insensitive).
//! Annotations that no longer fit the document (orphans) have no place and
//! are not passages. One row per annotation.

use crate::model::{Annotation, CharRange, Codebook, Document};
use serde::Serialize;

#[derive(Clone, Debug, Default)]
pub struct Query {
    pub codes: Vec<String>,
    pub and: Vec<String>,
    pub not: Vec<String>,
    pub near: Vec<(String, usize)>,
    pub author: Option<String>,
    pub containing: Option<String>,
    /// Only these documents (paths relative to the folder, `/`-separated;
    /// a folder takes the documents under it); none: all.
    pub documents: Vec<String>,
}

impl Query {
    /// Whether the query looks into the document at `rel`.
    pub fn takes_document(&self, rel: &str) -> bool {
        self.documents.is_empty()
            || self.documents.iter().any(|d| {
                let d = d.trim_end_matches('/');
                rel == d || rel.strip_prefix(d).is_some_and(|r| r.starts_with('/'))
            })
    }
}

/// One retrieved passage. `start`/`end` are code points of the document
/// text (as in W3C and CSV exports), end exclusive.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    /// The annotation's id.
    pub id: crate::model::AnnotationId,
    /// The document's path relative to the folder, `/`-separated.
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub codes: Vec<String>,
    pub note: String,
    pub author: String,
    /// The sentence around the passage, on one line.
    pub context: String,
}

/// How far apart two ranges are in code points (0 when they overlap or
/// touch).
fn distance(a: CharRange, b: CharRange) -> usize {
    if a.overlaps(&b) {
        0
    } else {
        b.start
            .saturating_sub(a.end)
            .max(a.start.saturating_sub(b.end))
    }
}

/// The passages of one document that `q` selects, in document order.
pub fn select(
    document: &str,
    doc: &Document,
    codebook: &Codebook,
    all: &[&Annotation],
    q: &Query,
) -> Vec<Passage> {
    let placed: Vec<&Annotation> = all.iter().copied().filter(|a| !a.is_orphaned()).collect();
    let family = |code: &str| codebook.with_descendants(code);
    let has_any = |a: &Annotation, codes: &[String]| codes.iter().any(|c| a.has_tag(c));
    let codes: Vec<String> = q.codes.iter().flat_map(|c| family(c)).collect();
    // Whether an annotation coded `code` (or under it) lies within
    // `within` of `r`.
    let any_coded = |code: &str, r: CharRange, within: Option<usize>| {
        let family = family(code);
        placed.iter().any(|b| {
            has_any(b, &family)
                && match within {
                    None => b.range().overlaps(&r),
                    Some(n) => distance(r, b.range()) <= n,
                }
        })
    };
    let needle = q.containing.as_ref().map(|c| c.to_lowercase());
    let mut out: Vec<Passage> = placed
        .iter()
        .filter(|a| has_any(a, &codes))
        .filter(|a| q.author.as_ref().is_none_or(|who| &a.author == who))
        .filter(|a| {
            needle
                .as_ref()
                .is_none_or(|n| a.quote.to_lowercase().contains(n))
        })
        .filter(|a| q.and.iter().all(|x| any_coded(x, a.range(), None)))
        .filter(|a| !q.not.iter().any(|x| any_coded(x, a.range(), None)))
        .filter(|a| {
            q.near
                .iter()
                .all(|(x, n)| any_coded(x, a.range(), Some(*n)))
        })
        .map(|a| Passage {
            id: a.id.clone(),
            document: document.to_string(),
            start: a.start,
            end: a.end,
            quote: a.quote.clone(),
            codes: a.tags.clone(),
            note: a.note.clone(),
            author: a.author.clone(),
            context: context(doc, a.range()),
        })
        .collect();
    out.sort_by_key(|p| (p.start, p.end));
    out
}

/// How `gloss passages` writes its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// For reading in a terminal.
    Table,
    Csv,
    /// A Markdown table.
    Md,
    /// A self-contained page, every text escaped.
    Html,
    /// One JSON object per line.
    Jsonl,
}

/// `passages` written as `output`.
pub fn render(passages: &[Passage], output: Output) -> String {
    use crate::formats::report::{escape_html, escape_markdown};
    let codes = |p: &Passage| p.codes.join(", ");
    match output {
        Output::Table => passages
            .iter()
            .map(|p| {
                let note = if p.note.is_empty() {
                    String::new()
                } else {
                    format!("\n    note: {}", p.note.replace('\n', "\n          "))
                };
                format!(
                    "{}:{}-{} [{}] {}\n    “{}”{note}\n",
                    p.document,
                    p.start,
                    p.end,
                    codes(p),
                    p.author,
                    p.quote.replace('\n', " ")
                )
            })
            .collect(),
        Output::Csv => {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "document", "start", "end", "quote", "codes", "note", "author", "context",
            ]);
            for p in passages {
                // Safe to open in a spreadsheet (see `formats::csv`).
                let cell = |s: &str| crate::formats::csv::safe_cell(s).into_owned();
                let _ = w.write_record([
                    cell(&p.document),
                    p.start.to_string(),
                    p.end.to_string(),
                    cell(&p.quote),
                    cell(&p.codes.join(";")),
                    cell(&p.note),
                    cell(&p.author),
                    cell(&p.context),
                ]);
            }
            // Writing to memory cannot fail.
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Output::Md => {
            let mut out = String::from(
                "| document | position | codes | passage | note | author |\n|---|---|---|---|---|---|\n",
            );
            for p in passages {
                let cell = |s: &str| escape_markdown(s).replace('\n', "<br>");
                out.push_str(&format!(
                    "| {} | {}–{} | {} | {} | {} | {} |\n",
                    cell(&p.document),
                    p.start,
                    p.end,
                    cell(&codes(p)),
                    cell(&p.quote),
                    cell(&p.note),
                    cell(&p.author)
                ));
            }
            out
        }
        Output::Html => {
            let mut out = String::from(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
                 <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
                 <title>Passages</title><style>body{font-family:sans-serif;max-width:60em;margin:auto}\
                 td{vertical-align:top;padding:.3em;border-bottom:1px solid #ccc}</style></head><body>\n\
                 <table><tr><th>document</th><th>position</th><th>codes</th><th>passage</th><th>note</th><th>author</th></tr>\n",
            );
            for p in passages {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    escape_html(&p.document),
                    p.start,
                    p.end,
                    escape_html(&codes(p)),
                    escape_html(&p.quote),
                    escape_html(&p.note),
                    escape_html(&p.author)
                ));
            }
            out.push_str("</table></body></html>\n");
            out
        }
        Output::Jsonl => passages
            .iter()
            .filter_map(|p| serde_json::to_string(p).ok())
            .map(|line| line + "\n")
            .collect(),
    }
}

/// The sentence (or sentences) around a passage, on one line: from the
/// end of the sentence before it to the end of its last one, at most 160
/// characters either side.
pub fn context(doc: &Document, r: CharRange) -> String {
    const AROUND: usize = 160;
    let ends = |c: char| matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '\n' | '\u{c}');
    let start = r.start.saturating_sub(AROUND);
    let before = doc.slice(CharRange::new(start, r.start));
    let from = match before.char_indices().rev().find(|(_, c)| ends(*c)) {
        Some((b, c)) => r.start - before[b + c.len_utf8()..].chars().count(),
        None => start,
    };
    let end = (r.end + AROUND).min(doc.char_len());
    let after = doc.slice(CharRange::new(r.end, end));
    // A passage that ends its sentence already has its full stop.
    let to = match after.char_indices().find(|(_, c)| ends(*c)) {
        _ if doc.slice(r).ends_with(ends) => r.end,
        Some((b, c)) => r.end + after[..b].chars().count() + usize::from(c != '\n'),
        None => end,
    };
    let text = doc.slice(CharRange::new(from, to.max(r.end)));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::ann_tagged;

    fn doc() -> Document {
        // "drone" is 26..31, "were" 40..44.
        Document::new(
            "d.txt",
            "Officials “said” — café 😀 drone strikes were near.".into(),
        )
    }

    fn q(codes: &[&str]) -> Query {
        Query {
            codes: codes.iter().map(|c| c.to_string()).collect(),
            ..Query::default()
        }
    }

    fn ranges(p: &[Passage]) -> Vec<(usize, usize)> {
        p.iter().map(|p| (p.start, p.end)).collect()
    }

    #[test]
    fn and_not_near_follow_the_stated_semantics() {
        let d = doc();
        let anns = [
            ann_tagged(&d, 0, 9, &["claim"]),             // Officials
            ann_tagged(&d, 10, 16, &["claim", "source"]), // “said”
            ann_tagged(&d, 26, 31, &["claim"]),           // drone
            ann_tagged(&d, 5, 12, &["evidence"]),         // overlaps 0..9 and 10..16
            ann_tagged(&d, 40, 44, &["evidence"]),        // 9 after "drone" ends
            ann_tagged(&d, 31, 39, &["question"]),        // touches "drone"
        ];
        let refs: Vec<&Annotation> = anns.iter().collect();
        let cb = Codebook::default();
        let run = |q: &Query| ranges(&select("d.txt", &d, &cb, &refs, q));
        assert_eq!(run(&q(&["claim"])), [(0, 9), (10, 16), (26, 31)]);
        assert_eq!(
            run(&q(&["claim", "question"])),
            [(0, 9), (10, 16), (26, 31), (31, 39)]
        );
        // The same annotation counts for --and: "said" is claim and source.
        let and = Query {
            and: vec!["source".into()],
            ..q(&["claim"])
        };
        assert_eq!(run(&and), [(10, 16)]);
        let and_evidence = Query {
            and: vec!["evidence".into()],
            ..q(&["claim"])
        };
        assert_eq!(run(&and_evidence), [(0, 9), (10, 16)]);
        let not = Query {
            not: vec!["evidence".into()],
            ..q(&["claim"])
        };
        assert_eq!(run(&not), [(26, 31)]);
        // 40 - 31 = 9 code points away: near at 9, not at 8.
        let near = |n| Query {
            near: vec![("evidence".into(), n)],
            not: vec!["source".into()],
            ..q(&["claim"])
        };
        assert_eq!(run(&near(9)), [(0, 9), (26, 31)]);
        assert_eq!(run(&near(8)), [(0, 9)]);
        // Touching is not overlapping, but nothing lies between: 0 away.
        let touching = Query {
            and: vec!["question".into()],
            ..q(&["claim"])
        };
        assert_eq!(run(&touching), Vec::<(usize, usize)>::new());
        let touching_near = Query {
            near: vec![("question".into(), 0)],
            ..q(&["claim"])
        };
        assert_eq!(run(&touching_near), [(26, 31)]);
    }

    #[test]
    fn a_code_retrieves_the_passages_of_the_codes_under_it() {
        let d = doc();
        let mut cb = Codebook::default();
        cb.tags
            .push(crate::model::Tag::new("factual", "#000000", "").under("claim"));
        let anns = [
            ann_tagged(&d, 0, 9, &["factual"]),
            ann_tagged(&d, 26, 31, &["claim"]),
            ann_tagged(&d, 5, 12, &["source"]),
        ];
        let refs: Vec<&Annotation> = anns.iter().collect();
        assert_eq!(
            ranges(&select("d", &d, &cb, &refs, &q(&["claim"]))),
            [(0, 9), (26, 31)]
        );
        let and = Query {
            and: vec!["claim".into()],
            ..q(&["source"])
        };
        assert_eq!(ranges(&select("d", &d, &cb, &refs, &and)), [(5, 12)]);
        assert_eq!(
            ranges(&select("d", &d, &cb, &refs, &q(&["factual"]))),
            [(0, 9)]
        );
    }

    #[test]
    fn context_is_the_surrounding_sentence() {
        let d = Document::new(
            "s.txt",
            "First one. He said “no” — 😀 twice!\r\nNext line. 市长说。后来".into(),
        );
        // “no” is 19..23.
        assert_eq!(
            context(&d, CharRange::new(19, 23)),
            "He said “no” — 😀 twice!"
        );
        // A passage ending its sentence; CJK full stops end sentences too.
        let cjk = d.text().chars().position(|c| c == '市').unwrap();
        assert_eq!(context(&d, CharRange::new(cjk, cjk + 4)), "市长说。");
        // No sentence end nearby: capped either side.
        let long = Document::new("l.txt", "word ".repeat(200));
        let c = context(&long, CharRange::new(500, 504));
        assert!(c.split(' ').count() <= 66, "{}", c.len());
    }

    #[test]
    fn author_text_and_orphans() {
        let d = doc();
        let mut anns = [
            ann_tagged(&d, 0, 9, &["claim"]),
            ann_tagged(&d, 26, 31, &["claim"]),
            ann_tagged(&d, 10, 16, &["claim"]),
        ];
        anns[1].author = "Ben".into();
        anns[2].anchoring = crate::model::Anchoring::Orphaned;
        let refs: Vec<&Annotation> = anns.iter().collect();
        let by_ben = Query {
            author: Some("Ben".into()),
            ..q(&["claim"])
        };
        let cb = Codebook::default();
        let got = select("sub/d.txt", &d, &cb, &refs, &by_ben);
        assert_eq!(ranges(&got), [(26, 31)]);
        assert_eq!(got[0].document, "sub/d.txt");
        assert_eq!(got[0].quote, "drone");
        assert!(
            got[0].context.contains("café 😀 drone strikes"),
            "{}",
            got[0].context
        );
        let containing = Query {
            containing: Some("OFFICIALS".into()),
            ..q(&["claim"])
        };
        assert_eq!(ranges(&select("d", &d, &cb, &refs, &containing)), [(0, 9)]);
        // The orphan is no passage.
        assert_eq!(
            ranges(&select("d", &d, &cb, &refs, &q(&["claim"]))),
            [(0, 9), (26, 31)]
        );
    }
}
