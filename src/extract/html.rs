//! Saved web pages (`.html`, `.htm`, `.xhtml`): the text a reader sees,
//! parsed with a real HTML5 parser (html5ever, through `scraper`). Left
//! out: `<head>` (but the title), scripts, styles, templates, comments, and
//! elements hidden with `hidden` or an inline `display:none`. Entities are
//! decoded, soft hyphens removed; headings, paragraphs, list items, table
//! rows, block quotes and `<br>` become line or paragraph breaks, table
//! cells are separated by tabs, `<pre>` keeps its whitespace, and other
//! whitespace collapses as a browser's does.

use super::{Block, ExtractError, Extracted};
use ego_tree::NodeRef;
use scraper::{Html, Node};

pub const EXTRACTOR: &str = "gloss-html/2";

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    // As browsers do: a byte order mark first, then the page's own
    // `<meta charset>`, then a guess.
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    let text = match meta_charset(bytes) {
        Some(encoding) if !has_bom => encoding.decode(bytes).0.into_owned(),
        _ => {
            crate::decode::decode(bytes)
                .map_err(|e| ExtractError::Invalid {
                    format: "HTML",
                    why: e.to_string(),
                })?
                .text
        }
    };
    let text = bounded_depth(&text);
    let html = Html::parse_document(&text);
    let mut w = Writer::default();
    let root = html.tree.root();
    let body = root
        .descendants()
        .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "body"));
    walk(body.unwrap_or(root), &mut w);
    let title = root
        .descendants()
        .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "title"))
        .map(|t| {
            let mut s = String::new();
            for d in t.descendants() {
                if let Node::Text(x) = d.value() {
                    s.push_str(x);
                }
            }
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|t| !t.is_empty());
    let blocks = w.blocks();
    let elements = super::char_marks(&w.out, &w.elements);
    Ok(Extracted {
        text: w.out,
        title,
        extractor: EXTRACTOR,
        blocks,
        elements,
    })
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Line breaks owed before the next text (1: a line, 2: a paragraph).
    owed: usize,
    /// Inside `<pre>`: whitespace kept.
    pre: usize,
    /// Cells written in the current table row.
    cells: usize,
    /// A list marker was just written: the item's first block continues
    /// its line, as a browser shows `<li><p>…</p></li>`.
    marker: bool,
    /// What the next line started is (a heading), and how deep in block
    /// quotes the writer is.
    pending: Option<Block>,
    quote: usize,
    /// (byte offset in `out` where a line starts, what it is).
    marks: Vec<(usize, Block)>,
    /// The elements from `body` down to the one being read ("p[3]"), and
    /// the depths of the block elements among them.
    path: Vec<String>,
    block_depths: Vec<usize>,
    /// (byte offset in `out` where a line starts, the XPath of its block).
    elements: Vec<(usize, String)>,
    /// How deep in elements the walk is (bounded: see [`MAX_DEPTH`]).
    depth: usize,
}

/// Elements deeper than this are read as plain text: Chromium builds no
/// deeper tree either (512), and a page of 100,000 nested spans would
/// otherwise exhaust the stack, which no error handling can catch.
const MAX_DEPTH: usize = 512;

impl Writer {
    fn owe(&mut self, n: usize) {
        self.owed = self.owed.max(n);
    }

    fn settle(&mut self) {
        if self.owed > 0 && !self.out.is_empty() {
            let have = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in have..self.owed {
                self.out.push('\n');
            }
        }
        self.owed = 0;
    }

    fn text(&mut self, t: &str) {
        let t = t.replace('\u{ad}', "");
        if self.pre > 0 {
            if !t.is_empty() {
                self.settle();
                self.out.push_str(&t);
            }
            return;
        }
        for (i, word) in t.split_ascii_whitespace().enumerate() {
            let spaced = i > 0 || t.starts_with(|c: char| c.is_ascii_whitespace());
            self.marker = false;
            if self.owed > 0 || self.out.is_empty() {
                self.settle();
                self.mark_line();
            } else if spaced && !self.out.is_empty() && !self.out.ends_with([' ', '\n', '\t']) {
                self.out.push(' ');
            }
            self.out.push_str(word);
        }
        // Whitespace between inline elements collapses to one space, never
        // to nothing ("<code>a</code> <code>b</code>" reads "a b"); at the
        // edges of a block it goes (a break trims it, an owed line skips it).
        if t.ends_with(|c: char| c.is_ascii_whitespace())
            && self.owed == 0
            && !self.out.is_empty()
            && !self.out.ends_with([' ', '\n', '\t'])
        {
            self.out.push(' ');
        }
    }

    /// A line starts here: note what it is, if it is anything.
    fn mark_line(&mut self) {
        let block = self
            .pending
            .take()
            .or((self.quote > 0).then_some(Block::Quote));
        if let Some(b) = block {
            self.marks.push((self.out.len(), b));
        }
        let depth = self.block_depths.last().copied().unwrap_or(0);
        let xpath = format!("/html/body/{}", self.path[..depth].join("/"));
        self.elements
            .push((self.out.len(), xpath.trim_end_matches('/').to_string()));
    }

    /// `marks` with char offsets, for the view.
    fn blocks(&self) -> Vec<(usize, Block)> {
        super::char_marks(&self.out, &self.marks)
    }

    /// A break drops the space that ended the text before it.
    fn trim_space(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
    }
}

/// The page with tags nested deeper than [`MAX_DEPTH`] dropped (their
/// text kept), so the parser is never given a tree it would build in
/// quadratic time (200,000 nested `<div>`s took minutes) or walk past the
/// stack. A linear scan that counts only elements a page must close:
/// `<p>`, `<li>`, cells and the like close themselves, void elements hold
/// nothing, comments and script or style text hold no tags.
fn bounded_depth(html: &str) -> std::borrow::Cow<'_, str> {
    const SELF_CLOSING: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
        "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body", "area", "base", "br",
        "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
        "keygen", "basefont", "frame", "!doctype",
    ];
    let bytes = html.as_bytes();
    // Cheap check first: most pages are nowhere near the bound.
    if bytes.iter().filter(|b| **b == b'<').count() < MAX_DEPTH {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut dropped, mut i, mut copied) = (0usize, 0usize, 0usize, 0usize);
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = at + if closing { 2 } else { 1 };
        let name_len = html[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(html.len() - name_start);
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!') {
            i = at + 1;
            continue;
        }
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            // Raw text: no tags inside until its end tag.
            let close = format!("</{name}");
            i = html[end..]
                .match_indices("</")
                .find(|(e, _)| {
                    html.get(end + e..end + e + close.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(&close))
                })
                .map_or(html.len(), |(e, _)| end + e);
            continue;
        }
        let self_closing = SELF_CLOSING.contains(&name.as_str()) || html[at..end].ends_with("/>");
        let drop = if self_closing {
            false
        } else if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_DEPTH {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            out.push_str(&html[copied..at]);
            copied = end;
        }
        i = end;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The encoding a page declares in its first 1,024 bytes
/// (`<meta charset="…">` or `content="text/html; charset=…"`). UTF-16
/// declared in a page read as bytes means UTF-8, as the HTML standard says.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset") {
            let value = tag[j + 7..].trim_start().strip_prefix('=')?.trim_start();
            let label: String = value
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ';' | '/' | '>') && !c.is_whitespace())
                .collect();
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    encoding
                },
            );
        }
    }
    None
}

/// Whether an element's style keeps its whitespace (`white-space: pre`,
/// `pre-wrap`, `pre-line`, `break-spaces`), as `<pre>` does.
fn keeps_whitespace(e: &scraper::node::Element) -> bool {
    e.attr("style").is_some_and(|s| {
        s.to_ascii_lowercase().split(';').any(|d| {
            let d = d.replace(char::is_whitespace, "");
            d.strip_prefix("white-space:")
                .is_some_and(|v| matches!(v, "pre" | "pre-wrap" | "pre-line" | "break-spaces"))
        })
    })
}

fn hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("style").is_some_and(|s| {
            s.to_ascii_lowercase()
                .split(';')
                .any(|d| d.replace(char::is_whitespace, "") == "display:none")
        })
}

fn walk(node: NodeRef<'_, Node>, w: &mut Writer) {
    // Elements counted by name among their siblings, as XPath counts them.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for c in node.children() {
        match c.value() {
            Node::Text(t) => w.text(t),
            Node::Element(e) => {
                let name = e.name();
                let nth = seen.entry(name).or_default();
                *nth += 1;
                if matches!(
                    name,
                    "script" | "style" | "template" | "noscript" | "head" | "iframe" | "object"
                ) || hidden(e)
                {
                    continue;
                }
                if w.depth >= MAX_DEPTH {
                    // Flat: the text of everything under it, in order,
                    // without recursion.
                    for d in c.descendants() {
                        if let Node::Text(t) = d.value() {
                            w.text(t);
                        }
                    }
                    continue;
                }
                w.path.push(format!("{name}[{nth}]"));
                let is_block = block(name)
                    || matches!(
                        name,
                        "li" | "dt" | "dd" | "tr" | "td" | "th" | "caption" | "pre"
                    );
                if is_block {
                    w.block_depths.push(w.path.len());
                }
                let pre = usize::from(keeps_whitespace(e));
                w.pre += pre;
                w.depth += 1;
                element(c, name, w);
                w.depth -= 1;
                w.pre -= pre;
                if is_block {
                    w.block_depths.pop();
                }
                w.path.pop();
            }
            _ => {}
        }
    }
}

/// Writes element `c` (named `name`) and what it holds.
fn element(c: NodeRef<'_, Node>, name: &str, w: &mut Writer) {
    match name {
        "br" => {
            w.trim_space();
            w.settle();
            w.out.push('\n');
        }
        "pre" => {
            w.trim_space();
            w.owe(2);
            w.pre += 1;
            walk(c, w);
            w.pre -= 1;
            w.owe(2);
        }
        "li" | "dt" | "dd" | "tr" | "caption" => {
            w.trim_space();
            w.owe(1);
            if name == "li" {
                w.settle();
                w.out.push_str("• ");
                w.marker = true;
            }
            w.cells = 0;
            walk(c, w);
            w.trim_space();
            w.owe(1);
        }
        "td" | "th" => {
            w.trim_space();
            if w.cells > 0 {
                w.settle();
                w.out.push('\t');
            }
            w.cells += 1;
            walk(c, w);
            w.trim_space();
        }
        _ if block(name) => {
            if !std::mem::take(&mut w.marker) {
                w.trim_space();
                w.owe(2);
            }
            let quote = usize::from(name == "blockquote");
            w.quote += quote;
            if let Some(level) = heading(name) {
                w.pending = Some(Block::Heading(level));
            }
            walk(c, w);
            w.pending = None;
            w.quote -= quote;
            w.trim_space();
            w.owe(2);
        }
        _ => walk(c, w),
    }
}

fn heading(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "figure"
            | "figcaption"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "form"
            | "fieldset"
            | "address"
            | "hr"
            | "details"
            | "summary"
            | "body"
    )
}
