//! "This looks like UTF-8": whether a peer message's bytes read better in another encoding.
//!
//! A small rule that can be explained in one sentence each way, rather than a statistical
//! detector such as `chardetng`: the question here is never "which of forty encodings is
//! this web page in" but one of two, and both have a sharp test.
//!
//! * **A legacy conversation (GBK, GB18030, Big5, Shift_JIS) receiving UTF-8.** The bytes are
//!   valid UTF-8 and hold at least one three- or four-byte sequence (where Chinese, Japanese
//!   and emoji live); or they are valid UTF-8 with non-ASCII and do not decode cleanly in the
//!   conversation's encoding. Legacy text is almost never valid UTF-8: GBK's common lead bytes
//!   B0–BF are UTF-8 continuation bytes, so a GBK message of Chinese fails within its first
//!   character. Two-byte-only UTF-8 that also decodes cleanly as the legacy encoding
//!   (`café` is also `caf茅` in GBK) is left alone: there the rule could not be honest.
//! * **A UTF-8 conversation receiving GBK.** The bytes are not valid UTF-8 (a sequence cut at
//!   the end of what was looked at does not count), hold non-ASCII, and decode as GBK
//!   without a single error.
//!
//! Only the first [`LOOK_BYTES`] of a message are looked at, so a flood costs nothing.

use super::codec::WireEncoding;

/// How many leading bytes of a message the rule looks at.
pub const LOOK_BYTES: usize = 4096;

/// The encoding `bytes` (the start of one peer message) look like, if it is not `current`
/// and the rule is sure; `None` otherwise.
pub fn looks_like(current: WireEncoding, bytes: &[u8]) -> Option<WireEncoding> {
    let cut = bytes.len() > LOOK_BYTES;
    let bytes = &bytes[..bytes.len().min(LOOK_BYTES)];
    if bytes.is_ascii() {
        return None;
    }
    if current == WireEncoding::Utf8 {
        // A character cut at the end of what has arrived so far is not invalid: the rest
        // of it may be in the next read.
        let invalid = utf8_shape(bytes, true) == Utf8Shape::Invalid;
        return (invalid && clean_in(encoding_rs::GBK, bytes)).then_some(WireEncoding::Gbk);
    }
    match utf8_shape(bytes, cut) {
        Utf8Shape::Invalid => None,
        Utf8Shape::Valid { long: true } => Some(WireEncoding::Utf8),
        Utf8Shape::Valid { long: false } => {
            (!clean_in(legacy_decoder(current), bytes)).then_some(WireEncoding::Utf8)
        }
    }
}

/// Whether `bytes` decode in `encoding` without an error, a character cut at the very end
/// excepted (the message may go on).
fn clean_in(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> bool {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3 + 16),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut out, false);
    result == encoding_rs::DecoderResult::InputEmpty
}

fn legacy_decoder(encoding: WireEncoding) -> &'static encoding_rs::Encoding {
    match encoding {
        WireEncoding::Gbk => encoding_rs::GBK,
        WireEncoding::Gb18030 => encoding_rs::GB18030,
        WireEncoding::Big5 => encoding_rs::BIG5,
        WireEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
        WireEncoding::Utf8 => encoding_rs::UTF_8,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Utf8Shape {
    Invalid,
    /// Valid; `long` if it holds a three- or four-byte sequence.
    Valid {
        long: bool,
    },
}

/// Whether `bytes` are UTF-8; with `forgive_tail`, a sequence left unfinished at the very
/// end is forgiven (the message goes on beyond what was looked at, or has yet to arrive).
fn utf8_shape(bytes: &[u8], forgive_tail: bool) -> Utf8Shape {
    let valid = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if forgive_tail && e.error_len().is_none() => {
            // Unfinished at the end only: the valid prefix decides.
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Utf8Shape::Invalid,
    };
    Utf8Shape::Valid {
        long: valid.chars().any(|c| c.len_utf8() >= 3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_chinese_in_a_gbk_conversation_is_recognised() {
        // What GBK shows as 濂界殑.
        assert_eq!(
            looks_like(WireEncoding::Gbk, "好的".as_bytes()),
            Some(WireEncoding::Utf8)
        );
        assert_eq!(
            looks_like(WireEncoding::Gbk, "hello 😀".as_bytes()),
            Some(WireEncoding::Utf8)
        );
        for legacy in [
            WireEncoding::Gb18030,
            WireEncoding::Big5,
            WireEncoding::ShiftJis,
        ] {
            assert_eq!(
                looks_like(legacy, "こんにちは，你好".as_bytes()),
                Some(WireEncoding::Utf8),
                "{legacy:?}"
            );
        }
    }

    #[test]
    fn gbk_chinese_is_left_alone_in_a_gbk_conversation() {
        for text in [
            "你好服务端",
            "欢迎您的使用",
            "好",
            "中文 and English",
            "①②③，。！",
        ] {
            assert_eq!(looks_like(WireEncoding::Gbk, &gbk(text)), None, "{text}");
        }
        assert_eq!(looks_like(WireEncoding::Gbk, b"plain ascii"), None);
        assert_eq!(looks_like(WireEncoding::Utf8, b"plain ascii"), None);
    }

    #[test]
    fn two_byte_utf8_that_is_also_clean_gbk_is_not_claimed() {
        // "café" is also "caf茅" in GBK: no honest call either way.
        assert_eq!(looks_like(WireEncoding::Gbk, "café".as_bytes()), None);
        // But Cyrillic that GBK cannot decode is.
        let privet = "привет".as_bytes();
        let (_, gbk_errors) = encoding_rs::GBK.decode_without_bom_handling(privet);
        assert_eq!(
            looks_like(WireEncoding::Gbk, privet),
            gbk_errors.then_some(WireEncoding::Utf8)
        );
    }

    #[test]
    fn gbk_in_a_utf8_conversation_is_recognised() {
        assert_eq!(
            looks_like(WireEncoding::Utf8, &gbk("你好服务端")),
            Some(WireEncoding::Gbk)
        );
        assert_eq!(looks_like(WireEncoding::Utf8, "你好".as_bytes()), None);
        // Garbage that is neither is not called GBK.
        assert_eq!(looks_like(WireEncoding::Utf8, &[0xFF, 0xFE, 0x80]), None);
    }

    #[test]
    fn a_character_cut_between_reads_raises_no_hint_either_way() {
        // Every prefix of a message, as reads may deliver it.
        let utf8 = "好的，谢谢".as_bytes();
        for end in 1..utf8.len() {
            assert_eq!(
                looks_like(WireEncoding::Utf8, &utf8[..end]),
                None,
                "UTF-8 cut at {end}"
            );
        }
        let gbk_bytes = gbk("你好，服务端");
        for end in 1..gbk_bytes.len() {
            assert_eq!(
                looks_like(WireEncoding::Gbk, &gbk_bytes[..end]),
                None,
                "GBK cut at {end}"
            );
        }
    }

    #[test]
    fn only_the_start_of_a_long_message_is_looked_at() {
        // A UTF-8 flood cut in the middle of a character at the look limit.
        let long = "好".repeat(LOOK_BYTES);
        assert_eq!(
            looks_like(WireEncoding::Gbk, long.as_bytes()),
            Some(WireEncoding::Utf8)
        );
        let mut gbk_long = gbk(&"好".repeat(LOOK_BYTES));
        gbk_long.extend_from_slice("好".as_bytes());
        assert_eq!(looks_like(WireEncoding::Gbk, &gbk_long), None);
    }
}
