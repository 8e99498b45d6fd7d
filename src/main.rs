//! The `turnchat` binary: parse flags, open the window, turn failures into sentences.
//!
//! People start TurnChat by double-clicking it, so a failure must not need a terminal to
//! be seen: every start-up failure and every panic is written to standard error, to the
//! log file (see `turnchat::desktop::applog`) and, when a desktop is there to show it, to a native
//! message box. With no display at all no box can open; then standard error and the log
//! file are what is left.

// Release builds on Windows are GUI programs: no console window opens beside TurnChat.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};
use turnchat::app::{AppOptions, Launch, TurnChatApp};
use turnchat::core::address::parse_host_port;
use turnchat::core::codec::WireEncoding;
use turnchat::core::framing::LineEnding;
use turnchat::core::lang::{Lang, Say};
use turnchat::desktop::locale::system_lang;
use turnchat::words::{Label, Phrase};

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

    /// Free talk: turns are not enforced, either side may send at any time (for netcat
    /// and devices). For this run only.
    #[arg(long)]
    free_talk: bool,

    /// What ends each message sent (received text splits at line ends): none (the
    /// reference protocol), lf or crlf. For this run only.
    #[arg(long, value_name = "none|lf|crlf", value_parser = parse_line_ending)]
    line_ending: Option<LineEnding>,
    /// Do not announce the server on the local network, for this run only.
    #[arg(long)]
    no_announce: bool,

    /// Connect again automatically when the connection drops without a bye (waits of
    /// 1, 2, 4 ... 30 s), for this run only.
    #[arg(long)]
    reconnect: bool,

    /// Print the TurnChat servers that announce themselves on the local network, one a
    /// line (NAME, HOST:PORT, ENCODING, free|busy, separated by tabs), and exit. Needs no
    /// display. Exits 1 when none is found.
    #[arg(long, conflicts_with_all = ["listen", "connect"])]
    discover: bool,

    /// With --discover: also print each change as it happens, "+" and the server's line
    /// when one is found or changes, "-" and its line when it goes.
    #[arg(long, requires = "discover")]
    watch: bool,

    /// With --discover: how long to listen, in seconds.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "discover",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    seconds: u64,

    /// The wire encoding for this run: gbk (the reference's, and the default), gb18030,
    /// utf-8, big5 or shift_jis. Each conversation can also change it from its header.
    #[arg(long, value_name = "ENCODING", value_parser = parse_encoding)]
    encoding: Option<WireEncoding>,

    /// Which renderer to try first (the other one is tried if it fails). Without it:
    /// glow on Linux and the BSDs, wgpu on Windows and macOS (see `RendererChoice::native`).
    #[arg(long, value_enum)]
    renderer: Option<RendererChoice>,

    /// The language of the window for this run: zh-CN (Chinese) or en (English).
    #[arg(long, value_name = "zh-CN|en", value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// The flags' command, its help worded in `lang` (clap's derive gives the English; the
/// catalogue words every text of ours in either language).
fn command(lang: Lang) -> clap::Command {
    let t = |label: Label| label.get(lang);
    Cli::command()
        .about(t(Label::CliAbout))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{}\n{{options}}{{after-help}}",
            t(Label::CliUsage),
            t(Label::CliOptions)
        ))
        .mut_arg("listen", |a| a.help(t(Label::CliListen)))
        .mut_arg("connect", |a| a.help(t(Label::CliConnect)))
        .mut_arg("one_at_a_time", |a| a.help(t(Label::CliOneAtATime)))
        .mut_arg("renderer", |a| {
            a.help(t(Label::CliRenderer))
                .hide_possible_values(true)
                .hide_default_value(true)
        })
        .mut_arg("lang", |a| a.help(t(Label::CliLang)))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(t(Label::CliHelp)),
        )
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(t(Label::CliVersion)),
        )
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::from_flag(text).ok_or_else(|| {
        Phrase::BadLang {
            value: text.to_owned(),
        }
        .say(system_lang())
    })
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RendererChoice {
    /// wgpu (Vulkan, Metal, DirectX, or OpenGL through wgpu).
    Wgpu,
    /// glow (OpenGL).
    Glow,
}

impl RendererChoice {
    /// The renderer tried first when the user did not choose. On Windows, wgpu (Direct3D
    /// 12: OpenGL drivers are Windows' weak spot, see packaging/README.md); on macOS, wgpu
    /// (Metal). On Linux and the BSDs, OpenGL: Mesa's OpenGL is everywhere, and where
    /// there is no GPU driver (virtual machines, remote desktops, Xvfb) its software
    /// renderer draws a frame of TurnChat's window for a fifth of the CPU that wgpu on
    /// Mesa's software Vulkan takes (BENCHMARKS.md, issue 14), CPU a flood or a class of
    /// chatting students needs.
    fn native() -> Self {
        if cfg!(any(windows, target_os = "macos")) {
            RendererChoice::Wgpu
        } else {
            RendererChoice::Glow
        }
    }
}

fn parse_listen(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, Some("0.0.0.0"), true).map_err(|e| e.say(system_lang()))
}

fn parse_line_ending(text: &str) -> Result<LineEnding, String> {
    LineEnding::from_label(text).ok_or_else(|| "expected none, lf or crlf".to_owned())
}

fn parse_encoding(text: &str) -> Result<WireEncoding, String> {
    WireEncoding::from_flag(text).ok_or_else(|| {
        let names: Vec<&str> = WireEncoding::ALL.iter().map(|e| e.flag()).collect();
        format!("choose one of {}", names.join(", "))
    })
}

fn parse_connect(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, None, false).map_err(|e| e.say(system_lang()))
}

/// The window icon (also installed for the desktop entry; see `tools/make-icons.sh`).
static ICON_PNG: &[u8] = include_bytes!("../assets/icons/png/turnchat-256.png");

fn main() -> ExitCode {
    // The log opens first, so that even a flag error reaches it.
    if let Some(path) = turnchat::desktop::paths::log_file() {
        turnchat::desktop::applog::init(path);
    }
    // Help and flag errors are in the system's language: no settings are read yet.
    let system_lang = system_lang();
    let cli = match command(system_lang)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return flag_answer(&e),
    };
    if cli.discover {
        return discover(cli.seconds, cli.watch);
    }
    install_panic_hook();
    turnchat::desktop::applog::line(&format!(
        "TurnChat {} is starting.",
        env!("CARGO_PKG_VERSION")
    ));
    panic_if_testing();
    let launch = match (cli.listen, cli.connect) {
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
    let lang = cli
        .lang
        .or_else(|| loaded.as_ref().and_then(|l| l.settings.lang))
        .unwrap_or(system_lang);
    set_lang(lang);
    if let Some(problem) = missing_display() {
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
        one_at_a_time: cli.one_at_a_time,
        free_talk: cli.free_talk,
        line_ending: cli.line_ending,
        encoding: cli.encoding,
        notifier: None,
        // For tools/bench-window.sh: frames drawn, read once a second from stdout.
        frame_stats: std::env::var_os("TURNCHAT_FRAME_STATS").is_some_and(|v| v == "1"),
        lang: cli.lang,
        system_lang,
        // TURNCHAT_NO_DISCOVERY=1: no multicast at all (checks that run the binary on a
        // machine's real interfaces, and machines where multicast is not wanted).
        discovery: if std::env::var_os("TURNCHAT_NO_DISCOVERY").is_some_and(|v| v == "1") {
            turnchat::net::lan::DiscoveryMode::Off
        } else {
            turnchat::net::lan::DiscoveryMode::Network
        },
        no_announce: cli.no_announce,
        reconnect: cli.reconnect,
    };

    let order = match cli.renderer.unwrap_or_else(RendererChoice::native) {
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

/// `turnchat --discover`: listens for `seconds`, prints one line per server found, exits
/// 0; with none found (or discovery unable to start) a sentence on standard error, exit 1.
/// Nothing graphical is touched.
fn discover(seconds: u64, watch: bool) -> ExitCode {
    use turnchat::core::lang::Say;
    use turnchat::net::discovery::Change;
    use turnchat::words::discovery::DiscoveryWords;
    let lang = turnchat::core::lang::Lang::En;
    #[cfg(windows)]
    parent_console::attach(false);
    let mut seen = false;
    let found =
        turnchat::net::discovery::discover_for(std::time::Duration::from_secs(seconds), |change| {
            seen = true;
            if watch {
                match change {
                    Change::Found(s) => println!("+\t{}", s.script_line()),
                    Change::Gone(s) => println!("-\t{}", s.script_line()),
                }
            }
        });
    match found {
        Ok(servers) if !servers.is_empty() || (watch && seen) => {
            if watch {
                println!("=");
            }
            for server in servers {
                println!("{}", server.script_line());
            }
            ExitCode::SUCCESS
        }
        Ok(_) => {
            #[cfg(windows)]
            parent_console::attach(true);
            eprintln!(
                "turnchat: {}",
                DiscoveryWords::NoneFound { seconds }.say(lang)
            );
            ExitCode::FAILURE
        }
        Err(problem) => {
            #[cfg(windows)]
            parent_console::attach(true);
            eprintln!("turnchat: {}", problem.say(lang));
            ExitCode::FAILURE
        }
    }
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
    let worded = flag_error(e, system_lang());
    let text = worded.clone().unwrap_or_else(|| e.render().to_string());
    if is_error {
        turnchat::desktop::applog::line(&format!(
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
    match worded {
        Some(text) => eprintln!("{text}"),
        // clap's own printing: colours on a terminal, standard error for errors.
        None => {
            let _ = e.print();
        }
    }
    status
}

/// A flag error in `lang`, for the kinds people make (a bad value, an unknown flag, two
/// flags that conflict); `None` for the rest and for English, which clap words itself.
fn flag_error(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let phrase = match e.kind() {
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => Phrase::FlagBadValue {
            arg: context(ContextKind::InvalidArg)?,
            value: context(ContextKind::InvalidValue)?,
            why: std::error::Error::source(e).map_or_else(String::new, ToString::to_string),
        },
        ErrorKind::UnknownArgument => Phrase::FlagUnknown {
            arg: context(ContextKind::InvalidArg)?,
        },
        ErrorKind::ArgumentConflict => Phrase::FlagConflict {
            arg: context(ContextKind::InvalidArg)?,
            other: context(ContextKind::PriorArg)?,
        },
        _ => return None,
    };
    Some(phrase.say(lang))
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
    if let Some(log) = turnchat::desktop::applog::line(problem) {
        let also = Phrase::AlsoWrittenIn {
            path: log.display().to_string(),
        }
        .say(lang());
        eprintln!("turnchat: {also}");
        text.push_str(&format!("\n\n{also}"));
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
        let problem = Phrase::Bug {
            message: message.to_owned(),
            location,
            thread: thread.to_owned(),
        }
        .say(lang());
        // macOS only shows dialogs from the main thread.
        let may_show = !cfg!(target_os = "macos") || thread == "main";
        tell(
            &problem,
            Some(Label::ConversationsSafe.get(lang())),
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

/// On Linux and the BSDs a window needs X11 or Wayland; say so plainly instead of panicking.
fn missing_display() -> Option<String> {
    if cfg!(all(unix, not(target_os = "macos"))) {
        let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Some(Label::NoDisplay.get(lang()).to_owned());
        }
    }
    None
}

/// The language of start-up messages (the system's until the flags and settings are read).
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

fn lang() -> Lang {
    LANG.get().copied().unwrap_or_else(system_lang)
}
