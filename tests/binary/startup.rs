//! Start-up failures are never silent: with no terminal to read, the sentence must reach
//! the log file in the data folder (and standard error), and a panic must say what and
//! where. These run the real binary with no display, where no message box can open, so
//! the log file and standard error are what is left: the documented behaviour.

// These drive the real binary under Xvfb with X11 tools: Linux (and the BSDs) only.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::desktop::{Guard, Xvfb, log_path, require, turnchat};
use crate::common::scratch;

/// Runs `turnchat` with no display, with its folders inside `dir`, and `envs`.
fn turnchat_in(dir: &Path, envs: &[(&str, &str)]) -> Output {
    turnchat(dir)
        .envs(envs.iter().copied())
        .output()
        .expect("run turnchat")
}

fn read_log(dir: &Path) -> String {
    let path = log_path(dir);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the log file {} should exist: {e}", path.display()))
}

#[test]
fn no_display_writes_the_sentence_to_the_log_file() {
    let dir = scratch("startup-no-display");
    let out = turnchat_in(&dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let log = read_log(&dir);
    assert!(log.contains("is starting."), "{log}");
    assert!(
        log.contains("TurnChat needs a graphical desktop, and none was found"),
        "{log}"
    );
    // Standard error says where the log is, for whoever does read it.
    assert!(
        stderr.contains(&format!(
            "This is also written in {}.",
            log_path(&dir).display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_corrupt_settings_file_is_logged() {
    let dir = scratch("startup-bad-settings");
    let settings = dir.join("config/turnchat/settings.json");
    std::fs::create_dir_all(settings.parent().expect("parent")).expect("config dir");
    std::fs::write(&settings, "{ not json").expect("write settings");
    let out = turnchat_in(&dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let log = read_log(&dir);
    assert!(
        log.contains(&format!(
            "Your settings file {} could not be read",
            settings.display()
        )),
        "{log}"
    );
    // Left as it was.
    assert_eq!(
        std::fs::read_to_string(&settings).expect("settings"),
        "{ not json"
    );
}

#[test]
fn a_panic_is_written_with_its_message_and_place() {
    let dir = scratch("startup-panic");
    let out = turnchat_in(&dir, &[("TURNCHAT_TEST_PANIC", "1")]);
    // 101 is Rust's exit status for a panic.
    assert_eq!(out.status.code(), Some(101));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let sentence = "TurnChat stopped because of a bug: “deliberate panic for a test (TURNCHAT_TEST_PANIC is set)” at src/main.rs:";
    assert!(stderr.contains(sentence), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "This is also written in {}.",
            log_path(&dir).display()
        )),
        "{stderr}"
    );
    let log = read_log(&dir);
    assert!(log.contains(sentence), "{log}");
    assert!(log.contains("(thread main)"), "{log}");
}

/// An Xvfb screen (no window manager: a message box needs none).
struct Screen {
    display: String,
    _xvfb: Xvfb,
}

impl Screen {
    fn start() -> Screen {
        require("xdotool", "xdotool");
        require("zenity", "zenity");
        let xvfb = Xvfb::start("800x600x24");
        Screen {
            display: xvfb.display.clone(),
            _xvfb: xvfb,
        }
    }

    /// `turnchat` on this screen, with its folders in `dir`.
    fn turnchat(&self, dir: &Path) -> Command {
        let mut cmd = turnchat(dir);
        cmd.env("DISPLAY", &self.display)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    /// Starts `cmd`, waits for its message box (zenity, titled TurnChat), checks that
    /// TurnChat waits for it, calls `while_open`, presses Enter (the box's OK button),
    /// and returns TurnChat's exit status.
    fn box_then_exit(&self, mut cmd: Command, while_open: impl FnOnce()) -> Option<i32> {
        let mut app = Guard(Some(cmd.spawn().expect("start turnchat")));
        // Bounded: `timeout` ends the search if no box ever appears.
        let found = Command::new("timeout")
            .env("DISPLAY", &self.display)
            .arg(crate::common::WAIT.as_secs().to_string())
            .args([
                "xdotool",
                "search",
                "--sync",
                "--onlyvisible",
                "--name",
                "^TurnChat$",
            ])
            .output()
            .expect("run xdotool");
        assert!(
            found.status.success(),
            "no message box appeared within {:?}",
            crate::common::WAIT
        );
        let window = String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .expect("a window id")
            .to_owned();
        assert_eq!(
            app.0
                .as_mut()
                .expect("running")
                .try_wait()
                .expect("try_wait"),
            None,
            "TurnChat exited before its box was closed"
        );
        while_open();

        let status = Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args(["windowfocus", "--sync", &window, "key", "Return"])
            .status()
            .expect("run xdotool");
        assert!(status.success(), "xdotool could not press Enter in the box");
        let mut child = app.0.take().expect("running");
        let (tx, rx) = crossbeam_channel::bounded(1);
        let waiter = std::thread::Builder::new()
            .name("test-turnchat-exit".into())
            .spawn(move || {
                let _ = tx.send(child.wait().map(|s| s.code()));
            })
            .expect("spawn");
        let code = rx
            .recv_timeout(crate::common::WAIT)
            .expect("TurnChat did not exit after its box was closed");
        waiter.join().expect("join the waiter");
        code.expect("wait")
    }
}

#[test]
fn with_a_display_a_panic_is_also_shown_in_a_message_box() {
    let dir = scratch("startup-panic-box");
    let screen = Screen::start();
    let mut cmd = screen.turnchat(&dir);
    cmd.env("TURNCHAT_TEST_PANIC", "1");
    let code = screen.box_then_exit(cmd, || {
        let log = read_log(&dir);
        assert!(
            log.contains("TurnChat stopped because of a bug: “deliberate panic for a test"),
            "{log}"
        );
    });
    assert_eq!(code, Some(101));
}

#[test]
fn when_no_renderer_can_start_a_message_box_says_so() {
    let dir = scratch("startup-no-renderer");
    let screen = Screen::start();
    let mut cmd = screen.turnchat(&dir);
    // Point Vulkan, EGL and GLX at drivers that do not exist, so that wgpu and glow both
    // fail as they would on a machine without graphics drivers.
    cmd.env("VK_ICD_FILENAMES", dir.join("none.json"))
        .env("VK_DRIVER_FILES", dir.join("none.json"))
        .env("__EGL_VENDOR_LIBRARY_FILENAMES", dir.join("none.json"))
        .env("__GLX_VENDOR_LIBRARY_NAME", "none")
        .env("LIBGL_DRIVERS_PATH", dir.join("none"));
    let code = screen.box_then_exit(cmd, || {
        let log = read_log(&dir);
        assert!(
            log.contains("the wgpu renderer could not start")
                && log.contains("the OpenGL (glow) renderer could not start")
                // In the order tried: OpenGL first on Linux (src/app/cli/flags.rs).
                && log.contains("TurnChat could not open its window: neither OpenGL (glow) nor wgpu could start."),
            "{log}"
        );
    });
    assert_eq!(code, Some(1));
}
