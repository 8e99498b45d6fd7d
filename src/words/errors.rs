//! Errors a person can meet, worded: what happened, and what to do next.
//!
//! The types live where they happen (the core, the network shell, the file helpers) and
//! carry the facts (an address, a path, the system's own words); only here do they become
//! sentences.

use crate::core::address::FieldError;
use crate::core::codec::{Unencodable, describe_char};
use crate::core::conversation::SendError;
use crate::core::error::NetError;
use crate::core::lang::Say;
use crate::core::notice::{EndReason, TranscriptError};
use crate::core::transcript::ParseError;
use crate::core::turn::SendBlocked;
use crate::desktop::files::{OpenFolderError, SaveError, SaveErrorKind, SettingsLoadError};

impl Say for NetError {
    fn en(&self) -> String {
        match self {
            NetError::AddrInUse { addr } => {
                format!(
                    "Another program is already using {addr}. Close it, or choose another port."
                )
            }
            NetError::PrivilegedPort { addr } => format!(
                "This system does not allow TurnChat to listen on {addr}: ports below 1024 need \
                 administrator rights. Choose a port from 1024 to 65535, such as 8888."
            ),
            NetError::PortReserved { addr } => format!(
                "Windows does not allow TurnChat to listen on {addr}: another program holds \
                 this port for itself, or Windows reserves it (the command `netsh interface \
                 ipv4 show excludedportrange protocol=tcp` lists reserved ports). Choose \
                 another port."
            ),
            NetError::ListenForbidden { addr } => format!(
                "This system does not allow TurnChat to listen on {addr}: a security policy \
                 forbids it. Choose another port, or ask whoever manages this computer."
            ),
            NetError::AddrNotAvailable { addr } => format!(
                "{addr} is not an address of this computer. Use 0.0.0.0 to listen on all of them."
            ),
            NetError::NameNotFound { host } => format!(
                "No computer named “{host}” could be found. Check the spelling, or type its IP \
                 address (such as 192.168.1.5)."
            ),
            NetError::Refused { addr } => format!(
                "Nothing is listening on {addr}. Check that the other side clicked Start Server, \
                 and the address and port."
            ),
            NetError::TimedOut { addr, seconds } => format!(
                "{addr} did not answer within {seconds} seconds. Check the address, that both \
                 computers are on the same network, and that no firewall blocks the port."
            ),
            NetError::Unreachable { addr } => format!(
                "{addr} cannot be reached from this computer. Check the address and that you \
                 are connected to the network."
            ),
            NetError::Listen { addr, detail } => {
                format!("TurnChat could not listen on {addr} ({detail}).")
            }
            NetError::Connect { addr, detail } => format!(
                "TurnChat could not connect to {addr} ({detail}). Check the address and try again."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            NetError::AddrInUse { addr } => {
                format!("{addr} 已被另一个程序占用。请关闭那个程序，或换一个端口。")
            }
            NetError::PrivilegedPort { addr } => format!(
                "系统不允许 TurnChat 监听 {addr}：1024 以下的端口需要管理员权限。请选择 1024 到 65535 之间的端口，例如 8888。"
            ),
            NetError::PortReserved { addr } => format!(
                "Windows 不允许 TurnChat 监听 {addr}：这个端口被另一个程序独占，或被 Windows 保留（命令 `netsh interface ipv4 show excludedportrange protocol=tcp` 可以列出保留的端口）。请换一个端口。"
            ),
            NetError::ListenForbidden { addr } => format!(
                "系统不允许 TurnChat 监听 {addr}：安全策略禁止这样做。请换一个端口，或询问这台电脑的管理员。"
            ),
            NetError::AddrNotAvailable { addr } => {
                format!("{addr} 不是本机的地址。填 0.0.0.0 可以在本机所有地址上监听。")
            }
            NetError::NameNotFound { host } => format!(
                "找不到名为“{host}”的电脑。请检查拼写，或直接输入它的 IP 地址（例如 192.168.1.5）。"
            ),
            NetError::Refused { addr } => {
                format!("{addr} 上没有程序在监听。请确认对方已点击“启动服务器”，并检查地址和端口。")
            }
            NetError::TimedOut { addr, seconds } => format!(
                "{addr} 在 {seconds} 秒内没有响应。请检查地址，确认两台电脑在同一网络中，并且没有防火墙拦截这个端口。"
            ),
            NetError::Unreachable { addr } => {
                format!("从本机无法访问 {addr}。请检查地址，并确认已连上网络。")
            }
            NetError::Listen { addr, detail } => {
                format!("TurnChat 无法监听 {addr}（{detail}）。")
            }
            NetError::Connect { addr, detail } => {
                format!("TurnChat 无法连接到 {addr}（{detail}）。请检查地址后重试。")
            }
        }
    }
}

impl Say for FieldError {
    fn en(&self) -> String {
        match self {
            FieldError::EmptyHost => {
                "Type the other computer's address, such as 192.168.1.5.".to_owned()
            }
            FieldError::BadHost { text } => format!(
                "“{text}” is not an address. Type an IP address such as 192.168.1.5, or a computer name."
            ),
            FieldError::BadPort { text, allow_zero } => format!(
                "“{text}” is not a port. A port is a whole number from {} to 65535, such as 8888.",
                u8::from(!*allow_zero)
            ),
            FieldError::MissingPort { text } => {
                format!("“{text}” has no port. Write it as HOST:PORT, such as 192.168.1.5:8888.")
            }
        }
    }

    fn zh(&self) -> String {
        match self {
            FieldError::EmptyHost => "请输入对方电脑的地址，例如 192.168.1.5。".to_owned(),
            FieldError::BadHost { text } => {
                format!("“{text}”不是有效的地址。请输入 IP 地址（例如 192.168.1.5）或电脑名。")
            }
            FieldError::BadPort { text, allow_zero } => format!(
                "“{text}”不是有效的端口。端口是 {} 到 65535 之间的整数，例如 8888。",
                u8::from(!*allow_zero)
            ),
            FieldError::MissingPort { text } => {
                format!("“{text}”缺少端口。请写成“地址:端口”，例如 192.168.1.5:8888。")
            }
        }
    }
}

/// The characters an [`Unencodable`] names: at most eight, and how many more.
fn listed(u: &Unencodable) -> (String, usize) {
    let shown: Vec<String> = u.chars.iter().take(8).map(|c| describe_char(*c)).collect();
    (shown.join(", "), u.chars.len().saturating_sub(8))
}

impl Say for Unencodable {
    fn en(&self) -> String {
        let (shown, more) = listed(self);
        let one = self.chars.len() == 1;
        format!(
            "The other side cannot read {} in {}: {shown}{}. Remove {} to send.",
            if one {
                "this character"
            } else {
                "these characters"
            },
            self.encoding.label(),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            if one { "it" } else { "them" },
        )
    }

    fn zh(&self) -> String {
        let (shown, more) = listed(self);
        format!(
            "对方用 {} 无法读取下列字符：{}{}。删掉后才能发送。",
            self.encoding.label(),
            shown.replace(", ", "、"),
            if more > 0 {
                format!(" 等，另有 {more} 个")
            } else {
                String::new()
            },
        )
    }
}

impl Say for SendBlocked {
    fn en(&self) -> String {
        match self {
            SendBlocked::NotYourTurn => {
                "It is the other side's turn: wait for their reply, then send.".to_owned()
            }
            SendBlocked::Ended => "This conversation has ended.".to_owned(),
        }
    }

    fn zh(&self) -> String {
        match self {
            SendBlocked::NotYourTurn => "现在轮到对方：请等对方回复后再发送。".to_owned(),
            SendBlocked::Ended => "对话已结束。".to_owned(),
        }
    }
}

impl Say for SendError {
    fn en(&self) -> String {
        match self {
            SendError::Empty => "Type a message first.".to_owned(),
            SendError::Blocked(b) => b.en(),
            SendError::Unencodable(u) => u.en(),
        }
    }

    fn zh(&self) -> String {
        match self {
            SendError::Empty => "请先输入消息。".to_owned(),
            SendError::Blocked(b) => b.zh(),
            SendError::Unencodable(u) => u.zh(),
        }
    }
}

impl Say for EndReason {
    fn en(&self) -> String {
        match self {
            EndReason::WeSaidBye => "You said bye. The conversation has ended.".to_owned(),
            EndReason::PeerSaidBye => {
                "The other side said bye. The conversation has ended.".to_owned()
            }
            EndReason::PeerClosed => {
                "The other side closed the connection. The conversation has ended.".to_owned()
            }
            EndReason::Reset => "The connection was cut off (reset by the other side or the network). The conversation has ended.".to_owned(),
            EndReason::SendTimedOut { seconds } => format!(
                "The other side stopped reading: a message could not be delivered within {seconds} seconds, so TurnChat closed the connection."
            ),
            EndReason::Stopped => "You closed the connection.".to_owned(),
            EndReason::MadeRoom { seconds } => format!(
                "Ended to make room: this connection had not sent anything in {seconds} seconds, the server was full, and a student from another computer was waiting."
            ),
            EndReason::Failed { detail } => {
                format!("The connection failed ({detail}). The conversation has ended.")
            }
        }
    }

    fn zh(&self) -> String {
        match self {
            EndReason::WeSaidBye => "你说了 bye，对话已结束。".to_owned(),
            EndReason::PeerSaidBye => "对方说了 bye，对话已结束。".to_owned(),
            EndReason::PeerClosed => "对方关闭了连接，对话已结束。".to_owned(),
            EndReason::Reset => "连接被中断（被对方或网络重置），对话已结束。".to_owned(),
            EndReason::SendTimedOut { seconds } => {
                format!("对方不再接收：一条消息在 {seconds} 秒内没能送达，TurnChat 已断开连接。")
            }
            EndReason::Stopped => "你关闭了连接。".to_owned(),
            EndReason::MadeRoom { seconds } => format!(
                "为腾出位置已结束：这个连接 {seconds} 秒里什么也没发，服务器已满，另一台电脑的同学正在等待。"
            ),
            EndReason::Failed { detail } => format!("连接出错（{detail}），对话已结束。"),
        }
    }
}

impl Say for TranscriptError {
    fn en(&self) -> String {
        let mut text = format!(
            "TurnChat could not write the transcript file {} ({}). The conversation goes on and stays in this window.",
            self.path.display(),
            self.detail
        );
        if let Some(from) = self.missing_from {
            text.push_str(&format!(
                " What is said from {} on is missing from the file until there is space again (TurnChat tries again at each new line, and never leaves half a line); Save transcript… can still save everything this window holds.",
                from.format("%H:%M:%S")
            ));
        }
        text
    }

    fn zh(&self) -> String {
        let mut text = format!(
            "TurnChat 无法写入聊天记录文件 {}（{}）。对话会继续，内容仍保留在窗口里。",
            self.path.display(),
            self.detail
        );
        if let Some(from) = self.missing_from {
            text.push_str(&format!(
                "从 {} 起的内容暂时不在文件里，直到磁盘再有空间（TurnChat 每有新的一行都会再试，文件里不会留下半行）；“保存聊天记录…”仍可保存窗口里的全部内容。",
                from.format("%H:%M:%S")
            ));
        }
        text
    }
}

impl Say for ParseError {
    fn en(&self) -> String {
        match self {
            ParseError::NotARecord { detail } => {
                format!("This line is not a TurnChat transcript record ({detail}).")
            }
            ParseError::BadHex { at } => {
                format!("The line's hex field is not lower-case hex in pairs (at character {at}).")
            }
        }
    }

    fn zh(&self) -> String {
        match self {
            ParseError::NotARecord { detail } => {
                format!("这一行不是 TurnChat 聊天记录（{detail}）。")
            }
            ParseError::BadHex { at } => {
                format!("这一行的 hex 字段不是成对的小写十六进制数字（第 {at} 个字符处）。")
            }
        }
    }
}

/// The folder of a [`SaveError`]'s file.
fn folder(e: &SaveError) -> String {
    e.path
        .parent()
        .map_or_else(|| e.path.display().to_string(), |p| p.display().to_string())
}

impl Say for SaveError {
    fn en(&self) -> String {
        let file = self.path.display();
        match &self.kind {
            SaveErrorKind::ReadOnly => format!(
                "{file} could not be saved: the folder {} cannot be written to. Choose another folder.",
                folder(self)
            ),
            SaveErrorKind::DiskFull => format!(
                "{file} could not be saved: the disk is full. Free some space, then save again."
            ),
            SaveErrorKind::FolderMissing => format!(
                "{file} could not be saved: the folder {} does not exist (any more). Choose another folder.",
                folder(self)
            ),
            SaveErrorKind::NotAFolder => format!(
                "{file} could not be saved: part of that path is a file, not a folder. Choose another folder."
            ),
            SaveErrorKind::Other(detail) => format!("{file} could not be saved ({detail})."),
        }
    }

    fn zh(&self) -> String {
        let file = self.path.display();
        match &self.kind {
            SaveErrorKind::ReadOnly => format!(
                "无法保存 {file}：文件夹 {} 不可写入。请换一个文件夹。",
                folder(self)
            ),
            SaveErrorKind::DiskFull => {
                format!("无法保存 {file}：磁盘已满。请腾出一些空间后再保存。")
            }
            SaveErrorKind::FolderMissing => format!(
                "无法保存 {file}：文件夹 {} 不存在（或已被删除）。请换一个文件夹。",
                folder(self)
            ),
            SaveErrorKind::NotAFolder => {
                format!("无法保存 {file}：路径中有一部分是文件而不是文件夹。请换一个文件夹。")
            }
            SaveErrorKind::Other(detail) => format!("无法保存 {file}（{detail}）。"),
        }
    }
}

impl Say for SettingsLoadError {
    fn en(&self) -> String {
        match self {
            SettingsLoadError::Corrupt { path, detail } => format!(
                "Your settings file {} could not be read ({detail}). TurnChat started with its default settings, and will leave that file alone until you change a setting.",
                path.display()
            ),
            SettingsLoadError::Unopenable { path, detail } => format!(
                "Your settings file {} could not be opened ({detail}). TurnChat started with its default settings.",
                path.display()
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            SettingsLoadError::Corrupt { path, detail } => format!(
                "无法读取设置文件 {}（{detail}）。TurnChat 已使用默认设置启动；在你修改设置之前，不会改动这个文件。",
                path.display()
            ),
            SettingsLoadError::Unopenable { path, detail } => format!(
                "无法打开设置文件 {}（{detail}）。TurnChat 已使用默认设置启动。",
                path.display()
            ),
        }
    }
}

impl Say for OpenFolderError {
    fn en(&self) -> String {
        match self {
            OpenFolderError::CannotCreate { dir, detail } => {
                format!(
                    "The folder {} could not be created ({detail}).",
                    dir.display()
                )
            }
            OpenFolderError::NoFileManager { dir, tried } => format!(
                "No file manager could be started ({tried} is missing). The transcripts are in {}.",
                dir.display()
            ),
            OpenFolderError::NotShown { dir } => format!(
                "The file manager could not show {}. The folder is there; open it by hand.",
                dir.display()
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            OpenFolderError::CannotCreate { dir, detail } => {
                format!("无法创建文件夹 {}（{detail}）。", dir.display())
            }
            OpenFolderError::NoFileManager { dir, tried } => format!(
                "无法启动文件管理器（缺少 {tried}）。聊天记录在 {}。",
                dir.display()
            ),
            OpenFolderError::NotShown { dir } => format!(
                "文件管理器无法显示 {}。文件夹已经存在，请手动打开。",
                dir.display()
            ),
        }
    }
}
