//! netcat (OpenBSD `nc`) as a peer: its stdin to type into, its stdout read on a named
//! thread into a channel, with bounded waits.

use std::io::{Read, Write};
use std::process::{Child, ChildStderr, ChildStdin, Command, Stdio};
use std::time::Instant;

use crossbeam_channel::Receiver;

use super::WAIT;

/// A running `nc`: its stdin to type into, its stdout as chunks on a channel.
pub struct Netcat {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Receiver<Vec<u8>>,
    /// Everything read from its stdout so far.
    seen: Vec<u8>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Netcat {
    /// Starts `nc ARGS`; also returns its stderr (where `-v` says it listens).
    pub fn spawn(args: &[&str]) -> (Netcat, ChildStderr) {
        let mut child = Command::new("nc")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("netcat could not be started ({e}): install it (Debian: apt-get install netcat-openbsd)")
            });
        let mut stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, out) = crossbeam_channel::unbounded();
        let reader = std::thread::Builder::new()
            .name("test-nc-stdout".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stdout.read(&mut buf) {
                    if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            })
            .expect("reader thread");
        let stdin = child.stdin.take();
        (
            Netcat {
                child,
                stdin,
                out,
                seen: Vec::new(),
                reader: Some(reader),
            },
            stderr,
        )
    }

    /// Types exactly `bytes` (a line typed and Enter: end them with `\n`).
    pub fn type_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("type into nc");
        stdin.flush().expect("flush");
    }

    /// Waits until netcat has shown exactly `expect` (bytes) in all.
    pub fn shows(&mut self, expect: &[u8]) {
        let deadline = Instant::now() + WAIT;
        while self.seen.len() < expect.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(chunk) => self.seen.extend_from_slice(&chunk),
                Err(_) => break,
            }
        }
        assert_eq!(
            self.seen,
            expect,
            "netcat showed {:?}, expected {:?}",
            String::from_utf8_lossy(&self.seen),
            String::from_utf8_lossy(expect)
        );
    }

    /// Waits for netcat to finish: with its input closed, it still reads the connection
    /// until the other side closes it, so finishing shows the connection is over.
    pub fn closes(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(chunk) => self.seen.extend_from_slice(&chunk),
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                    panic!("netcat did not finish within {WAIT:?}")
                }
            }
        }
    }
}

impl Drop for Netcat {
    fn drop(&mut self) {
        drop(self.stdin.take());
        // Only our own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}
