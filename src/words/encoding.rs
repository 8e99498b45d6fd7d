//! Words about wire encodings: the form's and the conversation header's choice, the
//! "this looks like UTF-8" hint beside a message, and the notice when a conversation's
//! encoding changes.

use crate::core::codec::WireEncoding;
use crate::core::lang::Say;

/// Labels and tooltips of the encoding choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingWords {
    /// The form's label before the choice.
    FormLabel,
    /// What the form's choice does.
    FormTooltip,
    /// The conversation header's label before its own choice.
    HeaderLabel,
    /// What the conversation header's choice does.
    HeaderTooltip,
}

impl Say for EncodingWords {
    fn en(&self) -> String {
        match self {
            EncodingWords::FormLabel | EncodingWords::HeaderLabel => "Encoding".to_owned(),
            EncodingWords::FormTooltip => "How text is turned into bytes on the wire. The Python reference peers speak GBK; choose UTF-8 for netcat and most modern programs. A server uses this for each new conversation; each conversation can change its own.".to_owned(),
            EncodingWords::HeaderTooltip => "The encoding of this conversation only. Changing it reads what was already received again, from the bytes that arrived.".to_owned(),
        }
    }

    fn zh(&self) -> String {
        match self {
            EncodingWords::FormLabel | EncodingWords::HeaderLabel => "编码".to_owned(),
            EncodingWords::FormTooltip => "文字在网络上以什么字节发送。Python 参考程序使用 GBK；netcat 和大多数新程序请选 UTF-8。服务器的每个新对话都使用这个编码，每个对话也可以单独更改。".to_owned(),
            EncodingWords::HeaderTooltip => "只改这个对话的编码。更改后，已收到的消息会按收到的字节重新解码。".to_owned(),
        }
    }
}

/// The hint beside a peer message that reads better in another encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingHint {
    /// The message's bytes look like `likely`, not the conversation's encoding.
    LooksLike {
        /// The conversation's encoding now.
        current: WireEncoding,
        /// The encoding the bytes look like.
        likely: WireEncoding,
    },
    /// The button that switches the conversation.
    Switch {
        /// The encoding to switch to.
        to: WireEncoding,
    },
    /// What the button does.
    SwitchTooltip {
        /// The encoding to switch to.
        to: WireEncoding,
    },
}

impl Say for EncodingHint {
    fn en(&self) -> String {
        match self {
            EncodingHint::LooksLike { current, likely } => format!(
                "This looks like {}, not {}.",
                likely.label(),
                current.label()
            ),
            EncodingHint::Switch { to } => format!("Switch to {}", to.label()),
            EncodingHint::SwitchTooltip { to } => format!(
                "Read this conversation as {}: what was already received is decoded again, and what you send from now on is {}.",
                to.label(),
                to.label()
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            EncodingHint::LooksLike { current, likely } => format!(
                "这条消息看起来是 {}，不是 {}。",
                likely.label(),
                current.label()
            ),
            EncodingHint::Switch { to } => format!("改用 {}", to.label()),
            EncodingHint::SwitchTooltip { to } => format!(
                "按 {} 读这个对话：已收到的消息会重新解码，之后发送的消息也用 {}。",
                to.label(),
                to.label()
            ),
        }
    }
}

/// The notice (and transcript `system` line) when a conversation's encoding changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodingChanged {
    /// The encoding before.
    pub from: WireEncoding,
    /// The encoding from now on.
    pub to: WireEncoding,
}

impl Say for EncodingChanged {
    fn en(&self) -> String {
        format!(
            "Encoding changed from {} to {}.",
            self.from.label(),
            self.to.label()
        )
    }

    fn zh(&self) -> String {
        format!("编码已从 {} 改为 {}。", self.from.label(), self.to.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn both_languages_name_the_encodings() {
        let hint = EncodingHint::LooksLike {
            current: WireEncoding::Gbk,
            likely: WireEncoding::Utf8,
        };
        assert_eq!(hint.say(Lang::En), "This looks like UTF-8, not GBK.");
        assert!(hint.say(Lang::ZhCn).contains("UTF-8"));
        let changed = EncodingChanged {
            from: WireEncoding::Gbk,
            to: WireEncoding::ShiftJis,
        };
        assert!(changed.zh().contains("Shift_JIS"));
        assert!(changed.en().contains("GBK"));
    }
}
