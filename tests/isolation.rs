//! Documents are read in a child process (`gloss --extract-worker`): what
//! it gives is exactly what reading in-process gives, and a file that
//! crashes a third-party parser costs the open, with a message, never the
//! program.

mod common;

use common::gloss;
use gloss::extract::{ExtractError, Kind, extract_with, isolate};
use gloss::sample::pdf::{Page, encrypted, pdf};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// A PDF whose page dictionary holds an array nested `depth` deep: the
/// PDF parser Gloss uses recurses into it until the stack runs out.
fn nested_pdf(depth: usize) -> Vec<u8> {
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let content = "BT /F1 12 Tf 72 720 Td (Hello deep world) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep {deep} \
             /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[test]
fn a_file_that_crashes_its_parser_is_refused_and_gloss_lives_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.pdf"), nested_pdf(100_000)).unwrap();
    let html = format!(
        "<html><body>{}deep{}</body></html>",
        "<span>".repeat(100_000),
        "</span>".repeat(100_000)
    );
    std::fs::write(dir.path().join("deep.html"), html).unwrap();

    let started = Instant::now();
    let out = gloss(&["text", "deep.pdf"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    // An exit code, not a signal: the program said why and ended itself.
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(err.contains("PDF reader stopped on it"), "{err}");
    assert!(err.contains("nested too deeply"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));

    let out = gloss(&["text", "deep.html"], dir.path());
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "deep");
}

/// One test, as the worker is set once per process: every result read
/// here first, then again through the worker.
#[test]
fn reading_through_the_worker_gives_exactly_what_reading_here_gives() {
    let pages: Vec<Page> = (1..=4)
        .map(|n| {
            Page::default()
                .line(60.0, 800.0, 9.0, "Annual report 2026")
                .line(60.0, 760.0, 14.0, &format!("Part {n}"))
                .block(
                    60.0,
                    730.0,
                    10.0,
                    &["“Curly” — café 👩\u{200d}🔬,", "مرحبا بكم, 日本語."],
                )
                .line(290.0, 40.0, 9.0, &n.to_string())
        })
        .collect();
    let report = pdf(&pages);
    let locked = encrypted(&pages[..1], "secret", "owner");
    let page = "<html><head><title>Page</title></head><body><h1>Head</h1>\
                <p>One <em>two</em> <code>three</code></p><blockquote>q</blockquote></body></html>";
    let cases: Vec<(Kind, &[u8], Option<&str>)> = vec![
        (Kind::Pdf, &report, None),
        (Kind::Pdf, &locked, None),
        (Kind::Pdf, &locked, Some("wrong")),
        (Kind::Pdf, &locked, Some("secret")),
        (Kind::Html, page.as_bytes(), None),
        (Kind::Docx, b"not a zip", None),
    ];
    let describe = |r: Result<gloss::extract::Extracted, ExtractError>| match r {
        Ok(e) => format!(
            "{:?} {:?} {} {:?} {:?}",
            e.text, e.title, e.extractor, e.blocks, e.elements
        ),
        Err(e) => format!("error: {e}"),
    };
    let here: Vec<String> = cases
        .iter()
        .map(|(kind, bytes, pw)| describe(extract_with(*kind, bytes, *pw, &|_| ())))
        .collect();
    assert!(
        here[0].contains("Part 4") && here[0].contains("Running"),
        "{}",
        here[0]
    );
    assert!(here[1].contains("password"), "{}", here[1]);
    assert!(here[4].contains("/html/body/h1"), "{}", here[4]);

    // GLOSS_EXTRACT_IN_PROCESS turns the worker off, which this tests.
    if std::env::var_os("GLOSS_EXTRACT_IN_PROCESS").is_some() {
        panic!("unset GLOSS_EXTRACT_IN_PROCESS to test reading through the worker");
    }
    assert!(isolate::worker().is_none());
    isolate::use_worker(env!("CARGO_BIN_EXE_gloss").into());
    assert!(isolate::worker().is_some());
    let last = Cell::new(0.0f32);
    let calls = Cell::new(0);
    let progress = |p: f32| {
        last.set(p);
        calls.set(calls.get() + 1);
    };
    let there: Vec<String> = cases
        .iter()
        .map(|(kind, bytes, pw)| describe(extract_with(*kind, bytes, *pw, &progress)))
        .collect();
    assert_eq!(here, there);
    // The report's progress came over the pipe, page by page.
    assert!(calls.get() >= 4, "{}", calls.get());
    assert_eq!(last.get(), 1.0);
}
