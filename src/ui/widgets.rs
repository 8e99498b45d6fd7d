//! Layout helpers the forms share: rows that wrap whole, labels that never break.

use eframe::egui::{self, TextEdit};

/// A label and a one-line text box of `width`, kept on one row.
pub fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) {
    fits(ui, text_width(ui, label) + width + 16.0);
    let label = tag(ui, label);
    ui.add(TextEdit::singleline(value).desired_width(width))
        .labelled_by(label.id);
}

/// Starts a new row first when `width` does not fit in what is left of this one, so that
/// a label and its control stay together.
pub fn fits(ui: &mut egui::Ui, width: f32) {
    let row_started = ui.cursor().min.x > ui.max_rect().min.x + 1.0;
    if row_started && ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
}

/// A label that never wraps: in a wrapped row egui would break it between characters
/// (a Chinese label then reads as two words on two rows).
pub fn tag(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend))
}

/// A checkbox that moves to the next row whole rather than wrap its words.
pub fn check(ui: &mut egui::Ui, value: &mut bool, text: &str) -> egui::Response {
    fits(ui, text_width(ui, text) + 28.0);
    let before = ui.style().wrap_mode;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
    let response = ui.checkbox(value, text);
    ui.style_mut().wrap_mode = before;
    response
}

/// How wide `text` is in the body font.
pub fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| {
        f.layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE)
            .size()
            .x
    })
}
