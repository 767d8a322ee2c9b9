//! `gloss`: the desktop app, and (in later commands) the headless tools.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Gloss — read closely, tag passages, write notes.
///
/// Opens a plain-text or Markdown document in the annotation window. Without
/// a PATH it opens the sample article. Annotations are saved beside the
/// document in `NAME.annotations.ron`.
#[derive(Parser, Debug)]
#[command(name = "gloss", version, about, long_about)]
struct Cli {
    /// The document to open (.txt, .md, or any text file).
    path: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(feature = "gui")]
fn run(cli: Cli) -> anyhow::Result<()> {
    let mut options = gloss::ui::AppOptions::default();
    if let Some(path) = cli.path {
        // A bad path still opens the window (on the sample) with the message,
        // so the user sees what happened; the terminal gets it too.
        if let Err(e) = gloss::session::Session::open(&path) {
            eprintln!("gloss: {e}");
            options.startup_error = Some(format!("{e}."));
        } else {
            options.open = Some(path);
        }
    }
    gloss::ui::run(options)
}

#[cfg(not(feature = "gui"))]
fn run(cli: Cli) -> anyhow::Result<()> {
    let _ = cli;
    anyhow::bail!(
        "this build of gloss has no window (built without the `gui` feature); see `gloss --help`"
    )
}
