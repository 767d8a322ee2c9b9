//! Re-anchoring against the Hypothesis client's own anchoring cases and the
//! approx-string-match fixtures (`../shared/conformance/anchoring/`), and
//! Gloss's own cases: every annotation lands on the right words or is an
//! orphan, never on wrong words.

mod common;

use gloss::anchor::{self, Anchorer, Outcome, Quote, approx};
use gloss::model::{Annotation, CharRange, Document};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn cases(file: &str) -> Option<Vec<Value>> {
    let dir = common::conformance()?.join("anchoring");
    let text = std::fs::read_to_string(dir.join(file)).expect("conformance file readable");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    Some(v["cases"].as_array().expect("cases").clone())
}

fn opt_str(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The annotation a case describes: what was stored when it was made.
fn stored(case: &Value) -> Annotation {
    let original = Document::new("original", opt_str(&case["original_text"]).to_string());
    let (start, end) = match &case["position"] {
        Value::Object(p) => (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        ),
        // No position stored: an impossible one, so only the quote can place it.
        _ => (usize::MAX - 1, usize::MAX),
    };
    let mut a = Annotation::new(
        &original,
        CharRange::new(0, 0),
        vec![],
        "",
        OffsetDateTime::UNIX_EPOCH,
    );
    a.start = start;
    a.end = end;
    a.quote = opt_str(&case["quote"]).to_string();
    a.prefix = opt_str(&case["prefix"]).to_string();
    a.suffix = opt_str(&case["suffix"]).to_string();
    a
}

/// Whether `got` (`None`: an orphan) is the case's expected answer;
/// what was wrong, if not.
fn judged(case: &Value, got: Option<CharRange>) -> Option<String> {
    let expected = match &case["expected"] {
        Value::Object(e) => Some(CharRange::new(
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        )),
        _ => None,
    };
    let right = match (got, expected) {
        (Some(g), Some(e)) if case["expected_start_only"].as_bool() == Some(true) => {
            g.start == e.start
        }
        (g, e) => g == e,
    };
    (!right).then(|| format!("got {got:?}, expected {expected:?}"))
}

#[test]
fn every_hypothesis_anchoring_case_is_placed_right() {
    let Some(cases) = cases("hypothesis-cases.json") else {
        return;
    };
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut groups: BTreeMap<String, Vec<(u64, f64, String)>> = BTreeMap::new();
    for case in &cases {
        let id = opt_str(&case["id"]);
        let doc = Document::new("t", opt_str(&case["text"]).to_string());
        let a = stored(case);
        let hint = case["hint"]
            .as_u64()
            .map(|h| h as usize)
            .or_else(|| case["position"]["start"].as_u64().map(|s| s as usize));
        // Gloss's own decision, as it runs on a sidecar's annotation.
        let mut anchorer = Anchorer::new(&doc, None);
        let mut a_hinted = a.clone();
        if a.start == usize::MAX - 1 {
            if let Some(h) = hint {
                // A bare position hint without a stored range: a range there
                // that no longer holds the quote.
                a_hinted.start = h;
                a_hinted.end = h;
            }
        } else if let Some(h) = case["hint"].as_u64() {
            a_hinted.start = h as usize;
        }
        let got = match anchorer.place(&a_hinted) {
            Outcome::Kept => Some(a_hinted.range()),
            Outcome::Moved { range, .. } | Outcome::Fuzzy { range } => Some(range),
            Outcome::Orphan => None,
        };
        if let Some(wrong) = judged(case, got) {
            failures.push(format!("{id}: {wrong}"));
        }
        // The match score, as Hypothesis scores it.
        let quote = Quote {
            exact: &a.quote,
            prefix: &a.prefix,
            suffix: &a.suffix,
        };
        let m = anchorer.match_quote(quote, case["hint"].as_u64().map(|h| h as usize));
        if case["expected_score"].as_f64() == Some(1.0) {
            assert_eq!(
                m.map(|m| m.score),
                Some(1.0),
                "{id}: an exact match scores 1"
            );
        }
        if let (Some(g), Some(rank)) = (case["score_group"].as_str(), case["score_rank"].as_u64()) {
            let score = m.map_or(0.0, |m| m.score);
            groups
                .entry(g.to_string())
                .or_default()
                .push((rank, score, id.to_string()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(!groups.is_empty());
    for (group, mut ranked) in groups {
        ranked.sort_by_key(|r| r.0);
        for pair in ranked.windows(2) {
            assert!(
                pair[0].1 > pair[1].1,
                "{group}: {} ({}) must score above {} ({})",
                pair[0].2,
                pair[0].1,
                pair[1].2,
                pair[1].1
            );
        }
    }
}

#[test]
fn approximate_search_agrees_with_approx_string_match() {
    let Some(cases) = cases("approx_search_cases.json") else {
        return;
    };
    assert!(cases.len() >= 10);
    for case in &cases {
        let id = opt_str(&case["id"]);
        let text: Vec<char> = opt_str(&case["text"]).chars().collect();
        let pattern: Vec<char> = opt_str(&case["pattern"]).chars().collect();
        let max = case["max_errors"].as_u64().unwrap() as usize;
        let got = approx::search(&text, &pattern, max);
        let expected = case
            .get("expected_codepoints")
            .filter(|v| !v.is_null())
            .or(case.get("expected"));
        let as_tuple = |v: &Value| {
            (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
                v["errors"].as_u64().unwrap() as usize,
            )
        };
        let got_t: Vec<(usize, usize, usize)> =
            got.iter().map(|m| (m.start, m.end, m.errors)).collect();
        match opt_str(&case["mode"]) {
            "closest" => {
                let exp: Vec<_> = expected
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(as_tuple)
                    .collect();
                assert!(!got_t.is_empty(), "{id}: nothing found, expected {exp:?}");
                let min = exp.iter().map(|e| e.2).min().unwrap();
                assert!(
                    got_t.iter().all(|g| g.2 == min),
                    "{id}: {got_t:?} vs {exp:?}"
                );
                assert!(
                    got_t.iter().any(|g| exp.contains(g)),
                    "{id}: {got_t:?} vs {exp:?}"
                );
            }
            "list" => {
                let exp: Vec<_> = expected
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(as_tuple)
                    .collect();
                assert_eq!(got_t, exp, "{id}");
            }
            "count" => {
                let n = case["expected_count"]
                    .as_u64()
                    .or_else(|| expected.and_then(Value::as_u64))
                    .unwrap() as usize;
                assert_eq!(got_t.len(), n, "{id}: {got_t:?}");
            }
            "slices" => {
                let want = opt_str(&case["expected_slice"]);
                assert!(!got.is_empty(), "{id}");
                for m in &got {
                    let s: String = text[m.start..m.end].iter().collect();
                    assert_eq!(s, want, "{id}");
                }
            }
            other => panic!("{id}: unknown mode {other}"),
        }
    }
}

fn ann(doc: &Document, s: usize, e: usize) -> Annotation {
    Annotation::new(
        doc,
        CharRange::new(s, e),
        vec![],
        "",
        OffsetDateTime::UNIX_EPOCH,
    )
}

fn find(doc: &Document, needle: &str) -> CharRange {
    let b = doc.text().find(needle).unwrap();
    let s = doc.char_offset(b);
    CharRange::new(s, s + needle.chars().count())
}

const OLD: &str = "Intro: “claims” — 😀 family 👨‍👩‍👧 said e\u{301}lan.\r\n\
    The officials said the strikes were planned in March.\r\n\
    שלום עולם and 中文文本 stay put. The officials said nothing more.\r\n";

#[test]
fn a_typo_fixed_inside_a_quote_is_placed_fuzzily_for_review() {
    let old = Document::new("t", OLD.into());
    let r = find(&old, "the strikes were planned in March");
    let mut anns = vec![
        ann(&old, r.start, r.end),
        ann(
            &old,
            find(&old, "中文文本").start,
            find(&old, "中文文本").end,
        ),
    ];
    let new_text = OLD
        .replace("strikes were planned", "strikes had been planned")
        .replace("Intro", "Introduction");
    let new = Document::new("t", new_text);
    // Without the old text: approximate search with context.
    let mut without = anns.clone();
    let report = anchor::anchor_all(&new, &mut without, None);
    assert_eq!(
        (report.fuzzy, report.moved, report.orphaned),
        (1, 1, 0),
        "{report}"
    );
    assert_eq!(
        new.slice(without[0].range()),
        "the strikes had been planned in March"
    );
    assert_eq!(
        without[0].review.as_deref(),
        Some("the strikes were planned in March")
    );
    assert!(without[0].needs_review());
    // With the old text: the diff maps both ends exactly.
    let report = anchor::anchor_all(&new, &mut anns, Some(OLD));
    assert_eq!((report.fuzzy, report.moved), (1, 1), "{report}");
    assert_eq!(
        new.slice(anns[0].range()),
        "the strikes had been planned in March"
    );
    assert_eq!(new.slice(anns[1].range()), "中文文本");
}

#[test]
fn deleted_or_ambiguous_quotes_become_orphans_never_wrong_words() {
    let old = Document::new("t", OLD.into());
    let said = find(&old, "The officials said the");
    let mut anns = vec![ann(&old, said.start, said.start + 18)]; // "The officials said"
    // The sentence is gone; the same words remain elsewhere with other context.
    let new_text = OLD.replace(
        "The officials said the strikes were planned in March.\r\n",
        "",
    );
    let new = Document::new("t", new_text.clone());
    let report = anchor::anchor_all(&new, &mut anns, None);
    // Never silently on the other sentence: an orphan, or placed for review.
    assert_eq!(report.kept + report.moved, 0, "{report}");
    if report.orphaned == 1 {
        assert_eq!(
            anns[0].quote, "The officials said",
            "orphans keep their quote"
        );
    } else {
        assert_eq!(anns[0].review.as_deref(), Some("The officials said"));
    }
    // With the old text known, the diff sees the sentence was deleted.
    let mut again = vec![ann(&old, said.start, said.start + 18)];
    let report = anchor::anchor_all(&new, &mut again, Some(OLD));
    assert_eq!(report.kept + report.moved, 0, "{report}");
    // A two-char quote whose context is gone is not guessed.
    let em = find(&old, "e\u{301}l");
    let mut short = vec![ann(&old, em.start, em.start + 2)];
    let gone = Document::new("t", "Nothing like it: e\u{301} appears, unrelated.".into());
    assert_eq!(anchor::anchor_all(&gone, &mut short, None).orphaned, 1);
}

#[test]
fn moved_paragraphs_and_crlf_rtl_cjk_emoji_stay_exact() {
    let old = Document::new("t", OLD.into());
    let targets = ["“claims”", "👨‍👩‍👧", "e\u{301}lan", "שלום עולם", "中文文本"];
    let mut anns: Vec<Annotation> = targets
        .iter()
        .map(|t| {
            let r = find(&old, t);
            ann(&old, r.start, r.end)
        })
        .collect();
    let lines: Vec<&str> = OLD.split_inclusive("\r\n").collect();
    let new_text = format!("New first line.\r\n{}{}{}", lines[2], lines[1], lines[0]);
    let new = Document::new("t", new_text.clone());
    for old_text in [None, Some(OLD)] {
        let mut a = anns.clone();
        let report = anchor::anchor_all(&new, &mut a, old_text);
        assert_eq!(report.moved, targets.len(), "{report}");
        for (x, t) in a.iter().zip(targets) {
            assert_eq!(new.slice(x.range()), t);
            assert_eq!(new.snap_to_graphemes(x.range()), x.range());
        }
    }
    anns.truncate(1);
}

#[test]
fn one_char_quotes_in_a_long_text_are_placed_by_context_or_orphaned() {
    let para = "a b c d e f g h i j k l m n o p q r s t u v w x y z. ";
    let text = para.repeat(20_000); // ~1 MB, a million one-char candidates
    let doc = Document::new("t", text.clone());
    let mut anns: Vec<Annotation> = (0..50).map(|i| ann(&doc, i * 997, i * 997 + 1)).collect();
    let new = Document::new("t", format!("Inserted at the top. {text}"));
    let report = anchor::anchor_all(&new, &mut anns, None);
    // Identical context everywhere: the shift learned from the first keeps
    // them on the right letters (the nearest one with full context).
    assert_eq!(report.orphaned + report.moved, 50, "{report}");
    for (i, a) in anns.iter().enumerate() {
        if !a.is_orphaned() {
            assert_eq!(a.start, i * 997 + 21, "annotation {i}");
        }
    }
}

/// The same cases through `gloss import --from w3c`: an importer places
/// annotations as re-anchoring does (the selector's own quote, prefix and
/// suffix, the position as a hint), and keeps what it cannot place as an
/// orphan with its quote, never skipping it.
#[test]
fn every_hypothesis_case_imported_as_w3c_lands_as_reanchoring_places_it() {
    let Some(cases) = cases("hypothesis-cases.json") else {
        return;
    };
    let mut failures = Vec::new();
    for case in &cases {
        let id = opt_str(&case["id"]);
        if case["quote"].is_null() {
            continue; // W3C without a quote is a position alone: nothing to anchor.
        }
        let doc = Document::new("t", opt_str(&case["text"]).to_string());
        let mut quote = serde_json::json!({"type": "TextQuoteSelector", "exact": case["quote"]});
        for k in ["prefix", "suffix"] {
            if let Some(s) = case[k].as_str() {
                quote[k] = s.into();
            }
        }
        let mut selectors = vec![quote];
        let q_len = opt_str(&case["quote"]).chars().count() as u64;
        let position = match (case["hint"].as_u64(), &case["position"]) {
            (Some(h), _) => Some((h, h + q_len.max(1))),
            (None, Value::Object(p)) => {
                Some((p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap()))
            }
            _ => None,
        };
        if let Some((s, e)) = position {
            selectors
                .push(serde_json::json!({"type": "TextPositionSelector", "start": s, "end": e}));
        }
        let w3c = serde_json::json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "id": format!("urn:case:{id}"),
            "target": {"source": "urn:x", "selector": selectors},
        });
        let got = gloss::formats::import(
            gloss::formats::Format::W3c,
            &doc,
            w3c.to_string().as_bytes(),
        )
        .expect("imports");
        if got.annotations.len() != 1 {
            failures.push(format!("{id}: skipped ({:?})", got.skipped));
            continue;
        }
        let a = &got.annotations[0];
        let placed = (!a.is_orphaned()).then(|| a.range());
        if let Some(wrong) = judged(case, placed) {
            failures.push(format!("{id}: {wrong}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
