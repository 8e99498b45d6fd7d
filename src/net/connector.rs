//! The client role: resolve, connect with a bounded timeout, then one conversation.
//!
//! Connecting must stop at once when the user cancels (Cancel, Esc, closing the window),
//! on every system. A blocking connect can only be interrupted by shutting its socket
//! down, which Linux honours and Windows ignores. So the connect is started non-blocking,
//! and its outcome is checked in short, growing slices (1 ms up to 50 ms), each pause
//! being a wait on the stop signal: a stop ends the pause at once, and the attempt is
//! dropped. Loopback and LAN connects still finish within a millisecond or two; a long
//! wait costs at most one check every 50 ms.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::event::Event;
use super::session::{self, SessionSetup};
use super::transcript_file::RunDisk;
use crate::core::ids::RoleId;
use crate::core::turn::Role;
use socket2::{Domain, Protocol, Socket, Type};

use super::{ClientConfig, Closable, Links, Outbox, StopSwitch, Timeouts, next_session_id};
use crate::core::address::join_host_port;
use crate::core::error::NetError;

pub(crate) struct ConnectorContext {
    pub role: RoleId,
    pub config: ClientConfig,
    pub outbox: Outbox,
    pub stop: Arc<StopSwitch>,
    pub links: Links,
    pub transcripts: Option<PathBuf>,
    /// The run's disk budget for transcripts, shared by its conversations.
    pub disk: Arc<RunDisk>,
    pub timeouts: Timeouts,
    /// How long to wait before connecting (auto-reconnect's backoff): a wait on the stop
    /// signal, so Cancel ends it at once.
    pub delay: Duration,
}

pub(crate) fn run(ctx: ConnectorContext) {
    let target = join_host_port(&ctx.config.host, ctx.config.port);
    ctx.outbox.emit(Event::Connecting {
        role: ctx.role,
        target: target.clone(),
    });
    if !ctx.delay.is_zero() {
        // Nothing is ever sent on the signal: this returns on stop or after the delay.
        let _ = ctx.stop.signal().recv_timeout(ctx.delay);
    }
    if ctx.stop.is_stopped() {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    }
    match connect(
        &ctx.config.host,
        ctx.config.port,
        &target,
        &ctx.stop,
        ctx.timeouts.connect,
    ) {
        // Cancelled meanwhile: drop the connection without a word; the UI has moved on.
        Ok(_) if ctx.stop.is_stopped() => {}
        Ok(stream) => session::run(
            stream,
            SessionSetup {
                id: next_session_id(),
                role: ctx.role,
                as_role: Role::Client,
                encoding: ctx.config.encoding,
                policy: ctx.config.policy,
                line_ending: ctx.config.line_ending,
                welcome: None,
                outbox: ctx.outbox.clone(),
                stop: Arc::clone(&ctx.stop),
                links: ctx.links.clone(),
                transcripts: ctx.transcripts.clone(),
                disk: Arc::clone(&ctx.disk),
                send_timeout: ctx.timeouts.send,
                marks: Arc::default(),
                name: None,
            },
        ),
        Err(_) if ctx.stop.is_stopped() => {}
        Err(error) => ctx.outbox.emit(Event::RoleFailed {
            role: ctx.role,
            error,
        }),
    }
    ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
}

/// Tries every address the name resolves to, each with `timeout` (normally
/// [`super::CONNECT_TIMEOUT`]). A stop (Cancel, Esc, closing the window) aborts the attempt
/// in progress at once.
fn connect(
    host: &str,
    port: u16,
    target: &str,
    stop: &StopSwitch,
    timeout: Duration,
) -> Result<TcpStream, NetError> {
    let addrs: Vec<_> = match (host, port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => {
            return Err(NetError::NameNotFound {
                host: host.to_owned(),
            });
        }
    };
    let mut last = NetError::NameNotFound {
        host: host.to_owned(),
    };
    for addr in addrs {
        let attempt = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
            .and_then(|socket| {
                let handle = socket.try_clone()?;
                if !stop.register(Closable::Socket(handle)) {
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                connect_stoppably(&socket, &addr.into(), stop, timeout)?;
                Ok(TcpStream::from(socket))
            });
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) => last = NetError::from_connect(target, &e, timeout.as_secs()),
        }
        if stop.is_stopped() {
            break;
        }
    }
    Err(last)
}

/// The first pause between two checks of a connect in progress, and the longest.
const FIRST_CHECK: Duration = Duration::from_millis(1);
const LONGEST_CHECK: Duration = Duration::from_millis(50);

/// Connects `socket` to `addr` within `timeout`, returning at once (with `Interrupted`)
/// when `stop` is requested. Leaves the socket blocking once connected.
///
/// Failures keep the operating system's error, so that they read as the same sentences
/// as a blocking connect's: refused, unreachable, or `TimedOut` when the time runs out.
fn connect_stoppably(
    socket: &Socket,
    addr: &socket2::SockAddr,
    stop: &StopSwitch,
    timeout: Duration,
) -> io::Result<()> {
    socket.set_nonblocking(true)?;
    match socket.connect(addr) {
        Ok(()) => {}
        Err(e) if under_way(&e) => {
            wait_connected(socket, stop, timeout)?;
        }
        Err(e) => return Err(e),
    }
    socket.set_nonblocking(false)
}

/// Whether a non-blocking connect's error only says "under way": EINPROGRESS on Unix
/// (whose `ErrorKind` is not stable yet), WSAEWOULDBLOCK on Windows.
fn under_way(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EINPROGRESS) {
        return true;
    }
    e.kind() == io::ErrorKind::WouldBlock
}

/// Waits until the connect started on `socket` succeeds or fails, the time runs out, or
/// stop is requested. The outcome is read without any system-specific polling call: a
/// failed connect leaves its error in `SO_ERROR` (`take_error`), and a connected socket
/// has a peer address.
fn wait_connected(socket: &Socket, stop: &StopSwitch, timeout: Duration) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut pause = FIRST_CHECK;
    loop {
        if let Some(e) = socket.take_error()? {
            return Err(e);
        }
        if socket.peer_addr().is_ok() {
            return Ok(());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::from(io::ErrorKind::TimedOut));
        }
        // The stop signal never carries anything; it disconnects on stop.
        if !matches!(
            stop.signal().recv_timeout(pause.min(left)),
            Err(crossbeam_channel::RecvTimeoutError::Timeout)
        ) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        pause = (pause * 2).min(LONGEST_CHECK);
    }
}
