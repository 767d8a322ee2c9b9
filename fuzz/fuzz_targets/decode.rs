//! The document decoder: any bytes decode or are refused with a reason,
//! and char/byte offsets of what decodes agree.
#![no_main]
use gloss::model::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = gloss::decode::decode(data) {
        let doc = Document::new("fuzz.txt", decoded.text);
        let n = doc.char_len();
        for o in [0, n / 3, n / 2, n] {
            assert_eq!(doc.char_offset(doc.byte_offset(o)), o);
        }
    }
});
