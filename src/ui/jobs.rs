//! Work that runs off the UI thread. A job gets owned input, runs on its own
//! thread, and is polled once a frame; its result is applied by the app in
//! the same place commands are. Today: opening a document (reading,
//! decoding, parsing its annotations, placing them), re-reading a document
//! another program changed, and autosaving.

use crate::session::{OpenError, Progress, ReloadJob, Reloaded, Session};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// Progress is shown for jobs that take longer than this.
pub const SHOW_PROGRESS_AFTER: Duration = Duration::from_millis(200);

pub struct Reload {
    rx: Receiver<Result<Reloaded, OpenError>>,
    done: Arc<AtomicUsize>,
    total: usize,
    started: Instant,
}

pub enum Poll {
    Running,
    Finished(Box<Result<Reloaded, OpenError>>),
}

impl Reload {
    pub fn start(job: ReloadJob, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let done = Arc::new(AtomicUsize::new(0));
        let total = job.len();
        let (counter, ctx) = (done.clone(), ctx.clone());
        std::thread::spawn(move || {
            // The receiver may be gone (another document was opened): fine.
            let _ = tx.send(job.run(&counter));
            ctx.request_repaint();
        });
        Self {
            rx,
            done,
            total,
            started: Instant::now(),
        }
    }

    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(result) => Poll::Finished(Box::new(result)),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Finished(Box::new(Err(OpenError::Read {
                path: Default::default(),
                source: std::io::Error::other("the re-anchoring thread stopped"),
            }))),
        }
    }

    /// "Re-anchoring 1,200 of 10,000…" once it has taken a while.
    pub fn status(&self) -> Option<String> {
        (self.started.elapsed() >= SHOW_PROGRESS_AFTER).then(|| {
            format!(
                "Re-anchoring {} of {} annotations…",
                self.done.load(Ordering::Relaxed).min(self.total),
                self.total
            )
        })
    }
}

/// Work on another thread whose result the app takes in when it is
/// done: an autosave, an import being read, an export being written.
pub struct Job<T> {
    rx: Receiver<T>,
    started: Instant,
    /// What the status bar says while it runs ("Saving 100,000 annotations").
    what: String,
}

impl<T: Send + 'static> Job<T> {
    pub fn start(
        what: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            // The receiver may be gone (the window closed): fine.
            let _ = tx.send(work());
            ctx.request_repaint();
        });
        Self {
            rx,
            started: Instant::now(),
            what: what.into(),
        }
    }

    /// `Some` once done: the result, or `None` if the thread died.
    pub fn poll(&self) -> Option<Option<T>> {
        match self.rx.try_recv() {
            Ok(done) => Some(Some(done)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }

    /// Blocks until done (before a save that must happen now, or before
    /// another document replaces this one); `None` if the thread died.
    pub fn wait(self) -> Option<T> {
        self.rx.recv().ok()
    }

    /// "Saving 100,000 annotations…" once it has taken a while.
    pub fn status(&self) -> Option<String> {
        (self.started.elapsed() >= SHOW_PROGRESS_AFTER).then(|| format!("{}…", self.what))
    }
}

/// A document being opened.
pub struct Opening {
    pub path: PathBuf,
    rx: Receiver<Result<Session, OpenError>>,
    progress: Arc<Progress>,
    started: Instant,
}

impl Opening {
    /// Opens `path` on another thread (with `password` for a protected PDF).
    pub fn start(path: &Path, ctx: &egui::Context, password: Option<String>) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(Progress::default());
        let (p, owned, ctx) = (progress.clone(), path.to_path_buf(), ctx.clone());
        std::thread::spawn(move || {
            let opened = Session::open_with(&owned, &p, password.as_deref()).map(|mut s| {
                // A document inside a project codes with its codebook.
                crate::project::apply_codebook(&mut s);
                s
            });
            let _ = tx.send(opened);
            ctx.request_repaint();
        });
        Self {
            path: path.to_path_buf(),
            rx,
            progress,
            started: Instant::now(),
        }
    }

    /// The opened session, once ready.
    pub fn poll(&self) -> Option<Result<Session, OpenError>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(OpenError::Read {
                path: self.path.clone(),
                source: std::io::Error::other("opening stopped unexpectedly"),
            })),
        }
    }

    /// "Opening report.txt… 1,200 of 10,000 annotations placed".
    pub fn status(&self) -> Option<String> {
        if self.started.elapsed() < SHOW_PROGRESS_AFTER {
            return None;
        }
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let total = self.progress.total.load(Ordering::Relaxed);
        let extracted = self.progress.extracted.load(Ordering::Relaxed);
        Some(if total == 0 && extracted > 0 {
            format!("Opening {name}… text {}% read", extracted / 10)
        } else if total == 0 {
            format!("Opening {name}…")
        } else {
            format!(
                "Opening {name}… {} of {total} annotations placed",
                self.progress.placed.load(Ordering::Relaxed).min(total)
            )
        })
    }
}

/// The stop flag of a background search: set when the search is dropped
/// (nobody waits for it any more), so it stops at its next batch.
pub struct StopOnDrop(pub Arc<std::sync::atomic::AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}
