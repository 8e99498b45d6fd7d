//! How a connection can end badly: the peer resets it (mid-message or between turns, either
//! role), or half-closes it on either side's turn.

use std::io::Write;
use std::net::Shutdown;

use crate::common::backend::{
    backend_with, client, ended, listening, role_stopped, sent, server, started,
};
use crate::common::raw::{raw_accept, raw_connect, raw_listener, read_n, read_to_end, reset};
use crate::common::scratch;
use crate::common::transcript::{bytes_from, transcript};
use crate::common::wire::{WELCOME, WELCOME_GBK, gbk};
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;

use super::{listener_still_serves, quick, serve_one};

// --- 1. Reset ---------------------------------------------------------------------------

#[test]
fn peer_resets_mid_message_and_everything_it_sent_is_kept() {
    let dir = scratch("fault-rst-mid");
    let (_b, mut events, mut peer, s) = serve_one(&dir);
    // 你好世 and the first byte of 界: a message cut off inside a character.
    let mut part = gbk("你好世");
    let lead = gbk("界")[0];
    part.push(lead);
    peer.write_all(&part).expect("write");
    events.peer_message("你好世");
    reset(peer);
    assert_eq!(ended(&mut events), EndReason::Reset);

    let records = transcript(&s.file.expect("a transcript file"));
    assert_eq!(
        bytes_from(&records, Speaker::Peer),
        part,
        "every byte is kept"
    );
    assert!(
        records
            .iter()
            .any(|r| r.from == Speaker::Peer && r.text == "\u{FFFD}"),
        "the half character is shown as U+FFFD"
    );
    let last = records.last().expect("lines");
    assert_eq!(last.text, EndReason::Reset.en());
    assert_eq!(last.kind.as_deref(), Some("reset"));
}

#[test]
fn peer_resets_between_turns_and_the_server_serves_the_next_client() {
    let dir = scratch("fault-rst-between");
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    b.start_server(server());
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    read_n(&mut peer, WELCOME_GBK.len());
    peer.write_all(&gbk("你好")).expect("write");
    events.peer_message("你好");
    assert!(s.link.send("再见前的话".into()));
    sent(&mut events, "再见前的话");
    assert_eq!(
        read_n(&mut peer, gbk("再见前的话").len()),
        gbk("再见前的话")
    );
    reset(peer);
    assert_eq!(ended(&mut events), EndReason::Reset);
    let records = transcript(&s.file.expect("file"));
    assert_eq!(bytes_from(&records, Speaker::Peer), gbk("你好"));
    assert_eq!(
        bytes_from(&records, Speaker::Me),
        [WELCOME_GBK.to_vec(), gbk("再见前的话")].concat()
    );
    listener_still_serves(&mut events, addr);
}

#[test]
fn server_resets_our_client_between_turns() {
    let dir = scratch("fault-rst-client");
    let (l, port) = raw_listener();
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    let role = b.connect(client(port));
    let mut srv = raw_accept(&l);
    let s = started(&mut events);
    srv.write_all(&WELCOME_GBK).expect("welcome");
    events.peer_message(WELCOME);
    assert!(s.link.send("你好".into()));
    sent(&mut events, "你好");
    read_n(&mut srv, 4);
    reset(srv);
    assert_eq!(ended(&mut events), EndReason::Reset);
    role_stopped(&mut events, role);
}

// --- 2. Half-close ----------------------------------------------------------------------

#[test]
fn peer_half_closes_on_our_turn_and_still_sees_a_clean_close() {
    let dir = scratch("fault-fin-ours");
    let (_b, mut events, mut peer, s) = serve_one(&dir);
    peer.write_all(&gbk("最后一句")).expect("write");
    peer.shutdown(Shutdown::Write).expect("half-close");
    events.peer_message("最后一句");
    assert_eq!(ended(&mut events), EndReason::PeerClosed);
    // The peer can still read: it sees our FIN, not a reset.
    assert_eq!(read_to_end(&mut peer).expect("a clean end of stream"), b"");
    let records = transcript(&s.file.expect("file"));
    assert_eq!(bytes_from(&records, Speaker::Peer), gbk("最后一句"));
}

#[test]
fn peer_half_closes_on_its_own_turn() {
    let dir = scratch("fault-fin-theirs");
    let (b, mut events, mut peer, s) = serve_one(&dir);
    peer.shutdown(Shutdown::Write).expect("half-close");
    assert_eq!(ended(&mut events), EndReason::PeerClosed);
    assert_eq!(read_to_end(&mut peer).expect("a clean end of stream"), b"");
    assert!(!s.link.send("太晚了".into()), "the session is gone");
    drop(b);
}
