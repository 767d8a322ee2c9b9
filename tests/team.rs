//! Coding as a team through git: `gloss git-setup` and the merge driver
//! run by a real `git pull`.

mod common;

use common::gloss;
use gloss::merge::SEPARATOR;
use gloss::model::{AnnotationId, CharRange, Tag};
use gloss::project::file::ProjectFile;
use gloss::session::Session;
use gloss::sidecar::Sidecar;
use std::path::Path;
use std::process::Command;
use time::OffsetDateTime;

const TEXT: &str =
    "“Drones,” an official said — 😀 — “are ready.”\r\nThe ministry denied it; 中文 too.\r\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.parent().expect("parent"))
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "git {args:?} failed: {all}");
    all
}

fn at(minute: i64) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute)
}

fn range_of(s: &Session, words: &str) -> CharRange {
    let text = s.doc().text();
    let b = text.find(words).expect("words in text");
    let start = text[..b].chars().count();
    CharRange::new(start, start + words.chars().count())
}

fn id(s: &str) -> AnnotationId {
    AnnotationId(s.into())
}

fn sidecar(clone: &Path) -> Sidecar {
    Sidecar::load(&clone.join("a.txt.annotations.ron"))
        .expect("parses")
        .expect("exists")
}

#[test]
fn two_clones_code_apart_and_pull_without_a_conflict() {
    let root = tempfile::tempdir().expect("tempdir");
    let alice = root.path().join("alice");
    std::fs::create_dir(&alice).expect("mkdir");
    git(&alice, &["init", "-q", "-b", "main"]);
    std::fs::write(alice.join("a.txt"), TEXT).expect("write");
    let mut project = ProjectFile::default();
    project.codebook.tags = gloss::model::Codebook::default().tags;
    project.save(&alice).expect("project file");

    // Three annotations both will start from.
    let mut s = Session::open(&alice.join("a.txt")).expect("opens");
    for (n, words) in ["“Drones,”", "an official said", "The ministry denied it"]
        .iter()
        .enumerate()
    {
        let new = s
            .annotate(range_of(&s, words), vec!["claim".into()], "Alice", at(0))
            .expect("annotate");
        s.set_note(&new, "", at(0)).expect("note");
        // Stable ids, so the test can name them.
        let mut a = s.annotation(&new).cloned().expect("there");
        s.delete(&new).expect("delete");
        a.id = id(&format!("shared{}", n + 1));
        s.add_all(vec![a]).expect("insert");
    }
    s.save().expect("save");

    let setup = gloss(&["git-setup"], &alice);
    assert!(setup.status.success(), "{setup:?}");
    let attributes = std::fs::read_to_string(alice.join(".gitattributes")).expect("written");
    assert!(attributes.contains("*.annotations.ron merge=gloss"));
    assert!(attributes.contains("gloss-project.ron merge=gloss"));
    // Idempotent: a second run adds nothing.
    let again = gloss(&["git-setup", "."], &alice);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already"));
    assert_eq!(
        std::fs::read_to_string(alice.join(".gitattributes")).expect("read"),
        attributes
    );
    assert_eq!(
        git(&alice, &["config", "--get-all", "merge.gloss.driver"])
            .lines()
            .count(),
        1
    );
    git(&alice, &["add", "-A"]);
    git(&alice, &["commit", "-q", "-m", "start"]);

    let bob = root.path().join("bob");
    git(root.path(), &["clone", "-q", "alice", "bob"]);
    assert!(gloss(&["git-setup"], &bob).status.success());

    // Alice: a new passage; shared1 gets a note and a tag; shared3 deleted.
    let mut s = Session::open(&alice.join("a.txt")).expect("opens");
    let alices = s
        .annotate(range_of(&s, "😀"), vec!["evidence".into()], "Alice", at(1))
        .expect("annotate");
    s.set_note(&id("shared1"), "Alice: a quote", at(2))
        .expect("note");
    s.toggle_tag(&id("shared1"), "source", at(2)).expect("tag");
    s.delete(&id("shared3")).expect("delete");
    s.save().expect("save");
    git(&alice, &["commit", "-q", "-am", "alice codes"]);

    // Bob: another passage; shared1 another note and claim removed (later
    // than Alice); shared3 edited (Alice deleted it); shared2 deleted
    // (Alice left it alone); a new code in the project codebook.
    let mut s = Session::open(&bob.join("a.txt")).expect("opens");
    let bobs = s
        .annotate(range_of(&s, "中文"), vec!["question".into()], "Bob", at(3))
        .expect("annotate");
    s.set_note(&id("shared1"), "Bob: not sure", at(4))
        .expect("note");
    s.toggle_tag(&id("shared1"), "question", at(4))
        .expect("tag");
    s.toggle_tag(&id("shared1"), "claim", at(4)).expect("tag");
    s.set_note(&id("shared3"), "Bob keeps this", at(4))
        .expect("note");
    s.delete(&id("shared2")).expect("delete");
    s.save().expect("save");
    let mut p = ProjectFile::load(&bob).expect("reads").expect("exists");
    p.codebook.tags.push(Tag::new("hedge", "#123456", ""));
    p.save(&bob).expect("save");
    git(&bob, &["commit", "-q", "-am", "bob codes"]);

    let pulled = git(
        &bob,
        &["pull", "--no-rebase", "--no-edit", "-q", "origin", "main"],
    );
    assert!(!pulled.contains("CONFLICT"), "{pulled}");
    let text = std::fs::read_to_string(bob.join("a.txt.annotations.ron")).expect("read");
    assert!(!text.contains("<<<<<<<"), "{text}");

    let merged = sidecar(&bob);
    let ids: Vec<&str> = merged.annotations.iter().map(|a| a.id.0.as_str()).collect();
    assert!(
        ids.contains(&alices.0.as_str()) && ids.contains(&bobs.0.as_str()),
        "{ids:?}"
    );
    assert!(
        !ids.contains(&"shared2"),
        "deleted by Bob, unchanged by Alice"
    );
    let shared3 = merged.annotations.iter().find(|a| a.id.0 == "shared3");
    assert_eq!(
        shared3.map(|a| a.note.as_str()),
        Some("Bob keeps this"),
        "deleted by Alice but edited by Bob: kept"
    );
    let shared1 = merged
        .annotations
        .iter()
        .find(|a| a.id.0 == "shared1")
        .expect("shared1");
    // Tags: Alice added source, Bob added question and removed claim.
    assert_eq!(shared1.tags, ["question", "source"]);
    assert_eq!(
        shared1.note,
        format!("Bob: not sure\n\n{SEPARATOR}\nAlice: a quote")
    );
    assert_eq!(ids.len(), 4);
    // Sorted as a save sorts them, and written as a save writes them.
    assert_eq!(text, merged.to_ron().expect("ron"));
    let p = ProjectFile::load(&bob).expect("reads").expect("exists");
    assert!(p.codebook.tags.iter().any(|t| t.name == "hedge"));

    // Alice pulls Bob's merge: both clones hold the same.
    git(&bob, &["status", "--porcelain"]);
    git(
        &alice,
        &["pull", "--no-rebase", "--no-edit", "-q", "../bob", "main"],
    );
    assert_eq!(sidecar(&alice), merged);
}

#[test]
fn git_setup_outside_a_repository_says_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["git-setup"])
        .current_dir(dir.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            dir.path().parent().expect("parent"),
        )
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not inside a git repository") && err.contains("git init"),
        "{err}"
    );
    assert!(!dir.path().join(".gitattributes").exists());
}

#[test]
fn the_driver_exits_1_and_leaves_ours_when_a_side_is_broken() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), TEXT).expect("write");
    let mut s = Session::open(&dir.path().join("a.txt")).expect("opens");
    s.annotate(CharRange::new(0, 3), vec!["claim".into()], "A", at(0))
        .expect("annotate");
    s.save().expect("save");
    let ours = dir.path().join("a.txt.annotations.ron");
    std::fs::copy(&ours, dir.path().join("base")).expect("copy");
    std::fs::write(dir.path().join("theirs"), "(version: 1, annotations: [").expect("write");
    let before = std::fs::read(&ours).expect("read");
    let out = gloss(
        &["merge-sidecar", "base", "a.txt.annotations.ron", "theirs"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unchanged"));
    assert_eq!(std::fs::read(&ours).expect("read"), before);
}

#[test]
fn importers_take_an_author_and_w3c_keeps_its_creator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.txt");
    std::fs::write(&a, TEXT).expect("write");
    let mut s = Session::open(&a).expect("opens");
    s.annotate(CharRange::new(0, 9), vec!["claim".into()], "Ana", at(0))
        .expect("annotate");
    s.save().expect("save");
    for (format, out) in [("brat", "out"), ("w3c", "a.jsonld")] {
        let done = gloss(
            &["export", "a.txt", "--format", format, "-o", out],
            dir.path(),
        );
        assert!(done.status.success(), "{done:?}");
    }
    let b = dir.path().join("b.txt");
    std::fs::write(&b, TEXT).expect("write");
    let authors = |p: &Path| -> Vec<String> {
        Session::open(p)
            .expect("opens")
            .store()
            .annotations
            .iter()
            .map(|a| a.author.clone())
            .collect()
    };
    // W3C's creator comes along.
    let done = gloss(
        &["import", "b.txt", "--from", "w3c", "a.jsonld"],
        dir.path(),
    );
    assert!(done.status.success(), "{done:?}");
    assert_eq!(authors(&b), ["Ana"]);
    // brat has no authors: --author gives them one.
    std::fs::remove_file(gloss::sidecar::sidecar_path(&b)).expect("remove");
    let done = gloss(
        &[
            "import",
            "b.txt",
            "--from",
            "brat",
            "out/a.txt.brat/a.ann",
            "--author",
            "Coder 2",
        ],
        dir.path(),
    );
    assert!(done.status.success(), "{done:?}");
    assert_eq!(authors(&b), ["Coder 2"]);
}

#[test]
fn tagging_every_match_codes_for_each_annotator_separately() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), TEXT).expect("write");
    let tag = |author: &str| {
        let out = gloss(
            &[
                "tag", "a.txt", "--match", "ministry", "--tag", "claim", "--author", author,
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    tag("Ana");
    tag("Ben");
    // Ana again: hers is there already.
    assert!(tag("Ana").contains("already"));
    let s = Session::open(&dir.path().join("a.txt")).expect("opens");
    let mut authors: Vec<&str> = s
        .store()
        .annotations
        .iter()
        .map(|a| a.author.as_str())
        .collect();
    authors.sort();
    assert_eq!(authors, ["Ana", "Ben"]);
}
