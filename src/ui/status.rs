//! The line under the form: what to tell the other person, or what went wrong.

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::state::{RoleStatus, State};

/// Draws the status line and, when there are several, the conversation picker.
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
    if state.sessions.len() > 1
        && let Some(current) = state.current()
    {
        ui.horizontal(|ui| {
            let label = ui.label("Conversation:");
            egui::ComboBox::from_id_salt("conversation-picker")
                .selected_text(session_title(current))
                .show_ui(ui, |ui| {
                    for s in state.sessions.values().rev() {
                        if ui
                            .selectable_label(s.id == current.id, session_title(s))
                            .clicked()
                        {
                            intent = Some(Intent::Show(s.id));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
    intent
}

fn session_title(s: &crate::state::SessionState) -> String {
    format!(
        "{} {} · {}{}",
        s.id,
        s.peer,
        s.started.format("%H:%M:%S"),
        if s.is_live() { "" } else { " (ended)" }
    )
}
