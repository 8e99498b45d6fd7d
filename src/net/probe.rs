//! Asking addresses on other subnets directly whether a TurnChat server is there (issue
//! 24, item 7): multicast DNS does not cross routers, so for the addresses the user listed
//! ([`crate::core::probe_targets`]) a one-shot DNS-SD query for `_turnchat._tcp.local.`
//! PTR records goes to UDP port 5353 of each, from a port of our own. A running TurnChat
//! server answers such a legacy unicast query by unicast (`super::legacy_answer`); the
//! answers are listed as [`DiscoveryEvent::Asked`], at the address they came from.
//!
//! Nothing is ever sent to a chat port: a Python reference server (or anything else
//! listening for chats) never sees a probe. Bounded: one query every [`PACE`] (at most
//! 256 addresses, so a sweep takes about five seconds), answers read for [`LISTEN_AFTER`]
//! after the last query, at most [`MAX_ANSWERS`] answers a sweep and [`MAX_SERVERS_A_PACKET`]
//! servers an answer, answers taken only from the addresses asked, from port 5353, with the
//! query's id, and read with the bounded parser of `crate::core::mdns_wire`. A sweep every
//! [`SWEEP_EVERY`] while the list is shown, so that a server found stays listed, the
//! first after [`SETTLE`] (so that typing the addresses starts one sweep, not one a key).
//!
//! One named thread, owned by [`Prober`], stopped and joined on drop; it looks at its stop
//! switch at least every [`TICK`].

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::discovery_outbox::DiscoveryOutbox;
use super::spawn_thread;
use crate::core::discovery::{DiscoveryEvent, FoundServer, SERVICE_TYPE, parse_txt};
use crate::core::mdns_wire::{message_id, service_query, srv_ports, txt_records};

/// The time between two queries of a sweep.
pub const PACE: Duration = Duration::from_millis(20);
/// How long answers are read after the last query of a sweep.
pub const LISTEN_AFTER: Duration = Duration::from_millis(1500);
/// How often the addresses are asked again.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// The most answers read in one sweep.
pub const MAX_ANSWERS: usize = 1024;
/// The most servers taken from one answer.
pub const MAX_SERVERS_A_PACKET: usize = 4;
/// How long a prober waits before its first sweep: the addresses typed into the field
/// change with each key, and a prober replaced within this time has sent nothing.
pub const SETTLE: Duration = Duration::from_millis(800);
/// How often the thread looks at its stop switch while nothing arrives.
pub const TICK: Duration = Duration::from_millis(100);
const MDNS_PORT: u16 = 5353;

/// The prober; stopped and joined on drop.
pub struct Prober {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Prober {
    /// Starts asking `targets`; `None` if the socket or the thread could not be had (then
    /// only the multicast list shows).
    pub fn start(targets: Vec<Ipv4Addr>, outbox: DiscoveryOutbox) -> Option<Prober> {
        let socket = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)).ok()?;
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread = spawn_thread("turnchat-discovery-probe".into(), 0, move || {
            run(&socket, &targets, &thread_stop, &outbox);
        })
        .ok()?;
        Some(Prober {
            stop,
            thread: Some(thread),
        })
    }

    /// Asks the thread to stop (it ends within [`TICK`]).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for Prober {
    fn drop(&mut self) {
        self.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sweeps until stopped.
fn run(socket: &UdpSocket, targets: &[Ipv4Addr], stop: &AtomicBool, outbox: &DiscoveryOutbox) {
    let mut buf = vec![0u8; 9000];
    if !quiet_until(socket, &mut buf, Instant::now() + SETTLE, stop) {
        return;
    }
    loop {
        let id = (super::random::random_u64() & 0xFFFF) as u16;
        let Some(query) = service_query(SERVICE_TYPE, id) else {
            return;
        };
        let started = Instant::now();
        let mut sent = 0;
        let mut answers = 0;
        let mut next_send = started;
        let mut deadline = None;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let now = Instant::now();
            if sent < targets.len() && now >= next_send {
                let to = SocketAddrV4::new(targets[sent], MDNS_PORT);
                // A failed send (no route to that subnet) is an address that does not answer.
                let _ = socket.send_to(&query, to);
                sent += 1;
                next_send += PACE;
            }
            if sent == targets.len() && deadline.is_none() {
                deadline = Some(Instant::now() + LISTEN_AFTER);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            let until = if sent < targets.len() {
                next_send
            } else {
                deadline.unwrap_or(next_send)
            };
            let wait = until
                .saturating_duration_since(Instant::now())
                .clamp(Duration::from_millis(1), TICK);
            let _ = socket.set_read_timeout(Some(wait));
            if let Ok((n, from)) = socket.recv_from(&mut buf)
                && answers < MAX_ANSWERS
                && let SocketAddr::V4(from) = from
                && from.port() == MDNS_PORT
                && targets.contains(from.ip())
                && message_id(&buf[..n]) == id
            {
                answers += 1;
                for server in servers_in(&buf[..n], *from.ip()) {
                    outbox.emit(DiscoveryEvent::Asked(server));
                }
            }
        }
        if !quiet_until(socket, &mut buf, started + SWEEP_EVERY, stop) {
            return;
        }
    }
}

/// Reads (and drops) what arrives until `until`, looking at the stop switch every
/// [`TICK`]; false if it was thrown.
fn quiet_until(socket: &UdpSocket, buf: &mut [u8], until: Instant, stop: &AtomicBool) -> bool {
    while Instant::now() < until {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let _ = socket.set_read_timeout(Some(TICK));
        let _ = socket.recv_from(buf);
    }
    true
}

/// The TurnChat servers an answer from `from` tells of, at that address.
pub fn servers_in(packet: &[u8], from: Ipv4Addr) -> Vec<FoundServer> {
    let txts = txt_records(packet, SERVICE_TYPE);
    srv_ports(packet, SERVICE_TYPE)
        .into_iter()
        .take(MAX_SERVERS_A_PACKET)
        .filter_map(|(owner, port)| {
            let suffix = owner.len().checked_sub(SERVICE_TYPE.len() + 1)?;
            let name = owner.get(..suffix)?.to_owned();
            if name.is_empty() || port == 0 {
                return None;
            }
            let pairs: Vec<(String, String)> = txts
                .iter()
                .find(|(o, _)| o.eq_ignore_ascii_case(&owner))
                .map(|(_, pairs)| {
                    pairs
                        .iter()
                        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let txt = parse_txt(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            Some(FoundServer {
                key: owner,
                name,
                addr: SocketAddr::from((from, port)),
                txt,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mdns_wire::{Answer, legacy_answer};

    #[test]
    fn an_answer_lists_its_server_at_the_address_asked() {
        let txt = vec![
            "proto=1".to_owned(),
            "enc=GBK".to_owned(),
            "state=busy".to_owned(),
        ];
        let p = legacy_answer(
            &Answer {
                instance: "王老师",
                service: SERVICE_TYPE,
                host: "elsewhere.local.",
                port: 8888,
                txt: &txt,
                // Whatever the A record says, the server is where the answer came from.
                ip: Ipv4Addr::new(6, 6, 6, 6),
            },
            7,
        )
        .expect("answer");
        let from = Ipv4Addr::new(10, 2, 0, 9);
        let found = servers_in(&p, from);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "王老师");
        assert_eq!(found[0].key, "王老师._turnchat._tcp.local.");
        assert_eq!(found[0].addr, SocketAddr::from((from, 8888)));
        assert_eq!(found[0].txt.busy, Some(true));
        for n in 0..p.len() {
            assert!(servers_in(&p[..n], from).len() <= 1);
        }
    }
}
