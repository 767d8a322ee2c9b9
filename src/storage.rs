//! The one function that writes files: atomically, keeping a backup.
//!
//! A temp file is written in the destination's folder, flushed to disk and
//! renamed over the destination, so a crash or a full disk leaves either the
//! old file or the new one, never half of either.

use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
#[error("could not write {}: {}{}", path.display(), source, advice(source))]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn advice(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            ". The folder is read-only: save to another place"
        }
        std::io::ErrorKind::StorageFull => ". The disk is full: free some space or save elsewhere",
        std::io::ErrorKind::NotFound => ". The folder no longer exists: save to another place",
        _ => "",
    }
}

/// `path` with `.bak` appended: `x.annotations.ron` → `x.annotations.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Writes `bytes` to `path` atomically. With `keep_backup`, the previous
/// contents (if any) are first saved, also atomically, as `path.bak`.
pub fn atomic_write(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), WriteError> {
    let err = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    if keep_backup && path.exists() {
        let previous = std::fs::read(path).map_err(err)?;
        write_replace(&backup_path(path), &previous).map_err(err)?;
    }
    write_replace(path, bytes).map_err(err)
}

fn write_replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".gloss-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_keep_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        atomic_write(&p, b"one", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert!(
            !backup_path(&p).exists(),
            "nothing to back up the first time"
        );
        atomic_write(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read(backup_path(&p)).unwrap(), b"one");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "no temp files left: {left:?}");
    }

    #[test]
    fn a_missing_folder_is_an_error_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gone").join("a.ron");
        let e = atomic_write(&p, b"x", true).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("a.ron") && msg.contains("another place"),
            "{msg}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_fails_cleanly_and_keeps_the_old_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let result = atomic_write(&p, b"new", true);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        // Root ignores folder permissions; the test is meaningful for users only.
        if let Err(e) = result {
            assert!(e.to_string().contains("read-only"), "{e}");
            assert_eq!(std::fs::read(&p).unwrap(), b"old");
        }
    }
}
