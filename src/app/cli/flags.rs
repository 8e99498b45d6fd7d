//! The command line: the flags, their help in the system's language, and what TurnChat
//! answers to `--help`, `--version` and flags it cannot use.
//!
//! clap's derive gives the flags and their English help; `command` words every text of
//! ours from the catalogue, and a flag error people make (a bad value, an unknown flag, two
//! flags that conflict) reads as one of our sentences in Chinese too.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};

use crate::core::address::parse_host_port;
use crate::core::codec::WireEncoding;
use crate::core::framing::LineEnding;
use crate::core::lang::{Lang, Say};
use crate::desktop::locale::system_lang;
use crate::words::{Label, Phrase};

/// TurnChat: chat in turns with another computer on your network, in Chinese (GBK).
#[derive(Parser, Debug)]
#[command(name = "turnchat", version, about, long_about = None)]
pub struct Flags {
    /// Start the server at launch, listening on PORT or HOST:PORT (host defaults to 0.0.0.0).
    #[arg(long, value_name = "[HOST:]PORT", value_parser = parse_listen, conflicts_with = "connect")]
    pub listen: Option<(String, u16)>,

    /// Connect at launch to a server at HOST:PORT.
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_connect)]
    pub connect: Option<(String, u16)>,

    /// Serve one client at a time, like the reference server (the others wait, in order).
    /// For this run only.
    #[arg(long)]
    pub one_at_a_time: bool,

    /// How many conversations one computer may hold at once (default 8; 0: no limit, for
    /// a class behind one NAT router). For this run only.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub per_address: Option<u32>,

    /// Free talk: turns are not enforced, either side may send at any time (for netcat
    /// and devices). For this run only.
    #[arg(long)]
    pub free_talk: bool,

    /// What ends each message sent (received text splits at line ends): none (the
    /// reference protocol), lf or crlf. For this run only.
    #[arg(long, value_name = "none|lf|crlf", value_parser = parse_line_ending)]
    pub line_ending: Option<LineEnding>,
    /// Do not announce the server on the local network, for this run only.
    #[arg(long)]
    pub no_announce: bool,

    /// Connect again automatically when the connection drops without a bye (waits of
    /// 1, 2, 4 ... 30 s), for this run only.
    #[arg(long)]
    pub reconnect: bool,

    /// Print the TurnChat servers that announce themselves on the local network, one a
    /// line (NAME, HOST:PORT, ENCODING, free|busy, separated by tabs; a fifth field
    /// look-alike and/or moved when the name looks like another's or was first seen at
    /// another computer; in NAME, \ \t \n \r and \u{XXXX} stand for what could mislead a
    /// terminal or a script), and exit. Needs no display. Exits 1 when none is found.
    #[arg(long, conflicts_with_all = ["listen", "connect"])]
    pub discover: bool,

    /// Print what the window's "Why?" panel checks, one sentence a line (in the --lang
    /// language): the network interfaces TurnChat announces and looks for servers on and
    /// those it skips, whether a firewall may block UDP 5353 or the chat port, and, with
    /// --connect, whether that server is on another subnet. Then exit. Needs no display.
    #[arg(long, conflicts_with_all = ["listen", "discover"])]
    pub why: bool,

    /// With --discover: also print each change as it happens, "+" and the server's line
    /// when one is found or changes, "-" and its line when it goes.
    #[arg(long, requires = "discover")]
    pub watch: bool,

    /// With --discover: print JSON Lines instead, one object a server (and a change), with
    /// "event" (found, gone, listed), "name", "visible_name", "host", "port", "encoding",
    /// "encoding_announced", "state", "conversations", "marks" and "moved_from".
    #[arg(long, requires = "discover")]
    pub json: bool,

    /// With --discover: look for servers on this network interface only (its name, such
    /// as eth0 or Wi-Fi), as the window does once one is chosen in its "Why?" panel.
    #[arg(long, value_name = "NAME", requires = "discover")]
    pub interface: Option<String>,

    /// With --discover: how long to listen, in seconds.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "discover",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,

    /// With --discover: also ask these addresses directly whether a TurnChat server is
    /// there (servers on other subnets): addresses, ranges (10.0.2.10-40) and blocks
    /// (10.0.2.0/24), separated by commas, at most 256 addresses. Only UDP port 5353 of each
    /// is asked; servers that answer get the mark "asked".
    #[arg(long, value_name = "ADDRESSES", requires = "discover", value_parser = parse_ask)]
    pub ask: Option<String>,

    /// The wire encoding for this run: gbk (the reference's, and the default), gb18030,
    /// utf-8, big5 or shift_jis. Each conversation can also change it from its header.
    #[arg(long, value_name = "ENCODING", value_parser = parse_encoding)]
    pub encoding: Option<WireEncoding>,

    /// Which renderer to try first (the other one is tried if it fails). Without it:
    /// glow on Linux and the BSDs, wgpu on Windows and macOS (see `RendererChoice::native`).
    #[arg(long, value_enum)]
    pub renderer: Option<RendererChoice>,

    /// A class list (CSV with a header naming name and IP columns) whose names are shown
    /// for the students' computers, for this run only.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<std::path::PathBuf>,

    /// The language of the window for this run: zh-CN (Chinese) or en (English).
    #[arg(long, value_name = "zh-CN|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

/// Reads the command line, its help and errors worded in `lang`. Help, version and flag
/// errors are answered here (on standard output or error, or in a message box on Windows
/// when there is no console); they come back as the exit status to end with.
pub fn parse(lang: Lang) -> Result<Flags, ExitCode> {
    command(lang)
        .try_get_matches()
        .and_then(|m| Flags::from_arg_matches(&m))
        .map_err(|e| flag_answer(&e, lang))
}

/// The flags' command, its help worded in `lang` (clap's derive gives the English; the
/// catalogue words every text of ours in either language).
fn command(lang: Lang) -> clap::Command {
    let t = |label: Label| label.get(lang);
    Flags::command()
        .about(t(Label::CliAbout))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{}\n{{options}}{{after-help}}",
            t(Label::CliUsage),
            t(Label::CliOptions)
        ))
        .mut_arg("listen", |a| a.help(t(Label::CliListen)))
        .mut_arg("connect", |a| a.help(t(Label::CliConnect)))
        .mut_arg("one_at_a_time", |a| a.help(t(Label::CliOneAtATime)))
        .mut_arg("per_address", |a| a.help(t(Label::CliPerAddress)))
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

/// The renderers `--renderer` chooses from.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RendererChoice {
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
    pub fn native() -> Self {
        if cfg!(any(windows, target_os = "macos")) {
            RendererChoice::Wgpu
        } else {
            RendererChoice::Glow
        }
    }
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::from_flag(text).ok_or_else(|| {
        Phrase::BadLang {
            value: text.to_owned(),
        }
        .say(system_lang())
    })
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

/// Checks `--ask`'s addresses (`crate::core::probe_targets`); they are read again where used.
fn parse_ask(text: &str) -> Result<String, String> {
    crate::core::probe_targets::parse_targets(text)
        .map(|_| text.to_owned())
        .map_err(|e| e.say(system_lang()))
}

fn parse_connect(text: &str) -> Result<(String, u16), String> {
    parse_host_port(text, None, false).map_err(|e| e.say(system_lang()))
}

/// Shows what clap has to say about the flags (`--help`, `--version`, or a flag error) and
/// returns the exit status: 0 for help and version, 2 for an error. Errors also go to the
/// log file.
///
/// On Windows the release .exe is a GUI program, whose standard output and error lead
/// nowhere: the text goes to the console TurnChat was started from (cmd.exe, PowerShell)
/// when there is one, and into a message box when there is none (a shortcut, Explorer).
fn flag_answer(e: &clap::Error, lang: Lang) -> ExitCode {
    let is_error = e.use_stderr();
    let worded = flag_error(e, lang);
    let text = worded.clone().unwrap_or_else(|| e.render().to_string());
    if is_error {
        crate::desktop::applog::line(&format!(
            "TurnChat was started with flags it cannot use: {}",
            text.trim_end()
        ));
    }
    let status = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    #[cfg(windows)]
    if !super::console::attach(is_error) {
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
