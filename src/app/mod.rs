//! The eframe app: drains backend events and job reports into state in `logic()`, draws
//! the views in `ui()`, and turns the intents they return into backend calls and jobs.
//! The only module that touches egui, the network shell and the file jobs together.
//!
//! This file holds the window's struct, how it starts and stops, and `eframe::App`;
//! each other concern is one `impl TurnChatApp` block of its own:
//! - `events`: the event drain and the reactions (focus, log, title, notifications);
//! - `intents`: carrying out what the user asked for, and the keyboard shortcuts;
//! - `find`: the find bar's keys and actions;
//! - `history_find`: find in History, its search threads and opening a result;
//! - `keeping`: the save dialog, the file jobs, the settings file;
//! - `discovery`: LAN discovery and auto-reconnect;
//! - `recent`: the servers typed on the form and reached ("Recent");
//! - `trust`: trust on first use (asking before a moved name, pinning, `known.json`);
//! - `panels`: drawing the panels and collecting the intents;
//! - `why`: the "Why can't I see them?" panel's checks and the interface choice;
//! - [`frames`]: frame pacing and statistics.

mod class;
pub mod cli;
mod dialogs;
mod discovery;
mod events;
mod find;
pub mod frames;
mod history_find;
mod intents;
mod keeping;
mod names;
mod panels;
mod recent;
mod trust;
mod why;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use eframe::egui;

use crate::app::frames::Frames;
use crate::core::codec::WireEncoding;
use crate::core::framing::LineEnding;
use crate::core::ids::SessionId;
use crate::core::lang::Lang;
use crate::core::settings::{Settings, SettingsStore};
use crate::core::turn::Role;
use crate::core::waker::Waker;
use crate::desktop::file_notice::FileNotice;
use crate::desktop::files::SettingsLoadError;
use crate::desktop::history_find::{FindReport, HistorySearch, REPORTS_WAITING};
use crate::desktop::jobs::Jobs;
use crate::net::lan::{DiscoveryMode, Lan};
use crate::net::{Backend, Event};
use crate::state::State;
use crate::state::find::Find;
use crate::state::find_all::FindAll;
use crate::state::history_find::HistoryFind;
use crate::state::keeping::Keeping;
use crate::state::names::{ClassListReport, Names};
use crate::state::reconnect::Reconnect;
use crate::state::signals::Signals;
use crate::ui::composer::Composer;
use crate::ui::conversations::ConversationList;
use crate::ui::find_bar::FindBar;
use crate::ui::talk_bar::TalkBar;
use crate::ui::transcript_view::TranscriptView;
use crate::ui::{Intent, fonts, form, style};

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

pub use why::{ReadingsSource, read_system};

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
    /// `--per-address`: a computer's fair share of places for this run (not remembered).
    pub per_address: Option<u32>,
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
    /// The class list for this run (`--roster`; not remembered), over the remembered one.
    pub roster: Option<PathBuf>,
    /// Where the names the teacher types for computers are kept (`None`: not kept).
    pub names_path: Option<PathBuf>,
    /// Replaces the "Why?" panel's reading of the system (for tests).
    pub system_readings: Option<ReadingsSource>,
    /// Where the servers reached are kept, per network (`known.json`; `None`: not kept).
    pub known_path: Option<PathBuf>,
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
    /// Find in the conversation on screen: the query, its hits, the current one.
    find: Find,
    /// The find bar's focus request.
    find_bar: FindBar,
    /// Whether the bar finds in every conversation of this run (Ctrl+Shift+F).
    find_everywhere: bool,
    /// Its results.
    find_all: FindAll,
    /// Find in History: the query, its progress and results.
    history_find: HistoryFind,
    /// The running History search, if any; older ones, cancelled, until their threads end.
    history_search: Option<HistorySearch>,
    retired_searches: Vec<HistorySearch>,
    /// History searches report here (bounded: a search waits while the window is behind).
    find_reports: (Sender<FindReport>, Receiver<FindReport>),
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
    /// Who is at each address: the class list, the teacher's typed names, asserted ones.
    names: Names,
    /// How the class list loaded, shown under the form.
    class_report: Option<ClassListReport>,
    /// Where the typed names are kept.
    names_path: Option<PathBuf>,
    /// The transcripts folder (a class's folder is made in it).
    base_transcripts: Option<PathBuf>,
    /// This server run's class, when a transcripts folder is in use.
    class: Option<class::ClassRun>,
    /// The name being typed for the conversation on screen, and whose it is.
    name_edit: (Option<SessionId>, String),
    /// F2 was pressed: the name field takes the keyboard.
    name_focus: bool,
    /// The name field shows (F2 was pressed once this run).
    name_editing: bool,
    /// The "Why can't I see them?" panel.
    why: crate::state::why::WhyPanel,
    /// What its checks read (the system, or a test's stand-in).
    why_source: ReadingsSource,
    /// Trust on first use: the connect under way to a listed server, the question, saves.
    trust: crate::state::trust::TrustFlow,
    /// Where the servers reached are kept.
    known_path: Option<PathBuf>,
    /// The pass the question on screen was first drawn in (a click outside it in that
    /// pass is the click that opened it).
    ask_shown_pass: Option<u64>,
    /// The server typed on the form that a connect under way is to (Recent, once reached).
    recent_pending: Option<(String, u16)>,
}

impl TurnChatApp {
    /// Sets up fonts and style on `ctx`, creates the backend, and starts the launch role.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::install(ctx);
        style::install(ctx);
        let frames = Frames::new(ctx, options.frame_stats);
        let waker: Arc<dyn Waker> = frames.waker();
        let (mut backend, events) = Backend::new(Arc::clone(&waker), options.transcripts.clone());
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
            if let Some(n) = options.per_address {
                s.per_address = n;
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
            if let Some(roster) = &options.roster {
                s.class_list = roster.display().to_string();
            }
        });
        backend.set_disk_budget(settings.current().disk_budget());
        let fallback_folder = std::env::current_dir().unwrap_or_default();
        let mut keeping = Keeping::new(options.transcripts.clone(), fallback_folder);
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
        let mut lan = Lan::new(options.discovery, Arc::clone(&waker));
        if let Some(path) = &options.known_path {
            // Small and bounded (see `known_file`): read before the first frame.
            lan.list_mut()
                .set_known(crate::desktop::known_file::load_known(path));
        }
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
            find: Find::default(),
            find_bar: FindBar::default(),
            find_everywhere: false,
            find_all: FindAll::default(),
            history_find: HistoryFind::default(),
            history_search: None,
            retired_searches: Vec::new(),
            find_reports: crossbeam_channel::bounded(REPORTS_WAITING),
            talk_bar: TalkBar::default(),
            keeping,
            save_dialog: options.save_dialog,
            settings,
            settings_path: options.settings_path,
            log_to_stdout: options.log_to_stdout,
            shown: false,
            frames,
            system_lang: options.system_lang,
            names: Names::with_typed(
                options
                    .names_path
                    .as_deref()
                    .map(crate::desktop::names_file::load_typed_names)
                    .unwrap_or_default(),
            ),
            class_report: None,
            names_path: options.names_path,
            base_transcripts: options.transcripts.clone(),
            class: None,
            name_edit: (None, String::new()),
            name_focus: false,
            name_editing: false,
            why: crate::state::why::WhyPanel::default(),
            why_source: options
                .system_readings
                .clone()
                .unwrap_or_else(|| Arc::new(read_system)),
            trust: crate::state::trust::TrustFlow::default(),
            known_path: options.known_path,
            ask_shown_pass: None,
            recent_pending: None,
        };
        app.backend.set_lang(app.lang());
        app.load_remembered_class_list();
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

    /// The find bar's state (for tests).
    pub fn find(&self) -> &Find {
        &self.find
    }

    /// The transcript view, with the find hits it drew last (for tests).
    pub fn transcript_view(&self) -> &TranscriptView {
        &self.view
    }

    /// How many background jobs (dialogs, saves, History) are still running (for tests).
    pub fn jobs_running(&self) -> usize {
        self.jobs.running()
    }
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
        self.shortcuts(ctx, Some(frame));
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frames.frame_started(frame);
        // Drawing may run without a preceding logic() in tests: never show stale state.
        self.drain_events();
        let ctx = ui.ctx().clone();
        let lang = self.lang();
        let intents = self.panels(ui, lang);
        self.frames.drawn(self.peer_mark(), self.view.end_in_view());
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
        self.settle_class();
        // Goodbyes go out now, so the server leaves the other computers' lists at once.
        self.lan.shutdown();
        self.log(&format!(
            "closing: every network thread stopped and joined in {} ms",
            started.elapsed().as_millis()
        ));
    }
}
