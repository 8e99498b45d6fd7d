//! TurnChat: a turn-based LAN chat that speaks, byte for byte, the protocol of the classic
//! Python GBK socket teaching pair (see `../shared/PROTOCOL.md` and the README).
//!
//! # Layout
//! - [`core`]: the pure core (no egui, sockets, files or clocks): turns, the streaming
//!   codec with its send guards (one per encoding, matching Python's strict codecs), the
//!   "looks like UTF-8" rule, message framing (line endings, free-talk bursts), typed
//!   hex, the transcript model, address checks, error sentences.
//! - [`net`]: the I/O shell: the backend, one named thread per role (listener or
//!   connector), one per conversation of a server (plus its acceptor), a reader thread per
//!   conversation, typed commands and events, transcript files; LAN discovery's mDNS
//!   announcer and browser (`net::discovery`, around the pure `core::discovery`).
//! - [`state`]: the window's state as a reducer over backend events.
//! - [`signals`]: the unread count in the title, attention requests and notifications.
//! - `ui`: one view per file; each returns the user's intent (feature `gui`).
//! - `app`: the eframe app that wires events, state, views and intents together (feature
//!   `gui`, on by default; without it nothing here depends on egui).
//! - [`lan`]: LAN discovery as the window runs it: which browser and announcer run,
//!   and the live list of servers found (the multicast DNS is `net::discovery`).
//! - [`keeping`]: keeping conversations (save flow, History, file notices) as a pure
//!   reducer over job reports.
//! - [`jobs`]: background work for the window (dialogs, saving, history).
//! - [`files`]: atomic writes, settings on disk, opening folders.
//! - `frames`: frame pacing (at most one frame per display refresh) and frame statistics
//!   (feature `gui`); the timing decision is `core::pacing`.
//! - [`paths`]: where files live.
//! - [`applog`]: the log file, for people who never see a terminal.
//! - [`words`]: the catalogue: every word a person reads, in Chinese and English.

// No unsafe code in the library at all (Cargo.toml only denies it, for the binary's
// three Win32 calls).
#![forbid(unsafe_code)]

#[cfg(feature = "gui")]
pub mod app;
pub mod applog;
pub mod core;
pub mod files;
#[cfg(feature = "gui")]
pub mod frames;
pub mod jobs;
pub mod keeping;
pub mod lan;
pub mod net;
pub mod paths;
pub mod signals;
pub mod state;
#[cfg(feature = "gui")]
pub mod ui;
pub mod words;

/// The application id: the window's app id (Wayland) and class (X11), the name of the
/// desktop entry, the icon and the AppStream component, so that desktops can match the
/// window to its entry and show the right icon.
pub const APP_ID: &str = "org.turnchat.TurnChat";
