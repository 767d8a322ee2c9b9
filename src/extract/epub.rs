//! EPUB 2 and 3 books: the chapters in spine order (the reading order,
//! not the manifest's), each read by the web page rules of [`super::html`],
//! with a chapter break (a form feed on a line of its own) between them and
//! each chapter's title from the navigation document (EPUB 3 `nav`, else
//! the EPUB 2 NCX) marked for the view. A title the chapter does not open
//! with is written before it, so every chapter starts with its name.
//!
//! A spine that points outside the archive, or at a file it lacks, is
//! refused; everything unpacked counts against the zip budget.

use super::zipped::Zipped;
use super::{Block, ExtractError, Extracted};
use std::collections::HashMap;

pub const EXTRACTOR: &str = "gloss-epub/2";
const FORMAT: &str = "EPUB";
const OPF: &str = "http://www.idpf.org/2007/opf";

/// The separator between chapters, as between PDF pages.
pub const CHAPTER_BREAK: &str = "\n\u{c}\n";

fn invalid(why: String) -> ExtractError {
    ExtractError::Invalid {
        format: FORMAT,
        why,
    }
}

pub fn extract(bytes: &[u8], progress: &dyn Fn(f32)) -> Result<Extracted, ExtractError> {
    let mut zip = Zipped::open(bytes, FORMAT)?;
    let container = zip.required("META-INF/container.xml")?;
    let opf_path = {
        let doc = zip.xml("META-INF/container.xml", &container)?;
        doc.descendants()
            .find(|n| n.tag_name().name() == "rootfile")
            .and_then(|n| n.attribute("full-path"))
            .map(str::to_string)
            .ok_or_else(|| invalid("its container.xml names no package file".into()))?
    };
    let opf_text = zip.required(&opf_path)?;
    let opf = zip.xml(&opf_path, &opf_text)?;
    let base = parent(&opf_path);

    // id → (path in the archive, or the href that climbs out of it; properties)
    let mut manifest: HashMap<&str, (Result<String, &str>, &str)> = HashMap::new();
    for item in opf.descendants().filter(|n| is(n, "item")) {
        if let (Some(id), Some(href)) = (item.attribute("id"), item.attribute("href")) {
            let path = resolve(&base, href).ok_or(href);
            manifest.insert(id, (path, item.attribute("properties").unwrap_or("")));
        }
    }
    let spine: Vec<&str> = opf
        .descendants()
        .filter(|n| is(n, "itemref"))
        .filter_map(|n| n.attribute("idref"))
        .collect();
    if spine.is_empty() {
        return Err(invalid("its spine lists no chapters".into()));
    }
    let book_title = opf
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());

    let nav = manifest
        .values()
        .find(|(_, props)| props.split_whitespace().any(|p| p == "nav"))
        .and_then(|(path, _)| path.clone().ok());
    let ncx = opf
        .descendants()
        .find(|n| is(n, "spine"))
        .and_then(|s| s.attribute("toc"))
        .and_then(|id| manifest.get(id))
        .and_then(|(path, _)| path.clone().ok());
    let mut titles = match nav {
        Some(nav) => titles(&mut zip, &nav, nav_links)?,
        None => HashMap::new(),
    };
    if titles.is_empty()
        && let Some(ncx) = ncx
    {
        titles = self::titles(&mut zip, &ncx, ncx_links)?;
    }

    let mut text = String::new();
    let mut chars = 0usize;
    let mut blocks = Vec::new();
    for (i, idref) in spine.iter().enumerate() {
        let (path, _) = manifest.get(idref).ok_or_else(|| {
            invalid(format!(
                "its spine names {idref}, which is not in its manifest"
            ))
        })?;
        let path = path
            .as_ref()
            .map_err(|href| invalid(format!("its spine points outside the book ({href})")))?;
        let chapter = zip.text(path)?.ok_or_else(|| {
            invalid(format!(
                "its spine points at {path}, which is not in the book"
            ))
        })?;
        // `<title/>` is valid XHTML but opens an HTML title that never
        // closes, swallowing the chapter.
        let chapter = chapter.replace("<title/>", "<title></title>");
        let page = super::html::extract(chapter.as_bytes())?;
        let body = page.text;
        progress((i + 1) as f32 / spine.len() as f32);
        let title = titles.get(path.as_str());
        if body.trim().is_empty() && title.is_none() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
            blocks.push((chars + 1, Block::ChapterBreak));
            text.push_str("\u{c}\n");
            chars += CHAPTER_BREAK.chars().count();
        }
        if let Some(title) = title {
            blocks.push((chars, Block::Chapter));
            let first_line = body.lines().next().unwrap_or("").trim();
            if !first_line.eq_ignore_ascii_case(title) {
                text.push_str(title);
                chars += title.chars().count();
                if !body.is_empty() {
                    text.push_str("\n\n");
                    chars += 2;
                }
            }
        }
        let chapter_mark = blocks.last().map(|(at, _)| *at);
        blocks.extend(
            page.blocks
                .into_iter()
                .map(|(at, b)| (chars + at, b))
                .filter(|(at, _)| Some(*at) != chapter_mark),
        );
        text.push_str(&body);
        chars += body.chars().count();
    }
    Ok(Extracted {
        text,
        title: book_title,
        extractor: EXTRACTOR,
        elements: Vec::new(),
        blocks,
    })
}

fn is(n: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    super::is(n, OPF, name)
}

/// The folder of an archive path ("OEBPS/content.opf" → "OEBPS/").
fn parent(path: &str) -> String {
    path.rfind('/')
        .map(|i| path[..=i].to_string())
        .unwrap_or_default()
}

/// `href` (percent-encoded, relative to `base`, maybe with a fragment) as
/// a path in the archive; `None` if it climbs out of the archive.
fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or("");
    let href = percent_decode(href);
    let joined = if href.starts_with('/') {
        href
    } else {
        format!("{base}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An XML part with a DOCTYPE that declares nothing (as NCX files have)
/// made parseable without allowing DTDs.
fn without_doctype(text: &str) -> std::borrow::Cow<'_, str> {
    if let Some(start) = text.find("<!DOCTYPE")
        && let Some(len) = text[start..].find('>')
        && !text[start..start + len].contains('[')
    {
        return format!("{}{}", &text[..start], &text[start + len + 1..]).into();
    }
    text.into()
}

/// Chapter titles by archive path, from the navigation part `path` read
/// by `links` (href, title); the first title naming each file wins. A
/// navigation part we cannot read costs the titles, not the book.
fn titles(
    zip: &mut Zipped<'_>,
    path: &str,
    links: fn(&roxmltree::Document<'_>) -> Vec<(String, String)>,
) -> Result<HashMap<String, String>, ExtractError> {
    let mut titles = HashMap::new();
    let Some(text) = zip.text(path)? else {
        return Ok(titles);
    };
    let text = without_doctype(&text);
    let Ok(doc) = zip.xml(path, &text) else {
        return Ok(titles);
    };
    let base = parent(path);
    for (href, label) in links(&doc) {
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        if !label.is_empty()
            && let Some(target) = resolve(&base, &href)
        {
            titles.entry(target).or_insert(label);
        }
    }
    Ok(titles)
}

/// An EPUB 3 navigation document's table of contents.
fn nav_links(doc: &roxmltree::Document<'_>) -> Vec<(String, String)> {
    let named = |n: &roxmltree::Node<'_, '_>, name: &str| n.tag_name().name() == name;
    let toc = doc
        .descendants()
        .find(|n| {
            named(n, "nav")
                && n.attributes()
                    .any(|a| a.name() == "type" && a.value().contains("toc"))
        })
        .or_else(|| doc.descendants().find(|n| named(n, "nav")));
    toc.iter()
        .flat_map(|t| t.descendants())
        .filter(|n| named(n, "a"))
        .filter_map(|a| {
            let label = a
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text());
            Some((a.attribute("href")?.to_string(), label.collect()))
        })
        .collect()
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.descendants().find(|c| c.tag_name().name() == name)
}

/// An EPUB 2 NCX's navigation points.
fn ncx_links(doc: &roxmltree::Document<'_>) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "navPoint")
        .filter_map(|point| {
            let label = child(point, "navLabel")
                .and_then(|l| child(l, "text"))?
                .text()?;
            let src = child(point, "content")?.attribute("src")?;
            Some((src.to_string(), label.to_string()))
        })
        .collect()
}
