//! TurnChat: a turn-based LAN chat that speaks, byte for byte, the protocol of the classic
//! Python GBK socket teaching pair (see `../shared/PROTOCOL.md` and the README).
//!
//! # Layout
//! Seven folders, one per layer; imports only run downwards (up this list), never up or
//! in a circle:
//! - [`core`]: pure. No egui, sockets, files or clocks: turns, the streaming codec and
//!   its send guards, framing, typed hex, the transcript model, ids, the language type.
//! - [`net`]: the network shell (sockets and threads, no egui): the backend, one named
//!   thread per role and per conversation, transcript files, LAN discovery.
//! - [`desktop`]: the desktop shell (files and background jobs, no egui, no sockets):
//!   where files live, atomic writes, settings, the log, dialogs and saving.
//! - [`words`]: wording only. Every sentence a person reads, in Chinese and English.
//! - [`state`]: pure window reducers over backend events and job reports: the
//!   conversations, keeping them, auto-reconnect, find, the signals in the title and
//!   notifications.
//! - `ui`: views (feature `gui`); each draws from state and returns the user's intent.
//! - `app`: the eframe app (feature `gui`), the only place that joins the layers above.
//!
//! `main.rs` reads the command line (through `app::cli`) and starts `app`.

// No unsafe code in the library, but for the three Win32 calls that give the Windows GUI
// program a console (`app::cli`'s windows-only `console` module, the one place that allows
// it): denied, not forbidden, since a forbid could not be allowed there.
#![deny(unsafe_code)]

#[cfg(feature = "gui")]
pub mod app;
pub mod core;
pub mod desktop;
pub mod net;
pub mod state;
#[cfg(feature = "gui")]
pub mod ui;
pub mod words;

/// The application id: the window's app id (Wayland) and class (X11), the name of the
/// desktop entry, the icon and the AppStream component, so that desktops can match the
/// window to its entry and show the right icon.
pub const APP_ID: &str = "org.turnchat.TurnChat";
