//! A desktop for tests that run the real binary: `turnchat` in a scratch home, required
//! tools, a child process that is killed when the test ends, and an Xvfb screen on a
//! display it picks itself.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The `turnchat` binary of this build.
pub const TURNCHAT: &str = env!("CARGO_BIN_EXE_turnchat");

/// Makes `cmd` (`turnchat`, or a program that runs it, such as `ip netns exec`) run in a
/// scratch home: its data, config and runtime folders inside `home`, on an English system
/// (`LANG=C.UTF-8` and no other locale variable), with no display (set `DISPLAY` after this
/// to give it one), and without the test switches this process may have.
pub fn at_home<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    #[cfg(unix)]
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("chmod");
    for var in [
        "LANGUAGE",
        "LC_ALL",
        "LC_MESSAGES",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "TURNCHAT_TEST_PANIC",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("LANG", "C.UTF-8")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_RUNTIME_DIR", runtime)
}

/// `turnchat` in a scratch home (see [`at_home`]), with LAN discovery off: only the
/// discovery tests multicast, inside network namespaces of their own.
pub fn turnchat(home: &Path) -> Command {
    let mut cmd = Command::new(TURNCHAT);
    at_home(&mut cmd, home).env("TURNCHAT_NO_DISCOVERY", "1");
    cmd
}

/// Where `turnchat` run in `home` writes its log.
pub fn log_path(home: &Path) -> std::path::PathBuf {
    home.join("data/turnchat/turnchat.log")
}

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
    /// `-noreset`: when its last client leaves, an X server resets and drops the clients
    /// still connecting (a look with xprop that ended first made openbox's start fail).
    pub fn start(size: &str) -> Xvfb {
        require("Xvfb", "xvfb");
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                size,
                "-nolisten",
                "tcp",
                "-noreset",
            ])
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

/// Xvfb with openbox managing its screen, as a window test needs it to place, focus and
/// close windows. Stopped when dropped (the window manager first). The same rules as the
/// tools' desktop (tools/lib.sh, tools/lib.py): the display from `-displayfd`, read as a
/// whole line, and openbox waited for until it says it manages the screen.
pub struct Desktop {
    /// `:N`, for `DISPLAY`.
    pub display: String,
    // Dropped in this order: the window manager, then the screen.
    _wm: Guard,
    _xvfb: Xvfb,
}

impl Desktop {
    /// Starts Xvfb with a screen of `size` (`WxHxD`) and openbox on it, and waits (bounded)
    /// until openbox sets `_NET_SUPPORTING_WM_CHECK` on the root window.
    pub fn start(size: &str) -> Desktop {
        require("openbox", "openbox");
        require("xprop", "x11-utils");
        require("stdbuf", "coreutils");
        let xvfb = Xvfb::start(size);
        let display = xvfb.display.clone();
        // Changes of the root window's properties, line by line, on a channel: openbox's
        // arrival wakes the wait at once.
        let mut spy = Command::new("stdbuf")
            .args(["-oL", "xprop", "-root", "-spy"])
            .env("DISPLAY", &display)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xprop -spy");
        let out = spy.stdout.take().expect("piped stdout");
        let spy = Guard(Some(spy));
        let (tx, rx) = crossbeam_channel::unbounded();
        let reader = std::thread::Builder::new()
            .name("test-xprop-spy".into())
            .spawn(move || {
                // Bytes, not `lines()`: a property's value need not be UTF-8.
                let mut out = BufReader::new(out);
                let mut line = Vec::new();
                while out.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                    if tx
                        .send(String::from_utf8_lossy(&line).into_owned())
                        .is_err()
                    {
                        break;
                    }
                    line.clear();
                }
            })
            .expect("spawn");
        let mut wm = Guard(Some(
            Command::new("openbox")
                .env("DISPLAY", &display)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start openbox"),
        ));
        // xprop -spy prints the properties, then starts listening: a property set between
        // the two goes unseen, so each quiet spell ends with a direct look.
        let manages = || {
            Command::new("xprop")
                .args(["-root", "_NET_SUPPORTING_WM_CHECK"])
                .env("DISPLAY", &display)
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("window id"))
        };
        let deadline = std::time::Instant::now() + super::WAIT;
        while !manages() {
            if let Some(status) = wm.0.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("openbox exited ({status}) before it managed the Xvfb screen");
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "openbox did not start managing the Xvfb screen within {:?}",
                super::WAIT
            );
            match rx.recv_timeout(left.min(std::time::Duration::from_millis(250))) {
                Ok(line) if line.starts_with("_NET_SUPPORTING_WM_CHECK(WINDOW): window id") => {
                    break;
                }
                Ok(_) | Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    panic!("xprop -root -spy ended before openbox managed the Xvfb screen")
                }
            }
        }
        drop(spy);
        reader.join().expect("join the xprop reader");
        Desktop {
            display,
            _wm: wm,
            _xvfb: xvfb,
        }
    }
}
