//! Projects: a folder coded together — passages, stats, the project file, a
//! codebook import, one .qdpx for the folder, and the Documents panel.

mod common;

use common::docs::docx;
use common::gloss;
use gloss::model::CharRange;
use gloss::session::Session;
use time::OffsetDateTime;

/// Annotates `words` in the document at `path` with `codes` by `author`.
fn code(path: &std::path::Path, marks: &[(&str, &[&str], &str, &str)]) {
    let mut s = Session::open(path).unwrap();
    let text = s.doc().text().to_string();
    for (words, codes, author, note) in marks {
        let b = text.find(words).unwrap();
        let start = text[..b].chars().count();
        let r = CharRange::new(start, start + words.chars().count());
        let codes = codes.iter().map(|c| c.to_string()).collect();
        let id = s
            .annotate(r, codes, author, OffsetDateTime::UNIX_EPOCH)
            .unwrap();
        if !note.is_empty() {
            s.set_note(&id, note, OffsetDateTime::UNIX_EPOCH).unwrap();
        }
    }
    s.save().unwrap();
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(
        &a,
        "An “unnamed” official said drones — 😀 — were ready.\r\nThe ministry denied it.",
    )
    .unwrap();
    code(
        &a,
        &[
            (
                "An “unnamed” official said",
                &["claim"],
                "Ana",
                "anonymous <b>source</b>",
            ),
            ("“unnamed” official", &["source"], "Ana", ""),
            ("The ministry denied it.", &["claim"], "Ben", ""),
        ],
    );
    std::fs::create_dir(dir.path().join("interviews")).unwrap();
    let b = dir.path().join("interviews/b.docx");
    std::fs::write(
        &b,
        docx(&[&["Threats of drone ", "stri", "kes", " — “unnamed” sources."]]),
    )
    .unwrap();
    code(
        &b,
        &[
            ("drone strikes", &["claim"], "Ana", ""),
            ("sources", &["evidence"], "Ana", ""),
        ],
    );
    // An unannotated document is no part of the result.
    std::fs::write(dir.path().join("c.txt"), "claim claim").unwrap();
    dir
}

fn jsonl(dir: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["passages", "."];
    all.extend(args);
    all.extend(["--format", "jsonl"]);
    let out = gloss(&all, dir);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn rows(v: &[serde_json::Value]) -> Vec<(String, u64, u64, String)> {
    v.iter()
        .map(|r| {
            (
                r["document"].as_str().unwrap().to_string(),
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
                r["quote"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn passages_follow_the_query_across_the_folder() {
    let dir = corpus();
    let d = dir.path();
    let all = jsonl(d, &["--code", "claim"]);
    assert_eq!(
        rows(&all),
        [
            ("a.txt".into(), 0, 26, "An “unnamed” official said".into()),
            ("a.txt".into(), 53, 76, "The ministry denied it.".into()),
            ("interviews/b.docx".into(), 11, 24, "drone strikes".into()),
        ]
    );
    // Offsets are code points of the document text: a CRLF is two.
    let text = std::fs::read_to_string(d.join("a.txt")).unwrap();
    let quote: String = text.chars().skip(53).take(23).collect();
    assert_eq!(quote, "The ministry denied it.");
    assert_eq!(all[0]["codes"], serde_json::json!(["claim"]));
    assert_eq!(all[0]["note"], "anonymous <b>source</b>");
    assert_eq!(all[0]["author"], "Ana");

    let and = jsonl(d, &["--code", "claim", "--and", "source"]);
    assert_eq!(rows(&and).len(), 1);
    assert_eq!(and[0]["quote"], "An “unnamed” official said");
    let not = jsonl(d, &["--code", "claim", "--not", "source"]);
    assert_eq!(rows(&not).iter().map(|r| r.1).collect::<Vec<_>>(), [53, 11]);
    // "sources" starts 13 code points after "drone strikes" ends.
    let near = |n: &str| {
        rows(&jsonl(
            d,
            &["--code", "claim", "--near", &format!("evidence:{n}")],
        ))
    };
    assert_eq!(near("13").len(), 1);
    assert_eq!(near("12").len(), 0);
    let ben = jsonl(d, &["--code", "claim", "--author", "Ben"]);
    assert_eq!(rows(&ben)[0].3, "The ministry denied it.");
    let two = jsonl(d, &["--code", "source", "--code", "evidence"]);
    assert_eq!(
        rows(&two).iter().map(|r| r.3.as_str()).collect::<Vec<_>>(),
        ["“unnamed” official", "sources"]
    );
}

#[test]
fn passages_come_as_csv_markdown_and_escaped_html() {
    let dir = corpus();
    let d = dir.path();
    let out = gloss(&["passages", ".", "--code", "claim", "--format", "csv"], d);
    assert!(out.status.success(), "{out:?}");
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "document", "start", "end", "quote", "codes", "note", "author", "context"
        ]
    );
    assert_eq!(r.records().count(), 3);

    let out = gloss(&["passages", ".", "--code", "claim", "--format", "html"], d);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("anonymous &lt;b&gt;source&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b>source"), "{html}");
    assert!(html.contains("Content-Security-Policy"));

    let out = gloss(&["passages", ".", "--code", "claim", "--format", "md"], d);
    let md = String::from_utf8(out.stdout).unwrap();
    assert_eq!(md.lines().count(), 2 + 3, "{md}");
    assert!(md.contains("interviews/b.docx"), "{md}");

    let out = gloss(&["passages", ".", "--code", "claim"], d);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("a.txt:53-76 [claim] Ben"), "{table}");

    let out = gloss(
        &["passages", ".", "--code", "claim", "--near", "evidence"],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CODE:N"));
}

#[test]
fn stats_report_counts_coverage_cooccurrence_and_authors() {
    let dir = corpus();
    let d = dir.path();
    let out = gloss(&["stats", ".", "--format", "json"], d);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["document"], "a.txt");
    assert_eq!(docs[1]["document"], "interviews/b.docx");
    // a.txt: 0..26 and 53..76 coded, of 76 chars.
    assert_eq!(docs[0]["chars"], 76);
    assert_eq!(docs[0]["coded_chars"], 49);
    assert!((docs[0]["coverage"].as_f64().unwrap() - 49.0 / 76.0).abs() < 1e-9);
    assert_eq!(v["codes"]["claim"], 3);
    assert_eq!(v["cooccurrence"]["claim"]["source"], 1);
    assert!(v["cooccurrence"]["claim"].get("evidence").is_none());
    assert_eq!(v["authors"]["Ben"]["claim"], 1);
    assert_eq!(v["authors"]["Ana"]["claim"], 2);

    let out = gloss(&["stats", ".", "--format", "csv"], d);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(
        rows.contains(
            &["cooccurrence", "", "claim", "source", "", "1"]
                .map(String::from)
                .to_vec()
        )
    );
    assert!(
        rows.contains(
            &["code", "interviews/b.docx", "evidence", "", "", "1"]
                .map(String::from)
                .to_vec()
        )
    );

    let out = gloss(&["stats", "."], d);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("a.txt: 3 annotations, 64.5% of the text coded"),
        "{table}"
    );
    assert!(table.contains("claim + source"), "{table}");
}

/// A folder exported as one REFI-QDA project: every document a source with
/// its creator and date, one codebook, valid against the official schema.
#[test]
fn a_folder_exports_as_one_refi_qda_project() {
    let dir = corpus();
    let d = dir.path();
    // A hierarchy: factual › claim, with a passage.
    let mut s = Session::open(&d.join("a.txt")).unwrap();
    s.import(
        gloss::formats::Imported {
            tags: vec![gloss::model::Tag::new("factual", "#000000", "").under("claim")],
            ..Default::default()
        },
        false,
    )
    .unwrap();
    // Memos, the document's and the project's, go as REFI-QDA notes.
    s.set_memo("Ministry <denies> — 😀 & “sources”").unwrap();
    s.save().unwrap();
    code(&d.join("a.txt"), &[("drones", &["factual"], "Ana", "")]);
    let project_file = gloss::project::file::ProjectFile {
        memo: "Which claims are anonymous?".into(),
        ..Default::default()
    };
    project_file.save(d).unwrap();
    // --code claim retrieves the passage coded with the code under it.
    let claims = rows(&jsonl(d, &["--code", "claim"]));
    assert!(claims.iter().any(|r| r.3 == "drones"), "{claims:?}");
    let out = gloss(&["export", ".", "--format", "qdpx", "-o", "study.qdpx"], d);
    assert!(out.status.success(), "{out:?}");
    let project = common::zip_entry(&d.join("study.qdpx"), "project.qde");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("study.qdpx")).unwrap()).unwrap();
    let xml = roxmltree::Document::parse(&project).unwrap();
    let root = xml.root_element();
    assert_eq!(root.attribute("name"), Some("study"));
    let sources: Vec<roxmltree::Node> = xml
        .descendants()
        .filter(|n| n.has_tag_name("TextSource"))
        .collect();
    let names: Vec<&str> = sources.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(names, ["a.txt", "b.docx"]);
    let users: Vec<(&str, &str)> = xml
        .descendants()
        .filter(|n| n.has_tag_name("User"))
        .map(|u| (u.attribute("guid").unwrap(), u.attribute("name").unwrap()))
        .collect();
    for s in &sources {
        let creator = s.attribute("creatingUser").expect("creatingUser");
        assert!(
            users.iter().any(|(g, _)| *g == creator),
            "{creator} is a User"
        );
        assert!(s.attribute("creationDateTime").is_some());
        let file = s
            .attribute("plainTextPath")
            .unwrap()
            .trim_start_matches("internal://");
        assert!(zip.by_name(&format!("sources/{file}")).is_ok());
    }
    let notes: Vec<(&str, &str, &str)> = xml
        .descendants()
        .filter(|n| n.has_tag_name("Note"))
        .map(|n| {
            let text = n.children().find(|c| c.has_tag_name("PlainTextContent"));
            (
                n.attribute("guid").unwrap(),
                n.attribute("name").unwrap(),
                text.and_then(|t| t.text()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].1, "Memo: a.txt");
    assert_eq!(notes[0].2, "Ministry <denies> — 😀 & “sources”");
    assert_eq!(
        notes[1],
        (notes[1].0, "Project memo", "Which claims are anonymous?")
    );
    let referenced = |node: roxmltree::Node, guid: &str| {
        node.children()
            .any(|c| c.has_tag_name("NoteRef") && c.attribute("targetGUID") == Some(guid))
    };
    assert!(
        referenced(sources[0], notes[0].0),
        "a.txt refers to its memo"
    );
    assert!(!referenced(sources[1], notes[0].0));
    assert!(
        referenced(root, notes[1].0),
        "the project refers to its memo"
    );
    let codes: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("Code"))
        .filter_map(|c| c.attribute("name"))
        .collect();
    for code in ["claim", "source", "evidence"] {
        assert_eq!(
            codes.iter().filter(|c| **c == code).count(),
            1,
            "{code} once in {codes:?}"
        );
    }
    // Against the REFI-QDA schema, where the conformance material is.
    if let Some(conf) = common::conformance() {
        let file = d.join("project.qde");
        std::fs::write(&file, &project).unwrap();
        match std::process::Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(conf.join("refi-qda/Project.xsd"))
            .arg(&file)
            .output()
        {
            Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
            Err(_) => {
                common::skip("xmllint is not installed; the project's schema check did not run")
            }
        }
    }
}

/// The project file's hierarchy applies to every document in the folder.
#[test]
fn the_project_codebook_hierarchy_reaches_every_document() {
    use gloss::model::{Codebook, Tag};
    use gloss::project::file::ProjectFile;
    let dir = corpus();
    let d = dir.path();
    code(
        &d.join("interviews/b.docx"),
        &[("Threats", &["statistic"], "Ana", "")],
    );
    let project = ProjectFile {
        codebook: Codebook {
            tags: vec![
                Tag::new("claim", "#D55E00", ""),
                Tag::new("statistic", "#000000", "").under("claim"),
            ],
        },
        ..ProjectFile::default()
    };
    project.save(d).unwrap();
    let claims = rows(&jsonl(d, &["--code", "claim"]));
    assert!(claims.iter().any(|r| r.3 == "Threats"), "{claims:?}");
    // A document inside the project, opened on its own, codes with the
    // project's codebook (found from a subfolder too).
    let mut s = Session::open(&d.join("interviews/b.docx")).unwrap();
    assert_eq!(
        gloss::project::project_of(&d.join("interviews/b.docx")),
        Some(std::fs::canonicalize(d).unwrap())
    );
    assert!(gloss::project::apply_codebook(&mut s));
    assert_eq!(
        s.store()
            .codebook
            .get("statistic")
            .unwrap()
            .parent
            .as_deref(),
        Some("claim")
    );
    // Without the project file, "statistic" is a code of its own.
    std::fs::remove_file(d.join("gloss-project.ron")).unwrap();
    let claims = rows(&jsonl(d, &["--code", "claim"]));
    assert!(!claims.iter().any(|r| r.3 == "Threats"), "{claims:?}");
}

/// `gloss import FOLDER --from qdc`: a REFI-QDA codebook with its hierarchy
/// and colours becomes the project's; a project file Gloss cannot read is
/// left as it is.
#[test]
fn a_refi_qda_codebook_imports_into_the_project() {
    use gloss::project::file::{FILE_NAME, ProjectFile};
    let dir = corpus();
    let d = dir.path();
    let qdc = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo"><Codes>
  <Code guid="6f1b1a52-0000-4000-8000-000000000001" name="claim" isCodable="true" color="#112233">
    <Description>An assertion.</Description>
    <Code guid="6f1b1a52-0000-4000-8000-000000000002" name="factual" isCodable="true" color="#445566"/>
  </Code>
  <Code guid="6f1b1a52-0000-4000-8000-000000000003" name="emotion" isCodable="true" color="#778899"/>
</Codes></CodeBook>"##;
    std::fs::write(d.join("book.qdc"), qdc).unwrap();
    let out = gloss(&["import", ".", "--from", "qdc", "book.qdc"], d);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("codes added: factual, emotion"), "{said}");
    assert!(said.contains("codes updated: claim"), "{said}");
    let project = ProjectFile::load(d).unwrap().unwrap();
    let tag = |n: &str| project.codebook.get(n).unwrap().clone();
    assert_eq!(tag("factual").parent.as_deref(), Some("claim"));
    assert_eq!(tag("claim").color, "#112233");
    assert_eq!(tag("claim").description, "An assertion.");
    // The documents' own codes are in the project too.
    assert!(project.codebook.get("evidence").is_some());

    // A project file Gloss cannot read: refused, and left as it was.
    std::fs::write(d.join(FILE_NAME), "(version: 1, codebook: [").unwrap();
    let out = gloss(&["import", ".", "--from", "qdc", "book.qdc"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Gloss project file"));
    assert_eq!(
        std::fs::read_to_string(d.join(FILE_NAME)).unwrap(),
        "(version: 1, codebook: ["
    );
}

/// `gloss FOLDER`: the Documents panel lists the folder's documents, the
/// first opens, a click opens another, and what is coded in each stays
/// with it.
#[cfg(feature = "gui")]
#[test]
fn a_folder_opens_as_a_project_with_its_documents_listed() {
    use common::gui::{drag_select, find, harness, run_until, run_until_saved};
    use egui_kittest::kittest::Queryable;
    let dir = corpus();
    let d = dir.path().to_path_buf();
    let mut h = harness(&d.join(".data"), Some(d.clone()));
    assert_eq!(h.state().session.doc().name, "a.txt");
    for listed in ["a.txt", "c.txt", "interviews/b.docx"] {
        h.get_by_label(listed);
    }
    h.get_by_label_contains("3 annotations");
    h.get_by_label_contains("no annotations");
    h.get_by_label("c.txt").click();
    h.run();
    run_until(&mut h, |app| app.session.doc().name == "c.txt");
    let range = find(&h, "claim");
    drag_select(&mut h, range);
    h.key_press(egui::Key::Num1);
    h.run();
    run_until_saved(&mut h);
    h.get_by_label("a.txt").click();
    h.run();
    run_until(&mut h, |app| app.session.doc().name == "a.txt");
    // c.txt's count follows what was coded in it.
    assert!(h.query_by_label_contains("no annotations").is_none());
    let back = Session::open(&d.join("c.txt")).unwrap();
    let quotes: Vec<&str> = back
        .store()
        .annotations
        .iter()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["claim"]);
}

/// A folder exports as one CSV or JSONL file, W3C as one collection per
/// document into a folder, and HTML as one report per document with an
/// index page that leads to each.
#[test]
fn a_folder_exports_as_one_table_and_as_reports_with_an_index() {
    let dir = corpus();
    let d = dir.path();
    let ok = |args: &[&str]| {
        let out = gloss(args, d);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&["export", ".", "--format", "csv", "-o", "all.csv"]);
    let csv = std::fs::read_to_string(d.join("all.csv")).unwrap();
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let documents: Vec<String> = rows.records().map(|r| r.unwrap()[0].to_string()).collect();
    // One header; a row per (annotation, tag) of both annotated documents.
    assert_eq!(csv.matches("document,id,start").count(), 1);
    assert!(documents.iter().any(|x| x == "a.txt") && documents.iter().any(|x| x == "b.docx"));
    assert_eq!(documents.len(), 5, "{csv}");
    ok(&["export", ".", "--format", "jsonl", "-o", "all.jsonl"]);
    let jsonl = std::fs::read_to_string(d.join("all.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 2, "a line per document");
    for line in jsonl.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    // Never over an existing file without --force.
    let again = gloss(&["export", ".", "--format", "csv", "-o", "all.csv"], d);
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(d.join("all.csv")).unwrap(), csv);

    ok(&["export", ".", "--format", "w3c", "-o", "w3c"]);
    for name in ["a.txt.jsonld", "b.docx.jsonld"] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("w3c").join(name)).unwrap())
                .unwrap();
        assert_eq!(v["type"], "AnnotationCollection", "{name}");
    }

    let project = gloss::project::file::ProjectFile {
        memo: "Anonymous <sources> first & foremost".into(),
        ..Default::default()
    };
    project.save(d).unwrap();
    ok(&["export", ".", "--format", "html", "-o", "reports"]);
    let index = std::fs::read_to_string(d.join("reports/index.html")).unwrap();
    assert!(
        index.contains("Anonymous &lt;sources&gt; first &amp; foremost"),
        "{index}"
    );
    for (href, count) in [("a.txt.html", ">3<"), ("b.docx.html", ">2<")] {
        assert!(index.contains(&format!("href=\"{href}\"")), "{index}");
        assert!(d.join("reports").join(href).is_file());
        let row = index.lines().find(|l| l.contains(href)).unwrap();
        assert!(row.contains(count), "{row}");
    }
}
