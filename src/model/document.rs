//! A decoded document: its text, its lines, and the one conversion between
//! char offsets and byte offsets.

use super::CharRange;
use sha2::{Digest, Sha256};

mod motion;
mod pieces;
pub use pieces::MAX_PIECE;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// The number of chars before every `BLOCK`-th byte is remembered, so
/// converting between char and byte offsets walks at most a block whatever
/// the document's size (4 bytes per 256 of text).
const BLOCK: usize = 256;

/// Chars in UTF-8 bytes: the bytes that are not continuation bytes
/// (`10xxxxxx`), eight at a time.
fn count_chars(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let continuation: usize = words
        .map(|c| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            let w = u64::from_le_bytes(w);
            // Bit 7 set and bit 6 clear, per byte.
            (w & !(w << 1) & HIGH).count_ones() as usize
        })
        .sum();
    let continuation = continuation + tail.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    bytes.len() - continuation
}

/// One line of the document, in char offsets. `end` excludes the line break;
/// `next` is where the following line starts (after `\n`, `\r\n` or `\r`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

impl Line {
    pub fn range(&self) -> CharRange {
        CharRange {
            start: self.start,
            end: self.end,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.start == self.end
    }
}

/// A document's lines in 4 bytes each (a book of empty lines must not cost
/// 24 bytes a line): the line's first char in the low 30 bits and the
/// length of the break that ends it (0, 1 or 2 chars) in the top 2. A line
/// ends where the next begins. Documents are capped well below 2^30 chars
/// by [`crate::decode::MAX_BYTES`].
#[derive(Clone, Debug, Default)]
pub struct Lines {
    packed: Vec<u32>,
    char_len: usize,
}

const START_BITS: u32 = 30;
const START_MASK: u32 = (1 << START_BITS) - 1;

impl Lines {
    fn push(&mut self, start: usize, break_len: usize) {
        let start = u32::try_from(start).unwrap_or(START_MASK).min(START_MASK);
        self.packed.push(start | ((break_len as u32) << START_BITS));
    }

    fn start(&self, i: usize) -> usize {
        (self.packed[i] & START_MASK) as usize
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Line> {
        let p = *self.packed.get(i)?;
        let start = (p & START_MASK) as usize;
        let next = if i + 1 < self.packed.len() {
            self.start(i + 1)
        } else {
            self.char_len
        };
        let end = next.saturating_sub((p >> START_BITS) as usize).max(start);
        Some(Line { start, end, next })
    }

    pub fn iter(&self) -> impl Iterator<Item = Line> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Index of the line holding char `offset` (a break belongs to its line).
    pub fn index_of(&self, offset: usize) -> usize {
        // Line i ends (with its break) where line i + 1 starts.
        let i = self
            .packed
            .get(1..)
            .unwrap_or_default()
            .partition_point(|p| ((p & START_MASK) as usize) <= offset);
        i.min(self.len().saturating_sub(1))
    }

    /// Bytes used per line (for the memory figures in the docs).
    pub const BYTES_PER_LINE: usize = std::mem::size_of::<u32>();

    /// Memory held for the lines.
    pub fn heap_bytes(&self) -> usize {
        self.packed.capacity() * Self::BYTES_PER_LINE
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    /// The file name the document was opened from (no folder), e.g. `report.txt`.
    pub name: String,
    text: String,
    char_len: usize,
    /// Chars before byte `k * BLOCK`, for each block `k`.
    chars_before: Vec<u32>,
    lines: Lines,
    /// The lines with long ones cut for display (`None`: same as `lines`).
    pieces: Option<Lines>,
    /// The extractor that made the text from a `.docx`, `.odt` (see
    /// `crate::extract`); `None` for text read as it is.
    extractor: Option<&'static str>,
    /// What the extractor knows of the text's layout (empty for text).
    structure: super::Structure,
    /// The document's own title (a web page's `<title>`), when it has one.
    title: Option<String>,
    /// The text never changes, so its hash is computed once (every save needs it).
    sha256: std::sync::OnceLock<String>,
}

impl Document {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let bytes = text.as_bytes();
        let mut chars_before = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut total = 0;
        for block in bytes.chunks(BLOCK) {
            chars_before.push(u32::try_from(total).unwrap_or(u32::MAX));
            total += count_chars(block);
        }
        let mut lines = Lines::default();
        let mut line_start = 0;
        // Line breaks are ASCII: found with SIMD, with the chars between
        // them counted in bulk, so a 50 MB file indexes in tens of ms.
        let (mut at_byte, mut at_char) = (0, 0);
        for p in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            at_char += count_chars(&bytes[at_byte..p]);
            at_byte = p;
            if bytes[p] == b'\n' && p > 0 && bytes[p - 1] == b'\r' {
                // The LF of a CRLF: the line the CR ended swallows it.
                if let Some(last) = lines.packed.last_mut() {
                    *last = (*last & START_MASK) | (2 << START_BITS);
                }
            } else {
                lines.push(line_start, 1);
            }
            line_start = at_char + 1;
        }
        let char_len = at_char + count_chars(&bytes[at_byte..]);
        lines.push(line_start, 0);
        lines.char_len = char_len;
        lines.packed.shrink_to_fit();
        let mut doc = Self {
            name: name.into(),
            text,
            char_len,
            chars_before,
            lines,
            pieces: None,
            extractor: None,
            structure: super::Structure::default(),
            title: None,
            sha256: std::sync::OnceLock::new(),
        };
        doc.pieces = pieces::split(&doc.text, &doc.lines, |c| doc.byte_offset(c));
        doc
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length in chars (Unicode scalar values).
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn lines(&self) -> &Lines {
        &self.lines
    }

    /// Line `i` (clamped to the last line; a document has at least one).
    pub fn line(&self, i: usize) -> Line {
        clamped(&self.lines, i)
    }

    /// What the reading view lays out one at a time: the lines, with lines
    /// longer than [`MAX_PIECE`] chars cut between sentences or words. A
    /// piece that does not end its line has `end == next`.
    pub fn pieces(&self) -> &Lines {
        self.pieces.as_ref().unwrap_or(&self.lines)
    }

    /// Piece `i` (clamped to the last piece).
    pub fn piece(&self, i: usize) -> Line {
        clamped(self.pieces(), i)
    }

    /// Index of the piece holding `offset`.
    pub fn piece_of(&self, offset: usize) -> usize {
        self.pieces().index_of(offset)
    }

    /// SHA-256 of the decoded text (UTF-8), lower-case hex.
    pub fn sha256(&self) -> String {
        self.sha256
            .get_or_init(|| hex(&Sha256::digest(self.text.as_bytes())))
            .clone()
    }

    /// The text was extracted from another format by `extractor`.
    pub fn with_extractor(mut self, extractor: &'static str) -> Self {
        self.extractor = Some(extractor);
        self
    }

    pub fn extractor(&self) -> Option<&'static str> {
        self.extractor
    }

    /// What the extractor knows of the text's layout.
    pub fn with_structure(mut self, structure: super::Structure) -> Self {
        self.structure = structure;
        self
    }

    pub fn structure(&self) -> &super::Structure {
        &self.structure
    }

    pub fn with_title(mut self, title: Option<String>) -> Self {
        self.title = title;
        self
    }

    /// The document's own title, if its format has one.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// Records the text's SHA-256 when it is already known (the file was
    /// hashed as read, and is the text byte for byte), sparing a second
    /// pass over 50 MB. `digest` must be the SHA-256 of [`Self::text`].
    pub fn know_sha256(&self, digest: &[u8; 32]) {
        let _ = self.sha256.set(hex(digest));
    }

    /// The byte offset of a char offset; offsets past the end clamp to the end.
    /// This is the only place that turns chars into bytes.
    pub fn byte_offset(&self, char_offset: usize) -> usize {
        if char_offset >= self.char_len {
            return self.text.len();
        }
        let k = self
            .chars_before
            .partition_point(|c| (*c as usize) <= char_offset)
            .saturating_sub(1);
        let mut seen = self.chars_before.get(k).map_or(0, |c| *c as usize);
        let bytes = self.text.as_bytes();
        for (j, &b) in bytes.iter().enumerate().skip(k * BLOCK) {
            if (b as i8) >= -0x40 {
                if seen == char_offset {
                    return j;
                }
                seen += 1;
            }
        }
        self.text.len()
    }

    /// The char offset of a byte offset (which must be on a char boundary;
    /// one inside a char counts that char as before it).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let k = byte / BLOCK;
        let before = self.chars_before.get(k).map_or(0, |c| *c as usize);
        before + count_chars(&self.text.as_bytes()[(k * BLOCK).min(byte)..byte])
    }

    /// The text of a range, clamped to the document.
    pub fn slice(&self, range: CharRange) -> &str {
        let start = self.byte_offset(range.start);
        let end = self.byte_offset(range.end.max(range.start));
        &self.text[start..end]
    }

    /// Whether a range lies wholly inside the document.
    pub fn contains(&self, range: CharRange) -> bool {
        range.start <= range.end && range.end <= self.char_len
    }

    /// Index of the line holding `offset` (a line break belongs to its line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.index_of(offset)
    }

    /// Snaps a range outwards to grapheme boundaries, so that a selection never
    /// holds half an emoji, a letter without its combining mark, or a CR
    /// without its LF.
    pub fn snap_to_graphemes(&self, range: CharRange) -> CharRange {
        let start = self.snap(range.start.min(self.char_len), false);
        let end = self.snap(range.end.min(self.char_len), true);
        CharRange::new(start, end.max(start))
    }

    /// The nearest grapheme boundary at or before (`up == false`) or at or
    /// after (`up == true`) `offset`.
    fn snap(&self, offset: usize, up: bool) -> usize {
        // Pieces never cut a grapheme, and are short even in a 2 MB line.
        let line = self.piece(self.piece_of(offset));
        if offset > line.end {
            // Inside a CRLF line break: only its two ends are boundaries.
            return if up { line.next } else { line.end };
        }
        // Look only around `offset`, within its piece (graphemes never cross
        // a line break or a piece), so snapping costs the same in any document.
        let line_start = self.byte_offset(line.start);
        let text = &self.text[line_start..self.byte_offset(line.end)];
        let at = self.byte_offset(offset) - line_start;
        let mut cursor = GraphemeCursor::new(at, text.len(), true);
        if cursor.is_boundary(text, 0).unwrap_or(true) {
            return offset;
        }
        let moved = if up {
            cursor.next_boundary(text, 0)
        } else {
            cursor.prev_boundary(text, 0)
        };
        match moved {
            Ok(Some(b)) => self.char_offset(line_start + b),
            _ if up => line.end,
            _ => line.start,
        }
    }

    /// The next grapheme boundary after `offset` (line breaks count as one).
    pub fn next_boundary(&self, offset: usize) -> usize {
        if offset >= self.char_len {
            return self.char_len;
        }
        self.snap(offset + 1, true)
    }

    /// The grapheme boundary before `offset`.
    pub fn prev_boundary(&self, offset: usize) -> usize {
        if offset == 0 {
            return 0;
        }
        self.snap(offset.min(self.char_len) - 1, false)
    }

    /// The word (per Unicode word boundaries) around `offset`; whitespace and
    /// punctuation select just themselves.
    pub fn word_at(&self, offset: usize) -> CharRange {
        let line = self.piece(self.piece_of(offset));
        let text = self.slice(line.range());
        let mut chars = line.start;
        for word in text.split_word_bounds() {
            let n = word.chars().count();
            if offset < chars + n {
                return CharRange::new(chars, chars + n);
            }
            chars += n;
        }
        CharRange::new(line.end, line.end)
    }
}

fn clamped(lines: &Lines, i: usize) -> Line {
    let i = i.min(lines.len().saturating_sub(1));
    lines.get(i).unwrap_or(Line {
        start: 0,
        end: 0,
        next: 0,
    })
}

/// Lower-case hex of a byte slice.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::new("t.txt", s.to_string())
    }

    #[test]
    fn offsets_count_chars_not_bytes() {
        // Curly quotes, an em dash and an emoji are several bytes but one char each.
        let d = doc("“Yes”—😀 ok");
        assert_eq!(d.char_len(), 10);
        assert_eq!(d.slice(CharRange::new(0, 5)), "“Yes”");
        assert_eq!(d.slice(CharRange::new(5, 7)), "—😀");
        assert_eq!(d.slice(CharRange::new(8, 10)), "ok");
        assert_eq!(d.byte_offset(10), d.text().len());
        assert_eq!(d.byte_offset(99), d.text().len(), "past the end clamps");
    }

    #[test]
    fn byte_offsets_agree_with_char_indices_across_checkpoints() {
        let text: String = "aé😀中\u{0301}\r\n".repeat(200);
        let d = doc(&text);
        for (i, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(d.byte_offset(i), b, "char {i}");
            assert_eq!(d.char_offset(b), i, "byte {b}");
        }
        assert_eq!(d.char_offset(text.len()), d.char_len());
    }

    #[test]
    fn chars_are_counted_in_any_slice_of_bytes() {
        let text = "aé😀中\u{0301}\r\n“x”—".repeat(50);
        let bytes = text.as_bytes();
        for start in 0..40 {
            for end in (start..bytes.len()).step_by(7) {
                let want = bytes[start..end]
                    .iter()
                    .filter(|&&b| (b as i8) >= -0x40)
                    .count();
                assert_eq!(count_chars(&bytes[start..end]), want, "{start}..{end}");
            }
        }
    }

    #[test]
    fn crlf_counts_two_chars_and_ends_one_line() {
        let d = doc("ab\r\ncd\ref\ngh");
        assert_eq!(d.char_len(), 12);
        let lines: Vec<_> = d.lines().iter().map(|l| (l.start, l.end, l.next)).collect();
        assert_eq!(Lines::BYTES_PER_LINE, 4);
        assert_eq!(lines, vec![(0, 2, 4), (4, 6, 7), (7, 9, 10), (10, 12, 12)]);
        assert_eq!(d.line_of(2), 0);
        assert_eq!(d.line_of(3), 0, "the LF belongs to the line it ends");
        assert_eq!(d.line_of(4), 1);
        assert_eq!(d.line_of(12), 3);
    }

    #[test]
    fn a_text_of_empty_lines_costs_a_few_times_its_size() {
        let text = "\n".repeat(1_000_000) + &"\r\n".repeat(1_000_000);
        let d = doc(&text);
        assert_eq!(d.lines().len(), 2_000_001);
        assert!(
            d.lines().heap_bytes() <= 4 * 2_000_001 + 64,
            "{}",
            d.lines().heap_bytes()
        );
        assert_eq!(d.line(999_999).range(), CharRange::new(999_999, 999_999));
        let crlf = d.line(1_000_000);
        assert_eq!(
            (crlf.start, crlf.end, crlf.next),
            (1_000_000, 1_000_000, 1_000_002)
        );
        assert_eq!(
            d.line_of(1_000_001),
            1_000_000,
            "the LF belongs to its line"
        );
        assert_eq!(
            d.line(usize::MAX).start,
            d.char_len(),
            "clamped to the last line"
        );
    }

    #[test]
    fn a_selection_never_ends_between_cr_and_lf() {
        let d = doc("ab\r\ncd");
        // 3 is between CR (2) and LF (3).
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(1, 3)),
            CharRange::new(1, 4)
        );
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(3, 5)),
            CharRange::new(2, 5)
        );
        assert_eq!(d.next_boundary(2), 4);
        assert_eq!(d.prev_boundary(4), 2);
    }

    #[test]
    fn snapping_keeps_whole_graphemes() {
        // family emoji (ZWJ sequence, 7 chars), thumbs up with skin tone (2),
        // e + combining acute (2), CJK, Hebrew.
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        let text = format!("a{family}b👍🏽ce\u{0301}中文שלום");
        let d = doc(&text);
        assert_eq!(family.chars().count(), 7);
        // Half of the family snaps out to the whole family.
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(3, 5)),
            CharRange::new(1, 8)
        );
        assert_eq!(d.slice(CharRange::new(1, 8)), family);
        // Half the skin-toned thumb.
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(9, 10)),
            CharRange::new(9, 11)
        );
        // The e without its accent.
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(12, 13)),
            CharRange::new(12, 14)
        );
        assert_eq!(d.slice(CharRange::new(12, 14)), "e\u{0301}");
        // CJK and RTL are one char per grapheme: unchanged, in logical order.
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(14, 15)),
            CharRange::new(14, 15)
        );
        assert_eq!(d.slice(CharRange::new(16, 20)), "שלום");
        assert_eq!(d.next_boundary(1), 8);
        assert_eq!(d.prev_boundary(8), 1);
    }

    #[test]
    fn word_at_picks_the_word() {
        let d = doc("The “drone strikes” — now.");
        assert_eq!(d.slice(d.word_at(6)), "drone");
        assert_eq!(d.slice(d.word_at(0)), "The");
        assert_eq!(d.slice(d.word_at(3)), " ");
    }

    #[test]
    fn empty_document_has_one_empty_line() {
        let d = doc("");
        assert_eq!(d.char_len(), 0);
        assert_eq!(d.lines().len(), 1);
        assert_eq!(
            d.snap_to_graphemes(CharRange::new(0, 5)),
            CharRange::new(0, 0)
        );
        assert_eq!(d.slice(CharRange::new(0, 3)), "");
    }

    #[test]
    fn hash_is_of_the_text() {
        assert_eq!(
            doc("abc").sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
