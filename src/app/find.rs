//! Find: Ctrl+F opens the bar over the conversation on screen, Ctrl+Shift+F over every
//! conversation of this run, F3 and Shift+F3 step through the hits, Esc closes it; what
//! the bar and the results return is carried out here.

use eframe::egui::{self, Key, Modifiers};

use super::TurnChatApp;
use crate::core::ids::SessionId;
use crate::core::lang::Lang;
use crate::core::transcript::Transcript;
use crate::state::State;
use crate::state::find::Find;
use crate::state::find_all::FindAll;
use crate::state::names::Names;
use crate::ui::Intent;
use crate::ui::find_bar::{FindAction, FindBar};
use crate::ui::transcript_view::TranscriptView;

impl TurnChatApp {
    /// Ctrl+F, F3 / Shift+F3 and (while the bar is open) Esc.
    pub(super) fn find_keys(&mut self, ctx: &egui::Context) {
        let open = egui::KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let everywhere = egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
        // The more specific first: Ctrl+F matches Ctrl+Shift+F "logically".
        if ctx.input_mut(|i| i.consume_shortcut(&everywhere)) {
            self.open_find();
            self.find_everywhere = true;
        } else if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            self.open_find();
            self.set_everywhere(false);
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
        self.set_everywhere(false);
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
            FindAction::All(on) => self.set_everywhere(on),
            FindAction::Close => self.close_find(),
            FindAction::ShowHit {
                session,
                entry,
                start,
            } => {
                self.state.show(session);
                self.keeping.back_to_live();
                self.find.aim_at(entry, start);
            }
        }
    }

    /// Finds in every conversation, or in the one on screen.
    fn set_everywhere(&mut self, on: bool) {
        self.find_everywhere = on;
        if !on {
            self.find_all.clear();
        }
    }
}

/// Find across conversations, for one frame: the results and what they are found in.
pub(super) struct Everywhere<'a> {
    /// The results.
    pub results: &'a mut FindAll,
    /// The window's state: its conversations.
    pub state: &'a State,
    /// Who is at each address.
    pub names: &'a Names,
}

/// [`Everywhere`] for this frame, when the bar searches every conversation.
pub(super) fn everywhere<'a>(
    on: bool,
    results: &'a mut FindAll,
    state: &'a State,
    names: &'a Names,
) -> Option<Everywhere<'a>> {
    on.then_some(Everywhere {
        results,
        state,
        names,
    })
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
    all: Option<Everywhere<'_>>,
    intents: &mut Vec<Intent>,
) -> Option<crate::core::codec::WireEncoding> {
    if !find.is_open() {
        return view.ui(ui, key, transcript, encoding, lang);
    }
    find.sync(key, transcript, lang);
    match all {
        None => intents.extend(bar.ui(ui, find, None, lang).into_iter().map(Intent::Find)),
        Some(all) => {
            let conversations = all.state.sessions.values().map(|s| (s.id, &s.transcript));
            all.results
                .sync(find.query(), find.match_bytes(), lang, conversations);
            let count = all.results.count();
            intents.extend(
                bar.ui(ui, find, Some(count), lang)
                    .into_iter()
                    .map(Intent::Find),
            );
            let who = |id: SessionId| {
                all.state.sessions.get(&id).map_or_else(String::new, |s| {
                    all.names
                        .resolve(s.peer)
                        .map_or_else(|| s.peer.to_string(), |n| n.name)
                })
            };
            let height = ui.available_height() * 0.4;
            if let Some(action) =
                crate::ui::find_results::ui(ui, all.results.groups(), &who, height, lang)
            {
                intents.push(Intent::Find(action));
            }
        }
    }
    if let Some(hit) = find.take_jump() {
        view.scroll_to_hit(&hit);
    }
    view.ui_with_find(ui, key, transcript, encoding, lang, Some(find))
}
