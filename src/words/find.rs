//! The words of find: the find bar over a conversation, its count line, and the results
//! found across every conversation of this run (issue 25).

use crate::core::lang::Say;

/// Labels, hints and count lines of find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindLabel {
    /// The query box's name.
    Find,
    /// Its placeholder.
    Placeholder,
    /// The count line: the current hit of how many.
    Count {
        /// The current hit, counted from 1.
        current: usize,
        /// How many hits.
        total: usize,
    },
    /// The count line when nothing matches.
    NoMatch,
    /// The count line with "match bytes" on and a query that is not hex.
    NotHex,
    /// The button to the previous hit.
    Previous,
    /// Its tooltip.
    PreviousHint,
    /// The button to the next hit.
    Next,
    /// Its tooltip.
    NextHint,
    /// The button that closes the bar.
    Close,
    /// Its tooltip.
    CloseHint,
    /// The "match bytes" checkbox.
    MatchBytes,
    /// Its tooltip.
    MatchBytesHint,
    /// The "all conversations" checkbox.
    AllConversations,
    /// Its tooltip.
    AllConversationsHint,
    /// The count line across conversations.
    AllCount {
        /// How many hits.
        hits: usize,
        /// In how many conversations.
        conversations: usize,
    },
    /// Under a conversation's results: how many more hits it has than are listed.
    MoreHits {
        /// How many more.
        more: usize,
    },
    /// A conversation's heading in the results: its name (or address) and its hits.
    Group {
        /// The name, or the address.
        who: String,
        /// How many hits in it.
        hits: usize,
    },
}

impl Say for FindLabel {
    fn en(&self) -> String {
        match self {
            FindLabel::Find => "Find".into(),
            FindLabel::Placeholder => "Find in this conversation".into(),
            FindLabel::Count { current, total } => format!("{current} of {total}"),
            FindLabel::NoMatch => "No match".into(),
            FindLabel::NotHex => "Type bytes in hex, e.g. c4e3".into(),
            FindLabel::Previous => "Previous".into(),
            FindLabel::PreviousHint => "The hit before (Shift+Enter or Shift+F3).".into(),
            FindLabel::Next => "Next".into(),
            FindLabel::NextHint => "The hit after (Enter or F3).".into(),
            FindLabel::Close => "Close find".into(),
            FindLabel::CloseHint => {
                "Esc: close the find bar and go back to the message box.".into()
            }
            FindLabel::MatchBytes => "Match bytes".into(),
            FindLabel::MatchBytesHint => {
                "Find these bytes (in hex) in what came over the wire, e.g. c4 e3, a GBK character."
                    .into()
            }
            FindLabel::AllConversations => "All conversations".into(),
            FindLabel::AllConversationsHint => {
                "Find in every conversation of this run (Ctrl+Shift+F).".into()
            }
            FindLabel::AllCount {
                hits,
                conversations,
            } => match (hits, conversations) {
                (0, _) => "No match in any conversation".into(),
                (1, _) => "1 hit in 1 conversation".into(),
                (h, 1) => format!("{h} hits in 1 conversation"),
                (h, c) => format!("{h} hits in {c} conversations"),
            },
            FindLabel::MoreHits { more } => format!("… and {more} more in this conversation"),
            FindLabel::Group { who, hits } => match hits {
                1 => format!("{who} · 1 hit"),
                n => format!("{who} · {n} hits"),
            },
        }
    }

    fn zh(&self) -> String {
        match self {
            FindLabel::Find => "查找".into(),
            FindLabel::Placeholder => "在这次对话中查找".into(),
            FindLabel::Count { current, total } => format!("第 {current} 个，共 {total} 个"),
            FindLabel::NoMatch => "没有找到".into(),
            FindLabel::NotHex => "请用十六进制输入字节，例如 c4e3".into(),
            FindLabel::Previous => "上一个".into(),
            FindLabel::PreviousHint => "前一个结果（Shift+Enter 或 Shift+F3）。".into(),
            FindLabel::Next => "下一个".into(),
            FindLabel::NextHint => "后一个结果（Enter 或 F3）。".into(),
            FindLabel::Close => "关闭查找".into(),
            FindLabel::CloseHint => "Esc：关闭查找栏，回到消息框。".into(),
            FindLabel::MatchBytes => "匹配字节".into(),
            FindLabel::MatchBytesHint => {
                "在线上收发的字节中查找这些字节（十六进制）：c4e3 在 GBK 中找到“你”。".into()
            }
            FindLabel::AllConversations => "所有对话".into(),
            FindLabel::AllConversationsHint => {
                "在这次运行的所有对话中查找（Ctrl+Shift+F）。".into()
            }
            FindLabel::AllCount {
                hits,
                conversations,
            } => match hits {
                0 => "所有对话中都没有找到".into(),
                h => format!("{conversations} 个对话中共 {h} 个结果"),
            },
            FindLabel::MoreHits { more } => format!("…… 这个对话中还有 {more} 个"),
            FindLabel::Group { who, hits } => format!("{who} · {hits} 个结果"),
        }
    }
}

/// `n` with its thousands grouped by commas, as both languages write them (`1,000`).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The words of find in History: its query box, its progress and count lines, and its
/// results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryFindLabel {
    /// The query box's name.
    Find,
    /// Its placeholder.
    Placeholder,
    /// The button that stops the search.
    Cancel,
    /// Its tooltip.
    CancelHint,
    /// While searching: how many files are done.
    Progress {
        /// Files looked at.
        done: usize,
        /// Files to look at (`None`: still listing them).
        files: Option<usize>,
    },
    /// When done: how many hits in how many files.
    Summary {
        /// Hits in all.
        hits: usize,
        /// Files with hits.
        with_hits: usize,
        /// Files looked at.
        files: usize,
    },
    /// After a cancel: how far it got, and what it found.
    Cancelled {
        /// Files looked at.
        done: usize,
        /// Files there were.
        files: Option<usize>,
        /// Hits found until then.
        hits: usize,
    },
    /// More hits than are listed.
    FirstShown {
        /// How many are listed.
        shown: usize,
    },
    /// Files not searched.
    Skipped {
        /// Over the size bound.
        too_big: usize,
        /// The bound, in MB.
        bound_mb: u64,
        /// Not readable, or not transcripts.
        unreadable: usize,
        /// Lines skipped in the files read (damaged by a crash, or edited by hand).
        damaged_lines: usize,
    },
    /// A file's heading in the results (its file name is on a line of its own).
    File {
        /// The student's name, if the file gives one.
        name: Option<String>,
        /// The other side's address.
        peer: String,
        /// When the conversation started.
        when: String,
        /// Its hits.
        hits: usize,
    },
    /// Under a file's results: how many more hits it has.
    MoreInFile {
        /// How many more.
        more: usize,
    },
    /// A result's tooltip.
    OpenHint,
}

impl Say for HistoryFindLabel {
    fn en(&self) -> String {
        use HistoryFindLabel as H;
        let files = |n: usize| match n {
            1 => "1 file".to_owned(),
            n => format!("{} files", grouped(n)),
        };
        match self {
            H::Find => "Find in History".into(),
            H::Placeholder => "Words said in saved conversations".into(),
            H::Cancel => "Cancel".into(),
            H::CancelHint => "Stop searching (Esc). The hits found so far stay.".into(),
            H::Progress { done, files: None } => {
                format!("Searching… {} files so far", grouped(*done))
            }
            H::Progress {
                done,
                files: Some(all),
            } => format!("{} of {}…", grouped(*done), files(*all)),
            H::Summary {
                hits: 0, files: n, ..
            } => format!("No match in {}", files(*n)),
            H::Summary {
                hits,
                with_hits,
                files: n,
            } => format!(
                "{} in {} of {}",
                match hits {
                    1 => "1 hit".to_owned(),
                    h => format!("{} hits", grouped(*h)),
                },
                grouped(*with_hits),
                files(*n)
            ),
            H::Cancelled {
                done,
                files: n,
                hits,
            } => format!(
                "Cancelled after {}{}: {} found",
                grouped(*done),
                n.map_or_else(String::new, |n| format!(" of {}", files(n))),
                match hits {
                    1 => "1 hit".to_owned(),
                    h => format!("{} hits", grouped(*h)),
                }
            ),
            H::FirstShown { shown } => format!("The first {} hits are shown.", grouped(*shown)),
            H::Skipped {
                too_big,
                bound_mb,
                unreadable,
                damaged_lines,
            } => {
                let mut parts = Vec::new();
                if *too_big > 0 {
                    parts.push(format!(
                        "{} over {bound_mb} MB not searched",
                        files(*too_big)
                    ));
                }
                if *unreadable > 0 {
                    parts.push(format!(
                        "{} could not be read as a transcript",
                        files(*unreadable)
                    ));
                }
                match damaged_lines {
                    0 => {}
                    1 => parts.push("1 damaged line skipped".to_owned()),
                    n => parts.push(format!("{} damaged lines skipped", grouped(*n))),
                }
                format!("{}.", parts.join("; "))
            }
            H::File {
                name,
                peer,
                when,
                hits,
            } => {
                let who = name
                    .as_ref()
                    .map_or_else(|| peer.clone(), |n| format!("{n} ({peer})"));
                let hits = match hits {
                    1 => "1 hit".to_owned(),
                    h => format!("{} hits", grouped(*h)),
                };
                format!("{who} · {when} · {hits}")
            }
            H::MoreInFile { more } => format!("… and {} more in this file", grouped(*more)),
            H::OpenHint => "Open this conversation at the hit.".into(),
        }
    }

    fn zh(&self) -> String {
        use HistoryFindLabel as H;
        match self {
            H::Find => "在历史中查找".into(),
            H::Placeholder => "在保存的对话中查找说过的话".into(),
            H::Cancel => "取消".into(),
            H::CancelHint => "停止查找（Esc）。已找到的结果会保留。".into(),
            H::Progress { done, files: None } => {
                format!("正在查找…… 已查 {} 个文件", grouped(*done))
            }
            H::Progress {
                done,
                files: Some(all),
            } => format!("已查 {} / {} 个文件……", grouped(*done), grouped(*all)),
            H::Summary { hits: 0, files, .. } => format!("{} 个文件中都没有找到", grouped(*files)),
            H::Summary {
                hits,
                with_hits,
                files,
            } => format!(
                "{} 个文件中有 {} 个含结果，共 {} 个结果",
                grouped(*files),
                grouped(*with_hits),
                grouped(*hits)
            ),
            H::Cancelled { done, files, hits } => format!(
                "已取消：查了 {}{} 个文件，找到 {} 个结果",
                grouped(*done),
                files.map_or_else(String::new, |n| format!(" / {}", grouped(n))),
                grouped(*hits)
            ),
            H::FirstShown { shown } => format!("只显示前 {} 个结果。", grouped(*shown)),
            H::Skipped {
                too_big,
                bound_mb,
                unreadable,
                damaged_lines,
            } => {
                let mut parts = Vec::new();
                if *too_big > 0 {
                    parts.push(format!(
                        "{} 个文件超过 {bound_mb} MB，没有查找",
                        grouped(*too_big)
                    ));
                }
                if *unreadable > 0 {
                    parts.push(format!(
                        "{} 个文件无法作为对话记录读取",
                        grouped(*unreadable)
                    ));
                }
                if *damaged_lines > 0 {
                    parts.push(format!("跳过了 {} 行损坏的记录", grouped(*damaged_lines)));
                }
                format!("{}。", parts.join("；"))
            }
            H::File {
                name,
                peer,
                when,
                hits,
            } => {
                let who = name
                    .as_ref()
                    .map_or_else(|| peer.clone(), |n| format!("{n}（{peer}）"));
                format!("{who} · {when} · {} 个结果", grouped(*hits))
            }
            H::MoreInFile { more } => format!("…… 这个文件中还有 {} 个", grouped(*more)),
            H::OpenHint => "打开这个对话，并跳到这个结果。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(
            HistoryFindLabel::Progress {
                done: 412,
                files: Some(1000)
            }
            .en(),
            "412 of 1,000 files…"
        );
    }
}
