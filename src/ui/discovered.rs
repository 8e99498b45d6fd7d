//! LAN discovery in the form: the servers found (client), "Announce on this network" and
//! the name (server), the Reconnect checkbox (client), and the running server's line
//! about its announcement. Kept apart from `form.rs` so the form's own fields stay simple.

use eframe::egui::{self, RichText, TextEdit};

use super::{Intent, widgets};
use crate::core::discovery::{LiveList, Row, instance_name};
use crate::core::discovery_line::known_encoding;
use crate::core::lang::{Lang, Say};
use crate::core::lookalike::visible_name;
use crate::core::settings::Settings;
use crate::core::tofu::Trust;
use crate::net::lan::AnnounceState;
use crate::words::discovery::DiscoveryWords as W;
use crate::words::probe::ProbeWords;
use crate::words::trust::TrustWords;

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

/// The client's Name field, in the idle form, while announcing is on: what it tells a
/// TurnChat server about itself while connected (the same name as the server's).
pub fn client_name_field(ui: &mut egui::Ui, s: &mut Settings, default_name: &str, lang: Lang) {
    if !s.announce {
        return;
    }
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
    .on_hover_text(W::ClientNameTooltip.say(lang));
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

/// The client's setting for servers on other subnets, under the list: the checkbox
/// (off by default) and, while it is on, the addresses to ask, with a sentence at the
/// field when they cannot be used.
pub fn probe_fields(ui: &mut egui::Ui, s: &mut Settings, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        widgets::check(ui, &mut s.probe_on, &ProbeWords::AskOtherSubnets.say(lang))
            .on_hover_text(ProbeWords::AskTooltip.say(lang));
        if !s.probe_on {
            return;
        }
        let label = widgets::tag(ui, &ProbeWords::Addresses.say(lang));
        ui.add(
            TextEdit::singleline(&mut s.probe_addresses)
                .hint_text("10.0.2.0/24, 10.0.3.15")
                .desired_width(240.0)
                .char_limit(1024),
        )
        .labelled_by(label.id)
        .on_hover_text(ProbeWords::AskTooltip.say(lang));
    });
    if s.probe_on
        && let Err(e) = crate::core::probe_targets::parse_targets(&s.probe_addresses)
    {
        ui.label(RichText::new(e.say(lang)).color(ui.visuals().error_fg_color));
    }
}

/// The servers found, under the client's form: one line a row, virtualised (only the
/// rows in view are laid out, however many are listed). A row shows the name made
/// visible, the address a click connects to, the encoding and whether it is busy, and
/// its warnings (a look-alike name, a name first seen at another computer). A click (or
/// Enter on a focused row) connects. A discovery problem is one quiet line, never a dialog.
pub fn server_list(ui: &mut egui::Ui, list: &LiveList, lang: Lang) -> Option<Intent> {
    server_list_offering_why(ui, list, lang, false)
}

/// [`server_list`]; while the list is empty, its line ends with the "Why?" button when
/// `why` is set.
pub fn server_list_offering_why(
    ui: &mut egui::Ui,
    list: &LiveList,
    lang: Lang,
    why: bool,
) -> Option<Intent> {
    let mut intent = None;
    ui.label(RichText::new(W::ServersFound.say(lang)).strong());
    let rows = list.rows();
    if rows.is_empty() {
        let text = match list.problem() {
            Some(p) => p.say(lang),
            None => W::Searching.say(lang),
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).weak());
            if why {
                intent = super::why::button(ui, lang);
            }
        });
    }
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .max_height(120.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                if let Some(i) = server_row(ui, row, lang) {
                    intent = Some(i);
                }
            }
        });
    if list.dropped() > 0 {
        let words = W::Dropped {
            count: list.dropped(),
            max: crate::core::discovery::MAX_LISTED,
        };
        ui.label(RichText::new(words.say(lang)).weak().small());
    }
    ui.label(RichText::new(W::PythonServersHint.say(lang)).weak().small());
    intent
}

/// One row of the list; its intent when clicked.
fn server_row(ui: &mut egui::Ui, row: &Row<'_>, lang: Lang) -> Option<Intent> {
    let server = row.server;
    let state = if server.busy() {
        W::Busy {
            conversations: server.txt.conversations,
        }
    } else {
        W::Free
    };
    let name = visible_name(&server.name);
    let text = format!(
        "{name}   {}   {}   {}",
        row.addr,
        known_encoding(server.txt.encoding_label.as_deref()),
        state.say(lang)
    );
    let mut warnings = Vec::new();
    if row.marks.look_alike {
        warnings.push((W::LookAlike.say(lang), W::LookAlikeTooltip.say(lang)));
    }
    if let Some(was) = row.marks.moved_from {
        let words = W::MovedFrom {
            name: name.clone(),
            was: was.ip().to_string(),
        }
        .say(lang);
        warnings.push((words.clone(), words));
    }
    // A server reached before can be pinned there (and a pinned one unpinned).
    let pin = match row.trust {
        Trust::Known { pinned } => Some(pinned),
        Trust::New | Trust::Moved { .. } => None,
    };
    let pin_words = |pinned: bool| {
        if pinned {
            TrustWords::Unpin.say(lang)
        } else {
            TrustWords::Pin.say(lang)
        }
    };
    let mut clicked = false;
    let mut pin_clicked = false;
    ui.horizontal(|ui| {
        let mut label = RichText::new(text);
        if server.busy() {
            label = label.color(ui.visuals().weak_text_color());
        }
        let mut reserve: f32 = warnings
            .iter()
            .map(|(w, _)| widgets::text_width(ui, w) + 12.0)
            .sum();
        // How it was found: a quiet note, not a warning.
        let asked = row.marks.asked.then(|| ProbeWords::FoundByAsking.say(lang));
        if let Some(words) = &asked {
            reserve += widgets::text_width(ui, words) + 12.0;
        }
        if let Some(pinned) = pin {
            reserve += widgets::text_width(ui, &pin_words(pinned)) + 24.0;
            if pinned {
                reserve += widgets::text_width(ui, &TrustWords::Pinned.say(lang)) + 12.0;
            }
        }
        let width = (ui.available_width() - reserve).max(120.0);
        let button = ui
            .add_sized(
                [width, 0.0],
                egui::Button::new(label).frame(true).truncate(),
            )
            .on_hover_text(
                W::RowTooltip {
                    addr: row.addr.to_string(),
                }
                .say(lang),
            );
        clicked = button.clicked();
        if let Some(words) = asked {
            ui.label(RichText::new(words).weak())
                .on_hover_text(ProbeWords::FoundByAskingTooltip.say(lang));
        }
        for (words, tip) in &warnings {
            ui.label(RichText::new(words).color(ui.visuals().warn_fg_color))
                .on_hover_text(tip);
        }
        if let Some(pinned) = pin {
            if pinned {
                ui.label(RichText::new(TrustWords::Pinned.say(lang)).strong());
            }
            let tip = if pinned {
                TrustWords::UnpinTooltip { name: name.clone() }
            } else {
                TrustWords::PinTooltip {
                    name: name.clone(),
                    addr: row.addr.ip().to_string(),
                }
            };
            pin_clicked = ui
                .small_button(pin_words(pinned))
                .on_hover_text(tip.say(lang))
                .clicked();
        }
    });
    if pin_clicked && let Some(pinned) = pin {
        return Some(Intent::Pin {
            name: server.name.clone(),
            addr: row.addr,
            pinned: !pinned,
        });
    }
    clicked.then(|| Intent::ConnectTo {
        host: row.addr.ip().to_string(),
        port: row.addr.port(),
        name: server.name.clone(),
    })
}
