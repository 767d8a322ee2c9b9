//! Characters no loaded font can draw. egui draws them as boxes, which
//! a reader cannot tell from the text: Gloss notices them as pieces are
//! laid out (only what is shown, so the cost is the frame's) and says
//! once per document which scripts need fonts.

use egui::FontId;
use std::collections::{BTreeSet, HashMap};
use unicode_script::UnicodeScript;

/// The characters seen so far and whether a font has them.
#[derive(Default)]
pub struct Coverage {
    known: HashMap<char, bool>,
    /// Scripts (or "emoji") with a char no font has, in name order.
    missing: BTreeSet<&'static str>,
    /// Whether `missing` changed since it was last said.
    news: bool,
}

/// Chars that are drawn with the letter before them, or not at all: a
/// font need not have a glyph of their own.
fn needs_no_glyph(c: char) -> bool {
    c.is_ascii()
        || c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
        || matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::NSM | unicode_bidi::BidiClass::BN
        )
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}')
}

/// What to call the script of `c` when asking for a font.
pub fn script_name(c: char) -> &'static str {
    if is_emoji(c) {
        return "emoji";
    }
    match c.script() {
        unicode_script::Script::Common | unicode_script::Script::Inherited => "symbols",
        s => s.full_name(),
    }
}

impl Coverage {
    /// Looks at the chars of a piece just laid out in `font`.
    pub fn check(&mut self, ctx: &egui::Context, font: &FontId, text: &str) {
        for c in text.chars() {
            if needs_no_glyph(c) || self.known.contains_key(&c) {
                continue;
            }
            // A flag is two regional indicators, which egui's fonts draw
            // as the country's letters (🇲🇽 as "MX"): only an emoji font
            // with flags draws the flag.
            if ('\u{1F1E6}'..='\u{1F1FF}').contains(&c) {
                self.known.insert(c, true);
                if self.missing.insert("flags (shown as their letters)") {
                    self.news = true;
                }
                continue;
            }
            let has = ctx.fonts_mut(|f| f.has_glyph(font, c));
            self.known.insert(c, has);
            if !has && self.missing.insert(script_name(c)) {
                self.news = true;
            }
        }
    }

    /// What to tell the user, once for each new script without a font.
    pub fn take_news(&mut self) -> Option<String> {
        if !std::mem::take(&mut self.news) {
            return None;
        }
        let names: Vec<&str> = self.missing.iter().copied().collect();
        let list = match names.as_slice() {
            [] => return None,
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        Some(format!(
            "Some characters have no font on this computer and show as boxes: install fonts for {list} \
             (on Debian or Ubuntu, fonts-noto-core and fonts-noto-cjk; for emoji, fonts-noto-color-emoji), then reopen the document. \
             The text and its offsets are not affected."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_named_and_marks_need_no_glyph() {
        assert_eq!(script_name('ह'), "Devanagari");
        assert_eq!(script_name('ภ'), "Thai");
        assert_eq!(script_name('한'), "Hangul");
        assert_eq!(script_name('🙂'), "emoji");
        assert!(needs_no_glyph('\u{301}'));
        assert!(needs_no_glyph('\u{200D}'));
        assert!(needs_no_glyph('\u{FE0F}'));
        assert!(!needs_no_glyph('ह'));
    }
}
