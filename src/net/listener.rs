//! The server role: listen, welcome each client, one conversation at a time.
//!
//! Like the reference server, clients that connect while a conversation is running wait
//! in the listen backlog and are served in turn when it ends.

use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use super::event::{Event, Role, RoleId};
use super::session::{self, SessionSetup};
use super::{Closable, LISTEN_BACKLOG, Outbox, ServerConfig, StopSwitch, Timeouts};
use crate::core::address::join_host_port;
use crate::core::error::NetError;

pub(crate) struct ListenerContext {
    pub role: RoleId,
    pub config: ServerConfig,
    pub outbox: Outbox,
    pub stop: Arc<StopSwitch>,
    pub transcripts: Option<PathBuf>,
    pub timeouts: Timeouts,
}

/// How many failed accepts in a row (descriptor exhaustion, say) before giving up.
const MAX_ACCEPT_FAILURES: u32 = 50;

pub(crate) fn run(ctx: ListenerContext) {
    let shown = join_host_port(&ctx.config.host, ctx.config.port);
    let listener = match bind(&ctx.config.host, ctx.config.port) {
        Ok(l) => l,
        Err(error) => {
            ctx.outbox.emit(Event::RoleFailed {
                role: ctx.role,
                error: NetError::from_listen(&shown, &error),
            });
            ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
            return;
        }
    };
    let local = listener.local_addr().ok().and_then(|a| a.as_socket());
    let Some(local) = local else {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    };
    let Ok(for_stop) = listener.try_clone() else {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    };
    if !ctx.stop.register(Closable::Socket(for_stop)) {
        ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
        return;
    }
    ctx.outbox.emit(Event::Listening {
        role: ctx.role,
        local,
        lan: lan_addresses(local),
    });
    let listener: TcpListener = listener.into();

    let mut failures = 0;
    while !ctx.stop.is_stopped() {
        match listener.accept() {
            Ok((stream, _)) => {
                failures = 0;
                if closed_before_served(&stream) {
                    continue;
                }
                session::run(
                    stream,
                    SessionSetup {
                        role: ctx.role,
                        as_role: Role::Server,
                        encoding: ctx.config.encoding,
                        policy: ctx.config.policy,
                        welcome: Some(ctx.config.welcome.clone()),
                        outbox: ctx.outbox.clone(),
                        stop: Arc::clone(&ctx.stop),
                        transcripts: ctx.transcripts.clone(),
                        send_timeout: ctx.timeouts.send,
                    },
                );
            }
            Err(_) if ctx.stop.is_stopped() => break,
            Err(e) => {
                failures += 1;
                if failures >= MAX_ACCEPT_FAILURES {
                    ctx.outbox.emit(Event::RoleFailed {
                        role: ctx.role,
                        error: NetError::Listen {
                            addr: local.to_string(),
                            detail: e.to_string(),
                        },
                    });
                    break;
                }
                // A short back-off so a persistent error (out of descriptors) cannot spin.
                std::thread::park_timeout(Duration::from_millis(20));
            }
        }
    }
    ctx.outbox.emit(Event::RoleStopped { role: ctx.role });
}

/// Whether a client that waited in the backlog already left without saying anything (a
/// port scanner, or someone who gave up while another conversation was running).
///
/// Such a connection has nothing to show and nobody to welcome: serving it would only open an
/// empty conversation, switch the window to it and leave an empty transcript file, once per
/// scanner. It is closed without a word. A client that sent bytes before leaving is served
/// as usual, so that what it said is shown and kept.
fn closed_before_served(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let mut probe = [0u8; 1];
    let gone = match stream.peek(&mut probe) {
        // End of stream and no data: the client closed (FIN) before we got to it.
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
        ),
    };
    // A stream we cannot put back into blocking mode cannot be served either.
    gone || stream.set_nonblocking(false).is_err()
}

/// Binds like the reference (`SO_REUSEADDR`, backlog 255); `::` also accepts IPv4.
fn bind(host: &str, port: u16) -> std::io::Result<Socket> {
    let addr = (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrNotAvailable))?;
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
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
