//! The transcript side of a conversation: `system` lines and the live file.
//!
//! Every line goes into the file before the window hears of it, but for the pieces of an
//! open peer message: those are gathered into one line at most every 100 ms or 4 KiB
//! ([`crate::core::coalesce`]), and written at once when anything else is.
//!
//! A write that fails (a full disk) leaves only whole lines in the file; the lines that
//! could not be written are counted, the window hears once, and the next line is tried
//! again: once one goes in, a `system` line says what is missing, and the window hears that
//! too. A file deleted or moved is reported once and then left alone. When a disk budget
//! is reached, one `system` line of kind `cut` says so and nothing more is written; in
//! every case the conversation goes on, and the window keeps all of it.

use super::Session;
use crate::core::coalesce::PendingLine;
use crate::core::lang::{Lang, Say};
use crate::core::notice::{Notice, TranscriptError};
use crate::core::transcript::{Record, Speaker};
use crate::net::event::Event;
use crate::net::now;
use crate::net::transcript_file::AppendError;

/// The lines a full disk kept out of the file, since the first of them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Missing {
    lines: u64,
    bytes: u64,
    from: chrono::DateTime<chrono::FixedOffset>,
    to: chrono::DateTime<chrono::FixedOffset>,
}

/// A `system` line for the transcript file: its kind, and its words in `lang` (the
/// window's language of the moment).
pub(super) fn notice_record(
    at: chrono::DateTime<chrono::FixedOffset>,
    key: &str,
    peer: &str,
    notice: &Notice,
    lang: Lang,
) -> Record {
    Record::notice(at, key, peer, Some(notice.kind()), &notice.say(lang))
}

impl Session {
    /// A notice for the user, also kept in the transcript file.
    pub(super) fn notice(&mut self, notice: Notice) {
        let at = now();
        let record = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
        self.record(&record);
        self.outbox.emit(Event::Notice {
            session: self.id,
            at,
            notice,
        });
    }

    /// Appends a line to the transcript file, after the peer line being gathered (so the
    /// file reads in order).
    ///
    /// What the file had to tell the window while the peer's message was open comes first:
    /// every line but the peer's own is followed by an event that ends that message in the
    /// window too (see [`Session::record_file_only`] for the one that is not).
    pub(super) fn record(&mut self, record: &Record) {
        for (at, notice) in std::mem::take(&mut self.held) {
            self.outbox.emit(Event::Notice {
                session: self.id,
                at,
                notice,
            });
        }
        self.record_file_only(record);
    }

    /// [`Session::record`] for a line the window does not hear of while the peer's message
    /// stays open (a cap notice): what the file has to tell the window keeps waiting.
    pub(super) fn record_file_only(&mut self, record: &Record) {
        self.flush_peer();
        self.write(record);
    }

    /// Adds a piece of the peer's message to the line being gathered; writes the lines
    /// that are due (see [`crate::core::coalesce`]).
    pub(super) fn gather_peer(
        &mut self,
        at: chrono::DateTime<chrono::FixedOffset>,
        new_message: bool,
        text: &str,
        bytes: &[u8],
    ) {
        let since = self.clock_zero.elapsed();
        self.mid_message = true;
        for line in self.lines.add(since, at, new_message, text, bytes) {
            self.write_peer_line(line);
        }
        self.mid_message = false;
    }

    /// Writes the gathered peer line if it is due by now (its timer fired).
    pub(super) fn flush_due(&mut self) {
        if let Some(line) = self.lines.due(self.clock_zero.elapsed()) {
            self.mid_message = true;
            self.write_peer_line(line);
            self.mid_message = false;
        }
    }

    /// Writes the gathered peer line, due or not.
    pub(super) fn flush_peer(&mut self) {
        if let Some(line) = self.lines.take() {
            self.write_peer_line(line);
        }
    }

    /// When the gathered peer line falls due (`None`: nothing is gathered).
    pub(super) fn peer_deadline(&self) -> Option<std::time::Instant> {
        self.lines.deadline().map(|d| self.clock_zero + d)
    }

    fn write_peer_line(&mut self, line: PendingLine) {
        let mut record = Record::message(
            line.at,
            &self.key,
            &self.peer,
            Speaker::Peer,
            &line.text,
            &line.bytes,
        );
        if line.new_message && self.last_recorded == Some(Speaker::Peer) {
            // A line or a pause ended the message before: say so, or a reader would join
            // the two.
            record.new_message = Some(true);
        }
        self.write(&record);
    }

    /// Appends to the transcript file, within the disk budgets; see the module's
    /// documentation for what happens when that fails.
    fn write(&mut self, record: &Record) {
        self.last_recorded = Some(record.from);
        if self.file.is_none() || self.budget_spent {
            return;
        }
        let at = now();
        let line = record.to_line();
        let size = line.len() as u64;
        let file_len = self.file.as_ref().map_or(0, |f| f.len());
        if let Err(scope) = self.disk.take(file_len, size) {
            self.budget_spent = true;
            let notice = Notice::TranscriptBudget {
                scope,
                limit: self.disk.budget().limit(scope),
            };
            // The one line beyond the budget: the one that says where the file stops.
            let cut = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
            if let Some(file) = self.file.as_mut() {
                let _ = file.append(&cut.to_line());
            }
            self.tell(at, notice);
            return;
        }
        if let Some(missing) = self.missing {
            // Space may be back: the file first says what is not in it.
            let notice = Notice::TranscriptResumed {
                lines: missing.lines,
                bytes: missing.bytes,
                from: missing.from,
                to: missing.to,
            };
            let said = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
            match self.append_line(&said.to_line()) {
                Ok(()) => {
                    self.missing = None;
                    self.tell(at, notice);
                }
                Err(e) => {
                    self.disk.give_back(size);
                    self.on_failed(at, size, e);
                    return;
                }
            }
        }
        if let Err(e) = self.append_line(&line) {
            self.disk.give_back(size);
            self.on_failed(at, size, e);
        }
    }

    fn append_line(&mut self, line: &str) -> Result<(), AppendError> {
        match self.file.as_mut() {
            Some(file) => file.append(line),
            None => Err(AppendError::Gone),
        }
    }

    /// A line of `size` bytes did not go in at `at`.
    fn on_failed(&mut self, at: chrono::DateTime<chrono::FixedOffset>, size: u64, e: AppendError) {
        let Some(path) = self.file.as_ref().map(|f| f.path().to_path_buf()) else {
            return;
        };
        let error = match e {
            AppendError::Gone => {
                // Deleted or moved: reported once, and the file is let go.
                self.file = None;
                TranscriptError {
                    path,
                    detail: "it was deleted or moved while the conversation went on".to_owned(),
                    missing_from: None,
                }
            }
            AppendError::Failed(e) => {
                let first = self.missing.is_none();
                let missing = self.missing.get_or_insert(Missing {
                    lines: 0,
                    bytes: 0,
                    from: at,
                    to: at,
                });
                missing.lines += 1;
                missing.bytes += size;
                missing.to = at;
                if !first {
                    return;
                }
                TranscriptError {
                    path,
                    detail: e.to_string(),
                    missing_from: Some(at),
                }
            }
        };
        self.tell(now(), Notice::TranscriptFailed { error });
    }

    /// Tells the window, or, while a piece of the peer's open message is being written,
    /// holds it until that message ends: a notice in the window now would split the
    /// message's bubble in two.
    fn tell(&mut self, at: chrono::DateTime<chrono::FixedOffset>, notice: Notice) {
        if self.mid_message {
            self.held.push((at, notice));
        } else {
            self.outbox.emit(Event::Notice {
                session: self.id,
                at,
                notice,
            });
        }
    }
}
