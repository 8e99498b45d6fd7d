//! Whose turn it is, and which peer message incoming bytes belong to.
//!
//! The protocol has no message boundaries on the wire. A peer message is every byte that
//! arrives between our last send and our next send, so the *send* is the boundary, and
//! bytes that arrive while it is already our turn still belong to the peer's open message.
//! This is a pure state machine: it sees "bytes came in", "we sent", "it ended" and answers
//! with decisions; the session I/O obeys them.

/// Which side of the protocol we play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// We listen and send the welcome.
    Server,
    /// We connect and wait for the welcome.
    Client,
}

/// Who may speak next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Turn {
    /// We may send.
    Mine,
    /// We wait for the peer.
    Theirs,
}

/// How strictly turns are kept.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TurnPolicy {
    /// Walkie-talkie: one message each, as the reference peers require.
    #[default]
    Strict,
    /// Either side may send at any time (for peers such as netcat).
    Free,
}

/// Where an incoming chunk of bytes goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The chunk starts a new peer message.
    NewMessage,
    /// The chunk continues the peer message that is already open.
    Continues,
}

/// Why sending is not possible right now, as a sentence for the Send button's tooltip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendBlocked {
    /// Strict turns, and the peer has not answered yet.
    NotYourTurn,
    /// The conversation is over.
    Ended,
}

/// The turn state of one conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turns {
    policy: TurnPolicy,
    turn: Turn,
    peer_message_open: bool,
    ended: bool,
}

impl Turns {
    /// A conversation in which `first` speaks first.
    pub fn new(policy: TurnPolicy, first: Turn) -> Self {
        Turns {
            policy,
            turn: first,
            peer_message_open: false,
            ended: false,
        }
    }

    /// Whose turn it is.
    pub fn turn(&self) -> Turn {
        self.turn
    }

    /// Whether the conversation has ended.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// How strictly turns are kept.
    pub fn policy(&self) -> TurnPolicy {
        self.policy
    }

    /// Whether a peer message is open (the next peer bytes would continue it).
    pub fn peer_message_open(&self) -> bool {
        self.peer_message_open
    }

    /// The peer's open message is complete without our sending anything (a line ended, or
    /// in free talk a pause): the next peer bytes start a new one. Whose turn it is stays.
    pub fn close_peer_message(&mut self) {
        self.peer_message_open = false;
    }

    /// The peer sent bytes: it is now our turn, and the bytes join or start a message.
    pub fn on_peer_bytes(&mut self) -> Placement {
        self.turn = Turn::Mine;
        if std::mem::replace(&mut self.peer_message_open, true) {
            Placement::Continues
        } else {
            Placement::NewMessage
        }
    }

    /// Whether we may send now.
    pub fn can_send(&self) -> Result<(), SendBlocked> {
        if self.ended {
            Err(SendBlocked::Ended)
        } else if self.policy == TurnPolicy::Strict && self.turn == Turn::Theirs {
            Err(SendBlocked::NotYourTurn)
        } else {
            Ok(())
        }
    }

    /// We sent a message: the peer's open message (if any) is closed and it is their turn.
    pub fn on_sent(&mut self) {
        self.peer_message_open = false;
        self.turn = Turn::Theirs;
    }

    /// The conversation is over; nothing more may be sent.
    pub fn end(&mut self) {
        self.ended = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_waits_for_welcome_then_alternates() {
        let mut t = Turns::new(TurnPolicy::Strict, Turn::Theirs);
        assert_eq!(t.can_send(), Err(SendBlocked::NotYourTurn));
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.turn(), Turn::Mine);
        assert_eq!(t.can_send(), Ok(()));
        t.on_sent();
        assert_eq!(t.turn(), Turn::Theirs);
        assert_eq!(t.can_send(), Err(SendBlocked::NotYourTurn));
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.can_send(), Ok(()));
    }

    #[test]
    fn bytes_split_over_reads_are_one_message() {
        let mut t = Turns::new(TurnPolicy::Strict, Turn::Theirs);
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.on_peer_bytes(), Placement::Continues);
        assert_eq!(t.on_peer_bytes(), Placement::Continues);
        t.on_sent();
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
    }

    #[test]
    fn peer_speaking_out_of_turn_neither_steals_nor_grants_a_turn() {
        // Empty welcome: the server operator speaks first, yet the peer talks anyway.
        let mut t = Turns::new(TurnPolicy::Strict, Turn::Mine);
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.turn(), Turn::Mine);
        t.on_sent();
        // After our one send it is theirs, however much they said before.
        assert_eq!(t.can_send(), Err(SendBlocked::NotYourTurn));
        // And a second message from the peer while it is already our turn joins the first.
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.on_peer_bytes(), Placement::Continues);
        t.on_sent();
        assert_eq!(t.turn(), Turn::Theirs);
    }

    #[test]
    fn free_talk_sends_any_time_but_not_after_the_end() {
        let mut t = Turns::new(TurnPolicy::Free, Turn::Theirs);
        assert_eq!(t.can_send(), Ok(()));
        t.on_sent();
        assert_eq!(t.can_send(), Ok(()));
        t.end();
        assert_eq!(t.can_send(), Err(SendBlocked::Ended));
        assert!(t.is_ended());
    }

    #[test]
    fn a_closed_peer_message_makes_the_next_bytes_a_new_one_without_a_send() {
        let mut t = Turns::new(TurnPolicy::Free, Turn::Theirs);
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert!(t.peer_message_open());
        t.close_peer_message();
        assert_eq!(t.on_peer_bytes(), Placement::NewMessage);
        assert_eq!(t.on_peer_bytes(), Placement::Continues);
        assert_eq!(t.policy(), TurnPolicy::Free);
    }
}
