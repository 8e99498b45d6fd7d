//! A desktop for tests that run the real binary: required tools, a child process that is
//! killed when the test ends, and an Xvfb screen on a display it picks itself.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Fails with a sentence saying what to install when `tool` is missing.
pub fn require(tool: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "This test needs `{tool}`: install it with `apt-get install {package}` (or run the README's test command, which does)."
    );
}

/// Kills the child when dropped, unless it was taken out.
pub struct Guard(pub Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An Xvfb screen, stopped when dropped.
pub struct Xvfb {
    /// `:N`, for `DISPLAY`.
    pub display: String,
    _server: Guard,
}

impl Xvfb {
    /// Starts Xvfb with a screen of `size` (`WxHxD`). It picks a free display and prints
    /// its number once it accepts connections; that is what this waits for (bounded).
    pub fn start(size: &str) -> Xvfb {
        require("Xvfb", "xvfb");
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", size, "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let out = server.stdout.take().expect("piped stdout");
        let guard = Guard(Some(server));
        let (tx, rx) = crossbeam_channel::bounded(1);
        let reader = std::thread::Builder::new()
            .name("test-xvfb-display".into())
            .spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(out).read_line(&mut line);
                let _ = tx.send(line);
            })
            .expect("spawn");
        let number = rx.recv_timeout(super::WAIT).expect("Xvfb's display number");
        reader.join().expect("join the Xvfb reader");
        Xvfb {
            display: format!(":{}", number.trim()),
            _server: guard,
        }
    }
}
