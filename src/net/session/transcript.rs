//! The transcript side of a conversation: `system` lines and the live file.
//!
//! Every line goes into the file before the window hears of it, but for the pieces of an
//! open peer message: those are gathered into one line at most every 100 ms or 4 KiB
//! ([`crate::core::coalesce`]), and written at once when anything else is. A file that
//! fails is reported once and then left alone; the conversation goes on without it.

use super::Session;
use crate::core::coalesce::PendingLine;
use crate::core::lang::{Lang, Say};
use crate::core::notice::Notice;
use crate::core::transcript::{Record, Speaker};
use crate::net::event::Event;
use crate::net::now;

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
    pub(super) fn record(&mut self, record: &Record) {
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
        for line in self.lines.add(since, at, new_message, text, bytes) {
            self.write_peer_line(line);
        }
    }

    /// Writes the gathered peer line if it is due by now (its timer fired).
    pub(super) fn flush_due(&mut self) {
        if let Some(line) = self.lines.due(self.clock_zero.elapsed()) {
            self.write_peer_line(line);
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

    /// Appends to the transcript file; on failure, says so once and stops writing.
    fn write(&mut self, record: &Record) {
        self.last_recorded = Some(record.from);
        let Some(file) = self.file.as_mut() else {
            return;
        };
        if let Err(error) = file.append(record) {
            self.file = None;
            self.outbox.emit(Event::Notice {
                session: self.id,
                at: now(),
                notice: Notice::TranscriptFailed { error },
            });
        }
    }
}
