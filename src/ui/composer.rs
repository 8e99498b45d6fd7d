//! The send box: whose turn it is, the message's size on the wire, Send and bye.
//!
//! Enter sends, Shift+Enter starts a new line. Up / Down in an empty box recall what was
//! sent in this conversation; Ctrl+1 … Ctrl+9 send the presets. In hex mode the box takes
//! bytes typed in hex, sent exactly as typed. An Enter that confirms an input-method
//! composition (pinyin → 汉字) only confirms it. The user may type while waiting; it is
//! the sending that waits for their turn.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText, TextEdit};

use super::{Intent, style};
use crate::core::codec::{decode_lossy, encode_guarded};
use crate::core::conversation::{REFERENCE_RECV_LIMIT, SendError, is_bye};
use crate::core::hexinput::{parse_hex, spaced_hex};
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::core::turn::{Role, SendBlocked, Turn};
use crate::state::{Draft, RoleStatus, SessionState};
use crate::words::door::DoorWords;
use crate::words::glance::ClassWords;
use crate::words::talk::TalkLabel;
use crate::words::{Label, Phrase};

/// The keys of the presets, Ctrl+1 … Ctrl+9.
pub const PRESET_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// Where Up / Down recall stands: in which conversation, at which of its sent messages,
/// and the text it put in the box (typing over it ends the recall).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Recall {
    session: SessionId,
    index: usize,
    placed: String,
}

/// The composer's own state; what is being written lives with each conversation
/// ([`Draft`]), so switching conversations keeps every draft.
#[derive(Default)]
pub struct Composer {
    /// Move the keyboard focus into the text box on the next frame.
    pub focus_requested: bool,
    /// What auto-reconnect is doing, for the turn line when no conversation is live
    /// (the app sets it each frame).
    pub retry_line: Option<String>,
    /// The name of the student in the conversation on screen, when one is known, for
    /// the turn line (the app sets it each frame).
    pub peer_name: Option<String>,
    /// An input-method composition is in progress.
    composing: bool,
    /// When (egui input time) the last composition was committed.
    committed_at: Option<f64>,
    /// The draft the measurement below was made for (whether as hex, in which language), and the
    /// measurement.
    measured: Option<(String, bool, Lang, Result<usize, String>)>,
    /// The box takes bytes typed in hex.
    pub hex_mode: bool,
    /// Where Up / Down recall stands.
    recall: Option<Recall>,
    /// A word about the last preset key (nothing set for it).
    preset_notice: Option<TalkLabel>,
}

/// What the box's text goes out as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// Text, encoded (and ended) by the session.
    Text(String),
    /// Exactly these bytes (hex mode).
    Bytes {
        /// The hex as typed (what goes back to the draft if it is refused).
        typed: String,
        /// The bytes it spells.
        bytes: Vec<u8>,
    },
}

impl Outgoing {
    /// The intent that sends it to `session`.
    pub fn into_intent(self, session: SessionId) -> Intent {
        match self {
            Outgoing::Text(text) => Intent::Send { session, text },
            Outgoing::Bytes { typed, bytes } => Intent::SendBytes {
                session,
                typed,
                bytes,
            },
        }
    }
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
    /// What `text` from the box goes out as: as typed, or in hex mode the bytes it
    /// spells. In hex mode, text that spells no bytes comes back as the error: nothing
    /// may go out (the box says why).
    pub fn outgoing(&self, text: String) -> Result<Outgoing, String> {
        if !self.hex_mode {
            return Ok(Outgoing::Text(text));
        }
        match parse_hex(&text) {
            Ok(bytes) => Ok(Outgoing::Bytes { typed: text, bytes }),
            Err(_) => Err(text),
        }
    }

    fn measure(
        &mut self,
        draft: &str,
        session: Option<&SessionState>,
        lang: Lang,
    ) -> Result<usize, String> {
        let encoding = session.map(|s| s.encoding).unwrap_or_default();
        let ending = session.map_or(0, |s| s.line_ending.bytes().len());
        match &self.measured {
            Some((measured, hex, in_lang, result))
                if measured == draft && *hex == self.hex_mode && *in_lang == lang =>
            {
                result.clone()
            }
            _ => {
                let result = if self.hex_mode {
                    // An empty box is not an error yet: Send stays disabled.
                    match parse_hex(draft) {
                        Ok(bytes) => Ok(bytes.len()),
                        Err(_) if draft.trim().is_empty() => Ok(0),
                        Err(e) => Err(e.say(lang)),
                    }
                } else {
                    encode_guarded(encoding, draft)
                        .map(|b| b.len() + if draft.is_empty() { 0 } else { ending })
                        .map_err(|e| e.say(lang))
                };

                self.measured = Some((draft.to_owned(), self.hex_mode, lang, result.clone()));
                result
            }
        }
    }

    /// Draws the composer for the conversation on screen (if any), editing its `draft`.
    /// `presets` are the texts of Ctrl+1 … Ctrl+9.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: Option<&SessionState>,
        draft: &mut Draft,
        status: &RoleStatus,
        presets: &[String],
        lang: Lang,
    ) -> Option<Intent> {
        let mut intent = self.preset_keys(ui, session, presets);
        let t = |label: Label| label.get(lang);
        let ime_busy = self.track_ime(ui);
        self.recall_keys(ui, session, draft, ime_busy);
        let size = self.measure(&draft.text, session, lang);

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
            let (dot, words) = turn_words(
                session,
                status,
                self.retry_line.as_deref(),
                self.peer_name.as_deref(),
                lang,
            );
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

        let can_send_text =
            blocked.is_ok() && !draft.text.is_empty() && matches!(size, Ok(n) if n > 0);
        // Enter (without Shift, outside an IME composition) sends.
        let enter = !ime_busy
            && ui.memory(|m| m.focused() == Some(message_id()))
            && ui.input_mut(take_plain_enter);

        ui.horizontal(|ui| {
            let label = ui.label(t(Label::Message));
            let buttons_width = 230.0;
            let hint = if self.hex_mode {
                TalkLabel::HexPlaceholder.say(lang)
            } else {
                t(Label::MessageHint).to_owned()
            };
            let mut edit = TextEdit::multiline(&mut draft.text)
                .id(message_id())
                .desired_rows(2)
                .desired_width(ui.available_width() - buttons_width)
                .return_key(KeyboardShortcut::new(Modifiers::SHIFT, Key::Enter))
                .hint_text(hint);
            if self.hex_mode {
                edit = edit.font(egui::TextStyle::Monospace);
            }
            let response = ui.add(edit).labelled_by(label.id);
            if response.changed() {
                draft.refusal = None;
                self.preset_notice = None;
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
                let text = std::mem::take(&mut draft.text);
                // Send is off while the box, in hex mode, spells no bytes.
                let outgoing = self.outgoing(text).unwrap_or_else(Outgoing::Text);
                intent = Some(outgoing.into_intent(s.id));
                self.recall = None;
                self.focus_requested = true;
            }
            ui.checkbox(&mut self.hex_mode, TalkLabel::HexMode.say(lang))
                .on_hover_text(TalkLabel::HexModeHint.say(lang));
            // A server may also end a conversation and keep its computer out for the
            // rest of the run: under Bye, there while a server runs (a button that
            // appears with a conversation would cost the window an extra frame).
            let server = matches!(status, RoleStatus::Listening { .. });
            let column = ui.vertical(|ui| {
                let bye = ui
                    .add_enabled(live.is_some(), egui::Button::new(t(Label::Bye)))
                    .on_hover_text(t(Label::ByeTip))
                    .on_disabled_hover_text(t(Label::NotConnected));
                let block = server.then(|| {
                    let served = live.filter(|s| s.as_role == Role::Server);
                    let button = ui
                        .add_enabled(
                            served.is_some(),
                            egui::Button::new(DoorWords::EndAndBlock.say(lang)).small(),
                        )
                        .on_disabled_hover_text(t(Label::NotConnected));
                    match served {
                        Some(s) => button.on_hover_text(
                            DoorWords::EndAndBlockTip {
                                address: s.peer.ip(),
                            }
                            .say(lang),
                        ),
                        None => button,
                    }
                });
                (bye, block)
            });
            let (bye, block) = column.inner;
            if let Some(s) = live {
                if bye.clicked() {
                    intent = Some(Intent::Bye { session: s.id });
                }
                if block.is_some_and(|b| b.clicked()) {
                    intent = Some(Intent::EndAndBlock(s.id));
                }
            }
        });

        if let Some(notice) = &self.preset_notice {
            ui.label(RichText::new(notice.say(lang)).color(style::wait(ui)));
        }
        if let Some(refusal) = &draft.refusal {
            ui.label(
                RichText::new(refusal_sentence(refusal, session, lang)).color(style::error(ui)),
            );
        } else if let Err(why) = &size {
            ui.label(RichText::new(why).color(style::error(ui)));
        } else if self.hex_mode && matches!(&size, Ok(n) if *n > 0) {
            let bytes = *size.as_ref().unwrap_or(&0);
            ui.label(
                RichText::new(TalkLabel::HexWillSend { bytes }.say(lang))
                    .small()
                    .weak(),
            );
        } else if matches!(&size, Ok(n) if *n > REFERENCE_RECV_LIMIT) {
            ui.label(RichText::new(t(Label::OverLimit)).color(style::wait(ui)));
        } else if enter && !can_send_text && !draft.text.is_empty() {
            draft.refusal = match session {
                Some(s) => s.can_send().err().map(SendError::Blocked),
                None => None,
            };
        }
        let says_bye = if self.hex_mode {
            parse_hex(&draft.text).is_ok_and(|b| {
                is_bye(&decode_lossy(
                    session.map(|s| s.encoding).unwrap_or_default(),
                    &b,
                ))
            })
        } else {
            is_bye(&draft.text)
        };
        if says_bye && can_send_text {
            ui.label(RichText::new(t(Label::ByeEnds)).small().weak());
        }
        intent
    }

    /// Ctrl+1 … Ctrl+9: sends that preset now, if sending is possible (a refused one
    /// comes back to the draft with the reason, as any message does).
    fn preset_keys(
        &mut self,
        ui: &mut egui::Ui,
        session: Option<&SessionState>,
        presets: &[String],
    ) -> Option<Intent> {
        let mut intent = None;
        for (n, key) in PRESET_KEYS.iter().enumerate() {
            let digit = (n + 1).to_string();
            let pressed = ui.input_mut(|i| {
                let pressed = i.consume_key(Modifiers::COMMAND, *key);
                if pressed {
                    // Some systems also deliver the digit as text: not into the box.
                    i.events
                        .retain(|e| !matches!(e, egui::Event::Text(t) if *t == digit));
                }
                pressed
            });
            if !pressed {
                continue;
            }
            let text = presets.get(n).filter(|t| !t.is_empty());
            match (text, session.filter(|s| s.is_live())) {
                (None, _) => self.preset_notice = Some(TalkLabel::PresetEmpty { n: n + 1 }),
                (Some(text), Some(s)) => {
                    self.preset_notice = None;
                    intent = Some(Intent::Send {
                        session: s.id,
                        text: text.clone(),
                    });
                    self.focus_requested = true;
                }
                (Some(_), None) => {}
            }
        }
        intent
    }

    /// Up / Down in an empty box (or one still holding what Up put there): the messages
    /// sent in this conversation, newest first. In hex mode, their bytes in hex.
    fn recall_keys(
        &mut self,
        ui: &mut egui::Ui,
        session: Option<&SessionState>,
        draft: &mut Draft,
        ime_busy: bool,
    ) {
        let Some(s) = session else {
            return;
        };
        if ime_busy || !ui.memory(|m| m.focused() == Some(message_id())) {
            return;
        }
        let recall = self
            .recall
            .as_ref()
            .filter(|r| r.session == s.id && r.placed == draft.text)
            .map(|r| r.index);
        if recall.is_none() && !draft.text.is_empty() {
            return;
        }
        let pressed = ui.input(|i| {
            i.key_pressed(Key::ArrowUp) || (recall.is_some() && i.key_pressed(Key::ArrowDown))
        });
        if !pressed {
            return;
        }
        let sent: Vec<String> = s
            .transcript
            .entries()
            .iter()
            .filter(|e| e.from == crate::core::transcript::Speaker::Me)
            .map(|e| {
                if self.hex_mode {
                    spaced_hex(&e.bytes)
                } else {
                    e.text.clone()
                }
            })
            .collect();
        if sent.is_empty() {
            return;
        }
        let up = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowUp));
        let down = !up && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowDown));
        let index = match (up, down, recall) {
            (true, _, None) => Some(sent.len() - 1),
            (true, _, Some(i)) => Some(i.saturating_sub(1)),
            (false, true, Some(i)) if i + 1 < sent.len() => Some(i + 1),
            (false, true, Some(_)) => None, // past the newest: an empty box again
            _ => return,
        };
        match index {
            Some(index) => {
                draft.text.clone_from(&sent[index]);
                self.recall = Some(Recall {
                    session: s.id,
                    index,
                    placed: draft.text.clone(),
                });
            }
            None => {
                draft.text.clear();
                self.recall = None;
            }
        }
        draft.refusal = None;
        // The cursor goes to the end of the recalled text.
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), message_id()) {
            let end = egui::text::CCursor::new(draft.text.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), message_id());
        }
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

fn turn_words(
    session: Option<&SessionState>,
    status: &RoleStatus,
    retry_line: Option<&str>,
    name: Option<&str>,
    lang: Lang,
) -> (Colour, String) {
    match session {
        Some(s) if s.is_live() && s.is_free_talk() => (
            style::go,
            TalkLabel::TurnsOff {
                peer: s.peer.to_string(),
            }
            .say(lang),
        ),
        Some(s) if s.is_live() => match (s.turn, s.pending_sends()) {
            (Turn::Mine, 0) => (
                style::go,
                match name {
                    Some(name) => ClassWords::YourTurnNamed {
                        name: name.to_owned(),
                    }
                    .say(lang),
                    None => Phrase::YourTurn { peer: s.peer }.say(lang),
                },
            ),
            (_, n) if n > 0 => (style::wait, Label::Sending.get(lang).to_owned()),
            _ => (
                style::wait,
                match name {
                    Some(name) => ClassWords::WaitingForNamed {
                        name: name.to_owned(),
                    }
                    .say(lang),
                    None => Phrase::WaitingFor { peer: s.peer }.say(lang),
                },
            ),
        },
        _ if retry_line.is_some() => (style::wait, retry_line.unwrap_or_default().to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_hex_mode_the_box_sends_the_bytes_it_spells_or_nothing() {
        let mut composer = Composer::default();
        let session = SessionId(3);
        assert_eq!(
            composer
                .outgoing("4e 2d".into())
                .map(|o| o.into_intent(session)),
            Ok(Intent::Send {
                session,
                text: "4e 2d".into(),
            }),
            "outside hex mode, text is text"
        );
        composer.hex_mode = true;
        assert_eq!(
            composer
                .outgoing("\\xc4\\xe3".into())
                .map(|o| o.into_intent(session)),
            Ok(Intent::SendBytes {
                session,
                typed: "\\xc4\\xe3".into(),
                bytes: vec![0xc4, 0xe3],
            })
        );
        for typed in ["c4 e", "你好", "", "  "] {
            assert_eq!(composer.outgoing(typed.into()), Err(typed.to_owned()));
        }
    }
}
