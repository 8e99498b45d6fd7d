//! What all conversations may hold in memory on their way to the window, together.
//!
//! Each conversation is bounded on its own (a small queue of read chunks, a 1 MiB display
//! cap per message), but a classroom of 200 peers each sending a big message at once
//! would still hold hundreds of megabytes: every reader's queue full of big chunks, and
//! the window's event channel full of decoded text it has not taken yet. Two budgets,
//! shared by every conversation of a [`super::Backend`], bound that:
//!
//! - [`Flight`]: the peer text and bytes sent to the window and not yet taken by it. A
//!   conversation reserves room before it decodes a chunk and waits while the window is
//!   that far behind: its reader stops, and TCP slows the peer down, so nothing is lost,
//!   only delayed. Each [`Event::Received`](super::event::Event::Received) carries its
//!   share ([`InFlight`]) and gives it back when the window drops it.
//! - [`ReadPool`]: the big read buffers (256 KiB) alive across all readers. A reader that
//!   finds none free reads in small buffers until one is.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::StopSwitch;

/// Peer text and bytes on their way to the window, at most (all conversations).
pub const FLIGHT_BYTES: u64 = 16 * 1024 * 1024;

/// Big read buffers alive at once, at most (all conversations): 16 MiB of 256 KiB.
pub const BIG_READS: usize = 64;

/// How often a conversation waiting for the window looks at its stop switch.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// What the conversations of a backend hold now ([`super::Backend::memory_in_use`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InUse {
    /// Bytes of peer text and bytes on their way to the window.
    pub in_flight: u64,
    /// The most that has been on its way at once.
    pub in_flight_peak: u64,
    /// Big read buffers alive (of [`BIG_READS`], 256 KiB each).
    pub big_reads: usize,
    /// The most that have been alive at once.
    pub big_reads_peak: usize,
}

/// The two budgets, shared by a backend's conversations.
#[derive(Debug)]
pub(crate) struct Budgets {
    /// Text and bytes on their way to the window.
    pub flight: Arc<Flight>,
    /// Big read buffers.
    pub reads: Arc<ReadPool>,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            flight: Arc::new(Flight::new(FLIGHT_BYTES)),
            reads: Arc::new(ReadPool::new(BIG_READS)),
        }
    }
}

/// The budget for what is on its way to the window.
#[derive(Debug)]
pub(crate) struct Flight {
    /// What is on its way now, and the most there has been.
    held: Mutex<(u64, u64)>,
    freed: Condvar,
    limit: u64,
}

impl Flight {
    pub(crate) fn new(limit: u64) -> Flight {
        Flight {
            held: Mutex::new((0, 0)),
            freed: Condvar::new(),
            limit,
        }
    }

    /// What is on its way now, and the most there has been at once.
    pub(crate) fn held(&self) -> (u64, u64) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `need` more bytes fit (or nothing is on its way, so that a need over
    /// the limit still goes through alone), then reserves them. A stop ends the wait with
    /// an empty reservation: the conversation is ending, what it still sends is small.
    pub(crate) fn reserve(self: &Arc<Self>, need: u64, stop: &StopSwitch) -> Reservation {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        while held.0 > 0 && held.0.saturating_add(need) > self.limit {
            if stop.is_stopped() {
                return Reservation::empty();
            }
            held = self
                .freed
                .wait_timeout(held, STOP_CHECK)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        grow(&mut held, need);
        Reservation {
            flight: Some(Arc::clone(self)),
            bytes: need,
        }
    }

    /// Adds `bytes` without waiting (what a reservation did not foresee).
    fn add(&self, bytes: u64) {
        grow(
            &mut self.held.lock().unwrap_or_else(PoisonError::into_inner),
            bytes,
        );
    }

    fn give_back(&self, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.0 = held.0.saturating_sub(bytes);
        drop(held);
        self.freed.notify_all();
    }
}

/// Adds `bytes` to what is held, and to the most held if it is more now.
fn grow(held: &mut (u64, u64), bytes: u64) {
    held.0 = held.0.saturating_add(bytes);
    held.1 = held.1.max(held.0);
}

/// Room reserved for the events of one chunk; what is not used goes back when dropped.
#[derive(Debug, Default)]
pub(crate) struct Reservation {
    flight: Option<Arc<Flight>>,
    bytes: u64,
}

impl Reservation {
    fn empty() -> Reservation {
        Reservation::default()
    }

    /// The share of an event holding `bytes`, taken from this reservation (and beyond it,
    /// if it was too small).
    pub(crate) fn take(&mut self, bytes: u64) -> InFlight {
        let Some(flight) = &self.flight else {
            return InFlight::default();
        };
        let from_here = bytes.min(self.bytes);
        self.bytes -= from_here;
        if bytes > from_here {
            flight.add(bytes - from_here);
        }
        InFlight {
            flight: Some(Arc::clone(flight)),
            bytes,
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if let Some(flight) = &self.flight {
            flight.give_back(self.bytes);
        }
    }
}

/// An event's share of what is on its way to the window, given back when the event is
/// dropped (once the window has taken its text). A clone holds no share.
#[derive(Default)]
pub struct InFlight {
    flight: Option<Arc<Flight>>,
    bytes: u64,
}

impl InFlight {
    /// The bytes this share holds.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Clone for InFlight {
    fn clone(&self) -> Self {
        InFlight::default()
    }
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InFlight({})", self.bytes)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(flight) = &self.flight {
            flight.give_back(self.bytes);
        }
    }
}

/// The big read buffers alive across all readers.
#[derive(Debug)]
pub(crate) struct ReadPool {
    alive: AtomicUsize,
    /// The most that have been alive at once.
    peak: AtomicUsize,
    limit: usize,
}

impl ReadPool {
    pub(crate) fn new(limit: usize) -> ReadPool {
        ReadPool {
            alive: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            limit,
        }
    }

    /// A permit for one more big buffer, if fewer than the limit are alive.
    pub(crate) fn try_take(self: &Arc<Self>) -> Option<BigRead> {
        self.alive
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.limit).then_some(n + 1)
            })
            .ok()
            .map(|before| {
                self.peak.fetch_max(before + 1, Ordering::AcqRel);
                BigRead {
                    pool: Arc::clone(self),
                }
            })
    }

    /// How many big buffers are alive, and the most that have been at once.
    pub(crate) fn alive(&self) -> (usize, usize) {
        (
            self.alive.load(Ordering::Acquire),
            self.peak.load(Ordering::Acquire),
        )
    }
}

/// One big buffer's place in the [`ReadPool`], given back when dropped.
#[derive(Debug)]
pub(crate) struct BigRead {
    pool: Arc<ReadPool>,
}

impl Drop for BigRead {
    fn drop(&mut self) {
        self.pool.alive.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_event_holds_goes_back_when_it_is_dropped() {
        let flight = Arc::new(Flight::new(100));
        let stop = StopSwitch::default();
        let mut r = flight.reserve(40, &stop);
        assert_eq!(flight.held().0, 40);
        let a = r.take(10);
        drop(r);
        assert_eq!(flight.held().0, 10, "the unused 30 went back");
        let mut r = flight.reserve(20, &stop);
        let b = r.take(50); // 30 beyond the reservation
        assert_eq!(flight.held().0, 60);
        drop(r);
        assert_eq!(flight.held().0, 60, "all of it was used");
        let copy = a.clone();
        drop(copy);
        assert_eq!(flight.held().0, 60, "a clone holds nothing");
        drop(a);
        drop(b);
        assert_eq!(flight.held().0, 0);
    }

    #[test]
    fn a_conversation_waits_while_the_window_is_behind_and_goes_on_when_it_catches_up() {
        let flight = Arc::new(Flight::new(100));
        let stop = Arc::new(StopSwitch::default());
        let mut first = flight.reserve(80, &stop);
        let held = first.take(80);
        let (tx, rx) = crossbeam_channel::bounded(1);
        let waiter = {
            let (flight, stop) = (Arc::clone(&flight), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("test-flight-waiter".into())
                .spawn(move || {
                    let r = flight.reserve(40, &stop);
                    tx.send(r.bytes).expect("send");
                })
                .expect("spawn")
        };
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "80 + 40 is over 100: it waits"
        );
        drop(held);
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(40));
        waiter.join().expect("join");
        assert_eq!(flight.held().0, 0);
    }

    #[test]
    fn a_stop_ends_the_wait() {
        let flight = Arc::new(Flight::new(10));
        let stop = StopSwitch::default();
        let mut r = flight.reserve(10, &stop);
        let _held = r.take(10);
        stop.stop();
        let late = flight.reserve(10, &stop);
        assert_eq!(late.bytes, 0);
    }

    #[test]
    fn a_need_over_the_limit_goes_through_alone() {
        let flight = Arc::new(Flight::new(10));
        let r = flight.reserve(50, &StopSwitch::default());
        assert_eq!(flight.held().0, 50);
        drop(r);
        assert_eq!(flight.held().0, 0);
    }

    #[test]
    fn the_pool_gives_at_most_its_limit_of_big_buffers() {
        let pool = Arc::new(ReadPool::new(2));
        let a = pool.try_take().expect("first");
        let _b = pool.try_take().expect("second");
        assert!(pool.try_take().is_none());
        drop(a);
        assert!(
            pool.try_take().is_some(),
            "a place again once one is dropped"
        );
        assert_eq!(
            pool.alive(),
            (1, 2),
            "the second only: the third was dropped at once"
        );
    }
}
