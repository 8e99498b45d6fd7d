//! Clients waiting for a free place: the one-at-a-time queue of the reference server, three
//! clients queued behind one, the 201st client at the default limit of 200, and a client
//! that leaves while it waits. Waiting clients are welcomed in the order they came.

use crate::common::peers::ref_client;
use crate::common::raw::RawClient;
use crate::common::scratch;
use crate::common::wire::{WELCOME, gbk};
use std::net::SocketAddr;
use turnchat::core::notice::EndReason;
use turnchat::net::{DEFAULT_MAX_CONVERSATIONS, Event};

use super::{Seen, at_most, reply, start};
use crate::common::backend::{Events, server};

#[test]
fn one_at_a_time_reproduces_the_reference_queue() {
    let dir = scratch("many-one-at-a-time");
    let (mut b, mut events, addr) = start(&dir, at_most(1));
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
    let dir = scratch("many-leaves");
    let (mut b, mut events, addr) = start(&dir, at_most(1));
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

/// Waits until the server says `count` clients wait for a place.
fn waiting(events: &mut Events, seen: &mut Seen, count: usize) {
    events.until(&format!("{count} waiting"), |e| {
        seen.take(e);
        matches!(e, Event::Waiting { count: c, .. } if *c == count).then_some(())
    });
}

/// Waits for the next conversation to begin and for the count of waiting clients to go down
/// to `left`, in either order; the new conversation's client. Every earlier conversation's
/// start must have been read already.
fn served_next(events: &mut Events, seen: &mut Seen, left: usize) -> SocketAddr {
    let (mut started, mut waiting) = (None, None);
    events.until(&format!("the next conversation, {left} waiting"), |e| {
        seen.take(e);
        match e {
            Event::SessionStarted { info, .. } => started = started.or(Some(info.peer)),
            Event::Waiting { count, .. } => waiting = Some(*count),
            _ => {}
        }
        started.filter(|_| waiting == Some(left))
    })
}

#[test]
fn one_at_a_time_serves_three_queued_clients_in_the_order_they_came() {
    let dir = scratch("many-three-queued");
    let (mut b, mut events, addr) = start(&dir, at_most(1));
    let mut seen = Seen::default();
    let mut serving = RawClient::connect_from(0, addr);
    serving.welcomed();
    seen.until(&mut events, "the first conversation", |s| {
        s.by_peer.contains_key(&serving.local)
    });
    // Three more, one after the other: each waits, unwelcomed.
    let mut queued = Vec::new();
    for n in 1..=3 {
        queued.push(RawClient::connect_from(n, addr));
        waiting(&mut events, &mut seen, n);
    }
    // Each time the one served says bye, the next in line (and only it) is welcomed.
    for (left, mut next) in queued.into_iter().enumerate().map(|(i, c)| (2 - i, c)) {
        serving.say("bye");
        assert_eq!(
            served_next(&mut events, &mut seen, left),
            next.local,
            "the next in the order they came"
        );
        next.welcomed();
        serving = next;
    }
    serving.say("bye");
    seen.until(&mut events, "four conversations ended", |s| {
        s.ended.len() == 4
    });
    assert!(seen.ended.values().all(|r| *r == EndReason::PeerSaidBye));
    b.stop();
}

#[test]
fn at_the_default_limit_the_201st_client_waits_until_a_place_frees() {
    assert_eq!(DEFAULT_MAX_CONVERSATIONS, 200, "the README's number");
    let dir = scratch("many-201st");
    let (mut b, mut events, addr) = start(&dir, server());
    let mut seen = Seen::default();
    // 200 conversations, each client welcomed at once (each from an address of its own).
    let mut class: Vec<RawClient> = (0..200)
        .map(|n| {
            let mut c = RawClient::connect_from(n, addr);
            c.welcomed();
            c
        })
        .collect();
    // The 201st and the 202nd wait, unwelcomed.
    let late: Vec<RawClient> = (200..202)
        .map(|n| RawClient::connect_from(n, addr))
        .collect();
    waiting(&mut events, &mut seen, 2);
    seen.until(&mut events, "200 conversations", |s| s.by_peer.len() == 200);
    // A place frees: the 201st is welcomed, then the 202nd when another does.
    for ((mut leaving, mut next), left) in class.drain(..2).zip(late).zip([1, 0]) {
        leaving.say("bye");
        assert_eq!(
            served_next(&mut events, &mut seen, left),
            next.local,
            "the next in the order they came"
        );
        next.welcomed();
    }
    assert_eq!(seen.by_peer.len(), 202);
    b.stop();
}
