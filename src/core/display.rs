//! Making peer text safe to show: nothing a peer sends may hide itself, reorder the
//! window's text, or render as an empty box.

use std::borrow::Cow;

/// Replaces what cannot be shown as itself with a visible, ASCII stand-in:
/// C0/C1 control characters (except newline and tab) in caret or `<U+XXXX>` form,
/// bidirectional-override and other invisible format characters, and Private Use
/// characters (GBK's user-defined area), which no font draws.
pub fn visible_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if let Some(caret) = caret_form(c) {
            out.push('^');
            out.push(caret);
        } else {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// `text` with every character that no font can draw (`has_glyph` says no) written as its
/// code, `U+2A6D6`, instead of an empty box; `None` when every character has a glyph.
/// Whitespace is never asked about (fonts need no glyph for it).
pub fn with_codes_for_missing(
    text: &str,
    mut has_glyph: impl FnMut(char) -> bool,
) -> Option<String> {
    let mut missing = |c: char| !c.is_ascii() && !c.is_whitespace() && !has_glyph(c);
    let first = text.char_indices().find(|(_, c)| missing(*c))?.0;
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if missing(c) {
            out.push_str(&format!("U+{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn caret_form(c: char) -> Option<char> {
    match u32::from(c) {
        n @ 0x00..=0x1F => char::from_u32(n + 0x40),
        0x7F => Some('?'),
        _ => None,
    }
}

fn needs_escape(c: char) -> bool {
    let n = u32::from(c);
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(n,
            0x200B..=0x200F   // zero-width spaces and direction marks
            | 0x202A..=0x202E // embeddings and overrides
            | 0x2060..=0x2069 // word joiner, invisible operators, isolates
            | 0xFEFF          // zero-width no-break space
            | 0xE000..=0xF8FF // Private Use (GBK user-defined area)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_untouched_and_not_copied() {
        assert!(matches!(visible_text("你好\n第二行\tok"), Cow::Borrowed(_)));
    }

    #[test]
    fn characters_without_a_glyph_show_their_code() {
        let has = |c: char| c != '\u{2A6D6}' && c != '\u{FFFD}';
        assert_eq!(with_codes_for_missing("你好 ok", has), None);
        assert_eq!(
            with_codes_for_missing("罕见\u{2A6D6}字\u{FFFD}", has).as_deref(),
            Some("罕见U+2A6D6字U+FFFD")
        );
        // Nothing is asked about ASCII or whitespace.
        assert_eq!(with_codes_for_missing("a \u{3000}\n", |_| false), None);
    }

    #[test]
    fn controls_overrides_and_private_use_become_visible() {
        assert_eq!(visible_text("a\0b\x1b[31m\x7f"), "a^@b^[[31m^?");
        assert_eq!(visible_text("\u{202E}evil"), "<U+202E>evil");
        assert_eq!(visible_text("x\u{E000}y"), "x<U+E000>y");
        assert_eq!(visible_text("\r\n"), "^M\n");
    }
}
