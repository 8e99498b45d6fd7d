//! The server role: listen, and welcome every client at once, each in a conversation of
//! its own.
//!
//! Three kinds of thread work here:
//! - the **acceptor** (`turnchat-listener-N-accept`) accepts and, when there is a free
//!   place, welcomes the client on the spot (the welcome waits for no thread to start),
//!   then hands the connection over;
//! - the **listener** thread (this module's [`run`]) owns the conversations: it starts one
//!   named thread per client, joins each when it ends, keeps clients beyond the limit
//!   waiting (unwelcomed, in the order they came, as the reference server's backlog does)
//!   and, on stop, stops and joins everything;
//! - one **session** thread per conversation (see `session`), plus its reader.
//!
//! With a limit of one this is exactly the reference's sequential service.
//!
//! Stopping wakes the acceptor out of a blocking `accept` in two ways: shutting the
//! listening socket down (which Linux honours at once) and, because Windows does not, a
//! connection to itself, which every system's `accept` returns. The acceptor then sees the
//! stop flag and ends; nothing stays blocked.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use socket2::{Domain, Protocol, Socket, Type};

use super::event::Event;
use super::limits;
use super::session::{self, Marks, SessionSetup, Welcome};
use super::transcript_file::RunDisk;
use super::{
    Closable, LISTEN_BACKLOG, Links, Outbox, ServerConfig, SharedDoor, StopSwitch, Timeouts,
    next_session_id, spawn_thread,
};
use crate::core::address::join_host_port;
use crate::core::backoff::Backoff;
use crate::core::codec::WireEncoding;
use crate::core::door;
use crate::core::error::NetError;
use crate::core::framing::LineEnding;
use crate::core::ids::{RoleId, SessionId};
use crate::core::places;
use crate::core::room::{self, Occupant};
use crate::core::turn::Role;
use crate::core::turn::TurnPolicy;

pub(crate) struct ListenerContext {
    pub role: RoleId,
    /// The door every connection passes first (shared with the backend, for blocks).
    pub door: SharedDoor,
    pub config: ServerConfig,
    pub outbox: Outbox,
    pub stop: Arc<StopSwitch>,
    pub links: Links,
    pub transcripts: Option<PathBuf>,
    /// The run's disk budget for transcripts, shared by its conversations.
    pub disk: Arc<RunDisk>,
    /// The students' names, for each conversation's first transcript line.
    pub names: Option<super::NameOf>,
    pub timeouts: Timeouts,
}

/// How many failed accepts in a row, other than [`temporary`] ones, before giving up.
const MAX_ACCEPT_FAILURES: u32 = 50;

/// How many accepted clients may wait for a free place (fewer when open files are
/// short, see `core::places`); beyond that the acceptor stops accepting and later clients
/// wait in the kernel's listen backlog instead.
const MAX_WAITING: usize = 256;

/// How often, at most, the window hears the door's tally while connections are refused.
const TALLY_EVERY: Duration = Duration::from_millis(250);

/// While clients wait, how often the listener checks whether any of them left, so that
/// the count the window shows stays true.
const WAITING_SWEEP: Duration = Duration::from_secs(1);

/// How long the connection that wakes the acceptor may take (loopback: normally instant).
const WAKE_CONNECT: Duration = Duration::from_secs(2);

/// One running conversation, as its owner sees it.
struct Live {
    stop: Arc<StopSwitch>,
    thread: JoinHandle<()>,
    /// Its peer's address.
    from: IpAddr,
    /// When it was welcomed.
    since: Instant,
    /// Whether the peer said anything; whether it is ending to make room.
    marks: Arc<Marks>,
    /// Already asked to end (to make room).
    leaving: bool,
}

impl Live {
    fn occupant(&self) -> Occupant {
        Occupant {
            computer: door::computer(self.from),
            since: self.since,
            spoke: self.marks.spoke.load(Ordering::Relaxed),
            leaving: self.leaving,
        }
    }
}

/// A client waiting, unwelcomed, for a place.
struct Waiter {
    stream: TcpStream,
    from: IpAddr,
}

pub(crate) fn run(ctx: ListenerContext) {
    let shown = join_host_port(&ctx.config.host, ctx.config.port);
    let listener = match bind(&ctx.config.host, ctx.config.port) {
        Ok(l) => l,
        Err(error) => {
            ctx.outbox.emit(Event::RoleFailed {
                role: ctx.role,
                error: NetError::from_listen(&shown, ctx.config.port, &error),
            });
            ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
            return;
        }
    };
    let local = listener.local_addr().ok().and_then(|a| a.as_socket());
    let (Some(local), Ok(for_stop)) = (local, listener.try_clone()) else {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    };
    if !ctx.stop.register(Closable::Socket(for_stop)) {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    }
    let listener: TcpListener = listener.into();

    // Every conversation costs open files: hold no more than the process can open.
    let budget = places::budget(
        ctx.config.max_conversations,
        MAX_WAITING,
        HANDOVER_QUEUE,
        limits::open_files_limit(),
        limits::open_files_now(),
    );
    if budget.limited
        && let Some(limit) = limits::open_files_limit()
    {
        ctx.outbox.emit(Event::PlacesLimited {
            role: ctx.role,
            places: budget.places,
            asked: ctx.config.max_conversations,
            limit,
        });
    }

    // The acceptor hands connections over through a short queue: when the listener stops
    // taking them (too many waiting), the acceptor blocks and the kernel's backlog holds
    // the rest.
    let (accepted_tx, accepted) = crossbeam_channel::bounded::<Arrival>(budget.handover);
    let (refused_tx, refused) = crossbeam_channel::bounded::<()>(1);
    let places = Arc::new(Places::new(budget.places));
    let acceptor = {
        let acceptor = Acceptor {
            door: ctx.door.clone(),
            refused: refused_tx,
            stop: Arc::clone(&ctx.stop),
            outbox: ctx.outbox.clone(),
            role: ctx.role,
            local,
            places: Arc::clone(&places),
            welcome: ctx.config.welcome.clone(),
            encoding: ctx.config.encoding,
            policy: ctx.config.policy,
            line_ending: ctx.config.line_ending,
        };
        spawn_thread(
            format!("turnchat-listener-{}-accept", ctx.role.0),
            ACCEPTOR_STACK,
            move || acceptor.run(&listener, &accepted_tx),
        )
    };
    let acceptor = match acceptor {
        Ok(t) => t,
        Err(e) => {
            ctx.outbox.emit(Event::RoleFailed {
                role: ctx.role,
                error: NetError::Listen {
                    addr: local.to_string(),
                    detail: format!("no thread could be started: {e}"),
                },
            });
            ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
            return;
        }
    };
    ctx.outbox.emit(Event::Listening {
        role: ctx.role,
        local,
        lan: lan_addresses(local),
    });

    let mut owner = Owner {
        ctx: &ctx,
        places: &places,
        most_waiting: budget.waiting,
        live: HashMap::new(),
        waiting: VecDeque::new(),
        waiting_shown: 0,
        ended: crossbeam_channel::unbounded(),
        tally_shown: None,
        tally_due: None,
    };
    owner.serve(&accepted, &refused);

    // Stop: every conversation ends with its own notice, and every thread is joined.
    ctx.stop.stop();
    wake_acceptor(local);
    drop(accepted);
    owner.stop_all();
    let _ = acceptor.join();
    ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
}

/// A connection the acceptor hands over (the door let it in).
enum Arrival {
    /// It had a place and was welcomed on the spot: start its conversation.
    Served {
        stream: TcpStream,
        welcome: Welcome,
        from: IpAddr,
    },
    /// No place was free: it waits its turn, unwelcomed.
    Waits(Waiter),
}

/// How many connections may be on their way from the acceptor to the listener (fewer
/// when open files are short).
const HANDOVER_QUEUE: usize = 64;

/// The places for live conversations, shared by the acceptor (which takes one for a new
/// client when one is free) and the listener (which hands a place that frees up to the
/// next waiting client, and gives it back only when nobody waits). So a newcomer never
/// overtakes a waiting client: while anyone waits, no place is free.
struct Places {
    limit: usize,
    taken: AtomicUsize,
}

impl Places {
    fn new(limit: usize) -> Places {
        Places {
            limit,
            taken: AtomicUsize::new(0),
        }
    }

    /// Takes a free place, if there is one.
    fn take(&self) -> bool {
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.limit).then_some(n + 1)
            })
            .is_ok()
    }

    /// Gives a place back.
    fn give_back(&self) {
        let _ = self
            .taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
    }
}

/// The listener's bookkeeping: the running conversations and the clients waiting.
struct Owner<'a> {
    ctx: &'a ListenerContext,
    places: &'a Places,
    /// How many clients may wait (fewer when open files are short).
    most_waiting: usize,
    live: HashMap<SessionId, Live>,
    /// Accepted clients not yet welcomed, oldest first.
    waiting: VecDeque<Waiter>,
    /// The waiting count the window last heard.
    waiting_shown: usize,
    /// Each session thread's last act is to send its id here.
    ended: (Sender<SessionId>, Receiver<SessionId>),
    /// When the window last heard the door's tally.
    tally_shown: Option<Instant>,
    /// When it is to hear it next (set while refusals are unreported).
    tally_due: Option<Instant>,
}

impl Owner<'_> {
    /// Runs until stop is requested or the acceptor gives up.
    fn serve(&mut self, accepted: &Receiver<Arrival>, refused: &Receiver<()>) {
        let never = crossbeam_channel::never();
        let ended = self.ended.1.clone();
        let stopped = self.ctx.stop.signal().clone();
        // When to look next for waiting clients that left (set while anyone waits, so a
        // steady stream of other events cannot keep postponing it).
        let mut next_sweep: Option<Instant> = None;
        loop {
            // Take no more clients while the waiting line is full.
            let take = if self.waiting.len() < self.most_waiting {
                accepted
            } else {
                &never
            };
            // Only while someone waits is there anything to check now and then.
            next_sweep = match (self.waiting.is_empty(), next_sweep) {
                (true, _) => None,
                (false, None) => Some(Instant::now() + WAITING_SWEEP),
                (false, due) => due,
            };
            let sweep = next_sweep.map_or_else(crossbeam_channel::never, crossbeam_channel::at);
            let tally = self
                .tally_due
                .map_or_else(crossbeam_channel::never, crossbeam_channel::at);
            select! {
                recv(take) -> arrival => match arrival {
                    Ok(Arrival::Served { stream, welcome, from }) => {
                        if self.start(stream, welcome, from).is_err() {
                            // No thread for it: it was welcomed, but cannot be served.
                            self.places.give_back();
                            self.ctx.door.change(|d| d.left(from));
                        }
                    }
                    Ok(Arrival::Waits(waiter)) => self.arrived(waiter),
                    Err(_) => {
                        self.report_tally();
                        return; // the acceptor ended (stopped or failed)
                    }
                },
                recv(refused) -> _ => {
                    if self.tally_due.is_none() {
                        let now = Instant::now();
                        let due = self.tally_shown.map_or(now, |at| (at + TALLY_EVERY).max(now));
                        self.tally_due = Some(due);
                    }
                },
                recv(tally) -> _ => self.report_tally(),
                recv(ended) -> id => {
                    if let Ok(id) = id
                        && let Some(done) = self.live.remove(&id)
                    {
                        let _ = done.thread.join();
                        done.marks.leave();
                    }
                    // Its place goes to the next waiting client, or back to the pool.
                    if !self.serve_next() {
                        self.places.give_back();
                    }
                    self.report_waiting();
                },
                recv(stopped) -> _ => return,
                recv(sweep) -> _ => {
                    next_sweep = None;
                    self.drop_gone();
                    self.make_room();
                    self.report_waiting();
                },
            }
        }
    }

    /// A client found no free place: it waits its turn. Places may have freed up since
    /// the acceptor looked (and nobody waits then), so look again.
    fn arrived(&mut self, waiter: Waiter) {
        if has_left(&waiter.stream) {
            // A port scanner, or someone who gave up at once: nothing to show or keep.
            self.ctx.door.change(|d| d.left(waiter.from));
            return;
        }
        self.waiting.push_back(waiter);
        while !self.waiting.is_empty() && self.places.take() {
            if !self.serve_next() {
                self.places.give_back();
            }
        }
        self.make_room();
        self.report_waiting();
    }

    /// Forgets the waiting clients that left.
    fn drop_gone(&mut self) {
        let door = &self.ctx.door;
        self.waiting.retain(|w| {
            let gone = has_left(&w.stream);
            if gone {
                door.change(|d| d.left(w.from));
            }
            !gone
        });
    }

    /// While clients wait, asks conversations that never said anything (silent for
    /// longer than the grace, from a computer holding more places than the waiting
    /// client's) to end, one for each waiting client that no ending conversation serves
    /// yet. So squatters cannot keep a student out.
    fn make_room(&mut self) {
        let leaving = self.live.values().filter(|l| l.leaving).count();
        if self.waiting.len() <= leaving {
            return;
        }
        let now = Instant::now();
        let grace = self.ctx.timeouts.room_after;
        let ids: Vec<SessionId> = self.live.keys().copied().collect();
        let mut occupants: Vec<Occupant> = ids.iter().map(|id| self.live[id].occupant()).collect();
        let computers: Vec<IpAddr> = self
            .waiting
            .iter()
            .map(|w| door::computer(w.from))
            .collect();
        let order = room::serve_order(&computers, &room::serving(&occupants));
        for &w in order.iter().skip(leaving) {
            let Some(i) = room::make_room(computers[w], &occupants, now, grace) else {
                continue;
            };
            occupants[i].leaving = true;
            if let Some(live) = self.live.get_mut(&ids[i]) {
                live.leaving = true;
                let silent = now.saturating_duration_since(live.since).as_secs();
                *live
                    .marks
                    .made_room
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(silent);
                live.stop.stop();
            }
        }
    }

    /// Tells the window what the door refused so far (and the blocks).
    fn report_tally(&mut self) {
        if self.tally_due.take().is_none() {
            return;
        }
        self.tally_shown = Some(Instant::now());
        let (tally, blocked) = self.ctx.door.change(|d| (d.tally(), d.blocked()));
        self.ctx.outbox.emit(Event::Door {
            role: self.ctx.role,
            tally,
            blocked,
        });
    }

    /// Serves the oldest waiting client that is still there, in a place the caller holds.
    /// Returns false if nobody is left waiting (the place is then the caller's to give
    /// back).
    fn serve_next(&mut self) -> bool {
        while !self.waiting.is_empty() {
            // The computers holding fewest places first, then the oldest.
            let occupants: Vec<Occupant> = self.live.values().map(Live::occupant).collect();
            let computers: Vec<IpAddr> = self
                .waiting
                .iter()
                .map(|w| door::computer(w.from))
                .collect();
            let next = room::serve_order(&computers, &room::serving(&occupants))
                .first()
                .copied()
                .unwrap_or(0);
            let Some(Waiter { stream, from }) = self.waiting.remove(next) else {
                break;
            };
            if has_left(&stream) {
                self.ctx.door.change(|d| d.left(from));
                continue;
            }
            let config = &self.ctx.config;
            let welcome = session::welcome_at_once(
                &stream,
                &config.welcome,
                config.encoding,
                config.policy,
                config.line_ending,
            );
            if self.start(stream, welcome, from).is_ok() {
                return true;
            }
            self.ctx.door.change(|d| d.left(from));
        }
        false
    }

    /// Starts the conversation of a client that was just welcomed (or whose welcome the
    /// session is to send).
    fn start(&mut self, stream: TcpStream, welcome: Welcome, from: IpAddr) -> Result<(), ()> {
        if stream.set_nonblocking(false).is_err() {
            return Err(()); // a stream that cannot block cannot be served: let it go
        }
        let id = next_session_id();
        let stop = Arc::new(StopSwitch::default());
        let marks = Arc::new(Marks::at_door(self.ctx.door.clone(), from));
        let setup = SessionSetup {
            id,
            role: self.ctx.role,
            as_role: Role::Server,
            encoding: self.ctx.config.encoding,
            policy: self.ctx.config.policy,
            line_ending: self.ctx.config.line_ending,
            welcome: Some(welcome),
            outbox: self.ctx.outbox.clone(),
            stop: Arc::clone(&stop),
            links: self.ctx.links.clone(),
            transcripts: self.ctx.transcripts.clone(),
            disk: Arc::clone(&self.ctx.disk),
            send_timeout: self.ctx.timeouts.send,
            marks: Arc::clone(&marks),
            name: (self.ctx.names.as_ref()).and_then(|of| of(peer_of(&stream)?)),
        };
        let ended = self.ended.0.clone();
        let spawned = spawn_thread(
            format!("turnchat-session-{}", id.0),
            session::SESSION_STACK,
            move || {
                session::run(stream, setup);
                let _ = ended.send(id);
            },
        );
        match spawned {
            Ok(thread) => {
                self.live.insert(
                    id,
                    Live {
                        stop,
                        thread,
                        from,
                        since: Instant::now(),
                        marks,
                        leaving: false,
                    },
                );
                Ok(())
            }
            Err(_) => Err(()),
        }
    }

    fn report_waiting(&mut self) {
        if self.waiting.len() != self.waiting_shown {
            self.waiting_shown = self.waiting.len();
            self.ctx.outbox.emit(Event::Waiting {
                role: self.ctx.role,
                count: self.waiting_shown,
            });
        }
    }

    /// Ends every conversation (each reports its own end) and joins their threads;
    /// waiting clients are closed unwelcomed, as the reference's backlog would be.
    fn stop_all(&mut self) {
        for live in self.live.values() {
            live.stop.stop();
        }
        for (_, live) in self.live.drain() {
            let _ = live.thread.join();
        }
        self.waiting.clear();
        self.report_waiting();
    }
}

/// What the acceptor thread needs.
struct Acceptor {
    /// Asked about every connection before anything else.
    door: SharedDoor,
    /// Poked (without blocking) when the door closed a connection.
    refused: Sender<()>,
    stop: Arc<StopSwitch>,
    outbox: Outbox,
    role: RoleId,
    local: SocketAddr,
    places: Arc<Places>,
    welcome: String,
    encoding: WireEncoding,
    policy: TurnPolicy,
    line_ending: LineEnding,
}

impl Acceptor {
    /// Accepts, welcomes when there is a place, hands over; until stopped.
    fn run(&self, listener: &TcpListener, accepted: &Sender<Arrival>) {
        let mut failures = 0;
        let mut backoff = Backoff::default();
        while !self.stop.is_stopped() {
            match listener.accept() {
                Ok(_) if self.stop.is_stopped() => return, // most likely our own wake-up call
                Ok((stream, peer)) => {
                    failures = 0;
                    backoff.succeeded();
                    // Non-blocking until served, so that checking whether it left (and
                    // the welcome) never block.
                    let _ = stream.set_nonblocking(true);
                    if has_left(&stream) {
                        continue; // a port scanner: nothing to welcome, show or keep
                    }
                    let from = peer.ip();
                    if self
                        .door
                        .change(|d| d.arrive(from, Instant::now()))
                        .is_err()
                    {
                        // Closed before any welcome; the listener tells the window.
                        drop(stream);
                        let _ = self.refused.try_send(());
                        continue;
                    }
                    let arrival = if self.places.take() {
                        let welcome = session::welcome_at_once(
                            &stream,
                            &self.welcome,
                            self.encoding,
                            self.policy,
                            self.line_ending,
                        );
                        Arrival::Served {
                            stream,
                            welcome,
                            from,
                        }
                    } else {
                        Arrival::Waits(Waiter { stream, from })
                    };
                    if accepted.send(arrival).is_err() {
                        return;
                    }
                }
                Err(_) if self.stop.is_stopped() => return,
                Err(e) => {
                    // Out of descriptors or memory passes: wait and go on, for ever.
                    if !temporary(&e) {
                        failures += 1;
                    }
                    if failures >= MAX_ACCEPT_FAILURES {
                        self.outbox.emit(Event::RoleFailed {
                            role: self.role,
                            error: NetError::Listen {
                                addr: self.local.to_string(),
                                detail: e.to_string(),
                            },
                        });
                        return;
                    }
                    // A back-off so a persistent error cannot spin; a stop ends the wait
                    // at once.
                    let _ = self.stop.signal().recv_timeout(backoff.failed());
                }
            }
        }
    }
}

/// Whether a failed `accept` is a passing state of the machine (out of descriptors,
/// buffers or memory) rather than a broken listener: then the acceptor never gives up.
fn temporary(e: &io::Error) -> bool {
    #[cfg(unix)]
    let passing = [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM];
    // WSAEMFILE and WSAENOBUFS.
    #[cfg(windows)]
    let passing = [10024, 10055];
    #[cfg(not(any(unix, windows)))]
    let passing: [i32; 0] = [];
    e.raw_os_error().is_some_and(|code| passing.contains(&code))
        || e.kind() == io::ErrorKind::OutOfMemory
}

/// Connects to our own listening address so that an `accept` blocked on it returns on
/// systems where shutting the socket down does not wake it (Windows). Harmless elsewhere:
/// the acceptor has already ended, and the connection is refused or closed unserved.
fn wake_acceptor(local: SocketAddr) {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let _ = TcpStream::connect_timeout(&SocketAddr::new(ip, local.port()), WAKE_CONNECT);
}

/// Whether a client that has not been welcomed yet already left without saying anything
/// (a port scanner, or someone who gave up while waiting). Such a connection has nothing
/// to show and nobody to welcome: serving it would only open an empty conversation and
/// leave an empty transcript file, once per scanner. It is closed without a word. A client
/// that sent bytes before leaving is served as usual, so that what it said is shown and
/// kept. Expects a non-blocking stream.
fn has_left(stream: &TcpStream) -> bool {
    let mut probe = [0u8; 1];
    match stream.peek(&mut probe) {
        // End of stream and no data: the client closed (FIN) before we got to it.
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
        ),
    }
}

/// The peer's address of an accepted stream.
fn peer_of(stream: &TcpStream) -> Option<SocketAddr> {
    stream.peer_addr().ok()
}

/// The acceptor only accepts: a small stack is plenty.
const ACCEPTOR_STACK: usize = 64 * 1024;

/// Binds like the reference (backlog 255, and `SO_REUSEADDR` except on Windows); `::` also
/// accepts IPv4.
///
/// `SO_REUSEADDR` lets a server start again at once on a port whose old connections are
/// still in TIME_WAIT. Windows never blocks a new listener on those, and there the same
/// option means something else: another program could bind the port while TurnChat
/// listens on it and take its clients. So Windows gets the default, as Rust's own
/// `TcpListener::bind` does.
fn bind(host: &str, port: u16) -> io::Result<Socket> {
    let addr = (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::from(io::ErrorKind::AddrNotAvailable))?;
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if !cfg!(windows) {
        socket.set_reuse_address(true)?;
    }
    if addr.is_ipv6() {
        // Dual-stack where the system allows it; a failure only means IPv6-only.
        let _ = socket.set_only_v6(false);
    }
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket)
}

/// The addresses another machine could type to reach `local`.
pub(crate) fn lan_addresses(local: SocketAddr) -> Vec<SocketAddr> {
    let ip = local.ip();
    if ip.is_loopback() {
        return Vec::new();
    }
    if !ip.is_unspecified() {
        return vec![local];
    }
    let mut out: Vec<SocketAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|iface| iface.ip())
        .filter(|a| !a.is_loopback())
        .filter(|a| match a {
            IpAddr::V4(_) => true,
            // Only `::` listens on IPv6; link-local addresses need a zone to be typed.
            IpAddr::V6(v6) => ip.is_ipv6() && (v6.segments()[0] & 0xffc0) != 0xfe80,
        })
        .map(|a| SocketAddr::new(a, local.port()))
        .collect();
    out.sort();
    out.dedup();
    out
}
