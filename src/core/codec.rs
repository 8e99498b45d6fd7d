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
//!   (`&#NNNN;`, `?`). "The peer" means Python's strict codec of the same name, which is
//!   narrower than encoding_rs's for every legacy encoding (see [`super::strict`]).

use std::collections::HashSet;
use std::fmt;

use encoding_rs::EncoderResult;

use super::strict;

/// The text encodings TurnChat can put on the wire.
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
    /// Big5, for Traditional Chinese peers (as Python's `big5` codec reads it).
    Big5,
    /// Shift_JIS, for Japanese peers (as Python's `shift_jis` codec reads it).
    ShiftJis,
}

impl WireEncoding {
    /// Whether Python's strict decoder for this encoding would fail on (or misread) the
    /// bytes encoding_rs writes for `c` (the tables in [`super::strict`]).
    pub fn python_rejects(self, c: char) -> bool {
        let ranges = self.python_refused();
        let after = ranges.partition_point(|(start, _)| *start <= c);
        after > 0 && c <= ranges[after - 1].1
    }

    /// The characters encoding_rs writes that Python's codec of the same name refuses, as
    /// sorted inclusive ranges (none for UTF-8).
    fn python_refused(self) -> &'static [(char, char)] {
        match self {
            WireEncoding::Gbk => strict::GBK,
            WireEncoding::Gb18030 => strict::GB18030,
            WireEncoding::Big5 => strict::BIG5,
            WireEncoding::ShiftJis => strict::SHIFT_JIS,
            WireEncoding::Utf8 => &[],
        }
    }

    /// The name people know the encoding by.
    pub fn label(self) -> &'static str {
        match self {
            WireEncoding::Gbk => "GBK",
            WireEncoding::Gb18030 => "GB18030",
            WireEncoding::Utf8 => "UTF-8",
            WireEncoding::Big5 => "Big5",
            WireEncoding::ShiftJis => "Shift_JIS",
        }
    }

    /// Every encoding, in the order the UI offers them.
    pub const ALL: [WireEncoding; 5] = [
        WireEncoding::Gbk,
        WireEncoding::Gb18030,
        WireEncoding::Utf8,
        WireEncoding::Big5,
        WireEncoding::ShiftJis,
    ];

    /// The encoding whose [`label`](WireEncoding::label) is `label` (exactly), if any.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.label() == label)
    }

    /// The name of Python's codec for this encoding, which is also how the launch flag
    /// spells it (`gbk`, `gb18030`, `utf-8`, `big5`, `shift_jis`).
    pub fn flag(self) -> &'static str {
        match self {
            WireEncoding::Gbk => "gbk",
            WireEncoding::Gb18030 => "gb18030",
            WireEncoding::Utf8 => "utf-8",
            WireEncoding::Big5 => "big5",
            WireEncoding::ShiftJis => "shift_jis",
        }
    }

    /// The encoding whose [`flag`](WireEncoding::flag) spelling is `name`, ignoring case
    /// and `-`/`_` (`UTF8`, `Shift-JIS` and `utf_8` are all accepted).
    pub fn from_flag(name: &str) -> Option<Self> {
        let squash = |s: &str| {
            s.chars()
                .filter(|c| *c != '-' && *c != '_')
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        };
        let wanted = squash(name);
        Self::ALL.into_iter().find(|e| squash(e.flag()) == wanted)
    }

    fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            WireEncoding::Gbk => encoding_rs::GBK,
            WireEncoding::Gb18030 => encoding_rs::GB18030,
            WireEncoding::Utf8 => encoding_rs::UTF_8,
            WireEncoding::Big5 => encoding_rs::BIG5,
            WireEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
        }
    }
}

/// Decodes one direction of a byte stream, never breaking a character across reads.
///
/// For GBK, ASCII and two-byte characters (all of real Chinese text) take a fast path
/// through a table built once from encoding_rs; at the first byte that is anything else
/// (a four-byte GB18030 sequence, an invalid byte), the rest of the peer's message goes
/// through encoding_rs itself. Either way the output is exactly encoding_rs's, which the
/// tests check on random bytes cut at random places.
pub struct StreamDecoder {
    encoding: WireEncoding,
    inner: encoding_rs::Decoder,
    /// Whether this message has left the fast path.
    fallback: bool,
    /// A GBK lead byte that ended the last chunk, waiting for its trail byte.
    pending_lead: Option<u8>,
}

impl fmt::Debug for StreamDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("encoding", &self.encoding)
            .field("fallback", &self.fallback)
            .field("pending_lead", &self.pending_lead)
            .finish()
    }
}

/// Two-byte GBK as encoding_rs decodes it, indexed directly by `lead << 8 | trail`
/// (`'\0'` where the pair is not a valid two-byte character). 256 KiB, built once.
fn gbk_pairs() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec!['\0'; 1 << 16];
        for lead in 0x81u8..=0xFE {
            for trail in (0x40u8..=0xFE).filter(|t| *t != 0x7F) {
                let pair = [lead, trail];
                let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&pair);
                let mut chars = text.chars();
                if let (Some(c), None, false) = (chars.next(), chars.next(), had_errors) {
                    table[pair_index(lead, trail)] = c;
                }
            }
        }
        table
    })
}

/// GBK and GB18030 share one decoder (WHATWG's, which encoding_rs implements): their
/// one- and two-byte sequences decode alike, so both take the fast path.
fn uses_gbk_pairs(encoding: WireEncoding) -> bool {
    matches!(encoding, WireEncoding::Gbk | WireEncoding::Gb18030)
}

fn pair_index(lead: u8, trail: u8) -> usize {
    usize::from(lead) << 8 | usize::from(trail)
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    pub fn new(encoding: WireEncoding) -> Self {
        StreamDecoder {
            encoding,
            inner: encoding.encoding_rs().new_decoder_without_bom_handling(),
            fallback: !uses_gbk_pairs(encoding),
            pending_lead: None,
        }
    }

    /// The encoding this decoder reads.
    pub fn encoding(&self) -> WireEncoding {
        self.encoding
    }

    /// Decodes `bytes`, appending complete characters to `out`. A trailing partial
    /// character is held back until the next call (or [`StreamDecoder::finish`]).
    pub fn decode(&mut self, bytes: &[u8], out: &mut String) {
        if self.fallback {
            self.run(bytes, out, false);
            return;
        }
        let table = gbk_pairs();
        let mut i = 0;
        if let Some(lead) = self.pending_lead.take() {
            match bytes.first() {
                None => {
                    self.pending_lead = Some(lead);
                    return;
                }
                Some(&trail) => match table[pair_index(lead, trail)] {
                    '\0' => {
                        self.leave_fast_path(&[lead], bytes, out);
                        return;
                    }
                    c => {
                        out.push(c);
                        i = 1;
                    }
                },
            }
        }
        // Two GBK bytes become three UTF-8 bytes; ASCII stays one.
        out.reserve(bytes.len() + bytes.len() / 2 + 4);
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let run = bytes[i..]
                    .iter()
                    .position(|b| *b >= 0x80)
                    .unwrap_or(bytes.len() - i);
                // An ASCII run is valid UTF-8 as it is.
                out.push_str(std::str::from_utf8(&bytes[i..i + run]).unwrap_or_default());
                i += run;
                continue;
            }
            let Some(&trail) = bytes.get(i + 1) else {
                if (0x81..=0xFE).contains(&b) {
                    self.pending_lead = Some(b);
                } else {
                    self.leave_fast_path(&[], &bytes[i..], out);
                }
                return;
            };
            match table[pair_index(b, trail)] {
                '\0' => {
                    self.leave_fast_path(&[], &bytes[i..], out);
                    return;
                }
                c => {
                    out.push(c);
                    i += 2;
                }
            }
        }
    }

    /// Hands the rest of this message to encoding_rs, starting at a character boundary.
    fn leave_fast_path(&mut self, held: &[u8], rest: &[u8], out: &mut String) {
        self.fallback = true;
        self.run(held, out, false);
        self.run(rest, out, false);
    }

    /// Ends the current run of bytes (the peer's turn is over): a held-back partial
    /// character becomes U+FFFD, and the decoder starts afresh.
    pub fn finish(&mut self, out: &mut String) {
        if let Some(lead) = self.pending_lead.take() {
            self.run(&[lead], out, false);
        }
        self.run(&[], out, true);
        self.inner = self
            .encoding
            .encoding_rs()
            .new_decoder_without_bom_handling();
        self.fallback = !uses_gbk_pairs(self.encoding);
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

#[cfg(test)]
mod decoder_tests {
    use super::*;

    /// encoding_rs's own streaming decode of the same chunks: the reference.
    fn reference(chunks: &[&[u8]]) -> String {
        reference_in(encoding_rs::GBK, chunks)
    }

    fn reference_in(encoding: &'static encoding_rs::Encoding, chunks: &[&[u8]]) -> String {
        let mut d = encoding.new_decoder_without_bom_handling();
        let mut out = String::new();
        for c in chunks {
            out.reserve(d.max_utf8_buffer_length(c.len()).unwrap_or(64) + 8);
            let _ = d.decode_to_string(c, &mut out, false);
        }
        out.reserve(16);
        let _ = d.decode_to_string(&[], &mut out, true);
        out
    }

    fn ours(chunks: &[&[u8]]) -> String {
        ours_in(WireEncoding::Gbk, chunks)
    }

    fn ours_in(encoding: WireEncoding, chunks: &[&[u8]]) -> String {
        let mut d = StreamDecoder::new(encoding);
        let mut out = String::new();
        for c in chunks {
            d.decode(c, &mut out);
        }
        d.finish(&mut out);
        out
    }

    /// A tiny deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn fast_path_matches_encoding_rs_on_random_bytes_and_cuts() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Bytes drawn to hit every case: ASCII, leads, valid and invalid trails, the
        // GB18030 four-byte digits, 0x80 and 0xFF.
        let alphabet: Vec<u8> = (0u8..=0xFF).collect();
        for round in 0..3000 {
            let len = rng.below(40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(4) {
                    0 => b'a' + rng.below(26) as u8,
                    1 => 0x81 + rng.below(0x7E) as u8,
                    2 => 0x30 + rng.below(10) as u8,
                    _ => alphabet[rng.below(256)],
                })
                .collect();
            let mut cuts: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(len + 1)).collect();
            cuts.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut start = 0;
            for c in cuts {
                chunks.push(&bytes[start..c]);
                start = c;
            }
            chunks.push(&bytes[start..]);
            assert_eq!(
                ours(&chunks),
                reference(&chunks),
                "round {round}: {bytes:02x?} cut as {chunks:02x?}"
            );
            assert_eq!(
                ours_in(WireEncoding::Gb18030, &chunks),
                reference_in(encoding_rs::GB18030, &chunks),
                "GB18030 round {round}: {bytes:02x?} cut as {chunks:02x?}"
            );
            for (ours_enc, theirs) in [
                (WireEncoding::Utf8, encoding_rs::UTF_8),
                (WireEncoding::Big5, encoding_rs::BIG5),
                (WireEncoding::ShiftJis, encoding_rs::SHIFT_JIS),
            ] {
                assert_eq!(
                    ours_in(ours_enc, &chunks),
                    reference_in(theirs, &chunks),
                    "{ours_enc:?} round {round}"
                );
            }
        }
    }

    #[test]
    fn utf8_matches_encoding_rs_on_mostly_valid_text_and_cuts() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let pieces = ["a", "好", "é", "😀", "𠀀", "\n", "ok "];
        for round in 0..3000 {
            let mut bytes: Vec<u8> = Vec::new();
            for _ in 0..rng.below(24) {
                if rng.below(12) == 0 {
                    // Now and then a stray byte: a lone continuation, a bad lead, a cut lead.
                    bytes.push([0x80, 0xBF, 0xC0, 0xE5, 0xF0, 0xFF][rng.below(6)]);
                } else {
                    bytes.extend_from_slice(pieces[rng.below(pieces.len())].as_bytes());
                }
            }
            let len = bytes.len();
            let mut cuts: Vec<usize> = (0..rng.below(5)).map(|_| rng.below(len + 1)).collect();
            cuts.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut start = 0;
            for c in cuts {
                chunks.push(&bytes[start..c]);
                start = c;
            }
            chunks.push(&bytes[start..]);
            assert_eq!(
                ours_in(WireEncoding::Utf8, &chunks),
                reference_in(encoding_rs::UTF_8, &chunks),
                "round {round}: {bytes:02x?} cut as {chunks:02x?}"
            );
        }
    }

    #[test]
    fn flag_spellings_are_forgiving_and_labels_round_trip() {
        for (name, e) in [
            ("gbk", WireEncoding::Gbk),
            ("GB18030", WireEncoding::Gb18030),
            ("utf-8", WireEncoding::Utf8),
            ("UTF8", WireEncoding::Utf8),
            ("utf_8", WireEncoding::Utf8),
            ("Big5", WireEncoding::Big5),
            ("shift_jis", WireEncoding::ShiftJis),
            ("Shift-JIS", WireEncoding::ShiftJis),
        ] {
            assert_eq!(WireEncoding::from_flag(name), Some(e), "{name}");
        }
        assert_eq!(WireEncoding::from_flag("latin1"), None);
        for e in WireEncoding::ALL {
            assert_eq!(WireEncoding::from_label(e.label()), Some(e));
            assert_eq!(WireEncoding::from_flag(e.flag()), Some(e));
        }
    }

    #[test]
    fn every_two_byte_pair_matches_encoding_rs() {
        for lead in 0x81u8..=0xFE {
            for trail in 0x00u8..=0xFF {
                let pair = [lead, trail];
                assert_eq!(ours(&[&pair]), reference(&[&pair]), "{pair:02x?}");
                assert_eq!(
                    ours(&[&pair[..1], &pair[1..]]),
                    reference(&[&pair]),
                    "{pair:02x?} split"
                );
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

/// Whether the peer's decoder accepts `c` in `encoding`: Python's strict codec of the same
/// name decodes the bytes TurnChat would write for `c` back to `c`.
pub fn can_send_char(encoding: WireEncoding, c: char) -> bool {
    if encoding == WireEncoding::Utf8 || c.is_ascii() {
        return true;
    }
    !encoding.python_rejects(c) && encodes_cleanly(encoding, c)
}

/// Every character encoding_rs can write in `encoding`, with its bytes, in code point order
/// (empty for UTF-8, which writes every character). What the strict tables are made from.
pub fn encoder_table(encoding: WireEncoding) -> Vec<(char, Vec<u8>)> {
    if encoding == WireEncoding::Utf8 {
        return Vec::new();
    }
    let mut encoder = encoding.encoding_rs().new_encoder();
    let mut table = Vec::new();
    for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
        let mut buf = [0u8; 4];
        let mut out = [0u8; 16];
        let (result, _, written) =
            encoder.encode_from_utf8_without_replacement(c.encode_utf8(&mut buf), &mut out, true);
        if result == EncoderResult::InputEmpty {
            table.push((c, out[..written].to_vec()));
        }
    }
    table
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
    if encoding != WireEncoding::Utf8 {
        for c in text.chars().filter(|c| !c.is_ascii()) {
            if encoding.python_rejects(c) {
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
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(input, &mut out[start..], true);
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
    hex::encode(bytes)
}

/// The inverse of [`to_hex`]; `None` for anything that is not an even run of hex digits.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}
