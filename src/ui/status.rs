//! The line under the form: what to tell the other person, or what went wrong.
//! (Conversations are picked in the list beside the transcript: `conversations`.)

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::state::{RoleStatus, State};

/// Draws the status line.
pub fn ui(ui: &mut egui::Ui, state: &State) -> Option<Intent> {
    let mut intent = None;
    if let Some(error) = &state.error {
        ui.label(RichText::new(error).color(style::error(ui)));
    }
    match &state.status {
        RoleStatus::Listening { local, lan, .. } => {
            ui.horizontal_wrapped(|ui| {
                if lan.is_empty() {
                    ui.label(format!(
                        "Listening on {local}. Only programs on this computer can connect; use host 0.0.0.0 to let other computers in."
                    ));
                } else {
                    let list: Vec<String> = lan.iter().map(ToString::to_string).collect();
                    let joined = list.join(" · ");
                    ui.label("Listening. The other computer can connect to:");
                    ui.label(RichText::new(&joined).strong());
                    if ui.small_button("Copy").on_hover_text("Copy these addresses").clicked() {
                        intent = Some(Intent::Copy(list.join("\n")));
                    }
                }
            });
        }
        // The composer's turn line says these already.
        RoleStatus::Starting { .. }
        | RoleStatus::Connecting { .. }
        | RoleStatus::Idle
        | RoleStatus::Connected { .. } => {}
    }
    intent
}
