//! Find: Ctrl+F opens the bar over the conversation on screen, F3 and Shift+F3 step
//! through the hits, Esc closes it; what the bar returns is carried out here.

use eframe::egui::{self, Key, Modifiers};

use super::TurnChatApp;
use crate::core::lang::Lang;
use crate::core::transcript::Transcript;
use crate::state::find::Find;
use crate::ui::Intent;
use crate::ui::find_bar::{FindAction, FindBar};
use crate::ui::transcript_view::TranscriptView;

impl TurnChatApp {
    /// Ctrl+F, F3 / Shift+F3 and (while the bar is open) Esc.
    pub(super) fn find_keys(&mut self, ctx: &egui::Context) {
        let open = egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            self.open_find();
        }
        if !self.find.is_open() {
            return;
        }
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::SHIFT, Key::F3) {
                self.find.previous();
            } else if i.consume_key(Modifiers::NONE, Key::F3) {
                self.find.next();
            }
        });
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.close_find();
        }
    }

    /// Opens the bar (or, open, gives its query box the keyboard again).
    fn open_find(&mut self) {
        if !self.find.is_open() {
            self.view.remember_place();
            self.find.open();
        }
        self.find_bar.focus_requested = true;
    }

    /// Closes the bar: the view goes back to where the user was reading, and the message
    /// box gets the keyboard.
    fn close_find(&mut self) {
        self.find.close();
        self.view.return_to_place();
        self.composer.focus_requested = true;
    }

    /// Carries out what the user did in the find bar.
    pub(super) fn find_action(&mut self, action: FindAction) {
        match action {
            FindAction::Query(query) => self.find.set_query(&query),
            FindAction::Next => self.find.next(),
            FindAction::Previous => self.find.previous(),
            FindAction::MatchBytes(on) => self.find.set_match_bytes(on),
            FindAction::All(_) => {}
            FindAction::Close => self.close_find(),
        }
    }
}

/// Draws the find bar (when open) over `transcript`, then the transcript with its hits;
/// returns the encoding picked from a hint in it, as [`TranscriptView::ui`] does.
#[allow(clippy::too_many_arguments)]
pub(super) fn transcript_with_find(
    ui: &mut egui::Ui,
    find: &mut Find,
    bar: &mut FindBar,
    view: &mut TranscriptView,
    key: u64,
    transcript: &Transcript,
    encoding: Option<crate::core::codec::WireEncoding>,
    lang: Lang,
    intents: &mut Vec<Intent>,
) -> Option<crate::core::codec::WireEncoding> {
    if !find.is_open() {
        return view.ui(ui, key, transcript, encoding, lang);
    }
    find.sync(key, transcript, lang);
    intents.extend(bar.ui(ui, find, None, lang).into_iter().map(Intent::Find));
    if let Some(hit) = find.take_jump() {
        view.scroll_to_hit(&hit);
    }
    view.ui_with_find(ui, key, transcript, encoding, lang, Some(find))
}
