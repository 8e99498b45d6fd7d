//! Find in one saved transcript file: its text read back (JSON Lines or a plain-text
//! export), searched with the find bar's matcher, and each hit listed with the words
//! around it, its time and who the file is with.
//!
//! Pure: the caller reads the file and says how an entry is shown (a notice is matched in
//! the words of the window's language, which live above this layer).

use std::borrow::Cow;
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use super::export::ExportFormat;
use super::find::{Query, Scanner, byte_hits, parse_hex};
use super::history::{self, Conversation};
use super::transcript::Entry;

pub use super::file_hits::{CONTEXT_CHARS, FileFound, FileHit, around};

/// What is looked for: text (folded as the find bar folds it) or, with "match bytes",
/// wire bytes typed in hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needle {
    /// Text.
    Text(Scanner),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl Needle {
    /// `None` when `query` can match nothing (empty; with `bytes`, not hex).
    pub fn new(query: &str, bytes: bool) -> Option<Needle> {
        if bytes {
            parse_hex(query).map(Needle::Bytes)
        } else {
            Query::new(query).map(|q| Needle::Text(Scanner::new(q)))
        }
    }

    /// Byte ranges of the hits in an entry shown as `text` with wire bytes `bytes`: in the
    /// text, or with "match bytes" in the bytes.
    pub fn hits(&self, text: &str, bytes: &[u8]) -> Vec<Range<usize>> {
        match self {
            Needle::Text(scanner) => scanner.hits(text),
            Needle::Bytes(needle) => byte_hits(bytes, needle),
        }
    }
}

/// Reads a file's text back in the format its name says: `None` if nothing in it is a
/// transcript.
pub fn read_back(text: &str, format: ExportFormat) -> Option<Conversation> {
    match format {
        ExportFormat::JsonLines => history::parse(text),
        ExportFormat::PlainText => history::parse_plain(text),
    }
}

/// Searches one file's `text` for `needle`, listing at most `list` hits; `shown` is the
/// text an entry shows (a notice in the window's words; a message shows its text, which
/// a JSON Lines file is searched for where it lies, see [`super::find_jsonl`]). `None` if
/// the file is not a transcript at all.
pub fn search_text(
    text: &str,
    format: ExportFormat,
    needle: &Needle,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
    list: usize,
) -> Option<FileFound> {
    if let Needle::Text(query) = needle
        && format == ExportFormat::JsonLines
        && let Some(found) = super::find_jsonl::search(text, query, shown, list)
    {
        return found;
    }
    if let Needle::Text(query) = needle
        && cannot_hit(text, format, query, shown)
    {
        // Nothing to list; the file is read no further. (What it says about itself is
        // not needed for a file without hits.)
        return read_header(text, format).map(|(peer, started)| FileFound {
            peer,
            name: None,
            started,
            total: 0,
            listed: Vec::new(),
            damaged: 0,
        });
    }
    let conversation = match format {
        // A text search does not look at the wire bytes: they are not decoded.
        ExportFormat::JsonLines => {
            history::parse_keeping(text, matches!(needle, Needle::Bytes(_)))?
        }
        ExportFormat::PlainText => return search_plain(text, needle, shown, list),
    };
    let (total, listed) = search(&conversation, needle, shown, list);
    Some(FileFound {
        peer: conversation.header.peer,
        name: conversation.name,
        started: conversation.header.started,
        total,
        listed,
        damaged: conversation.damaged,
    })
}

/// Whether a text query surely has no hit in the file, told without reading it back
/// whole. A message said in one record (or one line of an export) shows as the file holds
/// it, so if the query is nowhere in the file's text, only a message that arrived in
/// several pieces (consecutive `peer` records) or a notice (worded by the window, from its
/// kind, in its language) could hold a hit. Pieces are judged by whether every character
/// of the query is in the file at all; the notices' lines alone are read back and
/// searched. Not told (`false`) when the file or the query has JSON escapes.
fn cannot_hit(
    text: &str,
    format: ExportFormat,
    query: &Scanner,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
) -> bool {
    let wanted = query.query().folded();
    let escaped = |c: &char| matches!(c, '"' | '\\' | '/') || c.is_control();
    if format == ExportFormat::JsonLines && (wanted.iter().any(escaped) || text.contains("\\u")) {
        return false;
    }
    if query.first_hit(text).is_some() {
        return false;
    }
    if format == ExportFormat::PlainText {
        // An export's lines are what the window showed, notices included; a message's
        // lines are joined by line breaks, which no query holds.
        return true;
    }
    const PEER: &str = r#""from":"peer""#;
    let mut previous_peer = false;
    let pieces = text.lines().any(|l| {
        let peer = l.contains(PEER);
        let piece = peer && previous_peer && !l.contains(r#""new_message":true"#);
        previous_peer = peer;
        piece
    });
    if pieces && every_char_in(text, wanted) {
        return false;
    }
    // The first line (it says which side we played) and the notices.
    let notices: String = text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(r#""from":"system""#))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    history::parse(&notices).is_none_or(|c| {
        let needle = Needle::Text(query.clone());
        search(&c, &needle, shown, 0).0 == 0
    })
}

/// Whether every one of `wanted` (folded) is somewhere in `text`.
fn every_char_in(text: &str, wanted: &[char]) -> bool {
    let mut seen = vec![false; wanted.len()];
    let mut left = wanted.len();
    for c in text.chars() {
        let f = super::find::fold_char(c);
        for (i, w) in wanted.iter().enumerate() {
            if *w == f && !seen[i] {
                seen[i] = true;
                left -= 1;
            }
        }
        if left == 0 {
            return true;
        }
    }
    false
}

/// Who and when a file is with, from its first readable line (or its header).
fn read_header(text: &str, format: ExportFormat) -> Option<(String, DateTime<FixedOffset>)> {
    match format {
        ExportFormat::JsonLines => text.lines().find_map(|l| {
            let r = super::transcript::Record::parse(l)?;
            Some((r.peer, DateTime::parse_from_rfc3339(&r.at).ok()?))
        }),
        ExportFormat::PlainText => {
            let head: String = text.lines().take(8).map(|l| format!("{l}\n")).collect();
            history::parse_plain(&head).map(|c| (c.header.peer, c.header.started))
        }
    }
}

/// Searches a plain-text export as it is read, entry by entry, without building its
/// transcript (the same hits as [`read_back`] and [`search`]; an export has no wire
/// bytes, and a message shows its words).
fn search_plain(
    text: &str,
    needle: &Needle,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
    list: usize,
) -> Option<FileFound> {
    let (mut index, mut total, mut listed) = (0, 0, Vec::new());
    let read = history::walk_plain(text, |at, from, words| {
        if from == super::transcript::Speaker::System {
            let mut notice = super::transcript::Transcript::default();
            notice.written_notice(at, None, words);
            let entry = &notice.entries()[0];
            list_hits(
                index,
                entry,
                &shown(entry),
                needle,
                list,
                &mut total,
                &mut listed,
            );
        } else {
            // A hit holds the query's anchor; an export's entries have no wire bytes.
            let may = match needle {
                Needle::Text(scanner) => scanner
                    .anchor()
                    .1
                    .iter()
                    .any(|a| words.contains(a.as_str())),
                Needle::Bytes(_) => false,
            };
            if may {
                let entry = Entry {
                    at,
                    from,
                    text: String::new(),
                    notice: None,
                    kind: None,
                    bytes: Vec::new(),
                    cut: 0,
                    open: false,
                    looks_like: None,
                };
                list_hits(index, &entry, &words, needle, list, &mut total, &mut listed);
            }
        }
        index += 1;
    })?;
    Some(FileFound {
        peer: read.peer,
        name: None,
        started: read.started,
        total,
        listed,
        damaged: read.damaged,
    })
}

/// Counts the hits of `needle` in entry number `index`, shown as `text`, and lists them
/// while fewer than `list` are.
fn list_hits(
    index: usize,
    entry: &Entry,
    text: &str,
    needle: &Needle,
    list: usize,
    total: &mut usize,
    listed: &mut Vec<FileHit>,
) {
    let hits = needle.hits(text, &entry.bytes);
    *total += hits.len();
    for range in hits {
        if listed.len() >= list {
            break;
        }
        let context = match needle {
            Needle::Text(_) => range.clone(),
            Needle::Bytes(_) => 0..0,
        };
        let (before, hit, after) = around(text, context);
        listed.push(FileHit {
            entry: index,
            start: range.start,
            at: entry.at,
            before,
            hit,
            after,
        });
    }
}

/// How many hits `conversation` has for `needle`, and the first `list` of them.
pub fn search(
    conversation: &Conversation,
    needle: &Needle,
    shown: &dyn Fn(&Entry) -> Cow<'_, str>,
    list: usize,
) -> (usize, Vec<FileHit>) {
    let mut total = 0;
    let mut listed = Vec::new();
    for (i, entry) in conversation.transcript.entries().iter().enumerate() {
        list_hits(
            i,
            entry,
            &shown(entry),
            needle,
            list,
            &mut total,
            &mut listed,
        );
    }
    (total, listed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codec::to_hex;

    /// Entries shown as their text, notices as a stand-in for the window's words.
    fn shown(entry: &Entry) -> Cow<'_, str> {
        match &entry.notice {
            Some(n) => Cow::Owned(format!("notice {}", n.kind())),
            None => Cow::Borrowed(&entry.text),
        }
    }

    fn jsonl(lines: &[(&str, &str, &str)]) -> String {
        lines
            .iter()
            .enumerate()
            .map(|(i, (from, kind, text))| {
                let extra = match *from {
                    "system" if !kind.is_empty() => format!(r#","kind":"{kind}""#),
                    "system" => String::new(),
                    _ => {
                        let (gbk, _, _) = encoding_rs::GBK.encode(text);
                        format!(r#","hex":"{}""#, to_hex(&gbk))
                    }
                };
                let name = if i == 0 { r#","name":"李四""# } else { "" };
                format!(
                    r#"{{"at":"2026-11-25T14:02:{i:02}+08:00","session":"s1","peer":"192.168.1.7:51234","from":"{from}","text":"{text}"{extra}{name}}}"#
                ) + "\n"
            })
            .collect()
    }

    fn sample() -> String {
        jsonl(&[
            ("system", "", "192.168.1.7:51234 connected."),
            ("me", "", "欢迎您的使用"),
            ("peer", "", "老师，第3题的答案是不是B？"),
            ("me", "", "对，第３题是B"),
            ("system", "peer-bye", "192.168.1.7:51234 said bye."),
        ])
    }

    fn find(text: &str, format: ExportFormat, query: &str, bytes: bool) -> FileFound {
        let needle = Needle::new(query, bytes).expect("searchable");
        search_text(text, format, &needle, &shown, 10).expect("a transcript")
    }

    #[test]
    fn a_hit_in_a_json_lines_record_with_peer_name_and_time() {
        let found = find(&sample(), ExportFormat::JsonLines, "第3题", false);
        assert_eq!(found.total, 2, "full-width ３ matches 3");
        assert_eq!(found.peer, "192.168.1.7:51234");
        assert_eq!(found.name.as_deref(), Some("李四"));
        let first = &found.listed[0];
        assert_eq!(
            (first.entry, first.before.as_str(), first.hit.as_str()),
            (2, "老师，", "第3题")
        );
        assert_eq!(first.after, "的答案是不是B？");
        assert_eq!(first.at.format("%H:%M:%S").to_string(), "14:02:02");
        assert_eq!(found.listed[1].hit, "第３题");
    }

    #[test]
    fn a_hit_in_a_notice_is_in_the_words_shown() {
        let found = find(&sample(), ExportFormat::JsonLines, "PEER-BYE", false);
        assert_eq!(found.total, 1);
        assert_eq!(found.listed[0].entry, 4);
        assert_eq!(
            find(&sample(), ExportFormat::JsonLines, "said bye", false).total,
            0,
            "a typed notice is matched as the window words it, not as written"
        );
        // A notice of a kind this version does not know is matched as written.
        let odd = jsonl(&[("system", "", "the lesson ended early")]);
        assert_eq!(find(&odd, ExportFormat::JsonLines, "ended", false).total, 1);
    }

    #[test]
    fn hex_bytes_match_the_wire_bytes() {
        // 你 is c4e3 in GBK; 第 is b5da.
        let found = find(&sample(), ExportFormat::JsonLines, "b5 da", true);
        assert_eq!(found.total, 2);
        let hit = &found.listed[0];
        assert_eq!((hit.entry, hit.start), (2, 6), "after 老师， (6 bytes)");
        assert_eq!(hit.hit, "", "the message's start is shown");
        assert!(hit.after.starts_with("老师"));
        assert!(Needle::new("b5d", true).is_none());
    }

    #[test]
    fn a_damaged_line_is_skipped_and_counted() {
        let text = format!("{}{{\"at\":\"2026-11-\nnot json\n", sample());
        let found = find(&text, ExportFormat::JsonLines, "欢迎", false);
        assert_eq!((found.total, found.damaged), (1, 2));
        assert!(
            search_text(
                "garbage\n",
                ExportFormat::JsonLines,
                &Needle::new("a", false).expect("q"),
                &shown,
                10
            )
            .is_none()
        );
    }

    const EXPORT: &str = "TurnChat conversation\nThis computer (server): 127.0.0.1:8888\nOther side (client):  192.168.1.7:51234\nStarted:  2026-11-25 23:59:58 +08:00\nEnded:    2026-11-26 00:00:09 +08:00\nEncoding: GBK\nSession:  s1\n\n[23:59:58] *: 192.168.1.7:51234 connected.\n[23:59:59] 192.168.1.7:51234: 第一行\n                               第3题怎么做\n[00:00:05] Me: 看第３题\nnoise\n";

    #[test]
    fn a_hit_in_a_plain_text_export() {
        let found = find(EXPORT, ExportFormat::PlainText, "第3题", false);
        assert_eq!(found.peer, "192.168.1.7:51234");
        assert_eq!((found.total, found.damaged), (2, 1));
        let first = &found.listed[0];
        assert_eq!(
            first.entry, 1,
            "the continuation line is part of its message"
        );
        assert_eq!(first.before, "第一行 ");
        assert_eq!(
            found.listed[1].at.to_rfc3339(),
            "2026-11-26T00:00:05+08:00",
            "past midnight is the next day"
        );
        let c = read_back(EXPORT, ExportFormat::PlainText).expect("readable");
        let e = c.transcript.entries();
        assert_eq!(
            e.iter().map(|e| e.from).collect::<Vec<_>>(),
            [
                crate::core::transcript::Speaker::System,
                crate::core::transcript::Speaker::Peer,
                crate::core::transcript::Speaker::Me
            ]
        );
        assert_eq!(e[1].text, "第一行\n第3题怎么做");
        // Chinese headers read the same way.
        let zh = "TurnChat 对话记录\n本机（服务器）：127.0.0.1:8888\n对方（客户端）：10.0.0.2:5\n开始时间：2026-11-25 14:00:00 +08:00\n结束时间：（保存时仍在进行）\n编码：GBK\n会话：s\n\n[14:00:01] 我: 你好\n";
        let c = read_back(zh, ExportFormat::PlainText).expect("readable");
        assert_eq!(c.header.peer, "10.0.0.2:5");
        assert_eq!(c.header.ended, None);
        assert_eq!(c.transcript.entries()[0].text, "你好");
        assert!(read_back("just some notes\n", ExportFormat::PlainText).is_none());
    }

    #[test]
    fn a_file_without_the_querys_characters_is_still_searched_in_its_notices() {
        // Notices in words the file does not hold (a stand-in for the window's Chinese).
        fn zh(entry: &Entry) -> Cow<'_, str> {
            match &entry.notice {
                Some(_) => Cow::Borrowed("对方说了再见"),
                None => Cow::Borrowed(&entry.text),
            }
        }
        let text = sample();
        let needle = Needle::new("再见", false).expect("q");
        let found = search_text(&text, ExportFormat::JsonLines, &needle, &zh, 10).expect("t");
        assert_eq!(found.total, 1, "the bye notice");
        assert_eq!(found.listed[0].entry, 4, "the entry as read back whole");
        let none = Needle::new("斑马", false).expect("q");
        let found = search_text(&text, ExportFormat::JsonLines, &none, &zh, 10).expect("t");
        assert_eq!((found.total, found.peer.as_str()), (0, "192.168.1.7:51234"));
        // Escaped text is not judged by its raw characters.
        let escaped = r#"{"at":"2026-11-25T14:02:00+08:00","session":"s","peer":"p","from":"peer","text":"你好","hex":""}"#;
        let hello = Needle::new("你好", false).expect("q");
        let found = search_text(escaped, ExportFormat::JsonLines, &hello, &zh, 10).expect("t");
        assert_eq!(found.total, 1);
        let found = search_text(EXPORT, ExportFormat::PlainText, &none, &zh, 10).expect("t");
        assert_eq!((found.total, found.peer.as_str()), (0, "192.168.1.7:51234"));
        // A hit split across two pieces of one message is in no record's text, and found.
        let pieces = jsonl(&[("peer", "", "说你"), ("peer", "", "好吗")]);
        let found = search_text(&pieces, ExportFormat::JsonLines, &hello, &zh, 10).expect("t");
        assert_eq!((found.total, found.listed[0].start), (1, 3));
    }

    #[test]
    fn the_listing_is_capped_but_every_hit_counted() {
        let many: Vec<(&str, &str, &str)> = (0..30).map(|_| ("me", "", "ab ab")).collect();
        let needle = Needle::new("ab", false).expect("q");
        let found =
            search_text(&jsonl(&many), ExportFormat::JsonLines, &needle, &shown, 7).expect("t");
        assert_eq!((found.total, found.listed.len()), (60, 7));
    }

    #[test]
    fn long_lines_are_cut_around_the_hit() {
        let text = format!("{}needle{}", "a".repeat(100), "b\nc".repeat(40));
        let (before, hit, after) = around(&text, 100..106);
        assert_eq!(before, format!("…{}", "a".repeat(CONTEXT_CHARS)));
        assert_eq!(hit, "needle");
        assert!(after.ends_with('…') && !after.contains('\n'));
    }
}
