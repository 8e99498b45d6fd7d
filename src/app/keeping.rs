//! Keeping conversations and settings: the save dialog, the jobs that write files,
//! list History and open the folder, and writing the settings file. What to do is
//! [`crate::state::keeping`]'s to decide; this file starts the jobs it asks for.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::TurnChatApp;
use crate::core::export::ExportHeader;
use crate::core::notice::Notice;
use crate::core::transcript::Transcript;
use crate::desktop::dialog_start::save_name;
use crate::desktop::file_notice::FileNotice;
use crate::desktop::files;
use crate::desktop::jobs::{JobDone, SaveSource};
use crate::state::SessionState;
use crate::state::keeping::KeepAction;
use crate::words::Label;

impl TurnChatApp {
    /// Starts the job `action` asks for; if it cannot start, Keeping is told why.
    pub(super) fn run(&mut self, action: KeepAction, frame: Option<&eframe::Frame>) {
        let spawned = match action.clone() {
            KeepAction::OpenDialog {
                source,
                folder,
                file_name,
            } => {
                let pick = self.dialog(folder, file_name, frame);
                self.jobs.spawn("save-dialog", false, move || {
                    let opened = Instant::now();
                    let path = pick();
                    JobDone::SaveDialogClosed {
                        source,
                        path,
                        open_for: opened.elapsed(),
                    }
                })
            }
            KeepAction::Write {
                source,
                path,
                format,
            } => {
                // Rendered now, so the file holds the conversation as it is at this moment.
                let Some((header, transcript)) = self.export_source(&source) else {
                    self.keeping.conversation_gone();
                    return;
                };
                let content = crate::words::export::render(
                    format,
                    &header,
                    transcript.entries(),
                    self.lang(),
                );
                self.jobs.spawn("save-writer", true, move || {
                    if let Some(dir) = path.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    match files::write_atomic(&path, content.as_bytes()) {
                        Ok(()) => JobDone::Saved { path, format },
                        Err(error) => JobDone::SaveFailed { error },
                    }
                })
            }
            KeepAction::ListHistory { dir } => self.jobs.spawn("history", true, move || {
                crate::desktop::jobs::list_history(&dir)
            }),
            KeepAction::OpenFolder { dir } => self.jobs.spawn("open-folder", true, move || {
                match files::open_folder(&dir) {
                    Ok(()) => JobDone::FolderOpened,
                    Err(error) => JobDone::FolderFailed { error },
                }
            }),
        };
        if let Err(e) = spawned {
            self.keeping.not_started(&action, e.to_string());
        }
    }

    /// The save dialog (or the tests' stand-in), ready to run on a job thread.
    fn dialog(
        &self,
        folder: PathBuf,
        file_name: String,
        frame: Option<&eframe::Frame>,
    ) -> Box<dyn FnOnce() -> Option<PathBuf> + Send> {
        match &self.save_dialog {
            Some(stub) => {
                let stub = Arc::clone(stub);
                Box::new(move || stub(&folder, &file_name))
            }
            None => {
                let lang = self.lang();
                let mut dialog = rfd::FileDialog::new()
                    .set_title(Label::SaveDialogTitle.get(lang))
                    .set_directory(&folder)
                    .add_filter(Label::PlainTextFilter.get(lang), &["txt"])
                    .add_filter(Label::JsonLinesFilter.get(lang), &["jsonl"]);
                if let Some(frame) = frame {
                    dialog = dialog.set_parent(frame);
                }
                // Asked on the job thread: the bus may take a moment.
                Box::new(move || {
                    let portal = super::dialogs::portal_shows_dialogs();
                    dialog
                        .set_file_name(save_name(&folder, &file_name, portal))
                        .save_file()
                })
            }
        }
    }

    /// The conversation on screen as a save source.
    pub(super) fn shown_source(&self) -> Option<SaveSource> {
        match self.keeping.showing() {
            Some(item) => Some(SaveSource::File(item.path.clone())),
            None => self.state.current.map(SaveSource::Session),
        }
    }

    /// The header and transcript a save source refers to.
    fn export_source(&self, source: &SaveSource) -> Option<(ExportHeader, &Transcript)> {
        match source {
            SaveSource::Session(id) => self
                .state
                .sessions
                .get(id)
                .map(|s| (session_header(s), &s.transcript)),
            SaveSource::File(path) => self
                .keeping
                .item(path)
                .map(|i| (i.conversation.header.clone(), &i.conversation.transcript)),
        }
    }

    /// Save As: asks where (the dialog), then writes.
    pub(super) fn save_as(&mut self, source: SaveSource, frame: Option<&eframe::Frame>) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        if let Some(action) = self.keeping.save_as(source, &header) {
            self.run(action, frame);
        }
    }

    /// Quick save: into the transcripts folder, without asking.
    pub(super) fn quick_save(&mut self, source: SaveSource) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        let action = self.keeping.quick_save(source, &header);
        self.run(action, None);
    }

    /// Writes the settings file if the user changed anything since it was last written.
    pub(super) fn persist_settings(&mut self) {
        let Some(path) = &self.settings_path else {
            return;
        };
        if let Err(error) = files::persist_settings(path, &mut self.settings) {
            self.keeping
                .set_notice(FileNotice::SettingsNotSaved { error });
        }
    }
}

/// How a conversation of this run is described at the top of its saved file.
fn session_header(s: &SessionState) -> ExportHeader {
    ExportHeader {
        session: s.key.clone(),
        local: Some(s.local.to_string()),
        peer: s.peer.to_string(),
        our_role: Some(s.as_role),
        started: s.started,
        ended: s.ended_at,
        // The encoding it started with: a change later is a notice of its own.
        encoding: s
            .transcript
            .entries()
            .iter()
            .find_map(|e| match &e.notice {
                Some(Notice::EncodingChanged { from, .. }) => Some(*from),
                _ => None,
            })
            .unwrap_or(s.encoding),
        turns: Some(s.policy),
        line_ending: Some(s.line_ending),
    }
}
