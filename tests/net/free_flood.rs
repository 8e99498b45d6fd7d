//! A peer that floods a free-talk conversation with lines, over real loopback: however fast
//! it sends, the window hears of a bounded number of messages and keeps a bounded number of
//! bytes (the rest is counted), and the conversation still ends cleanly.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::time::Instant;

use crate::common::backend::{backend, listening, server};
use crate::common::{WAIT, scratch};
use turnchat::core::framing::{
    BURST_GAP, FREE_KEEP_BURST, FREE_KEEP_PER_SECOND, LINE_MESSAGES_BURST,
    LINE_MESSAGES_PER_SECOND, LineEnding,
};
use turnchat::core::notice::EndReason;
use turnchat::core::turn::TurnPolicy;
use turnchat::net::{Event, ServerConfig};

#[test]
fn a_flood_of_lines_in_free_talk_makes_bounded_messages_and_keeps_bounded_bytes() {
    let dir = scratch("free-flood");
    let (mut b, mut events) = backend(&dir);
    b.start_server(ServerConfig {
        welcome: String::new(),
        policy: TurnPolicy::Free,
        line_ending: LineEnding::Lf,
        max_conversations: 1,
        ..server()
    });
    let local = listening(&mut events);
    let started = Instant::now();
    let mut peer = TcpStream::connect_timeout(&local, WAIT).expect("connect");
    peer.set_write_timeout(Some(WAIT)).expect("timeout");
    // 8 MiB of two-byte lines (4 million lines), in at most 128 writes.
    let block = b"x\n".repeat(32 * 1024);
    let mut sent = 0u64;
    for _ in 0..128 {
        peer.write_all(&block).expect("flood");
        sent += block.len() as u64;
    }
    peer.shutdown(Shutdown::Write).expect("half-close");

    let (mut messages, mut kept, mut cut) = (0u64, 0u64, 0u64);
    let reason = events.until("the end of the flood", |e| match e {
        Event::Received {
            new_message,
            bytes,
            cut: c,
            ..
        } => {
            messages += u64::from(*new_message);
            kept += bytes.len() as u64;
            cut += c;
            None
        }
        Event::SessionEnded { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    let seconds = started.elapsed().as_secs_f64().ceil() as u64 + 1;
    assert_eq!(reason, EndReason::PeerClosed);
    // Every byte is accounted for: kept or counted.
    assert_eq!(kept + cut, sent, "kept {kept} + cut {cut}");
    // Messages: the first burst of line messages, then the rate, plus one per pause.
    let pauses = seconds * 1000 / BURST_GAP.as_millis() as u64;
    let most = LINE_MESSAGES_BURST + LINE_MESSAGES_PER_SECOND * seconds + pauses + 1;
    assert!(
        messages <= most,
        "{messages} messages in about {seconds} s (at most {most})"
    );
    let most_kept = FREE_KEEP_BURST + FREE_KEEP_PER_SECOND * seconds;
    assert!(
        kept <= most_kept,
        "{kept} bytes kept in about {seconds} s (at most {most_kept})"
    );
    b.shutdown();
}
