//! The eframe app: drains backend events and job reports into state in `logic()`, draws
//! the views in `ui()`, and turns the intents they return into backend calls and jobs.
//! The only module that touches egui, the network shell and the file jobs together.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use eframe::egui::{self, RichText};

use crate::core::export::{self, ExportFormat, ExportHeader};
use crate::core::settings::Settings;
use crate::core::transcript::{Speaker, Transcript};
use crate::files;
use crate::frames::Frames;
use crate::jobs::{HistoryItem, JobDone, Jobs, SaveSource};
use crate::net::{Backend, Event, Role, Waker};
use crate::state::{Reaction, RoleStatus, SessionState, State};
use crate::ui::composer::Composer;
use crate::ui::form::Form;
use crate::ui::history::HistoryList;
use crate::ui::toolbar::FileNotice;
use crate::ui::transcript_view::TranscriptView;
use crate::ui::{Intent, fonts, history, status, style, toolbar};

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

/// Stands in for the native save dialog (tests): given the suggested folder and file
/// name, returns the chosen path, or `None` as a cancelled or missing dialog would.
pub type SaveDialogStub = Arc<dyn Fn(&Path, &str) -> Option<PathBuf> + Send + Sync>;

/// How the app is started.
#[derive(Clone, Default)]
pub struct AppOptions {
    /// A role to start at once (overrides the remembered settings for this run only).
    pub launch: Option<Launch>,
    /// Where live transcripts go (`None`: not written).
    pub transcripts: Option<PathBuf>,
    /// Remembered settings.
    pub settings: Settings,
    /// Why the settings file could not be used, if it could not.
    pub settings_notice: Option<String>,
    /// Where settings are saved (`None`: not saved).
    pub settings_path: Option<PathBuf>,
    /// Replaces the native save dialog (for tests).
    pub save_dialog: Option<SaveDialogStub>,
    /// Print what happens (listening address, sessions, errors) on standard output.
    pub log_to_stdout: bool,
    /// Print frame statistics on standard output once a second (see `crate::frames`).
    pub frame_stats: bool,
}

/// A dialog that returns sooner than this without a path probably never appeared.
const DIALOG_NEVER_APPEARED: Duration = Duration::from_millis(400);

/// What the central panel shows.
enum Showing {
    /// The conversation `state.current` (live or ended in this run).
    Session,
    /// A past conversation read from its file.
    File(HistoryItem),
}

/// The TurnChat window.
pub struct TurnChatApp {
    backend: Backend,
    events: Receiver<Event>,
    jobs: Jobs,
    state: State,
    form: Form,
    composer: Composer,
    view: TranscriptView,
    showing: Showing,
    history_open: bool,
    history: HistoryList,
    file_notice: Option<FileNotice>,
    transcripts: Option<PathBuf>,
    save_dialog: Option<SaveDialogStub>,
    /// Settings as last read or written.
    remembered: Settings,
    /// `remembered` with launch flags applied: what the form started from.
    baseline: Settings,
    settings_path: Option<PathBuf>,
    log_to_stdout: bool,
    /// Whether a frame has been drawn (the first one is announced on stdout for scripts).
    shown: bool,
    /// Frame pacing and statistics; its waker wakes the window for the backend and jobs.
    frames: Frames,
}

impl TurnChatApp {
    /// Sets up fonts and style on `ctx`, creates the backend, and starts the launch role.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::install(ctx);
        style::install(ctx);
        let frames = Frames::new(ctx, options.frame_stats);
        let waker: Arc<dyn Waker> = frames.waker();
        let (backend, events) = Backend::new(Arc::clone(&waker), options.transcripts.clone());
        let mut form = Form::from_settings(&options.settings);
        match &options.launch {
            Some(Launch::Listen { host, port }) => {
                form.role = Role::Server;
                form.server_host.clone_from(host);
                form.server_port = port.to_string();
            }
            Some(Launch::Connect { host, port }) => {
                form.role = Role::Client;
                form.client_host.clone_from(host);
                form.client_port = port.to_string();
            }
            None => {}
        }
        let mut baseline = options.settings.clone();
        form.store(&mut baseline);
        let mut app = TurnChatApp {
            backend,
            events,
            jobs: Jobs::new(waker),
            state: State::default(),
            form,
            composer: Composer::default(),
            view: TranscriptView::default(),
            showing: Showing::Session,
            history_open: false,
            history: HistoryList::default(),
            file_notice: options.settings_notice.map(|text| FileNotice {
                text,
                is_error: true,
                offer_quick_save: None,
            }),
            transcripts: options.transcripts,
            save_dialog: options.save_dialog,
            remembered: options.settings,
            baseline,
            settings_path: options.settings_path,
            log_to_stdout: options.log_to_stdout,
            shown: false,
            frames,
        };
        match options.launch {
            Some(Launch::Listen { .. }) => {
                if let Ok(config) = app.form.server_config() {
                    app.handle(Intent::StartServer(config), ctx, None);
                }
            }
            Some(Launch::Connect { .. }) => {
                if let Ok(config) = app.form.client_config() {
                    app.handle(Intent::Connect(config), ctx, None);
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

    /// Same as [`TurnChatApp::state`]; reads well as `harness.state().view_state()` in tests.
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

    /// The sentence about the last file action, if any (for tests).
    pub fn file_notice(&self) -> Option<&FileNotice> {
        self.file_notice.as_ref()
    }

    /// Applies every pending backend event and job report. Never blocks.
    pub fn drain_events(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.apply(event);
        }
        while let Some(done) = self.jobs.try_next() {
            self.job_done(done);
        }
        self.backend.reap();
    }

    /// Blocks up to `timeout` for one backend event or job report and applies it (with
    /// any that follow). For tests and tools that drive the app without a window; returns
    /// whether anything came.
    pub fn wait_for_event(&mut self, timeout: Duration) -> bool {
        let jobs = self.jobs.receiver().clone();
        crossbeam_channel::select! {
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

    fn apply(&mut self, event: Event) {
        for reaction in self.state.apply(event) {
            match reaction {
                Reaction::FocusComposer => self.composer.focus_requested = true,
                Reaction::RestoreDraft { text, error } => self.composer.restore(text, &error),
                Reaction::Log(line) => {
                    crate::applog::line(&line);
                    if self.log_to_stdout {
                        println!("turnchat: {line}");
                    }
                }
            }
        }
    }

    fn job_done(&mut self, done: JobDone) {
        match done {
            JobDone::SaveDialogClosed {
                source,
                path: Some(path),
                ..
            } => self.write_transcript(source, path),
            JobDone::SaveDialogClosed {
                source,
                path: None,
                open_for,
            } => {
                self.file_notice = (open_for < DIALOG_NEVER_APPEARED).then(|| FileNotice {
                    text: "No save dialog could be opened (or it was closed at once).".to_owned(),
                    is_error: false,
                    offer_quick_save: Some(source),
                });
            }
            JobDone::Saved { path, format } => {
                let what = match format {
                    ExportFormat::PlainText => "as text",
                    ExportFormat::JsonLines => "as JSON Lines",
                };
                self.file_notice = Some(FileNotice {
                    text: format!("Saved {what} to {}.", path.display()),
                    is_error: false,
                    offer_quick_save: None,
                });
            }
            JobDone::SaveFailed { error } => {
                self.file_notice = Some(FileNotice {
                    text: format!(
                        "{error} Nothing was lost: the conversation is still here, and in its live transcript file."
                    ),
                    is_error: true,
                    offer_quick_save: None,
                });
            }
            JobDone::HistoryListed {
                items,
                unreadable,
                damaged_lines,
            } => {
                let mut problems = Vec::new();
                if unreadable > 0 {
                    problems.push(format!(
                        "{unreadable} file(s) could not be read and are not listed."
                    ));
                }
                if damaged_lines > 0 {
                    problems.push(format!("{damaged_lines} damaged line(s) were skipped."));
                }
                self.history = HistoryList {
                    items: Some(items),
                    problem: (!problems.is_empty()).then(|| problems.join(" ")),
                };
            }
            JobDone::FolderOpened => {}
            JobDone::FolderFailed { error } => {
                self.file_notice = Some(FileNotice {
                    text: error,
                    is_error: true,
                    offer_quick_save: None,
                });
            }
        }
    }

    /// The conversation on screen as a save source.
    fn shown_source(&self) -> Option<SaveSource> {
        match &self.showing {
            Showing::File(item) => Some(SaveSource::File(item.path.clone())),
            Showing::Session => self.state.current.map(SaveSource::Session),
        }
    }

    /// The header and transcript a save source refers to.
    fn export_source(&self, source: &SaveSource) -> Option<(ExportHeader, &Transcript)> {
        match source {
            SaveSource::Session(id) => self
                .state
                .sessions
                .get(id)
                .map(|s| (session_header(s), &s.transcript)),
            SaveSource::File(path) => match &self.showing {
                Showing::File(item) if item.path == *path => Some((
                    item.conversation.header.clone(),
                    &item.conversation.transcript,
                )),
                _ => self
                    .history
                    .items
                    .as_ref()?
                    .iter()
                    .find(|i| i.path == *path)
                    .map(|i| (i.conversation.header.clone(), &i.conversation.transcript)),
            },
        }
    }

    fn default_save_folder(&self) -> PathBuf {
        self.transcripts
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }

    fn save_as(&mut self, source: SaveSource, frame: Option<&eframe::Frame>) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        let dir = self.default_save_folder();
        let name = header.file_name(ExportFormat::PlainText);
        let pick: Box<dyn FnOnce() -> Option<PathBuf> + Send> = match &self.save_dialog {
            Some(stub) => {
                let stub = Arc::clone(stub);
                Box::new(move || stub(&dir, &name))
            }
            None => {
                let mut dialog = rfd::FileDialog::new()
                    .set_title("Save transcript")
                    .set_directory(&dir)
                    .set_file_name(&name)
                    .add_filter("Plain text (.txt)", &["txt"])
                    .add_filter("JSON Lines (.jsonl)", &["jsonl"]);
                if let Some(frame) = frame {
                    dialog = dialog.set_parent(frame);
                }
                Box::new(move || dialog.save_file())
            }
        };
        let spawned = self.jobs.spawn("save-dialog", false, move || {
            let opened = Instant::now();
            let path = pick();
            JobDone::SaveDialogClosed {
                source,
                path,
                open_for: opened.elapsed(),
            }
        });
        if let Err(error) = spawned {
            self.file_notice = Some(FileNotice {
                text: error,
                is_error: true,
                offer_quick_save: None,
            });
        }
    }

    fn quick_save(&mut self, source: SaveSource) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        let path = self
            .default_save_folder()
            .join(header.file_name(ExportFormat::PlainText));
        self.write_transcript(source, path);
    }

    /// Renders the conversation as it is now and writes it on a job thread.
    fn write_transcript(&mut self, source: SaveSource, path: PathBuf) {
        let format = ExportFormat::from_file_name(&path.to_string_lossy());
        let Some((header, transcript)) = self.export_source(&source) else {
            self.file_notice = Some(FileNotice {
                text: "That conversation is no longer open, so it was not saved.".to_owned(),
                is_error: true,
                offer_quick_save: None,
            });
            return;
        };
        let content = export::render(format, &header, transcript.entries());
        let spawned = self.jobs.spawn("save-writer", true, move || {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            match files::write_atomic(&path, content.as_bytes()) {
                Ok(()) => JobDone::Saved { path, format },
                Err(e) => JobDone::SaveFailed {
                    error: e.to_string(),
                },
            }
        });
        if let Err(error) = spawned {
            self.file_notice = Some(FileNotice {
                text: error,
                is_error: true,
                offer_quick_save: None,
            });
        }
    }

    fn refresh_history(&mut self) {
        let Some(dir) = self.transcripts.clone() else {
            self.history = HistoryList {
                items: Some(Vec::new()),
                problem: None,
            };
            return;
        };
        if let Err(error) = self
            .jobs
            .spawn("history", true, move || crate::jobs::list_history(&dir))
        {
            self.history.problem = Some(error);
        }
    }

    /// Writes the settings file if the user changed anything since it was last written.
    fn persist_settings(&mut self) {
        let Some(path) = self.settings_path.clone() else {
            return;
        };
        let mut current = self.baseline.clone();
        self.form.store(&mut current);
        let merged = Settings::merge_changes(&self.remembered, &self.baseline, &current);
        if merged == self.remembered {
            return;
        }
        match files::save_settings(&path, &merged) {
            Ok(()) => {
                self.remembered = merged;
                self.baseline = current;
            }
            Err(e) => {
                self.file_notice = Some(FileNotice {
                    text: format!("Your settings were not saved. {e}"),
                    is_error: true,
                    offer_quick_save: None,
                });
            }
        }
    }

    fn handle(&mut self, intent: Intent, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        match intent {
            Intent::StartServer(config) => {
                let role = self.backend.start_server(config);
                self.state.role_started(RoleStatus::Starting { role });
                self.showing = Showing::Session;
                self.persist_settings();
            }
            Intent::Connect(config) => {
                let target = crate::core::address::join_host_port(&config.host, config.port);
                let role = self.backend.connect(config);
                self.state
                    .role_started(RoleStatus::Connecting { role, target });
                self.showing = Showing::Session;
                self.persist_settings();
            }
            Intent::StopServer | Intent::CancelConnect => {
                self.backend.stop();
                self.state.role_stopped_by_user();
            }
            Intent::Send { session, text } => {
                if let Some(s) = self.state.sessions.get(&session) {
                    if s.link.send(text.clone()) {
                        self.state.send_requested(session, &text);
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
            Intent::Show(session) => {
                self.state.current = Some(session);
                self.showing = Showing::Session;
            }
            Intent::Copy(text) => ctx.copy_text(text),
            Intent::SaveAs(source) => self.save_as(source, frame),
            Intent::QuickSave(source) => self.quick_save(source),
            Intent::OpenFolder => {
                if let Some(dir) = self.transcripts.clone() {
                    let spawned = self.jobs.spawn("open-folder", true, move || {
                        match files::open_folder(&dir) {
                            Ok(()) => JobDone::FolderOpened,
                            Err(error) => JobDone::FolderFailed { error },
                        }
                    });
                    if let Err(error) = spawned {
                        self.file_notice = Some(FileNotice {
                            text: error,
                            is_error: true,
                            offer_quick_save: None,
                        });
                    }
                }
            }
            Intent::ToggleHistory => {
                self.history_open = !self.history_open;
                if self.history_open {
                    self.refresh_history();
                }
            }
            Intent::RefreshHistory => self.refresh_history(),
            Intent::ShowFile(path) => {
                let item = self
                    .history
                    .items
                    .as_ref()
                    .and_then(|items| items.iter().find(|i| i.path == path))
                    .cloned();
                if let Some(item) = item {
                    self.showing = Showing::File(item);
                }
            }
            Intent::BackToLive => self.showing = Showing::Session,
        }
    }
}

fn session_header(s: &SessionState) -> ExportHeader {
    ExportHeader {
        session: s.key.clone(),
        local: Some(s.local.to_string()),
        peer: s.peer.to_string(),
        we_were_server: Some(s.as_role == Role::Server),
        started: s.started,
        ended: s.ended_at,
        encoding: s.encoding.label().to_owned(),
    }
}

fn path_key(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish() | (1 << 63)
}

impl eframe::App for TurnChatApp {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.frames.pass_started();
        self.drain_events();
        if matches!(self.state.status, RoleStatus::Connecting { .. })
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.handle(Intent::CancelConnect, ctx, Some(frame));
        }
        let save_key = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::S);
        if ctx.input_mut(|i| i.consume_shortcut(&save_key))
            && let Some(source) = self.shown_source()
        {
            self.handle(Intent::SaveAs(source), ctx, Some(frame));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frames.frame_started(frame);
        // Drawing may run without a preceding logic() in tests: never show stale state.
        self.drain_events();
        let ctx = ui.ctx().clone();
        let mut intents = Vec::new();
        let source = self.shown_source();

        egui::Panel::top("form").show(ui, |ui| {
            ui.add_space(4.0);
            intents.extend(self.form.ui(ui, &self.state.status));
            intents.extend(status::ui(ui, &self.state));
            intents.extend(toolbar::ui(
                ui,
                source.as_ref(),
                self.history_open,
                self.file_notice.as_ref(),
            ));
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
        if self.history_open {
            let showing = match &self.showing {
                Showing::File(item) => Some(item.path.as_path()),
                Showing::Session => None,
            };
            egui::Panel::left("history").resizable(true).show(ui, |ui| {
                intents.extend(history::ui(ui, &self.state, &self.history, showing));
            });
        }
        egui::CentralPanel::default().show(ui, |ui| match &self.showing {
            Showing::File(item) => {
                let c = &item.conversation;
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "A past conversation with {}, {} (read-only).",
                            c.header.peer,
                            c.header.started.format("%Y-%m-%d %H:%M")
                        ))
                        .strong(),
                    );
                    if ui.button("Back to the current conversation").clicked() {
                        intents.push(Intent::BackToLive);
                    }
                });
                self.view.ui(ui, path_key(&item.path), &c.transcript);
            }
            Showing::Session => match self.state.current() {
                Some(session) => self.view.ui(ui, session.id.0, &session.transcript),
                None => empty_hint(ui, &self.state.status, self.form.role),
            },
        });

        let peer_mark = match self.showing {
            Showing::Session => self.state.current().and_then(|s| {
                let entries = s.transcript.entries();
                let last = entries.last()?;
                (last.from == Speaker::Peer).then_some((entries.len(), last.text.len()))
            }),
            Showing::File(_) => None,
        };
        self.frames.drawn(peer_mark, self.view.end_in_view());
        self.frames.frame_ended(self.view.take_needs_frame());
        for intent in intents {
            self.handle(intent, &ctx, Some(frame));
        }
        if !self.shown {
            self.shown = true;
            if self.log_to_stdout {
                println!("turnchat: window shown");
            }
        }
    }

    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        self.persist_settings();
    }
}

impl Drop for TurnChatApp {
    fn drop(&mut self) {
        // Settings changed since the last autosave are not lost on exit.
        self.persist_settings();
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
