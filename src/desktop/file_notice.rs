//! How the last file action went (a save, the folder, the settings file, a
//! notification), shown under the toolbar until the next one. A typed value: the
//! keeping reducer (`crate::state::keeping`) decides which, the catalogue words it.

use std::path::PathBuf;

use crate::core::export::ExportFormat;
use crate::desktop::files::{OpenFolderError, SaveError, SettingsLoadError};
use crate::desktop::jobs::SaveSource;

/// How the last file action went, shown under the toolbar until the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileNotice {
    /// A conversation was written.
    Saved {
        /// Where.
        path: PathBuf,
        /// In which format.
        format: ExportFormat,
    },
    /// Writing a conversation failed (it is still on screen and in its live file).
    SaveFailed {
        /// Why.
        error: SaveError,
    },
    /// The save dialog returned at once without a file: probably none could open.
    NoDialog {
        /// The conversation to offer saving into the transcripts folder instead.
        source: SaveSource,
    },
    /// The conversation to save is no longer open, so nothing was saved.
    ConversationGone,
    /// A saved transcript found in History could not be read back to open it (moved,
    /// deleted, grown over the size bound, or no longer a transcript).
    NotReadable {
        /// The file.
        path: PathBuf,
    },
    /// The transcripts folder could not be shown.
    FolderFailed {
        /// Why.
        error: OpenFolderError,
    },
    /// A background task (dialog, save, History, folder) could not be started.
    TaskNotStarted {
        /// The operating system's words.
        detail: String,
    },
    /// The settings file could not be used at start-up.
    SettingsUnreadable {
        /// Why.
        error: SettingsLoadError,
    },
    /// The settings could not be written.
    SettingsNotSaved {
        /// Why.
        error: SaveError,
    },
    /// The servers reached (trust on first use, `known.json`) could not be written.
    KnownNotSaved {
        /// Why.
        error: SaveError,
    },
    /// Desktop notifications cannot be shown here; TurnChat stops trying for this run.
    NotificationsUnavailable {
        /// The notification library's words.
        detail: String,
    },
}

impl FileNotice {
    /// Whether the notice reports a failure (shown in the error colour).
    pub fn is_error(&self) -> bool {
        !matches!(
            self,
            FileNotice::Saved { .. }
                | FileNotice::NoDialog { .. }
                | FileNotice::NotificationsUnavailable { .. }
        )
    }

    /// The conversation to offer saving into the transcripts folder, if any.
    pub fn offer_quick_save(&self) -> Option<&SaveSource> {
        match self {
            FileNotice::NoDialog { source } => Some(source),
            _ => None,
        }
    }
}

/// Files in the transcripts folder that could not be read, or only in part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryProblem {
    /// Files that could not be read at all (not listed).
    pub unreadable: usize,
    /// Lines skipped in the files that were read.
    pub damaged_lines: usize,
}
