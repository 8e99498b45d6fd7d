//! The first thing a new user sees: the role, two or three fields, and one big button.
//! The fields are the app's current [`Settings`], edited in place.
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
use crate::words::encoding::EncodingWords;
use crate::words::{Lang, Say};

/// The server settings in `s`, or the first field problem as a sentence.
pub fn server_config(s: &Settings) -> Result<ServerConfig, String> {
    let host = parse_host(&s.server_host).map_err(|e| e.to_string())?;
    let port = parse_port(&s.server_port, true).map_err(|e| e.to_string())?;
    encode_guarded(s.encoding, &s.welcome).map_err(|e| format!("Welcome text: {e}"))?;
    Ok(ServerConfig {
        host,
        port,
        welcome: s.welcome.clone(),
        encoding: s.encoding,
        policy: TurnPolicy::Strict,
        max_conversations: if s.one_at_a_time {
            1
        } else {
            (s.max_conversations as usize).max(1)
        },
    })
}

/// The client settings in `s`, or the first field problem as a sentence.
pub fn client_config(s: &Settings) -> Result<ClientConfig, String> {
    let host = parse_host(&s.client_host).map_err(|e: FieldError| e.to_string())?;
    let port = parse_port(&s.client_port, false).map_err(|e| e.to_string())?;
    Ok(ClientConfig {
        host,
        port,
        encoding: s.encoding,
        policy: TurnPolicy::Strict,
    })
}

/// Draws the form over the settings it edits (the app's current settings: there is no
/// copy). `status` decides which fields are editable and what the button does.
pub fn ui(ui: &mut egui::Ui, s: &mut Settings, status: &RoleStatus) -> Option<Intent> {
    if *status != RoleStatus::Idle {
        return running_line(ui, s, status);
    }
    let mut intent = None;
    let idle = true;
    ui.horizontal_wrapped(|ui| {
        ui.add_enabled_ui(idle, |ui| {
            ui.selectable_value(&mut s.role, Role::Server, "Server")
                .on_hover_text("Wait for the other computer to connect to this one.");
            ui.selectable_value(&mut s.role, Role::Client, "Client")
                .on_hover_text(
                    "Connect to a computer where TurnChat (or the Python server) is listening.",
                );
        });
        ui.separator();
        let problem = match s.role {
            Role::Server => {
                ui.add_enabled_ui(idle, |ui| {
                    field(ui, "Host", &mut s.server_host, 110.0);
                    field(ui, "Port", &mut s.server_port, 64.0);
                    field(ui, "Welcome", &mut s.welcome, 150.0);
                    encoding_choice(ui, &mut s.encoding, Lang::En);
                    // How many at once matters only before starting; a running server's
                    // line stays short.
                    if idle {
                        ui.checkbox(&mut s.one_at_a_time, "One at a time")
                            .on_hover_text("Serve one client at a time, like the reference server: the others wait, in order, until the conversation before them ends.");
                        if !s.one_at_a_time {
                            let label = ui.label("At most");
                            ui.add(egui::DragValue::new(&mut s.max_conversations).range(1..=1000))
                                .labelled_by(label.id)
                                .on_hover_text("How many conversations may run at once; later clients wait for a free place.");
                        }
                    }
                });
                let config = server_config(s);
                intent = server_button(ui, status, &config);
                config.err()
            }
            Role::Client => {
                ui.add_enabled_ui(idle, |ui| {
                    field(ui, "Host", &mut s.client_host, 150.0);
                    field(ui, "Port", &mut s.client_port, 64.0);
                    encoding_choice(ui, &mut s.encoding, Lang::En);
                });
                let config = client_config(s);
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

/// The wire encoding, chosen before starting (a server's choice applies to each new
/// conversation; each conversation can change its own from its header).
fn encoding_choice(ui: &mut egui::Ui, encoding: &mut WireEncoding, lang: Lang) {
    let label = ui.label(EncodingWords::FormLabel.say(lang));
    egui::ComboBox::from_id_salt("form-encoding")
        .selected_text(encoding.label())
        .width(84.0)
        .show_ui(ui, |ui| {
            for choice in WireEncoding::ALL {
                ui.selectable_value(encoding, choice, choice.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(EncodingWords::FormTooltip.say(lang));
}

/// Once a role runs, the form folds into one line (role, what it is doing, what to tell
/// the other person, and Stop or Cancel), so the conversation gets the room.
fn running_line(ui: &mut egui::Ui, s: &Settings, status: &RoleStatus) -> Option<Intent> {
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        let role = match s.role {
            Role::Server => "Server",
            Role::Client => "Client",
        };
        ui.label(RichText::new(role).strong());
        match status {
            RoleStatus::Idle => {}
            RoleStatus::Starting { .. } => {
                ui.label("starting…");
            }
            RoleStatus::Listening { local, lan, .. } => {
                if lan.is_empty() {
                    ui.label(format!(
                        "listening on {local}. Only programs on this computer can connect; use host 0.0.0.0 to let other computers in."
                    ));
                } else {
                    let list: Vec<String> = lan.iter().map(ToString::to_string).collect();
                    ui.label(format!(
                        "listening on port {}. The other computer can connect to:",
                        local.port()
                    ));
                    ui.label(RichText::new(list.join(" · ")).strong());
                    if ui
                        .small_button("Copy")
                        .on_hover_text("Copy these addresses")
                        .clicked()
                    {
                        intent = Some(Intent::Copy(list.join("\n")));
                    }
                }
            }
            RoleStatus::Connecting { target, .. } => {
                ui.label(format!("connecting to {target}…"));
            }
            RoleStatus::Connected { .. } => {
                ui.label(format!(
                    "connected to {}",
                    crate::core::address::join_host_port(
                        &s.client_host,
                        s.client_port.trim().parse().unwrap_or_default()
                    )
                ));
            }
        }
        let button = match s.role {
            Role::Server => server_button(ui, status, &server_config(s)),
            Role::Client => client_button(ui, status, &client_config(s)),
        };
        intent = intent.take().or(button);
    });
    intent
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
        let f = Settings::default();
        let s = server_config(&f).expect("valid defaults");
        assert_eq!(
            (s.host.as_str(), s.port, s.welcome.as_str()),
            ("0.0.0.0", 8888, "欢迎您的使用")
        );
        assert_eq!(client_config(&f).expect("valid").port, 8888);
    }

    #[test]
    fn bad_fields_read_as_sentences() {
        let f = Settings {
            server_port: "88888".into(),
            ..Settings::default()
        };
        assert!(
            server_config(&f)
                .expect_err("bad port")
                .contains("is not a port")
        );
        let f = Settings {
            welcome: "欢迎😀".into(),
            ..Settings::default()
        };
        assert!(
            server_config(&f)
                .expect_err("emoji")
                .starts_with("Welcome text: The other side cannot read")
        );
        let f = Settings {
            client_host: "".into(),
            ..Settings::default()
        };
        assert!(client_config(&f).expect_err("empty").contains("address"));
    }
}
