//! The `turnchat` binary: read the flags, open the window, turn failures into sentences.
//!
//! The flags, the sentences and `--discover` live in the library (`turnchat::app::cli`);
//! this file chooses the renderer and opens the window.

// Release builds on Windows are GUI programs: no console window opens beside TurnChat.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use turnchat::app::cli::{self, RendererChoice, report};
use turnchat::app::{AppOptions, Launch, TurnChatApp};
use turnchat::core::lang::Say;
use turnchat::desktop::locale::system_lang;
use turnchat::words::Phrase;

/// The window icon (also installed for the desktop entry; see `tools/make-icons.sh`).
static ICON_PNG: &[u8] = include_bytes!("../assets/icons/png/turnchat-256.png");

fn main() -> ExitCode {
    // Folders and files left readable to others (an older TurnChat, a loose umask) are
    // made private before anything is written.
    turnchat::desktop::paths::tighten();
    // A server needs descriptors: the soft open-file limit goes up to the hard one.
    turnchat::net::limits::raise_open_files();
    // The log opens first, so that even a flag error reaches it.
    if let Some(path) = turnchat::desktop::paths::log_file() {
        turnchat::desktop::applog::init(path);
    }
    // Help and flag errors are in the system's language: no settings are read yet.
    let system_lang = system_lang();
    let flags = match cli::parse(system_lang) {
        Ok(flags) => flags,
        Err(status) => return status,
    };
    if flags.discover {
        let interface = flags.interface.as_deref();
        return cli::discover(flags.seconds, flags.watch, flags.json, interface, flags.ask);
    }
    if flags.why {
        let remembered = turnchat::desktop::paths::settings_file()
            .map(|p| turnchat::desktop::files::load_settings(&p).settings)
            .unwrap_or_default();
        let lang = flags.lang.or(remembered.lang).unwrap_or(system_lang);
        return cli::why(lang, flags.connect, &remembered.discovery_interface);
    }
    cli::install_panic_hook();
    turnchat::desktop::applog::line(&format!(
        "TurnChat {} is starting.",
        env!("CARGO_PKG_VERSION")
    ));
    panic_if_testing();
    let launch = match (flags.listen, flags.connect) {
        (Some((host, port)), _) => Some(Launch::Listen { host, port }),
        (None, Some((host, port))) => Some(Launch::Connect { host, port }),
        (None, None) => None,
    };
    let settings_path = turnchat::desktop::paths::settings_file();
    let loaded = settings_path
        .as_deref()
        .map(turnchat::desktop::files::load_settings);
    if let Some(notice) = loaded.as_ref().and_then(|l| l.notice.as_ref()) {
        // The window shows it too, once it is open.
        turnchat::desktop::applog::line(&notice.en());
    }
    // The window's language, for what is said before the window opens.
    let lang = flags
        .lang
        .or_else(|| loaded.as_ref().and_then(|l| l.settings.lang))
        .unwrap_or(system_lang);
    cli::set_lang(lang);
    if let Some(problem) = cli::missing_display() {
        // No message box can open without a display: standard error and the log remain.
        report(&problem, false);
        return ExitCode::FAILURE;
    }
    let options = AppOptions {
        launch,
        transcripts: turnchat::desktop::paths::transcripts_dir(),
        settings: loaded
            .as_ref()
            .map(|l| l.settings.clone())
            .unwrap_or_default(),
        settings_notice: loaded.and_then(|l| l.notice),
        settings_path,
        save_dialog: None,
        log_to_stdout: true,
        one_at_a_time: flags.one_at_a_time,
        per_address: flags.per_address,
        free_talk: flags.free_talk,
        line_ending: flags.line_ending,
        encoding: flags.encoding,
        notifier: None,
        // For tools/bench-window.sh: frames drawn, read once a second from stdout.
        frame_stats: std::env::var_os("TURNCHAT_FRAME_STATS").is_some_and(|v| v == "1"),
        lang: flags.lang,
        system_lang,
        // TURNCHAT_NO_DISCOVERY=1: no multicast at all (checks that run the binary on a
        // machine's real interfaces, and machines where multicast is not wanted).
        discovery: if std::env::var_os("TURNCHAT_NO_DISCOVERY").is_some_and(|v| v == "1") {
            turnchat::net::lan::DiscoveryMode::Off
        } else {
            turnchat::net::lan::DiscoveryMode::Network
        },
        no_announce: flags.no_announce,
        reconnect: flags.reconnect,
        roster: flags.roster,
        names_path: turnchat::desktop::paths::names_file(),
        system_readings: None,
        known_path: turnchat::desktop::paths::known_file(),
    };

    let order = match flags.renderer.unwrap_or_else(RendererChoice::native) {
        RendererChoice::Wgpu => [eframe::Renderer::Wgpu, eframe::Renderer::Glow],
        RendererChoice::Glow => [eframe::Renderer::Glow, eframe::Renderer::Wgpu],
    };
    let mut failures = Vec::new();
    for renderer in order {
        match run(renderer, options.clone()) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                let line = format!(
                    "the {} renderer could not start ({e}).",
                    renderer_name(renderer)
                );
                eprintln!("turnchat: {line}");
                turnchat::desktop::applog::line(&line);
                failures.push(renderer_name(renderer));
            }
        }
    }
    report(
        &Phrase::NoRenderer {
            tried: failures.iter().map(|f| (*f).to_owned()).collect(),
        }
        .say(lang),
        true,
    );
    ExitCode::FAILURE
}

/// Panics on purpose when `TURNCHAT_TEST_PANIC` is set, so that tests can check the
/// panic hook. Debug builds only (`cargo test` builds the binary that way): a release
/// build ignores the variable, so it cannot be triggered by accident.
fn panic_if_testing() {
    if cfg!(debug_assertions) && std::env::var_os("TURNCHAT_TEST_PANIC").is_some() {
        panic!("deliberate panic for a test (TURNCHAT_TEST_PANIC is set)");
    }
}

/// The window icon; without it the window still opens, with the desktop's default icon.
fn window_icon() -> Option<eframe::egui::IconData> {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => Some(icon),
        Err(e) => {
            let line = format!("the window icon could not be decoded ({e}); the window has none.");
            eprintln!("turnchat: {line}");
            turnchat::desktop::applog::line(&line);
            None
        }
    }
}

fn renderer_name(r: eframe::Renderer) -> &'static str {
    match r {
        eframe::Renderer::Glow => "OpenGL (glow)",
        eframe::Renderer::Wgpu => "wgpu",
    }
}

fn run(renderer: eframe::Renderer, options: AppOptions) -> eframe::Result {
    let mut viewport = eframe::egui::ViewportBuilder::default()
        .with_title("TurnChat")
        .with_app_id(turnchat::APP_ID)
        .with_inner_size([860.0, 620.0])
        .with_min_inner_size([520.0, 380.0]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions {
        renderer,
        viewport,
        persistence_path: turnchat::desktop::paths::window_state_file(),
        // eframe's own system-font provider is off: TurnChat adds egui's, created only when
        // a character is missing from the bundled fonts (see `turnchat::ui::fonts`).
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "TurnChat",
        native,
        Box::new(move |cc| {
            turnchat::ui::fonts::add_system_fallback(&cc.egui_ctx);
            Ok(Box::new(TurnChatApp::new(&cc.egui_ctx, options)))
        }),
    )
}
