//! Bytes typed as hex in the composer's hex mode: `4e 2d`, `4e2d`, `\x4e\x2d`, `0x4e 0x2d`.
//!
//! Pure and strict: whatever is typed either is a whole number of bytes or is refused with
//! the position of the first problem (counted in characters from 1, as a person counts),
//! so nothing but exactly the intended bytes ever goes out.

/// Why typed hex is not a whole number of bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HexError {
    /// Nothing but spaces was typed.
    Empty,
    /// A character that is neither a hex digit, a separator nor a `\x` / `0x` prefix.
    Stray {
        /// The character.
        found: char,
        /// Its position, counted from 1 in characters.
        at: usize,
    },
    /// A run of digits of odd length: one digit is missing or one is too many.
    OddDigits {
        /// Where the run starts, counted from 1 in characters.
        at: usize,
        /// How many digits the run has.
        digits: usize,
    },
}

/// Separators allowed between bytes (and between runs of digits).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '-')
}

/// Parses typed hex into bytes. Runs of digits split by spaces, commas, colons, dashes or a
/// `\x` / `0x` prefix; each run must have an even number of digits (`4e2d` is two bytes).
pub fn parse_hex(typed: &str) -> Result<Vec<u8>, HexError> {
    let chars: Vec<char> = typed.chars().collect();
    let mut bytes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_separator(c) {
            i += 1;
            continue;
        }
        // A `\x` or `0x` prefix (either case) starts a run.
        let prefixed = matches!(
            (c, chars.get(i + 1)),
            ('\\', Some('x' | 'X')) | ('0', Some('x' | 'X'))
        ) && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        if prefixed {
            i += 2;
        } else if !c.is_ascii_hexdigit() {
            return Err(HexError::Stray {
                found: c,
                at: i + 1,
            });
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_hexdigit() {
            i += 1;
        }
        let run = &chars[start..i];
        if !run.len().is_multiple_of(2) {
            return Err(HexError::OddDigits {
                at: start + 1,
                digits: run.len(),
            });
        }
        for pair in run.chunks(2) {
            let hi = pair[0].to_digit(16).unwrap_or(0);
            let lo = pair[1].to_digit(16).unwrap_or(0);
            bytes.push((hi * 16 + lo) as u8);
        }
        // A run must end at a separator, a prefix or the end (`4eg` is stray `g`).
        if let Some(&next) = chars.get(i)
            && !is_separator(next)
            && next != '\\'
        {
            return Err(HexError::Stray {
                found: next,
                at: i + 1,
            });
        }
    }
    if bytes.is_empty() {
        return Err(HexError::Empty);
    }
    Ok(bytes)
}

/// Bytes as spaced lower-case hex pairs (`4e 2d`), the way the hex view shows them.
pub fn spaced_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_gives_the_same_bytes() {
        for typed in [
            "4e 2d",
            "4e2d",
            "\\x4e\\x2d",
            "0x4e 0x2d",
            "4E:2D",
            " 4e,2d\n",
            "4e-2d",
            "\\X4E\\x2D",
        ] {
            assert_eq!(parse_hex(typed), Ok(vec![0x4e, 0x2d]), "{typed:?}");
        }
        assert_eq!(parse_hex("ff00 c4e3"), Ok(vec![0xff, 0x00, 0xc4, 0xe3]));
    }

    #[test]
    fn odd_digit_counts_are_refused_with_their_position() {
        assert_eq!(
            parse_hex("4e 2"),
            Err(HexError::OddDigits { at: 4, digits: 1 })
        );
        assert_eq!(
            parse_hex("4e2d5"),
            Err(HexError::OddDigits { at: 1, digits: 5 })
        );
        assert_eq!(
            parse_hex("\\x4e\\x2"),
            Err(HexError::OddDigits { at: 7, digits: 1 })
        );
    }

    #[test]
    fn stray_characters_are_named_with_their_position() {
        assert_eq!(
            parse_hex("4e zz"),
            Err(HexError::Stray { found: 'z', at: 4 })
        );
        assert_eq!(parse_hex("4eg"), Err(HexError::Stray { found: 'g', at: 3 }));
        assert_eq!(
            parse_hex("你好"),
            Err(HexError::Stray {
                found: '你', at: 1
            })
        );
        // A prefix with no digits after it is not a prefix.
        assert_eq!(
            parse_hex("\\x"),
            Err(HexError::Stray { found: '\\', at: 1 })
        );
        assert_eq!(
            parse_hex("0x"),
            Err(HexError::OddDigits { at: 1, digits: 1 })
        );
    }

    #[test]
    fn nothing_typed_is_empty() {
        assert_eq!(parse_hex(""), Err(HexError::Empty));
        assert_eq!(parse_hex("  , "), Err(HexError::Empty));
    }

    #[test]
    fn spaced_hex_round_trips() {
        let bytes = [0xc4, 0xe3, 0x0a, 0x00];
        assert_eq!(spaced_hex(&bytes), "c4 e3 0a 00");
        assert_eq!(parse_hex(&spaced_hex(&bytes)), Ok(bytes.to_vec()));
    }
}
