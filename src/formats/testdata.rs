//! A small document full of the characters that break other tools, with
//! annotations on them, for the round-trip tests of every format.

use crate::model::{Annotation, AnnotationId, CharRange, Codebook, Document, Tag};
use time::macros::datetime;

pub const TEXT: &str = "Family 👨‍👩‍👧‍👦 said “no” — twice.\r\n\
Café e\u{301}tude: 中文字符 and שלום.\r\n\
\r\n\
Thumbs 👍🏽 <script>alert(1)</script> & done.";

pub fn document() -> Document {
    Document::new("tricky.txt", TEXT.to_string())
}

pub fn codebook() -> Codebook {
    let mut c = Codebook::default();
    c.tags
        .push(Tag::new("key point", "#E69F00", "A tag with a space"));
    c
}

fn find(doc: &Document, needle: &str) -> CharRange {
    let byte = doc.text().find(needle).expect("needle");
    let start = doc.char_offset(byte);
    CharRange::new(start, start + needle.chars().count())
}

pub fn annotations(doc: &Document) -> Vec<Annotation> {
    let t = datetime!(2026-11-29 12:00 UTC);
    let mk = |n: u32, needle: &str, tags: &[&str], note: &str, author: &str| {
        let tags = tags.iter().map(|s| s.to_string()).collect();
        let mut a = Annotation::new(doc, find(doc, needle), tags, author, t);
        a.id = AnnotationId(format!("00000000-0000-4000-8000-0000000000{n:02}"));
        a.note = note.into();
        a.modified = datetime!(2026-11-29 13:30 UTC);
        a
    };
    vec![
        mk(1, "👨‍👩‍👧‍👦", &["source"], "a ZWJ family", "Ana"),
        mk(
            2,
            "“no” — twice",
            &["claim", "key point"],
            "line one\nline “two”, with comma",
            "Ana",
        ),
        // Crosses the CRLF between the first two lines.
        mk(3, "twice.\r\nCafé", &["evidence"], "", "Bo"),
        mk(4, "e\u{301}tude: 中文字符", &[], "", "Bo"),
        mk(5, "שלום", &["question"], "RTL", "Ana"),
        mk(
            6,
            "👍🏽 <script>alert(1)</script>",
            &["claim"],
            "<b>not bold</b> & \"quoted\"",
            "Ana",
        ),
    ]
}

/// The tricky document with its codebook and annotations, owned, so tests
/// can borrow a [`Source`](super::Source) from it.
pub struct Fixture {
    pub doc: Document,
    pub codebook: Codebook,
    pub annotations: Vec<Annotation>,
}

impl Fixture {
    pub fn new() -> Self {
        let doc = document();
        let annotations = annotations(&doc);
        Self {
            doc,
            codebook: codebook(),
            annotations,
        }
    }

    /// The fixture with its first annotation an orphan (its text gone).
    pub fn with_first_orphaned() -> Self {
        let mut f = Self::new();
        f.annotations[0].anchoring = crate::model::Anchoring::Orphaned;
        f
    }

    pub fn source(&self) -> super::Source<'_> {
        super::Source {
            doc: &self.doc,
            codebook: &self.codebook,
            annotations: self.annotations.iter().collect(),
            uri: "file:///corpus/tricky.txt".into(),
            memo: "Read twice: the “unnamed” <b>official</b> & the 😀.\r\n\n# Not a heading — 1. not a list",
        }
    }
}
