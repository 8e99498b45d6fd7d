//! One conversation's protocol logic: turns, streaming decode, `bye`, and limits.
//!
//! [`Conversation`] is what a session's I/O thread consults for every chunk it reads and
//! every message the user wants to send. It owns no socket and reads no clock, so each
//! edge case (a character split across reads, a `bye` that arrives as `b` + `ye`, a flood)
//! is a plain unit test.

use std::fmt;

use super::codec::{StreamDecoder, Unencodable, WireEncoding, encode_guarded};
use super::turn::{Placement, SendBlocked, Turn, TurnPolicy, Turns};

/// The reference peers read with `recv(1024)`: a longer message reaches them in pieces,
/// each of which they take for a whole turn.
pub const REFERENCE_RECV_LIMIT: usize = 1024;

/// How many bytes of one peer message are decoded and shown; the rest is counted, not kept.
pub const DISPLAY_CAP_BYTES: usize = 1024 * 1024;

/// The word that ends a conversation.
pub const BYE: &str = "bye";

/// Whether `text` is the protocol's `bye` (surrounding whitespace ignored).
pub fn is_bye(text: &str) -> bool {
    text.trim() == BYE
}

/// What became of one chunk of peer bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// Whether the chunk starts a new peer message or continues the open one.
    pub placement: Placement,
    /// The newly complete text (a partial character waits for the next chunk).
    pub text: String,
    /// How many leading bytes of the chunk were kept (the rest exceeded the display cap).
    pub kept: usize,
    /// How many bytes of the chunk were beyond [`DISPLAY_CAP_BYTES`] and not kept.
    pub cut: usize,
    /// The peer message, so far, is exactly `bye`: the conversation is over.
    pub said_bye: bool,
}

/// A message ready for the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The text as the user wrote it.
    pub text: String,
    /// Its exact wire bytes.
    pub bytes: Vec<u8>,
    /// Sending it ends the conversation.
    pub is_bye: bool,
}

impl Outgoing {
    /// Whether a reference peer would read this as more than one turn.
    pub fn over_reference_limit(&self) -> bool {
        self.bytes.len() > REFERENCE_RECV_LIMIT
    }
}

/// Why a message cannot be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// Nothing to send (the reference would send zero bytes and both sides would wait forever).
    Empty,
    /// Not now: see [`SendBlocked`].
    Blocked(SendBlocked),
    /// Some characters cannot be read by the peer.
    Unencodable(Unencodable),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Empty => f.write_str("Type a message first."),
            SendError::Blocked(b) => b.fmt(f),
            SendError::Unencodable(u) => u.fmt(f),
        }
    }
}

impl std::error::Error for SendError {}

/// How many bytes of a peer message are kept to recognise `bye`.
const BYE_PROBE_BYTES: usize = 64;

/// The protocol state of one conversation.
#[derive(Debug)]
pub struct Conversation {
    encoding: WireEncoding,
    turns: Turns,
    decoder: StreamDecoder,
    /// Bytes of the open peer message received so far (kept or not).
    message_bytes: usize,
    /// The open peer message's text while it is short enough to be `bye`.
    bye_probe: String,
}

impl Conversation {
    /// A conversation in which `first` speaks first.
    pub fn new(encoding: WireEncoding, policy: TurnPolicy, first: Turn) -> Self {
        Conversation {
            encoding,
            turns: Turns::new(policy, first),
            decoder: StreamDecoder::new(encoding),
            message_bytes: 0,
            bye_probe: String::new(),
        }
    }

    /// The wire encoding.
    pub fn encoding(&self) -> WireEncoding {
        self.encoding
    }

    /// Reads and writes `encoding` from now on. A partial character held back from the
    /// open peer message is dropped from the text (its bytes are kept by the caller, which
    /// decodes what was received again in the new encoding).
    pub fn set_encoding(&mut self, encoding: WireEncoding) {
        self.encoding = encoding;
        self.decoder = StreamDecoder::new(encoding);
    }

    /// Whose turn it is.
    pub fn turn(&self) -> Turn {
        self.turns.turn()
    }

    /// Whether the conversation has ended.
    pub fn is_ended(&self) -> bool {
        self.turns.is_ended()
    }

    /// Takes a chunk of bytes from the peer.
    pub fn receive(&mut self, bytes: &[u8]) -> Incoming {
        let placement = self.turns.on_peer_bytes();
        if placement == Placement::NewMessage {
            self.message_bytes = 0;
            self.bye_probe.clear();
        }
        let room = DISPLAY_CAP_BYTES.saturating_sub(self.message_bytes);
        let kept = bytes.len().min(room);
        let cut = bytes.len() - kept;
        self.message_bytes = self.message_bytes.saturating_add(bytes.len());
        let mut text = String::new();
        self.decoder.decode(&bytes[..kept], &mut text);
        let said_bye = if self.message_bytes <= BYE_PROBE_BYTES {
            self.bye_probe.push_str(&text);
            is_bye(&self.bye_probe)
        } else {
            false
        };
        Incoming {
            placement,
            text,
            kept,
            cut,
            said_bye,
        }
    }

    /// Checks and encodes a message the user wants to send now.
    pub fn prepare(&self, text: &str) -> Result<Outgoing, SendError> {
        if text.is_empty() {
            return Err(SendError::Empty);
        }
        self.turns.can_send().map_err(SendError::Blocked)?;
        let bytes = encode_guarded(self.encoding, text).map_err(SendError::Unencodable)?;
        Ok(Outgoing {
            text: text.to_owned(),
            bytes,
            is_bye: is_bye(text),
        })
    }

    /// `bye`, which may be said at any time until the conversation ends.
    pub fn prepare_bye(&self) -> Result<Outgoing, SendError> {
        if self.turns.is_ended() {
            return Err(SendError::Blocked(SendBlocked::Ended));
        }
        Ok(Outgoing {
            text: BYE.to_owned(),
            bytes: BYE.as_bytes().to_vec(),
            is_bye: true,
        })
    }

    /// Records that a message went out. Closes the peer's open message; returns the text
    /// of any partial character the peer left dangling (as U+FFFD), which belongs to it.
    pub fn sent(&mut self, outgoing: &Outgoing) -> Option<String> {
        let mut tail = String::new();
        self.decoder.finish(&mut tail);
        self.turns.on_sent();
        if outgoing.is_bye {
            self.turns.end();
        }
        (!tail.is_empty()).then_some(tail)
    }

    /// The conversation is over (peer left, bye, error). Returns the U+FFFD for a partial
    /// character the peer left dangling, if any.
    pub fn end(&mut self) -> Option<String> {
        let mut tail = String::new();
        self.decoder.finish(&mut tail);
        self.turns.end();
        (!tail.is_empty()).then_some(tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WELCOME: &str = "欢迎您的使用";
    const WELCOME_GBK: [u8; 12] = [
        0xbb, 0xb6, 0xd3, 0xad, 0xc4, 0xfa, 0xb5, 0xc4, 0xca, 0xb9, 0xd3, 0xc3,
    ];

    fn client() -> Conversation {
        Conversation::new(WireEncoding::Gbk, TurnPolicy::Strict, Turn::Theirs)
    }

    #[test]
    fn welcome_split_at_every_position_decodes_whole() {
        for cut in 0..=WELCOME_GBK.len() {
            let mut c = client();
            let a = c.receive(&WELCOME_GBK[..cut]);
            let b = c.receive(&WELCOME_GBK[cut..]);
            assert_eq!(format!("{}{}", a.text, b.text), WELCOME, "cut at {cut}");
            assert_eq!(b.placement, Placement::Continues);
            // A cut inside a character shows nothing broken: the half waits.
            assert!(!a.text.contains('\u{FFFD}'), "cut at {cut}: {:?}", a.text);
        }
    }

    #[test]
    fn one_byte_drip_is_one_message() {
        let mut c = client();
        let mut text = String::new();
        for (i, b) in WELCOME_GBK.iter().enumerate() {
            let inc = c.receive(&[*b]);
            let expect = if i == 0 {
                Placement::NewMessage
            } else {
                Placement::Continues
            };
            assert_eq!(inc.placement, expect);
            text.push_str(&inc.text);
        }
        assert_eq!(text, WELCOME);
        assert_eq!(c.turn(), Turn::Mine);
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut c = client();
        // 0xFF is never valid; 0x81 0x20 is a lead byte followed by a non-trail byte.
        let inc = c.receive(&[b'a', 0xff, b'b', 0x81, 0x20, b'c']);
        assert_eq!(inc.text, "a\u{FFFD}b\u{FFFD} c");
        assert_eq!(inc.kept, 6);
    }

    #[test]
    fn lone_lead_byte_at_end_of_turn_is_shown_when_we_reply() {
        let mut c = client();
        let inc = c.receive(&[0xc4, 0xe3, 0xba]); // 你 + half of 好
        assert_eq!(inc.text, "你");
        let out = c.prepare("好").expect("sendable");
        assert_eq!(c.sent(&out), Some("\u{FFFD}".to_owned()));
        // The next peer message starts clean: the stale half does not glue onto it.
        let inc = c.receive(&[0xba, 0xc3]);
        assert_eq!(inc.text, "好");
        assert_eq!(inc.placement, Placement::NewMessage);
    }

    #[test]
    fn bye_is_recognised_whole_split_and_padded_but_not_inside_text() {
        let mut c = client();
        assert!(!c.receive(b"b").said_bye);
        assert!(c.receive(b"ye").said_bye);

        let mut c = client();
        assert!(c.receive(b"  bye\r\n").said_bye);

        let mut c = client();
        assert!(!c.receive(b"goodbye").said_bye);
        let mut c = client();
        assert!(!c.receive(b"bye bye").said_bye);
    }

    #[test]
    fn sending_enforces_turns_and_recognises_bye() {
        let mut c = client();
        assert_eq!(
            c.prepare("你好"),
            Err(SendError::Blocked(SendBlocked::NotYourTurn))
        );
        c.receive(&WELCOME_GBK);
        let out = c.prepare("你好服务端").expect("our turn");
        assert_eq!(
            out.bytes,
            [0xc4, 0xe3, 0xba, 0xc3, 0xb7, 0xfe, 0xce, 0xf1, 0xb6, 0xcb]
        );
        assert!(!out.is_bye);
        c.sent(&out);
        assert_eq!(
            c.prepare("again"),
            Err(SendError::Blocked(SendBlocked::NotYourTurn))
        );
        // bye is allowed out of turn, and ends the conversation.
        let bye = c.prepare_bye().expect("bye any time");
        assert_eq!(bye.bytes, b"bye");
        c.sent(&bye);
        assert!(c.is_ended());
        assert_eq!(c.prepare_bye(), Err(SendError::Blocked(SendBlocked::Ended)));
    }

    #[test]
    fn typed_bye_counts_as_bye() {
        let mut c = client();
        c.receive(&WELCOME_GBK);
        assert!(c.prepare(" bye ").expect("sendable").is_bye);
        assert_eq!(c.prepare(""), Err(SendError::Empty));
    }

    #[test]
    fn unencodable_text_is_refused_with_every_character_named() {
        let mut c = client();
        c.receive(&WELCOME_GBK);
        let err = c.prepare("价格 €5 😀 ok 😀").expect_err("refused");
        let SendError::Unencodable(u) = err else {
            panic!("wrong error {err:?}")
        };
        assert_eq!(u.chars, vec!['€', '😀']);
        let sentence = u.to_string();
        assert!(
            sentence.contains("U+20AC") && sentence.contains("U+1F600"),
            "{sentence}"
        );
    }

    #[test]
    fn long_messages_are_flagged_for_the_reference_limit() {
        let mut c = client();
        c.receive(&WELCOME_GBK);
        assert!(
            !c.prepare(&"中".repeat(512))
                .expect("ok")
                .over_reference_limit()
        );
        assert!(
            c.prepare(&"中".repeat(513))
                .expect("ok")
                .over_reference_limit()
        );
    }

    #[test]
    fn a_flood_is_capped_per_message_and_the_rest_counted() {
        let mut c = client();
        let chunk = vec![b'x'; 300 * 1024];
        let mut kept = 0;
        let mut cut = 0;
        for _ in 0..5 {
            let inc = c.receive(&chunk);
            kept += inc.kept;
            cut += inc.cut;
            assert_eq!(inc.text.len(), inc.kept);
        }
        assert_eq!(kept, DISPLAY_CAP_BYTES);
        assert_eq!(cut, 5 * 300 * 1024 - DISPLAY_CAP_BYTES);
        // The next message after our reply starts a fresh allowance.
        let out = c.prepare("ok").expect("our turn");
        c.sent(&out);
        assert_eq!(c.receive(&chunk).kept, chunk.len());
    }
}
