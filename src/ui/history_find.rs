//! Find in History, at the top of the History panel: the query box, "match bytes", Cancel
//! while it searches, the progress or count line, and the results: a heading a file (who,
//! when, which file, how many hits), then a line a hit with its time and the words around
//! it, in place of the list of conversations while there is a query. Clicking a line (or
//! Enter on it) asks to open that conversation at that hit.

use std::path::PathBuf;

use eframe::egui::{self, RichText, TextEdit};

use super::find_results::result_line;
use super::style;
use crate::core::display::visible_text;
use crate::core::lang::{Lang, Say};
use crate::desktop::history_find::MAX_FILE_BYTES;
use crate::state::history_find::{HistoryFind, Phase};
use crate::words::find::{FindLabel, HistoryFindLabel};

/// What the user did in History's find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryFindAction {
    /// The query changed to this.
    Query(String),
    /// Match the query as hex bytes, or not.
    MatchBytes(bool),
    /// Stop the search.
    Cancel,
    /// Open this file at this hit.
    Open {
        /// The file.
        path: PathBuf,
        /// The entry the hit is in.
        entry: usize,
        /// Where the hit starts in it.
        start: usize,
    },
}

/// The query box's id, stable so focus requests and tests can find it.
pub fn query_id() -> egui::Id {
    egui::Id::unique("turnchat-history-find-query")
}

/// Draws find in History for `find` in `lang`; returns what the user did.
pub fn ui(ui: &mut egui::Ui, find: &HistoryFind, lang: Lang) -> Vec<HistoryFindAction> {
    let mut actions = Vec::new();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(HistoryFindLabel::Find.say(lang));
        let mut query = find.query().to_owned();
        let response = ui
            .add(
                TextEdit::singleline(&mut query)
                    .id(query_id())
                    .desired_width(200.0)
                    .hint_text(HistoryFindLabel::Placeholder.say(lang)),
            )
            .labelled_by(label.id);
        if response.changed() {
            actions.push(HistoryFindAction::Query(query));
        }
        let mut bytes = find.match_bytes();
        if ui
            .checkbox(&mut bytes, FindLabel::MatchBytes.say(lang))
            .on_hover_text(FindLabel::MatchBytesHint.say(lang))
            .changed()
        {
            actions.push(HistoryFindAction::MatchBytes(bytes));
        }
        if find.searching() {
            // Esc cancels too (see `app::history_find`).
            if ui
                .button(HistoryFindLabel::Cancel.say(lang))
                .on_hover_text(HistoryFindLabel::CancelHint.say(lang))
                .clicked()
            {
                actions.push(HistoryFindAction::Cancel);
            }
        }
    });
    for line in status_lines(find) {
        let quiet = matches!(
            line,
            HistoryFindLabel::Summary { hits: 0, .. } | HistoryFindLabel::Cancelled { .. }
        );
        let text = RichText::new(line.say(lang));
        ui.label(if quiet {
            text.color(style::wait(ui))
        } else {
            text
        });
    }
    if find.query().is_empty() {
        return actions;
    }
    if find.match_bytes() && !find.searchable() {
        ui.label(RichText::new(FindLabel::NotHex.say(lang)).color(style::wait(ui)));
    }
    ui.separator();
    actions
}

/// The results, in the History panel's scrolling area (in place of the list of
/// conversations while there is a query); returns the result opened, if any.
pub fn results(ui: &mut egui::Ui, find: &HistoryFind, lang: Lang) -> Option<HistoryFindAction> {
    let mut opened = None;
    for file in find.found() {
        let f = &file.found;
        let heading = HistoryFindLabel::File {
            name: f.name.clone(),
            peer: f.peer.clone(),
            when: f.started.format("%Y-%m-%d %H:%M").to_string(),
            hits: f.total,
        };
        ui.label(RichText::new(visible_text(&heading.say(lang))).strong());
        let name = file.path.file_name().unwrap_or_default().to_string_lossy();
        ui.label(RichText::new(visible_text(&name)).small().weak());
        for hit in &f.listed {
            let clicked = ui
                .add(egui::Button::new(result_line(ui, hit)).frame(false))
                .on_hover_text(HistoryFindLabel::OpenHint.say(lang))
                .clicked();
            if clicked {
                opened = Some(HistoryFindAction::Open {
                    path: file.path.clone(),
                    entry: hit.entry,
                    start: hit.start,
                });
            }
        }
        let more = f.total - f.listed.len();
        if more > 0 && !f.listed.is_empty() {
            ui.label(RichText::new(HistoryFindLabel::MoreInFile { more }.say(lang)).weak());
        }
        ui.add_space(4.0);
    }
    opened
}

/// The progress or count line, then what was left out, if anything.
pub fn status_lines(find: &HistoryFind) -> Vec<HistoryFindLabel> {
    let (hits, listed) = find.hits();
    let mut lines = Vec::new();
    match find.phase() {
        Phase::Idle => return lines,
        Phase::Searching { done, files } => lines.push(HistoryFindLabel::Progress { done, files }),
        Phase::Done { files } => lines.push(HistoryFindLabel::Summary {
            hits,
            with_hits: find.files_with_hits(),
            files,
        }),
        Phase::Cancelled { done, files } => {
            lines.push(HistoryFindLabel::Cancelled { done, files, hits });
        }
    }
    if hits > listed {
        lines.push(HistoryFindLabel::FirstShown { shown: listed });
    }
    let (too_big, unreadable, damaged_lines) = find.skipped();
    if too_big + unreadable + damaged_lines > 0 {
        lines.push(HistoryFindLabel::Skipped {
            too_big,
            bound_mb: MAX_FILE_BYTES / (1024 * 1024),
            unreadable,
            damaged_lines,
        });
    }
    lines
}
