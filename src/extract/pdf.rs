//! PDFs: the text layer in reading order, through `pdf_oxide` (columns
//! and tagged structure are its job), made into prose here: the lines of a
//! paragraph joined with a space, a word hyphenated at a line end joined
//! back when the hyphen is a line-break artefact, pages separated by a
//! form feed (U+000C) on a line of its own, and running headers and footers
//! kept as paragraphs of their own, marked so the view can show them faint.
//!
//! Refused with a reason, never opened empty: a PDF with no text layer (a
//! scan), one that needs a password, one that cannot be parsed. A PDF with
//! only an owner password opens as every reader opens it.

use super::{Block, ExtractError, Extracted};
use pdf_oxide::PdfDocument;
use std::panic::{AssertUnwindSafe, catch_unwind};

pub const EXTRACTOR: &str = "gloss-pdf/1";

/// More pages than any report or book; a file claiming more is refused
/// before its pages are read (a PDF with millions of objects).
pub const MAX_PAGES: usize = 50_000;

/// Text layers bigger than this are refused (the same bound as a `.txt`).
const MAX_TEXT: usize = crate::decode::MAX_BYTES;

/// The page separator: a form feed on a line of its own.
pub const PAGE_BREAK: &str = "\n\u{c}\n";

pub fn extract(
    bytes: &[u8],
    password: Option<&str>,
    progress: &dyn Fn(f32),
) -> Result<Extracted, ExtractError> {
    let invalid = |why: String| ExtractError::Invalid { format: "PDF", why };
    // pdf_oxide is robust on the corrupt files we measured, but a parser of
    // hostile input that panics must cost the open, not the app.
    let guarded = |f: &mut dyn FnMut() -> Result<Extracted, ExtractError>| {
        catch_unwind(AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(invalid("the PDF parser gave up on it".into())))
    };
    guarded(&mut || {
        let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| invalid(e.to_string()))?;
        if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
            match password {
                None => return Err(ExtractError::Password),
                Some(p) if !doc.authenticate(p.as_bytes()).unwrap_or(false) => {
                    return Err(ExtractError::WrongPassword);
                }
                Some(_) => {}
            }
        }
        let pages = doc.page_count().map_err(|e| invalid(e.to_string()))?;
        if pages > MAX_PAGES {
            return Err(ExtractError::TooManyPages {
                pages,
                limit: MAX_PAGES,
            });
        }
        let mut raws = Vec::with_capacity(pages);
        let mut total = 0;
        for page in 0..pages {
            // A page that cannot be read is an empty page: its number and
            // the pages after it stay right.
            let raw = doc.extract_text(page).unwrap_or_default();
            total += raw.len();
            if total > MAX_TEXT {
                return Err(ExtractError::TooLarge {
                    part: "its text layer".into(),
                    limit: MAX_TEXT as u64,
                });
            }
            raws.push(raw);
            progress((page + 1) as f32 / pages.max(1) as f32);
        }
        let mut vocabulary = Words::new();
        for raw in &raws {
            vocabulary.extend(words(raw));
        }
        let texts: Vec<Vec<String>> = raws.iter().map(|r| paragraphs(r, &vocabulary)).collect();
        if texts.iter().all(|p| p.is_empty()) {
            return Err(ExtractError::NoTextLayer);
        }
        Ok(assemble(texts))
    })
}

/// One page's raw lines as paragraphs: blank lines separate paragraphs,
/// and the lines of one are joined unless they look like a list or table.
pub(crate) fn paragraphs(raw: &str, words: &Words) -> Vec<String> {
    let mut out = Vec::new();
    let mut para = String::new();
    for line in raw.lines().map(|l| l.trim_end()) {
        if line.trim().is_empty() {
            if !para.is_empty() {
                out.push(std::mem::take(&mut para));
            }
            continue;
        }
        if para.is_empty() {
            para.push_str(line);
        } else if starts_item(line) || is_tabular(line) || is_tabular(last_line(&para)) {
            para.push('\n');
            para.push_str(line);
        } else {
            join_line(&mut para, line.trim_start(), words);
        }
    }
    if !para.is_empty() {
        out.push(para);
    }
    out
}

fn last_line(s: &str) -> &str {
    s.rsplit('\n').next().unwrap_or(s)
}

/// `next` continues the paragraph `para`. A hyphen at a line end between
/// letters is a line-break artefact ("anno-" + "tation") unless the
/// document spells that word with a hyphen elsewhere ("well-known") or the
/// next line does not start in lower case ("Franco-" + "German"): then it
/// stays, with no space.
fn join_line(para: &mut String, next: &str, words: &Words) {
    if let Some(stem) = para.strip_suffix('-') {
        let head: String = {
            let mut v: Vec<char> = stem
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect();
            v.reverse();
            v.into_iter().collect()
        };
        let tail: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        if !head.is_empty() && !tail.is_empty() {
            let lower = tail.chars().next().is_some_and(|c| c.is_lowercase());
            let hyphenated = format!("{head}-{tail}").to_lowercase();
            let solid = format!("{head}{tail}").to_lowercase();
            let compound = !lower || (words.contains(&hyphenated) && !words.contains(&solid));
            if !compound {
                para.pop();
            }
            para.push_str(next);
            return;
        }
    }
    para.push(' ');
    para.push_str(next);
}

/// The words a document spells in full, lower-cased (hyphenated ones with
/// their hyphens), to tell hyphenation from compounds.
pub(crate) type Words = std::collections::HashSet<String>;

pub(crate) fn words(raw: &str) -> Words {
    raw.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .collect()
}

/// A list item's first line: a bullet, or "1." / "a)" before a space.
fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with(['•', '◦', '▪', '‣', '–', '—', '*']) {
        return true;
    }
    let marker: String = t.chars().take_while(|c| c.is_alphanumeric()).collect();
    let n = marker.chars().count();
    (1..=3).contains(&n)
        && (marker.chars().all(|c| c.is_ascii_digit()) || n == 1)
        && t[marker.len()..].starts_with([')', '.'])
        && t[marker.len() + 1..].starts_with(' ')
}

/// A row of a table as pdf_oxide lays it out: cells padded with spaces.
fn is_tabular(line: &str) -> bool {
    line.trim().contains("   ")
}

/// Pages joined by form feeds, with running heads and feet (the same first
/// or last paragraph, digits aside, on at least three pages and half of
/// them) marked.
fn assemble(pages: Vec<Vec<String>>) -> Extracted {
    let running = running_heads(&pages);
    let mut text = String::new();
    let mut chars = 0usize;
    let mut blocks = Vec::new();
    for (n, paras) in pages.iter().enumerate() {
        if n > 0 {
            text.push('\n');
            blocks.push((chars + 1, Block::PageBreak));
            text.push_str("\u{c}\n");
            chars += PAGE_BREAK.chars().count();
        }
        for (i, para) in paras.iter().enumerate() {
            if i > 0 {
                text.push_str("\n\n");
                chars += 2;
            }
            let edge = i == 0 || i + 1 == paras.len();
            if edge && running.contains(&shape(para)) {
                blocks.push((chars, Block::Running));
            }
            text.push_str(para);
            chars += para.chars().count();
        }
    }
    Extracted {
        text,
        title: None,
        extractor: EXTRACTOR,
        elements: Vec::new(),
        blocks,
    }
}

/// A paragraph with its digits blurred, so "Page 3" and "Page 4" match.
fn shape(para: &str) -> String {
    para.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

fn running_heads(pages: &[Vec<String>]) -> Vec<String> {
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for paras in pages {
        let mut edges: Vec<String> = paras.first().into_iter().map(|p| shape(p)).collect();
        if paras.len() > 1
            && let Some(last) = paras.last()
        {
            edges.push(shape(last));
        }
        edges.dedup();
        for e in edges {
            if e.chars().count() <= 120 {
                *seen.entry(e).or_default() += 1;
            }
        }
    }
    let need = 3.max(pages.len().div_ceil(2));
    seen.into_iter()
        .filter(|(_, n)| *n >= need)
        .map(|(s, _)| s)
        .collect()
}

/// The page (from 1) of char `at` in an extracted PDF's text.
pub fn page_of(text: &str, at: usize) -> usize {
    1 + text.chars().take(at).filter(|c| *c == '\u{c}').count()
}
