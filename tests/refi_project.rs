//! A project coded in Gloss goes out as one REFI-QDA project and comes back
//! as a project, through the real `gloss` binary: every document, coding,
//! note, memo, code (with its hierarchy) and coder where it was.

use gloss::model::{CharRange, Tag};
use gloss::session::Session;
use std::path::Path;
use time::macros::datetime;

mod common;
use common::gloss;

const FIELD_NOTES: &str =
    "Café notes\r\nShe said «ça va» — e\u{301}lan 😊 👍🏽\r\nمرحبا بالعالم\r\nEnd.";
const INTERVIEW: &str = "Q: What happened?\nA: The drones came at night, twice.\n";

fn code(doc: &Path, needle: &str, tags: &[&str], author: &str, note: &str) {
    let mut s = Session::open(doc).unwrap();
    let text = s.doc().text().to_string();
    let b = text.find(needle).unwrap();
    let start = text[..b].chars().count();
    let r = CharRange::new(start, start + needle.chars().count());
    let tags = tags.iter().map(|t| t.to_string()).collect();
    let id = s
        .annotate(r, tags, author, datetime!(2026-11-30 09:00 UTC))
        .unwrap();
    if !note.is_empty() {
        s.set_note(&id, note, datetime!(2026-11-30 09:05 UTC))
            .unwrap();
    }
    s.save().unwrap();
}

fn memo(doc: &Path, text: &str) {
    let mut s = Session::open(doc).unwrap();
    s.set_memo(text).unwrap();
    s.save().unwrap();
}

/// An annotation as compared: id, range, codes, note, author.
type Row = (String, usize, usize, Vec<String>, String, String);

/// What a folder's annotation files say, comparable across folders.
fn coded(folder: &Path, name: &str) -> (Vec<Row>, String) {
    let s = Session::open(&folder.join(name)).unwrap();
    let mut rows: Vec<_> = s
        .store()
        .annotations
        .iter()
        .map(|a| {
            (
                a.id.0.clone(),
                a.start,
                a.end,
                a.tags.clone(),
                a.note.clone(),
                a.author.clone(),
            )
        })
        .collect();
    rows.sort();
    (rows, s.store().memo.clone())
}

#[test]
fn a_project_goes_to_refi_qda_and_comes_back_as_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("study");
    std::fs::create_dir(&a).unwrap();
    std::fs::write(a.join("article.txt"), gloss::sample::ARTICLE).unwrap();
    std::fs::write(a.join("notes.txt"), FIELD_NOTES).unwrap();
    std::fs::write(a.join("interview.txt"), INTERVIEW).unwrap();
    // A three-level codebook, in the project file.
    let mut project = gloss::project::file::ProjectFile {
        memo: "Which claims are anonymous?".into(),
        ..Default::default()
    };
    project.import_codes(&[
        Tag::new("claim", "#112233", "An assertion."),
        Tag::new("factual", "#445566", "Checkable.").under("claim"),
        Tag::new("statistic", "#778899", "A number.").under("factual"),
    ]);
    project.save(&a).unwrap();
    code(
        &a.join("article.txt"),
        "drone strikes",
        &["statistic"],
        "Ana",
        "check",
    );
    code(
        &a.join("notes.txt"),
        "😊 👍🏽\r\nمرحبا",
        &["claim", "factual"],
        "Ana",
        "",
    );
    code(
        &a.join("notes.txt"),
        "e\u{301}lan",
        &[],
        "Ana",
        "an uncoded note",
    );
    // Two coders on one passage.
    code(
        &a.join("interview.txt"),
        "The drones came at night",
        &["claim"],
        "Ana",
        "",
    );
    code(
        &a.join("interview.txt"),
        "The drones came at night",
        &["factual"],
        "Ben",
        "Ben's",
    );
    memo(&a.join("notes.txt"), "Field memo — «important».");
    memo(&a.join("interview.txt"), "Interview memo.");

    let out = gloss(
        &["export", ".", "--format", "qdpx", "-o", "../study.qdpx"],
        &a,
    );
    assert!(out.status.success(), "{out:?}");

    // Into an empty folder: the documents are made, everything arrives.
    let b = dir.path().join("back");
    std::fs::create_dir(&b).unwrap();
    let out = gloss(&["import", ".", "--from", "qdpx", "../study.qdpx"], &b);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["article.txt", "notes.txt", "interview.txt"] {
        assert_eq!(
            std::fs::read_to_string(b.join(name)).unwrap(),
            std::fs::read_to_string(a.join(name)).unwrap(),
            "{name}: the text, exactly (CRLF and all)"
        );
        assert_eq!(coded(&b, name), coded(&a, name), "{name}: {said}");
    }
    let back = gloss::project::file::ProjectFile::load(&b)
        .unwrap()
        .unwrap();
    assert_eq!(back.memo, "Which claims are anonymous?");
    let parent = |name: &str| {
        back.codebook
            .get(name)
            .and_then(|t| t.parent.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        (parent("statistic"), parent("factual")),
        ("factual".into(), "claim".into())
    );

    // Into the folder it came from: nothing new, nothing made, no file
    // written over.
    let before: Vec<_> = ["article.txt", "notes.txt", "interview.txt"]
        .iter()
        .map(|n| coded(&a, n))
        .collect();
    let out = gloss(&["import", ".", "--from", "qdpx", "../study.qdpx"], &a);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("a new document"), "{said}");
    let after: Vec<_> = ["article.txt", "notes.txt", "interview.txt"]
        .iter()
        .map(|n| coded(&a, n))
        .collect();
    assert_eq!(before, after, "{said}");
    assert_eq!(
        std::fs::read_dir(&a)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "txt"))
            .count(),
        3
    );
}

#[test]
fn a_document_of_the_same_name_with_other_text_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("notes.txt"), INTERVIEW).unwrap();
    code(&a.join("notes.txt"), "drones", &["claim"], "Ana", "");
    let out = gloss(
        &["export", "notes.txt", "--format", "qdpx", "-o", "../p.qdpx"],
        &a,
    );
    assert!(out.status.success(), "{out:?}");
    std::fs::write(b.join("notes.txt"), "Something else entirely.").unwrap();
    let out = gloss(&["import", ".", "--from", "qdpx", "../p.qdpx"], &b);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    // Same name, other text: placed by quote, which is not there: kept as
    // an orphan with its quote, and said.
    assert!(said.contains("kept as orphans"), "{said}");
    assert_eq!(
        std::fs::read_to_string(b.join("notes.txt")).unwrap(),
        "Something else entirely.",
        "never written over"
    );
}
