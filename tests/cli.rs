//! The real `gloss` binary on temporary folders.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::gloss;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder with the sample article and its annotations.
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("article.txt");
    std::fs::write(&doc, gloss::sample::ARTICLE).unwrap();
    std::fs::write(
        gloss::sidecar::sidecar_path(&doc),
        gloss::sample::ANNOTATIONS,
    )
    .unwrap();
    (dir, doc)
}

#[test]
fn help_is_the_manual() {
    let dir = tempfile::tempdir().unwrap();
    let o = gloss(&["--help"], dir.path());
    assert!(o.status.success());
    for word in [
        "export",
        "import",
        "list",
        "stats",
        "check",
        "code points",
        "Exit codes",
    ] {
        assert!(stdout(&o).contains(word), "{word}");
    }
    let o = gloss(&["export", "--help"], dir.path());
    assert!(stdout(&o).contains("qdpx") && stdout(&o).contains("brat"));
}

#[test]
fn list_stats_and_check_a_clean_corpus() {
    let (dir, _) = corpus();
    let o = gloss(&["list", "article.txt"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("113..165") && stdout(&o).contains("13 annotations"),
        "{}",
        stdout(&o)
    );
    let o = gloss(&["stats", "."], dir.path());
    assert!(
        stdout(&o).contains("source") && stdout(&o).contains("7"),
        "{}",
        stdout(&o)
    );
    let o = gloss(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 problems"));
}

#[test]
fn check_reports_problems_with_exit_1() {
    let (dir, doc) = corpus();
    // Edit the document so some quotes move, and add an unknown tag.
    let text = gloss::sample::ARTICLE.replacen("Six former", "Seven former", 1);
    std::fs::write(&doc, text).unwrap();
    let sc = gloss::sidecar::sidecar_path(&doc);
    let ron = std::fs::read_to_string(&sc).unwrap().replacen(
        "\"source\",\n      ],",
        "\"source\",\n        \"mystery\",\n      ],",
        1,
    );
    std::fs::write(&sc, ron).unwrap();
    let broken = dir.path().join("b.txt");
    std::fs::write(&broken, "text").unwrap();
    std::fs::write(gloss::sidecar::sidecar_path(&broken), "(oops").unwrap();
    let o = gloss(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("review it") || out.contains("is orphaned"),
        "{out}"
    );
    assert!(
        out.contains("“mystery”, which is not in the codebook"),
        "{out}"
    );
    assert!(
        out.contains("b.txt.annotations.ron is not a valid Gloss annotation file"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(gloss::sidecar::sidecar_path(&broken)).unwrap(),
        "(oops",
        "check never writes"
    );
}

#[test]
fn export_to_stdout_files_and_folders() {
    let (dir, _) = corpus();
    let o = gloss(&["export", "article.txt", "--format", "csv"], dir.path());
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("document,id,start,end,quote,tag"));
    assert_eq!(
        stdout(&o).lines().count(),
        1 + 16,
        "13 annotations, 3 with two tags"
    );

    let o = gloss(&["export", "article.txt", "--format", "qdpx"], dir.path());
    assert_eq!(o.status.code(), Some(2), "binary formats need -o");
    assert!(stderr(&o).contains("needs -o"), "{}", stderr(&o));

    let o = gloss(
        &[
            "export",
            "article.txt",
            "--format",
            "qdpx",
            "-o",
            "out.qdpx",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(dir.path().join("out.qdpx"))
            .unwrap()
            .starts_with(b"PK")
    );

    let o = gloss(
        &["export", "article.txt", "--format", "brat", "-o", "brat"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["article.ann", "article.txt", "annotation.conf"] {
        let p = dir.path().join("brat").join("article.txt.brat").join(f);
        assert!(p.exists(), "{f}");
    }
    for format in ["w3c", "jsonl", "md", "html", "qdc"] {
        let o = gloss(&["export", "article.txt", "--format", format], dir.path());
        assert!(
            o.status.success() && !o.stdout.is_empty(),
            "{format}: {}",
            stderr(&o)
        );
    }
    let o = gloss(&["export", "missing.txt", "--format", "csv"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.txt"));
}

#[test]
fn import_round_trips_and_never_duplicates() {
    let (dir, doc) = corpus();
    // Export W3C, then import it into a fresh copy of the document.
    let o = gloss(
        &[
            "export",
            "article.txt",
            "--format",
            "w3c",
            "-o",
            "anns.jsonld",
        ],
        dir.path(),
    );
    assert!(o.status.success());
    let fresh = dir.path().join("copy").join("article.txt");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    std::fs::copy(&doc, &fresh).unwrap();
    let o = gloss(
        &[
            "import",
            "copy/article.txt",
            "--from",
            "w3c",
            "anns.jsonld",
            "--dry-run",
        ],
        dir.path(),
    );
    assert!(
        stdout(&o).contains("dry run: 13 annotations added"),
        "{}",
        stdout(&o)
    );
    assert!(
        !gloss::sidecar::sidecar_path(&fresh).exists(),
        "dry run wrote nothing"
    );
    let o = gloss(
        &["import", "copy/article.txt", "--from", "w3c", "anns.jsonld"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let a = std::fs::read_to_string(gloss::sidecar::sidecar_path(&doc)).unwrap();
    let b = std::fs::read_to_string(gloss::sidecar::sidecar_path(&fresh)).unwrap();
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("version"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&a),
        strip(&b),
        "the imported sidecar equals the original"
    );
    let o = gloss(
        &["import", "copy/article.txt", "--from", "w3c", "anns.jsonld"],
        dir.path(),
    );
    assert!(
        stdout(&o).contains("0 annotations added, 13 already present"),
        "{}",
        stdout(&o)
    );

    // brat and JSONL too.
    for (format, file) in [
        ("brat", "brat/article.txt.brat/article.ann"),
        ("jsonl", "anns.jsonl"),
        ("qdpx", "anns.qdpx"),
    ] {
        let out = if format == "brat" { "brat" } else { file };
        assert!(
            gloss(
                &["export", "article.txt", "--format", format, "-o", out],
                dir.path()
            )
            .status
            .success()
        );
        let o = gloss(
            &["import", "copy/article.txt", "--from", format, file],
            dir.path(),
        );
        assert!(
            stdout(&o).contains("0 annotations added, 13 already present"),
            "{format}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn hostile_imports_fail_cleanly_and_write_nothing() {
    let (dir, doc) = corpus();
    let sc = gloss::sidecar::sidecar_path(&doc);
    let before = std::fs::read(&sc).unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        "{\"type\": \"Annotation\", \"target\": ",
    )
    .unwrap();
    let o = gloss(
        &["import", "article.txt", "--from", "w3c", "bad.json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("could not import bad.json"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("bad.ann"),
        "T1\tX 0 999999\tzz\nT2\tX 5 1\t\n\0\0garbage",
    )
    .unwrap();
    let o = gloss(
        &["import", "article.txt", "--from", "brat", "bad.ann"],
        dir.path(),
    );
    assert!(
        o.status.success(),
        "per-item problems are reported, not fatal: {}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("skipped: line 1") && stdout(&o).contains("0 annotations added"),
        "{}",
        stdout(&o)
    );
    // Nothing changed: no item was usable.
    assert_eq!(std::fs::read(&sc).unwrap(), before);
    // A huge JSONL line that is not for this document: its span's quote is
    // not here either, so it comes in as an orphan, said, never dropped.
    let huge = format!(
        "{{\"text\": \"{}\", \"label\": [[0, 3, \"X\"]]}}\n",
        "ab".repeat(2_000_000)
    );
    std::fs::write(dir.path().join("huge.jsonl"), huge).unwrap();
    let o = gloss(
        &["import", "article.txt", "--from", "jsonl", "huge.jsonl"],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "reported, not fatal: {}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("1 annotation added") && stdout(&o).contains("kept as orphans"),
        "{}",
        stdout(&o)
    );
    let after = gloss::sidecar::Sidecar::load(&sc).unwrap().unwrap();
    let orphan = after.annotations.iter().find(|a| a.quote == "aba");
    assert!(orphan.is_some(), "kept with its quote");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A document with one annotation (made through `gloss import`, as a user
/// would, from a W3C file).
fn annotated(dir: &Path, name: &str, text: &str, quote: &str) -> PathBuf {
    let doc = write(dir, name, text.as_bytes());
    let start = text[..text.find(quote).unwrap()].chars().count();
    let end = start + quote.chars().count();
    let w3c = format!(
        r#"{{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x", "type": "Annotation",
            "body": {{"type": "TextualBody", "purpose": "tagging", "value": "claim"}},
            "target": {{"source": "file:///x", "selector": [
              {{"type": "TextQuoteSelector", "exact": {q}}},
              {{"type": "TextPositionSelector", "start": {start}, "end": {end}}}]}}}}"#,
        q = serde_json::to_string(quote).unwrap()
    );
    let json = write(dir, &format!("{name}.import.json"), w3c.as_bytes());
    let o = gloss(
        &[
            "import",
            doc.to_str().unwrap(),
            "--from",
            "w3c",
            json.to_str().unwrap(),
        ],
        dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    std::fs::remove_file(json).unwrap();
    doc
}

#[test]
fn exports_never_write_over_documents_annotation_files_or_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let crlf = "Report line one.\r\nThe claim is “here”.\r\n";
    annotated(d, "report.txt", crlf, "“here”");
    annotated(
        d,
        "report.md",
        "# Notes\n\nAnother claim.\n",
        "Another claim",
    );
    annotated(d, "other.txt", "Other text.\n", "Other");
    let sidecar = gloss::sidecar::sidecar_path(&d.join("report.txt"));
    let sidecar_before = std::fs::read(&sidecar).unwrap();
    let untouched = |what: &str| {
        assert_eq!(
            std::fs::read(d.join("report.txt")).unwrap(),
            crlf.as_bytes(),
            "{what}: the document is untouched"
        );
        assert_eq!(
            std::fs::read(&sidecar).unwrap(),
            sidecar_before,
            "{what}: the sidecar is untouched"
        );
    };
    // brat into the document's own folder: each document gets a folder of its own.
    for doc in ["report.txt", "report.md"] {
        let o = gloss(&["export", doc, "--format", "brat", "-o", "."], d);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    untouched("brat -o .");
    assert!(d.join("report.txt.brat/report.txt").exists());
    assert!(d.join("report.md.brat/report.txt").exists());
    assert!(
        !std::fs::read(d.join("report.txt.brat/report.txt"))
            .unwrap()
            .contains(&b'\r')
    );
    // Over the document, its sidecar, its backup, or another annotated document: refused.
    for (format, target) in [
        ("csv", "report.txt"),
        ("w3c", "report.txt.annotations.ron"),
        ("w3c", "report.txt.annotations.ron.bak"),
        ("md", "other.txt"),
    ] {
        let o = gloss(
            &[
                "export",
                "report.txt",
                "--format",
                format,
                "-o",
                target,
                "--force",
            ],
            d,
        );
        assert_eq!(
            o.status.code(),
            Some(2),
            "{format} -o {target}: {}",
            stdout(&o)
        );
        assert!(stderr(&o).contains("will not write"), "{}", stderr(&o));
        untouched(target);
    }
    assert!(!d.join("report.txt.annotations.ron.bak").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("other.txt")).unwrap(),
        "Other text.\n"
    );
    // An existing export file is replaced only with --force.
    write(d, "out.csv", b"precious");
    let o = gloss(
        &["export", "report.txt", "--format", "csv", "-o", "out.csv"],
        d,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already exists") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(d.join("out.csv")).unwrap(), b"precious");
    let o = gloss(
        &[
            "export",
            "report.txt",
            "--format",
            "csv",
            "-o",
            "out.csv",
            "--force",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(d.join("out.csv"))
            .unwrap()
            .starts_with("document,")
    );
}

#[test]
fn exporting_documents_with_the_same_name_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    annotated(d, "a/notes.txt", "Alpha notes.\n", "Alpha");
    annotated(d, "b/notes.txt", "Beta notes.\n", "Beta");
    for format in ["csv", "brat"] {
        let out = format!("out-{format}");
        let o = gloss(&["export", "a", "b", "--format", format, "-o", &out], d);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        let names: Vec<String> = std::fs::read_dir(d.join(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{format}: {names:?}");
    }
    let a = std::fs::read_to_string(d.join("out-csv/a-notes.txt.csv")).unwrap();
    let b = std::fs::read_to_string(d.join("out-csv/b-notes.txt.csv")).unwrap();
    assert!(a.contains("Alpha") && b.contains("Beta"));
    assert!(d.join("out-brat/a-notes.txt.brat/annotation.conf").exists());
    assert!(d.join("out-brat/b-notes.txt.brat/annotation.conf").exists());
}

#[test]
fn reanchor_reports_then_writes_and_check_flags_review() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = "Intro.\nThe strikes were planned in March by the command.\nEnd of “story”.\n";
    let doc = annotated(
        d,
        "a.txt",
        old,
        "The strikes were planned in March by the command.",
    );
    write(d, "old-a.txt", old.as_bytes());
    let new =
        "A longer intro.\nThe strikes had been planned in March by the command.\nEnd of “story”.\n";
    write(d, "a.txt", new.as_bytes());
    let sidecar = gloss::sidecar::sidecar_path(&doc);
    let before = std::fs::read(&sidecar).unwrap();
    let o = gloss(&["reanchor", "a.txt"], d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("fuzzy") && out.contains("7..56") && out.contains("--write"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&sidecar).unwrap(),
        before,
        "nothing written without --write"
    );
    // The old copy makes the diff tier place it.
    let o = gloss(&["reanchor", "a.txt", "--from", "old-a.txt"], d);
    assert!(
        stdout(&o).contains("0 kept, 0 moved, 1 fuzzy, 0 orphaned"),
        "{}",
        stdout(&o)
    );
    let o = gloss(&["check", "a.txt"], d);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("review it"), "{}", stdout(&o));
    let o = gloss(&["reanchor", "a.txt", "--write"], d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let saved = gloss::sidecar::Sidecar::load(&sidecar).unwrap().unwrap();
    let a = &saved.annotations[0];
    assert_eq!(
        a.quote,
        "The strikes had been planned in March by the command."
    );
    assert_eq!(
        a.review.as_deref(),
        Some("The strikes were planned in March by the command.")
    );
    assert_eq!(
        std::fs::read(gloss::storage::backup_path(&sidecar)).unwrap(),
        before
    );
    // Still flagged until a person confirms it.
    let o = gloss(&["check", "a.txt"], d);
    assert_eq!(o.status.code(), Some(1));
    let o = gloss(&["list", "a.txt"], d);
    assert!(
        stdout(&o).contains("1 placed on edited text awaits review"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_cli_reports_encodings_like_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // "café “quoted”" in Windows-1252, and a UTF-8 file with a broken byte.
    annotated(d, "legacy.txt", "placeholder text", "placeholder");
    write(
        d,
        "legacy.txt",
        b"caf\xe9 \x93quoted\x94 and more text here to detect, caf\xe9 cr\xe8me br\xfbl\xe9e",
    );
    annotated(d, "broken.txt", "abc def", "abc");
    write(d, "broken.txt", b"abc def \xff\xfe ghi");
    for cmd in ["list", "check"] {
        let o = gloss(&[cmd, "legacy.txt"], d);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("windows-1252"), "{cmd}: {all}");
        let o = gloss(&[cmd, "broken.txt"], d);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            all.contains("Not UTF-8") || all.contains("not valid"),
            "{cmd}: {all}"
        );
    }
    let o = gloss(&["export", "broken.txt", "--format", "csv"], d);
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));
}

#[test]
fn importing_an_empty_w3c_collection_adds_nothing_and_succeeds() {
    let (dir, doc) = corpus();
    let before = std::fs::read(gloss::sidecar::sidecar_path(&doc)).unwrap();
    for (name, json) in [
        (
            "empty-collection.json",
            r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "id": "urn:c", "total": 0}"#,
        ),
        (
            "empty-page.json",
            r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage", "id": "urn:p", "items": []}"#,
        ),
        ("empty-array.json", "[]"),
    ] {
        write(dir.path(), name, json.as_bytes());
        let o = gloss(
            &["import", "article.txt", "--from", "w3c", name],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(stdout(&o).contains("0 annotations added"), "{}", stdout(&o));
    }
    assert_eq!(
        std::fs::read(gloss::sidecar::sidecar_path(&doc)).unwrap(),
        before
    );
}

#[test]
fn tag_all_matches_from_the_command_line() {
    let (dir, doc) = corpus();
    let sidecar = gloss::sidecar::sidecar_path(&doc);
    let before = std::fs::read(&sidecar).unwrap();
    let o = gloss(
        &[
            "tag",
            "article.txt",
            "--match",
            "drone strikes",
            "--tag",
            "drones",
            "--dry-run",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("dry run:") && out.contains("new “drones” annotations"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&sidecar).unwrap(),
        before,
        "a dry run writes nothing"
    );
    let n: usize = gloss::sample::ARTICLE
        .to_lowercase()
        .matches("drone strikes")
        .count();
    let o = gloss(
        &[
            "tag",
            "article.txt",
            "--match",
            "drone strikes",
            "--tag",
            "drones",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("{n} matches, {n} new")),
        "{}",
        stdout(&o)
    );
    let saved = gloss::sidecar::Sidecar::load(&sidecar).unwrap().unwrap();
    let tagged: Vec<_> = saved
        .annotations
        .iter()
        .filter(|a| a.has_tag("drones"))
        .collect();
    assert_eq!(tagged.len(), n);
    assert!(
        tagged
            .iter()
            .all(|a| a.quote.to_lowercase() == "drone strikes")
    );
    assert!(saved.codebook.get("drones").is_some());
    // Again: nothing new. A regex with whole words; a bad regex is an error.
    let o = gloss(
        &[
            "tag",
            "article.txt",
            "--match",
            "drone strikes",
            "--tag",
            "drones",
        ],
        dir.path(),
    );
    assert!(
        stdout(&o).contains(&format!("{n} already tagged")),
        "{}",
        stdout(&o)
    );
    let o = gloss(
        &[
            "tag",
            "article.txt",
            "--match",
            r"\d{4}",
            "--regex",
            "--whole-word",
            "--tag",
            "year",
            "--dry-run",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("2025"), "{}", stdout(&o));
    let o = gloss(
        &[
            "tag",
            "article.txt",
            "--match",
            "(",
            "--regex",
            "--tag",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a valid regular expression"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn csv_is_safe_in_a_spreadsheet_unless_raw() {
    let dir = tempfile::tempdir().unwrap();
    let text = "=HYPERLINK(\"http://evil.example\",\"click\") is the first line.";
    let doc = annotated(
        dir.path(),
        "hostile.txt",
        text,
        "=HYPERLINK(\"http://evil.example\",\"click\")",
    );
    let d = doc.to_str().unwrap();
    let safe = gloss(&["export", d, "--format", "csv"], dir.path());
    assert_eq!(safe.status.code(), Some(0), "{}", stderr(&safe));
    assert!(
        stdout(&safe).contains("\"'=HYPERLINK("),
        "neutralised: {}",
        stdout(&safe)
    );
    let raw = gloss(&["export", d, "--format", "csv", "--raw"], dir.path());
    assert_eq!(raw.status.code(), Some(0), "{}", stderr(&raw));
    assert!(stdout(&raw).contains("\"=HYPERLINK("), "{}", stdout(&raw));
    assert!(!stdout(&raw).contains("'=HYPERLINK("));
    let other = gloss(&["export", d, "--format", "jsonl", "--raw"], dir.path());
    assert_ne!(other.status.code(), Some(0), "refused");
    assert!(
        stderr(&other).contains("--raw is for CSV"),
        "{}",
        stderr(&other)
    );
}
