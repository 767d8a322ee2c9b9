//! The Statistics window's four charts as data, CSV and SVG, without a
//! window: code frequencies per document (stacked bars), co-occurrence (a
//! heat map with counts), coverage per document, and codes per author.
//! Codes come in codebook order; the colours are the codebook's.

use super::Stats;
use crate::formats::report::escape_html;
use crate::model::Codebook;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Chart {
    #[default]
    Frequencies,
    Cooccurrence,
    Coverage,
    Authors,
}

impl Chart {
    pub const ALL: [Chart; 4] = [
        Chart::Frequencies,
        Chart::Cooccurrence,
        Chart::Coverage,
        Chart::Authors,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Chart::Frequencies => "Codes per document",
            Chart::Cooccurrence => "Co-occurrence",
            Chart::Coverage => "Coverage",
            Chart::Authors => "Codes per author",
        }
    }

    /// A file name for the chart, without extension.
    pub fn stem(self) -> &'static str {
        match self {
            Chart::Frequencies => "codes-per-document",
            Chart::Cooccurrence => "co-occurrence",
            Chart::Coverage => "coverage",
            Chart::Authors => "codes-per-author",
        }
    }
}

/// The codes the numbers mention, in codebook order, then any others by
/// name.
pub fn codes(stats: &Stats, codebook: &Codebook) -> Vec<String> {
    let mut out: Vec<String> = codebook
        .tags
        .iter()
        .map(|t| t.name.clone())
        .filter(|n| stats.codes.contains_key(n))
        .collect();
    let others: Vec<String> = stats
        .codes
        .keys()
        .filter(|c| !out.contains(c))
        .cloned()
        .collect();
    out.extend(others);
    out
}

/// How often `a` and `b` co-occur (either order).
pub fn cooccurrence(stats: &Stats, a: &str, b: &str) -> usize {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    stats
        .cooccurrence
        .get(lo)
        .and_then(|m| m.get(hi))
        .copied()
        .unwrap_or(0)
}

/// Rows (documents or authors) × codes: the bars of a stacked chart.
pub fn stacks(chart: Chart, stats: &Stats, codes: &[String]) -> Vec<(String, Vec<usize>)> {
    let row = |m: &std::collections::BTreeMap<String, usize>| -> Vec<usize> {
        codes
            .iter()
            .map(|c| m.get(c).copied().unwrap_or(0))
            .collect()
    };
    match chart {
        Chart::Authors => stats
            .authors
            .iter()
            .map(|(a, m)| {
                (
                    if a.is_empty() {
                        "(no author)".into()
                    } else {
                        a.clone()
                    },
                    row(m),
                )
            })
            .collect(),
        _ => stats
            .documents
            .iter()
            .map(|d| (d.document.clone(), row(&d.codes)))
            .collect(),
    }
}

/// The chart's numbers as CSV (a header row, then one row per bar or
/// matrix row).
pub fn csv(chart: Chart, stats: &Stats, codes: &[String]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Safe to open in a spreadsheet (see `formats::csv`).
    let mut row = |cells: Vec<String>| {
        let _ = w.write_record(
            cells
                .iter()
                .map(|c| crate::formats::csv::safe_cell(c).into_owned()),
        );
    };
    match chart {
        Chart::Frequencies | Chart::Authors => {
            let first = if chart == Chart::Authors {
                "author"
            } else {
                "document"
            };
            row(std::iter::once(first.to_string())
                .chain(codes.iter().cloned())
                .collect());
            for (name, counts) in stacks(chart, stats, codes) {
                row(std::iter::once(name)
                    .chain(counts.iter().map(usize::to_string))
                    .collect());
            }
        }
        Chart::Cooccurrence => {
            row(std::iter::once("code".to_string())
                .chain(codes.iter().cloned())
                .collect());
            for a in codes {
                let counts = codes.iter().map(|b| match a == b {
                    true => String::new(),
                    false => cooccurrence(stats, a, b).to_string(),
                });
                row(std::iter::once(a.clone()).chain(counts).collect());
            }
        }
        Chart::Coverage => {
            row(["document", "chars", "coded_chars", "coverage"]
                .map(String::from)
                .to_vec());
            for d in &stats.documents {
                row(vec![
                    d.document.clone(),
                    d.chars.to_string(),
                    d.coded_chars.to_string(),
                    format!("{:.6}", d.coverage),
                ]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

const FONT: &str = "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\"";

fn color(codebook: &Codebook, code: &str) -> String {
    let [r, g, b] = codebook.get(code).map_or([128, 128, 128], |t| t.rgb());
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The chart as a self-contained SVG image (every text escaped).
pub fn svg(chart: Chart, stats: &Stats, codebook: &Codebook) -> String {
    let codes = codes(stats, codebook);
    match chart {
        Chart::Frequencies | Chart::Authors => bars_svg(chart, stats, codebook, &codes),
        Chart::Coverage => coverage_svg(stats),
        Chart::Cooccurrence => heat_svg(stats, &codes),
    }
}

fn frame(title: &str, width: f64, height: f64, body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"16\" y=\"24\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"16\" font-weight=\"bold\">{}</text>\n{body}</svg>\n",
        escape_html(title)
    )
}

/// Horizontal stacked bars, one per row, with a legend.
fn bars_svg(chart: Chart, stats: &Stats, codebook: &Codebook, codes: &[String]) -> String {
    let rows = stacks(chart, stats, codes);
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, bar_w, row_h, top) = (220.0, 480.0, 24.0, 48.0);
    let mut body = String::new();
    for (i, (name, counts)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        body.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" {FONT}>{}</text>\n",
            left - 8.0,
            y + 15.0,
            escape_html(&crate::formats::report::clip(name, 32))
        ));
        let mut x = left;
        for (code, n) in codes.iter().zip(counts) {
            if *n == 0 {
                continue;
            }
            let w = bar_w * *n as f64 / max as f64;
            body.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {n}</title></rect>\n",
                y + 3.0,
                row_h - 6.0,
                color(codebook, code),
                escape_html(code)
            ));
            x += w;
        }
        let total: usize = counts.iter().sum();
        body.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" {FONT}>{total}</text>\n",
            x + 6.0,
            y + 15.0
        ));
    }
    let mut y = top + rows.len() as f64 * row_h + 20.0;
    for (i, code) in codes.iter().enumerate() {
        let x = 16.0 + (i % 4) as f64 * 180.0;
        if i > 0 && i % 4 == 0 {
            y += 20.0;
        }
        body.push_str(&format!(
            "<rect x=\"{x:.0}\" y=\"{:.0}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.0}\" y=\"{:.0}\" {FONT}>{}</text>\n",
            y - 10.0,
            color(codebook, code),
            x + 18.0,
            y,
            escape_html(code)
        ));
    }
    frame(chart.title(), left + bar_w + 80.0, y + 20.0, &body)
}

fn coverage_svg(stats: &Stats) -> String {
    let (left, bar_w, row_h, top) = (220.0, 480.0, 24.0, 48.0);
    let mut body = String::new();
    for (i, d) in stats.documents.iter().enumerate() {
        let y = top + i as f64 * row_h;
        body.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" {FONT}>{}</text>\n\
             <rect x=\"{left:.0}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#0072B2\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" {FONT}>{:.1}%</text>\n",
            left - 8.0,
            y + 15.0,
            escape_html(&crate::formats::report::clip(&d.document, 32)),
            y + 3.0,
            bar_w * d.coverage,
            row_h - 6.0,
            left + bar_w * d.coverage + 6.0,
            y + 15.0,
            d.coverage * 100.0
        ));
    }
    frame(
        Chart::Coverage.title(),
        left + bar_w + 80.0,
        top + stats.documents.len() as f64 * row_h + 20.0,
        &body,
    )
}

fn heat_svg(stats: &Stats, codes: &[String]) -> String {
    let max = codes
        .iter()
        .flat_map(|a| codes.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| cooccurrence(stats, a, b))
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, top, cell) = (160.0, 130.0, 40.0);
    let mut body = String::new();
    for (j, code) in codes.iter().enumerate() {
        let x = left + j as f64 * cell + cell / 2.0;
        body.push_str(&format!(
            "<text transform=\"translate({x:.1},{:.0}) rotate(-45)\" {FONT}>{}</text>\n",
            top - 8.0,
            escape_html(code)
        ));
    }
    for (i, a) in codes.iter().enumerate() {
        let y = top + i as f64 * cell;
        body.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" {FONT}>{}</text>\n",
            left - 8.0,
            y + cell / 2.0 + 4.0,
            escape_html(a)
        ));
        for (j, b) in codes.iter().enumerate() {
            let x = left + j as f64 * cell;
            if a == b {
                body.push_str(&format!(
                    "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{cell:.0}\" height=\"{cell:.0}\" fill=\"#eeeeee\"/>\n"
                ));
                continue;
            }
            let n = cooccurrence(stats, a, b);
            let t = n as f64 / max as f64;
            let shade = (255.0 - t * 200.0) as u8;
            body.push_str(&format!(
                "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{cell:.0}\" height=\"{cell:.0}\" fill=\"#{shade:02x}{shade:02x}ff\" stroke=\"#ffffff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" {FONT} fill=\"{}\">{n}</text>\n",
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                if t > 0.6 { "#ffffff" } else { "#000000" }
            ));
        }
    }
    let size = codes.len() as f64 * cell;
    frame(
        Chart::Cooccurrence.title(),
        left + size + 40.0,
        top + size + 20.0,
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::ann_tagged;
    use crate::model::{Document, Tag};

    fn sample() -> (Stats, Codebook) {
        let d = Document::new(
            "a <b>.txt",
            "Officials “said” — café 😀 drone strikes.".into(),
        );
        let anns = [
            ann_tagged(&d, 0, 9, &["claim"]),
            ann_tagged(&d, 5, 16, &["source", "evidence"]),
            ann_tagged(&d, 26, 31, &["claim"]),
        ];
        let refs: Vec<_> = anns.iter().collect();
        let mut stats = Stats::default();
        stats.add("a <b>.txt", d.char_len(), &refs);
        stats.add("empty.txt", 0, &[]);
        let mut cb = Codebook::default();
        cb.tags.push(Tag::new("unused", "#000000", ""));
        (stats, cb)
    }

    #[test]
    fn numbers_follow_the_codebook_and_are_symmetric() {
        let (stats, cb) = sample();
        let codes = codes(&stats, &cb);
        assert_eq!(codes, ["claim", "source", "evidence"]);
        assert_eq!(cooccurrence(&stats, "claim", "source"), 1);
        assert_eq!(cooccurrence(&stats, "source", "claim"), 1);
        assert_eq!(cooccurrence(&stats, "source", "evidence"), 1);
        let csv = csv(Chart::Frequencies, &stats, &codes);
        assert_eq!(
            csv,
            "document,claim,source,evidence\na <b>.txt,2,1,1\nempty.txt,0,0,0\n"
        );
        let heat = super::csv(Chart::Cooccurrence, &stats, &codes);
        assert_eq!(heat.lines().nth(1), Some("claim,,1,1"));
        let cov = super::csv(Chart::Coverage, &stats, &codes);
        assert!(cov.contains("empty.txt,0,0,0.000000"), "{cov}");
        let authors = super::csv(Chart::Authors, &stats, &codes);
        assert!(
            authors.starts_with("author,claim,source,evidence\n"),
            "{authors}"
        );
    }

    #[test]
    fn every_chart_is_well_formed_escaped_svg() {
        let (stats, cb) = sample();
        for chart in Chart::ALL {
            let svg = svg(chart, &stats, &cb);
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{chart:?}: {e}\n{svg}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            assert!(!svg.contains("<b>"), "names are escaped");
            let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
            assert!(texts.contains(chart.title()));
            if chart != Chart::Authors && chart != Chart::Cooccurrence {
                assert!(texts.contains("a <b>.txt"), "{chart:?}: {texts}");
            }
        }
        let heat = svg(Chart::Cooccurrence, &stats, &cb);
        let doc = roxmltree::Document::parse(&heat).unwrap();
        let cells = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert_eq!(cells, 1 + 9, "background and a 3×3 grid");
    }
}
