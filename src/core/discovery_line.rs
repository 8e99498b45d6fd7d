//! What `turnchat --discover` prints for one server: a line of tab-separated fields, or a
//! JSON object (`--json`, JSON Lines). Everything in a server's announcement is chosen by
//! whoever sent it, so every field is escaped: no tab, line break, control, bidirectional
//! or invisible character reaches the terminal or the script as itself, and a line is
//! always exactly one server.
//!
//! The text line is `NAME<TAB>HOST:PORT<TAB>ENCODING<TAB>free|busy`, with a fifth field
//! `look-alike`, `moved` or `look-alike,moved` when the row is marked. In NAME, `\` is
//! `\\`, tab `\t`, newline `\n`, carriage return `\r`, and any other control or invisible
//! character `\u{XXXX}`. ENCODING is one of the labels TurnChat knows, else `?`.

use std::fmt::Write as _;

use super::codec::WireEncoding;
use super::discovery::FoundServer;
use super::lookalike::{Marks, is_invisible};

/// `field` escaped for a tab-separated line (see the module's doc).
pub fn escape_field(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_invisible(c) => {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// The encoding a server announced, as one of the labels TurnChat knows (matched without
/// regard to case), or `?` when it said none or one this version does not know.
pub fn known_encoding(label: Option<&str>) -> &'static str {
    label
        .and_then(|l| {
            WireEncoding::ALL
                .into_iter()
                .find(|e| e.label().eq_ignore_ascii_case(l.trim()))
        })
        .map_or("?", WireEncoding::label)
}

fn state(server: &FoundServer) -> &'static str {
    if server.busy() { "busy" } else { "free" }
}

/// The text line for `server` with its `marks` (see the module's doc).
pub fn text_line(server: &FoundServer, marks: Marks) -> String {
    let mut line = format!(
        "{}\t{}\t{}\t{}",
        escape_field(&server.name),
        server.addr,
        known_encoding(server.txt.encoding_label.as_deref()),
        state(server)
    );
    let words = marks.words();
    if !words.is_empty() {
        line.push('\t');
        line.push_str(&words.join(","));
    }
    line
}

/// `text` as a JSON string, with every control and invisible character written as a
/// `\uXXXX` escape (so a terminal showing the line is not misled either).
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_invisible(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON Lines object for `server` with its `marks`: `event` (`found`, `gone` or
/// `listed`), `name` (as announced), `visible_name` (as the text line shows it),
/// `host`, `port`, `encoding` (a known label or `?`), `encoding_announced` (the label
/// as sent, or null), `state` (`free`/`busy`), `conversations` (or null), `marks` (a
/// list of `look-alike`, `moved`) and `moved_from` (an address, or null).
pub fn json_line(server: &FoundServer, marks: Marks, event: &str) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"event\":");
    json_string(&mut out, event);
    out.push_str(",\"name\":");
    json_string(&mut out, &server.name);
    out.push_str(",\"visible_name\":");
    json_string(&mut out, &escape_field(&server.name));
    out.push_str(",\"host\":");
    json_string(&mut out, &server.addr.ip().to_string());
    let _ = write!(out, ",\"port\":{}", server.addr.port());
    out.push_str(",\"encoding\":");
    json_string(
        &mut out,
        known_encoding(server.txt.encoding_label.as_deref()),
    );
    out.push_str(",\"encoding_announced\":");
    match &server.txt.encoding_label {
        Some(label) => json_string(&mut out, label),
        None => out.push_str("null"),
    }
    out.push_str(",\"state\":");
    json_string(&mut out, state(server));
    match server.txt.conversations {
        Some(n) => {
            let _ = write!(out, ",\"conversations\":{n}");
        }
        None => out.push_str(",\"conversations\":null"),
    }
    out.push_str(",\"marks\":[");
    for (i, word) in marks.words().into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, word);
    }
    out.push_str("],\"moved_from\":");
    match marks.moved_from {
        Some(addr) => json_string(&mut out, &addr.to_string()),
        None => out.push_str("null"),
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::discovery::TxtInfo;
    use std::net::SocketAddr;

    fn server(name: &str, enc: Option<&str>) -> FoundServer {
        FoundServer {
            key: format!("{name}._turnchat._tcp.local."),
            name: name.into(),
            addr: SocketAddr::from(([10, 0, 0, 1], 8888)),
            txt: TxtInfo {
                encoding_label: enc.map(str::to_owned),
                ..TxtInfo::default()
            },
        }
    }

    #[test]
    fn every_hostile_character_is_escaped() {
        let s = server(
            "a\tb\nFAKE\t6.6.6.6:1\x1b[2J\\\u{202E}x\u{200B}\u{2028}\u{E0041}",
            Some("GBK\nFAKE\t6.6.6.6:1\tGBK\tfree\x1b]0;x\x07"),
        );
        let line = text_line(&s, Marks::default());
        assert_eq!(
            line,
            "a\\tb\\nFAKE\\t6.6.6.6:1\\u{001B}[2J\\\\\\u{202E}x\\u{200B}\\u{2028}\\u{E0041}\
             \t10.0.0.1:8888\t?\tfree"
        );
        assert_eq!(line.split('\t').count(), 4);
        assert!(!line.chars().any(|c| is_invisible(c) && c != '\t'));
    }

    #[test]
    fn encodings_are_known_labels_or_a_question_mark() {
        assert_eq!(known_encoding(Some("GBK")), "GBK");
        assert_eq!(known_encoding(Some("utf-8")), "UTF-8");
        assert_eq!(known_encoding(Some(" shift_jis ")), "Shift_JIS");
        assert_eq!(known_encoding(Some("KOI8-R")), "?");
        assert_eq!(known_encoding(Some("GBK\tx")), "?");
        assert_eq!(known_encoding(None), "?");
    }

    #[test]
    fn marks_make_a_fifth_field() {
        let s = server("teacher", Some("GBK"));
        let marks = Marks {
            look_alike: true,
            moved_from: Some(SocketAddr::from(([10, 0, 0, 2], 8888))),
            pinned: false,
            asked: false,
        };
        assert_eq!(
            text_line(&s, marks),
            "teacher\t10.0.0.1:8888\tGBK\tfree\tlook-alike,moved"
        );
        let json = json_line(&s, marks, "listed");
        assert!(
            json.contains("\"marks\":[\"look-alike\",\"moved\"]"),
            "{json}"
        );
        assert!(json.contains("\"moved_from\":\"10.0.0.2:8888\""), "{json}");
    }

    #[test]
    fn json_lines_are_one_line_and_escape_invisibles() {
        let s = server("王\"老\\师\n\u{202E}\u{E0041}", Some("KOI8-R\x1b"));
        let json = json_line(&s, Marks::default(), "found");
        assert!(!json.contains('\n'));
        assert!(!json.chars().any(is_invisible), "{json}");
        assert!(json.contains("\"name\":\"王\\\"老\\\\师\\n\\u202e\\udb40\\udc41\""));
        assert!(json.contains("\"encoding\":\"?\""));
        assert!(json.contains("\"encoding_announced\":\"KOI8-R\\u001b\""));
        assert!(json.contains("\"conversations\":null"));
        assert!(json.starts_with("{\"event\":\"found\","));
    }
}
