//! How Gloss scales with document length and annotation count.
//!
//! `cargo bench --bench scale` runs the whole suite on deterministic
//! generated prose (`gloss::sample::prose`) of 8 KB (the sample article),
//! 1 MB, 5 MB and 50 MB, plus a 2 MB text that is a single line, with 0,
//! 1,000, 10,000 and 100,000 overlapping annotations
//! (`gloss::sample::annotations`). It prints each table as it is measured
//! and writes them all, with the command and the machine, to
//! `docs/benchmarks.md`.
//!
//! `-- quick` measures smaller sizes (1 MB for 50 MB, 10,000 annotations
//! at most) and writes nothing: for trying a change. `-- only NAME` runs
//! one section (open, frames, edits, sidecar, search, reanchor, formats,
//! extract, project, memory, window: the real binary under Xvfb). `-- rss FILE` is internal: the peak memory of a window showing
//! FILE, measured in a child process.
//!
//! Ratios within one run are what to compare; absolute times vary by
//! machine.

mod corpus;
mod extract;
mod headless;
mod model;
mod project;
mod report;
mod window;

use report::Report;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "rss") {
        return window::rss_child(&args[i + 1]);
    }
    let quick = args.iter().any(|a| a == "quick");
    let only = args
        .iter()
        .position(|a| a == "only")
        .and_then(|i| args.get(i + 1).cloned());
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let corpus = corpus::Corpus::build(quick);
    let mut report = Report::default();
    if run("open") {
        window::open(&corpus, &mut report);
    }
    if run("frames") {
        window::frames(&corpus, &mut report);
    }
    if run("edits") {
        window::edits(&corpus, &mut report);
    }
    if run("sidecar") {
        model::sidecar(&corpus, &mut report);
        window::autosave(&corpus, &mut report);
    }
    if run("search") {
        model::search(&corpus, &mut report);
    }
    if run("reanchor") {
        model::reanchor(&corpus, &mut report);
    }
    if run("formats") {
        model::formats(&corpus, &mut report);
    }
    if run("extract") {
        extract::extract_cases(quick, &mut report);
    }
    if run("project") {
        project::project(quick, &mut report);
    }
    if run("memory") {
        window::memory(&corpus, &mut report);
    }
    if run("window") {
        window::real(&corpus, &mut report);
    }
    if !quick && only.is_none() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/benchmarks.md");
        match std::fs::write(path, report.markdown()) {
            Ok(()) => println!("written to {path}"),
            Err(e) => eprintln!("could not write {path}: {e}"),
        }
    }
}
