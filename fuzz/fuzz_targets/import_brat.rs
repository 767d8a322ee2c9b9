//! The brat importer: any file yields annotations that lie on the document
//! (each quote is the text at its range) plus reasons for what was
//! skipped, or one clear error. Never a panic.
#![no_main]
use gloss::formats::{Format, import};
use gloss::model::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let doc = Document::new("article.txt", gloss::sample::ARTICLE.to_string());
    if let Ok(imported) = import(Format::Brat, &doc, data) {
        for a in &imported.annotations {
            assert!(a.start < a.end && a.end <= doc.char_len());
            assert_eq!(doc.slice(a.range()), a.quote);
        }
    }
});
