//! The `turnchat` binary: parse flags, open the window, turn failures into sentences.

use std::process::ExitCode;

use clap::Parser;
use turnchat::app::{AppOptions, Launch, TurnChatApp};
use turnchat::core::address::parse_host_port;

/// TurnChat: chat in turns with another computer on your network, in Chinese (GBK).
#[derive(Parser, Debug)]
#[command(name = "turnchat", version, about, long_about = None)]
struct Cli {
    /// Start the server at launch, listening on PORT or HOST:PORT (host defaults to 0.0.0.0).
    #[arg(long, value_name = "[HOST:]PORT", value_parser = parse_listen, conflicts_with = "connect")]
    listen: Option<(String, u16)>,

    /// Connect at launch to a server at HOST:PORT.
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_connect)]
    connect: Option<(String, u16)>,

    /// Which renderer to try first (the other one is tried if it fails).
    #[arg(long, value_enum, default_value_t = RendererChoice::Wgpu)]
    renderer: RendererChoice,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RendererChoice {
    /// wgpu (Vulkan, Metal, DirectX, or OpenGL through wgpu).
    Wgpu,
    /// glow (OpenGL).
    Glow,
}

fn parse_listen(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, Some("0.0.0.0"), true).map_err(|e| e.to_string())
}

fn parse_connect(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, None, false).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(problem) = missing_display() {
        eprintln!("turnchat: {problem}");
        return ExitCode::FAILURE;
    }
    let launch = match (cli.listen, cli.connect) {
        (Some((host, port)), _) => Some(Launch::Listen { host, port }),
        (None, Some((host, port))) => Some(Launch::Connect { host, port }),
        (None, None) => None,
    };
    let settings_path = turnchat::paths::settings_file();
    let loaded = settings_path.as_deref().map(turnchat::files::load_settings);
    let options = AppOptions {
        launch,
        transcripts: turnchat::paths::transcripts_dir(),
        settings: loaded
            .as_ref()
            .map(|l| l.settings.clone())
            .unwrap_or_default(),
        settings_notice: loaded.and_then(|l| l.notice),
        settings_path,
        save_dialog: None,
        log_to_stdout: true,
    };

    let order = match cli.renderer {
        RendererChoice::Wgpu => [eframe::Renderer::Wgpu, eframe::Renderer::Glow],
        RendererChoice::Glow => [eframe::Renderer::Glow, eframe::Renderer::Wgpu],
    };
    let mut failures = Vec::new();
    for renderer in order {
        match run(renderer, options.clone()) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "turnchat: the {} renderer could not start ({e}).",
                    renderer_name(renderer)
                );
                failures.push(renderer_name(renderer));
            }
        }
    }
    eprintln!(
        "turnchat: TurnChat could not open its window: neither {} could start. Update your graphics driver, or install Mesa (Debian: apt-get install mesa-vulkan-drivers libgl1-mesa-dri).",
        failures.join(" nor ")
    );
    ExitCode::FAILURE
}

fn renderer_name(r: eframe::Renderer) -> &'static str {
    match r {
        eframe::Renderer::Glow => "OpenGL (glow)",
        eframe::Renderer::Wgpu => "wgpu",
    }
}

fn run(renderer: eframe::Renderer, options: AppOptions) -> eframe::Result {
    let native = eframe::NativeOptions {
        renderer,
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("TurnChat")
            .with_app_id("turnchat")
            .with_inner_size([860.0, 620.0])
            .with_min_inner_size([520.0, 380.0]),
        persistence_path: turnchat::paths::window_state_file(),
        // Every character TurnChat can receive is in its bundled fonts.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "TurnChat",
        native,
        Box::new(move |cc| Ok(Box::new(TurnChatApp::new(&cc.egui_ctx, options)))),
    )
}

/// On Linux and the BSDs a window needs X11 or Wayland; say so plainly instead of panicking.
fn missing_display() -> Option<&'static str> {
    if cfg!(all(unix, not(target_os = "macos"))) {
        let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Some(
                "TurnChat needs a graphical desktop, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from your desktop session, or under Xvfb for testing.",
            );
        }
    }
    None
}
