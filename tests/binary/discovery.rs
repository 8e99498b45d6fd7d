//! LAN discovery between real `turnchat` processes in network namespaces standing in for
//! computers on one LAN (see `common/netns.rs`): servers in real windows under one Xvfb
//! (X clients in a namespace reach it through its socket file), and `turnchat --discover`
//! in another namespace. Nothing here touches the machine's real interfaces.
//!
//! Needs root and iproute2 (the namespaces), Xvfb, openbox, xdotool and wmctrl (the
//! windows, and closing one as a user would); missing ones fail with a sentence.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::desktop::{Desktop, Guard, TURNCHAT, at_home, require};
use crate::common::netns::Lan;
use crate::common::{WAIT, scratch};
use crossbeam_channel::Receiver;

/// Reads a child's stdout lines on a named thread, each with the time it arrived.
fn lines_of(child: &mut Child, name: &str) -> (Receiver<(Instant, String)>, Reader) {
    let out = child.stdout.take().expect("piped stdout");
    let (tx, rx) = crossbeam_channel::unbounded();
    let handle = std::thread::Builder::new()
        .name(format!("test-{name}-stdout"))
        .spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        })
        .expect("spawn");
    (rx, Reader(Some(handle)))
}

/// Joins a stdout reader on drop (its child is gone by then, so the pipe is closed).
struct Reader(Option<std::thread::JoinHandle<()>>);

impl Drop for Reader {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let _ = h.join();
        }
    }
}

/// The first line within `within` that satisfies `pred`, with when it came.
fn wait_line(
    rx: &Receiver<(Instant, String)>,
    within: Duration,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> (Instant, String) {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((at, line)) if pred(&line) => return (at, line),
            Ok(_) => {}
            Err(_) => panic!("no {what} within {within:?}"),
        }
    }
}

/// A desktop (Xvfb and openbox) that windows from every namespace share.
pub(crate) fn start_desktop() -> Desktop {
    require("xdotool", "xdotool");
    require("wmctrl", "wmctrl");
    Desktop::start("1100x760x24")
}

/// The settings of a server called `name`.
pub(crate) fn named(name: &str) -> serde_json::Value {
    serde_json::json!({ "server_name": name })
}

/// A TurnChat server in a window, in one namespace.
pub(crate) struct Server {
    // Dropped in this order: the app (killed), then its stdout reader (joined).
    app: Guard,
    _reader: Reader,
    lines: Receiver<(Instant, String)>,
    listening_at: Instant,
    pid: u32,
}

impl Server {
    /// Starts `turnchat --listen LISTEN` with `flags` in computer `host`, with `settings`
    /// in its settings file (`server_name`, the name it is announced as, among them), and
    /// waits until it listens.
    pub(crate) fn start(
        lan: &Lan,
        host: usize,
        desktop: &Desktop,
        dir: &Path,
        settings: serde_json::Value,
        listen: &str,
        flags: &[&str],
    ) -> Server {
        let name = settings["server_name"].as_str().expect("a server_name");
        let home = dir.join(name);
        let config = home.join("config/turnchat");
        std::fs::create_dir_all(&config).expect("config dir");
        std::fs::write(config.join("settings.json"), settings.to_string()).expect("settings");
        let mut app = lan.command(host, TURNCHAT);
        let mut app = at_home(&mut app, &home)
            .args(["--listen", listen])
            .args(flags)
            .env("DISPLAY", &desktop.display)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start turnchat");
        let pid = app.id();
        let (lines, reader) = lines_of(&mut app, name);
        let app = Guard(Some(app));
        // A debug build opening its first window on a loaded machine: the common wait.
        let (listening_at, _) = wait_line(&lines, WAIT * 2, "listening line", |l| {
            l.starts_with("turnchat: listening on ")
        });
        eprintln!("{name} listens in {}", lan.hosts[host]);
        Server {
            app,
            _reader: reader,
            lines,
            listening_at,
            pid,
        }
    }

    /// Closes the window as a user would (the window manager's close), and waits for
    /// the process to end.
    fn close(&mut self, desktop: &Desktop) {
        let out = Command::new("xdotool")
            .env("DISPLAY", &desktop.display)
            .args(["search", "--sync", "--pid", &self.pid.to_string()])
            .output()
            .expect("xdotool search");
        let ids = String::from_utf8_lossy(&out.stdout);
        let mut closed = false;
        for id in ids.split_whitespace() {
            closed |= Command::new("wmctrl")
                .env("DISPLAY", &desktop.display)
                .args(["-i", "-c", id])
                .status()
                .is_ok_and(|s| s.success());
        }
        assert!(closed, "the server's window could not be closed");
        wait_line(&self.lines, WAIT, "closing line", |l| {
            l.starts_with("turnchat: closing:")
        });
        let mut child = self.app.0.take().expect("running");
        let deadline = Instant::now() + WAIT;
        loop {
            if child.try_wait().expect("try_wait").is_some() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit after its window closed"
            );
            // Bounded: the process is closing (its closing line came); poll its exit.
            let _ = self.lines.recv_timeout(Duration::from_millis(20));
        }
    }
}

/// `turnchat --discover --watch`, running.
struct Watcher {
    // Dropped in this order: the process (killed), then its stdout reader (joined).
    _child: Guard,
    _reader: Reader,
    lines: Receiver<(Instant, String)>,
}

/// `turnchat --discover --watch` in computer `host` for `seconds`.
fn watcher(lan: &Lan, host: usize, seconds: u32) -> Watcher {
    let mut child = lan
        .command(host, TURNCHAT)
        .args(["--discover", "--watch", "--seconds", &seconds.to_string()])
        .env_remove("DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start turnchat --discover");
    let (lines, reader) = lines_of(&mut child, "watch");
    Watcher {
        _child: Guard(Some(child)),
        _reader: reader,
        lines,
    }
}

#[test]
fn two_servers_are_found_in_another_namespace_and_one_leaves() {
    let dir = scratch("discovery-two");
    let lan = Lan::new(3);
    let desktop = start_desktop();
    // The third computer watches from before the servers start.
    // Long enough for every wait below; it is stopped when the test ends.
    let watch = watcher(&lan, 2, 300);
    let seen = &watch.lines;

    let mut alpha = Server::start(&lan, 0, &desktop, &dir, named("Alpha"), "0.0.0.0:7101", &[]);
    // Bound to its computer's address: announced on that interface only.
    let beta_listen = format!("{}:7102", Lan::addr(1));
    let beta = Server::start(&lan, 1, &desktop, &dir, named("Beta"), &beta_listen, &[]);
    // Never announced, so never seen: --no-announce, and a server bound to loopback
    // (nobody else could connect to it).
    let _gamma = Server::start(
        &lan,
        0,
        &desktop,
        &dir,
        named("Gamma"),
        "0.0.0.0:7103",
        &["--no-announce"],
    );
    let _delta = Server::start(
        &lan,
        1,
        &desktop,
        &dir,
        named("Delta"),
        "127.0.0.1:7104",
        &[],
    );

    let alpha_line = format!("+\tAlpha\t{}:7101\tGBK\tfree", Lan::addr(0));
    let beta_line = format!("+\tBeta\t{}:7102\tGBK\tfree", Lan::addr(1));
    let mut found_alpha = None;
    let mut found_beta = None;
    let deadline = Instant::now() + WAIT;
    while found_alpha.is_none() || found_beta.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let (at, line) = seen
            .recv_timeout(left)
            .inspect(|(_, l)| eprintln!("watch: {l}"))
            .unwrap_or_else(|_| {
                panic!("not both servers seen; alpha {found_alpha:?}, beta {found_beta:?}")
            });
        assert!(
            !line.contains("Gamma"),
            "a --no-announce server was seen: {line}"
        );
        if line == alpha_line {
            found_alpha.get_or_insert(at);
        } else if line == beta_line {
            found_beta.get_or_insert(at);
        }
    }
    // How soon is a figure for tools/bench-discovery.py (BENCHMARKS.md), not a bound here.
    let alpha_after = found_alpha
        .expect("alpha")
        .saturating_duration_since(alpha.listening_at);
    let beta_after = found_beta
        .expect("beta")
        .saturating_duration_since(beta.listening_at);
    eprintln!("found Alpha {alpha_after:?} and Beta {beta_after:?} after they listened");

    // A one-shot --discover from the third computer prints both, one line each.
    let out = lan
        .command(2, TURNCHAT)
        .args(["--discover", "--seconds", "2"])
        .env_remove("DISPLAY")
        .output()
        .expect("run --discover");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        format!(
            "Alpha\t{}:7101\tGBK\tfree\nBeta\t{}:7102\tGBK\tfree\n",
            Lan::addr(0),
            Lan::addr(1)
        )
    );

    // Alpha's window is closed: it says goodbye and leaves the live list.
    let closing = Instant::now();
    alpha.close(&desktop);
    let (gone_at, _) = wait_line(seen, WAIT, "Alpha leaving", |l| {
        assert!(
            !l.contains("Gamma") && !l.contains("Delta"),
            "a server that must not be announced was seen: {l}"
        );
        l.starts_with("-\tAlpha\t")
    });
    let gone_after = gone_at.saturating_duration_since(closing);
    eprintln!("Alpha left the list {gone_after:?} after its window was closed");

    // The watcher asks each listed server every 5 s whether it is still there: Beta,
    // alive, answers and stays through two rounds...
    let quiet_until = Instant::now() + Duration::from_secs(11);
    loop {
        let left = quiet_until.saturating_duration_since(Instant::now());
        match seen.recv_timeout(left) {
            Ok((_, line)) => assert!(
                !line.starts_with("-\tBeta\t"),
                "Beta left the list while it was running: {line}"
            ),
            Err(_) => break,
        }
    }
    // ...and once it dies without a goodbye (killed, as in a crash), it leaves after a
    // round and its wait (5 + 2 s), not after its records' two minutes: the bound is
    // generous, and still half of those.
    let killing = Instant::now();
    let killed = Command::new("kill")
        .args(["-KILL", &beta.pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -KILL {} failed", beta.pid);
    let (gone_at, _) = wait_line(seen, Duration::from_secs(60), "Beta leaving", |l| {
        l.starts_with("-\tBeta\t")
    });
    let gone_after = gone_at.saturating_duration_since(killing);
    eprintln!("Beta left the list {gone_after:?} after it was killed");
}

/// A client in computer `host` that connects to `addr` and stays until it is dropped.
fn client_in(lan: &Lan, host: usize, addr: &str) -> Guard {
    let (ip, port) = addr.rsplit_once(':').expect("HOST:PORT");
    Guard(Some(
        lan.command(host, "python3")
            .args([
                "-c",
                "import socket,sys; s=socket.create_connection((sys.argv[1], int(sys.argv[2]))); sys.stdin.read()",
                ip,
                port,
            ])
            .stdin(Stdio::piped())
            .spawn()
            .expect("start a client"),
    ))
}

#[test]
fn a_full_server_shows_busy_then_free_again_and_discover_says_when_none_is_found() {
    let dir = scratch("discovery-busy");
    let lan = Lan::new(2);
    // Nothing announces yet: --discover says so and exits 1.
    let out = lan
        .command(1, TURNCHAT)
        .args(["--discover", "--seconds", "1"])
        .env_remove("DISPLAY")
        .output()
        .expect("run --discover");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("No TurnChat server announced itself"),
        "{stderr}"
    );

    let desktop = start_desktop();
    let watch = watcher(&lan, 1, 300);
    let seen = &watch.lines;
    // One at a time: a single place. And a class server at its limit of 2 conversations.
    let _beta = Server::start(
        &lan,
        0,
        &desktop,
        &dir,
        named("Beta"),
        "0.0.0.0:7102",
        &["--one-at-a-time"],
    );
    let mut gamma = named("Gamma");
    gamma["max_conversations"] = 2.into();
    let _gamma = Server::start(&lan, 0, &desktop, &dir, gamma, "0.0.0.0:7103", &[]);
    let line = |name: &str, port: u16, state: &str| {
        format!("+\t{name}\t{}:{port}\tGBK\t{state}", Lan::addr(0))
    };
    let addr = |port: u16| format!("{}:{port}", Lan::addr(0));
    // Both free, in whichever order they are found.
    let mut free = vec![line("Beta", 7102, "free"), line("Gamma", 7103, "free")];
    while !free.is_empty() {
        let (_, found) = wait_line(seen, WAIT, "Beta and Gamma, free", |l| {
            free.iter().any(|f| f == l)
        });
        free.retain(|f| *f != found);
    }

    // A client from the other computer takes Beta's one place: busy.
    let beta_client = client_in(&lan, 1, &addr(7102));
    let busy = line("Beta", 7102, "busy");
    wait_line(seen, WAIT, "Beta, busy", |l| l == busy);
    // It leaves: free again.
    drop(beta_client);
    let free = line("Beta", 7102, "free");
    wait_line(seen, WAIT, "Beta, free again", |l| l == free);

    // Gamma is busy at its limit, two conversations, and free again when one ends.
    let first = client_in(&lan, 1, &addr(7103));
    let _second = client_in(&lan, 1, &addr(7103));
    let busy = line("Gamma", 7103, "busy");
    wait_line(seen, WAIT, "Gamma, busy at 2", |l| l == busy);
    drop(first);
    let free = line("Gamma", 7103, "free");
    wait_line(seen, WAIT, "Gamma, free again at 1", |l| l == free);
}

/// `turnchat ARGS` in a new, empty network namespace (`unshare --net`: only a loopback
/// that is down), so that nothing it does can reach the machine's real interfaces, even
/// if a flag error it is meant to stop at did not stop it.
fn offline(args: &[&str]) -> std::process::Output {
    require("unshare", "util-linux");
    let out = Command::new("unshare")
        .arg("--net")
        .arg(TURNCHAT)
        .args(args)
        .env_remove("DISPLAY")
        .output()
        .expect("run unshare");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.starts_with("unshare:"),
        "`unshare --net` could not make a network namespace (it needs root, as the other \
         discovery tests do): {stderr}"
    );
    out
}

#[test]
fn discover_flags_read_as_sentences() {
    let out = offline(&["--seconds", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--discover"));
    let out = offline(&["--discover", "--seconds", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = offline(&["--discover", "--listen", "8888"]);
    assert_eq!(out.status.code(), Some(2));
    let help = offline(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--discover",
        "--seconds <N>",
        "--watch",
        "--no-announce",
        "--reconnect",
    ] {
        assert!(text.contains(flag), "{flag} missing from --help: {text}");
    }
}

#[test]
fn a_forged_goodbye_does_not_remove_a_real_server() {
    let dir = scratch("discovery-goodbye");
    let lan = Lan::new(3);
    let desktop = start_desktop();
    let _teacher = Server::start(
        &lan,
        1,
        &desktop,
        &dir,
        named("teacher"),
        "0.0.0.0:7201",
        &[],
    );
    let watch = watcher(&lan, 2, 8);
    let listed = format!("+\tteacher\t{}:7201\tGBK\tfree", Lan::addr(1));
    wait_line(&watch.lines, WAIT, "the teacher listed", |l| l == listed);
    // Another computer says goodbye in the teacher's name: its PTR, SRV and TXT with TTL 0.
    let _attacker = crate::discovery_hostile::forge(
        &lan,
        0,
        serde_json::json!({ "goodbye": true, "answer_all": true, "services": [
            { "instance": "teacher", "host": "teacher-pc.local.", "port": 7201,
              "txt": ["proto=1", "enc=GBK", "state=free"] },
        ]}),
    );
    // Until the watch ends (after its 8 s) and lists what is left.
    let mut after = Vec::new();
    loop {
        let (_, line) = wait_line(&watch.lines, WAIT, "the watch's end", |_| true);
        if line == "=" {
            break;
        }
        after.push(line);
    }
    assert!(
        !after.iter().any(|l| l.starts_with("-\tteacher\t")),
        "a forged goodbye removed the teacher: {after:?}"
    );
    let (_, last) = wait_line(&watch.lines, WAIT, "the final list", |_| true);
    assert_eq!(last, listed[2..], "still listed at the end");
}

#[test]
fn a_turnchat_clients_own_name_reaches_the_teachers_row_and_class_csv() {
    let dir = scratch("discovery-said-name");
    let lan = Lan::new(2);
    let desktop = start_desktop();
    let mut teacher = Server::start(
        &lan,
        0,
        &desktop,
        &dir,
        named("Teacher"),
        "0.0.0.0:7110",
        &[],
    );
    // The student's TurnChat, its Name set, connects from the other computer.
    let home = dir.join("student");
    let config = home.join("config/turnchat");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("settings.json"),
        serde_json::json!({ "server_name": "李雷" }).to_string(),
    )
    .expect("settings");
    let mut student = lan.command(1, TURNCHAT);
    let mut student = at_home(&mut student, &home)
        .args(["--connect", &format!("{}:7110", Lan::addr(0))])
        .env("DISPLAY", &desktop.display)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the student's turnchat");
    let (student_lines, _student_reader) = lines_of(&mut student, "student");
    let _student = Guard(Some(student));
    let (_, connected) = wait_line(&student_lines, WAIT * 2, "the student's session", |l| {
        l.contains("session #")
    });
    eprintln!("student: {connected}");
    // The teacher's TurnChat hears the name, from that computer, for that connection.
    let (_, said) = wait_line(&teacher.lines, WAIT * 2, "the said name", |l| {
        l.contains("says its name is")
    });
    let peer_ip = Lan::addr(1);
    assert!(
        said.starts_with(&format!("turnchat: {peer_ip}:"))
            && said.ends_with("says its name is 李雷"),
        "{said}"
    );
    // The class summary names the student, with the address of the connection.
    teacher.close(&desktop);
    let transcripts = dir.join("Teacher/data/turnchat/transcripts");
    let class = std::fs::read_dir(&transcripts)
        .expect("the transcripts folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("class.csv").is_file())
        .expect("a class folder with class.csv");
    let csv = std::fs::read_to_string(class.join("class.csv")).expect("class.csv");
    let row = csv
        .lines()
        .find(|l| l.contains(&format!("{peer_ip}:")))
        .unwrap_or_else(|| panic!("no row for the student in {csv}"));
    assert!(row.starts_with("李雷,"), "{row}");
}

/// `turnchat --discover --json --ask ASK` in computer `host`: its status and its objects.
fn ask(lan: &Lan, host: usize, ask: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = lan
        .command(host, TURNCHAT)
        .args(["--discover", "--json", "--seconds", "3", "--ask", ask])
        .env_remove("DISPLAY")
        .stderr(Stdio::inherit())
        .output()
        .expect("run turnchat --discover --ask");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let objects = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    (out.status.code(), objects)
}

#[test]
fn a_turnchat_server_answers_when_its_address_is_asked_directly() {
    let dir = scratch("discovery-asked");
    let lan = Lan::new(2);
    let desktop = start_desktop();
    let _server = Server::start(&lan, 0, &desktop, &dir, named("Asked"), "0.0.0.0:7110", &[]);
    // Several askers, each from a port of its own: every one is answered, whichever of
    // the server's sockets on port 5353 the system hands the question to.
    for attempt in 0..6 {
        let (status, objects) = ask(&lan, 1, &Lan::addr(0));
        assert_eq!(status, Some(0), "attempt {attempt}: {objects:?}");
        assert_eq!(objects.len(), 1, "attempt {attempt}: one row: {objects:?}");
        let o = &objects[0];
        assert_eq!(o["name"], "Asked");
        assert_eq!(o["host"], Lan::addr(0).as_str());
        assert_eq!(o["port"], 7110);
        assert_eq!(
            o["marks"],
            serde_json::json!(["asked"]),
            "attempt {attempt}: the server answered the question: {o}"
        );
    }
}

#[test]
fn asking_an_address_never_touches_a_python_reference_server() {
    let dir = scratch("discovery-asked-python");
    let lan = Lan::new(2);
    let script = dir.join("script.json");
    std::fs::write(&script, r#"[["bye"]]"#).expect("script");
    // The reference server gives up accepting after 6 s: long enough for the whole probe.
    let mut server = lan
        .command(0, "python3")
        .arg(crate::common::root().join("tests/peers/ref_server.py"))
        .args([
            "--host",
            "0.0.0.0",
            "--port",
            "8888",
            "--welcome",
            "欢迎您的使用",
        ])
        .args(["--timeout", "6", "--sessions", "1"])
        .arg("--script")
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start ref_server.py");
    let mut lines = BufReader::new(server.stdout.take().expect("piped")).lines();
    let first = lines.next().expect("a line").expect("read");
    assert!(first.contains("listening"), "{first}");
    let _guard = Guard(Some(server));
    // Asked directly (and by the whole /30 around it), nothing TurnChat answers: none found.
    let block = format!("{}/30", Lan::addr(0));
    let (status, objects) = ask(&lan, 1, &block);
    assert_eq!(status, Some(1), "{objects:?}");
    assert!(objects.is_empty());
    // The server saw nothing: it timed out waiting for a connection.
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter().all(|l| !l.contains("accepted")),
        "the reference server saw a connection: {rest:?}"
    );
    assert!(
        rest.iter().any(|l| l.contains("\"phase\": \"accept\"")),
        "{rest:?}"
    );
}
