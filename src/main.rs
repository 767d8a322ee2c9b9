//! `gloss`: the desktop app and the headless commands (see `gloss --help`).

use clap::Parser;
use gloss::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Two roles no user calls, kept out of `--help`: reading a document
    // for another gloss, and writing the manual for packaging.
    let mut args = std::env::args_os().skip(1);
    match args.next() {
        Some(a) if a == gloss::extract::isolate::WORKER_ARG => {
            let kind = args.next().unwrap_or_default();
            return gloss::extract::isolate::serve(&kind.to_string_lossy());
        }
        Some(a) if a == gloss::cli::manual::WRITE_MANUAL_ARG => {
            let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
            return match gloss::cli::manual::write(&dir) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gloss: {e:#}");
                    ExitCode::from(2)
                }
            };
        }
        _ => {}
    }
    // Documents are read in a copy of this program, so a reader that
    // crashes on a hostile file costs the open, not the window.
    gloss::extract::isolate::use_this_program();
    let cli = Cli::parse();
    // Absolute from here on: the window's project views list the
    // document's folder, which a relative path leaves empty.
    let documents = cli.window_documents();
    let result = match cli.command {
        Some(command) => gloss::cli::run(command, &mut std::io::stdout().lock()),
        None => window(documents).map(|()| false),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        // A closed pipe (`gloss export … | head`) is not an error worth a message.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Each cause once: a message that already says its cause (as
            // typed errors do) is not followed by it again.
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !msg.contains(&cause) {
                    msg.push_str(": ");
                    msg.push_str(&cause);
                }
            }
            eprintln!("gloss: {msg}");
            ExitCode::from(2)
        }
    }
}

#[cfg(feature = "gui")]
fn window(mut documents: Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    // A path that cannot be opened still opens the window, on the sample,
    // with the reason shown (and printed): the app reports it.
    let open = (!documents.is_empty()).then(|| documents.remove(0));
    gloss::ui::run(gloss::ui::AppOptions {
        open,
        waiting: documents,
        ..Default::default()
    })
}

#[cfg(not(feature = "gui"))]
fn window(_documents: Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build of gloss has no window (built without the `gui` feature); see `gloss --help` for the commands it has"
    )
}
