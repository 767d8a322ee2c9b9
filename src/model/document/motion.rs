//! Moving a caret by words, for reading with the keyboard (caret browsing:
//! Ctrl+Left/Right). Words are Unicode word segments with a letter or digit
//! in them; a move never stops inside a grapheme, and looks only at the
//! pieces it crosses, so it costs the same in any document.

use super::Document;
use unicode_segmentation::UnicodeSegmentation;

/// How many empty pieces a move crosses before it gives up and stops there.
const MAX_SKIP: usize = 10_000;

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

impl Document {
    /// The end of the word at or after `offset` (Ctrl+Right, as GTK moves):
    /// the document's end when no word follows.
    pub fn next_word_end(&self, offset: usize) -> usize {
        let mut at = offset.min(self.char_len());
        for _ in 0..MAX_SKIP {
            let piece = self.piece(self.piece_of(at));
            let mut start = piece.start;
            for segment in self.slice(piece.range()).split_word_bounds() {
                let end = start + segment.chars().count();
                if end > at && is_word(segment) {
                    return end;
                }
                start = end;
            }
            if piece.next <= at || piece.next >= self.char_len() {
                return self.char_len();
            }
            at = piece.next;
        }
        at
    }

    /// The start of the word before `offset` (Ctrl+Left): the document's
    /// start when no word precedes.
    pub fn previous_word_start(&self, offset: usize) -> usize {
        let mut at = offset.min(self.char_len());
        for _ in 0..MAX_SKIP {
            let piece = self.piece(self.piece_of(at));
            let mut start = piece.start;
            let mut found = None;
            for segment in self.slice(piece.range()).split_word_bounds() {
                if start >= at {
                    break;
                }
                if is_word(segment) {
                    found = Some(start);
                }
                start += segment.chars().count();
            }
            if let Some(found) = found {
                return found;
            }
            if piece.start == 0 {
                return 0;
            }
            at = piece.start - 1;
            // The last char of the piece before: a word ending there counts.
            at = self.piece(self.piece_of(at)).end.max(at);
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Document;

    fn doc(s: &str) -> Document {
        Document::new("t.txt", s.to_string())
    }

    #[test]
    fn words_are_stepped_over_whole_in_any_script() {
        let d = doc("“Six” former—officials 👩‍👩‍👧 said\r\nשלום עולם 東京 e\u{301}te");
        let text: Vec<char> = d.text().chars().collect();
        let word = |from: usize, to: usize| text[from..to].iter().collect::<String>();
        let mut stops = Vec::new();
        let mut at = 0;
        loop {
            let next = d.next_word_end(at);
            if next == at {
                break;
            }
            stops.push(next);
            at = next;
        }
        // Every stop ends a word; the emoji family and the quote marks are
        // stepped over; the CRLF is crossed.
        let ends: Vec<String> = stops
            .iter()
            .map(|&e| word(d.previous_word_start(e), e))
            .collect();
        assert_eq!(
            ends,
            // Unicode word bounds step through ideographs one by one.
            [
                "Six",
                "former",
                "officials",
                "said",
                "שלום",
                "עולם",
                "東",
                "京",
                "e\u{301}te"
            ]
        );
        assert_eq!(*stops.last().unwrap_or(&0), d.char_len());
        // Back from the end visits the same words' starts.
        let mut starts = Vec::new();
        let mut at = d.char_len();
        while at > 0 {
            at = d.previous_word_start(at);
            starts.push(at);
        }
        let expected: Vec<usize> = stops
            .iter()
            .rev()
            .map(|&e| d.previous_word_start(e))
            .collect();
        assert_eq!(starts[..stops.len()], expected[..]);
        // and then the document's start, before the first word's quote mark.
        assert_eq!(starts[stops.len()..], [0]);
        assert_eq!(d.previous_word_start(0), 0);
        assert_eq!(d.next_word_end(d.char_len()), d.char_len());
        // From inside a word: to its own end, and back to its own start.
        assert_eq!(d.next_word_end(7), 12);
        assert_eq!(d.previous_word_start(9), 6);
    }

    #[test]
    fn a_move_crosses_empty_lines_and_stops_at_the_ends() {
        let d = doc("one\n\n\n\ntwo\n\n");
        assert_eq!(d.next_word_end(3), 10);
        assert_eq!(d.previous_word_start(10), 7);
        assert_eq!(d.previous_word_start(7), 0);
        assert_eq!(d.next_word_end(10), d.char_len());
    }
}
