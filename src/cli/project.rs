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
    for p in paths {
        // Folders list their documents relative to themselves.
        let docs = if p.is_dir() {
            crate::project::annotated_documents(p)
                .with_context(|| format!("could not read the folder {}", p.display()))?
        } else {
            vec![(p.display().to_string(), p.clone())]
        };
        for (name, doc) in docs {
            let s = open(&doc)?;
            let anns: Vec<&crate::model::Annotation> = s.store.annotations.iter().collect();
            stats.add(&name, s.doc.char_len(), &anns);
        }
    }
    let output = match format {
        StatsFormat::Table => Output::Table,
        StatsFormat::Csv => Output::Csv,
        StatsFormat::Json => Output::Json,
    };
    out.write_all(render(&stats, output).as_bytes())?;
    Ok(())
}
