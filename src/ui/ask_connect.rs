//! The question asked before connecting to a listed server whose name was reached at
//! another address before (trust on first use, [`crate::state::trust`]): a modal with
//! "Connect anyway" and "Cancel", Cancel focused. Esc or a click outside cancels, except
//! in the frame the question first shows: the click that opened it must not count as a
//! click outside it.

use eframe::egui::{self, RichText};

use super::Intent;
use crate::core::lang::{Lang, Say};
use crate::core::lookalike::visible_name;
use crate::state::trust::Question;
use crate::words::trust::TrustWords as W;

/// Draws the question over the window; the answer, once given.
pub fn ui(ctx: &egui::Context, q: &Question, first_frame: bool, lang: Lang) -> Option<Intent> {
    let name = visible_name(&q.name);
    let mut answer = None;
    let id = egui::Id::unique("turnchat-ask-connect");
    // Shown whole in its first frame: a fade-in would need frames the window, quiet when
    // idle, does not draw until the mouse moves (seen under Xvfb: the question stayed
    // invisible).
    let area = egui::Modal::default_area(id).fade_in(false);
    let modal = egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.label(
            RichText::new(W::AskTitle { name: name.clone() }.say(lang))
                .strong()
                .color(ui.visuals().warn_fg_color),
        );
        ui.add_space(6.0);
        ui.label(
            W::AskBody {
                name,
                addr: q.addr.to_string(),
                was: q.was.to_string(),
                pinned: q.pinned,
            }
            .say(lang),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let cancel = ui.button(W::Cancel.say(lang));
            if first_frame {
                cancel.request_focus();
            }
            if cancel.clicked() {
                answer = Some(false);
            }
            if ui.button(W::ConnectAnyway.say(lang)).clicked() {
                answer = Some(true);
            }
        });
    });
    if answer.is_none() && !first_frame && modal.should_close() {
        answer = Some(false);
    }
    answer.map(|connect| Intent::AnswerConnect { connect })
}
