//! Names that look alike, and servers that moved: what a row of the list of servers found
//! (and a line of `turnchat --discover`) must warn about, since DNS-SD names are asserted,
//! not authenticated. Anyone can announce "王老师", or "王\u{200B}老师", which looks the same.
//!
//! Pure: the live list ([`crate::core::discovery::LiveList`]) calls [`look_key`] and keeps
//! the first address each name was seen at; the marks come out with each row.

use std::net::SocketAddr;

/// Whether `c` is drawn as nothing, or changes how the text around it is drawn: controls,
/// zero-width and bidirectional format characters, line and paragraph separators, tags and
/// variation selectors. Such characters are escaped in script output and ignored when
/// names are compared.
pub fn is_invisible(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || matches!(n,
            0x00AD            // soft hyphen
            | 0x034F          // combining grapheme joiner
            | 0x061C          // Arabic letter mark
            | 0x115F | 0x1160 // Hangul fillers
            | 0x17B4 | 0x17B5
            | 0x180B..=0x180F // Mongolian selectors and vowel separator
            | 0x200B..=0x200F // zero-width spaces and direction marks
            | 0x2028..=0x202E // line/paragraph separators, embeddings and overrides
            | 0x2060..=0x206F // word joiner, invisible operators, isolates, deprecated formats
            | 0x3164          // Hangul filler
            | 0xFE00..=0xFE0F // variation selectors
            | 0xFEFF          // zero-width no-break space
            | 0xFFA0          // halfwidth Hangul filler
            | 0xFFF9..=0xFFFB // interlinear annotation
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF // tags and variation selectors supplement
        )
}

/// What a name looks like, for comparing: invisible characters dropped, every run of
/// white space one space, trimmed, full-width ASCII as ASCII, lower case. Two names with
/// the same key are shown as look-alikes.
pub fn look_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        let n = u32::from(c);
        let c = if (0xFF01..=0xFF5E).contains(&n) {
            char::from_u32(n - 0xFEE0).unwrap_or(c)
        } else {
            c
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// A name as the window shows it: [`crate::core::display::visible_text`]'s rules (controls
/// in caret form, bidi and zero-width characters as `<U+XXXX>`), and tab and line break
/// too (`^I`, `^J`), so that a row is one line and hides nothing.
pub fn visible_name(name: &str) -> String {
    super::display::visible_text(name)
        .replace('\t', "^I")
        .replace('\n', "^J")
}

/// What a row of the list warns about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// Another server listed now has a name that looks the same.
    pub look_alike: bool,
    /// This name was first seen at another computer (its address then).
    pub moved_from: Option<SocketAddr>,
    /// The user pinned this name to this address (not a warning: the row shows the pin).
    pub pinned: bool,
    /// Found by asking its address directly (another subnet), not by its announcement.
    pub asked: bool,
}

impl Marks {
    /// Whether there is anything to warn about.
    pub fn any(&self) -> bool {
        self.look_alike || self.moved_from.is_some()
    }

    /// The marks as script output spells them (`look-alike`, `moved`, `asked`), in that
    /// order.
    pub fn words(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.look_alike {
            out.push("look-alike");
        }
        if self.moved_from.is_some() {
            out.push("moved");
        }
        if self.asked {
            out.push("asked");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_do_not_make_a_name_different() {
        let teacher = look_key("teacher");
        for fake in [
            "teach\u{200B}er",
            "\u{202E}teacher",
            "  teacher ",
            "TEACHER",
            "ｔｅａｃｈｅｒ",
            "tea\u{00AD}cher\u{E0041}",
            "teacher\u{FE0F}",
        ] {
            assert_eq!(look_key(fake), teacher, "{fake:?}");
        }
        assert_eq!(look_key("王 \t 老师"), "王 老师");
        assert_ne!(look_key("王老师"), look_key("王 老师"));
        assert_ne!(look_key("teacher2"), teacher);
    }

    #[test]
    fn names_show_what_hides() {
        assert_eq!(visible_name("teach\u{200B}er"), "teach<U+200B>er");
        assert_eq!(visible_name("a\tb\nc\u{202E}"), "a^Ib^Jc<U+202E>");
        assert_eq!(visible_name("王老师"), "王老师");
    }

    #[test]
    fn marks_are_spelled_for_scripts() {
        assert!(!Marks::default().any());
        assert!(Marks::default().words().is_empty());
        let both = Marks {
            look_alike: true,
            moved_from: Some(SocketAddr::from(([10, 0, 0, 1], 1))),
            pinned: false,
            asked: false,
        };
        assert!(both.any());
        assert_eq!(both.words(), ["look-alike", "moved"]);
    }
}
