//! The sidecar loader: any text either parses into annotations that can
//! be placed on a document, or is a clear error. Never a panic.
#![no_main]
use gloss::model::Document;
use gloss::sidecar::Sidecar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(sc) = Sidecar::from_ron(text, std::path::Path::new("fuzz.ron")) {
        // Whatever offsets a hand-edited file holds, anchoring copes.
        let doc = Document::new("fuzz.txt", gloss::sample::ARTICLE.to_string());
        let mut anns = sc.annotations;
        let report = gloss::anchor::anchor_all(&doc, &mut anns, None);
        assert_eq!(report.total(), anns.len());
        for a in anns.iter().filter(|a| !a.is_orphaned()) {
            assert_eq!(doc.slice(a.range()), a.quote);
        }
    }
});
