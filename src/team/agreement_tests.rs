use super::*;
use crate::model::{AnnotationId, CharRange, Document};

fn ann(doc: &Document, author: &str, start: usize, end: usize, codes: &[&str]) -> Annotation {
    let mut a = Annotation::new(
        doc,
        CharRange::new(start, end),
        codes.iter().map(|c| c.to_string()).collect(),
        author,
        time::OffsetDateTime::UNIX_EPOCH,
    );
    a.id = AnnotationId(format!("{author}{start}-{end}"));
    a
}

#[test]
fn char_units_skip_white_space_and_tokens_keep_cjk_runs_whole() {
    let text = "Café\u{00a0}😀 中文句子, ok\r\n";
    let chars = units(text, UnitKind::Char);
    assert_eq!(
        chars.len(),
        text.chars().filter(|c| !c.is_whitespace()).count()
    );
    assert!(!chars.contains(&(4, 5)), "a no-break space is White_Space");
    let tokens = units(text, UnitKind::Token);
    assert_eq!(tokens, [(0, 4), (5, 6), (7, 11), (11, 12), (13, 15)]);
}

#[test]
fn labels_join_the_codes_covering_a_unit_and_touching_is_not_overlap() {
    let doc = Document::new("t", "ab cd".into());
    let anns = [
        ann(&doc, "A", 0, 2, &["x"]),
        ann(&doc, "A", 1, 2, &["w"]),
        ann(&doc, "A", 2, 3, &["y"]),
    ];
    let refs: Vec<&Annotation> = anns.iter().collect();
    let mut labels = Labels::default();
    let u = units(doc.text(), UnitKind::Char);
    let got = label_units(&u, &refs, &|_| true, &mut labels);
    let name = |id: u32| {
        labels
            .ids
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.clone())
            .unwrap_or_default()
    };
    let names: Vec<String> = got.into_iter().map(name).collect();
    assert_eq!(names, ["x", "w+x", "O", "O"]);
}

#[test]
fn perfect_agreement_is_one_and_a_single_label_is_undefined() {
    let a = [0, 1, 1, 0, 2];
    assert_eq!(cohen_kappa(&a, &a), Some(1.0));
    assert_eq!(krippendorff_alpha(&[&a, &a]), Some(1.0));
    let same = [3, 3, 3];
    assert_eq!(cohen_kappa(&same, &same), None);
    assert_eq!(krippendorff_alpha(&[&same, &same]), None);
    assert_eq!(multi_kappa(&[&same, &same, &same]), Some(1.0));
}

#[test]
fn one_annotator_is_reported_not_computed() {
    let doc = Document::new("t", "one two".into());
    let anns = [ann(&doc, "A", 0, 3, &["x"])];
    let docs = [Coded {
        name: "t".into(),
        text: doc.text(),
        annotations: anns.iter().collect(),
    }];
    let f = figures(&docs, &annotators(&docs), None);
    assert_eq!(f.annotators, ["A"]);
    assert!(f.notes[0].contains("two annotators"), "{:?}", f.notes);
    assert_eq!(f.char.krippendorff_alpha, None);
    assert!(f.span_f1.is_empty() && f.span_f1_mean.is_none());
}
