//! Room for a newcomer when the server is full: which waiting client is served first when
//! a place frees, and which live conversation gives its place up so that squatters cannot
//! keep a student out.
//!
//! A place that frees goes to the waiting client whose computer has the fewest live
//! conversations (the oldest of those first), so a computer that holds many places does
//! not also get the next one. When someone waits, the conversation that makes room is one
//! that has never sent a byte, has been silent at least a grace period, and belongs to a
//! computer holding more live conversations than the newcomer's: the computer with the
//! most first, its longest-silent conversation first. A conversation that said anything
//! is never ended to make room, and squatters from computers that hold as few as the
//! newcomer's keep their places (so they cannot churn each other out).

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// How long a conversation that never said anything keeps its place against a waiting
/// newcomer from a computer that holds fewer.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);

/// A live conversation, as the choice of who makes room sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occupant {
    /// Its computer (see `door::computer`).
    pub computer: IpAddr,
    /// When it was welcomed.
    pub since: Instant,
    /// Whether the peer has sent anything at all.
    pub spoke: bool,
    /// Whether it is already ending (to make room, or otherwise).
    pub leaving: bool,
}

/// Live conversations by computer, those already ending left out.
pub fn serving(occupants: &[Occupant]) -> HashMap<IpAddr, usize> {
    let mut by = HashMap::new();
    for o in occupants.iter().filter(|o| !o.leaving) {
        *by.entry(o.computer).or_insert(0) += 1;
    }
    by
}

/// The order in which waiting clients (their computers, oldest first) are served: fewest
/// live conversations from their computer first, then the oldest. Returns indices into
/// `waiting`.
pub fn serve_order(waiting: &[IpAddr], serving: &HashMap<IpAddr, usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..waiting.len()).collect();
    // A stable sort keeps arrival order among equals.
    order.sort_by_key(|&i| serving.get(&waiting[i]).copied().unwrap_or(0));
    order
}

/// Which occupant (an index into `occupants`) gives its place up for a newcomer from
/// `newcomer`'s computer, at `now`; `None` if nobody should.
pub fn make_room(
    newcomer: IpAddr,
    occupants: &[Occupant],
    now: Instant,
    grace: Duration,
) -> Option<usize> {
    let serving = serving(occupants);
    let theirs = serving.get(&newcomer).copied().unwrap_or(0);
    occupants
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.leaving && !o.spoke)
        .filter(|(_, o)| now.saturating_duration_since(o.since) >= grace)
        .filter(|(_, o)| serving.get(&o.computer).copied().unwrap_or(0) > theirs)
        .min_by(|(_, a), (_, b)| {
            let (na, nb) = (serving[&a.computer], serving[&b.computer]);
            // The computer with the most first; then the longest silent (the earliest);
            // among equals, the first listed.
            nb.cmp(&na).then(a.since.cmp(&b.since))
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    fn occupant(computer: u8, since: Instant, spoke: bool) -> Occupant {
        Occupant {
            computer: ip(computer),
            since,
            spoke,
            leaving: false,
        }
    }

    #[test]
    fn the_longest_silent_squatter_makes_room_for_another_computer() {
        let t0 = Instant::now();
        let grace = Duration::from_secs(30);
        let occupants = vec![
            occupant(2, t0 + Duration::from_secs(2), false),
            occupant(2, t0, false),
            occupant(2, t0 + Duration::from_secs(1), false),
        ];
        let now = t0 + Duration::from_secs(40);
        assert_eq!(make_room(ip(5), &occupants, now, grace), Some(1));
        // Not within the grace.
        assert_eq!(
            make_room(ip(5), &occupants, t0 + Duration::from_secs(10), grace),
            None
        );
        // Not for a newcomer from the squatters' own computer.
        assert_eq!(make_room(ip(2), &occupants, now, grace), None);
    }

    #[test]
    fn a_conversation_that_said_anything_keeps_its_place() {
        let t0 = Instant::now();
        let now = t0 + Duration::from_secs(100);
        let occupants = vec![occupant(2, t0, true), occupant(3, t0, true)];
        assert_eq!(make_room(ip(5), &occupants, now, Duration::ZERO), None);
    }

    #[test]
    fn the_computer_holding_most_gives_way_first_and_equals_keep_theirs() {
        let t0 = Instant::now();
        let now = t0 + Duration::from_secs(100);
        let occupants = vec![
            occupant(2, t0, false),
            occupant(3, t0 + Duration::from_secs(1), false),
            occupant(3, t0 + Duration::from_secs(2), false),
        ];
        assert_eq!(make_room(ip(5), &occupants, now, Duration::ZERO), Some(1));
        // A newcomer from a computer with one place does not push out another single one.
        let singles = vec![occupant(2, t0, false), occupant(3, t0, false)];
        assert_eq!(make_room(ip(2), &singles, now, Duration::ZERO), None);
        assert_eq!(make_room(ip(4), &singles, now, Duration::ZERO), Some(0));
    }

    #[test]
    fn one_already_leaving_is_not_chosen_twice() {
        let t0 = Instant::now();
        let now = t0 + Duration::from_secs(100);
        let mut occupants = vec![occupant(2, t0, false), occupant(2, t0, false)];
        occupants[0].leaving = true;
        assert_eq!(make_room(ip(5), &occupants, now, Duration::ZERO), Some(1));
        occupants[1].leaving = true;
        assert_eq!(make_room(ip(5), &occupants, now, Duration::ZERO), None);
    }

    #[test]
    fn a_freed_place_goes_to_the_computer_holding_fewest_then_the_oldest() {
        let waiting = [ip(2), ip(2), ip(3), ip(4)];
        let serving = HashMap::from([(ip(2), 5), (ip(3), 1)]);
        assert_eq!(serve_order(&waiting, &serving), vec![3, 2, 0, 1]);
    }
}
