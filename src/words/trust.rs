//! The words of trust on first use (issue 24, item 2): the question asked before
//! connecting to a name that was reached at another address, and pinning, in both
//! languages.

use crate::core::lang::Say;

/// The question and the pin, as the list of servers found says them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustWords {
    /// The question's title.
    AskTitle {
        /// The name, made visible.
        name: String,
    },
    /// What the question says.
    AskBody {
        /// The name, made visible.
        name: String,
        /// Where a yes connects.
        addr: String,
        /// Where the name was reached before.
        was: String,
        /// Whether the user pinned it there.
        pinned: bool,
    },
    /// The button that connects all the same.
    ConnectAnyway,
    /// The button that connects nowhere.
    Cancel,
    /// A known server's button: pin its name to this address.
    Pin,
    /// Its tooltip.
    PinTooltip {
        /// The name, made visible.
        name: String,
        /// The address it is pinned to.
        addr: String,
    },
    /// A pinned server's mark.
    Pinned,
    /// The button that unpins it.
    Unpin,
    /// Its tooltip.
    UnpinTooltip {
        /// The name, made visible.
        name: String,
    },
}

impl Say for TrustWords {
    fn en(&self) -> String {
        match self {
            TrustWords::AskTitle { name } => format!("Connect to “{name}” at a new address?"),
            TrustWords::AskBody {
                name,
                addr,
                was,
                pinned: false,
            } => format!(
                "You reached “{name}” at {was} before; this server is at {addr}. Anyone on the network can announce any name. Connect only if you know the server moved (ask the person who runs it); otherwise pick the row at {was} or type that address."
            ),
            TrustWords::AskBody {
                name,
                addr,
                was,
                pinned: true,
            } => format!(
                "You pinned “{name}” to {was}; this server is at {addr}. Anyone on the network can announce any name. Connect only if you know it is the same server; the pin stays at {was} (unpin it there to move it)."
            ),
            TrustWords::ConnectAnyway => "Connect anyway".to_owned(),
            TrustWords::Cancel => "Cancel".to_owned(),
            TrustWords::Pin => "Pin".to_owned(),
            TrustWords::PinTooltip { name, addr } => format!(
                "Remember that “{name}” is at {addr}: from now on a server announcing this name at any other address is warned about, even after you connect to it."
            ),
            TrustWords::Pinned => "📌 pinned".to_owned(),
            TrustWords::Unpin => "Unpin".to_owned(),
            TrustWords::UnpinTooltip { name } => format!(
                "Stop pinning “{name}” to this address: the next address you connect to it at becomes the one remembered."
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            TrustWords::AskTitle { name } => format!("连接到新地址上的“{name}”？"),
            TrustWords::AskBody {
                name,
                addr,
                was,
                pinned: false,
            } => format!(
                "你之前在 {was} 连接过“{name}”；这台服务器在 {addr}。网络上任何人都可以公布任何名字。只有确定服务器换了地址（可以问问运行它的人）才连接；否则请选 {was} 那一行，或输入那个地址。"
            ),
            TrustWords::AskBody {
                name,
                addr,
                was,
                pinned: true,
            } => format!(
                "你已把“{name}”固定在 {was}；这台服务器在 {addr}。网络上任何人都可以公布任何名字。只有确定是同一台服务器才连接；固定的地址仍是 {was}（要改，请先在那里取消固定）。"
            ),
            TrustWords::ConnectAnyway => "仍然连接".to_owned(),
            TrustWords::Cancel => "取消".to_owned(),
            TrustWords::Pin => "固定".to_owned(),
            TrustWords::PinTooltip { name, addr } => format!(
                "记住“{name}”在 {addr}：以后在任何其他地址公布这个名字的服务器都会有警告，即使你连接过它。"
            ),
            TrustWords::Pinned => "📌 已固定".to_owned(),
            TrustWords::Unpin => "取消固定".to_owned(),
            TrustWords::UnpinTooltip { name } => {
                format!("不再把“{name}”固定在这个地址：下次连接它时的地址会被记住。")
            }
        }
    }
}

/// A sample of each variant, for the catalogue's tests.
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{ADDR, HOST, Sample};
    let was = "203.0.113.8";
    let list = [
        (TrustWords::AskTitle { name: HOST.into() }, vec![HOST]),
        (
            TrustWords::AskBody {
                name: HOST.into(),
                addr: ADDR.into(),
                was: was.into(),
                pinned: false,
            },
            vec![HOST, ADDR, was],
        ),
        (
            TrustWords::AskBody {
                name: HOST.into(),
                addr: ADDR.into(),
                was: was.into(),
                pinned: true,
            },
            vec![HOST, ADDR, was],
        ),
        (TrustWords::ConnectAnyway, vec![]),
        (TrustWords::Cancel, vec![]),
        (TrustWords::Pin, vec![]),
        (
            TrustWords::PinTooltip {
                name: HOST.into(),
                addr: ADDR.into(),
            },
            vec![HOST, ADDR],
        ),
        (TrustWords::Pinned, vec![]),
        (TrustWords::Unpin, vec![]),
        (TrustWords::UnpinTooltip { name: HOST.into() }, vec![HOST]),
    ];
    for (value, markers) in list {
        let variant = match value {
            TrustWords::AskTitle { .. } => 0,
            TrustWords::AskBody { .. } => 1,
            TrustWords::ConnectAnyway => 2,
            TrustWords::Cancel => 3,
            TrustWords::Pin => 4,
            TrustWords::PinTooltip { .. } => 5,
            TrustWords::Pinned => 6,
            TrustWords::Unpin => 7,
            TrustWords::UnpinTooltip { .. } => 8,
        };
        out.push(Sample {
            ty: "TrustWords",
            variant,
            variants: 9,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
}
