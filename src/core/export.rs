//! Turning a conversation into a file people keep: plain text anyone can read, or JSON
//! Lines in the same shape as the live transcript.

use chrono::{DateTime, FixedOffset};

use super::codec::WireEncoding;
use super::framing::LineEnding;
use super::notice::Notice;
use super::transcript::{Entry, Record, Speaker};
use super::turn::{Role, TurnPolicy};
use crate::words::{Label, Lang, Phrase, Say};

/// The two formats a transcript can be saved in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// UTF-8 text with a header and one line per message.
    PlainText,
    /// One JSON object per line, as the live transcript.
    JsonLines,
}

impl ExportFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::PlainText => "txt",
            ExportFormat::JsonLines => "jsonl",
        }
    }

    /// The format a file name asks for: `.jsonl` / `.json` is JSON Lines, anything else text.
    pub fn from_file_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".json") {
            ExportFormat::JsonLines
        } else {
            ExportFormat::PlainText
        }
    }
}

/// What a saved transcript says about its conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportHeader {
    /// The session id written in transcript files.
    pub session: String,
    /// Our address (`ip:port`), if known.
    pub local: Option<String>,
    /// The other side's address.
    pub peer: String,
    /// Which side we played (`None`: not recorded, in files of older versions).
    pub our_role: Option<Role>,
    /// When it started.
    pub started: DateTime<FixedOffset>,
    /// When it ended; `None` if it was still going when saved.
    pub ended: Option<DateTime<FixedOffset>>,
    /// The wire encoding at the start (a change later is a notice of its own).
    pub encoding: WireEncoding,
    /// Whether turns were enforced (`None`: not recorded, in files of older versions).
    pub turns: Option<TurnPolicy>,
    /// What ended each message sent (`None`: not recorded, in files of older versions).
    pub line_ending: Option<LineEnding>,
}

impl ExportHeader {
    /// A file name for this conversation: date, time and peer, safe on every system.
    pub fn file_name(&self, format: ExportFormat) -> String {
        let peer = file_name_part(&self.peer);
        format!(
            "TurnChat {} {}.{}",
            self.started.format("%Y-%m-%d %H-%M-%S"),
            peer,
            format.extension()
        )
    }
}

/// `text` (an address such as `[::1]:8888`) made safe as part of a file name on every
/// system: letters, digits and dots stay, anything else becomes `-`.
pub fn file_name_part(text: &str) -> String {
    let safe: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    safe.trim_matches('-').to_owned()
}

/// Renders `entries` in `format`, with TurnChat's own words (the header, notices) in
/// `lang`.
pub fn render(
    format: ExportFormat,
    header: &ExportHeader,
    entries: &[Entry],
    lang: Lang,
) -> String {
    match format {
        ExportFormat::PlainText => plain_text(header, entries, lang),
        ExportFormat::JsonLines => json_lines(header, entries, lang),
    }
}

/// Plain text: a header, then `[time] sender: text`, continuation lines indented under
/// the text so multi-line messages stay readable.
pub fn plain_text(header: &ExportHeader, entries: &[Entry], lang: Lang) -> String {
    let mut out = header.say(lang);
    for e in entries {
        let sender = match e.from {
            Speaker::Me => Label::Me.get(lang).to_owned(),
            Speaker::Peer => header.peer.clone(),
            Speaker::System => "*".to_owned(),
        };
        let prefix = format!("[{}] {sender}: ", e.at.format("%H:%M:%S"));
        let indent = " ".repeat(prefix.chars().count());
        let words = e.words(lang);
        let text = words.strip_suffix('\n').unwrap_or(&words);
        for (i, line) in text.split('\n').enumerate() {
            out.push_str(if i == 0 { &prefix } else { &indent });
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            out.push('\n');
        }
        if e.cut > 0 {
            out.push_str(&indent);
            out.push_str(&Phrase::NotKeptInFile { bytes: e.cut }.say(lang));
            out.push('\n');
        }
    }
    out
}

/// JSON Lines, one record per message or notice (a peer message is one line here).
pub fn json_lines(header: &ExportHeader, entries: &[Entry], lang: Lang) -> String {
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let mut record = match e.from {
            Speaker::System => Record::notice(
                e.at,
                &header.session,
                &header.peer,
                e.kind(),
                &e.words(lang),
            ),
            from => {
                let mut r =
                    Record::message(e.at, &header.session, &header.peer, from, &e.text, &e.bytes);
                // Two peer messages in a row (lines, free talk) stay two when read back.
                let previous = i.checked_sub(1).map(|p| entries[p].from);
                if from == Speaker::Peer && previous == Some(Speaker::Peer) {
                    r.new_message = Some(true);
                }
                r
            }
        };
        if i == 0 {
            record.encoding = Some(header.encoding);
            record.role = header.our_role;
            record.turns = header.turns;
            record.line_ending = header.line_ending;
        }
        // A change of encoding says which, as the live file does.
        if let Some(Notice::EncodingChanged { to, .. }) = &e.notice {
            record.encoding = Some(*to);
        }
        if e.cut > 0 {
            record.cut = Some(e.cut);
        }
        out.push_str(&record.to_line());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notice::{EndReason, Notice};
    use crate::core::transcript::Transcript;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn sample() -> (ExportHeader, Transcript) {
        let mut tr = Transcript::default();
        tr.notice(
            t("2026-11-25T14:02:11+08:00"),
            Notice::Connected {
                as_role: Role::Server,
                peer: "192.168.1.7:51234".parse().expect("addr"),
            },
        );
        tr.sent(
            t("2026-11-25T14:02:11+08:00"),
            "欢迎您的使用",
            vec![
                0xbb, 0xb6, 0xd3, 0xad, 0xc4, 0xfa, 0xb5, 0xc4, 0xca, 0xb9, 0xd3, 0xc3,
            ],
        );
        tr.peer_chunk(
            t("2026-11-25T14:02:15+08:00"),
            true,
            "你好服务端\n第二行",
            &[0xc4, 0xe3],
            0,
        );
        tr.sent(t("2026-11-25T14:02:20+08:00"), "bye", b"bye".to_vec());
        tr.notice(
            t("2026-11-25T14:02:20+08:00"),
            Notice::Ended {
                reason: EndReason::WeSaidBye,
            },
        );
        let header = ExportHeader {
            session: "20261125T140211-42-1".into(),
            local: Some("192.168.1.5:8888".into()),
            peer: "192.168.1.7:51234".into(),
            our_role: Some(Role::Server),
            started: t("2026-11-25T14:02:11+08:00"),
            ended: Some(t("2026-11-25T14:02:20+08:00")),
            encoding: WireEncoding::Gbk,
            turns: None,
            line_ending: None,
        };
        (header, tr)
    }

    #[test]
    fn json_lines_say_the_turns_the_line_ending_and_each_change_of_encoding() {
        let (mut h, mut tr) = sample();
        h.turns = Some(TurnPolicy::Free);
        h.line_ending = Some(LineEnding::Crlf);
        tr.notice(
            t("2026-11-25T14:02:21+08:00"),
            Notice::EncodingChanged {
                from: WireEncoding::Gbk,
                to: WireEncoding::Utf8,
            },
        );
        let out = json_lines(&h, tr.entries(), Lang::En);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].contains(r#""encoding":"GBK""#)
                && lines[0].contains(r#""turns":"free""#)
                && lines[0].contains(r#""line_ending":"crlf""#),
            "{}",
            lines[0]
        );
        let last = lines.last().copied().unwrap_or_default();
        assert!(
            last.contains(r#""kind":"encoding""#) && last.contains(r#""encoding":"UTF-8""#),
            "{last}"
        );
    }

    #[test]
    fn plain_text_golden() {
        let (h, tr) = sample();
        let expected = "\
TurnChat conversation
This computer (server): 192.168.1.5:8888
Other side (client):  192.168.1.7:51234
Started:  2026-11-25 14:02:11 +08:00
Ended:    2026-11-25 14:02:20 +08:00
Encoding: GBK
Session:  20261125T140211-42-1

[14:02:11] *: 192.168.1.7:51234 connected.
[14:02:11] me: 欢迎您的使用
[14:02:15] 192.168.1.7:51234: 你好服务端
                              第二行
[14:02:20] me: bye
[14:02:20] *: You said bye. The conversation has ended.
";
        assert_eq!(plain_text(&h, tr.entries(), Lang::En), expected);
    }

    #[test]
    fn json_lines_golden() {
        let (h, tr) = sample();
        let text = json_lines(&h, tr.entries(), Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(
            lines[0],
            r#"{"at":"2026-11-25T14:02:11.000+08:00","session":"20261125T140211-42-1","peer":"192.168.1.7:51234","from":"system","kind":"connected","text":"192.168.1.7:51234 connected.","encoding":"GBK","role":"server"}"#
        );
        assert_eq!(
            lines[1],
            r#"{"at":"2026-11-25T14:02:11.000+08:00","session":"20261125T140211-42-1","peer":"192.168.1.7:51234","from":"me","text":"欢迎您的使用","hex":"bbb6d3adc4fab5c4cab9d3c3"}"#
        );
        assert!(
            lines[2].contains(r#""from":"peer","text":"你好服务端\n第二行","hex":"c4e3""#),
            "{}",
            lines[2]
        );
        assert!(lines[3].contains(r#""text":"bye","hex":"627965""#));
        assert!(
            lines[4].contains(r#""kind":"my-bye","text":"You said bye."#),
            "{}",
            lines[4]
        );
    }

    #[test]
    fn saved_in_chinese_the_header_and_notices_are_chinese() {
        let (h, tr) = sample();
        let text = plain_text(&h, tr.entries(), Lang::ZhCn);
        assert!(
            text.starts_with("TurnChat 对话记录\n本机（服务器）：192.168.1.5:8888\n"),
            "{text}"
        );
        assert!(
            text.contains("[14:02:11] *: 192.168.1.7:51234 已连接。\n"),
            "{text}"
        );
        assert!(text.contains("[14:02:20] 我: bye\n"), "{text}");
        let lines = json_lines(&h, tr.entries(), Lang::ZhCn);
        assert!(
            lines.contains(r#""kind":"my-bye","text":"你说了 bye，对话已结束。""#),
            "{lines}"
        );
    }

    #[test]
    fn file_names_and_formats() {
        let (h, _) = sample();
        assert_eq!(
            h.file_name(ExportFormat::PlainText),
            "TurnChat 2026-11-25 14-02-11 192.168.1.7-51234.txt"
        );
        assert_eq!(
            ExportFormat::from_file_name("a.JSONL"),
            ExportFormat::JsonLines
        );
        assert_eq!(
            ExportFormat::from_file_name("a.txt"),
            ExportFormat::PlainText
        );
        assert_eq!(
            ExportFormat::from_file_name("notes"),
            ExportFormat::PlainText
        );
    }
}
