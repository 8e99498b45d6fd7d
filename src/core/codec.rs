//! Text <-> wire bytes, one peer turn at a time.
//!
//! Two halves with different rules, because the reference peers are strict and we are not:
//!
//! * [`StreamDecoder`] turns whatever bytes arrive into text *leniently*: a double-byte
//!   character split across two reads is held back until its second byte arrives, and bytes
//!   that are not valid in the encoding become U+FFFD instead of an error. The raw bytes
//!   are always kept by the caller, so nothing is lost.
//! * [`encode_guarded`] turns the user's text into bytes *strictly*: it refuses, naming the
//!   characters, anything the peer could not decode, and never writes a lossy substitute
//!   (`&#NNNN;`, `?`). For GBK "the peer" means Python's `gbk` codec, which is narrower than
//!   encoding_rs's GBK (see [`super::gbk_strict`]).

use std::collections::HashSet;
use std::fmt;

use encoding_rs::EncoderResult;

use super::gbk_strict;

/// The text encodings TurnChat can put on the wire.
///
/// Only [`WireEncoding::Gbk`] is offered in the UI today; the others are here so that the
/// codec, the transcript and the session carry an encoding from the start.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum WireEncoding {
    /// GBK as the classic Python peers speak it (Python's `gbk` codec). The protocol default.
    #[default]
    Gbk,
    /// GB18030: GBK plus four-byte sequences, so it can carry every Unicode character.
    Gb18030,
    /// UTF-8.
    Utf8,
    /// Big5, for Traditional Chinese peers.
    Big5,
}

impl WireEncoding {
    /// The name people know the encoding by.
    pub fn label(self) -> &'static str {
        match self {
            WireEncoding::Gbk => "GBK",
            WireEncoding::Gb18030 => "GB18030",
            WireEncoding::Utf8 => "UTF-8",
            WireEncoding::Big5 => "Big5",
        }
    }

    fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            WireEncoding::Gbk => encoding_rs::GBK,
            WireEncoding::Gb18030 => encoding_rs::GB18030,
            WireEncoding::Utf8 => encoding_rs::UTF_8,
            WireEncoding::Big5 => encoding_rs::BIG5,
        }
    }
}

/// Decodes one direction of a byte stream, never breaking a character across reads.
pub struct StreamDecoder {
    encoding: WireEncoding,
    inner: encoding_rs::Decoder,
}

impl fmt::Debug for StreamDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("encoding", &self.encoding)
            .finish()
    }
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    pub fn new(encoding: WireEncoding) -> Self {
        StreamDecoder {
            encoding,
            inner: encoding.encoding_rs().new_decoder_without_bom_handling(),
        }
    }

    /// The encoding this decoder reads.
    pub fn encoding(&self) -> WireEncoding {
        self.encoding
    }

    /// Decodes `bytes`, appending complete characters to `out`. A trailing partial
    /// character is held back until the next call (or [`StreamDecoder::finish`]).
    pub fn decode(&mut self, bytes: &[u8], out: &mut String) {
        self.run(bytes, out, false);
    }

    /// Ends the current run of bytes (the peer's turn is over): a held-back partial
    /// character becomes U+FFFD, and the decoder starts afresh.
    pub fn finish(&mut self, out: &mut String) {
        self.run(&[], out, true);
        self.inner = self
            .encoding
            .encoding_rs()
            .new_decoder_without_bom_handling();
    }

    fn run(&mut self, bytes: &[u8], out: &mut String, last: bool) {
        let mut input = bytes;
        loop {
            let needed = self
                .inner
                .max_utf8_buffer_length(input.len())
                .unwrap_or(input.len().saturating_mul(3).saturating_add(16));
            out.reserve(needed);
            let (result, read, _replaced) = self.inner.decode_to_string(input, out, last);
            input = &input[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
    }
}

/// Why a text cannot be sent in the chosen encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unencodable {
    /// The encoding that was asked for.
    pub encoding: WireEncoding,
    /// Each character that cannot be sent, once, in order of first appearance.
    pub chars: Vec<char>,
}

impl fmt::Display for Unencodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self
            .chars
            .iter()
            .take(8)
            .map(|c| describe_char(*c))
            .collect();
        let more = self.chars.len().saturating_sub(8);
        write!(
            f,
            "The other side cannot read {} in {}: {}{}. Remove {} to send.",
            if self.chars.len() == 1 {
                "this character"
            } else {
                "these characters"
            },
            self.encoding.label(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            if self.chars.len() == 1 { "it" } else { "them" },
        )
    }
}

impl std::error::Error for Unencodable {}

/// "“😀” (U+1F600)": the character itself where it is printable, and always its code point.
pub fn describe_char(c: char) -> String {
    if c.is_control() || is_private_use(c) {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("“{c}” (U+{:04X})", u32::from(c))
    }
}

fn is_private_use(c: char) -> bool {
    matches!(u32::from(c), 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Whether the peer's decoder accepts `c` in `encoding` (for GBK: Python's strict `gbk`).
pub fn can_send_char(encoding: WireEncoding, c: char) -> bool {
    match encoding {
        WireEncoding::Utf8 | WireEncoding::Gb18030 => true,
        WireEncoding::Gbk => {
            if c.is_ascii() {
                return true;
            }
            if is_private_use(c) || gbk_strict::python_gbk_rejects(c) {
                return false;
            }
            encodes_cleanly(encoding, c)
        }
        WireEncoding::Big5 => !is_private_use(c) && encodes_cleanly(encoding, c),
    }
}

fn encodes_cleanly(encoding: WireEncoding, c: char) -> bool {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let mut encoder = encoding.encoding_rs().new_encoder();
    let mut out = [0u8; 16];
    let (result, _, _) = encoder.encode_from_utf8_without_replacement(s, &mut out, true);
    !matches!(result, EncoderResult::Unmappable(_))
}

/// Encodes `text` for the wire, or names every character the peer could not read.
///
/// Never produces a substitute: the result is either exactly `text` in `encoding` or an error.
pub fn encode_guarded(encoding: WireEncoding, text: &str) -> Result<Vec<u8>, Unencodable> {
    // Characters the encoder would write but the peer's decoder rejects (cheap rules).
    let mut bad: HashSet<char> = HashSet::new();
    if matches!(encoding, WireEncoding::Gbk | WireEncoding::Big5) {
        for c in text.chars().filter(|c| !c.is_ascii()) {
            if is_private_use(c) || (encoding == WireEncoding::Gbk && gbk_strict::python_gbk_rejects(c)) {
                bad.insert(c);
            }
        }
    }
    // Characters the encoder cannot write at all.
    let mut encoder = encoding.encoding_rs().new_encoder();
    let mut out: Vec<u8> = Vec::new();
    let mut input = text;
    loop {
        let needed = encoder
            .max_buffer_length_from_utf8_without_replacement(input.len())
            .unwrap_or(input.len().saturating_mul(4))
            .max(16);
        let start = out.len();
        out.resize(start + needed, 0);
        let (result, read, written) = encoder.encode_from_utf8_without_replacement(input, &mut out[start..], true);
        out.truncate(start + written);
        input = &input[read..];
        match result {
            EncoderResult::InputEmpty => break,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(c) => {
                bad.insert(c);
            }
        }
    }
    if bad.is_empty() {
        return Ok(out);
    }
    // Name them once each, in the order the user wrote them.
    let mut chars: Vec<char> = Vec::with_capacity(bad.len());
    for c in text.chars() {
        if bad.remove(&c) {
            chars.push(c);
        }
    }
    Err(Unencodable { encoding, chars })
}

/// Decodes a complete byte string at once, leniently (U+FFFD for what cannot be decoded).
pub fn decode_lossy(encoding: WireEncoding, bytes: &[u8]) -> String {
    let mut decoder = StreamDecoder::new(encoding);
    let mut out = String::new();
    decoder.decode(bytes, &mut out);
    decoder.finish(&mut out);
    out
}

/// Lower-case hex without separators, as the transcript stores wire bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// The inverse of [`to_hex`]; `None` for anything that is not an even run of hex digits.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}
