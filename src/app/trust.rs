//! Trust on first use in the window (issue 24, item 2): a click on a listed server whose
//! name was reached at another address asks first; a connect made to a listed server
//! remembers its name there; pinning; and `known.json`, read at start and written by a
//! job (never on the UI thread) whenever the names change. What to do when is
//! [`crate::state::trust`]'s to decide; this file carries it out.

use std::net::{IpAddr, SocketAddr};

use eframe::egui;

use super::TurnChatApp;
use crate::core::lang::Lang;
use crate::core::tofu::KnownServers;
use crate::core::turn::Role;
use crate::desktop::file_notice::FileNotice;
use crate::desktop::jobs::JobDone;
use crate::net::{ClientConfig, Event};
use crate::state::trust::Clicked;
use crate::ui::{Intent, ask_connect, form};

impl TurnChatApp {
    /// The names reached before, as the window knows them now (for tests).
    pub fn known(&self) -> &KnownServers {
        self.lan.list().known()
    }

    /// A click on the row of `name` at `host:port`: connects, or asks first.
    pub(super) fn connect_listed(&mut self, host: String, port: u16, name: String) {
        if let Ok(ip) = host.parse::<IpAddr>() {
            let addr = SocketAddr::new(ip, port);
            let trust = self.lan.list().trust(&name, addr);
            if self.trust.clicked(&name, addr, trust) == Clicked::Ask {
                self.ask_shown_pass = None;
                self.log(&format!("asking before connecting to {name} at {addr}"));
                return;
            }
        }
        self.fill_and_connect(host, port);
    }

    /// The question's answer: connect to where it asked about, or nowhere.
    pub(super) fn answer_connect(&mut self, connect: bool) {
        self.ask_shown_pass = None;
        let answer = if connect { "connect anyway" } else { "cancel" };
        self.log(&format!("asked before connecting: {answer}"));
        if let Some(addr) = self.trust.answered(connect) {
            self.fill_and_connect(addr.ip().to_string(), addr.port());
        }
    }

    /// Puts `host:port` in the client's form and connects to it.
    fn fill_and_connect(&mut self, host: String, port: u16) {
        let s = self.settings.current_mut();
        s.role = Role::Client;
        s.client_host = host;
        s.client_port = port.to_string();
        if let Ok(config) = form::client_config(self.settings.current()) {
            self.start_connect(config, false);
        }
    }

    /// A typed Connect: if exactly one listed server is at that address, its name is
    /// remembered once connected (unless it is a name reached elsewhere before).
    pub(super) fn typed_connect(&mut self, config: &ClientConfig) {
        let addr = config
            .host
            .parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, config.port));
        let list = self.lan.list();
        let mut at = list.rows().into_iter().filter(|r| Some(r.addr) == addr);
        let listed = match (at.next(), at.next()) {
            (Some(one), None) => Some((one.server.name.clone(), one.trust)),
            _ => None,
        };
        self.trust
            .typed(addr, listed.as_ref().map(|(n, t)| (n.as_str(), *t)));
    }

    /// A connection as a client was made: the listed name it was to is reached there.
    pub(super) fn reach_on_connect(&mut self, event: &Event) {
        let Event::SessionStarted { info, .. } = event else {
            return;
        };
        if info.as_role != Role::Client {
            return;
        }
        if let Some((name, addr)) = self.trust.connected(info.peer)
            && self.lan.list_mut().reached(&name, addr)
        {
            self.log(&format!("remembered {name} at {}", addr.ip()));
            self.save_known();
        }
    }

    /// Pins (or unpins) `name` to `addr`, and keeps it.
    pub(super) fn pin(&mut self, name: &str, addr: SocketAddr, pinned: bool) {
        self.lan.list_mut().set_pinned(name, addr, pinned);
        let what = if pinned { "pinned" } else { "unpinned" };
        self.log(&format!("{what} {name} at {}", addr.ip()));
        self.save_known();
    }

    /// The names changed: writes them, by a job (one at a time; see `TrustFlow`).
    fn save_known(&mut self) {
        if self.known_path.is_some() && self.trust.save_wanted() {
            self.spawn_known_save();
        }
    }

    fn spawn_known_save(&mut self) {
        let Some(path) = self.known_path.clone() else {
            return;
        };
        let known = self.lan.list().known().clone();
        let spawned = self
            .jobs
            .spawn("known-save", true, move || JobDone::KnownSaved {
                error: crate::desktop::known_file::save_known(&path, &known).err(),
            });
        if let Err(e) = spawned {
            self.trust.save_done();
            self.keeping.set_notice(FileNotice::TaskNotStarted {
                detail: e.to_string(),
            });
        }
    }

    /// A save of the names ended: says why it failed, and writes again what changed
    /// meanwhile.
    pub(super) fn known_saved(&mut self, error: Option<crate::desktop::files::SaveError>) {
        if let Some(error) = error {
            self.log(&format!("known.json could not be written: {error:?}"));
            self.keeping.set_notice(FileNotice::KnownNotSaved { error });
        }
        if self.trust.save_done() {
            self.spawn_known_save();
        }
    }

    /// The question, while one is asked.
    pub(super) fn ask_ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<Intent> {
        let q = self.trust.question()?;
        let pass = ctx.cumulative_pass_nr();
        let first = *self.ask_shown_pass.get_or_insert(pass) == pass;
        ask_connect::ui(ctx, q, first, lang)
    }
}
