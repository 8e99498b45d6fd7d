//! One row of the conversation list: the mark, the address (a selectable button that shows
//! the conversation), the unread badge and × for an ended row; under them the state in
//! words and the start of the last message, cut to the row's width with "…" (or, before
//! anything was said, the time). Built of egui's own widgets.

use eframe::egui::{self, RichText, Role, TextStyle, WidgetInfo, vec2};

use crate::core::lang::{Lang, Say};
use crate::state::{Phase, SessionState};
use crate::ui::{Intent, style};
use crate::words::glance::ClassWords;
use crate::words::{Label, Phrase};

/// How far the second line is indented under the address.
const INDENT: f32 = 18.0;

/// The height of every row: two lines, each at least as high as `ui.horizontal` makes one
/// (the first holds a button), with the spacing between them. Every row has this height,
/// so the list lays out only the rows in view.
pub(super) fn height(ui: &egui::Ui) -> f32 {
    let spacing = ui.spacing().item_spacing.y;
    let line = ui.spacing().interact_size.y;
    (ui.text_style_height(&TextStyle::Button) + 2.0 * ui.spacing().button_padding.y).max(line)
        + spacing
        + ui.text_style_height(&TextStyle::Small).max(line)
}

/// What one row shows.
pub(super) struct Row<'a> {
    /// The conversation.
    pub s: &'a SessionState,
    /// The student's name (and seat), when known (issue 23).
    pub name: Option<&'a String>,
    /// Its place in the list, from 0 (the first nine have Alt+1…9).
    pub row: usize,
    /// Whether it is the conversation on screen.
    pub selected: bool,
    /// The start of the last message, on one line (see `state::glance::preview`).
    pub preview: Option<String>,
}

/// A phase's mark, words and colour.
fn look(ui: &egui::Ui, phase: Phase) -> (&'static str, Label, egui::Color32) {
    match phase {
        Phase::YourTurn => ("●", Label::PhaseYourTurn, style::go(ui)),
        Phase::Sending => ("○", Label::PhaseSending, style::wait(ui)),
        Phase::Waiting => ("○", Label::PhaseWaiting, style::wait(ui)),
        Phase::Ended => ("◇", Label::PhaseEnded, ui.visuals().weak_text_color()),
    }
}

/// Draws `row` in the next `height(ui)` of `ui`, a child ui of exactly that room so that
/// nothing in it moves the list's own layout. Returns what the user asked for.
pub(super) fn row_ui(ui: &mut egui::Ui, row: Row<'_>, lang: Lang) -> Option<Intent> {
    let Row {
        s,
        name,
        row,
        selected,
        preview,
    } = row;
    let (_, rect) = ui.allocate_space(vec2(ui.available_width(), height(ui)));
    let builder = egui::UiBuilder::new()
        .max_rect(rect)
        .layout(egui::Layout::top_down(egui::Align::Min));
    let mut ui = ui.new_child(builder);
    let ui = &mut ui;
    ui.set_clip_rect(rect.intersect(ui.clip_rect()));
    let phase = s.phase();
    let (mark, words, colour) = look(ui, phase);
    let mut intent = None;
    ui.horizontal(|ui| {
        ui.label(RichText::new(mark).color(colour));
        let address = match name {
            Some(name) => format!("{name} · {}", s.peer),
            None => s.peer.to_string(),
        };
        let mut text = RichText::new(address.as_str());
        if phase == Phase::YourTurn {
            text = text.strong();
        }
        if phase == Phase::Ended {
            text = text.weak();
        }
        let key = (row < 9).then_some(row + 1);
        // A clickable label in a frame rather than a `Button`: egui styles a button it did
        // not see in the last pass with a guess and asks for another frame at once, so each
        // new conversation would cost extra frames during a flood (issue 14's test).
        let visuals = ui.visuals();
        let frame = egui::Frame::new()
            .inner_margin(ui.spacing().button_padding)
            .corner_radius(visuals.widgets.inactive.corner_radius);
        let frame = if selected {
            text = text.color(visuals.selection.stroke.color);
            frame.fill(visuals.selection.bg_fill)
        } else {
            frame
        };
        let button = frame
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(text)
                        .selectable(false)
                        .sense(egui::Sense::click()),
                )
            })
            .inner;
        // What a selectable button tells a screen reader: a button, selected or not, named
        // by the address.
        button.widget_info(|| WidgetInfo::selected(Role::Button, true, selected, &address));
        let button = button.on_hover_text(Phrase::ShowConversation { peer: s.peer, key }.say(lang));
        if button.clicked() {
            intent = Some(Intent::Show(s.id));
        }
        if s.unread > 0 {
            let badge = RichText::new(format!(" {} ", s.unread))
                .strong()
                .color(ui.visuals().strong_text_color())
                .background_color(style::unread_badge(ui));
            ui.label(badge)
                .on_hover_text(Phrase::Unread { n: s.unread }.say(lang));
        }
        if phase == Phase::Ended
            && ui
                .small_button("×")
                .on_hover_text(Label::CloseEndedTip.get(lang))
                .clicked()
        {
            intent = Some(Intent::Close(s.id));
        }
    });
    ui.horizontal(|ui| {
        ui.add_space(INDENT - ui.spacing().item_spacing.x);
        ui.label(RichText::new(words.get(lang)).small().color(colour));
        let time = s.last_activity.format("%H:%M:%S").to_string();
        // With a preview, the rest of the line is the message's (its time on hover).
        match preview {
            Some(text) => preview_ui(ui, text, &time, lang),
            None => {
                ui.label(RichText::new(time).small().weak());
            }
        }
    });
    intent
}

/// The start of the last message in the rest of the line, cut with "…" where the row
/// ends: one line whatever its length, never over the next row.
fn preview_ui(ui: &mut egui::Ui, text: String, time: &str, lang: Lang) {
    let label = egui::Label::new(RichText::new(text.as_str()).small().weak()).truncate();
    // Named apart from the message in the transcript, which says the same words.
    let name = ClassWords::LastMessage { text }.say(lang);
    let shown = ui.add(label);
    shown.widget_info(|| WidgetInfo::labeled(Role::Label, true, &name));
    shown.on_hover_text(time);
}
