//! Load generator for TurnChat's performance figures (see BENCHMARKS.md).
//!
//! ```text
//! loadgen latency [--turns N]          in-process: a Rust peer and TurnChat's backend +
//!                                      state over loopback; prints latency percentiles
//! loadgen flood --port P [--mb M]      connects to 127.0.0.1:P and writes M MB of GBK
//!                                      Chinese as fast as it can; prints the throughput
//!
//! Many conversations (issue 9), each beside its one-conversation baseline, measured in the
//! same run against an in-process server (TurnChat's backend as the window runs it, at its
//! default limit of conversations, writing transcript files) whose events this thread
//! applies to the window's `State`, as the window does:
//!
//! loadgen welcome [--clients N] [--rounds R] [--port P]
//!     N clients connect at once (behind a barrier), R times; each times connect() start →
//!     the welcome fully read on its socket. Baseline: N clients, one at a time, alone.
//!     With --port, the server is a TurnChat listening on 127.0.0.1:P (a real window).
//! loadgen many [--clients N] [--turns T] [--think-ms MS] [--base-turns B]
//!     N clients chat at once, T turns each, thinking 0..2×MS (random) before each
//!     message; peer write → Received applied to the state, and the state's reply goes
//!     back through Backend::send. Baseline: 1 client, B turns, the same pace.
//! loadgen flood-beside [--clients N] [--mb M] [--rounds R] [--think-ms MS] [--base-turns B]
//!                      [--quiet-ms Q]
//!     N clients chat (as above) while one more client floods M MB, R times, one after
//!     the other; latency of the N during the floods. Baselines: the same N during the
//!     Q ms before the first flood, and 1 client alone. --flooder-nice K runs the flooding
//!     client's thread at nice K (Linux), as a stand-in for a peer on another machine.
//! loadgen flood-alone [--mb M] [--rounds R]
//!     the network side of the ingest figure, without a window: one client floods M MB
//!     into the in-process server (alone: nothing to give way to), R times, each beside
//!     the same flood into `nc -l > /dev/null` (needs netcat-openbsd's nc).
//! loadgen drip [--clients N] [--seconds S]
//!     N clients, each from a loopback address of its own (127.0.0.2 on), drip one byte a
//!     millisecond for S seconds into the in-process server; prints the bytes its transcript
//!     files take per byte received (issue 22, item 5).
//! loadgen class --port P [--clients N] [--seconds S]
//!     opens N clients to a TurnChat listening on 127.0.0.1:P (a real window), reads each
//!     one's welcome, says so on stdout, then holds them idle (nothing sent) S seconds.
//! ```
//!
//! With `LOADGEN_DUMP=1` every sample is also printed to stderr, in the order taken.
//! An unknown flag or a bad value is refused with a sentence (`loadgen help` lists them).
//!
//! Only ever talks to 127.0.0.1; every loop is bounded by its count and every phase by
//! time.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use clap::Parser;
use crossbeam_channel::{Receiver, select};
use turnchat::core::codec::{WireEncoding, encode_guarded};
use turnchat::core::framing::LineEnding;
use turnchat::core::ids::SessionId;
use turnchat::core::turn::TurnPolicy;
use turnchat::core::waker::NoWaker;
use turnchat::net::{Backend, ClientConfig, DEFAULT_MAX_CONVERSATIONS, Event, ServerConfig};
use turnchat::state::{RoleStatus, State};

/// What to measure, from the command line. An unknown flag, a missing value or one that
/// does not parse is refused with clap's sentence (exit status 2): a misspelt command must
/// not measure something else with the defaults.
#[derive(Parser, Debug)]
#[command(
    name = "loadgen",
    about = "Load generator for TurnChat's performance figures (see BENCHMARKS.md)."
)]
enum Command {
    /// In-process: a Rust peer and TurnChat's backend + state over loopback; latency percentiles.
    Latency {
        #[arg(long, default_value_t = 10_000)]
        turns: usize,
    },
    /// Writes M MB of GBK Chinese to 127.0.0.1:P (a TurnChat or nc) as fast as it can.
    Flood {
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        port: u16,
        #[arg(long, default_value_t = 200)]
        mb: u64,
    },
    /// N clients connect at once, R times; connect() → welcome read, beside one at a time.
    Welcome {
        #[arg(long, default_value_t = 200)]
        clients: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// A TurnChat listening on 127.0.0.1:P (a real window) instead of the in-process server.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        port: Option<u16>,
    },
    /// N clients chat at once, T turns each; peer write → Received applied to the state.
    Many {
        #[arg(long, default_value_t = 200)]
        clients: usize,
        #[arg(long, default_value_t = 20)]
        turns: usize,
        #[arg(long, default_value_t = 50)]
        think_ms: u64,
        #[arg(long, default_value_t = 200)]
        base_turns: usize,
    },
    /// N clients chat while one more floods M MB, R times; their latency during the floods.
    FloodBeside {
        #[arg(long, default_value_t = 10)]
        clients: usize,
        #[arg(long, default_value_t = 200)]
        mb: u64,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        #[arg(long, default_value_t = 5)]
        think_ms: u64,
        #[arg(long, default_value_t = 1000)]
        base_turns: usize,
        #[arg(long, default_value_t = 2000)]
        quiet_ms: u64,
        /// The flooding client's thread at nice K (Linux), standing in for another machine.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(-20..=19))]
        flooder_nice: i32,
    },
    /// One client floods M MB into the in-process server, R times, beside nc -l.
    FloodAlone {
        #[arg(long, default_value_t = 200)]
        mb: u64,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// N clients drip a byte a millisecond for S seconds; transcript bytes per byte received.
    Drip {
        #[arg(long, default_value_t = 20)]
        clients: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
    },
    /// N clients, each from a loopback address of its own (127.0.0.2…), connect to a
    /// TurnChat on 127.0.0.1:P, read their welcome, send one message of M MiB, then close.
    Mib {
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        port: u16,
        #[arg(long, default_value_t = 200)]
        clients: usize,
        #[arg(long, default_value_t = 1)]
        mib: usize,
    },
    /// N clients connect to a TurnChat on 127.0.0.1:P, read their welcome, then idle S seconds.
    Class {
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        port: u16,
        #[arg(long, default_value_t = 200)]
        clients: usize,
        #[arg(long, default_value_t = 45)]
        seconds: u64,
    },
}

fn main() {
    match Command::parse() {
        Command::Latency { turns } => latency(turns),
        Command::Flood { port, mb } => flood(port, mb),
        Command::Mib { port, clients, mib } => mib_each(port, clients, mib),
        Command::Welcome {
            clients,
            rounds,
            port,
        } => welcome(clients, rounds, port),
        Command::Many {
            clients,
            turns,
            think_ms,
            base_turns,
        } => many(clients, turns, Duration::from_millis(think_ms), base_turns),
        Command::FloodBeside {
            clients,
            mb,
            rounds,
            think_ms,
            base_turns,
            quiet_ms,
            flooder_nice,
        } => flood_beside(
            clients,
            mb,
            rounds,
            Duration::from_millis(think_ms),
            base_turns,
            Duration::from_millis(quiet_ms),
            flooder_nice,
        ),
        Command::FloodAlone { mb, rounds } => flood_alone(mb, rounds),
        Command::Drip { clients, seconds } => drip(clients, seconds),
        Command::Class {
            port,
            clients,
            seconds,
        } => class(port, clients, seconds),
    }
}

fn gbk(text: &str) -> Vec<u8> {
    encode_guarded(WireEncoding::Gbk, text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn percentiles(name: &str, mut v: Vec<Duration>) {
    if std::env::var_os("LOADGEN_DUMP").is_some() {
        let ms: Vec<String> = v
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
            .collect();
        eprintln!("{name}: {}", ms.join(" "));
    }
    v.sort();
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
        v.len(),
        at(0.5),
        at(0.99),
        at(0.999),
        v.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
}

/// Peer writes a message → the Received event is applied to the app state (after the
/// backend asked for a repaint); our send → the bytes are read by the peer.
fn latency(turns: usize) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let dir = std::env::temp_dir().join(format!("turnchat-loadgen-{}", std::process::id()));
    let (mut backend, events) = Backend::new(Arc::new(NoWaker), Some(dir.clone()));
    let (t0_tx, t0_rx) = crossbeam_channel::unbounded::<Instant>();
    let (read_tx, read_rx) = crossbeam_channel::unbounded::<Instant>();
    let message = gbk("第一百二十三条消息：今天下午三点开会。");
    let reply_text = "收到，谢谢！";
    let reply = gbk(reply_text);
    let peer_message = message.clone();
    let peer = std::thread::Builder::new()
        .name("loadgen-peer".into())
        .spawn(move || {
            let message = peer_message;
            let (mut s, _) = listener.accept().expect("accept");
            s.set_nodelay(true).expect("nodelay");
            let mut buf = vec![0u8; reply.len()];
            for _ in 0..=turns {
                let _ = t0_tx.send(Instant::now());
                s.write_all(&message).expect("peer write");
                s.read_exact(&mut buf).expect("peer read");
                let _ = read_tx.send(Instant::now());
            }
            let _ = s.shutdown(Shutdown::Both);
        })
        .expect("spawn peer");

    let role = backend.connect(ClientConfig {
        host: "127.0.0.1".into(),
        port,
        encoding: WireEncoding::Gbk,
        policy: TurnPolicy::Strict,
        line_ending: LineEnding::None,
    });
    let mut state = State::default();
    state.role_started(RoleStatus::Connecting {
        role,
        target: format!("127.0.0.1:{port}"),
        retry: None,
    });
    let mut link = None;
    let mut to_app = Vec::with_capacity(turns);
    let mut to_peer = Vec::with_capacity(turns);
    let wait = Duration::from_secs(10);
    for turn in 0..=turns {
        // One whole peer message (it may arrive in more than one read).
        let mut got = 0;
        while got < message.len() {
            let event = events.recv_timeout(wait).expect("an event within 10 s");
            if let Event::SessionStarted { link: l, .. } = &event {
                link = Some(l.clone());
            }
            let (n, is_message) = match &event {
                Event::Received { bytes, .. } => (bytes.len(), true),
                _ => (0, false),
            };
            state.apply(event);
            got += n;
            if is_message && got >= message.len() && turn > 0 {
                let t0 = t0_rx.recv_timeout(wait).expect("t0");
                to_app.push(t0.elapsed());
            }
        }
        if turn == 0 {
            let _ = t0_rx.recv_timeout(wait);
        }
        let Some(link) = &link else {
            panic!("no session")
        };
        let enter = Instant::now();
        link.send(reply_text.to_owned());
        let read = read_rx.recv_timeout(wait).expect("peer read our reply");
        if turn > 0 {
            to_peer.push(read - enter);
        }
    }
    peer.join().expect("peer thread");
    drop(backend);
    let _ = std::fs::remove_dir_all(&dir);
    println!("| path | turns | p50 ms | p99 ms | p99.9 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    percentiles("peer write → event applied to app state", to_app);
    percentiles("our send → bytes read by the peer", to_peer);
    let messages = state.current().map_or(0, |s| s.transcript.len());
    println!("(transcript in memory: {messages} entries)");
}

/// Writes `mb` MB of GBK Chinese to 127.0.0.1:`port` as fast as possible, then half-closes
/// and waits (at most 30 s) for the receiver to close.
fn flood(port: u16, mb: u64) {
    let (written, closed) = flood_once(port, mb).unwrap_or_else(|e| {
        eprintln!("loadgen flood: could not flood 127.0.0.1:{port}: {e}");
        std::process::exit(1);
    });
    println!(
        "flood: {mb} MB written in {:.3} s ({:.0} MB/s); receiver closed after {:.3} s",
        written.as_secs_f64(),
        mb as f64 / written.as_secs_f64(),
        closed.as_secs_f64()
    );
}

/// One flood (see [`flood`]): how long the writing took, and until the receiver closed.
fn flood_once(port: u16, mb: u64) -> std::io::Result<(Duration, Duration)> {
    let chunk = gbk(&"洪水测试：今天天气很好，我们下午三点开会。".repeat(2048));
    let total = mb * 1_000_000;
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    let start = Instant::now();
    let mut sent: u64 = 0;
    while sent < total {
        let n = chunk.len().min((total - sent) as usize);
        s.write_all(&chunk[..n])?;
        sent += n as u64;
    }
    let written = start.elapsed();
    let _ = s.shutdown(Shutdown::Write);
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while let Ok(n) = s.read(&mut sink) {
        if n == 0 || drained > 1 << 20 {
            break;
        }
        drained += n;
    }
    Ok((written, start.elapsed()))
}

/// The in-process server takes a flood alone, beside `nc -l > /dev/null` in the same
/// round: the network side of the ingest figure, with no window drawing.
fn flood_alone(mb: u64, rounds: usize) {
    println!("| round | TurnChat's backend, no window, MB/s | nc -l > /dev/null, MB/s | ratio |");
    println!("|---|---:|---:|---:|");
    for round in 1..=rounds.min(20) {
        let mut server = Server::start("alone");
        let port = server.port;
        let flooder = spawn("loadgen-flood".into(), move || flood_once(port, mb));
        // This thread is the window: it applies every event, as the window would.
        while !flooder.is_finished() {
            if let Ok(event) = server.events.recv_timeout(Duration::from_millis(50)) {
                server.state.apply(event);
            }
        }
        let ours = flooder
            .join()
            .expect("the flood thread")
            .expect("flood TurnChat");
        server.settle(Duration::from_millis(100));
        server.finish();
        let nc_port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut nc = std::process::Command::new("nc")
            .args(["-l", "127.0.0.1", &nc_port.to_string()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("nc (netcat-openbsd) runs");
        // nc says nothing when it listens: try to connect, 50 times at most.
        let mut theirs = None;
        for _ in 0..50 {
            if let Ok(t) = flood_once(nc_port, mb) {
                theirs = Some(t);
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = nc.kill();
        let _ = nc.wait();
        let theirs = theirs.expect("nc listened within 2.5 s");
        let rate = |t: (Duration, Duration)| mb as f64 / t.0.as_secs_f64();
        println!(
            "| {round} | {:.0} | {:.0} | {:.2}× |",
            rate(ours),
            rate(theirs),
            rate(ours) / rate(theirs)
        );
    }
}

/// The server's welcome (the window's default), and the turns the chatting clients take.
const WELCOME: &str = "欢迎您的使用";
const CHAT_MESSAGE: &str = "第一百二十三条消息：今天下午三点开会。";
const CHAT_REPLY: &str = "收到，谢谢！";

/// No phase of the many-conversation figures runs longer than this.
const PHASE_LIMIT: Duration = Duration::from_secs(120);

/// How long a client waits for any one read or connect before it gives up.
const IO_WAIT: Duration = Duration::from_secs(10);

/// Loadgen's threads only read and write small buffers.
const CLIENT_STACK: usize = 128 * 1024;

fn spawn<T: Send + 'static>(name: String, f: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    std::thread::Builder::new()
        .name(name)
        .stack_size(CLIENT_STACK)
        .spawn(f)
        .unwrap_or_else(|e| panic!("loadgen could not start a thread: {e}"))
}

/// A connected, welcomed client of the in-process server.
fn connect_welcomed(port: u16) -> std::io::Result<TcpStream> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, IO_WAIT)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(IO_WAIT))?;
    let mut welcome = vec![0u8; gbk(WELCOME).len()];
    s.read_exact(&mut welcome)?;
    Ok(s)
}

/// TurnChat's server as the window runs it (backend + state), on 127.0.0.1 with a free
/// port, driven by the thread that owns it.
struct Server {
    backend: Backend,
    events: Receiver<Event>,
    state: State,
    port: u16,
    dir: PathBuf,
}

impl Server {
    fn start(tag: &str) -> Server {
        let dir =
            std::env::temp_dir().join(format!("turnchat-loadgen-{}-{tag}", std::process::id()));
        let (mut backend, events) = Backend::new(Arc::new(NoWaker), Some(dir.clone()));
        let role = backend.start_server(ServerConfig {
            host: "127.0.0.1".into(),
            port: 0,
            welcome: WELCOME.into(),
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
            line_ending: LineEnding::None,
            max_conversations: DEFAULT_MAX_CONVERSATIONS,
            // Every kind of load here but the drip comes from 127.0.0.1: no fair share,
            // as for a class behind one NAT router (the door has tests of its own).
            per_address: 0,
        });
        let mut state = State::default();
        state.role_started(RoleStatus::Starting { role });
        loop {
            let event = events
                .recv_timeout(IO_WAIT)
                .expect("the server listens within 10 s");
            let port = match &event {
                Event::Listening { local, .. } => Some(local.port()),
                Event::RoleFailed { error, .. } => panic!("the server could not start: {error:?}"),
                _ => None,
            };
            state.apply(event);
            if let Some(port) = port {
                return Server {
                    backend,
                    events,
                    state,
                    port,
                    dir,
                };
            }
        }
    }

    /// Applies every event that comes until `quiet` passes without one (at most 10 s).
    fn settle(&mut self, quiet: Duration) {
        let end = Instant::now() + IO_WAIT;
        while Instant::now() < end {
            match self.events.recv_timeout(quiet) {
                Ok(event) => {
                    self.state.apply(event);
                }
                Err(_) => return,
            }
        }
    }

    fn finish(self) {
        drop(self.backend);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Prints a Markdown table header for `percentiles` rows.
fn table_header(path: &str) {
    println!("| {path} | samples | p50 ms | p99 ms | p99.9 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
}

/// connect() → welcome read, for `clients` clients connecting at once, `rounds` times,
/// beside the same number of clients connecting one at a time.
/// With `port`, the server is a TurnChat already listening on 127.0.0.1:`port` (a real
/// window) instead of the in-process one; its welcome must be the default.
fn welcome(clients: usize, rounds: usize, port: Option<u16>) {
    let clients = clients.max(1);
    let mut server = match port {
        Some(_) => None,
        None => Some(Server::start("welcome")),
    };
    let port = port.or(server.as_ref().map(|s| s.port)).unwrap_or(0);
    let never = crossbeam_channel::never();
    let settle = |server: &mut Option<Server>| match server {
        Some(s) => s.settle(Duration::from_millis(300)),
        None => std::thread::sleep(Duration::from_millis(300)),
    };
    let mut alone = Vec::with_capacity(clients);
    for _ in 0..clients {
        let t0 = Instant::now();
        let s = connect_welcomed(port).expect("a lone client is welcomed");
        alone.push(t0.elapsed());
        drop(s);
        // What the window does meanwhile (nothing, for a client that leaves at once).
        if let Some(server) = &mut server {
            while let Ok(event) = server.events.try_recv() {
                server.state.apply(event);
            }
        }
    }
    settle(&mut server);

    let mut together = Vec::with_capacity(clients * rounds);
    let mut failed = 0;
    for round in 0..rounds {
        let start = Arc::new(Barrier::new(clients));
        let hold = Arc::new(Barrier::new(clients));
        let (done_tx, done) = crossbeam_channel::unbounded();
        let threads: Vec<JoinHandle<()>> = (0..clients)
            .map(|i| {
                let (start, hold, done_tx) =
                    (Arc::clone(&start), Arc::clone(&hold), done_tx.clone());
                spawn(format!("loadgen-welcome-{round}-{i}"), move || {
                    start.wait();
                    let t0 = Instant::now();
                    let result = connect_welcomed(port).map(|s| (t0.elapsed(), s));
                    let _ =
                        done_tx.send(result.as_ref().map(|(d, _)| *d).map_err(|e| e.to_string()));
                    // Every client stays until all are welcomed, so that all are served at once.
                    hold.wait();
                })
            })
            .collect();
        drop(done_tx);
        // The window applies the events as they come, as it would.
        let end = Instant::now() + PHASE_LIMIT;
        let mut got = 0;
        while got < clients && Instant::now() < end {
            let events = server.as_ref().map_or(&never, |s| &s.events);
            select! {
                recv(events) -> event => if let (Ok(event), Some(server)) = (event, &mut server) { server.state.apply(event); },
                recv(done) -> result => match result {
                    Ok(Ok(d)) => { together.push(d); got += 1; }
                    Ok(Err(e)) => { eprintln!("loadgen welcome: a client failed: {e}"); failed += 1; got += 1; }
                    Err(_) => break,
                },
                default(IO_WAIT) => {}
            }
        }
        for t in threads {
            let _ = t.join();
        }
        settle(&mut server);
    }
    let listed = server.as_ref().map(|s| s.state.sessions.len());
    if let Some(server) = server {
        server.finish();
    }
    table_header("connect() → welcome read on the client's socket");
    percentiles(
        &format!("{clients} clients, one at a time (baseline)"),
        alone,
    );
    if rounds > 1 {
        // The first burst meets a server that has never started this many threads.
        let first = together[..clients.min(together.len())].to_vec();
        percentiles(&format!("{clients} clients at once, first round"), first);
    }
    percentiles(
        &format!("{clients} clients at once, all {rounds} rounds"),
        together,
    );
    if failed > 0 {
        println!("({failed} clients failed; see stderr)");
        std::process::exit(1);
    }
    if let Some(listed) = listed {
        println!("(conversations the window listed: {listed})");
    }
}

/// What the chatting clients and their window measured.
#[derive(Default)]
struct ChatResult {
    /// Peer write → Received applied to the state, for turns begun while nothing floods.
    quiet: Vec<Duration>,
    /// The same, for turns begun while a flood was on (from its connect until the server
    /// closed it).
    flooding: Vec<Duration>,
    /// Clients that failed (reported on stderr).
    failed: usize,
    /// Conversations the window listed at the end.
    listed: usize,
    /// MB/s of each flood, from its connect until the server closed it.
    flood_rates: Vec<f64>,
}

/// One flood: `mb` MB, written by one more client, `rounds` times, after `quiet_first`.
/// Runs the calling thread at nice `nice` (Linux; elsewhere nothing changes).
fn stand_in_for_another_machine(nice: i32) {
    #[cfg(target_os = "linux")]
    if nice != 0 {
        let _ = rustix::process::setpriority_process(None, nice);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}

struct Flood {
    mb: u64,
    rounds: usize,
    quiet_first: Duration,
    /// The flooding client's thread priority (Linux nice). It stands in for a peer on
    /// another machine; at 0 it takes a whole core of this one from the server measured.
    nice: i32,
}

/// `clients` clients chat with one in-process server: each thinks 0..2×`think` (random),
/// writes a message and reads the reply, `turns` times (or, with a flood, until the floods
/// are over). This thread is the window: it applies every event to the state and, once a
/// client's message is whole, answers it through `Backend::send`.
fn chat(
    tag: &str,
    clients: usize,
    turns: usize,
    think: Duration,
    flood: Option<Flood>,
) -> ChatResult {
    let mut server = Server::start(tag);
    let port = server.port;
    let message = gbk(CHAT_MESSAGE);
    let reply_len = gbk(CHAT_REPLY).len();
    let (t0_tx, t0_rx) = crossbeam_channel::unbounded::<(u16, Instant, bool)>();
    let (done_tx, done) = crossbeam_channel::unbounded::<Result<(), String>>();
    let flooding = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(Barrier::new(clients + usize::from(flood.is_some())));
    let mut threads = Vec::new();
    for i in 0..clients {
        let (t0_tx, done_tx) = (t0_tx.clone(), done_tx.clone());
        let (flooding, stop, ready) =
            (Arc::clone(&flooding), Arc::clone(&stop), Arc::clone(&ready));
        let message = message.clone();
        threads.push(spawn(format!("loadgen-chat-{i}"), move || {
            let connected = connect_welcomed(port);
            ready.wait();
            let result = (|| -> std::io::Result<()> {
                let mut s = connected?;
                let me = s.local_addr()?.port();
                let mut rng =
                    0x9E37_79B9_7F4A_7C15_u64 ^ (i as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                let mut reply = vec![0u8; reply_len];
                for _ in 0..turns {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // xorshift: a think time uniform in 0..2×think, so clients do not march in step.
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    let pause = think.mul_f64((rng % 2001) as f64 / 1000.0);
                    if !pause.is_zero() {
                        std::thread::sleep(pause);
                    }
                    let _ = t0_tx.send((me, Instant::now(), flooding.load(Ordering::Relaxed)));
                    s.write_all(&message)?;
                    s.read_exact(&mut reply)?;
                }
                Ok(())
            })();
            let _ = done_tx.send(result.map_err(|e| e.to_string()));
        }));
    }
    let rates = Arc::new(std::sync::Mutex::new(Vec::new()));
    let flooder = flood.map(|f| {
        let (flooding, stop, ready, rates, done_tx) = (
            Arc::clone(&flooding),
            Arc::clone(&stop),
            Arc::clone(&ready),
            Arc::clone(&rates),
            done_tx.clone(),
        );
        spawn("loadgen-flooder".into(), move || {
            stand_in_for_another_machine(f.nice);
            ready.wait();
            std::thread::sleep(f.quiet_first);
            let chunk = gbk(&"洪水测试：今天天气很好，我们下午三点开会。".repeat(2048));
            let result = (|| -> std::io::Result<()> {
                for _ in 0..f.rounds {
                    flooding.store(true, Ordering::Relaxed);
                    let t0 = Instant::now();
                    let mut s = connect_welcomed(port)?;
                    let total = f.mb * 1_000_000;
                    let mut sent = 0u64;
                    while sent < total {
                        let n = chunk.len().min((total - sent) as usize);
                        s.write_all(&chunk[..n])?;
                        sent += n as u64;
                    }
                    // The server reads the rest and closes when it sees our end: the flood
                    // lasts until then.
                    let _ = s.shutdown(Shutdown::Write);
                    s.set_read_timeout(Some(PHASE_LIMIT))?;
                    let mut sink = [0u8; 4096];
                    while let Ok(n) = s.read(&mut sink) {
                        if n == 0 {
                            break;
                        }
                    }
                    flooding.store(false, Ordering::Relaxed);
                    if let Ok(mut r) = rates.lock() {
                        r.push(f.mb as f64 / t0.elapsed().as_secs_f64());
                    }
                }
                Ok(())
            })();
            flooding.store(false, Ordering::Relaxed);
            stop.store(true, Ordering::Relaxed);
            let _ = done_tx.send(result.map_err(|e| format!("flooder: {e}")));
        })
    });
    drop(done_tx);
    let expected = clients + usize::from(flooder.is_some());

    let mut result = ChatResult::default();
    let mut pending: HashMap<u16, VecDeque<(Instant, bool)>> = HashMap::new();
    let mut port_of: HashMap<SessionId, u16> = HashMap::new();
    let mut open: HashMap<SessionId, usize> = HashMap::new();
    let end = Instant::now() + PHASE_LIMIT;
    let mut finished = 0;
    while finished < expected && Instant::now() < end {
        select! {
            recv(server.events) -> event => {
                let Ok(event) = event else { break };
                let (session, n) = match &event {
                    Event::SessionStarted { info, .. } => {
                        port_of.insert(info.session, info.peer.port());
                        (info.session, 0)
                    }
                    Event::Received { session, bytes, .. } => (*session, bytes.len()),
                    _ => (SessionId(0), 0),
                };
                server.state.apply(event);
                let applied = Instant::now();
                if n == 0 {
                    continue;
                }
                let got = open.entry(session).or_default();
                *got += n;
                if *got < message.len() {
                    continue;
                }
                *got = 0;
                for (p, t0, during) in t0_rx.try_iter() {
                    pending.entry(p).or_default().push_back((t0, during));
                }
                let Some((t0, during)) = port_of
                    .get(&session)
                    .and_then(|p| pending.get_mut(p))
                    .and_then(VecDeque::pop_front)
                else {
                    continue; // the flooder: nobody waits for an answer
                };
                if during {
                    result.flooding.push(applied - t0);
                } else {
                    result.quiet.push(applied - t0);
                }
                if let Some(seq) = server.state.send_requested(session, CHAT_REPLY) {
                    let _ = server.backend.send(session, seq, CHAT_REPLY.to_owned());
                }
            },
            recv(done) -> r => match r {
                Ok(Ok(())) => finished += 1,
                Ok(Err(e)) => {
                    eprintln!("loadgen {tag}: a client failed: {e}");
                    result.failed += 1;
                    finished += 1;
                }
                Err(_) => break,
            },
            default(IO_WAIT) => {}
        }
    }
    if finished < expected {
        eprintln!("loadgen {tag}: gave up after {} s", PHASE_LIMIT.as_secs());
        result.failed += expected - finished;
        stop.store(true, Ordering::Relaxed);
    }
    for t in threads {
        let _ = t.join();
    }
    if let Some(f) = flooder {
        let _ = f.join();
    }
    server.settle(Duration::from_millis(300));
    result.listed = server.state.sessions.len();
    result.flood_rates = rates.lock().map(|r| r.clone()).unwrap_or_default();
    server.finish();
    result
}

fn report_failures(results: &[&ChatResult]) {
    let failed: usize = results.iter().map(|r| r.failed).sum();
    if failed > 0 {
        println!("({failed} clients failed; see stderr)");
        std::process::exit(1);
    }
}

/// Peer bytes → window state with `clients` conversations chatting at once.
fn many(clients: usize, turns: usize, think: Duration, base_turns: usize) {
    let clients = clients.max(1);
    let one = chat("many-1", 1, base_turns, think, None);
    let all = chat(&format!("many-{clients}"), clients, turns, think, None);
    table_header(&format!(
        "peer write → event applied to the window state (think 0–{} ms per turn)",
        2 * think.as_millis()
    ));
    percentiles("1 conversation (baseline)", one.quiet.clone());
    percentiles(
        &format!("{clients} conversations at once"),
        all.quiet.clone(),
    );
    println!(
        "(conversations the window listed: {} and {})",
        one.listed, all.listed
    );
    report_failures(&[&one, &all]);
}

/// Peer bytes → window state for `clients` chatting conversations while one more floods.
fn flood_beside(
    clients: usize,
    mb: u64,
    rounds: usize,
    think: Duration,
    base_turns: usize,
    quiet_first: Duration,
    flooder_nice: i32,
) {
    let clients = clients.max(1);
    let one = chat("beside-1", 1, base_turns, think, None);
    let flood = Flood {
        mb,
        rounds: rounds.max(1),
        quiet_first,
        nice: flooder_nice,
    };
    let beside = chat("beside", clients, 1_000_000, think, Some(flood));
    table_header(&format!(
        "peer write → event applied to the window state (think 0–{} ms per turn)",
        2 * think.as_millis()
    ));
    percentiles("1 conversation alone (baseline)", one.quiet.clone());
    percentiles(
        &format!("{clients} conversations, before the flood (baseline)"),
        beside.quiet.clone(),
    );
    percentiles(
        &format!("{clients} conversations while one more floods {mb} MB ({rounds} floods)"),
        beside.flooding.clone(),
    );
    let rates: Vec<String> = beside
        .flood_rates
        .iter()
        .map(|r| format!("{r:.0}"))
        .collect();
    println!(
        "(each flood, connect to close, in MB/s: {})",
        rates.join(", ")
    );
    report_failures(&[&one, &beside]);
}

/// Opens `clients` clients to a TurnChat on 127.0.0.1:`port`, reads each one's welcome,
/// then holds them all idle for `seconds` (at most 600).
fn class(port: u16, clients: usize, seconds: u64) {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let t0 = Instant::now();
    let mut held = Vec::with_capacity(clients);
    for i in 0..clients {
        let s = TcpStream::connect_timeout(&addr, IO_WAIT)
            .unwrap_or_else(|e| panic!("client {i} could not connect to {addr}: {e}"));
        let _ = s.set_nodelay(true);
        held.push(s);
    }
    for (i, s) in held.iter_mut().enumerate() {
        let _ = s.set_read_timeout(Some(IO_WAIT));
        let mut welcome = [0u8; 256];
        match s.read(&mut welcome) {
            Ok(n) if n > 0 => {}
            other => panic!("client {i} got no welcome within 10 s: {other:?}"),
        }
    }
    let seconds = seconds.min(600);
    println!(
        "class: {clients} clients connected and welcomed in {} ms; holding them idle for {seconds} s",
        t0.elapsed().as_millis()
    );
    let _ = std::io::stdout().flush();
    // Idle: nothing is sent; the script may also end us sooner.
    std::thread::sleep(Duration::from_secs(seconds));
    drop(held);
    println!("class: closed");
}

/// `clients` clients (at most 250), each from a loopback address of its own, send one
/// message of `mib` MiB of GBK Chinese each to a TurnChat on 127.0.0.1:`port`, all at
/// once, then close (the memory figure of issue 22).
fn mib_each(port: u16, clients: usize, mib: usize) {
    let clients = clients.clamp(1, 250);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let message: std::sync::Arc<Vec<u8>> =
        std::sync::Arc::new(gbk(&"你好".repeat(mib * 256 * 1024)));
    let t0 = Instant::now();
    let senders: Vec<JoinHandle<()>> = (0..clients)
        .map(|i| {
            let message = std::sync::Arc::clone(&message);
            spawn(format!("loadgen-mib-{i}"), move || {
                let from = std::net::SocketAddr::from(([127, 0, 0, 2 + i as u8], 0));
                let socket =
                    socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
                        .expect("socket");
                socket.bind(&from.into()).expect("bind a loopback source");
                socket
                    .connect_timeout(&addr.into(), IO_WAIT)
                    .expect("connect");
                let mut s: TcpStream = socket.into();
                let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
                let mut welcome = vec![0u8; gbk(WELCOME).len()];
                s.read_exact(&mut welcome).expect("the welcome");
                let _ = s.set_write_timeout(Some(Duration::from_secs(120)));
                s.write_all(&message).expect("the message");
            })
        })
        .collect();
    for s in senders {
        let _ = s.join();
    }
    println!(
        "mib: {clients} clients sent {mib} MiB each in {} ms, and closed",
        t0.elapsed().as_millis()
    );
}

/// `clients` clients, each from a loopback address of its own, drip one byte a millisecond
/// for `seconds` (at most 600) into the in-process server; then the bytes its transcript
/// files take, per byte received.
fn drip(clients: usize, seconds: u64) {
    let clients = clients.clamp(1, 250);
    let mut server = Server::start("drip");
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], server.port));
    let until = Instant::now() + Duration::from_secs(seconds.min(600));
    let drippers: Vec<JoinHandle<u64>> = (0..clients)
        .map(|i| {
            spawn(format!("loadgen-drip-{i}"), move || {
                let from = std::net::SocketAddr::from(([127, 0, 0, 2 + i as u8], 0));
                let socket =
                    socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
                        .expect("socket");
                socket.bind(&from.into()).expect("bind a loopback source");
                socket
                    .connect_timeout(&addr.into(), IO_WAIT)
                    .expect("connect");
                let mut s: TcpStream = socket.into();
                let _ = s.set_nodelay(true);
                let _ = s.set_read_timeout(Some(IO_WAIT));
                let mut welcome = vec![0u8; gbk(WELCOME).len()];
                s.read_exact(&mut welcome).expect("the welcome");
                let mut sent = 0;
                while Instant::now() < until && s.write_all(b"a").is_ok() {
                    sent += 1;
                    std::thread::sleep(Duration::from_millis(1));
                }
                sent
            })
        })
        .collect();
    // The window's side keeps up meanwhile, as it would.
    let mut received = 0u64;
    let mut ended = 0;
    let mut sent = 0u64;
    let mut drippers = drippers.into_iter().peekable();
    let deadline = until + IO_WAIT;
    while ended < clients && Instant::now() < deadline {
        if drippers.peek().is_some_and(JoinHandle::is_finished)
            && let Some(d) = drippers.next()
        {
            sent += d.join().expect("a dripper");
        }
        if let Ok(event) = server.events.recv_timeout(Duration::from_millis(100)) {
            match &event {
                Event::Received { bytes, .. } => received += bytes.len() as u64,
                Event::SessionEnded { .. } => ended += 1,
                _ => {}
            }
            server.state.apply(event);
        }
    }
    sent += drippers.map(|d| d.join().expect("a dripper")).sum::<u64>();
    let (mut on_disk, mut lines, mut files) = (0u64, 0usize, 0usize);
    for entry in std::fs::read_dir(&server.dir)
        .expect("the transcripts folder")
        .flatten()
    {
        let text = std::fs::read(entry.path()).expect("a transcript");
        on_disk += text.len() as u64;
        lines += text.iter().filter(|b| **b == b'\n').count();
        files += 1;
    }
    println!(
        "drip: {clients} clients, {seconds} s: {sent} bytes sent, {received} received, {ended} conversations ended; {on_disk} bytes on disk in {lines} lines of {files} files: {:.1} bytes per byte received",
        on_disk as f64 / received.max(1) as f64
    );
    server.finish();
}
