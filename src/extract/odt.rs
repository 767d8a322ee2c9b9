//! OpenDocument text (`.odt`): as Word documents are read — paragraphs and
//! headings in order, spans joined, `text:s` spaces, tabs and line breaks
//! kept, other whitespace collapsed as ODF says, list items with a bullet,
//! table rows one per line with cells separated by tabs, and notes after
//! the body under headings, each referenced by its citation (`[1]`).
//! Comments (`office:annotation`) and tracked deletions are left out, and
//! so is hidden text: a span, paragraph or section whose style (or its
//! parent style) says `text:display="none"`, a hidden section, and hidden
//! text and paragraph fields that are hidden.

use super::zipped::Zipped;
use super::{Block, ExtractError, Extracted, Notes, Numbered, push_block, push_notes};
use roxmltree::Node;

pub const EXTRACTOR: &str = "gloss-odt/2";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = Zipped::open(bytes, "OpenDocument (.odt)")?;
    let content = zip.required("content.xml")?;
    let meta = zip.text("meta.xml")?;
    let doc = zip.xml("content.xml", &content)?;
    let body = doc
        .descendants()
        .find(|n| is(n, OFFICE, "text"))
        .ok_or_else(|| ExtractError::Invalid {
            format: "OpenDocument (.odt)",
            why: "content.xml has no text body".into(),
        })?;
    let styles = zip.text("styles.xml")?;
    let mut notes = Notes {
        list_styles: ListStyles::parse(&[
            Some(&doc),
            styles
                .as_deref()
                .and_then(|x| zip.xml("styles.xml", x).ok())
                .as_ref(),
        ]),
        ..Notes::default()
    };
    let mut text = String::new();
    blocks(body, &mut text, &mut notes);
    push_notes(&mut text, "Footnotes", &notes.foot);
    push_notes(&mut text, "Endnotes", &notes.end);
    Ok(Extracted {
        blocks: super::char_marks(&text, &notes.headings),
        text,
        title: zip.title("meta.xml", meta.as_deref()),
        extractor: EXTRACTOR,
        elements: Vec::new(),
    })
}

use super::is;

/// Whether a hidden-text or hidden-paragraph field hides (LibreOffice
/// writes `text:is-hidden` with the condition's last value).
fn field_hides(n: Node<'_, '_>) -> bool {
    n.attribute((TEXT, "is-hidden")) != Some("false")
}

/// The text under `node` read flat, where the nesting is too deep to
/// follow.
fn flat_text(node: Node<'_, '_>, s: &mut String) {
    for d in node.descendants().filter(|d| d.is_text()) {
        push_collapsed(s, d.text().unwrap_or_default());
    }
}

fn blocks(node: Node<'_, '_>, out: &mut String, notes: &mut Notes) {
    if notes.depth >= super::MAX_DEPTH {
        let mut flat = String::new();
        flat_text(node, &mut flat);
        push_block(out, flat.trim(), "\n\n");
        return;
    }
    notes.depth += 1;
    blocks_within(node, out, notes);
    notes.depth -= 1;
}

fn blocks_within(node: Node<'_, '_>, out: &mut String, notes: &mut Notes) {
    for c in node.children().filter(Node::is_element) {
        // (A list's style-name names a list style, not a text style.)
        let styled_hidden = !is(&c, TEXT, "list")
            && c.attribute((TEXT, "style-name"))
                .is_some_and(|st| notes.list_styles.hides(st));
        if styled_hidden || c.attribute((TEXT, "display")) == Some("none") {
            continue;
        }
        if is(&c, TEXT, "p") || is(&c, TEXT, "h") {
            let p = paragraph(c, notes);
            if is(&c, TEXT, "h") && notes.nested == 0 && !p.is_empty() {
                let level = c
                    .attribute((TEXT, "outline-level"))
                    .and_then(|l| l.parse::<u8>().ok())
                    .unwrap_or(1);
                let at = if out.is_empty() { 0 } else { out.len() + 2 };
                notes.headings.push((at, Block::Heading(level.clamp(1, 6))));
            }
            push_block(out, &p, "\n\n");
        } else if is(&c, TEXT, "list") {
            // A nested list without a style continues its parent's.
            let style = c
                .attribute((TEXT, "style-name"))
                .map(str::to_string)
                .or_else(|| notes.lists.last().cloned())
                .unwrap_or_default();
            notes.lists.push(style.clone());
            let level = notes.lists.len();
            let mut n = 0;
            for item in c.children().filter(|i| is(i, TEXT, "list-item")) {
                let mut inner = String::new();
                notes.nested += 1;
                blocks(item, &mut inner, notes);
                notes.nested -= 1;
                if !inner.is_empty() {
                    n += 1;
                    let marker = notes.list_styles.marker(&style, level, n);
                    // A nested list is its own block: its item holds no
                    // text of its own to mark.
                    let nested_only = item
                        .children()
                        .filter(Node::is_element)
                        .all(|k| is(&k, TEXT, "list"));
                    if nested_only {
                        n -= 1;
                        push_block(out, &inner, "\n\n");
                    } else {
                        push_block(out, &format!("{marker} {inner}"), "\n\n");
                    }
                }
            }
            notes.lists.pop();
        } else if is(&c, TABLE, "table") {
            let mut rows = Vec::new();
            notes.nested += 1;
            table_rows(c, &mut rows, notes);
            notes.nested -= 1;
            push_block(out, &rows.join("\n"), "\n\n");
        } else if is(&c, TEXT, "section") || is(&c, TEXT, "list-header") {
            blocks(c, out, notes);
        }
    }
}

fn table_rows(node: Node<'_, '_>, rows: &mut Vec<String>, notes: &mut Notes) {
    for c in node.children().filter(Node::is_element) {
        if is(&c, TABLE, "table-row") {
            let cells: Vec<String> = c
                .children()
                .filter(|tc| is(tc, TABLE, "table-cell"))
                .map(|tc| {
                    let mut cell = String::new();
                    blocks(tc, &mut cell, notes);
                    cell.replace("\n\n", " ")
                })
                .collect();
            rows.push(cells.join("\t"));
        } else if is(&c, TABLE, "table-header-rows") || is(&c, TABLE, "table-rows") {
            table_rows(c, rows, notes);
        }
    }
}

fn paragraph(p: Node<'_, '_>, notes: &mut Notes) -> String {
    let mut s = String::new();
    if p.children()
        .any(|c| is(&c, TEXT, "hidden-paragraph") && field_hides(c))
    {
        return s;
    }
    inline(p, &mut s, notes);
    s.trim_end_matches(' ').to_string()
}

/// ODF collapses runs of white space in text to one space (and drops it at
/// a paragraph's start); `text:s`, `text:tab` and `text:line-break` are
/// the ones that count.
fn push_collapsed(s: &mut String, text: &str) {
    for ch in text.chars() {
        if matches!(ch, ' ' | '\t' | '\n' | '\r') {
            if !s.is_empty() && !s.ends_with([' ', '\n', '\t']) {
                s.push(' ');
            }
        } else {
            s.push(ch);
        }
    }
}

fn inline(node: Node<'_, '_>, s: &mut String, notes: &mut Notes) {
    if notes.depth >= super::MAX_DEPTH {
        flat_text(node, s);
        return;
    }
    notes.depth += 1;
    inline_within(node, s, notes);
    notes.depth -= 1;
}

fn inline_within(node: Node<'_, '_>, s: &mut String, notes: &mut Notes) {
    for c in node.children() {
        if c.is_text() {
            push_collapsed(s, c.text().unwrap_or_default());
            continue;
        }
        if !c.is_element() {
            continue;
        }
        let ns = c.tag_name().namespace();
        let name = c.tag_name().name();
        if ns == Some(OFFICE) && name == "annotation" {
            continue;
        }
        if ns != Some(TEXT) {
            inline(c, s, notes);
            continue;
        }
        if c.attribute((TEXT, "style-name"))
            .is_some_and(|st| notes.list_styles.hides(st))
        {
            continue;
        }
        match name {
            "hidden-text" if field_hides(c) => {}
            "hidden-paragraph" => {}
            "s" => {
                let n = c
                    .attribute((TEXT, "c"))
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(1000);
                s.extend(std::iter::repeat_n(' ', n));
            }
            "tab" => s.push('\t'),
            "line-break" => s.push('\n'),
            "note" => {
                let end = c.attribute((TEXT, "note-class")) == Some("endnote");
                let list = if end { &mut notes.end } else { &mut notes.foot };
                let citation = c
                    .children()
                    .find(|n| is(n, TEXT, "note-citation"))
                    .and_then(|n| n.text())
                    .map(str::to_string)
                    .unwrap_or_else(|| (list.len() + 1).to_string());
                let mark = format!("[{citation}]");
                s.push_str(&mark);
                let mut body = String::new();
                if let Some(b) = c.children().find(|n| is(n, TEXT, "note-body")) {
                    let mut nested = Notes {
                        depth: notes.depth,
                        ..Notes::default()
                    };
                    blocks(b, &mut body, &mut nested);
                }
                let list = if end { &mut notes.end } else { &mut notes.foot };
                list.push((mark, body.replace("\n\n", " ")));
            }
            // Tracked changes keep deleted text in a side list, and these
            // hold no text the reader sees.
            "tracked-changes" | "bookmark" | "bookmark-start" | "bookmark-end"
            | "soft-page-break" | "sequence-decls" | "change" | "change-start" | "change-end" => {}
            _ => inline(c, s, notes),
        }
    }
}

/// How list items are marked, by (list style, level from 1).
#[derive(Default)]
pub struct ListStyles {
    levels: std::collections::HashMap<(String, usize), ListLevel>,
    /// Styles whose text is not displayed (`text:display="none"`, or a
    /// parent style's).
    hidden: std::collections::HashSet<String>,
}

struct ListLevel {
    /// `None`: a bullet.
    format: Option<String>,
    prefix: String,
    suffix: String,
}

impl ListStyles {
    /// From `text:list-style`s in `content.xml` and `styles.xml`.
    fn parse(docs: &[Option<&roxmltree::Document<'_>>]) -> Self {
        const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
        let mut levels = std::collections::HashMap::new();
        for doc in docs.iter().flatten() {
            for list in doc.descendants().filter(|n| is(n, TEXT, "list-style")) {
                let Some(name) = list.attribute((STYLE, "name")) else {
                    continue;
                };
                for lvl in list.children().filter(Node::is_element) {
                    let Some(level) = lvl.attribute((TEXT, "level")).and_then(|l| l.parse().ok())
                    else {
                        continue;
                    };
                    let attr = |a: &str| lvl.attribute((STYLE, a)).unwrap_or("").to_string();
                    let format =
                        is(&lvl, TEXT, "list-level-style-number").then(|| attr("num-format"));
                    levels.insert(
                        (name.to_string(), level),
                        ListLevel {
                            format,
                            prefix: attr("num-prefix"),
                            suffix: attr("num-suffix"),
                        },
                    );
                }
            }
        }
        // Styles that hide their text, along `style:parent-style-name`.
        let mut parent = std::collections::HashMap::new();
        let mut display = std::collections::HashMap::new();
        for doc in docs.iter().flatten() {
            for st in doc.descendants().filter(|n| is(n, STYLE, "style")) {
                let Some(name) = st.attribute((STYLE, "name")) else {
                    continue;
                };
                if let Some(p) = st.attribute((STYLE, "parent-style-name")) {
                    parent.insert(name.to_string(), p.to_string());
                }
                let none = st
                    .children()
                    .filter(|c| is(c, STYLE, "text-properties"))
                    .find_map(|c| c.attribute((TEXT, "display")));
                if let Some(d) = none {
                    display.insert(name.to_string(), d == "none");
                }
            }
        }
        let hidden = display
            .keys()
            .chain(parent.keys())
            .filter(|name| {
                let mut at = name.as_str();
                for _ in 0..32 {
                    if let Some(&d) = display.get(at) {
                        return d;
                    }
                    match parent.get(at) {
                        Some(p) => at = p,
                        None => return false,
                    }
                }
                false
            })
            .cloned()
            .collect();
        Self { levels, hidden }
    }

    /// Whether text in style `name` is hidden.
    fn hides(&self, name: &str) -> bool {
        self.hidden.contains(name)
    }

    /// The marker of item `n` (from 1) of a list at `level` in `style`.
    fn marker(&self, style: &str, level: usize, n: u32) -> String {
        let Some(l) = self.levels.get(&(style.to_string(), level)) else {
            return "•".into();
        };
        let Some(format) = &l.format else {
            return "•".into();
        };
        let number = match format.as_str() {
            "a" => Numbered::LowerLetter,
            "A" => Numbered::UpperLetter,
            "i" => Numbered::LowerRoman,
            "I" => Numbered::UpperRoman,
            "" => Numbered::Nothing,
            _ => Numbered::Decimal,
        }
        .number(n);
        format!("{}{number}{}", l.prefix, l.suffix)
    }
}
