//! A running server's answer to TurnChats that ask its address directly (issue 24, item
//! 7, see `super::probe`): a one-shot DNS-SD question for `_turnchat._tcp.local.` sent by
//! unicast to UDP port 5353 of one of its addresses.
//!
//! The `mdns-sd` daemon answers such legacy unicast questions itself, but it shares port
//! 5353 with the other TurnChat sockets on it (the names clients say, and any other mDNS
//! program on the computer), and the system hands each unicast datagram to only one of
//! the sockets sharing a port: most questions went unanswered. A socket bound to the
//! server's own address (not the wildcard) is the one the system picks for datagrams sent
//! to that address, so this responder binds one per address announced on and answers
//! the questions for our service, and only those, with the server's PTR, SRV, TXT and A
//! records ([`crate::core::mdns_wire::legacy_answer`]). Multicast keeps going to the
//! daemon. Bounded: one buffer, and at most [`ANSWERS_A_SECOND`] answers a second.
//!
//! One named thread, owned by [`LegacyResponder`], stopped and joined on drop; it looks
//! at its stop switch at least every [`TICK`].

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

use super::spawn_thread;
use crate::core::discovery::{Advert, SERVICE_TYPE};
use crate::core::mdns_wire::{Answer, asks_for_service, legacy_answer, message_id};

/// The most answers sent in one second, over all addresses.
pub const ANSWERS_A_SECOND: u32 = 20;
/// How often the thread looks at its stop switch while nothing arrives.
pub const TICK: Duration = Duration::from_millis(200);
const MDNS_PORT: u16 = 5353;

/// The responder; stopped and joined on drop.
pub struct LegacyResponder {
    stop: Arc<AtomicBool>,
    advert: Arc<Mutex<Advert>>,
    thread: Option<JoinHandle<()>>,
}

fn bound_to(ip: Ipv4Addr) -> std::io::Result<UdpSocket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    socket.set_reuse_address(true)?;
    #[cfg(unix)]
    socket.set_reuse_port(true)?;
    socket.bind(&SocketAddr::V4(SocketAddrV4::new(ip, MDNS_PORT)).into())?;
    Ok(socket.into())
}

impl LegacyResponder {
    /// Answers for `advert` (on host `host`, as the daemon announces it) on each of
    /// `addresses` it can bind; `None` if it can bind none, or no thread could start.
    pub fn start(advert: Advert, host: String, addresses: &[Ipv4Addr]) -> Option<Self> {
        let sockets: Vec<(Ipv4Addr, UdpSocket)> = addresses
            .iter()
            .filter_map(|ip| Some((*ip, bound_to(*ip).ok()?)))
            .collect();
        if sockets.is_empty() {
            return None;
        }
        let wait = (TICK / sockets.len() as u32).max(Duration::from_millis(10));
        for (_, s) in &sockets {
            s.set_read_timeout(Some(wait)).ok()?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let advert = Arc::new(Mutex::new(advert));
        let (thread_stop, thread_advert) = (Arc::clone(&stop), Arc::clone(&advert));
        let thread = spawn_thread("turnchat-discovery-answer".into(), 0, move || {
            answer(&sockets, &host, &thread_advert, &thread_stop);
        })
        .ok()?;
        Some(LegacyResponder {
            stop,
            advert,
            thread: Some(thread),
        })
    }

    /// What the server says changed.
    pub fn update(&self, advert: Advert) {
        if let Ok(mut a) = self.advert.lock() {
            *a = advert;
        }
    }
}

impl Drop for LegacyResponder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(
    sockets: &[(Ipv4Addr, UdpSocket)],
    host: &str,
    advert: &Mutex<Advert>,
    stop: &AtomicBool,
) {
    let mut buf = vec![0u8; 9000];
    let mut second = Instant::now();
    let mut sent = 0u32;
    while !stop.load(Ordering::Relaxed) {
        for (ip, socket) in sockets {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                continue;
            };
            if !asks_for_service(&buf[..n], SERVICE_TYPE) {
                continue;
            }
            if second.elapsed() >= Duration::from_secs(1) {
                second = Instant::now();
                sent = 0;
            }
            if sent >= ANSWERS_A_SECOND {
                continue;
            }
            let Ok(advert) = advert.lock().map(|a| a.clone()) else {
                return;
            };
            let txt: Vec<String> = advert
                .txt()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let reply = legacy_answer(
                &Answer {
                    instance: &advert.name,
                    service: SERVICE_TYPE,
                    host,
                    port: advert.port,
                    txt: &txt,
                    ip: *ip,
                },
                message_id(&buf[..n]),
            );
            if let Some(reply) = reply {
                let _ = socket.send_to(&reply, from);
                sent += 1;
            }
        }
    }
}
