//! The live transcript: one JSON Lines file per session, one line per event, flushed as
//! it happens, so a crash loses nothing that was already shown.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::core::export::file_name_part;
use crate::core::transcript::Record;

use crate::core::notice::TranscriptError;

/// An open, append-only JSON Lines transcript.
#[derive(Debug)]
pub struct TranscriptFile {
    path: PathBuf,
    file: File,
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
            file,
            identity,
        })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record as one line and flushes it to the operating system.
    ///
    /// Fails, too, when the file is no longer where it was created (its folder was deleted
    /// or moved): writes to an open but deleted file succeed and are silently lost, and the
    /// user must hear that the transcript is no longer being saved.
    pub fn append(&mut self, record: &Record) -> Result<(), TranscriptError> {
        let fail = |detail: String| TranscriptError {
            path: self.path.clone(),
            detail,
        };
        self.file
            .write_all(record.to_line().as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|e| fail(e.to_string()))?;
        if let Some(created) = self.identity {
            let now = std::fs::metadata(&self.path)
                .ok()
                .as_ref()
                .and_then(identity);
            if now != Some(created) {
                return Err(fail(
                    "it was deleted or moved while the conversation went on".to_owned(),
                ));
            }
        }
        Ok(())
    }
}
