//! The words of free talk, line endings, hex, counters and presets (issue 12, part B).

use crate::core::framing::LineEnding;
use crate::core::hexinput::HexError;
use crate::core::lang::Say;

/// Labels and hints of free talk, line endings, hex, counters and presets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TalkLabel {
    /// The form's free-talk checkbox.
    FreeTalk,
    /// Its tooltip.
    FreeTalkHint,
    /// The form's line-ending choice.
    LineEnding,
    /// Its tooltip.
    LineEndingHint,
    /// One line-ending choice by name.
    Ending(LineEnding),
    /// The turn line while turns are off.
    TurnsOff {
        /// The peer, `ip:port`.
        peer: String,
    },
    /// The composer's hex-mode checkbox.
    HexMode,
    /// Its tooltip.
    HexModeHint,
    /// The composer's placeholder in hex mode.
    HexPlaceholder,
    /// Under the composer in hex mode: how many bytes will go out, unchecked.
    HexWillSend {
        /// How many.
        bytes: usize,
    },
    /// The global "show every message's bytes" toggle.
    ShowHex,
    /// Its tooltip.
    ShowHexHint,
    /// A message's own hex toggle.
    MessageHex,
    /// Its tooltip.
    MessageHexHint,
    /// The header's counters.
    Counters {
        /// Messages we sent.
        sent_messages: u64,
        /// Bytes we sent.
        sent_bytes: u64,
        /// Messages the peer sent.
        received_messages: u64,
        /// Bytes the peer sent.
        received_bytes: u64,
    },
    /// The counters' tooltip.
    CountersHint,
    /// The button that opens the presets panel.
    Presets,
    /// Its tooltip.
    PresetsHint,
    /// The label of preset `n` (1–9) in the panel.
    PresetSlot {
        /// 1–9.
        n: usize,
    },
    /// The panel's explanation.
    PresetsExplained,
    /// A preset key pressed with no text for it.
    PresetEmpty {
        /// 1–9.
        n: usize,
    },
}

impl Say for TalkLabel {
    fn en(&self) -> String {
        match self {
            TalkLabel::FreeTalk => "Free talk".into(),
            TalkLabel::FreeTalkHint => "Turns are not enforced: either side may send at any time (for netcat, devices and other programs). Off, TurnChat keeps strict turns like the Python peers.".into(),
            TalkLabel::LineEnding => "Line ending".into(),
            TalkLabel::LineEndingHint => "What ends each message sent. With LF or CRLF, received text is split into one message per line. None is the Python peers' protocol.".into(),
            TalkLabel::Ending(LineEnding::None) => "None".into(),
            TalkLabel::Ending(LineEnding::Lf) => "LF (\\n)".into(),
            TalkLabel::Ending(LineEnding::Crlf) => "CRLF (\\r\\n)".into(),
            TalkLabel::TurnsOff { peer } => format!("Turns are off — you and {peer} may send at any time"),
            TalkLabel::HexMode => "Hex".into(),
            TalkLabel::HexModeHint => "Type bytes in hex (4e 2d, 4e2d or \\x4e\\x2d). They are sent exactly as typed: no encoding check and no line ending.".into(),
            TalkLabel::HexPlaceholder => "Bytes in hex, e.g. c4 e3 ba c3. Enter sends.".into(),
            TalkLabel::HexWillSend { bytes } => format!("{bytes} bytes, sent exactly as typed (not checked against the encoding, no line ending)."),
            TalkLabel::ShowHex => "Show bytes".into(),
            TalkLabel::ShowHexHint => "Show every message's exact bytes in hex beside its text.".into(),
            TalkLabel::MessageHex => "hex".into(),
            TalkLabel::MessageHexHint => "Show or hide this message's exact bytes.".into(),
            TalkLabel::Counters { sent_messages, sent_bytes, received_messages, received_bytes } => format!("Sent {sent_messages} ({sent_bytes} B) · Received {received_messages} ({received_bytes} B)"),
            TalkLabel::CountersHint => "Messages and bytes each way in this conversation, as on the wire.".into(),
            TalkLabel::Presets => "Presets".into(),
            TalkLabel::PresetsHint => "Quick-send texts: Ctrl+1 … Ctrl+9 sends one.".into(),
            TalkLabel::PresetSlot { n } => format!("Ctrl+{n}"),
            TalkLabel::PresetsExplained => "Ctrl+1 … Ctrl+9 sends the text on that line (when you may send). Remembered.".into(),
            TalkLabel::PresetEmpty { n } => format!("Nothing is set for Ctrl+{n}: open Presets to set it."),
        }
    }

    fn zh(&self) -> String {
        match self {
            TalkLabel::FreeTalk => "自由对话".into(),
            TalkLabel::FreeTalkHint => "不强制轮流：双方随时都可以发送（适合 netcat、设备和其他程序）。关闭时，TurnChat 像 Python 程序一样严格轮流。".into(),
            TalkLabel::LineEnding => "换行".into(),
            TalkLabel::LineEndingHint => "每条发送的消息以什么结尾。选 LF 或 CRLF 时，收到的文字按行分成消息。“无”是 Python 程序的协议。".into(),
            TalkLabel::Ending(LineEnding::None) => "无".into(),
            TalkLabel::Ending(LineEnding::Lf) => "LF (\\n)".into(),
            TalkLabel::Ending(LineEnding::Crlf) => "CRLF (\\r\\n)".into(),
            TalkLabel::TurnsOff { peer } => format!("不轮流 — 你和 {peer} 随时都可以发送"),
            TalkLabel::HexMode => "十六进制".into(),
            TalkLabel::HexModeHint => "用十六进制输入字节（4e 2d、4e2d 或 \\x4e\\x2d）。按输入的原样发送：不检查编码，不加换行。".into(),
            TalkLabel::HexPlaceholder => "十六进制字节，例如 c4 e3 ba c3。回车发送。".into(),
            TalkLabel::HexWillSend { bytes } => format!("{bytes} 个字节，按输入原样发送（不按编码检查，不加换行）。"),
            TalkLabel::ShowHex => "显示字节".into(),
            TalkLabel::ShowHexHint => "在每条消息旁边用十六进制显示它的原始字节。".into(),
            TalkLabel::MessageHex => "十六进制".into(),
            TalkLabel::MessageHexHint => "显示或隐藏这条消息的原始字节。".into(),
            TalkLabel::Counters { sent_messages, sent_bytes, received_messages, received_bytes } => format!("已发送 {sent_messages} 条（{sent_bytes} 字节）· 已收到 {received_messages} 条（{received_bytes} 字节）"),
            TalkLabel::CountersHint => "这次对话双方的消息数和字节数（按线上字节计）。".into(),
            TalkLabel::Presets => "快捷短语".into(),
            TalkLabel::PresetsHint => "快捷发送：Ctrl+1 … Ctrl+9 发送对应的一条。".into(),
            TalkLabel::PresetSlot { n } => format!("Ctrl+{n}"),
            TalkLabel::PresetsExplained => "Ctrl+1 … Ctrl+9 发送对应行的文字（在可以发送时）。会被记住。".into(),
            TalkLabel::PresetEmpty { n } => format!("Ctrl+{n} 还没有设置：打开“快捷短语”设置它。"),
        }
    }
}

impl Say for HexError {
    fn en(&self) -> String {
        match self {
            HexError::Empty => "Type the bytes to send in hex, e.g. 4e 2d.".into(),
            HexError::Stray { found, at } => format!(
                "“{found}” at position {at} is not a hex digit. Use 0–9 and a–f, with spaces between bytes if you like."
            ),
            HexError::OddDigits { at, digits } => format!(
                "{digits} hex digits from position {at}: an odd number, but each byte is two digits (write 0a, not a)."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            HexError::Empty => "请用十六进制输入要发送的字节，例如 4e 2d。".into(),
            HexError::Stray { found, at } => format!(
                "第 {at} 个字符“{found}”不是十六进制数字。请用 0–9 和 a–f，字节之间可以加空格。"
            ),
            HexError::OddDigits { at, digits } => format!(
                "从第 {at} 个字符起有 {digits} 位十六进制数字，是奇数：每个字节是两位数字（写 0a，不要写 a）。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn hex_errors_name_the_position_in_both_languages() {
        let e = HexError::Stray { found: 'z', at: 4 };
        assert!(e.say(Lang::En).contains("position 4"));
        assert!(e.say(Lang::ZhCn).contains("第 4 个字符"));
        let e = HexError::OddDigits { at: 1, digits: 3 };
        assert!(e.en().contains("odd") && e.zh().contains("奇数"));
    }
}
