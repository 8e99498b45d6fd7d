//! Load generator for TurnChat's performance figures (see BENCHMARKS.md).
//!
//! ```text
//! loadgen latency [--turns N]          in-process: a Rust peer and TurnChat's backend +
//!                                      state over loopback; prints latency percentiles
//! loadgen flood --port P [--mb M]      connects to 127.0.0.1:P and writes M MB of GBK
//!                                      Chinese as fast as it can; prints the throughput
//! ```
//!
//! Only ever talks to 127.0.0.1; every loop is bounded by its count.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use turnchat::core::codec::{WireEncoding, encode_guarded};
use turnchat::core::turn::TurnPolicy;
use turnchat::net::{Backend, ClientConfig, Event, NoWaker};
use turnchat::state::{RoleStatus, State};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    match args.first().map(String::as_str) {
        Some("latency") => latency(flag("--turns", 10_000) as usize),
        Some("flood") => {
            let port = flag("--port", 0) as u16;
            if port == 0 {
                eprintln!(
                    "loadgen flood needs --port P (a TurnChat or nc listening on 127.0.0.1:P)"
                );
                std::process::exit(2);
            }
            flood(port, flag("--mb", 200));
        }
        _ => {
            eprintln!("usage: loadgen latency [--turns N] | loadgen flood --port P [--mb M]");
            std::process::exit(2);
        }
    }
}

fn gbk(text: &str) -> Vec<u8> {
    encode_guarded(WireEncoding::Gbk, text).unwrap_or_else(|e| panic!("{e}"))
}

fn percentiles(name: &str, mut v: Vec<Duration>) {
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
    });
    let mut state = State::default();
    state.role_started(RoleStatus::Connecting {
        role,
        target: format!("127.0.0.1:{port}"),
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
    let chunk = gbk(&"洪水测试：今天天气很好，我们下午三点开会。".repeat(2048));
    let total = mb * 1_000_000;
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to 127.0.0.1");
    let start = Instant::now();
    let mut sent: u64 = 0;
    while sent < total {
        let n = chunk.len().min((total - sent) as usize);
        s.write_all(&chunk[..n]).expect("write");
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
    let closed = start.elapsed();
    println!(
        "flood: {mb} MB written in {:.3} s ({:.0} MB/s); receiver closed after {:.3} s",
        written.as_secs_f64(),
        mb as f64 / written.as_secs_f64(),
        closed.as_secs_f64()
    );
}
