//! The client role: resolve, connect with a bounded timeout, then one conversation.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::event::{Event, Role, RoleId};
use super::session::{self, SessionSetup};
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
    pub timeouts: Timeouts,
}

pub(crate) fn run(ctx: ConnectorContext) {
    let target = join_host_port(&ctx.config.host, ctx.config.port);
    ctx.outbox.emit(Event::Connecting {
        role: ctx.role,
        target: target.clone(),
    });
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
                welcome: None,
                outbox: ctx.outbox.clone(),
                stop: Arc::clone(&ctx.stop),
                links: ctx.links.clone(),
                transcripts: ctx.transcripts.clone(),
                send_timeout: ctx.timeouts.send,
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
                socket.connect_timeout(&addr.into(), timeout)?;
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
