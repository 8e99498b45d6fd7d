//! What a peer sends that is not text: invalid GBK, control characters, a dangling lead
//! byte, and bidirectional overrides from a UTF-8 peer.

use std::io::Write;

use crate::common::backend::{backend_with, ended, listening, sent, server, started, window_state};
use crate::common::raw::{raw_connect, read_n};
use crate::common::scratch;
use crate::common::transcript::{bytes_from, transcript};
use crate::common::wire::{WELCOME, gbk};
use turnchat::core::codec::WireEncoding;
use turnchat::core::display::visible_text;
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::net::{Event, ServerConfig};

use super::{quick, serve_one};

// --- 6. Garbage -------------------------------------------------------------------------

#[test]
fn invalid_gbk_controls_and_a_dangling_lead_byte_are_shown_safely_and_kept_exactly() {
    let dir = scratch("fault-garbage");
    let (_b, mut events, mut peer, s) = serve_one(&dir);
    // ÿ (invalid), a lead byte followed by a non-trail byte, NUL, BEL, ESC[31m, DEL,
    // CR LF, a user-defined (Private Use) character, and a lone lead byte at the very end.
    let mut wire = vec![b'a', 0xff, b'b', 0x81, 0x20, 0x00, 0x07, 0x1b];
    wire.extend_from_slice(b"[31m\x7f\r\n");
    wire.extend_from_slice(&[0xaa, 0xa1]); // U+E000 in GBK's user-defined area
    wire.extend_from_slice(&gbk("好"));
    wire.push(0xc4); // half of 你
    peer.write_all(&wire).expect("write");
    events.until("the garbage", |e| match e {
        Event::Received { text, .. } if text.contains('好') => Some(()),
        _ => None,
    });
    // Our reply ends the peer's turn: the dangling lead byte becomes U+FFFD.
    assert!(s.link.send("看不懂".into()));
    sent(&mut events, "看不懂");
    read_n(&mut peer, gbk("看不懂").len());

    let state = window_state(&events);
    let shown = state.sessions[&s.id]
        .transcript
        .entries()
        .iter()
        .find(|e| e.from == Speaker::Peer)
        .expect("the peer message");
    // The window keeps the text as decoded and draws it through `visible_text`.
    let drawn = visible_text(&shown.text);
    assert_eq!(
        drawn,
        "a\u{FFFD}b\u{FFFD} ^@^G^[[31m^?^M\n<U+E000>好\u{FFFD}"
    );
    assert!(
        !drawn.chars().any(|c| c.is_control() && c != '\n'),
        "nothing invisible reaches the screen"
    );
    let records = transcript(&s.file.expect("file"));
    assert_eq!(
        bytes_from(&records, Speaker::Peer),
        wire,
        "hex keeps every byte"
    );
    let raw: String = records
        .iter()
        .filter(|r| r.from == Speaker::Peer)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        raw,
        "a\u{FFFD}b\u{FFFD} \0\u{7}\u{1b}[31m\u{7f}\r\n\u{E000}好\u{FFFD}"
    );
}

#[test]
fn bidirectional_overrides_from_a_utf8_peer_are_shown_as_code_points() {
    // GBK cannot carry U+202E at all; a peer on a UTF-8 session can.
    let dir = scratch("fault-bidi");
    let (mut b, mut events) = backend_with(Some(dir.join("transcripts")), quick());
    b.start_server(ServerConfig {
        encoding: WireEncoding::Utf8,
        ..server()
    });
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    read_n(&mut peer, WELCOME.len());
    let evil = "pay \u{202E}0001$\u{202C} now\u{200B}\u{FEFF}";
    peer.write_all(evil.as_bytes()).expect("write");
    events.peer_message(evil);
    let state = window_state(&events);
    let shown = state.sessions[&s.id]
        .transcript
        .entries()
        .iter()
        .find(|e| e.from == Speaker::Peer)
        .expect("the peer message");
    assert_eq!(
        visible_text(&shown.text),
        "pay <U+202E>0001$<U+202C> now<U+200B><U+FEFF>"
    );
    assert!(s.link.bye());
    assert_eq!(ended(&mut events), EndReason::WeSaidBye);
    let records = transcript(&s.file.expect("file"));
    assert_eq!(bytes_from(&records, Speaker::Peer), evil.as_bytes());
}
