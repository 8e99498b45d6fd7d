//! The window's memory budget for peer text, across all conversations.
//!
//! Each peer message is already capped at 1 MiB ([`crate::core::conversation::DISPLAY_CAP_BYTES`]),
//! but a classroom of 200 peers each sending one such message would still hold well over
//! a gigabyte. [`PeerTextBudget`] bounds what all conversations hold together (text and
//! wire bytes, as [`crate::core::transcript::Transcript::peer_kept`] counts them; 64 MiB
//! by default). When a new chunk would pass it, [`make_room`] lets go of the oldest
//! complete peer messages of conversations that have ended, then of those that are not on
//! screen, least recently active first; each leaves a notice where it was (its transcript
//! file still holds it). The conversation on screen and the one receiving are never
//! touched: when that is not enough, the new text is counted and cut, as the per-message
//! cap does ([`fits`]).

use std::collections::BTreeMap;

use crate::core::ids::SessionId;

use super::SessionState;

/// What the peers' messages may hold in memory in all, by default: 64 MiB.
pub const PEER_TEXT_BUDGET_BYTES: u64 = 64 * 1024 * 1024;

/// The limit on what all conversations' peer messages hold in memory, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerTextBudget(pub u64);

impl Default for PeerTextBudget {
    fn default() -> Self {
        PeerTextBudget(PEER_TEXT_BUDGET_BYTES)
    }
}

/// What all conversations' peer messages hold now.
pub fn held(sessions: &BTreeMap<SessionId, SessionState>) -> u64 {
    sessions.values().map(|s| s.transcript.peer_kept()).sum()
}

/// Lets go of old peer messages until `need` more bytes fit within `budget`, or nothing
/// more may go: of ended conversations first, then of live ones, least recently active
/// first; never of the conversations in `spare` (the one on screen, the one receiving).
/// Returns what all conversations hold afterwards.
pub fn make_room(
    sessions: &mut BTreeMap<SessionId, SessionState>,
    spare: &[SessionId],
    need: u64,
    budget: PeerTextBudget,
) -> u64 {
    let mut total = held(sessions);
    if total.saturating_add(need) <= budget.0 {
        return total;
    }
    let mut order: Vec<_> = sessions
        .values()
        .filter(|s| !spare.contains(&s.id) && s.transcript.peer_kept() > 0)
        .map(|s| (s.is_live(), s.last_activity, s.id))
        .collect();
    order.sort();
    for (_, _, id) in order {
        let Some(s) = sessions.get_mut(&id) else {
            continue;
        };
        while total.saturating_add(need) > budget.0 {
            match s.transcript.drop_oldest_peer() {
                Some(freed) => total -= freed,
                None => break,
            }
        }
        if total.saturating_add(need) <= budget.0 {
            break;
        }
    }
    total
}

/// Whether a chunk holding `need` bytes may be kept when all conversations hold `total`.
pub fn fits(total: u64, need: u64, budget: PeerTextBudget) -> bool {
    total.saturating_add(need) <= budget.0
}
