//! The command line around the window: the flags, failures told as sentences, and the
//! `--discover` and `--why` commands, which need no window at all.
//!
//! `main.rs` stays a few steps: [`parse`] the flags, answer `--discover`, install the
//! [`install_panic_hook`], build the app's options and open the window, and [`report`]
//! what stopped it. People start TurnChat by double-clicking it, so none of this may need
//! a terminal to be seen (see [`failure`]).

mod discover;
pub mod failure;
pub mod flags;
mod why;

// The release .exe is a GUI program: its standard output and error need the parent's
// console. The only unsafe code in TurnChat (three Win32 calls), allowed in this module.
#[cfg(windows)]
mod console;

pub use discover::discover;
pub use failure::{install_panic_hook, missing_display, report, set_lang};
pub use flags::{Flags, RendererChoice, parse};
pub use why::why;
