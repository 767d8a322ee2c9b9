//! Approximate string search: where `pattern` occurs in `text` with the
//! fewest edits (insertions, deletions, substitutions), up to a bound.
//!
//! Myers' bit-parallel algorithm ("A Fast Bit-Vector Algorithm for
//! Approximate String Matching Based on Dynamic Programming", 1999) with
//! its block extension for patterns longer than a machine word: a column
//! of the edit-distance matrix is computed 64 pattern chars at a time, and
//! blocks whose bottom row already exceeds the bound are skipped. This is
//! the algorithm of the `approx-string-match` package that the Hypothesis
//! client anchors with, so results agree with it (the conformance cases in
//! `shared/conformance/anchoring/approx_search_cases.json` check this).
//! Units are chars (Unicode scalar values), like every offset in Gloss.

use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub errors: usize,
}

const W: usize = 64;

/// The pattern compiled for the search: per char, a bit mask per block of
/// where that char occurs in the pattern. ASCII chars are looked up in a
/// table (the search does one lookup per char of a whole book).
struct Pattern {
    len: usize,
    blocks: usize,
    /// Masks, `blocks` words per distinct char; entry 0 is all zeros.
    masks: Vec<u64>,
    ascii: [u32; 128],
    other: HashMap<char, u32>,
    last_row: Vec<u64>,
}

impl Pattern {
    fn new(pattern: &[char]) -> Self {
        let blocks = pattern.len().div_ceil(W);
        let mut p = Self {
            len: pattern.len(),
            blocks,
            masks: vec![0; blocks],
            ascii: [0; 128],
            other: HashMap::new(),
            last_row: vec![1u64 << (W - 1); blocks],
        };
        for (i, &c) in pattern.iter().enumerate() {
            let mut slot = p.slot(c);
            if slot == 0 {
                slot = (p.masks.len() / blocks) as u32;
                p.masks.extend(std::iter::repeat_n(0, blocks));
                match c as usize {
                    a if a < 128 => p.ascii[a] = slot,
                    _ => {
                        p.other.insert(c, slot);
                    }
                }
            }
            p.masks[slot as usize * blocks + i / W] |= 1 << (i % W);
        }
        p.last_row[blocks - 1] = 1 << ((pattern.len() - 1) % W);
        p
    }

    fn slot(&self, c: char) -> u32 {
        match c as usize {
            a if a < 128 => self.ascii[a],
            _ => self.other.get(&c).copied().unwrap_or(0),
        }
    }

    fn eq(&self, c: char) -> &[u64] {
        let at = self.slot(c) as usize * self.blocks;
        &self.masks[at..at + self.blocks]
    }
}

/// One block step of the column update; returns the horizontal delta
/// (−1, 0 or +1) at the block's last row.
#[inline]
fn advance(p: &mut u64, m: &mut u64, eq: u64, last_row: u64, h_in: i32) -> i32 {
    let (pv, mv) = (*p, *m);
    let h_in_neg = u64::from(h_in < 0);
    let eq = eq | h_in_neg;
    let xv = eq | mv;
    let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
    let mut ph = mv | !(xh | pv);
    let mut mh = pv & xh;
    let h_out = i32::from(ph & last_row != 0) - i32::from(mh & last_row != 0);
    ph <<= 1;
    mh <<= 1;
    mh |= h_in_neg;
    ph |= u64::from(h_in > 0);
    *p = mh | !(xv | ph);
    *m = ph & xv;
    h_out
}

/// Ends (exclusive) and error counts of the best matches: only those with
/// the lowest error count found, and at most `max_errors`.
fn match_ends(text: &[char], pattern: &[char], max_errors: usize) -> Vec<(usize, usize)> {
    if pattern.is_empty() {
        return Vec::new();
    }
    let pat = Pattern::new(pattern);
    let mut max_errors = max_errors.min(pat.len) as i64;
    let b_max = pat.blocks - 1;
    let mut p = vec![!0u64; pat.blocks];
    let mut m = vec![0u64; pat.blocks];
    // The bottom row of each block, as an error count.
    let mut score = vec![0i64; pat.blocks];
    let mut y = (max_errors as usize).div_ceil(W).saturating_sub(1);
    for (b, s) in score.iter_mut().enumerate().take(y + 1) {
        *s = ((b + 1) * W) as i64;
    }
    score[b_max] = pat.len as i64;
    let mut found = Vec::new();
    for (j, &c) in text.iter().enumerate() {
        let eq = pat.eq(c);
        let mut carry = 0;
        for b in 0..=y {
            carry = advance(&mut p[b], &mut m[b], eq[b], pat.last_row[b], carry);
            score[b] += i64::from(carry);
        }
        if score[y] - i64::from(carry) <= max_errors
            && y < b_max
            && (eq[y + 1] & 1 != 0 || carry < 0)
        {
            y += 1;
            p[y] = !0;
            m[y] = 0;
            let block_len = if y == b_max && !pat.len.is_multiple_of(W) {
                pat.len % W
            } else {
                W
            };
            let h = advance(&mut p[y], &mut m[y], eq[y], pat.last_row[y], carry);
            score[y] = score[y - 1] + block_len as i64 - i64::from(carry) + i64::from(h);
        } else {
            while y > 0 && score[y] >= max_errors + W as i64 {
                y -= 1;
            }
        }
        if y == b_max && score[y] <= max_errors {
            if score[y] < max_errors {
                found.clear();
            }
            found.push((j + 1, score[y] as usize));
            // Only the best matches are reported, so the bound can tighten.
            max_errors = score[y];
        }
    }
    found
}

/// The best approximate matches of `pattern` in `text` with at most
/// `max_errors` edits. A match's start is found by searching the reversed
/// pattern backwards from its end; of several starts, the longest match.
pub fn search(text: &[char], pattern: &[char], max_errors: usize) -> Vec<Match> {
    let ends = match_ends(text, pattern, max_errors);
    if ends.is_empty() {
        return Vec::new();
    }
    let reversed: Vec<char> = pattern.iter().rev().copied().collect();
    ends.into_iter()
        .map(|(end, errors)| {
            let min_start = end.saturating_sub(pattern.len() + errors);
            let back: Vec<char> = text[min_start..end].iter().rev().copied().collect();
            let start = match_ends(&back, &reversed, errors)
                .into_iter()
                .map(|(e, _)| end - e)
                .min()
                .unwrap_or(end);
            Match { start, end, errors }
        })
        .collect()
}

/// The fewest edits that turn `pattern` into some substring of `text`
/// (exact occurrences first, as the Hypothesis client does); `None` when
/// either is empty.
pub fn min_errors(text: &[char], pattern: &[char]) -> Option<usize> {
    if text.is_empty() || pattern.is_empty() {
        return None;
    }
    if text.windows(pattern.len()).any(|w| w == pattern) {
        return Some(0);
    }
    search(text, pattern, pattern.len())
        .first()
        .map(|m| m.errors)
        .or(Some(pattern.len()))
}

/// Edit distance between two whole strings (Levenshtein), for comparing a
/// quote with the text now at its mapped range. Linear memory.
pub fn distance(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if ca == cb {
                diag
            } else {
                1 + diag.min(up).min(row[j])
            };
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_exact_and_approximate_matches() {
        let t = chars("three blind mice");
        assert_eq!(
            search(&t, &chars("blind"), 5),
            [Match {
                start: 6,
                end: 11,
                errors: 0
            }]
        );
        let m = search(&t, &chars("bliind"), 6);
        assert_eq!((m[0].start, m[0].end, m[0].errors), (6, 11, 1));
        assert!(search(&chars("four candles"), &chars("foouur"), 1).is_empty());
        assert!(search(&t, &[], 3).is_empty());
    }

    #[test]
    fn long_patterns_span_blocks_and_count_chars_not_bytes() {
        let text: String = format!("{}{}", "😀é".repeat(40), "Ω".repeat(100));
        let pattern: String = format!("{}X{}", "😀é".repeat(10), "Ω".repeat(79));
        let m = search(&chars(&text), &chars(&pattern), 10);
        assert!(!m.is_empty());
        assert!(m.iter().all(|m| m.errors == 1), "{m:?}");
        assert_eq!(m[0].end, 80 + 79);
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(distance(&chars(""), &chars("ab")), 2);
        assert_eq!(min_errors(&chars("xx cat xx"), &chars("cat")), Some(0));
        assert_eq!(min_errors(&chars("xx cot xx"), &chars("cat")), Some(1));
        assert_eq!(min_errors(&chars(""), &chars("cat")), None);
    }
}
