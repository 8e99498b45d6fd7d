//! One conversation's protocol logic: turns, streaming decode, `bye`, limits, and where
//! peer messages begin and end.
//!
//! [`Conversation`] is what a session's I/O thread consults for every chunk it reads and
//! every message the user wants to send. It owns no socket and reads no clock (the session
//! says when each chunk arrived), so each edge case (a character split across reads, a
//! `bye` that arrives as `b` + `ye`, a flood, a line split across reads, a pause) is a
//! plain unit test.
//!
//! Where a peer message starts: after each of our sends (the reference protocol); with a
//! line ending set, also after each line end (`\n`, with or without a `\r` before it,
//! whichever ending we send); in free talk, also after a pause of [`BURST_GAP`]. The line
//! ending is not part of the shown text, only of the kept bytes.

use std::ops::Range;
use std::time::Duration;

use super::codec::{StreamDecoder, Unencodable, WireEncoding, decode_lossy, encode_guarded};
use super::framing::{
    BURST_GAP, Bucket, FREE_KEEP_BURST, FREE_KEEP_PER_SECOND, LINE_MESSAGES_BURST,
    LINE_MESSAGES_PER_SECOND, LineEnding,
};
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

/// What became of one chunk of peer bytes, or of one piece of it (a chunk splits into
/// pieces at line ends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// Whether the piece starts a new peer message or continues the open one.
    pub placement: Placement,
    /// The newly complete text (a partial character waits for the next chunk; a line
    /// ending is not shown).
    pub text: String,
    /// Where the piece starts in the chunk.
    pub start: usize,
    /// How many leading bytes of the piece were kept (the rest exceeded the display cap).
    pub kept: usize,
    /// How many bytes of the piece were beyond [`DISPLAY_CAP_BYTES`] and not kept.
    pub cut: usize,
    /// The peer message, so far, is exactly `bye`: the conversation is over.
    pub said_bye: bool,
    /// The piece ends a line, and with it the message.
    pub ends_line: bool,
    /// Some bytes were cut because in free talk the peer sends faster than is kept (not
    /// because the message is over [`DISPLAY_CAP_BYTES`]).
    pub over_rate: bool,
}

impl Incoming {
    /// The piece's kept bytes within its chunk.
    pub fn kept_range(&self) -> Range<usize> {
        self.start..self.start + self.kept
    }
}

/// A message ready for the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The text as the user wrote it (for bytes typed as hex: those bytes decoded).
    pub text: String,
    /// Its exact wire bytes (with the line ending, if one is set).
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

/// How many bytes of a peer message are kept to recognise `bye`.
const BYE_PROBE_BYTES: usize = 64;

/// The protocol state of one conversation.
#[derive(Debug)]
pub struct Conversation {
    encoding: WireEncoding,
    line_ending: LineEnding,
    turns: Turns,
    decoder: StreamDecoder,
    /// Bytes of the open peer message received so far (kept or not).
    message_bytes: usize,
    /// The open peer message's text while it is short enough to be `bye`.
    bye_probe: String,
    /// When the last chunk arrived (for the burst gap of free talk).
    last_at: Option<Duration>,
    /// The open message's kept bytes end in `\r`, not yet decoded: a `\n` next makes it
    /// a line ending; anything else makes it text.
    pending_cr: bool,
    /// How many more messages line ends may start now.
    line_budget: Bucket,
    /// In free talk, how many more peer bytes may be kept now.
    keep_budget: Bucket,
}

impl Conversation {
    /// A conversation in which `first` speaks first.
    pub fn new(encoding: WireEncoding, policy: TurnPolicy, first: Turn) -> Self {
        Conversation {
            encoding,
            line_ending: LineEnding::None,
            turns: Turns::new(policy, first),
            decoder: StreamDecoder::new(encoding),
            message_bytes: 0,
            bye_probe: String::new(),
            last_at: None,
            pending_cr: false,
            line_budget: Bucket::new(LINE_MESSAGES_BURST, LINE_MESSAGES_PER_SECOND),
            keep_budget: Bucket::new(FREE_KEEP_BURST, FREE_KEEP_PER_SECOND),
        }
    }

    /// The same conversation with `ending` after each message we send and received text
    /// split at line ends.
    pub fn with_line_ending(mut self, ending: LineEnding) -> Self {
        self.line_ending = ending;
        self
    }

    /// The line ending.
    pub fn line_ending(&self) -> LineEnding {
        self.line_ending
    }

    /// How strictly turns are kept.
    pub fn policy(&self) -> TurnPolicy {
        self.turns.policy()
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

    /// Takes a chunk of bytes from the peer, all of it at once: its pieces (see
    /// [`Conversation::receive_at`]) joined into one. For callers that do not show line
    /// splits; no pause is ever seen.
    pub fn receive(&mut self, bytes: &[u8]) -> Incoming {
        let at = self.last_at.unwrap_or_default();
        let mut pieces = self.receive_at(bytes, at).into_iter();
        let mut whole = pieces.next().unwrap_or(Incoming {
            placement: Placement::Continues,
            text: String::new(),
            start: 0,
            kept: 0,
            cut: 0,
            said_bye: false,
            ends_line: false,
            over_rate: false,
        });
        for p in pieces {
            whole.text.push_str(&p.text);
            whole.kept += p.kept;
            whole.cut += p.cut;
            whole.said_bye |= p.said_bye;
            whole.ends_line = p.ends_line;
            whole.over_rate |= p.over_rate;
        }
        whole
    }

    /// Takes a chunk of bytes from the peer that arrived `at` (time since any fixed point,
    /// the same for the whole conversation). Returns its pieces in order: each starts a
    /// new peer message or continues the open one. There is always at least one; a piece
    /// may carry no bytes (the U+FFFD of a partial character left at a pause).
    pub fn receive_at(&mut self, bytes: &[u8], at: Duration) -> Vec<Incoming> {
        let mut pieces = Vec::new();
        let paused = self.turns.policy() == TurnPolicy::Free
            && self
                .last_at
                .is_some_and(|last| at.saturating_sub(last) >= BURST_GAP);
        self.last_at = Some(at);
        self.line_budget.refill(at);
        self.keep_budget.refill(at);
        if paused && self.turns.peer_message_open() {
            // The burst before the pause is a message of its own.
            let tail = self.close_peer_text();
            self.turns.close_peer_message();
            if !tail.is_empty() {
                pieces.push(Incoming {
                    placement: Placement::Continues,
                    text: tail,
                    start: 0,
                    kept: 0,
                    cut: 0,
                    said_bye: false,
                    ends_line: false,
                    over_rate: false,
                });
            }
        }
        let mut start = 0;
        loop {
            let line_end = match self.line_ending.splits() {
                true => bytes[start..].iter().position(|&b| b == b'\n'),
                false => None,
            };
            // A line end starts a new message while the budget allows; past it, the rest
            // of the chunk joins the open message.
            let (end, ends_line) = match line_end {
                Some(i) if self.line_budget.take(1) == 1 => (start + i + 1, true),
                _ => (bytes.len(), false),
            };
            pieces.push(self.take_piece(&bytes[start..end], start, ends_line));
            start = end;
            if start >= bytes.len() {
                return pieces;
            }
        }
    }

    /// One piece: up to and including a line end (`ends_line`), or the rest of the chunk.
    fn take_piece(&mut self, piece: &[u8], start: usize, ends_line: bool) -> Incoming {
        let placement = self.turns.on_peer_bytes();
        if placement == Placement::NewMessage {
            self.message_bytes = 0;
            self.bye_probe.clear();
            self.pending_cr = false;
        }
        let room = DISPLAY_CAP_BYTES.saturating_sub(self.message_bytes);
        let mut kept = piece.len().min(room);
        let mut over_rate = false;
        if self.turns.policy() == TurnPolicy::Free {
            let allowed = self.keep_budget.take(kept as u64) as usize;
            over_rate = allowed < kept;
            kept = allowed;
        }
        let cut = piece.len() - kept;
        self.message_bytes = self.message_bytes.saturating_add(piece.len());
        let mut body = &piece[..kept];
        let mut text = String::new();
        if self.line_ending.splits() {
            if self.pending_cr && !body.is_empty() {
                self.pending_cr = false;
                if body[0] != b'\n' {
                    // The `\r` at the end of the last chunk was text after all.
                    self.decoder.decode(b"\r", &mut text);
                }
            }
            if ends_line && let Some(line) = body.strip_suffix(b"\n") {
                body = line.strip_suffix(b"\r").unwrap_or(line);
            } else if !ends_line && let Some(line) = body.strip_suffix(b"\r") {
                // Perhaps the first half of `\r\n`: wait for the next byte.
                body = line;
                self.pending_cr = true;
            }
        }
        self.decoder.decode(body, &mut text);
        if ends_line {
            if std::mem::take(&mut self.pending_cr) {
                // The line's `\n` was over the display cap: the kept `\r` is text.
                self.decoder.decode(b"\r", &mut text);
            }
            // A line ending is never inside a character: whatever is left is broken.
            self.decoder.finish(&mut text);
        }
        let said_bye = if self.message_bytes <= BYE_PROBE_BYTES {
            self.bye_probe.push_str(&text);
            is_bye(&self.bye_probe)
        } else {
            false
        };
        if ends_line {
            self.turns.close_peer_message();
        }
        Incoming {
            placement,
            text,
            start,
            kept,
            cut,
            said_bye,
            ends_line,
            over_rate,
        }
    }

    /// Closes the decoding of the open peer message: the U+FFFD of a partial character,
    /// and a held-back `\r`, belong to it.
    fn close_peer_text(&mut self) -> String {
        let mut tail = String::new();
        if std::mem::take(&mut self.pending_cr) {
            self.decoder.decode(b"\r", &mut tail);
        }
        self.decoder.finish(&mut tail);
        tail
    }

    /// Checks and encodes a message the user wants to send now.
    pub fn prepare(&self, text: &str) -> Result<Outgoing, SendError> {
        if text.is_empty() {
            return Err(SendError::Empty);
        }
        self.turns.can_send().map_err(SendError::Blocked)?;
        let mut bytes = encode_guarded(self.encoding, text).map_err(SendError::Unencodable)?;
        bytes.extend_from_slice(self.line_ending.bytes());
        Ok(Outgoing {
            text: text.to_owned(),
            bytes,
            is_bye: is_bye(text),
        })
    }

    /// Checks exact bytes (typed as hex) the user wants to send now. No send guard and no
    /// line ending: exactly these bytes go out, as one message (one turn in strict mode).
    /// Bytes that read as `bye` end the conversation like a typed `bye`.
    pub fn prepare_raw(&self, bytes: Vec<u8>) -> Result<Outgoing, SendError> {
        if bytes.is_empty() {
            return Err(SendError::Empty);
        }
        self.turns.can_send().map_err(SendError::Blocked)?;
        let text = decode_lossy(self.encoding, &bytes);
        Ok(Outgoing {
            is_bye: is_bye(&text),
            text,
            bytes,
        })
    }

    /// `bye`, which may be said at any time until the conversation ends.
    pub fn prepare_bye(&self) -> Result<Outgoing, SendError> {
        if self.turns.is_ended() {
            return Err(SendError::Blocked(SendBlocked::Ended));
        }
        Ok(Outgoing {
            text: BYE.to_owned(),
            bytes: [BYE.as_bytes(), self.line_ending.bytes()].concat(),
            is_bye: true,
        })
    }

    /// Records that a message went out. Closes the peer's open message; returns the text
    /// of any partial character the peer left dangling (as U+FFFD), which belongs to it.
    pub fn sent(&mut self, outgoing: &Outgoing) -> Option<String> {
        let tail = self.close_peer_text();
        self.turns.on_sent();
        if outgoing.is_bye {
            self.turns.end();
        }
        (!tail.is_empty()).then_some(tail)
    }

    /// The conversation is over (peer left, bye, error). Returns the U+FFFD for a partial
    /// character the peer left dangling, if any.
    pub fn end(&mut self) -> Option<String> {
        let tail = self.close_peer_text();
        self.turns.end();
        (!tail.is_empty()).then_some(tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Say;

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
        let sentence = u.en();
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

    use std::time::Duration;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn free(ending: LineEnding) -> Conversation {
        Conversation::new(WireEncoding::Gbk, TurnPolicy::Free, Turn::Theirs)
            .with_line_ending(ending)
    }

    /// The messages as the window would build them: (text, bytes) per message.
    fn messages(c: &mut Conversation, chunks: &[(&[u8], u64)]) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        for (bytes, at) in chunks {
            for p in c.receive_at(bytes, ms(*at)) {
                if p.placement == Placement::NewMessage || out.is_empty() {
                    out.push((String::new(), Vec::new()));
                }
                let last = out.last_mut().expect("a message");
                last.0.push_str(&p.text);
                last.1.extend_from_slice(&bytes[p.kept_range()]);
            }
        }
        out
    }

    fn texts(m: &[(String, Vec<u8>)]) -> Vec<&str> {
        m.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn free_talk_groups_bytes_into_bursts_split_by_a_pause() {
        let mut c = free(LineEnding::None);
        let m = messages(
            &mut c,
            &[
                (b"hel", 0),
                (b"lo", 60),
                (b"wor", 159),
                (b"ld", 259),
                (b"!", 300),
            ],
        );
        // 159 - 60 = 99 ms: same burst; 259 - 159 = 100 ms: a new one.
        assert_eq!(texts(&m), ["hellowor", "ld!"]);
        assert_eq!(c.turn(), Turn::Mine);
        assert_eq!(c.prepare("x").map(|o| o.bytes), Ok(b"x".to_vec()));
    }

    #[test]
    fn strict_turns_ignore_pauses() {
        let mut c = client();
        let m = messages(&mut c, &[(b"ab", 0), (b"cd", 5000)]);
        assert_eq!(texts(&m), ["abcd"]);
    }

    #[test]
    fn lines_split_into_messages_and_a_line_split_across_reads_stays_one() {
        let mut c = free(LineEnding::Lf);
        let m = messages(
            &mut c,
            &[(b"one\ntw", 0), (b"o\nthr", 10), (b"ee\n", 20), (b"\n", 30)],
        );
        assert_eq!(texts(&m), ["one", "two", "three", ""]);
        assert_eq!(m[1].1, b"two\n", "the kept bytes keep the line ending");
    }

    #[test]
    fn crlf_split_across_reads_is_one_ending_and_a_lone_cr_is_text() {
        let mut c = free(LineEnding::Crlf);
        let m = messages(
            &mut c,
            &[(b"hi\r", 0), (b"\nyo\r\n", 10), (b"a\r", 20), (b"b\n", 30)],
        );
        assert_eq!(texts(&m), ["hi", "yo", "a\rb"]);
        assert_eq!(m[0].1, b"hi\r\n");
        // Either ending splits, whichever we send.
        let mut c = free(LineEnding::Crlf);
        assert_eq!(texts(&messages(&mut c, &[(b"x\ny\r\n", 0)])), ["x", "y"]);
    }

    #[test]
    fn an_unterminated_line_stands_as_a_message_at_the_pause() {
        let mut c = free(LineEnding::Lf);
        let m = messages(&mut c, &[(b"prompt> ", 0), (b"ok\n", 500), (b"more", 510)]);
        assert_eq!(texts(&m), ["prompt> ", "ok", "more"]);
        // A held-back CR at a pause is shown with its message.
        let mut c = free(LineEnding::Crlf);
        assert_eq!(
            texts(&messages(&mut c, &[(b"a\r", 0), (b"b", 500)])),
            ["a\r", "b"]
        );
    }

    #[test]
    fn a_partial_character_at_a_pause_is_shown_broken_in_its_own_message() {
        let mut c = free(LineEnding::None);
        let m = messages(&mut c, &[(&[0xc4, 0xe3, 0xba], 0), (&[0xc3], 500)]);
        assert_eq!(texts(&m), ["你\u{FFFD}", ""]);
        // The lone trail byte waits for more, and is shown broken when the message ends.
        assert_eq!(c.end(), Some("\u{FFFD}".to_owned()));
        // Within a line, a character split across reads is whole.
        let mut c = free(LineEnding::Lf);
        let m = messages(&mut c, &[(&[0xc4, 0xe3, 0xba], 0), (&[0xc3, b'\n'], 10)]);
        assert_eq!(texts(&m), ["你好"]);
    }

    #[test]
    fn bye_followed_by_the_line_ending_ends_it() {
        for (ending, chunk) in [
            (LineEnding::Lf, &b"hello\nbye\n"[..]),
            (LineEnding::Crlf, &b"hello\r\nbye\r\n"[..]),
            (LineEnding::None, &b"bye\n"[..]),
        ] {
            let mut c = free(ending);
            let pieces = c.receive_at(chunk, ms(0));
            assert!(pieces.last().expect("piece").said_bye, "{ending:?}");
            assert!(!pieces[0].said_bye || ending == LineEnding::None);
        }
        let mut c = free(LineEnding::Lf);
        assert!(!c.receive_at(b"bye bye\n", ms(0))[0].said_bye);
    }

    #[test]
    fn our_messages_end_with_the_line_ending_and_bye_too() {
        let c = free(LineEnding::Crlf);
        assert_eq!(
            c.prepare("你好").expect("ok").bytes,
            [0xc4, 0xe3, 0xba, 0xc3, b'\r', b'\n']
        );
        assert_eq!(c.prepare_bye().expect("ok").bytes, b"bye\r\n");
        let c = free(LineEnding::Lf);
        assert_eq!(c.prepare_bye().expect("ok").bytes, b"bye\n");
        // The defaults are the reference, byte for byte.
        assert_eq!(client().prepare_bye().expect("ok").bytes, b"bye");
    }

    #[test]
    fn raw_bytes_go_out_exactly_as_one_turn() {
        let mut c = Conversation::new(WireEncoding::Gbk, TurnPolicy::Strict, Turn::Theirs)
            .with_line_ending(LineEnding::Lf);
        assert_eq!(
            c.prepare_raw(vec![0x4e]),
            Err(SendError::Blocked(SendBlocked::NotYourTurn))
        );
        c.receive(&WELCOME_GBK);
        let out = c.prepare_raw(vec![0xc4, 0xe3, 0xff]).expect("our turn");
        assert_eq!(out.bytes, [0xc4, 0xe3, 0xff], "no line ending, no guard");
        assert_eq!(out.text, "你\u{FFFD}");
        assert!(!out.is_bye);
        assert!(c.prepare_raw(b"bye".to_vec()).expect("ok").is_bye);
        assert_eq!(c.prepare_raw(Vec::new()), Err(SendError::Empty));
        c.sent(&out);
        assert!(c.prepare_raw(vec![1]).is_err());
    }

    #[test]
    fn a_long_line_is_capped_and_the_next_line_starts_fresh() {
        let mut c = Conversation::new(WireEncoding::Gbk, TurnPolicy::Strict, Turn::Theirs)
            .with_line_ending(LineEnding::Lf);
        let mut chunk = vec![b'x'; DISPLAY_CAP_BYTES + 10];
        chunk.extend_from_slice(b"\nnext\n");
        let pieces = c.receive_at(&chunk, ms(0));
        assert_eq!(pieces.len(), 2);
        assert_eq!((pieces[0].kept, pieces[0].cut), (DISPLAY_CAP_BYTES, 11));
        assert_eq!(pieces[1].placement, Placement::NewMessage);
        assert_eq!((pieces[1].text.as_str(), pieces[1].kept), ("next", 5));
        assert_eq!(
            pieces[1].kept_range(),
            DISPLAY_CAP_BYTES + 11..DISPLAY_CAP_BYTES + 16
        );
    }

    #[test]
    fn a_flood_of_lines_makes_a_bounded_number_of_messages() {
        use crate::core::framing::{LINE_MESSAGES_BURST, LINE_MESSAGES_PER_SECOND};
        let mut c = free(LineEnding::Lf);
        let chunk = b"x\n".repeat(10_000);
        let pieces = c.receive_at(&chunk, ms(0));
        let burst = LINE_MESSAGES_BURST as usize;
        assert_eq!(pieces.len(), burst + 1);
        assert!(pieces[..burst].iter().all(|p| p.ends_line && p.text == "x"));
        // The rest joins one message, its lines kept as they are.
        let rest = &pieces[burst];
        assert!(!rest.ends_line);
        assert_eq!(rest.text, "x\n".repeat(10_000 - burst));
        // A second later (no pause: one line every 50 ms), a second's worth split again.
        let mut messages = 0;
        for i in 1..=20 {
            let pieces = c.receive_at(&b"y\n".repeat(10), ms(i * 50));
            messages += pieces.iter().filter(|p| p.ends_line).count();
        }
        assert_eq!(messages, LINE_MESSAGES_PER_SECOND as usize);
    }

    #[test]
    fn free_talk_keeps_a_bounded_amount_per_second_and_counts_the_rest() {
        use crate::core::framing::{FREE_KEEP_BURST, FREE_KEEP_PER_SECOND};
        let mut c = free(LineEnding::None);
        let chunk = vec![b'z'; 300 * 1024];
        let (mut kept, mut cut, mut over) = (0u64, 0u64, false);
        // One new message every 150 ms (a pause each time), for 3 seconds.
        for i in 0..20 {
            for p in c.receive_at(&chunk, ms(i * 150)) {
                kept += p.kept as u64;
                cut += p.cut as u64;
                over |= p.over_rate;
            }
        }
        let earned = FREE_KEEP_PER_SECOND * 19 * 150 / 1000;
        assert_eq!(kept, FREE_KEEP_BURST + earned);
        assert_eq!(kept + cut, 20 * 300 * 1024);
        assert!(over, "the cut is said to be the rate's");
        // Strict turns keep the reference's rule: the cap is per message only.
        let mut c = client();
        assert_eq!(c.receive_at(&chunk, ms(0))[0].kept, chunk.len());
    }
}
