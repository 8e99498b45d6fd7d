//! How much one frame of the transcript view costs as the conversation grows.
//!
//! `cargo run --release --example frame_cost` prints, for 10 / 10,000 / 100,000
//! messages (mixed Chinese and Latin, some multi-line), the median CPU time of one egui
//! pass plus tessellation, with the view scrolled to the newest message, as in a chat.

use std::time::Instant;

use chrono::DateTime;
use eframe::egui;
use turnchat::core::transcript::Transcript;
use turnchat::ui::transcript_view::TranscriptView;

fn transcript(n: usize) -> Transcript {
    let at = DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time");
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

fn main() {
    let mut results = Vec::new();
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
        let frame = |view: &mut TranscriptView| {
            let mut out = ctx.run_ui(input(), |ui| {
                egui::CentralPanel::default().show(ui, |ui| view.ui(ui, 1, &t));
            });
            let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
            out.textures_delta.clear();
            // Triangles drawn: shows that the visible rows really are laid out and painted.
            prims
                .iter()
                .map(|p| match &p.primitive {
                    egui::epaint::Primitive::Mesh(m) => m.indices.len() / 3,
                    egui::epaint::Primitive::Callback(_) => 0,
                })
                .sum::<usize>()
        };
        // Warm up: fonts, glyph atlas, measuring the rows in view.
        for _ in 0..30 {
            frame(&mut view);
        }
        let mut times = Vec::new();
        for _ in 0..200 {
            let start = Instant::now();
            std::hint::black_box(frame(&mut view));
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let p99 = times[times.len() * 99 / 100];
        let prims = frame(&mut view);
        results.push((n, median, p99, prims));
    }
    println!("| messages | median ms/frame | p99 ms/frame | triangles |");
    println!("|---:|---:|---:|---:|");
    for (n, median, p99, prims) in results {
        println!("| {n} | {median:.3} | {p99:.3} | {prims} |");
    }
}
