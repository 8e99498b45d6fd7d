//! The window's panels, in egui's order: the form, status and toolbar at the top, the
//! composer at the bottom, the conversation list and History on the left, and the
//! conversation (or a past one, or the hint) in the middle. Each panel draws its views
//! from the state and collects the intents they return; nothing is acted on here.

use std::path::Path;

use eframe::egui::{self, RichText};

use super::TurnChatApp;
use crate::core::lang::{Lang, Say};
use crate::core::transcript::{Speaker, Transcript};
use crate::core::turn::Role;
use crate::state::RoleStatus;
use crate::ui::{
    Intent, class_list, discovered, door_line, form, history, recent, status, toolbar,
};
use crate::words::{Label, Phrase};

/// The transcript view's key while no conversation is shown: not a session's (they count
/// up from zero) nor a file's (`path_key` sets the top bit).
const NO_CONVERSATION: u64 = u64::MAX >> 1;

impl TurnChatApp {
    /// Draws every panel in `lang` and returns what the user asked for, in order.
    pub(super) fn panels(&mut self, ui: &mut egui::Ui, lang: Lang) -> Vec<Intent> {
        let mut intents = Vec::new();
        self.list.lang = lang;
        self.view.lang = lang;
        self.top_panel(ui, lang, &mut intents);
        let draft_ready = self.composer_panel(ui, lang, &mut intents);
        if self.lists_conversations() {
            self.list_panel(ui, lang, draft_ready, &mut intents);
        }
        if self.keeping.history_open() {
            self.history_panel(ui, lang, &mut intents);
        }
        self.central_panel(ui, lang, &mut intents);
        intents.extend(self.ask_ui(ui.ctx(), lang));
        intents
    }

    /// The form, the status line, the discovery parts and the toolbar.
    fn top_panel(&mut self, ui: &mut egui::Ui, lang: Lang, intents: &mut Vec<Intent>) {
        let source = self.shown_source();
        egui::Panel::top("form").show(ui, |ui| {
            ui.add_space(4.0);
            let announce_as = self.lan.enabled().then_some(self.default_name.as_str());
            intents.extend(form::ui(
                ui,
                self.settings.current_mut(),
                &self.state.status,
                lang,
                announce_as,
            ));
            // The class list's line: on the server form before it starts, and while a
            // list is in use (a server without one keeps its rows' room).
            if self.settings.current().role == Role::Server
                && (matches!(self.state.status, RoleStatus::Idle) || self.class_report.is_some())
            {
                intents.extend(class_list::ui(ui, self.class_report.as_ref(), lang));
            }
            status::ui(ui, &self.state, lang);
            door_line::places_line(ui, &self.state, lang);
            intents.extend(self.discovery_ui(ui, lang));
            let state = &self.state;
            // The server's door in the toolbar's row.
            let mut door = |ui: &mut egui::Ui| {
                matches!(state.status, RoleStatus::Listening { .. })
                    .then(|| door_line::ui(ui, state, lang))
                    .flatten()
            };
            intents.extend(toolbar::ui(
                ui,
                toolbar::Shown {
                    source: source.as_ref(),
                    history_open: self.keeping.history_open(),
                    class_folder: self.class.is_some(),
                    notice: self.keeping.notice(),
                },
                &mut self.settings.current_mut().notifications,
                lang,
                &mut door,
            ));
            ui.add_space(2.0);
        });
    }

    /// The discovery parts of the top panel: the client's list of servers found and its
    /// Recent servers, or the server's announcement line (the announce fields and
    /// Reconnect are in the form).
    fn discovery_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Intent> {
        let network = self.lan.enabled();
        let role = self.settings.current().role;
        let mut intent = None;
        match (&self.state.status, role) {
            (RoleStatus::Idle, Role::Client) => {
                // "Why?" when nothing is listed (on the list's line), or when the typed
                // server could not be reached (a line of its own).
                let closed = !self.why.open;
                if network {
                    intent =
                        discovered::server_list_offering_why(ui, self.lan.list(), lang, closed);
                    discovered::probe_fields(ui, self.settings.current_mut(), lang);
                }
                let empty = network && self.lan.list().servers().is_empty();
                let why = self.why_ui(ui, !empty && self.connect_failed(), lang);
                intent = intent.or(why);
                let recent = recent::ui(ui, &self.settings.current().recent_servers, lang);
                intent = recent.or(intent);
            }
            (RoleStatus::Listening { .. }, _) => {
                discovered::announce_line(ui, self.lan.announce_state(), lang);
            }
            _ => {}
        }
        intent
    }

    /// The composer; returns whether the draft holds anything (for Send to all).
    fn composer_panel(&mut self, ui: &mut egui::Ui, lang: Lang, intents: &mut Vec<Intent>) -> bool {
        // The draft is edited out of the state for the frame (the composer also reads the
        // conversation it belongs to), then put back.
        let mut draft = std::mem::take(self.state.draft_mut());
        self.composer.retry_line = self.reconnect_line(ui.ctx(), lang);
        self.composer.peer_name =
            (self.state.current()).and_then(|s| Some(self.shown_name(s.peer)?.name));
        egui::Panel::bottom("composer").show(ui, |ui| {
            ui.add_space(4.0);
            intents.extend(self.composer.ui(
                ui,
                self.state.current(),
                &mut draft,
                &self.state.status,
                &self.settings.current().presets,
                lang,
            ));
            ui.add_space(4.0);
        });
        let draft_ready = !draft.text.is_empty();
        *self.state.draft_mut() = draft;
        draft_ready
    }

    /// Whether the conversation list is drawn: for a server, and whenever this run has
    /// had more than one conversation.
    fn lists_conversations(&self) -> bool {
        let serving = matches!(
            self.state.status,
            RoleStatus::Starting { .. } | RoleStatus::Listening { .. }
        );
        serving
            || self.state.sessions.len() > 1
            || self
                .state
                .current()
                .is_some_and(|s| s.as_role == Role::Server)
    }

    /// The conversation list, or the narrow strip it folds into.
    fn list_panel(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        draft_ready: bool,
        intents: &mut Vec<Intent>,
    ) {
        if self.list_open {
            egui::Panel::left("conversations")
                .resizable(true)
                .default_size(210.0)
                .min_size(150.0)
                .show(ui, |ui| {
                    self.name_rows();
                    self.list_view_in(ui.ctx());
                    intents.extend(self.list.ui(ui, &self.state, draft_ready));
                    self.list_view_out();
                });
        } else {
            egui::Panel::left("conversations-folded")
                .resizable(false)
                .exact_size(34.0)
                .show(ui, |ui| {
                    let unread = self.state.total_unread();
                    let text = if unread > 0 {
                        format!("→\n{unread}")
                    } else {
                        "→".to_owned()
                    };
                    if ui
                        .button(text)
                        .on_hover_text(Label::ShowListTip.get(lang))
                        .clicked()
                    {
                        intents.push(Intent::ToggleList);
                    }
                });
        }
    }

    /// Gives the list its remembered view (compact, order, silence) and this frame's
    /// time. While a live row may show minutes, one repaint is asked for when the next
    /// minute begins (not a loop: nothing is asked for while no conversation is live).
    fn list_view_in(&mut self, ctx: &egui::Context) {
        let settings = self.settings.current();
        self.list.compact = settings.compact_list;
        self.list.order = settings.list_order;
        self.list.silent_minutes = settings.silent_minutes;
        let now = chrono::Local::now().fixed_offset();
        self.list.now = Some(now);
        if self.state.sessions.values().any(|s| s.is_live()) {
            use chrono::Timelike;
            let left = 60 - u64::from(now.second().min(59));
            ctx.request_repaint_after(std::time::Duration::from_secs(left));
        }
    }

    /// Keeps what the user changed in the list's view (compact, order) in the settings.
    fn list_view_out(&mut self) {
        let (compact, order) = (self.list.compact, self.list.order);
        let settings = self.settings.current();
        if settings.compact_list != compact || settings.list_order != order {
            let settings = self.settings.current_mut();
            settings.compact_list = compact;
            settings.list_order = order;
        }
    }

    /// History: this run's conversations and the past ones in the transcripts folder.
    fn history_panel(&mut self, ui: &mut egui::Ui, lang: Lang, intents: &mut Vec<Intent>) {
        let showing = self.keeping.showing().map(|item| item.path.as_path());
        // This run's conversations are listed under "This run"; their live files, which
        // are in the transcripts folder too, are not listed again.
        let live_files: Vec<&Path> = self
            .state
            .sessions
            .values()
            .filter_map(|s| s.file.as_deref())
            .collect();
        let (past, problem) = self.keeping.past_conversations(&live_files);
        // Wide enough for a found line's words around the hit; the user can resize it.
        egui::Panel::left("history")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| {
                intents.extend(history::ui(
                    ui,
                    &self.state,
                    past.as_deref(),
                    problem,
                    showing,
                    &self.history_find,
                    lang,
                ));
            });
    }

    /// The conversation on screen: a past one from History, the live one with its
    /// header, or, with none, an empty one under a hint.
    fn central_panel(&mut self, ui: &mut egui::Ui, lang: Lang, intents: &mut Vec<Intent>) {
        self.view.show_hex = self.settings.current().show_hex;
        egui::CentralPanel::default().show(ui, |ui| match self.keeping.showing() {
            Some(item) => {
                let c = &item.conversation;
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(
                            Phrase::PastConversation {
                                peer: c.header.peer.clone(),
                                when: c.header.started.format("%Y-%m-%d %H:%M").to_string(),
                            }
                            .say(lang),
                        )
                        .strong(),
                    );
                    if ui.button(Label::BackToLive.get(lang)).clicked() {
                        intents.push(Intent::BackToLive);
                    }
                });
                super::find::transcript_with_find(
                    ui,
                    &mut self.find,
                    &mut self.find_bar,
                    &mut self.view,
                    path_key(&item.path),
                    &c.transcript,
                    None,
                    lang,
                    super::find::everywhere(
                        self.find_everywhere,
                        &mut self.find_all,
                        &self.state,
                        &self.names,
                    ),
                    intents,
                );
            }
            None => match self.state.current() {
                Some(session) => {
                    let id = session.id;
                    // The name field shows for a teacher (a class list, names typed
                    // before, or F2): a conversation without one stays as it was.
                    let naming = self.name_editing
                        || self.names.roster.is_some()
                        || !self.names.typed().is_empty();
                    if session.as_role == Role::Server && naming {
                        if self.name_edit.0 != Some(id) {
                            let typed = self.names.typed_for(session.peer).unwrap_or_default();
                            self.name_edit = (Some(id), typed);
                        }
                        let focus = std::mem::take(&mut self.name_focus);
                        if let Some(name) =
                            class_list::name_editor(ui, &mut self.name_edit.1, focus, lang)
                        {
                            intents.push(Intent::NameComputer {
                                peer: session.peer,
                                name,
                            });
                        }
                    }
                    if let Some(name) = self.names.resolve(session.peer) {
                        let peers: Vec<_> = self.state.sessions.values().map(|s| s.peer).collect();
                        let same = self
                            .names
                            .duplicates(&peers)
                            .iter()
                            .zip(&peers)
                            .any(|(d, p)| *d && *p == session.peer);
                        class_list::name_line(ui, session.peer, &name, same, lang);
                    }
                    // The conversation's header: its encoding, counters, bytes, presets.
                    let picked =
                        self.talk_bar
                            .ui(ui, Some(session), self.settings.current_mut(), lang);
                    let hinted = super::find::transcript_with_find(
                        ui,
                        &mut self.find,
                        &mut self.find_bar,
                        &mut self.view,
                        id.0,
                        &session.transcript,
                        Some(session.encoding),
                        lang,
                        super::find::everywhere(
                            self.find_everywhere,
                            &mut self.find_all,
                            &self.state,
                            &self.names,
                        ),
                        intents,
                    );
                    if let Some(encoding) = picked.or(hinted) {
                        intents.push(Intent::SetEncoding {
                            session: id,
                            encoding,
                        });
                    }
                }
                None => {
                    // The header and an empty transcript, drawn as with a conversation
                    // (see `TalkBar::ui`), and the hint over them.
                    self.talk_bar
                        .ui(ui, None, self.settings.current_mut(), lang);
                    let hint = ui.available_rect_before_wrap();
                    self.view
                        .ui(ui, NO_CONVERSATION, &Transcript::default(), None, lang);
                    ui.scope_builder(egui::UiBuilder::new().max_rect(hint), |ui| {
                        empty_hint(ui, &self.state.status, self.settings.current().role, lang);
                    });
                }
            },
        });
    }

    /// Where the newest peer words on screen end (for the frame statistics): the shown
    /// live conversation's message count and last message's length, if a peer spoke last.
    pub(super) fn peer_mark(&self) -> Option<(usize, usize)> {
        if self.keeping.showing().is_some() {
            return None;
        }
        self.state.current().and_then(|s| {
            let entries = s.transcript.entries();
            let last = entries.last()?;
            (last.from == Speaker::Peer).then_some((entries.len(), last.text.len()))
        })
    }
}

/// The transcript view's key for a past conversation's file.
fn path_key(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish() | (1 << 63)
}

/// What to do first, over the empty transcript.
fn empty_hint(ui: &mut egui::Ui, status: &RoleStatus, role: Role, lang: Lang) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        let text = match (status, role) {
            (RoleStatus::Listening { .. }, _) => Label::HintListening,
            (RoleStatus::Connecting { .. }, _) => Label::HintConnecting,
            (_, Role::Server) => Label::HintServer,
            (_, Role::Client) => Label::HintClient,
        };
        ui.label(RichText::new(text.get(lang)).weak());
    });
}
