//! The I/O shell: sockets, threads and transcript files, around the pure core.
//!
//! The UI owns one [`Backend`]. Starting a role spawns one named thread for it (the
//! listener or the connector). The connector runs its one conversation on its own thread;
//! the listener owns one named thread per conversation (plus an accepting thread), so every
//! client is welcomed at once and each conversation lives, ends and is joined on its own.
//! Each conversation has one more named thread that only reads its socket. Events flow
//! back on one crossbeam channel, each send followed by a [`Waker::wake`] so the UI
//! repaints without polling; commands go to a session through [`Backend::send`].
//! Stopping a role sets its stop switch, which shuts its sockets down (unblocking every
//! blocking call) and wakes its threads; they end and are joined.

mod browse;
mod connector;
pub mod discovery;
mod discovery_outbox;
pub mod event;
pub mod interfaces;
pub mod lan;
mod legacy_answer;
pub mod limits;
mod listener;
pub mod mdns_listen;
pub mod memory;
pub mod private;
pub mod probe;
pub mod random;
pub mod said_name;
mod session;
pub mod transcript_file;

use std::collections::HashMap;
use std::net::{IpAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

pub use event::{Event, SessionCommand, SessionInfo, SessionLink};

use crate::core::codec::WireEncoding;
use crate::core::disk_budget::DiskBudget;
use crate::core::door::{Door, DoorRules};
use crate::core::framing::LineEnding;
use crate::core::ids::{RoleId, Seq, SessionId};
use crate::core::lang::Lang;
use crate::core::turn::TurnPolicy;
use crate::core::waker::Waker;

/// How long a client waits for a connection before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one send may block on a peer that does not read before the session ends.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The time limits a backend works with: [`CONNECT_TIMEOUT`] and [`SEND_TIMEOUT`] unless
/// changed with [`Backend::with_timeouts`] (tests use short ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// How long one connect attempt may take.
    pub connect: Duration,
    /// How long one whole message may take to go out before the session ends.
    pub send: Duration,
    /// How long a conversation that never said anything keeps its place, when the server
    /// is full, against a newcomer from a computer that holds fewer places.
    pub room_after: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: CONNECT_TIMEOUT,
            send: SEND_TIMEOUT,
            room_after: crate::core::room::DEFAULT_GRACE,
        }
    }
}

/// The backlog the reference server listens with.
pub const LISTEN_BACKLOG: i32 = 255;

/// How many live conversations a server holds by default; later clients wait.
pub const DEFAULT_MAX_CONVERSATIONS: usize = 200;

/// What Start Server needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Host to bind (`0.0.0.0` for every IPv4 interface).
    pub host: String,
    /// Port to bind (0 picks a free one).
    pub port: u16,
    /// Sent on accept as the server's first turn; empty gives us the first turn.
    pub welcome: String,
    /// Wire encoding.
    pub encoding: WireEncoding,
    /// Turn policy.
    pub policy: TurnPolicy,
    /// What ends each message we send; where received text splits.
    pub line_ending: LineEnding,
    /// How many conversations may run at once (at least 1); clients beyond it wait,
    /// unwelcomed, and are served in the order they came as conversations end. 1 is the
    /// reference server's one-at-a-time service.
    pub max_conversations: usize,
    /// How many live conversations one computer may hold (waiting ones included);
    /// connections beyond are closed before any welcome. 0: no limit (a class behind one
    /// NAT router). [`DEFAULT_PER_ADDRESS`] by default.
    pub per_address: usize,
}

pub use crate::core::per_address::DEFAULT_PER_ADDRESS;

/// A student's name and seat (if any) for a peer's address, as the window knows them
/// when the server starts; written on the first transcript line of its conversation.
pub type NameOf =
    Arc<dyn Fn(std::net::SocketAddr) -> Option<(String, Option<String>)> + Send + Sync>;

/// What Connect needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Host name or address of the server.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// Wire encoding.
    pub encoding: WireEncoding,
    /// Turn policy.
    pub policy: TurnPolicy,
    /// What ends each message we send; where received text splits.
    pub line_ending: LineEnding,
}

/// Everything a role's threads share with the UI thread.
#[derive(Clone)]
pub(crate) struct Outbox {
    events: Sender<Event>,
    waker: Arc<dyn Waker>,
    /// The window's language, for the words of the `system` lines sessions write into
    /// transcript files (set through [`Backend::set_lang`], read at each line).
    lang: Arc<AtomicBool>,
    /// What all conversations may hold on the way to the window ([`memory`]).
    budgets: Arc<memory::Budgets>,
}

impl Outbox {
    /// The language transcript notices are worded in now.
    pub(crate) fn lang(&self) -> Lang {
        if self.lang.load(Ordering::Relaxed) {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The budgets all conversations share.
    pub(crate) fn budgets(&self) -> &memory::Budgets {
        &self.budgets
    }

    /// Sends an event and wakes the UI. A closed channel means the UI is gone: ignore.
    pub(crate) fn emit(&self, event: Event) {
        if self.events.send(event).is_ok() {
            self.waker.wake();
        }
    }
}

/// The stop switch of one role or one conversation, shared between the UI (or the
/// listener that owns the conversation) and the threads it stops.
pub(crate) struct StopSwitch {
    stopped: AtomicBool,
    /// Sockets to shut down on stop, so blocking calls on them return.
    sockets: Mutex<Vec<Closable>>,
    /// Dropped on stop: threads waiting on [`StopSwitch::signal`] wake up.
    signal_tx: Mutex<Option<crossbeam_channel::Sender<()>>>,
    signal_rx: Receiver<()>,
}

impl Default for StopSwitch {
    fn default() -> Self {
        let (tx, rx) = crossbeam_channel::bounded(0);
        StopSwitch {
            stopped: AtomicBool::new(false),
            sockets: Mutex::new(Vec::new()),
            signal_tx: Mutex::new(Some(tx)),
            signal_rx: rx,
        }
    }
}

/// A socket the stop switch can shut down.
pub(crate) enum Closable {
    /// A listening socket, or one that is still connecting: shutting it down wakes a
    /// blocked `accept` or aborts a connect in progress (Linux; elsewhere the listener is
    /// also woken by a connection to itself, see `listener`).
    Socket(socket2::Socket),
    /// A connected stream: shutting it down ends a blocked read or write.
    Stream(TcpStream),
}

impl StopSwitch {
    fn lock(&self) -> MutexGuard<'_, Vec<Closable>> {
        // A poisoned lock only means another thread panicked mid-push; the list is still usable.
        self.sockets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether stop was requested.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// A channel that never carries anything and disconnects on stop: select on it to
    /// wake when stop is requested.
    pub(crate) fn signal(&self) -> &Receiver<()> {
        &self.signal_rx
    }

    /// Registers a socket to shut down on stop. Returns false (and shuts it down) if stop
    /// was already requested.
    pub(crate) fn register(&self, socket: Closable) -> bool {
        let mut sockets = self.lock();
        if self.is_stopped() {
            shutdown(&socket);
            return false;
        }
        sockets.push(socket);
        true
    }

    /// Requests stop, unblocks every registered socket and wakes every waiting thread.
    pub(crate) fn stop(&self) {
        let sockets = self.lock();
        self.stopped.store(true, Ordering::SeqCst);
        for s in sockets.iter() {
            shutdown(s);
        }
        drop(sockets);
        self.signal_tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

fn shutdown(socket: &Closable) {
    // Errors here mean the socket is already closed, which is what we want.
    let _ = match socket {
        Closable::Socket(l) => l.shutdown(std::net::Shutdown::Both),
        Closable::Stream(s) => s.shutdown(std::net::Shutdown::Both),
    };
}

/// The command handles of the running sessions, by id: the sessions register themselves
/// when they start and leave when they stop taking commands, so [`Backend::send`] reaches
/// exactly the sessions that can still answer.
#[derive(Clone, Default)]
pub(crate) struct Links(Arc<Mutex<HashMap<SessionId, SessionLink>>>);

impl Links {
    fn lock(&self) -> MutexGuard<'_, HashMap<SessionId, SessionLink>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn insert(&self, id: SessionId, link: SessionLink) {
        self.lock().insert(id, link);
    }

    pub(crate) fn remove(&self, id: SessionId) {
        self.lock().remove(&id);
    }

    fn get(&self, id: SessionId) -> Option<SessionLink> {
        self.lock().get(&id).cloned()
    }

    /// How many sessions take commands now (a flooding peer gives way only when others do).
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A server run's door, shared by its acceptor (which asks it about every connection),
/// its listener (which says when conversations end) and the backend (blocks).
#[derive(Clone, Debug)]
pub(crate) struct SharedDoor(Arc<Mutex<Door>>);

impl SharedDoor {
    fn new(rules: DoorRules) -> Self {
        SharedDoor(Arc::new(Mutex::new(Door::new(rules))))
    }

    /// Runs `f` on the door.
    pub(crate) fn change<T>(&self, f: impl FnOnce(&mut Door) -> T) -> T {
        // A poisoned lock only means another thread panicked mid-change; the counts are
        // still usable.
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A running role: its thread and its stop switch.
struct RoleHandle {
    id: RoleId,
    thread: Option<JoinHandle<()>>,
    stop: Arc<StopSwitch>,
    /// A server's door, shared with its acceptor (`None` for a client).
    door: Option<SharedDoor>,
}

impl RoleHandle {
    fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    fn join(&mut self) {
        if let Some(t) = self.thread.take() {
            // A panicking role thread already reported nothing more; nothing to do.
            let _ = t.join();
        }
    }
}

/// Session ids are unique within the process, even across several backends.
static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

pub(crate) fn next_session_id() -> SessionId {
    SessionId(NEXT_SESSION.fetch_add(1, Ordering::Relaxed))
}

/// The UI's handle on the network: starts and stops roles, and owns their threads.
pub struct Backend {
    outbox: Outbox,
    links: Links,
    transcripts: Option<PathBuf>,
    /// The disk budgets each run of a role gets for its transcripts.
    disk_budget: DiskBudget,
    names: Option<NameOf>,
    timeouts: Timeouts,
    next_role: u64,
    active: Option<RoleHandle>,
    /// Roles that were stopped but whose threads have not ended yet (a connect that is
    /// still timing out). Joined once finished, and at the latest on drop.
    retiring: Vec<RoleHandle>,
}

impl Backend {
    /// A backend writing transcripts into `transcripts` (no files if `None`). Returns the
    /// receiving end of its event channel.
    pub fn new(waker: Arc<dyn Waker>, transcripts: Option<PathBuf>) -> (Backend, Receiver<Event>) {
        let (events, rx) = crossbeam_channel::unbounded();
        (
            Backend {
                outbox: Outbox {
                    events,
                    waker,
                    lang: Arc::new(AtomicBool::new(false)),
                    budgets: Arc::default(),
                },
                links: Links::default(),
                transcripts,
                disk_budget: DiskBudget::default(),
                names: None,
                timeouts: Timeouts::default(),
                next_role: 1,
                active: None,
                retiring: Vec::new(),
            },
            rx,
        )
    }

    /// What all conversations hold now on the way to the window ([`memory`]).
    pub fn memory_in_use(&self) -> memory::InUse {
        let budgets = self.outbox.budgets();
        let (in_flight, in_flight_peak) = budgets.flight.held();
        let (big_reads, big_reads_peak) = budgets.reads.alive();
        memory::InUse {
            in_flight,
            in_flight_peak,
            big_reads,
            big_reads_peak,
        }
    }

    /// Words the `system` lines of transcript files in `lang` from now on (in every running
    /// session too): the window's language.
    pub fn set_lang(&self, lang: Lang) {
        self.outbox
            .lang
            .store(lang == Lang::ZhCn, Ordering::Relaxed);
    }

    /// Uses `timeouts` for roles started from now on.
    #[must_use]
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    fn new_role(&mut self) -> (RoleId, Arc<StopSwitch>) {
        self.stop();
        let id = RoleId(self.next_role);
        self.next_role += 1;
        (id, Arc::new(StopSwitch::default()))
    }

    /// The disk budgets for the transcripts of roles started from now on (each run of a
    /// role gets its own total); [`DiskBudget::default`] unless set.
    pub fn set_disk_budget(&mut self, budget: DiskBudget) {
        self.disk_budget = budget;
    }

    /// The names servers started from now on write on each conversation's first
    /// transcript line (`None`: none).
    pub fn set_names(&mut self, names: Option<NameOf>) {
        self.names = names;
    }

    /// Where the transcripts of roles started from now on go (`None`: not written); the
    /// window gives each server run a folder of its own.
    pub fn set_transcripts(&mut self, dir: Option<PathBuf>) {
        self.transcripts = dir;
    }

    /// Starts listening. Any role already running is stopped first.
    /// Returns the role id that this server's events will carry.
    pub fn start_server(&mut self, config: ServerConfig) -> RoleId {
        let (id, stop) = self.new_role();
        let door = SharedDoor::new(DoorRules::with_per_address(config.per_address));
        let ctx = listener::ListenerContext {
            role: id,
            door: door.clone(),
            config,
            outbox: self.outbox.clone(),
            stop: Arc::clone(&stop),
            links: self.links.clone(),
            transcripts: self.transcripts.clone(),
            disk: Arc::new(transcript_file::RunDisk::new(self.disk_budget)),
            timeouts: self.timeouts,
            names: self.names.clone(),
        };
        let thread = spawn_named(
            format!("turnchat-listener-{}", id.0),
            &self.outbox,
            id,
            move || {
                listener::run(ctx);
            },
        );
        self.active = Some(RoleHandle {
            id,
            thread,
            stop,
            door: Some(door),
        });
        id
    }

    /// Connects to a server. Any role already running is stopped first.
    /// Returns the role id that this connection's events will carry.
    pub fn connect(&mut self, config: ClientConfig) -> RoleId {
        self.connect_after(config, Duration::ZERO)
    }

    /// Like [`Backend::connect`], after waiting `delay` (auto-reconnect). The wait is on
    /// the role's stop switch: [`Backend::stop`] ends it at once, and no connect is tried.
    pub fn connect_after(&mut self, config: ClientConfig, delay: Duration) -> RoleId {
        let (id, stop) = self.new_role();
        let ctx = connector::ConnectorContext {
            role: id,
            config,
            outbox: self.outbox.clone(),
            stop: Arc::clone(&stop),
            links: self.links.clone(),
            transcripts: self.transcripts.clone(),
            disk: Arc::new(transcript_file::RunDisk::new(self.disk_budget)),
            timeouts: self.timeouts,
            delay,
        };
        let thread = spawn_named(
            format!("turnchat-connector-{}", id.0),
            &self.outbox,
            id,
            move || {
                connector::run(ctx);
            },
        );
        self.active = Some(RoleHandle {
            id,
            thread,
            stop,
            door: None,
        });
        id
    }

    /// Blocks `addr`'s computer for the rest of this server run: its new connections are
    /// closed before any welcome (its live conversations go on; end them with
    /// [`Backend::bye`]). Returns false when no server is running.
    pub fn block(&self, addr: IpAddr) -> bool {
        self.with_door(|door| door.block(addr))
    }

    /// Lifts every block of this server run. Returns false when no server is running.
    pub fn unblock_all(&self) -> bool {
        self.with_door(Door::unblock_all)
    }

    /// Changes the running server's door, then tells the window what it is now.
    fn with_door(&self, change: impl FnOnce(&mut Door)) -> bool {
        let Some((role, door)) = self
            .active
            .as_ref()
            .and_then(|a| a.door.as_ref().map(|d| (a.id, d)))
        else {
            return false;
        };
        let (tally, blocked) = door.change(|d| {
            change(d);
            (d.tally(), d.blocked())
        });
        self.outbox.emit(Event::Door {
            role,
            tally,
            blocked,
        });
        true
    }

    /// Asks a running session to send `text`, numbered `seq` for the reports that come
    /// back. If the session no longer takes messages (it ended), the text comes back.
    pub fn send(&self, session: SessionId, seq: Seq, text: String) -> Result<(), String> {
        match self.links.get(session) {
            Some(link) => link.send_numbered(seq, text),
            None => Err(text),
        }
    }

    /// Asks a running session to send exactly `bytes` (typed as hex `typed`), numbered
    /// `seq`. If the session no longer takes messages, the typed text comes back.
    pub fn send_bytes(
        &self,
        session: SessionId,
        seq: Seq,
        typed: String,
        bytes: Vec<u8>,
    ) -> Result<(), String> {
        match self.links.get(session) {
            Some(link) => link.send_bytes(Some(seq), typed, bytes),
            None => Err(typed),
        }
    }

    /// Asks a running session to read and write `encoding` from now on. Returns false if
    /// it already ended.
    pub fn set_encoding(&self, session: SessionId, encoding: WireEncoding) -> bool {
        self.links
            .get(session)
            .is_some_and(|link| link.set_encoding(encoding))
    }

    /// Asks a running session to say `bye` and close. Returns false if it already ended.
    pub fn bye(&self, session: SessionId) -> bool {
        self.links.get(session).is_some_and(|link| link.bye())
    }

    /// The running role, if any.
    pub fn active_role(&self) -> Option<RoleId> {
        self.active.as_ref().map(|r| r.id)
    }

    /// Stops the running role (Stop Server, Cancel, Disconnect) without blocking: its
    /// sockets are shut down at once, and its thread is joined when it has ended.
    pub fn stop(&mut self) {
        if let Some(role) = self.active.take() {
            role.stop.stop();
            self.retiring.push(role);
        }
        self.reap();
    }

    /// Joins role threads that have ended. Cheap; call it once per frame.
    pub fn reap(&mut self) {
        if self.active.as_ref().is_some_and(RoleHandle::is_finished)
            && let Some(mut done) = self.active.take()
        {
            done.join();
        }
        self.retiring.retain_mut(|r| {
            if r.is_finished() {
                r.join();
                false
            } else {
                true
            }
        });
    }

    /// Stops everything and waits for every thread (at most the connect timeout for a
    /// connect in progress).
    pub fn shutdown(&mut self) {
        self.stop();
        for mut r in self.retiring.drain(..) {
            r.join();
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Spawns a named thread with a stack of `stack` bytes (0: the platform's default).
pub(crate) fn spawn_thread(
    name: String,
    stack: usize,
    f: impl FnOnce() + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    let mut builder = std::thread::Builder::new().name(name);
    if stack > 0 {
        builder = builder.stack_size(stack);
    }
    builder.spawn(f)
}

/// Lets the calling thread give way to every other thread of the process: used by the
/// threads of a conversation whose peer floods, so that on a machine with few cores the
/// other conversations (and the window) keep their pace while the flood still gets all
/// the time nobody else wants. Linux: nice 10 for this thread only (which needs no
/// privilege, and cannot be undone without one: a flooding conversation keeps it).
/// Elsewhere nothing changes.
pub(crate) fn give_way() {
    #[cfg(target_os = "linux")]
    {
        // PRIO_PROCESS with "who" 0 is the calling thread on Linux. A failure only means
        // the flood keeps its share.
        let _ = rustix::process::setpriority_process(None, 10);
    }
}

/// A role's own thread: the connector runs its conversation on it.
const ROLE_STACK: usize = session::SESSION_STACK;

/// Spawns a role's named thread; if the OS refuses, reports it as the role failing.
fn spawn_named(
    name: String,
    outbox: &Outbox,
    role: RoleId,
    f: impl FnOnce() + Send + 'static,
) -> Option<JoinHandle<()>> {
    match spawn_thread(name, ROLE_STACK, f) {
        Ok(t) => Some(t),
        Err(e) => {
            outbox.emit(Event::RoleFailed {
                role,
                error: crate::core::error::NetError::Listen {
                    addr: String::from("this computer"),
                    detail: format!("no thread could be started: {e}"),
                },
            });
            None
        }
    }
}

pub(crate) fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}
