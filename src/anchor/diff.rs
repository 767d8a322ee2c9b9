//! Mapping char positions from an old text to a new one through a diff.
//!
//! When Gloss knows the text an annotation was made on (the document
//! changed while it was open, or an old copy is given), a real diff says
//! exactly where every unchanged char went. Lines are compared first (fast
//! on books), then chars inside each changed stretch, so a fixed typo moves
//! nothing but the chars around it.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// Changed stretches larger than this (old + new chars) are not refined
/// char by char; positions inside them are only estimated. A bound on the
/// work, not on the time: the same texts give the same answer on any
/// machine under any load (a char diff of this size is a fraction of a
/// second even when nothing in it matches).
const REFINE_LIMIT: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    old: usize,
    old_len: usize,
    new: usize,
    new_len: usize,
    equal: bool,
}

/// Where each stretch of the old text is in the new one.
#[derive(Clone, Debug)]
pub struct PositionMap {
    segments: Vec<Segment>,
}

/// A mapped position: where it is now, and whether the char next to it was
/// unchanged (exact) or inside an edit (estimated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapped {
    pub pos: usize,
    pub exact: bool,
}

impl PositionMap {
    pub fn new(old: &str, new: &str) -> Self {
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
        let old_at = char_starts(&old_lines);
        let new_at = char_starts(&new_lines);
        let mut segments = Vec::new();
        // Lines by patience diff: lines unique to both texts anchor it, so
        // a book with large rewrites stays fast without a clock.
        for op in capture_diff_slices(Algorithm::Patience, &old_lines, &new_lines) {
            let (tag, o, n) = op.as_tag_tuple();
            let (o0, o1) = (old_at[o.start], old_at[o.end]);
            let (n0, n1) = (new_at[n.start], new_at[n.end]);
            if tag == DiffTag::Equal {
                segments.push(Segment {
                    old: o0,
                    old_len: o1 - o0,
                    new: n0,
                    new_len: n1 - n0,
                    equal: true,
                });
            } else if (o1 - o0) + (n1 - n0) <= REFINE_LIMIT {
                let a: Vec<char> = old_lines[o].concat().chars().collect();
                let b: Vec<char> = new_lines[n].concat().chars().collect();
                for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
                    let (tag, o, n) = op.as_tag_tuple();
                    segments.push(Segment {
                        old: o0 + o.start,
                        old_len: o.len(),
                        new: n0 + n.start,
                        new_len: n.len(),
                        equal: tag == DiffTag::Equal,
                    });
                }
            } else {
                segments.push(Segment {
                    old: o0,
                    old_len: o1 - o0,
                    new: n0,
                    new_len: n1 - n0,
                    equal: false,
                });
            }
        }
        Self { segments }
    }

    /// Length in chars of the old text.
    pub fn old_len(&self) -> usize {
        self.segments.last().map_or(0, |s| s.old + s.old_len)
    }

    /// Where a range's start goes: text inserted right before it pushes it.
    pub fn start(&self, pos: usize) -> Mapped {
        // The first segment that holds the char at `pos`.
        let i = self
            .segments
            .partition_point(|s| s.old + s.old_len <= pos && !(s.old_len == 0 && s.old == pos));
        let i = self.segments[i..]
            .iter()
            .position(|s| s.old_len > 0)
            .map_or(self.segments.len(), |k| i + k);
        self.map_in(i, pos)
    }

    /// Where a range's (exclusive) end goes: text inserted right after it
    /// stays out.
    pub fn end(&self, pos: usize) -> Mapped {
        if pos == 0 {
            return Mapped {
                pos: 0,
                exact: true,
            };
        }
        // The segment that holds the char just before `pos`.
        let i = self.segments.partition_point(|s| s.old + s.old_len < pos);
        let i = self.segments[i..]
            .iter()
            .position(|s| s.old_len > 0)
            .map_or(self.segments.len(), |k| i + k);
        self.map_in(i, pos)
    }

    fn map_in(&self, i: usize, pos: usize) -> Mapped {
        let Some(s) = self.segments.get(i) else {
            let end = self.segments.last().map_or(0, |s| s.new + s.new_len);
            return Mapped {
                pos: end,
                exact: true,
            };
        };
        let offset = pos.saturating_sub(s.old);
        if s.equal {
            Mapped {
                pos: s.new + offset,
                exact: true,
            }
        } else {
            Mapped {
                pos: s.new + offset.min(s.new_len),
                exact: offset == 0 || offset == s.old_len,
            }
        }
    }
}

fn char_starts(lines: &[&str]) -> Vec<usize> {
    let mut at = Vec::with_capacity(lines.len() + 1);
    let mut n = 0;
    at.push(0);
    for l in lines {
        n += l.chars().count();
        at.push(n);
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, a: usize, b: usize) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn unchanged_text_maps_exactly_around_edits() {
        let old = "Line one “quoted”.\r\nThe cat sat 😀 on the mat.\r\nEnd.";
        let new = "NEW LINE\r\nLine one “quoted”.\r\nThe big cat sat 😀 on a mat.\r\nEnd.";
        let map = PositionMap::new(old, new);
        // "quoted" (10..16) is on an unchanged line after an inserted one.
        let (s, e) = (map.start(10), map.end(16));
        assert!(s.exact && e.exact);
        assert_eq!(slice(new, s.pos, e.pos), "quoted");
        // "cat sat 😀" sits on a changed line: char-level diff keeps it exact.
        let cat = old.chars().collect::<String>().find("cat").unwrap();
        let cat = old[..cat].chars().count();
        let (s, e) = (map.start(cat), map.end(cat + 9));
        assert_eq!(slice(new, s.pos, e.pos), "cat sat 😀");
        assert!(s.exact && e.exact);
        // The end of the text maps to the end.
        let n = old.chars().count();
        assert_eq!(map.end(n).pos, new.chars().count());
    }

    #[test]
    fn insertions_at_a_boundary_stay_outside_the_range() {
        let old = "abcdef";
        let new = "abXXcdYYef";
        let map = PositionMap::new(old, new);
        // "cd" = 2..4: XX inserted before it, YY after it.
        assert_eq!(map.start(2).pos, 4);
        assert_eq!(map.end(4).pos, 6);
        assert_eq!(slice(new, 4, 6), "cd");
    }

    #[test]
    fn deleted_text_maps_to_the_edit_and_says_so() {
        let map = PositionMap::new("keep gone keep", "keep keep");
        let s = map.start(7);
        assert!(!s.exact);
        assert!((4..=5).contains(&s.pos), "{s:?}");
        assert_eq!(PositionMap::new("", "abc").end(0).pos, 0);
    }
}
