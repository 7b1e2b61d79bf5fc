//! One advisory lock for the whole plan (SPEC 11 rule 3): of two write commands on one plan at
//! the same moment, the second waits until the first is done, so it reads the files as the
//! first left them and its own change lands on top.
//!
//! Comparing a file's bytes just before the rename (what [`super::Change::apply`] does) is not
//! enough on its own: another command can rename its file in between, and one of the two
//! changes is lost while both print "wrote". The lock closes that gap. It is taken before a
//! command reads anything and held until its last rename, so "read, check, validate, write,
//! rename" runs for one command at a time. It is a lock of the operating system (`flock` on
//! Unix, `LockFileEx` on Windows, through `fd-lock`) on the file `.plan.lock` in the plan
//! folder: it goes away with the process, so a killed command never leaves the plan locked.
//! The file is removed when the command is done (a leftover one is harmless: only the lock on it
//! counts). Editors and git do not take the lock; for them the byte comparison stays.

use std::fs::OpenOptions;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::source::display_path;

/// The lock file's name, in the plan folder.
pub const LOCK_FILE: &str = ".plan.lock";

/// How long a command waits for another one to finish before it gives up (exit 2).
pub const WAIT: Duration = Duration::from_secs(10);

/// How often a waiting command tries again.
const POLL: Duration = Duration::from_millis(20);

/// Run `work` holding the plan's lock: wait up to `wait` for a command that holds it; after
/// that, give up without running `work` ("run again", exit 2).
pub fn while_locked<T>(
    plan_dir: &Path,
    wait: Duration,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let path = plan_dir.join(LOCK_FILE);
    let shown = display_path(&path);
    let started = Instant::now();
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot create the lock file {shown}"))?;
        let opened = file
            .metadata()
            .with_context(|| format!("cannot read the lock file {shown}"))?;
        let mut lock = fd_lock::RwLock::new(file);
        match lock.try_write() {
            Ok(guard) => {
                // The command before removed the file after this one opened it: this lock is
                // on a file nobody else will open. Take the lock on the file that is there.
                if !still_there(&opened, &path) {
                    continue;
                }
                let result = work();
                // Removed while still held, so that a command that opens it after this sees the
                // file gone (or a new one) and does not hold a lock on the old one.
                let _ = std::fs::remove_file(&path);
                drop(guard);
                return result;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if started.elapsed() >= wait {
                    bail!(
                        "another plan command is writing to {} (it holds {shown}); waited {} s for it, nothing was written: run again",
                        display_path(plan_dir),
                        wait.as_secs()
                    );
                }
                std::thread::sleep(POLL);
            }
            Err(e) => return Err(e).with_context(|| format!("cannot lock {shown}")),
        }
    }
}

/// Whether `path` is still the file that was opened (same device and inode).
#[cfg(unix)]
fn still_there(opened: &std::fs::Metadata, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|now| now.dev() == opened.dev() && now.ino() == opened.ino())
}

/// Elsewhere an open file cannot be removed, so it is the one that is there.
#[cfg(not(unix))]
fn still_there(_opened: &std::fs::Metadata, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let plan = dir.path().to_path_buf();
        let outcome = while_locked(&plan, WAIT, || {
            // Another process (a second open file description) cannot take it meanwhile.
            let inner = while_locked(&plan, Duration::from_millis(60), || Ok(()));
            let message = match inner {
                Ok(()) => panic!("the lock was taken twice"),
                Err(e) => format!("{e:#}"),
            };
            assert!(message.contains("run again"), "{message}");
            Ok(7)
        });
        assert_eq!(outcome.ok(), Some(7));
        assert!(!plan.join(LOCK_FILE).exists(), "the lock file was left");
        // Free again.
        assert_eq!(while_locked(&plan, WAIT, || Ok(1)).ok(), Some(1));
    }
}
