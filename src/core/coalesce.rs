//! When the pieces of one peer message become a line of the transcript file.
//!
//! A peer that drips a byte at a time would otherwise cost one JSON line (about 140
//! bytes) per byte. The pieces of one open message are therefore gathered and written as
//! one `peer` line at most every [`LINE_EVERY`] or [`LINE_BYTES`], whichever comes first,
//! and at once when anything else is written (our reply, a notice, the end): a crash loses
//! at most the last [`LINE_EVERY`]. Concatenating the `hex` of consecutive `peer` lines
//! still gives the message's bytes.
//!
//! Pure: times are durations since a fixed point of the caller's choosing (the session's
//! clock zero), so the rule is tested without a clock.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

/// The longest a piece of an open peer message waits before it is written.
pub const LINE_EVERY: Duration = Duration::from_millis(100);

/// A gathered line is written as soon as it holds this many wire bytes.
pub const LINE_BYTES: usize = 4 * 1024;

/// The gathered pieces of one peer message, not yet written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingLine {
    /// When its first piece arrived (the line's `at`).
    pub at: DateTime<FixedOffset>,
    /// Its first piece started a new message (a line end or a pause ended the one before).
    pub new_message: bool,
    /// The decoded text of its pieces.
    pub text: String,
    /// Their wire bytes.
    pub bytes: Vec<u8>,
    /// When its first piece arrived, on the caller's clock.
    opened: Duration,
}

/// Gathers the pieces of peer messages into lines (see the module's documentation).
#[derive(Clone, Debug, Default)]
pub struct Coalescer {
    pending: Option<PendingLine>,
}

impl Coalescer {
    /// Adds a piece that arrived at `since` (the caller's clock) and `at` (the wall clock).
    /// Returns the lines to write now, oldest first: the line of the message before, when
    /// this piece starts a new one, and this piece's line, when it is due.
    pub fn add(
        &mut self,
        since: Duration,
        at: DateTime<FixedOffset>,
        new_message: bool,
        text: &str,
        bytes: &[u8],
    ) -> Vec<PendingLine> {
        let mut out = Vec::new();
        if new_message && let Some(before) = self.pending.take() {
            out.push(before);
        }
        let line = self.pending.get_or_insert_with(|| PendingLine {
            at,
            new_message,
            text: String::new(),
            bytes: Vec::new(),
            opened: since,
        });
        line.text.push_str(text);
        line.bytes.extend_from_slice(bytes);
        if let Some(due) = self.due(since) {
            out.push(due);
        }
        out
    }

    /// The gathered line, if it is due at `since`: it is [`LINE_BYTES`] long, or its first
    /// piece is [`LINE_EVERY`] old.
    pub fn due(&mut self, since: Duration) -> Option<PendingLine> {
        let line = self.pending.as_ref()?;
        let old = since.saturating_sub(line.opened) >= LINE_EVERY;
        if old || line.bytes.len() >= LINE_BYTES {
            self.pending.take()
        } else {
            None
        }
    }

    /// When the gathered line falls due by age (`None`: nothing is gathered).
    pub fn deadline(&self) -> Option<Duration> {
        self.pending.as_ref().map(|l| l.opened + LINE_EVERY)
    }

    /// The gathered line, due or not: something else is about to be written, or the
    /// message ended.
    pub fn take(&mut self) -> Option<PendingLine> {
        self.pending.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11.5+08:00").expect("valid")
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_drip_becomes_one_line_per_hundred_milliseconds() {
        let mut c = Coalescer::default();
        let mut lines = Vec::new();
        for i in 0..1000u64 {
            // The session's timer fires at the deadline, before a piece read then.
            if c.deadline() == Some(ms(i)) {
                lines.extend(c.due(ms(i)));
            }
            lines.extend(c.add(ms(i), t0(), i == 0, "a", b"a"));
        }
        lines.extend(c.take());
        assert_eq!(lines.len(), 10);
        assert!(
            lines
                .iter()
                .all(|l| l.bytes.len() == 100 && l.text.len() == 100)
        );
        assert!(lines[0].new_message && lines[1..].iter().all(|l| !l.new_message));
        let joined: Vec<u8> = lines.iter().flat_map(|l| l.bytes.clone()).collect();
        assert_eq!(joined, vec![b'a'; 1000]);
    }

    #[test]
    fn four_kib_is_written_at_once() {
        let mut c = Coalescer::default();
        assert!(c.add(ms(0), t0(), true, "", &[1; 4000]).is_empty());
        let out = c.add(ms(1), t0(), false, "", &[2; 96]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].bytes.len(), LINE_BYTES);
        assert_eq!(c.deadline(), None);
        // A burst bigger than the limit is one line too (never split here).
        let out = c.add(ms(2), t0(), false, "", &[3; 10_000]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].bytes.len(), 10_000);
    }

    #[test]
    fn a_new_message_writes_the_one_before_and_starts_its_own() {
        let mut c = Coalescer::default();
        assert!(c.add(ms(0), t0(), true, "一", b"\xd2\xbb").is_empty());
        let out = c.add(ms(5), t0(), true, "二", b"\xb6\xfe");
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].text.as_str(), out[0].new_message), ("一", true));
        let rest = c.take().expect("the second message");
        assert_eq!((rest.text.as_str(), rest.new_message), ("二", true));
        assert_eq!(c.take(), None);
    }

    #[test]
    fn the_deadline_is_a_hundred_milliseconds_after_the_first_piece() {
        let mut c = Coalescer::default();
        assert_eq!(c.deadline(), None);
        assert!(c.add(ms(40), t0(), false, "a", b"a").is_empty());
        assert!(c.add(ms(90), t0(), false, "b", b"b").is_empty());
        assert_eq!(c.deadline(), Some(ms(140)));
        assert_eq!(c.due(ms(139)), None);
        let line = c.due(ms(140)).expect("due");
        assert_eq!(line.bytes, b"ab");
        assert_eq!(c.deadline(), None);
        assert_eq!(c.due(ms(500)), None);
    }
}
