//! The row of file actions under the form: save, open the folder, history; and the
//! sentence saying how the last of them went. The notice arrives as a typed
//! [`FileNotice`], worded by the catalogue (`crate::words`).

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::lang::{Lang, Say};
use crate::desktop::file_notice::FileNotice;
use crate::desktop::jobs::SaveSource;
use crate::words::Label;

/// What the toolbar shows.
pub struct Shown<'a> {
    /// The conversation on screen, if any.
    pub source: Option<&'a SaveSource>,
    /// History is open.
    pub history_open: bool,
    /// A server run has a class folder (also after it stops): the folder button opens it.
    pub class_folder: bool,
    /// How the last file action went.
    pub notice: Option<&'a FileNotice>,
}

/// Draws the toolbar in `lang`, with the language switch at its end; `more` draws the
/// role's own controls in the row (a server's door), before the language switch.
pub fn ui(
    ui: &mut egui::Ui,
    shown: Shown<'_>,
    notifications: &mut bool,
    lang: Lang,
    more: &mut dyn FnMut(&mut egui::Ui) -> Option<Intent>,
) -> Option<Intent> {
    let Shown {
        source,
        history_open,
        class_folder,
        notice,
    } = shown;
    let mut intent = None;
    let t = |label: Label| label.get(lang);
    ui.horizontal_wrapped(|ui| {
        let save = ui
            .add_enabled(
                source.is_some(),
                egui::Button::new(t(Label::SaveTranscript)),
            )
            .on_hover_text(t(Label::SaveTranscriptTip))
            .on_disabled_hover_text(t(Label::NothingToSaveTip));
        if save.clicked() {
            intent = source.cloned().map(Intent::SaveAs);
        }
        // One folder button: the class's folder while there is one (the transcripts
        // folder holds it), else the transcripts folder.
        let (folder, tip, open) = if class_folder {
            (
                Label::OpenClassFolder,
                Label::OpenClassFolderTip,
                Intent::OpenClassFolder,
            )
        } else {
            (Label::OpenFolder, Label::OpenFolderTip, Intent::OpenFolder)
        };
        if ui.button(t(folder)).on_hover_text(t(tip)).clicked() {
            intent = Some(open);
        }
        if ui
            .selectable_label(history_open, t(Label::History))
            .on_hover_text(t(Label::HistoryTip))
            .clicked()
        {
            intent = Some(Intent::ToggleHistory);
        }
        ui.checkbox(notifications, t(Label::NotifyMe))
            .on_hover_text(t(Label::NotifyMeTip));
        if let Some(asked) = more(ui) {
            intent = Some(asked);
        }
        // The switch names each language in itself, so it can be found whichever is on.
        // It goes to the next row whole when it does not fit (a scope does not wrap).
        let pad = 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x;
        let switch: f32 = (Lang::ALL.iter())
            .map(|l| super::widgets::text_width(ui, l.own_name()) + pad)
            .sum();
        super::widgets::fits(ui, switch + 2.0 * ui.spacing().item_spacing.x + 1.0);
        ui.separator();
        ui.scope(|ui| {
            for choice in Lang::ALL {
                if ui
                    .selectable_label(lang == choice, choice.own_name())
                    .on_hover_text(t(Label::LanguageTip))
                    .clicked()
                    && lang != choice
                {
                    intent = Some(Intent::SetLang(choice));
                }
            }
        });
    });
    if let Some(n) = notice {
        ui.horizontal_wrapped(|ui| {
            let colour = if n.is_error() {
                style::error(ui)
            } else {
                ui.visuals().weak_text_color()
            };
            let said = ui.label(RichText::new(n.say(lang)).color(colour));
            if let FileNotice::NotificationsUnavailable { detail } = n {
                // The system's own words, for whoever wants them.
                said.on_hover_text(detail.as_str());
            }
            if let Some(source) = n.offer_quick_save()
                && ui.button(t(Label::QuickSave)).clicked()
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
    use crate::core::export::ExportFormat;
    use crate::desktop::files::{SaveError, SaveErrorKind};

    #[test]
    fn notices_read_as_they_always_did() {
        let saved = FileNotice::Saved {
            path: PathBuf::from("/t/a.jsonl"),
            format: ExportFormat::JsonLines,
        };
        assert_eq!(saved.en(), "Saved as JSON Lines to /t/a.jsonl.");
        let failed = FileNotice::SaveFailed {
            error: SaveError {
                path: PathBuf::from("/t/a.txt"),
                kind: SaveErrorKind::DiskFull,
            },
        };
        assert_eq!(
            failed.en(),
            "/t/a.txt could not be saved: the disk is full. Free some space, then save again. \
             Nothing was lost: the conversation is still here, and in its live transcript file."
        );
    }
}
