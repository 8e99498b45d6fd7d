//! The "Why can't I see them?" panel in the window (egui_kittest), in both languages: the
//! system's readings are a stand-in (interfaces of every kind, a firewall), discovery
//! events are injected (an empty list), and the interface chosen in the panel is applied
//! to browsing and remembered.

use std::net::TcpListener;

use crate::common::harness::{harness_with, wait_for_label, wait_until};
use crate::common::scratch;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::Lang;
use turnchat::core::settings::Settings;
use turnchat::core::turn::Role;
use turnchat::core::why::{FirewallReading, InterfaceReading, Readings, V4Net};
use turnchat::net::lan::DiscoveryMode;

fn iface(name: &str, up: bool, nets: &[(&str, u8)]) -> InterfaceReading {
    InterfaceReading {
        name: name.into(),
        up,
        loopback: name == "lo",
        point_to_point: false,
        ipv4: nets
            .iter()
            .map(|(a, p)| V4Net {
                addr: a.parse().expect("addr"),
                prefix: *p,
            })
            .collect(),
    }
}

/// A laptop with a cable and Wi-Fi, Docker, a VPN, a second card unplugged, and ufw on.
fn laptop() -> Readings {
    Readings {
        interfaces: vec![
            iface("lo", true, &[("127.0.0.1", 8)]),
            iface("eth0", true, &[("192.168.1.5", 24)]),
            iface("wlan0", true, &[("10.0.0.7", 24)]),
            iface("docker0", true, &[("172.17.0.1", 16)]),
            iface("wg0", true, &[("10.8.0.2", 24)]),
            iface("eth1", false, &[]),
        ],
        interfaces_error: None,
        firewall: vec![FirewallReading::Ufw { enabled: true }],
    }
}

/// A client form with an empty list of servers found, reading `readings`.
fn client(
    name: &str,
    lang: Lang,
    settings: Settings,
    readings: Readings,
) -> (
    Harness<'static, TurnChatApp>,
    crossbeam_channel::Sender<turnchat::core::discovery::DiscoveryEvent>,
    std::path::PathBuf,
) {
    let dir = scratch(name);
    let settings_path = dir.join("settings.json");
    let (tx, rx) = crossbeam_channel::unbounded();
    let options = AppOptions {
        discovery: DiscoveryMode::Injected(rx),
        settings: Settings {
            role: Role::Client,
            client_host: "192.168.2.9".into(),
            client_port: "8888".into(),
            ..settings
        },
        settings_path: Some(settings_path.clone()),
        lang: Some(lang),
        system_readings: Some(std::sync::Arc::new(move || readings.clone())),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    (h, tx, settings_path)
}

#[test]
fn why_says_what_is_used_skipped_blocked_and_where_the_server_is_and_the_choice_is_kept() {
    let (mut h, _tx, settings_path) = client("why-en", Lang::En, Settings::default(), laptop());
    h.get_by_label("Looking for servers…");
    h.get_by_label("Why?").click();
    wait_for_label(&mut h, "Uses eth0 (192.168.1.5/24)");
    h.get_by_label("Why can't I see them?");
    h.get_by_label_contains("Uses wlan0 (10.0.0.7/24)");
    h.get_by_label_contains("Skips lo: loopback");
    h.get_by_label_contains("Skips docker0: a virtual adapter of containers or virtual machines");
    h.get_by_label_contains("Skips wg0: a VPN or tunnel");
    h.get_by_label_contains("Skips eth1: it is down");
    h.get_by_label_contains(
        "ufw is on: unless it allows them, it blocks discovery (UDP 5353) and the chat port 8888",
    );
    h.get_by_label_contains("192.168.2.9 is on another subnet than this computer (192.168.1.5/24, 10.0.0.7/24, 172.17.0.1/16, 10.8.0.2/24)");
    h.get_by_label_contains("kept under Recent");
    // Nothing is chosen yet: every usable interface is used, and browsing is not limited.
    assert_eq!(h.state().browsing_interface(), None);

    // Two usable interfaces: the user picks Wi-Fi; browsing moves to it, the panel says
    // the cable is skipped for that reason, and the choice is remembered.
    h.get_by_label("wlan0 (10.0.0.7)").click();
    h.run_steps(2);
    assert_eq!(h.state_mut().form_mut().discovery_interface, "wlan0");
    assert_eq!(h.state().browsing_interface(), Some("wlan0"));
    h.get_by_label_contains("Skips eth0: you chose another interface below.");
    assert!(h.query_by_label_contains("Uses eth0").is_none());

    // A server on the same subnet is said to be there.
    h.state_mut().form_mut().client_host = "10.0.0.42".into();
    h.run_steps(2);
    h.get_by_label_contains("10.0.0.42 is on the subnet of wlan0 (10.0.0.7/24)");
    // A name is not guessed at.
    h.state_mut().form_mut().client_host = "teacher-pc".into();
    h.run_steps(2);
    h.get_by_label_contains(
        "teacher-pc is a name, not an address: which subnet it is on could not be told.",
    );

    h.get_by_label("Close").click();
    h.run_steps(2);
    assert!(h.query_by_label("Why can't I see them?").is_none());
    drop(h);

    let remembered = turnchat::desktop::files::load_settings(&settings_path).settings;
    assert_eq!(remembered.discovery_interface, "wlan0");
    // The next start browses on it at once; the panel shows it chosen.
    let (mut h, _tx, _) = client("why-en-again", Lang::En, remembered, laptop());
    assert_eq!(h.state().browsing_interface(), Some("wlan0"));
    h.get_by_label("Why?").click();
    wait_for_label(&mut h, "Uses wlan0");
    // Back to every interface.
    h.get_by_label("every usable interface").click();
    h.run_steps(2);
    assert_eq!(h.state().browsing_interface(), None);
    h.get_by_label_contains("Uses eth0 (192.168.1.5/24)");
}

#[test]
fn why_in_chinese() {
    let (mut h, _tx, _) = client("why-zh", Lang::ZhCn, Settings::default(), laptop());
    h.get_by_label("为什么？").click();
    wait_for_label(
        &mut h,
        "使用 eth0（192.168.1.5/24）：TurnChat 在这里公布并查找服务器。",
    );
    h.get_by_label("为什么看不到它们？");
    h.get_by_label_contains("跳过 docker0：这是容器或虚拟机的虚拟网卡");
    h.get_by_label_contains("跳过 wg0：这是 VPN 或隧道");
    h.get_by_label_contains("跳过 eth1：它没有连通");
    h.get_by_label_contains(
        "ufw 已开启：除非已放行，它会拦截查找服务器（UDP 5353）和聊天端口 8888",
    );
    h.get_by_label_contains("192.168.2.9 和这台电脑（192.168.1.5/24, 10.0.0.7/24, 172.17.0.1/16, 10.8.0.2/24）不在同一个子网");
    h.get_by_label("查找服务器用的网络接口");
    h.get_by_label("eth0 (192.168.1.5)").click();
    h.run_steps(2);
    assert_eq!(h.state().browsing_interface(), Some("eth0"));
    h.get_by_label_contains("跳过 wlan0：你在下面选了另一个网络接口。");
    h.state_mut().form_mut().client_host = "teacher-pc".into();
    h.run_steps(2);
    h.get_by_label_contains("teacher-pc 是名字，不是地址：无法判断它在哪个子网。");
    h.get_by_label("再检查一次");
    h.get_by_label("关闭").click();
    h.run_steps(2);
    assert!(h.query_by_label("为什么看不到它们？").is_none());
}

#[test]
fn a_chosen_interface_that_is_gone_falls_back_to_all_and_says_so() {
    let settings = Settings {
        discovery_interface: "eth7".into(),
        ..Settings::default()
    };
    let (mut h, _tx, _) = client("why-gone", Lang::En, settings, laptop());
    h.get_by_label("Why?").click();
    wait_for_label(&mut h, "The interface you chose, eth7, cannot be used now");
    h.get_by_label_contains("Uses eth0");
    h.get_by_label_contains("Uses wlan0");
    // The way back to every interface is offered even so.
    h.get_by_label("every usable interface").click();
    h.run_steps(2);
    assert_eq!(h.state_mut().form_mut().discovery_interface, "");
    // A name can misjudge: an adapter skipped for its name alone can still be chosen.
    h.get_by_label("docker0 (172.17.0.1)").click();
    h.run_steps(2);
    assert_eq!(h.state().browsing_interface(), Some("docker0"));
    h.get_by_label_contains("Uses docker0 (172.17.0.1/16)");
    h.get_by_label_contains("Skips eth0: you chose another interface below.");
}

#[test]
fn a_server_that_cannot_be_reached_offers_why_without_discovery() {
    // A port nothing listens on: bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port();
    let dir = scratch("why-refused");
    let only_loopback = Readings {
        interfaces: vec![iface("lo", true, &[("127.0.0.1", 8)])],
        interfaces_error: None,
        firewall: vec![FirewallReading::NoneKnown],
    };
    let options = AppOptions {
        settings: Settings {
            role: Role::Client,
            client_host: "127.0.0.1".into(),
            client_port: port.to_string(),
            ..Settings::default()
        },
        system_readings: Some(std::sync::Arc::new(move || only_loopback.clone())),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    // Discovery is off: no list, no button, until a connect fails.
    assert!(h.query_by_label("Why?").is_none());
    h.get_by_label("Connect").click();
    wait_until(&mut h, "the connect to fail", |a| {
        a.view_state().error.is_some()
    });
    h.run_steps(2);
    h.get_by_label("Why?").click();
    wait_for_label(&mut h, "No network interface can be used");
    h.get_by_label_contains("Skips lo: loopback reaches this computer only.");
    h.get_by_label_contains(&format!(
        "Other firewall rules cannot be read without administrator rights: could not tell whether they block UDP 5353 or port {port}."
    ));
    // A server on this computer is on no subnet: nothing is said about it.
    assert!(h.query_by_label_contains("subnet").is_none());
}
