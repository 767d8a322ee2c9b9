//! brat standoff: `DOC.ann` beside a copy of the text `DOC.txt`, and an
//! `annotation.conf` listing the tags.
//!
//! brat reads the `.txt` with universal newlines, so a CRLF is one char
//! there. The copy is written with LF line endings and the `.ann` offsets
//! (code points, end exclusive) count that copy. A span crossing a line
//! break becomes discontinuous fragments, so every `T` line's text field is
//! the copy's text at its offsets (fragments joined by a space).
//!
//! One `T` line per tag (`Highlight` for untagged highlights); the note is an
//! `AnnotatorNotes` comment on the first, with `\`, newline and tab escaped
//! as `\\`, `\n`, `\t`; a `GlossId` comment on each `T` keeps the annotation id.
//! Tag names are made brat-safe reversibly: anything but letters, digits and
//! `-` becomes `_xHEX_` (so `key point` is `key_x20_point`).

use super::{FormatError, Imported, Source};
use crate::model::{Annotation, AnnotationId, CharRange, Document};
use std::collections::BTreeMap;

pub const UNTAGGED: &str = "Highlight";

/// Text as brat sees it: CRLF and lone CR become LF.
pub fn lf_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Offsets of the document ↔ offsets of its LF copy.
struct LineEnds {
    /// Char offset (in the document) of the CR of each CRLF.
    crlf: Vec<usize>,
    /// Where each of those CRs is in the LF copy (`crlf[k] - k`).
    in_copy: Vec<usize>,
}

impl LineEnds {
    fn new(doc: &Document) -> Self {
        let crlf = doc
            .lines()
            .iter()
            .filter(|l| l.next == l.end + 2)
            .map(|l| l.end)
            .collect::<Vec<usize>>();
        let in_copy = crlf.iter().enumerate().map(|(k, cr)| cr - k).collect();
        Self { crlf, in_copy }
    }

    fn lf_offset(&self, offset: usize) -> usize {
        offset - self.crlf.partition_point(|cr| cr + 1 < offset)
    }

    fn doc_offset(&self, lf: usize) -> usize {
        // The k-th CRLF sits at `cr - k` in the copy: a binary search, not
        // a scan per annotation.
        lf + self.in_copy.partition_point(|at| *at < lf)
    }
}

pub fn safe_name(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            out.push_str(&format!("_x{:X}_", c as u32));
        }
    }
    if out.is_empty() { "_x_".into() } else { out }
}

pub fn unsafe_name(name: &str) -> String {
    let mut out = String::new();
    let mut rest = name;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('_').and_then(|j| {
            u32::from_str_radix(&after[..j], 16)
                .ok()
                .and_then(char::from_u32)
                .map(|c| (c, j))
        }) {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push_str("_x");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape_note(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn unescape_note(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The three files: `BASE.ann`, `BASE.txt`, `annotation.conf`.
pub fn export(source: &Source<'_>, stem: &str) -> Vec<(String, Vec<u8>)> {
    let base = std::path::Path::new(stem)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| stem.to_string());
    let copy = Document::new(format!("{base}.txt"), lf_text(source.doc.text()));
    let ends = LineEnds::new(source.doc);
    let mut ann = String::new();
    let (mut t, mut c) = (0, 0);
    for a in source.anchored() {
        let range = CharRange::new(ends.lf_offset(a.start), ends.lf_offset(a.end));
        // Only the lines the span touches (not every line per annotation).
        let (first, last) = (copy.line_of(range.start), copy.line_of(range.end));
        let fragments: Vec<CharRange> = (first..=last)
            .map(|i| copy.line(i).range())
            .filter_map(|l| l.intersect(&range))
            .collect();
        if fragments.is_empty() {
            continue;
        }
        let spans: Vec<String> = fragments
            .iter()
            .map(|f| format!("{} {}", f.start, f.end))
            .collect();
        let text: Vec<&str> = fragments.iter().map(|f| copy.slice(*f)).collect();
        let tags: Vec<&str> = if a.tags.is_empty() {
            vec![UNTAGGED]
        } else {
            a.tags.iter().map(String::as_str).collect()
        };
        for (i, tag) in tags.iter().enumerate() {
            t += 1;
            let kind = if *tag == UNTAGGED && a.tags.is_empty() {
                UNTAGGED.to_string()
            } else {
                safe_name(tag)
            };
            ann.push_str(&format!(
                "T{t}\t{kind} {}\t{}\n",
                spans.join(";"),
                text.join(" ")
            ));
            c += 1;
            ann.push_str(&format!("#{c}\tGlossId T{t}\t{}\n", a.id));
            if i == 0 && !a.note.is_empty() {
                c += 1;
                ann.push_str(&format!(
                    "#{c}\tAnnotatorNotes T{t}\t{}\n",
                    escape_note(&a.note)
                ));
            }
        }
    }
    let mut conf =
        String::from("# Written by Gloss: the codebook's tags as brat entity types.\n[entities]\n");
    for tag in &source.codebook.tags {
        conf.push_str(&safe_name(&tag.name));
        conf.push('\n');
    }
    let used_untagged = source.anchored().any(|a| a.tags.is_empty());
    let unknown: std::collections::BTreeSet<&str> = source
        .anchored()
        .flat_map(|a| a.tags.iter())
        .filter(|t| source.codebook.get(t).is_none())
        .map(String::as_str)
        .collect();
    for t in unknown {
        conf.push_str(&safe_name(t));
        conf.push('\n');
    }
    if used_untagged {
        conf.push_str(UNTAGGED);
        conf.push('\n');
    }
    conf.push_str("[relations]\n<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\n[attributes]\n");
    vec![
        (format!("{base}.ann"), ann.into_bytes()),
        (format!("{base}.txt"), copy.text().as_bytes().to_vec()),
        ("annotation.conf".into(), conf.into_bytes()),
    ]
}

/// Reads a `.ann` whose offsets count `doc` with universal newlines.
pub fn import(doc: &Document, bytes: &[u8]) -> Result<Imported, FormatError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| FormatError::Invalid(format!("the .ann file is not UTF-8: {e}")))?;
    let copy = Document::new("copy", lf_text(doc.text()));
    let ends = LineEnds::new(doc);
    let mut out = Imported::default();
    // T id → (range in doc, tag)
    let mut spans: BTreeMap<String, (CharRange, Option<String>, usize)> = BTreeMap::new();
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut other = 0;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.splitn(3, '\t').collect();
        match line.chars().next() {
            Some('T') => match parse_t(&copy, &fields) {
                Ok((lf, kind)) => {
                    let range = CharRange::new(ends.doc_offset(lf.start), ends.doc_offset(lf.end));
                    if doc.snap_to_graphemes(range) != range {
                        out.skipped.push(format!(
                            "line {line_no}: offsets {lf} split the character “{}”",
                            doc.slice(doc.snap_to_graphemes(range))
                        ));
                        continue;
                    }
                    let tag = (kind != UNTAGGED).then(|| unsafe_name(kind));
                    spans.insert(fields[0].to_string(), (range, tag, line_no));
                }
                Err(why) => out.skipped.push(format!("line {line_no}: {why}")),
            },
            Some('#') if fields.len() == 3 => {
                let mut head = fields[1].split(' ');
                match (head.next(), head.next()) {
                    (Some("AnnotatorNotes"), Some(target)) => {
                        notes.insert(target.to_string(), unescape_note(fields[2]));
                    }
                    (Some("GlossId"), Some(target)) => {
                        ids.insert(target.to_string(), fields[2].trim().to_string());
                    }
                    _ => other += 1,
                }
            }
            _ => other += 1,
        }
    }
    if other > 0 {
        out.skipped.push(format!("{other} line(s) that are not text-bound annotations or notes (relations, events, attributes) were not imported"));
    }
    // Group T lines into annotations: by GlossId, else by identical span.
    let mut groups: BTreeMap<(usize, String), Annotation> = BTreeMap::new();
    let now = time::OffsetDateTime::now_utc();
    for (tid, (range, tag, line_no)) in spans {
        let key = match ids.get(&tid) {
            Some(id) => (0, id.clone()),
            None => (1, format!("{:020}-{:020}", range.start, range.end)),
        };
        let a = groups.entry(key.clone()).or_insert_with(|| {
            let mut a = Annotation::new(doc, range, Vec::new(), "", now);
            if key.0 == 0 {
                a.id = AnnotationId(key.1.clone());
            }
            a
        });
        if a.range() != range {
            out.skipped.push(format!(
                "line {line_no}: {tid} shares its GlossId with a different span; ignored"
            ));
            continue;
        }
        if let Some(t) = tag
            && !a.tags.contains(&t)
        {
            a.tags.push(t);
        }
        if let Some(note) = notes.get(&tid) {
            if !a.note.is_empty() {
                a.note.push_str("\n\n");
            }
            a.note.push_str(note);
        }
    }
    out.annotations = groups.into_values().collect();
    out.annotations
        .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    Ok(out)
}

/// A `T` line's span (in the LF copy) and type, checked against the text.
fn parse_t<'l>(copy: &Document, fields: &[&'l str]) -> Result<(CharRange, &'l str), String> {
    let [_, head, text] = fields else {
        return Err("a T line needs three tab-separated fields".into());
    };
    let (kind, spans) = head
        .split_once(' ')
        .ok_or("a T line needs a type and offsets")?;
    let mut fragments = Vec::new();
    for span in spans.split(';') {
        let mut it = span.split_whitespace().map(str::parse::<usize>);
        match (it.next(), it.next(), it.next()) {
            (Some(Ok(s)), Some(Ok(e)), None) if s < e => fragments.push(CharRange::new(s, e)),
            _ => return Err(format!("“{span}” is not a pair of offsets start < end")),
        }
    }
    let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
        return Err("no offsets".into());
    };
    if last.end > copy.char_len() {
        return Err(format!(
            "offsets {}..{} are outside the document ({} chars with universal newlines)",
            first.start,
            last.end,
            copy.char_len()
        ));
    }
    let actual: Vec<&str> = fragments.iter().map(|f| copy.slice(*f)).collect();
    if actual.join(" ") != *text {
        return Err(format!(
            "the text field “{text}” does not match the document at these offsets (“{}”)",
            actual.join(" ")
        ));
    }
    Ok((CharRange::new(first.start, last.end), kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;

    #[test]
    fn names_are_made_safe_reversibly() {
        for n in ["key point", "a_b", "_x41_", "émotion", "x/y", ""] {
            let safe = safe_name(n);
            assert!(!safe.contains(' ') && !safe.is_empty(), "{safe}");
            if !n.is_empty() {
                assert_eq!(unsafe_name(&safe), n);
            }
        }
    }

    #[test]
    fn export_counts_lf_copy_and_splits_spans_at_line_breaks() {
        let f = testdata::Fixture::new();
        let src = f.source();
        let files = export(&src, "tricky.txt");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["tricky.ann", "tricky.txt", "annotation.conf"]);
        let txt = String::from_utf8(files[1].1.clone()).unwrap();
        assert!(!txt.contains('\r'));
        let ann = String::from_utf8(files[0].1.clone()).unwrap();
        let copy: Vec<char> = txt.chars().collect();
        for line in ann.lines().filter(|l| l.starts_with('T')) {
            let f: Vec<&str> = line.splitn(3, '\t').collect();
            let (_, spans) = f[1].split_once(' ').unwrap();
            let pieces: Vec<String> = spans
                .split(';')
                .map(|s| {
                    let v: Vec<usize> = s.split(' ').map(|n| n.parse().unwrap()).collect();
                    copy[v[0]..v[1]].iter().collect()
                })
                .collect();
            assert_eq!(pieces.join(" "), f[2], "{line}");
        }
        assert!(ann.contains("\tevidence 27 33;34 38\ttwice. Café"), "{ann}");
        assert!(ann.contains("key_x20_point"), "{ann}");
        assert!(ann.contains("\\n"), "multi-line notes are escaped: {ann}");
        let conf = String::from_utf8(files[2].1.clone()).unwrap();
        assert!(
            conf.contains(
                "[entities]\nclaim\nsource\nevidence\nquestion\nkey_x20_point\nHighlight\n"
            ),
            "{conf}"
        );
    }

    #[test]
    fn round_trip_keeps_ids_ranges_tags_notes() {
        let f = testdata::Fixture::new();
        let (doc, anns, src) = (&f.doc, &f.annotations, f.source());
        let files = export(&src, "tricky.txt");
        let back = import(doc, &files[0].1).unwrap();
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        let key = |a: &Annotation| {
            (
                a.id.clone(),
                a.start,
                a.end,
                a.tags.clone(),
                a.note.clone(),
                a.quote.clone(),
            )
        };
        assert_eq!(
            back.annotations.iter().map(key).collect::<Vec<_>>(),
            anns.iter().map(key).collect::<Vec<_>>()
        );
    }

    #[test]
    fn foreign_and_hostile_lines() {
        let doc = Document::new("t", "ab\r\ncd 👍🏽 ef".into());
        let ann = "T1\tPerson 3 5\tcd\nT2\tOrg 3 5\tcd\nT3\tX 0 99\tzz\nT4\tX 0 1\twrong\nT5\tX a b\tab\nR1\tRel Arg1:T1 Arg2:T2\nT6\tX 6 7\t👍\nT7 broken\n";
        let got = import(&doc, ann.as_bytes()).unwrap();
        assert_eq!(got.annotations.len(), 1, "{:?}", got.skipped);
        let a = &got.annotations[0];
        assert_eq!(
            (a.start, a.end, a.quote.as_str()),
            (4, 6, "cd"),
            "LF offsets map back past the CRLF"
        );
        assert_eq!(
            a.tags,
            ["Person", "Org"],
            "same span, two types: one annotation"
        );
        let why = got.skipped.join("\n");
        for expect in [
            "outside the document",
            "does not match",
            "not a pair",
            "split the character",
            "not imported",
            "three tab-separated",
        ] {
            assert!(why.contains(expect), "{expect}: {why}");
        }
        assert!(import(&doc, &[0xff, 0xfe]).is_err());
    }
}
