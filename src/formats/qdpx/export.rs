//! Writing `.qdpx` projects: one document, or every document of a folder
//! with one codebook.

use super::{ORIGIN, selection_guid, xml};
use crate::formats::{FormatError, Source, rfc3339, stable_guid};
use crate::model::{Annotation, Tag};
use std::io::Write;

/// All tags: the codebooks', then any used by annotations but not in them.
fn all_tags(sources: &[Source<'_>]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    let mut add = |t: Tag| {
        if !tags.iter().any(|x| x.name == t.name) {
            tags.push(t);
        }
    };
    for source in sources {
        for t in &source.codebook.tags {
            add(t.clone());
        }
    }
    for source in sources {
        for &a in &source.annotations {
            for t in &a.tags {
                add(Tag::new(t, "#808080", "Not in the Gloss codebook"));
            }
        }
    }
    tags
}

/// The codes as REFI-QDA nests them: each under its parent.
pub(super) fn codes_xml(tags: &[Tag], indent: &str) -> String {
    let mut s = format!("{indent}<Codes>\n");
    let known = |name: &str| tags.iter().any(|t| t.name == name);
    let mut written: Vec<&str> = Vec::new();
    for t in tags {
        if t.parent.as_deref().is_none_or(|p| !known(p)) {
            code_xml(tags, t, &format!("{indent}  "), &mut s, &mut written);
        }
    }
    // Codes in a parent loop (a hand-edited file) still go out, at the top.
    for t in tags {
        if !written.contains(&t.name.as_str()) {
            code_xml(tags, t, &format!("{indent}  "), &mut s, &mut written);
        }
    }
    s.push_str(&format!("{indent}</Codes>\n"));
    s
}

fn code_xml<'a>(
    tags: &'a [Tag],
    t: &'a Tag,
    indent: &str,
    s: &mut String,
    written: &mut Vec<&'a str>,
) {
    written.push(&t.name);
    let color = crate::model::parse_hex_color(&t.color)
        .map(crate::model::to_hex_color)
        .unwrap_or_else(|| "#808080".into());
    s.push_str(&format!(
        "{indent}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{color}\"",
        stable_guid("code", &t.name),
        xml(&t.name, true)
    ));
    let children: Vec<&Tag> = tags
        .iter()
        .filter(|c| {
            c.parent.as_deref() == Some(t.name.as_str()) && !written.contains(&c.name.as_str())
        })
        .collect();
    if t.description.is_empty() && children.is_empty() {
        s.push_str("/>\n");
        return;
    }
    s.push('>');
    if !t.description.is_empty() {
        s.push_str(&format!(
            "<Description>{}</Description>",
            xml(&t.description, false)
        ));
    }
    if children.is_empty() {
        s.push_str("</Code>\n");
        return;
    }
    s.push('\n');
    for c in children {
        if !written.contains(&c.name.as_str()) {
            code_xml(tags, c, &format!("{indent}  "), s, written);
        }
    }
    s.push_str(&format!("{indent}</Code>\n"));
}

fn source_guid(source: &Source<'_>) -> String {
    stable_guid(
        "source",
        &format!("{}:{}", source.doc.name, source.doc.sha256()),
    )
}

/// `project.qde` for one source (text referenced as `internal://GUID.txt`).
pub fn project_xml(source: &Source<'_>) -> (String, String) {
    let (xml, mut guids) = project_xml_many(&source.doc.name, std::slice::from_ref(source), "");
    (xml, guids.pop().unwrap_or_default())
}

/// Who made something and when, as REFI-QDA's attributes say it. Every
/// `TextSource` and `Note` carries them: QualCoder's importer stops on a
/// note without a date.
struct Stamp {
    user: Option<String>,
    created: time::OffsetDateTime,
    modified: time::OffsetDateTime,
}

impl Stamp {
    /// From annotations: whoever made the first, when; changed when the
    /// last was. With none, made now (the export) by no one named.
    fn of<'a>(
        annotations: impl Iterator<Item = &'a Annotation>,
        now: time::OffsetDateTime,
    ) -> Self {
        let all: Vec<&Annotation> = annotations.collect();
        let (Some(created), Some(modified)) = (
            all.iter().map(|a| a.created).min(),
            all.iter().map(|a| a.modified.max(a.created)).max(),
        ) else {
            return Stamp {
                user: None,
                created: now,
                modified: now,
            };
        };
        let user = all
            .iter()
            .filter(|a| !a.author.is_empty())
            .min_by_key(|a| a.created)
            .map(|a| stable_guid("user", &a.author));
        Stamp {
            user,
            created,
            modified,
        }
    }

    fn attributes(&self) -> String {
        let user = self
            .user
            .as_ref()
            .map(|u| format!(" creatingUser=\"{u}\""))
            .unwrap_or_default();
        format!(
            "{user} creationDateTime=\"{}\" modifiedDateTime=\"{}\"",
            rfc3339(self.created),
            rfc3339(self.modified)
        )
    }
}

/// `project.qde` for several sources named `name`, with one codebook, one
/// list of users, and the memos twice: as each `TextSource`'s and the
/// `Project`'s `Description` (where QualCoder reads them) and as notes
/// referenced from them (where other clients do). Returns it and each
/// source's GUID.
pub fn project_xml_many(name: &str, sources: &[Source<'_>], memo: &str) -> (String, Vec<String>) {
    project_xml_at(name, sources, memo, time::OffsetDateTime::now_utc())
}

fn project_xml_at(
    name: &str,
    sources: &[Source<'_>],
    memo: &str,
    now: time::OffsetDateTime,
) -> (String, Vec<String>) {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{ORIGIN}\">\n",
        xml(name, true)
    ));
    let mut users: Vec<&str> = sources
        .iter()
        .flat_map(|src| src.anchored())
        .map(|a| a.author.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    users.sort_unstable();
    users.dedup();
    if !users.is_empty() {
        s.push_str("  <Users>\n");
        for u in &users {
            s.push_str(&format!(
                "    <User guid=\"{}\" name=\"{}\"/>\n",
                stable_guid("user", u),
                xml(u, true)
            ));
        }
        s.push_str("  </Users>\n");
    }
    let tags = all_tags(sources);
    if !tags.is_empty() {
        s.push_str("  <CodeBook>\n");
        s.push_str(&codes_xml(&tags, "    "));
        s.push_str("  </CodeBook>\n");
    }
    s.push_str("  <Sources>\n");
    let mut guids = Vec::new();
    let mut notes: Vec<(String, String, &str, Stamp)> = Vec::new();
    for source in sources {
        let guid = source_guid(source);
        let stamp = Stamp::of(source.anchored(), now);
        text_source(&mut s, source, &guid, &stamp);
        if !source.memo.trim().is_empty() {
            let title = format!("Memo: {}", source.doc.name);
            notes.push((memo_guid(&guid), title, source.memo, stamp));
        }
        guids.push(guid);
    }
    s.push_str("  </Sources>\n");
    let project_note = stable_guid("memo", &format!("project:{name}"));
    if !memo.trim().is_empty() {
        let stamp = Stamp::of(sources.iter().flat_map(|s| s.anchored()), now);
        notes.push((project_note.clone(), "Project memo".into(), memo, stamp));
    }
    if !notes.is_empty() {
        s.push_str("  <Notes>\n");
        for (guid, title, text, stamp) in &notes {
            s.push_str(&format!(
                "    <Note guid=\"{guid}\" name=\"{}\"{}>\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>\n",
                xml(title, true),
                stamp.attributes(),
                xml(text, false)
            ));
        }
        s.push_str("  </Notes>\n");
    }
    if !memo.trim().is_empty() {
        s.push_str(&format!(
            "  <Description>{}</Description>\n",
            xml(memo, false)
        ));
        s.push_str(&format!("  <NoteRef targetGUID=\"{project_note}\"/>\n"));
    }
    s.push_str("</Project>\n");
    (s, guids)
}

/// One `TextSource`: created by whoever made its first annotation, when
/// (QualCoder shows a source without them as made by "default" at import);
/// its memo as its `Description`.
fn text_source(s: &mut String, source: &Source<'_>, guid: &str, stamp: &Stamp) {
    s.push_str(&format!(
        "    <TextSource guid=\"{guid}\" name=\"{}\" plainTextPath=\"internal://{guid}.txt\"{}>\n",
        xml(&source.doc.name, true),
        stamp.attributes()
    ));
    if !source.memo.trim().is_empty() {
        s.push_str(&format!(
            "      <Description>{}</Description>\n",
            xml(source.memo, false)
        ));
    }
    for a in source.anchored() {
        let user = if a.author.is_empty() {
            String::new()
        } else {
            format!(" creatingUser=\"{}\"", stable_guid("user", &a.author))
        };
        s.push_str(&format!(
            "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"{user} creationDateTime=\"{}\" modifiedDateTime=\"{}\">\n",
            selection_guid(&a.id.0),
            xml(&crate::formats::report::clip(&a.quote, 60), true),
            a.start,
            a.end,
            rfc3339(a.created),
            rfc3339(a.modified),
        ));
        if !a.note.is_empty() {
            s.push_str(&format!(
                "        <Description>{}</Description>\n",
                xml(&a.note, false)
            ));
        }
        for t in &a.tags {
            s.push_str(&format!(
                "        <Coding guid=\"{}\"{user} creationDateTime=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>\n",
                stable_guid("coding", &format!("{}:{t}", a.id)),
                rfc3339(a.created),
                stable_guid("code", t)
            ));
        }
        s.push_str("      </PlainTextSelection>\n");
    }
    if !source.memo.trim().is_empty() {
        s.push_str(&format!(
            "      <NoteRef targetGUID=\"{}\"/>\n",
            memo_guid(guid)
        ));
    }
    s.push_str("    </TextSource>\n");
}

/// The note holding a source's memo.
fn memo_guid(source_guid: &str) -> String {
    stable_guid("memo", source_guid)
}

/// The `.qdpx` zip of one document.
pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    export_many(&source.doc.name, std::slice::from_ref(source), "")
}

/// One `.qdpx` holding every source, named `name`, with the project's
/// `memo`.
pub fn export_many(name: &str, sources: &[Source<'_>], memo: &str) -> Result<Vec<u8>, FormatError> {
    let (project, guids) = project_xml_many(name, sources, memo);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", options)?;
    zip.write_all(project.as_bytes())?;
    zip.add_directory("sources/", options)?;
    for (source, guid) in sources.iter().zip(&guids) {
        zip.start_file(format!("sources/{guid}.txt"), options)?;
        zip.write_all(source.doc.text().as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
