//! What Word's paragraph styles and numbering say about a paragraph:
//! whether it is a heading (for the view), and the marker a list item
//! shows ("1.", "a)", "•"), numbered as Word numbers it.

use super::{attr, is};
use roxmltree::{Document, Node};
use std::collections::HashMap;

/// What one style says for itself (before what it is based on).
#[derive(Default)]
struct Style {
    based_on: Option<String>,
    /// `w:vanish` in its run properties: Some(true) hidden, Some(false)
    /// explicitly shown.
    vanish: Option<bool>,
    /// `w:numPr` in its paragraph properties: (numId, ilvl).
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// Heading levels, hidden text and list numbering by style id
/// (`styles.xml`), each followed along `w:basedOn` as Word does.
#[derive(Default)]
pub struct Styles {
    headings: HashMap<String, u8>,
    styles: HashMap<String, Style>,
}

/// A `w:vanish` (or any on/off property): on unless `val` says off.
pub(super) fn on_off(n: Node<'_, '_>) -> bool {
    !matches!(attr(&n, "val"), Some("false" | "0" | "off"))
}

impl Styles {
    pub fn parse(doc: Option<&Document<'_>>) -> Self {
        let mut headings = HashMap::new();
        let mut styles = HashMap::new();
        for style in doc
            .iter()
            .flat_map(|d| d.descendants())
            .filter(|n| is(n, "style"))
        {
            let Some(id) = attr(&style, "styleId") else {
                continue;
            };
            let name = child(style, "name")
                .and_then(|n| attr(&n, "val"))
                .unwrap_or("");
            let ppr = child(style, "pPr");
            let outline = ppr
                .and_then(|p| child(p, "outlineLvl"))
                .and_then(|o| attr(&o, "val")?.parse::<u8>().ok());
            if let Some(level) = level_of_name(name).or(outline.map(|o| o + 1)) {
                headings.insert(id.to_string(), level.min(6));
            }
            let num = ppr.and_then(|p| child(p, "numPr"));
            let num_val = |name: &str| {
                num.and_then(|n| child(n, name))
                    .and_then(|c| attr(&c, "val"))
            };
            styles.insert(
                id.to_string(),
                Style {
                    based_on: child(style, "basedOn")
                        .and_then(|b| attr(&b, "val"))
                        .map(str::to_string),
                    vanish: child(style, "rPr")
                        .and_then(|r| child(r, "vanish"))
                        .map(on_off),
                    num_id: num_val("numId").map(str::to_string),
                    ilvl: num_val("ilvl").and_then(|l| l.parse().ok()),
                },
            );
        }
        Self { headings, styles }
    }

    /// The first answer `get` gives along style `id`'s `basedOn` chain
    /// (a loop or a chain deeper than Word's own stops it).
    fn along<T>(&self, id: &str, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut id = id;
        for _ in 0..32 {
            let style = self.styles.get(id)?;
            if let Some(v) = get(style) {
                return Some(v);
            }
            id = style.based_on.as_deref()?;
        }
        None
    }

    /// Whether text in style `id` is hidden (Format → Font → Hidden).
    pub fn hides(&self, id: &str) -> bool {
        self.along(id, |s| s.vanish).unwrap_or(false)
    }

    /// The list a paragraph style numbers its paragraphs in, and at which
    /// level ("List Number", "List Bullet").
    pub fn numbering(&self, id: &str) -> (Option<String>, Option<u8>) {
        (
            self.along(id, |s| s.num_id.clone()),
            self.along(id, |s| s.ilvl),
        )
    }

    /// The heading level of a paragraph with properties `ppr`, if any.
    pub fn heading(&self, ppr: Option<Node<'_, '_>>) -> Option<u8> {
        let ppr = ppr?;
        if let Some(o) = child(ppr, "outlineLvl").and_then(|o| attr(&o, "val")?.parse::<u8>().ok())
            && o < 9
        {
            return Some((o + 1).min(6));
        }
        let id = child(ppr, "pStyle").and_then(|s| attr(&s, "val"))?;
        self.headings.get(id).copied().or_else(|| level_of_name(id))
    }
}

/// "heading 2" (a style's name) or "Heading2" (an id without styles.xml).
fn level_of_name(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase().replace(' ', "");
    if lower == "title" {
        return Some(1);
    }
    let n: u8 = lower.strip_prefix("heading")?.parse().ok()?;
    (1..=9).contains(&n).then_some(n.min(6))
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, name))
}

struct Level {
    format: String,
    text: String,
    start: u32,
}

/// List numbering (`numbering.xml`), counted as the document is read.
#[derive(Default)]
pub struct Numbering {
    /// numId → abstractNumId
    nums: HashMap<String, String>,
    levels: HashMap<(String, u8), Level>,
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    pub fn parse(doc: Option<&Document<'_>>) -> Self {
        let mut n = Self::default();
        for node in doc.iter().flat_map(|d| d.descendants()) {
            if is(&node, "num")
                && let (Some(id), Some(abs)) = (
                    attr(&node, "numId"),
                    child(node, "abstractNumId").and_then(|a| attr(&a, "val")),
                )
            {
                n.nums.insert(id.into(), abs.into());
            } else if is(&node, "abstractNum")
                && let Some(abs) = attr(&node, "abstractNumId")
            {
                for lvl in node.children().filter(|c| is(c, "lvl")) {
                    let Some(ilvl) = attr(&lvl, "ilvl").and_then(|i| i.parse::<u8>().ok()) else {
                        continue;
                    };
                    let val = |name: &str| child(lvl, name).and_then(|c| attr(&c, "val"));
                    n.levels.insert(
                        (abs.into(), ilvl.min(8)),
                        Level {
                            format: val("numFmt").unwrap_or("decimal").into(),
                            text: val("lvlText").unwrap_or("%1.").into(),
                            start: val("start").and_then(|s| s.parse().ok()).unwrap_or(1),
                        },
                    );
                }
            }
        }
        n
    }

    /// The marker of the next item of list `num_id` at level `ilvl`
    /// ("3.", "b)", "•"); `None` for numId 0 (numbering removed).
    pub fn marker(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        if num_id == "0" {
            return None;
        }
        let ilvl = usize::from(ilvl.min(8));
        let Some(abs) = self.nums.get(num_id) else {
            return Some("•".into());
        };
        let level = |l: usize| self.levels.get(&(abs.clone(), l as u8));
        let Some(this) = level(ilvl) else {
            return Some("•".into());
        };
        if this.format == "bullet" {
            return Some("•".into());
        }
        let starts: Vec<u32> = (0..9).map(|l| level(l).map_or(1, |x| x.start)).collect();
        let counters = self.counters.entry(num_id.to_string()).or_insert([0; 9]);
        counters[ilvl] = if counters[ilvl] == 0 {
            starts[ilvl]
        } else {
            counters[ilvl] + 1
        };
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = 0;
        }
        let counters = *counters;
        let mut text = this.text.clone();
        for l in (0..=ilvl).rev() {
            let format = level(l).map_or("decimal", |x| x.format.as_str());
            let value = if counters[l] == 0 {
                starts[l]
            } else {
                counters[l]
            };
            text = text.replace(&format!("%{}", l + 1), &number(value, format));
        }
        Some(text)
    }
}

fn number(n: u32, format: &str) -> String {
    use super::super::Numbered;
    let style = match format {
        "lowerLetter" => Numbered::LowerLetter,
        "upperLetter" => Numbered::UpperLetter,
        "lowerRoman" => Numbered::LowerRoman,
        "upperRoman" => Numbered::UpperRoman,
        "none" => Numbered::Nothing,
        _ => Numbered::Decimal,
    };
    style.number(n)
}
