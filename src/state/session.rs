//! One conversation as the window knows it: who it is with and how it is spoken, whose
//! turn it is, what was said, what is on its way, and what the user is writing to it.
//!
//! [`super::State`] keeps one [`SessionState`] per conversation of this run and changes
//! it only through the backend's events and the user's actions.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::core::codec::WireEncoding;
use crate::core::conversation::SendError;
use crate::core::framing::LineEnding;
use crate::core::ids::{Seq, SessionId};
use crate::core::notice::{EndReason, Notice};
use crate::core::transcript::Transcript;
use crate::core::turn::Role;
use crate::core::turn::{SendBlocked, Turn, TurnPolicy};
use crate::net::SessionInfo;

/// What the user is writing in one conversation, and why the last send was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The text in the composer.
    pub text: String,
    /// Why the last send was refused (shown until the text changes).
    pub refusal: Option<SendError>,
}

impl Draft {
    /// Gives back a message that was not sent. If the user typed something since, the
    /// old text goes first so nothing is lost.
    pub fn restore(&mut self, text: String, error: SendError) {
        if self.text.is_empty() {
            self.text = text;
        } else if !self.text.starts_with(&text) {
            self.text = format!("{text}\n{}", self.text);
        }
        self.refusal = Some(error);
    }
}

/// One conversation as the window knows it.
#[derive(Debug)]
pub struct SessionState {
    /// Its id.
    pub id: SessionId,
    /// The id written into transcript files (unique across runs).
    pub key: String,
    /// Which side we play.
    pub as_role: Role,
    /// The peer.
    pub peer: SocketAddr,
    /// Our end of the connection.
    pub local: SocketAddr,
    /// When it started.
    pub started: DateTime<FixedOffset>,
    /// When it ended.
    pub ended_at: Option<DateTime<FixedOffset>>,
    /// When something was last said (by either side).
    pub last_activity: DateTime<FixedOffset>,
    /// The wire encoding.
    pub encoding: WireEncoding,
    /// Whose turn it is, as the session last reported.
    pub turn: Turn,
    /// How strictly turns are kept.
    pub policy: TurnPolicy,
    /// What ends each message we send; where received text splits.
    pub line_ending: LineEnding,
    /// Bytes and messages each way.
    pub counters: Counters,
    /// Messages handed to the session but not yet reported sent or refused, oldest first,
    /// by their number. Whatever is still here when the session ends goes back to the draft.
    pub unconfirmed: Vec<(Seq, String)>,
    /// Set once the session has ended.
    pub ended: Option<EndReason>,
    /// What was said.
    pub transcript: Transcript,
    /// The live transcript file.
    pub file: Option<PathBuf>,
    /// What the user is writing to this peer.
    pub draft: Draft,
    /// Peer messages that arrived while another conversation was shown.
    pub unread: usize,
    /// The open peer message passed the window's memory budget: the rest of it is
    /// counted, not kept (see [`super::memory`]).
    pub budget_cut: bool,
}

impl SessionState {
    /// A conversation that has just begun, as `info` describes it, with the user's
    /// `draft` (what they typed before it came on screen, or nothing).
    pub fn new(info: SessionInfo, draft: Draft) -> Self {
        let SessionInfo {
            session,
            key,
            as_role,
            peer,
            local,
            at,
            first_turn,
            encoding,
            policy,
            line_ending,
            transcript,
        } = info;
        let mut said = Transcript::default();
        said.notice(at, Notice::Connected { as_role, peer });
        SessionState {
            id: session,
            key,
            as_role,
            peer,
            local,
            started: at,
            ended_at: None,
            last_activity: at,
            encoding,
            turn: first_turn,
            policy,
            line_ending,
            counters: Counters::default(),
            unconfirmed: Vec::new(),
            ended: None,
            transcript: said,
            file: transcript,
            draft,
            unread: 0,
            budget_cut: false,
        }
    }

    /// Whether the session is still running.
    pub fn is_live(&self) -> bool {
        self.ended.is_none()
    }

    /// How many messages are on their way (handed over, not yet reported).
    pub fn pending_sends(&self) -> usize {
        self.unconfirmed.len()
    }

    /// Forgets the unconfirmed message numbered `seq`, if it is one.
    pub(super) fn confirm(&mut self, seq: Option<Seq>) {
        if let Some(seq) = seq {
            self.unconfirmed.retain(|(s, _)| *s != seq);
        }
    }

    /// Whether turns are off (free talk).
    pub fn is_free_talk(&self) -> bool {
        self.policy == TurnPolicy::Free
    }

    /// Whether a message may be sent now, and if not, why.
    pub fn can_send(&self) -> Result<(), SendBlocked> {
        if self.ended.is_some() {
            Err(SendBlocked::Ended)
        } else if self.is_free_talk() {
            Ok(())
        } else if !self.unconfirmed.is_empty() || self.turn == Turn::Theirs {
            Err(SendBlocked::NotYourTurn)
        } else {
            Ok(())
        }
    }

    /// Where the conversation stands, for the list and the turn line. In free talk, whose
    /// "turn" it is says only who spoke last: sending is always possible.
    pub fn phase(&self) -> Phase {
        if self.ended.is_some() {
            Phase::Ended
        } else if !self.unconfirmed.is_empty() {
            Phase::Sending
        } else if self.turn == Turn::Mine {
            Phase::YourTurn
        } else {
            Phase::Waiting
        }
    }
}

/// Bytes and messages each way in one conversation (bytes as on the wire, including
/// those over the display cap).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Bytes we sent.
    pub sent_bytes: u64,
    /// Messages we sent.
    pub sent_messages: u64,
    /// Bytes the peer sent.
    pub received_bytes: u64,
    /// Messages the peer sent.
    pub received_messages: u64,
}

/// Where one conversation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// We may send.
    YourTurn,
    /// A message of ours is on its way.
    Sending,
    /// Waiting for the peer.
    Waiting,
    /// Over.
    Ended,
}
