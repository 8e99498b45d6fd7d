//! The window in both languages, tried as a user would: the main flows (start, chat, bye,
//! a refused connection, saving) in Chinese and in English, finding every widget by its
//! words in that language; and the switch, which re-words what is already on screen and
//! is remembered.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::common::harness::{harness_with, start_server_labelled, wait_for_label, wait_until};
use crate::common::peers::{Peer, ref_client, ref_server};
use crate::common::scratch;
use eframe::egui;
use egui::accesskit;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::Lang;
use turnchat::core::settings::Settings;
use turnchat::core::turn::Role;
use turnchat::core::turn::Turn;
use turnchat::desktop::file_notice::FileNotice;
use turnchat::state::RoleStatus;
use turnchat::words::Label;

/// The app in `lang`, as `--lang` would start it.
fn app(dir: &Path, lang: Lang, options: AppOptions) -> Harness<'static, TurnChatApp> {
    let options = AppOptions {
        lang: Some(lang),
        ..options
    };
    let mut h = harness_with(dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    h
}

/// The words of `label` in `lang`.
fn w(label: Label, lang: Lang) -> &'static str {
    label.get(lang)
}

/// The `(kind, text)` of every `system` line of the one transcript file in `dir`.
fn file_notices(dir: &Path) -> Vec<(String, String)> {
    let files: Vec<PathBuf> = crate::common::transcript_files(&dir.join("transcripts"));
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::read_to_string(&files[0])
        .expect("read")
        .lines()
        .map(|l| turnchat::core::transcript::parse_line(l).expect("a record"))
        .filter(|r| r.from == turnchat::core::transcript::Speaker::System)
        .map(|r| (r.kind.unwrap_or_default(), r.text))
        .collect()
}

fn server_flow(lang: Lang, your_turn: &str, ended: &str) {
    let dir = scratch(&format!("lang-server-{lang:?}"));
    let mut h = app(&dir, lang, AppOptions::default());
    assert_eq!(
        h.get_by_label(w(Label::Port, lang)).value().as_deref(),
        Some("8888")
    );
    let local = start_server_labelled(&mut h, w(Label::StartServer, lang));
    let client = ref_client(&dir, local.port(), &["你好服务端"], "lang");
    wait_for_label(&mut h, your_turn);
    h.get_by_label(w(Label::Message, lang))
        .type_text("你好，客户端");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().draft(), "", "Enter sent the message");
    // The reference client has said all it had to say: it says bye.
    wait_for_label(&mut h, ended.trim_end_matches('。'));
    let (code, log) = client.finish();
    assert_eq!(code, 0, "{log:#?}");
    assert_eq!(Peer::texts(&log, "recv"), ["欢迎您的使用", "你好，客户端"]);
    // The transcript file's notices: a kind for scripts, words in the window's language.
    let notices = file_notices(&dir);
    let kinds: Vec<&str> = notices.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["connected", "peer-bye"], "{notices:?}");
    assert_eq!(notices[1].1, ended);
    h.get_by_label(w(Label::StopServer, lang)).click();
    h.run_steps(3);
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    h.get_by_label(w(Label::StartServer, lang));
}

#[test]
fn start_chat_and_bye_in_chinese() {
    server_flow(
        Lang::ZhCn,
        "轮到你了 — 回复 127.0.0.1:",
        "对方说了 bye，对话已结束。",
    );
}

#[test]
fn start_chat_and_bye_in_english() {
    server_flow(
        Lang::En,
        "Your turn — reply to 127.0.0.1:",
        "The other side said bye. The conversation has ended.",
    );
}

/// A port on loopback where nothing listens.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn refused(lang: Lang, sentence: &str) {
    let dir = scratch(&format!("lang-refused-{lang:?}"));
    let mut h = app(&dir, lang, AppOptions::default());
    h.get_by_label(w(Label::Client, lang)).click();
    h.run_steps(2);
    let port = closed_port();
    h.state_mut().form_mut().client_host = "127.0.0.1".into();
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label(w(Label::Connect, lang)).click();
    wait_for_label(&mut h, &format!("127.0.0.1:{port}{sentence}"));
    assert_eq!(h.state().view_state().status, RoleStatus::Idle);
    // The form is back, ready for another try.
    h.get_by_label(w(Label::Connect, lang));
}

#[test]
fn a_refused_connection_is_a_chinese_sentence_with_a_next_step() {
    refused(
        Lang::ZhCn,
        " 上没有程序在监听。请确认对方已点击“启动服务器”，并检查地址和端口。",
    );
}

#[test]
fn a_refused_connection_is_an_english_sentence_with_a_next_step() {
    refused(
        Lang::En,
        ". Check that the other side clicked Start Server, and the address and port.",
    );
}

/// Chats once as a client with a reference server, which then ends the conversation.
fn chat_as_client(h: &mut Harness<'static, TurnChatApp>, dir: &Path, lang: Lang) {
    let (server, port) = ref_server(dir, "欢迎您的使用", &[&["收到"]]);
    h.state_mut().form_mut().role = Role::Client;
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label(w(Label::Connect, lang)).click();
    wait_until(h, "our turn", |a| {
        a.view_state()
            .current()
            .is_some_and(|s| s.turn == Turn::Mine)
    });
    h.get_by_label(w(Label::Message, lang)).type_text("你好");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_until(h, "the reply", |a| {
        a.view_state()
            .current()
            .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == "收到"))
    });
    h.get_by_label(w(Label::Message, lang)).type_text("再见");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_until(h, "the end", |a| a.view_state().status == RoleStatus::Idle);
    assert_eq!(server.finish().0, 0);
}

fn save(lang: Lang, header: &str, me: &str, saved: &str) {
    let dir = scratch(&format!("lang-save-{lang:?}"));
    let target: PathBuf = dir.join("chosen/对话.txt");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    let answer = target.clone();
    let options = AppOptions {
        save_dialog: Some(Arc::new(move |_: &Path, _: &str| Some(answer.clone()))),
        ..AppOptions::default()
    };
    let mut h = app(&dir, lang, options);
    chat_as_client(&mut h, &dir, lang);
    h.get_by_label(w(Label::SaveTranscript, lang)).click();
    wait_until(&mut h, "the save", |a| a.file_notice().is_some());
    assert!(
        matches!(h.state().file_notice(), Some(FileNotice::Saved { .. })),
        "{:?}",
        h.state().file_notice()
    );
    wait_for_label(&mut h, saved);
    let text = std::fs::read_to_string(&target).expect("saved");
    assert!(text.starts_with(header), "{text}");
    assert!(text.contains(&format!("] {me}: 你好\n")), "{text}");
}

#[test]
fn saving_in_chinese_writes_a_chinese_header() {
    save(
        Lang::ZhCn,
        "TurnChat 对话记录\n本机（客户端）：",
        "我",
        "已保存为纯文本：",
    );
}

#[test]
fn saving_in_english_writes_an_english_header() {
    save(
        Lang::En,
        "TurnChat conversation\nThis computer (client): ",
        "me",
        "Saved as text to ",
    );
}

#[test]
fn the_switch_rewords_the_window_at_once_and_is_remembered() {
    let dir = scratch("lang-switch");
    let settings_path = dir.join("settings.json");
    let options = AppOptions {
        settings_path: Some(settings_path.clone()),
        system_lang: Lang::En,
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    chat_as_client(&mut h, &dir, Lang::En);
    h.get_by_label_contains("The other side said bye.");
    h.get_by_label("Connect");

    h.get_by_label("中文").click();
    h.run_steps(3);
    assert_eq!(h.state().lang(), Lang::ZhCn);
    // What was on screen is worded again: the notices, the form, the toolbar.
    h.get_by_label_contains("对方说了 bye，对话已结束 · ");
    h.get_by_label_contains("已连接到 127.0.0.1:");
    assert!(
        h.query_by_label_contains("The other side said bye.")
            .is_none()
    );
    h.get_by_label("连接");
    h.get_by_label("保存聊天记录…");
    assert_eq!(
        h.get_by_label("中文").accesskit_node().toggled(),
        Some(accesskit::Toggled::True),
        "the switch shows the language in use"
    );
    let saved = Settings::from_json(&std::fs::read_to_string(&settings_path).expect("saved"))
        .expect("settings");
    assert_eq!(saved.lang, Some(Lang::ZhCn), "remembered at once");

    h.get_by_label("English").click();
    h.run_steps(3);
    h.get_by_label_contains("The other side said bye.");
    h.get_by_label("Connect");
}

#[test]
fn the_system_language_is_used_until_one_is_picked_and_a_flag_is_not_remembered() {
    let dir = scratch("lang-system");
    let settings_path = dir.join("settings.json");
    // A Chinese system, no language picked: Chinese.
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions {
            settings_path: Some(settings_path.clone()),
            system_lang: Lang::ZhCn,
            ..AppOptions::default()
        },
    );
    h.run();
    h.get_by_label("启动服务器");
    drop(h);
    // `--lang en` for one run over it, which a restart forgets.
    let mut h = harness_with(
        &dir,
        Harness::<TurnChatApp>::builder(),
        AppOptions {
            settings_path: Some(settings_path.clone()),
            system_lang: Lang::ZhCn,
            lang: Some(Lang::En),
            ..AppOptions::default()
        },
    );
    h.run();
    h.get_by_label("Start Server");
    h.get_by_label("Notify me").click();
    h.run_steps(2);
    drop(h);
    let saved = std::fs::read_to_string(&settings_path).expect("saved");
    let saved = Settings::from_json(&saved).expect("settings");
    assert!(!saved.notifications, "the change the user made is kept");
    assert_eq!(saved.lang, None, "the flag is not remembered");
}

#[test]
fn history_in_chinese_rewords_notices_by_their_kind_and_keeps_old_ones_as_written() {
    let dir = scratch("lang-history");
    let folder = dir.join("transcripts");
    std::fs::create_dir_all(&folder).expect("dir");
    // Written by this version in English: kinds say what each notice is.
    let peer = "192.168.1.7:51234";
    let line = |at: &str, rest: &str| {
        format!(r#"{{"at":"2026-11-25T14:{at}.000+08:00","session":"s1","peer":"{peer}",{rest}}}"#)
    };
    let new = [
        line("02:11", r#""from":"system","kind":"connected","text":"192.168.1.7:51234 connected.","encoding":"GBK","role":"server""#),
        line("02:12", r#""from":"me","text":"欢迎您的使用","hex":"bbb6d3adc4fab5c4cab9d3c3""#),
        line("02:13", r#""from":"system","kind":"peer-bye","text":"The other side said bye. The conversation has ended.""#),
    ]
    .join("\n");
    std::fs::write(folder.join("2026-11-25_14-02-11_new.jsonl"), new + "\n").expect("write");
    let mut h = app(&dir, Lang::ZhCn, AppOptions::default());
    h.get_by_label("历史记录").click();
    wait_for_label(&mut h, "· 1 条消息");
    h.get_by_label_contains("· 1 条消息").click();
    h.run_steps(3);
    h.get_by_label_contains("（只读）");
    h.get_by_label("回到当前对话");
    h.get_by_label_contains("192.168.1.7:51234 已连接");
    h.get_by_label_contains("对方说了 bye，对话已结束");
    assert!(
        h.query_by_label_contains("The other side said bye")
            .is_none()
    );

    // A file written before kinds existed shows its notices as they were written.
    let old = [
        line(
            "03:11",
            r#""from":"system","text":"192.168.1.7:51234 connected.","encoding":"GBK""#,
        ),
        line("03:12", r#""from":"peer","text":"你好","hex":"c4e3bac3""#),
    ]
    .join("\n");
    std::fs::write(folder.join("2026-11-25_14-03-11_old.jsonl"), old + "\n").expect("write");
    h.get_by_label("刷新").click();
    wait_for_label(&mut h, "14:03 · 192.168.1.7:51234 · 1 条消息");
    h.get_by_label_contains("14:03 · 192.168.1.7:51234").click();
    h.run_steps(3);
    h.get_by_label_contains("192.168.1.7:51234 connected.");
}
