//! Reading a `.qdpx` into one document, as other tools really write it:
//! source texts decoded as documents are (QualCoder writes them with a
//! byte-order mark, which is not a character of the text), a copy that
//! differs only in line endings matched by position (QualCoder writes each
//! CRLF as a line break and a space), annotations without a code (a `Note`
//! holding a `PlainTextSelection`), one passage coded several times (one
//! selection per coding) joined into one annotation, and the document's
//! memo. Nothing moves without a word: what was placed other than by its
//! position is said.

use super::{FormatError, Imported, MAX_INFLATED, codes_of, read_entry};
use crate::model::{Annotation, AnnotationId, CharRange, Document, Tag};
use roxmltree::Node;
use std::collections::HashMap;

/// How a source's text compares with the document's, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    Same,
    /// Equal but where both have a line break or space: positions agree.
    LineEnds,
    Other,
}

fn fit(doc: &str, source: &str) -> Fit {
    if doc == source {
        return Fit::Same;
    }
    let blank = |c: char| matches!(c, '\r' | '\n' | ' ');
    let (mut a, mut b) = (doc.chars(), source.chars());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Fit::LineEnds,
            (Some(x), Some(y)) if x == y || (blank(x) && blank(y)) => {}
            _ => return Fit::Other,
        }
    }
}

/// A source's text as a document's would be read: decoded, a leading
/// byte-order mark dropped.
fn decoded(bytes: &[u8]) -> Result<String, String> {
    crate::decode::decode(bytes)
        .map(|d| d.text)
        .map_err(|e| e.to_string())
}

/// `project.qde`'s text (a byte-order mark, which some tools write, left
/// out).
fn project_text(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    left: &mut u64,
) -> Result<String, FormatError> {
    let project = read_entry(zip, "project.qde", left)?;
    let mut project = String::from_utf8(project)
        .map_err(|e| FormatError::Invalid(format!("project.qde is not UTF-8: {e}")))?;
    if project.starts_with('\u{feff}') {
        project.drain(..'\u{feff}'.len_utf8());
    }
    Ok(project)
}

/// Where a source's text is.
enum Text<'x> {
    Entry(String),
    Inline(&'x str),
    Missing,
}

/// Reads a `.qdpx`: the text source that is this document (same text,
/// else the same text but for line endings, else same name, else the only
/// one), its selections and codings, its annotation notes and its memo.
/// Nothing is unpacked to disk; a source path that tries to leave the
/// archive's `sources/` folder is refused.
pub fn import(doc: &Document, bytes: &[u8]) -> Result<Imported, FormatError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut left = MAX_INFLATED;
    let project = project_text(&mut zip, &mut left)?;
    let xml = roxmltree::Document::parse(&project)
        .map_err(|e| FormatError::Invalid(format!("project.qde is not valid XML: {e}")))?;
    let mut out = Imported::default();
    let by_name = |name: &'static str| xml.descendants().filter(move |n| n.has_tag_name(name));
    let codes: HashMap<&str, Tag> = codes_of(&xml).into_iter().collect();
    let users: HashMap<&str, &str> = by_name("User")
        .filter_map(|u| {
            Some((
                u.attribute("guid")?,
                u.attribute("name").or(u.attribute("id"))?,
            ))
        })
        .collect();
    // Candidate sources and how each fits this document. An entry is read
    // once however many sources name it, and no text is kept but the
    // chosen one's.
    let mut fit_by_entry: HashMap<String, Fit> = HashMap::new();
    let mut sources = Vec::new();
    for src in by_name("TextSource") {
        let name = src.attribute("name").unwrap_or_default();
        let (text, fits) = match src.attribute("plainTextPath") {
            Some(p) => match p.strip_prefix("internal://") {
                Some(file)
                    if !file.is_empty() && !file.contains(['/', '\\']) && !file.contains("..") =>
                {
                    let entry = format!("sources/{file}");
                    let fits = match fit_by_entry.get(&entry) {
                        Some(f) => *f,
                        None => match read_entry(&mut zip, &entry, &mut left)
                            .map_err(|e| e.to_string())
                            .and_then(|b| decoded(&b))
                        {
                            Ok(t) => {
                                let f = fit(doc.text(), &t);
                                fit_by_entry.insert(entry.clone(), f);
                                f
                            }
                            Err(e) => {
                                out.skipped.push(format!("source “{name}”: {e}"));
                                continue;
                            }
                        },
                    };
                    (Text::Entry(entry), fits)
                }
                Some(_) => {
                    out.skipped
                        .push(format!("source “{name}”: unsafe path {p} refused"));
                    continue;
                }
                None => (Text::Missing, Fit::Other),
            },
            None => match src
                .children()
                .find(|c| c.has_tag_name("PlainTextContent"))
                .and_then(|c| c.text())
            {
                Some(t) => {
                    let t = t.strip_prefix('\u{feff}').unwrap_or(t);
                    (Text::Inline(t), fit(doc.text(), t))
                }
                None => (Text::Missing, Fit::Other),
            },
        };
        sources.push((src, name, text, fits));
    }
    let best = sources
        .iter()
        .map(|s| s.3)
        .min()
        .filter(|f| *f != Fit::Other);
    let chosen = best
        .and_then(|b| sources.iter().position(|s| s.3 == b))
        .or_else(|| sources.iter().position(|s| s.1 == doc.name))
        .or_else(|| (sources.len() == 1).then_some(0));
    let Some(i) = chosen else {
        out.skipped.push(format!(
            "none of the project's {} text sources is {}",
            sources.len(),
            doc.name
        ));
        return Ok(out);
    };
    let (src, name, text, fits) = &sources[i];
    let (src, fits) = (*src, *fits);
    // Only a different text is needed: placed by quote.
    let other: Option<Document> = match text {
        _ if fits != Fit::Other => None,
        Text::Entry(entry) => read_entry(&mut zip, entry, &mut left)
            .ok()
            .and_then(|b| decoded(&b).ok()),
        Text::Inline(t) => Some(t.to_string()),
        Text::Missing => None,
    }
    .map(|t| Document::new("qdpx", t));
    if fits == Fit::LineEnds {
        out.said.push(format!(
            "the project's copy of {} differs from it only in line breaks and spaces (QualCoder \
             writes each CRLF as a line break and a space): its codings were placed by position",
            doc.name
        ));
    }
    out.tags = codes.values().cloned().collect();
    out.tags.sort_by(|a, b| a.name.cmp(&b.name));
    let notes: HashMap<&str, Node> = by_name("Note")
        .filter_map(|n| Some((n.attribute("guid")?, n)))
        .collect();
    let reader = Reader {
        doc,
        other: other.as_ref(),
        same_positions: fits != Fit::Other,
        codes: &codes,
        users: &users,
        now: time::OffsetDateTime::now_utc(),
    };
    let mut found = Vec::new();
    let selections = src
        .children()
        .filter(|c| c.has_tag_name("PlainTextSelection"));
    for (n, sel) in selections.enumerate() {
        let label = format!(
            "selection {} ({})",
            n + 1,
            sel.attribute("guid").unwrap_or("no guid")
        );
        match reader.selection(sel, sel, text_of(sel, "Description")) {
            Ok(a) => found.push(a),
            Err(why) => out.skipped.push(format!("{label}: {why}")),
        }
    }
    // Notes the source refers to: an annotation without a code when it
    // holds a selection, else a memo.
    let mut memos = Vec::new();
    for r in src.children().filter(|c| c.has_tag_name("NoteRef")) {
        let Some(note) = r.attribute("targetGUID").and_then(|g| notes.get(g)) else {
            continue;
        };
        let content = text_of(*note, "PlainTextContent");
        match note
            .children()
            .find(|c| c.has_tag_name("PlainTextSelection"))
        {
            Some(sel) => match reader.selection(*note, sel, content) {
                Ok(a) => found.push(a),
                Err(why) => out.skipped.push(format!(
                    "note “{}”: {why}",
                    crate::formats::report::clip(content, 40)
                )),
            },
            None if !content.trim().is_empty() => memos.push(content),
            None => {}
        }
    }
    if fits == Fit::Other && !found.is_empty() {
        out.said.push(format!(
            "the project's copy of {name} is not this document's text: its codings were placed \
             by their quote"
        ));
        let placed = crate::formats::place_imported(doc, &mut found);
        out.said.extend(placed);
    }
    let from_gloss = xml
        .root_element()
        .attribute("origin")
        .is_some_and(|o| o.starts_with("Gloss"));
    out.annotations = if from_gloss { found } else { joined(found) };
    // The memo: the source's description (QualCoder's), else the notes it
    // refers to (Gloss writes both, the same text).
    let description = text_of(src, "Description");
    out.memo = if description.trim().is_empty() {
        memos.join("\n\n")
    } else {
        description.to_string()
    };
    Ok(out)
}

/// One text source of a project, as a document could be made of it.
#[derive(Debug)]
pub struct ProjectSource {
    /// Its name in the project (a file name, as QualCoder and Gloss write).
    pub name: String,
    /// Its text, decoded as a document's would be.
    pub text: String,
}

/// What a whole project holds beyond one document's codings: its sources,
/// its codebook (with the hierarchy) and the project's memo.
#[derive(Debug, Default)]
pub struct ProjectContents {
    pub sources: Vec<ProjectSource>,
    pub codes: Vec<Tag>,
    pub memo: String,
    /// Sources that could not be read, each with the reason.
    pub skipped: Vec<String>,
}

/// Reads a `.qdpx`'s sources, codebook and project memo (the project's
/// `Description`, where QualCoder writes it, else the notes the project
/// refers to, where Gloss also does), for importing a whole project.
pub fn project_contents(bytes: &[u8]) -> Result<ProjectContents, FormatError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut left = MAX_INFLATED;
    let project = project_text(&mut zip, &mut left)?;
    let xml = roxmltree::Document::parse(&project)
        .map_err(|e| FormatError::Invalid(format!("project.qde is not valid XML: {e}")))?;
    let mut out = ProjectContents {
        codes: codes_of(&xml).into_iter().map(|(_, t)| t).collect(),
        ..ProjectContents::default()
    };
    let root = xml.root_element();
    let notes: HashMap<&str, Node> = xml
        .descendants()
        .filter(|n| n.has_tag_name("Note"))
        .filter_map(|n| Some((n.attribute("guid")?, n)))
        .collect();
    out.memo = text_of(root, "Description").to_string();
    if out.memo.trim().is_empty() {
        out.memo = root
            .children()
            .filter(|c| c.has_tag_name("NoteRef"))
            .filter_map(|r| notes.get(r.attribute("targetGUID")?))
            .map(|n| text_of(*n, "PlainTextContent"))
            .filter(|t| !t.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    for src in xml.descendants().filter(|n| n.has_tag_name("TextSource")) {
        let name = src.attribute("name").unwrap_or_default().to_string();
        let text = match src.attribute("plainTextPath") {
            Some(p) => match p.strip_prefix("internal://") {
                Some(file)
                    if !file.is_empty() && !file.contains(['/', '\\']) && !file.contains("..") =>
                {
                    read_entry(&mut zip, &format!("sources/{file}"), &mut left)
                        .map_err(|e| e.to_string())
                        .and_then(|b| decoded(&b))
                }
                _ => Err(format!("unsafe or external path {p} refused")),
            },
            None => {
                let t = text_of(src, "PlainTextContent");
                Ok(t.strip_prefix('\u{feff}').unwrap_or(t).to_string())
            }
        };
        match text {
            Ok(text) => out.sources.push(ProjectSource { name, text }),
            Err(why) => out.skipped.push(format!("source “{name}”: {why}")),
        }
    }
    Ok(out)
}

/// The text of `node`'s child `name`, or "".
fn text_of<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    node.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
        .unwrap_or_default()
}

/// Other tools write one selection per coding: selections of the same
/// range (and quote), coder and note are one annotation with all their codes (the
/// first selection's id, the earliest and latest times).
fn joined(found: Vec<Annotation>) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = Vec::with_capacity(found.len());
    // The quote too: orphans share the empty range.
    let mut at: HashMap<(CharRange, String, String, String), usize> = HashMap::new();
    for a in found {
        let key = (a.range(), a.quote.clone(), a.author.clone(), a.note.clone());
        match at.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                for t in a.tags {
                    if !kept.tags.contains(&t) {
                        kept.tags.push(t);
                    }
                }
                kept.created = kept.created.min(a.created);
                kept.modified = kept.modified.max(a.modified);
            }
            None => {
                at.insert(key, out.len());
                out.push(a);
            }
        }
    }
    out
}

/// What reading one selection needs.
struct Reader<'a> {
    doc: &'a Document,
    /// The project's copy of the text, when it is not this document's.
    other: Option<&'a Document>,
    /// Whether positions count the same text here.
    same_positions: bool,
    codes: &'a HashMap<&'a str, Tag>,
    users: &'a HashMap<&'a str, &'a str>,
    now: time::OffsetDateTime,
}

impl Reader<'_> {
    /// One annotation from a selection (`sel`) whose coder and times are on
    /// `owner` (the selection itself, or the note holding it); on a copy
    /// with other text, still to be placed here.
    fn selection(&self, owner: Node, sel: Node, note: &str) -> Result<Annotation, String> {
        let pos = |k| sel.attribute(k).and_then(|v| v.parse::<usize>().ok());
        let (Some(s), Some(e)) = (pos("startPosition"), pos("endPosition")) else {
            return Err("startPosition/endPosition are not whole numbers".into());
        };
        let r = CharRange::new(s, e);
        // On a copy with other text, the selection is read there (its
        // quote and context), then placed here as re-anchoring places it.
        let on = if self.same_positions {
            self.doc
        } else {
            self.other
                .ok_or("the project's copy of this text could not be read")?
        };
        crate::formats::check_range(on, r)?;
        let tags: Vec<String> = sel
            .children()
            .filter(|c| c.has_tag_name("Coding"))
            .filter_map(|c| {
                c.children()
                    .find(|r| r.has_tag_name("CodeRef"))?
                    .attribute("targetGUID")
            })
            .filter_map(|g| self.codes.get(g).map(|t| t.name.clone()))
            .collect();
        let author = ["creatingUser", "modifyingUser"]
            .iter()
            .find_map(|k| owner.attribute(*k).and_then(|g| self.users.get(g)))
            .copied()
            .unwrap_or_default();
        let time = |k| owner.attribute(k).and_then(crate::formats::parse_time);
        let created = time("creationDateTime")
            .or(time("modifiedDateTime"))
            .unwrap_or(self.now);
        let mut a = Annotation::new(on, r, tags, author, created);
        if let Some(g) = sel.attribute("guid") {
            a.id = AnnotationId(g.trim_matches(['{', '}']).to_lowercase());
        }
        a.note = note.to_string();
        a.modified = time("modifiedDateTime").unwrap_or(created);
        Ok(a)
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
