//! CPU cost of one frame of the conversation view (egui pass + tessellation, no GPU) for
//! 10 / 10,000 / 100,000 messages, mixed Chinese and Latin, some multi-line, scrolled to
//! the newest message as in a chat.
//!
//! `cargo bench --bench frame`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use turnchat::core::transcript::Transcript;
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
                egui::CentralPanel::default().show(ui, |ui| view.ui(ui, 1, &t));
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

criterion_group!(benches, frame);
criterion_main!(benches);
