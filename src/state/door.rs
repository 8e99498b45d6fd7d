//! What the window knows of the server's door (issue 22): the refusals of this run, the
//! blocked computers, the places the open-file limit allows, and which live conversations
//! never said anything (for "End all silent").

use std::net::IpAddr;

use crate::core::door::Tally;
use crate::core::ids::SessionId;
use crate::core::turn::Role;

use super::SessionState;

/// The door as the server line shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoorView {
    /// Every refusal of this run.
    pub tally: Tally,
    /// The computers blocked for this run.
    pub blocked: Vec<IpAddr>,
    /// Places held and asked for, and the open-file limit, when the limit allows fewer
    /// places than asked.
    pub places_limited: Option<PlacesLimited>,
}

/// The server holds fewer places than asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacesLimited {
    /// The places it holds.
    pub places: usize,
    /// The places asked for.
    pub asked: usize,
    /// The process's open-file limit.
    pub limit: u64,
}

/// How many live conversations a server runs whose peer never sent a byte (counted, not
/// listed: the door line asks every frame).
pub fn silent_count<'a>(sessions: impl IntoIterator<Item = &'a SessionState>) -> usize {
    sessions.into_iter().filter(|s| is_silent(s)).count()
}

fn is_silent(s: &SessionState) -> bool {
    s.as_role == Role::Server && s.is_live() && s.counters.received_bytes == 0
}

/// The live conversations a server runs whose peer never sent a byte, in order.
pub fn silent<'a>(sessions: impl IntoIterator<Item = &'a SessionState>) -> Vec<SessionId> {
    sessions
        .into_iter()
        .filter(|s| is_silent(s))
        .map(|s| s.id)
        .collect()
}
