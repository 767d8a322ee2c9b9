//! The model without a window: sidecar save and load, search, re-anchoring,
//! exchange formats.

use crate::corpus::{Corpus, codebook};
use crate::report::{Report, Table, count, mark, ms, once};
use gloss::formats::{Format, Source};
use gloss::model::Document;
use gloss::sidecar::Sidecar;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

pub fn sidecar(corpus: &Corpus, report: &mut Report) {
    let d = corpus.medium();
    let mut t = Table::new(
        &format!(
            "Sidecar: save and load on the {} document",
            corpus.docs[d].name
        ),
        "Save: serialise and write atomically (temp file, fsync, rename). Load: read, \
         parse and check. Target: loading 100,000 annotations well under a second.",
        &["annotations", "file", "save", "load", "target"],
    );
    report.start(&t);
    let doc = Document::new("doc.txt", corpus.docs[d].text.clone());
    let dir = tempfile::tempdir().expect("a folder");
    for &n in &corpus.counts {
        let sc = Sidecar::new(&doc, codebook(), corpus.annotations(d, n));
        let path = dir.path().join(format!("{n}.annotations.ron"));
        let (save, _) = once(|| sc.save(&path).expect("saved"));
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let (load, back) = once(|| Sidecar::load(&path).expect("loaded"));
        assert_eq!(back.map(|s| s.annotations.len()), Some(n));
        t.row(vec![
            count(n),
            format!("{:.1} MB", size as f64 / 1e6),
            ms(save),
            ms(load),
            mark(load < Duration::from_millis(500)).into(),
        ]);
    }
    report.add(t);
}

pub fn search(corpus: &Corpus, report: &mut Report) {
    let d = corpus.biggest();
    let mut t = Table::new(
        &format!("Search in the {} document", corpus.docs[d].name),
        "The find bar's search, on its background thread: the first batch of matches \
         (what the view shows first) and all of them.",
        &["query", "matches", "first match", "all matches"],
    );
    report.start(&t);
    let doc = Document::new("doc.txt", corpus.docs[d].text.clone());
    let queries = [
        (
            "“drone” (common word)",
            gloss::search::Query::plain("drone"),
        ),
        (
            "“Kraków council” (rare phrase)",
            gloss::search::Query::plain("Kraków council"),
        ),
        (
            "regex `\\bcoöp\\w+`, whole text",
            gloss::search::Query {
                text: r"\bcoöp\w+".into(),
                regex: true,
                ..gloss::search::Query::plain("")
            },
        ),
    ];
    for (name, q) in queries {
        let start = Instant::now();
        let mut first = None;
        let mut n = 0;
        gloss::search::find_all(&doc, &q, &AtomicBool::new(false), |batch| {
            first.get_or_insert_with(|| start.elapsed());
            n += batch.len();
        })
        .expect("searched");
        let all = start.elapsed();
        t.row(vec![
            name.into(),
            count(n),
            ms(first.unwrap_or(all)),
            ms(all),
        ]);
    }
    report.add(t);
}

pub fn reanchor(corpus: &Corpus, report: &mut Report) {
    let d = corpus.medium();
    let n = 10_000;
    let mut t = Table::new(
        &format!(
            "Re-anchoring {} annotations on the {} document",
            count(n),
            corpus.docs[d].name
        ),
        "After another program edited the text: with only the annotations' quotes and \
         context, and with the old text too (a diff maps positions first).",
        &["edit", "with", "time", "result"],
    );
    report.start(&t);
    let text = &corpus.docs[d].text;
    let old = Document::new("doc.txt", text.clone());
    // In document order, as a sidecar holds them.
    let mut anns = gloss::sample::annotations(&old, n);
    anns.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let at = text.ceil_char_boundary(1000);
    let small = format!("{} A new sentence, inserted. {}", &text[..at], &text[at..]);
    let cut = text.ceil_char_boundary(text.len() / 2);
    let end = text.ceil_char_boundary(cut + text.len() / 10);
    let large = format!("{}{}", &text[..cut], &text[end..]);
    for (edit, new_text) in [
        ("a sentence inserted near the top", &small),
        ("10% deleted in the middle", &large),
    ] {
        let new = Document::new("doc.txt", new_text.clone());
        for (with, old_text) in [
            ("quote + context", None),
            ("the old text", Some(text.as_str())),
        ] {
            let mut a = anns.clone();
            let (took, r) = once(|| gloss::anchor::anchor_all(&new, &mut a, old_text));
            t.row(vec![edit.into(), with.into(), ms(took), r.to_string()]);
        }
    }
    t.outro = "The old text, when known (the window keeps it when another program edits an open document), maps positions through a diff first. Without it, each annotation is looked for where the one before it moved to, then near, then in the whole text (exact, then approximate) within a budget; after a long deleted stretch has spent that budget, every 16th annotation still gets a search, and a pass from the end places those before the first one found. Only annotations whose text is gone are orphans: kept, listed, re-attachable.".into();
    report.add(t);
}

pub fn formats(corpus: &Corpus, report: &mut Report) {
    let d = corpus.medium();
    let n = corpus.most();
    let mut t = Table::new(
        &format!(
            "Exchange formats: {} annotations on the {} document (CRLF line ends)",
            count(n),
            corpus.docs[d].name
        ),
        "Exports and imports run on a background thread in the window. Target: seconds \
         at most.",
        &["operation", "time", "target"],
    );
    report.start(&t);
    let doc = Document::new("doc.txt", corpus.docs[d].text.replace('\n', "\r\n"));
    let anns = gloss::sample::annotations(&doc, n);
    let cb = codebook();
    let source = Source {
        doc: &doc,
        codebook: &cb,
        annotations: anns.iter().collect(),
        uri: "file:///doc.txt".into(),
        memo: "",
    };
    let seconds = |d: Duration| mark(d < Duration::from_secs(3)).to_string();
    for format in [Format::Csv, Format::W3c, Format::Brat, Format::Jsonl] {
        let (took, _) =
            once(|| gloss::formats::export(format, &source, "doc.txt").expect("exported"));
        t.row(vec![
            format!("export {}", format.name()),
            ms(took),
            seconds(took),
        ]);
    }
    for format in [Format::Brat, Format::Jsonl, Format::W3c] {
        let out = gloss::formats::export(format, &source, "doc.txt").expect("exported");
        let bytes = &out.files[0].1;
        let (took, got) = once(|| gloss::formats::import(format, &doc, bytes).expect("imported"));
        assert!(got.annotations.len() <= n);
        t.row(vec![
            format!("import {}", format.name()),
            ms(took),
            seconds(took),
        ]);
    }
    report.add(t);
}
