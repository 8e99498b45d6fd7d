//! The transcript: what was said, by whom, when, in memory and as JSON Lines.
//!
//! One [`Record`] is one line of a session's `.jsonl` file, written as it happens. A peer
//! message that arrives in several reads may be written as several consecutive `peer`
//! records (at most one every 100 ms or 4 KiB, see [`super::coalesce`]); concatenating
//! their `hex` (or `text`) gives the message. The in-memory
//! [`Transcript`] joins them into one [`Entry`] for display.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Serialize};

use super::codec::{WireEncoding, decode_lossy, from_hex, to_hex};
use super::detect;
use super::framing::LineEnding;
use super::notice::Notice;
use super::turn::{Role, TurnPolicy};

/// Who a transcript line is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The person using this TurnChat.
    Me,
    /// The other side.
    Peer,
    /// TurnChat itself: connected, said bye, closed, bytes cut.
    System,
}

/// One line of a JSON Lines transcript file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// When it happened, RFC 3339 with the local offset.
    pub at: String,
    /// The session this line belongs to (unique across runs).
    pub session: String,
    /// The peer's address, `ip:port`.
    pub peer: String,
    /// Who said it.
    pub from: Speaker,
    /// What kind of `system` line this is, for scripts (`connected`, `peer-bye`, `reset`,
    /// `cut`…; see [`super::notice::Notice::kind`]); absent on other lines and in files
    /// written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The text (for `peer`, the newly decoded part of the message; for `system`, the
    /// notice in the language the window was using when it was written).
    pub text: String,
    /// The exact wire bytes in lower-case hex (`me` and `peer` lines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    /// Bytes of this peer message that were received but not kept (over the display cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<u64>,
    /// The wire encoding (on the first line of a session), written as its label (`"GBK"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire_names::encoding"
    )]
    pub encoding: Option<WireEncoding>,
    /// Which side we played (on the first line of a session), written `"server"` or
    /// `"client"`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire_names::role"
    )]
    pub role: Option<Role>,
    /// Whether turns were enforced (on the first line of a session), written `"strict"` or
    /// `"free"`. Files of older versions do not say: they were all strict.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire_names::turns"
    )]
    pub turns: Option<TurnPolicy>,
    /// What ended each message we sent (on the first line of a session): `"none"`, `"lf"`
    /// or `"crlf"` (see [`LineEnding::label`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire_names::line_ending"
    )]
    pub line_ending: Option<LineEnding>,
    /// On a `peer` line right after another `peer` line: this one starts a new message (a
    /// line end or a pause ended the one before, not a turn). Without it, consecutive
    /// `peer` lines are pieces of one message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_message: Option<bool>,
    /// The student's name, on a server's first line of a session when the teacher's class
    /// list or a name typed for that computer gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The student's seat, with the name, when the class list gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
}

/// How `encoding` and `role` are spelled in transcript files. These spellings are the file
/// format, fixed since the first version; they differ from the settings file's (`"Gbk"`,
/// `"Server"`), so they are kept here rather than on the enums' own serde derives.
///
/// Reading is lenient: a spelling this version does not know (from a newer version, or a
/// hand edit) reads as `None` instead of making the whole line unreadable.
mod wire_names {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::core::codec::WireEncoding;
    use crate::core::turn::Role;

    pub mod encoding {
        use super::*;

        pub fn serialize<S: Serializer>(
            value: &Option<WireEncoding>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(e) => s.serialize_str(e.label()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<WireEncoding>, D::Error> {
            let label = Option::<String>::deserialize(d)?;
            Ok(label.as_deref().and_then(WireEncoding::from_label))
        }
    }

    pub mod line_ending {
        use super::*;
        use crate::core::framing::LineEnding;

        pub fn serialize<S: Serializer>(
            value: &Option<LineEnding>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(l) => s.serialize_str(l.label()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<LineEnding>, D::Error> {
            let label = Option::<String>::deserialize(d)?;
            Ok(label.as_deref().and_then(LineEnding::from_label))
        }
    }

    pub mod turns {
        use super::*;
        use crate::core::turn::TurnPolicy;

        pub fn serialize<S: Serializer>(
            value: &Option<TurnPolicy>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(TurnPolicy::Strict) => s.serialize_str("strict"),
                Some(TurnPolicy::Free) => s.serialize_str("free"),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<TurnPolicy>, D::Error> {
            Ok(match Option::<String>::deserialize(d)?.as_deref() {
                Some("strict") => Some(TurnPolicy::Strict),
                Some("free") => Some(TurnPolicy::Free),
                _ => None,
            })
        }
    }

    pub mod role {
        use super::*;

        pub fn serialize<S: Serializer>(value: &Option<Role>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(Role::Server) => s.serialize_str("server"),
                Some(Role::Client) => s.serialize_str("client"),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Role>, D::Error> {
            Ok(match Option::<String>::deserialize(d)?.as_deref() {
                Some("server") => Some(Role::Server),
                Some("client") => Some(Role::Client),
                _ => None,
            })
        }
    }
}

impl Record {
    /// A `me` or `peer` line carrying wire bytes.
    pub fn message(
        at: DateTime<FixedOffset>,
        session: &str,
        peer: &str,
        from: Speaker,
        text: &str,
        bytes: &[u8],
    ) -> Self {
        Record {
            at: format_time(at),
            session: session.to_owned(),
            peer: peer.to_owned(),
            from,
            kind: None,
            text: text.to_owned(),
            hex: Some(to_hex(bytes)),
            cut: None,
            encoding: None,
            role: None,
            line_ending: None,
            new_message: None,
            turns: None,
            name: None,
            seat: None,
        }
    }

    /// A `system` line: a notice in words, with its kind if known.
    pub fn notice(
        at: DateTime<FixedOffset>,
        session: &str,
        peer: &str,
        kind: Option<&str>,
        text: &str,
    ) -> Self {
        Record {
            at: format_time(at),
            session: session.to_owned(),
            peer: peer.to_owned(),
            from: Speaker::System,
            kind: kind.map(str::to_owned),
            text: text.to_owned(),
            hex: None,
            cut: None,
            encoding: None,
            role: None,
            line_ending: None,
            new_message: None,
            turns: None,
            name: None,
            seat: None,
        }
    }

    /// Reads one line of a transcript file; `None` for a line that is not a record.
    pub fn parse(line: &str) -> Option<Record> {
        serde_json::from_str(line).ok()
    }

    /// The record as one line of JSON, with its newline.
    pub fn to_line(&self) -> String {
        // Serialising a struct of strings cannot fail; fall back to an empty object anyway.
        let mut line = serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned());
        line.push('\n');
        line
    }
}

/// Why a line is not a transcript record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The line is not JSON, or not an object with the record's fields.
    NotARecord {
        /// serde_json's words, with the column.
        detail: String,
    },
    /// The `hex` field is not lower-case hex digits in pairs.
    BadHex {
        /// Where in the field the problem is (a character index).
        at: usize,
    },
}

/// Reads one line of a transcript file (without or with its newline) back into a
/// [`Record`], checking that `hex`, if present, is lower-case hex of whole bytes.
pub fn parse_line(line: &str) -> Result<Record, ParseError> {
    let record: Record = serde_json::from_str(line).map_err(|e| ParseError::NotARecord {
        detail: e.to_string(),
    })?;
    if let Some(hex) = &record.hex {
        let bad = hex
            .bytes()
            .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if let Some(at) = bad {
            return Err(ParseError::BadHex { at });
        }
        if hex.len() % 2 == 1 {
            return Err(ParseError::BadHex { at: hex.len() });
        }
    }
    Ok(record)
}

impl Record {
    /// The wire bytes of a `me` or `peer` line (empty for a notice). Hex that
    /// [`parse_line`] accepted always decodes.
    pub fn bytes(&self) -> Vec<u8> {
        self.hex.as_deref().and_then(from_hex).unwrap_or_default()
    }
}

/// RFC 3339 with milliseconds and the numeric offset, e.g. `2026-11-25T14:02:11.123+08:00`.
pub fn format_time(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// One message or notice as shown in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// When it started.
    pub at: DateTime<FixedOffset>,
    /// Who said it.
    pub from: Speaker,
    /// The text so far, exactly as decoded (views make control characters visible). For
    /// a notice read from a file, its words as written; for a notice of this run, empty
    /// (see `notice`).
    pub text: String,
    /// A notice of this run, worded when shown (so in the window's language of the moment).
    pub notice: Option<Notice>,
    /// A notice's kind as read from a file (`None` in files written before kinds).
    pub kind: Option<String>,
    /// The exact wire bytes so far (empty for notices).
    pub bytes: Vec<u8>,
    /// Bytes received for this message but cut (over the display cap).
    pub cut: u64,
    /// For a peer message: it is still open (more bytes may join it).
    pub open: bool,
    /// For a peer message: the encoding its bytes look like, when that is not the
    /// conversation's (see [`super::detect`]); the window offers to switch.
    pub looks_like: Option<WireEncoding>,
}

impl Entry {
    /// A notice's kind: of this run's notice, or as its file said.
    pub fn kind(&self) -> Option<&str> {
        match &self.notice {
            Some(n) => Some(n.kind()),
            None => self.kind.as_deref(),
        }
    }
}

/// The in-memory transcript of one session.
#[derive(Clone, Debug, Default)]
pub struct Transcript {
    entries: Vec<Entry>,
    /// How many times earlier entries were rewritten (decoded again in another encoding),
    /// so views that cache layout know to start over.
    rewrites: u64,
    /// Bytes held by peer messages: their text and their wire bytes (see
    /// [`Transcript::peer_kept`]).
    peer_kept: u64,
}

/// Bytes an entry's text and wire bytes hold in memory.
fn held(text: &str, bytes: &[u8]) -> u64 {
    (text.len() + bytes.len()) as u64
}

impl Transcript {
    /// All entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Adds a notice of this run (from [`Speaker::System`]).
    pub fn notice(&mut self, at: DateTime<FixedOffset>, notice: Notice) {
        self.push(at, Speaker::System, String::new(), Vec::new());
        if let Some(last) = self.entries.last_mut() {
            last.notice = Some(notice);
        }
    }

    /// Adds a notice as a file wrote it: its kind, if the file says, and its words.
    pub fn written_notice(
        &mut self,
        at: DateTime<FixedOffset>,
        kind: Option<String>,
        text: impl Into<String>,
    ) {
        self.push(at, Speaker::System, text.into(), Vec::new());
        if let Some(last) = self.entries.last_mut() {
            last.kind = kind;
        }
    }

    /// Adds a message we sent, with its wire bytes.
    pub fn sent(&mut self, at: DateTime<FixedOffset>, text: impl Into<String>, bytes: Vec<u8>) {
        self.push(at, Speaker::Me, text.into(), bytes);
    }

    /// Adds a complete entry (closing any open peer message first).
    pub fn push(&mut self, at: DateTime<FixedOffset>, from: Speaker, text: String, bytes: Vec<u8>) {
        self.close_peer_message();
        if from == Speaker::Peer {
            self.peer_kept += held(&text, &bytes);
        }
        self.entries.push(Entry {
            at,
            from,
            text,
            notice: None,
            kind: None,
            bytes,
            cut: 0,
            open: false,
            looks_like: None,
        });
    }

    /// Appends text, its bytes, and a count of cut bytes to the open peer message, opening
    /// one if `new_message` or none is open.
    pub fn peer_chunk(
        &mut self,
        at: DateTime<FixedOffset>,
        new_message: bool,
        text: &str,
        bytes: &[u8],
        cut: u64,
    ) {
        let open = self
            .entries
            .last()
            .is_some_and(|e| e.from == Speaker::Peer && e.open);
        if new_message || !open {
            self.close_peer_message();
            self.entries.push(Entry {
                at,
                from: Speaker::Peer,
                text: String::new(),
                notice: None,
                kind: None,
                bytes: Vec::new(),
                cut: 0,
                open: true,
                looks_like: None,
            });
        }
        if let Some(last) = self.entries.last_mut() {
            self.peer_kept += held(text, bytes);
            last.text.push_str(text);
            last.bytes.extend_from_slice(bytes);
            last.cut = last.cut.saturating_add(cut);
        }
    }

    /// The peer's message is complete (we replied, or the session ended). Its text and
    /// bytes give back what they grew beyond their length.
    pub fn close_peer_message(&mut self) {
        if let Some(last) = self.entries.last_mut() {
            if last.open {
                last.text.shrink_to_fit();
                last.bytes.shrink_to_fit();
            }
            last.open = false;
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many times earlier entries were rewritten (see [`Transcript::redecode_peer`]).
    pub fn rewrites(&self) -> u64 {
        self.rewrites
    }

    /// Looks at the newest peer message again (it grew) while it is short enough for
    /// the rule to care: does it read better in another encoding than `current`?
    pub fn check_last_peer(&mut self, current: WireEncoding) {
        if let Some(last) = self.entries.last_mut()
            && last.from == Speaker::Peer
            && last.bytes.len() <= detect::LOOK_BYTES + 4
        {
            last.looks_like = detect::looks_like(current, &last.bytes);
        }
    }

    /// Decodes every peer message again from its kept bytes, as `encoding` (the user
    /// switched the conversation's encoding), and looks at each again.
    pub fn redecode_peer(&mut self, encoding: WireEncoding) {
        for e in self.entries.iter_mut().filter(|e| e.from == Speaker::Peer) {
            e.text = decode_lossy(encoding, &e.bytes);
            e.looks_like = detect::looks_like(encoding, &e.bytes);
        }
        self.peer_kept = self
            .entries
            .iter()
            .filter(|e| e.from == Speaker::Peer)
            .map(|e| held(&e.text, &e.bytes))
            .sum();
        self.rewrites += 1;
    }

    /// Bytes the peer's messages hold in memory: their text and their wire bytes. What
    /// the window's memory budget counts (`crate::state::memory`).
    pub fn peer_kept(&self) -> u64 {
        self.peer_kept
    }

    /// Lets go of the oldest peer message that is complete and still holds text: in its
    /// place a notice ([`Notice::DroppedFromMemory`]) says how many of its bytes the
    /// transcript file still holds. Returns how many bytes of memory that gave back, or
    /// `None` when no such message is left. Views that cache layout start over.
    pub fn drop_oldest_peer(&mut self) -> Option<u64> {
        let e = self.entries.iter_mut().find(|e| {
            e.from == Speaker::Peer && !e.open && !(e.text.is_empty() && e.bytes.is_empty())
        })?;
        let freed = held(&e.text, &e.bytes);
        let notice = Notice::DroppedFromMemory {
            bytes: e.bytes.len() as u64,
        };
        e.from = Speaker::System;
        e.text = String::new();
        e.bytes = Vec::new();
        e.cut = 0;
        e.looks_like = None;
        e.notice = Some(notice);
        self.peer_kept -= freed;
        self.rewrites += 1;
        Some(freed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Say;

    fn t0() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T14:02:11.5+08:00").expect("valid")
    }

    #[test]
    fn record_line_has_the_documented_fields() {
        let r = Record::message(
            t0(),
            "s1",
            "192.168.1.7:51234",
            Speaker::Peer,
            "你好",
            &[0xc4, 0xe3, 0xba, 0xc3],
        );
        let line = r.to_line();
        assert!(line.ends_with('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["at"], "2026-11-25T14:02:11.500+08:00");
        assert_eq!(v["session"], "s1");
        assert_eq!(v["peer"], "192.168.1.7:51234");
        assert_eq!(v["from"], "peer");
        assert_eq!(v["text"], "你好");
        assert_eq!(v["hex"], "c4e3bac3");
        assert!(v.get("cut").is_none());
        let back: Record = serde_json::from_str(&line).expect("parse back");
        assert_eq!(back, r);
    }

    #[test]
    fn lines_read_back_and_bad_ones_say_why() {
        let r = Record::message(t0(), "s", "p", Speaker::Me, "好", &[0xba, 0xc3]);
        let back = parse_line(&r.to_line()).expect("reads back");
        assert_eq!(back, r);
        assert_eq!(back.bytes(), [0xba, 0xc3]);
        assert!(matches!(
            parse_line("{\"at\":1}"),
            Err(ParseError::NotARecord { .. })
        ));
        let odd = r.to_line().replace("bac3", "bac");
        assert_eq!(parse_line(&odd), Err(ParseError::BadHex { at: 3 }));
        let upper = r.to_line().replace("bac3", "BAC3");
        assert_eq!(parse_line(&upper), Err(ParseError::BadHex { at: 0 }));
        assert!(
            parse_line("not json")
                .expect_err("not json")
                .en()
                .starts_with("This line is not a TurnChat transcript record")
        );
    }

    #[test]
    fn turns_are_spelled_strict_or_free_and_old_files_read() {
        let mut r = Record::notice(t0(), "s1", "p", Some("connected"), "Connected.");
        r.encoding = Some(WireEncoding::Utf8);
        r.turns = Some(TurnPolicy::Free);
        let line = r.to_line();
        assert!(
            line.contains(r#""encoding":"UTF-8","turns":"free""#),
            "{line}"
        );
        assert_eq!(parse_line(&line), Ok(r.clone()));
        r.turns = Some(TurnPolicy::Strict);
        assert!(r.to_line().contains(r#""turns":"strict""#));
        let old = r#"{"at":"2026-11-25T14:02:11+08:00","session":"s","peer":"p","from":"system","text":"x","encoding":"GBK"}"#;
        assert_eq!(parse_line(old).expect("old line").turns, None);
        let odd = r#"{"at":"2026-11-25T14:02:11+08:00","session":"s","peer":"p","from":"system","text":"x","turns":"sometimes"}"#;
        assert_eq!(parse_line(odd).expect("still a record").turns, None);
    }

    #[test]
    fn role_and_encoding_keep_their_file_spellings() {
        let mut r = Record::notice(t0(), "s1", "p", None, "Connected.");
        r.encoding = Some(WireEncoding::Gbk);
        r.role = Some(Role::Server);
        let line = r.to_line();
        assert!(
            line.ends_with(
                r#""text":"Connected.","encoding":"GBK","role":"server"}
"#
            ),
            "{line}"
        );
        assert_eq!(parse_line(&line), Ok(r));
        for (e, label) in [
            (WireEncoding::Gb18030, "GB18030"),
            (WireEncoding::Utf8, "UTF-8"),
            (WireEncoding::Big5, "Big5"),
            (WireEncoding::ShiftJis, "Shift_JIS"),
        ] {
            let mut r = Record::notice(t0(), "s", "p", None, "x");
            r.encoding = Some(e);
            r.role = Some(Role::Client);
            let v: serde_json::Value = serde_json::from_str(&r.to_line()).expect("json");
            assert_eq!(
                (v["encoding"].as_str(), v["role"].as_str()),
                (Some(label), Some("client"))
            );
        }
        // Spellings from elsewhere read as unknown, not as a damaged line.
        let odd = r#"{"at":"2026-11-25T14:02:11+08:00","session":"s","peer":"p","from":"system","text":"x","encoding":"EBCDIC","role":"Server"}"#;
        let r = parse_line(odd).expect("still a record");
        assert_eq!((r.encoding, r.role), (None, None));
    }

    #[test]
    fn notices_have_no_hex() {
        let v: serde_json::Value =
            serde_json::from_str(&Record::notice(t0(), "s1", "p", None, "Connected.").to_line())
                .expect("json");
        assert_eq!(v["from"], "system");
        assert!(v.get("hex").is_none());
    }

    #[test]
    fn peer_chunks_join_until_closed() {
        let mut t = Transcript::default();
        t.peer_chunk(t0(), true, "欢迎", &[0xbb, 0xb6, 0xd3, 0xad], 0);
        t.peer_chunk(
            t0(),
            false,
            "您的使用",
            &[0xc4, 0xfa, 0xb5, 0xc4, 0xca, 0xb9, 0xd3, 0xc3],
            0,
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t.entries()[0].text, "欢迎您的使用");
        assert_eq!(
            crate::core::codec::to_hex(&t.entries()[0].bytes),
            "bbb6d3adc4fab5c4cab9d3c3"
        );
        t.sent(t0(), "你好", vec![0xc4, 0xe3, 0xba, 0xc3]);
        t.peer_chunk(t0(), false, "再见", &[0xd4, 0xd9, 0xbc, 0xfb], 3);
        assert_eq!(t.len(), 3);
        assert_eq!(t.entries()[2].cut, 3);
        assert!(t.entries()[2].open);
        t.close_peer_message();
        assert!(!t.entries()[2].open);
    }
}
