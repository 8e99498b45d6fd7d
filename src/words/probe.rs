//! The words of asking other subnets directly (issue 24, item 7), in both languages.

use crate::core::lang::Say;
use crate::core::probe_targets::{MAX_TARGETS, TargetError};

impl Say for TargetError {
    fn en(&self) -> String {
        match self {
            TargetError::Unreadable { item } => format!(
                "“{item}” is not an address, a range or a block. Write for example 10.0.2.15, 10.0.2.10-40 or 10.0.2.0/24."
            ),
            TargetError::Backwards { item } => {
                format!("The range “{item}” ends before it starts: put the lower address first.")
            }
            TargetError::NotAComputer { item } => format!(
                "“{item}” holds an address no computer has (0.0.0.0, a broadcast or a multicast address)."
            ),
            TargetError::TooMany { count } => format!(
                "That is {count} addresses: at most {MAX_TARGETS} (one /24) are asked. List fewer, or a smaller block."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            TargetError::Unreadable { item } => format!(
                "“{item}”不是地址、地址范围或地址段。例如写 10.0.2.15、10.0.2.10-40 或 10.0.2.0/24。"
            ),
            TargetError::Backwards { item } => {
                format!("范围“{item}”的结尾在开头之前：请把较小的地址写在前面。")
            }
            TargetError::NotAComputer { item } => {
                format!("“{item}”里有不属于任何电脑的地址（0.0.0.0、广播地址或组播地址）。")
            }
            TargetError::TooMany { count } => format!(
                "这是 {count} 个地址：最多询问 {MAX_TARGETS} 个（一个 /24）。请少列一些，或用更小的地址段。"
            ),
        }
    }
}

/// The setting and the list's mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeWords {
    /// The checkbox.
    AskOtherSubnets,
    /// Its tooltip.
    AskTooltip,
    /// The label of the addresses field.
    Addresses,
    /// A row's mark: found by asking its address.
    FoundByAsking,
    /// Its tooltip.
    FoundByAskingTooltip,
}

impl Say for ProbeWords {
    fn en(&self) -> String {
        match self {
            ProbeWords::AskOtherSubnets => "Also ask other subnets".to_owned(),
            ProbeWords::AskTooltip => "Servers on another subnet cannot announce themselves here. TurnChat can ask each address listed (at most 256) whether a TurnChat server is there, by a DNS-SD question to UDP port 5353, about once a minute while this list shows. Nothing is sent to any chat port.".to_owned(),
            ProbeWords::Addresses => "Addresses to ask".to_owned(),
            ProbeWords::FoundByAsking => "found by asking".to_owned(),
            ProbeWords::FoundByAskingTooltip => "This server answered when its address was asked directly (it is on another subnet, or its announcements do not reach here).".to_owned(),
        }
    }

    fn zh(&self) -> String {
        match self {
            ProbeWords::AskOtherSubnets => "也询问其他子网".to_owned(),
            ProbeWords::AskTooltip => "其他子网上的服务器无法在这里公布自己。TurnChat 可以逐个询问列出的地址（最多 256 个）是否有 TurnChat 服务器：向 UDP 端口 5353 发送 DNS-SD 询问，在这个列表显示时大约每分钟一次。不会向任何聊天端口发送任何内容。".to_owned(),
            ProbeWords::Addresses => "要询问的地址".to_owned(),
            ProbeWords::FoundByAsking => "询问找到".to_owned(),
            ProbeWords::FoundByAskingTooltip => "直接询问这个地址时，这台服务器回答了（它在其他子网上，或它的公布传不到这里）。".to_owned(),
        }
    }
}

/// A sample of each variant, for the catalogue's tests.
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{COUNT, HOST, Sample};
    let errors = [
        (TargetError::Unreadable { item: HOST.into() }, vec![HOST]),
        (TargetError::Backwards { item: HOST.into() }, vec![HOST]),
        (TargetError::NotAComputer { item: HOST.into() }, vec![HOST]),
        (TargetError::TooMany { count: COUNT }, vec!["4321", "256"]),
    ];
    for (value, markers) in errors {
        let variant = match value {
            TargetError::Unreadable { .. } => 0,
            TargetError::Backwards { .. } => 1,
            TargetError::NotAComputer { .. } => 2,
            TargetError::TooMany { .. } => 3,
        };
        out.push(Sample {
            ty: "TargetError",
            variant,
            variants: 4,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
    let words = [
        ProbeWords::AskOtherSubnets,
        ProbeWords::AskTooltip,
        ProbeWords::Addresses,
        ProbeWords::FoundByAsking,
        ProbeWords::FoundByAskingTooltip,
    ];
    for value in words {
        let variant = match value {
            ProbeWords::AskOtherSubnets => 0,
            ProbeWords::AskTooltip => 1,
            ProbeWords::Addresses => 2,
            ProbeWords::FoundByAsking => 3,
            ProbeWords::FoundByAskingTooltip => 4,
        };
        out.push(Sample {
            ty: "ProbeWords",
            variant,
            variants: 5,
            value: Box::new(value),
            markers: Vec::new(),
        });
    }
}
