//! Agreement figures against the reference implementations.
//!
//! `tests/agreement/cases.json` holds hand-made examples (emoji and ZWJ
//! sequences, CRLF, CJK, combining marks, right-to-left text, nested spans
//! of one annotator, spans that only touch, three annotators over two
//! documents, a text where nothing is coded). `tests/agreement/reference.json`
//! holds the figures the Python packages `krippendorff` (0.9.0),
//! scikit-learn's `cohen_kappa_score` (1.9.1) and NLTK's
//! `AnnotationTask.multi_kappa` (3.10.4) give for them, computed by
//! `tests/agreement/reference.py` (see it for how; it derives units and
//! labels on its own). Gloss must match them to 1e-6.

mod common;

use common::gloss;
use gloss::model::{Annotation, AnnotationId, CharRange, Document};
use gloss::team::agreement::{Coded, figures, to_json};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/agreement/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("test data");
    serde_json::from_str(&text).expect("json")
}

/// Every number within 1e-6, everything else equal; `notes` is Gloss's own.
fn assert_close(got: &Value, want: &Value, at: &str) {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (
                g.as_f64().unwrap_or(f64::NAN),
                w.as_f64().unwrap_or(f64::NAN),
            );
            assert!((g - w).abs() <= 1e-6, "{at}: {g} ≠ {w}");
        }
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or_else(|| panic!("{at}.{k} is missing"));
                assert_close(gv, wv, &format!("{at}.{k}"));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}: lengths");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                assert_close(gv, wv, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

struct Case {
    annotators: Vec<String>,
    docs: Vec<(Document, Vec<Annotation>)>,
}

impl Case {
    fn coded(&self) -> Vec<Coded<'_>> {
        self.docs
            .iter()
            .map(|(d, anns)| Coded {
                name: d.name.clone(),
                text: d.text(),
                annotations: anns.iter().collect(),
            })
            .collect()
    }
}

fn cases() -> Vec<Case> {
    let Value::Array(cases) = load("cases.json") else {
        panic!("cases.json is a list")
    };
    let s = |v: &Value| v.as_str().expect("string").to_string();
    let n = |v: &Value| v.as_u64().expect("number") as usize;
    cases
        .iter()
        .map(|c| Case {
            annotators: c["annotators"]
                .as_array()
                .expect("list")
                .iter()
                .map(s)
                .collect(),
            docs: c["documents"]
                .as_array()
                .expect("list")
                .iter()
                .enumerate()
                .map(|(d, doc)| {
                    let document = Document::new(format!("doc{d}.txt"), s(&doc["text"]));
                    let anns = doc["annotations"]
                        .as_array()
                        .expect("list")
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            let mut ann = Annotation::new(
                                &document,
                                CharRange::new(n(&a["start"]), n(&a["end"])),
                                a["codes"].as_array().expect("list").iter().map(s).collect(),
                                &s(&a["author"]),
                                time::OffsetDateTime::UNIX_EPOCH,
                            );
                            ann.id = AnnotationId(format!("00000000-0000-4000-8000-{i:012}"));
                            ann
                        })
                        .collect();
                    (document, anns)
                })
                .collect(),
        })
        .collect()
}

#[test]
fn figures_equal_krippendorff_sklearn_and_nltk() {
    let want = load("reference.json");
    let cases = cases();
    assert_eq!(cases.len(), want.as_array().map_or(0, Vec::len));
    for (i, case) in cases.iter().enumerate() {
        let docs = case.coded();
        let got = to_json(&figures(&docs, &case.annotators, None));
        assert_close(&got, &want[i], &format!("case {i}"));
    }
}

#[test]
fn undefined_figures_are_null_and_said_to_be() {
    let case = &cases()[2];
    let docs = case.coded();
    let got = to_json(&figures(&docs, &case.annotators, None));
    assert!(got["units"]["char"]["krippendorff_alpha_nominal"].is_null());
    assert!(got["units"]["char"]["pairwise"]["A-B"]["cohen_kappa"].is_null());
    let notes = got["notes"].to_string();
    assert!(
        notes.contains("undefined") && notes.contains("same label"),
        "{notes}"
    );
}

/// The CLI on a folder of the first two cases' documents, as files with
/// sidecars, gives the same JSON.
#[test]
fn the_command_reports_the_same_figures_as_json_and_a_table() {
    let want = load("reference.json");
    for (i, case) in cases().iter().enumerate().take(2) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (doc, anns) in &case.docs {
            let path = dir.path().join(&doc.name);
            std::fs::write(&path, doc.text()).expect("write");
            let sc = gloss::sidecar::Sidecar::new(doc, Default::default(), anns.clone());
            sc.save(&gloss::sidecar::sidecar_path(&path)).expect("save");
        }
        let authors = case.annotators.join(",");
        let out = gloss(
            &["agreement", ".", "--authors", &authors, "--format", "json"],
            dir.path(),
        );
        assert!(out.status.success(), "{out:?}");
        let got: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_close(&got, &want[i], &format!("cli case {i}"));
        assert!(got["per_code"].is_object() && got["documents"].is_object());

        let out = gloss(&["agreement", "."], dir.path());
        let table = String::from_utf8_lossy(&out.stdout);
        let alpha = want[i]["units"]["char"]["krippendorff_alpha_nominal"]
            .as_f64()
            .expect("number");
        assert!(table.contains(&format!("{alpha:.3}")), "{table}");
        assert!(
            table.contains("Cohen's κ") && table.contains("per code"),
            "{table}"
        );
    }
}

/// One code's figures equal the same figures with only that code counted.
#[test]
fn per_code_figures_count_one_code() {
    let case = &cases()[1];
    let docs = case.coded();
    let r = gloss::team::agreement::report(&docs, &[], None);
    assert_eq!(r.overall.annotators, ["A", "B", "C"]);
    let codes: Vec<&str> = r.per_code.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["claim", "place", "quote"]);
    let claim = figures(&docs, &r.overall.annotators, Some(&["claim".to_string()]));
    assert_eq!(r.per_code[0].1, claim);
    assert_ne!(
        claim.char.krippendorff_alpha,
        r.overall.char.krippendorff_alpha
    );
    assert_eq!(r.documents.len(), 2);
}

/// The curator's copies are not a coder's judgement: left out unless asked
/// for, and the figures are then those of the coders alone.
#[test]
fn the_curator_is_left_out_unless_named() {
    let case = &cases()[0];
    let dir = tempfile::tempdir().expect("tempdir");
    let (doc, anns) = &case.docs[0];
    let path = dir.path().join(&doc.name);
    std::fs::write(&path, doc.text()).expect("write");
    let mut all = anns.clone();
    // Compare and Curate accepted the first coder's annotations.
    let first = &case.annotators[0];
    let copies: Vec<_> = anns
        .iter()
        .filter(|a| &a.author == first)
        .map(|a| {
            let mut c = a.clone();
            c.id = gloss::model::AnnotationId::random();
            c.author = "curated".into();
            c
        })
        .collect();
    assert!(!copies.is_empty());
    all.extend(copies);
    let sc = gloss::sidecar::Sidecar::new(doc, Default::default(), all);
    sc.save(&gloss::sidecar::sidecar_path(&path)).expect("save");
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["agreement", ".", "--format", "json"];
        all.extend_from_slice(args);
        let out = gloss(&all, dir.path());
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let coders = json(&[]);
    assert_eq!(coders["annotators"], serde_json::json!(case.annotators));
    let want = load("reference.json");
    assert_close(&coders, &want[0], "the coders alone");
    let mut named = case.annotators.clone();
    named.push("curated".into());
    let with = json(&["--authors", &named.join(",")]);
    assert_eq!(
        with["annotators"].as_array().map(Vec::len),
        Some(named.len())
    );
}
