//! What the `gloss` binary says, as a new user reads it: plural forms
//! right, a folder with nothing coded said so, a missing file's error once
//! with what to do, and an import of the wrong kind of file named.

use std::path::Path;
use std::process::Output;

mod common;
use common::gloss;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `gloss args` in `dir`, expecting exit code `code`.
fn run(dir: &Path, args: &[&str], code: i32) -> Output {
    let o = gloss(args, dir);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    o
}

#[test]
fn one_is_said_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a.txt"),
        "Drones were ready. The ministry denied it.",
    )
    .unwrap();
    let o = run(
        d,
        &["tag", "a.txt", "--match", "ministry", "--tag", "claim"],
        0,
    );
    assert!(
        stdout(&o).starts_with("1 match, 1 new “claim” annotation; saved to"),
        "{}",
        stdout(&o)
    );
    let o = run(d, &["list", "a.txt"], 0);
    assert_eq!(stdout(&o).lines().last(), Some("1 annotation"));
    let o = run(d, &["check", "a.txt"], 0);
    assert!(
        stdout(&o).ends_with("1 document checked, 0 problems\n"),
        "{}",
        stdout(&o)
    );
    let o = run(d, &["stats", "a.txt"], 0);
    assert!(
        stdout(&o).starts_with("a.txt: 1 annotation, 19.0% of the text coded\n"),
        "{}",
        stdout(&o)
    );
    // Exported and imported again into another copy: one added.
    let o = run(d, &["export", "--format", "w3c", "a.txt"], 0);
    std::fs::write(d.join("a.json"), &o.stdout).unwrap();
    std::fs::write(
        d.join("b.txt"),
        "Drones were ready. The ministry denied it.",
    )
    .unwrap();
    let o = run(d, &["import", "b.txt", "--from", "w3c", "a.json"], 0);
    assert!(
        stdout(&o).starts_with("1 annotation added"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stats_on_documents_with_nothing_coded_says_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Nothing coded here.").unwrap();
    std::fs::write(d.join("b.txt"), "Nor here.").unwrap();
    let o = run(d, &["stats", "."], 0);
    assert_eq!(
        stdout(&o),
        "2 documents read; none is coded yet (no annotations)\n"
    );
    // CSV stays data on stdout; the word goes to stderr.
    let o = run(d, &["stats", "--format", "csv", "."], 0);
    assert_eq!(stdout(&o), "table,document,code,other,author,value\n");
    assert!(
        stderr(&o).contains("2 documents read; none is coded yet"),
        "{}",
        stderr(&o)
    );
    let empty = d.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = run(d, &["stats", "empty"], 0);
    assert!(
        stdout(&o).contains("no document Gloss opens was found"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_missing_document_is_said_once_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["export", "--format", "csv", "missing.txt"][..],
        &["list", "missing.txt"],
        &["stats", "missing.txt"],
    ] {
        let o = run(dir.path(), args, 2);
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(err.matches("(os error").count(), 1, "once: {err}");
        assert!(
            err.starts_with("gloss: could not open missing.txt: ")
                && err.contains("Check the name and the folder"),
            "{err}"
        );
    }
}

#[test]
fn importing_the_wrong_kind_of_file_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Drones were ready.").unwrap();
    std::fs::write(d.join("table.csv"), "id,quote,code\n1,Drones,claim\n").unwrap();
    std::fs::write(d.join("project.qdpx"), b"PK\x03\x04\x14\x00\x00\x00rest").unwrap();
    std::fs::write(d.join("broken.json"), "{\"type\": \"Annotation\",").unwrap();
    for (from, file, expected, seen) in [
        (
            "w3c",
            "table.csv",
            "expected a W3C Web Annotation JSON file",
            "looks like CSV (a table) (it begins “id,quote,code”)",
        ),
        (
            "w3c",
            "project.qdpx",
            "expected a W3C Web Annotation JSON file",
            "looks like a zip archive",
        ),
        (
            "w3c",
            "broken.json",
            "expected a W3C Web Annotation JSON file",
            "is not valid JSON: EOF while parsing",
        ),
        (
            "jsonl",
            "table.csv",
            "expected a JSON Lines file",
            "looks like CSV",
        ),
    ] {
        let o = run(d, &["import", "a.txt", "--from", from, file], 2);
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("gloss: could not import {file}: {expected}")),
            "{err}"
        );
        assert!(err.contains(seen), "{from} {file}: {err}");
        assert!(!err.contains("expected value at line 1"), "{err}");
    }
    assert!(
        !gloss::sidecar::sidecar_path(&d.join("a.txt")).exists(),
        "nothing written"
    );
}
