//! Trust on first use in the window (issue 24, item 2), egui_kittest over loopback:
//! discovery events are injected, the servers are loopback listeners (127.0.0.1 and
//! 127.0.0.2, one network as TurnChat keys it), and `known.json` lives in a scratch folder.
//! A name reached before that shows up at another address warns on its row and asks once
//! (Cancel connects nowhere, Connect anyway connects and the name moves there); a server
//! reached before can be pinned, and the pin is kept; a real connect writes the file, 0600.

use std::net::SocketAddr;
use std::path::Path;

use crate::common::harness::{harness_with, wait_for_label, wait_until};
use crate::common::{WAIT, scratch};
use crate::discovery_ui::{found, listener, listener_on};
use crossbeam_channel::Sender;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::discovery::DiscoveryEvent;
use turnchat::core::lang::Lang;
use turnchat::core::tofu::{KnownServers, Trust};
use turnchat::core::turn::Role;
use turnchat::desktop::known_file::{load_known, save_known};
use turnchat::net::lan::DiscoveryMode;
use turnchat::state::RoleStatus;

/// The network TurnChat keys loopback servers by (no interface shares their subnet).
const LOOPBACK: &str = "127.0.0.0/24";

/// The window as a client in `lang`, with `known` already in `dir/known.json`.
fn client(
    dir: &Path,
    lang: Lang,
    known: &KnownServers,
) -> (Harness<'static, TurnChatApp>, Sender<DiscoveryEvent>) {
    save_known(&dir.join("known.json"), known).expect("known.json written");
    let (tx, rx) = crossbeam_channel::unbounded();
    let options = AppOptions {
        discovery: DiscoveryMode::Injected(rx),
        lang: Some(lang),
        known_path: Some(dir.join("known.json")),
        ..AppOptions::default()
    };
    let mut h = harness_with(dir, Harness::<TurnChatApp>::builder(), options);
    h.state_mut().form_mut().role = Role::Client;
    h.run();
    (h, tx)
}

/// `name` reached at `addr` before.
fn known_at(name: &str, addr: SocketAddr) -> KnownServers {
    let mut known = KnownServers::default();
    known.reached(LOOPBACK, name, addr.ip());
    known
}

/// Waits (bounded) until `known.json` says `want` of `name` at `at`.
fn wait_known(
    h: &mut Harness<'static, TurnChatApp>,
    dir: &Path,
    name: &str,
    at: std::net::IpAddr,
    want: Trust,
) {
    let path = dir.join("known.json");
    let what = format!("known.json to say {want:?} for {name} at {at}");
    wait_until(h, &what, |_| {
        load_known(&path).trust(LOOPBACK, name, at) == want
    });
}

struct Words {
    moved: &'static str,
    connect_anyway: &'static str,
    cancel: &'static str,
    title: &'static str,
}

const EN: Words = Words {
    moved: "⚠ “王老师” was at 127.0.0.1 before",
    connect_anyway: "Connect anyway",
    cancel: "Cancel",
    title: "Connect to “王老师” at a new address?",
};

const ZH: Words = Words {
    moved: "⚠ “王老师”之前在 127.0.0.1",
    connect_anyway: "仍然连接",
    cancel: "取消",
    title: "连接到新地址上的“王老师”？",
};

fn moved_row_asks_once(lang: Lang, w: &Words, name: &str) {
    let dir = scratch(name);
    let (real, _real_conns) = listener();
    let (spoof, spoof_conns) = listener_on("127.0.0.2:0");
    let (mut h, tx) = client(&dir, lang, &known_at("王老师", real));
    tx.send(found("王老师", spoof, false)).expect("send");
    wait_for_label(&mut h, w.moved);
    let row = format!("王老师   {spoof}");

    // A click asks; the click that opened the question does not close it.
    h.get_by_label_contains(&row).click();
    h.run();
    h.get_by_label(w.title);
    assert_eq!(
        h.get_all_by_label(w.connect_anyway).count(),
        1,
        "asked once"
    );
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);

    // Cancel: the question goes, nothing connects.
    h.get_by_label(w.cancel).click();
    h.run();
    assert!(h.query_by_label(w.connect_anyway).is_none());
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    assert!(spoof_conns.try_recv().is_err(), "Cancel connected");
    assert_eq!(
        load_known(&dir.join("known.json")).trust(LOOPBACK, "王老师", real.ip()),
        Trust::Known { pinned: false },
        "Cancel changes nothing kept"
    );

    // Asked again on the next click; Connect anyway connects to the address shown.
    h.get_by_label_contains(&row).click();
    h.run();
    h.get_by_label(w.connect_anyway).click();
    h.run_steps(2);
    let _spoof_side = spoof_conns
        .recv_timeout(WAIT)
        .expect("Connect anyway connected");
    wait_until(&mut h, "connected", |a| {
        matches!(a.view_state().status, RoleStatus::Connected { .. })
    });
    assert!(h.query_by_label(w.connect_anyway).is_none());
    // Reached there now: the name moved, and the file says so.
    wait_known(
        &mut h,
        &dir,
        "王老师",
        spoof.ip(),
        Trust::Known { pinned: false },
    );
}

#[test]
fn a_moved_name_warns_and_asks_once_in_english() {
    moved_row_asks_once(Lang::En, &EN, "trust-moved-en");
}

#[test]
fn a_moved_name_warns_and_asks_once_in_chinese() {
    moved_row_asks_once(Lang::ZhCn, &ZH, "trust-moved-zh");
}

#[test]
fn esc_cancels_the_question() {
    let dir = scratch("trust-esc");
    let (real, _r) = listener();
    let (spoof, spoof_conns) = listener_on("127.0.0.2:0");
    let (mut h, tx) = client(&dir, Lang::En, &known_at("王老师", real));
    tx.send(found("王老师", spoof, false)).expect("send");
    wait_for_label(&mut h, EN.moved);
    h.get_by_label_contains(&format!("王老师   {spoof}"))
        .click();
    h.run();
    h.get_by_label(EN.connect_anyway);
    h.key_press(eframe::egui::Key::Escape);
    h.run();
    assert!(h.query_by_label(EN.connect_anyway).is_none());
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    assert!(spoof_conns.try_recv().is_err());
}

fn pin_then_mark(lang: Lang, w: &Words, pin: &Pins, name: &str) {
    let dir = scratch(name);
    let (real, _r) = listener();
    let (mut h, tx) = client(&dir, lang, &known_at("王老师", real));
    tx.send(found("王老师", real, false)).expect("send");
    wait_for_label(&mut h, &format!("王老师   {real}"));
    assert!(h.query_by_label(pin.pinned).is_none());
    h.get_by_label(pin.pin).click();
    h.run();
    h.get_by_label(pin.pinned);
    h.get_by_label(pin.unpin);
    let pinned = Trust::Known { pinned: true };
    wait_known(&mut h, &dir, "王老师", real.ip(), pinned);
    // A pinned name announced elsewhere is warned about; that row has no pin.
    let spoof: SocketAddr = "127.0.0.2:8888".parse().expect("addr");
    let mut second = found("王老师", spoof, false);
    if let DiscoveryEvent::Found(s) = &mut second {
        s.key = "second._turnchat._tcp.local.".into();
    }
    tx.send(second).expect("send");
    wait_for_label(&mut h, &format!("王老师   {spoof}"));
    h.get_by_label(w.moved);
    assert_eq!(h.get_all_by_label(pin.unpin).count(), 1);
    assert_eq!(
        h.state().discovered().trust("王老师", spoof),
        Trust::Moved {
            was: real.ip(),
            pinned: true
        }
    );
    // Unpinned again, and kept so.
    h.get_by_label(pin.unpin).click();
    h.run();
    assert!(h.query_by_label(pin.pinned).is_none());
    wait_known(
        &mut h,
        &dir,
        "王老师",
        real.ip(),
        Trust::Known { pinned: false },
    );
}

struct Pins {
    pin: &'static str,
    pinned: &'static str,
    unpin: &'static str,
}

#[test]
fn a_server_reached_before_can_be_pinned_in_english() {
    let pins = Pins {
        pin: "Pin",
        pinned: "📌 pinned",
        unpin: "Unpin",
    };
    pin_then_mark(Lang::En, &EN, &pins, "trust-pin-en");
}

#[test]
fn a_server_reached_before_can_be_pinned_in_chinese() {
    let pins = Pins {
        pin: "固定",
        pinned: "📌 已固定",
        unpin: "取消固定",
    };
    pin_then_mark(Lang::ZhCn, &ZH, &pins, "trust-pin-zh");
}

#[test]
fn a_real_connect_to_a_listed_server_writes_known_json_privately() {
    let dir = scratch("trust-write");
    let (addr, conns) = listener();
    let (mut h, tx) = client(&dir, Lang::En, &KnownServers::default());
    let path = dir.join("known.json");
    std::fs::remove_file(&path).expect("start with no file");
    tx.send(found("teacher", addr, false)).expect("send");
    wait_for_label(&mut h, "teacher   ");
    // Not reached yet: no Pin on a server never connected to.
    assert!(h.query_by_label("Pin").is_none());
    h.get_by_label_contains("teacher   ").click();
    h.run_steps(2);
    let _server_side = conns.recv_timeout(WAIT).expect("the click connected");
    wait_until(&mut h, "known.json written", |_| {
        load_known(&path).trust(LOOPBACK, "teacher", addr.ip()) == Trust::Known { pinned: false }
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "known.json is private");
    }
}

#[test]
fn known_json_that_cannot_be_written_is_said_in_both_languages() {
    for (lang, words, name) in [
        (
            Lang::En,
            "The servers you connected to could not be remembered",
            "trust-unwritable-en",
        ),
        (
            Lang::ZhCn,
            "无法记住你连接过的服务器",
            "trust-unwritable-zh",
        ),
    ] {
        let dir = scratch(name);
        // Its folder is a file: nothing can be written there.
        std::fs::write(dir.join("blocked"), b"a file").expect("file");
        let (tx, rx) = crossbeam_channel::unbounded();
        let options = AppOptions {
            discovery: DiscoveryMode::Injected(rx),
            lang: Some(lang),
            known_path: Some(dir.join("blocked/known.json")),
            ..AppOptions::default()
        };
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
        h.state_mut().form_mut().role = Role::Client;
        h.run();
        let (addr, conns) = listener();
        tx.send(found("teacher", addr, false)).expect("send");
        wait_for_label(&mut h, "teacher   ");
        h.get_by_label_contains("teacher   ").click();
        h.run_steps(2);
        let _server_side = conns.recv_timeout(WAIT).expect("connected");
        wait_for_label(&mut h, words);
    }
}
