//! The find matcher: plain substring search on what the window shows.
//!
//! Latin letters match regardless of case, and full-width forms match their half-width
//! twins both ways (`ＡＢＣ１２３` and `ABC123`, `，` and `,`, the ideographic space and a
//! space). Folding maps one character to one character, so a hit's range in the folded text
//! is a hit in the original text. A query may also be hex ("match bytes"): `c4e3` finds the
//! GBK bytes of 你 in what arrived on the wire.

use std::ops::Range;

/// Folds one character for matching: full-width ASCII to ASCII, then Latin lower case.
pub fn fold_char(c: char) -> char {
    let half = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if half.is_ascii() {
        half.to_ascii_lowercase()
    } else if matches!(half, '\u{3000}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}') {
        // CJK punctuation, kana and ideographs, and Hangul syllables have no case: the
        // common text here skips the look-up in Unicode's case tables.
        half
    } else {
        let mut lower = half.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => half,
        }
    }
}

/// A query folded once, ready to be matched against many texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    folded: Vec<char>,
}

impl Query {
    /// `None` for an empty query, which matches nothing.
    pub fn new(text: &str) -> Option<Query> {
        let folded: Vec<char> = text.chars().map(fold_char).collect();
        (!folded.is_empty()).then_some(Query { folded })
    }

    /// The query's characters, folded.
    pub fn folded(&self) -> &[char] {
        &self.folded
    }

    /// Byte ranges in `text` of every non-overlapping hit, in order.
    ///
    /// Walks the text once without copying it: only where a character folds to the
    /// query's first one are the characters after it compared.
    pub fn hits(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let Some((first, rest)) = self.folded.split_first() else {
            return out;
        };
        let mut chars = text.char_indices();
        while let Some((start, c)) = chars.next() {
            if fold_char(c) != *first {
                continue;
            }
            let mut ahead = chars.clone();
            let mut end = start + c.len_utf8();
            let matched = rest.iter().all(|q| match ahead.next() {
                Some((i, d)) if fold_char(d) == *q => {
                    end = i + d.len_utf8();
                    true
                }
                _ => false,
            });
            if matched {
                out.push(start..end);
                // Hits do not overlap: go on after this one.
                chars = ahead;
            }
        }
        out
    }

    /// Where the first hit in `text` starts, if there is one (no list is made).
    pub fn first_hit(&self, text: &str) -> Option<usize> {
        let (first, rest) = self.folded.split_first()?;
        let mut chars = text.char_indices();
        while let Some((start, c)) = chars.next() {
            if fold_char(c) != *first {
                continue;
            }
            let mut ahead = chars.clone();
            if rest
                .iter()
                .all(|q| ahead.next().is_some_and(|(_, d)| fold_char(d) == *q))
            {
                return Some(start);
            }
        }
        None
    }

    /// Hits in one message received in several chunks: the chunks are matched as the one
    /// text the window shows, so a hit may span a chunk boundary.
    pub fn hits_in_chunks(&self, chunks: &[&str]) -> Vec<Range<usize>> {
        self.hits(&chunks.concat())
    }
}

/// A query made ready to scan long texts (whole files): every character that folds to the
/// query's first one is known, in UTF-8, so the places a hit may start are found with the
/// standard library's substring search instead of folding every character of the text.
/// It finds exactly the hits [`Query::hits`] finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scanner {
    query: Query,
    /// Every character that folds to the query's first one, encoded.
    firsts: Vec<String>,
    /// The query's character least likely to be common in a transcript file (see
    /// [`Scanner::anchor`]), by its place in the query.
    anchor: usize,
    /// Every character that folds to it, encoded.
    anchors: Vec<String>,
}

/// Characters from here on have no case and no half-width twin: each folds to itself.
const FOLDS_ONLY_TO_ITSELF: u32 = 0x2_0000;

/// How common a (folded) query character is in a transcript file, lowest rarest: a
/// file is mostly hex digits, times and addresses, so those are picked last.
fn commonness(c: char) -> u8 {
    match c {
        ' ' => 4,
        '0'..='9' | 'a'..='f' => 3,
        c if c.is_ascii_alphabetic() => 1,
        c if c.is_ascii() => 2,
        _ => 0,
    }
}

impl Scanner {
    /// Prepares `query` (looks once through the characters below U+20000 for those that
    /// fold to its first and to its anchor: a few milliseconds, once a search).
    pub fn new(query: Query) -> Scanner {
        let first = query.folded[0];
        let anchor = (0..query.folded.len())
            .min_by_key(|i| commonness(query.folded[*i]))
            .unwrap_or(0);
        let wanted = query.folded[anchor];
        let (mut firsts, mut anchors) = (Vec::new(), Vec::new());
        for c in (0..FOLDS_ONLY_TO_ITSELF).filter_map(char::from_u32) {
            let f = fold_char(c);
            if f == first {
                firsts.push(String::from(c));
            }
            if f == wanted {
                anchors.push(String::from(c));
            }
        }
        if first as u32 >= FOLDS_ONLY_TO_ITSELF {
            firsts.push(first.to_string());
        }
        if wanted as u32 >= FOLDS_ONLY_TO_ITSELF {
            anchors.push(wanted.to_string());
        }
        Scanner {
            query,
            firsts,
            anchor,
            anchors,
        }
    }

    /// The place in the query of the character a file is searched for first (every hit
    /// holds it there), and every character that folds to it, in UTF-8: the query's
    /// rarest-looking character, so a byte search over a whole file stops at few places.
    pub fn anchor(&self) -> (usize, &[String]) {
        (self.anchor, &self.anchors)
    }

    /// The query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Byte ranges in `text` of every non-overlapping hit, in order (as [`Query::hits`]).
    pub fn hits(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut next = self.first_places(text);
        let mut from = 0;
        while let Some((start, end)) = self.next_hit(text, from, &mut next) {
            out.push(start..end);
            from = end;
        }
        out
    }

    /// Where the first hit in `text` starts, if there is one.
    pub fn first_hit(&self, text: &str) -> Option<usize> {
        let mut next = self.first_places(text);
        self.next_hit(text, 0, &mut next).map(|(start, _)| start)
    }

    /// Where each first character first occurs in `text`.
    fn first_places(&self, text: &str) -> Vec<Option<usize>> {
        self.firsts.iter().map(|f| text.find(f.as_str())).collect()
    }

    /// The first hit at or after byte `from`: its start and end. `next` holds, for each
    /// first character, where it next occurs (`None`: nowhere more), so each is looked for
    /// again only once the scan has passed it: the text is read about once a character.
    fn next_hit(
        &self,
        text: &str,
        mut from: usize,
        next: &mut [Option<usize>],
    ) -> Option<(usize, usize)> {
        let rest = &self.query.folded[1..];
        loop {
            let mut best: Option<(usize, usize)> = None;
            for (at, first) in next.iter_mut().zip(&self.firsts) {
                if let Some(i) = *at
                    && i < from
                {
                    *at = text
                        .get(from..)
                        .and_then(|t| t.find(first.as_str()))
                        .map(|j| from + j);
                }
                if let Some(i) = *at
                    && best.is_none_or(|(b, _)| i < b)
                {
                    best = Some((i, first.len()));
                }
            }
            let (start, len) = best?;
            let mut end = start + len;
            let mut ahead = text[end..].chars();
            let matched = rest.iter().all(|q| match ahead.next() {
                Some(d) if fold_char(d) == *q => {
                    end += d.len_utf8();
                    true
                }
                _ => false,
            });
            if matched {
                return Some((start, end));
            }
            from = start + len;
        }
    }
}

/// Parses a "match bytes" query: hex digits, spaces allowed, an even count.
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    Some(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

/// Byte ranges of every non-overlapping occurrence of `needle` in `haystack`.
pub fn byte_hits(haystack: &[u8], needle: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            out.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::new(s).expect("non-empty")
    }

    #[test]
    fn full_width_matches_half_width_both_ways() {
        assert_eq!(q("ABC123").hits("答案ＡＢＣ１２３"), vec![6..24]);
        assert_eq!(q("ＡＢＣ１２３").hits("x ABC123"), vec![2..8]);
        assert_eq!(q(",").hits("你好，世界"), vec![6..9]);
        assert_eq!(q("，").hits("a,b"), vec![1..2]);
    }

    #[test]
    fn latin_is_case_insensitive() {
        assert_eq!(q("BYE").hits("they said Bye"), vec![10..13]);
        assert_eq!(q("bye").hits("BYE bye"), vec![0..3, 4..7]);
    }

    #[test]
    fn chinese_substring_and_no_match() {
        assert_eq!(
            q("问题3").hits("李四：问题3怎么做？问题３"),
            vec![9..16, 28..37]
        );
        assert!(q("张三").hits("李四").is_empty());
        assert!(Query::new("").is_none());
    }

    #[test]
    fn the_scanner_finds_what_the_query_finds() {
        let texts = [
            "they said Bye, BYE and ｂｙｅ",
            "李四：问题3怎么做？问题３，问题 3",
            "ab aab abab",
            "Kelvin \u{212A}m and km",
            "",
        ];
        for query in [
            "bye",
            "ＢＹＥ",
            "问题3",
            "ab",
            "aab",
            "km",
            "k",
            "题",
            "zebra",
        ] {
            let plain = q(query);
            let fast = Scanner::new(plain.clone());
            for text in texts {
                assert_eq!(fast.hits(text), plain.hits(text), "{query:?} in {text:?}");
                assert_eq!(
                    fast.first_hit(text),
                    plain.first_hit(text),
                    "{query:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn the_first_hit_is_where_the_list_starts() {
        assert_eq!(q("ＢＹＥ").first_hit("they said bye, bye"), Some(10));
        assert_eq!(q("zebra").first_hit("they said bye"), None);
    }

    #[test]
    fn hit_split_across_two_chunks() {
        assert_eq!(q("你好").hits_in_chunks(&["说你", "好吗"]), vec![3..9]);
    }

    #[test]
    fn hex_finds_gbk_bytes() {
        let needle = parse_hex("c4e3").expect("hex");
        assert_eq!(needle, vec![0xc4, 0xe3]);
        let (gbk, _, _) = encoding_rs::GBK.encode("说你好");
        assert_eq!(byte_hits(&gbk, &needle), vec![2..4]);
        assert_eq!(parse_hex("C4 E3"), Some(vec![0xc4, 0xe3]));
        assert!(parse_hex("c4e").is_none());
        assert!(parse_hex("zz").is_none());
    }
}
