//! `gloss git-setup`: registers the merge driver with a git repository, so
//! `git pull` merges sidecars and the project file by annotation id instead
//! of line by line.

use crate::storage::{WriteError, WriteMode, atomic_write};
use std::path::{Path, PathBuf};
use std::process::Command;
use thiserror::Error;

/// The lines `.gitattributes` needs.
pub const ATTRIBUTES: [&str; 2] = [
    "*.annotations.ron merge=gloss",
    "gloss-project.ron merge=gloss",
];

#[derive(Debug, Error)]
pub enum GitError {
    #[error("could not run git ({0}); install git and try again")]
    NoGit(std::io::Error),
    #[error(
        "{} is not inside a git repository ({why}); run `git init` there (or clone the project) first",
        folder.display()
    )]
    NotARepository { folder: PathBuf, why: String },
    #[error("git config failed: {0}")]
    Config(String),
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What `git-setup` found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The repository's top folder, where `.gitattributes` lives.
    pub root: PathBuf,
    /// Lines added to `.gitattributes` (none when they were there).
    pub added_lines: Vec<String>,
    /// The driver command written to the repository's config.
    pub driver: String,
    /// Whether the config already held exactly that.
    pub driver_was_set: bool,
}

fn git(folder: &Path, args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .output()
        .map_err(GitError::NoGit)
}

/// Quoted for the shell git runs the driver with.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Registers `gloss merge-sidecar` (run as `exe`) as the `gloss` merge
/// driver of the repository holding `folder`, and routes sidecars and the
/// project file to it in the top folder's `.gitattributes`. Running it
/// again changes nothing.
pub fn setup(folder: &Path, exe: &Path) -> Result<Setup, GitError> {
    let top = git(folder, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(GitError::NotARepository {
            folder: folder.to_path_buf(),
            why: String::from_utf8_lossy(&top.stderr).trim().to_string(),
        });
    }
    let root = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let attributes = root.join(".gitattributes");
    let old = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(GitError::Read {
                path: attributes,
                source,
            });
        }
    };
    let present: Vec<&str> = old.lines().map(str::trim).collect();
    let added_lines: Vec<String> = ATTRIBUTES
        .iter()
        .filter(|l| !present.contains(l))
        .map(|l| l.to_string())
        .collect();
    if !added_lines.is_empty() {
        let mut text = old.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if old.is_empty() {
            text.push_str("# Gloss merges annotation files by annotation id (gloss git-setup)\n");
        }
        for l in &added_lines {
            text.push_str(l);
            text.push('\n');
        }
        atomic_write(&attributes, text.as_bytes(), WriteMode::Replace)?;
    }
    let driver = format!(
        "{} merge-sidecar %O %A %B",
        shell_quote(&exe.to_string_lossy())
    );
    let current = git(&root, &["config", "--local", "--get", "merge.gloss.driver"])?;
    let driver_was_set = String::from_utf8_lossy(&current.stdout).trim() == driver;
    for (key, value) in [
        ("merge.gloss.name", "Gloss: annotations merged by id"),
        ("merge.gloss.driver", driver.as_str()),
    ] {
        let out = git(&root, &["config", "--local", key, value])?;
        if !out.status.success() {
            return Err(GitError::Config(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
    }
    Ok(Setup {
        root,
        added_lines,
        driver,
        driver_was_set,
    })
}
