//! The reader side of a conversation: a named thread that only reads the socket.
//!
//! It reads into reused heap buffers and hands the chunks to the conversation's thread
//! over a small bounded channel, so a flooding peer is slowed down by TCP instead of
//! being buffered here. Reads start small (an idle conversation keeps little memory) and
//! grow once the peer sends a lot; a flood beside other conversations gives way to them.
//! When the burst is over (a read that does not fill the big buffer: the socket is
//! drained), reads are small again and the big buffers are given back, so 200 peers that
//! each sent 1 MiB once do not keep 1.5 MiB of buffers each while they wait. The big
//! buffers of all conversations together are bounded too ([`ReadPool`]): when none is
//! free, a reader reads small until one is.

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use crate::core::framing::{Bucket, FLOOD_BESIDE_PER_SECOND};
use crate::core::notice::EndReason;
use crate::net::memory::{BigRead, ReadPool};
use crate::net::{Links, StopSwitch};

/// How much one read takes at most, once the peer sends a lot.
const READ_CHUNK: usize = 256 * 1024;

/// How much one read takes while the peer sends little: chat messages fit, and an idle
/// conversation keeps only this much buffer (the reader switches to [`READ_CHUNK`] the
/// first time a read fills it).
const SMALL_READ: usize = 4 * 1024;

/// After this many full big reads in a row (1 MiB at once) the peer is flooding, and the
/// reader gives way to the other conversations, if there are any (see `read_loop`).
const FLOOD_READS: u32 = 4;

/// The reader thread only reads into a heap buffer and hands chunks over.
pub(super) const READER_STACK: usize = 128 * 1024;

/// How many read chunks may wait for this thread (bounds memory at 4 × 256 KiB).
pub(super) const READ_QUEUE: usize = 4;

/// How many read buffers the conversation hands back to its reader for reuse: enough
/// for every chunk in flight (the queue, the one being handled and the one being read).
pub(super) const SPARE_BUFFERS: usize = READ_QUEUE + 2;

/// A flood beside other conversations may take this much at once before its pace holds.
const FLOOD_PACE_BURST: u64 = 4 * READ_CHUNK as u64;

/// A read buffer: the bytes read, and the place in the [`ReadPool`] a big one holds
/// (given back when the buffer is dropped).
pub(super) struct Chunk {
    /// The bytes (a buffer to read into, while the reader has it).
    pub bytes: Vec<u8>,
    _big: Option<BigRead>,
}

impl Chunk {
    fn small(size: usize) -> Chunk {
        Chunk {
            bytes: vec![0u8; size],
            _big: None,
        }
    }
}

/// What the reader hands the conversation: a chunk, the end, or why reading failed.
pub(super) enum ReadEvent {
    /// Bytes, and when they were read (free talk groups them by the pauses between).
    Data(Chunk, Instant),
    Eof,
    Failed(io::Error),
}

/// Reads `stream` until it ends or fails, handing every chunk (and then the end) to
/// the conversation; reads into the buffers it hands back over `spare`.
pub(super) fn read_loop(
    mut stream: TcpStream,
    chunks: &Sender<ReadEvent>,
    spare: &Receiver<Chunk>,
    links: &Links,
    pool: &Arc<ReadPool>,
) {
    let mut size = SMALL_READ;
    // Big reads in a row, up to the point where the peer counts as flooding.
    let mut full_reads = 0;
    let clock_zero = Instant::now();
    // Set the first time the peer floods while other conversations are live.
    let mut pace: Option<Bucket> = None;
    loop {
        let mut buf = next_buffer(spare, size, pool);
        // Smaller than `size` when every big buffer is in use.
        let this_read = buf.bytes.len();
        let mut read = 0;
        let event = match stream.read(&mut buf.bytes) {
            Ok(0) => ReadEvent::Eof,
            Ok(n) => {
                buf.bytes.truncate(n);
                read = n;
                if n == this_read && size < READ_CHUNK {
                    // The peer sends more than a chat message at a time: read in big chunks.
                    size = READ_CHUNK;
                } else if n == READ_CHUNK && full_reads < FLOOD_READS {
                    full_reads += 1;
                } else if n < this_read && size > SMALL_READ {
                    // The burst is over: read small again (the big spares are let go).
                    size = SMALL_READ;
                    full_reads = 0;
                } else if n < READ_CHUNK && full_reads < FLOOD_READS {
                    full_reads = 0;
                }
                ReadEvent::Data(buf, Instant::now())
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => ReadEvent::Failed(e),
        };
        let last = !matches!(event, ReadEvent::Data(..));
        if chunks.send(event).is_err() || last {
            return;
        }
        // A flood beside other conversations gives way to them: a lower priority, and
        // reads at most at FLOOD_BESIDE_PER_SECOND while they are live. Alone, it is read
        // as fast as it comes (the window and the file only keep the capped part anyway).
        if full_reads == FLOOD_READS && links.len() > 1 {
            let bucket = pace.get_or_insert_with(|| {
                crate::net::give_way();
                Bucket::new(FLOOD_PACE_BURST, FLOOD_BESIDE_PER_SECOND)
            });
            bucket.refill(clock_zero.elapsed());
            let wait = bucket.wait_for(read as u64);
            if !wait.is_zero() {
                // Short (2.5 ms for a full read): a stop still ends the next read at once.
                std::thread::sleep(wait);
                bucket.refill(clock_zero.elapsed());
            }
            bucket.take(read as u64);
        }
    }
}

/// A buffer of `size` bytes for the next read: one the conversation has handed back if
/// there is one of about that size (a flood then costs no allocation and no copy per
/// read), else a new one. Spares much bigger than `size` (left from a burst) are freed.
/// A new big buffer needs a place in `pool`; without one, the read is small.
fn next_buffer(spare: &Receiver<Chunk>, size: usize, pool: &Arc<ReadPool>) -> Chunk {
    while let Ok(mut buf) = spare.try_recv() {
        if fits_reuse(buf.bytes.capacity(), size) {
            buf.bytes.resize(size, 0);
            return buf;
        }
    }
    if size <= SMALL_READ {
        return Chunk::small(size);
    }
    match pool.try_take() {
        Some(place) => Chunk {
            bytes: vec![0u8; size],
            _big: Some(place),
        },
        None => Chunk::small(SMALL_READ),
    }
}

/// Whether a spare buffer of `capacity` is reused for a read of `size`: exactly that
/// size, so a burst's big buffer is not kept for small reads (and a read that fills the
/// buffer fills its capacity: see [`give_back`]).
fn fits_reuse(capacity: usize, size: usize) -> bool {
    capacity == size
}

/// The conversation is done with a chunk: a full one goes back to the reader for reuse
/// (the burst goes on); a short one means the socket was drained, the burst is over, so
/// it and every spare still waiting are freed (the reader reads small again).
pub(super) fn give_back(spare: &Sender<Chunk>, spares: &Receiver<Chunk>, chunk: Chunk) {
    if chunk.bytes.len() == chunk.bytes.capacity() && chunk.bytes.len() > SMALL_READ {
        let _ = spare.try_send(chunk);
    } else {
        drop(chunk);
        while spares.try_recv().is_ok() {}
    }
}

/// Why a conversation ends when its read failed (a stop shuts the socket down, so a
/// read that fails after one is no failure).
pub(super) fn read_failure(e: &io::Error, stop: &StopSwitch) -> EndReason {
    if stop.is_stopped() {
        return EndReason::Stopped;
    }
    match e.kind() {
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => EndReason::Reset,
        _ => EndReason::Failed {
            detail: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bursts_big_buffers_are_not_kept_for_small_reads() {
        assert!(fits_reuse(READ_CHUNK, READ_CHUNK));
        assert!(fits_reuse(SMALL_READ, SMALL_READ));
        assert!(!fits_reuse(READ_CHUNK, SMALL_READ), "freed after a burst");
        assert!(!fits_reuse(SMALL_READ, READ_CHUNK));
        let pool = Arc::new(ReadPool::new(SPARE_BUFFERS));
        let none = crossbeam_channel::never();
        let (tx, rx) = crossbeam_channel::bounded(SPARE_BUFFERS);
        for _ in 0..SPARE_BUFFERS {
            tx.send(next_buffer(&none, READ_CHUNK, &pool))
                .expect("room");
        }
        assert_eq!(pool.alive().0, SPARE_BUFFERS);
        let buf = next_buffer(&rx, SMALL_READ, &pool);
        assert_eq!(buf.bytes.len(), SMALL_READ);
        assert!(
            buf.bytes.capacity() < READ_CHUNK,
            "a small buffer, not a spare"
        );
        assert!(rx.is_empty(), "the big spares were let go");
        assert_eq!(pool.alive().0, 0, "and their places in the pool");
    }

    #[test]
    fn a_short_chunk_ends_the_burst_and_frees_the_spares() {
        let pool = Arc::new(ReadPool::new(8));
        let none = crossbeam_channel::never();
        let (tx, rx) = crossbeam_channel::bounded(SPARE_BUFFERS);
        give_back(&tx, &rx, next_buffer(&none, READ_CHUNK, &pool));
        give_back(&tx, &rx, next_buffer(&none, READ_CHUNK, &pool));
        assert_eq!(rx.len(), 2, "full chunks are reused");
        let mut short = next_buffer(&none, READ_CHUNK, &pool);
        short.bytes.truncate(1000);
        give_back(&tx, &rx, short);
        assert!(rx.is_empty(), "nothing of the burst is kept");
        assert_eq!(pool.alive().0, 0);
    }

    #[test]
    fn with_every_big_buffer_in_use_a_reader_reads_small() {
        let pool = Arc::new(ReadPool::new(1));
        let none = crossbeam_channel::never();
        let big = next_buffer(&none, READ_CHUNK, &pool);
        assert_eq!(big.bytes.len(), READ_CHUNK);
        let small = next_buffer(&none, READ_CHUNK, &pool);
        assert_eq!(small.bytes.len(), SMALL_READ, "the pool is empty");
        drop(big);
        assert_eq!(
            next_buffer(&none, READ_CHUNK, &pool).bytes.len(),
            READ_CHUNK
        );
    }
}
