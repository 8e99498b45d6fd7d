//! The list of servers found, when names are hostile (egui_kittest, nothing on the
//! network): look-alike names both marked, a name first seen at another computer said so,
//! invisible characters shown, the address a click reaches on every row, in both
//! languages; and a list of 256 servers laid out only where it is seen.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::core::discovery::{DiscoveryEvent, FoundServer, LiveList, TxtInfo};
use turnchat::core::lang::Lang;
use turnchat::ui::discovered;

fn found(key: &str, name: &str, addr: SocketAddr) -> DiscoveryEvent {
    DiscoveryEvent::Found(FoundServer {
        key: format!("{key}._turnchat._tcp.local."),
        name: name.into(),
        addr,
        txt: TxtInfo {
            encoding_label: Some("GBK\n\u{1b}[2J".into()),
            ..TxtInfo::default()
        },
    })
}

/// The real teacher at .10, a look-alike with a zero-width space at .66, and the
/// teacher's name announced again by .66 after the teacher left.
fn spoofed() -> LiveList {
    let now = Instant::now();
    let mut list = LiveList::default();
    let teacher: SocketAddr = "192.168.1.10:8888".parse().expect("addr");
    let attacker: SocketAddr = "192.168.1.66:8888".parse().expect("addr");
    list.apply(found("t", "王老师", teacher), now);
    list.apply(found("f", "王\u{200B}老师", attacker), now);
    list.apply(found("m", "Math\u{202E}room", attacker), now);
    list.apply(found("m2", "Mathroom", teacher), now);
    list
}

fn harness(list: LiveList, lang: Lang) -> Harness<'static> {
    let mut h = Harness::builder()
        .with_size(eframe::egui::vec2(900.0, 400.0))
        .with_context_setup(turnchat::ui::fonts::install)
        .build_ui(move |ui| {
            discovered::server_list(ui, &list, lang);
        });
    h.run();
    h
}

#[test]
fn look_alikes_are_both_marked_and_hidden_characters_show_in_english() {
    let h = harness(spoofed(), Lang::En);
    h.get_by_label_contains("王老师   192.168.1.10:8888   ?   free");
    h.get_by_label_contains("王<U+200B>老师   192.168.1.66:8888");
    h.get_by_label_contains("Math<U+202E>room   192.168.1.66:8888");
    assert_eq!(
        h.get_all_by_label("⚠ look-alike").count(),
        4,
        "all four rows"
    );
    // "Mathroom" was first seen at .66 (the look-alike came first): its row says so.
    h.get_by_label("⚠ “Mathroom” was at 192.168.1.66 before");
    assert!(
        h.query_by_label_contains("\u{200B}").is_none()
            && h.query_by_label_contains("\u{202E}").is_none(),
        "no invisible character is drawn as itself"
    );
}

#[test]
fn look_alikes_are_marked_in_chinese_with_every_glyph() {
    let h = harness(spoofed(), Lang::ZhCn);
    assert_eq!(h.get_all_by_label("⚠ 名字相似").count(), 4);
    h.get_by_label("⚠ “Mathroom”之前在 192.168.1.66");
    assert_eq!(h.get_all_by_label_contains("空闲").count(), 4);
}

#[test]
fn a_click_connects_to_the_address_shown() {
    use turnchat::ui::Intent;
    let mut list = LiveList::default();
    let now = Instant::now();
    let announced: SocketAddr = "10.0.0.1:8888".parse().expect("addr");
    list.apply(found("t", "teacher", announced), now);
    // The announcement came from .2: that is where a click goes, and what the row says.
    list.apply(
        DiscoveryEvent::Heard {
            key: "t._turnchat._tcp.local.".into(),
            from: Ipv4Addr::new(10, 0, 0, 2),
        },
        now,
    );
    let clicked = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = clicked.clone();
    let mut h = Harness::builder()
        .with_size(eframe::egui::vec2(900.0, 300.0))
        .with_context_setup(turnchat::ui::fonts::install)
        .build_ui(move |ui| {
            if let Some(i) = discovered::server_list(ui, &list, Lang::En) {
                *seen.lock().expect("lock") = Some(i);
            }
        });
    h.run();
    h.get_by_label_contains("teacher   10.0.0.2:8888").click();
    h.run();
    let intent = clicked.lock().expect("lock").take();
    assert!(
        matches!(&intent, Some(Intent::ConnectTo { host, port: 8888, name }) if host == "10.0.0.2" && name == "teacher"),
        "{intent:?}"
    );
}

#[test]
fn two_hundred_fifty_six_rows_are_laid_out_only_where_seen() {
    let mut list = LiveList::default();
    let now = Instant::now();
    for i in 0..256u16 {
        let addr = SocketAddr::from(([10, 1, (i / 250) as u8, (i % 250) as u8 + 1], 8888));
        list.apply(
            found(&format!("s{i}"), &format!("server {i:03}"), addr),
            now,
        );
    }
    assert_eq!(list.rows().len(), 256);
    let h = harness(list, Lang::En);
    let drawn = h.query_all_by_label_contains("server ").count();
    assert!(
        (1..40).contains(&drawn),
        "{drawn} rows laid out of 256: the list is not virtualised"
    );
    h.get_by_label_contains("server 000");
    assert!(h.query_by_label_contains("server 255").is_none());
}
