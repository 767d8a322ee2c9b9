//! How Gloss scales: document length and annotation count.
//!
//! `cargo bench --bench scale` prints timings for the model on a 4 MB text
//! with 100,000 annotations, and for real frames of the window (driven
//! headless by egui_kittest) on the 8 KB sample and on a 4 MB book: the
//! frame times should be about the same for both, since only the visible
//! lines are laid out.

use egui_kittest::Harness;
use gloss::model::{Annotation, AnnotationSet, CharRange, Document, Op, Store};
use gloss::ui::prefs::Prefs;
use gloss::ui::{AppOptions, GlossApp};
use std::hint::black_box;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

fn time<R>(label: &str, runs: u32, mut f: impl FnMut() -> R) -> Duration {
    black_box(f());
    let start = Instant::now();
    for _ in 0..runs {
        black_box(f());
    }
    let per = start.elapsed() / runs;
    println!("{label:<58} {:>12.1} µs", per.as_secs_f64() * 1e6);
    per
}

fn book() -> String {
    gloss::sample::ARTICLE.repeat(4 * 1024 * 1024 / gloss::sample::ARTICLE.len())
}

fn annotations(doc: &Document, n: usize) -> Vec<Annotation> {
    let step = (doc.char_len() / n).max(2);
    (0..n)
        .map(|i| {
            let s = i * step;
            let tags = vec![["claim", "source", "evidence", "question"][i % 4].to_string()];
            Annotation::new(
                doc,
                CharRange::new(s, (s + 40).min(doc.char_len())),
                tags,
                "bench",
                OffsetDateTime::UNIX_EPOCH,
            )
        })
        .collect()
}

fn model() {
    println!("== model (4 MB text, 100,000 annotations)");
    let text = book();
    let doc = time("Document::new (lines, checkpoints)", 5, || {
        Document::new("book", text.clone())
    });
    let _ = doc;
    let doc = Document::new("book", text.clone());
    let n = doc.char_len();
    time("100,000 char→byte conversions", 5, || {
        (0..100_000)
            .map(|i| doc.byte_offset(i * 37 % n))
            .sum::<usize>()
    });
    time("10,000 grapheme snaps", 5, || {
        (0..10_000)
            .map(|i| {
                doc.snap_to_graphemes(CharRange::new(i * 401 % n, i * 401 % n + 3))
                    .end
            })
            .sum::<usize>()
    });
    let anns = annotations(&doc, 100_000);
    time("AnnotationSet::from_vec(100,000)", 5, || {
        AnnotationSet::from_vec(anns.clone())
    });
    let set = AnnotationSet::from_vec(anns.clone());
    time("overlapping() for one screen (3,000 chars)", 1000, || {
        set.overlapping(CharRange::new(n / 2, n / 2 + 3000)).count()
    });
    let mut store = Store {
        annotations: set,
        ..Store::default()
    };
    let extra = Annotation::new(
        &doc,
        CharRange::new(n / 2, n / 2 + 10),
        vec![],
        "b",
        OffsetDateTime::UNIX_EPOCH,
    );
    time("insert + undo one annotation among 100,000", 20, || {
        let inv = store.apply(vec![Op::Insert(extra.clone())]).unwrap();
        store.apply(inv).unwrap();
    });
    // Exchange formats at 100,000 annotations (brat offsets and JSONL label
    // merging used to be quadratic).
    let crlf_text = text.replace('\n', "\r\n");
    let crlf_doc = Document::new("book", crlf_text);
    let many = annotations(&crlf_doc, 100_000);
    let codebook = gloss::model::Codebook::default();
    let source = gloss::formats::Source {
        doc: &crlf_doc,
        codebook: &codebook,
        annotations: many.iter().collect(),
        uri: "file:///book".into(),
    };
    for format in [
        gloss::formats::Format::Csv,
        gloss::formats::Format::W3c,
        gloss::formats::Format::Brat,
        gloss::formats::Format::Jsonl,
    ] {
        time(
            &format!("export {} (100,000 annotations, CRLF)", format.name()),
            1,
            || {
                gloss::formats::export(format, &source, "book.txt")
                    .unwrap()
                    .files
                    .len()
            },
        );
    }
    let brat = gloss::formats::export(gloss::formats::Format::Brat, &source, "book.txt").unwrap();
    let ann = &brat.files[0].1;
    time("import brat (100,000 annotations, CRLF)", 1, || {
        gloss::formats::import(gloss::formats::Format::Brat, &crlf_doc, ann)
            .unwrap()
            .annotations
            .len()
    });
    let jsonl = gloss::formats::export(gloss::formats::Format::Jsonl, &source, "book.txt").unwrap();
    let labels_only = {
        let v: serde_json::Value = serde_json::from_slice(&jsonl.files[0].1).unwrap();
        serde_json::json!({"text": v["text"], "label": v["label"]}).to_string()
    };
    time("import JSONL labels (100,000)", 1, || {
        gloss::formats::import(
            gloss::formats::Format::Jsonl,
            &crlf_doc,
            labels_only.as_bytes(),
        )
        .unwrap()
        .annotations
        .len()
    });
    let sc = gloss::sidecar::Sidecar::new(&doc, Default::default(), annotations(&doc, 10_000));
    time("sidecar to RON, 10,000 annotations", 3, || {
        sc.to_ron().unwrap().len()
    });
}

/// Re-anchoring 10,000 annotations on the 4 MB book (the sample repeated,
/// so every quote occurs hundreds of times: the hard case for finding the
/// right occurrence) after a small and a large edit, with and without the
/// old text, and with one- and two-character quotes.
fn reanchor() {
    println!("== re-anchoring (4 MB text, 10,000 annotations)");
    let text = book();
    let old = Document::new("book", text.clone());
    let anns = annotations(&old, 10_000);
    let small = format!("{} A NEW SENTENCE. {}", &text[..1000], &text[1000..]);
    let cut = text.len() / 2;
    let cut = text.ceil_char_boundary(cut);
    let end = text.ceil_char_boundary(cut + text.len() / 10);
    let large = format!("{}{}", &text[..cut], &text[end..]);
    for (label, new_text) in [("small edit", &small), ("10% deleted", &large)] {
        let new = Document::new("book", new_text.clone());
        for (how, old_text) in [
            ("quote + context", None),
            ("diff of old text", Some(text.as_str())),
        ] {
            let mut report = None;
            time(&format!("{label}, {how}"), 1, || {
                let mut a = anns.clone();
                report = Some(gloss::anchor::anchor_all(&new, &mut a, old_text));
            });
            println!("{:<58} {}", "", report.unwrap());
        }
    }
    // Every quote gone (the text upper-cased): nothing is found exactly,
    // and the approximate searches stop at their budget.
    let rewritten = Document::new("book", text.to_uppercase());
    let mut report = None;
    time(
        "text rewritten, every quote gone, quote + context",
        1,
        || {
            let mut a = anns.clone();
            report = Some(gloss::anchor::anchor_all(&rewritten, &mut a, None));
        },
    );
    println!("{:<58} {}", "", report.unwrap());
    let tiny: Vec<Annotation> = (0..10_000)
        .map(|i| {
            let s = i * (old.char_len() / 10_000);
            let r = old.snap_to_graphemes(CharRange::new(s, s + 1 + i % 2));
            Annotation::new(&old, r, vec![], "b", OffsetDateTime::UNIX_EPOCH)
        })
        .collect();
    let new = Document::new("book", small.clone());
    let mut report = None;
    time("small edit, 1–2 char quotes, quote + context", 1, || {
        let mut a = tiny.clone();
        report = Some(gloss::anchor::anchor_all(&new, &mut a, None));
    });
    println!("{:<58} {}", "", report.unwrap());
}

fn frames(label: &str, text: &str, n_annotations: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.txt");
    std::fs::write(&path, text).unwrap();
    let doc = Document::new("doc.txt", text.to_string());
    let sc =
        gloss::sidecar::Sidecar::new(&doc, Default::default(), annotations(&doc, n_annotations));
    sc.save(&gloss::sidecar::sidecar_path(&path)).unwrap();
    let options = AppOptions {
        open: Some(path),
        data_dir: Some(dir.path().to_path_buf()),
    };
    let start = Instant::now();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| GlossApp::with_prefs(&cc.egui_ctx, options, Prefs::default()));
    h.step();
    println!(
        "{:<58} {:>12.1} µs",
        format!("{label}: open + first frame"),
        start.elapsed().as_secs_f64() * 1e6
    );
    time(&format!("{label}: steady frame"), 50, || h.step());
    let center = egui::pos2(450.0, 400.0);
    time(&format!("{label}: frame scrolling 300 pt"), 50, || {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -300.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        h.hover_at(center);
        h.step();
    });
    let mut i = 0;
    time(
        &format!("{label}: frame after adding an annotation"),
        20,
        || {
            i += 1;
            let app = h.state_mut();
            let at = app.session.store.annotations.at(i).unwrap().start;
            let _ = app.session.annotate(
                CharRange::new(at, at + 5),
                vec![],
                "b",
                OffsetDateTime::UNIX_EPOCH,
            );
            h.step();
        },
    );
    // A note keystroke on the selected annotation, as the side panel sends it.
    let id = h
        .state()
        .session
        .store
        .annotations
        .at(0)
        .unwrap()
        .id
        .clone();
    h.state_mut().selected = Some(id.clone());
    h.step();
    let mut note = String::new();
    time(
        &format!("{label}: frame after a note keystroke"),
        50,
        || {
            note.push('x');
            let _ = h
                .state_mut()
                .session
                .set_note(&id, &note, OffsetDateTime::UNIX_EPOCH);
            h.step();
        },
    );
    println!(
        "{:<58} {:>12}",
        format!("{label}: galleys kept"),
        h.state().reader.galley_count()
    );
}

fn main() {
    // `cargo bench --bench scale -- reanchor` runs only the re-anchoring part.
    if std::env::args().any(|a| a == "reanchor") {
        reanchor();
        return;
    }
    if std::env::args().any(|a| a == "model") {
        model();
        return;
    }
    model();
    reanchor();
    println!("== window frames (headless, 1280×800)");
    frames("sample 8 KB, 13 annotations", gloss::sample::ARTICLE, 13);
    frames("book 4 MB, 2,000 annotations", &book(), 2_000);
    frames("book 4 MB, 100,000 annotations", &book(), 100_000);
}
