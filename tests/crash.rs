//! Crash-proof saves: a child process saves over and over and is killed
//! with SIGKILL at random moments. After every kill the sidecar parses and
//! holds a state that was saved whole (never a mix, never an older one than
//! already seen), and the `.bak` parses too.
//!
//! `cargo test` kills 60 times; `GLOSS_STRESS_KILLS=1000 cargo test --test
//! crash` (which CI runs) a thousand times.

#![cfg(unix)]

use gloss::model::CharRange;
use gloss::session::Session;
use gloss::sidecar::{Sidecar, sidecar_path};
use gloss::storage::backup_path;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const DOC: &str = "Killing a program mid-save must never cost a researcher their annotations.\n";

/// The child's body: opens the document and saves forever, each save
/// numbering its state in the note. Runs only when the parent asks.
#[test]
#[ignore = "run by saves_survive_sigkill as a child process"]
fn child_saves_forever() {
    let Some(dir) = std::env::var_os("GLOSS_STRESS_DIR") else {
        return;
    };
    let doc = Path::new(&dir).join("doc.txt");
    let mut s = Session::open(&doc).expect("opens");
    let id = s
        .store()
        .annotations
        .iter()
        .find(|a| a.note.starts_with("state "))
        .expect("the numbered annotation")
        .id
        .clone();
    let mut n: u64 = s
        .annotation(&id)
        .and_then(|a| a.note.strip_prefix("state ")?.parse().ok())
        .expect("numbered");
    loop {
        n += 1;
        let now = OffsetDateTime::now_utc();
        s.set_note(&id, &format!("state {n}"), now).expect("edits");
        // Every tenth state also adds an annotation: sizes vary.
        if n.is_multiple_of(10) {
            s.annotate(CharRange::new(0, 7), vec!["claim".into()], "stress", now)
                .expect("annotates");
        }
        s.save().expect("saves");
    }
}

fn state_of(path: &Path) -> u64 {
    let sc = Sidecar::load(path)
        .unwrap_or_else(|e| panic!("{} must parse after a kill: {e}", path.display()))
        .unwrap_or_else(|| panic!("{} must exist", path.display()));
    let first = sc.annotations.iter().find(|a| a.note.starts_with("state "));
    first
        .and_then(|a| a.note.strip_prefix("state ")?.parse().ok())
        .expect("a numbered state")
}

#[test]
fn saves_survive_sigkill() {
    let kills: usize = std::env::var("GLOSS_STRESS_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, DOC).unwrap();
    let mut s = Session::open(&doc).unwrap();
    let id = s
        .annotate(
            CharRange::new(8, 9),
            vec![],
            "stress",
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    s.set_note(&id, "state 0", OffsetDateTime::now_utc())
        .unwrap();
    s.save().unwrap();
    let sidecar = sidecar_path(&doc);
    let exe = std::env::current_exe().unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut last = 0;
    let mut advanced = 0;
    let started = Instant::now();
    for _ in 0..kills {
        let mut child = Command::new(&exe)
            .args([
                "child_saves_forever",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("GLOSS_STRESS_DIR", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Somewhere between start-up and a few dozen saves in.
        std::thread::sleep(Duration::from_micros(5_000 + random() % 150_000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = state_of(&sidecar);
        assert!(
            now >= last,
            "a kill never brings back an older state ({now} < {last})"
        );
        if now > last {
            advanced += 1;
        }
        last = now;
        // The backup is whole too (it holds the state some session opened).
        if backup_path(&sidecar).exists() {
            assert!(state_of(&backup_path(&sidecar)) <= now);
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        // A kill may leave at most the temp file it was writing; it is
        // never taken for the sidecar and never piles up unbounded.
        assert!(leftovers.len() <= kills, "{leftovers:?}");
    }
    assert!(
        advanced * 4 >= kills,
        "the children did save ({advanced} of {kills} runs advanced, in {:?})",
        started.elapsed()
    );
    // What the last child left opens cleanly.
    let s = Session::open(&doc).unwrap();
    assert!(s.read_only().is_none(), "{:?}", s.read_only());
    assert_eq!(state_of(&sidecar), last);
}
