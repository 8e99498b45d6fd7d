//! The "Why can't I see them?" checks, decided: which network interfaces discovery uses
//! and why it skips the others, what the firewall readings mean, and whether a typed
//! server is on another subnet than every interface of this computer.
//!
//! Pure: the readings come from the shells (`crate::net::interfaces` reads the
//! interfaces, `crate::desktop::firewall` the firewall), or from a test's stand-in; the
//! findings are typed values that `crate::words::why` says in both languages.

use std::net::Ipv4Addr;

/// An IPv4 address with its prefix length, as an interface holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct V4Net {
    /// The interface's address.
    pub addr: Ipv4Addr,
    /// The prefix length (24 for 255.255.255.0).
    pub prefix: u8,
}

impl V4Net {
    /// Whether `ip` is on this subnet.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let mask = prefix_mask(self.prefix);
        u32::from(self.addr) & mask == u32::from(ip) & mask
    }
}

impl std::fmt::Display for V4Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The netmask of a prefix length (lengths above 32 count as 32).
pub fn prefix_mask(prefix: u8) -> u32 {
    match prefix {
        0 => 0,
        p => u32::MAX << (32 - u32::from(p.min(32))),
    }
}

/// The prefix length of a netmask (the count of its leading ones).
pub fn mask_prefix(mask: Ipv4Addr) -> u8 {
    // At most 32: fits.
    u8::try_from(u32::from(mask).leading_ones()).unwrap_or(32)
}

/// One network interface as the system lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceReading {
    /// Its name (`eth0`, `wlan0`; on Windows the adapter's name, such as `Wi-Fi`).
    pub name: String,
    /// Whether it is up and running (has a link).
    pub up: bool,
    /// Whether it is the loopback interface.
    pub loopback: bool,
    /// Whether it is a point-to-point link (most VPNs).
    pub point_to_point: bool,
    /// Its IPv4 addresses.
    pub ipv4: Vec<V4Net>,
}

/// Why discovery does not use an interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The loopback interface: it reaches this computer only.
    Loopback,
    /// A VPN or another tunnel (by its name, or a point-to-point link).
    Tunnel,
    /// A virtual adapter of containers or virtual machines (by its name).
    Virtual,
    /// It is down (no cable, Wi-Fi off, disabled).
    Down,
    /// It has no IPv4 address (discovery is IPv4 only).
    NoIpv4,
    /// The user chose another interface for discovery.
    NotChosen,
}

/// Names (lowercase) that start like a VPN's or a tunnel's interface.
const TUNNEL_PREFIXES: &[&str] = &[
    "tun",
    "tap",
    "wg",
    "ppp",
    "utun",
    "ipsec",
    "vti",
    "gre",
    "tailscale",
    "zt",
    "nordlynx",
];
/// Words (lowercase) in the names Windows gives VPN adapters.
const TUNNEL_WORDS: &[&str] = &["vpn", "wireguard", "tap-windows", "tailscale", "zerotier"];
/// Names (lowercase) that start like a virtual adapter's of containers or virtual machines.
const VIRTUAL_PREFIXES: &[&str] = &[
    "docker", "veth", "vbox", "vmnet", "virbr", "br-", "lxcbr", "lxdbr", "cni", "flannel",
    "podman", "vnet",
];
/// Words (lowercase) in the names Windows gives virtual adapters. Hyper-V's
/// `vEthernet (…)` adapters are not among them: on a host with an external switch, one of
/// them carries the real network.
const VIRTUAL_WORDS: &[&str] = &["virtualbox", "vmware", "(wsl"];

/// What kind of adapter its name alone says it is: a tunnel, a virtual one, or neither.
pub fn kind_by_name(name: &str) -> Option<SkipReason> {
    let name = name.to_lowercase();
    let starts = |list: &[&str]| list.iter().any(|p| name.starts_with(p));
    let has = |list: &[&str]| list.iter().any(|w| name.contains(w));
    if starts(TUNNEL_PREFIXES) || has(TUNNEL_WORDS) {
        Some(SkipReason::Tunnel)
    } else if (starts(VIRTUAL_PREFIXES) && !name.starts_with("vethernet")) || has(VIRTUAL_WORDS) {
        Some(SkipReason::Virtual)
    } else {
        None
    }
}

/// Why discovery skips `i`, or `None` when it uses it (whatever the user's choice).
pub fn classify(i: &InterfaceReading) -> Option<SkipReason> {
    if i.loopback || i.ipv4.iter().any(|n| n.addr.is_loopback()) {
        return Some(SkipReason::Loopback);
    }
    if let Some(kind) = kind_by_name(&i.name) {
        return Some(kind);
    }
    if i.point_to_point {
        return Some(SkipReason::Tunnel);
    }
    if !i.up {
        return Some(SkipReason::Down);
    }
    if i.ipv4.is_empty() {
        return Some(SkipReason::NoIpv4);
    }
    None
}

/// Whether discovery skips an interface the daemon lists, by what the daemon knows of it
/// (it lists only interfaces that are up, one address at a time): loopback, tunnels and
/// virtual adapters.
pub fn daemon_skips(name: &str, loopback: bool, point_to_point: bool) -> bool {
    loopback || point_to_point || kind_by_name(name).is_some()
}

/// How discovery uses one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfacePlan {
    /// The interface.
    pub name: String,
    /// Its IPv4 addresses.
    pub ipv4: Vec<V4Net>,
    /// `None`: used; else why not.
    pub skipped: Option<SkipReason>,
}

/// Whether the user may choose `i` for discovery: it is usable, or skipped only for its
/// name (a VPN or a virtual adapter, which a name can misjudge) while up with an IPv4
/// address.
pub fn can_choose(i: &InterfaceReading) -> bool {
    match classify(i) {
        None => true,
        Some(SkipReason::Tunnel | SkipReason::Virtual) => {
            !i.loopback && !i.point_to_point && i.up && !i.ipv4.is_empty()
        }
        Some(_) => false,
    }
}

/// The interfaces the user can choose between (see [`can_choose`]), when there are
/// several, or when one is chosen (so that the way back to every interface shows).
pub fn choices(interfaces: &[InterfaceReading], chosen: Option<&str>) -> Vec<InterfacePlan> {
    // The usable ones first, then those skipped for their names, each in the system's order.
    let mut candidates: Vec<&InterfaceReading> =
        interfaces.iter().filter(|i| can_choose(i)).collect();
    candidates.sort_by_key(|i| classify(i).is_some());
    let list: Vec<InterfacePlan> = candidates
        .into_iter()
        .map(|i| InterfacePlan {
            name: i.name.clone(),
            ipv4: i.ipv4.clone(),
            skipped: None,
        })
        .collect();
    let chosen = chosen.is_some_and(|c| !c.trim().is_empty());
    if list.len() > 1 || chosen {
        list
    } else {
        Vec::new()
    }
}

/// Which interfaces discovery uses, given the readings and the user's choice (`None` or
/// an empty name: every usable one). The chosen interface is used alone, also when its
/// name alone would have it skipped (see [`can_choose`]); one that cannot be chosen now
/// is ignored, and every usable one is used: the second value then names it.
pub fn plan(
    interfaces: &[InterfaceReading],
    choice: Option<&str>,
) -> (Vec<InterfacePlan>, Option<String>) {
    let mut rows: Vec<InterfacePlan> = interfaces
        .iter()
        .map(|i| InterfacePlan {
            name: i.name.clone(),
            ipv4: i.ipv4.clone(),
            skipped: classify(i),
        })
        .collect();
    let choice = choice.map(str::trim).filter(|c| !c.is_empty());
    let mut missing = None;
    if let Some(chosen) = choice {
        let usable = interfaces.iter().any(|i| i.name == chosen && can_choose(i));
        if usable {
            for r in rows.iter_mut() {
                if r.name == chosen {
                    r.skipped = None;
                } else if r.skipped.is_none() {
                    r.skipped = Some(SkipReason::NotChosen);
                }
            }
        } else {
            missing = Some(chosen.to_owned());
        }
    }
    (rows, missing)
}

/// The interface discovery should be limited to: the choice, when it is usable now.
pub fn effective_choice(interfaces: &[InterfaceReading], choice: Option<&str>) -> Option<String> {
    let (_, missing) = plan(interfaces, choice);
    let choice = choice.map(str::trim).filter(|c| !c.is_empty())?;
    missing.is_none().then(|| choice.to_owned())
}

/// Where a typed server's address is, seen from this computer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subnet {
    /// On the subnet of this interface.
    Same {
        /// The server's address.
        target: Ipv4Addr,
        /// The interface.
        interface: String,
        /// Its address on that subnet.
        net: V4Net,
    },
    /// On another subnet than every interface (none has an IPv4 address on it).
    Other {
        /// The server's address.
        target: Ipv4Addr,
        /// This computer's subnets (loopback left out).
        locals: Vec<V4Net>,
    },
    /// A host name was typed, not an address: its subnet cannot be told without looking
    /// the name up (which the checks do not do).
    Name {
        /// The name, as typed.
        host: String,
    },
}

/// Where the server typed in the Host field is: an IPv4 address's subnet, or a name's
/// (not told). `None` for this computer, an IPv6 address (discovery is IPv4 only) or an
/// empty field.
pub fn typed_subnet(host: &str, interfaces: &[InterfaceReading]) -> Option<Subnet> {
    let host = host.trim();
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => subnet_of(ip, interfaces),
        Ok(std::net::IpAddr::V6(_)) => None,
        Err(_) if host.is_empty() || host.eq_ignore_ascii_case("localhost") => None,
        Err(_) => Some(Subnet::Name {
            host: host.to_owned(),
        }),
    }
}

/// Where `target` is: on the subnet of one of `interfaces` (loopback left out), or on
/// another. `None` for a loopback or unspecified target (this computer itself).
pub fn subnet_of(target: Ipv4Addr, interfaces: &[InterfaceReading]) -> Option<Subnet> {
    if target.is_loopback() || target.is_unspecified() {
        return None;
    }
    let mut locals = Vec::new();
    for i in interfaces.iter().filter(|i| !i.loopback) {
        for net in i.ipv4.iter().filter(|n| !n.addr.is_loopback()) {
            if net.contains(target) {
                return Some(Subnet::Same {
                    target,
                    interface: i.name.clone(),
                    net: *net,
                });
            }
            locals.push(*net);
        }
    }
    Some(Subnet::Other { target, locals })
}

/// Which firewall tool a reading is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirewallTool {
    /// Windows Firewall (the installer's rule).
    Windows,
    /// ufw (Ubuntu's).
    Ufw,
    /// firewalld (Fedora's, openSUSE's).
    Firewalld,
}

/// What the firewall check read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirewallReading {
    /// Windows: whether the rule the installer can add (named [`WINDOWS_RULE`]) exists.
    WindowsRule {
        /// It exists.
        present: bool,
    },
    /// ufw is installed: whether it is enabled.
    Ufw {
        /// Enabled.
        enabled: bool,
    },
    /// firewalld is installed: whether it runs.
    Firewalld {
        /// Running.
        running: bool,
    },
    /// Neither ufw nor firewalld is installed (Linux): other rules cannot be read
    /// without administrator rights.
    NoneKnown,
    /// This system's firewall is not one TurnChat knows how to check.
    NotChecked,
    /// A tool was there but its answer could not be read (it failed or took too long).
    CouldNotTell {
        /// Which.
        tool: FirewallTool,
        /// What happened, in the system's words.
        detail: String,
    },
}

/// The name of the Windows Firewall rules the installer adds (`packaging/windows`).
pub const WINDOWS_RULE: &str = "TurnChat";

/// Whether `/etc/ufw/ufw.conf` says ufw is enabled (`ENABLED=yes`); `None` if it says
/// nothing readable.
pub fn ufw_enabled(conf: &str) -> Option<bool> {
    conf.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("ENABLED="))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
        .map(|v| v.eq_ignore_ascii_case("yes"))
        .next_back()
}

/// What `firewall-cmd --state` said: `Some(true)` running, `Some(false)` not running.
pub fn firewalld_running(exit_ok: bool, stdout: &str) -> Option<bool> {
    let out = stdout.trim();
    if exit_ok && out == "running" {
        Some(true)
    } else if out == "not running" {
        Some(false)
    } else {
        None
    }
}

/// What `netsh advfirewall firewall show rule name=TurnChat` said: the rule exists when it
/// succeeds and lists it; netsh fails (exit 1) when no rule matches. `None`: unreadable.
pub fn windows_rule_present(exit_code: Option<i32>, stdout: &str) -> Option<bool> {
    match exit_code {
        Some(0) if stdout.contains(WINDOWS_RULE) => Some(true),
        Some(1) => Some(false),
        _ => None,
    }
}

/// Everything the checks read from the system.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readings {
    /// The interfaces, as listed.
    pub interfaces: Vec<InterfaceReading>,
    /// Why they could not be listed, if they could not (in the system's words).
    pub interfaces_error: Option<String>,
    /// The firewall readings.
    pub firewall: Vec<FirewallReading>,
}

/// One sentence of the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Discovery announces and listens on this interface.
    Uses {
        /// The interface.
        name: String,
        /// Its IPv4 addresses.
        ipv4: Vec<V4Net>,
    },
    /// Discovery skips this interface.
    Skips {
        /// The interface.
        name: String,
        /// Why.
        why: SkipReason,
    },
    /// No interface is usable.
    NoneUsable,
    /// The interfaces could not be listed.
    InterfacesUnreadable {
        /// In the system's words.
        detail: String,
    },
    /// The chosen interface is not usable now: every usable one is used instead.
    ChosenMissing {
        /// The chosen one.
        name: String,
    },
    /// A firewall reading, with the chat port it concerns.
    Firewall {
        /// What was read.
        reading: FirewallReading,
        /// The chat port.
        port: u16,
    },
    /// Where the typed server is.
    Subnet(Subnet),
}

/// The panel's sentences, most telling first: where the typed server is (`target`, the
/// Host field), whether any interface can be used, those used, the firewall, then those
/// skipped and why.
pub fn findings(
    readings: &Readings,
    choice: Option<&str>,
    target: Option<&str>,
    port: u16,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(s) = target.and_then(|t| typed_subnet(t, &readings.interfaces)) {
        out.push(Finding::Subnet(s));
    }
    if let Some(detail) = &readings.interfaces_error {
        out.push(Finding::InterfacesUnreadable {
            detail: detail.clone(),
        });
    }
    let (rows, missing) = plan(&readings.interfaces, choice);
    if let Some(name) = missing {
        out.push(Finding::ChosenMissing { name });
    }
    let used: Vec<&InterfacePlan> = rows.iter().filter(|r| r.skipped.is_none()).collect();
    if used.is_empty() && readings.interfaces_error.is_none() {
        out.push(Finding::NoneUsable);
    }
    out.extend(used.iter().map(|r| Finding::Uses {
        name: r.name.clone(),
        ipv4: r.ipv4.clone(),
    }));
    out.extend(readings.firewall.iter().map(|f| Finding::Firewall {
        reading: f.clone(),
        port,
    }));
    out.extend(rows.iter().filter_map(|r| {
        r.skipped.map(|why| Finding::Skips {
            name: r.name.clone(),
            why,
        })
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> V4Net {
        let (a, p) = s.split_once('/').expect("a/p");
        V4Net {
            addr: a.parse().expect("addr"),
            prefix: p.parse().expect("prefix"),
        }
    }

    fn iface(name: &str, up: bool, nets: &[&str]) -> InterfaceReading {
        InterfaceReading {
            name: name.into(),
            up,
            loopback: name == "lo",
            point_to_point: false,
            ipv4: nets.iter().map(|n| net(n)).collect(),
        }
    }

    #[test]
    fn interfaces_are_classified_by_flags_then_name_then_state() {
        let c = |i: &InterfaceReading| classify(i);
        assert_eq!(
            c(&iface("lo", true, &["127.0.0.1/8"])),
            Some(SkipReason::Loopback)
        );
        assert_eq!(c(&iface("eth0", true, &["192.168.1.5/24"])), None);
        assert_eq!(
            c(&iface("enp3s0", false, &["10.0.0.2/24"])),
            Some(SkipReason::Down)
        );
        assert_eq!(c(&iface("wlan0", true, &[])), Some(SkipReason::NoIpv4));
        for vpn in [
            "tun0",
            "tap1",
            "wg0",
            "ppp0",
            "utun3",
            "tailscale0",
            "NordVPN Adapter",
        ] {
            assert_eq!(
                c(&iface(vpn, true, &["10.8.0.2/24"])),
                Some(SkipReason::Tunnel),
                "{vpn}"
            );
        }
        for virt in [
            "docker0",
            "veth1a2b",
            "vboxnet0",
            "vmnet8",
            "virbr0",
            "br-4f1c",
            "vEthernet (WSL)",
            "VMware Network Adapter VMnet8",
            "VirtualBox Host-Only Network",
        ] {
            assert_eq!(
                c(&iface(virt, true, &["172.17.0.1/16"])),
                Some(SkipReason::Virtual),
                "{virt}"
            );
        }
        // A virtual adapter that is down is still said to be virtual: that is its reason.
        assert_eq!(c(&iface("docker0", false, &[])), Some(SkipReason::Virtual));
        // A point-to-point link with an ordinary name is a tunnel.
        let mut p2p = iface("enx0", true, &["10.1.1.1/32"]);
        p2p.point_to_point = true;
        assert_eq!(c(&p2p), Some(SkipReason::Tunnel));
        // Real adapters are not mistaken for virtual ones.
        for real in [
            "eth0",
            "eno1",
            "wlp2s0",
            "Ethernet",
            "Wi-Fi",
            "en0",
            "br0",
            "vEthernet (External)",
        ] {
            assert_eq!(kind_by_name(real), None, "{real}");
        }
        assert!(daemon_skips("wg0", false, false));
        assert!(daemon_skips("eth0", true, false));
        assert!(!daemon_skips("eth0", false, false));
    }

    #[test]
    fn a_choice_narrows_discovery_to_one_usable_interface() {
        let all = [
            iface("lo", true, &["127.0.0.1/8"]),
            iface("eth0", true, &["192.168.1.5/24"]),
            iface("wlan0", true, &["10.0.0.7/24"]),
            iface("docker0", true, &["172.17.0.1/16"]),
            iface("eth2", true, &["10.2.0.1/24"]),
        ];
        let (rows, missing) = plan(&all, None);
        assert_eq!(missing, None);
        let used: Vec<&str> = rows
            .iter()
            .filter(|r| r.skipped.is_none())
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(used, ["eth0", "wlan0", "eth2"]);

        let (rows, missing) = plan(&all, Some("wlan0"));
        assert_eq!(missing, None);
        let eth0 = rows.iter().find(|r| r.name == "eth0").expect("eth0");
        assert_eq!(eth0.skipped, Some(SkipReason::NotChosen));
        assert_eq!(
            effective_choice(&all, Some("wlan0")).as_deref(),
            Some("wlan0")
        );

        // A name can misjudge: an adapter skipped for its name alone can be chosen.
        let (rows, missing) = plan(&all, Some("docker0"));
        assert_eq!(missing, None);
        let used: Vec<&str> = rows
            .iter()
            .filter(|r| r.skipped.is_none())
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(used, ["docker0"]);
        let names: Vec<String> = choices(&all, None).into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["eth0", "wlan0", "eth2", "docker0"]);
        assert!(
            choices(&all[..2], None).is_empty(),
            "one to choose from is no choice"
        );
        assert_eq!(
            choices(&all[..2], Some("eth7")).len(),
            1,
            "the way back shows"
        );

        // A choice that is gone (or cannot be used at all) falls back to every usable one.
        let mut all = all.to_vec();
        all.push(iface("eth1", false, &["10.1.0.1/24"]));
        for gone in ["eth9", "lo", "eth1"] {
            let (rows, missing) = plan(&all, Some(gone));
            assert_eq!(missing.as_deref(), Some(gone));
            assert_eq!(rows.iter().filter(|r| r.skipped.is_none()).count(), 3);
            assert_eq!(effective_choice(&all, Some(gone)), None);
        }
        assert_eq!(effective_choice(&all, Some("  ")), None);
    }

    #[test]
    fn another_subnet_is_one_no_interface_is_on() {
        let all = [
            iface("lo", true, &["127.0.0.1/8"]),
            iface("eth0", true, &["192.168.1.5/24"]),
            iface("wlan0", false, &["10.0.0.7/16"]),
        ];
        let at = |s: &str| subnet_of(s.parse().expect("ip"), &all);
        assert_eq!(
            at("192.168.1.200"),
            Some(Subnet::Same {
                target: "192.168.1.200".parse().expect("ip"),
                interface: "eth0".into(),
                net: net("192.168.1.5/24"),
            })
        );
        assert!(
            matches!(at("10.0.255.1"), Some(Subnet::Same { interface, .. }) if interface == "wlan0")
        );
        assert_eq!(
            at("192.168.2.9"),
            Some(Subnet::Other {
                target: "192.168.2.9".parse().expect("ip"),
                locals: vec![net("192.168.1.5/24"), net("10.0.0.7/16")],
            })
        );
        assert_eq!(at("127.0.0.1"), None);
        let typed = |s: &str| typed_subnet(s, &all);
        assert_eq!(
            typed(" teacher-pc "),
            Some(Subnet::Name {
                host: "teacher-pc".into()
            })
        );
        assert_eq!(typed("localhost"), None);
        assert_eq!(typed(""), None);
        assert_eq!(typed("fe80::1"), None);
        assert_eq!(typed("192.168.2.9"), at("192.168.2.9"));
        assert_eq!(at("0.0.0.0"), None);
        // A /32 (a VPN's address) holds only itself; a /0 holds everything.
        assert!(net("10.1.1.1/32").contains("10.1.1.1".parse().expect("ip")));
        assert!(!net("10.1.1.1/32").contains("10.1.1.2".parse().expect("ip")));
        assert!(net("0.0.0.0/0").contains("8.8.8.8".parse().expect("ip")));
        assert_eq!(mask_prefix("255.255.252.0".parse().expect("mask")), 22);
        assert_eq!(prefix_mask(40), u32::MAX);
    }

    #[test]
    fn firewall_answers_are_read_or_left_untold() {
        assert_eq!(
            ufw_enabled("# comment\nENABLED=yes\nLOGLEVEL=low\n"),
            Some(true)
        );
        assert_eq!(ufw_enabled("ENABLED=no\n"), Some(false));
        assert_eq!(ufw_enabled("ENABLED=\"yes\"\n"), Some(true));
        assert_eq!(ufw_enabled("#ENABLED=yes\n"), None);
        assert_eq!(firewalld_running(true, "running\n"), Some(true));
        assert_eq!(firewalld_running(false, "not running\n"), Some(false));
        assert_eq!(firewalld_running(false, "Authorization failed"), None);
        let shown = "\nRule Name:                            TurnChat\n---\nEnabled: Yes\n";
        assert_eq!(windows_rule_present(Some(0), shown), Some(true));
        assert_eq!(
            windows_rule_present(Some(1), "No rules match the specified criteria."),
            Some(false)
        );
        assert_eq!(windows_rule_present(None, ""), None);
        assert_eq!(windows_rule_present(Some(0), "something else"), None);
    }

    #[test]
    fn findings_say_the_subnet_then_used_then_firewall_then_skipped() {
        let readings = Readings {
            interfaces: vec![
                iface("lo", true, &["127.0.0.1/8"]),
                iface("eth0", true, &["192.168.1.5/24"]),
                iface("wg0", true, &["10.8.0.2/24"]),
            ],
            interfaces_error: None,
            firewall: vec![FirewallReading::Ufw { enabled: true }],
        };
        let f = findings(&readings, None, Some("10.9.0.1"), 8888);
        assert!(matches!(&f[0], Finding::Subnet(Subnet::Other { .. })));
        assert!(matches!(&f[1], Finding::Uses { name, .. } if name == "eth0"));
        assert!(matches!(&f[2], Finding::Firewall { port: 8888, .. }));
        assert!(
            matches!(&f[3], Finding::Skips { name, why: SkipReason::Loopback } if name == "lo")
        );
        assert!(matches!(&f[4], Finding::Skips { name, why: SkipReason::Tunnel } if name == "wg0"));
        assert_eq!(f.len(), 5);

        let only_lo = Readings {
            interfaces: vec![iface("lo", true, &["127.0.0.1/8"])],
            ..Readings::default()
        };
        let f = findings(&only_lo, Some("eth0"), None, 8888);
        assert_eq!(
            f[0],
            Finding::ChosenMissing {
                name: "eth0".into()
            }
        );
        assert_eq!(f[1], Finding::NoneUsable);
    }
}
