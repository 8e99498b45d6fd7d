//! Load: a 200 MB flood, a burst of 1,000 scanner connections, and a soak of 10,000 turns.
//! Each measures the whole process (memory, descriptors, threads), so each runs alone in a
//! process of its own.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use crate::common::backend::{backend_with, ended, listening, sent, server, started, window_state};
use crate::common::process::{alone, named, turnchat_threads};
use crate::common::raw::{raw_connect, read_n, reset};
use crate::common::transcript::{bytes_from, total_cut, transcript};
use crate::common::wire::{WELCOME, WELCOME_GBK, gbk};
use crate::common::{WAIT, scratch};
use turnchat::core::conversation::DISPLAY_CAP_BYTES;
use turnchat::core::ids::RoleId;
use turnchat::core::lang::Lang;
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::net::Event;
use turnchat::state::State;
use turnchat::words::export::entry_words;

use super::{quick, serve_one};

/// How many descriptors this process has open.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// What each open descriptor refers to (for failure messages).
fn fd_targets() -> Vec<String> {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .filter_map(Result::ok)
        .map(|e| {
            let target = std::fs::read_link(e.path()).unwrap_or_default();
            format!(
                "{} -> {}",
                e.file_name().to_string_lossy(),
                target.display()
            )
        })
        .collect()
}

/// `VmRSS` and `VmHWM` of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("a memory field")
    };
    (field("VmRSS:"), field("VmHWM:"))
}

// --- 4. Flood ---------------------------------------------------------------------------

#[test]
fn a_200_mb_flood_is_capped_counted_and_memory_stays_bounded() {
    if !alone(
        module_path!(),
        "a_200_mb_flood_is_capped_counted_and_memory_stays_bounded",
    ) {
        return;
    }
    let dir = scratch("fault-flood");
    let (before_rss, before_hwm) = memory_kib();
    let (_b, mut events, mut peer, s) = serve_one(&dir);
    // 洪水x is 5 bytes, so the 1 MiB cap falls inside a character.
    let pattern = gbk("洪水x");
    let chunk: Vec<u8> = pattern
        .iter()
        .copied()
        .cycle()
        .take(64 * 1024 / 5 * 5)
        .collect();
    const TOTAL: usize = 200_000_000;
    let (done_tx, done) = crossbeam_channel::bounded(1);
    let mut writer = peer.try_clone().expect("clone");
    let started_at = Instant::now();
    let flood = named("test-flooder", move || {
        // Bounded: TOTAL bytes in 64 KiB writes, each with a write timeout, and 120 s
        // overall. Then a half-close, so that TurnChat reads to the very end.
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut sent = 0usize;
        while sent < TOTAL && Instant::now() < deadline {
            let n = chunk.len().min(TOTAL - sent);
            if writer.write_all(&chunk[..n]).is_err() {
                break;
            }
            sent += n;
        }
        let _ = writer.shutdown(Shutdown::Write);
        let _ = done_tx.send(sent);
    });

    // Mid-flood, once the cap is reached (the window hears of cut bytes), we reply: the
    // session still takes commands.
    events.until("the first cut", |e| match e {
        Event::Received { cut, .. } if *cut > 0 => Some(()),
        _ => None,
    });
    let asked = Instant::now();
    assert!(s.link.send("收到".into()));
    sent(&mut events, "收到");
    let reply_took = asked.elapsed();
    assert_eq!(read_n(&mut peer, 4), gbk("收到"));
    let flooded: usize = done
        .recv_timeout(Duration::from_secs(150))
        .expect("the flood ends");
    flood.join().expect("flooder");
    assert_eq!(flooded, TOTAL, "the whole flood was accepted");
    assert_eq!(ended(&mut events), EndReason::PeerClosed);
    let flood_took = started_at.elapsed();

    // The window: two peer messages (before and after our reply), each showing at most
    // 1 MiB, with the count of what was cut.
    let state = window_state(&events);
    let session = state.sessions.get(&s.id).expect("session");
    let messages: Vec<_> = session
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from == Speaker::Peer)
        .collect();
    assert_eq!(messages.len(), 2, "before and after our reply");
    // 洪, 水, x per whole pattern, then U+FFFD for the lead byte the cap left alone.
    assert_eq!(
        messages[0].text.chars().count(),
        DISPLAY_CAP_BYTES / 5 * 3 + 1
    );
    assert!(
        messages[0].text.ends_with("洪水x\u{FFFD}"),
        "the cut character"
    );
    for m in &messages {
        assert!(m.cut > 0, "both messages went over the cap");
        assert!(m.text.len() <= DISPLAY_CAP_BYTES * 3 / 2 + 4);
    }
    let notices = |needle: &str| {
        session
            .transcript
            .entries()
            .iter()
            .filter(|e| e.from == Speaker::System && entry_words(e, Lang::En).contains(needle))
            .count()
    };
    // A notice in the middle of the open message would split its bubble: the window hears
    // of the cut through the bubble's count, and from a notice once the message is over.
    assert_eq!(notices("longer than 1 MiB"), 0);
    assert_eq!(notices("were over the display limit and were not kept"), 2);
    // Cut counts reach the window at least every MiB, not once per read.
    let cut_events = events
        .seen
        .iter()
        .filter(|e| matches!(e, Event::Received { cut, .. } if *cut > 0))
        .count();
    assert!(cut_events <= TOTAL / DISPLAY_CAP_BYTES + 4, "{cut_events}");

    // The file: the kept bytes, and how many were cut: together, every byte. It notes
    // when each message went over the cap, in order.
    let records = transcript(&s.file.expect("file"));
    let over = records
        .iter()
        .filter(|r| r.from == Speaker::System && r.text.contains("longer than 1 MiB"))
        .count();
    assert_eq!(over, 2);
    let kept = bytes_from(&records, Speaker::Peer);
    assert_eq!(kept.len(), 2 * DISPLAY_CAP_BYTES);
    assert_eq!(kept.len() as u64 + total_cut(&records), TOTAL as u64);
    assert_eq!(
        messages.iter().map(|m| m.cut).sum::<u64>(),
        total_cut(&records)
    );

    let received_events = events
        .seen
        .iter()
        .filter(|e| matches!(e, Event::Received { .. }))
        .count();
    let (after_rss, after_hwm) = memory_kib();
    let growth = after_hwm.saturating_sub(before_hwm.max(before_rss));
    eprintln!(
        "flood: {TOTAL} bytes in {flood_took:?} ({:.0} MB/s); reply mid-flood sent after {reply_took:?}; \
         {received_events} Received events; VmRSS {before_rss} -> {after_rss} KiB, VmHWM {before_hwm} -> {after_hwm} KiB",
        TOTAL as f64 / 1e6 / flood_took.as_secs_f64()
    );
    assert!(growth < 200 * 1024, "peak memory grew by {growth} KiB");
}

// --- 8. Port scanner --------------------------------------------------------------------

#[test]
fn a_burst_of_1000_scanner_connections_harms_nothing_and_leaks_nothing() {
    if !alone(
        module_path!(),
        "a_burst_of_1000_scanner_connections_harms_nothing_and_leaks_nothing",
    ) {
        return;
    }
    let dir = scratch("fault-scan");
    let fds_before = open_fds();
    let threads_before = turnchat_threads();
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    b.start_server(server());
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    read_n(&mut peer, WELCOME_GBK.len());
    let fds_in_session = open_fds();

    // 1,000 attempts from 20 named threads, each bounded (100 ms a connect): those that
    // get in close at once, alternately with a FIN and a reset. Once the backlog (255) is
    // full, the kernel drops further SYNs and those attempts time out.
    let burst_started = Instant::now();
    let scanners: Vec<_> = (0..20)
        .map(|t| {
            let (tx, rx) = crossbeam_channel::bounded(1);
            let h = named(&format!("test-scanner-{t}"), move || {
                let mut connected = 0;
                for i in 0..50 {
                    if let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
                        connected += 1;
                        if i % 2 == 0 { reset(s) } else { drop(s) }
                    }
                }
                let _ = tx.send(connected);
            });
            (h, rx)
        })
        .collect();
    let mut connected = 0;
    for (h, rx) in scanners {
        connected += rx
            .recv_timeout(Duration::from_secs(30))
            .expect("a scanner finished");
        h.join().expect("scanner");
    }
    let burst_took = burst_started.elapsed();

    // The conversation goes on as if nothing happened.
    peer.write_all(&gbk("还在吗")).expect("write");
    events.peer_message("还在吗");
    assert!(s.link.send("还在".into()));
    sent(&mut events, "还在");
    assert_eq!(read_n(&mut peer, 4), gbk("还在"));
    // Scanners are accepted at once (the server serves many clients) and each is closed
    // within the vanish grace (200 ms) without a conversation. The last of them may still
    // be closing (on a loaded machine, 1,000 of them start 2,000 threads): give them a
    // bounded while, checked every 10 ms.
    let deadline = Instant::now() + WAIT;
    while open_fds() != fds_in_session && Instant::now() < deadline {
        std::thread::park_timeout(Duration::from_millis(10));
    }
    assert_eq!(
        open_fds(),
        fds_in_session,
        "scanners leave no descriptor behind; open now: {:?}",
        fd_targets()
    );
    assert!(
        !events
            .seen
            .iter()
            .any(|e| matches!(e, Event::SessionStarted { info, .. } if info.session != s.id)),
        "no scanner interrupted the conversation"
    );
    peer.write_all(b"bye").expect("bye");
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);

    // The queued scanners are dropped without a conversation; the next real client is
    // the next conversation.
    let drain_started = Instant::now();
    let mut next = raw_connect(addr);
    let local = next.local_addr().expect("addr");
    let n = started(&mut events);
    let drained_in = drain_started.elapsed();
    assert_eq!(
        n.peer, local,
        "the first conversation after the burst is the real client"
    );
    assert_eq!(read_n(&mut next, WELCOME_GBK.len()), WELCOME_GBK);
    next.write_all(b"bye").expect("bye");
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
    let sessions = events
        .seen
        .iter()
        .filter(|e| matches!(e, Event::SessionStarted { .. }))
        .count();
    assert_eq!(sessions, 2);
    let files = std::fs::read_dir(dir.join("transcripts"))
        .expect("transcripts")
        .count();
    assert_eq!(files, 2, "no empty transcript per scanner");

    drop(peer);
    drop(next);
    drop(b);
    assert_eq!(
        turnchat_threads(),
        threads_before,
        "every thread was joined"
    );
    assert_eq!(open_fds(), fds_before, "no descriptor leaked");
    eprintln!(
        "scan: 1000 attempts in {burst_took:?}, {connected} connected (the rest found the backlog full); \
         the backlog drained and the next client was served after {drained_in:?}; fds {fds_before} -> {fds_in_session} -> {}",
        open_fds()
    );
    assert!(connected >= 200, "only {connected} connected");
}

// --- 14. Soak -------------------------------------------------------------------------------

#[test]
fn soak_10000_turns_loses_and_reorders_nothing() {
    if !alone(
        module_path!(),
        "soak_10000_turns_loses_and_reorders_nothing",
    ) {
        return;
    }
    const TURNS: usize = 10_000;
    let dir = scratch("fault-soak");
    let (_b, mut events, peer, s) = serve_one(&dir);
    let ask = |i: usize| format!("第{i}问：{}", "问".repeat(i % 37));
    let answer = |i: usize| format!("第{i}答{}", "a".repeat(i % 29));
    // The peer: a named thread that says ask(i), then reads answer(i) exactly. Bounded:
    // TURNS messages, socket timeouts on every call, and 300 s in all.
    let (peer_done_tx, peer_done) = crossbeam_channel::bounded(1);
    let mut p = peer;
    let talker = named("test-soak-peer", move || {
        let mut heard = 0;
        let deadline = Instant::now() + Duration::from_secs(300);
        for i in 0..TURNS {
            if Instant::now() > deadline || p.write_all(&gbk(&ask(i))).is_err() {
                break;
            }
            let want = gbk(&answer(i));
            let mut got = vec![0; want.len()];
            if p.read_exact(&mut got).is_err() || got != want {
                break;
            }
            heard += 1;
        }
        let _ = p.write_all(b"bye");
        let _ = peer_done_tx.send(heard);
    });

    let mut state = State::default();
    state.role_started(turnchat::state::RoleStatus::Starting { role: RoleId(1) });
    let t0 = Instant::now();
    let mut mid = (0, 0);
    for i in 0..TURNS {
        let want = ask(i);
        let mut text = String::new();
        events.until(&format!("ask {i}"), |e| match e {
            Event::Received {
                text: t,
                new_message,
                ..
            } => {
                assert_eq!(*new_message, text.is_empty(), "turn {i}");
                text.push_str(t);
                (text.len() >= want.len()).then_some(())
            }
            _ => None,
        });
        assert_eq!(text, want, "turn {i}");
        assert!(s.link.send(answer(i)));
        sent(&mut events, &answer(i));
        // Keep memory honest: apply to the window's state, forget the raw events.
        for e in events.seen.drain(..) {
            state.apply(e);
        }
        if i == 1000 {
            mid = memory_kib();
        }
    }
    let heard = peer_done.recv_timeout(WAIT).expect("the peer finished");
    talker.join().expect("peer");
    assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
    let took = t0.elapsed();
    let end = memory_kib();
    assert_eq!(heard, TURNS, "the peer heard every answer, in order");

    let records = transcript(&s.file.expect("file"));
    let mine: Vec<_> = records
        .iter()
        .filter(|r| r.from == Speaker::Me)
        .map(|r| r.text.clone())
        .collect();
    assert_eq!(mine.len(), TURNS + 1);
    assert_eq!(mine[0], WELCOME);
    assert!(mine[1..].iter().enumerate().all(|(i, t)| *t == answer(i)));
    let peer_bytes = bytes_from(&records, Speaker::Peer);
    let expect: Vec<u8> = (0..TURNS)
        .flat_map(|i| gbk(&ask(i)))
        .chain(b"bye".iter().copied())
        .collect();
    assert_eq!(peer_bytes, expect, "every byte, in order");
    let growth = end.0.saturating_sub(mid.0);
    eprintln!(
        "soak: {TURNS} turns each way in {took:?} ({:.0} round trips/s); {} transcript lines; \
         VmRSS at turn 1000 {} KiB, at the end {} KiB (+{growth} KiB, the window's transcript included)",
        TURNS as f64 / took.as_secs_f64(),
        records.len(),
        mid.0,
        end.0
    );
    assert!(growth < 64 * 1024, "memory grew by {growth} KiB");
}
