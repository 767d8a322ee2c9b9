//! Opening what researchers have: extraction of a long PDF and a book.

use super::report::{Report, Table, mark, ms, once};
use gloss::extract::{Kind, extract};
use std::time::Duration;

pub fn extract_cases(quick: bool, report: &mut Report) {
    let mut t = Table::new(
        "Extraction: PDF reports and EPUB books",
        "Text extracted from generated files (`gloss::sample::pdf::report`: 45 lines of \
         prose a page with a running head and a page number; `gloss::sample::epub::book`: \
         prose in 40 KB chapters). Opening runs this on a background thread with progress. \
         Target: under 5 s for a 300-page PDF, under 1 s for a 1 MB EPUB.",
        &["file", "size", "text", "time", "target"],
    );
    report.start(&t);
    let pages = if quick { 30 } else { 300 };
    let pdf = gloss::sample::pdf::report(pages);
    let (took, got) = once(|| extract(Kind::Pdf, &pdf).expect("extracted"));
    t.row(vec![
        format!("PDF, {pages} pages"),
        kb(pdf.len()),
        kb(got.text.len()),
        ms(took),
        mark(took < Duration::from_secs(5) * pages as u32 / 300).into(),
    ]);
    let epub = gloss::sample::epub::book(if quick { 100_000 } else { 1_000_000 });
    let (took, got) = once(|| extract(Kind::Epub, &epub).expect("extracted"));
    t.row(vec![
        format!("EPUB, {} chapters", got.blocks.len().div_ceil(2)),
        kb(epub.len()),
        kb(got.text.len()),
        ms(took),
        mark(took < Duration::from_secs(1)).into(),
    ]);
    report.add(t);
}

fn kb(n: usize) -> String {
    format!("{} KB", n / 1024)
}
