//! The eframe app: drains backend events and job reports into state in `logic()`, draws
//! the views in `ui()`, and turns the intents they return into backend calls and jobs.
//! The only module that touches egui, the network shell and the file jobs together.

pub mod frames;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use eframe::egui::{self, RichText};

use crate::app::frames::Frames;
use crate::core::codec::WireEncoding;
use crate::core::discovery::Advert;
use crate::core::export::ExportHeader;
use crate::core::framing::LineEnding;
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::core::settings::{Settings, SettingsStore};
use crate::core::transcript::{Speaker, Transcript};
use crate::core::turn::Role;
use crate::core::waker::Waker;
use crate::desktop::file_notice::FileNotice;
use crate::desktop::files::{self, SettingsLoadError};
use crate::desktop::jobs::{JobDone, Jobs, SaveSource};
use crate::net::discovery::AnnounceOn;
use crate::net::lan::{DiscoveryMode, Lan, WantAnnounce};
use crate::net::{Backend, Event};
use crate::state::keeping::{KeepAction, Keeping};
use crate::state::reconnect::{Reconnect, Retry};
use crate::state::signals::{Signal, Signals};
use crate::state::{Reaction, RoleStatus, SessionState, State};
use crate::ui::composer::Composer;
use crate::ui::conversations::ConversationList;
use crate::ui::talk_bar::TalkBar;
use crate::ui::transcript_view::TranscriptView;
use crate::ui::{Intent, discovered, fonts, form, history, status, style, toolbar};
use crate::words::{Label, Phrase};

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
    pub settings_notice: Option<SettingsLoadError>,
    /// Where settings are saved (`None`: not saved).
    pub settings_path: Option<PathBuf>,
    /// Replaces the native save dialog (for tests).
    pub save_dialog: Option<SaveDialogStub>,
    /// Print what happens (listening address, sessions, errors) on standard output.
    pub log_to_stdout: bool,
    /// Serve one client at a time for this run (`--one-at-a-time`; not remembered).
    pub one_at_a_time: bool,
    /// Free talk in both roles for this run (`--free-talk`; not remembered).
    pub free_talk: bool,
    /// This line ending in both roles for this run (`--line-ending`; not remembered).
    pub line_ending: Option<LineEnding>,
    /// `--encoding`: the wire encoding for this run, instead of the remembered one.
    pub encoding: Option<WireEncoding>,
    /// Replaces the desktop notification (for tests).
    pub notifier: Option<Notifier>,
    /// Print frame statistics on standard output once a second (see `crate::app::frames`).
    pub frame_stats: bool,
    /// The language for this run only (`--lang`), over the remembered one.
    pub lang: Option<Lang>,
    /// The system's language: the window's until the user picks one with the switch
    /// (English unless set: tests choose theirs explicitly).
    pub system_lang: Lang,
    /// LAN discovery: off unless asked for (the binary asks for the network).
    pub discovery: DiscoveryMode,
    /// Do not announce the server for this run (`--no-announce`; not remembered).
    pub no_announce: bool,
    /// Reconnect automatically for this run (`--reconnect`; not remembered).
    pub reconnect: bool,
}

/// Shows a desktop notification with this text; an error says why it could not.
pub type Notifier = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The real notifier: notify-rust (D-Bus on Linux, the notification centre elsewhere).
fn show_notification(body: &str) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("TurnChat")
        .summary("TurnChat")
        .body(body)
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// While no frame has been drawn yet, how often to ask for the first one again.
const FIRST_FRAME_RETRY: Duration = Duration::from_millis(100);

/// The transcript view's key while no conversation is shown: not a session's (they count
/// up from zero) nor a file's (`path_key` sets the top bit).
const NO_CONVERSATION: u64 = u64::MAX >> 1;

/// The TurnChat window.
pub struct TurnChatApp {
    backend: Backend,
    events: Receiver<Event>,
    jobs: Jobs,
    state: State,
    composer: Composer,
    list: ConversationList,
    /// Whether the conversation list is shown (it folds away on small windows).
    list_open: bool,
    /// The title, attention requests and notifications.
    signals: Signals,
    /// Shows a desktop notification (notify-rust, or the tests' stand-in).
    notifier: Notifier,
    /// Conversations with a new peer message since the last frame (for the signals, which
    /// need the egui context).
    peer_messages: Vec<SessionId>,
    view: TranscriptView,
    /// The conversation's header: counters, "show bytes", presets.
    talk_bar: TalkBar,
    /// Saving, History, the past conversation on screen, file notices.
    keeping: Keeping,
    save_dialog: Option<SaveDialogStub>,
    /// The settings: as remembered, as this run started, and as the form shows them now.
    settings: SettingsStore,
    settings_path: Option<PathBuf>,
    log_to_stdout: bool,
    /// Whether a frame has been drawn (the first one is announced on stdout for scripts).
    shown: bool,
    /// Frame pacing and statistics; its waker wakes the window for the backend and jobs.
    frames: Frames,
    /// The system's language, for as long as the settings name none.
    system_lang: Lang,
    /// LAN discovery: the servers found, the server's announcement.
    lan: Lan,
    /// The name a server is announced under when the user typed none.
    default_name: String,
    /// Auto-reconnect, armed by a Connect while the Reconnect setting is on.
    reconnect: Reconnect,
}

impl TurnChatApp {
    /// Sets up fonts and style on `ctx`, creates the backend, and starts the launch role.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::install(ctx);
        style::install(ctx);
        let frames = Frames::new(ctx, options.frame_stats);
        let waker: Arc<dyn Waker> = frames.waker();
        let (backend, events) = Backend::new(Arc::clone(&waker), options.transcripts.clone());
        let settings = SettingsStore::new(options.settings, |s| {
            match &options.launch {
                Some(Launch::Listen { host, port }) => {
                    s.role = Role::Server;
                    s.server_host.clone_from(host);
                    s.server_port = port.to_string();
                }
                Some(Launch::Connect { host, port }) => {
                    s.role = Role::Client;
                    s.client_host.clone_from(host);
                    s.client_port = port.to_string();
                }
                None => {}
            }
            if options.one_at_a_time {
                s.one_at_a_time = true;
            }
            if options.free_talk {
                s.server_free_talk = true;
                s.client_free_talk = true;
            }
            if let Some(ending) = options.line_ending {
                s.server_line_ending = ending;
                s.client_line_ending = ending;
            }
            if let Some(lang) = options.lang {
                s.lang = Some(lang);
            }
            if options.no_announce {
                s.announce = false;
            }
            if options.reconnect {
                s.reconnect = true;
            }
            if let Some(encoding) = options.encoding {
                s.encoding = encoding;
            }
        });
        let fallback_folder = std::env::current_dir().unwrap_or_default();
        let mut keeping = Keeping::new(options.transcripts, fallback_folder);
        if let Some(error) = options.settings_notice {
            keeping.set_notice(FileNotice::SettingsUnreadable { error });
        }
        let default_name = match options.discovery {
            DiscoveryMode::Network => crate::core::discovery::default_name(
                crate::net::discovery::user_name().as_deref(),
                crate::net::discovery::computer_name().as_deref(),
            ),
            _ => "TurnChat".to_owned(),
        };
        let lan = Lan::new(options.discovery, Arc::clone(&waker));
        let mut app = TurnChatApp {
            lan,
            default_name,
            reconnect: Reconnect::default(),
            backend,
            events,
            jobs: Jobs::new(waker),
            state: State::default(),
            composer: Composer::default(),
            list: ConversationList::default(),
            list_open: true,
            signals: Signals::default(),
            notifier: options
                .notifier
                .clone()
                .unwrap_or_else(|| Arc::new(show_notification)),
            peer_messages: Vec::new(),
            view: TranscriptView::default(),
            talk_bar: TalkBar::default(),
            keeping,
            save_dialog: options.save_dialog,
            settings,
            settings_path: options.settings_path,
            log_to_stdout: options.log_to_stdout,
            shown: false,
            frames,
            system_lang: options.system_lang,
        };
        app.backend.set_lang(app.lang());
        match options.launch {
            Some(Launch::Listen { .. }) => {
                if let Ok(config) = form::server_config(app.settings.current()) {
                    app.handle(Intent::StartServer(config), ctx, None);
                }
            }
            Some(Launch::Connect { .. }) => {
                if let Ok(config) = form::client_config(app.settings.current()) {
                    app.handle(Intent::Connect(config), ctx, None);
                }
            }
            None => {}
        }
        app
    }

    /// The window's language: the one picked with the switch (or `--lang`), else the
    /// system's.
    pub fn lang(&self) -> Lang {
        self.settings.current().lang.unwrap_or(self.system_lang)
    }

    /// What the window shows (for tests).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Same as [`TurnChatApp::state`]; reads well as `harness.state().view_state()` in tests.
    pub fn view_state(&self) -> &State {
        &self.state
    }

    /// The settings the connection form shows and edits (for tests).
    pub fn form_mut(&mut self) -> &mut Settings {
        self.settings.current_mut()
    }

    /// The draft of the conversation on screen (for tests).
    pub fn draft(&self) -> &str {
        &self.state.draft().text
    }

    /// The window title as last set (for tests).
    pub fn title(&self) -> &str {
        self.signals.title()
    }

    /// How the last file action went, if any (for tests).
    pub fn file_notice(&self) -> Option<&FileNotice> {
        self.keeping.notice()
    }

    /// How many background jobs (dialogs, saves, History) are still running (for tests).
    pub fn jobs_running(&self) -> usize {
        self.jobs.running()
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
        self.discovery_pass();
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
        let retry = self.reconnect.follows(&event, &self.state);
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
        if let Some(retry) = retry {
            self.retry_connect(retry);
        }
    }

    /// Writes `line` to the log, and to standard output when asked to (scripts read it).
    fn log(&self, line: &str) {
        crate::desktop::applog::line(line);
        if self.log_to_stdout {
            println!("turnchat: {line}");
        }
    }

    fn job_done(&mut self, done: JobDone) {
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
        if let Some(action) = self.keeping.apply(done) {
            self.run(action, None);
        }
    }

    /// Starts the job `action` asks for; if it cannot start, Keeping is told why.
    fn run(&mut self, action: KeepAction, frame: Option<&eframe::Frame>) {
        let spawned = match action.clone() {
            KeepAction::OpenDialog {
                source,
                folder,
                file_name,
            } => {
                let pick = self.dialog(folder, file_name, frame);
                self.jobs.spawn("save-dialog", false, move || {
                    let opened = Instant::now();
                    let path = pick();
                    JobDone::SaveDialogClosed {
                        source,
                        path,
                        open_for: opened.elapsed(),
                    }
                })
            }
            KeepAction::Write {
                source,
                path,
                format,
            } => {
                // Rendered now, so the file holds the conversation as it is at this moment.
                let Some((header, transcript)) = self.export_source(&source) else {
                    self.keeping.conversation_gone();
                    return;
                };
                let content = crate::words::export::render(
                    format,
                    &header,
                    transcript.entries(),
                    self.lang(),
                );
                self.jobs.spawn("save-writer", true, move || {
                    if let Some(dir) = path.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    match files::write_atomic(&path, content.as_bytes()) {
                        Ok(()) => JobDone::Saved { path, format },
                        Err(error) => JobDone::SaveFailed { error },
                    }
                })
            }
            KeepAction::ListHistory { dir } => self.jobs.spawn("history", true, move || {
                crate::desktop::jobs::list_history(&dir)
            }),
            KeepAction::OpenFolder { dir } => self.jobs.spawn("open-folder", true, move || {
                match files::open_folder(&dir) {
                    Ok(()) => JobDone::FolderOpened,
                    Err(error) => JobDone::FolderFailed { error },
                }
            }),
        };
        if let Err(e) = spawned {
            self.keeping.not_started(&action, e.to_string());
        }
    }

    /// The save dialog (or the tests' stand-in), ready to run on a job thread.
    fn dialog(
        &self,
        folder: PathBuf,
        file_name: String,
        frame: Option<&eframe::Frame>,
    ) -> Box<dyn FnOnce() -> Option<PathBuf> + Send> {
        match &self.save_dialog {
            Some(stub) => {
                let stub = Arc::clone(stub);
                Box::new(move || stub(&folder, &file_name))
            }
            None => {
                let lang = self.lang();
                let mut dialog = rfd::FileDialog::new()
                    .set_title(Label::SaveDialogTitle.get(lang))
                    .set_directory(&folder)
                    .set_file_name(&file_name)
                    .add_filter(Label::PlainTextFilter.get(lang), &["txt"])
                    .add_filter(Label::JsonLinesFilter.get(lang), &["jsonl"]);
                if let Some(frame) = frame {
                    dialog = dialog.set_parent(frame);
                }
                Box::new(move || dialog.save_file())
            }
        }
    }

    /// The conversation on screen as a save source.
    fn shown_source(&self) -> Option<SaveSource> {
        match self.keeping.showing() {
            Some(item) => Some(SaveSource::File(item.path.clone())),
            None => self.state.current.map(SaveSource::Session),
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
            SaveSource::File(path) => self
                .keeping
                .item(path)
                .map(|i| (i.conversation.header.clone(), &i.conversation.transcript)),
        }
    }

    fn save_as(&mut self, source: SaveSource, frame: Option<&eframe::Frame>) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        if let Some(action) = self.keeping.save_as(source, &header) {
            self.run(action, frame);
        }
    }

    fn quick_save(&mut self, source: SaveSource) {
        let Some((header, _)) = self.export_source(&source) else {
            return;
        };
        let action = self.keeping.quick_save(source, &header);
        self.run(action, None);
    }

    /// Writes the settings file if the user changed anything since it was last written.
    fn persist_settings(&mut self) {
        let Some(path) = &self.settings_path else {
            return;
        };
        if let Err(error) = files::persist_settings(path, &mut self.settings) {
            self.keeping
                .set_notice(FileNotice::SettingsNotSaved { error });
        }
    }

    fn handle(&mut self, intent: Intent, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        match intent {
            Intent::StartServer(config) => {
                let role = self.backend.start_server(config);
                self.state.role_started(RoleStatus::Starting { role });
                self.keeping.back_to_live();
                self.persist_settings();
            }
            Intent::Connect(config) => {
                let target = crate::core::address::join_host_port(&config.host, config.port);
                if self.settings.current().reconnect {
                    let seed = crate::net::discovery::random_u64();
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
            Intent::Show(session) => {
                self.state.show(session);
                self.keeping.back_to_live();
                self.composer.focus_requested = true;
            }
            Intent::Close(session) => {
                self.state.close(session);
            }
            Intent::ToggleList => self.list_open = !self.list_open,
            Intent::Copy(text) => ctx.copy_text(text),
            Intent::SaveAs(source) => self.save_as(source, frame),
            Intent::QuickSave(source) => self.quick_save(source),
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
            }
            Intent::ShowFile(path) => self.keeping.show_file(&path),
            Intent::BackToLive => self.keeping.back_to_live(),
            Intent::SetLang(lang) => {
                self.settings.current_mut().lang = Some(lang);
                self.backend.set_lang(lang);
                self.persist_settings();
            }
            Intent::ConnectTo { host, port } => {
                let s = self.settings.current_mut();
                s.role = Role::Client;
                s.client_host = host;
                s.client_port = port.to_string();
                if let Ok(config) = form::client_config(self.settings.current()) {
                    self.handle(Intent::Connect(config), ctx, frame);
                }
            }
        }
    }
}

/// LAN discovery and auto-reconnect.
impl TurnChatApp {
    /// The live list of servers found (for tests).
    pub fn discovered(&self) -> &crate::core::discovery::LiveList {
        self.lan.list()
    }

    /// Applies discovery events and starts or stops browsing and announcing to match
    /// what the window does: browse while the idle form shows the client; announce while
    /// the server listens with announcing on.
    fn discovery_pass(&mut self) {
        self.lan.drain(Instant::now());
        let s = self.settings.current();
        let browse = s.role == Role::Client && self.state.status == RoleStatus::Idle;
        let announce = match &self.state.status {
            RoleStatus::Listening { role, local, .. } if s.announce => {
                let config = form::server_config(s).ok();
                let conversations = self
                    .state
                    .sessions
                    .values()
                    .filter(|x| x.as_role == Role::Server && x.ended.is_none())
                    .count();
                Some(WantAnnounce {
                    role: *role,
                    advert: Advert {
                        name: discovered::announced_name(s, &self.default_name),
                        port: local.port(),
                        encoding: config.as_ref().map(|c| c.encoding).unwrap_or_default(),
                        policy: config.as_ref().map(|c| c.policy).unwrap_or_default(),
                        conversations,
                        capacity: config.as_ref().map_or(1, |c| c.max_conversations),
                    },
                    on: AnnounceOn::for_bound(*local),
                })
            }
            _ => None,
        };
        self.lan.reconcile(browse, announce);
    }

    /// Starts the connect auto-reconnect asked for (after its wait).
    fn retry_connect(&mut self, retry: Retry) {
        let role = self.backend.connect_after(retry.config.clone(), retry.wait);
        self.reconnect.retry_started(role, &retry, Instant::now());
        self.state.role_started(RoleStatus::Connecting {
            role,
            target: retry.target.clone(),
            retry: Some(retry.attempt),
        });
        self.log(&retry.log_line());
    }

    /// The discovery parts of the top panel: the server's announcement fields or line,
    /// the client's Reconnect checkbox and list of servers found, the reconnect step.
    fn discovery_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Intent> {
        let network = self.lan.enabled();
        let s = self.settings.current_mut();
        let mut intent = None;
        // The server's announce fields and the client's Reconnect are in the form.
        match (&self.state.status, s.role) {
            (RoleStatus::Idle, Role::Client) if network => {
                intent = discovered::server_list(ui, self.lan.list(), lang);
            }
            (RoleStatus::Listening { .. }, _) => {
                discovered::announce_line(ui, self.lan.announce_state(), lang);
            }
            _ => {}
        }
        intent
    }
}

impl TurnChatApp {
    /// What auto-reconnect is doing, for the turn line, asking for a frame when the
    /// count of seconds will have dropped.
    fn reconnect_line(&self, ctx: &egui::Context, lang: Lang) -> Option<String> {
        let line = self.reconnect.line(&self.state.status, Instant::now())?;
        if let Some(wait) = line.redraw_in {
            ctx.request_repaint_after(wait);
        }
        Some(line.words.say(lang))
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

    /// A peer said something: when the user is elsewhere, ask for their attention and,
    /// if they keep the setting on, show a desktop notification (from a job thread:
    /// showing one talks to the desktop over D-Bus and may block).
    fn peer_message(&mut self, ctx: &egui::Context, session: SessionId) {
        let Some(s) = self.state.sessions.get(&session) else {
            return;
        };
        let from = s.peer.to_string();
        let signals = self.signals.peer_message(
            &from,
            self.state.total_unread(),
            self.settings.current().notifications,
            self.lang(),
        );
        self.carry_out(ctx, signals);
    }

    /// Tells the desktop what [`Signals`] decided.
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

    /// Keeps the window title's unread count and the attention request current, and
    /// signals the peer messages that came since the last frame.
    fn window_signals(&mut self, ctx: &egui::Context) {
        for session in std::mem::take(&mut self.peer_messages) {
            self.peer_message(ctx, session);
        }
        let focused = ctx.input(|i| i.focused);
        let signals = self.signals.frame(focused, self.state.total_unread());
        self.carry_out(ctx, signals);
    }
}

fn session_header(s: &SessionState) -> ExportHeader {
    ExportHeader {
        session: s.key.clone(),
        local: Some(s.local.to_string()),
        peer: s.peer.to_string(),
        our_role: Some(s.as_role),
        started: s.started,
        ended: s.ended_at,
        // The encoding it started with: a change later is a notice of its own.
        encoding: s
            .transcript
            .entries()
            .iter()
            .find_map(|e| match &e.notice {
                Some(crate::core::notice::Notice::EncodingChanged { from, .. }) => Some(*from),
                _ => None,
            })
            .unwrap_or(s.encoding),
        turns: Some(s.policy),
        line_ending: Some(s.line_ending),
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
        if !self.shown {
            // Until the first frame is drawn, keep asking for it. On a slow or busy machine
            // eframe may give up waiting for the first redraw and run only `logic()`
            // (its missed-redraw timeout); with nothing else to wake it, the window would
            // stay blank until the user moved the mouse over it (seen under Xvfb).
            ctx.request_repaint_after(FIRST_FRAME_RETRY);
        }
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
        self.conversation_keys(ctx, Some(frame));
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frames.frame_started(frame);
        // Drawing may run without a preceding logic() in tests: never show stale state.
        self.drain_events();
        let ctx = ui.ctx().clone();
        let mut intents = Vec::new();
        let source = self.shown_source();
        let lang = self.lang();
        self.list.lang = lang;
        self.view.lang = lang;

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
            status::ui(ui, &self.state, lang);
            intents.extend(self.discovery_ui(ui, lang));
            intents.extend(toolbar::ui(
                ui,
                source.as_ref(),
                self.keeping.history_open(),
                self.keeping.notice(),
                &mut self.settings.current_mut().notifications,
                lang,
            ));
            ui.add_space(2.0);
        });
        // The draft is edited out of the state for the frame (the composer also reads the
        // conversation it belongs to), then put back.
        let mut draft = std::mem::take(self.state.draft_mut());
        self.composer.retry_line = self.reconnect_line(ui.ctx(), lang);
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
        if self.lists_conversations() {
            if self.list_open {
                egui::Panel::left("conversations")
                    .resizable(true)
                    .default_size(210.0)
                    .min_size(150.0)
                    .show(ui, |ui| {
                        intents.extend(self.list.ui(ui, &self.state, draft_ready));
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
        if self.keeping.history_open() {
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
            egui::Panel::left("history").resizable(true).show(ui, |ui| {
                intents.extend(history::ui(
                    ui,
                    &self.state,
                    past.as_deref(),
                    problem,
                    showing,
                    lang,
                ));
            });
        }
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
                self.view
                    .ui(ui, path_key(&item.path), &c.transcript, None, lang);
            }
            None => match self.state.current() {
                Some(session) => {
                    let id = session.id;
                    // The conversation's header: its encoding, counters, bytes, presets.
                    let picked =
                        self.talk_bar
                            .ui(ui, Some(session), self.settings.current_mut(), lang);
                    let hinted =
                        self.view
                            .ui(ui, id.0, &session.transcript, Some(session.encoding), lang);
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

        let peer_mark = match self.keeping.showing() {
            None => self.state.current().and_then(|s| {
                let entries = s.transcript.entries();
                let last = entries.last()?;
                (last.from == Speaker::Peer).then_some((entries.len(), last.text.len()))
            }),
            Some(_) => None,
        };
        self.frames.drawn(peer_mark, self.view.end_in_view());
        self.frames.frame_ended(self.view.take_needs_frame());
        for intent in intents {
            self.handle(intent, &ctx, Some(frame));
        }
        self.window_signals(&ctx);
        if !self.shown {
            self.shown = true;
            if self.log_to_stdout {
                // Scripts wait for this line; the language says which words are on screen.
                println!("turnchat: window shown in {}", lang.code());
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
        // Stopping is what could hang on some systems (a blocked accept, connect or read):
        // say how long it took, so a slow close can be told from a hang.
        let started = std::time::Instant::now();
        self.reconnect.disarm();
        self.backend.shutdown();
        // Goodbyes go out now, so the server leaves the other computers' lists at once.
        self.lan.shutdown();
        self.log(&format!(
            "closing: every network thread stopped and joined in {} ms",
            started.elapsed().as_millis()
        ));
    }
}

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
