use super::*;

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn replaces_atomically_and_backs_up_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.ron");
    atomic_write(&p, b"one", WriteMode::Replace).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"one");
    backup(&p).unwrap();
    atomic_write(&p, b"two", WriteMode::Replace).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"two");
    assert_eq!(std::fs::read(backup_path(&p)).unwrap(), b"one");
    assert_eq!(
        names_in(dir.path()),
        ["a.ron", "a.ron.bak"],
        "no temp files left"
    );
    // Backing up a file that does not exist is nothing to do.
    backup(&dir.path().join("none")).unwrap();
}

#[test]
fn create_new_never_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.txt");
    std::fs::write(&p, b"the researcher's document").unwrap();
    let e = atomic_write(&p, b"export", WriteMode::CreateNew).unwrap_err();
    assert!(e.is_exists(), "{e}");
    assert!(e.to_string().contains("left untouched"), "{e}");
    assert_eq!(std::fs::read(&p).unwrap(), b"the researcher's document");
    let fresh = dir.path().join("new.csv");
    atomic_write(&fresh, b"x", WriteMode::CreateNew).unwrap();
    assert_eq!(std::fs::read(&fresh).unwrap(), b"x");
    assert_eq!(names_in(dir.path()), ["new.csv", "report.txt"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared.ron");
    std::fs::write(&shared, b"old").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
    atomic_write(&shared, b"new", WriteMode::Replace).unwrap();
    let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664, "colleagues can still read and write it");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
    atomic_write(&shared, b"newer", WriteMode::Replace).unwrap();
    let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new file gets what any program's new file gets under this umask.
    let ours = dir.path().join("ours.ron");
    atomic_write(&ours, b"x", WriteMode::Replace).unwrap();
    let plain = dir.path().join("plain");
    std::fs::File::create(&plain).unwrap();
    let mode_of = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode_of(&ours), mode_of(&plain));
    assert_ne!(mode_of(&ours), 0o600, "not the temp file's private mode");
}

#[test]
fn a_missing_folder_is_an_error_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gone").join("a.ron");
    let e = atomic_write(&p, b"x", WriteMode::Replace).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("a.ron") && msg.contains("another place"),
        "{msg}"
    );
}

/// A folder that cannot be written. Root ignores a folder's permission bits,
/// so as root (CI) the same failure is made real another way: the "folder"
/// is a file, which refuses new entries for everyone. Both go through the
/// same path: the temp file cannot be created, the old file stays.
#[cfg(unix)]
#[test]
fn an_unwritable_folder_fails_cleanly_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.ron");
    std::fs::write(&p, b"old").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = std::fs::File::create(dir.path().join("probe"));
    let root_ignores_bits = probe.is_ok();
    let result = atomic_write(&p, b"new", WriteMode::Replace);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    if root_ignores_bits {
        assert!(result.is_ok(), "root may write: {result:?}");
        let blocker = dir.path().join("not-a-folder");
        std::fs::write(&blocker, b"I am a file").unwrap();
        let e = atomic_write(&blocker.join("a.ron"), b"new", WriteMode::Replace).unwrap_err();
        assert!(e.to_string().contains("a.ron"), "{e}");
        assert_eq!(std::fs::read(&blocker).unwrap(), b"I am a file");
    } else {
        let e = result.unwrap_err();
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }
}

#[test]
fn fingerprints_see_outside_changes_but_not_touches() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.ron");
    assert!(Fingerprint::still_at(None, &p).unwrap(), "still absent");
    std::fs::write(&p, b"one").unwrap();
    assert!(!Fingerprint::still_at(None, &p).unwrap(), "appeared");
    let mut fp = Fingerprint::read(&p).unwrap().unwrap();
    assert!(Fingerprint::still_at(Some(&mut fp), &p).unwrap());
    // Same bytes written again (a touch): a new time, same content.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&p, b"one").unwrap();
    assert!(Fingerprint::still_at(Some(&mut fp), &p).unwrap());
    // Same size, other bytes, written in place a tick later.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&p, b"two").unwrap();
    assert!(!Fingerprint::still_at(Some(&mut fp), &p).unwrap());
    // Same size, other bytes, saved by rename (a new file): caught at once.
    let mut fp = Fingerprint::read(&p).unwrap().unwrap();
    atomic_write(&p, b"six", WriteMode::Replace).unwrap();
    assert!(!Fingerprint::still_at(Some(&mut fp), &p).unwrap());
    std::fs::remove_file(&p).unwrap();
    assert!(
        !Fingerprint::still_at(Some(&mut fp), &p).unwrap(),
        "deleted"
    );
}

#[test]
fn temp_files_left_by_killed_writers_are_swept_once_stale() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".gloss-0123.tmp");
    let fresh = dir.path().join(".gloss-4567.tmp");
    let theirs = dir.path().join(".other.tmp");
    for p in [&stale, &fresh, &theirs] {
        std::fs::write(p, b"half a save").unwrap();
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for p in [&stale, &theirs] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    atomic_write(&dir.path().join("a.ron"), b"x", WriteMode::Replace).unwrap();
    assert!(!stale.exists(), "a stale temp file of ours is removed");
    assert!(
        fresh.exists(),
        "one that may belong to a running writer is kept"
    );
    assert!(theirs.exists(), "other programs' files are never touched");
}
