//! The class list's place on the server form (the "Class list…" button and how the list
//! loaded, with every skipped row and its line), and the conversation's name line.

use std::net::SocketAddr;

use eframe::egui::{self, RichText};

use super::{Intent, style};
use crate::core::lang::{Lang, Say};
use crate::state::names::{ClassListReport, NameSource, PeerName};
use crate::words::Label;
use crate::words::roster::{NameMark, RosterSummary};

/// The most skipped rows drawn at once (the rest are counted in the summary).
const ROWS_SHOWN: usize = 20;

/// The "Class list…" button and the report of the list in use; returns the click.
pub fn ui(ui: &mut egui::Ui, report: Option<&ClassListReport>, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(Label::ClassList.get(lang))
            .on_hover_text(Label::ClassListTip.get(lang))
            .clicked()
        {
            intent = Some(Intent::PickClassList);
        }
        match report {
            Some(ClassListReport::Loaded {
                students,
                bad_rows,
                more_bad_rows,
            }) => {
                let summary = RosterSummary {
                    students: *students,
                    skipped: bad_rows.len() + more_bad_rows,
                };
                ui.label(summary.say(lang));
            }
            Some(ClassListReport::Failed(error)) => {
                ui.label(RichText::new(error.say(lang)).color(style::error(ui)));
            }
            None => {}
        }
    });
    if let Some(ClassListReport::Loaded { bad_rows, .. }) = report
        && !bad_rows.is_empty()
    {
        for row in bad_rows.iter().take(ROWS_SHOWN) {
            ui.label(RichText::new(row.say(lang)).small().color(style::error(ui)));
        }
    }
    intent
}

/// The conversation's name line: the name large, the seat and address small, and the
/// marks (said by that computer; same name as another row).
pub fn name_line(
    ui: &mut egui::Ui,
    peer: SocketAddr,
    name: &PeerName,
    same_name: bool,
    lang: Lang,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&name.name).heading());
        if let Some(seat) = &name.seat {
            ui.label(RichText::new(seat).small());
        }
        ui.label(RichText::new(peer.to_string()).small().weak());
        if name.source == NameSource::Asserted {
            ui.label(
                RichText::new(NameMark::Asserted.say(lang))
                    .small()
                    .italics(),
            );
        }
        if same_name {
            ui.label(
                RichText::new(NameMark::SameName.say(lang))
                    .small()
                    .color(style::error(ui)),
            );
        }
    });
}

/// The field where the teacher types a name for the conversation's computer. Returns the
/// name to keep when Enter is pressed or the field is left with a change. `focus` puts the
/// keyboard in it (F2).
pub fn name_editor(
    ui: &mut egui::Ui,
    buffer: &mut String,
    focus: bool,
    lang: Lang,
) -> Option<String> {
    let mut kept = None;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(Label::StudentName.get(lang)).small());
        let field = ui
            .add(
                egui::TextEdit::singleline(buffer)
                    .hint_text(Label::StudentNameHint.get(lang))
                    .desired_width(160.0)
                    .char_limit(crate::core::roster::MAX_NAME_CHARS),
            )
            .labelled_by(label.id)
            .on_hover_text(Label::StudentNameTip.get(lang));
        if focus {
            field.request_focus();
        }
        if field.lost_focus() || (field.changed() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            kept = Some(buffer.clone());
        }
    });
    kept
}
