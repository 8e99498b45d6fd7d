//! Reads, without administrator rights where the system allows it, whether a firewall is
//! likely to block discovery (UDP 5353) or the chat port, for the "Why?" panel: on
//! Windows whether the installer's rule exists, on Linux ufw's and firewalld's state.
//! What the answers mean is decided in `crate::core::why`; whatever cannot be read is
//! said as such, never guessed.
//!
//! Runs on a job thread (never the window's): each command it runs is given at most
//! [`COMMAND_WAIT`], then stopped.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::core::why::{FirewallReading, FirewallTool};

/// How long one command (netsh, firewall-cmd) may take before it is stopped.
pub const COMMAND_WAIT: Duration = Duration::from_secs(3);

/// The most output read from one command.
const MAX_OUTPUT: u64 = 64 * 1024;

/// How a command ended.
#[derive(Debug)]
pub enum Ran {
    /// It is not installed (could not be started: not found).
    Missing,
    /// It ended with this exit code (`None`: killed by a signal) and this output.
    Ended {
        /// Its exit code.
        code: Option<i32>,
        /// Its standard output (at most 64 KiB, lossy UTF-8).
        stdout: String,
    },
    /// It could not be started, or did not end within the wait (then it was stopped).
    Failed {
        /// What happened.
        detail: String,
    },
}

/// Runs `program` with `args`, waiting at most `wait` for it to end.
pub fn run_bounded(program: &str, args: &[&str], wait: Duration) -> Ran {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // TurnChat is a GUI program on Windows: without this, netsh would flash a console
    // window over it.
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ran::Missing,
        Err(e) => {
            return Ran::Failed {
                detail: e.to_string(),
            };
        }
    };
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Ran::Failed {
            detail: "no output pipe".to_owned(),
        };
    };
    // The output is read on a thread of its own, so that the wait can be bounded: the
    // pipe ends when the program does.
    let (tx, rx) = crossbeam_channel::bounded(1);
    let reader = std::thread::Builder::new()
        .name("turnchat-firewall-read".into())
        .spawn(move || {
            let mut text = Vec::new();
            let _ = stdout.take(MAX_OUTPUT).read_to_end(&mut text);
            let _ = tx.send(String::from_utf8_lossy(&text).into_owned());
        });
    let reader = match reader {
        Ok(r) => r,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Ran::Failed {
                detail: e.to_string(),
            };
        }
    };
    let ran = match rx.recv_timeout(wait) {
        Ok(stdout) => match child.wait() {
            Ok(status) => Ran::Ended {
                code: status.code(),
                stdout,
            },
            Err(e) => Ran::Failed {
                detail: e.to_string(),
            },
        },
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            Ran::Failed {
                detail: format!("no answer within {} s", wait.as_secs()),
            }
        }
    };
    // The program has ended (or was stopped), so its pipe is closed and the reader ends.
    let _ = reader.join();
    ran
}

/// The firewall readings of this system.
pub fn read() -> Vec<FirewallReading> {
    if cfg!(windows) {
        vec![windows_rule()]
    } else if cfg!(target_os = "linux") {
        linux()
    } else {
        vec![FirewallReading::NotChecked]
    }
}

/// Whether the installer's rule exists (`netsh` needs no administrator to show rules).
fn windows_rule() -> FirewallReading {
    let name = format!("name={}", crate::core::why::WINDOWS_RULE);
    let args = ["advfirewall", "firewall", "show", "rule", name.as_str()];
    match run_bounded("netsh", &args, COMMAND_WAIT) {
        Ran::Ended { code, stdout } => {
            match crate::core::why::windows_rule_present(code, &stdout) {
                Some(present) => FirewallReading::WindowsRule { present },
                None => FirewallReading::CouldNotTell {
                    tool: FirewallTool::Windows,
                    detail: format!("netsh exit code {code:?}"),
                },
            }
        }
        Ran::Missing => FirewallReading::CouldNotTell {
            tool: FirewallTool::Windows,
            detail: "netsh was not found".to_owned(),
        },
        Ran::Failed { detail } => FirewallReading::CouldNotTell {
            tool: FirewallTool::Windows,
            detail,
        },
    }
}

/// ufw from its configuration file (readable by everyone), firewalld from
/// `firewall-cmd --state` (which needs no administrator).
fn linux() -> Vec<FirewallReading> {
    let mut out = Vec::new();
    match std::fs::read_to_string("/etc/ufw/ufw.conf") {
        Ok(conf) => out.push(match crate::core::why::ufw_enabled(&conf) {
            Some(enabled) => FirewallReading::Ufw { enabled },
            None => FirewallReading::CouldNotTell {
                tool: FirewallTool::Ufw,
                detail: "/etc/ufw/ufw.conf has no ENABLED line".to_owned(),
            },
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => out.push(FirewallReading::CouldNotTell {
            tool: FirewallTool::Ufw,
            detail: e.to_string(),
        }),
    }
    match run_bounded("firewall-cmd", &["--state"], COMMAND_WAIT) {
        Ran::Missing => {}
        Ran::Ended { code, stdout } => {
            out.push(
                match crate::core::why::firewalld_running(code == Some(0), &stdout) {
                    Some(running) => FirewallReading::Firewalld { running },
                    None => FirewallReading::CouldNotTell {
                        tool: FirewallTool::Firewalld,
                        detail: format!("firewall-cmd --state exit code {code:?}"),
                    },
                },
            );
        }
        Ran::Failed { detail } => out.push(FirewallReading::CouldNotTell {
            tool: FirewallTool::Firewalld,
            detail,
        }),
    }
    if out.is_empty() {
        out.push(FirewallReading::NoneKnown);
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_hangs_is_stopped_at_the_wait() {
        // Stopped, not waited for: it would end after 30 s with `Ended`.
        let ran = run_bounded("sleep", &["30"], Duration::from_millis(200));
        assert!(matches!(ran, Ran::Failed { .. }), "{ran:?}");
        assert!(matches!(
            run_bounded("turnchat-no-such-program", &[], COMMAND_WAIT),
            Ran::Missing
        ));
        match run_bounded("echo", &["running"], COMMAND_WAIT) {
            Ran::Ended { code, stdout } => {
                assert_eq!(code, Some(0));
                assert_eq!(stdout.trim(), "running");
            }
            other => panic!("{other:?}"),
        }
    }
}
