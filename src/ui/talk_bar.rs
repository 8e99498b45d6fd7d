//! The conversation's header line: bytes and messages each way, the "show bytes" toggle,
//! and the presets (Ctrl+1 … Ctrl+9), edited in a small panel and remembered.

use eframe::egui::{self, RichText, TextEdit};

use super::composer::PRESET_KEYS;
use crate::core::codec::WireEncoding;
use crate::core::lang::{Lang, Say};
use crate::core::settings::Settings;
use crate::state::{Counters, SessionState};
use crate::words::talk::TalkLabel;

/// The header's own state.
#[derive(Default)]
pub struct TalkBar {
    /// The presets panel is open.
    pub presets_open: bool,
    /// Where the Presets button ends (the panel's top right corner).
    anchor: egui::Pos2,
}

impl TalkBar {
    /// Draws the header for `session` (if any): its encoding choice, counters, the bytes
    /// toggle and the presets. The toggle and the presets edit `settings` in place; the
    /// encoding the user picked for the conversation is returned.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: Option<&SessionState>,
        settings: &mut Settings,
        lang: Lang,
    ) -> Option<WireEncoding> {
        let mut picked = None;
        ui.horizontal(|ui| {
            // The conversation's own encoding, then its counters. With no conversation
            // they are there but not shown (the encoding new ones will start in): egui
            // styles a widget it did not see in the frame before with a guess and asks
            // for two more frames at once to correct it, unpaced, which a first client's
            // flood would pay for (issue 14). This way a new conversation adds none.
            let (encoding, counters) = session
                .map_or((settings.encoding, Counters::default()), |s| {
                    (s.encoding, s.counters)
                });
            ui.scope(|ui| {
                if session.is_none() {
                    ui.set_invisible();
                }
                let choice = super::encoding::choice(ui, encoding, lang);
                picked = choice.filter(|_| session.is_some());
                ui.separator();
                let c = counters;
                ui.label(
                    RichText::new(
                        TalkLabel::Counters {
                            sent_messages: c.sent_messages,
                            sent_bytes: c.sent_bytes,
                            received_messages: c.received_messages,
                            received_bytes: c.received_bytes,
                        }
                        .say(lang),
                    )
                    .small()
                    .weak(),
                )
                .on_hover_text(TalkLabel::CountersHint.say(lang));
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let button = ui
                    .toggle_value(&mut self.presets_open, TalkLabel::Presets.say(lang))
                    .on_hover_text(TalkLabel::PresetsHint.say(lang));
                // The panel opens under its button.
                self.anchor = button.rect.right_bottom();
                ui.checkbox(&mut settings.show_hex, TalkLabel::ShowHex.say(lang))
                    .on_hover_text(TalkLabel::ShowHexHint.say(lang));
            });
        });
        if self.presets_open {
            let mut open = true;
            egui::Window::new(TalkLabel::Presets.say(lang))
                .id(egui::Id::unique("turnchat-presets"))
                .open(&mut open)
                .pivot(egui::Align2::RIGHT_TOP)
                .default_pos(self.anchor + egui::vec2(0.0, 4.0))
                .collapsible(false)
                .resizable(false)
                .min_width(360.0)
                .show(ui.ctx(), |ui| {
                    presets_panel(ui, &mut settings.presets, lang)
                });
            self.presets_open &= open;
        }
        picked
    }
}

/// Nine lines, one per key. The list in the settings grows only as far as the last one set.
fn presets_panel(ui: &mut egui::Ui, presets: &mut Vec<String>, lang: Lang) {
    ui.label(RichText::new(TalkLabel::PresetsExplained.say(lang)).small());
    let mut slots = presets.clone();
    slots.resize(PRESET_KEYS.len(), String::new());
    egui::Grid::new("turnchat-presets-grid").show(ui, |ui| {
        for (n, slot) in slots.iter_mut().enumerate() {
            let label = ui.label(TalkLabel::PresetSlot { n: n + 1 }.say(lang));
            ui.add(TextEdit::singleline(slot).min_size(egui::vec2(280.0, 0.0)))
                .labelled_by(label.id);
            ui.end_row();
        }
    });
    while slots.last().is_some_and(String::is_empty) {
        slots.pop();
    }
    if *presets != slots {
        *presets = slots;
    }
}
