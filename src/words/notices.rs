//! Notices and lines with arguments: what TurnChat says in a conversation, about files,
//! and the running lines of the window (whose turn, who is listening where).

use super::encoding::EncodingChanged;
use std::net::SocketAddr;

use crate::core::disk_budget::BudgetScope;
use crate::core::export::{ExportFormat, ExportHeader};
use crate::core::lang::Say;
use crate::core::notice::Notice;
use crate::core::turn::Role;
use crate::desktop::file_notice::{FileNotice, HistoryProblem};

impl Say for Notice {
    fn en(&self) -> String {
        match self {
            Notice::Connected {
                as_role: Role::Server,
                peer,
            } => format!("{peer} connected."),
            Notice::Connected {
                as_role: Role::Client,
                peer,
            } => format!("Connected to {peer}."),
            Notice::TranscriptFailed { error } => error.en(),
            Notice::WelcomeNotSent { error } => {
                format!("The welcome text was not sent. {}", error.en())
            }
            Notice::OverCap { mib } => format!(
                "The other side's message is longer than {mib} MiB: the rest of it is counted but not kept."
            ),
            Notice::OverRate {
                kib_per_second,
                burst_mib,
            } => format!(
                "The other side sends faster than free talk keeps ({kib_per_second} KiB a second after the first {burst_mib} MiB): the rest is counted but not kept."
            ),
            Notice::EncodingChanged { from, to } => EncodingChanged {
                from: *from,
                to: *to,
            }
            .en(),
            Notice::Cut { bytes } => format!(
                "{bytes} bytes of the other side's last message were over the display limit and were not kept."
            ),
            Notice::DroppedFromMemory { bytes } => format!(
                "A message of {bytes} bytes from the other side was let go from this window to keep TurnChat's memory small; the transcript file still holds it."
            ),
            Notice::TranscriptResumed {
                lines,
                bytes,
                from,
                to,
            } => format!(
                "The transcript file is written again. Missing from it: {lines} lines ({bytes} bytes) from {} to {}; Save transcript… can still save them from this window.",
                from.format("%H:%M:%S"),
                to.format("%H:%M:%S")
            ),
            Notice::TranscriptBudget { scope, limit } => {
                let size = size_en(*limit);
                let whose = match scope {
                    BudgetScope::Conversation => {
                        format!("This conversation's transcript file reached its limit of {size}")
                    }
                    BudgetScope::Run => {
                        format!("The transcripts of this run reached their limit of {size} in all")
                    }
                };
                format!(
                    "{whose}: nothing more of this conversation is written to its file. The window still shows it, and Save transcript… can still save it."
                )
            }
            Notice::Ended { reason } => reason.en(),
        }
    }

    fn zh(&self) -> String {
        match self {
            Notice::Connected {
                as_role: Role::Server,
                peer,
            } => format!("{peer} 已连接。"),
            Notice::Connected {
                as_role: Role::Client,
                peer,
            } => format!("已连接到 {peer}。"),
            Notice::TranscriptFailed { error } => error.zh(),
            Notice::WelcomeNotSent { error } => format!("欢迎语没有发出。{}", error.zh()),
            Notice::OverCap { mib } => {
                format!("对方的消息超过 {mib} MiB：超出的部分只计数，不保留。")
            }
            Notice::OverRate {
                kib_per_second,
                burst_mib,
            } => format!(
                "对方发得比自由对话能保留的更快（前 {burst_mib} MiB 之后每秒 {kib_per_second} KiB）：超出的部分只计数，不保留。"
            ),
            Notice::EncodingChanged { from, to } => EncodingChanged {
                from: *from,
                to: *to,
            }
            .zh(),
            Notice::Cut { bytes } => {
                format!("对方上一条消息有 {bytes} 字节超出显示上限，没有保留。")
            }
            Notice::DroppedFromMemory { bytes } => format!(
                "为了节省内存，对方一条 {bytes} 字节的消息已从窗口中移除；聊天记录文件里仍有这条消息。"
            ),
            Notice::TranscriptResumed {
                lines,
                bytes,
                from,
                to,
            } => format!(
                "聊天记录文件又开始写入了。文件里缺少从 {} 到 {} 的 {lines} 行（{bytes} 字节）；“保存聊天记录…”仍可从窗口里保存它们。",
                from.format("%H:%M:%S"),
                to.format("%H:%M:%S")
            ),
            Notice::TranscriptBudget { scope, limit } => {
                let size = size_zh(*limit);
                let whose = match scope {
                    BudgetScope::Conversation => format!("这个对话的聊天记录文件已达到上限 {size}"),
                    BudgetScope::Run => format!("本次运行的聊天记录合计已达到上限 {size}"),
                };
                format!(
                    "{whose}：这个对话之后的内容不再写入文件。窗口里仍显示全部内容，“保存聊天记录…”仍可保存。"
                )
            }
            Notice::Ended { reason } => reason.zh(),
        }
    }
}

/// A budget in the largest whole unit that says it exactly: `64 MiB`, `4 KiB`, `900 bytes`.
fn size_en(bytes: u64) -> String {
    match whole_unit(bytes) {
        (n, Some(unit)) => format!("{n} {unit}"),
        (n, None) => format!("{n} bytes"),
    }
}

/// [`size_en`] in Chinese.
fn size_zh(bytes: u64) -> String {
    match whole_unit(bytes) {
        (n, Some(unit)) => format!("{n} {unit}"),
        (n, None) => format!("{n} 字节"),
    }
}

fn whole_unit(bytes: u64) -> (u64, Option<&'static str>) {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB && bytes.is_multiple_of(KIB * KIB) {
        (bytes / (KIB * KIB), Some("MiB"))
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        (bytes / KIB, Some("KiB"))
    } else {
        (bytes, None)
    }
}

impl Say for FileNotice {
    fn en(&self) -> String {
        match self {
            FileNotice::Saved { path, format } => {
                let what = match format {
                    ExportFormat::PlainText => "as text",
                    ExportFormat::JsonLines => "as JSON Lines",
                };
                format!("Saved {what} to {}.", path.display())
            }
            FileNotice::SaveFailed { error } => format!(
                "{} Nothing was lost: the conversation is still here, and in its live transcript file.",
                error.en()
            ),
            FileNotice::NoDialog { .. } => {
                "No save dialog could be opened (or it was closed at once).".to_owned()
            }
            FileNotice::ConversationGone => {
                "That conversation is no longer open, so it was not saved.".to_owned()
            }
            FileNotice::NotReadable { path } => format!(
                "{} could not be opened: it was moved or deleted, or is no longer a transcript. Click Refresh in History, or search again.",
                path.display()
            ),
            FileNotice::FolderFailed { error } => error.en(),
            FileNotice::TaskNotStarted { detail } => {
                format!("TurnChat could not start a background task ({detail}).")
            }
            FileNotice::SettingsUnreadable { error } => error.en(),
            FileNotice::SettingsNotSaved { error } => {
                format!("Your settings were not saved. {}", error.en())
            }
            FileNotice::KnownNotSaved { error } => format!(
                "The servers you connected to could not be remembered (so a name announced at another address is not warned about next time). {}",
                error.en()
            ),
            // The system's own words (often an English D-Bus error) are in the tooltip.
            FileNotice::NotificationsUnavailable { .. } => {
                "Desktop notifications are not available here; the title bar still counts unread messages.".to_owned()
            }
        }
    }

    fn zh(&self) -> String {
        match self {
            FileNotice::Saved { path, format } => {
                let what = match format {
                    ExportFormat::PlainText => "纯文本",
                    ExportFormat::JsonLines => "JSON Lines",
                };
                format!("已保存为{what}：{}。", path.display())
            }
            FileNotice::SaveFailed { error } => format!(
                "{}没有丢失任何内容：对话仍在窗口里，也在它的实时记录文件中。",
                error.zh()
            ),
            FileNotice::NoDialog { .. } => "无法打开保存对话框（或它刚打开就关闭了）。".to_owned(),
            FileNotice::ConversationGone => "那个对话已经关闭，所以没有保存。".to_owned(),
            FileNotice::NotReadable { path } => format!(
                "无法打开 {}：它已被移走或删除，或者已不是对话记录。请在历史中点“刷新”，或重新查找。",
                path.display()
            ),
            FileNotice::FolderFailed { error } => error.zh(),
            FileNotice::TaskNotStarted { detail } => {
                format!("TurnChat 无法启动后台任务（{detail}）。")
            }
            FileNotice::SettingsUnreadable { error } => error.zh(),
            FileNotice::SettingsNotSaved { error } => format!("设置没有保存。{}", error.zh()),
            FileNotice::KnownNotSaved { error } => format!(
                "无法记住你连接过的服务器（下次有名字在别的地址公布时不会有警告）。{}",
                error.zh()
            ),
            FileNotice::NotificationsUnavailable { .. } => {
                "这里无法显示桌面通知；标题栏仍会显示未读消息数。".to_owned()
            }
        }
    }
}

impl Say for HistoryProblem {
    fn en(&self) -> String {
        let mut parts = Vec::new();
        if self.unreadable > 0 {
            parts.push(format!(
                "{} file(s) could not be read and are not listed.",
                self.unreadable
            ));
        }
        if self.damaged_lines > 0 {
            parts.push(format!(
                "{} damaged line(s) were skipped.",
                self.damaged_lines
            ));
        }
        parts.join(" ")
    }

    fn zh(&self) -> String {
        let mut parts = String::new();
        if self.unreadable > 0 {
            parts.push_str(&format!(
                "有 {} 个文件无法读取，没有列出。",
                self.unreadable
            ));
        }
        if self.damaged_lines > 0 {
            parts.push_str(&format!("跳过了 {} 行损坏的内容。", self.damaged_lines));
        }
        parts
    }
}

/// A line of the window with arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phrase {
    /// The Start Server button's tooltip.
    ListenTip {
        /// The port.
        port: u16,
    },
    /// Listening on a loopback address only.
    ListeningHere {
        /// The bound address.
        local: SocketAddr,
    },
    /// Listening, with addresses to tell the other person after it.
    ListeningOn {
        /// The bound port.
        port: u16,
    },
    /// The client is connecting (the running line).
    ConnectingTo {
        /// `host:port`.
        target: String,
    },
    /// The client is connecting (the turn line).
    TryingToConnect {
        /// `host:port`.
        target: String,
    },
    /// The client is connected (the running line).
    ConnectedTo {
        /// `host:port`.
        target: String,
    },
    /// A server waits for its first client (the turn line).
    WaitingForClient {
        /// The port.
        port: u16,
    },
    /// The turn line: it is our turn.
    YourTurn {
        /// The other side.
        peer: SocketAddr,
    },
    /// The turn line: waiting for the peer.
    WaitingFor {
        /// The other side.
        peer: SocketAddr,
    },
    /// Why Send is disabled while the peer has the turn.
    TheirTurn {
        /// The other side.
        peer: SocketAddr,
    },
    /// The message's size on the wire.
    Bytes {
        /// Its size.
        n: usize,
        /// The reference peers' limit.
        limit: usize,
    },
    /// Clients waiting for a free place.
    ClientsWaiting {
        /// How many.
        n: usize,
    },
    /// Conversations where it is the user's turn.
    WaitingForYou {
        /// How many.
        n: usize,
    },
    /// The Send-to-all button.
    SendToAll {
        /// How many.
        n: usize,
    },
    /// A row's tooltip in the conversation list.
    ShowConversation {
        /// The other side.
        peer: SocketAddr,
        /// The Alt+digit shortcut, for the first nine rows.
        key: Option<usize>,
    },
    /// Unread messages in one conversation.
    Unread {
        /// How many.
        n: usize,
    },
    /// The title line over a past conversation.
    PastConversation {
        /// The other side.
        peer: String,
        /// When it started, `YYYY-MM-DD HH:MM`.
        when: String,
    },
    /// A past conversation in History.
    PastRow {
        /// When it started.
        when: String,
        /// The other side.
        peer: String,
        /// Messages in it.
        messages: usize,
    },
    /// Bytes of a peer message not kept (under its bubble).
    NotKept {
        /// How many.
        bytes: u64,
    },
    /// The desktop notification for a new message.
    NewMessage {
        /// The other side.
        from: String,
        /// Unread messages in all.
        unread: usize,
    },
    /// Bytes of a peer message not kept, in a saved text file.
    NotKeptInFile {
        /// How many.
        bytes: u64,
    },
    /// No renderer could open the window (a start-up message box).
    NoRenderer {
        /// The renderers tried, by name.
        tried: Vec<String>,
    },
    /// Where a start-up problem is also written.
    AlsoWrittenIn {
        /// The log file.
        path: String,
    },
    /// A bug stopped TurnChat (the panic message box).
    Bug {
        /// The panic's message.
        message: String,
        /// Where, `file:line:column`.
        location: String,
        /// The thread's name.
        thread: String,
    },
    /// A `--lang` value TurnChat does not know.
    BadLang {
        /// What was given.
        value: String,
    },
    /// A flag's value cannot be used (`--connect foo`).
    FlagBadValue {
        /// The flag, as clap shows it (`--connect <HOST:PORT>`).
        arg: String,
        /// What was given.
        value: String,
        /// Why, already worded (empty if not known).
        why: String,
    },
    /// A flag TurnChat does not have.
    FlagUnknown {
        /// What was given.
        arg: String,
    },
    /// Two flags that cannot go together.
    FlagConflict {
        /// The one given first.
        arg: String,
        /// The other.
        other: String,
    },
    /// A welcome that cannot be sent (the form's problem line).
    WelcomeProblem {
        /// Why.
        error: crate::core::codec::Unencodable,
    },
}

impl Say for Phrase {
    fn en(&self) -> String {
        match self {
            Phrase::ListenTip { port } => format!("Listen on port {port} for the other computer."),
            Phrase::ListeningHere { local } => format!(
                "listening on {local}. Only programs on this computer can connect; use host 0.0.0.0 to let other computers in."
            ),
            Phrase::ListeningOn { port } => {
                format!("listening on port {port}. The other computer can connect to:")
            }
            Phrase::ConnectingTo { target } => format!("connecting to {target}…"),
            Phrase::TryingToConnect { target } => format!("Connecting to {target}…"),
            Phrase::ConnectedTo { target } => format!("connected to {target}"),
            Phrase::WaitingForClient { port } => format!("Waiting for a client on port {port}…"),
            Phrase::YourTurn { peer } => format!("Your turn — reply to {peer}"),
            Phrase::WaitingFor { peer } => format!("Waiting for {peer} to reply…"),
            Phrase::TheirTurn { peer } => {
                format!("It is {peer}'s turn: wait for their reply, then send.")
            }
            Phrase::Bytes { n, limit } => format!("{n} / {limit} bytes"),
            Phrase::ClientsWaiting { n: 1 } => "1 client is waiting for a free place.".to_owned(),
            Phrase::ClientsWaiting { n } => format!("{n} clients are waiting for a free place."),
            Phrase::WaitingForYou { n } => format!("{n} waiting for you"),
            Phrase::SendToAll { n } => format!("Send to all {n}"),
            Phrase::ShowConversation { peer, key } => match key {
                Some(k) => format!("Show the conversation with {peer} (Alt+{k})"),
                None => format!("Show the conversation with {peer}"),
            },
            Phrase::Unread { n: 1 } => "1 unread message".to_owned(),
            Phrase::Unread { n } => format!("{n} unread messages"),
            Phrase::PastConversation { peer, when } => {
                format!("A past conversation with {peer}, {when} (read-only).")
            }
            Phrase::PastRow {
                when,
                peer,
                messages,
            } => format!("{when} · {peer} · {messages} messages"),
            Phrase::NotKept { bytes } => format!("{bytes} more bytes were not kept"),
            Phrase::NewMessage { from, unread } if *unread > 1 => {
                format!("{from} sent a message. {unread} messages are unread.")
            }
            Phrase::NewMessage { from, .. } => format!("{from} sent a message."),
            Phrase::NotKeptInFile { bytes } => {
                format!("({bytes} more bytes of this message were not kept)")
            }
            Phrase::NoRenderer { tried } => format!(
                "TurnChat could not open its window: neither {} could start. Update your graphics driver, or install Mesa (Debian: apt-get install mesa-vulkan-drivers libgl1-mesa-dri).",
                tried.join(" nor ")
            ),
            Phrase::AlsoWrittenIn { path } => format!("This is also written in {path}."),
            Phrase::Bug {
                message,
                location,
                thread,
            } => format!(
                "TurnChat stopped because of a bug: “{message}” at {location} (thread {thread}). Please report it with the log file."
            ),
            Phrase::BadLang { value } => {
                format!("“{value}” is not a language TurnChat has. Use zh-CN or en.")
            }
            Phrase::FlagBadValue { arg, value, why } => format!(
                "error: invalid value '{value}' for '{arg}': {why}\n\nFor more information, try '--help'."
            ),
            Phrase::FlagUnknown { arg } => format!(
                "error: unexpected argument '{arg}' found\n\nFor more information, try '--help'."
            ),
            Phrase::FlagConflict { arg, other } => format!(
                "error: the argument '{arg}' cannot be used with '{other}'\n\nFor more information, try '--help'."
            ),
            Phrase::WelcomeProblem { error } => format!("Welcome text: {}", error.en()),
        }
    }

    fn zh(&self) -> String {
        match self {
            Phrase::ListenTip { port } => format!("在端口 {port} 上监听，等待对方连接。"),
            Phrase::ListeningHere { local } => format!(
                "正在监听 {local}。只有本机的程序能连接；地址填 0.0.0.0 才能让其他电脑连进来。"
            ),
            Phrase::ListeningOn { port } => {
                format!("正在监听端口 {port}。对方可以连接到：")
            }
            Phrase::ConnectingTo { target } => format!("正在连接 {target}…"),
            Phrase::TryingToConnect { target } => format!("正在连接 {target}…"),
            Phrase::ConnectedTo { target } => format!("已连接到 {target}"),
            Phrase::WaitingForClient { port } => format!("正在端口 {port} 上等待客户端连接…"),
            Phrase::YourTurn { peer } => format!("轮到你了 — 回复 {peer}"),
            Phrase::WaitingFor { peer } => format!("等待 {peer} 回复…"),
            Phrase::TheirTurn { peer } => format!("现在轮到 {peer}：请等对方回复后再发送。"),
            Phrase::Bytes { n, limit } => format!("{n} / {limit} 字节"),
            Phrase::ClientsWaiting { n } => format!("有 {n} 个客户端在等待空位。"),
            Phrase::WaitingForYou { n } => format!("{n} 人在等你回复"),
            Phrase::SendToAll { n } => format!("发给全部 {n} 人"),
            Phrase::ShowConversation { peer, key } => match key {
                Some(k) => format!("显示与 {peer} 的对话（Alt+{k}）"),
                None => format!("显示与 {peer} 的对话"),
            },
            Phrase::Unread { n } => format!("{n} 条未读消息"),
            Phrase::PastConversation { peer, when } => {
                format!("与 {peer} 的历史对话，{when}（只读）。")
            }
            Phrase::PastRow {
                when,
                peer,
                messages,
            } => format!("{when} · {peer} · {messages} 条消息"),
            Phrase::NotKept { bytes } => format!("另有 {bytes} 字节没有保留"),
            Phrase::NewMessage { from, unread } if *unread > 1 => {
                format!("{from} 发来一条消息。共有 {unread} 条未读消息。")
            }
            Phrase::NewMessage { from, .. } => format!("{from} 发来一条消息。"),
            Phrase::NotKeptInFile { bytes } => format!("（这条消息另有 {bytes} 字节没有保留）"),
            Phrase::NoRenderer { tried } => format!(
                "TurnChat 无法打开窗口：{} 都无法启动。请更新显卡驱动，或安装 Mesa（Debian：apt-get install mesa-vulkan-drivers libgl1-mesa-dri）。",
                tried.join(" 和 ")
            ),
            Phrase::AlsoWrittenIn { path } => format!("这些信息也写在了 {path}。"),
            Phrase::Bug {
                message,
                location,
                thread,
            } => format!(
                "TurnChat 因程序错误而停止：“{message}”，位置 {location}（线程 {thread}）。请连同日志文件一起报告这个问题。"
            ),
            Phrase::BadLang { value } => {
                format!("TurnChat 没有“{value}”这种语言。请用 zh-CN 或 en。")
            }
            Phrase::FlagBadValue { arg, value, why } => format!(
                "错误：'{arg}' 的值 '{value}' 无效：{why}\n\n运行 'turnchat --help' 查看用法。"
            ),
            Phrase::FlagUnknown { arg } => {
                format!("错误：没有 '{arg}' 这个参数。\n\n运行 'turnchat --help' 查看用法。")
            }
            Phrase::FlagConflict { arg, other } => format!(
                "错误：'{arg}' 和 '{other}' 不能同时使用。\n\n运行 'turnchat --help' 查看用法。"
            ),
            Phrase::WelcomeProblem { error } => format!("欢迎语：{}", error.zh()),
        }
    }
}

fn when(at: chrono::DateTime<chrono::FixedOffset>) -> String {
    at.format("%Y-%m-%d %H:%M:%S %:z").to_string()
}

/// The header of a transcript saved as text.
impl Say for ExportHeader {
    fn en(&self) -> String {
        let (us, them) = match self.our_role {
            Some(Role::Server) => (" (server)", " (client)"),
            Some(Role::Client) => (" (client)", " (server)"),
            None => ("", ""),
        };
        let ended = self
            .ended
            .map_or_else(|| "(still going when saved)".to_owned(), when);
        format!(
            "TurnChat conversation\nThis computer{us}: {}\nOther side{them}:  {}\nStarted:  {}\nEnded:    {ended}\nEncoding: {}\nSession:  {}\n\n",
            self.local.as_deref().unwrap_or("not recorded"),
            self.peer,
            when(self.started),
            self.encoding.label(),
            self.session,
        )
    }

    fn zh(&self) -> String {
        let (us, them) = match self.our_role {
            Some(Role::Server) => ("（服务器）", "（客户端）"),
            Some(Role::Client) => ("（客户端）", "（服务器）"),
            None => ("", ""),
        };
        let ended = self
            .ended
            .map_or_else(|| "（保存时仍在进行）".to_owned(), when);
        format!(
            "TurnChat 对话记录\n本机{us}：{}\n对方{them}：{}\n开始时间：{}\n结束时间：{ended}\n编码：{}\n会话：{}\n\n",
            self.local.as_deref().unwrap_or("未记录"),
            self.peer,
            when(self.started),
            self.encoding.label(),
            self.session,
        )
    }
}
