//! The words of the server's door (issue 22): what it refused and why, the blocked
//! computers, the places the open-file limit allows, and the buttons that end silent
//! conversations or block a computer.

use std::net::IpAddr;

use crate::core::door::{Refusal, Refused, Tally};
use crate::core::lang::Say;

/// What the server line and its buttons say about the door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DoorWords {
    /// How many connections were refused, and the computer refused most with why.
    Refused {
        /// Every refusal of this run.
        total: u64,
        /// The computer refused most often (with its count and reason).
        most: Option<Refused>,
    },
    /// One line of the refusals' tooltip: a computer, how many, why.
    RefusedLine(Refused),
    /// The last line of the tooltip: refusals from computers not listed one by one.
    RefusedOthers {
        /// How many.
        count: u64,
    },
    /// The computers blocked for this run.
    Blocked {
        /// Their addresses.
        addresses: Vec<IpAddr>,
    },
    /// The button that lifts every block.
    ClearBlocks,
    /// The button that ends every live conversation whose peer never said anything.
    EndAllSilent {
        /// How many it would end.
        n: usize,
    },
    /// Its tooltip.
    EndAllSilentTip,
    /// The button beside Bye that ends the conversation and blocks its computer.
    EndAndBlock,
    /// Its tooltip.
    EndAndBlockTip {
        /// The computer that would be blocked.
        address: IpAddr,
    },
    /// The server holds fewer places than asked: the open-file limit allows no more.
    PlacesLimited {
        /// The places it holds.
        places: usize,
        /// The places asked for.
        asked: usize,
        /// The process's open-file limit.
        limit: u64,
    },
}

fn why_en(why: Refusal) -> String {
    match why {
        Refusal::Blocked => "blocked for this run".to_owned(),
        Refusal::TooMany { limit } => format!("at most {limit} from one computer"),
        Refusal::TooFast { per_second } => {
            format!("too many new connections, at most {per_second} a second")
        }
    }
}

fn why_zh(why: Refusal) -> String {
    match why {
        Refusal::Blocked => "本次运行已屏蔽".to_owned(),
        Refusal::TooMany { limit } => format!("每台电脑最多 {limit} 个"),
        Refusal::TooFast { per_second } => format!("新连接太快，每秒最多 {per_second} 个"),
    }
}

fn list(addresses: &[IpAddr], sep: &str) -> String {
    let shown: Vec<String> = addresses.iter().map(IpAddr::to_string).collect();
    shown.join(sep)
}

impl Say for DoorWords {
    fn en(&self) -> String {
        match self {
            DoorWords::Refused { total, most: None } => format!("{total} refused"),
            DoorWords::Refused {
                total,
                most: Some(m),
            } if m.count == *total => {
                format!("{total} refused from {}: {}", m.from, why_en(m.why))
            }
            DoorWords::Refused {
                total,
                most: Some(m),
            } => format!(
                "{total} refused, {} from {}: {}",
                m.count,
                m.from,
                why_en(m.why)
            ),
            DoorWords::RefusedLine(r) => format!("{}: {} ({})", r.from, r.count, why_en(r.why)),
            DoorWords::RefusedOthers { count } => format!("{count} from other computers"),
            DoorWords::Blocked { addresses } => {
                format!("Blocked for this run: {}", list(addresses, ", "))
            }
            DoorWords::ClearBlocks => "Clear blocks".to_owned(),
            DoorWords::EndAllSilent { n } => format!("End all silent ({n})"),
            DoorWords::EndAllSilentTip => {
                "End every live conversation whose peer has never said anything".to_owned()
            }
            DoorWords::EndAndBlock => "Block".to_owned(),
            DoorWords::EndAndBlockTip { address } => format!(
                "End and block: say bye, and refuse new connections from {address} until \
                 the server stops"
            ),
            DoorWords::PlacesLimited {
                places,
                asked,
                limit,
            } => format!(
                "At most {places} conversations at once (not {asked}): this computer lets \
                 TurnChat open only {limit} files, and each conversation needs about four"
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            DoorWords::Refused { total, most: None } => format!("已拒绝 {total} 个连接"),
            DoorWords::Refused {
                total,
                most: Some(m),
            } if m.count == *total => {
                format!("已拒绝来自 {} 的 {total} 个连接：{}", m.from, why_zh(m.why))
            }
            DoorWords::Refused {
                total,
                most: Some(m),
            } => format!(
                "已拒绝 {total} 个连接，其中 {} 个来自 {}：{}",
                m.count,
                m.from,
                why_zh(m.why)
            ),
            DoorWords::RefusedLine(r) => {
                format!("{}：{} 个（{}）", r.from, r.count, why_zh(r.why))
            }
            DoorWords::RefusedOthers { count } => format!("其他电脑 {count} 个"),
            DoorWords::Blocked { addresses } => {
                format!("本次运行已屏蔽：{}", list(addresses, "、"))
            }
            DoorWords::ClearBlocks => "解除全部屏蔽".to_owned(),
            DoorWords::EndAllSilent { n } => format!("结束所有未发言的对话（{n}）"),
            DoorWords::EndAllSilentTip => "结束对方从未发过任何内容的所有进行中对话".to_owned(),
            DoorWords::EndAndBlock => "屏蔽".to_owned(),
            DoorWords::EndAndBlockTip { address } => {
                format!("结束并屏蔽：说 bye，并在服务器停止前拒绝来自 {address} 的新连接")
            }
            DoorWords::PlacesLimited {
                places,
                asked,
                limit,
            } => format!(
                "最多同时 {places} 个对话（而不是 {asked} 个）：这台电脑只允许 TurnChat \
                 打开 {limit} 个文件，每个对话约需 4 个"
            ),
        }
    }
}

impl DoorWords {
    /// The server line's words for `tally` (`None` while nothing was refused).
    pub fn refused(tally: &Tally) -> Option<DoorWords> {
        (tally.total > 0).then(|| DoorWords::Refused {
            total: tally.total,
            most: tally.by.first().copied(),
        })
    }

    /// The tooltip's lines for `tally`: every computer counted one by one, then the rest.
    pub fn refused_lines(tally: &Tally) -> Vec<DoorWords> {
        let mut lines: Vec<DoorWords> = tally
            .by
            .iter()
            .copied()
            .map(DoorWords::RefusedLine)
            .collect();
        if tally.others > 0 {
            lines.push(DoorWords::RefusedOthers {
                count: tally.others,
            });
        }
        lines
    }
}

/// One sample of each variant, for the catalogue's checks (both languages, every argument).
#[cfg(test)]
pub(crate) fn samples(out: &mut Vec<super::samples::Sample>) {
    use super::samples::{COUNT, Sample};
    let ip: IpAddr = "203.0.113.7".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let count = COUNT as u64;
    let refused = Refused {
        from: ip,
        why: Refusal::TooMany { limit: 8 },
        count,
    };
    let list = [
        (
            DoorWords::Refused {
                total: count + 1,
                most: Some(refused),
            },
            vec!["203.0.113.7", "4322", "4321"],
        ),
        (DoorWords::RefusedLine(refused), vec!["203.0.113.7", "4321"]),
        (DoorWords::RefusedOthers { count }, vec!["4321"]),
        (
            DoorWords::Blocked {
                addresses: vec![ip],
            },
            vec!["203.0.113.7"],
        ),
        (DoorWords::ClearBlocks, vec![]),
        (DoorWords::EndAllSilent { n: COUNT }, vec!["4321"]),
        (DoorWords::EndAllSilentTip, vec![]),
        (DoorWords::EndAndBlock, vec![]),
        (
            DoorWords::EndAndBlockTip { address: ip },
            vec!["203.0.113.7"],
        ),
        (
            DoorWords::PlacesLimited {
                places: 31,
                asked: COUNT,
                limit: 256,
            },
            vec!["31", "4321", "256"],
        ),
    ];
    for (value, markers) in list {
        let variant = match value {
            DoorWords::Refused { .. } => 0,
            DoorWords::RefusedLine(_) => 1,
            DoorWords::RefusedOthers { .. } => 2,
            DoorWords::Blocked { .. } => 3,
            DoorWords::ClearBlocks => 4,
            DoorWords::EndAllSilent { .. } => 5,
            DoorWords::EndAllSilentTip => 6,
            DoorWords::EndAndBlock => 7,
            DoorWords::EndAndBlockTip { .. } => 8,
            DoorWords::PlacesLimited { .. } => 9,
        };
        out.push(Sample {
            ty: "DoorWords",
            variant,
            variants: 10,
            value: Box::new(value),
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    #[test]
    fn one_computer_refused_reads_as_the_issue_says() {
        let from: IpAddr = "192.168.1.23".parse().expect("an address");
        let tally = Tally {
            total: 12,
            by: vec![Refused {
                from,
                why: Refusal::TooMany { limit: 8 },
                count: 12,
            }],
            others: 0,
        };
        let words = DoorWords::refused(&tally).expect("refusals to say");
        assert_eq!(
            words.say(Lang::En),
            "12 refused from 192.168.1.23: at most 8 from one computer"
        );
        assert_eq!(
            words.say(Lang::ZhCn),
            "已拒绝来自 192.168.1.23 的 12 个连接：每台电脑最多 8 个"
        );
        assert!(DoorWords::refused(&Tally::default()).is_none());
    }
}
