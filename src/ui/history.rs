//! The History panel: conversations of this run, and past ones read from the
//! transcripts folder, newest first.

use std::path::Path;

use eframe::egui::{self, RichText};

use super::Intent;
use crate::core::lang::{Lang, Say};
use crate::desktop::file_notice::HistoryProblem;
use crate::desktop::jobs::HistoryItem;
use crate::state::State;
use crate::state::history_find::HistoryFind;
use crate::words::{Label, Phrase};

/// Draws the panel in `lang`: find in History (`find`), then the conversations. `past` are
/// the saved conversations, newest first (`None` until the folder is read), without this
/// run's; `showing` is the file on screen, if any.
pub fn ui(
    ui: &mut egui::Ui,
    state: &State,
    past: Option<&[&HistoryItem]>,
    problem: Option<HistoryProblem>,
    showing: Option<&Path>,
    find: &HistoryFind,
    lang: Lang,
) -> Vec<Intent> {
    let mut intent = None;
    let mut intents = Vec::new();
    let t = |label: Label| label.get(lang);
    ui.horizontal(|ui| {
        ui.heading(t(Label::History));
        if ui
            .small_button(t(Label::Refresh))
            .on_hover_text(t(Label::RefreshTip))
            .clicked()
        {
            intent = Some(Intent::RefreshHistory);
        }
    });
    intents.extend(
        super::history_find::ui(ui, find, lang)
            .into_iter()
            .map(Intent::HistoryFind),
    );
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !find.query().is_empty() {
                intents
                    .extend(super::history_find::results(ui, find, lang).map(Intent::HistoryFind));
                return;
            }
            if !state.sessions.is_empty() {
                ui.label(RichText::new(t(Label::ThisRun)).strong());
                for s in state.sessions.values().rev() {
                    let label = format!(
                        "{} · {}{}",
                        s.started.format("%H:%M"),
                        s.peer,
                        if s.is_live() { t(Label::Live) } else { "" }
                    );
                    let selected = showing.is_none() && state.current == Some(s.id);
                    if ui.selectable_label(selected, label).clicked() {
                        intent = Some(Intent::Show(s.id));
                    }
                }
                ui.separator();
            }
            ui.label(RichText::new(t(Label::SavedConversations)).strong());
            match past {
                None => {
                    ui.label(RichText::new(t(Label::Reading)).weak());
                }
                Some([]) => {
                    ui.label(RichText::new(t(Label::NoneYet)).weak());
                }
                Some(items) => {
                    for item in items {
                        let c = &item.conversation;
                        let label = Phrase::PastRow {
                            when: c.header.started.format("%Y-%m-%d %H:%M").to_string(),
                            peer: c.header.peer.clone(),
                            messages: c.message_count(),
                        }
                        .say(lang);
                        let selected = showing == Some(item.path.as_path());
                        if ui.selectable_label(selected, label).clicked() {
                            intent = Some(Intent::ShowFile(item.path.clone()));
                        }
                    }
                }
            }
            if let Some(problem) = problem {
                ui.label(RichText::new(problem.say(lang)).small().weak());
            }
        });
    intents.extend(intent);
    intents
}
