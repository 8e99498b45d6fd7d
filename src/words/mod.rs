//! Every word a person reads, in Simplified Chinese and in English.
//!
//! The catalogue is Rust, not message files: each thing the app can say is a typed value
//! (an error, a notice, a label) that implements [`Say`], whose two methods word it in
//! each language side by side. A value with one language missing does not compile, and the
//! arguments cannot disagree between languages because both read the same fields. Core and
//! network code never produce sentences; the window words values at display time, so
//! switching language re-words what is already on screen.
//!
//! The terms both languages use are in `GLOSSARY.md` beside this file.

use serde::{Deserialize, Serialize};

/// The language of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
}

/// Something the app can put into words in either language.
pub trait Say {
    /// In English.
    fn en(&self) -> String;
    /// In Simplified Chinese.
    fn zh(&self) -> String;
    /// In `lang`.
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::ZhCn => self.zh(),
        }
    }
}

pub mod encoding;
