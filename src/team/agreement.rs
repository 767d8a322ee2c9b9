//! Inter-annotator agreement: how alike two or more people applied the
//! codebook.
//!
//! Units are the non-whitespace code points of the text (`char`) or its
//! tokens (`token`: `\w+|[^\w\s]`, Unicode classes). An annotator's label
//! for a unit is the `+`-joined sorted set of the codes of their
//! annotations covering it (a token: overlapping it by a code point), or
//! `O`. Over those labels: Krippendorff's α (nominal), Cohen's κ, observed
//! agreement and the Davies–Fleiss multi-κ, computed as the `krippendorff`
//! package, scikit-learn's `cohen_kappa_score` and NLTK's
//! `AnnotationTask.multi_kappa` do (`tests/agreement.rs` holds their
//! values). Span figures compare annotations as (start, end, code).

use crate::model::Annotation;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// The label of a unit no annotation covers.
pub const OUTSIDE: &str = "O";

/// One document as agreement reads it.
pub struct Coded<'a> {
    pub name: String,
    pub text: &'a str,
    pub annotations: Vec<&'a Annotation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Char,
    Token,
}

impl UnitKind {
    pub const ALL: [UnitKind; 2] = [UnitKind::Char, UnitKind::Token];

    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Char => "char",
            UnitKind::Token => "token",
        }
    }
}

/// The units of `text`, as half-open char ranges in order.
pub fn units(text: &str, kind: UnitKind) -> Vec<(usize, usize)> {
    match kind {
        UnitKind::Char => text
            .chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| (i, i + 1))
            .collect(),
        UnitKind::Token => {
            static TOKEN: std::sync::LazyLock<Option<regex::Regex>> =
                std::sync::LazyLock::new(|| regex::Regex::new(r"\w+|[^\w\s]").ok());
            let Some(re) = TOKEN.as_ref() else {
                return Vec::new();
            };
            let (mut byte, mut chars) = (0, 0);
            let mut out = Vec::new();
            for m in re.find_iter(text) {
                chars += text[byte..m.start()].chars().count();
                let len = m.as_str().chars().count();
                out.push((chars, chars + len));
                chars += len;
                byte = m.end();
            }
            out
        }
    }
}

/// Labels interned as small numbers, so units compare cheaply.
#[derive(Default)]
struct Labels {
    ids: HashMap<String, u32>,
}

impl Labels {
    fn id(&mut self, label: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(label).or_insert(next)
    }
}

/// Each unit's label for one annotator's annotations, in one sweep.
fn label_units(
    units: &[(usize, usize)],
    annotations: &[&Annotation],
    wanted: &dyn Fn(&str) -> bool,
    labels: &mut Labels,
) -> Vec<u32> {
    let mut anns: Vec<&Annotation> = annotations
        .iter()
        .copied()
        .filter(|a| a.end > a.start && a.tags.iter().any(|t| wanted(t)))
        .collect();
    anns.sort_by_key(|a| a.start);
    let mut next = 0;
    let mut ending: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut active: BTreeMap<&str, usize> = BTreeMap::new();
    let mut changed = true;
    let mut current = 0;
    let mut out = Vec::with_capacity(units.len());
    for &(s, e) in units {
        while next < anns.len() && anns[next].start < e {
            for t in anns[next].tags.iter().filter(|t| wanted(t)) {
                *active.entry(t.as_str()).or_default() += 1;
            }
            ending.push(Reverse((anns[next].end, next)));
            next += 1;
            changed = true;
        }
        while let Some(&Reverse((end, i))) = ending.peek() {
            if end > s {
                break;
            }
            ending.pop();
            for t in anns[i].tags.iter().filter(|t| wanted(t)) {
                if let Some(n) = active.get_mut(t.as_str()) {
                    *n -= 1;
                    if *n == 0 {
                        active.remove(t.as_str());
                    }
                }
            }
            changed = true;
        }
        if changed {
            let label = if active.is_empty() {
                OUTSIDE.to_string()
            } else {
                active.keys().copied().collect::<Vec<_>>().join("+")
            };
            current = labels.id(label);
            changed = false;
        }
        out.push(current);
    }
    out
}

/// Krippendorff's α (nominal) over label rows of equal length, every
/// annotator labelling every unit; `None` when undefined (fewer than two
/// annotators, no units, or one label only).
pub fn krippendorff_alpha(rows: &[&[u32]]) -> Option<f64> {
    let m = rows.len();
    let units = rows.first().map_or(0, |r| r.len());
    if m < 2 || units == 0 {
        return None;
    }
    let mut totals: HashMap<u32, f64> = HashMap::new();
    let mut diagonal = 0.0;
    let mut column = Vec::with_capacity(m);
    for u in 0..units {
        column.clear();
        column.extend(rows.iter().map(|r| r[u]));
        let mut same_pairs = 0usize;
        for (i, x) in column.iter().enumerate() {
            *totals.entry(*x).or_default() += 1.0;
            same_pairs += column
                .iter()
                .enumerate()
                .filter(|&(j, y)| i != j && x == y)
                .count();
        }
        diagonal += same_pairs as f64 / (m - 1) as f64;
    }
    let n = (units * m) as f64;
    let expected = n * n - totals.values().map(|c| c * c).sum::<f64>();
    if expected <= 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * (n - diagonal) / expected)
}

/// Observed agreement and the chance agreement κ expects, for a pair.
fn pair_agreement(a: &[u32], b: &[u32]) -> (f64, f64) {
    let n = a.len() as f64;
    let mut ca: HashMap<u32, f64> = HashMap::new();
    let mut cb: HashMap<u32, f64> = HashMap::new();
    let mut agree = 0usize;
    for (x, y) in a.iter().zip(b) {
        agree += usize::from(x == y);
        *ca.entry(*x).or_default() += 1.0;
        *cb.entry(*y).or_default() += 1.0;
    }
    let expected = ca
        .iter()
        .map(|(k, na)| na / n * cb.get(k).copied().unwrap_or(0.0) / n)
        .sum();
    (agree as f64 / n, expected)
}

/// Cohen's κ; `None` when chance agreement is total (one label only).
pub fn cohen_kappa(a: &[u32], b: &[u32]) -> Option<f64> {
    if a.is_empty() {
        return None;
    }
    let (po, pe) = pair_agreement(a, b);
    (pe < 1.0 - 1e-12).then(|| (po - pe) / (1.0 - pe))
}

/// Davies and Fleiss' multi-κ as NLTK computes it: observed and chance
/// agreement each averaged over the pairs.
pub fn multi_kappa(rows: &[&[u32]]) -> Option<f64> {
    if rows.len() < 2 || rows[0].is_empty() {
        return None;
    }
    let (mut ao, mut ae, mut pairs) = (0.0, 0.0, 0.0);
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            let (o, e) = pair_agreement(rows[i], rows[j]);
            ao += o;
            ae += e;
            pairs += 1.0;
        }
    }
    let (ao, ae) = (ao / pairs, ae / pairs);
    if (ae - 1.0).abs() < 1e-9 {
        // NLTK: perfect observed agreement is 1; anything else undefined.
        return ((ao - 1.0).abs() < 1e-9).then_some(1.0);
    }
    Some((ao - ae) / (1.0 - ae))
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairFigures {
    pub cohen_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
    pub observed_agreement: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitFigures {
    pub n_units: usize,
    pub krippendorff_alpha: Option<f64>,
    pub multi_kappa: Option<f64>,
    /// By pair name "A-B", in pair order.
    pub pairwise: Vec<(String, PairFigures)>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn of(hits_y: usize, n_y: usize, hits_x: usize, n_x: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(hits_y, n_y), ratio(hits_x, n_x));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Self {
            precision,
            recall,
            f1,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpanFigures {
    pub exact: Prf,
    pub overlap: Prf,
}

/// The figures for one selection of documents and codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub annotators: Vec<String>,
    pub char: UnitFigures,
    pub token: UnitFigures,
    /// By pair "X-Y", X the reference.
    pub span_f1: Vec<(String, SpanFigures)>,
    /// Mean F1 over the pairs (exact, overlap); `None` without a pair.
    pub span_f1_mean: Option<(f64, f64)>,
    /// What could not be computed, and why.
    pub notes: Vec<String>,
}

impl Figures {
    pub fn units(&self, kind: UnitKind) -> &UnitFigures {
        match kind {
            UnitKind::Char => &self.char,
            UnitKind::Token => &self.token,
        }
    }
}

/// The annotator an annotation counts for.
pub fn author_of(a: &Annotation) -> &str {
    if a.author.trim().is_empty() {
        "(no author)"
    } else {
        &a.author
    }
}

/// Every annotator in `docs`, sorted by name.
pub fn annotators(docs: &[Coded]) -> Vec<String> {
    let mut names: Vec<String> = docs
        .iter()
        .flat_map(|d| d.annotations.iter().map(|a| author_of(a).to_string()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The name Compare and Curate gives its copies unless told another.
pub const DEFAULT_CURATOR: &str = "curated";

/// The coders whose agreement is counted by default: every author but the
/// curator, whose copies of the coders' annotations are not a coder's
/// independent judgement (counted, they would pull every figure towards
/// agreement, or away).
pub fn coders(docs: &[Coded], curator: &str) -> Vec<String> {
    let mut names = annotators(docs);
    names.retain(|n| n != curator);
    names
}

fn pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |i| (i + 1..n).map(move |j| (i, j)))
}

fn unit_figures(rows: &[Vec<u32>], annotators: &[String]) -> UnitFigures {
    let refs: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
    let pairwise = pairs(annotators.len())
        .map(|(i, j)| {
            let (a, b) = (refs[i], refs[j]);
            let name = format!("{}-{}", annotators[i], annotators[j]);
            let observed = (!a.is_empty()).then(|| pair_agreement(a, b).0);
            let figures = PairFigures {
                cohen_kappa: cohen_kappa(a, b),
                krippendorff_alpha: krippendorff_alpha(&[a, b]),
                observed_agreement: observed,
            };
            (name, figures)
        })
        .collect();
    UnitFigures {
        n_units: refs.first().map_or(0, |r| r.len()),
        krippendorff_alpha: krippendorff_alpha(&refs),
        multi_kappa: multi_kappa(&refs),
        pairwise,
    }
}

/// A span: document index, start, end, code.
type Span<'a> = (usize, usize, usize, &'a str);

fn spans<'a>(docs: &'a [Coded], who: &str, wanted: &dyn Fn(&str) -> bool) -> Vec<Span<'a>> {
    let mut out: Vec<Span> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.annotations
                .iter()
                .filter(move |a| author_of(a) == who && a.end > a.start)
                .flat_map(move |a| {
                    a.tags
                        .iter()
                        .filter(|t| wanted(t))
                        .map(move |t| (d, a.start, a.end, t.as_str()))
                })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many of `these` share a code point with a span of `those` with the
/// same code in the same document.
fn overlapping(these: &[Span], those: &[Span]) -> usize {
    type StartsEnds = (Vec<usize>, Vec<usize>);
    let mut by_key: HashMap<(usize, &str), StartsEnds> = HashMap::new();
    for &(d, s, e, c) in those {
        let entry = by_key.entry((d, c)).or_default();
        entry.0.push(s);
        entry.1.push(e);
    }
    // Starts sorted (spans are sorted by start within a key), so the
    // prefix maximum of ends answers "any span starting before e that
    // ends after s".
    for (_, ends) in by_key.values_mut() {
        for i in 1..ends.len() {
            ends[i] = ends[i].max(ends[i - 1]);
        }
    }
    these
        .iter()
        .filter(|&&(d, s, e, c)| {
            by_key.get(&(d, c)).is_some_and(|(starts, max_end)| {
                let k = starts.partition_point(|&x| x < e);
                k > 0 && max_end[k - 1] > s
            })
        })
        .count()
}

fn span_figures(x: &[Span], y: &[Span]) -> SpanFigures {
    let exact = y.iter().filter(|s| x.binary_search(s).is_ok()).count();
    SpanFigures {
        exact: Prf::of(exact, y.len(), exact, x.len()),
        overlap: Prf::of(overlapping(y, x), y.len(), overlapping(x, y), x.len()),
    }
}

/// The agreement of `annotators` (in that order) on `docs`, counting only
/// `codes` (all codes when `None`).
pub fn figures(docs: &[Coded], annotators: &[String], codes: Option<&[String]>) -> Figures {
    let wanted = |t: &str| codes.is_none_or(|c| c.iter().any(|x| x == t));
    let mut f = Figures {
        annotators: annotators.to_vec(),
        ..Default::default()
    };
    if annotators.len() < 2 {
        f.notes.push(format!(
            "agreement needs two annotators or more; found {}",
            if annotators.is_empty() {
                "none".to_string()
            } else {
                annotators.join(", ")
            }
        ));
        return f;
    }
    for kind in UnitKind::ALL {
        let mut labels = Labels::default();
        let mut rows = vec![Vec::new(); annotators.len()];
        for doc in docs {
            let units = units(doc.text, kind);
            for (who, row) in annotators.iter().zip(rows.iter_mut()) {
                let mine: Vec<&Annotation> = doc
                    .annotations
                    .iter()
                    .copied()
                    .filter(|a| author_of(a) == who)
                    .collect();
                row.extend(label_units(&units, &mine, &wanted, &mut labels));
            }
        }
        let figures = unit_figures(&rows, annotators);
        if figures.n_units == 0 {
            f.notes
                .push(format!("{} units: the text has none", kind.name()));
        } else if figures.krippendorff_alpha.is_none() {
            f.notes.push(format!(
                "{} units: every unit has the same label ({}), so α and κ are undefined",
                kind.name(),
                labels.ids.keys().next().map_or(OUTSIDE, |s| s.as_str())
            ));
        }
        match kind {
            UnitKind::Char => f.char = figures,
            UnitKind::Token => f.token = figures,
        }
    }
    let by_annotator: Vec<Vec<Span>> = annotators
        .iter()
        .map(|who| spans(docs, who, &wanted))
        .collect();
    f.span_f1 = pairs(annotators.len())
        .map(|(i, j)| {
            let name = format!("{}-{}", annotators[i], annotators[j]);
            (name, span_figures(&by_annotator[i], &by_annotator[j]))
        })
        .collect();
    let n = f.span_f1.len() as f64;
    f.span_f1_mean = (n > 0.0).then(|| {
        let sum = |g: fn(&SpanFigures) -> f64| f.span_f1.iter().map(|(_, s)| g(s)).sum::<f64>() / n;
        (sum(|s| s.exact.f1), sum(|s| s.overlap.f1))
    });
    f
}

/// Overall figures, per code and per document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub overall: Figures,
    pub per_code: Vec<(String, Figures)>,
    pub documents: Vec<(String, Figures)>,
}

/// Everything `gloss agreement` and the Agreement window show.
/// `annotators` empty means every author found, sorted by name.
pub fn report(docs: &[Coded], annotators: &[String], codes: Option<&[String]>) -> Report {
    let annotators = if annotators.is_empty() {
        self::annotators(docs)
    } else {
        annotators.to_vec()
    };
    let mut used: Vec<String> = docs
        .iter()
        .flat_map(|d| d.annotations.iter().flat_map(|a| a.tags.iter().cloned()))
        .filter(|t| codes.is_none_or(|c| c.contains(t)))
        .collect();
    used.sort();
    used.dedup();
    let per_code = used
        .into_iter()
        .map(|c| {
            let f = figures(docs, &annotators, Some(std::slice::from_ref(&c)));
            (c, f)
        })
        .collect();
    let documents = if docs.len() > 1 {
        docs.iter()
            .map(|d| {
                let one = [Coded {
                    name: d.name.clone(),
                    text: d.text,
                    annotations: d.annotations.clone(),
                }];
                (d.name.clone(), figures(&one, &annotators, codes))
            })
            .collect()
    } else {
        Vec::new()
    };
    Report {
        overall: figures(docs, &annotators, codes),
        per_code,
        documents,
    }
}

#[cfg(test)]
#[path = "agreement_tests.rs"]
mod tests;

/// The JSON other tools check (`gloss agreement --format json`):
/// `annotators`, `units.{char,token}`, `span_f1`, `span_f1_mean_over_pairs`,
/// plus `notes` on what is undefined. Undefined figures are `null`.
pub fn to_json(f: &Figures) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let units = |u: &UnitFigures| {
        let pairwise: Map<String, Value> = u
            .pairwise
            .iter()
            .map(|(name, p)| {
                let v = json!({
                    "cohen_kappa": p.cohen_kappa,
                    "krippendorff_alpha_nominal": p.krippendorff_alpha,
                    "observed_agreement": p.observed_agreement,
                });
                (name.clone(), v)
            })
            .collect();
        json!({
            "n_units": u.n_units,
            "krippendorff_alpha_nominal": u.krippendorff_alpha,
            "multi_kappa_davies_fleiss": u.multi_kappa,
            "pairwise": pairwise,
        })
    };
    let prf = |p: &Prf| json!({"precision": p.precision, "recall": p.recall, "f1": p.f1});
    let span: Map<String, Value> = f
        .span_f1
        .iter()
        .map(|(name, s)| {
            let v = json!({"exact": prf(&s.exact), "overlap": prf(&s.overlap)});
            (name.clone(), v)
        })
        .collect();
    let mean = f
        .span_f1_mean
        .map(|(exact, overlap)| json!({"exact": exact, "overlap": overlap}));
    json!({
        "annotators": f.annotators,
        "units": {"char": units(&f.char), "token": units(&f.token)},
        "span_f1": span,
        "span_f1_mean_over_pairs": mean,
        "notes": f.notes,
    })
}

/// [`to_json`] of the overall figures, with `per_code` and `documents`
/// beside them in the same shape.
pub fn report_json(r: &Report) -> serde_json::Value {
    let mut v = to_json(&r.overall);
    let each = |list: &[(String, Figures)]| -> serde_json::Map<String, serde_json::Value> {
        list.iter().map(|(k, f)| (k.clone(), to_json(f))).collect()
    };
    if let Some(obj) = v.as_object_mut() {
        obj.insert("per_code".into(), each(&r.per_code).into());
        obj.insert("documents".into(), each(&r.documents).into());
    }
    v
}
