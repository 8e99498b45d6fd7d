//! The `turnchat` binary: parse flags, open the window, turn failures into sentences.
//!
//! People start TurnChat by double-clicking it, so a failure must not need a terminal to
//! be seen: every start-up failure and every panic is written to standard error, to the
//! log file (see `turnchat::applog`) and, when a desktop is there to show it, to a native
//! message box. With no display at all no box can open; then standard error and the log
//! file are what is left.

// Release builds on Windows are GUI programs: no console window opens beside TurnChat.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use turnchat::app::{AppOptions, Launch, TurnChatApp};
use turnchat::core::address::parse_host_port;
use turnchat::core::codec::WireEncoding;

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

    /// Serve one client at a time, like the reference server (the others wait, in order).
    /// For this run only.
    #[arg(long)]
    one_at_a_time: bool,

    /// The wire encoding for this run: gbk (the reference's, and the default), gb18030,
    /// utf-8, big5 or shift_jis. Each conversation can also change it from its header.
    #[arg(long, value_name = "ENCODING", value_parser = parse_encoding)]
    encoding: Option<WireEncoding>,

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

fn parse_encoding(text: &str) -> Result<WireEncoding, String> {
    WireEncoding::from_flag(text).ok_or_else(|| {
        let names: Vec<&str> = WireEncoding::ALL.iter().map(|e| e.flag()).collect();
        format!("choose one of {}", names.join(", "))
    })
}

fn parse_connect(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, None, false).map_err(|e| e.to_string())
}

/// The window icon (also installed for the desktop entry; see `tools/make-icons.sh`).
static ICON_PNG: &[u8] = include_bytes!("../assets/icons/png/turnchat-256.png");

fn main() -> ExitCode {
    // The log opens first, so that even a flag error reaches it.
    if let Some(path) = turnchat::paths::log_file() {
        turnchat::applog::init(path);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return flag_answer(&e),
    };
    install_panic_hook();
    turnchat::applog::line(&format!(
        "TurnChat {} is starting.",
        env!("CARGO_PKG_VERSION")
    ));
    panic_if_testing();
    let launch = match (cli.listen, cli.connect) {
        (Some((host, port)), _) => Some(Launch::Listen { host, port }),
        (None, Some((host, port))) => Some(Launch::Connect { host, port }),
        (None, None) => None,
    };
    let settings_path = turnchat::paths::settings_file();
    let loaded = settings_path.as_deref().map(turnchat::files::load_settings);
    if let Some(notice) = loaded.as_ref().and_then(|l| l.notice.as_ref()) {
        // The window shows it too, once it is open.
        turnchat::applog::line(&notice.to_string());
    }
    if let Some(problem) = missing_display() {
        // No message box can open without a display: standard error and the log remain.
        report(problem, false);
        return ExitCode::FAILURE;
    }
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
        one_at_a_time: cli.one_at_a_time,
        encoding: cli.encoding,
        notifier: None,
        // For tools/bench-window.sh: frames drawn, read once a second from stdout.
        frame_stats: std::env::var_os("TURNCHAT_FRAME_STATS").is_some_and(|v| v == "1"),
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
                let line = format!(
                    "the {} renderer could not start ({e}).",
                    renderer_name(renderer)
                );
                eprintln!("turnchat: {line}");
                turnchat::applog::line(&line);
                failures.push(renderer_name(renderer));
            }
        }
    }
    report(
        &format!(
            "TurnChat could not open its window: neither {} could start. Update your graphics driver, or install Mesa (Debian: apt-get install mesa-vulkan-drivers libgl1-mesa-dri).",
            failures.join(" nor ")
        ),
        true,
    );
    ExitCode::FAILURE
}

/// Shows what clap has to say about the flags (`--help`, `--version`, or a flag error) and
/// returns the exit status: 0 for help and version, 2 for an error. Errors also go to the
/// log file.
///
/// On Windows the release .exe is a GUI program, whose standard output and error lead
/// nowhere: the text goes to the console TurnChat was started from (cmd.exe, PowerShell)
/// when there is one, and into a message box when there is none (a shortcut, Explorer).
fn flag_answer(e: &clap::Error) -> ExitCode {
    let is_error = e.use_stderr();
    let text = e.render().to_string();
    if is_error {
        turnchat::applog::line(&format!(
            "TurnChat was started with flags it cannot use: {}",
            text.trim_end()
        ));
    }
    let status = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    #[cfg(windows)]
    if !parent_console::attach(is_error) {
        let _ = rfd::MessageDialog::new()
            .set_level(if is_error {
                rfd::MessageLevel::Error
            } else {
                rfd::MessageLevel::Info
            })
            .set_title("TurnChat")
            .set_description(text.trim_end())
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
        return status;
    }
    // clap's own printing: colours on a terminal, standard error for errors.
    let _ = e.print();
    status
}

mod parent_console {
    //! Standard output and error for a Windows GUI program (Windows only).
    //!
    //! A GUI-subsystem program gets no console, and its standard handles are empty unless
    //! the parent redirected them (a file, a pipe: then they are used as they are; Wine
    //! also passes its own standard output on). Attaching to the parent's console (when it has one) and
    //! pointing an empty standard handle at it lets `turnchat --help` in cmd.exe or
    //! PowerShell print where the user is looking. The parent does not wait for a GUI
    //! program, so the text may follow its next prompt.
    //!
    //! These three calls are the only unsafe code in TurnChat: plain Win32 calls without
    //! pointers, each checked.
    #![cfg(windows)]
    #![allow(unsafe_code)]

    use std::os::windows::io::IntoRawHandle;

    use windows_sys::Win32::Foundation::{ERROR_ACCESS_DENIED, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
        STD_OUTPUT_HANDLE, SetStdHandle,
    };

    /// Makes sure the standard handle for `error` (standard error) or not (standard
    /// output) leads somewhere: where the parent pointed it (a file, a pipe), else to the
    /// parent's console. Returns false when there is neither.
    pub fn attach(error: bool) -> bool {
        let which = if error {
            STD_ERROR_HANDLE
        } else {
            STD_OUTPUT_HANDLE
        };
        if usable(which) {
            return true;
        }
        // SAFETY: AttachConsole takes a process id and touches no memory of ours.
        let attached = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } != 0
            // Already attached: a console program (a debug build) or a console parent.
            || std::io::Error::last_os_error().raw_os_error()
                == Some(ERROR_ACCESS_DENIED as i32);
        attached && (usable(which) || point_at_console(which))
    }

    fn usable(which: STD_HANDLE) -> bool {
        // SAFETY: GetStdHandle only reads the process's table of standard handles.
        let handle = unsafe { GetStdHandle(which) };
        !handle.is_null() && handle != INVALID_HANDLE_VALUE
    }

    /// Opens the console's output (`CONOUT$`) and makes it the standard handle `which`,
    /// where Rust's standard output and error look for it at every write.
    fn point_at_console(which: STD_HANDLE) -> bool {
        let Ok(console) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("CONOUT$")
        else {
            return false;
        };
        // The handle stays open for the rest of the process, as a standard handle does.
        let handle = console.into_raw_handle();
        // SAFETY: `handle` is a valid console handle that we own and never close.
        unsafe { SetStdHandle(which, handle) != 0 }
    }
}

/// Tells the user why TurnChat cannot go on: on standard error, in the log file and,
/// if `show_box` and a desktop is there, in a native message box (which blocks until it
/// is closed).
fn report(problem: &str, show_box: bool) {
    tell(problem, None, show_box);
}

/// [`report`], with `advice` added to the message box.
fn tell(problem: &str, advice: Option<&str>, show_box: bool) {
    eprintln!("turnchat: {problem}");
    let mut text = problem.to_owned();
    if let Some(log) = turnchat::applog::line(problem) {
        eprintln!("turnchat: this is also written in {}.", log.display());
        text.push_str(&format!("\n\nThis is also written in {}.", log.display()));
    }
    if let Some(advice) = advice {
        text.push_str("\n\n");
        text.push_str(advice);
    }
    if show_box && missing_display().is_none() {
        message_box(&text);
    }
}

fn message_box(text: &str) {
    // On Linux rfd shows this with zenity (the .deb depends on it); if zenity is
    // missing, rfd logs that and returns, and stderr and the log file remain.
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("TurnChat")
        .set_description(text)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// Writes a panic's message and location to the log file and standard error, and shows
/// them in a message box when it can.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("(no message)");
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_else(|| "an unknown place".to_owned());
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("unnamed");
        let problem = format!(
            "TurnChat stopped because of a bug: “{message}” at {location} (thread {thread}). Please report it with the log file."
        );
        // macOS only shows dialogs from the main thread.
        let may_show = !cfg!(target_os = "macos") || thread == "main";
        tell(
            &problem,
            Some("Your conversations so far are in the transcripts folder."),
            may_show,
        );
    }));
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
            turnchat::applog::line(&line);
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
        persistence_path: turnchat::paths::window_state_file(),
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
