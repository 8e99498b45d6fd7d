//! The window's state as a reducer over backend events.
//!
//! [`State::apply`] is the only place events change what the window shows; it is pure
//! (no egui, no I/O) and unit-tested. It hands each event to a method of its own.
//! Sessions are keyed by [`SessionId`] so that a server with several conversations, past
//! or concurrent, needs no new shape; each one's state is a [`SessionState`].

pub mod class_summary;
pub mod door;
pub mod find;
pub mod find_all;
pub mod glance;
pub mod history_find;
pub mod keeping;
pub mod memory;
pub mod names;
pub mod reconnect;
mod session;
pub mod signals;
pub mod trust;
pub mod why;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use chrono::{DateTime, FixedOffset};

use crate::core::codec::WireEncoding;
use crate::core::conversation::SendError;
use crate::core::error::NetError;
use crate::core::ids::{RoleId, Seq, SessionId};
use crate::core::lang::Say;
use crate::core::notice::{EndReason, Notice};
use crate::core::turn::Role;
use crate::core::turn::{SendBlocked, Turn};
use crate::net::{Event, SessionInfo};

pub use session::{Counters, Draft, Phase, SessionState};

/// What the running role (if any) is doing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RoleStatus {
    /// Nothing running: the form is editable.
    #[default]
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
        /// Auto-reconnect's attempt (1 = the first retry); `None` for the user's own
        /// Connect.
        retry: Option<u32>,
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

/// Something the app must do in response to an event, beyond updating state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reaction {
    /// It became our turn in this conversation (or a message of ours went out, or one
    /// came back to its draft): put the keyboard focus in the composer if it is shown.
    FocusComposer {
        /// The conversation.
        session: SessionId,
    },
    /// A new message from a peer: if the window is not focused, ask for attention.
    PeerMessage {
        /// The conversation.
        session: SessionId,
    },
    /// Tell scripts and logs (stdout) something happened.
    Log(String),
}

/// Everything the window shows that comes from the network.
#[derive(Debug, Default)]
pub struct State {
    /// The running role.
    pub status: RoleStatus,
    /// Every conversation of this run still listed, by id (ids grow: connection order).
    pub sessions: BTreeMap<SessionId, SessionState>,
    /// The conversation on screen.
    pub current: Option<SessionId>,
    /// The last error, until the next attempt (worded by the window).
    pub error: Option<NetError>,
    /// Clients waiting for a free place (the server is at its limit).
    pub waiting: usize,
    /// The server's door: what it refused, the blocks, the places it can hold.
    pub door: door::DoorView,
    /// What the user typed while no conversation was shown; it goes to the first one.
    pub loose_draft: Draft,
    /// What all conversations' peer messages may hold in memory (see [`memory`]).
    pub peer_text_budget: memory::PeerTextBudget,
    /// The last number given to a message handed to a session.
    last_seq: u64,
}

impl State {
    /// The conversation on screen.
    pub fn current(&self) -> Option<&SessionState> {
        self.current.and_then(|id| self.sessions.get(&id))
    }

    /// The draft of the conversation on screen (or the loose one).
    pub fn draft_mut(&mut self) -> &mut Draft {
        match self.current.and_then(|id| self.sessions.get_mut(&id)) {
            Some(s) => &mut s.draft,
            None => &mut self.loose_draft,
        }
    }

    /// The draft of the conversation on screen (or the loose one).
    pub fn draft(&self) -> &Draft {
        self.current().map_or(&self.loose_draft, |s| &s.draft)
    }

    /// Shows a conversation; its messages count as read.
    pub fn show(&mut self, session: SessionId) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.unread = 0;
            self.current = Some(session);
        }
    }

    /// The conversation `step` rows after (or, negative, before) the one shown, wrapping.
    pub fn neighbour(&self, step: isize) -> Option<SessionId> {
        let ids: Vec<SessionId> = self.sessions.keys().copied().collect();
        if ids.is_empty() {
            return None;
        }
        let at = self
            .current
            .and_then(|c| ids.iter().position(|id| *id == c))
            .map_or(if step > 0 { -1 } else { 0 }, |i| i as isize);
        let n = ids.len() as isize;
        Some(ids[(at + step).rem_euclid(n) as usize])
    }

    /// The conversation in row `n` (0-based, connection order).
    pub fn nth(&self, n: usize) -> Option<SessionId> {
        self.sessions.keys().nth(n).copied()
    }

    /// Removes an ended conversation from the list (its transcript file stays). A live
    /// one is not removed: it must end first (bye).
    pub fn close(&mut self, session: SessionId) -> bool {
        if self
            .sessions
            .get(&session)
            .is_none_or(SessionState::is_live)
        {
            return false;
        }
        let next = if self.current == Some(session) {
            let after = self.sessions.range(session..).nth(1).map(|(id, _)| *id);
            let before = self
                .sessions
                .range(..session)
                .next_back()
                .map(|(id, _)| *id);
            after.or(before)
        } else {
            self.current
        };
        self.sessions.remove(&session);
        self.current = None;
        if let Some(id) = next {
            self.show(id);
        }
        true
    }

    /// Unread peer messages in every conversation.
    pub fn total_unread(&self) -> usize {
        self.sessions.values().map(|s| s.unread).sum()
    }

    /// Live conversations where it is our turn, in list order.
    pub fn waiting_for_me(&self) -> Vec<SessionId> {
        self.sessions
            .values()
            .filter(|s| s.phase() == Phase::YourTurn)
            .map(|s| s.id)
            .collect()
    }

    /// A role was started from the UI.
    pub fn role_started(&mut self, status: RoleStatus) {
        self.status = status;
        self.error = None;
        self.waiting = 0;
        self.door = door::DoorView::default();
    }

    /// The user stopped the role (Stop Server, Cancel).
    pub fn role_stopped_by_user(&mut self) {
        self.status = RoleStatus::Idle;
        self.waiting = 0;
    }

    /// A message is about to be handed to the session: returns its number. The draft it
    /// came from is the caller's to clear.
    pub fn send_requested(&mut self, session: SessionId, text: &str) -> Option<Seq> {
        let s = self.sessions.get_mut(&session)?;
        self.last_seq += 1;
        let seq = Seq(self.last_seq);
        s.unconfirmed.push((seq, text.to_owned()));
        Some(seq)
    }

    /// The session could not take a message handed to it (it had just ended): forget the
    /// number and give the text back to its draft.
    pub fn send_failed(&mut self, session: SessionId, seq: Seq, text: String) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.confirm(Some(seq));
            s.draft
                .restore(text, SendError::Blocked(SendBlocked::Ended));
        }
    }

    /// Applies one backend event: what the window shows changes, and the app is told
    /// what else to do. Events of a role the user already left change nothing.
    pub fn apply(&mut self, event: Event) -> Vec<Reaction> {
        match event {
            Event::Listening { role, local, lan } => self.listening(role, local, lan),
            Event::Waiting { role, count } => self.clients_waiting(role, count),
            Event::Connecting { role, target } => self.connecting(role, target),
            Event::RoleFailed { role, error } => self.role_failed(role, error),
            Event::RoleStopped { role } => self.role_stopped(role),
            Event::SessionStarted { role, info, link } => {
                // The window sends through the backend; it keeps no channel.
                drop(link);
                self.session_started(role, info)
            }
            Event::Received {
                session,
                at,
                text,
                bytes,
                new_message,
                cut,
                turn,
                held: _,
            } => self.received(session, at, &text, &bytes, new_message, cut, turn),
            Event::Sent {
                session,
                seq,
                at,
                text,
                bytes,
                turn,
            } => self.sent(session, seq, at, text, bytes, turn),
            Event::SendRefused {
                session,
                seq,
                text,
                error,
            } => self.send_refused(session, seq, text, error),
            Event::Notice {
                session,
                at,
                notice,
            } => self.notice(session, at, notice),
            Event::SessionEnded {
                session,
                at,
                reason,
            } => self.session_ended(session, at, reason),
            Event::EncodingChanged {
                session,
                at,
                from,
                to,
            } => {
                self.encoding_changed(session, at, from, to);
                Vec::new()
            }
            Event::Door {
                role,
                tally,
                blocked,
            } => {
                if self.is_current(role) {
                    self.door.tally = tally;
                    self.door.blocked = blocked;
                }
                Vec::new()
            }
            Event::PlacesLimited {
                role,
                places,
                asked,
                limit,
            } => {
                if !self.is_current(role) {
                    return Vec::new();
                }
                self.door.places_limited = Some(door::PlacesLimited {
                    places,
                    asked,
                    limit,
                });
                vec![Reaction::Log(format!(
                    "open-file limit {limit}: at most {places} conversations at once, not {asked}"
                ))]
            }
        }
    }

    fn listening(
        &mut self,
        role: RoleId,
        local: SocketAddr,
        lan: Vec<SocketAddr>,
    ) -> Vec<Reaction> {
        if !self.is_current(role) {
            return Vec::new();
        }
        self.status = RoleStatus::Listening { role, local, lan };
        vec![Reaction::Log(format!("listening on {local}"))]
    }

    fn clients_waiting(&mut self, role: RoleId, count: usize) -> Vec<Reaction> {
        if !self.is_current(role) || count == self.waiting {
            return Vec::new();
        }
        self.waiting = count;
        vec![Reaction::Log(format!("{count} waiting"))]
    }

    fn connecting(&mut self, role: RoleId, target: String) -> Vec<Reaction> {
        if self.is_current(role) {
            // Still the same attempt of auto-reconnect, if it is one.
            let retry = match &self.status {
                RoleStatus::Connecting { retry, .. } => *retry,
                _ => None,
            };
            self.status = RoleStatus::Connecting {
                role,
                target,
                retry,
            };
        }
        Vec::new()
    }

    fn role_failed(&mut self, role: RoleId, error: NetError) -> Vec<Reaction> {
        if !self.is_current(role) {
            return Vec::new();
        }
        let line = format!("error: {}", error.en());
        self.error = Some(error);
        self.status = RoleStatus::Idle;
        self.waiting = 0;
        vec![Reaction::Log(line)]
    }

    fn role_stopped(&mut self, role: RoleId) -> Vec<Reaction> {
        if self.is_current(role) {
            self.status = RoleStatus::Idle;
            self.waiting = 0;
        }
        Vec::new()
    }

    fn session_started(&mut self, role: RoleId, info: SessionInfo) -> Vec<Reaction> {
        if !self.is_current(role) {
            // A role the user already left: its session is being stopped.
            return Vec::new();
        }
        if info.as_role == Role::Client {
            self.status = RoleStatus::Connected { role };
        }
        // The first conversation (or the first since the shown one ended) comes on
        // screen; later ones wait in the list, so a new client never pulls the
        // user away from someone they are answering.
        let take_screen = self.current().is_none_or(|c| !c.is_live());
        let draft = if take_screen {
            std::mem::take(&mut self.loose_draft)
        } else {
            Draft::default()
        };
        let (session, peer, first_turn) = (info.session, info.peer, info.first_turn);
        self.sessions
            .insert(session, SessionState::new(info, draft));
        if take_screen {
            self.show(session);
        }
        let mut out = vec![Reaction::Log(format!("session {session} with {peer}"))];
        if first_turn == Turn::Mine {
            out.push(Reaction::FocusComposer { session });
        }
        out
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the fields of `Event::Received`, one each"
    )]
    fn received(
        &mut self,
        session: SessionId,
        at: DateTime<FixedOffset>,
        text: &str,
        bytes: &[u8],
        new_message: bool,
        cut: u64,
        turn: Turn,
    ) -> Vec<Reaction> {
        let shown = self.current == Some(session);
        if !self.sessions.contains_key(&session) {
            return Vec::new();
        }
        // The window's memory budget: room is made from older messages elsewhere; what
        // still does not fit (or follows a cut in the same message) is counted and cut.
        let need = (text.len() + bytes.len()) as u64;
        let spare: Vec<SessionId> = self.current.into_iter().chain([session]).collect();
        let total = memory::make_room(&mut self.sessions, &spare, need, self.peer_text_budget);
        let Some(s) = self.sessions.get_mut(&session) else {
            return Vec::new();
        };
        if new_message {
            s.budget_cut = false;
        }
        let (text, bytes, cut) =
            if need > 0 && (s.budget_cut || !memory::fits(total, need, self.peer_text_budget)) {
                s.budget_cut = true;
                ("", &[][..], cut + bytes.len() as u64)
            } else {
                (text, bytes, cut)
            };
        let was = s.turn;
        s.transcript.peer_chunk(at, new_message, text, bytes, cut);
        s.counters.received_bytes += bytes.len() as u64 + cut;
        s.counters.received_messages += u64::from(new_message);
        s.transcript.check_last_peer(s.encoding);
        s.turn = turn;
        s.last_activity = at;
        let mut out = Vec::new();
        if new_message {
            if !shown {
                s.unread += 1;
            }
            out.push(Reaction::PeerMessage { session });
        }
        if was != Turn::Mine && turn == Turn::Mine && s.unconfirmed.is_empty() {
            out.push(Reaction::FocusComposer { session });
        }
        out
    }

    fn sent(
        &mut self,
        session: SessionId,
        seq: Option<Seq>,
        at: DateTime<FixedOffset>,
        text: String,
        bytes: Vec<u8>,
        turn: Turn,
    ) -> Vec<Reaction> {
        let Some(s) = self.sessions.get_mut(&session) else {
            return Vec::new();
        };
        s.confirm(seq);
        s.counters.sent_bytes += bytes.len() as u64;
        s.counters.sent_messages += 1;
        s.transcript.sent(at, text, bytes);
        s.turn = turn;
        s.last_activity = at;
        vec![Reaction::FocusComposer { session }]
    }

    fn send_refused(
        &mut self,
        session: SessionId,
        seq: Option<Seq>,
        text: String,
        error: SendError,
    ) -> Vec<Reaction> {
        let Some(s) = self.sessions.get_mut(&session) else {
            return Vec::new();
        };
        s.confirm(seq);
        s.draft.restore(text, error);
        vec![Reaction::FocusComposer { session }]
    }

    fn notice(
        &mut self,
        session: SessionId,
        at: DateTime<FixedOffset>,
        notice: Notice,
    ) -> Vec<Reaction> {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.transcript.notice(at, notice);
        }
        Vec::new()
    }

    fn session_ended(
        &mut self,
        session: SessionId,
        at: DateTime<FixedOffset>,
        reason: EndReason,
    ) -> Vec<Reaction> {
        let Some(s) = self.sessions.get_mut(&session) else {
            return Vec::new();
        };
        s.transcript.notice(
            at,
            Notice::Ended {
                reason: reason.clone(),
            },
        );
        // Handed over but never reported: they did not go out. Give them back.
        for (_, text) in std::mem::take(&mut s.unconfirmed) {
            s.draft
                .restore(text, SendError::Blocked(SendBlocked::Ended));
        }
        let line = format!("session {session} ended: {}", reason.en());
        s.ended = Some(reason);
        s.ended_at = Some(at);
        vec![Reaction::Log(line)]
    }

    /// A conversation now reads `to` (its session switched, or, for one that has ended,
    /// the window alone): what was received is decoded again and a notice says so.
    pub fn encoding_changed(
        &mut self,
        session: SessionId,
        at: DateTime<FixedOffset>,
        from: WireEncoding,
        to: WireEncoding,
    ) {
        if let Some(s) = self.sessions.get_mut(&session)
            && from != to
        {
            s.encoding = to;
            s.transcript.redecode_peer(to);
            s.transcript.notice(
                at,
                crate::core::notice::Notice::EncodingChanged { from, to },
            );
        }
    }

    fn is_current(&self, role: RoleId) -> bool {
        self.status.role() == Some(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::framing::LineEnding;
    use crate::core::turn::TurnPolicy;
    use crate::net::SessionLink;

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time")
    }

    const ROLE: RoleId = RoleId(1);

    fn server() -> State {
        let mut state = State::default();
        state.role_started(RoleStatus::Starting { role: ROLE });
        state
    }

    fn start(state: &mut State, id: u64, as_role: Role, first_turn: Turn) -> SessionId {
        let (commands, _rx) = crossbeam_channel::unbounded();
        let session = SessionId(id);
        state.apply(Event::SessionStarted {
            role: ROLE,
            info: SessionInfo {
                session,
                key: format!("k{id}"),
                as_role,
                peer: format!("127.0.0.1:{}", 5000 + id).parse().expect("addr"),
                local: "127.0.0.1:8888".parse().expect("addr"),
                at: at(),
                first_turn,
                encoding: WireEncoding::Gbk,
                policy: TurnPolicy::Strict,
                line_ending: LineEnding::None,
                transcript: None,
            },
            link: SessionLink { commands },
        });
        session
    }

    fn peer_says(state: &mut State, session: SessionId, text: &str) -> Vec<Reaction> {
        state.apply(Event::Received {
            session,
            at: at(),
            text: text.into(),
            bytes: text.as_bytes().to_vec(),
            new_message: true,
            cut: 0,
            turn: Turn::Mine,
            held: Default::default(),
        })
    }

    fn sent(state: &mut State, session: SessionId, seq: Option<Seq>, text: &str) {
        state.apply(Event::Sent {
            session,
            seq,
            at: at(),
            text: text.into(),
            bytes: text.as_bytes().to_vec(),
            turn: Turn::Theirs,
        });
    }

    /// One 1 MiB peer message of GBK Chinese, in four reads of 256 KiB, as a session
    /// under the per-message cap hands it to the window.
    fn a_mib_from(state: &mut State, session: SessionId) {
        let bytes = "你好".repeat(64 * 1024);
        let bytes = crate::core::codec::encode_guarded(WireEncoding::Gbk, &bytes).expect("gbk");
        assert_eq!(bytes.len(), 256 * 1024);
        let text = crate::core::codec::decode_lossy(WireEncoding::Gbk, &bytes);
        for i in 0..4 {
            state.apply(Event::Received {
                session,
                at: at() + chrono::Duration::seconds(session.0 as i64),
                text: text.clone(),
                bytes: bytes.clone(),
                new_message: i == 0,
                cut: 0,
                turn: Turn::Mine,
                held: Default::default(),
            });
        }
    }

    fn dropped(state: &State, id: SessionId) -> u64 {
        state.sessions[&id]
            .transcript
            .entries()
            .iter()
            .filter_map(|e| match e.notice {
                Some(Notice::DroppedFromMemory { bytes }) => Some(bytes),
                _ => None,
            })
            .sum()
    }

    #[test]
    fn two_hundred_peers_of_a_mib_each_keep_within_the_memory_budget_and_say_where() {
        let mut state = server();
        let ids: Vec<SessionId> = (1..=200)
            .map(|i| start(&mut state, i, Role::Server, Turn::Theirs))
            .collect();
        for &id in &ids {
            a_mib_from(&mut state, id);
            state.apply(Event::SessionEnded {
                session: id,
                at: at() + chrono::Duration::seconds(id.0 as i64),
                reason: EndReason::PeerClosed,
            });
        }
        let held = memory::held(&state.sessions);
        assert!(
            held <= memory::PEER_TEXT_BUDGET_BYTES,
            "{held} bytes held, budget {}",
            memory::PEER_TEXT_BUDGET_BYTES
        );
        // Every byte received is either still held or said to be dropped, or counted as
        // cut; the oldest went first, and the conversation on screen kept its message.
        let first = ids[0];
        assert_eq!(state.current, Some(first));
        assert_eq!(dropped(&state, first), 0, "the one on screen is spared");
        assert_eq!(
            dropped(&state, ids[1]),
            1024 * 1024,
            "the oldest went first"
        );
        let newest = ids[199];
        assert_eq!(dropped(&state, newest), 0, "the newest is kept");
        let entry = state.sessions[&newest]
            .transcript
            .entries()
            .iter()
            .find(|e| e.from == crate::core::transcript::Speaker::Peer)
            .expect("kept");
        assert_eq!(entry.bytes.len(), 1024 * 1024);
        for &id in &ids {
            let s = &state.sessions[&id];
            assert_eq!(s.counters.received_bytes, 1024 * 1024, "counted in full");
        }
    }

    #[test]
    fn past_the_memory_budget_with_nothing_to_let_go_new_text_is_counted_and_cut() {
        let mut state = server();
        state.peer_text_budget = memory::PeerTextBudget(1024 * 1024);
        let id = start(&mut state, 1, Role::Server, Turn::Theirs);
        // On screen and receiving: nothing of it may go, so the budget cuts the message
        // from the read that does not fit, to its end; the next message starts afresh.
        a_mib_from(&mut state, id);
        let s = &state.sessions[&id];
        let e = s.transcript.entries().last().expect("the message");
        assert_eq!(
            e.bytes.len(),
            256 * 1024,
            "one read of 256 KiB and its text fit"
        );
        assert_eq!(e.cut, 3 * 256 * 1024);
        assert!(s.transcript.peer_kept() <= 1024 * 1024);
        assert_eq!(s.counters.received_bytes, 1024 * 1024);
        sent(&mut state, id, None, "ok");
        let before = state.sessions[&id].transcript.peer_kept();
        peer_says(&mut state, id, "hi");
        assert_eq!(
            state.sessions[&id].transcript.peer_kept(),
            before + 4,
            "a new message that fits is kept"
        );
    }

    #[test]
    fn a_dropped_message_is_a_notice_in_its_place_in_both_languages() {
        let mut state = server();
        state.peer_text_budget = memory::PeerTextBudget(1024 * 1024);
        let a = start(&mut state, 1, Role::Server, Turn::Theirs);
        let b = start(&mut state, 2, Role::Server, Turn::Theirs);
        let c = start(&mut state, 3, Role::Server, Turn::Theirs);
        assert_eq!(state.current, Some(a));
        peer_says(&mut state, b, &"x".repeat(300 * 1024));
        sent(&mut state, b, None, "ok");
        peer_says(&mut state, c, &"y".repeat(300 * 1024));
        // b is neither on screen nor receiving: its message goes, and says so.
        assert_eq!(dropped(&state, b), 300 * 1024);
        let entries = state.sessions[&b].transcript.entries();
        let n = entries
            .iter()
            .find_map(|e| e.notice.clone().filter(|n| n.kind() == "memory-dropped"))
            .expect("a notice");
        assert!(n.en().contains("307200") && n.en().contains("transcript file"));
        assert!(n.zh().contains("307200") && n.zh().contains("聊天记录文件"));
        assert!(
            entries
                .iter()
                .all(|e| e.from != crate::core::transcript::Speaker::Peer)
        );
        assert!(memory::held(&state.sessions) <= 1024 * 1024);
    }

    #[test]
    fn free_talk_may_always_send_and_counters_count_both_ways() {
        let mut state = server();
        let id = start(&mut state, 3, Role::Client, Turn::Theirs);
        if let Some(s) = state.sessions.get_mut(&id) {
            s.policy = TurnPolicy::Free;
        }
        let s = |state: &State| state.sessions.get(&id).map(|s| (s.can_send(), s.phase()));
        assert_eq!(
            s(&state),
            Some((Ok(()), Phase::Waiting)),
            "no need to wait, yet nobody waits for us"
        );
        assert!(state.waiting_for_me().is_empty());
        let seq = state.send_requested(id, "a");
        assert_eq!(
            state.sessions[&id].can_send(),
            Ok(()),
            "nor for our own sends"
        );
        sent(&mut state, id, seq, "a\n");
        peer_says(&mut state, id, "hello");
        state.apply(Event::Received {
            session: id,
            at: at(),
            text: String::new(),
            bytes: b"\n".to_vec(),
            new_message: false,
            cut: 10,
            turn: Turn::Mine,
            held: Default::default(),
        });
        peer_says(&mut state, id, "again");
        // They spoke last: they wait for us (in the list), though turns are off.
        assert_eq!(state.waiting_for_me(), [id]);
        assert_eq!(
            state.sessions[&id].counters,
            Counters {
                sent_bytes: 2,
                sent_messages: 1,
                received_bytes: 5 + 1 + 10 + 5,
                received_messages: 2,
            }
        );
    }

    #[test]
    fn utf8_in_a_gbk_conversation_is_hinted_and_a_switch_decodes_it_again() {
        let mut state = server();
        let id = start(&mut state, 3, Role::Server, Turn::Theirs);
        // The session decoded these UTF-8 bytes as GBK: mojibake, with a hint.
        let utf8 = "好的".as_bytes();
        state.apply(Event::Received {
            session: id,
            at: at(),
            text: crate::core::codec::decode_lossy(WireEncoding::Gbk, utf8),
            bytes: utf8.to_vec(),
            new_message: true,
            cut: 0,
            turn: Turn::Mine,
            held: Default::default(),
        });
        let peer = |state: &State| {
            let e = state.sessions[&id]
                .transcript
                .entries()
                .iter()
                .find(|e| e.from == crate::core::transcript::Speaker::Peer)
                .cloned()
                .expect("a peer message");
            (e.text, e.looks_like)
        };
        assert_eq!(
            peer(&state),
            ("濂界殑".to_owned(), Some(WireEncoding::Utf8))
        );
        let rewrites = state.sessions[&id].transcript.rewrites();
        state.apply(Event::EncodingChanged {
            session: id,
            at: at(),
            from: WireEncoding::Gbk,
            to: WireEncoding::Utf8,
        });
        let s = &state.sessions[&id];
        assert_eq!(s.encoding, WireEncoding::Utf8);
        assert_eq!(peer(&state), ("好的".to_owned(), None));
        assert!(s.transcript.rewrites() > rewrites, "views start over");
        let last = s.transcript.entries().last().expect("a notice");
        assert_eq!(
            last.notice,
            Some(crate::core::notice::Notice::EncodingChanged {
                from: WireEncoding::Gbk,
                to: WireEncoding::Utf8,
            })
        );
    }

    #[test]
    fn messages_that_never_went_out_come_back_to_their_draft_when_the_session_ends() {
        let mut state = server();
        let id = start(&mut state, 7, Role::Client, Turn::Mine);
        let first = state.send_requested(id, "第一句");
        state.send_requested(id, "第二句");
        assert_eq!(state.current().map(SessionState::pending_sends), Some(2));
        sent(&mut state, id, first, "第一句");
        state.apply(Event::SessionEnded {
            session: id,
            at: at(),
            reason: EndReason::PeerClosed,
        });
        let s = state.current().expect("shown");
        assert_eq!(s.draft.text, "第二句");
        assert_eq!(s.pending_sends(), 0);
    }

    #[test]
    fn confirmations_match_by_number_not_by_text() {
        let mut state = server();
        let id = start(&mut state, 1, Role::Server, Turn::Mine);
        let a = state.send_requested(id, "好").expect("seq");
        let b = state.send_requested(id, "好").expect("seq");
        assert_ne!(a, b);
        sent(&mut state, id, Some(b), "好");
        let left: Vec<Seq> = state.sessions[&id]
            .unconfirmed
            .iter()
            .map(|u| u.0)
            .collect();
        assert_eq!(left, [a]);
    }

    #[test]
    fn a_refused_message_returns_to_its_own_conversation() {
        let mut state = server();
        let one = start(&mut state, 1, Role::Server, Turn::Mine);
        let two = start(&mut state, 2, Role::Server, Turn::Mine);
        assert_eq!(
            state.current,
            Some(one),
            "a new client does not take the screen"
        );
        state.sessions.get_mut(&one).expect("one").draft.text = "写给一号".into();
        let seq = state.send_requested(two, "价格 5€");
        let reactions = state.apply(Event::SendRefused {
            session: two,
            seq,
            text: "价格 5€".into(),
            error: SendError::Empty,
        });
        assert_eq!(reactions, [Reaction::FocusComposer { session: two }]);
        assert_eq!(state.sessions[&two].draft.text, "价格 5€");
        assert_eq!(state.sessions[&two].draft.refusal, Some(SendError::Empty));
        assert_eq!(state.sessions[&one].draft.text, "写给一号");
    }

    #[test]
    fn unread_counts_only_conversations_not_shown() {
        let mut state = server();
        let one = start(&mut state, 1, Role::Server, Turn::Theirs);
        let two = start(&mut state, 2, Role::Server, Turn::Theirs);
        peer_says(&mut state, one, "你好");
        let reactions = peer_says(&mut state, two, "在吗");
        assert!(reactions.contains(&Reaction::PeerMessage { session: two }));
        assert_eq!(state.sessions[&one].unread, 0);
        assert_eq!(state.sessions[&two].unread, 1);
        peer_says(&mut state, two, "在吗？");
        assert_eq!(state.total_unread(), 2);
        state.show(two);
        assert_eq!(state.total_unread(), 0);
    }

    #[test]
    fn rows_wrap_both_ways_and_by_number() {
        let mut state = server();
        let ids: Vec<SessionId> = (1..=3)
            .map(|i| start(&mut state, i, Role::Server, Turn::Mine))
            .collect();
        assert_eq!(state.current, Some(ids[0]));
        assert_eq!(state.neighbour(1), Some(ids[1]));
        assert_eq!(state.neighbour(-1), Some(ids[2]));
        state.show(ids[2]);
        assert_eq!(state.neighbour(1), Some(ids[0]));
        assert_eq!(state.nth(1), Some(ids[1]));
        assert_eq!(state.nth(3), None);
    }

    #[test]
    fn only_ended_conversations_close_and_the_neighbour_comes_on_screen() {
        let mut state = server();
        let one = start(&mut state, 1, Role::Server, Turn::Mine);
        let two = start(&mut state, 2, Role::Server, Turn::Mine);
        assert!(!state.close(one), "a live conversation stays");
        state.apply(Event::SessionEnded {
            session: one,
            at: at(),
            reason: EndReason::PeerSaidBye,
        });
        assert!(state.close(one));
        assert_eq!(state.current, Some(two));
        assert_eq!(state.sessions.len(), 1);
    }

    #[test]
    fn everyone_waiting_for_me_skips_ended_and_busy_conversations() {
        let mut state = server();
        let one = start(&mut state, 1, Role::Server, Turn::Mine);
        let two = start(&mut state, 2, Role::Server, Turn::Theirs);
        let three = start(&mut state, 3, Role::Server, Turn::Mine);
        let four = start(&mut state, 4, Role::Server, Turn::Mine);
        state.send_requested(three, "已发");
        state.apply(Event::SessionEnded {
            session: four,
            at: at(),
            reason: EndReason::Reset,
        });
        assert_eq!(state.waiting_for_me(), [one]);
        let _ = two;
    }

    #[test]
    fn what_was_typed_before_anyone_connected_goes_to_the_first_conversation() {
        let mut state = server();
        state.draft_mut().text = "早上好".into();
        let one = start(&mut state, 1, Role::Server, Turn::Mine);
        assert_eq!(state.sessions[&one].draft.text, "早上好");
        assert!(state.loose_draft.text.is_empty());
    }

    #[test]
    fn events_of_a_role_the_user_left_are_ignored() {
        let mut state = server();
        start(&mut state, 1, Role::Client, Turn::Theirs);
        state.role_stopped_by_user();
        state.apply(Event::RoleFailed {
            role: ROLE,
            error: crate::core::error::NetError::Refused { addr: "x".into() },
        });
        state.apply(Event::Waiting {
            role: ROLE,
            count: 3,
        });
        assert_eq!(state.error, None);
        assert_eq!(state.waiting, 0);
        assert_eq!(state.status, RoleStatus::Idle);
    }
}
