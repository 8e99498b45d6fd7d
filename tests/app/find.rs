//! Find in the window (issue 25), with egui_kittest: the real app serving a raw loopback
//! client that says many lines. Ctrl+F opens the bar with the keyboard in its query box;
//! the hits are marked and the current one is in view; Enter, Shift+Enter, F3 and Shift+F3
//! step; the count line reads "3 of 17" (or no match) in both languages; Esc closes the
//! bar, gives the message box the keyboard and the view its place back.

use crate::common::harness::{harness_with, start_server_labelled, wait_for_label, wait_until};
use crate::common::raw::RawClient;
use crate::common::scratch;
use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::framing::LineEnding;
use turnchat::core::lang::Lang;
use turnchat::words::Label;

/// Lines the client says: sixty, of which three (5, 30, 55) hold "apple".
fn lines() -> String {
    (0..60)
        .map(|i| {
            if i % 25 == 5 {
                format!("an Apple {i}\n")
            } else {
                format!("line {i}\n")
            }
        })
        .collect()
}

/// The app in `lang` serving one raw client (free talk, one message a line) that has
/// said [`lines`]; the newest line is on screen.
fn talked(name: &str, lang: Lang) -> (Harness<'static, TurnChatApp>, RawClient) {
    let options = AppOptions {
        free_talk: true,
        line_ending: Some(LineEnding::Lf),
        lang: Some(lang),
        ..AppOptions::default()
    };
    let mut h = harness_with(&scratch(name), Harness::<TurnChatApp>::builder(), options);
    h.run();
    let local = start_server_labelled(&mut h, Label::StartServer.get(lang));
    let mut client = RawClient::connect(local);
    client.read_until(b"\n");
    client.say(&lines());
    wait_for_label(&mut h, "line 59");
    (h, client)
}

/// The entry of the current hit, if its message is drawn, and whether it is wholly in
/// the transcript's view.
fn current_mark(h: &Harness<'static, TurnChatApp>) -> Option<(usize, bool)> {
    h.state()
        .transcript_view()
        .marks_drawn()
        .iter()
        .find(|m| m.current)
        .map(|m| (m.entry, m.viewport.contains_rect(m.rect)))
}

/// The entry index of the message with this text.
fn entry_of(h: &Harness<'static, TurnChatApp>, text: &str) -> usize {
    h.state()
        .state()
        .current()
        .and_then(|s| s.transcript.entries().iter().position(|e| e.text == text))
        .expect("the message")
}

fn press(h: &mut Harness<'static, TurnChatApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(4);
}

#[test]
fn ctrl_f_finds_marks_steps_and_esc_gives_back_the_message_box_and_the_place() {
    let (mut h, mut client) = talked("find-steps", Lang::En);
    assert!(
        h.state().transcript_view().end_in_view(),
        "at the newest line"
    );
    h.get_by_label("Message").focus();
    h.run();

    press(&mut h, Modifiers::COMMAND, Key::F);
    assert!(
        h.get_by_label("Find").is_focused(),
        "Ctrl+F: the query box has the keyboard"
    );
    h.get_by_label("Find").type_text("APPLE");
    h.run_steps(4);
    h.get_by_label("1 of 3");
    let (first, second, third) = (
        entry_of(&h, "an Apple 5"),
        entry_of(&h, "an Apple 30"),
        entry_of(&h, "an Apple 55"),
    );
    assert_eq!(
        current_mark(&h),
        Some((first, true)),
        "the first hit is marked as current and scrolled into view"
    );
    assert!(
        !h.state().transcript_view().end_in_view(),
        "the view left the newest line for the hit"
    );

    for (modifiers, key, count, entry) in [
        (Modifiers::NONE, Key::Enter, "2 of 3", second),
        (Modifiers::NONE, Key::Enter, "3 of 3", third),
        (Modifiers::NONE, Key::Enter, "1 of 3", first),
        (Modifiers::SHIFT, Key::Enter, "3 of 3", third),
        (Modifiers::SHIFT, Key::F3, "2 of 3", second),
        (Modifiers::NONE, Key::F3, "3 of 3", third),
    ] {
        press(&mut h, modifiers, key);
        h.get_by_label(count);
        assert_eq!(
            current_mark(&h),
            Some((entry, true)),
            "after {modifiers:?} {key:?}: {count}, in view"
        );
    }
    assert!(
        h.get_by_label("Find").is_focused(),
        "Enter does not take the keyboard from the query box"
    );

    // A new message while the bar is open: counted, and the current hit stays.
    client.say("one more apple\n");
    wait_for_label(&mut h, "3 of 4");
    // Back to the first hit, far from the newest line.
    press(&mut h, Modifiers::NONE, Key::F3);
    press(&mut h, Modifiers::NONE, Key::F3);
    h.get_by_label("1 of 4");
    assert!(!h.state().transcript_view().end_in_view());

    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Find").is_none(), "Esc closed the bar");
    assert!(
        h.get_by_label("Message").is_focused(),
        "the message box has the keyboard again"
    );
    h.run_steps(4);
    assert!(
        h.state().transcript_view().end_in_view(),
        "the view is back at the newest line, where the user was"
    );
    assert!(h.state().transcript_view().marks_drawn().is_empty());

    // Opened again, the query is kept; one that matches nothing says so.
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_label("1 of 4");
    press(&mut h, Modifiers::COMMAND, Key::A);
    h.get_by_label("Find").type_text("pear");
    h.run_steps(4);
    h.get_by_label("No match");
}

#[test]
fn the_count_line_is_in_chinese_too() {
    let (mut h, _client) = talked("find-zh", Lang::ZhCn);
    press(&mut h, Modifiers::COMMAND, Key::F);
    assert!(h.get_by_label("查找").is_focused());
    h.get_by_label("查找").type_text("apple");
    h.run_steps(4);
    h.get_by_label("第 1 个，共 3 个");
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.get_by_label("第 2 个，共 3 个");
    h.get_by_label("下一个");
    h.get_by_label("上一个");
    // Across conversations, the count line says in how many.
    h.get_by_label("所有对话").click();
    h.run_steps(4);
    h.get_by_label("1 个对话中共 3 个结果");
    h.get_by_label("所有对话").click();
    h.run_steps(4);
    h.get_by_label("第 2 个，共 3 个");
    h.get_by_label("查找").focus();
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::A);
    h.get_by_label("查找").type_text("梨");
    h.run_steps(4);
    h.get_by_label("没有找到");
}

#[test]
fn ctrl_shift_f_finds_in_every_conversation_and_a_result_shows_its_message() {
    let mut h = harness_with(
        &scratch("find-all"),
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    );
    h.run();
    let local = start_server_labelled(&mut h, "Start Server");
    let said = [
        "我是1号 apple",
        "我是2号",
        "我是3号：an apple pie, another APPLE",
    ];
    let mut clients = Vec::new();
    for (n, text) in said.iter().enumerate() {
        let mut c = RawClient::connect_from(n, local);
        c.welcomed();
        c.say(text);
        clients.push(c);
        // Connection order is list order: wait for each before the next connects.
        wait_until(&mut h, "the client's message", |a| {
            a.state().sessions.len() == n + 1
                && a.state()
                    .sessions
                    .values()
                    .any(|s| s.transcript.entries().iter().any(|e| e.text == *text))
        });
    }
    let first = h.state().state().current.expect("a conversation on screen");

    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    assert!(h.get_by_label("Find").is_focused());
    h.get_by_label("Find").type_text("apple");
    h.run_steps(4);
    h.get_by_label("3 hits in 2 conversations");
    // Grouped by conversation, each under its address.
    h.get_by_label(&format!("{} · 1 hit", clients[0].local));
    h.get_by_label(&format!("{} · 2 hits", clients[2].local));
    assert!(
        h.query_by_label_contains(&format!("{} · ", clients[1].local))
            .is_none(),
        "the conversation without a hit has no heading"
    );
    assert_eq!(h.state().state().current, Some(first), "nothing moved yet");

    // The second hit of the third conversation: its line, with the words around it (the
    // first line is the first hit's, in the same words).
    let lines: Vec<_> = h
        .query_all(
            By::new()
                .role(Role::Button)
                .label_contains("an apple pie, another APPLE"),
        )
        .collect();
    assert_eq!(lines.len(), 2, "a line a hit");
    lines[1].click();
    h.run_steps(4);
    let third = h
        .state()
        .state()
        .sessions
        .values()
        .find(|s| s.peer == clients[2].local)
        .map(|s| s.id);
    assert_eq!(
        h.state().state().current,
        third,
        "its conversation is shown"
    );
    let entry = entry_of(&h, said[2]);
    assert_eq!(
        current_mark(&h),
        Some((entry, true)),
        "at its message, marked as current"
    );
    assert_eq!(
        h.state().find().count().current,
        Some(2),
        "the hit clicked is the current one"
    );

    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label_contains("hits in").is_none());
}
