//! The "Why?" checks on a computer with interfaces of every kind, in network namespaces
//! (see `common/netns.rs`): its LAN card (a veth called eth0), a VPN (a veth called wg0
//! to a far end of its own), a tun device, a Docker bridge, and a card that is down.
//! `turnchat --why` (the panel's readings, printed) must use and skip the right ones, in
//! both languages; and a server in a real window there must be announced on its LAN and
//! not over the VPN.
#![cfg(target_os = "linux")]

use std::process::Output;

use crate::common::desktop::{TURNCHAT, at_home};
use crate::common::netns::Lan;
use crate::common::scratch;
use crate::discovery::{Server, named, start_desktop};

/// Computer 0 of a two-computer LAN, with a VPN to a far end, a tun device, a Docker
/// bridge and a card that is down. Returns the LAN and the far end's index.
fn crowded_computer() -> (Lan, usize) {
    let mut lan = Lan::new(2);
    let far = lan.far_end(0, "wg0", "10.99.0.1/24", "10.99.0.2/24");
    lan.ip(0, &["tuntap", "add", "dev", "tun0", "mode", "tun"]);
    lan.ip(0, &["addr", "add", "10.97.0.1/24", "dev", "tun0"]);
    lan.ip(0, &["link", "set", "tun0", "up"]);
    lan.ip(0, &["link", "add", "docker0", "type", "bridge"]);
    lan.ip(0, &["addr", "add", "172.30.0.1/16", "dev", "docker0"]);
    lan.ip(0, &["link", "set", "docker0", "up"]);
    // A second card with no cable: down, and no address at all.
    lan.ip(
        0,
        &[
            "link", "add", "eth7", "type", "veth", "peer", "name", "eth7p",
        ],
    );
    (lan, far)
}

/// `turnchat --why ARGS` in computer `host`, in a scratch home; its output.
fn why(lan: &Lan, host: usize, home: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = lan.command(host, TURNCHAT);
    at_home(&mut cmd, home)
        .arg("--why")
        .args(args)
        .output()
        .expect("run turnchat --why")
}

fn lines(out: &Output) -> Vec<String> {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn has(lines: &[String], start: &str) {
    assert!(
        lines.iter().any(|l| l.starts_with(start)),
        "no line starts with {start:?} in:\n{}",
        lines.join("\n")
    );
}

#[test]
fn the_checks_use_the_lan_card_and_skip_vpn_tun_docker_and_down_cards_in_both_languages() {
    let dir = scratch("why-netns");
    let (lan, _far) = crowded_computer();
    let en = lines(&why(
        &lan,
        0,
        &dir,
        &["--lang", "en", "--connect", "10.213.0.2:8888"],
    ));
    has(
        &en,
        "Uses eth0 (10.213.0.1/24): TurnChat announces and looks for servers there.",
    );
    assert_eq!(
        en.iter().filter(|l| l.starts_with("Uses ")).count(),
        1,
        "only the LAN card is used:\n{}",
        en.join("\n")
    );
    has(&en, "Skips lo: loopback reaches this computer only.");
    has(&en, "Skips wg0: a VPN or tunnel");
    has(&en, "Skips tun0: a VPN or tunnel");
    has(
        &en,
        "Skips docker0: a virtual adapter of containers or virtual machines",
    );
    has(&en, "Skips eth7: it is down");
    has(&en, "Skips eth7p: it is down");
    has(&en, "10.213.0.2 is on the subnet of eth0 (10.213.0.1/24)");
    // The firewall line matches what this machine has; with neither ufw nor firewalld,
    // it says it cannot tell, rather than guess.
    let ufw = std::path::Path::new("/etc/ufw/ufw.conf").exists();
    let firewalld = std::process::Command::new("sh")
        .args(["-c", "command -v firewall-cmd"])
        .output()
        .is_ok_and(|o| o.status.success());
    match (ufw, firewalld) {
        (false, false) => has(&en, "Neither ufw nor firewalld is in use."),
        _ => assert!(
            en.iter().any(|l| l.starts_with("ufw ")
                || l.starts_with("firewalld ")
                || l.starts_with("Could not tell whether")),
            "no ufw or firewalld line:\n{}",
            en.join("\n")
        ),
    }

    let zh = lines(&why(
        &lan,
        0,
        &dir,
        &["--lang", "zh-CN", "--connect", "10.50.0.9:8888"],
    ));
    has(
        &zh,
        "使用 eth0（10.213.0.1/24）：TurnChat 在这里公布并查找服务器。",
    );
    has(&zh, "跳过 wg0：这是 VPN 或隧道");
    has(&zh, "跳过 tun0：这是 VPN 或隧道");
    has(&zh, "跳过 docker0：这是容器或虚拟机的虚拟网卡");
    has(&zh, "跳过 eth7：它没有连通");
    has(&zh, "10.50.0.9 和这台电脑（");
    assert!(
        zh.iter()
            .any(|l| l.starts_with("10.50.0.9 和这台电脑") && l.contains("10.213.0.1/24")),
        "{zh:?}"
    );

    // The remembered choice of an interface is honoured, and one that is gone said.
    let config = dir.join("config/turnchat");
    std::fs::create_dir_all(&config).expect("config dir");
    let settings = serde_json::json!({ "discovery_interface": "eth9" });
    std::fs::write(config.join("settings.json"), settings.to_string()).expect("settings");
    let gone = lines(&why(&lan, 0, &dir, &["--lang", "en"]));
    has(&gone, "The interface you chose, eth9, cannot be used now");
    has(&gone, "Uses eth0 (10.213.0.1/24)");
}

#[test]
fn a_server_is_announced_on_its_lan_and_not_over_its_vpn() {
    let dir = scratch("why-netns-announce");
    let (lan, far) = crowded_computer();
    let desktop = start_desktop();
    let _server = Server::start(&lan, 0, &desktop, &dir, named("Lab"), "0.0.0.0:7301", &[]);
    let discover = |host: usize| {
        lan.command(host, TURNCHAT)
            .args(["--discover", "--seconds", "3"])
            .env_remove("DISPLAY")
            .output()
            .expect("run --discover")
    };
    // On the LAN it is found, at its LAN address.
    let on_lan = discover(1);
    assert!(on_lan.status.success(), "{on_lan:?}");
    assert_eq!(
        String::from_utf8_lossy(&on_lan.stdout),
        format!("Lab\t{}:7301\tGBK\tfree\n", Lan::addr(0))
    );
    // Over the VPN it is not announced, nor does it answer: nothing is found there.
    let over_vpn = discover(far);
    assert!(
        !over_vpn.status.success() && over_vpn.stdout.is_empty(),
        "announced over the VPN: {over_vpn:?}"
    );
}

#[test]
fn a_server_announces_only_on_the_interface_chosen_for_discovery() {
    let dir = scratch("why-netns-chosen");
    let mut lan = Lan::new(2);
    // A second card, to another network: both are usable, and the user chose it.
    let far = lan.far_end(0, "eth1", "10.98.0.1/24", "10.98.0.2/24");
    let desktop = start_desktop();
    let mut settings = named("Lab");
    settings["discovery_interface"] = "eth1".into();
    let _server = Server::start(&lan, 0, &desktop, &dir, settings, "0.0.0.0:7302", &[]);
    let discover = |host: usize| {
        lan.command(host, TURNCHAT)
            .args(["--discover", "--seconds", "3"])
            .env_remove("DISPLAY")
            .output()
            .expect("run --discover")
    };
    let on_chosen = discover(far);
    assert!(on_chosen.status.success(), "{on_chosen:?}");
    assert_eq!(
        String::from_utf8_lossy(&on_chosen.stdout),
        "Lab\t10.98.0.1:7302\tGBK\tfree\n"
    );
    let on_lan = discover(1);
    assert!(
        !on_lan.status.success() && on_lan.stdout.is_empty(),
        "announced on the card that was not chosen: {on_lan:?}"
    );
}

/// A `firewall-cmd` of the test's own, first on PATH, running `body` (a shell script).
fn fake_firewall_cmd(dir: &std::path::Path, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let tool = bin.join("firewall-cmd");
    std::fs::write(&tool, format!("#!/bin/sh\n{body}\n")).expect("write firewall-cmd");
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn firewalld_is_read_and_one_that_does_not_answer_is_said_not_waited_for() {
    let dir = scratch("why-firewalld");
    let run = |path: &str| {
        let mut cmd = std::process::Command::new(TURNCHAT);
        at_home(&mut cmd, &dir)
            .args(["--why", "--lang", "en", "--connect", "10.1.2.3:9000"])
            .env("PATH", path)
            .output()
            .expect("run turnchat --why")
    };
    let running = lines(&run(&fake_firewall_cmd(&dir, "echo running")));
    has(
        &running,
        "firewalld is running: unless its zone allows them, it blocks discovery (UDP 5353) and the chat port 9000.",
    );
    let stopped = lines(&run(&fake_firewall_cmd(
        &dir,
        "echo 'not running'; exit 252",
    )));
    has(
        &stopped,
        "firewalld is installed but not running: it blocks nothing.",
    );
    // One that never answers is stopped after its 3 s, and said as such.
    let hung = lines(&run(&fake_firewall_cmd(&dir, "exec sleep 600")));
    has(
        &hung,
        "Could not tell whether firewalld blocks UDP 5353 or port 9000 (no answer within 3 s).",
    );
}

#[test]
fn discover_on_one_interface_lists_only_the_servers_reached_through_it() {
    let dir = scratch("why-netns-browse");
    let mut lan = Lan::new(2);
    let far = lan.far_end(0, "eth1", "10.98.0.1/24", "10.98.0.2/24");
    let desktop = start_desktop();
    let _near = Server::start(&lan, 1, &desktop, &dir, named("Near"), "0.0.0.0:7303", &[]);
    let _far = Server::start(&lan, far, &desktop, &dir, named("Far"), "0.0.0.0:7304", &[]);
    let discover = |args: &[&str]| {
        lan.command(0, TURNCHAT)
            .args(["--discover", "--seconds", "3"])
            .args(args)
            .env_remove("DISPLAY")
            .output()
            .expect("run --discover")
    };
    let both = format!(
        "Far\t10.98.0.2:7304\tGBK\tfree\nNear\t{}:7303\tGBK\tfree\n",
        Lan::addr(1)
    );
    let all = discover(&[]);
    assert_eq!(String::from_utf8_lossy(&all.stdout), both, "{all:?}");
    let chosen = discover(&["--interface", "eth1"]);
    assert!(chosen.status.success(), "{chosen:?}");
    assert_eq!(
        String::from_utf8_lossy(&chosen.stdout),
        "Far\t10.98.0.2:7304\tGBK\tfree\n"
    );
    // One that cannot be used is said, and every usable one is used instead.
    let gone = discover(&["--interface", "eth9"]);
    assert_eq!(String::from_utf8_lossy(&gone.stdout), both, "{gone:?}");
    assert!(
        String::from_utf8_lossy(&gone.stderr)
            .contains("The interface you chose, eth9, cannot be used now"),
        "{gone:?}"
    );
}
