//! "Recent" under the client's form: the servers typed and reached before, the latest
//! first, each with when it was last reached. One click puts it in the form (the user
//! then clicks Connect, so nothing connects by surprise); Forget removes it.

use eframe::egui::{self, RichText};

use super::Intent;
use crate::core::address::join_host_port;
use crate::core::lang::{Lang, Say};
use crate::core::recent::{RecentServer, shown};
use crate::words::recent::RecentWords as W;

/// How a time of reaching is shown: local date and minute.
fn when(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// Draws the list (nothing while it is empty); the intent of a click.
pub fn ui(ui: &mut egui::Ui, recent: &[RecentServer], lang: Lang) -> Option<Intent> {
    let rows = shown(recent);
    if rows.is_empty() {
        return None;
    }
    let mut intent = None;
    ui.label(RichText::new(W::Heading.say(lang)).strong());
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("recent-servers")
        .max_height(row_height * 4.5)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for r in &rows[range] {
                let addr = join_host_port(&r.host, r.port);
                ui.horizontal(|ui| {
                    let words = W::Row {
                        addr: addr.clone(),
                        when: when(r.reached_at),
                    };
                    if ui
                        .add(egui::Button::new(words.say(lang)).truncate())
                        .on_hover_text(W::RowTooltip { addr: addr.clone() }.say(lang))
                        .clicked()
                    {
                        intent = Some(Intent::FillForm {
                            host: r.host.clone(),
                            port: r.port,
                        });
                    }
                    if ui
                        .small_button(W::Forget.say(lang))
                        .on_hover_text(W::ForgetTooltip { addr }.say(lang))
                        .clicked()
                    {
                        intent = Some(Intent::ForgetRecent {
                            host: r.host.clone(),
                            port: r.port,
                        });
                    }
                });
            }
        });
    intent
}
