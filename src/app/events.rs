//! The event drain and the reactions: backend events and job reports are applied to
//! the state (and to auto-reconnect), and what they call for beyond that is done here:
//! focus, the log, the title, attention requests and desktop notifications.

use std::sync::Arc;
use std::time::Duration;

use eframe::egui;

use super::TurnChatApp;
use crate::core::ids::SessionId;
use crate::desktop::file_notice::FileNotice;
use crate::desktop::jobs::JobDone;
use crate::net::Event;
use crate::state::Reaction;
use crate::state::signals::Signal;

impl TurnChatApp {
    /// Applies every pending backend event and job report. Never blocks.
    pub fn drain_events(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.apply(event);
        }
        while let Some(done) = self.jobs.try_next() {
            self.job_done(done);
        }
        self.drain_find_reports();
        self.backend.reap();
        self.discovery_pass();
        self.keep_class_file();
    }

    /// Blocks up to `timeout` for one backend event or job report and applies it (with
    /// any that follow). For tests and tools that drive the app without a window; returns
    /// whether anything came.
    pub fn wait_for_event(&mut self, timeout: Duration) -> bool {
        let jobs = self.jobs.receiver().clone();
        let reports = self.find_reports.1.clone();
        crossbeam_channel::select! {
            recv(reports) -> report => match report {
                Ok(report) => self.history_find.apply(report),
                Err(_) => return false,
            },
            recv(self.events) -> event => match event {
                Ok(event) => self.apply(event),
                Err(_) => return false,
            },
            recv(jobs) -> done => match done {
                Ok(done) => self.job_done(done),
                Err(_) => return false,
            },
            default(timeout) => return false,
        }
        self.drain_events();
        true
    }

    /// One backend event: auto-reconnect hears it first (it reads the state as it was),
    /// then the state, then the reactions it asks for; a retry starts last.
    fn apply(&mut self, event: Event) {
        let retry = self.reconnect.follows(&event, &self.state);
        self.reach_on_connect(&event);
        self.recent_on_connect(&event);
        let named = match &event {
            Event::SessionStarted { info, .. } => self
                .shown_name(info.peer)
                .map(|n| (info.session, info.peer, n)),
            _ => None,
        };
        for reaction in self.state.apply(event) {
            match reaction {
                Reaction::FocusComposer { session } => {
                    if self.state.current == Some(session) {
                        self.composer.focus_requested = true;
                    }
                }
                Reaction::PeerMessage { session } => self.peer_messages.push(session),
                Reaction::Log(line) => self.log(&line),
            }
        }
        if let Some((session, peer, name)) = named {
            // Scripts (and the tests) read who each conversation is with.
            let seat = name.seat.map(|s| format!(" seat {s}")).unwrap_or_default();
            self.log(&format!(
                "session {session} with {peer} is {}{seat}",
                name.name
            ));
        }
        if let Some(retry) = retry {
            self.retry_connect(retry);
        }
    }

    /// Writes `line` to the log, and to standard output when asked to (scripts read it).
    pub(super) fn log(&self, line: &str) {
        crate::desktop::applog::line(line);
        if self.log_to_stdout {
            println!("turnchat: {line}");
        }
    }

    /// One job report: a notification shown (or not), or a keeping job's, whose next
    /// step, if any, is started.
    fn job_done(&mut self, done: JobDone) {
        let done = match done {
            JobDone::WhyChecked { readings } => {
                self.why.checked(readings);
                return;
            }
            other => other,
        };
        if let JobDone::Notified { error } = &done {
            if self.signals.notified(error.is_some())
                && let Some(detail) = error
            {
                // Said once, quietly; no more tries this run.
                self.keeping
                    .set_notice(FileNotice::NotificationsUnavailable {
                        detail: detail.clone(),
                    });
            }
            return;
        }
        if let JobDone::KnownSaved { error } = done {
            self.known_saved(error);
            return;
        }
        if let JobDone::ClassListPicked { path } = &done {
            if let Some(path) = path {
                // Remembered: the next start uses the same list.
                self.settings.current_mut().class_list = path.display().to_string();
                self.load_class_list(&path.clone());
            }
            return;
        }
        self.aim_at_found(&done);
        if let Some(action) = self.keeping.apply(done) {
            self.run(action, None);
        }
    }

    /// A peer said something: when the user is elsewhere, ask for their attention and,
    /// if they keep the setting on, show a desktop notification (from a job thread:
    /// showing one talks to the desktop over D-Bus and may block).
    fn peer_message(&mut self, ctx: &egui::Context, session: SessionId) {
        let Some(s) = self.state.sessions.get(&session) else {
            return;
        };
        let from = self.peer_called(s.peer);
        let signals = self.signals.peer_message(
            &from,
            self.state.total_unread(),
            self.settings.current().notifications,
            self.lang(),
        );
        self.carry_out(ctx, signals);
    }

    /// Tells the desktop what [`crate::state::signals::Signals`] decided.
    fn carry_out(&mut self, ctx: &egui::Context, signals: Vec<Signal>) {
        for signal in signals {
            match signal {
                Signal::Title(title) => ctx.send_viewport_cmd(egui::ViewportCommand::Title(title)),
                Signal::RequestAttention => {
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ))
                }
                Signal::ResetAttention => ctx.send_viewport_cmd(
                    egui::ViewportCommand::RequestUserAttention(egui::UserAttentionType::Reset),
                ),
                Signal::Notify(body) => {
                    let notifier = Arc::clone(&self.notifier);
                    let spawned = self.jobs.spawn("notify", true, move || JobDone::Notified {
                        error: notifier(&body).err(),
                    });
                    if spawned.is_err() {
                        self.signals.notify_not_started();
                    }
                }
            }
        }
    }

    /// Keeps the window title's unread count and the attention request current, and
    /// signals the peer messages that came since the last frame.
    pub(super) fn window_signals(&mut self, ctx: &egui::Context) {
        for session in std::mem::take(&mut self.peer_messages) {
            self.peer_message(ctx, session);
        }
        let focused = ctx.input(|i| i.focused);
        // All the unread messages one named student's: the title says who.
        let mut waiting = self.state.sessions.values().filter(|s| s.unread > 0);
        let who = match (waiting.next(), waiting.next()) {
            (Some(one), None) => self.shown_name(one.peer).map(|n| n.name),
            _ => None,
        };
        let signals = self
            .signals
            .frame_named(focused, self.state.total_unread(), who.as_deref());
        self.carry_out(ctx, signals);
    }
}
