//! The words of the class list and of peers' names (issue 23), in both languages.

use crate::core::lang::Say;
use crate::core::roster::{
    BadRow, Column, MAX_NAME_CHARS, MAX_ROSTER_BYTES, MAX_STUDENTS, RosterError, RowProblem,
};
use crate::desktop::names_file::RosterFileError;

fn column_en(c: Column) -> &'static str {
    match c {
        Column::Name => "a name column (name)",
        Column::Address => "an address column (IP or address)",
    }
}

fn column_zh(c: Column) -> &'static str {
    match c {
        Column::Name => "姓名列（姓名 或 name）",
        Column::Address => "地址列（IP、地址 或 address）",
    }
}

impl Say for RosterError {
    fn en(&self) -> String {
        match self {
            RosterError::TooLarge { bytes } => format!(
                "This file is {bytes} bytes, too large for a class list (at most {} MiB). Choose the class's CSV file.",
                MAX_ROSTER_BYTES / (1024 * 1024)
            ),
            RosterError::Empty => "This file is empty. A class list needs a header line, such as name,IP,seat, and one line per student.".to_owned(),
            RosterError::MissingColumn { column } => format!(
                "The first line of this file does not name {}. Add a header line such as name,IP,seat.",
                column_en(*column)
            ),
            RosterError::NoStudents { bad_rows } => format!(
                "No student in this file could be used ({bad_rows} rows skipped). Check the addresses: each must be like 192.168.1.23."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            RosterError::TooLarge { bytes } => format!(
                "这个文件有 {bytes} 字节，作为名单太大了（最多 {} MiB）。请选择班级的 CSV 文件。",
                MAX_ROSTER_BYTES / (1024 * 1024)
            ),
            RosterError::Empty => {
                "这个文件是空的。名单需要一行表头（例如 姓名,IP,座位），然后每个学生一行。"
                    .to_owned()
            }
            RosterError::MissingColumn { column } => format!(
                "这个文件的第一行没有{}。请加一行表头，例如 姓名,IP,座位。",
                column_zh(*column)
            ),
            RosterError::NoStudents { bad_rows } => format!(
                "这个文件里没有可用的学生（跳过了 {bad_rows} 行）。请检查地址，应该像 192.168.1.23 这样。"
            ),
        }
    }
}

impl Say for RosterFileError {
    fn en(&self) -> String {
        match self {
            RosterFileError::Unreadable { path, detail } => format!(
                "The class list {} could not be read ({detail}).",
                path.display()
            ),
            RosterFileError::Unusable { path, error } => {
                format!("Class list {}: {}", path.display(), error.en())
            }
        }
    }

    fn zh(&self) -> String {
        match self {
            RosterFileError::Unreadable { path, detail } => {
                format!("无法读取名单 {}（{detail}）。", path.display())
            }
            RosterFileError::Unusable { path, error } => {
                format!("名单 {}：{}", path.display(), error.zh())
            }
        }
    }
}

impl Say for BadRow {
    fn en(&self) -> String {
        let line = self.line;
        match &self.problem {
            RowProblem::NoName => format!("Line {line}: no name; skipped."),
            RowProblem::NoAddress => format!("Line {line}: no address; skipped."),
            RowProblem::BadAddress { text } => format!(
                "Line {line}: \"{text}\" is not an IP address (such as 192.168.1.23 or 192.168.1.23:50000); skipped."
            ),
            RowProblem::DuplicateAddress { first_line } => {
                format!("Line {line}: the same address as line {first_line}; skipped.")
            }
            RowProblem::TooLong => {
                format!(
                    "Line {line}: a name or seat longer than {MAX_NAME_CHARS} characters; skipped."
                )
            }
            RowProblem::TooManyStudents => {
                format!("Line {line}: the list already has {MAX_STUDENTS} students; skipped.")
            }
        }
    }

    fn zh(&self) -> String {
        let line = self.line;
        match &self.problem {
            RowProblem::NoName => format!("第 {line} 行：没有姓名，已跳过。"),
            RowProblem::NoAddress => format!("第 {line} 行：没有地址，已跳过。"),
            RowProblem::BadAddress { text } => format!(
                "第 {line} 行：“{text}”不是 IP 地址（例如 192.168.1.23 或 192.168.1.23:50000），已跳过。"
            ),
            RowProblem::DuplicateAddress { first_line } => {
                format!("第 {line} 行：地址与第 {first_line} 行相同，已跳过。")
            }
            RowProblem::TooLong => {
                format!("第 {line} 行：姓名或座位超过 {MAX_NAME_CHARS} 个字，已跳过。")
            }
            RowProblem::TooManyStudents => {
                format!("第 {line} 行：名单已有 {MAX_STUDENTS} 个学生，已跳过。")
            }
        }
    }
}

/// What a loaded class list gave: how many students, how many rows were skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterSummary {
    /// Students used.
    pub students: usize,
    /// Rows skipped (each one is listed with its line).
    pub skipped: usize,
}

impl Say for RosterSummary {
    fn en(&self) -> String {
        let s = self.students;
        match self.skipped {
            0 => format!("Class list: {s} students."),
            1 => format!("Class list: {s} students; 1 row skipped:"),
            n => format!("Class list: {s} students; {n} rows skipped:"),
        }
    }

    fn zh(&self) -> String {
        let s = self.students;
        match self.skipped {
            0 => format!("名单：{s} 个学生。"),
            n => format!("名单：{s} 个学生；跳过了 {n} 行："),
        }
    }
}

/// The mark beside a name that the peer's own TurnChat said, or that two rows share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMark {
    /// Said by that computer, not from the class list or the teacher.
    Asserted,
    /// Another row shows the same name.
    SameName,
}

impl Say for NameMark {
    fn en(&self) -> String {
        match self {
            NameMark::Asserted => "said by that computer".to_owned(),
            NameMark::SameName => "same name as another row".to_owned(),
        }
    }

    fn zh(&self) -> String {
        match self {
            NameMark::Asserted => "对方电脑自称".to_owned(),
            NameMark::SameName => "与另一行同名".to_owned(),
        }
    }
}

/// Samples of every value above, for the catalogue's tests.
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{COUNT, DETAIL, DIR, Sample};
    use std::path::PathBuf;
    fn push<T: Say + 'static>(
        out: &mut Vec<Sample>,
        ty: &'static str,
        v: (usize, usize),
        value: T,
        markers: &[&str],
    ) {
        out.push(Sample {
            ty,
            variant: v.0,
            variants: v.1,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
    let count = COUNT.to_string();
    let errors = [
        (
            RosterError::TooLarge {
                bytes: COUNT as u64,
            },
            vec![count.as_str()],
        ),
        (RosterError::Empty, vec![]),
        (
            RosterError::MissingColumn {
                column: Column::Name,
            },
            vec!["name"],
        ),
        (
            RosterError::MissingColumn {
                column: Column::Address,
            },
            vec!["IP"],
        ),
        (
            RosterError::NoStudents { bad_rows: COUNT },
            vec![count.as_str()],
        ),
    ];
    for (e, markers) in errors {
        let v = match &e {
            RosterError::TooLarge { .. } => (0, 4),
            RosterError::Empty => (1, 4),
            RosterError::MissingColumn { .. } => (2, 4),
            RosterError::NoStudents { .. } => (3, 4),
        };
        push(out, "RosterError", v, e.clone(), &markers);
        let mut with_dir = markers.clone();
        with_dir.push(DIR);
        push(
            out,
            "RosterFileError",
            (1, 2),
            RosterFileError::Unusable {
                path: PathBuf::from(DIR),
                error: e,
            },
            &with_dir,
        );
    }
    push(
        out,
        "RosterFileError",
        (0, 2),
        RosterFileError::Unreadable {
            path: PathBuf::from(DIR),
            detail: DETAIL.into(),
        },
        &[DIR, DETAIL],
    );
    let problems = [
        (RowProblem::NoName, vec![]),
        (RowProblem::NoAddress, vec![]),
        (
            RowProblem::BadAddress {
                text: "pc-marker".into(),
            },
            vec!["pc-marker"],
        ),
        (RowProblem::DuplicateAddress { first_line: 77 }, vec!["77"]),
        (RowProblem::TooLong, vec![]),
        (RowProblem::TooManyStudents, vec![]),
    ];
    for (p, mut markers) in problems {
        let v = match &p {
            RowProblem::NoName => 0,
            RowProblem::NoAddress => 1,
            RowProblem::BadAddress { .. } => 2,
            RowProblem::DuplicateAddress { .. } => 3,
            RowProblem::TooLong => 4,
            RowProblem::TooManyStudents => 5,
        };
        markers.push("4321");
        push(
            out,
            "BadRow",
            (v, 6),
            BadRow {
                line: COUNT,
                problem: p,
            },
            &markers,
        );
    }
    push(
        out,
        "RosterSummary",
        (0, 2),
        RosterSummary {
            students: COUNT,
            skipped: 0,
        },
        &[&count],
    );
    push(
        out,
        "RosterSummary",
        (1, 2),
        RosterSummary {
            students: 12,
            skipped: COUNT,
        },
        &["12", &count],
    );
    push(out, "NameMark", (0, 2), NameMark::Asserted, &[]);
    push(out, "NameMark", (1, 2), NameMark::SameName, &[]);
}
