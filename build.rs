//! Records the commit this binary is built from, for `gloss --version`:
//! `GLOSS_COMMIT` from the environment (a build from a source tarball
//! sets it), else `git rev-parse`, else "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=GLOSS_COMMIT");
    // A new commit moves the branch's ref (or packed-refs), a checkout HEAD.
    for git in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(git).exists() {
            println!("cargo:rerun-if-changed={git}");
        }
    }
    let commit = std::env::var("GLOSS_COMMIT").ok().or_else(|| {
        let out = Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|c| !c.is_empty())
    });
    println!(
        "cargo:rustc-env=GLOSS_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}
