//! This computer's network interfaces, read for discovery and for the "Why?" panel: each
//! with its state, flags and IPv4 addresses, as [`InterfaceReading`]s that the pure
//! `crate::core::why` classifies.
//!
//! The addresses come from the system's list (`getifaddrs`, or the adapters' list on
//! Windows, through `if-addrs`, which `mdns-sd` reads too). On Linux an interface with no
//! address at all is not in that list, so `/sys/class/net` adds those (down, or IPv6
//! only), so that the panel can say why they are not used.

use std::net::IpAddr;

use crate::core::why::{InterfaceReading, V4Net, mask_prefix};

/// The most interfaces read (a host with many containers has one veth each).
pub const MAX_INTERFACES: usize = 64;

/// The interfaces, by name, in the order the system lists them; at most
/// [`MAX_INTERFACES`]. Fails only if the system's list cannot be read.
pub fn read() -> Result<Vec<InterfaceReading>, String> {
    let addrs = if_addrs::get_if_addrs().map_err(|e| e.to_string())?;
    let mut out: Vec<InterfaceReading> = Vec::new();
    for a in addrs {
        let at = match out.iter().position(|i| i.name == a.name) {
            Some(at) => at,
            None if out.len() < MAX_INTERFACES => {
                out.push(InterfaceReading {
                    name: a.name.clone(),
                    up: a.is_oper_up(),
                    loopback: a.is_loopback(),
                    point_to_point: a.is_p2p(),
                    ipv4: Vec::new(),
                });
                out.len() - 1
            }
            None => continue,
        };
        let entry = &mut out[at];
        entry.up |= a.is_oper_up();
        if let if_addrs::IfAddr::V4(v4) = &a.addr
            && entry.ipv4.len() < MAX_INTERFACES
        {
            entry.ipv4.push(V4Net {
                addr: v4.ip,
                prefix: mask_prefix(v4.netmask),
            });
        }
        if matches!(a.ip(), IpAddr::V4(ip) if ip.is_loopback()) {
            entry.loopback = true;
        }
    }
    #[cfg(target_os = "linux")]
    add_addressless(&mut out);
    Ok(out)
}

/// Adds the interfaces `/sys/class/net` lists that have no address (Linux).
#[cfg(target_os = "linux")]
fn add_addressless(out: &mut Vec<InterfaceReading>) {
    const IFF_UP: u32 = 0x1;
    const IFF_LOOPBACK: u32 = 0x8;
    const IFF_POINTOPOINT: u32 = 0x10;
    const IFF_RUNNING: u32 = 0x40;
    let Ok(dir) = std::fs::read_dir("/sys/class/net") else {
        return;
    };
    let mut names: Vec<String> = dir
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        if out.len() >= MAX_INTERFACES {
            return;
        }
        if out.iter().any(|i| i.name == name) {
            continue;
        }
        let flags = std::fs::read_to_string(format!("/sys/class/net/{name}/flags"))
            .ok()
            .and_then(|f| u32::from_str_radix(f.trim().trim_start_matches("0x"), 16).ok())
            .unwrap_or(0);
        out.push(InterfaceReading {
            name,
            up: flags & IFF_UP != 0 && flags & IFF_RUNNING != 0,
            loopback: flags & IFF_LOOPBACK != 0,
            point_to_point: flags & IFF_POINTOPOINT != 0,
            ipv4: Vec::new(),
        });
    }
}

/// The IPv4 addresses of the interfaces discovery uses (with the user's `choice`, while
/// it is usable): tunnels, virtual adapters and loopback left out, as the daemon does.
pub fn used_ipv4(choice: Option<&str>) -> Vec<std::net::Ipv4Addr> {
    let all = read().unwrap_or_default();
    let (rows, _) = crate::core::why::plan(&all, choice);
    rows.into_iter()
        .filter(|r| r.skipped.is_none())
        .flat_map(|r| r.ipv4.into_iter().map(|n| n.addr))
        .collect()
}

/// The first IPv4 address of the interface named `choice`, while discovery can use it
/// (an announcer for a server bound to 0.0.0.0 then announces on that interface only).
pub fn chosen_address(choice: &str) -> Option<std::net::Ipv4Addr> {
    let all = read().ok()?;
    let name = crate::core::why::effective_choice(&all, Some(choice))?;
    all.into_iter()
        .find(|i| i.name == name)
        .and_then(|i| i.ipv4.first().map(|n| n.addr))
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_is_read_as_loopback() {
        let all = super::read().expect("the interfaces can be listed");
        assert!(all.len() <= super::MAX_INTERFACES);
        // Every machine the tests run on has loopback, and it is never used.
        if let Some(lo) = all
            .iter()
            .find(|i| i.ipv4.iter().any(|n| n.addr.is_loopback()))
        {
            assert!(lo.loopback);
            assert_eq!(
                crate::core::why::classify(lo),
                Some(crate::core::why::SkipReason::Loopback)
            );
        }
    }
}
