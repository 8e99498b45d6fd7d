//! The app's state as a reducer over backend events.
//!
//! [`State::apply`] is the only place events change what the window shows; it is pure
//! (no egui, no I/O) and unit-tested. Sessions are keyed by [`SessionId`] so that a server
//! with several conversations, past or concurrent, needs no new shape.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::core::codec::WireEncoding;
use crate::core::conversation::SendError;
use crate::core::transcript::Transcript;
use crate::core::turn::{SendBlocked, Turn};
use crate::net::{EndReason, Event, Role, RoleId, SessionId, SessionLink};

/// What the running role (if any) is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleStatus {
    /// Nothing running: the form is editable.
    Idle,
    /// Start Server was clicked; the listener is binding.
    Starting {
        /// The role.
        role: RoleId,
    },
    /// The server is listening (and may be in a conversation).
    Listening {
        /// The role.
        role: RoleId,
        /// The bound address.
        local: SocketAddr,
        /// Addresses to tell the other person.
        lan: Vec<SocketAddr>,
    },
    /// Connect was clicked; waiting for the connection.
    Connecting {
        /// The role.
        role: RoleId,
        /// `host:port`.
        target: String,
    },
    /// The client is connected (its conversation is running).
    Connected {
        /// The role.
        role: RoleId,
    },
}

impl RoleStatus {
    /// The role id, when something is running.
    pub fn role(&self) -> Option<RoleId> {
        match self {
            RoleStatus::Idle => None,
            RoleStatus::Starting { role }
            | RoleStatus::Listening { role, .. }
            | RoleStatus::Connecting { role, .. }
            | RoleStatus::Connected { role } => Some(*role),
        }
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
    /// The wire encoding.
    pub encoding: WireEncoding,
    /// Whose turn it is, as the session last reported.
    pub turn: Turn,
    /// Messages handed to the session but not yet reported sent or refused, oldest first.
    /// Whatever is still here when the session ends goes back to the composer.
    pub unconfirmed: Vec<String>,
    /// Set once the session has ended.
    pub ended: Option<EndReason>,
    /// What was said.
    pub transcript: Transcript,
    /// The live transcript file.
    pub file: Option<PathBuf>,
    /// How to talk to the session (runtime only).
    pub link: SessionLink,
}

impl SessionState {
    /// Whether the session is still running.
    pub fn is_live(&self) -> bool {
        self.ended.is_none()
    }

    /// How many messages are on their way (handed over, not yet reported).
    pub fn pending_sends(&self) -> usize {
        self.unconfirmed.len()
    }

    /// Forgets one unconfirmed message: the one with this text, else the oldest.
    fn confirm(&mut self, text: &str) {
        match self.unconfirmed.iter().position(|t| t == text) {
            Some(i) => {
                self.unconfirmed.remove(i);
            }
            None if !self.unconfirmed.is_empty() => {
                self.unconfirmed.remove(0);
            }
            None => {}
        }
    }

    /// Whether a message may be sent now, and if not, why.
    pub fn can_send(&self) -> Result<(), SendBlocked> {
        if self.ended.is_some() {
            Err(SendBlocked::Ended)
        } else if !self.unconfirmed.is_empty() || self.turn == Turn::Theirs {
            Err(SendBlocked::NotYourTurn)
        } else {
            Ok(())
        }
    }
}

/// Something the app must do in response to an event, beyond updating state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reaction {
    /// Our turn began (or a send completed): put the keyboard focus in the composer.
    FocusComposer,
    /// A send was refused: give the text back to the composer, and say why.
    RestoreDraft {
        /// The text.
        text: String,
        /// Why it was not sent.
        error: SendError,
    },
    /// Tell scripts and logs (stdout) something happened.
    Log(String),
}

/// Everything the window shows that comes from the network.
#[derive(Debug)]
pub struct State {
    /// The running role.
    pub status: RoleStatus,
    /// Every conversation of this run, by id.
    pub sessions: BTreeMap<SessionId, SessionState>,
    /// The conversation on screen.
    pub current: Option<SessionId>,
    /// The last error, as a sentence, until the next attempt.
    pub error: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            status: RoleStatus::Idle,
            sessions: BTreeMap::new(),
            current: None,
            error: None,
        }
    }
}

impl State {
    /// The conversation on screen.
    pub fn current(&self) -> Option<&SessionState> {
        self.current.and_then(|id| self.sessions.get(&id))
    }

    /// The conversation on screen, mutably.
    pub fn current_mut(&mut self) -> Option<&mut SessionState> {
        self.current.and_then(|id| self.sessions.get_mut(&id))
    }

    /// A role was started from the UI.
    pub fn role_started(&mut self, status: RoleStatus) {
        self.status = status;
        self.error = None;
    }

    /// The user stopped the role (Stop Server, Cancel).
    pub fn role_stopped_by_user(&mut self) {
        self.status = RoleStatus::Idle;
    }

    /// A message was handed to the session.
    pub fn send_requested(&mut self, session: SessionId, text: &str) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.unconfirmed.push(text.to_owned());
        }
    }

    /// Applies one backend event.
    pub fn apply(&mut self, event: Event) -> Vec<Reaction> {
        let mut out = Vec::new();
        match event {
            Event::Listening { role, local, lan } if self.is_current(role) => {
                out.push(Reaction::Log(format!("listening on {local}")));
                self.status = RoleStatus::Listening { role, local, lan };
            }
            Event::Connecting { role, target } if self.is_current(role) => {
                self.status = RoleStatus::Connecting { role, target };
            }
            Event::RoleFailed { role, error } if self.is_current(role) => {
                out.push(Reaction::Log(format!("error: {error}")));
                self.error = Some(error.to_string());
                self.status = RoleStatus::Idle;
            }
            Event::RoleStopped { role } if self.is_current(role) => {
                self.status = RoleStatus::Idle;
            }
            Event::SessionStarted {
                role,
                session,
                key,
                as_role,
                peer,
                local,
                at,
                first_turn,
                encoding,
                transcript,
                link,
            } => {
                if !self.is_current(role) {
                    // A role the user already left: let the session go.
                    drop(link);
                    return out;
                }
                if as_role == Role::Client {
                    self.status = RoleStatus::Connected { role };
                }
                let mut t = Transcript::default();
                let notice = match as_role {
                    Role::Server => format!("{peer} connected"),
                    Role::Client => format!("Connected to {peer}"),
                };
                t.notice(at, notice);
                self.sessions.insert(
                    session,
                    SessionState {
                        id: session,
                        key,
                        as_role,
                        peer,
                        local,
                        started: at,
                        ended_at: None,
                        encoding,
                        turn: first_turn,
                        unconfirmed: Vec::new(),
                        ended: None,
                        transcript: t,
                        file: transcript,
                        link,
                    },
                );
                self.current = Some(session);
                out.push(Reaction::Log(format!("session {session} with {peer}")));
                if first_turn == Turn::Mine {
                    out.push(Reaction::FocusComposer);
                }
            }
            Event::Received {
                session,
                at,
                text,
                bytes,
                new_message,
                cut,
                turn,
            } => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    let was = s.turn;
                    s.transcript.peer_chunk(at, new_message, &text, &bytes, cut);
                    s.turn = turn;
                    if was != Turn::Mine && turn == Turn::Mine && s.unconfirmed.is_empty() {
                        out.push(Reaction::FocusComposer);
                    }
                }
            }
            Event::Sent {
                session,
                at,
                text,
                bytes,
                turn,
                ..
            } => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.confirm(&text);
                    s.transcript.sent(at, text, bytes);
                    s.turn = turn;
                    out.push(Reaction::FocusComposer);
                }
            }
            Event::SendRefused {
                session,
                text,
                error,
            } => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.confirm(&text);
                }
                out.push(Reaction::RestoreDraft { text, error });
            }
            Event::Notice { session, at, text } => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.transcript.notice(at, text);
                }
            }
            Event::SessionEnded {
                session,
                at,
                reason,
            } => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.transcript.notice(at, reason.to_string());
                    // Handed over but never reported: they did not go out. Give them back.
                    for text in std::mem::take(&mut s.unconfirmed) {
                        out.push(Reaction::RestoreDraft {
                            text,
                            error: SendError::Blocked(SendBlocked::Ended),
                        });
                    }
                    out.push(Reaction::Log(format!("session {session} ended: {reason}")));
                    s.ended = Some(reason);
                    s.ended_at = Some(at);
                }
            }
            // Events of a role the user already left.
            Event::Listening { .. }
            | Event::Connecting { .. }
            | Event::RoleFailed { .. }
            | Event::RoleStopped { .. } => {}
        }
        out
    }

    fn is_current(&self, role: RoleId) -> bool {
        self.status.role() == Some(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::RoleId;

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time")
    }

    fn started(state: &mut State) -> SessionId {
        let role = RoleId(1);
        state.role_started(RoleStatus::Connecting {
            role,
            target: "127.0.0.1:8888".into(),
        });
        let (commands, _rx) = crossbeam_channel::unbounded();
        let session = SessionId(7);
        state.apply(Event::SessionStarted {
            role,
            session,
            key: "k".into(),
            as_role: Role::Client,
            peer: "127.0.0.1:8888".parse().expect("addr"),
            local: "127.0.0.1:5000".parse().expect("addr"),
            at: at(),
            first_turn: Turn::Theirs,
            encoding: WireEncoding::Gbk,
            transcript: None,
            link: SessionLink { commands },
        });
        session
    }

    #[test]
    fn messages_that_never_went_out_come_back_when_the_session_ends() {
        let mut state = State::default();
        let id = started(&mut state);
        state.send_requested(id, "第一句");
        state.send_requested(id, "第二句");
        assert_eq!(state.current().map(SessionState::pending_sends), Some(2));
        state.apply(Event::Sent {
            session: id,
            at: at(),
            text: "第一句".into(),
            bytes: vec![1],
            is_bye: false,
            turn: Turn::Theirs,
        });
        let reactions = state.apply(Event::SessionEnded {
            session: id,
            at: at(),
            reason: EndReason::PeerClosed,
        });
        let restored: Vec<&str> = reactions
            .iter()
            .filter_map(|r| match r {
                Reaction::RestoreDraft { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(restored, ["第二句"]);
        assert_eq!(state.current().map(SessionState::pending_sends), Some(0));
    }

    #[test]
    fn events_of_a_role_the_user_left_are_ignored() {
        let mut state = State::default();
        started(&mut state);
        state.role_stopped_by_user();
        state.apply(Event::RoleFailed {
            role: RoleId(1),
            error: crate::core::error::NetError::Refused { addr: "x".into() },
        });
        assert_eq!(state.error, None);
        assert_eq!(state.status, RoleStatus::Idle);
    }
}
