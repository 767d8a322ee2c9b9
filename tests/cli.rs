//! The real `gloss` binary on temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gloss(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(dir)
        .env("GLOSS_DATA_DIR", dir.join(".data"))
        .output()
        .expect("gloss runs")
}

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
    assert!(out.contains("no longer at that position"), "{out}");
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
        assert!(dir.path().join("brat").join(f).exists(), "{f}");
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
        ("brat", "brat/article.ann"),
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
    // A huge JSONL line that is not for this document.
    let huge = format!(
        "{{\"text\": \"{}\", \"label\": [[0, 3, \"X\"]]}}\n",
        "ab".repeat(2_000_000)
    );
    std::fs::write(dir.path().join("huge.jsonl"), huge).unwrap();
    let o = gloss(
        &["import", "article.txt", "--from", "jsonl", "huge.jsonl"],
        dir.path(),
    );
    assert!(o.status.code().is_some(), "no crash");
    assert!(stdout(&o).contains("skipped: label 1"), "{}", stdout(&o));
    // Nothing changed except through real additions (none here).
    assert_eq!(std::fs::read(&sc).unwrap(), before);
}
