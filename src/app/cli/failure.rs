//! Failures told to a person who started TurnChat by double-clicking it.
//!
//! A failure must not need a terminal to be seen: every start-up failure and every panic
//! is written to standard error, to the log file (see [`crate::desktop::applog`]) and,
//! when a desktop is there to show it, to a native message box. With no display at all no
//! box can open; then standard error and the log file are what is left. These sentences
//! are in the window's language once the flags and settings have chosen it ([`set_lang`]).

use crate::core::lang::{Lang, Say};
use crate::desktop::applog;
use crate::desktop::locale::system_lang;
use crate::words::{Label, Phrase};

/// Tells the user why TurnChat cannot go on: on standard error, in the log file and,
/// if `show_box` and a desktop is there, in a native message box (which blocks until it
/// is closed).
pub fn report(problem: &str, show_box: bool) {
    tell(problem, None, show_box);
}

/// [`report`], with `advice` added to the message box.
fn tell(problem: &str, advice: Option<&str>, show_box: bool) {
    eprintln!("turnchat: {problem}");
    let mut text = problem.to_owned();
    if let Some(log) = applog::line(problem) {
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
pub fn install_panic_hook() {
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

/// On Linux and the BSDs a window needs X11 or Wayland; say so plainly instead of panicking.
pub fn missing_display() -> Option<String> {
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

/// Says failures in `lang` from now on (the window's language, once the flags and
/// settings are read).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

fn lang() -> Lang {
    LANG.get().copied().unwrap_or_else(system_lang)
}
