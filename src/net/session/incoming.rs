//! The incoming side of a conversation: the peer's bytes become pieces of messages,
//! lines in the transcript file (gathered, see [`crate::core::coalesce`]) and events for
//! the window.
//!
//! Text over the display cap is cut: the file says so once, and the window hears how many
//! bytes were cut as it goes and when the message ends.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::Session;
use super::transcript::notice_record;
use crate::core::conversation::{DISPLAY_CAP_BYTES, Incoming};
use crate::core::framing::{FREE_KEEP_BURST, FREE_KEEP_PER_SECOND};
use crate::core::notice::Notice;
use crate::core::transcript::{Record, Speaker};
use crate::core::turn::Placement;
use crate::net::event::Event;
use crate::net::now;

/// While a peer message is over the display cap, the window hears of the cut bytes at
/// least every this many bytes (and exactly when the message ends).
const CUT_REPORT_STEP: u64 = DISPLAY_CAP_BYTES as u64;

impl Session {
    /// Handles peer bytes read at `read_at`; returns true when the peer said `bye` (what
    /// follows a `bye` in the same chunk is not shown: the conversation is over).
    pub(super) fn on_bytes(&mut self, bytes: &[u8], read_at: Instant) -> bool {
        if !bytes.is_empty() {
            self.marks.spoke.store(true, Ordering::Relaxed);
        }
        let since = read_at.saturating_duration_since(self.clock_zero);
        for piece in self.conversation.receive_at(bytes, since) {
            if self.on_piece(bytes, piece) {
                return true;
            }
        }
        false
    }

    /// Handles one piece of a chunk (a line, or the whole chunk).
    fn on_piece(&mut self, bytes: &[u8], incoming: Incoming) -> bool {
        let at = now();
        let bytes = &bytes[incoming.kept_range()];
        let new_message = incoming.placement == Placement::NewMessage;
        if new_message {
            self.close_cut(at);
        }
        let first_cut = incoming.cut > 0 && self.cut == 0;
        self.cut = self.cut.saturating_add(incoming.cut as u64);
        if incoming.kept > 0 || new_message || !incoming.text.is_empty() {
            self.gather_peer(at, new_message, &incoming.text, bytes);
            let held = self.flight.take((incoming.text.len() + bytes.len()) as u64);
            self.outbox.emit(Event::Received {
                session: self.id,
                at,
                text: incoming.text,
                bytes: bytes.to_vec(),
                new_message,
                cut: 0,
                turn: self.conversation.turn(),
                held,
            });
        }
        if first_cut {
            // A message over the display cap: this peer floods. Its conversation gives way
            // to the others, if there are any, from now on.
            if self.links.len() > 1 {
                crate::net::give_way();
            }
            // Into the file only, after the kept text, so that the file reads in order. In
            // the window a notice now would close the peer's message, which is still open:
            // the count under its bubble says it instead, and a notice follows at its end.
            let notice = if incoming.over_rate {
                Notice::OverRate {
                    kib_per_second: usize::try_from(FREE_KEEP_PER_SECOND / 1024)
                        .unwrap_or(usize::MAX),
                    burst_mib: usize::try_from(FREE_KEEP_BURST / (1024 * 1024))
                        .unwrap_or(usize::MAX),
                }
            } else {
                Notice::OverCap {
                    mib: DISPLAY_CAP_BYTES / (1024 * 1024),
                }
            };
            self.record_file_only(&notice_record(
                at,
                &self.key,
                &self.peer,
                &notice,
                self.outbox.lang(),
            ));
        }
        // The window's count of cut bytes keeps up, one event per MiB cut at most.
        if first_cut || self.cut - self.cut_shown >= CUT_REPORT_STEP {
            self.show_cut(at);
        }
        incoming.said_bye
    }

    /// A partial character the peer left at the end of its message, shown as U+FFFD.
    pub(super) fn peer_tail(&mut self, at: chrono::DateTime<chrono::FixedOffset>, tail: &str) {
        // A line of its own, after the gathered piece, as it always was.
        let record = Record::message(at, &self.key, &self.peer, Speaker::Peer, tail, &[]);
        self.record(&record);
        self.outbox.emit(Event::Received {
            session: self.id,
            at,
            text: tail.to_owned(),
            bytes: Vec::new(),
            new_message: false,
            cut: 0,
            turn: self.conversation.turn(),
            held: Default::default(),
        });
    }

    /// Adds the cut bytes the window has not heard of yet to the open peer message.
    fn show_cut(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        let unshown = self.cut - self.cut_shown;
        if unshown == 0 {
            return;
        }
        self.cut_shown = self.cut;
        self.outbox.emit(Event::Received {
            session: self.id,
            at,
            text: String::new(),
            bytes: Vec::new(),
            new_message: false,
            cut: unshown,
            turn: self.conversation.turn(),
            held: Default::default(),
        });
    }

    /// Reports how much of the peer message that just closed was cut, if any.
    pub(super) fn close_cut(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        if self.cut == 0 {
            return;
        }
        self.show_cut(at);
        let cut = std::mem::take(&mut self.cut);
        self.cut_shown = 0;
        let notice = Notice::Cut { bytes: cut };
        let mut record = notice_record(at, &self.key, &self.peer, &notice, self.outbox.lang());
        record.cut = Some(cut);
        self.record(&record);
        self.outbox.emit(Event::Notice {
            session: self.id,
            at,
            notice,
        });
    }
}
