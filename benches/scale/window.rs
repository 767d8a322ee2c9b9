//! The app's window, headless (see `headless`): opening, frames (layout
//! and tessellation), edits, autosave, and memory; and the real binary
//! under Xvfb.

use crate::corpus::Corpus;
use crate::report::{Report, Table, count, mark, ms, once, spread};
use gloss::model::CharRange;
use std::path::Path;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

fn sha2_of(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

use crate::headless::Window;

/// A window on `path`, and how long from the start until the document's
/// first frame was drawn.
fn window(path: &Path) -> (Window, Duration, tempfile::TempDir) {
    Window::open(path)
}

fn frame(h: &mut Window) -> Duration {
    h.frame()
}

fn run_frames(h: &mut Window, n: usize) -> Vec<Duration> {
    (0..n).map(|_| frame(h)).collect()
}

fn go_to(h: &mut Window, offset: usize) {
    h.state_mut().reader.reveal(offset, None, 0.0);
    for _ in 0..5 {
        frame(h);
    }
}

fn wheel(h: &mut Window, dy: f32) {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
}

pub fn open(corpus: &Corpus, report: &mut Report) {
    let mut t = Table::new(
        "Opening: path to first frame",
        "Each part measured on its own (read the file, decode it, hash it, index its \
         lines and pieces, load the sidecar: read, fingerprint and parse it, place the \
         annotations), then the real \
         window from the open to the document's first frame (less the start-up of a \
         window on an empty file, which is the same for every document). \"session\" is \
         all of it as the window's background job does it (`Session::open`). The floor \
         is read + decode + hash; the target is a window at most 2× the floor plus the \
         sidecar's load (parse + placing) plus 5 ms for laying out and drawing the \
         first screen.",
        &[
            "document",
            "annotations",
            "read",
            "decode",
            "hash",
            "lines",
            "sidecar",
            "placing",
            "session",
            "window",
            "target",
        ],
    );
    report.start(&t);
    let empty = corpus.dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("an empty file");
    let startup = (0..3).map(|_| window(&empty).1).min().unwrap_or_default();
    for (d, doc) in corpus.docs.iter().enumerate() {
        for &n in &corpus.counts {
            if n > 0 && n < corpus.most() && d != corpus.biggest() {
                continue;
            }
            let path = corpus.file(d, Some(n));
            // Each part the fastest of three runs: the first touch of new
            // memory or a cold cache is not what opening costs.
            let best =
                |f: &mut dyn FnMut() -> Duration| (0..3).map(|_| f()).min().unwrap_or_default();
            let read = best(&mut || once(|| std::fs::read(&path).expect("read")).0);
            let bytes = std::fs::read(&path).expect("read");
            let decode = best(&mut || once(|| gloss::decode::decode(&bytes).expect("decoded")).0);
            let text = gloss::decode::decode(&bytes).expect("decoded").text;
            let lines =
                best(&mut || once(|| gloss::model::Document::new("doc.txt", text.clone())).0);
            let document = gloss::model::Document::new("doc.txt", text);
            let hash = best(&mut || once(|| sha2_of(document.text().as_bytes())).0);
            let sc_path = gloss::sidecar::sidecar_path(&path);
            let parse = best(&mut || {
                once(|| gloss::sidecar::Sidecar::load_with_fingerprint(&sc_path).expect("parsed")).0
            });
            let anns = gloss::sidecar::Sidecar::load(&sc_path)
                .expect("parsed")
                .map(|s| s.annotations)
                .unwrap_or_default();
            let placing = best(&mut || {
                let mut a = anns.clone();
                once(|| gloss::anchor::anchor_all(&document, &mut a, None)).0
            });
            drop(document);
            let session =
                best(&mut || once(|| gloss::session::Session::open(&path).expect("opened")).0);
            let total = (0..2)
                .map(|_| window(&path).1)
                .min()
                .unwrap_or_default()
                .saturating_sub(startup);
            let floor = read + decode + hash;
            // The first screen's layout and drawing: a few ms whatever the size.
            let screen = Duration::from_millis(5);
            t.row(vec![
                doc.name.clone(),
                count(n),
                ms(read),
                ms(decode),
                ms(hash),
                ms(lines),
                ms(parse),
                ms(placing),
                ms(session),
                ms(total),
                format!(
                    "{} ≤ {}",
                    mark(total <= floor * 2 + parse + placing + screen),
                    ms(floor * 2 + parse + placing + screen)
                ),
            ]);
        }
    }
    t.outro = "Opening runs on a background thread; the window paints (with progress after 200 ms) meanwhile. The text is indexed in one pass over its bytes (line breaks found with SIMD, chars counted eight bytes at a time), and a UTF-8 file is decoded without a copy and hashed once, as it is read. A sidecar of 100,000 annotations is parsed in parts on all cores, and annotations that still stand where they were are checked on all cores too. For the small files the window column is mostly the harness's own frame pacing.".into();
    report.add(t);
}

pub fn frames(corpus: &Corpus, report: &mut Report) {
    let mut t = Table::new(
        "Frames: a full UI pass with tessellation, 1280×800",
        "The app's full UI pass and the tessellation of what it drew, in a bare egui \
         context as eframe runs it (without AccessKit, which the window only runs for a \
         screen reader). Median (and 99th percentile) of 40 frames at the top, the \
         middle and the end \
         of the document, and of 60 frames while the wheel scrolls 120 pt a frame, ten \
         down and ten up, three times (so the 8 KB sample scrolls as much as a book). \
         The last column is the worst median against the sample's (with its 13 \
         annotations). Target: at most 1.3× and under 2 ms for the 50 MB book with \
         100,000 annotations (one per 500 chars) and for the 2 MB single line with as \
         many annotations in view as the sample; the denser rows (1 to 12 annotations \
         per char) show how a frame grows with the annotations on screen.",
        &[
            "document",
            "annotations",
            "top",
            "middle",
            "end",
            "scrolling",
            "target",
        ],
    );
    report.start(&t);
    let mut reference = None;
    let mut cases: Vec<(usize, Option<usize>)> = vec![(0, None)];
    for d in 0..corpus.docs.len() {
        for &n in &corpus.counts {
            cases.push((d, Some(n)));
        }
    }
    for (d, n) in cases {
        let (mut h, _, _data) = window(&corpus.file(d, n));
        let len = h.state().session.doc().char_len();
        let mut cells = vec![
            corpus.docs[d].name.clone(),
            n.map_or("13 (its own)".into(), count),
        ];
        let mut worst = Duration::ZERO;
        for at in [0, len / 2, len] {
            go_to(&mut h, at);
            let (median, p99) = spread(run_frames(&mut h, 40));
            worst = worst.max(median);
            cells.push(format!("{} ({})", ms(median), ms(p99)));
        }
        go_to(&mut h, 0);
        h.hover_at(egui::pos2(450.0, 400.0));
        h.step();
        // Down and up over the same 1,200 pt, so a short document scrolls
        // as much as a long one; the first pass lays text out.
        let scrolling: Vec<Duration> = (0..60)
            .map(|i| {
                wheel(&mut h, if (i / 10) % 2 == 0 { -120.0 } else { 120.0 });
                frame(&mut h)
            })
            .collect();
        let (median, p99) = spread(scrolling);
        worst = worst.max(median);
        cells.push(format!("{} ({})", ms(median), ms(p99)));
        let reference = *reference.get_or_insert(worst);
        let ratio = worst.as_secs_f64() / reference.as_secs_f64();
        // The targets: the book with 100,000 annotations, and the single
        // line with as many annotations in view as the sample has. Denser
        // rows show how a frame grows with the annotations on screen.
        let one_line = d == corpus.docs.len() - 1;
        let target = (d == corpus.biggest() && n == Some(corpus.most()))
            || (one_line && n.is_some_and(|n| n <= 1_000));
        cells.push(if target {
            format!(
                "{} {ratio:.2}×",
                mark(ratio <= 1.3 && worst < Duration::from_millis(2))
            )
        } else {
            format!("{ratio:.2}×")
        });
        t.row(cells);
    }
    t.outro = "A frame lays out only the pieces in view (a line longer than 4,096 chars is several pieces, so the 2 MB single line costs what a paragraph does), keeps their galleys, and paints highlights from their geometry. Lanes are coloured around the view only; many overlapping marks are drawn per stretch of text at most three deep, with all underlines of a line in one mesh, so even the densest rows stay bounded by what is on screen (100,000 annotations on 8 KB put over a thousand on each line).".into();
    report.add(t);
}

pub fn edits(corpus: &Corpus, report: &mut Report) {
    let (d, n) = (corpus.biggest(), corpus.most());
    let mut t = Table::new(
        &format!(
            "Edits: {} annotations on the {} document",
            count(n),
            corpus.docs[d].name
        ),
        "Each edit through the session as the window makes it, then the frame that \
         shows it (median of 20, 99th percentile in brackets). \"focus\" is on exactly \
         a quarter of the annotations. Target: an edit well under a frame (sub-ms), a \
         rename under 100 ms, frames as in the table above.",
        &["edit", "edit time", "next frame", "target"],
    );
    report.start(&t);
    let (mut h, _, _data) = window(&corpus.file(d, Some(n)));
    let len = h.state().session.doc().char_len();
    go_to(&mut h, len / 2);
    let now = OffsetDateTime::UNIX_EPOCH;
    let row = |t: &mut Table,
               name: &str,
               edits: Vec<Duration>,
               frames: Vec<Duration>,
               limit: Duration| {
        let (e, e99) = spread(edits);
        let (f, f99) = spread(frames);
        t.row(vec![
            name.into(),
            format!("{} ({})", ms(e), ms(e99)),
            format!("{} ({})", ms(f), ms(f99)),
            mark(e <= limit).into(),
        ]);
    };
    let sub_ms = Duration::from_millis(1);
    // Create 20 annotations in view.
    let (mut e, mut f, mut ids) = (vec![], vec![], vec![]);
    for i in 0..20 {
        let at = len / 2 + i * 37;
        let (took, id) = once(|| {
            h.state_mut().session.annotate(
                CharRange::new(at, at + 12),
                vec!["claim".into()],
                "b",
                now,
            )
        });
        ids.push(id.expect("annotated"));
        e.push(took);
        f.push(frame(&mut h));
    }
    row(&mut t, "create", e, f, sub_ms);
    let (mut e, mut f) = (vec![], vec![]);
    for id in &ids {
        let (took, _) = once(|| h.state_mut().session.toggle_tag(id, "source", now));
        e.push(took);
        f.push(frame(&mut h));
    }
    row(&mut t, "retag", e, f, sub_ms);
    let (mut e, mut f) = (vec![], vec![]);
    h.state_mut().selected = Some(ids[0].clone());
    frame(&mut h);
    let mut note = String::new();
    for _ in 0..40 {
        note.push('x');
        let (took, _) = once(|| h.state_mut().session.set_note(&ids[0], &note, now));
        e.push(took);
        f.push(frame(&mut h));
    }
    row(&mut t, "note keystroke", e, f, sub_ms);
    h.state_mut().side.filter_text = "archive".into();
    frame(&mut h);
    let (mut e, mut f) = (vec![], vec![]);
    for _ in 0..40 {
        note.push('y');
        let (took, _) = once(|| h.state_mut().session.set_note(&ids[0], &note, now));
        e.push(took);
        f.push(frame(&mut h));
    }
    row(
        &mut t,
        "note keystroke, list filtered by text",
        e,
        f,
        sub_ms,
    );
    h.state_mut().side.filter_text.clear();
    h.state_mut().selected = None;
    let (mut e, mut f) = (vec![], vec![]);
    for id in &ids {
        let (took, _) = once(|| h.state_mut().session.delete(id));
        e.push(took);
        f.push(frame(&mut h));
    }
    row(&mut t, "delete", e, f, sub_ms);
    let (mut e, mut f) = (vec![], vec![]);
    for _ in &ids {
        let (took, _) = once(|| h.state_mut().session.undo());
        e.push(took);
        f.push(frame(&mut h));
    }
    row(&mut t, "undo (a delete)", e, f, sub_ms);
    let used = h.state().session.store().annotations.count_tag("focus");
    let (took, _) = once(|| {
        h.state_mut()
            .session
            .rename_tag("focus", "focus group", now)
    });
    let next = frame(&mut h);
    row(
        &mut t,
        &format!("rename a tag used by {}", count(used)),
        vec![took],
        vec![next],
        Duration::from_millis(100),
    );
    let (took, _) = once(|| h.state_mut().session.undo());
    let next = frame(&mut h);
    row(
        &mut t,
        "undo the rename",
        vec![took],
        vec![next],
        Duration::from_millis(100),
    );
    t.outro = "Edits change the set in O(log n) (a chunk of 512 pointers moves, not 100,000 annotations); tag counts, the list's filtered rows and the lanes follow each change instead of being derived again. `tests/scale_guard.rs` counts this work and fails if it grows with the number of annotations.".into();
    report.add(t);
}

pub fn autosave(corpus: &Corpus, report: &mut Report) {
    let mut t = Table::new(
        "Autosave: the window while it saves",
        "A note edit, then frames until the autosave (a second later, on another \
         thread) has written the file: the longest frame while it ran, against the \
         frame target (2 ms, or 1.3× a frame at rest), and how long the save took.",
        &[
            "document",
            "annotations",
            "frame at rest",
            "longest frame while saving",
            "save took",
            "target",
        ],
    );
    report.start(&t);
    let d = corpus.biggest();
    for &n in corpus.counts.iter().filter(|&&n| n > 0) {
        let (mut h, _, _data) = window(&corpus.file(d, Some(n)));
        let (rest, _) = spread(run_frames(&mut h, 30));
        let id = h
            .state()
            .session
            .store()
            .annotations
            .at(0)
            .expect("one")
            .id
            .clone();
        h.state_mut()
            .session
            .set_note(&id, "edited", OffsetDateTime::UNIX_EPOCH)
            .expect("edited");
        h.state_mut().push(gloss::ui::command::Command::SealUndo);
        let (mut longest, mut started, mut took) = (Duration::ZERO, None, Duration::ZERO);
        for _ in 0..2000 {
            let f = frame(&mut h);
            let busy = h.state().is_busy();
            if busy {
                started.get_or_insert_with(Instant::now);
                longest = longest.max(f);
                if f > Duration::from_millis(1) && std::env::var_os("GLOSS_BENCH_DEBUG").is_some() {
                    eprintln!("slow frame {:?} at {:?}", f, started.map(|s| s.elapsed()));
                }
            } else if let Some(s) = started {
                took = s.elapsed();
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let limit = rest.mul_f64(1.3).max(Duration::from_millis(2));
        t.row(vec![
            corpus.docs[d].name.clone(),
            count(n),
            ms(rest),
            ms(longest),
            ms(took),
            mark(longest <= limit && !h.state().session.dirty()).into(),
        ]);
    }
    t.outro = "The save runs on another thread from a snapshot that shares the annotations (a pointer per 512), streamed to the file and hashed on the way (a 50 MB buffer, mapped and freed even on another thread, stalled frames); edits made while it runs are saved next time. The file is byte for byte what a synchronous save writes.".into();
    report.add(t);
}

/// In a child process: the peak memory of a window showing `path`.
pub fn rss_child(path: &str) {
    let (mut h, _, _data) = window(Path::new(path));
    let len = h.state().session.doc().char_len();
    for at in [len / 2, len] {
        go_to(&mut h, at);
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("peak_kb {kb}");
}

pub fn memory(corpus: &Corpus, report: &mut Report) {
    let mut t = Table::new(
        "Memory: peak resident size of a window",
        "A fresh process opens the document, shows its top, middle and end, and \
         reports its peak RSS (VmHWM). The baseline is the same window on an empty \
         file: egui, fonts and the renderer-free harness.",
        &[
            "document",
            "annotations",
            "file",
            "peak RSS",
            "above baseline",
            "per byte of text",
        ],
    );
    report.start(&t);
    let exe = std::env::current_exe().expect("the bench's own path");
    let peak = |path: &Path| -> u64 {
        let out = std::process::Command::new(&exe)
            .arg("rss")
            .arg(path)
            .output()
            .expect("the child ran");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("peak_kb "))
            .and_then(|k| k.trim().parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    let empty = corpus.dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("an empty file");
    let base = peak(&empty);
    let mib = |b: u64| format!("{:.0} MiB", b as f64 / (1024.0 * 1024.0));
    t.row(vec![
        "empty".into(),
        "0".into(),
        "0".into(),
        mib(base),
        "–".into(),
        "–".into(),
    ]);
    let mut cases: Vec<(usize, usize)> = (1..corpus.docs.len()).map(|d| (d, 0)).collect();
    cases.push((corpus.biggest(), corpus.most()));
    for (d, n) in cases {
        let path = corpus.file(d, Some(n));
        let size = corpus.docs[d].text.len() as u64;
        let p = peak(&path);
        let above = p.saturating_sub(base);
        t.row(vec![
            corpus.docs[d].name.clone(),
            count(n),
            mib(size),
            mib(p),
            mib(above),
            format!("{:.1}", above as f64 / size as f64),
        ]);
    }
    t.outro = "The baseline is egui, its fonts and the test harness. Above it: the text itself (1×), 4 bytes per line, 4 bytes per 256 bytes of text for char↔byte conversion, 4 bytes and a bit per piece of the reading view, and per annotation about 1.6 KB at the peak, which comes while the sidecar is loaded (its text and the parsed annotations side by side; the annotations alone take about half).".into();
    report.add(t);
}

/// The real binary under Xvfb (software GL): from starting it to its
/// window naming the document, and its peak memory.
pub fn real(corpus: &Corpus, report: &mut Report) {
    let mut t = Table::new(
        "The real window: start to the document shown",
        "The release binary started on the document under Xvfb with software GL (as \
         in CI), from the command to the window's title naming the document (it is \
         set in the frame that first shows it), and the process's peak RSS then. \
         Target: the 2 MB single line about as fast as the 8 KB sample.",
        &["document", "annotations", "start to shown", "peak RSS"],
    );
    report.start(&t);
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("Xvfb") || !have("xdotool") {
        t.row(vec![
            "skipped: needs Xvfb and xdotool".into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        return report.add(t);
    }
    let display = ":93";
    let mut xvfb = match std::process::Command::new("Xvfb")
        .args([display, "-screen", "0", "1280x860x24", "-nolisten", "tcp"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(x) => x,
        Err(e) => {
            t.row(vec![
                format!("skipped: Xvfb did not start ({e})"),
                String::new(),
                String::new(),
                String::new(),
            ]);
            return report.add(t);
        }
    };
    std::thread::sleep(Duration::from_millis(800));
    let mut cases = vec![
        (0, None),
        (corpus.docs.len() - 1, Some(0)),
        (corpus.biggest(), Some(0)),
    ];
    cases.push((corpus.biggest(), Some(corpus.most())));
    for (d, n) in cases {
        let path = corpus.file(d, n);
        // A window that failed to come up (an X hiccup) is tried once more.
        let shown = (0..2).find_map(|_| real_one(&path, display));
        t.row(vec![
            corpus.docs[d].name.clone(),
            n.map_or("13 (its own)".into(), count),
            shown.map_or("not shown in 60 s".into(), |r| ms(r.0)),
            shown.map_or("–".into(), |r| format!("{} MiB", r.1 / 1024)),
        ]);
    }
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    report.add(t);
}

/// Time from starting the binary on `path` to its window naming the
/// document, and its peak RSS in KiB.
fn real_one(path: &Path, display: &str) -> Option<(Duration, u64)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let data = tempfile::tempdir().expect("a data folder");
    let start = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg(path)
        .env("DISPLAY", display)
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env("GLOSS_DATA_DIR", data.path())
        .env("XDG_CONFIG_HOME", data.path())
        .stdout(std::process::Stdio::null())
        .spawn();
    let mut child = child.ok()?;
    let mut shown = None;
    while start.elapsed() < Duration::from_secs(60) {
        let xdotool = |args: &[&str]| {
            std::process::Command::new("xdotool")
                .args(args)
                .env("DISPLAY", display)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default()
        };
        let found = xdotool(&["search", "--name", "Gloss"])
            .lines()
            .any(|w| xdotool(&["getwindowname", w]).starts_with(&format!("{name} ")));
        if found {
            shown = Some(start.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // Let it draw a few frames, then read its high-water mark.
    std::thread::sleep(Duration::from_millis(500));
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    shown.map(|s| (s, kb))
}
