//! The codebook: the tags a project codes with.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    #[serde(default)]
    pub description: String,
}

impl Tag {
    pub fn new(name: &str, color: &str, description: &str) -> Self {
        Self {
            name: name.into(),
            color: color.into(),
            description: description.into(),
        }
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

    /// The tag bound to number key `n` (1-based): the first nine tags get 1–9.
    pub fn by_key(&self, n: usize) -> Option<&Tag> {
        (1..=9).contains(&n).then(|| self.tags.get(n - 1)).flatten()
    }

    /// A colour for the next new tag.
    pub fn next_color(&self) -> &'static str {
        PALETTE[self.tags.len() % PALETTE.len()]
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
    fn fresh_names_do_not_collide() {
        let mut c = Codebook::default();
        c.tags.push(Tag::new("tag 5", "#000000", ""));
        assert_eq!(c.fresh_name(), "tag 6");
    }
}
