//! Our client: a server that never welcomes, a closed port, an address that never answers,
//! cancelling, connecting again, and a name that does not resolve.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::common::backend::{
    Events, backend_with, client, ended, role_stopped, sent, started, window_state,
};
use crate::common::process::run_ignored_through;
use crate::common::raw::{BlackHole, raw_accept, raw_listener, read_to_end};
use crate::common::scratch;
use crate::common::wire::{WELCOME, WELCOME_GBK};
use turnchat::core::error::NetError;
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::core::turn::{SendBlocked, Turn};
use turnchat::net::{ClientConfig, Event, Timeouts};

use super::quick;

// --- 9. A server that never welcomes ------------------------------------------------------

#[test]
fn a_server_that_never_welcomes_leaves_us_waiting_and_bye_leaves() {
    let dir = scratch("fault-silent-bye");
    let (l, port) = raw_listener();
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    let role = b.connect(client(port));
    let mut srv = raw_accept(&l);
    let s = started(&mut events);
    let state = window_state(&events);
    let shown = state.sessions.get(&s.id).expect("session");
    assert_eq!(shown.turn, Turn::Theirs, "we wait for the welcome");
    assert_eq!(shown.can_send(), Err(SendBlocked::NotYourTurn));
    assert!(s.link.bye(), "bye works while waiting");
    sent(&mut events, "bye");
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    role_stopped(&mut events, role);
    assert_eq!(read_to_end(&mut srv).expect("a clean close"), b"bye");
}

#[test]
fn a_server_that_never_welcomes_can_be_left_by_cancelling() {
    let dir = scratch("fault-silent-cancel");
    let (l, port) = raw_listener();
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    let role = b.connect(client(port));
    let mut srv = raw_accept(&l);
    started(&mut events);
    b.stop();
    assert_eq!(ended(&mut events), EndReason::Stopped);
    role_stopped(&mut events, role);
    assert_eq!(read_to_end(&mut srv).expect("a clean close"), b"");
}

// --- 11. Our client ------------------------------------------------------------------------

fn role_failed(events: &mut Events) -> NetError {
    events.until("RoleFailed", |e| match e {
        Event::RoleFailed { error, .. } => Some(error.clone()),
        Event::SessionStarted { .. } => panic!("connected"),
        _ => None,
    })
}

#[test]
fn connecting_to_a_closed_port_is_refused_in_words() {
    let port = raw_listener().1; // free again once the listener is dropped
    let (mut b, mut events) = backend_with(None, quick());
    let role = b.connect(client(port));
    assert_eq!(
        role_failed(&mut events),
        NetError::Refused {
            addr: format!("127.0.0.1:{port}")
        }
    );
    role_stopped(&mut events, role);
}

#[test]
fn connecting_to_an_address_that_never_answers_times_out_in_words() {
    let hole = BlackHole::open();
    let addr = hole.addr;
    let (mut b, mut events) = backend_with(None, quick());
    let asked = Instant::now();
    let role = b.connect(client(addr.port()));
    let error = role_failed(&mut events);
    assert_eq!(
        error.en(),
        format!(
            "127.0.0.1:{} did not answer within 2 seconds. Check the address, that both computers are on the same network, and that no firewall blocks the port.",
            addr.port()
        )
    );
    role_stopped(&mut events, role);
    // It really waited for the timeout: the sentence would be a lie otherwise. (socket2
    // polls in whole milliseconds, truncated, so it may give up up to 1 ms early.)
    let waited = asked.elapsed();
    eprintln!("never answers: gave up after {waited:?}");
    assert!(
        waited >= Duration::from_millis(1990),
        "gave up after {waited:?}"
    );
}

#[test]
fn cancel_during_a_connect_stops_at_once_without_an_error() {
    let hole = BlackHole::open();
    let addr = hole.addr;
    let (mut b, mut events) = backend_with(
        None,
        Timeouts {
            connect: Duration::from_secs(60),
            ..quick()
        },
    );
    let role = b.connect(client(addr.port()));
    events.until("Connecting", |e| {
        matches!(e, Event::Connecting { .. }).then_some(())
    });
    b.stop();
    role_stopped(&mut events, role);
    assert!(
        !events
            .seen
            .iter()
            .any(|e| matches!(e, Event::RoleFailed { .. })),
        "cancelling is not an error"
    );
    // Joining the connector does not wait for the 60 s timeout.
    let joining = Instant::now();
    drop(b);
    assert!(joining.elapsed() < Duration::from_secs(30));
}

#[test]
fn connect_while_connected_closes_the_first_conversation_cleanly() {
    let (l1, port1) = raw_listener();
    let (l2, port2) = raw_listener();
    let (mut b, mut events) = backend_with(None, quick());
    let first = b.connect(client(port1));
    let mut srv1 = raw_accept(&l1);
    let s1 = started(&mut events);
    srv1.write_all(&WELCOME_GBK).expect("welcome");
    events.peer_message(WELCOME);
    let second = b.connect(client(port2));
    let mut srv2 = raw_accept(&l2);
    // The two roles' threads report independently: wait for all three, in any order.
    let (mut reason, mut stopped, mut s2) = (None, false, None);
    events.until("the first's end and the second's start", |e| {
        match e {
            Event::SessionEnded {
                session, reason: r, ..
            } if *session == s1.id => reason = Some(r.clone()),
            Event::RoleStopped { role } if *role == first => stopped = true,
            Event::SessionStarted { link, .. } => s2 = Some(link.clone()),
            _ => {}
        }
        (reason.is_some() && stopped && s2.is_some()).then_some(())
    });
    assert_eq!(reason, Some(EndReason::Stopped));
    assert_eq!(read_to_end(&mut srv1).expect("a clean close"), b"");
    let s2 = s2.expect("the second session");
    srv2.write_all(&WELCOME_GBK).expect("welcome");
    events.peer_message(WELCOME);
    assert!(s2.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    role_stopped(&mut events, second);
}

/// Runs inside the network namespace created by
/// `a_name_that_does_not_resolve_reads_as_a_sentence`: no interface is up there, so the
/// lookup cannot send a packet anywhere.
#[test]
#[ignore = "run by a_name_that_does_not_resolve_reads_as_a_sentence inside `unshare --net`"]
fn name_lookup_inside_an_empty_network_namespace() {
    let (mut b, mut events) = backend_with(None, quick());
    let role = b.connect(ClientConfig {
        host: "turnchat-test.invalid".into(),
        ..client(8888)
    });
    let error = role_failed(&mut events);
    assert_eq!(
        error.en(),
        "No computer named “turnchat-test.invalid” could be found. Check the spelling, or type its IP address (such as 192.168.1.5)."
    );
    role_stopped(&mut events, role);
}

#[test]
fn a_name_that_does_not_resolve_reads_as_a_sentence() {
    // A lookup could query the DNS server of /etc/resolv.conf, off this machine. So the
    // lookup runs in a new, empty network namespace (only a loopback that is down): no
    // packet can leave it.
    run_ignored_through(
        &["unshare", "--net"],
        module_path!(),
        "name_lookup_inside_an_empty_network_namespace",
    );
}
