//! Every word a person reads, in Simplified Chinese and in English.
//!
//! The catalogue is Rust, not message files: each thing the app can say is a typed value
//! (an error, a notice, a label) that implements [`Say`](crate::core::lang::Say), whose two methods word it in
//! each language side by side. A value with one language missing does not compile, and the
//! arguments cannot disagree between languages because both read the same fields. Core and
//! network code never produce sentences; the window words values at display time, so
//! switching language re-words what is already on screen.
//!
//! The terms both languages use are in `GLOSSARY.md` beside this file.
//!
//! Why Rust and not Fluent files (`i18n-embed` + `fl!`): it is as checked and simpler.
//! Fluent's macro checks that an id exists, but arguments travel as a string map, so a
//! misspelt or missing argument is found at run time; here a language left out of a match
//! does not compile, and both languages read the same typed fields. `samples.rs` holds a
//! sample of every variant of every worded type (checked against an exhaustive match) and
//! the tests word each in both languages, check that every argument shows, and that every
//! character has a glyph in the bundled fonts. No message files to load or parse at start,
//! no proc-macro crates, and no Unicode isolation marks (U+2068/U+2069), which show as boxes
//! in our fonts and break label lookups in tests.

pub mod discovery;
pub mod door;
pub mod encoding;
mod errors;
pub mod export;
pub mod find;
pub mod glance;
mod labels;
mod notices;
pub mod probe;
pub mod recent;
pub mod roster;
// Built for the tests only: release builds do not carry them.
#[cfg(test)]
pub(crate) mod samples;
pub mod talk;
pub mod trust;
pub mod why;

pub use labels::Label;
pub use notices::Phrase;
