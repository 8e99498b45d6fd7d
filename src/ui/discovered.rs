//! LAN discovery in the form: the servers found (client), "Announce on this network" and
//! the name (server), the Reconnect checkbox (client), and the running server's line
//! about its announcement. Kept apart from `form.rs` so the form's own fields stay simple.

use eframe::egui::{self, RichText, TextEdit};

use super::{Intent, widgets};
use crate::core::discovery::{LiveList, instance_name};
use crate::core::lang::{Lang, Say};
use crate::core::settings::Settings;
use crate::net::lan::AnnounceState;
use crate::words::discovery::DiscoveryWords as W;

/// The server's discovery fields, in the idle form: the checkbox and the name.
/// `default_name` is what an empty name stands for.
pub fn server_fields(ui: &mut egui::Ui, s: &mut Settings, default_name: &str, lang: Lang) {
    widgets::check(ui, &mut s.announce, &W::AnnounceOnNetwork.say(lang))
        .on_hover_text(W::AnnounceTooltip.say(lang));
    if s.announce {
        let words = W::NameOnNetwork.say(lang);
        widgets::fits(ui, widgets::text_width(ui, &words) + 156.0);
        let label = widgets::tag(ui, &words);
        ui.add(
            TextEdit::singleline(&mut s.server_name)
                .hint_text(default_name)
                .desired_width(140.0)
                .char_limit(crate::core::discovery::MAX_NAME_BYTES),
        )
        .labelled_by(label.id)
        .on_hover_text(W::NameTooltip.say(lang));
    }
}

/// The name a server is announced under: the one typed, or the default.
pub fn announced_name(s: &Settings, default_name: &str) -> String {
    if s.server_name.trim().is_empty() {
        default_name.to_owned()
    } else {
        instance_name(&s.server_name)
    }
}

/// The client's Reconnect checkbox, in the idle form.
pub fn client_fields(ui: &mut egui::Ui, s: &mut Settings, lang: Lang) {
    widgets::check(ui, &mut s.reconnect, &W::Reconnect.say(lang))
        .on_hover_text(W::ReconnectTooltip.say(lang));
}

/// The running server's line about its announcement (nothing when announcing is off).
pub fn announce_line(ui: &mut egui::Ui, state: &AnnounceState, lang: Lang) {
    let text = match state {
        AnnounceState::Off => return,
        AnnounceState::Loopback => W::NotAnnouncedLoopback.say(lang),
        AnnounceState::As(name) => W::AnnouncedAs { name: name.clone() }.say(lang),
        AnnounceState::Failed(p) => p.say(lang),
    };
    ui.label(RichText::new(text).weak().small());
}

/// The servers found, under the client's form. A click (or Enter on a focused row)
/// connects. A discovery problem is one quiet line, never a dialog.
pub fn server_list(ui: &mut egui::Ui, list: &LiveList, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    ui.label(RichText::new(W::ServersFound.say(lang)).strong());
    let servers = list.servers();
    if servers.is_empty() {
        let text = match list.problem() {
            Some(p) => p.say(lang),
            None => W::Searching.say(lang),
        };
        ui.label(RichText::new(text).weak());
    }
    egui::ScrollArea::vertical()
        .max_height(120.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for server in servers {
                let state = if server.busy() {
                    W::Busy {
                        conversations: server.txt.conversations,
                    }
                } else {
                    W::Free
                };
                let text = format!(
                    "{}   {}   {}   {}",
                    server.name,
                    server.addr,
                    server.encoding_label(),
                    state.say(lang)
                );
                let mut label = RichText::new(text);
                if server.busy() {
                    label = label.color(ui.visuals().weak_text_color());
                }
                let row = ui
                    .add_sized(
                        [ui.available_width(), 0.0],
                        egui::Button::new(label).frame(true),
                    )
                    .on_hover_text(
                        W::RowTooltip {
                            addr: server.addr.to_string(),
                        }
                        .say(lang),
                    );
                if row.clicked() {
                    intent = Some(Intent::ConnectTo {
                        host: server.addr.ip().to_string(),
                        port: server.addr.port(),
                    });
                }
            }
        });
    ui.label(RichText::new(W::PythonServersHint.say(lang)).weak().small());
    intent
}
