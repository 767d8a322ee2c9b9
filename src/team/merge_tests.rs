use super::*;
// The merge engine's own test material: the same documents and versions.
use crate::merge::tests::{ann, sidecar};
use crate::model::Tag;

#[test]
fn project_files_merge_codebook_memo_and_statuses() {
    use crate::project::file::Status;
    let mut base = ProjectFile::default();
    base.codebook.tags.push(Tag::new("claim", "#000000", ""));
    base.statuses.insert("a.txt".into(), Status::ToDo);
    let (mut o, mut t) = (base.clone(), base.clone());
    o.statuses.insert("a.txt".into(), Status::InProgress);
    t.statuses.insert("a.txt".into(), Status::Done);
    t.statuses.insert("b.txt".into(), Status::InProgress);
    o.codebook
        .tags
        .push(Tag::new("factual", "#111111", "").under("claim"));
    t.retired.insert("old".into(), Some("claim".into()));
    t.memo = "project memo".into();
    let (m, r) = merge_projects(Some(&base), &o, &t);
    assert_eq!(m.statuses["a.txt"], Status::Done);
    assert_eq!(m.statuses["b.txt"], Status::InProgress);
    assert_eq!(m.codebook.tags.len(), 2);
    assert_eq!(m.retired["old"].as_deref(), Some("claim"));
    assert_eq!(m.memo, "project memo");
    assert!(r.codes_added.is_empty());
}

#[test]
fn the_driver_writes_ours_and_leaves_it_alone_when_it_cannot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let base = sidecar(vec![ann("a", 0, 7, &["claim"], "")]);
    let ours = sidecar(vec![
        ann("a", 0, 7, &["claim"], ""),
        ann("o", 30, 36, &["source"], ""),
    ]);
    let theirs = sidecar(vec![
        ann("a", 0, 7, &["claim"], ""),
        ann("t", 10, 15, &["claim"], ""),
    ]);
    for (n, s) in [("b", &base), ("o", &ours), ("t", &theirs)] {
        s.save(&p(n)).expect("save");
    }
    let r = merge_files(&p("b"), &p("o"), &p("t")).expect("merged");
    assert_eq!(r.added, 1);
    let text = std::fs::read_to_string(p("o")).expect("read");
    let merged = Sidecar::from_ron(&text, &p("o")).expect("parses");
    assert_eq!(merged.annotations.len(), 3);
    // It is written as a save writes it.
    assert_eq!(text, merged.to_ron().expect("ron"));

    std::fs::write(p("t"), "not RON (").expect("write");
    let before = std::fs::read(p("o")).expect("read");
    assert!(merge_files(&p("b"), &p("o"), &p("t")).is_err());
    assert_eq!(std::fs::read(p("o")).expect("read"), before);
    // An empty base (both sides added the file) merges.
    std::fs::write(p("b"), "").expect("write");
    theirs.save(&p("t")).expect("save");
    assert!(merge_files(&p("b"), &p("o"), &p("t")).is_ok());
}

#[test]
fn the_driver_knows_a_project_file_by_its_structure_not_its_words() {
    use crate::project::file::Status;
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let mut base = ProjectFile {
        memo: "Our notes. annotations: are per document; statuses: see below.\n(version: 1, annotations: [])".into(),
        ..ProjectFile::default()
    };
    let mut claim = Tag::new("claim", "#000000", "");
    claim.description = "annotations: a RON-like ( document: x ) text".into();
    base.codebook.tags.push(claim);
    let mut o = base.clone();
    o.statuses.insert("a.txt".into(), Status::Done);
    let mut t = base.clone();
    t.codebook
        .tags
        .push(Tag::new("new", "#111111", "statuses: annotations:"));
    for (n, f) in [("b", &base), ("o", &o), ("t", &t)] {
        f.save_to(&p(n)).expect("save");
    }
    let r = merge_files(&p("b"), &p("o"), &p("t")).expect("a project file merges");
    assert_eq!(r.codes_added, ["new"]);
    let text = std::fs::read_to_string(p("o")).expect("read");
    let merged = ProjectFile::from_ron(&text, &p("o")).expect("parses");
    assert_eq!(merged.statuses["a.txt"], Status::Done);
    assert_eq!(merged.codebook.tags.len(), 2);
    assert_eq!(merged.memo, base.memo);
}

#[test]
fn the_driver_merges_sidecars_whose_notes_read_like_a_project_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let mut base = sidecar(vec![ann(
        "a",
        0,
        7,
        &["claim"],
        "statuses: none; annotations: many",
    )]);
    base.memo = "statuses: (x: Done)".into();
    let mut t = base.clone();
    t.annotations.push(ann("t", 10, 15, &["claim"], ""));
    for (n, s) in [("b", &base), ("o", &base), ("t", &t)] {
        s.save(&p(n)).expect("save");
    }
    let r = merge_files(&p("b"), &p("o"), &p("t")).expect("merged");
    assert_eq!(r.added, 1);
}
