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
    /// For how many minutes the peer has waited for the user's answer, while they do.
    pub waited: Option<u32>,
    /// For how many minutes the peer has been silent, when that is long enough to mark.
    pub silent: Option<u32>,
    /// One line a row (see [`compact_height`]).
    pub compact: bool,
}

/// The height of every row in compact mode: one line of small text, the button's
/// padding left out, so 30 rows fit beside a conversation on a 1280×800 screen.
pub(super) fn compact_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&TextStyle::Small) + 2.0
}

/// How long the peer has waited ("3 min"), or that it has been silent, in the row's line.
fn marks_ui(ui: &mut egui::Ui, waited: Option<u32>, silent: Option<u32>, lang: Lang) {
    if let Some(minutes) = waited {
        let text = ClassWords::Waited { minutes }.say(lang);
        ui.label(RichText::new(text).small().strong().color(style::go(ui)));
    }
    if let Some(minutes) = silent {
        let text = ClassWords::Silent { minutes }.say(lang);
        ui.label(RichText::new(text).small().color(style::wait(ui)));
    }
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
        mut preview,
        waited,
        silent,
        compact,
    } = row;
    let row_height = if compact {
        compact_height(ui)
    } else {
        height(ui)
    };
    let (_, rect) = ui.allocate_space(vec2(ui.available_width(), row_height));
    let builder = egui::UiBuilder::new()
        .max_rect(rect)
        .layout(egui::Layout::top_down(egui::Align::Min));
    let mut ui = ui.new_child(builder);
    let ui = &mut ui;
    if compact {
        // A line as high as its small text, not as a button.
        ui.spacing_mut().interact_size.y = row_height;
    }
    ui.set_clip_rect(rect.intersect(ui.clip_rect()));
    let phase = s.phase();
    let (mark, words, colour) = look(ui, phase);
    let mut intent = None;
    ui.horizontal(|ui| {
        let mark = ui.label(RichText::new(mark).color(colour));
        if compact {
            mark.on_hover_text(words.get(lang));
        }
        let address = match name {
            Some(name) => format!("{name} · {}", s.peer),
            None => s.peer.to_string(),
        };
        let mut text = RichText::new(address.as_str());
        if compact {
            text = text.small();
        }
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
            .inner_margin(if compact {
                vec2(ui.spacing().button_padding.x, 0.0)
            } else {
                ui.spacing().button_padding
            })
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
        if button.double_clicked() {
            intent = Some(Intent::NameRow(s.id));
        } else if button.clicked() {
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
        if compact {
            let time = s.last_activity.format("%H:%M:%S").to_string();
            marks_ui(ui, waited, silent, lang);
            if let Some(text) = preview.take() {
                preview_ui(ui, text, &time, lang);
            }
        }
    });
    if compact {
        return intent;
    }
    ui.horizontal(|ui| {
        ui.add_space(INDENT - ui.spacing().item_spacing.x);
        ui.label(RichText::new(words.get(lang)).small().color(colour));
        marks_ui(ui, waited, silent, lang);
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
    let colour = ui.visuals().weak_text_color();
    let galley = egui::WidgetText::from(RichText::new(text.as_str()).small().color(colour))
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Truncate),
            ui.available_width(),
            TextStyle::Small,
        );
    let (rect, shown) = ui.allocate_exact_size(galley.size(), egui::Sense::hover());
    ui.painter().galley(rect.min, galley, colour);
    // Named apart from the message in the transcript, which says the same words: the
    // words are its value, not its name. (Drawn, not a `Label`, which names itself.)
    shown.widget_info(|| WidgetInfo {
        label: Some(Label::LastMessage.get(lang).to_owned()),
        current_text_value: Some(text.clone()),
        // Not `Role::Label`, whose name a screen reader takes from its value.
        ..WidgetInfo::new(Role::Paragraph)
    });
    shown.on_hover_text(time);
}
