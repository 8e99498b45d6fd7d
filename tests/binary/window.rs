//! The real binary in a real window under Xvfb: started with `--listen`, a Python client
//! written like the reference talks to it, the window's operator replies by typing (xdotool),
//! and a screenshot proves the window is not blank.
//!
//! Needs Xvfb, openbox, xdotool and ImageMagick; `.ci/run` installs them. Missing tools
//! fail the test with a sentence saying what to install.

// These drive the real binary under Xvfb with X11 tools: Linux (and the BSDs) only.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::common::desktop::{Desktop, Guard, require, turnchat};
use crate::common::netcat::Netcat;
use crate::common::peers::{Peer, ref_client};
use crate::common::{WAIT, scratch};
use crossbeam_channel::Receiver;

/// Reads a child's stdout lines on a named thread.
fn lines_of(child: &mut Child, name: &str) -> (Receiver<String>, std::thread::JoinHandle<()>) {
    let out = child.stdout.take().expect("piped stdout");
    let (tx, rx) = crossbeam_channel::unbounded();
    let handle = std::thread::Builder::new()
        .name(format!("test-{name}-stdout"))
        .spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .expect("spawn");
    (rx, handle)
}

fn wait_line(rx: &Receiver<String>, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if pred(&line) => return line,
            Ok(_) => {}
            Err(_) => panic!("no {what} within {WAIT:?}"),
        }
    }
}

/// [`wait_line`], keeping every line read (matching or not) in `seen`.
fn wait_line_keeping(
    rx: &Receiver<String>,
    seen: &mut Vec<String>,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push(line.clone());
                if pred(&line) {
                    return line;
                }
            }
            Err(_) => panic!("no {what} within {WAIT:?}; seen: {seen:#?}"),
        }
    }
}

fn xdotool(display: &str, args: &[&str]) {
    let status = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .status()
        .expect("run xdotool");
    assert!(status.success(), "xdotool {args:?} failed");
}

/// The `turnchat` binary listening on a free loopback port in a real window under Xvfb
/// (with openbox), activated so that it has the keyboard. Everything is stopped on drop.
struct ListeningWindow {
    display: String,
    lines: Receiver<String>,
    /// The lines read while waiting for the listening line.
    seen: Vec<String>,
    port: u16,
    // Dropped in this order: the app, its stdout reader, the window manager, the screen.
    _app: Guard,
    _reader: std::thread::JoinHandle<()>,
    _desktop: Desktop,
}

impl ListeningWindow {
    fn start(dir: &std::path::Path) -> ListeningWindow {
        Self::start_with(dir, &[], &[])
    }

    /// [`ListeningWindow::start`] with more flags, and locale variables (`LANG`...) in
    /// place of an English system's.
    fn start_with(
        dir: &std::path::Path,
        flags: &[&str],
        locale: &[(&str, &str)],
    ) -> ListeningWindow {
        require("xdotool", "xdotool");
        require("import", "imagemagick");
        let desktop = Desktop::start("1100x760x24");
        let display = desktop.display.clone();
        let mut app = turnchat(dir);
        // A locale of the test's choosing, in place of the English one.
        if !locale.is_empty() {
            app.env_remove("LANG").envs(locale.iter().copied());
        }
        // Started from the scratch folder, so that nothing lands in the tree's root, and
        // without a session bus: no desktop portal, so rfd's dialogs are zenity's.
        let mut app = app
            .args(["--listen", "127.0.0.1:0"])
            .args(flags)
            .current_dir(dir)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("DISPLAY", &display)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start turnchat");
        let (lines, reader) = lines_of(&mut app, "app");
        let app = Guard(Some(app));
        let mut seen = Vec::new();
        let listening = wait_line_keeping(&lines, &mut seen, "listening line", |l| {
            l.starts_with("turnchat: listening on ")
        });
        let port: u16 = listening
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port in the listening line");
        // The window exists and has the keyboard focus.
        xdotool(
            &display,
            &[
                "search",
                "--sync",
                "--onlyvisible",
                "--name",
                "TurnChat",
                "windowactivate",
                "--sync",
            ],
        );
        ListeningWindow {
            display,
            lines,
            seen,
            port,
            _app: app,
            _reader: reader,
            _desktop: desktop,
        }
    }

    /// A screenshot of the whole screen, checked not to be blank.
    fn screenshot(&self, path: &std::path::Path) {
        let status = Command::new("import")
            .env("DISPLAY", &self.display)
            .args(["-window", "root"])
            .arg(path)
            .status()
            .expect("run import");
        assert!(status.success(), "screenshot failed");
        let colours = Command::new("identify")
            .args(["-format", "%k"])
            .arg(path)
            .output()
            .expect("identify");
        let colours: u32 = String::from_utf8_lossy(&colours.stdout)
            .trim()
            .parse()
            .expect("colour count");
        assert!(
            colours > 50,
            "the screenshot is (nearly) blank: {colours} colours"
        );
    }
}

#[test]
fn the_binary_serves_a_reference_client_in_a_real_window() {
    let dir = scratch("window");
    let w = ListeningWindow::start(&dir);
    let (display, app_lines, port) = (&w.display, &w.lines, w.port);

    let mut client = ref_client(&dir, port, &["你好服务端，我是 Python 客户端"], "window");
    wait_line(app_lines, "session start", |l| l.contains("session #"));
    assert_eq!(client.wait_event("recv")["text"], "欢迎您的使用");
    client.wait_event("sent");

    // The operator replies (the composer has the focus on our turn) and presses Enter.
    // The Python client then has nothing left to say and sends bye.
    xdotool(display, &["type", "--delay", "40", "hello from the window"]);
    xdotool(display, &["key", "Return"]);
    wait_line(app_lines, "session end", |l| {
        l.contains("ended: The other side said bye.")
    });

    w.screenshot(&dir.join("window.png"));

    let (code, log) = client.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(
        Peer::texts(&log, "recv"),
        ["欢迎您的使用", "hello from the window"]
    );

    // The live transcript was written where the data directory says.
    // The server run is a class: its file is in the run's class folder.
    let transcripts = dir.join("data/turnchat/transcripts");
    let files = crate::common::transcript_files(&transcripts);
    assert_eq!(
        files.len(),
        1,
        "one session, one file in {}",
        transcripts.display()
    );

    // Closing is the guard's job (the binary's clean shutdown is covered elsewhere).
    drop(w);
}

/// Puts `text` on the clipboard and pastes it with Ctrl+V: winit windows lose characters
/// that `xdotool type` remaps one by one, so Chinese is pasted. xclip (verbose, in the
/// foreground) says when it owns the clipboard, and exits once it has served the paste, so
/// the text is in the window before the next key is pressed.
fn paste(display: &str, text: &str) {
    use std::io::Write;
    let mut xclip = Command::new("xclip")
        .env("DISPLAY", display)
        .args(["-selection", "clipboard", "-loops", "1", "-verbose"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xclip");
    xclip
        .stdin
        .take()
        .expect("xclip stdin")
        .write_all(text.as_bytes())
        .expect("write to xclip");
    let err = xclip.stderr.take().expect("xclip stderr");
    let (tx, said) = crossbeam_channel::unbounded();
    let reader = std::thread::Builder::new()
        .name("test-xclip".into())
        .spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        })
        .expect("spawn");
    let xclip = Guard(Some(xclip));
    wait_line(&said, "xclip owning the clipboard", |l| {
        l.contains("Waiting for one selection request")
    });
    xdotool(display, &["key", "ctrl+v"]);
    // The paste was served when xclip's output ends (it exits).
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match said.recv_timeout(left) {
            Ok(_) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                panic!("the window never asked for the pasted text")
            }
        }
    }
    reader.join().expect("xclip reader");
    drop(xclip);
}

#[test]
fn two_reference_clients_at_once_each_answered_after_a_keyboard_switch() {
    require("xclip", "xclip");
    let dir = scratch("window-two");
    let w = ListeningWindow::start(&dir);
    let (display, app_lines, port) = (&w.display, &w.lines, w.port);

    // Two reference clients at once: both are welcomed at once and both speak.
    let mut first = ref_client(&dir, port, &["我是甲同学"], "first");
    wait_line(app_lines, "the first session", |l| l.contains("session #"));
    assert_eq!(first.wait_event("recv")["text"], "欢迎您的使用");
    first.wait_event("sent");
    let mut second = ref_client(&dir, port, &["我是乙同学"], "second");
    wait_line(app_lines, "the second session", |l| l.contains("session #"));
    assert_eq!(second.wait_event("recv")["text"], "欢迎您的使用");
    second.wait_event("sent");

    // The first conversation is on screen with the composer focused: answer it.
    paste(display, "你好，甲同学");
    xdotool(display, &["key", "Return"]);
    assert_eq!(first.wait_event("recv")["text"], "你好，甲同学");
    wait_line(app_lines, "the first's bye", |l| {
        l.contains("ended: The other side said bye.")
    });
    // Ctrl+Tab shows the second, with the composer focused: answer it too.
    xdotool(display, &["key", "ctrl+Tab"]);
    paste(display, "你好，乙同学");
    xdotool(display, &["key", "Return"]);
    assert_eq!(second.wait_event("recv")["text"], "你好，乙同学");
    wait_line(app_lines, "the second's bye", |l| {
        l.contains("ended: The other side said bye.")
    });

    w.screenshot(&dir.join("window-two.png"));

    let (code, log) = first.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["欢迎您的使用", "你好，甲同学"]);
    let (code, log) = second.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["欢迎您的使用", "你好，乙同学"]);
    drop(w);
}

/// Free talk with netcat in a real window: `--free-talk --line-ending lf`, the operator
/// types ASCII (xdotool) and pastes Chinese, twice in a row without waiting; netcat types
/// lines back; each line is a message; netcat's `bye` ends it.
#[test]
fn the_binary_talks_freely_in_lines_with_netcat_in_a_real_window() {
    require("xclip", "xclip");
    require("nc", "netcat-openbsd");
    use turnchat::core::codec::{WireEncoding, encode_guarded};
    // The flags, and the encoding netcat's terminal uses (a UTF-8 terminal, as on most
    // systems today).
    let (flags, encoding): (&[&str], _) = (
        &["--encoding", "utf-8", "--free-talk", "--line-ending", "lf"],
        WireEncoding::Utf8,
    );
    let wire = |text: &str| encode_guarded(encoding, text).expect("encodable");
    let dir = scratch("window-nc");
    let w = ListeningWindow::start_with(&dir, flags, &[]);
    let (display, app_lines, port) = (&w.display, &w.lines, w.port);

    let (mut nc, _stderr) = Netcat::spawn(&["127.0.0.1", &port.to_string()]);
    wait_line(app_lines, "session start", |l| l.contains("session #"));
    let mut shown = wire("欢迎您的使用\n");
    nc.shows(&shown);

    // Two messages in a row: no turn to wait for.
    xdotool(display, &["type", "--delay", "40", "hello nc"]);
    xdotool(display, &["key", "Return"]);
    shown.extend(b"hello nc\n");
    nc.shows(&shown);
    paste(display, "你好，netcat");
    xdotool(display, &["key", "Return"]);
    shown.extend(wire("你好，netcat\n"));
    nc.shows(&shown);

    // netcat answers in lines, then says bye.
    nc.type_bytes(&wire("hi window\n第二行\n"));
    nc.type_bytes(b"bye\n");
    wait_line(app_lines, "session end", |l| {
        l.contains("ended: The other side said bye.")
    });
    nc.closes();
    w.screenshot(&dir.join("window-nc.png"));

    // The live transcript: each line a message of its own, its bytes with the ending.
    let transcripts = dir.join("data/turnchat/transcripts");
    let file = crate::common::transcript_files(&transcripts)
        .into_iter()
        .next()
        .expect("a transcript file");
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&file)
        .expect("read transcript")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records[0]["line_ending"], "lf");
    assert_eq!(records[0]["encoding"], "UTF-8");
    assert_eq!(records[0]["turns"], "free");
    let said = |from: &str| -> Vec<String> {
        records
            .iter()
            .filter(|r| r["from"] == from)
            .map(|r| r["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(said("me"), ["欢迎您的使用", "hello nc", "你好，netcat"]);
    assert_eq!(said("peer"), ["hi window", "第二行", "bye"]);
    drop(nc);
}

impl ListeningWindow {
    /// Waits for the first frame's line, which names the window's language.
    fn shown_in(&mut self) -> String {
        let shown = |l: &str| l.starts_with("turnchat: window shown");
        let line = match self.seen.iter().find(|l| shown(l)) {
            Some(line) => line.clone(),
            None => wait_line_keeping(&self.lines, &mut self.seen, "first frame", shown),
        };
        line.trim_start_matches("turnchat: window shown")
            .trim()
            .to_owned()
    }
}

#[test]
fn a_chinese_system_gets_the_chinese_window_and_lang_en_overrides_it() {
    let dir = scratch("window-zh");
    let mut w = ListeningWindow::start_with(&dir, &[], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(w.shown_in(), "in zh-CN");
    // The screenshot is looked at by eye (docs/screenshot-zh.png is one of these).
    w.screenshot(&dir.join("window-zh.png"));
    drop(w);

    let dir = scratch("window-zh-lang-en");
    let mut w = ListeningWindow::start_with(&dir, &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(w.shown_in(), "in en");
    w.screenshot(&dir.join("window-en.png"));
    drop(w);

    // BCP 47 spellings count too (what some desktops set), and other languages are English.
    let dir = scratch("window-zh-hans");
    let mut w = ListeningWindow::start_with(&dir, &[], &[("LANGUAGE", "zh-Hans-SG")]);
    assert_eq!(w.shown_in(), "in zh-CN");
    drop(w);
    let dir = scratch("window-de");
    let mut w = ListeningWindow::start_with(&dir, &[], &[("LANG", "de_DE.UTF-8")]);
    assert_eq!(w.shown_in(), "in en");
    drop(w);
}

/// `cmd` run under `prlimit --nofile=N:N` (soft and hard), as a desktop with a low limit
/// would start it.
fn under_prlimit(cmd: &Command, nofile: u64) -> Command {
    require("prlimit", "util-linux");
    let mut wrapped = Command::new("prlimit");
    wrapped
        .arg(format!("--nofile={nofile}:{nofile}"))
        .arg("--")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    wrapped
}

impl ListeningWindow {
    /// [`ListeningWindow::start`] under an open-file limit of `nofile`.
    fn start_limited(dir: &std::path::Path, nofile: u64) -> ListeningWindow {
        require("xdotool", "xdotool");
        let desktop = Desktop::start("1100x760x24");
        let display = desktop.display.clone();
        let mut app = turnchat(dir);
        app.args(["--listen", "127.0.0.1:0"]);
        let mut app = under_prlimit(&app, nofile)
            .env("DISPLAY", &display)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start turnchat under prlimit");
        let (lines, reader) = lines_of(&mut app, "app");
        let app = Guard(Some(app));
        let mut seen = Vec::new();
        let listening = wait_line_keeping(&lines, &mut seen, "listening line", |l| {
            l.starts_with("turnchat: listening on ")
        });
        let port: u16 = (listening.rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .expect("port in the listening line");
        xdotool(
            &display,
            &[
                "search",
                "--sync",
                "--onlyvisible",
                "--name",
                "TurnChat",
                "windowactivate",
                "--sync",
            ],
        );
        ListeningWindow {
            display,
            lines,
            seen,
            port,
            _app: app,
            _reader: reader,
            _desktop: desktop,
        }
    }
}

/// `n` connections to `port`, each from a loopback address of its own (127.0.0.2 on, so
/// that no per-computer share applies), started without waiting for any: a connection the
/// server's backlog cannot take yet stays pending, and the loop never blocks.
fn silent_crowd(n: usize, port: u16) -> Vec<socket2::Socket> {
    raise_own_limit(n as u64 + 256);
    let to: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    (0..n)
        .map(|i| {
            let from = std::net::Ipv4Addr::new(127, 0, (i / 253) as u8, 2 + (i % 253) as u8);
            let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
                .expect("a socket (the test's own open-file limit)");
            s.bind(&std::net::SocketAddr::from((from, 0)).into())
                .expect("bind to a loopback address");
            s.set_nonblocking(true).expect("non-blocking");
            match s.connect(&to.into()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
                Err(e) => panic!("connection {i} from {from}: {e}"),
            }
            s
        })
        .collect()
}

/// Raises this test process's soft open-file limit to at least `want` (within the hard
/// limit), so that it can hold a crowd's connections.
fn raise_own_limit(want: u64) {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current.is_some_and(|now| now < want) {
        assert!(
            limit.maximum.is_none_or(|most| most >= want),
            "this test needs {want} open files; the hard limit is {:?}",
            limit.maximum
        );
        limit.current = Some(want);
        setrlimit(Resource::Nofile, limit).expect("raise the open-file limit");
    }
}

#[test]
fn under_1024_open_files_1100_silent_connections_stop_neither_the_server_nor_the_chat() {
    let dir = scratch("window-nofile-1024");
    let w = ListeningWindow::start_limited(&dir, 1024);
    let port = w.port;
    // A student chats; then a crowd of 1,100 silent connections arrives.
    let mut student = ref_client(&dir, port, &["老师好"], "student");
    assert_eq!(student.wait_event("recv")["text"], "欢迎您的使用");
    student.wait_event("sent");
    let crowd = silent_crowd(1100, port);
    // The server holds what its open files allow (and says so), and goes on listening.
    let places = |l: &str| l.contains("open-file limit 1024: at most ");
    assert!(w.seen.iter().any(|l| places(l)), "{:#?}", w.seen);
    // The chat goes on: the teacher answers in the window, the student hears it and
    // says bye.
    xdotool(&w.display, &["type", "--delay", "40", "hello class"]);
    xdotool(&w.display, &["key", "Return"]);
    let (code, log) = student.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["欢迎您的使用", "hello class"]);
    // The crowd leaves; the next student is welcomed.
    drop(crowd);
    let mut next = ref_client(&dir, port, &["我来了"], "next");
    assert_eq!(next.wait_event("recv")["text"], "欢迎您的使用");
    next.wait_event("sent");
    let seen = w.seen.join("\n");
    assert!(!seen.contains("could not listen"), "{seen}");
    w.screenshot(&dir.join("nofile-1024.png"));
}

#[test]
fn under_256_open_files_every_welcomed_conversation_has_its_transcript() {
    let dir = scratch("window-nofile-256");
    let mut w = ListeningWindow::start_limited(&dir, 256);
    // Said before the server listens.
    let places_line = (w.seen.iter())
        .find(|l| l.contains("open-file limit 256: at most"))
        .cloned()
        .unwrap_or_else(|| panic!("no places line in {:#?}", w.seen));
    let places: usize = (places_line.split("at most ").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the number of places");
    assert!((10..100).contains(&places), "{places_line}");
    // 80 students: as many as there are places are welcomed, the others wait.
    let crowd = silent_crowd(80, w.port);
    for _ in 0..places {
        wait_line_keeping(&w.lines, &mut w.seen, "a session", |l| {
            l.starts_with("turnchat: session #")
        });
    }
    // Each of them has its transcript file, and none was refused one.
    let transcripts = dir.join("data/turnchat/transcripts");
    let count_files = || {
        walk_files(&transcripts)
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .count()
    };
    assert_eq!(count_files(), places, "one file a welcomed conversation");
    let seen = w.seen.join("\n");
    assert!(!seen.contains("could not"), "{seen}");
    drop(crowd);
}

#[test]
fn save_as_with_zenity_opens_in_the_transcripts_folder_not_the_working_directory() {
    require("zenity", "zenity");
    let dir = scratch("zenity-save");
    let w = ListeningWindow::start(&dir);
    let (display, app_lines, port) = (&w.display, &w.lines, w.port);
    let mut client = ref_client(&dir, port, &["请把这段话存下来"], "zenity-save");
    wait_line(app_lines, "session start", |l| l.contains("session #"));
    client.wait_event("sent");

    // Ctrl+S: Save As. Without a portal, rfd shows zenity's file chooser; Return accepts
    // the name it was given. With only the name, zenity would save into the working
    // directory (the scratch folder here); with the path, into the transcripts folder.
    xdotool(display, &["key", "ctrl+s"]);
    xdotool(
        display,
        &[
            "search",
            "--sync",
            "--onlyvisible",
            "--class",
            "zenity",
            "windowactivate",
            "--sync",
        ],
    );
    xdotool(display, &["key", "Return"]);

    let transcripts = dir.join("data/turnchat/transcripts");
    let deadline = std::time::Instant::now() + WAIT;
    let saved = loop {
        let txt: Vec<_> = walk_files(&transcripts)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        if let Some(path) = txt.into_iter().next() {
            break path;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no .txt saved under {} within {WAIT:?}; the scratch folder holds {:?}",
            transcripts.display(),
            std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name())
                .collect::<Vec<_>>()
        );
        // A bounded poll of the folder: the save runs on a job thread and says nothing
        // on stdout.
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(
        saved.parent(),
        Some(transcripts.as_path()),
        "saved straight into the transcripts folder"
    );
    let text = std::fs::read_to_string(&saved).expect("read the saved transcript");
    assert!(text.contains("请把这段话存下来"), "{text}");
    let stray: Vec<_> = std::fs::read_dir(&dir)
        .expect("scratch")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.file_name())
        .collect();
    assert!(
        stray.is_empty(),
        "saved into the working directory: {stray:?}"
    );
    drop(client);
    drop(w);
}

/// Every file under `dir`, in every folder.
fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
