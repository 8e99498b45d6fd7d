//! Find in the conversation on screen: the query, its hits, and which one is current.
//!
//! A pure reducer over a transcript. The whole transcript is scanned only when the query,
//! the "match bytes" choice, the transcript, its decoding or the window's language (notices
//! are matched in the words shown) changes. While the bar is open, [`Find::sync`] runs
//! every frame and looks only at what is new: entries that arrived since, and the end of
//! the last message if it grew (a hit may span the chunk boundary). Typing a longer query
//! that starts with the old one looks again only at the entries that had hits.

use std::borrow::Cow;
use std::ops::Range;

use crate::core::find::{Query, byte_hits, fold_char, parse_hex};
use crate::core::lang::{Lang, Say};
use crate::core::transcript::{Entry, Transcript};

/// One hit: an entry of the transcript and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The entry's index in the transcript.
    pub entry: usize,
    /// Byte range in the entry's shown text, or with "match bytes" in its wire bytes.
    pub range: Range<usize>,
}

/// What the count line says: "3 of 17", or no match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// The current hit, counted from 1 (`None` while there is none).
    pub current: Option<usize>,
    /// How many hits there are.
    pub total: usize,
}

/// Which transcript the hits are for, and as what it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Source {
    key: u64,
    rewrites: u64,
    lang: Lang,
}

/// The find bar's state for the conversation on screen.
#[derive(Clone, Debug, Default)]
pub struct Find {
    open: bool,
    query: String,
    match_bytes: bool,
    hits: Vec<Hit>,
    current: Option<usize>,
    /// What the hits were found in (`None`: scan from scratch at the next sync).
    source: Option<Source>,
    /// How many entries were looked at, and the length of the last one then.
    scanned: usize,
    last_len: usize,
    /// What the hits of an earlier query were found in, when the new query is a longer
    /// one that starts with it (so it can only hit where those hits are).
    narrowing: Option<Source>,
    /// The current hit changed by a step or a new query: the view should scroll to it.
    jump: bool,
    /// An entry whose hit is to become current once the transcript it is in is synced (a
    /// result found across conversations was clicked).
    aim: Option<(usize, usize)>,
}

impl Find {
    /// Opens the bar (the query of the last time is kept, and searched again).
    pub fn open(&mut self) {
        if !self.open {
            self.open = true;
            self.source = None;
            self.jump = true;
        }
    }

    /// Closes the bar; nothing is highlighted any more.
    pub fn close(&mut self) {
        self.open = false;
        self.hits.clear();
        self.current = None;
        self.source = None;
        self.jump = false;
    }

    /// Whether the bar is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The query as typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether the query is hex matched against the wire bytes.
    pub fn match_bytes(&self) -> bool {
        self.match_bytes
    }

    /// A new query: the hits are found again at the next sync.
    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        // A longer query that starts with the old one can only hit where the old one did.
        let narrows = !self.match_bytes && query.starts_with(&self.query) && !self.query.is_empty();
        self.narrowing = if narrows {
            self.source.or(self.narrowing)
        } else {
            None
        };
        self.query = query.to_owned();
        self.source = None;
        self.jump = true;
    }

    /// Matches the query as hex against the wire bytes, or as text.
    pub fn set_match_bytes(&mut self, on: bool) {
        if on != self.match_bytes {
            self.match_bytes = on;
            self.narrowing = None;
            self.source = None;
            self.jump = true;
        }
    }

    /// Brings the hits up to date with `transcript` (identified by `key`): a full scan if
    /// anything but new text changed, else only the new text. Does nothing while closed.
    pub fn sync(&mut self, key: u64, transcript: &Transcript, lang: Lang) {
        if !self.open {
            return;
        }
        let entries = transcript.entries();
        let source = Source {
            key,
            rewrites: transcript.rewrites(),
            lang,
        };
        if self.source != Some(source) || entries.len() < self.scanned {
            let keep_near = self.current_hit().map(|h| h.entry);
            let narrowing = self.narrowing.take() == Some(source) && entries.len() >= self.scanned;
            self.rescan(entries, lang, narrowing);
            self.source = Some(source);
            self.current = match keep_near {
                Some(entry) => self
                    .hits
                    .iter()
                    .position(|h| h.entry >= entry)
                    .or((!self.hits.is_empty()).then_some(0)),
                None => (!self.hits.is_empty()).then_some(0),
            };
        } else {
            self.scan_new(entries, lang);
            if self.current.is_none() && !self.hits.is_empty() {
                self.current = Some(0);
            }
        }
        if let Some((entry, start)) = self.aim.take()
            && let Some(i) = self
                .hits
                .iter()
                .position(|h| (h.entry, h.range.start) >= (entry, start))
        {
            self.current = Some(i);
            self.jump = true;
        }
    }

    /// Makes the hit at byte `start` of `entry` (or the next one) current at the next
    /// sync, which may be of another transcript: the one a result found across
    /// conversations is in.
    pub fn aim_at(&mut self, entry: usize, start: usize) {
        self.aim = Some((entry, start));
    }

    /// Every hit, in transcript order.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// The current hit, if any.
    pub fn current_hit(&self) -> Option<&Hit> {
        self.current.and_then(|i| self.hits.get(i))
    }

    /// The current hit's index in [`Find::hits`].
    pub fn current_index(&self) -> Option<usize> {
        self.current
    }

    /// "3 of 17": the current hit counted from 1, and how many.
    pub fn count(&self) -> Count {
        Count {
            current: self.current.map(|i| i + 1),
            total: self.hits.len(),
        }
    }

    /// Whether the query can match anything (not empty; with "match bytes", valid hex).
    pub fn query_is_searchable(&self) -> bool {
        if self.match_bytes {
            parse_hex(&self.query).is_some()
        } else {
            !self.query.is_empty()
        }
    }

    /// The next hit (after the last, the first).
    pub fn next(&mut self) {
        self.step(1);
    }

    /// The previous hit (before the first, the last).
    pub fn previous(&mut self) {
        self.step(-1);
    }

    fn step(&mut self, by: isize) {
        let n = self.hits.len();
        if n == 0 {
            return;
        }
        self.current = Some(match self.current {
            Some(i) => (i as isize + by).rem_euclid(n as isize) as usize,
            None if by < 0 => n - 1,
            None => 0,
        });
        self.jump = true;
    }

    /// Makes the first hit in `entry` (or the first after it) current, as when a result
    /// found across conversations is clicked. Call after [`Find::sync`].
    pub fn go_to_entry(&mut self, entry: usize) {
        if let Some(i) = self.hits.iter().position(|h| h.entry >= entry) {
            self.current = Some(i);
            self.jump = true;
        }
    }

    /// The hit the view should scroll to now, once (a step or a new query moved it).
    pub fn take_jump(&mut self) -> Option<Hit> {
        if !std::mem::take(&mut self.jump) {
            return None;
        }
        self.current_hit().cloned()
    }

    fn rescan(&mut self, entries: &[Entry], lang: Lang, narrowing: bool) {
        let candidates: Vec<usize> = if narrowing {
            let mut seen: Vec<usize> = self.hits.iter().map(|h| h.entry).collect();
            seen.dedup();
            // Entries that came after the old scan are looked at too.
            seen.extend(self.scanned..entries.len());
            seen
        } else {
            (0..entries.len()).collect()
        };
        self.hits.clear();
        let matcher = Matcher::new(&self.query, self.match_bytes);
        if let Some(matcher) = &matcher {
            for i in candidates {
                if let Some(entry) = entries.get(i) {
                    matcher.push_hits(i, entry, 0, lang, &mut self.hits);
                }
            }
        }
        self.scanned = entries.len();
        self.last_len = entries
            .last()
            .map_or(0, |e| matched_len(e, self.match_bytes));
    }

    fn scan_new(&mut self, entries: &[Entry], lang: Lang) {
        let Some(matcher) = Matcher::new(&self.query, self.match_bytes) else {
            self.scanned = entries.len();
            return;
        };
        let mut from_entry = self.scanned;
        if let Some(last) = self.scanned.checked_sub(1)
            && matched_len(&entries[last], self.match_bytes) != self.last_len
        {
            // Hits found before stay; the scan goes on from the end of the last one, or
            // from as far back as a hit that the new text completes could start.
            let kept_end = self
                .hits
                .last()
                .filter(|h| h.entry == last)
                .map_or(0, |h| h.range.end);
            let tail = matcher.tail_start(&entries[last], self.last_len);
            matcher.push_hits(
                last,
                &entries[last],
                kept_end.max(tail),
                lang,
                &mut self.hits,
            );
            from_entry = last + 1;
        }
        for (i, entry) in entries.iter().enumerate().skip(from_entry) {
            matcher.push_hits(i, entry, 0, lang, &mut self.hits);
        }
        self.scanned = entries.len();
        self.last_len = entries
            .last()
            .map_or(0, |e| matched_len(e, self.match_bytes));
    }
}

/// The text a find matches in an entry: a message's text, a notice's words as shown.
pub fn entry_text(entry: &Entry, lang: Lang) -> Cow<'_, str> {
    match &entry.notice {
        Some(notice) => Cow::Owned(notice.say(lang)),
        None => Cow::Borrowed(&entry.text),
    }
}

fn matched_len(entry: &Entry, bytes: bool) -> usize {
    if bytes {
        entry.bytes.len()
    } else {
        entry.text.len()
    }
}

/// A query ready to match entries: folded text, or bytes.
pub enum Matcher {
    /// Text, folded; its length in characters.
    Text(Query, usize),
    /// Wire bytes from hex.
    Bytes(Vec<u8>),
}

impl Matcher {
    /// `None` when the query can match nothing (empty, or not hex with `bytes`).
    pub fn new(query: &str, bytes: bool) -> Option<Matcher> {
        if bytes {
            parse_hex(query).map(Matcher::Bytes)
        } else {
            Query::new(query).map(|q| Matcher::Text(q, query.chars().map(fold_char).count()))
        }
    }

    /// Appends the hits in `entry` (index `index`) from byte `from` on to `out`.
    pub fn push_hits(
        &self,
        index: usize,
        entry: &Entry,
        from: usize,
        lang: Lang,
        out: &mut Vec<Hit>,
    ) {
        let found = match self {
            Matcher::Text(query, _) => {
                let text = entry_text(entry, lang);
                let from = from.min(text.len());
                query.hits(&text[from..])
            }
            Matcher::Bytes(needle) => {
                let from = from.min(entry.bytes.len());
                byte_hits(&entry.bytes[from..], needle)
            }
        };
        out.extend(found.into_iter().map(|r| Hit {
            entry: index,
            range: r.start + from..r.end + from,
        }));
    }

    /// Where a hit that text appended after `old_len` completes could start at the
    /// earliest: the query's length less one before the old end.
    fn tail_start(&self, entry: &Entry, old_len: usize) -> usize {
        match self {
            Matcher::Bytes(needle) => old_len.saturating_sub(needle.len().saturating_sub(1)),
            Matcher::Text(_, chars) => {
                let text = &entry.text[..old_len.min(entry.text.len())];
                if *chars <= 1 {
                    return old_len;
                }
                text.char_indices()
                    .rev()
                    .nth(chars - 2)
                    .map_or(0, |(i, _)| i)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notice::Notice;
    use crate::core::turn::Role;
    use chrono::{DateTime, FixedOffset};

    fn t0() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time")
    }

    fn transcript(lines: &[&str]) -> Transcript {
        let mut t = Transcript::default();
        for (i, line) in lines.iter().enumerate() {
            if i % 2 == 0 {
                t.peer_chunk(t0(), true, line, line.as_bytes(), 0);
            } else {
                t.sent(t0(), *line, line.as_bytes().to_vec());
            }
        }
        t
    }

    fn open_with(query: &str, t: &Transcript) -> Find {
        let mut f = Find::default();
        f.open();
        f.set_query(query);
        f.sync(1, t, Lang::En);
        f
    }

    #[test]
    fn counts_hits_and_steps_round_both_ways() {
        let t = transcript(&["问题3怎么做", "看问题３", "ok", "问题3和问题3"]);
        let mut f = open_with("问题3", &t);
        let entries: Vec<usize> = f.hits().iter().map(|h| h.entry).collect();
        assert_eq!(entries, vec![0, 1, 3, 3]);
        assert_eq!(
            f.count(),
            Count {
                current: Some(1),
                total: 4
            }
        );
        assert_eq!(f.take_jump().map(|h| h.entry), Some(0), "a new query jumps");
        assert_eq!(f.take_jump(), None, "once");
        f.previous();
        assert_eq!(f.count().current, Some(4), "before the first: the last");
        f.next();
        f.next();
        assert_eq!(f.count().current, Some(2));
        assert_eq!(f.take_jump().map(|h| h.entry), Some(1));
    }

    #[test]
    fn no_match_and_empty_query() {
        let t = transcript(&["你好"]);
        let mut f = open_with("再见", &t);
        assert_eq!(
            f.count(),
            Count {
                current: None,
                total: 0
            }
        );
        f.next();
        assert_eq!(f.current_hit(), None);
        f.set_query("");
        f.sync(1, &t, Lang::En);
        assert!(f.hits().is_empty() && !f.query_is_searchable());
    }

    #[test]
    fn new_messages_update_the_count_without_moving_the_current_hit() {
        let mut t = transcript(&["bye now", "x"]);
        let mut f = open_with("bye", &t);
        f.take_jump();
        assert_eq!(
            f.count(),
            Count {
                current: Some(1),
                total: 1
            }
        );
        t.peer_chunk(t0(), true, "BYE", b"BYE", 0);
        f.sync(1, &t, Lang::En);
        assert_eq!(
            f.count(),
            Count {
                current: Some(1),
                total: 2
            }
        );
        assert_eq!(f.take_jump(), None, "new messages do not scroll");
        // The same transcript again: nothing is scanned twice.
        f.sync(1, &t, Lang::En);
        assert_eq!(f.count().total, 2);
    }

    #[test]
    fn a_hit_completed_by_the_next_chunk_is_found_once() {
        let mut t = Transcript::default();
        t.peer_chunk(t0(), true, "说你好，你", b"", 0);
        let mut f = open_with("你好", &t);
        assert_eq!(f.count().total, 1);
        t.peer_chunk(t0(), false, "好吗", b"", 0);
        f.sync(1, &t, Lang::En);
        let ranges: Vec<_> = f.hits().iter().map(|h| h.range.clone()).collect();
        assert_eq!(
            ranges,
            vec![3..9, 12..18],
            "the second hit spans the chunks"
        );
        let full = open_with("你好", &t);
        assert_eq!(full.hits(), f.hits(), "the same as a full scan");
    }

    #[test]
    fn notices_are_found_in_the_words_shown() {
        let mut t = transcript(&["hello"]);
        t.notice(
            t0(),
            Notice::Connected {
                as_role: Role::Server,
                peer: std::net::SocketAddr::from(([192, 168, 1, 7], 51234)),
            },
        );
        let f = open_with("connected", &t);
        assert_eq!(
            f.hits().iter().map(|h| h.entry).collect::<Vec<_>>(),
            vec![1]
        );
        let mut zh = open_with("连接", &t);
        assert_eq!(zh.count().total, 0, "English words do not match Chinese");
        zh.sync(1, &t, Lang::ZhCn);
        assert_eq!(zh.count().total, 1, "a language switch scans again");
    }

    #[test]
    fn match_bytes_finds_gbk_in_the_wire_bytes() {
        let mut t = Transcript::default();
        let (gbk, _, _) = encoding_rs::GBK.encode("说你好");
        t.peer_chunk(t0(), true, "说你好", &gbk, 0);
        let mut f = Find::default();
        f.open();
        f.set_match_bytes(true);
        f.set_query("c4 e3");
        f.sync(1, &t, Lang::En);
        assert_eq!(
            f.hits(),
            &[Hit {
                entry: 0,
                range: 2..4
            }]
        );
        f.set_query("c4e");
        f.sync(1, &t, Lang::En);
        assert!(!f.query_is_searchable() && f.hits().is_empty());
    }

    #[test]
    fn a_longer_query_narrows_to_the_same_hits_as_a_full_scan() {
        let t = transcript(&["abc", "abd", "xab", "abcabc"]);
        let mut f = open_with("ab", &t);
        assert_eq!(f.count().total, 5);
        f.set_query("abc");
        f.sync(1, &t, Lang::En);
        assert_eq!(f.hits(), open_with("abc", &t).hits());
        f.set_query("ab");
        f.sync(1, &t, Lang::En);
        assert_eq!(f.count().total, 5, "a shorter query scans everything again");
    }

    #[test]
    fn closing_clears_the_hits_and_another_transcript_rescans() {
        let a = transcript(&["cat"]);
        let b = transcript(&["cat", "cat"]);
        let mut f = open_with("cat", &a);
        f.sync(2, &b, Lang::En);
        assert_eq!(f.count().total, 2);
        f.close();
        assert!(f.hits().is_empty() && !f.is_open());
        f.sync(2, &b, Lang::En);
        assert!(f.hits().is_empty(), "closed: nothing is scanned");
        f.open();
        f.sync(2, &b, Lang::En);
        assert_eq!(f.count().total, 2, "the query is kept");
    }

    #[test]
    fn aiming_at_an_entry_of_another_transcript_takes_effect_at_its_sync() {
        let a = transcript(&["x1"]);
        let b = transcript(&["x", "y", "x2x", "x3"]);
        let mut f = open_with("x", &a);
        f.take_jump();
        f.aim_at(2, 2);
        f.sync(2, &b, Lang::En);
        assert_eq!(
            f.count(),
            Count {
                current: Some(3),
                total: 4
            }
        );
        assert_eq!(f.take_jump().map(|h| h.entry), Some(2));
    }

    #[test]
    fn go_to_entry_makes_its_hit_current() {
        let t = transcript(&["a1", "b", "a2", "a3"]);
        let mut f = open_with("a", &t);
        f.take_jump();
        f.go_to_entry(2);
        assert_eq!(f.count().current, Some(2));
        assert_eq!(f.take_jump().map(|h| h.entry), Some(2));
    }
}
