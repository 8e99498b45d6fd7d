//! The server's door in the window (issue 22), in both languages: the refused sentence
//! after a computer passes its share, End all silent, and Block under Bye with Clear
//! blocks. Real loopback clients from 127.0.0.2 …; every wait is bounded.

use std::io::{ErrorKind, Read};

use crate::common::harness::{harness_with, start_server_labelled, wait_for_label, wait_until};
use crate::common::raw::RawClient as Client;
use crate::common::scratch;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::{Lang, Say};
use turnchat::words::Label;
use turnchat::words::door::DoorWords;

/// Whether the server closed `c` before any welcome.
fn closed_unwelcomed(c: &mut Client) -> bool {
    let mut byte = [0u8; 1];
    match c.stream.read(&mut byte) {
        Ok(0) => true,
        Err(e) if e.kind() == ErrorKind::ConnectionReset => true,
        other => panic!("{}: expected a close, got {other:?}", c.local),
    }
}

#[test]
fn refusals_end_all_silent_and_block_read_as_sentences_in_both_languages() {
    for lang in [Lang::En, Lang::ZhCn] {
        let dir = scratch(&format!("app-door-{lang:?}"));
        let options = AppOptions {
            lang: Some(lang),
            ..AppOptions::default()
        };
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
        h.set_size(eframe::egui::vec2(1100.0, 760.0));
        h.run();
        let server = start_server_labelled(&mut h, Label::StartServer.get(lang));
        // A student who speaks, first in the list; then eight silent connections from one
        // computer, and one more that is refused.
        let mut student = Client::connect_from(1, server);
        student.welcomed();
        student.say("老师好");
        let peer = student.local;
        wait_until(&mut h, "the student's row", |a| {
            a.state().sessions.values().any(|s| s.peer == peer)
        });
        let mut silent: Vec<Client> = (0..8)
            .map(|_| {
                let mut c = Client::connect_from(0, server);
                c.welcomed();
                c
            })
            .collect();
        let mut ninth = Client::connect_from(0, server);
        assert!(closed_unwelcomed(&mut ninth));
        let refused = match lang {
            Lang::En => "1 refused from 127.0.0.2: at most 8 from one computer",
            Lang::ZhCn => "已拒绝来自 127.0.0.2 的 1 个连接：每台电脑最多 8 个",
        };
        wait_for_label(&mut h, refused);
        wait_until(&mut h, "nine conversations, one of them spoken", |a| {
            a.state().sessions.len() == 9
                && a.state()
                    .sessions
                    .values()
                    .any(|s| s.counters.received_bytes > 0)
        });
        h.run_steps(2);
        let end_all = DoorWords::EndAllSilent { n: 8 }.say(lang);
        h.get_by_label(&end_all).click();
        h.run_steps(2);
        for c in &mut silent {
            // Each hears bye (the server's turn was over, so the close comes alone or
            // after the bye's bytes) and then the end of the stream.
            let mut rest = Vec::new();
            let _ = c.stream.read_to_end(&mut rest);
        }
        wait_until(&mut h, "the eight silent ones ended", |a| {
            a.state().sessions.values().filter(|s| !s.is_live()).count() == 8
        });
        h.run_steps(2);
        let none_silent = DoorWords::EndAllSilent { n: 0 }.say(lang);
        assert!(
            h.query_by_label(&none_silent).is_some(),
            "{lang:?}: nothing silent left"
        );
        // The student's conversation is shown: Block ends it and keeps the computer out.
        h.get_by_label(&student.local.to_string()).click();
        h.run_steps(2);
        wait_until(&mut h, "the student's conversation shown", |a| {
            a.state().current().is_some_and(|s| s.peer == peer)
        });
        h.get_by_label(&DoorWords::EndAndBlock.say(lang)).click();
        h.run_steps(2);
        let blocked = DoorWords::Blocked {
            addresses: vec!["127.0.0.3".parse().expect("an address")],
        }
        .say(lang);
        wait_for_label(&mut h, &blocked);
        let mut again = Client::connect_from(1, server);
        assert!(
            closed_unwelcomed(&mut again),
            "{lang:?}: a blocked computer"
        );
        h.get_by_label(&DoorWords::ClearBlocks.say(lang)).click();
        h.run_steps(2);
        wait_until(&mut h, "no block", |a| a.state().door.blocked.is_empty());
        let mut back = Client::connect_from(1, server);
        back.welcomed();
    }
}
