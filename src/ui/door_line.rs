//! The server's door, in the toolbar's row while a server runs (issue 22): End all silent,
//! how many connections were refused and why (every computer on hover), the computers
//! blocked for this run with Clear blocks; and, under the form, the places the open-file
//! limit allows.

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::lang::{Lang, Say};
use crate::state::State;
use crate::state::door::silent_count;
use crate::words::door::DoorWords;

/// Draws the door's parts of the server line, in the caller's row (after the line's
/// announcement); returns what the user asked for.
pub fn ui(ui: &mut egui::Ui, state: &State, lang: Lang) -> Option<Intent> {
    let door = &state.door;
    let silent = silent_count(state.sessions.values());
    let refused = DoorWords::refused(&door.tally);
    let mut intent = None;
    {
        // What changes by itself (the counts) comes after what the user clicks, so that
        // a button never moves under the pointer as connections are refused.
        if !door.blocked.is_empty() {
            let words = DoorWords::Blocked {
                addresses: door.blocked.clone(),
            };
            ui.label(words.say(lang));
            if ui.button(DoorWords::ClearBlocks.say(lang)).clicked() {
                intent = Some(Intent::ClearBlocks);
            }
        }
        // Always there while the server runs (a button that appears with a conversation
        // would cost the window an extra frame), enabled while any conversation is silent.
        if ui
            .add_enabled(
                silent > 0,
                egui::Button::new(DoorWords::EndAllSilent { n: silent }.say(lang)).small(),
            )
            .on_hover_text(DoorWords::EndAllSilentTip.say(lang))
            .on_disabled_hover_text(DoorWords::EndAllSilentTip.say(lang))
            .clicked()
        {
            intent = Some(Intent::EndAllSilent);
        }
        if let Some(words) = refused {
            let lines: Vec<String> = DoorWords::refused_lines(&door.tally)
                .iter()
                .map(|w| w.say(lang))
                .collect();
            ui.label(RichText::new(words.say(lang)).color(style::wait(ui)))
                .on_hover_text(lines.join("\n"));
        }
    }
    intent
}

/// The line that says the open-file limit allows fewer places than asked, if it does.
pub fn places_line(ui: &mut egui::Ui, state: &State, lang: Lang) {
    if let Some(p) = state.door.places_limited {
        let words = DoorWords::PlacesLimited {
            places: p.places,
            asked: p.asked,
            limit: p.limit,
        };
        ui.label(RichText::new(words.say(lang)).color(style::wait(ui)));
    }
}
