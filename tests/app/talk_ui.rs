//! The window's free talk, line endings, hex, counters, recall and presets, with
//! egui_kittest: the real app on real loopback sockets, a raw client on the other end
//! (it writes and reads exact bytes, as netcat or a device would).

use crate::common::harness::{harness_with, start_server, wait_for_label, wait_until};
use crate::common::raw::RawClient;
use crate::common::scratch;
use crate::common::wire::gbk;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::framing::LineEnding;

/// A server started from the form with free talk and LF (as `--free-talk --line-ending
/// lf` sets them), and a raw client connected to it that has read the welcome line.
fn free_server(name: &str) -> (Harness<'static, TurnChatApp>, RawClient) {
    let dir = scratch(name);
    let options = AppOptions {
        free_talk: true,
        line_ending: Some(LineEnding::Lf),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    // The form shows what the flags chose.
    assert!(h.state_mut().form_mut().server_free_talk);
    h.get_by_label("Free talk");
    assert_eq!(
        h.get_by_label("Line ending").value().as_deref(),
        Some("LF (\\n)")
    );
    let local = start_server(&mut h);
    let mut client = RawClient::connect(local);
    assert_eq!(client.read_until(b"\n"), gbk("欢迎您的使用\n"));
    wait_until(&mut h, "the conversation", |a| {
        a.state().current().is_some_and(|s| s.is_live())
    });
    (h, client)
}

fn type_and_enter(h: &mut Harness<'static, TurnChatApp>, text: &str) {
    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text(text);
    h.run();
    h.key_press(Key::Enter);
    h.run_steps(3);
}

/// Empties the message box as a person would: select all, delete.
fn clear_box(h: &mut Harness<'static, TurnChatApp>) {
    h.get_by_label("Message").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Backspace);
    h.run_steps(2);
    assert_eq!(h.state().draft(), "");
}

fn sent_count(app: &TurnChatApp) -> u64 {
    app.state()
        .current()
        .map_or(0, |s| s.counters.sent_messages)
}

#[test]
fn free_talk_sends_twice_in_a_row_splits_lines_counts_and_recalls() {
    let (mut h, mut client) = free_server("talk-ui-free");
    // The turn line says plainly that turns are off.
    h.get_by_label_contains("Turns are off");

    // Two messages in a row, no reply in between: each goes out with its line ending.
    type_and_enter(&mut h, "one");
    wait_until(&mut h, "one sent", |a| sent_count(a) == 2);
    type_and_enter(&mut h, "二");
    wait_until(&mut h, "二 sent", |a| sent_count(a) == 3);
    assert_eq!(client.read_until(b"\n"), b"one\n");
    assert_eq!(client.read_until(b"\n"), gbk("二\n"));

    // Two lines in one write are two messages.
    client.say("hi\nthere 你好\n");
    wait_for_label(&mut h, "there 你好");
    let s = h.state().view_state().current().expect("a conversation");
    let peer: Vec<&str> = s
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from == turnchat::core::transcript::Speaker::Peer)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(peer, ["hi", "there 你好"]);
    // Counters: the welcome line (13 B), one\n (4 B), 二\n (3 B); hi\n and there 你好\n.
    h.get_by_label("Sent 3 (20 B) · Received 2 (14 B)");

    // Up / Down in the empty box recall what was sent, newest first.
    h.get_by_label("Message").focus();
    h.run();
    for (key, expect) in [
        (Key::ArrowUp, "二"),
        (Key::ArrowUp, "one"),
        (Key::ArrowUp, "欢迎您的使用"),
        (Key::ArrowUp, "欢迎您的使用"),
        (Key::ArrowDown, "one"),
        (Key::ArrowDown, "二"),
        (Key::ArrowDown, ""),
    ] {
        h.key_press(key);
        h.run_steps(2);
        assert_eq!(h.state().draft(), expect, "after {key:?}");
    }
    // Recalled text is sent like typed text.
    h.key_press(Key::ArrowUp);
    h.run_steps(2);
    h.key_press(Key::Enter);
    wait_until(&mut h, "the recalled message sent", |a| sent_count(a) == 4);
    assert_eq!(client.read_until(b"\n"), gbk("二\n"));

    // bye followed by the line ending ends it.
    client.say("bye\n");
    wait_until(&mut h, "the end", |a| {
        a.state().current().is_some_and(|s| !s.is_live())
    });
}

#[test]
fn hex_view_per_message_and_for_all_and_hex_mode_sends_exact_bytes() {
    let (mut h, mut client) = free_server("talk-ui-hex");
    client.say("hi\n");
    wait_until(&mut h, "the peer's line", |a| {
        a.state()
            .current()
            .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == "hi"))
    });
    h.run_steps(2);

    // One message's own toggle: the welcome's exact bytes, line ending included.
    let welcome_hex = "bb b6 d3 ad c4 fa b5 c4 ca b9 d3 c3 0a";
    assert!(h.query_by_label(welcome_hex).is_none());
    h.get_all_by_label("hex")
        .next()
        .expect("a hex toggle")
        .click();
    h.run_steps(3);
    h.get_by_label(welcome_hex);
    assert!(h.query_by_label("68 69 0a").is_none(), "only that message");

    // The global toggle shows every message's bytes; the welcome's own toggle now hides it.
    h.get_by_label("Show bytes").click();
    h.run_steps(3);
    h.get_by_label("68 69 0a");
    assert!(h.query_by_label(welcome_hex).is_none());
    assert!(
        h.state_mut().form_mut().show_hex,
        "remembered in the settings"
    );
    h.get_by_label("Show bytes").click();
    h.run_steps(3);

    // Hex mode: bad input is a sentence with the position, and nothing can be sent.
    h.get_by_label("Hex").click();
    h.run();
    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text("c4 e3 b");
    h.run_steps(2);
    h.get_by_label_contains("1 hex digits from position 7: an odd number");
    assert!(h.get_by_label("Send").accesskit_node().is_disabled());
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().draft(), "c4 e3 b", "nothing was sent");
    clear_box(&mut h);
    h.get_by_label("Message").type_text("\\xc4\\xe3 zz");
    h.run_steps(2);
    h.get_by_label_contains("“z” at position 10 is not a hex digit");

    // Good hex goes out exactly as typed: no line ending added.
    clear_box(&mut h);
    h.get_by_label("Message").type_text("c4e3 BAC3 0x21");
    h.run_steps(2);
    h.get_by_label_contains("5 bytes, sent exactly as typed");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the bytes sent", |a| sent_count(a) == 2);
    assert_eq!(client.read_n(5), [0xc4, 0xe3, 0xba, 0xc3, 0x21]);
    let s = h.state().view_state().current().expect("a conversation");
    let last = s.transcript.entries().last().expect("an entry");
    assert_eq!(last.bytes, [0xc4, 0xe3, 0xba, 0xc3, 0x21]);
    assert_eq!(last.text, "你好!");
    // In hex mode, Up recalls the bytes in hex.
    h.key_press(Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(h.state().draft(), "c4 e3 ba c3 21");
}

#[test]
fn presets_are_edited_in_their_panel_remembered_and_sent_with_ctrl_digits() {
    let (mut h, mut client) = free_server("talk-ui-presets");
    // Nothing set yet: the key says so and sends nothing.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    h.get_by_label_contains("Nothing is set for Ctrl+2");

    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label("Ctrl+1").focus();
    h.run();
    h.get_by_label("Ctrl+1").type_text("收到，谢谢");
    h.run();
    h.get_by_label("Ctrl+3").focus();
    h.run();
    h.get_by_label("Ctrl+3").type_text("ok");
    h.run_steps(2);
    assert_eq!(
        h.state_mut().form_mut().presets,
        ["收到，谢谢", "", "ok"],
        "kept in the settings, up to the last one set"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    wait_until(&mut h, "the preset sent", |a| sent_count(a) == 2);
    assert_eq!(client.read_until(b"\n"), gbk("收到，谢谢\n"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    wait_until(&mut h, "the third preset sent", |a| sent_count(a) == 3);
    assert_eq!(client.read_until(b"\n"), b"ok\n");
    assert_eq!(h.state().draft(), "", "the draft was not touched");
    // Alt+1 still switches conversations, and sends nothing.
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(2);
    assert_eq!(sent_count(h.state()), 3);
}

#[test]
fn the_form_sets_free_talk_and_the_line_ending_for_each_role_on_its_own() {
    let dir = scratch("talk-ui-form");
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    );
    h.run();
    // The defaults are the reference's.
    assert_eq!(
        h.get_by_label("Line ending").value().as_deref(),
        Some("None")
    );
    h.get_by_label("Client").click();
    h.run_steps(2);
    h.get_by_label("Free talk").click();
    h.run();
    h.get_by_label("Line ending").click();
    h.run_steps(2);
    h.get_by_label("CRLF (\\r\\n)").click();
    h.run_steps(2);
    let s = h.state_mut().form_mut().clone();
    assert!(s.client_free_talk && !s.server_free_talk);
    assert_eq!(
        (s.client_line_ending, s.server_line_ending),
        (LineEnding::Crlf, LineEnding::None)
    );
    // Back on the server's form, its own (default) choices show.
    h.get_by_label("Server").click();
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Line ending").value().as_deref(),
        Some("None")
    );
}
