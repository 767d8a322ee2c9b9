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

/// The colour of coverage bars and co-occurrence cells (Okabe–Ito blue).
pub const BLUE: [u8; 3] = [0x00, 0x72, 0xB2];

/// A co-occurrence cell's colour: `BLUE` over `background`, the stronger
/// the more often the codes meet (`n` of the matrix's `max`), never quite
/// the background, so an empty cell still reads as a cell. The window and
/// the SVG shade alike.
pub fn heat_fill(n: usize, max: usize, background: [u8; 3]) -> [u8; 3] {
    let alpha = 0.12 + 0.88 * (n as f64 / max.max(1) as f64).clamp(0.0, 1.0);
    let mix = |fg: u8, bg: u8| (fg as f64 * alpha + bg as f64 * (1.0 - alpha)).round() as u8;
    [0, 1, 2].map(|i| mix(BLUE[i], background[i]))
}

pub use crate::model::text_on;

/// A share coded as its label on a coverage bar ("12.5%").
pub fn percent(coverage: f64) -> String {
    format!("{:.1}%", coverage * 100.0)
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn color(codebook: &Codebook, code: &str) -> String {
    hex(codebook.get(code).map_or([128, 128, 128], |t| t.rgb()))
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
    let (left, bar_w, row_h) = (220.0, 480.0, 24.0);
    // The legend above the bars, as the window draws it: never over them.
    let mut body = String::new();
    let mut y = 52.0;
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
    let top = y + 16.0;
    for (i, (name, counts)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        body.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" {FONT}>{}</text>\n",
            left - 8.0,
            y + 15.0,
            escape_html(&crate::formats::report::clip(name, 28))
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
    frame(
        chart.title(),
        left + bar_w + 80.0,
        top + rows.len() as f64 * row_h + 20.0,
        &body,
    )
}

/// Whether a coverage bar's label goes inside its end (a long bar), as
/// the window places it, rather than after it.
pub fn label_inside(coverage: f64) -> bool {
    coverage > 0.8
}

fn coverage_svg(stats: &Stats) -> String {
    let (left, bar_w, row_h, top) = (220.0, 480.0, 24.0, 48.0);
    let mut body = String::new();
    for (i, d) in stats.documents.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let end = left + bar_w * d.coverage;
        let label = if label_inside(d.coverage) {
            format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{}\" {FONT}>{}</text>",
                end - 6.0,
                y + 15.0,
                hex(text_on(BLUE)),
                percent(d.coverage)
            )
        } else {
            format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" {FONT}>{}</text>",
                end + 6.0,
                y + 15.0,
                percent(d.coverage)
            )
        };
        body.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" {FONT}>{}</text>\n\
             <rect x=\"{left:.0}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>\n{label}\n",
            left - 8.0,
            y + 15.0,
            escape_html(&crate::formats::report::clip(&d.document, 28)),
            y + 3.0,
            bar_w * d.coverage,
            row_h - 6.0,
            hex(BLUE),
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
    // Column names go up at 45°: room above for the longest (about 7
    // points a char at 12 points), and after the last column.
    let longest = codes.iter().map(|c| c.chars().count()).max().unwrap_or(0) as f64;
    let rise = longest * 7.0 * std::f64::consts::FRAC_1_SQRT_2;
    let (left, top, cell) = (160.0, 56.0 + rise, 40.0);
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
            let fill = heat_fill(n, max, [255, 255, 255]);
            body.push_str(&format!(
                "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{cell:.0}\" height=\"{cell:.0}\" fill=\"{}\" stroke=\"#ffffff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" {FONT} fill=\"{}\">{n}</text>\n",
                hex(fill),
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                hex(text_on(fill))
            ));
        }
    }
    let size = codes.len() as f64 * cell;
    frame(
        Chart::Cooccurrence.title(),
        left + size + rise + 20.0,
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
        // Coverage bars carry their numbers, as on screen.
        let cover = svg(Chart::Coverage, &stats, &cb);
        let doc = roxmltree::Document::parse(&cover).unwrap();
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        for d in &stats.documents {
            assert!(texts.contains(&percent(d.coverage).as_str()), "{texts:?}");
        }
        assert!(texts.contains(&"0.0%"), "{texts:?}");
        // The legend is above the bars, never over them.
        let bars = svg(Chart::Authors, &stats, &cb);
        let doc = roxmltree::Document::parse(&bars).unwrap();
        let y_of = |fill: &str| -> Vec<f64> {
            doc.descendants()
                .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(fill))
                .filter_map(|n| n.attribute("y")?.parse().ok())
                .collect()
        };
        let claim = y_of(&color(&cb, "claim"));
        assert_eq!(claim.len(), 2, "a swatch and a bar");
        assert!(claim[0] + 12.0 < claim[1], "{claim:?}");
        let heat = svg(Chart::Cooccurrence, &stats, &cb);
        let doc = roxmltree::Document::parse(&heat).unwrap();
        let cells = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert_eq!(cells, 1 + 9, "background and a 3×3 grid");
    }
}

#[cfg(test)]
mod shade_tests {
    use super::*;

    #[test]
    fn cells_darken_with_their_count_and_their_numbers_stay_readable() {
        let white = [255, 255, 255];
        let empty = heat_fill(0, 4, white);
        let full = heat_fill(4, 4, white);
        assert_ne!(empty, white, "an empty cell is still a cell");
        assert_eq!(full, BLUE);
        assert!(heat_fill(2, 4, white)[0] < empty[0]);
        assert_eq!(text_on(empty), [0, 0, 0]);
        assert_eq!(text_on(full), [255, 255, 255]);
        // On a dark window the same cell reads in white.
        assert_eq!(text_on(heat_fill(0, 4, [27, 27, 27])), [255, 255, 255]);
        // Every cell's number meets WCAG AA, on both themes' grounds.
        for ground in [white, [27, 27, 27], [248, 248, 248]] {
            for n in 0..=10 {
                let fill = heat_fill(n, 10, ground);
                let c = crate::model::contrast(text_on(fill), fill);
                assert!(c >= 4.5, "{n}/10 on {ground:?}: {c:.2}");
            }
        }
        assert_eq!(percent(0.125), "12.5%");
    }
}
