//! A TurnChat client's own name, for the teacher's row: while connected, a client says
//! over multicast DNS (a DNS-SD service of its own type, [`NAME_SERVICE`]) its Name and
//! the local address and port of its chat connection; the server that hears it names the
//! conversation whose peer is that address. The chat connection itself carries nothing
//! new, so Python peers see exactly the reference protocol.
//!
//! Nothing said is taken on trust beyond what it can be checked against: the address said
//! must be the address of the computer the packet came from (so a student cannot name a
//! classmate's connection), it must be a live conversation's peer address and port, the
//! name is cut to [`MAX_SAID_BYTES`], and it is shown as asserted (never over a
//! class-list or typed name; `crate::state::names`). Pure: the packets are read in
//! `crate::core::mdns_wire` and heard in `crate::net::said_name`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};

use crate::core::mdns_wire::TxtPair;

/// The DNS-SD service type a client's name is said under.
pub const NAME_SERVICE: &str = "_turnchat-name._tcp.local.";
/// The most bytes of a said name that are read.
pub const MAX_SAID_BYTES: usize = 200;

/// A name a client said about its own connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SaidName {
    /// The client's end of the chat connection (the server's peer address).
    pub at: SocketAddrV4,
    /// The name, as said (cut to [`MAX_SAID_BYTES`] at a character boundary).
    pub name: String,
}

/// The instance name a client says its name under: its connection's address, with
/// dashes for the dots (a dot would start a DNS label), unique per connection.
pub fn instance_for(at: SocketAddrV4) -> String {
    let ip = at.ip().octets().map(|o| o.to_string()).join("-");
    format!("tc-{ip}-{}", at.port())
}

/// What the TXT record says: `name` and `at`.
pub fn txt_for(said: &SaidName) -> Vec<(&'static str, String)> {
    vec![
        ("name", cut(&said.name).to_owned()),
        ("at", said.at.to_string()),
    ]
}

/// The name cut to at most [`MAX_SAID_BYTES`] bytes, at a character boundary.
fn cut(name: &str) -> &str {
    let mut end = name.len().min(MAX_SAID_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// Reads a TXT record's `key=value` pairs heard from the computer `from` as a said name:
/// `None` unless it has a name and an `at` that is an IPv4 address:port on `from` itself.
pub fn read_said(from: Ipv4Addr, pairs: &[TxtPair]) -> Option<SaidName> {
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
    };
    let at: SocketAddrV4 = std::str::from_utf8(value("at")?).ok()?.parse().ok()?;
    if *at.ip() != from {
        return None;
    }
    let raw = value("name")?;
    let raw = &raw[..raw.len().min(MAX_SAID_BYTES)];
    let text = String::from_utf8_lossy(raw);
    // A cut in the middle of a character leaves a replacement at the end: drop it.
    let name = text.trim_end_matches('\u{FFFD}').trim();
    if name.is_empty() {
        return None;
    }
    Some(SaidName {
        at,
        name: name.to_owned(),
    })
}

/// The live conversation a said name belongs to: the peer whose address and port are the
/// ones said (an IPv4-mapped IPv6 peer counts as IPv4), if any.
pub fn peer_for(said: &SaidName, live_peers: &[SocketAddr]) -> Option<SocketAddr> {
    live_peers.iter().copied().find(|peer| {
        let ip = match peer.ip() {
            IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map(IpAddr::V4)
                .unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        ip == IpAddr::V4(*said.at.ip()) && peer.port() == said.at.port()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), v.to_vec()))
            .collect()
    }

    #[test]
    fn a_name_is_taken_only_from_the_computer_it_names() {
        let from = Ipv4Addr::new(10, 0, 0, 2);
        let said = read_said(
            from,
            &pairs(&[("name", "李雷".as_bytes()), ("at", b"10.0.0.2:43122")]),
        );
        assert_eq!(
            said,
            Some(SaidName {
                at: "10.0.0.2:43122".parse().expect("addr"),
                name: "李雷".into()
            })
        );
        // Another computer naming this one's connection is not heard.
        let other = Ipv4Addr::new(10, 0, 0, 3);
        assert_eq!(
            read_said(other, &pairs(&[("name", b"x"), ("at", b"10.0.0.2:43122")])),
            None
        );
        // No name, a blank one, no port, or not an address: nothing.
        assert_eq!(read_said(from, &pairs(&[("at", b"10.0.0.2:1")])), None);
        assert_eq!(
            read_said(from, &pairs(&[("name", b"  "), ("at", b"10.0.0.2:1")])),
            None
        );
        assert_eq!(
            read_said(from, &pairs(&[("name", b"a"), ("at", b"10.0.0.2")])),
            None
        );
        assert_eq!(
            read_said(from, &pairs(&[("name", b"a"), ("at", b"[::1]:5")])),
            None
        );
    }

    #[test]
    fn long_names_are_cut_at_a_character() {
        let long = "名".repeat(100);
        let said = read_said(
            Ipv4Addr::new(10, 0, 0, 2),
            &pairs(&[("name", long.as_bytes()), ("at", b"10.0.0.2:1")]),
        )
        .expect("said");
        assert_eq!(said.name, "名".repeat(MAX_SAID_BYTES / 3));
        let txt = txt_for(&SaidName {
            at: "10.0.0.2:1".parse().expect("addr"),
            name: long,
        });
        assert!(txt[0].1.len() <= MAX_SAID_BYTES);
        assert!(txt[0].1.chars().all(|c| c == '名'));
    }

    #[test]
    fn a_said_name_matches_the_conversation_with_that_address_and_port() {
        let said = SaidName {
            at: "10.0.0.2:43122".parse().expect("addr"),
            name: "李雷".into(),
        };
        let peers: Vec<SocketAddr> = [
            "10.0.0.2:43121",
            "10.0.0.3:43122",
            "[::ffff:10.0.0.2]:43122",
        ]
        .iter()
        .map(|s| s.parse().expect("addr"))
        .collect();
        assert_eq!(peer_for(&said, &peers), Some(peers[2]));
        assert_eq!(peer_for(&said, &peers[..2]), None);
        assert_eq!(instance_for(said.at), "tc-10-0-0-2-43122");
    }
}
