//! PDFs written by `sample::pdf`, extracted and checked char for char.

use super::pdf::{Words, paragraphs, words};
use super::*;
use crate::sample::pdf::{Page, encrypted, pdf, wrap};

fn head(page: Page, n: usize) -> Page {
    Page::default()
        .line(60.0, 800.0, 9.0, "Annual report 2026")
        .line(290.0, 40.0, 9.0, &n.to_string())
        .tap(page)
}

trait Tap {
    fn tap(self, other: Page) -> Page;
}

impl Tap for Page {
    /// This page's lines (the running head, the number) around `other`'s.
    fn tap(self, other: Page) -> Page {
        let mut lines = self.lines;
        let foot = lines.pop();
        lines.extend(other.lines);
        lines.extend(foot);
        Page {
            lines,
            image_only: other.image_only,
        }
    }
}

/// Three pages: two columns on the first, with a hyphenated line end and
/// every script; prose on the second; a short third page.
fn report() -> Vec<u8> {
    let left = [
        "Two columns of a report, the left one first, with a",
        "hyphen at the end of a line: anno-",
        "tation comes back whole, and Franco-",
        "German keeps its hyphen.",
        "",
        "“Curly” quotes — an em dash, café, 👩‍🔬,",
        "مرحبا بكم, 日本語.",
    ];
    let right = [
        "The right column is read after the left one",
        "although its lines sit at the same heights as",
        "the lines of the left column.",
        "",
        "Its second paragraph ends the page.",
    ];
    let first = Page::default()
        .line(60.0, 770.0, 16.0, "Findings")
        .block(60.0, 740.0, 10.0, &left)
        .block(330.0, 740.0, 10.0, &right);
    let prose = wrap(
        "A second page of prose runs over several lines, so the extractor must join its lines into one paragraph.",
        50,
    );
    let prose: Vec<&str> = prose.iter().map(String::as_str).collect();
    let second = Page::default().block(60.0, 740.0, 10.0, &prose);
    let third = Page::default().line(60.0, 740.0, 10.0, "Third.");
    pdf(&[head(first, 1), head(second, 2), head(third, 3)])
}

const REPORT: &str = "Annual report 2026\n\nFindings\n\n\
    Two columns of a report, the left one first, with a hyphen at the end of a line: \
    annotation comes back whole, and Franco-German keeps its hyphen.\n\n\
    “Curly” quotes — an em dash, café, 👩\u{200d}🔬, مرحبا بكم, 日本語.\n\n\
    The right column is read after the left one although its lines sit at the same \
    heights as the lines of the left column.\n\nIts second paragraph ends the page.\n\n1\n\u{c}\n\
    Annual report 2026\n\n\
    A second page of prose runs over several lines, so the extractor must join its \
    lines into one paragraph.\n\n2\n\u{c}\n\
    Annual report 2026\n\nThird.\n\n3";

#[test]
fn a_report_reads_in_column_order_with_pages_and_running_heads_marked() {
    let got = extract(Kind::Pdf, &report()).unwrap();
    assert_eq!(got.text, REPORT);
    assert_eq!(got.extractor, "gloss-pdf/2");
    let at = |needle: &str, from: usize| {
        let byte = REPORT[from..].find(needle).unwrap() + from;
        REPORT[..byte].chars().count()
    };
    let second = REPORT.find("\u{c}").unwrap();
    let third = REPORT.rfind("\u{c}").unwrap();
    let mut want = vec![
        (0, Block::Running),
        (at("1\n\u{c}", 0), Block::Running),
        (at("\u{c}", 0), Block::PageBreak),
        (at("Annual", second), Block::Running),
        (at("2\n\u{c}", second), Block::Running),
        (at("\u{c}", second + 1), Block::PageBreak),
        (at("Annual", third), Block::Running),
        (at("3", third), Block::Running),
    ];
    want.sort_by_key(|(at, _)| *at);
    assert_eq!(got.blocks, want);
    assert_eq!(pdf::page_of(&got.text, at("Third", 0)), 3);
    assert_eq!(pdf::page_of(&got.text, at("A second page", 0)), 2);
    assert_eq!(pdf::page_of(&got.text, 0), 1);
}

#[test]
fn extraction_is_deterministic() {
    let bytes = report();
    let a = extract(Kind::Pdf, &bytes).unwrap();
    let b = extract(Kind::Pdf, &bytes).unwrap();
    assert_eq!((a.text, a.blocks), (b.text, b.blocks));
}

#[test]
fn progress_reaches_the_end_page_by_page() {
    let seen = std::cell::RefCell::new(Vec::new());
    extract_with_progress(Kind::Pdf, &report(), &|f| seen.borrow_mut().push(f)).unwrap();
    let seen = seen.into_inner();
    assert_eq!(seen.len(), 3);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(seen.last(), Some(&1.0));
}

#[test]
fn a_scan_is_refused_with_ocr_advice_but_one_scanned_page_among_text_is_kept() {
    let scan = pdf(&[Page::scan(), Page::scan()]);
    let err = extract(Kind::Pdf, &scan).unwrap_err();
    assert!(matches!(err, ExtractError::NoTextLayer));
    assert!(err.to_string().contains("no text layer"), "{err}");
    assert!(err.to_string().contains("OCR"), "{err}");

    let mixed = pdf(&[
        Page::default().line(60.0, 700.0, 10.0, "Typed cover."),
        Page::scan(),
        Page::default().line(60.0, 700.0, 10.0, "Typed end."),
    ]);
    let got = extract(Kind::Pdf, &mixed).unwrap();
    assert_eq!(got.text, "Typed cover.\n\u{c}\n\n\u{c}\nTyped end.");
}

#[test]
fn an_owner_password_alone_opens_a_user_password_is_asked_for() {
    let pages = [Page::default().line(60.0, 700.0, 10.0, "Published report, café — “ok”.")];
    let open = extract(Kind::Pdf, &encrypted(&pages, "", "owner-secret")).unwrap();
    assert_eq!(open.text, "Published report, café — “ok”.");

    let bytes = encrypted(&pages, "reader-secret", "owner");
    let locked = extract(Kind::Pdf, &bytes).unwrap_err();
    assert!(matches!(locked, ExtractError::Password), "{locked:?}");
    assert!(locked.to_string().contains("password"), "{locked}");
    let wrong = extract_with(Kind::Pdf, &bytes, Some("guess"), &|_| ()).unwrap_err();
    assert!(matches!(wrong, ExtractError::WrongPassword), "{wrong:?}");
    let opened = extract_with(Kind::Pdf, &bytes, Some("reader-secret"), &|_| ()).unwrap();
    assert_eq!(opened.text, "Published report, café — “ok”.");
}

#[test]
fn broken_and_hostile_pdfs_are_refused_not_panicked_on() {
    // Not a PDF at all, and a PDF cut short in its header.
    for bytes in [
        &b"hello, not a pdf"[..],
        &b"%PDF-1.7\n1 0 obj\n<< /Type"[..],
    ] {
        assert!(extract(Kind::Pdf, bytes).is_err());
    }
    // Truncated at every tenth of its length: an error or a text, never a
    // panic, and never text that was not in the file.
    let whole = report();
    for tenth in 1..10 {
        let cut = &whole[..whole.len() * tenth / 10];
        if let Ok(got) = extract(Kind::Pdf, cut) {
            assert!(!got.text.contains('\u{fffd}'), "{:?}", got.text);
        }
    }
    // A page tree of 60,000 pages (a million took a second) is refused before any is read.
    let kids = "7 0 R ".repeat(60_000);
    let claim = String::from_utf8(pdf(&[Page::default().line(60.0, 700.0, 10.0, "x")]))
        .unwrap()
        .replace(
            "/Kids [7 0 R] /Count 1 ",
            &format!("/Kids [{kids}] /Count 60000 "),
        );
    let err = extract(Kind::Pdf, claim.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            ExtractError::TooManyPages { .. } | ExtractError::Invalid { .. }
        ),
        "{err:?}"
    );
    // Two hundred thousand objects besides the page (a release build opened
    // two million, 113 MB, in 8 s and 500 MB): read, not choked on.
    let mut many = pdf(&[Page::default().line(60.0, 700.0, 10.0, "Still here.")]);
    let size_at = many.windows(6).rposition(|w| w == b"/Size ").unwrap();
    let first: usize = String::from_utf8_lossy(&many[size_at + 6..])
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let prev: usize = String::from_utf8_lossy(
        &many[many.windows(9).rposition(|w| w == b"startxref").unwrap() + 10..],
    )
    .lines()
    .next()
    .unwrap()
    .parse()
    .unwrap();
    let n = 200_000;
    let mut offsets = Vec::with_capacity(n);
    for i in 0..n {
        offsets.push(many.len());
        many.extend(format!("{} 0 obj\n<< /A {i} >>\nendobj\n", first + i).bytes());
    }
    let xref = many.len();
    many.extend(format!("xref\n{first} {n}\n").bytes());
    for o in offsets {
        many.extend(format!("{o:010} 00000 n \n").bytes());
    }
    many.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
            first + n
        )
        .bytes(),
    );
    assert_eq!(extract(Kind::Pdf, &many).unwrap().text, "Still here.");
    assert!(
        matches!(
            err,
            ExtractError::TooManyPages { .. } | ExtractError::Invalid { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn lines_join_into_paragraphs_but_lists_and_tables_keep_their_lines() {
    let none = Words::new();
    assert_eq!(
        paragraphs(
            "one line\nand the next\n\n• item one\n• item two\n\nname   role\nAna   source",
            &none
        ),
        vec![
            "one line and the next",
            "• item one\n• item two",
            "name   role\nAna   source"
        ]
    );
    assert_eq!(
        paragraphs("1. first\n2. second", &none),
        vec!["1. first\n2. second"]
    );
}

#[test]
fn a_hyphen_at_a_line_end_is_kept_where_the_document_spells_the_compound() {
    let raw = "the well-\nknown test and a non-\nEnglish word, an élé-\nment";
    let vocabulary = words(&format!("{raw} a well-known phrase"));
    assert_eq!(
        paragraphs(raw, &vocabulary),
        vec!["the well-known test and a non-English word, an élément"]
    );
    // Without the evidence, a hyphen between lower-case halves goes.
    assert_eq!(
        paragraphs("the well-\nknown", &Words::new()),
        vec!["the wellknown"]
    );
    // A dash after a space is punctuation, joined with a space.
    assert_eq!(
        paragraphs("a pause -\nthen", &Words::new()),
        vec!["a pause - then"]
    );
}

/// A manual as DocBook sets one: a faint running head right above each
/// page's heading, page numbers of one and two digits at the foot, and a
/// bibliography whose labels touch their italic titles.
fn manual() -> Vec<u8> {
    let pages: Vec<Page> = (1..=13)
        .map(|n| {
            let mut page = Page::default()
                .line(400.0, 800.0, 9.0, "Shared MIME-info Database")
                .line(60.0, 775.0, 14.0, &format!("{n}.1. Section {n}"))
                .block(
                    60.0,
                    750.0,
                    10.0,
                    &["Body text of the section,", "on two lines."],
                );
            if n == 13 {
                page = page
                    .runs(
                        60.0,
                        700.0,
                        10.0,
                        &[("GNOME", false), ("The GNOME desktop", true)],
                    )
                    .runs(
                        60.0,
                        685.0,
                        10.0,
                        &[("SharedMIME", false), ("Shared MIME-info", true)],
                    )
                    .runs(
                        60.0,
                        670.0,
                        10.0,
                        &[("a ", false), ("word", true), ("s", false)],
                    );
            }
            page.line(290.0, 40.0, 9.0, &n.to_string())
        })
        .collect();
    pdf(&pages)
}

#[test]
fn running_heads_and_page_numbers_stand_apart_and_touching_runs_in_two_faces_do_not_glue() {
    let got = extract(Kind::Pdf, &manual()).unwrap();
    let paras: Vec<&str> = got
        .text
        .split("\n\u{c}\n")
        .next()
        .unwrap()
        .split("\n\n")
        .collect();
    assert_eq!(
        paras,
        [
            "Shared MIME-info Database",
            "1.1. Section 1",
            "Body text of the section, on two lines.",
            "1"
        ]
    );
    let last = got.text.rsplit("\n\u{c}\n").next().unwrap();
    assert!(last.contains("GNOME The GNOME desktop"), "{last:?}");
    assert!(last.contains("SharedMIME Shared MIME-info"), "{last:?}");
    // A face changing inside a word, not before a capital, is no gap.
    assert!(last.contains("a words"), "{last:?}");
    // Every head and every page number, of one digit or two, runs.
    let running: Vec<String> = got
        .blocks
        .iter()
        .filter(|(_, b)| *b == Block::Running)
        .map(|(at, _)| {
            got.text
                .chars()
                .skip(*at)
                .take_while(|c| *c != '\n')
                .collect()
        })
        .collect();
    let heads = running
        .iter()
        .filter(|r| *r == "Shared MIME-info Database")
        .count();
    let numbers: Vec<&String> = running
        .iter()
        .filter(|r| r.parse::<u32>().is_ok())
        .collect();
    assert_eq!(heads, 13, "{running:?}");
    assert_eq!(numbers.len(), 13, "{running:?}");
    assert_eq!(running.len(), 26, "{running:?}");
}

#[test]
fn a_page_number_alone_is_a_folio_in_its_usual_shapes() {
    use super::pdf::is_folio;
    for yes in [
        "7",
        "13",
        "- 7 -",
        "Page 7",
        "page 12 of 40",
        "7/20",
        "xiv",
        "— 3 —",
    ] {
        assert!(is_folio(yes), "{yes}");
    }
    for no in [
        "7.1",
        "2.17. User",
        "Chapter 7",
        "I",
        "MIX",
        "1234567",
        "of 7",
        "",
    ] {
        assert!(!is_folio(no), "{no}");
    }
}
