//! Text out of the files researchers have. Gloss annotates the text an
//! extractor produces: offsets are chars of that text, exactly as for a
//! `.txt`. Extraction is deterministic (same file, same Gloss, same text);
//! the sidecar records which extractor made the text, and if a later
//! Gloss extracts differently, re-anchoring moves the annotations.
//!
//! Word (`.docx`) and OpenDocument (`.odt`) are read here through `zip`
//! and `roxmltree`, with the memory they may take bounded before and while
//! inflating (a "zip bomb" is refused, not unpacked); web pages (`.html`)
//! through html5ever (`scraper`).

mod docx;
mod epub;
mod html;
pub mod isolate;
mod odt;
pub mod pdf;
mod zipped;

#[cfg(test)]
mod tests;

use std::path::Path;
use thiserror::Error;

/// What an extractor made of a file.
#[derive(Debug)]
pub struct Extracted {
    pub text: String,
    /// The document's own title, when it has one.
    pub title: Option<String>,
    /// Which extractor, and which version of it, made `text`.
    pub extractor: &'static str,
    /// What some lines of `text` are, where the extractor knows: (char
    /// offset where the line starts, what it is), in text order. The view
    /// draws these; offsets and annotations never depend on them.
    pub blocks: Vec<(usize, Block)>,
    /// Where each block element of a web page starts (char offset) and its
    /// XPath (`/html/body/div[2]/p[3]`), in text order; empty for other
    /// formats.
    pub elements: Vec<(usize, String)>,
}

pub use crate::model::Block;

#[derive(Debug, Error)]
pub enum ExtractError {
    #[error("it is not a valid {format} file ({why})")]
    Invalid { format: &'static str, why: String },
    #[error(
        "{part} would unpack to more than {} MB; Gloss refuses it rather than fill the memory",
        limit / (1024 * 1024)
    )]
    TooLarge { part: String, limit: u64 },
    #[error(
        "Gloss does not open {0} files yet. Save it as plain text or as a Word document \
         (or use a converter such as pdftotext or pandoc) and open that"
    )]
    NotYet(&'static str),
    #[error(
        "it has no text layer: it is a scan, an image of pages. Run OCR first (for example \
         `ocrmypdf in.pdf out.pdf`) and open the result"
    )]
    NoTextLayer,
    #[error("it is protected by a password: open it in the window, which asks for it")]
    Password,
    #[error("that is not its password")]
    WrongPassword,
    #[error("it claims {pages} pages, more than the {limit} Gloss opens")]
    TooManyPages { pages: usize, limit: usize },
    #[error(
        "Gloss's {format} reader stopped on it: {why}. The file may be damaged or made to \
         break readers; Gloss itself is fine. Save it again from the program that made it, \
         or convert it (for example with pdftotext or pandoc) and open that"
    )]
    Stopped { format: &'static str, why: String },
}

/// The formats Gloss opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain text and Markdown, decoded as they are.
    Text,
    Docx,
    Odt,
    Html,
    Pdf,
    Epub,
    /// A format researchers have that Gloss does not read yet: refused with
    /// a message rather than decoded as if it were text.
    NotYet(&'static str),
}

impl Kind {
    /// By the file's extension (anything unknown is read as text).
    pub fn of(path: &Path) -> Kind {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "docx" => Kind::Docx,
            "odt" => Kind::Odt,
            "pdf" => Kind::Pdf,
            "epub" => Kind::Epub,
            "html" | "htm" | "xhtml" => Kind::Html,
            "doc" => Kind::NotYet("old Word (.doc)"),
            _ => Kind::Text,
        }
    }

    /// How the status bar names the format.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Docx => "Word (DOCX)",
            Kind::Odt => "OpenDocument (ODT)",
            Kind::Html => "web page (HTML)",
            Kind::Pdf => "PDF",
            Kind::Epub => "EPUB",
            Kind::NotYet(name) => name,
        }
    }
}

/// Extensions of the files Gloss opens, for file dialogs and folders.
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "docx", "odt", "html", "htm", "xhtml", "pdf", "epub",
];

/// The text of a document's bytes.
pub fn extract(kind: Kind, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with_progress(kind, bytes, &|_| ())
}

/// [`extract`], telling `progress` how far it is (0 to 1) for formats
/// that take a while (a PDF of hundreds of pages).
pub fn extract_with_progress(
    kind: Kind,
    bytes: &[u8],
    progress: &dyn Fn(f32),
) -> Result<Extracted, ExtractError> {
    extract_with(kind, bytes, None, progress)
}

/// [`extract_with_progress`], opening a password-protected PDF with
/// `password`; in a child process once [`isolate::use_worker`] was called.
pub fn extract_with(
    kind: Kind,
    bytes: &[u8],
    password: Option<&str>,
    progress: &dyn Fn(f32),
) -> Result<Extracted, ExtractError> {
    match isolate::worker() {
        Some(exe) if !matches!(kind, Kind::Text | Kind::NotYet(_)) => {
            isolate::extract(exe, kind, bytes, password, progress)
        }
        _ => extract_here(kind, bytes, password, progress),
    }
}

/// [`extract_with`] in this process.
fn extract_here(
    kind: Kind,
    bytes: &[u8],
    password: Option<&str>,
    progress: &dyn Fn(f32),
) -> Result<Extracted, ExtractError> {
    match kind {
        Kind::Pdf => pdf::extract(bytes, password, progress),
        Kind::Epub => epub::extract(bytes, progress),
        Kind::Docx => docx::extract(bytes),
        Kind::Odt => odt::extract(bytes),
        Kind::Html => html::extract(bytes),
        Kind::NotYet(name) => Err(ExtractError::NotYet(name)),
        Kind::Text => Err(ExtractError::Invalid {
            format: "text",
            why: "plain text is decoded, not extracted".into(),
        }),
    }
}

/// Footnotes and endnotes met in the body, in order: Word keeps (note id,
/// marker) to look the texts up afterwards, OpenDocument (marker, text).
/// OpenDocument keeps the rest of what reading its body needs here too:
/// headings written straight into the body (byte offset, level; `nested`
/// is 0 there), its list styles and the lists being read.
#[derive(Default)]
struct Notes {
    foot: Vec<(String, String)>,
    end: Vec<(String, String)>,
    headings: Vec<(usize, Block)>,
    nested: usize,
    list_styles: odt::ListStyles,
    /// The style of each list being read, outermost first.
    lists: Vec<String>,
    /// How deep in elements the reading is (bounded by [`MAX_DEPTH`]).
    depth: usize,
}

/// How deep the XML extractors follow elements before reading what is
/// below as plain text: a file of 100,000 nested spans or content controls
/// would otherwise exhaust the stack, which no error handling can catch.
const MAX_DEPTH: usize = 256;

/// Whether `n` is the element `name` of namespace `ns`.
fn is(n: &roxmltree::Node<'_, '_>, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
}

/// Appends a block of text (a paragraph, a table row) to `out`, separated
/// from what came before by `sep`.
fn push_block(out: &mut String, block: &str, sep: &str) {
    if block.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str(sep);
    }
    out.push_str(block);
}

/// `marks` (byte offsets in `text`, ascending) with char offsets.
fn char_marks<T: Clone>(text: &str, marks: &[(usize, T)]) -> Vec<(usize, T)> {
    let (mut bytes, mut chars) = (0, 0);
    marks
        .iter()
        .map(|(at, b)| {
            let at = (*at).clamp(bytes, text.len());
            chars += text.get(bytes..at).map_or(0, |s| s.chars().count());
            bytes = at;
            (chars, b.clone())
        })
        .collect()
}

/// Footnotes or endnotes, after the body under a heading, each with the
/// marker its reference got in the text.
fn push_notes(out: &mut String, heading: &str, notes: &[(String, String)]) {
    if notes.is_empty() {
        return;
    }
    push_block(out, heading, "\n\n");
    for (mark, text) in notes {
        push_block(out, &format!("{mark} {text}"), "\n\n");
    }
}

#[cfg(test)]
mod pdf_tests;

#[cfg(test)]
mod epub_tests;

/// Lower-case roman numerals, as Word numbers endnotes.
fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

/// How a list numbers its items (Word's `numFmt`, OpenDocument's
/// `num-format`).
#[derive(Clone, Copy)]
enum Numbered {
    Decimal,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Nothing,
}

impl Numbered {
    /// Item `n` (from 1): "3", "c", "C", "iii", "III"; letters past z
    /// double ("aa"), as word processors count.
    fn number(self, n: u32) -> String {
        let letter = |base: u8| {
            let k = (n.max(1) - 1) as usize;
            ((base + (k % 26) as u8) as char)
                .to_string()
                .repeat(k / 26 + 1)
        };
        match self {
            Numbered::Decimal => n.to_string(),
            Numbered::LowerLetter => letter(b'a'),
            Numbered::UpperLetter => letter(b'A'),
            Numbered::LowerRoman => roman(n as usize),
            Numbered::UpperRoman => roman(n as usize).to_uppercase(),
            Numbered::Nothing => String::new(),
        }
    }
}
