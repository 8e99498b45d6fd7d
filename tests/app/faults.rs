//! Faults through the window (cases 7, 9 and 13 of `docs/FAULTS.md`; the others are in
//! the net binary's `faults`): a 100,000-character line, a flood, a silent server, and
//! closing the window mid-session, with the real app in an egui_kittest harness.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use crate::common::harness::{harness, start_server, wait_until};
use crate::common::process::{alone, named, turnchat_threads};
use crate::common::raw::{raw_accept, raw_connect, raw_listener, read_n, read_to_end};
use crate::common::transcript::{bytes_from, transcript};
use crate::common::wire::{WELCOME_GBK, gbk};
use crate::common::{WAIT, scratch};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnchat::app::TurnChatApp;
use turnchat::core::conversation::DISPLAY_CAP_BYTES;
use turnchat::core::lang::Say;
use turnchat::core::notice::EndReason;
use turnchat::core::transcript::Speaker;
use turnchat::state::RoleStatus;

/// Starts the app's server on loopback and connects a raw client that took the welcome.
fn app_server(h: &mut Harness<'static, TurnChatApp>) -> TcpStream {
    let local = start_server(h);
    let mut peer = raw_connect(local);
    assert_eq!(read_n(&mut peer, WELCOME_GBK.len()), WELCOME_GBK);
    peer
}

fn shows(app: &TurnChatApp, text: &str) -> bool {
    app.state()
        .current()
        .is_some_and(|s| s.transcript.entries().iter().any(|e| e.text == text))
}

#[test]
fn a_100000_character_line_wraps_and_the_frame_completes() {
    let dir = scratch("fault-long-line");
    let mut h = harness(&dir);
    let mut peer = app_server(&mut h);
    let line = "长".repeat(100_000);
    peer.write_all(&gbk(&line)).expect("write");
    wait_until(&mut h, "the long line", |a| shows(a, &line));
    // Frames with the line on screen complete; their cost is reported, not asserted.
    let mut frames = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
    }
    // The line is drawn in pieces (rows of a few KiB); every piece on screen wraps
    // inside the window.
    let pieces: Vec<egui::Rect> = h
        .query_all_by_label_contains("长长长长长长长长")
        .map(|n| n.rect())
        .collect();
    assert!(!pieces.is_empty(), "the line is on screen");
    for rect in &pieces {
        assert!(
            rect.width() <= 900.0,
            "the line wraps inside the window: {rect:?}"
        );
    }
    let tallest = pieces.iter().map(|r| r.height()).fold(0.0, f32::max);
    assert!(tallest > 100.0, "wrapped into many lines: {pieces:?}");
    eprintln!(
        "100,000-character line: {} pieces on screen, the tallest {tallest} px; frame times (debug build) {frames:?}",
        pieces.len()
    );
    // And the conversation goes on.
    h.get_by_label("Message").type_text("收到");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(read_n(&mut peer, 4), gbk("收到"));
}

#[test]
fn a_flood_through_the_window_shows_1_mib_and_frames_keep_completing() {
    let dir = scratch("fault-flood-ui");
    let mut h = harness(&dir);
    let peer = app_server(&mut h);
    const TOTAL: usize = 20_000_000;
    let mut writer = peer.try_clone().expect("clone");
    // Bounded: TOTAL bytes in 64 KiB writes with a write timeout and 60 s in all, then
    // a half-close.
    let flood = named("test-ui-flooder", move || {
        let chunk = vec![b'W'; 64 * 1024];
        let mut sent = 0;
        let deadline = Instant::now() + Duration::from_secs(60);
        while sent < TOTAL && Instant::now() < deadline {
            let n = chunk.len().min(TOTAL - sent);
            if writer.write_all(&chunk[..n]).is_err() {
                return;
            }
            sent += n;
        }
        let _ = writer.shutdown(Shutdown::Write);
    });
    // Frames run while the flood arrives; each is timed (reported, not asserted). In a
    // debug build, laying out 1 MiB takes seconds a frame: the bound is generous.
    let mut frames = Vec::new();
    let deadline = Instant::now() + 4 * WAIT;
    while h.state().state().current().is_none_or(|s| s.is_live()) {
        assert!(Instant::now() < deadline, "the flood did not end");
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
        h.state_mut().wait_for_event(Duration::from_millis(100));
    }
    flood.join().expect("flooder");
    let mut after = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        h.step();
        after.push(t.elapsed());
    }
    let session = h.state().state().current().expect("session");
    let shown = session
        .transcript
        .entries()
        .iter()
        .find(|e| e.from == Speaker::Peer)
        .expect("the flood");
    assert_eq!(shown.text.len(), DISPLAY_CAP_BYTES);
    assert_eq!(shown.cut, (TOTAL - DISPLAY_CAP_BYTES) as u64);
    h.get_by_label_contains(&format!(
        "{} more bytes were not kept",
        TOTAL - DISPLAY_CAP_BYTES
    ));
    let slowest = frames.iter().max().copied().unwrap_or_default();
    eprintln!(
        "flood through the window: {} frames while 20 MB arrived, slowest {slowest:?}; frames after it {after:?} (debug build)",
        frames.len()
    );
    let _ = peer.shutdown(Shutdown::Both);
}

#[test]
fn a_client_waiting_for_a_silent_server_says_so_and_bye_leaves() {
    let dir = scratch("fault-silent-ui");
    let (l, port) = raw_listener();
    let mut h = harness(&dir);
    h.state_mut().form_mut().role = turnchat::core::turn::Role::Client;
    h.state_mut().form_mut().client_host = "127.0.0.1".into();
    h.state_mut().form_mut().client_port = port.to_string();
    h.run();
    h.get_by_label("Connect").click();
    h.run_steps(2);
    let mut srv = raw_accept(&l);
    wait_until(&mut h, "the session", |a| a.state().current().is_some());
    h.run();
    h.get_by_label(&format!("Waiting for 127.0.0.1:{port} to reply…"));
    h.get_by_label("bye").click();
    wait_until(&mut h, "the end", |a| a.state().status == RoleStatus::Idle);
    h.get_by_label_contains("You said bye.");
    assert_eq!(read_to_end(&mut srv).expect("a clean close"), b"bye");
}

#[test]
fn closing_the_window_mid_session_closes_cleanly_joins_threads_and_completes_the_file() {
    if !alone(
        module_path!(),
        "closing_the_window_mid_session_closes_cleanly_joins_threads_and_completes_the_file",
    ) {
        return;
    }
    let dir = scratch("fault-close-window");
    let threads_before = turnchat_threads();
    let mut h = harness(&dir);
    let mut peer = app_server(&mut h);
    peer.write_all(&gbk("你好，我在")).expect("write");
    wait_until(&mut h, "the message", |a| shows(a, "你好，我在"));
    let file = h
        .state()
        .state()
        .current()
        .and_then(|s| s.file.clone())
        .expect("a transcript file");
    assert!(turnchat_threads() > threads_before);
    // Closing the window drops the app, and with it the backend.
    drop(h);
    assert_eq!(
        turnchat_threads(),
        threads_before,
        "every thread was joined"
    );
    assert_eq!(
        read_to_end(&mut peer).expect("a clean close, not a reset"),
        b""
    );
    let records = transcript(&file);
    assert_eq!(bytes_from(&records, Speaker::Peer), gbk("你好，我在"));
    assert_eq!(
        records.last().map(|r| r.text.clone()),
        Some(EndReason::Stopped.en())
    );
}
