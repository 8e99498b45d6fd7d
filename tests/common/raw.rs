//! Raw peers on loopback sockets, driven by the test: they can behave exactly like the
//! reference client (one message per turn, strict GBK) or misbehave in ways the Python
//! peers never would (reset, half-close, never read). Every read and write has a timeout
//! of [`WAIT`], so a test cannot hang on one.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use super::WAIT;
use super::process::named;

/// The `n`th of many distinct loopback addresses, 127.0.0.2 onwards (Linux routes all of
/// 127.0.0.0/8 to the loopback interface), for tests that open many connections: each
/// client comes from an address of its own, as in a classroom, so that a limit per source
/// address does not apply to them.
fn source(n: usize) -> IpAddr {
    assert!(n < 253 * 256, "a source for each of at most 64,768 clients");
    // 127.0.0.2 to .254, then 127.0.1.2 and on: never a .0, .1 or .255.
    IpAddr::V4(Ipv4Addr::new(127, 0, (n / 253) as u8, 2 + (n % 253) as u8))
}

/// Sets [`WAIT`] as the read and write timeout.
fn with_timeouts(s: TcpStream) -> TcpStream {
    s.set_read_timeout(Some(WAIT)).expect("read timeout");
    s.set_write_timeout(Some(WAIT)).expect("write timeout");
    s
}

/// A connection to `addr`.
pub fn raw_connect(addr: SocketAddr) -> TcpStream {
    with_timeouts(TcpStream::connect_timeout(&addr, WAIT).expect("connect to TurnChat"))
}

/// A connection to `addr` from the address `from` (any free port).
fn raw_connect_from(from: IpAddr, addr: SocketAddr) -> TcpStream {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket
        .bind(&SocketAddr::new(from, 0).into())
        .unwrap_or_else(|e| panic!("bind to {from}: {e}"));
    socket
        .connect_timeout(&addr.into(), WAIT)
        .expect("connect to TurnChat");
    with_timeouts(socket.into())
}

/// A loopback listener on a free port, and the port.
pub fn raw_listener() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    (l, port)
}

/// Accepts one connection, waiting at most [`WAIT`] (accept runs on a named thread).
pub fn raw_accept(l: &TcpListener) -> TcpStream {
    let l = l.try_clone().expect("clone the listener");
    let (tx, rx) = crossbeam_channel::bounded(1);
    let _accepting = named("test-accept", move || {
        let _ = tx.send(l.accept());
    });
    let (s, _) = rx
        .recv_timeout(WAIT)
        .expect("TurnChat connected in time")
        .expect("accept");
    with_timeouts(s)
}

/// A loopback listener whose accept queue is full: further SYNs are dropped, so a connect
/// to it hangs exactly like one to a machine that never answers. Closed on drop.
pub struct BlackHole {
    /// Its address.
    pub addr: SocketAddr,
    _listener: socket2::Socket,
    _fillers: Vec<io::Result<TcpStream>>,
}

impl BlackHole {
    /// A listener with a backlog of 0, and the connections that fill it.
    pub fn open() -> BlackHole {
        let listener = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("socket");
        listener
            .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .expect("bind");
        listener.listen(0).expect("listen");
        let addr = listener
            .local_addr()
            .expect("addr")
            .as_socket()
            .expect("inet");
        let fillers = (0..2)
            .map(|_| TcpStream::connect_timeout(&addr, Duration::from_millis(300)))
            .collect();
        BlackHole {
            addr,
            _listener: listener,
            _fillers: fillers,
        }
    }
}

/// Reads exactly `n` bytes.
pub fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    s.read_exact(&mut buf).expect("read from TurnChat");
    buf
}

/// Reads until end of stream (bounded by the read timeout and a size limit); the error if
/// the stream ended otherwise (a reset).
pub fn read_to_end(s: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf)? {
            0 => return Ok(out),
            n => out.extend_from_slice(&buf[..n]),
        }
        assert!(out.len() < 1 << 20, "TurnChat kept sending");
    }
}

/// Closes with a reset (RST) instead of a FIN.
#[allow(dead_code)] // used by net, not by app
pub fn reset(s: TcpStream) {
    socket2::SockRef::from(&s)
        .set_linger(Some(Duration::ZERO))
        .expect("linger 0");
    drop(s);
}

/// A client that behaves like the reference one, on a raw socket with timeouts (so a test
/// cannot hang): it writes one message per turn and reads what it expects.
pub struct RawClient {
    /// The connection.
    pub stream: TcpStream,
    /// Its address, as the server sees it.
    pub local: SocketAddr,
}

impl RawClient {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> RawClient {
        RawClient::from_stream(raw_connect(addr))
    }

    /// Connects to `addr` from the loopback address [`source`]`(n)`.
    pub fn connect_from(n: usize, addr: SocketAddr) -> RawClient {
        RawClient::from_stream(raw_connect_from(source(n), addr))
    }

    fn from_stream(stream: TcpStream) -> RawClient {
        let local = stream.local_addr().expect("local");
        RawClient { stream, local }
    }

    /// Reads exactly `n` bytes.
    pub fn read_n(&mut self, n: usize) -> Vec<u8> {
        read_n(&mut self.stream, n)
    }

    /// Reads the welcome, and checks it is [`super::wire::WELCOME`] in GBK.
    pub fn welcomed(&mut self) {
        assert_eq!(
            self.read_n(super::wire::WELCOME_GBK.len()),
            super::wire::WELCOME_GBK,
            "{} was welcomed",
            self.local
        );
    }

    /// Reads until the bytes end with `end` (at most 4 KiB).
    pub fn read_until(&mut self, end: &[u8]) -> Vec<u8> {
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(end) {
            assert!(got.len() < 4096, "no end marker in {got:02x?}");
            self.stream.read_exact(&mut byte).expect("read");
            got.push(byte[0]);
        }
        got
    }

    /// Writes `text` in GBK, as one message.
    pub fn say(&mut self, text: &str) {
        self.stream
            .write_all(&super::wire::gbk(text))
            .expect("write");
    }
}
