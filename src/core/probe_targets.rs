//! The addresses TurnChat asks directly whether a TurnChat server is there, for servers
//! on other subnets that multicast discovery cannot reach (issue 24, item 7): a setting
//! that lists addresses, ranges and CIDR blocks, at most [`MAX_TARGETS`] addresses in all
//! (one /24).
//!
//! Pure: the text typed in, the addresses out, or a typed error the field words.

use std::net::Ipv4Addr;

/// The most addresses asked, in all: one /24.
pub const MAX_TARGETS: usize = 256;

/// Why the addresses typed cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetError {
    /// Not an IPv4 address, a range (`10.0.1.5-10.0.1.20`, `10.0.1.5-20`) or a CIDR
    /// block (`10.0.1.0/24`).
    Unreadable {
        /// The item, as typed.
        item: String,
    },
    /// A range that ends before it starts.
    Backwards {
        /// The item, as typed.
        item: String,
    },
    /// An address no computer has (0.0.0.0, a broadcast or multicast address).
    NotAComputer {
        /// The item, as typed.
        item: String,
    },
    /// More addresses than [`MAX_TARGETS`] in all.
    TooMany {
        /// How many were given (at least).
        count: usize,
    },
}

fn host_ok(ip: Ipv4Addr) -> bool {
    !(ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast())
}

/// The addresses in `text`: items separated by commas, semicolons or white space, each
/// an address, a range or a CIDR block; duplicates once, in the order typed. A block's
/// network and broadcast addresses (for blocks of four or more) are left out.
pub fn parse_targets(text: &str) -> Result<Vec<Ipv4Addr>, TargetError> {
    let mut out: Vec<Ipv4Addr> = Vec::new();
    let items = text
        .split(|c: char| c == ',' || c == ';' || c == '，' || c == '；' || c.is_whitespace())
        .filter(|s| !s.is_empty());
    for item in items {
        let unreadable = || TargetError::Unreadable {
            item: item.to_owned(),
        };
        let (first, last) = if let Some((ip, bits)) = item.split_once('/') {
            let ip: Ipv4Addr = ip.parse().map_err(|_| unreadable())?;
            let bits: u32 = bits.parse().map_err(|_| unreadable())?;
            if bits > 32 {
                return Err(unreadable());
            }
            if bits < 24 {
                return Err(TargetError::TooMany {
                    count: 1usize << (32 - bits),
                });
            }
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            let base = u32::from(ip) & mask;
            let end = base | !mask;
            if end - base >= 3 {
                (base + 1, end - 1)
            } else {
                (base, end)
            }
        } else if let Some((from, to)) = item.split_once('-') {
            let from: Ipv4Addr = from.parse().map_err(|_| unreadable())?;
            let to: Ipv4Addr = match to.parse::<u8>() {
                Ok(last) => {
                    let [a, b, c, _] = from.octets();
                    Ipv4Addr::new(a, b, c, last)
                }
                Err(_) => to.parse().map_err(|_| unreadable())?,
            };
            if to < from {
                return Err(TargetError::Backwards {
                    item: item.to_owned(),
                });
            }
            (u32::from(from), u32::from(to))
        } else {
            let ip: Ipv4Addr = item.parse().map_err(|_| unreadable())?;
            (u32::from(ip), u32::from(ip))
        };
        let span = (last - first) as usize + 1;
        if span > MAX_TARGETS || out.len() + span > MAX_TARGETS * 2 {
            return Err(TargetError::TooMany {
                count: out.len() + span,
            });
        }
        for n in first..=last {
            let ip = Ipv4Addr::from(n);
            if !host_ok(ip) {
                return Err(TargetError::NotAComputer {
                    item: item.to_owned(),
                });
            }
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
        if out.len() > MAX_TARGETS {
            return Err(TargetError::TooMany { count: out.len() });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("ip")
    }

    #[test]
    fn addresses_ranges_and_blocks_are_read() {
        assert_eq!(parse_targets(""), Ok(vec![]));
        assert_eq!(
            parse_targets("10.0.1.5, 10.0.1.5；10.0.2.1-3 10.0.3.9-10.0.3.10"),
            Ok(vec![
                ip("10.0.1.5"),
                ip("10.0.2.1"),
                ip("10.0.2.2"),
                ip("10.0.2.3"),
                ip("10.0.3.9"),
                ip("10.0.3.10"),
            ])
        );
        let block = parse_targets("192.168.7.77/24").expect("a /24");
        assert_eq!(block.len(), 254, "network and broadcast left out");
        assert_eq!(block[0], ip("192.168.7.1"));
        assert_eq!(
            parse_targets("10.0.0.4/31"),
            Ok(vec![ip("10.0.0.4"), ip("10.0.0.5")])
        );
        assert_eq!(parse_targets("10.0.0.4/32"), Ok(vec![ip("10.0.0.4")]));
        // A whole /24 and a few more still fit in 256 only if they do.
        assert!(parse_targets("10.0.0.0/24 10.0.1.1 10.0.1.2").is_ok());
        assert!(parse_targets("10.0.0.0/24 10.0.1.1-3").is_err());
    }

    #[test]
    fn what_cannot_be_used_says_why() {
        let item = |s: &str| s.to_owned();
        assert_eq!(
            parse_targets("10.0.0.1, teacher"),
            Err(TargetError::Unreadable {
                item: item("teacher")
            })
        );
        assert_eq!(
            parse_targets("10.0.0.9-3"),
            Err(TargetError::Backwards {
                item: item("10.0.0.9-3")
            })
        );
        assert_eq!(
            parse_targets("10.0.0.0/16"),
            Err(TargetError::TooMany { count: 65536 })
        );
        assert_eq!(
            parse_targets("10.0.0.1-10.0.5.1"),
            Err(TargetError::TooMany { count: 1281 })
        );
        assert_eq!(
            parse_targets("224.0.0.251"),
            Err(TargetError::NotAComputer {
                item: item("224.0.0.251")
            })
        );
        assert!(matches!(
            parse_targets("10.0.0.1/33"),
            Err(TargetError::Unreadable { .. })
        ));
        assert!(matches!(
            parse_targets("10.0.0.1-10.0.0.300"),
            Err(TargetError::Unreadable { .. })
        ));
    }
}
