//! Extraction in a child process. The readers of PDF, Word, OpenDocument,
//! web pages and EPUB parse hostile input; Gloss's own walks are bounded,
//! but a third-party parser can still overflow its stack or fill the
//! memory, and neither can be caught inside a process (a stack overflow
//! aborts it). So the `gloss` binary extracts in a copy of itself, run as
//! `gloss --extract-worker KIND` with limits on memory and on silence: a
//! reader that crashes, runs out of memory or goes quiet costs the open,
//! with a message, never the window.
//!
//! The parent writes the password (if any) and the file's bytes on the
//! child's stdin; the child writes progress lines on stderr and the result
//! as JSON on stdout. Library users and tests extract in-process unless
//! they call [`use_worker`] (the binary does, first thing).

use super::{Block, ExtractError, Extracted, Kind};
use serde::{Deserialize, Serialize};
use std::io::{BufRead as _, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The argument that makes `gloss` a worker (never shown in `--help`).
pub const WORKER_ARG: &str = "--extract-worker";

/// The most memory (address space) a worker may take.
const MEMORY_LIMIT: u64 = 6 << 30;

/// How long a worker may go without a word (progress or result) before it
/// is stopped. Readers report progress page by page or chapter by
/// chapter; a Word file or a web page is read in one go, well within this.
const PATIENCE: Duration = Duration::from_secs(120);

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// From now on, extract in child processes running `exe` (the `gloss`
/// binary itself). Set `GLOSS_EXTRACT_IN_PROCESS=1` to extract in-process
/// instead (to debug a reader, or to measure what the isolation costs).
pub fn use_worker(exe: PathBuf) {
    if std::env::var_os("GLOSS_EXTRACT_IN_PROCESS").is_none() {
        let _ = WORKER.set(exe);
    }
}

/// [`use_worker`] with this very program. On Linux through
/// `/proc/self/exe`, which still runs this program after a package update
/// replaced (deleted) its file while the window stayed open.
pub fn use_this_program() {
    let proc_self = Path::new("/proc/self/exe");
    if proc_self.exists() {
        use_worker(proc_self.to_path_buf());
    } else if let Ok(exe) = std::env::current_exe() {
        use_worker(exe);
    }
}

/// The worker set by [`use_worker`], if any.
pub fn worker() -> Option<&'static Path> {
    WORKER.get().map(PathBuf::as_path)
}

/// What goes over the pipe: [`Extracted`] with owned strings.
#[derive(Serialize, Deserialize)]
struct Wire {
    text: String,
    title: Option<String>,
    extractor: String,
    blocks: Vec<(usize, Block)>,
    elements: Vec<(usize, String)>,
}

/// An [`ExtractError`] over the pipe.
#[derive(Serialize, Deserialize)]
enum WireError {
    Invalid { format: String, why: String },
    TooLarge { part: String, limit: u64 },
    NotYet(String),
    NoTextLayer,
    Password,
    WrongPassword,
    TooManyPages { pages: usize, limit: usize },
    Stopped { format: String, why: String },
}

const FORMATS: &[&str] = &[
    "PDF",
    "Word (.docx)",
    "OpenDocument (.odt)",
    "HTML",
    "EPUB",
    "text",
];

const EXTRACTORS: &[&str] = &[
    super::pdf::EXTRACTOR,
    super::docx::EXTRACTOR,
    super::odt::EXTRACTOR,
    super::html::EXTRACTOR,
    super::epub::EXTRACTOR,
];

fn known(list: &[&'static str], name: &str, otherwise: &'static str) -> &'static str {
    list.iter()
        .copied()
        .find(|k| *k == name)
        .unwrap_or(otherwise)
}

impl From<ExtractError> for WireError {
    fn from(e: ExtractError) -> Self {
        match e {
            ExtractError::Invalid { format, why } => WireError::Invalid {
                format: format.into(),
                why,
            },
            ExtractError::TooLarge { part, limit } => WireError::TooLarge { part, limit },
            ExtractError::NotYet(f) => WireError::NotYet(f.into()),
            ExtractError::NoTextLayer => WireError::NoTextLayer,
            ExtractError::Password => WireError::Password,
            ExtractError::WrongPassword => WireError::WrongPassword,
            ExtractError::TooManyPages { pages, limit } => WireError::TooManyPages { pages, limit },
            ExtractError::Stopped { format, why } => WireError::Stopped {
                format: format.into(),
                why,
            },
        }
    }
}

impl From<WireError> for ExtractError {
    fn from(e: WireError) -> Self {
        let format = |f: &str| known(FORMATS, f, "document");
        match e {
            WireError::Invalid { format: f, why } => ExtractError::Invalid {
                format: format(&f),
                why,
            },
            WireError::TooLarge { part, limit } => ExtractError::TooLarge { part, limit },
            WireError::NotYet(f) => ExtractError::NotYet(format(&f)),
            WireError::NoTextLayer => ExtractError::NoTextLayer,
            WireError::Password => ExtractError::Password,
            WireError::WrongPassword => ExtractError::WrongPassword,
            WireError::TooManyPages { pages, limit } => ExtractError::TooManyPages { pages, limit },
            WireError::Stopped { format: f, why } => ExtractError::Stopped {
                format: format(&f),
                why,
            },
        }
    }
}

/// The kind's name on the worker's command line: its usual extension.
fn kind_arg(kind: Kind) -> &'static str {
    match kind {
        Kind::Pdf => "pdf",
        Kind::Docx => "docx",
        Kind::Odt => "odt",
        Kind::Html => "html",
        Kind::Epub => "epub",
        Kind::Text | Kind::NotYet(_) => "txt",
    }
}

/// What the worker says on stderr, line by line.
enum Said {
    Progress(f32),
    Other(String),
}

/// Extract `bytes` in a child process running `exe`.
pub(super) fn extract(
    exe: &Path,
    kind: Kind,
    bytes: &[u8],
    password: Option<&str>,
    progress: &dyn Fn(f32),
) -> Result<Extracted, ExtractError> {
    let format = kind.label();
    let stopped = |why: String| ExtractError::Stopped { format, why };
    let spawned = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(kind_arg(kind))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    // No process to spare (a limit on processes): read here, unguarded,
    // rather than not at all, and say so where a developer looks.
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            eprintln!("gloss: reading {format} here: could not start a reader process ({e})");
            return super::extract_here(kind, bytes, password, progress);
        }
    };
    let (Some(mut stdin), Some(mut stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(stopped("Gloss could not talk to its reader".into()));
    };
    let (tx, rx) = mpsc::channel::<Said>();
    let mut said = Vec::new();
    let mut silent = false;
    let out = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A worker that dies early closes its end: the write fails,
            // and the exit status says why.
            let secret = password.unwrap_or_default().as_bytes();
            let len = password.map_or(u32::MAX, |p| p.len() as u32);
            let _ = stdin
                .write_all(&len.to_le_bytes())
                .and_then(|()| stdin.write_all(secret))
                .and_then(|()| stdin.write_all(bytes));
        });
        scope.spawn(move || {
            // Bytes, not lines of UTF-8: a reader printing anything else
            // must not end this loop and with it the watch on silence.
            let mut stderr = BufReader::new(stderr);
            let mut line = Vec::new();
            while stderr.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                let text = String::from_utf8_lossy(&line).trim_end().to_string();
                line.clear();
                let msg = match text.strip_prefix("progress ").map(str::parse::<f32>) {
                    Some(Ok(p)) => Said::Progress(p),
                    _ => Said::Other(text),
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let reader = scope.spawn(move || {
            let mut out = Vec::new();
            stdout.read_to_end(&mut out).map(|_| out)
        });
        // Only progress buys time: a reader printing other things in a
        // loop is as stuck as a silent one.
        let mut deadline = Instant::now() + PATIENCE;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Said::Progress(p)) => {
                    deadline = Instant::now() + PATIENCE;
                    progress(p);
                }
                Ok(Said::Other(line)) => {
                    // The last lines say why a reader died; keep only those.
                    if said.len() == 20 {
                        said.remove(0);
                    }
                    said.push(line);
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    silent = true;
                    let _ = child.kill();
                    break;
                }
            }
        }
        reader.join()
    });
    let status = child.wait();
    if silent {
        return Err(stopped(format!(
            "it showed no progress for {} minutes, so Gloss stopped it",
            PATIENCE.as_secs() / 60
        )));
    }
    let out = match out {
        Ok(Ok(out)) => out,
        _ => return Err(stopped("Gloss lost its reader's answer".into())),
    };
    match serde_json::from_slice::<Result<Wire, WireError>>(&out) {
        Ok(Ok(w)) => {
            // The worker is trusted no further than its text: marks past
            // its end are dropped.
            let n = w.text.chars().count();
            Ok(Extracted {
                extractor: known(EXTRACTORS, &w.extractor, "gloss-unknown"),
                blocks: w.blocks.into_iter().filter(|(at, _)| *at <= n).collect(),
                elements: w.elements.into_iter().filter(|(at, _)| *at <= n).collect(),
                text: w.text,
                title: w.title,
            })
        }
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(stopped(why_it_died(&said, status.ok()))),
    }
}

/// The cause of a worker's death in words, from what it printed last and
/// how it ended.
fn why_it_died(said: &[String], status: Option<std::process::ExitStatus>) -> String {
    let all = said.join("\n");
    if all.contains("overflowed its stack") {
        return "it is nested too deeply for the reader".into();
    }
    if all.contains("memory allocation") || all.contains("capacity overflow") {
        return format!(
            "reading it needed more than the {} GB of memory Gloss allows a reader",
            MEMORY_LIMIT >> 30
        );
    }
    let last = said.iter().rev().find(|l| !l.trim().is_empty());
    match (status, last) {
        (_, Some(line)) => format!("the reader failed: {}", line.trim()),
        (Some(s), None) => format!("the reader ended unexpectedly ({s})"),
        (None, None) => "the reader ended unexpectedly".into(),
    }
}

/// The worker's side: read the request on stdin, extract in this process,
/// answer on stdout. `kind` is the worker's argument.
pub fn serve(kind: &str) -> ExitCode {
    limit_memory();
    let kind = Kind::of(Path::new(&format!("document.{kind}")));
    let mut input = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut input).is_err() || input.len() < 4 {
        eprintln!("the request could not be read");
        return ExitCode::from(3);
    }
    let (len, rest) = input.split_at(4);
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]);
    let (password, bytes) = if len == u32::MAX {
        (None, rest)
    } else {
        let (p, b) = rest.split_at((len as usize).min(rest.len()));
        (Some(String::from_utf8_lossy(p).into_owned()), b)
    };
    let report = |p: f32| eprintln!("progress {p}");
    let result = super::extract_here(kind, bytes, password.as_deref(), &report)
        .map(|e| Wire {
            text: e.text,
            title: e.title,
            extractor: e.extractor.to_string(),
            blocks: e.blocks,
            elements: e.elements,
        })
        .map_err(WireError::from);
    let mut stdout = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut stdout, &result).is_ok() && stdout.flush().is_ok();
    if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}

/// Cap the worker's address space, so a reader that would fill the memory
/// fails an allocation instead (and the parent says so), and write no core
/// file when it dies.
fn limit_memory() {
    #[cfg(unix)]
    {
        let memory = libc::rlimit {
            rlim_cur: MEMORY_LIMIT as libc::rlim_t,
            rlim_max: MEMORY_LIMIT as libc::rlim_t,
        };
        let core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the two plain structs passed by pointer;
        // failing (a stricter limit already set) leaves the limits as they are.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &memory);
            libc::setrlimit(libc::RLIMIT_CORE, &core);
        }
    }
}
