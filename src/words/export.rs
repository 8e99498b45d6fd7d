//! A kept conversation as a file people read: plain text anyone can open, or JSON Lines in
//! the same shape as the live transcript. Both word TurnChat's own lines (the header,
//! notices) in the language asked for, so they live with the catalogue.

use std::borrow::Cow;

use super::{Label, Phrase};
use crate::core::display::visible_text;
use crate::core::export::{ExportFormat, ExportHeader};
use crate::core::lang::{Lang, Say};
use crate::core::notice::Notice;
use crate::core::transcript::{Entry, Record, Speaker};

/// What an entry says in `lang`: a notice of this run is worded now; anything else is its
/// text as it was said or written.
pub fn entry_words(entry: &Entry, lang: Lang) -> Cow<'_, str> {
    match &entry.notice {
        Some(n) => Cow::Owned(n.say(lang)),
        None => Cow::Borrowed(&entry.text),
    }
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
/// the text so multi-line messages stay readable. Controls, bidi overrides and zero-width
/// characters are written visibly, as the window shows them (`^[`, `<U+202E>`), so `cat`
/// of the file cannot replay a peer's terminal codes or forge a line.
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
        let words = entry_words(e, lang);
        let text = words.strip_suffix('\n').unwrap_or(&words);
        for (i, line) in text.split('\n').enumerate() {
            out.push_str(if i == 0 { &prefix } else { &indent });
            out.push_str(&visible_text(line.strip_suffix('\r').unwrap_or(line)));
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
                &entry_words(e, lang),
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
    use chrono::{DateTime, FixedOffset};

    use crate::core::codec::WireEncoding;
    use crate::core::framing::LineEnding;
    use crate::core::history::parse;
    use crate::core::notice::{EndReason, Notice};
    use crate::core::transcript::Transcript;
    use crate::core::turn::Role;
    use crate::core::turn::TurnPolicy;

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
    fn plain_text_shows_terminal_codes_bidi_and_zero_width_visibly() {
        let (h, _) = sample();
        let mut tr = Transcript::default();
        tr.peer_chunk(
            t("2026-11-25T14:02:15+08:00"),
            true,
            "\u{1b}[2J\u{1b}]0;title\u{7}ok\rme: fake\u{202e}x\u{200b}y\r\n",
            b"",
            0,
        );
        let text = plain_text(&h, tr.entries(), Lang::En);
        let body = text.lines().last().expect("a line");
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{200b}'),
            "{text:?}"
        );
        assert_eq!(
            body,
            "[14:02:15] 192.168.1.7:51234: ^[[2J^[]0;title^Gok^Mme: fake<U+202E>x<U+200B>y"
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

    const FILE: &str = r#"{"at":"2026-11-25T14:02:11.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"system","text":"192.168.1.7:51234 connected.","encoding":"GBK","role":"server"}
{"at":"2026-11-25T14:02:11.001+08:00","session":"s1","peer":"192.168.1.7:51234","from":"me","text":"欢迎您的使用","hex":"bbb6d3adc4fab5c4cab9d3c3"}
{"at":"2026-11-25T14:02:15.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"peer","text":"你好","hex":"c4e3bac3"}
{"at":"2026-11-25T14:02:15.100+08:00","session":"s1","peer":"192.168.1.7:51234","from":"peer","text":"服务端","hex":"b7fecef1b6cb"}
{"at":"2026-11-25T14:02:20.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"me","text":"bye","hex":"627965"}
"#;

    #[test]
    fn peer_lines_marked_as_new_messages_stay_apart_and_export_says_so() {
        let lines = FILE.replace(
            r#""text":"服务端""#,
            r#""text":"服务端","new_message":true"#,
        );
        let c = parse(&lines).expect("readable");
        assert_eq!(c.message_count(), 4);
        let texts: Vec<&str> = c
            .transcript
            .entries()
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(texts[2..4], ["你好", "服务端"]);
        // Written back as JSON Lines and read again: still two.
        let again = json_lines(&c.header, c.transcript.entries(), Lang::En);
        assert_eq!(again.matches(r#""new_message":true"#).count(), 1);
        assert_eq!(parse(&again).expect("readable").message_count(), 4);
        // Without the mark, the same two lines are one message, as files have always read.
        assert_eq!(parse(FILE).expect("readable").message_count(), 3);
    }

    #[test]
    fn notices_keep_their_words_and_kind_and_lines_before_kinds_still_read() {
        // FILE's notice was written before `kind` existed.
        let c = parse(FILE).expect("readable");
        let old = &c.transcript.entries()[0];
        assert_eq!(
            (entry_words(old, Lang::ZhCn).as_ref(), old.kind()),
            ("192.168.1.7:51234 connected.", None),
            "a notice read from a file keeps the words it was written in"
        );
        let new = r#"{"at":"2026-11-25T14:03:00.000+08:00","session":"s1","peer":"192.168.1.7:51234","from":"system","kind":"peer-bye","text":"对方说了 bye，对话已结束。"}"#;
        let c = parse(&format!("{FILE}{new}\n")).expect("readable");
        let last = c.transcript.entries().last().expect("entries");
        assert_eq!(last.kind(), Some("peer-bye"));
        // Written in Chinese, shown in the window's language: its kind says all it needs.
        assert_eq!(entry_words(last, Lang::ZhCn), "对方说了 bye，对话已结束。");
        assert_eq!(
            entry_words(last, Lang::En),
            "The other side said bye. The conversation has ended."
        );
        // Saved again, the kind goes with it.
        let again = json_lines(&c.header, c.transcript.entries(), Lang::En);
        assert!(
            again.contains(r#""kind":"peer-bye","text":"The other side said bye."#),
            "{again}"
        );
        assert_eq!(again.matches("\"kind\"").count(), 1, "{again}");
    }
}
