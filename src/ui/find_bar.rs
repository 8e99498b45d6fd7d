//! The find bar over the transcript: the query box, "3 of 17", previous and next, "match
//! bytes", "all conversations" and close. It edits nothing itself: what the user typed
//! or clicked comes back as [`FindAction`]s, which the app hands to the find state.

use eframe::egui::{self, Key, Modifiers, RichText, TextEdit};

use super::style;
use crate::core::lang::{Lang, Say};
use crate::state::find::Find;
use crate::words::find::FindLabel;

/// What the user did in the find bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindAction {
    /// The query changed to this.
    Query(String),
    /// Go to the next hit.
    Next,
    /// Go to the previous hit.
    Previous,
    /// Match the query as hex against the wire bytes, or not.
    MatchBytes(bool),
    /// Find in every conversation of this run, or in the one on screen.
    All(bool),
    /// Close the bar.
    Close,
    /// Show this conversation at this message (a result found across conversations).
    ShowHit {
        /// The conversation.
        session: crate::core::ids::SessionId,
        /// The message's entry index.
        entry: usize,
        /// Where the hit starts in it.
        start: usize,
    },
}

/// The query box's id, stable so focus requests and tests can find it.
pub fn query_id() -> egui::Id {
    egui::Id::unique("turnchat-find-query")
}

/// The find bar's own state: whether its query box should take the keyboard.
#[derive(Default)]
pub struct FindBar {
    /// Move the keyboard focus into the query box on the next frame.
    pub focus_requested: bool,
}

impl FindBar {
    /// Draws the bar for `find`; `all` says whether it searches every conversation (then
    /// `all_count` is the count line, hits and conversations). Returns what the user did.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        find: &Find,
        all: Option<(usize, usize)>,
        lang: Lang,
    ) -> Vec<FindAction> {
        let mut actions = Vec::new();
        // Wrapped: on a narrow window the bar takes two lines rather than widening the panel.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(FindLabel::Find.say(lang));
            let mut query = find.query().to_owned();
            let response = ui
                .add(
                    TextEdit::singleline(&mut query)
                        .id(query_id())
                        .desired_width(220.0)
                        // Enter steps to the next hit; it does not end the editing.
                        .return_key(None)
                        .hint_text(FindLabel::Placeholder.say(lang)),
                )
                .labelled_by(label.id);
            if self.focus_requested {
                response.request_focus();
                self.focus_requested = false;
            }
            if response.changed() {
                actions.push(FindAction::Query(query));
            }
            if response.has_focus() {
                ui.input_mut(|i| {
                    // The more specific first: Enter matches Shift+Enter "logically".
                    if i.consume_key(Modifiers::SHIFT, Key::Enter) {
                        actions.push(FindAction::Previous);
                    } else if i.consume_key(Modifiers::NONE, Key::Enter) {
                        actions.push(FindAction::Next);
                    }
                });
            }
            let line = match all {
                Some((hits, conversations)) => FindLabel::AllCount {
                    hits,
                    conversations,
                },
                None => count_line(find),
            };
            let quiet = matches!(
                line,
                FindLabel::NoMatch | FindLabel::NotHex | FindLabel::AllCount { hits: 0, .. }
            );
            if !find.query().is_empty() {
                let text = RichText::new(line.say(lang));
                ui.label(if quiet {
                    text.color(style::wait(ui))
                } else {
                    text
                });
            }
            let can_step = all.is_none() && !find.hits().is_empty();
            if ui
                .add_enabled(can_step, egui::Button::new(FindLabel::Previous.say(lang)))
                .on_hover_text(FindLabel::PreviousHint.say(lang))
                .clicked()
            {
                actions.push(FindAction::Previous);
            }
            if ui
                .add_enabled(can_step, egui::Button::new(FindLabel::Next.say(lang)))
                .on_hover_text(FindLabel::NextHint.say(lang))
                .clicked()
            {
                actions.push(FindAction::Next);
            }
            if ui
                .button(FindLabel::Close.say(lang))
                .on_hover_text(FindLabel::CloseHint.say(lang))
                .clicked()
            {
                actions.push(FindAction::Close);
            }
            let mut bytes = find.match_bytes();
            if ui
                .checkbox(&mut bytes, FindLabel::MatchBytes.say(lang))
                .on_hover_text(FindLabel::MatchBytesHint.say(lang))
                .changed()
            {
                actions.push(FindAction::MatchBytes(bytes));
            }
            let mut everywhere = all.is_some();
            if ui
                .checkbox(&mut everywhere, FindLabel::AllConversations.say(lang))
                .on_hover_text(FindLabel::AllConversationsHint.say(lang))
                .changed()
            {
                actions.push(FindAction::All(everywhere));
            }
        });
        actions
    }
}

/// "3 of 17", "No match", or (matching bytes) the hint that the query is not hex.
pub fn count_line(find: &Find) -> FindLabel {
    if !find.query_is_searchable() && find.match_bytes() {
        return FindLabel::NotHex;
    }
    let count = find.count();
    match count.current {
        Some(current) if count.total > 0 => FindLabel::Count {
            current,
            total: count.total,
        },
        _ => FindLabel::NoMatch,
    }
}
