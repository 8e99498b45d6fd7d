//! The app (`TurnChatApp`) in an egui_kittest harness, with the app's own fonts, on real
//! loopback sockets: the form and the chat, free talk and hex, the conversation list,
//! keeping, both languages, what fits, discovery's list, encodings in the window, and the
//! fonts. Widgets are found by their accessible labels, as a screen reader would; kittest
//! also fails on unnamed inputs and on missing glyphs.

/// The helpers of `tests/common/` this binary uses. Each binary names its own, so that
/// the compiler still finds a helper that no test uses.
#[path = "../common"]
mod common {
    pub mod base;
    pub mod harness;
    pub mod peers;
    pub mod process;
    pub mod raw;
    pub mod transcript;
    pub mod wire;
    pub use base::*;
}

mod class_glance;
mod class_names;
mod conversations;
mod discovery_marks;
mod discovery_ui;
mod door;
mod faults;
mod find;
mod fit;
mod fonts;
mod history_find;
mod keep;
mod lang;
mod probe_ui;
mod recent_ui;
mod talk_ui;
mod trust_ui;
mod ui;
mod ui_encoding;
mod why;
