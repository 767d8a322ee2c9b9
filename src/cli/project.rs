//! Commands over a folder coded together: passages and stats.

use super::*;

/// `gloss passages`: code retrieval across a folder.
pub(super) fn passages(
    folder: &Path,
    query: QueryArgs,
    format: PassagesFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::project::passages::{Output, render};
    let query = crate::project::Query::from(query);
    let found = crate::project::passages(folder, &query, &mut |doc, why| {
        eprintln!("gloss: {} left out: {why}", doc.display())
    })
    .with_context(|| format!("could not read the folder {}", folder.display()))?;
    let output = match format {
        PassagesFormat::Table => Output::Table,
        PassagesFormat::Csv => Output::Csv,
        PassagesFormat::Md => Output::Md,
        PassagesFormat::Html => Output::Html,
        PassagesFormat::Jsonl => Output::Jsonl,
    };
    out.write_all(render(&found, output).as_bytes())?;
    Ok(())
}

pub(super) fn stats(
    paths: &[PathBuf],
    format: StatsFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::project::stats::{Output, render};
    let mut stats = crate::project::Stats::default();
    // Documents read, coded or not: a folder where nothing is coded yet
    // is said so, not answered with nothing.
    let mut read = 0;
    for p in paths {
        if p.is_dir() {
            read += crate::project::listing_paths(p)
                .with_context(|| format!("could not read the folder {}", p.display()))?
                .len();
            // Folders list their documents relative to themselves, coded
            // with the project's codebook.
            let mut skipped =
                |doc: &Path, why: String| eprintln!("gloss: skipped {}: {why}", doc.display());
            crate::project::each_document(p, None, &|_| true, &mut skipped, &mut |seen| {
                stats.add(seen.rel, seen.doc.char_len(), seen.annotations)
            })
            .with_context(|| format!("could not read the folder {}", p.display()))?;
        } else {
            let s = open(p)?;
            let anns: Vec<&crate::model::Annotation> = s.store().annotations.iter().collect();
            stats.add(&p.display().to_string(), s.doc().char_len(), &anns);
            read += 1;
        }
    }
    let output = match format {
        StatsFormat::Table => Output::Table,
        StatsFormat::Csv => Output::Csv,
        StatsFormat::Json => Output::Json,
    };
    out.write_all(render(&stats, output).as_bytes())?;
    if stats.documents.iter().all(|d| d.annotations == 0) {
        let said = match read {
            0 => "no document Gloss opens was found, so nothing is coded".to_string(),
            1 => "1 document read; it is not coded yet (no annotations)".to_string(),
            n => format!("{n} documents read; none is coded yet (no annotations)"),
        };
        // In a table, as its last line; beside CSV or JSON, on stderr,
        // which keeps the data as a program reads it.
        match output {
            Output::Table => writeln!(out, "{said}")?,
            _ => eprintln!("gloss: {said}"),
        }
    }
    Ok(())
}
