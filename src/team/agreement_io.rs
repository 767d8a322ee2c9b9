//! Where agreement's documents come from (a session, a folder) and how its
//! figures read as a table.

use super::agreement::{Coded, Figures, Report, UnitKind};
use crate::model::{Annotation, Document};
use crate::project::{Current, each_document};
use crate::session::Session;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// A document and its annotations, owned, so documents read one after
/// another can be compared together.
pub struct Owned {
    pub name: String,
    pub doc: Arc<Document>,
    pub annotations: Vec<Annotation>,
}

impl Owned {
    pub fn of(name: &str, s: &Session) -> Self {
        Self {
            name: name.to_string(),
            doc: s.doc().clone(),
            annotations: s.store().annotations.iter().cloned().collect(),
        }
    }

    /// Every annotated document under `folder` (the window's open one as
    /// it is now), named by relative path.
    pub fn folder(
        folder: &Path,
        current: Option<&Current>,
        skipped: &mut dyn FnMut(&Path, String),
    ) -> std::io::Result<Vec<Self>> {
        let mut out = Vec::new();
        each_document(folder, current, &|_| true, skipped, &mut |seen| {
            out.push(Self {
                name: seen.rel.to_string(),
                doc: Arc::new(seen.doc.clone()),
                annotations: seen.annotations.iter().map(|a| (*a).clone()).collect(),
            })
        })?;
        Ok(out)
    }

    pub fn coded(&self) -> Coded<'_> {
        Coded {
            name: self.name.clone(),
            text: self.doc.text(),
            annotations: self.annotations.iter().collect(),
        }
    }
}

/// A figure with three decimals, or what it is when undefined.
pub fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "undefined".into(), |v| format!("{v:.3}"))
}

/// The unit figures as rows of (what, char units, token units), as the
/// table and the window show them.
pub fn unit_rows(f: &Figures) -> Vec<(String, String, String)> {
    let mut rows = vec![(
        "units".to_string(),
        f.char.n_units.to_string(),
        f.token.n_units.to_string(),
    )];
    let mut row =
        |what: String, c: Option<f64>, t: Option<f64>| rows.push((what, number(c), number(t)));
    row(
        "Krippendorff's α (nominal)".into(),
        f.char.krippendorff_alpha,
        f.token.krippendorff_alpha,
    );
    let many = f.annotators.len() > 2;
    if many {
        row(
            "multi-κ (Davies–Fleiss)".into(),
            f.char.multi_kappa,
            f.token.multi_kappa,
        );
    }
    for ((pair, c), (_, t)) in f.char.pairwise.iter().zip(&f.token.pairwise) {
        row(format!("{pair}: Cohen's κ"), c.cohen_kappa, t.cohen_kappa);
        if many {
            row(
                format!("{pair}: α"),
                c.krippendorff_alpha,
                t.krippendorff_alpha,
            );
        }
        row(
            format!("{pair}: observed agreement"),
            c.observed_agreement,
            t.observed_agreement,
        );
    }
    rows
}

/// Precision / recall / F1 as one cell.
pub fn prf(p: &super::agreement::Prf) -> String {
    format!("{:.2} / {:.2} / {:.3}", p.precision, p.recall, p.f1)
}

/// Figures as aligned text.
fn figures_table(out: &mut String, f: &Figures) {
    let _ = writeln!(out, "  {:<36} {:>10} {:>10}", "", "char", "token");
    for (label, c, t) in unit_rows(f) {
        let _ = writeln!(out, "  {label:<36} {c:>10} {t:>10}");
    }
    if !f.span_f1.is_empty() {
        let _ = writeln!(
            out,
            "  {:<36} {:>20} {:>20}",
            "spans (X-Y, X reference)", "exact P / R / F1", "overlap P / R / F1"
        );
        for (pair, s) in &f.span_f1 {
            let _ = writeln!(
                out,
                "  {pair:<36} {:>20} {:>20}",
                prf(&s.exact),
                prf(&s.overlap)
            );
        }
        if let Some((e, o)) = f.span_f1_mean {
            let _ = writeln!(out, "  {:<36} {e:>20.3} {o:>20.3}", "mean F1 over pairs");
        }
    }
    for n in &f.notes {
        let _ = writeln!(out, "  note: {n}");
    }
}

/// `gloss agreement`'s table: overall, then a line per code and per
/// document.
pub fn table(r: &Report, documents: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Agreement of {} on {}",
        if r.overall.annotators.is_empty() {
            "no annotators (nothing is annotated)".to_string()
        } else {
            r.overall.annotators.join(", ")
        },
        crate::words::plural(documents, "document")
    );
    figures_table(&mut out, &r.overall);
    if r.overall.annotators.len() < 2 {
        return out;
    }
    let summary = |out: &mut String, title: &str, list: &[(String, Figures)]| {
        if list.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{title:<30} {:>9} {:>9} {:>9} {:>9}",
            "α char", "α token", "F1 exact", "F1 overl"
        );
        for (name, f) in list {
            let (e, o) = f.span_f1_mean.unwrap_or((0.0, 0.0));
            let _ = writeln!(
                out,
                "{name:<30} {:>9} {:>9} {e:>9.3} {o:>9.3}",
                number(f.units(UnitKind::Char).krippendorff_alpha),
                number(f.units(UnitKind::Token).krippendorff_alpha),
            );
        }
    };
    summary(&mut out, "per code", &r.per_code);
    summary(&mut out, "per document", &r.documents);
    out
}
