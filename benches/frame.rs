//! CPU cost of one frame of the conversation view (egui pass + tessellation, no GPU) for
//! 10 / 10,000 / 100,000 messages, mixed Chinese and Latin, some multi-line, scrolled to
//! the newest message as in a chat.
//!
//! `frame_listed` (issue 9): the conversation list beside a 10,000-message conversation,
//! with 200 conversations listed, against 1 listed (the baseline: what a server with one
//! client draws), 20 listed (enough to fill the list) and the transcript view alone, in a
//! window of the same size.
//!
//! `cargo bench --bench frame`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use turnchat::core::codec::WireEncoding;
use turnchat::core::transcript::Transcript;
use turnchat::core::turn::Turn;
use turnchat::net::{Event, Role, RoleId, SessionId, SessionLink};
use turnchat::state::{RoleStatus, State};
use turnchat::ui::conversations::ConversationList;
use turnchat::ui::transcript_view::TranscriptView;

fn transcript(n: usize) -> Transcript {
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").unwrap_or_default();
    let mut t = Transcript::default();
    for i in 0..n {
        let text = match i % 4 {
            0 => format!("第{i}条消息：今天天气很好，我们下午去公园散步吧？"),
            1 => format!("Message {i}: see you at four."),
            2 => format!("多行消息 {i}\n第二行\n第三行 with some Latin text"),
            _ => "好的".to_owned(),
        };
        if i % 2 == 0 {
            t.peer_chunk(at, true, &text, text.as_bytes(), 0);
        } else {
            t.sent(at, text.clone(), text.into_bytes());
        }
    }
    t
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    for n in [10usize, 10_000, 100_000] {
        let ctx = egui::Context::default();
        turnchat::ui::fonts::install(&ctx);
        turnchat::ui::style::install(&ctx);
        let t = transcript(n);
        let mut view = TranscriptView::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(860.0, 620.0),
            )),
            ..Default::default()
        };
        let run = |view: &mut TranscriptView| {
            let mut out = ctx.run_ui(input(), |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    view.ui(ui, 1, &t, None, turnchat::words::Lang::En);
                });
            });
            let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
            out.textures_delta.clear();
            prims.len()
        };
        // Fonts, glyph atlas, and measuring the rows in view.
        for _ in 0..30 {
            run(&mut view);
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(run(&mut view)))
        });
    }
    group.finish();
}

/// A server's state with `n` conversations, as the backend's events build it: a mix of
/// "your turn" and "waiting" rows, some with unread messages; the first one is shown and
/// holds `messages` messages.
fn listed(n: usize, messages: usize) -> State {
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").unwrap_or_default();
    let role = RoleId(1);
    let mut state = State::default();
    state.role_started(RoleStatus::Starting { role });
    for i in 0..n as u64 {
        let session = SessionId(i + 1);
        state.apply(Event::SessionStarted {
            role,
            session,
            key: format!("bench-{i}"),
            as_role: Role::Server,
            peer: std::net::SocketAddr::from((
                [192, 168, 1, (i % 250) as u8 + 2],
                40_000 + i as u16,
            )),
            local: std::net::SocketAddr::from(([192, 168, 1, 1], 8888)),
            at,
            first_turn: Turn::Theirs,
            encoding: WireEncoding::Gbk,
            policy: turnchat::core::turn::TurnPolicy::Strict,
            line_ending: turnchat::core::framing::LineEnding::None,
            transcript: None,
            link: SessionLink::detached(),
        });
        if i % 2 == 1 {
            let text = "你好，在吗？".to_owned();
            state.apply(Event::Received {
                session,
                at,
                bytes: text.as_bytes().to_vec(),
                text,
                new_message: true,
                cut: 0,
                turn: Turn::Mine,
            });
        }
    }
    if let Some(id) = state.current
        && let Some(s) = state.sessions.get_mut(&id)
    {
        s.transcript = transcript(messages);
    }
    state
}

fn frame_listed(c: &mut Criterion) {
    const MESSAGES: usize = 10_000;
    let mut group = c.benchmark_group("frame_listed");
    // 20 rows fill the list's height: what is drawn is the same as with 200.
    let cases = [
        ("view_only", 0usize),
        ("listed_1", 1),
        ("listed_20", 20),
        ("listed_200", 200),
    ];
    for (name, listed_rows) in cases {
        let ctx = egui::Context::default();
        turnchat::ui::fonts::install(&ctx);
        turnchat::ui::style::install(&ctx);
        let state = listed(listed_rows.max(1), MESSAGES);
        let Some(shown) = state.current() else {
            panic!("the first conversation is shown");
        };
        let (key, t) = (shown.id.0, &shown.transcript);
        let mut list = ConversationList::default();
        let mut view = TranscriptView::default();
        // The main window's default size, less the form and the composer.
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1070.0, 620.0),
            )),
            ..Default::default()
        };
        let mut run = |view: &mut TranscriptView| {
            let mut out = ctx.run_ui(input(), |ui| {
                if listed_rows > 0 {
                    // As the app draws it (src/app.rs).
                    egui::Panel::left("conversations")
                        .resizable(true)
                        .default_size(210.0)
                        .min_size(150.0)
                        .show(ui, |ui| black_box(list.ui(ui, &state, false)));
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    view.ui(ui, key, t, None, turnchat::words::Lang::En);
                });
            });
            let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
            out.textures_delta.clear();
            prims.len()
        };
        for _ in 0..30 {
            run(&mut view);
        }
        group.bench_function(name, |b| b.iter(|| black_box(run(&mut view))));
    }
    group.finish();
}

criterion_group!(benches, frame, frame_listed);
criterion_main!(benches);
