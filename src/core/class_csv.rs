//! Each server run is a class: its transcripts go into a folder of their own, named after
//! the run's start and port, and beside them `class.csv`, one row per conversation, kept
//! current while the server runs. This is the pure part: the folder's name and the CSV's
//! bytes (UTF-8 with a byte-order mark and CRLF line ends, so that Excel opens it with its
//! Chinese intact).

use chrono::{DateTime, FixedOffset};

/// The summary's file name, in the class's folder.
pub const CLASS_FILE: &str = "class.csv";

/// The class folder's name for a run started at `started` on `port`:
/// `2026-12-07_09-30-00_port-8888`.
pub fn folder_name(started: DateTime<FixedOffset>, port: u16) -> String {
    format!("{}_port-{port}", started.format("%Y-%m-%d_%H-%M-%S"))
}

/// One cell, quoted when it holds a separator, a quote or a line break; a cell starting
/// with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet never runs it as a
/// formula (a peer's name is the peer's to choose).
fn cell(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The file: a byte-order mark, the header, then the rows, each line ended by CRLF.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let mut l = cells.collect::<Vec<_>>().join(",");
        l.push_str("\r\n");
        l
    };
    out.push_str(&line(&mut header.iter().map(|h| cell(h))));
    for row in rows {
        out.push_str(&line(&mut row.iter().map(|c| cell(c))));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_says_when_and_which_port() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T09:30:05+08:00").expect("a time");
        assert_eq!(folder_name(at, 8888), "2026-12-07_09-30-05_port-8888");
    }

    #[test]
    fn excel_reads_it_as_utf8_with_cells_quoted_where_needed() {
        let bytes = render(
            &["姓名", "地址"],
            &[
                vec!["张三".into(), "127.0.0.2:5000".into()],
                vec!["Li, \"Ming\"".into(), "=cmd()".into()],
            ],
        );
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert_eq!(
            text,
            "\u{feff}姓名,地址\r\n张三,127.0.0.2:5000\r\n\"Li, \"\"Ming\"\"\",'=cmd()\r\n"
        );
    }

    #[test]
    fn the_class_list_reader_reads_the_summary_back() {
        let bytes = render(
            &["name", "IP"],
            &[vec!["王五".into(), "127.0.0.9:40000".into()]],
        );
        let roster = crate::core::roster::parse_roster(&bytes).expect("readable");
        assert_eq!(roster.students[0].name, "王五");
        assert_eq!(roster.students[0].port, Some(40000));
    }
}
