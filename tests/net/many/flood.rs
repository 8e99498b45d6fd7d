//! A flooding client beside chatting ones: the chatters' reply times during a flood are
//! measured against the same chat without it, and a real hindrance fails the test. The
//! figures themselves are `loadgen flood-beside`'s (BENCHMARKS.md).

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::backend::{Events, server};
use crate::common::process::named;
use crate::common::raw::RawClient;
use crate::common::scratch;
use crate::common::wire::gbk;
use turnchat::core::ids::SessionId;
use turnchat::net::{Backend, Event};

use super::{Seen, answer_new_messages, start};

const CHATTERS: usize = 10;
const TURNS: usize = 20;

/// Whether `session` is the flooder's (its message starts with 洪水).
fn flooding(seen: &Seen, session: SessionId) -> bool {
    seen.said(session)
        .first()
        .is_some_and(|m| m.starts_with("洪水"))
}

/// One round of chat: [`CHATTERS`] clients from the loopback sources `first` onwards,
/// each saying [`TURNS`] messages and reading each answer, answered through the backend as
/// the window does. Every message's reply time, from written to its answer read.
fn chat_round(
    b: &Backend,
    events: &mut Events,
    seen: &mut Seen,
    seq: &mut u64,
    addr: SocketAddr,
    first: usize,
) -> Vec<Duration> {
    let (done_tx, done) = crossbeam_channel::unbounded::<Vec<Duration>>();
    let chatters: Vec<_> = (first..first + CHATTERS)
        .map(|n| {
            let done_tx = done_tx.clone();
            named(&format!("test-chatter-{n}"), move || {
                let mut c = RawClient::connect_from(n, addr);
                c.welcomed();
                let mut took = Vec::with_capacity(TURNS);
                for t in 0..TURNS {
                    let asked = Instant::now();
                    c.say(&format!("客户{n}第{t}句。"));
                    let answer = c.read_until(&gbk("。"));
                    took.push(asked.elapsed());
                    assert_eq!(answer, gbk(&format!("回{n}-{t}。")));
                }
                let _ = done_tx.send(took);
            })
        })
        .collect();
    drop(done_tx);
    let mut answered: HashMap<SessionId, usize> = HashMap::new();
    let mut times = Vec::new();
    let mut finished = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while finished < CHATTERS {
        assert!(
            Instant::now() < deadline,
            "the chat did not finish in 120 s"
        );
        // One event at a time, and a look at the chatters after each: a flood never
        // leaves the channel quiet.
        if let Some(e) = events.next_within(Duration::from_millis(20)) {
            seen.take(&e);
            if let Event::Received { session, .. } = e
                && !flooding(seen, session)
            {
                answer_new_messages(b, seen, session, &mut answered, seq);
            }
        }
        while let Ok(took) = done.try_recv() {
            finished += 1;
            times.extend(took);
        }
    }
    for c in chatters {
        c.join().expect("chatter");
    }
    // Nothing else needs to be kept of the round.
    events.seen.clear();
    times.sort();
    times
}

/// The median and the 90th percentile of sorted times.
fn median_p90(sorted: &[Duration]) -> (Duration, Duration) {
    (sorted[sorted.len() / 2], sorted[sorted.len() * 9 / 10])
}

#[test]
fn a_flooding_client_does_not_hinder_ten_chatting_ones() {
    let dir = scratch("many-flood");
    let (mut b, mut events, addr) = start(&dir, server());
    let mut seen = Seen::default();
    let mut seq = 0;
    // The chat alone, for comparison (the same server, the same machine, just before).
    let alone = chat_round(&b, &mut events, &mut seen, &mut seq, addr, 1);

    // The flood: GBK Chinese as fast as it goes, 200 MB and on until the chat is over
    // (bounded: 100 s), from an address of its own.
    const FLOOD: usize = 200_000_000;
    let chat_over = Arc::new(AtomicBool::new(false));
    let (flood_tx, flood_done) = crossbeam_channel::bounded::<(usize, bool)>(1);
    let flood_until = Arc::clone(&chat_over);
    let flooder = named("test-flooder", move || {
        let mut c = RawClient::connect_from(0, addr);
        c.welcomed();
        let chunk = gbk(&"洪水测试：今天天气很好，我们下午三点开会。".repeat(2048));
        let started = Instant::now();
        let mut sent = 0;
        let done = |sent| sent >= FLOOD && flood_until.load(Ordering::Relaxed);
        while !done(sent) && started.elapsed() < Duration::from_secs(100) {
            c.stream.write_all(&chunk).expect("flood write");
            sent += chunk.len();
        }
        let _ = flood_tx.send((sent, done(sent)));
    });
    // The chat starts once the flood is under way: its first MiB has been taken in.
    events.until("the flood under way", |e| {
        seen.take(e);
        matches!(e, Event::Received { cut, .. } if *cut > 0).then_some(())
    });
    let during = chat_round(&b, &mut events, &mut seen, &mut seq, addr, 1 + CHATTERS);
    chat_over.store(true, Ordering::Relaxed);
    let (flooded, whole) = flood_done
        .recv_timeout(Duration::from_secs(100))
        .expect("the flooder stopped");
    flooder.join().expect("flooder");
    assert!(
        whole,
        "only {flooded} bytes of the flood were taken in, in 100 s"
    );

    let ((alone_p50, alone_p90), (during_p50, during_p90)) =
        (median_p90(&alone), median_p90(&during));
    eprintln!(
        "flood beside chat: {CHATTERS} clients × {TURNS} turns; reply p50 {alone_p50:?}, p90 \
         {alone_p90:?} alone; p50 {during_p50:?}, p90 {during_p90:?} while {} MB flooded in",
        flooded / 1_000_000
    );
    // A generous bound: the budgets are loadgen's. What fails here is a flood that really
    // stands in the chatters' way (their replies wait for it).
    assert!(
        during_p50 <= alone_p50 * 5 || during_p50 <= alone_p50 + Duration::from_millis(50),
        "the flood hindered the chat: median reply {during_p50:?} during it, {alone_p50:?} without"
    );
    b.shutdown();
}
