//! Where one peer message ends and the next begins when turns do not say it: line endings
//! and bursts.
//!
//! The reference protocol has no terminator: a message is a turn. For peers such as
//! netcat or a device, TurnChat can also end each message we send with a line ending, and
//! split what arrives at line ends or, in free talk, at a pause (a *burst* is bytes that
//! arrive less than [`BURST_GAP`] apart). The decision itself lives in
//! [`crate::core::conversation::Conversation::receive_at`]; the session supplies the times.

use std::time::Duration;

/// What ends each message we send, and where received text is split.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum LineEnding {
    /// Nothing, as the reference protocol: a message is a turn.
    #[default]
    None,
    /// `\n` (netcat, Unix programs).
    Lf,
    /// `\r\n` (Windows programs, many devices).
    Crlf,
}

impl LineEnding {
    /// Every choice, in the order the form lists them.
    pub const ALL: [LineEnding; 3] = [LineEnding::None, LineEnding::Lf, LineEnding::Crlf];

    /// The bytes appended to each message we send.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            LineEnding::None => b"",
            LineEnding::Lf => b"\n",
            LineEnding::Crlf => b"\r\n",
        }
    }

    /// The spelling of the launch flag and the transcript header (`none`, `lf`, `crlf`).
    pub fn label(self) -> &'static str {
        match self {
            LineEnding::None => "none",
            LineEnding::Lf => "lf",
            LineEnding::Crlf => "crlf",
        }
    }

    /// The inverse of [`LineEnding::label`] (any case).
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.label().eq_ignore_ascii_case(label.trim()))
    }

    /// Whether received text is split into messages at line ends.
    pub fn splits(self) -> bool {
        self != LineEnding::None
    }
}

/// In free talk, bytes that arrive at least this long after the previous ones start a new
/// message (with a line ending set: the unterminated line so far stands as a message).
pub const BURST_GAP: Duration = Duration::from_millis(100);

/// Line ends may start this many new messages at once; after that, [`LINE_MESSAGES_PER_SECOND`].
/// A peer that sends lines faster sees them joined into one message (still capped) instead
/// of a million tiny ones: nothing a peer sends can flood the window with messages.
pub const LINE_MESSAGES_BURST: u64 = 200;
/// How many messages line ends may start per second, after the first [`LINE_MESSAGES_BURST`].
pub const LINE_MESSAGES_PER_SECOND: u64 = 50;

/// In free talk a peer needs nobody's turn to send, so what is kept of its bytes is bounded
/// in time too: at most this many at once ...
pub const FREE_KEEP_BURST: u64 = 1024 * 1024;
/// ... and this many per second after that; the rest is counted, not kept.
pub const FREE_KEEP_PER_SECOND: u64 = 64 * 1024;

/// While other conversations are live, a peer that floods (sends big reads back to back)
/// is read at most this fast: about what a gigabit link carries, so a peer on a real LAN
/// never meets it, while a flood over a faster path (loopback, 10 GbE) cannot take the
/// cores the other conversations' turns need. TCP holds the rest back in the peer's
/// socket; nothing is lost.
pub const FLOOD_BESIDE_PER_SECOND: u64 = 100 * 1024 * 1024;

/// A token bucket over the conversation's own clock (times since a fixed point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    tokens: u64,
    capacity: u64,
    per_second: u64,
    /// When it was last refilled, and the fraction of a token (in token·ms) left over.
    last: Option<(Duration, u64)>,
}

impl Bucket {
    /// A full bucket.
    pub fn new(capacity: u64, per_second: u64) -> Self {
        Bucket {
            tokens: capacity,
            capacity,
            per_second,
            last: None,
        }
    }

    /// Adds what the time since the last refill earned (time never runs backwards here).
    pub fn refill(&mut self, at: Duration) {
        let (last, rest) = self.last.unwrap_or((at, 0));
        let elapsed = u64::try_from(at.saturating_sub(last).as_millis()).unwrap_or(u64::MAX);
        let earned = elapsed.saturating_mul(self.per_second).saturating_add(rest);
        self.tokens = self.tokens.saturating_add(earned / 1000).min(self.capacity);
        self.last = Some((at.max(last), earned % 1000));
    }

    /// Takes up to `n` tokens; returns how many it got.
    pub fn take(&mut self, n: u64) -> u64 {
        let got = n.min(self.tokens);
        self.tokens -= got;
        got
    }

    /// Tokens available now.
    pub fn available(&self) -> u64 {
        self.tokens
    }

    /// How long until `n` tokens are available at this bucket's rate (zero if they are
    /// now; `n` above the capacity counts as the capacity).
    pub fn wait_for(&self, n: u64) -> Duration {
        let missing = n.min(self.capacity).saturating_sub(self.tokens);
        if missing == 0 || self.per_second == 0 {
            return Duration::ZERO;
        }
        let nanos = u128::from(missing) * 1_000_000_000 / u128::from(self.per_second);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_says_how_long_until_it_can_give() {
        let mut b = Bucket::new(1000, 100);
        assert_eq!(b.wait_for(1000), Duration::ZERO);
        assert_eq!(b.take(1000), 1000);
        assert_eq!(b.wait_for(50), Duration::from_millis(500));
        assert_eq!(
            b.wait_for(5000),
            Duration::from_secs(10),
            "at most the capacity"
        );
        b.refill(Duration::ZERO);
        b.refill(Duration::from_millis(250));
        assert_eq!(b.wait_for(50), Duration::from_millis(250));
    }

    #[test]
    fn a_bucket_gives_its_capacity_then_its_rate() {
        let mut b = Bucket::new(10, 5);
        b.refill(Duration::ZERO);
        assert_eq!(b.take(7), 7);
        assert_eq!(b.take(7), 3);
        assert_eq!(b.take(1), 0);
        b.refill(Duration::from_millis(100)); // half a token
        assert_eq!(b.take(1), 0);
        b.refill(Duration::from_millis(200)); // the halves add up
        assert_eq!(b.take(5), 1);
        b.refill(Duration::from_secs(100));
        assert_eq!(b.available(), 10, "never over capacity");
        // Time that runs backwards earns nothing and breaks nothing.
        b.refill(Duration::from_secs(1));
        assert_eq!(b.available(), 10);
    }

    #[test]
    fn labels_round_trip_and_default_is_the_reference() {
        for l in LineEnding::ALL {
            assert_eq!(LineEnding::from_label(l.label()), Some(l));
        }
        assert_eq!(LineEnding::from_label("CRLF"), Some(LineEnding::Crlf));
        assert_eq!(LineEnding::from_label("cr"), None);
        assert_eq!(LineEnding::default().bytes(), b"");
        assert!(!LineEnding::default().splits());
    }
}
