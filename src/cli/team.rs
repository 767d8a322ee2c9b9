//! `gloss git-setup` and `gloss agreement`.

use super::AgreementFormat;
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn git_setup(folder: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    let folder = folder.unwrap_or(Path::new("."));
    let exe = std::env::current_exe()?;
    let done = crate::team::git::setup(folder, &exe)?;
    let attrs = done.root.join(".gitattributes");
    if done.added_lines.is_empty() {
        writeln!(
            out,
            "{}: already routes annotation files to Gloss",
            attrs.display()
        )?;
    } else {
        writeln!(out, "{}: added", attrs.display())?;
        for l in &done.added_lines {
            writeln!(out, "  {l}")?;
        }
        writeln!(
            out,
            "Commit it, so every clone merges annotation files with Gloss."
        )?;
    }
    if done.driver_was_set {
        writeln!(out, "merge.gloss.driver was already set")?;
    } else {
        writeln!(out, "merge.gloss.driver = {}", done.driver)?;
        writeln!(
            out,
            "(in this clone's .git/config: run `gloss git-setup` once in each clone)"
        )?;
    }
    Ok(())
}

/// `gloss agreement`: the figures for documents and folders.
pub fn agreement(
    paths: &[PathBuf],
    authors: &[String],
    curator: &str,
    codes: &[String],
    format: AgreementFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::team::agreement::{report, report_json};
    let mut owned = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut skipped =
                |doc: &Path, why: String| eprintln!("gloss: skipped {}: {why}", doc.display());
            owned.extend(
                crate::team::agreement_io::Owned::folder(p, None, &mut skipped)
                    .with_context(|| format!("could not read the folder {}", p.display()))?,
            );
        } else {
            let s = super::open(p)?;
            owned.push(crate::team::agreement_io::Owned::of(
                &p.display().to_string(),
                &s,
            ));
        }
    }
    let docs: Vec<_> = owned.iter().map(|o| o.coded()).collect();
    let codes = (!codes.is_empty()).then_some(codes);
    let coders;
    let authors = if authors.is_empty() {
        coders = crate::team::agreement::coders(&docs, curator);
        if crate::team::agreement::annotators(&docs).len() > coders.len() {
            eprintln!(
                "gloss: the curator “{curator}” is left out; name it in --authors to count it"
            );
        }
        &coders
    } else {
        authors
    };
    let r = report(&docs, authors, codes);
    match format {
        AgreementFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report_json(&r))?;
            writeln!(out)?;
        }
        AgreementFormat::Table => {
            out.write_all(crate::team::agreement_io::table(&r, docs.len()).as_bytes())?
        }
    }
    Ok(())
}
