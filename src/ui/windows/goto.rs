//! Go to (Ctrl+G): a page of a PDF, a chapter of a book, a heading, or a
//! character offset, typed or picked from the headings that match.

use crate::model::Document;

/// Where a Go to lands, and what to say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub offset: usize,
    pub said: String,
}

/// At most this many matching headings are listed.
const MAX_LISTED: usize = 12;

/// Reads what the user typed: "12" (a page in a PDF, a chapter in a book,
/// else a character offset), "page 12", "p12", "chapter 3", "ch 3",
/// "char 1200", "@1200", or words of a heading.
pub fn resolve(query: &str, doc: &Document) -> Result<Target, String> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Err("Type a page, a chapter, a heading or a character offset.".into());
    }
    let structure = doc.structure();
    let number = |rest: &str| rest.trim().parse::<usize>().ok();
    let split = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| q.strip_prefix(p).and_then(number))
    };
    // A page or chapter after the first begins on the line after its
    // break (the rule drawn above it).
    let after_break = |at: usize| match at {
        0 => 0,
        at => doc.line(doc.line_of(at)).next.min(doc.char_len()),
    };
    let page = |n: usize| match (structure.pages(), structure.page_start(n)) {
        (None, _) => Err("This document has no pages: only a PDF has.".to_string()),
        (Some(pages), None) => Err(format!("There is no page {n}: the document has {pages}.")),
        (Some(pages), Some(at)) => Ok(Target {
            offset: after_break(at),
            said: format!("Page {n} of {pages}"),
        }),
    };
    let chapter = |n: usize| match (structure.chapter_of(0), structure.chapter_start(n)) {
        (None, _) => Err("This document has no chapters: only a book (EPUB) has.".to_string()),
        (Some((_, of)), None) => Err(format!("There is no chapter {n}: the book has {of}.")),
        (Some((_, of)), Some(at)) => {
            let offset = after_break(at);
            Ok(Target {
                offset,
                said: format!("Chapter {n} of {of}: {}", line_text(doc, offset)),
            })
        }
    };
    let char_at = |n: usize| {
        if n > doc.char_len() {
            Err(format!(
                "There is no character {n}: the text has {}.",
                doc.char_len()
            ))
        } else {
            Ok(Target {
                offset: n,
                said: format!("Character {n} of {}", doc.char_len()),
            })
        }
    };
    if let Some(n) = split(&["chapter", "ch.", "ch"]) {
        return chapter(n);
    }
    if let Some(n) = split(&["page", "p.", "p"]) {
        return page(n);
    }
    if let Some(n) = split(&["char", "offset", "@", "#"]) {
        return char_at(n);
    }
    if let Some(n) = number(&q) {
        return if structure.pages().is_some() {
            page(n)
        } else if structure.chapter_of(0).is_some() {
            chapter(n)
        } else {
            char_at(n)
        };
    }
    if structure.headings().next().is_none() {
        return Err(format!(
            "This document has no headings Gloss knows of (a PDF's or a text file's are not marked), so “{}” cannot be found: type a page or a character offset.",
            query.trim()
        ));
    }
    headings(doc, &q)
        .into_iter()
        .next()
        .ok_or_else(|| format!("No heading has “{}” in it.", query.trim()))
}

/// The headings whose text has `query` in it (case aside), in text order.
pub fn headings(doc: &Document, query: &str) -> Vec<Target> {
    let q = query.trim().to_lowercase();
    doc.structure()
        .headings()
        .filter_map(|(at, level)| {
            let text = line_text(doc, at);
            text.to_lowercase().contains(&q).then(|| Target {
                offset: at,
                said: format!("Heading {level}: {text}"),
            })
        })
        .take(MAX_LISTED)
        .collect()
}

/// The text of the line starting at `offset`, trimmed, at most 120 chars.
pub fn line_text(doc: &Document, offset: usize) -> String {
    let line = doc.line(doc.line_of(offset));
    let text = doc.slice(line.range()).trim();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The Go to window.
#[derive(Default)]
pub struct GoToWindow {
    pub open: bool,
    text: String,
    /// What the last Enter could not find.
    error: Option<String>,
    /// The headings matching `text`, listed when it changes (not per frame).
    listed: Vec<Target>,
    listed_for: Option<String>,
    focus: bool,
}

impl GoToWindow {
    pub fn open(&mut self) {
        self.open = true;
        // A new question: the last answer is not a start for it.
        self.text.clear();
        self.focus = true;
        self.error = None;
        self.listed_for = None;
    }

    /// Draws the window; returns where to go once the user chose.
    pub fn ui(&mut self, ctx: &egui::Context, doc: &Document) -> Option<Target> {
        if !self.open {
            return None;
        }
        let mut chosen = None;
        let mut open = true;
        let structure = doc.structure();
        let or_heading = if structure.headings().next().is_some() {
            ", a heading"
        } else {
            ""
        };
        let hint = match (structure.pages(), structure.chapter_of(0)) {
            (Some(p), _) => format!("a page (1–{p}){or_heading}, or char 1200"),
            (None, Some((_, c))) => format!("a chapter (1–{c}){or_heading}, or char 1200"),
            _ => format!("a character offset (char 1200){or_heading}"),
        };
        egui::Window::new("Go to")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
            .show(ctx, |ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text(&hint)
                        .desired_width(320.0),
                );
                field.widget_info(|| egui::WidgetInfo::text_edit(true, "", &self.text, &hint));
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
                if field.changed() {
                    self.error = None;
                }
                if self.listed_for.as_deref() != Some(self.text.as_str()) {
                    let words = self.text.trim();
                    self.listed = if words.is_empty() || words.parse::<usize>().is_ok() {
                        Vec::new()
                    } else {
                        headings(doc, words)
                    };
                    self.listed_for = Some(self.text.clone());
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    match resolve(&self.text, doc) {
                        Ok(t) => chosen = Some(t),
                        Err(e) => {
                            self.error = Some(e);
                            self.focus = true;
                        }
                    }
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                for t in &self.listed {
                    if ui.selectable_label(false, &t.said).clicked() {
                        chosen = Some(t.clone());
                    }
                }
            });
        if chosen.is_some() || !open {
            self.open = false;
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Structure};

    fn pdf() -> Document {
        let text = "Title\n1. Methods\nbody\n\u{c}\nMore\n2. Results\n\u{c}\nEnd".to_string();
        let structure = Structure::new(
            vec![
                (6, Block::Heading(1)),
                (22, Block::PageBreak),
                (29, Block::Heading(2)),
                (40, Block::PageBreak),
            ],
            true,
        );
        Document::new("m.pdf", text).with_structure(structure)
    }

    #[test]
    fn pages_headings_and_offsets_are_found_and_misses_are_said() {
        let d = pdf();
        let at = |q: &str| resolve(q, &d).map(|t| t.offset);
        // The line after the break: page 2 begins with "More".
        assert_eq!(at("2"), Ok(24));
        assert_eq!(at("page 3"), Ok(42));
        assert_eq!(at("p1"), Ok(0));
        assert_eq!(d.structure().page_of(24), Some(2));
        assert_eq!(at("results"), Ok(29));
        assert_eq!(at("char 7"), Ok(7));
        assert_eq!(at("@0"), Ok(0));
        assert_eq!(resolve("2", &d).map(|t| t.said), Ok("Page 2 of 3".into()));
        assert_eq!(
            resolve("Results", &d).map(|t| t.said),
            Ok("Heading 2: 2. Results".into())
        );
        assert!(resolve("page 9", &d).is_err_and(|e| e.contains("has 3")));
        assert!(resolve("chapter 1", &d).is_err_and(|e| e.contains("no chapters")));
        assert!(resolve("nothing like it", &d).is_err_and(|e| e.contains("No heading")));
        assert!(resolve("char 999", &d).is_err());
        assert!(resolve("  ", &d).is_err());
        // In plain text a number is a character offset.
        let plain = Document::new("t.txt", "abc".into());
        assert_eq!(resolve("2", &plain).map(|t| t.offset), Ok(2));
        assert!(resolve("intro", &plain).is_err_and(|e| e.contains("no headings")));
        assert_eq!(headings(&d, "").len(), 2);
    }
}
