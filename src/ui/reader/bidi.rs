//! Right-to-left text in the reading view: display order and hit-testing.
//!
//! egui 0.37 shapes each run of Arabic or Hebrew letters right to left, but
//! leaves the runs themselves in logical order, and its glyph list then no
//! longer matches the text char for char (each such run is followed by
//! zero-width "continuation" glyphs), so its cursors point at the wrong
//! chars. Gloss therefore
//! 1. finds where egui wraps the logical text into rows,
//! 2. reorders each row with the Unicode Bidirectional Algorithm
//!    (`unicode-bidi`): right-to-left level runs are reversed word by word,
//!    so egui's own per-word reversal completes the visual order,
//! 3. lays that display text out and matches its glyphs back to logical
//!    chars, giving each char a box on screen.
//!
//! Every offset stays logical; only painting and pointer positions go
//! through the boxes. Lines without right-to-left letters skip all this.

use std::ops::Range;
use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

/// One glyph as laid out: its char, row and horizontal extent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphAt {
    pub chr: char,
    pub row: usize,
    pub x0: f32,
    pub x1: f32,
}

/// Where a char is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    pub row: usize,
    pub x0: f32,
    pub x1: f32,
}

/// A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana…).
pub fn is_rtl_letter(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// A mark that belongs to the letter before it.
fn is_mark(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::NSM) || c == '\u{200D}' || c == '\u{200C}'
}

pub fn has_rtl(s: &str) -> bool {
    s.chars().any(is_rtl_letter)
}

/// Matches egui's glyphs to the chars of the text they were laid out from.
/// A run of right-to-left letters comes either in order (no font shapes
/// it) or reversed, one glyph per cluster (its first char), followed by up
/// to one zero-width continuation glyph per further char; everything else
/// comes one glyph per char. Line breaks have no glyph. `None` when the
/// glyphs do not fit this shape (a future egui): the caller falls back.
pub fn match_glyphs(glyphs: &[GlyphAt], text: &[char]) -> Option<Vec<Option<CharBox>>> {
    let boxed = |g: &GlyphAt| {
        Some(CharBox {
            row: g.row,
            x0: g.x0,
            x1: g.x1,
        })
    };
    let mut out = vec![None; text.len()];
    let (mut i, mut p) = (0, 0);
    while p < text.len() {
        if text[p] == '\n' {
            p += 1;
            continue;
        }
        if !is_rtl_letter(text[p]) {
            let g = glyphs.get(i)?;
            if g.chr != text[p] {
                return None;
            }
            out[p] = boxed(g);
            i += 1;
            p += 1;
            continue;
        }
        let mut q = p + 1;
        while q < text.len() && (is_rtl_letter(text[q]) || is_mark(text[q])) {
            q += 1;
        }
        let run = &text[p..q];
        let in_order = glyphs.len() >= i + run.len()
            && glyphs[i..i + run.len()]
                .iter()
                .zip(run)
                .all(|(g, c)| g.chr == *c);
        if in_order {
            for (k, g) in glyphs[i..i + run.len()].iter().enumerate() {
                out[p + k] = boxed(g);
            }
            i += run.len();
            p = q;
            continue;
        }
        // Reversed: clusters from the run's logical end to its start.
        let mut k = q;
        while k > p {
            let g = glyphs.get(i)?;
            let j = (k.saturating_sub(4).max(p)..k)
                .rev()
                .find(|&j| text[j] == g.chr)?;
            for slot in &mut out[j..k] {
                *slot = boxed(g);
            }
            i += 1;
            k = j;
        }
        let mut extra = 0;
        while extra + 1 < run.len()
            && glyphs
                .get(i)
                .is_some_and(|g| g.x1 - g.x0 <= 0.01 && run.contains(&g.chr))
        {
            i += 1;
            extra += 1;
        }
        p = q;
    }
    Some(out)
}

/// Where each logical char of a right-to-left line is drawn, and the
/// display order of them.
pub struct Visual {
    pub boxes: Vec<CharBox>,
    pub rtl: Vec<bool>,
    /// Per logical char: its place in display order (row, then left to
    /// right), so a range's chars that are drawn side by side are found
    /// without looking at the rest of the line; and the other way round.
    shown_at: Vec<u32>,
    order: Vec<u32>,
    pub base_rtl: bool,
}

impl Visual {
    pub fn new(boxes: Vec<CharBox>, rtl: Vec<bool>, base_rtl: bool) -> Self {
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        order.sort_by(|&p, &q| {
            let (a, b) = (&boxes[p], &boxes[q]);
            (a.row, a.x0, p)
                .partial_cmp(&(b.row, b.x0, q))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut shown_at = vec![0; boxes.len()];
        for (k, &l) in order.iter().enumerate() {
            shown_at[l] = k as u32;
        }
        Self {
            boxes,
            rtl,
            shown_at,
            order: order.into_iter().map(|l| l as u32).collect(),
            base_rtl,
        }
    }

    /// The stretches of chars `[a, b)` drawn side by side: (row, x0, x1),
    /// one per run of chars next to each other in display order on one
    /// row. No seams inside a word, never a stretch over a char outside
    /// the range, and the cost is the range's, not the line's.
    pub fn stretches(&self, a: usize, b: usize) -> Vec<(usize, f32, f32)> {
        let b = b.min(self.boxes.len());
        let mut shown: Vec<u32> = (a.min(b)..b).map(|i| self.shown_at[i]).collect();
        shown.sort_unstable();
        let mut out: Vec<(usize, f32, f32)> = Vec::new();
        let mut prev: Option<u32> = None;
        for k in shown {
            let bx = self.boxes[self.order[k as usize] as usize];
            match out.last_mut() {
                Some((row, x0, x1)) if *row == bx.row && prev.is_some_and(|p| p + 1 == k) => {
                    *x0 = x0.min(bx.x0);
                    *x1 = x1.max(bx.x1);
                }
                _ => out.push((bx.row, bx.x0, bx.x1)),
            }
            prev = Some(k);
        }
        out
    }

    /// The logical range of every char on `row` a third or more of which
    /// lies between `x0` and `x1` (what a drag between them shows), whole
    /// clusters. A third, not a half: a drag begun on a thin letter (an
    /// alef) takes it.
    pub fn span_between(&self, row: usize, x0: f32, x1: f32) -> Option<(usize, usize)> {
        let mut inside = self.boxes.iter().enumerate().filter(|(_, bx)| {
            let covered = bx.x1.min(x1) - bx.x0.max(x0);
            bx.row == row && bx.x1 > bx.x0 && covered >= (bx.x1 - bx.x0) / 3.0
        });
        let first = inside.next()?;
        let (lo, hi) = inside.fold((first.0, first.0), |(lo, hi), (i, _)| {
            (lo.min(i), hi.max(i))
        });
        // The last char of a cluster drawn as one glyph.
        let hi = (hi..self.boxes.len())
            .take_while(|&k| self.boxes[k] == self.boxes[hi])
            .last()
            .unwrap_or(hi);
        Some((lo, hi + 1))
    }
}

/// A line's text in display order: `chars` (rows joined by `'\n'`) and,
/// for each, the logical char it shows (`usize::MAX` for the row breaks).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Display {
    pub chars: Vec<char>,
    pub logical: Vec<usize>,
    /// The paragraph reads right to left (rows align right).
    pub base_rtl: bool,
    /// Per logical char: whether it sits in a right-to-left run, so its
    /// logical start is its right edge.
    pub rtl: Vec<bool>,
}

/// Reorders each row (`rows`: logical char ranges, in order) of `line` for
/// display. Right-to-left level runs are reversed by "atoms" — runs of
/// right-to-left letters, runs of digits and left-to-right letters, and
/// single other chars — keeping each atom's chars in logical order: egui
/// reverses the letter runs itself, and numbers read left to right even
/// inside Arabic. Brackets in right-to-left runs are mirrored.
pub fn display(line: &str, rows: &[Range<usize>]) -> Display {
    let chars: Vec<char> = line.chars().collect();
    let byte_at: Vec<usize> = line
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(line.len()))
        .collect();
    let char_at = |b: usize| byte_at.partition_point(|x| *x < b);
    let info = BidiInfo::new(line, None);
    let mut out = Display {
        rtl: vec![false; chars.len()],
        ..Display::default()
    };
    let Some(para) = info.paragraphs.first() else {
        return out;
    };
    out.base_rtl = para.level.is_rtl();
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            out.chars.push('\n');
            out.logical.push(usize::MAX);
        }
        if row.is_empty() {
            continue;
        }
        let (levels, runs) = info.visual_runs(para, byte_at[row.start]..byte_at[row.end]);
        for run in runs {
            let (a, b) = (char_at(run.start), char_at(run.end));
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            if !rtl {
                out.chars.extend_from_slice(&chars[a..b]);
                out.logical.extend(a..b);
                continue;
            }
            for atom in atoms(&chars, a..b).into_iter().rev() {
                for c in atom {
                    out.rtl[c] = true;
                    out.chars.push(mirror(chars[c]));
                    out.logical.push(c);
                }
            }
        }
    }
    out
}

/// Splits a right-to-left run into the pieces kept in logical order.
fn atoms(chars: &[char], r: Range<usize>) -> Vec<Range<usize>> {
    let kind = |c: char| {
        if is_rtl_letter(c) {
            1
        } else if matches!(bidi_class(c), BidiClass::L | BidiClass::EN | BidiClass::AN) {
            2
        } else {
            0
        }
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in r {
        let k = kind(chars[i]);
        let joins = match out.last() {
            Some(last) if last.end == i => {
                let prev = kind(chars[last.start]);
                (k != 0 && k == prev) || (is_mark(chars[i]) && prev != 0)
            }
            _ => false,
        };
        match out.last_mut() {
            Some(last) if joins => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs as egui 0.37 makes them: runs of RTL letters reversed (one
    /// per char here) and followed by zero-width continuation glyphs.
    fn egui_like(text: &str) -> Vec<GlyphAt> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut x = 0.0;
        let mut push = |c: char, w: f32, out: &mut Vec<GlyphAt>| {
            out.push(GlyphAt {
                chr: c,
                row: 0,
                x0: x,
                x1: x + w,
            });
            x += w;
        };
        let mut p = 0;
        while p < chars.len() {
            if is_rtl_letter(chars[p]) {
                let mut q = p;
                while q < chars.len() && is_rtl_letter(chars[q]) {
                    q += 1;
                }
                for c in chars[p..q].iter().rev() {
                    push(*c, 8.0, &mut out);
                }
                for c in &chars[p + 1..q] {
                    push(*c, 0.0, &mut out);
                }
                p = q;
            } else {
                push(chars[p], 6.0, &mut out);
                p += 1;
            }
        }
        out
    }

    #[test]
    fn glyphs_of_reversed_runs_map_back_to_logical_chars() {
        let text = "Hi שלום end";
        let chars: Vec<char> = text.chars().collect();
        let glyphs = egui_like(text);
        assert_eq!(glyphs.len(), chars.len() + 3, "egui's extra glyphs");
        let boxes = match_glyphs(&glyphs, &chars).unwrap();
        // ש is logical char 3 and is drawn rightmost of the word.
        let xs: Vec<f32> = (3..7).map(|i| boxes[i].unwrap().x0).collect();
        assert!(xs.windows(2).all(|w| w[0] > w[1]), "{xs:?}");
        // "end" after the word is where egui drew it.
        assert_eq!(boxes[8].unwrap().x0, glyphs[8 + 3].x0);
        // Glyphs that fit no known shape: no map.
        let wrong = [GlyphAt {
            chr: 'x',
            row: 0,
            x0: 0.0,
            x1: 1.0,
        }];
        assert!(match_glyphs(&wrong, &['y']).is_none());
    }

    #[test]
    fn rtl_rows_are_reordered_by_words_keeping_numbers_and_mirroring() {
        let line = "العربية لغة (جميلة) 2025 end";
        let n = line.chars().count();
        let d = display(line, std::slice::from_ref(&(0..n)));
        assert!(d.base_rtl);
        let shown: String = d.chars.iter().collect();
        // Words in right-to-left order, each in logical order (egui reverses
        // the letters), the number left to right, brackets mirrored.
        assert_eq!(shown, "end 2025 (جميلة) لغة العربية");
        for (k, &l) in d.logical.iter().enumerate() {
            let c = line.chars().nth(l).unwrap();
            assert!(d.chars[k] == c || d.chars[k] == mirror(c));
        }
        let mixed = "Read שלום עולם now";
        let d = display(mixed, std::slice::from_ref(&(0..mixed.chars().count())));
        assert!(!d.base_rtl);
        assert_eq!(d.chars.iter().collect::<String>(), "Read עולם שלום now");
        assert!(d.rtl[5] && !d.rtl[0]);
        // Two rows: each is reordered on its own.
        let d = display(mixed, &[0..10, 10..18]);
        assert_eq!(d.chars.iter().collect::<String>(), "Read שלום \nעולם now");
    }

    #[test]
    fn a_drag_takes_a_char_it_covers_a_third_of_and_stretches_join_side_by_side() {
        let b = |x0: f32, x1: f32| CharBox { row: 0, x0, x1 };
        // Drawn right to left: char 0 rightmost.
        let v = Visual::new(
            vec![b(20.0, 24.0), b(10.0, 20.0), b(0.0, 10.0)],
            vec![true; 3],
            true,
        );
        assert_eq!(
            v.span_between(0, 0.0, 22.0),
            Some((0, 3)),
            "2 of the thin 4 px"
        );
        assert_eq!(
            v.span_between(0, 0.0, 20.5),
            Some((1, 3)),
            "half a pixel is not it"
        );
        assert_eq!(v.span_between(0, 30.0, 40.0), None);
        assert_eq!(v.stretches(0, 3), vec![(0, 0.0, 24.0)]);
        // Chars 0 and 2 are not side by side: two stretches.
        let w = Visual::new(
            vec![b(20.0, 24.0), b(0.0, 10.0), b(10.0, 20.0)],
            vec![true; 3],
            true,
        );
        assert_eq!(w.stretches(0, 2), vec![(0, 0.0, 10.0), (0, 20.0, 24.0)]);
    }
}
