//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod docs;
#[cfg(feature = "gui")]
pub mod gui;

/// Runs the `gloss` binary in `dir`, with its data folder there too.
pub fn gloss(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(dir)
        .env("GLOSS_DATA_DIR", dir.join(".data"))
        .output()
        .expect("gloss runs")
}

/// Whether checks that need outside material (`../shared/conformance`,
/// `xmllint`) must run: CI sets `GLOSS_REQUIRE_CONFORMANCE=1`, so there a
/// missing piece fails the run instead of skipping silently.
pub fn required() -> bool {
    std::env::var_os("GLOSS_REQUIRE_CONFORMANCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether golden files are to be rewritten: only `GLOSS_BLESS=1` (or
/// `true`/`yes`) blesses, so `GLOSS_BLESS=0` or an empty value, which read as
/// "no", never overwrite the goldens a test is meant to check against.
pub fn bless() -> bool {
    bless_value(std::env::var_os("GLOSS_BLESS").as_deref())
}

/// [`bless`] on a given value (`None`: unset), so it can be tested without
/// touching the process's environment.
pub fn bless_value(value: Option<&std::ffi::OsStr>) -> bool {
    value
        .and_then(|v| v.to_str())
        .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// Skips (outside CI) or fails (in CI) a check that cannot run.
pub fn skip(why: &str) {
    assert!(
        !required(),
        "{why}, and GLOSS_REQUIRE_CONFORMANCE is set: this check must run here"
    );
    println!("SKIPPED: {why}");
}

/// `../shared/conformance`, when it is here.
pub fn conformance() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    if p.is_dir() {
        Some(p)
    } else {
        skip("../shared/conformance is not here; conformance checks did not run");
        None
    }
}

/// The text of entry `name` in the zip file at `path` (a `.qdpx`, say).
pub fn zip_entry(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}
