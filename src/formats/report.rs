//! Reports for people: the document with its highlights, the notes, a legend
//! of the codebook, and the passages grouped by tag — as Markdown, or as one
//! self-contained HTML file that opens and prints in any browser. Every piece
//! of document text and every note is escaped: a document containing
//! `<script>` shows it as text.

use super::Source;
use crate::model::{Annotation, CharRange};

/// `s` on one line, cut to `max` chars with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        flat.chars()
            .take(max.saturating_sub(1))
            .chain(['…'])
            .collect()
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes Markdown's syntax (and raw HTML) so text shows as written:
/// inline markers everywhere, block markers (headings, lists, quotes) only
/// where they would start a line.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        for (j, c) in body.chars().enumerate() {
            let block_start = j == 0 && "#+-=>".contains(c);
            let ordered = j == digits && digits > 0 && ".)".contains(c);
            if "\\`*_[]<>|&~".contains(c) || block_start || ordered {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A piece of the document between annotation boundaries.
struct Segment {
    range: CharRange,
    /// Numbers (1-based, document order) of the annotations covering it.
    covering: Vec<usize>,
    /// Numbers of the annotations that end with it.
    ending: Vec<usize>,
}

/// Cuts the document at every annotation boundary, sweeping once so that
/// many annotations stay cheap.
fn segments<'a>(source: &Source<'a>) -> (Vec<&'a Annotation>, Vec<Segment>) {
    let anns: Vec<&Annotation> = source.anchored().collect();
    let mut cuts: Vec<usize> = vec![0, source.doc.char_len()];
    let mut starts: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    let mut ends: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, a) in anns.iter().enumerate() {
        cuts.push(a.start);
        cuts.push(a.end);
        starts.entry(a.start).or_default().push(i + 1);
        ends.entry(a.end).or_default().push(i + 1);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut active = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        for n in ends.get(&w[0]).into_iter().flatten() {
            active.remove(n);
        }
        active.extend(starts.get(&w[0]).into_iter().flatten().copied());
        let range = CharRange::new(w[0], w[1]);
        if range.is_empty() {
            continue;
        }
        let ending = ends.get(&w[1]).cloned().unwrap_or_default();
        out.push(Segment {
            range,
            covering: active.iter().copied().collect(),
            ending,
        });
    }
    (anns, out)
}

fn tag_list(a: &Annotation) -> String {
    if a.tags.is_empty() {
        "highlight".into()
    } else {
        a.tags.join(", ")
    }
}

pub fn markdown(source: &Source<'_>) -> String {
    let (anns, segs) = segments(source);
    let mut md = format!("# Annotations of {}\n\n", escape_markdown(&source.doc.name));
    md.push_str(&format!(
        "{}. Highlighted passages are **bold**, numbered like [1]; notes follow the text.\n\n",
        crate::words::plural(source.annotations.len(), "annotation")
    ));
    if !source.memo.trim().is_empty() {
        md.push_str("## Memo\n\n");
        for para in source.memo.trim().split("\n\n") {
            md.push_str(&escape_markdown(para.trim()));
            md.push_str("\n\n");
        }
    }
    md.push_str("## Codebook\n\n");
    for t in &source.codebook.tags {
        let n = source
            .annotations
            .iter()
            .filter(|a| a.has_tag(&t.name))
            .count();
        md.push_str(&format!(
            "- **{}** ({}, {n}){}\n",
            escape_markdown(&t.name),
            t.color,
            if t.description.is_empty() {
                String::new()
            } else {
                format!(": {}", escape_markdown(&t.description))
            }
        ));
    }
    md.push_str("\n## Text\n\n");
    for seg in &segs {
        let text = escape_markdown(source.doc.slice(seg.range))
            .replace("\r\n", "\n")
            .replace('\n', "  \n");
        if seg.covering.is_empty() {
            md.push_str(&text);
        } else {
            md.push_str(&format!("**{}**", text.trim_end_matches("  \n")));
            if text.ends_with("  \n") {
                md.push_str("  \n");
            }
        }
        for n in &seg.ending {
            md.push_str(&format!(" \\[{n}\\]"));
        }
    }
    md.push_str("\n\n## Notes\n\n");
    for (i, a) in anns.iter().enumerate() {
        md.push_str(&format!(
            "{}. *{}* — “{}”",
            i + 1,
            escape_markdown(&tag_list(a)),
            escape_markdown(&clip(&a.quote, 80))
        ));
        if !a.note.is_empty() {
            md.push_str(&format!(
                ": {}",
                escape_markdown(&a.note).replace('\n', "  \n   ")
            ));
        }
        md.push_str(&format!(" ({})\n", escape_markdown(&a.author)));
    }
    md.push_str("\n## Passages by tag\n");
    for (name, group) in groups(source) {
        md.push_str(&format!(
            "\n### {} ({})\n\n",
            escape_markdown(&name),
            group.len()
        ));
        for a in group {
            md.push_str(&format!(
                "> {}\n",
                escape_markdown(&a.quote).replace('\n', "\n> ")
            ));
            if !a.note.is_empty() {
                md.push_str(&format!(
                    ">\n> — {}\n",
                    escape_markdown(&a.note).replace('\n', "\n> ")
                ));
            }
            md.push('\n');
        }
    }
    let orphans = orphans(source);
    if !orphans.is_empty() {
        md.push_str(&format!(
            "\n## Orphans ({})\n\nThese passages are no longer in the text; they are kept with their quote.\n\n",
            orphans.len()
        ));
        for a in orphans {
            md.push_str(&format!(
                "- “{}” [{}]",
                escape_markdown(&a.quote).replace('\n', " "),
                escape_markdown(&a.tags.join(", "))
            ));
            if !a.note.is_empty() {
                md.push_str(&format!(
                    ": {}",
                    escape_markdown(&a.note).replace('\n', " ")
                ));
            }
            md.push('\n');
        }
    }
    md
}

/// Annotations whose text is gone: listed apart, with their quote.
fn orphans<'a>(source: &Source<'a>) -> Vec<&'a Annotation> {
    source
        .annotations
        .iter()
        .copied()
        .filter(|a| a.is_orphaned())
        .collect()
}

/// Tags in codebook order (then unknown tags, then untagged), with their annotations.
fn groups<'a>(source: &Source<'a>) -> Vec<(String, Vec<&'a Annotation>)> {
    let mut names: Vec<String> = source
        .codebook
        .tags
        .iter()
        .map(|t| t.name.clone())
        .collect();
    for &a in &source.annotations {
        for t in &a.tags {
            if !names.contains(t) {
                names.push(t.clone());
            }
        }
    }
    let mut out: Vec<(String, Vec<&Annotation>)> = names
        .into_iter()
        .map(|n| {
            let g = source
                .annotations
                .iter()
                .copied()
                .filter(|a| a.has_tag(&n) && !a.is_orphaned())
                .collect();
            (n, g)
        })
        .filter(|(_, g): &(String, Vec<&Annotation>)| !g.is_empty())
        .collect();
    let untagged: Vec<&Annotation> = source
        .annotations
        .iter()
        .copied()
        .filter(|a| a.tags.is_empty() && !a.is_orphaned())
        .collect();
    if !untagged.is_empty() {
        out.push(("highlights without a tag".into(), untagged));
    }
    out
}

pub fn html(source: &Source<'_>) -> String {
    let (anns, segs) = segments(source);
    let color = |a: &Annotation| {
        a.tags
            .first()
            .and_then(|t| source.codebook.get(t))
            .map(|t| t.color.clone())
            .unwrap_or_else(|| "#E6C200".into())
    };
    let safe_color = |c: String| {
        if crate::model::parse_hex_color(&c).is_some() {
            c
        } else {
            "#808080".into()
        }
    };
    let title = escape_html(&format!("Annotations of {}", source.doc.name));
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    if !source.memo.trim().is_empty() {
        h.push_str("<h2>Memo</h2>\n<div class=\"memo\">");
        for para in source.memo.trim().split("\n\n") {
            h.push_str(&format!(
                "<p>{}</p>",
                escape_html(para.trim()).replace('\n', "<br>")
            ));
        }
        h.push_str("</div>\n");
    }
    h.push_str("<h2>Codebook</h2>\n<ul class=\"legend\">\n");
    for t in &source.codebook.tags {
        let n = source
            .annotations
            .iter()
            .filter(|a| a.has_tag(&t.name))
            .count();
        h.push_str(&format!(
            "<li><span class=\"chip\" style=\"background:{}\"></span><b>{}</b> ({n}) {}</li>\n",
            safe_color(t.color.clone()),
            escape_html(&t.name),
            escape_html(&t.description)
        ));
    }
    h.push_str("</ul>\n<h2>Text</h2>\n<div class=\"doc\">");
    for seg in &segs {
        let text = escape_html(source.doc.slice(seg.range));
        let covering = &seg.covering;
        match covering.last() {
            None => h.push_str(&text),
            Some(&n) => {
                let a = anns[n - 1];
                let tips: Vec<String> = covering
                    .iter()
                    .map(|&i| escape_html(&format!("[{i}] {}", tag_list(anns[i - 1]))))
                    .collect();
                let depth = covering.len().min(4);
                h.push_str(&format!(
                    "<mark class=\"d{depth}\" style=\"--c:{}\" title=\"{}\">{text}</mark>",
                    safe_color(color(a)),
                    tips.join("; ")
                ));
            }
        }
        for n in &seg.ending {
            h.push_str(&format!("<sup><a href=\"#n{n}\" id=\"r{n}\">{n}</a></sup>"));
        }
    }
    h.push_str("</div>\n<h2>Notes</h2>\n<ol class=\"notes\">\n");
    for (i, a) in anns.iter().enumerate() {
        h.push_str(&format!(
            "<li id=\"n{}\"><a href=\"#r{}\">↑</a> <i>{}</i> — “{}”{} <span class=\"by\">{}</span></li>\n",
            i + 1,
            i + 1,
            escape_html(&tag_list(a)),
            escape_html(&clip(&a.quote, 100)),
            if a.note.is_empty() { String::new() } else { format!("<div class=\"note\">{}</div>", escape_html(&a.note)) },
            escape_html(&a.author)
        ));
    }
    h.push_str("</ol>\n<h2>Passages by tag</h2>\n");
    for (name, group) in groups(source) {
        h.push_str(&format!(
            "<h3>{} ({})</h3>\n",
            escape_html(&name),
            group.len()
        ));
        for a in group {
            h.push_str(&format!("<blockquote>{}", escape_html(&a.quote)));
            if !a.note.is_empty() {
                h.push_str(&format!(
                    "<div class=\"note\">{}</div>",
                    escape_html(&a.note)
                ));
            }
            h.push_str("</blockquote>\n");
        }
    }
    let orphans = orphans(source);
    if !orphans.is_empty() {
        h.push_str(&format!(
            "<h2>Orphans ({})</h2>\n<p>These passages are no longer in the text; they are kept with their quote.</p>\n<ul class=\"orphans\">\n",
            orphans.len()
        ));
        for a in orphans {
            h.push_str(&format!(
                "<li>“{}” [{}]{}</li>\n",
                escape_html(&a.quote),
                escape_html(&a.tags.join(", ")),
                if a.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", escape_html(&a.note))
                }
            ));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

const CSS: &str = "body { font: 17px/1.6 Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; }
h1, h2, h3 { font-family: system-ui, sans-serif; }
.doc { white-space: pre-wrap; }
mark { background: color-mix(in srgb, var(--c) 22%, transparent); border-bottom: 2px solid var(--c); color: inherit; }
mark.d2 { background: color-mix(in srgb, var(--c) 38%, transparent); }
mark.d3, mark.d4 { background: color-mix(in srgb, var(--c) 52%, transparent); }
sup a { font: 11px system-ui, sans-serif; text-decoration: none; }
.legend { list-style: none; padding: 0; } .chip { display: inline-block; width: 1em; height: 1em; border-radius: 3px; margin-right: .4em; vertical-align: -2px; }
.note { white-space: pre-wrap; font-family: system-ui, sans-serif; font-size: 15px; color: #444; }
.by { color: #777; font-size: 13px; }
blockquote { border-left: 3px solid #ccc; margin: .8em 0; padding-left: 1em; white-space: pre-wrap; }
@media print { a { color: inherit; } }
";

/// A document on the index page of several reports.
pub struct IndexEntry {
    /// The report's file name, beside the index.
    pub href: String,
    pub name: String,
    pub annotations: usize,
    /// Share of the text coded, 0–1.
    pub coverage: f64,
    /// Annotations per code, in codebook order.
    pub codes: Vec<(String, usize)>,
    /// Whether the document has a memo (shown in its report).
    pub memo: bool,
}

/// The page that leads to each document's report: the project memo, then
/// one row per document (self-contained, every text escaped).
pub fn index_html(title: &str, memo: &str, entries: &[IndexEntry]) -> String {
    let title = escape_html(title);
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>\n{CSS}table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .3em .8em; text-align: left; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    if !memo.trim().is_empty() {
        h.push_str("<h2>Project memo</h2>\n<div class=\"memo\">");
        for para in memo.trim().split("\n\n") {
            h.push_str(&format!(
                "<p>{}</p>",
                escape_html(para.trim()).replace('\n', "<br>")
            ));
        }
        h.push_str("</div>\n");
    }
    let total: usize = entries.iter().map(|e| e.annotations).sum();
    h.push_str(&format!(
        "<h2>Documents</h2>\n<p>{}, {}.</p>\n<table>\n<tr><th>Document</th><th>Annotations</th><th>Coded</th><th>Codes</th></tr>\n",
        crate::words::plural(entries.len(), "document"),
        crate::words::plural(total, "annotation")
    ));
    for e in entries {
        let codes: Vec<String> = e
            .codes
            .iter()
            .map(|(c, n)| format!("{} ({n})", escape_html(c)))
            .collect();
        h.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a>{}</td><td>{}</td><td>{:.1}%</td><td>{}</td></tr>\n",
            escape_html(&percent_encode(&e.href)),
            escape_html(&e.name),
            if e.memo { " ✎" } else { "" },
            e.annotations,
            e.coverage * 100.0,
            codes.join(", ")
        ));
    }
    h.push_str("</table>\n</body>\n</html>\n");
    h
}

/// A file name as a relative URL (spaces, `#`, `?`, `%` and the like
/// encoded, so the link reaches the file).
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testdata;

    #[test]
    fn html_escapes_everything_and_has_every_annotation() {
        let f = testdata::Fixture::new();
        let (anns, src) = (&f.annotations, f.source());
        let h = html(&src);
        assert!(!h.contains("<script"), "no script element can appear");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
        for n in 1..=anns.len() {
            assert!(h.contains(&format!("id=\"n{n}\"")), "note {n}");
        }
        assert!(h.contains("<h3>key point (1)</h3>"));
        assert!(h.contains("Content-Security-Policy"));
    }

    #[test]
    fn reports_list_orphans_apart() {
        let f = testdata::Fixture::with_first_orphaned();
        let (anns, src) = (&f.annotations, f.source());
        let md = markdown(&src);
        let orphans = md
            .split("## Orphans (1)")
            .nth(1)
            .expect("an Orphans section");
        assert!(orphans.contains(&escape_markdown(&anns[0].quote).replace('\n', " ")));
        let html = html(&src);
        assert!(html.contains("<h2>Orphans (1)</h2>"));
    }

    #[test]
    fn markdown_escapes_and_groups() {
        let f = testdata::Fixture::new();
        let src = f.source();
        let md = markdown(&src);
        assert!(!md.contains("<script>"), "{md}");
        assert!(md.contains("\\<script\\>"));
        assert_eq!(
            escape_markdown("- a.b *c* 1. x\n2. y\n# z"),
            "\\- a.b \\*c\\* 1. x\n2\\. y\n\\# z"
        );
        assert!(md.contains("### claim (2)"));
        assert!(md.contains("### highlights without a tag (1)"));
        assert!(md.contains("**שלום** \\[5\\]"), "{md}");
    }

    #[test]
    fn clip_counts_chars_and_flattens_lines() {
        assert_eq!(clip("a\n b", 10), "a b");
        assert_eq!(clip("😀😀😀😀", 3), "😀😀…");
    }

    #[test]
    fn segments_split_overlaps() {
        let doc = crate::model::Document::new("t", "abcdef".into());
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let anns = [
            Annotation::new(&doc, CharRange::new(0, 4), vec![], "", t),
            Annotation::new(&doc, CharRange::new(2, 6), vec![], "", t),
        ];
        let c = crate::model::Codebook::default();
        let src = Source {
            doc: &doc,
            codebook: &c,
            annotations: anns.iter().collect(),
            uri: String::new(),
            memo: "",
        };
        let (_, segs) = segments(&src);
        let got: Vec<(usize, usize, Vec<usize>, Vec<usize>)> = segs
            .into_iter()
            .map(|s| (s.range.start, s.range.end, s.covering, s.ending))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, vec![1], vec![]),
                (2, 4, vec![1, 2], vec![1]),
                (4, 6, vec![2], vec![2])
            ]
        );
    }

    #[test]
    fn the_index_links_every_report_and_escapes_names() {
        let e = IndexEntry {
            href: "a b#1.txt.html".into(),
            name: "a b#1 <x>.txt".into(),
            annotations: 3,
            coverage: 0.125,
            codes: vec![("claim & co".into(), 2)],
            memo: true,
        };
        let h = index_html("Study <1>", "", &[e]);
        assert!(h.contains("href=\"a%20b%231.txt.html\""), "{h}");
        assert!(h.contains("a b#1 &lt;x&gt;.txt</a> ✎"), "{h}");
        assert!(h.contains("<td>12.5%</td>"));
        assert!(h.contains("claim &amp; co (2)"));
        assert!(h.contains("<h1>Study &lt;1&gt;</h1>"));
        assert!(!h.contains("Project memo"), "no empty memo section");
    }
}
