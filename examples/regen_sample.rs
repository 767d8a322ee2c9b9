//! Rewrites `annotations/article.txt.annotations.ron`, the sample article's
//! shipped annotations, from the list below. Run after changing the list:
//! `cargo run --example regen_sample`.

use gloss::model::{Annotation, AnnotationId, CharRange, Codebook, Document};
use gloss::sidecar::Sidecar;
use time::macros::datetime;

/// (quote, tags, note). Each quote is found at its first occurrence.
const NOTES: &[(&str, &[&str], &str)] = &[
    (
        "Six former and active US officials cited by NBC News",
        &["source"],
        "Anonymous sourcing: six officials, none named. Check against the NBC report.",
    ),
    (
        "the Trump administration is considering drone strikes in Mexico",
        &["claim"],
        "Central claim of the piece, attributed to NBC's sources.",
    ),
    (
        "“unilateral covert action, without Mexico’s consent, has not been ruled out and could be an option of last resort.”",
        &["evidence", "claim"],
        "Direct quote from the NBC report; verify the wording.",
    ),
    (
        "Threats of drone strikes are part of an increasingly aggressive exercise of gunboat diplomacy",
        &["claim"],
        "Author's interpretation, not sourced.",
    ),
    (
        "according to his then-defense secretary, Mark Esper",
        &["source"],
        "Esper's memoir is the origin of the 2020 story.",
    ),
    (
        "Ronald Johnson, testified during his Senate confirmation hearing",
        &["source", "evidence"],
        "Hearing transcript should be on the Senate Foreign Relations site.",
    ),
    (
        "CNN and the *New York Times* exposed previously unreported CIA surveillance flights",
        &["source"],
        "Two outlets cited; find both original reports.",
    ),
    (
        "Colby Jenkins, testified before a Senate Committee",
        &["source"],
        "Which committee? Armed Services, presumably.",
    ),
    (
        "“helps us unlock the doors”",
        &["evidence"],
        "Quoted testimony.",
    ),
    (
        "according to AP",
        &["source"],
        "Wire report; locate the AP story.",
    ),
    (
        "“We reject any form of intervention or interference.",
        &["evidence"],
        "Official Mexican government response.",
    ),
    (
        "deployed 10,000 Mexican troops to the northern border",
        &["claim", "question"],
        "Figure widely reported in February 2025; confirm the number.",
    ),
    (
        "A commentary on Al Jazeera on March 7 by two academics",
        &["source"],
        "Opinion piece, not reporting.",
    ),
];

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = Document::new(gloss::sample::FILE_NAME, gloss::sample::ARTICLE.to_string());
    let time = datetime!(2026-11-29 10:00 UTC);
    let mut annotations = Vec::new();
    for (i, (quote, tags, note)) in NOTES.iter().enumerate() {
        let byte = doc
            .text()
            .find(quote)
            .ok_or_else(|| anyhow::anyhow!("quote not in the article: {quote}"))?;
        let start = doc.text()[..byte].chars().count();
        let range = CharRange::new(start, start + quote.chars().count());
        let tags = tags.iter().map(|t| t.to_string()).collect();
        let mut a = Annotation::new(&doc, range, tags, "Gloss sample", time);
        a.id = AnnotationId(format!("00000000-0000-4000-8000-{:012}", i + 1));
        a.note = note.to_string();
        annotations.push(a);
    }
    let sidecar = Sidecar::new(&doc, Codebook::default(), annotations);
    let path = root.join("annotations").join("article.txt.annotations.ron");
    gloss::storage::atomic_write(
        &path,
        sidecar.to_ron()?.as_bytes(),
        gloss::storage::WriteMode::Replace,
    )?;
    println!(
        "wrote {} annotations to {}",
        sidecar.annotations.len(),
        path.display()
    );
    Ok(())
}
