//! Find in History (issue 25 item 3), with egui_kittest: saved transcripts written into
//! the test's transcripts folder (a class's live JSON Lines file with the student's name,
//! a plain-text export, a file without the words, a damaged line) are searched from the
//! History panel; the results list file, peer and time with the words around the hit;
//! opening one shows that conversation with the find bar on the hit. A search over many
//! files is cancelled with Esc and says so, and its thread ends. Both languages.

use std::path::{Path, PathBuf};

use crate::common::harness::{harness_with, wait_for_label, wait_until};
use crate::common::scratch;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::{AppOptions, TurnChatApp};
use turnchat::core::lang::{Lang, Say};
use turnchat::state::history_find::Phase;
use turnchat::words::Label;
use turnchat::words::find::{FindLabel, HistoryFindLabel};

const PEER: &str = "192.168.1.7:51234";

/// A JSON Lines record as the live transcript writes it.
fn record(second: u32, from: &str, text: &str, extra: &str) -> String {
    let hex = match from {
        "system" => String::new(),
        _ => {
            let (gbk, _, _) = encoding_rs::GBK.encode(text);
            let hex: String = gbk.iter().map(|b| format!("{b:02x}")).collect();
            format!(r#","hex":"{hex}""#)
        }
    };
    format!(
        r#"{{"at":"2026-11-25T14:02:{second:02}+08:00","session":"s1","peer":"{PEER}","from":"{from}","text":"{text}"{hex}{extra}}}"#
    ) + "\n"
}

/// The transcripts folder of a teacher's earlier runs: a class file where 李四 asked about
/// question 3, a plain-text export that mentions it too, and a file that does not.
fn saved(dir: &Path) -> (PathBuf, PathBuf) {
    let folder = dir.join("transcripts");
    let class = folder.join("class 2026-11-25 14-00");
    std::fs::create_dir_all(&class).expect("folders");
    let live = class.join("2026-11-25_14-02-00_192.168.1.7_51234.jsonl");
    let text = [
        record(
            0,
            "system",
            "192.168.1.7:51234 connected.",
            r#","kind":"connected","role":"server","encoding":"GBK","name":"李四","seat":"12""#,
        ),
        record(1, "me", "欢迎您的使用", ""),
        record(2, "peer", "老师，第3题的答案是不是B？", ""),
        "{\"at\":\"2026-11-25T14:0\n".to_owned(),
        record(9, "me", "对，是B", ""),
    ]
    .concat();
    std::fs::write(&live, text).expect("write");
    let export = folder.join("TurnChat 2026-11-20 09-00-00 10.0.0.2-5.txt");
    std::fs::write(
        &export,
        "TurnChat conversation\nThis computer (client): 10.0.0.9:40000\nOther side (server):  10.0.0.2:5\nStarted:  2026-11-20 09:00:00 +08:00\nEnded:    2026-11-20 09:10:00 +08:00\nEncoding: GBK\nSession:  s2\n\n[09:00:00] *: Connected to 10.0.0.2:5.\n[09:00:05] Me: 请看第３题\n[09:01:00] 10.0.0.2:5: 好的\n",
    )
    .expect("write");
    std::fs::write(
        folder.join("2026-11-19_10-00-00_10.0.0.3_6.jsonl"),
        record(0, "peer", "别的话题", ""),
    )
    .expect("write");
    (live, export)
}

fn app(name: &str, lang: Lang) -> (Harness<'static, TurnChatApp>, PathBuf, PathBuf) {
    let dir = scratch(name);
    let (live, export) = saved(&dir);
    let options = AppOptions {
        lang: Some(lang),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    h.get_by_label(Label::History.get(lang)).click();
    h.run_steps(2);
    (h, live, export)
}

/// Types `query` into History's find box (with the keyboard in it) and waits for the end.
fn search(h: &mut Harness<'static, TurnChatApp>, query: &str, lang: Lang) {
    let name = HistoryFindLabel::Find.say(lang);
    let query_box = h.get_by_label(&name);
    query_box.focus();
    query_box.type_text(query);
    wait_until(h, "the search to end", |app| {
        matches!(app.history_find().phase(), Phase::Done { .. })
    });
    h.run_steps(2);
}

fn finds_opens_and_lands_on_the_hit(lang: Lang) {
    let (mut h, live, export) = app(&format!("history-find-{}", lang.code()), lang);
    search(&mut h, "第3题", lang);
    // Two hits (full-width ３ matches 3) in two of the three files, the newest first.
    h.get_by_label(
        &HistoryFindLabel::Summary {
            hits: 2,
            with_hits: 2,
            files: 3,
        }
        .say(lang),
    );
    let heading = |name: Option<&str>, peer: &str, when: &str| {
        HistoryFindLabel::File {
            name: name.map(str::to_owned),
            peer: peer.into(),
            when: when.into(),
            hits: 1,
        }
        .say(lang)
    };
    let file_name = |path: &Path| {
        let name = path.file_name().expect("name");
        name.to_string_lossy().into_owned()
    };
    // File, peer (the student's name from the record) and time.
    h.get_by_label(&heading(Some("李四"), PEER, "2026-11-25 14:02"));
    h.get_by_label(&file_name(&live));
    h.get_by_label(&heading(None, "10.0.0.2:5", "2026-11-20 09:00"));
    h.get_by_label(&file_name(&export));
    // A line a hit: its time and the words around it.
    h.get_by_label("14:02:02  老师，第3题的答案是不是B？");
    h.get_by_label("09:00:05  请看第３题");
    // The damaged line in the class file is skipped, not a failure, and said.
    assert_eq!(h.state().history_find().skipped(), (0, 0, 1));
    h.get_by_label(
        &HistoryFindLabel::Skipped {
            too_big: 0,
            bound_mb: 32,
            unreadable: 0,
            damaged_lines: 1,
        }
        .say(lang),
    );

    // Opening the class file's hit shows that conversation with the find bar on the hit.
    h.get_by_label("14:02:02  老师，第3题的答案是不是B？")
        .click();
    h.run_steps(2);
    eprintln!(
        "notice {:?} showing {:?}",
        h.state().file_notice(),
        h.state().showing_file()
    );
    wait_until(&mut h, "the file to open", |app| {
        app.showing_file() == Some(live.as_path())
    });
    h.run_steps(4);
    assert!(h.state().find().is_open());
    h.get_by_label(
        &FindLabel::Count {
            current: 1,
            total: 1,
        }
        .say(lang),
    );
    let current = h
        .state()
        .transcript_view()
        .marks_drawn()
        .iter()
        .find(|m| m.current)
        .map(|m| (m.entry, m.viewport.contains_rect(m.rect)));
    assert_eq!(current, Some((2, true)), "the hit is marked and in view");

    // The plain-text export opens the same way.
    h.get_by_label("09:00:05  请看第３题").click();
    wait_until(&mut h, "the export to open", |app| {
        app.showing_file() == Some(export.as_path())
    });
    h.run_steps(4);
    h.get_by_label(
        &FindLabel::Count {
            current: 1,
            total: 1,
        }
        .say(lang),
    );
    h.get_by_label("请看第３题");
}

#[test]
fn history_finds_in_saved_transcripts_and_opens_the_hit_in_english() {
    finds_opens_and_lands_on_the_hit(Lang::En);
}

#[test]
fn history_finds_in_saved_transcripts_and_opens_the_hit_in_chinese() {
    finds_opens_and_lands_on_the_hit(Lang::ZhCn);
}

#[test]
fn match_bytes_finds_gbk_bytes_in_history() {
    let (mut h, live, _) = app("history-find-bytes", Lang::En);
    h.get_by_label(&FindLabel::MatchBytes.say(Lang::En)).click();
    h.run_steps(2);
    // 第 in GBK: only the JSON Lines file has wire bytes.
    search(&mut h, "b5 da", Lang::En);
    let found = h.state().history_find().found();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, live);
    h.get_by_label_contains("1 hit in 1 of 3 files");
}

/// Many files, a search, and Esc: the search stops well before the end, the panel says it
/// was cancelled and how far it got, and its thread ends.
fn cancelled(lang: Lang) {
    let dir = scratch(&format!("history-find-cancel-{}", lang.code()));
    let folder = dir.join("transcripts");
    std::fs::create_dir_all(&folder).expect("folder");
    const FILES: usize = 1000;
    for i in 0..FILES {
        std::fs::write(
            folder.join(format!("f{i:04}.jsonl")),
            record(0, "peer", &format!("apple {i}"), ""),
        )
        .expect("write");
    }
    let options = AppOptions {
        lang: Some(lang),
        ..AppOptions::default()
    };
    let mut h = harness_with(&dir, Harness::<TurnChatApp>::builder(), options);
    h.run();
    h.get_by_label(Label::History.get(lang)).click();
    h.run_steps(2);
    let name = HistoryFindLabel::Find.say(lang);
    let query_box = h.get_by_label(&name);
    query_box.focus();
    query_box.type_text("apple");
    // One frame starts the search; the next takes the Esc. The search can only run ahead
    // of the window by the reports its channel holds.
    h.run_steps(1);
    assert!(h.state().history_find().searching());
    h.key_press_modifiers(Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    let Phase::Cancelled { done, files } = h.state().history_find().phase() else {
        panic!("cancelled: {:?}", h.state().history_find().phase());
    };
    assert!(done < FILES, "stopped after {done} of {FILES} files");
    let (hits, _) = h.state().history_find().hits();
    h.get_by_label(&HistoryFindLabel::Cancelled { done, files, hits }.say(lang));
    wait_until(&mut h, "the search thread to end", |app| {
        app.history_searches_running() == 0
    });
    // Nothing comes after the cancel.
    h.run_steps(2);
    assert_eq!(
        h.state().history_find().phase(),
        Phase::Cancelled { done, files }
    );
    // A new query searches everything again.
    let query_box = h.get_by_label(&name);
    query_box.focus();
    query_box.type_text(" 99");
    wait_until(&mut h, "the new search to end", |app| {
        matches!(app.history_find().phase(), Phase::Done { .. })
    });
    wait_for_label(
        &mut h,
        &HistoryFindLabel::Summary {
            // "apple 99" and "apple 990" to "apple 999".
            hits: 11,
            with_hits: 11,
            files: FILES,
        }
        .say(lang),
    );
}

#[test]
fn a_history_search_is_cancelled_with_esc_in_english() {
    cancelled(Lang::En);
}

#[test]
fn a_history_search_is_cancelled_with_esc_in_chinese() {
    cancelled(Lang::ZhCn);
}

/// Notices are found in the words the window shows them in: switching the language
/// searches again.
#[test]
fn notices_are_found_in_the_windows_words_and_a_language_switch_searches_again() {
    let (mut h, live, export) = app("history-find-notice-lang", Lang::En);
    search(&mut h, "connected", Lang::En);
    let files: Vec<PathBuf> = h
        .state()
        .history_find()
        .found()
        .iter()
        .map(|f| f.path.clone())
        .collect();
    // The class file's typed "connected" notice, and the export's line as written.
    assert_eq!(files, [export.clone(), live]);
    h.get_by_label("中文").click();
    wait_until(&mut h, "the search in Chinese", |app| {
        matches!(app.history_find().phase(), Phase::Done { .. })
            && app.history_find().found().len() == 1
    });
    assert_eq!(h.state().history_find().found()[0].path, export);
    h.run_steps(2);
    h.get_by_label(
        &HistoryFindLabel::Summary {
            hits: 1,
            with_hits: 1,
            files: 3,
        }
        .say(Lang::ZhCn),
    );
}
