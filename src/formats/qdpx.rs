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

use super::{FormatError, Source, rfc3339, stable_guid};
use crate::model::{Codebook, Tag};
use std::io::Write;

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

/// All tags: the codebook's, then any used by annotations but not in it.
fn all_tags(source: &Source<'_>) -> Vec<Tag> {
    let mut tags = source.codebook.tags.clone();
    for a in source.annotations {
        for t in &a.tags {
            if !tags.iter().any(|x| &x.name == t) {
                tags.push(Tag::new(t, "#808080", "Not in the Gloss codebook"));
            }
        }
    }
    tags
}

fn codes_xml(tags: &[Tag], indent: &str) -> String {
    let mut s = format!("{indent}<Codes>\n");
    for t in tags {
        let color = crate::model::parse_hex_color(&t.color)
            .map(crate::model::to_hex_color)
            .unwrap_or_else(|| "#808080".into());
        s.push_str(&format!(
            "{indent}  <Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{color}\">",
            stable_guid("code", &t.name),
            xml(&t.name, true)
        ));
        if t.description.is_empty() {
            s.truncate(s.len() - 1);
            s.push_str("/>\n");
        } else {
            s.push_str(&format!(
                "<Description>{}</Description></Code>\n",
                xml(&t.description, false)
            ));
        }
    }
    s.push_str(&format!("{indent}</Codes>\n"));
    s
}

/// `project.qde` for the source (text referenced as `internal://GUID.txt`).
pub fn project_xml(source: &Source<'_>) -> (String, String) {
    let source_guid = stable_guid(
        "source",
        &format!("{}:{}", source.doc.name, source.doc.sha256()),
    );
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{ORIGIN}\">\n",
        xml(&source.doc.name, true)
    ));
    let mut users: Vec<&str> = source
        .anchored()
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
    let tags = all_tags(source);
    if !tags.is_empty() {
        s.push_str("  <CodeBook>\n");
        s.push_str(&codes_xml(&tags, "    "));
        s.push_str("  </CodeBook>\n");
    }
    s.push_str("  <Sources>\n");
    s.push_str(&format!(
        "    <TextSource guid=\"{source_guid}\" name=\"{}\" plainTextPath=\"internal://{source_guid}.txt\">\n",
        xml(&source.doc.name, true)
    ));
    for a in source.anchored() {
        let user = if a.author.is_empty() {
            String::new()
        } else {
            format!(" creatingUser=\"{}\"", stable_guid("user", &a.author))
        };
        s.push_str(&format!(
            "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"{user} creationDateTime=\"{}\" modifiedDateTime=\"{}\">\n",
            stable_guid("selection", &a.id.0),
            xml(&super::report::clip(&a.quote, 60), true),
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
    s.push_str("    </TextSource>\n  </Sources>\n</Project>\n");
    (s, source_guid)
}

/// The `.qdpx` zip.
pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    let (project, guid) = project_xml(source);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", options)?;
    zip.write_all(project.as_bytes())?;
    zip.add_directory("sources/", options)?;
    zip.start_file(format!("sources/{guid}.txt"), options)?;
    zip.write_all(source.doc.text().as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

/// The codebook alone, as a `.qdc` file.
pub fn codebook(codebook: &Codebook) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"{ORIGIN}\">\n"
    ));
    s.push_str(&codes_xml(&codebook.tags, "  "));
    s.push_str("</CodeBook>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;
    use std::io::Read;

    #[test]
    fn zip_holds_project_and_exact_text_with_stable_guids() {
        let doc = testdata::document();
        let anns = testdata::annotations(&doc);
        let c = testdata::codebook();
        let src = Source {
            doc: &doc,
            codebook: &c,
            annotations: &anns,
            uri: String::new(),
        };
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
