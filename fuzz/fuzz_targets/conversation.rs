//! The streaming decoder and the turn state machine, through `Conversation`, fed a script
//! of peer chunks (split anywhere), sends, `bye` and the end.
//!
//! Checked after every step: streaming decoding equals decoding each peer message in one
//! go, whatever the splits; kept + cut bytes are the chunk; the display cap holds; chunk
//! placement and turns follow the protocol; `bye` is recognised exactly when the message
//! so far is `bye`; a message we may send decodes back to what was typed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turnchat::core::codec::{WireEncoding, decode_lossy};
use turnchat::core::detect;
use turnchat::core::conversation::{Conversation, DISPLAY_CAP_BYTES, SendError, is_bye};
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
        // Bit 4 is free in the setup byte (bits 2 and 3 choose turns and who speaks first).
        0 if b & 0x10 != 0 => WireEncoding::ShiftJis,
        0 => WireEncoding::Gbk,
        1 => WireEncoding::Gb18030,
        2 => WireEncoding::Utf8,
        _ => WireEncoding::Big5,
    }
}

/// The open message is over: what the stream decoded (plus the tail) must equal decoding
/// its kept bytes at once.
fn close(enc: WireEncoding, open: &mut Open, tail: Option<String>) {
    let mut streamed = std::mem::take(&mut open.text);
    streamed.push_str(tail.as_deref().unwrap_or(""));
    assert_eq!(
        streamed,
        decode_lossy(enc, &open.kept),
        "split decoding differs"
    );
    // The "looks like" rule never suggests the encoding the conversation already has.
    assert_ne!(detect::looks_like(enc, &open.kept), Some(enc));
    *open = Open::default();
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
    let mut c = Conversation::new(enc, policy, first);
    let mut open = Open::default();
    let mut ended = false;
    let mut flooded = 0usize;

    while let Some((&op, rest)) = script.split_first() {
        script = rest;
        match op % 5 {
            // Peer bytes: a chunk of the input, of a length the script chooses.
            0 | 1 => {
                let want = usize::from(op / 5);
                let n = want.min(script.len());
                let (chunk, rest) = script.split_at(n);
                script = rest;
                // Once the conversation is over the session reads no more.
                if !ended {
                    peer_chunk(&mut c, &mut open, chunk);
                }
            }
            // A run of one byte: up to 255 × 16 bytes, or for op 2 exactly (rare, so that
            // most runs stay fast) up to 255 × 8 KiB, to reach the display cap.
            2 => {
                let Some((&len, rest)) = script.split_first() else {
                    break;
                };
                script = rest;
                // At most a few MiB of runs per input, so each execution stays fast.
                if !ended && flooded < 3 * DISPLAY_CAP_BYTES {
                    let unit = if op == 2 { 8 * 1024 } else { 16 };
                    flooded += usize::from(len) * unit;
                    let chunk = vec![op; usize::from(len) * unit];
                    peer_chunk(&mut c, &mut open, &chunk);
                }
            }
            // The user sends one of the texts.
            3 => {
                let text = TEXTS[usize::from(op / 5) % TEXTS.len()];
                match c.prepare(text) {
                    Ok(out) => {
                        assert!(!ended && !text.is_empty());
                        assert_eq!(decode_lossy(enc, &out.bytes), text, "sent text round-trips");
                        assert_eq!(out.is_bye, is_bye(text));
                        let tail = c.sent(&out);
                        close(enc, &mut open, tail);
                        if policy == TurnPolicy::Strict {
                            assert_eq!(c.turn(), Turn::Theirs);
                        }
                        ended |= out.is_bye;
                    }
                    Err(SendError::Empty) => assert!(text.is_empty()),
                    Err(SendError::Blocked(SendBlocked::Ended)) => assert!(ended),
                    Err(SendError::Blocked(SendBlocked::NotYourTurn)) => {
                        assert!(policy == TurnPolicy::Strict && c.turn() == Turn::Theirs);
                    }
                    Err(SendError::Unencodable(u)) => assert!(!u.chars.is_empty()),
                }
            }
            // bye, or the end of the connection.
            _ => {
                if op & 1 == 0 {
                    match c.prepare_bye() {
                        Ok(out) => {
                            assert!(!ended);
                            let tail = c.sent(&out);
                            close(enc, &mut open, tail);
                            ended = true;
                        }
                        Err(_) => assert!(ended),
                    }
                } else {
                    let tail = c.end();
                    close(enc, &mut open, tail);
                    ended = true;
                }
                assert!(c.is_ended());
            }
        }
    }
    let tail = c.end();
    close(enc, &mut open, tail);
});

fn peer_chunk(c: &mut Conversation, open: &mut Open, chunk: &[u8]) {
    let inc = c.receive(chunk);
    let expect = if open.chunks == 0 {
        Placement::NewMessage
    } else {
        Placement::Continues
    };
    assert_eq!(inc.placement, expect);
    assert_eq!(c.turn(), Turn::Mine, "peer bytes give us the turn");
    assert_eq!(inc.kept + inc.cut, chunk.len());
    if inc.cut > 0 {
        assert_eq!(
            open.kept.len() + inc.kept,
            DISPLAY_CAP_BYTES,
            "cut only at the cap"
        );
    }
    open.kept.extend_from_slice(&chunk[..inc.kept]);
    assert!(open.kept.len() <= DISPLAY_CAP_BYTES);
    open.text.push_str(&inc.text);
    open.total += chunk.len();
    open.chunks += 1;
    assert_eq!(
        inc.said_bye,
        open.total <= 64 && is_bye(&open.text),
        "bye detection"
    );
}
