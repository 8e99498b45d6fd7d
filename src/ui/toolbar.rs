//! The row of file actions under the form: save, open the folder, history; and the
//! sentence saying how the last of them went. The notice arrives as a typed
//! [`FileNotice`]; this view is where it becomes English words ([`words`]).

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::export::ExportFormat;
use crate::jobs::SaveSource;
use crate::keeping::FileNotice;

/// `notice` as a sentence for the person at the window.
pub fn words(notice: &FileNotice) -> String {
    match notice {
        FileNotice::Saved { path, format } => {
            let what = match format {
                ExportFormat::PlainText => "as text",
                ExportFormat::JsonLines => "as JSON Lines",
            };
            format!("Saved {what} to {}.", path.display())
        }
        FileNotice::SaveFailed { error } => format!(
            "{error} Nothing was lost: the conversation is still here, and in its live transcript file."
        ),
        FileNotice::NoDialog { .. } => {
            "No save dialog could be opened (or it was closed at once).".to_owned()
        }
        FileNotice::ConversationGone => {
            "That conversation is no longer open, so it was not saved.".to_owned()
        }
        FileNotice::FolderFailed { error } => error.to_string(),
        FileNotice::TaskNotStarted { detail } => {
            format!("TurnChat could not start a background task ({detail}).")
        }
        FileNotice::SettingsUnreadable { error } => error.to_string(),
        FileNotice::SettingsNotSaved { error } => {
            format!("Your settings were not saved. {error}")
        }
        FileNotice::NotificationsUnavailable { detail } => format!(
            "Desktop notifications are not available here ({detail}); the title bar still counts unread messages."
        ),
    }
}

/// Draws the toolbar. `source` is the conversation on screen, if any.
pub fn ui(
    ui: &mut egui::Ui,
    source: Option<&SaveSource>,
    history_open: bool,
    notice: Option<&FileNotice>,
    notifications: &mut bool,
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
        ui.checkbox(notifications, "Notify me")
            .on_hover_text("When the TurnChat window is not in front and someone sends a message, show a desktop notification.");
    });
    if let Some(n) = notice {
        ui.horizontal_wrapped(|ui| {
            let colour = if n.is_error() {
                style::error(ui)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(words(n)).color(colour));
            if let Some(source) = n.offer_quick_save()
                && ui.button("Save to the transcripts folder").clicked()
            {
                intent = Some(Intent::QuickSave(source.clone()));
            }
        });
    }
    intent
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::files::{SaveError, SaveErrorKind};

    #[test]
    fn notices_read_as_they_always_did() {
        let saved = FileNotice::Saved {
            path: PathBuf::from("/t/a.jsonl"),
            format: ExportFormat::JsonLines,
        };
        assert_eq!(words(&saved), "Saved as JSON Lines to /t/a.jsonl.");
        let failed = FileNotice::SaveFailed {
            error: SaveError {
                path: PathBuf::from("/t/a.txt"),
                kind: SaveErrorKind::DiskFull,
            },
        };
        assert_eq!(
            words(&failed),
            "/t/a.txt could not be saved: the disk is full. Free some space, then save again. \
             Nothing was lost: the conversation is still here, and in its live transcript file."
        );
    }
}
