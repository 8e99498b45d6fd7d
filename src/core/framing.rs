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

#[cfg(test)]
mod tests {
    use super::*;

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
