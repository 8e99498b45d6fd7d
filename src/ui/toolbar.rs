//! The row of file actions under the form: save, open the folder, history; and the
//! sentence saying how the last of them went.

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::jobs::SaveSource;

/// How the last file action went, shown until the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileNotice {
    /// A sentence.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
    /// Offer saving this conversation into the transcripts folder (no dialog could open).
    pub offer_quick_save: Option<SaveSource>,
}

/// Draws the toolbar. `source` is the conversation on screen, if any.
pub fn ui(
    ui: &mut egui::Ui,
    source: Option<&SaveSource>,
    history_open: bool,
    notice: Option<&FileNotice>,
) -> Option<Intent> {
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        let save = ui
            .add_enabled(source.is_some(), egui::Button::new("Save transcript…"))
            .on_hover_text("Save the conversation on screen as plain text or JSON Lines (Ctrl+S).")
            .on_disabled_hover_text("There is no conversation on screen to save yet.");
        if save.clicked() {
            intent = source.cloned().map(Intent::SaveAs);
        }
        if ui
            .button("Open transcripts folder")
            .on_hover_text("Every conversation is also kept there, as it happens.")
            .clicked()
        {
            intent = Some(Intent::OpenFolder);
        }
        if ui
            .selectable_label(history_open, "History")
            .on_hover_text("Past conversations")
            .clicked()
        {
            intent = Some(Intent::ToggleHistory);
        }
    });
    if let Some(n) = notice {
        ui.horizontal_wrapped(|ui| {
            let colour = if n.is_error {
                style::error(ui)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(&n.text).color(colour));
            if let Some(source) = &n.offer_quick_save
                && ui.button("Save to the transcripts folder").clicked()
            {
                intent = Some(Intent::QuickSave(source.clone()));
            }
        });
    }
    intent
}
