//! Reading a transcript file back: past conversations for the History view.
//!
//! Files from any version are read: unknown fields are ignored, missing ones take
//! defaults, and a damaged line (cut off by a crash, edited by hand) is skipped and
//! counted instead of failing the whole file.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use super::export::ExportHeader;
use super::notice::Notice;
use super::transcript::{Entry, Record, Speaker, Transcript};
use super::turn::Role;

/// A transcript file, read back.
#[derive(Clone, Debug)]
pub struct Conversation {
    /// What the file says about the conversation.
    pub header: ExportHeader,
    /// What was said.
    pub transcript: Transcript,
    /// Lines that could not be read and were skipped.
    pub damaged: usize,
    /// The student's name, when a record of the file gives one (a class's transcript).
    pub name: Option<String>,
}

impl Conversation {
    /// How many messages (ours and the peer's, not notices) it has.
    pub fn message_count(&self) -> usize {
        self.transcript
            .entries()
            .iter()
            .filter(|e| e.from != Speaker::System)
            .count()
    }
}

/// Reads a whole transcript file's text. `None` if it has no readable line at all.
pub fn parse(text: &str) -> Option<Conversation> {
    parse_keeping(text, true)
}

/// Like [`parse`]; without `bytes`, the entries' wire bytes are not decoded (a text search
/// does not look at them), which reads a file faster.
pub fn parse_keeping(text: &str, bytes: bool) -> Option<Conversation> {
    let keep_bytes = bytes;
    let mut transcript = Transcript::default();
    let mut damaged = 0;
    let mut first: Option<Record> = None;
    let mut last_at: Option<DateTime<FixedOffset>> = None;
    let mut last_from: Option<Speaker> = None;
    let mut name: Option<String> = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some(record) = Record::parse(line) else {
            damaged += 1;
            continue;
        };
        let Ok(at) = DateTime::parse_from_rfc3339(&record.at) else {
            damaged += 1;
            continue;
        };
        if name.is_none() {
            name.clone_from(&record.name);
        }
        let bytes = if keep_bytes {
            record.bytes()
        } else {
            Vec::new()
        };
        match record.from {
            Speaker::Peer => {
                // Consecutive peer lines are one message that arrived in pieces, unless
                // one says it starts a new message (a line or a pause in free talk).
                transcript.peer_chunk(
                    at,
                    last_from != Some(Speaker::Peer) || record.new_message == Some(true),
                    &record.text,
                    &bytes,
                    0,
                );
            }
            Speaker::Me => transcript.sent(at, record.text.clone(), bytes),
            Speaker::System => {
                let entry = system_entry(&record, at, first.as_ref().and_then(|f| f.role));
                match entry.notice {
                    Some(notice) => transcript.notice(at, notice),
                    None => transcript.written_notice(at, entry.kind, entry.text),
                }
            }
        }
        last_from = Some(record.from);
        last_at = Some(at);
        if first.is_none() {
            first = Some(record);
        }
    }
    transcript.close_peer_message();
    let first = first?;
    let started = DateTime::parse_from_rfc3339(&first.at).ok()?;
    Some(Conversation {
        header: ExportHeader {
            session: first.session.clone(),
            local: None,
            peer: first.peer.clone(),
            our_role: first.role,
            started,
            ended: last_at,
            // Files of the first versions did not say: they were all GBK.
            encoding: first.encoding.unwrap_or_default(),
            turns: first.turns,
            line_ending: first.line_ending,
        },
        transcript,
        damaged,
        name,
    })
}

/// The entry a `system` record said at `at` reads back as: a notice of a kind this
/// version knows (worded when shown), else the words as written. The role is on the
/// session's first line (`first_role`) unless the record says.
pub fn system_entry(record: &Record, at: DateTime<FixedOffset>, first_role: Option<Role>) -> Entry {
    let role = record.role.or(first_role);
    let typed = record
        .kind
        .as_deref()
        .and_then(|k| Notice::from_line(k, &record.peer, role, record.cut));
    let mut t = Transcript::default();
    match typed {
        Some(notice) => t.notice(at, notice),
        None => t.written_notice(at, record.kind.clone(), record.text.clone()),
    }
    t.entries()[0].clone()
}

/// Reads a transcript saved as plain text back (see `crate::words::export::plain_text`):
/// the header's peer and start, then one entry a `[hh:mm:ss] sender: text` line, with the
/// indented lines under it joined to it. The sender `*` is TurnChat's notice, the header's
/// peer is the other side, any other is us. Wire bytes are not in such a file, so its
/// entries have none. `None` if the text does not start with TurnChat's header.
pub fn parse_plain(text: &str) -> Option<Conversation> {
    let mut transcript = Transcript::default();
    let read = walk_plain(text, |at, from, words| match from {
        Speaker::Peer => transcript.peer_chunk(at, true, &words, &[], 0),
        Speaker::Me => transcript.sent(at, words, Vec::new()),
        Speaker::System => transcript.written_notice(at, None, words),
    })?;
    transcript.close_peer_message();
    Some(Conversation {
        header: ExportHeader {
            session: read.session,
            local: None,
            peer: read.peer,
            our_role: None,
            started: read.started,
            ended: read.ended,
            encoding: read.encoding,
            turns: None,
            line_ending: None,
        },
        transcript,
        damaged: read.damaged,
        name: None,
    })
}

/// What a plain-text export says about itself, read by [`walk_plain`].
pub struct PlainRead {
    /// The other side's address.
    pub peer: String,
    /// When the conversation started.
    pub started: DateTime<FixedOffset>,
    /// When it ended, if it had.
    pub ended: Option<DateTime<FixedOffset>>,
    /// The session.
    pub session: String,
    /// The wire encoding.
    pub encoding: crate::core::codec::WireEncoding,
    /// Lines that could not be read.
    pub damaged: usize,
}

/// Reads a plain-text export as [`parse_plain`] does, handing each entry (when, who, its
/// words: borrowed from `text` when on one line) to `entry` in order, without building a
/// transcript. `None` if the text does not start with TurnChat's header.
pub fn walk_plain<'a>(
    text: &'a str,
    mut entry: impl FnMut(DateTime<FixedOffset>, Speaker, Cow<'a, str>),
) -> Option<PlainRead> {
    let mut lines = text.lines();
    if !lines.next()?.starts_with("TurnChat") {
        return None;
    }
    let header: Vec<&str> = lines
        .by_ref()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    let value = |i: usize| header.get(i).map(|l| header_value(l)).unwrap_or_default();
    let peer = value(1).to_owned();
    let started = DateTime::parse_from_str(value(2), "%Y-%m-%d %H:%M:%S %:z").ok()?;
    let ended = DateTime::parse_from_str(value(3), "%Y-%m-%d %H:%M:%S %:z").ok();
    let mut damaged = 0;
    let mut pending: Option<(DateTime<FixedOffset>, Speaker, Cow<'a, str>)> = None;
    let mut day = started;
    for line in lines {
        if let Some((at, rest)) = timed_line(line, &mut day) {
            if let Some((at, from, words)) = pending.take() {
                entry(at, from, words);
            }
            let (from, words) = if let Some(w) = rest.strip_prefix("*: ") {
                (Speaker::System, w)
            } else if let Some(w) = rest
                .strip_prefix(peer.as_str())
                .and_then(|r| r.strip_prefix(": "))
                .filter(|_| !peer.is_empty())
            {
                (Speaker::Peer, w)
            } else if let Some((_, w)) = rest.split_once(": ") {
                (Speaker::Me, w)
            } else {
                damaged += 1;
                continue;
            };
            pending = Some((at, from, Cow::Borrowed(words)));
        } else if line.starts_with(' ')
            && let Some((_, _, words)) = pending.as_mut()
        {
            let words = words.to_mut();
            words.push('\n');
            words.push_str(line.trim_start());
        } else if !line.trim().is_empty() {
            damaged += 1;
        }
    }
    if let Some((at, from, words)) = pending.take() {
        entry(at, from, words);
    }
    Some(PlainRead {
        session: value(5).to_owned(),
        encoding: crate::core::codec::WireEncoding::from_label(value(4)).unwrap_or_default(),
        peer,
        started,
        ended,
        damaged,
    })
}

/// What a header line says after its label (`Started:  …`, `开始时间：…`).
fn header_value(line: &str) -> &str {
    let cut = line.find([':', '：']).map_or(line.len(), |i| {
        i + line[i..].chars().next().map_or(0, char::len_utf8)
    });
    line[cut..].trim()
}

/// A `[hh:mm:ss] rest` line's time (on the day of the one before it, or the next day if
/// the clock went round) and the rest.
fn timed_line<'a>(
    line: &'a str,
    day: &mut DateTime<FixedOffset>,
) -> Option<(DateTime<FixedOffset>, &'a str)> {
    let rest = line.strip_prefix('[')?;
    let (clock, rest) = rest.split_once("] ")?;
    let time = match clock.as_bytes() {
        // The clock as exports write it, read without the general parser (the same
        // time it reads; anything else, a leap second included, is left to it).
        [h1, h2, b':', m1, m2, b':', s1, s2]
            if [h1, h2, m1, m2, s1, s2].iter().all(|d| d.is_ascii_digit()) =>
        {
            let n = |a: &u8, b: &u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
            match chrono::NaiveTime::from_hms_opt(n(h1, h2), n(m1, m2), n(s1, s2)) {
                Some(t) => t,
                None => chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S").ok()?,
            }
        }
        _ => chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S").ok()?,
    };
    let mut at = day.with_time(time).single()?;
    if at < *day {
        at += chrono::Duration::days(1);
    }
    *day = at;
    Some((at, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"at":"2026-11-25T14:02:11.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"system","text":"192.168.1.7:51234 connected.","encoding":"GBK","role":"server"}
{"at":"2026-11-25T14:02:11.001+08:00","session":"s1","peer":"192.168.1.7:51234","from":"me","text":"欢迎您的使用","hex":"bbb6d3adc4fab5c4cab9d3c3"}
{"at":"2026-11-25T14:02:15.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"peer","text":"你好","hex":"c4e3bac3"}
{"at":"2026-11-25T14:02:15.100+08:00","session":"s1","peer":"192.168.1.7:51234","from":"peer","text":"服务端","hex":"b7fecef1b6cb"}
{"at":"2026-11-25T14:02:20.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"me","text":"bye","hex":"627965"}
"#;

    #[test]
    fn a_file_reads_back_with_peer_pieces_joined() {
        let c = parse(FILE).expect("readable");
        assert_eq!(c.damaged, 0);
        assert_eq!(c.message_count(), 3);
        let e = c.transcript.entries();
        assert_eq!(e[2].text, "你好服务端");
        assert_eq!(
            crate::core::codec::to_hex(&e[2].bytes),
            "c4e3bac3b7fecef1b6cb"
        );
        assert_eq!(c.header.our_role, Some(crate::core::turn::Role::Server));
        assert_eq!(c.header.peer, "192.168.1.7:51234");
        assert!(c.header.ended.is_some());
    }

    #[test]
    fn damaged_lines_are_skipped_and_counted() {
        let broken =
            format!("{FILE}{{\"at\":\"2026-11-25T14:02:2\nnot json at all\n{{\"from\":\"me\"}}\n");
        let c = parse(&broken).expect("still readable");
        assert_eq!(c.damaged, 3);
        assert_eq!(c.message_count(), 3);
    }

    #[test]
    fn empty_and_hopeless_files_are_none() {
        assert!(parse("").is_none());
        assert!(parse("\n\n").is_none());
        assert!(parse("garbage\n{}\n").is_none());
    }

    #[test]
    fn files_of_older_versions_without_role_or_encoding_read() {
        let old = r#"{"at":"2026-11-25T14:02:11+08:00","session":"s","peer":"p","from":"peer","text":"hi","hex":"6869","extra":1}"#;
        let c = parse(old).expect("readable");
        assert_eq!(c.header.our_role, None);
        assert_eq!(c.header.encoding, crate::core::codec::WireEncoding::Gbk);
        assert_eq!(c.message_count(), 1);
    }
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn export_clocks_read_as_the_general_parser_reads_them() {
        let day = DateTime::parse_from_rfc3339("2026-11-25T14:00:00+08:00").expect("t");
        for clock in [
            "14:02:11",
            "00:00:00",
            "23:59:59",
            "23:59:60",
            "24:00:00",
            "14:60:00",
            "7:05:00",
            "14:02:1x",
            "14:02",
            "１4:02:11",
        ] {
            let general = chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S").ok();
            let mut d = day;
            let line = format!("[{clock}] Me: hi");
            let read = timed_line(&line, &mut d);
            let expected = general.and_then(|t| day.with_time(t).single()).map(|at| {
                if at < day {
                    at + chrono::Duration::days(1)
                } else {
                    at
                }
            });
            assert_eq!(
                read.map(|(at, rest)| (at, rest.to_owned())),
                expected.map(|at| (at, "Me: hi".to_owned())),
                "{clock}"
            );
        }
    }
}
