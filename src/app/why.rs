//! The "Why can't I see them?" panel, as the window runs it: the checks read the system
//! on a job thread (the network interfaces through `crate::net::interfaces`, the firewall
//! through `crate::desktop::firewall`, which may wait on netsh or firewall-cmd), or a
//! test's stand-in does; the panel words what `crate::core::why` decides, and the
//! interface chosen there is remembered and applied to browsing.

use std::sync::Arc;

use eframe::egui;

use super::TurnChatApp;
use crate::core::address::{DEFAULT_PORT, parse_port};
use crate::core::error::NetError;
use crate::core::lang::Lang;
use crate::core::why::{Finding, InterfacePlan, Readings, choices, findings};
use crate::desktop::jobs::JobDone;
use crate::ui::Intent;
use crate::ui::why::{self, WhyAction, WhyView};

/// Reads what the checks need (the system, or a test's stand-in); runs on a job thread.
pub type ReadingsSource = Arc<dyn Fn() -> Readings + Send + Sync>;

/// The system's readings: the interfaces and the firewall.
pub fn read_system() -> Readings {
    let (interfaces, interfaces_error) = match crate::net::interfaces::read() {
        Ok(all) => (all, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    Readings {
        interfaces,
        interfaces_error,
        firewall: crate::desktop::firewall::read(),
    }
}

impl TurnChatApp {
    /// Carries out what the button or the panel asked for.
    pub(super) fn why_action(&mut self, action: WhyAction) {
        match action {
            WhyAction::Check => {
                if self.why.check() {
                    let read = Arc::clone(&self.why_source);
                    let spawned = self
                        .jobs
                        .spawn("why-check", true, move || JobDone::WhyChecked {
                            readings: read(),
                        });
                    if let Err(e) = spawned {
                        self.why.not_started();
                        self.log(&format!("the Why? checks could not start: {e}"));
                    }
                }
            }
            WhyAction::Close => self.why.close(),
            WhyAction::Choose(name) => {
                self.log(&format!(
                    "look for servers on: {}",
                    if name.is_empty() {
                        "every usable interface"
                    } else {
                        &name
                    }
                ));
                self.settings.current_mut().discovery_interface = name;
            }
        }
    }

    /// Keeps browsing on the interface the settings name (a change restarts it).
    pub(super) fn apply_interface_choice(&mut self) {
        let want = self.settings.current().discovery_interface.trim();
        let want = (!want.is_empty()).then_some(want);
        if self.lan.interface() != want {
            let want = want.map(str::to_owned);
            self.lan.set_interface(want);
        }
    }

    /// Whether the typed server could not be reached: the last connect failed.
    pub(super) fn connect_failed(&self) -> bool {
        matches!(
            self.state.error,
            Some(
                NetError::NameNotFound { .. }
                    | NetError::Refused { .. }
                    | NetError::TimedOut { .. }
                    | NetError::Unreachable { .. }
                    | NetError::Connect { .. }
            )
        )
    }

    /// The panel's sentences from the last check (for tests; `None` before one finished).
    pub fn why_findings(&self) -> Option<Vec<Finding>> {
        let readings = self.why.readings.as_ref()?;
        let s = self.settings.current();
        let target = Some(s.client_host.as_str());
        let port = parse_port(&s.client_port, false).unwrap_or(DEFAULT_PORT);
        Some(findings(
            readings,
            Some(&s.discovery_interface),
            target,
            port,
        ))
    }

    /// The interface browsing is limited to, as applied (for tests).
    pub fn browsing_interface(&self) -> Option<&str> {
        self.lan.interface()
    }

    /// The "Why?" button (`show_button`) and, while open, the panel.
    pub(super) fn why_ui(
        &mut self,
        ui: &mut egui::Ui,
        show_button: bool,
        lang: Lang,
    ) -> Option<Intent> {
        let mut intent = None;
        if show_button && !self.why.open {
            intent = why::button(ui, lang);
        }
        if !self.why.open {
            return intent;
        }
        let findings = self.why_findings();
        let chosen = self.settings.current().discovery_interface.clone();
        let choices: Vec<InterfacePlan> = self
            .why
            .readings
            .as_ref()
            .map(|r| choices(&r.interfaces, Some(&chosen)))
            .unwrap_or_default();
        let view = WhyView {
            findings: findings.as_deref(),
            checking: self.why.checking,
            choices: &choices,
            chosen: chosen.trim(),
        };
        why::panel(ui.ctx(), &view, lang).or(intent)
    }
}
