//! W3C Web Annotation Data Model (JSON-LD, `http://www.w3.org/ns/anno.jsonld`).
//!
//! Export: one `AnnotationCollection` with an embedded first page. Each
//! annotation targets the document (`source`: its `file:` URI) with a
//! `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector`
//! (code points, end exclusive); tags are `TextualBody`s with purpose
//! `tagging`, the note one with purpose `commenting`. Orphaned annotations
//! keep only the quote selector.
//!
//! Import: a single annotation, an array, a collection or a page. Each one is
//! placed by position when the quote is there, else by quote and context.

use super::{FormatError, Imported, Source, parse_time};
use crate::model::{Annotation, AnnotationId, CharRange, Document};
use serde_json::Value;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const ID_PREFIX: &str = "urn:uuid:";
/// RFC 3778's PDF fragment identifiers (`page=N`), as W3C's
/// `FragmentSelector.conformsTo` names them.
pub const PDF_FRAGMENT: &str = "http://tools.ietf.org/rfc/rfc3778";

pub fn export(source: &Source<'_>) -> Result<Vec<u8>, FormatError> {
    let id = format!("{}#annotations", source.uri);
    // Typed and borrowed rather than a `serde_json::Value` tree: 100,000
    // annotations export in a fraction of the time. Keys are in the order
    // `Value` sorts them, so the file is unchanged.
    let items: Vec<out::Annotation<'_>> = source
        .annotations
        .iter()
        .map(|a| out::Annotation::new(source, a))
        .collect();
    let collection = out::Collection {
        context: CONTEXT,
        first: out::Page {
            context: CONTEXT,
            id: format!("{id}-page1"),
            items,
            start_index: 0,
            kind: "AnnotationPage",
        },
        id: id.clone(),
        label: format!("Annotations of {}", source.doc.name),
        total: source.annotations.len(),
        kind: "AnnotationCollection",
    };
    let mut out = Vec::with_capacity(source.annotations.len() * 900 + 1024);
    serde_json::to_writer_pretty(&mut out, &collection)?;
    out.push(b'\n');
    Ok(out)
}

/// What an export writes, borrowed from the annotations.
mod out {
    use super::{ID_PREFIX, Source};
    use crate::formats::rfc3339;
    use serde::Serialize;

    #[derive(Serialize)]
    pub struct Collection<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        pub first: Page<'a>,
        pub id: String,
        pub label: String,
        pub total: usize,
        #[serde(rename = "type")]
        pub kind: &'static str,
    }

    #[derive(Serialize)]
    pub struct Page<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        pub id: String,
        pub items: Vec<Annotation<'a>>,
        #[serde(rename = "startIndex")]
        pub start_index: usize,
        #[serde(rename = "type")]
        pub kind: &'static str,
    }

    #[derive(Serialize)]
    pub struct Annotation<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        body: Vec<Body<'a>>,
        created: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        creator: Option<Person<'a>>,
        #[serde(rename = "gloss:anchoring", skip_serializing_if = "Option::is_none")]
        anchoring: Option<&'static str>,
        id: String,
        modified: String,
        motivation: &'static str,
        target: Target<'a>,
        #[serde(rename = "type")]
        kind: &'static str,
    }

    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<&'static str>,
        purpose: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: &'a str,
    }

    #[derive(Serialize)]
    struct Person<'a> {
        name: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
    }

    #[derive(Serialize)]
    struct Target<'a> {
        selector: Vec<Selector<'a>>,
        source: &'a str,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Selector<'a> {
        Quote {
            exact: &'a str,
            prefix: &'a str,
            suffix: &'a str,
            #[serde(rename = "type")]
            kind: &'static str,
        },
        Position {
            end: usize,
            start: usize,
            #[serde(rename = "type")]
            kind: &'static str,
        },
        Fragment {
            #[serde(rename = "conformsTo")]
            conforms_to: &'static str,
            #[serde(rename = "type")]
            kind: &'static str,
            value: String,
        },
        XPath {
            #[serde(rename = "type")]
            kind: &'static str,
            value: &'a str,
        },
    }

    impl<'a> Annotation<'a> {
        pub fn new(source: &'a Source<'_>, a: &'a crate::model::Annotation) -> Self {
            let mut body: Vec<Body<'a>> = a
                .tags
                .iter()
                .map(|t| Body {
                    format: None,
                    purpose: "tagging",
                    kind: "TextualBody",
                    value: t,
                })
                .collect();
            if !a.note.is_empty() {
                body.push(Body {
                    format: Some("text/plain"),
                    purpose: "commenting",
                    kind: "TextualBody",
                    value: &a.note,
                });
            }
            let mut selector = vec![Selector::Quote {
                exact: &a.quote,
                prefix: &a.prefix,
                suffix: &a.suffix,
                kind: "TextQuoteSelector",
            }];
            if !a.is_orphaned() {
                selector.push(Selector::Position {
                    end: a.end,
                    start: a.start,
                    kind: "TextPositionSelector",
                });
                if let Some(page) = source.doc.structure().page_of(a.start) {
                    selector.push(Selector::Fragment {
                        conforms_to: super::PDF_FRAGMENT,
                        kind: "FragmentSelector",
                        value: format!("page={page}"),
                    });
                }
                if let Some(xpath) = source.doc.structure().element_of(a.range()) {
                    selector.push(Selector::XPath {
                        kind: "XPathSelector",
                        value: xpath,
                    });
                }
            }
            Self {
                context: super::CONTEXT,
                body,
                created: rfc3339(a.created),
                creator: (!a.author.is_empty()).then_some(Person {
                    name: &a.author,
                    kind: "Person",
                }),
                anchoring: super::anchoring(a),
                id: format!("{ID_PREFIX}{}", a.id),
                modified: rfc3339(a.modified),
                motivation: super::motivation(a),
                target: Target {
                    selector,
                    source: &source.uri,
                },
                kind: "Annotation",
            }
        }
    }
}

/// Orphans carry only their quote; the marker says why (and fuzzy
/// placements say they await review), in Gloss's own term.
fn anchoring(a: &Annotation) -> Option<&'static str> {
    if a.is_orphaned() {
        Some("orphaned")
    } else if a.needs_review() {
        Some("fuzzy")
    } else {
        None
    }
}

fn motivation(a: &Annotation) -> &'static str {
    match (a.tags.is_empty(), a.note.is_empty()) {
        (true, true) => "highlighting",
        (false, true) => "tagging",
        _ => "commenting",
    }
}

pub fn import(doc: &Document, bytes: &[u8]) -> Result<Imported, FormatError> {
    // A byte-order mark (as Windows tools write) is not part of the JSON.
    let json = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(json)
        .map_err(|e| super::sniff::not_a("a W3C Web Annotation JSON file", bytes, e))?;
    let mut out = Imported::default();
    let mut items = Vec::new();
    collect(&value, &mut items, &mut out.skipped);
    // An empty collection or page is a valid file with nothing in it:
    // importing it adds nothing and is not an error (scripts import per
    // document). Anything unrecognised is reported in `skipped`.
    let now = time::OffsetDateTime::now_utc();
    for (i, item) in items.into_iter().enumerate() {
        match read_one(doc, item, now) {
            Ok(a) => out.annotations.push(a),
            Err(why) => {
                out.skipped
                    .push(format!("annotation {} ({}): {why}", i + 1, item_id(item)))
            }
        }
    }
    out.said = super::place_imported(doc, &mut out.annotations);
    Ok(out)
}

fn item_id(v: &Value) -> String {
    v.get("id")
        .and_then(Value::as_str)
        .unwrap_or("no id")
        .to_string()
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn collect<'v>(v: &'v Value, out: &mut Vec<&'v Value>, skipped: &mut Vec<String>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out, skipped)),
        Value::Object(_) => {
            let t = types(v);
            if t.contains(&"Annotation") {
                out.push(v);
            } else if t.contains(&"AnnotationCollection") {
                match v.get("first") {
                    Some(first @ Value::Object(_)) => collect(first, out, skipped),
                    Some(Value::String(url)) => skipped.push(format!(
                        "the collection's pages are elsewhere ({url}); import the page files"
                    )),
                    _ => {}
                }
            } else if t.contains(&"AnnotationPage") {
                if let Some(items) = v.get("items") {
                    collect(items, out, skipped);
                }
            } else {
                skipped.push(format!("an object of type {:?} is not an Annotation", t));
            }
        }
        _ => skipped.push("a value that is not an object was ignored".into()),
    }
}

fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

fn read_one(doc: &Document, v: &Value, now: time::OffsetDateTime) -> Result<Annotation, String> {
    let mut quote = None;
    let mut prefix = String::new();
    let mut suffix = String::new();
    let mut position = None;
    for target in as_list(v.get("target")) {
        for sel in as_list(target.get("selector")) {
            match sel.get("type").and_then(Value::as_str) {
                Some("TextQuoteSelector") => {
                    quote = sel.get("exact").and_then(Value::as_str).map(str::to_string);
                    prefix = sel
                        .get("prefix")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    suffix = sel
                        .get("suffix")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                }
                Some("TextPositionSelector") => {
                    let n = |k| sel.get(k).and_then(Value::as_u64).map(|n| n as usize);
                    match (n("start"), n("end")) {
                        (Some(s), Some(e)) if s < e => position = Some(CharRange::new(s, e)),
                        _ => {
                            return Err(
                                "TextPositionSelector needs whole numbers start < end".into()
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // With a quote, the selector's own quote and context are kept and the
    // position is a hint: `import` places them all as re-anchoring does.
    let range = match (position, &quote) {
        (_, Some(_)) => None,
        (Some(r), None) => {
            super::check_range(doc, r)?;
            Some(r)
        }
        (None, None) => {
            return Err("no TextQuoteSelector or TextPositionSelector on its target".into());
        }
    };
    let mut tags = Vec::new();
    let mut notes = Vec::new();
    if let Some(s) = v.get("bodyValue").and_then(Value::as_str) {
        notes.push(s.to_string());
    }
    for body in as_list(v.get("body")) {
        let value = match body {
            Value::String(s) => Some(s.as_str()),
            b => b.get("value").and_then(Value::as_str),
        };
        let Some(value) = value else { continue };
        let purposes = as_list(body.get("purpose"));
        if purposes.iter().any(|p| p.as_str() == Some("tagging")) {
            if !tags.iter().any(|t| t == value) {
                tags.push(value.to_string());
            }
        } else {
            notes.push(value.to_string());
        }
    }
    let author = match v.get("creator") {
        Some(Value::String(s)) => s.clone(),
        Some(c) => as_list(Some(c))
            .first()
            .and_then(|c| c.get("name").or_else(|| c.get("nickname")))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        None => String::new(),
    };
    let time = |k| v.get(k).and_then(Value::as_str).and_then(parse_time);
    let created = time("created").unwrap_or(now);
    let id = v
        .get("id")
        .and_then(Value::as_str)
        .map(|s| s.strip_prefix(ID_PREFIX).unwrap_or(s).to_string())
        .filter(|s| !s.is_empty())
        .map(AnnotationId)
        .unwrap_or_else(AnnotationId::random);
    let mut a = match (range, &quote) {
        (Some(r), _) => Annotation::new(doc, r, tags, &author, created),
        (None, q) => {
            let q = q.as_deref().unwrap_or_default();
            let mut a = super::unplaced(doc, position, q, &prefix, &suffix, &author, created);
            a.tags = tags;
            a
        }
    };
    a.id = id;
    a.note = notes.join("\n\n");
    a.modified = time("modified").unwrap_or(created);
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::formats::rfc3339;
    use serde_json::json;

    /// One annotation as a `serde_json::Value` (how export built it before;
    /// the tests check the typed export writes the same bytes).
    fn annotation(source: &Source<'_>, a: &Annotation) -> Value {
        let mut body: Vec<Value> = a
            .tags
            .iter()
            .map(|t| json!({"type": "TextualBody", "purpose": "tagging", "value": t}))
            .collect();
        if !a.note.is_empty() {
            body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/plain"}));
        }
        let mut selectors = vec![json!({
            "type": "TextQuoteSelector",
            "exact": a.quote,
            "prefix": a.prefix,
            "suffix": a.suffix,
        })];
        if !a.is_orphaned() {
            selectors.push(json!({"type": "TextPositionSelector", "start": a.start, "end": a.end}));
            if let Some(page) = source.doc.structure().page_of(a.start) {
                selectors.push(json!({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": format!("page={page}")}));
            }
            if let Some(xpath) = source.doc.structure().element_of(a.range()) {
                selectors.push(json!({"type": "XPathSelector", "value": xpath}));
            }
        }
        let anchoring = anchoring(a);
        let motivation = motivation(a);
        let mut v = json!({
            "@context": CONTEXT,
            "id": format!("{ID_PREFIX}{}", a.id),
            "type": "Annotation",
            "motivation": motivation,
            "created": rfc3339(a.created),
            "modified": rfc3339(a.modified),
            "target": {"source": source.uri, "selector": selectors},
        });
        if !a.author.is_empty() {
            v["creator"] = json!({"type": "Person", "name": a.author});
        }
        if let Some(state) = anchoring {
            v["gloss:anchoring"] = json!(state);
        }
        if !body.is_empty() {
            v["body"] = Value::Array(body);
        }
        v
    }

    #[test]
    fn the_typed_export_writes_what_the_value_tree_did() {
        let data = crate::formats::testdata::Fixture::new();
        let mut anns = data.annotations.clone();
        anns[0].anchoring = crate::model::Anchoring::Orphaned;
        anns[1].review = Some("was".into());
        anns[2].author.clear();
        anns[3].tags.clear();
        anns[3].note.clear();
        let mut source = data.source();
        source.annotations = anns.iter().collect();
        let items: Vec<Value> = anns.iter().map(|a| annotation(&source, a)).collect();
        let id = format!("{}#annotations", source.uri);
        let old = json!({
            "@context": CONTEXT,
            "id": id,
            "type": "AnnotationCollection",
            "label": format!("Annotations of {}", source.doc.name),
            "total": items.len(),
            "first": {
                "@context": CONTEXT,
                "id": format!("{id}-page1"),
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": items,
            },
        });
        let mut want = serde_json::to_vec_pretty(&old).unwrap();
        want.push(b'\n');
        let got = export(&source).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }
    use crate::formats::testdata;

    #[test]
    fn round_trip_keeps_ids_ranges_tags_notes_authors_times() {
        let f = testdata::Fixture::new();
        let back = import(&f.doc, &export(&f.source()).unwrap()).unwrap();
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        assert_eq!(back.annotations, f.annotations);
    }

    #[test]
    fn positions_are_code_points_and_orphans_keep_their_quote() {
        let mut f = testdata::Fixture::new();
        f.annotations[0].anchoring = crate::model::Anchoring::Orphaned;
        let v: Value = serde_json::from_slice(&export(&f.source()).unwrap()).unwrap();
        let items = v["first"]["items"].as_array().unwrap();
        assert_eq!(v["total"], 6);
        assert_eq!(
            items[0]["target"]["selector"].as_array().unwrap().len(),
            1,
            "orphan: quote only"
        );
        let pos = &items[1]["target"]["selector"][1];
        assert_eq!(pos["type"], "TextPositionSelector");
        assert_eq!(pos["start"], f.annotations[1].start);
        assert_eq!(items[1]["body"][1]["purpose"], "tagging");
    }

    #[test]
    fn imports_single_annotations_and_places_by_quote_when_positions_moved() {
        let doc = Document::new("t", "one two three two".into());
        let single = json!({
            "@context": CONTEXT, "id": "http://x/1", "type": "Annotation",
            "body": "just a note",
            "target": {"source": "http://x", "selector": [
                {"type": "TextPositionSelector", "start": 0, "end": 3},
                {"type": "TextQuoteSelector", "exact": "two", "prefix": "three "}
            ]}
        });
        let got = import(&doc, single.to_string().as_bytes()).unwrap();
        let a = &got.annotations[0];
        assert_eq!(
            (a.start, a.end, a.note.as_str(), a.id.0.as_str()),
            (14, 17, "just a note", "http://x/1")
        );
    }

    #[test]
    fn hostile_items_are_skipped_with_reasons() {
        let doc = Document::new("t", "a👍🏽b".into());
        let items = json!([
            {"type": "Annotation", "id": "1", "target": {"selector": {"type": "TextPositionSelector", "start": 1, "end": 99}}},
            {"type": "Annotation", "id": "2", "target": {"selector": {"type": "TextPositionSelector", "start": 1, "end": 2}}},
            {"type": "Annotation", "id": "3", "target": {"selector": {"type": "TextQuoteSelector", "exact": "zzz"}}},
            {"type": "Annotation", "id": "4", "target": "http://nothing"},
            {"type": "Annotation", "id": "5", "target": {"selector": {"type": "TextPositionSelector", "start": -1, "end": 2}}},
            {"type": "Annotation", "id": "6", "target": {"selector": {"type": "TextPositionSelector", "start": 1, "end": 3}}}
        ]);
        let got = import(&doc, items.to_string().as_bytes()).unwrap();
        let quotes: Vec<(&str, bool)> = got
            .annotations
            .iter()
            .map(|a| (a.quote.as_str(), a.is_orphaned()))
            .collect();
        // A quote that is not in the text is kept, as an orphan, not dropped.
        assert_eq!(quotes, [("zzz", true), ("👍🏽", false)]);
        assert!(
            got.said.iter().any(|s| s.contains("kept as orphans")),
            "{:?}",
            got.said
        );
        let why = got.skipped.join("\n");
        assert!(why.contains("outside the document"), "{why}");
        assert!(why.contains("split the character"), "{why}");
        assert!(why.contains("no TextQuoteSelector"), "{why}");
        assert!(why.contains("whole numbers"), "{why}");
        assert!(import(&doc, b"{not json").is_err());
        assert!(import(&doc, b"{}").unwrap().skipped.len() == 1);
    }
}
