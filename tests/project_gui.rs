//! Projects in the window, driven through egui_kittest: code in two
//! documents, merge and re-parent codes in the codebook window, retrieve a
//! code's passages across both, and open one from the Passages view.
#![cfg(feature = "gui")]

mod common;

use common::gui::{drag, drag_select, find, harness, run_until, run_until_saved, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gloss::project::file::ProjectFile;
use gloss::session::Session;
use gloss::ui::GlossApp;

fn tags_of(path: &std::path::Path, quote: &str) -> Vec<String> {
    let s = Session::open(path).unwrap();
    let a = s.store().annotations.iter().find(|a| a.quote == quote);
    a.unwrap_or_else(|| panic!("{quote} is annotated"))
        .tags
        .clone()
}

fn tags_in(app: &GlossApp, quote: &str) -> Vec<String> {
    let a = app
        .session
        .store()
        .annotations
        .iter()
        .find(|a| a.quote == quote);
    a.unwrap_or_else(|| panic!("{quote} is annotated"))
        .tags
        .clone()
}

fn code_selection(h: &mut Harness<'_, GlossApp>, words: &str, key: egui::Key) {
    let range = find(h, words);
    drag_select(h, range);
    h.key_press(key);
    h.run();
}

fn open_document(h: &mut Harness<'_, GlossApp>, name: &str) {
    h.get_by_label(name).click();
    h.run();
    run_until(h, |app| app.session.doc().name == name);
}

fn menu(h: &mut Harness<'_, GlossApp>, path: &[&str]) {
    for item in path {
        // Buttons only (a code's name field is labelled with its name
        // too); the menu's, drawn last, over the selected annotation's.
        h.get_all_by_role_and_label(egui::accesskit::Role::Button, item)
            .last()
            .unwrap_or_else(|| panic!("no {item} button"))
            .click();
        h.run();
    }
}

#[test]
fn a_project_is_coded_across_documents_and_its_passages_retrieved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(
        d.join("a.txt"),
        "An “unnamed” official said drones — 😀 — were ready.\r\nThe ministry denied it.",
    )
    .unwrap();
    std::fs::write(
        d.join("b.txt"),
        "Threats of drone strikes, say 匿名 sources.",
    )
    .unwrap();
    let mut h = harness(&d.join(".data"), Some(d.clone()));
    assert_eq!(h.state().session.doc().name, "a.txt");

    // Code in two documents, switching through the Documents panel.
    code_selection(&mut h, "“unnamed” official", egui::Key::Num1);
    open_document(&mut h, "b.txt");
    code_selection(&mut h, "drone strikes", egui::Key::Num1);
    code_selection(&mut h, "匿名 sources", egui::Key::Num3);
    run_until_saved(&mut h);
    assert_eq!(tags_of(&d.join("b.txt"), "匿名 sources"), ["evidence"]);

    // Merge "evidence" into "source" in the codebook window.
    menu(&mut h, &["Tags", "Codebook…"]);
    menu(&mut h, &["Code menu evidence", "Merge into", "source"]);
    assert_eq!(tags_in(h.state(), "匿名 sources"), ["source"]);
    assert!(h.state().session.codebook().get("evidence").is_none());
    // Re-parent "source" under "claim" by dragging its handle onto "claim".
    let from = h.get_by_label("Move code source").rect().center();
    let to = h.get_by_label("Move code claim").rect().center();
    drag(&mut h, from, to);
    h.run();
    assert_eq!(
        h.state().session.codebook().path("source"),
        "claim › source"
    );
    run_until_saved(&mut h);
    settle(&mut h);
    assert_eq!(tags_of(&d.join("b.txt"), "匿名 sources"), ["source"]);
    // The project file follows: the hierarchy, and the merge for documents
    // not open now.
    run_until(&mut h, |_| {
        ProjectFile::load(&d).ok().flatten().is_some_and(|p| {
            p.codebook
                .get("source")
                .and_then(|t| t.parent.clone())
                .as_deref()
                == Some("claim")
        })
    });
    let project = ProjectFile::load(&d).unwrap().unwrap();
    assert_eq!(
        project.retired.get("evidence"),
        Some(&Some("source".into()))
    );
    assert!(project.codebook.get("evidence").is_none());

    // Every passage coded "claim" (its child "source" included) across
    // both documents; one opens a.txt at its passage.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::P,
    );
    h.run();
    menu(&mut h, &["claim"]);
    h.get_by_label("Find passages").click();
    h.run();
    run_until(&mut h, |app| !app.passages.is_running());
    h.run();
    let got: Vec<(String, String)> = h
        .state()
        .passages
        .results
        .iter()
        .map(|p| (p.document.clone(), p.quote.clone()))
        .collect();
    let want = [
        ("a.txt", "“unnamed” official"),
        ("b.txt", "drone strikes"),
        ("b.txt", "匿名 sources"),
    ];
    assert_eq!(got, want.map(|(d, q)| (d.to_string(), q.to_string())));
    h.get_by_label_contains("3 passages in 2 documents");
    h.get_by_label("a.txt · claim · “unnamed” official").click();
    h.run();
    run_until(&mut h, |app| {
        app.session.doc().name == "a.txt" && app.selected.is_some()
    });
    let app = h.state();
    let selected = app
        .session
        .annotation(app.selected.as_ref().unwrap())
        .unwrap();
    assert_eq!(selected.quote, "“unnamed” official");
}

/// The document memo (side panel) goes to the document's sidecar; the
/// project memo (Documents panel) to the project file.
#[test]
fn memos_are_typed_in_the_window_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("a.txt"), "An interview — 😀 — in full.").unwrap();
    std::fs::write(d.join("b.txt"), "Another.").unwrap();
    let mut h = harness(&d.join(".data"), Some(d.clone()));
    assert_eq!(h.state().session.doc().name, "a.txt");
    h.get_by_label("Memo").click();
    h.run();
    let field = h.get_by_label_contains("On this document");
    field.focus();
    field.type_text("Hesitant about “dates” <check>");
    h.run();
    run_until_saved(&mut h);
    let sidecar = Session::open(&d.join("a.txt")).unwrap();
    assert_eq!(sidecar.store().memo, "Hesitant about “dates” <check>");

    h.get_by_label("Project memo").click();
    h.run();
    let field = h.get_by_label_contains("On the whole project");
    field.focus();
    field.type_text("Code anonymity first.");
    h.run();
    run_until(&mut h, |_| {
        ProjectFile::load(&d)
            .ok()
            .flatten()
            .is_some_and(|p| p.memo == "Code anonymity first.")
    });
    // Switching documents keeps each its own memo.
    open_document(&mut h, "b.txt");
    assert_eq!(h.state().session.store().memo, "");
    open_document(&mut h, "a.txt");
    assert_eq!(
        h.state().session.store().memo,
        "Hesitant about “dates” <check>"
    );
}

/// The Statistics window counts the project, a heat-map cell opens the
/// passages where both codes overlap, and a chart saves as SVG and CSV.
#[test]
fn statistics_chart_the_project_and_lead_to_passages() {
    use gloss::project::charts::Chart;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(
        d.join("a.txt"),
        "An “unnamed” official said drones — 😀 — were ready.",
    )
    .unwrap();
    std::fs::write(d.join("b.txt"), "The ministry denied it.").unwrap();
    let mut h = harness(&d.join(".data"), Some(d.clone()));
    code_selection(&mut h, "An “unnamed” official said", egui::Key::Num1);
    code_selection(&mut h, "official", egui::Key::Num2);
    open_document(&mut h, "b.txt");
    code_selection(&mut h, "denied", egui::Key::Num1);
    menu(&mut h, &["Project", "Statistics…"]);
    run_until(&mut h, |app| {
        app.stats.stats.is_some() && !app.stats.is_running()
    });
    let stats = h.state().stats.stats.clone().unwrap();
    // b.txt is counted as it is now, before its autosave.
    assert_eq!(stats.codes.get("claim"), Some(&2));
    assert_eq!(
        gloss::project::charts::cooccurrence(&stats, "source", "claim"),
        1
    );
    menu(&mut h, &["Co-occurrence"]);
    h.get_by_label("claim and source: 1 overlapping").click();
    h.run();
    run_until(&mut h, |app| {
        app.passages.open && !app.passages.is_running() && !app.passages.results.is_empty()
    });
    let quotes: Vec<&str> = h
        .state()
        .passages
        .results
        .iter()
        .map(|p| p.quote.as_str())
        .collect();
    assert_eq!(quotes, ["An “unnamed” official said"]);

    for (kind, name) in [
        (gloss::ui::stats::Kind::Svg, "co.svg"),
        (gloss::ui::stats::Kind::Csv, "co.csv"),
    ] {
        let ctx = h.ctx.clone();
        let app = h.state_mut();
        let codebook = app.session.codebook().clone();
        let guard = gloss::formats::ExportGuard::new(false, Vec::new());
        app.stats.save(kind, d.join(name), guard, &codebook, &ctx);
        run_until(&mut h, |app| !app.stats.is_running());
    }
    let svg = std::fs::read_to_string(d.join("co.svg")).unwrap();
    assert!(roxmltree::Document::parse(&svg).is_ok());
    assert!(svg.contains(Chart::Cooccurrence.title()));
    let csv = std::fs::read_to_string(d.join("co.csv")).unwrap();
    assert!(csv.starts_with("code,claim,source"), "{csv}");
    assert!(csv.contains("claim,,1"), "{csv}");
}

/// The find bar searches every document and memo of the project; a hit
/// opens its document there; "Tag all in project" shows what it will do,
/// tags and saves every document, and is taken back in one step.
#[test]
fn the_find_bar_searches_and_tags_the_whole_project() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("a.txt"), "A drone — 😀 — and another drone.").unwrap();
    std::fs::write(d.join("b.txt"), "无人机: drone strikes.").unwrap();
    std::fs::write(d.join("c.txt"), "Nothing here.").unwrap();
    let mut s = Session::open(&d.join("c.txt")).unwrap();
    s.set_memo("Ask about the drone.").unwrap();
    s.save().unwrap();
    let mut h = harness(&d.join(".data"), Some(d.clone()));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.get_by_label("Find").type_text("drone");
    h.run();
    h.get_by_label("All documents").click();
    h.run();
    run_until(&mut h, |app| {
        !app.corpus.is_running() && app.corpus.hits.len() == 4
    });
    h.run();
    h.get_by_label_contains("4 hits in 3 places");
    // A hit in another document opens it with the match selected.
    h.get_by_label_contains("b.txt · 5 — 无人机: drone strikes.")
        .click();
    h.run();
    run_until(&mut h, |app| app.session.doc().name == "b.txt");
    h.run();
    let sel = h.state().reader.selected_range(&h.state().session);
    assert_eq!(sel, Some(gloss::model::CharRange::new(5, 10)));

    h.get_by_label("Tag all in project…").click();
    h.run();
    h.get_by_label_contains("Tag 3 matches in 2 documents");
    h.get_by_label("Tag all 3").click();
    h.run();
    run_until(&mut h, |app| {
        !app.corpus.is_running() && app.corpus.done.len() == 1
    });
    h.run();
    run_until_saved(&mut h);
    let quotes = |name: &str| -> Vec<String> {
        let s = Session::open(&d.join(name)).unwrap();
        s.store()
            .annotations
            .iter()
            .map(|a| format!("{} {:?}", a.quote, a.tags))
            .collect()
    };
    assert_eq!(quotes("a.txt"), ["drone [\"claim\"]", "drone [\"claim\"]"]);
    assert_eq!(quotes("b.txt"), ["drone [\"claim\"]"]);
    assert!(quotes("c.txt").is_empty(), "a memo is not text to tag");
    h.get_by_label_contains("Tagged 3 matches in 2 documents");
    h.get_by_label("Undo").click();
    h.run();
    run_until_saved(&mut h);
    settle(&mut h);
    run_until(&mut h, |_| {
        Session::open(&d.join("a.txt"))
            .unwrap()
            .store()
            .annotations
            .is_empty()
    });
    assert!(quotes("b.txt").is_empty());
}

/// A project opened once is in File → Open Recent, marked as a project,
/// and opens from there with its Documents panel.
#[test]
fn open_recent_reopens_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("study");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("a.txt"), "An interview.").unwrap();
    let other = dir.path().join("elsewhere.txt");
    std::fs::write(&other, "Another text.").unwrap();
    let mut h = harness(&dir.path().join(".data"), Some(d.clone()));
    let folder = std::fs::canonicalize(&d).unwrap();
    assert!(
        h.state().prefs.recent.contains(&folder),
        "{:?}",
        h.state().prefs.recent
    );
    h.state_mut()
        .push(gloss::ui::command::Command::Open(other.clone()));
    settle(&mut h);
    assert_eq!(h.state().session.doc().name, "elsewhere.txt");
    menu(&mut h, &["File", "Open Recent"]);
    h.get_by_label(&format!("{} — project", folder.display()))
        .click();
    h.run();
    settle(&mut h);
    run_until(&mut h, |app| app.session.doc().name == "a.txt");
    h.get_by_label("study");
}

/// A project file Gloss cannot read (corrupt, or from a newer Gloss) opens
/// the project read-only with a message saying so, and is never written,
/// however the documents are coded.
#[test]
fn an_unreadable_project_file_is_reported_and_never_written() {
    for (bytes, says) in [
        ("(version: 1, codebook: [ oops", "not a Gloss project file"),
        ("(version: 99, codebook: [])", "newer Gloss"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        std::fs::write(d.join("a.txt"), "A claim — 😀 — made.").unwrap();
        let file = gloss::project::file::path_in(&d);
        std::fs::write(&file, bytes).unwrap();
        let mut h = harness(&d.join(".data"), Some(d.clone()));
        h.get_by_label_contains(says);
        code_selection(&mut h, "claim", egui::Key::Num1);
        h.state_mut().push(gloss::ui::command::Command::AddTag);
        h.run();
        run_until_saved(&mut h);
        settle(&mut h);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            bytes,
            "left as it was"
        );
        assert_eq!(
            tags_of(&d.join("a.txt"), "claim"),
            ["claim"],
            "the document is still coded"
        );
    }
}

/// File → Import of a `.qdpx` with a project open brings the whole project
/// in: a document it lacked appears in Documents, the codebook and the
/// memo reach the project file, and the document shown takes in its new
/// codings as an outside change.
#[test]
fn importing_a_refi_qda_project_into_an_open_project() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("elsewhere");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("a.txt"), "Drone strikes were discussed.").unwrap();
    std::fs::write(src.join("new.txt"), "A second interview, not here yet.").unwrap();
    for (doc, quote) in [("a.txt", "Drone strikes"), ("new.txt", "second interview")] {
        let mut s = Session::open(&src.join(doc)).unwrap();
        let text = s.doc().text().to_string();
        let start = text[..text.find(quote).unwrap()].chars().count();
        let r = gloss::model::CharRange::new(start, start + quote.chars().count());
        s.annotate(
            r,
            vec!["evidence".into()],
            "Ana",
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        s.save().unwrap();
    }
    let out = common::gloss(
        &["export", ".", "--format", "qdpx", "-o", "../study.qdpx"],
        &src,
    );
    assert!(out.status.success(), "{out:?}");

    let here = dir.path().join("here");
    std::fs::create_dir(&here).unwrap();
    std::fs::write(here.join("a.txt"), "Drone strikes were discussed.").unwrap();
    let mut h = harness(&here.join(".data"), Some(here.clone()));
    settle(&mut h);
    assert_eq!(h.state().session.doc().name, "a.txt");
    h.state_mut()
        .import_from(gloss::formats::Format::Qdpx, &dir.path().join("study.qdpx"));
    settle(&mut h);
    assert!(
        here.join("new.txt").is_file(),
        "the missing document was made"
    );
    run_until(&mut h, |app| app.session.store().annotations.len() == 1);
    assert!(h.query_by_label_contains("Imported the project").is_some());
    h.run_steps(3);
    assert!(h.query_by_label("new.txt").is_some(), "listed in Documents");
    let project = ProjectFile::load(&here).unwrap().unwrap();
    assert!(project.codebook.get("evidence").is_some());
    assert_eq!(
        tags_of(&here.join("new.txt"), "second interview"),
        ["evidence"]
    );
}
