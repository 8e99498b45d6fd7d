//! How many conversations a server can really hold: each costs about four open files (its
//! socket, the two clones its reader and its stop switch hold, and its transcript file),
//! and a client waiting for a place costs one. Counted against the files the process may
//! still open, so that no conversation is started that cannot be recorded, and the
//! listening socket never runs out of descriptors for its next `accept`.

/// Open files one conversation costs.
pub const PER_CONVERSATION: u64 = 4;

/// Open files kept free for everything else the app opens while serving: dialogs, fonts,
/// the log, discovery's sockets, saving a transcript, and `accept` itself.
pub const RESERVE: u64 = 48;

/// What a server run can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlaceBudget {
    /// Live conversations at once.
    pub places: usize,
    /// Accepted clients waiting, unwelcomed, for a place (beyond them the kernel's backlog
    /// holds the rest, at no cost in files).
    pub waiting: usize,
    /// Connections on their way from the acceptor to the listener.
    pub handover: usize,
    /// Whether `places` is fewer than asked because of the open-file limit.
    pub limited: bool,
}

/// The budget for `wanted` places, at most `most_waiting` waiting and `most_handover` on
/// their way, when the process may open `limit` files and has `open` open now (either
/// unknown: nothing is limited).
pub fn budget(
    wanted: usize,
    most_waiting: usize,
    most_handover: usize,
    limit: Option<u64>,
    open: Option<u64>,
) -> PlaceBudget {
    let wanted = wanted.max(1);
    let (Some(limit), Some(open)) = (limit, open) else {
        return PlaceBudget {
            places: wanted,
            waiting: most_waiting,
            handover: most_handover,
            limited: false,
        };
    };
    let free = limit.saturating_sub(open).saturating_sub(RESERVE);
    // Three quarters for conversations, the rest for those on their way and waiting.
    let for_places = (free / 4 * 3 / PER_CONVERSATION).max(1);
    let places = (wanted as u64).min(for_places);
    let rest = free.saturating_sub(places * PER_CONVERSATION);
    let handover = (rest / 2).clamp(1, most_handover.max(1) as u64);
    let waiting = rest.saturating_sub(handover).min(most_waiting as u64);
    PlaceBudget {
        places: places as usize,
        waiting: waiting as usize,
        handover: handover as usize,
        limited: (places as usize) < wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(b: PlaceBudget) -> u64 {
        b.places as u64 * PER_CONVERSATION + b.waiting as u64 + b.handover as u64
    }

    #[test]
    fn a_high_limit_gives_every_place_asked_for() {
        let b = budget(200, 256, 64, Some(524_288), Some(40));
        assert_eq!(
            b,
            PlaceBudget {
                places: 200,
                waiting: 256,
                handover: 64,
                limited: false
            }
        );
    }

    #[test]
    fn under_a_low_limit_everything_fits_with_the_reserve_left() {
        for (limit, open) in [(256, 40), (1024, 40), (256, 200), (300, 20)] {
            let b = budget(200, 256, 64, Some(limit), Some(open));
            assert!(b.places >= 1);
            assert!(b.limited, "{limit}/{open}: {b:?}");
            assert!(
                files(b) + open + RESERVE <= limit.max(open + RESERVE + 5),
                "{limit}/{open}: {b:?} costs {}",
                files(b)
            );
        }
        let b = budget(200, 256, 64, Some(256), Some(40));
        assert_eq!(b.places, 31);
    }

    #[test]
    fn an_unknown_limit_limits_nothing() {
        let b = budget(5, 256, 64, None, Some(10));
        assert_eq!((b.places, b.waiting, b.limited), (5, 256, false));
    }

    #[test]
    fn one_at_a_time_stays_one() {
        let b = budget(1, 256, 64, Some(256), Some(40));
        assert_eq!((b.places, b.limited), (1, false));
    }
}
