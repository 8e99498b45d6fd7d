//! The words of the "Why can't I see them?" panel (issue 24 item 6), in both languages:
//! one sentence a finding of `crate::core::why`, and the panel's labels.

use crate::core::lang::Say;
use crate::core::why::{Finding, FirewallReading, FirewallTool, SkipReason, Subnet, V4Net};

/// Addresses as `a/24, b/16`.
fn nets(list: &[V4Net]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn tool(t: FirewallTool) -> &'static str {
    match t {
        FirewallTool::Windows => "Windows Firewall",
        FirewallTool::Ufw => "ufw",
        FirewallTool::Firewalld => "firewalld",
    }
}

fn tool_zh(t: FirewallTool) -> &'static str {
    match t {
        FirewallTool::Windows => "Windows 防火墙",
        FirewallTool::Ufw => "ufw",
        FirewallTool::Firewalld => "firewalld",
    }
}

impl Say for Finding {
    fn en(&self) -> String {
        match self {
            Finding::Uses { name, ipv4 } => format!(
                "Uses {name} ({}): TurnChat announces and looks for servers there.",
                nets(ipv4)
            ),
            Finding::Skips { name, why } => match why {
                SkipReason::Loopback => {
                    format!("Skips {name}: loopback reaches this computer only.")
                }
                SkipReason::Tunnel => format!(
                    "Skips {name}: a VPN or tunnel, which seldom carries the local network's announcements."
                ),
                SkipReason::Virtual => format!(
                    "Skips {name}: a virtual adapter of containers or virtual machines, not the real network."
                ),
                SkipReason::Down => {
                    format!("Skips {name}: it is down (no cable, Wi-Fi off, or disabled).")
                }
                SkipReason::NoIpv4 => format!(
                    "Skips {name}: it has no IPv4 address, and discovery uses IPv4."
                ),
                SkipReason::NotChosen => {
                    format!("Skips {name}: you chose another interface below.")
                }
            },
            Finding::NoneUsable => "No network interface can be used: connect this computer to the network (cable or Wi-Fi), then check again.".to_owned(),
            Finding::InterfacesUnreadable { detail } => {
                format!("The network interfaces could not be listed ({detail}).")
            }
            Finding::ChosenMissing { name } => format!(
                "The interface you chose, {name}, cannot be used now: every usable one is used instead."
            ),
            Finding::Firewall { reading, port } => match reading {
                FirewallReading::WindowsRule { present: true } => format!(
                    "Windows Firewall has the installer's rule “TurnChat”: it lets in discovery (UDP 5353) and the port chosen when installing (the chat port here is {port})."
                ),
                FirewallReading::WindowsRule { present: false } => format!(
                    "Windows Firewall has no rule “TurnChat”: while it is on, it may block discovery (UDP 5353) and the chat port {port}. Run the installer again with “Allow other computers through Windows Firewall” ticked, or allow TurnChat when Windows asks."
                ),
                FirewallReading::Ufw { enabled: true } => format!(
                    "ufw is on: unless it allows them, it blocks discovery (UDP 5353) and the chat port {port}. To allow them: sudo ufw allow 5353/udp, and sudo ufw allow {port}/tcp."
                ),
                FirewallReading::Ufw { enabled: false } => {
                    "ufw is installed but off: it blocks nothing.".to_owned()
                }
                FirewallReading::Firewalld { running: true } => format!(
                    "firewalld is running: unless its zone allows them, it blocks discovery (UDP 5353) and the chat port {port}. To allow them: sudo firewall-cmd --add-service=mdns --add-port={port}/tcp."
                ),
                FirewallReading::Firewalld { running: false } => {
                    "firewalld is installed but not running: it blocks nothing.".to_owned()
                }
                FirewallReading::NoneKnown => format!(
                    "Neither ufw nor firewalld is in use. Other firewall rules cannot be read without administrator rights: could not tell whether they block UDP 5353 or port {port}."
                ),
                FirewallReading::NotChecked => format!(
                    "This system's firewall cannot be checked from here: could not tell whether it blocks UDP 5353 or port {port}."
                ),
                FirewallReading::CouldNotTell { tool: t, detail } => format!(
                    "Could not tell whether {} blocks UDP 5353 or port {port} ({detail}).",
                    tool(*t)
                ),
            },
            Finding::Subnet(Subnet::Same { target, interface, net }) => format!(
                "{target} is on the subnet of {interface} ({net}): if it cannot be reached, check that the server runs and that its firewall lets the chat port in."
            ),
            Finding::Subnet(Subnet::Name { host }) => format!(
                "{host} is a name, not an address: which subnet it is on could not be told. If it cannot be found, type the server's IP address instead."
            ),
            Finding::Subnet(Subnet::Other { target, locals }) if locals.is_empty() => format!(
                "{target} is on another subnet: this computer has no IPv4 address of its own on the network."
            ),
            Finding::Subnet(Subnet::Other { target, locals }) => format!(
                "{target} is on another subnet than this computer ({}): announcements do not cross routers, so it never shows in the list. Type its address (kept under Recent), or ask for servers on other subnets in the settings.",
                nets(locals)
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            Finding::Uses { name, ipv4 } => format!(
                "使用 {name}（{}）：TurnChat 在这里公布并查找服务器。",
                nets(ipv4)
            ),
            Finding::Skips { name, why } => match why {
                SkipReason::Loopback => format!("跳过 {name}：回环接口只通到这台电脑本身。"),
                SkipReason::Tunnel => {
                    format!("跳过 {name}：这是 VPN 或隧道，通常不传递局域网上的公布。")
                }
                SkipReason::Virtual => {
                    format!("跳过 {name}：这是容器或虚拟机的虚拟网卡，不是真正的网络。")
                }
                SkipReason::Down => {
                    format!("跳过 {name}：它没有连通（没插网线、Wi-Fi 已关或已停用）。")
                }
                SkipReason::NoIpv4 => {
                    format!("跳过 {name}：它没有 IPv4 地址，而查找服务器只用 IPv4。")
                }
                SkipReason::NotChosen => format!("跳过 {name}：你在下面选了另一个网络接口。"),
            },
            Finding::NoneUsable => {
                "没有可用的网络接口：请把这台电脑连上网络（网线或 Wi-Fi），再检查一次。".to_owned()
            }
            Finding::InterfacesUnreadable { detail } => {
                format!("无法列出网络接口（{detail}）。")
            }
            Finding::ChosenMissing { name } => {
                format!("你选的网络接口 {name} 现在不能用：改用所有可用的网络接口。")
            }
            Finding::Firewall { reading, port } => match reading {
                FirewallReading::WindowsRule { present: true } => format!(
                    "Windows 防火墙里有安装程序添加的规则“TurnChat”：它放行查找服务器（UDP 5353）和安装时选的端口（这里的聊天端口是 {port}）。"
                ),
                FirewallReading::WindowsRule { present: false } => format!(
                    "Windows 防火墙里没有规则“TurnChat”：防火墙开着时，可能拦截查找服务器（UDP 5353）和聊天端口 {port}。请重新运行安装程序并勾选“允许其他电脑通过 Windows 防火墙连接”，或在 Windows 询问时允许 TurnChat。"
                ),
                FirewallReading::Ufw { enabled: true } => format!(
                    "ufw 已开启：除非已放行，它会拦截查找服务器（UDP 5353）和聊天端口 {port}。放行的命令：sudo ufw allow 5353/udp，以及 sudo ufw allow {port}/tcp。"
                ),
                FirewallReading::Ufw { enabled: false } => {
                    "已安装 ufw 但没有开启：它什么也不拦截。".to_owned()
                }
                FirewallReading::Firewalld { running: true } => format!(
                    "firewalld 正在运行：除非它的区域已放行，它会拦截查找服务器（UDP 5353）和聊天端口 {port}。放行的命令：sudo firewall-cmd --add-service=mdns --add-port={port}/tcp。"
                ),
                FirewallReading::Firewalld { running: false } => {
                    "已安装 firewalld 但没有运行：它什么也不拦截。".to_owned()
                }
                FirewallReading::NoneKnown => format!(
                    "没有在用 ufw 或 firewalld。没有管理员权限读不到其他防火墙规则：无法判断它们是否拦截 UDP 5353 或端口 {port}。"
                ),
                FirewallReading::NotChecked => format!(
                    "这里无法检查本系统的防火墙：无法判断它是否拦截 UDP 5353 或端口 {port}。"
                ),
                FirewallReading::CouldNotTell { tool: t, detail } => format!(
                    "无法判断 {} 是否拦截 UDP 5353 或端口 {port}（{detail}）。",
                    tool_zh(*t)
                ),
            },
            Finding::Subnet(Subnet::Same {
                target,
                interface,
                net,
            }) => format!(
                "{target} 和 {interface}（{net}）在同一个子网：如果连不上，请确认服务器正在运行，并且它的防火墙放行了聊天端口。"
            ),
            Finding::Subnet(Subnet::Name { host }) => format!(
                "{host} 是名字，不是地址：无法判断它在哪个子网。如果找不到它，请改为输入服务器的 IP 地址。"
            ),
            Finding::Subnet(Subnet::Other { target, locals }) if locals.is_empty() => {
                format!("{target} 在另一个子网：这台电脑在网络上没有自己的 IPv4 地址。")
            }
            Finding::Subnet(Subnet::Other { target, locals }) => format!(
                "{target} 和这台电脑（{}）不在同一个子网：公布不会穿过路由器，所以它不会出现在列表里。请输入它的地址（会保存在“最近”里），或在设置里让 TurnChat 直接询问其他子网上的服务器。",
                nets(locals)
            ),
        }
    }
}

/// The panel's labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhyWords {
    /// The button that opens the panel.
    Why,
    /// Its tooltip.
    WhyTooltip,
    /// The panel's heading.
    Heading,
    /// While the checks run.
    Checking,
    /// Runs the checks again.
    CheckAgain,
    /// Closes the panel.
    Close,
    /// The label of the interface choice.
    UseInterface,
    /// The choice of every usable interface.
    AllInterfaces,
    /// The choice's tooltip.
    InterfaceTooltip,
}

impl Say for WhyWords {
    fn en(&self) -> String {
        match self {
            WhyWords::Why => "Why?",
            WhyWords::WhyTooltip => "Check why servers cannot be seen or reached: this computer's network interfaces, its firewall, and the server's subnet.",
            WhyWords::Heading => "Why can't I see them?",
            WhyWords::Checking => "Checking this computer…",
            WhyWords::CheckAgain => "Check again",
            WhyWords::Close => "Close",
            WhyWords::UseInterface => "Look for servers on",
            WhyWords::AllInterfaces => "every usable interface",
            WhyWords::InterfaceTooltip => "The network interface TurnChat announces and looks for servers on; remembered.",
        }
        .to_owned()
    }

    fn zh(&self) -> String {
        match self {
            WhyWords::Why => "为什么？",
            WhyWords::WhyTooltip => {
                "检查为什么看不到或连不上服务器：这台电脑的网络接口、防火墙，以及服务器所在的子网。"
            }
            WhyWords::Heading => "为什么看不到它们？",
            WhyWords::Checking => "正在检查这台电脑…",
            WhyWords::CheckAgain => "再检查一次",
            WhyWords::Close => "关闭",
            WhyWords::UseInterface => "查找服务器用的网络接口",
            WhyWords::AllInterfaces => "所有可用的网络接口",
            WhyWords::InterfaceTooltip => "TurnChat 在哪个网络接口上公布并查找服务器；会被记住。",
        }
        .to_owned()
    }
}

/// A sample of every finding and label, for the catalogue's tests (`samples.rs`).
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{DETAIL, HOST, Sample};
    use std::net::Ipv4Addr;
    let net = V4Net {
        addr: Ipv4Addr::new(203, 0, 113, 7),
        prefix: 27,
    };
    let target = Ipv4Addr::new(198, 51, 100, 9);
    let port = 9137;
    let fw = |reading| Finding::Firewall { reading, port };
    let skips = |why| Finding::Skips {
        name: HOST.into(),
        why,
    };
    let findings: Vec<(Finding, Vec<&str>)> = vec![
        (
            Finding::Uses {
                name: HOST.into(),
                ipv4: vec![net],
            },
            vec![HOST, "203.0.113.7/27"],
        ),
        (skips(SkipReason::Loopback), vec![HOST]),
        (skips(SkipReason::Tunnel), vec![HOST, "VPN"]),
        (skips(SkipReason::Virtual), vec![HOST]),
        (skips(SkipReason::Down), vec![HOST]),
        (skips(SkipReason::NoIpv4), vec![HOST, "IPv4"]),
        (skips(SkipReason::NotChosen), vec![HOST]),
        (Finding::NoneUsable, vec![]),
        (
            Finding::InterfacesUnreadable {
                detail: DETAIL.into(),
            },
            vec![DETAIL],
        ),
        (Finding::ChosenMissing { name: HOST.into() }, vec![HOST]),
        (
            fw(FirewallReading::WindowsRule { present: true }),
            vec!["TurnChat", "5353", "9137"],
        ),
        (
            fw(FirewallReading::WindowsRule { present: false }),
            vec!["TurnChat", "5353", "9137"],
        ),
        (
            fw(FirewallReading::Ufw { enabled: true }),
            vec!["ufw allow 5353/udp", "ufw allow 9137/tcp"],
        ),
        (fw(FirewallReading::Ufw { enabled: false }), vec!["ufw"]),
        (
            fw(FirewallReading::Firewalld { running: true }),
            vec!["--add-port=9137/tcp", "mdns"],
        ),
        (
            fw(FirewallReading::Firewalld { running: false }),
            vec!["firewalld"],
        ),
        (fw(FirewallReading::NoneKnown), vec!["5353", "9137"]),
        (fw(FirewallReading::NotChecked), vec!["5353", "9137"]),
        (
            fw(FirewallReading::CouldNotTell {
                tool: FirewallTool::Firewalld,
                detail: DETAIL.into(),
            }),
            vec!["firewalld", DETAIL, "9137"],
        ),
        (
            Finding::Subnet(Subnet::Same {
                target,
                interface: HOST.into(),
                net,
            }),
            vec!["198.51.100.9", HOST, "203.0.113.7/27"],
        ),
        (
            Finding::Subnet(Subnet::Name { host: HOST.into() }),
            vec![HOST],
        ),
        (
            Finding::Subnet(Subnet::Other {
                target,
                locals: Vec::new(),
            }),
            vec!["198.51.100.9"],
        ),
        (
            Finding::Subnet(Subnet::Other {
                target,
                locals: vec![net],
            }),
            vec!["198.51.100.9", "203.0.113.7/27"],
        ),
    ];
    for (value, markers) in findings {
        // Exhaustive: a new kind of finding must be named here, and then needs a sample.
        let variant = match &value {
            Finding::Uses { .. } => 0,
            Finding::Skips { .. } => 1,
            Finding::NoneUsable => 2,
            Finding::InterfacesUnreadable { .. } => 3,
            Finding::ChosenMissing { .. } => 4,
            Finding::Firewall { .. } => 5,
            Finding::Subnet(Subnet::Same { .. }) => 6,
            Finding::Subnet(Subnet::Other { .. }) => 7,
            Finding::Subnet(Subnet::Name { .. }) => 8,
        };
        out.push(Sample {
            ty: "Finding",
            variant,
            variants: 9,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
    let labels = [
        WhyWords::Why,
        WhyWords::WhyTooltip,
        WhyWords::Heading,
        WhyWords::Checking,
        WhyWords::CheckAgain,
        WhyWords::Close,
        WhyWords::UseInterface,
        WhyWords::AllInterfaces,
        WhyWords::InterfaceTooltip,
    ];
    for (i, value) in labels.iter().enumerate() {
        // Exhaustive: a new label must be named in the list above.
        match value {
            WhyWords::Why
            | WhyWords::WhyTooltip
            | WhyWords::Heading
            | WhyWords::Checking
            | WhyWords::CheckAgain
            | WhyWords::Close
            | WhyWords::UseInterface
            | WhyWords::AllInterfaces
            | WhyWords::InterfaceTooltip => {}
        }
        out.push(Sample {
            ty: "WhyWords",
            variant: i,
            variants: labels.len(),
            value: Box::new(value.clone()),
            markers: Vec::new(),
        });
    }
}
