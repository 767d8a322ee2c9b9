//! Paths as the user gives them: relative on the command line, and folders
//! linked back into a project.

mod common;

use common::gloss;
use std::path::Path;

/// The sample article with its annotations, in `dir/sample/`.
fn sample(dir: &Path) -> std::path::PathBuf {
    gloss::sample::install(dir).unwrap()
}

#[test]
fn a_relative_document_reaches_the_window_absolute() {
    use clap::Parser;
    let cli = gloss::cli::Cli::try_parse_from(["gloss", "article.txt"]).unwrap();
    let doc = cli.window_documents().remove(0);
    assert!(doc.is_absolute(), "{}", doc.display());
    assert_eq!(doc, std::env::current_dir().unwrap().join("article.txt"));
    let cli = gloss::cli::Cli::try_parse_from(["gloss", "./sub/../a.txt"]).unwrap();
    let doc = cli.window_documents().remove(0);
    assert!(
        doc.is_absolute() && doc.ends_with("sub/../a.txt"),
        "{doc:?}"
    );
}

/// A file manager opening a selection runs `gloss a.txt b.pdf c.docx`
/// (the desktop entry's `%F`): every one reaches the window, absolute, in
/// order.
#[test]
fn several_documents_reach_the_window_in_order() {
    use clap::Parser;
    let cli = gloss::cli::Cli::try_parse_from(["gloss", "a.txt", "/x/b.pdf", "c d.docx"]).unwrap();
    let here = std::env::current_dir().unwrap();
    assert_eq!(
        cli.window_documents(),
        [here.join("a.txt"), "/x/b.pdf".into(), here.join("c d.docx")]
    );
    assert!(cli.command.is_none());
}

/// What Project → Statistics and Passages do with the document's path:
/// count in its folder. From a bare `article.txt` that folder was empty.
#[test]
fn project_views_count_from_a_relative_start() {
    let dir = tempfile::tempdir().unwrap();
    let article = sample(dir.path());
    let folder = article.parent().unwrap();
    let given = Path::new("article.txt");
    // As the window had it: the folder of a bare name is empty.
    let empty = given.parent().unwrap();
    assert!(gloss::project::stats_with(empty, None, &mut |_, _| ()).is_err());
    let doc = gloss::cli::absolute_in(folder, given);
    assert_eq!(doc, article);
    let parent = doc.parent().unwrap();
    let mut skipped = Vec::new();
    let stats = gloss::project::stats_with(parent, None, &mut |p, why| {
        skipped.push(format!("{}: {why}", p.display()))
    })
    .unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    let json = gloss::project::stats::render(&stats, gloss::project::stats::Output::Json);
    assert!(json.contains("article.txt"), "{json}");
}

#[cfg(unix)]
#[test]
fn links_back_into_the_project_are_not_followed_and_are_named() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let article = sample(dir.path());
    let project = article.parent().unwrap();
    std::fs::create_dir(project.join("sub")).unwrap();
    // To the project itself, to the folder above it, to one of its own
    // folders: each would list the article again (or without end).
    symlink(project, project.join("sub/loop")).unwrap();
    symlink(dir.path(), project.join("sub/up")).unwrap();
    symlink(project.join("sub"), project.join("again")).unwrap();
    // A folder outside the project is followed.
    let outside = tempfile::tempdir().unwrap();
    let other = outside.path().join("other.txt");
    std::fs::write(&other, "Another text entirely.").unwrap();
    let mut s = gloss::session::Session::open(&other).unwrap();
    s.annotate(
        gloss::model::CharRange::new(0, 7),
        vec!["claim".into()],
        "Ana",
        time::OffsetDateTime::UNIX_EPOCH,
    )
    .unwrap();
    s.save().unwrap();
    symlink(outside.path(), project.join("elsewhere")).unwrap();

    let out = gloss(&["stats", ".", "--format", "json"], project);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["article.txt", "elsewhere/other.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    for link in ["sub/loop", "sub/up", "again"] {
        assert!(
            err.lines()
                .any(|l| l.contains(link) && l.contains("not followed")),
            "{link}: {err}"
        );
    }

    let listing = gloss::project::listing(project).unwrap();
    let rels: Vec<&str> = listing.entries.iter().map(|e| e.rel.as_str()).collect();
    assert_eq!(rels, ["article.txt", "elsewhere/other.txt"]);
    let links: Vec<_> = listing
        .skipped_links
        .iter()
        .map(|l| l.strip_prefix(project).unwrap().to_path_buf())
        .collect();
    assert_eq!(
        links,
        [
            Path::new("again"),
            Path::new("sub/loop"),
            Path::new("sub/up")
        ]
    );
}
