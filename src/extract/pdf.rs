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

pub const EXTRACTOR: &str = "gloss-pdf/2";

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
            let spans = doc.extract_spans(page).unwrap_or_default();
            let raw = separate_runs(&raw, &spans);
            let lines = line_looks(&raw, &spans);
            total += raw.len();
            if total > MAX_TEXT {
                return Err(ExtractError::TooLarge {
                    part: "its text layer".into(),
                    limit: MAX_TEXT as u64,
                });
            }
            raws.push((raw, lines));
            progress((page + 1) as f32 / pages.max(1) as f32);
        }
        let mut vocabulary = Words::new();
        for (raw, _) in &raws {
            vocabulary.extend(words(raw));
        }
        let running = running_lines(raws.iter().map(|(r, _)| r.as_str()));
        let texts: Vec<Vec<String>> = raws
            .iter()
            .map(|(raw, looks)| page_paragraphs(raw, &vocabulary, looks, &running))
            .collect();
        if texts.iter().all(|p| p.is_empty()) {
            return Err(ExtractError::NoTextLayer);
        }
        Ok(assemble(texts))
    })
}

/// One page's raw lines as paragraphs: blank lines separate paragraphs,
/// and the lines of one are joined unless they look like a list or table.
#[cfg(test)]
pub(crate) fn paragraphs(raw: &str, words: &Words) -> Vec<String> {
    page_paragraphs(raw, words, &[], &Running::default())
}

/// [`paragraphs`], knowing how each raw line looks on the page (`looks`,
/// by line; missing where it could not be told) and which lines run over
/// the pages: a line in another size than the one before it begins a new
/// paragraph (a heading under body text), and a running head or a page
/// number at the top or bottom of the page is a paragraph of its own.
fn page_paragraphs(
    raw: &str,
    words: &Words,
    looks: &[Option<Look>],
    running: &Running,
) -> Vec<String> {
    let lines: Vec<&str> = raw.lines().map(|l| l.trim_end()).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let look = |i: usize| looks.get(i).copied().flatten();
    let mut out = Vec::new();
    let mut para = String::new();
    for (i, &line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            if !para.is_empty() {
                out.push(std::mem::take(&mut para));
            }
            continue;
        }
        let running_at = |at: Option<usize>, j: usize| at == Some(j) && running.is(lines[j]);
        let alone = running_at(first, i) || running_at(last, i);
        let after_head = i > 0 && running_at(first, i - 1);
        let new_block = match (i.checked_sub(1).and_then(look), look(i)) {
            (Some(a), Some(b)) => a.other_block(b),
            _ => false,
        };
        if !para.is_empty() && (alone || after_head || new_block) {
            out.push(std::mem::take(&mut para));
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
        let head = trailing(stem, char::is_alphabetic);
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

/// The end of `s` made of chars that `keep`.
fn trailing(s: &str, keep: impl Fn(char) -> bool) -> &str {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| keep(*c))
        .last()
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
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
/// or last paragraph, numbers aside, on at least three pages and half of
/// them, or a page number alone) marked.
fn assemble(pages: Vec<Vec<String>>) -> Extracted {
    let mut running = running_paragraphs(&pages);
    running.folios = true;
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
            if edge && running.is(para) {
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

/// What runs over the pages: lines (or paragraphs) by their [`shape`],
/// and, where `folios` is set, any page number standing alone.
#[derive(Default)]
pub(crate) struct Running {
    shapes: std::collections::HashSet<String>,
    folios: bool,
}

impl Running {
    fn is(&self, line: &str) -> bool {
        (self.folios && is_folio(line)) || self.shapes.contains(&shape(line))
    }
}

/// A line or paragraph with each run of digits made one `#`, so "Page 3"
/// and "Page 13" match.
fn shape(para: &str) -> String {
    let mut out = String::new();
    for c in para.trim().chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A page number alone: "7", "- 7 -", "Page 7", "7 of 20", "7/20", "xiv".
pub(crate) fn is_folio(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let lower = t.to_lowercase();
    let t = lower
        .strip_prefix("page")
        .map(str::trim_start)
        .unwrap_or(&lower);
    let (n, total) = match t.split_once(" of ").or_else(|| t.split_once('/')) {
        Some((n, total)) => (n.trim(), Some(total.trim())),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
    let roman = !line.chars().any(char::is_uppercase) && is_roman(n);
    (digits(n) || (roman && total.is_none())) && total.is_none_or(digits)
}

/// A lower-case roman numeral as front matter numbers its pages (up to
/// 399), written the one canonical way: "xiv", not "mix", "civil" or "cm".
fn is_roman(s: &str) -> bool {
    let value = |c: char| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let Some(values) = s.chars().map(value).collect::<Option<Vec<i64>>>() else {
        return false;
    };
    let mut n = 0i64;
    for (i, v) in values.iter().enumerate() {
        match values.get(i + 1) {
            Some(next) if next > v => n -= v,
            _ => n += v,
        }
    }
    !s.is_empty() && (1..400).contains(&n) && super::roman(n as usize) == s
}

/// The shapes found at the top or bottom of at least three pages and half
/// of them.
fn recurring<'a>(edges: impl Iterator<Item = Vec<&'a str>>, pages: usize) -> Running {
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in edges {
        let mut shapes: Vec<String> = page
            .into_iter()
            .filter(|e| e.chars().count() <= 120)
            .map(shape)
            .collect();
        shapes.dedup();
        for e in shapes {
            *seen.entry(e).or_default() += 1;
        }
    }
    let need = 3.max(pages.div_ceil(2));
    Running {
        shapes: seen
            .into_iter()
            .filter(|(_, n)| *n >= need)
            .map(|(s, _)| s)
            .collect(),
        folios: false,
    }
}

/// Running lines: the first and last line of each page's raw text that
/// recur, and page numbers standing alone there.
fn running_lines<'a>(pages: impl ExactSizeIterator<Item = &'a str>) -> Running {
    let n = pages.len();
    let edges = pages.map(|raw| {
        let mut lines = raw.lines().filter(|l| !l.trim().is_empty());
        let first = lines.next();
        let last = lines.next_back();
        first.into_iter().chain(last).collect()
    });
    let mut running = recurring(edges, n);
    running.folios = true;
    running
}

/// Running paragraphs: the first and last paragraph of each page that
/// recur (a running head may be two lines).
fn running_paragraphs(pages: &[Vec<String>]) -> Running {
    let edges = pages.iter().map(|paras| {
        let mut edges: Vec<&str> = paras.first().map(String::as_str).into_iter().collect();
        if paras.len() > 1
            && let Some(last) = paras.last()
        {
            edges.push(last);
        }
        edges
    });
    recurring(edges, pages.len())
}

/// How a raw line looks on the page: its largest font size and baseline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Look {
    size: f32,
    y: f32,
    /// Which drawn line of the page this is.
    index: usize,
}

impl Look {
    /// Whether `next`, the line after this one, starts another block: a
    /// heading under body text or body text under a heading (a size a
    /// fifth apart), or a line far below this one.
    fn other_block(self, next: Look) -> bool {
        if next.index != self.index + 1 {
            return false;
        }
        let (small, large) = (self.size.min(next.size), self.size.max(next.size));
        let resized = small > 0.0 && large / small > 1.2;
        let gap = self.y - next.y;
        resized || gap > 2.2 * self.size.max(next.size)
    }
}

/// The text spans of one page grouped into lines as drawn (the spans of a
/// line share a baseline), each line's first text and look.
fn span_lines(spans: &[pdf_oxide::layout::TextSpan]) -> Vec<(String, Look)> {
    let mut out: Vec<(String, Look)> = Vec::new();
    for span in spans {
        let text = span.text.trim();
        let y = span.bbox.y;
        let size = span.font_size;
        match out.last_mut() {
            Some((first, look)) if (look.y - y).abs() < 0.5 * size.min(look.size).max(1.0) => {
                look.size = look.size.max(size);
                if first.is_empty() {
                    *first = text.to_string();
                }
            }
            _ => out.push((
                text.to_string(),
                Look {
                    size,
                    y,
                    index: out.len(),
                },
            )),
        }
    }
    out
}

/// The look of each line of `raw`, found by matching lines to the spans
/// drawn: a raw line starts with the first text of a drawn line a little
/// further on (a first text of four chars at least, or the whole line, so
/// "a" or "1" cannot match a line further down). Where none matches (text
/// the extractor moved, as columns), the look is unknown and the line
/// joins as plain prose would. Each look carries the drawn line's index,
/// so only lines drawn one after the other are compared.
fn line_looks(raw: &str, spans: &[pdf_oxide::layout::TextSpan]) -> Vec<Option<Look>> {
    const AHEAD: usize = 8;
    let drawn = span_lines(spans);
    let mut next = 0;
    raw.lines()
        .map(|line| {
            let line = line.trim();
            if line.is_empty() {
                return None;
            }
            let end = drawn.len().min(next + AHEAD);
            let found = (next..end).find(|&k| {
                let first = drawn[k].0.as_str();
                !first.is_empty()
                    && line.starts_with(first)
                    && (first.chars().count() >= 4 || line == first)
            })?;
            next = found + 1;
            Some(Look {
                index: found,
                ..drawn[found].1
            })
        })
        .collect()
}

/// `raw` with a space where the extractor glued two words that the page
/// draws apart: a run that ends in a letter or digit, then a run in
/// another face starting with a capital right where it ends ("GNOME" then
/// the italic "The GNOME desktop", as DocBook sets a bibliography), or
/// two runs with a visible gap between them and no space.
pub(crate) fn separate_runs(raw: &str, spans: &[pdf_oxide::layout::TextSpan]) -> String {
    // Each pair once, and a bounded number of them: a hostile page of
    // thousands of glued runs costs linear time, not quadratic.
    const MOST: usize = 256;
    let mut glued = std::collections::BTreeSet::new();
    for pair in spans.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let size = a.font_size.min(b.font_size).max(1.0);
        // A run without widths (a font that gives none) says nothing of gaps.
        if (a.bbox.y - b.bbox.y).abs() > 0.3 * size || a.bbox.width <= 0.0 {
            continue;
        }
        let gap = b.bbox.x - (a.bbox.x + a.bbox.width);
        let tail = trailing(&a.text, char::is_alphanumeric).to_string();
        let head: String = b.text.chars().take_while(|c| c.is_alphanumeric()).collect();
        if tail.is_empty() || head.is_empty() || gap < -0.1 * size {
            continue;
        }
        let other_face = a.font_name != b.font_name
            || a.is_italic != b.is_italic
            || a.font_weight != b.font_weight;
        let capital = head.chars().next().is_some_and(char::is_uppercase);
        if gap > 0.2 * size || (other_face && capital) {
            glued.insert((tail, head));
            if glued.len() == MOST {
                break;
            }
        }
    }
    let mut out = raw.to_string();
    for (tail, head) in glued {
        out = space_between(&out, &tail, &head);
    }
    out
}

/// `text` with a space put between `tail` and `head` wherever they stand
/// glued as one word.
fn space_between(text: &str, tail: &str, head: &str) -> String {
    let glued = format!("{tail}{head}");
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find(&glued) {
        let before = rest[..at]
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        let after = rest[at + glued.len()..].chars().next();
        out.push_str(&rest[..at + tail.len()]);
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push(' ');
        }
        rest = &rest[at + tail.len()..];
    }
    out.push_str(rest);
    out
}

/// The page (from 1) of char `at` in an extracted PDF's text.
pub fn page_of(text: &str, at: usize) -> usize {
    1 + text.chars().take(at).filter(|c| *c == '\u{c}').count()
}
