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
use egui_kittest::kittest::Queryable;

use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::{Lang, Say};
use turnchat::state::glance::PREVIEW_CHARS;
use turnchat::words::Label;
use turnchat::words::glance::ClassWords;

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
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
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
        let first = ClassWords::LastMessage { text: start }.say(lang);
        let preview = rect(&h, &first);
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
        let second = ClassWords::LastMessage {
            text: "我是2号".into(),
        }
        .say(lang);
        let second = rect(&h, &second);
        assert!(next.bottom() <= second.top());
    }
}
