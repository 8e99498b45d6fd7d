//! The results of a find across every conversation of this run, under the find bar:
//! one heading a conversation (its name, else its address, and how many hits), then a
//! line a hit with its time and the words around it. Clicking a line asks to show that
//! conversation at that message.

use eframe::egui::{self, RichText};

use super::find_bar::FindAction;
use super::style;
use crate::core::display::visible_text;
use crate::core::ids::SessionId;
use crate::core::lang::{Lang, Say};
use crate::state::find_all::{Found, Group};
use crate::words::find::FindLabel;

/// Draws `groups` (each conversation named by `who`) in at most `max_height`; returns the
/// result clicked, if any.
pub fn ui(
    ui: &mut egui::Ui,
    groups: &[Group],
    who: &dyn Fn(SessionId) -> String,
    max_height: f32,
    lang: Lang,
) -> Option<FindAction> {
    let mut picked = None;
    if groups.is_empty() {
        return None;
    }
    egui::ScrollArea::vertical()
        .id_salt("find-results")
        .max_height(max_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for group in groups {
                ui.label(
                    RichText::new(
                        FindLabel::Group {
                            who: who(group.session),
                            hits: group.total,
                        }
                        .say(lang),
                    )
                    .strong(),
                );
                for found in &group.listed {
                    let line = result_line(ui, found);
                    if ui.add(egui::Button::new(line).frame(false)).clicked() {
                        picked = Some(FindAction::ShowHit {
                            session: group.session,
                            entry: found.entry,
                            start: found.start,
                        });
                    }
                }
                let more = group.total - group.listed.len();
                if more > 0 {
                    ui.label(RichText::new(FindLabel::MoreHits { more }.say(lang)).weak());
                }
                ui.add_space(4.0);
            }
        });
    ui.separator();
    picked
}

/// "14:02:15  …words before [hit] words after…", the hit on the find colour (here and in
/// History's find).
pub(super) fn result_line(ui: &egui::Ui, found: &Found) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = ui.visuals().text_color();
    let mut job = egui::text::LayoutJob::default();
    let mut add = |text: &str, color: egui::Color32, background: egui::Color32| {
        job.append(
            &visible_text(text),
            0.0,
            egui::TextFormat {
                font_id: font.clone(),
                color,
                background,
                ..Default::default()
            },
        );
    };
    add(
        &format!("{}  ", found.at.format("%H:%M:%S")),
        ui.visuals().weak_text_color(),
        egui::Color32::TRANSPARENT,
    );
    add(&found.before, plain, egui::Color32::TRANSPARENT);
    add(&found.hit, egui::Color32::BLACK, style::find_hit(ui));
    add(&found.after, plain, egui::Color32::TRANSPARENT);
    job
}
