//! Sizes and colours that suit Chinese and Latin text, in light and dark themes.

use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

/// Text a little larger than egui's default, so Chinese characters stay legible.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        // A blinking cursor repaints the window twice a second forever: with software
        // rendering that alone costs several percent of a core while nothing happens.
        style.visuals.text_cursor.blink = false;
        style.spacing.button_padding = egui::vec2(10.0, 4.0);
    });
}

/// The colour that means "you may act" (your turn).
pub fn go(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(110, 210, 120)
    } else {
        Color32::from_rgb(20, 130, 40)
    }
}

/// The colour that means "wait".
pub fn wait(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(240, 190, 90)
    } else {
        Color32::from_rgb(170, 100, 0)
    }
}

/// The colour of error sentences.
pub fn error(ui: &egui::Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// The background of an unread count in the conversation list.
pub fn unread_badge(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(40, 90, 160)
    } else {
        Color32::from_rgb(190, 215, 250)
    }
}

/// The background of a find hit in the transcript (light in both themes: its text is
/// drawn dark).
pub fn find_hit(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(190, 165, 70)
    } else {
        Color32::from_rgb(255, 235, 120)
    }
}

/// The background of the current find hit: stronger than the others.
pub fn find_current(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(230, 120, 0)
    } else {
        Color32::from_rgb(255, 150, 30)
    }
}
