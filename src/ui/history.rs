//! The History panel: conversations of this run, and past ones read from the
//! transcripts folder, newest first.

use std::path::Path;

use eframe::egui::{self, RichText};

use super::Intent;
use crate::jobs::HistoryItem;
use crate::keeping::HistoryProblem;
use crate::state::State;

/// `problem` as a sentence.
pub fn words(problem: HistoryProblem) -> String {
    let mut parts = Vec::new();
    if problem.unreadable > 0 {
        parts.push(format!(
            "{} file(s) could not be read and are not listed.",
            problem.unreadable
        ));
    }
    if problem.damaged_lines > 0 {
        parts.push(format!(
            "{} damaged line(s) were skipped.",
            problem.damaged_lines
        ));
    }
    parts.join(" ")
}

/// Draws the panel. `past` are the saved conversations, newest first (`None` until the
/// folder is read), without this run's; `showing` is the file on screen, if any.
pub fn ui(
    ui: &mut egui::Ui,
    state: &State,
    past: Option<&[&HistoryItem]>,
    problem: Option<HistoryProblem>,
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
            match past {
                None => {
                    ui.label(RichText::new("Reading…").weak());
                }
                Some([]) => {
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
            if let Some(problem) = problem {
                ui.label(RichText::new(words(problem)).small().weak());
            }
        });
    intent
}
