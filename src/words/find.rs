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
