//! CPU cost of one frame of the conversation view (egui pass + tessellation, no GPU) for
//! 10 / 10,000 / 100,000 messages, mixed Chinese and Latin, some multi-line, scrolled to
//! the newest message as in a chat.
//!
//! `frame_listed` (issue 9): the conversation list beside a 10,000-message conversation,
//! with 200 conversations listed, against 1 listed (the baseline: what a server with one
//! client draws), 20 listed (enough to fill the list) and the transcript view alone, in a
//! window of the same size. `frame_listed/paired` measures 1 and 200 listed in turns in one
//! loop and prints the ratio of their medians (see [`frame_listed_paired`]).
//!
//! `cargo bench --bench frame`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group};
use eframe::egui;
use turnchat::core::codec::WireEncoding;
use turnchat::core::ids::{RoleId, SessionId};
use turnchat::core::transcript::Transcript;
use turnchat::core::turn::Role;
use turnchat::core::turn::Turn;
use turnchat::net::{Event, SessionInfo, SessionLink};
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
                    view.ui(ui, 1, &t, None, turnchat::core::lang::Lang::En);
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
            info: SessionInfo {
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
            },
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
                held: Default::default(),
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

/// One of `frame_listed`'s cases: a context with the app's fonts and style, a server's state
/// with `rows` conversations listed (none: the transcript view alone), and the two views.
struct Listed {
    ctx: egui::Context,
    state: State,
    rows: usize,
    list: ConversationList,
    view: TranscriptView,
}

impl Listed {
    const MESSAGES: usize = 10_000;

    fn new(rows: usize) -> Self {
        let ctx = egui::Context::default();
        turnchat::ui::fonts::install(&ctx);
        turnchat::ui::style::install(&ctx);
        let mut this = Self {
            ctx,
            state: listed(rows.max(1), Self::MESSAGES),
            rows,
            list: ConversationList::default(),
            view: TranscriptView::default(),
        };
        // Fonts, glyph atlas, and measuring the rows in view.
        for _ in 0..30 {
            this.frame();
        }
        this
    }

    /// One frame: the egui pass and tessellation.
    fn frame(&mut self) -> usize {
        let Self {
            ctx,
            state,
            rows,
            list,
            view,
        } = self;
        let Some(shown) = state.current() else {
            panic!("the first conversation is shown");
        };
        let (key, t) = (shown.id.0, &shown.transcript);
        // The main window's default size, less the form and the composer.
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1070.0, 620.0),
            )),
            ..Default::default()
        };
        let mut out = ctx.run_ui(input, |ui| {
            if *rows > 0 {
                // As the app draws it (src/app/panels.rs).
                egui::Panel::left("conversations")
                    .resizable(true)
                    .default_size(210.0)
                    .min_size(150.0)
                    .show(ui, |ui| black_box(list.ui(ui, state, false)));
            }
            egui::CentralPanel::default().show(ui, |ui| {
                view.ui(ui, key, t, None, turnchat::core::lang::Lang::En);
            });
        });
        let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
        out.textures_delta.clear();
        prims.len()
    }
}

fn frame_listed(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_listed");
    // 20 rows fill the list's height: what is drawn is the same as with 200.
    let cases = [
        ("view_only", 0usize),
        ("listed_1", 1),
        ("listed_20", 20),
        ("listed_200", 200),
    ];
    for (name, rows) in cases {
        let mut setup = Listed::new(rows);
        group.bench_function(name, |b| b.iter(|| black_box(setup.frame())));
    }
    group.finish();
}

/// The frame budget with 200 conversations listed, in µs (reported, not enforced).
const BUDGET_200_LISTED_US: f64 = 500.0;

/// `frame_listed/paired`: the ratio of 200 listed to 1 listed, with the two measured in
/// turns, frame by frame, in one loop (each round in the other order from the last), so
/// that what the machine does meanwhile (other load, clock changes) falls on both alike.
/// Criterion measures one case after another, seconds apart, and on a shared 2-core
/// machine the same case moves by ±10 % from minute to minute: more than the budget's
/// margin. Prints each side's median frame time and their ratio, for the whole run and
/// for each fifth of it.
fn frame_listed_paired(rounds: usize) {
    let mut one = Listed::new(1);
    let mut many = Listed::new(200);
    let timed = |setup: &mut Listed| {
        let start = std::time::Instant::now();
        black_box(setup.frame());
        start.elapsed().as_nanos() as f64 / 1000.0
    };
    let (mut ones, mut manys) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        if round % 2 == 0 {
            ones.push(timed(&mut one));
            manys.push(timed(&mut many));
        } else {
            manys.push(timed(&mut many));
            ones.push(timed(&mut one));
        }
    }
    let median = |xs: &[f64]| {
        let mut xs = xs.to_vec();
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let line = |what: &str, ones: &[f64], manys: &[f64]| {
        let (a, b) = (median(ones), median(manys));
        println!(
            "frame_listed/paired {what}: 1 listed {a:.1} µs, 200 listed {b:.1} µs, 200 / 1 = {:.3}×",
            b / a
        );
    };
    line(&format!("{rounds} rounds"), &ones, &manys);
    // The budget is absolute (issue 21): a frame with 200 conversations listed beside a
    // 10,000-message conversation takes at most 0.5 ms, whatever one listed costs.
    let whole = median(&manys);
    println!(
        "frame_listed/paired: 200 listed {whole:.1} µs a frame (budget ≤ {BUDGET_200_LISTED_US} µs: {})",
        if whole <= BUDGET_200_LISTED_US {
            "met"
        } else {
            "NOT met"
        }
    );
    let fifth = rounds / 5;
    if fifth > 0 {
        for i in 0..5 {
            let part = i * fifth..(i + 1) * fifth;
            line(
                &format!("  fifth {}", i + 1),
                &ones[part.clone()],
                &manys[part],
            );
        }
    }
}

criterion_group!(benches, frame, frame_listed);

fn main() {
    benches();
    // As criterion reads its command line: `--bench` when measuring (otherwise a smoke test,
    // `cargo test --benches`), and a filter, the first argument that is not an option.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let measuring = args.iter().any(|a| a == "--bench");
    let filter = args.iter().find(|a| !a.starts_with('-'));
    if filter.is_none_or(|f| "frame_listed/paired".contains(f.as_str())) {
        frame_listed_paired(if measuring { 20_000 } else { 2 });
    }
    Criterion::default().configure_from_args().final_summary();
}
