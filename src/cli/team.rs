//! `gloss git-setup` and `gloss agreement`.

use std::io::Write;
use std::path::Path;

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
