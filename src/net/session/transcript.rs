//! The transcript side of a conversation: `system` lines and the live file.
//!
//! Every line goes into the file before the window hears of it. A file that fails is
//! reported once and then left alone; the conversation goes on without it.

use super::Session;
use crate::core::lang::{Lang, Say};
use crate::core::notice::Notice;
use crate::core::transcript::Record;
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

    /// Appends to the transcript file; on failure, says so once and stops writing.
    pub(super) fn record(&mut self, record: &Record) {
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
