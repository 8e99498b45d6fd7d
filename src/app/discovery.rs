//! LAN discovery and auto-reconnect, as the window joins them to the network shell:
//! browsing and announcing to match what the window does, and starting the connects
//! auto-reconnect ([`crate::state::reconnect`]) asks for. The decisions are made there
//! and in [`crate::net::lan`]; this file only carries them out.

use std::net::SocketAddr;
use std::time::Instant;

use eframe::egui;

use super::TurnChatApp;
use crate::core::discovery::{Advert, LiveList};
use crate::core::lang::{Lang, Say};
use crate::core::lookalike::visible_name;
use crate::core::said_name::{SaidName, peer_for};
use crate::core::turn::Role;
use crate::net::discovery::AnnounceOn;
use crate::net::lan::WantAnnounce;
use crate::state::RoleStatus;
use crate::state::reconnect::Retry;
use crate::ui::{discovered, form};

impl TurnChatApp {
    /// The live list of servers found (for tests).
    pub fn discovered(&self) -> &LiveList {
        self.lan.list()
    }

    /// Applies discovery events and starts or stops browsing and announcing to match
    /// what the window does: browse while the idle form shows the client; announce while
    /// the server listens with announcing on.
    pub(super) fn discovery_pass(&mut self) {
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
        self.apply_interface_choice();
        self.lan.reconcile(browse, announce);
        let s = self.settings.current();
        let probe = (browse && s.probe_on).then_some(s.probe_addresses.as_str());
        self.lan.reconcile_probe(probe);
        self.names_pass();
    }

    /// A connected client says its Name (with its connection's own address, so that the
    /// server can tell which conversation it is); a listening server hears its clients'
    /// and shows each on the conversation with that address and port, as asserted.
    fn names_pass(&mut self) {
        let s = self.settings.current();
        let say = match &self.state.status {
            RoleStatus::Connected { .. } if s.announce => self
                .state
                .sessions
                .values()
                .filter(|x| x.as_role == Role::Client && x.ended.is_none())
                .find_map(|x| match x.local {
                    SocketAddr::V4(at) if !at.ip().is_loopback() => Some(SaidName {
                        at,
                        name: discovered::announced_name(s, &self.default_name),
                    }),
                    _ => None,
                }),
            _ => None,
        };
        let hear = matches!(&self.state.status,
            RoleStatus::Listening { local, .. } if AnnounceOn::for_bound(*local).is_some());
        self.lan.reconcile_names(say, hear);
        let said = self.lan.take_said();
        if said.is_empty() {
            return;
        }
        let live: Vec<SocketAddr> = self
            .state
            .sessions
            .values()
            .filter(|x| x.as_role == Role::Server && x.ended.is_none())
            .map(|x| x.peer)
            .collect();
        for said in said {
            if let Some(peer) = peer_for(&said, &live) {
                let name = visible_name(&said.name);
                self.names.set_asserted(peer, &name);
                self.log(&format!("{peer} says its name is {name}"));
            }
        }
    }

    /// Starts the connect auto-reconnect asked for (after its wait).
    pub(super) fn retry_connect(&mut self, retry: Retry) {
        let role = self.backend.connect_after(retry.config.clone(), retry.wait);
        self.reconnect.retry_started(role, &retry, Instant::now());
        self.state.role_started(RoleStatus::Connecting {
            role,
            target: retry.target.clone(),
            retry: Some(retry.attempt),
        });
        self.log(&retry.log_line());
    }

    /// What auto-reconnect is doing, for the turn line, asking for a frame when the
    /// count of seconds will have dropped.
    pub(super) fn reconnect_line(&self, ctx: &egui::Context, lang: Lang) -> Option<String> {
        let line = self.reconnect.line(&self.state.status, Instant::now())?;
        if let Some(wait) = line.redraw_in {
            ctx.request_repaint_after(wait);
        }
        Some(line.words.say(lang))
    }
}
