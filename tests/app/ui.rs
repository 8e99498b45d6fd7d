//! UI tests with egui_kittest: the real app, real loopback sockets, a Python reference
//! peer on the other end. Widgets are found by their accessible labels, as a screen
//! reader would; kittest also fails on unnamed inputs and on missing glyphs.

use std::time::Instant;

use crate::common::harness::{harness, harness_with, start_server, wait_until};
use crate::common::peers::{Peer, ref_client, ref_server};
use crate::common::process::run_ignored_through;
use crate::common::raw::BlackHole;
use crate::common::scratch;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::turn::Role;
use turnchat::core::turn::Turn;
use turnchat::state::RoleStatus;

fn current_turn(app: &TurnChatApp) -> Option<Turn> {
    app.state()
        .current()
        .filter(|s| s.is_live())
        .map(|s| s.turn)
}

#[test]
fn server_flow_start_chat_in_chinese_with_enter_and_say_bye() {
    let dir = scratch("ui-server");
    let mut h = harness(&dir);
    h.run();
    // The form a new user sees, with the reference defaults filled in.
    assert_eq!(h.get_by_label("Port").value().as_deref(), Some("8888"));
    assert_eq!(
        h.get_by_label("Welcome").value().as_deref(),
        Some("欢迎您的使用")
    );
    let local = start_server(&mut h);
    h.get_by_label_contains("Waiting for a client on port");
    assert!(
        h.get_by_label("Send").accesskit_node().is_disabled(),
        "nobody to send to yet"
    );

    let client = ref_client(&dir, local.port(), &["你好服务端", "第二句"], "ui");
    wait_until(&mut h, "the client's first message", |a| {
        a.state().current().is_some_and(|s| {
            s.transcript
                .entries()
                .iter()
                .any(|e| e.text == "你好服务端")
        })
    });
    assert_eq!(current_turn(h.state()), Some(Turn::Mine));
    h.get_by_label_contains("Your turn — reply to 127.0.0.1:");
    // The composer has the focus when our turn begins: typing goes straight in.
    assert!(
        h.get_by_label("Message").is_focused(),
        "composer focused at the start of our turn"
    );
    h.get_by_label("Message").type_text("你好，客户端");
    h.run();
    h.get_by_label_contains("12 / 1024 bytes");
    assert!(!h.get_by_label("Send").accesskit_node().is_disabled());
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().draft(), "", "Enter sent the message");
    wait_until(&mut h, "the client's second message", |a| {
        a.state()
            .current()
            .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == "第二句"))
    });
    // While waiting, the user can type ahead but not send.
    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text("最后一句");
    h.run();
    h.get_by_label("bye").click();
    wait_until(&mut h, "the session to end", |a| {
        a.state().current().is_some_and(|s| !s.is_live())
    });
    h.get_by_label_contains("You said bye.");
    // Still listening for the next client; the draft was kept.
    assert!(matches!(
        h.state().view_state().status,
        RoleStatus::Listening { .. }
    ));
    assert_eq!(h.state().draft(), "最后一句");

    let (code, log) = client.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(
        Peer::texts(&log, "recv"),
        ["欢迎您的使用", "你好，客户端", "bye"]
    );

    h.get_by_label("Stop Server").click();
    h.run_steps(3);
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
}

#[test]
fn client_flow_waits_for_the_welcome_then_shift_enter_makes_a_new_line() {
    let dir = scratch("ui-client");
    let (server, port) = ref_server(&dir, "欢迎您的使用", &[&["收到两行"]]);
    let mut h = harness(&dir);
    h.run();
    h.get_by_label("Client").click();
    h.run_steps(3);
    h.state_mut().form_mut().client_host = "127.0.0.1".into();
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    wait_until(&mut h, "the welcome", |a| {
        a.state().current().is_some_and(|s| {
            s.transcript
                .entries()
                .iter()
                .any(|e| e.text == "欢迎您的使用")
        })
    });
    assert_eq!(current_turn(h.state()), Some(Turn::Mine));
    let message = h.get_by_label("Message");
    message.type_text("第一行");
    h.run();
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Enter);
    h.run();
    h.get_by_label("Message").type_text("第二行");
    h.run();
    assert_eq!(
        h.state().draft(),
        "第一行\n第二行",
        "Shift+Enter inserted a newline and did not send"
    );
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        a.state()
            .current()
            .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == "收到两行"))
    });
    // One more turn; then the server's operator has nothing left and says bye.
    h.get_by_label("Message").type_text("好的");
    h.run();
    h.key_press(egui::Key::Enter);
    // The client returns to its form.
    wait_until(&mut h, "the end", |a| a.state().status == RoleStatus::Idle);
    h.get_by_label_contains("The other side said bye.");
    h.get_by_label("Connect");
    let (code, log) = server.finish();
    assert_eq!(code, 0);
    assert_eq!(Peer::texts(&log, "recv"), ["第一行\n第二行", "好的"]);
}

#[test]
fn enter_that_confirms_an_ime_composition_does_not_send() {
    let dir = scratch("ui-ime");
    let (server, port) = ref_server(&dir, "欢迎您的使用", &[&[]]);
    // Real frame timing (60 fps): an IME's commit and its Enter come one frame apart.
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder().with_step_dt(1.0 / 60.0),
        AppOptions::default(),
    );
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    wait_until(&mut h, "our turn", |a| current_turn(a) == Some(Turn::Mine));
    h.run();
    assert!(h.get_by_label("Message").is_focused());
    // Pinyin being composed: the preedit is in the box, Enter must not send it.
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "nihao".into(),
        active_range_chars: None,
    }));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().draft(),
        "nihao",
        "Enter during a composition does not send"
    );
    // The IME confirms: the commit and its Enter arrive together.
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("你好".into())));
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().draft(),
        "你好",
        "the confirming Enter only confirmed"
    );
    assert_eq!(
        h.state().view_state().current().map(|s| s.pending_sends()),
        Some(0)
    );
    // A deliberate Enter a moment later sends.
    h.run_steps(10);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().draft(), "");
    wait_until(&mut h, "the end", |a| a.state().status == RoleStatus::Idle);
    let (_, log) = server.finish();
    assert_eq!(Peer::texts(&log, "recv"), ["你好"]);
}

#[test]
fn unsendable_characters_are_named_and_send_is_disabled() {
    let dir = scratch("ui-guard");
    let (server, port) = ref_server(&dir, "欢迎您的使用", &[&[]]);
    let mut h = harness(&dir);
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    wait_until(&mut h, "our turn", |a| current_turn(a) == Some(Turn::Mine));
    h.run();
    h.get_by_label("Message").type_text("五欧元€");
    h.run();
    assert!(h.get_by_label("Send").accesskit_node().is_disabled());
    h.get_by_label_contains("“€” (U+20AC)");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().draft(), "五欧元€", "nothing was sent or lost");
    h.get_by_label("bye").click();
    wait_until(&mut h, "the end", |a| a.state().status == RoleStatus::Idle);
    let (_, log) = server.finish();
    assert_eq!(Peer::texts(&log, "recv"), ["bye"]);
}

#[test]
fn bad_fields_are_marked_before_anything_is_tried() {
    let dir = scratch("ui-fields");
    let mut h = harness(&dir);
    h.state_mut().form_mut().server_port = "99999".into();
    h.run();
    h.get_by_label_contains("“99999” is not a port.");
    assert!(
        h.get_by_label("Start Server")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_refused_connection_reads_as_a_sentence() {
    let dir = scratch("ui-refused");
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut h = harness(&dir);
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    wait_until(&mut h, "an error", |a| a.state().error.is_some());
    h.get_by_label_contains(&format!("Nothing is listening on 127.0.0.1:{port}."));
    h.get_by_label("Connect");
}

#[test]
fn a_port_in_use_reads_as_a_sentence() {
    let dir = scratch("ui-in-use");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut h = harness(&dir);
    h.state_mut().form_mut().server_host = "127.0.0.1".into();
    h.state_mut().form_mut().server_port = port.to_string();
    h.run();
    h.get_by_label("Start Server").click();
    wait_until(&mut h, "an error", |a| a.view_state().error.is_some());
    h.get_by_label(&format!(
        "Another program is already using 127.0.0.1:{port}. Close it, or choose another port."
    ));
    h.get_by_label("Start Server");
}

#[test]
fn escape_cancels_a_connect_that_hangs() {
    let dir = scratch("ui-cancel");
    let hole = BlackHole::open();
    let addr = hole.addr;
    let mut h = harness(&dir);
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = addr.port().to_string();
    h.run();
    // From the click: the connect starts with it, and would run until the timeout if
    // Esc did not abort it.
    let clicked = Instant::now();
    h.get_by_label("Connect").click();
    h.run_steps(3);
    assert!(matches!(
        h.state().view_state().status,
        RoleStatus::Connecting { .. }
    ));
    h.get_by_label("Cancel");
    h.get_by_label_contains(&format!("Connecting to 127.0.0.1:{}", addr.port()));
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    h.get_by_label("Connect");
    assert!(
        h.state().view_state().error.is_none(),
        "cancelling is not an error"
    );
    // Dropping the app joins the connector thread: the cancelled connect was aborted, not
    // left to time out. Half the timeout is many times what this takes (a few frames and
    // a join); a connect left to time out takes all of it.
    drop(h);
    let took = clicked.elapsed();
    eprintln!("Esc: from the click to the connector joined in {took:?}");
    assert!(
        took < turnchat::net::CONNECT_TIMEOUT / 2,
        "from the click to the connector joined: {took:?} (the timeout is {:?})",
        turnchat::net::CONNECT_TIMEOUT
    );
    drop(hole);
}

/// Two made-up interfaces (the two ends of a veth pair, 10.213.1.1 and 10.213.2.1) in the
/// namespace the test runs in, then the command that follows.
const TWO_ADDRESSES: &str = "ip link add tc0 type veth peer name tc1 \
    && ip addr add 10.213.1.1/24 dev tc0 && ip addr add 10.213.2.1/24 dev tc1 \
    && ip link set tc0 up && ip link set tc1 up && exec \"$@\"";

#[test]
fn listening_on_every_address_lists_them_with_a_copy_button() {
    // Listening on every address would open a port on this machine's real interfaces: the
    // test runs in a network namespace of its own, with two made-up ones instead.
    run_ignored_through(
        &["unshare", "--net", "sh", "-c", TWO_ADDRESSES, "sh"],
        module_path!(),
        "the_addresses_to_type_and_their_copy_button_in_a_namespace",
    );
}

/// Runs inside the namespace of `listening_on_every_address_lists_them_with_a_copy_button`.
#[test]
#[ignore = "run by listening_on_every_address_lists_them_with_a_copy_button, in a namespace"]
fn the_addresses_to_type_and_their_copy_button_in_a_namespace() {
    let dir = scratch("ui-copy");
    let mut h = harness(&dir);
    h.state_mut().form_mut().server_host = "0.0.0.0".into();
    h.state_mut().form_mut().server_port = "0".into();
    h.run();
    h.get_by_label("Start Server").click();
    wait_until(&mut h, "listening", |a| {
        matches!(a.state().status, RoleStatus::Listening { .. })
    });
    let RoleStatus::Listening { local, .. } = h.state().view_state().status else {
        unreachable!()
    };
    let port = local.port();
    // The addresses the other computer can type, on one line.
    h.get_by_label(&format!("10.213.1.1:{port} · 10.213.2.1:{port}"));
    h.get_by_label("Copy").click();
    let mut copied = Vec::new();
    for _ in 0..3 {
        h.step();
        copied.extend(
            h.output()
                .platform_output
                .commands
                .iter()
                .filter_map(|c| match c {
                    egui::OutputCommand::CopyText(text) => Some(text.clone()),
                    _ => None,
                }),
        );
    }
    assert_eq!(
        copied,
        [format!("10.213.1.1:{port}\n10.213.2.1:{port}")],
        "one address a line on the clipboard"
    );
}
