//! Work the window hands off so it never blocks: native file dialogs, writing saved
//! transcripts, reading the history folder, opening the file manager.
//!
//! Each job runs on its own named thread and sends one [`JobDone`] back, waking the UI.
//! Threads are joined as they finish, and the rest on shutdown, except a native dialog
//! still open when the window closes: nothing can interrupt it, so it ends with the process.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use crate::core::export::ExportFormat;
use crate::core::history;
use crate::core::ids::SessionId;
use crate::core::waker::Waker;

/// Which conversation a save is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveSource {
    /// A conversation of this run.
    Session(SessionId),
    /// A past conversation opened from History.
    File(PathBuf),
}

/// One past conversation in the History list.
#[derive(Clone, Debug)]
pub struct HistoryItem {
    /// Its file.
    pub path: PathBuf,
    /// The file, read.
    pub conversation: Arc<history::Conversation>,
}

/// What a job reports when it is done.
#[derive(Debug)]
pub enum JobDone {
    /// The save dialog closed: with a path, or without (cancelled, or no dialog could open).
    SaveDialogClosed {
        /// The conversation to save.
        source: SaveSource,
        /// The chosen file.
        path: Option<PathBuf>,
        /// How long the dialog was open (a dialog that could not open returns at once).
        open_for: Duration,
    },
    /// A transcript was written.
    Saved {
        /// Where.
        path: PathBuf,
        /// In which format.
        format: ExportFormat,
    },
    /// Writing a transcript failed.
    SaveFailed {
        /// What went wrong.
        error: crate::desktop::files::SaveError,
    },
    /// The History folder was read.
    HistoryListed {
        /// Past conversations, newest first.
        items: Vec<HistoryItem>,
        /// Files that could not be read at all.
        unreadable: usize,
        /// Lines skipped in the files that were read.
        damaged_lines: usize,
    },
    /// A file found by find in History was read, to open it at a hit.
    HistoryFileRead {
        /// The file.
        path: PathBuf,
        /// It, read (`None`: it could not be read back).
        item: Option<HistoryItem>,
        /// The entry the hit is in.
        entry: usize,
        /// Where the hit starts in it.
        start: usize,
    },
    /// The file manager was asked to show the transcripts folder.
    FolderOpened,
    /// The class list dialog closed: with a file, or cancelled.
    ClassListPicked {
        /// The chosen file.
        path: Option<PathBuf>,
    },
    /// A desktop notification was shown, or could not be (no notification service).
    Notified {
        /// Why it could not be shown, in the notification library's words.
        error: Option<String>,
    },
    /// The "Why?" panel's checks read the system.
    WhyChecked {
        /// What they read.
        readings: crate::core::why::Readings,
    },
    /// The servers reached were written to `known.json`, or could not be.
    KnownSaved {
        /// Why they could not be.
        error: Option<crate::desktop::files::SaveError>,
    },
    /// Opening the transcripts folder failed.
    FolderFailed {
        /// What went wrong.
        error: crate::desktop::files::OpenFolderError,
    },
}

/// The job threads and their results channel.
pub struct Jobs {
    done_tx: Sender<JobDone>,
    done_rx: Receiver<JobDone>,
    waker: Arc<dyn Waker>,
    running: Vec<(JoinHandle<()>, bool)>,
}

impl Jobs {
    /// A job runner that wakes the UI through `waker`.
    pub fn new(waker: Arc<dyn Waker>) -> Self {
        let (done_tx, done_rx) = crossbeam_channel::unbounded();
        Jobs {
            done_tx,
            done_rx,
            waker,
            running: Vec::new(),
        }
    }

    /// Runs `job` on a thread named `name`. `interruptible` is false for native dialogs,
    /// which cannot be stopped and are not waited for on shutdown.
    pub fn spawn(
        &mut self,
        name: &str,
        interruptible: bool,
        job: impl FnOnce() -> JobDone + Send + 'static,
    ) -> std::io::Result<()> {
        let tx = self.done_tx.clone();
        let waker = Arc::clone(&self.waker);
        let handle = std::thread::Builder::new()
            .name(format!("turnchat-{name}"))
            .spawn(move || {
                if tx.send(job()).is_ok() {
                    waker.wake();
                }
            })?;
        self.running.push((handle, interruptible));
        Ok(())
    }

    /// The next finished job's report, if any. Never blocks.
    pub fn try_next(&mut self) -> Option<JobDone> {
        self.reap();
        self.done_rx.try_recv().ok()
    }

    /// How many jobs are still running (a dialog counts until it closes).
    pub fn running(&self) -> usize {
        self.running
            .iter()
            .filter(|(h, _)| !h.is_finished())
            .count()
    }

    /// The channel job reports arrive on (to wait on it together with others).
    pub fn receiver(&self) -> &Receiver<JobDone> {
        &self.done_rx
    }

    fn reap(&mut self) {
        let (done, running): (Vec<_>, Vec<_>) =
            self.running.drain(..).partition(|(h, _)| h.is_finished());
        self.running = running;
        for (h, _) in done {
            let _ = h.join();
        }
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        for (handle, interruptible) in self.running.drain(..) {
            if interruptible || handle.is_finished() {
                let _ = handle.join();
            }
        }
    }
}

/// The most files History reads from one class folder.
const MAX_FILES_PER_CLASS: usize = 2000;

/// Reads every transcript file in `dir` and in its class folders, newest first. Runs on a
/// job thread.
pub fn list_history(dir: &std::path::Path) -> JobDone {
    let mut items = Vec::new();
    let mut unreadable = 0;
    let mut damaged_lines = 0;
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => {
            return JobDone::HistoryListed {
                items,
                unreadable,
                damaged_lines,
            };
        }
    };
    // The folder's own files, and those of its class folders (one level down).
    let mut paths = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Ok(inner) = std::fs::read_dir(&path) {
                paths.extend(inner.flatten().map(|e| e.path()).take(MAX_FILES_PER_CLASS));
            }
        } else {
            paths.push(path);
        }
    }
    for path in paths {
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        match std::fs::read(&path)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .as_deref()
            .and_then(history::parse)
        {
            Some(conversation) => {
                damaged_lines += conversation.damaged;
                items.push(HistoryItem {
                    path,
                    conversation: Arc::new(conversation),
                });
            }
            None => unreadable += 1,
        }
    }
    items.sort_by(|a, b| {
        b.conversation
            .header
            .started
            .cmp(&a.conversation.header.started)
    });
    JobDone::HistoryListed {
        items,
        unreadable,
        damaged_lines,
    }
}
