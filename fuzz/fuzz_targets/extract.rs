//! Word, OpenDocument, HTML, PDF and EPUB extraction: any bytes extract or
//! are refused with a reason, within the memory budget, and never panic.
#![no_main]
use gloss::extract::{Kind, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [Kind::Docx, Kind::Odt, Kind::Html, Kind::Pdf, Kind::Epub] {
        if let Ok(e) = extract(kind, data) {
            // What is extracted is text a document can hold, and what the
            // view is told about it lies within it.
            let doc = gloss::model::Document::new("fuzz.docx", e.text);
            let n = doc.char_len();
            assert_eq!(doc.char_offset(doc.byte_offset(n / 2)), n / 2);
            assert!(e.blocks.iter().all(|(at, _)| *at <= n));
        }
    }
});
