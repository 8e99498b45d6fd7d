//! A class sending big messages while the window falls behind: what the conversations hold
//! on the way to the window, and in read buffers, stays within the backend's budgets
//! (`turnchat::net::memory`), and nothing is lost: every byte reaches the window once it
//! catches up.

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::common::process::named;
use crate::common::raw::RawClient;
use crate::common::wire::gbk;
use crate::common::{WAIT, scratch};
use turnchat::core::ids::SessionId;
use turnchat::net::Event;
use turnchat::net::memory::{BIG_READS, FLIGHT_BYTES};

use super::{at_most, start};

/// Clients, each from a loopback address of its own.
const CLIENTS: usize = 48;

/// Each sends one message of 1 MiB of GBK Chinese.
const MESSAGE: usize = 1024 * 1024;

#[test]
fn a_window_that_falls_behind_holds_a_class_of_big_messages_within_the_budget() {
    let dir = scratch("memory-budget");
    let (b, mut events, addr) = start(&dir, at_most(CLIENTS + 2));
    let message = std::sync::Arc::new(gbk(&"你好".repeat(MESSAGE / 4)));
    assert_eq!(message.len(), MESSAGE);

    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let message = std::sync::Arc::clone(&message);
            let mut c = RawClient::connect_from(i, addr);
            named(&format!("test-memory-client-{i}"), move || {
                c.welcomed();
                c.stream
                    .set_write_timeout(Some(WAIT * 4))
                    .expect("write timeout");
                c.stream.write_all(&message).expect("the message");
                // Closing ends the conversation once the server has read everything.
            })
        })
        .collect();

    // The window takes nothing for now: 48 MiB of GBK would become 120 MiB of text and
    // bytes in its channel. The conversations fill the budget and wait.
    let deadline = Instant::now() + WAIT;
    while b.memory_in_use().in_flight + 4 * 256 * 1024 < FLIGHT_BYTES {
        assert!(
            Instant::now() < deadline,
            "the conversations did not fill the budget within {WAIT:?}: {:?}",
            b.memory_in_use()
        );
        // A bounded poll: the conversations report nothing while the window is away.
        std::thread::sleep(Duration::from_millis(10));
    }

    // The window catches up: every byte arrives, and each conversation ends.
    let mut bytes: HashMap<SessionId, usize> = HashMap::new();
    let mut ended = 0;
    while ended < CLIENTS {
        let e = events
            .next_within(WAIT)
            .unwrap_or_else(|| panic!("{ended} of {CLIENTS} ended; {:?}", b.memory_in_use()));
        match &e {
            Event::Received {
                session,
                bytes: got,
                cut,
                ..
            } => {
                assert_eq!(*cut, 0, "a 1 MiB message is within the display cap");
                *bytes.entry(*session).or_default() += got.len();
            }
            Event::SessionEnded { .. } => ended += 1,
            _ => {}
        }
        events.seen.clear();
    }
    for c in clients {
        c.join().expect("client");
    }
    assert_eq!(bytes.len(), CLIENTS);
    assert!(bytes.values().all(|&n| n == MESSAGE), "{bytes:?}");

    let used = b.memory_in_use();
    assert_eq!(used.in_flight, 0, "all given back: {used:?}");
    assert_eq!(used.big_reads, 0, "all given back: {used:?}");
    assert!(used.in_flight_peak <= FLIGHT_BYTES, "{used:?}");
    assert!(used.big_reads_peak <= BIG_READS, "{used:?}");
}
