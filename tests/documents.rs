//! Word and OpenDocument files: the text Gloss annotates is the text it
//! extracts, `gloss text` prints exactly that, and annotations made on it
//! stay on the same words through saving, reopening and exporting.

mod common;

use common::docs::docx;
use common::gloss;
use gloss::model::CharRange;
use gloss::session::Session;
use time::OffsetDateTime;

const RUNS: &[&[&str]] = &[
    &["Threats of drone ", "stri", "kes", " — “unnamed” sources."],
    &["Second paragraph, café 😀."],
];

#[test]
fn gloss_text_prints_exactly_what_is_annotated() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("interview.docx");
    std::fs::write(&p, docx(RUNS)).unwrap();
    let out = gloss(&["text", "interview.docx"], dir.path());
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "Threats of drone strikes — “unnamed” sources.\n\nSecond paragraph, café 😀."
    );
    assert_eq!(text, Session::open(&p).unwrap().doc.text());
    // A text file comes back as it is decoded: BOM dropped, CRLF kept.
    std::fs::write(dir.path().join("a.txt"), b"\xEF\xBB\xBFone\r\ntwo").unwrap();
    let out = gloss(&["text", "a.txt"], dir.path());
    assert_eq!(out.stdout, b"one\r\ntwo");
    // A broken file: no text, the reason on stderr, exit 2.
    std::fs::write(dir.path().join("broken.docx"), &docx(RUNS)[..40]).unwrap();
    let out = gloss(&["text", "broken.docx"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.docx") && err.contains("zip"), "{err}");
    // A saved web page: what a reader sees.
    std::fs::write(
        dir.path().join("page.html"),
        "<html><head><title>T</title><script>x()</script></head><body><h1>Drone&nbsp;strikes</h1><p>A <b>cl</b>aim.</p></body></html>",
    )
    .unwrap();
    let out = gloss(&["text", "page.html"], dir.path());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Drone\u{a0}strikes\n\nA claim."
    );
    // Formats not read yet are refused by name, not decoded as text.
    std::fs::write(
        dir.path().join("report.pdf"),
        b"%PDF-1.7\n%\xE2\xE3\n1 0 obj",
    )
    .unwrap();
    let out = gloss(&["text", "report.pdf"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not open PDF files yet"), "{err}");
}

#[test]
fn annotations_on_a_word_file_stay_on_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("interview.docx");
    std::fs::write(&p, docx(RUNS)).unwrap();
    let mut s = Session::open(&p).unwrap();
    assert_eq!(s.encoding, "Word (DOCX)");
    let text = s.doc.text().to_string();
    let at = text.find("drone strikes").unwrap();
    let start = text[..at].chars().count();
    let id = s
        .annotate(
            CharRange::new(start, start + "drone strikes".chars().count()),
            vec!["claim".into()],
            "Ana",
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
    s.save().unwrap();
    let sidecar = std::fs::read_to_string(gloss::sidecar::sidecar_path(&p)).unwrap();
    assert!(
        sidecar.contains("extractor: Some(\"gloss-docx/1\")"),
        "{sidecar}"
    );
    // The document file itself is never written.
    assert_eq!(std::fs::read(&p).unwrap(), docx(RUNS));
    let again = Session::open(&p).unwrap();
    let a = again.annotation(&id).unwrap();
    assert_eq!(a.quote, "drone strikes");
    assert_eq!(again.doc.slice(a.range()), "drone strikes");
    // Exports quote exactly those words.
    let out = gloss(&["export", "interview.docx", "--format", "csv"], dir.path());
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("drone strikes"));
}

#[cfg(feature = "gui")]
#[test]
fn a_word_file_opens_in_the_window_and_takes_annotations() {
    use common::gui::{drag_select, find, harness, run_until_saved};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("interview.docx");
    std::fs::write(&p, docx(RUNS)).unwrap();
    let mut h = harness(dir.path(), Some(p.clone()));
    assert_eq!(h.state().session.doc.name, "interview.docx");
    let range = find(&h, "drone strikes");
    drag_select(&mut h, range);
    h.key_press(egui::Key::Num1);
    h.run();
    run_until_saved(&mut h);
    let again = Session::open(&p).unwrap();
    let quotes: Vec<&str> = again
        .store
        .annotations
        .iter()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["drone strikes"]);
}
