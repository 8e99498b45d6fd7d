//! Keeping conversations: saving them (through the save dialog or straight into the
//! transcripts folder), the History list, the past conversation on screen, and the notice
//! saying how the last file action went.
//!
//! [`Keeping`] is a pure reducer, like [`crate::state::State`]: requests from the window
//! and reports from finished jobs go in, and what the app must start next comes out as a
//! [`KeepAction`]. It never touches a thread, a file or egui, so every step of the save
//! flow is a unit test. Notices are typed values ([`FileNotice`]); the toolbar words them,
//! so another language can word them differently.

use crate::desktop::file_notice::{FileNotice, HistoryProblem};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::core::export::{ExportFormat, ExportHeader};
use crate::desktop::jobs::{HistoryItem, JobDone, SaveSource};

/// A dialog that returns sooner than this without a path probably never appeared.
pub const DIALOG_NEVER_APPEARED: Duration = Duration::from_millis(400);

/// What is known about the transcripts folder.
#[derive(Clone, Debug, Default)]
pub struct HistoryList {
    /// Past conversations, newest first; `None` until read.
    pub items: Option<Vec<HistoryItem>>,
    /// Files or lines that could not be read, if any.
    pub problem: Option<HistoryProblem>,
}

/// Work the app must start for [`Keeping`] (each on a job thread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeepAction {
    /// Open the save dialog; its answer comes back as [`JobDone::SaveDialogClosed`].
    OpenDialog {
        /// The conversation to save.
        source: SaveSource,
        /// The folder the dialog starts in.
        folder: PathBuf,
        /// The file name it suggests.
        file_name: String,
    },
    /// Render the conversation and write it to `path`.
    Write {
        /// The conversation.
        source: SaveSource,
        /// The file.
        path: PathBuf,
        /// The format the file name asks for.
        format: ExportFormat,
    },
    /// Read the transcripts folder.
    ListHistory {
        /// The folder.
        dir: PathBuf,
    },
    /// Show the transcripts folder in the file manager.
    OpenFolder {
        /// The folder.
        dir: PathBuf,
    },
}

/// Everything about keeping conversations that the window remembers between frames.
#[derive(Debug, Default)]
pub struct Keeping {
    /// Where live transcripts go (`None`: not written).
    transcripts: Option<PathBuf>,
    /// Where saves go when no folder is chosen: the transcripts folder, or another.
    save_folder: PathBuf,
    /// Whether a save dialog is open (a second one is refused while it is).
    dialog_open: bool,
    notice: Option<FileNotice>,
    history: HistoryList,
    history_open: bool,
    /// The past conversation on screen instead of this run's, if any.
    showing: Option<HistoryItem>,
}

impl Keeping {
    /// Keeping for transcripts in `transcripts`. `fallback_folder` is where saves are
    /// suggested when there is no transcripts folder.
    pub fn new(transcripts: Option<PathBuf>, fallback_folder: PathBuf) -> Self {
        Keeping {
            save_folder: transcripts.clone().unwrap_or(fallback_folder),
            transcripts,
            ..Keeping::default()
        }
    }

    /// How the last file action went.
    pub fn notice(&self) -> Option<&FileNotice> {
        self.notice.as_ref()
    }

    /// Shows `notice` until the next file action (settings problems come from outside).
    pub fn set_notice(&mut self, notice: FileNotice) {
        self.notice = Some(notice);
    }

    /// Whether a save dialog is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog_open
    }

    /// Whether the History panel is open.
    pub fn history_open(&self) -> bool {
        self.history_open
    }

    /// The past conversation on screen, if one is.
    pub fn showing(&self) -> Option<&HistoryItem> {
        self.showing.as_ref()
    }

    /// The past conversation read from `path` (on screen or in the list).
    pub fn item(&self, path: &Path) -> Option<&HistoryItem> {
        self.showing
            .iter()
            .chain(self.history.items.iter().flatten())
            .find(|i| i.path == path)
    }

    /// The History list without the files of this run's conversations (`live_files`),
    /// which the panel already lists under "This run"; and what could not be read.
    pub fn past_conversations(
        &self,
        live_files: &[&Path],
    ) -> (Option<Vec<&HistoryItem>>, Option<HistoryProblem>) {
        let items = self.history.items.as_ref().map(|items| {
            items
                .iter()
                .filter(|i| !live_files.contains(&i.path.as_path()))
                .collect()
        });
        (items, self.history.problem)
    }

    /// The user asked to save `source` (described by `header`) through the save dialog.
    /// Refused quietly while a dialog is already open: it is still there to answer.
    pub fn save_as(&mut self, source: SaveSource, header: &ExportHeader) -> Option<KeepAction> {
        if self.dialog_open {
            return None;
        }
        self.dialog_open = true;
        Some(KeepAction::OpenDialog {
            source,
            folder: self.save_folder.clone(),
            file_name: header.file_name(ExportFormat::PlainText),
        })
    }

    /// The user asked to save `source` into the transcripts folder without a dialog.
    pub fn quick_save(&mut self, source: SaveSource, header: &ExportHeader) -> KeepAction {
        let path = self
            .save_folder
            .join(header.file_name(ExportFormat::PlainText));
        write(source, path)
    }

    /// A job finished: updates what is shown, and says what to start next.
    pub fn apply(&mut self, done: JobDone) -> Option<KeepAction> {
        match done {
            JobDone::SaveDialogClosed {
                source,
                path,
                open_for,
            } => {
                self.dialog_open = false;
                match path {
                    Some(path) => return Some(write(source, path)),
                    // Cancelled (the notice of an earlier action is stale now), or no
                    // dialog could open at all: offer the transcripts folder instead.
                    None => {
                        self.notice = (open_for < DIALOG_NEVER_APPEARED)
                            .then_some(FileNotice::NoDialog { source });
                    }
                }
            }
            JobDone::Saved { path, format } => {
                self.notice = Some(FileNotice::Saved { path, format });
            }
            JobDone::SaveFailed { error } => {
                self.notice = Some(FileNotice::SaveFailed { error });
            }
            JobDone::HistoryListed {
                items,
                unreadable,
                damaged_lines,
            } => {
                let problem = HistoryProblem {
                    unreadable,
                    damaged_lines,
                };
                self.history = HistoryList {
                    items: Some(items),
                    problem: (problem != HistoryProblem::default()).then_some(problem),
                };
            }
            JobDone::HistoryFileRead { path, item, .. } => match item {
                Some(item) => self.showing = Some(item),
                None => self.notice = Some(FileNotice::NotReadable { path }),
            },
            // Notifications are the app's own business (see `app/events.rs`).
            JobDone::FolderOpened
            | JobDone::Notified { .. }
            | JobDone::ClassListPicked { .. }
            | JobDone::WhyChecked { .. }
            | JobDone::KnownSaved { .. } => {}
            JobDone::FolderFailed { error } => {
                self.notice = Some(FileNotice::FolderFailed { error });
            }
        }
        None
    }

    /// The job for `action` could not be started (`detail`: the operating system's words).
    pub fn not_started(&mut self, action: &KeepAction, detail: String) {
        if matches!(action, KeepAction::OpenDialog { .. }) {
            self.dialog_open = false;
        }
        self.notice = Some(FileNotice::TaskNotStarted { detail });
    }

    /// A save was asked for a conversation that is no longer open.
    pub fn conversation_gone(&mut self) {
        self.notice = Some(FileNotice::ConversationGone);
    }

    /// Shows or hides the History panel; opening it reads the folder again.
    pub fn toggle_history(&mut self) -> Option<KeepAction> {
        self.history_open = !self.history_open;
        if self.history_open {
            self.refresh_history()
        } else {
            None
        }
    }

    /// Reads the transcripts folder again (or lists nothing if there is none).
    pub fn refresh_history(&mut self) -> Option<KeepAction> {
        match &self.transcripts {
            Some(dir) => Some(KeepAction::ListHistory { dir: dir.clone() }),
            None => {
                self.history = HistoryList {
                    items: Some(Vec::new()),
                    problem: None,
                };
                None
            }
        }
    }

    /// Shows the transcripts folder, if there is one.
    pub fn open_folder(&self) -> Option<KeepAction> {
        self.transcripts
            .clone()
            .map(|dir| KeepAction::OpenFolder { dir })
    }

    /// Shows the past conversation read from `path`, if it is in the list.
    pub fn show_file(&mut self, path: &Path) {
        if let Some(item) = self.item(path).cloned() {
            self.showing = Some(item);
        }
    }

    /// Shows this run's conversation again.
    pub fn back_to_live(&mut self) {
        self.showing = None;
    }
}

fn write(source: SaveSource, path: PathBuf) -> KeepAction {
    let format = ExportFormat::from_file_name(&path.to_string_lossy());
    KeepAction::Write {
        source,
        path,
        format,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::DateTime;

    use super::*;
    use crate::core::codec::WireEncoding;
    use crate::core::history;
    use crate::core::ids::SessionId;
    use crate::desktop::files::{OpenFolderError, SaveError, SaveErrorKind};

    fn header() -> ExportHeader {
        ExportHeader {
            session: "s1".into(),
            local: None,
            peer: "192.168.1.7:51234".into(),
            our_role: None,
            started: DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time"),
            ended: None,
            encoding: WireEncoding::Gbk,
            turns: None,
            line_ending: None,
        }
    }

    fn keeping() -> Keeping {
        Keeping::new(Some(PathBuf::from("/t")), PathBuf::from("/cwd"))
    }

    const SOURCE: SaveSource = SaveSource::Session(SessionId(1));

    fn closed(path: Option<&str>, open_for_ms: u64) -> JobDone {
        JobDone::SaveDialogClosed {
            source: SOURCE,
            path: path.map(PathBuf::from),
            open_for: Duration::from_millis(open_for_ms),
        }
    }

    fn item(path: &str) -> HistoryItem {
        let line = r#"{"at":"2026-11-25T14:02:11+08:00","session":"s","peer":"p","from":"me","text":"hi","hex":"6869"}"#;
        HistoryItem {
            path: PathBuf::from(path),
            conversation: Arc::new(history::parse(line).expect("readable")),
        }
    }

    #[test]
    fn the_dialog_suggests_a_dated_name_in_the_transcripts_folder() {
        let mut k = keeping();
        assert_eq!(
            k.save_as(SOURCE, &header()),
            Some(KeepAction::OpenDialog {
                source: SOURCE,
                folder: PathBuf::from("/t"),
                file_name: "TurnChat 2026-11-25 14-02-11 192.168.1.7-51234.txt".into(),
            })
        );
        let mut none = Keeping::new(None, PathBuf::from("/cwd"));
        assert!(matches!(
            none.save_as(SOURCE, &header()),
            Some(KeepAction::OpenDialog { folder, .. }) if folder == Path::new("/cwd")
        ));
    }

    #[test]
    fn a_second_dialog_is_refused_quietly_until_the_first_closes() {
        let mut k = keeping();
        assert!(k.save_as(SOURCE, &header()).is_some());
        assert!(k.dialog_open());
        assert_eq!(k.save_as(SOURCE, &header()), None);
        assert_eq!(k.notice(), None, "quietly");
        // The first one answers: the file is written in the format its name asks for.
        assert_eq!(
            k.apply(closed(Some("/x/a.jsonl"), 5000)),
            Some(KeepAction::Write {
                source: SOURCE,
                path: PathBuf::from("/x/a.jsonl"),
                format: ExportFormat::JsonLines,
            })
        );
        assert!(!k.dialog_open());
        assert!(k.save_as(SOURCE, &header()).is_some(), "a new one may open");
        // A dialog that could not even start frees the way too.
        let open = k.save_as(SOURCE, &header());
        assert_eq!(open, None);
        k.not_started(
            &KeepAction::OpenDialog {
                source: SOURCE,
                folder: "/t".into(),
                file_name: "n".into(),
            },
            "no threads".into(),
        );
        assert!(!k.dialog_open());
        assert_eq!(
            k.notice(),
            Some(&FileNotice::TaskNotStarted {
                detail: "no threads".into()
            })
        );
    }

    #[test]
    fn a_dialog_that_never_appeared_offers_the_transcripts_folder() {
        let mut k = keeping();
        k.save_as(SOURCE, &header());
        assert_eq!(k.apply(closed(None, 10)), None);
        let notice = k.notice().expect("notice").clone();
        assert_eq!(notice.offer_quick_save(), Some(&SOURCE));
        assert!(!notice.is_error());
        assert_eq!(
            k.quick_save(SOURCE, &header()),
            KeepAction::Write {
                source: SOURCE,
                path: PathBuf::from("/t/TurnChat 2026-11-25 14-02-11 192.168.1.7-51234.txt"),
                format: ExportFormat::PlainText,
            }
        );
        // A person who cancels after a while sees no notice at all.
        k.save_as(SOURCE, &header());
        k.apply(closed(None, 3000));
        assert_eq!(k.notice(), None);
    }

    #[test]
    fn job_reports_become_typed_notices() {
        let mut k = keeping();
        k.apply(JobDone::Saved {
            path: "/t/a.txt".into(),
            format: ExportFormat::PlainText,
        });
        assert!(matches!(k.notice(), Some(n @ FileNotice::Saved { .. }) if !n.is_error()));
        let error = SaveError {
            path: "/ro/a.txt".into(),
            kind: SaveErrorKind::ReadOnly,
        };
        k.apply(JobDone::SaveFailed {
            error: error.clone(),
        });
        assert_eq!(k.notice(), Some(&FileNotice::SaveFailed { error }));
        assert!(k.notice().is_some_and(FileNotice::is_error));
        let error = OpenFolderError::NotShown { dir: "/t".into() };
        assert_eq!(k.apply(JobDone::FolderOpened), None);
        k.apply(JobDone::FolderFailed {
            error: error.clone(),
        });
        assert_eq!(k.notice(), Some(&FileNotice::FolderFailed { error }));
        k.conversation_gone();
        assert_eq!(k.notice(), Some(&FileNotice::ConversationGone));
    }

    #[test]
    fn history_lists_this_runs_conversations_once() {
        let mut k = keeping();
        assert_eq!(
            k.toggle_history(),
            Some(KeepAction::ListHistory { dir: "/t".into() })
        );
        k.apply(JobDone::HistoryListed {
            items: vec![item("/t/live.jsonl"), item("/t/old.jsonl")],
            unreadable: 1,
            damaged_lines: 0,
        });
        let live = Path::new("/t/live.jsonl");
        let (items, problem) = k.past_conversations(&[live]);
        let paths: Vec<&Path> = items
            .expect("read")
            .iter()
            .map(|i| i.path.as_path())
            .collect();
        assert_eq!(paths, [Path::new("/t/old.jsonl")]);
        assert_eq!(
            problem,
            Some(HistoryProblem {
                unreadable: 1,
                damaged_lines: 0
            })
        );
        assert_eq!(k.past_conversations(&[]).0.map(|v| v.len()), Some(2));
        // Showing one, and going back.
        k.show_file(Path::new("/t/old.jsonl"));
        assert_eq!(
            k.showing().map(|i| i.path.as_path()),
            Some(Path::new("/t/old.jsonl"))
        );
        assert!(k.item(Path::new("/t/old.jsonl")).is_some());
        k.back_to_live();
        assert!(k.showing().is_none());
        assert_eq!(k.toggle_history(), None, "closing reads nothing");
        assert!(!k.history_open());
    }

    #[test]
    fn without_a_transcripts_folder_history_is_empty_and_no_folder_opens() {
        let mut k = Keeping::new(None, PathBuf::from("/cwd"));
        assert_eq!(k.toggle_history(), None);
        assert_eq!(k.past_conversations(&[]).0.map(|v| v.len()), Some(0));
        assert_eq!(k.open_folder(), None);
        assert_eq!(
            keeping().open_folder(),
            Some(KeepAction::OpenFolder { dir: "/t".into() })
        );
    }
}
