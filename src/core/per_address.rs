//! A fair share for every computer: at most so many live conversations from one source
//! address (8 by default; 0 means no limit, for a class behind one NAT router). Pure
//! counting; the listener asks before it welcomes anyone and says when a conversation ends.

use std::collections::HashMap;
use std::net::IpAddr;

/// The default number of live conversations one address may hold.
pub const DEFAULT_PER_ADDRESS: usize = 8;

/// Live conversations per source address, and how many were refused from each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PerAddress {
    limit: usize,
    live: HashMap<IpAddr, usize>,
    refused: HashMap<IpAddr, u64>,
}

impl PerAddress {
    /// At most `limit` live conversations from one address (0: no limit).
    pub fn new(limit: usize) -> Self {
        PerAddress {
            limit,
            ..PerAddress::default()
        }
    }

    /// A connection from `addr` arrived: true if it may be served (and it now counts as
    /// live), false if it is over the limit (it is counted as refused).
    pub fn admit(&mut self, addr: IpAddr) -> bool {
        let live = self.live.entry(addr).or_insert(0);
        if self.limit != 0 && *live >= self.limit {
            *self.refused.entry(addr).or_insert(0) += 1;
            return false;
        }
        *live += 1;
        true
    }

    /// A conversation from `addr` ended.
    pub fn left(&mut self, addr: IpAddr) {
        if let Some(live) = self.live.get_mut(&addr) {
            *live = live.saturating_sub(1);
            if *live == 0 {
                self.live.remove(&addr);
            }
        }
    }

    /// How many were refused from `addr` so far.
    pub fn refused(&self, addr: IpAddr) -> u64 {
        self.refused.get(&addr).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn the_ninth_from_one_address_is_refused_and_counted_others_are_not() {
        let mut p = PerAddress::new(DEFAULT_PER_ADDRESS);
        for _ in 0..8 {
            assert!(p.admit(ip(2)));
        }
        assert!(!p.admit(ip(2)));
        assert!(!p.admit(ip(2)));
        assert_eq!(p.refused(ip(2)), 2);
        assert!(p.admit(ip(3)));
        assert_eq!(p.refused(ip(3)), 0);
    }

    #[test]
    fn a_conversation_that_ends_makes_room_for_its_address() {
        let mut p = PerAddress::new(1);
        assert!(p.admit(ip(2)));
        assert!(!p.admit(ip(2)));
        p.left(ip(2));
        assert!(p.admit(ip(2)));
    }

    #[test]
    fn zero_means_no_limit() {
        let mut p = PerAddress::new(0);
        assert!((0..1000).all(|_| p.admit(ip(2))));
        assert_eq!(p.refused(ip(2)), 0);
    }
}
