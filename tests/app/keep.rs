//! Keeping conversations and settings, tried as a user would: chat, save (with the native
//! dialog replaced by a stub), find the file, reread it in History; quit, restart, and find
//! the form as it was left.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::common::harness::{harness_with, wait_for_label, wait_until};
use crate::common::peers::ref_server;
use crate::common::{WAIT, scratch};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, Launch, SaveDialogStub, TurnChatApp};
use turnchat::core::settings::Settings;
use turnchat::core::turn::Role;
use turnchat::core::turn::Turn;
use turnchat::desktop::file_notice::FileNotice;
use turnchat::desktop::files::SaveErrorKind;
use turnchat::state::RoleStatus;

/// Chats with a reference server through one turn and lets it end (its script runs out).
fn chat_once(h: &mut Harness<'static, TurnChatApp>, dir: &Path) {
    let (server, port) = ref_server(dir, "欢迎您的使用", &[&["第一行\n第二行"]]);
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    wait_until(h, "our turn", |a| {
        a.view_state()
            .current()
            .is_some_and(|s| s.turn == Turn::Mine)
    });
    h.get_by_label("Message").type_text("你好，服务端");
    h.run();
    h.key_press(eframe::egui::Key::Enter);
    wait_until(h, "the reply", |a| {
        a.view_state().current().is_some_and(|s| {
            s.transcript
                .entries()
                .iter()
                .any(|e| e.text == "第一行\n第二行")
        })
    });
    h.get_by_label("Message").type_text("再见");
    h.run();
    h.key_press(eframe::egui::Key::Enter);
    wait_until(h, "the end", |a| a.view_state().status == RoleStatus::Idle);
    let (code, _) = server.finish();
    assert_eq!(code, 0);
}

fn stub(
    answer: Option<PathBuf>,
    asked: Arc<Mutex<Vec<(PathBuf, String)>>>,
) -> turnchat::app::SaveDialogStub {
    Arc::new(move |dir: &Path, name: &str| {
        asked
            .lock()
            .expect("lock")
            .push((dir.to_path_buf(), name.to_owned()));
        answer.clone()
    })
}

#[test]
fn save_as_text_through_the_dialog_and_read_it_like_a_person() {
    let dir = scratch("keep-save-text");
    let target = dir.join("chosen/对话.txt");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let options = AppOptions {
        save_dialog: Some(stub(Some(target.clone()), Arc::clone(&asked))),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    chat_once(&mut h, &dir);

    h.get_by_label("Save transcript…").click();
    wait_until(&mut h, "the save to finish", |a| a.file_notice().is_some());
    let notice = h.state().file_notice().cloned().expect("notice");
    assert!(
        matches!(&notice, FileNotice::Saved { path, .. } if *path == target),
        "{notice:?}"
    );
    h.get_by_label_contains("Saved as text to");

    // The dialog was offered the transcripts folder and a dated name with the peer.
    let (offered_dir, offered_name) = asked.lock().expect("lock")[0].clone();
    assert_eq!(offered_dir, dir.join("transcripts"));
    assert!(
        offered_name.starts_with("TurnChat ") && offered_name.ends_with(".txt"),
        "{offered_name}"
    );
    assert!(offered_name.contains("127.0.0.1-"), "{offered_name}");

    let text = std::fs::read_to_string(&target).expect("saved file");
    assert!(
        text.starts_with("TurnChat conversation\nThis computer (client): 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("Encoding: GBK"));
    assert!(text.contains("] me: 你好，服务端\n"), "{text}");
    // The multi-line message is indented under its first line.
    let first = text
        .lines()
        .position(|l| l.ends_with(": 第一行"))
        .expect("first line");
    let second = text.lines().nth(first + 1).expect("second line");
    assert_eq!(second.trim_start(), "第二行");
    assert!(second.starts_with("   "), "{second:?}");
    assert!(text.contains("The other side said bye."), "{text}");
}

#[test]
fn save_as_json_lines_keeps_the_wire_bytes() {
    let dir = scratch("keep-save-jsonl");
    let target = dir.join("out.jsonl");
    let options = AppOptions {
        save_dialog: Some(stub(Some(target.clone()), Arc::default())),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    chat_once(&mut h, &dir);
    h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::S);
    wait_until(&mut h, "the save to finish", |a| a.file_notice().is_some());
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&target)
        .expect("saved")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let welcome = lines
        .iter()
        .find(|v| v["from"] == "peer")
        .expect("peer line");
    assert_eq!(welcome["hex"], "bbb6d3adc4fab5c4cab9d3c3");
    assert_eq!(lines[0]["role"], "client");
}

#[test]
fn no_dialog_offers_the_transcripts_folder_and_says_where_the_file_went() {
    let dir = scratch("keep-no-dialog");
    let options = AppOptions {
        save_dialog: Some(stub(None, Arc::default())),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    chat_once(&mut h, &dir);
    h.get_by_label("Save transcript…").click();
    wait_until(&mut h, "the dialog to return", |a| {
        a.file_notice().is_some()
    });
    h.get_by_label_contains("No save dialog could be opened");
    h.get_by_label("Save to the transcripts folder").click();
    wait_until(&mut h, "the quick save", |a| {
        matches!(a.file_notice(), Some(FileNotice::Saved { .. }))
    });
    let saved: Vec<PathBuf> = std::fs::read_dir(dir.join("transcripts"))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert_eq!(saved.len(), 1);
    h.get_by_label_contains(&saved[0].display().to_string());
}

#[test]
fn a_failed_save_says_why_and_loses_nothing() {
    let dir = scratch("keep-fail");
    let blocker = dir.join("not-a-folder");
    std::fs::write(&blocker, "I am a file").expect("file");
    let options = AppOptions {
        save_dialog: Some(stub(Some(blocker.join("t.txt")), Arc::default())),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    chat_once(&mut h, &dir);
    let before = h.state().view_state().current().map(|s| s.transcript.len());
    h.get_by_label("Save transcript…").click();
    wait_until(&mut h, "the failure", |a| a.file_notice().is_some());
    let notice = h.state().file_notice().cloned().expect("notice");
    assert!(notice.is_error());
    assert!(
        matches!(&notice, FileNotice::SaveFailed { error } if error.kind == SaveErrorKind::NotAFolder),
        "{notice:?}"
    );
    h.get_by_label_contains("part of that path is a file, not a folder");
    h.get_by_label_contains("Nothing was lost");
    assert_eq!(
        h.state().view_state().current().map(|s| s.transcript.len()),
        before
    );
}

#[test]
fn history_lists_past_conversations_and_opens_one_read_only() {
    let dir = scratch("keep-history");
    {
        // An earlier run.
        let mut h = harness_with(
            &dir,
            Harness::<TurnChatApp>::builder(),
            AppOptions::default(),
        );
        chat_once(&mut h, &dir);
    }
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    );
    // A damaged file from a crash and an empty one sit beside the good one.
    std::fs::write(
        dir.join("transcripts/2020-01-01_00-00-00_x_1-1.jsonl"),
        "{\"at\":\"broken\n",
    )
    .expect("write");
    std::fs::write(dir.join("transcripts/empty.jsonl"), "").expect("write");
    h.get_by_label("History").click();
    // Welcome, our two messages, the reply and the server's bye.
    wait_for_label(&mut h, "· 5 messages");
    h.get_by_label_contains("2 file(s) could not be read");
    h.get_by_label_contains("· 5 messages").click();
    h.run_steps(3);
    h.get_by_label_contains("(read-only)");
    h.get_by_label("Back to the current conversation");
    // What is on screen is the file's conversation, readable in full.
    h.get_by_label("第一行\n第二行");
}

#[test]
fn history_lists_a_conversation_of_this_run_once() {
    let dir = scratch("keep-history-once");
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions::default(),
    );
    chat_once(&mut h, &dir);
    // Its live transcript file is in the transcripts folder History reads.
    let files = std::fs::read_dir(dir.join("transcripts"))
        .expect("folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        })
        .count();
    assert_eq!(files, 1);
    h.get_by_label("History").click();
    wait_for_label(&mut h, "None yet.");
    assert_eq!(
        h.query_all_by_label_contains("· 127.0.0.1:").count(),
        1,
        "listed under This run only"
    );
    assert!(h.query_by_label_contains("· 5 messages").is_none());
}

/// A save dialog that stays open until the test answers it, and says when it opened.
fn held_dialog() -> (
    SaveDialogStub,
    crossbeam_channel::Receiver<()>,
    crossbeam_channel::Sender<Option<PathBuf>>,
) {
    let (opened_tx, opened_rx) = crossbeam_channel::unbounded();
    let (answer_tx, answer_rx) = crossbeam_channel::unbounded::<Option<PathBuf>>();
    let stub: SaveDialogStub = Arc::new(move |_: &Path, _: &str| {
        let _ = opened_tx.send(());
        // Bounded: a dialog the test never answers closes by itself.
        answer_rx.recv_timeout(WAIT).ok().flatten()
    });
    (stub, opened_rx, answer_tx)
}

#[test]
fn a_second_save_while_the_dialog_is_open_is_refused_quietly() {
    let dir = scratch("keep-one-dialog");
    let target = dir.join("once.txt");
    let (stub, opened, answer) = held_dialog();
    let options = AppOptions {
        save_dialog: Some(stub),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    chat_once(&mut h, &dir);

    h.get_by_label("Save transcript…").click();
    h.run();
    opened.recv_timeout(WAIT).expect("the dialog opened");
    // While it is open: the button again, and Ctrl+S.
    h.get_by_label("Save transcript…").click();
    h.run();
    h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::S);
    h.run();
    assert_eq!(h.state().file_notice(), None, "refused quietly");

    // The first dialog is answered; once every job has ended, it was the only one.
    answer.send(Some(target.clone())).expect("answer");
    wait_until(&mut h, "the save, and no job left", |a| {
        matches!(a.file_notice(), Some(FileNotice::Saved { .. })) && a.jobs_running() == 0
    });
    assert_eq!(opened.try_iter().count(), 0, "only one dialog opened");
    assert!(target.exists());

    // Closed, it may open again.
    h.get_by_label("Save transcript…").click();
    h.run();
    opened.recv_timeout(WAIT).expect("a new dialog");
    answer.send(None).expect("cancel");
}

#[test]
fn settings_survive_a_restart_but_launch_flags_do_not() {
    let dir = scratch("keep-settings");
    let path = dir.join("config/settings.json");
    let first = AppOptions {
        settings_path: Some(path.clone()),
        ..AppOptions::default()
    };
    {
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), first);
        h.run();
        h.get_by_label("Client").click();
        h.run();
        h.state_mut().form_mut().client_host = "192.168.1.9".into();
        h.state_mut().form_mut().client_port = "9999".into();
        h.run();
        // Closing the window (dropping the app) writes what changed.
    }
    let loaded = turnchat::desktop::files::load_settings(&path);
    assert_eq!(loaded.notice, None);
    assert_eq!(loaded.settings.role, Role::Client);
    assert_eq!(loaded.settings.client_host, "192.168.1.9");

    // Restart with --listen 7777: the form shows it, the file keeps what the user chose.
    let second = AppOptions {
        settings: loaded.settings.clone(),
        settings_path: Some(path.clone()),
        launch: Some(Launch::Listen {
            host: "127.0.0.1".into(),
            port: 0,
        }),
        ..AppOptions::default()
    };
    {
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), second);
        wait_until(&mut h, "listening", |a| {
            matches!(a.view_state().status, RoleStatus::Listening { .. })
        });
        // Running, the form is folded into one line that says where it listens; the
        // form's port is the flag's.
        h.get_by_label_contains("listening on 127.0.0.1:");
        assert_eq!(h.state_mut().form_mut().server_port, "0");
    }
    let after = turnchat::desktop::files::load_settings(&path).settings;
    assert_eq!(after, loaded.settings, "launch flags are for one run only");
}

#[test]
fn a_corrupt_settings_file_gives_defaults_and_a_notice_and_is_left_alone() {
    let dir = scratch("keep-corrupt");
    let path = dir.join("settings.json");
    std::fs::write(&path, "{ not json").expect("write");
    let loaded = turnchat::desktop::files::load_settings(&path);
    let options = AppOptions {
        settings: loaded.settings,
        settings_notice: loaded.notice,
        settings_path: Some(path.clone()),
        ..AppOptions::default()
    };
    {
        let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
        h.run();
        h.get_by_label_contains("could not be read");
        assert_eq!(h.get_by_label("Port").value().as_deref(), Some("8888"));
    }
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "{ not json",
        "not overwritten"
    );
    assert_eq!(Settings::default().server_port, "8888");
}
