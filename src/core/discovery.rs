//! LAN discovery without the network: what a server puts in its DNS-SD announcement, how
//! a client reads one, the live list of servers found, the pace of re-announcements, and
//! the waits of auto-reconnect.
//!
//! The multicast DNS itself (the `mdns-sd` daemon) lives in `crate::net::discovery`; it
//! turns what it hears into [`DiscoveryEvent`]s and what it must say from an [`Advert`].
//! Everything here is deterministic: clocks come in as arguments, randomness as a seed.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use super::bounded::BoundedMap;
use super::codec::WireEncoding;
use super::lookalike::{Marks, look_key};
use super::tofu::{KnownServers, Trust, network_for};
use super::turn::TurnPolicy;

/// The DNS-SD service type TurnChat servers announce and clients browse for.
pub const SERVICE_TYPE: &str = "_turnchat._tcp.local.";

/// The version of the chat protocol in the TXT record: 1 is the reference protocol
/// (`PROTOCOL.md`), whatever the encoding and turn mode.
pub const PROTOCOL_VERSION: u32 = 1;

/// The longest instance name DNS allows (one label: 63 bytes).
pub const MAX_NAME_BYTES: usize = 63;

/// TXT keys. Short, as DNS-SD recommends; every value is ASCII.
mod key {
    pub const PROTOCOL: &str = "proto";
    pub const ENCODING: &str = "enc";
    pub const TURNS: &str = "turns";
    pub const STATE: &str = "state";
    pub const CONVERSATIONS: &str = "conv";
}

/// What a listening server tells the network about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advert {
    /// The instance name people see (already cut to [`MAX_NAME_BYTES`]).
    pub name: String,
    /// The TCP port it listens on.
    pub port: u16,
    /// Its wire encoding.
    pub encoding: WireEncoding,
    /// Its turn mode.
    pub policy: TurnPolicy,
    /// How many conversations it has right now.
    pub conversations: usize,
    /// How many it holds at once; when all places are taken it is busy (a new client waits).
    pub capacity: usize,
}

impl Advert {
    /// Whether a client connecting now would have to wait for a place.
    pub fn busy(&self) -> bool {
        self.conversations >= self.capacity.max(1)
    }

    /// The TXT record: (key, value) pairs, ASCII.
    pub fn txt(&self) -> Vec<(&'static str, String)> {
        vec![
            (key::PROTOCOL, PROTOCOL_VERSION.to_string()),
            (key::ENCODING, self.encoding.label().to_owned()),
            (
                key::TURNS,
                match self.policy {
                    TurnPolicy::Strict => "strict",
                    TurnPolicy::Free => "free",
                }
                .to_owned(),
            ),
            (
                key::STATE,
                if self.busy() { "busy" } else { "free" }.to_owned(),
            ),
            (key::CONVERSATIONS, self.conversations.to_string()),
        ]
    }

    /// Whether `other` differs from this one in anything the TXT record or the
    /// registration carries (then it must be announced again).
    pub fn needs_announcing(&self, other: &Advert) -> bool {
        self.name != other.name || self.port != other.port || self.txt() != other.txt()
    }
}

/// What a TXT record said, as far as it could be read. Unknown keys are ignored and
/// missing or unreadable values are `None`, so a newer or older TurnChat is still listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxtInfo {
    /// The protocol version.
    pub protocol: Option<u32>,
    /// The encoding's label as sent (may name an encoding this version does not know).
    pub encoding_label: Option<String>,
    /// The encoding, when this version knows it.
    pub encoding: Option<WireEncoding>,
    /// The turn mode.
    pub policy: Option<TurnPolicy>,
    /// Whether the server said it is busy (`None`: it did not say).
    pub busy: Option<bool>,
    /// How many conversations it has.
    pub conversations: Option<usize>,
}

/// Reads a TXT record given as (key, value) pairs. Keys are matched without regard to
/// case, as DNS-SD asks; the first occurrence of a key wins.
pub fn parse_txt<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> TxtInfo {
    let mut info = TxtInfo::default();
    let mut seen: Vec<String> = Vec::new();
    for (k, v) in pairs {
        let k = k.to_ascii_lowercase();
        if seen.contains(&k) {
            continue;
        }
        let v = v.trim();
        match k.as_str() {
            key::PROTOCOL => info.protocol = v.parse().ok(),
            key::ENCODING => {
                info.encoding = WireEncoding::from_label(v);
                info.encoding_label = (!v.is_empty()).then(|| v.to_owned());
            }
            key::TURNS => {
                info.policy = match v {
                    "strict" => Some(TurnPolicy::Strict),
                    "free" => Some(TurnPolicy::Free),
                    _ => None,
                }
            }
            key::STATE => {
                info.busy = match v {
                    "busy" => Some(true),
                    "free" => Some(false),
                    _ => None,
                }
            }
            key::CONVERSATIONS => info.conversations = v.parse().ok(),
            _ => {}
        }
        seen.push(k);
    }
    info
}

/// The default instance name: the user's name and the computer's name, such as
/// "li@PC-12" (the same in every language). Either may be missing.
pub fn default_name(user: Option<&str>, computer: Option<&str>) -> String {
    let user = user.map(str::trim).filter(|s| !s.is_empty());
    let computer = computer.map(str::trim).filter(|s| !s.is_empty());
    let name = match (user, computer) {
        (Some(u), Some(c)) => format!("{u}@{c}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => "TurnChat".to_owned(),
    };
    instance_name(&name)
}

/// `name` as an instance name: trimmed, control characters removed, cut at a character
/// boundary to [`MAX_NAME_BYTES`]; "TurnChat" when nothing is left.
pub fn instance_name(name: &str) -> String {
    let clean: String = name.trim().chars().filter(|c| !c.is_control()).collect();
    let mut cut = String::new();
    for c in clean.chars() {
        if cut.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        cut.push(c);
    }
    let cut = cut.trim_end().to_owned();
    if cut.is_empty() {
        "TurnChat".to_owned()
    } else {
        cut
    }
}

/// A server found on the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundServer {
    /// Its DNS-SD full name: unique on the network, the key of the live list.
    pub key: String,
    /// The instance name people see.
    pub name: String,
    /// Where to connect.
    pub addr: SocketAddr,
    /// What its TXT record said.
    pub txt: TxtInfo,
}

impl FoundServer {
    /// Whether it said it is busy (a server that did not say counts as free).
    pub fn busy(&self) -> bool {
        self.txt.busy.unwrap_or(false)
    }

    /// The encoding's label, or "?" when it did not say.
    pub fn encoding_label(&self) -> &str {
        self.txt.encoding_label.as_deref().unwrap_or("?")
    }
}

/// Which of a server's announced IPv4 addresses to connect to: the first (lowest) one on
/// a subnet of this computer's `local` interfaces (address, netmask), so that a server with
/// several networks (a LAN and a virtual machine's bridge, say) is reached on the one both
/// computers share; else the lowest. `None` if there is none.
pub fn pick_address(
    announced: impl IntoIterator<Item = std::net::Ipv4Addr>,
    local: &[(std::net::Ipv4Addr, std::net::Ipv4Addr)],
) -> Option<std::net::Ipv4Addr> {
    let mut all: Vec<std::net::Ipv4Addr> = announced.into_iter().collect();
    all.sort();
    let shared = |a: &std::net::Ipv4Addr| {
        local.iter().any(|(ip, mask)| {
            let m = u32::from(*mask);
            m != 0 && u32::from(*ip) & m == u32::from(*a) & m
        })
    };
    all.iter().copied().find(shared).or(all.first().copied())
}

/// Why discovery is not working. Worded in `crate::words::discovery`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryProblem {
    /// No network interface that can multicast is up (only loopback, or nothing).
    NoMulticastInterface,
    /// The multicast DNS service could not start (the socket could not be opened:
    /// UDP port 5353, or the system refused).
    CannotStart {
        /// What the system said, for the log.
        detail: String,
    },
    /// The server could not be announced.
    AnnounceFailed {
        /// What the system said, for the log.
        detail: String,
    },
}

/// What the discovery shell reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryEvent {
    /// A server was found, or what it says changed.
    Found(FoundServer),
    /// A server withdrew (goodbye) or its records expired.
    Gone {
        /// Its [`FoundServer::key`].
        key: String,
    },
    /// A server answered when its address was asked directly (another subnet; see
    /// `crate::net::probe`): listed as [`DiscoveryEvent::Found`] is, marked as found by
    /// asking.
    Asked(FoundServer),
    /// Discovery cannot work (browsing or announcing).
    Problem(DiscoveryProblem),
    /// A packet carrying the SRV record of the server `key` came from `from`: the
    /// computer that announced it, whatever A records anyone sends for its host name.
    Heard {
        /// Its [`FoundServer::key`] (matched without regard to ASCII case).
        key: String,
        /// The packet's source address.
        from: Ipv4Addr,
    },
}

/// How long a server stays listed without being heard again, if neither a goodbye nor
/// an expiry from the daemon removes it first: the host records' TTL (RFC 6762: 120 s).
pub const STALE_AFTER: Duration = Duration::from_secs(120);

/// The servers found, live: a reducer over [`DiscoveryEvent`]s with expiry.
#[derive(Clone, Debug)]
pub struct LiveList {
    /// Each server, when it expires, and what its name looks like ([`look_key`]).
    servers: BTreeMap<String, (FoundServer, Instant, String)>,
    problem: Option<DiscoveryProblem>,
    /// The address each name (by [`look_key`]) was first seen at, in the order first seen
    /// (at most [`FIRST_SEEN_KEPT`]: the oldest is forgotten first).
    first_seen: BoundedMap<SocketAddr>,
    /// The addresses announcements of each server (by lower-case key) came from, the
    /// latest last; at most [`SOURCES_KEPT`] a server and [`FIRST_SEEN_KEPT`] servers.
    heard: BoundedMap<Vec<Ipv4Addr>>,
    /// How many servers were dropped to keep the list at [`MAX_LISTED`].
    dropped: usize,
    /// The names reached in earlier runs, per network (trust on first use).
    known: KnownServers,
    /// This computer's IPv4 interfaces (address, netmask), which say the network of a row.
    locals: Vec<(Ipv4Addr, Ipv4Addr)>,
    /// The listed servers found by asking their address (by key).
    asked: std::collections::BTreeSet<String>,
}

impl Default for LiveList {
    fn default() -> Self {
        LiveList {
            servers: BTreeMap::new(),
            problem: None,
            first_seen: BoundedMap::new(FIRST_SEEN_KEPT),
            heard: BoundedMap::new(FIRST_SEEN_KEPT),
            dropped: 0,
            known: KnownServers::default(),
            locals: Vec::new(),
            asked: std::collections::BTreeSet::new(),
        }
    }
}

/// The most servers listed at once: past it, the one heard from least recently leaves
/// the list (a flood of made-up servers cannot grow the list, or bury the real ones for
/// longer than they stay quiet).
pub const MAX_LISTED: usize = 256;

/// How many source addresses are kept for one server (a server with several networks
/// is heard on each that this computer shares).
pub const SOURCES_KEPT: usize = 4;

/// How many names the list remembers the first address of.
pub const FIRST_SEEN_KEPT: usize = 1024;

/// A server listed, with what its row warns about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    /// The server.
    pub server: &'a FoundServer,
    /// Where a click connects: the announced address when an announcement of this
    /// server came from it, else the address the latest announcement came from, else
    /// (nothing heard yet) the announced one.
    pub addr: SocketAddr,
    /// Its marks: look-alike, moved.
    pub marks: Marks,
    /// What the names reached before say about it (a known one can be pinned).
    pub trust: Trust,
}

impl LiveList {
    /// Applies one event heard at `now`.
    pub fn apply(&mut self, event: DiscoveryEvent, now: Instant) {
        match event {
            DiscoveryEvent::Asked(server) => {
                self.asked.insert(server.key.clone());
                self.apply(DiscoveryEvent::Found(server), now);
                // Dropped at once from a full list: not marked either.
                self.asked.retain(|k| self.servers.contains_key(k));
            }
            DiscoveryEvent::Found(server) => {
                self.problem = None;
                let look = look_key(&server.name);
                if self.first_seen.get(&look).is_none() {
                    let at = self.connect_addr(&server);
                    self.first_seen.insert(look.clone(), at);
                }
                if !self.servers.contains_key(&server.key)
                    && self.servers.len() >= MAX_LISTED
                    && let Some(oldest) = self
                        .servers
                        .iter()
                        .min_by_key(|(_, (_, until, _))| *until)
                        .map(|(k, _)| k.clone())
                {
                    self.servers.remove(&oldest);
                    self.asked.remove(&oldest);
                    self.dropped += 1;
                }
                self.servers
                    .insert(server.key.clone(), (server, now + STALE_AFTER, look));
            }
            DiscoveryEvent::Gone { key } => {
                self.servers.remove(&key);
                self.asked.remove(&key);
            }
            DiscoveryEvent::Problem(p) => self.problem = Some(p),
            DiscoveryEvent::Heard { key, from } => self.heard_from(key, from),
        }
    }

    fn heard_from(&mut self, key: String, from: Ipv4Addr) {
        let key = key.to_ascii_lowercase();
        let mut sources = self.heard.get(&key).cloned().unwrap_or_default();
        sources.retain(|s| *s != from);
        if sources.len() >= SOURCES_KEPT {
            sources.remove(0);
        }
        sources.push(from);
        self.heard.insert(key, sources);
    }

    /// How many servers were dropped from a full list since browsing started.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Where a click on `server` connects (see [`Row::addr`]).
    fn connect_addr(&self, server: &FoundServer) -> SocketAddr {
        let key = server.key.to_ascii_lowercase();
        let Some(sources) = self.heard.get(&key) else {
            return server.addr;
        };
        let announced = match server.addr.ip() {
            std::net::IpAddr::V4(ip) => Some(ip),
            std::net::IpAddr::V6(_) => None,
        };
        match sources.last() {
            Some(latest) if announced.is_none_or(|a| !sources.contains(&a)) => {
                SocketAddr::from((*latest, server.addr.port()))
            }
            _ => server.addr,
        }
    }

    /// Drops servers not heard of since [`STALE_AFTER`]. Returns whether any went.
    pub fn expire(&mut self, now: Instant) -> bool {
        let before = self.servers.len();
        self.servers.retain(|_, (_, until, _)| *until > now);
        self.asked.retain(|k| self.servers.contains_key(k));
        self.servers.len() != before
    }

    /// When the next server expires, if any is listed.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.servers.values().map(|(_, until, _)| *until).min()
    }

    /// The servers, by name (then by address, so the order is stable).
    pub fn servers(&self) -> Vec<&FoundServer> {
        let mut list: Vec<&FoundServer> = self.servers.values().map(|(s, _, _)| s).collect();
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.addr.cmp(&b.addr)));
        list
    }

    /// The servers in [`LiveList::servers`]'s order, each with its marks: look-alike when
    /// another listed server's name looks the same; moved when its name was first seen at
    /// another computer (another IP address).
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, look) in self.servers.values() {
            *count.entry(look).or_default() += 1;
        }
        let mut rows: Vec<Row<'_>> = self
            .servers
            .values()
            .map(|(server, _, look)| self.row_of(server, look, count[look.as_str()]))
            .collect();
        rows.sort_by(|a, b| {
            (a.server.name.cmp(&b.server.name)).then(a.server.addr.cmp(&b.server.addr))
        });
        rows
    }

    /// The row of `server`, whose name looks like `look`, shared by `alike` listed servers.
    /// Moved when the name was reached at another address on this network in an earlier
    /// run (or pinned there), else when it was first seen at another computer in this one.
    fn row_of<'a>(&self, server: &'a FoundServer, look: &str, alike: usize) -> Row<'a> {
        let addr = self.connect_addr(server);
        let trust = self.trust(&server.name, addr);
        let moved_from = match trust {
            Trust::Moved { was, .. } => Some(SocketAddr::new(was, addr.port())),
            Trust::Known { .. } => None,
            Trust::New => self
                .first_seen
                .get(look)
                .copied()
                .filter(|at| at.ip() != addr.ip()),
        };
        Row {
            server,
            addr,
            marks: Marks {
                look_alike: alike > 1,
                moved_from,
                pinned: matches!(trust, Trust::Known { pinned: true }),
                asked: self.asked.contains(&server.key),
            },
            trust,
        }
    }

    /// What the names reached before say about `name` at `addr`.
    pub fn trust(&self, name: &str, addr: SocketAddr) -> Trust {
        self.known
            .trust(&network_for(addr.ip(), &self.locals), name, addr.ip())
    }

    /// The names reached before (to save them).
    pub fn known(&self) -> &KnownServers {
        &self.known
    }

    /// Replaces the names reached before (read from disk at start).
    pub fn set_known(&mut self, known: KnownServers) {
        self.known = known;
    }

    /// Sets this computer's IPv4 interfaces (address, netmask).
    pub fn set_locals(&mut self, locals: Vec<(Ipv4Addr, Ipv4Addr)>) {
        self.locals = locals;
    }

    /// The user reached `name` at `addr` (see [`KnownServers::reached`]); also what this
    /// run has seen of it. Returns whether the names reached before changed.
    pub fn reached(&mut self, name: &str, addr: SocketAddr) -> bool {
        self.first_seen.insert(look_key(name), addr);
        let network = network_for(addr.ip(), &self.locals);
        self.known.reached(&network, name, addr.ip())
    }

    /// Pins `name` to `addr` on its network, or unpins it.
    pub fn set_pinned(&mut self, name: &str, addr: SocketAddr, pinned: bool) {
        let network = network_for(addr.ip(), &self.locals);
        self.known.set_pinned(&network, name, addr.ip(), pinned);
    }

    /// The row of the server with this key, if listed (without building every row).
    pub fn row(&self, key: &str) -> Option<Row<'_>> {
        let (server, _, look) = self.servers.get(key)?;
        let alike = self.servers.values().filter(|(_, _, l)| l == look).count();
        Some(self.row_of(server, look, alike))
    }

    /// Why discovery does not work, if it does not.
    pub fn problem(&self) -> Option<&DiscoveryProblem> {
        self.problem.as_ref()
    }

    /// Forgets the servers and the problem (browsing stopped). The first addresses of
    /// names are kept, so that a server that moved while nobody browsed is still marked.
    pub fn clear(&mut self) {
        self.servers.clear();
        self.asked.clear();
        self.problem = None;
        self.dropped = 0;
    }
}

/// The least time between two announcements of a changed [`Advert`]: a busy class
/// server whose conversations come and go re-announces at most this often.
pub const ANNOUNCE_GAP: Duration = Duration::from_secs(2);

/// Paces re-announcements: a change is announced at once if the last announcement is at
/// least [`ANNOUNCE_GAP`] old, else when it is; changes in between fold into one.
#[derive(Clone, Debug)]
pub struct AnnouncePacer {
    sent: Advert,
    sent_at: Instant,
    pending: Option<Advert>,
    gap: Duration,
}

impl AnnouncePacer {
    /// `first` was announced at `now`.
    pub fn new(first: Advert, now: Instant) -> Self {
        AnnouncePacer {
            sent: first,
            sent_at: now,
            pending: None,
            gap: ANNOUNCE_GAP,
        }
    }

    /// The advert changed to `advert` at `now`: returns it if it is to be announced now.
    pub fn update(&mut self, advert: Advert, now: Instant) -> Option<Advert> {
        if !advert.needs_announcing(&self.sent) {
            self.pending = None;
            return None;
        }
        self.pending = Some(advert);
        self.due(now)
    }

    /// The advert to announce at `now`, if one is waiting and its time has come.
    pub fn due(&mut self, now: Instant) -> Option<Advert> {
        let ready = now.saturating_duration_since(self.sent_at) >= self.gap;
        if ready && let Some(advert) = self.pending.take() {
            self.sent = advert.clone();
            self.sent_at = now;
            return Some(advert);
        }
        None
    }

    /// When a waiting advert is due, if one waits.
    pub fn next_due(&self) -> Option<Instant> {
        self.pending.as_ref().map(|_| self.sent_at + self.gap)
    }
}

/// The first wait of auto-reconnect.
pub const RECONNECT_FIRST: Duration = Duration::from_secs(1);
/// The longest wait of auto-reconnect.
pub const RECONNECT_MAX: Duration = Duration::from_secs(30);

/// The waits between reconnect attempts: 1, 2, 4, 8, 16, 30, 30 ... seconds, each moved
/// by up to a fifth either way (jitter), so that a class whose server restarts does not
/// come back all in the same instant. Deterministic for a given seed.
#[derive(Clone, Debug)]
pub struct Backoff {
    attempt: u32,
    rng: u64,
}

impl Backoff {
    /// A schedule whose jitter comes from `seed`.
    pub fn new(seed: u64) -> Self {
        // splitmix64 spreads small or similar seeds over the whole state; xorshift needs
        // a non-zero one.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Backoff {
            attempt: 0,
            rng: (z ^ (z >> 31)) | 1,
        }
    }

    /// How many waits were handed out since the start (or the last reset).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The wait before the next attempt, without jitter.
    pub fn base(&self) -> Duration {
        let doubled = RECONNECT_FIRST.saturating_mul(1u32 << self.attempt.min(16));
        doubled.min(RECONNECT_MAX)
    }

    /// The wait before the next attempt, with jitter; moves on to the following step.
    pub fn next_wait(&mut self) -> Duration {
        let base = self.base();
        self.attempt = self.attempt.saturating_add(1);
        // xorshift64
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        // A factor in [0.8, 1.2), never past the longest wait.
        let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
        let factor = 0.8 + 0.4 * unit;
        base.mul_f64(factor).min(RECONNECT_MAX)
    }

    /// Back to the first wait (after a connection that worked).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advert() -> Advert {
        Advert {
            name: "li on PC-12".into(),
            port: 8888,
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
            conversations: 0,
            capacity: 200,
        }
    }

    #[test]
    fn txt_round_trips() {
        let a = Advert {
            conversations: 3,
            ..advert()
        };
        let pairs = a.txt();
        let info = parse_txt(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(
            info,
            TxtInfo {
                protocol: Some(1),
                encoding_label: Some("GBK".into()),
                encoding: Some(WireEncoding::Gbk),
                policy: Some(TurnPolicy::Strict),
                busy: Some(false),
                conversations: Some(3),
            }
        );
        for (k, v) in &pairs {
            assert!(k.is_ascii() && v.is_ascii() && k.len() + v.len() < 255);
        }
    }

    #[test]
    fn busy_means_no_free_place() {
        let one = Advert {
            capacity: 1,
            ..advert()
        };
        assert!(!one.busy());
        let full = Advert {
            conversations: 1,
            ..one.clone()
        };
        assert!(full.busy());
        assert!(full.txt().contains(&("state", "busy".into())));
        // A capacity of 0 is read as 1, never "always free".
        let zero = Advert {
            capacity: 0,
            conversations: 1,
            ..advert()
        };
        assert!(zero.busy());
    }

    #[test]
    fn unknown_and_broken_txt_still_lists() {
        let info = parse_txt([
            ("PROTO", "2"),
            ("enc", "KOI8-R"),
            ("turns", "sometimes"),
            ("state", ""),
            ("conv", "-1"),
            ("future", "x"),
            ("proto", "9"),
        ]);
        assert_eq!(info.protocol, Some(2), "case-insensitive, first wins");
        assert_eq!(info.encoding, None);
        assert_eq!(info.encoding_label.as_deref(), Some("KOI8-R"));
        assert_eq!(info.policy, None);
        assert_eq!(info.busy, None);
        assert_eq!(info.conversations, None);
        assert_eq!(parse_txt([]), TxtInfo::default());
    }

    #[test]
    fn names_are_cut_at_characters() {
        assert_eq!(default_name(Some("li"), Some("PC-12")), "li@PC-12");
        assert_eq!(default_name(None, Some("PC-12")), "PC-12");
        assert_eq!(default_name(Some(" "), None), "TurnChat");
        let long = "老师".repeat(40);
        let cut = instance_name(&long);
        assert!(cut.len() <= MAX_NAME_BYTES);
        assert!(long.starts_with(&cut));
        assert_eq!(
            cut.chars().count(),
            21,
            "63 bytes = 21 three-byte characters"
        );
        assert_eq!(instance_name("a\tb\n"), "ab");
        assert_eq!(instance_name("  \u{7} "), "TurnChat");
    }

    fn found(key: &str, name: &str, port: u16) -> FoundServer {
        FoundServer {
            key: key.into(),
            name: name.into(),
            addr: SocketAddr::from(([10, 0, 0, 1], port)),
            txt: TxtInfo::default(),
        }
    }

    #[test]
    fn live_list_adds_updates_removes_and_expires() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        list.apply(DiscoveryEvent::Found(found("b", "Bob", 1)), t0);
        list.apply(DiscoveryEvent::Found(found("a", "Ann", 2)), t0);
        let names: Vec<&str> = list.servers().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bob"]);
        // An update replaces, it does not add.
        let mut busy = found("b", "Bob", 1);
        busy.txt.busy = Some(true);
        list.apply(DiscoveryEvent::Found(busy), t0 + Duration::from_secs(60));
        assert_eq!(list.servers().len(), 2);
        assert!(list.servers()[1].busy());
        list.apply(DiscoveryEvent::Gone { key: "a".into() }, t0);
        assert_eq!(list.servers().len(), 1);
        // Gone for a server never listed is harmless.
        list.apply(DiscoveryEvent::Gone { key: "zz".into() }, t0);
        // Expiry counts from the last time it was heard.
        assert!(!list.expire(t0 + STALE_AFTER));
        assert_eq!(
            list.next_expiry(),
            Some(t0 + Duration::from_secs(60) + STALE_AFTER)
        );
        assert!(list.expire(t0 + Duration::from_secs(60) + STALE_AFTER));
        assert!(list.servers().is_empty());
        assert_eq!(list.next_expiry(), None);
    }

    #[test]
    fn a_problem_shows_until_something_is_found() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        list.apply(
            DiscoveryEvent::Problem(DiscoveryProblem::NoMulticastInterface),
            t0,
        );
        assert_eq!(
            list.problem(),
            Some(&DiscoveryProblem::NoMulticastInterface)
        );
        list.apply(DiscoveryEvent::Found(found("a", "Ann", 2)), t0);
        assert_eq!(list.problem(), None);
    }

    #[test]
    fn look_alikes_and_moved_names_are_marked() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        list.apply(DiscoveryEvent::Found(found("t", "teacher", 1)), t0);
        assert!(!list.rows()[0].marks.any());
        let mut fake = found("f", "teach\u{200B}er", 1);
        fake.addr = SocketAddr::from(([10, 0, 0, 66], 1));
        list.apply(DiscoveryEvent::Found(fake), t0);
        let rows = list.rows();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.marks.look_alike), "both are marked");
        // The look-alike came from another computer than the first "teacher": moved.
        let fake_row = list.row("f").expect("listed");
        assert_eq!(
            fake_row.marks.moved_from,
            Some(SocketAddr::from(([10, 0, 0, 1], 1)))
        );
        assert_eq!(list.row("t").expect("listed").marks.moved_from, None);
        // The real one gone, the fake is no longer a look-alike but still moved.
        list.apply(DiscoveryEvent::Gone { key: "t".into() }, t0);
        let only = list.rows()[0].marks;
        assert!(!only.look_alike && only.moved_from.is_some());
        // The same name at another port of the same computer has not moved.
        list.apply(DiscoveryEvent::Found(found("t", "teacher", 2)), t0);
        assert_eq!(list.row("t").expect("listed").marks.moved_from, None);
    }

    #[test]
    fn a_click_goes_where_the_announcement_came_from() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        let teacher = Ipv4Addr::new(10, 0, 0, 2);
        let attacker = Ipv4Addr::new(10, 0, 0, 1);
        // The A record says the attacker's address; the announcement came from the teacher.
        let mut spoofed = found("T._turnchat._tcp.local.", "teacher", 8888);
        spoofed.addr = SocketAddr::from((attacker, 8888));
        list.apply(
            DiscoveryEvent::Heard {
                key: "t._turnchat._tcp.local.".into(),
                from: teacher,
            },
            t0,
        );
        list.apply(DiscoveryEvent::Found(spoofed.clone()), t0);
        let row = list.rows()[0];
        assert_eq!(row.addr, SocketAddr::from((teacher, 8888)));
        assert_eq!(row.marks.moved_from, None);
        // An announced address it was also heard from is kept (several networks).
        list.apply(
            DiscoveryEvent::Heard {
                key: spoofed.key.clone(),
                from: attacker,
            },
            t0,
        );
        let row = list.rows()[0];
        assert_eq!(row.addr, SocketAddr::from((attacker, 8888)));
        // ...but a whole forged announcement from another computer is marked.
        assert_eq!(
            row.marks.moved_from,
            Some(SocketAddr::from((teacher, 8888)))
        );
        // Nothing heard: the announced address.
        let mut other = LiveList::default();
        other.apply(DiscoveryEvent::Found(spoofed), t0);
        assert_eq!(other.rows()[0].addr, SocketAddr::from((attacker, 8888)));
        // Sources are bounded.
        for i in 0..20 {
            list.apply(
                DiscoveryEvent::Heard {
                    key: "T._turnchat._tcp.local.".into(),
                    from: Ipv4Addr::new(10, 1, 0, i),
                },
                t0,
            );
        }
        assert_eq!(
            list.heard.get("t._turnchat._tcp.local.").map(Vec::len),
            Some(SOURCES_KEPT)
        );
        assert_eq!(list.rows()[0].addr.ip(), Ipv4Addr::new(10, 1, 0, 19));
    }

    #[test]
    fn a_flood_keeps_the_list_at_its_bound_and_the_recently_heard() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        list.apply(DiscoveryEvent::Found(found("real", "teacher", 1)), t0);
        for i in 0..3000u32 {
            let at = t0 + Duration::from_millis(u64::from(i));
            list.apply(
                DiscoveryEvent::Found(found(&format!("fake{i}"), &format!("f{i}"), 2)),
                at,
            );
            // The real server answers now and then, as it does to every query.
            if i % 100 == 0 {
                list.apply(DiscoveryEvent::Found(found("real", "teacher", 1)), at);
            }
        }
        assert_eq!(list.servers().len(), MAX_LISTED);
        assert_eq!(list.dropped(), 3001 - MAX_LISTED);
        assert!(list.row("real").is_some(), "the real one is still listed");
        assert!(list.row("fake2999").is_some() && list.row("fake0").is_none());
        list.clear();
        assert_eq!(list.dropped(), 0);
    }

    #[test]
    fn first_addresses_are_bounded() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        for i in 0..FIRST_SEEN_KEPT + 10 {
            list.apply(
                DiscoveryEvent::Found(found(&i.to_string(), &format!("n{i}"), 1)),
                t0,
            );
            list.apply(DiscoveryEvent::Gone { key: i.to_string() }, t0);
        }
        assert_eq!(list.first_seen.len(), FIRST_SEEN_KEPT);
    }

    #[test]
    fn the_address_on_a_shared_subnet_wins() {
        use std::net::Ipv4Addr;
        let ip = |s: &str| s.parse::<Ipv4Addr>().expect("ip");
        let mask = ip("255.255.255.0");
        let announced = [ip("172.17.0.1"), ip("192.168.1.5")];
        assert_eq!(
            pick_address(announced, &[(ip("192.168.1.20"), mask)]),
            Some(ip("192.168.1.5"))
        );
        // No shared subnet (or no interfaces known): the lowest, so the choice is stable.
        assert_eq!(
            pick_address(announced, &[(ip("10.0.0.2"), mask)]),
            Some(ip("172.17.0.1"))
        );
        assert_eq!(pick_address(announced, &[]), Some(ip("172.17.0.1")));
        // A zero netmask does not make everything "shared".
        assert_eq!(
            pick_address(
                [ip("192.168.1.5"), ip("10.0.0.9")],
                &[(ip("10.0.0.2"), ip("0.0.0.0"))]
            ),
            Some(ip("10.0.0.9"))
        );
        assert_eq!(pick_address([], &[]), None);
    }

    #[test]
    fn pacer_folds_changes_within_the_gap() {
        let t0 = Instant::now();
        let mut pacer = AnnouncePacer::new(advert(), t0);
        let one = Advert {
            conversations: 1,
            ..advert()
        };
        let two = Advert {
            conversations: 2,
            ..advert()
        };
        // Too soon after the first announcement: held.
        assert_eq!(pacer.update(one, t0 + Duration::from_millis(100)), None);
        assert_eq!(
            pacer.update(two.clone(), t0 + Duration::from_millis(200)),
            None
        );
        assert_eq!(pacer.next_due(), Some(t0 + ANNOUNCE_GAP));
        assert_eq!(
            pacer.due(t0 + ANNOUNCE_GAP - Duration::from_millis(1)),
            None
        );
        assert_eq!(pacer.due(t0 + ANNOUNCE_GAP), Some(two.clone()));
        assert_eq!(pacer.next_due(), None);
        // Long after: at once.
        let later = t0 + ANNOUNCE_GAP * 5;
        assert_eq!(pacer.update(advert(), later), Some(advert()));
        // Back to what was last sent before the gap: nothing to say.
        assert_eq!(
            pacer.update(two.clone(), later + Duration::from_millis(10)),
            None
        );
        assert_eq!(
            pacer.update(advert(), later + Duration::from_millis(20)),
            None
        );
        assert_eq!(pacer.next_due(), None);
    }

    #[test]
    fn backoff_doubles_to_thirty_seconds_with_bounded_jitter() {
        let mut b = Backoff::new(42);
        let bases = [1, 2, 4, 8, 16, 30, 30, 30];
        for base in bases {
            let base = Duration::from_secs(base);
            assert_eq!(b.base(), base);
            let w = b.next_wait();
            assert!(
                w >= base.mul_f64(0.8)
                    && w < base.mul_f64(1.2).min(RECONNECT_MAX) + Duration::from_nanos(1),
                "{w:?} around {base:?}"
            );
        }
        assert_eq!(b.attempt(), 8);
        // Same seed, same waits; other seeds spread.
        let a: Vec<Duration> = (0..6)
            .map({
                let mut b = Backoff::new(7);
                move |_| b.next_wait()
            })
            .collect();
        let again: Vec<Duration> = (0..6)
            .map({
                let mut b = Backoff::new(7);
                move |_| b.next_wait()
            })
            .collect();
        assert_eq!(a, again);
        let firsts: std::collections::HashSet<Duration> =
            (1..20).map(|s| Backoff::new(s).next_wait()).collect();
        assert!(
            firsts.len() > 10,
            "jitter spreads the first wait: {firsts:?}"
        );
        b.reset();
        assert_eq!(b.base(), RECONNECT_FIRST);
        // Never overflows, however long it keeps trying.
        for _ in 0..100 {
            assert!(b.next_wait() <= RECONNECT_MAX);
        }
    }

    #[test]
    fn a_name_reached_in_an_earlier_run_is_marked_where_it_moved_and_pinned_where_it_is() {
        let t0 = Instant::now();
        let at = |last: u8| SocketAddr::from(([10, 0, 0, last], 8888));
        let mut earlier = LiveList::default();
        assert!(earlier.reached("王老师", at(1)));
        // A new run: nothing seen yet, the spoofer is heard first.
        let mut list = LiveList::default();
        list.set_known(earlier.known().clone());
        let mut spoof = found("s", "王老师", 8888);
        spoof.addr = at(66);
        list.apply(DiscoveryEvent::Found(spoof), t0);
        let row = list.row("s").expect("listed");
        assert_eq!(row.marks.moved_from, Some(at(1)));
        assert!(list.trust("王老师", at(66)).asks());
        // The real one, at the address reached before, is not marked.
        let mut real = found("r", "王老师", 8888);
        real.addr = at(1);
        list.apply(DiscoveryEvent::Found(real), t0);
        let row = list.row("r").expect("listed");
        assert_eq!(row.marks.moved_from, None);
        assert!(!row.marks.pinned);
        list.set_pinned("王老师", at(1), true);
        assert!(list.row("r").expect("listed").marks.pinned);
        // Reaching the spoofer's address does not move a pinned name.
        assert!(!list.reached("王老师", at(66)));
        assert_eq!(list.row("s").expect("listed").marks.moved_from, Some(at(1)));
    }

    #[test]
    fn a_server_found_by_asking_is_marked_until_it_leaves() {
        let t0 = Instant::now();
        let mut list = LiveList::default();
        list.apply(DiscoveryEvent::Asked(found("a", "far", 8888)), t0);
        list.apply(DiscoveryEvent::Found(found("n", "near", 8888)), t0);
        assert!(list.row("a").expect("listed").marks.asked);
        assert!(!list.row("n").expect("listed").marks.asked);
        assert!(!list.row("a").expect("listed").marks.any(), "not a warning");
        // Heard by multicast too later: still found by asking.
        list.apply(DiscoveryEvent::Found(found("a", "far", 8888)), t0);
        assert!(list.row("a").expect("listed").marks.asked);
        list.apply(DiscoveryEvent::Gone { key: "a".into() }, t0);
        list.apply(DiscoveryEvent::Found(found("a", "far", 8888)), t0);
        assert!(
            !list.row("a").expect("listed").marks.asked,
            "forgotten with it"
        );
        list.apply(DiscoveryEvent::Asked(found("b", "b", 1)), t0);
        assert!(list.expire(t0 + STALE_AFTER));
        assert!(list.asked.is_empty(), "bounded by the list");
    }
}
