//! `.qdpx` as QualCoder writes it, and back from Gloss's own export.

use super::*;
use crate::formats::qdpx::{export_many, project_xml_many};
use crate::formats::{Source, testdata};
use std::io::Write;

const FIELD_NOTES: &str =
    "Café notes\r\nShe said «ça va» — e\u{301}lan 😊 👍🏽\r\nمرحبا بالعالم\r\nEnd.";

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(body).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn at(doc: &Document, needle: &str) -> (usize, usize) {
    let b = doc.text().find(needle).unwrap();
    let start = doc.text()[..b].chars().count();
    (start, start + needle.chars().count())
}

/// A project as QualCoder exports one: the source with a byte-order mark
/// and each CRLF written as a line break and a space, one selection per
/// coding, an annotation without a code as a note, the memo as the
/// source's description.
fn qualcoder_project(doc: &Document, source_text: &str) -> Vec<u8> {
    let sel = |guid: &str, (s, e): (usize, usize), code: &str| {
        format!(
            r#"<PlainTextSelection guid="{guid}" name="" startPosition="{s}" endPosition="{e}" creatingUser="u1" creationDateTime="2026-11-02T10:00:00Z"><Description>said twice</Description><Coding guid="{guid}c" creatingUser="u1"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>"#
        )
    };
    let ca_va = at(doc, "ça va");
    let across = at(doc, "😊 👍🏽\r\nمرحبا");
    let elan = at(doc, "e\u{301}lan");
    let project = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="QualCoder 3.6">
<Users><User guid="u1" name="Ann"/></Users>
<CodeBook><Codes><Code guid="c1" name="claim" isCodable="true" color="#112233"><Code guid="c2" name="source" isCodable="true" color="#445566"/></Code></Codes></CodeBook>
<Sources><TextSource guid="t1" name="notes.txt" plainTextPath="internal://t1.txt" creatingUser="u1" creationDateTime="2026-11-02T10:00:00Z">
<Description>Interview memo</Description>
{}{}{}
<NoteRef targetGUID="n1"/>
</TextSource></Sources>
<Notes><Note guid="n1" creatingUser="u1" creationDateTime="2026-11-03T09:00:00Z"><PlainTextContent>check this</PlainTextContent><PlainTextSelection guid="s4" startPosition="{}" endPosition="{}"/></Note></Notes>
</Project>"##,
        sel("s1", ca_va, "c1"),
        sel("s2", ca_va, "c2"),
        sel("s3", across, "c1"),
        elan.0,
        elan.1
    );
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend_from_slice(source_text.as_bytes());
    zip_with(&[
        ("project.qde", project.as_bytes()),
        ("sources/t1.txt", &text),
    ])
}

#[test]
fn a_qualcoder_project_comes_back_where_it_was_and_says_how() {
    let doc = Document::new("notes.txt", FIELD_NOTES.into());
    let written = FIELD_NOTES.replace("\r\n", "\n ");
    let got = import(&doc, &qualcoder_project(&doc, &written)).unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    let quotes: Vec<(&str, Vec<String>, &str, &str)> = got
        .annotations
        .iter()
        .map(|a| {
            (
                a.quote.as_str(),
                a.tags.clone(),
                a.note.as_str(),
                a.author.as_str(),
            )
        })
        .collect();
    assert_eq!(
        quotes,
        [
            (
                "ça va",
                vec!["claim".into(), "source".into()],
                "said twice",
                "Ann"
            ),
            ("😊 👍🏽\r\nمرحبا", vec!["claim".into()], "said twice", "Ann"),
            ("e\u{301}lan", vec![], "check this", "Ann"),
        ],
        "one passage coded twice is one annotation; the note without a code comes too"
    );
    for a in &got.annotations {
        assert_eq!(doc.slice(a.range()), a.quote, "exact offsets");
    }
    assert_eq!(got.memo, "Interview memo");
    assert!(
        got.said.iter().any(|s| s.contains("line breaks")),
        "{:?}",
        got.said
    );
}

#[test]
fn a_byte_order_mark_is_not_a_character_of_the_text() {
    let doc = Document::new("notes.txt", FIELD_NOTES.into());
    let got = import(&doc, &qualcoder_project(&doc, FIELD_NOTES)).unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert!(
        got.said.is_empty(),
        "same text: nothing to say: {:?}",
        got.said
    );
    assert_eq!(got.annotations.len(), 3);
    for a in &got.annotations {
        assert_eq!(doc.slice(a.range()), a.quote, "not shifted by the BOM");
    }
}

#[test]
fn a_different_copy_is_placed_by_text_and_the_move_is_said() {
    let doc = Document::new("notes.txt", format!("Preface.\r\n{FIELD_NOTES}"));
    let old = Document::new("notes.txt", FIELD_NOTES.into());
    let got = import(&doc, &qualcoder_project(&old, FIELD_NOTES)).unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    for a in &got.annotations {
        assert_eq!(doc.slice(a.range()), a.quote);
    }
    // A coding whose text is gone is kept, as an orphan with its quote.
    let gone = Document::new("notes.txt", "Nothing of it is here.".into());
    let got = import(&gone, &qualcoder_project(&old, FIELD_NOTES)).unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(
        got.annotations.len(),
        3,
        "joined, and none dropped: {:?}",
        got.annotations
            .iter()
            .map(|a| (a.range(), a.quote.as_str(), a.note.as_str()))
            .collect::<Vec<_>>()
    );
    assert!(got.annotations.iter().all(|a| a.is_orphaned()));
    assert!(got.annotations.iter().any(|a| a.quote == "ça va"));
    let got = import(&doc, &qualcoder_project(&old, FIELD_NOTES)).unwrap();
    assert!(
        got.said
            .iter()
            .any(|s| s.contains("4 found by their quote elsewhere")),
        "{:?}",
        got.said
    );
}

#[test]
fn every_source_and_note_says_who_and_when_and_memos_are_descriptions() {
    let f = testdata::Fixture::new();
    let empty = Document::new("empty.txt", "Nothing coded here.".into());
    let cb = crate::model::Codebook::default();
    let sources = [
        f.source(),
        Source {
            doc: &empty,
            codebook: &cb,
            annotations: Vec::new(),
            uri: "file:///empty.txt".into(),
            memo: "A memo on an uncoded text.",
        },
    ];
    let (project, _) = project_xml_many("p", &sources, "The project's memo.");
    let xml = roxmltree::Document::parse(&project).unwrap();
    let stamped: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("TextSource") || n.has_tag_name("Note"))
        .collect();
    assert_eq!(
        stamped.len(),
        2 + 3,
        "two sources, two memos and the project's"
    );
    for n in &stamped {
        for attr in ["creationDateTime", "modifiedDateTime"] {
            let t = n
                .attribute(attr)
                .unwrap_or_else(|| panic!("{n:?} lacks {attr}"));
            assert!(crate::formats::parse_time(t).is_some(), "{attr}={t}");
        }
    }
    let description = |n: roxmltree::Node| text_of(n, "Description").to_string();
    assert_eq!(description(stamped[1]), "A memo on an uncoded text.");
    assert_eq!(description(xml.root_element()), "The project's memo.");
    // Back again: each document's memo once, not twice.
    let bytes = export_many("p", &sources, "").unwrap();
    let back = import(&empty, &bytes).unwrap();
    assert_eq!(back.memo, "A memo on an uncoded text.");
    let back = import(&f.doc, &bytes).unwrap();
    assert_eq!(back.memo, f.source().memo);
    assert_eq!(
        back.annotations, f.annotations,
        "Gloss's own export is kept as it is"
    );
}
