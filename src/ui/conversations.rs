//! The conversation list beside the transcript: one row per conversation, in the order the
//! clients connected, with whose turn it is in words and colour, unread messages and the
//! time of the last message. Rows where it is the user's turn stand out; ended ones are
//! greyed until closed. Below: how many clients wait for a free place, and one button to
//! answer everyone who is waiting for the user.

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::state::{Phase, SessionState, State};

/// Beyond this many rows a filter box appears.
pub const FILTER_FROM: usize = 8;

/// The accessible name (and hint) of the filter box.
pub const FILTER_LABEL: &str = "Filter conversations";

/// The list's own state.
#[derive(Default)]
pub struct ConversationList {
    /// Rows whose address contains this are shown (when there are many).
    pub filter: String,
    /// The height of one row as last drawn (0 until the first frame). Only the rows in
    /// view are laid out, so a server with hundreds of conversations draws a frame as fast
    /// as one with a few; that needs rows of one height.
    row_height: f32,
}

impl ConversationList {
    /// Draws the list. `draft_ready` says whether the shown draft could go to everyone.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &State, draft_ready: bool) -> Vec<Intent> {
        let mut intents = Vec::new();
        ui.horizontal(|ui| {
            ui.strong("Conversations");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("←")
                    .on_hover_text(
                        "Hide this list (the button above the conversation shows it again)",
                    )
                    .clicked()
                {
                    intents.push(Intent::ToggleList);
                }
            });
        });
        if state.sessions.len() > FILTER_FROM {
            let label = ui.label(RichText::new(FILTER_LABEL).small());
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("address…")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        }
        let footer = 64.0;
        let filter = self.filter.trim();
        let rows: Vec<(usize, &SessionState)> = state
            .sessions
            .values()
            .enumerate()
            .filter(|(_, s)| filter.is_empty() || s.peer.to_string().contains(filter))
            .collect();
        if self.row_height <= 0.0 {
            // A guess below the real height (a row has two lines); each row is at least
            // this tall, and the tallest drawn becomes the height from the next frame on.
            self.row_height = ui.spacing().interact_size.y;
        }
        let row_height = self.row_height;
        let mut tallest: f32 = 0.0;
        egui::ScrollArea::vertical()
            .id_salt("conversation-list")
            .auto_shrink([false, false])
            .max_height((ui.available_height() - footer).max(60.0))
            .show_rows(ui, row_height, rows.len(), |ui, in_view| {
                if state.sessions.is_empty() {
                    ui.label(RichText::new("No one has connected yet.").weak());
                }
                for &(row, s) in &rows[in_view] {
                    let drawn = ui.scope(|ui| {
                        ui.set_min_height(row_height);
                        row_ui(ui, s, row, state.current == Some(s.id))
                    });
                    tallest = tallest.max(drawn.response.rect.height());
                    intents.extend(drawn.inner);
                }
            });
        if tallest > row_height + 0.5 {
            // A row came out taller than assumed (larger text, say): lay out again with it.
            self.row_height = tallest;
            ui.ctx().request_repaint();
        }
        ui.separator();
        if state.waiting > 0 {
            let text = match state.waiting {
                1 => "1 client is waiting for a free place.".to_owned(),
                n => format!("{n} clients are waiting for a free place."),
            };
            ui.label(RichText::new(text).color(style::wait(ui)))
                .on_hover_text("The server is at its limit of conversations. Each is welcomed, in order, as a conversation ends.");
        }
        let ready = state.waiting_for_me();
        if !ready.is_empty() {
            let words = match ready.len() {
                1 => "1 waiting for you".to_owned(),
                n => format!("{n} waiting for you"),
            };
            ui.label(RichText::new(words).color(style::go(ui)).strong());
            let button = ui
                .add_enabled(
                    draft_ready && ready.len() > 1,
                    egui::Button::new(format!("Send to all {}", ready.len())),
                )
                .on_hover_text("Send the message you are writing to every conversation where it is your turn; each gets it as its own turn.")
                .on_disabled_hover_text(if ready.len() > 1 {
                    "Write a message first; it goes to everyone waiting for you."
                } else {
                    "Only one conversation is waiting for you: use Send."
                });
            if button.clicked() {
                intents.push(Intent::SendToAll);
            }
        }
        intents
    }
}

/// One row: a button with the address (and the row's shortcut), then state words, the
/// unread count and the last time something was said; × closes an ended row.
fn row_ui(ui: &mut egui::Ui, s: &SessionState, row: usize, selected: bool) -> Vec<Intent> {
    let mut intents = Vec::new();
    let (mark, words, colour) = match s.phase() {
        Phase::YourTurn => ("●", "your turn", style::go(ui)),
        Phase::Sending => ("○", "sending…", style::wait(ui)),
        Phase::Waiting => ("○", "waiting for them", style::wait(ui)),
        Phase::Ended => ("◇", "ended", ui.visuals().weak_text_color()),
    };
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
        let mut hover = format!("Show the conversation with {}", s.peer);
        if row < 9 {
            hover.push_str(&format!(" (Alt+{})", row + 1));
        }
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
            .on_hover_text(match s.unread {
                1 => "1 unread message".to_owned(),
                n => format!("{n} unread messages"),
            });
        }
        if ended
            && ui
                .small_button("×")
                .on_hover_text("Close this ended conversation (Ctrl+W); its transcript file stays")
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
