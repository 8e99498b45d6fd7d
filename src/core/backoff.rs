//! The acceptor's back-off after a failed `accept`: out of descriptors or memory is a
//! temporary state of the machine, not the end of the server, so it waits (10 ms, doubling
//! to at most 500 ms) and tries again, for as long as the error lasts.

use std::time::Duration;

/// The first wait after a failure.
pub const FIRST: Duration = Duration::from_millis(10);
/// The longest wait between tries.
pub const MOST: Duration = Duration::from_millis(500);

/// The wait before the next `accept`, doubling from [`FIRST`] to [`MOST`] while accepts
/// fail, back to [`FIRST`] after one succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: FIRST }
    }
}

impl Backoff {
    /// An accept failed: how long to wait before trying again.
    pub fn failed(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(MOST);
        wait
    }

    /// An accept succeeded: the next failure starts from [`FIRST`] again.
    pub fn succeeded(&mut self) {
        self.next = FIRST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_most_and_stay_there() {
        let mut b = Backoff::default();
        let waits: Vec<u64> = (0..9).map(|_| b.failed().as_millis() as u64).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 500, 500, 500]);
    }

    #[test]
    fn a_success_starts_again_from_the_first_wait() {
        let mut b = Backoff::default();
        b.failed();
        b.failed();
        b.succeeded();
        assert_eq!(b.failed(), FIRST);
    }
}
