//! The Python reference peers (`tests/peers/`) as child processes whose JSON Lines log is
//! read on a named thread, with bounded waits.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use serde_json::Value;

use super::{WAIT, root};

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
#[allow(dead_code)] // used by net and app; binary runs no Python server
pub fn ref_server(dir: &Path, welcome: &str, sessions: &[&[&str]]) -> (Peer, u16) {
    ref_server_in(dir, "gbk", welcome, sessions)
}

/// Like [`ref_server`], reading and writing Python's strict codec `codec` (`utf-8`,
/// `gb18030`, `big5`, `shift_jis`, or the reference's `gbk`).
#[allow(dead_code)] // used by net and app; binary runs no Python server
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
