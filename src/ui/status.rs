//! The line under the form: what went wrong. (What to tell the other person is in the
//! form's running line; conversations are picked in the list beside the transcript.)

use eframe::egui::{self, RichText};

use super::style;
use crate::state::State;

/// Draws the last error, if any, as a sentence.
pub fn ui(ui: &mut egui::Ui, state: &State) {
    if let Some(error) = &state.error {
        ui.label(RichText::new(error).color(style::error(ui)));
    }
}
