//! "Recent" in the window (issue 24, item 7): a server typed on the client form goes
//! into the list once a connection to it is made (a typo that never connects does not),
//! with when; one click on a row puts it back in the form. Kept in the settings.

use super::TurnChatApp;
use crate::core::recent::{forget, remember};
use crate::core::turn::Role;
use crate::net::Event;

impl TurnChatApp {
    /// A connection as a client was made: the server typed for it is remembered.
    pub(super) fn recent_on_connect(&mut self, event: &Event) {
        let Event::SessionStarted { info, .. } = event else {
            return;
        };
        if info.as_role != Role::Client {
            return;
        }
        let Some((host, port)) = self.recent_pending.clone() else {
            return;
        };
        let now = chrono::Utc::now().timestamp();
        if remember(
            &mut self.settings.current_mut().recent_servers,
            &host,
            port,
            now,
        ) {
            self.persist_settings();
        }
    }

    /// Puts a recent server in the client's form.
    pub(super) fn fill_form(&mut self, host: String, port: u16) {
        let s = self.settings.current_mut();
        s.role = Role::Client;
        s.client_host = host;
        s.client_port = port.to_string();
    }

    /// Forgets a recent server.
    pub(super) fn forget_recent(&mut self, host: &str, port: u16) {
        if forget(&mut self.settings.current_mut().recent_servers, host, port) {
            self.persist_settings();
        }
    }
}
