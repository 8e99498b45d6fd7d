//! The streaming decoder and the turn state machine, through `Conversation`, fed a script
//! of peer chunks (split anywhere, arriving after pauses of any length), sends of text and
//! of raw bytes, `bye` and the end; in both turn modes and with every line ending.
//!
//! Checked after every step: streaming decoding equals decoding each peer message in one
//! go (its line ending left out), whatever the splits; a chunk's pieces cover it exactly,
//! and kept + cut bytes are each piece; the display cap holds; a message ends exactly at
//! our send, at a line end (with a line ending set) and at a pause (in free talk); turns
//! follow the protocol; `bye` is recognised exactly when the message so far is `bye`; a
//! message we may send decodes back to what was typed, with the line ending; raw bytes
//! go out exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use turnchat::core::codec::{WireEncoding, decode_lossy};
use turnchat::core::detect;

use turnchat::core::conversation::{Conversation, DISPLAY_CAP_BYTES, SendError, is_bye};
use turnchat::core::framing::{BURST_GAP, LineEnding};
use turnchat::core::turn::{Placement, SendBlocked, Turn, TurnPolicy};

/// Texts the user might send: plain, Chinese, bye forms, empty, unencodable, long.
const TEXTS: &[&str] = &[
    "こんにちは ①",
    "碁 嘅 臺灣",
    "你好",
    "bye",
    " bye \n",
    "",
    "价格 €5 😀",
    "多行\n第二行",
    "a",
    "\u{202E}evil",
    "中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中",
];

/// The peer message being received, as the fuzz target tracks it independently.
#[derive(Default)]
struct Open {
    kept: Vec<u8>,
    text: String,
    total: usize,
    chunks: usize,
}

fn encoding(b: u8) -> WireEncoding {
    match b % 4 {
        // Bit 6 of the setup byte (bits 2 and 3 choose turns and who speaks first, bits 4
        // and 5 the line ending).
        0 if b & 0x40 != 0 => WireEncoding::ShiftJis,
        0 => WireEncoding::Gbk,
        1 => WireEncoding::Gb18030,
        2 => WireEncoding::Utf8,
        _ => WireEncoding::Big5,
    }
}

/// The open message is over: what the stream decoded (plus the tail) must equal decoding
/// its kept bytes at once, less the line ending it ended with (when a line end closed it).
fn close(enc: WireEncoding, lines: bool, open: &mut Open, tail: Option<String>) {
    let mut streamed = std::mem::take(&mut open.text);
    streamed.push_str(tail.as_deref().unwrap_or(""));
    let mut kept = open.kept.as_slice();
    if lines && let Some(line) = kept.strip_suffix(b"\n") {
        kept = line.strip_suffix(b"\r").unwrap_or(line);
    }
    assert_eq!(streamed, decode_lossy(enc, kept), "split decoding differs");
    // The "looks like" rule never suggests the encoding the conversation already has.
    assert_ne!(detect::looks_like(enc, &open.kept), Some(enc));
    *open = Open::default();
}

/// The conversation and what the fuzz target knows about it independently.
struct Model {
    enc: WireEncoding,
    policy: TurnPolicy,
    ending: LineEnding,
    open: Open,
    /// The clock: when the next chunk arrives.
    now: Duration,
    /// When the last chunk arrived.
    last: Option<Duration>,
}

fuzz_target!(|data: &[u8]| {
    let Some((&setup, mut script)) = data.split_first() else {
        return;
    };
    let enc = encoding(setup);
    let policy = if setup & 4 == 0 {
        TurnPolicy::Strict
    } else {
        TurnPolicy::Free
    };
    let first = if setup & 8 == 0 {
        Turn::Theirs
    } else {
        Turn::Mine
    };
    let ending = LineEnding::ALL[usize::from((setup >> 4) & 3) % 3];
    let mut c = Conversation::new(enc, policy, first).with_line_ending(ending);
    let mut m = Model {
        enc,
        policy,
        ending,
        open: Open::default(),
        now: Duration::ZERO,
        last: None,
    };
    let mut ended = false;
    let mut flooded = 0usize;

    while let Some((&op, rest)) = script.split_first() {
        script = rest;
        match op % 6 {
            // Peer bytes: a chunk of the input, of a length the script chooses.
            0 | 1 => {
                let want = usize::from(op / 6);
                let n = want.min(script.len());
                let (chunk, rest) = script.split_at(n);
                script = rest;
                // Once the conversation is over the session reads no more.
                if !ended {
                    peer_chunk(&mut c, &mut m, chunk);
                }
            }
            // A run of one byte: up to 255 × 16 bytes, or for op 2 exactly (rare, so that
            // most runs stay fast) up to 255 × 8 KiB, to reach the display cap. Every
            // 16th is a run of line ends.
            2 => {
                let Some((&len, rest)) = script.split_first() else {
                    break;
                };
                script = rest;
                // At most a few MiB of runs per input, so each execution stays fast.
                if !ended && flooded < 3 * DISPLAY_CAP_BYTES {
                    let unit = if op == 2 { 8 * 1024 } else { 16 };
                    flooded += usize::from(len) * unit;
                    let byte = if len % 16 == 0 { b'\n' } else { op };
                    let chunk = vec![byte; usize::from(len) * unit];
                    peer_chunk(&mut c, &mut m, &chunk);
                }
            }
            // The user sends one of the texts, or (odd op / 6) raw bytes from the script.
            3 => {
                let raw = (op / 6) % 2 == 1;
                let text = TEXTS[usize::from(op / 12) % TEXTS.len()];
                let prepared = if raw {
                    let n = usize::from(op / 12).min(script.len());
                    let (bytes, rest) = script.split_at(n);
                    script = rest;
                    c.prepare_raw(bytes.to_vec()).inspect(|out| {
                        assert_eq!(out.bytes, bytes, "raw bytes go out exactly");
                        assert_eq!(out.text, decode_lossy(enc, bytes));
                        assert_eq!(out.is_bye, is_bye(&out.text));
                    })
                } else {
                    c.prepare(text).inspect(|out| {
                        let mut expect = text.to_owned();
                        expect.push_str(&String::from_utf8_lossy(ending.bytes()));
                        assert_eq!(
                            decode_lossy(enc, &out.bytes),
                            expect,
                            "sent text round-trips"
                        );
                        assert_eq!(out.is_bye, is_bye(text));
                    })
                };
                match prepared {
                    Ok(out) => {
                        assert!(!ended && !out.bytes.is_empty());
                        let tail = c.sent(&out);
                        close(enc, false, &mut m.open, tail);
                        if policy == TurnPolicy::Strict {
                            assert_eq!(c.turn(), Turn::Theirs);
                        }
                        ended |= out.is_bye;
                    }
                    Err(SendError::Empty) => assert!(raw || text.is_empty()),
                    Err(SendError::Blocked(SendBlocked::Ended)) => assert!(ended),
                    Err(SendError::Blocked(SendBlocked::NotYourTurn)) => {
                        assert!(policy == TurnPolicy::Strict && c.turn() == Turn::Theirs);
                    }
                    Err(SendError::Unencodable(u)) => assert!(!raw && !u.chars.is_empty()),
                }
            }
            // bye, or the end of the connection.
            4 => {
                if op & 1 == 0 {
                    match c.prepare_bye() {
                        Ok(out) => {
                            assert!(!ended);
                            assert_eq!(out.bytes, [b"bye", ending.bytes()].concat());
                            let tail = c.sent(&out);
                            close(enc, false, &mut m.open, tail);
                            ended = true;
                        }
                        Err(_) => assert!(ended),
                    }
                } else {
                    let tail = c.end();
                    close(enc, false, &mut m.open, tail);
                    ended = true;
                }
                assert!(c.is_ended());
            }
            // Time passes before the next chunk: 0 to 168 ms.
            _ => m.now += Duration::from_millis(u64::from(op / 6) * 4),
        }
    }
    let tail = c.end();
    close(enc, false, &mut m.open, tail);
});

fn peer_chunk(c: &mut Conversation, m: &mut Model, chunk: &[u8]) {
    let at = m.now;
    let paused = m.policy == TurnPolicy::Free && m.last.is_some_and(|l| at - l >= BURST_GAP);
    m.last = Some(at);
    let mut pieces = c.receive_at(chunk, at).into_iter().peekable();
    assert!(pieces.peek().is_some(), "at least one piece");
    if paused && m.open.chunks > 0 {
        // The burst before the pause is a message of its own; a partial character or a
        // held-back CR it left comes first, as a piece of it with no bytes.
        let tail = match pieces.peek() {
            Some(p) if p.placement == Placement::Continues => {
                let p = pieces.next().expect("peeked");
                assert_eq!((p.kept, p.cut, p.said_bye), (0, 0, false));
                assert!(!p.text.is_empty());
                Some(p.text)
            }
            _ => None,
        };
        close(m.enc, false, &mut m.open, tail);
    }
    let mut next_start = 0;
    for inc in pieces {
        assert_eq!(inc.start, next_start, "pieces are contiguous");
        let piece = &chunk[inc.start..inc.start + inc.kept + inc.cut];
        next_start = inc.start + piece.len();
        // Every piece but the last ends a line; the last may too. Past the budget of
        // line messages the last piece holds the rest of the chunk, lines and all.
        let ends_line = inc.ends_line;
        assert!(!ends_line || (m.ending.splits() && piece.last() == Some(&b'\n')));
        if next_start < chunk.len() {
            assert!(ends_line, "a piece ends at a line end");
        }
        if piece[..piece.len().saturating_sub(1)].contains(&b'\n') {
            assert!(
                !ends_line && next_start == chunk.len(),
                "lines joined only at the end"
            );
        }
        let expect = if m.open.chunks == 0 {
            Placement::NewMessage
        } else {
            Placement::Continues
        };
        assert_eq!(inc.placement, expect);
        assert_eq!(c.turn(), Turn::Mine, "peer bytes give us the turn");
        if inc.cut > 0 && !inc.over_rate {
            // The message's bytes (kept or cut for the rate) reached the cap.
            assert!(
                m.open.total + inc.kept >= DISPLAY_CAP_BYTES,
                "cut only at the cap"
            );
        }
        if m.policy == TurnPolicy::Strict {
            assert!(inc.cut == 0 || m.open.kept.len() + inc.kept == DISPLAY_CAP_BYTES);
        }
        assert!(
            !inc.over_rate || m.policy == TurnPolicy::Free,
            "rate only in free talk"
        );
        m.open.kept.extend_from_slice(&chunk[inc.kept_range()]);
        assert!(m.open.kept.len() <= DISPLAY_CAP_BYTES);
        m.open.text.push_str(&inc.text);
        m.open.total += piece.len();
        m.open.chunks += 1;
        assert_eq!(
            inc.said_bye,
            m.open.total <= 64 && is_bye(&m.open.text),
            "bye detection"
        );
        if ends_line {
            // The line is a message: what it decoded is the line without its ending, when
            // the ending was kept. A line end over the cap is cut, and every kept byte is
            // text: a `\n` kept earlier in the message came after the line budget ran out
            // and joined it.
            close(m.enc, inc.cut == 0, &mut m.open, None);
        }
    }
    assert_eq!(next_start, chunk.len(), "the pieces cover the chunk");
}
