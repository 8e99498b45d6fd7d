//! A whole class at once: three clients each welcomed at once and each ended on its own,
//! 200 clients × 20 turns with nothing lost or crossed, and Stop while a client is mid-
//! turn.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use crate::common::backend::server;
use crate::common::peers::{Peer, ref_client};
use crate::common::process::{alone, turnchat_threads};
use crate::common::raw::{RawClient, reset};
use crate::common::wire::{WELCOME, gbk};
use crate::common::{WAIT, scratch};
use turnchat::core::ids::SessionId;
use turnchat::core::notice::EndReason;
use turnchat::net::Event;

use super::{Seen, answer_new_messages, client_number, file_messages, reply, start};

#[test]
fn three_clients_at_once_each_welcomed_at_once_each_ended_on_its_own() {
    let dir = scratch("many-three");
    let (mut b, mut events, addr) = start(&dir, server());
    // Two reference clients and one raw client that will reset.
    let mut one = ref_client(&dir, addr.port(), &["一号：你好", "一号：我走了"], "one");
    let mut three = ref_client(
        &dir,
        addr.port(),
        &["三号：你好", "三号：还在", "三号：最后一句"],
        "three",
    );
    let mut two = RawClient::connect(addr);
    // Every client is welcomed without waiting for the others: all three have read the
    // welcome before the server has said anything else.
    let welcome = one.wait_event("recv");
    assert_eq!(welcome["text"], WELCOME);
    assert_eq!(three.wait_event("recv")["text"], WELCOME);
    assert_eq!(two.read_n(12), gbk(WELCOME));
    two.say("二号：你好");

    let one_addr: SocketAddr = one.wait_event("connected")["local"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .expect("client address");
    let three_addr: SocketAddr = three.wait_event("connected")["local"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .expect("client address");
    let mut seen = Seen::default();
    seen.until(&mut events, "three first messages", |s| {
        [one_addr, two.local, three_addr].iter().all(|a| {
            s.by_peer
                .get(a)
                .is_some_and(|id| s.said(*id).first().is_some_and(|m| m.ends_with("你好")))
        })
    });
    let (s1, s2, s3) = (
        seen.session(one_addr),
        seen.session(two.local),
        seen.session(three_addr),
    );
    assert_eq!(seen.said(s1), ["一号：你好"]);
    assert_eq!(seen.said(s2), ["二号：你好"]);
    assert_eq!(seen.said(s3), ["三号：你好"]);

    // Interleaved turns: three first, then two, then one.
    let mut seq = 0;
    reply(&b, &mut seq, s3, "回三号");
    reply(&b, &mut seq, s2, "回二号");
    reply(&b, &mut seq, s1, "回一号");
    assert_eq!(two.read_n(6), gbk("回二号"));
    // Two resets; only its conversation ends.
    reset(two.stream);
    seen.until(&mut events, "two's end", |s| s.ended.contains_key(&s2));
    assert_eq!(seen.ended[&s2], EndReason::Reset);
    // One goes on, then says bye (its script ran out).
    seen.until(&mut events, "one's second message", |s| {
        s.said(s1).len() == 2
    });
    assert_eq!(seen.said(s1)[1], "一号：我走了");
    reply(&b, &mut seq, s1, "一号再见");
    seen.until(&mut events, "one's bye", |s| s.ended.contains_key(&s1));
    assert_eq!(seen.ended[&s1], EndReason::PeerSaidBye);
    // Three is unaffected by both.
    seen.until(&mut events, "three's second message", |s| {
        s.said(s3).len() == 2
    });
    assert_eq!(seen.said(s3)[1], "三号：还在");
    assert!(!seen.ended.contains_key(&s3));
    reply(&b, &mut seq, s3, "三号继续");
    seen.until(&mut events, "three's third message", |s| {
        s.said(s3).len() == 3
    });

    // Stop Server ends the rest, each with its own notice.
    b.stop();
    seen.until(&mut events, "three's end", |s| s.ended.contains_key(&s3));
    assert_eq!(seen.ended[&s3], EndReason::Stopped);
    events.until("RoleStopped", |e| {
        matches!(e, Event::RoleStopped { .. }).then_some(())
    });

    let (code, log) = one.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), [WELCOME, "回一号", "一号再见"]);
    let (_, log) = three.finish();
    assert_eq!(
        Peer::texts(&log, "recv")[..3],
        [WELCOME, "回三号", "三号继续"]
    );

    // Each transcript file holds its own client's words and nobody else's.
    for (session, theirs, mine) in [
        (
            s1,
            &["一号：你好", "一号：我走了", "bye"][..],
            &[WELCOME, "回一号", "一号再见"][..],
        ),
        (s2, &["二号：你好"][..], &[WELCOME, "回二号"][..]),
        (
            s3,
            &["三号：你好", "三号：还在", "三号：最后一句"][..],
            &[WELCOME, "回三号", "三号继续"][..],
        ),
    ] {
        let (peer, me) = file_messages(&seen.files[&session]);
        assert_eq!(peer, theirs, "peer lines of {session}");
        assert_eq!(me, mine, "our lines of {session}");
    }
}

#[test]
fn two_hundred_clients_twenty_turns_each_nothing_lost_nothing_crossed() {
    if !alone(
        module_path!(),
        "two_hundred_clients_twenty_turns_each_nothing_lost_nothing_crossed",
    ) {
        return;
    }
    const CLIENTS: usize = 200;
    const TURNS: usize = 20;
    let dir = scratch("many-200");
    let threads_before = turnchat_threads();
    let (mut b, mut events, addr) = start(&dir, server());
    let (welcomed_tx, welcomed) = crossbeam_channel::unbounded::<()>();
    let (done_tx, done) = crossbeam_channel::unbounded::<(usize, SocketAddr)>();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let welcomed_tx = welcomed_tx.clone();
            let done_tx = done_tx.clone();
            std::thread::Builder::new()
                .name(format!("test-client-{n}"))
                .stack_size(128 * 1024)
                .spawn(move || {
                    // From an address of its own, as in a classroom.
                    let mut c = RawClient::connect_from(n, addr);
                    assert_eq!(c.read_n(12), gbk(WELCOME), "client {n} welcomed");
                    let _ = welcomed_tx.send(());
                    for t in 0..TURNS {
                        c.say(&format!("客户{n}第{t}句。"));
                        let answer = c.read_until(&gbk("。"));
                        assert_eq!(answer, gbk(&format!("回{n}-{t}。")), "client {n} turn {t}");
                    }
                    c.say("bye");
                    let _ = done_tx.send((n, c.local));
                })
                .expect("spawn client")
        })
        .collect();
    drop((welcomed_tx, done_tx));
    // All are welcomed, none waits for another.
    for _ in 0..CLIENTS {
        welcomed.recv_timeout(WAIT).expect("every client welcomed");
    }

    // Answer every complete message through the backend, as the window does.
    let mut seen = Seen::default();
    let mut answered: HashMap<SessionId, usize> = HashMap::new();
    let mut seq = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut finished = 0;
    while finished < CLIENTS {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "200 × 20 turns did not finish in 120 s");
        while done.try_recv().is_ok() {
            finished += 1;
        }
        while let Some(e) = events.next_within(Duration::from_millis(50)) {
            seen.take(&e);
            if let Event::Received { session, .. } = e {
                answer_new_messages(&b, &seen, session, &mut answered, &mut seq);
            }
        }
    }
    for c in clients {
        c.join().expect("client thread");
    }
    seen.until(&mut events, "every conversation ended", |s| {
        s.ended.len() == CLIENTS
    });
    assert!(seen.ended.values().all(|r| *r == EndReason::PeerSaidBye));

    // Every transcript file holds exactly its own client's words and our replies to it.
    assert_eq!(seen.files.len(), CLIENTS);
    for (peer, session) in &seen.by_peer {
        let (theirs, mine) = file_messages(&seen.files[session]);
        let n = client_number(&theirs[0]);
        let mut expect_theirs: Vec<String> =
            (0..TURNS).map(|t| format!("客户{n}第{t}句。")).collect();
        expect_theirs.push("bye".into());
        let mut expect_mine = vec![WELCOME.to_owned()];
        expect_mine.extend((0..TURNS).map(|t| format!("回{n}-{t}。")));
        assert_eq!(theirs, expect_theirs, "the file of {peer}");
        assert_eq!(mine, expect_mine, "the file of {peer}");
    }
    b.shutdown();
    assert_eq!(
        turnchat_threads(),
        threads_before,
        "every thread was joined"
    );
}

#[test]
fn stop_releases_the_port_and_joins_every_thread_while_a_client_is_mid_turn() {
    if !alone(
        module_path!(),
        "stop_releases_the_port_and_joins_every_thread_while_a_client_is_mid_turn",
    ) {
        return;
    }
    let dir = scratch("many-stop");
    let threads_before = turnchat_threads();
    let (mut b, mut events, addr) = start(&dir, server());
    let mut c = RawClient::connect(addr);
    assert_eq!(c.read_n(12), gbk(WELCOME));
    // Mid-turn: half a message (the first byte of a two-byte character) has arrived.
    c.stream.write_all(&gbk("你好")[..3]).expect("write");
    events.until("the half message", |e| {
        matches!(e, Event::Received { .. }).then_some(())
    });
    b.stop();
    events.until("RoleStopped", |e| {
        matches!(e, Event::RoleStopped { .. }).then_some(())
    });
    b.shutdown();
    assert_eq!(
        turnchat_threads(),
        threads_before,
        "every thread was joined"
    );
    // The port is free again: the same address binds at once.
    TcpListener::bind(addr).expect("the port is released");
    let mut rest = Vec::new();
    c.stream.read_to_end(&mut rest).expect("a clean close");
    assert!(rest.is_empty());
}
