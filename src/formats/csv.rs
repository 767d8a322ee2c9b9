//! CSV for spreadsheets, R and pandas: one row per annotation × tag
//! (untagged highlights get one row with an empty tag). RFC 4180 quoting,
//! UTF-8. `start`/`end` are code points, end exclusive. Annotations whose
//! quote is no longer in the text (orphans) come after all the others, with
//! `anchored` false and no offsets: their old ones would point at other words.
//! `page` is the PDF page a passage starts on (empty for other documents).
//!
//! Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` as a
//! formula (CSV injection): the text annotated comes from outside, so such
//! cells get a leading `'`, as OWASP recommends, unless the export is raw
//! (`gloss export --raw`, for scripts). Numbers are left as they are.

use super::{FormatError, Source, rfc3339};
use std::borrow::Cow;

/// A cell a spreadsheet will not run: text beginning with a formula
/// character (or a tab or carriage return, which some strip before
/// looking) gets a leading `'`; numbers stay numbers.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

pub const HEADER: [&str; 12] = [
    "document", "id", "start", "end", "quote", "tag", "note", "author", "created", "modified",
    "anchored", "page",
];

/// The CSV, safe to open in a spreadsheet.
pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    export_with(source, false)
}

/// The CSV with every cell exactly as the text has it, for scripts.
pub fn export_raw(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    export_with(source, true)
}

fn export_with(source: &Source<'_>, raw: bool) -> Result<Vec<u8>, FormatError> {
    let cell = |s: &'_ str| -> String {
        if raw {
            s.to_string()
        } else {
            safe_cell(s).into_owned()
        }
    };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    let placed = source.annotations.iter().filter(|a| !a.is_orphaned());
    let orphans = source.annotations.iter().filter(|a| a.is_orphaned());
    for a in placed.chain(orphans) {
        let (start, end) = if a.is_orphaned() {
            (String::new(), String::new())
        } else {
            (a.start.to_string(), a.end.to_string())
        };
        // The PDF page the passage starts on (empty for unpaged documents).
        let page = match source.doc.structure().page_of(a.start) {
            Some(p) if !a.is_orphaned() => p.to_string(),
            _ => String::new(),
        };
        let tags: Vec<&str> = if a.tags.is_empty() {
            vec![""]
        } else {
            a.tags.iter().map(String::as_str).collect()
        };
        for tag in tags {
            w.write_record([
                cell(&source.doc.name).as_str(),
                &a.id.0,
                &start,
                &end,
                &cell(&a.quote),
                &cell(tag),
                &cell(&a.note),
                &cell(&a.author),
                &rfc3339(a.created),
                &rfc3339(a.modified),
                if a.is_orphaned() { "false" } else { "true" },
                &page,
            ])?;
        }
    }
    w.into_inner().map_err(|e| FormatError::Io(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;

    #[test]
    fn one_row_per_tag_with_exact_offsets_and_multiline_notes() {
        let f = testdata::Fixture::new();
        let (doc, src) = (&f.doc, f.source());
        let bytes = export(&src).unwrap();
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<::csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            rows.len(),
            7,
            "annotation 2 has two tags, annotation 4 none"
        );
        for row in &rows {
            let (s, e): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
            assert_eq!(
                doc.slice(crate::model::CharRange::new(s, e)),
                &row[4],
                "offsets are code points"
            );
        }
        assert_eq!(&rows[1][5], "claim");
        assert_eq!(&rows[2][5], "key point");
        assert_eq!(&rows[1][6], "line one\nline “two”, with comma");
        assert_eq!(&rows[4][5], "", "untagged highlight");
        assert_eq!(&rows[0][8], "2026-11-29T12:00:00Z");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised_unless_raw() {
        let doc = crate::model::Document::new(
            "=cmd.txt",
            "=HYPERLINK(\"http://evil.example\",\"click\") and -5 and text".into(),
        );
        let mut a = crate::model::Annotation::new(
            &doc,
            crate::model::CharRange::new(0, 41),
            vec!["@code".into()],
            "+ann",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        a.note = "+cmd|' /C calc'!A0".into();
        let cb = crate::model::Codebook::default();
        let src = Source {
            doc: &doc,
            codebook: &cb,
            annotations: vec![&a],
            uri: "file:///x".into(),
            memo: "",
        };
        let row = |bytes: Vec<u8>| -> Vec<String> {
            let mut r = ::csv::Reader::from_reader(bytes.as_slice());
            let rec = r.records().next().unwrap().unwrap();
            rec.iter().map(str::to_string).collect()
        };
        let safe = row(export(&src).unwrap());
        assert_eq!(safe[0], "'=cmd.txt");
        assert_eq!(safe[4], "'=HYPERLINK(\"http://evil.example\",\"click\")");
        assert_eq!(
            (safe[5].as_str(), safe[6].as_str()),
            ("'@code", "'+cmd|' /C calc'!A0")
        );
        assert_eq!(safe[7], "'+ann");
        let raw = row(export_raw(&src).unwrap());
        assert_eq!(raw[4], "=HYPERLINK(\"http://evil.example\",\"click\")");
        assert_eq!(raw[6], "+cmd|' /C calc'!A0");
        assert_eq!(safe_cell("-5"), "-5", "numbers stay numbers");
        assert_eq!(safe_cell("-0.25"), "-0.25");
        assert_eq!(safe_cell("- a list"), "'- a list");
        assert_eq!(safe_cell("plain"), "plain");
    }

    #[test]
    fn orphans_come_last_without_offsets() {
        let f = testdata::Fixture::with_first_orphaned();
        let (anns, src) = (&f.annotations, f.source());
        let bytes = export(&src).unwrap();
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<::csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        let last = rows.last().unwrap();
        assert_eq!(&last[1], anns[0].id.0.as_str());
        assert_eq!((&last[2], &last[3], &last[10]), ("", "", "false"));
        assert_eq!(&last[4], anns[0].quote.as_str(), "the quote is kept");
        assert!(rows[..rows.len() - 1].iter().all(|r| &r[10] == "true"));
    }
}
