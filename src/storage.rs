//! The one module that writes files, and the rules that protect them.
//!
//! Every write goes to a temp file in the destination's folder, is flushed
//! to disk and renamed over the destination, so a crash or a full disk
//! leaves either the old file or the new one, never half of either.
//! A replaced file keeps its mode (and, where allowed, its owner and group);
//! a new file gets the mode the user's umask gives any new file.
//! [`WriteMode::CreateNew`] never replaces anything, and [`Fingerprint`]
//! lets a caller check that a file is still what it loaded before writing.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use thiserror::Error;

#[derive(Debug, Error)]
#[error("could not write {}: {}{}", path.display(), source, advice(source))]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl WriteError {
    /// The write was refused because the file exists ([`WriteMode::CreateNew`]).
    pub fn is_exists(&self) -> bool {
        self.source.kind() == std::io::ErrorKind::AlreadyExists
    }
}

fn advice(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            ". The folder is read-only: save to another place"
        }
        std::io::ErrorKind::StorageFull => ". The disk is full: free some space or save elsewhere",
        std::io::ErrorKind::NotFound => ". That folder does not exist: save to another place",
        std::io::ErrorKind::NotADirectory => ". Part of that path is a file, not a folder",
        std::io::ErrorKind::AlreadyExists => ". It already exists and was left untouched",
        std::io::ErrorKind::TimedOut => {
            ". Another program kept writing in that folder; nothing was written: try again"
        }
        _ => "",
    }
}

/// `path` with `.bak` appended: `x.annotations.ron` → `x.annotations.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// A path's canonical name: absolute, with links resolved (the folder's,
/// when the file does not exist yet), so `./a.txt`, `a.txt` and a link to
/// it give one name. For where a file really lives (a document's place
/// under a project folder, a stable name for a folder's cache), and the
/// fallback of [`same_file`]; to ask whether two paths are one file use
/// [`same_file`], and for a key [`identity_key`].
pub fn comparable(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

/// Whether a write may replace an existing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Replace the file if it exists, keeping its permissions.
    Replace,
    /// Fail with `AlreadyExists` if anything is at the path.
    CreateNew,
}

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8], mode: WriteMode) -> Result<(), WriteError> {
    write_atomic(path, bytes, mode).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

/// [`atomic_write`] of what `fill` writes: a large file is streamed to
/// disk rather than built in memory first (a 50 MB buffer, allocated and
/// freed on a background thread, still stalls the window's frames).
pub fn atomic_write_with(
    path: &Path,
    mode: WriteMode,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    write_atomic_with(path, mode, fill).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

/// Copies the current contents of `path` (if any) to `path.bak`,
/// atomically, file to file (never through memory).
pub fn backup(path: &Path) -> Result<(), WriteError> {
    let err = |source| WriteError {
        path: backup_path(path),
        source,
    };
    match std::fs::File::open(path) {
        Ok(mut previous) => write_atomic_with(&backup_path(path), WriteMode::Replace, |f| {
            std::io::copy(&mut previous, f).map(|_| ())
        })
        .map_err(err),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(err(e)),
    }
}

/// [`atomic_write_with`] that calls `check` after the new contents are on
/// disk and just before the rename, and writes nothing if it fails: the
/// last look that the file is still what the caller read (locks are
/// advisory; a program that takes none may have written meanwhile).
pub fn atomic_write_checked(
    path: &Path,
    mode: WriteMode,
    check: &dyn Fn() -> std::io::Result<()>,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    write_atomic_checked(path, mode, check, fill).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

fn write_atomic(path: &Path, bytes: &[u8], mode: WriteMode) -> std::io::Result<()> {
    write_atomic_with(path, mode, |f| f.write_all(bytes))
}

fn write_atomic_with(
    path: &Path,
    mode: WriteMode,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_atomic_checked(path, mode, &|| Ok(()), fill)
}

fn write_atomic_checked(
    path: &Path,
    mode: WriteMode,
    check: &dyn Fn() -> std::io::Result<()>,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(path).ok();
    if mode == WriteMode::CreateNew && (existing.is_some() || path.is_symlink()) {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "a folder is in the way",
        ));
    }
    let tmp = dir.join(format!(".gloss-{}.tmp", uuid::Uuid::new_v4().simple()));
    // `create_new` with the default mode lets the umask decide, as for any new file.
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        if let Some(meta) = &existing {
            keep_owner_and_mode(&file, meta)?;
        }
        fill(&mut file)?;
        file.sync_all()?;
        drop(file);
        check()?;
        match mode {
            WriteMode::Replace => std::fs::rename(&tmp, path),
            // A hard link fails if the name is taken, even if it appeared
            // after the check above; the temp name is removed afterwards.
            WriteMode::CreateNew => std::fs::hard_link(&tmp, path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Err(e)
                } else {
                    // Filesystems without hard links: checked just above.
                    std::fs::rename(&tmp, path)
                }
            }),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result?;
    sweep_stale_temps(dir);
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// How long a writer waits for another to finish before giving up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Held for a whole read-check-write of a file, so two writers (two
/// windows, `gloss import`s run together, a save and a merge) take turns
/// instead of each writing over what the other wrote. It locks the file's
/// folder (an advisory lock: the file itself is replaced by each write, so
/// a lock on it would be on the old file), for other processes and for
/// other threads of this one alike. Where locks are not available (another
/// platform, a filesystem without them) it holds nothing, and the
/// fingerprint check just before the rename still guards the write.
/// Never take two at once in one thread: the second would wait for the
/// first.
#[derive(Debug)]
pub struct WriteLock {
    _held: Option<std::fs::File>,
}

/// Waits (at most ten seconds) until no other writer holds the lock for
/// `path`'s folder, and takes it.
pub fn lock_for_write(path: &Path) -> Result<WriteLock, WriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let unlocked = WriteLock { _held: None };
    if !cfg!(unix) {
        return Ok(unlocked);
    }
    let Ok(folder) = std::fs::File::open(dir) else {
        return Ok(unlocked);
    };
    let start = std::time::Instant::now();
    loop {
        match folder.try_lock() {
            Ok(()) => {
                return Ok(WriteLock {
                    _held: Some(folder),
                });
            }
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(WriteError {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "another writer held it for 10 s",
                    ),
                });
            }
            // No locks here (some network filesystems): go on unlocked.
            Err(std::fs::TryLockError::Error(_)) => return Ok(unlocked),
        }
    }
}

/// Temp files this long untouched were left by a writer that was killed.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes temp files that killed writers left in `dir` (a crash mid-save
/// leaves the old file intact, and its half-written temp file behind),
/// once per folder per run, so they do not pile up in a user's folder or
/// their `git status`.
fn sweep_stale_temps(dir: &Path) {
    // By name, not `identity_key`: a folder removed in this run may hand
    // its inode to a new one, which must still be swept.
    static SWEPT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut swept) = SWEPT.lock() else {
        return;
    };
    if swept.iter().any(|d| d == dir) {
        return;
    }
    swept.push(dir.to_path_buf());
    drop(swept);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMP);
        if name.starts_with(".gloss-") && name.ends_with(".tmp") && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn keep_owner_and_mode(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root (or the owner, for the group) may do this; when not
        // allowed the file is ours, which is what any editor's save does.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    file.set_permissions(meta.permissions())
}

/// What a file was when it was read: size, modification time, identity
/// (inode) and the SHA-256 of its bytes. Comparing fingerprints tells
/// whether another program changed the file since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// The inode on Unix: a program that saves by renaming (as Gloss does)
    /// makes a new one even within the same clock tick.
    pub identity: u64,
    pub sha256: [u8; 32],
}

fn identity(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

impl Fingerprint {
    pub fn new(bytes: &[u8], meta: &std::fs::Metadata) -> Self {
        Self::of_hashed(bytes.len() as u64, Sha256::digest(bytes).into(), meta)
    }

    /// The fingerprint of a file written from a stream: its length and
    /// SHA-256 computed as it was written.
    pub fn of_hashed(len: u64, sha256: [u8; 32], meta: &std::fs::Metadata) -> Self {
        Self {
            len,
            modified: meta.modified().ok(),
            identity: identity(meta),
            sha256,
        }
    }

    /// The fingerprint of the file at `path` now; `None` if there is none.
    pub fn read(path: &Path) -> std::io::Result<Option<Self>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta = std::fs::metadata(path)?;
        Ok(Some(Self::new(&bytes, &meta)))
    }

    /// Whether the file at `path` still holds what `expected` saw (`None`:
    /// that there was no file). Same size, time and identity is unchanged,
    /// without reading (a check costs one `stat`, whatever the file's size);
    /// otherwise the content decides (a `touch` is not a change), and an
    /// unchanged file's fingerprint is refreshed. The one change this can
    /// miss is a same-size rewrite in place within one clock tick
    /// (milliseconds) of the last read.
    pub fn still_at(expected: Option<&mut Self>, path: &Path) -> std::io::Result<bool> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(expected.is_none()),
            Err(e) => return Err(e),
        };
        let Some(exp) = expected else {
            return Ok(false);
        };
        if meta.len() != exp.len {
            return Ok(false);
        }
        if meta.modified().ok() == exp.modified && identity(&meta) == exp.identity {
            return Ok(true);
        }
        let bytes = std::fs::read(path)?;
        let same = <[u8; 32]>::from(Sha256::digest(&bytes)) == exp.sha256;
        if same {
            *exp = Self::new(&bytes, &meta);
        }
        Ok(same)
    }
}

#[cfg(test)]
mod tests;

/// Whether `a` and `b` are the same file or folder, however they are
/// named (relative, through links, a hard link): by device and inode on
/// Unix, by canonical path ([`comparable`]) elsewhere or when either
/// cannot be read (a Save As or export target that does not exist yet).
/// One identity for every "is this that file?" question; a path equal as
/// written is the same file without asking the disk.
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b || identity_key(a) == identity_key(b)
}

/// A file's identity as a value, for maps, sets, sorting and
/// de-duplication: two paths have equal keys exactly when [`same_file`]
/// says they are one file. Only while the files are known to be there
/// (one export, one listing): a deleted file's inode may be given to a new
/// one, and device numbers can change between runs, so never store one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKey {
    /// A file that exists: its device and inode.
    Inode { dev: u64, ino: u64 },
    /// A file that does not exist (yet), cannot be looked at, or any file
    /// where inodes are not known: its canonical name ([`comparable`]).
    Path(PathBuf),
}

/// The key of the file `path` names (one `stat`): see [`FileKey`].
pub fn identity_key(path: &Path) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return FileKey::Inode {
                dev: m.dev(),
                ino: m.ino(),
            };
        }
    }
    FileKey::Path(comparable(path))
}

/// `path` made absolute against the current folder, for showing or
/// keeping it (the window's document, the recent list): links kept as
/// named, since a document's annotation file lies beside the name it was
/// opened by; as given if the current folder is gone. Not for comparing:
/// that is [`same_file`].
pub fn absolute(path: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) => absolute_in(&dir, path),
        Err(_) => path.to_path_buf(),
    }
}

/// `path` made absolute against `base` (as given if already absolute),
/// without `.` components.
pub fn absolute_in(base: &Path, path: &Path) -> PathBuf {
    base.join(path).components().collect()
}
