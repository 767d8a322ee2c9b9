//! Deterministic generated prose for benchmarks and scale tests: varied
//! sentences and paragraphs, some non-ASCII (curly quotes, dashes,
//! accents, CJK, emoji), a very long paragraph now and then, and on
//! request no line breaks at all (text pulled from a PDF, a transcript).
//! The same arguments give the same text on every machine.

use crate::model::{Annotation, AnnotationId, CharRange, Document};
use time::OffsetDateTime;

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "is",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "government",
    "officials",
    "said",
    "report",
    "drone",
    "strikes",
    "border",
    "region",
    "security",
    "policy",
    "minister",
    "evidence",
    "sources",
    "claimed",
    "according",
    "public",
    "journalists",
    "interview",
    "transcript",
    "archive",
    "committee",
    "council",
    "decision",
    "“unnamed”",
    "café",
    "naïve",
    "Zürich",
    "São",
    "Paulo",
    "—",
    "résumé",
    "東京",
    "報告",
    "😀",
    "coöperation",
    "Ångström",
    "œuvre",
    "«citation»",
    "Kraków",
    "e\u{301}tude",
];

/// A small xorshift generator: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// About `bytes` bytes of prose (cut at a char boundary). With
/// `single_line`, paragraphs are joined by spaces: one line.
pub fn prose(bytes: usize, single_line: bool) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(bytes + 256);
    let mut paragraph = 0usize;
    while out.len() < bytes {
        // Every 40th paragraph is very long (a chapter without breaks).
        let sentences = if paragraph % 40 == 39 {
            150 + rng.below(100)
        } else {
            1 + rng.below(9)
        };
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            let words = 5 + rng.below(22);
            for w in 0..words {
                let word = WORDS[rng.below(WORDS.len())];
                if w == 0 {
                    let mut c = word.chars();
                    if let Some(f) = c.next() {
                        out.extend(f.to_uppercase());
                        out.push_str(c.as_str());
                    }
                } else {
                    out.push(' ');
                    out.push_str(word);
                }
                if w + 1 < words && rng.below(12) == 0 {
                    out.push(',');
                }
            }
            out.push(['.', '.', '.', '?', '!'][rng.below(5)]);
        }
        out.push_str(if single_line { " " } else { "\n\n" });
        paragraph += 1;
    }
    let mut end = bytes.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

/// `n` overlapping annotations spread over `doc`: 3 to 200 chars (one in a
/// hundred up to 2,000), one to three of six tags, a note on every third.
/// Deterministic, like [`prose`].
pub fn annotations(doc: &Document, n: usize) -> Vec<Annotation> {
    const TAGS: [&str; 6] = ["claim", "source", "evidence", "question", "method", "quote"];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let len = doc.char_len().max(1);
    (0..n)
        .map(|i| {
            let start = rng.below(len);
            let span = if i % 100 == 99 {
                200 + rng.below(1800)
            } else {
                3 + rng.below(198)
            };
            let range = doc.snap_to_graphemes(CharRange::new(start, (start + span).min(len)));
            let tags = (0..1 + rng.below(3))
                .map(|_| TAGS[rng.below(TAGS.len())].to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut a = Annotation::new(doc, range, tags, "bench", OffsetDateTime::UNIX_EPOCH);
            a.id = AnnotationId(format!("gen-{i:07}"));
            if i % 3 == 0 {
                a.note = format!("Note {i} — checked against the archive.");
            }
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_deterministic_varied_and_the_size_asked() {
        let a = prose(200_000, false);
        assert_eq!(a, prose(200_000, false));
        assert!(a.len() <= 200_000 && a.len() > 199_990);
        assert!(a.contains('—') && a.contains("東京") && a.contains('😀'));
        let lines = a.lines().filter(|l| !l.is_empty());
        assert!(
            lines.map(str::len).max().unwrap_or(0) > 10_000,
            "a long paragraph"
        );
        let one = prose(100_000, true);
        assert_eq!(one.lines().count(), 1);
        let doc = Document::new("t", one);
        let anns = annotations(&doc, 500);
        assert!(anns == annotations(&doc, 500), "deterministic");
        assert!(
            anns.iter()
                .all(|a| a.end <= doc.char_len() && a.start < a.end)
        );
        assert!(anns.iter().any(|a| a.tags.len() > 1) && anns.iter().any(|a| !a.note.is_empty()));
    }
}
