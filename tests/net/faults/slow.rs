//! Slow peers: one that never reads (a send is bounded in time however little it takes),
//! one that reads a trickle, and one that drips a message a byte at a time.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::common::backend::{backend_with, client, ended, role_stopped, sent, started};
use crate::common::process::named;
use crate::common::raw::{raw_accept, raw_listener};
use crate::common::scratch;
use crate::common::transcript::{bytes_from, transcript};
use crate::common::wire::{WELCOME, WELCOME_GBK, gbk};
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::core::turn::{SendBlocked, Turn};
use turnchat::net::Event;

use super::{quick, serve_one};

// --- 3. A peer that never reads --------------------------------------------------------

/// A message bigger than every socket buffer between us and the peer.
fn huge_message() -> String {
    "a".repeat(24 << 20)
}

fn never_reading_server(trickle: bool) {
    let dir = scratch(if trickle {
        "fault-trickle"
    } else {
        "fault-noread"
    });
    let (l, port) = raw_listener();
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    let role = b.connect(client(port));
    let mut srv = raw_accept(&l);
    let s = started(&mut events);
    srv.write_all(&WELCOME_GBK).expect("welcome");
    events.peer_message(WELCOME);
    // A reader that takes 4 KiB every 20 ms (about 200 KB/s): each of our writes makes a
    // little progress, which must not extend the bound. Bounded: 1,000 reads, and it stops
    // at end of stream.
    let reader = trickle.then(|| {
        let mut srv = srv.try_clone().expect("clone");
        named("test-trickle-reader", move || {
            let mut buf = [0u8; 4096];
            for _ in 0..1000 {
                match srv.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        })
    });
    let text = huge_message();
    let asked = Instant::now();
    assert!(
        s.link.send(text.clone()),
        "handing over a send never blocks"
    );
    let handed_over = asked.elapsed();
    let given_back = events.until("the text given back", |e| match e {
        Event::SendRefused { text, error, .. } => Some((text.clone(), error.clone())),
        Event::Sent { .. } => panic!("a 24 MB message cannot have been delivered"),
        _ => None,
    });
    assert_eq!(given_back.0, text, "the user's text is not lost");
    assert_eq!(
        given_back.1,
        turnchat::core::conversation::SendError::Blocked(SendBlocked::Ended)
    );
    let reason = ended(&mut events);
    let took = asked.elapsed();
    assert_eq!(reason, EndReason::SendTimedOut { seconds: 2 });
    assert!(reason.en().contains("stopped reading"), "{reason:?}");
    // The bound is the send timeout (2 s here) plus the time to hand 24 MB to the kernel.
    assert!(took < Duration::from_secs(10), "ended after {took:?}");
    eprintln!(
        "never-reading peer (trickle: {trickle}): handed over in {handed_over:?}, ended after {took:?}"
    );
    role_stopped(&mut events, role);
    drop(srv);
    if let Some(r) = reader {
        r.join().expect("reader");
    }
}

#[test]
fn a_peer_that_never_reads_ends_the_session_within_the_send_bound() {
    never_reading_server(false);
}

#[test]
fn a_peer_that_reads_a_trickle_cannot_stretch_the_send_bound() {
    never_reading_server(true);
}

// --- 5. Drip ----------------------------------------------------------------------------

#[test]
fn a_message_dripped_one_byte_at_a_time_arrives_whole_and_unbroken() {
    let dir = scratch("fault-drip");
    let (_b, mut events, peer, s) = serve_one(&dir);
    let text: String = "春眠不觉晓处处闻啼鸟夜来风雨声花落知多少"
        .chars()
        .cycle()
        .take(1000)
        .collect();
    let bytes = gbk(&text);
    assert_eq!(bytes.len(), 2000);
    let mut writer = peer.try_clone().expect("clone");
    let wire = bytes.clone();
    // The peer paces itself (1 ms a byte, so about 2 s); the test only waits on events.
    let drip = named("test-dripper", move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        for b in &wire {
            if Instant::now() > deadline || writer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let mut got = String::new();
    let mut chunks = 0;
    events.until("the whole dripped message", |e| match e {
        Event::Received {
            text: t,
            new_message,
            turn,
            ..
        } => {
            assert_eq!(*new_message, chunks == 0, "one message, however many reads");
            assert!(!t.contains('\u{FFFD}'), "no character was broken: {t:?}");
            assert_eq!(*turn, Turn::Mine);
            chunks += 1;
            got.push_str(t);
            (got.chars().count() >= 1000).then_some(())
        }
        _ => None,
    });
    drip.join().expect("dripper");
    assert_eq!(got, text);
    eprintln!("drip: 2000 bytes arrived as {chunks} Received events");
    assert!(s.link.send("好诗".into()));
    sent(&mut events, "好诗");
    let records = transcript(&s.file.expect("file"));
    assert_eq!(bytes_from(&records, Speaker::Peer), bytes);
    let joined: String = records
        .iter()
        .filter(|r| r.from == Speaker::Peer)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(joined, text);
    drop(peer);
}
