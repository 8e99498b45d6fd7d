//! The browsing thread of [`super::discovery::Browser`]: turns what the `mdns-sd` daemon
//! resolves into [`DiscoveryEvent`]s, checks that listed servers are still there, and
//! checks every goodbye before a server leaves the list.
//!
//! A server that stops says goodbye and leaves; one that crashed or lost its cable says
//! nothing, and its records would stay for their TTL (two minutes). So every
//! [`VERIFY_EVERY`] listed servers are asked whether they are still there (RFC 6762
//! 10.4), at most [`VERIFY_PER_ROUND`] a round, in turn, so that a flood of made-up
//! servers cannot turn into a flood of queries: without an answer within [`VERIFY_WAIT`]
//! their records are flushed and they leave the list. A goodbye can be forged by anyone,
//! so a server that says goodbye is asked once more, and again after a moment ([`GOODBYE_CHECK`]): one that answers
//! stays listed.

use std::collections::{BTreeMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use mdns_sd::{ServiceDaemon, ServiceEvent};

use super::discovery_outbox::DiscoveryOutbox;
use super::mdns_listen::SourceListener;
use crate::core::discovery::{
    DiscoveryEvent, FoundServer, MAX_LISTED, SERVICE_TYPE, parse_txt, pick_address,
};

/// How often listed servers are asked whether they are still there.
pub const VERIFY_EVERY: Duration = Duration::from_secs(5);
/// How many are asked in one round.
pub const VERIFY_PER_ROUND: usize = 32;
/// How long a listed server has to answer before it leaves the list.
pub const VERIFY_WAIT: Duration = Duration::from_secs(2);
/// How long a server that said goodbye has to answer the queries that check it.
pub const GOODBYE_CHECK: Duration = Duration::from_millis(3000);
/// When the check is asked a second time: a query or its answer can be lost, and a
/// responder may hold back an answer it multicast less than a second before (RFC 6762).
const GOODBYE_ASK_AGAIN: Duration = Duration::from_millis(1200);
/// The most goodbyes checked at once (a flood of goodbyes is taken as said).
const GOODBYES_CHECKED: usize = 64;

/// The thread's loop, until the daemon stops the search or shuts down.
pub(super) fn browse(
    found: &mdns_sd::Receiver<ServiceEvent>,
    asker: &ServiceDaemon,
    sources: Option<&SourceListener>,
    outbox: &DiscoveryOutbox,
) {
    // Listed now, oldest asked first; at most MAX_LISTED.
    let mut listed: VecDeque<String> = VecDeque::new();
    // Goodbyes being checked: when each was heard, when it is taken as said, and when it
    // is asked again (until it has been).
    let mut leaving: BTreeMap<String, (Instant, Instant, Option<Instant>)> = BTreeMap::new();
    let mut local = local_subnets();
    let mut next_verify = Instant::now() + VERIFY_EVERY;
    loop {
        let now = Instant::now();
        let wake = leaving
            .values()
            .map(|(_, until, again)| again.map_or(*until, |a| a.min(*until)))
            .min()
            .map_or(next_verify, |t| t.min(next_verify));
        let event = match found.recv_timeout(wake.saturating_duration_since(now)) {
            Ok(event) => Some(event),
            // The daemon stopped the search or shut down.
            Err(_) if found.is_disconnected() => break,
            Err(_) => None,
        };
        let now = Instant::now();
        for (key, (_, _, again)) in leaving.iter_mut() {
            if again.is_some_and(|a| a <= now)
                && let Some(sources) = sources
            {
                sources.ask(key);
                *again = None;
            }
        }
        let due: Vec<(String, Instant)> = leaving
            .iter()
            .filter(|(_, (_, until, _))| *until <= now)
            .map(|(k, (since, _, _))| (k.clone(), *since))
            .collect();
        for (key, since) in due {
            leaving.remove(&key);
            // It answered after its goodbye: the goodbye was not its own. It stays listed
            // (the list's own expiry still applies if it falls silent).
            if sources.is_some_and(|s| s.heard_since(&key, since)) {
                continue;
            }
            listed.retain(|k| *k != key);
            outbox.emit(DiscoveryEvent::Gone { key });
        }
        if now >= next_verify {
            local = local_subnets();
            for _ in 0..VERIFY_PER_ROUND.min(listed.len()) {
                if let Some(name) = listed.pop_front() {
                    let _ = asker.verify(name.clone(), VERIFY_WAIT);
                    listed.push_back(name);
                }
            }
            next_verify = now + VERIFY_EVERY;
        }
        match event {
            Some(ServiceEvent::ServiceResolved(service)) => {
                if let Some(server) = found_server(&service, &local) {
                    let key = service.get_fullname().to_owned();
                    leaving.remove(&key);
                    if !listed.contains(&key) {
                        if listed.len() >= MAX_LISTED {
                            listed.pop_front();
                        }
                        listed.push_back(key);
                    }
                    outbox.emit(DiscoveryEvent::Found(server));
                }
            }
            Some(ServiceEvent::ServiceRemoved(_, fullname)) => match sources {
                Some(sources) if leaving.len() < GOODBYES_CHECKED && listed.contains(&fullname) => {
                    let now = Instant::now();
                    sources.ask(&fullname);
                    leaving.entry(fullname).or_insert((
                        now,
                        now + GOODBYE_CHECK,
                        Some(now + GOODBYE_ASK_AGAIN),
                    ));
                }
                _ => {
                    listed.retain(|k| *k != fullname);
                    leaving.remove(&fullname);
                    outbox.emit(DiscoveryEvent::Gone { key: fullname });
                }
            },
            Some(ServiceEvent::SearchStopped(_)) => break,
            _ => {}
        }
    }
}

/// This computer's IPv4 interfaces other than loopback: (address, netmask).
pub(super) fn local_subnets() -> Vec<(Ipv4Addr, Ipv4Addr)> {
    if_addrs::get_if_addrs()
        .map(|all| {
            all.into_iter()
                .filter_map(|i| match i.addr {
                    if_addrs::IfAddr::V4(v4) if !v4.is_loopback() => Some((v4.ip, v4.netmask)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A resolved service as a [`FoundServer`]: the address to connect to is chosen by
/// [`pick_address`]; `None` if it has no IPv4 address yet.
fn found_server(
    service: &mdns_sd::ResolvedService,
    local: &[(Ipv4Addr, Ipv4Addr)],
) -> Option<FoundServer> {
    let addr = pick_address(service.get_addresses_v4(), local)?;
    let props = service.get_properties();
    let txt = parse_txt(props.iter().map(|p| (p.key(), p.val_str())));
    Some(FoundServer {
        key: service.get_fullname().to_owned(),
        name: instance_of(service.get_fullname()),
        addr: SocketAddr::from((addr, service.get_port())),
        txt,
    })
}

/// The instance name in a full name ("li on PC._turnchat._tcp.local." -> "li on PC"),
/// with DNS escapes (`\.`, `\\`, `\DDD`) undone.
fn instance_of(fullname: &str) -> String {
    let instance = fullname
        .strip_suffix(SERVICE_TYPE)
        .map(|s| s.strip_suffix('.').unwrap_or(s))
        .unwrap_or(fullname);
    let mut bytes = Vec::with_capacity(instance.len());
    let raw = instance.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' && i + 1 < raw.len() {
            let digits = raw.get(i + 1..i + 4);
            if let Some(d) = digits.filter(|d| d.iter().all(u8::is_ascii_digit))
                && let Ok(v) = std::str::from_utf8(d).unwrap_or("").parse::<u8>()
            {
                bytes.push(v);
                i += 4;
                continue;
            }
            bytes.push(raw[i + 1]);
            i += 2;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_are_unescaped() {
        assert_eq!(instance_of("li on PC._turnchat._tcp.local."), "li on PC");
        assert_eq!(instance_of(r"a\.b\\c._turnchat._tcp.local."), r"a.b\c");
        assert_eq!(instance_of(r"x\032y._turnchat._tcp.local."), "x y");
        assert_eq!(instance_of("老师._turnchat._tcp.local."), "老师");
        assert_eq!(instance_of("odd"), "odd");
    }
}
