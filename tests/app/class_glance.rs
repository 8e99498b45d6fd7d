//! Reading a class at a glance (issue 23) in the real app on loopback: each row shows the
//! start of the last message, cut to the row with "…"; a compact mode fits a class of 30
//! on a 1280×800 window; the list sorts; the rows say who has waited and who is silent.
//! Checked on the widgets' own rectangles, in both languages. Every wait is bounded.

use std::net::SocketAddr;

use crate::common::harness::{harness_with, start_server_labelled, wait_until};
use crate::common::raw::RawClient as Client;
use crate::common::scratch;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::{Lang, Say};
use turnchat::state::glance::PREVIEW_CHARS;
use turnchat::words::Label;

/// The app in `lang` at `size`, serving, with `n` clients (from 127.0.0.2 …) connected
/// in order, each having said `said(i)`.
fn class(
    name: &str,
    lang: Lang,
    size: egui::Vec2,
    options: AppOptions,
    n: usize,
    said: impl Fn(usize) -> String,
) -> (Harness<'static, TurnChatApp>, Vec<Client>) {
    let dir = scratch(name);
    let options = AppOptions {
        lang: Some(lang),
        ..options
    };
    // Short steps, so that two clicks make a double click (egui's limit is 0.3 s).
    let builder = Harness::<TurnChatApp>::builder().with_step_dt(0.05);
    let mut h = harness_with(&dir, builder, options);
    h.set_size(size);
    h.run();
    let server: SocketAddr = start_server_labelled(&mut h, Label::StartServer.get(lang));
    let mut clients = Vec::new();
    for i in 0..n {
        let mut c = Client::connect_from(i, server);
        c.welcomed();
        let text = said(i);
        c.say(&text);
        let peer = c.local;
        wait_until(&mut h, "the student's message", |a| {
            a.state()
                .sessions
                .values()
                .any(|s| s.peer == peer && s.transcript.entries().iter().any(|e| e.text == text))
        });
        clients.push(c);
    }
    h.run_steps(3);
    (h, clients)
}

/// The rectangle of the row preview that shows `text` (previews are named "Last
/// message"; their words are their value).
fn preview(h: &Harness<'static, TurnChatApp>, lang: Lang, text: &str) -> egui::Rect {
    let found: Vec<egui::Rect> = (h.query_all_by_label(Label::LastMessage.get(lang)))
        .filter(|n| n.accesskit_node().value().as_deref() == Some(text))
        .map(|n| n.rect())
        .collect();
    assert_eq!(found.len(), 1, "one preview of {text:?}");
    found[0]
}

/// The rectangle of the widget labelled exactly `label`.
fn rect(h: &Harness<'static, TurnChatApp>, label: &str) -> egui::Rect {
    h.get_by_label(label).rect()
}

#[test]
fn the_preview_is_cut_to_the_row_and_stays_on_one_line() {
    for lang in [Lang::En, Lang::ZhCn] {
        let long = format!("老师，第3题{}", "的答案是不是这样写".repeat(20));
        let said = |i: usize| {
            if i == 0 {
                long.clone()
            } else {
                format!("我是{}号", i + 1)
            }
        };
        let size = egui::vec2(900.0, 640.0);
        let (h, clients) = class("glance-preview", lang, size, AppOptions::default(), 3, said);
        let hide = rect(&h, "←");
        // Its accessible name holds what the row was given: the start, at most so long.
        let start: String = long.chars().take(PREVIEW_CHARS).collect();
        let preview = preview(&h, lang, &start);
        let small = 12.0 * 1.6;
        assert!(
            preview.height() < small,
            "{lang:?}: one line, not wrapped: {preview:?}"
        );
        assert!(
            preview.right() <= hide.right() + 0.5,
            "{lang:?}: the preview {preview:?} ends inside the list (its edge: {hide:?})"
        );
        assert!(preview.width() > 40.0, "{lang:?}: some of it shows");
        let next = rect(&h, &clients[1].local.to_string());
        assert!(
            preview.bottom() <= next.top(),
            "{lang:?}: the preview {preview:?} stays above the next row {next:?}"
        );
        let own = rect(&h, &clients[0].local.to_string());
        assert!(own.bottom() <= preview.top(), "{lang:?}: under its own row");
        // The short ones show whole, in their own rows.
        let second = self::preview(&h, lang, "我是2号");
        assert!(next.bottom() <= second.top());
    }
}

#[test]
fn compact_rows_fit_a_class_of_30_on_a_1280_by_800_window() {
    for lang in [Lang::En, Lang::ZhCn] {
        let size = egui::vec2(1280.0, 800.0);
        let said = |i: usize| format!("老师，我是{}号，第{}题做完了", i + 1, i % 7 + 1);
        let name = "glance-compact";
        let (mut h, clients) = class(name, lang, size, AppOptions::default(), 30, said);
        let rows: Vec<String> = clients.iter().map(|c| c.local.to_string()).collect();
        let visible = |h: &Harness<'static, TurnChatApp>| {
            (rows.iter())
                .filter_map(|r| h.query_by_label(r).map(|n| n.rect()))
                .filter(|r| r.bottom() <= size.y)
                .count()
        };
        let before = visible(&h);
        assert!(before < 30, "{lang:?}: two-line rows show {before} of 30");
        h.get_by_label(Label::CompactList.get(lang)).click();
        h.run_steps(3);
        assert!(h.state_mut().form_mut().compact_list, "the toggle is kept");
        let mut rects: Vec<egui::Rect> = (rows.iter()).map(|r| h.get_by_label(r).rect()).collect();
        rects.sort_by(|a, b| a.top().total_cmp(&b.top()));
        for (i, pair) in rects.windows(2).enumerate() {
            assert!(
                pair[0].bottom() <= pair[1].top() + 0.5,
                "{lang:?}: row {i} {:?} overlaps the next {:?}",
                pair[0],
                pair[1]
            );
        }
        let last = rects[29];
        let footer = h
            .get_by_label_contains(&turnchat::words::Phrase::WaitingForYou { n: 30 }.say(lang))
            .rect();
        assert!(
            last.bottom() <= footer.top(),
            "{lang:?}: all 30 rows are in view without scrolling, above the footer: {last:?} {footer:?}"
        );
        // Each compact row still shows the start of its message.
        let preview = preview(&h, lang, &said(0));
        assert!(
            (preview.center().y - rects[0].center().y).abs() < 4.0,
            "on the row's line"
        );
    }
}

#[test]
fn waiting_longest_puts_the_unanswered_first_and_says_for_how_long() {
    let size = egui::vec2(1280.0, 800.0);
    let said = |i: usize| format!("第{}个问题", i + 1);
    let (mut h, mut clients) = class(
        "glance-sort",
        Lang::En,
        size,
        AppOptions::default(),
        9,
        said,
    );
    let rows: Vec<String> = clients.iter().map(|c| c.local.to_string()).collect();
    let top = |h: &Harness<'static, TurnChatApp>, i: usize| rect(h, &rows[i]).top();
    // Every student waits; none for a minute yet.
    assert_eq!(h.query_all_by_label("<1 min").count(), 9);
    // The first one (on screen) is answered.
    h.get_by_label("Message").focus();
    h.run_steps(2);
    h.get_by_label("Message").type_text("好的");
    h.key_press(egui::Key::Enter);
    let first = clients[0].local;
    wait_until(&mut h, "the answer sent", |a| {
        a.state()
            .sessions
            .values()
            .any(|s| s.peer == first && s.turn == turnchat::core::turn::Turn::Theirs)
    });
    let answer = crate::common::wire::gbk("好的");
    assert_eq!(clients[0].read_n(answer.len()), answer);
    h.run_steps(3);
    assert_eq!(h.query_all_by_label("<1 min").count(), 8);
    assert!(top(&h, 0) < top(&h, 1), "connection order first");
    h.get_by_label("Sort:").click();
    h.run_steps(2);
    h.get_by_label("Waiting longest").click();
    h.run_steps(3);
    for i in 1..8 {
        assert!(top(&h, i) < top(&h, i + 1), "the oldest question on top");
    }
    assert!(
        top(&h, 8) < top(&h, 0),
        "the answered one after those waiting"
    );
    assert_eq!(
        h.state_mut().form_mut().list_order,
        turnchat::core::settings::ListOrder::WaitingLongest,
        "the order is kept"
    );
    h.get_by_label("Sort:").click();
    h.run_steps(2);
    h.get_by_label("Connection order").click();
    h.run_steps(3);
    assert!(top(&h, 0) < top(&h, 1), "back to connection order");
    drop(clients.remove(0));
}

#[test]
fn the_turn_line_says_the_students_name() {
    for lang in [Lang::En, Lang::ZhCn] {
        let dir = scratch("glance-turn-list");
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let list = dir.join("class.csv");
        std::fs::write(&list, "name,IP\nLi Lei,127.0.0.2\n").expect("class list written");
        let options = AppOptions {
            roster: Some(list),
            names_path: Some(dir.join("names.json")),
            ..AppOptions::default()
        };
        let size = egui::vec2(900.0, 640.0);
        let said = |i: usize| format!("我是{}号", i + 1);
        let (mut h, clients) = class("glance-turn-name", lang, size, options, 2, said);
        let named = turnchat::words::glance::ClassWords::YourTurnNamed {
            name: "Li Lei".into(),
        };
        h.get_by_label(&named.say(lang));
        // The other computer has no name: its address, as before.
        h.get_by_label(&clients[1].local.to_string()).click();
        h.run_steps(3);
        let plain = turnchat::words::Phrase::YourTurn {
            peer: clients[1].local,
        };
        h.get_by_label(&plain.say(lang));
        assert!(h.query_by_label(&named.say(lang)).is_none());
    }
}

#[test]
fn a_double_click_on_a_row_names_that_computer() {
    for lang in [Lang::En, Lang::ZhCn] {
        let size = egui::vec2(900.0, 640.0);
        let said = |i: usize| format!("我是{}号", i + 1);
        let (mut h, clients) = class("glance-rename", lang, size, AppOptions::default(), 2, said);
        let second = clients[1].local;
        let label = second.to_string();
        // Two clicks in one frame: a double click.
        h.get_by_label(&label).click();
        h.get_by_label(&label).click();
        h.run_steps(3);
        assert_eq!(
            h.state().state().current().map(|s| s.peer),
            Some(second),
            "{lang:?}: the row is on screen"
        );
        // The keyboard is in the name field: typing names the computer, Enter keeps it.
        let field = h.get_by_label(Label::StudentName.get(lang));
        assert!(
            field.is_focused(),
            "{lang:?}: the name field has the keyboard"
        );
        field.type_text("韩梅梅");
        h.run_steps(2);
        h.key_press(egui::Key::Enter);
        h.run_steps(3);
        let name = h.state().names().resolve(second).map(|n| n.name);
        assert_eq!(name.as_deref(), Some("韩梅梅"), "{lang:?}");
        h.get_by_label_contains(&format!("韩梅梅 · {second}"));
        assert_eq!(h.state().names().resolve(clients[0].local), None);
    }
}
