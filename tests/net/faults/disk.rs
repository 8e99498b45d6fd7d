//! The disk a conversation costs (issue 22, items 5 and 8): a drip is gathered into few
//! lines, budgets stop a transcript with a `cut` line, and a full disk never leaves half a
//! line and is written again once space is back.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::common::backend::ended;
use crate::common::process::named;
use crate::common::scratch;
use crate::common::transcript::{bytes_from, transcript};
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::net::Event;

use super::serve_one;

// --- 5c. A drip on disk -------------------------------------------------------------------

#[test]
fn a_drip_costs_less_than_20_bytes_on_disk_per_byte_received() {
    const BYTES: usize = 2000;
    let dir = scratch("fault-drip-disk");
    let (_b, mut events, peer, s) = serve_one(&dir);
    peer.set_nodelay(true).expect("nodelay");
    let mut writer = peer.try_clone().expect("clone");
    // The peer paces itself, a byte a millisecond (about 2 s), bounded in count and time;
    // the test only waits on events.
    let drip = named("test-disk-dripper", move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        for _ in 0..BYTES {
            if Instant::now() > deadline || writer.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let mut got = 0;
    let mut reads = 0;
    events.until("the whole drip", |e| match e {
        Event::Received { bytes, .. } => {
            got += bytes.len();
            reads += 1;
            (got >= BYTES).then_some(())
        }
        _ => None,
    });
    drip.join().expect("dripper");
    drop(peer);
    assert_eq!(ended(&mut events), EndReason::PeerClosed);
    let file = s.file.expect("file");
    let on_disk = std::fs::metadata(&file).expect("the file").len();
    let records = transcript(&file);
    assert_eq!(bytes_from(&records, Speaker::Peer), vec![b'a'; BYTES]);
    let per_byte = on_disk as f64 / BYTES as f64;
    eprintln!(
        "drip: {BYTES} bytes in {reads} reads, {on_disk} bytes on disk in {} lines: {per_byte:.1} per byte",
        records.len()
    );
    assert!(
        per_byte < 20.0,
        "{on_disk} bytes on disk for {BYTES} received ({per_byte:.1} a byte)"
    );
}
