//! The conversation list beside the transcript: one row per conversation, in the order the
//! clients connected, with whose turn it is in words and colour, unread messages and the
//! time of the last message. Rows where it is the user's turn stand out; ended ones are
//! greyed until closed. Below: how many clients wait for a free place, and one button to
//! answer everyone who is waiting for the user.

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::state::{Phase, SessionState, State};
use crate::words::{Label, Lang, Phrase, Say};

/// Beyond this many rows a filter box appears.
pub const FILTER_FROM: usize = 8;

/// The accessible name (and hint) of the filter box.
pub const FILTER_LABEL: &str = "Filter conversations";

/// The list's own state.
#[derive(Default)]
pub struct ConversationList {
    /// The language it is drawn in (set by the app each frame).
    pub lang: Lang,
    /// Rows whose address contains this are shown (when there are many).
    pub filter: String,
}

impl ConversationList {
    /// Draws the list. `draft_ready` says whether the shown draft could go to everyone.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &State, draft_ready: bool) -> Vec<Intent> {
        let mut intents = Vec::new();
        let lang = self.lang;
        let t = |label: Label| label.get(lang);
        ui.horizontal(|ui| {
            ui.strong(t(Label::Conversations));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("←")
                    .on_hover_text(t(Label::HideListTip))
                    .clicked()
                {
                    intents.push(Intent::ToggleList);
                }
            });
        });
        if state.sessions.len() > FILTER_FROM {
            let label = ui.label(RichText::new(t(Label::FilterConversations)).small());
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(t(Label::FilterHint))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        }
        let footer = 64.0;
        let filter = self.filter.trim();
        let shown: Vec<(usize, &SessionState)> = state
            .sessions
            .values()
            .enumerate()
            .filter(|(_, s)| filter.is_empty() || s.peer.to_string().contains(filter))
            .collect();
        // Every row has the same height, so only the rows in view are laid out: a class
        // of 200 costs a frame no more than a handful.
        let spacing = ui.spacing().item_spacing.y;
        let row_height = ui.text_style_height(&egui::TextStyle::Button)
            + 2.0 * ui.spacing().button_padding.y
            + ui.text_style_height(&egui::TextStyle::Small)
            + spacing;
        egui::ScrollArea::vertical()
            .id_salt("conversation-list")
            .auto_shrink([false, false])
            .max_height((ui.available_height() - footer).max(60.0))
            .show_rows(ui, row_height, shown.len(), |ui, range| {
                if state.sessions.is_empty() {
                    ui.label(RichText::new(t(Label::NoOneYet)).weak());
                }
                for (row, s) in &shown[range] {
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(ui.available_width(), row_height),
                        egui::Sense::hover(),
                    );
                    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                        intents.extend(row_ui(ui, s, *row, state.current == Some(s.id), lang));
                    });
                }
            });
        ui.separator();
        if state.waiting > 0 {
            let text = Phrase::ClientsWaiting { n: state.waiting }.say(lang);
            ui.label(RichText::new(text).color(style::wait(ui)))
                .on_hover_text(t(Label::AtLimitTip));
        }
        let ready = state.waiting_for_me();
        if !ready.is_empty() {
            let words = Phrase::WaitingForYou { n: ready.len() }.say(lang);
            ui.label(RichText::new(words).color(style::go(ui)).strong());
            if ready.len() > 1 {
                let button = ui
                    .add_enabled(
                        draft_ready,
                        egui::Button::new(Phrase::SendToAll { n: ready.len() }.say(lang)),
                    )
                    .on_hover_text(t(Label::SendToAllTip))
                    .on_disabled_hover_text(t(Label::SendToAllDisabledTip));
                if button.clicked() {
                    intents.push(Intent::SendToAll);
                }
            }
        }
        intents
    }
}

/// One row: a button with the address (and the row's shortcut), then state words, the
/// unread count and the last time something was said; × closes an ended row.
fn row_ui(
    ui: &mut egui::Ui,
    s: &SessionState,
    row: usize,
    selected: bool,
    lang: Lang,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let (mark, words, colour) = match s.phase() {
        Phase::YourTurn => ("●", Label::PhaseYourTurn, style::go(ui)),
        Phase::Sending => ("○", Label::PhaseSending, style::wait(ui)),
        Phase::Waiting => ("○", Label::PhaseWaiting, style::wait(ui)),
        Phase::Ended => ("◇", Label::PhaseEnded, ui.visuals().weak_text_color()),
    };
    let words = words.get(lang);
    let ended = s.phase() == Phase::Ended;
    ui.horizontal(|ui| {
        ui.label(RichText::new(mark).color(colour));
        let mut name = RichText::new(s.peer.to_string());
        if s.phase() == Phase::YourTurn {
            name = name.strong();
        }
        if ended {
            name = name.weak();
        }
        let hover = Phrase::ShowConversation {
            peer: s.peer,
            key: (row < 9).then_some(row + 1),
        }
        .say(lang);
        if ui
            .selectable_label(selected, name)
            .on_hover_text(hover)
            .clicked()
        {
            intents.push(Intent::Show(s.id));
        }
        if s.unread > 0 {
            ui.label(
                RichText::new(format!(" {} ", s.unread))
                    .strong()
                    .color(ui.visuals().strong_text_color())
                    .background_color(style::unread_badge(ui)),
            )
            .on_hover_text(Phrase::Unread { n: s.unread }.say(lang));
        }
        if ended
            && ui
                .small_button("×")
                .on_hover_text(Label::CloseEndedTip.get(lang))
                .clicked()
        {
            intents.push(Intent::Close(s.id));
        }
    });
    ui.horizontal(|ui| {
        ui.add_space(18.0);
        ui.label(RichText::new(words).small().color(colour));
        ui.label(
            RichText::new(s.last_activity.format("%H:%M:%S").to_string())
                .small()
                .weak(),
        );
    });
    intents
}
