//! Progress on standard error while a large file loads: nothing for the first second (a
//! normal plan loads long before), nothing at all when standard error is not a terminal (CI
//! logs, pipes, tests), then one line redrawn at most ten times a second and erased when the
//! file is done.
//!
//! A dozen lines rather than a progress-bar crate: the one line needs no templates, styles
//! or threads, and the check on the hot path is one comparison per chunk.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Show nothing before this.
const QUIET_FOR: Duration = Duration::from_secs(1);
/// Redraw at most this often.
const EVERY: Duration = Duration::from_millis(100);

/// The progress of reading one file.
pub struct Progress {
    label: String,
    total: u64,
    started: Instant,
    last: Option<Instant>,
    enabled: bool,
}

impl Progress {
    /// Progress for reading `total` bytes of the file shown as `label`.
    pub fn new(label: &str, total: u64) -> Progress {
        Progress {
            label: label.to_owned(),
            total,
            started: Instant::now(),
            last: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// `done` bytes have been read.
    pub fn update(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.started) < QUIET_FOR
            || self.last.is_some_and(|t| now.duration_since(t) < EVERY)
        {
            return;
        }
        self.last = Some(now);
        let pct = (done.saturating_mul(100))
            .checked_div(self.total)
            .unwrap_or(100)
            .min(100);
        let mb = |b: u64| b / 1_000_000;
        let mut err = std::io::stderr().lock();
        // A failed write to stderr is no reason to stop reading the plan.
        let _ = write!(
            err,
            "\r\x1b[Kreading {}: {pct:>3} % ({} of {} MB)",
            self.label,
            mb(done),
            mb(self.total)
        );
        let _ = err.flush();
    }

    /// The file is read: erase the line, if one was drawn.
    pub fn finish(&mut self) {
        if self.last.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
