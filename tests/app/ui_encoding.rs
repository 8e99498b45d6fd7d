//! The encoding in the window (egui_kittest, real loopback, strict Python peers): the
//! form's choice and `--encoding`, the "looks like UTF-8" hint beside a message and its
//! one-click switch that decodes what was received again, and the header's choice.

use crate::common::harness::{harness, harness_with, start_server, wait_for_label, wait_until};
use crate::common::peers::{Peer, ref_client_in, ref_server_in};
use crate::common::scratch;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::codec::WireEncoding;
use turnchat::core::transcript::Speaker;

fn peer_texts(app: &TurnChatApp) -> Vec<String> {
    app.state()
        .current()
        .map(|s| {
            s.transcript
                .entries()
                .iter()
                .filter(|e| e.from == Speaker::Peer)
                .map(|e| e.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn connect(h: &mut Harness<'static, TurnChatApp>, port: u16) {
    h.get_by_label("Client").click();
    h.run_steps(3);
    h.state_mut().form_mut().client_host = "127.0.0.1".into();
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
}

#[test]
fn a_gbk_conversation_receiving_utf8_offers_the_switch_and_one_click_redecodes() {
    let dir = scratch("ui-enc-hint");
    // The second line has an emoji (egui's emoji font draws it) and a character of CJK
    // Extension B that no bundled font has (shown as its code, not as an empty box).
    let (server, port) = ref_server_in(&dir, "utf-8", "好的，欢迎", &[&["第二句 😀 𠀀"]]);
    let mut h = harness(&dir);
    h.run();
    // The form offers the encoding; the default is the reference's.
    h.get_by_label("Encoding");
    assert_eq!(h.state_mut().form_mut().encoding, WireEncoding::Gbk);
    connect(&mut h, port);
    // GBK shows UTF-8 as mojibake; the hint says what it looks like.
    wait_until(&mut h, "the welcome as GBK", |a| {
        peer_texts(a).iter().any(|t| t.starts_with("濂界殑"))
    });
    wait_for_label(&mut h, "This looks like UTF-8, not GBK.");
    h.get_by_label("Switch to UTF-8").click();
    wait_until(&mut h, "the switch", |a| {
        a.state()
            .current()
            .is_some_and(|s| s.encoding == WireEncoding::Utf8)
    });
    assert_eq!(peer_texts(h.state()), ["好的，欢迎"], "decoded again");
    // And the window shows the new text, not the layout it had cached.
    wait_for_label(&mut h, "好的，欢迎");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("This looks like").is_none(),
        "the hint is gone once the conversation reads UTF-8"
    );
    h.get_by_label_contains("Encoding changed from GBK to UTF-8.");
    // What we send now is UTF-8, and the Python side reads it strictly.
    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text("收到");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        peer_texts(a).iter().any(|t| t == "第二句 😀 𠀀")
    });
    wait_for_label(&mut h, "第二句 😀 U+20000");
    h.get_by_label("Message").type_text("好");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the end", |a| {
        a.state().current().is_some_and(|s| !s.is_live())
    });
    let (code, log) = server.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["收到", "好"]);
}

#[test]
fn the_launch_flag_sets_the_encoding_and_the_header_changes_one_conversation() {
    let dir = scratch("ui-enc-flag");
    let (server, port) = ref_server_in(&dir, "gbk", "欢迎您的使用", &[&["收到"]]);
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions {
            encoding: Some(WireEncoding::Utf8),
            ..AppOptions::default()
        },
    );
    h.run();
    assert_eq!(h.state_mut().form_mut().encoding, WireEncoding::Utf8);
    connect(&mut h, port);
    // UTF-8 cannot read the GBK welcome; the hint offers GBK the other way round.
    wait_for_label(&mut h, "This looks like GBK, not UTF-8.");
    // The conversation header's own choice does the same as the hint's button.
    h.get_by_label("Encoding").click();
    h.run();
    h.get_by_label("GBK").click();
    wait_until(&mut h, "GBK", |a| {
        peer_texts(a).iter().any(|t| t == "欢迎您的使用")
    });
    // The form's choice is untouched by one conversation's switch.
    assert_eq!(h.state_mut().form_mut().encoding, WireEncoding::Utf8);
    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text("你好");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        peer_texts(a).iter().any(|t| t == "收到")
    });
    h.get_by_label("bye").click();
    wait_until(&mut h, "the end", |a| {
        a.state().current().is_some_and(|s| !s.is_live())
    });
    let (code, log) = server.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["你好", "bye"]);
}

#[test]
fn the_forms_choice_applies_to_each_new_conversation_of_a_server() {
    let dir = scratch("ui-enc-form");
    let mut h = harness(&dir);
    h.run();
    h.get_by_label("Encoding").click();
    h.run();
    h.get_by_label("UTF-8").click();
    h.run();
    assert_eq!(h.state_mut().form_mut().encoding, WireEncoding::Utf8);
    let local = start_server(&mut h);
    // Two UTF-8 clients, one after the other: each conversation is UTF-8.
    for (i, line) in ["你好 😀", "第二个客户端"].iter().enumerate() {
        let client = ref_client_in(&dir, "utf-8", local.port(), &[line], &format!("c{i}"));
        wait_until(&mut h, "the client's message", |a| {
            a.state().sessions.values().any(|s| {
                s.encoding == WireEncoding::Utf8
                    && s.transcript.entries().iter().any(|e| e.text == *line)
            })
        });
        h.get_by_label("Message").focus();
        h.run();
        h.get_by_label("Message").type_text("收到 👍");
        h.run();
        h.key_press(egui::Key::Enter);
        h.run_steps(3);
        let (code, log) = client.finish();
        assert_eq!(code, 0, "{log:#?}");
        // The welcome and the reply reached the strict UTF-8 client intact.
        assert_eq!(Peer::texts(&log, "recv"), ["欢迎您的使用", "收到 👍"]);
        wait_until(&mut h, "the conversation to end", |a| {
            a.state().current().is_some_and(|s| !s.is_live())
        });
    }
    h.get_by_label("Stop Server").click();
    h.run_steps(3);
}
