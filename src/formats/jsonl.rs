//! JSONL for NLP tools (doccano / spaCy style): one line per document,
//! `{"text": ..., "label": [[start, end, "tag"], ...]}`, offsets in code
//! points, end exclusive, one label per tag (untagged highlights are not
//! labels). Gloss adds `"gloss"`: the document name and each annotation's
//! id, range, tags, note, author and times, so nothing is lost.

use super::{FormatError, Imported, Source, parse_time, rfc3339};
use crate::model::{Annotation, AnnotationId, CharRange, Document};
use serde_json::{Value, json};

pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    let mut labels = Vec::new();
    let mut extra = Vec::new();
    for a in source.anchored() {
        for t in &a.tags {
            labels.push(json!([a.start, a.end, t]));
        }
        extra.push(json!({
            "id": a.id.0, "start": a.start, "end": a.end, "tags": a.tags, "note": a.note,
            "author": a.author, "created": rfc3339(a.created), "modified": rfc3339(a.modified),
        }));
    }
    let line = json!({
        "text": source.doc.text(),
        "label": labels,
        "gloss": {"document": source.doc.name, "annotations": extra},
    });
    let mut out = serde_json::to_vec(&line)?;
    out.push(b'\n');
    Ok(out)
}

/// Reads the line whose `text` is the document (or, failing that, the first
/// line, placing its spans by quote).
pub fn import(doc: &Document, bytes: &[u8]) -> Result<Imported, FormatError> {
    const EXPECTED: &str = "a JSON Lines file (one JSON object per line)";
    let text = std::str::from_utf8(bytes)
        .map_err(|e| super::sniff::not_a(EXPECTED, bytes, format!("not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line).map_err(|e| match lines.is_empty() {
            // Not JSON from its first line: another kind of file.
            true if !line.trim_start().starts_with('{') => super::sniff::not_a(EXPECTED, bytes, &e),
            _ => FormatError::Invalid(format!("line {}: not JSON ({e})", i + 1)),
        })?;
        lines.push((i + 1, v));
    }
    let Some(pos) = lines
        .iter()
        .position(|(_, v)| v.get("text").and_then(Value::as_str) == Some(doc.text()))
        .or((!lines.is_empty()).then_some(0))
    else {
        return Err(FormatError::Invalid("the file has no lines".into()));
    };
    let (line_no, v) = &lines[pos];
    let source_text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| FormatError::Invalid(format!("line {line_no} has no \"text\"")))?;
    let source = Document::new("jsonl", source_text.to_string());
    let same = source_text == doc.text();
    let mut out = Imported::default();
    if lines.len() > 1 {
        out.skipped.push(format!(
            "{} other document line(s) were not for this document",
            lines.len() - 1
        ));
    }
    let now = time::OffsetDateTime::now_utc();
    // Spans are read on the line's own text (their quote and context);
    // when that is not this document's, they are placed here at the end as
    // re-anchoring places them, and what cannot be is kept as an orphan.
    let on: &Document = if same { doc } else { &source };
    let locate = |r: CharRange| -> Result<CharRange, String> {
        super::check_range(&source, r)?;
        Ok(r)
    };
    if let Some(anns) = v.pointer("/gloss/annotations").and_then(Value::as_array) {
        for (i, g) in anns.iter().enumerate() {
            let n = |k| g.get(k).and_then(Value::as_u64).map(|n| n as usize);
            let s = |k| {
                g.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let (Some(start), Some(end)) = (n("start"), n("end")) else {
                out.skipped
                    .push(format!("gloss annotation {}: no start/end", i + 1));
                continue;
            };
            match locate(CharRange::new(start, end)) {
                Ok(range) => {
                    let tags = g
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|t| {
                            t.iter()
                                .filter_map(|t| t.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    let created = parse_time(&s("created")).unwrap_or(now);
                    let mut a = Annotation::new(on, range, tags, &s("author"), created);
                    if !s("id").is_empty() {
                        a.id = AnnotationId(s("id"));
                    }
                    a.note = s("note");
                    a.modified = parse_time(&s("modified")).unwrap_or(created);
                    out.annotations.push(a);
                }
                Err(why) => out
                    .skipped
                    .push(format!("gloss annotation {}: {why}", i + 1)),
            }
        }
        if !same {
            out.said = super::place_imported(doc, &mut out.annotations);
        }
        return Ok(out);
    }
    // Plain doccano / spaCy labels: one annotation per span, labels merged
    // (found by range through a map: linear in the number of labels).
    let mut by_range: std::collections::HashMap<CharRange, usize> = Default::default();
    let labels = v
        .get("label")
        .or_else(|| v.get("labels"))
        .or_else(|| v.get("entities"));
    for (i, l) in labels
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let parsed = match l {
            Value::Array(x) if x.len() == 3 => (x[0].as_u64(), x[1].as_u64(), x[2].as_str()),
            Value::Object(_) => (
                l.get("start_offset")
                    .or_else(|| l.get("start"))
                    .and_then(Value::as_u64),
                l.get("end_offset")
                    .or_else(|| l.get("end"))
                    .and_then(Value::as_u64),
                l.get("label").and_then(Value::as_str),
            ),
            _ => (None, None, None),
        };
        let (Some(s), Some(e), Some(tag)) = parsed else {
            out.skipped
                .push(format!("label {}: expected [start, end, \"label\"]", i + 1));
            continue;
        };
        match locate(CharRange::new(s as usize, e as usize)) {
            Ok(range) => match by_range.get(&range) {
                Some(&k) => {
                    let a = &mut out.annotations[k];
                    if !a.has_tag(tag) {
                        a.tags.push(tag.to_string());
                    }
                }
                None => {
                    by_range.insert(range, out.annotations.len());
                    out.annotations.push(Annotation::new(
                        on,
                        range,
                        vec![tag.to_string()],
                        "",
                        now,
                    ));
                }
            },
            Err(why) => out.skipped.push(format!("label {}: {why}", i + 1)),
        }
    }
    if !same {
        out.said = super::place_imported(doc, &mut out.annotations);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;

    #[test]
    fn round_trip_keeps_everything() {
        let f = testdata::Fixture::new();
        let (doc, anns, src) = (&f.doc, &f.annotations, f.source());
        let bytes = export(&src).unwrap();
        assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 1, "one line");
        let back = import(doc, &bytes).unwrap();
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        assert_eq!(&back.annotations, anns);
    }

    #[test]
    fn doccano_labels_in_code_points() {
        let doc = Document::new("t", "😀 Ana met Bo.".into());
        let line = r#"{"text": "😀 Ana met Bo.", "label": [[2, 5, "PER"], [10, 12, "PER"], [2, 5, "SUBJ"], [0, 99, "X"], [1, 9]]}"#;
        let got = import(&doc, line.as_bytes()).unwrap();
        let q: Vec<(&str, Vec<String>)> = got
            .annotations
            .iter()
            .map(|a| (a.quote.as_str(), a.tags.clone()))
            .collect();
        assert_eq!(
            q,
            [
                ("Ana", vec!["PER".to_string(), "SUBJ".into()]),
                ("Bo", vec!["PER".into()])
            ]
        );
        assert_eq!(got.skipped.len(), 2, "{:?}", got.skipped);
        assert!(import(&doc, b"{broken").is_err());
        assert!(import(&doc, b"").is_err());
    }

    #[test]
    fn spans_of_another_text_are_placed_by_quote() {
        let doc = Document::new("t", "Intro. Ana met Bo.".into());
        let line = r#"{"text": "Ana met Bo.", "label": [[0, 3, "PER"]]}"#;
        let got = import(&doc, line.as_bytes()).unwrap();
        assert_eq!((got.annotations[0].start, got.annotations[0].end), (7, 10));
        assert!(
            got.said
                .iter()
                .any(|s| s.contains("1 found by their quote"))
        );
        // Text that is gone: kept as an orphan with its quote, not skipped.
        let other = Document::new("t", "Nobody here.".into());
        let got = import(&other, line.as_bytes()).unwrap();
        assert!(got.skipped.is_empty(), "{:?}", got.skipped);
        assert_eq!(got.annotations.len(), 1);
        assert!(got.annotations[0].is_orphaned());
        assert_eq!(got.annotations[0].quote, "Ana");
        assert!(got.said.iter().any(|s| s.contains("kept as orphans")));
    }
}
