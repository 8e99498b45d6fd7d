//! Find in a JSON Lines transcript without reading it back whole: the quick way of
//! [`super::find_file::search_text`], with exactly its results.
//!
//! serde_json writes every character but `"`, `\` and control characters as itself, so a
//! hit in one record's text is in the file's bytes as the window shows it. The file is
//! first searched as bytes for the query's anchor character (see
//! [`Scanner::anchor`]); only where the query may be around one (or in a notice, which
//! the window words) is the file read line by line, and even then a line as TurnChat
//! writes it (fields in their order, no escapes) is taken apart where it lies, without
//! reading its wire bytes or building a transcript. Any other line goes through the full
//! record parser, so damaged lines, escapes and fields of other versions read exactly as
//! [`super::history::parse`] reads them.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use memchr::memmem::Finder;

use super::file_hits::{FileFound, FileHit, around};
use super::find::{Scanner, fold_char};
use super::history::system_entry;
use super::transcript::{Entry, Record, Speaker};
use super::turn::Role;

/// Searches a JSON Lines file's `text` as [`super::find_file::search_text`] does for a text
/// query. `None` when this way cannot be sure (the query holds a character JSON may
/// escape): the caller reads the file back whole. `Some(None)`: not a transcript.
pub fn search(
    text: &str,
    scanner: &Scanner,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
    list: usize,
) -> Option<Option<FileFound>> {
    let escaped = |c: &char| matches!(c, '"' | '\\' | '/') || c.is_control();
    if scanner.query().folded().iter().any(escaped) {
        return None;
    }
    // A `\u` escape may spell any character: such a file is read line by line.
    let unicode_escapes = Finder::new(br"\u").find(text.as_bytes()).is_some();
    if !unicode_escapes && !may_hit(text, scanner, shown) {
        return Some(first_record(text).map(|(peer, started, _)| FileFound {
            peer,
            name: None,
            started,
            total: 0,
            listed: Vec::new(),
            damaged: 0,
        }));
    }
    Some(read_lines(text, scanner, shown, list))
}

/// Where a hit may be, told from the bytes around a place of the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Around {
    /// The query is there, as it is spelled in the file.
    Hit,
    /// The query runs into a string's end: it may go on in the next piece of a message
    /// (or it is an escaped quote).
    Maybe,
    /// Not here.
    No,
}

/// Whether the query is around the anchor character found at byte `at` (`len` bytes).
fn around_anchor(text: &str, at: usize, len: usize, scanner: &Scanner) -> Around {
    let folded = scanner.query().folded();
    let (k, _) = scanner.anchor();
    let step = |c: Option<char>, want: char| match c {
        Some(c) if fold_char(c) == want => None,
        Some('"') | None => Some(Around::Maybe),
        Some(_) => Some(Around::No),
    };
    let mut ahead = text[at + len..].chars();
    for want in &folded[k + 1..] {
        if let Some(end) = step(ahead.next(), *want) {
            return end;
        }
    }
    let mut back = text[..at].chars().rev();
    for want in folded[..k].iter().rev() {
        if let Some(end) = step(back.next(), *want) {
            return end;
        }
    }
    Around::Hit
}

/// Whether the file (without `\u` escapes) may hold a hit: the query around a place of its
/// anchor, or in a notice as the window words it. When not, no message can: a hit in one
/// record is in the bytes as shown, and a hit across two pieces of a message runs into
/// the end of one piece's string.
fn may_hit(text: &str, scanner: &Scanner, shown: &dyn Fn(&Entry) -> Cow<'_, str>) -> bool {
    let mut places = Places::new(text.as_bytes(), scanner.anchor().1);
    let mut from = 0;
    while let Some((at, len)) = places.next_from(from) {
        if around_anchor(text, at, len, scanner) != Around::No {
            return true;
        }
        from = at + len;
    }
    // Notices: a `system` record says so in its bytes (there are no escapes to hide it).
    let Some((_, _, first_role)) = first_record(text) else {
        return false;
    };
    let bytes = text.as_bytes();
    let mut after = 0;
    for at in Finder::new(b"system").find_iter(bytes) {
        if at < after {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        after = end;
        let Some(record) = Record::parse(&text[start..end]) else {
            continue;
        };
        let Ok(when) = DateTime::parse_from_rfc3339(&record.at) else {
            continue;
        };
        if record.from == Speaker::System {
            let entry = system_entry(&record, when, first_role);
            if scanner.first_hit(&shown(&entry)).is_some() {
                return true;
            }
        }
    }
    false
}

/// The first readable record's peer, time and role.
fn first_record(text: &str) -> Option<(String, DateTime<FixedOffset>, Option<Role>)> {
    text.lines().find_map(|l| {
        let r = Record::parse(l)?;
        let at = DateTime::parse_from_rfc3339(&r.at).ok()?;
        Some((r.peer, at, r.role))
    })
}

/// The places of the anchor's forms in a file, in order, each form looked for again only
/// once the walk has passed it (so the file is read about once a form).
struct Places<'a> {
    bytes: &'a [u8],
    finders: Vec<Finder<'a>>,
    next: Vec<Option<usize>>,
}

impl<'a> Places<'a> {
    fn new(bytes: &'a [u8], forms: &'a [String]) -> Places<'a> {
        let finders: Vec<Finder<'a>> = forms.iter().map(|f| Finder::new(f.as_bytes())).collect();
        let next = finders.iter().map(|f| f.find(bytes)).collect();
        Places {
            bytes,
            finders,
            next,
        }
    }

    /// The first place at or after byte `from`: where, and the form's length.
    fn next_from(&mut self, from: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (next, finder) in self.next.iter_mut().zip(&self.finders) {
            if let Some(at) = *next
                && at < from
            {
                *next = self
                    .bytes
                    .get(from..)
                    .and_then(|b| finder.find(b))
                    .map(|i| from + i);
            }
            if let Some(at) = *next
                && best.is_none_or(|(b, _)| at < b)
            {
                best = Some((at, finder.needle().len()));
            }
        }
        best
    }
}

/// One record's fields that place a hit, borrowed from its line where it lies.
struct Line<'a> {
    at: Cow<'a, str>,
    peer: Cow<'a, str>,
    from: Speaker,
    text: Cow<'a, str>,
    /// Where `text` is in the file, when it lies there as shown.
    text_at: Option<usize>,
    new_message: Option<bool>,
    /// The whole record, for lines read by the full parser (boxed: a line is moved
    /// about, and most lines have none).
    record: Option<Box<Record>>,
}

/// A `me` or `peer` line exactly as TurnChat writes it (`at`, `session`, `peer`, `from`,
/// `text`, then perhaps `hex` and `new_message`, and no escapes or control characters),
/// taken apart where it lies; `None` for any other line. What it reads is what the full
/// parser reads from such a line.
fn plain_line(line: &str) -> Option<Plain<'_>> {
    let b = line.as_bytes();
    // No escapes and no control characters: every `"` ends a string.
    if !plain_bytes(b) {
        return None;
    }
    let string =
        |from: usize| -> Option<usize> { memchr::memchr(b'"', &b[from..]).map(|i| from + i) };
    let key = |at: usize, k: &[u8]| {
        b.get(at..at + k.len())
            .filter(|s| *s == k)
            .map(|_| at + k.len())
    };
    let at_start = key(0, br#"{"at":""#)?;
    let at_end = string(at_start)?;
    let session = key(at_end, br#"","session":""#)?;
    let peer_start = key(string(session)?, br#"","peer":""#)?;
    let peer_end = string(peer_start)?;
    let from_start = key(peer_end, br#"","from":""#)?;
    let (from, after) = if let Some(i) = key(from_start, br#"me","text":""#) {
        (Speaker::Me, i)
    } else {
        (Speaker::Peer, key(from_start, br#"peer","text":""#)?)
    };
    let text_end = string(after)?;
    let mut rest = text_end + 1;
    if let Some(hex) = key(rest, br#","hex":""#) {
        rest = string(hex)? + 1;
    }
    let mut new_message = None;
    if let Some(i) = key(rest, br#","new_message":true"#) {
        (new_message, rest) = (Some(true), i);
    } else if let Some(i) = key(rest, br#","new_message":false"#) {
        (new_message, rest) = (Some(false), i);
    }
    if &b[rest..] != b"}" {
        return None;
    }
    Some(Plain {
        at: line.get(at_start..at_end)?,
        peer: line.get(peer_start..peer_end)?,
        from,
        text: after..text_end,
        new_message,
    })
}

/// Whether `b` has no `\` and no control character (in blocks the compiler checks many
/// bytes at a time in).
fn plain_bytes(b: &[u8]) -> bool {
    let bad = |c: u8| (c < 0x20) | (c == b'\\');
    let mut blocks = b.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |any, &c| any | bad(c)) {
            return false;
        }
    }
    !blocks.remainder().iter().any(|&c| bad(c))
}

/// A line as TurnChat writes it, taken apart: its fields, and where its text lies in it.
struct Plain<'a> {
    at: &'a str,
    peer: &'a str,
    from: Speaker,
    text: std::ops::Range<usize>,
    new_message: Option<bool>,
}

/// Tells whether a record's time reads, as the full parser's RFC 3339 reading tells, but
/// for a time of the same hour as the last one read (as `2026-11-25T14:02:11.123+08:00`)
/// without reading it again: only its minutes, seconds and milliseconds differ, each in
/// range.
#[derive(Default)]
struct Times {
    last: Option<String>,
}

impl Times {
    fn reads(&mut self, at: &str) -> bool {
        let b = at.as_bytes();
        let shaped = |b: &[u8]| {
            b.len() == 29
                && b[13] == b':'
                && matches!(b[14], b'0'..=b'5')
                && b[15].is_ascii_digit()
                && b[16] == b':'
                && matches!(b[17], b'0'..=b'5')
                && b[18].is_ascii_digit()
                && b[19] == b'.'
                && b[20..23].iter().all(u8::is_ascii_digit)
                && matches!(b[23], b'+' | b'-')
        };
        if let Some(last) = &self.last
            && shaped(b)
            && last.as_bytes()[..13] == b[..13]
            && last.as_bytes()[23..] == b[23..]
        {
            return true;
        }
        let reads = DateTime::parse_from_rfc3339(at).is_ok();
        if reads && shaped(b) {
            self.last = Some(at.to_owned());
        }
        reads
    }
}

/// A message being read: its entry's place, when it started, its text so far, and
/// whether the text may hold a hit.
struct Open<'a> {
    entry: usize,
    at: Cow<'a, str>,
    text: Cow<'a, str>,
    maybe: bool,
}

/// The hits found so far in a file.
struct Found {
    total: usize,
    listed: Vec<FileHit>,
    list: usize,
}

impl Found {
    /// Counts and lists the hits in an entry shown as `text`, said at `at`.
    fn entry(&mut self, scanner: &Scanner, entry: usize, at: &str, text: &str) {
        let hits = scanner.hits(text);
        if hits.is_empty() {
            return;
        }
        self.total += hits.len();
        let Ok(at) = DateTime::parse_from_rfc3339(at) else {
            return;
        };
        for range in hits {
            if self.listed.len() >= self.list {
                break;
            }
            let (before, hit, after) = around(text, range.clone());
            self.listed.push(FileHit {
                entry,
                start: range.start,
                at,
                before,
                hit,
                after,
            });
        }
    }

    fn close(&mut self, scanner: &Scanner, open: Option<Open<'_>>) {
        if let Some(open) = open
            && open.maybe
        {
            self.entry(scanner, open.entry, &open.at, &open.text);
        }
    }
}

/// The lines of `text` as [`str::lines`] splits them (a `\r` before a `\n` is not part
/// of the line), each with where it starts: found with one byte search over the
/// whole text.
fn lines_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let from = start;
        let Some(end) = ends.next() else {
            // The last line, without a line end: kept whole.
            start = text.len();
            return (from < text.len()).then(|| (from, &text[from..]));
        };
        start = end + 1;
        let line = &text[from..end];
        Some((from, line.strip_suffix('\r').unwrap_or(line)))
    })
}

/// Reads the file line by line as [`super::history::parse`] would, listing the hits.
fn read_lines(
    text: &str,
    scanner: &Scanner,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
    list: usize,
) -> Option<FileFound> {
    let mut places = Places::new(text.as_bytes(), scanner.anchor().1);
    let mut times = Times::default();
    let mut found = Found {
        total: 0,
        listed: Vec::new(),
        list,
    };
    let (mut damaged, mut entries) = (0, 0);
    let mut first: Option<(String, DateTime<FixedOffset>, Option<Role>)> = None;
    let mut name: Option<String> = None;
    let mut last_from: Option<Speaker> = None;
    let mut open: Option<Open<'_>> = None;
    for (base, l) in lines_at(text) {
        let line = match plain_line(l) {
            Some(p) => Line {
                at: Cow::Borrowed(p.at),
                peer: Cow::Borrowed(p.peer),
                from: p.from,
                text_at: Some(base + p.text.start),
                text: Cow::Borrowed(&l[p.text]),
                new_message: p.new_message,
                record: None,
            },
            None if l.trim().is_empty() => continue,
            None => match Record::parse(l) {
                Some(r) => Line {
                    at: Cow::Owned(r.at.clone()),
                    peer: Cow::Owned(r.peer.clone()),
                    from: r.from,
                    text: Cow::Owned(r.text.clone()),
                    text_at: None,
                    new_message: r.new_message,
                    record: Some(Box::new(r)),
                },
                None => {
                    damaged += 1;
                    continue;
                }
            },
        };
        if !times.reads(&line.at) {
            damaged += 1;
            continue;
        }
        let role = line.record.as_ref().and_then(|r| r.role);
        if name.is_none() {
            name = line.record.as_ref().and_then(|r| r.name.clone());
        }
        if first.is_none() {
            let at = DateTime::parse_from_rfc3339(&line.at).ok()?;
            first = Some((line.peer.clone().into_owned(), at, role));
        }
        // A line read by the full parser may hold the query in an escape: it is searched.
        // One read where it lies is, if the query may be around a place of its anchor in
        // its text (or runs into the text's end, on into another piece).
        let maybe = line.text_at.is_none_or(|start| {
            let end = start + line.text.len();
            let mut from = start;
            while let Some((at, len)) = places.next_from(from).filter(|(at, _)| *at < end) {
                if around_anchor(text, at, len, scanner) != Around::No {
                    return true;
                }
                from = at + len;
            }
            false
        });
        match line.from {
            Speaker::Peer => {
                // As the transcript joins them: consecutive peer lines are one message,
                // unless one says it starts a new one.
                let new = last_from != Some(Speaker::Peer) || line.new_message == Some(true);
                match open.as_mut() {
                    Some(o) if !new => {
                        o.text.to_mut().push_str(&line.text);
                        o.maybe |= maybe;
                    }
                    _ => {
                        found.close(scanner, open.take());
                        open = Some(Open {
                            entry: entries,
                            at: line.at.clone(),
                            text: line.text.clone(),
                            maybe,
                        });
                        entries += 1;
                    }
                }
            }
            Speaker::Me => {
                found.close(scanner, open.take());
                if maybe {
                    found.entry(scanner, entries, &line.at, &line.text);
                }
                entries += 1;
            }
            Speaker::System => {
                found.close(scanner, open.take());
                if let Some(record) = &line.record
                    && let Ok(at) = DateTime::parse_from_rfc3339(&line.at)
                {
                    let first_role = first.as_ref().and_then(|f| f.2);
                    let entry = system_entry(record, at, first_role);
                    found.entry(scanner, entries, &line.at, &shown(&entry));
                }
                entries += 1;
            }
        }
        last_from = Some(line.from);
    }
    found.close(scanner, open.take());
    let (peer, started, _) = first?;
    Some(FileFound {
        peer,
        name,
        started,
        total: found.total,
        listed: found.listed,
        damaged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::export::ExportFormat;
    use crate::core::find_file::{self, Needle};
    use crate::core::history;

    /// Notices shown in words the file does not hold, with the role when the notice
    /// needs it (a stand-in for the window's words).
    fn shown(entry: &Entry) -> Cow<'_, str> {
        match &entry.notice {
            Some(n) => Cow::Owned(format!("对方说了再见 notice {} {n:?}", n.kind())),
            None => Cow::Borrowed(&entry.text),
        }
    }

    fn at(s: u32) -> DateTime<FixedOffset> {
        let base = DateTime::parse_from_rfc3339("2026-11-25T14:58:00.000+08:00").expect("t");
        base + chrono::Duration::milliseconds(i64::from(s) * 1700)
    }

    /// A small generator, so the corpus is varied and the same every run.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    const WORDS: [&str; 16] = [
        "老师，第3题的答案是不是B？",
        "第３题",
        "ＡＰＰＬＥ是什么",
        "an Apple pie",
        "apPle",
        "说你",
        "好吗",
        "he said \"第3题\" twice",
        "a\\b and a/b",
        "line one\nline\t第3",
        "题 ends here",
        "bye BYE ｂｙｅ",
        "e",
        "",
        "斑",
        "马 zebra",
    ];

    /// One file's lines: what TurnChat writes (messages, pieces of one message, notices,
    /// a first line with role and name), and what it does not (escapes, hand edits,
    /// damaged lines, other field orders, CRLF).
    fn corpus(seed: u64, lines: usize) -> String {
        let mut dice = Dice(seed);
        let peer = "192.168.1.7:51234";
        let mut first = Record::notice(at(0), "s1", peer, Some("connected"), "connected.");
        first.role = Some(Role::Server);
        first.name = Some("李四".into());
        let mut out = if seed.is_multiple_of(3) {
            String::new()
        } else {
            first.to_line()
        };
        for i in 1..lines as u32 {
            let words = WORDS[dice.roll(WORDS.len())];
            let (gbk, _, _) = encoding_rs::GBK.encode(words);
            let line = match dice.roll(14) {
                0..=3 => Record::message(at(i), "s1", peer, Speaker::Peer, words, &gbk).to_line(),
                4 | 5 => Record::message(at(i), "s1", peer, Speaker::Me, words, &gbk).to_line(),
                6 => {
                    let mut r = Record::message(at(i), "s1", peer, Speaker::Peer, words, &gbk);
                    r.new_message = Some(dice.roll(2) == 0);
                    r.to_line()
                }
                7 => {
                    let kinds = ["peer-bye", "connected", "cut", "lesson-over", "reset"];
                    let mut r = Record::notice(at(i), "s1", peer, Some(kinds[dice.roll(5)]), words);
                    r.cut = Some(3);
                    r.to_line()
                }
                8 => match dice.roll(6) {
                    0 => "{\"at\":\"2026-11-25T14:0\n".to_owned(),
                    1 => "not json at all\n".to_owned(),
                    2 => Record::message(at(i), "s", peer, Speaker::Peer, words, &gbk)
                        .to_line()
                        .replace("+08:00", "+8"),
                    3 => "   \n\u{3000}\n".to_owned(),
                    4 => Record::message(at(i), "s", peer, Speaker::Me, words, &gbk)
                        .to_line()
                        .replace(":58:", ":61:"),
                    _ => "{\"from\":\"peer\"}\n".to_owned(),
                },
                9 => {
                    // serde_json would not write these escapes; a hand edit or another
                    // tool might.
                    format!(
                        "{{\"at\":\"2026-11-25T15:00:0{}+08:00\",\"session\":\"s\",\"peer\":\"{peer}\",\"from\":\"peer\",\"text\":\"\\u7b2c3\\u9898 \\/ {}\",\"hex\":\"\"}}\n",
                        i % 10,
                        clean(words)
                    )
                }
                10 => format!(
                    "{{ \"from\": \"peer\", \"at\": \"{}\", \"session\": \"s\", \"peer\": \"{peer}\", \"text\": \"{}\", \"extra\": 1 }}\r\n",
                    crate::core::transcript::format_time(at(i)),
                    clean(words)
                ),
                11 => Record::message(at(i), "s1", peer, Speaker::Peer, words, &gbk)
                    .to_line()
                    .replace('\n', "\r\n"),
                12 => {
                    // A time of another shape (no milliseconds, another offset), or a
                    // second that is no second.
                    let t = match dice.roll(3) {
                        0 => "2026-11-25T14:02:11+08:00",
                        1 => "2026-11-25T14:02:60.000+08:00",
                        _ => "2026-11-25T23:59:59.999-05:30",
                    };
                    let mut r = Record::message(at(i), "s1", peer, Speaker::Peer, words, &gbk);
                    r.at = t.into();
                    r.to_line()
                }
                _ => Record::message(at(i), "s1", peer, Speaker::Me, words, &[]).to_line(),
            };
            out.push_str(&line);
        }
        out
    }

    /// Words without what would need an escape, for hand-written lines.
    fn clean(words: &str) -> String {
        words.replace(['\\', '"'], "").replace(['\n', '\t'], " ")
    }

    /// What the full way finds: the file read back whole, every entry searched.
    fn full(text: &str, format: ExportFormat, needle: &Needle, list: usize) -> Option<FileFound> {
        let c = match format {
            ExportFormat::JsonLines => history::parse(text)?,
            ExportFormat::PlainText => history::parse_plain(text)?,
        };
        let (total, listed) = find_file::search(&c, needle, &shown, list);
        Some(FileFound {
            peer: c.header.peer,
            name: c.name,
            started: c.header.started,
            total,
            listed,
            damaged: c.damaged,
        })
    }

    fn same(quick: Option<FileFound>, full: Option<FileFound>, what: &str) {
        match (quick, full) {
            (Some(q), Some(f)) if f.total == 0 => {
                // A file without hits is not listed: only what it is with is told.
                assert_eq!(
                    (q.total, q.peer, q.started),
                    (0, f.peer, f.started),
                    "{what}"
                );
            }
            (q, f) => assert_eq!(q, f, "{what}"),
        }
    }

    const QUERIES: [&str; 16] = [
        "第3题",
        "apple",
        "ＡＰＰＬＥ",
        "斑马",
        "你好",
        "说你好吗",
        "再见",
        "e",
        "3",
        "题 e",
        "ab",
        "BYE",
        "b",
        "zebra",
        "lesson",
        "notice connected",
    ];

    #[test]
    fn the_quick_way_finds_exactly_what_reading_the_file_back_whole_finds() {
        let files: Vec<String> = (0..60)
            .map(|seed| corpus(seed, 40 + (seed as usize % 5) * 30))
            .collect();
        let mut hits = std::collections::HashMap::new();
        for query in QUERIES {
            let needle = Needle::new(query, false).expect("q");
            let Needle::Text(scanner) = &needle else {
                unreachable!("a text query");
            };
            for (seed, text) in files.iter().enumerate() {
                for list in [0, 3, 500] {
                    let what = format!("{query:?} in file {seed}, listing {list}");
                    let whole = full(text, ExportFormat::JsonLines, &needle, list);
                    *hits.entry(query).or_insert(0) += whole.as_ref().map_or(0, |f| f.total);
                    let quick = search(text, scanner, &shown, list).expect("taken");
                    same(quick, whole.clone(), &what);
                    let through = find_file::search_text(
                        text,
                        ExportFormat::JsonLines,
                        &needle,
                        &shown,
                        list,
                    );
                    same(through, whole, &what);
                }
            }
        }
        // Match bytes is read back whole, and finds the same.
        for hex in ["b5da", "c4e3 bac3", "62"] {
            let needle = Needle::new(hex, true).expect("hex");
            for text in &files {
                let found =
                    find_file::search_text(text, ExportFormat::JsonLines, &needle, &shown, 5);
                same(found, full(text, ExportFormat::JsonLines, &needle, 5), hex);
            }
        }
        // The corpus has hits of every sort: across pieces, in notices, under escapes,
        // in Latin and full-width forms; and damaged lines.
        let sorts = [
            "说你好吗",
            "斑马",
            "再见",
            "第3题",
            "apple",
            "ＡＰＰＬＥ",
            "BYE",
            "题 e",
        ];
        for query in sorts {
            assert!(hits[query] > 0, "{query:?} has hits");
        }
        let e = Needle::new("e", false).expect("q");
        assert!(
            files
                .iter()
                .filter_map(|t| full(t, ExportFormat::JsonLines, &e, 0))
                .any(|f| f.damaged > 0)
        );
    }

    #[test]
    fn plain_text_exports_and_queries_json_escapes_take_the_full_way() {
        let export = "TurnChat conversation\nThis computer (server): 127.0.0.1:8888\nOther side (client):  192.168.1.7:51234\nStarted:  2026-11-25 23:59:58 +08:00\nEnded:    2026-11-26 00:00:09 +08:00\nEncoding: GBK\nSession:  s1\n\n[23:59:58] *: 192.168.1.7:51234 connected.\n[23:59:59] 192.168.1.7:51234: 第一行\n                               第3题怎么做 ＡＰＰＬＥ\n[00:00:05] Me: 看第３题\nnoise\n";
        for query in ["第3题", "apple", "斑马", "行 第"] {
            let needle = Needle::new(query, false).expect("q");
            let found =
                find_file::search_text(export, ExportFormat::PlainText, &needle, &shown, 10);
            same(
                found,
                full(export, ExportFormat::PlainText, &needle, 10),
                query,
            );
        }
        let text = corpus(2, 100);
        for query in ["\"第3题\"", "a\\b", "a/b"] {
            let needle = Needle::new(query, false).expect("q");
            let Needle::Text(scanner) = &needle else {
                unreachable!("a text query");
            };
            assert!(search(&text, scanner, &shown, 10).is_none(), "{query:?}");
            let found = find_file::search_text(&text, ExportFormat::JsonLines, &needle, &shown, 10);
            same(
                found,
                full(&text, ExportFormat::JsonLines, &needle, 10),
                query,
            );
        }
    }

    #[test]
    fn lines_are_split_as_the_standard_library_splits_them() {
        for text in [
            "",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "\n\nb",
            "a\rb\r",
            "x\r\n\r\ny\r",
        ] {
            let ours: Vec<&str> = lines_at(text).map(|(_, l)| l).collect();
            assert_eq!(ours, text.lines().collect::<Vec<_>>(), "{text:?}");
            for (at, line) in lines_at(text) {
                assert!(text[at..].starts_with(line));
            }
        }
    }

    #[test]
    fn a_line_as_turnchat_writes_it_is_read_where_it_lies() {
        let r = Record::message(
            at(1),
            "s1",
            "p:1",
            Speaker::Peer,
            "你好",
            &[0xc4, 0xe3, 0xba, 0xc3],
        );
        let line = r.to_line();
        let p = plain_line(line.trim_end()).expect("plain");
        assert_eq!(
            (p.at, p.peer, p.from),
            (r.at.as_str(), "p:1", Speaker::Peer)
        );
        assert_eq!(&line[p.text], "你好");
        let escaped = Record::message(at(1), "s1", "p:1", Speaker::Me, "a\"b", &[]).to_line();
        assert!(
            plain_line(escaped.trim_end()).is_none(),
            "an escape takes the full parser"
        );
        let mut times = Times::default();
        assert!(times.reads("2026-11-25T14:02:11.123+08:00"));
        assert!(times.reads("2026-11-25T14:59:59.999+08:00"), "same hour");
        assert!(!times.reads("2026-11-25T14:60:00.000+08:00"));
        assert!(!times.reads("2026-02-30T14:02:11.123+08:00"));
        assert!(
            times.reads("2026-11-25T14:02:60.000+08:00"),
            "a leap second reads, as chrono reads it"
        );
    }
}
