//! The transcript folder: unwritable from the start, or gone mid-session.

use std::io::Write;

use crate::common::backend::{backend_with, listening, sent, server, started, window_state};
use crate::common::raw::{raw_connect, read_n};
use crate::common::scratch;
use crate::common::wire::{WELCOME, WELCOME_GBK, gbk};
use turnchat::core::lang::Say;
use turnchat::core::transcript::Speaker;
use turnchat::net::Event;

use super::{quick, serve_one};

// --- 12. The transcript folder ---------------------------------------------------------------

#[test]
fn an_unwritable_transcript_folder_is_a_notice_and_the_chat_goes_on() {
    let dir = scratch("fault-unwritable");
    // Root may write anywhere, but no one can create a folder inside a regular file.
    let blocker = dir.join("a-file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let (mut b, mut events) = backend_with(Some(blocker.join("transcripts")), quick());
    b.start_server(server());
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    assert_eq!(s.file, None);
    let notice = events.until("a notice", |e| match e {
        Event::Notice { notice, .. } => Some(notice.en()),
        _ => None,
    });
    assert!(
        notice.starts_with("TurnChat could not write the transcript file")
            && notice.ends_with("The conversation goes on and stays in this window."),
        "{notice}"
    );
    read_n(&mut peer, WELCOME_GBK.len());
    peer.write_all(&gbk("还能聊吗")).expect("write");
    events.peer_message("还能聊吗");
    assert!(s.link.send("能".into()));
    sent(&mut events, "能");
    assert_eq!(read_n(&mut peer, 2), gbk("能"));
    let state = window_state(&events);
    let texts: Vec<_> = state.sessions[&s.id]
        .transcript
        .entries()
        .iter()
        .map(|e| e.text.clone())
        .collect();
    assert!(texts.contains(&"还能聊吗".to_owned()) && texts.contains(&"能".to_owned()));
}

#[test]
fn a_transcript_folder_that_vanishes_mid_session_is_noticed_and_nothing_shown_is_lost() {
    let dir = scratch("fault-vanish");
    let folder = dir.join("transcripts");
    let (_b, mut events, mut peer, s) = serve_one(&dir);
    peer.write_all(&gbk("第一句")).expect("write");
    events.peer_message("第一句");
    std::fs::remove_dir_all(&folder).expect("remove the folder");
    assert!(s.link.send("第二句".into()));
    // The file is written before the window hears of the message: the notice comes first.
    let notice = events.until("a notice", |e| match e {
        Event::Notice { notice, .. } => Some(notice.en()),
        _ => None,
    });
    sent(&mut events, "第二句");
    assert!(notice.contains("deleted or moved"), "{notice}");
    read_n(&mut peer, gbk("第二句").len());
    peer.write_all(&gbk("第三句")).expect("write");
    events.peer_message("第三句");
    let state = window_state(&events);
    let texts: Vec<_> = state.sessions[&s.id]
        .transcript
        .entries()
        .iter()
        .filter(|e| e.from != Speaker::System)
        .map(|e| e.text.clone())
        .collect();
    assert_eq!(texts, [WELCOME, "第一句", "第二句", "第三句"]);
}

// --- 12b. Private files (issue 22, item 6) -----------------------------------------------------

/// Every folder under `root` (and `root`) and every file in them, with its mode.
#[cfg(unix)]
fn modes(root: &std::path::Path) -> Vec<(std::path::PathBuf, bool, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::symlink_metadata(&path).expect("meta");
        out.push((
            path.clone(),
            meta.is_dir(),
            meta.permissions().mode() & 0o7777,
        ));
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read_dir") {
                todo.push(entry.expect("entry").path());
            }
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn after_a_server_run_every_folder_is_0700_and_every_file_0600() {
    use std::os::unix::fs::PermissionsExt;
    use turnchat::core::settings::Settings;
    let dir = scratch("fault-private");
    let data = dir.join("data");
    let config = dir.join("config");
    // Left by an older TurnChat under a loose umask: a 0755 folder with a 0644 file.
    let transcripts = data.join("transcripts");
    std::fs::create_dir_all(&transcripts).expect("old folder");
    let old = transcripts.join("old.jsonl");
    std::fs::write(&old, "{}\n").expect("old file");
    for (path, mode) in [(&data, 0o755), (&transcripts, 0o755), (&old, 0o644)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    turnchat::desktop::paths::tighten_folders(&data, &config);

    let (mut b, mut events) = backend_with(Some(transcripts.clone()), quick());
    b.start_server(server());
    let addr = listening(&mut events);
    let mut peer = raw_connect(addr);
    let s = started(&mut events);
    assert!(s.file.is_some(), "the conversation has its file");
    assert_eq!(read_n(&mut peer, WELCOME_GBK.len()), WELCOME_GBK);
    sent(&mut events, WELCOME);
    peer.write_all(&gbk("你好")).expect("write");
    events.peer_message("你好");
    assert!(s.link.send("好".into()));
    sent(&mut events, "好");
    peer.write_all(b"bye").expect("bye");
    crate::common::backend::ended(&mut events);
    drop(b);
    // The other files TurnChat writes: the settings (an atomic save) and the log.
    turnchat::desktop::files::save_settings(&config.join("settings.json"), &Settings::default())
        .expect("settings");
    turnchat::desktop::applog::LogFile::new(data.join("turnchat.log"), 1 << 20)
        .append("a line")
        .expect("log");

    let mut files = 0;
    for root in [&data, &config] {
        for (path, is_dir, mode) in modes(root) {
            let want = if is_dir { 0o700 } else { 0o600 };
            assert_eq!(mode, want, "{} is {mode:o}", path.display());
            files += usize::from(!is_dir);
        }
    }
    // The old file, the conversation's transcript, the settings and the log.
    assert!(files >= 4, "{files} files");
}
