//! An empty eframe window built with TurnChat's features and profile: the baseline for
//! start-up time and idle memory in BENCHMARKS.md. Prints `turnchat: window shown` after
//! its first frame, like TurnChat.

use eframe::egui;

struct Empty {
    shown: bool,
}

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("empty");
        });
        if !self.shown {
            self.shown = true;
            println!("turnchat: window shown");
        }
    }
}

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        // The renderer TurnChat tries first here (src/app/cli/flags.rs, `RendererChoice::native`).
        renderer: if cfg!(any(windows, target_os = "macos")) {
            eframe::Renderer::Wgpu
        } else {
            eframe::Renderer::Glow
        },
        viewport: egui::ViewportBuilder::default()
            .with_title("Empty")
            .with_inner_size([860.0, 620.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Empty",
        options,
        Box::new(|_| Ok(Box::new(Empty { shown: false }))),
    )
}
