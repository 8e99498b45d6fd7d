//! The History panel: conversations of this run, and past ones read from the
//! transcripts folder, newest first.

use std::path::Path;

use eframe::egui::{self, RichText};

use super::Intent;
use crate::jobs::HistoryItem;
use crate::state::State;

/// What the History panel knows about the folder.
#[derive(Default)]
pub struct HistoryList {
    /// Past conversations, newest first; `None` until read.
    pub items: Option<Vec<HistoryItem>>,
    /// A sentence about files or lines that could not be read.
    pub problem: Option<String>,
}

/// Draws the panel. `showing` is the file on screen, if any.
pub fn ui(
    ui: &mut egui::Ui,
    state: &State,
    list: &HistoryList,
    showing: Option<&Path>,
) -> Option<Intent> {
    let mut intent = None;
    ui.horizontal(|ui| {
        ui.heading("History");
        if ui
            .small_button("Refresh")
            .on_hover_text("Read the transcripts folder again")
            .clicked()
        {
            intent = Some(Intent::RefreshHistory);
        }
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !state.sessions.is_empty() {
                ui.label(RichText::new("This run").strong());
                for s in state.sessions.values().rev() {
                    let label = format!(
                        "{} · {}{}",
                        s.started.format("%H:%M"),
                        s.peer,
                        if s.is_live() { " (live)" } else { "" }
                    );
                    let selected = showing.is_none() && state.current == Some(s.id);
                    if ui.selectable_label(selected, label).clicked() {
                        intent = Some(Intent::Show(s.id));
                    }
                }
                ui.separator();
            }
            ui.label(RichText::new("Saved conversations").strong());
            match &list.items {
                None => {
                    ui.label(RichText::new("Reading…").weak());
                }
                Some(items) if items.is_empty() => {
                    ui.label(RichText::new("None yet.").weak());
                }
                Some(items) => {
                    for item in items {
                        let c = &item.conversation;
                        let label = format!(
                            "{} · {} · {} messages",
                            c.header.started.format("%Y-%m-%d %H:%M"),
                            c.header.peer,
                            c.message_count()
                        );
                        let selected = showing == Some(item.path.as_path());
                        if ui.selectable_label(selected, label).clicked() {
                            intent = Some(Intent::ShowFile(item.path.clone()));
                        }
                    }
                }
            }
            if let Some(problem) = &list.problem {
                ui.label(RichText::new(problem).small().weak());
            }
        });
    intent
}
