//! LAN discovery against a hostile computer: raw multicast DNS packets from
//! `tests/peers/mdns_forge.py` in one network namespace (see `common/netns.rs`), and
//! `turnchat --discover` in another, its output read by a strict reader as a script would.
//!
//! Needs root and iproute2 (the namespaces) and python3.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Stdio;

use crate::common::desktop::{Guard, TURNCHAT};
use crate::common::netns::Lan;
use crate::common::peers::python;
use crate::common::root;

/// The forger, started in computer `host` with `config`, once it listens.
pub(crate) fn forge(lan: &Lan, host: usize, config: serde_json::Value) -> Guard {
    let mut cmd = lan.command(host, "python3");
    // `python3` is asked for by name here; `python()` says what to install if it is missing.
    drop(python());
    let mut child = cmd
        .arg(root().join("tests/peers/mdns_forge.py"))
        .arg(Lan::addr(host))
        .arg(config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start mdns_forge.py");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut first)
        .expect("read the forger");
    assert!(
        first.contains("ready"),
        "the forger did not start: {first:?}"
    );
    Guard(Some(child))
}

/// `turnchat --discover ARGS` in computer `host`: its status and stdout.
fn discover(lan: &Lan, host: usize, args: &[&str]) -> (Option<i32>, String) {
    let out = lan
        .command(host, TURNCHAT)
        .arg("--discover")
        .args(args)
        .env_remove("DISPLAY")
        .stderr(Stdio::inherit())
        .output()
        .expect("run turnchat --discover");
    let stdout = String::from_utf8(out.stdout).expect("--discover prints UTF-8");
    (out.status.code(), stdout)
}

/// One line of `--discover`, as a strict reader takes it.
#[derive(Debug, PartialEq, Eq)]
struct Line {
    name: String,
    addr: SocketAddr,
    encoding: String,
    state: String,
    marks: Vec<String>,
}

/// Undoes the name's escapes; anything else after a backslash is an error.
fn unescape(field: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let rest: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let hex = rest
                    .strip_prefix('{')
                    .ok_or(format!("bad escape in {field:?}"))?;
                let n = u32::from_str_radix(hex, 16).map_err(|e| format!("{hex}: {e}"))?;
                out.push(char::from_u32(n).ok_or(format!("not a character: {hex}"))?);
            }
            other => return Err(format!("unknown escape \\{other:?} in {field:?}")),
        }
    }
    Ok(out)
}

/// Reads one line strictly: four or five tab-separated fields, no control or format
/// character but the tabs, a known encoding label or `?`, `free` or `busy`, known marks.
fn strict(line: &str) -> Result<Line, String> {
    if let Some(c) = line.chars().find(|c| {
        (c.is_control() && *c != '\t')
            || matches!(u32::from(*c), 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F)
    }) {
        return Err(format!("{c:?} in {line:?}"));
    }
    let fields: Vec<&str> = line.split('\t').collect();
    if !(4..=5).contains(&fields.len()) {
        return Err(format!("{} fields in {line:?}", fields.len()));
    }
    let encoding = fields[2].to_owned();
    if !["GBK", "GB18030", "UTF-8", "Big5", "Shift_JIS", "?"].contains(&encoding.as_str()) {
        return Err(format!("encoding {encoding:?}"));
    }
    let state = fields[3].to_owned();
    if state != "free" && state != "busy" {
        return Err(format!("state {state:?}"));
    }
    let marks: Vec<String> = fields
        .get(4)
        .map(|m| m.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    if marks.is_empty() && fields.len() == 5
        || marks.iter().any(|m| m != "look-alike" && m != "moved")
    {
        return Err(format!("marks {:?}", fields.get(4)));
    }
    Ok(Line {
        name: unescape(fields[0])?,
        addr: fields[1]
            .parse()
            .map_err(|e| format!("{}: {e}", fields[1]))?,
        encoding,
        state,
        marks,
    })
}

/// The hostile announcements: a teacher, a look-alike, and a name and TXT values made to
/// forge lines and drive the terminal.
fn hostile(at: &str) -> serde_json::Value {
    serde_json::json!({ "services": [
        { "instance": "teacher", "host": "teacher-pc.local.", "ip": at, "port": 8888,
          "txt": ["proto=1", "enc=GBK", "turns=strict", "state=free", "conv=0"] },
        { "instance": "teach\u{200B}er", "host": "fake-pc.local.", "ip": at, "port": 8889,
          "txt": ["proto=1", "enc=GBK\nFAKE\t6.6.6.6:1\tGBK\tfree\u{1b}[2J", "state=busy"] },
        { "instance": "evil\t\u{202E}x\u{1b}]0;owned\u{7}\\", "host": "evil-pc.local.", "ip": at,
          "port": 1, "txt": ["enc=KOI8-R", "state=\nfree"] },
    ]})
}

#[test]
fn hostile_names_and_txt_cannot_forge_discover_lines() {
    let lan = Lan::new(2);
    let at = Lan::addr(0);
    let _forger = forge(&lan, 0, hostile(&at));
    let (status, out) = discover(&lan, 1, &[]);
    assert_eq!(status, Some(0), "{out}");
    let lines: Vec<Line> = out
        .lines()
        .map(|l| strict(l).unwrap_or_else(|e| panic!("{e}\n{out}")))
        .collect();
    assert_eq!(lines.len(), 3, "exactly one line per server:\n{out}");
    let by_name = |n: &str| {
        lines
            .iter()
            .find(|l| l.name == n)
            .unwrap_or_else(|| panic!("{n:?} missing:\n{out}"))
    };
    let teacher = by_name("teacher");
    assert_eq!(teacher.addr, format!("{at}:8888").parse().expect("addr"));
    assert_eq!(teacher.encoding, "GBK");
    assert_eq!(teacher.marks, ["look-alike"]);
    let fake = by_name("teach\u{200B}er");
    assert_eq!(
        fake.encoding, "?",
        "an encoding holding a line break is unknown"
    );
    assert_eq!(fake.state, "busy");
    assert_eq!(fake.marks, ["look-alike"]);
    let evil = by_name("evil\t\u{202E}x\u{1b}]0;owned\u{7}\\");
    assert_eq!(evil.encoding, "?");
    assert!(evil.marks.is_empty());
    assert!(!out.contains("6.6.6.6"), "no forged line:\n{out}");
}

#[test]
fn discover_json_lines_read_strictly() {
    let lan = Lan::new(2);
    let at = Lan::addr(0);
    let _forger = forge(&lan, 0, hostile(&at));
    let (status, out) = discover(&lan, 1, &["--json"]);
    assert_eq!(status, Some(0), "{out}");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| {
            assert!(
                !l.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "raw control in {l:?}"
            );
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"))
        })
        .collect();
    assert_eq!(objects.len(), 3, "{out}");
    for o in &objects {
        let keys: Vec<&str> = o
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut want = [
            "event",
            "name",
            "visible_name",
            "host",
            "port",
            "encoding",
            "encoding_announced",
            "state",
            "conversations",
            "marks",
            "moved_from",
        ];
        want.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(o["event"], "listed");
        assert_eq!(o["host"], at.as_str());
        assert!(o["port"].is_u64());
        let enc = o["encoding"].as_str().expect("encoding");
        assert!(["GBK", "?"].contains(&enc), "{enc}");
        assert!(o["marks"].is_array());
    }
    let fake = objects
        .iter()
        .find(|o| o["name"] == "teach\u{200B}er")
        .expect("the look-alike");
    assert_eq!(fake["encoding"], "?");
    assert_eq!(
        fake["encoding_announced"],
        "GBK\nFAKE\t6.6.6.6:1\tGBK\tfree\u{1b}[2J"
    );
    assert_eq!(fake["marks"], serde_json::json!(["look-alike"]));
    assert_eq!(fake["visible_name"], "teach\\u{200B}er");
}

#[test]
fn a_spoofed_address_record_does_not_redirect_the_teacher() {
    let lan = Lan::new(3);
    // The attacker's address (computer 0) is the lower one, so that picking the lowest
    // address would pick it.
    let teacher_at = Lan::addr(1);
    let _teacher = forge(
        &lan,
        1,
        serde_json::json!({ "services": [
            { "instance": "teacher", "host": "teacher-pc.local.", "ip": teacher_at, "port": 8888,
              "txt": ["proto=1", "enc=GBK", "state=free"] },
        ]}),
    );
    // The attacker, on a third computer, says the teacher's host name is its own address.
    let _attacker = forge(
        &lan,
        0,
        serde_json::json!({ "answer_all": true, "addresses": [
            { "host": "teacher-pc.local.", "ip": Lan::addr(0) },
        ]}),
    );
    for args in [&[][..], &["--json"][..]] {
        let (status, out) = discover(&lan, 2, args);
        assert_eq!(status, Some(0), "{out}");
        assert_eq!(out.lines().count(), 1, "{out}");
        if args.is_empty() {
            let line = strict(out.trim_end()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(line.name, "teacher");
            assert_eq!(
                line.addr,
                format!("{teacher_at}:8888").parse().expect("addr"),
                "a click must reach the computer that announced the teacher:\n{out}"
            );
        } else {
            let o: serde_json::Value = serde_json::from_str(out.trim_end()).expect("json");
            assert_eq!(o["host"], teacher_at.as_str(), "{out}");
        }
    }
}

#[test]
fn a_forged_goodbye_does_not_remove_a_server_that_still_answers() {
    let lan = Lan::new(3);
    let teacher_at = Lan::addr(1);
    let teacher = serde_json::json!({ "services": [
        { "instance": "teacher", "host": "teacher-pc.local.", "ip": teacher_at, "port": 8888,
          "txt": ["proto=1", "enc=GBK", "state=free"] },
    ]});
    let _teacher = forge(&lan, 1, teacher.clone());
    let mut watch = lan
        .command(2, TURNCHAT)
        .args(["--discover", "--watch", "--seconds", "6"])
        .env_remove("DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start --discover --watch");
    let mut lines = BufReader::new(watch.stdout.take().expect("piped")).lines();
    let mut seen = Vec::new();
    // Until the teacher is listed (the watch ends by itself, so this is bounded).
    for line in lines.by_ref() {
        let line = line.expect("a line");
        seen.push(line.clone());
        if line.starts_with("+\tteacher\t") {
            break;
        }
    }
    assert!(
        seen.last().is_some_and(|l| l.starts_with("+\tteacher\t")),
        "the teacher was never listed: {seen:?}"
    );
    // The attacker, on another computer, says goodbye in the teacher's name.
    let mut forged = teacher;
    forged["goodbye"] = serde_json::json!(true);
    forged["answer_all"] = serde_json::json!(true);
    let _attacker = forge(&lan, 0, forged);
    let rest: Vec<String> = lines.map(|l| l.expect("a line")).collect();
    let _ = watch.wait();
    assert!(
        !rest.iter().any(|l| l.starts_with("-\tteacher\t")),
        "the forged goodbye removed the teacher: {rest:?}"
    );
    let end = rest.iter().position(|l| l == "=").expect("the final list");
    assert!(
        rest[end + 1..].iter().any(|l| l.starts_with("teacher\t")),
        "the teacher is still listed at the end: {rest:?}"
    );
}

#[test]
fn a_second_server_announcing_a_name_reached_before_is_marked_moved() {
    use turnchat::core::tofu::{KnownServers, network_of};
    let lan = Lan::new(3);
    let teacher_at = Lan::addr(1);
    // This computer (2) connected to "teacher" at computer 1 before: known.json says so.
    let data = crate::common::scratch("known-spoof");
    let mut known = KnownServers::default();
    let network = network_of(Lan::addr(2).parse().expect("ip"));
    known.reached(&network, "teacher", teacher_at.parse().expect("ip"));
    turnchat::desktop::known_file::save_known(&data.join("turnchat/known.json"), &known)
        .expect("known.json");
    let service = |instance: &str, host: &str, ip: &str| {
        serde_json::json!({ "instance": instance, "host": host, "ip": ip, "port": 8888,
            "txt": ["proto=1", "enc=GBK", "state=free"] })
    };
    let _teacher = forge(
        &lan,
        1,
        serde_json::json!({ "services": [service("teacher", "teacher-pc.local.", &teacher_at)] }),
    );
    // The attacker on computer 0 announces the same name (another case, another key).
    let attacker_at = Lan::addr(0);
    let _attacker = forge(
        &lan,
        0,
        serde_json::json!({ "services": [service("TEACHER", "evil-pc.local.", &attacker_at)] }),
    );
    let out = lan
        .command(2, TURNCHAT)
        .args(["--discover", "--json"])
        .env("XDG_DATA_HOME", &data)
        .env_remove("DISPLAY")
        .stderr(Stdio::inherit())
        .output()
        .expect("run turnchat --discover");
    let out = String::from_utf8(out.stdout).expect("UTF-8");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert_eq!(objects.len(), 2, "{out}");
    let by_host = |h: &str| {
        objects
            .iter()
            .find(|o| o["host"] == h)
            .unwrap_or_else(|| panic!("{h} missing:\n{out}"))
    };
    // Whichever was heard first, the one reached before is trusted and the other moved.
    let real = by_host(&teacher_at);
    assert_eq!(real["marks"], serde_json::json!(["look-alike"]), "{out}");
    assert!(real["moved_from"].is_null(), "{out}");
    let fake = by_host(&attacker_at);
    assert_eq!(
        fake["marks"],
        serde_json::json!(["look-alike", "moved"]),
        "{out}"
    );
    assert_eq!(fake["moved_from"], format!("{teacher_at}:8888"), "{out}");
}
