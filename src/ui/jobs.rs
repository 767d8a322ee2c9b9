//! Work that runs off the UI thread. A job gets owned input, runs on its own
//! thread, and is polled once a frame; its result is applied by the app in
//! the same place commands are. Today: re-reading a document another
//! program changed and re-anchoring its annotations.

use crate::session::{OpenError, ReloadJob, Reloaded};
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
