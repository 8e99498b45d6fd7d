//! The eframe app: drains backend events into [`State`] in `logic()`, draws the views in
//! `ui()`, and turns the intents they return into backend calls. The only module that
//! touches both egui and the network shell.

use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Receiver;
use eframe::egui::{self, RichText};

use crate::net::{Backend, Event, Role, Waker};
use crate::state::{Reaction, RoleStatus, State};
use crate::ui::composer::Composer;
use crate::ui::form::Form;
use crate::ui::transcript_view::TranscriptView;
use crate::ui::{Intent, fonts, status, style};

/// A role to start as soon as the window opens (from `--listen` / `--connect`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    /// Start a server on `host:port`.
    Listen {
        /// Host to bind.
        host: String,
        /// Port to bind (0: any free port).
        port: u16,
    },
    /// Connect to `host:port`.
    Connect {
        /// Server host.
        host: String,
        /// Server port.
        port: u16,
    },
}

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// A role to start at once.
    pub launch: Option<Launch>,
    /// Where live transcripts go (`None`: not written).
    pub transcripts: Option<PathBuf>,
    /// Print what happens (listening address, sessions, errors) on standard output.
    pub log_to_stdout: bool,
}

struct EguiWaker(egui::Context);

impl Waker for EguiWaker {
    fn wake(&self) {
        self.0.request_repaint();
    }
}

/// The TurnChat window.
pub struct TurnChatApp {
    backend: Backend,
    events: Receiver<Event>,
    state: State,
    form: Form,
    composer: Composer,
    view: TranscriptView,
    log_to_stdout: bool,
}

impl TurnChatApp {
    /// Sets up fonts and style on `ctx`, creates the backend, and starts the launch role.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::install(ctx);
        style::install(ctx);
        let (backend, events) = Backend::new(Arc::new(EguiWaker(ctx.clone())), options.transcripts);
        let mut app = TurnChatApp {
            backend,
            events,
            state: State::default(),
            form: Form::default(),
            composer: Composer::default(),
            view: TranscriptView::default(),
            log_to_stdout: options.log_to_stdout,
        };
        match options.launch {
            Some(Launch::Listen { host, port }) => {
                app.form.role = Role::Server;
                app.form.server_host = host;
                app.form.server_port = port.to_string();
                if let Ok(config) = app.form.server_config() {
                    app.handle(Intent::StartServer(config), ctx);
                }
            }
            Some(Launch::Connect { host, port }) => {
                app.form.role = Role::Client;
                app.form.client_host = host;
                app.form.client_port = port.to_string();
                if let Ok(config) = app.form.client_config() {
                    app.handle(Intent::Connect(config), ctx);
                }
            }
            None => {}
        }
        app
    }

    /// What the window shows (for tests).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Same as [`TurnChatApp::state`]; reads well as `harness.state().state()` in tests.
    pub fn view_state(&self) -> &State {
        &self.state
    }

    /// The connection form (for tests and launch flags).
    pub fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    /// The composer's draft (for tests).
    pub fn draft(&self) -> &str {
        &self.composer.draft
    }

    /// Applies every pending backend event. Never blocks.
    pub fn drain_events(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.apply(event);
        }
        self.backend.reap();
    }

    /// Blocks up to `timeout` for one backend event and applies it (with any that follow).
    /// For tests and tools that drive the app without a window; returns whether one came.
    pub fn wait_for_event(&mut self, timeout: std::time::Duration) -> bool {
        match self.events.recv_timeout(timeout) {
            Ok(event) => {
                self.apply(event);
                self.drain_events();
                true
            }
            Err(_) => false,
        }
    }

    fn apply(&mut self, event: Event) {
        for reaction in self.state.apply(event) {
            match reaction {
                Reaction::FocusComposer => self.composer.focus_requested = true,
                Reaction::RestoreDraft { text, error } => self.composer.restore(text, &error),
                Reaction::Log(line) => {
                    if self.log_to_stdout {
                        println!("turnchat: {line}");
                    }
                }
            }
        }
    }

    fn handle(&mut self, intent: Intent, ctx: &egui::Context) {
        match intent {
            Intent::StartServer(config) => {
                let role = self.backend.start_server(config);
                self.state.role_started(RoleStatus::Starting { role });
            }
            Intent::Connect(config) => {
                let target = crate::core::address::join_host_port(&config.host, config.port);
                let role = self.backend.connect(config);
                self.state
                    .role_started(RoleStatus::Connecting { role, target });
            }
            Intent::StopServer | Intent::CancelConnect => {
                self.backend.stop();
                self.state.role_stopped_by_user();
            }
            Intent::Send { session, text } => {
                if let Some(s) = self.state.sessions.get(&session) {
                    if s.link.send(text.clone()) {
                        self.state.send_requested(session);
                    } else {
                        self.composer.draft = text;
                    }
                }
            }
            Intent::Bye { session } => {
                if let Some(s) = self.state.sessions.get(&session) {
                    s.link.bye();
                }
            }
            Intent::Show(session) => self.state.current = Some(session),
            Intent::Copy(text) => ctx.copy_text(text),
        }
    }
}

impl eframe::App for TurnChatApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events();
        if matches!(self.state.status, RoleStatus::Connecting { .. })
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.handle(Intent::CancelConnect, ctx);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Drawing may run without a preceding logic() in tests: never show stale state.
        self.drain_events();
        let ctx = ui.ctx().clone();
        let mut intents = Vec::new();

        egui::Panel::top("form").show(ui, |ui| {
            ui.add_space(4.0);
            intents.extend(self.form.ui(ui, &self.state.status));
            intents.extend(status::ui(ui, &self.state));
            ui.add_space(2.0);
        });
        egui::Panel::bottom("composer").show(ui, |ui| {
            ui.add_space(4.0);
            intents.extend(
                self.composer
                    .ui(ui, self.state.current(), &self.state.status),
            );
            ui.add_space(4.0);
        });
        egui::CentralPanel::default().show(ui, |ui| match self.state.current() {
            Some(session) => self.view.ui(ui, session.id, &session.transcript),
            None => empty_hint(ui, &self.state.status, self.form.role),
        });

        for intent in intents {
            self.handle(intent, &ctx);
        }
    }
}

fn empty_hint(ui: &mut egui::Ui, status: &RoleStatus, role: Role) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        let text = match (status, role) {
            (RoleStatus::Listening { .. }, _) => {
                "No conversation yet. Tell the other person one of the addresses above.".to_owned()
            }
            (RoleStatus::Connecting { .. }, _) => {
                "Press Cancel or Esc to stop trying. TurnChat gives up by itself after 5 seconds."
                    .to_owned()
            }
            (_, Role::Server) => {
                "Click Start Server, then tell the other person this computer's address.".to_owned()
            }
            (_, Role::Client) => {
                "Type the server's address and port, then click Connect.".to_owned()
            }
        };
        ui.label(RichText::new(text).weak());
    });
}
