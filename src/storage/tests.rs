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

/// `path` (absolute) written relative to the current folder, through
/// `..` up to the root: a relative name without changing the current
/// folder, which other tests share.
fn relative_from_here(path: &Path) -> PathBuf {
    let here = std::env::current_dir().unwrap();
    let mut rel = PathBuf::new();
    for _ in here.components().skip(1) {
        rel.push("..");
    }
    rel.join(path.strip_prefix("/").unwrap())
}

#[cfg(unix)]
#[test]
fn same_file_knows_a_file_by_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = d.join("a.txt");
    std::fs::write(&a, b"the document").unwrap();
    std::fs::write(d.join("b.txt"), b"the document").unwrap();
    std::os::unix::fs::symlink(&a, d.join("link.txt")).unwrap();
    std::fs::hard_link(&a, d.join("hard.txt")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let rel = relative_from_here(&a);
    assert!(rel.is_relative(), "{rel:?}");
    let dotted = Path::new(".").join(&rel);
    for other in [
        rel.clone(),
        dotted.clone(),
        d.join(".").join("a.txt"),
        d.join("sub/../a.txt"),
        d.join("link.txt"),
        d.join("hard.txt"),
    ] {
        assert!(same_file(&a, &other), "{a:?} and {other:?}");
        assert!(same_file(&other, &a), "{other:?} and {a:?}");
        assert_eq!(identity_key(&a), identity_key(&other), "{other:?}");
    }
    assert!(same_file(&rel, &dotted));
    assert!(!same_file(&a, &d.join("b.txt")), "same bytes, another file");
    assert_ne!(identity_key(&a), identity_key(&d.join("b.txt")));
    assert!(!same_file(&a, d), "a file is not its folder");

    // Not written yet (a Save As or export target): the same name however
    // it is written, through a link to its folder too; another name is not.
    std::os::unix::fs::symlink(d, d.join("here")).unwrap();
    let new = d.join("new.csv");
    for other in [
        relative_from_here(&new),
        d.join("./new.csv"),
        d.join("sub/../new.csv"),
        d.join("here/new.csv"),
    ] {
        assert!(same_file(&new, &other), "{new:?} and {other:?}");
        assert_eq!(identity_key(&new), identity_key(&other), "{other:?}");
    }
    assert!(!same_file(&new, &d.join("new2.csv")));
    assert!(!same_file(&new, &a), "a new file is no existing one");
    // Once written, it is still the same file under both names.
    std::fs::write(&new, b"x").unwrap();
    assert!(same_file(&new, &d.join("here/new.csv")));
}

#[cfg(unix)]
#[test]
fn identity_keys_deduplicate_names_of_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = d.join("a.txt");
    std::fs::write(&a, b"one").unwrap();
    std::fs::write(d.join("b.txt"), b"two").unwrap();
    std::os::unix::fs::symlink(&a, d.join("link.txt")).unwrap();
    std::fs::hard_link(&a, d.join("hard.txt")).unwrap();
    let names = [
        a.clone(),
        d.join("./a.txt"),
        d.join("link.txt"),
        d.join("hard.txt"),
        d.join("b.txt"),
        d.join("missing.txt"),
        d.join("./missing.txt"),
    ];
    let keys: std::collections::HashSet<FileKey> = names.iter().map(|p| identity_key(p)).collect();
    assert_eq!(keys.len(), 3, "a.txt, b.txt and missing.txt: {keys:?}");
    // Keys and `same_file` agree on every pair.
    for x in &names {
        for y in &names {
            assert_eq!(
                identity_key(x) == identity_key(y),
                same_file(x, y),
                "{x:?} {y:?}"
            );
        }
    }
}

#[test]
fn absolute_keeps_links_as_named_and_drops_dots() {
    let base = Path::new("/work/project");
    assert_eq!(
        absolute_in(base, Path::new("./a.txt")),
        Path::new("/work/project/a.txt")
    );
    assert_eq!(
        absolute_in(base, Path::new("/elsewhere/./b.txt")),
        Path::new("/elsewhere/b.txt")
    );
    assert_eq!(
        absolute_in(base, Path::new("sub/../a.txt")),
        Path::new("/work/project/sub/../a.txt"),
        "`..` is kept: through a link it is not the folder above"
    );
    assert!(absolute(Path::new("a.txt")).is_absolute());
}
