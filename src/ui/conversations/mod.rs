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

use chrono::{DateTime, FixedOffset};
use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::core::settings::ListOrder;
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
    /// One line a row (the compact toggle; the app keeps it in the settings).
    pub compact: bool,
    /// The order of the rows (the app keeps it in the settings).
    pub order: ListOrder,
    /// After how many minutes of silence a row is marked (0: never).
    pub silent_minutes: u32,
    /// The time of this frame, for how long students have waited (set by the app).
    pub now: Option<DateTime<FixedOffset>>,
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
        // A class's tools come with a class, as the filter does (and stay while in use).
        if state.sessions.len() > FILTER_FROM || self.compact || self.order != ListOrder::Connected
        {
            self.view_choices(ui);
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
        // Only a filter or an order makes a list of the rows shown; without them they are
        // all of them, and nothing goes over every conversation on every frame.
        let sorted = self.order != ListOrder::Connected;
        let matching: Option<Vec<(usize, &SessionState)>> =
            (!filter.is_empty() || sorted).then(|| {
                let places: BTreeMap<SessionId, usize> = (state.sessions.keys().enumerate())
                    .map(|(n, id)| (*id, n))
                    .collect();
                let name = |s: &SessionState| self.names.get(&s.id).map(String::as_str);
                (glance::order(state.sessions.values(), name, self.order).into_iter())
                    .filter_map(|id| Some((places[&id], state.sessions.get(&id)?)))
                    .filter(|(_, s)| {
                        s.peer.to_string().contains(filter)
                            || self.names.get(&s.id).is_some_and(|n| n.contains(filter))
                    })
                    .collect()
            });
        let compact = self.compact;
        let row_height = if compact {
            row::compact_height(ui)
        } else {
            row::height(ui)
        };
        let now = self.now;
        let silent_minutes = self.silent_minutes;
        let shown = matching.as_ref().map_or(state.sessions.len(), Vec::len);
        let mut list = ui.new_child(egui::UiBuilder::new());
        if compact {
            // Compact rows touch: their frames and colours keep them apart.
            list.spacing_mut().item_spacing.y = 0.0;
        }
        let list_ui = &mut list;
        egui::ScrollArea::vertical()
            .id_salt("conversation-list")
            .auto_shrink([false, false])
            .max_height((list_ui.available_height() - FOOTER).max(60.0))
            .show_rows(list_ui, row_height, shown, |ui, range| {
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
                        waited: now.and_then(|now| {
                            Some(glance::minutes_between(glance::waiting_since(s)?, now))
                        }),
                        silent: now.and_then(|now| glance::silent_for(s, now, silent_minutes)),
                        compact,
                    };
                    intents.extend(row::row_ui(ui, row, lang));
                }
            });
        let used = list.min_rect();
        ui.advance_cursor_after_rect(used);
        ui.separator();
        footer(ui, state, draft_ready, lang, &mut intents);
        intents
    }

    /// The compact toggle and the order of the rows, on one line under the title.
    fn view_choices(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let t = |label: Label| label.get(lang);
        ui.horizontal(|ui| {
            let sort = ui.label(RichText::new(t(Label::SortList)).small());
            let name = |order: ListOrder| match order {
                ListOrder::Connected => t(Label::SortConnected),
                ListOrder::Name => t(Label::SortName),
                ListOrder::WaitingLongest => t(Label::SortWaiting),
            };
            egui::ComboBox::from_id_salt("list-order")
                .selected_text(name(self.order))
                .show_ui(ui, |ui| {
                    for order in [
                        ListOrder::Connected,
                        ListOrder::Name,
                        ListOrder::WaitingLongest,
                    ] {
                        ui.selectable_value(&mut self.order, order, name(order));
                    }
                })
                .response
                .labelled_by(sort.id);
            ui.toggle_value(&mut self.compact, t(Label::CompactList))
                .on_hover_text(t(Label::CompactListTip));
        });
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
