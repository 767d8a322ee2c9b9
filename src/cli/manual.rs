//! The manual as packages install it, generated from the CLI's own
//! definitions so it never disagrees with `--help`: man pages (`gloss.1`
//! and one per command, `gloss-export.1`…) and completions for bash, zsh
//! and fish. `gloss --write-manual DIR` writes them (packaging runs it).

use super::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::Path;

/// The argument that writes the manual (never shown in `--help`).
pub const WRITE_MANUAL_ARG: &str = "--write-manual";

/// Writes `DIR/man/*.1` and `DIR/completions/{gloss.bash,_gloss,gloss.fish}`.
pub fn write(dir: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let man = dir.join("man");
    let completions = dir.join("completions");
    for d in [&man, &completions] {
        std::fs::create_dir_all(d).with_context(|| format!("could not create {}", d.display()))?;
    }
    let cmd = Cli::command();
    clap_mangen::generate_to(cmd.clone(), &man)
        .with_context(|| format!("could not write the man pages in {}", man.display()))?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut cmd = cmd.clone();
        clap_complete::generate_to(shell, &mut cmd, "gloss", &completions).with_context(|| {
            format!(
                "could not write the {shell} completions in {}",
                completions.display()
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_manual_covers_every_command_and_every_shell() {
        let dir = tempfile::tempdir().unwrap();
        super::write(dir.path()).unwrap();
        let page = std::fs::read_to_string(dir.path().join("man/gloss.1")).unwrap();
        assert!(
            page.starts_with(".ie") || page.contains(".TH gloss 1"),
            "{page}"
        );
        assert!(page.contains("gloss\\-export(1)"), "{page}");
        let export = std::fs::read_to_string(dir.path().join("man/gloss-export.1")).unwrap();
        assert!(export.contains("\\-\\-format"), "{export}");
        for f in ["gloss.bash", "_gloss", "gloss.fish"] {
            let text = std::fs::read_to_string(dir.path().join("completions").join(f)).unwrap();
            assert!(text.contains("export"), "{f}: {text}");
            assert!(!text.contains("extract-worker"), "{f}");
        }
    }
}
