//! Faults and hostile peers: every case of `docs/FAULTS.md`, over real loopback sockets.
//!
//! The other side is usually a raw socket driven by the test (or a named thread), so that
//! it can misbehave in ways the Python reference peers never would: reset, half-close,
//! never read, flood, drip, send garbage, scan. Every wait is a bounded wait on a channel or
//! a socket timeout; every loop that sends is bounded in count and time. Only 127.0.0.1 is
//! ever used, except one test that runs in a network namespace it creates itself.
//!
//! Tests that measure the whole process (descriptors, threads, resident memory) run
//! alone in a process of their own (`common::process::alone`), so no other test disturbs the measurement.

mod client;
mod closing;
mod disk;
mod garbage;
mod load;
mod server;
mod slow;
mod transcript_folder;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

use crate::common::backend::{
    Events, Started, backend_with, ended, listening, sent, server, started,
};
use crate::common::raw::{raw_connect, read_n};
use crate::common::wire::{WELCOME, WELCOME_GBK};
use turnchat::core::notice::EndReason;
use turnchat::net::{Backend, Timeouts};

/// Short time limits (2 s each), so that the tests of a timeout take seconds.
fn quick() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        send: Duration::from_secs(2),
        ..Timeouts::default()
    }
}

/// A server, a raw client that took the welcome, and the session between them.
fn serve_one(dir: &Path) -> (Backend, Events, TcpStream, Started) {
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    b.start_server(server());
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    assert_eq!(read_n(&mut peer, WELCOME_GBK.len()), WELCOME_GBK);
    sent(&mut events, WELCOME);
    (b, events, peer, s)
}

/// Waits for the peer's next whole message, then checks the listener still serves: a new
/// client gets the welcome.
fn listener_still_serves(events: &mut Events, addr: SocketAddr) {
    let mut next = raw_connect(addr);
    started(events);
    assert_eq!(read_n(&mut next, WELCOME_GBK.len()), WELCOME_GBK);
    next.write_all(b"bye").expect("bye");
    assert_eq!(ended(events), EndReason::PeerSaidBye);
}
