//! Word documents (`.docx`, Office Open XML): the body's paragraphs and
//! tables in document order, runs joined (formatting often splits a word
//! into several runs), tabs and line breaks kept, list items marked with a
//! bullet or its number as Word shows it ("1.", "a)"), headings marked for
//! the view, table rows one per line with cells separated by tabs, then the
//! footnotes and endnotes under headings, each referenced in the text by
//! its marker (`[1]`, endnotes `[i]`). Deleted revisions, field codes,
//! headers and footers are left out, and so is hidden text (Format → Font
//! → Hidden: `w:vanish` on a run, its character style or its paragraph's
//! style), which Word neither shows nor prints. A paragraph style's list
//! numbering ("List Number", "List Bullet") numbers its paragraphs.

mod styles;

use super::zipped::Zipped;
use super::{Block, ExtractError, Extracted, Notes, push_block, push_notes, roman};
use roxmltree::Node;
use styles::{Numbering, Styles};

/// What reading the body keeps track of.
#[derive(Default)]
struct Cx {
    notes: Notes,
    styles: Styles,
    numbering: Numbering,
    /// (byte offset of a heading in the text, its block)
    marks: Vec<(usize, Block)>,
    /// The paragraph being read hides its runs (its style is hidden).
    hidden_paragraph: bool,
    /// How deep in elements the reading is (bounded by `MAX_DEPTH`).
    depth: usize,
}

pub const EXTRACTOR: &str = "gloss-docx/2";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = Zipped::open(bytes, "Word (.docx)")?;
    let body_xml = zip.required("word/document.xml")?;
    let footnotes_xml = zip.text("word/footnotes.xml")?;
    let endnotes_xml = zip.text("word/endnotes.xml")?;
    let core_xml = zip.text("docProps/core.xml")?;
    let styles_xml = zip.text("word/styles.xml")?;
    let numbering_xml = zip.text("word/numbering.xml")?;
    // Styles and numbering that cannot be read cost the headings and the
    // numbers, not the document.
    let styles_doc = styles_xml
        .as_deref()
        .and_then(|x| zip.xml("word/styles.xml", x).ok());
    let numbering_doc = numbering_xml
        .as_deref()
        .and_then(|x| zip.xml("word/numbering.xml", x).ok());
    let styles = Styles::parse(styles_doc.as_ref());
    let numbering = Numbering::parse(numbering_doc.as_ref());
    let doc = zip.xml("word/document.xml", &body_xml)?;
    let body = doc
        .descendants()
        .find(|n| is(n, "body"))
        .ok_or_else(|| ExtractError::Invalid {
            format: "Word (.docx)",
            why: "word/document.xml has no body".into(),
        })?;
    let mut cx = Cx {
        styles,
        numbering,
        ..Cx::default()
    };
    let mut text = String::new();
    blocks(body, &mut text, &mut cx);
    let notes = std::mem::take(&mut cx.notes);
    let footnotes = match &footnotes_xml {
        Some(x) => note_texts(&zip.xml("word/footnotes.xml", x)?, "footnote"),
        None => Vec::new(),
    };
    let endnotes = match &endnotes_xml {
        Some(x) => note_texts(&zip.xml("word/endnotes.xml", x)?, "endnote"),
        None => Vec::new(),
    };
    let pick = |refs: &[(String, String)], all: &[(String, String)]| -> Vec<(String, String)> {
        refs.iter()
            .filter_map(|(id, mark)| {
                all.iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, t)| (mark.clone(), t.clone()))
            })
            .collect()
    };
    push_notes(&mut text, "Footnotes", &pick(&notes.foot, &footnotes));
    push_notes(&mut text, "Endnotes", &pick(&notes.end, &endnotes));
    Ok(Extracted {
        blocks: super::char_marks(&text, &cx.marks),
        text,
        title: zip.title("docProps/core.xml", core_xml.as_deref()),
        extractor: EXTRACTOR,
        elements: Vec::new(),
    })
}

fn is(n: &Node<'_, '_>, name: &str) -> bool {
    super::is(n, W, name)
}

fn attr<'a>(n: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// The text under `node` read flat (its `w:t` runs and tabs in order),
/// where the nesting is too deep to follow.
fn flat_text(node: Node<'_, '_>, s: &mut String) {
    for d in node.descendants() {
        if is(&d, "t") {
            s.push_str(d.text().unwrap_or_default());
        } else if is(&d, "tab") {
            s.push('\t');
        }
    }
}

/// Paragraphs and tables under `node`, separated by blank lines.
fn blocks(node: Node<'_, '_>, out: &mut String, cx: &mut Cx) {
    if cx.depth >= super::MAX_DEPTH {
        let mut flat = String::new();
        flat_text(node, &mut flat);
        push_block(out, &flat, "\n\n");
        return;
    }
    cx.depth += 1;
    blocks_within(node, out, cx);
    cx.depth -= 1;
}

fn blocks_within(node: Node<'_, '_>, out: &mut String, cx: &mut Cx) {
    for c in node.children().filter(Node::is_element) {
        if is(&c, "p") {
            let p = paragraph(c, cx);
            let ppr = c.children().find(|n| is(n, "pPr"));
            if let Some(level) = cx.styles.heading(ppr)
                && !p.is_empty()
            {
                let at = if out.is_empty() { 0 } else { out.len() + 2 };
                cx.marks.push((at, Block::Heading(level)));
            }
            push_block(out, &p, "\n\n");
        } else if is(&c, "tbl") {
            let rows: Vec<String> = c
                .children()
                .filter(|r| is(r, "tr"))
                .map(|r| {
                    r.children()
                        .filter(|tc| is(tc, "tc"))
                        .map(|tc| {
                            let mut cell = String::new();
                            for p in tc.children().filter(|p| is(p, "p")) {
                                push_block(&mut cell, &paragraph(p, cx), " ");
                            }
                            cell
                        })
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect();
            push_block(out, &rows.join("\n"), "\n\n");
        } else if is(&c, "sdt") || is(&c, "sdtContent") || is(&c, "customXml") {
            blocks(c, out, cx);
        }
    }
}

fn paragraph(p: Node<'_, '_>, cx: &mut Cx) -> String {
    let mut s = String::new();
    let ppr = p.children().find(|c| is(c, "pPr"));
    let style = ppr
        .and_then(|ppr| ppr.children().find(|c| is(c, "pStyle")))
        .and_then(|st| attr(&st, "val"));
    let num = ppr.and_then(|ppr| ppr.children().find(|c| is(c, "numPr")));
    let outer = std::mem::replace(
        &mut cx.hidden_paragraph,
        style.is_some_and(|id| cx.styles.hides(id)),
    );
    inline(p, &mut s, cx);
    cx.hidden_paragraph = outer;
    // The list: the paragraph's own numbering, else its style's.
    let val = |name: &str| {
        num?.children()
            .find(|c| is(c, name))
            .and_then(|c| attr(&c, "val"))
    };
    let (style_num, style_ilvl) = style.map(|id| cx.styles.numbering(id)).unwrap_or_default();
    let num_id = val("numId").map(str::to_string).or(style_num);
    let ilvl = val("ilvl")
        .and_then(|l| l.parse().ok())
        .or(style_ilvl)
        .unwrap_or(0);
    if (num.is_some() || num_id.is_some()) && !s.is_empty() {
        let marker = match num_id {
            Some(id) => cx.numbering.marker(&id, ilvl),
            None => Some("•".into()),
        };
        if let Some(m) = marker.filter(|m| !m.is_empty()) {
            s.insert_str(0, &format!("{m} "));
        }
    }
    s
}

/// Whether a run is hidden text: its own `w:vanish`, else its character
/// style's, else its paragraph's style's.
fn hidden_run(r: Node<'_, '_>, cx: &Cx) -> bool {
    let rpr = r.children().find(|c| is(c, "rPr"));
    if let Some(v) = rpr.and_then(|p| p.children().find(|c| is(c, "vanish"))) {
        return styles::on_off(v);
    }
    let char_style = rpr
        .and_then(|p| p.children().find(|c| is(c, "rStyle")))
        .and_then(|st| attr(&st, "val"));
    match char_style {
        Some(id) if cx.styles.hides(id) => true,
        _ => cx.hidden_paragraph,
    }
}

fn inline(node: Node<'_, '_>, s: &mut String, cx: &mut Cx) {
    if cx.depth >= super::MAX_DEPTH {
        flat_text(node, s);
        return;
    }
    cx.depth += 1;
    inline_within(node, s, cx);
    cx.depth -= 1;
}

fn inline_within(node: Node<'_, '_>, s: &mut String, cx: &mut Cx) {
    for c in node.children().filter(Node::is_element) {
        if c.tag_name().namespace() != Some(W) {
            // Drawings, math and other vocabularies: their text is not the
            // paragraph's (alternate content would repeat it).
            continue;
        }
        match c.tag_name().name() {
            // Hidden text: Word neither shows nor prints it.
            "r" if hidden_run(c, cx) => {}
            "t" => s.push_str(c.text().unwrap_or_default()),
            "tab" => s.push('\t'),
            "br" | "cr" => s.push('\n'),
            "noBreakHyphen" => s.push('\u{2011}'),
            "sym" => {
                if let Some(ch) = attr(&c, "char")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    s.push(ch);
                }
            }
            "footnoteReference" | "endnoteReference" => {
                let id = attr(&c, "id").unwrap_or_default().to_string();
                let foot = c.tag_name().name() == "footnoteReference";
                let list = if foot {
                    &mut cx.notes.foot
                } else {
                    &mut cx.notes.end
                };
                let n = list.len() + 1;
                let mark = if foot {
                    format!("[{n}]")
                } else {
                    format!("[{}]", roman(n))
                };
                s.push_str(&mark);
                list.push((id, mark));
            }
            // Not text the reader sees: properties, deleted revisions,
            // field codes, the note's own number mark, comments.
            "pPr" | "rPr" | "del" | "delText" | "instrText" | "footnoteRef" | "endnoteRef"
            | "softHyphen" | "commentReference" | "annotationRef" => {}
            // A paragraph inside a run (a text box): its own line.
            "p" => {
                let inner = paragraph(c, cx);
                push_block(s, &inner, "\n");
            }
            _ => inline(c, s, cx),
        }
    }
}

/// The text of each footnote (or endnote) by id, separators left out.
fn note_texts(doc: &roxmltree::Document<'_>, kind: &str) -> Vec<(String, String)> {
    let mut ignored = Cx::default();
    doc.descendants()
        .filter(|n| is(n, kind) && attr(n, "type").is_none_or(|t| t == "normal"))
        .map(|n| {
            let mut text = String::new();
            for p in n.children().filter(|p| is(p, "p")) {
                let p = paragraph(p, &mut ignored);
                push_block(&mut text, p.trim_start(), " ");
            }
            (attr(&n, "id").unwrap_or_default().to_string(), text)
        })
        .collect()
}
