//! The disk a conversation costs (issue 22, items 5 and 8): a drip is gathered into few
//! lines, budgets stop a transcript with a `cut` line, and a full disk never leaves half a
//! line and is written again once space is back.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::backend::{
    Events, Started, backend_with, ended, listening, sent, server, started, window_state,
};
use crate::common::process::named;
use crate::common::raw::{raw_connect, read_n};
use crate::common::scratch;
use crate::common::transcript::{bytes_from, transcript};
use crate::common::wire::{WELCOME, WELCOME_GBK, gbk};
use turnchat::core::disk_budget::{BudgetScope, DiskBudget};
use turnchat::core::ids::SessionId;
use turnchat::core::lang::Say;
use turnchat::core::notice::{EndReason, Notice};
use turnchat::core::transcript::Speaker;
use turnchat::net::{Backend, Event};

use super::{quick, serve_one};

// --- 5c. A drip on disk -------------------------------------------------------------------

#[test]
fn a_drip_costs_less_than_20_bytes_on_disk_per_byte_received() {
    const BYTES: usize = 2000;
    let dir = scratch("fault-drip-disk");
    let (_b, mut events, peer, s) = serve_one(&dir);
    peer.set_nodelay(true).expect("nodelay");
    let mut writer = peer.try_clone().expect("clone");
    // The peer paces itself, a byte a millisecond (about 2 s), bounded in count and time;
    // the test only waits on events.
    let drip = named("test-disk-dripper", move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        for _ in 0..BYTES {
            if Instant::now() > deadline || writer.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let mut got = 0;
    let mut reads = 0;
    events.until("the whole drip", |e| match e {
        Event::Received { bytes, .. } => {
            got += bytes.len();
            reads += 1;
            (got >= BYTES).then_some(())
        }
        _ => None,
    });
    drip.join().expect("dripper");
    drop(peer);
    assert_eq!(ended(&mut events), EndReason::PeerClosed);
    let file = s.file.expect("file");
    let on_disk = std::fs::metadata(&file).expect("the file").len();
    let records = transcript(&file);
    assert_eq!(bytes_from(&records, Speaker::Peer), vec![b'a'; BYTES]);
    let per_byte = on_disk as f64 / BYTES as f64;
    eprintln!(
        "drip: {BYTES} bytes in {reads} reads, {on_disk} bytes on disk in {} lines: {per_byte:.1} per byte",
        records.len()
    );
    assert!(
        per_byte < 20.0,
        "{on_disk} bytes on disk for {BYTES} received ({per_byte:.1} a byte)"
    );
}

// --- 5d. Disk budgets ---------------------------------------------------------------------

/// A server with `budget`, a raw client that took the welcome, and their conversation.
fn serve_with_budget(
    dir: &Path,
    budget: DiskBudget,
) -> (Backend, Events, std::net::SocketAddr, TcpStream, Started) {
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    b.set_disk_budget(budget);
    b.start_server(server());
    let addr = listening(&mut events);
    let (peer, s) = welcomed(&mut events, addr);
    (b, events, addr, peer, s)
}

/// A raw client of the server at `addr` that took the welcome, and its conversation.
fn welcomed(events: &mut Events, addr: std::net::SocketAddr) -> (TcpStream, Started) {
    let mut peer = raw_connect(addr);
    let s = started(events);
    assert_eq!(read_n(&mut peer, WELCOME_GBK.len()), WELCOME_GBK);
    sent(events, WELCOME);
    (peer, s)
}

/// One exchange: the peer says `said`, we answer `answer`.
fn exchange(events: &mut Events, peer: &mut TcpStream, s: &Started, said: &str, answer: &str) {
    peer.write_all(&gbk(said)).expect("write");
    events.peer_message(said);
    assert!(s.link.send(answer.into()));
    sent(events, answer);
    assert_eq!(read_n(peer, gbk(answer).len()), gbk(answer));
}

/// The notices the window heard so far for `session`, in English.
fn notices_of(events: &Events, session: SessionId) -> Vec<Notice> {
    events
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::Notice {
                session: id,
                notice,
                ..
            } if *id == session => Some(notice.clone()),
            _ => None,
        })
        .collect()
}

/// What the window shows of `session`: the texts of its messages.
fn shown(events: &Events, session: SessionId) -> Vec<String> {
    window_state(events).sessions[&session]
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from != Speaker::System)
        .map(|e| e.text.clone())
        .collect()
}

#[test]
fn a_conversation_over_its_disk_budget_ends_its_file_with_a_cut_line_and_the_window_goes_on() {
    let dir = scratch("fault-budget-conversation");
    let budget = DiskBudget {
        conversation: 2000,
        run: 0,
    };
    let (_b, mut events, _addr, mut peer, s) = serve_with_budget(&dir, budget);
    let mut expected = vec![WELCOME.to_owned()];
    for i in 0..12 {
        let (said, answer) = (format!("第{i}句话"), format!("收到{i}"));
        exchange(&mut events, &mut peer, &s, &said, &answer);
        expected.extend([said, answer]);
    }
    let file = s.file.clone().expect("file");
    let records = transcript(&file);
    let last = records.last().expect("lines");
    assert_eq!(
        (last.from, last.kind.as_deref()),
        (Speaker::System, Some("cut")),
        "{last:?}"
    );
    assert_eq!(
        records
            .iter()
            .filter(|r| r.kind.as_deref() == Some("cut"))
            .count(),
        1
    );
    let notice = Notice::TranscriptBudget {
        scope: BudgetScope::Conversation,
        limit: 2000,
    };
    assert_eq!(last.text, notice.en());
    assert!(last.text.contains("2000 bytes"), "{}", last.text);
    // Within the budget, but for the line that says where it stops.
    let size = std::fs::metadata(&file).expect("file").len();
    let cut_line = last.to_line().len() as u64;
    assert!(size - cut_line <= 2000, "{size} bytes");
    // Nothing more was appended once it was cut: the file did not grow.
    exchange(&mut events, &mut peer, &s, "还在吗", "在");
    expected.extend(["还在吗".to_owned(), "在".to_owned()]);
    assert_eq!(std::fs::metadata(&file).expect("file").len(), size);
    // The window said so once, in both languages' words, and shows the whole conversation.
    let said: Vec<_> = notices_of(&events, s.id)
        .into_iter()
        .filter(|n| matches!(n, Notice::TranscriptBudget { .. }))
        .collect();
    assert_eq!(said, std::slice::from_ref(&notice));
    assert!(notice.zh().contains("2000 字节"), "{}", notice.zh());
    assert_eq!(shown(&events, s.id), expected);
}

#[test]
fn the_run_budget_stops_every_file_of_the_run_with_a_cut_line() {
    let dir = scratch("fault-budget-run");
    let budget = DiskBudget {
        conversation: 0,
        run: 3000,
    };
    let (_b, mut events, addr, mut one, s1) = serve_with_budget(&dir, budget);
    let (mut two, s2) = welcomed(&mut events, addr);
    for i in 0..8 {
        exchange(&mut events, &mut one, &s1, &format!("一号第{i}句"), "好");
        exchange(&mut events, &mut two, &s2, &format!("二号第{i}句"), "好");
    }
    let mut before_cut = 0;
    for s in [&s1, &s2] {
        let records = transcript(s.file.as_ref().expect("file"));
        let last = records.last().expect("lines");
        assert_eq!(last.kind.as_deref(), Some("cut"), "{last:?}");
        assert_eq!(
            last.text,
            Notice::TranscriptBudget {
                scope: BudgetScope::Run,
                limit: 3000
            }
            .en()
        );
        before_cut += records[..records.len() - 1]
            .iter()
            .map(|r| r.to_line().len())
            .sum::<usize>();
        assert!(notices_of(&events, s.id).iter().any(|n| matches!(
            n,
            Notice::TranscriptBudget {
                scope: BudgetScope::Run,
                ..
            }
        )));
    }
    assert!(
        before_cut <= 3000,
        "{before_cut} bytes before the cut lines"
    );
    assert_eq!(shown(&events, s2.id).len(), 17);
}

// --- 8. A full disk -----------------------------------------------------------------------

/// Run as root: a 64 KiB tmpfs, in a mount namespace of its own, is the data folder.
#[test]
fn a_full_disk_leaves_only_whole_lines_and_writing_resumes_when_space_is_back() {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("the effective uid");
    assert_eq!(
        uid, "0",
        "this test needs root: it mounts a 64 KiB tmpfs as the data folder inside `unshare --mount` (run the tests as root, as CI does)"
    );
    let dir = scratch("fault-full-disk");
    let script = format!(
        "mount -t tmpfs -o size=64k,mode=0700 turnchat-test '{}' && TURNCHAT_TMPFS='{}' exec \"$0\" \"$@\"",
        dir.display(),
        dir.display()
    );
    crate::common::process::run_ignored_through(
        &["unshare", "--mount", "sh", "-c", &script],
        module_path!(),
        "full_disk_inside_a_tmpfs",
    );
}

#[test]
#[ignore = "run inside `unshare --mount` by a_full_disk_leaves_only_whole_lines_and_writing_resumes_when_space_is_back"]
fn full_disk_inside_a_tmpfs() {
    let dir = PathBuf::from(
        std::env::var("TURNCHAT_TMPFS")
            .expect("a tmpfs named by TURNCHAT_TMPFS (see the test that runs this one)"),
    );
    let (_b, mut events, _addr, mut peer, s) = serve_with_budget(&dir, DiskBudget::unlimited());
    let file = s.file.clone().expect("file");
    exchange(&mut events, &mut peer, &s, "磁盘还有空间", "好");
    // Fill what is left of the tmpfs.
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).expect("filler");
    let block = vec![0u8; 1024];
    let mut filled = 0;
    while filled < 128 && f.write_all(&block).is_ok() {
        filled += 1;
    }
    assert!(filled < 128, "the tmpfs filled up");
    drop(f);
    let mut expected = vec![
        WELCOME.to_owned(),
        "磁盘还有空间".to_owned(),
        "好".to_owned(),
    ];
    let failed = |events: &Events| {
        notices_of(events, s.id).into_iter().find_map(|n| match n {
            Notice::TranscriptFailed { error } => Some(error),
            _ => None,
        })
    };
    let mut i = 0;
    while failed(&events).is_none() {
        assert!(i < 100, "no write failed on a full disk");
        let (said, answer) = (format!("满了吗{i}"), format!("还没{i}"));
        exchange(&mut events, &mut peer, &s, &said, &answer);
        expected.extend([said, answer]);
        i += 1;
    }
    exchange(&mut events, &mut peer, &s, "现在满了", "是的");
    expected.extend(["现在满了".to_owned(), "是的".to_owned()]);
    let error = failed(&events).expect("the failure");
    assert!(error.missing_from.is_some(), "{error:?}");
    assert!(
        error
            .en()
            .contains("Save transcript… can still save everything this window holds"),
        "{}",
        error.en()
    );
    // Only whole lines (every one parses), and the file stopped growing.
    let records = transcript(&file);
    assert!(!bytes_from(&records, Speaker::Peer).ends_with(&gbk("现在满了")));
    // Space is back: the next line goes in, after one that says what is missing.
    std::fs::remove_file(&filler).expect("remove the filler");
    exchange(&mut events, &mut peer, &s, "又有空间了", "太好了");
    expected.extend(["又有空间了".to_owned(), "太好了".to_owned()]);
    let records = transcript(&file);
    let resumed = records
        .iter()
        .position(|r| r.kind.as_deref() == Some("transcript-resumed"))
        .expect("a line that says what is missing");
    let after: Vec<_> = records[resumed..]
        .iter()
        .filter(|r| r.from != Speaker::System)
        .map(|r| r.text.clone())
        .collect();
    assert_eq!(after, ["又有空间了", "太好了"]);
    let told = notices_of(&events, s.id)
        .into_iter()
        .find_map(|n| match n {
            Notice::TranscriptResumed { lines, bytes, .. } => Some((lines, bytes)),
            _ => None,
        })
        .expect("the window heard writing resumed");
    assert!(told.0 >= 2 && told.1 > 0, "{told:?}");
    assert_eq!(
        records[resumed].text,
        notices_of(&events, s.id)
            .into_iter()
            .find(|n| matches!(n, Notice::TranscriptResumed { .. }))
            .expect("resumed")
            .en()
    );
    // The window kept everything.
    assert_eq!(shown(&events, s.id), expected);
}

#[test]
fn a_budget_reached_inside_a_peer_message_does_not_split_its_bubble() {
    let dir = scratch("fault-budget-mid-message");
    let budget = DiskBudget {
        conversation: 6000,
        run: 0,
    };
    let (_b, mut events, _addr, mut peer, s) = serve_with_budget(&dir, budget);
    // Three pieces of 5,000 bytes, each written as it comes (over 4 KiB): the budget is
    // reached while the message is still open.
    let mut got = 0;
    for round in 1..=3 {
        peer.write_all(&[b'x'; 5000]).expect("write");
        events.until("the piece", |e| match e {
            Event::Received { bytes, .. } => {
                got += bytes.len();
                (got >= 5000 * round).then_some(())
            }
            Event::Notice { notice, .. } => panic!("a notice inside the message: {notice:?}"),
            _ => None,
        });
    }
    let records = transcript(s.file.as_ref().expect("file"));
    assert_eq!(records.last().and_then(|r| r.kind.as_deref()), Some("cut"));
    // The message ends with our reply: then the window hears why the file stopped.
    assert!(s.link.send("好长".into()));
    sent(&mut events, "好长");
    let state = window_state(&events);
    let entries = state.sessions[&s.id].transcript.entries();
    let peer_messages: Vec<_> = entries
        .iter()
        .filter(|e| e.from == Speaker::Peer)
        .map(|e| e.bytes.len())
        .collect();
    assert_eq!(peer_messages, [15_000], "one bubble");
    assert!(entries.iter().any(|e| matches!(
        e.notice,
        Some(Notice::TranscriptBudget {
            scope: BudgetScope::Conversation,
            ..
        })
    )));
}
