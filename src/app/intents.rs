//! What the user asked for, carried out: the intents the views return and the
//! keyboard shortcuts that stand for them become backend calls, state changes and jobs.

use eframe::egui;

use std::path::Path;

use super::TurnChatApp;
use crate::core::ids::SessionId;
use crate::state::RoleStatus;
use crate::ui::Intent;

impl TurnChatApp {
    /// Carries out `intent` (`frame`, when there is one, parents the save dialog).
    pub(super) fn handle(
        &mut self,
        intent: Intent,
        ctx: &egui::Context,
        frame: Option<&eframe::Frame>,
    ) {
        match intent {
            Intent::StartServer(config) => {
                self.begin_class(config.port);
                // The names the class list and the teacher give, as they are now, go on
                // each conversation's first transcript line (asserted ones come later).
                let names = self.names.clone();
                self.backend
                    .set_names(Some(std::sync::Arc::new(move |peer| {
                        (names.resolve(peer))
                            .filter(|n| n.source != crate::state::names::NameSource::Asserted)
                            .map(|n| (n.name, n.seat))
                    })));
                let role = self.backend.start_server(config);
                self.state.role_started(RoleStatus::Starting { role });
                self.keeping.back_to_live();
                self.persist_settings();
            }
            Intent::Connect(config) => {
                self.typed_connect(&config);
                self.start_connect(config, true);
            }
            Intent::StopServer | Intent::CancelConnect => {
                self.reconnect.disarm();
                self.backend.stop();
                self.state.role_stopped_by_user();
            }
            Intent::Send { session, text } => self.send(session, text),
            Intent::SendBytes {
                session,
                typed,
                bytes,
            } => {
                if let Some(seq) = self.state.send_requested(session, &typed)
                    && let Err(typed) = self.backend.send_bytes(session, seq, typed, bytes)
                {
                    self.state.send_failed(session, seq, typed);
                }
            }
            Intent::SendToAll => {
                let text = std::mem::take(&mut self.state.draft_mut().text);
                // In hex mode the box holds bytes: each gets exactly those (or, typed
                // wrong, nobody gets anything and the box keeps them; it says why).
                let outgoing = match self.composer.outgoing(text) {
                    Ok(outgoing) => outgoing,
                    Err(text) => {
                        self.state.draft_mut().text = text;
                        return;
                    }
                };
                for session in self.state.waiting_for_me() {
                    self.handle(outgoing.clone().into_intent(session), ctx, frame);
                }
            }
            Intent::SetEncoding { session, encoding } => {
                // A live session switches and answers with `EncodingChanged`; an ended one
                // is only read again, here.
                if !self.backend.set_encoding(session, encoding)
                    && let Some(from) = self.state.sessions.get(&session).map(|s| s.encoding)
                {
                    let at = chrono::Local::now().fixed_offset();
                    self.state.encoding_changed(session, at, from, encoding);
                }
            }
            Intent::Bye { session } => {
                self.backend.bye(session);
            }
            Intent::EndAndBlock(session) => {
                if let Some(peer) = self.state.sessions.get(&session).map(|s| s.peer) {
                    self.backend.block(peer.ip());
                    self.log(&format!("blocked {} for this run", peer.ip()));
                }
                self.backend.bye(session);
            }
            Intent::ClearBlocks => {
                self.backend.unblock_all();
            }
            Intent::EndAllSilent => {
                for session in crate::state::door::silent(self.state.sessions.values()) {
                    self.backend.bye(session);
                }
            }
            Intent::Show(session) => {
                self.state.show(session);
                self.keeping.back_to_live();
                self.composer.focus_requested = true;
            }
            Intent::NameRow(session) => {
                self.handle(Intent::Show(session), ctx, frame);
                self.composer.focus_requested = false;
                self.name_focus = true;
                self.name_editing = true;
            }
            Intent::Close(session) => {
                self.state.close(session);
            }
            Intent::ToggleList => self.list_open = !self.list_open,
            Intent::Copy(text) => ctx.copy_text(text),
            Intent::SaveAs(source) => self.save_as(source, frame),
            Intent::QuickSave(source) => self.quick_save(source),
            Intent::PickClassList => self.pick_class_list(frame),
            Intent::NameComputer { peer, name } => self.type_name(peer, &name),
            Intent::OpenClassFolder => {
                if let Some(dir) = self.class_folder().map(Path::to_path_buf) {
                    self.run(crate::state::keeping::KeepAction::OpenFolder { dir }, frame);
                }
            }
            Intent::OpenFolder => {
                if let Some(action) = self.keeping.open_folder() {
                    self.run(action, frame);
                }
            }
            Intent::ToggleHistory => {
                if let Some(action) = self.keeping.toggle_history() {
                    self.run(action, frame);
                }
            }
            Intent::RefreshHistory => {
                if let Some(action) = self.keeping.refresh_history() {
                    self.run(action, frame);
                }
                self.search_again();
            }
            Intent::ShowFile(path) => self.keeping.show_file(&path),
            Intent::BackToLive => self.keeping.back_to_live(),
            Intent::SetLang(lang) => {
                self.settings.current_mut().lang = Some(lang);
                self.backend.set_lang(lang);
                self.persist_settings();
                self.search_again();
            }
            Intent::Find(action) => {
                self.find_action(action);
                ctx.request_repaint();
            }
            Intent::Why(action) => self.why_action(action),
            Intent::HistoryFind(action) => {
                self.history_find_action(action);
                ctx.request_repaint();
            }
            Intent::ConnectTo { host, port, name } => {
                self.connect_listed(host, port, name);
                // A question asked is drawn in the next frame: ask for it now, not at
                // the next mouse move.
                ctx.request_repaint();
            }
            Intent::AnswerConnect { connect } => {
                self.answer_connect(connect);
                ctx.request_repaint();
            }
            Intent::Pin { name, addr, pinned } => self.pin(&name, addr, pinned),
            Intent::FillForm { host, port } => self.fill_form(host, port),
            Intent::ForgetRecent { host, port } => self.forget_recent(&host, port),
        }
    }

    /// Connects with `config` (arming auto-reconnect when it is on); `typed`: from the
    /// form (then the server goes into Recent once reached).
    pub(super) fn start_connect(&mut self, config: crate::net::ClientConfig, typed: bool) {
        self.recent_pending = typed.then(|| (config.host.clone(), config.port));
        let target = crate::core::address::join_host_port(&config.host, config.port);
        if self.settings.current().reconnect {
            let seed = crate::net::random::random_u64();
            self.reconnect.arm(config.clone(), target.clone(), seed);
        } else {
            self.reconnect.disarm();
        }
        let role = self.backend.connect(config);
        self.reconnect.connect_started(role);
        self.state.role_started(RoleStatus::Connecting {
            role,
            target,
            retry: None,
        });
        self.keeping.back_to_live();
        self.persist_settings();
    }

    /// Hands a message to its session, numbered so its report can be matched.
    fn send(&mut self, session: SessionId, text: String) {
        let Some(seq) = self.state.send_requested(session, &text) else {
            return;
        };
        if let Err(text) = self.backend.send(session, seq, text) {
            self.state.send_failed(session, seq, text);
        }
    }

    /// The window's shortcuts: find's (Ctrl+F, F3, Esc), Esc cancels a connect, Ctrl+S
    /// saves the conversation on screen, and the ways between conversations.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        self.history_find_keys(ctx);
        self.find_keys(ctx);
        if matches!(self.state.status, RoleStatus::Connecting { .. })
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.handle(Intent::CancelConnect, ctx, frame);
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F2)) {
            self.name_focus = true;
            self.name_editing = true;
        }
        let save_key = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::S);
        if ctx.input_mut(|i| i.consume_shortcut(&save_key))
            && let Some(source) = self.shown_source()
        {
            self.handle(Intent::SaveAs(source), ctx, frame);
        }
        self.conversation_keys(ctx, frame);
    }

    /// The keyboard's ways between conversations: Ctrl+Tab / Ctrl+Shift+Tab, Alt+1…9,
    /// and Ctrl+W to close an ended one.
    fn conversation_keys(&mut self, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let next = KeyboardShortcut::new(Modifiers::CTRL, Key::Tab);
        let prev = KeyboardShortcut::new(Modifiers::CTRL | Modifiers::SHIFT, Key::Tab);
        let close = KeyboardShortcut::new(Modifiers::COMMAND, Key::W);
        const ROWS: [Key; 9] = [
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
        let mut target = None;
        ctx.input_mut(|i| {
            // The more specific shortcut first: consume_shortcut matches Ctrl+Tab
            // "logically", so it would also take Ctrl+Shift+Tab.
            if i.consume_shortcut(&prev) {
                target = Some(-1);
            } else if i.consume_shortcut(&next) {
                target = Some(1);
            }
        });
        let mut show = target.and_then(|step| self.state.neighbour(step));
        for (n, key) in ROWS.iter().enumerate() {
            let digit = (n + 1).to_string();
            let pressed = ctx.input_mut(|i| {
                let pressed = i.consume_key(Modifiers::ALT, *key);
                if pressed {
                    // On X11 the key also arrives as the text "1"…"9": it must not land in
                    // the message box (it would be sent to the student).
                    i.events
                        .retain(|e| !matches!(e, egui::Event::Text(t) if *t == digit));
                }
                pressed
            });
            if pressed {
                show = self.state.nth(n).or(show);
            }
        }
        if let Some(session) = show {
            self.handle(Intent::Show(session), ctx, frame);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&close))
            && let Some(current) = self.state.current
        {
            self.handle(Intent::Close(current), ctx, frame);
        }
    }
}
