//! Trust on first use as the window runs it (issue 24, item 2): which connects remember a
//! server's name, when a click on a listed server asks first, and when the names reached
//! before ([`crate::core::tofu`]) are written to disk.
//!
//! - A click on a row whose name was reached at another address before asks once
//!   ([`TrustFlow::clicked`] gives [`Clicked::Ask`]); "Connect anyway" connects and the
//!   name is then remembered where it was reached, "Cancel" connects nowhere.
//! - A connect to a listed server (a click, or a typed address where one is listed)
//!   remembers its name only once the connection is made ([`TrustFlow::connected`]): a
//!   connect that fails teaches nothing. A typed address where a moved name is listed
//!   remembers nothing, since nobody said "Connect anyway" to it.
//! - Saves never overlap: one runs at a time, and changes made meanwhile are written by
//!   one more save when it ends ([`TrustFlow::save_wanted`], [`TrustFlow::save_done`]), so
//!   the file always ends up holding the latest names.
//!
//! Pure: the app looks the trust up in the live list, starts the connect and the save job.

use std::net::{IpAddr, SocketAddr};

use crate::core::tofu::Trust;

/// The question on screen: connect to a name that was reached somewhere else before?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The name as announced.
    pub name: String,
    /// Where a yes connects.
    pub addr: SocketAddr,
    /// Where the name was reached before (or is pinned).
    pub was: IpAddr,
    /// Whether the user pinned it there.
    pub pinned: bool,
}

/// What a click on a listed server leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clicked {
    /// Connect now.
    Connect,
    /// Ask first ([`TrustFlow::question`]).
    Ask,
}

/// The connect under way to a listed server, the question on screen, and the saves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustFlow {
    question: Option<Question>,
    /// The listed name a connect under way is to, and where.
    reaching: Option<(String, SocketAddr)>,
    /// A save job is running.
    saving: bool,
    /// The names changed while it ran: one more save when it ends.
    dirty: bool,
}

impl TrustFlow {
    /// The user clicked the row of `name` at `addr`, about which the names reached before
    /// say `trust`.
    pub fn clicked(&mut self, name: &str, addr: SocketAddr, trust: Trust) -> Clicked {
        match trust {
            Trust::Moved { was, pinned } => {
                self.question = Some(Question {
                    name: name.to_owned(),
                    addr,
                    was,
                    pinned,
                });
                Clicked::Ask
            }
            Trust::New | Trust::Known { .. } => {
                self.reaching = Some((name.to_owned(), addr));
                Clicked::Connect
            }
        }
    }

    /// The user typed `addr` and clicked Connect; `listed` is the one server listed at
    /// that address (its name and trust), if there is exactly one.
    pub fn typed(&mut self, addr: Option<SocketAddr>, listed: Option<(&str, Trust)>) {
        self.reaching = match (addr, listed) {
            (Some(addr), Some((name, trust))) if !trust.asks() => Some((name.to_owned(), addr)),
            _ => None,
        };
    }

    /// The question on screen, if one is.
    pub fn question(&self) -> Option<&Question> {
        self.question.as_ref()
    }

    /// The user answered: `connect` is "Connect anyway". Returns where to connect.
    pub fn answered(&mut self, connect: bool) -> Option<SocketAddr> {
        let q = self.question.take()?;
        if !connect {
            return None;
        }
        self.reaching = Some((q.name, q.addr));
        Some(q.addr)
    }

    /// A connection as a client was made to `peer`: the listed name it was to, if it was
    /// to one (then that name is reached there).
    pub fn connected(&mut self, peer: SocketAddr) -> Option<(String, SocketAddr)> {
        match &self.reaching {
            Some((_, addr)) if *addr == peer => self.reaching.take(),
            _ => None,
        }
    }

    /// The names changed: whether to start a save job now (else one runs, and another
    /// follows it).
    pub fn save_wanted(&mut self) -> bool {
        if self.saving {
            self.dirty = true;
            false
        } else {
            self.saving = true;
            true
        }
    }

    /// The save job ended (or could not start): whether to start another at once.
    pub fn save_done(&mut self) -> bool {
        if std::mem::take(&mut self.dirty) {
            true
        } else {
            self.saving = false;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> SocketAddr {
        s.parse().expect("addr")
    }

    #[test]
    fn a_new_or_known_name_connects_and_is_reached_only_once_connected() {
        let mut t = TrustFlow::default();
        let a = at("192.168.1.10:8888");
        assert_eq!(t.clicked("王老师", a, Trust::New), Clicked::Connect);
        assert_eq!(t.question(), None);
        // Another connection (a server of our own, say) is not the one clicked.
        assert_eq!(t.connected(at("192.168.1.11:8888")), None);
        assert_eq!(t.connected(a), Some(("王老师".into(), a)));
        // Once only: a reconnect to it later has nothing more to teach.
        assert_eq!(t.connected(a), None);
        let known = Trust::Known { pinned: true };
        assert_eq!(t.clicked("王老师", a, known), Clicked::Connect);
        assert_eq!(t.connected(a), Some(("王老师".into(), a)));
    }

    #[test]
    fn a_moved_name_asks_once_cancel_connects_nowhere_and_yes_is_reached() {
        let mut t = TrustFlow::default();
        let spoof = at("192.168.1.66:8888");
        let moved = Trust::Moved {
            was: "192.168.1.10".parse().expect("ip"),
            pinned: false,
        };
        assert_eq!(t.clicked("王老师", spoof, moved), Clicked::Ask);
        let q = t.question().expect("asked").clone();
        assert_eq!((q.addr, q.was.to_string()), (spoof, "192.168.1.10".into()));
        assert_eq!(t.answered(false), None);
        assert_eq!(t.question(), None);
        // Cancelled: even a connection to that address teaches nothing.
        assert_eq!(t.connected(spoof), None);
        // Asked again on the next click, once: Connect anyway.
        assert_eq!(t.clicked("王老师", spoof, moved), Clicked::Ask);
        assert_eq!(t.answered(true), Some(spoof));
        assert_eq!(t.answered(true), None, "one answer per question");
        assert_eq!(t.connected(spoof), Some(("王老师".into(), spoof)));
    }

    #[test]
    fn a_typed_address_remembers_a_listed_name_unless_it_moved() {
        let mut t = TrustFlow::default();
        let a = at("10.0.0.5:8888");
        t.typed(Some(a), Some(("teacher", Trust::New)));
        assert_eq!(t.connected(a), Some(("teacher".into(), a)));
        let moved = Trust::Moved {
            was: "10.0.0.1".parse().expect("ip"),
            pinned: true,
        };
        t.typed(Some(a), Some(("teacher", moved)));
        assert_eq!(t.connected(a), None);
        // A click's name is forgotten by a typed connect to an unlisted address.
        t.clicked("teacher", a, Trust::New);
        t.typed(Some(at("10.0.0.9:8888")), None);
        assert_eq!(t.connected(a), None);
        t.clicked("teacher", a, Trust::New);
        t.typed(None, None);
        assert_eq!(t.connected(a), None);
    }

    #[test]
    fn saves_never_overlap_and_the_last_change_is_written() {
        let mut t = TrustFlow::default();
        assert!(t.save_wanted(), "the first change starts a save");
        assert!(!t.save_wanted(), "a change while it runs waits");
        assert!(!t.save_wanted(), "and folds with the next");
        assert!(t.save_done(), "one more save for what changed meanwhile");
        assert!(!t.save_done(), "nothing changed since: done");
        assert!(t.save_wanted(), "idle again: the next change saves at once");
        assert!(!t.save_done());
    }
}
