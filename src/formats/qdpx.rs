//! REFI-QDA, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder.
//!
//! A `.qdpx` is a zip holding `project.qde` (namespace
//! `urn:QDA-XML:project:1.0`, valid against the REFI-QDA Project schema) and
//! the document text as `sources/<guid>.txt`, referenced as
//! `internal://<guid>.txt`. The codebook becomes `Code`s (colour,
//! description), each annotation a `PlainTextSelection` (positions in code
//! points of that text, end exclusive) with one `Coding` per tag and its note
//! as `Description`, authors become `User`s. GUIDs are UUID v5 of stable keys,
//! so exporting the same annotations again gives the same GUIDs. A `.qdc` is
//! the codebook alone (namespace `urn:QDA-XML:codebook:1.0`).

mod export;
mod import;
pub use export::{export, export_many, project_xml, project_xml_many};
pub use import::{ProjectContents, ProjectSource, import, project_contents};

use super::{FormatError, Imported, stable_guid};
use crate::model::{Codebook, Tag};

const ORIGIN: &str = concat!("Gloss ", env!("CARGO_PKG_VERSION"));

/// Escapes text for XML; `attr` also protects line breaks and tabs from
/// attribute-value normalisation. Characters XML 1.0 forbids are dropped.
fn xml(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Every `Code` of a project or codebook by GUID, a nested code under
/// its parent.
pub(super) fn codes_of<'a>(xml: &'a roxmltree::Document<'_>) -> Vec<(&'a str, Tag)> {
    xml.descendants()
        .filter(|n| n.has_tag_name("Code"))
        .filter_map(|c| {
            let desc = c
                .children()
                .find(|d| d.has_tag_name("Description"))
                .and_then(|d| d.text())
                .unwrap_or_default();
            let mut tag = Tag::new(
                c.attribute("name")?,
                c.attribute("color").unwrap_or_default(),
                desc,
            );
            tag.parent = c
                .parent_element()
                .filter(|p| p.has_tag_name("Code"))
                .and_then(|p| p.attribute("name"))
                .map(str::to_string);
            Some((c.attribute("guid")?, tag))
        })
        .collect()
}

/// The codes of a REFI-QDA codebook (`.qdc`), in file order, nested codes
/// under their parents.
pub fn import_codebook(bytes: &[u8]) -> Result<Vec<Tag>, FormatError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| FormatError::Invalid(format!("the codebook is not UTF-8: {e}")))?;
    let xml = roxmltree::Document::parse(text)
        .map_err(|e| FormatError::Invalid(format!("the codebook is not valid XML: {e}")))?;
    if !xml.root_element().has_tag_name("CodeBook") {
        return Err(FormatError::Invalid(
            "it is not a REFI-QDA codebook (no CodeBook element)".into(),
        ));
    }
    Ok(codes_of(&xml).into_iter().map(|(_, t)| t).collect())
}

/// The annotation's own id when it is a UUID (Gloss ids are), so an import
/// gets it back; else a stable UUID v5 of it.
fn selection_guid(id: &str) -> String {
    match uuid::Uuid::parse_str(id) {
        Ok(u) => u.hyphenated().to_string(),
        Err(_) => stable_guid("selection", id),
    }
}

/// Largest zip entry read on import: a bigger one is refused, not inflated.
const MAX_ENTRY: u64 = 512 * 1024 * 1024;
/// All entries read by one import together: a project whose sources all
/// point at one huge entry, or a zip bomb, stops here.
pub(super) const MAX_INFLATED: u64 = 1024 * 1024 * 1024;

/// Reads one entry, within what is `left` of the import's budget (the
/// sizes the zip declares are checked first, and the actual bytes while
/// inflating, since a declared size can lie).
pub(super) fn read_entry(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    left: &mut u64,
) -> Result<Vec<u8>, FormatError> {
    use std::io::Read;
    let entry = zip
        .by_name(name)
        .map_err(|_| FormatError::Invalid(format!("the .qdpx has no {name}")))?;
    let limit = MAX_ENTRY.min(*left);
    let too_big = || {
        FormatError::Invalid(format!(
            "{name} would unpack past the {} MB Gloss reads from one project; refusing",
            MAX_INFLATED / (1024 * 1024)
        ))
    };
    if entry.size() > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    entry.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    *left -= bytes.len() as u64;
    Ok(bytes)
}

/// The codebook alone, as a `.qdc` file.
pub fn codebook(codebook: &Codebook) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"{ORIGIN}\">\n"
    ));
    s.push_str(&export::codes_xml(&codebook.tags, "  "));
    s.push_str("</CodeBook>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;
    use crate::model::Document;
    use std::io::Read;
    use std::io::Write;

    #[test]
    fn zip_holds_project_and_exact_text_with_stable_guids() {
        let f = testdata::Fixture::new();
        let (doc, src) = (&f.doc, f.source());
        let a = export(&src).unwrap();
        assert_eq!(a, export(&src).unwrap(), "repeated exports are identical");
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut project = String::new();
        z.by_name("project.qde")
            .unwrap()
            .read_to_string(&mut project)
            .unwrap();
        let (_, guid) = project_xml(&src);
        let mut text = String::new();
        z.by_name(&format!("sources/{guid}.txt"))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, doc.text(), "CRLF kept: positions count the same text");
        assert!(project.contains(&format!("plainTextPath=\"internal://{guid}.txt\"")));
        assert!(
            project.contains("startPosition=\"7\" endPosition=\"14\""),
            "code points: {project}"
        );
        assert!(project.contains("&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
        assert!(project.contains(&format!(
            "targetGUID=\"{}\"",
            stable_guid("code", "key point")
        )));
        assert_eq!(project.matches("<Coding ").count(), 6);
        assert_eq!(project.matches("<User ").count(), 2);
    }

    #[test]
    fn round_trip_keeps_ids_ranges_tags_notes_authors_times() {
        let f = testdata::Fixture::new();
        let (doc, anns, src) = (&f.doc, &f.annotations, f.source());
        let back = import(doc, &export(&src).unwrap()).unwrap();
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        assert_eq!(&back.annotations, anns);
        assert!(
            back.tags
                .iter()
                .any(|t| t.name == "key point" && t.color == "#E69F00")
        );
    }

    #[test]
    fn the_code_hierarchy_nests_and_comes_back() {
        let mut f = testdata::Fixture::new();
        f.codebook
            .tags
            .push(Tag::new("factual", "#000000", "Checkable").under("claim"));
        f.codebook
            .tags
            .push(Tag::new("statistic", "#000000", "").under("factual"));
        let (project, _) = project_xml(&f.source());
        let xml = roxmltree::Document::parse(&project).unwrap();
        let parent_of = |name: &str| {
            xml.descendants()
                .find(|n| n.has_tag_name("Code") && n.attribute("name") == Some(name))
                .and_then(|n| n.parent_element())
                .and_then(|p| p.attribute("name"))
        };
        assert_eq!(parent_of("statistic"), Some("factual"));
        assert_eq!(parent_of("factual"), Some("claim"));
        assert_eq!(parent_of("claim"), None);
        let back = import(&f.doc, &export(&f.source()).unwrap()).unwrap();
        let tag = |n: &str| back.tags.iter().find(|t| t.name == n).unwrap().clone();
        assert_eq!(tag("statistic").parent.as_deref(), Some("factual"));
        assert_eq!(tag("factual").parent.as_deref(), Some("claim"));
        assert_eq!(tag("factual").description, "Checkable");
        assert_eq!(tag("claim").parent, None);
    }

    fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn many_sources_naming_one_big_entry_read_it_once_within_a_budget() {
        let big = "word ".repeat(400_000); // 2 MB
        let doc = Document::new("t.txt", big.clone());
        let mut project =
            String::from(r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>"#);
        for i in 0..300 {
            project.push_str(&format!(
                r#"<TextSource guid="00000000-0000-0000-0000-{i:012}" name="s{i}" plainTextPath="internal://big.txt"/>"#
            ));
        }
        project.push_str("</Sources></Project>");
        let bytes = zip_with(&[("project.qde", &project), ("sources/big.txt", &big)]);
        // 300 sources × 2 MB would be 600 MB; one read is 2 MB.
        let got = import(&doc, &bytes).unwrap();
        assert!(got.annotations.is_empty());
        // The budget is checked against what is actually inflated.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        let mut left = 1000;
        let e = read_entry(&mut zip, "sources/big.txt", &mut left).unwrap_err();
        assert!(e.to_string().contains("refusing"), "{e}");
        assert_eq!(left, 1000);
        let mut left = 10_000_000;
        assert_eq!(
            read_entry(&mut zip, "sources/big.txt", &mut left)
                .unwrap()
                .len(),
            big.len()
        );
        assert_eq!(left, 10_000_000 - big.len() as u64);
    }

    #[test]
    fn hostile_archives_are_refused_item_by_item() {
        let doc = Document::new("t.txt", "some text".into());
        let project = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>
            <TextSource guid="11111111-1111-1111-1111-111111111111" name="evil" plainTextPath="internal://../../etc/passwd"/>
            <TextSource guid="22222222-2222-2222-2222-222222222222" name="t.txt" plainTextPath="internal://t.txt">
              <PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="0" endPosition="99"/>
              <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="x" endPosition="2"/>
              <PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="5" endPosition="9"/>
            </TextSource></Sources></Project>"#;
        let bytes = zip_with(&[
            ("project.qde", project),
            ("sources/t.txt", "some text"),
            ("../escape.txt", "x"),
        ]);
        let got = import(&doc, &bytes).unwrap();
        assert_eq!(got.annotations.len(), 1);
        assert_eq!(got.annotations[0].quote, "text");
        let why = got.skipped.join("\n");
        assert!(why.contains("unsafe path"), "{why}");
        assert!(
            why.contains("outside the document") && why.contains("not whole numbers"),
            "{why}"
        );
        assert!(import(&doc, b"not a zip").is_err());
        assert!(
            import(&doc, &zip_with(&[("other.xml", "")])).is_err(),
            "no project.qde"
        );
        assert!(
            import(&doc, &zip_with(&[("project.qde", "<Project")])).is_err(),
            "broken XML"
        );
    }

    #[test]
    fn xml_escaping_protects_structure() {
        assert_eq!(
            xml("a<b>&\"'\n\u{1}", true),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;"
        );
        assert_eq!(xml("l1\r\nl2", false), "l1&#13;\nl2");
        let qdc = codebook(&testdata::codebook());
        assert!(qdc.contains("urn:QDA-XML:codebook:1.0") && qdc.contains("name=\"key point\""));
    }
}
