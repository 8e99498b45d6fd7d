//! LAN discovery's I/O shell: multicast DNS (DNS-SD) through the `mdns-sd` daemon.
//!
//! A server that listens owns an [`Announcer`]; a client's Connect form owns a
//! [`Browser`]. Each runs one named thread of ours, owned and joined by its handle, and
//! one `mdns-sd` daemon (the crate's own thread, "mDNS_daemon", which ends when we shut
//! the daemon down: the crate offers no handle to join it). What they hear goes out as
//! [`DiscoveryEvent`]s on a crossbeam channel, each followed by a [`Waker::wake`](crate::core::waker::Waker::wake), like
//! every other event of `crate::net`. What to announce and how to read an announcement
//! is the pure `crate::core::discovery`.
//!
//! Only IPv4 on interfaces other than loopback, tunnels (VPNs) and virtual adapters
//! (containers, virtual machines) is used, as `crate::core::why` decides and the "Why?"
//! panel says; a browser can be limited to the one interface the user chose there. An
//! announcer for a server bound to one address announces on that address's interface
//! only; a server bound to loopback is never announced (nobody else could connect to it).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use mdns_sd::{IfKind, ServiceDaemon, ServiceInfo};

pub use super::discovery_outbox::DiscoveryOutbox;
use super::mdns_listen::SourceListener;
use super::spawn_thread;
use crate::core::discovery::{
    Advert, AnnouncePacer, DiscoveryEvent, DiscoveryProblem, FoundServer, LiveList, SERVICE_TYPE,
};
use crate::core::lookalike::Marks;

/// How long stopping waits for the daemon to send goodbyes and shut down (on our own
/// thread, never the UI's).
const SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

/// Whether this machine has an IPv4 interface, other than loopback, that is up: without
/// one nothing can be announced or found.
pub fn has_multicast_interface() -> bool {
    if_addrs::get_if_addrs().is_ok_and(|addrs| {
        addrs
            .iter()
            .any(|a| !a.is_loopback() && matches!(a.ip(), IpAddr::V4(_)))
    })
}

/// This computer's IPv4 addresses other than loopback.
pub fn local_ipv4() -> Vec<Ipv4Addr> {
    super::browse::local_subnets()
        .into_iter()
        .map(|(ip, _)| ip)
        .collect()
}

/// A daemon on every IPv4 interface except loopback, tunnels and virtual adapters
/// (`only`: on the interface that has this address only).
pub(super) fn daemon(only: Option<Ipv4Addr>) -> Result<ServiceDaemon, DiscoveryProblem> {
    daemon_on(only, None)
}

/// [`daemon`], limited to the interface named `choice` (the user's, from the "Why?"
/// panel) while that one is usable; the choice does not apply to a daemon for one
/// address (`only`).
pub(super) fn daemon_on(
    only: Option<Ipv4Addr>,
    choice: Option<&str>,
) -> Result<ServiceDaemon, DiscoveryProblem> {
    let cannot = |e: mdns_sd::Error| DiscoveryProblem::CannotStart {
        detail: e.to_string(),
    };
    let daemon = ServiceDaemon::new().map_err(cannot)?;
    let configured = match only {
        Some(ip) => daemon
            .disable_interface(IfKind::All)
            .and_then(|()| daemon.enable_interface(IfKind::Addr(IpAddr::V4(ip)))),
        None => {
            // The same decision the "Why?" panel words (`crate::core::why`), also for
            // interfaces that come up later.
            let skipped = IfKind::Predicate(mdns_sd::IfPredicate::new(|i| {
                crate::core::why::daemon_skips(&i.name, i.is_loopback(), i.is_p2p())
            }));
            let chosen = choice.and_then(|c| {
                let all = super::interfaces::read().unwrap_or_default();
                crate::core::why::effective_choice(&all, Some(c))
            });
            daemon
                .disable_interface(vec![
                    IfKind::IPv6,
                    IfKind::LoopbackV4,
                    IfKind::LoopbackV6,
                    skipped,
                ])
                .and_then(|()| match chosen {
                    // The last rule that matches an interface decides.
                    Some(name) => daemon
                        .disable_interface(IfKind::All)
                        .and_then(|()| daemon.enable_interface(IfKind::Name(name)))
                        .and_then(|()| daemon.disable_interface(IfKind::IPv6)),
                    None => Ok(()),
                })
        }
    };
    if let Err(e) = configured {
        let _ = daemon.shutdown();
        return Err(cannot(e));
    }
    Ok(daemon)
}

/// Shuts a daemon down and waits (bounded) until it says it has.
pub(super) fn shut_down(daemon: &ServiceDaemon) {
    if let Ok(done) = daemon.shutdown() {
        let _ = done.recv_timeout(SHUTDOWN_WAIT);
    }
}

/// Browses for TurnChat servers until dropped.
pub struct Browser {
    daemon: Option<ServiceDaemon>,
    thread: Option<JoinHandle<()>>,
}

impl Browser {
    /// Starts browsing; what is found goes to `outbox`. If discovery cannot start, the
    /// reason goes to `outbox` as a [`DiscoveryEvent::Problem`] and the browser is idle.
    pub fn start(outbox: DiscoveryOutbox) -> Browser {
        Browser::start_on(outbox, None)
    }

    /// [`Browser::start`] on the interface named `choice` only, while it is usable.
    pub fn start_on(outbox: DiscoveryOutbox, choice: Option<&str>) -> Browser {
        if !has_multicast_interface() {
            // Said, but browsing starts anyway: the daemon notices interfaces that come up.
            outbox.emit(DiscoveryEvent::Problem(
                DiscoveryProblem::NoMulticastInterface,
            ));
        }
        let started = daemon_on(None, choice).and_then(|d| match d.browse(SERVICE_TYPE) {
            Ok(rx) => Ok((d, rx)),
            Err(e) => {
                let _ = d.shutdown();
                Err(DiscoveryProblem::CannotStart {
                    detail: e.to_string(),
                })
            }
        });
        let (daemon, found) = match started {
            Ok(started) => started,
            Err(problem) => {
                outbox.emit(DiscoveryEvent::Problem(problem));
                return Browser {
                    daemon: None,
                    thread: None,
                };
            }
        };
        // Heard on the interfaces the daemon uses, and no others.
        let interfaces = super::interfaces::used_ipv4(choice);
        let sources = SourceListener::start(&interfaces, outbox.clone());
        let thread_outbox = outbox.clone();
        let asker = daemon.clone();
        let thread = spawn_thread("turnchat-discovery-browse".into(), 0, move || {
            // Owned by this thread: joined when it ends.
            let sources = sources;
            super::browse::browse(&found, &asker, sources.as_ref(), &thread_outbox);
        });
        match thread {
            Ok(thread) => Browser {
                daemon: Some(daemon),
                thread: Some(thread),
            },
            Err(e) => {
                let _ = daemon.shutdown();
                outbox.emit(DiscoveryEvent::Problem(DiscoveryProblem::CannotStart {
                    detail: format!("no thread could be started: {e}"),
                }));
                Browser {
                    daemon: None,
                    thread: None,
                }
            }
        }
    }

    /// Asks the daemon to stop, without waiting.
    pub fn stop(&mut self) {
        if let Some(daemon) = self.daemon.take() {
            let _ = daemon.shutdown();
        }
    }

    /// Whether its thread has ended (then dropping it does not wait).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Where an announcer announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnounceOn {
    /// Every IPv4 interface except loopback (a server bound to 0.0.0.0).
    Everywhere,
    /// The interface that has this address (a server bound to it).
    Address(Ipv4Addr),
}

impl AnnounceOn {
    /// Where a server bound to `bound` is reachable from other machines, if anywhere.
    pub fn for_bound(bound: SocketAddr) -> Option<AnnounceOn> {
        match bound.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => Some(AnnounceOn::Everywhere),
            IpAddr::V4(ip) if ip.is_loopback() => None,
            IpAddr::V4(ip) => Some(AnnounceOn::Address(ip)),
            // The listener is IPv4 only; discovery is IPv4 only.
            IpAddr::V6(_) => None,
        }
    }
}

/// Announces one listening server until dropped, then says goodbye.
pub struct Announcer {
    commands: Option<Sender<Advert>>,
    thread: Option<JoinHandle<()>>,
}

impl Announcer {
    /// Starts announcing `advert` on `on`. Problems go to `outbox`.
    pub fn start(advert: Advert, on: AnnounceOn, outbox: DiscoveryOutbox) -> Announcer {
        let (commands, rx) = crossbeam_channel::unbounded();
        let thread_outbox = outbox.clone();
        let thread = spawn_thread("turnchat-discovery-announce".into(), 0, move || {
            announce(advert, on, &rx, &thread_outbox);
        });
        match thread {
            Ok(thread) => Announcer {
                commands: Some(commands),
                thread: Some(thread),
            },
            Err(e) => {
                outbox.emit(DiscoveryEvent::Problem(DiscoveryProblem::AnnounceFailed {
                    detail: format!("no thread could be started: {e}"),
                }));
                Announcer {
                    commands: None,
                    thread: None,
                }
            }
        }
    }

    /// What the server says changed (its conversations); announced at a bounded pace.
    pub fn update(&self, advert: Advert) {
        if let Some(c) = &self.commands {
            let _ = c.send(advert);
        }
    }

    /// Asks it to say goodbye and end, without waiting.
    pub fn stop(&mut self) {
        self.commands = None;
    }

    /// Whether its thread has ended (then dropping it does not wait).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        self.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The computer's name, as the system gives it.
pub fn computer_name() -> Option<String> {
    let from_env = |v: &str| {
        std::env::var(v)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    from_env("COMPUTERNAME")
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
        .or_else(|| from_env("HOSTNAME"))
}

/// The user's login name.
pub fn user_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|v| {
        std::env::var(v)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    })
}

/// A host name of our own for the SRV record: the computer's name made DNS-safe, plus a
/// random tail, so that two servers (two TurnChats on one computer, or cloned classroom
/// machines that share a name) never claim the same host name with different addresses.
pub(super) fn own_host_name() -> String {
    let base: String = computer_name()
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let base = base.trim_matches('-');
    let tail = super::random::random_u64() & 0xff_ffff;
    if base.is_empty() {
        format!("turnchat-{tail:06x}.local.")
    } else {
        format!("{base}-{tail:06x}.local.")
    }
}

fn service_info(advert: &Advert, host: &str, on: AnnounceOn) -> Result<ServiceInfo, String> {
    let txt = advert.txt();
    let props: Vec<(&str, &str)> = txt.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let info = match on {
        AnnounceOn::Everywhere => ServiceInfo::new(
            SERVICE_TYPE,
            &advert.name,
            host,
            "",
            advert.port,
            &props[..],
        )
        .map(ServiceInfo::enable_addr_auto),
        AnnounceOn::Address(ip) => ServiceInfo::new(
            SERVICE_TYPE,
            &advert.name,
            host,
            IpAddr::V4(ip),
            advert.port,
            &props[..],
        ),
    };
    info.map_err(|e| e.to_string())
}

/// The announcer's thread: registers, re-registers changes at a bounded pace, and says
/// goodbye when its command channel closes.
fn announce(first: Advert, on: AnnounceOn, commands: &Receiver<Advert>, outbox: &DiscoveryOutbox) {
    let only = match on {
        AnnounceOn::Everywhere => None,
        AnnounceOn::Address(ip) => Some(ip),
    };
    if only.is_none() && !has_multicast_interface() {
        outbox.emit(DiscoveryEvent::Problem(
            DiscoveryProblem::NoMulticastInterface,
        ));
    }
    let daemon = match daemon(only) {
        Ok(d) => d,
        Err(problem) => {
            outbox.emit(DiscoveryEvent::Problem(problem));
            // Nothing to announce with; wait for the stop so the owner's view is simple.
            while commands.recv().is_ok() {}
            return;
        }
    };
    let host = own_host_name();
    // TurnChats on other subnets ask by unicast (see `super::legacy_answer`).
    let addresses = match on {
        AnnounceOn::Everywhere => local_ipv4(),
        AnnounceOn::Address(ip) => vec![ip],
    };
    let responder =
        super::legacy_answer::LegacyResponder::start(first.clone(), host.clone(), &addresses);
    let mut registered: Option<String> = None;
    let register = |advert: &Advert, registered: &mut Option<String>| {
        let info = match service_info(advert, &host, on) {
            Ok(info) => info,
            Err(detail) => {
                outbox.emit(DiscoveryEvent::Problem(DiscoveryProblem::AnnounceFailed {
                    detail,
                }));
                return;
            }
        };
        let fullname = info.get_fullname().to_owned();
        if let Some(old) = registered.take()
            && old != fullname
        {
            let _ = daemon.unregister(&old);
        }
        match daemon.register(info) {
            Ok(()) => *registered = Some(fullname),
            Err(e) => outbox.emit(DiscoveryEvent::Problem(DiscoveryProblem::AnnounceFailed {
                detail: e.to_string(),
            })),
        }
    };
    register(&first, &mut registered);
    let mut pacer = AnnouncePacer::new(first, Instant::now());
    loop {
        let next = match pacer.next_due() {
            Some(due) => commands.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => commands.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let now = Instant::now();
        let to_send = match next {
            Ok(advert) => pacer.update(advert, now),
            Err(RecvTimeoutError::Timeout) => pacer.due(now),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if let Some(advert) = to_send {
            if let Some(r) = &responder {
                r.update(advert.clone());
            }
            register(&advert, &mut registered);
        }
    }
    if let Some(fullname) = registered
        && let Ok(done) = daemon.unregister(&fullname)
    {
        let _ = done.recv_timeout(SHUTDOWN_WAIT);
        // The daemon repeats the goodbye once, 120 ms later, for peers that missed it.
        std::thread::sleep(Duration::from_millis(150));
    }
    shut_down(&daemon);
}

/// A change to the list of servers, as `turnchat --discover --watch` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Found, or what it says changed, with its row's marks.
    Found(FoundServer, Marks),
    /// Gone (as it was last listed, with the marks it had).
    Gone(FoundServer, Marks),
}

/// Browses for `wait` and returns the servers listed at the end, by name (`turnchat
/// --discover`), on the interface named `choice` only while it is usable (`--interface`);
/// each change on the way goes to `on_change` as it happens. `known` are
/// the names reached before (a name announced elsewhere is marked moved); `ask`, addresses
/// to ask directly as well ([`super::probe`]; their servers are marked asked). Blocks the
/// calling thread for that long. Fails only if discovery cannot start at all, or finds
/// nothing and knows why.
pub fn discover_for(
    wait: Duration,
    choice: Option<&str>,
    known: crate::core::tofu::KnownServers,
    ask: Vec<Ipv4Addr>,
    mut on_change: impl FnMut(&Change),
) -> Result<Vec<(FoundServer, Marks)>, DiscoveryProblem> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let browser = Browser::start_on(
        DiscoveryOutbox::new(tx.clone(), Arc::new(crate::core::waker::NoWaker)),
        choice,
    );
    let prober = (!ask.is_empty())
        .then(|| {
            super::probe::Prober::start(
                ask,
                DiscoveryOutbox::new(tx, Arc::new(crate::core::waker::NoWaker)),
            )
        })
        .flatten();
    let deadline = Instant::now() + wait;
    let mut list = LiveList::default();
    list.set_known(known);
    list.set_locals(super::browse::local_subnets());
    let mut fatal = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = match rx.recv_timeout(left) {
            Ok(event) => event,
            Err(_) => break,
        };
        match &event {
            DiscoveryEvent::Problem(p @ DiscoveryProblem::CannotStart { .. }) => {
                fatal = Some(p.clone());
                break;
            }
            DiscoveryEvent::Found(_) | DiscoveryEvent::Asked(_) => {}
            DiscoveryEvent::Gone { key } => {
                if let Some(row) = list.row(key) {
                    let mut server = row.server.clone();
                    server.addr = row.addr;
                    on_change(&Change::Gone(server, row.marks));
                }
            }
            DiscoveryEvent::Problem(_) | DiscoveryEvent::Heard { .. } => {}
        }
        // A Found is reported; so is a Heard that changes where a listed row connects.
        let watched = match &event {
            DiscoveryEvent::Found(server) | DiscoveryEvent::Asked(server) => {
                Some((server.key.clone(), None))
            }
            DiscoveryEvent::Heard { key, .. } => {
                list.row(key).map(|r| (r.server.key.clone(), Some(r.addr)))
            }
            _ => None,
        };
        list.apply(event, Instant::now());
        if let Some((key, before)) = watched
            && let Some(row) = list.row(&key)
            && before != Some(row.addr)
        {
            let mut server = row.server.clone();
            server.addr = row.addr;
            on_change(&Change::Found(server, row.marks));
        }
    }
    drop(browser);
    drop(prober);
    if let Some(p) = fatal {
        return Err(p);
    }
    let servers: Vec<(FoundServer, Marks)> = list
        .rows()
        .into_iter()
        .map(|r| {
            let mut server = r.server.clone();
            server.addr = r.addr;
            (server, r.marks)
        })
        .collect();
    if servers.is_empty()
        && let Some(p) = list.problem()
    {
        return Err(p.clone());
    }
    Ok(servers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_servers_are_not_announced() {
        let at = |s: &str| AnnounceOn::for_bound(s.parse().expect("addr"));
        assert_eq!(at("127.0.0.1:8888"), None);
        assert_eq!(at("0.0.0.0:8888"), Some(AnnounceOn::Everywhere));
        assert_eq!(
            at("192.168.1.5:8888"),
            Some(AnnounceOn::Address(Ipv4Addr::new(192, 168, 1, 5)))
        );
    }
}
