//! The two typed directions between the UI and the network shell.
//!
//! Commands go UI -> session through a [`SessionLink`]; events come back on one channel
//! for the whole backend. Every event names the role or session it belongs to, so the UI
//! can key its state by [`SessionId`] and ignore anything from a role it already left.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use crossbeam_channel::Sender;

use crate::core::codec::WireEncoding;
use crate::core::conversation::SendError;
use crate::core::door::Tally;
use crate::core::error::NetError;
use crate::core::framing::LineEnding;
use crate::core::ids::{RoleId, Seq, SessionId};
use crate::core::notice::{EndReason, Notice};
use crate::core::turn::Role;
use crate::core::turn::{Turn, TurnPolicy};
use crate::net::memory::InFlight;

/// What the UI asks a session to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionCommand {
    /// Send this message (refused with [`Event::SendRefused`] if not allowed now).
    Send {
        /// The window's number for it (`None` from tools and tests that do not track).
        seq: Option<Seq>,
        /// The text as typed.
        text: String,
    },
    /// Send exactly these bytes (typed as hex): no send guard, no line ending.
    SendBytes {
        /// The window's number for it (`None` from tools and tests that do not track).
        seq: Option<Seq>,
        /// The hex as typed (what goes back to the draft if it is refused).
        typed: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// Say `bye` and close, whoever's turn it is.
    Bye,
    /// Read (and write) this conversation in another encoding from now on. The session
    /// answers with [`Event::EncodingChanged`] (nothing, if it is already that encoding).
    SetEncoding {
        /// The new encoding.
        encoding: WireEncoding,
    },
}

/// A handle on one running session's commands. The window goes through
/// [`super::Backend::send`]; tools and tests may hold a link from
/// [`Event::SessionStarted`] and drive the session directly.
#[derive(Clone, Debug)]
pub struct SessionLink {
    pub(crate) commands: Sender<SessionCommand>,
}

impl SessionLink {
    /// A link to no session (its receiving end is dropped, so every send fails), for
    /// benchmarks and tools outside the crate that build an [`Event::SessionStarted`]
    /// without a network. Not for the app.
    #[doc(hidden)]
    pub fn detached() -> SessionLink {
        let (commands, _) = crossbeam_channel::unbounded();
        SessionLink { commands }
    }

    /// Asks the session to send `text`. Returns false if the session is already gone.
    pub fn send(&self, text: String) -> bool {
        self.commands
            .send(SessionCommand::Send { seq: None, text })
            .is_ok()
    }

    /// Asks the session to send `text`, numbered `seq` for the reports that come back.
    /// If the session is already gone, the text comes back.
    pub fn send_numbered(&self, seq: Seq, text: String) -> Result<(), String> {
        self.commands
            .send(SessionCommand::Send {
                seq: Some(seq),
                text,
            })
            .map_err(|e| match e.into_inner() {
                SessionCommand::Send { text, .. } => text,
                SessionCommand::SendBytes { typed, .. } => typed,
                SessionCommand::Bye | SessionCommand::SetEncoding { .. } => String::new(),
            })
    }

    /// Asks the session to send exactly `bytes` (typed as `typed`), numbered `seq` if
    /// given. If the session is already gone, the typed text comes back.
    pub fn send_bytes(
        &self,
        seq: Option<Seq>,
        typed: String,
        bytes: Vec<u8>,
    ) -> Result<(), String> {
        self.commands
            .send(SessionCommand::SendBytes { seq, typed, bytes })
            .map_err(|e| match e.into_inner() {
                SessionCommand::Send { text, .. } => text,
                SessionCommand::SendBytes { typed, .. } => typed,
                SessionCommand::Bye | SessionCommand::SetEncoding { .. } => String::new(),
            })
    }

    /// Asks the session to use `encoding` from now on. Returns false if it is already gone.
    pub fn set_encoding(&self, encoding: WireEncoding) -> bool {
        self.commands
            .send(SessionCommand::SetEncoding { encoding })
            .is_ok()
    }

    /// Asks the session to say `bye`. Returns false if the session is already gone.
    pub fn bye(&self) -> bool {
        self.commands.send(SessionCommand::Bye).is_ok()
    }
}

/// What one conversation is, as it began: told once, in [`Event::SessionStarted`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// Its id.
    pub session: SessionId,
    /// The id written into the transcript file (unique across runs).
    pub key: String,
    /// Which side we play.
    pub as_role: Role,
    /// The peer.
    pub peer: SocketAddr,
    /// Our end of the connection.
    pub local: SocketAddr,
    /// When it started.
    pub at: DateTime<FixedOffset>,
    /// Who speaks first.
    pub first_turn: Turn,
    /// The wire encoding.
    pub encoding: WireEncoding,
    /// How strictly turns are kept.
    pub policy: TurnPolicy,
    /// What ends each message we send; where received text splits.
    pub line_ending: LineEnding,
    /// The live transcript file, if it could be created.
    pub transcript: Option<PathBuf>,
}

/// Everything the network shell tells the UI.
#[derive(Clone, Debug)]
pub enum Event {
    /// The server is listening.
    Listening {
        /// Which Start Server this is.
        role: RoleId,
        /// The bound address (with the real port when 0 was asked for).
        local: SocketAddr,
        /// Addresses another machine can use to reach us.
        lan: Vec<SocketAddr>,
    },
    /// A client is trying to connect.
    Connecting {
        /// Which Connect this is.
        role: RoleId,
        /// `host:port` as typed.
        target: String,
    },
    /// How many clients wait for a free place (the server is at its limit of live
    /// conversations); sent whenever the number changes.
    Waiting {
        /// Which Start Server this is.
        role: RoleId,
        /// Clients accepted but not yet welcomed.
        count: usize,
    },
    /// Start Server or Connect failed.
    RoleFailed {
        /// Which role.
        role: RoleId,
        /// What went wrong.
        error: NetError,
    },
    /// The role's thread has finished (server stopped, client's session over).
    RoleStopped {
        /// Which role.
        role: RoleId,
    },
    /// A conversation began.
    SessionStarted {
        /// The role that owns it.
        role: RoleId,
        /// What the conversation is: who, where, when, how it is spoken.
        info: SessionInfo,
        /// A direct handle on its commands, for tools and tests (the window sends
        /// through [`super::Backend::send`] and drops this).
        link: SessionLink,
    },
    /// Bytes arrived from the peer.
    Received {
        /// Which session.
        session: SessionId,
        /// When.
        at: DateTime<FixedOffset>,
        /// Newly decoded text.
        text: String,
        /// The bytes this text came from (those kept; see `cut`).
        bytes: Vec<u8>,
        /// Whether this starts a new peer message.
        new_message: bool,
        /// Bytes not kept because the message exceeded the display cap.
        cut: u64,
        /// Whose turn it is now.
        turn: Turn,
        /// This event's share of what may be on its way to the window, given back when
        /// the event is dropped ([`super::memory`]).
        held: InFlight,
    },
    /// A message of ours went out on the wire.
    Sent {
        /// Which session.
        session: SessionId,
        /// The number the window gave it (`None` for the welcome, bye, and untracked sends).
        seq: Option<Seq>,
        /// When.
        at: DateTime<FixedOffset>,
        /// The text.
        text: String,
        /// The exact bytes that went out.
        bytes: Vec<u8>,
        /// Whose turn it is now.
        turn: Turn,
    },
    /// A message the UI asked for was not sent.
    SendRefused {
        /// Which session.
        session: SessionId,
        /// The number the window gave it, if any.
        seq: Option<Seq>,
        /// The text, so it can be given back to the user.
        text: String,
        /// Why.
        error: SendError,
    },
    /// The conversation's encoding changed (the user asked for it): what arrives from now
    /// on is decoded as `to`, and what was received before can be decoded again from its
    /// bytes.
    EncodingChanged {
        /// Which session.
        session: SessionId,
        /// When.
        at: DateTime<FixedOffset>,
        /// The encoding before.
        from: WireEncoding,
        /// The encoding from now on.
        to: WireEncoding,
    },
    /// Something the user should know that does not end the session.
    Notice {
        /// Which session.
        session: SessionId,
        /// When.
        at: DateTime<FixedOffset>,
        /// What.
        notice: Notice,
    },
    /// What the server's door refused so far, and which computers are blocked (sent at
    /// most a few times a second while connections are refused, and at once when the
    /// blocks change).
    Door {
        /// The server role.
        role: RoleId,
        /// Every refusal of this run.
        tally: Tally,
        /// The blocked computers.
        blocked: Vec<IpAddr>,
    },
    /// The server holds fewer conversations at once than asked: the open-file limit
    /// allows no more (each conversation costs about four open files).
    PlacesLimited {
        /// The server role.
        role: RoleId,
        /// The places it holds.
        places: usize,
        /// The places asked for.
        asked: usize,
        /// The process's open-file limit.
        limit: u64,
    },
    /// The conversation is over; nothing more will come for this session.
    SessionEnded {
        /// Which session.
        session: SessionId,
        /// When.
        at: DateTime<FixedOffset>,
        /// Why.
        reason: EndReason,
    },
}
