//! `gloss import FOLDER --from qdpx PROJECT.qdpx`: a REFI-QDA project comes
//! back as a project ([`crate::project::refi`] does the work; this says it).

use super::*;

pub(super) fn import_project(
    folder: &Path,
    file: &Path,
    dry_run: bool,
    author: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let bytes = formats::read_import_file(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let report = crate::project::refi::import_project(folder, &bytes, dry_run, author)
        .with_context(|| format!("could not import {}", file.display()))?;
    for line in &report.lines {
        writeln!(out, "{line}")?;
    }
    if report.problems > 0 {
        bail!(
            "{} not be imported (see above)",
            crate::words::plural_of(report.problems, "document could", "documents could")
        );
    }
    Ok(())
}
