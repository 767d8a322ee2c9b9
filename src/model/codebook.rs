//! The codebook: the tags a project codes with.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    #[serde(default)]
    pub description: String,
    /// The code this one refines (claim › factual), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The number key (1–9) the user bound to this code; codes without one
    /// fill the keys left free, in codebook order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<u8>,
}

impl Tag {
    pub fn new(name: &str, color: &str, description: &str) -> Self {
        Self {
            name: name.into(),
            color: color.into(),
            description: description.into(),
            parent: None,
            key: None,
        }
    }

    /// This tag under `parent`.
    pub fn under(mut self, parent: &str) -> Self {
        self.parent = Some(parent.into());
        self
    }

    /// The colour as RGB; a malformed colour reads as grey rather than failing.
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_color(&self.color).unwrap_or([128, 128, 128])
    }
}

/// Okabe–Ito, a palette that stays distinguishable with the common colour
/// vision deficiencies. New tags cycle through it.
pub const PALETTE: [&str; 8] = [
    "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Codebook {
    pub tags: Vec<Tag>,
}

impl Default for Codebook {
    fn default() -> Self {
        Self {
            tags: vec![
                Tag::new(
                    "claim",
                    PALETTE[0],
                    "An assertion the text makes or reports.",
                ),
                Tag::new(
                    "source",
                    PALETTE[1],
                    "Who or what a statement is attributed to.",
                ),
                Tag::new(
                    "evidence",
                    PALETTE[2],
                    "Facts, figures or documents offered in support.",
                ),
                Tag::new("question", PALETTE[3], "Something to check or follow up."),
            ],
        }
    }
}

impl Codebook {
    pub fn get(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// `name` and every code under it, at any depth (a parent loop, which
    /// a hand-edited file could hold, ends the walk).
    pub fn with_descendants(&self, name: &str) -> Vec<String> {
        let mut out = vec![name.to_string()];
        let mut i = 0;
        while i < out.len() {
            for t in &self.tags {
                if t.parent.as_deref() == Some(out[i].as_str()) && !out.contains(&t.name) {
                    out.push(t.name.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// "claim › factual": the code's path from its root.
    pub fn path(&self, name: &str) -> String {
        let mut parts = vec![name.to_string()];
        let mut at = name;
        while let Some(p) = self.get(at).and_then(|t| t.parent.as_deref()) {
            if parts.iter().any(|x| x == p) {
                break;
            }
            parts.push(p.to_string());
            at = p;
        }
        parts.reverse();
        parts.join(" › ")
    }

    /// The tag bound to number key `n` (1–9).
    pub fn by_key(&self, n: usize) -> Option<&Tag> {
        let i = (*self.keys().get(n.checked_sub(1)?)?)?;
        self.tags.get(i)
    }

    /// Which tag (by index) each number key 1–9 types: a key a code was
    /// bound to, else the first codes without a binding, in order (so an
    /// unbound codebook keys its first nine codes).
    pub fn keys(&self) -> [Option<usize>; 9] {
        let mut keys = [None; 9];
        for (i, t) in self.tags.iter().enumerate() {
            if let Some(k) = t.key.filter(|k| (1..=9).contains(k))
                && keys[k as usize - 1].is_none()
            {
                keys[k as usize - 1] = Some(i);
            }
        }
        let bound = keys;
        let mut free = self
            .tags
            .iter()
            .enumerate()
            .filter(|(i, t)| t.key.is_none() && !bound.contains(&Some(*i)))
            .map(|(i, _)| i);
        for k in keys.iter_mut().filter(|k| k.is_none()) {
            *k = free.next();
        }
        keys
    }

    /// The number key that types tag `index`, if any.
    pub fn key_of(&self, index: usize) -> Option<usize> {
        self.keys()
            .iter()
            .position(|k| *k == Some(index))
            .map(|k| k + 1)
    }

    /// The codes as a tree, depth first: (index, depth). Roots and
    /// siblings keep codebook order; a code whose parent is missing, or
    /// that sits in a parent loop, is a root.
    pub fn tree(&self) -> Vec<(usize, usize)> {
        let rooted = |i: usize| {
            let mut seen = vec![i];
            let mut at = i;
            loop {
                let Some(p) = self.tags[at].parent.as_deref() else {
                    return true;
                };
                match self.tags.iter().position(|t| t.name == p) {
                    None => return true,
                    Some(j) if seen.contains(&j) => return false,
                    Some(j) => {
                        seen.push(j);
                        at = j;
                    }
                }
            }
        };
        let is_root = |i: usize| {
            let t = &self.tags[i];
            t.parent.as_deref().is_none_or(|p| self.get(p).is_none()) || !rooted(i)
        };
        let mut out = Vec::with_capacity(self.tags.len());
        let mut stack: Vec<(usize, usize)> = (0..self.tags.len())
            .rev()
            .filter(|&i| is_root(i))
            .map(|i| (i, 0))
            .collect();
        while let Some((i, depth)) = stack.pop() {
            if out.iter().any(|(j, _)| *j == i) {
                continue;
            }
            out.push((i, depth));
            let name = &self.tags[i].name;
            for (j, t) in self.tags.iter().enumerate().rev() {
                if t.parent.as_ref() == Some(name) && !is_root(j) {
                    stack.push((j, depth + 1));
                }
            }
        }
        out
    }

    /// Whether `name` may go under `parent` (not under itself or one of
    /// its own descendants).
    pub fn can_reparent(&self, name: &str, parent: Option<&str>) -> bool {
        parent.is_none_or(|p| {
            self.get(p).is_some() && !self.with_descendants(name).iter().any(|d| d == p)
        })
    }

    /// A colour for the next new tag: the first of the palette no code has
    /// (so a new code never looks like an existing one); once all are
    /// taken, the palette again, by count.
    pub fn next_color(&self) -> &'static str {
        let used = |c: &str| self.tags.iter().any(|t| t.color.eq_ignore_ascii_case(c));
        PALETTE
            .iter()
            .find(|c| !used(c))
            .copied()
            .unwrap_or(PALETTE[self.tags.len() % PALETTE.len()])
    }

    /// Every code that types a number key by its place in the codebook
    /// bound to that key explicitly, so inserting or removing a code
    /// moves no other code's key. Returns whether any changed.
    pub fn pin_keys(&mut self) -> bool {
        let keys = self.keys();
        let mut changed = false;
        for (k, i) in keys.iter().enumerate() {
            if let Some(t) = i.and_then(|i| self.tags.get_mut(i))
                && t.key.is_none()
            {
                t.key = u8::try_from(k + 1).ok();
                changed = true;
            }
        }
        changed
    }

    /// A name not yet used, e.g. `tag 5`.
    pub fn fresh_name(&self) -> String {
        (self.tags.len() + 1..)
            .map(|i| format!("tag {i}"))
            .find(|n| self.get(n).is_none())
            .unwrap_or_default()
    }
}

/// Parses `#rrggbb` (the `#` optional).
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let s = s.trim().trim_start_matches('#');
    if s.len() != 6 || !s.is_ascii() {
        return None;
    }
    let p = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
    Some([p(0)?, p(2)?, p(4)?])
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb.map(lin);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2 contrast ratio of two colours (1 to 21; text wants 4.5).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever has more contrast on `background`: the one
/// rule for text on a colour, in the window and in exported charts.
pub fn text_on(background: [u8; 3]) -> [u8; 3] {
    if contrast([0, 0, 0], background) >= contrast([255, 255, 255], background) {
        [0, 0, 0]
    } else {
        [255, 255, 255]
    }
}

pub fn to_hex_color(rgb: [u8; 3]) -> String {
    format!("#{:02X}{:02X}{:02X}", rgb[0], rgb[1], rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_codebook_has_four_keyed_tags() {
        let c = Codebook::default();
        let names: Vec<_> = c.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["claim", "source", "evidence", "question"]);
        assert_eq!(c.by_key(2).map(|t| t.name.as_str()), Some("source"));
        assert_eq!(c.by_key(5), None);
        assert_eq!(c.by_key(0), None);
    }

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(parse_hex_color("#D55E00"), Some([0xD5, 0x5E, 0x00]));
        assert_eq!(parse_hex_color("zzzzzz"), None);
        assert_eq!(parse_hex_color("#é1234"), None);
        assert_eq!(to_hex_color([1, 2, 255]), "#0102FF");
        assert_eq!(Tag::new("x", "bad", "").rgb(), [128, 128, 128]);
    }

    #[test]
    fn a_new_code_takes_a_colour_no_code_has() {
        let mut c = Codebook::default();
        // A code recoloured to what would have come next by count.
        c.tags[3].color = PALETTE[4].to_ascii_lowercase();
        assert_eq!(c.next_color(), PALETTE[3]);
        c.tags.truncate(0);
        assert_eq!(c.next_color(), PALETTE[0]);
        c.tags = PALETTE.iter().map(|p| Tag::new(p, p, "")).collect();
        assert!(PALETTE.contains(&c.next_color()), "all taken: cycles");
    }

    #[test]
    fn pinned_keys_stay_with_their_codes() {
        let mut c = Codebook::default();
        c.tags[2].key = Some(1);
        assert!(c.pin_keys());
        let keys: Vec<_> = c.tags.iter().map(|t| t.key).collect();
        assert_eq!(keys, [Some(2), Some(3), Some(1), Some(4)]);
        c.tags.insert(1, Tag::new("new", "#000000", ""));
        assert_eq!(c.by_key(2).unwrap().name, "claim");
        assert_eq!(c.by_key(5).unwrap().name, "new", "the first free key");
        assert!(c.pin_keys());
        assert_eq!(c.tags[1].key, Some(5));
    }

    #[test]
    fn fresh_names_do_not_collide() {
        let mut c = Codebook::default();
        c.tags.push(Tag::new("tag 5", "#000000", ""));
        assert_eq!(c.fresh_name(), "tag 6");
    }
}

#[cfg(test)]
mod hierarchy_tests {
    use super::*;

    #[test]
    fn codes_have_children_at_any_depth_and_loops_end() {
        let mut cb = Codebook::default();
        cb.tags
            .push(Tag::new("factual", "#000000", "").under("claim"));
        cb.tags
            .push(Tag::new("statistic", "#000000", "").under("factual"));
        cb.tags
            .push(Tag::new("normative", "#000000", "").under("claim"));
        assert_eq!(
            cb.with_descendants("claim"),
            ["claim", "factual", "normative", "statistic"]
        );
        assert_eq!(cb.with_descendants("source"), ["source"]);
        assert_eq!(cb.path("statistic"), "claim › factual › statistic");
        // A loop a hand-edited file could hold.
        cb.tags.push(Tag::new("a", "#000000", "").under("b"));
        cb.tags.push(Tag::new("b", "#000000", "").under("a"));
        assert_eq!(cb.with_descendants("a"), ["a", "b"]);
        assert_eq!(cb.path("a"), "b › a");
    }

    #[test]
    fn the_tree_is_depth_first_in_codebook_order_and_loops_become_roots() {
        let mut cb = Codebook::default();
        cb.tags
            .push(Tag::new("factual", "#000000", "").under("claim"));
        cb.tags
            .push(Tag::new("named", "#000000", "").under("source"));
        cb.tags
            .push(Tag::new("statistic", "#000000", "").under("factual"));
        cb.tags
            .push(Tag::new("orphan", "#000000", "").under("gone"));
        let names = |cb: &Codebook| -> Vec<(String, usize)> {
            cb.tree()
                .into_iter()
                .map(|(i, d)| (cb.tags[i].name.clone(), d))
                .collect()
        };
        let expect = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
            v.iter().map(|(n, d)| (n.to_string(), *d)).collect()
        };
        assert_eq!(
            names(&cb),
            expect(&[
                ("claim", 0),
                ("factual", 1),
                ("statistic", 2),
                ("source", 0),
                ("named", 1),
                ("evidence", 0),
                ("question", 0),
                ("orphan", 0),
            ])
        );
        cb.tags.push(Tag::new("a", "#000000", "").under("b"));
        cb.tags.push(Tag::new("b", "#000000", "").under("a"));
        let tree = cb.tree();
        assert_eq!(tree.len(), cb.tags.len(), "every code appears once");
        assert!(!cb.can_reparent("claim", Some("statistic")));
        assert!(!cb.can_reparent("claim", Some("claim")));
        assert!(!cb.can_reparent("claim", Some("nope")));
        assert!(cb.can_reparent("statistic", Some("source")));
        assert!(cb.can_reparent("statistic", None));
    }

    #[test]
    fn keys_can_be_rebound_and_unbound_codes_fill_the_rest() {
        let mut cb = Codebook::default();
        assert_eq!(cb.keys()[..5], [Some(0), Some(1), Some(2), Some(3), None]);
        // "question" takes key 1; the others move up into the free keys.
        cb.tags[3].key = Some(1);
        assert_eq!(cb.by_key(1).map(|t| t.name.as_str()), Some("question"));
        assert_eq!(cb.by_key(2).map(|t| t.name.as_str()), Some("claim"));
        assert_eq!(cb.key_of(2), Some(4));
        // Two codes asking for one key: the first keeps it.
        cb.tags[0].key = Some(1);
        assert_eq!(cb.by_key(1).map(|t| t.name.as_str()), Some("claim"));
        assert_eq!(cb.key_of(3), None, "a code whose key is taken has none");
        assert_eq!(cb.by_key(10), None);
    }
}
