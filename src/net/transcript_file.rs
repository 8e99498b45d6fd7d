//! The live transcript: one JSON Lines file per session, one line per event, flushed as
//! it happens, so a crash loses nothing that was already shown.
//!
//! A file holds whole lines only: a write that fails half way (the disk is full) is cut
//! back to the last whole line, and the next line is tried again, so writing resumes by
//! itself once there is space. The lines of one run count against its disk budget
//! ([`RunDisk`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, FixedOffset};

use crate::core::disk_budget::{BudgetScope, DiskBudget};
use crate::core::export::file_name_part;

use crate::core::notice::TranscriptError;

/// Where a transcript's lines go: appended to, and cut back to a length.
pub trait LineStore {
    /// Appends all of `bytes`, or fails (perhaps after a part of them).
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Cuts the store back to its first `len` bytes.
    fn cut_back(&mut self, len: u64) -> io::Result<()>;
}

impl LineStore for File {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)?;
        self.flush()
    }

    fn cut_back(&mut self, len: u64) -> io::Result<()> {
        // Opened for appending: the next write goes to the new end.
        self.set_len(len)
    }
}

/// A [`LineStore`] that only ever holds whole lines.
#[derive(Debug)]
pub struct WholeLines<S> {
    store: S,
    /// The length of the whole lines written.
    whole: u64,
    /// A failed write may have left a part of a line that could not be cut back yet.
    ragged: bool,
}

impl<S: LineStore> WholeLines<S> {
    /// Lines written to `store`, which holds `len` bytes of whole lines already.
    pub fn new(store: S, len: u64) -> Self {
        WholeLines {
            store,
            whole: len,
            ragged: false,
        }
    }

    /// Appends one line (with its newline) whole, or not at all: when the write fails,
    /// what of it was written is cut back (or, if even that fails, before the next line).
    pub fn append(&mut self, line: &[u8]) -> io::Result<()> {
        if self.ragged {
            self.store.cut_back(self.whole)?;
            self.ragged = false;
        }
        match self.store.append(line) {
            Ok(()) => {
                self.whole += line.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.ragged = self.store.cut_back(self.whole).is_err();
                Err(e)
            }
        }
    }

    /// The length of the whole lines written.
    pub fn len(&self) -> u64 {
        self.whole
    }

    /// Whether no line is written yet.
    pub fn is_empty(&self) -> bool {
        self.whole == 0
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

/// Why a line did not go into the file.
#[derive(Debug)]
pub enum AppendError {
    /// The write failed (the disk is full, say); the file holds whole lines and the next
    /// line is tried again.
    Failed(std::io::Error),
    /// The file was deleted or moved while the conversation went on: writes to it would be
    /// lost unseen, so nothing more is written.
    Gone,
}

/// The disk budget of one run of a role, and what its transcript files hold together.
/// Shared by the run's conversations.
#[derive(Debug, Default)]
pub struct RunDisk {
    budget: DiskBudget,
    used: AtomicU64,
}

impl RunDisk {
    /// A run with `budget`, nothing written yet.
    pub fn new(budget: DiskBudget) -> Self {
        RunDisk {
            budget,
            used: AtomicU64::new(0),
        }
    }

    /// The budgets.
    pub fn budget(&self) -> DiskBudget {
        self.budget
    }

    /// Takes room for a line of `line` bytes in a file that holds `file` bytes, or says
    /// which budget it would pass.
    pub fn take(&self, file: u64, line: u64) -> Result<(), BudgetScope> {
        self.budget.check(file, 0, line)?;
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                self.budget
                    .check(0, used, line)
                    .ok()
                    .map(|()| used.saturating_add(line))
            })
            .map(|_| ())
            .map_err(|_| BudgetScope::Run)
    }

    /// Gives back the room of a line that was not written after all.
    pub fn give_back(&self, line: u64) {
        let _ = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                Some(used.saturating_sub(line))
            });
    }
}

/// An open, append-only JSON Lines transcript.
#[derive(Debug)]
pub struct TranscriptFile {
    path: PathBuf,
    lines: WholeLines<File>,
    /// The file's identity (device, inode) when it was created, to notice it vanishing.
    identity: Option<(u64, u64)>,
}

/// The (device, inode) pair that identifies a file on Unix; `None` elsewhere.
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

impl TranscriptFile {
    /// Creates `dir` if needed and a new file in it named after the time and the peer.
    pub fn create(
        dir: &Path,
        started: DateTime<FixedOffset>,
        peer: &str,
        key: &str,
    ) -> Result<Self, TranscriptError> {
        let fail = |path: &Path, e: std::io::Error| TranscriptError {
            path: path.to_path_buf(),
            detail: e.to_string(),
            missing_from: None,
        };
        crate::net::private::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        let safe_peer = file_name_part(peer);
        let unique = key
            .rsplit('-')
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("-");
        let name = format!(
            "{}_{}_{}.jsonl",
            started.format("%Y-%m-%d_%H-%M-%S"),
            safe_peer,
            unique
        );
        let path = dir.join(name);
        let file = crate::net::private::options()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|e| fail(&path, e))?;
        let identity = file.metadata().ok().as_ref().and_then(identity);
        Ok(TranscriptFile {
            path,
            lines: WholeLines::new(file, 0),
            identity,
        })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many bytes of whole lines it holds.
    pub fn len(&self) -> u64 {
        self.lines.len()
    }

    /// Whether it holds no line yet.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Appends one line (a record's [`crate::core::transcript::Record::to_line`]) whole,
    /// or nothing of it, and flushes it to the operating system.
    ///
    /// Fails, too, when the file is no longer where it was created (its folder was deleted
    /// or moved): writes to an open but deleted file succeed and are silently lost, and the
    /// user must hear that the transcript is no longer being saved.
    pub fn append(&mut self, line: &str) -> Result<(), AppendError> {
        self.lines
            .append(line.as_bytes())
            .map_err(AppendError::Failed)?;
        if let Some(created) = self.identity {
            let now = std::fs::metadata(&self.path)
                .ok()
                .as_ref()
                .and_then(identity);
            if now != Some(created) {
                return Err(AppendError::Gone);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store with room for `room` bytes: a write beyond it writes what fits, then fails
    /// as a full disk does.
    struct Cramped {
        bytes: Vec<u8>,
        room: usize,
    }

    impl LineStore for Cramped {
        fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
            let fits = self.room.saturating_sub(self.bytes.len()).min(bytes.len());
            self.bytes.extend_from_slice(&bytes[..fits]);
            if fits < bytes.len() {
                return Err(io::Error::from_raw_os_error(28)); // ENOSPC
            }
            Ok(())
        }

        fn cut_back(&mut self, len: u64) -> io::Result<()> {
            self.bytes.truncate(usize::try_from(len).expect("small"));
            Ok(())
        }
    }

    fn whole_lines(bytes: &[u8]) -> bool {
        bytes.is_empty() || bytes.ends_with(b"\n")
    }

    #[test]
    fn a_write_that_fails_half_way_is_cut_back_and_the_next_line_goes_in_once_there_is_room() {
        let mut lines = WholeLines::new(
            Cramped {
                bytes: Vec::new(),
                room: 25,
            },
            0,
        );
        lines.append(b"{\"n\":1}\n").expect("fits");
        lines.append(b"{\"n\":2}\n").expect("fits");
        // 16 bytes written; 9 of the next 16 would fit.
        let full = lines.append(b"{\"n\":333333}\n").expect_err("full");
        assert_eq!(full.raw_os_error(), Some(28));
        assert_eq!(lines.store().bytes, b"{\"n\":1}\n{\"n\":2}\n");
        assert_eq!(lines.len(), 16);
        assert!(lines.append(b"{\"n\":4444444444}\n").is_err());
        assert!(whole_lines(&lines.store().bytes) && lines.len() == 16);
        // Space is back: the next line goes in, right after the last whole one.
        lines.store.room = 1000;
        lines.append(b"{\"n\":5}\n").expect("room again");
        assert_eq!(lines.store().bytes, b"{\"n\":1}\n{\"n\":2}\n{\"n\":5}\n");
        assert_eq!(lines.len(), 24);
    }

    /// A store that fails after `good` bytes and cannot cut back while it fails.
    struct Stuck {
        bytes: Vec<u8>,
        good: usize,
        stuck: bool,
    }

    impl LineStore for Stuck {
        fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
            let fits = if self.stuck {
                self.good.saturating_sub(self.bytes.len()).min(bytes.len())
            } else {
                bytes.len()
            };
            self.bytes.extend_from_slice(&bytes[..fits]);
            if fits < bytes.len() {
                return Err(io::Error::other("stuck"));
            }
            Ok(())
        }

        fn cut_back(&mut self, len: u64) -> io::Result<()> {
            if self.stuck {
                return Err(io::Error::other("stuck"));
            }
            self.bytes.truncate(usize::try_from(len).expect("small"));
            Ok(())
        }
    }

    #[test]
    fn a_part_line_that_could_not_be_cut_back_is_cut_before_the_next_line() {
        let mut lines = WholeLines::new(
            Stuck {
                bytes: b"{}\n".to_vec(),
                good: 6,
                stuck: true,
            },
            3,
        );
        assert!(lines.append(b"{\"a\":1}\n").is_err());
        assert_eq!(lines.store().bytes, b"{}\n{\"a");
        // Still stuck: the part stays, nothing more is added.
        assert!(lines.append(b"{}\n").is_err());
        lines.store.stuck = false;
        lines.append(b"{\"b\":2}\n").expect("unstuck");
        assert_eq!(lines.store().bytes, b"{}\n{\"b\":2}\n");
    }

    #[test]
    fn the_run_budget_is_shared_and_given_back() {
        let run = RunDisk::new(DiskBudget {
            conversation: 100,
            run: 150,
        });
        assert_eq!(run.take(0, 80), Ok(()));
        assert_eq!(run.take(0, 80), Err(BudgetScope::Run));
        assert_eq!(run.take(50, 60), Err(BudgetScope::Conversation));
        run.give_back(80);
        assert_eq!(run.take(0, 80), Ok(()));
        assert_eq!(run.take(0, 70), Ok(()));
        assert_eq!(run.take(0, 1), Err(BudgetScope::Run));
    }
}
