//! Teams in the window, driven through egui_kittest: Compare and curate
//! (step to a disagreement, accept one version, edit another, reject one),
//! showing and colouring by author, the user's name, and a pull reported.
#![cfg(feature = "gui")]

mod common;

use common::gui::{harness, run_until, run_until_saved};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gloss::model::{Annotation, CharRange};
use gloss::session::Session;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::ui::GlossApp;
use std::path::Path;
use time::OffsetDateTime;

const TEXT: &str =
    "An “unnamed” official said drones — 😀 — were ready.\r\nThe ministry denied it; 中文 too.";

/// Codes `words` as `author` with `codes`.
fn code(s: &mut Session, words: &str, codes: &[&str], author: &str) {
    let text = s.doc().text().to_string();
    let b = text.find(words).expect("words in text");
    let start = text[..b].chars().count();
    let r = CharRange::new(start, start + words.chars().count());
    let codes = codes.iter().map(|c| c.to_string()).collect();
    s.annotate(r, codes, author, OffsetDateTime::UNIX_EPOCH)
        .expect("annotate");
}

/// A document two annotators coded: they agree on one passage and
/// disagree on three (boundaries, only one marked it, codes).
fn coded(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("a.txt");
    std::fs::write(&p, TEXT).expect("write");
    let mut s = Session::open(&p).expect("opens");
    code(&mut s, "“unnamed” official", &["source"], "Ana");
    code(&mut s, "“unnamed” official", &["source"], "Ben");
    code(&mut s, "drones — 😀 —", &["evidence"], "Ana");
    code(&mut s, "drones", &["evidence"], "Ben");
    code(&mut s, "The ministry denied it", &["claim"], "Ben");
    code(&mut s, "中文", &["claim"], "Ana");
    code(&mut s, "中文", &["question"], "Ben");
    s.save().expect("save");
    p
}

fn button(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_all_by_role_and_label(egui::accesskit::Role::Button, label)
        .last()
        .unwrap_or_else(|| panic!("no {label} button"))
        .click();
    h.run();
}

fn by(app: &GlossApp, author: &str) -> Vec<Annotation> {
    app.session
        .store()
        .annotations
        .iter()
        .filter(|a| a.author == author)
        .cloned()
        .collect()
}

#[test]
fn compare_steps_to_disagreements_and_curates_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = coded(dir.path());
    let mut h = harness(&dir.path().join(".data"), Some(p.clone()));
    let before: Vec<Annotation> = h
        .state()
        .session
        .store()
        .annotations
        .iter()
        .cloned()
        .collect();

    button(&mut h, "Team");
    button(&mut h, "Compare and Curate…");
    run_until(&mut h, |app| app.compare.list.len() == 3);
    assert_eq!(h.state().compare.chosen, ["Ana", "Ben"]);
    assert_eq!(h.state().compare.left(), 3);
    // Each annotator in its own lane.
    assert_eq!(h.state().side.authors.lanes, ["Ana", "Ben", "curated"]);

    // N steps to the first disagreement and selects it.
    h.key_press(egui::Key::N);
    h.run();
    let place = h.state().compare.list[0].range;
    assert_eq!(h.state().compare.current, Some(0));
    assert_eq!(
        h.state().session.doc().slice(place),
        "drones — 😀 —",
        "different boundaries: the place covers both"
    );
    // The bar says where and how they differ.
    h.get_by_label(&format!(
        "{}–{}: different boundaries",
        place.start, place.end
    ));

    // Accept Ana's version: a copy under "curated", the originals kept.
    button(&mut h, "Accept Ana's");
    let curated = by(h.state(), "curated");
    assert_eq!(curated.len(), 1);
    assert_eq!(curated[0].quote, "drones — 😀 —");
    assert_eq!(curated[0].tags, ["evidence"]);
    run_until(&mut h, |app| app.compare.left() == 2);
    // It moved on to the next place left.
    assert_eq!(h.state().compare.current, Some(1));

    // Edit Ben's version of the next (only Ben marked it): the copy is
    // selected and its note typed in the side panel.
    button(&mut h, "Edit Ben's");
    let copy = by(h.state(), "curated")
        .into_iter()
        .find(|a| a.quote == "The ministry denied it")
        .expect("copied");
    assert_eq!(h.state().selected.as_ref(), Some(&copy.id));
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text("agreed in the meeting");
    h.run();
    run_until(&mut h, |app| app.compare.left() == 1);

    // Reject both versions of the last.
    h.key_press(egui::Key::Escape);
    h.run();
    button(&mut h, "N ▶");
    assert_eq!(h.state().compare.current, Some(2));
    button(&mut h, "Reject all");
    run_until(&mut h, |app| app.compare.left() == 0);
    // The list marks each place: two curated, one rejected.
    h.get_by_label("All 3 disagreements").click();
    h.run();
    let rows: Vec<String> = {
        let app = h.state();
        app.compare
            .list
            .iter()
            .map(|d| gloss::ui::compare::row_label(d, app.session.doc()))
            .collect()
    };
    assert!(rows[0].starts_with('✔') && rows[1].starts_with('✔') && rows[2].starts_with('✖'));
    for row in &rows {
        h.get_by_label(row);
    }
    assert!(by(h.state(), "curated").iter().all(|a| a.quote != "中文"));

    // The originals are untouched; the curated set is saved.
    let after: Vec<Annotation> = h
        .state()
        .session
        .store()
        .annotations
        .iter()
        .filter(|a| a.author != "curated")
        .cloned()
        .collect();
    assert_eq!(after, before);
    run_until_saved(&mut h);
    let saved = Sidecar::load(&sidecar_path(&p))
        .expect("parses")
        .expect("saved");
    let curated: Vec<&Annotation> = saved
        .annotations
        .iter()
        .filter(|a| a.author == "curated")
        .collect();
    assert_eq!(curated.len(), 2);
    assert!(curated.iter().any(|a| a.note == "agreed in the meeting"));
    // The rejection is saved: reopened, nothing is left to curate.
    assert_eq!(saved.rejected.len(), 2);
    let again = gloss::team::compare::disagreements(
        &saved.annotations,
        &["Ana".to_string(), "Ben".to_string()],
        "curated",
        &saved.rejected,
    );
    assert_eq!(again.len(), 3);
    assert!(again.iter().all(|d| d.is_done()));

    // The curated set exports like any other.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", "a.txt", "--format", "csv"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains(",curated,"));
}

#[test]
fn the_list_and_the_text_show_chosen_authors_coloured_by_author() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = coded(dir.path());
    let mut h = harness(&dir.path().join(".data"), Some(p));
    // The list shows everyone's: Ana's long span is listed.
    assert!(h.query_all_by_label("drones — 😀 —").count() > 0);
    h.get_by_label("Ben 4").click();
    h.run();
    assert!(h.state().side.authors.shown.contains("Ben"));
    assert_eq!(
        h.query_all_by_label("drones — 😀 —").count(),
        0,
        "Ana's is hidden"
    );
    assert!(h.query_all_by_label("The ministry denied it").count() > 0);
    // A click on the text selects only a shown annotation: Ben's "drones",
    // not Ana's longer span around it.
    let at = {
        let app = h.state();
        let text = app.session.doc().text();
        let b = text.find("😀").expect("emoji");
        text[..b].chars().count()
    };
    let pos = h
        .state()
        .reader
        .screen_pos(&h.state().session, at)
        .expect("on screen")
        + egui::vec2(2.0, 6.0);
    h.drag_at(pos);
    h.step();
    h.drop_at(pos);
    h.run();
    assert_eq!(
        h.state().selected,
        None,
        "only Ana's span is under the emoji"
    );

    h.get_by_label("colour by author").click();
    h.run();
    assert!(h.state().side.authors.by_author);
    let authors = h
        .state()
        .session
        .store()
        .annotations
        .counts()
        .authors
        .clone();
    let view = &h.state().side.authors;
    assert_ne!(view.color("Ana", &authors), view.color("Ben", &authors));
}

#[test]
fn the_name_asked_once_signs_new_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = coded(dir.path());
    let mut h = harness(&dir.path().join(".data"), Some(p));
    h.state_mut().ask_name();
    h.run();
    // The field has the focus: select what git suggested, type, Enter.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Your name:").type_text("Dana");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().prefs.author, "Dana");
    assert!(
        h.query_by_label("✎ Dana").is_some(),
        "shown in the status bar"
    );
    assert!(!h.state().name_prompt.open);
    let range = common::gui::find(&h, "were ready");
    common::gui::drag_select(&mut h, range);
    h.key_press(egui::Key::Num1);
    h.run();
    assert_eq!(by(h.state(), "Dana").len(), 1);
}

#[test]
fn a_pull_that_changes_the_sidecar_is_reloaded_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = coded(dir.path());
    let mut h = harness(&dir.path().join(".data"), Some(p.clone()));
    // As a pull would: Cy's annotation arrives in the file.
    let mut s = Session::open(&p).expect("opens");
    code(&mut s, "were ready", &["claim"], "Cy");
    s.save().expect("save");
    run_until(&mut h, |app| !by(app, "Cy").is_empty());
    h.run();
    let notice = "The annotation file changed on disk (a git pull, or another program) and was reloaded: 1 added, 0 updated (by Cy).";
    assert!(h.query_by_label(notice).is_some());
}

#[test]
fn the_agreement_window_shows_the_figures_of_the_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = coded(dir.path());
    let mut h = harness(&dir.path().join(".data"), Some(p));
    button(&mut h, "Team");
    button(&mut h, "Agreement…");
    run_until(&mut h, |app| app.agreement.result.is_some());
    h.run();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["agreement", "a.txt", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let alpha = json["units"]["token"]["krippendorff_alpha_nominal"]
        .as_f64()
        .expect("defined");
    let kappa = json["units"]["char"]["pairwise"]["Ana-Ben"]["cohen_kappa"]
        .as_f64()
        .expect("defined");
    h.get_by_label(&format!("{alpha:.3}"));
    h.get_by_label(&format!("{kappa:.3}"));
    h.get_by_label("Ana-Ben: Cohen's κ");
    // Per code: each code the two used has its row.
    for code in ["claim", "evidence", "question", "source"] {
        assert!(h.query_all_by_label(code).count() > 0, "{code}");
    }
}
