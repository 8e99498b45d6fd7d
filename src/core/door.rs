//! The server's door: which new connection is let in, and which is closed at once, before
//! any welcome, so that one computer cannot take a classroom server's places.
//!
//! Three rules, asked in this order for every connection that arrives: an address the
//! operator blocked for this run is refused; an address that already holds its fair share
//! of live conversations ([`super::per_address`]) is refused; an address that opens new
//! conversations faster than a person could (a burst, then so many a second) is refused.
//! Every refusal is counted by address and reason, for the server line.
//!
//! "One computer" is one IPv4 address, or one IPv6 /64 (a single machine can take any
//! number of addresses inside its own /64); an IPv4 address seen through a dual-stack
//! socket (`::ffff:a.b.c.d`) is that IPv4 address. Every table here is bounded: the live
//! counts by the places and the waiting line, the rate buckets and the tally by a fixed
//! number of addresses.

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv6Addr};
use std::time::Instant;

use super::per_address::PerAddress;

/// How many new conversations one computer may open at once before the rate applies.
pub const DEFAULT_BURST: u32 = 8;

/// How many new conversations a second one computer may open beyond its burst.
pub const DEFAULT_PER_SECOND: u32 = 4;

/// At most this many computers have a rate bucket; beyond, a computer not yet seen is not
/// rate-limited until room is made (buckets that have refilled are forgotten first).
const MAX_BUCKETS: usize = 4096;

/// At most this many (computer, reason) pairs are counted one by one among the refused;
/// the others are counted together.
const MAX_TALLIED: usize = 256;

/// The door's rules for one server run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DoorRules {
    /// Live conversations (waiting ones included) one computer may hold; 0: no limit.
    pub per_address: usize,
    /// New conversations one computer may open at once.
    pub burst: u32,
    /// New conversations a second beyond the burst; 0: no rate.
    pub per_second: u32,
}

impl DoorRules {
    /// The default rules with `per_address` as the fair share: a computer may open twice
    /// its share of conversations at once (at least [`DEFAULT_BURST`]: it can fill its
    /// share and still come back at once after a bye), then [`DEFAULT_PER_SECOND`] a
    /// second. 0 (a class behind one NAT router, where every
    /// student is one address) turns off the share and the rate alike.
    pub fn with_per_address(per_address: usize) -> Self {
        DoorRules {
            per_address,
            burst: DEFAULT_BURST
                .max(u32::try_from(per_address.saturating_mul(2)).unwrap_or(u32::MAX)),
            per_second: if per_address == 0 {
                0
            } else {
                DEFAULT_PER_SECOND
            },
        }
    }
}

impl Default for DoorRules {
    fn default() -> Self {
        DoorRules::with_per_address(super::per_address::DEFAULT_PER_ADDRESS)
    }
}

/// Why a connection was closed before its welcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Refusal {
    /// The operator blocked its computer for this run.
    Blocked,
    /// Its computer already holds this many live conversations.
    TooMany {
        /// The fair share.
        limit: usize,
    },
    /// Its computer opens new conversations faster than this many a second.
    TooFast {
        /// The rate.
        per_second: u32,
    },
}

/// How many were refused from one computer for one reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The computer (see [`computer`]).
    pub from: IpAddr,
    /// Why.
    pub why: Refusal,
    /// How many times.
    pub count: u64,
}

/// Every refusal of this run so far: the total, and the computers one by one, most
/// refused first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// All refusals.
    pub total: u64,
    /// By computer and reason, most refused first (the first [`MAX_TALLIED`] pairs).
    pub by: Vec<Refused>,
    /// Refusals from computers beyond those.
    pub others: u64,
}

/// The computer an address belongs to, for the door's rules.
pub fn computer(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// A token bucket in thousandths of a conversation.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    milli: u64,
    at: Instant,
}

/// The door of one server run.
#[derive(Debug)]
pub struct Door {
    rules: DoorRules,
    live: PerAddress,
    buckets: HashMap<IpAddr, Bucket>,
    blocked: BTreeSet<IpAddr>,
    refused: HashMap<(IpAddr, Refusal), u64>,
    total: u64,
    others: u64,
}

impl Door {
    /// A door with these rules, nobody inside, nothing blocked.
    pub fn new(rules: DoorRules) -> Self {
        Door {
            rules,
            live: PerAddress::new(rules.per_address),
            buckets: HashMap::new(),
            blocked: BTreeSet::new(),
            refused: HashMap::new(),
            total: 0,
            others: 0,
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> DoorRules {
        self.rules
    }

    /// A connection from `addr` arrived at `now`: `Ok` lets it in (it counts as live until
    /// [`Door::left`]), `Err` says why it is closed at once (and counts it).
    pub fn arrive(&mut self, addr: IpAddr, now: Instant) -> Result<(), Refusal> {
        let who = computer(addr);
        let verdict = self.judge(who, now);
        match verdict {
            Ok(()) => {}
            Err(why) => self.count(who, why),
        }
        verdict
    }

    fn judge(&mut self, who: IpAddr, now: Instant) -> Result<(), Refusal> {
        if self.blocked.contains(&who) {
            return Err(Refusal::Blocked);
        }
        if !self.live.admit(who) {
            return Err(Refusal::TooMany {
                limit: self.rules.per_address,
            });
        }
        if !self.take_token(who, now) {
            self.live.left(who);
            return Err(Refusal::TooFast {
                per_second: self.rules.per_second,
            });
        }
        Ok(())
    }

    /// Takes one new conversation from `who`'s bucket, if the rate allows it.
    fn take_token(&mut self, who: IpAddr, now: Instant) -> bool {
        if self.rules.per_second == 0 {
            return true;
        }
        let full = u64::from(self.rules.burst.max(1)) * 1000;
        let per_second = u64::from(self.rules.per_second);
        if !self.buckets.contains_key(&who) && self.buckets.len() >= MAX_BUCKETS {
            // Forget the computers whose buckets are full again: they lose nothing.
            self.buckets
                .retain(|_, b| refilled(*b, now, per_second, full) < full);
            if self.buckets.len() >= MAX_BUCKETS {
                return true;
            }
        }
        let bucket = self.buckets.entry(who).or_insert(Bucket {
            milli: full,
            at: now,
        });
        bucket.milli = refilled(*bucket, now, per_second, full);
        bucket.at = now;
        if bucket.milli >= 1000 {
            bucket.milli -= 1000;
            true
        } else {
            false
        }
    }

    fn count(&mut self, who: IpAddr, why: Refusal) {
        self.total += 1;
        let tallied = self.refused.len();
        match self.refused.get_mut(&(who, why)) {
            Some(n) => *n += 1,
            None if tallied < MAX_TALLIED => {
                self.refused.insert((who, why), 1);
            }
            None => self.others += 1,
        }
    }

    /// A conversation (or waiting client) from `addr` is gone.
    pub fn left(&mut self, addr: IpAddr) {
        self.live.left(computer(addr));
    }

    /// Blocks `addr`'s computer for the rest of this run.
    pub fn block(&mut self, addr: IpAddr) {
        self.blocked.insert(computer(addr));
    }

    /// Lifts every block.
    pub fn unblock_all(&mut self) {
        self.blocked.clear();
    }

    /// The blocked computers, in order.
    pub fn blocked(&self) -> Vec<IpAddr> {
        self.blocked.iter().copied().collect()
    }

    /// Every refusal so far.
    pub fn tally(&self) -> Tally {
        let mut by: Vec<Refused> = self
            .refused
            .iter()
            .map(|(&(from, why), &count)| Refused { from, why, count })
            .collect();
        by.sort_by(|a, b| b.count.cmp(&a.count).then(a.from.cmp(&b.from)));
        Tally {
            total: self.total,
            by,
            others: self.others,
        }
    }
}

/// The bucket's content at `now`, never more than `full`.
fn refilled(b: Bucket, now: Instant, per_second: u64, full: u64) -> u64 {
    let gained = now.saturating_duration_since(b.at).as_millis() as u64 * per_second;
    b.milli.saturating_add(gained).min(full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn the_fair_share_refuses_the_ninth_and_counts_it() {
        let mut door = Door::new(DoorRules {
            per_second: 0,
            ..DoorRules::default()
        });
        let now = Instant::now();
        for _ in 0..8 {
            assert_eq!(door.arrive(ip(2), now), Ok(()));
        }
        assert_eq!(door.arrive(ip(2), now), Err(Refusal::TooMany { limit: 8 }));
        assert_eq!(door.arrive(ip(3), now), Ok(()));
        door.left(ip(2));
        assert_eq!(door.arrive(ip(2), now), Ok(()));
        let tally = door.tally();
        assert_eq!(tally.total, 1);
        assert_eq!(
            tally.by,
            vec![Refused {
                from: ip(2),
                why: Refusal::TooMany { limit: 8 },
                count: 1
            }]
        );
    }

    #[test]
    fn the_rate_allows_a_burst_then_so_many_a_second() {
        let mut door = Door::new(DoorRules {
            per_address: 0,
            burst: 3,
            per_second: 4,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(door.arrive(ip(2), t0), Ok(()));
        }
        assert_eq!(
            door.arrive(ip(2), t0),
            Err(Refusal::TooFast { per_second: 4 })
        );
        // A quarter of a second later, one more.
        let t1 = t0 + Duration::from_millis(250);
        assert_eq!(door.arrive(ip(2), t1), Ok(()));
        assert!(door.arrive(ip(2), t1).is_err());
        // Another computer has its own bucket.
        assert_eq!(door.arrive(ip(3), t1), Ok(()));
        // Ten seconds of quiet refill the burst, and no more.
        let t2 = t1 + Duration::from_secs(10);
        for _ in 0..3 {
            assert_eq!(door.arrive(ip(2), t2), Ok(()));
        }
        assert!(door.arrive(ip(2), t2).is_err());
    }

    #[test]
    fn a_refusal_for_speed_gives_its_place_back() {
        let mut door = Door::new(DoorRules {
            per_address: 2,
            burst: 1,
            per_second: 1,
        });
        let t0 = Instant::now();
        assert_eq!(door.arrive(ip(2), t0), Ok(()));
        assert!(door.arrive(ip(2), t0).is_err()); // too fast, not counted as live
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(door.arrive(ip(2), t1), Ok(())); // the second live one
    }

    #[test]
    fn a_blocked_computer_is_refused_until_the_blocks_are_cleared() {
        let mut door = Door::new(DoorRules::default());
        let now = Instant::now();
        door.block(ip(9));
        assert_eq!(door.arrive(ip(9), now), Err(Refusal::Blocked));
        assert_eq!(door.blocked(), vec![ip(9)]);
        door.unblock_all();
        assert_eq!(door.arrive(ip(9), now), Ok(()));
        assert!(door.blocked().is_empty());
    }

    #[test]
    fn one_computer_is_one_ipv4_address_or_one_ipv6_64() {
        let mapped: IpAddr = "::ffff:192.168.1.23".parse().unwrap_or(ip(0));
        assert_eq!(computer(mapped), IpAddr::from([192, 168, 1, 23]));
        let a: IpAddr = "fd00:1:2:3:aaaa::1".parse().unwrap_or(ip(0));
        let b: IpAddr = "fd00:1:2:3:bbbb::2".parse().unwrap_or(ip(0));
        let c: IpAddr = "fd00:1:2:4::1".parse().unwrap_or(ip(0));
        assert_eq!(computer(a), computer(b));
        assert_ne!(computer(a), computer(c));
        let mut door = Door::new(DoorRules {
            per_address: 1,
            per_second: 0,
            ..DoorRules::default()
        });
        let now = Instant::now();
        assert_eq!(door.arrive(a, now), Ok(()));
        assert!(door.arrive(b, now).is_err());
    }

    #[test]
    fn the_tables_stay_bounded_whatever_arrives() {
        let mut door = Door::new(DoorRules {
            per_address: 0,
            burst: 1,
            per_second: 1,
        });
        let now = Instant::now();
        for n in 0..20_000u32 {
            let addr = IpAddr::from(n.to_be_bytes());
            let _ = door.arrive(addr, now);
            let _ = door.arrive(addr, now); // each second one is too fast
        }
        assert!(door.buckets.len() <= MAX_BUCKETS);
        assert!(door.refused.len() <= MAX_TALLIED);
        let tally = door.tally();
        let listed: u64 = tally.by.iter().map(|r| r.count).sum();
        assert_eq!(listed + tally.others, tally.total);
    }
}
