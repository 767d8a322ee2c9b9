//! Long lines shown in pieces.
//!
//! The reading view lays out one piece at a time, so a paragraph-less text
//! (a transcript without breaks, text pulled from a PDF, one 2 MB line)
//! costs a frame what an ordinary paragraph does. A line longer than
//! [`MAX_PIECE`] chars is cut between sentences (Unicode sentence
//! boundaries), a sentence longer than that between words, a word longer
//! than that between graphemes — so a piece never splits a word the user
//! might double-click or a grapheme a selection must keep whole.

use super::Lines;
use unicode_segmentation::UnicodeSegmentation;

/// Lines longer than this (in chars) are shown in pieces of at most this.
pub const MAX_PIECE: usize = 4096;

/// The document's lines with every long line cut into pieces, or `None`
/// when no line is long (the pieces are then the lines themselves).
pub(super) fn split(text: &str, lines: &Lines, byte_of: impl Fn(usize) -> usize) -> Option<Lines> {
    if !lines.iter().any(|l| l.end - l.start > MAX_PIECE) {
        return None;
    }
    let mut out = Lines {
        packed: Vec::with_capacity(lines.len() + 16),
        char_len: lines.char_len,
    };
    for l in lines.iter() {
        let break_len = l.next - l.end;
        if l.end - l.start <= MAX_PIECE {
            out.push(l.start, break_len);
            continue;
        }
        let s = &text[byte_of(l.start)..byte_of(l.end)];
        let mut cuts = Cuts::default();
        cuts.pack(s, 0);
        out.push(l.start, 0);
        for c in &cuts.at {
            out.push(l.start + c, 0);
        }
        // The last piece ends with the line's own break.
        if let Some(last) = out.packed.last_mut() {
            *last = (*last & super::START_MASK) | ((break_len as u32) << super::START_BITS);
        }
    }
    out.packed.shrink_to_fit();
    Some(out)
}

/// Greedy packing of text units into pieces, in chars from the line start.
#[derive(Default)]
struct Cuts {
    at: Vec<usize>,
    piece_start: usize,
    pos: usize,
}

impl Cuts {
    /// Packs `s` at `level` (0: sentences, 1: words, 2: graphemes), going a
    /// level finer for a unit that alone exceeds a piece.
    fn pack(&mut self, s: &str, level: u8) {
        let units: Box<dyn Iterator<Item = &str>> = match level {
            0 => Box::new(s.split_sentence_bounds()),
            1 => Box::new(s.split_word_bounds()),
            _ => Box::new(s.graphemes(true)),
        };
        for unit in units {
            let n = unit.chars().count();
            if self.pos + n - self.piece_start > MAX_PIECE && self.pos > self.piece_start {
                self.at.push(self.pos);
                self.piece_start = self.pos;
            }
            if n > MAX_PIECE && level < 2 {
                self.pack(unit, level + 1);
            } else {
                self.pos += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{CharRange, Document};
    use unicode_segmentation::UnicodeSegmentation;

    fn pieces(d: &Document) -> Vec<(usize, usize, usize)> {
        d.pieces()
            .iter()
            .map(|l| (l.start, l.end, l.next))
            .collect()
    }

    #[test]
    fn short_lines_are_their_own_pieces_at_no_cost() {
        let d = Document::new("t", "one\r\ntwo\n".repeat(100));
        assert!(d.pieces.is_none(), "no copy of the line index");
        assert_eq!(
            pieces(&d),
            d.lines()
                .iter()
                .map(|l| (l.start, l.end, l.next))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_long_line_is_cut_between_sentences_and_keeps_its_break() {
        let sentence = "The “drone strikes” — reported by 😀 sources. ";
        let line = sentence.repeat(400);
        let text = format!("short\n{line}\r\nafter");
        let d = Document::new("t", text.clone());
        let p = pieces(&d);
        assert!(p.len() > 4, "{}", p.len());
        assert_eq!(p[0], (0, 5, 6));
        // Pieces tile the long line exactly, and only the last has the CRLF.
        let long = d.line(1);
        let inner = &p[1..p.len() - 1];
        assert_eq!(inner.first().map(|x| x.0), Some(long.start));
        for w in inner.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert_eq!(w[0].1, w[0].2, "no break inside a line");
        }
        let last = inner[inner.len() - 1];
        assert_eq!((last.1, last.2), (long.end, long.next));
        let n = sentence.chars().count();
        for &(start, end, _) in inner {
            assert!(end - start <= super::MAX_PIECE);
            assert_eq!((start - long.start) % n, 0, "cut between sentences");
            assert_eq!(d.piece_of(start), d.piece_of(end - 1));
        }
        assert_eq!(d.piece_of(long.next), p.len() - 1);
        // Words and graphemes are found within a piece.
        let at = inner[1].0 + 5;
        assert_eq!(d.slice(d.word_at(at)), "drone");
    }

    #[test]
    fn text_without_spaces_is_cut_between_graphemes() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("中文{family}e\u{0301}").repeat(2000);
        let d = Document::new("t", text.clone());
        let p = pieces(&d);
        assert!(p.len() > 2);
        let mut chars = 0;
        let mut boundaries = std::collections::HashSet::new();
        for g in text.graphemes(true) {
            boundaries.insert(chars);
            chars += g.chars().count();
        }
        for &(start, end, _) in &p {
            assert!(end - start <= super::MAX_PIECE);
            assert!(
                boundaries.contains(&start),
                "a cut at {start} splits a grapheme"
            );
        }
        let r = d.snap_to_graphemes(CharRange::new(p[1].0 - 1, p[1].0 + 1));
        assert!(r.start < p[1].0 && p[1].0 < r.end);
    }
}
