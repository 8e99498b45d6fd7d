//! The conversation list in the real app (egui_kittest) with real loopback clients:
//! switching keeps each draft, the keyboard's ways between conversations, unread counts
//! and the window title, sending to everyone waiting, and a refused message going back to
//! its own conversation. Widgets are found by their labels; every wait is bounded.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};

use crate::common::harness::{harness_with, start_server, wait_until};
use crate::common::raw::RawClient as Client;
use crate::common::transcript::transcript;
use crate::common::wire::{WELCOME, gbk};
use crate::common::{WAIT, scratch};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

use turnchat::app::{AppOptions, Notifier, TurnChatApp};
use turnchat::core::ids::SessionId;
use turnchat::core::transcript::Speaker;
use turnchat::core::turn::Turn;
use turnchat::state::RoleStatus;

/// Connects client `n` (from a loopback address of its own, as in a classroom) and reads
/// the welcome.
fn join(n: usize, addr: SocketAddr) -> Client {
    let mut c = Client::connect_from(n, addr);
    c.welcomed();
    c
}

/// Starts the server from the form and connects `n` clients, each saying its number.
fn class(dir: &std::path::Path, n: usize) -> (Harness<'static, TurnChatApp>, Vec<Client>) {
    class_with(dir, n, AppOptions::default())
}

/// [`class`], with these options.
fn class_with(
    dir: &std::path::Path,
    n: usize,
    options: AppOptions,
) -> (Harness<'static, TurnChatApp>, Vec<Client>) {
    let mut h = harness_with(dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    let local = start_server(&mut h);
    let mut clients = Vec::new();
    for i in 0..n {
        let mut c = join(i, local);
        c.say(&format!("我是{}号", i + 1));
        clients.push(c);
        // Connection order is list order: wait for each before the next connects.
        let said = format!("我是{}号", i + 1);
        wait_until(&mut h, "the client's message", |a| {
            a.state().sessions.len() == i + 1
                && a.state().sessions.values().any(|s| {
                    s.turn == Turn::Mine && s.transcript.entries().iter().any(|e| e.text == said)
                })
        });
    }
    (h, clients)
}

/// Focuses the message box and types `text` into it.
fn type_in(h: &mut Harness<'static, TurnChatApp>, text: &str) {
    // Steps, not `run`: a long conversation may still be scrolling to its newest message.
    h.get_by_label("Message").focus();
    h.run_steps(2);
    h.get_by_label("Message").type_text(text);
    h.run_steps(2);
}

/// Runs frames until no job of the app is running (bounded).
fn jobs_done(h: &mut Harness<'static, TurnChatApp>) {
    wait_until(h, "every job done", |a| a.jobs_running() == 0);
}

fn session_of(h: &Harness<'static, TurnChatApp>, c: &Client) -> SessionId {
    h.state()
        .state()
        .sessions
        .values()
        .find(|s| s.peer == c.local)
        .map(|s| s.id)
        .expect("a conversation for the client")
}

fn shown(h: &Harness<'static, TurnChatApp>) -> Option<SessionId> {
    h.state().state().current
}

#[test]
fn switching_by_keyboard_keeps_each_draft_and_focuses_the_composer() {
    let dir = scratch("conv-drafts");
    let (mut h, mut clients) = class(&dir, 3);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    assert_eq!(
        shown(&h),
        Some(ids[0]),
        "the first conversation is on screen"
    );
    // Every row is listed with its address.
    for c in &clients {
        h.get_by_label(&c.local.to_string());
    }
    h.get_by_label_contains("3 waiting for you");

    h.get_by_label("Message").focus();
    h.run();
    h.get_by_label("Message").type_text("给一号");
    h.run();
    h.key_press_modifiers(Modifiers::CTRL, Key::Tab);
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[1]), "Ctrl+Tab: the next conversation");
    assert_eq!(h.state().draft(), "", "its own, empty draft");
    assert!(
        h.get_by_label("Message").is_focused(),
        "the composer has the focus"
    );
    h.get_by_label("Message").type_text("给二号");
    h.run();
    // As on X11, Alt+3 also arrives as the text "3", in the same frame: it must not reach
    // the message box (it would be sent to the student).
    h.input_mut().events.push(egui::Event::Key {
        key: Key::Num3,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::ALT,
    });
    h.input_mut().events.push(egui::Event::Text("3".into()));
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[2]), "Alt+3: the third row");
    assert_eq!(h.state().draft(), "", "no digit typed by Alt+3");
    assert!(h.get_by_label("Message").is_focused());
    h.get_by_label("Message").type_text("给三号");
    h.run();
    h.key_press_modifiers(Modifiers::CTRL | Modifiers::SHIFT, Key::Tab);
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[1]), "Ctrl+Shift+Tab: back one");
    assert_eq!(h.state().draft(), "给二号");
    h.key_press_modifiers(Modifiers::CTRL, Key::Tab);
    h.key_press_modifiers(Modifiers::CTRL, Key::Tab);
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[0]), "Ctrl+Tab wraps round");
    assert_eq!(h.state().draft(), "给一号");

    // Enter sends the shown draft to the shown conversation only.
    h.key_press(Key::Enter);
    wait_until(&mut h, "the reply to one", |a| {
        a.state().sessions[&ids[0]].turn == Turn::Theirs
            && a.state().sessions[&ids[0]].pending_sends() == 0
    });
    assert_eq!(clients[0].read_n(gbk("给一号").len()), gbk("给一号"));
    assert_eq!(h.state().state().sessions[&ids[1]].draft.text, "给二号");
    assert_eq!(h.state().state().sessions[&ids[2]].draft.text, "给三号");
    assert_eq!(h.state().state().sessions[&ids[1]].turn, Turn::Mine);
    h.get_by_label_contains("2 waiting for you");

    // A click on a row shows it.
    h.get_by_label(&clients[2].local.to_string()).click();
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[2]));
    assert_eq!(h.state().draft(), "给三号");
    // One says bye on its turn; the other two (whose turn it is not) simply leave.
    clients[0].say("bye");
    clients.truncate(1);
    wait_until(&mut h, "every conversation ended", |a| {
        a.state().sessions.values().all(|s| !s.is_live())
    });
    // Ended conversations stay listed until closed: × (here Ctrl+W) removes the shown one.
    h.key_press_modifiers(Modifiers::COMMAND, Key::W);
    h.run_steps(3);
    assert_eq!(h.state().state().sessions.len(), 2);
    assert!(!h.state().state().sessions.contains_key(&ids[2]));
    h.get_by_label("Stop Server").click();
    h.run_steps(3);
}

#[test]
fn unread_messages_are_counted_per_conversation_and_in_the_title() {
    let dir = scratch("conv-unread");
    let (mut h, mut clients) = class(&dir, 2);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    // The second client's first message arrived while the first conversation was shown.
    assert_eq!(h.state().state().sessions[&ids[1]].unread, 1);
    assert_eq!(h.state().state().sessions[&ids[0]].unread, 0);
    assert_eq!(h.state().title(), "(1) TurnChat");
    // Show the second (Alt+2) and answer it.
    h.key_press_modifiers(Modifiers::ALT, Key::Num2);
    h.run_steps(3);
    assert_eq!(h.state().state().sessions[&ids[1]].unread, 0, "shown: read");
    assert_eq!(h.state().title(), "TurnChat");
    h.get_by_label("Message").type_text("收到");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        a.state().sessions[&ids[1]].turn == Turn::Theirs
    });
    assert_eq!(clients[1].read_n(gbk("收到").len()), gbk("收到"));
    // Back to the first; the second writes twice more.
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(3);
    clients[1].say("还有一件事");
    wait_until(&mut h, "one unread", |a| {
        a.state().sessions[&ids[1]].unread == 1
    });
    assert_eq!(h.state().title(), "(1) TurnChat");
    h.get_by_label(" 1 "); // the unread badge, exactly
    h.get_by_label(&clients[0].local.to_string());
}

#[test]
fn send_to_all_reaches_everyone_waiting_and_a_refusal_returns_to_each_draft() {
    let dir = scratch("conv-all");
    let (mut h, mut clients) = class(&dir, 3);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    // Answer the third first, so only two wait for us.
    h.key_press_modifiers(Modifiers::ALT, Key::Num3);
    h.run_steps(3);
    h.get_by_label("Message").type_text("三号先");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the reply to three", |a| {
        a.state().sessions[&ids[2]].turn == Turn::Theirs
    });
    assert_eq!(clients[2].read_n(gbk("三号先").len()), gbk("三号先"));

    // An announcement to everyone waiting (the two first).
    h.get_by_label("Message").type_text("下课了");
    h.run();
    h.get_by_label("Send to all 2").click();
    wait_until(&mut h, "both replies", |a| {
        ids[..2]
            .iter()
            .all(|id| a.state().sessions[id].turn == Turn::Theirs)
    });
    for c in &mut clients[..2] {
        assert_eq!(c.read_n(gbk("下课了").len()), gbk("下课了"));
    }
    assert_eq!(h.state().draft(), "", "the draft went out");

    // The two answer; an announcement with a character GBK cannot carry is refused by
    // each session's own guard and comes back to each conversation's own draft.
    clients[0].say("好");
    clients[1].say("好的");
    wait_until(&mut h, "two waiting again", |a| {
        a.state().waiting_for_me().len() == 2
    });
    h.key_press_modifiers(Modifiers::ALT, Key::Num3);
    h.run_steps(3);
    h.get_by_label("Message").type_text("价格 5€");
    h.run();
    h.get_by_label("Send to all 2").click();
    wait_until(&mut h, "both refusals", |a| {
        ids[..2].iter().all(|id| {
            let s = &a.state().sessions[id];
            s.pending_sends() == 0 && s.draft.refusal.is_some()
        })
    });
    for id in &ids[..2] {
        let s = &h.state().state().sessions[id];
        assert_eq!(s.draft.text, "价格 5€");
        assert_eq!(s.turn, Turn::Mine, "nothing went out");
    }
    assert_eq!(h.state().state().sessions[&ids[2]].draft.text, "");
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(3);
    h.get_by_label_contains("cannot be sent");
}

#[test]
fn send_to_all_shows_from_two_waiting_and_goes_into_each_recipients_transcript() {
    let dir = scratch("conv-all-each");
    let (mut h, mut clients) = class(&dir, 3);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    h.get_by_label("Send to all 3");
    // Answer the first two: only the third waits, and there is no Send to all.
    for (row, key) in [(0, Key::Num1), (1, Key::Num2)] {
        h.key_press_modifiers(Modifiers::ALT, key);
        h.run_steps(3);
        type_in(&mut h, "收到");
        h.key_press(Key::Enter);
        wait_until(&mut h, "the reply", |a| {
            a.state().sessions[&ids[row]].turn == Turn::Theirs
        });
        assert_eq!(clients[row].read_n(gbk("收到").len()), gbk("收到"));
    }
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Send to all").is_none(),
        "one waiting: no Send to all"
    );
    // The first speaks again: two wait, and it is back.
    clients[0].say("老师好");
    wait_until(&mut h, "two waiting", |a| {
        a.state().waiting_for_me().len() == 2
    });
    h.run_steps(2);
    type_in(&mut h, "明天放假");
    h.get_by_label("Send to all 2").click();
    wait_until(&mut h, "both replies", |a| {
        [0, 2].iter().all(|&i| {
            let s = &a.state().sessions[&ids[i]];
            s.turn == Turn::Theirs && s.pending_sends() == 0
        })
    });
    for i in [0, 2] {
        assert_eq!(clients[i].read_n(gbk("明天放假").len()), gbk("明天放假"));
    }
    // Each recipient's transcript has it as ours, in the window and in its file; the
    // one that was not waiting has it in neither.
    for (i, id) in ids.iter().enumerate() {
        let s = &h.state().state().sessions[id];
        let ours = |from: Speaker, text: &str| from == Speaker::Me && text == "明天放假";
        let in_window = s.transcript.entries().iter().any(|e| ours(e.from, &e.text));
        let file = transcript(s.file.as_deref().expect("a transcript file"));
        let in_file = file.iter().any(|r| ours(r.from, &r.text));
        let recipient = i != 1;
        assert_eq!(
            (in_window, in_file),
            (recipient, recipient),
            "conversation {} (in the window, in its file)",
            i + 1
        );
    }
}

#[test]
fn a_message_while_the_window_is_away_notifies_and_a_missing_service_is_said_once() {
    let dir = scratch("conv-notify");
    // The desktop's notification service, stood in for: it records what it was asked to
    // show and answers like a desktop without a notification daemon.
    let (asked_tx, asked) = crossbeam_channel::unbounded::<String>();
    let notifier: Notifier = Arc::new(move |body: &str| {
        let _ = asked_tx.send(body.to_owned());
        Err("no notification service is running".to_owned())
    });
    let options = AppOptions {
        notifier: Some(notifier),
        ..AppOptions::default()
    };
    let (mut h, mut clients) = class_with(&dir, 1, options);
    // A notification is asked for on a job thread: only once every job is done has
    // everything the frames decided reached the stand-in.
    jobs_done(&mut h);
    assert!(asked.try_recv().is_err(), "in front: no notification");
    // We reply, then the window goes to the background and the student writes again.
    type_in(&mut h, "请讲");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        a.state().current().is_some_and(|s| s.turn == Turn::Theirs)
    });
    assert_eq!(clients[0].read_n(gbk("请讲").len()), gbk("请讲"));
    h.input_mut().focused = false;
    h.run();
    clients[0].say("老师，我有一个问题");
    wait_until(&mut h, "a notification", |_| !asked.is_empty());
    let body = asked
        .recv_timeout(WAIT)
        .expect("a notification was asked for");
    assert_eq!(body, format!("{} sent a message.", clients[0].local));
    wait_until(&mut h, "the notice", |a| {
        a.file_notice().is_some_and(|n| {
            matches!(
                n,
                turnchat::desktop::file_notice::FileNotice::NotificationsUnavailable { .. }
            )
        })
    });
    h.get_by_label_contains("Desktop notifications are not available here");
    // The next message asks no more: TurnChat carries on without notifications.
    h.input_mut().focused = true;
    type_in(&mut h, "什么问题？");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the second reply", |a| {
        a.state().current().is_some_and(|s| s.turn == Turn::Theirs)
    });
    h.input_mut().focused = false;
    h.run();
    assert_eq!(
        clients[0].read_n(gbk("什么问题？").len()),
        gbk("什么问题？")
    );
    clients[0].say("第三题");
    wait_until(&mut h, "the next message", |a| {
        a.state()
            .current()
            .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == "第三题"))
    });
    h.run_steps(3);
    jobs_done(&mut h);
    assert!(
        asked.try_recv().is_err(),
        "no second try after the desktop said no"
    );
}

#[test]
fn one_at_a_time_keeps_later_clients_waiting_and_says_how_many() {
    let dir = scratch("conv-one");
    let options = AppOptions {
        one_at_a_time: true,
        ..AppOptions::default()
    };
    let (mut h, mut clients) = class_with(&dir, 1, options);
    let RoleStatus::Listening { local, .. } = h.state().view_state().status.clone() else {
        unreachable!()
    };
    // The second client connects and is not welcomed; the list says one waits.
    let mut second = TcpStream::connect_timeout(&local, WAIT).expect("connect");
    second.set_read_timeout(Some(WAIT)).expect("timeout");
    wait_until(&mut h, "one waiting", |a| a.state().waiting == 1);
    h.get_by_label("1 client is waiting for a free place.");
    assert_eq!(h.state().state().sessions.len(), 1);
    // The first says bye on its turn (after our reply); the second is welcomed.
    type_in(&mut h, "再见");
    h.key_press(Key::Enter);
    wait_until(&mut h, "the reply", |a| {
        a.state().current().is_some_and(|s| s.turn == Turn::Theirs)
    });
    assert_eq!(clients[0].read_n(gbk("再见").len()), gbk("再见"));
    clients[0].say("bye");
    let mut welcome = vec![0u8; gbk(WELCOME).len()];
    second
        .read_exact(&mut welcome)
        .expect("the second is welcomed");
    assert_eq!(welcome, gbk(WELCOME));
    wait_until(&mut h, "none waiting and two conversations", |a| {
        a.state().waiting == 0 && a.state().sessions.len() == 2
    });
    assert!(
        h.query_by_label_contains("waiting for a free place")
            .is_none()
    );
}

#[test]
fn a_filter_box_appears_beyond_eight_conversations() {
    let dir = scratch("conv-filter");
    let (mut h, clients) = class(&dir, 9);
    let label = turnchat::ui::conversations::FILTER_LABEL;
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label)
        .type_text(&clients[4].local.port().to_string());
    h.run_steps(3);
    h.get_by_label(&clients[4].local.to_string());
    assert!(
        h.query_by_label(&clients[3].local.to_string()).is_none(),
        "rows that do not match are hidden"
    );
}

/// The rows' rects from top to bottom: each row's address (its button) and the words of
/// its state under it, which must not reach the next row.
fn assert_rows_apart(h: &Harness<'static, TurnChatApp>, clients: &[String], what: &str) {
    let mut addresses: Vec<egui::Rect> = clients
        .iter()
        .filter_map(|a| h.query_by_label(a).map(|n| n.rect()))
        .collect();
    let mut states: Vec<egui::Rect> = ["ended", "your turn", "waiting for them", "sending"]
        .iter()
        .flat_map(|w| {
            h.query_all_by_label(w)
                .map(|n| n.rect())
                .collect::<Vec<_>>()
        })
        .filter(|r| r.left() < addresses.iter().map(|a| a.right()).fold(0.0, f32::max))
        .collect();
    assert!(
        addresses.len() >= 2,
        "{what}: at least two rows are in view"
    );
    addresses.sort_by(|a, b| a.top().total_cmp(&b.top()));
    states.sort_by(|a, b| a.top().total_cmp(&b.top()));
    assert_eq!(
        addresses.len(),
        states.len(),
        "{what}: one state line a row"
    );
    for (i, (address, state)) in addresses.iter().zip(&states).enumerate() {
        assert!(
            address.bottom() <= state.top(),
            "{what}: row {i}'s state line {state:?} is not under its address {address:?}"
        );
        if let Some(next) = addresses.get(i + 1) {
            assert!(
                state.bottom() <= next.top(),
                "{what}: row {i}'s state line {state:?} reaches the next row's address {next:?}"
            );
        }
    }
}

#[test]
fn rows_stay_apart_when_conversations_end() {
    let dir = scratch("conv-ended-rows");
    let (mut h, mut clients) = class(&dir, 3);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    let rows: Vec<String> = clients.iter().map(|c| c.local.to_string()).collect();
    assert_rows_apart(&h, &rows, "three live");
    // The middle one leaves beside two live ones.
    drop(clients.remove(1));
    wait_until(&mut h, "the second ended", |a| {
        !a.state().sessions[&ids[1]].is_live()
    });
    h.run_steps(3);
    assert_rows_apart(&h, &rows, "one of three ended");
    drop(h);

    // A class of twelve closing at once.
    let dir = scratch("conv-ended-rows-12");
    let (mut h, clients) = class(&dir, 12);
    let rows: Vec<String> = clients.iter().map(|c| c.local.to_string()).collect();
    drop(clients);
    wait_until(&mut h, "all twelve ended", |a| {
        a.state().sessions.values().all(|s| !s.is_live())
    });
    h.run_steps(3);
    assert_rows_apart(&h, &rows, "twelve of twelve ended");
}

#[test]
fn a_typed_filter_stays_clearable_when_the_list_shrinks_to_eight() {
    let dir = scratch("conv-filter-shrink");
    let (mut h, mut clients) = class(&dir, 9);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    let label = turnchat::ui::conversations::FILTER_LABEL;
    let row = |c: &Client| c.local.to_string();
    let rows: Vec<String> = clients.iter().map(row).collect();
    // The ninth leaves; its ended row is shown, then the filter picks the fifth.
    clients.truncate(8);
    wait_until(&mut h, "the ninth ended", |a| {
        !a.state().sessions[&ids[8]].is_live()
    });
    h.key_press_modifiers(Modifiers::ALT, Key::Num9);
    h.run_steps(3);
    assert_eq!(shown(&h), Some(ids[8]));
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label)
        .type_text(&clients[4].local.port().to_string());
    h.run_steps(3);
    assert!(h.query_by_label(&rows[3]).is_none(), "the filter applies");
    // Ctrl+W closes the ended ninth: eight conversations are left.
    h.key_press_modifiers(Modifiers::COMMAND, Key::W);
    h.run_steps(3);
    assert_eq!(h.state().state().sessions.len(), 8);
    // Rows may be hidden only while the box that hides them can be cleared.
    if h.query_by_label(&rows[3]).is_none() {
        assert!(
            h.query_by_label(label).is_some(),
            "rows are hidden by a filter with no box to clear it"
        );
    }
    // Clearing the filter shows every row again.
    h.get_by_label(label).focus();
    h.run();
    for _ in 0..clients[4].local.port().to_string().len() {
        h.key_press(Key::Backspace);
    }
    h.run_steps(3);
    for r in &rows[..8] {
        h.get_by_label(r);
    }
    assert!(
        h.query_by_label(label).is_none(),
        "with the filter empty and eight rows, the box goes"
    );
}

#[test]
fn each_conversation_keeps_its_own_scroll_position() {
    let dir = scratch("conv-scroll");
    let (mut h, mut clients) = class(&dir, 2);
    let ids: Vec<SessionId> = clients.iter().map(|c| session_of(&h, c)).collect();
    // Fifteen turns in each conversation: far more than the window shows.
    for (row, (id, c)) in ids.iter().zip(clients.iter_mut()).enumerate() {
        h.key_press_modifiers(Modifiers::ALT, [Key::Num1, Key::Num2][row]);
        h.run_steps(3);
        for t in 0..15 {
            type_in(&mut h, &format!("回{row}-{t}"));
            h.key_press(Key::Enter);
            wait_until(&mut h, "our reply", |a| {
                a.state().sessions[id].turn == Turn::Theirs
            });
            let reply = format!("回{row}-{t}");
            assert_eq!(c.read_n(gbk(&reply).len()), gbk(&reply));
            let next = format!("行{row}-{t}");
            c.say(&next);
            wait_until(&mut h, "their message", |a| {
                a.state().sessions[id]
                    .transcript
                    .entries()
                    .last()
                    .is_some_and(|e| e.text == next)
            });
        }
    }
    // In the first conversation, scroll to the top.
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(3);
    h.event(egui::Event::PointerMoved(egui::pos2(600.0, 350.0)));
    for _ in 0..20 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 2000.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
    }
    h.run_steps(5);
    assert!(
        h.query_by_label("我是1号").is_some(),
        "the first conversation is at its top"
    );
    // The second is still at its bottom, where it was left.
    h.key_press_modifiers(Modifiers::ALT, Key::Num2);
    h.run_steps(5);
    assert!(
        h.query_by_label("行1-14").is_some(),
        "the second shows its newest message"
    );
    assert!(h.query_by_label("我是2号").is_none(), "and not its top");
    // And back: the first is still at its top.
    h.key_press_modifiers(Modifiers::ALT, Key::Num1);
    h.run_steps(5);
    assert!(
        h.query_by_label("我是1号").is_some(),
        "the first kept its position"
    );
    assert!(h.query_by_label("行0-14").is_none());
}

/// What asked egui for the pass just drawn, other than TurnChat itself: egui asks for two
/// frames at once, unpaced, when a widget or scroll area is new in a frame (it styles the
/// widget with a guess and corrects it next frame).
fn egui_asked(h: &Harness<'static, TurnChatApp>) -> Vec<String> {
    h.ctx
        .repaint_causes()
        .into_iter()
        .filter(|c| !c.file.starts_with("src/"))
        .map(|c| format!("{}:{}", c.file, c.line))
        .collect()
}

#[test]
fn a_new_conversation_and_its_messages_ask_egui_for_no_extra_frames() {
    // A flood from a new client is read in the very frames a new conversation would add
    // (issue 14): its header, transcript and messages are drawn in widgets that were
    // already there, so the frame that shows it is the only one.
    let dir = scratch("conv-no-extra-frames");
    let (mut h, _) = class(&dir, 0);
    h.run_steps(3);
    let RoleStatus::Listening { local, .. } = h.state().view_state().status.clone() else {
        unreachable!()
    };
    let mut c = join(0, local);
    while h.state().state().sessions.is_empty() {
        assert!(h.state_mut().wait_for_event(WAIT), "the new conversation");
    }
    for pass in 0..3 {
        h.step();
        // Now the causes of the pass before this one are known.
        if pass > 0 {
            assert_eq!(
                egui_asked(&h),
                Vec::<String>::new(),
                "pass {pass} of the new conversation"
            );
        }
    }
    // A message in the shown conversation: one more row, with its own hex toggle.
    c.say("你好");
    wait_until(&mut h, "the message", |a| {
        a.state()
            .sessions
            .values()
            .any(|s| s.transcript.entries().iter().any(|e| e.text == "你好"))
    });
    h.step();
    assert_eq!(egui_asked(&h), Vec::<String>::new(), "the message's frame");
}
