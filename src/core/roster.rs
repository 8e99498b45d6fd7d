//! The class list: a CSV file a teacher keeps (or exports from Excel) that says which
//! student sits at which computer, so the server's rows can read "张三" instead of
//! `192.168.1.23:50412`.
//!
//! The file is user input, so everything here is bounded and forgiving: a file over
//! [`MAX_ROSTER_BYTES`] is refused as a whole, a row that cannot be used is reported with its
//! line number and skipped, and the good rows are used. The header names the columns, in
//! either language and in any order (`姓名`/`name`, `IP`/`地址`/`address`, optionally
//! `座位`/`seat` and `学号`/`id`); other columns are ignored. The text may be UTF-8 with or
//! without a byte-order mark (LibreOffice, Excel's "CSV UTF-8"), UTF-16 with a mark (Excel's
//! "Unicode text", tab-separated), or GBK (Excel's plain "CSV" on a Chinese Windows).
//! Pure: the caller reads the file's bytes.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

/// The largest class list read: far more than any class needs, small enough to read at once.
pub const MAX_ROSTER_BYTES: usize = 2 * 1024 * 1024;

/// The most students one list holds; later rows are reported, not used.
pub const MAX_STUDENTS: usize = 5000;

/// The most bad rows listed one by one; beyond that they are only counted.
pub const MAX_LISTED_BAD_ROWS: usize = 200;

/// The longest name or seat kept, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// One student of the class list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Student {
    /// The name, trimmed, as the list writes it.
    pub name: String,
    /// The computer's address.
    pub ip: IpAddr,
    /// The port, when the list names one (to tell apart students sharing one computer).
    pub port: Option<u16>,
    /// The seat, when the list has a seat column and the row fills it.
    pub seat: Option<String>,
    /// The student number, when the list has one.
    pub id: Option<String>,
    /// The line of the file this student's row starts on (1 is the header).
    pub line: usize,
}

/// A column the class list must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The student's name (`姓名`, `name`).
    Name,
    /// The computer's address (`IP`, `地址`, `address`).
    Address,
}

/// Why a whole class list cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RosterError {
    /// The file is over [`MAX_ROSTER_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// The file has no header line (it is empty or blank).
    Empty,
    /// The header does not name a column the list needs.
    MissingColumn {
        /// The column not found.
        column: Column,
    },
    /// The header names the columns but no row could be used.
    NoStudents {
        /// How many rows were bad.
        bad_rows: usize,
    },
}

/// Why one row of the class list was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// The name cell is empty.
    NoName,
    /// The address cell is empty.
    NoAddress,
    /// The address cell is neither an IP address nor address:port.
    BadAddress {
        /// What the cell says.
        text: String,
    },
    /// The same address (and port) is on an earlier row.
    DuplicateAddress {
        /// The earlier row's line.
        first_line: usize,
    },
    /// A name or seat longer than [`MAX_NAME_CHARS`].
    TooLong,
    /// The list already has [`MAX_STUDENTS`] students.
    TooManyStudents,
}

/// One skipped row, with the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    /// The line of the file (1 is the header).
    pub line: usize,
    /// Why it was skipped.
    pub problem: RowProblem,
}

/// A class list as read: the students to use and the rows that were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    /// The students, in the file's order.
    pub students: Vec<Student>,
    /// The first [`MAX_LISTED_BAD_ROWS`] skipped rows.
    pub bad_rows: Vec<BadRow>,
    /// Skipped rows beyond those listed.
    pub more_bad_rows: usize,
}

impl Roster {
    /// The student at this peer address: a row naming this exact port first, then a row
    /// naming the address without a port.
    pub fn lookup(&self, peer: SocketAddr) -> Option<&Student> {
        let ip = canonical(peer.ip());
        self.students
            .iter()
            .find(|s| s.ip == ip && s.port == Some(peer.port()))
            .or_else(|| {
                self.students
                    .iter()
                    .find(|s| s.ip == ip && s.port.is_none())
            })
    }

    /// How many rows were skipped in all.
    pub fn bad_row_count(&self) -> usize {
        self.bad_rows.len() + self.more_bad_rows
    }

    fn skip(&mut self, line: usize, problem: RowProblem) {
        if self.bad_rows.len() < MAX_LISTED_BAD_ROWS {
            self.bad_rows.push(BadRow { line, problem });
        } else {
            self.more_bad_rows += 1;
        }
    }
}

/// Reads a class list from the file's bytes.
pub fn parse_roster(bytes: &[u8]) -> Result<Roster, RosterError> {
    if bytes.len() > MAX_ROSTER_BYTES {
        return Err(RosterError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let text = decode(bytes);
    let records = split_records(&text);
    let mut records = records.into_iter().filter(|r| !r.is_blank());
    let header = records.next().ok_or(RosterError::Empty)?;
    let columns = Columns::find(&header.fields)?;
    let mut roster = Roster::default();
    let mut seen: HashMap<(IpAddr, Option<u16>), usize> = HashMap::new();
    for record in records {
        match columns.student(&record) {
            Err(problem) => roster.skip(record.line, problem),
            Ok(student) => {
                let key = (student.ip, student.port);
                if let Some(&first_line) = seen.get(&key) {
                    roster.skip(record.line, RowProblem::DuplicateAddress { first_line });
                } else if roster.students.len() >= MAX_STUDENTS {
                    roster.skip(record.line, RowProblem::TooManyStudents);
                } else {
                    seen.insert(key, record.line);
                    roster.students.push(student);
                }
            }
        }
    }
    if roster.students.is_empty() {
        return Err(RosterError::NoStudents {
            bad_rows: roster.bad_row_count(),
        });
    }
    Ok(roster)
}

/// Reads an address cell: `192.168.1.5`, `192.168.1.5:50000`, `fe80::1`, `[fe80::1]:50000`.
pub fn parse_address(cell: &str) -> Option<(IpAddr, Option<u16>)> {
    let cell = cell.trim();
    if let Ok(ip) = cell.parse::<IpAddr>() {
        return Some((canonical(ip), None));
    }
    if let Ok(addr) = cell.parse::<SocketAddr>() {
        return Some((canonical(addr.ip()), Some(addr.port())));
    }
    let bare = cell.strip_prefix('[')?.strip_suffix(']')?;
    bare.parse::<IpAddr>().ok().map(|ip| (canonical(ip), None))
}

/// An IPv4 address a dual-stack socket reports as `::ffff:a.b.c.d` is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Text from the file's bytes: a byte-order mark decides; otherwise UTF-8 when it is valid,
/// else GBK (what Excel writes on a Chinese Windows). Undecodable bytes become U+FFFD, so a
/// damaged cell shows in the report rather than failing the whole file.
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// One CSV record: its cells and the line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }

    fn cell(&self, index: Option<usize>) -> Option<&str> {
        index
            .and_then(|i| self.fields.get(i))
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
    }
}

/// The separator: whichever of comma, tab or semicolon the first line has most of
/// (Excel writes semicolons where the decimal mark is a comma, tabs in "Unicode text").
fn separator(text: &str) -> char {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [',', '\t', ';']
        .into_iter()
        .max_by_key(|&sep| (first.matches(sep).count(), sep == ','))
        .unwrap_or(',')
}

/// Splits the text into records, RFC 4180 style: a quoted cell may hold the separator, a
/// line break, and `""` for a quote.
fn split_records(text: &str) -> Vec<Record> {
    let sep = separator(text);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut cell));
                records.push(Record {
                    line: start,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                start = line;
            }
            c if c == sep => fields.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if !cell.is_empty() || !fields.is_empty() {
        fields.push(cell);
        records.push(Record {
            line: start,
            fields,
        });
    }
    records
}

/// Where each column is in the header.
struct Columns {
    name: usize,
    address: usize,
    seat: Option<usize>,
    id: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Result<Columns, RosterError> {
        let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
        let name = find(&[
            "姓名",
            "名字",
            "学生",
            "学生姓名",
            "name",
            "student",
            "studentname",
        ])
        .ok_or(RosterError::MissingColumn {
            column: Column::Name,
        })?;
        let address = find(&[
            "ip",
            "地址",
            "ip地址",
            "address",
            "ipaddress",
            "computer",
            "电脑",
        ])
        .ok_or(RosterError::MissingColumn {
            column: Column::Address,
        })?;
        Ok(Columns {
            name,
            address,
            seat: find(&["座位", "座位号", "seat"]),
            id: find(&["学号", "id", "studentid", "number"]),
        })
    }

    fn student(&self, record: &Record) -> Result<Student, RowProblem> {
        let name = record.cell(Some(self.name)).ok_or(RowProblem::NoName)?;
        let address = record
            .cell(Some(self.address))
            .ok_or(RowProblem::NoAddress)?;
        let (ip, port) = parse_address(address).ok_or_else(|| RowProblem::BadAddress {
            text: address.chars().take(MAX_NAME_CHARS).collect(),
        })?;
        let seat = record.cell(self.seat);
        let id = record.cell(self.id);
        let too_long = |s: &str| s.chars().count() > MAX_NAME_CHARS;
        if too_long(name) || seat.is_some_and(too_long) || id.is_some_and(too_long) {
            return Err(RowProblem::TooLong);
        }
        Ok(Student {
            name: name.to_owned(),
            ip,
            port,
            seat: seat.map(str::to_owned),
            id: id.map(str::to_owned),
            line: record.line,
        })
    }
}

/// A header cell compared without case, spaces, underscores or a stray mark.
fn header_key(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    fn names(roster: &Roster) -> Vec<&str> {
        roster.students.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn excel_on_chinese_windows_writes_gbk_with_crlf() {
        let bytes = gbk("姓名,IP,座位\r\n张三,192.168.1.23,A1\r\n李四,192.168.1.24,A2\r\n");
        assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GBK");
        let roster = parse_roster(&bytes).expect("a usable list");
        assert_eq!(names(&roster), ["张三", "李四"]);
        assert_eq!(roster.students[0].seat.as_deref(), Some("A1"));
        assert_eq!(roster.students[1].line, 3);
        assert!(roster.bad_rows.is_empty());
    }

    #[test]
    fn excel_csv_utf8_has_a_bom() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("学号,姓名,地址\r\n2024001,王五,10.0.0.5\r\n".as_bytes());
        let roster = parse_roster(&bytes).expect("a usable list");
        assert_eq!(names(&roster), ["王五"]);
        assert_eq!(roster.students[0].id.as_deref(), Some("2024001"));
        assert_eq!(
            roster.students[0].ip,
            "10.0.0.5".parse::<IpAddr>().expect("an address")
        );
    }

    #[test]
    fn libreoffice_utf8_without_bom_and_english_headers() {
        let text = "Name,Address,Seat\nAlice,10.0.0.7:50000,3\nBob,fe80::1,4\nCarol,[::1]:9,\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["Alice", "Bob", "Carol"]);
        assert_eq!(roster.students[0].port, Some(50000));
        assert_eq!(roster.students[1].port, None);
        assert_eq!(roster.students[2].port, Some(9));
        assert_eq!(roster.students[2].seat, None);
    }

    #[test]
    fn utf16_unicode_text_is_tab_separated() {
        let text = "姓名\tIP\n赵六\t10.0.0.9\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let roster = parse_roster(&bytes).expect("a usable list");
        assert_eq!(names(&roster), ["赵六"]);
    }

    #[test]
    fn semicolons_extra_columns_and_any_order() {
        let text = "班级;IP;备注;姓名\n三班;10.0.0.1;迟到;张三\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["张三"]);
    }

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let text = "name,ip,seat\n\"Li, Ming\",10.0.0.2,\"row \"\"B\"\"\"\n\"Two\nLines\",10.0.0.3,\nZhou,10.0.0.4,\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["Li, Ming", "Two\nLines", "Zhou"]);
        assert_eq!(roster.students[0].seat.as_deref(), Some("row \"B\""));
        // The record with a line break inside starts on line 3; the next one on line 5.
        assert_eq!(roster.students[1].line, 3);
        assert_eq!(roster.students[2].line, 5);
    }

    #[test]
    fn blank_lines_are_skipped_and_lines_still_count() {
        let text = "\n姓名,IP\n\n张三,10.0.0.1\n,,\n\n李四,10.0.0.2";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["张三", "李四"]);
        assert_eq!(roster.students[0].line, 4);
        assert_eq!(roster.students[1].line, 7);
        assert!(roster.bad_rows.is_empty());
    }

    #[test]
    fn bad_rows_are_reported_with_lines_and_the_good_ones_used() {
        let text = "姓名,IP\n张三,10.0.0.1\n李四,10.0.0.999\n,10.0.0.3\n王五,\n张三,10.0.0.1\n孙七,pc-12\n周八,10.0.0.8\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["张三", "周八"]);
        assert_eq!(
            roster.bad_rows,
            [
                BadRow {
                    line: 3,
                    problem: RowProblem::BadAddress {
                        text: "10.0.0.999".into()
                    }
                },
                BadRow {
                    line: 4,
                    problem: RowProblem::NoName
                },
                BadRow {
                    line: 5,
                    problem: RowProblem::NoAddress
                },
                BadRow {
                    line: 6,
                    problem: RowProblem::DuplicateAddress { first_line: 2 }
                },
                BadRow {
                    line: 7,
                    problem: RowProblem::BadAddress {
                        text: "pc-12".into()
                    }
                },
            ]
        );
    }

    #[test]
    fn the_same_name_twice_is_two_students() {
        let text = "name,ip\n张伟,10.0.0.1\n张伟,10.0.0.2\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(names(&roster), ["张伟", "张伟"]);
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(parse_roster(b""), Err(RosterError::Empty));
        assert_eq!(parse_roster(b"\n \n"), Err(RosterError::Empty));
        assert_eq!(
            parse_roster(b"ip,seat\n10.0.0.1,1\n"),
            Err(RosterError::MissingColumn {
                column: Column::Name
            })
        );
        assert_eq!(
            parse_roster("姓名,座位\n张三,1\n".as_bytes()),
            Err(RosterError::MissingColumn {
                column: Column::Address
            })
        );
        assert_eq!(
            parse_roster(b"name,ip\nx,nope\n"),
            Err(RosterError::NoStudents { bad_rows: 1 })
        );
        let big = vec![b'a'; MAX_ROSTER_BYTES + 1];
        assert_eq!(
            parse_roster(&big),
            Err(RosterError::TooLarge {
                bytes: MAX_ROSTER_BYTES as u64 + 1
            })
        );
    }

    #[test]
    fn many_bad_rows_are_listed_up_to_a_bound_then_counted() {
        let mut text = String::from("name,ip\nok,10.0.0.1\n");
        for _ in 0..MAX_LISTED_BAD_ROWS + 5 {
            text.push_str("x,bad\n");
        }
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(roster.bad_rows.len(), MAX_LISTED_BAD_ROWS);
        assert_eq!(roster.more_bad_rows, 5);
        assert_eq!(roster.bad_row_count(), MAX_LISTED_BAD_ROWS + 5);
    }

    #[test]
    fn lookup_prefers_the_exact_port_and_reads_mapped_ipv4() {
        let text = "name,ip\nShared,10.0.0.1\nSeat2,10.0.0.1:50002\nV6,::1\n";
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        let at = |s: &str| {
            roster
                .lookup(s.parse().expect("an address"))
                .map(|s| s.name.as_str())
        };
        assert_eq!(at("10.0.0.1:50002"), Some("Seat2"));
        assert_eq!(at("10.0.0.1:40000"), Some("Shared"));
        assert_eq!(at("[::ffff:10.0.0.1]:40000"), Some("Shared"));
        assert_eq!(at("[::1]:1"), Some("V6"));
        assert_eq!(at("10.0.0.2:1"), None);
    }

    #[test]
    fn a_long_name_is_a_bad_row() {
        let long = "名".repeat(MAX_NAME_CHARS + 1);
        let text = format!("name,ip\n{long},10.0.0.1\nok,10.0.0.2\n");
        let roster = parse_roster(text.as_bytes()).expect("a usable list");
        assert_eq!(roster.bad_rows[0].problem, RowProblem::TooLong);
    }
}
