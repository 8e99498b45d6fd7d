//! A server for a whole class: many clients at once, one conversation each, over real
//! loopback TCP, with the Python reference client and with Rust clients that behave like
//! it (one message per turn, strict GBK). Every wait is bounded; nothing sleeps.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Events, Peer, RawClient, WAIT, ref_client, scratch, turnchat_threads};
use turnchat::core::codec::{WireEncoding, encode_guarded};
use turnchat::core::framing::LineEnding;
use turnchat::core::ids::{Seq, SessionId};
use turnchat::core::notice::EndReason;
use turnchat::core::turn::TurnPolicy;
use turnchat::core::waker::NoWaker;
use turnchat::net::{Backend, DEFAULT_MAX_CONVERSATIONS, Event, ServerConfig};

const WELCOME: &str = "欢迎您的使用";

fn gbk(text: &str) -> Vec<u8> {
    encode_guarded(WireEncoding::Gbk, text).expect("GBK")
}

fn server(max_conversations: usize) -> ServerConfig {
    ServerConfig {
        host: "127.0.0.1".into(),
        port: 0,
        welcome: WELCOME.into(),
        encoding: WireEncoding::Gbk,
        policy: TurnPolicy::Strict,
        line_ending: LineEnding::None,
        max_conversations,
    }
}

fn start(dir: &std::path::Path, config: ServerConfig) -> (Backend, Events, SocketAddr) {
    let (mut b, rx) = Backend::new(Arc::new(NoWaker), Some(dir.join("transcripts")));
    let mut events = Events::new(rx);
    b.start_server(config);
    let addr = events.until("Listening", |e| match e {
        Event::Listening { local, .. } => Some(*local),
        _ => None,
    });
    (b, events, addr)
}

/// Tests that count this process's threads hold this exclusively; the others share it.
static THREADS: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn shared() -> std::sync::RwLockReadGuard<'static, ()> {
    THREADS.read().unwrap_or_else(|p| p.into_inner())
}

fn exclusive() -> std::sync::RwLockWriteGuard<'static, ()> {
    THREADS.write().unwrap_or_else(|p| p.into_inner())
}

/// What the server side has seen, per conversation, from the event stream.
#[derive(Default)]
struct Seen {
    /// Conversation by the client's address.
    by_peer: HashMap<SocketAddr, SessionId>,
    /// Each conversation's peer messages so far (the last one may be incomplete).
    messages: HashMap<SessionId, Vec<String>>,
    /// Each conversation's transcript file.
    files: HashMap<SessionId, std::path::PathBuf>,
    /// How each ended.
    ended: HashMap<SessionId, EndReason>,
}

impl Seen {
    fn take(&mut self, e: &Event) {
        match e {
            Event::SessionStarted { info, .. } => {
                self.by_peer.insert(info.peer, info.session);
                self.messages.entry(info.session).or_default();
                if let Some(t) = &info.transcript {
                    self.files.insert(info.session, t.clone());
                }
            }
            Event::Received {
                session,
                text,
                new_message,
                ..
            } => {
                let m = self.messages.entry(*session).or_default();
                if *new_message || m.is_empty() {
                    m.push(String::new());
                }
                if let Some(last) = m.last_mut() {
                    last.push_str(text);
                }
            }
            Event::SessionEnded {
                session, reason, ..
            } => {
                self.ended.insert(*session, reason.clone());
            }
            _ => {}
        }
    }

    /// Waits until `done` holds, feeding every event in.
    fn until(&mut self, events: &mut Events, what: &str, done: impl Fn(&Seen) -> bool) {
        if done(self) {
            return;
        }
        events.until(what, |e| {
            self.take(e);
            done(self).then_some(())
        });
    }

    fn session(&self, peer: SocketAddr) -> SessionId {
        self.by_peer[&peer]
    }

    fn said(&self, s: SessionId) -> &[String] {
        self.messages.get(&s).map_or(&[], Vec::as_slice)
    }
}

fn reset(stream: TcpStream) {
    let socket = socket2::Socket::from(stream);
    let _ = socket.set_linger(Some(Duration::ZERO));
    drop(socket);
}

/// Hands a reply to the backend, numbered like the window does.
fn reply(b: &Backend, seq: &mut u64, session: SessionId, text: &str) {
    *seq += 1;
    assert_eq!(b.send(session, Seq(*seq), text.to_owned()), Ok(()));
}

#[test]
fn three_clients_at_once_each_welcomed_at_once_each_ended_on_its_own() {
    let _g = shared();
    let dir = scratch("many-three");
    let (mut b, mut events, addr) = start(&dir, server(DEFAULT_MAX_CONVERSATIONS));
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

/// The peer's and our messages in a transcript file, each joined from its lines.
fn file_messages(path: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(path).expect("transcript");
    let (mut peer, mut me) = (Vec::<String>::new(), Vec::<String>::new());
    // Turns alternate: consecutive peer lines (notices aside) are one peer message.
    let mut peer_open = false;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let t = v["text"].as_str().unwrap_or_default().to_owned();
        match v["from"].as_str() {
            Some("peer") if peer_open => {
                if let Some(m) = peer.last_mut() {
                    m.push_str(&t);
                }
            }
            Some("peer") => {
                peer.push(t);
                peer_open = true;
            }
            Some("me") => {
                me.push(t);
                peer_open = false;
            }
            _ => {}
        }
    }
    (peer, me)
}

#[test]
fn one_at_a_time_reproduces_the_reference_queue() {
    let _g = shared();
    let dir = scratch("many-one-at-a-time");
    let (mut b, mut events, addr) = start(&dir, server(1));
    let mut first = ref_client(&dir, addr.port(), &["我先来"], "first");
    assert_eq!(first.wait_event("recv")["text"], WELCOME);
    let mut seen = Seen::default();
    seen.until(&mut events, "the first message", |s| {
        s.messages.values().any(|m| m == &["我先来"])
    });
    let s1 = *seen.messages.keys().next().expect("one conversation");
    // The second waits, unwelcomed, and the window hears that one client waits.
    let mut second = RawClient::connect(addr);
    events.until("one waiting", |e| {
        seen.take(e);
        matches!(e, Event::Waiting { count: 1, .. }).then_some(())
    });
    assert_eq!(
        seen.by_peer.len(),
        1,
        "no conversation for the waiting client"
    );
    // It speaks while waiting (the reference client would not, but a person might): its
    // words are kept for when it is served.
    second.say("我在排队");
    let mut seq = 0;
    reply(&b, &mut seq, s1, "好的");
    seen.until(&mut events, "the first's bye", |s| {
        s.ended.contains_key(&s1)
    });
    assert_eq!(seen.ended[&s1], EndReason::PeerSaidBye);
    // Now the second is welcomed, in order, and what it said while waiting is there.
    assert_eq!(second.read_n(12), gbk(WELCOME));
    seen.until(&mut events, "the second's words", |s| {
        s.by_peer
            .get(&second.local)
            .is_some_and(|id| s.said(*id) == ["我在排队"])
    });
    let none_waiting = |e: &Event| matches!(e, Event::Waiting { count: 0, .. });
    if !events.seen.iter().any(none_waiting) {
        events.until("none waiting", |e| none_waiting(e).then_some(()));
    }
    let (code, log) = first.finish();
    assert_eq!(code, 0, "{log:#?}");
    b.stop();
    events.until("RoleStopped", |e| {
        matches!(e, Event::RoleStopped { .. }).then_some(())
    });
}

#[test]
fn a_client_that_leaves_while_waiting_leaves_no_trace() {
    let _g = shared();
    let dir = scratch("many-leaves");
    let (mut b, mut events, addr) = start(&dir, server(1));
    let mut first = RawClient::connect(addr);
    assert_eq!(first.read_n(12), gbk(WELCOME));
    let leaver = RawClient::connect(addr);
    events.until("one waiting", |e| {
        matches!(e, Event::Waiting { count: 1, .. }).then_some(())
    });
    drop(leaver);
    // The listener notices within its sweep (1 s) and the count goes back down.
    events.until("none waiting", |e| {
        matches!(e, Event::Waiting { count: 0, .. }).then_some(())
    });
    first.say("bye");
    events.until("the first ended", |e| {
        matches!(e, Event::SessionEnded { .. }).then_some(())
    });
    // The next client is served at once: the leaver was never a conversation.
    let mut next = RawClient::connect(addr);
    assert_eq!(next.read_n(12), gbk(WELCOME));
    let started = events
        .seen
        .iter()
        .filter(|e| matches!(e, Event::SessionStarted { .. }))
        .count();
    let next_started = events.until("the next conversation", |e| match e {
        Event::SessionStarted { info, .. } => Some(info.peer),
        _ => None,
    });
    assert_eq!(next_started, next.local);
    assert_eq!(started, 1, "only the first had a conversation before");
    let files = std::fs::read_dir(dir.join("transcripts"))
        .expect("transcripts")
        .count();
    assert_eq!(files, 2, "no file for the client that left");
    b.stop();
}

/// The number in a client's message `客户N第T句。`.
fn client_number(message: &str) -> usize {
    message
        .trim_start_matches("客户")
        .split('第')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a client number")
}

/// Answers, through the backend as the window does, every complete message (ending in
/// `。`) of `session` not answered yet: turn T of client N gets `回N-T。`.
fn answer_new_messages(
    b: &Backend,
    seen: &Seen,
    session: SessionId,
    answered: &mut HashMap<SessionId, usize>,
    seq: &mut u64,
) {
    let said = seen.said(session);
    let n = answered.entry(session).or_default();
    while *n < said.len() && said[*n].ends_with('。') {
        let text = format!("回{}-{}。", client_number(&said[*n]), *n);
        *n += 1;
        reply(b, seq, session, &text);
    }
}

#[test]
fn two_hundred_clients_twenty_turns_each_nothing_lost_nothing_crossed() {
    let _g = exclusive();
    const CLIENTS: usize = 200;
    const TURNS: usize = 20;
    let dir = scratch("many-200");
    let threads_before = turnchat_threads();
    let (mut b, mut events, addr) = start(&dir, server(DEFAULT_MAX_CONVERSATIONS));
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
                    let mut c = RawClient::connect(addr);
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
fn a_flooding_client_does_not_hinder_ten_chatting_ones() {
    let _g = shared();
    const CHATTERS: usize = 10;
    const TURNS: usize = 20;
    const FLOOD: usize = 200_000_000;
    let dir = scratch("many-flood");
    let (mut b, mut events, addr) = start(&dir, server(DEFAULT_MAX_CONVERSATIONS));
    let (done_tx, done) = crossbeam_channel::unbounded::<usize>();
    let (flood_tx, flood_done) = crossbeam_channel::bounded::<usize>(1);
    // The flood: 200 MB of GBK Chinese as fast as it goes, bounded in bytes and time.
    let flooder = std::thread::Builder::new()
        .name("test-flooder".into())
        .spawn(move || {
            let mut c = RawClient::connect(addr);
            assert_eq!(c.read_n(12), gbk(WELCOME));
            let chunk = gbk(&"洪水测试：今天天气很好，我们下午三点开会。".repeat(2048));
            let started = Instant::now();
            let mut sent = 0;
            while sent < FLOOD && started.elapsed() < Duration::from_secs(100) {
                let n = chunk.len().min(FLOOD - sent);
                c.stream.write_all(&chunk[..n]).expect("flood write");
                sent += n;
            }
            let _ = flood_tx.send(sent);
        })
        .expect("spawn flooder");
    let chatters: Vec<_> = (0..CHATTERS)
        .map(|n| {
            let done_tx = done_tx.clone();
            std::thread::Builder::new()
                .name(format!("test-chatter-{n}"))
                .spawn(move || {
                    let mut c = RawClient::connect(addr);
                    assert_eq!(c.read_n(12), gbk(WELCOME));
                    for t in 0..TURNS {
                        c.say(&format!("客户{n}第{t}句。"));
                        let answer = c.read_until(&gbk("。"));
                        assert_eq!(answer, gbk(&format!("回{n}-{t}。")));
                    }
                    let _ = done_tx.send(n);
                })
                .expect("spawn chatter")
        })
        .collect();
    drop(done_tx);
    let mut seen = Seen::default();
    let mut answered: HashMap<SessionId, usize> = HashMap::new();
    let mut seq = 0;
    let mut finished = 0;
    let mut flooded = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    while finished < CHATTERS {
        assert!(
            Instant::now() < deadline,
            "the chat did not finish in 120 s"
        );
        while done.try_recv().is_ok() {
            finished += 1;
        }
        if let Ok(n) = flood_done.try_recv() {
            flooded = Some(n);
        }
        while let Some(e) = events.next_within(Duration::from_millis(50)) {
            seen.take(&e);
            if let Event::Received { session, .. } = e {
                let said = seen.said(session);
                if said.first().is_some_and(|m| m.starts_with("洪水")) {
                    continue;
                }
                answer_new_messages(&b, &seen, session, &mut answered, &mut seq);
            }
        }
    }
    for c in chatters {
        c.join().expect("chatter");
    }
    let flooded = match flooded {
        Some(n) => n,
        None => flood_done
            .recv_timeout(Duration::from_secs(100))
            .expect("the flood finished"),
    };
    flooder.join().expect("flooder");
    assert_eq!(flooded, FLOOD);
    eprintln!(
        "flood beside chat: {CHATTERS} clients × {TURNS} turns done while {} MB were taken in",
        FLOOD / 1_000_000
    );
    b.shutdown();
}

#[test]
fn stop_releases_the_port_and_joins_every_thread_while_a_client_is_mid_turn() {
    let _g = exclusive();
    let dir = scratch("many-stop");
    let threads_before = turnchat_threads();
    let (mut b, mut events, addr) = start(&dir, server(DEFAULT_MAX_CONVERSATIONS));
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
