//! The live transcript: one JSON Lines file per session, one line per event, flushed as
//! it happens, so a crash loses nothing that was already shown.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::core::export::file_name_part;
use crate::core::transcript::Record;

/// A transcript file could not be created or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptError {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// The operating system's words.
    pub detail: String,
}

impl fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TurnChat could not write the transcript file {} ({}). The conversation goes on and stays in this window.",
            self.path.display(),
            self.detail
        )
    }
}

impl std::error::Error for TranscriptError {}

/// An open, append-only JSON Lines transcript.
#[derive(Debug)]
pub struct TranscriptFile {
    path: PathBuf,
    file: File,
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
        };
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
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
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|e| fail(&path, e))?;
        Ok(TranscriptFile { path, file })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record as one line and flushes it to the operating system.
    pub fn append(&mut self, record: &Record) -> Result<(), TranscriptError> {
        self.file
            .write_all(record.to_line().as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|e| TranscriptError {
                path: self.path.clone(),
                detail: e.to_string(),
            })
    }
}
