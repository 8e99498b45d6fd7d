//! Trust on first use for server names: the first address a name was reached at on a
//! network, kept across runs, so that a name that later shows up at another computer (or
//! is announced by a second server) is warned about, and connecting to it asks once.
//!
//! A network is keyed simply: the IPv4 /24 of the local address an announcement came in
//! on ([`network_of`]). Names are compared by what they look like
//! ([`crate::core::lookalike::look_key`]), so "王\u{200B}老师" counts as "王老师".
//!
//! Pure: the desktop shell reads and writes the entries ([`KnownServers::entries`],
//! [`KnownServers::from_entries`]); at most [`KNOWN_KEPT`] names are kept, the one reached
//! least recently forgotten first.

use std::net::{IpAddr, Ipv4Addr};

use crate::core::lookalike::look_key;

/// How many names are remembered, over all networks.
pub const KNOWN_KEPT: usize = 256;

/// The network an address belongs to, as TurnChat keys it: its IPv4 /24
/// (`192.168.1.0/24`); an IPv6 address is its own network.
pub fn network_of(local: IpAddr) -> String {
    match local {
        IpAddr::V4(ip) => {
            let [a, b, c, _] = ip.octets();
            format!("{}/24", Ipv4Addr::new(a, b, c, 0))
        }
        IpAddr::V6(ip) => ip.to_string(),
    }
}

/// The network of a server at `server`, as seen from this computer's IPv4 interfaces
/// `locals` (address, netmask): the /24 of the local address on the server's subnet, else
/// the /24 of the server's own address.
pub fn network_for(server: IpAddr, locals: &[(Ipv4Addr, Ipv4Addr)]) -> String {
    if let IpAddr::V4(a) = server
        && let Some((ip, _)) = locals.iter().find(|(ip, mask)| {
            let m = u32::from(*mask);
            m != 0 && u32::from(*ip) & m == u32::from(a) & m
        })
    {
        return network_of(IpAddr::V4(*ip));
    }
    network_of(server)
}

/// One name remembered on one network.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KnownServer {
    /// The network ([`network_of`]).
    pub network: String,
    /// What the name looks like ([`look_key`]).
    pub name: String,
    /// The address it was first reached at (or pinned to).
    pub addr: IpAddr,
    /// Whether the user pinned it: another address is always warned about, and reaching
    /// the name elsewhere does not move it.
    #[serde(default)]
    pub pinned: bool,
}

/// What is known about a name heard at an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Never reached on this network.
    New,
    /// Reached here before, at this same address.
    Known {
        /// Whether it is pinned.
        pinned: bool,
    },
    /// Reached here before at another address: the row warns and a connect asks once.
    Moved {
        /// The address it was at.
        was: IpAddr,
        /// Whether it is pinned there.
        pinned: bool,
    },
}

impl Trust {
    /// Whether connecting must ask first.
    pub fn asks(&self) -> bool {
        matches!(self, Trust::Moved { .. })
    }
}

/// The names remembered, least recently reached first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownServers {
    entries: Vec<KnownServer>,
}

impl KnownServers {
    /// The names read back from disk: duplicates after the first dropped (the later one
    /// wins), names re-keyed by [`look_key`], at most [`KNOWN_KEPT`] (the newest).
    pub fn from_entries(entries: Vec<KnownServer>) -> Self {
        let mut known = KnownServers::default();
        for mut e in entries {
            e.name = look_key(&e.name);
            known.put(e);
        }
        known
    }

    /// The names, least recently reached first (what is written to disk).
    pub fn entries(&self) -> &[KnownServer] {
        &self.entries
    }

    fn find(&self, network: &str, look: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.network == network && e.name == look)
    }

    fn put(&mut self, entry: KnownServer) {
        if let Some(i) = self.find(&entry.network, &entry.name) {
            self.entries.remove(i);
        }
        if self.entries.len() >= KNOWN_KEPT {
            self.entries.remove(0);
        }
        self.entries.push(entry);
    }

    /// What is known about `name` heard at `addr` on `network`.
    pub fn trust(&self, network: &str, name: &str, addr: IpAddr) -> Trust {
        let Some(i) = self.find(network, &look_key(name)) else {
            return Trust::New;
        };
        let e = &self.entries[i];
        if e.addr == addr {
            Trust::Known { pinned: e.pinned }
        } else {
            Trust::Moved {
                was: e.addr,
                pinned: e.pinned,
            }
        }
    }

    /// The user reached `name` at `addr` (connected, after saying "Connect anyway" when
    /// asked). A new name is remembered at `addr`; an unpinned one moves to `addr`; a pinned
    /// one stays where it is pinned. Returns whether anything changed (worth a save).
    pub fn reached(&mut self, network: &str, name: &str, addr: IpAddr) -> bool {
        let look = look_key(name);
        let entry = match self.find(network, &look) {
            Some(i) if self.entries[i].pinned => self.entries[i].clone(),
            Some(i) => KnownServer {
                addr,
                ..self.entries[i].clone()
            },
            None => KnownServer {
                network: network.to_owned(),
                name: look,
                addr,
                pinned: false,
            },
        };
        let before = self.entries.clone();
        self.put(entry);
        self.entries != before
    }

    /// Pins `name` to `addr` on `network` (the user connected there), or unpins it.
    pub fn set_pinned(&mut self, network: &str, name: &str, addr: IpAddr, pinned: bool) {
        let look = look_key(name);
        self.put(KnownServer {
            network: network.to_owned(),
            name: look,
            addr,
            pinned,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    const NET: &str = "192.168.1.0/24";

    #[test]
    fn networks_are_the_v4_slash_24() {
        assert_eq!(network_of(ip("192.168.1.77")), "192.168.1.0/24");
        assert_eq!(network_of(ip("10.0.3.1")), "10.0.3.0/24");
        assert_eq!(network_of(ip("fe80::1")), "fe80::1");
        let locals = [(Ipv4Addr::new(10, 78, 0, 2), Ipv4Addr::new(255, 255, 0, 0))];
        assert_eq!(network_for(ip("10.78.5.9"), &locals), "10.78.0.0/24");
        assert_eq!(network_for(ip("192.168.1.9"), &locals), "192.168.1.0/24");
    }

    #[test]
    fn the_first_address_reached_is_trusted() {
        let mut k = KnownServers::default();
        assert_eq!(k.trust(NET, "王老师", ip("192.168.1.10")), Trust::New);
        assert!(!Trust::New.asks());
        assert!(k.reached(NET, "王老师", ip("192.168.1.10")));
        assert_eq!(
            k.trust(NET, "王老师", ip("192.168.1.10")),
            Trust::Known { pinned: false }
        );
        // Another network knows nothing of it.
        assert_eq!(k.trust("10.0.0.0/24", "王老师", ip("10.0.0.5")), Trust::New);
    }

    #[test]
    fn a_known_name_at_another_address_has_moved_and_asks() {
        let mut k = KnownServers::default();
        k.reached(NET, "王老师", ip("192.168.1.10"));
        let t = k.trust(NET, "王\u{200B}老师", ip("192.168.1.66"));
        assert_eq!(
            t,
            Trust::Moved {
                was: ip("192.168.1.10"),
                pinned: false
            }
        );
        assert!(t.asks());
        // Connect anyway: the name now lives at the new address.
        assert!(k.reached(NET, "王老师", ip("192.168.1.66")));
        assert_eq!(
            k.trust(NET, "王老师", ip("192.168.1.66")),
            Trust::Known { pinned: false }
        );
    }

    #[test]
    fn a_pinned_name_does_not_move() {
        let mut k = KnownServers::default();
        k.reached(NET, "teacher", ip("192.168.1.10"));
        k.set_pinned(NET, "teacher", ip("192.168.1.10"), true);
        assert!(!k.reached(NET, "teacher", ip("192.168.1.66")));
        assert_eq!(
            k.trust(NET, "TEACHER", ip("192.168.1.66")),
            Trust::Moved {
                was: ip("192.168.1.10"),
                pinned: true
            }
        );
        assert_eq!(
            k.trust(NET, "teacher", ip("192.168.1.10")),
            Trust::Known { pinned: true }
        );
        k.set_pinned(NET, "teacher", ip("192.168.1.10"), false);
        assert!(k.reached(NET, "teacher", ip("192.168.1.66")));
    }

    #[test]
    fn at_most_kept_names_the_least_recently_reached_out() {
        let mut k = KnownServers::default();
        for n in 0..KNOWN_KEPT {
            k.reached(NET, &format!("s{n}"), ip("192.168.1.10"));
        }
        // Reaching s0 again makes it the newest; s1 is then the oldest.
        k.reached(NET, "s0", ip("192.168.1.10"));
        k.reached(NET, "one more", ip("192.168.1.11"));
        assert_eq!(k.entries().len(), KNOWN_KEPT);
        assert_eq!(k.trust(NET, "s1", ip("192.168.1.10")), Trust::New);
        assert_ne!(k.trust(NET, "s0", ip("192.168.1.10")), Trust::New);
        let again = KnownServers::from_entries(k.entries().to_vec());
        assert_eq!(again, k);
        let mut many = k.entries().to_vec();
        many.extend(k.entries().iter().cloned());
        assert_eq!(KnownServers::from_entries(many).entries().len(), KNOWN_KEPT);
    }
}
