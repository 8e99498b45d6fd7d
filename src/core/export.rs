//! What a kept conversation is called and says about itself: its formats, its header and
//! its file name. The rendering, which words notices, is `crate::words::export`.

use chrono::{DateTime, FixedOffset};

use super::codec::WireEncoding;
use super::framing::LineEnding;
use super::turn::{Role, TurnPolicy};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_formats() {
        let h = ExportHeader {
            session: "20261125T140211-42-1".into(),
            local: None,
            peer: "192.168.1.7:51234".into(),
            our_role: Some(Role::Server),
            started: DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time"),
            ended: None,
            encoding: WireEncoding::Gbk,
            turns: None,
            line_ending: None,
        };
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
