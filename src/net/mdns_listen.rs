//! Who announced what: a second listener on the multicast DNS port, beside the `mdns-sd`
//! daemon, that only notes the source address of every packet carrying a TurnChat
//! server's SRV record ([`DiscoveryEvent::Heard`]). The list then connects to the computer
//! an announcement came from, so that an A record anyone sends for a server's host name
//! (a student announcing the teacher's host name with their own address) cannot redirect
//! a click. `mdns-sd` hides packet sources; reading the packets again costs a parse of
//! the headers (`crate::core::mdns_wire`). The only thing sent from this socket is
//! [`SourceListener::ask`]: a query for one server, to check a goodbye (sent from port
//! 5353, so that the answer is multicast and the daemon hears it too).
//!
//! One named thread, owned and joined by [`SourceListener`]; it wakes at least every
//! [`TICK`] to see whether it is to stop, since a UDP `recv` cannot be woken otherwise on
//! every system. Bounded: one packet buffer, and at most [`PAIRS_KEPT`] (server, source)
//! pairs remembered to report each pair once.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

use super::discovery_outbox::DiscoveryOutbox;
use super::spawn_thread;
use crate::core::bounded::BoundedMap;
use crate::core::discovery::{DiscoveryEvent, SERVICE_TYPE};
use crate::core::mdns_wire::{instance_query, srv_owners};

/// How often the thread looks at its stop switch while nothing arrives.
pub const TICK: Duration = Duration::from_millis(250);
/// How many (server, source) pairs are remembered before the memory starts again.
pub const PAIRS_KEPT: usize = 4096;
const GROUP: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 251);
const PORT: u16 = 5353;

/// The listener; stopped and joined on drop.
pub struct SourceListener {
    stop: Arc<AtomicBool>,
    /// When a live SRV record of each server (by lower-case key) was last heard.
    alive: Arc<Mutex<BoundedMap<Instant>>>,
    thread: Option<JoinHandle<()>>,
    sender: Socket,
    interfaces: Vec<Ipv4Addr>,
}

/// A socket on the mDNS port, shared with the daemon (address and port reuse), joined to
/// the mDNS group on each of `interfaces`.
pub(super) fn socket(interfaces: &[Ipv4Addr]) -> std::io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    socket.set_reuse_address(true)?;
    #[cfg(unix)]
    socket.set_reuse_port(true)?;
    socket.bind(&SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, PORT)).into())?;
    let mut joined = false;
    for ip in interfaces {
        joined |= socket.join_multicast_v4(&GROUP, ip).is_ok();
    }
    if !joined {
        return Err(std::io::Error::other("no interface joined the mDNS group"));
    }
    socket.set_read_timeout(Some(TICK))?;
    Ok(socket)
}

impl SourceListener {
    /// Listens on `interfaces` (IPv4, not loopback); `None` if the socket or the thread
    /// could not be had (then clicks go to the announced addresses, as before).
    pub fn start(interfaces: &[Ipv4Addr], outbox: DiscoveryOutbox) -> Option<SourceListener> {
        let sender = socket(interfaces).ok()?;
        let socket: UdpSocket = sender.try_clone().ok()?.into();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let alive = Arc::new(Mutex::new(BoundedMap::new(PAIRS_KEPT)));
        let thread_alive = alive.clone();
        let thread = spawn_thread("turnchat-discovery-sources".into(), 0, move || {
            listen(&socket, &thread_stop, &thread_alive, &outbox);
        })
        .ok()?;
        Some(SourceListener {
            stop,
            alive,
            thread: Some(thread),
            sender,
            interfaces: interfaces.to_vec(),
        })
    }

    /// Whether a live SRV record of the server `fullname` was heard since `since`.
    pub fn heard_since(&self, fullname: &str, since: Instant) -> bool {
        let alive = self.alive.lock().unwrap_or_else(|e| e.into_inner());
        alive
            .get(&fullname.to_ascii_lowercase())
            .is_some_and(|at| *at >= since)
    }

    /// Asks, on every interface, for the SRV and TXT records of the server `fullname`
    /// (one query each: the caller bounds how often).
    pub fn ask(&self, fullname: &str) {
        let Some(instance) = fullname
            .strip_suffix(SERVICE_TYPE)
            .and_then(|s| s.strip_suffix('.'))
        else {
            return;
        };
        let Some(query) = instance_query(instance, SERVICE_TYPE) else {
            return;
        };
        let to = SocketAddr::V4(SocketAddrV4::new(GROUP, PORT)).into();
        for ip in &self.interfaces {
            if self.sender.set_multicast_if_v4(ip).is_ok() {
                let _ = self.sender.send_to(&query, &to);
            }
        }
    }
}

fn listen(
    socket: &UdpSocket,
    stop: &AtomicBool,
    alive: &Mutex<BoundedMap<Instant>>,
    outbox: &DiscoveryOutbox,
) {
    let mut buf = vec![0u8; 9000];
    let mut reported: HashSet<(String, Ipv4Addr)> = HashSet::new();
    while !stop.load(Ordering::Relaxed) {
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let IpAddr::V4(from) = from.ip() else {
            continue;
        };
        for owner in srv_owners(&buf[..n]) {
            let key = owner.to_ascii_lowercase();
            if !key.ends_with(SERVICE_TYPE) {
                continue;
            }
            alive
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key.clone(), Instant::now());
            if reported.len() >= PAIRS_KEPT {
                reported.clear();
            }
            if reported.insert((key, from)) {
                outbox.emit(DiscoveryEvent::Heard { key: owner, from });
            }
        }
    }
}

impl Drop for SourceListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
