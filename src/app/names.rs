//! Names for the students' computers: loading the class list, the teacher's typed names
//! and what the header, the notifications and the log call the peer.

use std::net::SocketAddr;
use std::path::Path;

use super::TurnChatApp;
use crate::core::lang::Say;
use crate::desktop::dialog_start::open_name;
use crate::desktop::jobs::JobDone;
use crate::desktop::names_file::{read_roster, save_typed_names};
use crate::state::names::{ClassListReport, Names, PeerName};
use crate::words::Label;
use crate::words::roster::RosterSummary;

impl TurnChatApp {
    /// Loads the class list the settings name (the remembered one, or `--roster`'s).
    pub(super) fn load_remembered_class_list(&mut self) {
        let path = self.settings.current().class_list.clone();
        if !path.trim().is_empty() {
            self.load_class_list(Path::new(path.trim()));
        }
    }

    /// Reads a class list and uses it; the report shows under the form and in the log.
    pub fn load_class_list(&mut self, path: &Path) {
        let report = self.names.load_class_list(read_roster(path));
        match &report {
            ClassListReport::Loaded {
                students,
                bad_rows,
                more_bad_rows,
            } => {
                let summary = RosterSummary {
                    students: *students,
                    skipped: bad_rows.len() + more_bad_rows,
                };
                self.log(&summary.en());
                for row in bad_rows {
                    self.log(&row.en());
                }
            }
            ClassListReport::Failed(error) => self.log(&error.en()),
        }
        self.class_report = Some(report);
    }

    /// Opens the system's dialog to choose a class list, on a job thread (it blocks).
    pub(super) fn pick_class_list(&mut self, frame: Option<&eframe::Frame>) {
        let lang = self.lang();
        let mut dialog = rfd::FileDialog::new()
            .set_title(Label::ClassListDialogTitle.get(lang))
            .add_filter(Label::CsvFilter.get(lang), &["csv", "txt"]);
        let remembered = Path::new(self.settings.current().class_list.trim()).parent();
        let start = match remembered {
            Some(dir) if dir.is_dir() => Some(dir.to_path_buf()),
            _ => std::env::home_dir(),
        };
        if let Some(dir) = &start {
            dialog = dialog.set_directory(dir);
        }
        if let Some(frame) = frame {
            dialog = dialog.set_parent(frame);
        }
        let spawned = self.jobs.spawn("class-list-dialog", false, move || {
            // Asked on the job thread: the bus may take a moment.
            let portal = super::dialogs::portal_shows_dialogs();
            if let Some(name) = start.and_then(|dir| open_name(&dir, portal)) {
                dialog = dialog.set_file_name(name);
            }
            JobDone::ClassListPicked {
                path: dialog.pick_file(),
            }
        });
        if let Err(e) = spawned {
            self.log(&format!("the class list dialog could not start: {e}"));
        }
    }

    /// Gives the list the names of its rows, again only when a name or a row changed.
    pub(super) fn name_rows(&mut self) {
        let newest = self.state.sessions.keys().next_back().map_or(0, |id| id.0);
        let key = self
            .names
            .generation()
            .wrapping_mul(1_000_003)
            .wrapping_add(newest)
            .wrapping_add(1);
        if self.list.names_generation == key {
            return;
        }
        self.list.names = self
            .state
            .sessions
            .values()
            .filter_map(|s| Some((s.id, self.names.row_label(s.peer)?)))
            .collect();
        self.list.names_generation = key;
    }

    /// The names in use (for tests and the views).
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// How the class list loaded, if one was asked for.
    pub fn class_report(&self) -> Option<&ClassListReport> {
        self.class_report.as_ref()
    }

    /// The name shown for this peer, if any.
    pub(super) fn shown_name(&self, peer: SocketAddr) -> Option<PeerName> {
        self.names.resolve(peer)
    }

    /// What the peer is called in a sentence: its name, else its address.
    pub(super) fn peer_called(&self, peer: SocketAddr) -> String {
        self.shown_name(peer)
            .map_or_else(|| peer.to_string(), |n| n.name)
    }

    /// The teacher typed a name for this peer's computer: used at once and kept.
    pub fn type_name(&mut self, peer: SocketAddr, name: &str) {
        if self.names.set_typed(peer, name)
            && let Some(path) = &self.names_path
            && let Err(e) = save_typed_names(path, self.names.typed())
        {
            self.log(&format!("the names file could not be saved: {e:?}"));
        }
    }
}
