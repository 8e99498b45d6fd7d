//! The line under the form: what went wrong. (What to tell the other person is in the
//! form's running line; conversations are picked in the list beside the transcript.)

use eframe::egui::{self, RichText};

use super::style;
use crate::core::lang::{Lang, Say};
use crate::state::State;

/// Draws the last error, if any, as a sentence in `lang`.
pub fn ui(ui: &mut egui::Ui, state: &State, lang: Lang) {
    if let Some(error) = &state.error {
        ui.label(RichText::new(error.say(lang)).color(style::error(ui)));
    }
}
