//! The rows of a class's `class.csv`: one per conversation of the server run, with the
//! student's name and seat (when known), the address, the transcript's file name, the
//! messages each way, the first and last time, and how it ended. Pure: the app writes the
//! bytes (see `crate::core::class_csv`).

use std::collections::BTreeMap;

use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::state::SessionState;
use crate::state::names::Names;
use crate::words::Label;

/// The header, in `lang`.
pub fn header(lang: Lang) -> Vec<&'static str> {
    [
        Label::CsvName,
        Label::CsvSeat,
        Label::CsvAddress,
        Label::CsvFile,
        Label::CsvFromThem,
        Label::CsvFromMe,
        Label::CsvFirst,
        Label::CsvLast,
        Label::CsvEnded,
    ]
    .iter()
    .map(|l| l.get(lang))
    .collect()
}

/// One conversation's row.
pub fn row(s: &SessionState, names: &Names, lang: Lang) -> Vec<String> {
    let name = names.resolve(s.peer);
    let time = |t: chrono::DateTime<chrono::FixedOffset>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    vec![
        name.as_ref().map(|n| n.name.clone()).unwrap_or_default(),
        name.and_then(|n| n.seat).unwrap_or_default(),
        s.peer.to_string(),
        s.file
            .as_ref()
            .and_then(|f| f.file_name())
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        s.counters.received_messages.to_string(),
        s.counters.sent_messages.to_string(),
        time(s.started),
        time(s.ended_at.unwrap_or(s.last_activity)),
        match &s.ended {
            Some(reason) => reason.say(lang),
            None => Label::CsvInProgress.get(lang).to_owned(),
        },
    ]
}

/// The class's rows, kept across conversations leaving the window's list (closed with ×
/// or let go at the limit): each update replaces the rows of the conversations still
/// listed and keeps the others as they last were.
#[derive(Clone, Debug, Default)]
pub struct ClassRows {
    rows: BTreeMap<SessionId, Vec<String>>,
}

impl ClassRows {
    /// Brings the rows up to date with the conversations listed.
    pub fn update<'a>(
        &mut self,
        sessions: impl Iterator<Item = &'a SessionState>,
        names: &Names,
        lang: Lang,
    ) {
        for s in sessions {
            self.rows.insert(s.id, row(s, names, lang));
        }
    }

    /// The rows, in connection order.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.rows.values().cloned().collect()
    }

    /// How many conversations the class had.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no conversation has begun.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
