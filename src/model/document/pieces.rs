//! Long lines shown in pieces.
//!
//! The reading view lays out one piece at a time, so a paragraph-less text
//! (a transcript without breaks, text pulled from a PDF, one 2 MB line)
//! costs a frame what an ordinary paragraph does. A line longer than
//! [`MAX_PIECE`] chars is cut after a sentence end, else between words,
//! else between graphemes — so a piece never splits a word the user might
//! double-click or a grapheme a selection must keep whole.

use super::Lines;
use unicode_segmentation::GraphemeCursor;

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
        out.push(l.start, 0);
        if l.end - l.start > MAX_PIECE {
            let s = &text[byte_of(l.start)..byte_of(l.end)];
            for c in cuts(s) {
                out.push(l.start + c, 0);
            }
        }
        // The last piece ends with the line's own break.
        if let Some(last) = out.packed.last_mut() {
            *last = (*last & super::START_MASK) | ((break_len as u32) << super::START_BITS);
        }
    }
    out.packed.shrink_to_fit();
    Some(out)
}

/// Where the pieces of line `s` start (in chars from its start, the first
/// piece's 0 left out). Each cut is sought in the second half of the
/// piece's longest span: after the last sentence end (`.`, `?`, `!`, `…`,
/// `。` and the like, then whitespace), else after the last whitespace,
/// else at the last grapheme boundary. Only a few bytes around each cut
/// are looked at twice, so a 2 MB line costs about a pass over it.
fn cuts(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut at_byte, mut at_char) = (0, 0);
    let total = s.chars().count();
    while total - at_char > MAX_PIECE {
        let rest = &s[at_byte..];
        let half = byte_after(rest, MAX_PIECE / 2);
        let limit = byte_after(rest, MAX_PIECE);
        let cut = cut_in(rest, half, limit)
            .filter(|&c| c > 0)
            .unwrap_or(limit);
        at_char += rest[..cut].chars().count();
        at_byte += cut;
        out.push(at_char);
    }
    out
}

/// Byte offset after `n` chars of `s` (or its end): counted 64 bytes at a
/// time, then byte by byte.
fn byte_after(s: &str, n: usize) -> usize {
    let bytes = s.as_bytes();
    let (mut seen, mut i) = (0, 0);
    while i + 64 <= bytes.len() {
        let c = super::count_chars(&bytes[i..i + 64]);
        if seen + c > n {
            break;
        }
        seen += c;
        i += 64;
    }
    for (j, &b) in bytes[i..].iter().enumerate() {
        if (b as i8) >= -0x40 {
            if seen == n {
                return i + j;
            }
            seen += 1;
        }
    }
    bytes.len()
}

fn is_boundary(s: &str, at: usize) -> bool {
    GraphemeCursor::new(at, s.len(), true)
        .is_boundary(s, 0)
        .unwrap_or(false)
}

/// The best cut in `s[from..to]`, as a byte offset into `s`: looked for
/// from the end with `memrchr`, so it usually reads a sentence's worth of
/// bytes.
fn cut_in(s: &str, from: usize, to: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let ends = |c: char| matches!(c, '.' | '?' | '!' | '…' | '。' | '？' | '！' | '؟' | '।');
    let space = |b: u8| matches!(b, b' ' | b'\t');
    // Word starts after ASCII spaces, last first.
    let starts = memchr::memrchr2_iter(b' ', b'\t', &bytes[from..to])
        .map(|p| from + p + 1)
        .filter(|&at| at < to && !space(bytes[at]));
    let mut any = None;
    for at in starts {
        if !is_boundary(s, at) {
            continue;
        }
        any.get_or_insert(at);
        // The char before the run of spaces ending at `at`.
        let text_end = bytes[..at].iter().rposition(|&b| !space(b));
        let before = text_end.and_then(|e| s[..=e].chars().next_back());
        if before.is_some_and(ends) {
            return Some(at);
        }
    }
    any.or_else(|| {
        // No whitespace at all (CJK, a URL, base64): the last grapheme
        // boundary before the limit.
        let mut cursor = GraphemeCursor::new(to, s.len(), true);
        match cursor.is_boundary(s, 0) {
            Ok(true) => Some(to),
            _ => cursor.prev_boundary(s, 0).ok().flatten().filter(|&b| b > 0),
        }
    })
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
