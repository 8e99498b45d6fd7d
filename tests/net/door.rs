//! The door of a classroom server (issue 22): a fair share of places for each computer,
//! room made for a newcomer when squatters fill the server, blocks, and a rate that stops
//! churn. Clients come from distinct loopback addresses (127.0.0.2, 127.0.0.3 …), each a
//! computer of its own as the server sees it. Every wait is bounded; nothing sleeps.

use std::io::{ErrorKind, Read};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use crate::common::backend::{Events, backend, backend_with, ended, listening, server};
use crate::common::raw::RawClient;
use crate::common::scratch;
use crate::common::wire::WELCOME_GBK;
use turnchat::core::door::{Refusal, Tally};
use turnchat::core::notice::EndReason;
use turnchat::net::{Backend, Event, ServerConfig, Timeouts};

/// The address `RawClient::connect_from(n, …)` binds (the first 253 of them).
fn computer(n: usize) -> IpAddr {
    IpAddr::from([127, 0, 0, 2 + n as u8])
}

/// Whether the server closed `c` without a welcome: the first read ends the stream.
fn refused(c: &mut RawClient) -> bool {
    let mut byte = [0u8; 1];
    match c.stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) if e.kind() == ErrorKind::ConnectionReset => true,
        Err(e) => panic!("{}: neither welcomed nor closed: {e}", c.local),
    }
}

/// Waits for the door's report that satisfies `f`.
fn door_until(events: &mut Events, what: &str, f: impl Fn(&Tally, &[IpAddr]) -> bool) -> Tally {
    events.until(what, |e| match e {
        Event::Door { tally, blocked, .. } if f(tally, blocked) => Some(tally.clone()),
        _ => None,
    })
}

fn start(events: &mut Events, b: &mut Backend, config: ServerConfig) -> SocketAddr {
    b.start_server(config);
    listening(events)
}

#[test]
fn one_computer_gets_at_most_eight_places_and_another_is_still_welcomed() {
    let dir = scratch("door-fair-share");
    let (mut b, mut events) = backend(&dir);
    let addr = start(&mut events, &mut b, server());
    let mut mine: Vec<RawClient> = (0..8)
        .map(|_| {
            let mut c = RawClient::connect_from(0, addr);
            c.welcomed();
            c
        })
        .collect();
    // The ninth and tenth from the same computer are closed before any welcome.
    for _ in 0..2 {
        let mut c = RawClient::connect_from(0, addr);
        assert!(refused(&mut c), "{} is over its computer's share", c.local);
    }
    let tally = door_until(&mut events, "two refused", |t, _| t.total == 2);
    assert_eq!(tally.by.len(), 1);
    assert_eq!(tally.by[0].from, computer(0));
    assert_eq!(tally.by[0].why, Refusal::TooMany { limit: 8 });
    // Another computer is welcomed at once.
    let mut other = RawClient::connect_from(1, addr);
    other.welcomed();
    // When one of the eight ends, that computer has a place again.
    if let Some(mut c) = mine.pop() {
        c.say("bye");
    }
    events.until("a conversation ended", |e| {
        matches!(
            e,
            Event::SessionEnded {
                reason: EndReason::PeerSaidBye,
                ..
            }
        )
        .then_some(())
    });
    let mut again = RawClient::connect_from(0, addr);
    again.welcomed();
    b.stop();
}

/// Reads the welcome (false) or sees the stream closed before it (true).
fn refused_or_welcomed(c: &mut RawClient) -> bool {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while got.len() < WELCOME_GBK.len() {
        match c.stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => got.push(byte[0]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(e) => panic!("{}: neither welcomed nor closed: {e}", c.local),
        }
    }
    assert_eq!(got, WELCOME_GBK);
    false
}

#[test]
fn churn_from_one_computer_is_held_to_the_rate() {
    let dir = scratch("door-churn");
    let (mut b, mut events) = backend(&dir);
    let addr = start(&mut events, &mut b, server());
    let began = Instant::now();
    let mut welcomed = 0u64;
    let mut closed = 0u64;
    // 60 connect-and-leave cycles as fast as this machine makes them (bounded in count).
    // A welcomed client says bye, and the next cycle starts once its conversation has
    // ended, so that the computer never holds more than one place: only the rate can
    // refuse it, however slowly this machine ends conversations.
    for _ in 0..60 {
        let mut c = RawClient::connect_from(3, addr);
        if refused_or_welcomed(&mut c) {
            closed += 1;
        } else {
            welcomed += 1;
            c.say("bye");
            assert_eq!(ended(&mut events), EndReason::PeerSaidBye);
        }
    }
    let took = began.elapsed().as_secs_f64();
    // A burst of twice the share (16), then 4 a second: never more, however slow this
    // machine is.
    let most = 16 + (4.0 * took).ceil() as u64;
    assert!(
        welcomed <= most,
        "{welcomed} welcomed in {took:.2} s, the rate allows {most}"
    );
    if took < 10.0 {
        assert!(closed > 0, "60 in {took:.2} s and none refused");
        // The Door event that counts them all may have come while a conversation ended.
        let counted = events.seen.iter().rev().find_map(|e| match e {
            Event::Door { tally, .. } if tally.total == closed => Some(tally.clone()),
            _ => None,
        });
        let tally = counted
            .unwrap_or_else(|| door_until(&mut events, "the refusals", |t, _| t.total == closed));
        assert!(
            (tally.by.iter()).any(|r| r.why == Refusal::TooFast { per_second: 4 }),
            "refused for the rate: {tally:?}"
        );
    }
    b.stop();
}

#[test]
fn with_no_share_a_class_behind_one_router_is_welcomed_whole() {
    let dir = scratch("door-no-share");
    let (mut b, mut events) = backend(&dir);
    let config = ServerConfig {
        per_address: 0,
        ..server()
    };
    let addr = start(&mut events, &mut b, config);
    // 30 students from one address, all at once: neither the share nor the rate applies.
    let _class: Vec<RawClient> = (0..30)
        .map(|_| {
            let mut c = RawClient::connect_from(8, addr);
            c.welcomed();
            c
        })
        .collect();
    b.stop();
}

#[test]
fn a_blocked_computer_is_refused_before_the_welcome_until_the_blocks_are_cleared() {
    let dir = scratch("door-block");
    let (mut b, mut events) = backend(&dir);
    let addr = start(&mut events, &mut b, server());
    assert!(b.block(computer(4)));
    door_until(&mut events, "the block", |_, blocked| {
        blocked == [computer(4)]
    });
    let mut blocked = RawClient::connect_from(4, addr);
    assert!(refused(&mut blocked), "a blocked computer is refused");
    door_until(&mut events, "the refusal", |t, _| {
        t.by.first()
            .is_some_and(|r| r.why == Refusal::Blocked && r.from == computer(4))
    });
    let mut other = RawClient::connect_from(5, addr);
    other.welcomed();
    assert!(b.unblock_all());
    door_until(&mut events, "no block", |_, blocked| blocked.is_empty());
    let mut back = RawClient::connect_from(4, addr);
    back.welcomed();
    b.stop();
}

#[test]
fn when_full_the_longest_silent_squatter_makes_room_for_another_computer() {
    let dir = scratch("door-room");
    let timeouts = Timeouts {
        room_after: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), timeouts);
    let config = ServerConfig {
        max_conversations: 4,
        ..server()
    };
    let addr = start(&mut events, &mut b, config);
    // Four places, all taken by one computer; the oldest of them has said something.
    let mut squatters: Vec<RawClient> = (0..4)
        .map(|_| {
            let mut c = RawClient::connect_from(6, addr);
            c.welcomed();
            c
        })
        .collect();
    squatters[0].say("你好");
    events.peer_message("你好");
    // A student from another computer arrives: it waits, then a silent squatter (the
    // oldest silent one, the second) gives its place up.
    let mut student = RawClient::connect_from(7, addr);
    student.welcomed();
    events.until("a squatter made room", |e| {
        matches!(
            e,
            Event::SessionEnded {
                reason: EndReason::MadeRoom { .. },
                ..
            }
        )
        .then_some(())
    });
    let ended: Vec<(SocketAddr, EndReason)> = ended_so_far(&events);
    assert_eq!(ended.len(), 1, "one squatter made room: {ended:?}");
    assert_eq!(ended[0].0, squatters[1].local, "the longest silent one");
    assert!(matches!(ended[0].1, EndReason::MadeRoom { .. }));
    assert!(refused(&mut squatters[1]), "its connection is closed");
    b.stop();
}

/// The peers of the conversations that ended so far, with why.
fn ended_so_far(events: &Events) -> Vec<(SocketAddr, EndReason)> {
    let peers: std::collections::HashMap<_, _> = events
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::SessionStarted { info, .. } => Some((info.session, info.peer)),
            _ => None,
        })
        .collect();
    events
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::SessionEnded {
                session, reason, ..
            } => Some((peers[session], reason.clone())),
            _ => None,
        })
        .collect()
}
