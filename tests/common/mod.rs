//! Shared helpers for the integration tests: the Python reference peers and bounded waits
//! on the backend's event channel. Nothing here sleeps; every wait has a deadline.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use serde_json::Value;
#[cfg(feature = "gui")]
pub mod desktop;
pub mod harness;
pub mod netcat;
#[cfg(all(feature = "gui", target_os = "linux"))]
pub mod netns;

use turnchat::net::Event;

/// How long any single wait in a test may take before it fails.
pub const WAIT: Duration = Duration::from_secs(15);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `python3`, or a sentence saying what to install.
pub fn python() -> Command {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "These tests need python3 (Debian: apt-get install python3)."
    );
    Command::new("python3")
}

/// A running Python reference peer whose JSON Lines log is read on a named thread.
pub struct Peer {
    child: Child,
    lines: Receiver<Value>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Everything logged so far.
    pub log: Vec<Value>,
}

impl Peer {
    fn spawn(mut cmd: Command, name: &str) -> Peer {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the Python peer");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = crossbeam_channel::unbounded();
        let reader = std::thread::Builder::new()
            .name(format!("test-peer-{name}"))
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if let Ok(v) = serde_json::from_str::<Value>(&line)
                        && tx.send(v).is_err()
                    {
                        break;
                    }
                }
            })
            .expect("spawn reader");
        Peer {
            child,
            lines,
            reader: Some(reader),
            log: Vec::new(),
        }
    }

    /// Waits for the next log line with `"event": event` (recording everything before it).
    pub fn wait_event(&mut self, event: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        if let Some(v) = self
            .log
            .iter()
            .find(|v| v["event"] == event && v.get("_seen").is_none())
        {
            let v = v.clone();
            self.mark_seen(&v);
            return v;
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(v) => {
                    self.log.push(v.clone());
                    if v["event"] == event {
                        self.mark_seen(&v);
                        return v;
                    }
                }
                Err(_) => panic!("the peer never logged {event:?}; its log: {:#?}", self.log),
            }
        }
    }

    fn mark_seen(&mut self, v: &Value) {
        if let Some(slot) = self.log.iter_mut().find(|x| *x == v) {
            slot["_seen"] = Value::Bool(true);
        }
    }

    /// Waits for the process to exit and returns its status code, with the whole log.
    pub fn finish(mut self) -> (i32, Vec<Value>) {
        let deadline = Instant::now() + WAIT;
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status.code().unwrap_or(-1);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .lines
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                Ok(v) => self.log.push(v),
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    break self.child.wait().expect("wait").code().unwrap_or(-1);
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                    assert!(
                        Instant::now() < deadline,
                        "the peer did not exit; its log: {:#?}",
                        self.log
                    );
                }
            }
        };
        if let Some(r) = self.reader.take() {
            r.join().expect("reader");
        }
        while let Ok(v) = self.lines.try_recv() {
            self.log.push(v);
        }
        (code, std::mem::take(&mut self.log))
    }

    /// All `recv` texts logged so far (after `finish`, all of them).
    pub fn texts(log: &[Value], event: &str) -> Vec<String> {
        log.iter()
            .filter(|v| v["event"] == event)
            .map(|v| v["text"].as_str().unwrap_or("").to_owned())
            .collect()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

fn script_file(dir: &Path, name: &str, script: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(script).expect("json")).expect("write script");
    path
}

/// Starts the reference server on 127.0.0.1 with a free port; returns it and the port.
pub fn ref_server(dir: &Path, welcome: &str, sessions: &[&[&str]]) -> (Peer, u16) {
    ref_server_in(dir, "gbk", welcome, sessions)
}

/// Like [`ref_server`], reading and writing Python's strict codec `codec` (`utf-8`,
/// `gb18030`, `big5`, `shift_jis`, or the reference's `gbk`).
pub fn ref_server_in(dir: &Path, codec: &str, welcome: &str, sessions: &[&[&str]]) -> (Peer, u16) {
    let script = script_file(dir, "server-script.json", &serde_json::json!(sessions));
    let mut cmd = python();
    cmd.arg(root().join("tests/peers/ref_server.py"))
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--welcome",
            welcome,
            "--timeout",
            "20",
        ])
        .arg("--script")
        .arg(script)
        .args(["--sessions", &sessions.len().to_string()])
        .args(["--encoding", codec]);
    let mut peer = Peer::spawn(cmd, "server");
    let listening = peer.wait_event("listening");
    let port = listening["port"].as_u64().expect("port") as u16;
    (peer, port)
}

/// Starts the reference client against 127.0.0.1:`port` with scripted operator lines.
pub fn ref_client(dir: &Path, port: u16, lines: &[&str], name: &str) -> Peer {
    ref_client_in(dir, "gbk", port, lines, name)
}

/// Like [`ref_client`], reading and writing Python's strict codec `codec`.
pub fn ref_client_in(dir: &Path, codec: &str, port: u16, lines: &[&str], name: &str) -> Peer {
    let script = script_file(
        dir,
        &format!("client-script-{name}.json"),
        &serde_json::json!(lines),
    );
    let mut cmd = python();
    cmd.arg(root().join("tests/peers/ref_client.py"))
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--timeout",
            "20",
        ])
        .arg("--script")
        .arg(script)
        .args(["--encoding", codec]);
    Peer::spawn(cmd, name)
}

/// Reads backend events with a deadline, remembering what it saw for failure messages.
pub struct Events {
    rx: Receiver<Event>,
    /// Every event received so far.
    pub seen: Vec<Event>,
}

impl Events {
    /// Wraps a backend's event receiver.
    pub fn new(rx: Receiver<Event>) -> Self {
        Events {
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits until `f` picks an event, skipping others.
    pub fn until<T>(&mut self, what: &str, mut f: impl FnMut(&Event) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) => {
                    let picked = f(&e);
                    self.seen.push(e);
                    if let Some(t) = picked {
                        return t;
                    }
                }
                Err(_) => panic!("no {what} within {WAIT:?}; events so far: {:#?}", self.seen),
            }
        }
    }

    /// Waits up to `timeout` for the next event.
    pub fn next_within(&mut self, timeout: Duration) -> Option<Event> {
        let e = self.rx.recv_timeout(timeout).ok()?;
        self.seen.push(e.clone());
        Some(e)
    }

    /// Waits for a whole peer message: `Received` events until their text equals `expect`.
    pub fn peer_message(&mut self, expect: &str) {
        let mut text = String::new();
        self.until(&format!("peer message {expect:?}"), |e| match e {
            Event::Received {
                new_message,
                text: t,
                ..
            } => {
                if *new_message {
                    text.clear();
                }
                text.push_str(t);
                (text == expect).then_some(())
            }
            _ => None,
        });
    }
}

/// A fresh, empty folder under the target directory (kept after the test for inspection).
pub fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target/test-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Threads of this process whose name starts with `turnchat-` (the backend's).
pub fn turnchat_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .filter_map(Result::ok)
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.starts_with("turnchat-"))
        })
        .count()
}

/// A client that behaves like the reference one, on a raw socket with timeouts (so a test
/// cannot hang): it writes one message per turn and reads what it expects.
pub struct RawClient {
    /// The connection.
    pub stream: std::net::TcpStream,
    /// Its address, as the server sees it.
    pub local: std::net::SocketAddr,
}

impl RawClient {
    /// Connects to `addr`.
    pub fn connect(addr: std::net::SocketAddr) -> RawClient {
        let stream = std::net::TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        stream.set_write_timeout(Some(WAIT)).expect("timeout");
        let local = stream.local_addr().expect("local");
        RawClient { stream, local }
    }

    /// Reads exactly `n` bytes.
    pub fn read_n(&mut self, n: usize) -> Vec<u8> {
        use std::io::Read;
        let mut buf = vec![0u8; n];
        self.stream.read_exact(&mut buf).expect("read");
        buf
    }

    /// Reads until the bytes end with `end` (at most 4 KiB).
    pub fn read_until(&mut self, end: &[u8]) -> Vec<u8> {
        use std::io::Read;
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
        use std::io::Write;
        let bytes =
            turnchat::core::codec::encode_guarded(turnchat::core::codec::WireEncoding::Gbk, text)
                .expect("GBK");
        self.stream.write_all(&bytes).expect("write");
    }
}
