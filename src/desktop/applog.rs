//! TurnChat's log file, for people who start it by double-clicking and never see a
//! terminal: start-up failures, panics, settings problems and what the window did (the
//! same lines `--listen` prints) are appended to `turnchat.log` in the data folder (on
//! Linux `$XDG_DATA_HOME/turnchat/turnchat.log`).
//!
//! The file stays small: before a line would be appended to a file of [`LIMIT`] bytes or
//! more, the file is renamed to `turnchat.log.1` (replacing an older one) and a new file
//! is started, so the two together never hold much more than twice the limit.
//!
//! Logging never fails loudly: a log that cannot be written is reported once on standard
//! error, and the app carries on.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::net::private;

/// A log file at or over this size is moved aside before the next line is written.
pub const LIMIT: u64 = 1024 * 1024;

/// An append-only log file that rotates itself at a size limit.
#[derive(Debug)]
pub struct LogFile {
    path: PathBuf,
    limit: u64,
    /// Serialises rotate-then-append between threads.
    lock: Mutex<()>,
    /// Whether a write failure has already been reported on standard error.
    reported: AtomicBool,
}

impl LogFile {
    /// A log at `path` that rotates at `limit` bytes. Nothing is created until the first
    /// line is written.
    pub fn new(path: PathBuf, limit: u64) -> Self {
        LogFile {
            path,
            limit,
            lock: Mutex::new(()),
            reported: AtomicBool::new(false),
        }
    }

    /// Where the log is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the previous log goes when this one is full: `turnchat.log.1` beside it.
    pub fn rotated_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".1");
        PathBuf::from(name)
    }

    /// Appends one line (a time stamp, then `text`), creating the folder and rotating
    /// the file first if needed.
    pub fn append(&self, text: &str) -> io::Result<()> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(dir) = self.path.parent() {
            private::create_dir_all(dir)?;
        }
        match fs::metadata(&self.path) {
            Ok(meta) if meta.len() >= self.limit => fs::rename(&self.path, self.rotated_path())?,
            _ => {}
        }
        let stamp = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z");
        let mut file = private::options()
            .create(true)
            .append(true)
            .open(&self.path)?;
        // One write per line, so lines from different threads never interleave.
        file.write_all(format!("{stamp} {text}\n").as_bytes())
    }

    /// Appends a line, and says on standard error (once per run) if that failed.
    /// Returns whether the line was written.
    pub fn append_or_report(&self, text: &str) -> bool {
        match self.append(text) {
            Ok(()) => true,
            Err(e) => {
                if !self.reported.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "turnchat: the log file {} could not be written ({e}); messages go only to this terminal.",
                        self.path.display()
                    );
                }
                false
            }
        }
    }
}

static LOG: OnceLock<LogFile> = OnceLock::new();

/// Sets the log file for this process. Only the first call has an effect; until it is
/// made (as in tests of the library), [`line`] writes nothing.
pub fn init(path: PathBuf) {
    let _ = LOG.set(LogFile::new(path, LIMIT));
}

/// The log file of this process, if [`init`] was called.
pub fn path() -> Option<&'static Path> {
    LOG.get().map(LogFile::path)
}

/// Appends `text` to the process's log file, if there is one. Returns the file's path
/// if the line was written there.
pub fn line(text: &str) -> Option<&'static Path> {
    let log = LOG.get()?;
    log.append_or_report(text).then(|| log.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("turnchat-applog-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    #[test]
    fn creates_the_folder_and_appends_stamped_lines() {
        let dir = scratch("append");
        let log = LogFile::new(dir.join("deep/turnchat.log"), LIMIT);
        log.append("first").expect("append");
        log.append("second").expect("append");
        let text = read(log.path());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].ends_with(" first") && lines[1].ends_with(" second"));
        // The stamp is RFC 3339 with milliseconds: 2026-11-25T07:26:57.892+00:00.
        let stamp = lines[0].split(' ').next().expect("stamp");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
        assert!(!log.rotated_path().exists());
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_full_log_is_moved_aside_and_a_new_one_started() {
        let dir = scratch("rotate");
        let log = LogFile::new(dir.join("turnchat.log"), 100);
        log.append("old line that is long enough to fill half")
            .expect("append");
        let first = read(log.path());
        assert!(first.len() < 100, "still under the limit: {}", first.len());
        // Under the limit: appended to the same file.
        log.append("another old line, now over the limit")
            .expect("append");
        let full = read(log.path());
        assert!(full.len() >= 100 && full.starts_with(&first));
        assert!(!log.rotated_path().exists());

        // At or over the limit: moved to .1 before the next line.
        log.append("new").expect("append");
        assert_eq!(read(&log.rotated_path()), full);
        let fresh = read(log.path());
        assert_eq!(fresh.lines().count(), 1);
        assert!(fresh.ends_with(" new\n"), "{fresh}");

        // The next rotation replaces the old .1: at most two files, ever.
        let big = "x".repeat(80);
        log.append(&big).expect("append");
        log.append("newest").expect("append");
        assert!(read(&log.rotated_path()).contains(&big));
        assert!(!read(&log.rotated_path()).contains("old line"));
        assert!(read(log.path()).ends_with(" newest\n"));
        let entries = fs::read_dir(&dir).expect("dir").count();
        assert_eq!(entries, 2);
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn an_unwritable_log_is_an_error_not_a_panic() {
        let dir = scratch("unwritable");
        fs::create_dir_all(&dir).expect("dir");
        // A file where the log's folder should be.
        let blocker = dir.join("blocker");
        fs::write(&blocker, "not a folder").expect("write");
        let log = LogFile::new(blocker.join("turnchat.log"), LIMIT);
        assert!(log.append("lost").is_err());
        assert!(!log.append_or_report("lost too"));
        let _ = fs::remove_dir_all(dir);
    }
}
