//! The conversation list beside the transcript: one row per conversation, in the order the
//! clients connected, with whose turn it is in words and colour, unread messages and the
//! time of the last message. Rows where it is the user's turn stand out; ended ones are
//! greyed until closed. Below: how many clients wait for a free place, and one button to
//! answer everyone who is waiting for the user.
//!
//! Built of egui's own widgets (labels, selectable buttons, tooltips). Every row has the
//! same height, so the list lays out only the rows in view: a class of 200 costs a frame
//! about what the dozen rows on screen do.

mod row;

use std::collections::BTreeMap;
use std::ops::Range;

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::state::{Phase, SessionState, State, glance};
use crate::words::{Label, Phrase};

/// Beyond this many rows a filter box appears (and it stays while it holds a filter).
pub const FILTER_FROM: usize = 8;

/// The accessible name (and hint) of the filter box.
pub const FILTER_LABEL: &str = "Filter conversations";

/// Room kept under the rows for the footer's words and button.
const FOOTER: f32 = 64.0;

/// The list's own state.
#[derive(Default)]
pub struct ConversationList {
    /// The language it is drawn in (set by the app each frame).
    pub lang: Lang,
    /// Rows whose address (or name) contains this are shown.
    pub filter: String,
    /// The students' names (and seats) for named rows, set by the app (issue 23); a row
    /// shows its name before its address, and the filter matches it.
    pub names: BTreeMap<SessionId, String>,
    /// Changes whenever `names` does (the app's key for remaking `names`).
    pub names_generation: u64,
}

impl ConversationList {
    /// Draws the list. `draft_ready` says whether the shown draft could go to everyone.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &State, draft_ready: bool) -> Vec<Intent> {
        let mut intents = Vec::new();
        let lang = self.lang;
        let t = |label: Label| label.get(lang);
        let hide = ui
            .horizontal(|ui| {
                ui.strong(t(Label::Conversations));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.small_button("←").on_hover_text(t(Label::HideListTip))
                })
                .inner
            })
            .inner;
        if hide.clicked() {
            intents.push(Intent::ToggleList);
        }
        // The box stays while it holds a filter, even when closing rows has brought the
        // list to FILTER_FROM or fewer: what hides rows can always be cleared.
        if state.sessions.len() > FILTER_FROM || !self.filter.is_empty() {
            let label = ui.label(RichText::new(t(Label::FilterConversations)).small());
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(t(Label::FilterHint))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        }
        let filter = self.filter.trim();
        // Only a filter makes a list of the rows shown; without one they are all of them,
        // and nothing goes over every conversation on every frame.
        let matching: Option<Vec<(usize, &SessionState)>> = (!filter.is_empty()).then(|| {
            (state.sessions.values().enumerate())
                .filter(|(_, s)| {
                    s.peer.to_string().contains(filter)
                        || self.names.get(&s.id).is_some_and(|n| n.contains(filter))
                })
                .collect()
        });
        let shown = matching.as_ref().map_or(state.sessions.len(), Vec::len);
        egui::ScrollArea::vertical()
            .id_salt("conversation-list")
            .auto_shrink([false, false])
            .max_height((ui.available_height() - FOOTER).max(60.0))
            .show_rows(ui, row::height(ui), shown, |ui, range| {
                if state.sessions.is_empty() {
                    ui.label(RichText::new(t(Label::NoOneYet)).weak());
                }
                for (n, s) in in_view(state, matching.as_deref(), range) {
                    let row = row::Row {
                        s,
                        name: self.names.get(&s.id),
                        row: n,
                        selected: state.current == Some(s.id),
                        preview: glance::preview(s),
                    };
                    intents.extend(row::row_ui(ui, row, lang));
                }
            });
        ui.separator();
        footer(ui, state, draft_ready, lang, &mut intents);
        intents
    }
}

/// Under the rows: how many clients wait for a free place, how many conversations wait for
/// the user, and the button that answers them all (when more than one does). Plain labels,
/// so their words can be selected and copied.
fn footer(
    ui: &mut egui::Ui,
    state: &State,
    draft_ready: bool,
    lang: Lang,
    intents: &mut Vec<Intent>,
) {
    if state.waiting > 0 {
        let text = Phrase::ClientsWaiting { n: state.waiting }.say(lang);
        ui.label(RichText::new(text).color(style::wait(ui)))
            .on_hover_text(Label::AtLimitTip.get(lang));
    }
    // Counted, not listed: `State::waiting_for_me` makes a list, and this is every frame.
    let ready = (state.sessions.values())
        .filter(|s| s.phase() == Phase::YourTurn)
        .count();
    if ready > 0 {
        let text = Phrase::WaitingForYou { n: ready }.say(lang);
        ui.label(RichText::new(text).color(style::go(ui)).strong());
    }
    if ready > 1 {
        let button = ui.add_enabled(
            draft_ready,
            egui::Button::new(Phrase::SendToAll { n: ready }.say(lang)),
        );
        let button = if draft_ready {
            button.on_hover_text(Label::SendToAllTip.get(lang))
        } else {
            button.on_disabled_hover_text(Label::SendToAllDisabledTip.get(lang))
        };
        if button.clicked() {
            intents.push(Intent::SendToAll);
        }
    }
}

/// The shown rows in `range`, with their places in the whole list: all conversations in
/// order, or those `matching` the filter.
fn in_view<'a>(
    state: &'a State,
    matching: Option<&[(usize, &'a SessionState)]>,
    range: Range<usize>,
) -> Vec<(usize, &'a SessionState)> {
    match matching {
        Some(rows) => rows.get(range).unwrap_or_default().to_vec(),
        None => {
            let rows = state.sessions.values().enumerate();
            rows.skip(range.start).take(range.len()).collect()
        }
    }
}
