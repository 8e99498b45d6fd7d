//! What TurnChat itself says inside a conversation (the `system` lines of a transcript),
//! as typed values: connected, said bye, reset, bytes cut. The window words them in its
//! language at display time (`crate::words`), so switching language re-words what is
//! already on screen; transcript files keep each one's machine-readable [`Notice::kind`]
//! beside the words of the moment.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use super::codec::WireEncoding;
use super::conversation::SendError;
use super::disk_budget::BudgetScope;
use super::turn::Role;

/// Why a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// We sent `bye`.
    WeSaidBye,
    /// The peer sent `bye`.
    PeerSaidBye,
    /// The peer closed the connection.
    PeerClosed,
    /// The connection was reset.
    Reset,
    /// The peer stopped reading and a send could not complete.
    SendTimedOut {
        /// How long we tried, in seconds.
        seconds: u64,
    },
    /// We stopped the server, cancelled, or closed the window.
    Stopped,
    /// The server was full and someone from another computer waited: this conversation
    /// had never said anything for at least `seconds`, so it gave its place up.
    MadeRoom {
        /// How long it had been silent at least, in seconds.
        seconds: u64,
    },
    /// Any other I/O failure, in the operating system's words.
    Failed {
        /// What went wrong.
        detail: String,
    },
}

/// A transcript file could not be created or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptError {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// The operating system's words.
    pub detail: String,
    /// For a write that failed while the file is kept (a full disk): when the first line
    /// that is missing from it was to be written. TurnChat tries again at each new line.
    /// `None` when the file could not be created, or was deleted or moved.
    pub missing_from: Option<DateTime<FixedOffset>>,
}

/// Something TurnChat tells the user inside a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The conversation began.
    Connected {
        /// Which side we play.
        as_role: Role,
        /// The other side.
        peer: SocketAddr,
    },
    /// The live transcript file could not be created or written; the conversation goes on.
    TranscriptFailed {
        /// Why.
        error: TranscriptError,
    },
    /// The server's welcome could not be sent.
    WelcomeNotSent {
        /// Why.
        error: SendError,
    },
    /// A peer message passed the display cap (written to the file only, at that moment).
    OverCap {
        /// The cap, in MiB.
        mib: usize,
    },
    /// In free talk, the peer sends faster than is kept (written to the file only).
    OverRate {
        /// What is kept each second after the first burst, in KiB.
        kib_per_second: usize,
        /// The first burst kept in full, in MiB.
        burst_mib: usize,
    },
    /// The conversation reads and writes another encoding from now on.
    EncodingChanged {
        /// The encoding before.
        from: WireEncoding,
        /// The encoding now.
        to: WireEncoding,
    },
    /// Bytes of the peer's last message were not kept.
    Cut {
        /// How many.
        bytes: u64,
    },
    /// A peer message was let go from memory to keep the window within its memory budget
    /// (`crate::state::memory`); its transcript file still holds it. Shown where the
    /// message was; never written to a file.
    DroppedFromMemory {
        /// The message's wire bytes that were let go.
        bytes: u64,
    },
    /// The transcript file is written again after writes failed (the disk was full):
    /// this much is missing from it (the window still holds it).
    TranscriptResumed {
        /// Lines that could not be written.
        lines: u64,
        /// Their bytes.
        bytes: u64,
        /// When the first of them was to be written.
        from: DateTime<FixedOffset>,
        /// When the last of them was.
        to: DateTime<FixedOffset>,
    },
    /// A disk budget for transcripts was reached: nothing more of this conversation is
    /// written to its file (a `system` line of kind `cut` says so in the file).
    TranscriptBudget {
        /// Which budget.
        scope: BudgetScope,
        /// Its limit, in bytes.
        limit: u64,
    },
    /// The conversation is over.
    Ended {
        /// Why.
        reason: EndReason,
    },
}

impl Notice {
    /// The notice's `kind` in transcript files: fixed spellings for scripts, whatever the
    /// language of the line's `text`.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Connected { .. } => "connected",
            Notice::TranscriptFailed { .. } => "transcript-failed",
            Notice::WelcomeNotSent { .. } => "welcome-not-sent",
            Notice::OverCap { .. } => "over-cap",
            Notice::OverRate { .. } => "over-rate",
            Notice::EncodingChanged { .. } => "encoding",
            Notice::Cut { .. } => "cut",
            Notice::DroppedFromMemory { .. } => "memory-dropped",
            Notice::TranscriptResumed { .. } => "transcript-resumed",
            Notice::TranscriptBudget { .. } => "cut",
            Notice::Ended { reason } => match reason {
                EndReason::WeSaidBye => "my-bye",
                EndReason::PeerSaidBye => "peer-bye",
                EndReason::PeerClosed => "peer-closed",
                EndReason::Reset => "reset",
                EndReason::SendTimedOut { .. } => "send-timeout",
                EndReason::Stopped => "stopped",
                EndReason::MadeRoom { .. } => "made-room",
                EndReason::Failed { .. } => "failed",
            },
        }
    }
}

impl Notice {
    /// The notice a transcript file's `system` line stands for, from its `kind` and the
    /// line's other fields, when they say all its words need (`None` otherwise: the line
    /// is shown with the words it was written in). So History, too, shows TurnChat's own
    /// words in the window's language.
    pub fn from_line(
        kind: &str,
        peer: &str,
        role: Option<Role>,
        cut: Option<u64>,
    ) -> Option<Notice> {
        let ended = |reason| Some(Notice::Ended { reason });
        match kind {
            "connected" => Some(Notice::Connected {
                as_role: role?,
                peer: peer.parse().ok()?,
            }),
            "cut" => Some(Notice::Cut { bytes: cut? }),
            "my-bye" => ended(EndReason::WeSaidBye),
            "peer-bye" => ended(EndReason::PeerSaidBye),
            "peer-closed" => ended(EndReason::PeerClosed),
            "reset" => ended(EndReason::Reset),
            "stopped" => ended(EndReason::Stopped),
            // The rest carry words of the moment (a path, the system's words, a limit).
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_everything_their_words_need_come_back_typed() {
        let peer = "192.168.1.7:51234";
        assert_eq!(
            Notice::from_line("connected", peer, Some(Role::Server), None),
            Some(Notice::Connected {
                as_role: Role::Server,
                peer: peer.parse().expect("addr"),
            })
        );
        assert_eq!(Notice::from_line("connected", peer, None, None), None);
        assert_eq!(
            Notice::from_line("cut", peer, None, Some(7)),
            Some(Notice::Cut { bytes: 7 })
        );
        assert_eq!(Notice::from_line("cut", peer, None, None), None);
        for reason in [
            EndReason::WeSaidBye,
            EndReason::PeerSaidBye,
            EndReason::PeerClosed,
            EndReason::Reset,
            EndReason::Stopped,
        ] {
            let notice = Notice::Ended { reason };
            assert_eq!(
                Notice::from_line(notice.kind(), peer, None, None),
                Some(notice)
            );
        }
        for kept in [
            "failed",
            "send-timeout",
            "transcript-failed",
            "something-new",
        ] {
            assert_eq!(Notice::from_line(kept, peer, None, None), None);
        }
    }
}
