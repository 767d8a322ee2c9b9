//! An Excel workbook (`.xlsx`), what QDA users open first: an
//! "Annotations" sheet with the CSV's columns (one row per annotation ×
//! code, orphans last without offsets) and a "Codebook" sheet (code, parent,
//! colour, description, key). Every text cell is written as text, never as
//! a formula, so a quote beginning with `=` stays a quote: safe by
//! construction. Offsets are code points, end exclusive, written as
//! numbers.

use super::{FormatError, Source, rfc3339};
use rust_xlsxwriter::{Format, Workbook};

pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Annotations")?;
    for (c, h) in super::csv::HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let placed = source.annotations.iter().filter(|a| !a.is_orphaned());
    let orphans = source.annotations.iter().filter(|a| a.is_orphaned());
    let mut row: u32 = 1;
    for a in placed.chain(orphans) {
        let page = source.doc.structure().page_of(a.start);
        let tags: Vec<&str> = if a.tags.is_empty() {
            vec![""]
        } else {
            a.tags.iter().map(String::as_str).collect()
        };
        for tag in tags {
            let text = [
                (0, source.doc.name.as_str()),
                (1, a.id.0.as_str()),
                (4, a.quote.as_str()),
                (5, tag),
                (6, a.note.as_str()),
                (7, a.author.as_str()),
            ];
            for (c, value) in text {
                sheet.write_string(row, c, value)?;
            }
            sheet.write_string(row, 8, rfc3339(a.created))?;
            sheet.write_string(row, 9, rfc3339(a.modified))?;
            sheet.write_boolean(row, 10, !a.is_orphaned())?;
            if !a.is_orphaned() {
                sheet.write_number(row, 2, a.start as f64)?;
                sheet.write_number(row, 3, a.end as f64)?;
                if let Some(p) = page {
                    sheet.write_number(row, 11, p as f64)?;
                }
            }
            row += 1;
        }
    }
    let codes = book.add_worksheet();
    codes.set_name("Codebook")?;
    for (c, h) in ["code", "parent", "colour", "description", "key"]
        .iter()
        .enumerate()
    {
        codes.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, t) in source.codebook.tags.iter().enumerate() {
        let r = i as u32 + 1;
        codes.write_string(r, 0, &t.name)?;
        codes.write_string(r, 1, t.parent.as_deref().unwrap_or_default())?;
        codes.write_string(r, 2, &t.color)?;
        codes.write_string(r, 3, &t.description)?;
        if let Some(k) = source.codebook.key_of(i) {
            codes.write_number(r, 4, k as f64)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_workbook_of_annotations_and_codebook_where_text_is_never_a_formula() {
        let mut f = testdata::Fixture::new();
        f.annotations[0].note = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
        let src = f.source();
        let bytes = export(&src).unwrap();
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(
            workbook.contains("name=\"Annotations\"") && workbook.contains("name=\"Codebook\"")
        );
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"), "no formulas");
        let strings = part(&bytes, "xl/sharedStrings.xml");
        assert!(
            strings.contains("=HYPERLINK(\"http://evil.example\""),
            "as text: {strings}"
        );
        // One row per annotation × code, after the header.
        let rows: usize = src.annotations.iter().map(|a| a.tags.len().max(1)).sum();
        assert_eq!(sheet.matches("<row ").count(), rows + 1);
        let codebook = part(&bytes, "xl/worksheets/sheet2.xml");
        assert_eq!(
            codebook.matches("<row ").count(),
            src.codebook.tags.len() + 1
        );
        for t in &src.codebook.tags {
            assert!(strings.contains(&t.name), "{}", t.name);
        }
    }
}
