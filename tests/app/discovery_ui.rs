//! The discovery list and auto-reconnect in the window (egui_kittest), over loopback:
//! discovery events are injected, so nothing multicasts; the servers are plain loopback
//! listeners the test controls.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use crate::common::harness::{harness_with, wait_for_label, wait_until};
use crate::common::{WAIT, scratch};
use crossbeam_channel::{Receiver, Sender};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::codec::WireEncoding;
use turnchat::core::discovery::{DiscoveryEvent, FoundServer, TxtInfo};
use turnchat::core::turn::Role;
use turnchat::net::lan::DiscoveryMode;
use turnchat::state::RoleStatus;

/// A loopback listener whose connections arrive on a channel (accepted on a named
/// thread, which ends when the test drops the receiver and one more connection comes, or
/// with the process).
pub(crate) fn listener() -> (SocketAddr, Receiver<TcpStream>) {
    listener_on("127.0.0.1:0")
}

/// [`listener`] on `at` (another loopback address, say).
pub(crate) fn listener_on(at: &str) -> (SocketAddr, Receiver<TcpStream>) {
    let l = TcpListener::bind(at).expect("bind");
    let addr = l.local_addr().expect("addr");
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("test-acceptor".into())
        .spawn(move || {
            for s in l.incoming() {
                match s {
                    Ok(s) => {
                        if tx.send(s).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        })
        .expect("spawn");
    (addr, rx)
}

pub(crate) fn found(name: &str, addr: SocketAddr, busy: bool) -> DiscoveryEvent {
    DiscoveryEvent::Found(FoundServer {
        key: format!("{name}._turnchat._tcp.local."),
        name: name.into(),
        addr,
        txt: TxtInfo {
            protocol: Some(1),
            encoding_label: Some("GBK".into()),
            encoding: Some(WireEncoding::Gbk),
            policy: None,
            busy: Some(busy),
            conversations: Some(if busy { 3 } else { 0 }),
        },
    })
}

fn client_harness(
    name: &str,
    reconnect: bool,
) -> (Harness<'static, TurnChatApp>, Sender<DiscoveryEvent>) {
    let dir = scratch(name);
    let (tx, rx) = crossbeam_channel::unbounded();
    let options = AppOptions {
        discovery: DiscoveryMode::Injected(rx),
        reconnect,
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.state_mut().form_mut().role = Role::Client;
    h.run();
    (h, tx)
}

#[test]
fn the_list_fills_from_discovery_events_and_a_click_connects() {
    let (addr, conns) = listener();
    let (mut h, tx) = client_harness("disc-ui-list", false);
    h.get_by_label("Servers on this network");
    h.get_by_label("Looking for servers…");
    h.get_by_label_contains("The Python reference servers do not announce themselves");

    let elsewhere: SocketAddr = "10.9.8.7:8888".parse().expect("addr");
    tx.send(found("王老师的服务器", addr, false)).expect("send");
    tx.send(found("Busy one", elsewhere, true)).expect("send");
    wait_for_label(&mut h, "王老师的服务器");
    h.get_by_label_contains(&format!("王老师的服务器   {addr}   GBK   free"));
    h.get_by_label_contains("Busy one   10.9.8.7:8888   GBK   busy (3 conversations)");
    assert_eq!(h.state().discovered().servers().len(), 2);

    // A server that goes away leaves the list.
    tx.send(DiscoveryEvent::Gone {
        key: "Busy one._turnchat._tcp.local.".into(),
    })
    .expect("send");
    h.run_steps(2);
    assert!(h.query_by_label_contains("Busy one").is_none());

    // One click connects, typing nothing.
    h.get_by_label_contains("王老师的服务器").click();
    h.run_steps(2);
    let _server_side = conns.recv_timeout(WAIT).expect("the click connected");
    wait_until(&mut h, "connected", |a| {
        matches!(a.view_state().status, RoleStatus::Connected { .. })
    });
    let form = h.state_mut().form_mut().clone();
    assert_eq!(form.client_host, "127.0.0.1");
    assert_eq!(form.client_port, addr.port().to_string());
    // The list is for the idle form only.
    assert!(h.query_by_label("Servers on this network").is_none());
}

#[test]
fn enter_on_a_focused_row_connects() {
    let (addr, conns) = listener();
    let (mut h, tx) = client_harness("disc-ui-enter", false);
    tx.send(found("Row", addr, false)).expect("send");
    wait_for_label(&mut h, "Row   ");
    h.get_by_label_contains("Row   ").focus();
    h.run();
    h.key_press(eframe::egui::Key::Enter);
    h.run_steps(2);
    conns.recv_timeout(WAIT).expect("Enter connected");
}

/// Waits until the app's client has connected `n` times in all.
fn sessions(h: &mut Harness<'static, TurnChatApp>, n: usize) {
    wait_until(h, &format!("{n} conversations"), |a| {
        a.view_state().sessions.len() == n
    });
}

#[test]
fn reconnect_after_a_drop_never_after_a_bye_and_cancel_stops_it() {
    let (addr, conns) = listener();
    let (mut h, _tx) = client_harness("disc-ui-reconnect", true);
    assert!(
        h.state_mut().form_mut().reconnect,
        "--reconnect turns it on"
    );
    h.state_mut().form_mut().client_port = addr.port().to_string();
    h.run();
    h.get_by_label("Connect").click();
    h.run_steps(2);
    let first = conns.recv_timeout(WAIT).expect("first connection");
    sessions(&mut h, 1);

    // The server drops the connection without a bye: the client says it will try again,
    // and does, as a new conversation.
    drop(first);
    wait_for_label(&mut h, "Trying again in");
    h.get_by_label_contains(&format!("Connection to 127.0.0.1:{} lost", addr.port()));
    let second = conns.recv_timeout(WAIT).expect("reconnected");
    sessions(&mut h, 2);

    // The server says bye: no retry.
    use std::io::Write;
    (&second).write_all(b"bye").expect("say bye");
    wait_until(&mut h, "the bye", |a| {
        a.view_state().sessions.values().any(|s| {
            matches!(
                s.ended,
                Some(turnchat::core::notice::EndReason::PeerSaidBye)
            )
        })
    });
    h.run_steps(2);
    assert!(h.query_by_label_contains("Trying again in").is_none());
    // The first retry would come within 1.2 s.
    assert!(
        conns.recv_timeout(Duration::from_millis(2500)).is_err(),
        "a bye was followed by a reconnect"
    );
    drop(second);

    // Connect again, drop again, and Cancel during the wait: no more tries.
    wait_until(&mut h, "the form", |a| {
        a.view_state().status == RoleStatus::Idle
    });
    h.get_by_label("Connect").click();
    h.run_steps(2);
    let third = conns.recv_timeout(WAIT).expect("third connection");
    sessions(&mut h, 3);
    drop(third);
    wait_for_label(&mut h, "Trying again in");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    assert!(
        conns.recv_timeout(Duration::from_millis(2500)).is_err(),
        "Cancel did not stop the retries"
    );

    // Esc stops them too.
    h.get_by_label("Connect").click();
    h.run_steps(2);
    let fourth = conns.recv_timeout(WAIT).expect("fourth connection");
    sessions(&mut h, 4);
    drop(fourth);
    wait_for_label(&mut h, "Trying again in");
    h.key_press(eframe::egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    assert!(
        conns.recv_timeout(Duration::from_millis(2500)).is_err(),
        "Esc did not stop the retries"
    );
}

#[test]
fn a_discovery_problem_is_one_quiet_line() {
    let (mut h, tx) = client_harness("disc-ui-problem", false);
    tx.send(DiscoveryEvent::Problem(
        turnchat::core::discovery::DiscoveryProblem::NoMulticastInterface,
    ))
    .expect("send");
    wait_for_label(&mut h, "Servers on the network cannot be found");
    // The form still works: typing an address is the way on.
    h.get_by_label("Connect");
}

#[test]
fn the_list_and_the_server_fields_in_chinese_have_every_glyph() {
    use turnchat::core::discovery::{DiscoveryProblem, LiveList};
    use turnchat::core::lang::Lang;
    use turnchat::core::settings::Settings;
    use turnchat::net::lan::AnnounceState;
    use turnchat::ui::discovered;
    let mut list = LiveList::default();
    let now = std::time::Instant::now();
    let addr: SocketAddr = "10.0.0.2:8888".parse().expect("addr");
    list.apply(found("王老师", addr, true), now);
    let mut settings = Settings::default();
    let mut empty = LiveList::default();
    empty.apply(
        DiscoveryEvent::Problem(DiscoveryProblem::CannotStart {
            detail: "os error 98".into(),
        }),
        now,
    );
    let mut h = Harness::builder()
        .with_size(eframe::egui::vec2(900.0, 500.0))
        .with_context_setup(turnchat::ui::fonts::install)
        .build_ui(|ui| {
            discovered::server_fields(ui, &mut settings, "李 on PC-12", Lang::ZhCn);
            discovered::client_fields(ui, &mut settings, Lang::ZhCn);
            discovered::server_list(ui, &list, Lang::ZhCn);
            ui.push_id("second", |ui| {
                discovered::server_list(ui, &empty, Lang::ZhCn)
            });
            discovered::announce_line(ui, &AnnounceState::As("王老师".into()), Lang::ZhCn);
            discovered::announce_line(ui, &AnnounceState::Loopback, Lang::ZhCn);
        });
    h.run();
    h.get_by_label("在本网络上公布");
    assert_eq!(h.get_all_by_label("本网络上的服务器").count(), 2);
    h.get_by_label_contains("忙（3 个对话）");
    h.get_by_label_contains("UDP 端口 5353");
    h.get_by_label_contains("已在本网络上公布为“王老师”");
    h.get_by_label("自动重连");
}

#[test]
fn the_client_form_has_the_name_it_tells_a_turnchat_server() {
    let (mut h, _tx) = client_harness("disc-ui-client-name", false);
    h.get_by_label("Name").click();
    h.run_steps(2);
    h.get_by_label("Name").type_text("李雷");
    h.run_steps(2);
    assert_eq!(h.state_mut().form_mut().server_name, "李雷");
    // Said only while announcing is on: without it the field is not offered.
    h.state_mut().form_mut().announce = false;
    h.run_steps(2);
    assert!(h.query_by_label("Name").is_none());
}
