//! The words of LAN discovery and auto-reconnect (issue 13), in both languages.

use crate::core::discovery::DiscoveryProblem;
use crate::core::lang::Say;

impl Say for DiscoveryProblem {
    fn en(&self) -> String {
        match self {
            DiscoveryProblem::NoMulticastInterface => "Servers on the network cannot be found: this computer has no network connection other than to itself. Type the server's address instead.".to_owned(),
            DiscoveryProblem::CannotStart { detail } => format!(
                "Servers on the network cannot be found here ({detail}). A firewall may block UDP port 5353; type the server's address instead."
            ),
            DiscoveryProblem::AnnounceFailed { detail } => format!(
                "This server could not be announced on the network ({detail}). Clients can still connect by typing its address."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            DiscoveryProblem::NoMulticastInterface => {
                "无法查找网络上的服务器：这台电脑没有连接到网络。请直接输入服务器的地址。"
                    .to_owned()
            }
            DiscoveryProblem::CannotStart { detail } => format!(
                "这里无法查找网络上的服务器（{detail}）。可能是防火墙拦截了 UDP 端口 5353；请直接输入服务器的地址。"
            ),
            DiscoveryProblem::AnnounceFailed { detail } => {
                format!("无法在网络上公布这台服务器（{detail}）。客户端仍可输入它的地址来连接。")
            }
        }
    }
}

/// The discovery and reconnect parts of the window: labels, tooltips, list lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryWords {
    /// The server's checkbox.
    AnnounceOnNetwork,
    /// Its tooltip.
    AnnounceTooltip,
    /// The label of the instance name field.
    NameOnNetwork,
    /// Its tooltip.
    NameTooltip,
    /// The tooltip of the client's Name field.
    ClientNameTooltip,
    /// The heading of the list of servers found.
    ServersFound,
    /// The list is empty, still looking.
    Searching,
    /// Under the list: the reference's Python servers do not announce.
    PythonServersHint,
    /// A row's tooltip.
    RowTooltip {
        /// Where it connects.
        addr: String,
    },
    /// A server with a free place.
    Free,
    /// A server whose places are all taken.
    Busy {
        /// Its conversations.
        conversations: Option<usize>,
    },
    /// The running server's line: it is announced under this name.
    AnnouncedAs {
        /// The instance name.
        name: String,
    },
    /// The running server's line: it listens on loopback, so it is not announced.
    NotAnnouncedLoopback,
    /// The client's checkbox.
    Reconnect,
    /// Its tooltip.
    ReconnectTooltip,
    /// The turn line while waiting before the next attempt.
    ReconnectWaiting {
        /// The server.
        target: String,
        /// Seconds left (rounded up).
        seconds: u64,
        /// Which attempt comes next (1 = the first retry).
        attempt: u32,
    },
    /// The turn line while an attempt is under way.
    ReconnectTrying {
        /// The server.
        target: String,
        /// Which attempt this is.
        attempt: u32,
    },
    /// The button that stops the retries.
    CancelReconnect,
    /// A row's mark: another server's name looks the same.
    LookAlike,
    /// Its tooltip.
    LookAlikeTooltip,
    /// A row's mark: this name was first seen at another computer.
    MovedFrom {
        /// The name, made visible.
        name: String,
        /// Where it was first seen.
        was: String,
    },
    /// Under a full list: how many servers left it to keep it at its bound.
    Dropped {
        /// How many.
        count: usize,
        /// The bound.
        max: usize,
    },
    /// `--discover` found nothing.
    NoneFound {
        /// How long it listened.
        seconds: u64,
    },
}

impl Say for DiscoveryWords {
    fn en(&self) -> String {
        match self {
            DiscoveryWords::AnnounceOnNetwork => "Announce on this network".to_owned(),
            DiscoveryWords::AnnounceTooltip => "While the server listens, clients on this network see it in their list and connect with one click. Needs UDP port 5353 to be allowed by the firewall.".to_owned(),
            DiscoveryWords::NameOnNetwork => "Name".to_owned(),
            DiscoveryWords::NameTooltip => "The name clients see in their list.".to_owned(),
            DiscoveryWords::ClientNameTooltip => "While you are connected, this computer tells the TurnChat server its name over this network, and the teacher's list shows it (marked as said by this computer). Nothing changes on the chat connection: a Python server never sees it.".to_owned(),
            DiscoveryWords::ServersFound => "Servers on this network".to_owned(),
            DiscoveryWords::Searching => "Looking for servers…".to_owned(),
            DiscoveryWords::PythonServersHint => "The Python reference servers do not announce themselves: reach them by typing their address above.".to_owned(),
            DiscoveryWords::RowTooltip { addr } => format!("Connect to {addr} (Enter)."),
            DiscoveryWords::Free => "free".to_owned(),
            DiscoveryWords::Busy { conversations: Some(n) } => format!("busy ({n} conversations)"),
            DiscoveryWords::Busy { conversations: None } => "busy".to_owned(),
            DiscoveryWords::AnnouncedAs { name } => format!("Announced on this network as “{name}”."),
            DiscoveryWords::NotAnnouncedLoopback => "Not announced: it listens only on this computer.".to_owned(),
            DiscoveryWords::Reconnect => "Reconnect".to_owned(),
            DiscoveryWords::ReconnectTooltip => "If the connection drops without a bye, try again after 1, 2, 4 … 30 seconds, each time as a new conversation.".to_owned(),
            DiscoveryWords::ReconnectWaiting { target, seconds, attempt } => format!(
                "Connection to {target} lost. Trying again in {seconds} s (attempt {attempt}). Cancel or Esc stops."
            ),
            DiscoveryWords::ReconnectTrying { target, attempt } => format!(
                "Reconnecting to {target} (attempt {attempt})…"
            ),
            DiscoveryWords::CancelReconnect => "Cancel".to_owned(),
            DiscoveryWords::LookAlike => "⚠ look-alike".to_owned(),
            DiscoveryWords::LookAlikeTooltip => "Another server's name looks the same (it may differ only in invisible characters). Check the address to know which is which.".to_owned(),
            DiscoveryWords::MovedFrom { name, was } => format!("⚠ “{name}” was at {was} before"),
            DiscoveryWords::Dropped { count, max } => format!("The list shows at most {max} servers: {count} that had not been heard from the longest were dropped."),
            DiscoveryWords::NoneFound { seconds } => format!(
                "No TurnChat server announced itself on this network within {seconds} s. The Python reference servers do not announce; a firewall may block UDP port 5353."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            DiscoveryWords::AnnounceOnNetwork => "在本网络上公布".to_owned(),
            DiscoveryWords::AnnounceTooltip => "服务器监听时，本网络上的客户端会在列表中看到它，点一下就能连接。防火墙需要允许 UDP 端口 5353。".to_owned(),
            DiscoveryWords::NameOnNetwork => "名称".to_owned(),
            DiscoveryWords::NameTooltip => "客户端在列表中看到的名称。".to_owned(),
            DiscoveryWords::ClientNameTooltip => "连接期间，这台电脑通过本网络把名称告诉 TurnChat 服务器，老师的列表会显示它（标明为对方电脑自称）。聊天连接上什么也不变：Python 服务器看不到它。".to_owned(),
            DiscoveryWords::ServersFound => "本网络上的服务器".to_owned(),
            DiscoveryWords::Searching => "正在查找服务器…".to_owned(),
            DiscoveryWords::PythonServersHint => "Python 参考服务器不会公布自己：请在上面输入它的地址来连接。".to_owned(),
            DiscoveryWords::RowTooltip { addr } => format!("连接到 {addr}（回车）。"),
            DiscoveryWords::Free => "空闲".to_owned(),
            DiscoveryWords::Busy { conversations: Some(n) } => format!("忙（{n} 个对话）"),
            DiscoveryWords::Busy { conversations: None } => "忙".to_owned(),
            DiscoveryWords::AnnouncedAs { name } => format!("已在本网络上公布为“{name}”。"),
            DiscoveryWords::NotAnnouncedLoopback => "未公布：它只在这台电脑上监听。".to_owned(),
            DiscoveryWords::Reconnect => "自动重连".to_owned(),
            DiscoveryWords::ReconnectTooltip => "连接没有说 bye 就断开时，过 1、2、4 … 30 秒再试，每次都是一个新的对话。".to_owned(),
            DiscoveryWords::ReconnectWaiting { target, seconds, attempt } => format!(
                "与 {target} 的连接断开了。{seconds} 秒后重试（第 {attempt} 次）。按“取消”或 Esc 停止。"
            ),
            DiscoveryWords::ReconnectTrying { target, attempt } => format!(
                "正在重新连接 {target}（第 {attempt} 次）…"
            ),
            DiscoveryWords::CancelReconnect => "取消".to_owned(),
            DiscoveryWords::LookAlike => "⚠ 名字相似".to_owned(),
            DiscoveryWords::LookAlikeTooltip => "另一个服务器的名字看起来一样（可能只差看不见的字符）。请按地址确认是哪一个。".to_owned(),
            DiscoveryWords::MovedFrom { name, was } => format!("⚠ “{name}”之前在 {was}"),
            DiscoveryWords::Dropped { count, max } => format!("列表最多显示 {max} 个服务器：已去掉 {count} 个最久没有回应的。"),
            DiscoveryWords::NoneFound { seconds } => format!(
                "{seconds} 秒内本网络上没有 TurnChat 服务器公布自己。Python 参考服务器不会公布；防火墙也可能拦截了 UDP 端口 5353。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn both_languages_carry_the_arguments() {
        let w = DiscoveryWords::ReconnectWaiting {
            target: "10.0.0.1:8888".into(),
            seconds: 4,
            attempt: 3,
        };
        for lang in [Lang::En, Lang::ZhCn] {
            let s = w.say(lang);
            assert!(
                s.contains("10.0.0.1:8888") && s.contains('4') && s.contains('3'),
                "{s}"
            );
        }
        let p = DiscoveryProblem::CannotStart {
            detail: "port in use".into(),
        };
        assert!(p.zh().contains("port in use") && p.zh().contains("5353"));
    }
}
