//! What one very long peer message costs the window (docs/FAULTS.md, cases 4 and 7).
//!
//! `cargo run --release --example big_message_cost` prints, for a 100,000-character line
//! and for a message at the 1 MiB display cap, the CPU time of the frame that lays the
//! message out and of the frames after it (an egui pass plus tessellation), and of frames
//! while a flood grows the message 64 KiB at a time.

use std::time::{Duration, Instant};

use chrono::DateTime;
use eframe::egui;
use turnchat::core::transcript::Transcript;
use turnchat::ui::transcript_view::TranscriptView;

struct Window {
    ctx: egui::Context,
    view: TranscriptView,
}

impl Window {
    fn new() -> Self {
        let ctx = egui::Context::default();
        turnchat::ui::fonts::install(&ctx);
        turnchat::ui::style::install(&ctx);
        Window {
            ctx,
            view: TranscriptView::default(),
        }
    }

    fn frame(&mut self, t: &Transcript) -> Duration {
        let start = Instant::now();
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(860.0, 620.0),
            )),
            ..Default::default()
        };
        let view = &mut self.view;
        let mut out = self.ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                view.ui(ui, 1, t, None, turnchat::core::lang::Lang::En);
            });
        });
        let prims = self
            .ctx
            .tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
        std::hint::black_box(prims);
        start.elapsed()
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn main() {
    let at = DateTime::parse_from_rfc3339("2026-11-25T14:02:11+08:00").expect("time");
    println!("| message | layout frame ms | next frames ms |");
    println!("|---|---:|---|");
    for (name, text) in [
        ("100,000 characters, no spaces", "长".repeat(100_000)),
        ("1 MiB of Latin (the cap)", "W".repeat(1 << 20)),
        ("1 MiB of GBK Chinese (the cap)", "洪水".repeat(1 << 18)),
    ] {
        let mut w = Window::new();
        let mut t = Transcript::default();
        t.peer_chunk(at, true, &text, text.as_bytes(), 0);
        let first = w.frame(&t);
        let next: Vec<String> = (0..3).map(|_| ms(w.frame(&t))).collect();
        println!("| {name} | {} | {} |", ms(first), next.join(", "));
    }
    // A flood: the open message grows by 64 KiB between frames, up to the cap.
    let mut w = Window::new();
    let mut t = Transcript::default();
    let chunk = "W".repeat(64 * 1024);
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    for i in 0..16 {
        t.peer_chunk(at, i == 0, &chunk, chunk.as_bytes(), 0);
        let d = w.frame(&t);
        worst = worst.max(d);
        total += d;
    }
    println!(
        "\nA message growing 64 KiB per frame up to 1 MiB: 16 frames, {} ms in all, the slowest {} ms.",
        ms(total),
        ms(worst)
    );
}
