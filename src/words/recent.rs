//! The words of "Recent" (issue 24, item 7): the servers typed on the client form and
//! reached before, in both languages.

use crate::core::lang::Say;

/// The Recent list under the client's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecentWords {
    /// Its heading.
    Heading,
    /// A row: the server and when it was last reached.
    Row {
        /// `host:port`.
        addr: String,
        /// When, already formatted (`2026-12-07 14:02`).
        when: String,
    },
    /// A row's tooltip.
    RowTooltip {
        /// `host:port`.
        addr: String,
    },
    /// The button that forgets a row.
    Forget,
    /// Its tooltip.
    ForgetTooltip {
        /// `host:port`.
        addr: String,
    },
}

impl Say for RecentWords {
    fn en(&self) -> String {
        match self {
            RecentWords::Heading => "Recent servers".to_owned(),
            RecentWords::Row { addr, when } => format!("{addr}   last reached {when}"),
            RecentWords::RowTooltip { addr } => {
                format!("Put {addr} in the form above; then click Connect.")
            }
            RecentWords::Forget => "Forget".to_owned(),
            RecentWords::ForgetTooltip { addr } => format!("Remove {addr} from this list."),
        }
    }

    fn zh(&self) -> String {
        match self {
            RecentWords::Heading => "最近连接的服务器".to_owned(),
            RecentWords::Row { addr, when } => format!("{addr}   上次连接于 {when}"),
            RecentWords::RowTooltip { addr } => {
                format!("把 {addr} 填入上面的表单，然后点“连接”。")
            }
            RecentWords::Forget => "忘记".to_owned(),
            RecentWords::ForgetTooltip { addr } => format!("从这个列表中去掉 {addr}。"),
        }
    }
}

/// A sample of each variant, for the catalogue's tests.
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{ADDR, Sample};
    let when = "2026-12-07 14:02";
    let list = [
        (RecentWords::Heading, vec![]),
        (
            RecentWords::Row {
                addr: ADDR.into(),
                when: when.into(),
            },
            vec![ADDR, when],
        ),
        (RecentWords::RowTooltip { addr: ADDR.into() }, vec![ADDR]),
        (RecentWords::Forget, vec![]),
        (RecentWords::ForgetTooltip { addr: ADDR.into() }, vec![ADDR]),
    ];
    for (value, markers) in list {
        let variant = match value {
            RecentWords::Heading => 0,
            RecentWords::Row { .. } => 1,
            RecentWords::RowTooltip { .. } => 2,
            RecentWords::Forget => 3,
            RecentWords::ForgetTooltip { .. } => 4,
        };
        out.push(Sample {
            ty: "RecentWords",
            variant,
            variants: 5,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
}
