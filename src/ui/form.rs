//! The first thing a new user sees: the role, two or three fields, and one big button.
//! The fields are the app's current [`Settings`], edited in place.
//!
//! Fields are checked as the user types; a field that cannot be used says why right under
//! the form, and the button stays disabled until it can.

use eframe::egui::{self, RichText};

use super::widgets::{check, field, fits, tag, text_width};
use super::{Intent, style};
use crate::core::address::{FieldError, parse_host, parse_port};
use crate::core::codec::{Unencodable, WireEncoding, encode_guarded};
use crate::core::framing::LineEnding;
use crate::core::lang::{Lang, Say};
use crate::core::settings::Settings;
use crate::core::turn::Role;
use crate::core::turn::TurnPolicy;
use crate::net::{ClientConfig, ServerConfig};
use crate::state::RoleStatus;
use crate::words::encoding::EncodingWords;
use crate::words::talk::TalkLabel;
use crate::words::{Label, Phrase};

/// Why the form's settings cannot be used yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormProblem {
    /// The host or port field.
    Field(FieldError),
    /// The welcome has characters the peer cannot read.
    Welcome(Unencodable),
}

impl Say for FormProblem {
    fn en(&self) -> String {
        match self {
            FormProblem::Field(e) => e.en(),
            FormProblem::Welcome(e) => Phrase::WelcomeProblem { error: e.clone() }.en(),
        }
    }
    fn zh(&self) -> String {
        match self {
            FormProblem::Field(e) => e.zh(),
            FormProblem::Welcome(e) => Phrase::WelcomeProblem { error: e.clone() }.zh(),
        }
    }
}

/// The server settings in `s`, or the first field problem.
pub fn server_config(s: &Settings) -> Result<ServerConfig, FormProblem> {
    let host = parse_host(&s.server_host).map_err(FormProblem::Field)?;
    let port = parse_port(&s.server_port, true).map_err(FormProblem::Field)?;
    encode_guarded(s.encoding, &s.welcome).map_err(FormProblem::Welcome)?;
    Ok(ServerConfig {
        host,
        port,
        welcome: s.welcome.clone(),
        encoding: s.encoding,
        policy: policy(s.server_free_talk),
        line_ending: s.server_line_ending,
        max_conversations: if s.one_at_a_time {
            1
        } else {
            (s.max_conversations as usize).max(1)
        },
        per_address: s.per_address as usize,
    })
}

/// The client settings in `s`, or the first field problem.
pub fn client_config(s: &Settings) -> Result<ClientConfig, FormProblem> {
    let host = parse_host(&s.client_host).map_err(FormProblem::Field)?;
    let port = parse_port(&s.client_port, false).map_err(FormProblem::Field)?;
    Ok(ClientConfig {
        host,
        port,
        encoding: s.encoding,
        policy: policy(s.client_free_talk),
        line_ending: s.client_line_ending,
    })
}

fn policy(free_talk: bool) -> TurnPolicy {
    if free_talk {
        TurnPolicy::Free
    } else {
        TurnPolicy::Strict
    }
}

/// Draws the form over the settings it edits (the app's current settings: there is no
/// copy), in `lang`. `status` decides which fields are editable and what the button does.
/// `announce_as` is the name a server is announced under by default, when LAN discovery
/// works here (the server's announce fields show only then).
pub fn ui(
    ui: &mut egui::Ui,
    s: &mut Settings,
    status: &RoleStatus,
    lang: Lang,
    announce_as: Option<&str>,
) -> Option<Intent> {
    if *status != RoleStatus::Idle {
        return running_line(ui, s, status, lang);
    }
    let mut intent = None;
    let t = |label: Label| label.get(lang);
    ui.horizontal_wrapped(|ui| {
        // Each group is one block that wraps as a whole.
        ui.scope(|ui| {
            ui.selectable_value(&mut s.role, Role::Server, t(Label::Server))
                .on_hover_text(t(Label::ServerTip));
            ui.selectable_value(&mut s.role, Role::Client, t(Label::Client))
                .on_hover_text(t(Label::ClientTip));
        });
        ui.separator();
        let problem = match s.role {
            Role::Server => {
                ui.scope(|ui| {
                    field(ui, t(Label::Host), &mut s.server_host, 110.0);
                    field(ui, t(Label::Port), &mut s.server_port, 64.0);
                    field(ui, t(Label::Welcome), &mut s.welcome, 150.0);
                    encoding_choice(ui, &mut s.encoding, lang);
                    check(ui, &mut s.one_at_a_time, t(Label::OneAtATime))
                        .on_hover_text(t(Label::OneAtATimeTip));
                    if !s.one_at_a_time {
                        fits(ui, text_width(ui, t(Label::AtMost)) + 60.0);
                        let label = tag(ui, t(Label::AtMost));
                        ui.add(egui::DragValue::new(&mut s.max_conversations).range(1..=1000))
                            .labelled_by(label.id)
                            .on_hover_text(t(Label::AtMostTip));
                    }
                    fits(ui, text_width(ui, t(Label::PerComputer)) + 60.0);
                    let label = tag(ui, t(Label::PerComputer));
                    ui.add(egui::DragValue::new(&mut s.per_address).range(0..=1000))
                        .labelled_by(label.id)
                        .on_hover_text(t(Label::PerComputerTip));
                    talk_options(ui, &mut s.server_free_talk, &mut s.server_line_ending, lang);
                    if let Some(default_name) = announce_as {
                        super::discovered::server_fields(ui, s, default_name, lang);
                    }
                    // The button follows the last field, on its row if it fits.
                    let config = server_config(s);
                    intent = server_button(ui, status, &config, lang);
                    config.err()
                })
                .inner
            }
            Role::Client => {
                ui.scope(|ui| {
                    field(ui, t(Label::Host), &mut s.client_host, 150.0);
                    field(ui, t(Label::Port), &mut s.client_port, 64.0);
                    encoding_choice(ui, &mut s.encoding, lang);
                    talk_options(ui, &mut s.client_free_talk, &mut s.client_line_ending, lang);
                    if let Some(default_name) = announce_as {
                        super::discovered::client_name_field(ui, s, default_name, lang);
                    }
                    super::discovered::client_fields(ui, s, lang);
                    let config = client_config(s);
                    intent = client_button(ui, status, &config, lang);
                    config.err()
                })
                .inner
            }
        };
        if let Some(problem) = problem {
            ui.end_row();
            ui.label(RichText::new(problem.say(lang)).color(style::error(ui)));
        }
    });
    intent
}

/// The wire encoding, chosen before starting (a server's choice applies to each new
/// conversation; each conversation can change its own from its header).
fn encoding_choice(ui: &mut egui::Ui, encoding: &mut WireEncoding, lang: Lang) {
    let words = EncodingWords::FormLabel.say(lang);
    fits(ui, text_width(ui, &words) + 110.0);
    let label = tag(ui, &words);
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
fn running_line(
    ui: &mut egui::Ui,
    s: &Settings,
    status: &RoleStatus,
    lang: Lang,
) -> Option<Intent> {
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        let role = match s.role {
            Role::Server => Label::Server,
            Role::Client => Label::Client,
        };
        ui.label(RichText::new(role.get(lang)).strong());
        match status {
            RoleStatus::Idle => {}
            RoleStatus::Starting { .. } => {
                ui.label(Label::Starting.get(lang));
            }
            RoleStatus::Listening { local, lan, .. } => {
                if lan.is_empty() {
                    ui.label(Phrase::ListeningHere { local: *local }.say(lang));
                } else {
                    let list: Vec<String> = lan.iter().map(ToString::to_string).collect();
                    ui.label(Phrase::ListeningOn { port: local.port() }.say(lang));
                    ui.label(RichText::new(list.join(" · ")).strong());
                    if ui
                        .small_button(Label::Copy.get(lang))
                        .on_hover_text(Label::CopyAddressesTip.get(lang))
                        .clicked()
                    {
                        intent = Some(Intent::Copy(list.join("\n")));
                    }
                }
            }
            RoleStatus::Connecting { target, .. } => {
                ui.label(
                    Phrase::ConnectingTo {
                        target: target.clone(),
                    }
                    .say(lang),
                );
            }
            RoleStatus::Connected { .. } => {
                let target = crate::core::address::join_host_port(
                    &s.client_host,
                    s.client_port.trim().parse().unwrap_or_default(),
                );
                ui.label(Phrase::ConnectedTo { target }.say(lang));
            }
        }
        let button = match s.role {
            Role::Server => server_button(ui, status, &server_config(s), lang),
            Role::Client => client_button(ui, status, &client_config(s), lang),
        };
        intent = intent.take().or(button);
    });
    intent
}

/// Free talk and the line ending, for one role. The ids are the same for both roles (one
/// shows at a time), so tests find them by their words.
fn talk_options(ui: &mut egui::Ui, free_talk: &mut bool, ending: &mut LineEnding, lang: Lang) {
    check(ui, free_talk, &TalkLabel::FreeTalk.say(lang))
        .on_hover_text(TalkLabel::FreeTalkHint.say(lang));
    let words = TalkLabel::LineEnding.say(lang);
    fits(ui, text_width(ui, &words) + 110.0);
    let label = tag(ui, &words).on_hover_text(TalkLabel::LineEndingHint.say(lang));
    let combo = egui::ComboBox::from_id_salt("turnchat-line-ending")
        .selected_text(TalkLabel::Ending(*ending).say(lang))
        .show_ui(ui, |ui| {
            for choice in LineEnding::ALL {
                ui.selectable_value(ending, choice, TalkLabel::Ending(choice).say(lang));
            }
        });
    combo.response.labelled_by(label.id);
}

fn server_button(
    ui: &mut egui::Ui,
    status: &RoleStatus,
    config: &Result<ServerConfig, FormProblem>,
    lang: Lang,
) -> Option<Intent> {
    match status {
        RoleStatus::Idle => {
            let button = ui.add_enabled(
                config.is_ok(),
                egui::Button::new(RichText::new(Label::StartServer.get(lang)).strong()),
            );
            let button = match config {
                Err(problem) => button.on_disabled_hover_text(problem.say(lang)),
                Ok(c) => button.on_hover_text(Phrase::ListenTip { port: c.port }.say(lang)),
            };
            match config {
                Ok(c) if button.clicked() => Some(Intent::StartServer(c.clone())),
                _ => None,
            }
        }
        RoleStatus::Connecting { .. } | RoleStatus::Connected { .. } => None,
        RoleStatus::Starting { .. } | RoleStatus::Listening { .. } => ui
            .button(Label::StopServer.get(lang))
            .on_hover_text(Label::StopServerTip.get(lang))
            .clicked()
            .then_some(Intent::StopServer),
    }
}

fn client_button(
    ui: &mut egui::Ui,
    status: &RoleStatus,
    config: &Result<ClientConfig, FormProblem>,
    lang: Lang,
) -> Option<Intent> {
    match status {
        RoleStatus::Idle => {
            let button = ui.add_enabled(
                config.is_ok(),
                egui::Button::new(RichText::new(Label::Connect.get(lang)).strong()),
            );
            let button = match config {
                Err(problem) => button.on_disabled_hover_text(problem.say(lang)),
                Ok(_) => button.on_hover_text(Label::ConnectTip.get(lang)),
            };
            match config {
                Ok(c) if button.clicked() => Some(Intent::Connect(c.clone())),
                _ => None,
            }
        }
        RoleStatus::Connecting { retry, .. } => {
            // Auto-reconnect's waits can last 30 s and repeat: no spinner (it would draw
            // frames all along); the turn line counts down instead.
            if retry.is_none() {
                ui.spinner();
            }
            ui.button(Label::Cancel.get(lang))
                .on_hover_text(Label::CancelTip.get(lang))
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
    fn free_talk_and_line_endings_are_per_role_and_off_by_default() {
        let f = Settings::default();
        let (s, c) = (
            server_config(&f).expect("valid"),
            client_config(&f).expect("valid"),
        );
        assert_eq!(
            (s.policy, s.line_ending),
            (TurnPolicy::Strict, LineEnding::None)
        );
        assert_eq!(
            (c.policy, c.line_ending),
            (TurnPolicy::Strict, LineEnding::None)
        );
        let f = Settings {
            server_free_talk: true,
            client_line_ending: LineEnding::Crlf,
            ..Settings::default()
        };
        let (s, c) = (
            server_config(&f).expect("valid"),
            client_config(&f).expect("valid"),
        );
        assert_eq!(
            (s.policy, s.line_ending),
            (TurnPolicy::Free, LineEnding::None)
        );
        assert_eq!(
            (c.policy, c.line_ending),
            (TurnPolicy::Strict, LineEnding::Crlf)
        );
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
                .en()
                .contains("is not a port")
        );
        let f = Settings {
            welcome: "欢迎😀".into(),
            ..Settings::default()
        };
        assert!(
            server_config(&f)
                .expect_err("emoji")
                .en()
                .starts_with("Welcome text: The other side cannot read")
        );
        let f = Settings {
            client_host: "".into(),
            ..Settings::default()
        };
        assert!(
            client_config(&f)
                .expect_err("empty")
                .en()
                .contains("address")
        );
    }
}
