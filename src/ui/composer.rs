//! The send box: whose turn it is, the message's size on the wire, Send and bye.
//!
//! Enter sends, Shift+Enter starts a new line. An Enter that confirms an input-method
//! composition (pinyin → 汉字) only confirms it. The user may type while waiting; it is
//! the sending that waits for their turn.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText, TextEdit};

use super::{Intent, style};
use crate::core::codec::{Unencodable, encode_guarded};
use crate::core::conversation::{REFERENCE_RECV_LIMIT, SendError, is_bye};
use crate::core::turn::{SendBlocked, Turn};
use crate::state::{Draft, RoleStatus, SessionState};
use crate::words::{Label, Lang, Phrase, Say};

/// The composer's own state; what is being written lives with each conversation
/// ([`Draft`]), so switching conversations keeps every draft.
#[derive(Default)]
pub struct Composer {
    /// Move the keyboard focus into the text box on the next frame.
    pub focus_requested: bool,
    /// An input-method composition is in progress.
    composing: bool,
    /// When (egui input time) the last composition was committed.
    committed_at: Option<f64>,
    /// The draft the measurement below was made for, and the measurement.
    measured: Option<(String, Result<usize, Unencodable>)>,
}

/// The accessible name (and visible label) of the text box.
pub const MESSAGE_LABEL: &str = "Message";

/// A refusal as a sentence; "not your turn" names the peer.
fn refusal_sentence(error: &SendError, session: Option<&SessionState>, lang: Lang) -> String {
    match (error, session) {
        (SendError::Blocked(SendBlocked::NotYourTurn), Some(s)) => {
            Phrase::TheirTurn { peer: s.peer }.say(lang)
        }
        _ => error.say(lang),
    }
}

impl Composer {
    fn measure(
        &mut self,
        draft: &str,
        session: Option<&SessionState>,
    ) -> Result<usize, Unencodable> {
        let encoding = session.map(|s| s.encoding).unwrap_or_default();
        match &self.measured {
            Some((measured, result)) if measured == draft => result.clone(),
            _ => {
                let result = encode_guarded(encoding, draft).map(|b| b.len());
                self.measured = Some((draft.to_owned(), result.clone()));
                result
            }
        }
    }

    /// Draws the composer for the conversation on screen (if any), editing its `draft`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: Option<&SessionState>,
        draft: &mut Draft,
        status: &RoleStatus,
        lang: Lang,
    ) -> Option<Intent> {
        let mut intent = None;
        let t = |label: Label| label.get(lang);
        let ime_busy = self.track_ime(ui);
        let size = self.measure(&draft.text, session).map_err(|e| e.say(lang));

        let blocked: Result<(), String> = match session {
            None => Err(idle_sentence(status, lang)),
            Some(s) => s.can_send().map_err(|b| match b {
                SendBlocked::NotYourTurn if s.pending_sends() > 0 => t(Label::Sending).to_owned(),
                SendBlocked::NotYourTurn => Phrase::TheirTurn { peer: s.peer }.say(lang),
                SendBlocked::Ended => t(Label::Ended).to_owned(),
            }),
        };

        // Whose turn, in words and colour, and the size on the wire.
        ui.horizontal(|ui| {
            let (dot, words) = turn_words(session, status, lang);
            ui.label(RichText::new("●").color(dot(ui)));
            ui.label(RichText::new(words).strong().color(dot(ui)));
            ui.with_layout(
                egui::Layout::right_to_left(egui::Align::Center),
                |ui| match &size {
                    Ok(n) => {
                        let over = *n > REFERENCE_RECV_LIMIT;
                        let text = RichText::new(
                            Phrase::Bytes {
                                n: *n,
                                limit: REFERENCE_RECV_LIMIT,
                            }
                            .say(lang),
                        );
                        let label = ui.label(if over {
                            text.color(style::wait(ui))
                        } else {
                            text.weak()
                        });
                        label.on_hover_text(t(Label::BytesTip));
                    }
                    Err(_) => {
                        ui.label(RichText::new(t(Label::CannotBeSent)).color(style::error(ui)));
                    }
                },
            );
        });

        let can_send_text = blocked.is_ok() && !draft.text.is_empty() && size.is_ok();
        // Enter (without Shift, outside an IME composition) sends.
        let enter = !ime_busy
            && ui.memory(|m| m.focused() == Some(message_id()))
            && ui.input_mut(take_plain_enter);

        ui.horizontal(|ui| {
            let label = ui.label(t(Label::Message));
            let buttons_width = 150.0;
            let edit = TextEdit::multiline(&mut draft.text)
                .id(message_id())
                .desired_rows(2)
                .desired_width(ui.available_width() - buttons_width)
                .return_key(KeyboardShortcut::new(Modifiers::SHIFT, Key::Enter))
                .hint_text(t(Label::MessageHint));
            let response = ui.add(edit).labelled_by(label.id);
            if response.changed() {
                draft.refusal = None;
            }
            if self.focus_requested && session.is_some_and(SessionState::is_live) {
                response.request_focus();
                self.focus_requested = false;
            }

            let live = session.filter(|s| s.is_live());
            let send = ui.add_enabled(
                can_send_text,
                egui::Button::new(RichText::new(t(Label::Send)).strong()),
            );
            let send = match (&blocked, &size) {
                (Err(why), _) => send.on_disabled_hover_text(why),
                (Ok(()), Err(why)) => send.on_disabled_hover_text(why),
                (Ok(()), Ok(_)) if draft.text.is_empty() => {
                    send.on_disabled_hover_text(t(Label::TypeFirst))
                }
                _ => send.on_hover_text(t(Label::SendTip)),
            };
            if (send.clicked() || (enter && can_send_text))
                && live.is_some()
                && let Some(s) = live
            {
                intent = Some(Intent::Send {
                    session: s.id,
                    text: std::mem::take(&mut draft.text),
                });
                self.focus_requested = true;
            }
            let bye = ui
                .add_enabled(live.is_some(), egui::Button::new(t(Label::Bye)))
                .on_hover_text(t(Label::ByeTip))
                .on_disabled_hover_text(t(Label::NotConnected));
            if bye.clicked()
                && let Some(s) = live
            {
                intent = Some(Intent::Bye { session: s.id });
            }
        });

        if let Some(refusal) = &draft.refusal {
            ui.label(
                RichText::new(refusal_sentence(refusal, session, lang)).color(style::error(ui)),
            );
        } else if let Err(why) = &size {
            ui.label(RichText::new(why).color(style::error(ui)));
        } else if matches!(&size, Ok(n) if *n > REFERENCE_RECV_LIMIT) {
            ui.label(RichText::new(t(Label::OverLimit)).color(style::wait(ui)));
        } else if enter && !can_send_text && !draft.text.is_empty() {
            draft.refusal = match session {
                Some(s) => s.can_send().err().map(SendError::Blocked),
                None => None,
            };
        }
        if is_bye(&draft.text) && can_send_text {
            ui.label(RichText::new(t(Label::ByeEnds)).small().weak());
        }
        intent
    }

    /// Follows IME composition. Returns true when Enter must not send now: a composition
    /// is open, or one was committed a moment ago. Depending on the platform, the Enter
    /// that confirms a composition arrives in the same frame as the commit, in the next
    /// one, or not at all; a person's deliberate second Enter comes much later.
    fn track_ime(&mut self, ui: &egui::Ui) -> bool {
        ui.input(|i| {
            for e in &i.events {
                match e {
                    egui::Event::Ime(egui::ImeEvent::Preedit { text, .. }) => {
                        self.composing = !text.is_empty()
                    }
                    egui::Event::Ime(egui::ImeEvent::Commit(_)) => {
                        self.composing = false;
                        self.committed_at = Some(i.time);
                    }
                    _ => {}
                }
            }
            let just_committed = self
                .committed_at
                .is_some_and(|t| i.time - t < IME_CONFIRM_WINDOW_SECS);
            self.composing || just_committed
        })
    }
}

/// How soon after an IME commit an Enter still counts as part of confirming it.
const IME_CONFIRM_WINDOW_SECS: f64 = 0.1;

/// Removes a plain Enter press (no Shift, Ctrl, Alt or Cmd) from this frame's input.
/// egui's `consume_shortcut` matches "logically" and would also take Shift+Enter.
fn take_plain_enter(input: &mut egui::InputState) -> bool {
    let before = input.events.len();
    input.events.retain(|e| {
        !matches!(e, egui::Event::Key { key: Key::Enter, pressed: true, modifiers, .. } if modifiers.is_none())
    });
    input.events.len() != before
}

/// The text box's id, stable so tests and focus requests can find it.
pub fn message_id() -> egui::Id {
    egui::Id::unique("turnchat-message")
}

type Colour = fn(&egui::Ui) -> egui::Color32;

fn turn_words(session: Option<&SessionState>, status: &RoleStatus, lang: Lang) -> (Colour, String) {
    match session {
        Some(s) if s.is_live() => match (s.turn, s.pending_sends()) {
            (Turn::Mine, 0) => (style::go, Phrase::YourTurn { peer: s.peer }.say(lang)),
            (_, n) if n > 0 => (style::wait, Label::Sending.get(lang).to_owned()),
            _ => (style::wait, Phrase::WaitingFor { peer: s.peer }.say(lang)),
        },
        _ => (
            |ui: &egui::Ui| ui.visuals().weak_text_color(),
            idle_sentence(status, lang),
        ),
    }
}

fn idle_sentence(status: &RoleStatus, lang: Lang) -> String {
    match status {
        RoleStatus::Listening { local, .. } => {
            Phrase::WaitingForClient { port: local.port() }.say(lang)
        }
        RoleStatus::Starting { .. } => Label::StartingServer.get(lang).to_owned(),
        RoleStatus::Connecting { target, .. } => Phrase::TryingToConnect {
            target: target.clone(),
        }
        .say(lang),
        RoleStatus::Connected { .. } => Label::Connected.get(lang).to_owned(),
        RoleStatus::Idle => Label::Idle.get(lang).to_owned(),
    }
}
