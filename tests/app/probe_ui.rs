//! Asking other subnets (issue 24, item 7), egui_kittest: the client's setting is off by
//! default; turned on, addresses that cannot be used are said at the field in a sentence,
//! and a server found by asking is marked so on its row; in both languages. Nothing is
//! sent: discovery events are injected.

use std::net::SocketAddr;

use crate::common::harness::{harness_with, wait_for_label};
use crate::common::scratch;
use crossbeam_channel::Sender;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::discovery::{DiscoveryEvent, FoundServer, TxtInfo};
use turnchat::core::lang::Lang;
use turnchat::core::turn::Role;
use turnchat::net::lan::DiscoveryMode;

fn client(name: &str, lang: Lang) -> (Harness<'static, TurnChatApp>, Sender<DiscoveryEvent>) {
    let dir = scratch(name);
    let (tx, rx) = crossbeam_channel::unbounded();
    let options = AppOptions {
        discovery: DiscoveryMode::Injected(rx),
        lang: Some(lang),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.state_mut().form_mut().role = Role::Client;
    h.run();
    (h, tx)
}

struct Words {
    toggle: &'static str,
    field: &'static str,
    too_many: &'static str,
    unreadable: &'static str,
    mark: &'static str,
}

fn the_setting_checks_addresses_and_rows_say_how_they_were_found(
    lang: Lang,
    w: &Words,
    name: &str,
) {
    let (mut h, tx) = client(name, lang);
    assert!(!h.state_mut().form_mut().probe_on, "off by default");
    assert!(h.query_by_label(w.field).is_none());
    h.get_by_label(w.toggle).click();
    h.run();
    assert!(h.state_mut().form_mut().probe_on);
    h.get_by_label(w.field);
    h.state_mut().form_mut().probe_addresses = "10.0.0.0/16".into();
    h.run();
    h.get_by_label_contains(w.too_many);
    h.state_mut().form_mut().probe_addresses = "10.0.2.0/24, teacher".into();
    h.run();
    h.get_by_label_contains(w.unreadable);
    h.state_mut().form_mut().probe_addresses = "10.0.2.0/24, 10.0.3.5".into();
    h.run();
    assert!(h.query_by_label_contains(w.too_many).is_none());
    assert!(h.query_by_label_contains(w.unreadable).is_none());

    let far: SocketAddr = "10.0.2.7:8888".parse().expect("addr");
    tx.send(DiscoveryEvent::Asked(FoundServer {
        key: "王老师._turnchat._tcp.local.".into(),
        name: "王老师".into(),
        addr: far,
        txt: TxtInfo::default(),
    }))
    .expect("send");
    wait_for_label(&mut h, &format!("王老师   {far}"));
    h.get_by_label(w.mark);
}

#[test]
fn asking_other_subnets_in_english() {
    let w = Words {
        toggle: "Also ask other subnets",
        field: "Addresses to ask",
        too_many: "That is 65536 addresses: at most 256",
        unreadable: "“teacher” is not an address",
        mark: "found by asking",
    };
    the_setting_checks_addresses_and_rows_say_how_they_were_found(Lang::En, &w, "probe-en");
}

#[test]
fn asking_other_subnets_in_chinese() {
    let w = Words {
        toggle: "也询问其他子网",
        field: "要询问的地址",
        too_many: "这是 65536 个地址",
        unreadable: "“teacher”不是地址",
        mark: "询问找到",
    };
    the_setting_checks_addresses_and_rows_say_how_they_were_found(Lang::ZhCn, &w, "probe-zh");
}
