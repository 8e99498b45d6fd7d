//! The first thing a new user sees: the role, two or three fields, and one big button.
//!
//! Fields are checked as the user types; a field that cannot be used says why right under
//! the form, and the button stays disabled until it can.

use eframe::egui::{self, RichText, TextEdit};

use super::{Intent, style};
use crate::core::address::{FieldError, parse_host, parse_port};
use crate::core::codec::{WireEncoding, encode_guarded};
use crate::core::settings::Settings;
use crate::core::turn::TurnPolicy;
use crate::net::{ClientConfig, Role, ServerConfig};
use crate::state::RoleStatus;

/// The connection form's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// Which role the form is set up for.
    pub role: Role,
    /// Server: host to listen on.
    pub server_host: String,
    /// Server: port.
    pub server_port: String,
    /// Server: the welcome text.
    pub welcome: String,
    /// Client: server address.
    pub client_host: String,
    /// Client: server port.
    pub client_port: String,
    /// Server: serve one client at a time, like the reference (the rest wait).
    pub one_at_a_time: bool,
    /// Server: how many conversations may run at once.
    pub max_conversations: usize,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_settings(&Settings::default())
    }
}

impl Form {
    /// The form as remembered settings left it.
    pub fn from_settings(s: &Settings) -> Self {
        Form {
            role: s.role,
            server_host: s.server_host.clone(),
            server_port: s.server_port.clone(),
            welcome: s.welcome.clone(),
            client_host: s.client_host.clone(),
            client_port: s.client_port.clone(),
            one_at_a_time: false,
            max_conversations: crate::net::DEFAULT_MAX_CONVERSATIONS,
        }
    }

    /// Writes the form's fields into `s` (other settings are left as they are).
    pub fn store(&self, s: &mut Settings) {
        s.role = self.role;
        s.server_host.clone_from(&self.server_host);
        s.server_port.clone_from(&self.server_port);
        s.welcome.clone_from(&self.welcome);
        s.client_host.clone_from(&self.client_host);
        s.client_port.clone_from(&self.client_port);
    }

    /// The server settings, or the first field problem as a sentence.
    pub fn server_config(&self) -> Result<ServerConfig, String> {
        let host = parse_host(&self.server_host).map_err(|e| e.to_string())?;
        let port = parse_port(&self.server_port, true).map_err(|e| e.to_string())?;
        encode_guarded(WireEncoding::Gbk, &self.welcome)
            .map_err(|e| format!("Welcome text: {e}"))?;
        Ok(ServerConfig {
            host,
            port,
            welcome: self.welcome.clone(),
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
            max_conversations: if self.one_at_a_time {
                1
            } else {
                self.max_conversations.max(1)
            },
        })
    }

    /// The client settings, or the first field problem as a sentence.
    pub fn client_config(&self) -> Result<ClientConfig, String> {
        let host = parse_host(&self.client_host).map_err(|e: FieldError| e.to_string())?;
        let port = parse_port(&self.client_port, false).map_err(|e| e.to_string())?;
        Ok(ClientConfig {
            host,
            port,
            encoding: WireEncoding::Gbk,
            policy: TurnPolicy::Strict,
        })
    }

    /// Draws the form. `status` decides which fields are editable and what the button does.
    pub fn ui(&mut self, ui: &mut egui::Ui, status: &RoleStatus) -> Option<Intent> {
        let mut intent = None;
        let idle = *status == RoleStatus::Idle;
        ui.horizontal_wrapped(|ui| {
            ui.add_enabled_ui(idle, |ui| {
                ui.selectable_value(&mut self.role, Role::Server, "Server")
                    .on_hover_text("Wait for the other computer to connect to this one.");
                ui.selectable_value(&mut self.role, Role::Client, "Client")
                    .on_hover_text(
                        "Connect to a computer where TurnChat (or the Python server) is listening.",
                    );
            });
            ui.separator();
            let problem = match self.role {
                Role::Server => {
                    ui.add_enabled_ui(idle, |ui| {
                        field(ui, "Host", &mut self.server_host, 110.0);
                        field(ui, "Port", &mut self.server_port, 64.0);
                        field(ui, "Welcome", &mut self.welcome, 150.0);
                    });
                    let config = self.server_config();
                    intent = server_button(ui, status, &config);
                    config.err()
                }
                Role::Client => {
                    ui.add_enabled_ui(idle, |ui| {
                        field(ui, "Host", &mut self.client_host, 150.0);
                        field(ui, "Port", &mut self.client_port, 64.0);
                    });
                    let config = self.client_config();
                    intent = client_button(ui, status, &config);
                    config.err()
                }
            };
            if idle && let Some(problem) = problem {
                ui.end_row();
                ui.label(RichText::new(problem).color(style::error(ui)));
            }
        });
        intent
    }
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) {
    let label = ui.label(label);
    ui.add(TextEdit::singleline(value).desired_width(width))
        .labelled_by(label.id);
}

fn server_button(
    ui: &mut egui::Ui,
    status: &RoleStatus,
    config: &Result<ServerConfig, String>,
) -> Option<Intent> {
    match status {
        RoleStatus::Idle => {
            let button = ui.add_enabled(
                config.is_ok(),
                egui::Button::new(RichText::new("Start Server").strong()),
            );
            let button = match config {
                Err(problem) => button.on_disabled_hover_text(problem),
                Ok(c) => button
                    .on_hover_text(format!("Listen on port {} for the other computer.", c.port)),
            };
            match config {
                Ok(c) if button.clicked() => Some(Intent::StartServer(c.clone())),
                _ => None,
            }
        }
        RoleStatus::Connecting { .. } | RoleStatus::Connected { .. } => None,
        RoleStatus::Starting { .. } | RoleStatus::Listening { .. } => ui
            .button("Stop Server")
            .on_hover_text("Stop listening. A conversation in progress is closed.")
            .clicked()
            .then_some(Intent::StopServer),
    }
}

fn client_button(
    ui: &mut egui::Ui,
    status: &RoleStatus,
    config: &Result<ClientConfig, String>,
) -> Option<Intent> {
    match status {
        RoleStatus::Idle => {
            let button = ui.add_enabled(
                config.is_ok(),
                egui::Button::new(RichText::new("Connect").strong()),
            );
            let button = match config {
                Err(problem) => button.on_disabled_hover_text(problem),
                Ok(_) => button.on_hover_text("Connect to the server (gives up after 5 seconds)."),
            };
            match config {
                Ok(c) if button.clicked() => Some(Intent::Connect(c.clone())),
                _ => None,
            }
        }
        RoleStatus::Connecting { .. } => {
            ui.spinner();
            ui.button("Cancel")
                .on_hover_text("Stop trying to connect (Esc).")
                .clicked()
                .then_some(Intent::CancelConnect)
        }
        RoleStatus::Starting { .. }
        | RoleStatus::Listening { .. }
        | RoleStatus::Connected { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_reference_settings() {
        let f = Form::default();
        let s = f.server_config().expect("valid defaults");
        assert_eq!(
            (s.host.as_str(), s.port, s.welcome.as_str()),
            ("0.0.0.0", 8888, "欢迎您的使用")
        );
        assert_eq!(f.client_config().expect("valid").port, 8888);
    }

    #[test]
    fn bad_fields_read_as_sentences() {
        let f = Form {
            server_port: "88888".into(),
            ..Form::default()
        };
        assert!(
            f.server_config()
                .expect_err("bad port")
                .contains("is not a port")
        );
        let f = Form {
            welcome: "欢迎😀".into(),
            ..Form::default()
        };
        assert!(
            f.server_config()
                .expect_err("emoji")
                .starts_with("Welcome text: The other side cannot read")
        );
        let f = Form {
            client_host: "".into(),
            ..Form::default()
        };
        assert!(f.client_config().expect_err("empty").contains("address"));
    }
}
