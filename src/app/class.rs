//! Each server run is a class, with a class list or without one: its transcripts go into a
//! folder of its own (`2026-12-07_09-30-00_port-8888` in the transcripts folder), and `class.csv` beside
//! them is rewritten, atomically, whenever a row changes while the server runs.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::TurnChatApp;
use crate::core::class_csv::{CLASS_FILE, folder_name, render};
use crate::core::turn::Role;
use crate::desktop::files::write_atomic;
use crate::state::class_summary::{ClassRows, header};

/// One class: its folder, when it began, its rows and what was last written.
#[derive(Debug)]
pub(super) struct ClassRun {
    dir: PathBuf,
    started: DateTime<FixedOffset>,
    rows: ClassRows,
    written: Vec<u8>,
    /// Why the summary could not be written, said once in the log.
    failed: bool,
}

impl TurnChatApp {
    /// A server is starting: its transcripts go into a class folder of their own (without
    /// a transcripts folder, there is nothing to keep them in).
    pub(super) fn begin_class(&mut self, port: u16) {
        let started = chrono::Local::now().fixed_offset();
        match &self.base_transcripts {
            Some(base) => {
                let dir = base.join(folder_name(started, port));
                self.backend.set_transcripts(Some(dir.clone()));
                self.class = Some(ClassRun {
                    dir,
                    started,
                    rows: ClassRows::default(),
                    written: Vec::new(),
                    failed: false,
                });
            }
            None => {
                self.backend.set_transcripts(None);
                self.class = None;
            }
        }
    }

    /// The window is closing and every conversation has stopped: their endings go into
    /// `class.csv` one last time.
    pub(super) fn settle_class(&mut self) {
        if self.class.is_none() {
            return;
        }
        while let Ok(event) = self.events.try_recv() {
            // Only the state matters now: nothing is shown or logged any more.
            let _ = self.state.apply(event);
        }
        self.keep_class_file();
    }

    /// This server run's class folder, if it has one.
    pub fn class_folder(&self) -> Option<&Path> {
        self.class.as_ref().map(|c| c.dir.as_path())
    }

    /// Brings `class.csv` up to date with the conversations (written only when it changed).
    pub(super) fn keep_class_file(&mut self) {
        let lang = self.lang();
        let Some(class) = &mut self.class else {
            return;
        };
        let started = class.started;
        class.rows.update(
            self.state
                .sessions
                .values()
                .filter(|s| s.as_role == Role::Server && s.started >= started),
            &self.names,
            lang,
        );
        if class.rows.is_empty() {
            return;
        }
        let bytes = render(&header(lang), &class.rows.rows());
        if bytes == class.written {
            return;
        }
        let path = class.dir.join(CLASS_FILE);
        let written = crate::net::private::create_dir_all(&class.dir)
            .map_err(|e| e.to_string())
            .and_then(|()| write_atomic(&path, &bytes).map_err(|e| format!("{:?}", e.kind)));
        match written {
            Ok(()) => class.written = bytes,
            Err(detail) => {
                if !class.failed {
                    class.failed = true;
                    let line = format!("{} could not be written ({detail})", path.display());
                    self.log(&line);
                }
            }
        }
    }
}
