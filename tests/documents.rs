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
    assert_eq!(text, Session::open(&p).unwrap().doc().text());
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
    // The page's own title names the window, beside the file's name.
    let page = Session::open(&dir.path().join("page.html")).unwrap();
    assert_eq!(page.doc().title(), Some("T"));
    assert_eq!(page.title(), "page.html · T — Gloss");
    // Formats not read yet are refused by name, not decoded as text.
    std::fs::write(dir.path().join("old.doc"), b"\xD0\xCF\x11\xE0").unwrap();
    let out = gloss(&["text", "old.doc"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not open old Word (.doc) files yet"),
        "{err}"
    );
}

/// A two-page PDF report: prose, a running head, page numbers.
fn report_pdf() -> Vec<u8> {
    use gloss::sample::pdf::{Page, pdf};
    let page = |n: usize, lines: &[&str]| {
        Page::default()
            .line(60.0, 800.0, 9.0, "Drone report")
            .block(60.0, 740.0, 10.0, lines)
            .line(290.0, 40.0, 9.0, &n.to_string())
    };
    pdf(&[
        page(
            1,
            &[
                "Officials cited by NBC News confirmed that",
                "drone strikes — “unilateral” — are considered.",
            ],
        ),
        page(
            2,
            &[
                "The second page names a source: café owner",
                "Ana, 😀, in Monterrey.",
            ],
        ),
    ])
}

/// The chars of the first `needle` in `text`.
fn range_of(text: &str, needle: &str) -> CharRange {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {text:?}"));
    let start = text[..b].chars().count();
    CharRange::new(start, start + needle.chars().count())
}

/// `gloss export NAME --format w3c`: each annotation's quote and the value
/// of its selector of type `kind`, if it has one, sorted.
fn w3c_selector(dir: &std::path::Path, name: &str, kind: &str) -> Vec<(String, Option<String>)> {
    let out = gloss(&["export", name, "--format", "w3c"], dir);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v["first"]["items"]
        .as_array()
        .or(v["items"].as_array())
        .unwrap()
        .clone();
    let mut got: Vec<(String, Option<String>)> = items
        .iter()
        .map(|a| {
            let sel = a["target"]["selector"].as_array().unwrap();
            let of = |t: &str| sel.iter().find(|s| s["type"] == t);
            let exact = of("TextQuoteSelector").unwrap()["exact"].as_str().unwrap();
            let value = of(kind).map(|x| x["value"].as_str().unwrap().to_string());
            (exact.to_string(), value)
        })
        .collect();
    got.sort();
    got
}

#[test]
fn a_pdf_is_read_page_by_page_and_exports_know_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.pdf");
    std::fs::write(&p, report_pdf()).unwrap();
    let out = gloss(&["text", "report.pdf"], dir.path());
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "Drone report\n\nOfficials cited by NBC News confirmed that drone strikes — \
         “unilateral” — are considered.\n\n1\n\u{c}\nDrone report\n\n\
         The second page names a source: café owner Ana, 😀, in Monterrey.\n\n2"
    );
    let mut s = Session::open(&p).unwrap();
    assert_eq!(text, s.doc().text());
    assert_eq!(s.encoding(), "PDF");
    for (quote, tag) in [("drone strikes", "claim"), ("café owner Ana", "source")] {
        s.annotate(
            range_of(&text, quote),
            vec![tag.into()],
            "Ana",
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
    }
    s.save().unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), report_pdf());
    let sidecar = std::fs::read_to_string(gloss::sidecar::sidecar_path(&p)).unwrap();
    assert!(
        sidecar.contains("extractor: Some(\"gloss-pdf/2\")"),
        "{sidecar}"
    );

    let out = gloss(&["export", "report.pdf", "--format", "csv"], dir.path());
    assert!(out.status.success(), "{out:?}");
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let got: Vec<(String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[col("quote")].to_string(), r[col("page")].to_string())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("drone strikes".into(), "1".into()),
            ("café owner Ana".into(), "2".into())
        ]
    );

    let fragments = w3c_selector(dir.path(), "report.pdf", "FragmentSelector");
    assert_eq!(
        fragments,
        [
            ("café owner Ana".to_string(), Some("page=2".to_string())),
            ("drone strikes".to_string(), Some("page=1".to_string())),
        ]
    );
    let out = gloss(&["export", "report.pdf", "--format", "w3c"], dir.path());
    let conforms = String::from_utf8(out.stdout).unwrap();
    assert!(
        conforms.contains("\"conformsTo\": \"http://tools.ietf.org/rfc/rfc3778\""),
        "{conforms}"
    );

    // A scan: no text printed, the reason on stderr, exit 2.
    std::fs::write(
        dir.path().join("scan.pdf"),
        gloss::sample::pdf::pdf(&[gloss::sample::pdf::Page::scan()]),
    )
    .unwrap();
    let out = gloss(&["text", "scan.pdf"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no text layer") && err.contains("OCR"),
        "{err}"
    );
}

#[test]
fn annotations_on_a_word_file_stay_on_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("interview.docx");
    std::fs::write(&p, docx(RUNS)).unwrap();
    let mut s = Session::open(&p).unwrap();
    assert_eq!(s.encoding(), "Word (DOCX)");
    let text = s.doc().text().to_string();
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
        sidecar.contains("extractor: Some(\"gloss-docx/2\")"),
        "{sidecar}"
    );
    // The document file itself is never written.
    assert_eq!(std::fs::read(&p).unwrap(), docx(RUNS));
    let again = Session::open(&p).unwrap();
    let a = again.annotation(&id).unwrap();
    assert_eq!(a.quote, "drone strikes");
    assert_eq!(again.doc().slice(a.range()), "drone strikes");
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
    assert_eq!(h.state().session.doc().name, "interview.docx");
    let range = find(&h, "drone strikes");
    drag_select(&mut h, range);
    h.key_press(egui::Key::Num1);
    h.run();
    run_until_saved(&mut h);
    let again = Session::open(&p).unwrap();
    let quotes: Vec<&str> = again
        .store()
        .annotations
        .iter()
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(quotes, ["drone strikes"]);
}

#[cfg(feature = "gui")]
#[test]
fn a_pdf_opens_in_the_window_and_its_annotations_come_back_on_the_same_words() {
    use common::gui::{drag_select, find, harness, run_until_saved};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.pdf");
    std::fs::write(&p, report_pdf()).unwrap();
    let mut h = harness(dir.path(), Some(p.clone()));
    assert_eq!(h.state().session.doc().name, "report.pdf");
    // The window shows exactly what `gloss text` prints.
    let out = gloss(&["text", "report.pdf"], dir.path());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        h.state().session.doc().text()
    );
    assert_eq!(h.state().session.doc().structure().pages(), Some(2));
    let range = find(&h, "café owner Ana");
    drag_select(&mut h, range);
    h.key_press(egui::Key::Num2);
    h.run();
    run_until_saved(&mut h);
    drop(h);
    let mut h = harness(dir.path(), Some(p.clone()));
    let s = &h.state().session;
    let a = s.store().annotations.iter().next().unwrap();
    assert_eq!(s.doc().slice(a.range()), "café owner Ana");
    assert_eq!(a.quote, "café owner Ana");
    assert_eq!(s.doc().structure().page_of(a.start), Some(2));
    h.run();
}

/// The promise of this whole feature: a saved web page, a PDF report, a
/// Word transcript and an EPUB, each annotated, exported to REFI-QDA, and
/// every quote in every export is exactly the words selected.
#[test]
fn every_format_exports_to_refi_qda_with_the_selected_words() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, Vec<u8>, &str); 4] = [
        (
            "page.html",
            "<html><body><h1>Report</h1><p>The <b>unn</b>amed “officials” — café 😀.</p></body></html>"
                .as_bytes()
                .to_vec(),
            "unnamed “officials” — café",
        ),
        ("report.pdf", report_pdf(), "café owner Ana"),
        ("interview.docx", docx(RUNS), "drone strikes — “unnamed”"),
        ("book.epub", gloss::sample::epub::book(3_000), ""),
    ];
    for (name, bytes, words) in files {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let mut s = Session::open(&p).unwrap();
        let text = s.doc().text().to_string();
        // For the book: its second paragraph's first six words.
        let words = if words.is_empty() {
            let para = text.split("\n\n").nth(1).unwrap();
            para.split(' ').take(6).collect::<Vec<_>>().join(" ")
        } else {
            words.to_string()
        };
        let b = text
            .find(&words)
            .unwrap_or_else(|| panic!("{name}: {text:?}"));
        let start = text[..b].chars().count();
        let range = CharRange::new(start, start + words.chars().count());
        s.annotate(
            range,
            vec!["claim".into()],
            "Ana",
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        s.save().unwrap();
        let out_path = dir.path().join(format!("{name}.qdpx"));
        let out = gloss(
            &[
                "export",
                name,
                "--format",
                "qdpx",
                "-o",
                out_path.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{name}: {out:?}");
        let project = common::zip_entry(&out_path, "project.qde");
        let xml = roxmltree::Document::parse(&project).unwrap();
        let source = xml
            .descendants()
            .find(|n| n.has_tag_name("TextSource"))
            .unwrap();
        let file = source
            .attribute("plainTextPath")
            .unwrap()
            .trim_start_matches("internal://");
        let stored = common::zip_entry(&out_path, &format!("sources/{file}"));
        assert_eq!(
            stored, text,
            "{name}: the source is the text Gloss annotates"
        );
        let sel = source
            .descendants()
            .find(|n| n.has_tag_name("PlainTextSelection"))
            .unwrap();
        let pos = |a: &str| sel.attribute(a).unwrap().parse::<usize>().unwrap();
        let quoted: String = stored
            .chars()
            .skip(pos("startPosition"))
            .take(pos("endPosition") - pos("startPosition"))
            .collect();
        assert_eq!(quoted, words, "{name}");
    }
}

/// Structure changes how lines are drawn (a larger heading, an indented
/// quote), never which chars a drag selects.
#[cfg(feature = "gui")]
#[test]
fn a_drag_over_an_indented_quote_and_a_heading_selects_exactly_their_words() {
    use common::gui::{drag_select, find, harness, run_until_saved};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("page.html");
    std::fs::write(
        &p,
        "<html><body><h1>Pentagon plans drone strikes</h1><p>Officials spoke.</p>\
         <blockquote>“Unilateral covert action, without Mexico’s consent”</blockquote></body></html>",
    )
    .unwrap();
    let mut h = harness(dir.path(), Some(p.clone()));
    let structure = h.state().session.doc().structure().clone();
    assert_eq!(structure.block_at(0), Some(gloss::model::Block::Heading(1)));
    for (words, key) in [
        ("covert action, without Mexico", egui::Key::Num1),
        ("plans drone", egui::Key::Num2),
    ] {
        let range = find(&h, words);
        drag_select(&mut h, range);
        h.key_press(key);
        h.run();
    }
    run_until_saved(&mut h);
    let again = Session::open(&p).unwrap();
    let mut quotes: Vec<&str> = again
        .store()
        .annotations
        .iter()
        .map(|a| a.quote.as_str())
        .collect();
    quotes.sort();
    assert_eq!(quotes, ["covert action, without Mexico", "plans drone"]);
}

#[test]
fn an_annotation_on_a_web_page_carries_the_element_it_sits_in() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("page.html");
    std::fs::write(
        &p,
        "<html><body><h1>Report</h1><div><p>First.</p><p>The <b>unn</b>amed “officials”.</p></div></body></html>",
    )
    .unwrap();
    let mut s = Session::open(&p).unwrap();
    let text = s.doc().text().to_string();
    for words in ["unnamed “officials”", "First.\n\nThe"] {
        s.annotate(
            range_of(&text, words),
            vec!["source".into()],
            "Ana",
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
    }
    s.save().unwrap();
    let got = w3c_selector(dir.path(), "page.html", "XPathSelector");
    // A passage across two paragraphs sits in no one element.
    assert_eq!(
        got,
        [
            ("First.\n\nThe".to_string(), None),
            (
                "unnamed “officials”".to_string(),
                Some("/html/body/div[1]/p[2]".to_string())
            ),
        ]
    );
}

/// A PDF that needs a password asks for it (the file is never opened empty),
/// says so when the password is wrong, and opens with the right one.
#[cfg(feature = "gui")]
#[test]
fn a_protected_pdf_asks_for_its_password_in_the_window() {
    use common::gui::{harness, settle};
    use egui_kittest::kittest::Queryable;
    use gloss::sample::pdf::{Page, encrypted};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("locked.pdf");
    let pages = [Page::default().line(
        60.0,
        700.0,
        10.0,
        "Confidential: the “source” is café owner Ana.",
    )];
    std::fs::write(&p, encrypted(&pages, "s3cret", "owner")).unwrap();
    let mut h = harness(dir.path(), Some(p.clone()));
    assert_ne!(h.state().session.doc().name, "locked.pdf");
    h.get_by_label_contains("is protected by a password");
    for (password, wrong) in [("guess", true), ("s3cret", false)] {
        h.get_by_label("Password").type_text(password);
        h.run();
        h.get_by_label("Open").click();
        h.run();
        settle(&mut h);
        if wrong {
            h.get_by_label("That is not its password.");
            assert_ne!(h.state().session.doc().name, "locked.pdf");
        }
    }
    let s = &h.state().session;
    assert_eq!(s.doc().name, "locked.pdf");
    assert_eq!(
        s.doc().text(),
        "Confidential: the “source” is café owner Ana."
    );
    assert!(h.query_by_label("Password").is_none());
}

/// Annotations made on what an older Gloss extracted are re-anchored on
/// what this one extracts, and the notice says why the text changed: Gloss
/// reads the file differently, not "the document changed".
#[test]
fn a_new_extractor_moves_annotations_and_says_it_is_gloss_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.pdf");
    std::fs::write(&p, report_pdf()).unwrap();
    let mut s = Session::open(&p).unwrap();
    let text = s.doc().text().to_string();
    s.annotate(
        range_of(&text, "drone strikes"),
        vec!["claim".into()],
        "Ana",
        OffsetDateTime::UNIX_EPOCH,
    )
    .unwrap();
    s.save().unwrap();
    // As an older extractor would have left it: another name, another
    // text (its hash), the passage one char further on.
    let path = gloss::sidecar::sidecar_path(&p);
    let saved = std::fs::read_to_string(&path).unwrap();
    let start = range_of(&text, "drone strikes").start;
    let older = saved
        .replace("gloss-pdf/2", "gloss-pdf/1")
        .replace(
            &format!("start: {start},"),
            &format!("start: {},", start + 1),
        )
        .replace(
            &format!("end: {},", start + 13),
            &format!("end: {},", start + 14),
        );
    let sha = older.split("sha256: \"").nth(1).unwrap()[..64].to_string();
    let older = older.replace(&sha, &"0".repeat(64));
    assert_ne!(older, saved);
    std::fs::write(&path, older).unwrap();

    let s = Session::open(&p).unwrap();
    let said = s.infos().join("\n");
    assert!(
        said.contains("Gloss now reads this kind of file differently (gloss-pdf/1 → gloss-pdf/2)"),
        "{said}"
    );
    assert!(said.contains("1 moved"), "{said}");
    let a = s.store().annotations.iter().next().unwrap();
    assert_eq!(a.range(), range_of(&text, "drone strikes"));
}
