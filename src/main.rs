//! `gloss`: the desktop app and the headless commands (see `gloss --help`).

use clap::Parser;
use gloss::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    if args
        .next()
        .is_some_and(|a| a == gloss::extract::isolate::WORKER_ARG)
    {
        let kind = args.next().unwrap_or_default();
        return gloss::extract::isolate::serve(&kind.to_string_lossy());
    }
    // Documents are read in a copy of this program, so a reader that
    // crashes on a hostile file costs the open, not the window.
    gloss::extract::isolate::use_this_program();
    let cli = Cli::parse();
    // Absolute from here on: the window's project views list the
    // document's folder, which a relative path leaves empty.
    let document = cli.window_document();
    let result = match cli.command {
        Some(command) => gloss::cli::run(command, &mut std::io::stdout().lock()),
        None => window(document).map(|()| false),
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
fn window(document: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    // A path that cannot be opened still opens the window, on the sample,
    // with the reason shown (and printed): the app reports it.
    gloss::ui::run(gloss::ui::AppOptions {
        open: document,
        ..Default::default()
    })
}

#[cfg(not(feature = "gui"))]
fn window(_document: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build of gloss has no window (built without the `gui` feature); see `gloss --help` for the commands it has"
    )
}
